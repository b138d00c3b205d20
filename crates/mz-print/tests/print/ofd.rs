//! The OFD export (GB/T 33190-2016) read back: the package unzipped and its
//! XML parsed here, and the whole file read by easyofd, an OFD reader that
//! shares no code with us (tests/ofd/read_ofd.py, in the venv that
//! scripts/ofd-reader.sh makes; skipped with a reason when it is missing).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

use mz_print::model::{Colour, Element, Item};
use mz_print::{Layout, OfdInfo, print_document_file, render_ofd_with, system_fonts};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use super::{base, layout, long_body};

/// A document with everything the layout draws: header in red, rare
/// characters from fallback faces, markup characters to escape, a seal with
/// its rotated ring of characters, a footer and more than one page.
fn full_document() -> serde_json::Value {
    let mut v = base();
    v["copy_no"] = "000001".into();
    v["classification"] = serde_json::json!({"level": "秘密", "period": "1年"});
    v["urgency"] = "特急".into();
    v["title"] = "关于<婚姻>登记&殡葬服务“窗口”工作的通知".into();
    let mut body = long_body(28 * 30);
    body.as_array_mut().unwrap().push(serde_json::json!({
        "level": 0,
        "text": "当事人王䶮、𠀀明的材料附后，编号A&B<1>，\"照此办理\"。"
    }));
    v["body"] = body;
    v["sealed"] = true.into();
    v["cc"] = serde_json::json!(["民政部社会事务司"]);
    v["printer"] = "湖南省民政厅办公室".into();
    v["print_date"] = "2016-06-28".into();
    v
}

fn info() -> OfdInfo {
    OfdInfo {
        doc_id: "0123456789abcdef0123456789abcdef".to_owned(),
        created: chrono::NaiveDate::from_ymd_opt(2016, 6, 27).unwrap(),
    }
}

/// The package's files by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        files.insert(f.name().unwrap().into_owned(), data);
    }
    files
}

/// An element of a parsed XML file: its name, attributes and the text
/// directly inside it.
#[derive(Debug, Clone)]
struct El {
    name: String,
    attrs: HashMap<String, String>,
    text: String,
}

impl El {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{} has no {name}: {:?}", self.name, self.attrs))
    }
}

/// Parses a whole XML file (panicking where it is not well formed) into
/// its elements in document order.
fn parse(name: &str, xml: &[u8]) -> Vec<El> {
    let xml = std::str::from_utf8(xml).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
    let mut reader = Reader::from_str(xml);
    let mut els: Vec<El> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let element = |e: &quick_xml::events::BytesStart| El {
        name: e.name().as_ref().to_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        text: String::new(),
    };
    let mut depth_zero_roots = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if open.is_empty() {
                    depth_zero_roots += 1;
                }
                els.push(element(&e));
                open.push(els.len() - 1);
            }
            Ok(Event::Empty(e)) => {
                if open.is_empty() {
                    depth_zero_roots += 1;
                }
                els.push(element(&e));
            }
            Ok(Event::End(_)) => {
                open.pop()
                    .unwrap_or_else(|| panic!("{name}: unbalanced end tag"));
            }
            Ok(Event::Text(t)) => {
                if let Some(&i) = open.last() {
                    els[i]
                        .text
                        .push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref().unwrap().unwrap().to_string()
                } else {
                    let entity = r.xml_content(XmlVersion::Implicit1_0);
                    quick_xml::escape::resolve_predefined_entity(&entity)
                        .unwrap_or_else(|| panic!("{name}: unknown entity &{entity};"))
                        .to_owned()
                };
                if let Some(&i) = open.last() {
                    els[i].text.push_str(&ch);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "{name} is not well-formed XML at {}: {e}",
                reader.error_position()
            ),
        }
    }
    assert!(open.is_empty(), "{name}: unclosed elements");
    assert_eq!(depth_zero_roots, 1, "{name}: one root element");
    els
}

fn find<'a>(els: &'a [El], name: &str) -> Vec<&'a El> {
    els.iter().filter(|e| e.name == name).collect()
}

fn one<'a>(els: &'a [El], name: &str) -> &'a El {
    let found = find(els, name);
    assert_eq!(found.len(), 1, "exactly one {name}");
    found[0]
}

/// The texts of each page's runs, in the order they are drawn.
fn run_texts(layout: &Layout) -> Vec<Vec<String>> {
    layout
        .pages
        .iter()
        .map(|p| p.texts().map(|t| t.text()).collect())
        .collect()
}

#[test]
fn ofd_package_has_every_part_it_names_and_keeps_the_text_as_text() {
    let fonts = system_fonts();
    let laid = layout(&full_document());
    assert!(laid.pages.len() >= 3, "{} pages", laid.pages.len());
    let bytes = render_ofd_with(&laid, fonts, &info()).unwrap();
    let files = unzip(&bytes);
    let xml: BTreeMap<&str, Vec<El>> = files
        .iter()
        .filter(|(name, _)| name.ends_with(".xml"))
        .map(|(name, data)| (name.as_str(), parse(name, data)))
        .collect();
    for (name, els) in &xml {
        assert_eq!(
            els[0].attrs.get("xmlns:ofd").map(String::as_str),
            Some("http://www.ofdspec.org/2016"),
            "{name}: the OFD namespace"
        );
    }

    // OFD.xml: the entry, its DocInfo and the document's root.
    let ofd = &xml["OFD.xml"];
    assert_eq!(ofd[0].name, "ofd:OFD");
    assert_eq!(ofd[0].attr("DocType"), "OFD");
    assert_eq!(
        one(ofd, "ofd:DocID").text,
        "0123456789abcdef0123456789abcdef"
    );
    assert_eq!(one(ofd, "ofd:Title").text, laid.title);
    assert!(laid.title.contains('<') && laid.title.contains('&'));
    assert_eq!(one(ofd, "ofd:CreationDate").text, "2016-06-27");
    assert_eq!(one(ofd, "ofd:Creator").text, "Minzheng Desk");
    let root = one(ofd, "ofd:DocRoot").text.clone();
    assert_eq!(root, "Doc_0/Document.xml");

    // Document.xml: page area, public resources, the pages.
    let doc = &xml[root.as_str()];
    assert_eq!(one(doc, "ofd:PhysicalBox").text, "0 0 210 297");
    let public_res = format!("Doc_0/{}", one(doc, "ofd:PublicRes").text);
    assert!(xml.contains_key(public_res.as_str()), "{public_res}");
    let max_unit_id: u32 = one(doc, "ofd:MaxUnitID").text.parse().unwrap();
    let page_locs: Vec<String> = find(doc, "ofd:Page")
        .iter()
        .map(|p| format!("Doc_0/{}", p.attr("BaseLoc")))
        .collect();
    assert_eq!(page_locs.len(), laid.pages.len());

    // PublicRes.xml: every font's file is there, is one font (not a
    // collection) and has a glyph for every character set in it.
    let res = &xml[public_res.as_str()];
    let res_base = format!("Doc_0/{}", res[0].attr("BaseLoc"));
    let mut font_files: HashMap<String, Vec<u8>> = HashMap::new();
    for font in find(res, "ofd:Font") {
        assert!(!font.attr("FontName").is_empty());
        assert!(!font.attr("FamilyName").is_empty());
        let file = find(res, "ofd:FontFile")
            .into_iter()
            .map(|f| f.text.clone())
            .find(|f| f.starts_with(&format!("font_{}.", font.attr("ID"))))
            .unwrap_or_else(|| panic!("font {} has no FontFile", font.attr("ID")));
        let path = format!("{res_base}/{file}");
        let data = files
            .get(&path)
            .unwrap_or_else(|| panic!("{path} is named but not in the package"));
        assert_ne!(&data[..4], b"ttcf", "{path} is a collection");
        font_files.insert(font.attr("ID").to_owned(), data.clone());
    }
    assert!(!font_files.is_empty());

    // The pages: text as TextCode (never paths), ids unique and within
    // MaxUnitID, red where the layout is red.
    let mut ids: BTreeSet<u32> = BTreeSet::new();
    for els in xml.values() {
        for e in els {
            if let Some(id) = e.attrs.get("ID") {
                let id: u32 = id.parse().unwrap();
                assert!(ids.insert(id), "ID {id} used twice");
                assert!(id <= max_unit_id, "ID {id} above MaxUnitID {max_unit_id}");
            }
        }
    }
    let mut chars_by_font: HashMap<String, BTreeSet<char>> = HashMap::new();
    for (n, (loc, page)) in page_locs.iter().zip(&laid.pages).enumerate() {
        let els = xml
            .get(loc.as_str())
            .unwrap_or_else(|| panic!("{loc} is named but not in the package"));
        let objects = find(els, "ofd:TextObject");
        let codes = find(els, "ofd:TextCode");
        assert_eq!(objects.len(), codes.len(), "page {n}: one TextCode each");
        let texts: Vec<String> = codes.iter().map(|c| c.text.clone()).collect();
        assert_eq!(texts, run_texts(&laid)[n], "page {n}");
        for (object, code) in objects.iter().zip(&codes) {
            chars_by_font
                .entry(object.attr("Font").to_owned())
                .or_default()
                .extend(code.text.chars());
        }
        let paths = page
            .items
            .iter()
            .filter(|i| !matches!(i, Item::Text(_)))
            .count();
        assert_eq!(find(els, "ofd:PathObject").len(), paths, "page {n}");
        // Each TextObject is followed by its colour, if any, then its code:
        // red text has a red FillColor.
        let runs: Vec<_> = page.texts().collect();
        let fills = els
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == "ofd:TextObject")
            .map(|(i, _)| {
                let next = &els[i + 1];
                (next.name == "ofd:FillColor").then(|| next.attr("Value").to_owned())
            });
        for (run, fill) in runs.iter().zip(fills) {
            let want = (run.colour != Colour::BLACK)
                .then(|| format!("{} {} {}", run.colour.r, run.colour.g, run.colour.b));
            assert_eq!(fill, want, "{:?} {}", run.element, run.text());
        }
    }
    let seal_strokes = xml
        .values()
        .flatten()
        .filter(|e| e.name == "ofd:StrokeColor" && e.attr("Value") == "230 0 18")
        .count();
    assert!(seal_strokes >= 2, "the red separator and the seal's ring");
    for (font, chars) in &chars_by_font {
        let data = &font_files[font];
        let face = ttf_parser::Face::parse(data, 0)
            .unwrap_or_else(|e| panic!("font {font} does not parse: {e}"));
        assert!(face.tables().os2.is_some(), "font {font} has OS/2");
        for &ch in chars {
            let gid = face
                .glyph_index(ch)
                .unwrap_or_else(|| panic!("font {font} has no glyph for {ch}"));
            assert_ne!(gid.0, 0, "{ch}");
        }
    }
    // Rare characters came from their own faces and are still text.
    let all: String = run_texts(&laid).concat().concat();
    assert!(all.contains('䶮') && all.contains('𠀀'));
}

#[test]
fn the_same_layout_and_info_give_the_same_bytes_and_fonts_are_subsets() {
    let fonts = system_fonts();
    let laid = layout(&base());
    let a = render_ofd_with(&laid, fonts, &info()).unwrap();
    let b = render_ofd_with(&laid, fonts, &info()).unwrap();
    assert_eq!(a, b);
    // A one-page notice embeds a few hundred glyphs, not whole CJK faces
    // (each tens of megabytes).
    assert!(a.len() < 600 * 1024, "{} bytes", a.len());
}

#[test]
fn a_document_printed_to_an_ofd_name_is_an_ofd() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.json");
    std::fs::write(&input, base().to_string()).unwrap();
    let out = dir.path().join("通知.OFD");
    let pages = print_document_file(&input, &out, system_fonts()).unwrap();
    assert_eq!(pages, 1);
    let files = unzip(&std::fs::read(&out).unwrap());
    assert!(files.contains_key("OFD.xml"));
    assert!(files.contains_key("Doc_0/Pages/Page_0/Content.xml"));
}

/// The venv of scripts/ofd-reader.sh, if it has been made.
fn reader() -> Option<(PathBuf, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = root.join("tests/ofd/.venv/bin/python");
    let script = root.join("tests/ofd/read_ofd.py");
    python.exists().then_some((python, script))
}

#[test]
fn easyofd_reads_back_every_run_its_font_and_place() {
    let Some((python, script)) = reader() else {
        eprintln!(
            "skipped: no OFD reader venv (tests/ofd/.venv), so easyofd does not read the OFD \
             back; scripts/ofd-reader.sh makes it"
        );
        return;
    };
    let fonts = system_fonts();
    let laid = layout(&full_document());
    let dir = tempfile::tempdir().unwrap();
    let ofd = dir.path().join("doc.ofd");
    std::fs::write(&ofd, render_ofd_with(&laid, fonts, &info()).unwrap()).unwrap();
    let expect = dir.path().join("expect.json");
    std::fs::write(&expect, serde_json::to_string(&run_texts(&laid)).unwrap()).unwrap();
    let out = Command::new(&python)
        .arg(&script)
        .arg(&ofd)
        .arg("--expect")
        .arg(&expect)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "easyofd's reading differs:\n{stderr}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    // Where easyofd puts each run's first glyph is where the layout has it.
    let pages = found["pages"].as_array().unwrap();
    for (page, read) in laid.pages.iter().zip(pages) {
        let read = read.as_array().unwrap();
        for (run, got) in page.texts().zip(read) {
            let (x, y) = (got["x"].as_f64().unwrap(), got["y"].as_f64().unwrap());
            assert!(
                (x - f64::from(run.x_mm())).abs() < 0.01
                    && (y - f64::from(run.baseline_mm)).abs() < 0.01,
                "{:?} {}: read at ({x}, {y}), laid out at ({}, {})",
                run.element,
                run.text(),
                run.x_mm(),
                run.baseline_mm
            );
            if run.element == Element::IssuerMark || run.element == Element::Seal {
                assert_eq!(got["colour"], "230 0 18", "{}", run.text());
            }
        }
    }
    // Every face is embedded, a single font with its own glyphs: CFF for
    // the Noto and Fandol faces, TrueType for WenKai and HanaMin.
    for (id, font) in found["fonts"].as_object().unwrap() {
        assert!(font.get("error").is_none(), "font {id}: {font}");
        assert_eq!(font["missing"], serde_json::json!([]), "font {id}: {font}");
        assert_eq!(font["has_os2"], true, "font {id}: {font}");
    }
}
