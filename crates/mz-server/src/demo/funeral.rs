//! The demo funeral home (长沙市殡仪馆) for the standalone demo: its setup
//! (vehicles, drivers, cabinets, halls, furnaces, a fee schedule and the
//! waivers of basic services; data in `assets/demo`), and today's cases in
//! every stage, timed from the moment the demo is made.
//!
//! Everything goes through the push path as the home's front desk would
//! send it, with numbers from blocks the platform hands to the import
//! device. The people are invented, their identity numbers with a correct
//! check character.

use axum::Json;
use axum::extract::State;
use chrono::{NaiveDateTime, TimeDelta};
use mz_api::funeral::home::FuneralHomeData;
use mz_api::funeral::{
    Ashes, CabinetStay, CallLog, Checks, Collection, Contact, Cremation, CremationCertificate,
    Deceased, Dispatch, FuneralCaseData, PaperCheck,
};
use mz_api::numbers::BlockRequest;
use mz_api::records::RecordKind;
use mz_domain::funeral::{CaseStage, CauseCategory, CertificateState};
use mz_domain::identity::with_check_character;
use mz_domain::marriage::DocumentType;
use mz_domain::{Role, Sex};

use super::{entry, invalid};
use crate::admin::AdminError;
use crate::extract::ApiJson;
use crate::sync::History;
use crate::{AppState, Clock, Db};

const HOME: &str = "430100-funeral";
const IMPORT_DEVICE: &str = "01900000-0000-7000-8000-000000000de1";
/// The province administrator's import device, for the fee standard.
const STANDARD_DEVICE: &str = "01900000-0000-7000-8000-000000000de2";
const CLERK: &str = "长沙市殡仪馆业务员";

/// The home's setup, as a home would import it.
pub const DEMO_HOME: &str = include_str!("../../../../assets/demo/changsha-funeral-home.json");

/// The province's fee standard, as civil affairs of Hunan would publish it.
pub const DEMO_STANDARD: &str = include_str!("../../../../assets/demo/hunan-funeral-standard.json");

/// Publishes the demo province's fee standard once, as its administrator
/// would: the homes' schedules are checked against it.
async fn seed_funeral_standard(db: &Db, clock: &Clock) -> Result<usize, AdminError> {
    let who = super::Importer {
        kind: "funeral_standard",
        username: "admin",
        roles: vec![Role::Admin],
        unit: ("430000-civil", "湖南省民政厅"),
        region: "430000",
        device: STANDARD_DEVICE,
    };
    let Some(caller) = super::importer(db, who).await? else {
        return Ok(0);
    };
    let mut state = AppState::new(db.clone());
    state.clock = clock.clone();
    let standard: mz_api::funeral::standard::FuneralStandardData =
        serde_json::from_str(DEMO_STANDARD)
            .map_err(|e| invalid(format!("assets/demo/hunan-funeral-standard.json: {e}")))?;
    let entries = vec![entry(
        1,
        RecordKind::FuneralStandard,
        serde_json::to_value(standard).map_err(invalid)?,
    )];
    super::push_all(&state, &caller, entries, History::Live).await
}

/// The home's cemetery, as a home would import it.
pub const DEMO_CEMETERY: &str = include_str!("../../../../assets/demo/changsha-cemetery.json");

/// How far a demo case has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Demo {
    /// The call is in; the vehicle is on its way.
    Called,
    /// At the home, the death certificate seen, the other papers to check.
    Received,
    /// In a cabinet since yesterday, every paper checked.
    Stored,
    /// The farewell today, cremation booked for later.
    Farewell,
    /// Cremated this morning, the certificate issued.
    Cremated,
    /// The ashes handed over today.
    Collected,
    /// An unidentified body, with the police's paper, in a cabinet.
    Unidentified,
}

/// Today's cases: the deceased, their sex and birth year, the contact, and
/// how far the case has come; hours before now of the call.
const CASES: &[(&str, Sex, i32, &str, Demo, i64)] = &[
    ("张淑芬", Sex::Female, 1938, "张卫东", Demo::Called, 1),
    ("李建国", Sex::Male, 1945, "李红梅", Demo::Received, 3),
    ("王秀英", Sex::Female, 1941, "王志刚", Demo::Stored, 26),
    ("赵德明", Sex::Male, 1936, "赵丽", Demo::Farewell, 30),
    ("刘桂兰", Sex::Female, 1943, "刘洪波", Demo::Cremated, 28),
    ("陈志华", Sex::Male, 1950, "陈静", Demo::Collected, 50),
    ("无名氏", Sex::Male, 1970, "", Demo::Unidentified, 20),
];

/// Seeds the demo home once: nothing happens when it has cases.
/// Returns how many records were written.
pub async fn seed_funeral_home(db: &Db, clock: &Clock) -> Result<usize, AdminError> {
    let standard = seed_funeral_standard(db, clock).await?;
    let who = super::Importer {
        kind: "funeral_case",
        username: "funeral_desk",
        // The head sets up the home; the desk's cases follow.
        roles: vec![Role::FuneralDesk, Role::FuneralHead],
        unit: (HOME, "长沙市殡仪馆"),
        region: "430100",
        device: IMPORT_DEVICE,
    };
    let Some(caller) = super::importer(db, who).await? else {
        return Ok(standard);
    };
    let mut state = AppState::new(db.clone());
    state.clock = clock.clone();
    let now = minute(mz_domain::holiday::china_time(crate::clock::to_datetime(
        clock.now_ms(),
    )));
    let today = now.date();
    let year = chrono::Datelike::year(&today);
    let mut numbers = Vec::new();
    for (prefix, size) in [("YT", CASES.len()), ("HZ", 2)] {
        let Json(block) = crate::numbers::allocate(
            State(state.clone()),
            caller.clone(),
            ApiJson(BlockRequest {
                key: format!("{prefix}-430100-{year}"),
                size: i64::try_from(size).map_err(invalid)?,
            }),
        )
        .await
        .map_err(|e| invalid(e.message))?;
        numbers.push(block.first);
    }
    let (mut case_serial, mut certificate_serial) = match numbers.as_slice() {
        [case, certificate] => (*case, *certificate),
        _ => return Err(invalid("the demo's number blocks")),
    };
    let home: FuneralHomeData = serde_json::from_str(DEMO_HOME)
        .map_err(|e| invalid(format!("assets/demo/changsha-funeral-home.json: {e}")))?;

    let mut entries = vec![entry(
        1,
        RecordKind::FuneralHome,
        serde_json::to_value(home).map_err(invalid)?,
    )];
    for ((name, sex, born, contact, demo, hours), n) in CASES.iter().zip(1u32..) {
        let case_no = format!("YT430100-{year}-{case_serial:06}");
        case_serial += 1;
        let mut certificate = None;
        if matches!(demo, Demo::Cremated | Demo::Collected) {
            certificate = Some(format!("HZ430100-{year}-{certificate_serial:06}"));
            certificate_serial += 1;
        }
        let called = now - TimeDelta::hours(*hours);
        let data = demo_case(
            DemoCase {
                case_no,
                name,
                sex: *sex,
                born: *born,
                contact,
                demo: *demo,
                n,
                certificate,
            },
            called,
            now,
        )?;
        let device_seq = i64::try_from(entries.len()).map_err(invalid)? + 1;
        let case = entry(
            device_seq,
            RecordKind::FuneralCase,
            serde_json::to_value(&data).map_err(invalid)?,
        );
        let case_id = case.record_id;
        entries.push(case);
        // The farewell of today: the large hall, mid-morning.
        if *demo == Demo::Farewell {
            let booking = mz_api::funeral::booking::HallBookingData {
                hall: "1号厅".to_owned(),
                day: today,
                slot: "10:00".to_owned(),
                case_id,
                deceased: data.deceased.name.clone(),
                cancelled: false,
            };
            entries.push(entry(
                device_seq + 1,
                RecordKind::FuneralBooking,
                serde_json::to_value(booking).map_err(invalid)?,
            ));
        }
    }
    let cases = super::push_all(&state, &caller, entries, History::Live).await?;
    Ok(standard + cases + seed_cemetery(&state, &caller, today).await?)
}

/// The home's cemetery (assets/demo): its layout and a few plots in each
/// state — one used, one sold with a year of fees, one sold for twenty
/// years, one reserved for a week.
async fn seed_cemetery(
    state: &AppState,
    caller: &crate::auth::Caller,
    today: chrono::NaiveDate,
) -> Result<usize, AdminError> {
    use mz_api::funeral::cemetery::{
        Burial, CemeteryData, Holder, PlotContract, PlotData, PlotState, Reservation, years_after,
    };
    let layout: CemeteryData = serde_json::from_str(DEMO_CEMETERY)
        .map_err(|e| invalid(format!("assets/demo/changsha-cemetery.json: {e}")))?;
    // Blocks are given for this year only: every demo sale is of today.
    let Json(block) = crate::numbers::allocate(
        State(state.clone()),
        caller.clone(),
        ApiJson(BlockRequest {
            key: format!("GM-430100-{}", chrono::Datelike::year(&today)),
            size: 3,
        }),
    )
    .await
    .map_err(|e| invalid(e.message))?;
    let number = |day: chrono::NaiveDate, offset: i64| -> Result<String, AdminError> {
        Ok(format!(
            "GM430100-{}-{:06}",
            chrono::Datelike::year(&day),
            block.first + offset
        ))
    };
    let contract = |holder: &str, first17: &str, code: &str, signed_on, years, n| {
        let spec = layout
            .plot(code)
            .ok_or_else(|| invalid(format!("the demo plot {code}")))?;
        Ok::<_, AdminError>(PlotContract {
            number: number(signed_on, n)?,
            holder: Holder {
                name: holder.to_owned(),
                doc_type: DocumentType::IdCard,
                doc_number: with_check_character(first17),
                phone: "13907310001".to_owned(),
            },
            signed_on,
            price_fen: spec.price_fen,
            fee_fen: spec.fee_per_year_fen * i64::from(years),
            years,
            fee_until: years_after(signed_on, years).ok_or_else(|| invalid("the demo's dates"))?,
            renewals: Vec::new(),
            by: CLERK.to_owned(),
        })
    };
    let plot = |code: &str, state, reservation, contract, burials| PlotData {
        plot: code.to_owned(),
        state,
        reservation,
        contract,
        burials,
    };
    let plots = vec![
        plot(
            "A-01-01",
            PlotState::Used,
            None,
            Some(contract(
                "周建平",
                "43010219600305001",
                "A-01-01",
                today,
                20,
                0,
            )?),
            vec![Burial {
                case_id: None,
                case_no: String::new(),
                name: "周美兰".to_owned(),
                on: today,
                by: CLERK.to_owned(),
            }],
        ),
        plot(
            "A-01-02",
            PlotState::Sold,
            None,
            Some(contract(
                "吴国强",
                "43010219581120003",
                "A-01-02",
                today,
                1,
                1,
            )?),
            Vec::new(),
        ),
        plot(
            "B-01-01",
            PlotState::Sold,
            None,
            Some(contract(
                "郑晓燕",
                "43010219650817002",
                "B-01-01",
                today,
                20,
                2,
            )?),
            Vec::new(),
        ),
        plot(
            "A-01-03",
            PlotState::Reserved,
            Some(Reservation {
                name: "孙立新".to_owned(),
                phone: "13907310002".to_owned(),
                until: today + TimeDelta::days(7),
                at: minute(mz_domain::holiday::china_time(crate::clock::to_datetime(
                    state.clock.now_ms(),
                ))),
                by: CLERK.to_owned(),
            }),
            None,
            Vec::new(),
        ),
    ];
    let mut entries = vec![entry(
        100,
        RecordKind::Cemetery,
        serde_json::to_value(&layout).map_err(invalid)?,
    )];
    for (data, seq) in plots.into_iter().zip(101..) {
        entries.push(entry(
            seq,
            RecordKind::CemeteryPlot,
            serde_json::to_value(data).map_err(invalid)?,
        ));
    }
    super::push_all(state, caller, entries, History::Live).await
}

/// A time to the minute.
fn minute(time: NaiveDateTime) -> NaiveDateTime {
    chrono::Timelike::with_second(&time, 0)
        .and_then(|t| chrono::Timelike::with_nanosecond(&t, 0))
        .unwrap_or(time)
}

struct DemoCase<'a> {
    case_no: String,
    name: &'a str,
    sex: Sex,
    born: i32,
    contact: &'a str,
    demo: Demo,
    n: u32,
    certificate: Option<String>,
}

/// One demo case, called at `called`, as far as its `demo` says by `now`.
fn demo_case(
    case: DemoCase<'_>,
    called: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<FuneralCaseData, AdminError> {
    let DemoCase {
        case_no,
        name,
        sex,
        born,
        contact,
        demo,
        n,
        certificate,
    } = case;
    let unidentified = demo == Demo::Unidentified;
    let birth = chrono::NaiveDate::from_ymd_opt(born, 1 + n % 12, 1 + n * 3 % 28)
        .ok_or_else(|| invalid("a demo birth date"))?;
    let order = 200 + 2 * n + u32::from(sex == Sex::Male);
    let doc_number = with_check_character(&format!("430102{}{order:03}", birth.format("%Y%m%d")));
    let contact_birth =
        chrono::NaiveDate::from_ymd_opt(1968 + (n % 10) as i32, 1 + n * 5 % 12, 1 + n % 28)
            .ok_or_else(|| invalid("a demo birth date"))?;
    let contact_number = with_check_character(&format!(
        "430104{}{order:03}",
        contact_birth.format("%Y%m%d")
    ));
    let died_at = called - TimeDelta::hours(1);
    let seen = |number: &str, at: NaiveDateTime| PaperCheck {
        by: CLERK.to_owned(),
        at,
        number: number.to_owned(),
        scan: None,
    };
    let received_at = called + TimeDelta::minutes(50);
    let stage = match demo {
        Demo::Called => CaseStage::Called,
        Demo::Received => CaseStage::Received,
        Demo::Stored | Demo::Unidentified => CaseStage::Stored,
        Demo::Farewell => CaseStage::Farewell,
        Demo::Cremated => CaseStage::Cremated,
        Demo::Collected => CaseStage::AshesCollected,
    };
    let all_papers = stage >= CaseStage::Stored && !unidentified;
    let checks = if unidentified {
        Checks {
            police_paper: Some(seen("长公（刑）勘字〔2026〕0318号", received_at)),
            ..Checks::default()
        }
    } else {
        Checks {
            death_certificate: (stage >= CaseStage::Received)
                .then(|| seen(&doc_number, received_at)),
            identity: all_papers.then(|| seen(&doc_number, received_at)),
            confirmation: all_papers.then(|| seen("", received_at)),
            contact_identity: all_papers.then(|| seen(&contact_number, received_at)),
            ..Checks::default()
        }
    };
    let cremated_at = now - TimeDelta::hours(2);
    let cremation = match demo {
        Demo::Farewell => Some(Cremation {
            furnace: "1号炉".to_owned(),
            planned_at: now + TimeDelta::hours(2),
            done_at: None,
            operator: String::new(),
        }),
        Demo::Cremated | Demo::Collected => Some(Cremation {
            furnace: "2号炉".to_owned(),
            planned_at: cremated_at,
            done_at: Some(cremated_at),
            operator: "谭师傅".to_owned(),
        }),
        _ => None,
    };
    let cabinet = match demo {
        Demo::Stored => Some(("A03", None)),
        Demo::Unidentified => Some(("A07", None)),
        Demo::Farewell | Demo::Cremated | Demo::Collected => {
            Some(("A05", Some(cremated_at - TimeDelta::hours(1))))
        }
        Demo::Called | Demo::Received => None,
    }
    .map(|(cabinet, until)| CabinetStay {
        cabinet: cabinet.to_owned(),
        from: received_at,
        until,
    });
    let family = (!unidentified).then(|| Contact {
        name: contact.to_owned(),
        doc_type: DocumentType::IdCard,
        doc_number: contact_number.clone(),
        relation: "子女".to_owned(),
        phone: format!("1397310{:04}", n * 53 % 10_000),
    });
    let certificate = certificate.map(|number| CremationCertificate {
        number,
        state: if demo == Demo::Collected {
            CertificateState::Collected
        } else {
            CertificateState::Issued
        },
        issued_on: now.date(),
        collected: (demo == Demo::Collected).then(|| Collection {
            name: contact.to_owned(),
            doc_type: DocumentType::IdCard,
            doc_number: contact_number.clone(),
            at: now - TimeDelta::minutes(30),
        }),
        voided_numbers: Vec::new(),
        reissues: Vec::new(),
    });
    let ashes = (demo == Demo::Collected).then(|| Ashes::HandedOver {
        to: contact.to_owned(),
        doc_type: DocumentType::IdCard,
        doc_number: contact_number.clone(),
        on: now.date(),
    });
    Ok(FuneralCaseData {
        case_no,
        stage,
        call: CallLog {
            called_at: called,
            caller: if unidentified {
                "长沙市公安局芙蓉分局".to_owned()
            } else {
                contact.to_owned()
            },
            phone: format!("1397310{:04}", n * 53 % 10_000),
            place: if unidentified {
                "湘江大道沿江风光带".to_owned()
            } else {
                "中南大学湘雅医院".to_owned()
            },
        },
        dispatch: Some(Dispatch {
            vehicle: format!("湘A·D120{}", 1 + n % 3),
            driver: ["李建军", "周国强", "彭志勇"]
                .get(usize::try_from(n % 3).map_err(invalid)?)
                .map_or_else(String::new, |d| (*d).to_owned()),
            dispatched_at: called + TimeDelta::minutes(5),
            received_at: (stage >= CaseStage::Received).then_some(received_at),
        }),
        unidentified,
        deceased: Deceased {
            name: name.to_owned(),
            doc_type: (!unidentified).then_some(DocumentType::IdCard),
            doc_number: if unidentified {
                String::new()
            } else {
                doc_number
            },
            sex: Some(sex),
            birth_date: (!unidentified).then_some(birth),
            ethnicity: "汉族".to_owned(),
            died_at,
            death_place: if unidentified {
                "湘江大道沿江风光带".to_owned()
            } else {
                "中南大学湘雅医院".to_owned()
            },
            cause: if unidentified {
                CauseCategory::Unnatural
            } else {
                CauseCategory::Natural
            },
            household_region: if unidentified {
                String::new()
            } else {
                "430102".to_owned()
            },
            address: if unidentified {
                String::new()
            } else {
                "湖南省长沙市芙蓉区".to_owned()
            },
        },
        contact: family,
        checks,
        cabinet,
        cremation,
        certificate,
        ashes,
        bill: None,
        work_orders: Vec::new(),
    })
}
