//! Spreadsheets for Minzheng Desk: Excel import and export.
//!
//! Import ([`Workbook`], [`Table`], [`TableRow`]) reads the first or a named
//! worksheet of an .xlsx or .xls file (told apart by content) through
//! calamine, finds the header row below any title, locates columns by their
//! Chinese header names and aliases, and reads cells as typed values. A bad
//! cell is a [`RowError`] with the row and column as Excel shows them and the
//! reason in Chinese; a file that cannot be read as a table at all is an
//! [`ImportError`]. [`appointments`] is the marriage counter's import of
//! online-booking exports, built on it; [`schedule`] reads the office's
//! weekly leadership schedule as it was kept in Excel.
//!
//! A file is read only up to [`MAX_FILE_BYTES`], [`MAX_ROWS`] and
//! [`MAX_COLUMNS`], checked on what the file declares and on every cell
//! before calamine lays a sheet out in memory, so that a hostile file is an
//! error naming the sheet and the limit rather than an allocation that aborts
//! the app.
//!
//! Export ([`Sheet`], [`write_xlsx`]) writes simple tables through
//! rust_xlsxwriter, never leaving a half-written file behind.
//!
//! The crate reads no clock (the day that bounds birth dates is passed in)
//! and knows nothing of the store or the network: mz-app maps what it reads
//! onto records.

pub mod appointments;
pub mod cemetery;
pub mod fees;
mod limits;
mod read;
pub mod schedule;
mod write;

pub use appointments::{
    AppointmentKind, AppointmentRow, ImportReport, Party, TimeSlot, import_appointments,
    read_appointments,
};
pub use fees::{
    FeeField, FeeScheduleReport, WaiverReport, read_fee_schedule, read_fee_schedule_within,
    read_waivers,
};
pub use limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
pub use read::{
    ColumnId, FileFormat, ForeignKind, HEADER_SEARCH_ROWS, Headers, ImportError, Problem, RowError,
    Table, TableRow, Workbook, clean_text, column_letter, halfwidth, normalise_header,
};
pub use schedule::{SheetTime, WeekSheetReport, WeekSheetRow, read_schedule_week};
pub use write::{Column, ColumnKind, ExportError, Sheet, Value, to_xlsx_bytes, write_xlsx};
