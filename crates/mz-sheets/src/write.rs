//! Writing tables to .xlsx: a bold header row, widths that fit the content,
//! real Excel dates, and ID numbers as text so Excel never turns them into
//! numbers that lose their last digits.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use crate::read::column_letter;

/// One worksheet to write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// At most 31 characters, none of `[ ] : * ? / \`.
    pub name: String,
    pub columns: Vec<Column>,
    /// Each row has one value per column (fewer are padded with empties).
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub header: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Column {
        Column {
            header: header.into(),
            kind,
        }
    }
}

/// How a column is shown. The kind sets the cell format; each value is
/// written as what it is, except in an `IdNumber` column, where everything is
/// written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    /// Text that looks like a number (ID numbers, phone numbers): stored as
    /// text in a column formatted as text.
    IdNumber,
    Integer,
    Number,
    /// Shown as 2026-03-05, stored as an Excel date.
    Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    Date(NaiveDate),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Integer(n)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<NaiveDate> for Value {
    fn from(date: NaiveDate) -> Value {
        Value::Date(date)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Empty, Into::into)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("没有要导出的工作表")]
    NoSheets,
    #[error("工作表名“{name}”不能用（最多 31 个字符，不能含 [ ] : * ? / \\，不能重名）")]
    SheetName {
        name: String,
        #[source]
        source: XlsxError,
    },
    #[error("工作表“{sheet}”第 {row} 行有 {found} 个值，多于表头的 {expected} 列")]
    RowWidth {
        sheet: String,
        row: u32,
        expected: usize,
        found: usize,
    },
    #[error("工作表“{sheet}”第 {row} 行 {column} 列的值写不进 Excel：{source}")]
    Cell {
        sheet: String,
        row: u32,
        column: String,
        #[source]
        source: XlsxError,
    },
    #[error("生成 .xlsx 失败：{0}")]
    Xlsx(#[source] XlsxError),
    #[error("无法写入 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

const DATE_FORMAT: &str = "yyyy-mm-dd";
const MIN_WIDTH: f64 = 8.0;
const MAX_WIDTH: f64 = 60.0;

/// Builds the .xlsx file in memory.
pub fn to_xlsx_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, ExportError> {
    if sheets.is_empty() {
        return Err(ExportError::NoSheets);
    }
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format(DATE_FORMAT);
    let text = Format::new().set_num_format("@");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet
            .set_name(&sheet.name)
            .map_err(|source| ExportError::SheetName {
                name: sheet.name.clone(),
                source,
            })?;
        for (col, column) in sheet.columns.iter().enumerate() {
            let c = col_num(col);
            let cell_error = |row: u32| {
                let sheet = sheet.name.clone();
                move |source| ExportError::Cell {
                    sheet,
                    row,
                    column: column_letter(u32::from(c)),
                    source,
                }
            };
            worksheet
                .write_string_with_format(0, c, &column.header, &bold)
                .map_err(cell_error(1))?;
            let width = sheet
                .rows
                .iter()
                .filter_map(|r| r.get(col))
                .map(display_width)
                .chain([display_width(&Value::Text(column.header.clone()))])
                .fold(0.0_f64, f64::max);
            let width = match column.kind {
                ColumnKind::Date => width.max(12.0),
                ColumnKind::IdNumber => width.max(20.0),
                _ => width,
            };
            worksheet
                .set_column_width(c, (width + 2.0).clamp(MIN_WIDTH, MAX_WIDTH))
                .map_err(cell_error(1))?;
            if column.kind == ColumnKind::IdNumber {
                // Text format on the column keeps numbers typed in later as text too.
                worksheet
                    .set_column_format(c, &text)
                    .map_err(cell_error(1))?;
            }
        }
        worksheet
            .set_freeze_panes(1, 0)
            .map_err(ExportError::Xlsx)?;
        for (index, values) in sheet.rows.iter().enumerate() {
            let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
            if values.len() > sheet.columns.len() {
                return Err(ExportError::RowWidth {
                    sheet: sheet.name.clone(),
                    row: row + 1,
                    expected: sheet.columns.len(),
                    found: values.len(),
                });
            }
            for (col, (value, column)) in values.iter().zip(&sheet.columns).enumerate() {
                let c = col_num(col);
                let written = match (column.kind, value) {
                    (_, Value::Empty) => continue,
                    (ColumnKind::IdNumber, Value::Integer(n)) => {
                        worksheet.write_string_with_format(row, c, n.to_string(), &text)
                    }
                    (ColumnKind::IdNumber, Value::Number(n)) => {
                        worksheet.write_string_with_format(row, c, n.to_string(), &text)
                    }
                    (ColumnKind::IdNumber, Value::Text(s)) => {
                        worksheet.write_string_with_format(row, c, s, &text)
                    }
                    (_, Value::Text(s)) => worksheet.write_string(row, c, s),
                    (_, Value::Integer(n)) => worksheet.write_number(row, c, *n as f64),
                    (_, Value::Number(n)) => worksheet.write_number(row, c, *n),
                    (_, Value::Date(d)) => excel_date(*d)
                        .and_then(|d| worksheet.write_datetime_with_format(row, c, d, &date)),
                };
                written.map_err(|source| ExportError::Cell {
                    sheet: sheet.name.clone(),
                    row: row + 1,
                    column: column_letter(u32::from(c)),
                    source,
                })?;
            }
        }
    }
    workbook.save_to_buffer().map_err(ExportError::Xlsx)
}

/// Writes the .xlsx file to `path`. The file is built in memory and written
/// to a temporary file beside `path`, then renamed over it: when anything
/// fails, `path` is left as it was.
pub fn write_xlsx(path: &Path, sheets: &[Sheet]) -> Result<(), ExportError> {
    let bytes = to_xlsx_bytes(sheets)?;
    let io_error = |source| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".mz-export-")
        .suffix(".xlsx.tmp")
        .tempfile_in(dir)
        .map_err(io_error)?;
    file.write_all(&bytes).map_err(io_error)?;
    file.as_file().sync_all().map_err(io_error)?;
    file.persist(path).map_err(|e| io_error(e.error))?;
    Ok(())
}

fn col_num(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year =
        u16::try_from(date.year()).map_err(|_| XlsxError::DateTimeRangeError(date.to_string()))?;
    // Month and day always fit in a u8.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// Width in Excel's character units: Chinese characters take two.
fn display_width(value: &Value) -> f64 {
    let chars = match value {
        Value::Empty => return 0.0,
        Value::Text(s) => s
            .chars()
            .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
            .sum::<usize>(),
        Value::Integer(n) => n.to_string().len(),
        Value::Number(n) => n.to_string().len(),
        Value::Date(_) => 10,
    };
    chars as f64
}
