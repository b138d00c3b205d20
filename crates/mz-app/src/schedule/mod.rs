//! The leadership schedule at the desk: the week of all leaders as the
//! 领导活动安排表 lays it out (rows the days, columns 上午 / 下午 / 晚上), each
//! day marked as the holiday calendar has it; an activity placed, edited or
//! cancelled (offline too) with the platform's rules run first — a leader
//! in two places at once is refused unless the reason is written, and two
//! places too close in time are warned of; the table as a landscape PDF and
//! as Excel.
//!
//! What the desk holds is only what the platform let it pull: a
//! confidential activity of a leader the user does not serve never reaches
//! this cache.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use mz_api::records::RecordKind;
use mz_api::schedule::{
    ActivityData, AwayData, OccurrenceOf, PublishedItem, ScheduleSetupData, WeekTableData,
};
use mz_domain::FieldIssue;
use mz_domain::schedule::{HalfDay, When};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::forms::chinese_date;
use crate::reports::{Report, ReportColumn};
use crate::{AppError, AppResult, ClientApp};

pub mod feeds;
pub mod files;

/// An activity as the week lists it: one occurrence of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActivityEntry {
    pub id: Uuid,
    pub data: ActivityData,
    /// When this occurrence takes place (a single activity's own `when`).
    pub when: When,
    /// The start this occurrence has in its series (a repeating activity).
    #[ts(type = "string | null")]
    pub series_start: Option<NaiveDateTime>,
    /// How it repeats, in words (每周一，至 2026-12-31).
    pub repeat_text: Option<String>,
    /// The leaders' names, in the setup's order.
    pub leader_names: Vec<String>,
    /// Waiting to be sent.
    pub pending: bool,
    /// Placed, changed or cancelled since the week's table was published.
    pub changed_since_publish: bool,
}

/// An away report as the week lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AwayEntry {
    pub id: Uuid,
    pub data: AwayData,
    pub leader_name: String,
    pub stand_in_name: Option<String>,
    pub pending: bool,
}

impl AwayEntry {
    /// As the table's cell says it: 【出差】陈立华 北京（代主持：周志远）.
    fn line(&self) -> String {
        let stand_in = self
            .stand_in_name
            .as_ref()
            .map(|n| format!("（代主持：{n}）"))
            .unwrap_or_default();
        format!(
            "【{}】{} {}{stand_in}",
            self.data.kind.label(),
            self.leader_name,
            self.data.destination
        )
    }
}

/// A day of the week as the grid heads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekDay {
    pub day: NaiveDate,
    /// 星期一 …
    pub weekday: String,
    /// A statutory rest day (holiday or weekend), when the calendar says.
    pub rest: Option<bool>,
    /// A weekend that is a working day (调休上班).
    pub working_weekend: bool,
    /// The activities of each slot (上午, 下午, 晚上), by time then leader.
    pub slots: Vec<Vec<ActivityEntry>>,
    /// The leaders away in each slot.
    pub away: Vec<Vec<AwayEntry>>,
}

/// A week from its Monday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Week {
    pub monday: NaiveDate,
    pub days: Vec<WeekDay>,
    /// The table as the office head approved and published it, when they have.
    pub published: Option<WeekTableData>,
    /// The table as submitted, waiting for the office head's approval.
    pub awaiting: Option<WeekTableData>,
}

/// What the desk warns of before saving (not refused): two places too close
/// in time for the journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActivitySaved {
    pub id: Uuid,
    pub warnings: Vec<String>,
}

const WEEKDAYS: [&str; 7] = [
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
];

impl ClientApp {
    /// The department's leaders and secretaries, as the platform last gave
    /// them (empty before the first sync).
    pub fn schedule_setup(&self) -> AppResult<ScheduleSetupData> {
        match self.store()?.records(RecordKind::ScheduleSetup)?.first() {
            Some(record) => Ok(record.body()?),
            None => Ok(ScheduleSetupData::default()),
        }
    }

    /// Saves the setup (one per unit; the office keeps it).
    pub fn save_schedule_setup(&self, setup: &ScheduleSetupData) -> AppResult<()> {
        let id = self
            .store()?
            .records(RecordKind::ScheduleSetup)?
            .first()
            .map_or_else(Uuid::now_v7, |r| r.id);
        let value = serde_json::to_value(setup).map_err(AppError::Json)?;
        self.save_record(RecordKind::ScheduleSetup, id, value)
    }

    /// Every activity in the cache, with its leaders' names.
    pub fn activities(&self) -> AppResult<Vec<ActivityEntry>> {
        let setup = self.schedule_setup()?;
        let order = |id: &str| {
            setup
                .leaders
                .iter()
                .position(|l| l.user_id == id)
                .unwrap_or(usize::MAX)
        };
        self.store()?
            .records(RecordKind::ScheduleActivity)?
            .into_iter()
            .map(|r| {
                let mut data: ActivityData = r.body()?;
                data.leaders.sort_by_key(|l| order(l));
                let leader_names = data
                    .leaders
                    .iter()
                    .map(|l| {
                        setup
                            .leader(l)
                            .map_or_else(|| l.clone(), |x| x.name.clone())
                    })
                    .collect();
                Ok(ActivityEntry {
                    id: r.id,
                    when: data.when.clone(),
                    series_start: None,
                    repeat_text: data.repeat.as_ref().map(|r| r.describe()),
                    data,
                    leader_names,
                    pending: r.pending,
                    changed_since_publish: false,
                })
            })
            .collect()
    }

    /// The week from the Monday of `day`: each day with its calendar mark
    /// and its activities by slot (those it spans fill every slot they reach).
    pub fn schedule_week(&self, day: NaiveDate) -> AppResult<Week> {
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let calendars = self.rest_days()?;
        let working = self.working_weekends()?;
        let setup = self.schedule_setup()?;
        let first_leader = |a: &ActivityEntry| {
            a.data
                .leaders
                .first()
                .and_then(|l| setup.leaders.iter().position(|x| &x.user_id == l))
                .unwrap_or(usize::MAX)
        };
        let (published, awaiting) = match self.published_week(monday)?.map(|(_, w)| w) {
            Some(week) if week.approved_by.is_some() => (Some(week), None),
            other => (None, other),
        };
        let records = self.activities()?;
        let rest = |d| calendars.is_rest_day_planned(d);
        let window = (
            monday.and_time(chrono::NaiveTime::MIN),
            (monday + Duration::days(7)).and_time(chrono::NaiveTime::MIN),
        );
        let mut activities = occurrence_entries(&records, window, &rest)?;
        if let Some(week) = &published {
            // A confidential activity is never on the office's table: it is
            // not marked as a change of it.
            for a in activities
                .iter_mut()
                .filter(|a| a.data.visibility != mz_domain::schedule::Visibility::Confidential)
            {
                a.changed_since_publish = !week
                    .items
                    .iter()
                    .any(|i| i.id == a.id && i.fingerprint == a.data.fingerprint());
            }
        }
        activities.sort_by(|a, b| {
            a.when
                .span()
                .0
                .cmp(&b.when.span().0)
                .then(first_leader(a).cmp(&first_leader(b)))
        });
        let aways = self.away_reports()?;
        let mut days = Vec::with_capacity(7);
        for (offset, weekday) in WEEKDAYS.iter().enumerate() {
            let day = monday + Duration::days(offset as i64);
            let mut slots: Vec<Vec<ActivityEntry>> = vec![Vec::new(); 3];
            for activity in &activities {
                for (cell_day, slot) in activity.when.cells() {
                    if cell_day == day
                        && let Some(list) = slots.get_mut(slot as usize)
                    {
                        list.push(activity.clone());
                    }
                }
            }
            let mut away: Vec<Vec<AwayEntry>> = vec![Vec::new(); 3];
            for report in aways.iter().filter(|a| !a.data.cancelled) {
                for (cell_day, slot) in report.data.cells() {
                    if cell_day == day
                        && let Some(list) = away.get_mut(slot as usize)
                    {
                        list.push(report.clone());
                    }
                }
            }
            days.push(WeekDay {
                day,
                weekday: (*weekday).to_owned(),
                rest: calendars.is_rest_day(day).ok(),
                working_weekend: working.contains(&day),
                slots,
                away,
            });
        }
        Ok(Week {
            monday,
            days,
            published,
            awaiting,
        })
    }

    /// Places or changes an activity (offline too), a series whole when it
    /// repeats. The rules run as the platform will run them: the leaders
    /// the department's, a secretary's own leaders only, no leader in two
    /// places at once on any occurrence unless the reason is written (the
    /// issue names the other activity and the day). Two places too close in
    /// time for the journey are warned of, not refused.
    pub fn save_activity(
        &self,
        id: Option<Uuid>,
        mut data: ActivityData,
    ) -> AppResult<ActivitySaved> {
        let id = id.unwrap_or_else(Uuid::now_v7);
        let mut changes = Vec::new();
        // A series moved whole (09:00 → 10:00) takes its taken-out days and
        // its changed occurrences with it.
        let previous = self.activity(id).ok();
        if let Some(previous) = previous.filter(|p| p.repeat.is_some())
            && let Some(repeat) = &mut data.repeat
        {
            let shift = data.when.span().0 - previous.when.span().0;
            if shift != Duration::zero() {
                for start in &mut repeat.except {
                    *start += shift;
                }
                for (other, mut moved) in self.moved_occurrences(id)? {
                    if let Some(of) = &mut moved.occurrence_of {
                        of.start += shift;
                    }
                    changes.push((other, moved));
                }
            }
        }
        changes.insert(0, (id, data));
        let warnings = self.save_activities(changes)?;
        Ok(ActivitySaved { id, warnings })
    }

    /// The records that change occurrences of `series`.
    fn moved_occurrences(&self, series: Uuid) -> AppResult<Vec<(Uuid, ActivityData)>> {
        Ok(self
            .activities()?
            .into_iter()
            .filter(|a| {
                a.data
                    .occurrence_of
                    .as_ref()
                    .is_some_and(|o| o.series == series)
            })
            .map(|a| (a.id, a.data))
            .collect())
    }

    /// Changes one occurrence of a series (仅此次): a record of its own that
    /// takes the occurrence's place (iCalendar's RECURRENCE-ID), made the
    /// first time and changed after.
    pub fn save_occurrence(
        &self,
        series: Uuid,
        start: NaiveDateTime,
        mut data: ActivityData,
    ) -> AppResult<ActivitySaved> {
        let master = self.activity(series)?;
        if master.repeat.is_none() {
            return Err(AppError::Invalid("这项活动不重复".to_owned()));
        }
        data.repeat = None;
        data.occurrence_of = Some(OccurrenceOf { series, start });
        let id = self
            .occurrence_record(series, start)?
            .unwrap_or_else(Uuid::now_v7);
        let warnings = self.save_activities(vec![(id, data)])?;
        Ok(ActivitySaved { id, warnings })
    }

    /// Cancels one occurrence of a series: taken out of the series (EXDATE),
    /// or, when it was changed on its own, that record cancelled.
    pub fn cancel_occurrence(&self, series: Uuid, start: NaiveDateTime) -> AppResult<()> {
        if let Some(own) = self.occurrence_record(series, start)? {
            return self.cancel_activity(own);
        }
        let mut master = self.activity(series)?;
        let Some(repeat) = &mut master.repeat else {
            return Err(AppError::Invalid("这项活动不重复".to_owned()));
        };
        repeat.except.push(start);
        self.save_activities(vec![(series, master)]).map(|_| ())
    }

    /// Changes a series from one occurrence on (此次及以后): the series ends
    /// before it, and a new series with `data` starts there — saved
    /// together, or neither. A series split at its first occurrence is
    /// changed whole.
    pub fn split_series(
        &self,
        series: Uuid,
        start: NaiveDateTime,
        mut data: ActivityData,
    ) -> AppResult<ActivitySaved> {
        let mut master = self.activity(series)?;
        let Some(repeat) = master.repeat.clone() else {
            return Err(AppError::Invalid("这项活动不重复".to_owned()));
        };
        // COUNT counts the rule's occurrences, those taken out or skipped too.
        let first = master.when.span().0;
        let plain = mz_domain::schedule::Repeat {
            rule: repeat.rule.clone(),
            skip_rest_days: false,
            except: Vec::new(),
        };
        let starts = plain
            .starts(first, &|_| false)
            .map_err(|m| rules("repeat.rule", m))?;
        let before = starts.iter().filter(|s| **s < start).count();
        if before == 0 {
            return self.save_activity(Some(series), data);
        }
        // The old series ends the second before the occurrence (UNTIL, in
        // UTC as RFC 5545 wants beside a start in a time zone).
        let until = (start - Duration::seconds(1) - Duration::hours(8)).format("%Y%m%dT%H%M%SZ");
        let kept: Vec<String> = repeat
            .rule
            .split(';')
            .filter(|p| !p.starts_with("UNTIL=") && !p.starts_with("COUNT="))
            .map(str::to_owned)
            .collect();
        let count = repeat.rule.split(';').find_map(|p| {
            p.strip_prefix("COUNT=")
                .and_then(|n| n.parse::<usize>().ok())
        });
        if let Some(old) = &mut master.repeat {
            old.rule = format!("{};UNTIL={until}", kept.join(";"));
            old.except.retain(|e| *e < start);
        }
        let same_rule = |rule: &str| {
            mz_domain::schedule::normal_rule(rule).ok()
                == mz_domain::schedule::normal_rule(&repeat.rule).ok()
        };
        if let Some(new) = &mut data.repeat
            && same_rule(&new.rule)
        {
            // The same rule goes on: what the old one had left of its count,
            // and the occurrences it took out from here.
            if let Some(count) = count {
                new.rule = format!(
                    "{};COUNT={}",
                    kept.join(";"),
                    count.saturating_sub(before).max(1)
                );
            }
            let shift = data.when.span().0 - start;
            new.except = repeat
                .except
                .iter()
                .filter(|e| **e >= start)
                .map(|e| *e + shift)
                .collect();
        }
        data.occurrence_of = None;
        data.sequence = None;
        let id = Uuid::now_v7();
        // The occurrences changed on their own from there on go with the new
        // series, at its time.
        let shift = data.when.span().0 - start;
        let mut changes = vec![(series, master), (id, data)];
        for (other, mut moved) in self.moved_occurrences(series)? {
            if let Some(of) = &mut moved.occurrence_of
                && of.start >= start
            {
                of.series = id;
                of.start += shift;
                changes.push((other, moved));
            }
        }
        let warnings = self.save_activities(changes)?;
        Ok(ActivitySaved { id, warnings })
    }

    /// The stored body of an activity.
    fn activity(&self, id: Uuid) -> AppResult<ActivityData> {
        Ok(self
            .store()?
            .record(RecordKind::ScheduleActivity, id)?
            .ok_or_else(|| AppError::Invalid("没有这项活动".to_owned()))?
            .body()?)
    }

    /// The record that changes the occurrence of `series` at `start`, if any.
    fn occurrence_record(&self, series: Uuid, start: NaiveDateTime) -> AppResult<Option<Uuid>> {
        let wanted = Some(OccurrenceOf { series, start });
        Ok(self
            .activities()?
            .into_iter()
            .find(|a| a.data.occurrence_of == wanted)
            .map(|a| a.id))
    }

    /// The holiday calendars in the cache.
    fn rest_days(&self) -> AppResult<mz_domain::holiday::Calendars> {
        Ok(mz_domain::holiday::Calendars::new(
            self.holiday_calendars()?
                .into_iter()
                .map(|(_, c, _)| mz_domain::HolidayCalendar::from(c)),
        ))
    }

    /// The weekends the calendars in the cache make working days (调休上班).
    fn working_weekends(&self) -> AppResult<Vec<NaiveDate>> {
        Ok(self
            .holiday_calendars()?
            .into_iter()
            .flat_map(|(_, c, _)| c.working_weekends)
            .collect())
    }

    /// Checks and saves activities that change together (a series and the
    /// series it splits into, an import): each against the cache and the
    /// changes before it as the platform will check it; the journeys too
    /// short as warnings. All of them are saved, or none.
    fn save_activities(&self, changes: Vec<(Uuid, ActivityData)>) -> AppResult<Vec<String>> {
        let (records, warnings) = self.check_activities(changes).map_err(|(_, e)| e)?;
        self.save_records(records)?;
        Ok(warnings)
    }

    /// The checks of [`Self::save_activities`], without saving: the records
    /// to save and the warnings, or the first change refused (its place in
    /// `changes`) with why.
    #[allow(clippy::type_complexity)]
    fn check_activities(
        &self,
        changes: Vec<(Uuid, ActivityData)>,
    ) -> Result<(Vec<(RecordKind, Uuid, serde_json::Value)>, Vec<String>), (usize, AppError)> {
        let setup = self.schedule_setup().map_err(|e| (0, e))?;
        let user = self
            .user()
            .map_err(|e| (0, e))?
            .ok_or_else(|| (0, AppError::Invalid("请先登录".to_owned())))?;
        let calendars = self.rest_days().map_err(|e| (0, e))?;
        let rest = |d| calendars.is_rest_day_planned(d);
        let mut current: Vec<(Uuid, ActivityData)> = self
            .activities()
            .map_err(|e| (0, e))?
            .into_iter()
            .map(|a| (a.id, a.data))
            .collect();
        let mut warnings = Vec::new();
        let mut records = Vec::with_capacity(changes.len());
        for (index, (id, data)) in changes.into_iter().enumerate() {
            let (data, found) = self
                .check_activity(&setup, &user, &rest, &current, id, data)
                .map_err(|e| (index, e))?;
            warnings.extend(found);
            let value = serde_json::to_value(&data).map_err(|e| (index, AppError::Json(e)))?;
            records.push((RecordKind::ScheduleActivity, id, value));
            match current.iter_mut().find(|(other, _)| *other == id) {
                Some(slot) => slot.1 = data,
                None => current.push((id, data)),
            }
        }
        warnings.dedup();
        Ok((records, warnings))
    }

    /// One change checked against `current` (the cache with the changes
    /// before it): the body to save (its SEQUENCE raised when it changed)
    /// and the warnings.
    fn check_activity(
        &self,
        setup: &ScheduleSetupData,
        user: &mz_api::auth::UserInfo,
        rest: &dyn Fn(NaiveDate) -> bool,
        current: &[(Uuid, ActivityData)],
        id: Uuid,
        mut data: ActivityData,
    ) -> AppResult<(ActivityData, Vec<String>)> {
        if let Some(unknown) = data.leaders.iter().find(|l| setup.leader(l).is_none()) {
            return Err(rules("leaders", format!("{unknown} 不在领导名单中")));
        }
        let previous = current.iter().find(|(a, _)| *a == id).map(|(_, d)| d);
        keeps(
            setup,
            user,
            data.leaders
                .iter()
                .chain(previous.iter().flat_map(|p| p.leaders.iter())),
            "leaders",
        )?;
        if let Some(previous) = previous
            && *previous != data
            && data.sequence.unwrap_or(0) <= previous.sequence.unwrap_or(0)
        {
            // A calendar that holds it takes the change (SEQUENCE).
            data.sequence = Some(previous.sequence.unwrap_or(0) + 1);
        }
        let moved = mz_api::schedule::placed_or_moved(previous, &data);
        // The body's own rules first: a repeat that does not read is named
        // at its field before it is expanded.
        let mut normal = data.clone();
        let issues = mz_api::schedule::normal_activity(&mut normal);
        if !issues.is_empty() {
            return Err(AppError::Rules(issues));
        }
        // A changed occurrence stands in for a day of a series the user
        // keeps; a series happens at least once — as the platform checks.
        let series = normal.occurrence_of.as_ref().and_then(|of| {
            current
                .iter()
                .find(|(other, _)| *other == of.series)
                .map(|(_, d)| d)
        });
        if let Some(series) = series.filter(|s| s.repeat.is_some()) {
            keeps(setup, user, series.leaders.iter(), "occurrence_of")?;
        }
        let issues = mz_api::schedule::series_issues(&normal, series, rest);
        if !issues.is_empty() {
            return Err(AppError::Rules(issues));
        }
        // The activities just before and after count too: the journey.
        let travel = Duration::minutes(i64::from(setup.travel_minutes));
        let (from, to) =
            mz_api::schedule::whole_span(&normal, rest).map_err(|m| rules("repeat.rule", m))?;
        let window = (from - travel, to + travel);
        let mut set: Vec<(Uuid, &ActivityData)> = current
            .iter()
            .filter(|(a, _)| *a != id)
            .map(|(a, d)| (*a, d))
            .collect();
        set.push((id, &normal));
        let all = mz_api::schedule::occurrences(&set, window, rest)
            .map_err(|(record, m)| AppError::Invalid(format!("活动 {record} 的重复规则：{m}")))?;
        let (mine, theirs): (Vec<_>, Vec<_>) = all.into_iter().partition(|o| o.id == id);
        if moved
            && data.override_reason.is_none()
            && let Some((one, first)) = mz_api::schedule::first_overlap(&mine, &theirs)
        {
            let leader = first
                .activity
                .leaders
                .iter()
                .find(|l| data.leaders.contains(l))
                .and_then(|l| setup.leader(l))
                .map_or("", |l| l.name.as_str());
            let (start, end) = first.when.span();
            let on = if one.series_start.is_some() {
                format!("{} ", one.when.span().0.format("%Y-%m-%d"))
            } else {
                String::new()
            };
            return Err(rules(
                "when",
                format!(
                    "{leader}{on}在 {}–{} 已有“{}”：同一时间不能在两处；如确需安排，请写明理由",
                    start.format("%m-%d %H:%M"),
                    end.format("%H:%M"),
                    first.activity.content
                ),
            ));
        }
        let warnings = journeys(&mine, &theirs, setup);
        Ok((data, warnings))
    }

    /// Every away report in the cache, with the names.
    pub fn away_reports(&self) -> AppResult<Vec<AwayEntry>> {
        let setup = self.schedule_setup()?;
        let name = |id: &str| {
            setup
                .leader(id)
                .map_or_else(|| id.to_owned(), |l| l.name.clone())
        };
        self.store()?
            .records(RecordKind::AwayReport)?
            .into_iter()
            .map(|r| {
                let data: AwayData = r.body()?;
                Ok(AwayEntry {
                    id: r.id,
                    leader_name: name(&data.leader),
                    stand_in_name: data.stand_in.as_deref().map(name),
                    data,
                    pending: r.pending,
                })
            })
            .collect()
    }

    /// Reports a leader away (offline too), with the rules the platform
    /// runs: the leader and the stand-in the department's, a secretary's own
    /// leader only, the principal and the executive deputy not both away
    /// unless the reason is written.
    pub fn save_away(&self, id: Option<Uuid>, data: AwayData) -> AppResult<Uuid> {
        let setup = self.schedule_setup()?;
        let user = self
            .user()?
            .ok_or_else(|| AppError::Invalid("请先登录".to_owned()))?;
        for (field, who) in [
            ("leader", Some(&data.leader)),
            ("stand_in", data.stand_in.as_ref()),
        ] {
            if let Some(who) = who
                && setup.leader(who).is_none()
            {
                return Err(rules(field, format!("{who} 不在领导名单中")));
            }
        }
        let previous = match id {
            Some(id) => self
                .store()?
                .record(RecordKind::AwayReport, id)?
                .map(|r| r.body::<AwayData>())
                .transpose()?,
            None => None,
        };
        keeps(
            &setup,
            &user,
            std::iter::once(&data.leader).chain(previous.as_ref().map(|p| &p.leader)),
            "leader",
        )?;
        if data.override_reason.is_none() {
            let others: Vec<AwayEntry> = self
                .away_reports()?
                .into_iter()
                .filter(|a| Some(a.id) != id)
                .collect();
            if let Some(other) =
                mz_api::schedule::both_heads_away(&data, others.iter().map(|o| &o.data), &setup)
            {
                let name = setup.leader(&other.leader).map_or("", |l| l.name.as_str());
                return Err(rules(
                    "from",
                    format!(
                        "{name}在 {} 至 {} 外出：主要负责人与常务副职不能同时外出；如确需外出，请写明理由",
                        other.from, other.to
                    ),
                ));
            }
        }
        let id = id.unwrap_or_else(Uuid::now_v7);
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.save_record(RecordKind::AwayReport, id, value)?;
        Ok(id)
    }

    /// The published table of the week from `monday`, when there is one.
    pub fn published_week(&self, monday: NaiveDate) -> AppResult<Option<(Uuid, WeekTableData)>> {
        for record in self.store()?.records(RecordKind::ScheduleWeek)? {
            let week: WeekTableData = record.body()?;
            if week.monday == monday {
                return Ok(Some((record.id, week)));
            }
        }
        Ok(None)
    }

    /// The office's week's table as it stands: an office clerk submits it,
    /// the office head (named in the setup) approves and publishes it,
    /// normally by Monday morning; a later change is marked on the table and
    /// its next print. Doing it again takes the week as it stands then.
    pub fn publish_week(&self, day: NaiveDate) -> AppResult<WeekTableData> {
        let setup = self.schedule_setup()?;
        let user = self
            .user()?
            .ok_or_else(|| AppError::Invalid("请先登录".to_owned()))?;
        let head = setup.office_head.as_deref() == Some(user.id.to_string().as_str());
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let week = self.schedule_week(monday)?;
        let mut items: Vec<PublishedItem> = Vec::new();
        for entry in week.days.iter().flat_map(|d| d.slots.iter().flatten()) {
            if !items.iter().any(|i| i.id == entry.id) {
                items.push(PublishedItem {
                    id: entry.id,
                    fingerprint: entry.data.fingerprint(),
                });
            }
        }
        let (_, by) = self.office_and_clerk()?;
        // The one who submitted it stays named when the head approves it.
        let submitted_by = self
            .published_week(monday)?
            .filter(|(_, w)| head && w.approved_by.is_none())
            .map(|(_, w)| w.by);
        let data = WeekTableData {
            monday,
            published_at: self.china_now(),
            by: submitted_by.unwrap_or(by.clone()),
            items,
            approved_by: head.then_some(by),
        };
        let id = self
            .published_week(monday)?
            .map_or_else(Uuid::now_v7, |(id, _)| id);
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.save_record(RecordKind::ScheduleWeek, id, value)?;
        Ok(data)
    }

    /// Cancels an activity: kept, struck through, never revived.
    pub fn cancel_activity(&self, id: Uuid) -> AppResult<()> {
        let record = self
            .store()?
            .record(RecordKind::ScheduleActivity, id)?
            .ok_or_else(|| AppError::Invalid("没有这项活动".to_owned()))?;
        let mut data: ActivityData = record.body()?;
        data.cancelled = true;
        // A series cancelled takes its changed occurrences with it.
        let mut changes = vec![(id, data)];
        for (other, mut moved) in self.moved_occurrences(id)? {
            if !moved.cancelled {
                moved.cancelled = true;
                changes.push((other, moved));
            }
        }
        self.save_activities(changes).map(|_| ())
    }

    /// The week's table (领导活动安排表) as a landscape A4 PDF: file name,
    /// PDF, preview pages.
    pub fn week_table_pdf(&self, day: NaiveDate) -> AppResult<(String, Vec<u8>, Vec<String>)> {
        let (monday, report) = self.week_table(day)?;
        let (pdf, svg) = report.pdf()?;
        Ok((format!("领导活动安排表-{monday}.pdf"), pdf, svg))
    }

    /// The week's table as an Excel workbook.
    pub fn week_table_xlsx(&self, day: NaiveDate) -> AppResult<(String, Vec<u8>)> {
        let (monday, report) = self.week_table(day)?;
        Ok((format!("领导活动安排表-{monday}.xlsx"), report.xlsx()?))
    }

    fn week_table(&self, day: NaiveDate) -> AppResult<(NaiveDate, Report)> {
        use mz_sheets::{ColumnKind, Value};
        let week = self.schedule_week(day)?;
        let (unit, _) = self.office_and_clerk()?;
        let cell = |entries: &[ActivityEntry], away: &[AwayEntry]| {
            away.iter()
                .map(AwayEntry::line)
                .chain(
                    entries
                        .iter()
                        .filter(|a| !a.data.cancelled || a.changed_since_publish)
                        .map(|a| {
                            let time = match &a.when {
                                When::Timed { start, .. } => start.format("%H:%M").to_string(),
                                When::AllDay { .. } => "全天".to_owned(),
                                When::HalfDay { slot, .. } => slot.label().to_owned(),
                            };
                            let place = if a.data.place.is_empty() {
                                String::new()
                            } else {
                                format!("（{}）", a.data.place)
                            };
                            // A change after publishing is marked on the table.
                            let mark = if week.published.is_some() && a.changed_since_publish {
                                "※"
                            } else {
                                ""
                            };
                            let cancelled = if a.data.cancelled {
                                "（已取消）"
                            } else {
                                ""
                            };
                            // An affair is named as one, its leaders (if any) after it.
                            let who = match a.data.affair {
                                Some(kind) if a.leader_names.is_empty() => {
                                    format!("【{}】", kind.label())
                                }
                                Some(kind) => {
                                    format!("【{}】{}", kind.label(), a.leader_names.join("、"))
                                }
                                None => a.leader_names.join("、"),
                            };
                            format!("{mark}{who} {time} {}{place}{cancelled}", a.data.content)
                        }),
                )
                .collect::<Vec<_>>()
                .join("；")
        };
        let rows = week
            .days
            .iter()
            .map(|d| {
                let mark = match (d.rest, d.working_weekend) {
                    (_, true) => "（调休上班）",
                    (Some(true), _) if d.day.weekday().num_days_from_monday() < 5 => "（休）",
                    _ => "",
                };
                let mut cells = vec![Value::Text(format!(
                    "{}月{}日 {}{mark}",
                    d.day.month(),
                    d.day.day(),
                    d.weekday
                ))];
                cells.extend(
                    d.slots
                        .iter()
                        .zip(&d.away)
                        .map(|(s, a)| Value::Text(cell(s, a))),
                );
                (cells, false)
            })
            .collect();
        let sunday = week.monday + Duration::days(6);
        let changed = week.published.is_some()
            && week
                .days
                .iter()
                .flat_map(|d| d.slots.iter().flatten())
                .any(|a| a.changed_since_publish);
        let report = Report {
            title: format!("{unit}领导活动安排表"),
            subtitle: vec![format!(
                "{} 至 {}{}",
                chinese_date(week.monday),
                chinese_date(sunday),
                week.published
                    .as_ref()
                    .map_or_else(String::new, |p| format!(
                        "（{} 发布）",
                        p.published_at.format("%Y-%m-%d %H:%M")
                    ))
            )],
            sheet: format!("{}", week.monday),
            columns: vec![
                ReportColumn::new("日期", ColumnKind::Text, 1.3),
                ReportColumn::new(HalfDay::Morning.label(), ColumnKind::Text, 3.0),
                ReportColumn::new(HalfDay::Afternoon.label(), ColumnKind::Text, 3.0),
                ReportColumn::new(HalfDay::Evening.label(), ColumnKind::Text, 2.0),
            ],
            rows,
            footer: changed
                .then(|| "※ 为发布后的变更".to_owned())
                .into_iter()
                .chain(std::iter::once(format!(
                    "{unit}办公室    {}",
                    chinese_date(self.today())
                )))
                .collect(),
            landscape: true,
        };
        Ok((week.monday, report))
    }
}

/// A secretary keeps only the leaders they serve; the office keeps all.
fn keeps<'a>(
    setup: &ScheduleSetupData,
    user: &mz_api::auth::UserInfo,
    leaders: impl IntoIterator<Item = &'a String>,
    field: &str,
) -> AppResult<()> {
    match setup.not_kept(&user.id.to_string(), &user.roles, leaders) {
        Some(message) => Err(rules(field, message)),
        None => Ok(()),
    }
}

fn rules(field: &str, message: impl Into<String>) -> AppError {
    AppError::Rules(vec![FieldIssue::new(field, message)])
}

/// The journeys too short between an activity's occurrences and a
/// leader's activity just before or after one in another place.
fn journeys(
    mine: &[mz_api::schedule::Occurrence<'_>],
    others: &[mz_api::schedule::Occurrence<'_>],
    setup: &ScheduleSetupData,
) -> Vec<String> {
    let travel = Duration::minutes(i64::from(setup.travel_minutes));
    let mut warnings = Vec::new();
    for one in mine.iter().filter(|m| !m.activity.cancelled) {
        let data = one.activity;
        let (start, end) = one.when.span();
        for other in others.iter().filter(|o| !o.activity.cancelled) {
            let Some(leader) = other
                .activity
                .leaders
                .iter()
                .find(|l| data.leaders.contains(l))
                .and_then(|l| setup.leader(l))
            else {
                continue;
            };
            let (o_start, o_end) = other.when.span();
            let close = mz_domain::schedule::too_close(
                (o_end, &other.activity.place),
                (start, &data.place),
                travel,
            ) || mz_domain::schedule::too_close(
                (end, &data.place),
                (o_start, &other.activity.place),
                travel,
            );
            if close {
                warnings.push(format!(
                    "{}在“{}”（{}）前后相隔不足 {} 分钟，两地之间可能来不及",
                    leader.name, other.activity.content, other.activity.place, setup.travel_minutes
                ));
            }
        }
    }
    warnings
}

/// The occurrences of the cached activities within `window`, each as the
/// week lists it.
fn occurrence_entries(
    records: &[ActivityEntry],
    window: (NaiveDateTime, NaiveDateTime),
    rest: &dyn Fn(NaiveDate) -> bool,
) -> AppResult<Vec<ActivityEntry>> {
    let set: Vec<(Uuid, &ActivityData)> = records.iter().map(|a| (a.id, &a.data)).collect();
    let found = mz_api::schedule::occurrences(&set, window, rest)
        .map_err(|(record, m)| AppError::Invalid(format!("活动 {record} 的重复规则：{m}")))?;
    let by_id: std::collections::HashMap<Uuid, &ActivityEntry> =
        records.iter().map(|r| (r.id, r)).collect();
    let mut entries = Vec::with_capacity(found.len());
    for occurrence in found {
        let Some(record) = by_id.get(&occurrence.id) else {
            return Err(AppError::Invalid(format!(
                "活动 {} 不在缓存中",
                occurrence.id
            )));
        };
        entries.push(ActivityEntry {
            when: occurrence.when,
            series_start: occurrence.series_start,
            ..(*record).clone()
        });
    }
    Ok(entries)
}

/// An activity about to start, as a desktop notification says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reminder {
    pub id: Uuid,
    /// When this occurrence starts (China's time).
    #[ts(type = "string")]
    pub start: NaiveDateTime,
    /// 09:00 厅党组会
    pub title: String,
    /// 厅机关 3 楼会议室 · 李明华
    pub body: String,
}

impl ClientApp {
    /// The activities of the user's own schedule that start from `now` to
    /// `now + ahead`: a leader's own, a secretary's leaders'. Cancelled ones
    /// and whole days are not reminded of.
    pub fn due_reminders(&self, now: NaiveDateTime, ahead: Duration) -> AppResult<Vec<Reminder>> {
        let mine = self.my_leaders()?;
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let records = self.activities()?;
        let calendars = self.rest_days()?;
        let rest = |d| calendars.is_rest_day_planned(d);
        let window = (now, now + ahead + Duration::seconds(1));
        let mut due = Vec::new();
        for entry in occurrence_entries(&records, window, &rest)? {
            let start = entry.when.span().0;
            let timed = !matches!(entry.when, When::AllDay { .. });
            if entry.data.cancelled
                || !timed
                || start < now
                || start > now + ahead
                || !entry.data.leaders.iter().any(|l| mine.contains(l))
            {
                continue;
            }
            let place = if entry.data.place.is_empty() {
                String::new()
            } else {
                format!("{} · ", entry.data.place)
            };
            due.push(Reminder {
                id: entry.id,
                start,
                title: format!("{} {}", start.format("%H:%M"), entry.data.content),
                body: format!("{place}{}", entry.leader_names.join("、")),
            });
        }
        due.sort_by_key(|r| r.start);
        Ok(due)
    }
}

/// A day of a leader's month or of "my day": its calendar mark, the
/// activities in it by start, and who is away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayPlan {
    pub day: NaiveDate,
    pub weekday: String,
    pub rest: Option<bool>,
    pub working_weekend: bool,
    pub activities: Vec<ActivityEntry>,
    pub away: Vec<AwayEntry>,
}

/// One leader's month (or every leader's, when none is named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Month {
    /// The month's first day.
    pub first: NaiveDate,
    pub leader: Option<String>,
    pub days: Vec<DayPlan>,
}

impl ClientApp {
    /// The leaders whose day is the user's: a leader's own, a secretary's
    /// leaders (none for anyone else).
    pub fn my_leaders(&self) -> AppResult<Vec<String>> {
        let Some(user) = self.user()? else {
            return Ok(Vec::new());
        };
        let setup = self.schedule_setup()?;
        let me = user.id.to_string();
        let mut mine: Vec<String> = setup
            .served_by(&me)
            .into_iter()
            .map(str::to_owned)
            .collect();
        if setup.leader(&me).is_some() {
            mine.push(me);
        }
        Ok(mine)
    }

    /// The days from `from` to `to` (both included) with the activities of
    /// `leaders` (all when empty), each occurrence of a series on its day.
    fn day_plans(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        leaders: &[String],
    ) -> AppResult<Vec<DayPlan>> {
        let calendars = self.rest_days()?;
        let working = self.working_weekends()?;
        let rest = |d| calendars.is_rest_day_planned(d);
        let window = (
            from.and_time(chrono::NaiveTime::MIN),
            (to + Duration::days(1)).and_time(chrono::NaiveTime::MIN),
        );
        let ours = |list: &[String]| leaders.is_empty() || list.iter().any(|l| leaders.contains(l));
        let mut entries: Vec<ActivityEntry> =
            occurrence_entries(&self.activities()?, window, &rest)?
                .into_iter()
                .filter(|a| ours(&a.data.leaders))
                .collect();
        entries.sort_by_key(|a| a.when.span().0);
        let aways: Vec<AwayEntry> = self
            .away_reports()?
            .into_iter()
            .filter(|a| !a.data.cancelled && ours(std::slice::from_ref(&a.data.leader)))
            .collect();
        let mut days = Vec::new();
        for day in from.iter_days().take_while(|d| *d <= to) {
            let weekday = WEEKDAYS
                .get(day.weekday().num_days_from_monday() as usize)
                .copied()
                .unwrap_or_default();
            days.push(DayPlan {
                day,
                weekday: weekday.to_owned(),
                rest: calendars.is_rest_day(day).ok(),
                working_weekend: working.contains(&day),
                activities: entries
                    .iter()
                    .filter(|a| a.when.cells().iter().any(|(d, _)| *d == day))
                    .cloned()
                    .collect(),
                away: aways
                    .iter()
                    .filter(|a| a.data.cells().iter().any(|(d, _)| *d == day))
                    .cloned()
                    .collect(),
            });
        }
        Ok(days)
    }

    /// The month that holds `day`, of one leader (every leader's when none).
    pub fn schedule_month(&self, day: NaiveDate, leader: Option<String>) -> AppResult<Month> {
        let first = day.with_day(1).unwrap_or(day);
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(first);
        let leaders: Vec<String> = leader.iter().cloned().collect();
        Ok(Month {
            first,
            days: self.day_plans(first, next - Duration::days(1), &leaders)?,
            leader,
        })
    }

    /// "My day": the user's own leaders' activities of `day` (every
    /// leader's for the office).
    pub fn my_day(&self, day: NaiveDate) -> AppResult<DayPlan> {
        let leaders = self.my_leaders()?;
        self.day_plans(day, day, &leaders)?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Invalid(format!("{day} 不是一天")))
    }
}
