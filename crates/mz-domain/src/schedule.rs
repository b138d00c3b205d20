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

/// The most occurrences one series may have, and the longest it may run.
pub const MAX_OCCURRENCES: u16 = 1_000;
pub const MAX_SERIES_DAYS: i64 = 3 * 366;

/// How an activity repeats: an iCalendar recurrence rule (RFC 5545 RRULE,
/// `FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T155959Z`) read in China's time from
/// the activity's start, its occurrences on rest days skipped when asked
/// (from the synced holiday calendar: a weekly meeting does not fall on
/// 国庆), and the occurrences taken out by their start (EXDATE: one
/// cancelled, or one moved to a record of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    pub rule: String,
    #[serde(default)]
    pub skip_rest_days: bool,
    #[serde(default)]
    #[ts(type = "Array<string>")]
    pub except: Vec<NaiveDateTime>,
}

/// China's zone, as the rules read a start.
fn china(at: NaiveDateTime) -> Result<chrono::DateTime<rrule::Tz>, String> {
    use chrono::TimeZone;
    rrule::Tz::Tz(chrono_tz::Asia::Shanghai)
        .from_local_datetime(&at)
        .single()
        .ok_or_else(|| format!("{at} 不是北京时间中的时刻"))
}

/// A rule in the form the schedule keeps it: upper case, no `RRULE:`
/// prefix, and UNTIL in UTC as RFC 5545 requires beside a start with a time
/// zone (many files write a date or a floating time there: the day's end,
/// or that time, in China).
pub fn normal_rule(rule: &str) -> Result<String, String> {
    let text = rule.trim();
    let text = text
        .strip_prefix("RRULE:")
        .or_else(|| text.strip_prefix("rrule:"))
        .unwrap_or(text);
    let mut parts = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("“{part}”不是“名称=值”"))?;
        let name = name.trim().to_ascii_uppercase();
        let value = value.trim().to_ascii_uppercase();
        if name == "UNTIL" {
            parts.push(format!("UNTIL={}", utc_until(&value)?));
        } else {
            parts.push(format!("{name}={value}"));
        }
    }
    if parts.is_empty() {
        return Err("重复规则为空".to_owned());
    }
    // One order for the same rule, whoever wrote it (a calendar that reads
    // the file and writes it again may reorder the parts).
    parts.sort_by_key(|part| {
        let name = part.split('=').next().unwrap_or_default();
        RULE_ORDER
            .iter()
            .position(|n| *n == name)
            .unwrap_or(RULE_ORDER.len())
    });
    Ok(parts.join(";"))
}

/// The order a rule's parts are kept in.
const RULE_ORDER: [&str; 14] = [
    "FREQ",
    "INTERVAL",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYSETPOS",
    "WKST",
    "COUNT",
    "UNTIL",
];

fn utc_until(value: &str) -> Result<String, String> {
    let bad = || format!("截止时间“{value}”不是日期");
    let local = if let Some(utc) = value.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
            .map_err(|_| bad());
    } else if value.len() == 8 {
        NaiveDate::parse_from_str(value, "%Y%m%d")
            .map_err(|_| bad())?
            .and_hms_opt(23, 59, 59)
            .ok_or_else(bad)?
    } else {
        NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").map_err(|_| bad())?
    };
    Ok((local - Duration::hours(8))
        .format("%Y%m%dT%H%M%SZ")
        .to_string())
}

impl Repeat {
    /// The rule bound to its first start, as the rrule crate expands it.
    fn rule_set(&self, first: NaiveDateTime) -> Result<rrule::RRuleSet, String> {
        let text = normal_rule(&self.rule)?;
        let rule: rrule::RRule<rrule::Unvalidated> = text
            .parse()
            .map_err(|_: rrule::RRuleError| format!("重复规则“{text}”读不通"))?;
        let frequency = rule.get_freq();
        if !matches!(
            frequency,
            rrule::Frequency::Daily
                | rrule::Frequency::Weekly
                | rrule::Frequency::Monthly
                | rrule::Frequency::Yearly
        ) {
            return Err("重复只能按天、周、月或年".to_owned());
        }
        if rule.get_count().is_none() && rule.get_until().is_none() {
            return Err("重复须有截止日期或次数，不能无限重复".to_owned());
        }
        let start = china(first)?;
        if rule.get_until().is_some_and(|until| *until < start) {
            return Err("重复的截止日期早于第一次活动".to_owned());
        }
        rule.build(start)
            .map_err(|_| format!("重复规则“{text}”的取值不成立"))
    }

    /// The starts of its occurrences from `first` (which must be the rule's
    /// first: a series starts on one of its days), those on
    /// rest days skipped when the repeat says so (`rest` tells a rest day),
    /// the ones taken out left out.
    pub fn starts(
        &self,
        first: NaiveDateTime,
        rest: &dyn Fn(NaiveDate) -> bool,
    ) -> Result<Vec<NaiveDateTime>, String> {
        let expanded = self.rule_set(first)?.all(MAX_OCCURRENCES + 1);
        if expanded.dates.len() > usize::from(MAX_OCCURRENCES) {
            return Err(format!("重复最多 {MAX_OCCURRENCES} 次"));
        }
        let mut starts: Vec<NaiveDateTime> =
            expanded.dates.iter().map(|d| d.naive_local()).collect();
        match starts.first() {
            None => return Err("这条重复规则一次也不发生".to_owned()),
            Some(one) if *one != first => {
                return Err(format!(
                    "第一次活动须是重复中的一次：按这条规则，第一次应在 {}",
                    one.format("%Y-%m-%d %H:%M")
                ));
            }
            Some(_) => {}
        }
        if let Some(last) = starts.last()
            && *last - first > Duration::days(MAX_SERIES_DAYS)
        {
            return Err(format!(
                "重复最长 {} 年：请把截止日期定在 {} 之前",
                MAX_SERIES_DAYS / 366,
                (first + Duration::days(MAX_SERIES_DAYS)).date()
            ));
        }
        starts.retain(|s| !self.except.contains(s));
        if self.skip_rest_days {
            starts.retain(|s| !rest(s.date()));
        }
        Ok(starts)
    }

    /// Its own rules over `when` (its first occurrence): a rule that reads,
    /// by day, week, month or year, that ends (UNTIL or COUNT) within
    /// [`MAX_OCCURRENCES`] and [`MAX_SERIES_DAYS`], and that yields an
    /// occurrence (rest days are judged where the calendar is at hand).
    pub fn issues(&self, when: &When) -> Vec<FieldIssue> {
        match self.starts(when.span().0, &|_| false) {
            Ok(starts) if starts.is_empty() => {
                vec![FieldIssue::new("repeat.rule", "这条重复规则一次也不发生")]
            }
            Ok(_) => Vec::new(),
            Err(message) => vec![FieldIssue::new("repeat.rule", message)],
        }
    }

    /// The rule as the table and the form say it: 每周一、三，至 2026-12-31，
    /// 遇节假日不安排. A rule the form did not make is given as written.
    pub fn describe(&self) -> String {
        let Ok(text) = normal_rule(&self.rule) else {
            return self.rule.clone();
        };
        let mut freq = "";
        let mut interval = 1u32;
        let mut days: Vec<&str> = Vec::new();
        let mut ends = String::new();
        let mut plain = true;
        for part in text.split(';') {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            match name {
                "FREQ" => freq = value,
                "INTERVAL" => interval = value.parse().unwrap_or(1),
                "BYDAY" => days = value.split(',').collect(),
                "COUNT" => ends = format!("，共 {value} 次"),
                "UNTIL" => {
                    ends = match NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ") {
                        Ok(utc) => format!("，至 {}", (utc + Duration::hours(8)).date()),
                        Err(_) => format!("，至 {value}"),
                    }
                }
                "WKST" => {}
                _ => plain = false,
            }
        }
        let day_name = |code: &str| -> Option<String> {
            let (nth, wd) = code.split_at(code.len().saturating_sub(2));
            let name = match wd {
                "MO" => "一",
                "TU" => "二",
                "WE" => "三",
                "TH" => "四",
                "FR" => "五",
                "SA" => "六",
                "SU" => "日",
                _ => return None,
            };
            match nth {
                "" => Some(name.to_owned()),
                "-1" => Some(format!("最后一个星期{name}")),
                n => n.parse::<u8>().ok().map(|n| format!("第{n}个星期{name}")),
            }
        };
        let names: Option<Vec<String>> = days.iter().map(|d| day_name(d)).collect();
        let every = |unit: &str| {
            if interval == 1 {
                format!("每{unit}")
            } else {
                format!("每{interval}{unit}")
            }
        };
        let head = match (freq, names) {
            ("DAILY", _) if days.is_empty() => every("天"),
            ("WEEKLY", Some(names)) if !names.is_empty() => {
                format!("{}{}", every("周"), names.join("、"))
            }
            ("WEEKLY", _) => every("周"),
            ("MONTHLY", Some(names)) if !names.is_empty() => {
                format!("{}{}", every("月"), names.join("、"))
            }
            ("MONTHLY", _) => every("月"),
            ("YEARLY", _) => every("年"),
            _ => {
                plain = false;
                String::new()
            }
        };
        if !plain {
            return format!("按规则 {text}");
        }
        let skip = if self.skip_rest_days {
            "，遇节假日不安排"
        } else {
            ""
        };
        format!("{head}{ends}{skip}")
    }
}

impl When {
    /// The same span moved by `by` (an occurrence of a series).
    pub fn shifted(&self, by: Duration) -> When {
        let days = by.num_days();
        match self {
            When::Timed { start, end } => When::Timed {
                start: *start + by,
                end: *end + by,
            },
            When::AllDay { from, to } => When::AllDay {
                from: *from + Duration::days(days),
                to: *to + Duration::days(days),
            },
            When::HalfDay { day, slot } => When::HalfDay {
                day: *day + Duration::days(days),
                slot: *slot,
            },
        }
    }
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

    fn weekly(rule: &str) -> Repeat {
        Repeat {
            rule: rule.to_owned(),
            skip_rest_days: false,
            except: Vec::new(),
        }
    }

    #[test]
    fn a_weekly_meeting_skips_the_rest_days_and_the_occurrences_taken_out() {
        // 2026-10-05 is a Monday of the National Day holiday.
        let rest = |d: NaiveDate| d == day("2026-10-05");
        let mut repeat = weekly("freq=weekly;byday=MO;until=20261019");
        let first = at("2026-09-28 09:00");
        assert_eq!(
            repeat.starts(first, &rest).unwrap(),
            [
                at("2026-09-28 09:00"),
                at("2026-10-05 09:00"),
                at("2026-10-12 09:00"),
                at("2026-10-19 09:00")
            ],
            "UNTIL is inclusive (a date is the end of that day in China)"
        );
        repeat.skip_rest_days = true;
        repeat.except = vec![at("2026-10-12 09:00")];
        assert_eq!(
            repeat.starts(first, &rest).unwrap(),
            [at("2026-09-28 09:00"), at("2026-10-19 09:00")]
        );
        assert_eq!(repeat.describe(), "每周一，至 2026-10-19，遇节假日不安排");
        assert_eq!(
            normal_rule("RRULE:freq=weekly;until=20261019;byday=MO").unwrap(),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261019T155959Z",
            "one order of the parts, UNTIL in UTC"
        );
    }

    #[test]
    fn the_first_monday_of_each_month() {
        let repeat = weekly("FREQ=MONTHLY;BYDAY=1MO;COUNT=3");
        let starts = repeat.starts(at("2026-09-07 15:00"), &|_| false).unwrap();
        assert_eq!(
            starts,
            [
                at("2026-09-07 15:00"),
                at("2026-10-05 15:00"),
                at("2026-11-02 15:00")
            ]
        );
        assert_eq!(repeat.describe(), "每月第1个星期一，共 3 次");
    }

    #[test]
    fn a_rule_that_never_ends_reads_wrong_or_yields_nothing_is_refused() {
        let when = When::Timed {
            start: at("2026-09-07 09:00"),
            end: at("2026-09-07 10:00"),
        };
        let cases = [
            ("FREQ=WEEKLY;BYDAY=MO", "不能无限重复"),
            ("FREQ=HOURLY;COUNT=3", "按天、周、月或年"),
            ("FREQ=WEEKLY;UNTIL=20260901", "早于第一次活动"),
            (
                "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
                "第一次应在 2026-09-08 09:00",
            ),
            ("FREQ=DAILY;COUNT=1001", "最多 1000 次"),
            ("FREQ=MONTHLY;UNTIL=20300101", "最长 3 年"),
            ("FREQ=WEEKLY;BYDAY=XX;COUNT=2", "读不通"),
            ("不是规则", "不是“名称=值”"),
        ];
        for (rule, message) in cases {
            let issues = weekly(rule).issues(&when);
            assert_eq!(issues.len(), 1, "{rule}");
            assert_eq!(issues[0].field, "repeat.rule");
            assert!(
                issues[0].message.contains(message),
                "{rule}: {}",
                issues[0].message
            );
        }
        let mut all_taken = weekly("FREQ=WEEKLY;COUNT=1");
        all_taken.except = vec![at("2026-09-07 09:00")];
        assert!(all_taken.issues(&when)[0].message.contains("一次也不发生"));
        assert!(weekly("FREQ=WEEKLY;COUNT=2").issues(&when).is_empty());
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
