//! 综合查询 on the desk: a registrar finds a couple's registration by a
//! name and by an identity number, and a library item by two characters of
//! its text; the office's clerk, whose desk never receives the counter's
//! records, finds the library item and not the couple. Each hit carries its
//! unit and day, and a search narrows to a unit (named, among the units
//! found) and to days.

use crate::common::{PASSWORD, Platform, client_app, party, signed_form};
use base64::Engine;
use mz_api::library::LibraryKind;
use mz_api::records::RecordKind;
use mz_app::ClientApp;
use mz_app::library::{ChosenLibraryFile, NewLibraryItem};
use mz_app::search::{FoundRecord, SearchFilter};
use mz_domain::{AppModule, Sex};

fn find(app: &ClientApp, q: &str) -> Vec<FoundRecord> {
    app.search_everything(q, &SearchFilter::default())
        .unwrap()
        .hits
}

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
    let found = find(&counter, "张三丰");
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
    let by_number = find(&counter, "430102199901010");
    assert!(by_number.iter().any(|h| h.id == id), "{by_number:?}");
    let guide = find(&counter, "核对");
    assert_eq!(guide.len(), 1, "{guide:?}");
    assert_eq!(
        (guide[0].module, guide[0].what.as_str()),
        (AppModule::Library, "资料")
    );
    assert_eq!(guide[0].detail.marks.len(), 1);
    // Only one module's, when asked.
    let only_library = counter
        .search_everything(
            "张三丰",
            &SearchFilter {
                module: Some(AppModule::Library),
                ..SearchFilter::default()
            },
        )
        .unwrap()
        .hits;
    assert!(only_library.iter().all(|h| h.module == AppModule::Library));
    assert!(
        counter
            .search_everything("  ", &SearchFilter::default())
            .is_err()
    );

    // The office's clerk: the guide, never the couple.
    let found = find(&office, "张三丰");
    assert!(
        found.iter().all(|h| h.kind == RecordKind::LibraryItem),
        "{found:?}"
    );
    assert!(find(&office, "43010219980307001").is_empty());

    // Narrowed. Each hit says its unit and day: the registration the
    // counter's, registered today; the guide the office's, of today.
    let today = counter.today();
    let own = counter.user().unwrap().unwrap().org_unit;
    let office_unit = office.user().unwrap().unwrap().org_unit;
    let all = counter
        .search_everything("张三丰", &SearchFilter::default())
        .unwrap();
    let marriage = all.hits.iter().find(|h| h.id == id).unwrap();
    assert_eq!(marriage.unit.as_deref(), Some(own.code.as_str()));
    assert_eq!(marriage.day, Some(today));
    // The units found, each with its count: the counter's own by its name,
    // the office's by its code until the platform has named it.
    let count_of = |found: &mz_app::search::SearchFound, code: &str| {
        found
            .units
            .iter()
            .find(|u| u.code == code)
            .map(|u| (u.name.clone(), u.count))
    };
    assert_eq!(count_of(&all, &own.code), Some((own.name.clone(), 1)));
    assert_eq!(
        count_of(&all, &office_unit.code),
        Some((office_unit.code.clone(), 1))
    );
    counter.refresh_unit_names().await.unwrap();
    let named = counter
        .search_everything("张三丰", &SearchFilter::default())
        .unwrap();
    assert_eq!(
        count_of(&named, &office_unit.code),
        Some((office_unit.name.clone(), 1))
    );
    // One unit's: the guide alone; the units to choose from stay listed.
    let by_unit = counter
        .search_everything(
            "张三丰",
            &SearchFilter {
                unit: Some(office_unit.code.clone()),
                ..SearchFilter::default()
            },
        )
        .unwrap();
    assert!(
        !by_unit.hits.is_empty()
            && by_unit
                .hits
                .iter()
                .all(|h| h.kind == RecordKind::LibraryItem),
        "{by_unit:?}"
    );
    assert_eq!(by_unit.units.len(), 2);
    // Days: from tomorrow finds nothing, today finds both; the wrong way
    // round is named beside the end day.
    let days = |from, to| SearchFilter {
        from: Some(from),
        to: Some(to),
        ..SearchFilter::default()
    };
    let tomorrow = today.succ_opt().unwrap();
    assert!(
        counter
            .search_everything("张三丰", &days(tomorrow, tomorrow))
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(
        counter
            .search_everything("张三丰", &days(today, today))
            .unwrap()
            .hits
            .len(),
        all.hits.len()
    );
    match counter.search_everything("张三丰", &days(tomorrow, today)) {
        Err(mz_app::AppError::Rules(issues)) => assert_eq!(issues[0].field, "to"),
        other => panic!("days the wrong way round: {other:?}"),
    }
    // A record written here and not yet synced is the user's unit's.
    let local = counter
        .prepare_marriage(
            None,
            signed_form(
                party("张三丰", "43010219970101003", Sex::Male),
                party("王五妹", "43010219970101004", Sex::Female),
            ),
        )
        .unwrap();
    let own_only = counter
        .search_everything(
            "张三丰",
            &SearchFilter {
                unit: Some(own.code.clone()),
                ..SearchFilter::default()
            },
        )
        .unwrap();
    assert!(own_only.hits.iter().any(|h| h.id == local), "{own_only:?}");
}
