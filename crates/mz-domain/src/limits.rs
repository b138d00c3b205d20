//! How large what a clerk types may be: one cap for a short field (a name,
//! a phone, an address, a reason), a larger one for the prose of a document,
//! and a cap on a whole record's body.
//!
//! The caps are checked before a change is queued on the counter and again
//! by the platform: an entry that could never be accepted is refused where
//! it is typed, with its field, instead of reaching the outbox and standing
//! before every entry behind it.

use crate::FieldIssue;

/// A short text field of a record: names, numbers, places, reasons.
pub const MAX_FIELD_CHARS: usize = 500;
/// One paragraph or element of an official document (the draft as a whole
/// has its own cap in bytes, which binds first for a long report).
pub const MAX_PROSE_CHARS: usize = 64 * 1024;

/// Whether a text of `chars` characters fits the field `field` with `cap`.
pub fn check_text(field: &str, chars: usize, cap: usize) -> Result<(), FieldIssue> {
    if chars > cap {
        return Err(FieldIssue {
            field: field.to_owned(),
            message: format!("此项过长：最多 {cap} 个字符（现有 {chars} 个）"),
        });
    }
    Ok(())
}

/// Whether a body of `bytes` fits a record whose bodies are at most `cap`.
/// The issue is about the whole record: its field is empty.
pub fn check_body_bytes(bytes: usize, cap: usize) -> Result<(), FieldIssue> {
    if bytes > cap {
        return Err(FieldIssue {
            field: String::new(),
            message: format!(
                "记录过大：最多 {} KB（现有 {} KB）",
                cap / 1024,
                bytes.div_ceil(1024)
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_at_its_cap_fits_and_one_more_character_does_not() {
        assert!(check_text("parties[0].address", 500, MAX_FIELD_CHARS).is_ok());
        let issue = check_text("parties[0].address", 501, MAX_FIELD_CHARS).unwrap_err();
        assert_eq!(issue.field, "parties[0].address");
        assert!(issue.message.contains("500"), "{}", issue.message);
        assert!(check_body_bytes(2048, 2048).is_ok());
        assert_eq!(check_body_bytes(2049, 2048).unwrap_err().field, "");
    }
}
