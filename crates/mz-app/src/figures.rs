//! Figures as the window shows them — a chart's or a table's counts, by
//! office, by city, by month — written to an Excel workbook: each sheet
//! named, each column titled, whole numbers as numbers. The window passes
//! counts and the names of places and periods, never a person's data.

use chrono::{Datelike, Months, NaiveDate};
use mz_api::funeral::{FuneralFiguresQuery, HomeFigures};
use mz_api::marriage::{FiguresQuery, OfficeFigures};
use mz_api::office::figures::{DocumentFigures, DocumentFiguresQuery};
use mz_domain::{Action, Resource};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, AppResult, ClientApp};

/// The most months a dashboard spans: each is one question to the platform
/// per module.
pub const MAX_DASHBOARD_MONTHS: usize = 24;

/// One month's counts of the registration offices within reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MarriageMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub offices: Vec<OfficeFigures>,
}

/// One month's counts of the funeral homes within reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FuneralMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub homes: Vec<HomeFigures>,
}

/// The figures of 数据分析 the user's roles may read, month by month over
/// the range asked for: `None` for a module whose figures the roles do not
/// read (the platform would refuse them too). Counts only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    /// The months shown, `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    #[ts(optional)]
    pub marriage: Option<Vec<MarriageMonth>>,
    #[ts(optional)]
    pub funeral: Option<Vec<FuneralMonth>>,
    #[ts(optional)]
    pub documents: Option<DocumentFigures>,
}

/// The months from `from` to `to` (`YYYY-MM`), each with its first and last
/// day, or the issue with its field.
pub fn dashboard_months(from: &str, to: &str) -> AppResult<Vec<(String, NaiveDate, NaiveDate)>> {
    let month = |field: &str, text: &str| {
        NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 7)
            .ok_or_else(|| {
                AppError::Rules(vec![mz_domain::FieldIssue::new(
                    field,
                    "月份的格式为 2026-12",
                )])
            })
    };
    let (mut first, last) = (month("from", from)?, month("to", to)?);
    let mut months = Vec::new();
    while first <= last {
        if months.len() == MAX_DASHBOARD_MONTHS {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "to",
                format!("一次最多分析 {MAX_DASHBOARD_MONTHS} 个月"),
            )]));
        }
        let next = first.checked_add_months(Months::new(1)).ok_or_else(|| {
            AppError::Rules(vec![mz_domain::FieldIssue::new("to", "月份超出范围")])
        })?;
        let end = next.pred_opt().unwrap_or(first);
        months.push((
            format!("{:04}-{:02}", first.year(), first.month()),
            first,
            end,
        ));
        first = next;
    }
    if months.is_empty() {
        return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
            "from",
            "起始月份晚于截止月份",
        )]));
    }
    Ok(months)
}

impl ClientApp {
    /// One question to the platform per month, all asked at once (`ask`
    /// makes one from the client, the access token and the month's query),
    /// the answers in the months' order.
    async fn each_month<Q, T, F, Fut>(&self, queries: &[Q], ask: F) -> AppResult<Vec<T>>
    where
        Q: Clone,
        F: Fn(mz_client::PlatformClient, String, Q) -> Fut,
        Fut: std::future::Future<Output = Result<T, mz_client::ClientError>>,
    {
        self.authorized(|token| {
            futures_util::future::try_join_all(
                queries
                    .iter()
                    .map(|query| ask(self.client.clone(), token.clone(), query.clone())),
            )
        })
        .await
    }

    /// 数据分析: the figures the user's roles read, from the platform, for
    /// the months `from` to `to` (`2026-12`, at most
    /// [`MAX_DASHBOARD_MONTHS`]); each module's months are asked at once.
    /// Online only: figures across offices are the platform's.
    pub async fn dashboard(&self, from: &str, to: &str) -> AppResult<Dashboard> {
        let months = dashboard_months(from, to)?;
        let user = self.user()?.ok_or(AppError::SignedOut)?;
        let reads = |resource: Resource| {
            mz_domain::access::widest_scope(&user.roles, resource, Action::Read).is_some()
        };
        let marriage = if reads(Resource::MarriageFigures) {
            let ranges: Vec<FiguresQuery> = months
                .iter()
                .map(|(_, from, to)| FiguresQuery {
                    from: *from,
                    to: *to,
                })
                .collect();
            let offices = self
                .each_month(&ranges, |client, token, range| async move {
                    client.marriage_figures(&token, &range).await
                })
                .await?;
            Some(
                months
                    .iter()
                    .zip(offices)
                    .map(|((month, ..), offices)| MarriageMonth {
                        month: month.clone(),
                        offices,
                    })
                    .collect(),
            )
        } else {
            None
        };
        let funeral = if reads(Resource::FuneralFigures) {
            let ranges: Vec<FuneralFiguresQuery> = months
                .iter()
                .map(|(month, ..)| FuneralFiguresQuery {
                    from: month.clone(),
                    to: month.clone(),
                })
                .collect();
            let homes = self
                .each_month(&ranges, |client, token, range| async move {
                    client.funeral_figures(&token, &range).await
                })
                .await?;
            Some(
                months
                    .iter()
                    .zip(homes)
                    .map(|((month, ..), homes)| FuneralMonth {
                        month: month.clone(),
                        homes,
                    })
                    .collect(),
            )
        } else {
            None
        };
        let documents = if reads(Resource::OfficeFigures) {
            let query = DocumentFiguresQuery {
                from: from.to_owned(),
                to: to.to_owned(),
            };
            Some(
                self.authorized(|token| {
                    let client = self.client.clone();
                    let query = query.clone();
                    async move { client.office_figures(&token, &query).await }
                })
                .await?,
            )
        } else {
            None
        };
        Ok(Dashboard {
            months: months.into_iter().map(|(month, ..)| month).collect(),
            marriage,
            funeral,
            documents,
        })
    }
}

/// The most sheets, rows, columns and characters of a cell a workbook of
/// figures takes.
pub const MAX_SHEETS: usize = 10;
pub const MAX_ROWS: usize = 10_000;
pub const MAX_COLUMNS: usize = 50;
pub const MAX_CELL_CHARS: usize = 200;

/// One sheet of figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FigureSheet {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<FigureCell>>,
}

/// A cell: a count, or the name of what is counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum FigureCell {
    Count(i64),
    Text(String),
}

fn invalid(message: String) -> AppError {
    AppError::Rules(vec![mz_domain::FieldIssue::new("sheets", message)])
}

/// The sheets as an .xlsx workbook, each checked first: within the caps,
/// every row as long as its columns, a sheet name Excel takes. A column
/// whose every cell is a count is a column of numbers.
pub fn figures_xlsx(sheets: &[FigureSheet]) -> AppResult<Vec<u8>> {
    use mz_sheets::{Column, ColumnKind, Sheet, Value};
    if sheets.is_empty() || sheets.len() > MAX_SHEETS {
        return Err(invalid(format!("一个工作簿 1–{MAX_SHEETS} 张表")));
    }
    let mut out = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let name = sheet.name.trim();
        if name.is_empty()
            || name.chars().count() > 31
            || name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        {
            return Err(invalid(format!(
                "表名“{name}”不可用：1–31 字，不含 [ ] : * ? / \\"
            )));
        }
        if sheet.columns.is_empty() || sheet.columns.len() > MAX_COLUMNS {
            return Err(invalid(format!("表“{name}”应有 1–{MAX_COLUMNS} 列")));
        }
        if sheet.rows.len() > MAX_ROWS {
            return Err(invalid(format!("表“{name}”最多 {MAX_ROWS} 行")));
        }
        for (i, row) in sheet.rows.iter().enumerate() {
            if row.len() != sheet.columns.len() {
                return Err(invalid(format!(
                    "表“{name}”第 {} 行有 {} 格，应为 {} 格",
                    i + 1,
                    row.len(),
                    sheet.columns.len()
                )));
            }
        }
        let texts = sheet
            .columns
            .iter()
            .chain(sheet.rows.iter().flatten().filter_map(|c| match c {
                FigureCell::Text(t) => Some(t),
                FigureCell::Count(_) => None,
            }));
        if texts
            .into_iter()
            .any(|t| t.chars().count() > MAX_CELL_CHARS)
        {
            return Err(invalid(format!("表“{name}”有超过 {MAX_CELL_CHARS} 字的格")));
        }
        let counts = |c: usize| {
            sheet
                .rows
                .iter()
                .all(|r| matches!(r.get(c), Some(FigureCell::Count(_))))
        };
        out.push(Sheet {
            name: name.to_owned(),
            columns: sheet
                .columns
                .iter()
                .enumerate()
                .map(|(c, header)| {
                    let kind = if counts(c) {
                        ColumnKind::Integer
                    } else {
                        ColumnKind::Text
                    };
                    Column::new(header.trim(), kind)
                })
                .collect(),
            rows: sheet
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            FigureCell::Count(n) => Value::Integer(*n),
                            FigureCell::Text(t) => Value::Text(t.clone()),
                        })
                        .collect()
                })
                .collect(),
        });
    }
    Ok(mz_sheets::to_xlsx_bytes(&out)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn offices() -> FigureSheet {
        FigureSheet {
            name: "各登记处".to_owned(),
            columns: vec!["登记处".to_owned(), "结婚登记".to_owned()],
            rows: vec![
                vec![
                    FigureCell::Text("芙蓉区婚姻登记处".to_owned()),
                    FigureCell::Count(3),
                ],
                vec![FigureCell::Text("合计".to_owned()), FigureCell::Count(3)],
            ],
        }
    }

    #[test]
    fn figures_are_written_as_they_are_shown_counts_as_numbers() {
        use calamine::{Data, Reader};
        let bytes = figures_xlsx(&[offices()]).unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("各登记处").unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            rows[0],
            [
                Data::String("登记处".into()),
                Data::String("结婚登记".into())
            ]
        );
        assert_eq!(rows[1][0], Data::String("芙蓉区婚姻登记处".into()));
        assert!(matches!(rows[1][1], Data::Float(n) if n == 3.0) || rows[1][1] == Data::Int(3));
    }

    #[test]
    fn a_dashboard_spans_whole_months_within_its_cap() {
        let months = dashboard_months("2025-11", "2026-02").unwrap();
        let names: Vec<&str> = months.iter().map(|(m, ..)| m.as_str()).collect();
        assert_eq!(names, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(
            (months[3].1, months[3].2),
            (
                NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
            )
        );
        let field = |from: &str, to: &str| match dashboard_months(from, to) {
            Err(AppError::Rules(issues)) => (issues[0].field.clone(), issues[0].message.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(field("2026-3", "2026-04").0, "from");
        assert_eq!(field("2026-03", "2026-13").0, "to");
        assert_eq!(field("2026-04", "2026-03").0, "from");
        let (at, message) = field("2024-01", "2026-01");
        assert_eq!(at, "to");
        assert!(message.contains("24"), "{message}");
        assert_eq!(dashboard_months("2024-02", "2026-01").unwrap().len(), 24);
    }

    #[test]
    fn a_workbook_out_of_shape_is_refused_with_where() {
        let message = |sheets: &[FigureSheet]| match figures_xlsx(sheets) {
            Err(AppError::Rules(issues)) => issues[0].message.clone(),
            other => panic!("{other:?}"),
        };
        assert!(message(&[]).contains("1–10"));
        let mut ragged = offices();
        ragged.rows[1].pop();
        assert!(message(&[ragged]).contains("第 2 行"));
        let mut bad_name = offices();
        bad_name.name = "各市/州".to_owned();
        assert!(message(&[bad_name]).contains("表名"));
        let mut long = offices();
        long.rows[0][0] = FigureCell::Text("长".repeat(MAX_CELL_CHARS + 1));
        assert!(message(&[long]).contains("字的格"));
        let mut many = offices();
        many.rows = vec![many.rows[1].clone(); MAX_ROWS + 1];
        assert!(message(&[many]).contains("最多"));
    }
}
