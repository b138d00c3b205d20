//! The statutory holiday calendar: one record a year, published by the
//! province's administrator for everyone (the divorce periods, the
//! schedule's grids and the counting of legal periods read it).
//!
//! The smallest module: one kind, one rule (the calendar is a valid year),
//! a natural key (its year: one calendar a year), owned by the province,
//! never final (a corrected calendar replaces it).

use futures_util::future::BoxFuture;
use mz_api::ErrorCode;
use mz_api::records::{HolidayCalendarData, RecordKind};
use mz_api::sync::PushEntry;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::modules::{
    CheckContext, Checked, Module, Owner, PushRules, Rejection, ready, to_stored,
};

#[derive(Debug, Clone, Copy)]
pub struct Calendar;

impl Module for Calendar {
    fn name(&self) -> &'static str {
        "calendar"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[RecordKind::HolidayCalendar]
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <CalendarApi as utoipa::OpenApi>::openapi()
    }

    fn prepare<'a>(
        &'a self,
        _conn: &'a mut AnyConnection,
        _entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        ready(self)
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(HolidayCalendarData)))]
struct CalendarApi;

impl PushRules for Calendar {
    fn check(
        &self,
        _kind: RecordKind,
        _id: Uuid,
        data: serde_json::Value,
        _ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        let parsed: HolidayCalendarData = serde_json::from_value(data).map_err(|e| {
            Rejection::new(ErrorCode::InvalidInput, format!("data: {e}"), Some("data"))
        })?;
        let calendar: mz_domain::HolidayCalendar = parsed.into();
        calendar
            .validate()
            .map_err(|e| Rejection::new(ErrorCode::RuleViolation, e.to_string(), Some("data")))?;
        let year = calendar.year;
        Ok(Checked {
            data: to_stored(&HolidayCalendarData::from(calendar))?,
            natural_key: Some(year.to_string()),
            owner: Owner::Province,
        })
    }

    fn is_final(&self, _kind: RecordKind, _data: &str) -> Result<bool, Rejection> {
        Ok(false)
    }
}
