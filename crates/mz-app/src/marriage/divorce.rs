//! Divorce by agreement at the counter, with the cooling-off period (Civil
//! Code art. 1077): the application is received and its receipt printed
//! (offline too); either party may withdraw in the first period; both come
//! in the second for the certificate (online: an L number of this counter,
//! sent at once); after it the application is deemed withdrawn.
//!
//! The periods are counted with the holiday calendars that sync delivers;
//! without the calendar of a year they reach into, nothing is received.

use chrono::{Datelike, NaiveDate};
use mz_api::records::{DivorceRegistrationData, DivorceStatus, DivorceWithdrawal, RecordKind};
use mz_domain::holiday::Calendars;
use mz_domain::marriage::{CoolingOff, DivorceStage, Milestone, Party};
use mz_domain::numbering::CertificatePrefix;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::forms::{chinese_date, print_form};
use crate::marriage::party_fields;
use crate::{AppError, AppResult, ClientApp};

/// What the registrar fills in when a couple applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DivorceForm {
    pub parties: [Party; 2],
    /// The number on the marriage certificates they hand in.
    pub marriage_certificate_no: String,
    #[serde(default)]
    pub appointment_id: Option<Uuid>,
}

/// Where an application stands today, as the counter shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DivorceState {
    /// In the first period: either party may withdraw.
    CoolingOff,
    /// In the second period: both may come for the certificate.
    AwaitingCertificate,
    /// The second period is over and nobody came: deemed withdrawn, to be closed.
    Lapsed,
    Withdrawn,
    DeemedWithdrawn,
    Registered,
    Refused,
}

impl DivorceState {
    fn of(data: &DivorceRegistrationData, today: NaiveDate) -> DivorceState {
        match data.status {
            DivorceStatus::Received => match data.periods.stage_on(today) {
                DivorceStage::CoolingOff => DivorceState::CoolingOff,
                DivorceStage::AwaitingCertificate => DivorceState::AwaitingCertificate,
                DivorceStage::DeemedWithdrawn => DivorceState::Lapsed,
            },
            DivorceStatus::Withdrawn => DivorceState::Withdrawn,
            DivorceStatus::DeemedWithdrawn => DivorceState::DeemedWithdrawn,
            DivorceStatus::Registered => DivorceState::Registered,
            DivorceStatus::Refused => DivorceState::Refused,
        }
    }
}

/// An application as the counter lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DivorceEntry {
    pub id: Uuid,
    pub data: DivorceRegistrationData,
    pub state: DivorceState,
    /// Days left in the current period (0 on its last day), while one runs.
    pub days_left: Option<i64>,
    /// A change to it waits to be sent.
    pub pending: bool,
}

/// A window that opens or closes on a day of the week ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DueItem {
    pub id: Uuid,
    pub day: NaiveDate,
    pub milestone: Milestone,
    pub label: String,
    /// 男方 and 女方 names, for the list.
    pub names: String,
}

/// One of the A4 papers of a divorce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DivorcePaper {
    /// 离婚登记申请受理回执单
    Receipt,
    /// 撤回离婚登记申请确认单
    WithdrawalConfirmation,
    /// 离婚证 for party 0
    CertificateFirst,
    /// 离婚证 for party 1
    CertificateSecond,
}

fn names([first, second]: &[Party; 2]) -> String {
    format!("{}、{}", first.name, second.name)
}

impl ClientApp {
    /// The holiday calendars in the cache, for counting periods.
    pub fn calendars(&self) -> AppResult<Calendars> {
        Ok(Calendars::new(self.holiday_calendars()?.into_iter().map(
            |(_, data, _)| mz_domain::HolidayCalendar::from(data),
        )))
    }

    /// The divorce applications in the cache, newest first.
    pub fn divorces(&self) -> AppResult<Vec<DivorceEntry>> {
        let today = self.today();
        let mut entries: Vec<DivorceEntry> = self
            .store()?
            .records(RecordKind::DivorceRegistration)?
            .into_iter()
            .map(|r| {
                let data: DivorceRegistrationData = r.body()?;
                let state = DivorceState::of(&data, today);
                let ends = match state {
                    DivorceState::CoolingOff => Some(data.periods.withdrawal_ends),
                    DivorceState::AwaitingCertificate => Some(data.periods.certificate_until),
                    DivorceState::Lapsed
                    | DivorceState::Withdrawn
                    | DivorceState::DeemedWithdrawn
                    | DivorceState::Registered
                    | DivorceState::Refused => None,
                };
                Ok(DivorceEntry {
                    id: r.id,
                    days_left: ends.map(|end| (end - today).num_days()),
                    state,
                    data,
                    pending: r.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        entries.sort_by_key(|e| std::cmp::Reverse(e.id));
        Ok(entries)
    }

    fn divorce(&self, id: Uuid) -> AppResult<DivorceEntry> {
        self.divorces()?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| AppError::Invalid("没有这条离婚登记申请".to_owned()))
    }

    fn save_divorce(&self, id: Uuid, data: &DivorceRegistrationData) -> AppResult<()> {
        let value = serde_json::to_value(data).map_err(AppError::Json)?;
        self.save_record(RecordKind::DivorceRegistration, id, value)
    }

    /// The parties of the registered marriage with this certificate number,
    /// when this office's records hold it: the form fills itself in.
    pub fn marriage_by_certificate(&self, number: &str) -> AppResult<Option<[Party; 2]>> {
        let number = number.trim();
        Ok(self
            .marriages()?
            .into_iter()
            .find(|m| m.data.certificate_no.as_deref() == Some(number))
            .map(|m| m.data.parties))
    }

    /// Receives an application today (offline too): the parties checked, the
    /// periods counted with the holiday calendar.
    pub fn receive_divorce(&self, form: DivorceForm) -> AppResult<Uuid> {
        let today = self.today();
        let certificate = form.marriage_certificate_no.trim().to_owned();
        if certificate.is_empty() {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue {
                field: "marriage_certificate_no".to_owned(),
                message: "请填写结婚证字号".to_owned(),
            }]));
        }
        let unprintable = crate::marriage::unprintable_names(&form.parties);
        if !unprintable.is_empty() {
            return Err(AppError::Rules(unprintable));
        }
        let periods = CoolingOff::from_receipt(today, &self.calendars()?).map_err(|e| {
            AppError::Invalid(format!(
                "{} 年的节假日安排尚未同步，无法计算冷静期（{e}）",
                e.0
            ))
        })?;
        let id = Uuid::now_v7();
        let data = DivorceRegistrationData {
            received_on: today,
            parties: form.parties,
            marriage_certificate_no: certificate,
            marriage_record_id: None,
            periods,
            status: DivorceStatus::Received,
            withdrawal: None,
            registered_on: None,
            certificate_no: None,
            refusal_reason: None,
            voided_numbers: Vec::new(),
            appointment_id: form.appointment_id,
            reissues: Vec::new(),
        };
        self.save_divorce(id, &data)?;
        self.mark_served(data.appointment_id)?;
        Ok(id)
    }

    /// Party `by` (0 or 1) withdraws the application, inside the first period.
    pub fn withdraw_divorce(&self, id: Uuid, by: u8) -> AppResult<()> {
        let entry = self.divorce(id)?;
        if entry.state != DivorceState::CoolingOff {
            return Err(AppError::Invalid(format!(
                "撤回期已于 {} 届满，或申请已办结",
                chinese_date(entry.data.periods.withdrawal_ends)
            )));
        }
        if by > 1 {
            return Err(AppError::Invalid("撤回人应为男方或女方".to_owned()));
        }
        let mut data = entry.data;
        data.status = DivorceStatus::Withdrawn;
        data.withdrawal = Some(DivorceWithdrawal {
            on: self.today(),
            by,
        });
        self.save_divorce(id, &data)
    }

    /// Both came in the second period: the next L number of this counter,
    /// then the record is sent at once; the platform's refusal is the error.
    pub async fn register_divorce(&self, id: Uuid) -> AppResult<String> {
        let entry = self.divorce(id)?;
        let today = self.today();
        if entry.state != DivorceState::AwaitingCertificate {
            let periods = &entry.data.periods;
            return Err(AppError::Invalid(format!(
                "离婚证在 {} 至 {} 之间发给，今天不能办理",
                chinese_date(periods.certificate_from),
                chinese_date(periods.certificate_until)
            )));
        }
        let number = self.take_number(CertificatePrefix::L, today).await?;
        let received = entry.data.clone();
        let mut data = entry.data;
        data.status = DivorceStatus::Registered;
        data.registered_on = Some(today);
        data.certificate_no = Some(number.clone());
        self.save_divorce(id, &data)?;
        if let Err(refused) = self.send_now(id, "离婚登记").await {
            // Refused by the platform: back to received, nothing to print.
            if matches!(refused, AppError::Refused { .. }) {
                self.save_divorce(id, &received)?;
            }
            return Err(refused);
        }
        Ok(number)
    }

    /// A lost divorce certificate issued again to `holder` (补领离婚证): the
    /// next BL number of this counter, sent at once (online).
    pub async fn reissue_divorce(&self, id: Uuid, holder: u8) -> AppResult<String> {
        let mut data = self.divorce(id)?.data;
        if data.status != DivorceStatus::Registered {
            return Err(AppError::Invalid(
                "只有已发证的离婚登记可以补领离婚证".to_owned(),
            ));
        }
        if holder > 1 {
            return Err(AppError::Invalid("持证人应为男方或女方".to_owned()));
        }
        let today = self.today();
        let number = self.take_number(CertificatePrefix::BL, today).await?;
        data.reissues.push(mz_api::records::Reissue {
            certificate_no: number.clone(),
            issued_on: today,
            holder,
        });
        self.save_divorce(id, &data)?;
        self.send_now(id, "补领").await?;
        Ok(number)
    }

    /// Closes an application nobody came for in the second period (视为撤回).
    pub fn close_lapsed_divorce(&self, id: Uuid) -> AppResult<()> {
        let entry = self.divorce(id)?;
        if entry.state != DivorceState::Lapsed {
            return Err(AppError::Invalid(format!(
                "领证期至 {}，届满后才视为撤回",
                chinese_date(entry.data.periods.certificate_until)
            )));
        }
        let mut data = entry.data;
        data.status = DivorceStatus::DeemedWithdrawn;
        self.save_divorce(id, &data)
    }

    /// Refuses an application still running (不予登记), with the reason.
    pub fn refuse_divorce(&self, id: Uuid, reason: &str) -> AppResult<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid("请填写不予登记的理由".to_owned()));
        }
        let mut data = self.divorce(id)?.data;
        if data.status != DivorceStatus::Received {
            return Err(AppError::Invalid("这条申请已办结".to_owned()));
        }
        data.status = DivorceStatus::Refused;
        data.refusal_reason = Some(reason.to_owned());
        self.save_divorce(id, &data)
    }

    /// A spoiled divorce certificate: its number voided, the next one taken.
    pub async fn reprint_divorce(&self, id: Uuid, reason: &str) -> AppResult<String> {
        let mut data = self.divorce(id)?.data;
        let (Some(old), Some(day)) = (data.certificate_no.clone(), data.registered_on) else {
            return Err(AppError::Invalid("这条申请还没有发证".to_owned()));
        };
        let new = self
            .void_and_take(&old, CertificatePrefix::L, day, reason)
            .await?;
        data.voided_numbers.push(old);
        data.certificate_no = Some(new.clone());
        self.save_divorce(id, &data)?;
        self.sync_once().await?;
        Ok(new)
    }

    /// The applications whose window opens or closes between `from` and
    /// `to` (both included), by day.
    pub fn divorces_due(&self, from: NaiveDate, to: NaiveDate) -> AppResult<Vec<DueItem>> {
        let mut due: Vec<DueItem> = self
            .divorces()?
            .into_iter()
            .filter(|d| d.data.status == DivorceStatus::Received)
            .flat_map(|d| {
                d.data.periods.milestones_between(from, to).into_iter().map(
                    move |(day, milestone)| DueItem {
                        id: d.id,
                        day,
                        milestone,
                        label: milestone.label().to_owned(),
                        names: names(&d.data.parties),
                    },
                )
            })
            .collect();
        due.sort_by_key(|item| item.day);
        Ok(due)
    }

    /// Lays out one of the papers of an application, for the preview and
    /// the printer (certificates shifted by the printer's calibration).
    pub fn divorce_paper(
        &self,
        id: Uuid,
        paper: DivorcePaper,
        offset: mz_print::forms::Offset,
    ) -> AppResult<(String, Vec<u8>, Vec<String>)> {
        let data = self.divorce(id)?.data;
        let (office, clerk) = self.office_and_clerk()?;
        let mut fields = mz_print::forms::FormData::new();
        let (man, woman) = crate::marriage::man_and_woman(&data.parties);
        let people = |fields: &mut mz_print::forms::FormData| {
            fields.insert("office".into(), office.clone());
            fields.insert("man_name".into(), man.name.clone());
            fields.insert("man_doc".into(), man.doc_number.clone());
            fields.insert("woman_name".into(), woman.name.clone());
            fields.insert("woman_doc".into(), woman.doc_number.clone());
            fields.insert(
                "marriage_certificate_no".into(),
                data.marriage_certificate_no.clone(),
            );
            fields.insert("received_on".into(), chinese_date(data.received_on));
            fields.insert("clerk".into(), clerk.clone());
            fields.insert("date".into(), chinese_date(self.today()));
        };
        let periods = &data.periods;
        let (layout, name) = match paper {
            DivorcePaper::Receipt => {
                people(&mut fields);
                fields.insert(
                    "withdrawal_ends".into(),
                    chinese_date(periods.withdrawal_ends),
                );
                fields.insert(
                    "certificate_window".into(),
                    format!(
                        "{} 至 {}",
                        chinese_date(periods.certificate_from),
                        chinese_date(periods.certificate_until)
                    ),
                );
                fields.insert(
                    "notice".into(),
                    format!(
                        "你们的离婚登记申请已于{}受理。依照《中华人民共和国民法典》第一千零七十七条，\
                         自受理之日起三十日内（至{}），任何一方不愿意离婚的，可以持本回执单到婚姻登记机关撤回离婚登记申请。\
                         期限届满后三十日内（{}至{}），双方应当亲自到婚姻登记机关申请发给离婚证；\
                         未申请的，视为撤回离婚登记申请。",
                        chinese_date(data.received_on),
                        chinese_date(periods.withdrawal_ends),
                        chinese_date(periods.certificate_from),
                        chinese_date(periods.certificate_until)
                    ),
                );
                ("divorce-receipt", "回执单")
            }
            DivorcePaper::WithdrawalConfirmation => {
                let Some(withdrawal) = &data.withdrawal else {
                    return Err(AppError::Invalid("这条申请没有撤回".to_owned()));
                };
                people(&mut fields);
                let by = data
                    .parties
                    .get(usize::from(withdrawal.by))
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                fields.insert("withdrawn_on".into(), chinese_date(withdrawal.on));
                fields.insert("withdrawn_by".into(), by);
                fields.insert(
                    "notice".into(),
                    format!(
                        "本人自愿撤回于{}提出的离婚登记申请。婚姻登记机关已确认撤回，该离婚登记申请终结。",
                        chinese_date(data.received_on)
                    ),
                );
                ("divorce-withdrawal", "撤回确认单")
            }
            DivorcePaper::CertificateFirst | DivorcePaper::CertificateSecond => {
                let Some(number) = data.certificate_no.clone() else {
                    return Err(AppError::Invalid(
                        "只有已发证的申请可以打印离婚证".to_owned(),
                    ));
                };
                let [first, second] = &data.parties;
                let index = usize::from(paper == DivorcePaper::CertificateSecond);
                let holder = if index == 1 { second } else { first };
                let (number, remarks) = crate::marriage::holder_copy(number, &data.reissues, index);
                fields.insert("remarks".into(), remarks);
                fields.insert("holder".into(), holder.name.clone());
                fields.insert(
                    "registered_on".into(),
                    data.registered_on.map(chinese_date).unwrap_or_default(),
                );
                fields.insert("certificate_no".into(), number);
                party_fields(&mut fields, &data.parties);
                ("divorce-certificate", "离婚证")
            }
        };
        let offset = if matches!(
            paper,
            DivorcePaper::CertificateFirst | DivorcePaper::CertificateSecond
        ) {
            offset
        } else {
            mz_print::forms::Offset::default()
        };
        let (pdf, svg) = print_form(layout, &fields, offset)?;
        let short = id.simple().to_string();
        let file = format!(
            "离婚-{}-{}-{}.pdf",
            data.received_on.year(),
            short.get(24..).unwrap_or(&short),
            name
        );
        Ok((file, pdf, svg))
    }
}
