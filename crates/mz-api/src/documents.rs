//! Official documents (公文): the input of a document to GB/T 9704-2012, as
//! mz-print typesets it and as a draft (`document_draft` record) carries it.
//!
//! The types only give the shape; the standard's rules on the values are
//! checked by mz-print (`parse_document_json`), because a draft may be
//! unfinished. The JSON Schema in assets/print/document.schema.json is
//! generated from these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// An official document as the JSON input gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, ToSchema, TS)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Official document (公文) to GB/T 9704-2012")]
pub struct OfficialDocument {
    /// 份号: copy number, 6 Arabic digits, e.g. "000001".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[0-9]{6}$"))]
    pub copy_no: Option<String>,
    /// 密级和保密期限.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// 紧急程度.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// 发文机关标志, e.g. "湖南省民政厅文件". For a joint document the
    /// issuers' names are stacked and a trailing "文件" is set beside them.
    #[schemars(length(min = 1))]
    pub issuer_mark: String,
    /// The issuing bodies of a joint document (联合行文), the lead body first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// 发文字号: 机关代字〔year〕serial号, e.g. "湘民发〔2016〕22号".
    #[schemars(pattern(r"^[^〔〕]+〔[0-9]{4}〕[1-9][0-9]*号$"))]
    pub doc_number: String,
    /// 签发人 of an upward document (上行文), in signing order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signers: Vec<String>,
    /// Whether the document is sent upward (上行文): the mark moves down to
    /// 80 mm and the signers are printed.
    #[serde(default)]
    pub upward: bool,
    /// 标题.
    #[schemars(length(min = 1))]
    pub title: String,
    /// 主送机关, in order; printed joined by "，" and ended by "：".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
    /// 正文: paragraphs.
    #[schemars(length(min = 1))]
    pub body: Vec<Paragraph>,
    /// 附件说明: the attachments' titles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    /// 发文机关署名.
    #[schemars(length(min = 1))]
    pub signature: String,
    /// 成文日期, YYYY-MM-DD.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub date: String,
    /// Whether the seal (印章) is printed over the signature and date.
    #[serde(default)]
    pub sealed: bool,
    /// 附注, printed in parentheses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 抄送机关.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// 印发机关 (with `print_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<String>,
    /// 印发日期, YYYY-MM-DD (with `printer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub print_date: Option<String>,
}

/// One paragraph of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    /// 0 = ordinary paragraph; 1 = 一、 (黑体); 2 = （一） (楷体); 3 = 1. (仿宋);
    /// 4 = （1） (仿宋). The text carries its own numbering.
    #[schemars(range(min = 0, max = 4))]
    pub level: u8,
    #[schemars(length(min = 1))]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    pub level: SecrecyLevel,
    /// 保密期限, e.g. "1年", "6个月" (Arabic numerals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, ToSchema, TS)]
pub enum SecrecyLevel {
    #[serde(rename = "绝密")]
    TopSecret,
    #[serde(rename = "机密")]
    Confidential,
    #[serde(rename = "秘密")]
    Secret,
}

impl SecrecyLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            SecrecyLevel::TopSecret => "绝密",
            SecrecyLevel::Confidential => "机密",
            SecrecyLevel::Secret => "秘密",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, ToSchema, TS)]
pub enum Urgency {
    #[serde(rename = "特急")]
    Extra,
    #[serde(rename = "加急")]
    Urgent,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Extra => "特急",
            Urgency::Urgent => "加急",
        }
    }
}
