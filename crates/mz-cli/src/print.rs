//! `mz print`: official documents to PDF or OFD, forms and calibration sheets
//! to PDF, the font chains, and sending a PDF to a printer. A thin edge over
//! mz-print.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use mz_print::forms::{self, FormLayout, Offset};
use mz_print::{FontRole, render_pdf, system_fonts, write_atomically};

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// Lay out an official document (公文, GB/T 9704-2012) from JSON as PDF,
    /// or as OFD (GB/T 33190-2016) when --out ends in .ofd.
    Document(DocumentArgs),
    /// Show the font chain of each role, with the files found.
    Fonts,
    /// Fill a form or certificate layout with data, as PDF.
    Form(FormArgs),
    /// Lay out a table (title, columns, rows, footer) from JSON as PDF,
    /// over as many pages as it takes, its header repeated on each.
    Table(DocumentArgs),
    /// The calibration sheet (mm grid and rulers) to print on plain paper.
    Calibration(CalibrationArgs),
    /// Send a PDF to a printer through the OS (CUPS on Linux).
    Send(SendArgs),
    /// Print the JSON Schema of the document input.
    Schema,
}

#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// The document as JSON (see assets/print/document.schema.json).
    #[arg(long)]
    input: PathBuf,
    /// Where to write the PDF (the OFD for a name ending in .ofd, documents
    /// only); nothing is written when generation fails.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct FormArgs {
    /// A shipped layout (generic-a4) or a layout .json file.
    #[arg(long)]
    layout: String,
    /// The values as a JSON object of strings, keyed by field name.
    #[arg(long)]
    data: PathBuf,
    /// The printer's calibration offset in mm, X,Y (right and down positive).
    #[arg(long, allow_hyphen_values = true)]
    offset: Option<Offset>,
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CalibrationArgs {
    /// Print the sheet shifted by this offset, to check a calibration.
    #[arg(long, allow_hyphen_values = true)]
    offset: Option<Offset>,
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The printer's name in the print system (lpstat -p lists them).
    #[arg(long)]
    printer: String,
    /// The PDF to print.
    file: PathBuf,
}

pub fn run(command: PrintCommand) -> Result<()> {
    let fonts = system_fonts();
    match command {
        PrintCommand::Document(args) => {
            let pages = mz_print::print_document_file(&args.input, &args.out, fonts)?;
            println!("{} ({pages} pages)", args.out.display());
        }
        PrintCommand::Fonts => {
            for role in FontRole::ALL {
                println!("{}:", role.label());
                let chain = fonts.chain(role);
                if chain.is_empty() {
                    println!(
                        "  (no font found: install the fonts of scripts/lib.sh ensure_print_tools)"
                    );
                }
                for entry in chain {
                    let kind = if entry.fallback {
                        " [rare characters]"
                    } else {
                        ""
                    };
                    println!(
                        "  {} (weight {}){}\n    {} #{}",
                        entry.family,
                        entry.weight,
                        kind,
                        entry.path.display(),
                        entry.index
                    );
                }
            }
        }
        PrintCommand::Form(args) => {
            let layout = FormLayout::load(&args.layout)?;
            let json = std::fs::read_to_string(&args.data)
                .with_context(|| format!("cannot read {}", args.data.display()))?;
            let data = forms::parse_form_data(&json, &layout)?;
            let page = forms::layout_form(&layout, &data, args.offset.unwrap_or_default(), fonts)?;
            write_atomically(&args.out, &render_pdf(&page, fonts)?)?;
            println!("{}", args.out.display());
        }
        PrintCommand::Table(args) => {
            let json = std::fs::read_to_string(&args.input)
                .with_context(|| format!("cannot read {}", args.input.display()))?;
            let table: mz_print::Table = serde_json::from_str(&json)
                .with_context(|| format!("{} is not a table", args.input.display()))?;
            let layout = mz_print::layout_table(&table, fonts)?;
            write_atomically(&args.out, &render_pdf(&layout, fonts)?)?;
            println!("{} ({} pages)", args.out.display(), layout.pages.len());
        }
        PrintCommand::Calibration(args) => {
            let sheet = forms::calibration_sheet(args.offset.unwrap_or_default(), fonts)?;
            write_atomically(&args.out, &render_pdf(&sheet, fonts)?)?;
            println!("{}", args.out.display());
        }
        PrintCommand::Send(args) => {
            let job = mz_print::spool::send_to_printer(&args.printer, &args.file)?;
            println!("printer {} accepted job {}", job.printer, job.id);
        }
        PrintCommand::Schema => print!("{}", mz_print::document_schema_json()),
    }
    Ok(())
}
