//! 委托办理: someone away (on leave, on a trip, in training) hands their
//! to-dos to a colleague for some days — one `office_delegation` record
//! each. While it runs the colleague finds those to-dos in their own 待办
//! and takes each step for the one away, the step saying so
//! ([`super::StepEntry::on_behalf_of`]). A leader's sign-off is not handed
//! over this way: only the away report's stand-in signs with 代.
//!
//! Written by the one away (or by the office for them); afterwards it may
//! only be cancelled, and a cancelled one is final.

use chrono::NaiveDate;
use mz_domain::FieldIssue;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::{Person, issue};

/// The longest a delegation runs, in days.
pub const MAX_DELEGATION_DAYS: i64 = 90;
/// The most characters of its reason.
pub const REASON_CHARS: usize = 200;

/// The body of an `office_delegation` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DelegationData {
    /// Who is away.
    pub from: Person,
    /// Who takes their to-dos.
    pub to: Person,
    /// The first and the last day it runs (China's days).
    #[ts(type = "string")]
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub end: NaiveDate,
    /// Why (休假, 出差, 培训 …).
    pub reason: String,
    #[serde(default)]
    pub cancelled: bool,
}

impl DelegationData {
    /// Whether it runs on `day`.
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        !self.cancelled && self.start <= day && day <= self.end
    }
}

/// A delegation's own rules: someone else, a span within the cap, a reason.
pub fn delegation_issues(body: &DelegationData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if body.to.user_id == body.from.user_id {
        issues.push(issue("to", "请委托给另一位同事"));
    }
    if body.to.user_id.trim().is_empty() {
        issues.push(issue("to", "请选择受托人"));
    }
    if body.end < body.start {
        issues.push(issue("end", "结束日期不能早于开始日期"));
    } else if (body.end - body.start).num_days() >= MAX_DELEGATION_DAYS {
        issues.push(issue(
            "end",
            format!("一次委托最长 {MAX_DELEGATION_DAYS} 天"),
        ));
    }
    let reason = body.reason.trim();
    if reason.is_empty() {
        issues.push(issue("reason", "请写明委托事由"));
    } else if reason.chars().count() > REASON_CHARS {
        issues.push(issue("reason", format!("事由不超过 {REASON_CHARS} 字")));
    }
    issues
}

pub(crate) fn normalise_delegation(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body: DelegationData = read_body(data)?;
    body.reason = body.reason.trim().to_owned();
    let issues = delegation_issues(&body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// What a delegation may become: cancelled, and nothing else; a cancelled
/// one is final. The desk and the platform both ask this.
pub fn check_delegation_change(
    previous: Option<&DelegationData>,
    next: &DelegationData,
) -> Vec<FieldIssue> {
    let Some(previous) = previous else {
        if next.cancelled {
            return vec![issue("cancelled", "新的委托不能是已取消的")];
        }
        return Vec::new();
    };
    if previous.cancelled {
        return vec![issue("cancelled", "已取消的委托不能再改动")];
    }
    let cancelled = DelegationData {
        cancelled: true,
        ..previous.clone()
    };
    if *next != cancelled {
        return vec![issue("cancelled", "委托只能取消；要改期请取消后重新委托")];
    }
    Vec::new()
}

pub(crate) fn delegation_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    _today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, check_delegation_change)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn delegation() -> DelegationData {
        DelegationData {
            from: Person {
                user_id: "u-relief".to_owned(),
                name: "王建军".to_owned(),
            },
            to: Person {
                user_id: "u-colleague".to_owned(),
                name: "孙丽".to_owned(),
            },
            start: day(7),
            end: day(11),
            reason: "参加全国社会救助培训".to_owned(),
            cancelled: false,
        }
    }

    #[test]
    fn a_delegation_runs_its_days_to_someone_else_with_a_reason() {
        let d = delegation();
        assert!(delegation_issues(&d).is_empty());
        assert!(!d.runs_on(day(6)) && d.runs_on(day(7)) && d.runs_on(day(11)));
        assert!(!d.runs_on(day(12)));
        let fields = |d: DelegationData| -> Vec<String> {
            delegation_issues(&d).into_iter().map(|i| i.field).collect()
        };
        let to_self = DelegationData {
            to: d.from.clone(),
            ..d.clone()
        };
        assert_eq!(fields(to_self), ["to"]);
        let backwards = DelegationData {
            end: day(6),
            ..d.clone()
        };
        assert_eq!(fields(backwards), ["end"]);
        let long = DelegationData {
            end: day(7) + chrono::Duration::days(MAX_DELEGATION_DAYS),
            ..d.clone()
        };
        assert_eq!(fields(long), ["end"]);
        let bare = DelegationData {
            reason: "  ".to_owned(),
            ..d.clone()
        };
        assert_eq!(fields(bare), ["reason"]);
    }

    #[test]
    fn a_delegation_is_only_ever_cancelled() {
        let value = |d: &DelegationData| serde_json::to_value(d).unwrap();
        let d = delegation();
        assert!(delegation_change(None, &value(&d), day(7)).is_ok());
        let cancelled = DelegationData {
            cancelled: true,
            ..d.clone()
        };
        assert!(delegation_change(None, &value(&cancelled), day(7)).is_err());
        assert!(delegation_change(Some(&value(&d)), &value(&cancelled), day(7)).is_ok());
        let longer = DelegationData {
            end: day(20),
            ..d.clone()
        };
        assert!(delegation_change(Some(&value(&d)), &value(&longer), day(7)).is_err());
        assert!(delegation_change(Some(&value(&cancelled)), &value(&d), day(7)).is_err());
    }
}
