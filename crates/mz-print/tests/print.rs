//! mz-print checked from the outside: PDFs generated from JSON and read back
//! with poppler (pdftotext -bbox, pdffonts) and qpdf, plus the layout model
//! for what a PDF reader cannot tell (colours, fonts per run).
//!
//! Needs poppler-utils, qpdf and the CJK fonts that scripts/lib.sh
//! (ensure_print_tools) installs. The OFD export's tests are in print/ofd.rs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "print/ofd.rs"]
mod ofd;

use mz_print::model::{Colour, Element, Item};
use mz_print::{
    FontLibrary, FontRole, Layout, OfficialDocument, PrintError, layout_document,
    parse_document_json, print_document_file, render_pdf, system_fonts,
};

const PT_MM: f64 = 25.4 / 72.0;

fn base() -> serde_json::Value {
    serde_json::json!({
        "issuer_mark": "湖南省民政厅文件",
        "doc_number": "湘民发〔2016〕22号",
        "title": "关于做好婚姻登记工作的通知",
        "recipients": ["各市州民政局"],
        "body": [{"level": 0, "text": "现将有关事项通知如下。"}],
        "signature": "湖南省民政厅",
        "date": "2016-06-27"
    })
}

fn doc(v: &serde_json::Value) -> OfficialDocument {
    parse_document_json(&v.to_string()).unwrap()
}

fn layout(v: &serde_json::Value) -> Layout {
    layout_document(&doc(v), system_fonts()).unwrap()
}

/// A body long enough to fill pages: characters without punctuation, so
/// every line that is not a paragraph's first holds exactly 28.
fn long_body(chars: usize) -> serde_json::Value {
    let text: String = "民政部门依法办理婚姻登记和殡葬管理服务工作"
        .chars()
        .cycle()
        .take(chars)
        .collect();
    serde_json::json!([{"level": 0, "text": text}])
}

fn pdf_of(v: &serde_json::Value) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.json");
    std::fs::write(&input, v.to_string()).unwrap();
    let out = dir.path().join("doc.pdf");
    print_document_file(&input, &out, system_fonts()).unwrap();
    (dir, out)
}

fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed (scripts/lib.sh ensure_print_tools): {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A word of `pdftotext -bbox`, in millimetres.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

fn words(pdf: &Path) -> Vec<Word> {
    let (ok, out) = run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{out}");
    let mut page = 0;
    let mut words = Vec::new();
    for line in out.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').unwrap();
            let tag = &rest[..close];
            let text = rest[close + 1..].trim_end_matches("</word>");
            words.push(Word {
                page,
                x0: attr(tag, "xMin") * PT_MM,
                y0: attr(tag, "yMin") * PT_MM,
                x1: attr(tag, "xMax") * PT_MM,
                text: text.replace("&amp;", "&"),
            });
        }
    }
    words
}

/// Words of a page grouped into lines (by their top), top to bottom.
fn lines(words: &[Word], page: usize) -> Vec<Vec<Word>> {
    let mut on_page: Vec<Word> = words.iter().filter(|w| w.page == page).cloned().collect();
    on_page.sort_by(|a, b| {
        a.y0.partial_cmp(&b.y0)
            .unwrap()
            .then(a.x0.partial_cmp(&b.x0).unwrap())
    });
    let mut lines: Vec<Vec<Word>> = Vec::new();
    for w in on_page {
        match lines.last_mut() {
            Some(l) if (l[0].y0 - w.y0).abs() < 1.0 => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    lines
}

fn line_text(line: &[Word]) -> String {
    line.iter().map(|w| w.text.as_str()).collect()
}

#[test]
fn full_body_page_has_22_lines_of_28_characters_inside_the_margins() {
    let mut v = base();
    v["body"] = long_body(28 * 60);
    let (_dir, pdf) = pdf_of(&v);
    let words = words(&pdf);
    // Page 2 is body only: 22 lines on the grid, then the page number.
    let body: Vec<Vec<Word>> = lines(&words, 2)
        .into_iter()
        .filter(|l| l[0].y0 < 262.0)
        .collect();
    assert_eq!(body.len(), 22, "lines on a full page");
    for l in &body {
        assert_eq!(line_text(l).chars().count(), 28, "{}", line_text(l));
    }
    let top = body[0][0].y0;
    assert!((top - 37.0).abs() <= 1.0, "top margin {top:.2} mm");
    let left = body.iter().map(|l| l[0].x0).fold(f64::MAX, f64::min);
    assert!((left - 28.0).abs() <= 1.0, "left margin {left:.2} mm");
    let right = body
        .iter()
        .map(|l| l.last().unwrap().x1)
        .fold(0.0, f64::max);
    assert!((182.5..=185.0).contains(&right), "right edge {right:.2} mm");
    // The grid's pitch: 225 mm / 22 lines.
    let pitch = (body[21][0].y0 - body[0][0].y0) / 21.0;
    assert!(
        (pitch - 225.0 / 22.0).abs() < 0.05,
        "line pitch {pitch:.3} mm"
    );
}

#[test]
fn page_numbers_are_outside_on_odd_and_even_pages() {
    let mut v = base();
    v["body"] = long_body(28 * 60);
    let (_dir, pdf) = pdf_of(&v);
    let words = words(&pdf);
    let em4 = 14.0 * PT_MM;
    for page in 1..=3 {
        let number: Vec<Word> = words
            .iter()
            .filter(|w| w.page == page && w.y0 > 262.0)
            .cloned()
            .collect();
        assert_eq!(line_text(&number), format!("—{page}—"), "page {page}");
        // The em box starts 7 mm below the block (262 mm). poppler's box
        // starts at the font's ascent, which for Noto Serif CJK (1.16 em)
        // is 1.3 mm higher at 4号.
        let y = number[0].y0;
        assert!(
            (267.0..=270.0).contains(&y),
            "page {page}: number at {y:.2} mm"
        );
        if page % 2 == 1 {
            let right = number.last().unwrap().x1;
            assert!(
                (right - (184.0 - em4)).abs() <= 1.0,
                "odd page {page}: right end {right:.2} mm"
            );
        } else {
            let left = number[0].x0;
            assert!(
                (left - (28.0 + em4)).abs() <= 1.0,
                "even page {page}: left end {left:.2} mm"
            );
        }
    }
}

#[test]
fn every_font_is_embedded_as_a_subset_and_qpdf_is_happy() {
    let json = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/print/example-document.json"),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (_dir, pdf) = pdf_of(&v);
    let (ok, out) = run("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(ok, "{out}");
    let fonts: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(fonts.len() >= 3, "{out}");
    for f in fonts {
        let cols: Vec<&str> = f.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb sub uni: {f}"
        );
    }
    let (ok, out) = run("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 150_000, "{size} bytes");
}

#[test]
fn rare_characters_in_names_print_and_read_back() {
    let mut v = base();
    v["upward"] = true.into();
    v["signers"] = serde_json::json!(["王䶮", "𠀀明"]);
    v["body"] = serde_json::json!([{"level": 0, "text": "申请人王䶮、𠀀明的材料齐全。"}]);
    let l = layout(&v);
    for ch in ['䶮', '𠀀'] {
        let run = l
            .texts()
            .map(|(_, t)| t)
            .find(|t| t.glyphs.iter().any(|g| g.ch == ch))
            .unwrap();
        let (path, _) = system_fonts().face_file(run.face).unwrap();
        assert!(path.exists());
    }
    let (_dir, pdf) = pdf_of(&v);
    let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(ok);
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains("申请人王䶮、𠀀明的材料齐全。"), "{flat}");
    assert!(flat.contains("签发人：王䶮𠀀明"), "{flat}");
}

#[test]
fn a_character_no_font_covers_is_named_and_nothing_is_written() {
    let mut v = base();
    // U+0378 is unassigned: no font has it.
    v["body"] = serde_json::json!([
        {"level": 0, "text": "第一段。"},
        {"level": 0, "text": "第二\u{378}段。"}
    ]);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.json");
    std::fs::write(&input, v.to_string()).unwrap();
    let out = dir.path().join("doc.pdf");
    let err = print_document_file(&input, &out, system_fonts()).unwrap_err();
    assert!(
        matches!(err, PrintError::Uncovered { ch: '\u{378}', .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("U+0378"), "{msg}");
    assert!(msg.contains("body[1].text, character 3"), "{msg}");
    // A typed indent is dropped from the layout, not from the count.
    let mut indented = v.clone();
    indented["body"][1]["text"] = "\u{3000}\u{3000}第二\u{378}段。".into();
    let msg = layout_document(&doc(&indented), system_fonts())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("body[1].text, character 5"), "{msg}");
    assert!(!out.exists(), "nothing at --out");
    // An existing file is left as it was.
    std::fs::write(&out, b"old").unwrap();
    print_document_file(&input, &out, system_fonts()).unwrap_err();
    assert_eq!(std::fs::read(&out).unwrap(), b"old");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "no temporary files left behind");
}

fn font_file(family: &str) -> PathBuf {
    let lib = system_fonts();
    for role in FontRole::ALL {
        if let Some(e) = lib.chain(role).into_iter().find(|e| e.family == family) {
            return e.path;
        }
    }
    panic!("{family} is not installed (scripts/lib.sh ensure_print_tools)")
}

#[test]
fn a_missing_font_falls_back_and_only_uncovered_characters_fail() {
    // Only Noto Serif CJK: every role falls back to it; 𠀀 (Extension B)
    // has no font.
    let mut db = fontdb::Database::new();
    db.load_font_file(font_file("Noto Serif CJK SC")).unwrap();
    let narrow = FontLibrary::from_database(&db);
    for role in FontRole::ALL {
        assert_eq!(
            narrow.chain(role)[0].family,
            "Noto Serif CJK SC",
            "{role:?}"
        );
    }
    let mut v = base();
    v["body"] = serde_json::json!([{"level": 0, "text": "申请人𠀀明。"}]);
    let err = layout_document(&doc(&v), &narrow).unwrap_err().to_string();
    assert!(err.contains("U+20000"), "{err}");
    assert!(err.contains("body[0].text, character 4"), "{err}");
    // With HanaMinB installed the same text prints.
    db.load_font_file(font_file("HanaMinB")).unwrap();
    let wider = FontLibrary::from_database(&db);
    let l = layout_document(&doc(&v), &wider).unwrap();
    let run = l
        .texts()
        .map(|(_, t)| t)
        .find(|t| t.text().contains('𠀀'))
        .unwrap();
    assert!(
        wider
            .face_file(run.face)
            .unwrap()
            .0
            .ends_with("HanaMinB.ttf"),
        "{:?}",
        wider.face_file(run.face)
    );
    assert!(!render_pdf(&l, &wider).unwrap().is_empty());
}

#[test]
fn red_elements_are_red_and_text_is_black() {
    let mut v = base();
    v["sealed"] = true.into();
    let l = layout(&v);
    let page = &l.pages[0];
    let mut mark = 0;
    for item in &page.items {
        match item {
            Item::Text(t) if t.element == Element::IssuerMark => {
                mark += 1;
                assert!(t.colour.is_red());
                assert_eq!(t.role, FontRole::Title);
            }
            Item::Text(t) if t.element == Element::Seal => assert!(t.colour.is_red()),
            Item::Text(t) => assert_eq!(t.colour, Colour::BLACK, "{:?}", t.element),
            Item::Rule(r) if r.element == Element::Separator => {
                assert!(r.colour.is_red());
                assert!((r.x1_mm - 28.0).abs() < 0.01 && (r.x2_mm - 184.0).abs() < 0.01);
            }
            Item::Circle(c) => assert!(c.colour.is_red()),
            _ => {}
        }
    }
    assert!(mark > 0);
    assert_eq!(page.circles().count(), 1, "one seal");
}

#[test]
fn header_follows_the_standard() {
    let mut v = base();
    v["copy_no"] = "000123".into();
    v["classification"] = serde_json::json!({"level": "机密", "period": "1年"});
    v["urgency"] = "特急".into();
    let l = layout(&v);
    let p = &l.pages[0];
    let find = |e: Element| p.texts().find(|t| t.element == e).unwrap().clone();
    let copy = find(Element::CopyNo);
    let class = find(Element::Classification);
    let urgency = find(Element::Urgency);
    assert_eq!(copy.text(), "000123");
    assert_eq!(class.text(), "机密★1年");
    assert_eq!(class.role, FontRole::Hei);
    assert_eq!(urgency.text(), "特急");
    assert!((copy.top_mm - 37.0).abs() < 0.01);
    assert!((class.top_mm - (37.0 + 225.0 / 22.0)).abs() < 0.01);
    assert!((copy.x_mm() - 28.0).abs() < 1.0);
    // The mark's top 35 mm below the block's top, centred.
    let mark: Vec<_> = p
        .texts()
        .filter(|t| t.element == Element::IssuerMark)
        .collect();
    assert!((mark[0].top_mm - 72.0).abs() < 0.01);
    let x0 = mark[0].x_mm();
    let last = mark.last().unwrap();
    let x1 = last.glyphs.last().unwrap().x_mm + last.size_pt * 25.4 / 72.0;
    assert!(
        ((x0 + x1) / 2.0 - 106.0).abs() < 1.5,
        "mark centred: {x0}..{x1}"
    );
    // The number two lines below the mark, the red line 4 mm below it.
    let number = find(Element::DocNumber);
    let mark_bottom = mark[0].top_mm + mark[0].size_pt * 25.4 / 72.0;
    assert!((number.top_mm - mark_bottom - 2.0 * 225.0 / 22.0).abs() < 0.01);
    let red = p.rules().find(|r| r.element == Element::Separator).unwrap();
    assert!((red.y1_mm - (number.top_mm + 16.0 * 25.4 / 72.0 + 4.0)).abs() < 0.01);
    // Title two blank lines below the red line, 2号 小标宋.
    let title = find(Element::Title);
    assert_eq!(title.size_pt, 22.0);
    assert_eq!(title.role, FontRole::Title);
    let gap_lines = (title.top_mm - red.y1_mm) / (225.0 / 22.0);
    assert!((2.0..3.0).contains(&gap_lines), "{gap_lines}");
}

#[test]
fn upward_document_has_mark_at_80mm_and_signers_beside_the_number() {
    let mut v = base();
    v["upward"] = true.into();
    v["signers"] = serde_json::json!(["张三", "李四", "王䶮"]);
    let l = layout(&v);
    let p = &l.pages[0];
    let mark = p
        .texts()
        .find(|t| t.element == Element::IssuerMark)
        .unwrap();
    assert!((mark.top_mm - 117.0).abs() < 0.01);
    let number = p.texts().find(|t| t.element == Element::DocNumber).unwrap();
    let cell = 156.0 / 28.0;
    assert!(
        (number.x_mm() - (28.0 + cell)).abs() < 0.01,
        "number one cell in"
    );
    let signers: Vec<_> = p.texts().filter(|t| t.element == Element::Signer).collect();
    // Names in 楷体, two a line; the number on the line of the last name.
    assert!(
        signers
            .iter()
            .any(|t| t.role == FontRole::Kai && t.text() == "张三")
    );
    let last = signers.iter().find(|t| t.text().contains('䶮')).unwrap();
    assert!((last.top_mm - number.top_mm).abs() < 0.01);
    let right = signers
        .iter()
        .map(|t| t.glyphs.last().unwrap().x_mm + cell)
        .fold(0.0f32, f32::max);
    assert!((right - (184.0 - cell)).abs() < 0.6, "right end {right}");
}

#[test]
fn joint_document_stacks_the_issuers_and_signs_with_each() {
    let mut v = base();
    v["issuers"] = serde_json::json!(["湖南省民政厅", "湖南省财政厅"]);
    v["issuer_mark"] = "湖南省民政厅湖南省财政厅文件".into();
    let l = layout(&v);
    let p = &l.pages[0];
    let marks: Vec<_> = p
        .texts()
        .filter(|t| t.element == Element::IssuerMark)
        .collect();
    let texts: Vec<String> = marks.iter().map(|t| t.text()).collect();
    assert!(texts.contains(&"湖南省民政厅".to_owned()), "{texts:?}");
    assert!(texts.contains(&"湖南省财政厅".to_owned()), "{texts:?}");
    assert!(texts.contains(&"文件".to_owned()), "{texts:?}");
    let a = marks.iter().find(|t| t.text() == "湖南省民政厅").unwrap();
    let b = marks.iter().find(|t| t.text() == "湖南省财政厅").unwrap();
    assert!(b.top_mm > a.top_mm, "stacked");
    assert!((a.x_mm() - b.x_mm()).abs() < 0.01, "aligned");
    let sigs: Vec<String> = l
        .texts()
        .filter(|(_, t)| t.element == Element::Signature)
        .map(|(_, t)| t.text())
        .collect();
    assert_eq!(sigs, ["湖南省民政厅", "湖南省财政厅"]);
}

#[test]
fn headings_use_their_fonts() {
    let mut v = base();
    v["body"] = serde_json::json!([
        {"level": 1, "text": "一、总体要求"},
        {"level": 2, "text": "（一）规范流程。"},
        {"level": 3, "text": "1.加强建设。"},
        {"level": 4, "text": "（1）推行预约。"},
        {"level": 0, "text": "正文。"}
    ]);
    let l = layout(&v);
    let role_of = |level: u8| {
        l.texts()
            .find(|(_, t)| t.element == Element::Body(level))
            .unwrap()
            .1
            .role
    };
    assert_eq!(role_of(1), FontRole::Hei);
    assert_eq!(role_of(2), FontRole::Kai);
    assert_eq!(role_of(3), FontRole::Body);
    assert_eq!(role_of(4), FontRole::Body);
    assert_eq!(role_of(0), FontRole::Body);
    // Every paragraph starts two cells in (a run of half-width characters,
    // such as "1.", is centred in the cells it takes, so it may start a
    // little inside its first cell).
    let cell = 156.0 / 28.0;
    for level in 0..=4u8 {
        let first = l
            .texts()
            .find(|(_, t)| t.element == Element::Body(level))
            .unwrap()
            .1;
        let indent = 28.0 + 2.0 * cell;
        assert!(
            first.x_mm() > indent - 0.5 && first.x_mm() < indent + cell / 2.0,
            "level {level}: {} mm",
            first.x_mm()
        );
    }
}

#[test]
fn signature_without_seal_keeps_the_two_cell_rule() {
    let l = layout(&base());
    let cell = 156.0f32 / 28.0;
    let sig = l
        .texts()
        .find(|(_, t)| t.element == Element::Signature)
        .unwrap()
        .1;
    let date = l
        .texts()
        .find(|(_, t)| t.element == Element::Date)
        .unwrap()
        .1;
    assert_eq!(date.text(), "2016年6月27日");
    // The date is longer than 湖南省民政厅 (6 cells): the date ends two cells
    // in from the right and starts two cells right of the signature (its
    // first digits may sit up to half a cell into their cells).
    let date_end = (date.glyphs.last().unwrap().x_mm + cell - 28.0) / cell;
    assert!((date_end - 26.0).abs() < 0.01, "{date_end}");
    let sig_start = (sig.x_mm() - 28.0) / cell;
    assert!(
        (sig_start.round() - sig_start).abs() < 0.01,
        "on the grid: {sig_start}"
    );
    let date_start = (date.x_mm() - 28.0) / cell;
    assert!(
        (0.0..0.5).contains(&(date_start - sig_start - 2.0)),
        "{sig_start} {date_start}"
    );
    assert!((date.top_mm - sig.top_mm - 225.0 / 22.0).abs() < 0.01);
}

#[test]
fn seal_sits_over_signature_and_date_within_a_line_of_the_text() {
    let mut v = base();
    v["sealed"] = true.into();
    v["note"] = "此件公开发布".into();
    let l = layout(&v);
    let p = &l.pages[0];
    let seal = p.circles().next().unwrap();
    let body_bottom = p
        .texts()
        .filter(|t| matches!(t.element, Element::Body(_)))
        .map(|t| t.top_mm + t.size_pt * 25.4 / 72.0)
        .fold(0.0f32, f32::max);
    let seal_top = seal.cy_mm - seal.r_mm;
    let line = 225.0 / 22.0;
    assert!(
        seal_top >= body_bottom && seal_top - body_bottom <= line,
        "{seal_top} {body_bottom}"
    );
    let date = p.texts().find(|t| t.element == Element::Date).unwrap();
    let sig = p.texts().find(|t| t.element == Element::Signature).unwrap();
    let cell = 156.0 / 28.0;
    let date_end = date.glyphs.last().unwrap().x_mm + cell;
    assert!(
        (date_end - (184.0 - 4.0 * cell)).abs() < 0.01,
        "date four cells in"
    );
    assert!(
        sig.top_mm > seal.cy_mm && date.top_mm > seal.cy_mm,
        "below the centre"
    );
    // Centred on the date (its first digits may sit up to half a cell in).
    assert!((seal.cx_mm - (date.x_mm() + date_end) / 2.0).abs() < cell / 4.0);
    let note = p.texts().find(|t| t.element == Element::Note).unwrap();
    assert_eq!(note.text(), "（此件公开发布）");
    assert!((note.top_mm - date.top_mm - line).abs() < 0.01);
}

fn footer_doc(body_chars: usize) -> serde_json::Value {
    let mut v = base();
    v["body"] = long_body(body_chars);
    v["cc"] = serde_json::json!(["民政部社会事务司", "省政府办公厅"]);
    v["printer"] = "湖南省民政厅办公室".into();
    v["print_date"] = "2016-06-28".into();
    v
}

#[test]
fn footer_goes_on_the_last_even_page_without_a_number_when_alone() {
    // Short: content on page 1, the footer alone on page 2.
    let l = layout(&footer_doc(50));
    assert_eq!(l.pages.len(), 2);
    assert_eq!(l.pages[0].number, Some(1));
    assert_eq!(l.pages[1].number, None, "footer-only page has no number");
    let rules: Vec<_> = l.pages[1].rules().collect();
    let mut widths: Vec<(f32, f32)> = rules.iter().map(|r| (r.y1_mm, r.width_mm)).collect();
    widths.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    assert_eq!(
        widths.iter().map(|w| w.1).collect::<Vec<_>>(),
        [0.35, 0.25, 0.35]
    );
    assert!(
        (widths[2].0 - 262.0).abs() < 0.01,
        "last rule on the block's bottom"
    );
    let cc = l.pages[1]
        .texts()
        .find(|t| t.element == Element::Cc)
        .unwrap();
    assert_eq!(cc.text(), "抄送：民政部社会事务司，省政府办公厅。");
    let em4 = 14.0 * 25.4 / 72.0;
    assert!((cc.x_mm() - (28.0 + em4)).abs() < 0.01, "one character in");
    let printed = l.pages[1]
        .texts()
        .filter(|t| t.element == Element::Printer)
        .map(|t| t.text())
        .collect::<Vec<_>>()
        .join("|");
    assert_eq!(printed, "湖南省民政厅办公室|2016年6月28日印发");

    // Content ending on an even page with room: the footer shares it.
    let l = layout(&footer_doc(28 * 14));
    assert_eq!(l.pages.len(), 2);
    assert_eq!(l.pages[1].number, Some(2));
    assert!(l.pages[1].texts().any(|t| t.element == Element::Cc));
    assert!(l.pages[1].texts().any(|t| t.element == Element::Date));

    // Content filling an even page: a blank page, then the footer page,
    // neither numbered.
    let layouts: Vec<Layout> = (20..40)
        .map(|lines| layout(&footer_doc(lines * 28)))
        .collect();
    let full = layouts
        .iter()
        .find(|l| l.pages.len() == 4 && l.pages[1].texts().any(|t| t.element == Element::Date))
        .unwrap();
    assert_eq!(full.pages[1].number, Some(2));
    assert!(full.pages[2].is_blank());
    assert_eq!(full.pages[2].number, None);
    assert_eq!(full.pages[3].number, None);
    assert!(
        full.pages[3]
            .texts()
            .all(|t| matches!(t.element, Element::Cc | Element::Printer))
    );
}

#[test]
fn no_line_in_the_pdf_starts_with_closing_punctuation() {
    // Commas placed where a greedy break would put them at a line start.
    let mut text = String::new();
    for i in 0..12 {
        text.push_str(&"民".repeat(if i == 0 { 26 } else { 28 }));
        text.push_str("，“好”。");
    }
    let mut v = base();
    v["body"] = serde_json::json!([{"level": 0, "text": text}]);
    let (_dir, pdf) = pdf_of(&v);
    let words = words(&pdf);
    let mut checked = 0;
    for page in 1..=2 {
        for l in lines(&words, page) {
            let t = line_text(&l);
            if let Some(first) = t.chars().next() {
                assert!(
                    !"，。、；：？！）」』”’》".contains(first),
                    "line starts with {first}: {t}"
                );
                checked += 1;
            }
            if let Some(last) = t.chars().last() {
                assert!(!"（「『“‘《".contains(last), "line ends with {last}: {t}");
            }
        }
    }
    assert!(checked > 12);
}

#[test]
fn long_title_wraps_into_balanced_lines() {
    let mut v = base();
    v["title"] = "湖南省民政厅关于进一步做好婚姻登记和殡葬服务窗口规范化建设工作的通知".into();
    let l = layout(&v);
    let lines: Vec<String> = l
        .texts()
        .filter(|(_, t)| t.element == Element::Title)
        .map(|(_, t)| t.text())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let (a, b) = (lines[0].chars().count(), lines[1].chars().count());
    assert!(a >= b && a - b <= 1, "{lines:?}");
}

fn table(rows: usize, landscape: bool) -> mz_print::Table {
    let column = |header: &str, weight: f32| mz_print::TableColumn {
        header: header.to_owned(),
        weight,
        align: mz_print::forms::Align::Left,
    };
    mz_print::Table {
        title: "长沙市殡仪馆收费日报".to_owned(),
        subtitle: vec!["2026年12月1日".to_owned()],
        landscape,
        columns: vec![column("序号", 1.0), column("逝者", 2.0), column("备注", 6.0)],
        rows: (1..=rows)
            .map(|i| {
                mz_print::TableRow::new(vec![
                    format!("R{i:03}"),
                    "欧阳娜娜".to_owned(),
                    if i % 7 == 0 {
                        "家属要求延长告别时间并另行预订告别厅，已按收费标准补收差额，经办人已当面核对票据并签字确认"
                            .repeat(2)
                    } else {
                        "现金".to_owned()
                    },
                ])
            })
            .collect(),
        footer: vec!["制表：长沙市殡仪馆".to_owned()],
    }
}

fn table_pdf(t: &mz_print::Table) -> (tempfile::TempDir, PathBuf) {
    let layout = mz_print::layout_table(t, system_fonts()).unwrap();
    let bytes = render_pdf(&layout, system_fonts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("table.pdf");
    std::fs::write(&out, bytes).unwrap();
    (dir, out)
}

#[test]
fn a_long_table_flows_over_pages_with_its_header_repeated_and_every_row_once() {
    let t = table(150, false);
    let (_dir, pdf) = table_pdf(&t);
    let words = words(&pdf);
    let pages = words.iter().map(|w| w.page).max().unwrap();
    assert!(pages >= 3, "150 rows fill {pages} page(s)");
    for page in 1..=pages {
        let lines = lines(&words, page);
        let texts: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
        assert!(
            texts.iter().any(|t| t == "序号逝者备注"),
            "page {page} repeats the header: {texts:?}"
        );
        assert!(
            texts.iter().any(|t| *t == format!("第{page}页共{pages}页")),
            "page {page} is numbered of {pages}: {texts:?}"
        );
        // Nothing inside the bottom margin.
        let low: Vec<_> = words
            .iter()
            .filter(|w| w.page == page && w.y0 > 297.0 - 15.0)
            .map(|w| (w.text.clone(), w.y0))
            .collect();
        assert!(low.is_empty(), "page {page}: {low:?} run into the margin");
    }
    let row_ids: Vec<String> = words
        .iter()
        .filter(|w| w.text.starts_with('R') && w.text.len() == 4)
        .map(|w| w.text.clone())
        .collect();
    let wanted: Vec<String> = (1..=150).map(|i| format!("R{i:03}")).collect();
    assert_eq!(row_ids, wanted, "every row once, in order");
    // The footer follows the last row, on the last page.
    assert!(
        lines(&words, pages)
            .iter()
            .any(|l| line_text(l) == "制表：长沙市殡仪馆")
    );
}

#[test]
fn a_cell_wraps_inside_its_column_and_a_landscape_table_is_a4_across() {
    let t = table(7, true);
    let layout = mz_print::layout_table(&t, system_fonts()).unwrap();
    let page = &layout.pages[0];
    assert_eq!((page.width_mm, page.height_mm), (297.0, 210.0));
    // The notes column runs from 15 + 267 × 3/9 mm to the right margin.
    let left = 15.0 + 267.0 * 3.0 / 9.0;
    let notes: Vec<_> = page
        .texts()
        .filter(|r| r.element == Element::TableCell && r.x_mm() > left - 0.1)
        .collect();
    assert!(notes.len() > 2, "the long note wraps onto several lines");
    for run in notes {
        let last = run.glyphs.last().unwrap().x_mm;
        assert!(
            run.x_mm() >= left && last < 297.0 - 15.0,
            "inside its column"
        );
    }
}

#[test]
fn a_table_row_that_does_not_match_the_columns_is_named() {
    let mut t = table(3, false);
    t.rows[2].cells.pop();
    let err = mz_print::layout_table(&t, system_fonts()).unwrap_err();
    assert!(err.to_string().starts_with("rows[2]"), "{err}");
    let mut t = table(3, false);
    t.rows[1].cells[1] = "名\u{7}".to_owned();
    let err = mz_print::layout_table(&t, system_fonts()).unwrap_err();
    assert!(err.to_string().contains("rows[1][1]"), "{err}");
}

#[test]
fn a_row_taller_than_a_page_breaks_between_its_lines_under_the_header_repeated() {
    let mut t = table(2, true);
    t.rows[0].cells[2] = "家属要求延长告别时间并另行预订告别厅".repeat(150);
    let layout = mz_print::layout_table(&t, system_fonts()).unwrap();
    assert!(layout.pages.len() >= 2, "{} page(s)", layout.pages.len());
    for page in &layout.pages {
        assert!(
            page.texts()
                .any(|r| r.element == Element::TableHeader && r.text() == "备注"),
            "the header on every page"
        );
        let lowest = page
            .texts()
            .filter(|r| r.element == Element::TableCell)
            .map(|r| r.baseline_mm)
            .fold(0.0f32, f32::max);
        assert!(lowest < 210.0 - 15.0, "inside the page: {lowest}");
    }
    // Every character of the long cell printed once.
    let printed: usize = layout
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .filter(|r| r.element == Element::TableCell && r.x_mm() > 100.0)
        .map(|r| r.glyphs.len())
        .sum();
    assert_eq!(
        printed,
        "家属要求延长告别时间并另行预订告别厅".chars().count() * 150 + "现金".chars().count()
    );
}

/// Several pages of a report as a department writes one: long paragraphs
/// with every kind of punctuation, numbers, headings and quotations.
fn long_report() -> serde_json::Value {
    let paragraphs: &[(u8, &str)] = &[
        (
            0,
            "为深入贯彻落实《中华人民共和国民法典》《婚姻登记条例》和民政部关于婚姻登记工作的部署要求，进一步提升全省婚姻登记服务水平，现将2025年度全省婚姻登记工作情况报告如下。",
        ),
        (1, "一、基本情况"),
        (
            0,
            "2025年，全省各级民政部门坚持以人民为中心的发展思想，紧紧围绕“便民、规范、高效、温馨”的目标，扎实推进婚姻登记规范化、信息化、标准化建设。全年共办理结婚登记31.2万对，同比下降4.7%；办理离婚登记9.8万对，同比下降2.1%；补发婚姻登记证4.3万件。全省122个婚姻登记机关中，达到国家3A级以上标准的有86个，占70.5%；其中，长沙市、株洲市、湘潭市实现3A级全覆盖。",
        ),
        (
            0,
            "一是服务更加便捷。全面推行婚姻登记“跨省通办”，全年办理“跨省通办”结婚登记1.6万对、离婚登记0.4万对；推广“预约登记”“颁证服务”“婚前辅导”等便民措施，群众平均等候时间由25分钟缩短至12分钟。二是管理更加规范。修订《湖南省婚姻登记工作规范》，统一了受理、审查、登记、发证等环节的操作要求；开展婚姻登记档案专项检查，抽查档案1.2万卷，整改问题材料356份。三是队伍更加专业。举办全省婚姻登记员培训班3期，培训人员480人次，持证上岗率达到100%。",
        ),
        (2, "（一）信息化建设稳步推进"),
        (
            0,
            "依托全国婚姻登记信息系统，完成历史婚姻登记数据补录工作，累计补录数据1200余万条，数据准确率达到99.6%。与公安、法院、卫生健康等部门建立数据共享机制，实现身份信息、户籍信息、判决信息的实时核验，有效防范了冒名登记、重婚登记等问题的发生。同时，积极推进电子证照应用，结婚证、离婚证电子证照已在“湘易办”平台上线，群众可以随时查询、下载和使用。",
        ),
        (2, "（二）婚俗改革取得实效"),
        (
            0,
            "各地结合实际，制定村规民约、居民公约，倡导简约适度的婚礼习俗，抵制高价彩礼、大操大办、铺张浪费等不良风气。浏阳市、醴陵市、韶山市被确定为全国婚俗改革实验区，探索形成了“党员带头、群众参与、社会支持”的工作模式；全省共举办集体婚礼156场，参与新人2300余对，社会反响良好。",
        ),
        (1, "二、存在的问题"),
        (
            0,
            "一是发展不够平衡。部分县（市、区）婚姻登记场所面积不足、设施陈旧，颁证大厅、候登区、档案室等功能分区不完善；少数地方婚姻登记员兼职过多、流动频繁，业务能力有待提高。二是信息共享不够充分。与部分部门的数据接口尚未打通，个别信息仍需群众自行提供，“数据多跑路、群众少跑腿”的要求还没有完全落实。三是宣传引导不够有力。婚姻家庭辅导服务覆盖面不广，专业社会工作者和志愿者数量偏少，服务内容、形式还比较单一。",
        ),
        (1, "三、下一步工作安排"),
        (
            0,
            "2026年，我们将重点抓好以下工作：（一）持续推进婚姻登记机关等级评定，力争年底前3A级以上机关占比达到80%；（二）深化“跨省通办”“全程网办”改革，扩大电子证照应用范围，推动婚姻登记与户籍、住房、社保等事项“一件事一次办”；（三）加强婚姻家庭辅导服务，每个市州至少建成1个示范性婚姻家庭辅导室；（四）巩固婚俗改革成果，总结推广实验区经验，营造文明、节俭、健康的婚俗新风尚。",
        ),
        (1, "四、有关建议"),
        (
            0,
            "一是建议加大对中西部地区婚姻登记机关建设的支持力度，将婚姻登记场所改造提升纳入民政基础设施建设规划，给予一定的资金补助；二是建议加快全国婚姻登记信息系统与公安、法院等部门系统的对接，明确数据共享的范围、方式和安全责任，切实减少群众提交的证明材料；三是建议出台婚姻家庭辅导服务的指导意见和服务标准，鼓励通过政府购买服务等方式，引导社会组织、专业社会工作者参与婚姻家庭辅导，形成“政府主导、部门协作、社会参与”的工作格局。",
        ),
        (
            0,
            "同时，我厅将认真落实《民政部关于加强婚姻登记机关建设的意见》（民发〔2024〕15号）要求，会同省财政厅、省人力资源社会保障厅等部门，研究制定婚姻登记员职业发展、岗位补贴等配套政策；指导各市州民政局每半年开展一次业务督导，对发现的问题建立台账、限期整改、跟踪问效，确保各项工作任务落到实处、取得实效。",
        ),
        // Its first line has no mark to squeeze before the full stop: 推出.
        (
            0,
            "婚姻登记机关应当坚持依法登记便民利民原则提升服务质量。各级民政部门要加强对婚姻登记工作的指导和监督，及时研究解决工作中遇到的困难和问题。",
        ),
        (0, "以上报告，如有不妥，请予指正。"),
        (0, "特此报告。"),
    ];
    let body: Vec<serde_json::Value> = paragraphs
        .iter()
        .map(|(level, text)| serde_json::json!({"level": level, "text": text}))
        .collect();
    let mut v = base();
    v["title"] = "湖南省民政厅关于2025年度婚姻登记工作情况的报告".into();
    v["recipients"] = serde_json::json!(["民政部"]);
    v["body"] = serde_json::Value::Array(body);
    v
}

/// A line of body text as the layout set it.
#[derive(Debug)]
struct BodyLine {
    page: usize,
    top: f32,
    /// Each glyph with the x of its left edge.
    glyphs: Vec<(char, f32)>,
    /// Whether the next body line starts a new paragraph, so this one is a
    /// paragraph's last.
    last: bool,
}

fn body_lines(l: &Layout) -> Vec<BodyLine> {
    let mut out: Vec<BodyLine> = Vec::new();
    for (page, t) in l.texts() {
        if !matches!(t.element, Element::Body(_)) {
            continue;
        }
        let glyphs = t.glyphs.iter().map(|g| (g.ch, g.x_mm));
        match out.last_mut() {
            Some(line) if line.page == page && (line.top - t.top_mm).abs() < 0.1 => {
                line.glyphs.extend(glyphs)
            }
            _ => out.push(BodyLine {
                page,
                top: t.top_mm,
                glyphs: glyphs.collect(),
                last: false,
            }),
        }
    }
    let indent = 28.0 + 2.0 * 156.0 / 28.0;
    for k in 0..out.len() {
        out[k].last = out
            .get(k + 1)
            .is_none_or(|next| (next.glyphs[0].1 - indent).abs() < 0.5);
    }
    out
}

#[test]
fn every_line_inside_a_paragraph_ends_on_the_right_edge() {
    let v = long_report();
    let l = layout(&v);
    let lines = body_lines(&l);
    assert!(l.pages.len() >= 3, "several pages: {}", l.pages.len());
    let cell = 156.0 / 28.0;
    // The layout: lines that fill the block with no adjustment sit on the
    // 28-cell grid; the others end on the edge.
    let (mut on_grid, mut adjusted, mut squeezed, mut stretched) = (0, 0, 0, 0);
    for BodyLine {
        page,
        top,
        glyphs,
        last,
    } in &lines
    {
        let full = glyphs.iter().all(|(c, _)| !c.is_ascii() && *c != '%');
        let grid = glyphs
            .iter()
            .all(|(_, x)| ((x - 28.0) / cell - ((x - 28.0) / cell).round()).abs() < 1e-3);
        let text: String = glyphs.iter().map(|g| g.0).collect();
        let start = ((glyphs[0].1 - 28.0) / cell).round() as usize;
        if full && (*last || start + glyphs.len() == 28) {
            assert!(
                grid,
                "page {page} at {top:.1}: {text} should be on the grid"
            );
            on_grid += 1;
        } else if !*last {
            adjusted += 1;
            if full && start + glyphs.len() > 28 {
                squeezed += 1;
            } else if full {
                stretched += 1;
            }
        }
    }
    eprintln!(
        "{on_grid} full-width lines on the grid; {adjusted} others inside paragraphs, of which \
         {squeezed} squeezed (推入) and {stretched} justified (推出) and the rest with digits"
    );
    assert!(on_grid >= 20, "{on_grid} lines on the grid");
    assert!(
        squeezed >= 1 && stretched >= 1,
        "both 推入 and 推出 are exercised"
    );

    let Some(pdf_words) = (|| {
        if Command::new("pdftotext").arg("-v").output().is_err() {
            eprintln!(
                "SKIPPED the PDF half of every_line_inside_a_paragraph_ends_on_the_right_edge: \
                 pdftotext (poppler-utils) is not installed"
            );
            return None;
        }
        let (dir, pdf) = pdf_of(&v);
        let w = words(&pdf);
        drop(dir);
        Some(w)
    })() else {
        return;
    };
    // The PDF read back: each body line's last glyph ends within 0.5 mm of
    // the block's right edge (28 + 156 mm), a paragraph's last line excepted.
    let mut checked = 0;
    for BodyLine {
        page,
        top,
        glyphs,
        last,
    } in &lines
    {
        let text: String = glyphs.iter().map(|g| g.0).collect();
        // The words near the line's top (digits in another face may sit a
        // little higher or lower), left to right.
        let mut line: Vec<Word> = pdf_words
            .iter()
            .filter(|w| w.page == page + 1 && (w.y0 - f64::from(*top)).abs() < 3.0)
            .cloned()
            .collect();
        line.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap());
        assert_eq!(line_text(&line), text, "page {page} at {top:.1} mm");
        let right = line.last().unwrap().x1;
        if *last {
            assert!(right <= 184.0 + 0.5, "{text} ends at {right:.2} mm");
        } else {
            assert!(
                (right - 184.0).abs() <= 0.5,
                "page {page}: {text} ends at {right:.2} mm, not on the edge"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} lines checked");
}

#[test]
fn a_long_title_breaks_between_words() {
    let mut v = base();
    v["title"] = "湖南省民政厅关于2026年度婚姻登记工作情况的报告".into();
    let l = layout(&v);
    // Runs of one line (digits may be in another face) joined by their top.
    let mut lines: Vec<(f32, String)> = Vec::new();
    for (_, t) in l.texts().filter(|(_, t)| t.element == Element::Title) {
        match lines.last_mut() {
            Some((top, text)) if (*top - t.top_mm).abs() < 0.1 => text.push_str(&t.text()),
            _ => lines.push((t.top_mm, t.text())),
        }
    }
    let lines: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        lines,
        ["湖南省民政厅关于2026年度", "婚姻登记工作情况的报告"]
    );
}
