//! The figures of document handling (数据分析): how many documents and
//! 督办 matters wait on each section (内设机构) of a unit, how many are past
//! their deadline, and what came in, went out and was finished each month.
//! Counts only: never a title, a number or a person's name.
//!
//! The platform keeps one [`FigureRow`] per document and task as they are
//! written, and counts those rows in SQL.

use chrono::{NaiveDate, NaiveDateTime};
use mz_domain::office::Step;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::task::TaskData;
use super::{Direction, OfficeDocumentData};

/// The months asked for, as `YYYY-MM`, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentFiguresQuery {
    #[param(example = "2026-01")]
    pub from: String,
    #[param(example = "2026-12")]
    pub to: String,
}

/// What waits on one section of one unit today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct SectionFigures {
    pub org_unit: String,
    pub unit_name: String,
    /// The section of whom it waits on; empty for the office's own work
    /// (registering, distributing) or someone in no section.
    pub section: String,
    /// Documents not yet done (待办).
    pub documents_pending: u32,
    /// Of those, past their deadline.
    pub documents_overdue: u32,
    /// 督办 matters not closed.
    pub tasks_open: u32,
    /// Of those, past their deadline.
    pub tasks_overdue: u32,
}

/// One month's flow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    /// Outgoing documents begun (发文).
    pub outgoing: u32,
    /// Incoming documents registered (收文).
    pub incoming: u32,
    /// Documents done.
    pub documents_done: u32,
    /// 督办 matters opened.
    pub tasks_opened: u32,
    /// 督办 matters closed.
    pub tasks_closed: u32,
}

/// The figures within the caller's reach: every section with work waiting
/// (as of `today`), and every month asked for, in order, zeros included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct DocumentFigures {
    #[schema(value_type = String, format = Date)]
    pub today: NaiveDate,
    pub sections: Vec<SectionFigures>,
    pub months: Vec<MonthFigures>,
}

/// What the figures keep of one document or task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRow {
    /// `outgoing` or `incoming` for a document, `None` for a 督办 matter.
    pub direction: Option<&'static str>,
    /// The user its current step waits on (the first owner, or a task's
    /// lead); `None` for the office's own work and once finished.
    pub waits_on: Option<String>,
    pub opened: NaiveDate,
    pub finished: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

fn day(at: Option<NaiveDateTime>) -> Option<NaiveDate> {
    at.map(|at| at.date())
}

impl FigureRow {
    /// A document's row; `None` for one with no step yet (nothing to count).
    pub fn of_document(body: &OfficeDocumentData) -> Option<FigureRow> {
        let opened = day(body.steps.first().map(|s| s.at))?;
        let done = body.step == Step::Done;
        Some(FigureRow {
            direction: Some(match body.direction {
                Direction::Outgoing => "outgoing",
                Direction::Incoming => "incoming",
            }),
            waits_on: (!done).then(|| body.owners.first().cloned()).flatten(),
            opened,
            finished: if done {
                day(body.steps.last().map(|s| s.at))
            } else {
                None
            },
            deadline: body.deadline,
        })
    }

    /// A 督办 matter's row; `None` for one with no entry yet.
    pub fn of_task(body: &TaskData) -> Option<FigureRow> {
        let opened = day(body.entries.first().map(|e| e.at))?;
        Some(FigureRow {
            direction: None,
            waits_on: (!body.closed).then(|| body.lead.user_id.clone()),
            opened,
            finished: if body.closed {
                day(body.entries.last().map(|e| e.at))
            } else {
                None
            },
            deadline: Some(body.deadline),
        })
    }
}
