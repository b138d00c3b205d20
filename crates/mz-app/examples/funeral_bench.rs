//! The funeral front desk's waits, printed as figures (not a test).
//!
//! `cargo run --profile desktop -p mz-app --example funeral_bench [CASES] [RECORDS]`
//! starts the platform on loopback over SQLite, as standalone mode does,
//! with the demo home's setup (assets/demo), signs a desk clerk in, and
//! times each step of CASES cases (300 by default) as the desk takes them:
//! the intake, a paper checked, a hall booked, the cremation booked and
//! done, the bill priced, a payment, the certificate numbered and laid out
//! as PDF, and the sync of the day's work. Then the day board with those
//! cases, and the province's figures over RECORDS death records (1,000,000
//! by default) kept as counts per home and month.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use mz_api::funeral::home::FuneralHomeData;
use mz_api::funeral::{CallLog, Contact, Deceased, Dispatch, Ordered, PayMethod, WaiverClaim};
use mz_app::ClientApp;
use mz_app::funeral::{CaseIntake, CaseStep, Paper, PaperInput};
use mz_client::PlatformClient;
use mz_domain::funeral::{CauseCategory, WaiverGround};
use mz_domain::identity::with_check_character;
use mz_domain::marriage::DocumentType;
use mz_domain::{Role, Sex};
use mz_store::Store;

mod bench;
use bench::{PASSWORD, figures, platform};

const HOME: &str = include_str!("../../../assets/demo/changsha-funeral-home.json");

/// The steps timed, in the order the desk takes them.
const STEPS: [&str; 10] = [
    "intake (save, number from the block)",
    "paper checked",
    "hall booked",
    "cremation booked",
    "cremated",
    "bill priced",
    "payment",
    "certificate numbered",
    "certificate PDF",
    "day board (all cases)",
];

fn intake(n: usize, now: chrono::NaiveDateTime) -> (CaseIntake, String, String) {
    let birth = chrono::NaiveDate::from_ymd_opt(
        1930 + (n % 40) as i32,
        1 + (n % 12) as u32,
        1 + (n % 28) as u32,
    )
    .unwrap();
    let order = 2 * (n % 450) + 101;
    let deceased = with_check_character(&format!("430102{}{order:03}", birth.format("%Y%m%d")));
    let contact = with_check_character(&format!("43010219700101{:03}", n % 999));
    let earlier = now - chrono::TimeDelta::hours(1);
    (
        CaseIntake {
            call: CallLog {
                called_at: earlier,
                caller: "王小明".into(),
                phone: "13800000000".into(),
                place: "中南大学湘雅医院".into(),
            },
            dispatch: Some(Dispatch {
                vehicle: "湘A·D1201".into(),
                driver: "李建军".into(),
                dispatched_at: earlier,
                received_at: Some(earlier + chrono::TimeDelta::minutes(30)),
            }),
            unidentified: false,
            deceased: Deceased {
                name: "王大明".into(),
                doc_type: Some(DocumentType::IdCard),
                doc_number: deceased.clone(),
                sex: Some(Sex::Male),
                birth_date: Some(birth),
                ethnicity: "汉族".into(),
                died_at: earlier - chrono::TimeDelta::hours(1),
                death_place: "中南大学湘雅医院".into(),
                cause: CauseCategory::Natural,
                household_region: "430102".into(),
                address: "湖南省长沙市芙蓉区".into(),
            },
            contact: Some(Contact {
                name: "王小明".into(),
                doc_type: DocumentType::IdCard,
                doc_number: contact.clone(),
                relation: "儿子".into(),
                phone: "13800000000".into(),
            }),
            death_certificate_no: deceased.clone(),
            police_paper_no: String::new(),
        },
        deceased,
        contact,
    )
}

async fn one_case(desk: &ClientApp, n: usize, times: &mut [Vec<Duration>]) {
    let now = desk.china_now();
    let (form, deceased, contact) = intake(n, now);
    let mut step = 0;
    let mut time = |times: &mut [Vec<Duration>], started: Instant| {
        times[step].push(started.elapsed());
        step += 1;
    };
    let t = Instant::now();
    let id = desk.open_funeral_case(form).await.unwrap();
    time(times, t);
    let t = Instant::now();
    desk.check_funeral_paper(
        id,
        PaperInput {
            paper: Paper::Identity,
            number: deceased,
            scan: None,
        },
    )
    .unwrap();
    time(times, t);
    desk.check_funeral_paper(
        id,
        PaperInput {
            paper: Paper::Confirmation,
            number: String::new(),
            scan: None,
        },
    )
    .unwrap();
    desk.check_funeral_paper(
        id,
        PaperInput {
            paper: Paper::ContactIdentity,
            number: contact,
            scan: None,
        },
    )
    .unwrap();
    let t = Instant::now();
    // One hall slot per case: the bench's days run on past the demo's grid.
    let halls = ["1号厅", "2号厅", "3号厅"];
    let day = desk.today() + chrono::Days::new((n / 30) as u64);
    let slot = format!("{:02}:00", 7 + (n / 3) % 10);
    desk.book_hall(id, halls[n % 3].into(), day, slot).unwrap();
    time(times, t);
    let t = Instant::now();
    desk.advance_funeral_case(
        id,
        CaseStep::BookCremation {
            furnace: "1号炉".into(),
            planned_at: now,
        },
    )
    .unwrap();
    time(times, t);
    let t = Instant::now();
    desk.advance_funeral_case(
        id,
        CaseStep::Cremate {
            operator: "谭师傅".into(),
        },
    )
    .unwrap();
    time(times, t);
    let items = [
        "transport",
        "cold_storage",
        "cremation_flat",
        "urn_basic",
        "dressing",
    ]
    .into_iter()
    .map(|code| Ordered {
        code: code.into(),
        quantity: 1,
    })
    .collect();
    let waiver = n.is_multiple_of(5).then(|| WaiverClaim {
        ground: WaiverGround::Dibao,
        evidence: "湘殡免 2026-0001".into(),
    });
    let t = Instant::now();
    let bill = desk.order_funeral_services(id, items, waiver).unwrap();
    time(times, t);
    let t = Instant::now();
    desk.take_funeral_payment(id, PayMethod::Cash, bill.payable_fen, String::new())
        .unwrap();
    time(times, t);
    let t = Instant::now();
    desk.issue_cremation_certificate(id).await.unwrap();
    time(times, t);
    let t = Instant::now();
    let (_, pdf, _) = desk.cremation_certificate(id, Default::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    time(times, t);
}

#[tokio::main]
async fn main() {
    let cases: usize = std::env::args()
        .nth(1)
        .map_or(300, |a| a.parse().expect("CASES"));
    let records: i64 = std::env::args()
        .nth(2)
        .map_or(1_000_000, |a| a.parse().expect("RECORDS"));
    let dir = tempfile::tempdir().unwrap();
    let (db, addr) = platform(
        &format!("sqlite:{}/platform.db", dir.path().display()),
        &[
            ("desk", "desk", "430100-funeral", Role::FuneralDesk),
            ("head", "head", "430100-funeral", Role::FuneralHead),
            ("admin", "admin", "430000-civil", Role::Admin),
        ],
    )
    .await;
    let client = |name: &str| {
        let store = Store::open(&dir.path().join(format!("{name}.db")), &[5; 32]).unwrap();
        ClientApp::new(
            PlatformClient::new(&format!("http://{addr}"), None).unwrap(),
            store,
            name,
        )
    };
    let head = client("head");
    head.login("head", PASSWORD).await.unwrap();
    let home: FuneralHomeData = serde_json::from_str(HOME).unwrap();
    head.save_funeral_home(&home).unwrap();
    head.sync_once().await.unwrap();
    let desk = client("desk");
    desk.login("desk", PASSWORD).await.unwrap();
    desk.sync_once().await.unwrap();

    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); STEPS.len()];
    for n in 0..cases {
        one_case(&desk, n, &mut times).await;
    }
    let sync = Instant::now();
    let report = desk.sync_once().await.unwrap();
    let synced = sync.elapsed();
    assert_eq!(report.rejected + report.conflicts, 0, "{report:?}");
    for _ in 0..50 {
        let t = Instant::now();
        let board = desk.funeral_day(desk.today()).unwrap();
        assert_eq!(board.len(), cases);
        times[STEPS.len() - 1].push(t.elapsed());
    }
    println!("{cases} cases at one desk, standalone (platform on loopback, SQLite):");
    for (label, mut step) in STEPS.iter().zip(times) {
        figures(label, &mut step);
    }
    println!(
        "{:<40} {:>7.0} ms for {} entries",
        "sync of the day's work",
        synced.as_secs_f64() * 1000.0,
        report.pushed
    );

    // The day's cash report of every case, as the PDF table the head signs.
    let mut printed = Vec::new();
    let mut pages = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let (_, pdf, svg) = desk.funeral_daily_report_pdf(desk.today()).unwrap();
        printed.push(t.elapsed());
        assert!(pdf.starts_with(b"%PDF"));
        pages = svg.len();
    }
    figures(
        &format!("daily report PDF ({cases} rows, {pages} pages)"),
        &mut printed,
    );

    // The cemetery: 2,000 plots (20 sections of 10 rows of 10), plots sold
    // one after another, and the map read.
    use mz_api::funeral::cemetery::{CemeteryData, Holder, PlotSpec, Row, Section};
    let layout = CemeteryData {
        name: "福寿园".into(),
        sections: (0..20)
            .map(|s| Section {
                code: format!("S{s:02}"),
                name: String::new(),
                rows: (1..=10)
                    .map(|r| Row {
                        code: format!("{r:02}"),
                        plots: (1..=10)
                            .map(|n| PlotSpec {
                                number: format!("{n:02}"),
                                capacity: 1,
                                price_fen: 3_000_000,
                                fee_per_year_fen: 10_000,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    head.save_cemetery(&layout).unwrap();
    head.sync_once().await.unwrap();
    desk.sync_once().await.unwrap();
    let holder = Holder {
        name: "王志刚".into(),
        doc_type: DocumentType::IdCard,
        doc_number: with_check_character("43010219700101003"),
        phone: "13800000000".into(),
    };
    let mut sold = Vec::new();
    for n in 0..40 {
        let plot = format!("S{:02}-01-{:02}", n / 10, n % 10 + 1);
        let t = Instant::now();
        desk.sell_plot(&plot, holder.clone(), 20).await.unwrap();
        sold.push(t.elapsed());
    }
    figures("cemetery: plot sold (contract numbered)", &mut sold);
    let mut mapped = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let map = desk.cemetery_map().unwrap();
        mapped.push(t.elapsed());
        assert_eq!(map.sold, 40);
    }
    figures("cemetery map (2,000 plots)", &mut mapped);

    // The province's figures: RECORDS cremations over ten years in every
    // city's home, as the counts the platform keeps when they arrive (one
    // row per home, month and event); the figures read only those rows.
    let homes: Vec<(String, String)> =
        sqlx::query_as("SELECT code, region FROM org_units WHERE kind = 'funeral_home'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let months: Vec<String> = (2017..2027)
        .flat_map(|y| (1..=12).map(move |m| format!("{y}-{m:02}")))
        .collect();
    let per = records / (homes.len() as i64 * months.len() as i64);
    let mut tx = db.pool.begin().await.unwrap();
    for (code, region) in &homes {
        for month in &months {
            for (event, n) in [
                ("received", per),
                ("cremated", per),
                ("unidentified", per / 200),
            ] {
                sqlx::query(
                    "INSERT INTO funeral_counts (org_unit, month, event, region, n) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (org_unit, month, event) DO UPDATE SET n = funeral_counts.n + excluded.n",
                )
                .bind(code)
                .bind(month)
                .bind(event)
                .bind(region)
                .bind(n)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
        }
    }
    tx.commit().await.unwrap();
    let admin = client("admin");
    admin.login("admin", PASSWORD).await.unwrap();
    let mut asked = Vec::new();
    let mut total = 0;
    for _ in 0..200 {
        let t = Instant::now();
        let figures = admin.funeral_figures("2017-01", "2026-12").await.unwrap();
        asked.push(t.elapsed());
        total = figures.iter().map(|f| u64::from(f.cremated)).sum::<u64>();
    }
    println!(
        "province figures over {} homes, {} months, {total} cremations on record:",
        homes.len(),
        months.len()
    );
    figures("GET /funeral/figures (ten years, all homes)", &mut asked);
}
