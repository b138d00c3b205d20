//! The record kinds that flow through sync, and their bodies.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The kinds of record that sync carries. Modules add theirs here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// One year's statutory holidays; body [`HolidayCalendarData`].
    HolidayCalendar,
}

impl RecordKind {
    pub const ALL: [RecordKind; 1] = [RecordKind::HolidayCalendar];

    pub fn as_str(&self) -> &'static str {
        match self {
            RecordKind::HolidayCalendar => "holiday_calendar",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a `holiday_calendar` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct HolidayCalendarData {
    pub year: i32,
    /// Every day off: the public holidays and the days joined to them.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays made working days (调休).
    pub working_weekends: Vec<NaiveDate>,
}

impl From<HolidayCalendarData> for mz_domain::HolidayCalendar {
    fn from(data: HolidayCalendarData) -> Self {
        mz_domain::HolidayCalendar {
            year: data.year,
            holidays: data.holidays.into_iter().collect(),
            working_weekends: data.working_weekends.into_iter().collect(),
        }
    }
}

impl From<mz_domain::HolidayCalendar> for HolidayCalendarData {
    fn from(calendar: mz_domain::HolidayCalendar) -> Self {
        HolidayCalendarData {
            year: calendar.year,
            holidays: calendar.holidays.into_iter().collect(),
            working_weekends: calendar.working_weekends.into_iter().collect(),
        }
    }
}
