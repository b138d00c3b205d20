//! Logout and revoke never lose a clerk's unsent work, and leave nothing
//! personal on the disk in the clear: the security review's first item,
//! against the real platform on loopback.

use std::path::Path;
use std::sync::Arc;

use mz_app::desktop::{Desktop, LogoutChoice, LogoutOutcome, Phase};
use mz_app::kept::KeptReason;
use mz_app::profile::Profile;
use mz_app::{AppError, ErrorCode};
use mz_server::admin;

use crate::common::*;

const MAN: &str = "张三丰";
const MAN_ID: &str = "43010219980307001";
const WOMAN: &str = "李秀英";
const WOMAN_ID: &str = "43010219990101002";

/// A connected desktop whose background sync runs once at sign-in and then
/// not for an hour: what is sent, the story sends.
async fn counter(platform: &Platform, dir: &Path, secrets: Arc<MemorySecrets>) -> Desktop {
    let profile = Profile::new(dir, secrets).with_clock(platform.clock.clone());
    if profile.config().unwrap().is_none() {
        profile
            .setup_connected(&platform.url(), None, "counter-1")
            .await
            .unwrap();
    }
    Desktop::new(profile, "counter-1").with_sync_interval(std::time::Duration::from_secs(3600))
}

/// Signs in and lets the sign-in's own sync finish.
async fn sign_in(desktop: &Desktop, username: &str) -> mz_api::auth::UserInfo {
    let user = desktop.login(username, PASSWORD).await.unwrap();
    let _ = desktop.sync_now().await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    user
}

async fn register_couple(desktop: &Desktop) {
    let man = party(MAN, MAN_ID, mz_domain::Sex::Male);
    let woman = party(WOMAN, WOMAN_ID, mz_domain::Sex::Female);
    desktop
        .guarded()
        .await
        .unwrap()
        .prepare_marriage(None, signed_form(man, woman))
        .unwrap();
}

async fn platform_registrations(platform: &Platform) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM records WHERE kind = 'marriage_registration'")
        .fetch_one(&platform.db.pool)
        .await
        .unwrap()
}

fn kept_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("kept"))
        .map(|read| {
            read.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every file under `dir`, read whole, holds none of the couple's names and
/// ID numbers in the clear.
fn assert_nothing_personal_in_clear(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for secret in [MAN, WOMAN, MAN_ID, WOMAN_ID] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{} holds {secret:?} in the clear",
                    path.display()
                );
            }
        }
    }
}

fn notice(phase: Phase) -> String {
    match phase {
        Phase::Login { notice, .. } => notice.unwrap_or_default(),
        other => panic!("not signed out: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_online_sends_what_waits_before_it_signs_out() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let desktop = counter(&platform, dir.path(), Arc::default()).await;
    sign_in(&desktop, "registrar").await;
    register_couple(&desktop).await;
    assert_eq!(desktop.status().await.unwrap().sync.pending, 1);
    assert_eq!(platform_registrations(&platform).await, 0);

    let outcome = desktop.logout(LogoutChoice::SendFirst).await.unwrap();
    assert_eq!(outcome, LogoutOutcome::SignedOut { kept: 0 });
    assert_eq!(platform_registrations(&platform).await, 1, "pushed first");
    assert!(!dir.path().join("cache.db").exists(), "the cache is wiped");
    assert!(kept_files(dir.path()).is_empty(), "nothing left to keep");
    assert!(desktop.status().await.unwrap().signed_in.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_offline_keeps_the_entries_encrypted_and_sends_them_at_the_same_users_next_sign_in()
{
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let desktop = counter(&platform, dir.path(), secrets.clone()).await;
    let registrar = sign_in(&desktop, "registrar").await;
    platform.halt().await;
    // With their photo, which is kept with the entry.
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR kept";
    let photo = {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(PNG);
        desktop.keep_photo("image/png", &data).await.unwrap()
    };
    let mut form = signed_form(
        party(MAN, MAN_ID, mz_domain::Sex::Male),
        party(WOMAN, WOMAN_ID, mz_domain::Sex::Female),
    );
    form.photo = Some(photo.clone());
    desktop
        .guarded()
        .await
        .unwrap()
        .prepare_marriage(None, form)
        .unwrap();

    // Offline: nothing is done, the window is told how many wait.
    let outcome = desktop.logout(LogoutChoice::SendFirst).await.unwrap();
    assert_eq!(
        outcome,
        LogoutOutcome::Waiting {
            pending: 1,
            issues: 0,
            online: false
        }
    );
    assert!(
        desktop.status().await.unwrap().signed_in.is_some(),
        "still signed in"
    );
    assert!(dir.path().join("cache.db").exists());

    let outcome = desktop.logout(LogoutChoice::Keep).await.unwrap();
    assert_eq!(outcome, LogoutOutcome::SignedOut { kept: 1 });
    assert!(!dir.path().join("cache.db").exists(), "the cache is wiped");
    let kept = kept_files(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        kept[0].starts_with(&format!("user-{}-", registrar.id)),
        "named for its user: {kept:?}"
    );
    assert!(secrets.get_raw(&format!("kept-key {}", kept[0])).is_some());
    assert_nothing_personal_in_clear(dir.path());
    assert!(notice(desktop.phase().await.unwrap()).contains("已加密保存 1 条"));

    // Another user signs in here: the entries are neither theirs nor shown.
    platform.resume();
    sign_in(&desktop, "admin").await;
    assert_eq!(desktop.status().await.unwrap().sync.pending, 0);
    assert!(
        desktop
            .guarded()
            .await
            .unwrap()
            .marriages()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        desktop.logout(LogoutChoice::SendFirst).await.unwrap(),
        LogoutOutcome::SignedOut { kept: 0 }
    );
    assert_eq!(kept_files(dir.path()), kept, "still kept for the registrar");
    assert_eq!(platform_registrations(&platform).await, 0);

    // The registrar signs in again: the entries go back and are sent.
    desktop.login("registrar", PASSWORD).await.unwrap();
    desktop.sync_now().await.unwrap();
    assert_eq!(desktop.status().await.unwrap().sync.pending, 0);
    assert_eq!(platform_registrations(&platform).await, 1, "sent");
    let marriages = desktop.guarded().await.unwrap().marriages().unwrap();
    assert_eq!(marriages.len(), 1);
    assert_eq!(marriages[0].data.parties[0].name, MAN);
    assert_eq!(marriages[0].data.photo.as_ref(), Some(&photo));
    let sent: Vec<u8> = sqlx::query_scalar("SELECT data FROM blobs WHERE sha256 = $1")
        .bind(&photo.sha256)
        .fetch_one(&platform.db.pool)
        .await
        .unwrap();
    assert_eq!(
        sent, PNG,
        "the photo came back with the entry and went first"
    );
    assert!(kept_files(dir.path()).is_empty(), "the file is gone");
    assert!(
        secrets.get_raw(&format!("kept-key {}", kept[0])).is_none(),
        "and its key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_discards_only_what_the_clerk_confirmed_and_never_from_a_locked_window() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let desktop = counter(&platform, dir.path(), Arc::default()).await;
    sign_in(&desktop, "admin").await;
    platform.halt().await;
    for year in [2031, 2032] {
        desktop
            .guarded()
            .await
            .unwrap()
            .save_holiday_calendar(None, calendar(year, &[&format!("{year}-01-01")]))
            .unwrap();
    }
    let waiting = LogoutOutcome::Waiting {
        pending: 2,
        issues: 0,
        online: false,
    };
    assert_eq!(
        desktop.logout(LogoutChoice::SendFirst).await.unwrap(),
        waiting
    );
    // Confirmed for one while two wait: nothing is thrown away.
    assert_eq!(
        desktop
            .logout(LogoutChoice::Discard { confirmed: 1 })
            .await
            .unwrap(),
        waiting
    );
    desktop.lock_now().unwrap();
    let error = desktop
        .logout(LogoutChoice::Discard { confirmed: 2 })
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::ScreenLocked);
    assert!(dir.path().join("cache.db").exists());
    desktop.unlock(PASSWORD).await.unwrap();

    assert_eq!(
        desktop
            .logout(LogoutChoice::Discard { confirmed: 2 })
            .await
            .unwrap(),
        LogoutOutcome::SignedOut { kept: 0 }
    );
    assert!(!dir.path().join("cache.db").exists());
    assert!(kept_files(dir.path()).is_empty(), "discarded, not kept");
    platform.resume();
    sign_in(&desktop, "admin").await;
    assert_eq!(desktop.status().await.unwrap().sync.pending, 0);
    assert!(desktop.holiday_calendars().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_waiting_for_a_decision_stops_logout_and_comes_back_kept() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let desktop = counter(&platform, dir.path(), Arc::default()).await;
    sign_in(&desktop, "admin").await;
    let id = desktop
        .guarded()
        .await
        .unwrap()
        .save_holiday_calendar(None, calendar(2031, &["2031-01-01"]))
        .unwrap();
    desktop.sync_now().await.unwrap();
    // A colleague changes the same calendar first.
    let other_dir = tempfile::tempdir().unwrap();
    let colleague = client_app(&platform, &other_dir, "colleague");
    colleague.login("admin", PASSWORD).await.unwrap();
    colleague.sync_once().await.unwrap();
    colleague
        .save_holiday_calendar(Some(id), calendar(2031, &["2031-01-02"]))
        .unwrap();
    colleague.sync_once().await.unwrap();
    desktop
        .guarded()
        .await
        .unwrap()
        .save_holiday_calendar(Some(id), calendar(2031, &["2031-01-03"]))
        .unwrap();
    let _ = desktop.sync_now().await;
    assert_eq!(desktop.status().await.unwrap().sync.issues, 1);

    assert_eq!(
        desktop.logout(LogoutChoice::SendFirst).await.unwrap(),
        LogoutOutcome::Waiting {
            pending: 0,
            issues: 1,
            online: true
        },
        "a conflict to decide counts"
    );
    assert_eq!(
        desktop.logout(LogoutChoice::Keep).await.unwrap(),
        LogoutOutcome::SignedOut { kept: 1 }
    );
    sign_in(&desktop, "admin").await;
    let issues = desktop.guarded().await.unwrap().sync_issues().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].state, "conflict");
    assert_eq!(
        issues[0].mine.as_ref().unwrap()["holidays"][0],
        "2031-01-03"
    );
    assert_eq!(
        issues[0].theirs.as_ref().unwrap()["holidays"][0],
        "2031-01-02"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_keeps_an_encrypted_copy_for_the_administrator_and_loses_prints_and_exports()
 {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let desktop = counter(&platform, dir.path(), secrets.clone()).await;
    // An office colleague kept a calendar here at an earlier logout.
    sign_in(&desktop, "admin").await;
    platform.halt().await;
    desktop
        .guarded()
        .await
        .unwrap()
        .save_holiday_calendar(None, calendar(2031, &["2031-01-01"]))
        .unwrap();
    assert_eq!(
        desktop.logout(LogoutChoice::Keep).await.unwrap(),
        LogoutOutcome::SignedOut { kept: 1 }
    );
    platform.resume();

    // The registrar prints, exports, and registers while the platform is away.
    let registrar = sign_in(&desktop, "registrar").await;
    let (sheet, _) = desktop.calibration_sheet(None, 0.0, 0.0).unwrap();
    assert!(Path::new(&sheet.pdf_path).exists());
    let (from, to) = desktop.this_month().await.unwrap();
    let workbook = desktop
        .export_marriage_statistics(mz_app::marriage::statistics::StatisticsQuery {
            from,
            to,
            grouping: mz_app::marriage::statistics::Grouping::Day,
        })
        .await
        .unwrap();
    assert!(Path::new(&workbook).exists());
    platform.halt().await;
    register_couple(&desktop).await;

    let devices = admin::list_devices(&platform.db).await.unwrap();
    let this = devices
        .iter()
        .find(|d| d.last_user.as_deref() == Some("registrar"))
        .unwrap();
    admin::revoke_device(&platform.db, &platform.clock, &this.id)
        .await
        .unwrap();
    platform.resume();
    let error = desktop.sync_now().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::DeviceRevoked, "{error:?}");
    assert!(matches!(
        desktop.status().await.unwrap_err(),
        AppError::DeviceRevoked
    ));

    assert!(!dir.path().join("cache.db").exists(), "the cache is wiped");
    assert!(!dir.path().join("prints").exists(), "prints are gone");
    assert!(!dir.path().join("exports").exists(), "exports are gone");
    let kept = kept_files(dir.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        kept.iter().all(|name| name.starts_with("admin-")),
        "for the administrator only, the colleague's copy too: {kept:?}"
    );
    assert_nothing_personal_in_clear(dir.path());
    let said = notice(desktop.phase().await.unwrap());
    assert!(
        said.contains("停用") && said.contains("1 条") && said.contains("管理员"),
        "{said}"
    );

    // No sign-in opens them: the colleague signs in on the wiped install.
    sign_in(&desktop, "admin").await;
    assert_eq!(desktop.status().await.unwrap().sync.pending, 0);
    assert!(desktop.holiday_calendars().await.unwrap().is_empty());
    assert_eq!(
        desktop.logout(LogoutChoice::SendFirst).await.unwrap(),
        LogoutOutcome::SignedOut { kept: 0 }
    );

    // The administrator looks, finds the revoke was a mistake, and hands
    // the registrar's copy back to the registrar's next sign-in.
    let profile = Profile::new(dir.path(), secrets.clone());
    let listed = profile.kept().unwrap();
    assert_eq!(listed.len(), 2);
    let mine = listed
        .iter()
        .find(|f| {
            f.contents
                .as_ref()
                .unwrap()
                .user
                .as_ref()
                .is_some_and(|u| u.id == registrar.id)
        })
        .unwrap();
    let contents = mine.contents.as_ref().unwrap();
    assert_eq!(contents.reason, KeptReason::Revoked);
    assert_eq!(contents.counts(), (1, 0));
    profile.release_kept(&mine.name).unwrap();
    assert!(
        kept_files(dir.path())
            .iter()
            .any(|n| n.starts_with(&format!("user-{}-", registrar.id)))
    );
    sign_in(&desktop, "registrar").await;
    desktop.sync_now().await.unwrap();
    assert_eq!(platform_registrations(&platform).await, 1);
    assert_eq!(desktop.status().await.unwrap().sync.pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_text_outbox_of_an_older_version_is_sealed_for_the_administrator() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let desktop = counter(&platform, dir.path(), secrets.clone()).await;
    // As the last version wrote it at logout: one JSON object a line.
    let data = serde_json::json!({ "parties": [{ "name": MAN, "doc_number": MAN_ID }] });
    let line = serde_json::json!({
        "device_seq": 4, "kind": "marriage_registration",
        "record_id": uuid::Uuid::now_v7().to_string(), "op": "upsert", "base_version": 0,
        "data": data.to_string(), "state": "pending", "outcome": null, "created_at": 1,
    });
    let plain = dir.path().join("outbox-20260101120000.jsonl");
    std::fs::write(&plain, format!("{line}\n")).unwrap();

    sign_in(&desktop, "registrar").await;
    desktop.logout(LogoutChoice::SendFirst).await.unwrap();
    assert!(!plain.exists(), "the plain text is gone");
    assert_nothing_personal_in_clear(dir.path());
    let listed = Profile::new(dir.path(), secrets).kept().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].for_admin);
    let contents = listed[0].contents.as_ref().unwrap();
    assert_eq!(contents.reason, KeptReason::PlainFile);
    assert_eq!(contents.entries[0].data.as_ref().unwrap(), &data);
}
