//! iCalendar (RFC 5545) documents of the leadership schedule: the feed or
//! file written from the activities (for the leaders' phones and other
//! calendars), and a file read back into activities (an import). Built and
//! parsed with the `icalendar` crate; every time is China's (UTC+8).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use icalendar::parser::{self, Component as Parsed, Property as ParsedProperty};
use icalendar::{
    CalendarDateTime, Class, Component, DatePerhapsTime, Event, EventLike, EventStatus, Parameter,
    Property, Trigger,
};
use mz_domain::FieldIssue;
use mz_domain::schedule::{HalfDay, Repeat, Visibility, When};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ActivityData, OccurrenceOf};

/// The largest file read, and the most events in it.
pub const MAX_ICS_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_ICS_EVENTS: usize = 5_000;

/// The zone every time of the schedule is in.
const ZONE: &str = "Asia/Shanghai";
/// What follows a record's id in the UID the desk writes.
const UID_SUFFIX: &str = "@minzheng-desk";
const PRODID: &str = "-//Hunan Civil Affairs//Minzheng Desk//ZH";

/// What a feed or file does with confidential activities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConfidentialAs {
    /// As any other activity.
    Shown,
    /// Its time only, as 忙 (busy): no place, people or description.
    Busy,
    /// Left out.
    Omitted,
}

/// How a calendar is written.
pub struct WriteOptions<'a> {
    /// The calendar's name (X-WR-CALNAME).
    pub name: &'a str,
    /// When it is written (every DTSTAMP).
    pub stamp: DateTime<Utc>,
    pub confidential: ConfidentialAs,
    /// How often a subscribed calendar should fetch it again
    /// (REFRESH-INTERVAL and X-PUBLISHED-TTL).
    pub refresh_minutes: Option<u32>,
    /// Whether a day is a rest day (a series that skips them writes them
    /// out as EXDATEs for the calendars that do not know China's holidays).
    pub rest: &'a dyn Fn(NaiveDate) -> bool,
}

impl std::fmt::Debug for WriteOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteOptions")
            .field("name", &self.name)
            .field("stamp", &self.stamp)
            .field("confidential", &self.confidential)
            .field("refresh_minutes", &self.refresh_minutes)
            .finish_non_exhaustive()
    }
}

/// One record to write: its id, its body, and the leaders' display names
/// (for DESCRIPTION).
#[derive(Debug, Clone, Copy)]
pub struct CalendarItem<'a> {
    pub id: Uuid,
    pub data: &'a ActivityData,
    pub leader_names: &'a [String],
}

/// One activity read from a file: its id (the desk's own for a UID it
/// wrote, else stable for the UID), the UID as the file gives it, and the
/// body. `data.leaders` is empty unless the file carries X-MZ-LEADERS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedActivity {
    pub id: Uuid,
    pub uid: String,
    pub data: ActivityData,
}

// ---------------------------------------------------------------- writing

/// The calendar of `items`, in their order: a VTIMEZONE for China's zone,
/// then a VEVENT for each record (an occurrence record beside its series,
/// by the series' UID and RECURRENCE-ID). Pure: the same input gives the
/// same text.
pub fn write_calendar(items: &[CalendarItem<'_>], options: &WriteOptions<'_>) -> String {
    let hidden = |data: &ActivityData| {
        data.visibility == Visibility::Confidential
            && options.confidential == ConfidentialAs::Omitted
    };
    let omitted: HashSet<Uuid> = items
        .iter()
        .filter(|i| hidden(i.data))
        .map(|i| i.id)
        .collect();
    let written: Vec<&CalendarItem<'_>> = items
        .iter()
        .filter(|i| {
            !omitted.contains(&i.id)
                && i.data
                    .occurrence_of
                    .as_ref()
                    .is_none_or(|o| !omitted.contains(&o.series))
        })
        .collect();
    let moved: HashSet<(Uuid, NaiveDateTime)> = written
        .iter()
        .filter_map(|i| i.data.occurrence_of.as_ref().map(|o| (o.series, o.start)))
        .collect();
    let all_day: HashSet<Uuid> = items
        .iter()
        .filter(|i| matches!(i.data.when, When::AllDay { .. }))
        .map(|i| i.id)
        .collect();

    let mut out = String::from("BEGIN:VCALENDAR\r\n");
    for property in calendar_properties(options) {
        out.push_str(&line(property));
    }
    out.push_str(&china_zone());
    for item in written {
        let event = event(item, options, &moved, &all_day);
        out.push_str(&event.try_into_string().unwrap_or_default());
    }
    out.push_str("END:VCALENDAR\r\n");
    fold_overlong(out)
}

/// The crate folds long lines, but leaves a last continuation line of 76
/// octets when exactly 75 are left (its limit forgets the leading space):
/// such a line is folded once more, so that none is over 75 (RFC 5545
/// §3.1).
fn fold_overlong(text: String) -> String {
    const LIMIT: usize = 75;
    if text.split("\r\n").all(|l| l.len() <= LIMIT) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive("\r\n") {
        let (body, end) = line
            .strip_suffix("\r\n")
            .map_or((line, ""), |body| (body, "\r\n"));
        let mut piece = body.to_owned();
        while piece.len() > LIMIT {
            let cut = (1..=LIMIT)
                .rev()
                .find(|i| piece.is_char_boundary(*i))
                .unwrap_or(LIMIT);
            let Some((head, tail)) = piece.split_at_checked(cut) else {
                break;
            };
            out.push_str(head);
            out.push_str("\r\n");
            piece = format!(" {tail}");
        }
        out.push_str(&piece);
        out.push_str(end);
    }
    out
}

/// A property as its (escaped, folded) content line.
fn line(property: Property) -> String {
    TryInto::<String>::try_into(property).unwrap_or_default()
}

fn calendar_properties(options: &WriteOptions<'_>) -> Vec<Property> {
    let mut properties = vec![
        Property::new("VERSION", "2.0"),
        Property::new("PRODID", PRODID),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("METHOD", "PUBLISH"),
        Property::new("X-WR-CALNAME", options.name),
        Property::new("X-WR-TIMEZONE", ZONE),
    ];
    if let Some(minutes) = options.refresh_minutes {
        let (hours, rest) = (minutes / 60, minutes % 60);
        let duration = match (hours, rest) {
            (0, m) => format!("PT{m}M"),
            (h, 0) => format!("PT{h}H"),
            (h, m) => format!("PT{h}H{m}M"),
        };
        properties.push(
            Property::new("REFRESH-INTERVAL", &duration)
                .append_parameter(Parameter::new("VALUE", "DURATION"))
                .done(),
        );
        properties.push(Property::new("X-PUBLISHED-TTL", duration));
    }
    properties
}

/// China's zone as a VTIMEZONE: one fixed offset, no summer time.
fn china_zone() -> String {
    let mut out = String::from("BEGIN:VTIMEZONE\r\n");
    out.push_str(&line(Property::new("TZID", ZONE)));
    out.push_str("BEGIN:STANDARD\r\n");
    for (key, value) in [
        ("DTSTART", "19700101T000000"),
        ("TZOFFSETFROM", "+0800"),
        ("TZOFFSETTO", "+0800"),
        ("TZNAME", "CST"),
    ] {
        out.push_str(&line(Property::new(key, value)));
    }
    out.push_str("END:STANDARD\r\nEND:VTIMEZONE\r\n");
    out
}

fn desk_uid(id: Uuid) -> String {
    format!("{id}{UID_SUFFIX}")
}

/// A time of the schedule, with China's zone named.
fn china(at: NaiveDateTime) -> DatePerhapsTime {
    CalendarDateTime::WithTimezone {
        date_time: at,
        tzid: ZONE.to_owned(),
    }
    .into()
}

/// An occurrence's start as its series' DTSTART has it: a date for an
/// all-day series, else the time.
fn start_of(at: NaiveDateTime, all_day: bool) -> DatePerhapsTime {
    if all_day && at.time() == NaiveTime::MIN {
        at.date().into()
    } else {
        china(at)
    }
}

fn slot_name(slot: HalfDay) -> &'static str {
    match slot {
        HalfDay::Morning => "morning",
        HalfDay::Afternoon => "afternoon",
        HalfDay::Evening => "evening",
    }
}

fn slot_named(name: &str) -> Option<HalfDay> {
    HalfDay::ALL
        .into_iter()
        .find(|s| slot_name(*s).eq_ignore_ascii_case(name.trim()))
}

/// The lines a person reads on a phone: the leaders, who organises,
/// attends and accompanies.
fn description(data: &ActivityData, leader_names: &[String]) -> String {
    let lines = [
        ("领导", leader_names.join("、")),
        ("主办", data.organiser.clone()),
        ("参加", data.attendees.join("、")),
        ("陪同", data.accompany.join("、")),
    ];
    lines
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| format!("{label}：{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn event(
    item: &CalendarItem<'_>,
    options: &WriteOptions<'_>,
    moved: &HashSet<(Uuid, NaiveDateTime)>,
    all_day: &HashSet<Uuid>,
) -> Event {
    let data = item.data;
    let busy =
        data.visibility == Visibility::Confidential && options.confidential == ConfidentialAs::Busy;
    let mut event = Event::new();
    match &data.occurrence_of {
        Some(of) => {
            event.uid(&desk_uid(of.series));
            event.recurrence_id(start_of(of.start, all_day.contains(&of.series)));
            event.add_property("X-MZ-ID", item.id.to_string());
        }
        None => {
            event.uid(&desk_uid(item.id));
        }
    }
    event.timestamp(options.stamp);
    event.sequence(data.sequence.unwrap_or(0));
    event.summary(if busy { "忙" } else { &data.content });
    match &data.when {
        When::Timed { start, end } => {
            event.starts(china(*start));
            event.ends(china(*end));
        }
        When::AllDay { from, to } => {
            event.starts(*from);
            event.ends(*to + Duration::days(1));
        }
        When::HalfDay { slot, .. } => {
            let (start, end) = data.when.span();
            event.starts(china(start));
            event.ends(china(end));
            event.add_property("X-MZ-SLOT", slot_name(*slot));
        }
    }
    if !busy {
        if !data.place.is_empty() {
            event.location(&data.place);
        }
        let text = description(data, item.leader_names);
        if !text.is_empty() {
            event.description(&text);
        }
        for leader in &data.leaders {
            event.append_multi_property(Property::new("X-MZ-LEADERS", leader));
        }
        if !data.organiser.is_empty() {
            event.add_property("X-MZ-ORGANISER", &data.organiser);
        }
        for person in &data.attendees {
            event.append_multi_property(Property::new("X-MZ-ATTENDEES", person));
        }
        for person in &data.accompany {
            event.append_multi_property(Property::new("X-MZ-ACCOMPANY", person));
        }
        if let Some(reason) = &data.override_reason {
            event.add_property("X-MZ-OVERRIDE-REASON", reason);
        }
    }
    event.class(match data.visibility {
        Visibility::Public => Class::Public,
        Visibility::Internal => Class::Private,
        Visibility::Confidential => Class::Confidential,
    });
    event.status(if data.cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    event.add_property("TRANSP", "OPAQUE");
    if let Some(repeat) = &data.repeat {
        write_repeat(&mut event, item, repeat, options, moved);
    }
    event.done()
}

/// RRULE as stored; an EXDATE for each start taken out that no record of
/// the file moves (those are VEVENTs of their own), and, for a series that
/// skips rest days, for each of its occurrences on one.
fn write_repeat(
    event: &mut Event,
    item: &CalendarItem<'_>,
    repeat: &Repeat,
    options: &WriteOptions<'_>,
    moved: &HashSet<(Uuid, NaiveDateTime)>,
) {
    let data = item.data;
    let is_all_day = matches!(data.when, When::AllDay { .. });
    // RFC 5545: UNTIL has the value type of DTSTART — a date for whole days.
    let rule = if is_all_day {
        all_day_until(&repeat.rule)
    } else {
        repeat.rule.clone()
    };
    event.add_property("RRULE", &rule);
    let mut excluded = HashSet::new();
    for start in &repeat.except {
        if !moved.contains(&(item.id, *start)) && excluded.insert(*start) {
            event.exdate(start_of(*start, is_all_day));
        }
    }
    if repeat.skip_rest_days {
        event.add_property("X-MZ-SKIP-REST-DAYS", "TRUE");
        let plain = Repeat {
            rule: repeat.rule.clone(),
            skip_rest_days: false,
            except: Vec::new(),
        };
        let starts = plain
            .starts(data.when.span().0, &|_| false)
            .unwrap_or_default();
        for start in starts {
            if (options.rest)(start.date())
                && !moved.contains(&(item.id, start))
                && excluded.insert(start)
            {
                event.exdate(start_of(start, is_all_day));
            }
        }
    }
}

// ---------------------------------------------------------------- reading

/// A zone a file defines, as far as it can be read.
#[derive(Debug, Clone, Copy)]
enum Zone {
    /// An IANA name (with its summer time).
    Named(chrono_tz::Tz),
    /// One fixed offset east of UTC, in seconds.
    Fixed(i32),
    Unknown,
}

/// A date or time of a file, the time in China's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moment {
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl Moment {
    /// The time it stands for, a date at the time of day `of` gives.
    fn at(self, of: NaiveDateTime) -> NaiveDateTime {
        match self {
            Moment::Date(day) => day.and_time(of.time()),
            Moment::Time(at) => at,
        }
    }
}

/// One VEVENT as read, before its series are joined up.
struct Read {
    /// 1-based, in file order.
    n: usize,
    /// “summary”, or 第 n 项 when it has none.
    label: String,
    uid: String,
    recurrence: Option<Moment>,
    own_id: Option<Uuid>,
    exdates: Vec<Moment>,
    skip_rest_days: bool,
    data: ActivityData,
}

fn is(name: &str, wanted: &str) -> bool {
    name.eq_ignore_ascii_case(wanted)
}

fn props<'c, 'a>(
    component: &'c Parsed<'a>,
    name: &'c str,
) -> impl Iterator<Item = &'c ParsedProperty<'a>> {
    component
        .properties
        .iter()
        .filter(move |p| is(p.name.as_str(), name))
}

fn value<'c>(component: &'c Parsed<'_>, name: &'c str) -> Option<&'c str> {
    props(component, name).next().map(|p| p.val.as_str())
}

fn values<'c>(component: &'c Parsed<'_>, name: &'c str) -> Vec<String> {
    props(component, name)
        .map(|p| p.val.as_str().to_owned())
        .filter(|v| !v.trim().is_empty())
        .collect()
}

/// `+0800`, `-0500`, `+053000` in seconds east of UTC.
fn utc_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part =
        |range: std::ops::Range<usize>| digits.get(range).and_then(|d| d.parse::<i32>().ok());
    let seconds = part(0..2)? * 3600 + part(2..4)? * 60 + part(4..6).unwrap_or(0);
    Some(sign * seconds)
}

/// A VTIMEZONE by its TZID: an IANA name, else its one offset.
fn zone(component: &Parsed<'_>) -> Option<(String, Zone)> {
    let tzid = value(component, "TZID")?.trim().to_owned();
    if let Ok(tz) = tzid.parse::<chrono_tz::Tz>() {
        return Some((tzid, Zone::Named(tz)));
    }
    let offsets: Vec<Option<i32>> = component
        .components
        .iter()
        .filter(|c| is(c.name.as_str(), "STANDARD") || is(c.name.as_str(), "DAYLIGHT"))
        .map(|c| value(c, "TZOFFSETTO").and_then(utc_offset))
        .collect();
    let zone = match offsets.first() {
        Some(Some(first)) if offsets.iter().all(|o| *o == Some(*first)) => Zone::Fixed(*first),
        _ => Zone::Unknown,
    };
    Some((tzid, zone))
}

/// A local time of a zone in China's time.
fn to_china(local: NaiveDateTime, zone: Zone) -> Option<NaiveDateTime> {
    let utc = match zone {
        Zone::Named(tz) => tz
            .from_local_datetime(&local)
            .earliest()
            // A time skipped by the change to summer time: read as the
            // moment after the gap (RFC 5545 §3.3.5).
            .or_else(|| {
                tz.from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })?
            .naive_utc(),
        Zone::Fixed(seconds) => local - Duration::seconds(i64::from(seconds)),
        Zone::Unknown => return None,
    };
    Some(utc + Duration::hours(8))
}

/// A DATE or DATE-TIME property (one value) in China's time.
fn moment(
    property: &ParsedProperty<'_>,
    zones: &HashMap<String, Zone>,
    label: &str,
) -> Result<Moment, String> {
    let name = property.name.as_str().to_ascii_uppercase();
    let Ok(read) = DatePerhapsTime::try_from(property) else {
        return Err(format!(
            "{label}的 {name}“{}”不是日期或时间",
            property.val.as_str()
        ));
    };
    match read {
        DatePerhapsTime::Date(day) => Ok(Moment::Date(day)),
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)) => {
            Ok(Moment::Time(at.naive_utc() + Duration::hours(8)))
        }
        // A floating time is the reader's local time: China's.
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(at)) => Ok(Moment::Time(at)),
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            match zones.get(&tzid) {
                None => Err(format!(
                    "{label}的时区 {tzid} 在文件中没有定义（缺少 VTIMEZONE）"
                )),
                Some(zone) => to_china(date_time, *zone)
                    .map(Moment::Time)
                    .ok_or_else(|| format!("{label}的时区 {tzid} 无法识别")),
            }
        }
    }
}

/// The id a UID stands for: the desk's own, else one derived from it
/// (the same on each import of the file).
fn id_of(uid: &str) -> Uuid {
    uid.strip_suffix(UID_SUFFIX)
        .and_then(|id| Uuid::parse_str(id).ok())
        .unwrap_or_else(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, uid.as_bytes()))
}

/// The activities of an iCalendar file, in its order: each VEVENT a record
/// (a RECURRENCE-ID one an occurrence record of its series), its times in
/// China's, each checked as the desk checks an activity (but for its
/// leaders, which a file from elsewhere does not name). Any issue fails
/// the whole file, with every issue found.
pub fn read_calendar(
    text: &str,
    rest: &dyn Fn(NaiveDate) -> bool,
) -> Result<Vec<ImportedActivity>, Vec<FieldIssue>> {
    if text.len() > MAX_ICS_BYTES {
        return Err(vec![FieldIssue::new(
            "file",
            format!(
                "文件超过 {} MB，请分成几个文件导入",
                MAX_ICS_BYTES / 1024 / 1024
            ),
        )]);
    }
    let not_ics = || {
        vec![FieldIssue::new(
            "file",
            "文件不是 iCalendar 日历（应以 BEGIN:VCALENDAR 开头）",
        )]
    };
    let unfolded = parser::unfold(text.trim_start_matches('\u{feff}'));
    let roots = parser::read_components(&unfolded).map_err(|_| not_ics())?;
    let children: Vec<&Parsed<'_>> = roots
        .iter()
        .filter(|c| is(c.name.as_str(), "VCALENDAR"))
        .flat_map(|c| c.components.iter())
        .collect();
    if !roots.iter().any(|c| is(c.name.as_str(), "VCALENDAR")) {
        return Err(not_ics());
    }
    let zones: HashMap<String, Zone> = children
        .iter()
        .filter(|c| is(c.name.as_str(), "VTIMEZONE"))
        .filter_map(|c| zone(c))
        .collect();
    let events: Vec<&Parsed<'_>> = children
        .into_iter()
        .filter(|c| is(c.name.as_str(), "VEVENT"))
        .collect();
    if events.len() > MAX_ICS_EVENTS {
        return Err(vec![FieldIssue::new(
            "file",
            format!(
                "一个文件最多 {MAX_ICS_EVENTS} 项活动，这个文件有 {} 项",
                events.len()
            ),
        )]);
    }

    let mut issues = Vec::new();
    let mut reads: Vec<Read> = Vec::new();
    for (i, component) in events.iter().enumerate() {
        if let Some(read) = read_event(i + 1, component, &zones, &mut issues) {
            reads.push(read);
        }
    }
    let found = join_series(reads, rest, &mut issues);
    if issues.is_empty() {
        Ok(found)
    } else {
        Err(issues)
    }
}

/// One VEVENT on its own: its time, its text, its desk fields.
fn read_event(
    n: usize,
    component: &Parsed<'_>,
    zones: &HashMap<String, Zone>,
    issues: &mut Vec<FieldIssue>,
) -> Option<Read> {
    let field = |name: &str| format!("events[{n}].{name}");
    let summary = value(component, "SUMMARY")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let label = if summary.is_empty() {
        format!("第 {n} 项")
    } else {
        format!("“{summary}”")
    };
    let before = issues.len();
    if summary.is_empty() {
        issues.push(FieldIssue::new(
            field("SUMMARY"),
            format!("{label}缺少标题"),
        ));
    }
    let uid = value(component, "UID")
        .unwrap_or_default()
        .trim()
        .to_owned();
    if uid.is_empty() {
        issues.push(FieldIssue::new(field("UID"), format!("{label}缺少 UID")));
    }
    if props(component, "RDATE").next().is_some() {
        issues.push(FieldIssue::new(
            field("RDATE"),
            format!("{label}用 RDATE 列出额外的日期，本系统不支持，请改用重复规则"),
        ));
    }
    let mut one = |name: &str| -> Option<Moment> {
        let property = props(component, name).next()?;
        moment(property, zones, &label)
            .map_err(|message| issues.push(FieldIssue::new(field(name), message)))
            .ok()
    };
    let start = one("DTSTART");
    let end = one("DTEND");
    let recurrence = one("RECURRENCE-ID");
    let has_start = props(component, "DTSTART").next().is_some();
    let has_end = props(component, "DTEND").next().is_some();
    let duration = match value(component, "DURATION") {
        None => None,
        Some(text) => {
            let read = Trigger::try_from(&Property::new("TRIGGER", text.trim()))
                .ok()
                .and_then(|t| t.as_duration().copied())
                .filter(|d| *d > Duration::zero());
            if read.is_none() {
                issues.push(FieldIssue::new(
                    field("DURATION"),
                    format!("{label}的时长“{text}”读不通"),
                ));
            }
            read
        }
    };
    if !has_start {
        issues.push(FieldIssue::new(
            field("DTSTART"),
            format!("{label}缺少开始时间"),
        ));
    }
    let mut exdates = Vec::new();
    for property in props(component, "EXDATE") {
        for piece in property
            .val
            .as_str()
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            let single = ParsedProperty {
                name: property.name.clone(),
                val: piece.trim().into(),
                params: property.params.clone(),
            };
            match moment(&single, zones, &label) {
                Ok(at) => exdates.push(at),
                Err(message) => issues.push(FieldIssue::new(field("EXDATE"), message)),
            }
        }
    }
    let when = match start {
        Some(Moment::Date(from)) => {
            let after = match end {
                Some(Moment::Date(day)) => Some(day),
                Some(Moment::Time(at)) if at.time() == NaiveTime::MIN => Some(at.date()),
                Some(Moment::Time(at)) => Some(at.date() + Duration::days(1)),
                None => duration.map(|d| from + Duration::days(d.num_days().max(1))),
            };
            let to = after
                .map(|day| day - Duration::days(1))
                .filter(|to| *to >= from)
                .unwrap_or(from);
            Some(When::AllDay { from, to })
        }
        Some(Moment::Time(start)) => {
            let end = match end {
                Some(moment) => Some(moment.at(start.date().and_time(NaiveTime::MIN))),
                None => duration.map(|d| start + d),
            };
            match end {
                Some(end) => {
                    let slot = value(component, "X-MZ-SLOT")
                        .and_then(slot_named)
                        .map(|slot| When::HalfDay {
                            day: start.date(),
                            slot,
                        })
                        .filter(|half| half.span() == (start, end));
                    Some(slot.unwrap_or(When::Timed { start, end }))
                }
                None => {
                    if !has_end && duration.is_none() && value(component, "DURATION").is_none() {
                        issues.push(FieldIssue::new(
                            field("DTEND"),
                            format!("{label}缺少结束时间（DTEND 或 DURATION）"),
                        ));
                    }
                    None
                }
            }
        }
        None => None,
    };
    if issues.len() > before {
        return None;
    }
    let when = when?;
    let repeat = value(component, "RRULE").map(|rule| Repeat {
        rule: mz_domain::schedule::normal_rule(rule).unwrap_or_else(|_| rule.to_owned()),
        skip_rest_days: false,
        except: Vec::new(),
    });
    let skip_rest_days = value(component, "X-MZ-SKIP-REST-DAYS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("TRUE"));
    let visibility = match value(component, "CLASS").map(|c| c.trim().to_ascii_uppercase()) {
        None => Visibility::Public,
        Some(class) if class == "PUBLIC" => Visibility::Public,
        Some(class) if class == "CONFIDENTIAL" => Visibility::Confidential,
        // PRIVATE, and (RFC 5545 §3.8.1.3) any class not known.
        Some(_) => Visibility::Internal,
    };
    // A SEQUENCE or an id that does not read is named, never dropped.
    let sequence = match value(component, "SEQUENCE").map(str::trim) {
        None => None,
        Some(text) => match text.parse::<u32>() {
            Ok(n) => Some(n).filter(|n| *n > 0),
            Err(_) => {
                issues.push(FieldIssue::new(
                    field("SEQUENCE"),
                    format!("{label}的 SEQUENCE“{text}”不是版本号"),
                ));
                return None;
            }
        },
    };
    let own_id = match value(component, "X-MZ-ID").map(str::trim) {
        None => None,
        Some(text) => match Uuid::parse_str(text) {
            Ok(id) => Some(id),
            Err(_) => {
                issues.push(FieldIssue::new(
                    field("X-MZ-ID"),
                    format!("{label}的 X-MZ-ID“{text}”不是记录号"),
                ));
                return None;
            }
        },
    };
    let data = ActivityData {
        leaders: values(component, "X-MZ-LEADERS"),
        when,
        place: value(component, "LOCATION").unwrap_or_default().to_owned(),
        content: summary,
        organiser: value(component, "X-MZ-ORGANISER")
            .unwrap_or_default()
            .to_owned(),
        attendees: values(component, "X-MZ-ATTENDEES"),
        accompany: values(component, "X-MZ-ACCOMPANY"),
        visibility,
        override_reason: value(component, "X-MZ-OVERRIDE-REASON").map(str::to_owned),
        cancelled: value(component, "STATUS")
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("CANCELLED")),
        repeat,
        occurrence_of: None,
        affair: None,
        sequence,
    };
    Some(Read {
        n,
        label,
        uid,
        recurrence,
        own_id,
        exdates,
        skip_rest_days,
        data,
    })
}

/// Each occurrence record to its series (by UID), each series' EXDATEs to
/// its `except`, each record checked. A start an occurrence record moves
/// is not put into `except`: the record takes its place (as
/// `mz_api::schedule::occurrences` reads it).
fn join_series(
    mut reads: Vec<Read>,
    rest: &dyn Fn(NaiveDate) -> bool,
    issues: &mut Vec<FieldIssue>,
) -> Vec<ImportedActivity> {
    // The series (or single activity) of each UID: its place in `reads`.
    let mut masters: HashMap<String, usize> = HashMap::new();
    for (i, read) in reads.iter().enumerate() {
        if read.recurrence.is_some() {
            continue;
        }
        if let Some(first) = masters.get(&read.uid).and_then(|m| reads.get(*m)) {
            issues.push(FieldIssue::new(
                format!("events[{}].UID", read.n),
                format!("{}与第 {} 项的 UID 相同", read.label, first.n),
            ));
        } else {
            masters.insert(read.uid.clone(), i);
        }
    }
    // Each record's id; an occurrence record's is found with its series.
    let mut ids: Vec<Uuid> = reads
        .iter()
        .map(|r| {
            if r.recurrence.is_none() {
                id_of(&r.uid)
            } else {
                Uuid::nil()
            }
        })
        .collect();
    // Occurrence records: their series and start, their id.
    for i in 0..reads.len() {
        let Some((recurrence, uid, n, label, own_id)) = reads.get(i).and_then(|r| {
            r.recurrence
                .map(|m| (m, r.uid.clone(), r.n, r.label.clone(), r.own_id))
        }) else {
            continue;
        };
        let master = masters
            .get(&uid)
            .copied()
            .and_then(|m| reads.get(m).map(|r| (m, r)));
        let Some((_, series)) = master else {
            issues.push(FieldIssue::new(
                format!("events[{n}].RECURRENCE-ID"),
                format!("{label}是重复活动中的一次，但文件中没有这项重复活动（UID {uid}）"),
            ));
            continue;
        };
        if series.data.repeat.is_none() {
            issues.push(FieldIssue::new(
                format!("events[{n}].RECURRENCE-ID"),
                format!("{label}是重复活动中的一次，但第 {} 项并不重复", series.n),
            ));
            continue;
        }
        let start = recurrence.at(series.data.when.span().0);
        let series_id = id_of(&uid);
        let id = own_id.unwrap_or_else(|| {
            let key = format!("{uid}/{}", start.format("%Y%m%dT%H%M%S"));
            Uuid::new_v5(&Uuid::NAMESPACE_URL, key.as_bytes())
        });
        if let Some(slot) = ids.get_mut(i) {
            *slot = id;
        }
        if let Some(read) = reads.get_mut(i) {
            read.data.occurrence_of = Some(OccurrenceOf {
                series: series_id,
                start,
            });
        }
    }
    // Series: the starts taken out.
    for read in &mut reads {
        let first = read.data.when.span().0;
        let skip = read.skip_rest_days;
        let Some(repeat) = &mut read.data.repeat else {
            continue;
        };
        repeat.skip_rest_days = skip;
        repeat.except = read
            .exdates
            .iter()
            .map(|m| m.at(first))
            // Written for the calendars that do not know the rest days.
            .filter(|at| !(skip && rest(at.date())))
            .collect();
    }
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    let mut found = Vec::with_capacity(reads.len());
    for (read, id) in reads.into_iter().zip(ids) {
        if read.recurrence.is_some() && read.data.occurrence_of.is_none() {
            continue;
        }
        if let Some(first) = seen.insert(id, read.n) {
            issues.push(FieldIssue::new(
                format!("events[{}].UID", read.n),
                format!("{}与第 {first} 项是同一项活动", read.label),
            ));
        }
        let mut data = read.data;
        let no_leaders = data.leaders.is_empty();
        for issue in crate::schedule::normal_activity(&mut data) {
            if no_leaders && issue.field == "leaders" {
                continue;
            }
            issues.push(FieldIssue::new(
                format!("events[{}].{}", read.n, issue.field),
                format!("{}：{}", read.label, issue.message),
            ));
        }
        found.push(ImportedActivity {
            id,
            uid: read.uid,
            data,
        });
    }
    found
}

/// A rule's UTC UNTIL (`20261231T155959Z`, the end of a day in China) as
/// that day (`20261231`), as a rule beside a DATE start must write it.
fn all_day_until(rule: &str) -> String {
    rule.split(';')
        .map(|part| match part.strip_prefix("UNTIL=") {
            Some(until) => match NaiveDateTime::parse_from_str(until, "%Y%m%dT%H%M%SZ") {
                Ok(utc) => format!("UNTIL={}", (utc + Duration::hours(8)).format("%Y%m%d")),
                Err(_) => part.to_owned(),
            },
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The records a calendar of some of them holds, as it must write them:
/// those `keep` keeps; a kept series with the occurrences that records not
/// kept move taken out (EXDATE), so that it does not come back at the old
/// time on a phone; a kept occurrence record whose series is not kept, on
/// its own. A phone feed keeps a leader's records (a confidential one not
/// when the office leaves those out); a file, a leader's or all.
pub fn calendar_of(
    records: &[(Uuid, &ActivityData)],
    keep: &dyn Fn(&ActivityData) -> bool,
) -> Vec<(Uuid, ActivityData)> {
    let kept: HashSet<Uuid> = records
        .iter()
        .filter(|(_, data)| keep(data))
        .map(|(id, _)| *id)
        .collect();
    let mut found = Vec::with_capacity(kept.len());
    for (id, data) in records.iter().filter(|(id, _)| kept.contains(id)) {
        let mut data = (*data).clone();
        if data
            .occurrence_of
            .as_ref()
            .is_some_and(|of| !kept.contains(&of.series))
        {
            data.occurrence_of = None;
        }
        if let Some(repeat) = &mut data.repeat {
            for (other, record) in records {
                if let Some(of) = &record.occurrence_of
                    && of.series == *id
                    && !kept.contains(other)
                    && !repeat.except.contains(&of.start)
                {
                    repeat.except.push(of.start);
                }
            }
            repeat.except.sort();
        }
        found.push((*id, data));
    }
    found
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

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn timed(start: &str, end: &str) -> When {
        When::Timed {
            start: at(start),
            end: at(end),
        }
    }

    fn activity(content: &str, when: When) -> ActivityData {
        ActivityData {
            leaders: vec!["u1".to_owned()],
            when,
            place: String::new(),
            content: content.to_owned(),
            organiser: String::new(),
            attendees: Vec::new(),
            accompany: Vec::new(),
            visibility: Visibility::Public,
            override_reason: None,
            cancelled: false,
            repeat: None,
            occurrence_of: None,
            affair: None,
            sequence: None,
        }
    }

    /// The rest day of these tests: a Monday the weekly meeting falls on.
    fn rest(d: NaiveDate) -> bool {
        d == day("2026-03-23")
    }

    fn records() -> Vec<(Uuid, ActivityData)> {
        let mut meeting = activity(
            "厅党组会：研究部署 2026 年全省民政重点工作，传达学习全国民政工作会议精神",
            timed("2026-03-02 09:00", "2026-03-02 11:00"),
        );
        meeting.leaders = vec!["u1".to_owned(), "u2,特".to_owned()];
        meeting.place = "厅机关 3 楼会议室; 东侧".to_owned();
        meeting.organiser = "办公室".to_owned();
        meeting.attendees = vec!["各处室负责人".to_owned(), "机关党委, 纪检组".to_owned()];
        meeting.accompany = vec!["李秘书".to_owned()];
        meeting.override_reason = Some("已与省政府协调\n时间不变".to_owned());

        let mut survey = activity(
            "赴长沙市调研养老服务",
            When::AllDay {
                from: day("2026-03-03"),
                to: day("2026-03-04"),
            },
        );
        survey.visibility = Visibility::Internal;
        survey.place = "长沙市".to_owned();

        let mut visit = activity(
            "接待来访",
            When::HalfDay {
                day: day("2026-03-05"),
                slot: HalfDay::Evening,
            },
        );
        visit.place = "厅机关".to_owned();

        let mut secret = activity("专题汇报", timed("2026-03-06 14:00", "2026-03-06 16:00"));
        secret.visibility = Visibility::Confidential;
        secret.place = "省委 2 号楼".to_owned();

        let mut called_off = activity("座谈会", timed("2026-03-06 09:00", "2026-03-06 10:00"));
        called_off.cancelled = true;
        called_off.sequence = Some(3);

        let mut weekly = activity("周例会", timed("2026-03-02 08:30", "2026-03-02 09:00"));
        weekly.repeat = Some(Repeat {
            rule: "FREQ=WEEKLY;BYDAY=MO;COUNT=6".to_owned(),
            skip_rest_days: true,
            // The 9th cancelled; the 16th is moved by the record below,
            // which takes its place (it is not taken out).
            except: vec![at("2026-03-09 08:30")],
        });

        let mut moved = activity(
            "周例会（改在下午）",
            timed("2026-03-16 15:00", "2026-03-16 15:30"),
        );
        moved.occurrence_of = Some(OccurrenceOf {
            series: id(6),
            start: at("2026-03-16 08:30"),
        });
        moved.sequence = Some(1);

        let all = vec![
            (id(1), meeting),
            (id(2), survey),
            (id(3), visit),
            (id(4), secret),
            (id(5), called_off),
            (id(6), weekly),
            (id(7), moved),
        ];
        for (_, data) in &all {
            let mut copy = data.clone();
            assert!(crate::schedule::normal_activity(&mut copy).is_empty());
            assert_eq!(&copy, data, "the test's records are as the desk keeps them");
        }
        all
    }

    fn write(
        records: &[(Uuid, ActivityData)],
        confidential: ConfidentialAs,
        refresh_minutes: Option<u32>,
    ) -> String {
        let names = vec!["张厅长".to_owned(), "王副厅长".to_owned()];
        let items: Vec<CalendarItem<'_>> = records
            .iter()
            .map(|(id, data)| CalendarItem {
                id: *id,
                data,
                leader_names: &names,
            })
            .collect();
        write_calendar(
            &items,
            &WriteOptions {
                name: "厅领导日程",
                stamp: Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
                confidential,
                refresh_minutes,
                rest: &rest,
            },
        )
    }

    fn none(_: NaiveDate) -> bool {
        false
    }

    fn read_one(text: &str) -> ImportedActivity {
        let mut found = read_calendar(text, &none).unwrap();
        assert_eq!(found.len(), 1);
        found.remove(0)
    }

    fn issues(text: &str) -> Vec<FieldIssue> {
        read_calendar(text, &none).unwrap_err()
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let records = records();
        let text = write(&records, ConfidentialAs::Shown, None);
        assert_eq!(text, write(&records, ConfidentialAs::Shown, None));
        let found = read_calendar(&text, &rest).unwrap();
        let found: Vec<(Uuid, ActivityData)> = found.into_iter().map(|a| (a.id, a.data)).collect();
        assert_eq!(found, records);
    }

    #[test]
    fn the_file_names_china_s_zone_keeps_its_lines_short_and_takes_out_rest_days() {
        let text = write(&records(), ConfidentialAs::Shown, Some(240));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
        assert!(text.contains("REFRESH-INTERVAL;VALUE=DURATION:PT4H\r\n"));
        assert!(text.contains("X-PUBLISHED-TTL:PT4H\r\n"));
        let events = text.split("END:VTIMEZONE\r\n").nth(1).unwrap();
        let starts: Vec<&str> = events
            .split("\r\n")
            .filter(|l| l.starts_with("DTSTART"))
            .collect();
        assert_eq!(starts.len(), 7);
        for start in starts {
            assert!(
                start.starts_with("DTSTART;TZID=Asia/Shanghai:")
                    || start == "DTSTART;VALUE=DATE:20260303",
                "{start}"
            );
        }
        assert!(
            text.contains("DTEND;VALUE=DATE:20260305\r\n"),
            "the day after `to`"
        );
        assert!(text.contains("DTSTART;TZID=Asia/Shanghai:20260305T180000\r\n"));
        assert!(text.contains("DTEND;TZID=Asia/Shanghai:20260306T000000\r\n"));
        assert!(text.contains("X-MZ-SLOT:evening\r\n"));
        assert!(text.contains("EXDATE;TZID=Asia/Shanghai:20260323T083000\r\n"));
        assert!(text.contains("EXDATE;TZID=Asia/Shanghai:20260309T083000\r\n"));
        assert!(
            !text.contains("EXDATE;TZID=Asia/Shanghai:20260316T083000"),
            "moved, not taken out"
        );
        assert!(text.contains("RECURRENCE-ID;TZID=Asia/Shanghai:20260316T083000\r\n"));
        assert!(text.contains(&format!("UID:{}@minzheng-desk\r\n", id(6))));
        assert!(text.contains(&format!("X-MZ-ID:{}\r\n", id(7))));
        assert!(text.contains("SEQUENCE:3\r\nSTATUS:CANCELLED\r\n"));
        assert!(text.contains("CLASS:PRIVATE\r\n"));
        assert!(text.contains("X-MZ-ATTENDEES:机关党委\\, 纪检组\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(text.contains("\r\n "), "long lines are folded");
        let unfolded = parser::unfold(&text);
        assert!(unfolded.contains("DESCRIPTION:领导：张厅长、王副厅长\\n主办：办公室\\n"));
    }

    #[test]
    fn a_confidential_activity_is_shown_as_busy_or_left_out() {
        let records = records();
        let busy = parser::unfold(&write(&records, ConfidentialAs::Busy, None));
        let secret = busy
            .split("BEGIN:VEVENT")
            .find(|e| e.contains(&id(4).to_string()))
            .unwrap();
        assert!(secret.contains("SUMMARY:忙\r\n"));
        assert!(secret.contains("CLASS:CONFIDENTIAL\r\n"));
        for hidden in [
            "专题汇报",
            "省委",
            "LOCATION",
            "DESCRIPTION",
            "X-MZ-LEADERS",
        ] {
            assert!(!secret.contains(hidden), "{hidden}");
        }
        assert!(busy.contains("厅党组会"), "the others as they are");
        let omitted = write(&records, ConfidentialAs::Omitted, None);
        assert!(!omitted.contains(&id(4).to_string()));
        assert!(!omitted.contains("忙"));
        assert_eq!(omitted.matches("BEGIN:VEVENT").count(), 6);
    }

    const BERLIN: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Berlin\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

    fn file(body: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Cal//EN\r\n{body}END:VCALENDAR\r\n"
        )
    }

    #[test]
    fn a_berlin_summer_time_is_read_in_china_s_time() {
        let text = file(&format!(
            "{BERLIN}BEGIN:VEVENT\r\n\
UID:abc-123@example.com\r\n\
DTSTAMP:20260601T000000Z\r\n\
DTSTART;TZID=Europe/Berlin:20260615T100000\r\n\
DTEND;TZID=Europe/Berlin:20260615T113000\r\n\
SUMMARY:Partnerschaftstreffen\r\n\
LOCATION:Rathaus\\, Saal 2\r\n\
CLASS:PRIVATE\r\n\
END:VEVENT\r\n"
        ));
        let found = read_one(&text);
        // 10:00 summer time in Berlin (UTC+2) is 16:00 in China.
        assert_eq!(
            found.data.when,
            timed("2026-06-15 16:00", "2026-06-15 17:30")
        );
        assert_eq!(found.data.place, "Rathaus, Saal 2");
        assert_eq!(found.data.visibility, Visibility::Internal);
        assert!(found.data.leaders.is_empty(), "the caller names the leader");
        assert_eq!(found.uid, "abc-123@example.com");
        assert_eq!(
            found.id,
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"abc-123@example.com"),
            "the same id on each import"
        );
    }

    #[test]
    fn a_moved_occurrence_in_utc_finds_its_berlin_series() {
        // The series at 09:00 Berlin winter time (08:00 UTC, 16:00 in
        // China); the moved one names its occurrence in UTC.
        let text = file(&format!(
            "{BERLIN}BEGIN:VEVENT\r\n\
UID:jour-fixe\r\n\
DTSTART;TZID=Europe/Berlin:20260105T090000\r\n\
DTEND;TZID=Europe/Berlin:20260105T100000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4\r\n\
SUMMARY:Jour fixe\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:jour-fixe\r\n\
RECURRENCE-ID:20260112T080000Z\r\n\
DTSTART:20260112T130000Z\r\n\
DURATION:PT1H\r\n\
SUMMARY:Jour fixe (verschoben)\r\n\
SEQUENCE:2\r\n\
END:VEVENT\r\n"
        ));
        let found = read_calendar(&text, &none).unwrap();
        assert_eq!(found.len(), 2);
        let (series, moved) = (&found[0], &found[1]);
        assert_eq!(
            series.data.when,
            timed("2026-01-05 16:00", "2026-01-05 17:00")
        );
        let repeat = series.data.repeat.as_ref().unwrap();
        assert_eq!(repeat.rule, "FREQ=WEEKLY;BYDAY=MO;COUNT=4");
        assert!(
            repeat.except.is_empty(),
            "the moved occurrence's record takes its place"
        );
        assert_eq!(
            moved.data.occurrence_of,
            Some(OccurrenceOf {
                series: series.id,
                start: at("2026-01-12 16:00"),
            })
        );
        assert_eq!(
            moved.data.when,
            timed("2026-01-12 21:00", "2026-01-12 22:00")
        );
        assert_eq!(moved.data.sequence, Some(2));
        assert_eq!(moved.uid, "jour-fixe");
        assert_eq!(
            moved.id,
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"jour-fixe/20260112T160000")
        );
    }

    #[test]
    fn a_utc_series_takes_out_the_days_its_exdates_name() {
        let text = file(
            "BEGIN:VEVENT\r\n\
UID:weekly@example.com\r\n\
DTSTART:20260302T010000Z\r\n\
DTEND:20260302T020000Z\r\n\
RRULE:FREQ=WEEKLY;UNTIL=20260330T010000Z\r\n\
EXDATE;VALUE=DATE:20260316\r\n\
EXDATE:20260309T010000Z,20260323T010000Z\r\n\
SUMMARY:Weekly sync\r\n\
STATUS:CONFIRMED\r\n\
END:VEVENT\r\n",
        );
        let found = read_one(&text);
        assert_eq!(
            found.data.when,
            timed("2026-03-02 09:00", "2026-03-02 10:00")
        );
        let repeat = found.data.repeat.unwrap();
        assert_eq!(
            repeat.except,
            [
                at("2026-03-09 09:00"),
                at("2026-03-16 09:00"),
                at("2026-03-23 09:00")
            ]
        );
        assert!(!repeat.skip_rest_days);
    }

    #[test]
    fn a_floating_time_is_china_s_time_and_a_date_a_whole_day() {
        let text = file(
            "BEGIN:VEVENT\r\n\
UID:f1\r\n\
DTSTART:20260302T090000\r\n\
DTEND:20260302T100000\r\n\
SUMMARY:会商\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:f2\r\n\
DTSTART;VALUE=DATE:20260310\r\n\
SUMMARY:全天学习\r\n\
END:VEVENT\r\n",
        );
        let found = read_calendar(&text, &none).unwrap();
        assert_eq!(
            found[0].data.when,
            timed("2026-03-02 09:00", "2026-03-02 10:00")
        );
        assert_eq!(
            found[1].data.when,
            When::AllDay {
                from: day("2026-03-10"),
                to: day("2026-03-10")
            }
        );
    }

    #[test]
    fn a_zone_the_file_does_not_define_is_named_with_its_event() {
        let text = file(
            "BEGIN:VEVENT\r\n\
UID:p1\r\n\
DTSTART;TZID=Europe/Paris:20260302T090000\r\n\
DTEND;TZID=Europe/Paris:20260302T100000\r\n\
SUMMARY:周例会\r\n\
END:VEVENT\r\n",
        );
        let found = issues(&text);
        assert_eq!(found[0].field, "events[1].DTSTART");
        assert_eq!(
            found[0].message,
            "“周例会”的时区 Europe/Paris 在文件中没有定义（缺少 VTIMEZONE）"
        );
        assert_eq!(found[1].field, "events[1].DTEND");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn a_zone_of_one_fixed_offset_is_read_by_it_and_one_unknown_is_refused() {
        let zone = |tzid: &str, daylight: &str| {
            format!(
                "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n\
TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nEND:STANDARD\r\n{daylight}END:VTIMEZONE\r\n"
            )
        };
        let event = |tzid: &str| {
            format!(
                "BEGIN:VEVENT\r\nUID:{tzid}\r\nDTSTART;TZID=\"{tzid}\":20260302T090000\r\n\
DTEND;TZID=\"{tzid}\":20260302T100000\r\nSUMMARY:会议\r\nEND:VEVENT\r\n"
            )
        };
        let windows = "China Standard Time";
        let text = file(&format!("{}{}", zone(windows, ""), event(windows)));
        assert_eq!(
            read_one(&text).data.when,
            timed("2026-03-02 09:00", "2026-03-02 10:00")
        );
        let odd = "Somewhere";
        let daylight = "BEGIN:DAYLIGHT\r\nDTSTART:16010301T020000\r\nTZOFFSETFROM:+0800\r\n\
TZOFFSETTO:+0900\r\nEND:DAYLIGHT\r\n";
        let text = file(&format!("{}{}", zone(odd, daylight), event(odd)));
        assert!(issues(&text)[0].message.contains("无法识别"));
    }

    #[test]
    fn a_file_that_is_not_icalendar_is_one_issue() {
        for text in [
            "这不是日历，只是一段文字。",
            "BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
            "",
        ] {
            let found = issues(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].field, "file");
            assert!(found[0].message.contains("BEGIN:VCALENDAR"));
        }
        let huge = "X".repeat(MAX_ICS_BYTES + 1);
        assert_eq!(issues(&huge).len(), 1);
    }

    #[test]
    fn a_rule_that_never_ends_is_refused_with_its_event_s_number() {
        let text = file(
            "BEGIN:VEVENT\r\n\
UID:ok\r\n\
DTSTART:20260302T090000\r\n\
DTEND:20260302T100000\r\n\
SUMMARY:会商\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:endless\r\n\
DTSTART:20260302T090000\r\n\
DTEND:20260302T100000\r\n\
RRULE:FREQ=WEEKLY\r\n\
SUMMARY:周例会\r\n\
END:VEVENT\r\n",
        );
        let found = issues(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "events[2].repeat.rule");
        assert!(found[0].message.starts_with("“周例会”："));
        assert!(found[0].message.contains("不能无限重复"));
    }

    #[test]
    fn a_series_that_does_not_start_on_its_rule_or_a_stray_occurrence_is_refused() {
        let text = file(
            "BEGIN:VEVENT\r\n\
UID:tue\r\n\
DTSTART:20260302T090000\r\n\
DTEND:20260302T100000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3\r\n\
SUMMARY:周二例会\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:lost\r\n\
RECURRENCE-ID:20260302T090000\r\n\
DTSTART:20260302T140000\r\n\
DTEND:20260302T150000\r\n\
SUMMARY:改期\r\n\
END:VEVENT\r\n",
        );
        let fields: Vec<String> = issues(&text).into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["events[2].RECURRENCE-ID", "events[1].repeat.rule"]);
    }

    #[test]
    fn a_timed_event_without_an_end_or_a_title_is_refused() {
        let text = file(
            "BEGIN:VEVENT\r\n\
UID:open\r\n\
DTSTART:20260302T090000\r\n\
END:VEVENT\r\n",
        );
        let found = issues(&text);
        let fields: Vec<&str> = found.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["events[1].SUMMARY", "events[1].DTEND"]);
        assert!(found[1].message.contains("缺少结束时间"));
    }

    #[test]
    fn a_long_line_of_any_length_is_folded_within_75_octets_and_reads_back() {
        for length in 60..160 {
            for letter in ["a", "民", "a民"] {
                let mut one = activity(
                    &letter.repeat(length),
                    timed("2026-03-02 09:00", "2026-03-02 10:00"),
                );
                one.place = format!("{} {}", "b".repeat(length), "政".repeat(length / 3));
                let records = [(id(1), one)];
                let text = write(&records, ConfidentialAs::Shown, None);
                for line in text.split("\r\n") {
                    assert!(line.len() <= 75, "{} octets: {line}", line.len());
                }
                let found = read_calendar(&text, &none).unwrap();
                assert_eq!(found[0].data, records[0].1);
            }
        }
    }

    #[test]
    fn an_all_day_series_names_its_occurrences_by_their_dates() {
        let mut days = activity(
            "集中学习",
            When::AllDay {
                from: day("2026-04-01"),
                to: day("2026-04-01"),
            },
        );
        days.repeat = Some(Repeat {
            rule: "FREQ=DAILY;COUNT=3".to_owned(),
            skip_rest_days: false,
            except: vec![at("2026-04-02 00:00")],
        });
        let mut moved = activity(
            "集中学习（顺延）",
            When::AllDay {
                from: day("2026-04-05"),
                to: day("2026-04-05"),
            },
        );
        moved.occurrence_of = Some(OccurrenceOf {
            series: id(1),
            start: at("2026-04-03 00:00"),
        });
        let records = [(id(1), days), (id(2), moved)];
        let text = write(&records, ConfidentialAs::Shown, None);
        assert!(text.contains("EXDATE;VALUE=DATE:20260402\r\n"));
        assert!(text.contains("RECURRENCE-ID;VALUE=DATE:20260403\r\n"));
        let found: Vec<(Uuid, ActivityData)> = read_calendar(&text, &none)
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a.data))
            .collect();
        assert_eq!(found, records);

        // Ending on a day: UNTIL is written as that day, and reads back.
        let mut until = records[0].1.clone();
        until.repeat = Some(Repeat {
            rule: "FREQ=DAILY;UNTIL=20260403T155959Z".to_owned(),
            skip_rest_days: false,
            except: Vec::new(),
        });
        let records = [(id(1), until)];
        let text = write(&records, ConfidentialAs::Shown, None);
        assert!(
            text.contains("RRULE:FREQ=DAILY;UNTIL=20260403\r\n"),
            "{text}"
        );
        let found: Vec<(Uuid, ActivityData)> = read_calendar(&text, &none)
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a.data))
            .collect();
        assert_eq!(found, records);
    }

    #[test]
    fn a_calendar_of_some_records_takes_out_what_others_move_and_frees_an_orphan() {
        let mut weekly = activity("周例会", timed("2026-03-02 08:30", "2026-03-02 09:00"));
        weekly.repeat = Some(Repeat {
            rule: "FREQ=WEEKLY;BYDAY=MO;COUNT=4".to_owned(),
            skip_rest_days: false,
            except: Vec::new(),
        });
        // The second Monday moved to a record of another leader's.
        let mut moved = activity(
            "周例会（他人代）",
            timed("2026-03-09 15:00", "2026-03-09 16:00"),
        );
        moved.leaders = vec!["other".to_owned()];
        moved.occurrence_of = Some(OccurrenceOf {
            series: id(1),
            start: at("2026-03-09 08:30"),
        });
        let records = [(id(1), &weekly), (id(2), &moved)];
        let mine = |a: &ActivityData| a.leaders.iter().any(|l| l != "other");
        let kept = calendar_of(&records, &mine);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            kept[0].1.repeat.as_ref().unwrap().except,
            [at("2026-03-09 08:30")],
            "taken out, not back at 08:30"
        );
        let theirs = |a: &ActivityData| a.leaders.iter().any(|l| l == "other");
        let kept = calendar_of(&records, &theirs);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            kept[0].1.occurrence_of, None,
            "on its own without its series"
        );
    }
}
