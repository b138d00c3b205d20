//! The layout model written as OFD (GB/T 33190-2016), the fixed-layout
//! format of Chinese e-government archives, from the same [`Layout`] the PDF
//! is written from.
//!
//! The package is a zip of XML files:
//!
//! ```text
//! OFD.xml                          entry: DocInfo and the document's root
//! Doc_0/Document.xml               CommonData (MaxUnitID, PageArea, PublicRes), the pages
//! Doc_0/PublicRes.xml              the fonts, each pointing at its file in Res/
//! Doc_0/Res/font_N.ttf|.otf        each face as a subset: a single-font sfnt
//! Doc_0/Pages/Page_N/Content.xml   TextObjects and PathObjects
//! ```
//!
//! Text stays text: each run is a `TextObject` whose `TextCode` holds the
//! Unicode string, placed glyph by glyph with `DeltaX`, so that a reader can
//! search and copy it; nothing is turned into outlines. Every face a run uses
//! is embedded as a subset (allsorts, the subsetter printpdf uses for the
//! PDF) with its Unicode cmap, because an OFD reader maps `TextCode` to
//! glyphs through the font's cmap. A face that comes from a collection
//! (.ttc) is written as the one font it is, which readers accept.
//!
//! Coordinates are millimetres from the top-left corner, as in the model;
//! inside an object they are relative to its `Boundary`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use zip::write::SimpleFileOptions;

use crate::error::{PrintError, Result};
use crate::fonts::FontLibrary;
use crate::model::{Circle, Colour, Item, Layout, PT_MM, Rule, Shape, TextRun};

/// The OFD namespace of GB/T 33190-2016.
const NS: &str = "http://www.ofdspec.org/2016";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// What the package says about itself in OFD.xml's DocInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfdInfo {
    /// The document's identifier: 32 hexadecimal digits (a UUID without
    /// hyphens, as OFD writers use).
    pub doc_id: String,
    /// The day the file is made (DocInfo/CreationDate).
    pub created: chrono::NaiveDate,
}

impl OfdInfo {
    /// A fresh identifier and today's date (local time).
    pub fn now() -> Self {
        OfdInfo {
            doc_id: uuid::Uuid::now_v7().simple().to_string(),
            created: chrono::Local::now().date_naive(),
        }
    }
}

/// Writes the layout as OFD bytes, with a fresh DocID and today's date.
pub fn render_ofd(layout: &Layout, fonts: &FontLibrary) -> Result<Vec<u8>> {
    render_ofd_with(layout, fonts, &OfdInfo::now())
}

/// Writes the layout as OFD bytes with the given identifier and date (the
/// same input gives the same bytes).
pub fn render_ofd_with(layout: &Layout, fonts: &FontLibrary, info: &OfdInfo) -> Result<Vec<u8>> {
    let mut ids = Ids(0);

    // Fonts first: one resource per face, in the order runs first use them.
    let mut used: BTreeMap<usize, BTreeSet<char>> = BTreeMap::new();
    let mut order: Vec<usize> = Vec::new();
    for (_, run) in layout.texts() {
        let chars = used.entry(run.face).or_insert_with(|| {
            order.push(run.face);
            BTreeSet::new()
        });
        chars.extend(run.glyphs.iter().map(|g| g.ch));
    }
    let mut font_ids: BTreeMap<usize, u32> = BTreeMap::new();
    let mut embedded: Vec<EmbeddedFont> = Vec::with_capacity(order.len());
    for face in order {
        let id = ids.next();
        font_ids.insert(face, id);
        let chars = used.get(&face).map_or_else(BTreeSet::new, Clone::clone);
        embedded.push(embed_face(fonts, face, id, &chars)?);
    }
    let page_ids: Vec<u32> = layout.pages.iter().map(|_| ids.next()).collect();

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let xml = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);

    let mut pages_xml = String::new();
    for (n, page) in layout.pages.iter().enumerate() {
        let content = page_content(page, &font_ids, &mut ids)?;
        add(
            &mut zip,
            &format!("Doc_0/Pages/Page_{n}/Content.xml"),
            content.as_bytes(),
            xml,
        )?;
        let id = page_ids.get(n).copied().unwrap_or_default();
        let _ = write!(
            pages_xml,
            "<ofd:Page ID=\"{id}\" BaseLoc=\"Pages/Page_{n}/Content.xml\"/>"
        );
    }

    let mut res = format!("{XML_DECL}<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:Fonts>");
    for font in &embedded {
        let _ = write!(res, "<ofd:Font ID=\"{}\" FontName=\"", font.id);
        escape_into(&mut res, &font.name)?;
        res.push_str("\" FamilyName=\"");
        escape_into(&mut res, &font.family)?;
        let _ = write!(
            res,
            "\"><ofd:FontFile>{}</ofd:FontFile></ofd:Font>",
            font.file
        );
        // Fonts are mostly outlines already; deflate still takes a third off
        // the sfnt tables.
        add(
            &mut zip,
            &format!("Doc_0/Res/{}", font.file),
            &font.bytes,
            xml,
        )?;
    }
    res.push_str("</ofd:Fonts></ofd:Res>");
    add(&mut zip, "Doc_0/PublicRes.xml", res.as_bytes(), xml)?;

    let (w, h) = layout
        .pages
        .first()
        .map_or((210.0, 297.0), |p| (p.width_mm, p.height_mm));
    let mut document = format!(
        "{XML_DECL}<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>{}</ofd:MaxUnitID>\
         <ofd:PageArea><ofd:PhysicalBox>0 0 ",
        ids.0
    );
    num(&mut document, w);
    document.push(' ');
    num(&mut document, h);
    let _ = write!(
        document,
        "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>\
         <ofd:Pages>{pages_xml}</ofd:Pages></ofd:Document>"
    );
    add(&mut zip, "Doc_0/Document.xml", document.as_bytes(), xml)?;

    let mut ofd = format!(
        "{XML_DECL}<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>"
    );
    escape_into(&mut ofd, &info.doc_id)?;
    ofd.push_str("</ofd:DocID>");
    if !layout.title.trim().is_empty() {
        ofd.push_str("<ofd:Title>");
        escape_into(&mut ofd, &layout.title)?;
        ofd.push_str("</ofd:Title>");
    }
    let _ = write!(
        ofd,
        "<ofd:CreationDate>{}</ofd:CreationDate><ofd:Creator>Minzheng Desk</ofd:Creator>\
         <ofd:CreatorVersion>{}</ofd:CreatorVersion></ofd:DocInfo>\
         <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        info.created.format("%Y-%m-%d"),
        env!("CARGO_PKG_VERSION")
    );
    add(&mut zip, "OFD.xml", ofd.as_bytes(), xml)?;

    let bytes = zip
        .finish()
        .map_err(|e| PrintError::Ofd(format!("zip: {e}")))?
        .into_inner();
    Ok(bytes)
}

/// Unit ids: every font, page, layer and object has one, unique in the
/// document; the last is the document's MaxUnitID.
struct Ids(u32);

impl Ids {
    fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

fn add(
    zip: &mut zip::ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    bytes: &[u8],
    options: SimpleFileOptions,
) -> Result<()> {
    zip.start_file(name, options)
        .map_err(|e| PrintError::Ofd(format!("zip {name}: {e}")))?;
    zip.write_all(bytes)
        .map_err(|e| PrintError::Ofd(format!("zip {name}: {e}")))
}

/// One page's Content.xml.
fn page_content(
    page: &crate::model::Page,
    font_ids: &BTreeMap<usize, u32>,
    ids: &mut Ids,
) -> Result<String> {
    let mut out = String::with_capacity(256 + page.items.len() * 256);
    let _ = write!(
        out,
        "{XML_DECL}<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Area><ofd:PhysicalBox>0 0 "
    );
    num(&mut out, page.width_mm);
    out.push(' ');
    num(&mut out, page.height_mm);
    let _ = write!(
        out,
        "</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID=\"{}\" Type=\"Body\">",
        ids.next()
    );
    for item in &page.items {
        match item {
            Item::Text(run) => {
                let font = font_ids.get(&run.face).copied().ok_or_else(|| {
                    PrintError::Ofd(format!("face {} has no font resource", run.face))
                })?;
                text_object(&mut out, run, font, ids.next())?;
            }
            Item::Rule(rule) => rule_object(&mut out, rule, ids.next()),
            Item::Circle(circle) => circle_object(&mut out, circle, ids.next()),
            Item::Shape(shape) => shape_object(&mut out, shape, ids.next()),
        }
    }
    out.push_str("</ofd:Layer></ofd:Content></ofd:Page>");
    Ok(out)
}

/// A run as one TextObject: the whole string in one TextCode, each glyph's
/// advance from the one before in DeltaX. A rotated run (a seal's character)
/// turns about its origin through the object's CTM.
fn text_object(out: &mut String, run: &TextRun, font: u32, id: u32) -> Result<()> {
    let Some(first) = run.glyphs.first() else {
        return Ok(());
    };
    let size = run.size_pt * PT_MM;
    let rotated = run.rotation_deg != 0.0;
    // The boundary must hold every glyph whole (readers may clip to it):
    // an em above the baseline and half an em below, and a margin to the
    // sides for glyphs that overhang their advance.
    let (bx, by, bw, bh, x0, y0) = if rotated {
        let r = 1.5 * size;
        (
            first.x_mm - r,
            run.baseline_mm - r,
            2.0 * r,
            2.0 * r,
            0.0,
            0.0,
        )
    } else {
        let min_x = run
            .glyphs
            .iter()
            .map(|g| g.x_mm)
            .fold(f32::INFINITY, f32::min);
        let max_x = run
            .glyphs
            .iter()
            .map(|g| g.x_mm)
            .fold(f32::NEG_INFINITY, f32::max);
        let pad = 0.5 * size;
        let bx = min_x - pad;
        let by = run.baseline_mm - 1.2 * size;
        (
            bx,
            by,
            max_x + size + pad - bx,
            1.7 * size,
            first.x_mm - bx,
            run.baseline_mm - by,
        )
    };
    let _ = write!(out, "<ofd:TextObject ID=\"{id}\" Boundary=\"");
    nums(out, &[bx, by, bw, bh]);
    let _ = write!(out, "\" Font=\"{font}\" Size=\"");
    num(out, size);
    out.push('"');
    if rotated {
        // Counter-clockwise on the page is (cos, -sin, sin, cos) with the
        // y axis pointing down; the origin moves to the glyph's.
        let (sin, cos) = run.rotation_deg.to_radians().sin_cos();
        out.push_str(" CTM=\"");
        nums(out, &[cos, -sin, sin, cos, bw / 2.0, bh / 2.0]);
        out.push('"');
    }
    out.push('>');
    if run.colour != Colour::BLACK {
        colour_element(out, "FillColor", run.colour);
    }
    out.push_str("<ofd:TextCode X=\"");
    num(out, x0);
    out.push_str("\" Y=\"");
    num(out, y0);
    out.push('"');
    if run.glyphs.len() > 1 {
        out.push_str(" DeltaX=\"");
        let deltas: Vec<f32> = run
            .glyphs
            .windows(2)
            .filter_map(|w| match w {
                [a, b] => Some(b.x_mm - a.x_mm),
                _ => None,
            })
            .collect();
        delta_list(out, &deltas);
        out.push('"');
    }
    out.push('>');
    for g in &run.glyphs {
        escape_char(out, g.ch)?;
    }
    out.push_str("</ofd:TextCode></ofd:TextObject>");
    Ok(())
}

fn rule_object(out: &mut String, rule: &Rule, id: u32) {
    let m = rule.width_mm;
    let bx = rule.x1_mm.min(rule.x2_mm) - m;
    let by = rule.y1_mm.min(rule.y2_mm) - m;
    let bw = (rule.x1_mm - rule.x2_mm).abs() + 2.0 * m;
    let bh = (rule.y1_mm - rule.y2_mm).abs() + 2.0 * m;
    path_open(out, id, [bx, by, bw, bh], Some(rule.width_mm), false);
    if rule.colour != Colour::BLACK {
        colour_element(out, "StrokeColor", rule.colour);
    }
    out.push_str("<ofd:AbbreviatedData>M ");
    nums(out, &[rule.x1_mm - bx, rule.y1_mm - by]);
    out.push_str(" L ");
    nums(out, &[rule.x2_mm - bx, rule.y2_mm - by]);
    out.push_str("</ofd:AbbreviatedData></ofd:PathObject>");
}

/// A circle outline in four cubic Bézier quarters, as in the PDF.
fn circle_object(out: &mut String, c: &Circle, id: u32) {
    let m = c.width_mm;
    let (bx, by) = (c.cx_mm - c.r_mm - m, c.cy_mm - c.r_mm - m);
    let side = 2.0 * (c.r_mm + m);
    path_open(out, id, [bx, by, side, side], Some(c.width_mm), false);
    if c.colour != Colour::BLACK {
        colour_element(out, "StrokeColor", c.colour);
    }
    let (x, y, r) = (c.cx_mm - bx, c.cy_mm - by, c.r_mm);
    let k = 0.552_284_8 * r;
    out.push_str("<ofd:AbbreviatedData>M ");
    nums(out, &[x + r, y]);
    for quarter in [
        [x + r, y + k, x + k, y + r, x, y + r],
        [x - k, y + r, x - r, y + k, x - r, y],
        [x - r, y - k, x - k, y - r, x, y - r],
        [x + k, y - r, x + r, y - k, x + r, y],
    ] {
        out.push_str(" B ");
        nums(out, &quarter);
    }
    out.push_str(" C</ofd:AbbreviatedData></ofd:PathObject>");
}

/// A filled polygon (the seal's star).
fn shape_object(out: &mut String, s: &Shape, id: u32) {
    let xs = s.points_mm.iter().map(|p| p.0);
    let ys = s.points_mm.iter().map(|p| p.1);
    let bx = xs.clone().fold(f32::INFINITY, f32::min);
    let by = ys.clone().fold(f32::INFINITY, f32::min);
    let bw = xs.fold(f32::NEG_INFINITY, f32::max) - bx;
    let bh = ys.fold(f32::NEG_INFINITY, f32::max) - by;
    if !(bw.is_finite() && bh.is_finite()) {
        return;
    }
    path_open(out, id, [bx, by, bw, bh], None, true);
    if s.colour != Colour::BLACK {
        colour_element(out, "FillColor", s.colour);
    }
    out.push_str("<ofd:AbbreviatedData>");
    for (k, &(x, y)) in s.points_mm.iter().enumerate() {
        out.push_str(if k == 0 { "M " } else { " L " });
        nums(out, &[x - bx, y - by]);
    }
    out.push_str(" C</ofd:AbbreviatedData></ofd:PathObject>");
}

fn path_open(out: &mut String, id: u32, boundary: [f32; 4], line: Option<f32>, fill: bool) {
    let _ = write!(out, "<ofd:PathObject ID=\"{id}\" Boundary=\"");
    nums(out, &boundary);
    out.push('"');
    if let Some(width) = line {
        out.push_str(" LineWidth=\"");
        num(out, width);
        out.push('"');
    }
    if fill {
        out.push_str(" Stroke=\"false\" Fill=\"true\"");
    } else {
        out.push_str(" Stroke=\"true\" Fill=\"false\"");
    }
    out.push('>');
}

fn colour_element(out: &mut String, name: &str, c: Colour) {
    let _ = write!(out, "<ofd:{name} Value=\"{} {} {}\"/>", c.r, c.g, c.b);
}

/// A number in millimetres to a thousandth, without trailing zeros.
fn num(out: &mut String, v: f32) {
    let start = out.len();
    let _ = write!(out, "{v:.3}");
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.pop();
    }
    if out.get(start..) == Some("-0") {
        out.truncate(start);
        out.push('0');
    }
}

fn nums(out: &mut String, vs: &[f32]) {
    for (k, &v) in vs.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        num(out, v);
    }
}

/// DeltaX with repeats folded as the standard allows ("g 27 5.644" for 27
/// equal advances): a body line's grid pitch is written once.
fn delta_list(out: &mut String, deltas: &[f32]) {
    let mut formatted: Vec<String> = Vec::with_capacity(deltas.len());
    for &d in deltas {
        let mut s = String::new();
        num(&mut s, d);
        formatted.push(s);
    }
    let mut k = 0;
    let mut first = true;
    while let Some(value) = formatted.get(k) {
        let count = formatted.iter().skip(k).take_while(|v| *v == value).count();
        if !first {
            out.push(' ');
        }
        first = false;
        if count >= 3 {
            let _ = write!(out, "g {count} {value}");
            k += count;
        } else {
            out.push_str(value);
            k += 1;
        }
    }
}

/// Escapes a character for XML text or an attribute value; a character
/// that XML 1.0 cannot carry at all is an error (the layout refuses control
/// characters before this, so this is a guard).
fn escape_char(out: &mut String, ch: char) -> Result<()> {
    match ch {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        '\t' | '\n' | '\r' => {
            let _ = write!(out, "&#{};", u32::from(ch));
        }
        c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
            return Err(PrintError::Ofd(format!(
                "U+{:04X} cannot be written in XML",
                u32::from(c)
            )));
        }
        c => out.push(c),
    }
    Ok(())
}

fn escape_into(out: &mut String, text: &str) -> Result<()> {
    text.chars().try_for_each(|c| escape_char(out, c))
}

/// A face's subset, ready to be written into Res/.
struct EmbeddedFont {
    id: u32,
    name: String,
    family: String,
    /// The file name inside Res/.
    file: String,
    bytes: Vec<u8>,
}

/// Subsets a face to the characters the document sets in it. The glyphs
/// are found as the PDF writer finds them; the subset keeps the Unicode
/// cmap of those characters and OS/2 (the Minimal profile), which font
/// loaders on Windows require.
fn embed_face(
    fonts: &FontLibrary,
    face: usize,
    id: u32,
    chars: &BTreeSet<char>,
) -> Result<EmbeddedFont> {
    let parsed = fonts.pdf_font(face)?;
    let (path, index) = fonts
        .face_file(face)
        .ok_or_else(|| PrintError::Ofd(format!("no face {face} in the font library")))?;
    let font_error = |message: String| PrintError::Font {
        path: path.to_path_buf(),
        message,
    };
    let mut glyphs: BTreeSet<u16> = BTreeSet::new();
    for &ch in chars {
        let gid = parsed.lookup_glyph_index(u32::from(ch)).ok_or_else(|| {
            PrintError::Ofd(format!(
                "the font chosen for U+{:04X} has no glyph for it",
                u32::from(ch)
            ))
        })?;
        glyphs.insert(gid);
    }
    // .notdef first, as allsorts requires.
    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.into_iter().filter(|&g| g != 0))
        .collect();
    let source = parsed
        .source_bytes()
        .ok_or_else(|| font_error("the parsed face kept no bytes to subset".to_owned()))?;
    let bytes = source.as_slice();
    let scope = ReadScope::new(bytes);
    let data = scope
        .read::<FontData<'_>>()
        .map_err(|e| font_error(format!("cannot read for subsetting: {e}")))?;
    let provider = data
        .table_provider(index as usize)
        .map_err(|e| font_error(format!("cannot read face {index}: {e}")))?;
    let subset = allsorts::subset::subset(
        &provider,
        &ids,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| font_error(format!("cannot subset: {e}")))?;
    let (name, family) = face_names(bytes, index)
        .ok_or_else(|| font_error("the face has no readable name".to_owned()))?;
    let ext = if subset.starts_with(b"OTTO") {
        "otf"
    } else {
        "ttf"
    };
    Ok(EmbeddedFont {
        id,
        name,
        family,
        file: format!("font_{id}.{ext}"),
        bytes: subset,
    })
}

/// The face's full name and family (the typographic family when there is
/// one), in English where the name table has it.
fn face_names(bytes: &[u8], index: u32) -> Option<(String, String)> {
    let face = ttf_parser::Face::parse(bytes, index).ok()?;
    let find = |id: u16| {
        let names = face.names();
        let mut any = None;
        for name in names {
            if name.name_id != id || !name.is_unicode() {
                continue;
            }
            let Some(text) = name.to_string() else {
                continue;
            };
            if name.language_id == 0x0409 {
                return Some(text);
            }
            any.get_or_insert(text);
        }
        any
    };
    let family = find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| find(ttf_parser::name_id::FAMILY))?;
    let name = find(ttf_parser::name_id::FULL_NAME).unwrap_or_else(|| family.clone());
    Some((name, family))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        let mut s = String::new();
        nums(&mut s, &[1.0, 2.5, 0.12345, -0.0001, 5.6444]);
        assert_eq!(s, "1 2.5 0.123 0 5.644");
    }

    #[test]
    fn equal_advances_fold_into_a_g_group() {
        let mut s = String::new();
        delta_list(&mut s, &[5.644, 5.644, 5.644, 5.644, 2.8, 5.644, 5.644]);
        assert_eq!(s, "g 4 5.644 2.8 5.644 5.644");
    }

    #[test]
    fn markup_is_escaped_and_control_characters_refused() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"'").unwrap();
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;&apos;");
        assert!(escape_into(&mut s, "\u{1}").is_err());
    }
}
