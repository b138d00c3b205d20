//! A client killed with SIGKILL in the middle of a sync — while pushing and
//! while pulling — never leaves a change half-applied, lost or applied twice:
//! the cache's transactions and the platform's (device, device_seq)
//! idempotency carry it, and the next sync picks up where the dead one
//! stopped. The client runs as a real child process (this test binary,
//! started again on its ignored `sync_child` entry) and is killed for real.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{PASSWORD, Platform, calendar, client_app};
use mz_app::ClientApp;
use mz_client::PlatformClient;
use mz_store::Store;
use uuid::Uuid;

const KEY: [u8; 32] = [3; 32];
const CHANGES: usize = 6_000;
const YEARS: usize = 100;

/// The child: signs in and syncs the given cache again and again until it is killed.
#[test]
#[ignore = "the client process that crash.rs starts and kills"]
fn sync_child() {
    let (Ok(url), Ok(db)) = (std::env::var("MZ_CRASH_URL"), std::env::var("MZ_CRASH_DB")) else {
        panic!("started by the kill -9 stories only");
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::open(Path::new(&db), &KEY).unwrap();
        let app = ClientApp::new(PlatformClient::new(&url, None).unwrap(), store, "crash");
        app.login("admin", PASSWORD).await.unwrap();
        loop {
            // A failed attempt is told (the parent shows it if the child
            // makes no progress) and tried again a moment later.
            if let Err(error) = app.sync_once().await {
                eprintln!("sync failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
}

/// The child, with what it says on stderr kept beside its cache.
fn spawn_child(platform: &Platform, db: &Path) -> (Child, std::path::PathBuf) {
    let log = db.with_extension("child.log");
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "crash::sync_child",
            "--test-threads",
            "1",
        ])
        .env("MZ_CRASH_URL", platform.url())
        .env("MZ_CRASH_DB", db)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    (child, log)
}

/// Waits until `progressed` says so (checked every 20 ms), then SIGKILLs the
/// child. A child that dies or makes no progress fails the story with the
/// end of what it said.
async fn kill_when(
    (mut child, log): (Child, std::path::PathBuf),
    mut progressed: impl AsyncFnMut() -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let said = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    };
    while !progressed().await {
        if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child made no progress or died; it said:\n{}", said());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

fn cache_state(db: &Path) -> mz_store::SyncState {
    Store::open(db, &KEY).unwrap().state().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_killed_while_pushing_or_pulling_loses_nothing_and_applies_nothing_twice() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office_db = dir.path().join("office.db");

    // The office works offline: CHANGES changes to YEARS calendars wait in its outbox.
    {
        let office = client_app(&platform, &dir, "office");
        let ids: Vec<Uuid> = (0..YEARS).map(|_| Uuid::now_v7()).collect();
        for n in 0..CHANGES {
            let year = 1950 + (n % YEARS) as i32;
            let day = format!("{year}-01-{:02}", 1 + (n / YEARS) % 28);
            office
                .save_holiday_calendar(Some(ids[n % YEARS]), calendar(year, &[day.as_str()]))
                .unwrap();
        }
        assert_eq!(office.status().unwrap().sync.pending, CHANGES as i64);
    }

    // Killed three times while pushing.
    for round in 0..3 {
        let before = platform.feed_len().await;
        let child = spawn_child(&platform, &office_db);
        kill_when(child, async || platform.feed_len().await > before).await;
        let on_platform = platform.feed_len().await as usize;
        let waiting = cache_state(&office_db).pending as usize;
        assert!(
            on_platform < CHANGES,
            "round {round}: killed before the end"
        );
        // An entry the platform applied may still wait here (killed before the
        // answer was stored); none is in neither place.
        assert!(
            on_platform + waiting >= CHANGES,
            "round {round}: {on_platform} on the platform + {waiting} waiting < {CHANGES}"
        );
    }

    // The next sync finishes the job: every change exactly once.
    let office = client_app(&platform, &dir, "office");
    office.login("admin", PASSWORD).await.unwrap();
    office.sync_once().await.unwrap();
    assert_eq!(office.status().unwrap().sync.pending, 0);
    assert_eq!(
        platform.feed_len().await as usize,
        CHANGES,
        "nothing applied twice"
    );

    // A new counter is killed twice while pulling the feed.
    let counter_db = dir.path().join("counter.db");
    drop(Store::open(&counter_db, &KEY).unwrap());
    for _ in 0..2 {
        let before = cache_state(&counter_db).cursor;
        let child = spawn_child(&platform, &counter_db);
        kill_when(child, async || cache_state(&counter_db).cursor > before).await;
    }
    let counter = client_app(&platform, &dir, "counter");
    counter.login("admin", PASSWORD).await.unwrap();
    counter.sync_once().await.unwrap();

    // Both caches hold the platform's last version of every calendar.
    let mine = office.holiday_calendars().unwrap();
    let theirs = counter.holiday_calendars().unwrap();
    assert_eq!(mine.len(), YEARS);
    assert_eq!(mine, theirs);
    assert_eq!(
        counter.status().unwrap().sync.cursor,
        CHANGES as i64,
        "the cursor reached the head"
    );
}
