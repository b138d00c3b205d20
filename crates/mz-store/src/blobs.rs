//! Files kept beside records (a couple's photo, a case's scans, a
//! document's attachments, up to [`mz_domain::blob::MAX_BLOB_BYTES`] each),
//! by the SHA-256 of their bytes, inside the encrypted cache like
//! everything else.
//!
//! A file the clerk chose is stored here before the record that names it is
//! saved, and sent to the platform before that record is pushed
//! ([`Store::unsent_blobs`]). A pulled record's files are noted as wanted
//! ([`Store::wanted_blobs`]) and fetched on their own, never inside a page.

use mz_api::records::RecordKind;
use mz_api::sync::PushEntry;
use mz_domain::blob::BlobRef;
use rusqlite::{Connection, OptionalExtension, params};

use crate::{Store, StoreError, StoreResult};

/// The table, and the lifting of files older caches held inline.
pub(crate) const MIGRATION: &str = "CREATE TABLE blobs (
         sha256     TEXT PRIMARY KEY,
         media_type TEXT NOT NULL,
         size       INTEGER NOT NULL,
         -- NULL: a pulled record names it and it is not fetched yet.
         data       BLOB,
         -- 1 once the platform holds it.
         sent       INTEGER NOT NULL DEFAULT 0
     );
     CREATE INDEX blobs_wanted ON blobs (sha256) WHERE data IS NULL;";

impl Store {
    /// Keeps a file's bytes; `sent` when they came from the platform.
    pub fn put_blob(&mut self, blob: &BlobRef, bytes: &[u8], sent: bool) -> StoreResult<()> {
        put_blob_in(&self.conn, blob, bytes, sent)
    }

    /// A file's bytes, when the cache has them.
    pub fn blob(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT data FROM blobs WHERE sha256 = ?1 AND data IS NOT NULL",
                [sha256],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// The files the entries name that the platform does not hold yet, with
    /// their bytes: what is sent before the entries are pushed. A file the
    /// cache does not have is not among them; the platform then refuses the
    /// entry, naming the field.
    pub fn unsent_blobs(&self, entries: &[PushEntry]) -> StoreResult<Vec<(BlobRef, Vec<u8>)>> {
        let bodies = entries
            .iter()
            .filter_map(|e| e.data.as_ref().map(|data| (e.kind, data)));
        self.named_files(bodies, true)
    }

    /// The files outbox entries name that the cache holds, with their
    /// bytes: what is kept with the entries when the cache is wiped.
    pub fn blobs_for(
        &self,
        entries: &[crate::OutboxEntry],
    ) -> StoreResult<Vec<(BlobRef, Vec<u8>)>> {
        let bodies = entries
            .iter()
            .filter_map(|e| e.data.as_ref().map(|data| (e.kind, data)));
        self.named_files(bodies, false)
    }

    fn named_files<'a>(
        &self,
        bodies: impl Iterator<Item = (RecordKind, &'a serde_json::Value)>,
        unsent_only: bool,
    ) -> StoreResult<Vec<(BlobRef, Vec<u8>)>> {
        let mut found: Vec<(BlobRef, Vec<u8>)> = Vec::new();
        for (kind, data) in bodies {
            // A malformed file field is refused by the platform, with its field.
            let Ok(files) = kind.blobs(data) else {
                continue;
            };
            for (_, file) in files {
                if found.iter().any(|(f, _)| f.sha256 == file.sha256) {
                    continue;
                }
                let bytes: Option<Vec<u8>> = self
                    .conn
                    .query_row(
                        "SELECT data FROM blobs WHERE sha256 = ?1 AND data IS NOT NULL \
                         AND (sent = 0 OR NOT ?2)",
                        params![file.sha256, unsent_only],
                        |row| row.get(0),
                    )
                    .optional()?;
                if let Some(bytes) = bytes {
                    found.push((file, bytes));
                }
            }
        }
        Ok(found)
    }

    /// Notes that the platform holds the file.
    pub fn mark_blob_sent(&mut self, sha256: &str) -> StoreResult<()> {
        self.conn
            .execute("UPDATE blobs SET sent = 1 WHERE sha256 = ?1", [sha256])?;
        Ok(())
    }

    /// Keeps the bytes of a file fetched from the platform, only where a
    /// record of the cache names it (a pulled record wants it, or a saved
    /// one holds it): a file read for a document worked online only (a
    /// classified one) never rests here. Whether it was kept.
    pub fn keep_fetched_blob(&mut self, blob: &BlobRef, bytes: &[u8]) -> StoreResult<bool> {
        let kept = self.conn.execute(
            "UPDATE blobs SET data = ?1, sent = 1 WHERE sha256 = ?2 AND media_type = ?3 \
             AND size = ?4 AND data IS NULL",
            params![bytes, blob.sha256, blob.media_type, blob.size as i64],
        )?;
        let held: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1 AND data IS NOT NULL)",
            [&blob.sha256],
            |row| row.get(0),
        )?;
        Ok(kept > 0 || held)
    }

    /// Whether the cache holds a file's bytes or wants them (a cached
    /// record names it).
    pub fn knows_blob(&self, sha256: &str) -> StoreResult<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1)",
            [sha256],
            |row| row.get(0),
        )?)
    }

    /// Files pulled records name that the cache has not fetched, at most `limit`.
    pub fn wanted_blobs(&self, limit: usize) -> StoreResult<Vec<BlobRef>> {
        let mut stmt = self.conn.prepare(
            "SELECT media_type, sha256, size FROM blobs WHERE data IS NULL ORDER BY sha256 LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |row| {
            Ok(BlobRef {
                media_type: row.get(0)?,
                sha256: row.get(1)?,
                size: row.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets a wanted file the platform no longer gives this user.
    pub fn forget_wanted_blob(&mut self, sha256: &str) -> StoreResult<()> {
        self.conn.execute(
            "DELETE FROM blobs WHERE sha256 = ?1 AND data IS NULL",
            [sha256],
        )?;
        Ok(())
    }
}

pub(crate) fn put_blob_in(
    conn: &Connection,
    blob: &BlobRef,
    bytes: &[u8],
    sent: bool,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO blobs (sha256, media_type, size, data, sent) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (sha256) DO UPDATE SET data = coalesce(blobs.data, excluded.data), \
         sent = max(blobs.sent, excluded.sent)",
        params![blob.sha256, blob.media_type, blob.size as i64, bytes, sent],
    )?;
    Ok(())
}

/// Notes the files a pulled body names as wanted, unless the cache has them.
pub(crate) fn want_named(
    conn: &Connection,
    kind: RecordKind,
    data: &serde_json::Value,
) -> StoreResult<()> {
    // The platform checked the body's files; one it cannot name is not fetched.
    let Ok(files) = kind.blobs(data) else {
        return Ok(());
    };
    for (_, file) in files {
        conn.execute(
            "INSERT INTO blobs (sha256, media_type, size, data, sent) VALUES (?1, ?2, ?3, NULL, 1) \
             ON CONFLICT (sha256) DO NOTHING",
            params![file.sha256, file.media_type, file.size as i64],
        )?;
    }
    Ok(())
}

/// Forgets the files the texts `before` (what a record held before a
/// pulled change) named that the change took away and that no record, no
/// server copy and no outbox entry of the cache names any more: a document
/// that became classified, or a file taken off a record, leaves nothing of
/// it on this desk. A file's name is its SHA-256, which no body holds but
/// as a file's reference, so the texts are searched for it.
pub(crate) fn forget_dropped(
    conn: &Connection,
    before: &[String],
    after: Option<&str>,
) -> StoreResult<()> {
    for text in before {
        let dropped: Vec<String> = {
            let mut stmt = conn.prepare(
                "SELECT sha256 FROM blobs WHERE instr(?1, sha256) > 0 AND instr(?2, sha256) = 0",
            )?;
            stmt.query_map(params![text, after.unwrap_or("")], |row| row.get(0))?
                .collect::<Result<_, _>>()?
        };
        for sha256 in dropped {
            let pattern = format!("%{sha256}%");
            conn.execute(
                "DELETE FROM blobs WHERE sha256 = ?1 \
                 AND NOT EXISTS (SELECT 1 FROM records WHERE data LIKE ?2 OR server_data LIKE ?2) \
                 AND NOT EXISTS (SELECT 1 FROM outbox WHERE data LIKE ?2)",
                params![sha256, pattern],
            )?;
        }
    }
    Ok(())
}

/// Lifts the files that bodies of an older cache held inline into the
/// table: in the records (both views) and in the outbox. Such a file is
/// taken as not yet sent: sending it again to a platform that holds it
/// changes nothing.
pub(crate) fn lift_inline(conn: &Connection) -> StoreResult<()> {
    for (table, key, columns) in [
        ("records", "kind || '/' || id", &["data", "server_data"][..]),
        ("outbox", "device_seq", &["data"][..]),
    ] {
        for column in columns {
            let rows: Vec<(String, String, String)> = {
                let mut stmt = conn.prepare(&format!(
                    "SELECT CAST({key} AS TEXT), kind, {column} FROM {table} WHERE {column} IS NOT NULL"
                ))?;
                stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                    .collect::<Result<_, _>>()?
            };
            for (row_key, kind, text) in rows {
                let kind = RecordKind::parse(&kind).ok_or(StoreError::UnknownKind(kind))?;
                if kind.blob_fields().is_empty() {
                    continue;
                }
                let mut body: serde_json::Value =
                    serde_json::from_str(&text).map_err(StoreError::Malformed)?;
                let lifted = kind.lift_inline_blobs(&mut body).map_err(|issue| {
                    StoreError::BadMeta(format!("{table}.{column}: {}", issue.field))
                })?;
                if lifted.is_empty() {
                    continue;
                }
                for (blob, bytes) in lifted {
                    put_blob_in(conn, &blob, &bytes, false)?;
                }
                conn.execute(
                    &format!("UPDATE {table} SET {column} = ?1 WHERE CAST({key} AS TEXT) = ?2"),
                    params![body.to_string(), row_key],
                )?;
            }
        }
    }
    Ok(())
}

/// Whether the cache holds every file a body to be saved names.
pub(crate) fn check_held(
    conn: &Connection,
    kind: RecordKind,
    data: &serde_json::Value,
) -> StoreResult<()> {
    let files = kind.blobs(data).map_err(|issue| StoreError::BadBlobField {
        field: issue.field,
        message: issue.message,
    })?;
    for (field, file) in files {
        let held: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1 AND media_type = ?2 \
             AND size = ?3 AND data IS NOT NULL)",
            params![file.sha256, file.media_type, file.size as i64],
            |row| row.get(0),
        )?;
        if !held {
            return Err(StoreError::MissingBlob { field });
        }
    }
    Ok(())
}
