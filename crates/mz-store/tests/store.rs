//! The local cache's stories, on real encrypted files in a temporary folder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono_free::NOW;
use mz_api::ErrorCode;
use mz_api::records::RecordKind;
use mz_api::sync::{Change, Op, Outcome, PullResponse, PushOutcome};
use mz_store::{FeedPage, Resolution, Store, StoreError};
use serde_json::json;
use uuid::Uuid;

mod chrono_free {
    /// A fixed time for the stories: the cache never reads the clock itself.
    pub const NOW: i64 = 1_772_672_400_000;
}

const KEY: [u8; 32] = [7; 32];
const KIND: RecordKind = RecordKind::HolidayCalendar;
const EPOCH: &str = "5e1f0c2a";

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("cache.db"), &KEY).unwrap()
}

fn change(seq: i64, id: Uuid, version: i64, data: serde_json::Value) -> Change {
    Change {
        seq,
        kind: KIND,
        record_id: id,
        version,
        deleted: false,
        org_unit: "430000-civil".into(),
        data: Some(data),
        changed_at: chrono::DateTime::from_timestamp_millis(NOW).unwrap(),
    }
}

#[test]
fn the_file_is_encrypted_and_a_wrong_key_is_detected_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store
        .save(
            KIND,
            Uuid::now_v7(),
            &json!({ "year": 2026, "secret": "张三" }),
            NOW,
        )
        .unwrap();
    drop(store);
    let bytes = std::fs::read(dir.path().join("cache.db")).unwrap();
    assert!(
        !bytes.windows(15).any(|w| w == b"SQLite format 3"),
        "no plain SQLite header"
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("张三"));
    let wrong = Store::open(&dir.path().join("cache.db"), &[8; 32]);
    assert!(
        matches!(wrong, Err(StoreError::WrongKeyOrCorrupt(_))),
        "{wrong:?}"
    );
    std::fs::write(
        dir.path().join("other.db"),
        b"this is not a database at all, just text",
    )
    .unwrap();
    let foreign = Store::open(&dir.path().join("other.db"), &KEY);
    assert!(
        matches!(foreign, Err(StoreError::WrongKeyOrCorrupt(_))),
        "{foreign:?}"
    );
    assert!(
        Store::open(&dir.path().join("cache.db"), &KEY).is_ok(),
        "the right key still opens it"
    );
}

#[test]
fn local_changes_queue_in_device_order_with_chained_versions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let device = store.device_id().unwrap();
    assert_eq!(store.device_id().unwrap(), device, "the device id is kept");
    let id = Uuid::now_v7();
    assert_eq!(store.save(KIND, id, &json!({ "v": 1 }), NOW).unwrap(), 1);
    assert_eq!(store.save(KIND, id, &json!({ "v": 2 }), NOW).unwrap(), 2);
    assert_eq!(store.delete(KIND, id, NOW).unwrap(), 3);
    let pending = store.pending(10).unwrap();
    let shape: Vec<(i64, Op, i64)> = pending
        .iter()
        .map(|e| (e.device_seq, e.op, e.base_version))
        .collect();
    assert_eq!(
        shape,
        vec![(1, Op::Upsert, 0), (2, Op::Upsert, 1), (3, Op::Delete, 2)]
    );
    assert_eq!(store.state().unwrap().pending, 3);
    assert!(store.records(KIND).unwrap().is_empty(), "deleted locally");
    assert!(matches!(
        store.delete(KIND, Uuid::now_v7(), NOW),
        Err(StoreError::NoSuchRecord { .. })
    ));

    // Sent and applied: the numbers keep going up, never reused.
    let outcomes: Vec<PushOutcome> = pending
        .iter()
        .map(|e| PushOutcome {
            device_seq: e.device_seq,
            result: Outcome::Applied {
                version: e.base_version + 1,
                change_seq: e.device_seq,
                data: None,
            },
        })
        .collect();
    store.apply_outcomes(&outcomes).unwrap();
    assert_eq!(store.state().unwrap().pending, 0);
    assert_eq!(
        store.save(KIND, Uuid::now_v7(), &json!({}), NOW).unwrap(),
        4
    );
}

#[test]
fn a_pull_never_overwrites_a_change_still_waiting_and_the_cursor_only_goes_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let (mine, other) = (Uuid::now_v7(), Uuid::now_v7());
    store
        .save(KIND, mine, &json!({ "who": "me" }), NOW)
        .unwrap();
    let page = PullResponse {
        changes: vec![
            change(10, mine, 1, json!({ "who": "them" })),
            change(11, other, 1, json!({ "who": "new" })),
        ],
        next: 11,
        has_more: false,
        head: 0,
        epoch: EPOCH.into(),
    };
    assert_eq!(store.apply_pull(&page).unwrap(), FeedPage::Applied);
    let records = store.records(KIND).unwrap();
    let by_id = |id: Uuid| records.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(by_id(mine).data, json!({ "who": "me" }));
    assert!(by_id(mine).pending);
    assert_eq!(by_id(other).data, json!({ "who": "new" }));
    assert_eq!(store.cursor().unwrap(), 11);

    // An old page again (a retried request) changes nothing and does not move the cursor back.
    assert_eq!(
        store
            .apply_pull(&PullResponse {
                changes: vec![change(9, other, 0, json!({ "who": "old" }))],
                next: 9,
                has_more: false,
                head: 0,
                epoch: EPOCH.into(),
            })
            .unwrap(),
        FeedPage::Applied
    );
    assert_eq!(store.cursor().unwrap(), 11);
    assert_eq!(
        by_id(other).data,
        store
            .records(KIND)
            .unwrap()
            .iter()
            .find(|r| r.id == other)
            .unwrap()
            .data
    );
}

#[test]
fn conflicts_and_rejections_wait_for_the_user_with_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    store
        .save(KIND, a, &json!({ "year": 2026, "mine": true }), NOW)
        .unwrap();
    store.save(KIND, b, &json!({ "year": 2027 }), NOW).unwrap();
    store
        .apply_outcomes(&[
            PushOutcome {
                device_seq: 1,
                result: Outcome::Conflict {
                    current: Some(Box::new(change(
                        5,
                        a,
                        3,
                        json!({ "year": 2026, "theirs": true }),
                    ))),
                },
            },
            PushOutcome {
                device_seq: 2,
                result: Outcome::Rejected {
                    code: ErrorCode::RuleViolation,
                    reason: "holidays: 2028-01-01 is not in 2027".into(),
                    field: Some("data".into()),
                },
            },
        ])
        .unwrap();
    let state = store.state().unwrap();
    assert_eq!((state.pending, state.issues), (0, 2));
    let issues = store.issues().unwrap();
    assert_eq!(issues[0].state, "conflict");
    assert_eq!(issues[0].mine, Some(json!({ "year": 2026, "mine": true })));
    assert_eq!(
        issues[0].theirs,
        Some(json!({ "year": 2026, "theirs": true }))
    );
    assert_eq!(issues[0].theirs_version, 3);
    assert_eq!(
        issues[1].reason.as_deref(),
        Some("holidays: 2028-01-01 is not in 2027")
    );
    // With the platform's code and field, for the form to show it beside the field.
    assert_eq!(
        (issues[1].code, issues[1].field.as_deref()),
        (Some(ErrorCode::RuleViolation), Some("data"))
    );
    assert_eq!((issues[0].code, issues[0].field.as_deref()), (None, None));

    // Keep mine: sent again on top of the server's version 3.
    store.resolve(1, &Resolution::KeepMine, NOW).unwrap();
    let pending = store.pending(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].record_id, pending[0].base_version), (a, 3));
    assert_eq!(pending[0].data, Some(json!({ "year": 2026, "mine": true })));
    // Edit the rejected one into something the server takes.
    store
        .resolve(
            2,
            &Resolution::Edit(json!({ "year": 2027, "fixed": true })),
            NOW,
        )
        .unwrap();
    assert_eq!(store.pending(10).unwrap().len(), 2);
    assert!(store.issues().unwrap().is_empty());
    assert!(matches!(
        store.resolve(2, &Resolution::KeepMine, NOW),
        Err(StoreError::NoSuchIssue(2))
    ));
}

#[test]
fn taking_theirs_restores_the_server_copy_and_drops_my_later_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let id = Uuid::now_v7();
    assert_eq!(
        store
            .apply_pull(&PullResponse {
                changes: vec![change(1, id, 1, json!({ "v": "server 1" }))],
                next: 1,
                has_more: false,
                head: 0,
                epoch: EPOCH.into(),
            })
            .unwrap(),
        FeedPage::Applied
    );
    store
        .save(KIND, id, &json!({ "v": "mine 1" }), NOW)
        .unwrap();
    store
        .save(KIND, id, &json!({ "v": "mine 2" }), NOW)
        .unwrap();
    store
        .apply_outcomes(&[PushOutcome {
            device_seq: 1,
            result: Outcome::Conflict {
                current: Some(Box::new(change(2, id, 2, json!({ "v": "server 2" })))),
            },
        }])
        .unwrap();
    store.resolve(1, &Resolution::TakeTheirs, NOW).unwrap();
    assert!(store.pending(10).unwrap().is_empty());
    assert_eq!(
        store.records(KIND).unwrap()[0].data,
        json!({ "v": "server 2" })
    );
    // Later pulls update it again, now that nothing of mine waits.
    assert_eq!(
        store
            .apply_pull(&PullResponse {
                changes: vec![change(3, id, 3, json!({ "v": "server 3" }))],
                next: 3,
                has_more: false,
                head: 0,
                epoch: EPOCH.into(),
            })
            .unwrap(),
        FeedPage::Applied
    );
    assert_eq!(
        store.records(KIND).unwrap()[0].data,
        json!({ "v": "server 3" })
    );
}

#[test]
fn one_record_is_read_by_its_id_and_a_deleted_one_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
    store
        .save(KIND, first, &json!({ "year": 2026 }), NOW)
        .unwrap();
    store
        .save(KIND, second, &json!({ "year": 2027 }), NOW)
        .unwrap();
    let found = store.record(KIND, second).unwrap().unwrap();
    assert_eq!(found.id, second);
    assert_eq!(found.data, json!({ "year": 2027 }));
    assert!(found.pending);
    assert!(
        store
            .record(RecordKind::DocumentDraft, second)
            .unwrap()
            .is_none()
    );
    assert!(store.record(KIND, Uuid::now_v7()).unwrap().is_none());
    store.delete(KIND, second, NOW).unwrap();
    assert!(store.record(KIND, second).unwrap().is_none());
    assert_eq!(store.records(KIND).unwrap().len(), 1);
}

#[test]
fn the_outbox_taken_out_of_one_cache_is_put_back_into_another_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = open(&dir);
    let first = Uuid::now_v7();
    old.save(KIND, first, &json!({ "year": 2026 }), NOW)
        .unwrap();
    old.save(KIND, first, &json!({ "year": 2026, "v": 2 }), NOW)
        .unwrap();
    let second = Uuid::now_v7();
    old.save(KIND, second, &json!({ "year": 2027 }), NOW)
        .unwrap();
    old.apply_outcomes(&[PushOutcome {
        device_seq: 3,
        result: Outcome::Rejected {
            code: ErrorCode::RuleViolation,
            reason: "no".into(),
            field: None,
        },
    }])
    .unwrap();
    let saved = old.outbox().unwrap();
    assert_eq!(saved.len(), 3);
    assert_eq!(
        saved.iter().map(|e| e.base_version).collect::<Vec<_>>(),
        vec![0, 1, 0]
    );
    assert_eq!(saved[2].state, mz_store::EntryState::Rejected);

    let fresh_dir = tempfile::tempdir().unwrap();
    let mut fresh = Store::open(&fresh_dir.path().join("cache.db"), &[9; 32]).unwrap();
    fresh
        .save(KIND, Uuid::now_v7(), &json!({ "year": 2030 }), NOW)
        .unwrap();
    assert!(fresh.requeue_once("kept-1", &saved, &[], NOW).unwrap());
    assert!(
        !fresh.requeue_once("kept-1", &saved, &[], NOW).unwrap(),
        "once"
    );
    let state = fresh.state().unwrap();
    assert_eq!((state.pending, state.issues), (3, 1));
    let pending = fresh.pending(10).unwrap();
    assert_eq!(
        pending
            .iter()
            .map(|e| (e.device_seq, e.base_version))
            .collect::<Vec<_>>(),
        vec![(1, 0), (2, 0), (3, 1)],
        "this device's next numbers, the bases kept"
    );
    assert_eq!(
        fresh.record(KIND, first).unwrap().unwrap().data,
        json!({ "year": 2026, "v": 2 })
    );
    assert_eq!(fresh.issues().unwrap()[0].reason.as_deref(), Some("no"));
}

fn person(role: &str, name: &str, doc: &str) -> mz_store::Person {
    mz_store::Person {
        role: role.into(),
        name: name.into(),
        doc_number: doc.into(),
    }
}

fn names(hits: &[mz_store::PersonHit]) -> Vec<&str> {
    hits.iter().map(|h| h.name.as_str()).collect()
}

#[test]
fn people_are_found_by_name_document_prefix_and_pinyin() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    store
        .index_people(&[
            (
                KIND,
                a,
                vec![
                    person("男方", "张三", "430102199003070011"),
                    person("女方", "李四娘", "43010219920101002X"),
                ],
            ),
            (
                KIND,
                b,
                vec![person("男方", "王张三丰", "110105194912310021")],
            ),
            (KIND, c, vec![person("男方", "王䶮", "430103198801010015")]),
        ])
        .unwrap();

    // A two-character name: the exact match first, then names containing it.
    let hits = store.search_people("张三", 10).unwrap();
    assert_eq!(names(&hits), ["张三", "王张三丰"]);
    assert_eq!(hits[0].record_id, a);
    assert_eq!(hits[0].role, "男方");
    // One character is a surname.
    assert_eq!(
        names(&store.search_people("王", 10).unwrap()),
        ["王䶮", "王张三丰"]
    );
    assert_eq!(names(&store.search_people("四娘", 10).unwrap()), ["李四娘"]);
    assert!(store.search_people("三张", 10).unwrap().is_empty());
    // Document numbers by prefix; a lowercase x is the same as X.
    assert_eq!(
        names(&store.search_people("4301021992", 10).unwrap()),
        ["李四娘"]
    );
    assert_eq!(
        names(&store.search_people("43010219920101002x", 10).unwrap()),
        ["李四娘"]
    );
    assert_eq!(store.search_people("4301", 10).unwrap().len(), 3);
    // Pinyin: initials and full, by prefix, spaces ignored.
    assert_eq!(names(&store.search_people("zs", 10).unwrap()), ["张三"]);
    assert_eq!(
        names(&store.search_people("zhang san", 10).unwrap()),
        ["张三"]
    );
    assert_eq!(
        names(&store.search_people("wzsf", 10).unwrap()),
        ["王张三丰"]
    );
    assert_eq!(
        names(&store.search_people("w", 10).unwrap()),
        ["王䶮", "王张三丰"]
    );
    // The rare character is kept and found.
    assert_eq!(names(&store.search_people("王䶮", 10).unwrap()), ["王䶮"]);
    // The limit holds.
    assert_eq!(store.search_people("4301", 2).unwrap().len(), 2);

    // Re-indexing a record replaces its people.
    store
        .index_people(&[(KIND, a, vec![person("男方", "赵六", "")])])
        .unwrap();
    assert!(
        store
            .search_people("张三", 10)
            .unwrap()
            .iter()
            .all(|h| h.record_id != a)
    );
    assert!(store.search_people("zs", 10).unwrap().is_empty());
    assert_eq!(names(&store.search_people("zl", 10).unwrap()), ["赵六"]);
}

#[test]
fn a_cached_body_that_does_not_read_as_its_kind_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let id = Uuid::now_v7();
    store
        .save(KIND, id, &json!({ "year": "not a number" }), NOW)
        .unwrap();
    let record = store.records(KIND).unwrap().remove(0);
    let error = record
        .body::<mz_api::records::HolidayCalendarData>()
        .unwrap_err();
    let StoreError::BadRecord {
        kind, id: named, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((kind.as_str(), *named), ("holiday_calendar", id));
    assert!(error.to_string().contains(&id.to_string()), "{error}");
}

/// A pulled office document with `files` attached.
fn document_with(seq: i64, id: Uuid, version: i64, files: &[&mz_domain::blob::BlobRef]) -> Change {
    let attachments: Vec<_> = files
        .iter()
        .map(|f| {
            json!({ "name": "附件", "file": f, "by": { "user_id": "u1", "name": "王文书" },
                    "at": "2026-03-05T09:00:00" })
        })
        .collect();
    Change {
        kind: RecordKind::OfficeDocument,
        ..change(
            seq,
            id,
            version,
            json!({ "direction": "outgoing", "kind": "通知", "title": "通知", "step": "draft",
                    "steps": [], "attachments": attachments }),
        )
    }
}

#[test]
fn a_file_no_cached_record_names_any_more_leaves_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let pdf = b"%PDF-1.7 shared".to_vec();
    let xlsx = b"PK\x03\x04 only the first".to_vec();
    let shared = mz_domain::blob::BlobRef::of("application/pdf", &pdf);
    let own = mz_domain::blob::BlobRef::of(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &xlsx,
    );
    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
    let pull = |store: &mut Store, next: i64, changes: Vec<Change>| {
        let page = PullResponse {
            changes,
            next,
            has_more: false,
            head: 0,
            epoch: EPOCH.into(),
        };
        assert_eq!(store.apply_pull(&page).unwrap(), FeedPage::Applied);
    };
    pull(
        &mut store,
        2,
        vec![
            document_with(1, first, 1, &[&shared, &own]),
            document_with(2, second, 1, &[&shared]),
        ],
    );
    // Fetched: kept, as the records want them.
    for (file, bytes) in [(&shared, &pdf), (&own, &xlsx)] {
        assert!(store.keep_fetched_blob(file, bytes).unwrap());
    }
    // A file no cached record names (a classified document's) is not kept.
    let stray = mz_domain::blob::BlobRef::of("application/pdf", b"%PDF-1.7 secret");
    assert!(!store.keep_fetched_blob(&stray, b"%PDF-1.7 secret").unwrap());
    assert!(!store.knows_blob(&stray.sha256).unwrap());

    // The first document goes off this desk (it became classified): its own
    // file goes with it, the one the second names stays.
    pull(
        &mut store,
        3,
        vec![Change {
            data: None,
            deleted: true,
            ..document_with(3, first, 2, &[])
        }],
    );
    assert!(store.blob(&own.sha256).unwrap().is_none());
    assert!(!store.knows_blob(&own.sha256).unwrap());
    assert_eq!(store.blob(&shared.sha256).unwrap(), Some(pdf.clone()));
    // The second keeps its file through a change that keeps it, and not
    // through one that takes it off.
    pull(&mut store, 4, vec![document_with(4, second, 2, &[&shared])]);
    assert_eq!(store.blob(&shared.sha256).unwrap(), Some(pdf));
    pull(&mut store, 5, vec![document_with(5, second, 3, &[])]);
    assert!(!store.knows_blob(&shared.sha256).unwrap());
}
