//! Reports made once and written two ways: as an Excel workbook for the
//! finance office and as a PDF table (mz-print's [`mz_print::table`]) to
//! print and sign. The columns say how each is shown in both; a column
//! only the workbook needs (money in fen beside 元) has no print width.

use mz_print::forms::Align;
use mz_sheets::{Column, ColumnKind, Sheet, Value};

use crate::{AppError, AppResult};

/// One column: its header, its kind in the workbook, and its share of the
/// printed width (none: the workbook only).
pub(crate) struct ReportColumn {
    pub header: &'static str,
    pub kind: ColumnKind,
    pub print: Option<(f32, Align)>,
}

impl ReportColumn {
    pub fn new(header: &'static str, kind: ColumnKind, weight: f32) -> Self {
        let align = match kind {
            ColumnKind::Integer => Align::Right,
            _ => Align::Left,
        };
        ReportColumn {
            header,
            kind,
            print: Some((weight, align)),
        }
    }

    /// Money in 元, right-aligned.
    pub fn money(header: &'static str, weight: f32) -> Self {
        ReportColumn {
            header,
            kind: ColumnKind::Text,
            print: Some((weight, Align::Right)),
        }
    }

    /// A column of the workbook only.
    pub fn sheet_only(header: &'static str, kind: ColumnKind) -> Self {
        ReportColumn {
            header,
            kind,
            print: None,
        }
    }
}

/// A report: the title, the lines under it, the columns, the rows (totals
/// marked) and the lines after it.
pub(crate) struct Report {
    pub title: String,
    pub subtitle: Vec<String>,
    pub sheet: String,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<(Vec<Value>, bool)>,
    pub footer: Vec<String>,
    pub landscape: bool,
}

impl Report {
    /// The workbook: one sheet, the header row, then the rows.
    pub fn xlsx(self) -> AppResult<Vec<u8>> {
        let sheet = Sheet {
            name: self.sheet,
            columns: self
                .columns
                .iter()
                .map(|c| Column::new(c.header, c.kind))
                .collect(),
            rows: self.rows.into_iter().map(|(cells, _)| cells).collect(),
        };
        Ok(mz_sheets::to_xlsx_bytes(&[sheet])?)
    }

    /// The PDF and its pages as SVG for the preview.
    pub fn pdf(&self) -> AppResult<(Vec<u8>, Vec<String>)> {
        let printed: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.print.map(|_| i))
            .collect();
        let table = mz_print::Table {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            landscape: self.landscape,
            columns: self
                .columns
                .iter()
                .filter_map(|c| {
                    c.print.map(|(weight, align)| mz_print::TableColumn {
                        header: c.header.to_owned(),
                        weight,
                        align,
                    })
                })
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|(cells, total)| mz_print::TableRow {
                    cells: printed
                        .iter()
                        .map(|&i| cells.get(i).map(shown).unwrap_or_default())
                        .collect(),
                    strong: *total,
                })
                .collect(),
            footer: self.footer.clone(),
        };
        let fonts = mz_print::system_fonts();
        let layout = mz_print::layout_table(&table, fonts).map_err(AppError::from)?;
        let pdf = mz_print::render_pdf(&layout, fonts).map_err(AppError::from)?;
        Ok((
            pdf,
            layout.pages.iter().map(mz_print::svg::page_svg).collect(),
        ))
    }
}

/// A cell as printed.
fn shown(value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text.clone(),
        Value::Integer(n) => n.to_string(),
        Value::Number(x) => x.to_string(),
        Value::Date(day) => day.to_string(),
    }
}
