//! The statutory holiday calendar and the counting of legal periods.
//!
//! The State Council publishes each year's public holidays and the weekend
//! days made working days (调休). That is data, delivered by sync; this module
//! validates it and counts periods with it (Civil Code art. 201, 203): the
//! first day is not counted, and a period whose last day is a statutory rest
//! day ends on the next working day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// One year's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayCalendar {
    pub year: i32,
    /// Days off: public holidays and the days joined to them.
    pub holidays: BTreeSet<NaiveDate>,
    /// Saturdays and Sundays that are working days.
    pub working_weekends: BTreeSet<NaiveDate>,
}

/// A calendar that breaks a rule, with the field and the date at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("year {0} is outside 1949..=2200")]
    YearOutOfRange(i32),
    #[error("{field}: {date} is not in {year}")]
    OutsideYear {
        field: &'static str,
        date: NaiveDate,
        year: i32,
    },
    #[error("working_weekends: {0} is not a Saturday or Sunday")]
    NotAWeekend(NaiveDate),
    #[error("{0} is listed both as a holiday and as a working day")]
    BothHolidayAndWorking(NaiveDate),
}

impl HolidayCalendar {
    pub fn validate(&self) -> Result<(), CalendarError> {
        if !(1949..=2200).contains(&self.year) {
            return Err(CalendarError::YearOutOfRange(self.year));
        }
        for (field, dates) in [
            ("holidays", &self.holidays),
            ("working_weekends", &self.working_weekends),
        ] {
            if let Some(date) = dates.iter().find(|d| d.year() != self.year) {
                return Err(CalendarError::OutsideYear {
                    field,
                    date: *date,
                    year: self.year,
                });
            }
        }
        if let Some(date) = self.working_weekends.iter().find(|d| !is_weekend(**d)) {
            return Err(CalendarError::NotAWeekend(*date));
        }
        if let Some(date) = self.holidays.intersection(&self.working_weekends).next() {
            return Err(CalendarError::BothHolidayAndWorking(*date));
        }
        Ok(())
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A date the calendars cannot answer for: its year has not been published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the holiday calendar for {0} is not available")]
pub struct CalendarMissing(pub i32);

/// The calendars of several years, as a client holds them.
#[derive(Debug, Clone, Default)]
pub struct Calendars {
    years: BTreeMap<i32, HolidayCalendar>,
}

impl Calendars {
    pub fn new(calendars: impl IntoIterator<Item = HolidayCalendar>) -> Self {
        Calendars {
            years: calendars.into_iter().map(|c| (c.year, c)).collect(),
        }
    }

    /// Whether `date` is a statutory rest day (法定休假日).
    pub fn is_rest_day(&self, date: NaiveDate) -> Result<bool, CalendarMissing> {
        let calendar = self
            .years
            .get(&date.year())
            .ok_or(CalendarMissing(date.year()))?;
        Ok(calendar.holidays.contains(&date)
            || (is_weekend(date) && !calendar.working_weekends.contains(&date)))
    }

    /// Whether `date` is a rest day, for planning ahead (a weekly meeting
    /// that skips rest days): a year whose calendar is not published yet
    /// counts its Saturdays and Sundays only, as the window says beside it.
    pub fn is_rest_day_planned(&self, date: NaiveDate) -> bool {
        self.is_rest_day(date).unwrap_or_else(|_| is_weekend(date))
    }

    /// The last day of a period of `days` days that starts the day after `start`,
    /// moved past rest days (Civil Code art. 201, 203).
    pub fn period_end(&self, start: NaiveDate, days: u32) -> Result<NaiveDate, CalendarMissing> {
        let overflow = || CalendarMissing(start.year());
        let mut end = start
            .checked_add_days(Days::new(u64::from(days)))
            .ok_or_else(overflow)?;
        while self.is_rest_day(end)? {
            end = end.succ_opt().ok_or_else(overflow)?;
        }
        Ok(end)
    }
}

/// The calendar day in China (UTC+8, no daylight saving) at instant `utc`:
/// the day a record is made on (a registration, a case), and the day the
/// ages and the legal periods are counted from.
pub fn china_date(utc: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    china_time(utc).date()
}

/// The time on a clock in China (UTC+8) at instant `utc`: when a call came,
/// a body was received, a paper was checked.
pub fn china_time(utc: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    utc.naive_utc() + chrono::TimeDelta::hours(8)
}

/// What a month asked for looks like, for the issue of a field that is not
/// one.
pub const MONTH_FORM: &str = "月份的格式为 2026-12";

/// The first day of a month written `YYYY-MM` (a report's or the figures'
/// month); `None` for any other form.
pub fn month_start(text: &str) -> Option<NaiveDate> {
    if text.len() != 7 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_written_year_dash_month() {
        assert_eq!(month_start("2026-12"), NaiveDate::from_ymd_opt(2026, 12, 1));
        for bad in ["2026-13", "2026-1", "2026-012", "26-12", "", "2026-12-01"] {
            assert_eq!(month_start(bad), None, "{bad}");
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The 2026 calendar as published by the State Council (the demo data file).
    fn calendar_2026() -> HolidayCalendar {
        let all: Vec<HolidayCalendar> =
            serde_json::from_str(include_str!("../../../assets/demo/holiday-calendars.json"))
                .unwrap();
        all.into_iter().find(|c| c.year == 2026).unwrap()
    }

    #[test]
    fn the_published_2026_calendar_is_valid() {
        assert_eq!(calendar_2026().validate(), Ok(()));
    }

    #[test]
    fn rest_days_are_holidays_and_weekends_not_made_working() {
        let cals = Calendars::new([calendar_2026()]);
        assert!(cals.is_rest_day(d("2026-10-01")).unwrap(), "National Day");
        assert!(
            cals.is_rest_day(d("2026-03-07")).unwrap(),
            "an ordinary Saturday"
        );
        assert!(
            !cals.is_rest_day(d("2026-10-10")).unwrap(),
            "a Saturday made a working day"
        );
        assert!(
            !cals.is_rest_day(d("2026-03-05")).unwrap(),
            "an ordinary Thursday"
        );
        assert_eq!(
            cals.is_rest_day(d("2027-01-04")),
            Err(CalendarMissing(2027))
        );
    }

    #[test]
    fn divorce_window_ends_after_holiday() {
        // The domain notes' example: received Thursday 2026-03-05, the 30 days run
        // 03-06 … 04-04; 04-04 to 04-06 is 清明, so the period ends on Tuesday 04-07.
        let cals = Calendars::new([calendar_2026()]);
        assert_eq!(
            cals.period_end(d("2026-03-05"), 30).unwrap(),
            d("2026-04-07")
        );
    }

    #[test]
    fn a_period_ending_on_a_working_day_is_not_moved() {
        let cals = Calendars::new([calendar_2026()]);
        // 2026-03-02 + 30 days = 2026-04-01, a Wednesday.
        assert_eq!(
            cals.period_end(d("2026-03-02"), 30).unwrap(),
            d("2026-04-01")
        );
        // Ends on a Saturday made a working day (2026-10-10): it stays.
        assert_eq!(
            cals.period_end(d("2026-09-10"), 30).unwrap(),
            d("2026-10-10")
        );
    }

    #[test]
    fn a_period_running_into_an_unpublished_year_says_so() {
        let cals = Calendars::new([calendar_2026()]);
        assert_eq!(
            cals.period_end(d("2026-12-20"), 30),
            Err(CalendarMissing(2027))
        );
    }

    #[test]
    fn broken_calendars_name_the_fault() {
        let mut c = calendar_2026();
        c.working_weekends.insert(d("2026-03-04"));
        assert_eq!(
            c.validate(),
            Err(CalendarError::NotAWeekend(d("2026-03-04")))
        );

        let mut c = calendar_2026();
        c.holidays.insert(d("2027-01-01"));
        assert_eq!(
            c.validate(),
            Err(CalendarError::OutsideYear {
                field: "holidays",
                date: d("2027-01-01"),
                year: 2026
            })
        );

        let mut c = calendar_2026();
        c.holidays.insert(d("2026-10-10"));
        assert_eq!(
            c.validate(),
            Err(CalendarError::BothHolidayAndWorking(d("2026-10-10")))
        );

        let mut c = calendar_2026();
        c.year = 1800;
        assert_eq!(c.validate(), Err(CalendarError::YearOutOfRange(1800)));
    }
}
