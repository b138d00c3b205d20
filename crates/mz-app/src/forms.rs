//! Printing onto forms and certificate paper: the shipped layouts filled
//! in, shifted by the printer's calibration, as PDF and SVG preview pages.
//! Every module's certificates and forms print through here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, AppResult};

/// A certificate ready to print: the PDF and, for the preview, its pages as SVG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificatePrint {
    /// Where the PDF was written.
    pub pdf_path: String,
    /// Where the OFD (GB/T 33190) beside it was written, for an official
    /// document.
    pub ofd_path: Option<String>,
    pub pages_svg: Vec<String>,
    /// The files are a classified document's copies: wiped when the user
    /// signs out, when the app stops, and an hour after they were written.
    #[serde(default)]
    pub wiped_after: bool,
}

/// A date as a certificate prints it: 2026年3月5日.
pub fn chinese_date(day: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// Lays out one of the shipped forms with `fields`, shifted by the
/// printer's calibration, as PDF bytes and SVG pages. A character no
/// installed font can print is an error naming it and its field.
pub(crate) fn print_form(
    layout: &str,
    fields: &mz_print::forms::FormData,
    offset: mz_print::forms::Offset,
) -> AppResult<(Vec<u8>, Vec<String>)> {
    let print_error = AppError::from;
    let layout = mz_print::forms::FormLayout::load(layout).map_err(print_error)?;
    let fonts = mz_print::system_fonts();
    let pages =
        mz_print::forms::layout_form(&layout, fields, offset, fonts).map_err(print_error)?;
    let pdf = mz_print::render_pdf(&pages, fonts).map_err(print_error)?;
    let svg = pages.pages.iter().map(mz_print::svg::page_svg).collect();
    Ok((pdf, svg))
}
