use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::printers::{PrintedJob, PrinterInfo};
use tauri::State;

use super::CommandResult;

/// This machine's printers, the default first, with their calibration.
#[tauri::command]
pub async fn printers(desktop: State<'_, Desktop>) -> CommandResult<Vec<PrinterInfo>> {
    Ok(desktop.printers()?)
}

/// Keeps a printer's measured offset (mm).
#[tauri::command]
pub async fn set_printer_offset(
    desktop: State<'_, Desktop>,
    printer: String,
    offset_x_mm: f32,
    offset_y_mm: f32,
) -> CommandResult<()> {
    Ok(desktop.set_printer_offset(&printer, offset_x_mm, offset_y_mm)?)
}

/// Sends a PDF the app made to a printer.
#[tauri::command]
pub async fn print_file(
    desktop: State<'_, Desktop>,
    pdf_path: String,
    printer: String,
) -> CommandResult<PrintedJob> {
    Ok(desktop.print_file(&pdf_path, &printer)?)
}

/// The calibration sheet with an offset: its preview, and the job when a
/// printer is named.
#[tauri::command]
pub async fn calibration_sheet(
    desktop: State<'_, Desktop>,
    printer: Option<String>,
    offset_x_mm: f32,
    offset_y_mm: f32,
) -> CommandResult<(CertificatePrint, Option<PrintedJob>)> {
    Ok(desktop.calibration_sheet(printer.as_deref(), offset_x_mm, offset_y_mm)?)
}
