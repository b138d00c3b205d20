//! 督办事项 at the desk: the matters the office tracks (a leader's
//! instruction, a task given at a meeting), each opened with its handlers
//! and deadline, reported back on, extended on request, closed — offline
//! too, each entry applied by the rules the platform replays
//! ([`mz_api::office::task::apply`]) and queued in the outbox.

use chrono::{NaiveDate, NaiveDateTime};
use mz_api::office::Person;
use mz_api::office::task::{TaskAction, TaskData, TaskEntry, TaskSource};
use mz_api::records::RecordKind;
use mz_domain::office::TimeLeft;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// A task as the board lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TaskItem {
    pub id: Uuid,
    pub title: String,
    pub lead: String,
    pub co: Vec<String>,
    #[ts(type = "string")]
    pub deadline: NaiveDate,
    /// Green, amber within three days, red overdue (a closed one: ample).
    pub time_left: TimeLeft,
    /// The lead has reported it finished and asks to close it (报结).
    pub reported_done: bool,
    pub closed: bool,
    /// A later deadline the lead asked for, not yet granted.
    #[ts(type = "string | null")]
    pub asked_until: Option<NaiveDate>,
    /// The last report back, its words.
    pub last_report: Option<String>,
    /// The document whose instruction it tracks, and that document's title.
    pub source: Option<TaskSource>,
    /// An entry taken here waits to be sent.
    pub pending: bool,
    #[ts(type = "string")]
    pub updated: NaiveDateTime,
    /// The user has something to do on it now (report, or, for the office,
    /// decide a request or a report that asks to close it).
    pub mine: bool,
}

/// One task with the entries the user may take on it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TaskView {
    pub item: TaskItem,
    pub data: TaskData,
    /// The actions the user may take, by their wire kind (`report`,
    /// `close` …), each with its name.
    pub choices: Vec<TaskChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TaskChoice {
    pub kind: String,
    pub name: String,
}

/// A task as the window opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewTask {
    pub title: String,
    pub requirement: String,
    /// The document whose instruction it tracks, and who instructed.
    pub source_document: Option<Uuid>,
    pub instructed_by: Option<Person>,
    pub lead: Person,
    #[serde(default)]
    pub co: Vec<Person>,
    #[ts(type = "string")]
    pub deadline: NaiveDate,
}

/// An entry as the window asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TaskRequest {
    pub action: TaskAction,
    #[serde(default)]
    pub text: String,
}

/// What the desk says of a task it does not hold.
fn no_such_task() -> AppError {
    AppError::Invalid("没有这项督办事项".to_owned())
}

/// The later deadline asked for and not yet granted (nor superseded).
fn asked_until(data: &TaskData) -> Option<NaiveDate> {
    for entry in data.entries.iter().rev() {
        match &entry.action {
            TaskAction::AskExtension { to } => return Some(*to),
            TaskAction::Extend { .. } | TaskAction::Reassign { .. } | TaskAction::Close => {
                return None;
            }
            TaskAction::Open | TaskAction::Report { .. } | TaskAction::Chase => {}
        }
    }
    None
}

fn item(
    id: Uuid,
    data: &TaskData,
    pending: bool,
    actor: &mz_api::office::Actor,
    today: NaiveDate,
) -> TaskItem {
    let me = actor.person.user_id.as_str();
    let asked = asked_until(data);
    let mine = !data.closed
        && ((data.handles(me) && !data.reported_done)
            || (actor.office && (data.reported_done || asked.is_some())));
    TaskItem {
        id,
        title: data.title.clone(),
        lead: data.lead.name.clone(),
        co: data.co.iter().map(|c| c.name.clone()).collect(),
        deadline: data.deadline,
        time_left: if data.closed {
            TimeLeft::Ample
        } else {
            TimeLeft::of(Some(data.deadline), today)
        },
        reported_done: data.reported_done,
        closed: data.closed,
        asked_until: asked,
        last_report: data.last_report().map(|r| r.text.clone()),
        source: data.source.clone(),
        pending,
        updated: data.entries.last().map_or(NaiveDateTime::MIN, |e| e.at),
        mine,
    }
}

impl ClientApp {
    /// The unit's tasks: the open ones by deadline (the overdue first),
    /// then the closed ones, the latest first.
    pub fn office_tasks(&self) -> AppResult<Vec<TaskItem>> {
        let actor = self.office_actor()?;
        let today = self.today();
        let mut items = Vec::new();
        for record in self.store()?.records(RecordKind::OfficeTask)? {
            let data: TaskData = record.body()?;
            items.push(item(record.id, &data, record.pending, &actor, today));
        }
        items.sort_by_key(|i| {
            (
                i.closed,
                if i.closed { None } else { Some(i.deadline) },
                std::cmp::Reverse(i.updated),
            )
        });
        Ok(items)
    }

    /// One task, with what the user may do on it now.
    pub fn office_task(&self, id: Uuid) -> AppResult<TaskView> {
        let (data, pending) = self.task_cached(id)?.ok_or_else(no_such_task)?;
        let actor = self.office_actor()?;
        let now = self.china_now();
        let tried = |action: TaskAction| {
            let entry = TaskEntry {
                action,
                by: actor.person.clone(),
                at: now,
                text: "意见".to_owned(),
            };
            mz_api::office::task::apply(Some(&data), &entry, &data, &actor).is_ok()
        };
        let later = data.deadline + chrono::Duration::days(1);
        let candidates = [
            TaskAction::Report { done: false },
            TaskAction::Report { done: true },
            TaskAction::AskExtension { to: later },
            TaskAction::Chase,
            TaskAction::Extend { to: later },
            TaskAction::Reassign {
                lead: data.lead.clone(),
                co: data.co.clone(),
            },
            TaskAction::Close,
        ];
        let choices = candidates
            .into_iter()
            .filter(|a| tried(a.clone()))
            .map(|a| TaskChoice {
                kind: match a {
                    TaskAction::Report { done: true } => "report_done",
                    TaskAction::Report { done: false } => "report",
                    TaskAction::AskExtension { .. } => "ask_extension",
                    TaskAction::Chase => "chase",
                    TaskAction::Extend { .. } => "extend",
                    TaskAction::Reassign { .. } => "reassign",
                    TaskAction::Close => "close",
                    TaskAction::Open => "open",
                }
                .to_owned(),
                name: a.name().to_owned(),
            })
            .collect();
        Ok(TaskView {
            item: item(id, &data, pending, &actor, self.today()),
            data,
            choices,
        })
    }

    /// Opens a task for tracking (立项): from an instruction on a document
    /// when `source_document` names one (its title kept; a classified
    /// document's is not, since the task rests in the cache).
    pub fn office_open_task(&self, new: NewTask) -> AppResult<Uuid> {
        let source = match (new.source_document, new.instructed_by) {
            (None, _) => None,
            (Some(document), by) => {
                let title = match self.office_document_title(document)? {
                    Some(title) => title,
                    None => "（涉密公文）".to_owned(),
                };
                let by = by.ok_or_else(|| {
                    AppError::Rules(vec![mz_domain::FieldIssue::new(
                        "instructed_by",
                        "请写明批示的领导",
                    )])
                })?;
                Some(TaskSource {
                    document,
                    title,
                    by,
                })
            }
        };
        let content = TaskData {
            title: new.title.trim().to_owned(),
            requirement: new.requirement.trim().to_owned(),
            source,
            lead: new.lead,
            co: new.co,
            deadline: new.deadline,
            reported_done: false,
            closed: false,
            entries: Vec::new(),
        };
        let request = TaskRequest {
            action: TaskAction::Open,
            text: String::new(),
        };
        let body = self.task_entry(None, &content, request)?;
        let id = Uuid::now_v7();
        self.save_task(id, &body)?;
        Ok(id)
    }

    /// Takes an entry on a task (offline too) and queues it.
    pub fn office_task_act(&self, id: Uuid, request: TaskRequest) -> AppResult<TaskView> {
        let (current, _) = self.task_cached(id)?.ok_or_else(no_such_task)?;
        let next = self.task_entry(Some(&current), &current, request)?;
        self.save_task(id, &next)?;
        self.office_task(id)
    }

    fn task_cached(&self, id: Uuid) -> AppResult<Option<(TaskData, bool)>> {
        self.store()?
            .record(RecordKind::OfficeTask, id)?
            .map(|record| Ok((record.body()?, record.pending)))
            .transpose()
    }

    fn task_entry(
        &self,
        current: Option<&TaskData>,
        content: &TaskData,
        request: TaskRequest,
    ) -> AppResult<TaskData> {
        let actor = self.office_actor()?;
        // Never dated before the entry before it (times are kept to the minute).
        let now = self.china_now();
        let at = current
            .and_then(|c| c.entries.last())
            .map_or(now, |last| now.max(last.at));
        let entry = TaskEntry {
            action: request.action,
            by: actor.person.clone(),
            at,
            text: request.text.trim().to_owned(),
        };
        mz_api::office::task::apply(current, &entry, content, &actor)
            .map_err(|issue| AppError::Rules(vec![issue]))
    }

    fn save_task(&self, id: Uuid, body: &TaskData) -> AppResult<()> {
        let value = serde_json::to_value(body).map_err(AppError::Json)?;
        self.save_record(RecordKind::OfficeTask, id, value)
    }
}
