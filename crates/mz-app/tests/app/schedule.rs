//! A secretary's week: the office sets up the leaders, the secretary places
//! a leader's activities (offline first), a second one at the same time is
//! refused until the reason is written, the journey too short is warned of,
//! a confidential one never reaches the office clerk's desk, and the week's
//! table prints as a landscape PDF and exports to Excel.

use crate::common::{PASSWORD, Platform, client_app};
use mz_api::schedule::{ActivityData, Leader, ScheduleSetupData, Secretary};
use mz_app::AppError;
use mz_domain::schedule::{HalfDay, Visibility, When};

fn rule_fields(error: AppError) -> Vec<String> {
    match error {
        AppError::Rules(issues) => issues.into_iter().map(|i| i.field).collect(),
        other => panic!("not a rule: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_keeps_a_leader_s_week_and_the_confidential_stays_theirs() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let secretary = client_app(&platform, &dir, "secretary");
    secretary.login("secretary", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let id_of = |app: &mz_app::ClientApp| app.user().unwrap().unwrap().id.to_string();
    let (leader_id, secretary_id) = (id_of(&leader), id_of(&secretary));

    office
        .save_schedule_setup(&ScheduleSetupData {
            leaders: vec![Leader {
                user_id: leader_id.clone(),
                name: "周志远".to_owned(),
                title: "厅长".to_owned(),
                principal: true,
                executive_deputy: false,
            }],
            secretaries: vec![Secretary {
                user_id: secretary_id,
                name: "李晓".to_owned(),
                leaders: vec![leader_id.clone()],
            }],
            travel_minutes: 30,
        })
        .unwrap();
    office.sync_once().await.unwrap();
    secretary.sync_once().await.unwrap();

    let monday = secretary.today()
        - chrono::Duration::days(i64::from(
            chrono::Datelike::weekday(&secretary.today()).num_days_from_monday(),
        ));
    let at = |h: u32, m: u32| monday.and_hms_opt(h, m, 0).unwrap();
    let activity = |start, end, place: &str, content: &str, visibility| ActivityData {
        leaders: vec![leader_id.clone()],
        when: When::Timed { start, end },
        place: place.to_owned(),
        content: content.to_owned(),
        organiser: "办公室".to_owned(),
        attendees: Vec::new(),
        accompany: Vec::new(),
        visibility,
        override_reason: None,
        cancelled: false,
    };
    let talk = activity(
        at(9, 0),
        at(10, 0),
        "厅长办公室",
        "约谈",
        Visibility::Confidential,
    );
    let saved = secretary.save_activity(None, talk).unwrap();
    assert!(saved.warnings.is_empty());
    // The same leader elsewhere at 09:30: refused with the other named.
    let mut visit = activity(
        at(9, 30),
        at(11, 0),
        "省政府",
        "省政府常务会议",
        Visibility::Public,
    );
    let error = secretary.save_activity(None, visit.clone()).unwrap_err();
    assert_eq!(rule_fields(error), ["when"]);
    // Moved to 10:15: no overlap, but fifteen minutes from one place to another.
    visit.when = When::Timed {
        start: at(10, 15),
        end: at(11, 30),
    };
    let saved = secretary.save_activity(None, visit).unwrap();
    assert_eq!(saved.warnings.len(), 1, "{saved:?}");
    // An evening at the same time as nothing; a second overlap kept with its reason.
    let mut evening = activity(
        at(18, 0),
        at(20, 0),
        "厅机关",
        "专题学习",
        Visibility::Internal,
    );
    evening.when = When::HalfDay {
        day: monday,
        slot: HalfDay::Evening,
    };
    secretary.save_activity(None, evening).unwrap();
    let mut kept = activity(
        at(9, 45),
        at(10, 0),
        "厅长办公室",
        "签批文件",
        Visibility::Public,
    );
    kept.override_reason = Some("约谈间隙签批".to_owned());
    secretary.save_activity(None, kept).unwrap();

    let report = secretary.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{:?}", secretary.sync_issues());
    let week = secretary.schedule_week(monday).unwrap();
    let contents = |slot: usize| -> Vec<String> {
        week.days[0].slots[slot]
            .iter()
            .map(|a| a.data.content.clone())
            .collect()
    };
    assert_eq!(contents(0), ["约谈", "签批文件", "省政府常务会议"]);
    assert_eq!(contents(2), ["专题学习"]);
    assert_eq!(week.days[0].slots[0][0].leader_names, ["周志远"]);

    // The office clerk's desk never receives the confidential talk; the leader's does.
    office.sync_once().await.unwrap();
    leader.sync_once().await.unwrap();
    let names = |app: &mz_app::ClientApp| -> Vec<String> {
        let mut names: Vec<String> = app
            .activities()
            .unwrap()
            .into_iter()
            .map(|a| a.data.content)
            .collect();
        names.sort();
        names
    };
    assert!(
        !names(&office).contains(&"约谈".to_owned()),
        "{:?}",
        names(&office)
    );
    assert_eq!(names(&office).len(), 3);
    assert!(names(&leader).contains(&"约谈".to_owned()));
    // The leader reads; the office keeps the week, the leader does not write it.

    // Away on Tuesday afternoon and evening: the week shows it in those cells.
    let away = mz_api::schedule::AwayData {
        leader: leader_id.clone(),
        kind: mz_api::schedule::AwayKind::Trip,
        destination: "岳阳".to_owned(),
        from: monday + chrono::Duration::days(1),
        from_slot: HalfDay::Afternoon,
        to: monday + chrono::Duration::days(1),
        to_slot: HalfDay::Evening,
        stand_in: Some("nobody".to_owned()),
        override_reason: None,
        cancelled: false,
    };
    let error = secretary.save_away(None, away.clone()).unwrap_err();
    assert_eq!(rule_fields(error), ["stand_in"]);
    secretary
        .save_away(
            None,
            mz_api::schedule::AwayData {
                stand_in: None,
                ..away
            },
        )
        .unwrap();
    let week = secretary.schedule_week(monday).unwrap();
    let away_in = |slot: usize| week.days[1].away[slot].len();
    assert_eq!((away_in(0), away_in(1), away_in(2)), (0, 1, 1));

    // The office publishes the week; the secretary's later change is marked.
    office.sync_once().await.unwrap();
    let published = office.publish_week(monday).unwrap();
    assert_eq!(published.items.len(), 3, "what the office may read");
    office.sync_once().await.unwrap();
    secretary.sync_once().await.unwrap();
    let week = secretary.schedule_week(monday).unwrap();
    assert!(week.published.is_some());
    assert!(
        week.days[0].slots[0]
            .iter()
            .all(|a| !a.changed_since_publish),
        "nothing changed yet; the confidential talk is never the office's"
    );
    let meeting = week.days[0].slots[0]
        .iter()
        .find(|a| a.data.content == "省政府常务会议")
        .unwrap()
        .clone();
    let mut moved = meeting.data.clone();
    moved.place = "省政府 2 号会议室".to_owned();
    secretary.save_activity(Some(meeting.id), moved).unwrap();
    let week = secretary.schedule_week(monday).unwrap();
    let marked: Vec<&str> = week.days[0].slots[0]
        .iter()
        .filter(|a| a.changed_since_publish)
        .map(|a| a.data.content.as_str())
        .collect();
    assert_eq!(marked, ["省政府常务会议"]);

    let (name, pdf, pages) = secretary.week_table_pdf(monday).unwrap();
    assert!(name.starts_with("领导活动安排表-") && pdf.starts_with(b"%PDF"));
    assert!(pages[0].contains("width=\"297mm\""), "landscape A4");
    let (_, xlsx) = secretary.week_table_xlsx(monday).unwrap();
    assert!(xlsx.starts_with(b"PK"));
}
