//! The office's weekly leadership schedule as it has long been kept in Excel
//! (领导活动安排表, one activity a row), read so that it can be taken into the
//! schedule.
//!
//! The sheet is typed by hand, so it is read the way clerks write it: a date
//! is written once and merged over (or simply left empty under) the rest of
//! its day's rows; it may lack the year, taken as the one nearest the day the caller gives (the sheet's
//! title says which week, the cells seldom do), and carry a weekday, which is
//! checked because a date and weekday that disagree mean one of them is
//! wrong. A time is a clock time, a span, a half-day word (上午, 下午, 晚上,
//! the slots of [`HalfDay`]) or 全天, written as text or stored by Excel as a
//! time.
//!
//! Every bad cell is one [`RowError`]; the rows that read are returned with
//! them, so that the caller can show every error at once and take nothing
//! until the file is right.

use calamine::{Data, ExcelDateTime};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use mz_domain::schedule::HalfDay;
use serde::{Deserialize, Serialize};

use crate::read::{
    ColumnId, Headers, ImportError, Problem, RowError, TableRow, Workbook, clean_text, halfwidth,
    keep, parse_date,
};

/// When in its day an activity takes place, as the sheet's 时间 cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetTime {
    /// A clock time (`9:00`, or an Excel time), or a span (`9:00-11:30`).
    Span {
        start: NaiveTime,
        end: Option<NaiveTime>,
    },
    /// A half-day without a time: 上午, 下午 or 晚上.
    Slot(HalfDay),
    /// 全天.
    AllDay,
}

/// One activity as its row gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSheetRow {
    /// The row in the file, as Excel numbers it.
    pub row: u32,
    /// The row's own date, or the one carried down from the rows above.
    pub day: NaiveDate,
    pub time: SheetTime,
    /// As written, at least one.
    pub leaders: Vec<String>,
    pub content: String,
    /// Empty when the column is absent or the cell empty.
    pub place: String,
    pub organiser: String,
    pub attendees: Vec<String>,
    pub accompany: Vec<String>,
}

/// What a schedule sheet holds: the rows that read, in file order, and one
/// error per bad cell. A caller takes the rows only when there is no error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSheetReport {
    /// The sheet read (the first visible one when none was named).
    pub sheet: String,
    pub rows: Vec<WeekSheetRow>,
    pub errors: Vec<RowError>,
}

/// The columns of the sheet, each with the names it goes by.
struct Columns {
    headers: Headers,
    day: ColumnId,
    time: ColumnId,
    leaders: ColumnId,
    content: ColumnId,
    place: ColumnId,
    organiser: ColumnId,
    attendees: ColumnId,
    accompany: ColumnId,
}

impl Columns {
    fn new() -> Columns {
        let mut headers = Headers::new();
        Columns {
            day: headers.required(&["日期", "日 期", "时间日期"]),
            time: headers.required(&["时间", "时段", "具体时间"]),
            leaders: headers.required(&["领导", "出席领导", "参加领导", "领导姓名"]),
            content: headers.required(&["活动内容", "内容", "事项", "工作内容"]),
            place: headers.optional(&["地点", "活动地点"]),
            organiser: headers.optional(&["主办单位", "主办", "承办单位"]),
            attendees: headers.optional(&["参加人员", "参会人员"]),
            accompany: headers.optional(&["陪同人员", "陪同"]),
            headers,
        }
    }
}

/// The date a row takes when its own date cell is empty: the date of the
/// last row above that wrote one.
#[derive(Debug, Clone, Copy)]
enum Above {
    /// No row above wrote a date: an empty date cell is an error.
    Nothing,
    Day(NaiveDate),
    /// The date written above did not read. Its one error is on the row
    /// that wrote it (a merged cell is one cell); the rows under it have no
    /// date and are not returned, but no error of their own is added.
    Unreadable,
}

/// Reads the schedule on `sheet` (or the first visible one). A date
/// written without its year (`3月2日`) takes the year that puts it nearest
/// to `today`: next week's sheet made in late December is of the next year.
pub fn read_schedule_week(
    workbook: &mut Workbook,
    sheet: Option<&str>,
    today: NaiveDate,
) -> Result<WeekSheetReport, ImportError> {
    let columns = Columns::new();
    let table = workbook.table(sheet, &columns.headers)?;
    let mut report = WeekSheetReport {
        sheet: table.sheet().to_owned(),
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let mut above = Above::Nothing;
    for row in table.rows() {
        // A blank row between days does not end the day above: the next
        // row's empty date still carries it.
        if row.is_blank() {
            continue;
        }
        let mut errors = Vec::new();
        // The row's own cell, not what a merged cell shows in it: a date
        // merged over a day's rows and one left empty under a date are the
        // same thing, and a bad merged date is one error, not one a row.
        let day = if row.own_cell_is_empty(columns.day) {
            match above {
                Above::Day(day) => Some(day),
                Above::Unreadable => None,
                Above::Nothing => {
                    errors.push(row.error(columns.day, Problem::Missing));
                    None
                }
            }
        } else {
            let day = keep(&mut errors, read_day(&row, columns.day, today));
            above = day.map_or(Above::Unreadable, Above::Day);
            day
        };
        if let Some(activity) = read_row(&row, &columns, day, &mut errors) {
            report.rows.push(activity);
        }
        report.errors.append(&mut errors);
    }
    Ok(report)
}

/// Reads every other cell of a row, collecting one error per bad cell; the
/// row is returned only when all are good and it has a date.
fn read_row(
    row: &TableRow<'_>,
    columns: &Columns,
    day: Option<NaiveDate>,
    errors: &mut Vec<RowError>,
) -> Option<WeekSheetRow> {
    let time = keep(errors, read_time(row, columns.time));
    let leaders = keep(
        errors,
        row.text(columns.leaders).and_then(|text| {
            let leaders = names(&text);
            if leaders.is_empty() {
                Err(row.error(columns.leaders, Problem::Missing))
            } else {
                Ok(leaders)
            }
        }),
    );
    let content = keep(errors, row.text(columns.content));
    let place = keep(errors, row.optional_text(columns.place));
    let organiser = keep(errors, row.optional_text(columns.organiser));
    let list = |id| row.optional_text(id).map(|t| t.as_deref().map(names));
    let attendees = keep(errors, list(columns.attendees));
    let accompany = keep(errors, list(columns.accompany));
    Some(WeekSheetRow {
        row: row.number(),
        day: day?,
        time: time?,
        leaders: leaders?,
        content: content?,
        place: place?.unwrap_or_default(),
        organiser: organiser?.unwrap_or_default(),
        attendees: attendees?.unwrap_or_default(),
        accompany: accompany?.unwrap_or_default(),
    })
}

/// A written date cell: an Excel date, or text in the forms of
/// [`parse_day`].
fn read_day(row: &TableRow<'_>, id: ColumnId, today: NaiveDate) -> Result<NaiveDate, RowError> {
    let parsed = match row.cell(id) {
        None => Err(Problem::Missing),
        Some(Data::DateTime(dt)) => match dt.as_datetime() {
            // A serial below 1 is a time of day without a date.
            Some(t) if dt.is_datetime() && dt.as_f64() >= 1.0 => Ok(t.date()),
            _ => Err(Problem::NotADate(shown(dt))),
        },
        Some(Data::DateTimeIso(s)) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| Problem::NotADate(s.clone())),
        Some(Data::String(s)) => parse_day(s, today),
        // 20260302 typed as a number reads as the date; 3.2 does not.
        Some(Data::Int(i)) => parse_day(&i.to_string(), today),
        Some(Data::Float(f)) => parse_day(&f.to_string(), today),
        Some(Data::Error(e)) => Err(Problem::FormulaError(e.to_string())),
        Some(other) => Err(Problem::NotADate(other.to_string())),
    };
    parsed.map_err(|p| row.error(id, p))
}

/// A date as written in the sheet: the forms of [`TableRow::date`]
/// (2026-03-02, 2026/3/2, 2026年3月2日 …), or without the year (3月2日,
/// 3月2号), which is then in the year nearest `today`; either may be followed by a weekday, bare
/// or in brackets of any kind (3月2日（星期一）, 3月2日 周一, 3月2日（一）),
/// which must be the date's. 3.2 is refused: it reads as a number as easily as a date.
fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let written = clean_text(text);
    let not_a_date = || Problem::NotADate(written.clone());
    let text = halfwidth(&written);
    let (body, weekday) = split_weekday(text.trim()).ok_or_else(not_a_date)?;
    let parsed = if body.contains('月') && !body.contains('年') {
        month_day(body, today)
    } else {
        parse_date(body)
    };
    // The message quotes the cell as written, weekday and all.
    let date = parsed.map_err(|p| match p {
        Problem::ImpossibleDate(_) => Problem::ImpossibleDate(written.clone()),
        _ => not_a_date(),
    })?;
    match weekday {
        Some(weekday) if weekday != date.weekday() => Err(Problem::WrongWeekday {
            written: written.clone(),
            date,
        }),
        _ => Ok(date),
    }
}

/// `3月2日` or `3月2号` in the year that puts it nearest `today` (2月29日 in
/// the nearest year that has one).
fn month_day(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let not_a_date = || Problem::NotADate(text.to_owned());
    let rest = text.strip_suffix(['日', '号']).unwrap_or(text);
    let (month, day) = rest.split_once('月').ok_or_else(not_a_date)?;
    let number = |s: &str| {
        let s = s.trim();
        ((1..=2).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(month), Some(day)) = (number(month), number(day)) else {
        return Err(not_a_date());
    };
    let year = today.year();
    [year, year - 1, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - today).num_days().abs())
        .ok_or_else(|| Problem::ImpossibleDate(text.to_owned()))
}

const OPENING: [char; 8] = ['(', '[', '{', '<', '【', '〔', '《', '〈'];
const CLOSING: [char; 8] = [')', ']', '}', '>', '】', '〕', '》', '〉'];

/// The date part of `text` and the weekday written after it, if any; `None`
/// when brackets at the end hold something other than a weekday.
fn split_weekday(text: &str) -> Option<(&str, Option<Weekday>)> {
    if let Some(open) = text.strip_suffix(CLOSING) {
        let (body, inside) = open.rsplit_once(OPENING)?;
        // In brackets the day alone is a weekday too: 3月2日（一）.
        let inside = inside.trim();
        let weekday = weekday_word(inside).or_else(|| weekday_day(inside))?;
        return Some((body.trim_end(), Some(weekday)));
    }
    let trailing = ["星期", "礼拜", "周"].iter().find_map(|prefix| {
        let (body, day) = text.rsplit_once(prefix)?;
        Some((body.trim_end(), weekday_day(day)?))
    });
    Some(match trailing {
        Some((body, weekday)) => (body, Some(weekday)),
        None => (text, None),
    })
}

/// 星期一, 周一, 礼拜一 … 星期日, 星期天.
fn weekday_word(word: &str) -> Option<Weekday> {
    let day = ["星期", "礼拜", "周"]
        .iter()
        .find_map(|prefix| word.strip_prefix(prefix))?;
    weekday_day(day)
}

fn weekday_day(day: &str) -> Option<Weekday> {
    Some(match day {
        "一" => Weekday::Mon,
        "二" => Weekday::Tue,
        "三" => Weekday::Wed,
        "四" => Weekday::Thu,
        "五" => Weekday::Fri,
        "六" => Weekday::Sat,
        "日" | "天" => Weekday::Sun,
        _ => return None,
    })
}

/// A time cell: text in the forms of [`parse_time`], or a time of day as
/// Excel stores it.
fn read_time(row: &TableRow<'_>, id: ColumnId) -> Result<SheetTime, RowError> {
    let at = |start| SheetTime::Span { start, end: None };
    let parsed = match row.cell(id) {
        None => Err(Problem::Missing),
        Some(Data::String(s)) if clean_text(s).is_empty() => Err(Problem::Missing),
        Some(Data::String(s)) => parse_time(s),
        // A time cell holds a fraction of a day: the date part of a time
        // alone is Excel's epoch (1899-12-30/31, or 1904-01-01 in a 1904
        // workbook), serial 0. A whole date and time is not a time of day.
        Some(Data::DateTime(dt)) => time_of_day(dt.as_f64())
            .map(at)
            .ok_or_else(|| Problem::NotATime(shown(dt))),
        // The same fraction in a cell not formatted as a time.
        Some(Data::Float(f)) => time_of_day(*f)
            .map(at)
            .ok_or_else(|| Problem::NotATime(f.to_string())),
        Some(Data::DateTimeIso(s)) => iso_time(s)
            .map(at)
            .ok_or_else(|| Problem::NotATime(s.clone())),
        Some(Data::Error(e)) => Err(Problem::FormulaError(e.to_string())),
        Some(other) => Err(Problem::NotATime(other.to_string())),
    };
    parsed.map_err(|p| row.error(id, p))
}

/// A fraction of a day as a time, to the second; `None` outside one day.
fn time_of_day(fraction: f64) -> Option<NaiveTime> {
    if !(0.0..1.0).contains(&fraction) {
        return None;
    }
    let seconds = (fraction * 86_400.0).round() as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0)
}

/// An ISO time (`09:00:00`) or a date-time on Excel's epoch
/// (`1899-12-30T09:00:00`), as some writers store a time cell.
fn iso_time(text: &str) -> Option<NaiveTime> {
    if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M:%S%.f") {
        return Some(time);
    }
    let at = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    let epoch = (at.year(), at.month());
    (epoch == (1899, 12) && at.day() >= 30).then(|| at.time())
}

/// An Excel date or time value as the sheet shows it, for messages.
fn shown(dt: &ExcelDateTime) -> String {
    match dt.as_datetime() {
        Some(t) if (0.0..1.0).contains(&dt.as_f64()) => t.format("%H:%M").to_string(),
        Some(t) if t.time() == NaiveTime::MIN => t.date().to_string(),
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => dt.to_string(),
    }
}

/// What may stand between a span's start and end.
const SPAN_MARKS: [char; 7] = ['-', '~', '—', '–', '〜', '至', '到'];

/// A time as written: `9:00` or `09:00` (a full-width colon too), a span
/// `9:00-11:30` (with -, —, ～, 至 or 到 between), a half-day word alone
/// (上午, 下午, 晚上), the word then a time (`下午3:00` is 15:00: after 下午
/// or 晚上 an hour below 12 is the afternoon's or evening's; a span's end
/// without its own word takes the start's), or 全天.
fn parse_time(text: &str) -> Result<SheetTime, Problem> {
    let written = clean_text(text);
    let not_a_time = || Problem::NotATime(written.clone());
    let text = halfwidth(&written);
    let text = text.trim();
    if text == "全天" {
        return Ok(SheetTime::AllDay);
    }
    let (start, end) = match text.split_once(SPAN_MARKS) {
        // "9:00——11:30": a doubled dash is one mark.
        Some((start, end)) => (start, Some(end.trim_start_matches(SPAN_MARKS))),
        None => (text, None),
    };
    let (slot, start) = slot_word(start);
    if start.is_empty() && end.is_none() {
        return slot.map(SheetTime::Slot).ok_or_else(not_a_time);
    }
    let start = clock(start, slot).ok_or_else(not_a_time)?;
    let end = match end {
        Some(end) => {
            let (own, end) = slot_word(end);
            Some(clock(end, own.or(slot)).ok_or_else(not_a_time)?)
        }
        None => None,
    };
    if end.is_some_and(|end| end <= start) {
        return Err(Problem::EndNotAfterStart(written));
    }
    Ok(SheetTime::Span { start, end })
}

/// The half-day word `text` starts with, if any, and the rest.
fn slot_word(text: &str) -> (Option<HalfDay>, &str) {
    let text = text.trim();
    HalfDay::ALL
        .iter()
        .find_map(|slot| Some((Some(*slot), text.strip_prefix(slot.label())?.trim())))
        .unwrap_or((None, text))
}

/// `9:00` or `09:00`, moved past noon after 下午 or 晚上.
fn clock(text: &str, slot: Option<HalfDay>) -> Option<NaiveTime> {
    let (hour, minute) = text.split_once(':')?;
    let digits = |s: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !digits(hour, 1..=2) || !digits(minute, 2..=2) {
        return None;
    }
    let mut hour: u32 = hour.parse().ok()?;
    if matches!(slot, Some(HalfDay::Afternoon | HalfDay::Evening)) && hour < 12 {
        hour += 12;
    }
    NaiveTime::from_hms_opt(hour, minute.parse().ok()?, 0)
}

/// Names as listed in one cell, split at 、 , ， / ; ； and spaces of any
/// width, each kept as written.
fn names(text: &str) -> Vec<String> {
    const SEPARATORS: [char; 8] = ['、', ',', '，', '/', '／', ';', '；', '\u{3000}'];
    text.split(|c: char| SEPARATORS.contains(&c) || c.is_whitespace())
        .map(clean_text)
        .filter(|name| !name.is_empty())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn span(start: NaiveTime, end: Option<NaiveTime>) -> SheetTime {
        SheetTime::Span { start, end }
    }

    #[test]
    fn times_in_every_written_form() {
        let cases = [
            ("9:00", span(hm(9, 0), None)),
            ("09:00", span(hm(9, 0), None)),
            ("9：00", span(hm(9, 0), None)),
            ("９：３０", span(hm(9, 30), None)),
            (" 14:30 ", span(hm(14, 30), None)),
            ("9:00-11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00 - 11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00—11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00——11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00～11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00~11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00至11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("9:00到11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("上午", SheetTime::Slot(HalfDay::Morning)),
            ("下午", SheetTime::Slot(HalfDay::Afternoon)),
            ("晚上", SheetTime::Slot(HalfDay::Evening)),
            ("全天", SheetTime::AllDay),
            ("上午9:00", span(hm(9, 0), None)),
            ("上午 9:00", span(hm(9, 0), None)),
            ("下午3:00", span(hm(15, 0), None)),
            ("下午15:00", span(hm(15, 0), None)),
            ("下午12:30", span(hm(12, 30), None)),
            ("晚上7:30", span(hm(19, 30), None)),
            ("上午9:00-11:30", span(hm(9, 0), Some(hm(11, 30)))),
            ("下午3:00-5:00", span(hm(15, 0), Some(hm(17, 0)))),
            ("上午10:00-下午2:00", span(hm(10, 0), Some(hm(14, 0)))),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_time(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_time_is_named_with_the_forms_to_write() {
        for text in [
            "待定",
            "a",
            "9点",
            "900",
            "9:0",
            "25:00",
            "9:60",
            "上午待定",
            "9:00-",
            "-9:00",
            "中午",
            "全天9:00",
        ] {
            assert_eq!(
                parse_time(text),
                Err(Problem::NotATime(text.to_owned())),
                "{text}"
            );
        }
        assert_eq!(
            Problem::NotATime("待定".into()).to_string(),
            "“待定”不是时间：请写 9:00、9:00-11:30、上午、下午、晚上或全天"
        );
        for text in ["11:30-9:00", "9:00-9:00", "上午11:00-1:00"] {
            assert_eq!(
                parse_time(text),
                Err(Problem::EndNotAfterStart(text.to_owned())),
                "{text}"
            );
        }
    }

    #[test]
    fn excel_time_fractions() {
        assert_eq!(time_of_day(0.375), Some(hm(9, 0)));
        assert_eq!(time_of_day(11.5 / 24.0), Some(hm(11, 30)));
        assert_eq!(time_of_day(0.0), Some(hm(0, 0)));
        assert_eq!(time_of_day(1.0), None);
        assert_eq!(time_of_day(46_083.375), None);
        assert_eq!(time_of_day(-0.5), None);
        assert_eq!(iso_time("09:30:00"), Some(hm(9, 30)));
        assert_eq!(iso_time("1899-12-31T09:30:00"), Some(hm(9, 30)));
        assert_eq!(iso_time("2026-03-02T09:30:00"), None);
    }

    /// A day in the middle of `year`, as the day a sheet is read on.
    fn mid(year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, 6, 15).unwrap()
    }

    #[test]
    fn a_date_without_its_year_is_the_one_nearest_the_day_it_is_read() {
        let late_december = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
        assert_eq!(
            parse_day("1月4日（星期一）", late_december),
            Ok(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap())
        );
        let early_january = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
        assert_eq!(
            parse_day("12月31日", early_january),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
        );
    }

    #[test]
    fn days_with_and_without_the_year_and_with_a_weekday() {
        let cases = [
            ("2026-03-02", day(3, 2)),
            ("2026/3/2", day(3, 2)),
            ("2026年3月2日", day(3, 2)),
            ("20260302", day(3, 2)),
            ("3月2日", day(3, 2)),
            ("03月02日", day(3, 2)),
            ("3月2号", day(3, 2)),
            ("３月２日", day(3, 2)),
            ("3月2日（星期一）", day(3, 2)),
            ("3月2日(周一)", day(3, 2)),
            ("3月2日【礼拜一】", day(3, 2)),
            ("3月2日（一）", day(3, 2)),
            ("3月2日 周一", day(3, 2)),
            ("3月2日星期一", day(3, 2)),
            ("3月8日（星期日）", day(3, 8)),
            ("3月8日 周天", day(3, 8)),
            ("2026年3月2日（星期一）", day(3, 2)),
            ("2026-03-02 周一", day(3, 2)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_day(text, mid(2026)), Ok(expected), "{text}");
        }
        assert_eq!(
            parse_day("3月2日", mid(2027)),
            Ok(day(3, 2).with_year(2027).unwrap())
        );
    }

    #[test]
    fn days_that_do_not_read_or_name_the_wrong_weekday() {
        for text in [
            "3.2",
            "3/2",
            "下周一",
            "星期一",
            "3月",
            "3月2日（上午）",
            "3月2日 周八",
        ] {
            assert_eq!(
                parse_day(text, mid(2026)),
                Err(Problem::NotADate(text.to_owned())),
                "{text}"
            );
        }
        for text in ["3月32日", "2月29日", "13月1日（星期一）", "2026-02-30"] {
            assert_eq!(
                parse_day(text, mid(2026)),
                Err(Problem::ImpossibleDate(text.to_owned())),
                "{text}"
            );
        }
        let wrong = parse_day("3月3日（星期一）", mid(2026));
        assert_eq!(
            wrong,
            Err(Problem::WrongWeekday {
                written: "3月3日（星期一）".to_owned(),
                date: day(3, 3),
            })
        );
        assert_eq!(
            wrong.unwrap_err().to_string(),
            "“3月3日（星期一）”写的星期与日期不符：2026-03-03 是星期二"
        );
    }

    #[test]
    fn names_split_at_every_separator_and_keep_their_spelling() {
        let cases: [(&str, &[&str]); 6] = [
            ("张三、李四", &["张三", "李四"]),
            ("张三,李四，王五", &["张三", "李四", "王五"]),
            ("张三/李四／王五", &["张三", "李四", "王五"]),
            ("张三;李四；王五", &["张三", "李四", "王五"]),
            (" 张三 李四　王五 ", &["张三", "李四", "王五"]),
            ("艾力·吐尔逊、、", &["艾力·吐尔逊"]),
        ];
        for (text, expected) in cases {
            assert_eq!(names(text), expected, "{text}");
        }
        assert!(names(" 、 ").is_empty());
    }
}
