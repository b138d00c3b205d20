//! The demo department's leadership schedule: its leaders (厅长, 常务副厅长,
//! two 副厅长 and 纪检组长), two secretaries and whom they serve, and this
//! week's activities — meetings, a visit, a day away, a confidential talk,
//! an evening, an overlap that stands with its reason, and the executive
//! deputy away at a meeting with a stand-in.
//!
//! Pushed as the office would push them, so the platform's rules (and the
//! audience of the confidential one) apply as to any desk.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use mz_api::records::RecordKind;
use mz_api::schedule::{ActivityData, Leader, ScheduleSetupData, Secretary};
use mz_domain::Role;
use mz_domain::schedule::{HalfDay, Visibility, When};

use super::{entry, invalid};
use crate::admin::AdminError;
use crate::sync::History;
use crate::{AppState, Clock, Db};

const UNIT: &str = "430000-civil";
const IMPORT_DEVICE: &str = "01900000-0000-7000-8000-000000000de3";

/// The leaders: username, title, principal, executive deputy.
const LEADERS: &[(&str, &str, bool, bool)] = &[
    ("leader", "厅长", true, false),
    ("deputy1", "常务副厅长", false, true),
    ("deputy2", "副厅长", false, false),
    ("deputy3", "副厅长", false, false),
    ("discipline", "纪检组长", false, false),
];

/// The secretaries and the leaders they serve.
const SECRETARIES: &[(&str, &[&str])] = &[
    ("secretary", &["leader", "deputy1"]),
    ("secretary2", &["deputy2", "deputy3", "discipline"]),
];

/// Seeds the schedule once: nothing happens when there is a setup.
pub async fn seed_schedule(db: &Db, clock: &Clock) -> Result<usize, AdminError> {
    let who = super::Importer {
        kind: "schedule_setup",
        username: "office_staff",
        roles: vec![Role::OfficeStaff],
        unit: (UNIT, "湖南省民政厅"),
        region: "430000",
        device: IMPORT_DEVICE,
    };
    let Some(caller) = super::importer(db, who).await? else {
        return Ok(0);
    };
    let mut users = std::collections::HashMap::new();
    for (username, name) in sqlx::query_as::<_, (String, String, String)>(
        "SELECT username, id, display_name FROM users WHERE org_unit = $1",
    )
    .bind(UNIT)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(u, id, name)| (u, (id, name)))
    {
        users.insert(username, name);
    }
    let user = |username: &str| {
        users
            .get(username)
            .cloned()
            .ok_or_else(|| invalid(format!("the demo user {username}")))
    };
    let mut leaders = Vec::new();
    for (username, title, principal, executive_deputy) in LEADERS {
        let (user_id, name) = user(username)?;
        leaders.push(Leader {
            user_id,
            name,
            title: (*title).to_owned(),
            principal: *principal,
            executive_deputy: *executive_deputy,
        });
    }
    let mut secretaries = Vec::new();
    for (username, served) in SECRETARIES {
        let (user_id, name) = user(username)?;
        secretaries.push(Secretary {
            user_id,
            name,
            leaders: served
                .iter()
                .map(|u| user(u).map(|(id, _)| id))
                .collect::<Result<_, _>>()?,
        });
    }
    let setup = ScheduleSetupData {
        leaders,
        secretaries,
        travel_minutes: 30,
        feed_confidential: mz_api::schedule::ics::ConfidentialAs::Busy,
        // The office's clerk of the demo is its head: they approve the week.
        office_head: Some(user("office_staff")?.0),
    };
    let id = |username: &str| user(username).map(|(id, _)| id);
    let today = mz_domain::holiday::china_date(crate::clock::to_datetime(clock.now_ms()));
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let day = |n: i64| monday + Duration::days(n);
    let timed = |d: NaiveDate, from: (u32, u32), to: (u32, u32)| {
        let at = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).ok_or_else(|| invalid("a demo time"));
        Ok::<_, AdminError>(When::Timed {
            start: d.and_time(at(from)?),
            end: d.and_time(at(to)?),
        })
    };
    let all: Vec<String> = LEADERS
        .iter()
        .map(|(u, ..)| id(u))
        .collect::<Result<_, _>>()?;
    let activity =
        |leaders: Vec<String>, when, place: &str, content: &str, visibility| ActivityData {
            leaders,
            when,
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
            sequence: None,
            affair: None,
        };
    // The department's government affairs (政务安排) of the week: a
    // training meeting no leader attends, a visit the executive deputy
    // receives.
    let affair = |kind, mut data: ActivityData, organiser: &str| {
        data.affair = Some(kind);
        data.organiser = organiser.to_owned();
        data
    };
    let training = affair(
        mz_api::schedule::AffairKind::Meeting,
        activity(
            Vec::new(),
            timed(day(1), (14, 30), (16, 30))?,
            "厅机关 5 楼培训室",
            "全省婚姻登记员业务培训会",
            Visibility::Public,
        ),
        "社会事务处",
    );
    let visit = affair(
        mz_api::schedule::AffairKind::Visit,
        activity(
            vec![id("deputy1")?],
            timed(day(2), (14, 30), (17, 0))?,
            "厅机关 3 楼会议室",
            "接待民政部殡葬改革调研组",
            Visibility::Internal,
        ),
        "办公室",
    );
    let mut overlap = activity(
        vec![id("deputy3")?],
        timed(day(3), (15, 0), (16, 30))?,
        "省妇联",
        "出席全省儿童福利工作推进会",
        Visibility::Public,
    );
    overlap.override_reason = Some("视频会议开场讲话后即赴省妇联".to_owned());
    // The principal's weekly meeting of the heads of division, every
    // Friday morning for twelve weeks, never on a rest day.
    let mut weekly = activity(
        vec![id("leader")?],
        timed(day(4), (8, 30), (9, 30))?,
        "厅机关 3 楼会议室",
        "处室负责人周例会",
        Visibility::Internal,
    );
    weekly.repeat = Some(mz_domain::schedule::Repeat {
        rule: "FREQ=WEEKLY;BYDAY=FR;COUNT=12".to_owned(),
        skip_rest_days: true,
        except: Vec::new(),
    });
    let activities = vec![
        weekly,
        training,
        visit,
        activity(
            all,
            timed(day(0), (9, 0), (11, 30))?,
            "厅机关 3 楼会议室",
            "厅党组会",
            Visibility::Internal,
        ),
        activity(
            vec![id("deputy1")?],
            timed(day(0), (15, 0), (17, 0))?,
            "长沙市芙蓉区",
            "调研芙蓉区婚姻登记处",
            Visibility::Public,
        ),
        activity(
            vec![id("deputy2")?],
            When::AllDay {
                from: day(1),
                to: day(1),
            },
            "岳阳市",
            "赴岳阳调研殡葬改革",
            Visibility::Public,
        ),
        activity(
            vec![id("leader")?],
            timed(day(2), (9, 0), (10, 0))?,
            "厅长办公室",
            "约谈",
            Visibility::Confidential,
        ),
        activity(
            vec![id("leader")?],
            timed(day(2), (10, 30), (12, 0))?,
            "省政府",
            "出席省政府常务会议",
            Visibility::Public,
        ),
        activity(
            vec![id("leader")?, id("deputy3")?],
            timed(day(3), (14, 30), (16, 0))?,
            "厅机关视频会议室",
            "全省民政工作视频会",
            Visibility::Internal,
        ),
        overlap,
        activity(
            vec![id("discipline")?],
            When::HalfDay {
                day: day(4),
                slot: HalfDay::Evening,
            },
            "厅机关",
            "廉政教育专题讲座",
            Visibility::Public,
        ),
    ];
    let mut entries = vec![entry(
        1,
        RecordKind::ScheduleSetup,
        serde_json::to_value(setup).map_err(invalid)?,
    )];
    for (activity, seq) in activities.into_iter().zip(2..) {
        entries.push(entry(
            seq,
            RecordKind::ScheduleActivity,
            serde_json::to_value(activity).map_err(invalid)?,
        ));
    }
    // The executive deputy at a meeting in Beijing, 刘建新 standing in.
    let away = mz_api::schedule::AwayData {
        leader: id("deputy1")?,
        kind: mz_api::schedule::AwayKind::Meeting,
        destination: "北京（民政部会议）".to_owned(),
        from: day(3),
        from_slot: HalfDay::Afternoon,
        to: day(4),
        to_slot: HalfDay::Evening,
        stand_in: Some(id("deputy2")?),
        override_reason: None,
        cancelled: false,
    };
    let seq = i64::try_from(entries.len()).map_err(invalid)? + 1;
    entries.push(entry(
        seq,
        RecordKind::AwayReport,
        serde_json::to_value(away).map_err(invalid)?,
    ));
    let mut state = AppState::new(db.clone());
    state.clock = clock.clone();
    super::push_all(&state, &caller, entries, History::Live).await
}
