//! What a funeral case may become, from the body the platform holds to the
//! next one: the rules that need nothing but the two bodies and the day. The
//! platform applies them at push and then its own facts (the home's number
//! blocks, the numbers used elsewhere); the front desk applies them before it
//! queues a change.

use chrono::NaiveDate;
use mz_domain::FieldIssue;
use mz_domain::funeral::{CaseStage, CertificateState};

use super::{Ashes, CremationCertificate, FuneralCaseData, issue};

/// The change of a case from `previous` (`None` for a new one) to `next`,
/// on `today` in China: the case number stays; the stage goes forward; what
/// the cremation was decided on (the deceased, the contact, the papers, the
/// cremation) is final once cremated; no death, call or cremation in the
/// future, no cremation booked in the past; the certificate through its
/// life; the ashes' placement kept, a deposit only renewed.
pub fn check_case_change(
    previous: Option<&FuneralCaseData>,
    next: &FuneralCaseData,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if next.deceased.died_at.date() > today {
        issues.push(issue("deceased.died_at", "死亡时间在今天之后"));
    }
    if next.call.called_at.date() > today
        && previous.is_none_or(|p| p.call.called_at != next.call.called_at)
    {
        issues.push(issue("call.called_at", "来电时间在今天之后"));
    }
    if let Some(cremation) = &next.cremation {
        let before = previous.and_then(|p| p.cremation.as_ref());
        let replanned = before.is_none_or(|b| b.planned_at != cremation.planned_at);
        if replanned && cremation.done_at.is_none() && cremation.planned_at.date() < today {
            issues.push(issue("cremation.planned_at", "不能预约已过去的日期火化"));
        }
        if let Some(done) = cremation.done_at
            && done.date() > today
        {
            issues.push(issue("cremation.done_at", "火化完成时间在今天之后"));
        }
    }
    issues.extend(check_certificate(
        previous.and_then(|p| p.certificate.as_ref()),
        next.certificate.as_ref(),
        today,
    ));
    let Some(previous) = previous else {
        return issues;
    };
    if previous.case_no != next.case_no {
        issues.push(issue("case_no", "业务编号不能更改"));
    }
    if let Some(message) = mz_domain::funeral::check_stage_change(previous.stage, next.stage) {
        issues.push(issue("stage", message));
    }
    if previous.stage >= CaseStage::Cremated {
        let decided = [
            ("deceased", previous.deceased != next.deceased),
            ("contact", previous.contact != next.contact),
            ("checks", previous.checks != next.checks),
            ("unidentified", previous.unidentified != next.unidentified),
            ("cremation", previous.cremation != next.cremation),
        ];
        for (field, changed) in decided {
            if changed {
                issues.push(issue(field, "遗体已火化，火化所依据的信息不能再更改"));
            }
        }
    }
    issues.extend(check_ashes(previous.ashes.as_ref(), next.ashes.as_ref()));
    issues.extend(check_money(previous.bill.as_ref(), next.bill.as_ref()));
    issues.extend(check_work(previous, next));
    issues
}

/// Work orders are only added, none after cremation, and one done stays
/// done as it was recorded.
fn check_work(previous: &FuneralCaseData, next: &FuneralCaseData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let (before, after) = (&previous.work_orders, &next.work_orders);
    if after.len() < before.len() {
        issues.push(issue("work_orders", "已下的工作单不能删除"));
        return issues;
    }
    for (index, (old, new)) in before.iter().zip(after).enumerate() {
        let kept = old.kind == new.kind && old.ordered_at == new.ordered_at && old.note == new.note;
        let done_kept =
            old.done_at.is_none() || (old.done_at == new.done_at && old.done_by == new.done_by);
        if !kept || !done_kept {
            issues.push(issue(
                format!("work_orders[{index}]"),
                "已记录的工作单不能更改",
            ));
        }
    }
    if after.len() > before.len() && previous.stage >= CaseStage::Cremated {
        issues.push(issue("work_orders", "遗体已火化，不能再下整容或清洗工作单"));
    }
    issues
}

/// Money taken and given back stays on record: payments and refunds are
/// only added to, and a bill with money on it is never taken away.
fn check_money(
    previous: Option<&super::CaseBill>,
    next: Option<&super::CaseBill>,
) -> Vec<FieldIssue> {
    let Some(previous) = previous else {
        return Vec::new();
    };
    let empty = super::CaseBill::default();
    let next = next.unwrap_or(&empty);
    let mut issues = Vec::new();
    if !next.payments.starts_with(&previous.payments) {
        issues.push(issue(
            "bill.payments",
            "已记录的收款不能更改或删除，多收的请退款",
        ));
    }
    if !next.refunds.starts_with(&previous.refunds) {
        issues.push(issue("bill.refunds", "已记录的退款不能更改或删除"));
    }
    issues
}

/// A certificate's change: once issued it stays on the case; a new one is
/// issued today; its number stays unless voided for a reprint while it is
/// still only issued; its voided numbers only grow; its state goes through
/// its life ([`mz_domain::funeral::check_certificate_change`]); whom it was
/// collected by is recorded once, and from collection on.
fn check_certificate(
    previous: Option<&CremationCertificate>,
    next: Option<&CremationCertificate>,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let next = match (previous, next) {
        (None, None) => return issues,
        (Some(_), None) => {
            issues.push(issue("certificate", "已开具的火化证明不能删除，只能作废"));
            return issues;
        }
        (_, Some(next)) => next,
    };
    let collected_state =
        next.state >= CertificateState::Collected && next.state != CertificateState::Voided;
    if collected_state && next.collected.is_none() {
        issues.push(issue("certificate.collected", "请记录领取人及其证件"));
    }
    let Some(previous) = previous else {
        // New to the platform: a desk that worked offline may send it
        // collected already, or reprinted with its spoiled numbers.
        if next.issued_on > today {
            issues.push(issue("certificate.issued_on", "开具日期在今天之后"));
        }
        return issues;
    };
    if let Some(message) = mz_domain::funeral::check_certificate_change(previous.state, next.state)
    {
        issues.push(issue("certificate.state", message));
    }
    if !next.voided_numbers.starts_with(&previous.voided_numbers) {
        issues.push(issue("certificate.voided_numbers", "已作废的编号不能撤销"));
    }
    if previous.number != next.number {
        let reprinted = previous.state == CertificateState::Issued
            && next.voided_numbers.contains(&previous.number)
            && !next.voided_numbers.contains(&next.number);
        if !reprinted {
            issues.push(issue(
                "certificate.number",
                "火化证明编号只在换号重打时更换，原编号作废",
            ));
        }
    }
    if previous.collected.is_some() && previous.collected != next.collected {
        issues.push(issue("certificate.collected", "领取记录不能更改"));
    }
    if !next.reissues.starts_with(&previous.reissues) {
        issues.push(issue("certificate.reissues", "已记录的补发不能更改"));
    }
    for (index, reissue) in next
        .reissues
        .iter()
        .enumerate()
        .skip(previous.reissues.len())
    {
        if reissue.issued_on > today {
            issues.push(issue(
                format!("certificate.reissues[{index}].issued_on"),
                "补发日期在今天之后",
            ));
        }
    }
    issues
}

/// The ashes' placement: once recorded it stays, but a deposit may be
/// renewed (its end later, the same niche and agreement) and ashes kept at
/// the home may later be taken home or buried.
fn check_ashes(previous: Option<&Ashes>, next: Option<&Ashes>) -> Vec<FieldIssue> {
    let changed = match (previous, next) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(a), Some(b)) if a == b => false,
        (
            Some(Ashes::Deposited {
                niche,
                agreement_no,
                from,
                until,
            }),
            Some(Ashes::Deposited {
                niche: niche2,
                agreement_no: agreement2,
                from: from2,
                until: until2,
            }),
        ) => !(niche == niche2 && agreement_no == agreement2 && from == from2 && until2 > until),
        (Some(Ashes::Deposited { .. }), Some(Ashes::HandedOver { .. } | Ashes::Buried { .. })) => {
            false
        }
        (Some(_), Some(_)) => true,
    };
    if changed {
        vec![issue(
            "ashes",
            "骨灰的去向已记录，只有寄存可以续期，或取回、安葬",
        )]
    } else {
        Vec::new()
    }
}
