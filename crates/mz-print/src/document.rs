//! The input of an official document (公文): its JSON form, and the checks
//! that the standard's rules put on the values.
//!
//! The JSON Schema in assets/print/document.schema.json is generated from
//! these types (`document_schema_json`); a test fails when they drift.

use chrono::{Datelike, NaiveDate};

pub use mz_api::documents::{Classification, OfficialDocument, Paragraph, SecrecyLevel, Urgency};

use crate::error::{PrintError, Result};

/// Parses and checks a document from JSON. A missing, unknown or wrongly
/// typed field, or a value against the standard, is an error naming the
/// field (e.g. `body[2].level`).
pub fn parse_document_json(json: &str) -> Result<OfficialDocument> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let doc: OfficialDocument = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "document".to_owned()
        } else {
            path
        };
        PrintError::input(field, e.into_inner().to_string())
    })?;
    doc.validate()?;
    Ok(doc)
}

/// The JSON Schema of the input, as committed in assets/print.
pub fn document_schema_json() -> String {
    let schema = schemars::schema_for!(OfficialDocument);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The standard's rules on a document's values, beyond the shape its type
/// gives (a draft has the shape but may break them).
pub trait DocumentRules {
    /// Checks the rules of the standard that the types cannot express.
    fn validate(&self) -> Result<()>;
    /// 成文日期 as printed: Arabic numerals, no leading zeros (2016年6月27日).
    fn date_text(&self) -> Result<String>;
    /// The classification line: 机密★1年.
    fn classification_text(&self) -> Option<String>;
}

impl DocumentRules for OfficialDocument {
    fn validate(&self) -> Result<()> {
        if let Some(copy_no) = &self.copy_no
            && (copy_no.chars().count() != 6 || !copy_no.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(PrintError::input(
                "copy_no",
                "份号为 6 位阿拉伯数字，如 000001",
            ));
        }
        if let Some(c) = &self.classification
            && let Some(period) = &c.period
            && period.trim().is_empty()
        {
            return Err(PrintError::input(
                "classification.period",
                "不能为空（不定期限时不填）",
            ));
        }
        non_empty("issuer_mark", &self.issuer_mark)?;
        for (i, issuer) in self.issuers.iter().enumerate() {
            non_empty(&format!("issuers[{i}]"), issuer)?;
        }
        if self.issuers.len() == 1 {
            return Err(PrintError::input(
                "issuers",
                "联合行文须列出两个或以上机关；非联合行文不填",
            ));
        }
        if let Some(lead) = self.issuers.first()
            && lead != &self.signature
        {
            return Err(PrintError::input(
                "signature",
                "联合行文由主办机关署名：应与第一个发文机关相同",
            ));
        }
        check_doc_number(&self.doc_number)?;
        if self.upward && self.signers.is_empty() {
            return Err(PrintError::input("signers", "上行文须至少有一位签发人"));
        }
        if !self.upward && !self.signers.is_empty() {
            return Err(PrintError::input("signers", "只有上行文标注签发人"));
        }
        for (i, s) in self.signers.iter().enumerate() {
            non_empty(&format!("signers[{i}]"), s)?;
        }
        non_empty("title", &self.title)?;
        for (i, r) in self.recipients.iter().enumerate() {
            non_empty(&format!("recipients[{i}]"), r)?;
        }
        if self.body.is_empty() {
            return Err(PrintError::input("body", "正文至少要有一段"));
        }
        for (i, p) in self.body.iter().enumerate() {
            if p.level > 4 {
                return Err(PrintError::input(
                    format!("body[{i}].level"),
                    format!("层级 {} 不存在：0 为正文段落，1 至 4 为各级标题", p.level),
                ));
            }
            non_empty(&format!("body[{i}].text"), &p.text)?;
        }
        for (i, a) in self.attachments.iter().enumerate() {
            non_empty(&format!("attachments[{i}]"), a)?;
        }
        non_empty("signature", &self.signature)?;
        parse_date("date", &self.date)?;
        if let Some(note) = &self.note {
            non_empty("note", note)?;
        }
        for (i, c) in self.cc.iter().enumerate() {
            non_empty(&format!("cc[{i}]"), c)?;
        }
        match (&self.printer, &self.print_date) {
            (Some(p), Some(d)) => {
                non_empty("printer", p)?;
                parse_date("print_date", d)?;
            }
            (Some(_), None) => {
                return Err(PrintError::input(
                    "print_date",
                    "填了印发机关，也要填印发日期",
                ));
            }
            (None, Some(_)) => {
                return Err(PrintError::input("printer", "填了印发日期，也要填印发机关"));
            }
            (None, None) => {}
        }
        Ok(())
    }

    fn date_text(&self) -> Result<String> {
        parse_date("date", &self.date).map(chinese_date)
    }

    fn classification_text(&self) -> Option<String> {
        self.classification.as_ref().map(|c| match &c.period {
            Some(p) => format!("{}★{}", c.level.as_str(), p.trim()),
            None => c.level.as_str().to_owned(),
        })
    }
}

fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(PrintError::input(field, "不能为空"))
    } else {
        Ok(())
    }
}

/// A date in YYYY-MM-DD that exists in the calendar.
pub(crate) fn parse_date(field: &str, value: &str) -> Result<NaiveDate> {
    let shaped = value.len() == 10
        && value.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    if !shaped {
        return Err(PrintError::input(
            field,
            "日期请按 年-月-日 填写，如 2026-03-05",
        ));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| PrintError::input(field, "没有这一天"))
}

pub(crate) fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 机关代字〔year〕serial号: hexagonal brackets, the full year, the serial
/// without leading zeros.
fn check_doc_number(value: &str) -> Result<()> {
    const FIELD: &str = "doc_number";
    let form = "发文字号由机关代字、年份、发文顺序号组成，如 湘民发〔2016〕22号";
    for (wrong, right) in [
        ('[', '〔'),
        ('(', '〔'),
        ('（', '〔'),
        ('【', '〔'),
        ('［', '〔'),
    ] {
        if value.contains(wrong) {
            return Err(PrintError::input(
                FIELD,
                format!("年份用六角括号〔〕括入，不用 {wrong}（应为 {right}）。{form}"),
            ));
        }
    }
    let Some((agency, rest)) = value.split_once('〔') else {
        return Err(PrintError::input(FIELD, form));
    };
    let Some((year, rest)) = rest.split_once('〕') else {
        return Err(PrintError::input(FIELD, form));
    };
    let Some(serial) = rest.strip_suffix('号') else {
        return Err(PrintError::input(FIELD, form));
    };
    if agency.trim().is_empty() {
        return Err(PrintError::input(FIELD, format!("缺少机关代字。{form}")));
    }
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(PrintError::input(
            FIELD,
            format!("年份应写全 4 位阿拉伯数字。{form}"),
        ));
    }
    if serial.is_empty() || !serial.chars().all(|c| c.is_ascii_digit()) {
        return Err(PrintError::input(
            FIELD,
            format!("发文顺序号用阿拉伯数字。{form}"),
        ));
    }
    if serial.starts_with('0') {
        return Err(PrintError::input(
            FIELD,
            "发文顺序号不编虚位（写 22号，不写 022号）",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
        "issuer_mark": "湖南省民政厅文件",
        "doc_number": "湘民发〔2016〕22号",
        "title": "关于做好婚姻登记工作的通知",
        "body": [{"level": 0, "text": "正文。"}],
        "signature": "湖南省民政厅",
        "date": "2016-06-27"
    }"#;

    fn with(key: &str, value: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(MINIMAL).unwrap();
        v[key] = serde_json::from_str(value).unwrap();
        v.to_string()
    }

    fn field_of(json: &str) -> String {
        match parse_document_json(json) {
            Err(PrintError::Input { field, .. }) => field,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_document_parses() {
        let doc = parse_document_json(MINIMAL).unwrap();
        assert_eq!(doc.date_text().unwrap(), "2016年6月27日");
        assert!(!doc.sealed);
    }

    #[test]
    fn missing_required_field_is_named() {
        let mut v: serde_json::Value = serde_json::from_str(MINIMAL).unwrap();
        v.as_object_mut().unwrap().remove("doc_number");
        let err = parse_document_json(&v.to_string()).unwrap_err().to_string();
        assert!(err.contains("doc_number"), "{err}");
    }

    #[test]
    fn unknown_field_is_refused() {
        let err = parse_document_json(&with("subtitle", "\"x\""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("subtitle"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let json = with(
            "body",
            r#"[{"level": 0, "text": "a"}, {"level": "一", "text": "b"}]"#,
        );
        assert_eq!(field_of(&json), "body[1].level");
        assert_eq!(field_of(&with("sealed", "\"yes\"")), "sealed");
        assert_eq!(field_of(&with("copy_no", "1")), "copy_no");
    }

    #[test]
    fn unknown_field_inside_a_paragraph_is_refused() {
        let json = with("body", r#"[{"level": 0, "text": "a", "bold": true}]"#);
        let err = parse_document_json(&json).unwrap_err().to_string();
        assert!(err.starts_with("body[0]"), "{err}");
        assert!(err.contains("bold"), "{err}");
    }

    #[test]
    fn level_outside_0_to_4_is_refused() {
        let json = with("body", r#"[{"level": 5, "text": "a"}]"#);
        assert_eq!(field_of(&json), "body[0].level");
    }

    #[test]
    fn dates_must_be_real() {
        assert_eq!(field_of(&with("date", "\"2023-02-29\"")), "date");
        assert_eq!(field_of(&with("date", "\"2016-6-27\"")), "date");
        assert!(parse_document_json(&with("date", "\"2024-02-29\"")).is_ok());
    }

    #[test]
    fn doc_number_form() {
        for bad in [
            "\"湘民发[2016]22号\"",
            "\"湘民发（2016）22号\"",
            "\"湘民发〔16〕22号\"",
            "\"湘民发〔2016〕022号\"",
            "\"湘民发〔2016〕22\"",
            "\"〔2016〕22号\"",
            "\"湘民发〔2016〕二十二号\"",
        ] {
            assert_eq!(field_of(&with("doc_number", bad)), "doc_number", "{bad}");
        }
    }

    #[test]
    fn copy_no_is_six_digits() {
        assert_eq!(field_of(&with("copy_no", "\"12345\"")), "copy_no");
        assert_eq!(field_of(&with("copy_no", "\"12345a\"")), "copy_no");
        assert!(parse_document_json(&with("copy_no", "\"000123\"")).is_ok());
    }

    #[test]
    fn urgency_and_classification_are_closed_lists() {
        assert_eq!(field_of(&with("urgency", "\"急\"")), "urgency");
        assert!(parse_document_json(&with("urgency", "\"特急\"")).is_ok());
        assert_eq!(
            field_of(&with("classification", r#"{"level": "内部"}"#)),
            "classification.level"
        );
        let doc = parse_document_json(&with(
            "classification",
            r#"{"level": "机密", "period": "1年"}"#,
        ))
        .unwrap();
        assert_eq!(doc.classification_text().unwrap(), "机密★1年");
    }

    #[test]
    fn printer_and_print_date_go_together() {
        assert_eq!(
            field_of(&with("printer", "\"湖南省民政厅办公室\"")),
            "print_date"
        );
        assert_eq!(field_of(&with("print_date", "\"2016-06-28\"")), "printer");
    }

    #[test]
    fn signers_belong_to_upward_documents() {
        assert_eq!(field_of(&with("signers", r#"["王䶮"]"#)), "signers");
        assert_eq!(field_of(&with("upward", "true")), "signers");
    }

    #[test]
    fn schema_file_matches_the_types() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/print/document.schema.json"
        );
        let generated = document_schema_json();
        if std::env::var_os("MZ_UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "assets/print/document.schema.json is out of date: run MZ_UPDATE_SCHEMA=1 cargo test -p mz-print schema_file"
        );
    }

    #[test]
    fn example_document_is_valid() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/print/example-document.json"
        );
        let json = std::fs::read_to_string(path).unwrap();
        parse_document_json(&json).unwrap();
    }
}
