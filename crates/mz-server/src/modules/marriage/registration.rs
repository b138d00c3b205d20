//! The rules of a `marriage_registration` record at push: the parties and
//! statements, finality with a clear check and a number of the office's
//! block, reprints, reissues and a court's judgement.

use super::*;

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
        let issues = mz_domain::marriage::check_annulment(
            &annulment.court,
            &annulment.judgement_no,
            annulment.decided_on,
            body.registered_on,
            today,
        );
        if let Some(issue) = issues.first() {
            let all: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
            return Err(rule(&format!("data.{}", issue.field), all.join("；")));
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
    let data = crate::modules::to_stored(&body)?;
    Ok(Checked { data, natural_key })
}

/// The checks of a final registration; gives its certificate number.
pub(super) fn check_final(
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
pub(super) fn not_married_elsewhere(
    documents: &[String],
    id: Uuid,
    facts: &Facts,
) -> Result<(), Refusal> {
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
        .map_err(|refusal| Refusal {
            field: Some(field("certificate_no")),
            ..refusal
        })?;
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
