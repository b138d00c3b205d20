//! Official-document handling (公文处理): one `office_document` record per
//! document of a unit, outgoing (发文) or incoming (收文), with the history
//! of every step taken on it.
//!
//! A step is taken by appending a [`StepEntry`] and applying it
//! ([`apply`]): the desk does so before it queues the change, and the
//! platform replays the appended entries against the body it holds, as the
//! caller, with the authority it knows ([`replay`]) — a body that is not
//! exactly what those steps make is refused, whatever the client sent. Two
//! desks that took the same step offline meet as a conflict of versions:
//! the second is shown what the first did, never overwritten.
//!
//! The rules over single values (the kinds, the number, the steps' order,
//! who signs what) are `mz_domain::office`'s.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use mz_domain::FieldIssue;
use mz_domain::blob::{BlobRef, MediaType};
use mz_domain::office::{DocKind, DocNumber, OPINION_CHARS, Step, needs_principal};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::documents::{Classification, OfficialDocument, Urgency};

pub mod delegation;
pub mod figures;
pub mod task;

/// The most steps a document's history holds.
pub const MAX_STEPS: usize = 500;
/// The most readers a document circulates to, recipients it is sent to,
/// and handlers it is assigned to.
pub const MAX_READERS: usize = 50;
/// The most destruction requests on one document.
pub const MAX_DESTRUCTIONS: usize = 50;
/// The longest way of destruction written (e.g. 碎纸机粉碎).
const METHOD_CHARS: usize = 50;
pub const MAX_RECIPIENTS: usize = 200;
pub const MAX_HANDLERS: usize = 20;
/// The most copies printed of one document.
pub const MAX_COPIES: u32 = 9_999;
/// The most earlier drafts kept of one document: a change beyond them is
/// refused (a new draft is started instead), never a draft dropped.
pub const MAX_VERSIONS: usize = 20;
/// The largest file attached to a document.
pub const MAX_ATTACHMENT_BYTES: usize = mz_domain::blob::MAX_BLOB_BYTES;
/// The most files attached to one document.
pub const MAX_ATTACHMENTS: usize = crate::records::MAX_LISTED_FILES;
/// The longest name of an attached file, in characters.
pub const ATTACHMENT_NAME_CHARS: usize = 100;
/// The kinds of file attached to a document: PDF, OFD, Word, Excel and
/// pictures, each checked by its content.
pub const ATTACHMENT_TYPES: &[MediaType] = &[
    MediaType::Pdf,
    MediaType::Ofd,
    MediaType::Docx,
    MediaType::Xlsx,
    MediaType::Jpeg,
    MediaType::Png,
];

/// Which way a document goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 发文: written here, sent out.
    Outgoing,
    /// 收文: received from another body.
    Incoming,
}

/// A person on the platform, by user id, with the name shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub user_id: String,
    pub name: String,
}

/// An org unit a document is sent to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct UnitRef {
    /// Its code on the platform, e.g. `430100-civil`.
    pub code: String,
    pub name: String,
}

/// The leader's sign-off (签发, art. 22): the opinion, the name and the full
/// date; a circle (圈阅) counts as consent; a stand-in signs with 代.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub by: Person,
    /// The leader signed for, when a stand-in signs (代).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on_behalf_of: Option<Person>,
    pub opinion: String,
    /// 圈阅: a circle, consent without words.
    #[serde(default)]
    pub circled: bool,
    pub date: NaiveDate,
    /// The content signed, as [`content_hash`] gives it: a change after
    /// sign-off goes back to the signer.
    pub content: String,
}

/// One co-issuer's countersign (会签) of a joint document, recorded by the
/// office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Countersign {
    /// The co-issuing body, as the document names it in `issuers`.
    pub issuer: String,
    /// Who signed for it.
    pub signer: String,
    pub opinion: String,
    pub date: NaiveDate,
}

/// Registration (登记): the number, the recipients and the copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// 机关代字〔year〕serial号, from the unit's sequence.
    pub number: String,
    pub recipients: Vec<UnitRef>,
    /// How many copies are printed; they are numbered 000001 on.
    pub copies: u32,
}

/// Where an incoming document came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Received {
    /// The sending body's name.
    pub sender: String,
    /// Its unit on the platform, when it came through the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sender_unit: Option<String>,
    /// The sender's number (来文字号); empty when it has none.
    #[serde(default)]
    pub sender_number: String,
    pub received_on: NaiveDate,
    /// The platform's delivery it was received from (签收), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub delivery: Option<Uuid>,
}

/// Who handles an incoming document (承办): the lead and the co-handlers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Handling {
    pub lead: Person,
    #[serde(default)]
    pub co: Vec<Person>,
}

/// A reader of a circulated document (传阅), and what they wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub reader: Person,
    /// What it is sent to them for (阅示, 阅知 …).
    pub purpose: String,
    pub sent_at: NaiveDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub read_at: Option<NaiveDateTime>,
    /// The reader's instruction (批示) or remark.
    #[serde(default)]
    pub opinion: String,
    /// Whom the instruction names, to be told.
    #[serde(default)]
    pub instructs: Vec<Person>,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// A draft begun (草拟), or an incoming document received (签收) and
    /// registered (登记).
    Create,
    /// The document's content changed (its kind, title, classification,
    /// urgency, importance, body).
    Edit,
    /// The draft sent for review.
    Submit,
    /// Reviewed (审核) and sent to the leader named to sign it off.
    Approve { signer: Person },
    /// Signed off (签发); `on_behalf_of` when a stand-in signs (代).
    SignOff {
        #[serde(default)]
        circled: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        on_behalf_of: Option<Person>,
    },
    /// A co-issuer's countersign recorded (会签).
    Countersign { issuer: String, signer: String },
    /// Checked after sign-off (复核).
    Check,
    /// Numbered and registered (登记).
    Register {
        number: String,
        recipients: Vec<UnitRef>,
        copies: u32,
    },
    /// Printed (印制).
    Print,
    /// Sent to the recipients (核发): the platform delivers it to each.
    Distribute,
    /// Passed its first check (初审).
    Accept,
    /// Returned to its sender at the first check, with the reason.
    Reject,
    /// Assigned to a lead and co-handlers (承办), with a deadline.
    Assign { lead: Person, co: Vec<Person> },
    /// Sent round readers (传阅).
    Circulate {
        readers: Vec<Person>,
        purpose: String,
    },
    /// Read by a reader, with an instruction naming people to be told.
    Read { instructs: Vec<Person> },
    /// The owners of an overdue step chased (催办).
    Chase,
    /// A later deadline asked for by whoever handles it (申请延期), with the
    /// reason; the office decides.
    AskExtension { to: NaiveDate },
    /// The deadline moved later (延期), on request, with the reason.
    Extend { to: NaiveDate },
    /// Answered (答复): the handling done.
    Reply,
    /// Filed without a reply (归档).
    File,
    /// Sent back to an earlier step, with a comment.
    Return {
        #[schema(value_type = String)]
        to: Step,
    },
    /// Taken back by whoever passed it on, before the next step acts.
    Recall,
    /// A comment that moves nothing.
    Comment,
    /// The office asks to destroy copies of a classified document (销毁),
    /// the way it is done, the leader to approve it named and the reason
    /// in the opinion.
    AskDestroy {
        copies: Vec<u32>,
        method: String,
        approver: Person,
    },
    /// The named leader approves the destruction or, with the reason,
    /// declines it.
    DecideDestroy { approve: bool },
    /// The approved copies destroyed by the office in a witness's presence
    /// (监销).
    Destroyed { witness: Person },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Create => "创建",
            Action::Edit => "修改",
            Action::Submit => "送审",
            Action::Approve { .. } => "审核通过",
            Action::SignOff { .. } => "签发",
            Action::Countersign { .. } => "会签",
            Action::Check => "复核",
            Action::Register { .. } => "登记编号",
            Action::Print => "印制",
            Action::Distribute => "核发",
            Action::Accept => "初审通过",
            Action::Reject => "退回来文单位",
            Action::Assign { .. } => "分办",
            Action::Circulate { .. } => "传阅",
            Action::Read { .. } => "阅批",
            Action::Chase => "催办",
            Action::AskExtension { .. } => "申请延期",
            Action::Extend { .. } => "延期",
            Action::Reply => "答复",
            Action::File => "归档",
            Action::Return { .. } => "退回",
            Action::Recall => "收回",
            Action::Comment => "意见",
            Action::AskDestroy { .. } => "申请销毁",
            Action::DecideDestroy { approve: true } => "批准销毁",
            Action::DecideDestroy { approve: false } => "不同意销毁",
            Action::Destroyed { .. } => "已销毁",
        }
    }

    /// Its kind as the wire names it (`sign_off`, `return` …).
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Submit => "submit",
            Action::Approve { .. } => "approve",
            Action::SignOff { .. } => "sign_off",
            Action::Countersign { .. } => "countersign",
            Action::Check => "check",
            Action::Register { .. } => "register",
            Action::Print => "print",
            Action::Distribute => "distribute",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Assign { .. } => "assign",
            Action::Circulate { .. } => "circulate",
            Action::Read { .. } => "read",
            Action::Chase => "chase",
            Action::AskExtension { .. } => "ask_extension",
            Action::Extend { .. } => "extend",
            Action::Reply => "reply",
            Action::File => "file",
            Action::Return { .. } => "return",
            Action::Recall => "recall",
            Action::Comment => "comment",
            Action::AskDestroy { .. } => "ask_destroy",
            Action::DecideDestroy { .. } => "decide_destroy",
            Action::Destroyed { .. } => "destroyed",
        }
    }

    /// Whether the action hands the document on (and so may be recalled).
    fn recallable(&self) -> bool {
        matches!(
            self,
            Action::Submit
                | Action::Approve { .. }
                | Action::SignOff { .. }
                | Action::Countersign { .. }
                | Action::Check
                | Action::Accept
                | Action::Assign { .. }
        )
    }
}

/// One step taken: the step it was taken at, what it did, by whom, when
/// (in China) and with what comment; `deadline` for the step it hands on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StepEntry {
    #[schema(value_type = String)]
    pub step: Step,
    pub action: Action,
    pub by: Person,
    pub at: NaiveDateTime,
    #[serde(default)]
    pub opinion: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub deadline: Option<NaiveDate>,
    /// Taken for an owner of the step who is away (委托办理), by whom today's
    /// away report names to stand in for them. A sign-off for an absent
    /// leader says so in its own action (代签发) instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on_behalf_of: Option<Person>,
}

/// The body of an `office_document` record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct OfficeDocumentData {
    pub direction: Direction,
    #[schema(value_type = String)]
    pub kind: DocKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub classification: Option<Classification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub urgency: Option<Urgency>,
    /// 重要公文: signed off by the principal leader.
    #[serde(default)]
    pub important: bool,
    /// The document as 打印中心 composes and prints it: an outgoing one's
    /// own, an incoming one's as delivered (none for one received on paper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub document: Option<OfficialDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub received: Option<Received>,
    /// The step it waits at.
    #[schema(value_type = String)]
    pub step: Step,
    /// Whose work the step is, by user id; empty for the office's work.
    #[serde(default)]
    pub owners: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub deadline: Option<NaiveDate>,
    /// The leader named at review to sign it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signer: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sign_off: Option<SignOff>,
    #[serde(default)]
    pub countersigns: Vec<Countersign>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub registration: Option<Registration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub handling: Option<Handling>,
    #[serde(default)]
    pub readers: Vec<Reading>,
    /// Every step taken, oldest first.
    pub steps: Vec<StepEntry>,
    /// The drafts it had before its content now (稿), oldest first: each
    /// change of the content keeps the one it replaces, at most
    /// [`MAX_VERSIONS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
    /// Its copies destroyed or asked to be (销毁登记), a classified
    /// document's only, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destructions: Vec<Destruction>,
    /// The files attached to it (附件), at most [`MAX_ATTACHMENTS`], each
    /// kept beside the record as a blob.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// A document is about the day it was received, or drafted (its first
/// step).
pub fn document_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    let body = OfficeDocumentData::deserialize(data)?;
    Ok(body
        .received
        .map(|r| r.received_on)
        .or(body.steps.first().map(|s| s.at.date())))
}

/// What a document is found by: its title, and its numbers, sender and
/// body.
pub fn searched(data: &serde_json::Value) -> Result<crate::records::Searched, serde_json::Error> {
    let body = OfficeDocumentData::deserialize(data)?;
    let mut text = Vec::new();
    if let Some(registration) = &body.registration {
        text.push(registration.number.clone());
    }
    if let Some(received) = &body.received {
        text.push(format!("{} {}", received.sender, received.sender_number));
    }
    if let Some(document) = &body.document {
        text.extend(document.body.iter().map(|p| p.text.clone()));
    }
    Ok(crate::records::Searched {
        title: body.title,
        text: text.join("\n"),
    })
}

/// A destruction of copies of a classified document: asked for by the
/// office with the reason, decided by the leader it names, done in a
/// witness's presence (监销).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Destruction {
    /// The copy numbers (份号) destroyed.
    pub copies: Vec<u32>,
    /// How (碎纸机粉碎, 送保密部门集中销毁 …).
    pub method: String,
    pub reason: String,
    pub asked_by: Person,
    #[ts(type = "string")]
    pub asked_at: NaiveDateTime,
    pub approver: Person,
    /// The leader's decision: `None` while it waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approved: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub decided_at: Option<NaiveDateTime>,
    /// The leader's words on it (the reason, when declined).
    #[serde(default)]
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub destroyed_by: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub witness: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub destroyed_at: Option<NaiveDateTime>,
}

impl Destruction {
    /// Whether it stands (asked and not declined): its copies are gone or
    /// going.
    fn stands(&self) -> bool {
        self.approved != Some(false)
    }

    /// Whether it waits for its leader, or, approved, for the office.
    pub fn open(&self) -> bool {
        self.approved.is_none() || (self.approved == Some(true) && self.destroyed_at.is_none())
    }
}

/// A draft of a document as it stood before a change: its content, who
/// wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub document: Option<OfficialDocument>,
    /// The files attached to it then (kept beside the record while the
    /// draft is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Who last saved this draft (created it or changed it into this), and
    /// when.
    pub by: Person,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
}

/// A file attached to a document: its name as the clerk chose it, the file
/// and who attached it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The file's name as shown, e.g. `附件1 统计表.xlsx`.
    pub name: String,
    #[schema(value_type = Object)]
    pub file: BlobRef,
    pub by: Person,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
}

impl OfficeDocumentData {
    /// A document with nothing in it yet but which way it goes and its
    /// kind, at the step it starts at: the frame a new one is filled into.
    pub fn blank(direction: Direction, kind: DocKind) -> OfficeDocumentData {
        OfficeDocumentData {
            direction,
            kind,
            title: String::new(),
            classification: None,
            urgency: None,
            important: false,
            document: None,
            received: None,
            step: match direction {
                Direction::Outgoing => Step::Draft,
                Direction::Incoming => Step::FirstCheck,
            },
            owners: Vec::new(),
            deadline: None,
            signer: None,
            sign_off: None,
            countersigns: Vec::new(),
            registration: None,
            handling: None,
            readers: Vec::new(),
            steps: Vec::new(),
            versions: Vec::new(),
            destructions: Vec::new(),
            attachments: Vec::new(),
        }
    }

    /// A new outgoing document of `kind`: the composer's document, its
    /// title, classification and urgency the document's own.
    pub fn outgoing(
        kind: DocKind,
        important: bool,
        document: OfficialDocument,
    ) -> OfficeDocumentData {
        OfficeDocumentData {
            title: document.title.clone(),
            classification: document.classification.clone(),
            urgency: document.urgency,
            important,
            document: Some(document),
            ..OfficeDocumentData::blank(Direction::Outgoing, kind)
        }
    }

    /// The co-issuers who countersign a joint document (every issuer but
    /// the lead).
    pub fn co_issuers(&self) -> &[String] {
        self.document
            .as_ref()
            .and_then(|d| d.issuers.get(1..))
            .unwrap_or(&[])
    }

    /// Whether it is out for reading (传阅中).
    pub fn circulating(&self) -> bool {
        self.readers.iter().any(|r| r.read_at.is_none())
    }

    /// Whether the principal leader must sign it off.
    pub fn needs_principal(&self) -> bool {
        needs_principal(
            self.kind,
            self.document.as_ref().is_some_and(|d| d.upward),
            self.important,
        )
    }
}

/// Who takes a step, as the platform knows them (the desk: as it signed in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person: Person,
    /// Office work: an office clerk or a secretary (文书, 机要).
    pub office: bool,
    pub leader: bool,
}

impl Actor {
    /// Someone with `roles`, as the steps name them.
    pub fn of(person: Person, roles: &[mz_domain::Role]) -> Actor {
        Actor {
            person,
            office: mz_domain::office::does_office_work(roles),
            leader: roles.contains(&mz_domain::Role::Leader),
        }
    }
}

/// Who may sign off: the unit's leaders, its principal, and who stands in
/// for whom today (from the away reports); and whose to-dos whom else takes
/// today (the away reports' stand-ins and the delegations, 委托办理).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Authority {
    /// (user id, principal).
    pub leaders: Vec<(String, bool)>,
    /// (the leader away today, who stands in).
    pub standing_in: Vec<(String, String)>,
    /// (who is away today, who takes their to-dos), by delegation.
    pub delegated: Vec<(String, String)>,
}

impl Authority {
    /// From the unit's schedule setup and its away reports, on `today`.
    pub fn new(
        setup: &crate::schedule::ScheduleSetupData,
        aways: &[crate::schedule::AwayData],
        today: NaiveDate,
    ) -> Authority {
        Authority {
            leaders: setup
                .leaders
                .iter()
                .map(|l| (l.user_id.clone(), l.principal))
                .collect(),
            standing_in: aways
                .iter()
                .filter(|a| !a.cancelled && a.from <= today && today <= a.to)
                .filter_map(|a| a.stand_in.clone().map(|s| (a.leader.clone(), s)))
                .collect(),
            delegated: Vec::new(),
        }
    }

    fn is_leader(&self, user: &str) -> bool {
        self.leaders.iter().any(|(id, _)| id == user)
    }

    fn is_principal(&self, user: &str) -> bool {
        self.leaders.iter().any(|(id, p)| id == user && *p)
    }

    /// With the delegations that run on `today`.
    pub fn with_delegations(
        mut self,
        delegations: &[delegation::DelegationData],
        today: NaiveDate,
    ) -> Authority {
        self.delegated.extend(
            delegations
                .iter()
                .filter(|d| d.runs_on(today))
                .map(|d| (d.from.user_id.clone(), d.to.user_id.clone())),
        );
        self
    }

    /// Whether `stand_in` stands in today for `absent` (the away report's
    /// stand-in: who signs with 代).
    pub fn stands_in(&self, absent: &str, stand_in: &str) -> bool {
        self.standing_in
            .iter()
            .any(|(a, s)| a == absent && s == stand_in)
    }

    /// Whether `other` takes `absent`'s to-dos today: the away report's
    /// stand-in, or whom a delegation names.
    pub fn takes_for(&self, absent: &str, other: &str) -> bool {
        self.stands_in(absent, other)
            || self
                .delegated
                .iter()
                .any(|(a, s)| a == absent && s == other)
    }

    /// Whose to-dos `user` takes today.
    pub fn absent_for<'a>(&'a self, user: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.standing_in
            .iter()
            .chain(&self.delegated)
            .filter(move |(_, s)| s == user)
            .map(|(a, _)| a.as_str())
    }
}

fn issue(field: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// What a signature covers: the document as written, without what the
/// steps after it fill in (the number, the copy number, the date, the
/// signers' names).
pub fn content_hash(body: &OfficeDocumentData) -> String {
    use sha2::Digest;
    let document = body.document.clone().map(|mut d| {
        d.doc_number = String::new();
        d.copy_no = None;
        d.date = String::new();
        d.signers = Vec::new();
        d
    });
    let mut content = serde_json::json!({
        "kind": body.kind,
        "title": body.title,
        "classification": body.classification,
        "urgency": body.urgency,
        "important": body.important,
        "document": document,
    });
    // The files attached are signed too, by name and content; a document
    // without any hashes as it did before documents had attachments.
    if !body.attachments.is_empty()
        && let Some(content) = content.as_object_mut()
    {
        content.insert(
            "attachments".to_owned(),
            body.attachments
                .iter()
                .map(|a| serde_json::json!([a.name, a.file.sha256]))
                .collect(),
        );
    }
    hex::encode(sha2::Sha256::digest(content.to_string().as_bytes()))
}

/// Whether two bodies say the same content (what `Edit` and `Create` may
/// change, attachments included; the number, the date and the signers are
/// the steps' own).
fn same_content(a: &OfficeDocumentData, b: &OfficeDocumentData) -> bool {
    content_hash(a) == content_hash(b)
        && a.received == b.received
        && a.direction == b.direction
        && a.attachments == b.attachments
}

/// Takes the content of `from` into `into`, keeping what the steps filled
/// in on an outgoing one (the number, the copy number, the date, the
/// signers): those are never written by hand, and a new draft has none.
fn take_content(into: &mut OfficeDocumentData, from: &OfficeDocumentData) {
    let filled = into.document.take();
    into.kind = from.kind;
    into.title = from.title.clone();
    into.classification = from.classification.clone();
    into.urgency = from.urgency;
    into.important = from.important;
    into.received = from.received.clone();
    into.attachments = from.attachments.clone();
    if from.direction == Direction::Incoming {
        // An incoming document is the sender's, as it came.
        into.document = from.document.clone();
        return;
    }
    into.document = from.document.clone().map(|mut d| {
        let kept = filled.as_ref();
        d.doc_number = kept.map(|k| k.doc_number.clone()).unwrap_or_default();
        d.copy_no = kept.and_then(|k| k.copy_no.clone());
        d.date = kept.map(|k| k.date.clone()).unwrap_or_default();
        d.signers = kept.map(|k| k.signers.clone()).unwrap_or_default();
        d
    });
}

/// The person who last took `step` (to hand it back to them).
fn last_at(body: &OfficeDocumentData, step: Step) -> Option<&Person> {
    body.steps
        .iter()
        .rev()
        .find(|e| e.step == step && e.action != Action::Comment)
        .map(|e| &e.by)
}

/// A body's own rules: its content, its sizes, its steps well-formed. The
/// desk runs it before it queues a change, the platform at push.
pub fn document_issues(body: &OfficeDocumentData) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let title = body.title.trim();
    if title.is_empty() {
        issues.push(issue("title", "请填写标题"));
    } else if title.chars().count() > 200 {
        issues.push(issue("title", "标题不超过 200 字"));
    }
    match body.direction {
        Direction::Outgoing => {
            if body.document.is_none() {
                issues.push(issue("document", "发文须有正文"));
            }
            if body.received.is_some() {
                issues.push(issue("received", "发文没有来文信息"));
            }
        }
        Direction::Incoming => match &body.received {
            None => issues.push(issue("received", "收文须写明来文单位和收文日期")),
            Some(r) => {
                if r.sender.trim().is_empty() {
                    issues.push(issue("received.sender", "请填写来文单位"));
                }
                if !r.sender_number.is_empty()
                    && let Err(e) = r.sender_number.parse::<DocNumber>()
                {
                    issues.push(issue("received.sender_number", e.0));
                }
            }
        },
    }
    if body.steps.len() > MAX_STEPS {
        issues.push(issue("steps", format!("办理记录最多 {MAX_STEPS} 条")));
    }
    if body.readers.len() > MAX_READERS {
        issues.push(issue("readers", format!("传阅最多 {MAX_READERS} 人")));
    }
    for (i, entry) in body.steps.iter().enumerate() {
        if entry.opinion.chars().count() > OPINION_CHARS {
            issues.push(issue(
                &format!("steps[{i}].opinion"),
                format!("意见不超过 {OPINION_CHARS} 字"),
            ));
        }
    }
    if let Some(r) = &body.registration
        && let Err(e) = r.number.parse::<DocNumber>()
    {
        issues.push(issue("registration.number", e.0));
    }
    if body.attachments.len() > MAX_ATTACHMENTS {
        issues.push(issue(
            "attachments",
            format!("附件最多 {MAX_ATTACHMENTS} 个"),
        ));
    }
    for (i, attachment) in body.attachments.iter().enumerate() {
        let name = attachment.name.trim();
        let field = format!("attachments[{i}].name");
        if name.is_empty() {
            issues.push(issue(&field, "请填写附件名称"));
        } else if name != attachment.name {
            issues.push(issue(&field, "附件名称前后不能有空格"));
        } else if name.chars().count() > ATTACHMENT_NAME_CHARS {
            issues.push(issue(
                &field,
                format!("附件名称不超过 {ATTACHMENT_NAME_CHARS} 字"),
            ));
        }
    }
    issues
}

/// Whether the files `after` lists that `before` did not are attached by
/// the step's actor at the step's time: who attached a file, and when, is
/// the step's, never written by hand.
fn check_attached(
    before: &[Attachment],
    after: &[Attachment],
    entry: &StepEntry,
) -> Result<(), FieldIssue> {
    for (i, attachment) in after.iter().enumerate() {
        if before.contains(attachment) {
            continue;
        }
        if attachment.by != entry.by || attachment.at != entry.at {
            return Err(issue(
                &format!("attachments[{i}]"),
                "新添的附件须记为办理人本人在这一步添加",
            ));
        }
    }
    Ok(())
}

/// Takes one step: `entry` applied to `body` (`None` for a new document),
/// by `actor`, with `content` the body as the actor wrote it (its content
/// counts for `Create` and `Edit` only). Gives the body after the step, or
/// why the step may not be taken, naming the field.
pub fn apply(
    body: Option<&OfficeDocumentData>,
    entry: &StepEntry,
    content: &OfficeDocumentData,
    actor: &Actor,
    authority: &Authority,
) -> Result<OfficeDocumentData, FieldIssue> {
    let refuse = |m: String| Err(issue("steps", m));
    if entry.by != actor.person {
        return refuse(format!(
            "办理人须是本人（{}），不能以他人名义办理",
            actor.person.name
        ));
    }
    let Some(body) = body else {
        return create(entry, content, actor);
    };
    if entry.step != body.step {
        return refuse(format!(
            "此件已在“{}”环节，不在“{}”环节：可能已有他人办理",
            body.step, entry.step
        ));
    }
    if !matches!(entry.action, Action::Edit | Action::Create) && !same_content(body, content) {
        return refuse("只有“修改”能改动公文内容".to_owned());
    }
    let mut next = body.clone();
    let step = body.step;
    // The step is the actor's own, or taken for an owner who is away.
    let own = body.owners.contains(&actor.person.user_id);
    let mine = match &entry.on_behalf_of {
        None => own,
        Some(absent) => {
            if matches!(entry.action, Action::SignOff { .. }) {
                return refuse("代签发在签发中注明所代的领导".to_owned());
            }
            if !body.owners.contains(&absent.user_id)
                || !authority.takes_for(&absent.user_id, &actor.person.user_id)
            {
                return refuse(format!(
                    "只有 {} 外出报备或委托中指定的人能代为办理其待办",
                    absent.name
                ));
            }
            true
        }
    };
    let office_step = step.is_office_work();
    let may_act = if office_step { actor.office } else { mine };
    let joint = !body.co_issuers().is_empty();
    let date = entry.at.date();
    // Who acts on the step as its owner.
    let owner_only = |what: &str| -> Result<(), FieldIssue> {
        if may_act {
            Ok(())
        } else if office_step {
            Err(issue("steps", format!("“{step}”由办公室办理，不能{what}")))
        } else {
            Err(issue(
                "steps",
                format!("此件的“{step}”不是您的待办，不能{what}"),
            ))
        }
    };
    match &entry.action {
        Action::Create => return refuse("此件已创建".to_owned()),
        Action::Edit => {
            let drafter = body.steps.first().map(|e| &e.by) == Some(&actor.person);
            let editable = match step {
                Step::Draft => drafter || actor.office,
                Step::Review | Step::Check | Step::FirstCheck | Step::Assign => actor.office,
                _ => false,
            };
            if !editable {
                return refuse(format!("“{step}”环节不能修改公文内容"));
            }
            check_attached(&body.attachments, &content.attachments, entry)?;
            take_content(&mut next, content);
            let issues = document_issues(&next);
            if let Some(first) = issues.into_iter().next() {
                return Err(first);
            }
            // The draft it replaces is kept, readable as it was.
            if content_hash(body) != content_hash(&next) {
                if body.versions.len() >= MAX_VERSIONS {
                    return Err(issue(
                        "document",
                        format!("此件已修改 {MAX_VERSIONS} 稿，不能再改：请另行起草"),
                    ));
                }
                let author = body
                    .steps
                    .iter()
                    .rev()
                    .find(|e| matches!(e.action, Action::Create | Action::Edit))
                    .unwrap_or(entry);
                next.versions.push(Version {
                    title: body.title.clone(),
                    document: body.document.clone(),
                    attachments: body.attachments.clone(),
                    by: author.by.clone(),
                    at: author.at,
                });
            }
            // A substantive change after sign-off goes back to the signer
            // (art. 25).
            if let Some(signed) = &body.sign_off
                && signed.content != content_hash(&next)
            {
                next.sign_off = None;
                next.countersigns.clear();
                next.step = Step::SignOff;
                let signer = signed.on_behalf_of.as_ref().unwrap_or(&signed.by);
                next.owners = vec![signer.user_id.clone()];
                next.deadline = None;
            }
        }
        Action::Submit => {
            let drafter = body.steps.first().map(|e| &e.by) == Some(&actor.person);
            if step != Step::Draft || !(drafter || actor.office) {
                return refuse("只有拟稿人能送审草稿".to_owned());
            }
            next.step = Step::Review;
            next.owners.clear();
        }
        Action::Approve { signer } => {
            if step != Step::Review {
                return refuse("只在“审核”环节审核通过".to_owned());
            }
            owner_only("审核")?;
            if !authority.is_leader(&signer.user_id) {
                return Err(issue(
                    "signer",
                    format!("{} 不在本单位的领导名单中，不能签发", signer.name),
                ));
            }
            if body.needs_principal() && !authority.is_principal(&signer.user_id) {
                return Err(issue(
                    "signer",
                    "重要公文和上行文由主要负责人签发（《党政机关公文处理工作条例》第二十二条）",
                ));
            }
            next.signer = Some(signer.clone());
            next.step = Step::SignOff;
            next.owners = vec![signer.user_id.clone()];
        }
        Action::SignOff {
            circled,
            on_behalf_of,
        } => {
            if step != Step::SignOff {
                return refuse("只在“签发”环节签发".to_owned());
            }
            let named = body
                .owners
                .first()
                .ok_or_else(|| issue("steps", "此件未指定签发人"))?;
            match on_behalf_of {
                None if own => {}
                None => {
                    return refuse(
                        "此件不是由您签发；主要负责人外出时由代为主持工作的领导以“代”签发"
                            .to_owned(),
                    );
                }
                Some(absent) => {
                    let stands_in = absent.user_id == *named
                        && authority.stands_in(&absent.user_id, &actor.person.user_id);
                    if !stands_in {
                        return refuse(format!(
                            "只有 {} 外出报备中指定的代为主持工作的领导能代签",
                            absent.name
                        ));
                    }
                }
            }
            if !circled && entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "请写签发意见，或圈阅"));
            }
            next.sign_off = Some(SignOff {
                by: actor.person.clone(),
                on_behalf_of: on_behalf_of.clone(),
                opinion: entry.opinion.clone(),
                circled: *circled,
                date,
                content: content_hash(body),
            });
            if let Some(document) = &mut next.document {
                // 成文日期: the day the leader signed it off.
                document.date = date.format("%Y-%m-%d").to_string();
                if document.upward {
                    let signer = on_behalf_of.as_ref().unwrap_or(&actor.person);
                    document.signers = vec![signer.name.clone()];
                }
            }
            next.step = step.next_outgoing(joint);
            next.owners.clear();
        }
        Action::Countersign { issuer, signer } => {
            if step != Step::Countersign {
                return refuse("只在“会签”环节记录会签".to_owned());
            }
            owner_only("记录会签")?;
            if !body.co_issuers().contains(issuer) {
                return Err(issue("issuer", format!("{issuer} 不是此件的联合发文机关")));
            }
            if body.countersigns.iter().any(|c| c.issuer == *issuer) {
                return Err(issue("issuer", format!("{issuer} 已会签")));
            }
            if signer.trim().is_empty() {
                return Err(issue("signer", "请填写会签人"));
            }
            next.countersigns.push(Countersign {
                issuer: issuer.clone(),
                signer: signer.trim().to_owned(),
                opinion: entry.opinion.clone(),
                date,
            });
            if body
                .co_issuers()
                .iter()
                .all(|i| next.countersigns.iter().any(|c| c.issuer == *i))
            {
                next.step = Step::Check;
            }
        }
        Action::Check => {
            if step != Step::Check {
                return refuse("只在“复核”环节复核".to_owned());
            }
            owner_only("复核")?;
            next.step = Step::Register;
        }
        Action::Register {
            number,
            recipients,
            copies,
        } => {
            if step != Step::Register {
                return refuse("只在“登记编号”环节编号".to_owned());
            }
            owner_only("登记编号")?;
            let parsed: DocNumber = number
                .parse()
                .map_err(|e: mz_domain::office::BadDocNumber| issue("number", e.0))?;
            if parsed.year != date.year() {
                return Err(issue(
                    "number",
                    format!("发文字号的年份应为登记当年 {}", date.year()),
                ));
            }
            if recipients.is_empty() {
                return Err(issue("recipients", "请选择主送或抄送单位"));
            }
            if recipients.len() > MAX_RECIPIENTS {
                return Err(issue(
                    "recipients",
                    format!("发送单位最多 {MAX_RECIPIENTS} 个"),
                ));
            }
            if !(1..=MAX_COPIES).contains(copies) {
                return Err(issue("copies", format!("份数在 1 至 {MAX_COPIES} 之间")));
            }
            next.registration = Some(Registration {
                number: parsed.to_string(),
                recipients: recipients.clone(),
                copies: *copies,
            });
            if let Some(document) = &mut next.document {
                document.doc_number = parsed.to_string();
            }
            next.step = Step::Print;
        }
        Action::Print => {
            if step != Step::Print {
                return refuse("只在“印制”环节记录印制".to_owned());
            }
            owner_only("记录印制")?;
            next.step = Step::Distribute;
        }
        Action::Distribute => {
            if step != Step::Distribute {
                return refuse("只在“核发”环节核发".to_owned());
            }
            owner_only("核发")?;
            next.step = Step::Done;
        }
        Action::Accept | Action::Reject => {
            if step != Step::FirstCheck {
                return refuse("只在“初审”环节初审".to_owned());
            }
            owner_only("初审")?;
            if entry.action == Action::Reject {
                if entry.opinion.trim().is_empty() {
                    return Err(issue("opinion", "退回来文单位须写明理由"));
                }
                next.step = Step::Done;
            } else {
                next.step = Step::Assign;
            }
        }
        Action::Assign { lead, co } => {
            // 转办: the office gives a document in handling to another lead
            // (its handler away or the wrong unit), with the reason.
            let transfer = step == Step::Handle;
            if step != Step::Assign && !transfer {
                return refuse("只在“拟办分办”环节分办，或在“承办”环节由办公室转办".to_owned());
            }
            if transfer && !actor.office {
                return refuse("由办公室转办".to_owned());
            }
            if transfer && entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "转办须写明理由"));
            }
            if !transfer {
                owner_only("分办")?;
            }
            if co.len() > MAX_HANDLERS {
                return Err(issue("co", format!("协办最多 {MAX_HANDLERS} 人")));
            }
            if co.iter().any(|c| c.user_id == lead.user_id) {
                return Err(issue("co", "主办人不再列为协办"));
            }
            let urgent = body.urgency.is_some();
            if urgent && entry.deadline.is_none() && !transfer {
                return Err(issue("deadline", "紧急公文须明确办理时限（第二十四条）"));
            }
            next.handling = Some(Handling {
                lead: lead.clone(),
                co: co.clone(),
            });
            next.step = Step::Handle;
            next.owners = vec![lead.user_id.clone()];
        }
        Action::Circulate { readers, purpose } => {
            let may = actor.office
                || body
                    .handling
                    .as_ref()
                    .is_some_and(|h| h.lead.user_id == actor.person.user_id);
            if !may || step == Step::Done {
                return refuse("由办公室或主办人送传阅".to_owned());
            }
            if readers.is_empty() {
                return Err(issue("readers", "请选择传阅人"));
            }
            for reader in readers {
                if body
                    .readers
                    .iter()
                    .any(|r| r.reader.user_id == reader.user_id && r.read_at.is_none())
                {
                    return Err(issue("readers", format!("{} 尚未阅毕此件", reader.name)));
                }
                next.readers.push(Reading {
                    reader: reader.clone(),
                    purpose: purpose.trim().to_owned(),
                    sent_at: entry.at,
                    read_at: None,
                    opinion: String::new(),
                    instructs: Vec::new(),
                });
            }
            if next.readers.len() > MAX_READERS {
                return Err(issue("readers", format!("传阅最多 {MAX_READERS} 人次")));
            }
        }
        Action::Read { instructs } => {
            let Some(reading) = next
                .readers
                .iter_mut()
                .find(|r| r.reader.user_id == actor.person.user_id && r.read_at.is_none())
            else {
                return refuse("此件没有送您传阅，或您已阅毕".to_owned());
            };
            if !instructs.is_empty() && entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "请写批示内容"));
            }
            reading.read_at = Some(entry.at);
            reading.opinion = entry.opinion.clone();
            reading.instructs = instructs.clone();
        }
        Action::Chase => {
            if !actor.office || step == Step::Done {
                return refuse("由办公室催办未办结的公文".to_owned());
            }
        }
        Action::AskExtension { to } => {
            if !mine || step == Step::Done {
                return refuse("由承办人为自己的待办申请延期".to_owned());
            }
            let Some(due) = body.deadline else {
                return Err(issue("to", "此件没有办理时限，无需延期"));
            };
            if *to <= due {
                return Err(issue("to", format!("申请的时限应晚于原时限 {due}")));
            }
            if entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "申请延期须写明理由"));
            }
        }
        Action::Extend { to } => {
            if !actor.office || step == Step::Done {
                return refuse("由办公室为未办结的公文延期".to_owned());
            }
            let Some(due) = body.deadline else {
                return Err(issue("to", "此件没有办理时限，无需延期"));
            };
            if *to <= due {
                return Err(issue("to", format!("延期后的时限应晚于原时限 {due}")));
            }
            if entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "延期须写明理由"));
            }
            next.deadline = Some(*to);
        }
        Action::Reply | Action::File => {
            let lead = mine
                && body
                    .handling
                    .as_ref()
                    .is_some_and(|h| body.owners.contains(&h.lead.user_id));
            if step != Step::Handle || !(lead || actor.office) {
                return refuse("由主办人答复或归档".to_owned());
            }
            if entry.action == Action::Reply && entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "请写答复内容"));
            }
            next.step = Step::Done;
            next.owners.clear();
        }
        Action::Return { to } => {
            owner_only("退回")?;
            // Before registration an outgoing document goes back to any
            // step it passed; an incoming one from its handling to the
            // assignment. A numbered document is not taken back.
            let earlier = match body.direction {
                Direction::Outgoing => {
                    step < Step::Register && *to < step && Step::OUTGOING.contains(to)
                }
                Direction::Incoming => *to == Step::Assign && step == Step::Handle,
            };
            if !earlier {
                return refuse(format!("“{step}”不能退回到“{to}”"));
            }
            if entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "退回须写明意见"));
            }
            next.step = *to;
            next.owners = if to.is_office_work() {
                Vec::new()
            } else {
                match to {
                    Step::SignOff => body.signer.iter().map(|s| s.user_id.clone()).collect(),
                    _ => last_at(body, *to)
                        .map(|p| p.user_id.clone())
                        .into_iter()
                        .collect(),
                }
            };
            if *to <= Step::SignOff {
                next.sign_off = None;
                next.countersigns.clear();
            }
            if *to <= Step::Review {
                next.signer = None;
            }
            if *to == Step::Assign {
                next.handling = None;
            }
        }
        Action::Recall => {
            let last = body
                .steps
                .iter()
                .rev()
                .find(|e| {
                    !matches!(
                        e.action,
                        Action::Comment | Action::Chase | Action::Read { .. }
                    )
                })
                .ok_or_else(|| issue("steps", "此件没有可收回的步骤"))?;
            if last.by != actor.person || !last.action.recallable() {
                return refuse("只能收回自己刚送出、下一环节尚未办理的公文".to_owned());
            }
            next.step = last.step;
            next.owners = if last.step.is_office_work() {
                Vec::new()
            } else {
                vec![actor.person.user_id.clone()]
            };
            match &last.action {
                Action::Approve { .. } => next.signer = None,
                Action::SignOff { .. } => next.sign_off = None,
                Action::Countersign { issuer, .. } => {
                    next.countersigns.retain(|c| c.issuer != *issuer);
                }
                Action::Assign { .. } => next.handling = None,
                _ => {}
            }
            if last.step == Step::SignOff
                && let (Some(document), Some(previous)) = (&mut next.document, &body.document)
            {
                document.date = previous.date.clone();
                document.signers = previous.signers.clone();
            }
            next.deadline = None;
        }
        Action::Comment => {
            if entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "请写意见"));
            }
        }
        Action::AskDestroy {
            copies,
            method,
            approver,
        } => {
            if body.classification.is_none() {
                return refuse("只有涉密公文登记销毁；其他公文按归档规定处理".to_owned());
            }
            if step != Step::Done || !actor.office {
                return refuse("办结后由办公室（机要）申请销毁".to_owned());
            }
            if body.destructions.iter().any(Destruction::open) {
                return refuse("此件尚有未办结的销毁申请".to_owned());
            }
            if body.destructions.len() >= MAX_DESTRUCTIONS {
                return refuse(format!("一件公文最多登记 {MAX_DESTRUCTIONS} 次销毁"));
            }
            // The copies held: an outgoing document's registered copies, an
            // incoming one's copy received.
            let held = body.registration.as_ref().map_or(1, |r| r.copies);
            let mut sorted = copies.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.is_empty() || sorted.len() != copies.len() {
                return Err(issue("copies", "请列出要销毁的份号，每份一次"));
            }
            if let Some(out) = sorted.iter().find(|c| **c == 0 || **c > held) {
                return Err(issue(
                    "copies",
                    format!("份号 {out} 不在此件的 1–{held} 份之内"),
                ));
            }
            let gone: Vec<u32> = body
                .destructions
                .iter()
                .filter(|d| d.stands())
                .flat_map(|d| d.copies.iter().copied())
                .collect();
            if let Some(again) = sorted.iter().find(|c| gone.contains(c)) {
                return Err(issue("copies", format!("第 {again} 份已登记销毁")));
            }
            let method = method.trim();
            if method.is_empty() || method.chars().count() > METHOD_CHARS {
                return Err(issue(
                    "method",
                    format!("请写明销毁方式（不超过 {METHOD_CHARS} 字）"),
                ));
            }
            if !authority.is_leader(&approver.user_id) || approver.user_id == actor.person.user_id {
                return Err(issue("approver", "销毁须由本单位领导批准"));
            }
            if entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "申请销毁须写明理由"));
            }
            next.destructions.push(Destruction {
                copies: sorted,
                method: method.to_owned(),
                reason: entry.opinion.trim().to_owned(),
                asked_by: actor.person.clone(),
                asked_at: entry.at,
                approver: approver.clone(),
                approved: None,
                decided_at: None,
                decision: String::new(),
                destroyed_by: None,
                witness: None,
                destroyed_at: None,
            });
            next.owners = vec![approver.user_id.clone()];
        }
        Action::DecideDestroy { approve } => {
            let Some(asked) = next
                .destructions
                .last_mut()
                .filter(|d| d.approved.is_none())
            else {
                return refuse("此件没有待批准的销毁申请".to_owned());
            };
            if !mine || !body.owners.contains(&asked.approver.user_id) {
                return refuse(format!("销毁申请由 {} 批准", asked.approver.name));
            }
            if !approve && entry.opinion.trim().is_empty() {
                return Err(issue("opinion", "不同意销毁须写明理由"));
            }
            asked.approved = Some(*approve);
            asked.decided_at = Some(entry.at);
            asked.decision = entry.opinion.trim().to_owned();
            // Approved, it goes back to whoever asked, to destroy.
            next.owners = if *approve {
                vec![asked.asked_by.user_id.clone()]
            } else {
                Vec::new()
            };
        }
        Action::Destroyed { witness } => {
            let Some(approved) = next
                .destructions
                .last_mut()
                .filter(|d| d.approved == Some(true) && d.destroyed_at.is_none())
            else {
                return refuse("此件没有已批准待销毁的份数".to_owned());
            };
            if !actor.office {
                return refuse("由办公室（机要）销毁".to_owned());
            }
            if witness.user_id == actor.person.user_id {
                return Err(issue("witness", "监销人须是销毁人以外的另一人"));
            }
            approved.destroyed_by = Some(actor.person.clone());
            approved.witness = Some(witness.clone());
            approved.destroyed_at = Some(entry.at);
            next.owners.clear();
        }
    }
    // The deadline an entry gives is for the step it hands on to.
    if next.step != step {
        next.deadline = entry.deadline;
    }
    next.steps.push(entry.clone());
    Ok(next)
}

/// A new document: a draft begun, or an incoming one received.
fn create(
    entry: &StepEntry,
    content: &OfficeDocumentData,
    actor: &Actor,
) -> Result<OfficeDocumentData, FieldIssue> {
    if entry.action != Action::Create {
        return Err(issue("steps", "新的公文从“创建”开始"));
    }
    let step = match content.direction {
        Direction::Outgoing => Step::Draft,
        Direction::Incoming => {
            if !actor.office {
                return Err(issue("steps", "收文由办公室签收登记"));
            }
            Step::FirstCheck
        }
    };
    if entry.step != step {
        return Err(issue("steps", format!("新的公文从“{step}”开始")));
    }
    let mut body = OfficeDocumentData {
        owners: match step {
            Step::Draft => vec![actor.person.user_id.clone()],
            _ => Vec::new(),
        },
        deadline: entry.deadline,
        steps: vec![entry.clone()],
        ..OfficeDocumentData::blank(content.direction, content.kind)
    };
    check_attached(&[], &content.attachments, entry)?;
    take_content(&mut body, content);
    if let Some(first) = document_issues(&body).into_iter().next() {
        return Err(first);
    }
    Ok(body)
}

/// The steps `next` adds to `previous`, replayed as `actor`: the body they
/// make, which must be `next` itself. The platform's check of a change, and
/// the desk's before it queues one.
pub fn replay(
    previous: Option<&OfficeDocumentData>,
    next: &OfficeDocumentData,
    actor: &Actor,
    authority: &Authority,
) -> Result<OfficeDocumentData, FieldIssue> {
    replay_entries(
        "steps",
        previous,
        next,
        |d: &OfficeDocumentData| d.steps.as_slice(),
        |e: &StepEntry| e.at,
        |body, entry| apply(body, entry, next, actor, authority),
    )
}

/// The entries (at `field`) that `next` adds to `previous`, each applied in
/// turn: what they make, which must be `next` itself. A history rewritten,
/// an entry dated before the one it follows, or a result other than what
/// was sent is refused.
pub(crate) fn replay_entries<T: Clone + PartialEq, E: PartialEq>(
    field: &str,
    previous: Option<&T>,
    next: &T,
    entries: impl Fn(&T) -> &[E],
    at: impl Fn(&E) -> NaiveDateTime,
    mut apply: impl FnMut(Option<&T>, &E) -> Result<T, FieldIssue>,
) -> Result<T, FieldIssue> {
    let done = previous.map_or(0, |p| entries(p).len());
    if let Some(previous) = previous
        && entries(next).get(..done) != Some(entries(previous))
    {
        return Err(issue(
            field,
            "办理记录只能追加：此件已有他人办理，请刷新后再办",
        ));
    }
    let added = entries(next).get(done..).unwrap_or(&[]);
    if added.is_empty() {
        return Err(issue(field, "没有新的办理步骤"));
    }
    let mut body = previous.cloned();
    for entry in added {
        if let Some(last) = body.as_ref().and_then(|b| entries(b).last())
            && at(entry) < at(last)
        {
            return Err(issue(field, "办理时间早于上一步"));
        }
        body = Some(apply(body.as_ref(), entry)?);
    }
    let Some(body) = body else {
        return Err(issue(field, "没有新的办理步骤"));
    };
    if body != *next {
        return Err(issue(field, "办理后的状态与办理记录不符：请刷新后再办"));
    }
    Ok(body)
}

/// Whether a document is classified (秘密, 机密, 绝密): a copy counts as the
/// original, so it never rests in a desk's offline cache.
pub fn classified(data: &serde_json::Value) -> bool {
    data.get("classification").is_some_and(|c| !c.is_null())
}

/// The kind's normal form: its own rules.
pub(crate) fn normalise_document(
    data: serde_json::Value,
) -> Result<serde_json::Value, crate::records::BodyIssue> {
    use crate::records::{BodyIssue, body_value, read_body};
    let body: OfficeDocumentData = read_body(data)?;
    let issues = document_issues(&body);
    if !issues.is_empty() {
        return Err(BodyIssue::Rules(issues));
    }
    body_value(&body)
}

/// What a document may become, whoever takes the step (the platform then
/// replays the steps as the caller): its history only grows, and one done
/// takes no step but a comment or a reading.
pub(crate) fn document_change(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    _today: NaiveDate,
) -> Result<(), crate::records::BodyIssue> {
    crate::records::typed_change(
        previous,
        next,
        |previous: Option<&OfficeDocumentData>, next| {
            let Some(previous) = previous else {
                return Vec::new();
            };
            let mut issues = Vec::new();
            if next.steps.get(..previous.steps.len()) != Some(previous.steps.as_slice()) {
                issues.push(issue("steps", "办理记录只能追加，不能改动或删除"));
            }
            if previous.direction != next.direction {
                issues.push(issue("direction", "收发文类别不能改变"));
            }
            if previous.step == Step::Done && next.step != Step::Done {
                issues.push(issue("step", "已办结的公文不能再流转"));
            }
            issues
        },
    )
}

/// A document as it was sent to a unit (核发), for its office to receive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SentDocument {
    #[schema(value_type = String)]
    pub kind: DocKind,
    pub title: String,
    /// Its number (发文字号).
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub classification: Option<Classification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub urgency: Option<Urgency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub document: Option<OfficialDocument>,
}

impl SentDocument {
    /// What an outgoing document sends; `None` before it is registered.
    pub fn of(body: &OfficeDocumentData) -> Option<SentDocument> {
        let registration = body.registration.as_ref()?;
        Some(SentDocument {
            kind: body.kind,
            title: body.title.clone(),
            number: registration.number.clone(),
            classification: body.classification.clone(),
            urgency: body.urgency,
            document: body.document.clone(),
        })
    }

    /// The incoming document it becomes when received on `day`.
    pub fn received(&self, delivery: &Delivery, day: NaiveDate) -> OfficeDocumentData {
        OfficeDocumentData {
            title: self.title.clone(),
            classification: self.classification.clone(),
            urgency: self.urgency,
            document: self.document.clone(),
            received: Some(Received {
                sender: delivery.from_name.clone(),
                sender_unit: Some(delivery.from_unit.clone()),
                sender_number: self.number.clone(),
                received_on: day,
                delivery: Some(delivery.id),
            }),
            ..OfficeDocumentData::blank(Direction::Incoming, self.kind)
        }
    }

    /// Whether an incoming body carries this content as it was sent.
    pub fn matches(&self, body: &OfficeDocumentData) -> bool {
        body.kind == self.kind
            && body.title == self.title
            && body.classification == self.classification
            && body.urgency == self.urgency
            && body.document == self.document
            && body
                .received
                .as_ref()
                .is_some_and(|r| r.sender_number == self.number)
    }
}

/// A document sent to the caller's unit, waiting to be received
/// (`GET /api/v1/office/deliveries`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    pub id: Uuid,
    /// The outgoing document it was sent from.
    pub document_id: Uuid,
    pub from_unit: String,
    pub from_name: String,
    pub sent: SentDocument,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub delivered_at: i64,
}

/// Someone of the caller's unit who works documents
/// (`GET /api/v1/office/people`): to be named to sign, handle or read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct UnitPerson {
    pub user_id: String,
    pub name: String,
    /// The section of the unit they work in (内设机构: 办公室, 社会救助处).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub section: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<mz_domain::Role>,
}

/// A classified document read online (`GET /api/v1/office/classified`):
/// never cached, its version the base of the next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct HeldDocument {
    pub id: Uuid,
    #[ts(type = "number")]
    pub version: i64,
    pub data: OfficeDocumentData,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
