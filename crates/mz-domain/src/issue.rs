//! What is wrong with an input, and where: the one shape every rule of
//! every module answers with, shown beside its field in the window.

use serde::{Deserialize, Serialize};

/// What is wrong, and where: `field` is a path such as `parties[0].doc_number`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FieldIssue {
    pub field: String,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldIssue {
        FieldIssue {
            field: field.into(),
            message: message.into(),
        }
    }
}
