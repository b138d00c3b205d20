//! The marriage counter on the platform: the marital-status check, and the
//! rules a `marriage_registration` record must meet before a push applies it.
//!
//! A client that skips a step is refused here, with the reason: the parties
//! must meet the conditions of the Civil Code ([`mz_domain::marriage`]); a
//! registration is final only with a clear status check that this office
//! made for exactly these two documents on the day of registration; its
//! certificate number must come from a block this office holds, never voided
//! and never used by another record; and neither party may be married in a
//! registration in force — checked again inside the push, so two counters
//! working on the same person at once cannot both succeed.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use mz_api::marriage::{
    CheckPurpose, FiguresQuery, MAX_CHECKS_PER_DAY, OfficeFigures, PersonStatus, StatusCheckEntry,
    StatusCheckRequest, StatusCheckResponse, StatusChecksQuery,
};
use mz_api::records::{
    DivorceRegistrationData, DivorceStatus, MarriageRegistrationData, MarriageStatus, RecordKind,
};
use mz_api::sync::{Op, PushEntry};
use mz_api::{ErrorBody, ErrorCode};
use mz_domain::access::widest_scope;
use mz_domain::marriage::{DocumentType, check_marriage, check_party};
use mz_domain::numbering::CertificatePrefix;
use mz_domain::{Action, IdNumber, RegionCode, Resource, Scope, SequenceKey};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::audit;
use crate::auth::Caller;
use crate::db::placeholders;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;

/// The day a registration belongs to, in China.
pub(crate) fn china_date(ms: i64) -> NaiveDate {
    mz_domain::marriage::china_date(chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default())
}

/// The stored form of a document number for the registry: identity cards
/// in their 18-character form, everything else trimmed and upper-cased.
pub(crate) fn registry_number(doc_type: DocumentType, number: &str) -> String {
    let number = number.trim().to_ascii_uppercase();
    match doc_type {
        DocumentType::IdCard | DocumentType::ForeignPermanentResident => {
            IdNumber::parse(&number, NaiveDate::MAX).map_or(number, |id| id.as_str().to_owned())
        }
        _ => number,
    }
}

/// The documents of a check or a registration, in one comparable form.
pub(crate) fn document_set(numbers: &[String]) -> String {
    let mut sorted: Vec<&str> = numbers.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.join(" ")
}

/// Whether a record is a final act of the registry, which is never deleted:
/// a registered or refused marriage; a registered, withdrawn, deemed
/// withdrawn or refused divorce.
/// A body that cannot be read is an error, never "not final".
pub(crate) fn is_final(kind: RecordKind, data: Option<&str>) -> Result<bool, Refusal> {
    let Some(data) = data else { return Ok(false) };
    Ok(match kind {
        RecordKind::MarriageRegistration => {
            stored_body::<MarriageRegistrationData>(data)?.status != MarriageStatus::Prepared
        }
        RecordKind::DivorceRegistration => {
            stored_body::<DivorceRegistrationData>(data)?.status != DivorceStatus::Received
        }
        RecordKind::HolidayCalendar
        | RecordKind::MarriageAppointment
        | RecordKind::DocumentDraft => false,
    })
}

/// A body the platform stored, read back; one that no longer parses is the
/// platform's fault and is named as such, never taken as absent.
pub(crate) fn stored_body<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Refusal> {
    serde_json::from_str(text).map_err(|e| {
        // The error's text may quote the value (a name): only where it is.
        tracing::error!(error = %crate::error::json_error(&e), "a stored record body does not parse");
        (
            ErrorCode::Internal,
            "the stored record cannot be read; an administrator has been told".to_owned(),
            None,
        )
    })
}

/// A certificate number as the registry compares it: trimmed, Latin
/// letters upper-cased (older Chinese forms are kept as written).
pub(crate) fn certificate_key(number: &str) -> String {
    number.trim().to_ascii_uppercase()
}

/// A record body of type `T`, or an error that names where it is wrong
/// without repeating the value (which may be a name or an ID number).
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(
    data: serde_json::Value,
) -> Result<T, Refusal> {
    serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            "data".to_owned()
        } else {
            format!("data.{path}")
        };
        (
            ErrorCode::InvalidInput,
            format!("{field}: missing, unknown or of the wrong type for this record kind"),
            Some(field),
        )
    })
}

/// A registration in force: registered, and not annulled by a court.
#[derive(Debug, Clone)]
struct InForce {
    record_id: Uuid,
    certificate_no: Option<String>,
}

fn in_force(data: &MarriageRegistrationData) -> bool {
    data.status == MarriageStatus::Registered && data.annulment.is_none()
}

#[derive(Debug, Clone)]
struct CheckRow {
    org_unit: String,
    documents: String,
    clear: bool,
    checked_at: i64,
}

/// What the marriage entries of one push are checked against, read once in
/// the push's transaction.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Blocks by series: (first, last, org unit).
    blocks: HashMap<String, Vec<(i64, i64, String)>>,
    voided: HashSet<(String, i64)>,
    /// Document number → the registrations in force that name it.
    married: HashMap<String, Vec<InForce>>,
    checks: HashMap<Uuid, CheckRow>,
    /// The published holiday calendars, for the divorce periods.
    pub(crate) calendars: mz_domain::holiday::Calendars,
    /// Marriages named by the divorces of the push, by certificate number.
    pub(crate) marriages: HashMap<String, LinkedMarriage>,
    /// Reissued certificate numbers already on record, and their records.
    reissued: HashMap<String, Uuid>,
    /// The marriages of the push that a registered divorce has ended.
    dissolved: HashSet<Uuid>,
}

/// A marriage in the registry that a divorce application names.
#[derive(Debug, Clone)]
pub(crate) struct LinkedMarriage {
    pub record_id: Uuid,
    /// Its parties' registry numbers, as [`document_set`] joins them.
    pub documents: String,
    pub in_force: bool,
    /// The registered divorce that dissolved it.
    pub dissolved_by: Option<Uuid>,
}

impl Facts {
    /// Notes a registration this push applied, for the entries after it.
    pub(crate) fn note_applied(&mut self, kind: RecordKind, record_id: Uuid, data: &str) {
        let reissues = match kind {
            RecordKind::MarriageRegistration => {
                serde_json::from_str::<MarriageRegistrationData>(data).map(|d| d.reissues)
            }
            RecordKind::DivorceRegistration => {
                serde_json::from_str::<DivorceRegistrationData>(data).map(|d| d.reissues)
            }
            _ => Ok(Vec::new()),
        };
        for reissue in reissues.unwrap_or_default() {
            self.reissued
                .insert(certificate_key(&reissue.certificate_no), record_id);
        }
        if kind == RecordKind::DivorceRegistration {
            let Ok(divorce) = serde_json::from_str::<DivorceRegistrationData>(data) else {
                return;
            };
            if let (DivorceStatus::Registered, Some(marriage)) =
                (divorce.status, divorce.marriage_record_id)
            {
                for list in self.married.values_mut() {
                    list.retain(|m| m.record_id != marriage);
                }
                self.dissolved.insert(marriage);
                for linked in self.marriages.values_mut() {
                    if linked.record_id == marriage {
                        linked.dissolved_by = Some(record_id);
                    }
                }
            }
            return;
        }
        if kind != RecordKind::MarriageRegistration {
            return;
        }
        let Ok(data) = serde_json::from_str::<MarriageRegistrationData>(data) else {
            return;
        };
        for list in self.married.values_mut() {
            list.retain(|m| m.record_id != record_id);
        }
        if in_force(&data) {
            for party in &data.parties {
                self.married
                    .entry(registry_number(party.doc_type, &party.doc_number))
                    .or_default()
                    .push(InForce {
                        record_id,
                        certificate_no: data.certificate_no.clone(),
                    });
            }
        }
    }
}

/// The registrations in force that name each of `documents` (registry
/// numbers): what the status check answers and what a push is checked against.
async fn married_in_force(
    conn: &mut AnyConnection,
    documents: &[String],
) -> ApiResult<HashMap<String, Vec<InForce>>> {
    let mut married: HashMap<String, Vec<InForce>> = HashMap::new();
    for chunk in documents.chunks(400) {
        let sql = format!(
            "SELECT m.doc_number, r.id, r.data FROM marriage_parties m \
             JOIN records r ON r.kind = 'marriage_registration' AND r.id = m.record_id \
             WHERE r.deleted = 0 AND m.doc_number IN ({}) \
             AND NOT EXISTS (SELECT 1 FROM marriage_dissolutions d WHERE d.marriage_id = r.id)",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for doc in chunk {
            query = query.bind(doc.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let doc: String = row.try_get("doc_number")?;
            let id: String = row.try_get("id")?;
            let data: Option<String> = row.try_get("data")?;
            let (Ok(record_id), Some(data)) = (id.parse(), data) else {
                continue;
            };
            let Ok(data) = serde_json::from_str::<MarriageRegistrationData>(&data) else {
                continue;
            };
            if in_force(&data) {
                married.entry(doc).or_default().push(InForce {
                    record_id,
                    certificate_no: data.certificate_no.clone(),
                });
            }
        }
    }
    Ok(married)
}

/// Reads what the marriage and divorce entries of a push need to be decided.
pub(crate) async fn load_facts(
    conn: &mut AnyConnection,
    entries: &[&PushEntry],
) -> ApiResult<Facts> {
    let mut facts = Facts::default();
    let upserts = |kind: RecordKind| {
        entries
            .iter()
            .filter(move |e| e.kind == kind && e.op == Op::Upsert)
            .filter_map(|e| e.data.clone())
    };
    let bodies: Vec<MarriageRegistrationData> = upserts(RecordKind::MarriageRegistration)
        .filter_map(|d| serde_json::from_value(d).ok())
        .collect();
    let divorces: Vec<DivorceRegistrationData> = upserts(RecordKind::DivorceRegistration)
        .filter_map(|d| serde_json::from_value(d).ok())
        .collect();
    if bodies.is_empty() && divorces.is_empty() {
        return Ok(facts);
    }
    let mut documents: Vec<String> = bodies
        .iter()
        .flat_map(|b| {
            b.parties
                .iter()
                .map(|p| registry_number(p.doc_type, &p.doc_number))
        })
        .collect();
    documents.sort();
    documents.dedup();
    facts.married = married_in_force(conn, &documents).await?;
    let numbers = bodies
        .iter()
        .filter_map(|b| b.certificate_no.as_deref())
        .chain(divorces.iter().filter_map(|d| d.certificate_no.as_deref()))
        .chain(
            bodies
                .iter()
                .flat_map(|b| b.reissues.iter())
                .map(|r| r.certificate_no.as_str()),
        )
        .chain(
            divorces
                .iter()
                .flat_map(|d| d.reissues.iter())
                .map(|r| r.certificate_no.as_str()),
        );
    let mut keys: Vec<String> = numbers
        .filter_map(SequenceKey::parse_number)
        .map(|(k, _)| k.to_string())
        .collect();
    keys.sort();
    keys.dedup();
    for key in &keys {
        for row in sqlx::query("SELECT first, last, org_unit FROM number_blocks WHERE key = $1")
            .bind(key.clone())
            .fetch_all(&mut *conn)
            .await?
        {
            facts.blocks.entry(key.clone()).or_default().push((
                row.try_get("first")?,
                row.try_get("last")?,
                row.try_get("org_unit")?,
            ));
        }
        for row in sqlx::query("SELECT serial FROM voided_numbers WHERE key = $1")
            .bind(key.clone())
            .fetch_all(&mut *conn)
            .await?
        {
            facts.voided.insert((key.clone(), row.try_get("serial")?));
        }
    }
    for id in bodies.iter().filter_map(|b| b.status_check) {
        let row = sqlx::query(
            "SELECT org_unit, documents, clear, checked_at FROM status_checks WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            facts.checks.insert(
                id,
                CheckRow {
                    org_unit: row.try_get("org_unit")?,
                    documents: row.try_get("documents")?,
                    clear: row.try_get::<i64, _>("clear")? != 0,
                    checked_at: row.try_get("checked_at")?,
                },
            );
        }
    }
    let mut reissued: Vec<String> = bodies
        .iter()
        .flat_map(|b| b.reissues.iter())
        .chain(divorces.iter().flat_map(|d| d.reissues.iter()))
        .map(|r| certificate_key(&r.certificate_no))
        .collect();
    reissued.sort();
    reissued.dedup();
    for chunk in reissued.chunks(400) {
        let sql = format!(
            "SELECT number, record_id FROM reissued_numbers WHERE number IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for number in chunk {
            query = query.bind(number.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let record: String = row.try_get("record_id")?;
            if let Ok(record) = record.parse() {
                facts.reissued.insert(row.try_get("number")?, record);
            }
        }
    }
    let reissuing: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == RecordKind::MarriageRegistration && e.op == Op::Upsert)
        .map(|e| e.record_id.to_string())
        .collect();
    for chunk in reissuing.chunks(400) {
        let sql = format!(
            "SELECT marriage_id FROM marriage_dissolutions WHERE marriage_id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for id in chunk {
            query = query.bind(id.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("marriage_id")?;
            if let Ok(id) = id.parse() {
                facts.dissolved.insert(id);
            }
        }
    }
    if !divorces.is_empty() {
        facts.calendars = load_calendars(conn).await?;
        let mut certificates: Vec<String> = divorces
            .iter()
            .map(|d| certificate_key(&d.marriage_certificate_no))
            .collect();
        certificates.sort();
        certificates.dedup();
        facts.marriages = linked_marriages(conn, &certificates).await?;
    }
    Ok(facts)
}

/// Every published holiday calendar.
async fn load_calendars(conn: &mut AnyConnection) -> ApiResult<mz_domain::holiday::Calendars> {
    let rows =
        sqlx::query("SELECT data FROM records WHERE kind = 'holiday_calendar' AND deleted = 0")
            .fetch_all(&mut *conn)
            .await?;
    let mut calendars = Vec::with_capacity(rows.len());
    for row in rows {
        let data: Option<String> = row.try_get("data")?;
        if let Some(data) =
            data.and_then(|d| serde_json::from_str::<mz_api::records::HolidayCalendarData>(&d).ok())
        {
            calendars.push(mz_domain::HolidayCalendar::from(data));
        }
    }
    Ok(mz_domain::holiday::Calendars::new(calendars))
}

/// The registered marriages with these certificate numbers, and whether a
/// registered divorce has dissolved each.
async fn linked_marriages(
    conn: &mut AnyConnection,
    certificates: &[String],
) -> ApiResult<HashMap<String, LinkedMarriage>> {
    let mut linked = HashMap::new();
    for chunk in certificates.chunks(400) {
        // By the certificate's own number, or by a reissued one.
        let sql = format!(
            "SELECT r.id, r.natural_key AS number, r.data, d.divorce_id FROM records r \
             LEFT JOIN marriage_dissolutions d ON d.marriage_id = r.id \
             WHERE r.kind = 'marriage_registration' AND r.deleted = 0 \
             AND r.natural_key IN ({list}) \
             UNION ALL \
             SELECT r.id, n.number AS number, r.data, d.divorce_id FROM reissued_numbers n \
             JOIN records r ON r.kind = 'marriage_registration' AND r.id = n.record_id \
             LEFT JOIN marriage_dissolutions d ON d.marriage_id = r.id \
             WHERE r.deleted = 0 AND n.number IN ({list})",
            list = placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for number in chunk {
            query = query.bind(number.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("id")?;
            let number: String = row.try_get("number")?;
            let data: Option<String> = row.try_get("data")?;
            let divorce: Option<String> = row.try_get("divorce_id")?;
            let (Ok(record_id), Some(data)) = (id.parse(), data) else {
                continue;
            };
            let Ok(data) = serde_json::from_str::<MarriageRegistrationData>(&data) else {
                continue;
            };
            let documents: Vec<String> = data
                .parties
                .iter()
                .map(|p| registry_number(p.doc_type, &p.doc_number))
                .collect();
            linked.insert(
                number,
                LinkedMarriage {
                    record_id,
                    documents: document_set(&documents),
                    in_force: in_force(&data),
                    dissolved_by: divorce.and_then(|d| d.parse().ok()),
                },
            );
        }
    }
    Ok(linked)
}

/// A refusal: the code, the reason and the field it is about.
pub(crate) type Refusal = (ErrorCode, String, Option<String>);

pub(crate) fn rule(field: &str, reason: impl Into<String>) -> Refusal {
    (
        ErrorCode::RuleViolation,
        reason.into(),
        Some(field.to_owned()),
    )
}

/// A registration checked by the rules, in its stored form, with its
/// natural key (the certificate number, once registered).
pub(crate) struct Checked {
    pub data: String,
    pub natural_key: Option<String>,
}

/// Applies the marriage rules to an upsert of record `id` by `caller`;
/// `current` is the record's body as the platform holds it.
pub(crate) fn check_registration(
    data: serde_json::Value,
    id: Uuid,
    current: Option<&str>,
    caller: &Caller,
    facts: &Facts,
    (now, history): (i64, crate::sync::History),
) -> Result<Checked, Refusal> {
    let mut body: MarriageRegistrationData = parse_body(data)?;
    let previous: Option<MarriageRegistrationData> = current.map(stored_body).transpose()?;
    if let Some(previous) = &previous
        && previous.status == MarriageStatus::Refused
        && *previous != body
    {
        // 不予登记 is an act of the registry as final as a registration:
        // it is never taken back to a form, changed or deleted.
        return Err(rule(
            "data.status",
            "a refused registration is final and cannot be changed",
        ));
    }
    let today = china_date(now);
    let (parties, issues) = check_marriage(&body.parties, &body.statements, body.registered_on);
    match body.status {
        MarriageStatus::Refused => {
            if body
                .refusal_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                return Err(rule("data.refusal_reason", "a refusal states its reason"));
            }
            if body.certificate_no.is_some() {
                return Err(rule(
                    "data.certificate_no",
                    "a refused registration has no certificate",
                ));
            }
            // The parties are kept as presented, their documents checked.
            for (index, party) in body.parties.iter().enumerate() {
                let (_, issues) = check_party(index, party, body.registered_on);
                if let Some(issue) = issues.into_iter().find(|i| i.field.ends_with("doc_number")) {
                    return Err(rule(&format!("data.{}", issue.field), issue.message));
                }
            }
        }
        MarriageStatus::Prepared | MarriageStatus::Registered => {
            if let Some(issue) = issues.first() {
                let all: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
                return Err(rule(&format!("data.{}", issue.field), all.join("；")));
            }
            body.parties = parties;
        }
    }
    if let Some(previous) = &previous
        && previous.status == MarriageStatus::Registered
    {
        // A registration is final: only a reprint (the old number voided) and
        // a court's judgement change it.
        let same_people = previous.parties == body.parties
            && previous.registered_on == body.registered_on
            && previous.photo == body.photo;
        let reprint = previous.certificate_no == body.certificate_no
            || previous
                .certificate_no
                .as_ref()
                .is_some_and(|old| body.voided_numbers.contains(old));
        if body.status != MarriageStatus::Registered || !same_people || !reprint {
            return Err(rule(
                "data",
                "a registered marriage cannot be changed; only a reprint (voiding the old number), a reissue or a court's judgement is recorded on it",
            ));
        }
    }
    check_reissues(
        ReissueCheck {
            id,
            previous: previous
                .as_ref()
                .filter(|p| p.status == MarriageStatus::Registered)
                .map(|p| p.reissues.as_slice()),
            certificate_no: body.certificate_no.as_deref(),
            prefix: CertificatePrefix::BJ,
            ended: body.annulment.is_some() || facts.dissolved.contains(&id),
        },
        &body.reissues,
        today,
        caller,
        facts,
    )?;
    if let Some(annulment) = &body.annulment {
        if body.status != MarriageStatus::Registered {
            return Err(rule(
                "data.annulment",
                "only a registered marriage is annulled",
            ));
        }
        if !matches!(annulment.kind.as_str(), "revoked" | "void") {
            return Err(rule(
                "data.annulment.kind",
                "the kind is revoked (撤销) or void (无效)",
            ));
        }
        if annulment.court.trim().is_empty() || annulment.judgement_no.trim().is_empty() {
            return Err(rule("data.annulment", "name the court and the judgement"));
        }
    }
    let natural_key = match body.status {
        MarriageStatus::Registered => Some(check_final(
            &body,
            id,
            caller,
            facts,
            today,
            previous.as_ref(),
            history,
        )?),
        _ => {
            if body.certificate_no.is_some() {
                return Err(rule(
                    "data.certificate_no",
                    "the certificate number is given only when the registration is final",
                ));
            }
            None
        }
    };
    let data =
        serde_json::to_string(&body).map_err(|e| (ErrorCode::Internal, e.to_string(), None))?;
    Ok(Checked { data, natural_key })
}

/// The checks of a final registration; gives its certificate number.
fn check_final(
    body: &MarriageRegistrationData,
    id: Uuid,
    caller: &Caller,
    facts: &Facts,
    today: NaiveDate,
    previous: Option<&MarriageRegistrationData>,
    history: crate::sync::History,
) -> Result<String, Refusal> {
    let Some(number) = body.certificate_no.clone() else {
        return Err(rule(
            "data.certificate_no",
            "a registration is final only with its certificate number",
        ));
    };
    // Older records carry older forms of number (湘长结字…): kept as written.
    let older_form =
        history == crate::sync::History::AsWritten && SequenceKey::parse_number(&number).is_none();
    if !older_form {
        check_number(
            &number,
            CertificatePrefix::J,
            body.registered_on,
            &body.voided_numbers,
            caller,
            facts,
        )?;
    }
    let unchanged_final = previous.is_some_and(|p| {
        p.status == MarriageStatus::Registered && p.status_check == body.status_check
    });
    let documents: Vec<String> = body
        .parties
        .iter()
        .map(|p| registry_number(p.doc_type, &p.doc_number))
        .collect();
    if history == crate::sync::History::AsWritten {
        if body.registered_on > today {
            return Err(rule(
                "data.registered_on",
                "a past registration is not in the future",
            ));
        }
        return not_married_elsewhere(&documents, id, facts).map(|()| number);
    }
    let Some(check) = body.status_check.and_then(|c| facts.checks.get(&c)) else {
        return Err(rule(
            "data.status_check",
            "a registration is final only after the marital-status check",
        ));
    };
    let checked = body
        .status_check
        .map(|id| documents_digest(id, &document_set(&documents)));
    if check.org_unit != caller.org_unit || checked.as_deref() != Some(check.documents.as_str()) {
        return Err(rule(
            "data.status_check",
            "the marital-status check was made for other documents or by another office",
        ));
    }
    if !check.clear {
        return Err(rule(
            "data.status_check",
            "the marital-status check found a party married",
        ));
    }
    if !unchanged_final
        && (china_date(check.checked_at) != body.registered_on || body.registered_on != today)
    {
        return Err(rule(
            "data.registered_on",
            "a marriage is registered on the day of its marital-status check",
        ));
    }
    not_married_elsewhere(&documents, id, facts)?;
    Ok(number)
}

/// Neither party of record `id` is married in another registration in force.
fn not_married_elsewhere(documents: &[String], id: Uuid, facts: &Facts) -> Result<(), Refusal> {
    for (index, doc) in documents.iter().enumerate() {
        if let Some(other) = facts
            .married
            .get(doc)
            .and_then(|list| list.iter().find(|m| m.record_id != id))
        {
            return Err(rule(
                &format!("data.parties[{index}].doc_number"),
                format!(
                    "this party is married (certificate {}); registration refused",
                    other.certificate_no.as_deref().unwrap_or("—")
                ),
            ));
        }
    }
    Ok(())
}

/// The reissues of record `id`: those already recorded stay as they were;
/// each new one is issued today to one of the two holders, with a number of
/// this office's `prefix` series that no certificate has carried before.
/// Only a record that was already final, and has not `ended` (annulled, or
/// dissolved by divorce), gets new ones.
pub(crate) struct ReissueCheck<'a> {
    pub id: Uuid,
    pub previous: Option<&'a [mz_api::records::Reissue]>,
    pub certificate_no: Option<&'a str>,
    pub prefix: CertificatePrefix,
    pub ended: bool,
}

pub(crate) fn check_reissues(
    check: ReissueCheck<'_>,
    reissues: &[mz_api::records::Reissue],
    today: NaiveDate,
    caller: &Caller,
    facts: &Facts,
) -> Result<(), Refusal> {
    let before = check.previous.unwrap_or_default();
    if reissues.is_empty() {
        return Ok(());
    }
    if check.previous.is_none() {
        return Err(rule(
            "data.reissues",
            "a certificate is reissued only from a registration already on record",
        ));
    }
    if !reissues.starts_with(before) {
        return Err(rule(
            "data.reissues",
            "a recorded reissue cannot be changed",
        ));
    }
    if reissues.len() > before.len() && check.ended {
        return Err(rule(
            "data.reissues",
            "this registration is no longer in force; no certificate is reissued",
        ));
    }
    let mut seen: HashSet<String> = check
        .certificate_no
        .map(certificate_key)
        .into_iter()
        .collect();
    for (index, reissue) in reissues.iter().enumerate() {
        let field = |name: &str| format!("data.reissues[{index}].{name}");
        let number = certificate_key(&reissue.certificate_no);
        let elsewhere = facts.reissued.get(&number).is_some_and(|r| *r != check.id);
        if !seen.insert(number) || elsewhere {
            return Err(rule(
                &field("certificate_no"),
                "this number was already issued; a number is never used twice",
            ));
        }
        if index < before.len() {
            continue;
        }
        if reissue.holder > 1 {
            return Err(rule(&field("holder"), "the holder is 0 or 1"));
        }
        if reissue.issued_on != today {
            return Err(rule(
                &field("issued_on"),
                "a certificate is reissued on the day it is asked for",
            ));
        }
        check_number(
            &reissue.certificate_no,
            check.prefix,
            today,
            &[],
            caller,
            facts,
        )
        .map_err(|(code, reason, _)| (code, reason, Some(field("certificate_no"))))?;
    }
    Ok(())
}

/// The checks of a certificate number issued on `day`: the office's own
/// series for `prefix` and that year, in a block this office holds, never
/// voided (on the platform, or in `voided` of the record itself).
pub(crate) fn check_number(
    number: &str,
    prefix: CertificatePrefix,
    day: NaiveDate,
    voided: &[String],
    caller: &Caller,
    facts: &Facts,
) -> Result<(), Refusal> {
    let Some((key, serial)) = SequenceKey::parse_number(number) else {
        return Err(rule(
            "data.certificate_no",
            format!(
                "the certificate number reads like {}430102-2026-000123",
                prefix.as_str()
            ),
        ));
    };
    let expected_region: RegionCode = caller.region;
    if key.prefix != prefix || key.region != expected_region || key.year != day.year() {
        return Err(rule(
            "data.certificate_no",
            format!(
                "a certificate of this office in {} starts {}{}-{}-",
                day.format("%Y"),
                prefix.as_str(),
                expected_region,
                day.format("%Y")
            ),
        ));
    }
    let series = key.to_string();
    let ours = facts.blocks.get(&series).is_some_and(|blocks| {
        blocks.iter().any(|(first, last, unit)| {
            (*first..=*last).contains(&serial) && *unit == caller.org_unit
        })
    });
    if !ours {
        return Err(rule(
            "data.certificate_no",
            "this number is not in a block of this office",
        ));
    }
    if facts.voided.contains(&(series, serial)) || voided.iter().any(|v| v == number) {
        return Err(rule(
            "data.certificate_no",
            "this number was voided and is never issued",
        ));
    }
    Ok(())
}

/// The rules of a booking: real names and identity numbers, both parties
/// for a marriage or a divorce, a queue number only once checked in.
/// Gives the booking in its stored form.
pub(crate) fn check_appointment(data: serde_json::Value) -> Result<String, Refusal> {
    use mz_api::records::{AppointmentData, AppointmentParty, AppointmentStatus};
    let mut body: AppointmentData = parse_body(data)?;
    let check = |who: &str, party: &mut AppointmentParty| -> Result<(), Refusal> {
        party.name = mz_domain::identity::normalise_name(&party.name)
            .map_err(|e| rule(&format!("data.{who}.name"), e.to_string()))?;
        party.id_number = IdNumber::parse(&party.id_number, NaiveDate::MAX)
            .map_err(|e| rule(&format!("data.{who}.id_number"), e.to_string()))?
            .to_string();
        Ok(())
    };
    check("party_a", &mut body.party_a)?;
    match body.party_b.as_mut() {
        Some(party) => check("party_b", party)?,
        None if body.business.needs_both_parties() => {
            return Err(rule(
                "data.party_b",
                format!("{}须双方预约", body.business.label()),
            ));
        }
        None => {}
    }
    let queued = matches!(
        body.status,
        AppointmentStatus::CheckedIn | AppointmentStatus::Served
    );
    if queued != body.queue_no.is_some() && body.status != AppointmentStatus::Served {
        return Err(rule(
            "data.queue_no",
            "a queue number is given at check-in, and only then",
        ));
    }
    serde_json::to_string(&body).map_err(|e| (ErrorCode::Internal, e.to_string(), None))
}

/// Keeps the registry in step with the records written: the documents each
/// marriage names, and which marriages a registered divorce dissolved.
pub(crate) async fn index_parties(
    conn: &mut AnyConnection,
    written: &[(RecordKind, Uuid, Option<&str>)],
) -> ApiResult<()> {
    for (kind, id, data) in written {
        if matches!(
            kind,
            RecordKind::MarriageRegistration | RecordKind::DivorceRegistration
        ) {
            index_reissues(conn, *kind, *id, *data).await?;
        }
        match kind {
            RecordKind::MarriageRegistration => {
                sqlx::query("DELETE FROM marriage_parties WHERE record_id = $1")
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                let Some(data) =
                    data.and_then(|d| serde_json::from_str::<MarriageRegistrationData>(d).ok())
                else {
                    continue;
                };
                let mut documents: Vec<String> = data
                    .parties
                    .iter()
                    .map(|p| registry_number(p.doc_type, &p.doc_number))
                    .collect();
                documents.sort();
                documents.dedup();
                for doc in documents {
                    sqlx::query(
                        "INSERT INTO marriage_parties (doc_number, record_id) VALUES ($1, $2)",
                    )
                    .bind(doc)
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                }
            }
            RecordKind::DivorceRegistration => {
                sqlx::query("DELETE FROM marriage_dissolutions WHERE divorce_id = $1")
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                let dissolved = data
                    .and_then(|d| serde_json::from_str::<DivorceRegistrationData>(d).ok())
                    .filter(|d| d.status == DivorceStatus::Registered)
                    .and_then(|d| d.marriage_record_id);
                if let Some(marriage) = dissolved {
                    sqlx::query(
                        "INSERT INTO marriage_dissolutions (marriage_id, divorce_id) VALUES ($1, $2)",
                    )
                    .bind(marriage.to_string())
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Keeps `reissued_numbers` in step with a record's reissues.
async fn index_reissues(
    conn: &mut AnyConnection,
    kind: RecordKind,
    id: Uuid,
    data: Option<&str>,
) -> ApiResult<()> {
    sqlx::query("DELETE FROM reissued_numbers WHERE record_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    let reissues = match (kind, data) {
        (RecordKind::MarriageRegistration, Some(d)) => {
            serde_json::from_str::<MarriageRegistrationData>(d).map(|b| b.reissues)
        }
        (RecordKind::DivorceRegistration, Some(d)) => {
            serde_json::from_str::<DivorceRegistrationData>(d).map(|b| b.reissues)
        }
        _ => Ok(Vec::new()),
    };
    for reissue in reissues.unwrap_or_default() {
        sqlx::query("INSERT INTO reissued_numbers (number, record_id) VALUES ($1, $2)")
            .bind(certificate_key(&reissue.certificate_no))
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/marriage/status-check", tag = "marriage", security(("bearer" = [])),
    request_body = StatusCheckRequest,
    responses(
        (status = 200, body = StatusCheckResponse, description = "the check, kept by the platform; a registration cites its id"),
        (status = 400, body = ErrorBody, description = "not two parties, a malformed document number, or a purpose of another kind"),
        (status = 403, body = ErrorBody, description = "only registrars and office heads check"),
        (status = 422, body = ErrorBody, description = "the purpose is not a registration being prepared (or today's appointment) of this office naming these documents, or today's checks of this user or device are used up"),
    ))]
pub async fn status_check(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<StatusCheckRequest>,
) -> ApiResult<Json<StatusCheckResponse>> {
    if widest_scope(&caller.roles, Resource::MarriageRecord, Action::Write).is_none() {
        return Err(ApiError::forbidden(
            "only registrars and office heads check marital status",
        ));
    }
    if req.parties.len() != 2 {
        return Err(ApiError::invalid("parties", "a marriage has two parties"));
    }
    if !matches!(
        req.purpose.kind,
        RecordKind::MarriageRegistration | RecordKind::MarriageAppointment
    ) {
        return Err(ApiError::invalid(
            "purpose.kind",
            "a check is made for a marriage_registration or a marriage_appointment",
        ));
    }
    let now = state.clock.now_ms();
    let mut documents = Vec::with_capacity(2);
    for (index, person) in req.parties.iter().enumerate() {
        if person.doc_type == DocumentType::IdCard
            && let Err(e) = IdNumber::parse(&person.doc_number, china_date(now))
        {
            return Err(ApiError::invalid(
                &format!("parties[{index}].doc_number"),
                e.to_string(),
            ));
        }
        let number = registry_number(person.doc_type, &person.doc_number);
        if number.is_empty() {
            return Err(ApiError::invalid(
                &format!("parties[{index}].doc_number"),
                "the document number is empty",
            ));
        }
        documents.push(number);
    }
    let check_id = Uuid::now_v7();
    let digest = documents_digest(check_id, &document_set(&documents));
    let purpose = json!({ "kind": req.purpose.kind, "record_id": req.purpose.record_id });
    let mut tx = state.db.begin().await?;

    // A daily cap per user and per device: a lookup of anyone's marriage
    // is not a search engine. An attempt past it is refused and kept, and
    // the office head sees it among the day's checks.
    let day_start = china_day_start(now);
    // The user's and the device's rows are touched first: checks of one
    // user or one device line up here, so none slips past the cap while
    // another is being counted (PostgreSQL; SQLite's write lock already).
    sqlx::query("UPDATE users SET id = id WHERE id = $1")
        .bind(&caller.user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE devices SET id = id WHERE id = $1")
        .bind(&caller.device_id)
        .execute(&mut *tx)
        .await?;
    let (by_user, by_device): (i64, i64) = {
        let row = sqlx::query(
            "SELECT \
             (SELECT count(*) FROM status_checks WHERE user_id = $1 AND checked_at >= $3 AND refused = 0) AS by_user, \
             (SELECT count(*) FROM status_checks WHERE device_id = $2 AND checked_at >= $3 AND refused = 0) AS by_device",
        )
        .bind(&caller.user_id)
        .bind(&caller.device_id)
        .bind(day_start)
        .fetch_one(&mut *tx)
        .await?;
        (row.try_get("by_user")?, row.try_get("by_device")?)
    };
    if by_user >= MAX_CHECKS_PER_DAY || by_device >= MAX_CHECKS_PER_DAY {
        insert_check(
            &mut tx,
            &caller,
            check_id,
            now,
            &digest,
            &req.purpose,
            false,
            true,
        )
        .await?;
        audit::append(
            &mut tx,
            &state.clock,
            &[caller.audit(
                "marriage.status_check_refused",
                format!("status_check/{check_id}"),
                json!({ "purpose": purpose, "documents": digest, "by_user": by_user, "by_device": by_device }),
            )],
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::new(
            ErrorCode::RuleViolation,
            format!(
                "today's {MAX_CHECKS_PER_DAY} marital-status checks of this user or device are used up; the office head sees this attempt"
            ),
        ));
    }
    check_purpose(&mut tx, &caller, &req.purpose, &documents, china_date(now)).await?;

    let married = married_in_force(&mut tx, &documents).await?;
    let parties: Vec<PersonStatus> = documents
        .iter()
        .map(|doc| PersonStatus {
            doc_number: doc.clone(),
            married: married.contains_key(doc),
            certificate_no: married
                .get(doc)
                .and_then(|list| list.first())
                .and_then(|m| m.certificate_no.clone()),
        })
        .collect();
    let clear = parties.iter().all(|p| !p.married);
    insert_check(
        &mut tx,
        &caller,
        check_id,
        now,
        &digest,
        &req.purpose,
        clear,
        false,
    )
    .await?;
    audit::append(
        &mut tx,
        &state.clock,
        &[caller.audit(
            "marriage.status_check",
            format!("status_check/{check_id}"),
            json!({ "clear": clear, "purpose": purpose, "documents": digest }),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(StatusCheckResponse {
        check_id,
        clear,
        parties,
    }))
}

/// What a check keeps of the documents it checked: a digest with the check's
/// id, which proves later which documents were checked (to whoever holds
/// them) and reads as nothing to whoever reads the table.
pub(crate) fn documents_digest(check_id: Uuid, documents: &str) -> String {
    crate::sha256_hex(&format!("{check_id}\n{documents}"))
}

/// Today in China by `clock`.
pub fn china_today(clock: &crate::Clock) -> NaiveDate {
    china_date(clock.now_ms())
}

/// The first millisecond of the day in China (UTC+8) that `ms` falls in.
fn china_day_start(ms: i64) -> i64 {
    const DAY: i64 = 24 * 60 * 60 * 1000;
    const CHINA: i64 = 8 * 60 * 60 * 1000;
    (ms + CHINA).div_euclid(DAY) * DAY - CHINA
}

#[allow(clippy::too_many_arguments)]
async fn insert_check(
    conn: &mut AnyConnection,
    caller: &Caller,
    check_id: Uuid,
    now: i64,
    digest: &str,
    purpose: &CheckPurpose,
    clear: bool,
    refused: bool,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO status_checks (id, org_unit, user_id, device_id, checked_at, documents, clear, \
         purpose_kind, purpose_id, refused) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(check_id.to_string())
    .bind(caller.org_unit.clone())
    .bind(caller.user_id.clone())
    .bind(caller.device_id.clone())
    .bind(now)
    .bind(digest)
    .bind(i64::from(clear))
    .bind(purpose.kind.as_str())
    .bind(purpose.record_id.to_string())
    .bind(i64::from(refused))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the check's purpose is real: a registration of the caller's
/// office being prepared for exactly these documents, or today's
/// appointment of the office naming them.
async fn check_purpose(
    conn: &mut AnyConnection,
    caller: &Caller,
    purpose: &CheckPurpose,
    documents: &[String],
    today: NaiveDate,
) -> ApiResult<()> {
    let refuse = |reason: &str| {
        ApiError::new(ErrorCode::RuleViolation, reason.to_owned())
            .with_details(json!({ "field": "purpose.record_id" }))
    };
    let row = sqlx::query(
        "SELECT org_unit, deleted, data FROM records WHERE kind = $1 AND id = $2",
    )
    .bind(purpose.kind.as_str())
    .bind(purpose.record_id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        refuse(
            "a check is made for a record the platform holds: send the prepared registration first",
        )
    })?;
    let org_unit: String = row.try_get("org_unit")?;
    let data: Option<String> = row.try_get("data")?;
    let data = match data {
        Some(data) if org_unit == caller.org_unit && row.try_get::<i64, _>("deleted")? == 0 => data,
        _ => return Err(refuse("the check's record is not one of this office")),
    };
    let named: Vec<String> = match purpose.kind {
        RecordKind::MarriageRegistration => {
            let body: MarriageRegistrationData =
                stored_body(&data).map_err(|(_, reason, _)| ApiError::internal(&reason))?;
            if body.status != MarriageStatus::Prepared {
                return Err(refuse("the check's registration is not being prepared"));
            }
            body.parties
                .iter()
                .map(|p| registry_number(p.doc_type, &p.doc_number))
                .collect()
        }
        RecordKind::MarriageAppointment => {
            let body: mz_api::records::AppointmentData =
                stored_body(&data).map_err(|(_, reason, _)| ApiError::internal(&reason))?;
            if body.date != today {
                return Err(refuse("the check's appointment is not today's"));
            }
            std::iter::once(&body.party_a)
                .chain(body.party_b.as_ref())
                .map(|p| registry_number(DocumentType::IdCard, &p.id_number))
                .collect()
        }
        RecordKind::HolidayCalendar
        | RecordKind::DivorceRegistration
        | RecordKind::DocumentDraft => {
            return Err(refuse(
                "a check is made for a registration or an appointment",
            ));
        }
    };
    if document_set(&named) != document_set(documents) {
        return Err(refuse("the check's record names other documents"));
    }
    Ok(())
}

/// Where the record a check was made for stands now, in a word.
fn purpose_state(
    kind: RecordKind,
    deleted: Option<i64>,
    data: Option<String>,
) -> ApiResult<String> {
    let internal = |(_, reason, _): Refusal| ApiError::internal(&reason);
    let (Some(deleted), Some(data)) = (deleted, data) else {
        return Ok(match deleted {
            Some(_) => "deleted",
            None => "missing",
        }
        .to_owned());
    };
    if deleted != 0 {
        return Ok("deleted".to_owned());
    }
    let word = match kind {
        RecordKind::MarriageRegistration => {
            match stored_body::<MarriageRegistrationData>(&data)
                .map_err(internal)?
                .status
            {
                MarriageStatus::Prepared => "prepared",
                MarriageStatus::Registered => "registered",
                MarriageStatus::Refused => "refused",
            }
        }
        RecordKind::MarriageAppointment => {
            use mz_api::records::AppointmentStatus;
            match stored_body::<mz_api::records::AppointmentData>(&data)
                .map_err(internal)?
                .status
            {
                AppointmentStatus::Booked => "booked",
                AppointmentStatus::CheckedIn => "checked_in",
                AppointmentStatus::NoShow => "no_show",
                AppointmentStatus::Served => "served",
            }
        }
        RecordKind::HolidayCalendar
        | RecordKind::DivorceRegistration
        | RecordKind::DocumentDraft => {
            return Err(ApiError::internal(&format!(
                "a status check names a {kind}, which checks are never made for"
            )));
        }
    };
    Ok(word.to_owned())
}

#[utoipa::path(get, path = "/api/v1/marriage/status-checks", tag = "marriage", security(("bearer" = [])),
    params(StatusChecksQuery),
    responses(
        (status = 200, body = Vec<StatusCheckEntry>, description = "the office's checks of the day, refused attempts among them; never the documents"),
        (status = 400, body = ErrorBody, description = "a malformed day"),
        (status = 403, body = ErrorBody, description = "only the office head sees the office's checks"),
    ))]
pub async fn day_checks(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<StatusChecksQuery>,
) -> ApiResult<Json<Vec<StatusCheckEntry>>> {
    if !caller.roles.contains(&mz_domain::Role::MarriageHead) {
        return Err(ApiError::forbidden(
            "only the office head sees the office's status checks",
        ));
    }
    let noon = query
        .day
        .and_hms_opt(12, 0, 0)
        .ok_or_else(|| ApiError::invalid("day", "not a day"))?
        .and_utc()
        .timestamp_millis();
    let start = china_day_start(noon);
    let rows = sqlx::query(
        "SELECT c.id, c.checked_at, c.clear, c.refused, c.purpose_kind, c.purpose_id, \
         u.display_name, d.name AS device, r.deleted AS purpose_deleted, r.data AS purpose_data \
         FROM status_checks c \
         LEFT JOIN users u ON u.id = c.user_id LEFT JOIN devices d ON d.id = c.device_id \
         LEFT JOIN records r ON r.kind = c.purpose_kind AND r.id = c.purpose_id \
         WHERE c.org_unit = $1 AND c.checked_at >= $2 AND c.checked_at < $3 ORDER BY c.checked_at",
    )
    .bind(&caller.org_unit)
    .bind(start)
    .bind(start + 24 * 60 * 60 * 1000)
    .fetch_all(&state.db.pool)
    .await?;
    let mut checks = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let kind: Option<String> = row.try_get("purpose_kind")?;
        let record: Option<String> = row.try_get("purpose_id")?;
        let purpose = match (kind, record) {
            (Some(kind), Some(record)) => Some(CheckPurpose {
                kind: RecordKind::parse(&kind).ok_or_else(|| {
                    ApiError::internal(&format!("a check names an unknown kind {kind:?}"))
                })?,
                record_id: record.parse().map_err(|e| ApiError::internal(&e))?,
            }),
            // Checks from before purposes were kept.
            _ => None,
        };
        let purpose_now = match &purpose {
            None => None,
            Some(purpose) => Some(purpose_state(
                purpose.kind,
                row.try_get("purpose_deleted")?,
                row.try_get("purpose_data")?,
            )?),
        };
        checks.push(StatusCheckEntry {
            check_id: id.parse().map_err(|e| ApiError::internal(&e))?,
            checked_at: crate::clock::to_datetime(row.try_get("checked_at")?),
            user: row
                .try_get::<Option<String>, _>("display_name")?
                .unwrap_or_default(),
            device: row
                .try_get::<Option<String>, _>("device")?
                .unwrap_or_default(),
            purpose,
            purpose_now,
            clear: row.try_get::<i64, _>("clear")? != 0,
            refused: row.try_get::<i64, _>("refused")? != 0,
        });
    }
    Ok(Json(checks))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn registration_days_are_counted_in_china_time() {
        // 2026-11-29 16:30 UTC is 2026-11-30 00:30 in Beijing.
        let ms = chrono::DateTime::parse_from_rfc3339("2026-11-29T16:30:00Z")
            .unwrap()
            .timestamp_millis();
        assert_eq!(china_date(ms), "2026-11-30".parse::<NaiveDate>().unwrap());
    }
}

/// What a record counts for in the figures; stored by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FigureEvent {
    Marriage,
    Refusal,
    DivorceApplication,
    Withdrawal,
    Divorce,
}

impl FigureEvent {
    const ALL: [FigureEvent; 5] = [
        FigureEvent::Marriage,
        FigureEvent::Refusal,
        FigureEvent::DivorceApplication,
        FigureEvent::Withdrawal,
        FigureEvent::Divorce,
    ];

    fn as_str(self) -> &'static str {
        match self {
            FigureEvent::Marriage => "marriage",
            FigureEvent::Refusal => "refusal",
            FigureEvent::DivorceApplication => "divorce_application",
            FigureEvent::Withdrawal => "withdrawal",
            FigureEvent::Divorce => "divorce",
        }
    }

    fn parse(name: &str) -> Option<FigureEvent> {
        FigureEvent::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The count of an office's figures this event adds to.
    fn count_in(self, figures: &mut OfficeFigures) -> &mut u32 {
        match self {
            FigureEvent::Marriage => &mut figures.marriages,
            FigureEvent::Refusal => &mut figures.refusals,
            FigureEvent::DivorceApplication => &mut figures.divorce_applications,
            FigureEvent::Withdrawal => &mut figures.withdrawals,
            FigureEvent::Divorce => &mut figures.divorces,
        }
    }
}

/// What a record counts for in the figures: each event with its day.
fn events_of(kind: RecordKind, data: &str) -> Result<Vec<(FigureEvent, NaiveDate)>, Refusal> {
    let mut events = Vec::new();
    match kind {
        RecordKind::MarriageRegistration => {
            let data: MarriageRegistrationData = stored_body(data)?;
            match data.status {
                MarriageStatus::Registered => {
                    events.push((FigureEvent::Marriage, data.registered_on))
                }
                MarriageStatus::Refused => events.push((FigureEvent::Refusal, data.registered_on)),
                MarriageStatus::Prepared => {}
            }
        }
        RecordKind::DivorceRegistration => {
            let data: DivorceRegistrationData = stored_body(data)?;
            events.push((FigureEvent::DivorceApplication, data.received_on));
            match data.status {
                DivorceStatus::Withdrawn => {
                    if let Some(withdrawal) = &data.withdrawal {
                        events.push((FigureEvent::Withdrawal, withdrawal.on));
                    }
                }
                DivorceStatus::DeemedWithdrawn => {
                    if let Some(day) = data.periods.certificate_until.succ_opt() {
                        events.push((FigureEvent::Withdrawal, day));
                    }
                }
                DivorceStatus::Registered => {
                    if let Some(day) = data.registered_on {
                        events.push((FigureEvent::Divorce, day));
                    }
                }
                DivorceStatus::Received | DivorceStatus::Refused => {}
            }
        }
        RecordKind::HolidayCalendar
        | RecordKind::MarriageAppointment
        | RecordKind::DocumentDraft => {}
    }
    Ok(events)
}

/// A record as the figures' events are kept from it.
pub(crate) struct Counted<'a> {
    pub kind: RecordKind,
    pub id: Uuid,
    pub org_unit: &'a str,
    pub region: &'a str,
    pub data: Option<&'a str>,
}

/// Keeps the figures' events in step with the records written.
pub(crate) async fn note_events(
    conn: &mut AnyConnection,
    written: &[Counted<'_>],
) -> ApiResult<()> {
    for record in written {
        if !matches!(
            record.kind,
            RecordKind::MarriageRegistration | RecordKind::DivorceRegistration
        ) {
            continue;
        }
        sqlx::query("DELETE FROM marriage_events WHERE record_id = $1")
            .bind(record.id.to_string())
            .execute(&mut *conn)
            .await?;
        let Some(data) = record.data else { continue };
        let events =
            events_of(record.kind, data).map_err(|(_, reason, _)| ApiError::internal(&reason))?;
        for (event, day) in events {
            sqlx::query(
                "INSERT INTO marriage_events (record_id, event, day, org_unit, region) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(record.id.to_string())
            .bind(event.as_str())
            .bind(day.to_string())
            .bind(record.org_unit)
            .bind(record.region)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Derives the events of the records written before the events were kept:
/// once, when the platform starts on a database that has not had it done.
pub async fn derive_missing_events(db: &crate::Db) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    let done: i64 = sqlx::query_scalar(
        "UPDATE counters SET value = value WHERE name = 'marriage_events' RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await?;
    if done != 0 {
        return Ok(());
    }
    // Page by page, in id order.
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT kind, id, org_unit, region, data FROM records \
             WHERE kind IN ('marriage_registration', 'divorce_registration') AND deleted = 0 \
             AND id > $1 ORDER BY id LIMIT 200",
        )
        .bind(&after)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for row in rows {
            let kind: String = row.try_get("kind")?;
            let id: String = row.try_get("id")?;
            let named = |what: &str| ApiError::internal(&format!("{kind}/{id}: {what}"));
            let kind = RecordKind::parse(&kind).ok_or_else(|| named("unknown kind"))?;
            let (org_unit, region): (String, String) =
                (row.try_get("org_unit")?, row.try_get("region")?);
            let data: Option<String> = row.try_get("data")?;
            let record = Counted {
                kind,
                id: id.parse().map_err(|_| named("the id is not a UUID"))?,
                org_unit: &org_unit,
                region: &region,
                data: data.as_deref(),
            };
            note_events(&mut tx, &[record])
                .await
                .map_err(|_| named("the body cannot be counted"))?;
        }
    }
    sqlx::query("UPDATE counters SET value = 1 WHERE name = 'marriage_events'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/marriage/figures", tag = "marriage", security(("bearer" = [])),
    params(FiguresQuery),
    responses(
        (status = 200, body = Vec<OfficeFigures>, description = "each office within reach, with its counts; no personal data"),
        (status = 400, body = ErrorBody, description = "a malformed or reversed range, or longer than ten years"),
        (status = 403, body = ErrorBody, description = "a role without marriage figures"),
    ))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<FiguresQuery>,
) -> ApiResult<Json<Vec<OfficeFigures>>> {
    let Some(scope) = widest_scope(&caller.roles, Resource::MarriageFigures, Action::Read) else {
        return Err(ApiError::forbidden(
            "your roles do not include marriage figures",
        ));
    };
    if query.from > query.to {
        return Err(ApiError::invalid("from", "the range starts after it ends"));
    }
    if (query.to - query.from).num_days() > 3660 {
        return Err(ApiError::invalid("to", "a range of at most ten years"));
    }
    // Counted in the database, over the events within reach and range.
    let (clause, bind) = match scope {
        Scope::All => ("1 = 1", None),
        Scope::Region => ("e.region LIKE $3", Some(caller.region.like_pattern())),
        Scope::Unit => ("e.org_unit = $3", Some(caller.org_unit.clone())),
    };
    let sql = format!(
        "SELECT e.org_unit, e.region, u.name, e.event, count(*) AS n FROM marriage_events e \
         LEFT JOIN org_units u ON u.code = e.org_unit \
         WHERE e.day >= $1 AND e.day <= $2 AND {clause} \
         GROUP BY e.org_unit, e.region, u.name, e.event"
    );
    let mut q = sqlx::query(crate::db::assembled(sql))
        .bind(query.from.to_string())
        .bind(query.to.to_string());
    if let Some(value) = bind {
        q = q.bind(value);
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    let mut offices: std::collections::BTreeMap<String, OfficeFigures> =
        std::collections::BTreeMap::new();
    for row in rows {
        let unit: String = row.try_get("org_unit")?;
        let region: String = row.try_get("region")?;
        let name: Option<String> = row.try_get("name")?;
        let event: String = row.try_get("event")?;
        let n = u32::try_from(row.try_get::<i64, _>("n")?).map_err(|e| ApiError::internal(&e))?;
        let figures = offices
            .entry(unit.clone())
            .or_insert_with(|| OfficeFigures {
                org_unit: unit,
                name: name.unwrap_or_default(),
                region,
                ..OfficeFigures::default()
            });
        let event = FigureEvent::parse(&event).ok_or_else(|| {
            ApiError::internal(&format!("the figures hold an unknown event {event:?}"))
        })?;
        *event.count_in(figures) += n;
    }
    Ok(Json(offices.into_values().collect()))
}
