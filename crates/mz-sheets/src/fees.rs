//! A funeral home's fee schedule (收费清单) as it keeps it in Excel: one row
//! per item, with its code, name, unit, unit price in 元 and whether it is a
//! basic public service (基本殡葬服务). Every bad cell is reported with its
//! row, column and reason; a schedule with any bad row is not taken at all
//! ([`FeeScheduleReport::into_items`]): nothing is imported half.

use std::collections::HashMap;

use mz_domain::funeral::{FeeItem, WaiverGround, WaiverRule};

use crate::read::{Headers, ImportError, Problem, RowError, TableRow, Workbook, keep};

/// What a fee schedule file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeScheduleReport {
    pub items: Vec<FeeItem>,
    pub errors: Vec<RowError>,
    pub skipped_blank: usize,
}

impl FeeScheduleReport {
    /// The items, only when every row read: a schedule is taken whole or not at all.
    pub fn into_items(self) -> Result<Vec<FeeItem>, Vec<RowError>> {
        if self.errors.is_empty() {
            Ok(self.items)
        } else {
            Err(self.errors)
        }
    }
}

struct Columns {
    headers: Headers,
    code: crate::read::ColumnId,
    name: crate::read::ColumnId,
    unit: crate::read::ColumnId,
    price: crate::read::ColumnId,
    class: crate::read::ColumnId,
}

impl Columns {
    fn new() -> Columns {
        let mut headers = Headers::new();
        Columns {
            code: headers.required(&["项目编码", "编码", "项目代码", "代码"]),
            name: headers.required(&["项目名称", "名称", "服务项目"]),
            unit: headers.required(&["计价单位", "单位"]),
            price: headers.required(&["单价（元）", "单价(元)", "单价", "价格", "收费标准"]),
            class: headers.required(&["服务类别", "类别", "是否基本服务"]),
            headers,
        }
    }
}

/// The cell of an item that a rule from outside the file refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeField {
    Code,
    Price,
    Class,
}

/// Reads the fee schedule on `sheet` (or the first visible one).
pub fn read_fee_schedule(
    workbook: &mut Workbook,
    sheet: Option<&str>,
) -> Result<FeeScheduleReport, ImportError> {
    read_fee_schedule_within(workbook, sheet, &|_| Vec::new())
}

/// Reads the fee schedule, each item that reads also checked by `check`
/// (the standard over the home: an item off the official list, or dearer
/// than it): what it refuses is an error of that row and cell.
pub fn read_fee_schedule_within(
    workbook: &mut Workbook,
    sheet: Option<&str>,
    check: &dyn Fn(&FeeItem) -> Vec<(FeeField, String)>,
) -> Result<FeeScheduleReport, ImportError> {
    let columns = Columns::new();
    let table = workbook.table(sheet, &columns.headers)?;
    let mut report = FeeScheduleReport::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in table.rows() {
        if row.is_blank() {
            report.skipped_blank += 1;
            continue;
        }
        let mut errors = Vec::new();
        if let Some(item) = read_row(&row, &columns, &mut errors) {
            let refused = check(&item);
            if let Some(&first) = seen.get(&item.code) {
                errors.push(row.error(columns.code, Problem::DuplicateCode(first)));
            } else if !refused.is_empty() {
                for (field, reason) in refused {
                    let column = match field {
                        FeeField::Code => columns.code,
                        FeeField::Price => columns.price,
                        FeeField::Class => columns.class,
                    };
                    errors.push(row.error(column, Problem::Standard(reason)));
                }
            } else {
                seen.insert(item.code.clone(), row.number());
                report.items.push(item);
            }
        }
        report.errors.append(&mut errors);
    }
    Ok(report)
}

fn read_row(row: &TableRow<'_>, columns: &Columns, errors: &mut Vec<RowError>) -> Option<FeeItem> {
    let code = keep(errors, row.text(columns.code));
    let name = keep(errors, row.text(columns.name));
    let unit = keep(errors, row.text(columns.unit));
    let price = keep(errors, row.amount_fen(columns.price));
    let class = keep(
        errors,
        row.text(columns.class)
            .and_then(|text| match text.as_str() {
                "基本" | "基本服务" | "基本殡葬服务" | "是" => Ok(true),
                "非基本" | "非基本服务" | "选择性服务" | "否" => Ok(false),
                _ => Err(row.error(columns.class, Problem::ServiceClass(text))),
            }),
    );
    Some(FeeItem {
        code: code?,
        name: name?,
        unit: unit?,
        unit_price_fen: price?,
        basic: class?,
    })
}

/// What a waiver file holds: the rules, and every bad cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaiverReport {
    pub rules: Vec<WaiverRule>,
    pub errors: Vec<RowError>,
    pub skipped_blank: usize,
}

impl WaiverReport {
    /// The rules, only when every row read: taken whole or not at all.
    pub fn into_rules(self) -> Result<Vec<WaiverRule>, Vec<RowError>> {
        if self.errors.is_empty() {
            Ok(self.rules)
        } else {
            Err(self.errors)
        }
    }
}

/// Reads a home's waiver rules (惠民殡葬减免): one row per rule, naming who
/// it is for (低保、特困、三无、无名遗体, several separated by 、 or commas),
/// the items of `schedule` it covers, and at most how many units and how
/// much per body. An item not in the schedule is an error of its cell.
pub fn read_waivers(
    workbook: &mut Workbook,
    sheet: Option<&str>,
    schedule: &[FeeItem],
) -> Result<WaiverReport, ImportError> {
    let mut headers = Headers::new();
    let grounds = headers.required(&["减免对象", "适用对象", "对象"]);
    let items = headers.required(&["减免项目编码", "项目编码", "减免项目"]);
    let units = headers.optional(&["最多数量", "数量上限"]);
    let cap = headers.optional(&["每具限额（元）", "每具限额(元)", "限额（元）", "限额"]);
    let table = workbook.table(sheet, &headers)?;
    let mut report = WaiverReport::default();
    let split = |text: &str| -> Vec<String> {
        text.split(['、', ',', '，', ' ', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    for row in table.rows() {
        if row.is_blank() {
            report.skipped_blank += 1;
            continue;
        }
        let mut errors = Vec::new();
        let read_grounds = row.text(grounds).and_then(|text| {
            split(&text)
                .into_iter()
                .map(|g| match g.as_str() {
                    "低保" | "低保对象" => Ok(WaiverGround::Dibao),
                    "特困" | "五保" | "特困供养" => Ok(WaiverGround::Tekun),
                    "三无" | "三无人员" => Ok(WaiverGround::Sanwu),
                    "无名遗体" | "无名尸体" => Ok(WaiverGround::Unidentified),
                    _ => Err(row.error(grounds, Problem::WaiverGround(g))),
                })
                .collect::<Result<Vec<_>, _>>()
        });
        let read_items = row.text(items).and_then(|text| {
            split(&text)
                .into_iter()
                .map(|code| {
                    if schedule.iter().any(|i| i.code == code) {
                        Ok(code)
                    } else {
                        Err(row.error(items, Problem::UnknownItem(code)))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
        });
        let read_units = row.optional_integer(units).and_then(|n| {
            n.map(|n| {
                u32::try_from(n).map_err(|_| row.error(units, Problem::NotAnInteger(n.to_string())))
            })
            .transpose()
        });
        let read_cap = if row.has_value(cap) {
            row.amount_fen(cap).map(Some)
        } else {
            Ok(None)
        };
        match (read_grounds, read_items, read_units, read_cap) {
            (Ok(grounds), Ok(items), Ok(max_units), Ok(cap_fen)) => report.rules.push(WaiverRule {
                items,
                max_units,
                cap_fen,
                grounds,
            }),
            // Every bad cell of the row, each with its column.
            (g, i, u, c) => {
                errors.extend([g.err(), i.err(), u.err(), c.err()].into_iter().flatten())
            }
        }
        report.errors.append(&mut errors);
    }
    Ok(report)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::read::parse_fen;

    #[test]
    fn amounts_are_read_into_fen_exactly() {
        let cases: &[(&str, Result<i64, Problem>)] = &[
            ("300", Ok(30_000)),
            ("300.5", Ok(30_050)),
            ("300.50", Ok(30_050)),
            ("0.1", Ok(10)),
            ("￥1,200.00", Ok(120_000)),
            ("200元", Ok(20_000)),
            ("-5", Err(Problem::NegativeAmount)),
            ("3.005", Err(Problem::BeyondFen("3.005".into()))),
            ("三百元", Err(Problem::NotAnAmount("三百元".into()))),
            ("1e3", Err(Problem::NotAnAmount("1e3".into()))),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse_fen(text), expected, "{text}");
        }
    }
}
