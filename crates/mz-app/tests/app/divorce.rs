//! Divorce by agreement on the client against the real platform, with the
//! platform's and the counter's clock moved through the cooling-off period:
//! received (offline too) with its receipt, withdrawn inside the first
//! period, the certificate only in the second, and the marriage ended.

use crate::common::{PASSWORD, Platform, client_app, party, signed_form};
use chrono::NaiveDate;
use mz_api::records::DivorceStatus;
use mz_app::marriage::RegisterOutcome;
use mz_app::marriage::divorce::{DivorceForm, DivorcePaper, DivorceState};
use mz_domain::Sex;
use mz_domain::marriage::Milestone;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn preview_has(pages: &[String], text: &str) -> bool {
    text.chars()
        .all(|ch| pages.iter().any(|p| p.contains(&format!(">{ch}</text>"))))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_divorce_through_its_cooling_off_period() {
    let mut platform = Platform::start().await;
    // Thursday 2026-03-05, 09:00 in Beijing: the domain notes' example.
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-05T01:00:00Z")
        .unwrap()
        .timestamp_millis();
    platform.clock.advance_ms(start - platform.clock.now_ms());
    mz_server::admin::seed_calendars(&platform.db, &platform.clock)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();
    counter.sync_once().await.unwrap();
    assert_eq!(counter.today(), day("2026-03-05"));

    let zhang = party("张三", "43010219980307001", Sex::Male);
    let li = party("李四", "43010219990101002", Sex::Female);
    let id = counter
        .prepare_marriage(None, signed_form(zhang.clone(), li.clone()))
        .unwrap();
    let RegisterOutcome::Registered { certificate_no } =
        counter.register_marriage(id).await.unwrap()
    else {
        panic!("registered")
    };

    // The same day they apply: the form fills itself from the registry.
    let parties = counter
        .marriage_by_certificate(&certificate_no)
        .unwrap()
        .unwrap();
    let application = counter
        .receive_divorce(DivorceForm {
            parties,
            marriage_certificate_no: certificate_no.clone(),
            appointment_id: None,
        })
        .unwrap();
    let entry = &counter.divorces().unwrap()[0];
    assert_eq!(entry.state, DivorceState::CoolingOff);
    assert_eq!(entry.data.periods.withdrawal_ends, day("2026-04-07"));
    assert_eq!(entry.days_left, Some(33));
    let (_, pdf, pages) = counter
        .divorce_paper(application, DivorcePaper::Receipt, Default::default())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(preview_has(&pages, "张三李四2026年4月7日"));
    let early = counter.register_divorce(application).await.unwrap_err();
    assert!(early.to_string().contains("2026年4月8日"), "{early}");

    // Another couple, married before the registry, applies while the
    // platform is away; the wife withdraws the next day.
    platform.halt().await;
    let wang = party("王五", "43010219800101003", Sex::Male);
    let zhao = party("赵六", "43010219820202004", Sex::Female);
    let other = counter
        .receive_divorce(DivorceForm {
            parties: [wang, zhao],
            marriage_certificate_no: "湘长结字2005第123号".into(),
            appointment_id: None,
        })
        .unwrap();
    assert!(counter.divorces().unwrap()[0].pending);
    platform.resume();
    platform.clock.advance_ms(DAY_MS);
    counter.withdraw_divorce(other, 1).unwrap();
    let (_, _, pages) = counter
        .divorce_paper(
            other,
            DivorcePaper::WithdrawalConfirmation,
            Default::default(),
        )
        .unwrap();
    assert!(preview_has(&pages, "赵六2026年3月6日"));
    assert!(
        counter.withdraw_divorce(other, 0).is_err(),
        "withdrawn once"
    );
    counter.sync_once().await.unwrap();
    assert!(counter.sync_issues().unwrap().is_empty());

    // The week the first period ends, the counter is warned.
    let due = counter
        .divorces_due(day("2026-04-06"), day("2026-04-12"))
        .unwrap();
    let seen: Vec<(NaiveDate, Milestone)> = due.iter().map(|d| (d.day, d.milestone)).collect();
    assert_eq!(
        seen,
        [
            (day("2026-04-07"), Milestone::WithdrawalCloses),
            (day("2026-04-08"), Milestone::CertificateOpens)
        ]
    );
    assert_eq!(due[0].names, "张三、李四");

    // 2026-04-08: both come, and the certificate is issued.
    platform.clock.advance_ms(33 * DAY_MS);
    counter.login("registrar", PASSWORD).await.unwrap();
    assert_eq!(counter.today(), day("2026-04-08"));
    let number = counter.register_divorce(application).await.unwrap();
    assert_eq!(number, "L430102-2026-000001");
    let entry = counter
        .divorces()
        .unwrap()
        .into_iter()
        .find(|d| d.id == application)
        .unwrap();
    assert_eq!(entry.data.status, DivorceStatus::Registered);
    assert!(!entry.pending, "sent at once");
    let (_, _, pages) = counter
        .divorce_paper(
            application,
            DivorcePaper::CertificateSecond,
            Default::default(),
        )
        .unwrap();
    assert!(preview_has(&pages, "李四L430102"));
    let reprinted = counter.reprint_divorce(application, "卡纸").await.unwrap();
    assert_eq!(reprinted, "L430102-2026-000002");
    let reissued = counter.reissue_divorce(application, 0).await.unwrap();
    assert_eq!(reissued, "BL430102-2026-000001");
    assert!(counter.sync_issues().unwrap().is_empty());
    let (_, _, pages) = counter
        .divorce_paper(
            application,
            DivorcePaper::CertificateFirst,
            Default::default(),
        )
        .unwrap();
    assert!(preview_has(&pages, "张三BL补"));

    // He may marry again.
    let wang_fang = party("王芳", "43010319970505004", Sex::Female);
    let again = counter
        .prepare_marriage(None, signed_form(zhang, wang_fang))
        .unwrap();
    assert!(matches!(
        counter.register_marriage(again).await.unwrap(),
        RegisterOutcome::Registered { .. }
    ));
    assert!(counter.sync_issues().unwrap().is_empty());
    assert!(counter.withdraw_divorce(application, 0).is_err());

    // A court later declares the second marriage void: recorded on it, and
    // he is free to marry again.
    let judgement = |decided: &str| mz_api::records::Annulment {
        kind: mz_domain::marriage::AnnulmentKind::Void,
        court: "长沙市芙蓉区人民法院".into(),
        judgement_no: "（2026）湘0102民初100号".into(),
        decided_on: day(decided),
    };
    let wrong = counter
        .record_annulment(again, judgement("2026-04-01"))
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, mz_app::AppError::Rules(_)),
        "before the marriage"
    );
    counter
        .record_annulment(again, judgement("2026-04-08"))
        .await
        .unwrap();
    let record = counter
        .marriages()
        .unwrap()
        .into_iter()
        .find(|m| m.id == again)
        .unwrap();
    assert!(record.data.annulment.is_some() && !record.pending);

    // The office's figures: by month, by kind, by age; and as a workbook.
    use mz_app::marriage::statistics::{Grouping, StatisticsQuery};
    let query = StatisticsQuery {
        from: day("2026-03-01"),
        to: day("2026-04-30"),
        grouping: Grouping::Month,
    };
    let figures = counter.marriage_statistics(query).unwrap();
    let months: Vec<(&str, u32, u32, u32, u32)> = figures
        .rows
        .iter()
        .map(|r| {
            (
                r.period.as_str(),
                r.marriages,
                r.divorce_applications,
                r.withdrawals,
                r.divorces,
            )
        })
        .collect();
    assert_eq!(months, [("2026-03", 1, 2, 1, 0), ("2026-04", 1, 0, 0, 1)]);
    assert_eq!(figures.total.marriages, 2);
    // 张三 married at 27 and 28, 李四 at 27, 王芳 at 28.
    let ages: Vec<(u32, u32)> = figures.age_bands.iter().map(|b| (b.men, b.women)).collect();
    assert_eq!(ages[1], (2, 2), "{ages:?}");
    let by_day = counter
        .marriage_statistics(StatisticsQuery {
            grouping: Grouping::Day,
            ..query
        })
        .unwrap();
    assert_eq!(by_day.rows.len(), 61, "quiet days show as zero");
    // The platform's figures for the office agree with the counter's.
    let offices = counter.marriage_figures(query).await.unwrap();
    assert_eq!(offices.len(), 1);
    assert_eq!(
        (
            offices[0].marriages,
            offices[0].divorce_applications,
            offices[0].withdrawals,
            offices[0].divorces
        ),
        (
            figures.total.marriages,
            figures.total.divorce_applications,
            figures.total.withdrawals,
            figures.total.divorces
        )
    );
    let xlsx = counter.marriage_statistics_xlsx(query).unwrap();
    let book = mz_sheets::Workbook::from_bytes(xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["按月", "结婚年龄"]);
    assert!(
        counter
            .marriage_statistics(StatisticsQuery {
                from: day("2026-01-01"),
                to: day("2027-06-30"),
                grouping: Grouping::Day,
            })
            .is_err(),
        "a range too long to count by day"
    );
}
