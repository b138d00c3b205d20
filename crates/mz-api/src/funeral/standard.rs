//! The province's (or a city's) funeral fee standard (`funeral_standard`,
//! one record per region, kept by civil affairs there): the official list of
//! items a home may charge (清单化) with the highest price of each, and the
//! waivers every home of the region grants at least (Hunan's five basic
//! items for 低保, 特困, 三无 and unidentified bodies).
//!
//! A home's own schedule cannot undercut it: an item off the list, or dearer
//! than the list allows, is refused when the home saves its schedule (on the
//! desk and on the platform); a bill is priced at no more than the list's
//! price, and waives at least what the standard's waivers waive.

use mz_domain::FieldIssue;
use mz_domain::funeral::{Bill, FeeItem, Fen, WaiverGround, WaiverRule};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::home::FuneralHomeData;

/// The body of a `funeral_standard` record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FuneralStandardData {
    /// The region it binds (GB/T 2260: `430000` for Hunan, `430100` for
    /// 长沙市): the region of the civil affairs that keep it.
    pub region: String,
    /// The official list: each item's code, name, unit, whether it is a
    /// basic service, and its highest price (`unit_price_fen`).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<FeeItem>,
    /// The waivers every home of the region grants at least.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub waivers: Vec<WaiverRule>,
}

/// A standard on its own: its list within its size, each code once, prices
/// at least zero, its waivers naming items of its list.
pub fn normal_standard(body: &mut FuneralStandardData) -> Vec<FieldIssue> {
    body.region = body.region.trim().to_owned();
    if body.region.parse::<mz_domain::RegionCode>().is_err() {
        return vec![FieldIssue::new(
            "region",
            "行政区划代码应为 6 位数字（GB/T 2260）",
        )];
    }
    // The same rules as a home's schedule: reuse them on a home of it.
    let mut as_home = FuneralHomeData {
        fee_items: std::mem::take(&mut body.items),
        waivers: std::mem::take(&mut body.waivers),
        ..FuneralHomeData::default()
    };
    let issues = super::home::normal_home(&mut as_home)
        .into_iter()
        .map(|i| FieldIssue::new(i.field.replacen("fee_items", "items", 1), i.message))
        .collect();
    body.items = as_home.fee_items;
    body.waivers = as_home.waivers;
    issues
}

/// The standards of `all` that bind a home in `region` (those of its
/// province and of its city), the widest first.
pub fn over<'a>(
    all: impl IntoIterator<Item = &'a FuneralStandardData>,
    region: &mz_domain::RegionCode,
) -> Vec<FuneralStandardData> {
    let mut over: Vec<FuneralStandardData> = all
        .into_iter()
        .filter(|s| {
            s.region
                .parse::<mz_domain::RegionCode>()
                .is_ok_and(|r| r.contains(region))
        })
        .cloned()
        .collect();
    over.sort_by(|a, b| a.region.cmp(&b.region));
    over
}

/// The part of a fee item a standard refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemField {
    Code,
    Basic,
    Price,
}

impl ItemField {
    fn path(self) -> &'static str {
        match self {
            ItemField::Code => "code",
            ItemField::Basic => "basic",
            ItemField::Price => "unit_price_fen",
        }
    }
}

/// Where one item of a home's schedule undercuts the standards over it:
/// off the official list, of another kind than the list says, or dearer
/// than its highest price.
pub fn item_undercuts(
    item: &FeeItem,
    standards: &[FuneralStandardData],
) -> Vec<(ItemField, String)> {
    let mut issues = Vec::new();
    for standard in standards.iter().filter(|s| !s.items.is_empty()) {
        let Some(listed) = standard.items.iter().find(|l| l.code == item.code) else {
            issues.push((
                ItemField::Code,
                format!(
                    "{}（{}）不在上级公布的收费清单内，清单外的项目不能收费",
                    item.name, item.code
                ),
            ));
            continue;
        };
        if listed.basic != item.basic {
            issues.push((
                ItemField::Basic,
                format!(
                    "{} 在上级清单中{}基本殡葬服务",
                    item.name,
                    if listed.basic { "属于" } else { "不属于" }
                ),
            ));
        }
        if item.unit_price_fen > listed.unit_price_fen {
            issues.push((
                ItemField::Price,
                format!(
                    "{} 单价 {} 元，高于上级标准 {} 元",
                    item.name,
                    yuan(item.unit_price_fen),
                    yuan(listed.unit_price_fen)
                ),
            ));
        }
    }
    issues
}

/// Where a home's schedule undercuts the standards over it, each issue
/// naming the home's item (`fee_items[3].unit_price_fen`).
pub fn undercuts(home: &FuneralHomeData, standards: &[FuneralStandardData]) -> Vec<FieldIssue> {
    home.fee_items
        .iter()
        .enumerate()
        .flat_map(|(index, item)| {
            item_undercuts(item, standards)
                .into_iter()
                .map(move |(field, reason)| {
                    FieldIssue::new(format!("fee_items[{index}].{}", field.path()), reason)
                })
        })
        .collect()
}

/// The bill of a case under the home's schedule and waivers and the
/// standards over it: each item at no more than any standard's price, and
/// of the home's waivers and each standard's, whichever waives most for
/// this body.
pub fn bill(
    home: &FuneralHomeData,
    standards: &[FuneralStandardData],
    ordered: &[(String, u32)],
    ground: Option<WaiverGround>,
) -> Result<Bill, FieldIssue> {
    let schedule: Vec<FeeItem> = home
        .fee_items
        .iter()
        .map(|item| {
            let cap = standards
                .iter()
                .flat_map(|s| s.items.iter())
                .filter(|l| l.code == item.code)
                .map(|l| l.unit_price_fen)
                .min();
            FeeItem {
                unit_price_fen: cap
                    .map_or(item.unit_price_fen, |cap: Fen| cap.min(item.unit_price_fen)),
                ..item.clone()
            }
        })
        .collect();
    let mut best = mz_domain::funeral::bill(&schedule, ordered, ground, &home.waivers)?;
    if ground.is_none() {
        return Ok(best);
    }
    for standard in standards.iter().filter(|s| !s.waivers.is_empty()) {
        let other = mz_domain::funeral::bill(&schedule, ordered, ground, &standard.waivers)?;
        if other.waived_fen > best.waived_fen {
            best = other;
        }
    }
    Ok(best)
}

fn yuan(fen: Fen) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// [`normal_standard`] over the JSON body, for the kind's spec.
pub(crate) fn normalise_standard(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_standard(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn item(code: &str, price: Fen, basic: bool) -> FeeItem {
        FeeItem {
            code: code.to_owned(),
            name: code.to_owned(),
            unit: "次".to_owned(),
            unit_price_fen: price,
            basic,
        }
    }

    fn hunan() -> FuneralStandardData {
        FuneralStandardData {
            region: "430000".to_owned(),
            items: vec![
                item("transport", 30_000, true),
                item("cremation_flat", 50_000, true),
                item("urn_basic", 20_000, true),
                item("dressing", 50_000, false),
            ],
            waivers: vec![WaiverRule {
                items: vec![
                    "transport".into(),
                    "cremation_flat".into(),
                    "urn_basic".into(),
                ],
                max_units: None,
                cap_fen: None,
                grounds: vec![WaiverGround::Dibao, WaiverGround::Unidentified],
            }],
        }
    }

    #[test]
    fn a_home_cannot_charge_off_the_list_nor_above_it() {
        let home = FuneralHomeData {
            fee_items: vec![
                item("transport", 30_000, true),
                item("cremation_flat", 60_000, true),
                item("dressing", 20_000, true),
                item("fireworks", 10_000, false),
            ],
            ..FuneralHomeData::default()
        };
        let fields: Vec<String> = undercuts(&home, &[hunan()])
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            [
                "fee_items[1].unit_price_fen",
                "fee_items[2].basic",
                "fee_items[3].code"
            ]
        );
        assert!(undercuts(&home, &[]).is_empty(), "no standard, no limit");
        // Hunan's binds a home in 长沙; 湖北's does not.
        let hubei = FuneralStandardData {
            region: "420000".to_owned(),
            ..hunan()
        };
        let changsha: mz_domain::RegionCode = "430100".parse().unwrap();
        let binding = over([&hubei, &hunan()], &changsha);
        assert_eq!(binding.len(), 1);
        assert_eq!(binding[0].region, "430000");
    }

    #[test]
    fn a_bill_waives_at_least_what_the_standard_waives() {
        // The home waives only the urn for 低保; the province waives three items.
        let home = FuneralHomeData {
            fee_items: vec![
                item("transport", 30_000, true),
                item("cremation_flat", 50_000, true),
                item("urn_basic", 20_000, true),
            ],
            waivers: vec![WaiverRule {
                items: vec!["urn_basic".into()],
                max_units: None,
                cap_fen: None,
                grounds: vec![WaiverGround::Dibao],
            }],
            ..FuneralHomeData::default()
        };
        let ordered = vec![
            ("transport".to_owned(), 1),
            ("cremation_flat".to_owned(), 1),
            ("urn_basic".to_owned(), 1),
        ];
        let own = bill(&home, &[], &ordered, Some(WaiverGround::Dibao)).unwrap();
        assert_eq!(own.waived_fen, 20_000);
        let with = bill(&home, &[hunan()], &ordered, Some(WaiverGround::Dibao)).unwrap();
        assert_eq!((with.waived_fen, with.payable_fen), (100_000, 0));
        // No ground, nothing waived; a price above the list is charged at the list's.
        let mut dear = home.clone();
        dear.fee_items[0].unit_price_fen = 90_000;
        let plain = bill(&dear, &[hunan()], &ordered, None).unwrap();
        assert_eq!(
            (plain.waived_fen, plain.lines[0].unit_price_fen),
            (0, 30_000)
        );
    }
}
