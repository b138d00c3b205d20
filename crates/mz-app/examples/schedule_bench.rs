//! The leadership schedule's waits, printed as figures (not a test).
//!
//! `cargo run --profile desktop -p mz-app --example schedule_bench [ACTIVITIES]`
//! starts the platform on loopback over SQLite, as standalone mode does,
//! sets up 10 leaders, places ACTIVITIES activities (200 by default) in one
//! week as the office would, and a weekly meeting of each leader for a year
//! (repeats expanded in the week), then times the week view from the
//! command, the week's table as a landscape PDF, the iCalendar writer and
//! reader over a year of one leader (1,000 events), and a leader's phone
//! feed fetched by 100 phones at once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use chrono::Datelike;
use mz_api::schedule::{ActivityData, Leader, ScheduleSetupData};
use mz_app::ClientApp;
use mz_client::PlatformClient;
use mz_domain::Role;
use mz_domain::schedule::{Visibility, When};
use mz_store::Store;

mod bench;
use bench::{PASSWORD, figures, platform};

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .map_or(200, |a| a.parse().expect("ACTIVITIES"));
    let dir = tempfile::tempdir().unwrap();
    let (_, addr) = platform(
        &format!("sqlite:{}/platform.db", dir.path().display()),
        &[("office", "办公室", "430000-civil", Role::OfficeStaff)],
    )
    .await;
    let store = Store::open(&dir.path().join("office.db"), &[5; 32]).unwrap();
    let office = ClientApp::new(
        PlatformClient::new(&format!("http://{addr}"), None).unwrap(),
        store,
        "office",
    );
    office.login("office", PASSWORD).await.unwrap();
    let leaders: Vec<Leader> = (0..10)
        .map(|n| Leader {
            user_id: format!("leader-{n}"),
            name: format!("领导{n}"),
            title: "副厅长".into(),
            principal: n == 0,
            executive_deputy: n == 1,
        })
        .collect();
    office
        .save_schedule_setup(&ScheduleSetupData {
            leaders: leaders.clone(),
            secretaries: Vec::new(),
            travel_minutes: 30,
            feed_confidential: mz_api::schedule::ics::ConfidentialAs::Busy,
            office_head: None,
        })
        .unwrap();
    let today = office.today();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    for n in 0..count {
        // Each leader's day in half-hour activities, one after another.
        let leader = &leaders[n % 10];
        let slot = n / 10;
        let day = monday + chrono::Duration::days((slot / 4) as i64 % 7);
        let start = day.and_hms_opt(8 + (slot % 4) as u32 * 3, 0, 0).unwrap();
        let data = ActivityData {
            leaders: vec![leader.user_id.clone()],
            when: When::Timed {
                start,
                end: start + chrono::Duration::minutes(90),
            },
            place: "厅机关".into(),
            content: format!("专题会议 {n}"),
            organiser: "办公室".into(),
            attendees: Vec::new(),
            accompany: Vec::new(),
            visibility: Visibility::Public,
            override_reason: None,
            cancelled: false,
            repeat: None,
            occurrence_of: None,
            affair: None,
            sequence: None,
        };
        office.save_activity(None, data).unwrap();
    }
    // Each leader's weekly meeting, every Monday evening for a year.
    for leader in &leaders {
        let start = monday.and_hms_opt(19, 0, 0).unwrap();
        let data = ActivityData {
            leaders: vec![leader.user_id.clone()],
            when: When::Timed {
                start,
                end: start + chrono::Duration::minutes(60),
            },
            place: "厅机关".into(),
            content: "分管处室周例会".into(),
            organiser: "办公室".into(),
            attendees: Vec::new(),
            accompany: Vec::new(),
            visibility: Visibility::Internal,
            override_reason: None,
            cancelled: false,
            repeat: Some(mz_domain::schedule::Repeat {
                rule: "FREQ=WEEKLY;BYDAY=MO;COUNT=52".into(),
                skip_rest_days: true,
                except: Vec::new(),
            }),
            occurrence_of: None,
            affair: None,
            sequence: None,
        };
        office.save_activity(None, data).unwrap();
    }
    let report = office.sync_once().await.unwrap();
    assert_eq!(report.rejected + report.conflicts, 0, "{report:?}");
    let mut weeks = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let week = office.schedule_week(today).unwrap();
        weeks.push(t.elapsed());
        let placed: usize = week
            .days
            .iter()
            .flat_map(|d| d.slots.iter())
            .map(Vec::len)
            .sum();
        assert!(placed >= count, "{placed}");
    }
    let mut tables = Vec::new();
    let mut pages = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let (_, pdf, svg) = office.week_table_pdf(today).unwrap();
        tables.push(t.elapsed());
        assert!(pdf.starts_with(b"%PDF"));
        pages = svg.len();
    }
    // A year of one leader: 1,000 activities, written and read back.
    let year: Vec<ActivityData> = (0..1000)
        .map(|n| {
            let start = (monday + chrono::Duration::days(n / 3))
                .and_hms_opt(8 + (n % 3) as u32 * 4, 0, 0)
                .unwrap();
            ActivityData {
                leaders: vec!["leader-0".into()],
                when: When::Timed {
                    start,
                    end: start + chrono::Duration::minutes(90),
                },
                place: "厅机关 3 楼会议室".into(),
                content: format!("专题会议 {n}"),
                organiser: "办公室".into(),
                attendees: vec!["各处室负责人".into()],
                accompany: Vec::new(),
                visibility: Visibility::Public,
                override_reason: None,
                cancelled: false,
                repeat: None,
                occurrence_of: None,
                affair: None,
                sequence: None,
            }
        })
        .collect();
    let ids: Vec<uuid::Uuid> = (0..year.len()).map(|_| uuid::Uuid::now_v7()).collect();
    let names = vec!["领导0".to_owned()];
    let items: Vec<mz_api::schedule::ics::CalendarItem<'_>> = year
        .iter()
        .zip(&ids)
        .map(|(data, id)| mz_api::schedule::ics::CalendarItem {
            id: *id,
            data,
            leader_names: &names,
        })
        .collect();
    let no_rest = |_: chrono::NaiveDate| false;
    let options = mz_api::schedule::ics::WriteOptions {
        name: "领导0的日程",
        stamp: chrono::Utc::now(),
        confidential: mz_api::schedule::ics::ConfidentialAs::Shown,
        refresh_minutes: None,
        rest: &no_rest,
    };
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    let mut text = String::new();
    for _ in 0..20 {
        let t = Instant::now();
        text = mz_api::schedule::ics::write_calendar(&items, &options);
        writes.push(t.elapsed());
        let t = Instant::now();
        let read = mz_api::schedule::ics::read_calendar(&text, &no_rest).unwrap();
        reads.push(t.elapsed());
        assert_eq!(read.len(), 1000);
    }

    // A leader's phone feed, fetched by 100 phones at once, 10 times each.
    let feed = office
        .create_schedule_feed("leader-0".into())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    // One phone at a time: what one fetch costs.
    let mut alone = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let answer = http.get(&feed.url).send().await.unwrap();
        assert!(answer.status().is_success());
        answer.text().await.unwrap();
        alone.push(t.elapsed());
    }
    // 100 phones polling, each about once a second (phones poll every few
    // hours: this is thousands of times the load of a department's phones).
    let mut polling = Vec::new();
    let mut phones = Vec::new();
    for phone in 0..100_u64 {
        let (http, url) = (http.clone(), feed.url.clone());
        phones.push(tokio::spawn(async move {
            let mut times = Vec::new();
            tokio::time::sleep(Duration::from_millis(phone * 10)).await;
            for _ in 0..10 {
                let t = Instant::now();
                let answer = http.get(&url).send().await.unwrap();
                assert!(answer.status().is_success());
                answer.text().await.unwrap();
                times.push(t.elapsed());
                tokio::time::sleep(Duration::from_millis(1000)).await;
            }
            times
        }));
    }
    for phone in phones {
        polling.extend(phone.await.unwrap());
    }
    // 100 phones at once, each fetching again as soon as it has its answer.
    let mut phones = Vec::new();
    for _ in 0..100 {
        let (http, url) = (http.clone(), feed.url.clone());
        phones.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..10 {
                let t = Instant::now();
                let answer = http.get(&url).send().await.unwrap();
                assert!(answer.status().is_success());
                let body = answer.text().await.unwrap();
                times.push(t.elapsed());
                assert!(body.contains("BEGIN:VCALENDAR"));
            }
            times
        }));
    }
    let mut fetches = Vec::new();
    for phone in phones {
        fetches.extend(phone.await.unwrap());
    }

    println!(
        "10 leaders, {count} activities in one week and a weekly meeting each, standalone (platform on loopback, SQLite):"
    );
    figures("week view (from the command)", &mut weeks);
    figures(
        &format!("week's table PDF ({pages} pages, landscape)"),
        &mut tables,
    );
    figures(
        &format!(
            "iCalendar of 1,000 events written ({} KB)",
            text.len() / 1024
        ),
        &mut writes,
    );
    figures("iCalendar of 1,000 events read back", &mut reads);
    let p99 = |times: &mut Vec<Duration>| {
        times.sort();
        times[(times.len() * 99 / 100).min(times.len() - 1)].as_secs_f64() * 1000.0
    };
    figures("phone feed, one phone at a time", &mut alone);
    println!("  p99 {:.2} ms", p99(&mut alone));
    figures("phone feed, 100 phones polling each second", &mut polling);
    println!("  p99 {:.2} ms", p99(&mut polling));
    figures("phone feed, 100 phones at once, back to back", &mut fetches);
    println!("  p99 {:.2} ms", p99(&mut fetches));
}
