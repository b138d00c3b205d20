//! The leadership schedule's records: who the department's leaders are and
//! whom each secretary serves (`schedule_setup`, one per unit, kept by the
//! office), and each activity (`schedule_activity`): its leaders, when,
//! where, what, who organises, attends and accompanies it, and who may see
//! it. The rules of time live in `mz_domain::schedule`.

use chrono::{NaiveDate, NaiveDateTime};
use mz_domain::FieldIssue;
use mz_domain::schedule::{Repeat, Visibility, When};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The most leaders an activity names and people it lists.
pub const MAX_LEADERS: usize = 20;
pub const MAX_PEOPLE: usize = 50;
/// The most occurrences a series takes out (cancelled or moved).
pub const MAX_EXCEPT: usize = 500;

pub mod ics;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
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
    /// What the leaders' phone feeds carry of a confidential activity: a
    /// busy time only (忙), or nothing (the office decides).
    #[serde(default = "default_feed_confidential")]
    #[schema(value_type = String)]
    pub feed_confidential: ics::ConfidentialAs,
    /// The office head (办公室主任, a user id), who approves the week's table
    /// before it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub office_head: Option<String>,
}

fn default_feed_confidential() -> ics::ConfidentialAs {
    ics::ConfidentialAs::Busy
}

fn default_travel() -> u32 {
    30
}

impl Default for ScheduleSetupData {
    fn default() -> Self {
        ScheduleSetupData {
            leaders: Vec::new(),
            secretaries: Vec::new(),
            travel_minutes: default_travel(),
            feed_confidential: default_feed_confidential(),
            office_head: None,
        }
    }
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
    if body.feed_confidential == ics::ConfidentialAs::Shown {
        issues.push(FieldIssue::new(
            "feed_confidential",
            "手机订阅不能显示机密活动：请选择“只显示忙”或“不显示”",
        ));
    }
    if body
        .office_head
        .as_deref()
        .is_some_and(|h| h.trim().is_empty())
    {
        issues.push(FieldIssue::new("office_head", "请选择办公室主任"));
    }
    if !(5..=24 * 60).contains(&body.travel_minutes) {
        issues.push(FieldIssue::new(
            "travel_minutes",
            "路程时间应为 5 分钟至 24 小时",
        ));
    }
    issues
}

/// What an activity is found by: what it is (its content), and its place,
/// organiser and attendees.
pub fn searched_activity(
    data: &serde_json::Value,
) -> Result<crate::records::Searched, serde_json::Error> {
    let activity = ActivityData::deserialize(data)?;
    Ok(crate::records::Searched {
        title: activity.content,
        text: format!(
            "{}\n{}\n{}",
            activity.place,
            activity.organiser,
            activity.attendees.join("、")
        ),
    })
}

/// An activity is about its first day.
pub fn activity_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    Ok(Some(ActivityData::deserialize(data)?.day()))
}

/// What a government affair of the department's week (政务安排) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum AffairKind {
    /// 会议
    Meeting,
    /// 检查
    Inspection,
    /// 调研
    Survey,
    /// 接待 (a visit received)
    Visit,
    /// 其他
    Other,
}

impl AffairKind {
    pub const ALL: [AffairKind; 5] = [
        AffairKind::Meeting,
        AffairKind::Inspection,
        AffairKind::Survey,
        AffairKind::Visit,
        AffairKind::Other,
    ];

    /// As the week's table names it.
    pub fn label(self) -> &'static str {
        match self {
            AffairKind::Meeting => "会议",
            AffairKind::Inspection => "检查",
            AffairKind::Survey => "调研",
            AffairKind::Visit => "接待",
            AffairKind::Other => "其他",
        }
    }
}

/// The body of a `schedule_activity` record: a leader's activity, or a
/// government affair of the department (政务安排) that leaders may attend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ActivityData {
    /// The leaders' user ids, in the setup's order: at least one for a
    /// leader's activity, any number for an affair.
    pub leaders: Vec<String>,
    /// A 政务安排 (a meeting, an inspection, a visit of the department)
    /// rather than a leader's own activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub affair: Option<AffairKind>,
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
    /// How it repeats (its `when` is the first occurrence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    #[schema(value_type = Option<Object>)]
    pub repeat: Option<Repeat>,
    /// The occurrence of a series this record moves or changes (iCalendar's
    /// RECURRENCE-ID): the series and the start it has there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    #[schema(value_type = Option<Object>)]
    pub occurrence_of: Option<OccurrenceOf>,
    /// iCalendar's SEQUENCE: raised by each change of its time, place or
    /// content, so that a calendar that holds it takes the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sequence: Option<u32>,
}

/// An occurrence of a series, by the series' id and the start the
/// occurrence has in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct OccurrenceOf {
    pub series: uuid::Uuid,
    #[ts(type = "string")]
    pub start: NaiveDateTime,
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
    if (body.leaders.is_empty() && body.affair.is_none()) || body.leaders.len() > MAX_LEADERS {
        issues.push(FieldIssue::new("leaders", "请选择参加的领导"));
    }
    // A confidential activity is seen by its leaders and their secretaries
    // alone: an affair no leader attends would be seen by no one.
    if body.leaders.is_empty() && body.visibility == Visibility::Confidential {
        issues.push(FieldIssue::new(
            "visibility",
            "没有领导参加的政务安排不能设为机密",
        ));
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
    if let Some(repeat) = &mut body.repeat {
        if body.occurrence_of.is_some() {
            issues.push(FieldIssue::new("repeat", "重复活动中的一次不能再重复"));
        }
        match mz_domain::schedule::normal_rule(&repeat.rule) {
            Ok(rule) => repeat.rule = rule,
            Err(message) => issues.push(FieldIssue::new("repeat.rule", message)),
        }
        repeat.except.sort();
        repeat.except.dedup();
        if repeat.except.len() > MAX_EXCEPT {
            issues.push(FieldIssue::new(
                "repeat.except",
                format!("一个重复系列最多取消或改动 {MAX_EXCEPT} 次"),
            ));
        } else if issues
            .iter()
            .all(|i| i.field != "when" && i.field != "repeat.rule")
        {
            issues.extend(repeat.issues(&body.when));
        }
    }
    issues
}

/// One occurrence of an activity: its record, when it takes place, and
/// the start it has in its series (none for a single activity).
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    pub id: uuid::Uuid,
    pub activity: &'a ActivityData,
    pub when: When,
    pub series_start: Option<NaiveDateTime>,
}

/// The occurrences of `activities` that touch `window`: a single activity
/// as it is; a series' occurrences (those on rest days skipped as `rest`
/// tells, when it says so), less those another record of the set moves
/// or changes (its `occurrence_of`). A stored rule that no longer expands
/// is an error naming its record, never skipped.
pub fn occurrences<'a>(
    activities: &[(uuid::Uuid, &'a ActivityData)],
    window: (NaiveDateTime, NaiveDateTime),
    rest: &dyn Fn(NaiveDate) -> bool,
) -> Result<Vec<Occurrence<'a>>, (uuid::Uuid, String)> {
    let moved: std::collections::HashSet<(uuid::Uuid, NaiveDateTime)> = activities
        .iter()
        .filter_map(|(_, a)| a.occurrence_of.as_ref().map(|o| (o.series, o.start)))
        .collect();
    let mut found = Vec::new();
    for (id, activity) in activities {
        let Some(repeat) = &activity.repeat else {
            if mz_domain::schedule::overlaps(activity.when.span(), window) {
                found.push(Occurrence {
                    id: *id,
                    activity,
                    when: activity.when.clone(),
                    series_start: None,
                });
            }
            continue;
        };
        let (first, first_end) = activity.when.span();
        if first >= window.1 {
            continue;
        }
        let length = first_end - first;
        for start in repeat.starts(first, rest).map_err(|m| (*id, m))? {
            if start >= window.1 {
                break;
            }
            if start + length <= window.0 || moved.contains(&(*id, start)) {
                continue;
            }
            found.push(Occurrence {
                id: *id,
                activity,
                when: activity.when.shifted(start - first),
                series_start: Some(start),
            });
        }
    }
    Ok(found)
}

/// The span from the first occurrence's start to the last one's end (a
/// single activity's own span).
pub fn whole_span(
    activity: &ActivityData,
    rest: &dyn Fn(NaiveDate) -> bool,
) -> Result<(NaiveDateTime, NaiveDateTime), String> {
    let (first, first_end) = activity.when.span();
    let Some(repeat) = &activity.repeat else {
        return Ok((first, first_end));
    };
    let last = repeat.starts(first, rest)?.last().copied().unwrap_or(first);
    Ok((first, last + (first_end - first)))
}

/// The first of `others`' occurrences that keeps one of the leaders of
/// `mine` elsewhere at the same time, with the occurrence of `mine` it
/// meets (cancelled ones meet nothing).
pub fn first_overlap<'m, 'o, 'a>(
    mine: &'m [Occurrence<'a>],
    others: &'o [Occurrence<'a>],
) -> Option<(&'m Occurrence<'a>, &'o Occurrence<'a>)> {
    for one in mine.iter().filter(|m| !m.activity.cancelled) {
        let span = one.when.span();
        let clash = others.iter().find(|o| {
            !o.activity.cancelled
                && o.id != one.id
                && o.activity
                    .leaders
                    .iter()
                    .any(|l| one.activity.leaders.contains(l))
                && mz_domain::schedule::overlaps(span, o.when.span())
        });
        if let Some(other) = clash {
            return Some((one, other));
        }
    }
    None
}

/// Whether a change places or moves an activity, so that its overlaps are
/// settled again: a new one, another time, other leaders, one that was
/// cancelled, another repeat. An edit that keeps these is not held to an
/// overlap again.
pub fn placed_or_moved(previous: Option<&ActivityData>, next: &ActivityData) -> bool {
    previous.is_none_or(|p| {
        p.when != next.when
            || p.leaders != next.leaders
            || p.cancelled
            || p.repeat.as_ref().map(|r| (&r.rule, r.skip_rest_days))
                != next.repeat.as_ref().map(|r| (&r.rule, r.skip_rest_days))
    })
}

/// The rules of an activity that need the rest days (`rest`) and, for a
/// changed occurrence, its series (`series`: the record it names, when the
/// writer may read it): a series happens at least once with its rest days
/// skipped; a changed occurrence stands for one of its series' starts.
pub fn series_issues(
    body: &ActivityData,
    series: Option<&ActivityData>,
    rest: &dyn Fn(NaiveDate) -> bool,
) -> Vec<FieldIssue> {
    if let Some(repeat) = &body.repeat
        && !body.cancelled
    {
        match repeat.starts(body.when.span().0, rest) {
            Err(message) => return vec![FieldIssue::new("repeat.rule", message)],
            Ok(starts) if starts.is_empty() => {
                return vec![FieldIssue::new(
                    "repeat.rule",
                    "这条重复规则一次也不发生（节假日都已跳过）",
                )];
            }
            Ok(_) => {}
        }
    }
    let Some(of) = &body.occurrence_of else {
        return Vec::new();
    };
    let Some((series, repeat)) = series.and_then(|s| s.repeat.as_ref().map(|r| (s, r))) else {
        return vec![FieldIssue::new("occurrence_of", "没有这项重复活动")];
    };
    match repeat.starts(series.when.span().0, rest) {
        Err(message) => vec![FieldIssue::new("occurrence_of", message)],
        Ok(starts) if !starts.contains(&of.start) => vec![FieldIssue::new(
            "occurrence_of",
            format!(
                "{} 不是这项重复活动中的一次",
                of.start.format("%Y-%m-%d %H:%M")
            ),
        )],
        Ok(_) => Vec::new(),
    }
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
    if let Some(previous) = previous {
        if next.sequence.unwrap_or(0) < previous.sequence.unwrap_or(0) {
            return vec![FieldIssue::new(
                "sequence",
                "这是较早的版本：日历中已有更新的变更",
            )];
        }
        // A changed occurrence stays one (its series may move it along, or a
        // split hand it to the new series); a single activity never becomes one.
        if previous.occurrence_of.is_some() != next.occurrence_of.is_some() {
            return vec![FieldIssue::new(
                "occurrence_of",
                "重复活动中的一次与单独的活动不能互相改变",
            )];
        }
    }
    Vec::new()
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
/// submitted it and its head approved it (normally by Monday morning), with
/// what it held then.
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
    /// The office head who approved it (published); none while it waits for
    /// the approval (submitted). The platform writes the approver's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approved_by: Option<String>,
}

impl ActivityData {
    /// The fingerprint a published week keeps of it.
    pub fn fingerprint(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        mz_domain::blob::sha256_hex(text.as_bytes())
    }
}

/// A phone feed asked for: whose schedule it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct FeedRequest {
    /// The leader's user id.
    pub leader: String,
}

/// A leader's phone feed, as the office, the leader and their secretaries
/// see it (never its token, which only its maker saw once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct Feed {
    pub id: uuid::Uuid,
    pub leader: String,
    pub leader_name: String,
    /// Who made it (user id).
    pub created_by: String,
    #[ts(type = "string")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[ts(type = "string | null")]
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    #[ts(type = "string | null")]
    pub last_fetch_at: Option<chrono::DateTime<chrono::Utc>>,
    /// How many times a phone fetched it.
    #[ts(type = "number")]
    pub fetches: i64,
}

/// A feed just made: its address holds the token, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct NewFeed {
    pub feed: Feed,
    /// The path under the platform's address (`/api/v1/schedule/feed/<token>.ics`).
    pub path: String,
}

/// How often a phone is asked to fetch a feed again, in minutes.
pub const FEED_REFRESH_MINUTES: u32 = 240;
/// The most live feeds one leader has (one per phone or calendar).
pub const MAX_FEEDS_PER_LEADER: usize = 5;

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
            repeat: None,
            occurrence_of: None,
            sequence: None,
            affair: None,
        }
    }

    #[test]
    fn an_affair_needs_no_leader_but_then_is_not_confidential() {
        let mut meeting = activity(&[], "2026-03-02 14:30", "2026-03-02 16:30");
        meeting.affair = Some(AffairKind::Meeting);
        assert!(normal_activity(&mut meeting).is_empty());
        meeting.visibility = Visibility::Confidential;
        let fields: Vec<String> = normal_activity(&mut meeting)
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, ["visibility"]);
        // With a leader it is theirs to see, like any of their activities.
        let mut visit = activity(&["u1"], "2026-03-02 14:30", "2026-03-02 16:30");
        visit.affair = Some(AffairKind::Visit);
        visit.visibility = Visibility::Confidential;
        assert!(normal_activity(&mut visit).is_empty());
        // Stored without the field, an activity is a leader's own.
        let stored: ActivityData = serde_json::from_value(serde_json::json!({
            "leaders": ["u1"], "when": {"kind": "all_day", "from": "2026-03-02", "to": "2026-03-02"},
            "content": "调研", "visibility": "public"
        }))
        .unwrap();
        assert_eq!(stored.affair, None);
        assert!(
            serde_json::to_value(&stored)
                .unwrap()
                .get("affair")
                .is_none()
        );
        let labels: Vec<&str> = AffairKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels, ["会议", "检查", "调研", "接待", "其他"]);
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
        let id = |n: u128| uuid::Uuid::from_u128(n);
        let window = (at("2026-03-01 00:00"), at("2026-03-09 00:00"));
        let none = |_: NaiveDate| false;
        let mine = occurrences(&[(id(1), &meeting)], window, &none).unwrap();
        let theirs = occurrences(
            &[
                (id(2), &cancelled),
                (id(3), &other),
                (id(4), &after),
                (id(5), &visit),
            ],
            window,
            &none,
        )
        .unwrap();
        let (_, found) = first_overlap(&mine, &theirs).unwrap();
        assert_eq!(found.id, id(5));
        assert_eq!(
            check_activity_change(Some(&cancelled), &visit)[0].field,
            "cancelled"
        );
    }

    #[test]
    fn a_series_meets_a_leader_elsewhere_on_one_of_its_days_but_not_where_an_occurrence_moved() {
        let none = |_: NaiveDate| false;
        let mut weekly = activity(&["u1"], "2026-03-02 09:00", "2026-03-02 10:00");
        weekly.repeat = Some(Repeat {
            rule: "FREQ=WEEKLY;BYDAY=MO;COUNT=4".to_owned(),
            skip_rest_days: false,
            except: Vec::new(),
        });
        assert!(normal_activity(&mut weekly).is_empty());
        let visit = activity(&["u1"], "2026-03-16 09:30", "2026-03-16 11:00");
        let window = whole_span(&weekly, &none).unwrap();
        assert_eq!(window.1, at("2026-03-23 10:00"));
        let id = |n: u128| uuid::Uuid::from_u128(n);
        let mine = occurrences(&[(id(1), &weekly)], window, &none).unwrap();
        assert_eq!(mine.len(), 4);
        let theirs = occurrences(&[(id(2), &visit)], window, &none).unwrap();
        let (clash, _) = first_overlap(&mine, &theirs).unwrap();
        assert_eq!(clash.series_start, Some(at("2026-03-16 09:00")));
        // The 16th's meeting moved to the afternoon by a record of its own.
        let mut moved = activity(&["u1"], "2026-03-16 15:00", "2026-03-16 16:00");
        moved.occurrence_of = Some(OccurrenceOf {
            series: id(1),
            start: at("2026-03-16 09:00"),
        });
        let all = occurrences(&[(id(1), &weekly), (id(3), &moved)], window, &none).unwrap();
        let (mine, theirs): (Vec<_>, Vec<_>) = all.into_iter().partition(|o| o.id == id(1));
        assert_eq!(mine.len(), 3);
        let theirs: Vec<_> = theirs
            .into_iter()
            .chain(occurrences(&[(id(2), &visit)], window, &none).unwrap())
            .collect();
        assert!(first_overlap(&mine, &theirs).is_none());
        // A never-ending repeat is refused with its field.
        let mut endless = weekly.clone();
        endless.repeat = Some(Repeat {
            rule: "FREQ=WEEKLY".to_owned(),
            skip_rest_days: false,
            except: Vec::new(),
        });
        assert_eq!(normal_activity(&mut endless)[0].field, "repeat.rule");
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
            feed_confidential: crate::schedule::ics::ConfidentialAs::Busy,
            office_head: None,
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
            feed_confidential: crate::schedule::ics::ConfidentialAs::Busy,
            office_head: None,
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
