//! Renders an official document's JSON to PDF: `cargo run -p mz-print --example render -- in.json out.pdf`.
#![allow(clippy::print_stdout)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: render IN.json OUT.pdf".into());
    };
    let fonts = mz_print::system_fonts();
    let t = std::time::Instant::now();
    let pages = mz_print::print_document_file(input.as_ref(), out.as_ref(), fonts)?;
    println!("{pages} pages in {:?}", t.elapsed());
    Ok(())
}
