//! The marriage counter's work on the client: a registration is prepared
//! (offline too), then made final online — the platform's marital-status
//! check, a certificate number from this counter's own block — or refused.
//!
//! Numbers come from this device's blocks ([`crate::numbers`]); certificates
//! and forms print through [`crate::forms`]. Bookings, divorces and the
//! figures are this module's other files.

use chrono::NaiveDate;
use mz_api::marriage::{CheckedPerson, PersonStatus, StatusCheckRequest};
use mz_api::records::{MarriageRegistrationData, MarriageStatus, RecordKind};
use mz_domain::marriage::{Party, Statements};
use mz_domain::numbering::CertificatePrefix;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::forms::{chinese_date, print_form};
use crate::{AppError, AppResult, ClientApp};

pub mod appointments;
pub mod divorce;
pub mod statistics;

/// What the registrar fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MarriageForm {
    pub parties: [Party; 2],
    pub statements: Statements,
    #[serde(default)]
    pub appointment_id: Option<Uuid>,
    /// The couple's photo, when taken.
    #[serde(default)]
    pub photo: Option<mz_domain::marriage::Photo>,
}

/// A registration as the counter lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MarriageEntry {
    pub id: Uuid,
    pub data: MarriageRegistrationData,
    /// A change to it waits to be sent.
    pub pending: bool,
}

/// How an attempt to register ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RegisterOutcome {
    /// Registered: the certificate may be printed.
    Registered { certificate_no: String },
    /// The check found a party married: the record stays prepared, to be
    /// refused with this reason.
    PartyMarried { parties: Vec<PersonStatus> },
}

/// The certificate of a registered marriage for one holder (each party
/// gets one), laid out on the office's certificate paper shifted by the
/// printer's calibration `offset` (mm, right and down), as PDF bytes and
/// SVG pages. A character no installed font can print is an error naming
/// it and its field, before anything is printed.
pub fn certificate(
    data: &MarriageRegistrationData,
    holder: usize,
    offset: mz_print::forms::Offset,
) -> AppResult<(Vec<u8>, Vec<String>)> {
    let Some(number) = data.certificate_no.clone() else {
        return Err(AppError::Invalid(
            "只有已登记的记录可以打印结婚证".to_owned(),
        ));
    };
    let (number, remarks) = holder_copy(number, &data.reissues, holder);
    let holder = data
        .parties
        .get(holder)
        .ok_or_else(|| AppError::Invalid("持证人应为男方或女方".to_owned()))?;
    let mut fields = mz_print::forms::FormData::new();
    fields.insert("holder".into(), holder.name.clone());
    fields.insert("registered_on".into(), chinese_date(data.registered_on));
    fields.insert("certificate_no".into(), number);
    fields.insert("remarks".into(), remarks);
    party_fields(&mut fields, &data.parties);
    print_form("marriage-certificate", &fields, offset)
}

/// A registration as it was before it was made final.
fn entry_data_before(data: &MarriageRegistrationData) -> MarriageRegistrationData {
    MarriageRegistrationData {
        status: MarriageStatus::Prepared,
        certificate_no: None,
        status_check: None,
        ..data.clone()
    }
}

/// The number a holder's certificate carries: the latest reissue to them,
/// with its remark, else the original number.
pub(crate) fn holder_copy(
    original: String,
    reissues: &[mz_api::records::Reissue],
    holder: usize,
) -> (String, String) {
    reissues
        .iter()
        .rev()
        .find(|r| usize::from(r.holder) == holder)
        .map_or((original, String::new()), |r| {
            (
                r.certificate_no.clone(),
                format!("补发（{}）", chinese_date(r.issued_on)),
            )
        })
}

/// The fields both certificates print about the two people.
pub(crate) fn party_fields(fields: &mut mz_print::forms::FormData, parties: &[Party; 2]) {
    for party in parties {
        let (who, sex) = match party.sex {
            mz_domain::Sex::Male => ("man", "男"),
            mz_domain::Sex::Female => ("woman", "女"),
        };
        fields.insert(format!("{who}_name"), party.name.clone());
        fields.insert(format!("{who}_sex"), sex.to_owned());
        fields.insert(format!("{who}_nationality"), party.nationality.clone());
        fields.insert(format!("{who}_birth_date"), chinese_date(party.birth_date));
        fields.insert(format!("{who}_id_number"), party.doc_number.clone());
    }
}

/// The A4 papers of a marriage registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MarriagePaper {
    /// 申请结婚登记声明书, signed by both at the counter (before registering).
    Statement,
    /// 结婚登记审查处理表
    Review,
    /// 不予办理婚姻登记告知书, for a refusal.
    RefusalNotice,
}

/// The two parties as the forms name them: the man, then the woman (a
/// registration keeps them in the order they were entered).
pub(crate) fn man_and_woman([first, second]: &[Party; 2]) -> (&Party, &Party) {
    match first.sex {
        mz_domain::Sex::Male => (first, second),
        mz_domain::Sex::Female => (second, first),
    }
}

/// A person's details as the forms print them.
fn person_fields(fields: &mut mz_print::forms::FormData, who: &str, party: &Party) {
    fields.insert(format!("{who}_name"), party.name.clone());
    fields.insert(format!("{who}_birth_date"), chinese_date(party.birth_date));
    fields.insert(format!("{who}_id_number"), party.doc_number.clone());
    fields.insert(
        format!("{who}_origin"),
        format!("{} / {}", party.nationality, party.ethnicity),
    );
    fields.insert(
        format!("{who}_work"),
        format!("{} / {}", party.occupation, party.education),
    );
    fields.insert(format!("{who}_address"), party.address.clone());
}

/// Lays out one A4 paper of a registration, as PDF bytes and SVG pages.
pub fn marriage_paper(
    data: &MarriageRegistrationData,
    paper: MarriagePaper,
    office: &str,
    clerk: &str,
    today: NaiveDate,
) -> AppResult<(Vec<u8>, Vec<String>)> {
    let (man, woman) = man_and_woman(&data.parties);
    let mut fields = mz_print::forms::FormData::new();
    fields.insert("office".into(), office.to_owned());
    fields.insert("date".into(), chinese_date(today));
    let layout = match paper {
        MarriagePaper::Statement => {
            person_fields(&mut fields, "man", man);
            person_fields(&mut fields, "woman", woman);
            for (who, me, other) in [("man", man, woman), ("woman", woman, man)] {
                fields.insert(
                    format!("{who}_statement"),
                    format!(
                        "本人{}与{}自愿结婚。本人没有配偶，与对方没有直系血亲和三代以内旁系血亲关系。\
                         本人上述声明完全真实，如有虚假，愿承担法律责任。",
                        me.name, other.name
                    ),
                );
            }
            "marriage-statement"
        }
        MarriagePaper::Review => {
            for (who, party) in [("man", man), ("woman", woman)] {
                fields.insert(format!("{who}_name"), party.name.clone());
                fields.insert(format!("{who}_id_number"), party.doc_number.clone());
                fields.insert(format!("{who}_birth_date"), chinese_date(party.birth_date));
            }
            fields.insert(
                "status_check".into(),
                match data.status_check {
                    Some(_) => "已核验：双方均无在册婚姻".to_owned(),
                    None => "未核验（须联网核验后方可登记）".to_owned(),
                },
            );
            let statements = data.statements;
            fields.insert(
                "statements".into(),
                if statements.voluntary && statements.no_spouse && statements.no_prohibited_kinship
                {
                    "双方已签署声明：自愿、无配偶、无禁婚亲属关系".to_owned()
                } else {
                    "声明不完整".to_owned()
                },
            );
            fields.insert(
                "appointment".into(),
                if data.appointment_id.is_some() {
                    "网上预约".to_owned()
                } else {
                    "现场办理".to_owned()
                },
            );
            let (outcome, opinion) = match data.status {
                MarriageStatus::Prepared => (
                    "待登记",
                    "当事人证件、声明齐全，待婚姻状况核验。".to_owned(),
                ),
                MarriageStatus::Registered => (
                    "准予登记",
                    "经审查，双方符合结婚条件，婚姻状况核验通过，准予登记。".to_owned(),
                ),
                MarriageStatus::Refused => (
                    "不予登记",
                    format!(
                        "经审查，{}。",
                        data.refusal_reason.clone().unwrap_or_default()
                    ),
                ),
            };
            fields.insert("outcome".into(), outcome.to_owned());
            fields.insert("opinion".into(), opinion);
            fields.insert(
                "certificate_no".into(),
                data.certificate_no
                    .clone()
                    .unwrap_or_else(|| "—".to_owned()),
            );
            fields.insert("registered_on".into(), chinese_date(data.registered_on));
            fields.insert("clerk".into(), clerk.to_owned());
            fields.insert("head".into(), String::new());
            "marriage-review"
        }
        MarriagePaper::RefusalNotice => {
            let Some(reason) = data.refusal_reason.clone() else {
                return Err(AppError::Invalid("只有不予登记的记录有告知书".to_owned()));
            };
            fields.insert(
                "addressees".into(),
                format!("{}、{}：", man.name, woman.name),
            );
            fields.insert(
                "notice".into(),
                format!(
                    "你们于{}申请办理结婚登记。经审查，{}。根据《中华人民共和国民法典》和《婚姻登记条例》的规定，\
                     婚姻登记机关不予登记。如对本决定不服，可以依法申请行政复议或者提起行政诉讼。",
                    chinese_date(data.registered_on),
                    reason.trim_end_matches('。')
                ),
            );
            fields.insert("office_sign".into(), office.to_owned());
            "refusal-notice"
        }
    };
    print_form(layout, &fields, mz_print::forms::Offset::default())
}

/// The names that an installed printing font cannot print, each an issue
/// on its field: told before anyone signs, never an empty box on paper.
pub(crate) fn unprintable_names(parties: &[Party; 2]) -> Vec<mz_domain::FieldIssue> {
    let fonts = mz_print::system_fonts();
    parties
        .iter()
        .enumerate()
        .filter_map(|(index, party)| {
            let missing = party
                .name
                .chars()
                .find(|&ch| fonts.face_for(mz_print::FontRole::Body, ch).is_none())?;
            Some(mz_domain::FieldIssue {
                field: format!("parties[{index}].name"),
                message: format!(
                    "姓名中的「{missing}」（U+{:04X}）没有可用的打印字体，请安装覆盖该字的字体后再办理",
                    u32::from(missing)
                ),
            })
        })
        .collect()
}

impl ClientApp {
    /// The registrations in the cache, newest first.
    pub fn marriages(&self) -> AppResult<Vec<MarriageEntry>> {
        let mut entries: Vec<MarriageEntry> = self
            .store()?
            .records(RecordKind::MarriageRegistration)?
            .into_iter()
            .map(|r| {
                Ok(MarriageEntry {
                    id: r.id,
                    data: r.body()?,
                    pending: r.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        entries.sort_by_key(|e| std::cmp::Reverse(e.id));
        Ok(entries)
    }

    /// Lays out one A4 paper of a registration (offline too), with a file name.
    pub fn marriage_paper(
        &self,
        id: Uuid,
        paper: MarriagePaper,
    ) -> AppResult<(String, Vec<u8>, Vec<String>)> {
        let data = self.marriage(id)?.data;
        let (office, clerk) = self.office_and_clerk()?;
        let (pdf, svg) = marriage_paper(&data, paper, &office, &clerk, self.today())?;
        let name = match paper {
            MarriagePaper::Statement => "声明书",
            MarriagePaper::Review => "审查处理表",
            MarriagePaper::RefusalNotice => "不予登记告知书",
        };
        let short = id.simple().to_string();
        Ok((
            format!("结婚-{}-{}.pdf", short.get(24..).unwrap_or(&short), name),
            pdf,
            svg,
        ))
    }

    /// The office and the clerk's name, as the papers print them.
    pub(crate) fn office_and_clerk(&self) -> AppResult<(String, String)> {
        Ok(self
            .user()?
            .map(|u| (u.org_unit.name, u.display_name))
            .unwrap_or_default())
    }

    fn marriage(&self, id: Uuid) -> AppResult<MarriageEntry> {
        self.marriages()?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| AppError::Invalid("没有这条登记记录".to_owned()))
    }

    fn save_marriage(&self, id: Uuid, data: &MarriageRegistrationData) -> AppResult<()> {
        let value = serde_json::to_value(data).map_err(AppError::Json)?;
        self.save_record(RecordKind::MarriageRegistration, id, value)
    }

    /// Saves the form as a prepared registration after the domain checks
    /// (offline too); the issues name their fields.
    pub fn prepare_marriage(&self, id: Option<Uuid>, form: MarriageForm) -> AppResult<Uuid> {
        if let Some(id) = id
            && self.marriage(id)?.data.status != MarriageStatus::Prepared
        {
            return Err(AppError::Invalid("只有待登记的记录可以修改".to_owned()));
        }
        let unprintable = unprintable_names(&form.parties);
        if !unprintable.is_empty() {
            return Err(AppError::Rules(unprintable));
        }
        let id = id.unwrap_or_else(Uuid::now_v7);
        let data = MarriageRegistrationData {
            registered_on: self.today(),
            parties: form.parties,
            statements: form.statements,
            status: MarriageStatus::Prepared,
            certificate_no: None,
            status_check: None,
            refusal_reason: None,
            voided_numbers: Vec::new(),
            appointment_id: form.appointment_id,
            annulment: None,
            reissues: Vec::new(),
            photo: form.photo,
        };
        self.save_marriage(id, &data)?;
        Ok(id)
    }

    /// Makes a prepared registration final: the marital-status check, then
    /// the next number of this counter, then the record is sent at once.
    pub async fn register_marriage(&self, id: Uuid) -> AppResult<RegisterOutcome> {
        let entry = self.marriage(id)?;
        if entry.data.status != MarriageStatus::Prepared {
            return Err(AppError::Invalid("这条记录不是待登记状态".to_owned()));
        }
        // The platform checks only for a registration it holds as being
        // prepared: the form goes first (it waits in the outbox since it was
        // saved), and a refusal of it is named now.
        self.send_now(id, "待登记表").await?;
        let request = StatusCheckRequest {
            purpose: mz_api::marriage::CheckPurpose {
                kind: RecordKind::MarriageRegistration,
                record_id: id,
            },
            parties: entry
                .data
                .parties
                .iter()
                .map(|p| CheckedPerson {
                    doc_type: p.doc_type,
                    doc_number: p.doc_number.clone(),
                })
                .collect(),
        };
        let check = self
            .authorized(|token| {
                let client = self.client.clone();
                let request = request.clone();
                async move { client.status_check(&token, &request).await }
            })
            .await?;
        if !check.clear {
            return Ok(RegisterOutcome::PartyMarried {
                parties: check.parties,
            });
        }
        let today = self.today();
        let certificate_no = self.take_number(CertificatePrefix::J, today).await?;
        let mut data = entry.data;
        data.registered_on = today;
        data.status = MarriageStatus::Registered;
        data.certificate_no = Some(certificate_no.clone());
        data.status_check = Some(check.check_id);
        let prepared = entry_data_before(&data);
        self.save_marriage(id, &data)?;
        if let Err(refused) = self.send_now(id, "登记").await {
            // Refused by the platform: the record goes back to prepared, so
            // that nothing is printed for it; the number is spent.
            if matches!(refused, AppError::Refused { .. }) {
                self.save_marriage(id, &prepared)?;
            }
            return Err(refused);
        }
        self.mark_served(data.appointment_id)?;
        Ok(RegisterOutcome::Registered { certificate_no })
    }

    /// A lost or damaged certificate issued again to `holder` (补领结婚证):
    /// the next BJ number of this counter, recorded on the original
    /// registration and sent at once (online).
    pub async fn reissue_marriage(&self, id: Uuid, holder: u8) -> AppResult<String> {
        let mut data = self.marriage(id)?.data;
        if data.status != MarriageStatus::Registered || data.annulment.is_some() {
            return Err(AppError::Invalid(
                "只有在册有效的结婚登记可以补领结婚证".to_owned(),
            ));
        }
        if holder > 1 {
            return Err(AppError::Invalid("持证人应为男方或女方".to_owned()));
        }
        let today = self.today();
        let number = self.take_number(CertificatePrefix::BJ, today).await?;
        data.reissues.push(mz_api::records::Reissue {
            certificate_no: number.clone(),
            issued_on: today,
            holder,
        });
        self.save_marriage(id, &data)?;
        self.send_now(id, "补领").await?;
        Ok(number)
    }

    /// Records a court's judgement on a registration (撤销 or 无效): the
    /// marriage is no longer in force. Sent at once (online).
    pub async fn record_annulment(
        &self,
        id: Uuid,
        annulment: mz_api::records::Annulment,
    ) -> AppResult<()> {
        let mut data = self.marriage(id)?.data;
        if data.status != MarriageStatus::Registered {
            return Err(AppError::Invalid(
                "只有已登记的婚姻可以记录法院判决".to_owned(),
            ));
        }
        if data.annulment.is_some() {
            return Err(AppError::Invalid("这条登记已记录法院判决".to_owned()));
        }
        let issues = mz_domain::marriage::check_annulment(
            &annulment.court,
            &annulment.judgement_no,
            annulment.decided_on,
            data.registered_on,
            self.today(),
        );
        if !issues.is_empty() {
            return Err(AppError::Rules(issues));
        }
        data.annulment = Some(mz_api::records::Annulment {
            kind: annulment.kind,
            court: annulment.court.trim().to_owned(),
            judgement_no: annulment.judgement_no.trim().to_owned(),
            decided_on: annulment.decided_on,
        });
        self.save_marriage(id, &data)?;
        self.send_now(id, "法院判决记录").await
    }

    /// Refuses a prepared registration (不予登记), with the reason.
    pub fn refuse_marriage(&self, id: Uuid, reason: &str) -> AppResult<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid("请填写不予登记的理由".to_owned()));
        }
        let mut data = self.marriage(id)?.data;
        if data.status != MarriageStatus::Prepared {
            return Err(AppError::Invalid("只有待登记的记录可以不予登记".to_owned()));
        }
        data.status = MarriageStatus::Refused;
        data.refusal_reason = Some(reason.to_owned());
        self.save_marriage(id, &data)?;
        self.mark_served(data.appointment_id)
    }

    /// A spoiled print: the number is voided on the platform (it stays
    /// recorded, never issued again) and the registration takes the next one.
    pub async fn reprint_marriage(&self, id: Uuid, reason: &str) -> AppResult<String> {
        let mut data = self.marriage(id)?.data;
        let Some(old) = data.certificate_no.clone() else {
            return Err(AppError::Invalid("这条记录还没有证书编号".to_owned()));
        };
        let new = self
            .void_and_take(&old, CertificatePrefix::J, data.registered_on, reason)
            .await?;
        data.voided_numbers.push(old);
        data.certificate_no = Some(new.clone());
        self.save_marriage(id, &data)?;
        self.sync_once().await?;
        Ok(new)
    }
}
