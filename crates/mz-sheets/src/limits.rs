//! How much of a file an import reads at most, and the checks that hold a
//! file to it before calamine lays a sheet out in memory.
//!
//! calamine keeps a sheet as a dense grid from its first cell to its last, so
//! a file with one cell in A1 and one in XFD1048576 asks for 17 billion cells
//! (550 GB) and the failed allocation aborts the app. calamine has no limit of
//! its own, so the limits are checked here, on what the file declares and on
//! every cell it holds, before any grid is built:
//!
//! - .xlsx: the sheet is streamed cell by cell, its declared `<dimension>` and
//!   each cell's position checked, and the grid built only from cells that
//!   passed.
//! - .xls: calamine reads every sheet when it opens the file, reserving room
//!   for the area a sheet's DIMENSIONS record declares and then laying out its
//!   cells. So the workbook stream is taken out of the compound file first,
//!   its records are checked as calamine reads them, and calamine is given a
//!   new compound file holding only that stream: it reads exactly the bytes
//!   that were checked, however the original container was put together.

use std::io::{self, Cursor, Read, Seek, Write};

use calamine::{Data, DataRef, Dimensions, Range, XlsError, Xlsx, XlsxError};

use crate::read::{ImportError, column_letter};

/// The largest file read: 20 MB. An .xlsx of 100,000 bookings in eight
/// columns, every name and number distinct, is 4 MB as rust_xlsxwriter writes
/// it; an .xls is not compressed and runs several times larger, but holds at
/// most 65,536 rows.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The last row read: row 100,000 as Excel numbers it. That is years of one
/// registry's online bookings, and a longer list can be split into files.
pub const MAX_ROWS: u32 = 100_000;

/// The last column read: column 100 (CV). A booking export has a dozen or two
/// columns and the import reads only the few it names, so a wider sheet loses
/// nothing by having columns deleted. Rows and columns together bound memory:
/// a sheet is held as a grid of 32-byte cells, so the largest sheet read is
/// 100,000 × 100 cells, 320 MB (200 columns would double it), against the
/// 550 GB that a file with cells in A1 and XFD1048576 asks for.
pub const MAX_COLUMNS: u32 = 100;

// The grid of the largest sheet is sized in u32 arithmetic by calamine's
// `Range::new` (see `xlsx_range`), so the limits must keep it in range.
const _: () = assert!(MAX_ROWS as u64 * MAX_COLUMNS as u64 <= u32::MAX as u64);

/// Refuses a file larger than [`MAX_FILE_BYTES`].
pub(crate) fn check_file_size(bytes: u64) -> Result<(), ImportError> {
    if bytes > MAX_FILE_BYTES {
        return Err(ImportError::FileTooLarge { bytes });
    }
    Ok(())
}

/// Refuses a cell (a 0-based row and column) past [`MAX_ROWS`] or
/// [`MAX_COLUMNS`].
fn check_cell(sheet: &str, (row, column): (u32, u32)) -> Result<(), ImportError> {
    if row >= MAX_ROWS {
        return Err(ImportError::TooManyRows {
            sheet: sheet.to_owned(),
            row: u64::from(row) + 1,
        });
    }
    if column >= MAX_COLUMNS {
        return Err(ImportError::TooManyColumns {
            sheet: sheet.to_owned(),
            column: column_letter(column),
        });
    }
    Ok(())
}

/// The cells of an .xlsx worksheet, read in two passes over its XML: the
/// first checks the declared dimension and every cell against the limits and
/// finds the corners of the cells that hold something; the second fills a
/// grid of exactly that size. Reading twice costs a second parse but holds
/// nothing besides the grid, where one pass would keep a list of every cell
/// as well.
pub(crate) fn xlsx_range<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
) -> Result<Range<Data>, ImportError> {
    let Some(bounds) = xlsx_bounds(book, sheet)? else {
        return Ok(Range::empty());
    };
    let mut range = Range::new(bounds.start, bounds.end);
    let mut cells = book
        .worksheet_cells_reader(sheet)
        .map_err(ImportError::Xlsx)?;
    while let Some(cell) = cells.next_cell().map_err(ImportError::Xlsx)? {
        let (row, column) = cell.get_position();
        // Always true, the file being the same; checked so that no cell can
        // make the grid grow.
        if bounds.contains(row, column) && !matches!(cell.get_value(), DataRef::Empty) {
            range.set_value((row, column), Data::from(cell.get_value().clone()));
        }
    }
    Ok(range)
}

/// The first pass of [`xlsx_range`]: the corners of the cells with content,
/// `None` for a sheet without any (or a chart sheet, which calamine also reads
/// as empty).
fn xlsx_bounds<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
) -> Result<Option<Dimensions>, ImportError> {
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(cells) => cells,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(None),
        Err(e) => return Err(ImportError::Xlsx(e)),
    };
    let declared = cells.dimensions();
    check_cell(sheet, declared.start)?;
    check_cell(sheet, declared.end)?;
    let mut bounds: Option<Dimensions> = None;
    while let Some(cell) = cells.next_cell().map_err(ImportError::Xlsx)? {
        // An empty cell (one with a format only) is not kept, as calamine
        // does not keep it, so it cannot enlarge the grid.
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        check_cell(sheet, (row, column))?;
        bounds = Some(match bounds {
            None => Dimensions::new((row, column), (row, column)),
            Some(b) => Dimensions::new(
                (b.start.0.min(row), b.start.1.min(column)),
                (b.end.0.max(row), b.end.1.max(column)),
            ),
        });
    }
    Ok(bounds)
}

/// Takes the workbook stream out of an .xls file, checks it as calamine will
/// read it, and returns a compound file holding only that stream, for calamine
/// to open.
pub(crate) fn checked_xls(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let stream = workbook_stream(bytes).map_err(|e| ImportError::Xls(XlsError::Io(e)))?;
    check_workbook(&stream)?;
    repack(&stream).map_err(|e| ImportError::Xls(XlsError::Io(e)))
}

/// The workbook stream: "Workbook" (BIFF8), else "Book" (BIFF5), the names
/// calamine looks for.
fn workbook_stream(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|name| file.is_stream(name))
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no Workbook stream"))?;
    let mut stream = Vec::new();
    file.open_stream(name)?
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut stream)?;
    Ok(stream)
}

/// A compound file holding `stream` as its only stream, "Workbook". Version 3
/// (512-byte sectors), as Excel writes it: calamine refuses a version 4 file
/// whose streams are all too large for the mini stream.
fn repack(stream: &[u8]) -> io::Result<Vec<u8>> {
    let mut file =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
    let mut workbook = file.create_stream("/Workbook")?;
    workbook.write_all(stream)?;
    workbook.flush()?;
    drop(workbook);
    file.flush()?;
    Ok(file.into_inner().into_inner())
}

/// BIFF record types read here ([MS-XLS] 2.3).
mod record {
    pub const BOF: u16 = 0x0809;
    pub const EOF: u16 = 0x000A;
    pub const FILE_PASS: u16 = 0x002F;
    pub const BOUND_SHEET: u16 = 0x0085;
    pub const DIMENSIONS: u16 = 0x0200;
    pub const MUL_RK: u16 = 0x00BD;
    /// The records calamine reads as one cell, which start with its row and
    /// column: Number, Label, RString, BoolErr, Rk, LabelSst and Formula.
    pub const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
}

/// An .xls file calamine would fail to read, or would read wrongly, found so
/// while checking it.
fn broken(what: &str) -> ImportError {
    ImportError::Xls(XlsError::Io(io::Error::new(
        io::ErrorKind::InvalidData,
        what.to_owned(),
    )))
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*bytes.first()?, *bytes.get(1)?]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let low = u32::from(u16_at(data, at)?);
    let high = u32::from(u16_at(data, at.checked_add(2)?)?);
    Some(high << 16 | low)
}

/// The records of a BIFF stream as calamine splits them: a type, a length and
/// that many bytes. A record running past the end of the stream is an error,
/// as it is to calamine. (calamine joins Continue records to the one before;
/// here they are records of their own, of a type no check reads.)
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<(u16, &'a [u8]), ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stream.is_empty() {
            return None;
        }
        let stream = self.stream;
        let split = || {
            let typ = u16_at(stream, 0)?;
            let end = 4 + usize::from(u16_at(stream, 2)?);
            Some((typ, stream.get(4..end)?, stream.get(end..)?))
        };
        match split() {
            Some((typ, data, rest)) => {
                self.stream = rest;
                Some(Ok((typ, data)))
            }
            None => {
                self.stream = &[];
                Some(Err(broken("a record runs past the end of the stream")))
            }
        }
    }
}

/// Checks every sheet of a workbook stream the way calamine walks it: the
/// globals up to their EOF give each sheet's name and offset, and each
/// sheet's records run from its offset to its EOF, nested substreams (an
/// embedded chart) skipped.
fn check_workbook(stream: &[u8]) -> Result<(), ImportError> {
    let mut biff8 = true;
    let mut sheets = Vec::new();
    for found in (Records { stream }) {
        let (typ, data) = found?;
        match typ {
            // A workbook with a password: its sheets' records are encrypted.
            record::FILE_PASS => match u16_at(data, 0) {
                Some(0) => {}
                Some(_) => return Err(ImportError::Encrypted),
                None => return Err(broken("a short FilePass record")),
            },
            record::BOF => biff8 = is_biff8(data)?,
            record::BOUND_SHEET => sheets.push(bound_sheet(data, biff8)?),
            record::EOF => break,
            _ => {}
        }
    }
    for (offset, name) in sheets {
        let records = stream
            .get(offset..)
            .ok_or_else(|| broken("a sheet starts past the end of the stream"))?;
        check_sheet(records, &name)?;
    }
    Ok(())
}

/// Whether a BOF record starts BIFF8, decided as calamine decides it; only
/// the way sheet names are stored depends on it.
fn is_biff8(data: &[u8]) -> Result<bool, ImportError> {
    let version = u16_at(data, 0).ok_or_else(|| broken("a short BOF record"))?;
    let kind = u16_at(data, 2).unwrap_or(0);
    Ok(match version {
        0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => kind != 0x1000,
        _ => true,
    })
}

/// A BoundSheet8 record's sheet offset and name ([MS-XLS] 2.4.28). The name
/// is only for messages: BIFF8 stores it as UTF-16 or as Latin-1, and older
/// versions in the workbook's code page, read here as Latin-1.
fn bound_sheet(data: &[u8], biff8: bool) -> Result<(usize, String), ImportError> {
    let short = || broken("a short BoundSheet8 record");
    let offset = u32_at(data, 0).ok_or_else(short)?;
    let offset = usize::try_from(offset).map_err(|_| short())?;
    if data.len() < 6 {
        return Err(short());
    }
    let count = usize::from(*data.get(6).unwrap_or(&0));
    let (utf16, text) = if biff8 {
        let flags = *data.get(7).unwrap_or(&0);
        (flags & 1 != 0, data.get(8..).unwrap_or_default())
    } else {
        (false, data.get(7..).unwrap_or_default())
    };
    let mut name: String = if utf16 {
        let units = text
            .chunks_exact(2)
            .take(count)
            .filter_map(|pair| pair.try_into().ok().map(u16::from_le_bytes));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    } else {
        text.iter().take(count).map(|&b| char::from(b)).collect()
    };
    name.retain(|c| c != '\0');
    Ok((offset, name))
}

/// Checks one sheet's records: its DIMENSIONS record (calamine reserves room
/// for the area it declares) and the position of every cell.
fn check_sheet(records: &[u8], sheet: &str) -> Result<(), ImportError> {
    let mut seen_bof = false;
    let mut depth = 0usize;
    for found in (Records { stream: records }) {
        let (typ, data) = found?;
        if depth > 0 {
            match typ {
                record::BOF => depth += 1,
                record::EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            record::BOF if seen_bof => depth += 1,
            record::BOF => seen_bof = true,
            record::EOF => break,
            record::DIMENSIONS => {
                let declared = dimensions(data)?;
                check_cell(sheet, declared.end)?;
            }
            record::MUL_RK => {
                // Row, first column, a 6-byte value per cell, last column.
                let short = || broken("a short MulRk record");
                if data.len() < 6 {
                    return Err(short());
                }
                let row = u16_at(data, 0).ok_or_else(short)?;
                let first = u16_at(data, 2).ok_or_else(short)?;
                let last = u16_at(data, data.len() - 2).ok_or_else(short)?;
                if last < first {
                    return Err(broken(
                        "a MulRk record whose last column is before its first",
                    ));
                }
                check_cell(sheet, (u32::from(row), u32::from(last)))?;
            }
            cell if record::CELLS.contains(&cell) => {
                let short = || broken("a short cell record");
                let row = u16_at(data, 0).ok_or_else(short)?;
                let column = u16_at(data, 2).ok_or_else(short)?;
                check_cell(sheet, (u32::from(row), u32::from(column)))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The area a DIMENSIONS record declares ([MS-XLS] 2.4.90), worked out as
/// calamine works it out. An area that ends before it starts is refused:
/// calamine would subtract its way to a size of billions.
fn dimensions(data: &[u8]) -> Result<Dimensions, ImportError> {
    let short = || broken("a short Dimensions record");
    let (first_row, row_after, first_column, column_after) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0).ok_or_else(short)?),
            u32::from(u16_at(data, 2).ok_or_else(short)?),
            u32::from(u16_at(data, 4).ok_or_else(short)?),
            u32::from(u16_at(data, 6).ok_or_else(short)?),
        ),
        // BIFF8 is 14 bytes; some writers add 2 that calamine ignores.
        14 | 16 => (
            u32_at(data, 0).ok_or_else(short)?,
            u32_at(data, 4).ok_or_else(short)?,
            u32::from(u16_at(data, 8).ok_or_else(short)?),
            u32::from(u16_at(data, 10).ok_or_else(short)?),
        ),
        _ => return Err(short()),
    };
    // calamine takes an impossible first column to be column A.
    let first_column = if first_column > 0xFF || column_after < first_column {
        0
    } else {
        first_column
    };
    let start = (first_row, first_column);
    let end = if row_after >= 1 && column_after >= 1 {
        (row_after - 1, column_after - 1)
    } else {
        start
    };
    if end.0 < start.0 || end.1 < start.1 {
        return Err(broken("a Dimensions record that ends before it starts"));
    }
    Ok(Dimensions::new(start, end))
}
