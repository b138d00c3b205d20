//! The local index of people, shared by every module: a clerk types a name
//! (two characters are enough: 张三), the start of an identity number, or
//! pinyin — initials (zs) or in full (zhangsan) — and gets the records those
//! people appear in.
//!
//! Each person of a record becomes a row of `people` and a handful of keys
//! in `person_keys`, one B-tree: `g:` every two-character run of the name
//! (a substring of two or more characters is found through its first pair,
//! then checked), `n:` the name (a one-character query is a surname), `d:` the
//! document number, `i:`/`p:` initials and full pinyin. A character with
//! several readings (曾 céng/zēng, 单 shàn/dān) adds a key for each reading,
//! up to [`MAX_READINGS`] spellings per name. Every lookup is a range scan of
//! that one index, so a query costs the same at a thousand people as at a
//! million.
//!
//! The index follows the records: whatever changes a record's local view
//! calls [`reindex`] in the same transaction.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use mz_api::records::RecordKind;
use pinyin::{Pinyin, ToPinyinMulti};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Store, StoreError, StoreResult};
use ts_rs::TS;

/// Spellings kept per name when characters have several readings.
pub const MAX_READINGS: usize = 8;

/// A person as a record names them, for the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// What the person is in the record, e.g. 男方, 逝者.
    pub role: String,
    pub name: String,
    /// The identity document's number, as stored (may be empty).
    pub doc_number: String,
}

/// One person found, with the record they appear in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonHit {
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub role: String,
    pub name: String,
    pub doc_number: String,
    /// The record's unit (a record not yet synced is its writer's,
    /// [`Within::own_unit`]).
    pub unit: Option<String>,
    /// The day the record is about ([`mz_api::records::KindSpec::dated`]).
    #[ts(type = "string | null")]
    pub day: Option<NaiveDate>,
}

/// What 综合查询 is narrowed to: a unit's records and days (both ends
/// included; a record about no day is outside any range). Empty: all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Within {
    /// The unit whose records are wanted (the platform's `org_unit`).
    pub unit: Option<String>,
    /// The unit of this desk's user: a record written here and not yet
    /// synced has no unit from the platform, and is theirs.
    pub own_unit: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Within {
    /// The condition on `r` (the records) with its four values bound from
    /// `?first` on, and the values in that order.
    pub(crate) fn clause(&self, first: usize) -> (String, [Option<String>; 4]) {
        let (u, o, f, t) = (first, first + 1, first + 2, first + 3);
        (
            format!(
                "(?{u} IS NULL OR COALESCE(r.org_unit, ?{o}) = ?{u}) \
                 AND (?{f} IS NULL OR r.day >= ?{f}) AND (?{t} IS NULL OR r.day <= ?{t})"
            ),
            [
                self.unit.clone(),
                self.own_unit.clone(),
                self.from.map(|d| d.format("%Y-%m-%d").to_string()),
                self.to.map(|d| d.format("%Y-%m-%d").to_string()),
            ],
        )
    }

    /// Whether it narrows anything.
    pub fn is_everything(&self) -> bool {
        self.unit.is_none() && self.from.is_none() && self.to.is_none()
    }
}

/// A day as the index keeps it (`YYYY-MM-DD`); what is not one is an error
/// naming the record.
pub(crate) fn read_day(day: Option<String>) -> StoreResult<Option<NaiveDate>> {
    day.map(|text| {
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| StoreError::BadMeta(format!("a record's day reads {text:?}")))
    })
    .transpose()
}

/// What a query string is taken to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Query {
    /// Chinese characters (or a foreign name): the name contains it.
    Name(String),
    /// Digits (and a trailing X): the document number starts with it.
    DocPrefix(String),
    /// Latin letters: initials or full pinyin start with it.
    Pinyin(String),
}

fn classify(input: &str) -> Option<Query> {
    let text: String = input.split_whitespace().collect();
    if text.is_empty() {
        return None;
    }
    if text.chars().any(|c| c.is_ascii_digit()) {
        return Some(Query::DocPrefix(text.to_ascii_uppercase()));
    }
    if text.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(Query::Pinyin(text.to_ascii_lowercase()));
    }
    Some(Query::Name(input.trim().to_owned()))
}

/// The people a record names, as its kind says ([`mz_api::records::KindSpec::people`]).
/// A body that does not read as its kind is an error naming the record.
pub(crate) fn people_of(
    kind: RecordKind,
    id: Uuid,
    data: &serde_json::Value,
) -> StoreResult<Vec<Person>> {
    let Some(people) = kind.spec().people else {
        return Ok(Vec::new());
    };
    let named = people(data).map_err(|source| StoreError::BadRecord {
        kind: kind.to_string(),
        id,
        source,
    })?;
    Ok(named
        .into_iter()
        .map(|n| Person {
            role: n.role.to_owned(),
            name: n.name,
            doc_number: n.doc_number,
        })
        .collect())
}

/// Rebuilds the index rows of one record from its current local view: its
/// people, its terms in the full-text index (`texts.rs`) and the day it is
/// about (`records.day`, by which 综合查询 narrows to dates). The body is
/// read and parsed once for the three.
pub(crate) fn reindex(conn: &Connection, kind: RecordKind, id: Uuid) -> StoreResult<()> {
    let spec = kind.spec();
    if spec.people.is_none() && spec.searched.is_none() && spec.dated.is_none() {
        return Ok(());
    }
    let data: Option<String> = conn
        .query_row(
            "SELECT data FROM records WHERE kind = ?1 AND id = ?2 AND deleted = 0",
            params![kind.as_str(), id.to_string()],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let value: Option<serde_json::Value> = data
        .map(|text| serde_json::from_str(&text).map_err(StoreError::Malformed))
        .transpose()?;
    crate::texts::reindex(conn, kind, id, value.as_ref())?;
    if let Some(value) = &value {
        redate(conn, kind, id, value)?;
    }
    if spec.people.is_none() {
        return Ok(());
    }
    let people = match &value {
        Some(value) => people_of(kind, id, value)?,
        None => Vec::new(),
    };
    put_people(conn, kind, id, &people)
}

/// Keeps the day a live record is about beside it, as its kind reads it
/// ([`mz_api::records::KindSpec::dated`]).
fn redate(
    conn: &Connection,
    kind: RecordKind,
    id: Uuid,
    value: &serde_json::Value,
) -> StoreResult<()> {
    let Some(dated) = kind.spec().dated else {
        return Ok(());
    };
    let day = dated(value).map_err(|source| StoreError::BadRecord {
        kind: kind.to_string(),
        id,
        source,
    })?;
    conn.prepare_cached("UPDATE records SET day = ?1 WHERE kind = ?2 AND id = ?3")?
        .execute(params![
            day.map(|d| d.format("%Y-%m-%d").to_string()),
            kind.as_str(),
            id.to_string()
        ])?;
    Ok(())
}

/// Sets the day of every live record of a dated kind (a cache made before
/// the days were kept).
pub(crate) fn redate_all(conn: &Connection) -> StoreResult<()> {
    each_live(
        conn,
        |spec| spec.dated.is_some(),
        |kind, id, value| match value {
            Some(value) => redate(conn, kind, id, &value),
            None => Ok(()),
        },
    )
}

/// Runs `each` over every live record of the kinds `wanted` picks, with its
/// body parsed (`None` for a record without one): a migration's walk.
pub(crate) fn each_live(
    conn: &Connection,
    wanted: fn(&mz_api::records::KindSpec) -> bool,
    mut each: impl FnMut(RecordKind, Uuid, Option<serde_json::Value>) -> StoreResult<()>,
) -> StoreResult<()> {
    for kind in RecordKind::ALL.into_iter().filter(|k| wanted(k.spec())) {
        let rows: Vec<(String, Option<String>)> = conn
            .prepare("SELECT id, data FROM records WHERE kind = ?1 AND deleted = 0")?
            .query_map(params![kind.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, data) in rows {
            let id = Uuid::parse_str(&id).map_err(|_| StoreError::BadRecordId(id))?;
            let value = data
                .map(|text| serde_json::from_str(&text).map_err(StoreError::Malformed))
                .transpose()?;
            each(kind, id, value)?;
        }
    }
    Ok(())
}

/// Replaces the people indexed for a record.
fn put_people(conn: &Connection, kind: RecordKind, id: Uuid, people: &[Person]) -> StoreResult<()> {
    let record = id.to_string();
    // The old keys are derived again from the old rows: one index less to keep.
    let mut old_people = conn.prepare_cached(
        "SELECT id, role, name, doc_number FROM people WHERE kind = ?1 AND record_id = ?2",
    )?;
    let old: Vec<(i64, Person)> = old_people
        .query_map(params![kind.as_str(), record], |row| {
            Ok((
                row.get(0)?,
                Person {
                    role: row.get(1)?,
                    name: row.get(2)?,
                    doc_number: row.get(3)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut drop_key =
        conn.prepare_cached("DELETE FROM person_keys WHERE key = ?1 AND person = ?2")?;
    for (rowid, person) in &old {
        for key in keys_of(person) {
            drop_key.execute(params![key, rowid])?;
        }
    }
    conn.execute(
        "DELETE FROM people WHERE kind = ?1 AND record_id = ?2",
        params![kind.as_str(), record],
    )?;
    let mut add_person = conn.prepare_cached(
        "INSERT INTO people (kind, record_id, role, name, doc_number) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut add_key =
        conn.prepare_cached("INSERT OR IGNORE INTO person_keys (key, person) VALUES (?1, ?2)")?;
    for person in people {
        add_person.execute(params![
            kind.as_str(),
            record,
            person.role,
            person.name,
            person.doc_number
        ])?;
        let rowid = conn.last_insert_rowid();
        for key in keys_of(person) {
            add_key.execute(params![key, rowid])?;
        }
    }
    Ok(())
}

/// The index keys of one person.
fn keys_of(person: &Person) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let name: Vec<char> = person.name.chars().filter(|c| !c.is_whitespace()).collect();
    if !name.is_empty() {
        keys.insert(format!("n:{}", name.iter().collect::<String>()));
    }
    for pair in name.windows(2) {
        keys.insert(format!("g:{}", pair.iter().collect::<String>()));
    }
    let doc = person.doc_number.trim().to_ascii_uppercase();
    if !doc.is_empty() {
        keys.insert(format!("d:{doc}"));
    }
    for (initials, full) in spellings(&name) {
        keys.insert(format!("i:{initials}"));
        keys.insert(format!("p:{full}"));
    }
    keys
}

/// The pinyin spellings of a name as (initials, full) pairs, default
/// readings first. Characters without pinyin (Latin letters, the middle
/// dot, rare characters the table lacks) are kept as they are, lowercased,
/// so that a foreign name is found by its letters.
fn spellings(name: &[char]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = vec![(String::new(), String::new())];
    for &c in name {
        let readings: Vec<&str> = match c.to_pinyin_multi() {
            Some(multi) => multi.into_iter().map(Pinyin::plain).collect(),
            None if c.is_alphabetic() => {
                for (initials, full) in &mut found {
                    initials.extend(c.to_lowercase());
                    full.extend(c.to_lowercase());
                }
                continue;
            }
            None => continue,
        };
        let mut next = Vec::new();
        for reading in readings {
            let reading = reading.replace('ü', "v");
            for (initials, full) in &found {
                if next.len() == MAX_READINGS {
                    break;
                }
                let mut initials = initials.clone();
                initials.extend(reading.chars().next());
                let entry = (initials, format!("{full}{reading}"));
                if !next.contains(&entry) {
                    next.push(entry);
                }
            }
        }
        found = next;
    }
    found.retain(|(initials, _)| !initials.is_empty());
    found
}

/// The range of keys that start with `prefix`: [prefix, prefix + U+10FFFF).
fn prefix_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}\u{10FFFF}"))
}

impl Store {
    /// People whose name contains the query, whose document number starts
    /// with it, or whose pinyin (initials or full) starts with it — at most
    /// `limit`, exact name matches first, then by name.
    pub fn search_people(&self, query: &str, limit: usize) -> StoreResult<Vec<PersonHit>> {
        self.search_people_within(query, &Within::default(), limit)
    }

    /// [`Store::search_people`] over the records `within` a unit and days.
    pub fn search_people_within(
        &self,
        query: &str,
        within: &Within,
        limit: usize,
    ) -> StoreResult<Vec<PersonHit>> {
        let Some(query) = classify(query) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 500) as i64;
        // The values of the query's own are ?1 … ?n, the limit ?n+1, then
        // the four of `within` (the own unit among them, for the select).
        let first = match &query {
            Query::Pinyin(_) => 6,
            Query::Name(_) | Query::DocPrefix(_) => 4,
        };
        let (filter, filter_values) = within.clause(first);
        let own = first + 1;
        let select = format!(
            "SELECT p.kind, p.record_id, p.role, p.name, p.doc_number, \
             COALESCE(r.org_unit, ?{own}), r.day FROM people p \
             LEFT JOIN records r ON r.kind = p.kind AND r.id = p.record_id"
        );
        let (sql, args): (String, Vec<String>) = match &query {
            Query::Name(name) if name.chars().count() == 1 => {
                let (from, to) = prefix_range(&format!("n:{name}"));
                (
                    format!(
                        "{select} JOIN person_keys k ON k.person = p.id \
                         WHERE k.key >= ?1 AND k.key < ?2 AND {filter} ORDER BY k.key LIMIT ?3"
                    ),
                    vec![from, to],
                )
            }
            Query::Name(name) => {
                let pair: String = name
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .take(2)
                    .collect();
                (
                    format!(
                        "{select} JOIN person_keys k ON k.person = p.id \
                         WHERE k.key = ?1 AND instr(p.name, ?2) > 0 AND {filter} \
                         ORDER BY p.name <> ?2, p.name LIMIT ?3"
                    ),
                    vec![format!("g:{pair}"), name.clone()],
                )
            }
            Query::DocPrefix(prefix) => {
                let (from, to) = prefix_range(&format!("d:{prefix}"));
                (
                    format!(
                        "{select} JOIN person_keys k ON k.person = p.id \
                         WHERE k.key >= ?1 AND k.key < ?2 AND {filter} ORDER BY k.key LIMIT ?3"
                    ),
                    vec![from, to],
                )
            }
            Query::Pinyin(letters) => {
                let (i_from, i_to) = prefix_range(&format!("i:{letters}"));
                let (p_from, p_to) = prefix_range(&format!("p:{letters}"));
                (
                    format!(
                        "{select} WHERE p.id IN ( \
                           SELECT person FROM (SELECT person FROM person_keys WHERE key >= ?1 AND key < ?2 LIMIT ?5) \
                           UNION \
                           SELECT person FROM (SELECT person FROM person_keys WHERE key >= ?3 AND key < ?4 LIMIT ?5)) \
                         AND {filter} ORDER BY p.name LIMIT ?5"
                    ),
                    vec![i_from, i_to, p_from, p_to],
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut bound: Vec<&dyn rusqlite::ToSql> =
            args.iter().map(|a| a as &dyn rusqlite::ToSql).collect();
        bound.push(&limit);
        bound.extend(filter_values.iter().map(|v| v as &dyn rusqlite::ToSql));
        let rows = stmt.query_map(bound.as_slice(), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (kind, record_id, role, name, doc_number, unit, day) = row?;
            let kind = RecordKind::parse(&kind).ok_or(StoreError::UnknownKind(kind))?;
            let record_id = record_id
                .parse()
                .map_err(|_| StoreError::BadRecordId(record_id))?;
            hits.push(PersonHit {
                kind,
                record_id,
                role,
                name,
                doc_number,
                unit,
                day: read_day(day)?,
            });
        }
        Ok(hits)
    }

    /// Indexes many people at once, each under its record, in one
    /// transaction (used to build the index from records in bulk).
    pub fn index_people(&mut self, entries: &[(RecordKind, Uuid, Vec<Person>)]) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for (kind, id, people) in entries {
            put_people(&tx, *kind, *id, people)?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(name: &str) -> Vec<(String, String)> {
        spellings(&name.chars().collect::<Vec<_>>())
    }

    #[test]
    fn initials_and_full_pinyin() {
        assert_eq!(spell("张三"), vec![("zs".into(), "zhangsan".into())]);
        assert_eq!(
            spell("吕布").first().unwrap(),
            &("lb".into(), "lvbu".into())
        );
    }

    #[test]
    fn surnames_with_two_readings_are_found_by_both() {
        let all: Vec<String> = spell("曾国藩").into_iter().map(|(_, full)| full).collect();
        assert!(all.iter().any(|f| f.starts_with("zeng")), "{all:?}");
        assert!(all.iter().any(|f| f.starts_with("ceng")), "{all:?}");
        assert!(spell("单田芳").len() <= MAX_READINGS);
    }

    #[test]
    fn letters_and_rare_characters_keep_the_name_findable() {
        assert_eq!(
            spell("阿依·John").first().unwrap(),
            &("ayjohn".into(), "ayijohn".into())
        );
        let person = Person {
            role: "男方".into(),
            name: "王䶮".into(),
            doc_number: "43010219900307001x".into(),
        };
        let keys = keys_of(&person);
        assert!(keys.contains("g:王䶮"));
        assert!(keys.contains("d:43010219900307001X"));
        assert!(keys.iter().any(|k| k.starts_with("i:w")));
    }

    #[test]
    fn a_query_is_taken_for_what_it_looks_like() {
        assert_eq!(classify(" 张三 "), Some(Query::Name("张三".into())));
        assert_eq!(classify("4301"), Some(Query::DocPrefix("4301".into())));
        assert_eq!(
            classify("zhang san"),
            Some(Query::Pinyin("zhangsan".into()))
        );
        assert_eq!(classify("   "), None);
    }
}
