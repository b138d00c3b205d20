//! mz-print: typesetting, PDF and OFD for Minzheng Desk.
//!
//! It owns the layout of official documents to GB/T 9704-2012
//! ([`layout_document`]), of forms and certificate overlays printed onto
//! pre-printed paper ([`forms`]), of tables that run over pages
//! ([`table`]), the font chains that print them ([`fonts`]), the PDF writer
//! ([`render_pdf`]), the OFD writer (GB/T 33190-2016, [`render_ofd`]) and
//! handing a file to the OS print system ([`spool`]).
//!
//! Body lines end on the text block's right edge (标点挤压 before 推出,
//! then justification; `text`) and a title that wraps breaks between words
//! (`title`, with jieba's dictionary loaded only for such a title).
//!
//! Every page is laid out first into a [`Layout`] (positioned text runs,
//! rules and circles in millimetres) that tests and previews can inspect;
//! the PDF and the OFD are translations of that model. Before anything is written every
//! character is checked against its font chain: a character that no
//! installed font covers is an error naming it and its place, never an empty
//! box.
//!
//! It does no I/O beyond reading fonts, writing the requested file and
//! calling the print system, and never logs the text it sets (names are
//! personal data).

pub mod document;
pub mod error;
pub mod fonts;
pub mod forms;
pub mod gbt9704;
pub mod model;
pub mod ofd;
pub mod pdf;
pub mod spool;
pub mod svg;
pub mod table;
mod text;
mod title;
mod typeset;

pub use document::{
    DocumentRules, OfficialDocument, Paragraph, document_schema_json, parse_document_json,
};
pub use error::{Place, PrintError, Result};
pub use fonts::{ChainEntry, FontLibrary, FontRole, system_fonts};
pub use gbt9704::layout_document;
pub use model::{Colour, Element, Item, Layout, Page, TextRun};
pub use ofd::{OfdInfo, render_ofd, render_ofd_with};
pub use pdf::{render_pdf, write_atomically};
pub use table::{Table, TableColumn, TableRow, layout_table};

use std::path::Path;

/// An official document from JSON to PDF bytes.
pub fn document_pdf(doc: &OfficialDocument, fonts: &FontLibrary) -> Result<Vec<u8>> {
    render_pdf(&layout_document(doc, fonts)?, fonts)
}

/// An official document from JSON to OFD bytes (GB/T 33190-2016), laid out
/// exactly as its PDF.
pub fn document_ofd(doc: &OfficialDocument, fonts: &FontLibrary) -> Result<Vec<u8>> {
    render_ofd(&layout_document(doc, fonts)?, fonts)
}

/// The file formats a layout is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Pdf,
    Ofd,
}

impl OutputFormat {
    /// OFD for a file name ending in `.ofd` (any case), PDF for any other.
    pub fn for_path(path: &Path) -> Self {
        match path.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("ofd") => OutputFormat::Ofd,
            _ => OutputFormat::Pdf,
        }
    }

    /// The layout written in this format.
    pub fn render(self, layout: &Layout, fonts: &FontLibrary) -> Result<Vec<u8>> {
        match self {
            OutputFormat::Pdf => render_pdf(layout, fonts),
            OutputFormat::Ofd => render_ofd(layout, fonts),
        }
    }
}

/// Reads a document's JSON file, lays it out and writes it to `out`: as OFD
/// when the name ends in `.ofd`, as PDF otherwise; nothing is written to
/// `out` when any step fails. Returns the number of pages.
pub fn print_document_file(input: &Path, out: &Path, fonts: &FontLibrary) -> Result<usize> {
    let json = std::fs::read_to_string(input).map_err(|source| PrintError::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let doc = parse_document_json(&json)?;
    let layout = layout_document(&doc, fonts)?;
    let bytes = OutputFormat::for_path(out).render(&layout, fonts)?;
    write_atomically(out, &bytes)?;
    Ok(layout.pages.len())
}
