//! Official-document handling (公文处理) under the 2012 Regulations
//! (《党政机关公文处理工作条例》, 中办发〔2012〕14号): the fifteen kinds, the
//! document number, the steps of an outgoing and an incoming document and
//! whose work each step is, who signs off what, and how much time a tracked
//! item has left.
//!
//! Pure: the caller passes today's date and the people; the record body and
//! its state machine are in `mz_api::office`.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The fifteen kinds of the Regulations (art. 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum DocKind {
    #[serde(rename = "决议")]
    Resolution,
    #[serde(rename = "决定")]
    Decision,
    #[serde(rename = "命令")]
    Order,
    #[serde(rename = "公报")]
    Communique,
    #[serde(rename = "公告")]
    Announcement,
    #[serde(rename = "通告")]
    Circular,
    #[serde(rename = "意见")]
    Opinion,
    #[serde(rename = "通知")]
    Notice,
    #[serde(rename = "通报")]
    Bulletin,
    #[serde(rename = "报告")]
    Report,
    #[serde(rename = "请示")]
    Request,
    #[serde(rename = "批复")]
    Reply,
    #[serde(rename = "议案")]
    Motion,
    #[serde(rename = "函")]
    Letter,
    #[serde(rename = "纪要")]
    Minutes,
}

impl DocKind {
    pub const ALL: [DocKind; 15] = [
        DocKind::Resolution,
        DocKind::Decision,
        DocKind::Order,
        DocKind::Communique,
        DocKind::Announcement,
        DocKind::Circular,
        DocKind::Opinion,
        DocKind::Notice,
        DocKind::Bulletin,
        DocKind::Report,
        DocKind::Request,
        DocKind::Reply,
        DocKind::Motion,
        DocKind::Letter,
        DocKind::Minutes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Resolution => "决议",
            DocKind::Decision => "决定",
            DocKind::Order => "命令",
            DocKind::Communique => "公报",
            DocKind::Announcement => "公告",
            DocKind::Circular => "通告",
            DocKind::Opinion => "意见",
            DocKind::Notice => "通知",
            DocKind::Bulletin => "通报",
            DocKind::Report => "报告",
            DocKind::Request => "请示",
            DocKind::Reply => "批复",
            DocKind::Motion => "议案",
            DocKind::Letter => "函",
            DocKind::Minutes => "纪要",
        }
    }

    /// Whether the kind goes upward by its nature (a 报告 or a 请示 is
    /// addressed to the body above): signed off by the principal leader.
    pub fn is_upward(self) -> bool {
        matches!(self, DocKind::Report | DocKind::Request)
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document number (发文字号): 机关代字〔year〕serial号, e.g.
/// 湘民发〔2026〕22号 — hexagonal brackets, the full year, the serial without
/// leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocNumber {
    /// 机关代字, e.g. 湘民发.
    pub code: String,
    pub year: i32,
    pub serial: u32,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.code, self.year, self.serial)
    }
}

/// Why a text is not a document number, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadDocNumber(pub String);

/// Checks an issuing body's code (机关代字) on its own.
pub fn check_code(code: &str) -> Result<(), BadDocNumber> {
    let bad = |m: &str| Err(BadDocNumber(m.to_owned()));
    if code.is_empty() {
        return bad("机关代字不能为空");
    }
    if code.chars().count() > 12 {
        return bad("机关代字不超过 12 个字");
    }
    if code
        .chars()
        .any(|c| c.is_whitespace() || c.is_ascii_digit() || "〔〕[]()（）【】号".contains(c))
    {
        return bad("机关代字只写汉字，如“湘民发”，不含年份、括号和序号");
    }
    Ok(())
}

impl FromStr for DocNumber {
    type Err = BadDocNumber;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |m: &str| BadDocNumber(m.to_owned());
        let form = "发文字号写作 机关代字〔年份〕序号号，如 湘民发〔2026〕22号";
        let (code, rest) = text.split_once('〔').ok_or_else(|| {
            if text.contains('[') || text.contains('(') || text.contains('（') {
                bad("年份须用六角括号〔〕，如 湘民发〔2026〕22号")
            } else {
                bad(form)
            }
        })?;
        check_code(code)?;
        let (year, rest) = rest.split_once('〕').ok_or_else(|| bad(form))?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("年份写全四位，如〔2026〕"));
        }
        let serial = rest.strip_suffix('号').ok_or_else(|| bad(form))?;
        if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(form));
        }
        if serial.starts_with('0') {
            return Err(bad("序号不编虚位，从 1 起，不写 01、001"));
        }
        Ok(DocNumber {
            code: code.to_owned(),
            year: year.parse().map_err(|_| bad(form))?,
            serial: serial.parse().map_err(|_| bad("序号过大"))?,
        })
    }
}

/// The steps a document passes, outgoing (发文) then incoming (收文), and
/// the end of both.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 草拟.
    Draft,
    /// 审核, by the office.
    Review,
    /// 签发, by the leader named at review.
    SignOff,
    /// 会签, by every co-issuer of a joint document (recorded by the office).
    Countersign,
    /// 复核, by the office: a substantive change goes back to the signer.
    Check,
    /// 登记 and numbering, by the office.
    Register,
    /// 印制.
    Print,
    /// 核发 to the recipients.
    Distribute,
    /// 收文登记: an incoming document registered, waiting for its first check.
    FirstCheck,
    /// 承办 waiting to be assigned (拟办).
    Assign,
    /// In the hands of its lead unit (with the co-handlers), until the reply
    /// or filing.
    Handle,
    /// Done: distributed, replied, filed, or returned to its sender.
    Done,
}

impl Step {
    /// The outgoing steps in order (会签 only for a joint document).
    pub const OUTGOING: [Step; 8] = [
        Step::Draft,
        Step::Review,
        Step::SignOff,
        Step::Countersign,
        Step::Check,
        Step::Register,
        Step::Print,
        Step::Distribute,
    ];

    /// The incoming steps in order (签收 makes the record).
    pub const INCOMING: [Step; 3] = [Step::FirstCheck, Step::Assign, Step::Handle];

    pub fn name(self) -> &'static str {
        match self {
            Step::Draft => "草拟",
            Step::Review => "审核",
            Step::SignOff => "签发",
            Step::Countersign => "会签",
            Step::Check => "复核",
            Step::Register => "登记编号",
            Step::Print => "印制",
            Step::Distribute => "核发",
            Step::FirstCheck => "初审",
            Step::Assign => "拟办分办",
            Step::Handle => "承办",
            Step::Done => "办结",
        }
    }

    /// Whether the step is the office's work (its staff and the
    /// secretaries), not a named person's.
    pub fn is_office_work(self) -> bool {
        matches!(
            self,
            Step::Review
                | Step::Countersign
                | Step::Check
                | Step::Register
                | Step::Print
                | Step::Distribute
                | Step::FirstCheck
                | Step::Assign
        )
    }

    /// The outgoing step after this one; `joint`: the document has
    /// co-issuers who countersign.
    pub fn next_outgoing(self, joint: bool) -> Step {
        match self {
            Step::Draft => Step::Review,
            Step::Review => Step::SignOff,
            Step::SignOff if joint => Step::Countersign,
            Step::SignOff | Step::Countersign => Step::Check,
            Step::Check => Step::Register,
            Step::Register => Step::Print,
            Step::Print => Step::Distribute,
            Step::Distribute | Step::FirstCheck | Step::Assign | Step::Handle | Step::Done => {
                Step::Done
            }
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a document must be signed off by the principal leader (art. 22):
/// an important one, one sent upward, or one of an upward kind.
pub fn needs_principal(kind: DocKind, upward: bool, important: bool) -> bool {
    important || upward || kind.is_upward()
}

/// Whether `roles` do the office's work (its staff and the secretaries, the
/// 文书 and 机要 of the unit): review, registration, distribution, receipt.
pub fn does_office_work(roles: &[crate::Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, crate::Role::OfficeStaff | crate::Role::Secretary))
}

/// How much time a tracked item (督办) or a step has left, as the boards
/// colour it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeLeft {
    /// More than three days, or no deadline.
    Ample,
    /// Due within three days (today included).
    Soon,
    /// Past its deadline.
    Overdue,
}

impl TimeLeft {
    pub fn of(deadline: Option<NaiveDate>, today: NaiveDate) -> TimeLeft {
        match deadline {
            None => TimeLeft::Ample,
            Some(due) if due < today => TimeLeft::Overdue,
            Some(due) if (due - today).num_days() < 3 => TimeLeft::Soon,
            Some(_) => TimeLeft::Ample,
        }
    }
}

/// An opinion, an instruction or a reason: at most this many characters.
pub const OPINION_CHARS: usize = 500;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_and_write_as_the_standard_gives_them() {
        let n: DocNumber = "湘民发〔2026〕22号".parse().unwrap();
        assert_eq!(
            n,
            DocNumber {
                code: "湘民发".to_owned(),
                year: 2026,
                serial: 22
            }
        );
        assert_eq!(n.to_string(), "湘民发〔2026〕22号");
        for (text, says) in [
            ("湘民发[2026]22号", "六角括号"),
            ("湘民发(2026)22号", "六角括号"),
            ("湘民发〔26〕22号", "四位"),
            ("湘民发〔2026〕022号", "虚位"),
            ("湘民发〔2026〕22", "机关代字〔年份〕"),
            ("〔2026〕22号", "不能为空"),
            ("湘民 发〔2026〕22号", "只写汉字"),
            ("湘民发〔2026〕号", "机关代字〔年份〕"),
        ] {
            let error = text.parse::<DocNumber>().unwrap_err();
            assert!(error.0.contains(says), "{text}: {}", error.0);
        }
    }

    #[test]
    fn outgoing_steps_follow_the_regulations() {
        let mut step = Step::Draft;
        let mut seen = vec![step];
        while step != Step::Done {
            step = step.next_outgoing(false);
            seen.push(step);
        }
        assert_eq!(
            seen,
            [
                Step::Draft,
                Step::Review,
                Step::SignOff,
                Step::Check,
                Step::Register,
                Step::Print,
                Step::Distribute,
                Step::Done
            ]
        );
        assert_eq!(Step::SignOff.next_outgoing(true), Step::Countersign);
        assert_eq!(Step::Countersign.next_outgoing(true), Step::Check);
    }

    #[test]
    fn the_principal_signs_what_is_important_or_goes_upward() {
        assert!(needs_principal(DocKind::Request, false, false));
        assert!(needs_principal(DocKind::Report, false, false));
        assert!(needs_principal(DocKind::Notice, true, false));
        assert!(needs_principal(DocKind::Notice, false, true));
        assert!(!needs_principal(DocKind::Notice, false, false));
        assert!(!needs_principal(DocKind::Letter, false, false));
    }

    #[test]
    fn time_left_colours_three_days_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let day = |n| today + chrono::Duration::days(n);
        assert_eq!(TimeLeft::of(None, today), TimeLeft::Ample);
        assert_eq!(TimeLeft::of(Some(day(-1)), today), TimeLeft::Overdue);
        assert_eq!(TimeLeft::of(Some(day(0)), today), TimeLeft::Soon);
        assert_eq!(TimeLeft::of(Some(day(2)), today), TimeLeft::Soon);
        assert_eq!(TimeLeft::of(Some(day(3)), today), TimeLeft::Ample);
    }

    #[test]
    fn fifteen_kinds_with_their_names() {
        assert_eq!(DocKind::ALL.len(), 15);
        for kind in DocKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }
}
