//! The document library on the desk: an office clerk uploads a regulation
//! (a PDF the print engine made), a registrar's desk syncs it and finds it
//! offline by two characters of its body, online the platform finds it too;
//! a new version replaces the text searched and keeps the first.

use crate::common::{PASSWORD, Platform, client_app};
use base64::Engine;
use mz_api::library::LibraryKind;
use mz_app::library::{ChosenLibraryFile, NewLibraryItem};

fn regulation_pdf() -> Vec<u8> {
    let document = mz_print::parse_document_json(
        &serde_json::json!({
            "issuer_mark": "湖南省民政厅文件",
            "doc_number": "湘民发〔2026〕5号",
            "title": "湖南省婚姻登记档案管理实施细则",
            "recipients": ["各市州民政局"],
            "body": [
                {"level": 0, "text": "第一条 婚姻登记档案是婚姻登记机关在办理结婚、离婚、撤销受胁迫婚姻和补发婚姻登记证时形成的历史记录。"},
                {"level": 0, "text": "第二条 档案应当在办结后的次年一月三十一日前归档。"}
            ],
            "signature": "湖南省民政厅",
            "date": "2026-03-02"
        })
        .to_string(),
    )
    .unwrap();
    mz_print::document_pdf(&document, mz_print::system_fonts()).unwrap()
}

fn chosen(name: &str, bytes: &[u8]) -> ChosenLibraryFile {
    ChosenLibraryFile {
        name: name.to_owned(),
        data: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

fn titles(found: &mz_app::library::LibraryFound) -> Vec<&str> {
    found.hits.iter().map(|h| h.item.title.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regulation_uploaded_at_the_office_is_found_offline_at_a_counter() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office-1");
    office.login("office", PASSWORD).await.unwrap();

    // A file that is not what its name says is refused on its field.
    let refused = office.library_add(NewLibraryItem {
        title: "伪装的文件".to_owned(),
        kind: LibraryKind::Regulation,
        category: vec!["法规".to_owned()],
        issuer: String::new(),
        doc_number: String::new(),
        file: chosen("细则.pdf", "只是文字".as_bytes()),
    });
    assert!(
        matches!(&refused, Err(mz_app::AppError::Rules(issues)) if issues[0].field == "file"),
        "{refused:?}"
    );

    let id = office
        .library_add(NewLibraryItem {
            title: "湖南省婚姻登记档案管理实施细则".to_owned(),
            kind: LibraryKind::Regulation,
            category: vec!["法规".to_owned(), "婚姻登记".to_owned()],
            issuer: "湖南省民政厅".to_owned(),
            doc_number: "湘民发〔2026〕5号".to_owned(),
            file: chosen("档案管理实施细则.pdf", &regulation_pdf()),
        })
        .unwrap();
    let report = office.sync_once().await.unwrap();
    assert_eq!((report.applied, report.rejected), (1, 0), "{report:?}");

    // A registrar's desk syncs the library, then loses the network.
    let counter = client_app(&platform, &dir, "counter-1");
    counter.login("registrar", PASSWORD).await.unwrap();
    counter.sync_once().await.unwrap();
    let online = counter.library_search("归档", None, &[]).await.unwrap();
    assert!(online.online, "{online:?}");
    assert_eq!(titles(&online), ["湖南省婚姻登记档案管理实施细则"]);
    platform.halt().await;
    let offline = counter.library_search("归档", None, &[]).await.unwrap();
    assert!(!offline.online);
    assert_eq!(offline.cached, 1);
    assert_eq!(titles(&offline), ["湖南省婚姻登记档案管理实施细则"]);
    let hit = &offline.hits[0];
    let marked: Vec<String> = hit
        .passage
        .marks
        .iter()
        .map(|(s, e)| {
            hit.passage
                .text
                .chars()
                .skip(*s as usize)
                .take((e - s) as usize)
                .collect()
        })
        .collect();
    assert_eq!(marked, ["归档"], "{hit:?}");
    // Filters, a phrase that must be whole, and the query's own rules.
    let by_kind = counter
        .library_search_here("档案", Some(LibraryKind::Template), &[])
        .unwrap();
    assert!(by_kind.hits.is_empty());
    let by_place = counter
        .library_search_here("档案", None, &["法规".to_owned(), "殡葬".to_owned()])
        .unwrap();
    assert!(by_place.hits.is_empty());
    assert!(
        counter
            .library_search_here("档案归", None, &[])
            .unwrap()
            .hits
            .is_empty()
    );
    for bad in ["档", "", &"档".repeat(101)] {
        let refused = counter.library_search(bad, None, &[]).await;
        assert!(
            matches!(&refused, Err(mz_app::AppError::Rules(issues)) if issues[0].field == "q"),
            "{bad}: {refused:?}"
        );
    }
    platform.resume();

    // A new version: searched by its words, the first version kept.
    office
        .library_revise(
            id,
            chosen("细则（修订）.txt", "湖南省婚姻登记档案管理实施细则（修订）\n第二条 档案应当在办结后三十日内归档，电子档案同步上传。".as_bytes()),
            "归档时限改为三十日，增加电子档案",
        )
        .unwrap();
    let report = office.sync_once().await.unwrap();
    assert_eq!((report.applied, report.rejected), (1, 0), "{report:?}");
    counter.sync_once().await.unwrap();
    let entries = counter.library_items().unwrap();
    assert_eq!(entries.len(), 1);
    let item = &entries[0].item;
    assert_eq!(item.versions.len(), 2);
    assert_eq!(item.versions[0].file.media_type, "application/pdf");
    assert_eq!(item.versions[1].change, "归档时限改为三十日，增加电子档案");
    assert!(
        counter
            .library_search_here("电子档案", None, &[])
            .unwrap()
            .hits
            .len()
            == 1
    );
    assert!(
        counter
            .library_search_here("次年一月", None, &[])
            .unwrap()
            .hits
            .is_empty()
    );
    // A registrar keeps no library.
    let refused = counter.library_add(NewLibraryItem {
        title: "柜台自传".to_owned(),
        kind: LibraryKind::Template,
        category: vec!["模板".to_owned()],
        issuer: String::new(),
        doc_number: String::new(),
        file: chosen("a.txt", b"words of the counter"),
    });
    assert!(refused.is_err(), "{refused:?}");
}
