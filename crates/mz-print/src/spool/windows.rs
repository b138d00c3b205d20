//! The Windows print spooler.
//!
//! Windows has no print path that takes a PDF as it is for every printer, so
//! each page is rendered by Windows' own PDF renderer (Windows.Data.Pdf, in
//! Windows 10 and later) at the printer's resolution and drawn on the
//! printer's device context through GDI, at the page's true size from the
//! paper's corner: a certificate layout lands where it was laid out, as
//! through CUPS. `StartDocW` gives the spooler's job id.
//!
//! Every call into Win32 is `unsafe`; each block says what it relies on.
#![allow(unsafe_code)]

use std::path::Path;

use windows::Data::Pdf::{PdfDocument, PdfPageRenderOptions};
use windows::Graphics::Imaging::BitmapEncoder;
use windows::Storage::StorageFile;
use windows::Storage::Streams::{DataReader, InMemoryRandomAccessStream};
use windows::Win32::Foundation::ERROR_INSUFFICIENT_BUFFER;
use windows::Win32::Graphics::Gdi::{
    BITMAPINFO, CreateDCW, DIB_RGB_COLORS, DeleteDC, GetDeviceCaps, HDC, LOGPIXELSX, LOGPIXELSY,
    PHYSICALOFFSETX, PHYSICALOFFSETY, SRCCOPY, StretchDIBits,
};
use windows::Win32::Graphics::Printing::{
    EnumPrintersW, GetDefaultPrinterW, PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL,
    PRINTER_INFO_4W,
};
use windows::Win32::Storage::Xps::{DOCINFOW, EndDoc, EndPage, StartDocW, StartPage};
use windows::core::{HSTRING, PCWSTR, PWSTR, w};

use super::PrintJob;
use crate::error::{PrintError, Result};

fn printer_error(printer: &str, message: impl std::fmt::Display) -> PrintError {
    PrintError::Printer {
        printer: printer.to_owned(),
        message: message.to_string(),
    }
}

/// The installed printers (local and network connections), the default first.
pub(super) fn printers() -> Result<Vec<String>> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut returned) = (0u32, 0u32);
    // SAFETY: the first call only asks for the buffer size.
    let sized =
        unsafe { EnumPrintersW(flags, PCWSTR::null(), 4, None, &mut needed, &mut returned) };
    if let Err(e) = sized
        && e.code() != ERROR_INSUFFICIENT_BUFFER.to_hresult()
    {
        return Err(printer_error(
            "",
            format!("the spooler lists no printers: {e}"),
        ));
    }
    let mut names = Vec::new();
    if needed > 0 {
        // u64 words keep the buffer aligned for PRINTER_INFO_4W.
        let mut buffer = vec![0u64; (needed as usize).div_ceil(8)];
        // SAFETY: the buffer holds `needed` bytes, as the first call asked.
        unsafe {
            let bytes =
                std::slice::from_raw_parts_mut(buffer.as_mut_ptr().cast::<u8>(), needed as usize);
            EnumPrintersW(
                flags,
                PCWSTR::null(),
                4,
                Some(bytes),
                &mut needed,
                &mut returned,
            )
            .map_err(|e| printer_error("", format!("the spooler lists no printers: {e}")))?;
            let infos = std::slice::from_raw_parts(
                buffer.as_ptr().cast::<PRINTER_INFO_4W>(),
                returned as usize,
            );
            for info in infos {
                if !info.pPrinterName.is_null()
                    && let Ok(name) = info.pPrinterName.to_string()
                {
                    names.push(name);
                }
            }
        }
    }
    if let Some(default) = default_printer()
        && let Some(at) = names.iter().position(|n| *n == default)
    {
        let name = names.remove(at);
        names.insert(0, name);
    }
    Ok(names)
}

fn default_printer() -> Option<String> {
    let mut size = 0u32;
    // SAFETY: a null buffer asks for the size; the second call gets a buffer
    // of that many UTF-16 units.
    unsafe {
        let _ = GetDefaultPrinterW(None, &mut size);
        if size == 0 {
            return None;
        }
        let mut buffer = vec![0u16; size as usize];
        if !GetDefaultPrinterW(Some(PWSTR(buffer.as_mut_ptr())), &mut size).as_bool() {
            return None;
        }
        let end = buffer.iter().position(|&c| c == 0).unwrap_or(buffer.len());
        buffer.get(..end).map(String::from_utf16_lossy)
    }
}

/// The printer's device context, deleted when dropped.
struct Printer(HDC);

impl Drop for Printer {
    fn drop(&mut self) {
        // SAFETY: the context was made by CreateDCW and is deleted once.
        unsafe {
            let _ = DeleteDC(self.0);
        }
    }
}

/// Renders each page of the PDF at the printer's resolution and prints it as
/// one spooler job.
pub(super) fn send_to_printer(printer: &str, file: &Path) -> Result<PrintJob> {
    let fail = |message: &dyn std::fmt::Display| printer_error(printer, message);
    let path = std::fs::canonicalize(file).map_err(|source| PrintError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let storage = StorageFile::GetFileFromPathAsync(&HSTRING::from(path.as_os_str()))
        .and_then(|op| op.join())
        .map_err(|e| fail(&format!("cannot open the PDF: {e}")))?;
    let document = PdfDocument::LoadFromFileAsync(&storage)
        .and_then(|op| op.join())
        .map_err(|e| fail(&format!("Windows cannot read the PDF: {e}")))?;
    let pages = document.PageCount().map_err(|e| fail(&e))?;

    // SAFETY: the strings live across the call; a failure is a null context.
    let dc = unsafe {
        CreateDCW(
            w!("WINSPOOL"),
            &HSTRING::from(printer),
            PCWSTR::null(),
            None,
        )
    };
    if dc.is_invalid() {
        return Err(fail(&"no such printer, or it cannot be opened"));
    }
    let dc = Printer(dc);
    // SAFETY: plain queries of a valid device context.
    let (dpi_x, dpi_y, margin_x, margin_y) = unsafe {
        (
            GetDeviceCaps(Some(dc.0), LOGPIXELSX),
            GetDeviceCaps(Some(dc.0), LOGPIXELSY),
            GetDeviceCaps(Some(dc.0), PHYSICALOFFSETX),
            GetDeviceCaps(Some(dc.0), PHYSICALOFFSETY),
        )
    };
    let name = HSTRING::from(
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "民政桌面".to_owned()),
    );
    let info = DOCINFOW {
        cbSize: std::mem::size_of::<DOCINFOW>() as i32,
        lpszDocName: PCWSTR(name.as_ptr()),
        ..Default::default()
    };
    // SAFETY: `info` and the name it points to outlive the call.
    let job = unsafe { StartDocW(dc.0, &info) };
    if job <= 0 {
        return Err(fail(&"the spooler refused the job"));
    }
    for index in 0..pages {
        if let Err(message) =
            print_page(&dc, &document, index, (dpi_x, dpi_y), (margin_x, margin_y))
        {
            // SAFETY: the document was started on this context.
            unsafe {
                let _ = windows::Win32::Storage::Xps::AbortDoc(dc.0);
            }
            return Err(fail(&format!("page {}: {message}", index + 1)));
        }
    }
    // SAFETY: the document was started on this context.
    if unsafe { EndDoc(dc.0) } <= 0 {
        return Err(fail(&"the spooler did not accept the end of the job"));
    }
    Ok(PrintJob {
        printer: printer.to_owned(),
        id: job.to_string(),
    })
}

/// One page: rendered to a bitmap the size of the page at the printer's
/// resolution, drawn from the paper's corner (the printable area's origin
/// is shifted by the physical margin).
fn print_page(
    dc: &Printer,
    document: &PdfDocument,
    index: u32,
    (dpi_x, dpi_y): (i32, i32),
    (margin_x, margin_y): (i32, i32),
) -> std::result::Result<(), String> {
    let page = document.GetPage(index).map_err(|e| e.to_string())?;
    // The page's size in device-independent pixels (1/96 inch).
    let size = page.Size().map_err(|e| e.to_string())?;
    let width = (f64::from(size.Width) / 96.0 * f64::from(dpi_x)).round() as u32;
    let height = (f64::from(size.Height) / 96.0 * f64::from(dpi_y)).round() as u32;
    let options = PdfPageRenderOptions::new().map_err(|e| e.to_string())?;
    options
        .SetDestinationWidth(width)
        .map_err(|e| e.to_string())?;
    options
        .SetDestinationHeight(height)
        .map_err(|e| e.to_string())?;
    options
        .SetBitmapEncoderId(BitmapEncoder::BmpEncoderId().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let stream = InMemoryRandomAccessStream::new().map_err(|e| e.to_string())?;
    page.RenderWithOptionsToStreamAsync(&stream, &options)
        .and_then(|op| op.join())
        .map_err(|e| format!("Windows could not render it: {e}"))?;
    let length = u32::try_from(stream.Size().map_err(|e| e.to_string())?)
        .map_err(|_| "the rendered page is too large".to_owned())?;
    stream.Seek(0).map_err(|e| e.to_string())?;
    let reader = DataReader::CreateDataReader(&stream).map_err(|e| e.to_string())?;
    reader
        .LoadAsync(length)
        .and_then(|op| op.join())
        .map_err(|e| e.to_string())?;
    let mut bmp = vec![0u8; length as usize];
    reader.ReadBytes(&mut bmp).map_err(|e| e.to_string())?;

    // A .bmp file: a 14-byte file header (the pixels' offset at byte 10),
    // then the BITMAPINFO header GDI takes as it is.
    let pixels_at = bmp
        .get(10..14)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
        .filter(|&at| (at as usize) < bmp.len() && at >= 14 + 40)
        .ok_or_else(|| "the rendered page is not a bitmap".to_owned())?;
    let header = bmp.as_ptr().wrapping_add(14).cast::<BITMAPINFO>();
    let pixels = bmp
        .as_ptr()
        .wrapping_add(pixels_at as usize)
        .cast::<std::ffi::c_void>();
    // SAFETY: `header` and `pixels` point into `bmp`, which outlives the
    // calls; the header was checked to lie before the pixels.
    unsafe {
        let (bitmap_width, bitmap_height) = (
            (*header).bmiHeader.biWidth,
            (*header).bmiHeader.biHeight.abs(),
        );
        if StartPage(dc.0) <= 0 {
            return Err("the spooler refused the page".to_owned());
        }
        let drawn = StretchDIBits(
            dc.0,
            -margin_x,
            -margin_y,
            width as i32,
            height as i32,
            0,
            0,
            bitmap_width,
            bitmap_height,
            Some(pixels),
            header,
            DIB_RGB_COLORS,
            SRCCOPY,
        );
        if drawn == 0 {
            return Err("the page could not be drawn on the printer".to_owned());
        }
        if EndPage(dc.0) <= 0 {
            return Err("the printer did not accept the page".to_owned());
        }
    }
    Ok(())
}
