//! The funeral home's case (殡仪馆业务): its body on the wire, its own rules
//! and what it may become. One `funeral_case` record follows one deceased
//! from the call to the placement of the ashes; the papers checked before
//! collection and before cremation (the 2024 notice) are in it, each with
//! who checked, when, the document's number and a scan.
//!
//! The rules over single fields and people are mz-domain's
//! ([`mz_domain::funeral`], [`mz_domain::marriage::check_document`]); the
//! rules over the whole body are here, pure, run by the front desk before it
//! queues a change and by the platform at push.

pub mod booking;
pub mod cemetery;
pub mod changes;
pub mod home;
pub mod standard;

use chrono::{NaiveDate, NaiveDateTime};
use mz_domain::FieldIssue;
use mz_domain::blob::{BlobRef, MediaType};
use mz_domain::funeral::{CaseStage, CauseCategory, CertificateState, Papers};
use mz_domain::marriage::DocumentType;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The largest scan of a paper a case keeps (a page of A4 at 200 dpi in
/// JPEG, or a short PDF).
pub const MAX_SCAN_BYTES: usize = 2 * 1024 * 1024;

/// The kinds of file a scan may be: a picture or a PDF.
pub const SCAN_TYPES: &[MediaType] = &[MediaType::Jpeg, MediaType::Png, MediaType::Pdf];

/// The scans a case's body names, one per paper checked.
pub(crate) const SCAN_FIELDS: &[crate::records::BlobField] = &[
    scan("checks.identity.scan"),
    scan("checks.death_certificate.scan"),
    scan("checks.police_paper.scan"),
    scan("checks.confirmation.scan"),
    scan("checks.contact_identity.scan"),
];

const fn scan(path: &'static str) -> crate::records::BlobField {
    crate::records::BlobField {
        path,
        max_bytes: MAX_SCAN_BYTES,
        media_types: SCAN_TYPES,
    }
}

/// The call that opens a case (来电登记).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CallLog {
    /// When the call came, in China's time.
    #[ts(type = "string")]
    pub called_at: NaiveDateTime,
    /// Who called: a relative, a hospital, the police.
    pub caller: String,
    pub phone: String,
    /// Where the body is.
    pub place: String,
}

/// The vehicle and driver sent to collect the body (接运).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Dispatch {
    /// The home's vehicle, by its plate or its number in the home's list.
    pub vehicle: String,
    pub driver: String,
    #[ts(type = "string")]
    pub dispatched_at: NaiveDateTime,
    /// When the body was received at the home.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub received_at: Option<NaiveDateTime>,
}

/// The deceased (逝者). An unidentified body (无名遗体) has no document; its
/// name is what the police call it (无名氏).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Deceased {
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub doc_type: Option<DocumentType>,
    #[serde(default)]
    pub doc_number: String,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub sex: Option<mz_domain::Sex>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub ethnicity: String,
    #[ts(type = "string")]
    pub died_at: NaiveDateTime,
    pub death_place: String,
    #[schema(value_type = String)]
    pub cause: CauseCategory,
    /// The household's region (GB/T 2260, six digits), when known.
    #[serde(default)]
    pub household_region: String,
    /// The rest of the household address.
    #[serde(default)]
    pub address: String,
}

/// The family's contact (丧事承办人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[schema(value_type = String)]
    pub doc_type: DocumentType,
    pub doc_number: String,
    /// How they are related to the deceased (子女, 配偶 …).
    pub relation: String,
    pub phone: String,
}

/// One paper checked at the desk: who checked it and when, its number, and
/// its scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct PaperCheck {
    /// Who checked (the clerk's display name).
    pub by: String,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    /// The paper's number (the death certificate's, the document's).
    #[serde(default)]
    pub number: String,
    /// The scan, a blob named by its hash.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub scan: Option<BlobRef>,
}

/// The papers of a case (the 2024 notice): each `None` until checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// The deceased's identity against their document.
    #[serde(default)]
    pub identity: Option<PaperCheck>,
    /// The 居民死亡医学证明, its number in the form of its year.
    #[serde(default)]
    pub death_certificate: Option<PaperCheck>,
    /// The police's paper: for an unidentified body, or a death the police
    /// handle (a police death certificate).
    #[serde(default)]
    pub police_paper: Option<PaperCheck>,
    /// The 遗体火化确认书 signed by the contact.
    #[serde(default)]
    pub confirmation: Option<PaperCheck>,
    /// The contact's own document.
    #[serde(default)]
    pub contact_identity: Option<PaperCheck>,
}

impl Checks {
    /// The papers as mz-domain's gate reads them.
    pub fn papers(&self) -> Papers {
        let number = |check: &Option<PaperCheck>| check.as_ref().map(|c| c.number.clone());
        Papers {
            identity_checked: self.identity.is_some(),
            death_certificate_no: number(&self.death_certificate),
            police_notice_no: number(&self.police_paper),
            cremation_confirmed: self.confirmation.is_some(),
            contact_checked: self.contact_identity.is_some(),
        }
    }

    /// The body's field of one of mz-domain's [`Papers`].
    fn field_of(paper: &str) -> &str {
        match paper {
            "papers.identity_checked" => "checks.identity",
            "papers.death_certificate_no" => "checks.death_certificate",
            "papers.police_notice_no" => "checks.police_paper",
            "papers.cremation_confirmed" => "checks.confirmation",
            "papers.contact_checked" => "checks.contact_identity",
            other => other,
        }
    }

    /// Each check by its field, for the rules that hold for every one.
    fn each(&self) -> [(&'static str, Option<&PaperCheck>); 5] {
        [
            ("checks.identity", self.identity.as_ref()),
            ("checks.death_certificate", self.death_certificate.as_ref()),
            ("checks.police_paper", self.police_paper.as_ref()),
            ("checks.confirmation", self.confirmation.as_ref()),
            ("checks.contact_identity", self.contact_identity.as_ref()),
        ]
    }
}

/// A stay in a cold-storage cabinet (冷藏).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CabinetStay {
    /// The cabinet, by its number on the home's board.
    pub cabinet: String,
    #[ts(type = "string")]
    pub from: NaiveDateTime,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub until: Option<NaiveDateTime>,
}

/// The cremation (火化): the furnace and time it is queued for, and when
/// it was done and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Cremation {
    pub furnace: String,
    #[ts(type = "string")]
    pub planned_at: NaiveDateTime,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub done_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub operator: String,
}

/// Who collected a cremation certificate (领取), as signed for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    pub name: String,
    #[schema(value_type = String)]
    pub doc_type: DocumentType,
    pub doc_number: String,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
}

/// The cremation certificate (火化证明) of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CremationCertificate {
    /// HZ + the home's region + year + serial, from the home's block.
    pub number: String,
    #[schema(value_type = String)]
    pub state: CertificateState,
    pub issued_on: NaiveDate,
    #[serde(default)]
    pub collected: Option<Collection>,
    /// Numbers spoiled in printing: void, kept, never used again.
    #[serde(default)]
    pub voided_numbers: Vec<String>,
    /// Certificates issued again for a lost one (补发), oldest first: only
    /// to the one who collected it, after their identity was checked.
    #[serde(default)]
    pub reissues: Vec<CertificateReissue>,
}

/// A cremation certificate issued again (补发).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CertificateReissue {
    /// A new number of the home's block.
    pub number: String,
    pub issued_on: NaiveDate,
    /// The document of the one it was given to: the first recipient's.
    pub doc_number: String,
    /// Who checked their identity and gave it.
    pub by: String,
    pub reason: String,
}

/// Where the ashes went: the end of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(tag = "way", rename_all = "snake_case", deny_unknown_fields)]
pub enum Ashes {
    /// Handed to the family (骨灰领取), to whom, against which document.
    HandedOver {
        to: String,
        #[schema(value_type = String)]
        doc_type: DocumentType,
        doc_number: String,
        on: NaiveDate,
    },
    /// Kept at the home (骨灰寄存) in a niche, under a storage agreement
    /// (骨灰安放协议) that runs until a day and is renewed.
    Deposited {
        niche: String,
        agreement_no: String,
        from: NaiveDate,
        until: NaiveDate,
    },
    /// Buried in a cemetery plot (安葬).
    Buried { plot: String, on: NaiveDate },
}

/// A service the preparation room does on the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// 清洗
    Washing,
    /// 穿衣
    Dressing,
    /// 整容化妆
    Cosmetic,
}

/// A work order of the preparation room: ordered at the desk, done by
/// the one who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WorkOrder {
    pub kind: WorkKind,
    #[ts(type = "string")]
    pub ordered_at: NaiveDateTime,
    /// What the family asked for.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub done_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub done_by: String,
}

/// The most items one bill lists (the rows of the receipt).
pub const MAX_BILL_ITEMS: usize = 19;

/// An item of the home's schedule taken for a case, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Ordered {
    pub code: String,
    pub quantity: u32,
}

/// A waiver claimed for a case (惠民殡葬), with its evidence: the number of
/// the stamped 困难群众基本殡葬服务免费申请表, or of the 低保证 / 特困供养证.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WaiverClaim {
    #[schema(value_type = String)]
    pub ground: mz_domain::funeral::WaiverGround,
    #[serde(default)]
    pub evidence: String,
}

/// How a payment was made: recorded, never processed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum PayMethod {
    /// 现金
    Cash,
    /// 刷卡
    Card,
    /// 转账 / 扫码
    Transfer,
}

/// A payment taken at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    pub method: PayMethod,
    #[ts(type = "number")]
    pub amount_fen: mz_domain::funeral::Fen,
    /// Who took it.
    pub by: String,
    /// The card slip's or the transfer's reference.
    #[serde(default)]
    pub reference: String,
}

/// Money given back, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Refund {
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    #[ts(type = "number")]
    pub amount_fen: mz_domain::funeral::Fen,
    pub reason: String,
    pub by: String,
}

/// The bill of a case: what was taken from the schedule, the waiver
/// claimed, the bill as priced when the items were taken (kept, so that a
/// later schedule never changes a bill already made), and the money.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CaseBill {
    pub items: Vec<Ordered>,
    #[serde(default)]
    pub waiver: Option<WaiverClaim>,
    #[schema(value_type = Object)]
    pub priced: Option<mz_domain::funeral::Bill>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
}

impl CaseBill {
    /// What was paid, less what was given back.
    pub fn paid_fen(&self) -> mz_domain::funeral::Fen {
        let paid: mz_domain::funeral::Fen = self.payments.iter().map(|p| p.amount_fen).sum();
        let refunded: mz_domain::funeral::Fen = self.refunds.iter().map(|r| r.amount_fen).sum();
        paid - refunded
    }

    /// What is still to pay.
    pub fn due_fen(&self) -> mz_domain::funeral::Fen {
        self.priced.as_ref().map_or(0, |b| b.payable_fen) - self.paid_fen()
    }
}

/// The body of a `funeral_case` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FuneralCaseData {
    /// YT + the home's region + year + serial, from the home's block.
    pub case_no: String,
    #[schema(value_type = String)]
    pub stage: CaseStage,
    pub call: CallLog,
    #[serde(default)]
    pub dispatch: Option<Dispatch>,
    /// An unidentified body (无名遗体): the police's paper stands in for the
    /// identity and for the family.
    #[serde(default)]
    pub unidentified: bool,
    pub deceased: Deceased,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub checks: Checks,
    #[serde(default)]
    pub cabinet: Option<CabinetStay>,
    #[serde(default)]
    pub cremation: Option<Cremation>,
    #[serde(default)]
    pub certificate: Option<CremationCertificate>,
    #[serde(default)]
    pub ashes: Option<Ashes>,
    /// The bill, once services are taken.
    #[serde(default)]
    pub bill: Option<CaseBill>,
    /// The preparation room's work on the body, in the order given.
    #[serde(default)]
    pub work_orders: Vec<WorkOrder>,
}

fn issue(field: impl Into<String>, message: impl Into<String>) -> FieldIssue {
    FieldIssue::new(field, message)
}

/// A case's own rules, the case put in its stored form (names and document
/// numbers) when they pass: the deceased and the contact, the papers each
/// stage needs, the numbers on the papers, and what each stage must hold.
/// The client runs it through the kind's `normalise`, the platform at push.
pub fn normal_case(body: &mut FuneralCaseData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if body.case_no.trim().is_empty() {
        issues.push(issue("case_no", "案件须有本馆号段内的业务编号"));
    }
    if body.call.caller.trim().is_empty() {
        issues.push(issue("call.caller", "请填写来电人"));
    }
    if body.call.place.trim().is_empty() {
        issues.push(issue("call.place", "请填写遗体所在地点"));
    }
    if let Some(message) = mz_domain::phone::phone_issue(&body.call.phone) {
        issues.push(issue("call.phone", message));
    }
    if let Some(dispatch) = &body.dispatch {
        if dispatch.vehicle.trim().is_empty() {
            issues.push(issue("dispatch.vehicle", "请选择接运车辆"));
        }
        if dispatch.driver.trim().is_empty() {
            issues.push(issue("dispatch.driver", "请选择司机"));
        }
    }
    issues.extend(normal_deceased(body));
    issues.extend(normal_contact(body));
    issues.extend(check_paper_numbers(body));
    issues.extend(
        mz_domain::funeral::check_papers(body.stage, &body.checks.papers(), body.unidentified)
            .into_iter()
            .map(|i| FieldIssue {
                field: Checks::field_of(&i.field).to_owned(),
                ..i
            }),
    );
    if body.stage >= CaseStage::Cremated
        && body.deceased.cause == CauseCategory::Unnatural
        && body.checks.police_paper.is_none()
    {
        issues.push(issue(
            "checks.police_paper",
            "非正常死亡的遗体，火化前须有公安机关的证明",
        ));
    }
    issues.extend(check_stage_holds(body));
    if let Some(bill) = &body.bill {
        issues.extend(check_bill(bill, body.unidentified));
    }
    for (index, work) in body.work_orders.iter().enumerate() {
        if let Some(done) = work.done_at {
            if work.done_by.trim().is_empty() {
                issues.push(issue(
                    format!("work_orders[{index}].done_by"),
                    "请记录完成人",
                ));
            }
            if done < work.ordered_at {
                issues.push(issue(
                    format!("work_orders[{index}].done_at"),
                    "完成时间早于下单时间",
                ));
            }
        }
    }
    issues
}

/// A bill on its own: within its size; priced as its items say, each line's
/// sums right; a waiver with its evidence (an unidentified body's is the
/// police's paper), and only an unidentified body waived as one; every
/// payment and refund above zero, a refund with its reason, never more given
/// back than was paid, nor more paid than the bill asks.
pub fn check_bill(bill: &CaseBill, unidentified: bool) -> Vec<FieldIssue> {
    use mz_domain::funeral::WaiverGround;
    let mut issues = Vec::new();
    if bill.items.len() > MAX_BILL_ITEMS {
        issues.push(issue(
            "bill.items",
            format!("一张账单最多 {MAX_BILL_ITEMS} 项"),
        ));
        return issues;
    }
    match &bill.priced {
        None if !bill.items.is_empty() => {
            issues.push(issue("bill.priced", "账单尚未按收费清单计价"))
        }
        None => {}
        Some(priced) => {
            let codes: Vec<&str> = priced.lines.iter().map(|l| l.code.as_str()).collect();
            let ordered: Vec<&str> = bill.items.iter().map(|o| o.code.as_str()).collect();
            if codes != ordered {
                issues.push(issue("bill.priced", "计价与所选项目不符"));
            }
            for (index, line) in priced.lines.iter().enumerate() {
                let amount = line
                    .unit_price_fen
                    .checked_mul(mz_domain::funeral::Fen::from(line.quantity));
                let right = amount == Some(line.amount_fen)
                    && bill
                        .items
                        .get(index)
                        .is_some_and(|o| o.quantity == line.quantity)
                    && (0..=line.amount_fen).contains(&line.waived_fen)
                    && line.payable_fen == line.amount_fen - line.waived_fen;
                if !right {
                    issues.push(issue(
                        format!("bill.priced.lines[{index}]"),
                        "这一行的金额不对",
                    ));
                }
            }
            let total: mz_domain::funeral::Fen = priced.lines.iter().map(|l| l.amount_fen).sum();
            let waived: mz_domain::funeral::Fen = priced.lines.iter().map(|l| l.waived_fen).sum();
            if priced.total_fen != total
                || priced.waived_fen != waived
                || priced.payable_fen != total - waived
            {
                issues.push(issue("bill.priced", "账单合计不对"));
            }
            if priced.waived_fen > 0 && bill.waiver.is_none() {
                issues.push(issue("bill.waiver", "有减免须记录减免对象及其证明"));
            }
        }
    }
    if let Some(waiver) = &bill.waiver {
        if (waiver.ground == WaiverGround::Unidentified) != unidentified {
            issues.push(issue(
                "bill.waiver.ground",
                if unidentified {
                    "无名遗体按无名遗体减免"
                } else {
                    "只有无名遗体按无名遗体减免"
                },
            ));
        }
        if !unidentified && waiver.evidence.trim().is_empty() {
            issues.push(issue(
                "bill.waiver.evidence",
                "请填写减免证明（申请表或低保证、特困供养证编号）",
            ));
        }
    }
    for (index, payment) in bill.payments.iter().enumerate() {
        if payment.amount_fen <= 0 {
            issues.push(issue(
                format!("bill.payments[{index}].amount_fen"),
                "收款金额须大于零",
            ));
        }
    }
    for (index, refund) in bill.refunds.iter().enumerate() {
        if refund.amount_fen <= 0 {
            issues.push(issue(
                format!("bill.refunds[{index}].amount_fen"),
                "退款金额须大于零",
            ));
        }
        if refund.reason.trim().is_empty() {
            issues.push(issue(
                format!("bill.refunds[{index}].reason"),
                "请填写退款原因",
            ));
        }
    }
    let paid: mz_domain::funeral::Fen = bill.payments.iter().map(|p| p.amount_fen).sum();
    let refunded: mz_domain::funeral::Fen = bill.refunds.iter().map(|r| r.amount_fen).sum();
    if refunded > paid {
        issues.push(issue("bill.refunds", "退款不能多于已收的金额"));
    } else if bill.due_fen() < 0 {
        issues.push(issue("bill.payments", "收款超过了应付金额"));
    }
    issues
}

/// The deceased: a name, and (unless unidentified) a document whose number
/// carries the sex and birth date entered; a death place; a household
/// region of GB/T 2260 when given.
fn normal_deceased(body: &mut FuneralCaseData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let died_on = body.deceased.died_at.date();
    let deceased = &mut body.deceased;
    match mz_domain::identity::normalise_name(&deceased.name) {
        Ok(name) => deceased.name = name,
        Err(e) => issues.push(issue("deceased.name", e.to_string())),
    }
    if deceased.death_place.trim().is_empty() {
        issues.push(issue("deceased.death_place", "请填写死亡地点"));
    }
    if !deceased.household_region.is_empty()
        && deceased
            .household_region
            .parse::<mz_domain::RegionCode>()
            .is_err()
    {
        issues.push(issue(
            "deceased.household_region",
            "户籍地区划代码为 6 位数字（GB/T 2260）",
        ));
    }
    if let Some(birth) = deceased.birth_date
        && birth > died_on
    {
        issues.push(issue("deceased.birth_date", "出生日期在死亡日期之后"));
    }
    if body.unidentified {
        if deceased.doc_type.is_some() || !deceased.doc_number.trim().is_empty() {
            issues.push(issue(
                "deceased.doc_number",
                "无名遗体没有证件；身份查明的，请改为普通案件",
            ));
        }
        return issues;
    }
    let Some(doc_type) = deceased.doc_type else {
        issues.push(issue("deceased.doc_type", "请选择逝者的证件类型"));
        return issues;
    };
    let (Some(sex), Some(birth_date)) = (deceased.sex, deceased.birth_date) else {
        if deceased.sex.is_none() {
            issues.push(issue("deceased.sex", "请选择性别"));
        }
        if deceased.birth_date.is_none() {
            issues.push(issue("deceased.birth_date", "请填写出生日期"));
        }
        return issues;
    };
    let (number, document_issues) = mz_domain::marriage::check_document(
        "deceased",
        doc_type,
        &deceased.doc_number,
        Some((sex, birth_date)),
        died_on,
    );
    deceased.doc_number = number;
    issues.extend(document_issues);
    issues
}

/// The contact: required unless the body is unidentified; a name, a
/// document of its own rules, the relation and a phone.
fn normal_contact(body: &mut FuneralCaseData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let day = body.call.called_at.date();
    let Some(contact) = body.contact.as_mut() else {
        if !body.unidentified {
            issues.push(issue("contact", "请填写丧事承办人"));
        }
        return issues;
    };
    match mz_domain::identity::normalise_name(&contact.name) {
        Ok(name) => contact.name = name,
        Err(e) => issues.push(issue("contact.name", e.to_string())),
    }
    let (number, document_issues) = mz_domain::marriage::check_document(
        "contact",
        contact.doc_type,
        &contact.doc_number,
        None,
        day,
    );
    contact.doc_number = number;
    issues.extend(document_issues);
    if contact.relation.trim().is_empty() {
        issues.push(issue("contact.relation", "请填写与逝者的关系"));
    }
    if contact.phone.trim().is_empty() {
        issues.push(issue("contact.phone", "请填写承办人的联系电话"));
    } else if let Some(message) = mz_domain::phone::phone_issue(&contact.phone) {
        issues.push(issue("contact.phone", message));
    }
    issues
}

/// Each paper checked by someone, and the numbers it carries the right
/// ones: the identity the deceased's document, the death certificate's in
/// the form of its year, the contact's their document.
fn check_paper_numbers(body: &mut FuneralCaseData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    for (field, check) in body.checks.each() {
        if let Some(check) = check
            && check.by.trim().is_empty()
        {
            issues.push(issue(format!("{field}.by"), "须记录查验人"));
        }
    }
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let checks = &mut body.checks;
    if let Some(check) = checks.identity.as_mut() {
        if body.unidentified {
            issues.push(issue(
                "checks.identity",
                "无名遗体无法核对身份，以公安机关的证明代替",
            ));
        } else if !same(&check.number, &body.deceased.doc_number) {
            issues.push(issue(
                "checks.identity.number",
                "核对的证件号码与逝者的不符",
            ));
        } else {
            check.number.clone_from(&body.deceased.doc_number);
        }
    }
    if let Some(check) = checks.death_certificate.as_mut() {
        let document = (!body.unidentified && body.deceased.doc_type == Some(DocumentType::IdCard))
            .then_some(body.deceased.doc_number.as_str());
        check.number = check.number.trim().to_ascii_uppercase();
        if let Some(message) = mz_domain::funeral::death_certificate_rule(
            &check.number,
            document,
            body.deceased.died_at.date(),
        ) {
            issues.push(issue("checks.death_certificate.number", message));
        }
    }
    if let Some(check) = checks.police_paper.as_ref()
        && check.number.trim().is_empty()
    {
        issues.push(issue(
            "checks.police_paper.number",
            "请填写公安机关证明的编号",
        ));
    }
    if let Some(check) = checks.contact_identity.as_mut() {
        match &body.contact {
            Some(contact) if same(&check.number, &contact.doc_number) => {
                check.number.clone_from(&contact.doc_number);
            }
            Some(_) => issues.push(issue(
                "checks.contact_identity.number",
                "核对的证件号码与承办人的不符",
            )),
            None => issues.push(issue("checks.contact_identity", "没有承办人可核对")),
        }
    }
    issues
}

/// What each stage holds: a received body its dispatch's time (when it was
/// collected), a stored one its cabinet, a cremated one its cremation's
/// time; a certificate only for a cremated body; the ashes' placement
/// matching the stage that ends the case.
fn check_stage_holds(body: &FuneralCaseData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let stage = body.stage;
    if stage == CaseStage::Stored && body.cabinet.is_none() {
        issues.push(issue("cabinet", "冷藏须选择冷藏柜"));
    }
    let done = body.cremation.as_ref().and_then(|c| c.done_at);
    if stage >= CaseStage::Cremated {
        match &body.cremation {
            None => issues.push(issue("cremation", "火化须记录火化炉和时间")),
            Some(c) if c.done_at.is_none() => {
                issues.push(issue("cremation.done_at", "请记录火化完成的时间"));
            }
            Some(c) if c.operator.trim().is_empty() => {
                issues.push(issue("cremation.operator", "请记录火化操作人员"));
            }
            Some(_) => {}
        }
    } else if done.is_some() {
        issues.push(issue("cremation.done_at", "火化尚未完成，不能记录完成时间"));
    }
    if let Some(cremation) = &body.cremation
        && cremation.furnace.trim().is_empty()
    {
        issues.push(issue("cremation.furnace", "请选择火化炉"));
    }
    if let (Some(done), true) = (done, body.cremation.is_some())
        && done < body.deceased.died_at
    {
        issues.push(issue("cremation.done_at", "火化时间早于死亡时间"));
    }
    if body.certificate.is_some() && stage < CaseStage::Cremated {
        issues.push(issue("certificate", "尚未火化的遗体不能开具火化证明"));
    }
    if let Some(certificate) = &body.certificate
        && let Some(collected) = &certificate.collected
        && collected.name.trim().is_empty()
    {
        issues.push(issue("certificate.collected.name", "请填写领取人"));
    }
    if let Some(certificate) = &body.certificate {
        for (index, reissue) in certificate.reissues.iter().enumerate() {
            let first = certificate.collected.as_ref().map(|c| c.doc_number.trim());
            if first.is_none_or(|doc| !doc.eq_ignore_ascii_case(reissue.doc_number.trim())) {
                issues.push(issue(
                    format!("certificate.reissues[{index}].doc_number"),
                    "火化证明只补发给原领取人，须核对其身份证件",
                ));
            }
            if reissue.reason.trim().is_empty() {
                issues.push(issue(
                    format!("certificate.reissues[{index}].reason"),
                    "请填写补发原因",
                ));
            }
        }
    }
    let placed = match (&body.ashes, stage) {
        (None, s) => !s.is_final(),
        (Some(Ashes::HandedOver { .. }), CaseStage::AshesCollected)
        | (Some(Ashes::Deposited { .. }), CaseStage::AshesDeposited)
        | (Some(Ashes::Buried { .. }), CaseStage::Buried) => true,
        (Some(_), _) => false,
    };
    if !placed {
        issues.push(issue("ashes", "骨灰的去向与办理环节不符"));
    }
    if let Some(Ashes::Deposited { from, until, .. }) = &body.ashes
        && until <= from
    {
        issues.push(issue("ashes.until", "寄存期限须晚于寄存日期"));
    }
    issues
}

/// [`normal_case`] over the JSON body, for the kind's spec.
pub(crate) fn normalise_case(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_case(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// A case's change ([`changes::check_case_change`]).
pub(crate) fn case_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, |previous, next| {
        changes::check_case_change(previous, next, today)
    })
}

/// A case names the deceased, the contact and the certificate's number.
/// A case is about the day it was called in.
pub(crate) fn case_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    Ok(Some(
        FuneralCaseData::deserialize(data)?.call.called_at.date(),
    ))
}

pub(crate) fn case_people(
    data: &serde_json::Value,
) -> Result<Vec<crate::records::Named>, serde_json::Error> {
    use crate::records::Named;
    let body = FuneralCaseData::deserialize(data)?;
    let mut named = vec![Named {
        role: "逝者",
        name: body.deceased.name.clone(),
        doc_number: body.deceased.doc_number.clone(),
    }];
    named.extend(body.contact.as_ref().map(|c| Named {
        role: "承办人",
        name: c.name.clone(),
        doc_number: c.doc_number.clone(),
    }));
    named.extend(
        body.certificate
            .as_ref()
            .and_then(|c| Named::number("火化证明编号", &c.number)),
    );
    Ok(named)
}

/// What a case counts for in the figures (`/funeral/figures`), each in a
/// month: one function for the platform's counts and the home's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum FuneralEvent {
    /// A body received at the home (接运).
    Received,
    /// A body cremated.
    Cremated,
    /// An unidentified body cremated.
    Unidentified,
    /// A body cremated whose bill was waived in part or whole (惠民殡葬
    /// 减免), counted in the month of the cremation as the settlement is.
    Waived,
}

impl FuneralEvent {
    pub const ALL: [FuneralEvent; 4] = [
        FuneralEvent::Received,
        FuneralEvent::Cremated,
        FuneralEvent::Unidentified,
        FuneralEvent::Waived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FuneralEvent::Received => "received",
            FuneralEvent::Cremated => "cremated",
            FuneralEvent::Unidentified => "unidentified",
            FuneralEvent::Waived => "waived",
        }
    }

    pub fn parse(name: &str) -> Option<FuneralEvent> {
        FuneralEvent::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// A month as the figures count by: `2026-12`.
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// What a case counts for, each event with its month: received from the
/// moment the body is at the home, cremated (and unidentified, and waived
/// when its bill was) from its cremation.
pub fn case_events(body: &FuneralCaseData) -> Vec<(FuneralEvent, String)> {
    let mut events = Vec::new();
    if body.stage >= CaseStage::Received {
        let received = body
            .dispatch
            .as_ref()
            .and_then(|d| d.received_at)
            .unwrap_or(body.call.called_at);
        events.push((FuneralEvent::Received, month_of(received.date())));
    }
    if body.stage >= CaseStage::Cremated
        && let Some(done) = body.cremation.as_ref().and_then(|c| c.done_at)
    {
        events.push((FuneralEvent::Cremated, month_of(done.date())));
        if body.unidentified {
            events.push((FuneralEvent::Unidentified, month_of(done.date())));
        }
        let waived = body
            .bill
            .as_ref()
            .and_then(|b| b.priced.as_ref())
            .is_some_and(|priced| priced.waived_fen > 0);
        if waived {
            events.push((FuneralEvent::Waived, month_of(done.date())));
        }
    }
    events
}

/// `GET /api/v1/funeral/figures`: the months from `from` to `to`
/// (inclusive, `YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FuneralFiguresQuery {
    #[param(example = "2026-01")]
    pub from: String,
    #[param(example = "2026-12")]
    pub to: String,
}

/// One home's counts over the months asked for: no personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct HomeFigures {
    pub org_unit: String,
    pub name: String,
    pub region: String,
    pub received: u32,
    pub cremated: u32,
    pub unidentified: u32,
    /// Cremations whose bill was waived (惠民殡葬减免).
    #[serde(default)]
    pub waived: u32,
}

impl HomeFigures {
    /// The count an event adds to.
    pub fn count_mut(&mut self, event: FuneralEvent) -> &mut u32 {
        match event {
            FuneralEvent::Received => &mut self.received,
            FuneralEvent::Cremated => &mut self.cremated,
            FuneralEvent::Unidentified => &mut self.unidentified,
            FuneralEvent::Waived => &mut self.waived,
        }
    }
}

#[cfg(test)]
mod tests;
