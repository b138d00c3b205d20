//! What a marriage or divorce record may become, from the body the platform
//! holds to the next one: the rules that need nothing but the two bodies and
//! the day. The platform applies them at push, with its own facts after them
//! (the office's number blocks, the voided numbers, the marriages in force,
//! the status checks, the calendar); the counter applies them before it
//! queues a change, so a change the platform would refuse for itself is
//! refused beside its field at once.
//!
//! They sit beside the body types (mz-api), not in mz-domain: mz-domain is
//! below the wire types and cannot name them. They are as pure as
//! mz-domain's: no I/O, no clock, tested with tables of cases below.
//!
//! Issues name their field as a path into the body (`reissues[1].holder`);
//! an empty field is the record as a whole.

use chrono::NaiveDate;
use mz_domain::FieldIssue;
use mz_domain::marriage::check_party;
use mz_domain::numbering::certificate_key;

use crate::records::{
    DivorceRegistrationData, DivorceStatus, MarriageRegistrationData, MarriageStatus, Reissue,
};

fn issue(field: impl Into<String>, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.into(),
        message: message.into(),
    }
}

/// Whether `next` keeps the number `previous` had, or voided it for a new one
/// (a spoiled print, 换号重打).
fn same_or_reprinted(previous: Option<&String>, next: Option<&String>, voided: &[String]) -> bool {
    previous == next || previous.is_some_and(|old| voided.contains(old))
}

/// The reissues of a record (补领): those already recorded stay as they were;
/// each new one is issued `today` to one of the two holders, with a number
/// the record has not carried before; only a record already final
/// (`previous` is its recorded reissues) and not `ended` (annulled, or
/// dissolved by divorce) gets new ones. Whether the number is this office's
/// and unused elsewhere is the platform's to say.
pub fn check_reissues(
    previous: Option<&[Reissue]>,
    reissues: &[Reissue],
    certificate_no: Option<&str>,
    ended: bool,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    if reissues.is_empty() && previous.is_none_or(<[Reissue]>::is_empty) {
        return Vec::new();
    }
    let Some(before) = previous else {
        return vec![issue("reissues", "只有已在册的登记可以补领证书")];
    };
    if !reissues.starts_with(before) {
        return vec![issue("reissues", "已记录的补领不能更改")];
    }
    if reissues.len() > before.len() && ended {
        return vec![issue("reissues", "这条登记已不再有效，不予补领证书")];
    }
    let mut issues = Vec::new();
    let mut seen: Vec<String> = certificate_no.map(certificate_key).into_iter().collect();
    for (index, reissue) in reissues.iter().enumerate() {
        let field = |name: &str| format!("reissues[{index}].{name}");
        let number = certificate_key(&reissue.certificate_no);
        if seen.contains(&number) {
            issues.push(issue(
                field("certificate_no"),
                "这个编号已经发出过，编号不重复使用",
            ));
        }
        seen.push(number);
        if index < before.len() {
            continue;
        }
        if reissue.holder > 1 {
            issues.push(issue(field("holder"), "持证人应为男方或女方（0 或 1）"));
        }
        if reissue.issued_on != today {
            issues.push(issue(field("issued_on"), "补领的证书在申请当日发出"));
        }
    }
    issues
}

/// The change of a marriage registration from `previous` (as the platform
/// holds it) to `next`, on `today`; `dissolved` when a registered divorce
/// has ended the marriage.
pub fn check_registration_change(
    previous: Option<&MarriageRegistrationData>,
    next: &MarriageRegistrationData,
    today: NaiveDate,
    dissolved: bool,
) -> Vec<FieldIssue> {
    if let Some(previous) = previous
        && previous.status == MarriageStatus::Refused
        && previous != next
    {
        // 不予登记 is an act of the registry as final as a registration.
        return vec![issue("status", "不予登记的决定是最终的，不能更改")];
    }
    let mut issues = Vec::new();
    if next.status == MarriageStatus::Refused {
        if next
            .refusal_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            issues.push(issue("refusal_reason", "不予登记须写明理由"));
        }
        // The parties are kept as presented; their documents are checked.
        for (index, party) in next.parties.iter().enumerate() {
            let (_, party_issues) = check_party(index, party, next.registered_on);
            issues.extend(
                party_issues
                    .into_iter()
                    .filter(|i| i.field.ends_with("doc_number")),
            );
        }
    }
    if let Some(previous) = previous
        && previous.status == MarriageStatus::Registered
    {
        // A registration is final: only a reprint (the old number voided), a
        // reissue and a court's judgement are recorded on it.
        let same_people = previous.parties == next.parties
            && previous.registered_on == next.registered_on
            && previous.photo == next.photo;
        let reprint = same_or_reprinted(
            previous.certificate_no.as_ref(),
            next.certificate_no.as_ref(),
            &next.voided_numbers,
        );
        if next.status != MarriageStatus::Registered || !same_people || !reprint {
            return vec![issue(
                "",
                "已登记的婚姻不能更改：只能换号重打（作废原编号）、补领证书或记录法院判决",
            )];
        }
        if previous.annulment.is_some() && previous.annulment != next.annulment {
            issues.push(issue("annulment", "已记录的法院判决不能更改"));
        }
    }
    let previous_final = previous.filter(|p| p.status == MarriageStatus::Registered);
    issues.extend(check_reissues(
        previous_final.map(|p| p.reissues.as_slice()),
        &next.reissues,
        next.certificate_no.as_deref(),
        next.annulment.is_some() || dissolved,
        today,
    ));
    if let Some(annulment) = &next.annulment {
        if next.status == MarriageStatus::Registered {
            let unchanged = previous_final.is_some_and(|p| p.annulment.as_ref() == Some(annulment));
            if !unchanged {
                issues.extend(mz_domain::marriage::check_annulment(
                    &annulment.court,
                    &annulment.judgement_no,
                    annulment.decided_on,
                    next.registered_on,
                    today,
                ));
            }
        } else {
            issues.push(issue("annulment", "只有已登记的婚姻才会被撤销或宣告无效"));
        }
    }
    match (next.status, &next.certificate_no) {
        (MarriageStatus::Registered, None) => {
            issues.push(issue("certificate_no", "登记完成须有结婚证编号"));
        }
        (MarriageStatus::Prepared | MarriageStatus::Refused, Some(_)) => {
            issues.push(issue("certificate_no", "结婚证编号只在登记完成时给出"));
        }
        _ => {}
    }
    issues
}

/// The change of a divorce registration from `previous` (as the platform
/// holds it) to `next`, on `today` (Civil Code art. 1076–1078): the
/// application as received never changes; it is withdrawn in the first
/// period, registered in the second, deemed withdrawn after it; withdrawn,
/// refused and registered are final (a reprint aside).
pub fn check_divorce_change(
    previous: Option<&DivorceRegistrationData>,
    next: &DivorceRegistrationData,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if certificate_key(&next.marriage_certificate_no).is_empty() {
        issues.push(issue(
            "marriage_certificate_no",
            "请填写当事人交来的结婚证编号",
        ));
    }
    let periods = previous.map_or(next.periods, |p| p.periods);
    match previous {
        None => {
            if next.received_on > today {
                issues.push(issue("received_on", "受理日期不能晚于今天"));
            }
        }
        Some(previous) => {
            let same_application = previous.received_on == next.received_on
                && previous.parties == next.parties
                && certificate_key(&previous.marriage_certificate_no)
                    == certificate_key(&next.marriage_certificate_no)
                && previous.periods == next.periods;
            if !same_application {
                return vec![issue("", "已受理的离婚申请不能更改")];
            }
            let allowed = match (previous.status, next.status) {
                (DivorceStatus::Received, _) => true,
                (DivorceStatus::Registered, DivorceStatus::Registered) => {
                    previous.registered_on == next.registered_on
                        && same_or_reprinted(
                            previous.certificate_no.as_ref(),
                            next.certificate_no.as_ref(),
                            &next.voided_numbers,
                        )
                }
                (before, after) => {
                    before == after
                        && previous.withdrawal == next.withdrawal
                        && previous.refusal_reason == next.refusal_reason
                        && previous.certificate_no == next.certificate_no
                }
            };
            if !allowed {
                return vec![issue(
                    "status",
                    "已撤回、不予登记或已登记的离婚是最终的，不能更改",
                )];
            }
        }
    }
    let was = |status: DivorceStatus| previous.is_some_and(|p| p.status == status);
    match next.status {
        DivorceStatus::Received => {
            if next.withdrawal.is_some()
                || next.certificate_no.is_some()
                || next.registered_on.is_some()
            {
                issues.push(issue("status", "刚受理的申请还没有撤回记录，也没有离婚证"));
            }
        }
        DivorceStatus::Withdrawn => match &next.withdrawal {
            None => issues.push(issue("withdrawal", "撤回须写明日期和撤回的一方")),
            Some(withdrawal) => {
                if withdrawal.by > 1 {
                    issues.push(issue("withdrawal.by", "撤回的一方应为 0 或 1"));
                }
                let unchanged = previous.is_some_and(|p| p.withdrawal == next.withdrawal);
                if !unchanged
                    && (withdrawal.on < next.received_on
                        || withdrawal.on > periods.withdrawal_ends
                        || withdrawal.on > today)
                {
                    issues.push(issue(
                        "withdrawal.on",
                        format!(
                            "自受理之日起至 {} 可以撤回，此后不能",
                            periods.withdrawal_ends
                        ),
                    ));
                }
            }
        },
        DivorceStatus::DeemedWithdrawn => {
            if !was(DivorceStatus::DeemedWithdrawn) && today <= periods.certificate_until {
                issues.push(issue(
                    "status",
                    format!("当事人至 {} 仍可来领取离婚证", periods.certificate_until),
                ));
            }
        }
        DivorceStatus::Refused => {
            if next
                .refusal_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                issues.push(issue("refusal_reason", "不予登记须写明理由"));
            }
        }
        DivorceStatus::Registered => {
            match next.registered_on {
                None => issues.push(issue("registered_on", "缺少登记日期")),
                Some(day) if !was(DivorceStatus::Registered) => {
                    if day != today {
                        issues.push(issue("registered_on", "离婚在双方到场的当日登记"));
                    } else if day < periods.certificate_from || day > periods.certificate_until {
                        issues.push(issue(
                            "registered_on",
                            format!(
                                "离婚证在 {} 至 {} 之间发给",
                                periods.certificate_from, periods.certificate_until
                            ),
                        ));
                    }
                }
                Some(_) => {}
            }
            if next.certificate_no.is_none() {
                issues.push(issue("certificate_no", "登记离婚须有离婚证编号"));
            }
        }
    }
    let previous_final = previous.filter(|p| p.status == DivorceStatus::Registered);
    issues.extend(check_reissues(
        previous_final.map(|p| p.reissues.as_slice()),
        &next.reissues,
        next.certificate_no.as_deref(),
        false,
        today,
    ));
    if next.status != DivorceStatus::Registered && next.certificate_no.is_some() {
        issues.push(issue("certificate_no", "离婚证编号只在登记离婚时给出"));
    }
    issues
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn party(name: &str, first17: &str, sex: &str, birth: &str) -> serde_json::Value {
        json!({
            "doc_type": "id_card",
            "doc_number": mz_domain::identity::with_check_character(first17),
            "name": name, "sex": sex, "birth_date": birth,
        })
    }

    fn registration(status: &str, number: Option<&str>) -> MarriageRegistrationData {
        serde_json::from_value(json!({
            "registered_on": "2026-03-05",
            "parties": [
                party("张三", "43010219980307001", "male", "1998-03-07"),
                party("李四", "43010219990101002", "female", "1999-01-01"),
            ],
            "statements": { "voluntary": true, "no_spouse": true, "no_prohibited_kinship": true },
            "status": status,
            "certificate_no": number,
        }))
        .unwrap()
    }

    fn reissue(number: &str, on: &str, holder: u8) -> Reissue {
        Reissue {
            certificate_no: number.to_owned(),
            issued_on: day(on),
            holder,
        }
    }

    /// A case: what it is, the body before, the body after, what else the
    /// rule is given, and the fields of the issues expected.
    type Case<T, With> = (&'static str, Option<T>, T, With, Vec<&'static str>);

    const J1: &str = "J430102-2026-000001";
    const J2: &str = "J430102-2026-000002";
    const TODAY: &str = "2026-03-05";

    fn fields(issues: Vec<FieldIssue>) -> Vec<String> {
        issues.into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn a_registration_changes_only_as_the_registry_allows() {
        let prepared = registration("prepared", None);
        let registered = registration("registered", Some(J1));
        let refused = {
            let mut r = registration("refused", None);
            r.refusal_reason = Some("一方未到场".to_owned());
            r
        };
        let reprinted = {
            let mut r = registration("registered", Some(J2));
            r.voided_numbers = vec![J1.to_owned()];
            r
        };
        let renumbered = registration("registered", Some(J2));
        let renamed = {
            let mut r = registered.clone();
            r.parties[0].name = "张叁".to_owned();
            r
        };
        let reissued = |on: &str, holder: u8| {
            let mut r = registered.clone();
            r.reissues = vec![reissue("BJ430102-2026-000001", on, holder)];
            r
        };
        let annulled = {
            let mut r = registered.clone();
            r.annulment = Some(crate::records::Annulment {
                kind: mz_domain::marriage::AnnulmentKind::Void,
                court: "长沙市芙蓉区人民法院".to_owned(),
                judgement_no: "（2026）湘0102民初123号".to_owned(),
                decided_on: day("2026-03-05"),
            });
            r
        };
        let no_reason = registration("refused", None);
        let numbered_form = registration("prepared", Some(J1));
        let unnumbered_final = registration("registered", None);

        let cases: Vec<Case<MarriageRegistrationData, bool>> = vec![
            ("a new form", None, prepared.clone(), false, vec![]),
            (
                "a form registered",
                Some(prepared.clone()),
                registered.clone(),
                false,
                vec![],
            ),
            (
                "a form refused",
                Some(prepared.clone()),
                refused.clone(),
                false,
                vec![],
            ),
            (
                "a refusal without its reason",
                Some(prepared.clone()),
                no_reason.clone(),
                false,
                vec!["refusal_reason"],
            ),
            (
                "a refusal taken back",
                Some(refused.clone()),
                prepared.clone(),
                false,
                vec!["status"],
            ),
            (
                "a refusal unchanged",
                Some(refused.clone()),
                refused.clone(),
                false,
                vec![],
            ),
            (
                "a registration taken back to a form",
                Some(registered.clone()),
                prepared.clone(),
                false,
                vec![""],
            ),
            (
                "a registered party renamed",
                Some(registered.clone()),
                renamed.clone(),
                false,
                vec![""],
            ),
            (
                "a reprint voiding the old number",
                Some(registered.clone()),
                reprinted.clone(),
                false,
                vec![],
            ),
            (
                "a new number without voiding the old",
                Some(registered.clone()),
                renumbered.clone(),
                false,
                vec![""],
            ),
            (
                "a reissue today",
                Some(registered.clone()),
                reissued(TODAY, 1),
                false,
                vec![],
            ),
            (
                "a reissue dated another day",
                Some(registered.clone()),
                reissued("2026-03-04", 0),
                false,
                vec!["reissues[0].issued_on"],
            ),
            (
                "a reissue to a third holder",
                Some(registered.clone()),
                reissued(TODAY, 2),
                false,
                vec!["reissues[0].holder"],
            ),
            (
                "a reissue after a divorce",
                Some(registered.clone()),
                reissued(TODAY, 0),
                true,
                vec!["reissues"],
            ),
            (
                "a reissue before the registration is final",
                Some(prepared.clone()),
                {
                    let mut r = reissued(TODAY, 0);
                    r.status = MarriageStatus::Registered;
                    r
                },
                false,
                vec!["reissues"],
            ),
            (
                "a recorded reissue removed",
                Some(reissued(TODAY, 0)),
                registered.clone(),
                false,
                vec!["reissues"],
            ),
            (
                "a court's judgement recorded",
                Some(registered.clone()),
                annulled.clone(),
                false,
                vec![],
            ),
            (
                "a judgement taken off",
                Some(annulled.clone()),
                registered.clone(),
                false,
                vec!["annulment"],
            ),
            (
                "a reissue after the judgement",
                Some(annulled.clone()),
                {
                    let mut r = annulled.clone();
                    r.reissues = vec![reissue("BJ430102-2026-000001", TODAY, 0)];
                    r
                },
                false,
                vec!["reissues"],
            ),
            (
                "a number on a form",
                None,
                numbered_form.clone(),
                false,
                vec!["certificate_no"],
            ),
            (
                "a final registration without its number",
                Some(prepared.clone()),
                unnumbered_final.clone(),
                false,
                vec!["certificate_no"],
            ),
        ];
        for (case, previous, next, dissolved, expected) in cases {
            let got = fields(check_registration_change(
                previous.as_ref(),
                &next,
                day(TODAY),
                dissolved,
            ));
            assert_eq!(got, expected, "{case}");
        }
    }

    #[test]
    fn a_reissued_number_is_never_one_the_record_carried() {
        let before = [reissue("BJ430102-2026-000001", "2026-03-01", 0)];
        let again = [
            before[0].clone(),
            reissue("bj430102-2026-000001 ", TODAY, 1),
        ];
        let issues = check_reissues(Some(&before), &again, Some(J1), false, day(TODAY));
        assert_eq!(fields(issues), ["reissues[1].certificate_no"]);
        let own_number = [reissue(J1, TODAY, 0)];
        let issues = check_reissues(Some(&[]), &own_number, Some(J1), false, day(TODAY));
        assert_eq!(fields(issues), ["reissues[0].certificate_no"]);
    }

    fn divorce(status: &str) -> DivorceRegistrationData {
        serde_json::from_value(json!({
            "received_on": "2026-03-02",
            "parties": [
                party("张三", "43010219980307001", "male", "1998-03-07"),
                party("李四", "43010219990101002", "female", "1999-01-01"),
            ],
            "marriage_certificate_no": J1,
            "periods": {
                "received": "2026-03-02",
                "withdrawal_ends": "2026-04-01",
                "certificate_from": "2026-04-02",
                "certificate_until": "2026-05-06",
            },
            "status": status,
        }))
        .unwrap()
    }

    #[test]
    fn a_divorce_moves_through_its_periods_and_then_is_final() {
        let received = divorce("received");
        let withdrawn_on = |on: &str, by: u8| {
            let mut d = divorce("withdrawn");
            d.withdrawal = Some(crate::records::DivorceWithdrawal { on: day(on), by });
            d
        };
        let registered_on = |on: &str| {
            let mut d = divorce("registered");
            d.registered_on = Some(day(on));
            d.certificate_no = Some("L430102-2026-000001".to_owned());
            d
        };
        let refused = {
            let mut d = divorce("refused");
            d.refusal_reason = Some("一方不同意".to_owned());
            d
        };
        let other_certificate = {
            let mut d = divorce("received");
            d.marriage_certificate_no = J2.to_owned();
            d
        };
        let cases: Vec<Case<DivorceRegistrationData, &str>> = vec![
            ("received", None, received.clone(), "2026-03-02", vec![]),
            (
                "received in the future",
                None,
                received.clone(),
                "2026-03-01",
                vec!["received_on"],
            ),
            (
                "the application changed",
                Some(received.clone()),
                other_certificate.clone(),
                "2026-03-03",
                vec![""],
            ),
            (
                "withdrawn in the first period",
                Some(received.clone()),
                withdrawn_on("2026-03-10", 1),
                "2026-03-10",
                vec![],
            ),
            (
                "withdrawn after it",
                Some(received.clone()),
                withdrawn_on("2026-04-02", 0),
                "2026-04-02",
                vec!["withdrawal.on"],
            ),
            (
                "withdrawn by a third party",
                Some(received.clone()),
                withdrawn_on("2026-03-10", 2),
                "2026-03-10",
                vec!["withdrawal.by"],
            ),
            (
                "a withdrawal taken back",
                Some(withdrawn_on("2026-03-10", 1)),
                received.clone(),
                "2026-03-11",
                vec!["status"],
            ),
            (
                "registered in the second period",
                Some(received.clone()),
                registered_on("2026-04-02"),
                "2026-04-02",
                vec![],
            ),
            (
                "registered in the first",
                Some(received.clone()),
                registered_on("2026-03-20"),
                "2026-03-20",
                vec!["registered_on"],
            ),
            (
                "registered on another day than today",
                Some(received.clone()),
                registered_on("2026-04-02"),
                "2026-04-03",
                vec!["registered_on"],
            ),
            (
                "deemed withdrawn too early",
                Some(received.clone()),
                divorce("deemed_withdrawn"),
                "2026-05-06",
                vec!["status"],
            ),
            (
                "deemed withdrawn after the second period",
                Some(received.clone()),
                divorce("deemed_withdrawn"),
                "2026-05-07",
                vec![],
            ),
            (
                "refused",
                Some(received.clone()),
                refused.clone(),
                "2026-03-03",
                vec![],
            ),
            (
                "refused without its reason",
                Some(received.clone()),
                divorce("refused"),
                "2026-03-03",
                vec!["refusal_reason"],
            ),
            (
                "a registered divorce taken back",
                Some(registered_on("2026-04-02")),
                received.clone(),
                "2026-04-03",
                vec!["status"],
            ),
        ];
        for (case, previous, next, today, expected) in cases {
            let got = fields(check_divorce_change(previous.as_ref(), &next, day(today)));
            assert_eq!(got, expected, "{case}");
        }
    }
}
