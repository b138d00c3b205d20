//! 打印中心's document drafts: written while the platform is away, sent when
//! it is back, found by a colleague of the same unit, finished and printed
//! there, and removed for everyone.

use crate::common::{PASSWORD, Platform, client_app};
use mz_api::documents::{OfficialDocument, Paragraph};

fn unfinished() -> OfficialDocument {
    OfficialDocument {
        copy_no: None,
        classification: None,
        urgency: None,
        issuer_mark: "芙蓉区民政局文件".to_owned(),
        issuers: Vec::new(),
        doc_number: String::new(),
        signers: Vec::new(),
        upward: false,
        title: "关于婚姻登记处春节值班安排的报告".to_owned(),
        recipients: vec!["长沙市民政局".to_owned()],
        body: vec![Paragraph {
            level: 0,
            text: "现将春节期间值班安排报告如下。".to_owned(),
        }],
        attachments: Vec::new(),
        signature: "芙蓉区民政局".to_owned(),
        date: "2026-11-30".to_owned(),
        sealed: false,
        note: None,
        cc: Vec::new(),
        printer: None,
        print_date: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_written_offline_reaches_a_colleague_who_finishes_it() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let author = client_app(&platform, &dir, "author");
    author.login("registrar", PASSWORD).await.unwrap();

    // The extranet is down: the draft is kept, and waits.
    platform.halt().await;
    let id = author.save_document_draft(None, unfinished()).unwrap();
    assert!(author.sync_once().await.is_err());
    let drafts = author.document_drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].pending);
    // Unfinished, so the preview says what stops it, and nothing prints.
    let preview = mz_app::documents::document_preview(&drafts[0].document);
    assert_eq!(preview.problem.unwrap().field, "doc_number");
    assert!(mz_app::documents::document_files(&drafts[0].document).is_err());

    platform.resume();
    author.sync_once().await.unwrap();
    assert!(!author.document_drafts().unwrap()[0].pending);

    let colleague = client_app(&platform, &dir, "colleague");
    colleague.login("registrar", PASSWORD).await.unwrap();
    colleague.sync_once().await.unwrap();
    let found = colleague.document_drafts().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    let mut document = found[0].document.clone();
    document.doc_number = "芙民报〔2026〕8号".to_owned();
    colleague
        .save_document_draft(Some(id), document.clone())
        .unwrap();
    let files = mz_app::documents::document_files(&document).unwrap();
    assert!(files.pdf.starts_with(b"%PDF"));
    // The OFD of the same layout: a zip package whose root is OFD.xml.
    assert!(files.ofd.starts_with(b"PK"));
    assert_eq!(files.pages_svg.len(), 1);
    colleague.sync_once().await.unwrap();

    author.sync_once().await.unwrap();
    assert_eq!(
        author.document_drafts().unwrap()[0].document.doc_number,
        "芙民报〔2026〕8号"
    );

    // Done with it: removed for the whole office.
    colleague.delete_document_draft(id).unwrap();
    colleague.sync_once().await.unwrap();
    author.sync_once().await.unwrap();
    assert!(author.document_drafts().unwrap().is_empty());
    assert!(author.delete_document_draft(id).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_too_long_to_keep_is_refused_before_it_is_queued() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let author = client_app(&platform, &dir, "author");
    author.login("registrar", PASSWORD).await.unwrap();
    let mut document = unfinished();
    document.body[0].text = "正".repeat(60_000);
    assert!(author.save_document_draft(None, document).is_err());
    assert!(author.document_drafts().unwrap().is_empty());
    assert_eq!(author.status().unwrap().sync.pending, 0);
}

/// Eighty long drafts (some 9.6 MB) are more than one request may carry
/// (the platform takes 8 MB): the outbox goes in several pushes, none refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_larger_than_one_request_goes_in_pushes_the_platform_accepts() {
    const DRAFTS: usize = 80;
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let author = client_app(&platform, &dir, "author");
    author.login("registrar", PASSWORD).await.unwrap();
    for n in 0..DRAFTS {
        let mut document = unfinished();
        document.title = format!("第{n}号长稿");
        document.body[0].text = "正".repeat(40_000);
        author.save_document_draft(None, document).unwrap();
    }
    let report = author.sync_once().await.unwrap();
    assert_eq!(report.applied, DRAFTS);
    assert_eq!(author.status().unwrap().sync.pending, 0);

    let colleague = client_app(&platform, &dir, "colleague");
    colleague.login("registrar", PASSWORD).await.unwrap();
    colleague.sync_once().await.unwrap();
    assert_eq!(colleague.document_drafts().unwrap().len(), DRAFTS);
}
