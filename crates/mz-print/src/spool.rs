//! Handing a finished PDF to the operating system's print system.
//!
//! On Linux and other Unix systems this is CUPS through its `lp` command,
//! which answers with the job id or the printer's error. On Windows it is the
//! print spooler: each page rendered by Windows' own PDF renderer and printed
//! through GDI (see `spool/windows.rs`).

#[cfg(windows)]
mod windows;

use std::path::Path;

use serde::Serialize;

use crate::error::{PrintError, Result};

/// A job the print system accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    pub printer: String,
    /// The print system's id of the job, e.g. `cups-pdf-12`.
    pub id: String,
}

/// Sends a PDF to a printer and returns the job the print system queued.
#[cfg(not(windows))]
pub fn send_to_printer(printer: &str, file: &Path) -> Result<PrintJob> {
    check(printer, file)?;
    // `--` so that a file name starting with '-' is not taken for an option.
    let output = std::process::Command::new("lp")
        .arg("-d")
        .arg(printer)
        .arg("--")
        .arg(file)
        .output()
        .map_err(|e| PrintError::Printer {
            printer: printer.to_owned(),
            message: format!("cannot run lp (is CUPS installed?): {e}"),
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let message = stderr.trim();
        return Err(PrintError::Printer {
            printer: printer.to_owned(),
            message: if message.is_empty() {
                format!("lp failed ({})", output.status)
            } else {
                message.to_owned()
            },
        });
    }
    let id = parse_job_id(&stdout).ok_or_else(|| PrintError::Printer {
        printer: printer.to_owned(),
        message: format!("lp gave no job id: {}", stdout.trim()),
    })?;
    Ok(PrintJob {
        printer: printer.to_owned(),
        id,
    })
}

/// Sends a PDF to a printer through the Windows spooler and returns the
/// spooler's job id.
#[cfg(windows)]
pub fn send_to_printer(printer: &str, file: &Path) -> Result<PrintJob> {
    check(printer, file)?;
    windows::send_to_printer(printer, file)
}

/// The printers the print system knows, the default one first.
#[cfg(not(windows))]
pub fn printers() -> Result<Vec<String>> {
    let run = |args: &[&str]| {
        std::process::Command::new("lpstat")
            .args(args)
            .output()
            .map_err(|e| PrintError::Printer {
                printer: String::new(),
                message: format!("cannot run lpstat (is CUPS installed?): {e}"),
            })
    };
    let listed = run(&["-e"])?;
    let mut names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    // "system default destination: NAME"
    let default = run(&["-d"])?;
    if let Some(name) = String::from_utf8_lossy(&default.stdout)
        .split(": ")
        .nth(1)
        .map(str::trim)
        && let Some(at) = names.iter().position(|n| n == name)
    {
        let name = names.remove(at);
        names.insert(0, name);
    }
    Ok(names)
}

/// The printers the Windows spooler knows, the default one first.
#[cfg(windows)]
pub fn printers() -> Result<Vec<String>> {
    windows::printers()
}

fn check(printer: &str, file: &Path) -> Result<()> {
    // CUPS names have no spaces; Windows printers often do ("HP LaserJet 400").
    let spaced = cfg!(not(windows)) && printer.chars().any(char::is_whitespace);
    if printer.trim().is_empty() || printer.starts_with('-') || spaced {
        return Err(PrintError::input("printer", "not a printer name"));
    }
    if !file.is_file() {
        return Err(PrintError::Io {
            path: file.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    Ok(())
}

/// The job id from lp's answer: "request id is NAME-12 (1 file(s))".
#[cfg(not(windows))]
fn parse_job_id(stdout: &str) -> Option<String> {
    let rest = stdout.split("request id is ").nth(1)?;
    let id = rest.split_whitespace().next()?;
    (!id.is_empty()).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(windows))]
    fn job_id_is_read_from_lp() {
        assert_eq!(
            parse_job_id("request id is cups-pdf-12 (1 file(s))\n").as_deref(),
            Some("cups-pdf-12")
        );
        assert_eq!(parse_job_id("something else"), None);
    }

    #[test]
    fn bad_printer_names_and_missing_files_are_refused() {
        assert!(send_to_printer("-o", Path::new("/etc/hostname")).is_err());
        assert!(send_to_printer("a b", Path::new("/etc/hostname")).is_err());
        assert!(send_to_printer("p", Path::new("/no/such/file.pdf")).is_err());
    }
}
