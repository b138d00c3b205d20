//! The funeral front desk's day: a case opened at the call with its number
//! from the desk's block, the papers checked one by one, cremation refused
//! until every paper is there — offline too — then cremated, certified and
//! the ashes handed over, synced to the platform and seen by a colleague.

use crate::common::{PASSWORD, Platform, client_app};
use mz_api::funeral::{CallLog, Contact, Deceased, Dispatch};
use mz_app::AppError;
use mz_app::funeral::{CaseIntake, CaseStep, Paper, PaperInput};
use mz_domain::funeral::{CaseStage, CauseCategory, CertificateState};
use mz_domain::marriage::DocumentType;
use mz_sheets::{Column, ColumnKind, Sheet, Value};

fn intake(now: chrono::NaiveDateTime, deceased_id: &str) -> CaseIntake {
    let earlier = now - chrono::TimeDelta::hours(2);
    CaseIntake {
        call: CallLog {
            called_at: earlier,
            caller: "王小明".to_owned(),
            phone: "13800000000".to_owned(),
            place: "湘雅医院".to_owned(),
        },
        dispatch: Some(Dispatch {
            vehicle: "湘A·12345".to_owned(),
            driver: "李师傅".to_owned(),
            dispatched_at: earlier,
            received_at: Some(now - chrono::TimeDelta::hours(1)),
        }),
        unidentified: false,
        deceased: Deceased {
            name: "王大明".to_owned(),
            doc_type: Some(DocumentType::IdCard),
            doc_number: deceased_id.to_owned(),
            sex: Some(mz_domain::Sex::Male),
            birth_date: chrono::NaiveDate::from_ymd_opt(1940, 1, 1),
            ethnicity: "汉族".to_owned(),
            died_at: earlier - chrono::TimeDelta::hours(1),
            death_place: "湘雅医院".to_owned(),
            cause: CauseCategory::Natural,
            household_region: "430102".to_owned(),
            address: "五一大道 1 号".to_owned(),
        },
        contact: Some(Contact {
            name: "王小明".to_owned(),
            doc_type: DocumentType::IdCard,
            doc_number: mz_domain::identity::with_check_character("43010219700101003"),
            relation: "儿子".to_owned(),
            phone: "13800000000".to_owned(),
        }),
        // The 2026 certificate: the deceased's own number.
        death_certificate_no: deceased_id.to_owned(),
        police_paper_no: String::new(),
    }
}

fn rule_fields(error: AppError) -> Vec<String> {
    match error {
        AppError::Rules(issues) => issues.into_iter().map(|i| i.field).collect(),
        other => panic!("not a rule: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_goes_from_the_call_to_the_ashes_and_waits_for_its_papers_offline_too() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let desk = client_app(&platform, &dir, "desk-1");
    desk.login("funeral", PASSWORD).await.unwrap();
    // The first sync holds blocks of case and certificate numbers ahead.
    desk.sync_once().await.unwrap();
    let year = chrono::Datelike::year(&desk.today());
    assert_eq!(desk.numbers_left(&format!("YT-430100-{year}")).unwrap(), 50);
    assert_eq!(desk.numbers_left(&format!("HZ-430100-{year}")).unwrap(), 50);

    // The network goes; the desk goes on.
    platform.halt().await;
    let now = desk.china_now();
    let deceased = mz_domain::identity::with_check_character("43010219400101001");
    // A form in error spends no number.
    let mut wrong = intake(now, &deceased);
    wrong.deceased.sex = Some(mz_domain::Sex::Female);
    wrong.death_certificate_no = "湘A-0012".to_owned();
    let fields = rule_fields(desk.open_funeral_case(wrong).await.unwrap_err());
    assert_eq!(fields, ["deceased.sex", "checks.death_certificate.number"]);
    let id = desk
        .open_funeral_case(intake(now, &deceased))
        .await
        .unwrap();
    let case = &desk.funeral_day(desk.today()).unwrap()[0];
    assert_eq!(case.data.case_no, format!("YT430100-{year}-000001"));
    assert_eq!(case.data.stage, CaseStage::Received);
    assert_eq!(case.waiting_for.len(), 3, "{:?}", case.waiting_for);

    // The preparation room's work: ordered, then done by its hand.
    desk.order_funeral_work(id, mz_api::funeral::WorkKind::Cosmetic, "淡妆".to_owned())
        .unwrap();
    desk.finish_funeral_work(id, 0, "化妆师".to_owned())
        .unwrap();
    let fields = rule_fields(
        desk.finish_funeral_work(id, 0, "另一人".to_owned())
            .unwrap_err(),
    );
    assert_eq!(fields, ["work_orders[0]"]);

    // Cremation waits for every paper, each named.
    desk.advance_funeral_case(
        id,
        CaseStep::BookCremation {
            furnace: "1 号平板炉".to_owned(),
            planned_at: now + chrono::TimeDelta::minutes(30),
        },
    )
    .unwrap();
    let cremate = || CaseStep::Cremate {
        operator: "赵师傅".to_owned(),
    };
    let fields = rule_fields(desk.advance_funeral_case(id, cremate()).unwrap_err());
    assert_eq!(
        fields,
        [
            "checks.identity",
            "checks.confirmation",
            "checks.contact_identity"
        ]
    );
    let contact = mz_domain::identity::with_check_character("43010219700101003");
    for (paper, number) in [
        (Paper::Identity, deceased.as_str()),
        (Paper::Confirmation, ""),
        (Paper::ContactIdentity, contact.as_str()),
    ] {
        desk.check_funeral_paper(
            id,
            PaperInput {
                paper,
                number: number.to_owned(),
                scan: None,
            },
        )
        .unwrap();
    }
    assert!(desk.funeral_cases().unwrap()[0].waiting_for.is_empty());
    desk.advance_funeral_case(id, cremate()).unwrap();
    // Cremated: the papers it was decided on stay.
    let fields = rule_fields(desk.uncheck_funeral_paper(id, Paper::Identity).unwrap_err());
    assert_eq!(fields, ["checks.identity"]);
    let number = desk.issue_cremation_certificate(id).await.unwrap();
    assert_eq!(number, format!("HZ430100-{year}-000001"));
    let offset = mz_print::forms::Offset {
        x_mm: 0.0,
        y_mm: 0.0,
    };
    let (name, pdf, svg) = desk.cremation_certificate(id, offset).unwrap();
    assert!(name.contains(&number) && pdf.starts_with(b"%PDF") && svg.len() == 1);
    desk.collect_cremation_certificate(
        id,
        "王小明".to_owned(),
        DocumentType::IdCard,
        contact.clone(),
    )
    .unwrap();
    // Kept at the home for a year first: on the overdue list within a
    // year, not within a month; then taken home.
    desk.advance_funeral_case(
        id,
        CaseStep::DepositAshes {
            niche: "寄存楼 2-105".to_owned(),
            agreement_no: "JC2026-0012".to_owned(),
            years: 1,
        },
    )
    .unwrap();
    assert_eq!(desk.ashes_due(400).unwrap().len(), 1);
    assert_eq!(desk.ashes_in_storage().unwrap().len(), 1);
    assert!(desk.ashes_due(30).unwrap().is_empty());
    desk.advance_funeral_case(
        id,
        CaseStep::HandOverAshes {
            to: "王小明".to_owned(),
            doc_type: DocumentType::IdCard,
            doc_number: contact.clone(),
        },
    )
    .unwrap();

    // Back online: everything reaches the platform, applied, and a colleague sees it.
    platform.resume();
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{report:?}");
    assert!(desk.sync_issues().unwrap().is_empty());
    let colleague = client_app(&platform, &dir, "desk-2");
    colleague.login("funeral_head", PASSWORD).await.unwrap();
    colleague.sync_once().await.unwrap();
    let seen = colleague.funeral_cases().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].data.stage, CaseStage::AshesCollected);
    let certificate = seen[0].data.certificate.as_ref().unwrap();
    assert_eq!(certificate.state, CertificateState::Collected);
    // Collected, the certificate is not reprinted; a lost one is issued
    // again only to the one who collected it, with a new number.
    let fields = rule_fields(
        desk.reprint_cremation_certificate(id, "打印错位")
            .await
            .unwrap_err(),
    );
    assert_eq!(fields, ["certificate.state"]);
    let fields = rule_fields(
        desk.reissue_cremation_certificate(id, deceased.clone(), "遗失".to_owned())
            .await
            .unwrap_err(),
    );
    assert_eq!(fields, ["certificate.reissues"]);
    let again = desk
        .reissue_cremation_certificate(id, contact.clone(), "遗失".to_owned())
        .await
        .unwrap();
    assert_eq!(again, format!("HZ430100-{year}-000002"));
    let (name, _, _) = desk.cremation_certificate(id, offset).unwrap();
    assert!(name.contains(&again), "{name}");
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{report:?} {:?}", desk.sync_issues());

    // Registered, then written off; never back.
    desk.advance_cremation_certificate(id, CertificateState::Registered)
        .unwrap();
    desk.advance_cremation_certificate(id, CertificateState::WrittenOff)
        .unwrap();
    let fields = rule_fields(
        desk.advance_cremation_certificate(id, CertificateState::Collected)
            .unwrap_err(),
    );
    assert_eq!(fields, ["certificate.state"]);

    // The month's death data has its row; a month of another form is refused.
    let this_month = desk.today().format("%Y-%m").to_string();
    let (rows, xlsx) = desk.death_records_xlsx(&this_month).unwrap();
    assert_eq!(rows, 1);
    assert!(xlsx.starts_with(b"PK"));
    let fields = rule_fields(desk.death_records_xlsx("../2026").unwrap_err());
    assert_eq!(fields, ["month"]);
    // Its figures count it.
    let month = desk.today().format("%Y-%m").to_string();
    let figures = desk.funeral_figures(&month, &month).await.unwrap();
    assert_eq!(
        (figures[0].received, figures[0].cremated, figures[0].waived),
        (1, 1, 0)
    );
}

/// The home's fee workbook: the schedule, and the waivers of Hunan's basic
/// services for 低保 and the others. `price` is the cremation's, as text
/// when a clerk typed it wrong.
fn fee_workbook(cremation_price: Value) -> Vec<u8> {
    let text = |s: &str| Value::Text(s.to_owned());
    let schedule = Sheet {
        name: "收费清单".to_owned(),
        columns: ["项目编码", "项目名称", "计价单位", "单价（元）", "服务类别"]
            .into_iter()
            .map(|h| Column::new(h, ColumnKind::Text))
            .collect(),
        rows: vec![
            vec![
                text("transport"),
                text("遗体接运"),
                text("次"),
                Value::Integer(300),
                text("基本"),
            ],
            vec![
                text("cremation_flat"),
                text("平板炉火化"),
                text("具"),
                cremation_price,
                text("基本"),
            ],
            vec![
                text("urn_fine"),
                text("骨灰盒（木质）"),
                text("个"),
                Value::Integer(1280),
                text("非基本"),
            ],
        ],
    };
    let waivers = Sheet {
        name: "减免规则".to_owned(),
        columns: ["减免对象", "减免项目编码", "最多数量", "每具限额（元）"]
            .into_iter()
            .map(|h| Column::new(h, ColumnKind::Text))
            .collect(),
        rows: vec![
            vec![
                text("低保、特困、三无、无名遗体"),
                text("transport"),
                Value::Integer(1),
                Value::Empty,
            ],
            vec![
                text("低保、特困、三无、无名遗体"),
                text("cremation_flat"),
                Value::Integer(1),
                Value::Empty,
            ],
            vec![
                text("低保、特困、三无、无名遗体"),
                text("urn_fine"),
                Value::Integer(1),
                Value::Integer(200),
            ],
        ],
    };
    mz_sheets::to_xlsx_bytes(&[schedule, waivers]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dibao_familys_bill_is_waived_paid_and_in_the_days_report() {
    use mz_api::funeral::{Ordered, PayMethod, WaiverClaim};
    use mz_domain::funeral::WaiverGround;
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    // The head sets the prices; the desk prices by them.
    let head = client_app(&platform, &dir, "head");
    head.login("funeral_head", PASSWORD).await.unwrap();
    let desk = client_app(&platform, &dir, "desk-1");
    desk.login("funeral", PASSWORD).await.unwrap();
    desk.sync_once().await.unwrap();

    // The province publishes its standard: the list with its highest prices
    // and the waivers every home grants.
    let province = client_app(&platform, &dir, "province");
    province.login("admin", PASSWORD).await.unwrap();
    province.sync_once().await.unwrap();
    let published = province
        .import_funeral_standard(fee_workbook(Value::Integer(450)))
        .unwrap();
    assert_eq!(
        (published.items, published.waivers),
        (3, 3),
        "{published:?}"
    );
    let report = province.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{:?}", province.sync_issues());
    head.sync_once().await.unwrap();
    assert_eq!(head.funeral_standards().unwrap().len(), 1);
    // Dearer than the province allows: nothing taken, the price cell named.
    let dear = head
        .import_fee_schedule(fee_workbook(Value::Integer(500)))
        .unwrap();
    assert_eq!((dear.items, dear.issues.len()), (0, 1), "{dear:?}");
    assert_eq!(
        (dear.issues[0].row, dear.issues[0].column.as_deref()),
        (3, Some("D"))
    );
    assert!(dear.issues[0].reason.contains("高于上级标准"), "{dear:?}");

    // A schedule with a price typed as words: nothing is taken, the cell named.
    let bad = head
        .import_fee_schedule(fee_workbook(Value::Text("四百五".to_owned())))
        .unwrap();
    assert_eq!((bad.items, bad.issues.len()), (0, 1), "{bad:?}");
    assert_eq!(
        (bad.issues[0].row, bad.issues[0].column.as_deref()),
        (3, Some("D"))
    );
    assert!(head.funeral_home().unwrap().fee_items.is_empty());
    let done = head
        .import_fee_schedule(fee_workbook(Value::Integer(450)))
        .unwrap();
    assert_eq!((done.items, done.waivers), (3, 3), "{done:?}");
    head.sync_once().await.unwrap();
    desk.sync_once().await.unwrap();
    assert_eq!(desk.funeral_home().unwrap().fee_items.len(), 3);
    // The desk's own schedule is refused on the platform: the head's to set.
    desk.import_fee_schedule(fee_workbook(Value::Integer(1)))
        .unwrap();
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.rejected, 1, "{report:?}");
    let refused = desk.sync_issues().unwrap();
    assert_eq!(
        refused[0].code,
        Some(mz_api::ErrorCode::Forbidden),
        "{refused:?}"
    );
    desk.resolve(refused[0].device_seq, &mz_store::Resolution::TakeTheirs)
        .unwrap();
    assert_eq!(
        desk.funeral_home().unwrap().fee_items[1].unit_price_fen,
        45_000
    );

    let now = desk.china_now();
    let deceased = mz_domain::identity::with_check_character("43010219400101001");
    let id = desk
        .open_funeral_case(intake(now, &deceased))
        .await
        .unwrap();
    let items = vec![
        Ordered {
            code: "transport".to_owned(),
            quantity: 1,
        },
        Ordered {
            code: "cremation_flat".to_owned(),
            quantity: 1,
        },
        Ordered {
            code: "urn_fine".to_owned(),
            quantity: 1,
        },
    ];
    // An item outside the schedule is never charged.
    let outside = vec![Ordered {
        code: "vip_hall".to_owned(),
        quantity: 1,
    }];
    let fields = rule_fields(desk.order_funeral_services(id, outside, None).unwrap_err());
    assert_eq!(fields, ["bill.items[0].code"]);
    // 低保: 接运 and 火化 waived whole, the urn up to 200 元.
    let waiver = WaiverClaim {
        ground: WaiverGround::Dibao,
        evidence: "湘殡免 2026-0031".to_owned(),
    };
    let bill = desk
        .order_funeral_services(id, items, Some(waiver))
        .unwrap();
    assert_eq!(
        (bill.total_fen, bill.waived_fen, bill.payable_fen),
        (203_000, 95_000, 108_000)
    );
    // Paid in two ways; a refund larger than what was paid is refused.
    desk.take_funeral_payment(id, PayMethod::Cash, 8_000, String::new())
        .unwrap();
    desk.take_funeral_payment(id, PayMethod::Card, 100_000, "POS 0012".to_owned())
        .unwrap();
    let fields = rule_fields(
        desk.take_funeral_payment(id, PayMethod::Cash, 1, String::new())
            .unwrap_err(),
    );
    assert_eq!(fields, ["bill.payments"]);
    let fields = rule_fields(
        desk.refund_funeral_payment(id, 108_001, "多收".to_owned())
            .unwrap_err(),
    );
    assert_eq!(fields, ["bill.refunds"]);
    desk.refund_funeral_payment(id, 8_000, "家属改为刷卡".to_owned())
        .unwrap();
    desk.take_funeral_payment(id, PayMethod::Card, 8_000, "POS 0013".to_owned())
        .unwrap();

    let report = desk.funeral_daily_report(now.date()).unwrap();
    assert_eq!(report.rows.len(), 4);
    assert_eq!(
        (
            report.cash_fen,
            report.card_fen,
            report.refunded_fen,
            report.net_fen
        ),
        (8_000, 108_000, 8_000, 108_000)
    );
    let xlsx = desk.funeral_daily_report_xlsx(now.date()).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let (name, pdf, pages) = desk.funeral_daily_report_pdf(now.date()).unwrap();
    assert!(name.ends_with(".pdf") && pdf.starts_with(b"%PDF"));
    assert_eq!(pages.len(), 1, "four rows and the totals fit one page");
    let (name, pdf, _) = desk.funeral_receipt(id).unwrap();
    assert!(name.starts_with("收据-YT430100-") && pdf.starts_with(b"%PDF"));

    // Cremated this month, its waiver is in the month's settlement.
    let contact = mz_domain::identity::with_check_character("43010219700101003");
    for (paper, number) in [
        (Paper::Identity, deceased.as_str()),
        (Paper::Confirmation, ""),
        (Paper::ContactIdentity, contact.as_str()),
    ] {
        let number = number.to_owned();
        desk.check_funeral_paper(
            id,
            PaperInput {
                paper,
                number,
                scan: None,
            },
        )
        .unwrap();
    }
    desk.advance_funeral_case(
        id,
        CaseStep::BookCremation {
            furnace: "1号炉".to_owned(),
            planned_at: now,
        },
    )
    .unwrap();
    desk.advance_funeral_case(
        id,
        CaseStep::Cremate {
            operator: "谭师傅".to_owned(),
        },
    )
    .unwrap();
    let (settled, xlsx) = desk
        .waiver_settlement_xlsx(&now.format("%Y-%m").to_string())
        .unwrap();
    assert_eq!(settled, 1);
    assert!(xlsx.starts_with(b"PK"));
    let (_, pdf, pages, settled) = desk
        .waiver_settlement_pdf(&now.format("%Y-%m").to_string())
        .unwrap();
    assert_eq!(settled, 1);
    assert!(pdf.starts_with(b"%PDF") && pages[0].contains("width=\"297mm\""));

    // The platform prices it again from the same schedule: applied.
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{report:?} {:?}", desk.sync_issues());
    assert!(
        desk.sync_issues().unwrap().is_empty(),
        "{:?}",
        desk.sync_issues()
    );
    // And counts the waiver granted in the month of the cremation.
    let month = now.format("%Y-%m").to_string();
    let figures = desk.funeral_figures(&month, &month).await.unwrap();
    assert_eq!(
        (figures[0].cremated, figures[0].waived),
        (1, 1),
        "{figures:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_offline_booking_one_hall_slot_meet_at_sync() {
    use mz_api::funeral::home::{Facility, FuneralHomeData};
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let head = client_app(&platform, &dir, "head");
    head.login("funeral_head", PASSWORD).await.unwrap();
    let hall = Facility {
        code: "1号厅".to_owned(),
        name: "大厅".to_owned(),
        out_of_service: false,
    };
    head.save_funeral_home(&FuneralHomeData {
        halls: vec![hall],
        hall_slots: vec!["09:00".to_owned(), "10:00".to_owned()],
        ..FuneralHomeData::default()
    })
    .unwrap();
    head.sync_once().await.unwrap();
    let desks = [
        client_app(&platform, &dir, "desk-1"),
        client_app(&platform, &dir, "desk-2"),
    ];
    desks[0].login("funeral", PASSWORD).await.unwrap();
    desks[1].login("funeral_head", PASSWORD).await.unwrap();
    for desk in &desks {
        desk.sync_once().await.unwrap();
    }

    platform.halt().await;
    let now = desks[0].china_now();
    let today = desks[0].today();
    let mut ids = Vec::new();
    for (desk, first17) in desks.iter().zip(["43010219400101001", "43010219400101005"]) {
        let deceased = mz_domain::identity::with_check_character(first17);
        let case = desk
            .open_funeral_case(intake(now, &deceased))
            .await
            .unwrap();
        ids.push(
            desk.book_hall(case, "1号厅".to_owned(), today, "10:00".to_owned())
                .unwrap(),
        );
        // The same desk cannot book the slot twice, nor a slot the home has not.
        let fields = rule_fields(
            desk.book_hall(case, "1号厅".to_owned(), today, "10:00".to_owned())
                .unwrap_err(),
        );
        assert_eq!(fields, ["slot"]);
        let fields = rule_fields(
            desk.book_hall(case, "1号厅".to_owned(), today, "10:30".to_owned())
                .unwrap_err(),
        );
        assert_eq!(fields, ["slot"]);
    }

    // Back online: the first to sync has the slot; the second sees a conflict.
    platform.resume();
    let first = desks[0].sync_once().await.unwrap();
    assert_eq!((first.conflicts, first.rejected), (0, 0), "{first:?}");
    let second = desks[1].sync_once().await.unwrap();
    assert_eq!(second.conflicts, 1, "{second:?}");
    let issues = desks[1].sync_issues().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].record_id, ids[1]);
    // What it shows is the booking that holds the slot.
    assert_eq!(
        desks[1].hall_bookings(today).unwrap().len(),
        2,
        "both until the clerk decides"
    );
}

/// A desk's case taken to cremation: the papers checked, the furnace booked.
async fn cremated_case(desk: &mz_app::ClientApp, deceased: &str) -> uuid::Uuid {
    let now = desk.china_now();
    let id = desk.open_funeral_case(intake(now, deceased)).await.unwrap();
    let contact = mz_domain::identity::with_check_character("43010219700101003");
    for (paper, number) in [
        (Paper::Identity, deceased),
        (Paper::Confirmation, ""),
        (Paper::ContactIdentity, contact.as_str()),
    ] {
        let input = PaperInput {
            paper,
            number: number.to_owned(),
            scan: None,
        };
        desk.check_funeral_paper(id, input).unwrap();
    }
    let step = CaseStep::BookCremation {
        furnace: "1号炉".to_owned(),
        planned_at: now,
    };
    desk.advance_funeral_case(id, step).unwrap();
    let step = CaseStep::Cremate {
        operator: "谭师傅".to_owned(),
    };
    desk.advance_funeral_case(id, step).unwrap();
    id
}

/// The cemetery's plots as the home keeps them: section A, row 01, three
/// single plots (one with a price typed wrong when `bad`).
fn plot_workbook(bad: bool) -> Vec<u8> {
    let text = |s: &str| Value::Text(s.to_owned());
    let plot = |number: &str, price: Value| {
        vec![
            text("A"),
            text("福区"),
            text("01"),
            text(number),
            Value::Integer(1),
            price,
            Value::Integer(100),
        ]
    };
    let sheet = Sheet {
        name: "墓位".to_owned(),
        columns: [
            "墓区",
            "墓区名称",
            "排",
            "墓位号",
            "穴数",
            "价格（元）",
            "管理费（元/年）",
        ]
        .into_iter()
        .map(|h| Column::new(h, ColumnKind::Text))
        .collect(),
        rows: vec![
            plot("01", Value::Integer(30_000)),
            plot(
                "02",
                if bad {
                    text("三万")
                } else {
                    Value::Integer(30_000)
                },
            ),
            plot("03", Value::Integer(28_000)),
        ],
    };
    mz_sheets::to_xlsx_bytes(&[sheet]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plot_is_reserved_sold_renewed_and_its_burial_places_the_ashes() {
    use mz_api::funeral::cemetery::{Holder, PlotState};
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let head = client_app(&platform, &dir, "head");
    head.login("funeral_head", PASSWORD).await.unwrap();
    let desk = client_app(&platform, &dir, "desk-1");
    desk.login("funeral", PASSWORD).await.unwrap();
    desk.sync_once().await.unwrap();

    // The head imports the plots: a bad price and nothing is taken.
    let bad = head
        .import_cemetery("福寿园".to_owned(), plot_workbook(true))
        .unwrap();
    assert_eq!((bad.plots, bad.issues.len()), (0, 1), "{bad:?}");
    assert_eq!(
        (bad.issues[0].row, bad.issues[0].column.as_deref()),
        (3, Some("F"))
    );
    let done = head
        .import_cemetery("福寿园".to_owned(), plot_workbook(false))
        .unwrap();
    assert_eq!((done.sections, done.plots), (1, 3), "{done:?}");
    head.sync_once().await.unwrap();
    desk.sync_once().await.unwrap();
    let map = desk.cemetery_map().unwrap();
    assert_eq!((map.name.as_str(), map.free), ("福寿园", 3));

    // Reserved, released, reserved again; a reserved plot is not sold to another.
    let until = desk.today() + chrono::TimeDelta::days(7);
    desk.reserve_plot(
        "A-01-01",
        "李红梅".to_owned(),
        "13800000001".to_owned(),
        until,
    )
    .unwrap();
    let fields = rule_fields(
        desk.reserve_plot(
            "A-01-01",
            "张三".to_owned(),
            "13800000002".to_owned(),
            until,
        )
        .unwrap_err(),
    );
    assert_eq!(fields, ["plot"]);
    desk.release_plot("A-01-01").unwrap();
    assert_eq!(desk.cemetery_map().unwrap().free, 3);
    let fields = rule_fields(
        desk.reserve_plot(
            "Z-09-09",
            "张三".to_owned(),
            "13800000002".to_owned(),
            until,
        )
        .unwrap_err(),
    );
    assert_eq!(fields, ["plot"], "a plot the layout does not have");

    // Sold at the layout's price, the fee paid for a year, then renewed.
    let holder = Holder {
        name: "王志刚".to_owned(),
        doc_type: DocumentType::IdCard,
        doc_number: mz_domain::identity::with_check_character("43010219700101003"),
        phone: "13800000000".to_owned(),
    };
    let number = desk.sell_plot("A-01-02", holder.clone(), 1).await.unwrap();
    assert!(number.starts_with("GM430100-"), "{number}");
    let mut wrong = holder.clone();
    wrong.doc_number = "430102197001010000".to_owned();
    let fields = rule_fields(desk.sell_plot("A-01-03", wrong, 1).await.unwrap_err());
    assert_eq!(fields, ["contract.holder.doc_number"]);
    let due = desk.plot_fees_due(400).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].plot, "A-01-02");
    assert!(desk.plot_fees_due(30).unwrap().is_empty());
    let until = desk.renew_plot_fee("A-01-02", 5).unwrap();
    assert_eq!(until, desk.today() + chrono::Months::new(72));

    // A cremated case's ashes laid in it: the plot used, the case buried.
    let deceased = mz_domain::identity::with_check_character("43010219400101001");
    let case = cremated_case(&desk, &deceased).await;
    let fields = rule_fields(desk.bury_in_plot("A-01-03", case).unwrap_err());
    assert_eq!(fields, ["plot"], "an unsold plot takes no burial");
    desk.advance_funeral_case(
        case,
        CaseStep::Bury {
            plot: "A-01-02".to_owned(),
        },
    )
    .unwrap();
    let map = desk.cemetery_map().unwrap();
    let plot = &map.sections[0].rows[0].plots[1];
    assert_eq!(plot.state, PlotState::Used);
    assert_eq!(plot.data.as_ref().unwrap().burials[0].case_id, Some(case));
    let entry = desk
        .funeral_cases()
        .unwrap()
        .into_iter()
        .find(|c| c.id == case)
        .unwrap();
    assert_eq!(entry.data.stage, CaseStage::Buried);
    // Single plot, full: a second burial is refused.
    let other = mz_domain::identity::with_check_character("43010219400101005");
    let second = cremated_case(&desk, &other).await;
    let fields = rule_fields(desk.bury_in_plot("A-01-02", second).unwrap_err());
    assert_eq!(fields, ["plot"]);

    // The platform takes it all: the number of the desk's block, the
    // layout's price and fee.
    let report = desk.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{:?}", desk.sync_issues());
    assert!(desk.sync_issues().unwrap().is_empty());
    head.sync_once().await.unwrap();
    assert_eq!(head.cemetery_map().unwrap().used, 1);
}
