//! A farewell hall booked for one slot of its day (`funeral_booking`): one
//! record per hall and slot, so that two desks booking the same slot
//! offline meet at sync as a conflict, never as a silent double booking (the
//! booking's natural key is its hall, day and slot). A longer ceremony books
//! the slots after it too.

use chrono::NaiveDate;
use mz_domain::FieldIssue;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

/// The body of a `funeral_booking` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct HallBookingData {
    /// The hall, by its code on the home's board.
    pub hall: String,
    pub day: NaiveDate,
    /// The slot's start, `HH:MM`, one of the home's `hall_slots`.
    pub slot: String,
    /// The case it is for.
    pub case_id: Uuid,
    /// The deceased's name, as the hall board shows it.
    pub deceased: String,
    /// Cancelled: kept, the slot free again.
    #[serde(default)]
    pub cancelled: bool,
}

impl HallBookingData {
    /// The key at most one live booking has: its hall, day and slot, in
    /// the home of `unit`; none once cancelled.
    pub fn key(&self, unit: &str) -> Option<String> {
        (!self.cancelled).then(|| format!("hall:{unit}:{}:{}:{}", self.hall, self.day, self.slot))
    }
}

/// A booking on its own: a hall, a slot of the form `HH:MM`, a name.
pub fn normal_booking(body: &mut HallBookingData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    body.hall = body.hall.trim().to_owned();
    if body.hall.is_empty() {
        issues.push(FieldIssue::new("hall", "请选择告别厅"));
    }
    if chrono::NaiveTime::parse_from_str(&body.slot, "%H:%M").is_err() || body.slot.len() != 5 {
        issues.push(FieldIssue::new("slot", "时段的格式如 09:00"));
    }
    if body.deceased.trim().is_empty() {
        issues.push(FieldIssue::new("deceased", "请填写逝者姓名"));
    }
    issues
}

/// What a booking may become: booked for today or a day to come; moved or
/// cancelled before its day, never after; a cancelled one stays cancelled.
pub fn check_booking_change(
    previous: Option<&HallBookingData>,
    next: &HallBookingData,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let moved =
        previous.is_none_or(|p| p.day != next.day || p.slot != next.slot || p.hall != next.hall);
    if moved && next.day < today {
        issues.push(FieldIssue::new("day", "不能预约已过去的日期"));
    }
    if let Some(previous) = previous {
        if previous.cancelled && !next.cancelled {
            issues.push(FieldIssue::new(
                "cancelled",
                "已取消的预约不能恢复，请重新预约",
            ));
        }
        if previous.case_id != next.case_id {
            issues.push(FieldIssue::new("case_id", "预约不能改给另一个案件"));
        }
        if previous.day < today && previous != next {
            issues.push(FieldIssue::new("day", "已过去的预约不能更改"));
        }
    }
    issues
}

pub(crate) fn normalise_booking(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_booking(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

pub(crate) fn booking_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, |previous, next| {
        check_booking_change(previous, next, today)
    })
}

/// A booking is about its day.
pub(crate) fn booking_day(
    data: &serde_json::Value,
) -> Result<Option<NaiveDate>, serde_json::Error> {
    Ok(Some(HallBookingData::deserialize(data)?.day))
}

pub(crate) fn booking_people(
    data: &serde_json::Value,
) -> Result<Vec<crate::records::Named>, serde_json::Error> {
    let body = HallBookingData::deserialize(data)?;
    Ok(vec![crate::records::Named {
        role: "逝者",
        name: body.deceased,
        doc_number: String::new(),
    }])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn booking(d: u32, slot: &str) -> HallBookingData {
        HallBookingData {
            hall: "1号厅".to_owned(),
            day: day(d),
            slot: slot.to_owned(),
            case_id: Uuid::nil(),
            deceased: "王大明".to_owned(),
            cancelled: false,
        }
    }

    #[test]
    fn a_hall_is_booked_by_the_slot_for_today_or_later() {
        let fields =
            |issues: Vec<FieldIssue>| issues.into_iter().map(|i| i.field).collect::<Vec<_>>();
        assert!(normal_booking(&mut booking(3, "09:00")).is_empty());
        assert_eq!(fields(normal_booking(&mut booking(3, "9点"))), ["slot"]);
        assert!(check_booking_change(None, &booking(3, "09:00"), day(3)).is_empty());
        assert_eq!(
            fields(check_booking_change(None, &booking(2, "09:00"), day(3))),
            ["day"]
        );
        // One key per hall, day and slot; none once cancelled.
        let b = booking(3, "09:00");
        assert_eq!(
            b.key("430100-funeral").unwrap(),
            "hall:430100-funeral:1号厅:2026-12-03:09:00"
        );
        let mut cancelled = b.clone();
        cancelled.cancelled = true;
        assert_eq!(cancelled.key("430100-funeral"), None);
        assert!(check_booking_change(Some(&b), &cancelled, day(3)).is_empty());
        assert_eq!(
            fields(check_booking_change(Some(&cancelled), &b, day(3))),
            ["cancelled"]
        );
        assert_eq!(
            fields(check_booking_change(Some(&b), &cancelled, day(4))),
            ["day"]
        );
    }
}
