//! The leadership schedule's records: who the department's leaders are and
//! whom each secretary serves (`schedule_setup`, one per unit, kept by the
//! office), and each activity (`schedule_activity`): its leaders, when,
//! where, what, who organises, attends and accompanies it, and who may see
//! it. The rules of time live in `mz_domain::schedule`.

use chrono::NaiveDate;
use mz_domain::FieldIssue;
use mz_domain::schedule::{Visibility, When};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The most leaders an activity names and people it lists.
pub const MAX_LEADERS: usize = 20;
pub const MAX_PEOPLE: usize = 50;

/// A leader of the department, in the order the table lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Leader {
    /// The leader's user id on the platform.
    pub user_id: String,
    pub name: String,
    /// 厅长, 副厅长, 纪检组长 …
    pub title: String,
    /// The principal leader (主要负责人).
    #[serde(default)]
    pub principal: bool,
    /// The executive deputy (常务副职).
    #[serde(default)]
    pub executive_deputy: bool,
}

/// A secretary and the leaders they serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Secretary {
    pub user_id: String,
    pub name: String,
    /// The leaders' user ids.
    pub leaders: Vec<String>,
}

/// The body of a `schedule_setup` record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSetupData {
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub leaders: Vec<Leader>,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub secretaries: Vec<Secretary>,
    /// The least time, in minutes, between activities in two places.
    #[serde(default = "default_travel")]
    pub travel_minutes: u32,
}

fn default_travel() -> u32 {
    30
}

impl ScheduleSetupData {
    pub fn leader(&self, user_id: &str) -> Option<&Leader> {
        self.leaders.iter().find(|l| l.user_id == user_id)
    }

    /// The leaders a secretary serves.
    pub fn served_by(&self, secretary: &str) -> Vec<&str> {
        self.secretaries
            .iter()
            .filter(|s| s.user_id == secretary)
            .flat_map(|s| s.leaders.iter().map(String::as_str))
            .collect()
    }

    /// The first of `leaders` a user may not keep, with the words of the
    /// refusal: the office keeps every leader, a secretary only those they
    /// serve.
    pub fn not_kept<'a>(
        &self,
        user_id: &str,
        roles: &[mz_domain::Role],
        leaders: impl IntoIterator<Item = &'a String>,
    ) -> Option<String> {
        if roles.contains(&mz_domain::Role::OfficeStaff) {
            return None;
        }
        let served = self.served_by(user_id);
        let other = leaders
            .into_iter()
            .find(|l| !served.contains(&l.as_str()))?;
        let name = self.leader(other).map_or(other.as_str(), |l| &l.name);
        Some(format!("您不是{name}的秘书，不能安排其活动"))
    }

    /// The secretaries of any of `leaders`.
    pub fn secretaries_of<'a>(&'a self, leaders: &'a [String]) -> impl Iterator<Item = &'a str> {
        self.secretaries
            .iter()
            .filter(|s| s.leaders.iter().any(|l| leaders.contains(l)))
            .map(|s| s.user_id.as_str())
    }
}

/// A setup on its own: each leader and secretary once, a secretary serving
/// leaders of the setup, at most one principal and one executive deputy.
pub fn normal_setup(body: &mut ScheduleSetupData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, leader) in body.leaders.iter_mut().enumerate() {
        leader.name = leader.name.trim().to_owned();
        leader.title = leader.title.trim().to_owned();
        if leader.user_id.is_empty() || !seen.insert(leader.user_id.clone()) {
            issues.push(FieldIssue::new(
                format!("leaders[{i}].user_id"),
                "每位领导列一次",
            ));
        }
        if leader.name.is_empty() {
            issues.push(FieldIssue::new(format!("leaders[{i}].name"), "请填写姓名"));
        }
    }
    for (flag, label) in [(true, "主要负责人"), (false, "常务副职")] {
        let count = body
            .leaders
            .iter()
            .filter(|l| {
                if flag {
                    l.principal
                } else {
                    l.executive_deputy
                }
            })
            .count();
        if count > 1 {
            issues.push(FieldIssue::new("leaders", format!("{label}只能有一位")));
        }
    }
    for (i, secretary) in body.secretaries.iter().enumerate() {
        for leader in &secretary.leaders {
            if body.leader(leader).is_none() {
                issues.push(FieldIssue::new(
                    format!("secretaries[{i}].leaders"),
                    "秘书服务的领导须在领导名单中",
                ));
            }
        }
    }
    if !(5..=24 * 60).contains(&body.travel_minutes) {
        issues.push(FieldIssue::new(
            "travel_minutes",
            "路程时间应为 5 分钟至 24 小时",
        ));
    }
    issues
}

/// The body of a `schedule_activity` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ActivityData {
    /// The leaders' user ids, in the setup's order.
    pub leaders: Vec<String>,
    #[schema(value_type = Object)]
    pub when: When,
    #[serde(default)]
    pub place: String,
    pub content: String,
    /// Who organises it (主办单位).
    #[serde(default)]
    pub organiser: String,
    /// Who attends (参加人员).
    #[serde(default)]
    pub attendees: Vec<String>,
    /// Who accompanies the leader (陪同人员).
    #[serde(default)]
    pub accompany: Vec<String>,
    #[schema(value_type = String)]
    pub visibility: Visibility,
    /// Why it stands though it overlaps another of a leader's (kept).
    #[serde(default)]
    pub override_reason: Option<String>,
    /// Cancelled: kept, shown struck through, never revived.
    #[serde(default)]
    pub cancelled: bool,
}

impl ActivityData {
    /// The first day it touches.
    pub fn day(&self) -> NaiveDate {
        self.when.span().0.date()
    }
}

/// An activity on its own: a leader at least, each once; a time that
/// holds; the content; lists within their size; a reason that says
/// something when given.
pub fn normal_activity(body: &mut ActivityData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if body.leaders.is_empty() || body.leaders.len() > MAX_LEADERS {
        issues.push(FieldIssue::new("leaders", "请选择参加的领导"));
    }
    if body.leaders.iter().any(|l| !seen.insert(l.clone())) {
        issues.push(FieldIssue::new("leaders", "每位领导列一次"));
    }
    issues.extend(body.when.issues());
    body.place = body.place.trim().to_owned();
    body.content = body.content.trim().to_owned();
    body.organiser = body.organiser.trim().to_owned();
    if body.content.is_empty() {
        issues.push(FieldIssue::new("content", "请填写活动内容"));
    }
    for (field, list) in [
        ("attendees", &mut body.attendees),
        ("accompany", &mut body.accompany),
    ] {
        list.iter_mut().for_each(|p| *p = p.trim().to_owned());
        list.retain(|p| !p.is_empty());
        if list.len() > MAX_PEOPLE {
            issues.push(FieldIssue::new(field, format!("最多 {MAX_PEOPLE} 人")));
        }
    }
    if let Some(reason) = &body.override_reason {
        let reason = reason.trim().to_owned();
        if reason.chars().count() < 2 {
            issues.push(FieldIssue::new("override_reason", "请写明仍要安排的理由"));
        }
        body.override_reason = Some(reason);
    }
    issues
}

/// What an activity may become: a cancelled one stays cancelled.
pub fn check_activity_change(
    previous: Option<&ActivityData>,
    next: &ActivityData,
) -> Vec<FieldIssue> {
    if previous.is_some_and(|p| p.cancelled) && !next.cancelled {
        return vec![FieldIssue::new(
            "cancelled",
            "已取消的活动不能恢复，请重新安排",
        )];
    }
    Vec::new()
}

/// The activities of `others` that keep one of `activity`'s leaders
/// elsewhere at the same time (cancelled ones do not).
pub fn overlapping<'a>(
    activity: &ActivityData,
    others: impl IntoIterator<Item = &'a ActivityData>,
) -> Vec<&'a ActivityData> {
    if activity.cancelled {
        return Vec::new();
    }
    let span = activity.when.span();
    others
        .into_iter()
        .filter(|o| !o.cancelled)
        .filter(|o| o.leaders.iter().any(|l| activity.leaders.contains(l)))
        .filter(|o| mz_domain::schedule::overlaps(span, o.when.span()))
        .collect()
}

/// Why a leader is away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum AwayKind {
    /// 出差
    Trip,
    /// 请假
    Leave,
    /// 外出开会
    Meeting,
}

impl AwayKind {
    pub fn label(self) -> &'static str {
        match self {
            AwayKind::Trip => "出差",
            AwayKind::Leave => "请假",
            AwayKind::Meeting => "外出开会",
        }
    }
}

/// The most days one away report covers.
pub const MAX_AWAY_DAYS: i64 = 62;

/// The body of an `away_report` record (外出报备): a leader away from one
/// half-day to another, and who stands in (代主持工作).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct AwayData {
    pub leader: String,
    #[schema(value_type = String)]
    pub kind: AwayKind,
    /// Where to (for a trip or a meeting).
    #[serde(default)]
    pub destination: String,
    pub from: NaiveDate,
    #[schema(value_type = String)]
    pub from_slot: mz_domain::schedule::HalfDay,
    pub to: NaiveDate,
    #[schema(value_type = String)]
    pub to_slot: mz_domain::schedule::HalfDay,
    /// The leader who stands in, by user id.
    #[serde(default)]
    pub stand_in: Option<String>,
    /// Why it stands though the principal and the executive deputy would
    /// both be away (kept).
    #[serde(default)]
    pub override_reason: Option<String>,
    #[serde(default)]
    pub cancelled: bool,
}

impl AwayData {
    pub fn span(&self) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
        mz_domain::schedule::slots_span((self.from, self.from_slot), (self.to, self.to_slot))
    }

    pub fn cells(&self) -> Vec<(NaiveDate, mz_domain::schedule::HalfDay)> {
        mz_domain::schedule::slots_between((self.from, self.from_slot), (self.to, self.to_slot))
    }
}

/// An away report on its own: from before to, within its size, somewhere
/// to go for a trip or a meeting, a stand-in who is someone else.
pub fn normal_away(body: &mut AwayData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if (body.to, body.to_slot) < (body.from, body.from_slot) {
        issues.push(FieldIssue::new("to", "返回时间不能早于外出时间"));
    } else if (body.to - body.from).num_days() >= MAX_AWAY_DAYS {
        issues.push(FieldIssue::new(
            "to",
            format!("一次报备最长 {MAX_AWAY_DAYS} 天"),
        ));
    }
    body.destination = body.destination.trim().to_owned();
    if body.kind != AwayKind::Leave && body.destination.is_empty() {
        issues.push(FieldIssue::new("destination", "请填写去往何处"));
    }
    if body.stand_in.as_deref() == Some(body.leader.as_str()) {
        issues.push(FieldIssue::new("stand_in", "代主持工作的须是另一位领导"));
    }
    if let Some(reason) = &body.override_reason {
        let reason = reason.trim().to_owned();
        if reason.chars().count() < 2 {
            issues.push(FieldIssue::new("override_reason", "请写明仍要外出的理由"));
        }
        body.override_reason = Some(reason);
    }
    issues
}

/// The other of the principal and the executive deputy away at the same
/// time as this report's leader, when this leader is one of the two.
pub fn both_heads_away<'a>(
    away: &AwayData,
    others: impl IntoIterator<Item = &'a AwayData>,
    setup: &ScheduleSetupData,
) -> Option<&'a AwayData> {
    let me = setup.leader(&away.leader)?;
    if away.cancelled || !(me.principal || me.executive_deputy) {
        return None;
    }
    let span = away.span();
    others.into_iter().find(|o| {
        !o.cancelled
            && o.leader != away.leader
            && setup.leader(&o.leader).is_some_and(|l| {
                (me.principal && l.executive_deputy) || (me.executive_deputy && l.principal)
            })
            && mz_domain::schedule::overlaps(span, o.span())
    })
}

pub(crate) fn normalise_away(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_away(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// An activity as the week's table was published with it: its id and the
/// fingerprint of its body (a later change differs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct PublishedItem {
    pub id: uuid::Uuid,
    pub fingerprint: String,
}

/// The most activities one published week holds.
pub const MAX_WEEK_ITEMS: usize = 5_000;

/// The body of a `schedule_week` record: the week's table as the office
/// published it (normally by Monday morning), with what it held then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct WeekTableData {
    /// The week's Monday.
    pub monday: NaiveDate,
    #[ts(type = "string")]
    pub published_at: chrono::NaiveDateTime,
    pub by: String,
    #[serde(default)]
    pub items: Vec<PublishedItem>,
}

impl ActivityData {
    /// The fingerprint a published week keeps of it.
    pub fn fingerprint(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        mz_domain::blob::sha256_hex(text.as_bytes())
    }
}

/// A published week on its own: a Monday, within its size.
pub fn normal_week(body: &mut WeekTableData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if chrono::Datelike::weekday(&body.monday) != chrono::Weekday::Mon {
        issues.push(FieldIssue::new("monday", "周安排表从星期一开始"));
    }
    if body.items.len() > MAX_WEEK_ITEMS {
        issues.push(FieldIssue::new(
            "items",
            format!("一周最多 {MAX_WEEK_ITEMS} 项"),
        ));
    }
    issues
}

pub(crate) fn normalise_week(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_week(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

pub(crate) fn normalise_setup(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_setup(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

pub(crate) fn normalise_activity(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let mut body = read_body(data)?;
    let issues = normal_activity(&mut body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

pub(crate) fn activity_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    _today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, check_activity_change)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn activity(leaders: &[&str], start: &str, end: &str) -> ActivityData {
        ActivityData {
            leaders: leaders.iter().map(|l| (*l).to_owned()).collect(),
            when: When::Timed {
                start: at(start),
                end: at(end),
            },
            place: "厅机关 3 楼会议室".to_owned(),
            content: "厅党组会".to_owned(),
            organiser: "办公室".to_owned(),
            attendees: vec![" 各处室负责人 ".to_owned(), String::new()],
            accompany: Vec::new(),
            visibility: Visibility::Public,
            override_reason: None,
            cancelled: false,
        }
    }

    #[test]
    fn an_activity_needs_a_leader_a_time_that_holds_and_its_content() {
        let mut good = activity(&["u1"], "2026-03-02 09:00", "2026-03-02 11:00");
        assert!(normal_activity(&mut good).is_empty());
        assert_eq!(good.attendees, ["各处室负责人"]);
        let mut bad = activity(&[], "2026-03-02 11:00", "2026-03-02 09:00");
        bad.content = " ".to_owned();
        bad.override_reason = Some(" ".to_owned());
        let fields: Vec<String> = normal_activity(&mut bad)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, ["leaders", "when", "content", "override_reason"]);
    }

    #[test]
    fn a_leader_in_two_places_at_once_is_found_and_a_cancelled_one_is_not() {
        let meeting = activity(&["u1", "u2"], "2026-03-02 09:00", "2026-03-02 11:00");
        let visit = activity(&["u2"], "2026-03-02 10:30", "2026-03-02 12:00");
        let other = activity(&["u3"], "2026-03-02 10:00", "2026-03-02 11:00");
        let after = activity(&["u1"], "2026-03-02 11:00", "2026-03-02 12:00");
        let mut cancelled = visit.clone();
        cancelled.cancelled = true;
        let found = overlapping(&meeting, [&visit, &other, &after, &cancelled]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0], &visit);
        assert_eq!(
            check_activity_change(Some(&cancelled), &visit)[0].field,
            "cancelled"
        );
    }

    #[test]
    fn the_principal_and_the_executive_deputy_are_not_both_away() {
        use mz_domain::schedule::HalfDay;
        let leader = |id: &str, principal, executive_deputy| Leader {
            user_id: id.to_owned(),
            name: id.to_owned(),
            title: String::new(),
            principal,
            executive_deputy,
        };
        let setup = ScheduleSetupData {
            leaders: vec![
                leader("p", true, false),
                leader("e", false, true),
                leader("d", false, false),
            ],
            secretaries: Vec::new(),
            travel_minutes: 30,
        };
        let away = |who: &str, from: &str, to: &str| AwayData {
            leader: who.to_owned(),
            kind: AwayKind::Trip,
            destination: "北京".to_owned(),
            from: from.parse().unwrap(),
            from_slot: HalfDay::Morning,
            to: to.parse().unwrap(),
            to_slot: HalfDay::Evening,
            stand_in: None,
            override_reason: None,
            cancelled: false,
        };
        let principal = away("p", "2026-03-02", "2026-03-04");
        let deputy = away("e", "2026-03-04", "2026-03-05");
        let later = away("e", "2026-03-05", "2026-03-06");
        let other = away("d", "2026-03-02", "2026-03-04");
        assert_eq!(
            both_heads_away(&principal, [&deputy, &other], &setup),
            Some(&deputy)
        );
        assert_eq!(both_heads_away(&principal, [&later, &other], &setup), None);
        assert_eq!(both_heads_away(&other, [&principal], &setup), None);
        let mut backwards = away("p", "2026-03-04", "2026-03-02");
        assert_eq!(normal_away(&mut backwards)[0].field, "to");
    }

    #[test]
    fn a_setup_names_each_leader_once_and_one_principal() {
        let leader = |id: &str, principal: bool| Leader {
            user_id: id.to_owned(),
            name: "张三".to_owned(),
            title: "副厅长".to_owned(),
            principal,
            executive_deputy: false,
        };
        let mut setup = ScheduleSetupData {
            leaders: vec![leader("u1", true), leader("u1", true)],
            secretaries: vec![Secretary {
                user_id: "s1".to_owned(),
                name: "李四".to_owned(),
                leaders: vec!["u9".to_owned()],
            }],
            travel_minutes: 30,
        };
        let fields: Vec<String> = normal_setup(&mut setup)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            ["leaders[1].user_id", "leaders", "secretaries[0].leaders"]
        );
    }
}
