//! Official-document handling at the desk (公文处理): the inbox (待办, 已办,
//! 传阅, and every document of the unit the user may read), one document
//! with its history and the steps the user may take on it now, and the
//! steps themselves — taken offline too, each applied by the same rules the
//! platform replays, queued in the outbox, and met as a conflict when
//! someone else took the step first.
//!
//! Which steps a user may take is asked of the rules themselves
//! ([`mz_api::office::apply`]), never decided a second time here.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use mz_api::documents::OfficialDocument;
use mz_api::office::{
    Action, Actor, Attachment, Authority, Delivery, Direction, OfficeDocumentData, Person,
    Received, StepEntry, UnitRef,
};
use mz_api::records::RecordKind;
use mz_api::schedule::AwayData;
use mz_domain::blob::BlobRef;
use mz_domain::office::{DocKind, DocNumber, Step, TimeLeft};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

pub mod delegations;
pub mod tasks;

/// A document as the inbox lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficeEntry {
    pub id: Uuid,
    pub direction: Direction,
    pub kind: DocKind,
    pub title: String,
    /// Its number (发文字号), or the sender's (来文字号).
    pub number: Option<String>,
    /// The sender of an incoming document.
    pub sender: Option<String>,
    pub step: Step,
    pub step_name: String,
    /// Whose work the step is, by name; empty for the office's work.
    pub owners: Vec<String>,
    #[ts(type = "string | null")]
    pub deadline: Option<NaiveDate>,
    pub time_left: TimeLeft,
    /// 特急 / 加急.
    pub urgency: Option<String>,
    /// 秘密 / 机密 / 绝密.
    pub classification: Option<String>,
    /// Out for reading (传阅中).
    pub circulating: bool,
    /// A step taken here waits to be sent.
    pub pending: bool,
    /// In the user's 待办 as the stand-in of an owner who is away (代办).
    pub standing_in: bool,
    /// When its last step was taken.
    #[ts(type = "string")]
    pub updated: NaiveDateTime,
}

/// A line of the destruction register (销毁登记): the classified document
/// and one destruction of its copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DestructionEntry {
    pub id: Uuid,
    pub title: String,
    /// Its number (发文字号), or the sender's (来文字号).
    pub number: Option<String>,
    /// 秘密 / 机密 / 绝密.
    pub classification: String,
    pub destruction: mz_api::office::Destruction,
}

/// The user's inbox; each list's length is its count in the navigation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficeInbox {
    /// Steps that are the user's (or the office's, for its staff) to take.
    pub to_do: Vec<OfficeEntry>,
    /// Documents the user has taken a step on, not waiting for them now.
    pub done: Vec<OfficeEntry>,
    /// Documents sent round to the user and not yet read (传阅).
    pub to_read: Vec<OfficeEntry>,
    /// The unit's documents the user may read, newest first, at most
    /// [`ALL_LISTED`].
    pub all: Vec<OfficeEntry>,
    /// How many documents the cache holds.
    pub total: usize,
    /// 督办: every document of the unit not yet done that has a deadline,
    /// by deadline (the overdue first).
    pub tracking: Vec<OfficeEntry>,
    /// 督办事项: the unit's tracked tasks, the open ones first by deadline
    /// (those with `mine` set count among the user's to-dos).
    pub tasks: Vec<tasks::TaskItem>,
}

/// A step the user may take on a document now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficeChoice {
    /// The action's kind, as [`Action`] names it on the wire (`approve`,
    /// `sign_off`, `return` …).
    pub kind: String,
    /// Its name on the button.
    pub name: String,
    /// For a return: the steps it may go back to.
    pub to: Vec<Step>,
    /// Whom the user takes it for (代), standing in for them while they
    /// are away: for a sign-off, the leader it is signed for (the action
    /// says so); for any other step, the owner whose to-do it is (the
    /// request says so, [`StepRequest::on_behalf_of`]).
    pub on_behalf_of: Option<Person>,
}

/// One document with what the user may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficeView {
    pub id: Uuid,
    pub entry: OfficeEntry,
    pub data: OfficeDocumentData,
    pub choices: Vec<OfficeChoice>,
    /// The number the unit's sequence gives next, for the registration.
    pub next_number: Option<String>,
    /// A step taken here that met someone else's on the platform: what
    /// they did; this desk's step waits in the sync issues, never sent over
    /// theirs.
    pub conflict: Option<OfficeConflict>,
    /// A classified document: read from the platform for this view, never
    /// kept on this desk; its steps are taken online only.
    pub held_online: bool,
}

/// Someone else's step that came first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficeConflict {
    /// The sync issue to settle.
    #[ts(type = "number")]
    pub device_seq: i64,
    pub by: String,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    /// What they did (签发, 复核 …) and at which step.
    pub action: String,
    pub step: String,
    pub opinion: String,
}

/// A step as the window asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StepRequest {
    pub action: Action,
    #[serde(default)]
    pub opinion: String,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub deadline: Option<NaiveDate>,
    /// Taken for an owner who is away, by their stand-in (the choice says
    /// whom).
    #[serde(default)]
    #[ts(optional)]
    pub on_behalf_of: Option<Person>,
}

/// A new outgoing document: what 打印中心's composer wrote, with its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewOutgoing {
    pub kind: DocKind,
    #[serde(default)]
    pub important: bool,
    pub document: OfficialDocument,
}

/// An incoming document received on paper or as a file (登记).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewIncoming {
    pub kind: DocKind,
    pub title: String,
    pub sender: String,
    #[serde(default)]
    pub sender_number: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[serde(default)]
    pub urgency: Option<mz_api::documents::Urgency>,
    #[serde(default)]
    pub classification: Option<mz_api::documents::Classification>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub deadline: Option<NaiveDate>,
    /// The document as it came, a file or a scan of the paper (收文扫描件),
    /// attached with its registration.
    #[serde(default)]
    #[ts(optional)]
    pub file: Option<ChosenFile>,
}

/// A file named by a body, with its bytes.
type FileBytes = (BlobRef, Vec<u8>);

/// A file the clerk chose, as the window sends it: its name, its kind as
/// the name says (the content is checked against it) and its bytes in
/// base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChosenFile {
    pub name: String,
    pub media_type: String,
    pub data: String,
}

/// The people a step names: the unit's leaders (who sign and read), and
/// everyone else the unit has who works documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficePeople {
    /// Leaders in the setup's order, the principal marked.
    pub leaders: Vec<OfficeLeader>,
    /// Everyone who may be named to handle or read: leaders, secretaries,
    /// the office and the people who already took steps here.
    pub people: Vec<Person>,
    /// The section (内设机构) each person works in, by user id, as the
    /// platform knows it (empty offline): a document is assigned to a
    /// section through the person who handles it there.
    pub sections: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OfficeLeader {
    pub person: Person,
    pub title: String,
    pub principal: bool,
}

/// What the inbox reads of a document: its list fields, without the body,
/// the opinions and the history's words (read past, never built).
#[derive(Debug, Clone, Deserialize)]
struct Glance {
    direction: Direction,
    kind: DocKind,
    title: String,
    #[serde(default)]
    classification: Option<mz_api::documents::Classification>,
    #[serde(default)]
    urgency: Option<mz_api::documents::Urgency>,
    #[serde(default)]
    received: Option<GlanceReceived>,
    step: Step,
    #[serde(default)]
    owners: Vec<String>,
    #[serde(default)]
    deadline: Option<NaiveDate>,
    #[serde(default)]
    signer: Option<Person>,
    #[serde(default)]
    registration: Option<GlanceRegistration>,
    #[serde(default)]
    handling: Option<mz_api::office::Handling>,
    #[serde(default)]
    readers: Vec<GlanceReader>,
    steps: GlanceSteps,
}

#[derive(Debug, Clone, Deserialize)]
struct GlanceReceived {
    sender: String,
    #[serde(default)]
    sender_number: String,
}

#[derive(Debug, Clone, Deserialize)]
struct GlanceRegistration {
    number: String,
}

#[derive(Debug, Clone, Deserialize)]
struct GlanceReader {
    reader: Person,
    #[serde(default)]
    read_at: Option<NaiveDateTime>,
    #[serde(default)]
    opinion: String,
    #[serde(default)]
    instructs: Vec<Person>,
}

/// What the inbox reads of the history: who took steps (each once) and
/// when the last was taken, read past the rest without building it.
#[derive(Debug, Clone, Default)]
struct GlanceSteps {
    people: Vec<Person>,
    last: Option<NaiveDateTime>,
}

impl<'de> Deserialize<'de> for GlanceSteps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct By<'a> {
            #[serde(borrow)]
            user_id: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            name: std::borrow::Cow<'a, str>,
        }
        #[derive(Deserialize)]
        struct Entry<'a> {
            #[serde(borrow)]
            by: By<'a>,
            #[serde(borrow)]
            at: std::borrow::Cow<'a, str>,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = GlanceSteps;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the steps of a document")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<GlanceSteps, A::Error> {
                let mut steps = GlanceSteps::default();
                let mut last = None;
                while let Some(entry) = seq.next_element::<Entry<'de>>()? {
                    if !steps.people.iter().any(|p| p.user_id == entry.by.user_id) {
                        steps.people.push(Person {
                            user_id: entry.by.user_id.into_owned(),
                            name: entry.by.name.into_owned(),
                        });
                    }
                    last = Some(entry.at);
                }
                steps.last = last
                    .map(|at| {
                        at.parse::<NaiveDateTime>()
                            .map_err(serde::de::Error::custom)
                    })
                    .transpose()?;
                Ok(steps)
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

impl Glance {
    fn circulating(&self) -> bool {
        self.readers.iter().any(|r| r.read_at.is_none())
    }
}

/// What the desk says of a document it neither holds nor can read.
fn no_such_document() -> AppError {
    AppError::Invalid("没有这份公文".to_owned())
}

/// What the desk says of an attachment a document does not have.
fn no_such_attachment() -> AppError {
    AppError::Invalid("这份公文没有这个附件".to_owned())
}

/// A change of content, as a step with nothing more to say.
/// The first step of a new document, with its deadline.
fn create(deadline: Option<NaiveDate>) -> StepRequest {
    StepRequest {
        action: Action::Create,
        opinion: String::new(),
        deadline,
        on_behalf_of: None,
    }
}

fn edit() -> StepRequest {
    StepRequest {
        action: Action::Edit,
        opinion: String::new(),
        deadline: None,
        on_behalf_of: None,
    }
}

/// A new outgoing document's content, from the composer's.
fn outgoing_content(new: NewOutgoing) -> OfficeDocumentData {
    OfficeDocumentData::outgoing(new.kind, new.important, new.document)
}

/// A new incoming document's content, from the registration form.
fn incoming_content(new: NewIncoming) -> OfficeDocumentData {
    OfficeDocumentData {
        title: new.title.trim().to_owned(),
        classification: new.classification,
        urgency: new.urgency,
        received: Some(Received {
            sender: new.sender.trim().to_owned(),
            sender_unit: None,
            sender_number: new.sender_number.trim().to_owned(),
            received_on: new.received_on,
            delivery: None,
        }),
        ..OfficeDocumentData::blank(Direction::Incoming, new.kind)
    }
}

/// A document with the content the composer gives it.
fn with_content(current: &OfficeDocumentData, content: NewOutgoing) -> OfficeDocumentData {
    OfficeDocumentData {
        kind: content.kind,
        important: content.important,
        title: content.document.title.clone(),
        classification: content.document.classification.clone(),
        urgency: content.document.urgency,
        document: Some(content.document),
        ..current.clone()
    }
}

/// A whole body read as the inbox reads it.
fn glance_of(data: &OfficeDocumentData) -> AppResult<Glance> {
    serde_json::from_value(serde_json::to_value(data).map_err(AppError::Json)?)
        .map_err(AppError::Json)
}

/// The most documents the inbox's 全部 lists, newest first (the rest are
/// found by search).
pub const ALL_LISTED: usize = 300;

impl ClientApp {
    /// The signed-in user as the steps name them.
    fn office_actor(&self) -> AppResult<Actor> {
        let user = self
            .user()?
            .ok_or_else(|| AppError::Invalid("请先登录".to_owned()))?;
        let person = Person {
            user_id: user.id.to_string(),
            name: user.display_name,
        };
        Ok(Actor::of(person, &user.roles))
    }

    /// Who signs for the unit today, from the cached setup and away reports.
    fn office_authority(&self) -> AppResult<Authority> {
        let setup = self.schedule_setup()?;
        let aways: Vec<AwayData> = self
            .store()?
            .records(RecordKind::AwayReport)?
            .into_iter()
            .map(|r| r.body())
            .collect::<Result<_, _>>()?;
        let delegations: Vec<mz_api::office::delegation::DelegationData> = self
            .store()?
            .records(RecordKind::OfficeDelegation)?
            .into_iter()
            .map(|r| r.body())
            .collect::<Result<_, _>>()?;
        let today = self.today();
        Ok(Authority::new(&setup, &aways, today).with_delegations(&delegations, today))
    }

    /// The user's inbox.
    pub fn office_inbox(&self) -> AppResult<OfficeInbox> {
        let documents: Vec<(Uuid, Glance, bool)> =
            self.store()?.bodies(RecordKind::OfficeDocument)?;
        let mut inbox = self.inbox_of(documents)?;
        inbox.tasks = self.office_tasks()?;
        Ok(inbox)
    }

    /// The title of a document this desk holds (`None`: not held here, as
    /// a classified one never is).
    fn office_document_title(&self, id: Uuid) -> AppResult<Option<String>> {
        Ok(self.office_cached(id)?.map(|(data, _)| data.title))
    }

    /// The inbox over these documents.
    fn inbox_of(&self, mut documents: Vec<(Uuid, Glance, bool)>) -> AppResult<OfficeInbox> {
        let actor = self.office_actor()?;
        let me = actor.person.user_id.as_str();
        let authority = self.office_authority()?;
        let away: Vec<&str> = authority.absent_for(me).collect();
        let today = self.today();
        documents.sort_by_key(|(id, glance, _)| std::cmp::Reverse((glance.steps.last, *id)));
        let mut inbox = OfficeInbox {
            to_do: Vec::new(),
            done: Vec::new(),
            to_read: Vec::new(),
            all: Vec::new(),
            total: documents.len(),
            tracking: Vec::new(),
            tasks: Vec::new(),
        };
        for (id, glance, pending) in &documents {
            let own = glance.owners.iter().any(|o| o == me);
            let standing_in = !own
                && !glance.step.is_office_work()
                && glance.owners.iter().any(|o| away.contains(&o.as_str()));
            // The office's steps wait for the office; any other, done ones
            // too (a destruction to approve or to carry out), for its owners.
            let waits = if glance.step.is_office_work() {
                actor.office
            } else {
                own || standing_in
            };
            let reads = glance
                .readers
                .iter()
                .any(|r| r.reader.user_id == me && r.read_at.is_none());
            let took = glance.steps.people.iter().any(|p| p.user_id == me);
            let listed = inbox.all.len() < ALL_LISTED;
            let tracked = glance.step != Step::Done && glance.deadline.is_some();
            if !(waits || reads || took || listed || tracked) {
                continue;
            }
            let mut entry = entry(*id, glance, *pending, today);
            entry.standing_in = waits && standing_in;
            if tracked {
                inbox.tracking.push(entry.clone());
            }
            if waits {
                inbox.to_do.push(entry.clone());
            } else if took {
                inbox.done.push(entry.clone());
            }
            if reads {
                inbox.to_read.push(entry.clone());
            }
            if listed {
                inbox.all.push(entry);
            }
        }
        // What is due first comes first.
        inbox.to_do.sort_by_key(|e| {
            (
                e.deadline.is_none(),
                e.deadline,
                std::cmp::Reverse(e.updated),
            )
        });
        inbox.tracking.sort_by_key(|e| (e.deadline, e.id));
        Ok(inbox)
    }

    /// The instructions (批示) that name the user, oldest first, as the
    /// desktop notifies them: the document, when it was written, who wrote
    /// what. The caller keeps which it has shown.
    pub fn office_instructions(&self) -> AppResult<Vec<crate::schedule::Reminder>> {
        let me = self.office_actor()?.person.user_id;
        let documents: Vec<(Uuid, Glance, bool)> =
            self.store()?.bodies(RecordKind::OfficeDocument)?;
        let mut found = Vec::new();
        for (id, glance, _) in documents {
            for reading in &glance.readers {
                let Some(at) = reading.read_at else { continue };
                if reading.instructs.iter().any(|p| p.user_id == me) {
                    found.push(crate::schedule::Reminder {
                        id,
                        start: at,
                        title: format!("{}批示：{}", reading.reader.name, glance.title),
                        body: reading.opinion.clone(),
                    });
                }
            }
        }
        found.sort_by_key(|r| r.start);
        Ok(found)
    }

    /// One document of this desk's cache, with the steps the user may take
    /// on it now.
    pub fn office_document(&self, id: Uuid) -> AppResult<OfficeView> {
        let (data, pending) = self.office_cached(id)?.ok_or_else(no_such_document)?;
        self.office_view_of(id, data, pending, false)
    }

    /// One document, from this desk's cache or, classified, read online.
    pub async fn office_view(&self, id: Uuid) -> AppResult<OfficeView> {
        match self.office_cached(id)? {
            Some((data, pending)) => self.office_view_of(id, data, pending, false),
            None => {
                let held = self.office_online(id).await?;
                self.office_view_of(id, held.data, false, true)
            }
        }
    }

    /// A document of this desk's cache, with whether a step of it waits to
    /// be sent; `None` when the cache does not hold it.
    fn office_cached(&self, id: Uuid) -> AppResult<Option<(OfficeDocumentData, bool)>> {
        self.store()?
            .record(RecordKind::OfficeDocument, id)?
            .map(|record| Ok((record.body()?, record.pending)))
            .transpose()
    }

    /// A classified document read online.
    async fn office_online(&self, id: Uuid) -> AppResult<mz_api::office::HeldDocument> {
        self.authorized(|token| {
            let client = self.client.clone();
            async move { client.office_classified(&token, Some(id)).await }
        })
        .await?
        .pop()
        .ok_or_else(no_such_document)
    }

    /// The unit's classified documents the user is on, as an inbox of
    /// their own (online; the window adds it to the cached one).
    pub async fn office_classified(&self) -> AppResult<OfficeInbox> {
        let held = self
            .authorized(|token| {
                let client = self.client.clone();
                async move { client.office_classified(&token, None::<Uuid>).await }
            })
            .await?;
        let documents = held
            .into_iter()
            .map(|h| Ok((h.id, glance_of(&h.data)?, false)))
            .collect::<AppResult<Vec<_>>>()?;
        self.inbox_of(documents)
    }

    /// The destruction register (销毁登记) of the unit's classified
    /// documents the user may read, the latest asked first (online: such
    /// documents are never cached).
    pub async fn office_destructions(&self) -> AppResult<Vec<DestructionEntry>> {
        let held = self
            .authorized(|token| {
                let client = self.client.clone();
                async move { client.office_classified(&token, None::<Uuid>).await }
            })
            .await?;
        let mut register = Vec::new();
        for document in held {
            let data = document.data;
            let Some(classification) = &data.classification else {
                return Err(AppError::Invalid(format!(
                    "平台在涉密公文中列出了非涉密公文 {}",
                    document.id
                )));
            };
            let number = data
                .registration
                .as_ref()
                .map(|r| r.number.clone())
                .or_else(|| data.received.as_ref().map(|r| r.sender_number.clone()));
            for destruction in &data.destructions {
                register.push(DestructionEntry {
                    id: document.id,
                    title: data.title.clone(),
                    number: number.clone(),
                    classification: classification.level.as_str().to_owned(),
                    destruction: destruction.clone(),
                });
            }
        }
        register.sort_by_key(|e| std::cmp::Reverse(e.destruction.asked_at));
        Ok(register)
    }

    fn office_view_of(
        &self,
        id: Uuid,
        data: OfficeDocumentData,
        pending: bool,
        held_online: bool,
    ) -> AppResult<OfficeView> {
        let actor = self.office_actor()?;
        let authority = self.office_authority()?;
        let choices = choices(&data, &actor, &authority, self.china_now());
        let next_number = if data.step == Step::Register {
            self.office_next_number(None)?
        } else {
            None
        };
        let mut conflict = None;
        for issue in self.sync_issues()? {
            if issue.record_id != id || issue.state != "conflict" {
                continue;
            }
            let Some(theirs) = issue.theirs else { continue };
            let theirs: OfficeDocumentData =
                serde_json::from_value(theirs).map_err(AppError::Json)?;
            let last = theirs.steps.last().cloned();
            conflict = last.map(|e| OfficeConflict {
                device_seq: issue.device_seq,
                by: e.by.name,
                at: e.at,
                action: e.action.name().to_owned(),
                step: e.step.name().to_owned(),
                opinion: e.opinion,
            });
        }
        Ok(OfficeView {
            id,
            entry: entry(id, &glance_of(&data)?, pending, self.today()),
            data,
            choices,
            next_number,
            conflict,
            held_online,
        })
    }

    /// The number the unit's sequence gives next: the highest registered
    /// this year under `code` (the code used most this year when `None`),
    /// plus one. Two desks offline may take the same one: the platform
    /// answers the second with a conflict.
    pub fn office_next_number(&self, code: Option<&str>) -> AppResult<Option<String>> {
        let year = self.today().year();
        let mut numbers: Vec<DocNumber> = Vec::new();
        let documents: Vec<(Uuid, Glance, bool)> =
            self.store()?.bodies(RecordKind::OfficeDocument)?;
        for (id, data, _) in documents {
            let Some(registration) = data.registration else {
                continue;
            };
            let number: DocNumber =
                registration
                    .number
                    .parse()
                    .map_err(|e: mz_domain::office::BadDocNumber| {
                        AppError::Invalid(format!("公文 {id} 的发文字号有误：{}", e.0))
                    })?;
            if number.year == year {
                numbers.push(number);
            }
        }
        let code = match code {
            Some(code) => code.to_owned(),
            None => {
                let mut counts = std::collections::BTreeMap::<&str, usize>::new();
                for n in &numbers {
                    *counts.entry(n.code.as_str()).or_default() += 1;
                }
                match counts.into_iter().max_by_key(|(_, c)| *c) {
                    Some((code, _)) => code.to_owned(),
                    None => return Ok(None),
                }
            }
        };
        let serial = numbers
            .iter()
            .filter(|n| n.code == code)
            .map(|n| n.serial)
            .max()
            .unwrap_or(0)
            + 1;
        Ok(Some(DocNumber { code, year, serial }.to_string()))
    }

    /// Takes a step on a document (offline too) and queues it.
    pub fn office_act(&self, id: Uuid, request: StepRequest) -> AppResult<OfficeView> {
        let (current, _) = self.office_cached(id)?.ok_or_else(no_such_document)?;
        self.keep_step(id, &current, &current, request)
    }

    /// Changes a document's content (its kind, title, classification,
    /// urgency, importance and body) as a step of its own.
    pub fn office_edit(&self, id: Uuid, content: NewOutgoing) -> AppResult<OfficeView> {
        let (current, _) = self.office_cached(id)?.ok_or_else(no_such_document)?;
        let changed = with_content(&current, content);
        self.keep_step(id, &current, &changed, edit())
    }

    /// A step on a document of this desk's cache, kept and queued; the
    /// document as it then stands.
    fn keep_step(
        &self,
        id: Uuid,
        current: &OfficeDocumentData,
        content: &OfficeDocumentData,
        request: StepRequest,
    ) -> AppResult<OfficeView> {
        let next = self.office_step(Some(current), content, request)?;
        self.save_office(id, &next)?;
        self.office_document(id)
    }

    /// A step on a classified document read online, sent at once; the
    /// document as it then stands.
    async fn send_step(
        &self,
        id: Uuid,
        held: &mz_api::office::HeldDocument,
        content: &OfficeDocumentData,
        request: StepRequest,
    ) -> AppResult<OfficeView> {
        let next = self.office_step(Some(&held.data), content, request)?;
        self.office_send(id, held.version, &next).await?;
        self.office_view(id).await
    }

    /// Begins an outgoing document (草拟) from what the composer wrote.
    pub fn office_new_outgoing(&self, new: NewOutgoing) -> AppResult<Uuid> {
        self.office_create(outgoing_content(new), None)
    }

    /// Registers an incoming document received on paper or as a file.
    pub fn office_new_incoming(&self, new: NewIncoming) -> AppResult<Uuid> {
        let deadline = new.deadline;
        let (content, file) = self.incoming_with_file(new)?;
        // Checked by the rules before anything is kept.
        let body = self.office_step(None, &content, create(deadline))?;
        if let Some((blob, bytes)) = &file {
            self.store()?.put_blob(blob, bytes, false)?;
        }
        let id = Uuid::now_v7();
        self.save_office(id, &body)?;
        Ok(id)
    }

    /// An incoming document's content, with the file it came as attached
    /// (checked: its content what its name says, within the cap).
    fn incoming_with_file(
        &self,
        mut new: NewIncoming,
    ) -> AppResult<(OfficeDocumentData, Option<FileBytes>)> {
        let chosen = new.file.take();
        let mut content = incoming_content(new);
        let Some(chosen) = chosen else {
            return Ok((content, None));
        };
        let bytes = crate::files::chosen_bytes(&chosen.data, "file", "文件")?;
        let blob = self.checked_attachment(&chosen.media_type, &bytes)?;
        let actor = self.office_actor()?;
        content.attachments.push(Attachment {
            name: chosen.name.trim().to_owned(),
            file: blob.clone(),
            // Stamped with the step's own by and at when it is taken.
            by: actor.person,
            at: self.china_now(),
        });
        Ok((content, Some((blob, bytes))))
    }

    fn office_create(
        &self,
        content: OfficeDocumentData,
        deadline: Option<NaiveDate>,
    ) -> AppResult<Uuid> {
        let body = self.office_step(None, &content, create(deadline))?;
        let id = Uuid::now_v7();
        self.save_office(id, &body)?;
        Ok(id)
    }

    /// Takes a step, as the window does: on a document of this desk's cache
    /// as [`Self::office_act`]; on a classified one online, at once.
    pub async fn office_take(&self, id: Uuid, request: StepRequest) -> AppResult<OfficeView> {
        if let Some((current, _)) = self.office_cached(id)? {
            return self.keep_step(id, &current, &current, request);
        }
        let held = self.office_online(id).await?;
        self.send_step(id, &held, &held.data, request).await
    }

    /// Changes a document's content, as the window does ([`Self::office_edit`]
    /// for a cached one; a classified one online).
    pub async fn office_revise(&self, id: Uuid, content: NewOutgoing) -> AppResult<OfficeView> {
        if let Some((current, _)) = self.office_cached(id)? {
            let changed = with_content(&current, content);
            return self.keep_step(id, &current, &changed, edit());
        }
        let held = self.office_online(id).await?;
        let changed = with_content(&held.data, content);
        self.send_step(id, &held, &changed, edit()).await
    }

    /// Attaches a file the clerk chose to a document, as a step of its own
    /// (修改, where the document may be changed): for a document of this
    /// desk's cache the file is kept in the cache and sent before the step;
    /// for a classified one it is sent to the platform at once with the
    /// step, and never kept on this desk.
    pub async fn office_attach(
        &self,
        id: Uuid,
        name: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> AppResult<OfficeView> {
        let file = self.checked_attachment(media_type, bytes)?;
        let actor = self.office_actor()?;
        let attached = |current: &OfficeDocumentData| {
            let mut changed = current.clone();
            changed.attachments.push(Attachment {
                name: name.trim().to_owned(),
                file: file.clone(),
                // Stamped with the step's own by and at when it is taken.
                by: actor.person.clone(),
                at: self.china_now(),
            });
            changed
        };
        if let Some((current, _)) = self.office_cached(id)? {
            let changed = attached(&current);
            // The rules first: a refused step keeps no file.
            let next = self.office_step(Some(&current), &changed, edit())?;
            self.store()?.put_blob(&file, bytes, false)?;
            self.save_office(id, &next)?;
            return self.office_document(id);
        }
        let held = self.office_online(id).await?;
        let changed = attached(&held.data);
        self.send_file(&file, bytes).await?;
        self.send_step(id, &held, &changed, edit()).await
    }

    /// Takes the attachment at `index` off a document, as a step of its own
    /// (修改); a classified document's online.
    pub async fn office_detach(&self, id: Uuid, index: usize) -> AppResult<OfficeView> {
        let detached = |current: &OfficeDocumentData| -> AppResult<OfficeDocumentData> {
            let mut changed = current.clone();
            if index >= changed.attachments.len() {
                return Err(no_such_attachment());
            }
            changed.attachments.remove(index);
            Ok(changed)
        };
        if let Some((current, _)) = self.office_cached(id)? {
            let changed = detached(&current)?;
            return self.keep_step(id, &current, &changed, edit());
        }
        let held = self.office_online(id).await?;
        let changed = detached(&held.data)?;
        self.send_step(id, &held, &changed, edit()).await
    }

    /// The attachment at `index` of a document with its bytes: from this
    /// desk's cache (or fetched into it) for a cached document; read from
    /// the platform, and kept nowhere here, for a classified one.
    pub async fn office_attachment(
        &self,
        id: Uuid,
        index: usize,
    ) -> AppResult<(Attachment, Vec<u8>)> {
        if let Some((current, _)) = self.office_cached(id)? {
            let attachment = current
                .attachments
                .get(index)
                .cloned()
                .ok_or_else(no_such_attachment)?;
            let bytes = self.blob(&attachment.file).await?;
            return Ok((attachment, bytes));
        }
        let held = self.office_online(id).await?;
        let attachment = held
            .data
            .attachments
            .get(index)
            .cloned()
            .ok_or_else(no_such_attachment)?;
        let bytes = self.fetch_file(&attachment.file).await?;
        Ok((attachment, bytes))
    }

    /// Begins an outgoing document, as the window does: a classified one is
    /// sent at once and never kept on this desk.
    pub async fn office_begin_outgoing(&self, new: NewOutgoing) -> AppResult<Uuid> {
        if new.document.classification.is_none() {
            return self.office_new_outgoing(new);
        }
        self.office_create_online(outgoing_content(new), None).await
    }

    /// Registers an incoming document, as the window does (a classified
    /// one online, never kept on this desk).
    pub async fn office_begin_incoming(&self, new: NewIncoming) -> AppResult<Uuid> {
        if new.classification.is_none() {
            return self.office_new_incoming(new);
        }
        let deadline = new.deadline;
        let (content, file) = self.incoming_with_file(new)?;
        let body = self.office_step(None, &content, create(deadline))?;
        if let Some((blob, bytes)) = &file {
            self.send_file(blob, bytes).await?;
        }
        let id = Uuid::now_v7();
        self.office_send(id, 0, &body).await?;
        Ok(id)
    }

    async fn office_create_online(
        &self,
        content: OfficeDocumentData,
        deadline: Option<NaiveDate>,
    ) -> AppResult<Uuid> {
        let body = self.office_step(None, &content, create(deadline))?;
        let id = Uuid::now_v7();
        self.office_send(id, 0, &body).await?;
        Ok(id)
    }

    /// Sends one step of a classified document at once, under a number of
    /// the device's sequence, never through the outbox: what the platform
    /// refuses, or a step someone took first, is said now.
    async fn office_send(
        &self,
        id: Uuid,
        base_version: i64,
        body: &OfficeDocumentData,
    ) -> AppResult<()> {
        let entry = mz_api::sync::PushEntry {
            device_seq: self.store()?.reserve_device_seq()?,
            kind: RecordKind::OfficeDocument,
            record_id: id,
            op: mz_api::sync::Op::Upsert,
            base_version,
            data: Some(serde_json::to_value(body).map_err(AppError::Json)?),
        };
        let request = mz_api::sync::PushRequest {
            entries: vec![entry],
        };
        let response = self
            .authorized(|token| {
                let client = self.client.clone();
                let request = request.clone();
                async move { client.push(&token, &request).await }
            })
            .await?;
        let refused = |code, reason: String, field| AppError::Refused {
            what: "办理".to_owned(),
            code: Some(code),
            reason,
            field,
        };
        match response.outcomes.into_iter().next().map(|o| o.result) {
            Some(mz_api::sync::Outcome::Applied { .. }) => Ok(()),
            Some(mz_api::sync::Outcome::Conflict { .. }) => Err(refused(
                mz_api::ErrorCode::Conflict,
                "此件已由他人办理：请刷新后再办".to_owned(),
                None,
            )),
            Some(mz_api::sync::Outcome::Rejected {
                code,
                reason,
                field,
            }) => Err(refused(code, reason, field)),
            None => Err(AppError::Invalid("平台没有答复这一步".to_owned())),
        }
    }

    /// The 督办 board as an Excel workbook: each document not yet done with
    /// a deadline, its time left in words. Its file name and bytes.
    pub fn office_tracking_xlsx(&self) -> AppResult<(String, Vec<u8>)> {
        use crate::reports::{Report, ReportColumn};
        use mz_sheets::{ColumnKind, Value};
        let inbox = self.office_inbox()?;
        let today = self.today();
        let text = |s: &str| Value::Text(s.to_owned());
        let mut rows: Vec<(Vec<Value>, bool)> = inbox
            .tracking
            .iter()
            .map(|e| {
                let left = time_left_words(e.time_left);
                (
                    vec![
                        text(&e.title),
                        text(e.kind.as_str()),
                        text(e.number.as_deref().unwrap_or("")),
                        text(&e.step_name),
                        text(&e.owners.join("、")),
                        e.deadline.map_or(Value::Empty, Value::Date),
                        text(left),
                    ],
                    false,
                )
            })
            .collect();
        rows.extend(inbox.tasks.iter().filter(|t| !t.closed).map(|t| {
            let mut handlers = vec![t.lead.clone()];
            handlers.extend(t.co.iter().cloned());
            (
                vec![
                    text(&t.title),
                    text("督办事项"),
                    text(""),
                    text(if t.reported_done {
                        "已报结"
                    } else {
                        "办理中"
                    }),
                    text(&handlers.join("、")),
                    Value::Date(t.deadline),
                    text(time_left_words(t.time_left)),
                ],
                false,
            )
        }));
        let report = Report {
            title: "公文督办表".to_owned(),
            subtitle: vec![format!("截至 {today}")],
            sheet: "督办".to_owned(),
            columns: vec![
                ReportColumn::new("标题", ColumnKind::Text, 5.0),
                ReportColumn::new("文种", ColumnKind::Text, 1.0),
                ReportColumn::new("文号", ColumnKind::Text, 2.0),
                ReportColumn::new("环节", ColumnKind::Text, 1.2),
                ReportColumn::new("承办人", ColumnKind::Text, 1.5),
                ReportColumn::new("办理时限", ColumnKind::Date, 1.5),
                ReportColumn::new("状态", ColumnKind::Text, 1.2),
            ],
            rows,
            footer: Vec::new(),
            landscape: true,
        };
        Ok((format!("公文督办表-{today}.xlsx"), report.xlsx()?))
    }

    /// Documents sent to the unit and not yet received (online).
    pub async fn office_deliveries(&self) -> AppResult<Vec<Delivery>> {
        self.authorized(|token| {
            let client = self.client.clone();
            async move { client.office_deliveries(&token).await }
        })
        .await
    }

    /// Receives a document sent to the unit (签收): it becomes an incoming
    /// document of the unit, waiting for its first check.
    pub async fn office_receive(&self, delivery: Uuid) -> AppResult<Uuid> {
        let found = self
            .office_deliveries()
            .await?
            .into_iter()
            .find(|d| d.id == delivery)
            .ok_or_else(|| AppError::Invalid("这份来文已签收或不是发给本单位的".to_owned()))?;
        let content = found.sent.received(&found, self.today());
        if content.classification.is_some() {
            return self.office_create_online(content, None).await;
        }
        self.office_create(content, None)
    }

    /// The org units a document may be sent to (online).
    pub async fn office_units(&self) -> AppResult<Vec<UnitRef>> {
        let own = self.user()?.map(|u| u.org_unit.code);
        let units = self
            .authorized(|token| {
                let client = self.client.clone();
                async move { client.org_units(&token).await }
            })
            .await?;
        Ok(units
            .into_iter()
            .filter(|u| Some(&u.code) != own.as_ref())
            .map(|u| UnitRef {
                code: u.code,
                name: u.name,
            })
            .collect())
    }

    /// The people a step may name: the unit's, from the platform when it
    /// answers, else those the cache knows.
    pub async fn office_people(&self) -> AppResult<OfficePeople> {
        let online = self
            .authorized(|token| {
                let client = self.client.clone();
                async move { client.office_people(&token).await }
            })
            .await;
        let mut known = self.office_people_cached()?;
        match online {
            Ok(people) => {
                let mut all: Vec<Person> = Vec::with_capacity(people.len());
                for p in people {
                    if let Some(section) = p.section {
                        known.sections.insert(p.user_id.clone(), section);
                    }
                    all.push(Person {
                        user_id: p.user_id,
                        name: p.name,
                    });
                }
                all.append(&mut known.people);
                let mut seen = std::collections::BTreeSet::new();
                all.retain(|p| seen.insert(p.user_id.clone()));
                known.people = all;
                Ok(known)
            }
            Err(e) if e.code() == crate::ErrorCode::Offline => Ok(known),
            Err(e) => Err(e),
        }
    }

    /// The people the cache knows: the setup's and those on documents.
    fn office_people_cached(&self) -> AppResult<OfficePeople> {
        let setup = self.schedule_setup()?;
        let leaders: Vec<OfficeLeader> = setup
            .leaders
            .iter()
            .map(|l| OfficeLeader {
                person: Person {
                    user_id: l.user_id.clone(),
                    name: l.name.clone(),
                },
                title: l.title.clone(),
                principal: l.principal,
            })
            .collect();
        let mut people: Vec<Person> = leaders.iter().map(|l| l.person.clone()).collect();
        people.extend(setup.secretaries.iter().map(|s| Person {
            user_id: s.user_id.clone(),
            name: s.name.clone(),
        }));
        let documents: Vec<(Uuid, Glance, bool)> =
            self.store()?.bodies(RecordKind::OfficeDocument)?;
        for (_, data, _) in documents {
            people.extend(data.steps.people);
            people.extend(
                data.handling
                    .iter()
                    .flat_map(|h| std::iter::once(h.lead.clone()).chain(h.co.iter().cloned())),
            );
        }
        if let Some(me) = self.user()? {
            people.push(Person {
                user_id: me.id.to_string(),
                name: me.display_name,
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        people.retain(|p| seen.insert(p.user_id.clone()));
        Ok(OfficePeople {
            leaders,
            people,
            sections: std::collections::BTreeMap::new(),
        })
    }

    /// Applies one step as the signed-in user.
    fn office_step(
        &self,
        current: Option<&OfficeDocumentData>,
        content: &OfficeDocumentData,
        request: StepRequest,
    ) -> AppResult<OfficeDocumentData> {
        let actor = self.office_actor()?;
        let authority = self.office_authority()?;
        let step = current.map_or(content.step_at_start(), |c| c.step);
        // Times are kept to the minute: a step taken in the same minute as
        // the one before it (on another desk, to the second) is dated with it,
        // never before it.
        let now = self.china_now();
        let at = current
            .and_then(|c| c.steps.last())
            .map_or(now, |last| now.max(last.at));
        let entry = StepEntry {
            step,
            action: request.action,
            by: actor.person.clone(),
            at,
            opinion: request.opinion.trim().to_owned(),
            deadline: request.deadline,
            on_behalf_of: request.on_behalf_of,
        };
        // The files this step attaches are its own: by its actor, at its time.
        let mut content = content.clone();
        let before = current.map_or(&[][..], |c| c.attachments.as_slice());
        for attachment in &mut content.attachments {
            if !before.contains(attachment) {
                attachment.by = entry.by.clone();
                attachment.at = entry.at;
            }
        }
        mz_api::office::apply(current, &entry, &content, &actor, &authority)
            .map_err(|issue| AppError::Rules(vec![issue]))
    }

    fn save_office(&self, id: Uuid, body: &OfficeDocumentData) -> AppResult<()> {
        let value = serde_json::to_value(body).map_err(AppError::Json)?;
        self.save_record(RecordKind::OfficeDocument, id, value)
    }
}

/// The time left in words, for the board's export.
fn time_left_words(left: TimeLeft) -> &'static str {
    match left {
        TimeLeft::Overdue => "已超期",
        TimeLeft::Soon => "三日内到期",
        TimeLeft::Ample => "",
    }
}

trait StartStep {
    fn step_at_start(&self) -> Step;
}

impl StartStep for OfficeDocumentData {
    /// The step a new document of this direction starts at.
    fn step_at_start(&self) -> Step {
        match self.direction {
            Direction::Outgoing => Step::Draft,
            Direction::Incoming => Step::FirstCheck,
        }
    }
}

fn entry(id: Uuid, data: &Glance, pending: bool, today: NaiveDate) -> OfficeEntry {
    let name = |user: &str| {
        data.steps
            .people
            .iter()
            .chain(data.signer.iter())
            .chain(
                data.handling
                    .iter()
                    .flat_map(|h| std::iter::once(&h.lead).chain(&h.co)),
            )
            .find(|p| p.user_id == user)
            .map_or_else(|| user.to_owned(), |p| p.name.clone())
    };
    OfficeEntry {
        id,
        direction: data.direction,
        kind: data.kind,
        title: data.title.clone(),
        number: data
            .registration
            .as_ref()
            .map(|r| r.number.clone())
            .or_else(|| {
                data.received
                    .as_ref()
                    .map(|r| r.sender_number.clone())
                    .filter(|n| !n.is_empty())
            }),
        sender: data.received.as_ref().map(|r| r.sender.clone()),
        step: data.step,
        step_name: data.step.name().to_owned(),
        owners: data.owners.iter().map(|o| name(o)).collect(),
        deadline: data.deadline,
        time_left: if data.step == Step::Done {
            TimeLeft::Ample
        } else {
            TimeLeft::of(data.deadline, today)
        },
        urgency: data.urgency.map(|u| u.as_str().to_owned()),
        classification: data
            .classification
            .as_ref()
            .map(|c| c.level.as_str().to_owned()),
        circulating: data.circulating(),
        pending,
        standing_in: false,
        updated: data.steps.last.unwrap_or(NaiveDateTime::MIN),
    }
}

/// The steps `actor` may take on `data` now: each candidate tried against
/// the rules with the values a real step would carry.
fn choices(
    data: &OfficeDocumentData,
    actor: &Actor,
    authority: &Authority,
    now: NaiveDateTime,
) -> Vec<OfficeChoice> {
    let someone = Person {
        user_id: String::from("-"),
        name: String::from("-"),
    };
    let principal = authority
        .leaders
        .iter()
        .find(|(_, p)| *p)
        .or(authority.leaders.first())
        .map(|(id, _)| Person {
            user_id: id.clone(),
            name: String::new(),
        });
    let signed_for = data.owners.first().map(|o| Person {
        user_id: o.clone(),
        name: data
            .signer
            .as_ref()
            .filter(|s| s.user_id == *o)
            .map_or_else(String::new, |s| s.name.clone()),
    });
    let mut candidates: Vec<(Action, Option<Person>)> = vec![
        (Action::Edit, None),
        (Action::Submit, None),
        (
            Action::SignOff {
                circled: true,
                on_behalf_of: None,
            },
            None,
        ),
        (Action::Check, None),
        (
            Action::Register {
                number: format!("测〔{}〕1号", now.year()),
                recipients: vec![UnitRef {
                    code: "-".to_owned(),
                    name: "-".to_owned(),
                }],
                copies: 1,
            },
            None,
        ),
        (Action::Print, None),
        (Action::Distribute, None),
        (Action::Accept, None),
        (Action::Reject, None),
        (
            Action::Assign {
                lead: someone.clone(),
                co: Vec::new(),
            },
            None,
        ),
        (
            Action::Circulate {
                readers: vec![someone.clone()],
                purpose: String::new(),
            },
            None,
        ),
        (
            Action::Read {
                instructs: Vec::new(),
            },
            None,
        ),
        (Action::Chase, None),
        (
            Action::AskExtension {
                to: data
                    .deadline
                    .map_or(now.date(), |d| d + chrono::Duration::days(1)),
            },
            None,
        ),
        (
            Action::Extend {
                to: data
                    .deadline
                    .map_or(now.date(), |d| d + chrono::Duration::days(1)),
            },
            None,
        ),
        (Action::Reply, None),
        (Action::File, None),
        (Action::Recall, None),
        (Action::Comment, None),
    ];
    if let Some(principal) = principal {
        candidates.insert(2, (Action::Approve { signer: principal }, None));
    }
    // 销毁: a copy not yet destroyed, and a leader other than the user.
    let gone: Vec<u32> = data
        .destructions
        .iter()
        .filter(|d| d.approved != Some(false))
        .flat_map(|d| d.copies.iter().copied())
        .collect();
    let held = data.registration.as_ref().map_or(1, |r| r.copies);
    let free = (1..=held).find(|c| !gone.contains(c)).unwrap_or(1);
    if let Some((approver, _)) = authority
        .leaders
        .iter()
        .find(|(id, _)| *id != actor.person.user_id)
    {
        candidates.push((
            Action::AskDestroy {
                copies: vec![free],
                method: "碎纸机粉碎".to_owned(),
                approver: Person {
                    user_id: approver.clone(),
                    name: String::new(),
                },
            },
            None,
        ));
    }
    candidates.push((Action::DecideDestroy { approve: true }, None));
    candidates.push((
        Action::Destroyed {
            witness: someone.clone(),
        },
        None,
    ));
    if let Some(absent) = signed_for {
        candidates.push((
            Action::SignOff {
                circled: true,
                on_behalf_of: Some(absent.clone()),
            },
            Some(absent),
        ));
    }
    if let Some(issuer) = data
        .co_issuers()
        .iter()
        .find(|i| !data.countersigns.iter().any(|c| c.issuer == **i))
    {
        candidates.push((
            Action::Countersign {
                issuer: issuer.clone(),
                signer: "-".to_owned(),
            },
            None,
        ));
    }
    // An owner of the step who is away today and for whom the user stands in.
    let absent: Option<Person> = authority
        .absent_for(&actor.person.user_id)
        .find(|a| data.owners.iter().any(|o| o == a))
        .map(|a| Person {
            user_id: a.to_owned(),
            name: data
                .steps
                .iter()
                .map(|e| &e.by)
                .chain(data.signer.iter())
                .chain(data.handling.iter().map(|h| &h.lead))
                .find(|p| p.user_id == a)
                .map_or_else(|| a.to_owned(), |p| p.name.clone()),
        });
    let tried = |action: &Action, for_whom: Option<&Person>| {
        let entry = StepEntry {
            step: data.step,
            action: action.clone(),
            by: actor.person.clone(),
            at: now.max(data.steps.last().map_or(now, |e| e.at)),
            opinion: "意见".to_owned(),
            deadline: Some(now.date()),
            on_behalf_of: for_whom.cloned(),
        };
        mz_api::office::apply(Some(data), &entry, data, actor, authority).is_ok()
    };
    let mut out: Vec<OfficeChoice> = Vec::new();
    for (action, signed_for) in candidates {
        if tried(&action, None) {
            out.push(OfficeChoice {
                kind: action.kind().to_owned(),
                name: match &signed_for {
                    Some(_) => "代签发".to_owned(),
                    // The office gives a document in handling to another lead.
                    None if matches!(action, Action::Assign { .. })
                        && data.step == Step::Handle =>
                    {
                        "转办".to_owned()
                    }
                    None => action.name().to_owned(),
                },
                to: Vec::new(),
                on_behalf_of: signed_for,
            });
        } else if let Some(absent) = &absent
            && signed_for.is_none()
            && tried(&action, Some(absent))
        {
            // 委托办理: the absent owner's to-do, taken in their stead.
            out.push(OfficeChoice {
                kind: action.kind().to_owned(),
                name: format!("代{}", action.name()),
                to: Vec::new(),
                on_behalf_of: Some(absent.clone()),
            });
        }
    }
    for for_whom in [None, absent.as_ref()] {
        let back: Vec<Step> = Step::OUTGOING
            .iter()
            .chain(Step::INCOMING.iter())
            .copied()
            .filter(|to| tried(&Action::Return { to: *to }, for_whom))
            .collect();
        if !back.is_empty() {
            out.push(OfficeChoice {
                kind: "return".to_owned(),
                name: Action::Return { to: Step::Draft }.name().to_owned(),
                to: back,
                on_behalf_of: for_whom.cloned(),
            });
            break;
        }
    }
    out
}
