//! The one error type of mz-print.
//!
//! Messages name the field, the place and the character at fault, never the
//! whole text: names and addresses are personal data and must not end up in
//! logs.

use std::path::PathBuf;

/// Where a character or a value sits in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The input field, e.g. `title`, `body[3]`, `signers[0]`, `fields.name`.
    pub field: String,
    /// 1-based position of the character in the field's text, if known.
    pub char_pos: Option<usize>,
}

impl Place {
    pub fn field(field: impl Into<String>) -> Self {
        Place {
            field: field.into(),
            char_pos: None,
        }
    }

    pub fn at(&self, char_pos: usize) -> Place {
        Place {
            field: self.field.clone(),
            char_pos: Some(char_pos),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.char_pos {
            Some(pos) => write!(f, "{}, character {pos}", self.field),
            None => f.write_str(&self.field),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// No font of the role's chain has a glyph for this character.
    #[error(
        "no installed font can print {ch} (U+{code:04X}) at {place}: install a font that covers it (see `mz print fonts`)",
        code = u32::from(*.ch)
    )]
    Uncovered { ch: char, place: Place },

    /// A character that has no place in printed text (control characters).
    #[error("{place}: U+{code:04X} cannot be printed (control character)", code = u32::from(*.ch))]
    Unprintable { ch: char, place: Place },

    /// The input JSON is malformed, has a missing, unknown or wrongly typed
    /// field, or a value that breaks a rule of the standard.
    #[error("{field}: {message}")]
    Input { field: String, message: String },

    /// The text of a form field does not fit its box even at the smallest size
    /// the layout allows.
    #[error("{field}：文字太长，缩到 {min_size_pt} 磅也放不下 {w_mm}×{h_mm} 毫米的栏位")]
    DoesNotFit {
        field: String,
        w_mm: f32,
        h_mm: f32,
        min_size_pt: f32,
    },

    /// A form layout is not usable.
    #[error("layout {layout}: {message}")]
    Layout { layout: String, message: String },

    /// A font file could not be read or parsed.
    #[error("font {path}: {message}")]
    Font { path: PathBuf, message: String },

    /// The PDF could not be produced.
    #[error("PDF: {0}")]
    Pdf(String),

    /// The OFD could not be produced.
    #[error("OFD: {0}")]
    Ofd(String),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The printer or the print system refused the job.
    #[error("printer {printer}: {message}")]
    Printer { printer: String, message: String },
}

impl PrintError {
    pub(crate) fn input(field: impl Into<String>, message: impl Into<String>) -> Self {
        PrintError::Input {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = PrintError> = std::result::Result<T, E>;
