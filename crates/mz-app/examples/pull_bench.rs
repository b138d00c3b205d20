//! A client's first pull of a long feed, printed as figures (not a test).
//!
//! `cargo run --profile desktop -p mz-app --example pull_bench [CHANGES]` starts the
//! platform on loopback over SQLite, lets one client write CHANGES (100,000
//! by default) holiday-calendar changes offline and push them, then times a
//! fresh client pulling the whole feed into its encrypted cache through the
//! same `sync_once` the app runs: HTTP, JSON, SQLCipher, one transaction a
//! page.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::time::Instant;

use mz_api::records::HolidayCalendarData;
use mz_app::ClientApp;
use mz_client::PlatformClient;
use mz_domain::Role;
use mz_server::admin::{self, NewUser};
use mz_server::{AppState, Clock, Db, DbUrl};
use mz_store::Store;
use uuid::Uuid;

const PASSWORD: &str = "bench password";
const YEARS: i32 = 250;

#[tokio::main]
async fn main() {
    let changes: usize = std::env::args()
        .nth(1)
        .map_or(100_000, |a| a.parse().expect("CHANGES"));
    let dir = tempfile::tempdir().unwrap();
    let url: DbUrl = format!("sqlite:{}/platform.db", dir.path().display())
        .parse()
        .unwrap();
    let db = Db::open(&url).await.unwrap();
    let clock = Clock::System;
    admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
        .await
        .unwrap();
    let admin_user = NewUser {
        username: "admin",
        display_name: "admin",
        org: "430000-civil",
        section: None,
        roles: &[Role::Admin],
        password: PASSWORD,
    };
    admin::add_user(&db, &clock, admin_user).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(mz_server::serve(
        listener,
        AppState::new(db),
        None,
        std::future::pending(),
    ));
    let platform = format!("http://{addr}");

    let client = |name: &str| {
        let store = Store::open(&dir.path().join(format!("{name}.db")), &[5; 32]).unwrap();
        ClientApp::new(PlatformClient::new(&platform, None).unwrap(), store, name)
    };

    // The office writes the feed: 250 calendars, changed again and again.
    let office = client("office");
    office.login("admin", PASSWORD).await.unwrap();
    let ids: Vec<Uuid> = (0..YEARS).map(|_| Uuid::now_v7()).collect();
    let started = Instant::now();
    for n in 0..changes {
        let year_index = n % YEARS as usize;
        let year = 1950 + year_index as i32;
        let calendar = HolidayCalendarData {
            year,
            holidays: vec![
                format!("{year}-01-{:02}", 1 + (n / YEARS as usize) % 28)
                    .parse()
                    .unwrap(),
            ],
            working_weekends: vec![],
        };
        office
            .save_holiday_calendar(Some(ids[year_index]), calendar)
            .unwrap();
    }
    let saved = started.elapsed();
    let started = Instant::now();
    office.sync_once().await.unwrap();
    let pushed = started.elapsed();
    println!(
        "office: saved {changes} changes offline in {:.1} s ({:.0}/s), pushed them in {:.1} s ({:.0}/s)",
        saved.as_secs_f64(),
        changes as f64 / saved.as_secs_f64(),
        pushed.as_secs_f64(),
        changes as f64 / pushed.as_secs_f64()
    );

    // A new counter pulls it all.
    let counter = client("counter");
    counter.login("admin", PASSWORD).await.unwrap();
    let started = Instant::now();
    let report = counter.sync_once().await.unwrap();
    let pulled = started.elapsed();
    assert_eq!(report.pulled, changes);
    println!(
        "counter: pulled {} changes into its cache in {:.2} s: {:.0} changes/s",
        report.pulled,
        pulled.as_secs_f64(),
        report.pulled as f64 / pulled.as_secs_f64()
    );
}
