//! 综合查询 on the desk: one query over every record this desk holds — the
//! people the records name (a name, two characters of it, an identity or
//! certificate number, pinyin) and the texts the kinds are found by (a
//! document's title and body, an activity, a library item) — each hit with
//! its module, what it is, and its id for the module's page to open. What
//! the user may not read never reaches this desk: the platform's pull gives
//! each desk only what the access table lets its user read, so it cannot be
//! found here either.

use mz_api::records::RecordKind;
use mz_domain::AppModule;
use mz_domain::fulltext;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// The most hits of one kind.
const PER_KIND: usize = 20;
const SNIPPET_CHARS: usize = 80;

/// One record found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FoundRecord {
    /// The module whose page opens it.
    pub module: AppModule,
    pub kind: RecordKind,
    pub id: Uuid,
    /// What it is, e.g. 结婚登记, 公文, 资料.
    pub what: String,
    /// Its title, or the person found in it with their part.
    pub title: String,
    /// A passage or a number, with the places found marked (`[start, end)`).
    pub detail: mz_domain::fulltext::Snippet,
}

/// The module whose page shows a kind; `None` for a kind no page lists.
pub fn module_of(kind: RecordKind) -> Option<AppModule> {
    match kind {
        RecordKind::MarriageRegistration
        | RecordKind::MarriageAppointment
        | RecordKind::DivorceRegistration => Some(AppModule::Marriage),
        RecordKind::FuneralCase
        | RecordKind::FuneralHome
        | RecordKind::FuneralBooking
        | RecordKind::FuneralStandard
        | RecordKind::Cemetery
        | RecordKind::CemeteryPlot => Some(AppModule::Funeral),
        RecordKind::ScheduleSetup
        | RecordKind::ScheduleActivity
        | RecordKind::AwayReport
        | RecordKind::ScheduleWeek => Some(AppModule::Schedule),
        RecordKind::OfficeDocument | RecordKind::OfficeTask | RecordKind::OfficeDelegation => {
            Some(AppModule::Office)
        }
        RecordKind::LibraryItem => Some(AppModule::Library),
        RecordKind::DocumentDraft => Some(AppModule::Print),
        RecordKind::HolidayCalendar => None,
    }
}

/// What a kind's record is called in a list of hits.
pub fn what_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::MarriageRegistration => "结婚登记",
        RecordKind::MarriageAppointment => "婚姻登记预约",
        RecordKind::DivorceRegistration => "离婚登记",
        RecordKind::FuneralCase => "殡葬业务",
        RecordKind::FuneralHome => "殡仪馆设置",
        RecordKind::FuneralBooking => "告别厅预约",
        RecordKind::FuneralStandard => "收费标准",
        RecordKind::Cemetery => "公墓",
        RecordKind::CemeteryPlot => "墓穴",
        RecordKind::ScheduleSetup => "日程设置",
        RecordKind::ScheduleActivity => "领导活动",
        RecordKind::AwayReport => "外出报备",
        RecordKind::ScheduleWeek => "周安排表",
        RecordKind::OfficeDocument => "公文",
        RecordKind::OfficeTask => "督办事项",
        RecordKind::OfficeDelegation => "委托办理",
        RecordKind::LibraryItem => "资料",
        RecordKind::DocumentDraft => "公文草稿",
        RecordKind::HolidayCalendar => "节假日安排",
    }
}

impl ClientApp {
    /// Every record this desk holds that the query finds, people first
    /// (a name or a number is what a clerk types most), then texts by kind,
    /// best first; only `module`'s when one is given.
    pub fn search_everything(
        &self,
        q: &str,
        module: Option<AppModule>,
    ) -> AppResult<Vec<FoundRecord>> {
        let trimmed = q.trim();
        if trimmed.is_empty() {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "q",
                "请输入姓名、证件号码、证号或标题中的字",
            )]));
        }
        if trimmed.chars().count() > fulltext::MAX_QUERY_CHARS {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                "q",
                format!("检索词过长：最多 {} 个字", fulltext::MAX_QUERY_CHARS),
            )]));
        }
        let wanted = |kind: RecordKind| {
            let of = module_of(kind);
            of.is_some() && (module.is_none() || of == module)
        };
        let store = self.store()?;
        let mut hits = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for person in store.search_people(trimmed, 200)? {
            let Some(of) = module_of(person.kind).filter(|_| wanted(person.kind)) else {
                continue;
            };
            if !seen.insert((person.kind, person.record_id)) {
                continue;
            }
            let title = if person.name.is_empty() {
                format!("{}：{}", person.role, person.doc_number)
            } else {
                format!("{}（{}）", person.name, person.role)
            };
            let detail = if person.name.is_empty() {
                String::new()
            } else {
                person.doc_number.clone()
            };
            hits.push(FoundRecord {
                module: of,
                kind: person.kind,
                id: person.record_id,
                what: what_of(person.kind).to_owned(),
                title,
                detail: fulltext::Snippet {
                    text: detail,
                    marks: Vec::new(),
                },
            });
        }
        // Texts: only a query of two characters or more reads them.
        if let Ok(query) = fulltext::parse_query("q", trimmed) {
            for kind in RecordKind::ALL {
                let Some(searched) = kind.spec().searched.filter(|_| wanted(kind)) else {
                    continue;
                };
                let Some(of) = module_of(kind) else { continue };
                for (id, _, value) in store.search_texts(kind, &query, PER_KIND)? {
                    if !seen.insert((kind, id)) {
                        continue;
                    }
                    let found = searched(&value)?;
                    hits.push(FoundRecord {
                        module: of,
                        kind,
                        id,
                        what: what_of(kind).to_owned(),
                        title: found.title,
                        detail: fulltext::snippet(&found.text, &query, SNIPPET_CHARS),
                    });
                }
            }
        }
        Ok(hits)
    }
}
