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

/// The office, a secretary and the leader they serve (周志远, 厅长), signed
/// in on their desks, the office its head; the setup synced to the
/// secretary.
struct Department {
    _platform: Platform,
    _dir: tempfile::TempDir,
    office: mz_app::ClientApp,
    secretary: mz_app::ClientApp,
    leader: mz_app::ClientApp,
    leader_id: String,
}

async fn department() -> Department {
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
            feed_confidential: mz_api::schedule::ics::ConfidentialAs::Busy,
            office_head: Some(id_of(&office)),
        })
        .unwrap();
    office.sync_once().await.unwrap();
    secretary.sync_once().await.unwrap();
    Department {
        _platform: platform,
        _dir: dir,
        office,
        secretary,
        leader,
        leader_id,
    }
}

/// The Monday `weeks` weeks after this week's, on `app`'s clock.
fn monday_of(app: &mz_app::ClientApp, weeks: i64) -> chrono::NaiveDate {
    let today = app.today();
    today
        - chrono::Duration::days(i64::from(
            chrono::Datelike::weekday(&today).num_days_from_monday(),
        ))
        + chrono::Duration::days(7 * weeks)
}

/// A leader's 周例会 at `place`, repeating by `rule`, seen by the office.
fn weekly_meeting(leader: &str, when: When, place: &str, rule: &str) -> ActivityData {
    ActivityData {
        leaders: vec![leader.to_owned()],
        when,
        place: place.to_owned(),
        content: "周例会".to_owned(),
        organiser: String::new(),
        attendees: Vec::new(),
        accompany: Vec::new(),
        visibility: Visibility::Internal,
        override_reason: None,
        cancelled: false,
        repeat: Some(mz_domain::schedule::Repeat {
            rule: rule.to_owned(),
            skip_rest_days: false,
            except: Vec::new(),
        }),
        occurrence_of: None,
        affair: None,
        sequence: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_keeps_a_leader_s_week_and_the_confidential_stays_theirs() {
    let Department {
        _platform,
        _dir,
        office,
        secretary,
        leader,
        leader_id,
    } = department().await;

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
        repeat: None,
        occurrence_of: None,
        affair: None,
        sequence: None,
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
    assert!(published.approved_by.is_some(), "the office head publishes");
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

/// A weekly meeting placed once holds the leader on each of its days; one
/// occurrence moves on its own, one is cancelled, and the series changes
/// from a later one on (此次及以后); a daily series skips the weekend. The
/// leader's calendar goes out as iCalendar and comes back unchanged; a file
/// with a zone it does not define, and an Excel week with a cell that is
/// not a time, import nothing and name the place; the good sheet imports
/// once. The secretary is reminded before the meeting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weekly_meeting_repeats_moves_splits_and_travels_as_icalendar_and_excel() {
    use chrono::Duration;
    use mz_domain::schedule::Repeat;

    let Department {
        _platform,
        _dir,
        office,
        secretary,
        leader: _,
        leader_id,
    } = department().await;

    let monday = |week: i64| monday_of(&secretary, week);
    let at = |week: i64, h: u32, m: u32| monday(week).and_hms_opt(h, m, 0).unwrap();
    let meeting = ActivityData {
        organiser: "办公室".to_owned(),
        attendees: vec!["各处室负责人".to_owned()],
        ..weekly_meeting(
            &leader_id,
            When::Timed {
                start: at(1, 8, 30),
                end: at(1, 9, 30),
            },
            "厅机关 3 楼会议室",
            "FREQ=WEEKLY;BYDAY=MO;COUNT=4",
        )
    };
    let series = secretary.save_activity(None, meeting.clone()).unwrap().id;
    let on_monday = |week: i64| -> Vec<(String, String)> {
        secretary.schedule_week(monday(week)).unwrap().days[0]
            .slots
            .iter()
            .flatten()
            .map(|a| {
                (
                    a.data.content.clone(),
                    a.when.span().0.format("%H:%M").to_string(),
                )
            })
            .collect()
    };
    for week in 1..=4 {
        assert_eq!(on_monday(week), [("周例会".to_owned(), "08:30".to_owned())]);
    }
    assert!(on_monday(5).is_empty(), "COUNT=4");
    let entry = &secretary.schedule_week(monday(2)).unwrap().days[0].slots[0][0];
    assert_eq!(entry.series_start, Some(at(2, 8, 30)));
    assert_eq!(entry.repeat_text.as_deref(), Some("每周一，共 4 次"));

    // A visit on the second Monday meets the series there, named by its day.
    let visit = ActivityData {
        when: When::Timed {
            start: at(2, 9, 0),
            end: at(2, 10, 0),
        },
        place: "省政府".to_owned(),
        content: "省政府专题会".to_owned(),
        repeat: None,
        visibility: Visibility::Public,
        ..meeting.clone()
    };
    match secretary.save_activity(None, visit.clone()).unwrap_err() {
        AppError::Rules(issues) => {
            assert_eq!(issues[0].field, "when");
            assert!(issues[0].message.contains("周例会"), "{issues:?}");
        }
        other => panic!("{other:?}"),
    }
    // That Monday's meeting moves to the afternoon (仅此次): the visit fits.
    let afternoon = ActivityData {
        when: When::Timed {
            start: at(2, 15, 0),
            end: at(2, 16, 0),
        },
        ..meeting.clone()
    };
    secretary
        .save_occurrence(series, at(2, 8, 30), afternoon.clone())
        .unwrap();
    secretary.save_activity(None, visit).unwrap();
    assert_eq!(
        on_monday(2),
        [
            ("省政府专题会".to_owned(), "09:00".to_owned()),
            ("周例会".to_owned(), "15:00".to_owned())
        ]
    );
    // Moving it again changes the same record, not a second one.
    let count = secretary.activities().unwrap().len();
    secretary
        .save_occurrence(series, at(2, 8, 30), afternoon)
        .unwrap();
    assert_eq!(secretary.activities().unwrap().len(), count);
    // The third Monday's is cancelled; from the fourth on it meets elsewhere.
    secretary.cancel_occurrence(series, at(3, 8, 30)).unwrap();
    assert!(on_monday(3).is_empty());
    let elsewhere = ActivityData {
        place: "厅机关 5 楼会议室".to_owned(),
        when: When::Timed {
            start: at(4, 8, 30),
            end: at(4, 9, 30),
        },
        ..meeting.clone()
    };
    let split = secretary
        .split_series(series, at(4, 8, 30), elsewhere)
        .unwrap();
    assert_ne!(split.id, series);
    let fourth = &secretary.schedule_week(monday(4)).unwrap().days[0].slots[0];
    assert_eq!(fourth.len(), 1);
    assert_eq!(fourth[0].data.place, "厅机关 5 楼会议室");
    assert_eq!(fourth[0].repeat_text.as_deref(), Some("每周一，共 1 次"));
    assert_eq!(on_monday(1), [("周例会".to_owned(), "08:30".to_owned())]);

    // A daily reading hour that skips rest days (no calendar published for
    // those days here: the weekend).
    let reading = ActivityData {
        when: When::Timed {
            start: at(6, 16, 0),
            end: at(6, 17, 0),
        },
        content: "读书学习".to_owned(),
        repeat: Some(Repeat {
            rule: "FREQ=DAILY;COUNT=7".to_owned(),
            skip_rest_days: true,
            except: Vec::new(),
        }),
        ..meeting.clone()
    };
    secretary.save_activity(None, reading).unwrap();
    let week = secretary.schedule_week(monday(6)).unwrap();
    let days: Vec<usize> = week
        .days
        .iter()
        .map(|d| d.slots.iter().flatten().count())
        .collect();
    assert_eq!(days, [1, 1, 1, 1, 1, 0, 0]);

    // The leader's calendar out as iCalendar and back: nothing changes.
    let (name, text) = secretary.schedule_ics(Some(&leader_id)).unwrap();
    assert_eq!(name, "周志远的日程.ics");
    assert!(text.contains("TZID=Asia/Shanghai") && text.contains("RECURRENCE-ID"));
    let before = secretary.activities().unwrap();
    let again = secretary
        .import_schedule_ics(text.as_bytes(), None)
        .unwrap();
    assert!(again.issues.is_empty(), "{again:?}");
    assert_eq!((again.added, again.changed), (0, 0), "{again:?}");
    assert_eq!(again.unchanged, before.len());
    assert_eq!(secretary.activities().unwrap(), before);
    // A file whose event names a zone it does not define imports nothing.
    let foreign = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20260105T100000\r\nDTEND;TZID=Europe/Paris:20260105T110000\r\nSUMMARY:巴黎会议\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let refused = secretary
        .import_schedule_ics(foreign.as_bytes(), Some(leader_id.clone()))
        .unwrap();
    assert_eq!(refused.added, 0);
    assert!(
        refused.issues[0].contains("巴黎会议") && refused.issues[0].contains("Europe/Paris"),
        "{refused:?}"
    );
    let not_ics = secretary
        .import_schedule_ics(b"just some text", Some(leader_id.clone()))
        .unwrap();
    assert!(not_ics.issues[0].contains("不是 iCalendar"), "{not_ics:?}");
    assert_eq!(secretary.activities().unwrap().len(), before.len());

    // The office's old Excel week: a cell that is not a time imports nothing.
    let day = monday(8);
    let sheet = |time: &str| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.merge_range(
            0,
            0,
            0,
            4,
            "领导活动安排表",
            &rust_xlsxwriter::Format::new(),
        )
        .unwrap();
        for (c, h) in ["日期", "时间", "领导", "活动内容", "地点"]
            .iter()
            .enumerate()
        {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        let date = format!(
            "{}月{}日",
            chrono::Datelike::month(&day),
            chrono::Datelike::day(&day)
        );
        ws.merge_range(2, 0, 3, 0, &date, &rust_xlsxwriter::Format::new())
            .unwrap();
        ws.write_string(2, 1, "9:00-10:30").unwrap();
        ws.write_string(2, 2, "周志远").unwrap();
        ws.write_string(2, 3, "调研养老服务中心").unwrap();
        ws.write_string(2, 4, "长沙市").unwrap();
        ws.write_string(3, 1, time).unwrap();
        ws.write_string(3, 2, "周志远").unwrap();
        ws.write_string(3, 3, "听取工作汇报").unwrap();
        book.save_to_buffer().unwrap()
    };
    let bad = secretary
        .import_schedule_sheet(sheet("待定"), Visibility::Internal)
        .unwrap();
    assert_eq!(bad.added, 0);
    assert!(
        bad.issues[0].starts_with("第 4 行 B 列（时间）") && bad.issues[0].contains("待定"),
        "{bad:?}"
    );
    assert_eq!(secretary.activities().unwrap().len(), before.len());
    let good = secretary
        .import_schedule_sheet(sheet("下午"), Visibility::Internal)
        .unwrap();
    assert_eq!((good.added, good.issues.len()), (2, 0), "{good:?}");
    let twice = secretary
        .import_schedule_sheet(sheet("下午"), Visibility::Internal)
        .unwrap();
    assert_eq!((twice.added, twice.unchanged), (0, 2), "{twice:?}");
    let week = secretary.schedule_week(day).unwrap();
    assert_eq!(week.days[0].slots[0][0].data.content, "调研养老服务中心");
    assert_eq!(week.days[0].slots[1][0].data.content, "听取工作汇报");

    // Fifteen minutes before the first meeting the secretary is reminded.
    let due = secretary
        .due_reminders(at(1, 8, 20), Duration::minutes(15))
        .unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].title, "08:30 周例会");
    assert!(
        office
            .due_reminders(at(1, 8, 20), Duration::minutes(15))
            .unwrap()
            .is_empty(),
        "the office clerk keeps no leader's day"
    );

    let report = secretary.sync_once().await.unwrap();
    assert_eq!(report.rejected, 0, "{:?}", secretary.sync_issues());
    assert_eq!(report.conflicts, 0, "{:?}", secretary.sync_issues());
}

/// A series moved whole keeps its cancelled days and its changed
/// occurrences on their days; split, the changed occurrences after the split
/// go with the new series; cancelled, its changed occurrences are cancelled
/// with it; and an older calendar file never overwrites a newer change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_moved_split_or_cancelled_takes_its_changed_occurrences_along() {
    let Department {
        _platform,
        _dir,
        office: _,
        secretary,
        leader: _,
        leader_id,
    } = department().await;
    let monday = |week: i64| monday_of(&secretary, week);
    let at = |week: i64, h: u32| monday(week).and_hms_opt(h, 0, 0).unwrap();
    let timed = |week: i64, h: u32| When::Timed {
        start: at(week, h),
        end: at(week, h + 1),
    };
    let meeting = weekly_meeting(
        &leader_id,
        timed(1, 9),
        "厅机关",
        "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
    );
    let series = secretary.save_activity(None, meeting.clone()).unwrap().id;
    let hours = |week: i64| -> Vec<(String, bool)> {
        secretary.schedule_week(monday(week)).unwrap().days[0]
            .slots
            .iter()
            .flatten()
            .map(|a| {
                (
                    a.when.span().0.format("%H:%M").to_string(),
                    a.data.cancelled,
                )
            })
            .collect()
    };
    secretary.cancel_occurrence(series, at(2, 9)).unwrap();
    for (week, hour) in [(3, 15), (5, 16)] {
        let moved = ActivityData {
            when: timed(week, hour),
            repeat: None,
            ..meeting.clone()
        };
        secretary
            .save_occurrence(series, at(week, 9), moved)
            .unwrap();
    }
    // The whole series an hour later: the cancelled day and the changed
    // ones stay as they were.
    let stored = secretary.activities().unwrap();
    let master = stored.iter().find(|a| a.id == series).unwrap().data.clone();
    let later = ActivityData {
        when: timed(1, 10),
        ..master
    };
    secretary
        .save_activity(Some(series), later.clone())
        .unwrap();
    assert_eq!(hours(1), [("10:00".to_owned(), false)]);
    assert!(hours(2).is_empty(), "still cancelled");
    assert_eq!(
        hours(3),
        [("15:00".to_owned(), false)],
        "no second one at 10:00"
    );
    assert_eq!(hours(4), [("10:00".to_owned(), false)]);
    // The calendar as it is now, for later.
    let (_, old_file) = secretary.schedule_ics(Some(&leader_id)).unwrap();
    // From the fourth Monday on at 11:00: the fifth's change goes along.
    let eleven = ActivityData {
        when: timed(4, 11),
        ..later
    };
    let split = secretary
        .split_series(series, at(4, 10), eleven)
        .unwrap()
        .id;
    assert_eq!(hours(4), [("11:00".to_owned(), false)]);
    assert_eq!(
        hours(5),
        [("16:00".to_owned(), false)],
        "no second one at 11:00"
    );
    assert_eq!(hours(6), [("11:00".to_owned(), false)]);
    assert_eq!(
        hours(3),
        [("15:00".to_owned(), false)],
        "the old series' own change"
    );
    // The old file would bring the whole series back: it is older, refused.
    let refused = secretary
        .import_schedule_ics(old_file.as_bytes(), None)
        .unwrap();
    assert!(
        refused.issues.iter().any(|i| i.contains("较早的版本")),
        "{refused:?}"
    );
    // The new series cancelled: its change on the fifth Monday with it.
    secretary.cancel_activity(split).unwrap();
    assert_eq!(hours(5), [("16:00".to_owned(), true)]);
    assert_eq!(hours(6), [("11:00".to_owned(), true)]);

    let report = secretary.sync_once().await.unwrap();
    assert_eq!(
        (report.rejected, report.conflicts),
        (0, 0),
        "{:?}",
        secretary.sync_issues()
    );
}
