//! The leadership schedule (领导日程): when an activity takes place (a time
//! span, whole days, or a half-day slot 上午 / 下午 / 晚上), who may see it,
//! and the rules that keep a leader in one place at a time — an overlap is
//! refused unless overridden with a reason, and two places too close in time
//! for the journey between them are warned of.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::FieldIssue;

/// The longest an activity may run, in days (a trip is an away report).
pub const MAX_SPAN_DAYS: i64 = 31;

/// A half-day slot of the weekly table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum HalfDay {
    /// 上午
    Morning,
    /// 下午
    Afternoon,
    /// 晚上
    Evening,
}

impl HalfDay {
    pub const ALL: [HalfDay; 3] = [HalfDay::Morning, HalfDay::Afternoon, HalfDay::Evening];

    /// The slot's name as the table heads its column.
    pub fn label(self) -> &'static str {
        match self {
            HalfDay::Morning => "上午",
            HalfDay::Afternoon => "下午",
            HalfDay::Evening => "晚上",
        }
    }

    /// The hours a slot stands for when no time is given: 上午 08:00–12:00,
    /// 下午 12:00–18:00, 晚上 18:00–24:00.
    pub fn hours(self) -> (NaiveTime, Option<NaiveTime>) {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        match self {
            HalfDay::Morning => (at(8), Some(at(12))),
            HalfDay::Afternoon => (at(12), Some(at(18))),
            HalfDay::Evening => (at(18), None),
        }
    }

    /// The slot a time of day falls in.
    pub fn of(time: NaiveTime) -> HalfDay {
        let hour = chrono::Timelike::hour(&time);
        match hour {
            0..12 => HalfDay::Morning,
            12..18 => HalfDay::Afternoon,
            _ => HalfDay::Evening,
        }
    }
}

/// When an activity takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum When {
    /// From a time to a later one (China's time).
    Timed {
        #[ts(type = "string")]
        start: NaiveDateTime,
        #[ts(type = "string")]
        end: NaiveDateTime,
    },
    /// Whole days, the last one included.
    AllDay { from: NaiveDate, to: NaiveDate },
    /// One half-day slot of a day.
    HalfDay { day: NaiveDate, slot: HalfDay },
}

impl When {
    /// The span it takes, start included and end excluded.
    pub fn span(&self) -> (NaiveDateTime, NaiveDateTime) {
        match self {
            When::Timed { start, end } => (*start, *end),
            When::AllDay { from, to } => (
                from.and_time(NaiveTime::MIN),
                to.and_time(NaiveTime::MIN) + Duration::days(1),
            ),
            When::HalfDay { day, slot } => {
                let (start, end) = slot.hours();
                (
                    day.and_time(start),
                    end.map_or_else(
                        || day.and_time(NaiveTime::MIN) + Duration::days(1),
                        |end| day.and_time(end),
                    ),
                )
            }
        }
    }

    /// Its own rules: an end after its start, within [`MAX_SPAN_DAYS`].
    pub fn issues(&self) -> Vec<FieldIssue> {
        let (start, end) = self.span();
        if end <= start {
            return vec![FieldIssue::new("when", "结束时间须晚于开始时间")];
        }
        if end - start > Duration::days(MAX_SPAN_DAYS) {
            return vec![FieldIssue::new(
                "when",
                format!("一项活动最长 {MAX_SPAN_DAYS} 天；更长的外出请填外出报备"),
            )];
        }
        Vec::new()
    }

    /// The half-day cells of the weekly table it fills: each day it touches
    /// with the slots its hours reach.
    pub fn cells(&self) -> Vec<(NaiveDate, HalfDay)> {
        match self {
            When::HalfDay { day, slot } => vec![(*day, *slot)],
            When::AllDay { from, to } => from
                .iter_days()
                .take_while(|d| d <= to)
                .flat_map(|d| HalfDay::ALL.map(|s| (d, s)))
                .collect(),
            When::Timed { start, end } => {
                let mut cells = Vec::new();
                let last = *end - Duration::seconds(1);
                for day in start.date().iter_days().take_while(|d| *d <= last.date()) {
                    for slot in HalfDay::ALL {
                        let (from, to) = When::HalfDay { day, slot }.span();
                        if *start < to && from < *end {
                            cells.push((day, slot));
                        }
                    }
                }
                cells
            }
        }
    }
}

/// The span from the start of one half-day to the end of another (an away
/// report's days), start included, end excluded.
pub fn slots_span(
    from: (NaiveDate, HalfDay),
    to: (NaiveDate, HalfDay),
) -> (NaiveDateTime, NaiveDateTime) {
    let start = When::HalfDay {
        day: from.0,
        slot: from.1,
    }
    .span()
    .0;
    let end = When::HalfDay {
        day: to.0,
        slot: to.1,
    }
    .span()
    .1;
    (start, end)
}

/// The half-day cells from one to another, both included.
pub fn slots_between(
    from: (NaiveDate, HalfDay),
    to: (NaiveDate, HalfDay),
) -> Vec<(NaiveDate, HalfDay)> {
    from.0
        .iter_days()
        .take_while(|d| *d <= to.0)
        .flat_map(|d| HalfDay::ALL.map(|s| (d, s)))
        .filter(|cell| *cell >= from && *cell <= to)
        .collect()
}

/// Who may see an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// 公开: the whole department.
    Public,
    /// 内部: the office (its staff, the secretaries and the leaders).
    Internal,
    /// 机密: the leaders it is for and their secretaries only.
    Confidential,
}

/// Whether two spans overlap (touching ends do not).
pub fn overlaps(a: (NaiveDateTime, NaiveDateTime), b: (NaiveDateTime, NaiveDateTime)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether a leader leaving one place at `first_end` can reach another by
/// `next_start`: two different places with less than `travel` between
/// them are too close. The same place (or none given) never is.
pub fn too_close(
    first: (NaiveDateTime, &str),
    next: (NaiveDateTime, &str),
    travel: Duration,
) -> bool {
    let (first_end, first_place) = first;
    let (next_start, next_place) = next;
    let (a, b) = (first_place.trim(), next_place.trim());
    !a.is_empty()
        && !b.is_empty()
        && a != b
        && next_start >= first_end
        && next_start - first_end < travel
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_time_falls_in_its_half_day_and_an_activity_fills_its_cells() {
        let cases = [
            ("07:30", HalfDay::Morning),
            ("12:00", HalfDay::Afternoon),
            ("19:30", HalfDay::Evening),
        ];
        for (time, slot) in cases {
            assert_eq!(
                HalfDay::of(NaiveTime::parse_from_str(time, "%H:%M").unwrap()),
                slot
            );
        }
        let meeting = When::Timed {
            start: at("2026-03-02 09:00"),
            end: at("2026-03-02 15:00"),
        };
        assert_eq!(
            meeting.cells(),
            [
                (day("2026-03-02"), HalfDay::Morning),
                (day("2026-03-02"), HalfDay::Afternoon)
            ]
        );
        let days = When::AllDay {
            from: day("2026-03-02"),
            to: day("2026-03-03"),
        };
        assert_eq!(days.cells().len(), 6);
        assert_eq!(
            days.span().1,
            at("2026-03-04 00:00"),
            "the last day included"
        );
        let evening = When::HalfDay {
            day: day("2026-03-02"),
            slot: HalfDay::Evening,
        };
        assert_eq!(
            evening.span(),
            (at("2026-03-02 18:00"), at("2026-03-03 00:00"))
        );
    }

    #[test]
    fn an_away_report_fills_its_half_days_from_one_to_the_other() {
        let cells = slots_between(
            (day("2026-03-02"), HalfDay::Afternoon),
            (day("2026-03-03"), HalfDay::Morning),
        );
        assert_eq!(
            cells,
            [
                (day("2026-03-02"), HalfDay::Afternoon),
                (day("2026-03-02"), HalfDay::Evening),
                (day("2026-03-03"), HalfDay::Morning)
            ]
        );
        let span = slots_span(
            (day("2026-03-02"), HalfDay::Afternoon),
            (day("2026-03-03"), HalfDay::Morning),
        );
        assert_eq!(span, (at("2026-03-02 12:00"), at("2026-03-03 12:00")));
    }

    #[test]
    fn an_end_before_its_start_or_a_month_long_activity_is_refused() {
        let backwards = When::Timed {
            start: at("2026-03-02 10:00"),
            end: at("2026-03-02 09:00"),
        };
        assert_eq!(backwards.issues()[0].field, "when");
        let long = When::AllDay {
            from: day("2026-03-01"),
            to: day("2026-04-15"),
        };
        assert_eq!(long.issues().len(), 1);
    }

    #[test]
    fn overlaps_and_journeys_too_short() {
        let a = (at("2026-03-02 09:00"), at("2026-03-02 10:00"));
        let b = (at("2026-03-02 10:00"), at("2026-03-02 11:00"));
        let c = (at("2026-03-02 09:30"), at("2026-03-02 09:45"));
        assert!(!overlaps(a, b), "touching ends do not overlap");
        assert!(overlaps(a, c));
        let half_hour = Duration::minutes(30);
        assert!(too_close((a.1, "厅机关"), (b.0, "省政府"), half_hour));
        assert!(!too_close((a.1, "厅机关"), (b.0, "厅机关"), half_hour));
        assert!(!too_close(
            (a.1, "厅机关"),
            (at("2026-03-02 10:30"), "省政府"),
            half_hour
        ));
    }
}
