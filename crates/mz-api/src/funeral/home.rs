//! A funeral home's own setup (`funeral_home`, one record per home): its
//! vehicles and drivers, its cold-storage cabinets, farewell halls and
//! furnaces, its fee schedule and its waiver rules. Every one is the home's
//! data, never a constant in code.

use mz_domain::FieldIssue;
use mz_domain::funeral::{FeeItem, WaiverRule};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A cabinet, a hall or a furnace of the home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// Its number on the home's board (`A01`, `1号厅`).
    pub code: String,
    /// What it is called or what kind it is (平板炉, 拣灰炉, 大厅).
    #[serde(default)]
    pub name: String,
    /// Out of service (维修), not offered.
    #[serde(default)]
    pub out_of_service: bool,
}

/// The body of a `funeral_home` record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FuneralHomeData {
    /// The vehicles for collection, by plate.
    #[serde(default)]
    pub vehicles: Vec<String>,
    #[serde(default)]
    pub drivers: Vec<String>,
    #[serde(default)]
    pub cabinets: Vec<Facility>,
    #[serde(default)]
    pub halls: Vec<Facility>,
    #[serde(default)]
    pub furnaces: Vec<Facility>,
    /// The starts of a hall's slots of a day (`08:00`), one booking each.
    #[serde(default)]
    pub hall_slots: Vec<String>,
    /// The fee schedule (收费清单).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub fee_items: Vec<FeeItem>,
    /// The waiver rules (惠民殡葬).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub waivers: Vec<WaiverRule>,
}

/// The most of each list a home keeps.
pub const MAX_ITEMS: usize = 500;

/// A home's setup on its own: every list within its size, every code
/// given once, every price at least zero, every waiver naming items of the
/// schedule.
pub fn normal_home(body: &mut FuneralHomeData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let names = |field: &str, list: &mut Vec<String>, issues: &mut Vec<FieldIssue>| {
        for item in list.iter_mut() {
            *item = item.trim().to_owned();
        }
        unique(field, list.iter().map(String::as_str), list.len(), issues);
    };
    names("vehicles", &mut body.vehicles, &mut issues);
    names("drivers", &mut body.drivers, &mut issues);
    for (field, list) in [
        ("cabinets", &mut body.cabinets),
        ("halls", &mut body.halls),
        ("furnaces", &mut body.furnaces),
    ] {
        for item in list.iter_mut() {
            item.code = item.code.trim().to_owned();
        }
        unique(
            field,
            list.iter().map(|f| f.code.as_str()),
            list.len(),
            &mut issues,
        );
    }
    unique(
        "fee_items",
        body.fee_items.iter().map(|i| i.code.as_str()),
        body.fee_items.len(),
        &mut issues,
    );
    for (index, item) in body.fee_items.iter().enumerate() {
        if item.unit_price_fen < 0 {
            issues.push(FieldIssue::new(
                format!("fee_items[{index}].unit_price_fen"),
                "单价不能为负数",
            ));
        }
        if item.name.trim().is_empty() {
            issues.push(FieldIssue::new(
                format!("fee_items[{index}].name"),
                "请填写收费项目名称",
            ));
        }
    }
    for (index, waiver) in body.waivers.iter().enumerate() {
        for code in &waiver.items {
            if !body.fee_items.iter().any(|i| &i.code == code) {
                issues.push(FieldIssue::new(
                    format!("waivers[{index}].items"),
                    format!("收费清单中没有 {code} 这一项"),
                ));
            }
        }
        if waiver.cap_fen.is_some_and(|cap| cap < 0) {
            issues.push(FieldIssue::new(
                format!("waivers[{index}].cap_fen"),
                "减免上限不能为负数",
            ));
        }
    }
    issues
}

/// The codes of a list each given once, none empty, the list within its size.
fn unique<'a>(
    field: &str,
    codes: impl Iterator<Item = &'a str>,
    len: usize,
    issues: &mut Vec<FieldIssue>,
) {
    if len > MAX_ITEMS {
        issues.push(FieldIssue::new(field, format!("最多 {MAX_ITEMS} 项")));
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for (index, code) in codes.enumerate() {
        if code.is_empty() {
            issues.push(FieldIssue::new(format!("{field}[{index}]"), "编号不能为空"));
        } else if !seen.insert(code) {
            issues.push(FieldIssue::new(
                format!("{field}[{index}]"),
                format!("{code} 重复"),
            ));
        }
    }
}

/// [`normal_home`] over the JSON body, for the kind's spec.
pub(crate) fn normalise_home(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_home(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn facility(code: &str) -> Facility {
        Facility {
            code: code.to_owned(),
            name: String::new(),
            out_of_service: false,
        }
    }

    #[test]
    fn a_home_names_each_thing_once_and_waives_only_what_it_charges() {
        let mut home = FuneralHomeData {
            vehicles: vec!["湘A·12345 ".to_owned(), "湘A·12345".to_owned()],
            cabinets: vec![facility("A01"), facility(" ")],
            fee_items: vec![FeeItem {
                code: "cremation_flat".to_owned(),
                name: "平板炉火化".to_owned(),
                unit: "具".to_owned(),
                unit_price_fen: -1,
                basic: true,
            }],
            waivers: vec![WaiverRule {
                items: vec!["urn".to_owned()],
                max_units: None,
                cap_fen: Some(20_000),
                grounds: vec![mz_domain::funeral::WaiverGround::Dibao],
            }],
            ..FuneralHomeData::default()
        };
        let fields: Vec<String> = normal_home(&mut home)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            [
                "vehicles[1]",
                "cabinets[1]",
                "fee_items[0].unit_price_fen",
                "waivers[0].items"
            ]
        );
        assert_eq!(home.vehicles[0], "湘A·12345");
    }
}
