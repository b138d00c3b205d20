//! `/office/figures`: what waits on each section of a unit and each month's
//! flow of documents and 督办 matters, counted in SQL over the rows kept as
//! the records are written (`office_figures`), never by reading the bodies.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{Datelike, Months};
use mz_api::ErrorBody;
use mz_api::office::OfficeDocumentData;
use mz_api::office::figures::{
    DocumentFigures, DocumentFiguresQuery, FigureRow, MonthFigures, SectionFigures,
};
use mz_api::office::task::TaskData;
use mz_api::records::RecordKind;
use mz_domain::access::{Action, Resource, Scope, widest_scope};
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::modules::{Written, stored_body};

/// The row a stored document or task keeps, or `None` when it has nothing
/// to count yet.
fn row_of(kind: RecordKind, data: &str) -> Result<Option<FigureRow>, String> {
    match kind {
        RecordKind::OfficeDocument => {
            let body: OfficeDocumentData = stored_body(data).map_err(|r| r.reason)?;
            Ok(FigureRow::of_document(&body))
        }
        RecordKind::OfficeTask => {
            let body: TaskData = stored_body(data).map_err(|r| r.reason)?;
            Ok(FigureRow::of_task(&body))
        }
        other => Err(format!("{other} is not counted in the office's figures")),
    }
}

/// Keeps the figures' rows in step with the documents and tasks written.
pub(super) async fn note_rows(conn: &mut AnyConnection, written: &[Written<'_>]) -> ApiResult<()> {
    for record in written {
        if !matches!(
            record.kind,
            RecordKind::OfficeDocument | RecordKind::OfficeTask
        ) {
            continue;
        }
        sqlx::query("DELETE FROM office_figures WHERE record_id = $1")
            .bind(record.id.to_string())
            .execute(&mut *conn)
            .await?;
        let Some(data) = record.data else { continue };
        let row = row_of(record.kind, data).map_err(|reason| {
            ApiError::internal(&format!("{}/{}: {reason}", record.kind, record.id))
        })?;
        let Some(row) = row else { continue };
        sqlx::query(
            "INSERT INTO office_figures \
             (record_id, org_unit, region, direction, waits_on, opened, finished, deadline) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(record.id.to_string())
        .bind(record.org_unit)
        .bind(record.region)
        .bind(row.direction)
        .bind(row.waits_on)
        .bind(row.opened.to_string())
        .bind(row.finished.map(|d| d.to_string()))
        .bind(row.deadline.map(|d| d.to_string()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Derives the rows of the documents and tasks stored before the figures
/// were kept: once, when the platform starts on a database that has not
/// had it done.
pub async fn derive_missing_rows(db: &crate::Db) -> ApiResult<()> {
    crate::modules::derive_once(
        db,
        "office_figures",
        &[RecordKind::OfficeDocument, RecordKind::OfficeTask],
        |conn, written| Box::pin(note_rows(conn, written)),
    )
    .await
}

/// The clause that keeps the rows within `scope` of the caller, bound as
/// `$n`, and its value.
fn within(scope: Scope, caller: &Caller, n: usize) -> (String, Option<String>) {
    match scope {
        Scope::All => ("1 = 1".to_owned(), None),
        Scope::Region => (
            format!("f.region LIKE ${n}"),
            Some(caller.region.like_pattern()),
        ),
        Scope::Unit => (format!("f.org_unit = ${n}"), Some(caller.org_unit.clone())),
    }
}

fn count(row: &sqlx::any::AnyRow, column: &str) -> ApiResult<u32> {
    let n: i64 = row.try_get(column)?;
    u32::try_from(n).map_err(|e| ApiError::internal(&e))
}

#[utoipa::path(get, path = "/api/v1/office/figures", tag = "office", security(("bearer" = [])),
    params(DocumentFiguresQuery),
    responses(
        (status = 200, body = DocumentFigures, description = "what waits on each section within reach today, and each month's flow; counts only"),
        (status = 400, body = ErrorBody, description = "a malformed or reversed range of months, or longer than ten years"),
        (status = 403, body = ErrorBody, description = "a role without the figures of documents"),
    ))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<DocumentFiguresQuery>,
) -> ApiResult<Json<DocumentFigures>> {
    let Some(scope) = widest_scope(&caller.roles, Resource::OfficeFigures, Action::Read) else {
        return Err(ApiError::forbidden("您的角色不能查看公文统计"));
    };
    let (first, last) = crate::modules::months(&query.from, &query.to)?;
    let today = crate::clock::china_date(state.clock.now_ms());
    let pool = &state.db.pool;

    // What waits today, by the section of whom it waits on.
    let (clause, bind) = within(scope, &caller, 2);
    let sql = format!(
        "SELECT org_unit, unit_name, section, what, count(*) AS n, SUM(late) AS overdue FROM ( \
           SELECT f.org_unit, o.name AS unit_name, COALESCE(u.section, '') AS section, \
             CASE WHEN f.direction IS NULL THEN 'task' ELSE 'document' END AS what, \
             CASE WHEN f.deadline < $1 THEN 1 ELSE 0 END AS late \
           FROM office_figures f \
           LEFT JOIN users u ON u.id = f.waits_on \
           LEFT JOIN org_units o ON o.code = f.org_unit \
           WHERE f.finished IS NULL AND {clause}) t \
         GROUP BY org_unit, unit_name, section, what \
         ORDER BY org_unit, section"
    );
    let mut q = sqlx::query(crate::db::assembled(sql)).bind(today.to_string());
    if let Some(value) = &bind {
        q = q.bind(value.clone());
    }
    let mut sections: BTreeMap<(String, String), SectionFigures> = BTreeMap::new();
    for row in q.fetch_all(pool).await? {
        let (org_unit, section): (String, String) =
            (row.try_get("org_unit")?, row.try_get("section")?);
        let unit_name: Option<String> = row.try_get("unit_name")?;
        let figures = sections
            .entry((org_unit.clone(), section.clone()))
            .or_insert_with(|| SectionFigures {
                org_unit,
                unit_name: unit_name.unwrap_or_default(),
                section,
                ..SectionFigures::default()
            });
        let (n, overdue) = (count(&row, "n")?, count(&row, "overdue")?);
        let what: String = row.try_get("what")?;
        match what.as_str() {
            "document" => (figures.documents_pending, figures.documents_overdue) = (n, overdue),
            "task" => (figures.tasks_open, figures.tasks_overdue) = (n, overdue),
            other => return Err(ApiError::internal(&format!("an unknown count {other:?}"))),
        }
    }

    // Each month's flow: opened by way, finished by kind.
    let mut months: BTreeMap<String, MonthFigures> = BTreeMap::new();
    let mut month = first;
    while month <= last {
        let key = format!("{:04}-{:02}", month.year(), month.month());
        months.insert(
            key.clone(),
            MonthFigures {
                month: key,
                ..MonthFigures::default()
            },
        );
        month = month
            .checked_add_months(Months::new(1))
            .ok_or_else(|| ApiError::internal(&"a month past the calendar"))?;
    }
    let end = last
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(last);
    let (clause, bind) = within(scope, &caller, 3);
    for (column, of) in [
        ("opened", "COALESCE(f.direction, 'task')"),
        (
            "finished",
            "CASE WHEN f.direction IS NULL THEN 'task_closed' ELSE 'done' END",
        ),
    ] {
        let sql = format!(
            "SELECT month, what, count(*) AS n FROM ( \
               SELECT substr(f.{column}, 1, 7) AS month, {of} AS what FROM office_figures f \
               WHERE f.{column} >= $1 AND f.{column} <= $2 AND {clause}) t \
             GROUP BY month, what"
        );
        let mut q = sqlx::query(crate::db::assembled(sql))
            .bind(first.to_string())
            .bind(end.to_string());
        if let Some(value) = &bind {
            q = q.bind(value.clone());
        }
        for row in q.fetch_all(pool).await? {
            let key: String = row.try_get("month")?;
            let what: String = row.try_get("what")?;
            let n = count(&row, "n")?;
            let figures = months
                .get_mut(&key)
                .ok_or_else(|| ApiError::internal(&format!("a month outside the range: {key}")))?;
            let slot = match what.as_str() {
                "outgoing" => &mut figures.outgoing,
                "incoming" => &mut figures.incoming,
                "task" => &mut figures.tasks_opened,
                "done" => &mut figures.documents_done,
                "task_closed" => &mut figures.tasks_closed,
                other => return Err(ApiError::internal(&format!("an unknown count {other:?}"))),
            };
            *slot = n;
        }
    }
    Ok(Json(DocumentFigures {
        today,
        sections: sections.into_values().collect(),
        months: months.into_values().collect(),
    }))
}
