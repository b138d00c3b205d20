//! The registrar's wait at the counter, printed as figures (not a test).
//!
//! `cargo run --profile desktop -p mz-app --example counter_bench [COUPLES]` starts
//! the platform on loopback over SQLite, as standalone mode does, signs a
//! registrar in, and for each of COUPLES couples (100 by default) times what
//! follows a click on 核验并登记: the form saved and checked, the platform's
//! marital-status check, a number from the counter's block, the record
//! pushed, and the certificate laid out as a PDF ready to print.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use mz_app::ClientApp;
use mz_app::marriage::{MarriageForm, RegisterOutcome};
use mz_client::PlatformClient;
use mz_domain::identity::with_check_character;
use mz_domain::marriage::{DocumentType, Party, Statements};
use mz_domain::{Role, Sex};
use mz_server::admin::{self, NewUser};
use mz_server::{AppState, Clock, Db, DbUrl};
use mz_store::Store;

const PASSWORD: &str = "bench password";

fn person(n: usize, sex: Sex) -> Party {
    let order = 2 * (n % 450) + usize::from(sex == Sex::Male) + 100;
    let birth = chrono::NaiveDate::from_ymd_opt(
        1990 + (n / 450) as i32 % 8,
        1 + (n % 12) as u32,
        1 + (n % 28) as u32,
    )
    .unwrap();
    let number = with_check_character(&format!("430102{}{order:03}", birth.format("%Y%m%d")));
    Party {
        doc_type: DocumentType::IdCard,
        doc_number: number,
        name: if sex == Sex::Male { "张伟" } else { "王芳" }.to_owned(),
        sex,
        birth_date: birth,
        ethnicity: "汉族".into(),
        nationality: "中国".into(),
        occupation: "职员".into(),
        education: "大学本科".into(),
        address: "湖南省长沙市芙蓉区".into(),
        phone: "13800000000".into(),
    }
}

async fn one_couple(counter: &ClientApp, n: usize) -> Duration {
    let form = MarriageForm {
        parties: [person(n, Sex::Male), person(n, Sex::Female)],
        statements: Statements {
            voluntary: true,
            no_spouse: true,
            no_prohibited_kinship: true,
        },
        appointment_id: None,
        photo: None,
    };
    let started = Instant::now();
    let id = counter.prepare_marriage(None, form).unwrap();
    let outcome = counter.register_marriage(id).await.unwrap();
    assert!(
        matches!(outcome, RegisterOutcome::Registered { .. }),
        "{outcome:?}"
    );
    let data = counter
        .marriages()
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
        .data;
    let (pdf, _) = mz_app::marriage::certificate(&data, 0, Default::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    started.elapsed()
}

#[tokio::main]
async fn main() {
    let couples: usize = std::env::args()
        .nth(1)
        .map_or(100, |a| a.parse().expect("COUPLES"));
    let dir = tempfile::tempdir().unwrap();
    let url: DbUrl = format!("sqlite:{}/platform.db", dir.path().display())
        .parse()
        .unwrap();
    let db = Db::open(&url).await.unwrap();
    let clock = Clock::System;
    admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
        .await
        .unwrap();
    let registrar = NewUser {
        username: "registrar",
        display_name: "registrar",
        org: "430102-marriage",
        section: None,
        roles: &[Role::Registrar],
        password: PASSWORD,
    };
    admin::add_user(&db, &clock, registrar).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(mz_server::serve(
        listener,
        AppState::new(db),
        None,
        std::future::pending(),
    ));
    let store = Store::open(&dir.path().join("counter.db"), &[5; 32]).unwrap();
    let counter = ClientApp::new(
        PlatformClient::new(&format!("http://{addr}"), None).unwrap(),
        store,
        "counter",
    );
    counter.login("registrar", PASSWORD).await.unwrap();

    // The first couple of the day also takes a block of numbers and loads
    // the fonts: reported on its own.
    let first = one_couple(&counter, 0).await;
    let mut times: Vec<Duration> = Vec::with_capacity(couples);
    for n in 1..=couples {
        times.push(one_couple(&counter, n).await);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "form submitted to certificate PDF ready, {couples} couples: median {:.1} ms, p95 {:.1} ms, worst {:.1} ms (first of the day, with a new number block and font loading: {:.1} ms)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(*times.last().unwrap()),
        ms(first)
    );
}
