//! The marriage counter's online-only operations (the marital-status check,
//! the figures), and what a record counts for in the figures: one function
//! for the platform's figures and the counter's statistics.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

/// One person to check: the document and its number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CheckedPerson {
    #[schema(value_type = String, example = "id_card")]
    pub doc_type: mz_domain::marriage::DocumentType,
    pub doc_number: String,
}

/// What a marital-status check is made for: the registration being
/// prepared at the counter (on the platform already, as prepared, naming
/// the same two documents), or today's appointment of the two people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CheckPurpose {
    /// `marriage_registration` or `marriage_appointment`.
    pub kind: crate::records::RecordKind,
    pub record_id: Uuid,
}

/// One check of an office's day, as its head sees it
/// (`GET /api/v1/marriage/status-checks?day=…`): who, when, for what; never
/// the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct StatusCheckEntry {
    pub check_id: Uuid,
    pub checked_at: chrono::DateTime<chrono::Utc>,
    /// Who checked (display name).
    pub user: String,
    /// The device's name.
    pub device: String,
    pub purpose: Option<CheckPurpose>,
    /// What became of the record the check was made for, now:
    /// `prepared`, `registered`, `refused` (a registration), `booked`,
    /// `checked_in`, `no_show`, `served` (an appointment), or `deleted` /
    /// `missing`. A check for a form deleted since is worth a look.
    pub purpose_now: Option<String>,
    pub clear: bool,
    /// Past the daily cap: refused, and shown to the head for that reason.
    pub refused: bool,
}

/// `GET /api/v1/marriage/status-checks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatusChecksQuery {
    pub day: chrono::NaiveDate,
}

/// How many checks one user, or one device, makes in a day at most: a
/// busy counter registers some forty couples, each checked once or twice.
pub const MAX_CHECKS_PER_DAY: i64 = 120;

/// `POST /api/v1/marriage/status-check`: whether either party is married now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StatusCheckRequest {
    pub purpose: CheckPurpose,
    /// The two parties of the marriage to register.
    pub parties: Vec<CheckedPerson>,
}

/// The answer for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct PersonStatus {
    pub doc_number: String,
    /// Registered as married, with no divorce or annulment recorded since.
    pub married: bool,
    /// The certificate number of the current marriage, when married.
    pub certificate_no: Option<String>,
}

/// The check, kept by the platform: a registration cites its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct StatusCheckResponse {
    pub check_id: Uuid,
    /// True when neither party is married: registration may go on.
    pub clear: bool,
    pub parties: Vec<PersonStatus>,
}

/// `GET /api/v1/marriage/figures?from=…&to=…`: what each office within the
/// caller's reach registered in the range (both days included). Counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

/// One office's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct OfficeFigures {
    pub org_unit: String,
    pub name: String,
    pub region: String,
    /// 结婚登记
    pub marriages: u32,
    /// 不予登记 (marriages refused)
    pub refusals: u32,
    /// 离婚申请受理
    pub divorce_applications: u32,
    /// 撤回 and 视为撤回
    pub withdrawals: u32,
    /// 离婚登记
    pub divorces: u32,
}

/// What a record counts for in the figures; the platform stores it by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureEvent {
    Marriage,
    Refusal,
    DivorceApplication,
    Withdrawal,
    Divorce,
}

impl FigureEvent {
    pub const ALL: [FigureEvent; 5] = [
        FigureEvent::Marriage,
        FigureEvent::Refusal,
        FigureEvent::DivorceApplication,
        FigureEvent::Withdrawal,
        FigureEvent::Divorce,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FigureEvent::Marriage => "marriage",
            FigureEvent::Refusal => "refusal",
            FigureEvent::DivorceApplication => "divorce_application",
            FigureEvent::Withdrawal => "withdrawal",
            FigureEvent::Divorce => "divorce",
        }
    }

    pub fn parse(name: &str) -> Option<FigureEvent> {
        FigureEvent::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// What a registration counts for: a marriage on its day, or a refusal.
pub fn marriage_events(
    data: &crate::records::MarriageRegistrationData,
) -> Vec<(FigureEvent, chrono::NaiveDate)> {
    use crate::records::MarriageStatus;
    match data.status {
        MarriageStatus::Registered => vec![(FigureEvent::Marriage, data.registered_on)],
        MarriageStatus::Refused => vec![(FigureEvent::Refusal, data.registered_on)],
        MarriageStatus::Prepared => Vec::new(),
    }
}

/// What a divorce counts for: its application on the day received, then a
/// withdrawal (the day of it, or the day after the second period lapsed)
/// or the divorce on its day.
pub fn divorce_events(
    data: &crate::records::DivorceRegistrationData,
) -> Vec<(FigureEvent, chrono::NaiveDate)> {
    use crate::records::DivorceStatus;
    let mut events = vec![(FigureEvent::DivorceApplication, data.received_on)];
    match data.status {
        DivorceStatus::Withdrawn => {
            events.extend(
                data.withdrawal
                    .as_ref()
                    .map(|w| (FigureEvent::Withdrawal, w.on)),
            );
        }
        DivorceStatus::DeemedWithdrawn => {
            let lapsed = data.periods.certificate_until;
            events.push((FigureEvent::Withdrawal, lapsed.succ_opt().unwrap_or(lapsed)));
        }
        DivorceStatus::Registered => {
            events.extend(data.registered_on.map(|day| (FigureEvent::Divorce, day)));
        }
        DivorceStatus::Received | DivorceStatus::Refused => {}
    }
    events
}
