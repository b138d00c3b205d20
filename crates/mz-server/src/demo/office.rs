//! The demo department's documents, in every step: a notice waiting for
//! the office's review, a request waiting for the principal's sign-off, a
//! letter signed and waiting for its number, a notice sent to 长沙市民政局
//! and waiting there to be received; and incoming, a notice of the ministry
//! being handled by 社会救助处 past its deadline, out for reading with the
//! principal's instruction, and a notice of the provincial government
//! waiting for its first check.
//!
//! Each step is pushed by the user who takes it, so the platform replays
//! it as for any desk: the demo is what the rules let happen.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDateTime};
use mz_api::documents::{OfficialDocument, Paragraph, Urgency};
use mz_api::office::task::{TaskAction, TaskData, TaskEntry, TaskSource};
use mz_api::office::{
    Action, Actor, Authority, Direction, OfficeDocumentData, Person, Received, StepEntry, UnitRef,
};
use mz_api::records::RecordKind;
use mz_api::schedule::ScheduleSetupData;
use mz_api::sync::{Op, PushEntry};
use mz_domain::office::{DocKind, Step};
use uuid::Uuid;

use super::invalid;
use crate::admin::AdminError;
use crate::auth::Caller;
use crate::sync::History;
use crate::{AppState, Clock, Db};

const UNIT: (&str, &str) = ("430000-civil", "湖南省民政厅");
const CITY: (&str, &str) = ("430100-civil", "长沙市民政局");
const IMPORT_DEVICE: &str = "01900000-0000-7000-8000-000000000de4";

/// The desks the demo's steps are taken on: each user as themselves.
struct Desks {
    state: AppState,
    people: HashMap<String, (Caller, Actor)>,
    versions: HashMap<Uuid, i64>,
    seq: i64,
    authority: Authority,
    /// Now, in China.
    now: NaiveDateTime,
}

impl Desks {
    fn who(&self, username: &str) -> Result<&(Caller, Actor), AdminError> {
        self.people
            .get(username)
            .ok_or_else(|| invalid(format!("the demo user {username}")))
    }

    fn person(&self, username: &str) -> Result<Person, AdminError> {
        Ok(self.who(username)?.1.person.clone())
    }

    /// Takes a step as `username`, `days_ago` days back at `hour`, and
    /// pushes it.
    async fn take(
        &mut self,
        username: &str,
        id: Uuid,
        body: Option<&OfficeDocumentData>,
        content: &OfficeDocumentData,
        (action, opinion, deadline): (Action, &str, Option<i64>),
        (days_ago, hour): (i64, u32),
    ) -> Result<OfficeDocumentData, AdminError> {
        let (caller, actor) = self.who(username)?.clone();
        let day = self.now.date() - Duration::days(days_ago);
        let at = day
            .and_hms_opt(hour, 0, 0)
            .ok_or_else(|| invalid("a demo hour"))?
            .min(self.now);
        let entry = StepEntry {
            step: body.map_or(
                match content.direction {
                    Direction::Outgoing => Step::Draft,
                    Direction::Incoming => Step::FirstCheck,
                },
                |b| b.step,
            ),
            action,
            by: actor.person.clone(),
            at,
            opinion: opinion.to_owned(),
            deadline: deadline.map(|d| self.now.date() + Duration::days(d)),
            on_behalf_of: None,
        };
        let next = mz_api::office::apply(body, &entry, content, &actor, &self.authority)
            .map_err(|i| invalid(format!("the demo step {}: {}", i.field, i.message)))?;
        self.push(&caller, RecordKind::OfficeDocument, id, &next)
            .await?;
        Ok(next)
    }

    /// Pushes the next version of a record as `caller`.
    async fn push(
        &mut self,
        caller: &Caller,
        kind: RecordKind,
        id: Uuid,
        body: &impl serde::Serialize,
    ) -> Result<(), AdminError> {
        self.seq += 1;
        let version = self.versions.entry(id).or_insert(0);
        let push = PushEntry {
            device_seq: self.seq,
            kind,
            record_id: id,
            op: Op::Upsert,
            base_version: *version,
            data: Some(serde_json::to_value(body).map_err(invalid)?),
        };
        *version += 1;
        super::push_all(&self.state, caller, vec![push], History::Live).await?;
        Ok(())
    }

    /// Opens a task and takes its entries, each `(user, action, words,
    /// days ago)`, at 10 o'clock.
    async fn task(
        &mut self,
        content: &TaskData,
        entries: Vec<(&str, TaskAction, &str, i64)>,
    ) -> Result<(), AdminError> {
        let id = Uuid::now_v7();
        let mut body: Option<TaskData> = None;
        for (user, action, text, days_ago) in entries {
            let (caller, actor) = self.who(user)?.clone();
            let at = (self.now.date() - Duration::days(days_ago))
                .and_hms_opt(10, 0, 0)
                .ok_or_else(|| invalid("a demo hour"))?
                .min(self.now);
            let entry = TaskEntry {
                action,
                by: actor.person.clone(),
                at,
                text: text.to_owned(),
            };
            let next = mz_api::office::task::apply(
                body.as_ref(),
                &entry,
                body.as_ref().unwrap_or(content),
                &actor,
            )
            .map_err(|i| invalid(format!("the demo task {}: {}", i.field, i.message)))?;
            self.push(&caller, RecordKind::OfficeTask, id, &next)
                .await?;
            body = Some(next);
        }
        Ok(())
    }

    /// Takes steps one after another on one document, each `(user,
    /// action, opinion, deadline in days)`, a day apart ending `last` days
    /// ago.
    async fn steps(
        &mut self,
        content: &OfficeDocumentData,
        steps: Vec<(&str, Action, &str, Option<i64>)>,
        last: i64,
    ) -> Result<Uuid, AdminError> {
        let id = Uuid::now_v7();
        let mut body: Option<OfficeDocumentData> = None;
        let count = i64::try_from(steps.len()).map_err(invalid)?;
        for (n, (user, action, opinion, deadline)) in (0..).zip(steps) {
            let days_ago = last + count - 1 - n;
            let current = body.as_ref().unwrap_or(content);
            let next = self
                .take(
                    user,
                    id,
                    body.as_ref(),
                    current,
                    (action, opinion, deadline),
                    (days_ago, 9 + u32::try_from(n % 8).map_err(invalid)?),
                )
                .await?;
            body = Some(next);
        }
        Ok(id)
    }
}

fn document(title: &str, recipients: &[&str], body: &[&str]) -> OfficialDocument {
    OfficialDocument {
        copy_no: None,
        classification: None,
        urgency: None,
        issuer_mark: "湖南省民政厅文件".to_owned(),
        issuers: Vec::new(),
        doc_number: String::new(),
        signers: Vec::new(),
        upward: false,
        title: title.to_owned(),
        recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
        body: body
            .iter()
            .map(|text| Paragraph {
                level: u8::from(text.starts_with(['一', '二', '三', '四'])),
                text: (*text).to_owned(),
            })
            .collect(),
        attachments: Vec::new(),
        signature: "湖南省民政厅".to_owned(),
        date: String::new(),
        sealed: true,
        note: None,
        cc: Vec::new(),
        printer: None,
        print_date: None,
    }
}

fn outgoing(kind: DocKind, document: OfficialDocument) -> OfficeDocumentData {
    OfficeDocumentData::outgoing(kind, false, document)
}

/// Seeds the documents once: nothing happens when there are some, or the
/// department has no leaders yet.
pub async fn seed_office(db: &Db, clock: &Clock) -> Result<usize, AdminError> {
    let existing: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records WHERE kind = 'office_document'")
            .fetch_one(&db.pool)
            .await?;
    if existing > 0 {
        return Ok(0);
    }
    let setup: Option<ScheduleSetupData> = {
        let mut conn = db.pool.acquire().await?;
        crate::modules::live_by_key(
            &mut conn,
            RecordKind::ScheduleSetup,
            &format!("schedule:{}", UNIT.0),
        )
        .await
        .map_err(|e| invalid(e.message))?
    };
    let Some(setup) = setup else {
        return Ok(0);
    };
    let mut people = HashMap::new();
    for (username, id, name, unit, roles) in sqlx::query_as::<
        _,
        (String, String, String, String, String),
    >(
        "SELECT username, id, display_name, org_unit, roles FROM users WHERE org_unit IN ($1, $2)",
    )
    .bind(UNIT.0)
    .bind(CITY.0)
    .fetch_all(&db.pool)
    .await?
    {
        let roles = crate::auth::parse_roles(&roles);
        let (unit_name, region) = if unit == CITY.0 {
            (CITY.1, "430100")
        } else {
            (UNIT.1, "430000")
        };
        let caller = Caller {
            user_id: id.clone(),
            username: username.clone(),
            display_name: name.clone(),
            roles: roles.clone(),
            org_unit: unit,
            org_unit_name: unit_name.to_owned(),
            region: region.parse().map_err(invalid)?,
            device_id: IMPORT_DEVICE.to_owned(),
            session_id: String::new(),
        };
        let actor = Actor::of(Person { user_id: id, name }, &roles);
        people.insert(username, (caller, actor));
    }
    let mut state = AppState::new(db.clone());
    state.clock = clock.clone();
    let now = mz_domain::holiday::china_time(crate::clock::to_datetime(clock.now_ms()));
    let authority = Authority::new(&setup, &[], now.date());
    let mut desks = Desks {
        state,
        people,
        versions: HashMap::new(),
        seq: 0,
        authority,
        now,
    };
    let principal = desks.person("leader")?;
    let deputy = desks.person("deputy1")?;
    let relief = desks.person("relief")?;
    let year = now.year();

    // A notice drafted and sent for review: the office's to-do.
    let notice = outgoing(
        DocKind::Notice,
        document(
            "关于做好2026年冬季困难群众救助工作的通知",
            &["各市州民政局"],
            &[
                "为切实保障困难群众冬季基本生活，现就有关工作通知如下。",
                "一、全面排查摸底",
                "各地要对低保对象、特困人员和低收入人口开展一次全面走访排查。",
                "二、及时实施救助",
                "对遭遇突发事件、意外事故陷入困境的群众，要及时给予临时救助。",
            ],
        ),
    );
    desks
        .steps(
            &notice,
            vec![
                ("relief", Action::Create, "", None),
                ("relief", Action::Submit, "请办公室审核", Some(2)),
            ],
            0,
        )
        .await?;

    // A request (请示) reviewed and named to the principal: their to-do.
    let mut urgent = document(
        "关于申请省级养老服务体系建设补助资金的请示",
        &["湖南省财政厅"],
        &[
            "为推进全省养老服务体系建设，拟申请省级补助资金。",
            "一、资金用途",
            "主要用于县级特困人员供养服务设施改造提升。",
            "妥否，请批示。",
        ],
    );
    urgent.urgency = Some(Urgency::Urgent);
    let request = outgoing(DocKind::Request, urgent);
    desks
        .steps(
            &request,
            vec![
                ("office_staff", Action::Create, "", None),
                ("office_staff", Action::Submit, "", None),
                (
                    "office_staff",
                    Action::Approve {
                        signer: principal.clone(),
                    },
                    "经审核，文字和格式符合要求，拟请厅长签发",
                    Some(1),
                ),
            ],
            0,
        )
        .await?;

    // A letter signed by the executive deputy, waiting for the office's
    // check (复核).
    let letter = outgoing(
        DocKind::Letter,
        document(
            "关于商请协助做好流浪乞讨人员救助管理工作的函",
            &["湖南省公安厅"],
            &["为加强流浪乞讨人员救助管理工作，现商请贵厅给予协助。"],
        ),
    );
    desks
        .steps(
            &letter,
            vec![
                ("office_staff", Action::Create, "", None),
                ("office_staff", Action::Submit, "", None),
                (
                    "office_staff",
                    Action::Approve {
                        signer: deputy.clone(),
                    },
                    "拟请陈厅长签发",
                    None,
                ),
                (
                    "deputy1",
                    Action::SignOff {
                        circled: false,
                        on_behalf_of: None,
                    },
                    "同意",
                    None,
                ),
            ],
            1,
        )
        .await?;

    // A notice sent to 长沙市民政局: waiting there to be received.
    let sent = outgoing(
        DocKind::Notice,
        document(
            "关于开展婚姻登记“跨省通办”工作检查的通知",
            &["长沙市民政局"],
            &["为规范婚姻登记“跨省通办”工作，决定开展专项检查。"],
        ),
    );
    desks
        .steps(
            &sent,
            vec![
                ("office_staff", Action::Create, "", None),
                ("office_staff", Action::Submit, "", None),
                (
                    "office_staff",
                    Action::Approve {
                        signer: deputy.clone(),
                    },
                    "",
                    None,
                ),
                (
                    "deputy1",
                    Action::SignOff {
                        circled: true,
                        on_behalf_of: None,
                    },
                    "",
                    None,
                ),
                ("office_staff", Action::Check, "", None),
                (
                    "office_staff",
                    Action::Register {
                        number: format!("湘民发〔{year}〕1号"),
                        recipients: vec![UnitRef {
                            code: CITY.0.to_owned(),
                            name: CITY.1.to_owned(),
                        }],
                        copies: 20,
                    },
                    "",
                    None,
                ),
                ("office_staff", Action::Print, "", None),
                ("office_staff", Action::Distribute, "", None),
            ],
            1,
        )
        .await?;

    // The ministry's urgent notice, handled by 社会救助处 past its deadline,
    // out for reading: the principal instructed, the deputy has not read.
    let ministry = OfficeDocumentData {
        title: "关于开展养老机构安全隐患排查整治的通知".to_owned(),
        urgency: Some(Urgency::Urgent),
        received: Some(Received {
            sender: "民政部".to_owned(),
            sender_unit: None,
            sender_number: format!("民发〔{year}〕45号"),
            received_on: now.date() - Duration::days(8),
            delivery: None,
        }),
        ..incoming()
    };
    let ministry_id = desks
        .steps(
            &ministry,
            vec![
                ("office_staff", Action::Create, "", None),
                ("office_staff", Action::Accept, "", None),
                (
                    "office_staff",
                    Action::Assign {
                        lead: relief.clone(),
                        co: Vec::new(),
                    },
                    "请社会救助处牵头办理，按时报送排查情况",
                    Some(-2),
                ),
                (
                    "office_staff",
                    Action::Circulate {
                        readers: vec![principal.clone(), deputy.clone()],
                        purpose: "阅示".to_owned(),
                    },
                    "",
                    None,
                ),
                (
                    "leader",
                    Action::Read {
                        instructs: vec![relief.clone()],
                    },
                    "请社会救助处抓紧落实，排查情况周五前报我",
                    None,
                ),
            ],
            2,
        )
        .await?;

    // The principal's instruction on it, opened for tracking: 社会救助处
    // reported once, and the deadline passed yesterday.
    let instruction = TaskData {
        title: "落实养老机构安全隐患排查批示".to_owned(),
        requirement: "周厅长批示：请社会救助处抓紧落实，排查情况周五前报我。".to_owned(),
        source: Some(TaskSource {
            document: ministry_id,
            title: ministry.title.clone(),
            by: principal.clone(),
        }),
        lead: relief.clone(),
        co: Vec::new(),
        deadline: now.date() - Duration::days(1),
        reported_done: false,
        closed: false,
        entries: Vec::new(),
    };
    desks
        .task(
            &instruction,
            vec![
                ("office_staff", TaskAction::Open, "", 2),
                (
                    "relief",
                    TaskAction::Report { done: false },
                    "已排查长沙、株洲两市 46 家机构，其余市州正在进行",
                    1,
                ),
            ],
        )
        .await?;

    // The provincial government's notice, just registered.
    let government = OfficeDocumentData {
        title: "关于报送2026年度社会救助工作总结的通知".to_owned(),
        received: Some(Received {
            sender: "湖南省人民政府办公厅".to_owned(),
            sender_unit: None,
            sender_number: format!("湘政办函〔{year}〕88号"),
            received_on: now.date(),
            delivery: None,
        }),
        ..incoming()
    };
    desks
        .steps(
            &government,
            vec![("secretary", Action::Create, "", Some(10))],
            0,
        )
        .await?;
    // A confidential notice (机密), handled and done: read online only,
    // never in a desk's cache, its copy waiting to be destroyed as the
    // rules allow (销毁登记).
    let secret = OfficeDocumentData {
        title: "关于做好重要时段安全保密工作的通知".to_owned(),
        classification: Some(mz_api::documents::Classification {
            level: mz_api::documents::SecrecyLevel::Confidential,
            period: Some("1年".to_owned()),
        }),
        received: Some(Received {
            sender: "民政部".to_owned(),
            sender_unit: None,
            sender_number: format!("民发〔{year}〕38号"),
            received_on: now.date() - Duration::days(20),
            delivery: None,
        }),
        ..incoming()
    };
    desks
        .steps(
            &secret,
            vec![
                ("secretary", Action::Create, "", None),
                ("secretary", Action::Accept, "", None),
                (
                    "secretary",
                    Action::Assign {
                        lead: desks.person("secretary")?,
                        co: Vec::new(),
                    },
                    "由机要室办理",
                    None,
                ),
                ("secretary", Action::Reply, "已按要求落实并报告", None),
            ],
            14,
        )
        .await?;
    // Every push a step: as many records written.
    usize::try_from(desks.seq).map_err(invalid)
}

/// An incoming document's frame, before its sender and title.
fn incoming() -> OfficeDocumentData {
    OfficeDocumentData::blank(Direction::Incoming, DocKind::Notice)
}
