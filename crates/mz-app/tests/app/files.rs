//! A couple's photo as a file beside the registration: kept in the
//! encrypted cache, sent before the registration that names it, fetched by
//! the other counters of the office after the record, read offline from
//! then on, and never given to another office.

use crate::common::{PASSWORD, Platform, client_app, party, signed_form};
use mz_api::records::MarriageStatus;
use mz_domain::Sex;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR the couple at the counter";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_goes_before_its_registration_and_comes_after_it() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter-1");
    counter.login("registrar", PASSWORD).await.unwrap();

    // Taken and prepared while the platform is away.
    platform.halt().await;
    let photo = counter.keep_photo("image/png", PNG).unwrap();
    let mut form = signed_form(
        party("张三", "43010219980307001", Sex::Male),
        party("李四", "43010219990101002", Sex::Female),
    );
    form.photo = Some(photo.clone());
    let id = counter.prepare_marriage(None, form).unwrap();
    assert_eq!(
        counter.blob(&photo).await.unwrap(),
        PNG,
        "read from the cache offline"
    );

    // Back online: the file goes first, then the registration, applied.
    platform.resume();
    let report = counter.sync_once().await.unwrap();
    assert_eq!((report.applied, report.rejected), (1, 0), "{report:?}");
    assert!(counter.sync_issues().unwrap().is_empty());
    let held: (String, i64) =
        sqlx::query_as("SELECT media_type, size FROM blobs WHERE sha256 = $1")
            .bind(&photo.sha256)
            .fetch_one(&platform.db.pool)
            .await
            .unwrap();
    assert_eq!(held, ("image/png".to_owned(), PNG.len() as i64));
    // The feed carries the reference only.
    let body: String = sqlx::query_scalar("SELECT data FROM changes WHERE record_id = $1")
        .bind(id.to_string())
        .fetch_one(&platform.db.pool)
        .await
        .unwrap();
    assert!(body.len() < 2048 && body.contains(&photo.sha256), "{body}");

    // The office's other counter gets the record, then its photo, with the
    // same sync; from then on it shows it offline.
    let colleague = client_app(&platform, &dir, "counter-2");
    colleague.login("registrar2", PASSWORD).await.unwrap();
    let report = colleague.sync_once().await.unwrap();
    assert_eq!(report.files, 1, "{report:?}");
    let entry = colleague
        .marriages()
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap();
    assert_eq!(entry.data.status, MarriageStatus::Prepared);
    assert_eq!(entry.data.photo.as_ref(), Some(&photo));
    platform.halt().await;
    assert_eq!(colleague.blob(&photo).await.unwrap(), PNG);
    platform.resume();

    // Another office's counter is not given it, even by its hash.
    let other = client_app(&platform, &dir, "counter-3");
    other.login("other_registrar", PASSWORD).await.unwrap();
    other.sync_once().await.unwrap();
    assert!(other.marriages().unwrap().is_empty());
    let refused = other.blob(&photo).await.unwrap_err();
    assert!(
        matches!(
            refused,
            mz_app::AppError::Platform(mz_client::ClientError::Api { status: 404, .. })
        ),
        "{refused:?}"
    );
}

/// A Word document as Word writes one: a ZIP package with its parts.
fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        zip.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn incoming(app: &mz_app::ClientApp, title: &str, classified: bool) -> mz_app::office::NewIncoming {
    mz_app::office::NewIncoming {
        kind: mz_domain::office::DocKind::Notice,
        title: title.to_owned(),
        sender: "民政部".to_owned(),
        sender_number: "民发〔2026〕9号".to_owned(),
        received_on: app.today(),
        urgency: None,
        classification: classified.then(|| mz_api::documents::Classification {
            level: mz_api::documents::SecrecyLevel::Confidential,
            period: Some("10年".to_owned()),
        }),
        deadline: None,
        file: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attachment_travels_with_its_document_and_a_classified_one_rests_on_no_desk() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();

    // An open document: attached offline, kept, sent with the next sync.
    platform.halt().await;
    let id = office
        .office_new_incoming(incoming(&office, "关于报送统计表的通知", false))
        .unwrap();
    let table = docx("统计表");
    // A Word file said to be a PDF is refused, naming the file.
    match office
        .office_attach(id, "附件1 统计表.pdf", "application/pdf", &table)
        .await
    {
        Err(mz_app::AppError::Rules(issues)) => assert_eq!(issues[0].field, "file"),
        other => panic!("{other:?}"),
    }
    let view = office
        .office_attach(id, "附件1 统计表.docx", DOCX, &table)
        .await
        .unwrap();
    let file = view.data.attachments[0].file.clone();
    let me = office.user().unwrap().unwrap();
    assert_eq!(view.data.attachments[0].by.user_id, me.id.to_string());
    assert!(office.file_kept(&file).unwrap());
    platform.resume();
    let report = office.sync_once().await.unwrap();
    // Registered, then attached: two steps.
    assert_eq!((report.applied, report.rejected), (2, 0), "{report:?}");
    // The leader's desk pulls the document and its file, and reads it offline.
    let report = leader.sync_once().await.unwrap();
    assert_eq!(report.files, 1, "{report:?}");
    platform.halt().await;
    let (attachment, bytes) = leader.office_attachment(id, 0).await.unwrap();
    assert_eq!(
        (attachment.name.as_str(), bytes),
        ("附件1 统计表.docx", table)
    );
    platform.resume();

    // A classified document: its file goes to the platform with the step
    // and rests on no desk, not even the one that attached it.
    let secret = office
        .office_begin_incoming(incoming(&office, "关于某涉密事项的通知", true))
        .await
        .unwrap();
    let memo = docx("涉密附件");
    let view = office
        .office_attach(secret, "附件 名单.docx", DOCX, &memo)
        .await
        .unwrap();
    assert!(view.held_online);
    let secret_file = view.data.attachments[0].file.clone();
    assert!(!office.file_kept(&secret_file).unwrap());
    let (_, bytes) = office.office_attachment(secret, 0).await.unwrap();
    assert_eq!(bytes, memo);
    assert!(!office.file_kept(&secret_file).unwrap(), "read, not kept");
    // Even asked for by its reference, the desk reads it and keeps nothing.
    assert_eq!(office.blob(&secret_file).await.unwrap(), memo);
    assert!(!office.file_kept(&secret_file).unwrap());
    office.sync_once().await.unwrap();
    assert!(!office.file_kept(&secret_file).unwrap());
    // The leader is not on it: neither the document nor its file.
    leader.sync_once().await.unwrap();
    assert!(leader.office_attachment(secret, 0).await.is_err());
    assert!(leader.blob(&secret_file).await.is_err());
    assert!(!leader.file_kept(&secret_file).unwrap());

    // A file taken off the open document stays with the draft that had it,
    // readable there on every desk (a file no record names any more leaves
    // the desks: the store's own test).
    office.office_detach(id, 0).await.unwrap();
    office.sync_once().await.unwrap();
    leader.sync_once().await.unwrap();
    let seen = leader.office_document(id).unwrap();
    assert!(seen.data.attachments.is_empty());
    let draft = seen.data.versions.last().unwrap();
    assert_eq!(draft.attachments.len(), 1);
    assert_eq!(draft.attachments[0].file, file);
    assert!(leader.file_kept(&file).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incoming_document_is_registered_with_the_file_it_came_as() {
    use base64::Engine;
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let encoded = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let scan = b"%PDF-1.4 the ministry's notice, scanned".to_vec();

    // A Word file named as a PDF: refused beside the file, nothing kept.
    let posing = mz_app::office::NewIncoming {
        file: Some(mz_app::office::ChosenFile {
            name: "民发〔2026〕9号.pdf".to_owned(),
            media_type: "application/pdf".to_owned(),
            data: encoded(&docx("通知")),
        }),
        ..incoming(&office, "关于报送统计表的通知", false)
    };
    match office.office_begin_incoming(posing).await {
        Err(mz_app::AppError::Rules(issues)) => assert_eq!(issues[0].field, "file"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        office.office_inbox().unwrap().total,
        0,
        "nothing registered"
    );

    let with_scan = mz_app::office::NewIncoming {
        file: Some(mz_app::office::ChosenFile {
            name: "民发〔2026〕9号.pdf".to_owned(),
            media_type: "application/pdf".to_owned(),
            data: encoded(&scan),
        }),
        ..incoming(&office, "关于报送统计表的通知", false)
    };
    let id = office.office_begin_incoming(with_scan).await.unwrap();
    let view = office.office_document(id).unwrap();
    let attached = &view.data.attachments[0];
    assert_eq!(attached.name, "民发〔2026〕9号.pdf");
    assert_eq!(attached.by, view.data.steps[0].by);
    assert!(office.file_kept(&attached.file).unwrap());
    let report = office.sync_once().await.unwrap();
    assert_eq!((report.applied, report.rejected), (1, 0), "{report:?}");
    let held: i64 = sqlx::query_scalar("SELECT size FROM blobs WHERE sha256 = $1")
        .bind(&attached.file.sha256)
        .fetch_one(&platform.db.pool)
        .await
        .unwrap();
    assert_eq!(held, scan.len() as i64);

    // A classified one's file goes to the platform with it, and rests on no desk.
    let secret = mz_app::office::NewIncoming {
        file: Some(mz_app::office::ChosenFile {
            name: "扫描件.pdf".to_owned(),
            media_type: "application/pdf".to_owned(),
            data: encoded(b"%PDF-1.4 a confidential notice"),
        }),
        ..incoming(&office, "关于某涉密事项的通知", true)
    };
    let id = office.office_begin_incoming(secret).await.unwrap();
    let view = office.office_view(id).await.unwrap();
    let file = &view.data.attachments[0].file;
    assert!(!office.file_kept(file).unwrap());
    assert_eq!(
        office.blob(file).await.unwrap(),
        b"%PDF-1.4 a confidential notice"
    );
}
