//! The schedule in and out of files: a leader's activities as an iCalendar
//! file (RFC 5545, for Outlook, a phone or another calendar) and back, and
//! the office's old weekly Excel sheet. An import is checked whole — every
//! event or row that does not read is named with its place — and saved
//! whole or not at all, with the same rules as an activity placed by hand
//! (a leader in two places at once is named with the row). An activity
//! read again as it is stored is left as it is, so a file exported and
//! imported again changes nothing.

use chrono::{Duration, NaiveTime};
use mz_api::records::RecordKind;
use mz_api::schedule::ActivityData;
use mz_api::schedule::ics::{CalendarItem, ConfidentialAs, WriteOptions};
use mz_domain::schedule::{Visibility, When};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarImport {
    /// Activities new to the schedule.
    pub added: usize,
    /// Activities changed by the file.
    pub changed: usize,
    /// Activities the file holds as they are stored.
    pub unchanged: usize,
    /// Each place the file is wrong, in Chinese (第 3 行 B 列（时间）…);
    /// when there is one, nothing was imported.
    pub issues: Vec<String>,
}

impl CalendarImport {
    fn refused(issues: Vec<String>) -> Self {
        CalendarImport {
            added: 0,
            changed: 0,
            unchanged: 0,
            issues,
        }
    }
}

/// The longest a time written alone (`9:00`) is taken to last.
const ONE_TIME_LASTS: Duration = Duration::hours(1);

impl ClientApp {
    /// A leader's activities in the cache (every activity the user sees
    /// when no leader is named) as an iCalendar file: its name and text.
    pub fn schedule_ics(&self, leader: Option<&str>) -> AppResult<(String, String)> {
        let setup = self.schedule_setup()?;
        let records = self.activities()?;
        let of_leader = |a: &ActivityData| leader.is_none_or(|l| a.leaders.iter().any(|x| x == l));
        let all: Vec<(Uuid, &ActivityData)> = records.iter().map(|a| (a.id, &a.data)).collect();
        let kept = mz_api::schedule::ics::calendar_of(&all, &of_leader);
        let names: std::collections::HashMap<Uuid, &Vec<String>> =
            records.iter().map(|a| (a.id, &a.leader_names)).collect();
        let none = Vec::new();
        let items: Vec<CalendarItem<'_>> = kept
            .iter()
            .map(|(id, data)| CalendarItem {
                id: *id,
                data,
                leader_names: names.get(id).copied().unwrap_or(&none),
            })
            .collect();
        let calendars = self.rest_days()?;
        let rest = |d| calendars.is_rest_day_planned(d);
        let name = match leader.and_then(|l| setup.leader(l)) {
            Some(l) => format!("{}的日程", l.name),
            None => "领导日程".to_owned(),
        };
        let text = mz_api::schedule::ics::write_calendar(
            &items,
            &WriteOptions {
                name: &name,
                stamp: chrono::DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default(),
                // The user sees only what the platform let them pull.
                confidential: ConfidentialAs::Shown,
                refresh_minutes: None,
                rest: &rest,
            },
        );
        Ok((format!("{name}.ics"), text))
    }

    /// Imports an iCalendar file into the schedule: an event that names no
    /// leader (a file from another calendar) is `leader`'s. Nothing is
    /// imported when any event is wrong.
    pub fn import_schedule_ics(
        &self,
        bytes: &[u8],
        leader: Option<String>,
    ) -> AppResult<CalendarImport> {
        if bytes.len() > mz_api::schedule::ics::MAX_ICS_BYTES {
            return Ok(CalendarImport::refused(vec![format!(
                "文件超过 {} MB",
                mz_api::schedule::ics::MAX_ICS_BYTES / 1024 / 1024
            )]));
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(CalendarImport::refused(vec![
                "文件不是 UTF-8 文本的 iCalendar 日历".to_owned(),
            ]));
        };
        let calendars = self.rest_days()?;
        let rest = |d| calendars.is_rest_day_planned(d);
        let read = match mz_api::schedule::ics::read_calendar(text, &rest) {
            Ok(read) => read,
            Err(issues) => {
                return Ok(CalendarImport::refused(
                    issues.into_iter().map(|i| i.message).collect(),
                ));
            }
        };
        let mut issues = Vec::new();
        let mut changes = Vec::with_capacity(read.len());
        let mut places = Vec::with_capacity(read.len());
        for (n, mut event) in read.into_iter().enumerate() {
            if event.data.leaders.is_empty() {
                match &leader {
                    Some(leader) => event.data.leaders.push(leader.clone()),
                    None => {
                        issues.push(format!(
                            "第 {} 项“{}”没有写明领导：请先选择导入到哪位领导的日程",
                            n + 1,
                            event.data.content
                        ));
                        continue;
                    }
                }
            }
            places.push(format!("第 {} 项“{}”", n + 1, event.data.content));
            changes.push((event.id, event.data));
        }
        if !issues.is_empty() {
            return Ok(CalendarImport::refused(issues));
        }
        self.import_activities(changes, &places)
    }

    /// Imports the office's weekly Excel sheet (日期, 时间, 领导, 活动内容,
    /// 地点 …; a day merged over its rows, dates as text or Excel dates,
    /// times as 9:00, 9:00-11:30, 上午 or 全天), the activities seen by
    /// `visibility`. Leaders are named as the setup names them. A row read
    /// again as it was imported is the same activity.
    pub fn import_schedule_sheet(
        &self,
        bytes: Vec<u8>,
        visibility: Visibility,
    ) -> AppResult<CalendarImport> {
        let setup = self.schedule_setup()?;
        let mut workbook = mz_sheets::Workbook::from_bytes(bytes).map_err(AppError::from)?;
        let report = mz_sheets::read_schedule_week(&mut workbook, None, self.today())
            .map_err(AppError::from)?;
        let mut issues: Vec<String> = report
            .errors
            .iter()
            .map(|e| {
                let column = e.column.as_deref().unwrap_or("");
                format!("第 {} 行 {column} 列（{}）：{}", e.row, e.header, e.reason)
            })
            .collect();
        let mut changes = Vec::with_capacity(report.rows.len());
        let mut places = Vec::with_capacity(report.rows.len());
        for row in report.rows {
            let mut leaders = Vec::with_capacity(row.leaders.len());
            for name in &row.leaders {
                match setup
                    .leaders
                    .iter()
                    .find(|l| l.name == *name || format!("{}{}", l.name, l.title) == *name)
                {
                    Some(l) => leaders.push(l.user_id.clone()),
                    None => {
                        issues.push(format!("第 {} 行（领导）：“{name}”不在领导名单中", row.row))
                    }
                }
            }
            let when = match row.time {
                mz_sheets::SheetTime::Span { start, end } => When::Timed {
                    start: row.day.and_time(start),
                    end: row.day.and_time(end.unwrap_or_else(|| {
                        // An hour, within the day.
                        let last = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN);
                        let (later, wrapped) = start.overflowing_add_signed(ONE_TIME_LASTS);
                        if wrapped != 0 || later > last {
                            last
                        } else {
                            later
                        }
                    })),
                },
                mz_sheets::SheetTime::Slot(slot) => When::HalfDay { day: row.day, slot },
                mz_sheets::SheetTime::AllDay => When::AllDay {
                    from: row.day,
                    to: row.day,
                },
            };
            let key = format!(
                "sheet:{}:{}:{}:{}",
                serde_json::to_string(&when).map_err(AppError::Json)?,
                leaders.join(","),
                row.content,
                row.place
            );
            let id = Uuid::new_v5(&Uuid::NAMESPACE_URL, key.as_bytes());
            places.push(format!("第 {} 行", row.row));
            changes.push((
                id,
                ActivityData {
                    leaders,
                    when,
                    place: row.place,
                    content: row.content,
                    organiser: row.organiser,
                    attendees: row.attendees,
                    accompany: row.accompany,
                    visibility,
                    override_reason: None,
                    cancelled: false,
                    repeat: None,
                    occurrence_of: None,
                    affair: None,
                    sequence: None,
                },
            ));
        }
        if !issues.is_empty() {
            return Ok(CalendarImport::refused(issues));
        }
        self.import_activities(changes, &places)
    }

    /// Saves what an import read: those stored as they are left alone, the
    /// rest checked one after the other (each against the ones before) and
    /// saved together; the first refused is named by its place.
    fn import_activities(
        &self,
        changes: Vec<(Uuid, ActivityData)>,
        places: &[String],
    ) -> AppResult<CalendarImport> {
        let stored = self.store()?.records(RecordKind::ScheduleActivity)?;
        let mut unchanged = 0;
        let mut added = 0;
        let mut to_save = Vec::new();
        let mut to_save_places = Vec::new();
        for ((id, data), place) in changes.into_iter().zip(places) {
            match stored.iter().find(|r| r.id == id) {
                Some(record) => {
                    let current: ActivityData = record.body()?;
                    // An older version of what is stored never overwrites it.
                    let (theirs, ours) =
                        (data.sequence.unwrap_or(0), current.sequence.unwrap_or(0));
                    if theirs < ours {
                        return Ok(CalendarImport::refused(vec![format!(
                            "{place}是较早的版本（SEQUENCE {theirs}，已有 {ours}）：请导出最新的日历再导入"
                        )]));
                    }
                    // The same as stored, also once put in its normal form
                    // (trimmed, the rule written out).
                    let mut normal = data.clone();
                    let same_normal = mz_api::schedule::normal_activity(&mut normal).is_empty()
                        && current == normal;
                    if current == data || same_normal {
                        unchanged += 1;
                        continue;
                    }
                }
                None => added += 1,
            }
            to_save.push((id, data));
            to_save_places.push(place.clone());
        }
        let changed = to_save.len() - added;
        if to_save.is_empty() {
            return Ok(CalendarImport {
                added,
                changed,
                unchanged,
                issues: Vec::new(),
            });
        }
        match self.check_activities(to_save) {
            Ok((records, _)) => {
                self.save_records(records)?;
                Ok(CalendarImport {
                    added,
                    changed,
                    unchanged,
                    issues: Vec::new(),
                })
            }
            Err((index, error)) => {
                let place = to_save_places.get(index).cloned().unwrap_or_default();
                let reasons = match error {
                    AppError::Rules(issues) => issues
                        .into_iter()
                        .map(|i| format!("{place}：{}", i.message))
                        .collect(),
                    other => vec![format!("{place}：{other}")],
                };
                Ok(CalendarImport::refused(reasons))
            }
        }
    }
}
