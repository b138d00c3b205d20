//! The home's cemetery at the desk: the map of its plots coloured by where
//! each stands, reservations, sales with their contract and management fee,
//! renewals, the fees running out, burials (the case's ashes placed in the
//! same step), and the layout imported from Excel by the head.
//!
//! Every plot has at most one record (`cemetery_plot`), made when it is
//! first reserved or sold and changed from then on; the rules are the
//! kind's (`mz_api::funeral::cemetery`), run here before anything is queued
//! and again on the platform.

use chrono::NaiveDate;
use mz_api::funeral::cemetery::{
    Burial, CemeteryData, Holder, PlotContract, PlotData, PlotState, Renewal, Reservation, Row,
    Section, years_after,
};
use mz_api::funeral::{Ashes, FuneralCaseData};
use mz_api::records::RecordKind;
use mz_domain::FieldIssue;
use mz_domain::funeral::{CaseStage, Fen};
use mz_domain::numbering::CertificatePrefix;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::marriage::appointments::ImportIssue;
use crate::{AppError, AppResult, ClientApp};

/// How many days before its end a management fee is listed as running out.
pub const FEE_NOTICE_DAYS: i64 = 60;

/// One plot on the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlotCell {
    /// `A-01-03`.
    pub code: String,
    pub number: String,
    pub capacity: u8,
    #[ts(type = "number")]
    pub price_fen: Fen,
    #[ts(type = "number")]
    pub fee_per_year_fen: Fen,
    /// Where it stands today (a lapsed reservation frees it).
    pub state: PlotState,
    /// Its record, once it has one.
    pub id: Option<Uuid>,
    pub data: Option<PlotData>,
    /// Waiting to be sent.
    pub pending: bool,
    /// Its management fee runs out within [`FEE_NOTICE_DAYS`] or has.
    pub fee_due: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowMap {
    pub code: String,
    pub plots: Vec<PlotCell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SectionMap {
    pub code: String,
    pub name: String,
    pub rows: Vec<RowMap>,
}

/// The cemetery's map: its sections, rows and plots, and how many plots
/// stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CemeteryMap {
    pub name: String,
    pub sections: Vec<SectionMap>,
    pub free: usize,
    pub reserved: usize,
    pub sold: usize,
    pub used: usize,
}

/// A plot whose management fee runs out soon or has: whom to remind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlotDue {
    pub plot: String,
    pub holder: String,
    pub phone: String,
    pub paid_until: NaiveDate,
    /// Already past its end.
    pub overdue: bool,
}

/// What an import of the layout did: taken whole, or nothing taken and
/// every bad row named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CemeteryImport {
    pub sections: usize,
    pub plots: usize,
    pub issues: Vec<ImportIssue>,
}

fn refuse(field: &str, message: impl Into<String>) -> AppError {
    AppError::Rules(vec![FieldIssue::new(field, message)])
}

impl ClientApp {
    /// The home's cemetery layout as the platform last gave it (empty
    /// before the first sync, or for a home without one).
    pub fn cemetery(&self) -> AppResult<CemeteryData> {
        match self.store()?.records(RecordKind::Cemetery)?.first() {
            Some(record) => Ok(record.body()?),
            None => Ok(CemeteryData::default()),
        }
    }

    /// The plots' records by plot code, with their ids and whether they wait
    /// to be sent.
    fn plot_records(&self) -> AppResult<Vec<(Uuid, PlotData, bool)>> {
        self.store()?
            .records(RecordKind::CemeteryPlot)?
            .into_iter()
            .map(|r| Ok((r.id, r.body()?, r.pending)))
            .collect()
    }

    fn plot_record(&self, plot: &str) -> AppResult<Option<(Uuid, PlotData)>> {
        Ok(self
            .plot_records()?
            .into_iter()
            .find(|(_, p, _)| p.plot == plot)
            .map(|(id, p, _)| (id, p)))
    }

    /// The map of the cemetery: every plot of the layout where it stands
    /// today, with the counts.
    pub fn cemetery_map(&self) -> AppResult<CemeteryMap> {
        let layout = self.cemetery()?;
        let today = self.today();
        let records = self.plot_records()?;
        let mut map = CemeteryMap {
            name: layout.name.clone(),
            ..CemeteryMap::default()
        };
        for section in &layout.sections {
            let mut rows = Vec::with_capacity(section.rows.len());
            for row in &section.rows {
                let mut plots = Vec::with_capacity(row.plots.len());
                for spec in &row.plots {
                    let code = mz_api::funeral::cemetery::plot_code(
                        &section.code,
                        &row.code,
                        &spec.number,
                    );
                    let record = records.iter().find(|(_, p, _)| p.plot == code);
                    let state = record.map_or(PlotState::Free, |(_, p, _)| p.state_on(today));
                    match state {
                        PlotState::Free => map.free += 1,
                        PlotState::Reserved => map.reserved += 1,
                        PlotState::Sold => map.sold += 1,
                        PlotState::Used => map.used += 1,
                    }
                    let fee_due = record
                        .and_then(|(_, p, _)| p.contract.as_ref())
                        .is_some_and(|c| (c.paid_until() - today).num_days() <= FEE_NOTICE_DAYS);
                    plots.push(PlotCell {
                        code,
                        number: spec.number.clone(),
                        capacity: spec.capacity,
                        price_fen: spec.price_fen,
                        fee_per_year_fen: spec.fee_per_year_fen,
                        state,
                        id: record.map(|(id, _, _)| *id),
                        data: record.map(|(_, p, _)| p.clone()),
                        pending: record.is_some_and(|(_, _, pending)| *pending),
                        fee_due,
                    });
                }
                rows.push(RowMap {
                    code: row.code.clone(),
                    plots,
                });
            }
            map.sections.push(SectionMap {
                code: section.code.clone(),
                name: section.name.clone(),
                rows,
            });
        }
        Ok(map)
    }

    /// The plot of `code` in the layout, and its record if it has one; a
    /// code the layout does not have is an issue of `plot`.
    fn plot_and_record(
        &self,
        code: &str,
    ) -> AppResult<(
        mz_api::funeral::cemetery::PlotSpec,
        Option<(Uuid, PlotData)>,
    )> {
        let spec = self
            .cemetery()?
            .plot(code)
            .ok_or_else(|| refuse("plot", format!("本馆公墓没有 {code} 这个墓位")))?;
        Ok((spec, self.plot_record(code)?))
    }

    fn save_plot(&self, id: Option<Uuid>, data: &PlotData) -> AppResult<Uuid> {
        let id = id.unwrap_or_else(Uuid::now_v7);
        let value = serde_json::to_value(data).map_err(AppError::Json)?;
        self.save_record(RecordKind::CemeteryPlot, id, value)?;
        Ok(id)
    }

    /// Holds a free plot for someone until `until` (offline too).
    pub fn reserve_plot(
        &self,
        plot: &str,
        name: String,
        phone: String,
        until: NaiveDate,
    ) -> AppResult<Uuid> {
        let (_, record) = self.plot_and_record(plot)?;
        let today = self.today();
        if let Some((_, data)) = &record
            && data.state_on(today) != PlotState::Free
        {
            return Err(refuse("plot", format!("{plot} 已被预留或售出")));
        }
        let (_, by) = self.office_and_clerk()?;
        let data = PlotData {
            plot: plot.to_owned(),
            state: PlotState::Reserved,
            reservation: Some(Reservation {
                name,
                phone,
                until,
                at: self.china_now(),
                by,
            }),
            contract: None,
            burials: Vec::new(),
        };
        self.save_plot(record.map(|(id, _)| id), &data)
    }

    /// Releases a plot's reservation: the plot is free again, the
    /// reservation kept on its record.
    pub fn release_plot(&self, plot: &str) -> AppResult<()> {
        let (_, record) = self.plot_and_record(plot)?;
        let Some((id, mut data)) = record.filter(|(_, d)| d.state == PlotState::Reserved) else {
            return Err(refuse("plot", format!("{plot} 没有预留")));
        };
        data.state = PlotState::Free;
        self.save_plot(Some(id), &data).map(|_| ())
    }

    /// Sells a free or reserved plot: the contract numbered from this
    /// desk's GM block (offline too, while it lasts), at the layout's price,
    /// the management fee paid for `years` years. Returns the number.
    pub async fn sell_plot(&self, plot: &str, holder: Holder, years: u32) -> AppResult<String> {
        let (spec, record) = self.plot_and_record(plot)?;
        if let Some((_, data)) = &record
            && matches!(data.state, PlotState::Sold | PlotState::Used)
        {
            return Err(refuse("plot", format!("{plot} 已售出")));
        }
        let today = self.today();
        let fee_until = years_after(today, years)
            .filter(|_| (1..=mz_api::funeral::cemetery::MAX_FEE_YEARS).contains(&years))
            .ok_or_else(|| refuse("years", "管理费年限应为 1 至 20 年"))?;
        let fee_fen = spec
            .fee_per_year_fen
            .checked_mul(Fen::from(years))
            .ok_or_else(|| refuse("years", "金额超出范围"))?;
        let (_, by) = self.office_and_clerk()?;
        let mut data = record.as_ref().map_or_else(
            || PlotData {
                plot: plot.to_owned(),
                state: PlotState::Free,
                reservation: None,
                contract: None,
                burials: Vec::new(),
            },
            |(_, d)| d.clone(),
        );
        // Check the sale before a number is taken for it.
        data.state = PlotState::Sold;
        data.contract = Some(PlotContract {
            number: "GM".to_owned(),
            holder,
            signed_on: today,
            price_fen: spec.price_fen,
            fee_fen,
            years,
            fee_until,
            renewals: Vec::new(),
            by,
        });
        let id = record.map_or_else(Uuid::now_v7, |(id, _)| id);
        crate::checked_record(
            RecordKind::CemeteryPlot,
            serde_json::to_value(&data).map_err(AppError::Json)?,
        )?;
        let number = self.take_number(CertificatePrefix::GM, today).await?;
        if let Some(contract) = data.contract.as_mut() {
            contract.number = number.clone();
        }
        self.save_plot(Some(id), &data)?;
        Ok(number)
    }

    /// Renews a sold plot's management fee for `years` more years, at the
    /// layout's fee, from the end of the period paid.
    pub fn renew_plot_fee(&self, plot: &str, years: u32) -> AppResult<NaiveDate> {
        let (spec, record) = self.plot_and_record(plot)?;
        let Some((id, mut data)) = record else {
            return Err(refuse("plot", format!("{plot} 尚未售出")));
        };
        let (_, by) = self.office_and_clerk()?;
        let Some(contract) = data.contract.as_mut() else {
            return Err(refuse("plot", format!("{plot} 尚未售出")));
        };
        let until = years_after(contract.paid_until(), years)
            .filter(|_| (1..=mz_api::funeral::cemetery::MAX_FEE_YEARS).contains(&years))
            .ok_or_else(|| refuse("years", "续费年限应为 1 至 20 年"))?;
        let amount_fen = spec
            .fee_per_year_fen
            .checked_mul(Fen::from(years))
            .ok_or_else(|| refuse("years", "金额超出范围"))?;
        contract.renewals.push(Renewal {
            on: self.today(),
            years,
            amount_fen,
            until,
            by,
        });
        self.save_plot(Some(id), &data)?;
        Ok(until)
    }

    /// Lays a cremated case's ashes in a sold plot with room left: the
    /// burial on the plot and the case's ashes placed there, both saved or
    /// neither.
    pub fn bury_in_plot(&self, plot: &str, case_id: Uuid) -> AppResult<()> {
        let (spec, record) = self.plot_and_record(plot)?;
        let Some((plot_id, mut data)) =
            record.filter(|(_, d)| matches!(d.state, PlotState::Sold | PlotState::Used))
        else {
            return Err(refuse("plot", format!("{plot} 尚未售出，不能安葬")));
        };
        if data.burials.len() >= usize::from(spec.capacity) {
            return Err(refuse(
                "plot",
                format!("{plot} 只能安葬 {} 位，已满", spec.capacity),
            ));
        }
        let mut case: FuneralCaseData = self
            .store()?
            .record(RecordKind::FuneralCase, case_id)?
            .ok_or_else(|| AppError::Invalid("没有这个案件".to_owned()))?
            .body()?;
        if case.stage < CaseStage::Cremated
            || matches!(
                case.ashes,
                Some(Ashes::Buried { .. } | Ashes::HandedOver { .. })
            )
        {
            return Err(refuse("case", "只能安葬已火化、尚未领走或安葬的骨灰"));
        }
        let today = self.today();
        let (_, by) = self.office_and_clerk()?;
        data.burials.push(Burial {
            case_id: Some(case_id),
            case_no: case.case_no.clone(),
            name: case.deceased.name.clone(),
            on: today,
            by,
        });
        data.state = PlotState::Used;
        case.stage = CaseStage::Buried;
        case.ashes = Some(Ashes::Buried {
            plot: plot.to_owned(),
            on: today,
        });
        self.save_records(vec![
            (
                RecordKind::CemeteryPlot,
                plot_id,
                serde_json::to_value(&data).map_err(AppError::Json)?,
            ),
            (
                RecordKind::FuneralCase,
                case_id,
                serde_json::to_value(&case).map_err(AppError::Json)?,
            ),
        ])
    }

    /// The sold plots whose management fee runs out within `days` days or
    /// has, the soonest first: whom to remind.
    pub fn plot_fees_due(&self, days: i64) -> AppResult<Vec<PlotDue>> {
        let today = self.today();
        let mut due: Vec<PlotDue> = self
            .plot_records()?
            .into_iter()
            .filter_map(|(_, p, _)| {
                let contract = p.contract?;
                let paid_until = contract.paid_until();
                ((paid_until - today).num_days() <= days).then(|| PlotDue {
                    plot: p.plot,
                    holder: contract.holder.name,
                    phone: contract.holder.phone,
                    paid_until,
                    overdue: paid_until < today,
                })
            })
            .collect();
        due.sort_by(|a, b| a.paid_until.cmp(&b.paid_until).then(a.plot.cmp(&b.plot)));
        Ok(due)
    }

    /// Imports the cemetery's plots from Excel (one row per plot: 墓区, 墓区名称,
    /// 排, 墓位号, 穴数, 价格（元）, 管理费（元/年）): taken whole as the new layout,
    /// or nothing taken and every bad row named. A plot that already has a
    /// record must stay in the layout.
    pub fn import_cemetery(&self, name: String, bytes: Vec<u8>) -> AppResult<CemeteryImport> {
        let mut workbook = mz_sheets::Workbook::from_bytes(bytes).map_err(AppError::from)?;
        let report =
            mz_sheets::cemetery::read_plots(&mut workbook, None).map_err(AppError::from)?;
        let mut issues: Vec<ImportIssue> = report
            .errors
            .iter()
            .map(|e| ImportIssue {
                row: e.row,
                column: e.column.clone(),
                header: e.header.clone(),
                reason: e.reason.clone(),
            })
            .collect();
        let mut layout = CemeteryData {
            name,
            sections: Vec::new(),
        };
        for plot in report.plots {
            let section = match layout.sections.iter().position(|s| s.code == plot.section) {
                Some(i) => i,
                None => {
                    layout.sections.push(Section {
                        code: plot.section.clone(),
                        name: plot.section_name.clone(),
                        rows: Vec::new(),
                    });
                    layout.sections.len() - 1
                }
            };
            let Some(section) = layout.sections.get_mut(section) else {
                continue;
            };
            let row = match section.rows.iter().position(|r| r.code == plot.row) {
                Some(i) => i,
                None => {
                    section.rows.push(Row {
                        code: plot.row.clone(),
                        plots: Vec::new(),
                    });
                    section.rows.len() - 1
                }
            };
            if let Some(row) = section.rows.get_mut(row) {
                row.plots.push(mz_api::funeral::cemetery::PlotSpec {
                    number: plot.number,
                    capacity: plot.capacity,
                    price_fen: plot.price_fen,
                    fee_per_year_fen: plot.fee_per_year_fen,
                });
            }
        }
        if issues.is_empty() {
            for (_, data, _) in self.plot_records()? {
                if data.state != PlotState::Free && layout.plot(&data.plot).is_none() {
                    issues.push(ImportIssue {
                        row: 0,
                        column: None,
                        header: "墓位号".to_owned(),
                        reason: format!("{} 已预留或售出，新的墓位表中不能没有它", data.plot),
                    });
                }
            }
        }
        if !issues.is_empty() {
            return Ok(CemeteryImport {
                sections: 0,
                plots: 0,
                issues,
            });
        }
        let counts = (layout.sections.len(), layout.plots().count());
        self.save_cemetery(&layout)?;
        Ok(CemeteryImport {
            sections: counts.0,
            plots: counts.1,
            issues,
        })
    }

    /// Saves the cemetery's layout (one record per home).
    pub fn save_cemetery(&self, layout: &CemeteryData) -> AppResult<()> {
        let id = self
            .store()?
            .records(RecordKind::Cemetery)?
            .first()
            .map_or_else(Uuid::now_v7, |r| r.id);
        let value = serde_json::to_value(layout).map_err(AppError::Json)?;
        self.save_record(RecordKind::Cemetery, id, value)
    }
}
