//! Import of the marriage counter's online appointments (网上预约导出).
//!
//! The output, [`AppointmentRow`], is this import's own shape: it carries
//! checked names and ID numbers but no record id or status, and is mapped onto
//! the marriage record kind by mz-app. Party A is the man (男方) or the one
//! applicant (申请人) of a reissue; party B the woman (女方).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use mz_domain::identity::{IdNumber, normalise_name};
use serde::{Deserialize, Serialize};

use crate::read::{
    ColumnId, Headers, ImportError, Problem, RowError, TableRow, Workbook, clean_text, halfwidth,
    keep,
};

/// The business an appointment is for (the counter's kinds of business).
pub use mz_domain::marriage::Business as AppointmentKind;

/// A booked period of the day, such as 09:00-09:30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeSlot {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TimeSlot {
    /// Reads "09:00-09:30", also with one-digit hours, full-width digits and
    /// colons, and the dashes, tildes, 至 and 到 people put between.
    pub fn parse(text: &str) -> Option<TimeSlot> {
        let text = halfwidth(text);
        let (start, end) = text.split_once(['-', '~', '—', '–', '至', '到'])?;
        let start = parse_time(start)?;
        let end = parse_time(end)?;
        (start < end).then_some(TimeSlot { start, end })
    }
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.trim().split_once(':')?;
    let digits = |s: &str| (1..=2).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

impl fmt::Display for TimeSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// One party of an appointment, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// As `normalise_name` returns it (look-alike dots made U+00B7).
    pub name: String,
    pub id_number: IdNumber,
}

/// One appointment read from the export: the import's output, to be mapped
/// onto the marriage record kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentRow {
    /// The row in the file, as Excel numbers it.
    pub row: u32,
    pub date: NaiveDate,
    pub slot: TimeSlot,
    pub kind: AppointmentKind,
    pub party_a: Party,
    /// Absent only for a reissue asked for by one party.
    pub party_b: Option<Party>,
    /// As written, full-width digits made ASCII.
    pub phone: String,
}

/// What an import found: the good rows, one error per bad cell, and how
/// many blank rows were passed over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: Vec<AppointmentRow>,
    pub errors: Vec<RowError>,
    pub skipped_blank: usize,
}

/// The columns of a booking export, each with the names it goes by.
struct Columns {
    date: ColumnId,
    slot: ColumnId,
    kind: ColumnId,
    a_name: ColumnId,
    a_id: ColumnId,
    b_name: ColumnId,
    b_id: ColumnId,
    phone: ColumnId,
    headers: Headers,
}

const NAME: &[&str] = &["姓名", "名字"];
const ID: &[&str] = &["身份证号", "身份证号码", "证件号码", "证件号", "身份证"];

/// Every prefix with every base name; `bare` adds the bases alone (an export
/// of one-applicant bookings has plain 姓名 and 身份证号 columns).
fn party_names(prefixes: &[&str], bases: &[&str], bare: bool) -> Vec<String> {
    let mut names: Vec<String> = prefixes
        .iter()
        .flat_map(|p| bases.iter().map(move |b| format!("{p}{b}")))
        .collect();
    if bare {
        names.extend(bases.iter().map(|b| (*b).to_owned()));
    }
    names
}

impl Columns {
    fn new() -> Columns {
        let a = ["甲方", "男方", "申请人", "一方"];
        let b = ["乙方", "女方", "另一方"];
        let mut headers = Headers::new();
        Columns {
            date: headers.required(&["预约日期", "日期", "办理日期"]),
            slot: headers.required(&["预约时段", "时间段", "时段", "预约时间段"]),
            kind: headers.required(&["业务类型", "预约业务", "办理业务", "业务", "登记类型"]),
            a_name: headers.required(&party_names(&a, NAME, true)),
            a_id: headers.required(&party_names(&a, ID, true)),
            b_name: headers.optional(&party_names(&b, NAME, false)),
            b_id: headers.optional(&party_names(&b, ID, false)),
            phone: headers.required(&[
                "手机",
                "手机号",
                "手机号码",
                "联系电话",
                "电话",
                "联系方式",
            ]),
            headers,
        }
    }
}

/// Imports the appointments in the file at `path` (first visible sheet).
/// `today` bounds the birth dates in ID numbers; nothing here reads a clock.
/// A file past the import's limits ([`crate::MAX_FILE_BYTES`],
/// [`crate::MAX_ROWS`], [`crate::MAX_COLUMNS`]) is an [`ImportError`] naming
/// the sheet and the limit.
pub fn import_appointments(path: &Path, today: NaiveDate) -> Result<ImportReport, ImportError> {
    let mut workbook = Workbook::open(path)?;
    read_appointments(&mut workbook, None, today)
}

/// Imports the appointments on `sheet` (or the first visible one) of an
/// opened workbook.
pub fn read_appointments(
    workbook: &mut Workbook,
    sheet: Option<&str>,
    today: NaiveDate,
) -> Result<ImportReport, ImportError> {
    let columns = Columns::new();
    let table = workbook.table(sheet, &columns.headers)?;
    let mut report = ImportReport::default();
    // (date, party A's number) → the row that booked it first.
    let mut seen: HashMap<(NaiveDate, IdNumber), u32> = HashMap::new();
    for row in table.rows() {
        if row.is_blank() {
            report.skipped_blank += 1;
            continue;
        }
        let mut errors = Vec::new();
        if let Some(appointment) = read_row(&row, &columns, today, &mut errors) {
            let key = (appointment.date, appointment.party_a.id_number.clone());
            if let Some(&first) = seen.get(&key) {
                errors.push(row.error(columns.a_id, Problem::Duplicate(first)));
            } else {
                seen.insert(key, appointment.row);
                report.rows.push(appointment);
            }
        }
        report.errors.append(&mut errors);
    }
    Ok(report)
}

/// Reads every cell of a row, collecting one error per bad cell; the row is
/// returned only when all are good.
fn read_row(
    row: &TableRow<'_>,
    columns: &Columns,
    today: NaiveDate,
    errors: &mut Vec<RowError>,
) -> Option<AppointmentRow> {
    let date = keep(errors, row.date(columns.date));
    let slot = keep(
        errors,
        row.text(columns.slot).and_then(|text| {
            TimeSlot::parse(&text).ok_or_else(|| row.error(columns.slot, Problem::TimeSlot(text)))
        }),
    );
    let kind = keep(
        errors,
        row.text(columns.kind).and_then(|text| {
            AppointmentKind::from_label(&text)
                .ok_or_else(|| row.error(columns.kind, Problem::BusinessKind(text)))
        }),
    );
    let a_name = keep(
        errors,
        row.text(columns.a_name)
            .and_then(|t| check_name(row, columns.a_name, &t)),
    );
    let a_id = keep(
        errors,
        row.id_text(columns.a_id)
            .and_then(|t| check_id(row, columns.a_id, &t, today)),
    );
    let b_name = keep(
        errors,
        row.optional_text(columns.b_name)
            .and_then(|t| t.map(|t| check_name(row, columns.b_name, &t)).transpose()),
    );
    let b_id = keep(
        errors,
        row.optional_id_text(columns.b_id).and_then(|t| {
            t.map(|t| check_id(row, columns.b_id, &t, today))
                .transpose()
        }),
    );
    let phone = keep(
        errors,
        row.text(columns.phone).and_then(|text| {
            check_phone(&text).ok_or_else(|| row.error(columns.phone, Problem::Phone(text)))
        }),
    );

    // Party B: both cells or neither, and both for marriage and divorce.
    let needs_b = kind.is_some_and(AppointmentKind::needs_both_parties);
    let party_b = match (b_name, b_id) {
        (Some(Some(name)), Some(Some(id_number))) => Some(Some(Party { name, id_number })),
        (Some(None), Some(None)) if needs_b => {
            errors.push(row.error(columns.b_name, Problem::Missing));
            errors.push(row.error(columns.b_id, Problem::Missing));
            None
        }
        (Some(None), Some(None)) => Some(None),
        (Some(None), _) => {
            errors.push(row.error(columns.b_name, Problem::Missing));
            None
        }
        (_, Some(None)) => {
            errors.push(row.error(columns.b_id, Problem::Missing));
            None
        }
        _ => None,
    };
    if let (Some(a), Some(Some(b))) = (&a_id, &party_b)
        && *a == b.id_number
    {
        errors.push(row.error(columns.b_id, Problem::SamePerson));
        return None;
    }
    Some(AppointmentRow {
        row: row.number(),
        date: date?,
        slot: slot?,
        kind: kind?,
        party_a: Party {
            name: a_name?,
            id_number: a_id?,
        },
        party_b: party_b?,
        phone: phone?,
    })
}

fn check_name(row: &TableRow<'_>, id: ColumnId, text: &str) -> Result<String, RowError> {
    normalise_name(text).map_err(|e| row.error(id, Problem::Name(e.to_string())))
}

fn check_id(
    row: &TableRow<'_>,
    id: ColumnId,
    text: &str,
    today: NaiveDate,
) -> Result<IdNumber, RowError> {
    IdNumber::parse(text, today).map_err(|e| row.error(id, Problem::IdNumber(e.to_string())))
}

/// A mobile number (11 digits from 1) or a landline (7-8 digits, or 10-12
/// with the area code from 0), with spaces, dashes and brackets between and an
/// optional +86. Returns the text as written, in ASCII digits.
/// A phone number as the booking system wrote it (full-width digits, an
/// area code in brackets), checked by the one rule the counter uses
/// ([`mz_domain::phone::phone_issue`]).
fn check_phone(text: &str) -> Option<String> {
    let written = clean_text(&halfwidth(text));
    // "(0731)88888888" and "（0731）…" read as "0731-88888888".
    let written = written.replace(['(', '（'], "").replace([')', '）'], "-");
    let written = written.trim_matches('-').to_owned();
    mz_domain::phone::phone_issue(&written)
        .is_none()
        .then_some(written)
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn time_slots_as_written_by_booking_systems_and_people() {
        let slot = TimeSlot {
            start: hm(9, 0),
            end: hm(9, 30),
        };
        for text in [
            "09:00-09:30",
            "9:00-9:30",
            "09：00—09：30",
            "09:00 ~ 09:30",
            "09:00至09:30",
        ] {
            assert_eq!(TimeSlot::parse(text), Some(slot), "{text}");
        }
        assert_eq!(slot.to_string(), "09:00-09:30");
        for text in ["上午", "09:30-09:00", "25:00-26:00", "0900-0930", "09:00"] {
            assert_eq!(TimeSlot::parse(text), None, "{text}");
        }
    }

    #[test]
    fn phone_numbers_mobile_and_landline() {
        assert_eq!(
            check_phone("138 1234 5678").as_deref(),
            Some("138 1234 5678")
        );
        assert_eq!(
            check_phone("+86 13812345678").as_deref(),
            Some("+86 13812345678")
        );
        assert_eq!(
            check_phone("0731-84123456").as_deref(),
            Some("0731-84123456")
        );
        assert_eq!(
            check_phone("１３８１２３４５６７８").as_deref(),
            Some("13812345678")
        );
        assert_eq!(check_phone("12345"), None);
        assert_eq!(check_phone("1381234567"), None);
        assert_eq!(check_phone("无"), None);
    }

    #[test]
    fn business_kinds() {
        assert_eq!(
            AppointmentKind::from_label("结婚登记"),
            Some(AppointmentKind::Marriage)
        );
        assert_eq!(
            AppointmentKind::from_label(" 补领 离婚证 "),
            Some(AppointmentKind::DivorceReissue)
        );
        assert_eq!(AppointmentKind::from_label("复婚登记"), None);
    }
}
