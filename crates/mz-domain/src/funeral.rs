//! The funeral home's rules (殡葬): what a case needs before each step, the
//! death-certificate number, the cremation certificate's life cycle, and the
//! bill with the waivers of basic services (惠民殡葬). See
//! `../shared/domain/funeral.md` for the sources: the Ministry's 2024 notice
//! on handling remains and ashes, the revised 《殡葬管理条例》 (in force since
//! 2026-03-30), Hunan's 2013 waiver notice and the 2026 death certificate.
//!
//! Fees and waivers differ from city to city: the schedule and the waiver
//! rules are data a home imports ([`FeeItem`], [`WaiverRule`]), never
//! constants here. Money is counted in fen.

use serde::{Deserialize, Serialize};

use crate::FieldIssue;

/// Money in fen (分): 1 元 = 100 fen.
pub type Fen = i64;

/// The steps of a case, in their order. A case moves forward one step or
/// more at a time, never back; the ashes end it one of three ways.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum CaseStage {
    /// 来电登记: the call is logged.
    Called,
    /// 接运: the body is collected and received.
    Received,
    /// 冷藏: in a cold-storage cabinet.
    Stored,
    /// 告别: the farewell ceremony.
    Farewell,
    /// 火化: cremated.
    Cremated,
    /// 骨灰领取: the ashes handed to the family.
    AshesCollected,
    /// 骨灰寄存: the ashes kept at the home.
    AshesDeposited,
    /// 安葬: buried in a cemetery plot.
    Buried,
}

impl CaseStage {
    /// Whether the case has ended: the ashes are placed.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CaseStage::AshesCollected | CaseStage::AshesDeposited | CaseStage::Buried
        )
    }
}

/// The papers a case holds, as the front desk has seen them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Papers {
    /// The identity of the deceased was checked against a document.
    pub identity_checked: bool,
    /// The 居民死亡医学证明 (or, for a police case, the police's death
    /// certificate) was seen; its number.
    pub death_certificate_no: Option<String>,
    /// A police case: the police's paper stands in for the identity check
    /// (无名遗体, or a death the police handle), with its number.
    pub police_notice_no: Option<String>,
    /// The family's 遗体火化确认书 was signed.
    pub cremation_confirmed: bool,
    /// The 丧事承办人's identity was checked.
    pub contact_checked: bool,
}

/// What a case must hold before it reaches `stage` (the 2024 notice: the
/// death certificate, or the police's paper, before collection; the
/// identity, the certificate, the family's confirmation and the contact's
/// identity before cremation). An unidentified body has the police's paper
/// in place of the identity and of the contact.
pub fn check_papers(stage: CaseStage, papers: &Papers, unidentified: bool) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let police = papers
        .police_notice_no
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    let certificate = papers
        .death_certificate_no
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    if unidentified && !police {
        issues.push(FieldIssue::new(
            "papers.police_notice_no",
            "无名遗体须有公安机关的证明材料及其编号",
        ));
    }
    if stage >= CaseStage::Received && !certificate && !police {
        issues.push(FieldIssue::new(
            "papers.death_certificate_no",
            "接运遗体前须查验死亡证明（公安机关处理的，查验公安机关的证明）",
        ));
    }
    if stage >= CaseStage::Cremated {
        if !unidentified && !papers.identity_checked {
            issues.push(FieldIssue::new(
                "papers.identity_checked",
                "火化前须核对逝者身份",
            ));
        }
        if !unidentified && !papers.cremation_confirmed {
            issues.push(FieldIssue::new(
                "papers.cremation_confirmed",
                "火化前须由家属签署遗体火化确认书",
            ));
        }
        if !unidentified && !papers.contact_checked {
            issues.push(FieldIssue::new(
                "papers.contact_checked",
                "火化前须核对丧事承办人的身份证件",
            ));
        }
    }
    issues
}

/// The change of a case's stage: forward only, and never past its end;
/// ashes kept at the home may later be taken home or buried.
pub fn check_stage_change(previous: CaseStage, next: CaseStage) -> Option<&'static str> {
    if previous == CaseStage::AshesDeposited
        && matches!(next, CaseStage::AshesCollected | CaseStage::Buried)
    {
        return None;
    }
    if previous.is_final() && next != previous {
        return Some("骨灰已安置，这一案件已办结，不能再更改环节");
    }
    if next < previous {
        return Some("办理环节只能向前，不能退回");
    }
    None
}

/// The characters of a 统一社会信用代码 (GB 32100-2015), by their value.
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Whether `code` is a 统一社会信用代码 with its check character right.
pub fn is_uscc(code: &str) -> bool {
    let values: Option<Vec<u32>> = code
        .chars()
        .map(|c| USCC_CHARS.find(c).and_then(|at| u32::try_from(at).ok()))
        .collect();
    let Some(values) = values else {
        return false;
    };
    let [body @ .., check] = values.as_slice() else {
        return false;
    };
    if body.len() != USCC_WEIGHTS.len() {
        return false;
    }
    let sum: u32 = body.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31 == *check
}

/// The number of a 《居民死亡医学证明》 of 2026 on (国卫规划发〔2026〕5号): the
/// deceased's document number (`deceased_doc`), or, for a deceased with no
/// document, the issuer's 统一社会信用代码 followed by a four-digit serial of
/// the year. Why it is not one, in Chinese; `None` when it is.
pub fn death_certificate_issue(number: &str, deceased_doc: Option<&str>) -> Option<&'static str> {
    let number = number.trim().to_ascii_uppercase();
    if number.is_empty() {
        return Some("请填写死亡证明编号");
    }
    match deceased_doc.map(|d| d.trim().to_ascii_uppercase()) {
        Some(doc) if !doc.is_empty() => {
            if number == doc {
                None
            } else {
                Some("死亡证明的编号应为逝者的证件号码")
            }
        }
        _ => {
            let (issuer, serial) = number.split_at(number.len().min(18));
            if number.chars().count() == 22
                && is_uscc(issuer)
                && serial.chars().all(|c| c.is_ascii_digit())
            {
                None
            } else {
                Some("无证件的逝者，死亡证明编号为开具机构的统一社会信用代码加 4 位年度流水号")
            }
        }
    }
}

/// The day the national 《居民死亡医学证明》 of 2026 began: a death from this
/// day on has a certificate numbered as [`death_certificate_issue`] says;
/// an earlier death's certificate has the number its issuer gave.
pub const NEW_DEATH_CERTIFICATE_FROM: chrono::NaiveDate =
    match chrono::NaiveDate::from_ymd_opt(2026, 7, 1) {
        Some(day) => day,
        None => chrono::NaiveDate::MIN,
    };

/// The number of the death certificate of a death on `died_on`: in the
/// 2026 form from [`NEW_DEATH_CERTIFICATE_FROM`] on, any number before.
pub fn death_certificate_rule(
    number: &str,
    deceased_doc: Option<&str>,
    died_on: chrono::NaiveDate,
) -> Option<&'static str> {
    if died_on >= NEW_DEATH_CERTIFICATE_FROM {
        death_certificate_issue(number, deceased_doc)
    } else if number.trim().is_empty() {
        Some("请填写死亡证明编号")
    } else {
        None
    }
}

/// The cause of death as the death data records it (正常 / 非正常死亡): a
/// death that is not natural is the police's to clear before cremation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CauseCategory {
    /// 正常死亡
    Natural,
    /// 非正常死亡
    Unnatural,
}

/// The life of a cremation certificate (火化证明) in the 2024 notice:
/// issued with a number, collected by the family (signed for), registered,
/// written off and kept for inspection; a certificate voided stays on
/// record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum CertificateState {
    /// 开具
    Issued,
    /// 领取
    Collected,
    /// 登记
    Registered,
    /// 核销
    WrittenOff,
    /// 作废: kept, auditable, its number never used again.
    Voided,
}

/// The change of a cremation certificate's state: forward along issued,
/// collected, registered, written off (a desk that worked offline sends
/// where it ended, so the platform may see more than one step at once; what
/// each step records, the collection, is checked on its own); voided only
/// before the family collects it; voided and written off are final.
pub fn check_certificate_change(
    previous: CertificateState,
    next: CertificateState,
) -> Option<&'static str> {
    use CertificateState as S;
    let allowed = match (previous, next) {
        (a, b) if a == b => true,
        (S::Issued, S::Voided) => true,
        (S::Voided, _) | (_, S::Voided) => false,
        (a, b) => a < b && a != S::WrittenOff,
    };
    if allowed {
        None
    } else if previous == S::Voided || previous == S::WrittenOff {
        Some("已作废或已核销的火化证明不能再更改")
    } else if next == S::Voided {
        Some("家属领取后的火化证明不能作废，遗失的只能补发给原领取人")
    } else {
        Some("火化证明依次经过开具、领取、登记、核销，不能跳过或退回")
    }
}

/// Who may have basic services waived (湖南 2013: 低保, 三无, 五保/特困, and
/// unidentified bodies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum WaiverGround {
    /// 城乡最低生活保障对象
    Dibao,
    /// 城市“三无”人员
    Sanwu,
    /// 农村五保 / 特困供养人员
    Tekun,
    /// 无名遗体
    Unidentified,
}

/// One item of a home's fee schedule (收费清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FeeItem {
    /// The item's code in the schedule, e.g. `cremation_flat`.
    pub code: String,
    pub name: String,
    /// The unit (次, 天, 个).
    pub unit: String,
    #[ts(type = "number")]
    pub unit_price_fen: Fen,
    /// One of the basic public services (基本殡葬服务), at a government price.
    pub basic: bool,
}

/// A waiver of the home's rules (imported per city): the items it covers
/// (a basic item and the upgrades it pays part of), how many units at most
/// and how much at most per body. An upgrade (a better furnace) pays only
/// the difference: the waiver covers what the basic item would have cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct WaiverRule {
    pub items: Vec<String>,
    pub max_units: Option<u32>,
    #[ts(type = "number | null")]
    pub cap_fen: Option<Fen>,
    /// Who it is for.
    pub grounds: Vec<WaiverGround>,
}

/// One line of a bill: the item, how many, its price, what is waived and
/// what the family pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct BillLine {
    pub code: String,
    pub name: String,
    pub quantity: u32,
    #[ts(type = "number")]
    pub unit_price_fen: Fen,
    #[ts(type = "number")]
    pub amount_fen: Fen,
    #[ts(type = "number")]
    pub waived_fen: Fen,
    #[ts(type = "number")]
    pub payable_fen: Fen,
}

/// A bill: its lines and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Bill {
    pub lines: Vec<BillLine>,
    #[ts(type = "number")]
    pub total_fen: Fen,
    #[ts(type = "number")]
    pub waived_fen: Fen,
    #[ts(type = "number")]
    pub payable_fen: Fen,
}

/// The bill of a case: `ordered` is (item code, quantity) in the order
/// taken; every code must be in `schedule` (nothing outside the list is
/// charged). `ground` and `waivers` give what is waived; a waiver's cap and
/// units are per body, over all the items it covers.
pub fn bill(
    schedule: &[FeeItem],
    ordered: &[(String, u32)],
    ground: Option<WaiverGround>,
    waivers: &[WaiverRule],
) -> Result<Bill, FieldIssue> {
    let mut lines = Vec::with_capacity(ordered.len());
    // What is left of each waiver for this body: units and fen.
    let mut left: Vec<(Option<u32>, Option<Fen>)> =
        waivers.iter().map(|w| (w.max_units, w.cap_fen)).collect();
    for (index, (code, quantity)) in ordered.iter().enumerate() {
        let Some(item) = schedule.iter().find(|i| &i.code == code) else {
            return Err(FieldIssue::new(
                format!("items[{index}].code"),
                format!("收费清单中没有 {code} 这一项：清单外的项目不能收费"),
            ));
        };
        if *quantity == 0 {
            return Err(FieldIssue::new(
                format!("items[{index}].quantity"),
                "数量至少为 1",
            ));
        }
        let amount = item
            .unit_price_fen
            .checked_mul(Fen::from(*quantity))
            .ok_or_else(|| FieldIssue::new(format!("items[{index}].quantity"), "金额超出范围"))?;
        let mut waived: Fen = 0;
        if let Some(ground) = ground {
            for (rule, (units_left, fen_left)) in waivers.iter().zip(left.iter_mut()) {
                if !rule.grounds.contains(&ground) || !rule.items.iter().any(|c| c == code) {
                    continue;
                }
                let units = units_left.map_or(*quantity, |u| u.min(*quantity));
                let mut covered = item
                    .unit_price_fen
                    .saturating_mul(Fen::from(units))
                    .min(amount - waived);
                if let Some(cap) = fen_left {
                    covered = covered.min(*cap);
                    *cap -= covered;
                }
                if let Some(u) = units_left {
                    *u -= units;
                }
                waived += covered;
            }
        }
        lines.push(BillLine {
            code: item.code.clone(),
            name: item.name.clone(),
            quantity: *quantity,
            unit_price_fen: item.unit_price_fen,
            amount_fen: amount,
            waived_fen: waived,
            payable_fen: amount - waived,
        });
    }
    let total_fen = lines.iter().map(|l| l.amount_fen).sum();
    let waived_fen = lines.iter().map(|l| l.waived_fen).sum();
    Ok(Bill {
        lines,
        total_fen,
        waived_fen,
        payable_fen: total_fen - waived_fen,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_case_moves_forward_and_ends_with_its_ashes() {
        use CaseStage as S;
        let cases = [
            (S::Called, S::Received, true),
            (S::Received, S::Cremated, true),
            (S::Stored, S::Stored, true),
            (S::Cremated, S::Stored, false),
            (S::Cremated, S::AshesDeposited, true),
            // Ashes kept at the home are later taken home or buried.
            (S::AshesDeposited, S::Buried, true),
            (S::AshesDeposited, S::AshesCollected, true),
            (S::AshesCollected, S::AshesDeposited, false),
            (S::Buried, S::AshesDeposited, false),
            (S::Buried, S::Buried, true),
        ];
        for (previous, next, ok) in cases {
            assert_eq!(
                check_stage_change(previous, next).is_none(),
                ok,
                "{previous:?} → {next:?}"
            );
        }
    }

    #[test]
    fn the_papers_come_before_collection_and_before_cremation() {
        let none = Papers::default();
        let fields = |stage, papers: &Papers, unidentified| -> Vec<String> {
            check_papers(stage, papers, unidentified)
                .into_iter()
                .map(|i| i.field)
                .collect()
        };
        assert!(fields(CaseStage::Called, &none, false).is_empty());
        assert_eq!(
            fields(CaseStage::Received, &none, false),
            ["papers.death_certificate_no"]
        );
        let certificate = Papers {
            death_certificate_no: Some("430102199001010011".into()),
            ..Papers::default()
        };
        assert!(fields(CaseStage::Farewell, &certificate, false).is_empty());
        assert_eq!(
            fields(CaseStage::Cremated, &certificate, false),
            [
                "papers.identity_checked",
                "papers.cremation_confirmed",
                "papers.contact_checked"
            ]
        );
        let all = Papers {
            identity_checked: true,
            cremation_confirmed: true,
            contact_checked: true,
            ..certificate
        };
        assert!(fields(CaseStage::Cremated, &all, false).is_empty());
        // 无名遗体: the police's paper stands in for the rest.
        assert_eq!(
            fields(CaseStage::Cremated, &none, true),
            ["papers.police_notice_no", "papers.death_certificate_no"]
        );
        let police = Papers {
            police_notice_no: Some("长公刑〔2026〕118号".into()),
            ..Papers::default()
        };
        assert!(fields(CaseStage::Cremated, &police, true).is_empty());
    }

    #[test]
    fn a_unified_social_credit_code_carries_its_check_character() {
        // 91350100M000100Y43 is the standard's own worked example.
        assert!(is_uscc("91350100M000100Y43"));
        assert!(!is_uscc("91350100M000100Y44"));
        assert!(!is_uscc("91350100M000100Y4"));
        assert!(!is_uscc("91350100M000100I43"));
    }

    #[test]
    fn the_death_certificate_number_is_the_document_or_the_issuer_and_a_serial() {
        let id = "430102199001010011";
        assert_eq!(death_certificate_issue(id, Some(id)), None);
        assert!(death_certificate_issue("430102199001010012", Some(id)).is_some());
        assert_eq!(
            death_certificate_issue("91350100M000100Y430007", None),
            None
        );
        assert!(death_certificate_issue("91350100M000100Y440007", None).is_some());
        assert!(death_certificate_issue("91350100M000100Y43007", None).is_some());
        assert!(death_certificate_issue("", None).is_some());
    }

    #[test]
    fn the_2026_number_holds_for_deaths_from_july_2026() {
        let id = "430102199001010011";
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Before the new certificate, the issuer's own number is taken as written.
        assert_eq!(
            death_certificate_rule("湘A2026-0012", Some(id), day(6, 30)),
            None
        );
        assert!(death_certificate_rule(" ", Some(id), day(6, 30)).is_some());
        // From 2026-07-01 on, the number is the document's.
        assert!(death_certificate_rule("湘A2026-0012", Some(id), day(7, 1)).is_some());
        assert_eq!(death_certificate_rule(id, Some(id), day(7, 1)), None);
    }

    #[test]
    fn a_cremation_certificate_goes_issued_collected_registered_written_off() {
        use CertificateState as S;
        let cases = [
            (S::Issued, S::Collected, true),
            (S::Collected, S::Registered, true),
            (S::Registered, S::WrittenOff, true),
            (S::Issued, S::Registered, true),
            (S::Registered, S::Collected, false),
            (S::Issued, S::Voided, true),
            (S::Collected, S::Voided, false),
            (S::Voided, S::Issued, false),
            (S::WrittenOff, S::Registered, false),
        ];
        for (previous, next, ok) in cases {
            assert_eq!(
                check_certificate_change(previous, next).is_none(),
                ok,
                "{previous:?} → {next:?}"
            );
        }
    }

    fn item(code: &str, price_yuan: i64, basic: bool) -> FeeItem {
        FeeItem {
            code: code.into(),
            name: code.into(),
            unit: "次".into(),
            unit_price_fen: price_yuan * 100,
            basic,
        }
    }

    #[test]
    fn basic_services_are_waived_within_their_units_and_caps() {
        let schedule = [
            item("collection", 300, true),
            item("cold_storage_day", 100, true),
            item("cremation_flat", 500, true),
            item("cremation_premium", 900, false),
            item("urn", 600, false),
            item("farewell_hall", 800, false),
        ];
        let all = vec![
            WaiverGround::Dibao,
            WaiverGround::Sanwu,
            WaiverGround::Tekun,
            WaiverGround::Unidentified,
        ];
        let waivers = [
            WaiverRule {
                items: vec!["collection".into()],
                max_units: Some(1),
                cap_fen: None,
                grounds: all.clone(),
            },
            WaiverRule {
                items: vec!["cold_storage_day".into()],
                max_units: Some(3),
                cap_fen: None,
                grounds: all.clone(),
            },
            // An upgraded furnace pays only the difference from the flat one.
            WaiverRule {
                items: vec!["cremation_flat".into(), "cremation_premium".into()],
                max_units: Some(1),
                cap_fen: Some(50_000),
                grounds: all.clone(),
            },
            WaiverRule {
                items: vec!["urn".into()],
                max_units: Some(1),
                cap_fen: Some(20_000),
                grounds: all,
            },
        ];
        let ordered: Vec<(String, u32)> = [
            ("collection", 1),
            ("cold_storage_day", 5),
            ("cremation_premium", 1),
            ("urn", 1),
            ("farewell_hall", 1),
        ]
        .iter()
        .map(|(c, q)| ((*c).to_owned(), *q))
        .collect();
        let waived = bill(&schedule, &ordered, Some(WaiverGround::Dibao), &waivers).unwrap();
        let by_line: Vec<(Fen, Fen)> = waived
            .lines
            .iter()
            .map(|l| (l.waived_fen, l.payable_fen))
            .collect();
        assert_eq!(
            by_line,
            [
                (30_000, 0),
                (30_000, 20_000),
                (50_000, 40_000),
                (20_000, 40_000),
                (0, 80_000)
            ]
        );
        assert_eq!(
            (waived.total_fen, waived.waived_fen, waived.payable_fen),
            (310_000, 130_000, 180_000)
        );

        let paid = bill(&schedule, &ordered, None, &waivers).unwrap();
        assert_eq!(paid.waived_fen, 0);
        assert_eq!(paid.payable_fen, 310_000);

        let outside = vec![("embalming".to_owned(), 1)];
        assert_eq!(
            bill(&schedule, &outside, None, &waivers).unwrap_err().field,
            "items[0].code"
        );
    }
}
