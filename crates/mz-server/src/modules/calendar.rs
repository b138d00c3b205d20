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
    CheckContext, Checked, Module, Owner, PushRules, Rejection, kind_rules, ready, to_stored,
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
        _caller: &'a crate::auth::Caller,
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
        let shape = |e: serde_json::Error| {
            Rejection::new(ErrorCode::InvalidInput, format!("data: {e}"), Some("data"))
        };
        serde_json::from_value::<HolidayCalendarData>(data.clone()).map_err(shape)?;
        // The rules are the kind's, as the client applied them.
        let calendar: HolidayCalendarData =
            serde_json::from_value(kind_rules(RecordKind::HolidayCalendar, data)?)
                .map_err(shape)?;
        Ok(Checked {
            natural_key: Some(calendar.year.to_string()),
            data: to_stored(&calendar)?,
            owner: Owner::Province,
            audience: None,
        })
    }

    fn is_final(&self, _kind: RecordKind, _data: &str) -> Result<bool, Rejection> {
        Ok(false)
    }
}
