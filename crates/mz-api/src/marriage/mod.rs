//! The marriage counter's online-only operations (the marital-status check,
//! the figures), and what a record counts for in the figures: one function
//! for the platform's figures and the counter's statistics.

pub mod changes;

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

/// The rules of a booking: real names and identity numbers (put in their
/// stored form), both parties for a business that needs both, a queue
/// number only once checked in. Each issue names its field
/// (`party_a.name` …); the first is the one a refusal names.
pub fn check_booking(body: &mut crate::records::AppointmentData) -> Vec<mz_domain::FieldIssue> {
    use crate::records::{AppointmentParty, AppointmentStatus};
    let mut issues = Vec::new();
    let mut check = |who: &str, party: &mut AppointmentParty| {
        match mz_domain::identity::normalise_name(&party.name) {
            Ok(name) => party.name = name,
            Err(e) => issues.push(mz_domain::FieldIssue::new(
                format!("{who}.name"),
                e.to_string(),
            )),
        }
        match mz_domain::IdNumber::parse(&party.id_number, chrono::NaiveDate::MAX) {
            Ok(id) => party.id_number = id.to_string(),
            Err(e) => issues.push(mz_domain::FieldIssue::new(
                format!("{who}.id_number"),
                e.to_string(),
            )),
        }
    };
    check("party_a", &mut body.party_a);
    match body.party_b.as_mut() {
        Some(party) => check("party_b", party),
        None if body.business.needs_both_parties() => issues.push(mz_domain::FieldIssue::new(
            "party_b",
            format!("{}须双方预约", body.business.label()),
        )),
        None => {}
    }
    let queued = matches!(
        body.status,
        AppointmentStatus::CheckedIn | AppointmentStatus::Served
    );
    if queued != body.queue_no.is_some() && body.status != AppointmentStatus::Served {
        issues.push(mz_domain::FieldIssue::new(
            "queue_no",
            "a queue number is given at check-in, and only then",
        ));
    }
    issues
}

/// A registration's own rules (unless refused): the parties and statements
/// of the Civil Code; the parties put in their stored form when they pass.
/// The client runs it through the kind's `normalise`, the platform at push.
pub fn normal_registration(
    body: &mut crate::records::MarriageRegistrationData,
) -> Vec<mz_domain::FieldIssue> {
    if body.status == crate::records::MarriageStatus::Refused {
        return Vec::new();
    }
    let (parties, issues) =
        mz_domain::marriage::check_marriage(&body.parties, &body.statements, body.registered_on);
    if issues.is_empty() {
        body.parties = parties;
    }
    issues
}

/// A divorce's own rules: the parties, put in their stored form when they pass.
pub fn normal_divorce(
    body: &mut crate::records::DivorceRegistrationData,
) -> Vec<mz_domain::FieldIssue> {
    let (parties, issues) = mz_domain::marriage::check_divorce(&body.parties, body.received_on);
    if issues.is_empty() {
        body.parties = parties;
    }
    issues
}

/// [`normal_registration`] over the JSON body, for the kind's spec.
pub(crate) fn normalise_registration(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_registration(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// [`normal_divorce`] over the JSON body, for the kind's spec.
pub(crate) fn normalise_divorce(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_divorce(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// A booking's own rules ([`check_booking`]).
pub(crate) fn normalise_booking(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{AppointmentData, BodyIssue, body_value, read_body};
    let mut body: AppointmentData = read_body(data)?;
    let issues = check_booking(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// A registration's change ([`changes::check_registration_change`]); a
/// dissolution by divorce is the platform's to know.
pub(crate) fn registration_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    today: chrono::NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, |previous, next| {
        changes::check_registration_change(previous, next, today, false)
    })
}

/// A divorce's change ([`changes::check_divorce_change`]).
pub(crate) fn divorce_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    today: chrono::NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, |previous, next| {
        changes::check_divorce_change(previous, next, today)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{AppointmentData, AppointmentParty, AppointmentStatus};
    use mz_domain::marriage::Business;

    fn booking(
        business: Business,
        party_b: bool,
        status: AppointmentStatus,
        queue_no: Option<u32>,
    ) -> AppointmentData {
        let person = |name: &str, first17: &str| AppointmentParty {
            name: name.to_owned(),
            id_number: mz_domain::identity::with_check_character(first17),
        };
        AppointmentData {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            slot: "09:00-09:30".to_owned(),
            business,
            party_a: person("张三", "43010219980307001"),
            party_b: party_b.then(|| person("李四", "43010219990101002")),
            phone: "13800000000".to_owned(),
            status,
            queue_no,
        }
    }

    #[test]
    fn a_booking_names_both_parties_when_its_business_needs_them() {
        let fields = |mut body: AppointmentData| -> Vec<String> {
            check_booking(&mut body)
                .into_iter()
                .map(|i| i.field)
                .collect()
        };
        use AppointmentStatus::{Booked, CheckedIn, Served};
        assert!(fields(booking(Business::Marriage, true, Booked, None)).is_empty());
        assert_eq!(
            fields(booking(Business::Marriage, false, Booked, None)),
            ["party_b"]
        );
        assert!(fields(booking(Business::MarriageReissue, false, Booked, None)).is_empty());
        assert_eq!(
            fields(booking(Business::Divorce, true, CheckedIn, None)),
            ["queue_no"]
        );
        assert_eq!(
            fields(booking(Business::Divorce, true, Booked, Some(3))),
            ["queue_no"]
        );
        assert!(fields(booking(Business::Divorce, true, CheckedIn, Some(3))).is_empty());
        assert!(fields(booking(Business::Divorce, true, Served, None)).is_empty());
        let mut wrong = booking(Business::Marriage, true, Booked, None);
        wrong.party_a.id_number = "43010219980307001X".to_owned();
        wrong.party_b.as_mut().unwrap().name = "李4".to_owned();
        assert_eq!(fields(wrong), ["party_a.id_number", "party_b.name"]);
    }
}
