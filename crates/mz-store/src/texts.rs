//! The local full-text index: what the desk finds offline by any two
//! characters (a regulation of the library by a phrase of its body).
//!
//! Each record of a kind that says what it is searched by
//! ([`mz_api::records::KindSpec::searched`]) is a row of `texts` and, in
//! FTS5, the terms of its title and of its text (`mz_domain::fulltext`: the
//! pairs of its characters as ASCII words, the very terms the platform
//! indexes), beside its kind as one term. The FTS5 table keeps no copy of
//! the text (the record has it), and a query is a phrase per word and the
//! kind, ranked by bm25 with the title weighed ten times and cut inside FTS5. The index follows the records: [`reindex`] runs wherever the
//! people index is rebuilt, in the same transaction.

use mz_api::records::RecordKind;
use mz_domain::fulltext::{self, Query};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::search::Within;
use crate::{Store, StoreError, StoreResult};

/// A record found by its text, with its unit and day.
#[derive(Debug, Clone, PartialEq)]
pub struct TextHit {
    pub id: Uuid,
    pub version: i64,
    pub data: serde_json::Value,
    pub unit: Option<String>,
    pub day: Option<chrono::NaiveDate>,
}

pub(crate) const MIGRATION: &str = "CREATE TABLE texts (
         doc       INTEGER PRIMARY KEY,
         kind      TEXT NOT NULL,
         record_id TEXT NOT NULL,
         UNIQUE (kind, record_id)
     );
     CREATE VIRTUAL TABLE texts_fts USING fts5(
         kind, title, body,
         content = '', contentless_delete = 1,
         tokenize = 'unicode61'
     );
     INSERT INTO texts_fts (texts_fts, rank) VALUES ('rank', 'bm25(0.0, 10.0, 1.0)');";

/// A kind as the one term of the index's `kind` column (`libraryitem`):
/// a query of one kind is ranked inside FTS5 and read no further than it
/// needs.
fn kind_term(kind: RecordKind) -> String {
    kind.as_str().replace('_', "")
}

/// Rebuilds one record's terms from its current local view, `value` (takes
/// them out when it is deleted or gone: `None`).
pub(crate) fn reindex(
    conn: &Connection,
    kind: RecordKind,
    id: Uuid,
    value: Option<&serde_json::Value>,
) -> StoreResult<()> {
    let Some(searched) = kind.spec().searched else {
        return Ok(());
    };
    let record = id.to_string();
    let doc: Option<i64> = conn
        .prepare_cached("SELECT doc FROM texts WHERE kind = ?1 AND record_id = ?2")?
        .query_row(params![kind.as_str(), record], |row| row.get(0))
        .optional()?;
    if let Some(doc) = doc {
        conn.execute("DELETE FROM texts_fts WHERE rowid = ?1", params![doc])?;
        conn.execute("DELETE FROM texts WHERE doc = ?1", params![doc])?;
    }
    let Some(value) = value else {
        return Ok(());
    };
    let found = searched(value).map_err(|e| {
        StoreError::BadMeta(format!(
            "{} {id} does not read as its kind: {e}",
            kind.as_str()
        ))
    })?;
    conn.execute(
        "INSERT INTO texts (kind, record_id) VALUES (?1, ?2)",
        params![kind.as_str(), record],
    )?;
    let doc = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO texts_fts (rowid, kind, title, body) VALUES (?1, ?2, ?3, ?4)",
        params![
            doc,
            kind_term(kind),
            fulltext::index_text(&found.title),
            fulltext::index_text(&found.text)
        ],
    )?;
    Ok(())
}

/// Indexes every cached record of the kinds searched by text (a cache made
/// before the index).
pub(crate) fn reindex_all(conn: &Connection) -> StoreResult<()> {
    crate::search::each_live(
        conn,
        |spec| spec.searched.is_some(),
        |kind, id, value| reindex(conn, kind, id, value.as_ref()),
    )
}

impl Store {
    /// How many live records of `kind` this cache holds (read from the
    /// index of records, no body parsed).
    pub fn count_live(&self, kind: RecordKind) -> StoreResult<usize> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM records WHERE kind = ?1 AND deleted = 0",
            params![kind.as_str()],
            |row| row.get(0),
        )?;
        Ok(count as usize)
    }

    /// The cached records of `kind` that hold every word of `query`, best
    /// first (bm25, the title ten times the text), at most `limit`, of
    /// those `within` a unit and days.
    pub fn search_texts(
        &self,
        kind: RecordKind,
        query: &Query,
        within: &Within,
        limit: usize,
    ) -> StoreResult<Vec<TextHit>> {
        let (filter, filter_values) = within.clause(3);
        // Unnarrowed, ranked and cut inside FTS5 (its `rank` is bm25 with the
        // title ten times the text), then joined to the records; narrowed,
        // the records' unit and day are read before the cut.
        let sql = if within.is_everything() {
            format!(
                "SELECT r.id, r.version, r.data, COALESCE(r.org_unit, ?4), r.day FROM \
                 (SELECT rowid AS doc, rank FROM texts_fts WHERE texts_fts MATCH ?1 \
                  ORDER BY rank LIMIT ?2) f \
                 JOIN texts t ON t.doc = f.doc \
                 JOIN records r ON r.kind = t.kind AND r.id = t.record_id AND r.deleted = 0 \
                 WHERE {filter} ORDER BY f.rank, r.id"
            )
        } else {
            format!(
                "SELECT r.id, r.version, r.data, COALESCE(r.org_unit, ?4), r.day FROM texts_fts f \
                 JOIN texts t ON t.doc = f.rowid \
                 JOIN records r ON r.kind = t.kind AND r.id = t.record_id AND r.deleted = 0 \
                 WHERE texts_fts MATCH ?1 AND {filter} ORDER BY f.rank, r.id LIMIT ?2"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let matched = format!("kind : {} AND ({})", kind_term(kind), query.fts5());
        let limit = limit.clamp(1, 500) as i64;
        let mut bound: Vec<&dyn rusqlite::ToSql> = vec![&matched, &limit];
        bound.extend(filter_values.iter().map(|v| v as &dyn rusqlite::ToSql));
        let rows = stmt.query_map(bound.as_slice(), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (id, version, data, unit, day) = row?;
            let id = Uuid::parse_str(&id).map_err(|e| StoreError::BadMeta(e.to_string()))?;
            let data = data.ok_or_else(|| StoreError::BadMeta(format!("{id} has no body")))?;
            let data = serde_json::from_str(&data).map_err(StoreError::Malformed)?;
            found.push(TextHit {
                id,
                version,
                data,
                unit,
                day: crate::search::read_day(day)?,
            });
        }
        Ok(found)
    }
}
