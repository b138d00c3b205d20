//! Print benchmarks: a one-page certificate overlay and a 30-page official
//! document with the fonts loaded (as PDF, as OFD, and as both from one
//! layout, as the desk saves them), and loading the fonts on their own.
//!
//! `cargo bench -p mz-print` (the README has the figures of a run).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mz_print::forms::{self, FormLayout, Offset};
use mz_print::{
    FontLibrary, OfficialDocument, Paragraph, layout_document, parse_document_json, render_ofd,
    render_pdf, system_fonts,
};

/// An official document of 30 pages: paragraphs are added until the
/// layout reaches 30 pages.
fn thirty_page_document(fonts: &FontLibrary) -> OfficialDocument {
    let paragraph = "为贯彻落实《婚姻登记条例》和《殡葬管理条例》，进一步提升婚姻登记和殡葬服务窗口的规范化水平，方便群众办事，2016年底前全省婚姻登记机关全部达到3A级以上标准，当事人姓名中含有生僻字的（如王䶮、𠀀明），应当如实录入和打印。";
    let mut doc = parse_document_json(
        &serde_json::json!({
            "copy_no": "000001",
            "classification": {"level": "秘密", "period": "1年"},
            "urgency": "特急",
            "issuer_mark": "湖南省民政厅文件",
            "doc_number": "湘民发〔2016〕22号",
            "title": "湖南省民政厅关于进一步做好婚姻登记和殡葬服务窗口规范化建设工作的通知",
            "recipients": ["各市州民政局", "厅机关各处室"],
            "body": [{"level": 0, "text": paragraph}],
            "attachments": ["婚姻登记机关等级评定标准"],
            "signature": "湖南省民政厅",
            "date": "2016-06-27",
            "sealed": true,
            "cc": ["民政部社会事务司"],
            "printer": "湖南省民政厅办公室",
            "print_date": "2016-06-28"
        })
        .to_string(),
    )
    .unwrap();
    let numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    while layout_document(&doc, fonts).unwrap().pages.len() < 30 {
        let k = doc.body.len();
        let (level, text) = if k % 8 == 1 {
            (1, format!("{}、工作要求", numbers[(k / 8) % 10]))
        } else {
            (0, paragraph.to_owned())
        };
        doc.body.push(Paragraph { level, text });
    }
    doc
}

fn certificate_data() -> forms::FormData {
    [
        ("name", "王䶮"),
        ("sex", "男"),
        ("id_number", "430102199001011234"),
        ("birth_date", "1990年1月1日"),
        ("ethnic_group", "汉族"),
        (
            "address",
            "湖南省长沙市芙蓉区五一大道一号湖南省民政厅大院3栋2单元501室",
        ),
        ("phone", "0731-12345678"),
        ("postcode", "410011"),
        (
            "matter",
            "申请补领结婚证。当事人𠀀明称原证件于2023年搬家时遗失。",
        ),
        ("clerk", "李四"),
        ("date", "2024年3月1日"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn benches(c: &mut Criterion) {
    let mut fonts = c.benchmark_group("fonts");
    fonts
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    // Reading the installed fonts' names and resolving the chains.
    fonts.bench_function("discover", |b| {
        b.iter(|| black_box(FontLibrary::discover()))
    });
    // The same and parsing the first face of every chain for PDF output:
    // what the first document of a process pays.
    fonts.bench_function("discover_and_parse", |b| {
        b.iter(|| {
            let lib = FontLibrary::discover();
            lib.preload().unwrap();
            black_box(lib)
        })
    });
    fonts.finish();

    let lib = system_fonts();
    lib.preload().unwrap();

    // A certificate overlay prints only the values onto pre-printed paper:
    // the generic form's fields without its labels and frames.
    let form = FormLayout::load("generic-a4").unwrap();
    let overlay = FormLayout {
        labels: Vec::new(),
        rules: Vec::new(),
        ..form.clone()
    };
    let data = certificate_data();
    let mut print = c.benchmark_group("print");
    print
        .sample_size(30)
        .measurement_time(Duration::from_secs(6));
    print.bench_function("certificate_overlay_1_page", |b| {
        b.iter(|| {
            let page = forms::layout_form(&overlay, &data, Offset::default(), lib).unwrap();
            black_box(render_pdf(&page, lib).unwrap())
        })
    });
    // The same with labels and frames, on plain paper (one more face for
    // the labels and one for the heading).
    print.bench_function("generic_form_1_page_plain_paper", |b| {
        b.iter(|| {
            let page = forms::layout_form(&form, &data, Offset::default(), lib).unwrap();
            black_box(render_pdf(&page, lib).unwrap())
        })
    });

    let doc = thirty_page_document(lib);
    let laid = layout_document(&doc, lib).unwrap();
    let pdf = render_pdf(&laid, lib).unwrap();
    println!(
        "official document: {} pages, {} bytes ({:.1} KB)",
        laid.pages.len(),
        pdf.len(),
        pdf.len() as f64 / 1024.0
    );
    print.bench_function("official_document_30_pages", |b| {
        b.iter(|| {
            let laid = layout_document(&doc, lib).unwrap();
            black_box(render_pdf(&laid, lib).unwrap())
        })
    });
    let ofd = render_ofd(&laid, lib).unwrap();
    let one_page = {
        let mut doc = doc.clone();
        doc.body.truncate(1);
        doc.attachments.clear();
        doc.cc.clear();
        doc.printer = None;
        doc.print_date = None;
        layout_document(&doc, lib).unwrap()
    };
    let one_page_ofd = render_ofd(&one_page, lib).unwrap();
    let one_page_pdf = render_pdf(&one_page, lib).unwrap();
    println!(
        "OFD: {} pages {} bytes ({:.1} KB); {} page {} bytes ({:.1} KB, its PDF {:.1} KB)",
        laid.pages.len(),
        ofd.len(),
        ofd.len() as f64 / 1024.0,
        one_page.pages.len(),
        one_page_ofd.len(),
        one_page_ofd.len() as f64 / 1024.0,
        one_page_pdf.len() as f64 / 1024.0
    );
    print.bench_function("official_document_30_pages_ofd", |b| {
        b.iter(|| {
            let laid = layout_document(&doc, lib).unwrap();
            black_box(render_ofd(&laid, lib).unwrap())
        })
    });
    // What saving a document costs: one layout, written as PDF and as OFD.
    print.bench_function("official_document_30_pages_pdf_and_ofd", |b| {
        b.iter(|| {
            let laid = layout_document(&doc, lib).unwrap();
            black_box(render_pdf(&laid, lib).unwrap());
            black_box(render_ofd(&laid, lib).unwrap())
        })
    });
    print.bench_function("official_document_30_pages_layout_only", |b| {
        b.iter(|| black_box(layout_document(&doc, lib).unwrap()))
    });
    print.finish();
    libreoffice_comparison(&doc, lib);
}

/// The same document as flat ODT (A4, margins of the standard, 16 pt Kai
/// body at the grid's line pitch), converted by LibreOffice headless; timed
/// against mz-print in the same run. Skipped when soffice is not installed.
fn libreoffice_comparison(doc: &OfficialDocument, lib: &FontLibrary) {
    let Ok(status) = Command::new("soffice").arg("--version").output() else {
        println!("LibreOffice comparison: soffice is not installed, skipped");
        return;
    };
    if !status.status.success() {
        println!("LibreOffice comparison: soffice does not run, skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut paragraphs = String::new();
    for line in [
        doc.issuer_mark.as_str(),
        doc.doc_number.as_str(),
        doc.title.as_str(),
    ] {
        paragraphs.push_str(&format!(
            "<text:p text:style-name=\"C\">{}</text:p>",
            escape(line)
        ));
    }
    for p in &doc.body {
        paragraphs.push_str(&format!(
            "<text:p text:style-name=\"B\">{}</text:p>",
            escape(&p.text)
        ));
    }
    let fodt = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Kai" svg:font-family="'LXGW WenKai'"/></office:font-face-decls>
<office:styles>
<style:style style:name="B" style:family="paragraph"><style:paragraph-properties fo:text-indent="11.14mm" fo:line-height="{line:.2}mm" fo:text-align="justify"/><style:text-properties style:font-name="Kai" style:font-name-asian="Kai" fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>
<style:style style:name="C" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:line-height="{line:.2}mm"/><style:text-properties style:font-name="Kai" style:font-name-asian="Kai" fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="37mm" fo:margin-bottom="35mm" fo:margin-left="28mm" fo:margin-right="26mm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>{paragraphs}</office:text></office:body>
</office:document>
"#,
        line = 225.0 / 22.0
    );
    let input = dir.path().join("document.fodt");
    std::fs::write(&input, fodt).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let output = dir.path().join("document.pdf");
    let convert = || {
        let _ = std::fs::remove_file(&output);
        let t = Instant::now();
        let out = Command::new("soffice")
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(dir.path())
            .arg(&input)
            .output()
            .ok()?;
        (out.status.success() && output.exists()).then(|| t.elapsed())
    };
    // The first run creates the profile; a LibreOffice without Writer
    // (e.g. only libreoffice-calc) cannot load a text document.
    if convert().is_none() {
        println!(
            "LibreOffice comparison: soffice cannot convert a text document here (Writer is not installed), skipped"
        );
        return;
    }
    let mut lo: Vec<Duration> = (0..3).filter_map(|_| convert()).collect();
    if lo.len() < 3 {
        println!("LibreOffice comparison: a conversion failed, skipped");
        return;
    }
    lo.sort();
    let mut ours: Vec<Duration> = (0..10)
        .map(|_| {
            let t = Instant::now();
            black_box(render_pdf(&layout_document(doc, lib).unwrap(), lib).unwrap());
            t.elapsed()
        })
        .collect();
    ours.sort();
    let pdf = std::fs::read(&output).unwrap();
    let (lo_med, ours_med) = (lo[1], ours[5]);
    println!(
        "LibreOffice headless, same document: {:.0} ms ({} KB) against mz-print {:.1} ms: {:.0}× faster",
        lo_med.as_secs_f64() * 1000.0,
        pdf.len() / 1024,
        ours_med.as_secs_f64() * 1000.0,
        lo_med.as_secs_f64() / ours_med.as_secs_f64()
    );
}

criterion_group!(print_benches, benches);
criterion_main!(print_benches);
