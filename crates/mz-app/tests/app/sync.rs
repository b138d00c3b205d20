//! The sync engine against the real platform on loopback: offline queueing,
//! a server that goes away and comes back, conflicts, a crash between push
//! and apply, and an expired token.

use std::sync::Arc;

use mz_api::sync::PushRequest;
use mz_app::{AppError, ErrorCode};
use mz_client::PlatformClient;
use mz_server::admin;
use mz_store::{Resolution, Store};

use crate::common::{MemorySecrets, PASSWORD, Platform, calendar, client_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_while_the_platform_is_down_waits_and_drains_when_it_returns() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    let counter = client_app(&platform, &dir, "counter");
    office.login("admin", PASSWORD).await.unwrap();
    counter.login("registrar", PASSWORD).await.unwrap();
    office.sync_once().await.unwrap();
    assert!(office.status().unwrap().online);

    platform.halt().await;
    office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01", "2026-10-02"]))
        .unwrap();
    let failed = office.sync_once().await.unwrap_err();
    assert_eq!(failed.code(), ErrorCode::Offline, "{failed:?}");
    let status = office.status().unwrap();
    assert!(!status.online);
    assert_eq!(status.sync.pending, 1, "the change waits in the outbox");
    assert_eq!(
        office.holiday_calendars().unwrap().len(),
        1,
        "and shows locally at once"
    );

    platform.resume();
    let report = office.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.applied), (1, 1));
    let status = office.status().unwrap();
    assert_eq!((status.sync.pending, status.online), (0, true));
    assert!(status.sync.last_sync_at.is_some());

    counter.sync_once().await.unwrap();
    let seen = counter.holiday_calendars().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].1, calendar(2026, &["2026-10-01", "2026-10-02"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_sync_retries_with_backoff_until_the_platform_returns() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = Arc::new(client_app(&platform, &dir, "office"));
    office.login("admin", PASSWORD).await.unwrap();
    platform.halt().await;
    office
        .save_holiday_calendar(None, calendar(2027, &["2027-01-01"]))
        .unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let engine = tokio::spawn(
        office
            .clone()
            .run_sync(std::time::Duration::from_millis(200), stopped),
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(office.status().unwrap().sync.pending, 1);
    platform.resume();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while office.status().unwrap().sync.pending > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox did not drain"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    engine.await.unwrap();
    assert_eq!(platform.feed_len().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_offices_editing_one_year_resolve_the_conflict_without_losing_either_side() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let first = client_app(&platform, &dir, "first");
    let second = client_app(&platform, &dir, "second");
    first.login("admin", PASSWORD).await.unwrap();
    second.login("admin", PASSWORD).await.unwrap();
    let id = first
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    first.sync_once().await.unwrap();
    second.sync_once().await.unwrap();

    first
        .save_holiday_calendar(Some(id), calendar(2026, &["2026-10-01", "2026-10-02"]))
        .unwrap();
    second
        .save_holiday_calendar(Some(id), calendar(2026, &["2026-10-01", "2026-10-08"]))
        .unwrap();
    first.sync_once().await.unwrap();
    let report = second.sync_once().await.unwrap();
    assert_eq!(report.conflicts, 1);
    let issues = second.sync_issues().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].mine.as_ref().unwrap()["holidays"],
        serde_json::json!(["2026-10-01", "2026-10-08"])
    );
    assert_eq!(
        issues[0].theirs.as_ref().unwrap()["holidays"],
        serde_json::json!(["2026-10-01", "2026-10-02"])
    );
    assert_eq!(second.status().unwrap().sync.issues, 1);

    let merged = serde_json::json!({ "year": 2026, "holidays": ["2026-10-01", "2026-10-02", "2026-10-08"], "working_weekends": [] });
    second
        .resolve(issues[0].device_seq, &Resolution::Edit(merged))
        .unwrap();
    let report = second.sync_once().await.unwrap();
    assert_eq!(report.applied, 1);
    first.sync_once().await.unwrap();
    assert_eq!(
        first.holiday_calendars().unwrap()[0].1,
        calendar(2026, &["2026-10-01", "2026-10-02", "2026-10-08"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_push_and_apply_never_applies_a_change_twice() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    drop(office);

    // The push reaches the platform, then the app dies before it records the outcome.
    let store = Store::open(&dir.path().join("office.db"), &[3; 32]).unwrap();
    let entries = store.pending(100).unwrap();
    let client = PlatformClient::new(&platform.url(), None).unwrap();
    let device_id = store.device_id().unwrap();
    // The platform bound the device to the secret it gave at the first sign-in.
    let kept = store.setting(mz_app::DEVICE_SECRET).unwrap().unwrap();
    let (_, device_secret) = kept.split_once(' ').unwrap();
    let tokens = client
        .login(&mz_api::auth::LoginRequest {
            username: "admin".into(),
            password: PASSWORD.into(),
            device_id,
            device_name: "office".into(),
            device_secret: Some(device_secret.to_owned()),
        })
        .await
        .unwrap();
    client
        .push(&tokens.access_token, &PushRequest { entries })
        .await
        .unwrap();
    drop(store);
    assert_eq!(platform.feed_len().await, 1);

    // Restarted, the app sends the same entry again and gets the stored outcome.
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    let report = office.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.applied), (1, 1));
    assert_eq!(platform.feed_len().await, 1, "applied once");
    assert_eq!(office.status().unwrap().sync.pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_refreshed_and_a_disabled_user_is_signed_out() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    platform.clock.advance_ms(16 * 60 * 1000);
    office
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    assert_eq!(
        office.sync_once().await.unwrap().applied,
        1,
        "refreshed on the way"
    );

    admin::disable_user(&platform.db, &platform.clock, "admin")
        .await
        .unwrap();
    let error = office.sync_once().await.unwrap_err();
    assert!(matches!(error, AppError::SessionEnded), "{error:?}");
    assert_eq!(office.status().unwrap().signed_in, None);
    let wrong = client_app(&platform, &dir, "other")
        .login("registrar", "wrong password")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::Unauthenticated);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_that_breaks_the_rules_never_reaches_the_outbox() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    let error = office
        .save_holiday_calendar(None, calendar(2026, &["2027-01-01"]))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert_eq!(error.to_string(), "holidays: 2027-01-01 is not in 2026");
    assert_eq!(office.status().unwrap().sync.pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_user_signs_in_offline_and_the_kept_refresh_token_renews_the_session() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let counter = client_app(&platform, &dir, "counter").with_secrets(secrets.clone());
    counter.login("admin", PASSWORD).await.unwrap();
    assert!(
        secrets.get_raw("refresh-token").is_some(),
        "kept in the credential store"
    );
    drop(counter);

    // The app restarts while the platform is away.
    platform.halt().await;
    let counter = client_app(&platform, &dir, "counter").with_secrets(secrets.clone());
    let wrong = counter
        .login("admin", "not the password")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::Offline, "{wrong:?}");
    let other = counter.login("registrar", PASSWORD).await.unwrap_err();
    assert_eq!(other.code(), ErrorCode::Offline, "only the last user here");
    let user = counter.login("admin", PASSWORD).await.unwrap();
    assert_eq!(user.username, "admin");
    assert!(counter.verify_password(PASSWORD).unwrap());
    assert!(!counter.verify_password("nope").unwrap());
    counter
        .save_holiday_calendar(None, calendar(2031, &["2031-01-01"]))
        .unwrap();
    assert_eq!(counter.status().unwrap().sync.pending, 1);

    // Back online: the first call is refused, the refresh token renews it.
    platform.resume();
    counter.sync_once().await.unwrap();
    assert_eq!(counter.status().unwrap().sync.pending, 0);
    assert_eq!(platform.feed_len().await, 1);

    counter.logout().await.unwrap();
    assert!(secrets.get_raw("refresh-token").is_none(), "gone at logout");
}

async fn desktop(
    platform: &Platform,
    dir: &tempfile::TempDir,
    secrets: Arc<MemorySecrets>,
) -> mz_app::desktop::Desktop {
    let profile = mz_app::profile::Profile::new(dir.path(), secrets);
    profile
        .setup_connected(&platform.url(), None, "counter-1")
        .await
        .unwrap();
    mz_app::desktop::Desktop::new(profile, "counter-1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_the_platform_revokes_is_wiped_and_signs_in_as_a_new_device() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let desktop = desktop(&platform, &dir, secrets.clone()).await;
    desktop.login("admin", PASSWORD).await.unwrap();
    desktop.sync_now().await.unwrap();
    platform.halt().await;
    desktop
        .guarded()
        .await
        .unwrap()
        .save_holiday_calendar(None, calendar(2031, &["2031-01-01"]))
        .unwrap();
    assert!(dir.path().join("cache.db").exists());

    let devices = admin::list_devices(&platform.db).await.unwrap();
    assert_eq!(devices.len(), 1);
    admin::revoke_device(&platform.db, &platform.clock, &devices[0].id)
        .await
        .unwrap();
    platform.resume();
    let error = desktop.sync_now().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::DeviceRevoked, "{error:?}");
    let error = desktop.status().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::DeviceRevoked);

    assert!(!dir.path().join("cache.db").exists(), "the cache is wiped");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("outbox-")),
        "a revoked device keeps no plain-text outbox file (its copy is sealed in kept/)"
    );
    assert!(secrets.get_raw("refresh-token").is_none());
    match desktop.phase().await.unwrap() {
        mz_app::desktop::Phase::Login { notice, .. } => {
            assert!(notice.unwrap().contains("停用"));
        }
        other => panic!("{other:?}"),
    }
    // The wiped install is a new device to the platform, listed for the administrator.
    desktop.login("admin", PASSWORD).await.unwrap();
    let devices = admin::list_devices(&platform.db).await.unwrap();
    assert_eq!(devices.iter().filter(|d| d.revoked).count(), 1);
    assert_eq!(devices.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_locks_when_idle_and_the_password_unlocks_it() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let desktop = desktop(&platform, &dir, Arc::new(MemorySecrets::default()))
        .await
        .with_idle_limit(std::time::Duration::from_millis(400));
    assert_eq!(desktop.idle_lock_minutes().unwrap(), 10, "the default");
    desktop.login("admin", PASSWORD).await.unwrap();
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        desktop.touch().unwrap();
        desktop.holiday_calendars().await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let locked = desktop.holiday_calendars().await.unwrap_err();
    assert_eq!(locked.code(), ErrorCode::ScreenLocked);
    assert!(desktop.status().await.unwrap().locked);
    assert!(matches!(
        desktop.phase().await.unwrap(),
        mz_app::desktop::Phase::Locked { .. }
    ));
    desktop.touch().unwrap();
    assert!(
        desktop.holiday_calendars().await.is_err(),
        "input does not unlock"
    );
    let wrong = desktop.unlock("wrong").await.unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::InvalidInput);
    desktop.unlock(PASSWORD).await.unwrap();
    desktop.holiday_calendars().await.unwrap();
    desktop.lock_now().unwrap();
    assert!(desktop.holiday_calendars().await.is_err());

    desktop.set_idle_lock_minutes(15).unwrap();
    assert_eq!(desktop.idle_lock_minutes().unwrap(), 15);
    assert!(desktop.set_idle_lock_minutes(0).is_err());
    assert!(desktop.set_idle_lock_minutes(121).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiving_paused_still_sends_keeps_the_cache_as_it_was_and_resumes_where_it_stopped() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    let other = client_app(&platform, &dir, "other");
    office.login("admin", PASSWORD).await.unwrap();
    other.login("admin", PASSWORD).await.unwrap();
    other
        .save_holiday_calendar(None, calendar(2026, &["2026-10-01"]))
        .unwrap();
    other.sync_once().await.unwrap();

    office.pause_pull(true);
    office
        .save_holiday_calendar(None, calendar(2027, &["2027-10-01"]))
        .unwrap();
    let report = office.sync_once().await.unwrap();
    assert!(report.paused);
    assert_eq!(
        (report.pushed, report.pulled),
        (1, 0),
        "sent, nothing received"
    );
    let status = office.status().unwrap();
    assert!(status.pull_paused && status.pulling.is_none(), "{status:?}");
    assert_eq!(
        status.sync.last_sync_at, None,
        "not caught up: never synced"
    );
    assert_eq!(office.holiday_calendars().unwrap().len(), 1, "its own only");

    office.pause_pull(false);
    let report = office.sync_once().await.unwrap();
    assert!(!report.paused && report.pulled >= 2, "{report:?}");
    let status = office.status().unwrap();
    assert!(!status.pull_paused && status.pulling.is_none());
    assert!(status.sync.last_sync_at.is_some());
    assert_eq!(office.holiday_calendars().unwrap().len(), 2);
}
