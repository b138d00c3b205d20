//! A home's cemetery (公墓): its layout (`cemetery`, one record per home:
//! sections, rows and plots with the price and the yearly management fee of
//! each) and what happens to each plot (`cemetery_plot`, one record per
//! plot once it is reserved: the reservation, the sale contract with its
//! management-fee period and renewals, and the burials in it).
//!
//! A plot is free until reserved or sold; reserved until the reservation is
//! released or lapses, or the plot is sold; sold until the first burial,
//! then used. A sale and a burial are final: the contract's facts never
//! change (a renewal only adds to it), a burial is never taken back, and
//! a sold plot never becomes free again.

use chrono::{Months, NaiveDate, NaiveDateTime};
use mz_domain::FieldIssue;
use mz_domain::funeral::Fen;
use mz_domain::marriage::DocumentType;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

/// The most plots a cemetery's layout holds, and people a plot takes.
pub const MAX_PLOTS: usize = 20_000;
pub const MAX_CAPACITY: u8 = 4;
/// The longest reservation, and the longest management-fee period paid at
/// once, in years.
pub const MAX_RESERVATION_DAYS: i64 = 90;
pub const MAX_FEE_YEARS: u32 = 20;

/// The body of a `cemetery` record: the layout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct CemeteryData {
    /// The cemetery's name (福寿园).
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub sections: Vec<Section>,
}

/// A section (墓区) of the cemetery: its rows, front to back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Its code on the cemetery's signs (`A`).
    pub code: String,
    /// Its name (福区).
    #[serde(default)]
    pub name: String,
    pub rows: Vec<Row>,
}

/// A row (排) of a section: its plots, left to right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Its number in the section (`01`).
    pub code: String,
    pub plots: Vec<PlotSpec>,
}

/// A plot of a row, as the layout offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct PlotSpec {
    /// Its number in the row (`03`).
    pub number: String,
    /// How many it takes (单穴 1, 双穴 2).
    pub capacity: u8,
    /// Its price (墓位价格), in fen.
    #[ts(type = "number")]
    pub price_fen: Fen,
    /// Its management fee per year (管理费), in fen.
    #[ts(type = "number")]
    pub fee_per_year_fen: Fen,
}

impl CemeteryData {
    /// Every plot with its code (`A-01-03`: section, row, number).
    pub fn plots(&self) -> impl Iterator<Item = (String, &PlotSpec)> {
        self.sections.iter().flat_map(|s| {
            s.rows.iter().flat_map(move |r| {
                r.plots
                    .iter()
                    .map(move |p| (plot_code(&s.code, &r.code, &p.number), p))
            })
        })
    }

    /// The plot of `code`, when the layout has it.
    pub fn plot(&self, code: &str) -> Option<PlotSpec> {
        self.plots()
            .find(|(c, _)| c == code)
            .map(|(_, p)| p.clone())
    }
}

/// A plot's code from its section, row and number.
pub fn plot_code(section: &str, row: &str, number: &str) -> String {
    format!("{section}-{row}-{number}")
}

/// A layout on its own: codes given and unique at each level, without the
/// `-` that joins them; capacities 1 to 4; prices at least zero; within
/// its size.
pub fn normal_cemetery(body: &mut CemeteryData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    body.name = body.name.trim().to_owned();
    if body.name.is_empty() {
        issues.push(FieldIssue::new("name", "请填写公墓名称"));
    }
    let total: usize = body
        .sections
        .iter()
        .flat_map(|s| &s.rows)
        .map(|r| r.plots.len())
        .sum();
    if total > MAX_PLOTS {
        issues.push(FieldIssue::new(
            "sections",
            format!("共 {total} 个墓位，最多 {MAX_PLOTS} 个"),
        ));
        return issues;
    }
    let code_issue = |field: String, code: &str, seen: &mut Vec<String>| {
        if code.is_empty() {
            Some(FieldIssue::new(field, "编号不能为空"))
        } else if code.contains('-') || code.chars().count() > 8 {
            Some(FieldIssue::new(field, "编号最多 8 个字符，不含“-”"))
        } else if seen.iter().any(|c| c == code) {
            Some(FieldIssue::new(field, format!("{code} 重复")))
        } else {
            seen.push(code.to_owned());
            None
        }
    };
    let mut sections = Vec::new();
    for (i, section) in body.sections.iter_mut().enumerate() {
        section.code = section.code.trim().to_owned();
        section.name = section.name.trim().to_owned();
        issues.extend(code_issue(
            format!("sections[{i}].code"),
            &section.code,
            &mut sections,
        ));
        let mut rows = Vec::new();
        for (j, row) in section.rows.iter_mut().enumerate() {
            row.code = row.code.trim().to_owned();
            let at = format!("sections[{i}].rows[{j}]");
            issues.extend(code_issue(format!("{at}.code"), &row.code, &mut rows));
            let mut numbers = Vec::new();
            for (k, plot) in row.plots.iter_mut().enumerate() {
                plot.number = plot.number.trim().to_owned();
                let at = format!("{at}.plots[{k}]");
                issues.extend(code_issue(
                    format!("{at}.number"),
                    &plot.number,
                    &mut numbers,
                ));
                if !(1..=MAX_CAPACITY).contains(&plot.capacity) {
                    issues.push(FieldIssue::new(
                        format!("{at}.capacity"),
                        format!("穴数应为 1 至 {MAX_CAPACITY}"),
                    ));
                }
                if plot.price_fen < 0 {
                    issues.push(FieldIssue::new(format!("{at}.price_fen"), "价格不能为负数"));
                }
                if plot.fee_per_year_fen < 0 {
                    issues.push(FieldIssue::new(
                        format!("{at}.fee_per_year_fen"),
                        "管理费不能为负数",
                    ));
                }
            }
        }
    }
    issues
}

/// Where a plot stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum PlotState {
    Free,
    Reserved,
    Sold,
    Used,
}

/// A plot held for someone for a while (预留).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Reservation {
    pub name: String,
    pub phone: String,
    /// The last day it is held.
    pub until: NaiveDate,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    pub by: String,
}

/// The one who holds a plot's contract (墓位使用权人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub name: String,
    #[schema(value_type = String)]
    pub doc_type: DocumentType,
    pub doc_number: String,
    pub phone: String,
}

/// A renewal of the management fee: paid on a day for some years, the
/// period running on from the end of the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    pub on: NaiveDate,
    pub years: u32,
    #[ts(type = "number")]
    pub amount_fen: Fen,
    /// The new end of the period.
    pub until: NaiveDate,
    pub by: String,
}

/// The sale contract (墓位使用合同): its number from the home's block, the
/// holder, the price, and the management fee paid for a period that must
/// be renewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct PlotContract {
    pub number: String,
    pub holder: Holder,
    pub signed_on: NaiveDate,
    #[ts(type = "number")]
    pub price_fen: Fen,
    /// The management fee paid at signing, for `years` years.
    #[ts(type = "number")]
    pub fee_fen: Fen,
    pub years: u32,
    /// The end of the first period.
    pub fee_until: NaiveDate,
    #[serde(default)]
    pub renewals: Vec<Renewal>,
    pub by: String,
}

impl PlotContract {
    /// The end of the management-fee period now: the last renewal's, or
    /// the first period's.
    pub fn paid_until(&self) -> NaiveDate {
        self.renewals.last().map_or(self.fee_until, |r| r.until)
    }
}

/// Ashes laid in the plot (安葬).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Burial {
    /// The home's case of the deceased, when cremated here.
    #[serde(default)]
    pub case_id: Option<Uuid>,
    #[serde(default)]
    pub case_no: String,
    pub name: String,
    pub on: NaiveDate,
    pub by: String,
}

/// The body of a `cemetery_plot` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct PlotData {
    /// The plot's code in the home's layout (`A-01-03`).
    pub plot: String,
    pub state: PlotState,
    #[serde(default)]
    pub reservation: Option<Reservation>,
    #[serde(default)]
    pub contract: Option<PlotContract>,
    #[serde(default)]
    pub burials: Vec<Burial>,
}

impl PlotData {
    /// The key at most one live record of a plot has, in the home of
    /// `unit`; none once a reservation is released.
    pub fn key(&self, unit: &str) -> Option<String> {
        (self.state != PlotState::Free).then(|| format!("plot:{unit}:{}", self.plot))
    }

    /// Where it stands on `today`: a reservation past its last day holds
    /// the plot no longer.
    pub fn state_on(&self, today: NaiveDate) -> PlotState {
        match (&self.state, &self.reservation) {
            (PlotState::Reserved, Some(r)) if r.until < today => PlotState::Free,
            (state, _) => *state,
        }
    }
}

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue::new(field, message)
}

/// A plot's record on its own: what its state needs and nothing more, the
/// names and the holder's document checked, the fee periods in step with
/// the years paid.
pub fn normal_plot(body: &mut PlotData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    body.plot = body.plot.trim().to_owned();
    if body.plot.split('-').count() != 3 {
        issues.push(issue("plot", "墓位编号的格式如 A-01-03"));
    }
    let wants = |reservation: bool, contract: bool, burials: bool| {
        (reservation == body.reservation.is_some())
            && (contract == body.contract.is_some())
            && (burials != body.burials.is_empty())
    };
    let fits = match body.state {
        PlotState::Free => body.contract.is_none() && body.burials.is_empty(),
        PlotState::Reserved => wants(true, false, false),
        PlotState::Sold => body.contract.is_some() && body.burials.is_empty(),
        PlotState::Used => body.contract.is_some() && !body.burials.is_empty(),
    };
    if !fits {
        issues.push(issue("state", "墓位状态与预留、合同、安葬记录不符"));
    }
    if let Some(reservation) = body.reservation.as_mut() {
        match mz_domain::identity::normalise_name(&reservation.name) {
            Ok(name) => reservation.name = name,
            Err(e) => issues.push(issue("reservation.name", e.to_string())),
        }
        if let Some(message) = mz_domain::phone::phone_issue(&reservation.phone) {
            issues.push(issue("reservation.phone", message));
        }
        let days = (reservation.until - reservation.at.date()).num_days();
        if !(0..=MAX_RESERVATION_DAYS).contains(&days) {
            issues.push(issue(
                "reservation.until",
                format!("预留期限应在预留当日起 {MAX_RESERVATION_DAYS} 天内"),
            ));
        }
    }
    if let Some(contract) = body.contract.as_mut() {
        issues.extend(normal_contract(contract));
    }
    for (i, burial) in body.burials.iter_mut().enumerate() {
        match mz_domain::identity::normalise_name(&burial.name) {
            Ok(name) => burial.name = name,
            Err(e) => issues.push(issue(&format!("burials[{i}].name"), e.to_string())),
        }
        if let Some(contract) = &body.contract
            && burial.on < contract.signed_on
        {
            issues.push(issue(
                &format!("burials[{i}].on"),
                "安葬日期不能早于合同签订日期",
            ));
        }
    }
    issues
}

fn normal_contract(contract: &mut PlotContract) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    contract.number = contract.number.trim().to_owned();
    if contract.number.is_empty() {
        issues.push(issue("contract.number", "合同编号不能为空"));
    }
    let holder = &mut contract.holder;
    match mz_domain::identity::normalise_name(&holder.name) {
        Ok(name) => holder.name = name,
        Err(e) => issues.push(issue("contract.holder.name", e.to_string())),
    }
    let (number, document_issues) = mz_domain::marriage::check_document(
        "contract.holder",
        holder.doc_type,
        &holder.doc_number,
        None,
        contract.signed_on,
    );
    holder.doc_number = number;
    issues.extend(document_issues);
    if let Some(message) = mz_domain::phone::phone_issue(&holder.phone) {
        issues.push(issue("contract.holder.phone", message));
    }
    if contract.price_fen < 0 || contract.fee_fen < 0 {
        issues.push(issue("contract.price_fen", "金额不能为负数"));
    }
    if !(1..=MAX_FEE_YEARS).contains(&contract.years)
        || years_after(contract.signed_on, contract.years) != Some(contract.fee_until)
    {
        issues.push(issue(
            "contract.years",
            format!("管理费年限应为 1 至 {MAX_FEE_YEARS} 年，期满日为签订日加年限"),
        ));
    }
    let mut until = contract.fee_until;
    for (i, renewal) in contract.renewals.iter().enumerate() {
        let next = years_after(until, renewal.years);
        if !(1..=MAX_FEE_YEARS).contains(&renewal.years)
            || next != Some(renewal.until)
            || renewal.amount_fen < 0
        {
            issues.push(issue(
                &format!("contract.renewals[{i}]"),
                "续费年限应为 1 至 20 年，新期满日为上一期满日加年限",
            ));
        }
        until = renewal.until;
    }
    issues
}

/// The day `years` years after `day`.
pub fn years_after(day: NaiveDate, years: u32) -> Option<NaiveDate> {
    day.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// What a plot's record may become, on `today`: reserved or sold from
/// free; a reservation released, renewed or turned into a sale; a sale
/// final (the contract's facts kept, renewals only added, burials only
/// added, never free or reserved again). A new reservation, sale, renewal
/// or burial is of today or before, never of a day to come.
pub fn check_plot_change(
    previous: Option<&PlotData>,
    next: &PlotData,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let before = previous.map_or(PlotState::Free, |p| p.state);
    if previous.is_some_and(|p| p.plot != next.plot) {
        issues.push(issue("plot", "记录不能改到另一个墓位"));
    }
    let allowed = matches!(
        (before, next.state),
        (PlotState::Free | PlotState::Reserved, _)
            | (PlotState::Sold, PlotState::Sold | PlotState::Used)
            | (PlotState::Used, PlotState::Used)
    );
    if !allowed {
        issues.push(issue("state", "已售出的墓位不能再预留或退为空闲"));
    }
    let earlier = previous.and_then(|p| p.contract.as_ref());
    match (earlier, &next.contract) {
        (None, Some(contract)) if contract.signed_on > today => {
            issues.push(issue("contract.signed_on", "合同签订日期不能晚于今天"));
        }
        (Some(earlier), Some(contract)) => {
            let kept = PlotContract {
                renewals: Vec::new(),
                ..earlier.clone()
            } == PlotContract {
                renewals: Vec::new(),
                ..contract.clone()
            };
            if !kept || !contract.renewals.starts_with(&earlier.renewals) {
                issues.push(issue("contract", "合同签订后内容不能更改，只能续费"));
            }
            if contract
                .renewals
                .iter()
                .skip(earlier.renewals.len())
                .any(|r| r.on > today)
            {
                issues.push(issue("contract.renewals", "续费日期不能晚于今天"));
            }
        }
        (Some(_), None) => issues.push(issue("contract", "合同签订后不能撤销")),
        _ => {}
    }
    let buried_before = previous.map_or(&[][..], |p| p.burials.as_slice());
    if !next.burials.starts_with(buried_before) {
        issues.push(issue("burials", "安葬记录只能增加，不能更改或删除"));
    }
    if next
        .burials
        .iter()
        .skip(buried_before.len())
        .any(|b| b.on > today)
    {
        issues.push(issue("burials", "安葬日期不能晚于今天"));
    }
    if let Some(reservation) = &next.reservation
        && previous
            .and_then(|p| p.reservation.as_ref())
            .is_none_or(|r| r != reservation)
        && next.state == PlotState::Reserved
        && (reservation.until < today || reservation.at.date() > today)
    {
        issues.push(issue("reservation.until", "预留期限已过"));
    }
    issues
}

pub(crate) fn normalise_cemetery(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_cemetery(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

pub(crate) fn normalise_plot(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_plot(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

pub(crate) fn plot_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, |previous, next| {
        check_plot_change(previous, next, today)
    })
}

/// A plot names its holder, the one it is held for and those buried in it.
/// A plot is about the day its contract was signed, or it was reserved;
/// a free plot about none.
pub(crate) fn plot_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    let body = PlotData::deserialize(data)?;
    Ok(body
        .contract
        .map(|c| c.signed_on)
        .or(body.reservation.map(|r| r.at.date())))
}

pub(crate) fn plot_people(
    data: &serde_json::Value,
) -> Result<Vec<crate::records::Named>, serde_json::Error> {
    let body = PlotData::deserialize(data)?;
    let mut named = Vec::new();
    if let Some(r) = body.reservation {
        named.push(crate::records::Named {
            role: "预留人",
            name: r.name,
            doc_number: String::new(),
        });
    }
    if let Some(c) = body.contract {
        named.push(crate::records::Named {
            role: "墓位使用权人",
            name: c.holder.name,
            doc_number: c.holder.doc_number,
        });
    }
    named.extend(body.burials.into_iter().map(|b| crate::records::Named {
        role: "安葬人",
        name: b.name,
        doc_number: String::new(),
    }));
    Ok(named)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sold() -> PlotData {
        PlotData {
            plot: "A-01-03".to_owned(),
            state: PlotState::Sold,
            reservation: None,
            contract: Some(PlotContract {
                number: "GM430100-2026-000001".to_owned(),
                holder: Holder {
                    name: "王志刚".to_owned(),
                    doc_type: DocumentType::IdCard,
                    doc_number: mz_domain::identity::with_check_character("43010219700101003"),
                    phone: "13800000000".to_owned(),
                },
                signed_on: day("2026-03-05"),
                price_fen: 3_000_000,
                fee_fen: 200_000,
                years: 20,
                fee_until: day("2046-03-05"),
                renewals: Vec::new(),
                by: "业务员".to_owned(),
            }),
            burials: Vec::new(),
        }
    }

    fn fields(issues: Vec<FieldIssue>) -> Vec<String> {
        issues.into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn a_plot_s_record_holds_what_its_state_needs() {
        let mut plot = sold();
        assert!(normal_plot(&mut plot).is_empty());
        let mut wrong = sold();
        wrong.state = PlotState::Used;
        assert_eq!(fields(normal_plot(&mut wrong)), ["state"]);
        let mut short = sold();
        short.contract.as_mut().unwrap().fee_until = day("2040-03-05");
        assert_eq!(fields(normal_plot(&mut short)), ["contract.years"]);
        let mut early = sold();
        early.state = PlotState::Used;
        early.burials.push(Burial {
            case_id: None,
            case_no: String::new(),
            name: "王秀英".to_owned(),
            on: day("2026-03-01"),
            by: "业务员".to_owned(),
        });
        assert_eq!(fields(normal_plot(&mut early)), ["burials[0].on"]);
    }

    #[test]
    fn a_sale_is_final_and_renewals_and_burials_only_add() {
        let today = day("2026-03-10");
        let before = sold();
        let mut renewed = sold();
        renewed.contract.as_mut().unwrap().renewals.push(Renewal {
            on: today,
            years: 5,
            amount_fen: 50_000,
            until: day("2051-03-05"),
            by: "业务员".to_owned(),
        });
        assert!(check_plot_change(Some(&before), &renewed, today).is_empty());
        let mut cheaper = sold();
        cheaper.contract.as_mut().unwrap().price_fen = 1;
        assert_eq!(
            fields(check_plot_change(Some(&before), &cheaper, today)),
            ["contract"]
        );
        let mut freed = sold();
        freed.state = PlotState::Free;
        freed.contract = None;
        let refused = fields(check_plot_change(Some(&before), &freed, today));
        assert_eq!(refused, ["state", "contract"]);
        let mut buried = sold();
        buried.state = PlotState::Used;
        buried.burials.push(Burial {
            case_id: None,
            case_no: String::new(),
            name: "王秀英".to_owned(),
            on: today,
            by: "业务员".to_owned(),
        });
        assert!(check_plot_change(Some(&before), &buried, today).is_empty());
        let mut unburied = buried.clone();
        unburied.burials.clear();
        unburied.state = PlotState::Sold;
        assert_eq!(
            fields(check_plot_change(Some(&buried), &unburied, today)),
            ["state", "burials"]
        );
        // A sale dated tomorrow is refused.
        assert_eq!(
            fields(check_plot_change(None, &before, day("2026-03-04"))),
            ["contract.signed_on"]
        );
    }

    #[test]
    fn a_lapsed_reservation_frees_the_plot() {
        let plot = PlotData {
            plot: "A-01-04".to_owned(),
            state: PlotState::Reserved,
            reservation: Some(Reservation {
                name: "李红梅".to_owned(),
                phone: "13800000001".to_owned(),
                until: day("2026-03-20"),
                at: day("2026-03-05").and_hms_opt(9, 0, 0).unwrap(),
                by: "业务员".to_owned(),
            }),
            contract: None,
            burials: Vec::new(),
        };
        assert_eq!(plot.state_on(day("2026-03-20")), PlotState::Reserved);
        assert_eq!(plot.state_on(day("2026-03-21")), PlotState::Free);
        assert_eq!(
            plot.key("430100-funeral").unwrap(),
            "plot:430100-funeral:A-01-04"
        );
    }

    #[test]
    fn a_layout_names_each_plot_once() {
        let spec = |number: &str, capacity: u8| PlotSpec {
            number: number.to_owned(),
            capacity,
            price_fen: 1,
            fee_per_year_fen: 1,
        };
        let mut layout = CemeteryData {
            name: "福寿园".to_owned(),
            sections: vec![Section {
                code: "A".to_owned(),
                name: "福区".to_owned(),
                rows: vec![Row {
                    code: "01".to_owned(),
                    plots: vec![spec("01", 1), spec("01", 2), spec("0-3", 5)],
                }],
            }],
        };
        assert_eq!(
            fields(normal_cemetery(&mut layout)),
            [
                "sections[0].rows[0].plots[1].number",
                "sections[0].rows[0].plots[2].number",
                "sections[0].rows[0].plots[2].capacity"
            ]
        );
        assert_eq!(layout.plot("A-01-01").unwrap().capacity, 1);
    }
}
