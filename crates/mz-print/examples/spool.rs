//! The print system as mz-print sees it, for trying a machine's printers
//! without the app: `cargo run -p mz-print --example spool` lists them (the
//! default first); `… -- PRINTER FILE.pdf` prints the file and shows the job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [] => mz_print::spool::printers().map(|names| names.join("\n")),
        [printer, file] => mz_print::spool::send_to_printer(printer, file.as_ref())
            .map(|job| format!("job {} on {}", job.id, job.printer)),
        _ => {
            eprintln!("usage: spool [PRINTER FILE.pdf]");
            return std::process::ExitCode::FAILURE;
        }
    };
    match result {
        Ok(text) => {
            println!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            std::process::ExitCode::FAILURE
        }
    }
}
