//! 综合查询 on the desk: one query over every record this desk holds — the
//! people the records name (a name, two characters of it, an identity or
//! certificate number, pinyin) and the texts the kinds are found by (a
//! document's title and body, an activity, a library item) — each hit with
//! its module, what it is, and its id for the module's page to open. What
//! the user may not read never reaches this desk: the platform's pull gives
//! each desk only what the access table lets its user read, so it cannot be
//! found here either.

use chrono::NaiveDate;
use mz_api::records::RecordKind;
use mz_domain::AppModule;
use mz_domain::fulltext;
use mz_store::Within;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// The most hits of one kind.
const PER_KIND: usize = 20;
const SNIPPET_CHARS: usize = 80;

/// The longest unit code a filter takes.
const MAX_UNIT_CHARS: usize = 64;

/// What 综合查询 is narrowed to, beside its words: a module, a unit, days
/// (both ends included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchFilter {
    #[serde(default)]
    pub module: Option<AppModule>,
    /// A unit's code, as the hits carry it.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
}

/// What 综合查询 found, and the units among what it found before the unit
/// filter (to narrow by).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchFound {
    pub hits: Vec<FoundRecord>,
    pub units: Vec<UnitCount>,
}

/// A unit among the hits, with how many are its.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnitCount {
    pub code: String,
    /// Its name, as the platform last said it; the code when never heard.
    pub name: String,
    pub count: u32,
}

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
    /// The unit whose record it is (its code).
    pub unit: Option<String>,
    /// The day it is about (a registration's, a case's call, an activity's,
    /// a document's receipt or drafting, a library version's).
    #[ts(type = "string | null")]
    pub day: Option<NaiveDate>,
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

impl SearchFilter {
    /// What is wrong with it, by field: a unit code too long, days the
    /// wrong way round.
    fn issues(&self) -> Vec<mz_domain::FieldIssue> {
        let mut issues = Vec::new();
        if self
            .unit
            .as_ref()
            .is_some_and(|u| u.chars().count() > MAX_UNIT_CHARS || u.trim().is_empty())
        {
            issues.push(mz_domain::FieldIssue::new("unit", "单位不存在"));
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to < from
        {
            issues.push(mz_domain::FieldIssue::new("to", "结束日期早于开始日期"));
        }
        issues
    }
}

impl ClientApp {
    /// Every record this desk holds that the query finds within `filter`,
    /// people first (a name or a number is what a clerk types most), then
    /// texts by kind, best first; with the units among the hits before the
    /// unit filter, each named.
    pub fn search_everything(&self, q: &str, filter: &SearchFilter) -> AppResult<SearchFound> {
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
        let issues = filter.issues();
        if !issues.is_empty() {
            return Err(AppError::Rules(issues));
        }
        let own_unit = self.user()?.map(|u| u.org_unit.code);
        let mut within = Within {
            unit: None,
            own_unit,
            from: filter.from,
            to: filter.to,
        };
        // The units come from the hits without the unit filter; a unit
        // chosen is then a second, narrowed query (the caps apply to it).
        let all = self.found(trimmed, filter.module, &within)?;
        let names = self.unit_names()?;
        let mut counts = std::collections::BTreeMap::<String, u32>::new();
        for unit in all.iter().filter_map(|hit| hit.unit.clone()) {
            *counts.entry(unit).or_default() += 1;
        }
        let units = counts
            .into_iter()
            .map(|(code, count)| UnitCount {
                name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                code,
                count,
            })
            .collect();
        let hits = match &filter.unit {
            None => all,
            Some(unit) => {
                within.unit = Some(unit.clone());
                self.found(trimmed, filter.module, &within)?
            }
        };
        Ok(SearchFound { hits, units })
    }

    /// The hits of one query within a unit and days.
    fn found(
        &self,
        trimmed: &str,
        module: Option<AppModule>,
        within: &Within,
    ) -> AppResult<Vec<FoundRecord>> {
        let wanted = |kind: RecordKind| {
            let of = module_of(kind);
            of.is_some() && (module.is_none() || of == module)
        };
        let store = self.store()?;
        let mut hits = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for person in store.search_people_within(trimmed, within, 200)? {
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
                unit: person.unit,
                day: person.day,
            });
        }
        // Texts: only a query of two characters or more reads them.
        if let Ok(query) = fulltext::parse_query("q", trimmed) {
            for kind in RecordKind::ALL {
                let Some(searched) = kind.spec().searched.filter(|_| wanted(kind)) else {
                    continue;
                };
                let Some(of) = module_of(kind) else { continue };
                for text in store.search_texts(kind, &query, within, PER_KIND)? {
                    if !seen.insert((kind, text.id)) {
                        continue;
                    }
                    let found = searched(&text.data)?;
                    hits.push(FoundRecord {
                        module: of,
                        kind,
                        id: text.id,
                        what: what_of(kind).to_owned(),
                        title: found.title,
                        detail: fulltext::snippet(&found.text, &query, SNIPPET_CHARS),
                        unit: text.unit,
                        day: text.day,
                    });
                }
            }
        }
        Ok(hits)
    }

    /// The names of the units this desk has heard of: as the platform last
    /// listed them ([`ClientApp::refresh_unit_names`]), and its user's own.
    pub fn unit_names(&self) -> AppResult<std::collections::BTreeMap<String, String>> {
        let mut names: std::collections::BTreeMap<String, String> = match self
            .store()?
            .setting(UNIT_NAMES)?
        {
            Some(text) => serde_json::from_str(&text).map_err(mz_store::StoreError::Malformed)?,
            None => Default::default(),
        };
        if let Some(user) = self.user()? {
            names.insert(user.org_unit.code, user.org_unit.name);
        }
        Ok(names)
    }

    /// Asks the platform for its units' names and keeps them for offline
    /// use; what was kept stays when it cannot be reached.
    pub async fn refresh_unit_names(&self) -> AppResult<()> {
        let units = self
            .authorized(|token| {
                let client = self.client.clone();
                async move { client.org_units(&token).await }
            })
            .await?;
        let names: std::collections::BTreeMap<String, String> =
            units.into_iter().map(|u| (u.code, u.name)).collect();
        let text = serde_json::to_string(&names).map_err(mz_store::StoreError::Malformed)?;
        self.store()?.set_setting(UNIT_NAMES, Some(&text))?;
        Ok(())
    }
}

/// The setting that keeps the platform's units' names.
const UNIT_NAMES: &str = "unit_names";
