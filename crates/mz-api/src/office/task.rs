//! 督办事项: a matter the office tracks to its end — a leader's instruction
//! (批示) on a document, or a task given at a meeting — one `office_task`
//! record each, with its handlers, its deadline, every report back and
//! every request for more time.
//!
//! As with a document, every entry is applied by one state machine
//! ([`apply`]) on the desk before it is queued and replayed on the
//! platform as the caller ([`replay`]): a report by someone not on the
//! task, a deadline moved without a reason, a closed matter reopened by a
//! stale desk are refused whatever the client sent.

use chrono::{NaiveDate, NaiveDateTime};
use mz_domain::FieldIssue;
use mz_domain::office::OPINION_CHARS;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Actor, MAX_HANDLERS, Person, issue};

/// The most entries a task's history holds.
pub const MAX_TASK_ENTRIES: usize = 300;
/// The most characters of a task's requirement (督办要求).
pub const REQUIREMENT_CHARS: usize = 2_000;

/// Where a task comes from: a reader's instruction on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct TaskSource {
    pub document: Uuid,
    /// The document's title, as it was when the task was opened.
    pub title: String,
    /// Who instructed.
    pub by: Person,
}

/// What an entry does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskAction {
    /// Opened for tracking (立项), by the office or a leader.
    Open,
    /// Reported back on (反馈) by a handler; `done` when the handler says
    /// the matter is finished and asks to close it.
    Report {
        #[serde(default)]
        done: bool,
    },
    /// The handlers chased (催办) by the office.
    Chase,
    /// A later deadline asked for by the lead handler, with the reason.
    AskExtension { to: NaiveDate },
    /// The deadline moved later (延期) by the office, with the reason.
    Extend { to: NaiveDate },
    /// Given to other handlers (转办) by the office.
    Reassign { lead: Person, co: Vec<Person> },
    /// Closed (办结) by the office or whoever opened it, with an opinion.
    Close,
}

impl TaskAction {
    pub fn name(&self) -> &'static str {
        match self {
            TaskAction::Open => "立项",
            TaskAction::Report { done: false } => "反馈",
            TaskAction::Report { done: true } => "报结",
            TaskAction::Chase => "催办",
            TaskAction::AskExtension { .. } => "申请延期",
            TaskAction::Extend { .. } => "延期",
            TaskAction::Reassign { .. } => "转办",
            TaskAction::Close => "办结",
        }
    }
}

/// One entry of a task's history: what, by whom, when (in China), with
/// what words (the report, the reason, the opinion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct TaskEntry {
    pub action: TaskAction,
    pub by: Person,
    pub at: NaiveDateTime,
    #[serde(default)]
    pub text: String,
}

/// The body of an `office_task` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct TaskData {
    pub title: String,
    /// What is to be done (督办要求): the instruction's words, or the task's.
    pub requirement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source: Option<TaskSource>,
    /// Who answers for it (主办), and who helps (协办).
    pub lead: Person,
    #[serde(default)]
    pub co: Vec<Person>,
    pub deadline: NaiveDate,
    /// A report has asked to close it (报结), not yet decided.
    #[serde(default)]
    pub reported_done: bool,
    #[serde(default)]
    pub closed: bool,
    /// Every entry, oldest first.
    pub entries: Vec<TaskEntry>,
}

impl TaskData {
    /// Whether `user` handles it (lead or co).
    pub fn handles(&self, user: &str) -> bool {
        self.lead.user_id == user || self.co.iter().any(|c| c.user_id == user)
    }

    /// The last report back, if any.
    pub fn last_report(&self) -> Option<&TaskEntry> {
        self.entries
            .iter()
            .rev()
            .find(|e| matches!(e.action, TaskAction::Report { .. }))
    }
}

/// A task's own rules: its texts, its sizes.
pub fn task_issues(body: &TaskData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let title = body.title.trim();
    if title.is_empty() {
        issues.push(issue("title", "请填写督办事项"));
    } else if title.chars().count() > 200 {
        issues.push(issue("title", "督办事项不超过 200 字"));
    }
    if body.requirement.trim().is_empty() {
        issues.push(issue("requirement", "请写明督办要求"));
    } else if body.requirement.chars().count() > REQUIREMENT_CHARS {
        issues.push(issue(
            "requirement",
            format!("督办要求不超过 {REQUIREMENT_CHARS} 字"),
        ));
    }
    if body.co.len() > MAX_HANDLERS {
        issues.push(issue("co", format!("协办最多 {MAX_HANDLERS} 人")));
    }
    if body.co.iter().any(|c| c.user_id == body.lead.user_id) {
        issues.push(issue("co", "主办人不再列为协办"));
    }
    if body.entries.len() > MAX_TASK_ENTRIES {
        issues.push(issue(
            "entries",
            format!("办理记录最多 {MAX_TASK_ENTRIES} 条"),
        ));
    }
    for (i, entry) in body.entries.iter().enumerate() {
        if entry.text.chars().count() > OPINION_CHARS {
            issues.push(issue(
                &format!("entries[{i}].text"),
                format!("不超过 {OPINION_CHARS} 字"),
            ));
        }
    }
    issues
}

/// Takes one entry: `entry` applied to `body` (`None` for a new task) by
/// `actor`, with `content` the task as the actor wrote it (its title,
/// requirement, source, handlers and deadline count for `Open` only).
pub fn apply(
    body: Option<&TaskData>,
    entry: &TaskEntry,
    content: &TaskData,
    actor: &Actor,
) -> Result<TaskData, FieldIssue> {
    let refuse = |m: &str| Err(issue("entries", m));
    if entry.by != actor.person {
        return Err(issue(
            "entries",
            format!(
                "办理人须是本人（{}），不能以他人名义办理",
                actor.person.name
            ),
        ));
    }
    let needs_text = |what: &str| -> Result<(), FieldIssue> {
        if entry.text.trim().is_empty() {
            Err(issue("text", what))
        } else {
            Ok(())
        }
    };
    let Some(body) = body else {
        if entry.action != TaskAction::Open {
            return refuse("新的督办事项从“立项”开始");
        }
        if !(actor.office || actor.leader) {
            return refuse("由办公室或领导立项督办");
        }
        let task = TaskData {
            reported_done: false,
            closed: false,
            entries: vec![entry.clone()],
            ..content.clone()
        };
        if let Some(first) = task_issues(&task).into_iter().next() {
            return Err(first);
        }
        return Ok(task);
    };
    let same = TaskData {
        entries: Vec::new(),
        reported_done: false,
        closed: false,
        deadline: body.deadline,
        lead: body.lead.clone(),
        co: body.co.clone(),
        ..content.clone()
    } == TaskData {
        entries: Vec::new(),
        reported_done: false,
        closed: false,
        ..body.clone()
    };
    if !same {
        return refuse("督办事项的内容立项后不能改动");
    }
    if body.closed {
        return refuse("此事项已办结");
    }
    let me = actor.person.user_id.as_str();
    let opener = body.entries.first().map(|e| &e.by) == Some(&actor.person);
    let mut next = body.clone();
    match &entry.action {
        TaskAction::Open => return refuse("此事项已立项"),
        TaskAction::Report { done } => {
            if !body.handles(me) {
                return refuse("只有承办人反馈办理情况");
            }
            if *done && body.lead.user_id != me {
                return refuse("由主办人报结");
            }
            needs_text("请写办理情况")?;
            next.reported_done = *done;
        }
        TaskAction::Chase => {
            if !actor.office {
                return refuse("由办公室催办");
            }
        }
        TaskAction::AskExtension { to } => {
            if body.lead.user_id != me {
                return refuse("由主办人申请延期");
            }
            if *to <= body.deadline {
                return Err(issue(
                    "to",
                    format!("申请的时限应晚于原时限 {}", body.deadline),
                ));
            }
            needs_text("申请延期须写明理由")?;
        }
        TaskAction::Extend { to } => {
            if !actor.office {
                return refuse("由办公室延期");
            }
            if *to <= body.deadline {
                return Err(issue(
                    "to",
                    format!("延期后的时限应晚于原时限 {}", body.deadline),
                ));
            }
            needs_text("延期须写明理由")?;
            next.deadline = *to;
        }
        TaskAction::Reassign { lead, co } => {
            if !actor.office {
                return refuse("由办公室转办");
            }
            needs_text("转办须写明理由")?;
            next.lead = lead.clone();
            next.co = co.clone();
            next.reported_done = false;
        }
        TaskAction::Close => {
            if !(actor.office || opener) {
                return refuse("由办公室或立项的领导办结");
            }
            if body.last_report().is_none() {
                return refuse("承办人尚未反馈，不能办结");
            }
            needs_text("请写办结意见")?;
            next.closed = true;
        }
    }
    next.entries.push(entry.clone());
    if let Some(first) = task_issues(&next).into_iter().next() {
        return Err(first);
    }
    Ok(next)
}

/// The entries `next` adds to `previous`, replayed as `actor`: the task
/// they make, which must be `next` itself.
pub fn replay(
    previous: Option<&TaskData>,
    next: &TaskData,
    actor: &Actor,
) -> Result<TaskData, FieldIssue> {
    super::replay_entries(
        "entries",
        previous,
        next,
        |t: &TaskData| t.entries.as_slice(),
        |e: &TaskEntry| e.at,
        |body, entry| apply(body, entry, next, actor),
    )
}

/// The kind's normal form: its own rules.
pub(crate) fn normalise_task(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let body: TaskData = read_body(data)?;
    let issues = task_issues(&body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// What a task may become: its history only grows, and a closed one is
/// final.
pub(crate) fn task_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    _today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(previous, next, |previous: Option<&TaskData>, next| {
        let Some(previous) = previous else {
            return Vec::new();
        };
        let mut issues = Vec::new();
        if next.entries.get(..previous.entries.len()) != Some(previous.entries.as_slice()) {
            issues.push(issue("entries", "办理记录只能追加，不能改动或删除"));
        }
        if previous.closed && next != previous {
            issues.push(issue("closed", "已办结的督办事项不能再改动"));
        }
        issues
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::office::{Actor, Person};

    fn person(id: &str, name: &str) -> Person {
        Person {
            user_id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    fn actor(id: &str, name: &str, office: bool, leader: bool) -> Actor {
        Actor {
            person: person(id, name),
            office,
            leader,
        }
    }

    fn clerk() -> Actor {
        actor("u-clerk", "王文书", true, false)
    }

    fn leader() -> Actor {
        actor("u-leader", "周厅长", false, true)
    }

    fn handler() -> Actor {
        actor("u-handler", "赵处长", false, false)
    }

    fn helper() -> Actor {
        actor("u-helper", "钱科长", false, false)
    }

    fn at(n: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(9, n, 0)
            .unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn content() -> TaskData {
        TaskData {
            title: "落实冬季救助批示".to_owned(),
            requirement: "周厅长批示：请社会救助处一周内拿出方案。".to_owned(),
            source: Some(TaskSource {
                document: Uuid::nil(),
                title: "关于做好冬季救助工作的通知".to_owned(),
                by: leader().person,
            }),
            lead: handler().person,
            co: vec![helper().person],
            deadline: day(14),
            reported_done: false,
            closed: false,
            entries: Vec::new(),
        }
    }

    fn take(
        body: Option<&TaskData>,
        who: &Actor,
        action: TaskAction,
        text: &str,
        minute: u32,
    ) -> Result<TaskData, FieldIssue> {
        let entry = TaskEntry {
            action,
            by: who.person.clone(),
            at: at(minute),
            text: text.to_owned(),
        };
        apply(body, &entry, body.unwrap_or(&content()), who)
    }

    #[test]
    fn a_task_is_opened_reported_on_extended_and_closed() {
        let opened = take(None, &leader(), TaskAction::Open, "", 0).unwrap();
        assert_eq!(opened.entries.len(), 1);
        // A co-handler reports; only the lead reports it finished.
        let reported = take(
            Some(&opened),
            &helper(),
            TaskAction::Report { done: false },
            "已摸底",
            1,
        )
        .unwrap();
        assert!(
            take(
                Some(&reported),
                &helper(),
                TaskAction::Report { done: true },
                "已完成",
                2
            )
            .is_err()
        );
        // The lead asks for more time; the office grants it with a reason.
        let asked = take(
            Some(&reported),
            &handler(),
            TaskAction::AskExtension { to: day(21) },
            "需征求财政意见",
            2,
        )
        .unwrap();
        assert_eq!(asked.deadline, day(14), "asking moves nothing");
        let extended = take(
            Some(&asked),
            &clerk(),
            TaskAction::Extend { to: day(21) },
            "同意",
            3,
        )
        .unwrap();
        assert_eq!(extended.deadline, day(21));
        let done = take(
            Some(&extended),
            &handler(),
            TaskAction::Report { done: true },
            "方案已印发",
            4,
        )
        .unwrap();
        assert!(done.reported_done);
        let closed = take(Some(&done), &clerk(), TaskAction::Close, "同意办结", 5).unwrap();
        assert!(closed.closed);
        // A closed task takes nothing more.
        let again = take(Some(&closed), &clerk(), TaskAction::Chase, "", 6).unwrap_err();
        assert!(again.message.contains("已办结"), "{again:?}");
        // The platform's replay of the whole history as each caller.
        let replayed = replay(None, &opened, &leader()).unwrap();
        assert_eq!(replayed, opened);
        let mut forged = extended.clone();
        forged.deadline = day(28);
        let refused = replay(Some(&asked), &forged, &clerk()).unwrap_err();
        assert_eq!(refused.field, "entries");
    }

    #[test]
    fn who_may_do_what_on_a_task() {
        let stranger = actor("u-x", "孙某", false, false);
        // Only the office or a leader opens one.
        let refused = take(None, &handler(), TaskAction::Open, "", 0).unwrap_err();
        assert!(refused.message.contains("立项"), "{refused:?}");
        let opened = take(None, &clerk(), TaskAction::Open, "", 0).unwrap();
        for (who, action, text) in [
            (&stranger, TaskAction::Report { done: false }, "情况"),
            (&handler(), TaskAction::Chase, ""),
            (&handler(), TaskAction::Extend { to: day(21) }, "理由"),
            (&helper(), TaskAction::AskExtension { to: day(21) }, "理由"),
            (
                &handler(),
                TaskAction::Reassign {
                    lead: helper().person,
                    co: Vec::new(),
                },
                "理由",
            ),
        ] {
            assert!(
                take(Some(&opened), who, action.clone(), text, 1).is_err(),
                "{action:?} by {}",
                who.person.name
            );
        }
        // No close before a report; every reason is required.
        assert!(take(Some(&opened), &clerk(), TaskAction::Close, "办结", 1).is_err());
        let no_reason = take(
            Some(&opened),
            &clerk(),
            TaskAction::Extend { to: day(21) },
            " ",
            1,
        )
        .unwrap_err();
        assert_eq!(no_reason.field, "text");
        let earlier = take(
            Some(&opened),
            &clerk(),
            TaskAction::Extend { to: day(10) },
            "理由",
            1,
        )
        .unwrap_err();
        assert_eq!(earlier.field, "to");
        // Reassigned, the new lead reports and the old one no longer may.
        let moved = take(
            Some(&opened),
            &clerk(),
            TaskAction::Reassign {
                lead: helper().person,
                co: Vec::new(),
            },
            "赵处长出差",
            1,
        )
        .unwrap();
        assert!(
            take(
                Some(&moved),
                &handler(),
                TaskAction::Report { done: false },
                "x",
                2
            )
            .is_err()
        );
        assert!(
            take(
                Some(&moved),
                &helper(),
                TaskAction::Report { done: true },
                "已完成",
                2
            )
            .is_ok()
        );
        // In someone else's name, or with the content changed: refused.
        let entry = TaskEntry {
            action: TaskAction::Chase,
            by: clerk().person,
            at: at(3),
            text: String::new(),
        };
        assert!(apply(Some(&opened), &entry, &opened, &handler()).is_err());
        let mut changed = opened.clone();
        changed.requirement = "改过的要求".to_owned();
        assert!(apply(Some(&opened), &entry, &changed, &clerk()).is_err());
    }

    #[test]
    fn a_task_names_its_wrong_fields() {
        let mut bad = content();
        bad.title = " ".to_owned();
        bad.requirement = "字".repeat(REQUIREMENT_CHARS + 1);
        bad.co = vec![handler().person];
        let fields: Vec<String> = task_issues(&bad).into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["title", "requirement", "co"]);
    }
}
