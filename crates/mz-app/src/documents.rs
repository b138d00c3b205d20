//! 打印中心's official documents (公文): drafts kept in the cache and shared
//! with the org unit through sync, the live preview of the pages the PDF
//! will have, and the PDF itself.
//!
//! A draft keeps whatever has been written, finished or not; the rules of
//! GB/T 9704 are checked when the document is laid out, and the preview
//! names the first field that stops it.

use mz_api::documents::OfficialDocument;
use mz_api::records::{DocumentDraftData, RecordKind};
use mz_domain::FieldIssue;
use mz_print::PrintError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// A draft as 打印中心 lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DraftEntry {
    pub id: Uuid,
    pub document: OfficialDocument,
    /// A change to it waits to be sent.
    pub pending: bool,
}

/// The pages a document will print as, or what stops it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocumentPreview {
    /// Each page as SVG, from the same layout the PDF is written from.
    pub pages_svg: Vec<String>,
    /// The first thing that stops the document from printing, with its
    /// field (`title`, `body[3].text`, `doc_number` …); no pages then.
    pub problem: Option<FieldIssue>,
}

/// Where a print error sits, for the form to mark.
fn problem_of(error: PrintError) -> FieldIssue {
    let field = match &error {
        PrintError::Input { field, .. } | PrintError::DoesNotFit { field, .. } => field.clone(),
        PrintError::Uncovered { place, .. } | PrintError::Unprintable { place, .. } => {
            place.field.clone()
        }
        _ => "document".to_owned(),
    };
    // An input error names its field already: the message alone goes beside it.
    let message = match error {
        PrintError::Input { message, .. } => message,
        other => other.to_string(),
    };
    FieldIssue { field, message }
}

/// Lays the document out as the PDF will have it.
fn layout(document: &OfficialDocument) -> Result<mz_print::Layout, FieldIssue> {
    use mz_print::DocumentRules;
    document.validate().map_err(problem_of)?;
    mz_print::layout_document(document, mz_print::system_fonts()).map_err(problem_of)
}

/// The preview of a document as it stands (the form calls this as the
/// user types).
pub fn document_preview(document: &OfficialDocument) -> DocumentPreview {
    match layout(document) {
        Ok(layout) => DocumentPreview {
            pages_svg: layout.pages.iter().map(mz_print::svg::page_svg).collect(),
            problem: None,
        },
        Err(problem) => DocumentPreview {
            pages_svg: Vec::new(),
            problem: Some(problem),
        },
    }
}

/// A document as it is kept: PDF and OFD (GB/T 33190) of one layout, and
/// its pages as SVG.
#[derive(Debug, Clone)]
pub struct DocumentFiles {
    pub pdf: Vec<u8>,
    pub ofd: Vec<u8>,
    pub pages_svg: Vec<String>,
}

/// The document's PDF, its OFD and its pages as SVG; an error names the
/// field that stops it.
pub fn document_files(document: &OfficialDocument) -> AppResult<DocumentFiles> {
    files_of(&layout(document).map_err(|issue| AppError::Rules(vec![issue]))?)
}

/// A laid-out document written as PDF, as OFD and as SVG pages.
fn files_of(layout: &mz_print::Layout) -> AppResult<DocumentFiles> {
    let fonts = mz_print::system_fonts();
    let pdf =
        mz_print::render_pdf(layout, fonts).map_err(|e| AppError::Rules(vec![problem_of(e)]))?;
    let ofd = mz_print::ofd::render_ofd(layout, fonts)
        .map_err(|e| AppError::Rules(vec![problem_of(e)]))?;
    let pages_svg = layout.pages.iter().map(mz_print::svg::page_svg).collect();
    Ok(DocumentFiles {
        pdf,
        ofd,
        pages_svg,
    })
}

/// The most copies laid out with their copy numbers in one file.
pub const MAX_NUMBERED_COPIES: u32 = 200;

/// The document's copies `1..=copies`, each with its copy number (份号,
/// 000001 on) on its first page, as one PDF and one OFD: a classified
/// document is printed only so, every copy counted.
pub fn numbered_copies(document: &OfficialDocument, copies: u32) -> AppResult<DocumentFiles> {
    if !(1..=MAX_NUMBERED_COPIES).contains(&copies) {
        return Err(AppError::Rules(vec![FieldIssue {
            field: "copies".to_owned(),
            message: format!("编号印制一次 1 至 {MAX_NUMBERED_COPIES} 份"),
        }]));
    }
    let mut all: Option<mz_print::Layout> = None;
    for n in 1..=copies {
        let mut copy = document.clone();
        copy.copy_no = Some(format!("{n:06}"));
        let laid = layout(&copy).map_err(|issue| AppError::Rules(vec![issue]))?;
        match &mut all {
            Some(all) => all.pages.extend(laid.pages),
            None => all = Some(laid),
        }
    }
    let Some(layout) = all else {
        return Err(AppError::Invalid("没有要印制的份数".to_owned()));
    };
    files_of(&layout)
}

/// A file name for the document's PDF: its number, which is unique within
/// the issuer, with what a file name cannot hold replaced.
pub fn document_file_name(document: &OfficialDocument) -> String {
    let stem: String = document
        .doc_number
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    if stem.is_empty() {
        "公文.pdf".to_owned()
    } else {
        format!("{stem}.pdf")
    }
}

impl ClientApp {
    /// The org unit's drafts in the cache, newest first.
    pub fn document_drafts(&self) -> AppResult<Vec<DraftEntry>> {
        let mut drafts: Vec<DraftEntry> = self
            .store()?
            .records(RecordKind::DocumentDraft)?
            .into_iter()
            .map(|r| {
                let data: DocumentDraftData = r.body()?;
                Ok(DraftEntry {
                    id: r.id,
                    document: data.document,
                    pending: r.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        drafts.sort_by_key(|d| std::cmp::Reverse(d.id));
        Ok(drafts)
    }

    /// Saves a draft locally (offline too): a new one when `id` is not
    /// given, else over the one with that id. Sync shares it with the unit.
    pub fn save_document_draft(
        &self,
        id: Option<Uuid>,
        document: OfficialDocument,
    ) -> AppResult<Uuid> {
        let data = serde_json::to_value(DocumentDraftData { document })
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let id = id.unwrap_or_else(Uuid::now_v7);
        self.save_record(RecordKind::DocumentDraft, id, data)?;
        Ok(id)
    }

    /// Removes a draft, here and, once synced, for the whole unit.
    pub fn delete_document_draft(&self, id: Uuid) -> AppResult<()> {
        if self
            .store()?
            .record(RecordKind::DocumentDraft, id)?
            .is_none()
        {
            return Err(AppError::Invalid("没有这份草稿".to_owned()));
        }
        self.store()?
            .delete(RecordKind::DocumentDraft, id, self.now_ms())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mz_api::documents::Paragraph;

    fn document() -> OfficialDocument {
        OfficialDocument {
            copy_no: None,
            classification: None,
            urgency: None,
            issuer_mark: "湖南省民政厅文件".to_owned(),
            issuers: Vec::new(),
            doc_number: "湘民发〔2026〕3号".to_owned(),
            signers: Vec::new(),
            upward: false,
            title: "关于做好婚姻登记工作的通知".to_owned(),
            recipients: vec!["各市州民政局".to_owned()],
            body: vec![
                Paragraph {
                    level: 0,
                    text: "现将有关事项通知如下。".to_owned(),
                },
                Paragraph {
                    level: 1,
                    text: "一、提高认识".to_owned(),
                },
            ],
            attachments: Vec::new(),
            signature: "湖南省民政厅".to_owned(),
            date: "2026-11-30".to_owned(),
            sealed: false,
            note: None,
            cc: Vec::new(),
            printer: None,
            print_date: None,
        }
    }

    /// A page's text: the glyphs are placed one by one, so the text between
    /// the tags.
    fn text_of(svg: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for ch in svg.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                ch if !in_tag => text.push(ch),
                _ => {}
            }
        }
        text
    }

    #[test]
    fn a_finished_document_previews_as_its_pages() {
        let preview = document_preview(&document());
        assert_eq!(preview.problem, None);
        assert_eq!(preview.pages_svg.len(), 1);
        let text = text_of(&preview.pages_svg[0]);
        assert!(text.contains("关于做好婚姻登记工作的通知"), "{text}");
    }

    #[test]
    fn each_copy_carries_its_own_number() {
        let files = numbered_copies(&document(), 3).unwrap();
        assert!(files.pdf.starts_with(b"%PDF") && files.ofd.starts_with(b"PK"));
        assert_eq!(files.pages_svg.len(), 3, "one page a copy");
        for (n, page) in files.pages_svg.iter().enumerate() {
            let text = text_of(page);
            assert!(text.contains(&format!("00000{}", n + 1)), "{text}");
        }
        assert!(numbered_copies(&document(), 0).is_err());
        assert!(numbered_copies(&document(), MAX_NUMBERED_COPIES + 1).is_err());
    }

    #[test]
    fn an_unfinished_document_names_the_field_that_stops_it() {
        let mut doc = document();
        doc.doc_number = "湘民发[2026]3号".to_owned();
        let preview = document_preview(&doc);
        assert!(preview.pages_svg.is_empty());
        let problem = preview.problem.unwrap();
        assert_eq!(problem.field, "doc_number");
        assert!(problem.message.contains("〔〕"), "{}", problem.message);

        let mut doc = document();
        doc.body[1].text = " ".to_owned();
        assert_eq!(
            document_preview(&doc).problem.unwrap().field,
            "body[1].text"
        );
        assert!(
            matches!(document_files(&doc), Err(AppError::Rules(issues)) if issues[0].field == "body[1].text")
        );
    }

    #[test]
    fn file_names_come_from_the_number() {
        let mut doc = document();
        assert_eq!(document_file_name(&doc), "湘民发〔2026〕3号.pdf");
        doc.doc_number = "a/b".to_owned();
        assert_eq!(document_file_name(&doc), "a_b.pdf");
        doc.doc_number = " ".to_owned();
        assert_eq!(document_file_name(&doc), "公文.pdf");
    }
}
