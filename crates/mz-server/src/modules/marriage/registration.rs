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
    let today = china_date(now);
    crate::modules::refused_for(mz_api::marriage::normal_registration(&mut body))?;
    // What the record may become, as the counter checked it before queueing.
    crate::modules::refused_for(mz_api::marriage::changes::check_registration_change(
        previous.as_ref(),
        &body,
        today,
        facts.dissolved.contains(&id),
    ))?;
    // Then what only the platform knows: whose numbers these are.
    check_reissued_numbers(
        id,
        previous
            .as_ref()
            .filter(|p| p.status == MarriageStatus::Registered)
            .map_or(0, |p| p.reissues.len()),
        &body.reissues,
        CertificatePrefix::BJ,
        today,
        caller,
        facts,
    )?;
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
        MarriageStatus::Prepared | MarriageStatus::Refused => None,
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
        return Err(rule("data.certificate_no", "登记完成须有结婚证编号"));
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
            return Err(rule("data.registered_on", "补录的登记日期不能晚于今天"));
        }
        return not_married_elsewhere(&documents, id, facts).map(|()| number);
    }
    let Some(check) = body.status_check.and_then(|c| facts.checks.get(&c)) else {
        return Err(rule("data.status_check", "须经婚姻状况核查后才能完成登记"));
    };
    let checked = body
        .status_check
        .map(|id| documents_digest(id, &document_set(&documents)));
    if check.org_unit != caller.org_unit || checked.as_deref() != Some(check.documents.as_str()) {
        return Err(rule(
            "data.status_check",
            "婚姻状况核查针对的是其他证件，或由其他登记机关所做",
        ));
    }
    if !check.clear {
        return Err(rule("data.status_check", "婚姻状况核查发现一方已婚"));
    }
    if !unchanged_final
        && (china_date(check.checked_at) != body.registered_on || body.registered_on != today)
    {
        return Err(rule(
            "data.registered_on",
            "结婚登记须在婚姻状况核查的当日完成",
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
                    "此当事人已婚（结婚证 {}），不予登记",
                    other.certificate_no.as_deref().unwrap_or("—")
                ),
            ));
        }
    }
    Ok(())
}

/// The numbers of record `id`'s reissues, after the change rules
/// ([`mz_api::marriage::changes::check_reissues`]) passed: none carried by
/// another record, and each new one (from `recorded` on) of this office's
/// `prefix` series, in its block, never voided.
pub(crate) fn check_reissued_numbers(
    id: Uuid,
    recorded: usize,
    reissues: &[mz_api::records::Reissue],
    prefix: CertificatePrefix,
    today: NaiveDate,
    caller: &Caller,
    facts: &Facts,
) -> Result<(), Refusal> {
    for (index, reissue) in reissues.iter().enumerate() {
        let field = format!("data.reissues[{index}].certificate_no");
        let number = certificate_key(&reissue.certificate_no);
        if facts.reissued.get(&number).is_some_and(|r| *r != id) {
            return Err(rule(&field, "这个编号已经发出过，编号不重复使用"));
        }
        if index < recorded {
            continue;
        }
        check_number(&reissue.certificate_no, prefix, today, &[], caller, facts).map_err(
            |refusal| Refusal {
                field: Some(field.clone()),
                ..refusal
            },
        )?;
    }
    Ok(())
}

/// The checks of a certificate number issued on `day` by the caller's
/// office ([`crate::numbers::IssuedNumbers::check`]).
pub(crate) fn check_number(
    number: &str,
    prefix: CertificatePrefix,
    day: NaiveDate,
    voided: &[String],
    caller: &Caller,
    facts: &Facts,
) -> Result<(), Refusal> {
    facts
        .numbers
        .check("data.certificate_no", number, prefix, day, voided, caller)
}
