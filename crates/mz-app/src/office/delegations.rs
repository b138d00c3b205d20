//! 委托办理 at the desk: the user hands their to-dos to a colleague for the
//! days they are away (offline too: queued like any record), sees what they
//! handed over and what was handed to them, and cancels. While one runs,
//! the colleague's 待办 holds those to-dos and each step names whom it is
//! taken for ([`super::OfficeChoice::on_behalf_of`]).

use chrono::NaiveDate;
use mz_api::office::Person;
use mz_api::office::delegation::DelegationData;
use mz_api::records::RecordKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// A delegation as the user's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DelegationEntry {
    pub id: Uuid,
    pub data: DelegationData,
    /// It runs today.
    pub running: bool,
    /// The user handed it over (else: it was handed to the user).
    pub mine: bool,
    /// Not yet sent.
    pub pending: bool,
}

/// A new delegation: to whom, which days, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewDelegation {
    pub to: Person,
    #[ts(type = "string")]
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub end: NaiveDate,
    pub reason: String,
}

impl ClientApp {
    /// The delegations the user handed over or was handed, running and
    /// coming first, then the latest.
    pub fn office_delegations(&self) -> AppResult<Vec<DelegationEntry>> {
        let me = self.office_actor()?.person.user_id;
        let today = self.today();
        let mut list = Vec::new();
        for record in self.store()?.records(RecordKind::OfficeDelegation)? {
            let data: DelegationData = record.body()?;
            let mine = data.from.user_id == me;
            if !mine && data.to.user_id != me {
                continue;
            }
            list.push(DelegationEntry {
                id: record.id,
                running: data.runs_on(today),
                mine,
                pending: record.pending,
                data,
            });
        }
        list.sort_by_key(|e| {
            (
                e.data.cancelled || e.data.end < today,
                std::cmp::Reverse(e.data.start),
                e.id,
            )
        });
        Ok(list)
    }

    /// Hands the user's to-dos to a colleague for some days (offline too:
    /// the colleague is one of the people the desk knows).
    pub async fn office_delegate(&self, new: NewDelegation) -> AppResult<Uuid> {
        let from = self.office_actor()?.person;
        let people = self.office_people().await?.people;
        if !people.iter().any(|p| p.user_id == new.to.user_id) {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "to",
                format!("{} 不是本单位办文的同事", new.to.name),
            )]));
        }
        if new.end < self.today() {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "end",
                "结束日期已过",
            )]));
        }
        let data = DelegationData {
            from,
            to: new.to,
            start: new.start,
            end: new.end,
            reason: new.reason.trim().to_owned(),
            cancelled: false,
        };
        let id = Uuid::now_v7();
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.save_record(RecordKind::OfficeDelegation, id, value)?;
        Ok(id)
    }

    /// Cancels a delegation the user handed over.
    pub fn office_cancel_delegation(&self, id: Uuid) -> AppResult<()> {
        let me = self.office_actor()?.person.user_id;
        let record = self
            .store()?
            .record(RecordKind::OfficeDelegation, id)?
            .ok_or_else(|| AppError::Invalid("没有这项委托".to_owned()))?;
        let mut data: DelegationData = record.body()?;
        if data.from.user_id != me {
            return Err(AppError::Invalid("只能取消自己的委托".to_owned()));
        }
        data.cancelled = true;
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.save_record(RecordKind::OfficeDelegation, id, value)
    }
}
