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

use chrono::{Datelike, Duration, NaiveDate};
use mz_api::records::RecordKind;
use mz_api::schedule::{ActivityData, AwayData, PublishedItem, ScheduleSetupData, WeekTableData};
use mz_domain::FieldIssue;
use mz_domain::schedule::{HalfDay, When};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::forms::chinese_date;
use crate::reports::{Report, ReportColumn};
use crate::{AppError, AppResult, ClientApp};

/// An activity as the week lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ActivityEntry {
    pub id: Uuid,
    pub data: ActivityData,
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
    /// The table as the office published it, when it has.
    pub published: Option<WeekTableData>,
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
        let calendars = mz_domain::holiday::Calendars::new(
            self.holiday_calendars()?
                .into_iter()
                .map(|(_, c, _)| mz_domain::HolidayCalendar::from(c)),
        );
        let working: Vec<NaiveDate> = self
            .holiday_calendars()?
            .into_iter()
            .flat_map(|(_, c, _)| c.working_weekends)
            .collect();
        let setup = self.schedule_setup()?;
        let first_leader = |a: &ActivityEntry| {
            a.data
                .leaders
                .first()
                .and_then(|l| setup.leaders.iter().position(|x| &x.user_id == l))
                .unwrap_or(usize::MAX)
        };
        let published = self.published_week(monday)?.map(|(_, w)| w);
        let mut activities = self.activities()?;
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
            a.data
                .when
                .span()
                .0
                .cmp(&b.data.when.span().0)
                .then(first_leader(a).cmp(&first_leader(b)))
        });
        let aways = self.away_reports()?;
        let mut days = Vec::with_capacity(7);
        for (offset, weekday) in WEEKDAYS.iter().enumerate() {
            let day = monday + Duration::days(offset as i64);
            let mut slots: Vec<Vec<ActivityEntry>> = vec![Vec::new(); 3];
            for activity in &activities {
                for (cell_day, slot) in activity.data.when.cells() {
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
        })
    }

    /// Places or changes an activity (offline too). The rules run as the
    /// platform will run them: the leaders the department's, a secretary's
    /// own leaders only, no leader in two places at once unless the reason
    /// is written (the issue names the other activity). Two places too close
    /// in time for the journey are warned of, not refused.
    pub fn save_activity(&self, id: Option<Uuid>, data: ActivityData) -> AppResult<ActivitySaved> {
        let setup = self.schedule_setup()?;
        let user = self
            .user()?
            .ok_or_else(|| AppError::Invalid("请先登录".to_owned()))?;
        if let Some(unknown) = data.leaders.iter().find(|l| setup.leader(l).is_none()) {
            return Err(rules("leaders", format!("{unknown} 不在领导名单中")));
        }
        let previous = match id {
            Some(id) => self
                .store()?
                .record(RecordKind::ScheduleActivity, id)?
                .map(|r| r.body::<ActivityData>())
                .transpose()?,
            None => None,
        };
        keeps(
            &setup,
            &user,
            data.leaders
                .iter()
                .chain(previous.iter().flat_map(|p| p.leaders.iter())),
            "leaders",
        )?;
        let others: Vec<ActivityEntry> = self
            .activities()?
            .into_iter()
            .filter(|a| Some(a.id) != id)
            .collect();
        let moved = previous
            .as_ref()
            .is_none_or(|p| p.when != data.when || p.leaders != data.leaders || p.cancelled);
        if moved && data.override_reason.is_none() {
            let found = mz_api::schedule::overlapping(&data, others.iter().map(|o| &o.data));
            if let Some(first) = found.first() {
                let leader = first
                    .leaders
                    .iter()
                    .find(|l| data.leaders.contains(l))
                    .and_then(|l| setup.leader(l))
                    .map_or("", |l| l.name.as_str());
                let (start, end) = first.when.span();
                return Err(rules(
                    "when",
                    format!(
                        "{leader}在 {}–{} 已有“{}”：同一时间不能在两处；如确需安排，请写明理由",
                        start.format("%m-%d %H:%M"),
                        end.format("%H:%M"),
                        first.content
                    ),
                ));
            }
        }
        let warnings = journeys(&data, &others, &setup);
        let id = id.unwrap_or_else(Uuid::now_v7);
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.save_record(RecordKind::ScheduleActivity, id, value)?;
        Ok(ActivitySaved { id, warnings })
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

    /// Publishes the week's table as it stands (the office, normally by
    /// Monday morning): a later change is marked on the table and its next
    /// print. Publishing again takes the week as it stands then.
    pub fn publish_week(&self, day: NaiveDate) -> AppResult<WeekTableData> {
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
        let data = WeekTableData {
            monday,
            published_at: self.china_now(),
            by,
            items,
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
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.save_record(RecordKind::ScheduleActivity, id, value)
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
                            let time = match &a.data.when {
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
                            format!(
                                "{mark}{} {time} {}{place}{cancelled}",
                                a.leader_names.join("、"),
                                a.data.content
                            )
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

/// The journeys too short between this activity and a leader's activity
/// just before or after it in another place.
fn journeys(
    data: &ActivityData,
    others: &[ActivityEntry],
    setup: &ScheduleSetupData,
) -> Vec<String> {
    let travel = Duration::minutes(i64::from(setup.travel_minutes));
    let (start, end) = data.when.span();
    let mut warnings = Vec::new();
    for other in others.iter().filter(|o| !o.data.cancelled) {
        let Some(leader) = other
            .data
            .leaders
            .iter()
            .find(|l| data.leaders.contains(l))
            .and_then(|l| setup.leader(l))
        else {
            continue;
        };
        let (o_start, o_end) = other.data.when.span();
        let close = mz_domain::schedule::too_close(
            (o_end, &other.data.place),
            (start, &data.place),
            travel,
        ) || mz_domain::schedule::too_close(
            (end, &data.place),
            (o_start, &other.data.place),
            travel,
        );
        if close {
            warnings.push(format!(
                "{}在“{}”（{}）前后相隔不足 {} 分钟，两地之间可能来不及",
                leader.name, other.data.content, other.data.place, setup.travel_minutes
            ));
        }
    }
    warnings
}
