//! The funeral homes on the platform: the rules a `funeral_case` must meet
//! at push, the certificate numbers on record, and the figures.
//!
//! A front desk that skips a check is refused here, with the field and the
//! reason: the case's own rules (the papers before collection and before
//! cremation, the deceased and the contact, the death certificate's number;
//! [`mz_api::funeral::normal_case`]) and what it may become
//! ([`mz_api::funeral::changes::check_case_change`]) are the very functions
//! the desk ran; then what only the platform knows: the case number and the
//! certificate number come from blocks this home holds, never voided, and
//! a certificate number is on no other case. A cremated case is final: it
//! is part of the province's death records.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use mz_api::ErrorCode;
use mz_api::funeral::FuneralCaseData;
use mz_api::records::RecordKind;
use mz_api::sync::{Op, PushEntry};
use mz_domain::funeral::CaseStage;
use mz_domain::numbering::{CertificatePrefix, certificate_key};
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::AppState;
use crate::clock::china_date;
use crate::error::ApiResult;
use crate::modules::{
    CheckContext, Checked, Module, Owner, PushRules, Rejection, Written, kind_rules, parse_body,
    refused_for, stored_body, to_stored,
};
use crate::numbers::IssuedNumbers;

mod figures;
mod queries;

/// The funeral homes: cases, their certificates, the figures.
#[derive(Debug)]
pub struct Funeral;

impl Module for Funeral {
    fn name(&self) -> &'static str {
        "funeral"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[
            RecordKind::FuneralCase,
            RecordKind::FuneralHome,
            RecordKind::FuneralBooking,
            RecordKind::FuneralStandard,
            RecordKind::Cemetery,
            RecordKind::CemeteryPlot,
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        axum::Router::new().route("/funeral/figures", axum::routing::get(figures::figures))
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <FuneralApi as utoipa::OpenApi>::openapi()
    }

    fn start<'a>(&'a self, db: &'a crate::Db) -> BoxFuture<'a, ApiResult<()>> {
        figures::derive_waived(db).boxed()
    }

    fn prepare<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        caller: &'a crate::auth::Caller,
        entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        async move {
            // A body that does not read needs no facts: its check refuses it
            // with the field that is wrong (`parse_body`), never skips it.
            let bodies: Vec<FuneralCaseData> = entries
                .iter()
                .filter(|e| e.kind == RecordKind::FuneralCase && e.op == Op::Upsert)
                .filter_map(|e| e.data.clone())
                .filter_map(|d| serde_json::from_value(d).ok())
                .collect();
            let certificates: Vec<String> = bodies
                .iter()
                .filter_map(|b| b.certificate.as_ref())
                .flat_map(certificate_numbers)
                .map(certificate_key)
                .collect();
            let plots: Vec<mz_api::funeral::cemetery::PlotData> = entries
                .iter()
                .filter(|e| e.kind == RecordKind::CemeteryPlot && e.op == Op::Upsert)
                .filter_map(|e| e.data.clone())
                .filter_map(|d| serde_json::from_value(d).ok())
                .collect();
            let numbers = IssuedNumbers::load(
                conn,
                bodies
                    .iter()
                    .map(|b| b.case_no.as_str())
                    .chain(certificates.iter().map(String::as_str))
                    .chain(
                        plots
                            .iter()
                            .filter_map(|p| p.contract.as_ref())
                            .map(|c| c.number.as_str()),
                    ),
            )
            .await?;
            // The home's cemetery, whose plots the push's records name.
            let cemetery = if plots.is_empty() {
                None
            } else {
                queries::cemetery(conn, &caller.org_unit).await?
            };
            let certificates =
                crate::numbers::numbers_on_record(conn, "funeral_certificates", &certificates)
                    .await?;
            // The home's schedule, to price again the bills of the push, and
            // the standards over it, which its schedule cannot undercut.
            let bills = bodies.iter().any(|b| b.bill.is_some());
            let home = if bills {
                queries::home_setup(conn, &caller.org_unit).await?
            } else {
                None
            };
            let standards = if bills || entries.iter().any(|e| e.kind == RecordKind::FuneralHome) {
                queries::standards_over(conn, &caller.region).await?
            } else {
                Vec::new()
            };
            Ok(Box::new(Rules {
                numbers,
                certificates,
                home,
                standards,
                cemetery,
            }) as Box<dyn PushRules>)
        }
        .boxed()
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(figures::figures),
    components(schemas(
        mz_api::funeral::FuneralCaseData,
        mz_api::funeral::CallLog,
        mz_api::funeral::Dispatch,
        mz_api::funeral::Deceased,
        mz_api::funeral::Contact,
        mz_api::funeral::Checks,
        mz_api::funeral::PaperCheck,
        mz_api::funeral::CabinetStay,
        mz_api::funeral::Cremation,
        mz_api::funeral::CremationCertificate,
        mz_api::funeral::Collection,
        mz_api::funeral::Ashes,
        mz_api::funeral::HomeFigures,
        mz_api::funeral::home::FuneralHomeData,
        mz_api::funeral::home::Facility,
        mz_api::funeral::standard::FuneralStandardData,
        mz_api::funeral::cemetery::CemeteryData,
        mz_api::funeral::cemetery::PlotData,
        mz_api::funeral::booking::HallBookingData,
    )),
    tags((name = "funeral", description = "the funeral homes' figures")),
)]
struct FuneralApi;

/// The funeral rules of one push, with the facts they are checked against.
struct Rules {
    numbers: IssuedNumbers,
    /// Certificate numbers on record → their case.
    certificates: std::collections::HashMap<String, Uuid>,
    /// The caller's home's setup (its schedule and waivers), when the push
    /// carries bills.
    home: Option<mz_api::funeral::home::FuneralHomeData>,
    /// The fee standards of the caller's province and city.
    standards: Vec<mz_api::funeral::standard::FuneralStandardData>,
    /// The caller's home's cemetery, when the push carries plots.
    cemetery: Option<mz_api::funeral::cemetery::CemeteryData>,
}

impl Rules {
    /// A bill taken or changed is priced as the home's schedule and waivers
    /// price it now; a bill unchanged keeps the prices it was made with.
    fn check_prices(
        &self,
        previous: Option<&FuneralCaseData>,
        body: &FuneralCaseData,
    ) -> Result<(), Rejection> {
        let Some(bill) = &body.bill else {
            return Ok(());
        };
        let before = previous.and_then(|p| p.bill.as_ref());
        let unchanged = before.is_some_and(|b| {
            b.items == bill.items && b.waiver == bill.waiver && b.priced == bill.priced
        });
        if unchanged || bill.items.is_empty() {
            return Ok(());
        }
        let Some(home) = &self.home else {
            return Err(Rejection::rule(
                "data.bill",
                "本馆尚未设置收费清单，不能计价",
            ));
        };
        let ordered: Vec<(String, u32)> = bill
            .items
            .iter()
            .map(|o| (o.code.clone(), o.quantity))
            .collect();
        let priced = mz_api::funeral::standard::bill(
            home,
            &self.standards,
            &ordered,
            bill.waiver.as_ref().map(|w| w.ground),
        )
        .map_err(|issue| Rejection::rule(&format!("data.bill.{}", issue.field), issue.message))?;
        if bill.priced.as_ref() != Some(&priced) {
            return Err(Rejection::rule(
                "data.bill.priced",
                "账单的价格或减免与本馆现行收费清单不符，请重新计价",
            ));
        }
        Ok(())
    }
}

impl Rules {
    /// A plot's record: its own rules and change (the kind's); then what
    /// only the platform knows: the plot is in this home's layout, holds no
    /// more than it takes, is sold at the layout's price and fee under a
    /// number of the home's block, and renewed at the layout's fee. Keyed by
    /// the plot in the caller's home, so that two desks selling one plot
    /// offline meet as a conflict.
    fn check_plot(
        &self,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        use mz_api::funeral::cemetery::{PlotData, check_plot_change};
        parse_body::<PlotData>(data.clone())?;
        let body: PlotData = parse_body(kind_rules(RecordKind::CemeteryPlot, data)?)?;
        let previous: Option<PlotData> = ctx.current.map(stored_body).transpose()?;
        refused_for(check_plot_change(
            previous.as_ref(),
            &body,
            china_date(ctx.now),
        ))?;
        let Some(spec) = self.cemetery.as_ref().and_then(|c| c.plot(&body.plot)) else {
            return Err(Rejection::rule("data.plot", "本馆公墓没有这个墓位"));
        };
        if body.burials.len() > usize::from(spec.capacity) {
            return Err(Rejection::rule(
                "data.burials",
                format!("这个墓位只能安葬 {} 位", spec.capacity),
            ));
        }
        let before = previous.as_ref().and_then(|p| p.contract.as_ref());
        if let Some(contract) = &body.contract {
            if before.is_none() {
                let fee = spec.fee_per_year_fen.checked_mul(i64::from(contract.years));
                if contract.price_fen != spec.price_fen || Some(contract.fee_fen) != fee {
                    return Err(Rejection::rule(
                        "data.contract.price_fen",
                        "墓位价格或管理费与本馆公墓的标价不符",
                    ));
                }
                self.numbers.check(
                    "data.contract.number",
                    &contract.number,
                    CertificatePrefix::GM,
                    contract.signed_on,
                    &[],
                    ctx.caller,
                )?;
            }
            let renewed = before.map_or(0, |c| c.renewals.len());
            for (i, renewal) in contract.renewals.iter().enumerate().skip(renewed) {
                if Some(renewal.amount_fen)
                    != spec.fee_per_year_fen.checked_mul(i64::from(renewal.years))
                {
                    return Err(Rejection::rule(
                        &format!("data.contract.renewals[{i}].amount_fen"),
                        "续费金额与本馆公墓的管理费标准不符",
                    ));
                }
            }
        }
        Ok(Checked {
            natural_key: body.key(&ctx.caller.org_unit),
            data: to_stored(&body)?,
            owner: Owner::Maker,
            audience: None,
        })
    }
}

impl PushRules for Rules {
    fn check(
        &self,
        kind: RecordKind,
        id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        match kind {
            RecordKind::FuneralCase => {}
            RecordKind::FuneralHome => return check_home(data, &self.standards, ctx),
            RecordKind::FuneralStandard => return check_standard(data, ctx),
            RecordKind::Cemetery => return check_cemetery(data, ctx),
            RecordKind::CemeteryPlot => return self.check_plot(data, ctx),
            RecordKind::FuneralBooking => return check_hall_booking(data, ctx),
            other => return Err(not_mine(other)),
        }
        parse_body::<FuneralCaseData>(data.clone())?;
        // The rules are the kind's, as the desk applied them.
        let body: FuneralCaseData = parse_body(kind_rules(kind, data)?)?;
        let previous: Option<FuneralCaseData> = ctx.current.map(stored_body).transpose()?;
        let today = china_date(ctx.now);
        refused_for(mz_api::funeral::changes::check_case_change(
            previous.as_ref(),
            &body,
            today,
        ))?;
        // Then what only the platform knows: the home's prices, and whose
        // numbers these are.
        self.check_prices(previous.as_ref(), &body)?;
        if previous.as_ref().is_none_or(|p| p.case_no != body.case_no) {
            self.numbers.check(
                "data.case_no",
                &body.case_no,
                CertificatePrefix::YT,
                body.call.called_at.date(),
                &[],
                ctx.caller,
            )?;
        }
        if let Some(certificate) = &body.certificate {
            let before = previous
                .as_ref()
                .and_then(|p| p.certificate.as_ref())
                .map(|c| c.number.as_str());
            if before != Some(certificate.number.as_str()) {
                self.numbers.check(
                    "data.certificate.number",
                    &certificate.number,
                    CertificatePrefix::HZ,
                    today,
                    &certificate.voided_numbers,
                    ctx.caller,
                )?;
            }
            let reissued_before = previous
                .as_ref()
                .and_then(|p| p.certificate.as_ref())
                .map_or(0, |c| c.reissues.len());
            for (index, reissue) in certificate
                .reissues
                .iter()
                .enumerate()
                .skip(reissued_before)
            {
                self.numbers.check(
                    &format!("data.certificate.reissues[{index}].number"),
                    &reissue.number,
                    CertificatePrefix::HZ,
                    today,
                    &certificate.voided_numbers,
                    ctx.caller,
                )?;
            }
            let numbers = certificate_numbers(certificate);
            let mut seen = std::collections::HashSet::new();
            if numbers.iter().any(|n| !seen.insert(certificate_key(n))) {
                return Err(Rejection::rule(
                    "data.certificate",
                    "同一编号在这份火化证明上出现了两次",
                ));
            }
            for number in numbers {
                if self
                    .certificates
                    .get(&certificate_key(number))
                    .is_some_and(|other| *other != id)
                {
                    return Err(Rejection::rule(
                        "data.certificate.number",
                        "这个火化证明编号已用于另一案件，编号不重复使用",
                    ));
                }
            }
        }
        Ok(Checked {
            natural_key: Some(certificate_key(&body.case_no)),
            data: to_stored(&body)?,
            owner: Owner::Maker,
            audience: None,
        })
    }

    fn is_final(&self, kind: RecordKind, data: &str) -> Result<bool, Rejection> {
        match kind {
            RecordKind::FuneralCase => {
                Ok(stored_body::<FuneralCaseData>(data)?.stage >= CaseStage::Cremated)
            }
            RecordKind::CemeteryPlot => {
                use mz_api::funeral::cemetery::{PlotData, PlotState};
                Ok(matches!(
                    stored_body::<PlotData>(data)?.state,
                    PlotState::Sold | PlotState::Used
                ))
            }
            RecordKind::FuneralHome
            | RecordKind::FuneralBooking
            | RecordKind::FuneralStandard
            | RecordKind::Cemetery => Ok(false),
            other => Err(not_mine(other)),
        }
    }

    fn note_applied(&mut self, record: &Written<'_>) {
        // A layout applied by this push is the one its plots are checked on.
        if let (RecordKind::Cemetery, Some(data)) = (record.kind, record.data) {
            match serde_json::from_str(data) {
                Ok(cemetery) => self.cemetery = Some(cemetery),
                Err(_) => {
                    tracing::error!(record = %record.id, "a cemetery written by this push does not read back")
                }
            }
            return;
        }
        // A home's setup applied by this push prices the bills after it.
        if let (RecordKind::FuneralHome, Some(data)) = (record.kind, record.data) {
            match serde_json::from_str(data) {
                Ok(home) => self.home = Some(home),
                Err(_) => {
                    tracing::error!(record = %record.id, "a funeral home's setup written by this push does not read back")
                }
            }
            return;
        }
        let (RecordKind::FuneralCase, Some(data)) = (record.kind, record.data) else {
            return;
        };
        // Written by this push after its check: a body that does not read
        // back is the platform's fault, and `finish` refuses the push on it.
        let Ok(body) = serde_json::from_str::<FuneralCaseData>(data) else {
            tracing::error!(record = %record.id, "a funeral case written by this push does not read back");
            return;
        };
        if let Some(certificate) = &body.certificate {
            for number in certificate_numbers(certificate) {
                self.certificates.insert(certificate_key(number), record.id);
            }
        }
    }

    fn finish<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        written: &'a [Written<'a>],
    ) -> BoxFuture<'a, ApiResult<()>> {
        keep_cases(conn, written).boxed()
    }
}

/// A home's setup: its own rules, and a schedule that does not undercut
/// the standards over it; one record per home, the home's own (its natural
/// key is the caller's unit, whatever the body says).
fn check_home(
    data: serde_json::Value,
    standards: &[mz_api::funeral::standard::FuneralStandardData],
    ctx: &CheckContext<'_>,
) -> Result<Checked, Rejection> {
    parse_body::<mz_api::funeral::home::FuneralHomeData>(data.clone())?;
    let body: mz_api::funeral::home::FuneralHomeData =
        parse_body(kind_rules(RecordKind::FuneralHome, data)?)?;
    refused_for(mz_api::funeral::standard::undercuts(&body, standards))?;
    Ok(Checked {
        natural_key: Some(format!("home:{}", ctx.caller.org_unit)),
        data: to_stored(&body)?,
        owner: Owner::Maker,
        audience: None,
    })
}

/// A cemetery's layout: its own rules; one per home, the home's own.
fn check_cemetery(data: serde_json::Value, ctx: &CheckContext<'_>) -> Result<Checked, Rejection> {
    use mz_api::funeral::cemetery::CemeteryData;
    parse_body::<CemeteryData>(data.clone())?;
    let body: CemeteryData = parse_body(kind_rules(RecordKind::Cemetery, data)?)?;
    Ok(Checked {
        natural_key: Some(format!("cemetery:{}", ctx.caller.org_unit)),
        data: to_stored(&body)?,
        owner: Owner::Maker,
        audience: None,
    })
}

/// A region's fee standard: its own rules; one record per region, kept by
/// civil affairs there (the natural key is the caller's region).
fn check_standard(data: serde_json::Value, ctx: &CheckContext<'_>) -> Result<Checked, Rejection> {
    use mz_api::funeral::standard::FuneralStandardData;
    parse_body::<FuneralStandardData>(data.clone())?;
    let body: FuneralStandardData = parse_body(kind_rules(RecordKind::FuneralStandard, data)?)?;
    if body.region != ctx.caller.region.to_string() {
        return Err(Rejection::rule(
            "data.region",
            "收费标准只能由本级民政部门为本行政区划制定",
        ));
    }
    Ok(Checked {
        natural_key: Some(format!("standard:{}", ctx.caller.region)),
        data: to_stored(&body)?,
        owner: Owner::Maker,
        audience: None,
    })
}

/// A hall booking: its own rules and change (the kind's), keyed by its
/// hall, day and slot in the caller's home, so that a second booking of a
/// slot meets the first as a conflict.
fn check_hall_booking(
    data: serde_json::Value,
    ctx: &CheckContext<'_>,
) -> Result<Checked, Rejection> {
    use mz_api::funeral::booking::{HallBookingData, check_booking_change};
    parse_body::<HallBookingData>(data.clone())?;
    let body: HallBookingData = parse_body(kind_rules(RecordKind::FuneralBooking, data)?)?;
    let previous: Option<HallBookingData> = ctx.current.map(stored_body).transpose()?;
    refused_for(check_booking_change(
        previous.as_ref(),
        &body,
        china_date(ctx.now),
    ))?;
    Ok(Checked {
        natural_key: body.key(&ctx.caller.org_unit),
        data: to_stored(&body)?,
        owner: Owner::Maker,
        audience: None,
    })
}

/// Every number a certificate carries or has carried: its own, the voided
/// ones and those of its reissues.
pub(super) fn certificate_numbers(
    certificate: &mz_api::funeral::CremationCertificate,
) -> Vec<&str> {
    std::iter::once(certificate.number.as_str())
        .chain(certificate.voided_numbers.iter().map(String::as_str))
        .chain(certificate.reissues.iter().map(|r| r.number.as_str()))
        .collect()
}

/// A kind of another module handed to this one: the registry is wrong.
fn not_mine(kind: RecordKind) -> Rejection {
    Rejection::new(
        ErrorCode::Internal,
        format!("the funeral module does not own {kind}"),
        None,
    )
}

/// Keeps what the cases written count for: their certificate numbers and
/// their figures' events, each replaced whole.
async fn keep_cases(conn: &mut AnyConnection, written: &[Written<'_>]) -> ApiResult<()> {
    for record in written.iter().filter(|w| w.kind == RecordKind::FuneralCase) {
        let body = record
            .data
            .map(stored_body::<FuneralCaseData>)
            .transpose()
            .map_err(|r| crate::error::ApiError::internal(&r.reason))?;
        queries::keep_certificates(conn, record.id, body.as_ref()).await?;
        queries::keep_events(conn, record, body.as_ref()).await?;
    }
    Ok(())
}
