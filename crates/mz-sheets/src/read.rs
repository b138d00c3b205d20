//! Reading one worksheet of an .xlsx or .xls workbook as a table whose
//! columns are found by their header names.
//!
//! Files come from other systems and from clerks' own hands, so nothing about
//! their layout is trusted: the kind of file is told from its first bytes (an
//! "xls" that is really a web page is common), the header row may sit below a
//! title, headers carry stray spaces, and a column may be dates in one file and
//! text in the next. Every cell that cannot be read becomes a [`RowError`]
//! naming the row and column as Excel shows them; the caller keeps the rows
//! that read cleanly.

use std::fmt;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Dimensions, Range, Reader, SheetType, SheetVisible, Xls, Xlsx};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::limits::{self, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};

/// How many rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// Excel keeps 15 significant digits of a number; longer digit strings typed
/// into a number cell lose their tail.
const EXACT_DIGITS: f64 = 1e15;

/// The two workbook formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Office Open XML (Excel 2007 and later, WPS, LibreOffice).
    Xlsx,
    /// The binary BIFF8 format of Excel 97-2003.
    Xls,
}

/// What a file that is not a workbook turned out to be, as far as its first
/// bytes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKind {
    /// An HTML table saved with an .xls name, as many web systems export.
    Html,
    /// XML, such as the Excel 2003 "XML spreadsheet".
    Xml,
    /// An OpenDocument spreadsheet (.ods).
    Ods,
    Pdf,
    /// Plain text, most likely CSV.
    Text,
    Other,
}

impl fmt::Display for ForeignKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ForeignKind::Html => "网页（HTML）表格",
            ForeignKind::Xml => "XML 文件（如 Excel 2003 XML 表格）",
            ForeignKind::Ods => "OpenDocument 表格（.ods）",
            ForeignKind::Pdf => "PDF 文件",
            ForeignKind::Text => "纯文本文件（可能是 CSV）",
            ForeignKind::Other => "其他类型的文件",
        })
    }
}

/// Why a file could not be opened as a table at all (as opposed to a bad
/// cell, which is a [`RowError`] and leaves the other rows usable).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("文件是空的，不是 Excel 工作簿")]
    EmptyFile,
    /// Larger than [`MAX_FILE_BYTES`]; `bytes` is the file's size.
    #[error(
        "文件有 {} MB，超过导入上限 {} MB；请只导出需要的日期范围，或分成几个文件导入",
        megabytes(*.bytes),
        MAX_FILE_BYTES / MEGABYTE
    )]
    FileTooLarge { bytes: u64 },
    /// A cell, or the area the sheet declares, reaches past [`MAX_ROWS`];
    /// `row` is the row as Excel numbers it.
    #[error(
        "工作表“{sheet}”用到了第 {row} 行，超过导入上限 {MAX_ROWS} 行；请删去表格下方多余的行，或分成几个文件导入"
    )]
    TooManyRows { sheet: String, row: u64 },
    /// A cell, or the area the sheet declares, reaches past [`MAX_COLUMNS`];
    /// `column` is its letter.
    #[error(
        "工作表“{sheet}”用到了 {column} 列，超过导入上限 {MAX_COLUMNS} 列（A 到 {} 列）；请删去右侧多余的列后再导入",
        column_letter(MAX_COLUMNS - 1)
    )]
    TooManyColumns { sheet: String, column: String },
    #[error(
        "文件不是 Excel 工作簿（.xlsx 或 .xls），而是{0}；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
    )]
    NotAWorkbook(ForeignKind),
    #[error("文件有密码保护，请去掉密码后再导入")]
    Encrypted,
    #[error("无法读取 .xlsx 工作簿，文件可能已损坏，或不是 Excel 文件")]
    Xlsx(#[source] calamine::XlsxError),
    #[error("无法读取 .xls 工作簿，文件可能已损坏")]
    Xls(#[source] calamine::XlsError),
    #[error("工作簿中没有工作表")]
    NoSheet,
    #[error("工作簿中没有名为“{name}”的工作表（现有：{}）", .available.join("、"))]
    NoSuchSheet {
        name: String,
        available: Vec<String>,
    },
    #[error("工作表“{sheet}”的前 {HEADER_SEARCH_ROWS} 行中找不到表头（应有 {} 等列）", .expected.join("、"))]
    NoHeaderRow {
        sheet: String,
        expected: Vec<String>,
    },
    #[error("表头（第 {row} 行）缺少必需的列：{}", .missing.join("、"))]
    MissingColumns { row: u32, missing: Vec<String> },
}

/// What is wrong with one cell, in words a clerk can act on. The serialised
/// form carries a stable `code` for the UI to branch on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum Problem {
    #[error("不能为空")]
    Missing,
    #[error(
        "身份证号码存成了数字：Excel 的数字只保留 15 位有效数字，18 位号码的末几位可能已经丢失（末位 X 也存不下）；请把该列设为“文本”格式，重新填写号码后再导入"
    )]
    IdStoredAsNumber,
    #[error("“{0}”不是日期，请写作 2026-03-05、2026/3/5、2026年3月5日 或 20260305")]
    NotADate(String),
    #[error("“{0}”不是真实的日期")]
    ImpossibleDate(String),
    #[error("“{0}”不是整数")]
    NotAnInteger(String),
    #[error("“{0}”应为文字")]
    NotText(String),
    #[error("单元格是公式错误 {0}")]
    FormulaError(String),
    /// A name refused by `mz_domain::identity::normalise_name`.
    #[error("{0}")]
    Name(String),
    /// An ID number refused by `mz_domain::identity::IdNumber::parse`.
    #[error("{0}")]
    IdNumber(String),
    #[error("“{0}”不是预约时段，请写作 09:00-09:30")]
    TimeSlot(String),
    #[error("“{0}”不是可预约的业务，应为 结婚登记、离婚登记、补领结婚证 或 补领离婚证")]
    BusinessKind(String),
    #[error("“{0}”不是电话号码（手机 11 位，座机如 0731-84123456）")]
    Phone(String),
    #[error("双方的身份证号码相同")]
    SamePerson,
    #[error("与第 {0} 行重复（同一预约日期、同一身份证号码）")]
    Duplicate(u32),
    #[error("“{0}”不是金额，请写作 300 或 300.50（元）")]
    NotAnAmount(String),
    #[error("金额不能为负数")]
    NegativeAmount,
    #[error("“{0}”精确到分以下：金额最多两位小数")]
    BeyondFen(String),
    #[error("“{0}”不是服务类别，应为 基本 或 非基本")]
    ServiceClass(String),
    #[error("与第 {0} 行的项目编码重复")]
    DuplicateCode(u32),
    #[error("“{0}”不是墓区、排或墓位编号：最多 8 个字符，不含“-”")]
    PlotCode(String),
    #[error("穴数 {0} 应为 1 至 4")]
    Capacity(i64),
    /// Refused by the fee standard over the home (its reason as it is).
    #[error("{0}")]
    Standard(String),
    #[error("收费清单中没有项目“{0}”")]
    UnknownItem(String),
    #[error("“{0}”不是减免对象，应为 低保、特困、三无 或 无名遗体")]
    WaiverGround(String),
    #[error("“{0}”不是时间：请写 9:00、9:00-11:30、上午、下午、晚上或全天")]
    NotATime(String),
    #[error("“{0}”的结束时间不晚于开始时间")]
    EndNotAfterStart(String),
    /// A date written with a weekday that is not the date's: which of the
    /// two the clerk meant cannot be told. `date` is the date as read, its
    /// weekday is named in the message.
    #[error("“{written}”写的星期与日期不符：{date} 是{}", weekday_name(.date.weekday()))]
    WrongWeekday { written: String, date: NaiveDate },
}

/// A weekday as a Chinese calendar names it.
fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// One bad cell: the row as Excel numbers it (1-based), the column letter
/// (`None` when an optional column is absent from the file), the header as
/// written in the file, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u32,
    pub column: Option<String>,
    pub header: String,
    pub problem: Problem,
    /// `problem` in words, for showing as it is.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(
                f,
                "第 {} 行 {} 列（{}）：{}",
                self.row, column, self.header, self.reason
            ),
            None => write!(f, "第 {} 行（{}）：{}", self.row, self.header, self.reason),
        }
    }
}

impl std::error::Error for RowError {}

/// A column the caller expects, returned by [`Headers::required`] and
/// [`Headers::optional`] and used to read that column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColumnId(usize);

#[derive(Debug, Clone)]
struct HeaderSpec {
    /// The first name is the one shown in messages.
    names: Vec<String>,
    normalised: Vec<String>,
    required: bool,
}

/// The columns a table must or may have, each with the names it goes by.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    specs: Vec<HeaderSpec>,
}

impl Headers {
    pub fn new() -> Headers {
        Headers::default()
    }

    /// A column the file must have; `names` are its header and aliases, the
    /// first being the one named in messages.
    pub fn required<S: AsRef<str>>(&mut self, names: &[S]) -> ColumnId {
        self.push(names, true)
    }

    /// A column the file may lack; reading it then gives nothing.
    pub fn optional<S: AsRef<str>>(&mut self, names: &[S]) -> ColumnId {
        self.push(names, false)
    }

    fn push<S: AsRef<str>>(&mut self, names: &[S], required: bool) -> ColumnId {
        let names: Vec<String> = names.iter().map(|n| n.as_ref().to_owned()).collect();
        let normalised = names.iter().map(|n| normalise_header(n)).collect();
        self.specs.push(HeaderSpec {
            names,
            normalised,
            required,
        });
        ColumnId(self.specs.len() - 1)
    }

    fn display_name(&self, id: ColumnId) -> String {
        self.specs
            .get(id.0)
            .and_then(|s| s.names.first())
            .cloned()
            .unwrap_or_default()
    }
}

/// Header text compared without spaces of any width, without the `*` or `＊`
/// that marks a required column in many templates, and without case.
pub fn normalise_header(text: &str) -> String {
    halfwidth(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && !is_invisible(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// An opened workbook, read fully into memory: at most [`MAX_FILE_BYTES`],
/// and no sheet past [`MAX_ROWS`] or [`MAX_COLUMNS`] (see the limits'
/// documentation for why these).
pub struct Workbook {
    book: Book,
}

enum Book {
    Xlsx(Xlsx<Cursor<Vec<u8>>>),
    Xls(Xls<Cursor<Vec<u8>>>),
}

impl fmt::Debug for Workbook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workbook")
            .field("format", &self.format())
            .field("sheets", &self.sheet_names())
            .finish()
    }
}

impl Workbook {
    /// Opens the file at `path`. Its kind is told from its content, not its
    /// name: an .xlsx renamed .xls still opens, a web page named .xls is
    /// refused with a message saying so. A file larger than
    /// [`MAX_FILE_BYTES`] is refused before it is read.
    pub fn open(path: &Path) -> Result<Workbook, ImportError> {
        let io = |source| ImportError::Io {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        limits::check_file_size(file.metadata().map_err(io)?.len())?;
        // The size read is bounded too: the file may grow after the check, or
        // be a device that reports no size.
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        Workbook::from_bytes(bytes)
    }

    /// Opens a workbook held in memory. Every sheet of an .xls is checked
    /// against the limits here (calamine reads them all on opening); a sheet
    /// of an .xlsx when [`Workbook::table`] reads it.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Workbook, ImportError> {
        limits::check_file_size(bytes.len() as u64)?;
        match sniff(&bytes)? {
            FileFormat::Xlsx => {
                let book = Xlsx::new(Cursor::new(bytes)).map_err(ImportError::Xlsx)?;
                Ok(Workbook {
                    book: Book::Xlsx(book),
                })
            }
            FileFormat::Xls => {
                // A password-protected .xlsx is an OLE container too, holding
                // the encrypted package instead of a workbook stream.
                if contains_utf16(&bytes, "EncryptedPackage") {
                    return Err(ImportError::Encrypted);
                }
                let checked = limits::checked_xls(&bytes)?;
                let book = Xls::new(Cursor::new(checked)).map_err(|e| match e {
                    calamine::XlsError::Password => ImportError::Encrypted,
                    other => ImportError::Xls(other),
                })?;
                Ok(Workbook {
                    book: Book::Xls(book),
                })
            }
        }
    }

    pub fn format(&self) -> FileFormat {
        match self.book {
            Book::Xlsx(_) => FileFormat::Xlsx,
            Book::Xls(_) => FileFormat::Xls,
        }
    }

    /// Worksheet names in workbook order, hidden ones included.
    pub fn sheet_names(&self) -> Vec<String> {
        match &self.book {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
        }
    }

    /// The first visible worksheet, or the first sheet of any kind if none is.
    fn first_sheet(&self) -> Option<String> {
        let sheets = match &self.book {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
        };
        sheets
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .or_else(|| sheets.first())
            .map(|s| s.name.clone())
    }

    /// Reads a worksheet (`sheet`, or the first visible one) as a table with
    /// the columns in `headers`. The header row is the first of the top
    /// [`HEADER_SEARCH_ROWS`] rows that names at least two of the expected
    /// columns (or the only one), so a title row above it is passed over.
    /// A sheet reaching past [`MAX_ROWS`] or [`MAX_COLUMNS`] is refused
    /// before its cells are laid out.
    pub fn table(&mut self, sheet: Option<&str>, headers: &Headers) -> Result<Table, ImportError> {
        let available = self.sheet_names();
        let name = match sheet {
            Some(wanted) => available
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| {
                    let wanted = normalise_header(wanted);
                    available.iter().find(|n| normalise_header(n) == wanted)
                })
                .cloned()
                .ok_or_else(|| ImportError::NoSuchSheet {
                    name: wanted.to_owned(),
                    available: available.clone(),
                })?,
            None => self.first_sheet().ok_or(ImportError::NoSheet)?,
        };
        let (range, merged) = match &mut self.book {
            Book::Xlsx(b) => {
                let range = limits::xlsx_range(b, &name)?;
                let merged = b
                    .merge_cells_by_sheet_name(&name)
                    .map_err(ImportError::Xlsx)?;
                (range, merged)
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(&name).map_err(ImportError::Xls)?;
                let merged = b
                    .merge_cells_by_sheet_name(&name)
                    .map_err(ImportError::Xls)?;
                (range, merged)
            }
        };
        Table::new(name, range, merged, headers)
    }

    /// Every worksheet's cells as text, for a search index: a row per line,
    /// its cells apart by a tab, sheets in workbook order, at most
    /// `max_chars` characters (the rest is left out). Each sheet is checked
    /// against the limits before its cells are laid out, as [`Workbook::table`]
    /// does.
    pub fn text(&mut self, max_chars: usize) -> Result<String, ImportError> {
        let mut text = String::new();
        let mut chars = 0;
        for name in self.sheet_names() {
            let range = match &mut self.book {
                Book::Xlsx(b) => limits::xlsx_range(b, &name)?,
                Book::Xls(b) => b.worksheet_range(&name).map_err(ImportError::Xls)?,
            };
            for row in range.rows() {
                let cells: Vec<String> = row
                    .iter()
                    .map(|cell| match cell {
                        Data::Float(f) => number_text(*f),
                        other => clean_text(&other.to_string()),
                    })
                    .collect();
                let line = cells.join("\t");
                let line = line.trim_end();
                if line.is_empty() {
                    continue;
                }
                chars += line.chars().count() + 1;
                text.push_str(line);
                text.push('\n');
                if chars >= max_chars {
                    return Ok(text.chars().take(max_chars).collect());
                }
            }
        }
        Ok(text)
    }
}

/// Tells the format from the first bytes.
fn sniff(bytes: &[u8]) -> Result<FileFormat, ImportError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.is_empty() {
        return Err(ImportError::EmptyFile);
    }
    if bytes.starts_with(ZIP) {
        let head = bytes.get(..120).unwrap_or(bytes);
        if find(head, b"application/vnd.oasis.opendocument").is_some() {
            return Err(ImportError::NotAWorkbook(ForeignKind::Ods));
        }
        return Ok(FileFormat::Xlsx);
    }
    if bytes.starts_with(OLE) {
        return Ok(FileFormat::Xls);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::NotAWorkbook(ForeignKind::Pdf));
    }
    let head = bytes.get(..1024).unwrap_or(bytes);
    let text = String::from_utf8_lossy(head).to_lowercase();
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let kind =
        if text.contains("<html") || text.contains("<!doctype html") || text.contains("<table") {
            ForeignKind::Html
        } else if text.starts_with("<?xml") || text.starts_with('<') {
            ForeignKind::Xml
        } else if head
            .iter()
            .all(|&b| b >= 0x20 || b == b'\t' || b == b'\r' || b == b'\n')
        {
            // Valid UTF-8 or GB 18030 text has no control bytes.
            ForeignKind::Text
        } else {
            ForeignKind::Other
        };
    Err(ImportError::NotAWorkbook(kind))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains_utf16(haystack: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    find(haystack, &needle).is_some()
}

/// A worksheet below its header row, with the expected columns located.
#[derive(Debug)]
pub struct Table {
    sheet: String,
    range: Range<Data>,
    /// Index of the header row within `range`.
    header_index: usize,
    /// For each expected column: its index within `range` and its header as
    /// written, when the file has it.
    located: Vec<Option<(usize, String)>>,
    names: Vec<String>,
    /// Merged regions that start below the header row: their other cells
    /// read as the top-left one.
    merged: Vec<Dimensions>,
}

impl Table {
    fn new(
        sheet: String,
        range: Range<Data>,
        merged: Vec<Dimensions>,
        headers: &Headers,
    ) -> Result<Table, ImportError> {
        let wanted = headers.specs.len();
        let threshold = wanted.min(2);
        let mut found = None;
        for (index, row) in range.rows().enumerate().take(HEADER_SEARCH_ROWS) {
            let cells: Vec<String> = row
                .iter()
                .map(|c| normalise_header(&c.to_string()))
                .collect();
            let located: Vec<Option<usize>> = headers
                .specs
                .iter()
                .map(|spec| {
                    cells
                        .iter()
                        .position(|c| !c.is_empty() && spec.normalised.contains(c))
                })
                .collect();
            if located.iter().flatten().count() >= threshold.max(1) {
                found = Some((index, located));
                break;
            }
        }
        let Some((header_index, located)) = found else {
            return Err(ImportError::NoHeaderRow {
                sheet,
                expected: headers
                    .specs
                    .iter()
                    .filter(|s| s.required)
                    .filter_map(|s| s.names.first().cloned())
                    .collect(),
            });
        };
        let start = range.start().unwrap_or((0, 0));
        let header_row = start.0 + header_index as u32;
        let missing: Vec<String> = headers
            .specs
            .iter()
            .zip(&located)
            .filter(|(spec, at)| spec.required && at.is_none())
            .filter_map(|(spec, _)| spec.names.first().cloned())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                row: header_row + 1,
                missing,
            });
        }
        let located = located
            .into_iter()
            .map(|at| {
                at.map(|col| {
                    let text = range
                        .get((header_index, col))
                        .map(|c| clean_text(&c.to_string()))
                        .unwrap_or_default();
                    (col, text)
                })
            })
            .collect();
        let merged = merged
            .into_iter()
            .filter(|m| m.start.0 > header_row)
            .collect();
        let names = (0..headers.specs.len())
            .map(|i| headers.display_name(ColumnId(i)))
            .collect();
        Ok(Table {
            sheet,
            range,
            header_index,
            located,
            names,
            merged,
        })
    }

    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    /// The header row as Excel numbers it.
    pub fn header_row(&self) -> u32 {
        self.range.start().unwrap_or((0, 0)).0 + self.header_index as u32 + 1
    }

    /// Whether the file has the column `id`.
    pub fn has_column(&self, id: ColumnId) -> bool {
        matches!(self.located.get(id.0), Some(Some(_)))
    }

    /// The rows below the header, blank ones included (see
    /// [`TableRow::is_blank`]).
    pub fn rows(&self) -> impl Iterator<Item = TableRow<'_>> {
        let height = self.range.height();
        (self.header_index + 1..height).map(move |index| TableRow { table: self, index })
    }

    /// The number of rows below the header.
    pub fn len(&self) -> usize {
        self.range.height().saturating_sub(self.header_index + 1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One row below the header, read cell by cell.
#[derive(Debug, Clone, Copy)]
pub struct TableRow<'a> {
    table: &'a Table,
    index: usize,
}

impl<'a> TableRow<'a> {
    /// The row as Excel numbers it.
    pub fn number(&self) -> u32 {
        self.table.range.start().unwrap_or((0, 0)).0 + self.index as u32 + 1
    }

    /// A row whose own cells are all empty or spaces (the continuation of a
    /// merged cell above does not count as content).
    pub fn is_blank(&self) -> bool {
        let width = self.table.range.width();
        (0..width).all(|col| match self.table.range.get((self.index, col)) {
            None | Some(Data::Empty) => true,
            Some(Data::String(s)) => clean_text(s).is_empty(),
            Some(_) => false,
        })
    }

    /// An error about the cell in column `id` of this row, for checks the
    /// caller makes on a value it has read.
    pub fn error(&self, id: ColumnId, problem: Problem) -> RowError {
        let (column, header) = match self.table.located.get(id.0) {
            Some(Some((col, header))) => {
                let start = self.table.range.start().unwrap_or((0, 0)).1;
                (Some(column_letter(start + *col as u32)), header.clone())
            }
            _ => (
                None,
                self.table.names.get(id.0).cloned().unwrap_or_default(),
            ),
        };
        RowError {
            row: self.number(),
            column,
            header,
            reason: problem.to_string(),
            problem,
        }
    }

    /// Whether the row's own cell in column `id` is empty or spaces, even
    /// when a merged cell above covers it (an absent column is empty): a
    /// reader that carries a value down from the row above can tell a cell
    /// left empty from one written.
    pub(crate) fn own_cell_is_empty(&self, id: ColumnId) -> bool {
        let Some(Some((col, _))) = self.table.located.get(id.0) else {
            return true;
        };
        match self.table.range.get((self.index, *col)) {
            None | Some(Data::Empty) => true,
            Some(Data::String(s)) => clean_text(s).is_empty(),
            Some(_) => false,
        }
    }

    /// The cell's value, `None` for an absent column or an empty cell; a cell
    /// covered by a merged region reads as the region's top-left one.
    pub(crate) fn cell(&self, id: ColumnId) -> Option<&'a Data> {
        let table = self.table;
        let (col, _) = table.located.get(id.0)?.as_ref()?;
        let data = table.range.get((self.index, *col))?;
        if !matches!(data, Data::Empty) {
            return Some(data);
        }
        let start = table.range.start().unwrap_or((0, 0));
        let at = (start.0 + self.index as u32, start.1 + *col as u32);
        table
            .merged
            .iter()
            .find(|m| m.start.0 <= at.0 && at.0 <= m.end.0 && m.start.1 <= at.1 && at.1 <= m.end.1)
            .and_then(|m| table.range.get_value(m.start))
            .filter(|d| !matches!(d, Data::Empty))
    }

    fn required<T>(&self, id: ColumnId, value: Result<Option<T>, RowError>) -> Result<T, RowError> {
        value?.ok_or_else(|| self.error(id, Problem::Missing))
    }

    /// Text, trimmed of spaces of every width. Whole numbers read as written
    /// (`13812345678`, not `13812345678.0`); dates as 2026-03-05.
    pub fn text(&self, id: ColumnId) -> Result<String, RowError> {
        self.required(id, self.optional_text(id))
    }

    pub fn optional_text(&self, id: ColumnId) -> Result<Option<String>, RowError> {
        let text = match self.cell(id) {
            None => return Ok(None),
            Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                clean_text(s)
            }
            Some(Data::Int(i)) => i.to_string(),
            Some(Data::Float(f)) => number_text(*f),
            Some(Data::Bool(b)) => return Err(self.error(id, Problem::NotText(b.to_string()))),
            Some(Data::DateTime(dt)) => match dt.as_datetime() {
                Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                None => dt.to_string(),
            },
            Some(Data::Error(e)) => {
                return Err(self.error(id, Problem::FormulaError(e.to_string())));
            }
            Some(Data::Empty) => String::new(),
        };
        Ok(if text.is_empty() { None } else { Some(text) })
    }

    /// Text that must have been stored as text, such as an ID number: a
    /// number cell is refused, because Excel keeps only 15 digits of it.
    pub fn id_text(&self, id: ColumnId) -> Result<String, RowError> {
        self.required(id, self.optional_id_text(id))
    }

    pub fn optional_id_text(&self, id: ColumnId) -> Result<Option<String>, RowError> {
        match self.cell(id) {
            Some(Data::Int(_)) | Some(Data::Float(_)) => {
                Err(self.error(id, Problem::IdStoredAsNumber))
            }
            _ => Ok(self.optional_text(id)?.map(|t| halfwidth(&t))),
        }
    }

    /// A date: an Excel date cell, or text written 2026-03-05, 2026/3/5,
    /// 2026.3.5, 2026年3月5日 or 20260305 (a time after it is ignored).
    pub fn date(&self, id: ColumnId) -> Result<NaiveDate, RowError> {
        self.required(id, self.optional_date(id))
    }

    pub fn optional_date(&self, id: ColumnId) -> Result<Option<NaiveDate>, RowError> {
        let parsed = match self.cell(id) {
            None => return Ok(None),
            Some(Data::DateTime(dt)) => match dt.as_datetime() {
                // A serial below 1 is a time of day without a date.
                Some(t) if dt.is_datetime() && dt.as_f64() >= 1.0 => Ok(t.date()),
                _ => Err(Problem::NotADate(dt.to_string())),
            },
            Some(Data::String(s)) | Some(Data::DateTimeIso(s)) => {
                let text = clean_text(s);
                if text.is_empty() {
                    return Ok(None);
                }
                parse_date(&text)
            }
            Some(Data::Int(i)) => parse_date(&i.to_string()),
            Some(Data::Float(f)) => parse_date(&number_text(*f)),
            Some(Data::Error(e)) => Err(Problem::FormulaError(e.to_string())),
            Some(other) => Err(Problem::NotADate(other.to_string())),
        };
        parsed.map(Some).map_err(|p| self.error(id, p))
    }

    /// Whether the cell holds anything (an absent column holds nothing).
    pub fn has_value(&self, id: ColumnId) -> bool {
        self.cell(id).is_some()
    }

    /// An amount in 元, read into fen exactly: a number cell or text such as
    /// `300`, `300.5`, `￥1,200.00`; never negative, at most two decimals.
    pub fn amount_fen(&self, id: ColumnId) -> Result<i64, RowError> {
        let text = match self.cell(id) {
            None => return Err(self.error(id, Problem::Missing)),
            Some(Data::Int(i)) => i.to_string(),
            // Excel keeps the typed 300.5 as the nearest double: its shortest
            // decimal form is what was typed.
            Some(Data::Float(f)) => format!("{f}"),
            Some(Data::String(s)) => halfwidth(&clean_text(s)),
            Some(Data::Error(e)) => {
                return Err(self.error(id, Problem::FormulaError(e.to_string())));
            }
            Some(other) => return Err(self.error(id, Problem::NotAnAmount(other.to_string()))),
        };
        parse_fen(&text).map_err(|p| self.error(id, p))
    }

    /// A whole number: a number cell without a fraction, or digits as text.
    pub fn integer(&self, id: ColumnId) -> Result<i64, RowError> {
        self.required(id, self.optional_integer(id))
    }

    pub fn optional_integer(&self, id: ColumnId) -> Result<Option<i64>, RowError> {
        let parsed = match self.cell(id) {
            None => return Ok(None),
            Some(Data::Int(i)) => Ok(*i),
            Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < EXACT_DIGITS => Ok(*f as i64),
            Some(Data::Float(f)) => Err(Problem::NotAnInteger(number_text(*f))),
            Some(Data::String(s)) => {
                let text = halfwidth(&clean_text(s));
                if text.is_empty() {
                    return Ok(None);
                }
                text.parse::<i64>().map_err(|_| Problem::NotAnInteger(text))
            }
            Some(Data::Error(e)) => Err(Problem::FormulaError(e.to_string())),
            Some(other) => Err(Problem::NotAnInteger(other.to_string())),
        };
        parsed.map(Some).map_err(|p| self.error(id, p))
    }
}

/// A cell's value, or `None` with its error kept in `errors`: a row reads
/// every cell and reports all that are bad.
pub(crate) fn keep<T>(errors: &mut Vec<RowError>, result: Result<T, RowError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// An amount in 元 as text (`1,200.50`, `￥300`, `300元`) in fen.
pub(crate) fn parse_fen(text: &str) -> Result<i64, Problem> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(['￥', '¥'])
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    if cleaned.is_empty() {
        return Err(Problem::Missing);
    }
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || whole.len() > 12 {
        return Err(Problem::NotAnAmount(text.trim().to_owned()));
    }
    if negative {
        return Err(Problem::NegativeAmount);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 {
        return Err(Problem::BeyondFen(text.trim().to_owned()));
    }
    let yuan: i64 = whole
        .parse()
        .map_err(|_| Problem::NotAnAmount(text.trim().to_owned()))?;
    let fen: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| Problem::NotAnAmount(text.trim().to_owned()))?;
    Ok(yuan * 100 + fen)
}

/// Excel's column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

const MEGABYTE: u64 = 1024 * 1024;

/// A size in megabytes with one decimal, rounded up so that a file just over
/// the limit does not read as being at it.
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10).div_ceil(MEGABYTE);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A number as a person wrote it: whole numbers without a fraction.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < EXACT_DIGITS {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Zero-width characters and byte-order marks that come along with text
/// copied from web pages.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Trimmed of whitespace of every width (the ideographic space U+3000 and the
/// no-break space included) and of invisible characters at either end.
pub fn clean_text(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
        .to_owned()
}

/// Full-width ASCII forms (０-９, Ａ-Ｚ, －, ：, ／ …) as their ASCII letters,
/// as typed with a Chinese input method; other characters unchanged.
pub fn halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}

/// Parses the written date forms accepted by [`TableRow::date`].
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, Problem> {
    let original = text.to_owned();
    let not_a_date = || Problem::NotADate(original.clone());
    let text = halfwidth(text);
    let text = text.trim();
    // "2026-03-05 00:00:00": a time after the date is allowed and ignored.
    let date_part = match text.split_once(char::is_whitespace) {
        Some((date, rest))
            if rest
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.') =>
        {
            date
        }
        Some(_) => return Err(not_a_date()),
        None => text,
    };
    let parts: Vec<&str> = if date_part.len() == 8 && date_part.chars().all(|c| c.is_ascii_digit())
    {
        vec![
            date_part.get(0..4).unwrap_or_default(),
            date_part.get(4..6).unwrap_or_default(),
            date_part.get(6..8).unwrap_or_default(),
        ]
    } else if date_part.contains('年') {
        let rest = date_part
            .strip_suffix('日')
            .or_else(|| date_part.strip_suffix('号'))
            .unwrap_or(date_part);
        rest.split(['年', '月']).collect()
    } else {
        date_part.split(['-', '/', '.']).collect()
    };
    let [year, month, day] = parts.as_slice() else {
        return Err(not_a_date());
    };
    let numbers_ok = year.len() == 4
        && [year, month, day]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()));
    if !numbers_ok {
        return Err(not_a_date());
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        year.parse::<i32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return Err(not_a_date());
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or(Problem::ImpossibleDate(original))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn written_dates_in_the_forms_clerks_use() {
        for text in [
            "2026-03-05",
            "2026/3/5",
            "2026.3.5",
            "2026年3月5日",
            "2026年03月05号",
            "20260305",
            "2026-03-05 00:00:00",
            "２０２６－０３－０５",
        ] {
            assert_eq!(parse_date(text), Ok(day(2026, 3, 5)), "{text}");
        }
        assert_eq!(
            parse_date("2026-02-30"),
            Err(Problem::ImpossibleDate("2026-02-30".into()))
        );
        for text in ["下周一", "26/3/5", "3/5/2026", "2026-03", "2026-03-05 上午"] {
            assert_eq!(
                parse_date(text),
                Err(Problem::NotADate(text.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn headers_match_without_spaces_case_or_required_marks() {
        assert_eq!(normalise_header("　身份证 号码＊ "), "身份证号码");
        assert_eq!(normalise_header("Phone"), normalise_header(" PHONE"));
        assert_eq!(normalise_header("姓名*"), "姓名");
    }

    #[test]
    fn column_letters_as_excel_shows_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn whole_numbers_read_as_written() {
        assert_eq!(number_text(13812345678.0), "13812345678");
        assert_eq!(number_text(2.5), "2.5");
    }

    #[test]
    fn foreign_files_are_named() {
        let kind = |bytes: &[u8]| match sniff(bytes) {
            Err(ImportError::NotAWorkbook(kind)) => Some(kind),
            _ => None,
        };
        assert_eq!(
            kind(b"<html><table><tr><td>1</td></tr></table></html>"),
            Some(ForeignKind::Html)
        );
        assert_eq!(
            kind("\u{feff}姓名,身份证号\r\n".as_bytes()),
            Some(ForeignKind::Text)
        );
        assert_eq!(kind(b"%PDF-1.7"), Some(ForeignKind::Pdf));
        assert_eq!(
            kind(b"<?xml version=\"1.0\"?><Workbook>"),
            Some(ForeignKind::Xml)
        );
        assert_eq!(kind(&[0, 1, 2, 3]), Some(ForeignKind::Other));
        assert!(matches!(sniff(b""), Err(ImportError::EmptyFile)));
    }
}
