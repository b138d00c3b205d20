#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::changes::check_case_change;
use super::*;

fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

/// A change to a case, in a table of cases.
type Edit = fn(&mut FuneralCaseData);

const DECEASED_ID: &str = "43010219400101003X";

fn check(number: &str) -> Option<PaperCheck> {
    Some(PaperCheck {
        by: "业务员".to_owned(),
        at: at(2, 10),
        number: number.to_owned(),
        scan: None,
    })
}

/// A case received on 2 December, its death certificate seen.
fn case() -> FuneralCaseData {
    FuneralCaseData {
        case_no: "YT430102-2026-000001".to_owned(),
        stage: CaseStage::Received,
        call: CallLog {
            called_at: at(2, 8),
            caller: "王小明".to_owned(),
            phone: "13800000000".to_owned(),
            place: "湘雅医院".to_owned(),
        },
        dispatch: Some(Dispatch {
            vehicle: "湘A·12345".to_owned(),
            driver: "李师傅".to_owned(),
            dispatched_at: at(2, 8),
            received_at: Some(at(2, 9)),
        }),
        unidentified: false,
        deceased: Deceased {
            name: "王大明".to_owned(),
            doc_type: Some(DocumentType::IdCard),
            doc_number: DECEASED_ID.to_lowercase(),
            sex: Some(mz_domain::Sex::Male),
            birth_date: NaiveDate::from_ymd_opt(1940, 1, 1),
            ethnicity: "汉族".to_owned(),
            died_at: at(2, 6),
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
        checks: Checks {
            death_certificate: check(DECEASED_ID),
            ..Checks::default()
        },
        cabinet: None,
        cremation: None,
        certificate: None,
        ashes: None,
        bill: None,
        work_orders: Vec::new(),
    }
}

/// The case with every paper checked, cremated on 3 December.
fn cremated() -> FuneralCaseData {
    let mut body = case();
    let contact = body.contact.clone().unwrap().doc_number;
    body.checks.identity = check(DECEASED_ID);
    body.checks.confirmation = check("");
    body.checks.contact_identity = check(&contact);
    body.stage = CaseStage::Cremated;
    body.cremation = Some(Cremation {
        furnace: "1 号平板炉".to_owned(),
        planned_at: at(3, 9),
        done_at: Some(at(3, 10)),
        operator: "赵师傅".to_owned(),
    });
    body
}

fn fields(issues: &[FieldIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.field.as_str()).collect()
}

#[test]
fn a_received_case_passes_and_is_put_in_its_normal_form() {
    let mut body = case();
    assert!(normal_case(&mut body).is_empty());
    assert_eq!(body.deceased.doc_number, DECEASED_ID);
    let mut body = cremated();
    assert_eq!(fields(&normal_case(&mut body)), Vec::<&str>::new());
}

#[test]
fn cremation_waits_for_every_paper_and_names_each_missing_one() {
    let mut body = cremated();
    body.checks = Checks {
        death_certificate: check(DECEASED_ID),
        ..Checks::default()
    };
    assert_eq!(
        fields(&normal_case(&mut body)),
        [
            "checks.identity",
            "checks.confirmation",
            "checks.contact_identity"
        ]
    );
    // Collection already needs the death certificate.
    let mut body = case();
    body.checks.death_certificate = None;
    assert_eq!(
        fields(&normal_case(&mut body)),
        ["checks.death_certificate"]
    );
    // A death the police handle needs their paper before cremation.
    let mut body = cremated();
    body.deceased.cause = CauseCategory::Unnatural;
    assert_eq!(fields(&normal_case(&mut body)), ["checks.police_paper"]);
    body.checks.police_paper = check("长公（刑）字〔2026〕12号");
    assert!(normal_case(&mut body).is_empty());
}

#[test]
fn the_numbers_on_the_papers_are_the_right_ones() {
    let cases: [(Edit, &str); 5] = [
        (
            |b| b.checks.identity = check("430102194001010013"),
            "checks.identity.number",
        ),
        (
            |b| b.checks.death_certificate = check("湘A-0012"),
            "checks.death_certificate.number",
        ),
        (
            |b| b.checks.contact_identity = check(DECEASED_ID),
            "checks.contact_identity.number",
        ),
        (
            |b| b.checks.identity.as_mut().unwrap().by = " ".to_owned(),
            "checks.identity.by",
        ),
        (
            |b| b.checks.police_paper = check(""),
            "checks.police_paper.number",
        ),
    ];
    for (change, field) in cases {
        let mut body = cremated();
        change(&mut body);
        assert_eq!(fields(&normal_case(&mut body)), [field], "{field}");
    }
}

#[test]
fn the_deceased_and_the_contact_are_checked_as_people() {
    let mut body = case();
    body.deceased.sex = Some(mz_domain::Sex::Female);
    body.deceased.birth_date = NaiveDate::from_ymd_opt(1941, 1, 1);
    body.deceased.household_region = "4301".to_owned();
    body.contact.as_mut().unwrap().phone = "12345".to_owned();
    body.contact.as_mut().unwrap().relation = String::new();
    body.call.place = String::new();
    assert_eq!(
        fields(&normal_case(&mut body)),
        [
            "call.place",
            "deceased.household_region",
            "deceased.birth_date",
            "deceased.sex",
            "contact.relation",
            "contact.phone"
        ]
    );
    let mut body = case();
    body.contact = None;
    assert_eq!(fields(&normal_case(&mut body)), ["contact"]);
}

#[test]
fn an_unidentified_body_has_the_police_paper_instead_of_identity_and_family() {
    let mut body = cremated();
    body.unidentified = true;
    body.deceased.name = "无名氏".to_owned();
    body.deceased.doc_type = None;
    body.deceased.doc_number = String::new();
    body.contact = None;
    body.checks = Checks::default();
    assert_eq!(
        fields(&normal_case(&mut body)),
        ["checks.police_paper", "checks.death_certificate"]
    );
    body.checks.police_paper = check("长公（刑）字〔2026〕31号");
    assert!(normal_case(&mut body).is_empty());
    // Its certificate number, with no document: the issuer and a serial.
    body.checks.death_certificate = check("91350100M000100Y430007");
    assert!(normal_case(&mut body).is_empty());
    body.deceased.doc_number = DECEASED_ID.to_owned();
    assert_eq!(fields(&normal_case(&mut body)), ["deceased.doc_number"]);
}

#[test]
fn each_stage_holds_what_it_needs() {
    let cases: [(Edit, &str); 5] = [
        (|b| b.stage = CaseStage::Stored, "cabinet"),
        (
            |b| b.cremation.as_mut().unwrap().done_at = None,
            "cremation.done_at",
        ),
        (|b| b.stage = CaseStage::AshesCollected, "ashes"),
        (
            |b| {
                b.ashes = Some(Ashes::Buried {
                    plot: "A-1-1".to_owned(),
                    on: today(),
                });
            },
            "ashes",
        ),
        (
            |b| {
                b.stage = CaseStage::Farewell;
                b.certificate = Some(certificate("HZ430102-2026-000001"));
            },
            "certificate",
        ),
    ];
    for (change, field) in cases {
        let mut body = cremated();
        change(&mut body);
        assert!(
            fields(&normal_case(&mut body)).contains(&field),
            "{field}: {:?}",
            normal_case(&mut body)
        );
    }
}

fn certificate(number: &str) -> CremationCertificate {
    CremationCertificate {
        number: number.to_owned(),
        state: CertificateState::Issued,
        issued_on: today(),
        collected: None,
        voided_numbers: Vec::new(),
        reissues: Vec::new(),
    }
}

fn change(previous: Option<&FuneralCaseData>, next: &FuneralCaseData) -> Vec<String> {
    check_case_change(previous, next, today())
        .into_iter()
        .map(|i| i.field)
        .collect()
}

#[test]
fn a_case_goes_forward_and_what_cremation_was_decided_on_stays() {
    let received = case();
    let done = cremated();
    assert!(change(None, &received).is_empty());
    assert!(change(Some(&received), &done).is_empty());
    assert_eq!(
        change(Some(&done), &received),
        ["stage", "checks", "cremation"]
    );
    let mut renamed = done.clone();
    renamed.deceased.name = "王大名".to_owned();
    assert_eq!(change(Some(&done), &renamed), ["deceased"]);
    let mut renumbered = done.clone();
    renumbered.case_no = "YT430102-2026-000002".to_owned();
    assert_eq!(change(Some(&done), &renumbered), ["case_no"]);
    // A death or a call tomorrow, a cremation booked for yesterday.
    let mut future = received.clone();
    future.deceased.died_at = at(4, 1);
    future.call.called_at = at(4, 2);
    assert_eq!(
        change(None, &future),
        ["deceased.died_at", "call.called_at"]
    );
    let mut booked = received.clone();
    booked.cremation = Some(Cremation {
        furnace: "1 号平板炉".to_owned(),
        planned_at: at(2, 9),
        done_at: None,
        operator: String::new(),
    });
    assert_eq!(change(Some(&received), &booked), ["cremation.planned_at"]);
    // Kept as booked, the old plan is no new booking.
    assert!(change(Some(&booked), &booked).is_empty());
}

#[test]
fn a_certificate_lives_issued_collected_registered_written_off() {
    let done = cremated();
    let mut issued = done.clone();
    issued.certificate = Some(certificate("HZ430102-2026-000001"));
    assert!(change(Some(&done), &issued).is_empty());
    // Issued on a day to come.
    let mut early = issued.clone();
    early.certificate.as_mut().unwrap().issued_on = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert_eq!(change(Some(&done), &early), ["certificate.issued_on"]);
    // A spoiled print: the old number void, a new one.
    let mut reprinted = issued.clone();
    let c = reprinted.certificate.as_mut().unwrap();
    c.voided_numbers.push(c.number.clone());
    c.number = "HZ430102-2026-000002".to_owned();
    assert!(change(Some(&issued), &reprinted).is_empty());
    let mut renumbered = issued.clone();
    renumbered.certificate.as_mut().unwrap().number = "HZ430102-2026-000003".to_owned();
    assert_eq!(change(Some(&issued), &renumbered), ["certificate.number"]);
    // Collected: signed for, then registered; never voided after.
    let mut collected = issued.clone();
    let c = collected.certificate.as_mut().unwrap();
    c.state = CertificateState::Collected;
    assert_eq!(change(Some(&issued), &collected), ["certificate.collected"]);
    collected.certificate.as_mut().unwrap().collected = Some(Collection {
        name: "王小明".to_owned(),
        doc_type: DocumentType::IdCard,
        doc_number: "430102197001010033".to_owned(),
        at: at(3, 11),
    });
    assert!(change(Some(&issued), &collected).is_empty());
    let mut voided = collected.clone();
    voided.certificate.as_mut().unwrap().state = CertificateState::Voided;
    assert_eq!(change(Some(&collected), &voided), ["certificate.state"]);
    let mut gone = collected.clone();
    gone.certificate = None;
    assert_eq!(change(Some(&collected), &gone), ["certificate"]);
}

#[test]
fn the_ashes_stay_where_they_went_but_a_deposit_is_renewed() {
    let deposited = {
        let mut body = cremated();
        body.stage = CaseStage::AshesDeposited;
        body.ashes = Some(Ashes::Deposited {
            niche: "寄存楼 2-105".to_owned(),
            agreement_no: "JC2026-0012".to_owned(),
            from: today(),
            until: NaiveDate::from_ymd_opt(2029, 12, 3).unwrap(),
        });
        body
    };
    let mut renewed = deposited.clone();
    if let Some(Ashes::Deposited { until, .. }) = renewed.ashes.as_mut() {
        *until = NaiveDate::from_ymd_opt(2032, 12, 3).unwrap();
    }
    assert!(change(Some(&deposited), &renewed).is_empty());
    let mut moved = deposited.clone();
    if let Some(Ashes::Deposited { niche, .. }) = moved.ashes.as_mut() {
        *niche = "寄存楼 3-001".to_owned();
    }
    assert_eq!(change(Some(&deposited), &moved), ["ashes"]);
    let mut buried = deposited.clone();
    buried.stage = CaseStage::Buried;
    buried.ashes = Some(Ashes::Buried {
        plot: "福寿园 A-1-1".to_owned(),
        on: today(),
    });
    assert!(change(Some(&deposited), &buried).is_empty());
    let mut back = buried.clone();
    back.stage = CaseStage::AshesDeposited;
    back.ashes = deposited.ashes.clone();
    assert_eq!(change(Some(&buried), &back), ["stage", "ashes"]);
}

#[test]
fn a_case_counts_when_received_and_when_cremated() {
    let received = case();
    assert_eq!(
        case_events(&received),
        [(FuneralEvent::Received, "2026-12".to_owned())]
    );
    let mut called = case();
    called.stage = CaseStage::Called;
    assert!(case_events(&called).is_empty());
    let mut unknown = cremated();
    unknown.unidentified = true;
    let events: Vec<FuneralEvent> = case_events(&unknown).into_iter().map(|(e, _)| e).collect();
    assert_eq!(
        events,
        [
            FuneralEvent::Received,
            FuneralEvent::Cremated,
            FuneralEvent::Unidentified
        ]
    );
    // A waived bill counts in the month of the cremation, as it is settled.
    let mut waived = cremated();
    waived.bill = Some(billed(Some(mz_domain::funeral::WaiverGround::Dibao)));
    assert_eq!(
        case_events(&waived).last(),
        Some(&(FuneralEvent::Waived, "2026-12".to_owned()))
    );
    let mut paid = cremated();
    paid.bill = Some(billed(None));
    assert!(
        case_events(&paid)
            .iter()
            .all(|(e, _)| *e != FuneralEvent::Waived)
    );
}

fn schedule() -> Vec<mz_domain::funeral::FeeItem> {
    let item = |code: &str, fen: i64, basic: bool| mz_domain::funeral::FeeItem {
        code: code.to_owned(),
        name: code.to_owned(),
        unit: "次".to_owned(),
        unit_price_fen: fen,
        basic,
    };
    vec![
        item("cremation_flat", 45_000, true),
        item("urn_fine", 128_000, false),
    ]
}

fn billed(ground: Option<mz_domain::funeral::WaiverGround>) -> CaseBill {
    let waivers = vec![mz_domain::funeral::WaiverRule {
        items: vec!["cremation_flat".to_owned(), "urn_fine".to_owned()],
        max_units: Some(2),
        cap_fen: Some(65_000),
        grounds: vec![mz_domain::funeral::WaiverGround::Dibao],
    }];
    let items = vec![
        Ordered {
            code: "cremation_flat".to_owned(),
            quantity: 1,
        },
        Ordered {
            code: "urn_fine".to_owned(),
            quantity: 1,
        },
    ];
    let ordered: Vec<(String, u32)> = items.iter().map(|o| (o.code.clone(), o.quantity)).collect();
    CaseBill {
        priced: Some(mz_domain::funeral::bill(&schedule(), &ordered, ground, &waivers).unwrap()),
        items,
        waiver: ground.map(|ground| WaiverClaim {
            ground,
            evidence: "湘殡免 2026-0031".to_owned(),
        }),
        payments: Vec::new(),
        refunds: Vec::new(),
    }
}

fn pay(fen: i64) -> Payment {
    Payment {
        at: at(3, 9),
        method: PayMethod::Cash,
        amount_fen: fen,
        by: "业务员".to_owned(),
        reference: String::new(),
    }
}

#[test]
fn a_bill_adds_up_and_money_never_goes_below_zero() {
    use mz_domain::funeral::WaiverGround;
    let fields = |bill: &CaseBill| -> Vec<String> {
        check_bill(bill, false)
            .into_iter()
            .map(|i| i.field)
            .collect()
    };
    // 低保: 650 元 waived within the cap, 1080 元 to pay.
    let mut bill = billed(Some(WaiverGround::Dibao));
    assert_eq!(bill.priced.as_ref().unwrap().payable_fen, 108_000);
    assert!(fields(&bill).is_empty());
    bill.payments.push(pay(108_000));
    assert!(fields(&bill).is_empty());
    assert_eq!(bill.due_fen(), 0);
    // Paid twice over, or more given back than was paid.
    let mut over = bill.clone();
    over.payments.push(pay(1));
    assert_eq!(fields(&over), ["bill.payments"]);
    let mut back = bill.clone();
    back.refunds.push(Refund {
        at: at(3, 10),
        amount_fen: 108_001,
        reason: "多收".to_owned(),
        by: "业务员".to_owned(),
    });
    assert_eq!(fields(&back), ["bill.refunds"]);
    back.refunds[0].reason = String::new();
    back.refunds[0].amount_fen = 0;
    assert_eq!(
        fields(&back),
        ["bill.refunds[0].amount_fen", "bill.refunds[0].reason"]
    );
    // A line that does not add up; a waiver without its evidence.
    let mut wrong = billed(Some(WaiverGround::Dibao));
    wrong.priced.as_mut().unwrap().lines[1].payable_fen -= 100;
    wrong.waiver.as_mut().unwrap().evidence = " ".to_owned();
    assert_eq!(
        fields(&wrong),
        ["bill.priced.lines[1]", "bill.waiver.evidence"]
    );
    let mut unknown = billed(Some(WaiverGround::Unidentified));
    unknown.waiver.as_mut().unwrap().evidence = "长公".to_owned();
    assert_eq!(fields(&unknown), ["bill.waiver.ground"]);
    assert!(check_bill(&unknown, true).is_empty());
}

#[test]
fn money_on_record_stays_on_record() {
    let mut before = cremated();
    let mut bill = billed(None);
    bill.payments.push(pay(10_000));
    before.bill = Some(bill);
    let mut after = before.clone();
    after.bill.as_mut().unwrap().payments[0].amount_fen = 5_000;
    assert_eq!(change(Some(&before), &after), ["bill.payments"]);
    let mut gone = before.clone();
    gone.bill = None;
    assert_eq!(change(Some(&before), &gone), ["bill.payments"]);
}

#[test]
fn work_orders_are_added_done_once_and_none_after_cremation() {
    let order = |done: bool| WorkOrder {
        kind: WorkKind::Cosmetic,
        ordered_at: at(2, 10),
        note: "淡妆".to_owned(),
        done_at: done.then(|| at(2, 11)),
        done_by: if done {
            "化妆师".to_owned()
        } else {
            String::new()
        },
    };
    let mut ordered = case();
    ordered.work_orders.push(order(false));
    assert!(change(Some(&case()), &ordered).is_empty());
    let mut done = ordered.clone();
    done.work_orders[0] = order(true);
    assert!(change(Some(&ordered), &done).is_empty());
    assert!(normal_case(&mut done.clone()).is_empty());
    let mut undone = done.clone();
    undone.work_orders[0] = order(false);
    assert_eq!(change(Some(&done), &undone), ["work_orders[0]"]);
    assert_eq!(change(Some(&done), &case()), ["work_orders"]);
    let mut nameless = done.clone();
    nameless.work_orders[0].done_by = String::new();
    assert_eq!(
        fields(&normal_case(&mut nameless)),
        ["work_orders[0].done_by"]
    );
    let mut late = cremated();
    late.work_orders.push(order(false));
    assert_eq!(change(Some(&cremated()), &late), ["work_orders"]);
}
