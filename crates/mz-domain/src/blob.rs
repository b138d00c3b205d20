//! Files kept beside a record (a couple's photo, the scans of a funeral
//! case's papers, an official document's attachments): a record's body
//! names each by a [`BlobRef`] — its media type, size and the SHA-256 of
//! its bytes — and the bytes travel on their own, stored and fetched by that
//! hash, so that a body stays small and a page of the change feed never
//! carries a file.
//!
//! A file is what its content says it is ([`MediaType::of_content`]), never
//! what its name or its sender says: pictures and PDF by how they begin, and
//! OFD, Word and Excel files (ZIP packages) by the parts their archive's
//! central directory lists. Nothing is unpacked.

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::FieldIssue;

/// The largest file the platform keeps beside a record (an office
/// document's attachment may be this large). Each field has its own cap,
/// often smaller (a photo: [`crate::marriage::MAX_PHOTO_BYTES`]).
pub const MAX_BLOB_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file kept beside records, by their media type on the wire.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
pub enum MediaType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "application/pdf")]
    Pdf,
    /// 版式文档 (GB/T 33190): a ZIP package with `OFD.xml` at its root.
    #[serde(rename = "application/ofd")]
    Ofd,
    /// A Word document: a ZIP package with `[Content_Types].xml` and
    /// `word/document.xml`.
    #[serde(rename = "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    Docx,
    /// An Excel workbook: a ZIP package with `[Content_Types].xml` and
    /// `xl/workbook.xml`.
    #[serde(rename = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    Xlsx,
    /// Plain text in UTF-8 (a regulation's text as published): no control
    /// characters but tabs and line ends.
    #[serde(rename = "text/plain")]
    Text,
}

/// How a ZIP archive begins (its first local file header).
const ZIP_SIGNATURE: &[u8] = b"PK\x03\x04";

impl MediaType {
    /// Every kind of file the platform keeps.
    pub const ALL: [MediaType; 7] = [
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Pdf,
        MediaType::Ofd,
        MediaType::Docx,
        MediaType::Xlsx,
        MediaType::Text,
    ];

    /// The media type as sent (`Content-Type`) and named in a [`BlobRef`].
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Pdf => "application/pdf",
            MediaType::Ofd => "application/ofd",
            MediaType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            MediaType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType::Text => "text/plain",
        }
    }

    /// The kind a media type names; `None` for one the platform does not keep.
    pub fn parse(media_type: &str) -> Option<MediaType> {
        MediaType::ALL
            .into_iter()
            .find(|m| m.as_str() == media_type)
    }

    /// The extension a file of this kind is saved with, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Pdf => "pdf",
            MediaType::Ofd => "ofd",
            MediaType::Docx => "docx",
            MediaType::Xlsx => "xlsx",
            MediaType::Text => "txt",
        }
    }

    /// What a clerk calls it: 图片, PDF, OFD, Word 文档, Excel 表格.
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Jpeg | MediaType::Png => "图片",
            MediaType::Pdf => "PDF",
            MediaType::Ofd => "OFD",
            MediaType::Docx => "Word 文档",
            MediaType::Xlsx => "Excel 表格",
            MediaType::Text => "文本",
        }
    }

    /// Its name in a message that lists formats (`JPEG`, `Word 文档（DOCX）`).
    fn format_name(self) -> &'static str {
        match self {
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
            MediaType::Pdf => "PDF",
            MediaType::Ofd => "OFD",
            MediaType::Docx => "Word 文档（DOCX）",
            MediaType::Xlsx => "Excel 表格（XLSX）",
            MediaType::Text => "文本（TXT）",
        }
    }

    /// What `bytes` are, by their content alone: so that a chosen file is
    /// labelled by what it is, not by its extension. `None` for content of
    /// no kind the platform keeps (an empty file, a GIF, a damaged or
    /// unknown ZIP package).
    pub fn of_content(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(ZIP_SIGNATURE) {
            let parts = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
            return [MediaType::Ofd, MediaType::Docx, MediaType::Xlsx]
                .into_iter()
                .find(|m| missing_part(&parts, *m).is_none());
        }
        [MediaType::Jpeg, MediaType::Png, MediaType::Pdf]
            .into_iter()
            .find(|m| m.signature().is_some_and(|s| bytes.starts_with(s)))
            .or_else(|| is_plain_text(bytes).then_some(MediaType::Text))
    }

    /// How a file of this kind begins.
    fn signature(self) -> Option<&'static [u8]> {
        match self {
            MediaType::Jpeg => Some(&[0xFF, 0xD8, 0xFF]),
            MediaType::Png => Some(b"\x89PNG\r\n\x1a\n"),
            MediaType::Pdf => Some(b"%PDF-"),
            MediaType::Ofd | MediaType::Docx | MediaType::Xlsx => Some(ZIP_SIGNATURE),
            MediaType::Text => None,
        }
    }

    /// The parts a package of this kind must list; none for a file that
    /// is no package.
    fn parts(self) -> &'static [&'static str] {
        match self {
            MediaType::Jpeg | MediaType::Png | MediaType::Pdf | MediaType::Text => &[],
            MediaType::Ofd => &["OFD.xml"],
            MediaType::Docx => &["[Content_Types].xml", "word/document.xml"],
            MediaType::Xlsx => &["[Content_Types].xml", "xl/workbook.xml"],
        }
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `bytes` are plain text: UTF-8 (a byte-order mark allowed), not
/// empty, with no control characters but tabs, line ends and form feeds.
fn is_plain_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    !bytes.is_empty()
        && std::str::from_utf8(bytes).is_ok_and(|text| {
            text.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
        })
}

/// The first part of a package kind that `archive` does not list.
fn missing_part<R: std::io::Read + std::io::Seek>(
    archive: &zip::ZipArchive<R>,
    kind: MediaType,
) -> Option<&'static str> {
    kind.parts()
        .iter()
        .copied()
        .find(|part| archive.index_for_name(part).is_none())
}

/// The formats in `accepted`, as a message lists them (`JPEG、PNG 或 PDF`).
pub fn format_names(accepted: &[MediaType]) -> String {
    match accepted {
        [] => String::new(),
        [only] => only.format_name().to_owned(),
        [first @ .., last] => format!(
            "{} 或 {}",
            first
                .iter()
                .map(|m| m.format_name())
                .collect::<Vec<_>>()
                .join("、"),
            last.format_name()
        ),
    }
}

fn not_accepted(field: &str, accepted: &[MediaType]) -> FieldIssue {
    FieldIssue::new(field, format!("文件只接受 {} 格式", format_names(accepted)))
}

/// A file named by its content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct BlobRef {
    /// One of [`MediaType`]'s: `image/jpeg`, `image/png`, `application/pdf`,
    /// `application/ofd`, or the DOCX and XLSX types.
    pub media_type: String,
    /// The SHA-256 of the bytes, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// The number of bytes.
    #[ts(type = "number")]
    pub size: u64,
}

impl BlobRef {
    /// The reference of `bytes` as a file of `media_type`.
    pub fn of(media_type: &str, bytes: &[u8]) -> BlobRef {
        BlobRef {
            media_type: media_type.to_owned(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }

    /// The reference of a file chosen for `field`, once it is what that
    /// field keeps: not empty, at most `max_bytes`, of a type in `accepted`,
    /// and content of that type. The issue names `field`.
    pub fn checked(
        field: &str,
        media_type: &str,
        bytes: &[u8],
        max_bytes: usize,
        accepted: &[MediaType],
    ) -> Result<BlobRef, FieldIssue> {
        if bytes.len() > max_bytes {
            return Err(too_large(field, max_bytes));
        }
        if !MediaType::parse(media_type).is_some_and(|m| accepted.contains(&m)) {
            return Err(not_accepted(field, accepted));
        }
        check_content(field, media_type, bytes)?;
        Ok(BlobRef::of(media_type, bytes))
    }

    /// The kind of file it names; `None` for a media type the platform
    /// does not keep.
    pub fn kind(&self) -> Option<MediaType> {
        MediaType::parse(&self.media_type)
    }

    /// Whether the reference is well formed for a field that keeps files
    /// of the `accepted` types up to `max_bytes`: one of those types, a size
    /// between 1 and `max_bytes`, a hash of 64 lowercase hex digits. The
    /// issue names `field`.
    pub fn check(
        &self,
        field: &str,
        max_bytes: usize,
        accepted: &[MediaType],
    ) -> Result<(), FieldIssue> {
        if !self.kind().is_some_and(|m| accepted.contains(&m)) {
            return Err(not_accepted(field, accepted));
        }
        if self.size == 0 {
            return Err(FieldIssue::new(field, "文件是空的"));
        }
        if self.size > max_bytes as u64 {
            return Err(too_large(field, max_bytes));
        }
        if !is_sha256_hex(&self.sha256) {
            return Err(FieldIssue::new(
                field,
                "文件的摘要不是 64 位小写十六进制的 SHA-256",
            ));
        }
        Ok(())
    }

    /// Whether `bytes` are the file this reference names: the same size and
    /// hash, and content of the named media type.
    pub fn check_bytes(&self, field: &str, bytes: &[u8]) -> Result<(), FieldIssue> {
        if bytes.len() as u64 != self.size || sha256_hex(bytes) != self.sha256 {
            return Err(FieldIssue::new(field, "文件内容与其摘要或大小不符"));
        }
        check_content(field, &self.media_type, bytes)
    }
}

/// Whether `bytes` are a file of `media_type`, by their content: how the
/// file begins and, for a ZIP package (OFD, DOCX, XLSX), the parts its
/// central directory lists. A damaged package, or one without its parts,
/// is refused with what is wrong.
pub fn check_content(field: &str, media_type: &str, bytes: &[u8]) -> Result<(), FieldIssue> {
    let Some(kind) = MediaType::parse(media_type) else {
        return Err(not_accepted(field, &MediaType::ALL));
    };
    if bytes.is_empty() {
        return Err(FieldIssue::new(field, "文件是空的"));
    }
    let not_it = |why: &str| {
        FieldIssue::new(
            field,
            format!("文件内容不是所标明的格式（{}）{why}", kind.format_name()),
        )
    };
    if kind == MediaType::Text {
        return if is_plain_text(bytes) {
            Ok(())
        } else {
            Err(not_it("：须为 UTF-8 编码的文字，不含控制字符"))
        };
    }
    if !kind.signature().is_some_and(|s| bytes.starts_with(s)) {
        return Err(not_it(""));
    }
    if kind.parts().is_empty() {
        return Ok(());
    }
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| not_it("：压缩包不完整或已损坏"))?;
    match missing_part(&archive, kind) {
        Some(part) => Err(not_it(&format!("：其中没有 {part}"))),
        None => Ok(()),
    }
}

/// Whether `text` is a SHA-256 as files are named by: 64 lowercase
/// hexadecimal digits (so it is safe in a path, too).
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// The SHA-256 of `bytes`, in lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn too_large(field: &str, max_bytes: usize) -> FieldIssue {
    FieldIssue::new(
        field,
        format!("文件超过 {}，请压缩后再上传", size_text(max_bytes)),
    )
}

/// A size as a clerk reads it: `10 MB`, `300 KB`.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";
    const PDF: &[u8] = b"%PDF-1.7\n%%EOF\n";

    /// A ZIP package holding `parts` (each a little XML), written as Word,
    /// Excel and OFD writers do, the first part stored and the rest deflated.
    fn package(parts: &[&str]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (i, part) in parts.iter().enumerate() {
            let method = if i == 0 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file(*part, options).unwrap();
            zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><x/>")
                .unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn docx() -> Vec<u8> {
        package(&[
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
        ])
    }

    fn xlsx() -> Vec<u8> {
        package(&[
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
        ])
    }

    fn ofd() -> Vec<u8> {
        package(&[
            "OFD.xml",
            "Doc_0/Document.xml",
            "Doc_0/Pages/Page_0/Content.xml",
        ])
    }

    #[test]
    fn a_reference_names_its_bytes() {
        let photo = BlobRef::of("image/jpeg", JPEG);
        assert_eq!(photo.size, 7);
        assert_eq!(photo.sha256.len(), 64);
        assert!(photo.check("photo", 1024, &[MediaType::Jpeg]).is_ok());
        assert!(photo.check_bytes("photo", JPEG).is_ok());
        // Other bytes, the same bytes named as another type, a truncated file.
        assert!(
            photo
                .check_bytes("photo", &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 4])
                .is_err()
        );
        assert!(
            BlobRef::of("image/png", JPEG)
                .check_bytes("photo", JPEG)
                .is_err()
        );
        assert!(photo.check_bytes("photo", &JPEG[..6]).is_err());
    }

    #[test]
    fn a_malformed_reference_is_refused_with_its_field() {
        let good = BlobRef::of("image/png", PNG);
        let cases = [
            BlobRef {
                media_type: "image/gif".into(),
                ..good.clone()
            },
            BlobRef {
                size: 0,
                ..good.clone()
            },
            BlobRef {
                size: 2048,
                ..good.clone()
            },
            BlobRef {
                sha256: good.sha256.to_uppercase(),
                ..good.clone()
            },
            BlobRef {
                sha256: "../../etc/passwd".into(),
                ..good.clone()
            },
        ];
        for case in cases {
            let issue = case.check("photo", 1024, &MediaType::ALL).unwrap_err();
            assert_eq!(issue.field, "photo", "{case:?}");
        }
        let big = BlobRef {
            size: 2 * 1024 * 1024 + 1,
            ..good
        };
        assert!(
            big.check("photo", 1024 * 1024, &MediaType::ALL)
                .unwrap_err()
                .message
                .contains("1 MB")
        );
    }

    #[test]
    fn a_field_takes_only_the_types_it_accepts() {
        let images = [MediaType::Jpeg, MediaType::Png];
        let word = BlobRef::of(MediaType::Docx.as_str(), &docx());
        let issue = word.check("photo", MAX_BLOB_BYTES, &images).unwrap_err();
        assert_eq!(
            (issue.field.as_str(), issue.message.as_str()),
            ("photo", "文件只接受 JPEG 或 PNG 格式")
        );
        assert!(word.check("file", MAX_BLOB_BYTES, &MediaType::ALL).is_ok());
        // A known type the field does not take, an unknown one: refused alike.
        let gif = BlobRef {
            media_type: "image/gif".to_owned(),
            ..word.clone()
        };
        assert!(gif.check("file", MAX_BLOB_BYTES, &MediaType::ALL).is_err());
        assert_eq!(gif.kind(), None);
        assert_eq!(word.kind(), Some(MediaType::Docx));
    }

    #[test]
    fn a_chosen_file_is_checked_for_its_field() {
        let word = docx();
        let scans = [MediaType::Jpeg, MediaType::Png, MediaType::Pdf];
        assert_eq!(
            BlobRef::checked("scan", "application/pdf", PDF, 1024, &scans).unwrap(),
            BlobRef::of("application/pdf", PDF)
        );
        let cases: [(&str, &[u8], usize, &str); 4] = [
            // Over the field's cap, before anything else is read.
            ("application/pdf", PDF, 8, "1 KB"),
            // A type the field does not take, even when the content is it.
            (MediaType::Docx.as_str(), &word, 4096, "只接受"),
            // Content that is not the type it is named as.
            ("application/pdf", JPEG, 1024, "不是所标明的格式"),
            ("application/pdf", &[], 1024, "空"),
        ];
        for (media_type, bytes, max, says) in cases {
            let issue = BlobRef::checked("scan", media_type, bytes, max, &scans).unwrap_err();
            assert_eq!(issue.field, "scan");
            assert!(issue.message.contains(says), "{media_type}: {issue:?}");
        }
    }

    #[test]
    fn content_is_checked_by_its_signature() {
        assert!(check_content("f", "image/jpeg", JPEG).is_ok());
        assert!(check_content("f", "image/png", JPEG).is_err());
        assert!(check_content("f", "image/jpeg", &[]).is_err());
        // A scan may be a PDF, by its bytes too.
        assert!(check_content("f", "application/pdf", PDF).is_ok());
        assert!(check_content("f", "application/pdf", JPEG).is_err());
        // Text is UTF-8 without control characters.
        assert!(check_content("f", "text/plain", "婚姻登记条例\r\n\t第一条".as_bytes()).is_ok());
        assert!(check_content("f", "text/plain", b"\x00\x01binary").is_err());
        assert!(check_content("f", "text/plain", JPEG).is_err());
        assert!(check_content("f", "text/plain", &[0xE5, 0xA9]).is_err());
    }

    #[test]
    fn office_packages_are_checked_by_the_parts_their_archive_lists() {
        let (docx, xlsx, ofd) = (docx(), xlsx(), ofd());
        for (kind, bytes) in [
            (MediaType::Docx, &docx),
            (MediaType::Xlsx, &xlsx),
            (MediaType::Ofd, &ofd),
        ] {
            assert_eq!(check_content("f", kind.as_str(), bytes), Ok(()), "{kind}");
            // Each is none of the others, nor a PDF or a picture.
            for other in MediaType::ALL.into_iter().filter(|m| *m != kind) {
                let issue = check_content("attachments[0].file", other.as_str(), bytes)
                    .expect_err(other.as_str());
                assert_eq!(issue.field, "attachments[0].file");
                assert!(
                    issue.message.starts_with("文件内容不是所标明的格式"),
                    "{issue:?}"
                );
            }
        }
        // A PDF named as a Word document.
        assert!(check_content("f", MediaType::Docx.as_str(), PDF).is_err());
        // Cut short on the way: the central directory at its end is gone.
        let cut = &docx[..docx.len() - 30];
        let issue = check_content("f", MediaType::Docx.as_str(), cut).unwrap_err();
        assert!(issue.message.contains("损坏"), "{issue:?}");
        // Only the head of a package: the signature and nothing behind it.
        assert!(check_content("f", MediaType::Ofd.as_str(), b"PK\x03\x04").is_err());
        // A package without its part, or with it in the wrong folder.
        let no_body = package(&["[Content_Types].xml", "word/styles.xml"]);
        let issue = check_content("f", MediaType::Docx.as_str(), &no_body).unwrap_err();
        assert!(issue.message.contains("word/document.xml"), "{issue:?}");
        let no_types = package(&["xl/workbook.xml"]);
        let issue = check_content("f", MediaType::Xlsx.as_str(), &no_types).unwrap_err();
        assert!(issue.message.contains("[Content_Types].xml"), "{issue:?}");
        let nested = package(&["Doc_0/OFD.xml"]);
        assert!(check_content("f", MediaType::Ofd.as_str(), &nested).is_err());
    }

    #[test]
    fn a_file_is_told_by_its_content() {
        let (docx, xlsx, ofd, readme) = (docx(), xlsx(), ofd(), package(&["readme.txt"]));
        let cases: [(&[u8], Option<MediaType>); 12] = [
            (JPEG, Some(MediaType::Jpeg)),
            (PNG, Some(MediaType::Png)),
            (PDF, Some(MediaType::Pdf)),
            (&docx, Some(MediaType::Docx)),
            (&xlsx, Some(MediaType::Xlsx)),
            (&ofd, Some(MediaType::Ofd)),
            (&[], None),
            (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", None),
            (
                "\u{feff}婚姻登记条例\n第一条".as_bytes(),
                Some(MediaType::Text),
            ),
            // A ZIP that is none of the packages, and a damaged one.
            (&readme, None),
            (docx.get(..40).unwrap(), None),
            (b"PK\x03\x04", None),
        ];
        for (bytes, kind) in cases {
            assert_eq!(MediaType::of_content(bytes), kind, "{kind:?}");
            // What it is told to be, it passes as.
            if let Some(kind) = kind {
                assert_eq!(check_content("f", kind.as_str(), bytes), Ok(()));
            }
        }
    }

    #[test]
    fn each_type_has_its_wire_name_extension_and_label() {
        for kind in MediaType::ALL {
            assert_eq!(MediaType::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        assert_eq!(MediaType::parse("image/gif"), None);
        let named: Vec<_> = MediaType::ALL
            .into_iter()
            .map(|m| (m.extension(), m.label()))
            .collect();
        assert_eq!(
            named,
            [
                ("jpg", "图片"),
                ("png", "图片"),
                ("pdf", "PDF"),
                ("ofd", "OFD"),
                ("docx", "Word 文档"),
                ("xlsx", "Excel 表格"),
                ("txt", "文本"),
            ]
        );
        assert_eq!(
            format_names(&[MediaType::Jpeg, MediaType::Png, MediaType::Pdf]),
            "JPEG、PNG 或 PDF"
        );
        assert_eq!(format_names(&[MediaType::Ofd]), "OFD");
        assert_eq!(size_text(MAX_BLOB_BYTES), "10 MB");
    }
}
