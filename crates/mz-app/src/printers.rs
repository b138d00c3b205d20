//! The printers of this machine and their calibration: each printer feeds
//! pre-printed certificate paper a little differently, so each keeps its own
//! offset (mm, right and down), measured on the calibration sheet. Kept in
//! the profile folder, not synced: it belongs to the printer on this desk.

use std::collections::BTreeMap;
use std::path::PathBuf;

use mz_print::forms::Offset;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desktop::Desktop;
use crate::forms::CertificatePrint;
use crate::{AppError, AppResult};

/// A printer as the print screens show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PrinterInfo {
    pub name: String,
    /// The print system's default printer.
    pub default: bool,
    /// Its calibration, zero until measured.
    pub offset_x_mm: f32,
    pub offset_y_mm: f32,
}

/// A print job the print system accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintedJob {
    pub printer: String,
    pub job: String,
}

/// The largest calibration offset: more than this is a wrong measurement.
const MAX_OFFSET_MM: f32 = 20.0;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Calibration {
    x_mm: f32,
    y_mm: f32,
}

fn print_error(e: mz_print::PrintError) -> AppError {
    AppError::from(e)
}

impl Desktop {
    fn calibrations_path(&self) -> PathBuf {
        self.profile().dir().join("printers.json")
    }

    fn calibrations(&self) -> BTreeMap<String, Calibration> {
        std::fs::read(self.calibrations_path())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The printers of this machine, the default first, with their offsets.
    pub fn printers(&self) -> AppResult<Vec<PrinterInfo>> {
        let calibrations = self.calibrations();
        Ok(mz_print::spool::printers()
            .map_err(print_error)?
            .into_iter()
            .enumerate()
            .map(|(index, name)| {
                let offset = calibrations.get(&name).copied().unwrap_or_default();
                PrinterInfo {
                    default: index == 0,
                    offset_x_mm: offset.x_mm,
                    offset_y_mm: offset.y_mm,
                    name,
                }
            })
            .collect())
    }

    /// Keeps a printer's measured offset.
    pub fn set_printer_offset(&self, printer: &str, x_mm: f32, y_mm: f32) -> AppResult<()> {
        if printer.trim().is_empty() {
            return Err(AppError::Invalid("请选择打印机".to_owned()));
        }
        if !(x_mm.is_finite() && y_mm.is_finite())
            || x_mm.abs() > MAX_OFFSET_MM
            || y_mm.abs() > MAX_OFFSET_MM
        {
            return Err(AppError::Invalid(format!(
                "偏移应在 ±{MAX_OFFSET_MM} mm 之内"
            )));
        }
        let mut calibrations = self.calibrations();
        calibrations.insert(printer.to_owned(), Calibration { x_mm, y_mm });
        let bytes = serde_json::to_vec_pretty(&calibrations)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        mz_print::write_atomically(&self.calibrations_path(), &bytes)
            .map_err(|e| AppError::Io(e.to_string()))
    }

    /// The offset kept for a printer (zero until measured).
    pub fn printer_offset(&self, printer: &str) -> Offset {
        let c = self
            .calibrations()
            .get(printer)
            .copied()
            .unwrap_or_default();
        Offset {
            x_mm: c.x_mm,
            y_mm: c.y_mm,
        }
    }

    /// Sends a PDF this app made (in the profile's `prints` folder) to a printer.
    pub fn print_file(&self, pdf_path: &str, printer: &str) -> AppResult<PrintedJob> {
        let prints = self.profile().dir().join(crate::profile::PRINTS);
        let path = PathBuf::from(pdf_path);
        let inside = path
            .canonicalize()
            .ok()
            .zip(prints.canonicalize().ok())
            .is_some_and(|(file, folder)| file.starts_with(folder));
        if !inside {
            return Err(AppError::Invalid("只能打印本机生成的文件".to_owned()));
        }
        let job = mz_print::spool::send_to_printer(printer, &path).map_err(print_error)?;
        Ok(PrintedJob {
            printer: job.printer,
            job: job.id,
        })
    }

    /// The calibration sheet (mm grid and rulers) laid out with the offset
    /// given, written into `prints`, and sent to the printer when one is named.
    pub fn calibration_sheet(
        &self,
        printer: Option<&str>,
        x_mm: f32,
        y_mm: f32,
    ) -> AppResult<(CertificatePrint, Option<PrintedJob>)> {
        let fonts = mz_print::system_fonts();
        let layout = mz_print::forms::calibration_sheet(Offset { x_mm, y_mm }, fonts)
            .map_err(print_error)?;
        let pdf = mz_print::render_pdf(&layout, fonts).map_err(print_error)?;
        let svg = layout.pages.iter().map(mz_print::svg::page_svg).collect();
        let print = self.keep_print("校准页.pdf", &pdf, svg)?;
        let job = match printer {
            Some(printer) => Some(self.print_file(&print.pdf_path, printer)?),
            None => None,
        };
        Ok((print, job))
    }
}
