//! Files kept beside a record (a couple's photo; later scans and
//! attachments): a record's body names each by a [`BlobRef`] — its media
//! type, size and the SHA-256 of its bytes — and the bytes travel on their
//! own, stored and fetched by that hash, so that a body stays small and a
//! page of the change feed never carries a photo.

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::FieldIssue;

/// The largest file the platform keeps beside a record. Each kind of file
/// has its own, smaller cap (a photo: [`crate::marriage::MAX_PHOTO_BYTES`]).
pub const MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;

/// A file named by its content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct BlobRef {
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    /// The SHA-256 of the bytes, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// The number of bytes.
    #[ts(type = "number")]
    pub size: u64,
}

/// The media types a blob may have, each with how its file begins.
const SIGNATURES: &[(&str, &[u8])] = &[
    ("image/jpeg", &[0xFF, 0xD8, 0xFF]),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("application/pdf", b"%PDF-"),
];

impl BlobRef {
    /// The reference of `bytes` as a file of `media_type`.
    pub fn of(media_type: &str, bytes: &[u8]) -> BlobRef {
        BlobRef {
            media_type: media_type.to_owned(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }

    /// Whether the reference is well formed: a known media type, a size
    /// between 1 and `max_bytes`, a hash of 64 lowercase hex digits. The
    /// issue names `field`.
    pub fn check(&self, field: &str, max_bytes: usize) -> Result<(), FieldIssue> {
        if !SIGNATURES
            .iter()
            .any(|(media, _)| *media == self.media_type)
        {
            return Err(FieldIssue::new(field, "文件只接受 JPEG、PNG 或 PDF 格式"));
        }
        if self.size == 0 {
            return Err(FieldIssue::new(field, "文件是空的"));
        }
        if self.size > max_bytes as u64 {
            return Err(FieldIssue::new(
                field,
                format!("文件超过 {}，请压缩后再上传", size_text(max_bytes)),
            ));
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

/// Whether `bytes` are a file of `media_type` (by how the file begins).
pub fn check_content(field: &str, media_type: &str, bytes: &[u8]) -> Result<(), FieldIssue> {
    let Some((_, signature)) = SIGNATURES.iter().find(|(media, _)| *media == media_type) else {
        return Err(FieldIssue::new(field, "文件只接受 JPEG、PNG 或 PDF 格式"));
    };
    if bytes.is_empty() {
        return Err(FieldIssue::new(field, "文件是空的"));
    }
    if !bytes.starts_with(signature) {
        return Err(FieldIssue::new(field, "文件内容不是所标明的格式"));
    }
    Ok(())
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

fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];

    #[test]
    fn a_reference_names_its_bytes() {
        let photo = BlobRef::of("image/jpeg", JPEG);
        assert_eq!(photo.size, 7);
        assert_eq!(photo.sha256.len(), 64);
        assert!(photo.check("photo", 1024).is_ok());
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
        let good = BlobRef::of("image/png", b"\x89PNG\r\n\x1a\n....");
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
            let issue = case.check("photo", 1024).unwrap_err();
            assert_eq!(issue.field, "photo", "{case:?}");
        }
        let big = BlobRef {
            size: 2 * 1024 * 1024 + 1,
            ..good
        };
        assert!(
            big.check("photo", 1024 * 1024)
                .unwrap_err()
                .message
                .contains("1 MB")
        );
    }

    #[test]
    fn content_is_checked_by_its_signature() {
        assert!(check_content("f", "image/jpeg", JPEG).is_ok());
        assert!(check_content("f", "image/png", JPEG).is_err());
        assert!(check_content("f", "image/jpeg", &[]).is_err());
        // A scan may be a PDF, by its bytes too.
        assert!(check_content("f", "application/pdf", b"%PDF-1.7").is_ok());
        assert!(check_content("f", "application/pdf", JPEG).is_err());
        assert!(check_content("f", "text/plain", b"hello").is_err());
    }
}
