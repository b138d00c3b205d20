//! The document library (在线资料库) on the desk: every item the user may
//! read is cached with its text, so a clerk finds a regulation by two
//! characters of its body offline; online, the platform's search covers the
//! whole library. An item is added or given a new version from a chosen
//! file: checked by its content, its text taken out here (`mz_text`, as the
//! platform will take it again), kept in the cache and sent with the item.

use mz_api::library::{
    FILE_TYPES, LibraryHit, LibraryItemData, LibraryKind, LibrarySearchAnswer, LibraryVersion,
    MAX_FILE_BYTES,
};
use mz_api::office::Person;
use mz_api::records::RecordKind;
use mz_domain::FieldIssue;
use mz_domain::blob::{BlobRef, MediaType};
use mz_domain::fulltext;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// The most hits a search shows.
pub const SEARCH_LIMIT: usize = 50;

/// An item as the library's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryEntry {
    pub id: Uuid,
    pub item: LibraryItemData,
    /// Whether a change to it waits to be sent.
    pub pending: bool,
}

/// What a search found, and where it looked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryFound {
    pub hits: Vec<LibraryHit>,
    /// The words searched, as read.
    pub words: Vec<String>,
    /// Whether the platform searched the whole library (otherwise this
    /// desk's cache did).
    pub online: bool,
    /// The items this desk holds, searched offline.
    pub cached: usize,
}

/// A file the user chose: its name and its bytes in base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChosenLibraryFile {
    pub name: String,
    pub data: String,
}

/// A new item as the upload form fills it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewLibraryItem {
    pub title: String,
    pub kind: LibraryKind,
    pub category: Vec<String>,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub doc_number: String,
    pub file: ChosenLibraryFile,
}

fn issue(field: &str, message: impl Into<String>) -> AppError {
    AppError::Rules(vec![FieldIssue::new(field, message)])
}

/// The kind a file's name says (`.pdf`, `.docx` …), for the check that its
/// content is that.
fn kind_of_name(name: &str) -> Option<MediaType> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    FILE_TYPES
        .iter()
        .copied()
        .find(|kind| kind.extension() == extension)
}

/// A chosen file checked: one of the library's kinds by its name and by its
/// content alike, within the cap, with the text it holds. Every refusal
/// names the field `file`.
pub fn checked_file(name: &str, bytes: &[u8]) -> AppResult<(BlobRef, String)> {
    let field = "file";
    let name = name.trim();
    if name.is_empty() {
        return Err(issue(field, "请选择文件"));
    }
    let Some(kind) = kind_of_name(name) else {
        return Err(issue(
            field,
            format!(
                "资料库只收 {} 文件",
                mz_domain::blob::format_names(FILE_TYPES)
            ),
        ));
    };
    let blob = BlobRef::checked(field, kind.as_str(), bytes, MAX_FILE_BYTES, FILE_TYPES)
        .map_err(|i| AppError::Rules(vec![i]))?;
    let text = mz_text::extract(kind, bytes).map_err(|e| issue(field, e.to_string()))?;
    Ok((blob, text))
}

fn decoded(file: &ChosenLibraryFile) -> AppResult<Vec<u8>> {
    crate::files::chosen_bytes(&file.data, "file", "文件")
}

/// A file name within the cap, keeping its extension.
fn short_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= mz_api::library::FILE_NAME_CHARS {
        return name.to_owned();
    }
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let keep = mz_api::library::FILE_NAME_CHARS - extension.chars().count() - 1;
    format!(
        "{}.{extension}",
        stem.chars().take(keep).collect::<String>()
    )
}

impl ClientApp {
    /// Who adds a version: the user, when their roles keep the library.
    fn library_person(&self) -> AppResult<Person> {
        use mz_domain::access::{Action, Resource, widest_scope};
        let user = self.user()?.ok_or(AppError::SignedOut)?;
        if widest_scope(&user.roles, Resource::Library, Action::Write).is_none() {
            return Err(AppError::Invalid(
                "资料库由各单位办公室维护：您的角色只能查阅".to_owned(),
            ));
        }
        Ok(Person {
            user_id: user.id.to_string(),
            name: user.display_name,
        })
    }

    /// Every item this desk holds, by category, then title.
    pub fn library_items(&self) -> AppResult<Vec<LibraryEntry>> {
        let mut entries = self
            .store()?
            .records(RecordKind::LibraryItem)?
            .into_iter()
            .map(|record| {
                Ok(LibraryEntry {
                    id: record.id,
                    item: record.body()?,
                    pending: record.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        entries.sort_by(|a, b| {
            (&a.item.category, &a.item.title).cmp(&(&b.item.category, &b.item.title))
        });
        Ok(entries)
    }

    /// Adds an item from a chosen file (checked by its content, its text
    /// taken out), queued to be sent with the file.
    pub fn library_add(&self, new: NewLibraryItem) -> AppResult<Uuid> {
        let bytes = decoded(&new.file)?;
        let (file, text) = checked_file(&new.file.name, &bytes)?;
        let item = LibraryItemData {
            title: new.title.trim().to_owned(),
            kind: new.kind,
            category: new.category.iter().map(|c| c.trim().to_owned()).collect(),
            issuer: new.issuer.trim().to_owned(),
            doc_number: new.doc_number.trim().to_owned(),
            versions: vec![LibraryVersion {
                file: file.clone(),
                file_name: short_name(&new.file.name),
                change: String::new(),
                by: self.library_person()?,
                at: self.china_now(),
            }],
            text,
        };
        let id = Uuid::now_v7();
        self.save_library(id, &item, &file, &bytes)?;
        Ok(id)
    }

    /// Gives an item a new version of its file, with what changed; the
    /// earlier versions stay as they were.
    pub fn library_revise(&self, id: Uuid, file: ChosenLibraryFile, change: &str) -> AppResult<()> {
        let record = self
            .store()?
            .record(RecordKind::LibraryItem, id)?
            .ok_or_else(|| AppError::Invalid("本机没有这份资料：请先同步".to_owned()))?;
        let mut item: LibraryItemData = record.body()?;
        let bytes = decoded(&file)?;
        let (blob, text) = checked_file(&file.name, &bytes)?;
        item.versions.push(LibraryVersion {
            file: blob.clone(),
            file_name: short_name(&file.name),
            change: change.trim().to_owned(),
            by: self.library_person()?,
            at: self.china_now(),
        });
        item.text = text;
        self.save_library(id, &item, &blob, &bytes)
    }

    /// The rules first, then the file kept and the item queued: a refused
    /// item keeps no file.
    fn save_library(
        &self,
        id: Uuid,
        item: &LibraryItemData,
        file: &BlobRef,
        bytes: &[u8],
    ) -> AppResult<()> {
        let issues = mz_api::library::item_issues(item);
        if !issues.is_empty() {
            return Err(AppError::Rules(issues));
        }
        let body = serde_json::to_value(item)?;
        self.store()?.put_blob(file, bytes, false)?;
        self.save_record(RecordKind::LibraryItem, id, body)
    }

    /// Searches this desk's cache: the items holding every word, best
    /// first, each with its passage marked.
    pub fn library_search_here(
        &self,
        q: &str,
        kind: Option<LibraryKind>,
        category: &[String],
    ) -> AppResult<LibraryFound> {
        let query = fulltext::parse_query("q", q).map_err(|issue| AppError::Rules(vec![issue]))?;
        let store = self.store()?;
        let cached = store.count_live(RecordKind::LibraryItem)?;
        // Filters apply after ranking: read enough to fill a page after them.
        let filtered = kind.is_some() || !category.is_empty();
        let read = if filtered {
            SEARCH_LIMIT * 4
        } else {
            SEARCH_LIMIT
        };
        let found = store.search_texts(
            RecordKind::LibraryItem,
            &query,
            &mz_store::Within::default(),
            read,
        )?;
        let mut hits = Vec::new();
        for found in found {
            let (id, version) = (found.id, found.version);
            let item: LibraryItemData = serde_json::from_value(found.data)?;
            if kind.is_some_and(|k| k != item.kind) || !item.category.starts_with(category) {
                continue;
            }
            hits.push(LibraryHit::found(id, version, item, &query));
            if hits.len() == SEARCH_LIMIT {
                break;
            }
        }
        Ok(LibraryFound {
            hits,
            words: query.words,
            online: false,
            cached,
        })
    }

    /// Searches the whole library on the platform, or this desk's cache
    /// when the platform cannot be reached (the answer says which).
    pub async fn library_search(
        &self,
        q: &str,
        kind: Option<LibraryKind>,
        category: &[String],
    ) -> AppResult<LibraryFound> {
        // A query the rules refuse is refused here, beside its field.
        fulltext::parse_query("q", q).map_err(|issue| AppError::Rules(vec![issue]))?;
        let category_path = (!category.is_empty()).then(|| category.join("/"));
        let online = self
            .authorized(|token| {
                let client = self.client.clone();
                let category_path = category_path.clone();
                async move {
                    client
                        .library_search(
                            &token,
                            q,
                            kind.map(LibraryKind::as_str),
                            category_path.as_deref(),
                            SEARCH_LIMIT,
                        )
                        .await
                }
            })
            .await;
        match online {
            Ok(LibrarySearchAnswer { hits, words }) => Ok(LibraryFound {
                hits,
                words,
                online: true,
                cached: self.store()?.count_live(RecordKind::LibraryItem)?,
            }),
            Err(AppError::Platform(error)) if error.is_transient() => {
                self.library_search_here(q, kind, category)
            }
            Err(AppError::SignedOut | AppError::SessionEnded) => {
                self.library_search_here(q, kind, category)
            }
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_what_its_name_and_content_say() {
        let (blob, text) =
            checked_file("条例.txt", "第一条 为了规范婚姻登记工作".as_bytes()).unwrap();
        assert_eq!(blob.media_type, "text/plain");
        assert_eq!(text, "第一条 为了规范婚姻登记工作");
        // Named a PDF, it is text: refused on its field.
        let AppError::Rules(issues) = checked_file("条例.pdf", b"plain words").unwrap_err()
        else {
            panic!("a rule")
        };
        assert_eq!(issues[0].field, "file");
        // A kind the library does not keep, or a damaged PDF.
        assert!(checked_file("照片.jpg", &[0xFF, 0xD8, 0xFF, 0]).is_err());
        let AppError::Rules(issues) = checked_file("坏.pdf", b"%PDF-1.7 broken").unwrap_err()
        else {
            panic!("a rule")
        };
        assert!(
            issues[0].message.starts_with("PDF 文件已损坏"),
            "{issues:?}"
        );
        assert!(checked_file(" ", b"x").is_err());
    }

    #[test]
    fn a_long_file_name_keeps_its_extension() {
        let long = format!("{}.docx", "很".repeat(150));
        let short = short_name(&long);
        assert!(short.ends_with(".docx"));
        assert_eq!(short.chars().count(), mz_api::library::FILE_NAME_CHARS);
    }
}
