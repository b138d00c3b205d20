//! The day's bookings: an online-booking export imported (bad rows reported,
//! good rows kept, a second import taking nothing twice), check-in with queue
//! numbers, no-shows, and the bookings synced to a colleague at the office.

use crate::common::{PASSWORD, Platform, client_app};
use mz_api::records::AppointmentStatus;
use mz_domain::identity::with_check_character;
use mz_sheets::{Column, ColumnKind, Sheet, Value};

fn export(rows: Vec<Vec<Value>>) -> Vec<u8> {
    let headers = [
        "预约日期",
        "预约时段",
        "业务类型",
        "男方姓名",
        "男方身份证号",
        "女方姓名",
        "女方身份证号",
        "联系电话",
    ];
    let kinds = [
        ColumnKind::Date,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::IdNumber,
        ColumnKind::Text,
        ColumnKind::IdNumber,
        ColumnKind::Text,
    ];
    let sheet = Sheet {
        name: "预约".into(),
        columns: headers
            .iter()
            .zip(kinds)
            .map(|(h, k)| Column::new(*h, k))
            .collect(),
        rows,
    };
    mz_sheets::to_xlsx_bytes(&[sheet]).unwrap()
}

fn row(slot: &str, man: (&str, &str), woman: (&str, &str)) -> Vec<Value> {
    vec![
        mz_domain::holiday::china_date(chrono::Utc::now()).into(),
        slot.into(),
        "结婚登记".into(),
        man.0.into(),
        with_check_character(man.1).into(),
        woman.0.into(),
        with_check_character(woman.1).into(),
        "13800000000".into(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_are_imported_checked_in_and_shared_with_the_office() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();

    let mut bad = row(
        "10:00-10:30",
        ("王五", "43010219950101001"),
        ("赵六", "43010219960202002"),
    );
    bad[4] = "430102199501010019".into(); // a wrong check character
    let file = export(vec![
        row(
            "09:00-09:30",
            ("张三", "43010219980307001"),
            ("李四", "43010219990101002"),
        ),
        bad,
        row(
            "09:30-10:00",
            ("王䶮", "43010319970505003"),
            ("𠀀明", "43010319980606004"),
        ),
    ]);
    let summary = counter.import_appointments(file.clone()).unwrap();
    assert_eq!(summary.imported, 2);
    assert_eq!(summary.issues.len(), 1, "{:?}", summary.issues);
    assert_eq!(summary.issues[0].row, 3);
    assert_eq!(summary.issues[0].column.as_deref(), Some("E"));
    assert!(
        summary.issues[0].reason.contains("校验位"),
        "{:?}",
        summary.issues[0]
    );
    // The same file again takes nothing twice.
    let again = counter.import_appointments(file).unwrap();
    assert_eq!((again.imported, again.already_there), (0, 2));
    // Not a workbook at all: one clear error, nothing stored.
    assert!(
        counter
            .import_appointments(b"<html></html>".to_vec())
            .is_err()
    );

    let today = counter
        .appointments(mz_domain::holiday::china_date(chrono::Utc::now()))
        .unwrap();
    assert_eq!(today.len(), 2);
    assert_eq!(today[0].data.slot, "09:00-09:30");
    assert_eq!(
        today[1].data.party_a.name, "王䶮",
        "rare characters survive the import"
    );
    assert_eq!(counter.check_in(today[1].id).unwrap(), 1);
    assert_eq!(counter.check_in(today[0].id).unwrap(), 2);
    assert!(counter.check_in(today[0].id).is_err(), "checked in once");
    assert!(counter.no_show(today[0].id).is_err());
    assert_eq!(counter.search_people("王䶮", 5).unwrap().len(), 1);

    // A colleague at the same office sees the bookings and the queue.
    counter.sync_once().await.unwrap();
    assert!(counter.sync_issues().unwrap().is_empty());
    let colleague = client_app(&platform, &dir, "colleague");
    colleague.login("registrar", PASSWORD).await.unwrap();
    colleague.sync_once().await.unwrap();
    let seen = colleague
        .appointments(mz_domain::holiday::china_date(chrono::Utc::now()))
        .unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|a| a.data.status == AppointmentStatus::CheckedIn)
    );

    // Called by queue number; once their business is done they leave the queue.
    let day = mz_domain::holiday::china_date(chrono::Utc::now());
    let called = counter.next_in_queue(day).unwrap().unwrap();
    assert_eq!(called.id, today[1].id, "number 1 first");
    let party = |name: &str, first17: &str, sex: mz_domain::Sex| {
        let number = mz_domain::identity::with_check_character(first17);
        mz_domain::marriage::Party {
            doc_type: mz_domain::marriage::DocumentType::IdCard,
            birth_date: chrono::NaiveDate::parse_from_str(&number[6..14], "%Y%m%d").unwrap(),
            doc_number: number,
            name: name.into(),
            sex,
            ethnicity: String::new(),
            nationality: String::new(),
            occupation: String::new(),
            education: String::new(),
            address: String::new(),
            phone: String::new(),
        }
    };
    let prepared = counter
        .prepare_marriage(
            None,
            mz_app::marriage::MarriageForm {
                parties: [
                    party("张三", "43010219980307001", mz_domain::Sex::Male),
                    party("李四", "43010219990101002", mz_domain::Sex::Female),
                ],
                statements: mz_domain::marriage::Statements::default(),
                appointment_id: Some(called.id),
                photo: None,
            },
        )
        .unwrap_err();
    assert!(
        matches!(prepared, mz_app::AppError::Rules(_)),
        "statements unsigned"
    );
    let id = counter
        .prepare_marriage(
            None,
            mz_app::marriage::MarriageForm {
                parties: [
                    party("张三", "43010219980307001", mz_domain::Sex::Male),
                    party("李四", "43010219990101002", mz_domain::Sex::Female),
                ],
                statements: mz_domain::marriage::Statements {
                    voluntary: true,
                    no_spouse: true,
                    no_prohibited_kinship: true,
                },
                appointment_id: Some(called.id),
                photo: None,
            },
        )
        .unwrap();
    counter.refuse_marriage(id, "当事人要求暂缓").unwrap();
    let next = counter.next_in_queue(day).unwrap().unwrap();
    assert_eq!(next.id, today[0].id, "then number 2");
}
