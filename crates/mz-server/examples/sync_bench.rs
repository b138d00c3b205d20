//! Sync throughput over loopback HTTP, printed as figures (not a test).
//!
//! `cargo run --release -p mz-server --example sync_bench -- <db-url> [seconds]`
//! on an empty database: starts the platform on 127.0.0.1, pushes 10,000
//! entries in batches of 500, fills the feed to 100,000 changes, pulls them
//! all in pages of 1,000, then runs 100 concurrent clients pulling one page
//! each, again and again, for `seconds` (60 by default). scripts/bench.sh runs
//! it on SQLite and PostgreSQL and sets pgbench beside it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use mz_domain::Role;
use mz_server::admin::{self, NewUser};
use mz_server::{AppState, Clock, Db, DbUrl};
use serde_json::{Value, json};

const PASSWORD: &str = "bench password";
const YEARS: i32 = 250;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn report(label: &str, items: usize, elapsed: Duration, mut latencies: Vec<Duration>) {
    latencies.sort();
    println!(
        "{label:<34} {:>9.0} /s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({items} in {:.2} s, {} requests)",
        items as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        elapsed.as_secs_f64(),
        latencies.len()
    );
}

/// One batch of 500 entries: two new versions of each of the 250 calendars.
fn batch(first_seq: i64, versions: &mut [i64], ids: &[String]) -> Value {
    let mut entries = Vec::with_capacity(500);
    let mut seq = first_seq;
    for _round in 0..2 {
        for (i, id) in ids.iter().enumerate() {
            let year = 1950 + i as i32;
            let day = format!("{year}-01-{:02}", 1 + (versions[i] % 28));
            entries.push(json!({
                "device_seq": seq, "kind": "holiday_calendar", "record_id": id, "op": "upsert",
                "base_version": versions[i],
                "data": { "year": year, "holidays": [day], "working_weekends": [] }
            }));
            versions[i] += 1;
            seq += 1;
        }
    }
    json!({ "entries": entries })
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url: DbUrl = args
        .next()
        .expect("usage: sync_bench <db-url> [seconds]")
        .parse()
        .unwrap();
    let seconds: u64 = args.next().map(|s| s.parse().unwrap()).unwrap_or(60);
    let db = Db::open(&url).await.unwrap();
    let clock = Clock::System;
    admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
        .await
        .unwrap();
    let user = NewUser {
        username: "bench",
        display_name: "bench",
        org: "430000-civil",
        section: None,
        roles: &[Role::Admin],
        password: PASSWORD,
    };
    admin::add_user(&db, &clock, user).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(mz_server::serve(
        listener,
        AppState::new(db.clone()),
        None,
        std::future::pending(),
    ));
    let base = format!("http://{addr}/api/v1");
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/auth/login"))
        .json(&json!({ "username": "bench", "password": PASSWORD, "device_id": uuid::Uuid::now_v7(), "device_name": "bench" }))
        .send().await.unwrap().json().await.unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    println!("storage: {}", db.backend.as_str());

    let ids: Vec<String> = (0..YEARS)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let mut versions = vec![0_i64; ids.len()];
    let mut device_seq = 1;
    let mut push_batches = |count: usize, versions: &mut Vec<i64>| {
        let bodies: Vec<Value> = (0..count)
            .map(|_| {
                let body = batch(device_seq, versions, &ids);
                device_seq += 500;
                body
            })
            .collect();
        bodies
    };

    // 1. Push 10,000 entries in batches of 500.
    let bodies = push_batches(20, &mut versions);
    let mut latencies = Vec::new();
    let started = Instant::now();
    for body in &bodies {
        let t = Instant::now();
        let response: Value = client
            .post(format!("{base}/sync/push"))
            .bearer_auth(&token)
            .json(body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        latencies.push(t.elapsed());
        let applied = response["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["status"] == "applied")
            .count();
        assert_eq!(applied, 500, "{response}");
    }
    report(
        "push 10,000 entries (batches of 500)",
        10_000,
        started.elapsed(),
        latencies,
    );

    // Fill the feed to 100,000 changes (not measured).
    for body in push_batches(180, &mut versions) {
        client
            .post(format!("{base}/sync/push"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }

    // 2. Pull 100,000 changes in pages of 1,000.
    let mut after = 0_i64;
    let mut pulled = 0;
    let mut latencies = Vec::new();
    let started = Instant::now();
    loop {
        let t = Instant::now();
        let page: Value = client
            .get(format!("{base}/sync/pull?after={after}&limit=1000"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        latencies.push(t.elapsed());
        pulled += page["changes"].as_array().unwrap().len();
        after = page["next"].as_i64().unwrap();
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(pulled, 100_000);
    report(
        "pull 100,000 changes (pages of 1,000)",
        pulled,
        started.elapsed(),
        latencies,
    );

    // 3. 100 clients, each pulling one page again and again.
    // Pages of 1,000 and 100 from anywhere in the feed, and pages at the head
    // (a client that is up to date and polls for news: the steady state).
    for (page_size, at_head) in [(1000_i64, false), (100, false), (1000, true)] {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        let token = Arc::new(token.clone());
        for client_index in 0..100_i64 {
            let client = reqwest::Client::new();
            let base = base.clone();
            let token = token.clone();
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0_i64;
                while Instant::now() < deadline {
                    let after = if at_head {
                        100_000 - (n % 3)
                    } else {
                        (client_index * 997 + n * 7919) % (100_000 - page_size)
                    };
                    let t = Instant::now();
                    let response = client
                        .get(format!("{base}/sync/pull?after={after}&limit={page_size}"))
                        .bearer_auth(token.as_str())
                        .send()
                        .await
                        .unwrap();
                    let _ = response.bytes().await.unwrap();
                    latencies.push(t.elapsed());
                    n += 1;
                }
                latencies
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let requests = all.len();
        let label = if at_head {
            format!("100 clients polling at the head, {seconds} s")
        } else {
            format!("100 clients, pages of {page_size}, {seconds} s")
        };
        let items = if at_head {
            requests
        } else {
            requests * page_size as usize
        };
        report(&label, items, started.elapsed(), all);
    }
}
