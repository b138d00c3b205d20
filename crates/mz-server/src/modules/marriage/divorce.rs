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
use mz_domain::marriage::CoolingOff;
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

    crate::modules::refused_for(mz_api::marriage::normal_divorce(&mut body))?;
    body.marriage_certificate_no = certificate_key(&body.marriage_certificate_no);
    // The periods run on the platform: a live application arrives as received.
    if previous.is_none() && history == History::Live && body.status != DivorceStatus::Received {
        return Err(rule(
            "data.status",
            "离婚申请先以“已受理”记入平台，冷静期从受理起算",
        ));
    }
    // What the record may become, as the counter checked it before queueing.
    crate::modules::refused_for(mz_api::marriage::changes::check_divorce_change(
        previous.as_ref(),
        &body,
        today,
    ))?;

    // Then what only the platform knows. The periods are counted once, at
    // receipt, with the calendar then published; a later correction of the
    // calendar does not move them.
    if previous.is_none() {
        let periods = CoolingOff::from_receipt(body.received_on, &facts.calendars)
            .map_err(|e| rule("data.received_on", format!("{e}；无法计算冷静期")))?;
        if periods != body.periods {
            return Err(rule("data.periods", "冷静期与已发布的节假日安排不符"));
        }
        // It arrives from a counter offline a few days at most
        // (applications from before the platform are imported as written).
        if history == History::Live && (today - body.received_on).num_days() > MAX_OFFLINE_DAYS {
            return Err(rule(
                "data.received_on",
                format!("离婚申请须在受理后 {MAX_OFFLINE_DAYS} 日内送达平台"),
            ));
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
                "这份结婚证是发给其他人的",
            ));
        }
    }
    let was_registered = previous
        .as_ref()
        .is_some_and(|p| p.status == DivorceStatus::Registered);
    // A marriage is dissolved once: an application is received, and a
    // divorce registered, only while the marriage is in force.
    let dissolving = body.status == DivorceStatus::Received
        || (body.status == DivorceStatus::Registered && !was_registered);
    if dissolving
        && let Some(marriage) = linked
        && (!marriage.in_force || marriage.dissolved_by.is_some_and(|d| d != id))
    {
        return Err(rule("data.marriage_certificate_no", "这段婚姻已不再有效"));
    }
    let mut natural_key = None;
    if body.status == DivorceStatus::Registered
        && let (Some(day), Some(number)) = (body.registered_on, body.certificate_no.clone())
    {
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
    super::registration::check_reissued_numbers(
        id,
        previous
            .as_ref()
            .filter(|p| p.status == DivorceStatus::Registered)
            .map_or(0, |p| p.reissues.len()),
        &body.reissues,
        CertificatePrefix::BL,
        today,
        caller,
        facts,
    )?;
    let data = crate::modules::to_stored(&body)?;
    Ok(Checked { data, natural_key })
}
