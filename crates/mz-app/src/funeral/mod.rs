//! The funeral home's front desk on the client: a case opened at the call
//! (offline too, its number from this desk's block), the papers checked one
//! by one, the body received, stored, farewelled and cremated, the cremation
//! certificate issued and collected, the ashes placed; and the day board.
//!
//! Every step saves the whole case through [`ClientApp::save_record`]: the
//! kind's own rules (the papers each stage needs) and what it may become are
//! checked here before it is queued, and again on the platform.

use chrono::{NaiveDate, NaiveDateTime};
use mz_api::funeral::home::FuneralHomeData;
use mz_api::funeral::standard::FuneralStandardData;
use mz_api::funeral::{
    Ashes, CabinetStay, CallLog, Checks, Collection, Contact, Cremation, CremationCertificate,
    Deceased, Dispatch, FuneralCaseData, PaperCheck,
};
use mz_api::records::RecordKind;
use mz_domain::funeral::{CaseStage, CertificateState};
use mz_domain::numbering::CertificatePrefix;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub mod cemetery;

use crate::forms::{chinese_date, print_form};
use crate::reports::{Report, ReportColumn};
use crate::{AppError, AppResult, ClientApp};

/// What the desk fills in at the call and at collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CaseIntake {
    pub call: CallLog,
    #[serde(default)]
    pub dispatch: Option<Dispatch>,
    #[serde(default)]
    pub unidentified: bool,
    pub deceased: Deceased,
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The death certificate's number, when it was seen at the call or at
    /// collection (the 2024 notice makes it a condition of collection).
    #[serde(default)]
    pub death_certificate_no: String,
    /// The police's paper's number, for a death the police handle.
    #[serde(default)]
    pub police_paper_no: String,
}

/// A case as the desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseEntry {
    pub id: Uuid,
    pub data: FuneralCaseData,
    /// A change to it waits to be sent.
    pub pending: bool,
    /// What the case waits for before its next step, in Chinese (the papers
    /// missing for cremation, each by name); empty when nothing.
    pub waiting_for: Vec<String>,
}

/// The papers the desk checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// 逝者身份
    Identity,
    /// 居民死亡医学证明
    DeathCertificate,
    /// 公安机关证明
    PolicePaper,
    /// 遗体火化确认书
    Confirmation,
    /// 承办人身份证件
    ContactIdentity,
}

impl Paper {
    fn slot(self, checks: &mut Checks) -> &mut Option<PaperCheck> {
        match self {
            Paper::Identity => &mut checks.identity,
            Paper::DeathCertificate => &mut checks.death_certificate,
            Paper::PolicePaper => &mut checks.police_paper,
            Paper::Confirmation => &mut checks.confirmation,
            Paper::ContactIdentity => &mut checks.contact_identity,
        }
    }
}

/// A paper checked at the desk: its number and its scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PaperInput {
    pub paper: Paper,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub scan: Option<mz_domain::blob::BlobRef>,
}

/// The next step of a case, as the desk takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseStep {
    /// The body is at the home (接运完成).
    Receive,
    /// Into a cold-storage cabinet (冷藏).
    Store { cabinet: String },
    /// Out of its cabinet for the farewell (告别).
    Farewell,
    /// Queued for a furnace at a time (火化预约).
    BookCremation {
        furnace: String,
        #[ts(type = "string")]
        planned_at: NaiveDateTime,
    },
    /// Cremated now, by the operator (火化).
    Cremate { operator: String },
    /// The ashes handed to the family (骨灰领取).
    HandOverAshes {
        to: String,
        doc_type: mz_domain::marriage::DocumentType,
        doc_number: String,
    },
    /// The ashes kept at the home for some years (骨灰寄存).
    DepositAshes {
        niche: String,
        agreement_no: String,
        years: u32,
    },
    /// The ashes buried in a plot (安葬).
    Bury { plot: String },
}

/// The papers a case still lacks for cremation, by their names (the
/// rules' issues of the papers, from the stage the case would reach); a
/// paper's issue of another kind (a number that is wrong) by its message.
fn waiting_for(data: &FuneralCaseData) -> Vec<String> {
    if data.stage >= CaseStage::Cremated {
        return Vec::new();
    }
    let mut next = data.clone();
    next.stage = CaseStage::Cremated;
    mz_api::funeral::normal_case(&mut next)
        .into_iter()
        .filter(|i| i.field.starts_with("checks"))
        .map(|i| {
            let name = match i.field.as_str() {
                "checks.identity" => "逝者身份",
                "checks.death_certificate" => "死亡证明",
                "checks.police_paper" => "公安机关证明",
                "checks.confirmation" => "遗体火化确认书",
                "checks.contact_identity" => "承办人身份证件",
                _ => return i.message,
            };
            name.to_owned()
        })
        .collect()
}

impl ClientApp {
    /// The cases in the cache, newest first, each with what it waits for.
    pub fn funeral_cases(&self) -> AppResult<Vec<CaseEntry>> {
        let mut entries: Vec<CaseEntry> = self
            .store()?
            .records(RecordKind::FuneralCase)?
            .into_iter()
            .map(|r| {
                let data: FuneralCaseData = r.body()?;
                Ok(CaseEntry {
                    id: r.id,
                    waiting_for: waiting_for(&data),
                    data,
                    pending: r.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        entries.sort_by_key(|e| std::cmp::Reverse(e.id));
        Ok(entries)
    }

    fn funeral_case(&self, id: Uuid) -> AppResult<FuneralCaseData> {
        self.store()?
            .record(RecordKind::FuneralCase, id)?
            .ok_or_else(|| AppError::Invalid("没有这个案件".to_owned()))?
            .body()
            .map_err(AppError::from)
    }

    fn save_case(&self, id: Uuid, data: &FuneralCaseData) -> AppResult<()> {
        let value = serde_json::to_value(data).map_err(AppError::Json)?;
        self.save_record(RecordKind::FuneralCase, id, value)
    }

    /// The home's setup (vehicles, cabinets, halls, furnaces, fees), as the
    /// platform last gave it; empty before the first sync.
    pub fn funeral_home(&self) -> AppResult<FuneralHomeData> {
        let records = self.store()?.records(RecordKind::FuneralHome)?;
        match records.first() {
            Some(record) => Ok(record.body()?),
            None => Ok(FuneralHomeData::default()),
        }
    }

    /// The fee standards that bind this home (its province's and its
    /// city's), as the platform last gave them.
    pub fn funeral_standards(&self) -> AppResult<Vec<FuneralStandardData>> {
        let Some(region) = self.user_region()? else {
            return Ok(Vec::new());
        };
        let all = self
            .store()?
            .records(RecordKind::FuneralStandard)?
            .iter()
            .map(|r| r.body())
            .collect::<Result<Vec<FuneralStandardData>, _>>()?;
        Ok(mz_api::funeral::standard::over(&all, &region))
    }

    /// The standard this user's civil affairs keep for their own region
    /// (none yet: an empty one of the region).
    pub fn own_funeral_standard(&self) -> AppResult<(Option<Uuid>, FuneralStandardData)> {
        let region = self
            .user_region()?
            .map(|r| r.to_string())
            .unwrap_or_default();
        for record in self.store()?.records(RecordKind::FuneralStandard)? {
            let body: FuneralStandardData = record.body()?;
            if body.region == region {
                return Ok((Some(record.id), body));
            }
        }
        Ok((
            None,
            FuneralStandardData {
                region,
                ..FuneralStandardData::default()
            },
        ))
    }

    /// Imports the region's fee standard from Excel, in the homes' format
    /// (sheet 收费清单 with the highest prices, 减免规则 beside it): taken
    /// whole, or nothing taken and every bad row named.
    pub fn import_funeral_standard(&self, bytes: Vec<u8>) -> AppResult<ScheduleImport> {
        let (items, waivers, issues) = read_fee_workbook(bytes, &|_| Vec::new())?;
        if !issues.is_empty() {
            return Ok(ScheduleImport {
                items: 0,
                waivers: 0,
                issues,
            });
        }
        let (id, mut standard) = self.own_funeral_standard()?;
        standard.items = items;
        standard.waivers = waivers;
        let counts = (standard.items.len(), standard.waivers.len());
        let value = serde_json::to_value(&standard).map_err(AppError::Json)?;
        self.save_record(
            RecordKind::FuneralStandard,
            id.unwrap_or_else(Uuid::now_v7),
            value,
        )?;
        Ok(ScheduleImport {
            items: counts.0,
            waivers: counts.1,
            issues,
        })
    }

    fn user_region(&self) -> AppResult<Option<mz_domain::RegionCode>> {
        let Some(user) = self.user()? else {
            return Ok(None);
        };
        user.org_unit
            .region
            .parse()
            .map(Some)
            .map_err(|_| AppError::Invalid("本单位的行政区划代码无效".to_owned()))
    }

    /// Opens a case at the call (offline too): the next case number of this
    /// desk's block, the call, the deceased and the contact as given. With
    /// `dispatch` holding the time of arrival, the body is received.
    pub async fn open_funeral_case(&self, intake: CaseIntake) -> AppResult<Uuid> {
        let stage = if intake
            .dispatch
            .as_ref()
            .is_some_and(|d| d.received_at.is_some())
        {
            CaseStage::Received
        } else {
            CaseStage::Called
        };
        let (_, clerk) = self.office_and_clerk()?;
        let now = self.china_now();
        let seen = |number: &str| {
            (!number.trim().is_empty()).then(|| PaperCheck {
                by: clerk.clone(),
                at: now,
                number: number.trim().to_owned(),
                scan: None,
            })
        };
        let checks = Checks {
            death_certificate: seen(&intake.death_certificate_no),
            police_paper: seen(&intake.police_paper_no),
            ..Checks::default()
        };
        let mut data = FuneralCaseData {
            case_no: "YT".to_owned(),
            stage,
            call: intake.call,
            dispatch: intake.dispatch,
            unidentified: intake.unidentified,
            deceased: intake.deceased,
            contact: intake.contact,
            checks,
            cabinet: None,
            cremation: None,
            certificate: None,
            ashes: None,
            bill: None,
            work_orders: Vec::new(),
        };
        // The rules first, so that a form in error spends no number.
        self.check_case(&data)?;
        data.case_no = self
            .take_number(CertificatePrefix::YT, self.today())
            .await?;
        let id = Uuid::now_v7();
        self.save_case(id, &data)?;
        Ok(id)
    }

    /// A new case's own rules and those of its making, before a number is
    /// spent on it.
    fn check_case(&self, data: &FuneralCaseData) -> AppResult<()> {
        let mut probe = data.clone();
        let mut issues = mz_api::funeral::normal_case(&mut probe);
        issues.extend(mz_api::funeral::changes::check_case_change(
            None,
            &probe,
            self.today(),
        ));
        if issues.is_empty() {
            Ok(())
        } else {
            Err(AppError::Rules(issues))
        }
    }

    /// Changes what the desk entered at the call (before cremation).
    pub fn update_funeral_case(&self, id: Uuid, intake: CaseIntake) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        data.call = intake.call;
        data.dispatch = intake.dispatch;
        data.unidentified = intake.unidentified;
        data.deceased = intake.deceased;
        data.contact = intake.contact;
        self.save_case(id, &data)
    }

    /// Records a paper as checked now by the signed-in clerk.
    pub fn check_funeral_paper(&self, id: Uuid, input: PaperInput) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        let (_, clerk) = self.office_and_clerk()?;
        *input.paper.slot(&mut data.checks) = Some(PaperCheck {
            by: clerk,
            at: self.china_now(),
            number: input.number,
            scan: input.scan,
        });
        self.save_case(id, &data)
    }

    /// Orders the preparation room's work on the body (before cremation).
    pub fn order_funeral_work(
        &self,
        id: Uuid,
        kind: mz_api::funeral::WorkKind,
        note: String,
    ) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        data.work_orders.push(mz_api::funeral::WorkOrder {
            kind,
            ordered_at: self.china_now(),
            note,
            done_at: None,
            done_by: String::new(),
        });
        self.save_case(id, &data)
    }

    /// Records a work order as done now, by `by`.
    pub fn finish_funeral_work(&self, id: Uuid, index: usize, by: String) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        let now = self.china_now();
        let Some(work) = data.work_orders.get_mut(index) else {
            return Err(AppError::Invalid("没有这张工作单".to_owned()));
        };
        work.done_at = Some(now);
        work.done_by = by;
        self.save_case(id, &data)
    }

    /// Takes a paper's check back (entered in error), before cremation.
    pub fn uncheck_funeral_paper(&self, id: Uuid, paper: Paper) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        *paper.slot(&mut data.checks) = None;
        self.save_case(id, &data)
    }

    /// Takes the next step of a case; the rules say what it still needs.
    pub fn advance_funeral_case(&self, id: Uuid, step: CaseStep) -> AppResult<()> {
        // A plot of this home's cemetery takes the burial on its record too.
        if let CaseStep::Bury { plot } = &step
            && self.cemetery()?.plot(plot.trim()).is_some()
        {
            return self.bury_in_plot(plot.trim(), id);
        }
        let mut data = self.funeral_case(id)?;
        let now = self.china_now();
        let today = self.today();
        let leave_cabinet = |data: &mut FuneralCaseData| {
            if let Some(stay) = data.cabinet.as_mut()
                && stay.until.is_none()
            {
                stay.until = Some(now);
            }
        };
        match step {
            CaseStep::Receive => {
                data.stage = data.stage.max(CaseStage::Received);
                if let Some(dispatch) = data.dispatch.as_mut()
                    && dispatch.received_at.is_none()
                {
                    dispatch.received_at = Some(now);
                }
            }
            CaseStep::Store { cabinet } => {
                data.stage = CaseStage::Stored;
                data.cabinet = Some(CabinetStay {
                    cabinet,
                    from: now,
                    until: None,
                });
            }
            CaseStep::Farewell => {
                leave_cabinet(&mut data);
                data.stage = CaseStage::Farewell;
            }
            CaseStep::BookCremation {
                furnace,
                planned_at,
            } => {
                data.cremation = Some(Cremation {
                    furnace,
                    planned_at,
                    done_at: None,
                    operator: String::new(),
                });
            }
            CaseStep::Cremate { operator } => {
                leave_cabinet(&mut data);
                let Some(cremation) = data.cremation.as_mut() else {
                    return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                        "cremation",
                        "请先预约火化炉和时间",
                    )]));
                };
                cremation.done_at = Some(now);
                cremation.operator = operator;
                data.stage = CaseStage::Cremated;
            }
            CaseStep::HandOverAshes {
                to,
                doc_type,
                doc_number,
            } => {
                data.stage = CaseStage::AshesCollected;
                data.ashes = Some(Ashes::HandedOver {
                    to,
                    doc_type,
                    doc_number,
                    on: today,
                });
            }
            CaseStep::DepositAshes {
                niche,
                agreement_no,
                years,
            } => {
                let until = today
                    .checked_add_months(chrono::Months::new(years.saturating_mul(12)))
                    .ok_or_else(|| AppError::Invalid("寄存年限过长".to_owned()))?;
                data.stage = CaseStage::AshesDeposited;
                data.ashes = Some(Ashes::Deposited {
                    niche,
                    agreement_no,
                    from: today,
                    until,
                });
            }
            CaseStep::Bury { plot } => {
                data.stage = CaseStage::Buried;
                data.ashes = Some(Ashes::Buried { plot, on: today });
            }
        }
        self.save_case(id, &data)
    }

    /// Issues the cremation certificate of a cremated case: the next HZ
    /// number of this desk's block (offline too, while the block lasts).
    pub async fn issue_cremation_certificate(&self, id: Uuid) -> AppResult<String> {
        let mut data = self.funeral_case(id)?;
        if data.stage < CaseStage::Cremated {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "certificate",
                "尚未火化的遗体不能开具火化证明",
            )]));
        }
        if let Some(certificate) = &data.certificate {
            return Ok(certificate.number.clone());
        }
        let today = self.today();
        let number = self.take_number(CertificatePrefix::HZ, today).await?;
        data.certificate = Some(CremationCertificate {
            number: number.clone(),
            state: CertificateState::Issued,
            issued_on: today,
            collected: None,
            voided_numbers: Vec::new(),
            reissues: Vec::new(),
        });
        self.save_case(id, &data)?;
        Ok(number)
    }

    /// A certificate spoiled in printing, before the family collects it:
    /// its number voided on the platform (online) and kept on the case, and
    /// the next number of this desk's block in its place.
    pub async fn reprint_cremation_certificate(&self, id: Uuid, reason: &str) -> AppResult<String> {
        let mut data = self.funeral_case(id)?;
        let today = self.today();
        let Some(certificate) = data.certificate.as_mut() else {
            return Err(AppError::Invalid("这个案件还没有开具火化证明".to_owned()));
        };
        if certificate.state != CertificateState::Issued {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "certificate.state",
                "家属领取后的火化证明不能换号重打；遗失的请补发给原领取人",
            )]));
        }
        let old = certificate.number.clone();
        let number = self
            .void_and_take(&old, CertificatePrefix::HZ, today, reason)
            .await?;
        certificate.voided_numbers.push(old);
        certificate.number = number.clone();
        self.save_case(id, &data)?;
        Ok(number)
    }

    /// A lost certificate issued again (补发), only to the one who collected
    /// it: `doc_number` is the document the clerk checked now; the next
    /// number of this desk's block (offline too), logged on the case.
    pub async fn reissue_cremation_certificate(
        &self,
        id: Uuid,
        doc_number: String,
        reason: String,
    ) -> AppResult<String> {
        let mut data = self.funeral_case(id)?;
        let (_, clerk) = self.office_and_clerk()?;
        let today = self.today();
        let Some(certificate) = data.certificate.as_ref() else {
            return Err(AppError::Invalid("这个案件还没有开具火化证明".to_owned()));
        };
        let first = certificate
            .collected
            .as_ref()
            .map(|c| c.doc_number.trim().to_ascii_uppercase());
        if first.as_deref() != Some(doc_number.trim().to_ascii_uppercase().as_str()) {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "certificate.reissues",
                "火化证明只补发给原领取人，须核对其身份证件",
            )]));
        }
        if reason.trim().is_empty() {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "certificate.reissues",
                "请填写补发原因",
            )]));
        }
        let number = self.take_number(CertificatePrefix::HZ, today).await?;
        if let Some(certificate) = data.certificate.as_mut() {
            certificate
                .reissues
                .push(mz_api::funeral::CertificateReissue {
                    number: number.clone(),
                    issued_on: today,
                    doc_number,
                    by: clerk,
                    reason,
                });
        }
        self.save_case(id, &data)?;
        Ok(number)
    }

    /// The certificate's next state after collection: registered (登记),
    /// then written off (核销); the rules refuse any other move.
    pub fn advance_cremation_certificate(
        &self,
        id: Uuid,
        state: CertificateState,
    ) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        let Some(certificate) = data.certificate.as_mut() else {
            return Err(AppError::Invalid("这个案件还没有开具火化证明".to_owned()));
        };
        certificate.state = state;
        self.save_case(id, &data)
    }

    /// Every urn kept at the home, by niche: the periodic stock check's list
    /// (定期核查) of what is where and until when.
    pub fn ashes_in_storage(&self) -> AppResult<Vec<CaseEntry>> {
        let mut kept: Vec<CaseEntry> = self
            .funeral_cases()?
            .into_iter()
            .filter(|c| c.data.stage == CaseStage::AshesDeposited)
            .collect();
        kept.sort_by(|a, b| {
            let niche = |c: &CaseEntry| match &c.data.ashes {
                Some(Ashes::Deposited { niche, .. }) => niche.clone(),
                _ => String::new(),
            };
            niche(a).cmp(&niche(b))
        });
        Ok(kept)
    }

    /// The family collects the certificate, signed for by `collected`.
    pub fn collect_cremation_certificate(
        &self,
        id: Uuid,
        name: String,
        doc_type: mz_domain::marriage::DocumentType,
        doc_number: String,
    ) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        let now = self.china_now();
        let Some(certificate) = data.certificate.as_mut() else {
            return Err(AppError::Invalid("这个案件还没有开具火化证明".to_owned()));
        };
        certificate.state = CertificateState::Collected;
        certificate.collected = Some(Collection {
            name,
            doc_type,
            doc_number,
            at: now,
        });
        self.save_case(id, &data)
    }

    /// The cases of the day board: every case not ended, and those ended
    /// `day`; oldest call first.
    pub fn funeral_day(&self, day: NaiveDate) -> AppResult<Vec<CaseEntry>> {
        let mut cases: Vec<CaseEntry> = self
            .funeral_cases()?
            .into_iter()
            .filter(|c| !c.data.stage.is_final() || ended_on(&c.data) == Some(day))
            .collect();
        // The cases at work first, oldest call first; those ended today last.
        cases.sort_by_key(|c| (c.data.stage.is_final(), c.data.call.called_at));
        Ok(cases)
    }

    /// The cremation certificate of a case laid out on the home's form,
    /// shifted by the printer's calibration: PDF bytes, SVG pages, file name.
    pub fn cremation_certificate(
        &self,
        id: Uuid,
        offset: mz_print::forms::Offset,
    ) -> AppResult<(String, Vec<u8>, Vec<String>)> {
        let data = self.funeral_case(id)?;
        let (home, _) = self.office_and_clerk()?;
        let (pdf, svg) = cremation_certificate(&data, &home, offset)?;
        let number = data
            .certificate
            .map(|c| {
                c.reissues
                    .last()
                    .map_or(c.number.clone(), |r| r.number.clone())
            })
            .unwrap_or_default();
        Ok((format!("火化证明-{number}.pdf"), pdf, svg))
    }
}

impl ClientApp {
    /// Each home's counts from the platform, within the user's reach, for
    /// the months `from` to `to` (`2026-12`; online only).
    pub async fn funeral_figures(
        &self,
        from: &str,
        to: &str,
    ) -> AppResult<Vec<mz_api::funeral::HomeFigures>> {
        let months = mz_api::funeral::FuneralFiguresQuery {
            from: from.to_owned(),
            to: to.to_owned(),
        };
        self.authorized(|token| {
            let client = self.client.clone();
            let months = months.clone();
            async move { client.funeral_figures(&token, &months).await }
        })
        .await
    }
}

/// Money as the papers print it: 1080.00 (元, from fen, never through
/// floating point).
pub fn yuan(fen: mz_domain::funeral::Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

/// One payment or refund of a day, as the daily cash report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashRow {
    pub case_no: String,
    pub deceased: String,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    /// `None` for a refund.
    pub method: Option<mz_api::funeral::PayMethod>,
    /// Positive for money taken, negative for money given back.
    #[ts(type = "number")]
    pub amount_fen: mz_domain::funeral::Fen,
    pub by: String,
    /// The refund's reason, or the payment's reference.
    pub note: String,
}

/// The daily cash report (日报) of a home: every payment and refund of the
/// day, and the totals by way of payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DailyReport {
    pub day: NaiveDate,
    pub rows: Vec<CashRow>,
    #[ts(type = "number")]
    pub cash_fen: mz_domain::funeral::Fen,
    #[ts(type = "number")]
    pub card_fen: mz_domain::funeral::Fen,
    #[ts(type = "number")]
    pub transfer_fen: mz_domain::funeral::Fen,
    #[ts(type = "number")]
    pub refunded_fen: mz_domain::funeral::Fen,
    /// Taken less given back.
    #[ts(type = "number")]
    pub net_fen: mz_domain::funeral::Fen,
}

impl ClientApp {
    /// Takes the services a family chose (from the home's schedule) and the
    /// waiver claimed, priced by the schedule and waivers as they stand;
    /// the money already taken stays. The bill's issues name their field.
    pub fn order_funeral_services(
        &self,
        id: Uuid,
        items: Vec<mz_api::funeral::Ordered>,
        waiver: Option<mz_api::funeral::WaiverClaim>,
    ) -> AppResult<mz_domain::funeral::Bill> {
        let mut data = self.funeral_case(id)?;
        let home = self.funeral_home()?;
        let ordered: Vec<(String, u32)> =
            items.iter().map(|o| (o.code.clone(), o.quantity)).collect();
        let priced = mz_api::funeral::standard::bill(
            &home,
            &self.funeral_standards()?,
            &ordered,
            waiver.as_ref().map(|w| w.ground),
        )
        .map_err(|issue| {
            AppError::Rules(vec![mz_domain::FieldIssue {
                field: format!("bill.{}", issue.field),
                ..issue
            }])
        })?;
        let bill = data
            .bill
            .get_or_insert_with(mz_api::funeral::CaseBill::default);
        bill.items = items;
        bill.waiver = waiver;
        bill.priced = Some(priced.clone());
        self.save_case(id, &data)?;
        Ok(priced)
    }

    /// Records money taken at the desk (recorded, not processed).
    pub fn take_funeral_payment(
        &self,
        id: Uuid,
        method: mz_api::funeral::PayMethod,
        amount_fen: mz_domain::funeral::Fen,
        reference: String,
    ) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        let (_, clerk) = self.office_and_clerk()?;
        let at = self.china_now();
        let Some(bill) = data.bill.as_mut() else {
            return Err(AppError::Invalid("请先选择服务项目并计价".to_owned()));
        };
        bill.payments.push(mz_api::funeral::Payment {
            at,
            method,
            amount_fen,
            by: clerk,
            reference,
        });
        self.save_case(id, &data)
    }

    /// Records money given back, with its reason.
    pub fn refund_funeral_payment(
        &self,
        id: Uuid,
        amount_fen: mz_domain::funeral::Fen,
        reason: String,
    ) -> AppResult<()> {
        let mut data = self.funeral_case(id)?;
        let (_, clerk) = self.office_and_clerk()?;
        let at = self.china_now();
        let Some(bill) = data.bill.as_mut() else {
            return Err(AppError::Invalid("这个案件没有收款".to_owned()));
        };
        bill.refunds.push(mz_api::funeral::Refund {
            at,
            amount_fen,
            reason,
            by: clerk,
        });
        self.save_case(id, &data)
    }

    /// The receipt of a case's bill on the home's form (A4): PDF, SVG pages
    /// and a file name.
    pub fn funeral_receipt(&self, id: Uuid) -> AppResult<(String, Vec<u8>, Vec<String>)> {
        let data = self.funeral_case(id)?;
        let (home, clerk) = self.office_and_clerk()?;
        let Some(bill) = &data.bill else {
            return Err(AppError::Invalid("这个案件还没有账单".to_owned()));
        };
        let Some(priced) = &bill.priced else {
            return Err(AppError::Invalid("账单尚未计价".to_owned()));
        };
        let mut fields = mz_print::forms::FormData::new();
        fields.insert("home".into(), home);
        fields.insert("case_no".into(), data.case_no.clone());
        fields.insert("deceased".into(), data.deceased.name.clone());
        fields.insert(
            "contact".into(),
            data.contact
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        );
        fields.insert(
            "waiver".into(),
            bill.waiver
                .as_ref()
                .map(|w| format!("{}（{}）", ground_label(w.ground), w.evidence))
                .unwrap_or_default(),
        );
        for (line, n) in priced.lines.iter().zip(1..) {
            fields.insert(format!("line_{n}_name"), line.name.clone());
            fields.insert(format!("line_{n}_quantity"), line.quantity.to_string());
            fields.insert(format!("line_{n}_price"), yuan(line.unit_price_fen));
            fields.insert(format!("line_{n}_amount"), yuan(line.amount_fen));
            fields.insert(format!("line_{n}_waived"), yuan(line.waived_fen));
            fields.insert(format!("line_{n}_payable"), yuan(line.payable_fen));
        }
        fields.insert("total".into(), yuan(priced.total_fen));
        fields.insert("waived".into(), yuan(priced.waived_fen));
        fields.insert("payable".into(), yuan(priced.payable_fen));
        fields.insert("paid".into(), yuan(bill.paid_fen()));
        let mut methods: Vec<&str> = bill
            .payments
            .iter()
            .map(|p| method_label(p.method))
            .collect();
        methods.dedup();
        fields.insert("methods".into(), methods.join("、"));
        fields.insert("clerk".into(), clerk);
        fields.insert("date".into(), chinese_date(self.today()));
        let (pdf, svg) = print_form(
            "funeral-receipt",
            &fields,
            mz_print::forms::Offset::default(),
        )?;
        Ok((format!("收据-{}.pdf", data.case_no), pdf, svg))
    }

    /// The daily cash report of `day`: every payment and refund recorded
    /// that day in this home's cases, in time order, and the totals.
    pub fn funeral_daily_report(&self, day: NaiveDate) -> AppResult<DailyReport> {
        let mut rows = Vec::new();
        for case in self.funeral_cases()? {
            let Some(bill) = &case.data.bill else {
                continue;
            };
            let row = |at: NaiveDateTime, method, amount_fen, by: &str, note: &str| CashRow {
                case_no: case.data.case_no.clone(),
                deceased: case.data.deceased.name.clone(),
                at,
                method,
                amount_fen,
                by: by.to_owned(),
                note: note.to_owned(),
            };
            rows.extend(
                bill.payments
                    .iter()
                    .filter(|p| p.at.date() == day)
                    .map(|p| row(p.at, Some(p.method), p.amount_fen, &p.by, &p.reference)),
            );
            rows.extend(
                bill.refunds
                    .iter()
                    .filter(|r| r.at.date() == day)
                    .map(|r| row(r.at, None, -r.amount_fen, &r.by, &r.reason)),
            );
        }
        rows.sort_by_key(|r| r.at);
        let by = |method: mz_api::funeral::PayMethod| {
            rows.iter()
                .filter(|r| r.method == Some(method))
                .map(|r| r.amount_fen)
                .sum()
        };
        let refunded_fen = -rows
            .iter()
            .filter(|r| r.method.is_none())
            .map(|r| r.amount_fen)
            .sum::<mz_domain::funeral::Fen>();
        Ok(DailyReport {
            day,
            cash_fen: by(mz_api::funeral::PayMethod::Cash),
            card_fen: by(mz_api::funeral::PayMethod::Card),
            transfer_fen: by(mz_api::funeral::PayMethod::Transfer),
            refunded_fen,
            net_fen: rows.iter().map(|r| r.amount_fen).sum(),
            rows,
        })
    }

    /// The daily cash report as an Excel workbook: one row per payment or
    /// refund, then the totals; money as 元 with two decimals (text made
    /// from fen) beside the fen themselves.
    pub fn funeral_daily_report_xlsx(&self, day: NaiveDate) -> AppResult<Vec<u8>> {
        self.daily_report_sheet(day)?.xlsx()
    }

    /// The daily cash report as a PDF table to print and sign (file name,
    /// PDF, preview pages).
    pub fn funeral_daily_report_pdf(
        &self,
        day: NaiveDate,
    ) -> AppResult<(String, Vec<u8>, Vec<String>)> {
        let (pdf, svg) = self.daily_report_sheet(day)?.pdf()?;
        Ok((format!("殡仪馆日报-{day}.pdf"), pdf, svg))
    }

    fn daily_report_sheet(&self, day: NaiveDate) -> AppResult<Report> {
        use mz_sheets::{ColumnKind, Value};
        let report = self.funeral_daily_report(day)?;
        let (home, clerk) = self.office_and_clerk()?;
        let columns = vec![
            ReportColumn::new("时间", ColumnKind::Text, 1.0),
            ReportColumn::new("业务编号", ColumnKind::Text, 2.2),
            ReportColumn::new("逝者", ColumnKind::Text, 1.4),
            ReportColumn::new("方式", ColumnKind::Text, 1.0),
            ReportColumn::money("金额（元）", 1.5),
            ReportColumn::sheet_only("金额（分）", ColumnKind::Integer),
            ReportColumn::new("经办人", ColumnKind::Text, 1.4),
            ReportColumn::new("备注", ColumnKind::Text, 2.5),
        ];
        let mut rows: Vec<(Vec<Value>, bool)> = report
            .rows
            .iter()
            .map(|r| {
                let cells = vec![
                    Value::Text(r.at.format("%H:%M").to_string()),
                    Value::Text(r.case_no.clone()),
                    Value::Text(r.deceased.clone()),
                    Value::Text(r.method.map_or("退款", method_label).to_owned()),
                    Value::Text(yuan(r.amount_fen)),
                    Value::Integer(r.amount_fen),
                    Value::Text(r.by.clone()),
                    Value::Text(r.note.clone()),
                ];
                (cells, false)
            })
            .collect();
        for (label, fen) in [
            ("现金合计", report.cash_fen),
            ("刷卡合计", report.card_fen),
            ("转账合计", report.transfer_fen),
            ("退款合计", -report.refunded_fen),
            ("净收入", report.net_fen),
        ] {
            let cells = vec![
                Value::Empty,
                Value::Empty,
                Value::Empty,
                Value::Text(label.to_owned()),
                Value::Text(yuan(fen)),
                Value::Integer(fen),
            ];
            rows.push((cells, true));
        }
        Ok(Report {
            title: format!("{home}收费日报"),
            subtitle: vec![format!(
                "{}（共 {} 笔）",
                chinese_date(day),
                report.rows.len()
            )],
            sheet: format!("日报 {day}"),
            columns,
            rows,
            footer: vec![format!(
                "制表：{clerk}    打印日期：{}",
                chinese_date(self.today())
            )],
            landscape: false,
        })
    }
}

/// The sheets of a home's fee workbook: the schedule, and the waivers beside it.
const SCHEDULE_SHEET: &str = "收费清单";
const WAIVERS_SHEET: &str = "减免规则";

/// What an import of the fee schedule did: taken whole, or nothing taken and
/// every bad row named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScheduleImport {
    pub items: usize,
    pub waivers: usize,
    pub issues: Vec<crate::marriage::appointments::ImportIssue>,
}

/// A fee workbook read whole: the schedule (each item also checked by
/// `check`) and the waivers naming its items, or every bad row named.
fn read_fee_workbook(
    bytes: Vec<u8>,
    check: &dyn Fn(&mz_domain::funeral::FeeItem) -> Vec<(mz_sheets::FeeField, String)>,
) -> AppResult<(
    Vec<mz_domain::funeral::FeeItem>,
    Vec<mz_domain::funeral::WaiverRule>,
    Vec<crate::marriage::appointments::ImportIssue>,
)> {
    let sheet_error = AppError::from;
    let mut workbook = mz_sheets::Workbook::from_bytes(bytes).map_err(sheet_error)?;
    let names = workbook.sheet_names();
    let has = |name: &str| names.iter().any(|n| n == name);
    let schedule_sheet = has(SCHEDULE_SHEET).then_some(SCHEDULE_SHEET);
    let schedule = mz_sheets::read_fee_schedule_within(&mut workbook, schedule_sheet, check)
        .map_err(sheet_error)?;
    let issue = |e: &mz_sheets::RowError| crate::marriage::appointments::ImportIssue {
        row: e.row,
        column: e.column.clone(),
        header: e.header.clone(),
        reason: e.reason.clone(),
    };
    let mut issues: Vec<_> = schedule.errors.iter().map(issue).collect();
    // Waivers name the schedule's items: read against a whole schedule only.
    let waivers = if has(WAIVERS_SHEET) && issues.is_empty() {
        let report = mz_sheets::read_waivers(&mut workbook, Some(WAIVERS_SHEET), &schedule.items)
            .map_err(sheet_error)?;
        issues.extend(report.errors.iter().map(issue));
        report.rules
    } else {
        Vec::new()
    };
    Ok((schedule.items, waivers, issues))
}

impl ClientApp {
    /// Imports the home's fee schedule and waiver rules from its Excel
    /// workbook (sheet 收费清单, or the first sheet; and 减免规则 when there):
    /// taken whole, the home's other setup kept; any bad row and nothing is
    /// taken, each bad row reported with its row, column and reason.
    pub fn import_fee_schedule(&self, bytes: Vec<u8>) -> AppResult<ScheduleImport> {
        let standards = self.funeral_standards()?;
        let check = |item: &mz_domain::funeral::FeeItem| {
            use mz_api::funeral::standard::ItemField;
            mz_api::funeral::standard::item_undercuts(item, &standards)
                .into_iter()
                .map(|(field, reason)| {
                    let cell = match field {
                        ItemField::Code => mz_sheets::FeeField::Code,
                        ItemField::Basic => mz_sheets::FeeField::Class,
                        ItemField::Price => mz_sheets::FeeField::Price,
                    };
                    (cell, reason)
                })
                .collect()
        };
        let (items, waivers, issues) = read_fee_workbook(bytes, &check)?;
        if !issues.is_empty() {
            return Ok(ScheduleImport {
                items: 0,
                waivers: 0,
                issues,
            });
        }
        let mut home = self.funeral_home()?;
        home.fee_items = items;
        home.waivers = waivers;
        let counts = (home.fee_items.len(), home.waivers.len());
        self.save_funeral_home(&home)?;
        Ok(ScheduleImport {
            items: counts.0,
            waivers: counts.1,
            issues,
        })
    }

    /// Saves the home's setup (one record per home: the one already there,
    /// or a new one).
    pub fn save_funeral_home(&self, home: &FuneralHomeData) -> AppResult<()> {
        let undercuts = mz_api::funeral::standard::undercuts(home, &self.funeral_standards()?);
        if !undercuts.is_empty() {
            return Err(AppError::Rules(undercuts));
        }
        let id = self
            .store()?
            .records(RecordKind::FuneralHome)?
            .first()
            .map_or_else(Uuid::now_v7, |r| r.id);
        let value = serde_json::to_value(home).map_err(AppError::Json)?;
        self.save_record(RecordKind::FuneralHome, id, value)
    }
}

/// A hall booking as the desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookingEntry {
    pub id: Uuid,
    pub data: mz_api::funeral::booking::HallBookingData,
    pub pending: bool,
}

impl ClientApp {
    /// The live hall bookings of `day`, by hall and slot.
    pub fn hall_bookings(&self, day: NaiveDate) -> AppResult<Vec<BookingEntry>> {
        let mut entries: Vec<BookingEntry> = self
            .store()?
            .records(RecordKind::FuneralBooking)?
            .into_iter()
            .map(|r| {
                Ok(BookingEntry {
                    id: r.id,
                    data: r.body()?,
                    pending: r.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        entries.retain(|e| e.data.day == day && !e.data.cancelled);
        entries.sort_by(|a, b| (&a.data.hall, &a.data.slot).cmp(&(&b.data.hall, &b.data.slot)));
        Ok(entries)
    }

    /// Books a hall's slot for a case (offline too). A slot this desk knows
    /// as booked is refused here with who has it; one booked meanwhile at
    /// another desk meets this booking at sync as a conflict.
    pub fn book_hall(
        &self,
        case_id: Uuid,
        hall: String,
        day: NaiveDate,
        slot: String,
    ) -> AppResult<Uuid> {
        let case = self.funeral_case(case_id)?;
        let home = self.funeral_home()?;
        let refuse = |field: &str, message: String| {
            AppError::Rules(vec![mz_domain::FieldIssue::new(field, message)])
        };
        if !home
            .halls
            .iter()
            .any(|h| h.code == hall && !h.out_of_service)
        {
            return Err(refuse("hall", format!("本馆没有可用的告别厅“{hall}”")));
        }
        if !home.hall_slots.is_empty() && !home.hall_slots.contains(&slot) {
            return Err(refuse("slot", format!("{slot} 不是本馆告别厅的时段")));
        }
        if let Some(taken) = self
            .hall_bookings(day)?
            .into_iter()
            .find(|b| b.data.hall == hall && b.data.slot == slot)
        {
            return Err(refuse(
                "slot",
                format!("{hall} {day} {slot} 已由{}预约", taken.data.deceased),
            ));
        }
        let booking = mz_api::funeral::booking::HallBookingData {
            hall,
            day,
            slot,
            case_id,
            deceased: case.deceased.name,
            cancelled: false,
        };
        let id = Uuid::now_v7();
        let value = serde_json::to_value(&booking).map_err(AppError::Json)?;
        self.save_record(RecordKind::FuneralBooking, id, value)?;
        Ok(id)
    }

    /// Cancels a booking: kept, the slot free again.
    pub fn cancel_hall_booking(&self, id: Uuid) -> AppResult<()> {
        let record = self
            .store()?
            .record(RecordKind::FuneralBooking, id)?
            .ok_or_else(|| AppError::Invalid("没有这个预约".to_owned()))?;
        let mut booking: mz_api::funeral::booking::HallBookingData = record.body()?;
        booking.cancelled = true;
        let value = serde_json::to_value(&booking).map_err(AppError::Json)?;
        self.save_record(RecordKind::FuneralBooking, id, value)
    }
}

impl ClientApp {
    /// The month's death data for the exchange with health and public
    /// security (one row per body cremated in `month`, `2026-12`): the
    /// deceased, the death, the household, the cremation, the home, the
    /// certificate and the contact, as an Excel workbook.
    pub fn death_records_xlsx(&self, month: &str) -> AppResult<(usize, Vec<u8>)> {
        use mz_sheets::{Column, ColumnKind, Sheet, Value};
        let cases = self.cremated_in(month)?;
        let (home, _) = self.office_and_clerk()?;
        let text = |s: &str| Value::Text(s.to_owned());
        let columns = [
            ("姓名", ColumnKind::Text),
            ("证件类型", ColumnKind::Text),
            ("证件号码", ColumnKind::IdNumber),
            ("性别", ColumnKind::Text),
            ("出生日期", ColumnKind::Date),
            ("民族", ColumnKind::Text),
            ("死亡日期", ColumnKind::Date),
            ("死亡地点", ColumnKind::Text),
            ("死亡类别", ColumnKind::Text),
            ("户籍地区划代码", ColumnKind::IdNumber),
            ("户籍地址", ColumnKind::Text),
            ("火化日期", ColumnKind::Date),
            ("殡仪馆", ColumnKind::Text),
            ("火化证明编号", ColumnKind::Text),
            ("承办人", ColumnKind::Text),
            ("承办人证件号码", ColumnKind::IdNumber),
            ("承办人电话", ColumnKind::IdNumber),
        ]
        .into_iter()
        .map(|(header, kind)| Column::new(header, kind))
        .collect();
        let rows = cases
            .iter()
            .map(|d| {
                let person = &d.deceased;
                let day = |date: Option<NaiveDate>| date.map_or(Value::Empty, Value::Date);
                vec![
                    text(&person.name),
                    text(person.doc_type.map_or("无", |t| t.label())),
                    text(if person.doc_number.is_empty() {
                        "无"
                    } else {
                        &person.doc_number
                    }),
                    text(match person.sex {
                        Some(mz_domain::Sex::Male) => "男",
                        Some(mz_domain::Sex::Female) => "女",
                        None => "不详",
                    }),
                    day(person.birth_date),
                    text(&person.ethnicity),
                    Value::Date(person.died_at.date()),
                    text(&person.death_place),
                    text(match person.cause {
                        mz_domain::funeral::CauseCategory::Natural => "正常死亡",
                        mz_domain::funeral::CauseCategory::Unnatural => "非正常死亡",
                    }),
                    text(&person.household_region),
                    text(&person.address),
                    day(d
                        .cremation
                        .as_ref()
                        .and_then(|c| c.done_at)
                        .map(|t| t.date())),
                    text(&home),
                    text(d.certificate.as_ref().map_or("", |c| c.number.as_str())),
                    text(d.contact.as_ref().map_or("", |c| c.name.as_str())),
                    text(d.contact.as_ref().map_or("", |c| c.doc_number.as_str())),
                    text(d.contact.as_ref().map_or("", |c| c.phone.as_str())),
                ]
            })
            .collect();
        let sheet = Sheet {
            name: format!("死亡数据 {month}"),
            columns,
            rows,
        };
        Ok((cases.len(), mz_sheets::to_xlsx_bytes(&[sheet])?))
    }

    /// The month's waiver settlement for the finance office (惠民殡葬减免结算):
    /// one row per waived line of the bodies cremated in `month`, with the
    /// ground and its evidence, then the total per ground; money as 元 text
    /// beside the fen. How many cases it holds, and the workbook.
    pub fn waiver_settlement_xlsx(&self, month: &str) -> AppResult<(usize, Vec<u8>)> {
        let (settled, report) = self.waiver_settlement(month)?;
        Ok((settled, report.xlsx()?))
    }

    /// The month's waiver settlement as a PDF table (landscape A4) to sign
    /// and hand to the finance office: file name, PDF, preview pages and
    /// how many cases it holds.
    pub fn waiver_settlement_pdf(
        &self,
        month: &str,
    ) -> AppResult<(String, Vec<u8>, Vec<String>, usize)> {
        let (settled, report) = self.waiver_settlement(month)?;
        let (pdf, svg) = report.pdf()?;
        Ok((format!("减免结算-{month}.pdf"), pdf, svg, settled))
    }

    fn waiver_settlement(&self, month: &str) -> AppResult<(usize, Report)> {
        use mz_sheets::{ColumnKind, Value};
        let cases = self.cremated_in(month)?;
        let (home, clerk) = self.office_and_clerk()?;
        let text = |s: &str| Value::Text(s.to_owned());
        let columns = vec![
            ReportColumn::new("业务编号", ColumnKind::Text, 2.2),
            ReportColumn::new("逝者", ColumnKind::Text, 1.3),
            ReportColumn::new("证件号码", ColumnKind::IdNumber, 2.4),
            ReportColumn::new("减免对象", ColumnKind::Text, 1.3),
            ReportColumn::new("减免证明", ColumnKind::Text, 2.4),
            ReportColumn::new("项目", ColumnKind::Text, 2.0),
            ReportColumn::new("数量", ColumnKind::Integer, 0.8),
            ReportColumn::money("减免金额（元）", 1.5),
            ReportColumn::sheet_only("减免金额（分）", ColumnKind::Integer),
        ];
        let mut rows = Vec::new();
        let mut totals: Vec<(mz_domain::funeral::WaiverGround, mz_domain::funeral::Fen)> =
            Vec::new();
        let mut settled = 0;
        for case in &cases {
            let Some(bill) = &case.bill else { continue };
            let (Some(waiver), Some(priced)) = (&bill.waiver, &bill.priced) else {
                continue;
            };
            if priced.waived_fen == 0 {
                continue;
            }
            settled += 1;
            for line in priced.lines.iter().filter(|l| l.waived_fen > 0) {
                let cells = vec![
                    text(&case.case_no),
                    text(&case.deceased.name),
                    text(if case.deceased.doc_number.is_empty() {
                        "无"
                    } else {
                        &case.deceased.doc_number
                    }),
                    text(ground_label(waiver.ground)),
                    text(&waiver.evidence),
                    text(&line.name),
                    Value::Integer(i64::from(line.quantity)),
                    text(&yuan(line.waived_fen)),
                    Value::Integer(line.waived_fen),
                ];
                rows.push((cells, false));
            }
            match totals.iter_mut().find(|(g, _)| *g == waiver.ground) {
                Some((_, fen)) => *fen += priced.waived_fen,
                None => totals.push((waiver.ground, priced.waived_fen)),
            }
        }
        let all: mz_domain::funeral::Fen = totals.iter().map(|(_, fen)| fen).sum();
        for (label, fen) in totals
            .into_iter()
            .map(|(ground, fen)| (format!("{}合计", ground_label(ground)), fen))
            .chain(std::iter::once(("总计".to_owned(), all)))
        {
            let mut cells = vec![Value::Empty; 5];
            cells.push(text(&label));
            cells.push(Value::Empty);
            cells.push(text(&yuan(fen)));
            cells.push(Value::Integer(fen));
            rows.push((cells, true));
        }
        let report = Report {
            title: format!("{home}惠民殡葬减免结算表"),
            subtitle: vec![format!(
                "{month}（火化 {} 例，减免 {settled} 例）",
                cases.len()
            )],
            sheet: format!("减免结算 {month}"),
            columns,
            rows,
            footer: vec![
                format!("制表：{clerk}    打印日期：{}", chinese_date(self.today())),
                "馆长（签字）：              财务（签字）：".to_owned(),
            ],
            landscape: true,
        };
        Ok((settled, report))
    }

    /// The cases whose body was cremated in `month` (`2026-12`), in the
    /// order of cremation; a month of another form is an issue of `month`.
    fn cremated_in(&self, month: &str) -> AppResult<Vec<FuneralCaseData>> {
        if mz_domain::holiday::month_start(month).is_none() {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "month",
                mz_domain::holiday::MONTH_FORM,
            )]));
        }
        let mut cases: Vec<FuneralCaseData> = self
            .funeral_cases()?
            .into_iter()
            .map(|c| c.data)
            .filter(|d| {
                d.cremation
                    .as_ref()
                    .and_then(|c| c.done_at)
                    .is_some_and(|done| mz_api::funeral::month_of(done.date()) == month)
            })
            .collect();
        cases.sort_by_key(|d| d.cremation.as_ref().and_then(|c| c.done_at));
        Ok(cases)
    }

    /// The ashes kept at the home whose storage ends within `days` days from
    /// today (or has ended): the overdue list, soonest first.
    pub fn ashes_due(&self, days: u32) -> AppResult<Vec<CaseEntry>> {
        let until = self.today() + chrono::Days::new(u64::from(days));
        let mut due: Vec<CaseEntry> = self
            .funeral_cases()?
            .into_iter()
            .filter(|c| {
                c.data.stage == CaseStage::AshesDeposited
                    && matches!(&c.data.ashes, Some(Ashes::Deposited { until: end, .. }) if *end <= until)
            })
            .collect();
        due.sort_by_key(|c| match &c.data.ashes {
            Some(Ashes::Deposited { until, .. }) => Some(*until),
            _ => None,
        });
        Ok(due)
    }
}

fn method_label(method: mz_api::funeral::PayMethod) -> &'static str {
    match method {
        mz_api::funeral::PayMethod::Cash => "现金",
        mz_api::funeral::PayMethod::Card => "刷卡",
        mz_api::funeral::PayMethod::Transfer => "转账",
    }
}

fn ground_label(ground: mz_domain::funeral::WaiverGround) -> &'static str {
    use mz_domain::funeral::WaiverGround as G;
    match ground {
        G::Dibao => "低保对象",
        G::Sanwu => "城市“三无”人员",
        G::Tekun => "特困供养人员",
        G::Unidentified => "无名遗体",
    }
}

/// The day a case ended: the day its ashes were placed.
fn ended_on(data: &FuneralCaseData) -> Option<NaiveDate> {
    match data.ashes.as_ref()? {
        Ashes::HandedOver { on, .. } | Ashes::Buried { on, .. } => Some(*on),
        Ashes::Deposited { from, .. } => Some(*from),
    }
}

/// A time as the certificate prints it: 2026年3月5日 8时40分.
fn chinese_time(time: NaiveDateTime) -> String {
    use chrono::Timelike;
    format!(
        "{} {}时{:02}分",
        chinese_date(time.date()),
        time.hour(),
        time.minute()
    )
}

/// The cremation certificate (火化证明) of a cremated case on the home's
/// form: the deceased, the times of death and of cremation, the number, the
/// home and the day.
pub fn cremation_certificate(
    data: &FuneralCaseData,
    home: &str,
    offset: mz_print::forms::Offset,
) -> AppResult<(Vec<u8>, Vec<String>)> {
    let (Some(certificate), Some(done)) = (
        data.certificate.as_ref(),
        data.cremation.as_ref().and_then(|c| c.done_at),
    ) else {
        return Err(AppError::Invalid(
            "只有已火化并开具了编号的案件可以打印火化证明".to_owned(),
        ));
    };
    let deceased = &data.deceased;
    let mut fields = mz_print::forms::FormData::new();
    // A reissue carries its own number and says so.
    match certificate.reissues.last() {
        Some(reissue) => {
            fields.insert("certificate_no".into(), reissue.number.clone());
            fields.insert(
                "remarks".into(),
                format!(
                    "补发（{}，原编号 {}）",
                    chinese_date(reissue.issued_on),
                    certificate.number
                ),
            );
        }
        None => {
            fields.insert("certificate_no".into(), certificate.number.clone());
        }
    }
    fields.insert("name".into(), deceased.name.clone());
    fields.insert(
        "sex".into(),
        match deceased.sex {
            Some(mz_domain::Sex::Male) => "男".to_owned(),
            Some(mz_domain::Sex::Female) => "女".to_owned(),
            None => "不详".to_owned(),
        },
    );
    fields.insert(
        "doc_number".into(),
        if deceased.doc_number.is_empty() {
            "无".to_owned()
        } else {
            deceased.doc_number.clone()
        },
    );
    fields.insert("died_at".into(), chinese_time(deceased.died_at));
    fields.insert("cremated_at".into(), chinese_time(done));
    fields.insert("home".into(), home.to_owned());
    fields.insert("issued_on".into(), chinese_date(certificate.issued_on));
    print_form("cremation-certificate", &fields, offset)
}
