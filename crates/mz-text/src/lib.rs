//! The text of a file, for the document library's search: what a reader of
//! the file would read, in reading order, with a paragraph per line.
//!
//! - PDF: lopdf decodes each page's content through its fonts' Unicode maps
//!   ([`lopdf::Document::extract_text_with_limit`], bounded against
//!   decompression bombs). A scanned PDF has no text: its text is empty.
//! - Word (DOCX): the runs (`w:t`) of `word/document.xml`'s paragraphs.
//! - OFD (GB/T 33190): the `TextCode`s of each page in the order the
//!   document lists its pages (`OFD.xml` → `DocRoot` → `Pages`).
//! - Excel (XLSX): every worksheet's cells, through mz-sheets (calamine)
//!   with its limits.
//! - Plain text: as it is.
//!
//! The text is normalised the same way on the desk and on the platform
//! ([`normalise`]): line ends unified, blank runs collapsed, at most
//! [`MAX_TEXT_CHARS`] characters. The platform extracts a library file's
//! text itself and refuses a record whose text differs, so the text is
//! never what a client says it is.

use std::io::{Cursor, Read};

use mz_domain::blob::MediaType;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, Event};

pub use mz_domain::fulltext::MAX_TEXT_CHARS;

/// The most bytes one PDF page's content or one XML part may inflate to.
const MAX_INFLATED_BYTES: usize = 64 * 1024 * 1024;

/// Why a file's text could not be read. Its message says it in Chinese,
/// without the file's content.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("{kind} 文件已损坏或无法读取：{reason}")]
    Unreadable { kind: &'static str, reason: String },
    #[error("{0} 文件不能取出文字")]
    NoText(&'static str),
}

fn unreadable(kind: MediaType, reason: impl ToString) -> ExtractError {
    ExtractError::Unreadable {
        kind: kind.label(),
        reason: reason.to_string(),
    }
}

/// The text of `bytes`, a file of `kind`, normalised ([`normalise`]). A file
/// that does not read as its kind is an error; a picture has no text.
pub fn extract(kind: MediaType, bytes: &[u8]) -> Result<String, ExtractError> {
    // A damaged file must never take the caller down: a parser's panic on
    // hostile input is this file's error.
    let raw = std::panic::catch_unwind(|| match kind {
        MediaType::Pdf => pdf_text(bytes),
        MediaType::Docx => docx_text(bytes),
        MediaType::Ofd => ofd_text(bytes),
        MediaType::Xlsx => xlsx_text(bytes),
        MediaType::Text => std::str::from_utf8(bytes)
            .map(|text| text.trim_start_matches('\u{feff}').to_owned())
            .map_err(|e| unreadable(kind, e)),
        MediaType::Jpeg | MediaType::Png => Err(ExtractError::NoText(kind.label())),
    })
    .unwrap_or_else(|_| Err(unreadable(kind, "文件结构异常")))?;
    Ok(normalise(&raw))
}

/// Text as the index keeps it: `\r\n` and `\r` as `\n`, each run of blanks
/// (spaces, tabs, ideographic spaces) as one space, blank lines dropped,
/// each line trimmed, at most [`MAX_TEXT_CHARS`] characters.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for line in text.split(['\n', '\r', '\u{c}']) {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            chars += 1;
        }
        let line = words.join(" ");
        let room = MAX_TEXT_CHARS.saturating_sub(chars);
        let count = line.chars().count();
        if count >= room {
            out.extend(line.chars().take(room));
            return out.trim_end().to_owned();
        }
        out.push_str(&line);
        chars += count;
    }
    out
}

fn pdf_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let kind = MediaType::Pdf;
    let document = lopdf::Document::load_mem(bytes).map_err(|e| unreadable(kind, e))?;
    if document.is_encrypted() {
        return Err(unreadable(kind, "文件已加密"));
    }
    let mut text = String::new();
    for number in document.get_pages().keys() {
        let page = document
            .extract_text_with_limit(&[*number], MAX_INFLATED_BYTES)
            .map_err(|e| unreadable(kind, format!("第 {number} 页：{e}")))?;
        text.push_str(&page);
        text.push('\n');
        if text.len() > MAX_TEXT_CHARS * 4 {
            break;
        }
    }
    Ok(text)
}

/// A part of a ZIP package, read whole, at most [`MAX_INFLATED_BYTES`].
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    kind: MediaType,
    name: &str,
) -> Result<Vec<u8>, ExtractError> {
    let entry = archive
        .by_name(name)
        .map_err(|_| unreadable(kind, format!("缺少 {name}")))?;
    let mut bytes = Vec::new();
    entry
        .take(MAX_INFLATED_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(kind, e))?;
    if bytes.len() > MAX_INFLATED_BYTES {
        return Err(unreadable(kind, format!("{name} 解压后过大")));
    }
    Ok(bytes)
}

fn package(bytes: &[u8], kind: MediaType) -> Result<zip::ZipArchive<Cursor<&[u8]>>, ExtractError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(kind, e))
}

/// The local name of an XML element (`w:t` → `t`).
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// A part's bytes as XML text.
fn xml_text(bytes: &[u8], kind: MediaType) -> Result<&str, ExtractError> {
    std::str::from_utf8(bytes).map_err(|e| unreadable(kind, e))
}

/// The text of an entity or character reference (`&amp;` → `&`, `&#x4E2D;`
/// → 中); nothing for an entity XML does not define.
fn reference(r: &BytesRef<'_>, kind: MediaType) -> Result<String, ExtractError> {
    if r.is_char_ref() {
        return Ok(r
            .resolve_char_ref()
            .map_err(|e| unreadable(kind, e))?
            .map(String::from)
            .unwrap_or_default());
    }
    let name = r.xml_content(XmlVersion::Implicit1_0);
    Ok(quick_xml::escape::resolve_predefined_entity(&name)
        .unwrap_or_default()
        .to_owned())
}

fn docx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let kind = MediaType::Docx;
    let xml = part(&mut package(bytes, kind)?, kind, "word/document.xml")?;
    let mut reader = quick_xml::Reader::from_str(xml_text(&xml, kind)?);
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| unreadable(kind, e))? {
            Event::Start(e) if local(e.name().as_ref()) == "t" => in_text = true,
            Event::End(e) => match local(e.name().as_ref()) {
                "t" => in_text = false,
                "p" => text.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match local(e.name().as_ref()) {
                "tab" => text.push(' '),
                "br" | "cr" | "p" => text.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) if in_text => text.push_str(&reference(&r, kind)?),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(text)
}

/// The value of the first element named `element` in `xml`, or the
/// `attribute` of each such element (all of them, in order).
fn xml_values(
    xml: &[u8],
    kind: MediaType,
    element: &str,
    attribute: Option<&str>,
) -> Result<Vec<String>, ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml_text(xml, kind)?);
    let mut values = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event().map_err(|e| unreadable(kind, e))? {
            Event::Start(e) | Event::Empty(e) if local(e.name().as_ref()) == element => {
                match attribute {
                    Some(attribute) => {
                        for a in e.attributes() {
                            let a = a.map_err(|e| unreadable(kind, e))?;
                            if local(a.key.as_ref()) == attribute {
                                let value = a
                                    .normalized_value(XmlVersion::Implicit1_0)
                                    .map_err(|e| unreadable(kind, e))?;
                                values.push(value.into_owned());
                            }
                        }
                    }
                    None => {
                        inside = true;
                        values.push(String::new());
                    }
                }
            }
            Event::End(e) if local(e.name().as_ref()) == element => inside = false,
            Event::Text(t) if inside => {
                if let Some(last) = values.last_mut() {
                    last.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) if inside => {
                if let Some(last) = values.last_mut() {
                    last.push_str(&reference(&r, kind)?);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(values)
}

/// `relative` resolved against the folder of `base` (`Doc_0/Document.xml`
/// and `Pages/Page_0/Content.xml` → `Doc_0/Pages/Page_0/Content.xml`); a
/// path from the package's root when it begins with `/`.
fn resolve(base: &str, relative: &str) -> String {
    if let Some(rooted) = relative.strip_prefix('/') {
        return rooted.to_owned();
    }
    match base.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{relative}"),
        None => relative.to_owned(),
    }
}

fn ofd_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let kind = MediaType::Ofd;
    let mut archive = package(bytes, kind)?;
    let entry = part(&mut archive, kind, "OFD.xml")?;
    let root = xml_values(&entry, kind, "DocRoot", None)?
        .into_iter()
        .next()
        .map(|r| r.trim().trim_start_matches('/').to_owned())
        .ok_or_else(|| unreadable(kind, "OFD.xml 未指明文档（DocRoot）"))?;
    let document = part(&mut archive, kind, &root)?;
    let mut text = String::new();
    for page in xml_values(&document, kind, "Page", Some("BaseLoc"))? {
        let content = part(&mut archive, kind, &resolve(&root, page.trim()))?;
        for code in xml_values(&content, kind, "TextCode", None)? {
            text.push_str(&code);
            text.push('\n');
        }
        if text.len() > MAX_TEXT_CHARS * 4 {
            break;
        }
    }
    Ok(text)
}

fn xlsx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let kind = MediaType::Xlsx;
    let mut book =
        mz_sheets::Workbook::from_bytes(bytes.to_vec()).map_err(|e| unreadable(kind, e))?;
    book.text(MAX_TEXT_CHARS).map_err(|e| unreadable(kind, e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests;
