//! The demo marriage office (芙蓉区婚姻登记处) for the standalone demo:
//! the day's bookings, past registrations and divorces in each stage of the
//! cooling-off period, dated from the day the demo is made.
//!
//! Everything goes through the push path as the office's registrar would
//! send it; the past registrations are imported as written (they predate
//! the platform, so they cite no marital-status check), with numbers from a
//! block the platform hands to the import device. The people are invented:
//! names from a fixed list, identity numbers with a correct check character.

use axum::Json;
use axum::extract::State;
use chrono::{Datelike, Days, NaiveDate};
use mz_api::numbers::BlockRequest;
use mz_api::records::{
    AppointmentData, AppointmentParty, AppointmentStatus, DivorceRegistrationData, DivorceStatus,
    MarriageRegistrationData, MarriageStatus, RecordKind,
};
use mz_api::sync::{Op, Outcome, PushEntry};
use mz_domain::holiday::Calendars;
use mz_domain::identity::with_check_character;
use mz_domain::marriage::{Business, CoolingOff, DocumentType, Party, Statements};
use mz_domain::{Role, SequenceKey, Sex};
use uuid::Uuid;

use crate::admin::AdminError;
use crate::auth::Caller;
use crate::extract::ApiJson;
use crate::sync::History;
use crate::{AppState, Clock, Db};

pub mod funeral;
pub mod library;
pub mod office;
pub mod schedule;

/// The demo office and the device its records come from.
const OFFICE: &str = "430102-marriage";
const IMPORT_DEVICE: &str = "01900000-0000-7000-8000-000000000de0";

/// Couples married in the office, and how many days ago.
const MARRIED: &[(&str, &str, u64)] = &[
    ("陈志强", "林晓燕", 2),
    ("刘洋", "黄丽娟", 3),
    ("周建华", "吴婷", 5),
    ("徐磊", "孙静", 8),
    ("马俊", "朱慧敏", 9),
    ("胡海涛", "郭佳", 12),
    ("何伟", "罗雪", 16),
    ("高峰", "梁小红", 20),
    ("郑凯", "谢雨萱", 23),
    ("唐斌", "韩梅", 30),
    ("冯博", "曹颖", 37),
    ("邓超", "彭艳", 44),
];

/// Divorce applications: the couple, their (older) marriage certificate,
/// and how many days ago the application was received.
const DIVORCING: &[(&str, &str, &str, u64)] = &[
    ("曾国平", "蒋丽华", "湘芙结字2012第0456号", 4),
    ("袁明", "蔡芳", "湘芙结字2015第0789号", 36),
    ("潘勇", "杜娟", "湘芙结字2009第0123号", 75),
];

/// Today's bookings: slot, business, the names.
const BOOKED: &[(&str, Business, &str, Option<&str>)] = &[
    ("09:00-09:30", Business::Marriage, "许文博", Some("沈佳怡")),
    ("09:30-10:00", Business::Marriage, "邱子豪", Some("叶诗琪")),
    ("10:00-10:30", Business::Divorce, "钟海", Some("汪敏")),
    ("10:30-11:00", Business::MarriageReissue, "田野", None),
    ("14:00-14:30", Business::Marriage, "任杰", Some("姜雪")),
    ("14:30-15:00", Business::Marriage, "范宇", Some("方婷")),
];

/// An invented person: the n-th of the demo, born 1985–1999.
fn person(name: &str, n: u32, sex: Sex) -> Party {
    let birth = NaiveDate::from_ymd_opt(1985 + (n * 7 % 15) as i32, 1 + n % 12, 1 + n * 3 % 28)
        .unwrap_or_default();
    // Order code: odd for a man, even for a woman (GB 11643).
    let order = 100 + 2 * n + u32::from(sex == Sex::Male);
    let number = with_check_character(&format!("430102{}{order:03}", birth.format("%Y%m%d")));
    Party {
        doc_type: DocumentType::IdCard,
        doc_number: number,
        name: name.to_owned(),
        sex,
        birth_date: birth,
        ethnicity: "汉族".to_owned(),
        nationality: "中国".to_owned(),
        occupation: "职员".to_owned(),
        education: "大学本科".to_owned(),
        address: "湖南省长沙市芙蓉区".to_owned(),
        phone: format!("1380731{:04}", n * 37 % 10_000),
    }
}

/// A new record of `kind` as the demo's import device pushes it.
fn entry(device_seq: i64, kind: RecordKind, data: serde_json::Value) -> PushEntry {
    PushEntry {
        device_seq,
        kind,
        record_id: Uuid::now_v7(),
        op: Op::Upsert,
        base_version: 0,
        data: Some(data),
    }
}

fn invalid(e: impl std::fmt::Display) -> AdminError {
    AdminError::Invalid(e.to_string())
}

/// Who imports a demo unit's records: its demo user, on an import device,
/// with the roles given; `None` when the unit already has records of
/// `kind` (seeded once) or its demo user is missing.
pub(crate) struct Importer<'a> {
    pub kind: &'a str,
    pub username: &'a str,
    pub roles: Vec<Role>,
    pub unit: (&'a str, &'a str),
    pub region: &'a str,
    pub device: &'a str,
}

pub(crate) async fn importer(db: &Db, who: Importer<'_>) -> Result<Option<Caller>, AdminError> {
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM records WHERE kind = $1")
        .bind(who.kind)
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(None);
    }
    let Some(user_id) = sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE username = $1")
        .bind(who.username)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Caller {
        user_id,
        username: who.username.to_owned(),
        display_name: "演示数据导入".to_owned(),
        roles: who.roles,
        org_unit: who.unit.0.to_owned(),
        org_unit_name: who.unit.1.to_owned(),
        region: who.region.parse().map_err(invalid)?,
        device_id: who.device.to_owned(),
        session_id: String::new(),
    }))
}

/// Pushes the demo's entries as `caller`; every one must apply.
pub(crate) async fn push_all(
    state: &AppState,
    caller: &Caller,
    entries: Vec<PushEntry>,
    history: History,
) -> Result<usize, AdminError> {
    let written = entries.len();
    let outcomes = crate::sync::apply_push(state, caller, entries, history)
        .await
        .map_err(|e| invalid(e.message))?;
    if let Some(refused) = outcomes
        .iter()
        .find(|o| !matches!(o.result, Outcome::Applied { .. }))
    {
        return Err(invalid(format!(
            "the demo record {} was not applied: {:?}",
            refused.device_seq, refused.result
        )));
    }
    Ok(written)
}

/// Seeds the demo office once: nothing happens when it has registrations.
/// Returns how many records were written.
pub async fn seed_marriage_office(db: &Db, clock: &Clock) -> Result<usize, AdminError> {
    let who = Importer {
        kind: "marriage_registration",
        username: "registrar",
        roles: vec![Role::Registrar],
        unit: (OFFICE, "芙蓉区婚姻登记处"),
        region: "430102",
        device: IMPORT_DEVICE,
    };
    let Some(caller) = importer(db, who).await? else {
        return Ok(0);
    };
    let mut state = AppState::new(db.clone());
    state.clock = clock.clone();
    let today = mz_domain::holiday::china_date(crate::clock::to_datetime(clock.now_ms()));
    let days_ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);

    // Past registrations, oldest first, numbered from the import's blocks.
    let mut marriages: Vec<(NaiveDate, [Party; 2])> = MARRIED
        .iter()
        .zip(1..)
        .map(|((man, woman, ago), n)| {
            (
                days_ago(*ago),
                [person(man, n, Sex::Male), person(woman, n, Sex::Female)],
            )
        })
        .collect();
    marriages.sort_by_key(|(day, _)| *day);
    let mut next_serial: std::collections::HashMap<i32, i64> = std::collections::HashMap::new();
    for year in marriages.iter().map(|(day, _)| day.year()) {
        if next_serial.contains_key(&year) {
            continue;
        }
        let size = marriages.iter().filter(|(d, _)| d.year() == year).count();
        let Json(block) = crate::numbers::allocate(
            State(state.clone()),
            caller.clone(),
            ApiJson(BlockRequest {
                key: format!("J-430102-{year}"),
                size: i64::try_from(size).map_err(invalid)?,
            }),
        )
        .await
        .map_err(|e| invalid(e.message))?;
        next_serial.insert(year, block.first);
    }
    let mut entries = Vec::new();
    let mut add = |kind: RecordKind, data: serde_json::Value| {
        let device_seq = i64::try_from(entries.len()).unwrap_or(i64::MAX) + 1;
        entries.push(entry(device_seq, kind, data));
    };
    let all_true = Statements {
        voluntary: true,
        no_spouse: true,
        no_prohibited_kinship: true,
    };
    for (day, parties) in marriages {
        let serial = next_serial.entry(day.year()).or_insert(1);
        let key: SequenceKey = format!("J-430102-{}", day.year())
            .parse()
            .map_err(invalid)?;
        let number = key.number(*serial);
        *serial += 1;
        let data = MarriageRegistrationData {
            registered_on: day,
            parties,
            statements: all_true,
            status: MarriageStatus::Registered,
            certificate_no: Some(number),
            status_check: None,
            refusal_reason: None,
            voided_numbers: Vec::new(),
            appointment_id: None,
            annulment: None,
            reissues: Vec::new(),
            photo: None,
        };
        add(
            RecordKind::MarriageRegistration,
            serde_json::to_value(data).map_err(invalid)?,
        );
    }
    // One refusal: the man was under age on the day.
    let mut young = person("秦朗", 40, Sex::Male);
    young.birth_date = days_ago(21 * 365);
    young.doc_number =
        with_check_character(&format!("430102{}081", young.birth_date.format("%Y%m%d")));
    let refused = MarriageRegistrationData {
        registered_on: days_ago(6),
        parties: [young, person("尤佳", 41, Sex::Female)],
        statements: all_true,
        status: MarriageStatus::Refused,
        certificate_no: None,
        status_check: None,
        refusal_reason: Some("男方未达法定婚龄（22 周岁），不予登记".to_owned()),
        voided_numbers: Vec::new(),
        appointment_id: None,
        annulment: None,
        reissues: Vec::new(),
        photo: None,
    };
    add(
        RecordKind::MarriageRegistration,
        serde_json::to_value(refused).map_err(invalid)?,
    );

    // Divorces in the cooling-off period, awaiting the certificate, lapsed.
    let calendars = Calendars::new(
        crate::admin::demo_calendars()?
            .into_iter()
            .map(mz_domain::HolidayCalendar::from),
    );
    for ((man, woman, certificate, ago), n) in DIVORCING.iter().zip(50..) {
        let received = days_ago(*ago);
        let Ok(periods) = CoolingOff::from_receipt(received, &calendars) else {
            continue; // the calendar of that year is not published
        };
        let data = DivorceRegistrationData {
            received_on: received,
            parties: [person(man, n, Sex::Male), person(woman, n, Sex::Female)],
            marriage_certificate_no: (*certificate).to_owned(),
            marriage_record_id: None,
            periods,
            status: DivorceStatus::Received,
            withdrawal: None,
            registered_on: None,
            certificate_no: None,
            refusal_reason: None,
            voided_numbers: Vec::new(),
            appointment_id: None,
            reissues: Vec::new(),
        };
        add(
            RecordKind::DivorceRegistration,
            serde_json::to_value(data).map_err(invalid)?,
        );
    }

    // Today's bookings from the online booking system.
    for ((slot, business, a, b), n) in BOOKED.iter().zip(60..) {
        let booked = |name: &str, sex: Sex| {
            let party = person(name, n, sex);
            AppointmentParty {
                name: party.name,
                id_number: party.doc_number,
            }
        };
        let data = AppointmentData {
            date: today,
            slot: (*slot).to_owned(),
            business: *business,
            party_a: booked(a, Sex::Male),
            party_b: b.map(|name| booked(name, Sex::Female)),
            phone: format!("1390731{:04}", n * 41 % 10_000),
            status: AppointmentStatus::Booked,
            queue_no: None,
        };
        add(
            RecordKind::MarriageAppointment,
            serde_json::to_value(data).map_err(invalid)?,
        );
    }

    push_all(&state, &caller, entries, History::AsWritten).await
}
