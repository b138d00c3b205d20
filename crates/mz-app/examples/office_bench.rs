//! Official-document handling's waits, printed as figures (not a test).
//!
//! `cargo run --release -p mz-app --example office_bench [DOCUMENTS]`
//! starts the platform on loopback over SQLite, as standalone mode does;
//! the office registers DOCUMENTS documents (5,000 by default): all but 100
//! incoming ones handled to the end, and 100 requests waiting for the
//! principal's sign-off. The principal's desk pulls them, then the figures:
//! the inbox from the command, one step (a sign-off) with its outbox entry,
//! the principal's 数据分析 (the year's documents by section and month,
//! with the registrations' and cremations' months the leader also reads),
//! and a 30-page document laid out once and written as PDF and OFD.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use std::time::Instant;

use mz_api::documents::{OfficialDocument, Paragraph};
use mz_api::office::{Action, Person};
use mz_api::schedule::{Leader, ScheduleSetupData};
use mz_app::office::{NewIncoming, NewOutgoing, StepRequest};
use mz_domain::Role;
use mz_domain::office::DocKind;

mod bench;
use bench::{desk, figures, platform};

const OPEN: usize = 100;

fn step(action: Action, opinion: &str) -> StepRequest {
    StepRequest {
        action,
        opinion: opinion.to_owned(),
        deadline: None,
        on_behalf_of: None,
    }
}

/// A document of `paragraphs` paragraphs of ordinary 公文 prose.
fn document(title: &str, paragraphs: usize) -> OfficialDocument {
    let text = "各地要切实加强组织领导，细化工作措施，压实工作责任，确保各项救助政策落到实处，\
                让困难群众感受到党和政府的温暖；对工作中发现的问题，要及时研究解决，重大情况及时报告。";
    OfficialDocument {
        copy_no: None,
        classification: None,
        urgency: None,
        issuer_mark: "湖南省民政厅文件".to_owned(),
        issuers: Vec::new(),
        doc_number: "湘民发〔2026〕1号".to_owned(),
        signers: Vec::new(),
        upward: false,
        title: title.to_owned(),
        recipients: vec!["各市州民政局".to_owned()],
        body: (0..paragraphs)
            .map(|n| Paragraph {
                level: u8::from(n % 8 == 0),
                text: if n % 8 == 0 {
                    format!(
                        "{}、工作要求",
                        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][(n / 8) % 10]
                    )
                } else {
                    text.to_owned()
                },
            })
            .collect(),
        attachments: Vec::new(),
        signature: "湖南省民政厅".to_owned(),
        date: "2026-12-07".to_owned(),
        sealed: true,
        note: None,
        cc: Vec::new(),
        printer: None,
        print_date: None,
    }
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .map_or(5_000, |a| a.parse().expect("DOCUMENTS"));
    let dir = tempfile::tempdir().unwrap();
    let (_, addr) = platform(
        &format!("sqlite:{}/platform.db", dir.path().display()),
        &[
            ("office", "办公室", "430000-civil", Role::OfficeStaff),
            ("leader", "周志远", "430000-civil", Role::Leader),
        ],
    )
    .await;
    let office = desk(addr, dir.path(), "office").await;
    let leader = desk(addr, dir.path(), "leader").await;
    let me = leader.user().unwrap().unwrap();
    let principal = Person {
        user_id: me.id.to_string(),
        name: me.display_name.clone(),
    };
    office
        .save_schedule_setup(&ScheduleSetupData {
            leaders: vec![Leader {
                user_id: principal.user_id.clone(),
                name: principal.name.clone(),
                title: "厅长".into(),
                principal: true,
                executive_deputy: false,
            }],
            secretaries: Vec::new(),
            travel_minutes: 30,
            feed_confidential: mz_api::schedule::ics::ConfidentialAs::Busy,
            office_head: None,
        })
        .unwrap();
    let clerk = office.user().unwrap().unwrap();
    let clerk = Person {
        user_id: clerk.id.to_string(),
        name: clerk.display_name,
    };

    let started = Instant::now();
    let mut open = Vec::new();
    for n in 0..count {
        if n < OPEN {
            let id = office
                .office_new_outgoing(NewOutgoing {
                    kind: DocKind::Request,
                    important: false,
                    document: document(&format!("关于第{n}项工作的请示"), 3),
                })
                .unwrap();
            office.office_act(id, step(Action::Submit, "")).unwrap();
            office
                .office_act(
                    id,
                    step(
                        Action::Approve {
                            signer: principal.clone(),
                        },
                        "拟同意",
                    ),
                )
                .unwrap();
            open.push(id);
        } else {
            let id = office
                .office_new_incoming(NewIncoming {
                    kind: DocKind::Notice,
                    title: format!("关于第{n}项工作的通知"),
                    sender: "民政部".into(),
                    sender_number: format!("民发〔2026〕{}号", n + 1),
                    received_on: office.today(),
                    urgency: None,
                    classification: None,
                    deadline: None,
                    file: None,
                })
                .unwrap();
            office.office_act(id, step(Action::Accept, "")).unwrap();
            let assign = Action::Assign {
                lead: clerk.clone(),
                co: Vec::new(),
            };
            office.office_act(id, step(assign, "请办理")).unwrap();
            office
                .office_act(id, step(Action::Reply, "已办理"))
                .unwrap();
        }
        if n % 500 == 499 {
            office.sync_once().await.unwrap();
        }
    }
    office.sync_once().await.unwrap();
    assert!(office.sync_issues().unwrap().is_empty());
    let made = started.elapsed();
    let started = Instant::now();
    leader.sync_once().await.unwrap();
    let pulled = started.elapsed();
    println!(
        "{count} documents registered and sent by the office in {:.1} s; the principal's desk pulled them in {:.1} s",
        made.as_secs_f64(),
        pulled.as_secs_f64()
    );

    let mut times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        let inbox = leader.office_inbox().unwrap();
        times.push(started.elapsed());
        assert_eq!(inbox.to_do.len(), OPEN);
        assert_eq!(inbox.total, count);
    }
    figures(
        &format!("the principal's inbox, {count} documents ({OPEN} open)"),
        &mut times,
    );

    let mut times = Vec::new();
    for id in &open {
        let started = Instant::now();
        let sign = Action::SignOff {
            circled: false,
            on_behalf_of: None,
        };
        leader.office_act(*id, step(sign, "同意")).unwrap();
        times.push(started.elapsed());
    }
    figures("a sign-off with its outbox entry", &mut times);

    // 数据分析 for the year so far: every question to the platform at once.
    let today = leader.today();
    let (from, to) = (
        today.format("%Y-01").to_string(),
        today.format("%Y-%m").to_string(),
    );
    let mut times = Vec::new();
    let mut months = 0;
    for _ in 0..30 {
        let started = Instant::now();
        let dashboard = leader.dashboard(&from, &to).await.unwrap();
        times.push(started.elapsed());
        months = dashboard.months.len();
        let documents = dashboard.documents.unwrap();
        let done: u32 = documents.months.iter().map(|m| m.documents_done).sum();
        assert_eq!(done as usize + OPEN, count);
    }
    figures(
        &format!("the principal's 数据分析, {count} documents, {months} months"),
        &mut times,
    );

    let long = document("关于进一步加强和改进社会救助工作的实施意见", 232);
    // The first lays out with the fonts not yet loaded.
    let started = Instant::now();
    let pages = mz_app::documents::document_files(&long)
        .unwrap()
        .pages_svg
        .len();
    println!(
        "the first, fonts loaded: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        mz_app::documents::document_files(&long).unwrap();
        times.push(started.elapsed());
    }
    figures(
        &format!("a {pages}-page document as PDF and OFD (and SVG)"),
        &mut times,
    );
}
