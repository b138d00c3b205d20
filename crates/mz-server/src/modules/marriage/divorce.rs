//! Divorce by agreement on the platform: the rules a `divorce_registration`
//! record must meet before a push applies it (Civil Code art. 1076–1078).
//!
//! The application is received once, with its periods counted from the
//! published holiday calendar; either party may withdraw in the first period;
//! the certificate is issued only in the second, with an L number from this
//! office's block; after it the application is deemed withdrawn. The
//! marriage it dissolves, when the registry holds it, must be in force and
//! name the same two people; once registered it no longer counts as a
//! marriage in force for the marital-status check.

use mz_api::records::{DivorceRegistrationData, DivorceStatus};
use mz_domain::marriage::{CoolingOff, check_divorce};
use mz_domain::numbering::CertificatePrefix;
use uuid::Uuid;

use super::*;
use crate::sync::History;

/// How long a counter may have been offline before its receipt reaches the
/// platform.
const MAX_OFFLINE_DAYS: i64 = 7;

/// Applies the divorce rules to an upsert of record `id` by `caller`;
/// `current` is the record's body as the platform holds it.
pub(crate) fn check_divorce_record(
    data: serde_json::Value,
    id: Uuid,
    current: Option<&str>,
    caller: &Caller,
    facts: &Facts,
    (now, history): (i64, History),
) -> Result<Checked, Refusal> {
    let mut body: DivorceRegistrationData = parse_body(data)?;
    let previous: Option<DivorceRegistrationData> = current.map(stored_body).transpose()?;
    let today = china_date(now);

    let (parties, issues) = check_divorce(&body.parties, body.received_on);
    if let Some(issue) = issues.first() {
        let all: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        return Err(rule(&format!("data.{}", issue.field), all.join("；")));
    }
    body.parties = parties;
    body.marriage_certificate_no = certificate_key(&body.marriage_certificate_no);
    if body.marriage_certificate_no.is_empty() {
        return Err(rule(
            "data.marriage_certificate_no",
            "name the marriage certificate the parties hand in",
        ));
    }
    // The periods are counted once, at receipt, with the calendar then
    // published; a later correction of the calendar does not move them.
    let periods = match &previous {
        Some(previous) => previous.periods,
        None => {
            let periods =
                CoolingOff::from_receipt(body.received_on, &facts.calendars).map_err(|e| {
                    rule(
                        "data.received_on",
                        format!("{e}; the periods cannot be counted"),
                    )
                })?;
            if periods != body.periods {
                return Err(rule(
                    "data.periods",
                    "the periods do not follow the published holiday calendar",
                ));
            }
            periods
        }
    };

    match &previous {
        None => {
            if body.received_on > today {
                return Err(rule(
                    "data.received_on",
                    "an application is not received in the future",
                ));
            }
            // The periods run on the platform: an application arrives as
            // received, from a counter offline a few days at most
            // (applications from before the platform are imported as written).
            if history == History::Live {
                if body.status != DivorceStatus::Received {
                    return Err(rule(
                        "data.status",
                        "an application is first recorded as received; the periods run before anything else",
                    ));
                }
                if (today - body.received_on).num_days() > MAX_OFFLINE_DAYS {
                    return Err(rule(
                        "data.received_on",
                        format!(
                            "an application reaches the platform within {MAX_OFFLINE_DAYS} days of its receipt"
                        ),
                    ));
                }
            }
        }
        Some(previous) => {
            let same_application = previous.received_on == body.received_on
                && previous.parties == body.parties
                && previous.marriage_certificate_no == body.marriage_certificate_no
                && previous.periods == body.periods;
            if !same_application {
                return Err(rule(
                    "data",
                    "the application as received cannot be changed",
                ));
            }
            let allowed = match (previous.status, body.status) {
                (DivorceStatus::Received, _) => true,
                // A reprint of the certificate: the old number voided.
                (DivorceStatus::Registered, DivorceStatus::Registered) => {
                    previous.registered_on == body.registered_on
                        && (previous.certificate_no == body.certificate_no
                            || previous
                                .certificate_no
                                .as_ref()
                                .is_some_and(|old| body.voided_numbers.contains(old)))
                }
                (before, after) => {
                    before == after
                        && previous.withdrawal == body.withdrawal
                        && previous.refusal_reason == body.refusal_reason
                        && previous.certificate_no == body.certificate_no
                }
            };
            if !allowed {
                return Err(rule(
                    "data.status",
                    "a withdrawn, refused or registered divorce is final",
                ));
            }
        }
    }

    let linked = facts.marriages.get(&body.marriage_certificate_no);
    body.marriage_record_id = linked.map(|m| m.record_id);
    if let Some(marriage) = linked {
        let documents: Vec<String> = body
            .parties
            .iter()
            .map(|p| registry_number(p.doc_type, &p.doc_number))
            .collect();
        if marriage.documents != document_set(&documents) {
            return Err(rule(
                "data.marriage_certificate_no",
                "this marriage certificate was issued to other people",
            ));
        }
    }

    let mut natural_key = None;
    match body.status {
        DivorceStatus::Received => {
            if body.withdrawal.is_some()
                || body.certificate_no.is_some()
                || body.registered_on.is_some()
            {
                return Err(rule(
                    "data.status",
                    "a received application has no withdrawal and no certificate yet",
                ));
            }
            if let Some(marriage) = linked
                && (!marriage.in_force || marriage.dissolved_by.is_some_and(|d| d != id))
            {
                return Err(rule(
                    "data.marriage_certificate_no",
                    "this marriage is no longer in force",
                ));
            }
        }
        DivorceStatus::Withdrawn => {
            let Some(withdrawal) = &body.withdrawal else {
                return Err(rule(
                    "data.withdrawal",
                    "a withdrawal says when and by whom",
                ));
            };
            if withdrawal.by > 1 {
                return Err(rule("data.withdrawal.by", "the party is 0 or 1"));
            }
            let unchanged = previous
                .as_ref()
                .is_some_and(|p| p.withdrawal == body.withdrawal);
            if !unchanged
                && (withdrawal.on < body.received_on
                    || withdrawal.on > periods.withdrawal_ends
                    || withdrawal.on > today)
            {
                return Err(rule(
                    "data.withdrawal.on",
                    format!(
                        "an application is withdrawn from its receipt to {} and not later",
                        periods.withdrawal_ends
                    ),
                ));
            }
        }
        DivorceStatus::DeemedWithdrawn => {
            if today <= periods.certificate_until {
                return Err(rule(
                    "data.status",
                    format!(
                        "the parties may come for the certificate until {}",
                        periods.certificate_until
                    ),
                ));
            }
        }
        DivorceStatus::Refused => {
            if body
                .refusal_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                return Err(rule("data.refusal_reason", "a refusal states its reason"));
            }
        }
        DivorceStatus::Registered => {
            let Some(day) = body.registered_on else {
                return Err(rule(
                    "data.registered_on",
                    "the day of registration is missing",
                ));
            };
            let Some(number) = body.certificate_no.clone() else {
                return Err(rule(
                    "data.certificate_no",
                    "a divorce is registered only with its certificate number",
                ));
            };
            let unchanged_final = previous
                .as_ref()
                .is_some_and(|p| p.status == DivorceStatus::Registered);
            if !unchanged_final {
                if day != today {
                    return Err(rule(
                        "data.registered_on",
                        "a divorce is registered on the day both parties come",
                    ));
                }
                if day < periods.certificate_from || day > periods.certificate_until {
                    return Err(rule(
                        "data.registered_on",
                        format!(
                            "the certificate is issued from {} to {}",
                            periods.certificate_from, periods.certificate_until
                        ),
                    ));
                }
                if let Some(marriage) = linked
                    && (!marriage.in_force || marriage.dissolved_by.is_some_and(|d| d != id))
                {
                    return Err(rule(
                        "data.marriage_certificate_no",
                        "this marriage is no longer in force",
                    ));
                }
            }
            check_number(
                &number,
                CertificatePrefix::L,
                day,
                &body.voided_numbers,
                caller,
                facts,
            )?;
            natural_key = Some(number);
        }
    }
    check_reissues(
        ReissueCheck {
            id,
            previous: previous
                .as_ref()
                .filter(|p| p.status == DivorceStatus::Registered)
                .map(|p| p.reissues.as_slice()),
            certificate_no: body.certificate_no.as_deref(),
            prefix: CertificatePrefix::BL,
            ended: false,
        },
        &body.reissues,
        today,
        caller,
        facts,
    )?;
    if body.status != DivorceStatus::Registered && body.certificate_no.is_some() {
        return Err(rule(
            "data.certificate_no",
            "the certificate number is given only when the divorce is registered",
        ));
    }
    let data = crate::modules::to_stored(&body)?;
    Ok(Checked { data, natural_key })
}
