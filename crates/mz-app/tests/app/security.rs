//! The security review's findings on the client, each a story that failed
//! before its fix: against the real platform on loopback.

use mz_api::records::RecordKind;
use mz_app::AppError;
use mz_store::Store;
use serde_json::json;
use uuid::Uuid;

use crate::common::*;

/// Writes straight into a client's cache, as an older app or a damaged
/// entry would have left it, past the checks the app makes before it queues.
fn queue_raw(dir: &tempfile::TempDir, name: &str, kind: RecordKind, data: serde_json::Value) {
    let mut store = Store::open(&dir.path().join(format!("{name}.db")), &[3; 32]).unwrap();
    store.save(kind, Uuid::now_v7(), &data, 0).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_too_large_for_the_platform_is_a_rejection_and_the_rest_go_through() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    drop(office);
    // 9 MB of draft, over the platform's 8 MB body limit, then a calendar.
    let text = "文".repeat(3 * 1024 * 1024);
    queue_raw(
        &dir,
        "office",
        RecordKind::DocumentDraft,
        json!({ "document": { "issuer_mark": "", "doc_number": "", "title": text, "body": [],
                              "signature": "", "date": "" } }),
    );
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    let report = office.sync_once().await.unwrap();
    assert_eq!((report.applied, report.rejected), (1, 1), "{report:?}");
    let issues = office.sync_issues().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].state, "rejected");
    assert_eq!(office.status().unwrap().sync.pending, 0, "nothing stuck");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_over_its_cap_is_refused_before_it_is_queued() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();
    let mut man = party("张三", "43010219980307001", mz_domain::Sex::Male);
    man.address = "长沙市芙蓉区".repeat(100);
    let woman = party("李四", "43010219990101002", mz_domain::Sex::Female);
    let error = counter
        .prepare_marriage(None, signed_form(man, woman))
        .unwrap_err();
    let AppError::Rules(issues) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(issues[0].field, "parties[0].address", "{issues:?}");
    assert_eq!(counter.status().unwrap().sync.pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_keeps_the_body_as_the_platform_stored_it() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();
    drop(counter);
    // Written by an older app: a lower-case check character.
    let mut woman = party("李四", "43010219990101002", mz_domain::Sex::Female);
    woman.doc_number = woman.doc_number.to_lowercase();
    let man = party("张三", "43010219980307001", mz_domain::Sex::Male);
    let form = signed_form(man, woman);
    queue_raw(
        &dir,
        "counter",
        RecordKind::MarriageRegistration,
        json!({ "registered_on": chrono::Utc::now().date_naive(), "parties": form.parties,
                "statements": form.statements, "status": "prepared" }),
    );
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();
    assert_eq!(counter.sync_once().await.unwrap().applied, 1);
    let kept = counter.marriages().unwrap();
    assert_eq!(kept[0].data.parties[1].doc_number, "43010219990101002X");
    assert!(!kept[0].pending);
    // The pull of the same version changes nothing: the cache had it already.
    counter.sync_once().await.unwrap();
    assert_eq!(counter.marriages().unwrap()[0].data, kept[0].data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_platform_is_noticed_and_the_cache_pulls_afresh_losing_nothing() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    office.sync_once().await.unwrap();
    assert_eq!(office.holiday_calendars().unwrap().len(), 1);

    // The platform goes back to a backup from before the calendar: its
    // record and change are gone, and the operator gives a new epoch.
    platform.halt().await;
    for table in ["records", "changes"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&platform.db.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE counters SET value = 0 WHERE name = 'feed'")
        .execute(&platform.db.pool)
        .await
        .unwrap();
    mz_server::admin::new_epoch(&platform.db, &platform.clock)
        .await
        .unwrap();
    // Meanwhile the office keeps working into its outbox.
    office
        .save_holiday_calendar(None, calendar(2027, &["2027-10-01"]))
        .unwrap();
    platform.resume();
    office.sync_once().await.unwrap();
    let years: Vec<i32> = office
        .holiday_calendars()
        .unwrap()
        .into_iter()
        .map(|(_, c, _)| c.year)
        .collect();
    // The calendar the restored platform lost stays (this cache may hold its
    // only copy); the waiting one is sent.
    assert_eq!(years, vec![2026, 2027]);
    assert_eq!(platform.feed_len().await, 1);
    assert_eq!(office.status().unwrap().sync.pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_install_that_lost_its_device_secret_signs_in_as_a_new_device() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    drop(office);
    // The secret is lost (a login answer that never arrived, a damaged store).
    let mut store = Store::open(&dir.path().join("office.db"), &[3; 32]).unwrap();
    let old_device = store.device_id().unwrap();
    store.set_setting(mz_app::DEVICE_SECRET, None).unwrap();
    drop(store);
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    assert_eq!(
        office.sync_once().await.unwrap().applied,
        1,
        "the outbox kept"
    );
    let devices = mz_server::admin::list_devices(&platform.db).await.unwrap();
    assert_eq!(devices.len(), 2);
    assert!(devices.iter().any(|d| d.id == old_device.to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_that_find_the_token_expired_together_refresh_it_once() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = std::sync::Arc::new(client_app(&platform, &dir, "office"));
    office.login("admin", PASSWORD).await.unwrap();
    let id = office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    office.sync_once().await.unwrap();
    platform.clock.advance_ms(16 * 60 * 1000);
    // Collected first: all four are on their way before any answer comes.
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let office = office.clone();
            tokio::spawn(
                async move { office.record_history(RecordKind::HolidayCalendar, id).await },
            )
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert!(
        office.status().unwrap().signed_in.is_some(),
        "still signed in"
    );
    office.sync_once().await.unwrap();
}
