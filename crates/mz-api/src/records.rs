//! The record kinds that flow through sync, and their bodies.

use std::fmt;

use chrono::NaiveDate;
use mz_domain::FieldIssue;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The kinds of record that sync carries. Modules add theirs here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// One year's statutory holidays; body [`HolidayCalendarData`].
    HolidayCalendar,
    /// One marriage registration at a counter; body [`MarriageRegistrationData`].
    MarriageRegistration,
    /// One booking at a registration office (网上预约); body [`AppointmentData`].
    MarriageAppointment,
    /// One divorce by agreement, from its application through the cooling-off
    /// period; body [`DivorceRegistrationData`].
    DivorceRegistration,
    /// An official document being composed in 打印中心 (公文草稿), shared by
    /// its org unit; body [`DocumentDraftData`].
    DocumentDraft,
    /// One case of a funeral home, from the call to the placement of the
    /// ashes; body [`crate::funeral::FuneralCaseData`].
    FuneralCase,
    /// A funeral home's own setup: vehicles, cabinets, halls, furnaces,
    /// fees and waivers; body [`crate::funeral::home::FuneralHomeData`].
    FuneralHome,
    /// A province's or city's fee standard (the official list with its
    /// highest prices, the waivers every home grants); body
    /// [`crate::funeral::standard::FuneralStandardData`].
    FuneralStandard,
    /// A home's cemetery: its sections, rows and plots with their prices;
    /// body [`crate::funeral::cemetery::CemeteryData`].
    Cemetery,
    /// One plot of a home's cemetery once reserved: the reservation, the
    /// sale contract with its fee periods, the burials; body
    /// [`crate::funeral::cemetery::PlotData`].
    CemeteryPlot,
    /// The department's leaders and whom each secretary serves; body
    /// [`crate::schedule::ScheduleSetupData`].
    ScheduleSetup,
    /// One activity of the leaders' schedule; body
    /// [`crate::schedule::ActivityData`].
    ScheduleActivity,
    /// A leader away (外出报备) with who stands in; body
    /// [`crate::schedule::AwayData`].
    AwayReport,
    /// The week's table as the office published it; body
    /// [`crate::schedule::WeekTableData`].
    ScheduleWeek,
    /// A farewell hall booked for one slot; body
    /// [`crate::funeral::booking::HallBookingData`].
    FuneralBooking,
    /// An official document in handling (发文 or 收文) with every step taken
    /// on it; body [`crate::office::OfficeDocumentData`].
    OfficeDocument,
    /// A matter the office tracks (督办事项); body
    /// [`crate::office::task::TaskData`].
    OfficeTask,
    /// Someone's to-dos handed to a colleague while they are away (委托办理);
    /// body [`crate::office::delegation::DelegationData`].
    OfficeDelegation,
    /// One item of the document library (在线资料库) with every version of
    /// its file; body [`crate::library::LibraryItemData`].
    LibraryItem,
}

/// What a record kind is, said once: every engine (sync on both sides, the
/// pull scope, the search index, the size checks) asks this, never the
/// kind's name.
#[derive(Debug)]
pub struct KindSpec {
    /// The name on the wire and in storage, e.g. `marriage_registration`.
    pub name: &'static str,
    /// Whether its records hold personal data: reading them is audited,
    /// and they never leave their org unit's reach.
    pub personal: bool,
    /// The access table's resource that governs it.
    pub resource: mz_domain::Resource,
    /// The largest body, in bytes of JSON. Files (a couple's photo) are not
    /// in the body but beside it, as blobs.
    pub max_body_bytes: usize,
    /// The fields that hold more than a short text, by the start of their
    /// path, with their cap in characters; every other text is a short field.
    pub long_fields: &'static [(&'static str, usize)],
    /// The fields that name a file kept beside the record, each with the
    /// files it may name ([`BlobField`]).
    pub blob_fields: &'static [BlobField],
    /// The people and certificate numbers a body names, for the search
    /// index; `None` for a kind that names none.
    pub people: Option<PeopleOf>,
    /// The title and text a body is found by in full-text search (any two
    /// characters, `mz_domain::fulltext`); `None` for a kind searched by its
    /// people only.
    pub searched: Option<SearchedOf>,
    /// The day a record is about (a registration's, a case's call, an
    /// activity's, a document's receipt or drafting), by which 综合查询
    /// narrows to dates; `None` for a kind it never finds.
    pub dated: Option<DatedOf>,
    /// The body's own rules and normal form, as the client applies them
    /// before it queues an entry (the platform's module applies the same,
    /// then what only the platform knows).
    pub normalise: Normalise,
    /// What a record may become: the rules of a change from the body the
    /// platform holds (`None` for a new record) to the next, on a day in
    /// China. Both in normal form. Finality lives here: a final record's
    /// kind refuses every change but those the law allows.
    pub check_change: CheckChange,
    /// Whether a body may not be held in a desk's offline cache (a
    /// classified document, 涉密公文): the pull sends it to desks as a
    /// removal, the desk never queues it, and it is read and worked online
    /// only. `None` for a kind whose every body may be cached.
    pub off_desks: Option<OffDesks>,
}

/// A field of a body that names a file kept beside the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobField {
    /// Its path in the body, dotted (`photo`, `checks.identity.scan`); a
    /// segment ending in `[]` is a list, each of whose elements names a
    /// file at the rest of the path (`attachments[].file`: the `file` of
    /// every element of `attachments`, at most [`MAX_LISTED_FILES`]).
    pub path: &'static str,
    /// The largest file it may name, at most
    /// [`mz_domain::blob::MAX_BLOB_BYTES`].
    pub max_bytes: usize,
    /// The kinds of file it may name.
    pub media_types: &'static [mz_domain::blob::MediaType],
}

/// The most elements a list of a body may have that each name a file (an
/// office document's attachments).
pub const MAX_LISTED_FILES: usize = 50;

/// Whether a body is kept off the desks' caches.
pub type OffDesks = fn(&serde_json::Value) -> bool;

/// How a kind checks a change of one of its records.
pub type CheckChange = fn(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    today: chrono::NaiveDate,
) -> Result<(), BodyIssue>;

/// A kind whose records may change freely (a draft, a calendar): the
/// platform's access checks and versions are all there is.
fn any_change(
    _previous: Option<&serde_json::Value>,
    _next: &serde_json::Value,
    _today: chrono::NaiveDate,
) -> Result<(), BodyIssue> {
    Ok(())
}

/// A kind's typed change rule over the JSON bodies.
pub(crate) fn typed_change<T: serde::de::DeserializeOwned>(
    previous: Option<&serde_json::Value>,
    next: &serde_json::Value,
    rules: impl FnOnce(Option<&T>, &T) -> Vec<FieldIssue>,
) -> Result<(), BodyIssue> {
    let read = |value: &serde_json::Value| {
        T::deserialize(value).map_err(|e| BodyIssue::Invalid(e.to_string()))
    };
    let previous = previous.map(read).transpose()?;
    let next = read(next)?;
    let issues = rules(previous.as_ref(), &next);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(BodyIssue::Rules(issues))
    }
}

/// How a kind checks a body on its own and puts it in its normal form.
pub type Normalise = fn(serde_json::Value) -> Result<serde_json::Value, BodyIssue>;

/// What is wrong with a body on its own.
#[derive(Debug)]
pub enum BodyIssue {
    /// It does not read as its kind, or breaks a rule that names no field.
    Invalid(String),
    /// It breaks rules, each naming its field.
    Rules(Vec<FieldIssue>),
}

/// A body read as `T`, or what is wrong with it.
pub(crate) fn read_body<T: serde::de::DeserializeOwned>(
    data: serde_json::Value,
) -> Result<T, BodyIssue> {
    serde_json::from_value(data).map_err(|e| BodyIssue::Invalid(e.to_string()))
}

/// A body in its normal form as JSON.
pub(crate) fn body_value<T: Serialize>(body: &T) -> Result<serde_json::Value, BodyIssue> {
    serde_json::to_value(body).map_err(|e| BodyIssue::Invalid(e.to_string()))
}

/// A calendar is a valid year.
fn normalise_calendar(data: serde_json::Value) -> Result<serde_json::Value, BodyIssue> {
    let calendar: mz_domain::HolidayCalendar = read_body::<HolidayCalendarData>(data)?.into();
    calendar
        .validate()
        .map_err(|e| BodyIssue::Invalid(e.to_string()))?;
    body_value(&HolidayCalendarData::from(calendar))
}

/// A draft is within its size.
fn normalise_draft(data: serde_json::Value) -> Result<serde_json::Value, BodyIssue> {
    let body: DocumentDraftData = read_body(data)?;
    let size = serde_json::to_string(&body).map_or(0, |text| text.len());
    if size > MAX_DRAFT_BYTES {
        return Err(BodyIssue::Rules(vec![FieldIssue {
            field: "document".to_owned(),
            message: format!("草稿过长：最多约 {} KB", MAX_DRAFT_BYTES / 1024),
        }]));
    }
    body_value(&body)
}

/// How a kind reads what it is found by out of a body.
pub type SearchedOf = fn(&serde_json::Value) -> Result<Searched, serde_json::Error>;

/// What a record is found by in full-text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Searched {
    /// Weighed above the text (ten times, in bm25).
    pub title: String,
    pub text: String,
}

/// How a kind reads the day a record is about out of a body (`None` for a
/// record about no day yet, e.g. a free cemetery plot).
pub type DatedOf = fn(&serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error>;

/// How a kind reads the people and numbers out of a body.
pub type PeopleOf = fn(&serde_json::Value) -> Result<Vec<Named>, serde_json::Error>;

/// A person (or a certificate number) a record names, as the search index
/// keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// What they are in the record, e.g. 男方, 预约人, 结婚证字号.
    pub role: &'static str,
    /// Empty for a certificate number.
    pub name: String,
    /// The identity document's number, or the certificate's, as stored.
    pub doc_number: String,
}

impl Named {
    fn party(party: &mz_domain::marriage::Party) -> Named {
        Named {
            role: match party.sex {
                mz_domain::Sex::Female => "女方",
                mz_domain::Sex::Male => "男方",
            },
            name: party.name.clone(),
            doc_number: party.doc_number.clone(),
        }
    }

    pub(crate) fn number(role: &'static str, number: &str) -> Option<Named> {
        (!number.trim().is_empty()).then(|| Named {
            role,
            name: String::new(),
            doc_number: number.to_owned(),
        })
    }
}

/// A registration names its couple, its certificate and those reissued.
fn marriage_people(data: &serde_json::Value) -> Result<Vec<Named>, serde_json::Error> {
    let body = MarriageRegistrationData::deserialize(data)?;
    let mut named: Vec<Named> = body.parties.iter().map(Named::party).collect();
    named.extend(
        body.certificate_no
            .as_deref()
            .and_then(|n| Named::number("结婚证字号", n)),
    );
    named.extend(
        body.reissues
            .iter()
            .filter_map(|r| Named::number("补发结婚证字号", &r.certificate_no)),
    );
    Ok(named)
}

/// A registration is about the day it was registered.
fn marriage_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    Ok(Some(
        MarriageRegistrationData::deserialize(data)?.registered_on,
    ))
}

/// A divorce is about the day it was registered, or received while it is
/// not yet.
fn divorce_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    let body = DivorceRegistrationData::deserialize(data)?;
    Ok(Some(body.registered_on.unwrap_or(body.received_on)))
}

/// A booking is about the day booked.
fn appointment_day(data: &serde_json::Value) -> Result<Option<NaiveDate>, serde_json::Error> {
    Ok(Some(AppointmentData::deserialize(data)?.date))
}

/// A divorce names its couple, its certificate, the marriage certificate it
/// ends and the certificates reissued.
fn divorce_people(data: &serde_json::Value) -> Result<Vec<Named>, serde_json::Error> {
    let body = DivorceRegistrationData::deserialize(data)?;
    let mut named: Vec<Named> = body.parties.iter().map(Named::party).collect();
    named.extend(
        body.certificate_no
            .as_deref()
            .and_then(|n| Named::number("离婚证字号", n)),
    );
    named.extend(Named::number("结婚证字号", &body.marriage_certificate_no));
    named.extend(
        body.reissues
            .iter()
            .filter_map(|r| Named::number("补发离婚证字号", &r.certificate_no)),
    );
    Ok(named)
}

/// A booking names the people who booked.
fn appointment_people(data: &serde_json::Value) -> Result<Vec<Named>, serde_json::Error> {
    let body = AppointmentData::deserialize(data)?;
    Ok(std::iter::once(&body.party_a)
        .chain(body.party_b.as_ref())
        .map(|party| Named {
            role: "预约人",
            name: party.name.clone(),
            doc_number: party.id_number.clone(),
        })
        .collect())
}

impl RecordKind {
    pub const ALL: [RecordKind; 19] = [
        RecordKind::HolidayCalendar,
        RecordKind::MarriageRegistration,
        RecordKind::MarriageAppointment,
        RecordKind::DivorceRegistration,
        RecordKind::DocumentDraft,
        RecordKind::FuneralCase,
        RecordKind::FuneralHome,
        RecordKind::FuneralBooking,
        RecordKind::FuneralStandard,
        RecordKind::Cemetery,
        RecordKind::CemeteryPlot,
        RecordKind::ScheduleSetup,
        RecordKind::ScheduleActivity,
        RecordKind::AwayReport,
        RecordKind::ScheduleWeek,
        RecordKind::OfficeDocument,
        RecordKind::OfficeTask,
        RecordKind::OfficeDelegation,
        RecordKind::LibraryItem,
    ];

    /// What this kind is. A module adds its kinds here, beside their variant.
    pub fn spec(&self) -> &'static KindSpec {
        use mz_domain::Resource;
        match self {
            RecordKind::HolidayCalendar => &KindSpec {
                name: "holiday_calendar",
                personal: false,
                resource: Resource::HolidayCalendar,
                max_body_bytes: 64 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: normalise_calendar,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::MarriageRegistration => &KindSpec {
                name: "marriage_registration",
                personal: true,
                resource: Resource::MarriageRecord,
                max_body_bytes: 256 * 1024,
                long_fields: &[],
                blob_fields: &[BlobField {
                    path: "photo",
                    max_bytes: mz_domain::marriage::MAX_PHOTO_BYTES,
                    media_types: mz_domain::marriage::PHOTO_TYPES,
                }],
                people: Some(marriage_people),
                searched: None,
                dated: Some(marriage_day),
                normalise: crate::marriage::normalise_registration,
                check_change: crate::marriage::registration_change,
                off_desks: None,
            },
            RecordKind::MarriageAppointment => &KindSpec {
                name: "marriage_appointment",
                personal: true,
                resource: Resource::MarriageRecord,
                max_body_bytes: 16 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: Some(appointment_people),
                searched: None,
                dated: Some(appointment_day),
                normalise: crate::marriage::normalise_booking,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::DivorceRegistration => &KindSpec {
                name: "divorce_registration",
                personal: true,
                resource: Resource::MarriageRecord,
                max_body_bytes: 256 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: Some(divorce_people),
                searched: None,
                dated: Some(divorce_day),
                normalise: crate::marriage::normalise_divorce,
                check_change: crate::marriage::divorce_change,
                off_desks: None,
            },
            RecordKind::DocumentDraft => &KindSpec {
                name: "document_draft",
                personal: false,
                resource: Resource::DocumentDraft,
                max_body_bytes: MAX_DRAFT_BYTES,
                long_fields: &[("document.", mz_domain::limits::MAX_PROSE_CHARS)],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: normalise_draft,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::FuneralCase => &KindSpec {
                name: "funeral_case",
                personal: true,
                resource: Resource::FuneralRecord,
                max_body_bytes: 64 * 1024,
                long_fields: &[],
                blob_fields: crate::funeral::SCAN_FIELDS,
                people: Some(crate::funeral::case_people),
                searched: None,
                dated: Some(crate::funeral::case_day),
                normalise: crate::funeral::normalise_case,
                check_change: crate::funeral::case_change,
                off_desks: None,
            },
            RecordKind::FuneralHome => &KindSpec {
                name: "funeral_home",
                personal: false,
                resource: Resource::FuneralSetup,
                max_body_bytes: 256 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::funeral::home::normalise_home,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::FuneralStandard => &KindSpec {
                name: "funeral_standard",
                personal: false,
                resource: Resource::FuneralStandard,
                max_body_bytes: 256 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::funeral::standard::normalise_standard,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::Cemetery => &KindSpec {
                name: "cemetery",
                personal: false,
                resource: Resource::FuneralSetup,
                max_body_bytes: 2 * 1024 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::funeral::cemetery::normalise_cemetery,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::CemeteryPlot => &KindSpec {
                name: "cemetery_plot",
                personal: true,
                resource: Resource::FuneralRecord,
                max_body_bytes: 16 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: Some(crate::funeral::cemetery::plot_people),
                searched: None,
                dated: Some(crate::funeral::cemetery::plot_day),
                normalise: crate::funeral::cemetery::normalise_plot,
                check_change: crate::funeral::cemetery::plot_change,
                off_desks: None,
            },
            RecordKind::ScheduleSetup => &KindSpec {
                name: "schedule_setup",
                personal: false,
                resource: Resource::ScheduleSetup,
                max_body_bytes: 64 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::schedule::normalise_setup,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::ScheduleActivity => &KindSpec {
                name: "schedule_activity",
                personal: false,
                resource: Resource::ScheduleRecord,
                max_body_bytes: 16 * 1024,
                long_fields: &[("content", 500)],
                blob_fields: &[],
                people: None,
                searched: Some(crate::schedule::searched_activity),
                dated: Some(crate::schedule::activity_day),
                normalise: crate::schedule::normalise_activity,
                check_change: crate::schedule::activity_change,
                off_desks: None,
            },
            RecordKind::AwayReport => &KindSpec {
                name: "away_report",
                personal: false,
                resource: Resource::ScheduleRecord,
                max_body_bytes: 8 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::schedule::normalise_away,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::ScheduleWeek => &KindSpec {
                name: "schedule_week",
                personal: false,
                resource: Resource::ScheduleSetup,
                max_body_bytes: 512 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::schedule::normalise_week,
                check_change: any_change,
                off_desks: None,
            },
            RecordKind::FuneralBooking => &KindSpec {
                name: "funeral_booking",
                personal: true,
                resource: Resource::FuneralRecord,
                max_body_bytes: 4 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: Some(crate::funeral::booking::booking_people),
                searched: None,
                dated: Some(crate::funeral::booking::booking_day),
                normalise: crate::funeral::booking::normalise_booking,
                check_change: crate::funeral::booking::booking_change,
                off_desks: None,
            },
            RecordKind::OfficeDocument => &KindSpec {
                name: "office_document",
                personal: false,
                resource: Resource::OfficeDocument,
                // The document with its earlier drafts (at most 20).
                max_body_bytes: 2 * 1024 * 1024,
                long_fields: &[
                    ("document.", mz_domain::limits::MAX_PROSE_CHARS),
                    ("versions.", mz_domain::limits::MAX_PROSE_CHARS),
                ],
                blob_fields: &[
                    BlobField {
                        path: "attachments[].file",
                        max_bytes: crate::office::MAX_ATTACHMENT_BYTES,
                        media_types: crate::office::ATTACHMENT_TYPES,
                    },
                    // An earlier draft's files stay readable with it.
                    BlobField {
                        path: "versions[].attachments[].file",
                        max_bytes: crate::office::MAX_ATTACHMENT_BYTES,
                        media_types: crate::office::ATTACHMENT_TYPES,
                    },
                ],
                people: None,
                searched: Some(crate::office::searched),
                dated: Some(crate::office::document_day),
                normalise: crate::office::normalise_document,
                check_change: crate::office::document_change,
                off_desks: Some(crate::office::classified),
            },
            RecordKind::OfficeTask => &KindSpec {
                name: "office_task",
                personal: false,
                resource: Resource::OfficeDocument,
                max_body_bytes: 256 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::office::task::normalise_task,
                check_change: crate::office::task::task_change,
                off_desks: None,
            },
            RecordKind::OfficeDelegation => &KindSpec {
                name: "office_delegation",
                personal: false,
                resource: Resource::OfficeDocument,
                max_body_bytes: 4 * 1024,
                long_fields: &[],
                blob_fields: &[],
                people: None,
                searched: None,
                dated: None,
                normalise: crate::office::delegation::normalise_delegation,
                check_change: crate::office::delegation::delegation_change,
                off_desks: None,
            },
            RecordKind::LibraryItem => &KindSpec {
                name: "library_item",
                personal: false,
                resource: Resource::Library,
                // The current file's text (at most 200,000 characters) with
                // the versions' names and notes.
                max_body_bytes: 1024 * 1024,
                long_fields: &[("text", mz_domain::fulltext::MAX_TEXT_CHARS)],
                blob_fields: &[BlobField {
                    path: "versions[].file",
                    max_bytes: crate::library::MAX_FILE_BYTES,
                    media_types: crate::library::FILE_TYPES,
                }],
                people: None,
                searched: Some(crate::library::searched),
                dated: Some(crate::library::item_day),
                normalise: crate::library::normalise_item,
                check_change: crate::library::item_change,
                off_desks: None,
            },
        }
    }

    pub fn as_str(&self) -> &'static str {
        self.spec().name
    }

    /// Whether records of this kind hold personal data ([`KindSpec::personal`]).
    pub fn is_personal(&self) -> bool {
        self.spec().personal
    }

    /// The access table's resource that governs this kind.
    pub fn resource(&self) -> mz_domain::Resource {
        self.spec().resource
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The largest body of this kind, in bytes of JSON.
    pub fn max_body_bytes(&self) -> usize {
        self.spec().max_body_bytes
    }

    /// The fields of this kind's body that name a file kept beside it.
    pub fn blob_fields(&self) -> &'static [BlobField] {
        self.spec().blob_fields
    }

    /// The files a body of this kind names, each with its field as an
    /// issue names it (`photo`, `attachments[2].file`): what must reach the
    /// platform before the body does, and what a client fetches after it. A
    /// field that is there but is no well-formed reference, names a kind of
    /// file it does not take or one over its cap, or a list of more than
    /// [`MAX_LISTED_FILES`], is an issue naming it.
    pub fn blobs(
        &self,
        data: &serde_json::Value,
    ) -> Result<Vec<(String, mz_domain::blob::BlobRef)>, FieldIssue> {
        let mut found = Vec::new();
        for field in self.blob_fields() {
            for (name, at) in field_places(data, field.path)? {
                let value = match data.pointer(&at) {
                    None | Some(serde_json::Value::Null) => continue,
                    Some(value) => value,
                };
                let blob: mz_domain::blob::BlobRef = serde_json::from_value(value.clone())
                    .map_err(|e| FieldIssue {
                        field: name.clone(),
                        message: format!("不是文件的引用（媒体类型、SHA-256、大小）：{e}"),
                    })?;
                blob.check(&name, field.max_bytes, field.media_types)?;
                found.push((name, blob));
            }
        }
        Ok(found)
    }

    /// Takes the files that a body written before blobs held inline (a
    /// photo as `{media_type, data}` with the bytes in base64) out of it:
    /// each becomes a reference in the body, and its bytes are returned to
    /// be stored as a blob. A body with none is left as it is; an inline
    /// file that does not decode is an issue naming its field.
    pub fn lift_inline_blobs(
        &self,
        data: &mut serde_json::Value,
    ) -> Result<Vec<(mz_domain::blob::BlobRef, Vec<u8>)>, FieldIssue> {
        use base64::Engine;
        let mut lifted = Vec::new();
        for field in self.blob_fields() {
            for (name, at) in field_places(data, field.path)? {
                let Some(slot) = data.pointer_mut(&at) else {
                    continue;
                };
                let (Some(media_type), Some(inline)) = (
                    slot.get("media_type").and_then(|v| v.as_str()),
                    slot.get("data").and_then(|v| v.as_str()),
                ) else {
                    continue;
                };
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(inline.as_bytes())
                    .map_err(|e| FieldIssue {
                        field: name.clone(),
                        message: format!("内嵌文件的 base64 已损坏：{e}"),
                    })?;
                let blob = mz_domain::blob::BlobRef::of(media_type, &bytes);
                *slot = serde_json::to_value(&blob).map_err(|e| FieldIssue {
                    field: name.clone(),
                    message: e.to_string(),
                })?;
                lifted.push((blob, bytes));
            }
        }
        Ok(lifted)
    }

    /// Whether a body of this kind is within its size and each of its texts
    /// within its field's cap; the issue names the field (`parties[0].name`).
    pub fn check_size(&self, data: &serde_json::Value) -> Result<(), FieldIssue> {
        let bytes = serde_json::to_string(data).map_or(usize::MAX, |text| text.len());
        mz_domain::limits::check_body_bytes(bytes, self.max_body_bytes())?;
        self.check_texts(data, &mut String::new())
    }

    fn check_texts(&self, value: &serde_json::Value, path: &mut String) -> Result<(), FieldIssue> {
        match value {
            serde_json::Value::String(text) => {
                let cap = self
                    .spec()
                    .long_fields
                    .iter()
                    .find(|(start, _)| path.starts_with(start))
                    .map_or(mz_domain::limits::MAX_FIELD_CHARS, |(_, cap)| *cap);
                mz_domain::limits::check_text(path, text.chars().count(), cap)
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    self.check_texts(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            serde_json::Value::Object(fields) => {
                for (name, item) in fields {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                    self.check_texts(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                Ok(())
            }
        }
    }
}

/// Where a body may hold a file of the field at `path`: each place's name
/// as an issue names it (`attachments[2].file`) and its JSON pointer
/// (`/attachments/2/file`), one per element of each list on the way. A list
/// that is absent or null has no places; one that is no list, or is longer
/// than [`MAX_LISTED_FILES`], is an issue naming it.
fn field_places(data: &serde_json::Value, path: &str) -> Result<Vec<(String, String)>, FieldIssue> {
    let mut places = vec![(String::new(), String::new())];
    for segment in path.split('.') {
        let (key, listed) = match segment.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (segment, false),
        };
        let mut next = Vec::with_capacity(places.len());
        for (name, at) in places {
            let name = if name.is_empty() {
                key.to_owned()
            } else {
                format!("{name}.{key}")
            };
            let at = format!("{at}/{key}");
            if !listed {
                next.push((name, at));
                continue;
            }
            let items = match data.pointer(&at) {
                None | Some(serde_json::Value::Null) => continue,
                Some(serde_json::Value::Array(items)) => items,
                Some(_) => return Err(FieldIssue::new(name, "应是文件的列表")),
            };
            if items.len() > MAX_LISTED_FILES {
                return Err(FieldIssue::new(
                    name,
                    format!("最多 {MAX_LISTED_FILES} 个文件"),
                ));
            }
            next.extend((0..items.len()).map(|i| (format!("{name}[{i}]"), format!("{at}/{i}"))));
        }
        places = next;
    }
    Ok(places)
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a `holiday_calendar` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct HolidayCalendarData {
    pub year: i32,
    /// Every day off: the public holidays and the days joined to them.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays made working days (调休).
    pub working_weekends: Vec<NaiveDate>,
}

impl From<HolidayCalendarData> for mz_domain::HolidayCalendar {
    fn from(data: HolidayCalendarData) -> Self {
        mz_domain::HolidayCalendar {
            year: data.year,
            holidays: data.holidays.into_iter().collect(),
            working_weekends: data.working_weekends.into_iter().collect(),
        }
    }
}

impl From<mz_domain::HolidayCalendar> for HolidayCalendarData {
    fn from(calendar: mz_domain::HolidayCalendar) -> Self {
        HolidayCalendarData {
            year: calendar.year,
            holidays: calendar.holidays.into_iter().collect(),
            working_weekends: calendar.working_weekends.into_iter().collect(),
        }
    }
}

/// Where a marriage registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum MarriageStatus {
    /// The form is filled and checked; the marital-status check and the
    /// certificate number wait (offline work stops here).
    Prepared,
    /// Registered: the check passed and the certificate number is issued.
    Registered,
    /// Refused (不予登记), with the reason.
    Refused,
}

/// A court's judgement recorded on a registration (撤销 / 无效).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Annulment {
    /// `revoked` (撤销, art. 1052/1053) or `void` (无效, art. 1051).
    #[schema(value_type = String)]
    pub kind: mz_domain::marriage::AnnulmentKind,
    pub court: String,
    pub judgement_no: String,
    pub decided_on: NaiveDate,
}

/// A certificate issued again to one holder (补领): the lost one is replaced
/// by this number (BJ for a marriage, BL for a divorce).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Reissue {
    pub certificate_no: String,
    pub issued_on: NaiveDate,
    /// The holder: 0 or 1, as in `parties`.
    pub holder: u8,
}

/// The body of a `marriage_registration` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct MarriageRegistrationData {
    /// The day of registration; the ages are counted on it.
    pub registered_on: NaiveDate,
    /// The man and the woman, in either order.
    #[schema(value_type = Vec<Object>)]
    pub parties: [mz_domain::marriage::Party; 2],
    #[schema(value_type = Object)]
    pub statements: mz_domain::marriage::Statements,
    pub status: MarriageStatus,
    /// J + the office's region + year + serial, from this counter's block.
    #[serde(default)]
    pub certificate_no: Option<String>,
    /// The platform's marital-status check that cleared both parties.
    #[serde(default)]
    pub status_check: Option<uuid::Uuid>,
    /// Why registration was refused.
    #[serde(default)]
    pub refusal_reason: Option<String>,
    /// Numbers spoiled in printing for this record: void, never reused.
    #[serde(default)]
    pub voided_numbers: Vec<String>,
    /// The online appointment the couple came with, if any.
    #[serde(default)]
    pub appointment_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub annulment: Option<Annulment>,
    /// Certificates issued again, oldest first.
    #[serde(default)]
    pub reissues: Vec<Reissue>,
    /// The couple's photo, a blob named by its hash (fetched on its own).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub photo: Option<mz_domain::marriage::Photo>,
}

/// A person as a booking names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct AppointmentParty {
    pub name: String,
    pub id_number: String,
}

/// Where a booking stands on its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Booked,
    /// Came and took a queue number.
    CheckedIn,
    NoShow,
    /// Their business was done (registered, refused, received).
    Served,
}

/// The body of a `marriage_appointment` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct AppointmentData {
    pub date: NaiveDate,
    /// The booked period, e.g. `09:00-09:30`.
    pub slot: String,
    #[schema(value_type = String, example = "marriage")]
    pub business: mz_domain::marriage::Business,
    pub party_a: AppointmentParty,
    #[serde(default)]
    pub party_b: Option<AppointmentParty>,
    #[serde(default)]
    pub phone: String,
    pub status: AppointmentStatus,
    /// The queue number of the day, given at check-in.
    #[serde(default)]
    pub queue_no: Option<u32>,
}

/// Where a divorce by agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum DivorceStatus {
    /// Application received (受理); the cooling-off periods run.
    Received,
    /// A party withdrew inside the first period (撤回).
    Withdrawn,
    /// Nobody came for the certificate in the second period (视为撤回).
    DeemedWithdrawn,
    /// Both came in the second period: registered, the certificate issued.
    Registered,
    /// Refused (不予登记), with the reason.
    Refused,
}

/// A withdrawal of the application by one party (撤回离婚登记申请).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DivorceWithdrawal {
    pub on: NaiveDate,
    /// Which party withdrew: 0 or 1, as in `parties`.
    pub by: u8,
}

/// The body of a `divorce_registration` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DivorceRegistrationData {
    /// The day the application was received; not counted in the periods.
    pub received_on: NaiveDate,
    #[schema(value_type = Vec<Object>)]
    pub parties: [mz_domain::marriage::Party; 2],
    /// The number on the marriage certificates they hand in, as written.
    pub marriage_certificate_no: String,
    /// The registration of that marriage, when the registry holds it; the
    /// platform fills it in.
    #[serde(default)]
    pub marriage_record_id: Option<uuid::Uuid>,
    /// The periods, counted with the holiday calendar at receipt.
    #[schema(value_type = Object)]
    pub periods: mz_domain::marriage::CoolingOff,
    pub status: DivorceStatus,
    #[serde(default)]
    pub withdrawal: Option<DivorceWithdrawal>,
    /// The day of registration, once registered.
    #[serde(default)]
    pub registered_on: Option<NaiveDate>,
    /// L + the office's region + year + serial, from this counter's block.
    #[serde(default)]
    pub certificate_no: Option<String>,
    #[serde(default)]
    pub refusal_reason: Option<String>,
    /// Numbers spoiled in printing for this record: void, never reused.
    #[serde(default)]
    pub voided_numbers: Vec<String>,
    #[serde(default)]
    pub appointment_id: Option<uuid::Uuid>,
    /// Certificates issued again, oldest first.
    #[serde(default)]
    pub reissues: Vec<Reissue>,
}

/// The most a document draft may weigh, serialised (about 40,000 characters
/// of Chinese text, some 70 pages).
pub const MAX_DRAFT_BYTES: usize = 128 * 1024;

/// The body of a `document_draft` record: the document as far as it is
/// written. It has the input's shape (unknown fields are refused), but an
/// unfinished draft may still break the standard's rules; those are checked
/// when it is printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct DocumentDraftData {
    pub document: crate::documents::OfficialDocument,
}

/// One change of a record, as its history lists it
/// (`GET /api/v1/records/{kind}/{id}/history`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct HistoryEntry {
    pub seq: i64,
    pub version: i64,
    #[ts(type = "string")]
    pub changed_at: chrono::DateTime<chrono::Utc>,
    /// Who made the change (display name).
    pub user: String,
    /// The device it was made on.
    pub device: String,
    pub deleted: bool,
    /// The record after the change.
    #[ts(type = "any")]
    pub data: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use serde_json::json;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 9, 9];

    #[test]
    fn every_kind_the_search_finds_says_the_day_it_is_about() {
        for kind in RecordKind::ALL {
            let spec = kind.spec();
            if spec.people.is_some() || spec.searched.is_some() {
                assert!(spec.dated.is_some(), "{kind} is found but has no day");
            }
        }
    }

    #[test]
    fn a_registration_names_its_photo_and_nothing_else_names_files() {
        let photo = mz_domain::blob::BlobRef::of("image/jpeg", JPEG);
        let body = json!({ "photo": photo, "parties": [] });
        let found = RecordKind::MarriageRegistration.blobs(&body).unwrap();
        assert_eq!(found, vec![("photo".to_owned(), photo.clone())]);
        assert!(
            RecordKind::MarriageRegistration
                .blobs(&json!({ "photo": null }))
                .unwrap()
                .is_empty()
        );
        assert!(RecordKind::DocumentDraft.blobs(&body).unwrap().is_empty());
        // A photo field that is not a reference is an issue with its field.
        let inline = json!({ "photo": { "media_type": "image/jpeg", "data": "AAAA" } });
        let issue = RecordKind::MarriageRegistration.blobs(&inline).unwrap_err();
        assert_eq!(issue.field, "photo");
    }

    /// A reference as a desk makes it for a file of `kind` of `size` bytes.
    fn file(kind: MediaType, size: u64, seed: u8) -> mz_domain::blob::BlobRef {
        mz_domain::blob::BlobRef {
            media_type: kind.as_str().to_owned(),
            sha256: mz_domain::blob::sha256_hex(&[seed]),
            size,
        }
    }

    fn attached(files: &[mz_domain::blob::BlobRef]) -> serde_json::Value {
        let attachments: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                json!({ "name": format!("附件{}", i + 1), "file": f,
                        "by": { "user_id": "u1", "name": "张三" }, "at": "2026-03-05T09:00:00" })
            })
            .collect();
        json!({ "title": "关于印发统计表的通知", "attachments": attachments })
    }

    use mz_domain::blob::MediaType;

    #[test]
    fn an_office_document_names_the_file_of_each_attachment() {
        let files = [
            file(MediaType::Pdf, 1000, 1),
            file(MediaType::Docx, 2000, 2),
            file(MediaType::Xlsx, 3000, 3),
            file(MediaType::Ofd, 4000, 4),
            file(MediaType::Png, 5000, 5),
            file(
                MediaType::Jpeg,
                crate::office::MAX_ATTACHMENT_BYTES as u64,
                6,
            ),
        ];
        let found = RecordKind::OfficeDocument.blobs(&attached(&files)).unwrap();
        let expected: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("attachments[{i}].file"), f.clone()))
            .collect();
        assert_eq!(found, expected);
        // None attached, or the list absent or null: no files.
        for body in [
            attached(&[]),
            json!({ "title": "无附件" }),
            json!({ "attachments": null }),
        ] {
            assert_eq!(RecordKind::OfficeDocument.blobs(&body).unwrap(), vec![]);
        }
        // The typed body says the same.
        let mut body = crate::office::OfficeDocumentData::blank(
            crate::office::Direction::Outgoing,
            mz_domain::office::DocKind::Notice,
        );
        body.attachments = serde_json::from_value(attached(&files)["attachments"].clone()).unwrap();
        let typed = serde_json::to_value(&body).unwrap();
        assert_eq!(RecordKind::OfficeDocument.blobs(&typed).unwrap(), expected);
    }

    #[test]
    fn an_attachment_at_fault_is_named_by_its_place_in_the_list() {
        let good = file(MediaType::Pdf, 1000, 1);
        let cases = [
            // A kind of file no attachment is.
            (
                mz_domain::blob::BlobRef {
                    media_type: "image/gif".to_owned(),
                    ..good.clone()
                },
                "只接受",
            ),
            // Over the attachments' cap of 10 MB.
            (
                file(
                    MediaType::Docx,
                    crate::office::MAX_ATTACHMENT_BYTES as u64 + 1,
                    2,
                ),
                "10 MB",
            ),
            (
                mz_domain::blob::BlobRef {
                    sha256: "not a hash".to_owned(),
                    ..good.clone()
                },
                "SHA-256",
            ),
        ];
        for (wrong, says) in cases {
            let body = attached(&[good.clone(), good.clone(), wrong]);
            let issue = RecordKind::OfficeDocument.blobs(&body).unwrap_err();
            assert_eq!(issue.field, "attachments[2].file");
            assert!(issue.message.contains(says), "{issue:?}");
        }
        // An element whose file is no reference at all.
        let mut body = attached(std::slice::from_ref(&good));
        body["attachments"][0]["file"] = json!("附件.pdf");
        let issue = RecordKind::OfficeDocument.blobs(&body).unwrap_err();
        assert_eq!(issue.field, "attachments[0].file");
    }

    #[test]
    fn each_field_takes_its_own_kinds_of_file() {
        let word = file(MediaType::Docx, 1000, 1);
        let pdf = file(MediaType::Pdf, 1000, 2);
        // A photo is a picture: a PDF or a Word file is refused.
        for wrong in [&word, &pdf] {
            let issue = RecordKind::MarriageRegistration
                .blobs(&json!({ "photo": wrong }))
                .unwrap_err();
            assert_eq!(
                (issue.field.as_str(), issue.message.as_str()),
                ("photo", "文件只接受 JPEG 或 PNG 格式")
            );
        }
        // A funeral scan is a picture or a PDF, never a Word file.
        let scan = |file: &mz_domain::blob::BlobRef| {
            RecordKind::FuneralCase.blobs(&json!({ "checks": { "identity": { "scan": file } } }))
        };
        assert_eq!(
            scan(&pdf).unwrap(),
            vec![("checks.identity.scan".to_owned(), pdf.clone())]
        );
        let issue = scan(&word).unwrap_err();
        assert_eq!(issue.field, "checks.identity.scan");
        assert!(issue.message.contains("JPEG、PNG 或 PDF"), "{issue:?}");
        // Each field keeps its own cap under the platform's largest.
        let big_scan = file(MediaType::Pdf, crate::funeral::MAX_SCAN_BYTES as u64 + 1, 3);
        assert!(scan(&big_scan).is_err());
        for kind in RecordKind::ALL {
            for field in kind.blob_fields() {
                assert!(field.max_bytes <= mz_domain::blob::MAX_BLOB_BYTES, "{kind}");
                assert!(!field.media_types.is_empty(), "{kind}");
            }
        }
    }

    #[test]
    fn a_list_names_at_most_fifty_files() {
        let files: Vec<_> = (0..=MAX_LISTED_FILES as u8)
            .map(|i| file(MediaType::Pdf, 100, i))
            .collect();
        let issue = RecordKind::OfficeDocument
            .blobs(&attached(&files))
            .unwrap_err();
        assert_eq!(issue.field, "attachments");
        assert!(issue.message.contains("50"), "{issue:?}");
        let fifty = attached(&files[..MAX_LISTED_FILES]);
        assert_eq!(RecordKind::OfficeDocument.blobs(&fifty).unwrap().len(), 50);
        // A list that is no list is named too.
        let issue = RecordKind::OfficeDocument
            .blobs(&json!({ "attachments": { "file": files[0] } }))
            .unwrap_err();
        assert_eq!(issue.field, "attachments");
    }

    #[test]
    fn an_inline_photo_is_lifted_into_a_reference() {
        let data = base64::engine::general_purpose::STANDARD.encode(JPEG);
        let mut body = json!({ "photo": { "media_type": "image/jpeg", "data": data }, "status": "registered" });
        let lifted = RecordKind::MarriageRegistration
            .lift_inline_blobs(&mut body)
            .unwrap();
        let reference = mz_domain::blob::BlobRef::of("image/jpeg", JPEG);
        assert_eq!(lifted, vec![(reference.clone(), JPEG.to_vec())]);
        assert_eq!(body["photo"], serde_json::to_value(&reference).unwrap());
        assert_eq!(body["status"], "registered");
        // Lifting again finds nothing: the body already names a blob.
        assert!(
            RecordKind::MarriageRegistration
                .lift_inline_blobs(&mut body)
                .unwrap()
                .is_empty()
        );
        let mut broken = json!({ "photo": { "media_type": "image/jpeg", "data": "不是base64" } });
        let issue = RecordKind::MarriageRegistration
            .lift_inline_blobs(&mut broken)
            .unwrap_err();
        assert_eq!(issue.field, "photo");
    }
}
