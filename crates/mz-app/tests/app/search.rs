//! 综合查询 on the desk: a registrar finds a couple's registration by a
//! name and by an identity number, and a library item by two characters of
//! its text; the office's clerk, whose desk never receives the counter's
//! records, finds the library item and not the couple.

use crate::common::{PASSWORD, Platform, client_app, party, signed_form};
use base64::Engine;
use mz_api::library::LibraryKind;
use mz_api::records::RecordKind;
use mz_app::library::{ChosenLibraryFile, NewLibraryItem};
use mz_domain::{AppModule, Sex};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_query_finds_what_each_user_may_read_across_modules() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter-1");
    counter.login("registrar", PASSWORD).await.unwrap();
    let id = counter
        .prepare_marriage(
            None,
            signed_form(
                party("张三丰", "43010219980307001", Sex::Male),
                party("李四娘", "43010219990101002", Sex::Female),
            ),
        )
        .unwrap();
    counter.sync_once().await.unwrap();

    let office = client_app(&platform, &dir, "office-1");
    office.login("office", PASSWORD).await.unwrap();
    office
        .library_add(NewLibraryItem {
            title: "婚姻登记窗口服务指南".to_owned(),
            kind: LibraryKind::Department,
            category: vec!["婚姻登记".to_owned()],
            issuer: String::new(),
            doc_number: String::new(),
            file: ChosenLibraryFile {
                name: "指南.txt".to_owned(),
                data: base64::engine::general_purpose::STANDARD
                    .encode("登记员当面核对双方身份，张三丰式的化名不予受理。".as_bytes()),
            },
        })
        .unwrap();
    office.sync_once().await.unwrap();
    counter.sync_once().await.unwrap();

    // The registrar: the couple by name and by number, the guide by its text.
    let found = counter.search_everything("张三丰", None).unwrap();
    let marriage = found
        .iter()
        .find(|h| h.kind == RecordKind::MarriageRegistration)
        .expect("the registration");
    assert_eq!((marriage.module, marriage.id), (AppModule::Marriage, id));
    assert_eq!(marriage.what, "结婚登记");
    assert!(marriage.title.contains("张三丰"), "{marriage:?}");
    assert!(
        found.iter().any(|h| h.kind == RecordKind::LibraryItem),
        "the guide names him too: {found:?}"
    );
    let by_number = counter.search_everything("430102199901010", None).unwrap();
    assert!(by_number.iter().any(|h| h.id == id), "{by_number:?}");
    let guide = counter.search_everything("核对", None).unwrap();
    assert_eq!(guide.len(), 1, "{guide:?}");
    assert_eq!(
        (guide[0].module, guide[0].what.as_str()),
        (AppModule::Library, "资料")
    );
    assert_eq!(guide[0].detail.marks.len(), 1);
    // Only one module's, when asked.
    let only_library = counter
        .search_everything("张三丰", Some(AppModule::Library))
        .unwrap();
    assert!(only_library.iter().all(|h| h.module == AppModule::Library));
    assert!(counter.search_everything("  ", None).is_err());

    // The office's clerk: the guide, never the couple.
    let found = office.search_everything("张三丰", None).unwrap();
    assert!(
        found.iter().all(|h| h.kind == RecordKind::LibraryItem),
        "{found:?}"
    );
    assert!(
        office
            .search_everything("43010219980307001", None)
            .unwrap()
            .is_empty()
    );
}
