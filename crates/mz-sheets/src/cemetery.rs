//! A cemetery's plots as a home keeps them in Excel: one row per plot, with
//! its section (and the section's name), row, number, how many it takes,
//! its price and its yearly management fee in 元. Every bad cell is
//! reported with its row, column and reason, a plot given twice names the
//! row it first appeared on; a file with any bad row is not taken at all.

use std::collections::HashMap;

use crate::read::{Headers, ImportError, Problem, RowError, Workbook};

/// One plot as its row gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotRow {
    pub section: String,
    pub section_name: String,
    pub row: String,
    pub number: String,
    pub capacity: u8,
    pub price_fen: i64,
    pub fee_per_year_fen: i64,
}

/// What a plot file holds: the plots in file order, and every bad cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlotReport {
    pub plots: Vec<PlotRow>,
    pub errors: Vec<RowError>,
    pub skipped_blank: usize,
}

/// Reads the plots on `sheet` (or the first visible one).
pub fn read_plots(workbook: &mut Workbook, sheet: Option<&str>) -> Result<PlotReport, ImportError> {
    let mut headers = Headers::new();
    let section = headers.required(&["墓区", "墓区编号", "区"]);
    let section_name = headers.optional(&["墓区名称", "区名"]);
    let row_col = headers.required(&["排", "排号", "行"]);
    let number = headers.required(&["墓位号", "墓号", "号"]);
    let capacity = headers.required(&["穴数", "穴位数"]);
    let price = headers.required(&["价格（元）", "价格(元)", "墓位价格", "价格"]);
    let fee = headers.required(&["管理费（元/年）", "管理费(元/年)", "年管理费", "管理费"]);
    let table = workbook.table(sheet, &headers)?;
    let mut report = PlotReport::default();
    let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
    for row in table.rows() {
        if row.is_blank() {
            report.skipped_blank += 1;
            continue;
        }
        let code = |id| {
            row.text(id).and_then(|text| {
                let text = text.trim().to_owned();
                if text.contains('-') || text.chars().count() > 8 {
                    Err(row.error(id, Problem::PlotCode(text)))
                } else {
                    Ok(text)
                }
            })
        };
        let read_capacity = row.integer(capacity).and_then(|n| {
            u8::try_from(n)
                .ok()
                .filter(|n| (1..=4).contains(n))
                .ok_or_else(|| row.error(capacity, Problem::Capacity(n)))
        });
        let cells = (
            code(section),
            row.optional_text(section_name),
            code(row_col),
            code(number),
            read_capacity,
            row.amount_fen(price),
            row.amount_fen(fee),
        );
        match cells {
            (Ok(s), Ok(name), Ok(r), Ok(n), Ok(capacity), Ok(price_fen), Ok(fee_per_year_fen)) => {
                let key = (s.clone(), r.clone(), n.clone());
                if let Some(&first) = seen.get(&key) {
                    report
                        .errors
                        .push(row.error(number, Problem::DuplicateCode(first)));
                    continue;
                }
                seen.insert(key, row.number());
                report.plots.push(PlotRow {
                    section: s,
                    section_name: name.unwrap_or_default(),
                    row: r,
                    number: n,
                    capacity,
                    price_fen,
                    fee_per_year_fen,
                });
            }
            (s, name, r, n, c, p, f) => report.errors.extend(
                [
                    s.err(),
                    name.err(),
                    r.err(),
                    n.err(),
                    c.err(),
                    p.err(),
                    f.err(),
                ]
                .into_iter()
                .flatten(),
            ),
        }
    }
    Ok(report)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::{Column, ColumnKind, Sheet, Value, to_xlsx_bytes};

    fn workbook(rows: Vec<Vec<Value>>) -> Workbook {
        let sheet = Sheet {
            name: "墓位".to_owned(),
            columns: [
                "墓区",
                "墓区名称",
                "排",
                "墓位号",
                "穴数",
                "价格（元）",
                "管理费（元/年）",
            ]
            .into_iter()
            .map(|h| Column::new(h, ColumnKind::Text))
            .collect(),
            rows,
        };
        Workbook::from_bytes(to_xlsx_bytes(&[sheet]).unwrap()).unwrap()
    }

    fn row(number: &str, capacity: i64, price: Value) -> Vec<Value> {
        vec![
            Value::Text("A".into()),
            Value::Text("福区".into()),
            Value::Text("01".into()),
            Value::Text(number.into()),
            Value::Integer(capacity),
            price,
            Value::Integer(100),
        ]
    }

    #[test]
    fn every_bad_cell_is_named_and_a_plot_given_twice_points_to_its_first_row() {
        let mut book = workbook(vec![
            row("01", 2, Value::Integer(30000)),
            row("01", 1, Value::Integer(30000)),
            row("02", 5, Value::Text("三万".into())),
            row("03", 1, Value::Integer(28000)),
        ]);
        let report = read_plots(&mut book, None).unwrap();
        assert_eq!(report.plots.len(), 2);
        assert_eq!(report.plots[0].price_fen, 3_000_000);
        let cells: Vec<(u32, Option<String>)> = report
            .errors
            .iter()
            .map(|e| (e.row, e.column.clone()))
            .collect();
        assert_eq!(
            cells,
            [
                (3, Some("D".to_owned())),
                (4, Some("E".to_owned())),
                (4, Some("F".to_owned()))
            ]
        );
        assert!(
            report.errors[0].reason.contains("第 2 行"),
            "{:?}",
            report.errors
        );
    }
}
