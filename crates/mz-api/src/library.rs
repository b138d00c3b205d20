//! The document library (在线资料库): policies, regulations, templates and
//! the department's own documents, one `library_item` record each, in a
//! tree of categories, with every version of its file kept (who, when,
//! what changed).
//!
//! A record carries the text of its current file as `mz_text` takes it out
//! ([`LibraryItemData::text`]): the desks search it offline, and the
//! platform takes the text out of the file itself and refuses a record whose
//! text is not the file's. The search itself is `mz_domain::fulltext`'s,
//! the same on both sides.

use chrono::{NaiveDate, NaiveDateTime};
use mz_domain::FieldIssue;
use mz_domain::blob::{BlobRef, MediaType};
use mz_domain::fulltext::MAX_TEXT_CHARS;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::office::Person;
use crate::records::{BodyIssue, body_value, read_body, typed_change};

/// The most versions kept of one item: a change beyond them is refused
/// (a new item is started instead), never a version dropped.
pub const MAX_VERSIONS: usize = 20;
/// The largest file of the library.
pub const MAX_FILE_BYTES: usize = mz_domain::blob::MAX_BLOB_BYTES;
/// The kinds of file the library keeps, each checked by its content.
pub const FILE_TYPES: &[MediaType] = &[
    MediaType::Pdf,
    MediaType::Ofd,
    MediaType::Docx,
    MediaType::Xlsx,
    MediaType::Text,
];
pub const TITLE_CHARS: usize = 100;
/// The deepest category path (法规 › 婚姻 › 登记).
pub const MAX_CATEGORY_DEPTH: usize = 4;
pub const CATEGORY_CHARS: usize = 20;
pub const ISSUER_CHARS: usize = 50;
pub const DOC_NUMBER_CHARS: usize = 50;
pub const FILE_NAME_CHARS: usize = 100;
/// The longest note of what a version changed.
pub const CHANGE_CHARS: usize = 200;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum LibraryKind {
    /// 政策文件.
    Policy,
    /// 法律法规.
    Regulation,
    /// 模板 (a form, a model document).
    Template,
    /// 本厅文件: the department's own documents.
    Department,
}

impl LibraryKind {
    pub const ALL: [LibraryKind; 4] = [
        LibraryKind::Policy,
        LibraryKind::Regulation,
        LibraryKind::Template,
        LibraryKind::Department,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LibraryKind::Policy => "政策文件",
            LibraryKind::Regulation => "法律法规",
            LibraryKind::Template => "模板",
            LibraryKind::Department => "本厅文件",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LibraryKind::Policy => "policy",
            LibraryKind::Regulation => "regulation",
            LibraryKind::Template => "template",
            LibraryKind::Department => "department",
        }
    }

    pub fn parse(text: &str) -> Option<LibraryKind> {
        LibraryKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One item of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct LibraryItemData {
    pub title: String,
    pub kind: LibraryKind,
    /// Its place in the category tree, from the top: `["法规", "婚姻登记"]`.
    pub category: Vec<String>,
    /// 发布机关, e.g. 国务院.
    #[serde(default)]
    pub issuer: String,
    /// 文号, e.g. 国务院令第387号.
    #[serde(default)]
    pub doc_number: String,
    /// Every version of its file, oldest first; the last is the current.
    pub versions: Vec<LibraryVersion>,
    /// The current file's text, as `mz_text::extract` takes it out: empty
    /// for a scan. At most [`MAX_TEXT_CHARS`] characters.
    #[serde(default)]
    pub text: String,
}

/// A version of an item's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct LibraryVersion {
    #[schema(value_type = Object)]
    pub file: BlobRef,
    /// The file's name as uploaded, e.g. `婚姻登记条例.pdf`.
    pub file_name: String,
    /// What changed (修订说明); empty only for the first version.
    #[serde(default)]
    pub change: String,
    /// Who uploaded it, and when (China's time).
    pub by: Person,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
}

/// One item found: the item as stored but its text (empty: its passage
/// stands for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct LibraryHit {
    pub id: uuid::Uuid,
    pub version: i64,
    pub item: LibraryItemData,
    /// Where in the title the words are, in characters: `[start, end)`.
    #[schema(value_type = Vec<Vec<u32>>)]
    pub title_marks: Vec<(u32, u32)>,
    /// The passage of the text where the words first occur, marked.
    #[schema(value_type = Object)]
    pub passage: mz_domain::fulltext::Snippet,
}

/// A search's answer, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct LibrarySearchAnswer {
    pub hits: Vec<LibraryHit>,
    /// The words searched, as read (folded).
    pub words: Vec<String>,
}

/// The width of a hit's passage, in characters.
pub const PASSAGE_CHARS: usize = 120;

impl LibraryHit {
    /// An item `query` found: the marks in its title, the passage of its
    /// text where the words first occur, and the item without its text (the
    /// passage stands for it in a list of hits; the desk holds the whole).
    pub fn found(
        id: uuid::Uuid,
        version: i64,
        mut item: LibraryItemData,
        query: &mz_domain::fulltext::Query,
    ) -> LibraryHit {
        use mz_domain::fulltext::snippet;
        let title_marks = snippet(&item.title, query, item.title.chars().count().max(1)).marks;
        let passage = snippet(&item.text, query, PASSAGE_CHARS);
        item.text = String::new();
        LibraryHit {
            id,
            version,
            item,
            title_marks,
            passage,
        }
    }
}

impl LibraryItemData {
    /// The current version: the last.
    pub fn current(&self) -> Option<&LibraryVersion> {
        self.versions.last()
    }

    /// Everything it is searched by: its title, number, issuer and text, a
    /// line each.
    pub fn searched_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.title, self.doc_number, self.issuer, self.text
        )
    }

    /// The category as shown: 法规 › 婚姻登记.
    pub fn category_path(&self) -> String {
        self.category.join(" › ")
    }
}

fn too_long(field: String, what: &str, max: usize) -> FieldIssue {
    FieldIssue::new(field, format!("{what}过长：最多 {max} 个字"))
}

/// A single line of text within `max` characters, required or not.
fn line_issue(
    field: &str,
    value: &str,
    what: &str,
    max: usize,
    required: bool,
) -> Option<FieldIssue> {
    if required && value.trim().is_empty() {
        return Some(FieldIssue::new(field, format!("请填写{what}")));
    }
    if value.chars().count() > max {
        return Some(too_long(field.to_owned(), what, max));
    }
    if value.chars().any(char::is_control) {
        return Some(FieldIssue::new(
            field,
            format!("{what}不能含换行或控制字符"),
        ));
    }
    None
}

/// The rules of an item on its own.
pub fn item_issues(item: &LibraryItemData) -> Vec<FieldIssue> {
    let mut issues: Vec<FieldIssue> = [
        line_issue("title", &item.title, "标题", TITLE_CHARS, true),
        line_issue("issuer", &item.issuer, "发布机关", ISSUER_CHARS, false),
        line_issue(
            "doc_number",
            &item.doc_number,
            "文号",
            DOC_NUMBER_CHARS,
            false,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if item.category.is_empty() {
        issues.push(FieldIssue::new("category", "请选择或填写分类"));
    }
    if item.category.len() > MAX_CATEGORY_DEPTH {
        issues.push(FieldIssue::new(
            "category",
            format!("分类最多 {MAX_CATEGORY_DEPTH} 级"),
        ));
    }
    for (i, level) in item.category.iter().enumerate() {
        let field = format!("category[{i}]");
        if let Some(issue) = line_issue(&field, level, "分类名", CATEGORY_CHARS, true) {
            issues.push(issue);
        } else if level.contains(['›', '/']) {
            issues.push(FieldIssue::new(field, "分类名不能含“›”或“/”"));
        }
    }
    if item.versions.is_empty() {
        issues.push(FieldIssue::new("versions", "请上传文件"));
    }
    if item.versions.len() > MAX_VERSIONS {
        issues.push(FieldIssue::new(
            "versions",
            format!("此资料已有 {MAX_VERSIONS} 个版本，不能再增加：请另建一份"),
        ));
    }
    for (i, version) in item.versions.iter().enumerate() {
        let field = |name: &str| format!("versions[{i}].{name}");
        issues.extend(line_issue(
            &field("file_name"),
            &version.file_name,
            "文件名",
            FILE_NAME_CHARS,
            true,
        ));
        issues.extend(line_issue(
            &field("change"),
            &version.change,
            "修订说明",
            CHANGE_CHARS,
            i > 0,
        ));
        if version.by.user_id.trim().is_empty() || version.by.name.trim().is_empty() {
            issues.push(FieldIssue::new(field("by"), "未写明上传人"));
        }
        if let Some(before) = i.checked_sub(1).and_then(|b| item.versions.get(b))
            && version.at < before.at
        {
            issues.push(FieldIssue::new(field("at"), "版本的时间早于前一版本"));
        }
    }
    if item.text.chars().count() > MAX_TEXT_CHARS {
        issues.push(too_long("text".to_owned(), "正文文字", MAX_TEXT_CHARS));
    }
    issues
}

/// An item is about the day of its current version.
pub fn item_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    let item = LibraryItemData::deserialize(data)?;
    Ok(item.versions.last().map(|v| v.at.date()))
}

/// What an item is found by: its title, and its number, issuer and text.
pub fn searched(data: &serde_json::Value) -> Result<crate::records::Searched, serde_json::Error> {
    let item = LibraryItemData::deserialize(data)?;
    Ok(crate::records::Searched {
        title: item.title.clone(),
        text: item.searched_text(),
    })
}

/// An item is within its rules ([`item_issues`]).
pub fn normalise_item(data: serde_json::Value) -> Result<serde_json::Value, BodyIssue> {
    let item: LibraryItemData = read_body(data)?;
    let issues = item_issues(&item);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&item)
}

/// What an item may become: its versions are kept as they were, a new one
/// added at the end; its text changes only with a new version (the text is
/// the file's).
pub fn item_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    _today: chrono::NaiveDate,
) -> Result<(), BodyIssue> {
    typed_change::<LibraryItemData>(previous, next, |previous, next| {
        let Some(previous) = previous else {
            return Vec::new();
        };
        let kept = previous.versions.len();
        if next.versions.get(..kept) != Some(previous.versions.as_slice()) {
            return vec![FieldIssue::new(
                "versions",
                "已有的版本不能修改或删除：请上传新版本",
            )];
        }
        if next.versions.len() == kept && next.text != previous.text {
            return vec![FieldIssue::new("text", "正文文字随文件而定：请上传新版本")];
        }
        Vec::new()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn version(n: u8, change: &str) -> LibraryVersion {
        LibraryVersion {
            file: BlobRef::of("text/plain", &[b'a' + n]),
            file_name: format!("条例{n}.txt"),
            change: change.to_owned(),
            by: Person {
                user_id: "u1".to_owned(),
                name: "李文书".to_owned(),
            },
            at: chrono::NaiveDate::from_ymd_opt(2026, 3, 1 + u32::from(n))
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        }
    }

    fn item() -> LibraryItemData {
        LibraryItemData {
            title: "婚姻登记条例".to_owned(),
            kind: LibraryKind::Regulation,
            category: vec!["法规".to_owned(), "婚姻登记".to_owned()],
            issuer: "国务院".to_owned(),
            doc_number: String::new(),
            versions: vec![version(0, "")],
            text: "第一条 为了规范婚姻登记工作".to_owned(),
        }
    }

    fn fields(item: &LibraryItemData) -> Vec<String> {
        item_issues(item).into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn an_item_names_its_title_category_and_file() {
        assert!(item_issues(&item()).is_empty());
        let mut bad = item();
        bad.title = " ".to_owned();
        bad.category = vec!["法规".to_owned(), "婚姻/登记".to_owned()];
        bad.versions.push(version(1, ""));
        bad.versions[1].by.name.clear();
        assert_eq!(
            fields(&bad),
            [
                "title",
                "category[1]",
                "versions[1].change",
                "versions[1].by"
            ]
        );
        let mut deep = item();
        deep.category = vec!["一".to_owned(); 5];
        deep.versions.clear();
        assert_eq!(fields(&deep), ["category", "versions"]);
        let mut back = item();
        back.versions.insert(0, version(3, ""));
        back.versions[1].change = "更正".to_owned();
        assert!(fields(&back).contains(&"versions[1].at".to_owned()));
        let mut long = item();
        long.text = "字".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(fields(&long), ["text"]);
    }

    #[test]
    fn versions_are_kept_and_the_text_follows_the_file() {
        let before = serde_json::to_value(item()).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let mut next = item();
        next.versions.push(version(1, "第二条修改"));
        next.text = "新的文字".to_owned();
        assert!(item_change(Some(&before), &serde_json::to_value(&next).unwrap(), today).is_ok());
        next.title = "婚姻登记条例（2025 年修订）".to_owned();
        assert!(item_change(Some(&before), &serde_json::to_value(&next).unwrap(), today).is_ok());
        let mut rewritten = next.clone();
        rewritten.versions[0].file_name = "别的.txt".to_owned();
        assert!(
            item_change(
                Some(&before),
                &serde_json::to_value(&rewritten).unwrap(),
                today
            )
            .is_err()
        );
        let mut dropped = item();
        dropped.versions.clear();
        assert!(
            item_change(
                Some(&before),
                &serde_json::to_value(&dropped).unwrap(),
                today
            )
            .is_err()
        );
        let mut text_only = item();
        text_only.text = "另写的文字".to_owned();
        assert!(
            item_change(
                Some(&before),
                &serde_json::to_value(&text_only).unwrap(),
                today
            )
            .is_err()
        );
    }
}
