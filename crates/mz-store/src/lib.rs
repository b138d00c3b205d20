//! The client's local cache: one encrypted SQLite file per client profile.
//!
//! Every screen of the app reads from here and every change is written here
//! first: [`Store::save`] writes the record and an outbox entry in one
//! transaction, numbered by the device's own counter. The sync engine takes
//! entries from [`Store::pending`], hands the server's outcomes to
//! [`Store::apply_outcomes`] and each pulled page, with its cursor, to
//! [`Store::apply_pull`] — each in one transaction, so a crash never leaves
//! a change half-applied or lost. Conflicts and rejections stay in the outbox
//! until the user resolves them ([`Store::resolve`]); nothing is dropped
//! silently. Before a cache is wiped its whole outbox is read out
//! ([`Store::outbox`]) to be kept, and put back into a fresh cache later
//! ([`Store::requeue_once`]).
//!
//! The file is encrypted with SQLCipher; the key comes from the OS
//! credential store and never touches the disk. This crate does no network
//! I/O and reads no clock: times are passed in.

mod blobs;
mod schema;
mod search;
mod texts;

pub use search::{MAX_READINGS, Person, PersonHit, Within};
pub use texts::TextHit;

use std::path::Path;

use mz_api::records::RecordKind;
use mz_api::sync::{Change, Op, Outcome, PullResponse, PushEntry, PushOutcome};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What became of a pulled page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum FeedPage {
    /// Applied, with its cursor.
    Applied,
    /// From another feed (the platform was restored): the cache starts
    /// again from 0 and the page was not applied.
    Restarted,
}

/// A 256-bit key for the local database.
pub type StoreKey = [u8; 32];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local database cannot be opened with this key, or is not a database")]
    WrongKeyOrCorrupt(#[source] rusqlite::Error),
    #[error(
        "the local database was made by a newer version of the app (schema {found}, this app knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("no local record {kind}/{id}")]
    NoSuchRecord { kind: String, id: Uuid },
    #[error("no outbox entry {0} waits for a decision")]
    NoSuchIssue(i64),
    #[error("a stored value is malformed")]
    Malformed(#[source] serde_json::Error),
    #[error("the local database's {0} is damaged")]
    BadMeta(String),
    #[error("the local database holds a record kind this app does not know: {0:?}")]
    UnknownKind(String),
    #[error("the local database holds an outbox state this app does not know: {0:?}")]
    UnknownState(String),
    #[error("the local database holds a record id that is not a UUID: {0:?}")]
    BadRecordId(String),
    #[error("the file that {field} names is not in the local cache: choose it again")]
    MissingBlob { field: String },
    #[error("{field}: {message}")]
    BadBlobField { field: String, message: String },
    #[error("the local record {kind}/{id} does not read as its kind")]
    BadRecord {
        kind: String,
        id: Uuid,
        #[source]
        source: serde_json::Error,
    },
    #[error("the local database failed")]
    Sqlite(#[from] rusqlite::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A record as the app shows it: the local view, with pending changes applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub kind: RecordKind,
    pub id: Uuid,
    pub data: serde_json::Value,
    /// Whether a change to it waits in the outbox.
    pub pending: bool,
}

impl LocalRecord {
    /// The body as its kind's type; one that does not read is an error
    /// naming the record, never a record silently left out of a list.
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> StoreResult<T> {
        T::deserialize(&self.data).map_err(|source| StoreError::BadRecord {
            kind: self.kind.to_string(),
            id: self.id,
            source,
        })
    }
}

/// What the status bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncState {
    /// Entries waiting to be sent.
    pub pending: i64,
    /// Entries the server refused or found in conflict, waiting for the user.
    pub issues: i64,
    /// The change-feed position the cache has reached.
    pub cursor: i64,
    /// Unix milliseconds of the last complete sync, if any.
    pub last_sync_at: Option<i64>,
}

/// An outbox entry the server did not apply, with both sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncIssue {
    pub device_seq: i64,
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub op: Op,
    /// `conflict` or `rejected`.
    pub state: String,
    /// The server's reason for a rejection.
    pub reason: Option<String>,
    /// The platform's code for a rejection (`rule_violation`, `invalid_input` …).
    #[ts(type = "string | null")]
    pub code: Option<mz_api::ErrorCode>,
    /// The field a rejection is about, as a path into the body (`data.photo`).
    pub field: Option<String>,
    /// This device's version of the record (absent for a delete).
    pub mine: Option<serde_json::Value>,
    /// The server's current version (absent when it has none, or deleted it).
    pub theirs: Option<serde_json::Value>,
    pub theirs_version: i64,
}

/// How the user settles a [`SyncIssue`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "choice", content = "data", rename_all = "snake_case")]
pub enum Resolution {
    /// Send my version again, on top of the server's current one.
    KeepMine,
    /// Drop my change and take the server's version.
    TakeTheirs,
    /// Send this merged version on top of the server's current one.
    Edit(serde_json::Value),
}

/// The open local database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

fn hex_key(key: &StoreKey) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Opens (or creates) the encrypted cache at `path` and brings its schema
    /// up to date. A wrong key or a file that is not our database is
    /// [`StoreError::WrongKeyOrCorrupt`], detected here rather than later.
    pub fn open(path: &Path, key: &StoreKey) -> StoreResult<Store> {
        let conn = Connection::open(path)?;
        // The raw-key form skips SQLCipher's key derivation: the key is random already.
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex_key(key)))?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })
        .map_err(StoreError::WrongKeyOrCorrupt)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA cache_size = -32768;",
        )?;
        let mut store = Store { conn };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        Store::meta_in(&self.conn, key)
    }

    fn meta_in(conn: &Connection, key: &str) -> StoreResult<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    fn set_meta(conn: &Connection, key: &str, value: &str) -> StoreResult<()> {
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// A value the app keeps in the cache under `key` (inside the encrypted
    /// file, so it may hold what must not lie on the disk in the clear).
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        self.meta(&format!("app:{key}"))
    }

    /// Sets or, with `None`, removes an app setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> StoreResult<()> {
        let key = format!("app:{key}");
        match value {
            Some(value) => Store::set_meta(&self.conn, &key, value),
            None => {
                self.conn
                    .execute("DELETE FROM meta WHERE key = ?1", [key])?;
                Ok(())
            }
        }
    }

    /// Makes this client a new device to the platform: for a device id the
    /// platform binds to another installation (this one lost the secret it
    /// was given). The outbox keeps its entries and numbers.
    pub fn new_device_id(&mut self) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        Store::set_meta(&self.conn, "device_id", &id.to_string())?;
        Ok(id)
    }

    /// This client's device id, made on first use and kept.
    pub fn device_id(&self) -> StoreResult<Uuid> {
        if let Some(id) = self.meta("device_id")?.and_then(|v| v.parse().ok()) {
            return Ok(id);
        }
        let id = Uuid::now_v7();
        Store::set_meta(&self.conn, "device_id", &id.to_string())?;
        Ok(id)
    }

    /// Creates or replaces a record locally and queues the change.
    pub fn save(
        &mut self,
        kind: RecordKind,
        id: Uuid,
        data: &serde_json::Value,
        now_ms: i64,
    ) -> StoreResult<i64> {
        self.queue(kind, id, Op::Upsert, Some(data), now_ms)
    }

    /// Creates or replaces records of any kinds and queues their changes,
    /// all in one transaction: a step that writes two records (a burial in
    /// a plot and the case whose ashes it places) writes both or neither.
    pub fn save_together(
        &mut self,
        records: &[(RecordKind, Uuid, serde_json::Value)],
        now_ms: i64,
    ) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (kind, id, data) in records {
            queue_in(&tx, *kind, *id, Op::Upsert, Some(data), now_ms)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Creates or replaces many records of a kind and queues their changes,
    /// all in one transaction (an import: every row or none).
    pub fn save_many(
        &mut self,
        kind: RecordKind,
        records: &[(Uuid, serde_json::Value)],
        now_ms: i64,
    ) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (id, data) in records {
            queue_in(&tx, kind, *id, Op::Upsert, Some(data), now_ms)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes a record locally and queues the change.
    pub fn delete(&mut self, kind: RecordKind, id: Uuid, now_ms: i64) -> StoreResult<i64> {
        self.queue(kind, id, Op::Delete, None, now_ms)
    }

    fn queue(
        &mut self,
        kind: RecordKind,
        id: Uuid,
        op: Op,
        data: Option<&serde_json::Value>,
        now_ms: i64,
    ) -> StoreResult<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = queue_in(&tx, kind, id, op, data, now_ms)?;
        tx.commit()?;
        Ok(seq)
    }

    /// The oldest `limit` entries waiting to be sent, in order.
    pub fn pending(&self, limit: usize) -> StoreResult<Vec<PushEntry>> {
        self.pending_within(limit, usize::MAX)
    }

    /// The oldest entries waiting to be sent, in order: at most `limit`, and
    /// no more than fit in about `max_bytes` of request body, so that a push
    /// stays under the platform's body limit however large the records
    /// (photos, drafts). The first entry always comes, whatever its size.
    pub fn pending_within(&self, limit: usize, max_bytes: usize) -> StoreResult<Vec<PushEntry>> {
        // The envelope of one entry (seq, kind, id, op, version) in JSON.
        const ENTRY_OVERHEAD: usize = 160;
        let mut bytes = 0usize;
        let mut stmt = self.conn.prepare(
            "SELECT device_seq, kind, record_id, op, base_version, data FROM outbox \
             WHERE state = 'pending' ORDER BY device_seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (device_seq, kind, record_id, op, base_version, data) = row?;
            bytes += ENTRY_OVERHEAD + data.as_ref().map_or(0, String::len);
            if bytes > max_bytes && !entries.is_empty() {
                break;
            }
            let kind = RecordKind::parse(&kind).ok_or(StoreError::UnknownKind(kind))?;
            let record_id = record_id
                .parse()
                .map_err(|_| StoreError::BadRecordId(record_id))?;
            entries.push(PushEntry {
                device_seq,
                kind,
                record_id,
                op: parse_op(&op)?,
                base_version,
                data: data
                    .map(|d| serde_json::from_str(&d))
                    .transpose()
                    .map_err(StoreError::Malformed)?,
            });
        }
        Ok(entries)
    }

    /// Records the server's answer to a push, in one transaction.
    pub fn apply_outcomes(&mut self, outcomes: &[PushOutcome]) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for outcome in outcomes {
            let entry: Option<(String, String, Option<String>)> = tx
                .query_row(
                    "SELECT kind, record_id, data FROM outbox WHERE device_seq = ?1 AND state = 'pending'",
                    [outcome.device_seq],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            let Some((kind, record_id, data)) = entry else {
                continue;
            };
            match &outcome.result {
                Outcome::Applied {
                    version,
                    data: stored,
                    ..
                } => {
                    tx.execute(
                        "DELETE FROM outbox WHERE device_seq = ?1",
                        [outcome.device_seq],
                    )?;
                    let deleted = data.is_none();
                    // The platform's normal form of the body, when it differs
                    // from ours: a later pull of the same version is not
                    // applied again, so it is taken now.
                    let server_data = match stored {
                        Some(stored) => Some(stored.to_string()),
                        None => data,
                    };
                    tx.execute(
                        "UPDATE records SET server_version = ?1, server_data = ?2, server_deleted = ?3 \
                         WHERE kind = ?4 AND id = ?5 AND server_version < ?1",
                        params![version, server_data, deleted, kind, record_id],
                    )?;
                    if stored.is_some() {
                        tx.execute(
                            "UPDATE records SET version = server_version, data = server_data, \
                             deleted = server_deleted WHERE kind = ?1 AND id = ?2 AND NOT EXISTS \
                             (SELECT 1 FROM outbox o WHERE o.kind = ?1 AND o.record_id = ?2)",
                            params![kind, record_id],
                        )?;
                        let kind = RecordKind::parse(&kind)
                            .ok_or_else(|| StoreError::UnknownKind(kind.clone()))?;
                        let id = record_id
                            .parse()
                            .map_err(|_| StoreError::BadRecordId(record_id.clone()))?;
                        search::reindex(&tx, kind, id)?;
                    }
                }
                Outcome::Conflict { current } => {
                    if let Some(current) = current {
                        remember_server_copy(&tx, current)?;
                    }
                    let text =
                        serde_json::to_string(&outcome.result).map_err(StoreError::Malformed)?;
                    tx.execute(
                        "UPDATE outbox SET state = 'conflict', outcome = ?1 WHERE device_seq = ?2",
                        params![text, outcome.device_seq],
                    )?;
                }
                Outcome::Rejected { .. } => {
                    let text =
                        serde_json::to_string(&outcome.result).map_err(StoreError::Malformed)?;
                    tx.execute(
                        "UPDATE outbox SET state = 'rejected', outcome = ?1 WHERE device_seq = ?2",
                        params![text, outcome.device_seq],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies a pulled page and moves the cursor, in one transaction. A record
    /// with changes of ours still in the outbox keeps its local view; the
    /// server's copy is kept beside it for the conflict screen.
    ///
    /// A page of another epoch than the one the cache follows (the platform
    /// was restored from a backup) is not applied: the cache forgets what it
    /// pulled, keeps the records its outbox still changes, and starts again
    /// from 0 ([`FeedPage::Restarted`]).
    pub fn apply_pull(&mut self, page: &PullResponse) -> StoreResult<FeedPage> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let cursor: i64 = read_cursor(&tx)?;
        let epoch = Store::meta_in(&tx, "feed_epoch")?;
        if epoch.as_deref().is_some_and(|e| e != page.epoch) {
            restart_feed_in(&tx, &page.epoch)?;
            tx.commit()?;
            return Ok(FeedPage::Restarted);
        }
        if epoch.is_none() {
            Store::set_meta(&tx, "feed_epoch", &page.epoch)?;
        }
        for change in &page.changes {
            if change.seq <= cursor {
                continue;
            }
            // What the record named before, for the files the change drops.
            let before: Vec<String> = if change.kind.blob_fields().is_empty() {
                Vec::new()
            } else {
                tx.query_row(
                    "SELECT data, server_data FROM records WHERE kind = ?1 AND id = ?2",
                    params![change.kind.as_str(), change.record_id.to_string()],
                    |row| {
                        Ok([row.get::<_, Option<String>>(0)?, row.get(1)?]
                            .into_iter()
                            .flatten()
                            .collect())
                    },
                )
                .optional()?
                .unwrap_or_default()
            };
            remember_server_copy(&tx, change)?;
            if let Some(data) = &change.data {
                blobs::want_named(&tx, change.kind, data)?;
            }
            let ours_waiting: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = ?1 AND record_id = ?2)",
                params![change.kind.as_str(), change.record_id.to_string()],
                |row| row.get(0),
            )?;
            if !ours_waiting {
                tx.execute(
                    "UPDATE records SET version = server_version, deleted = server_deleted, \
                     data = server_data WHERE kind = ?1 AND id = ?2",
                    params![change.kind.as_str(), change.record_id.to_string()],
                )?;
                search::reindex(&tx, change.kind, change.record_id)?;
            }
            if !before.is_empty() {
                let after = change.data.as_ref().map(serde_json::Value::to_string);
                blobs::forget_dropped(&tx, &before, after.as_deref())?;
            }
        }
        if page.next > cursor {
            Store::set_meta(&tx, "pull_cursor", &page.next.to_string())?;
        }
        tx.commit()?;
        Ok(FeedPage::Applied)
    }

    /// Starts the feed again from 0 under `epoch`, keeping the outbox and
    /// the records it changes: for a platform whose feed is not the one the
    /// cache followed (it answered a cursor below the one asked for).
    pub fn restart_feed(&mut self, epoch: &str) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        restart_feed_in(&tx, epoch)?;
        tx.commit()?;
        Ok(())
    }

    /// Notes a complete sync (everything sent, everything pulled).
    pub fn mark_synced(&mut self, now_ms: i64) -> StoreResult<()> {
        Store::set_meta(&self.conn, "last_sync_at", &now_ms.to_string())
    }

    /// The change-feed position the cache has reached.
    pub fn cursor(&self) -> StoreResult<i64> {
        read_cursor(&self.conn)
    }

    pub fn state(&self) -> StoreResult<SyncState> {
        let (pending, issues): (i64, i64) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state <> 'pending') FROM outbox",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(SyncState {
            pending,
            issues,
            cursor: self.cursor()?,
            last_sync_at: self.meta("last_sync_at")?.and_then(|v| v.parse().ok()),
        })
    }

    /// The live records of a kind, as the app shows them.
    pub fn records(&self, kind: RecordKind) -> StoreResult<Vec<LocalRecord>> {
        self.live_records(kind, None)
    }

    /// The live records of a kind read straight into `T` (a view of the
    /// body that may leave fields out), with whether a change waits in the
    /// outbox, in id order: one parse for lists over thousands of records.
    /// A body that does not read is an error naming the record.
    pub fn bodies<T: serde::de::DeserializeOwned>(
        &self,
        kind: RecordKind,
    ) -> StoreResult<Vec<(Uuid, T, bool)>> {
        self.live_rows(kind, None)?
            .into_iter()
            .map(|(id, data, pending)| {
                let body = serde_json::from_str(&data).map_err(|source| StoreError::BadRecord {
                    kind: kind.to_string(),
                    id,
                    source,
                })?;
                Ok((id, body, pending))
            })
            .collect()
    }

    /// Takes the device's next entry number for an entry sent at once and
    /// never queued (a classified document's step, worked online only), so
    /// that no later entry of the outbox reuses it.
    pub fn reserve_device_seq(&mut self) -> StoreResult<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = next_device_seq(&tx)?;
        tx.commit()?;
        Ok(seq)
    }

    /// One live record of a kind, when the cache holds it.
    pub fn record(&self, kind: RecordKind, id: Uuid) -> StoreResult<Option<LocalRecord>> {
        Ok(self.live_records(kind, Some(id))?.pop())
    }

    /// The body of a record as the platform last gave it (the base of the
    /// next change), without this device's pending changes; `None` for a
    /// record the platform does not hold, or holds as deleted.
    pub fn server_body(
        &self,
        kind: RecordKind,
        id: Uuid,
    ) -> StoreResult<Option<serde_json::Value>> {
        let data: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT server_data FROM records \
                 WHERE kind = ?1 AND id = ?2 AND server_version > 0 AND server_deleted = 0",
                rusqlite::params![kind.as_str(), id.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        data.flatten()
            .map(|text| serde_json::from_str(&text).map_err(StoreError::Malformed))
            .transpose()
    }

    fn live_records(&self, kind: RecordKind, id: Option<Uuid>) -> StoreResult<Vec<LocalRecord>> {
        self.live_rows(kind, id)?
            .into_iter()
            .map(|(id, data, pending)| {
                Ok(LocalRecord {
                    kind,
                    id,
                    data: serde_json::from_str(&data).map_err(StoreError::Malformed)?,
                    pending,
                })
            })
            .collect()
    }

    /// The live records of a kind (one by id), in id order, as stored: id,
    /// body text and whether a change waits in the outbox.
    fn live_rows(
        &self,
        kind: RecordKind,
        id: Option<Uuid>,
    ) -> StoreResult<Vec<(Uuid, String, bool)>> {
        const LIVE: &str = "SELECT r.id, r.data, \
             EXISTS (SELECT 1 FROM outbox o WHERE o.kind = r.kind AND o.record_id = r.id) \
             FROM records r WHERE r.kind = ?1 AND r.deleted = 0 AND r.data IS NOT NULL";
        // One record by its whole key, so SQLite looks it up in the primary
        // key instead of reading the kind through.
        let (sql, args) = match id {
            Some(id) => (
                format!("{LIVE} AND r.id = ?2"),
                vec![kind.as_str().to_owned(), id.to_string()],
            ),
            None => (
                format!("{LIVE} ORDER BY r.id"),
                vec![kind.as_str().to_owned()],
            ),
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, bool>(2)?,
            ))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (id, data, pending) = row?;
            let id = id.parse().map_err(|_| StoreError::BadRecordId(id))?;
            found.push((id, data, pending));
        }
        Ok(found)
    }

    /// The entries the server did not apply, oldest first, with both sides.
    pub fn issues(&self) -> StoreResult<Vec<SyncIssue>> {
        let mut stmt = self.conn.prepare(
            "SELECT o.device_seq, o.kind, o.record_id, o.op, o.state, o.outcome, o.data, \
             r.server_data, r.server_version FROM outbox o \
             LEFT JOIN records r ON r.kind = o.kind AND r.id = o.record_id \
             WHERE o.state <> 'pending' ORDER BY o.device_seq",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, Option<i64>>(8)?,
            ))
        })?;
        let mut issues = Vec::new();
        for row in rows {
            let (device_seq, kind, record_id, op, state, outcome, mine, theirs, theirs_version) =
                row?;
            let kind = RecordKind::parse(&kind).ok_or(StoreError::UnknownKind(kind))?;
            let record_id = record_id
                .parse()
                .map_err(|_| StoreError::BadRecordId(record_id))?;
            let outcome: Option<Outcome> = outcome
                .map(|o| serde_json::from_str(&o))
                .transpose()
                .map_err(StoreError::Malformed)?;
            let (reason, code, field) = match outcome {
                Some(Outcome::Rejected {
                    reason,
                    code,
                    field,
                }) => (Some(reason), Some(code), field),
                Some(Outcome::Applied { .. } | Outcome::Conflict { .. }) | None => {
                    (None, None, None)
                }
            };
            let parse = |text: Option<String>| {
                text.map(|t| serde_json::from_str(&t))
                    .transpose()
                    .map_err(StoreError::Malformed)
            };
            issues.push(SyncIssue {
                device_seq,
                kind,
                record_id,
                op: parse_op(&op)?,
                state,
                reason,
                code,
                field,
                mine: parse(mine)?,
                theirs: parse(theirs)?,
                theirs_version: theirs_version.unwrap_or(0),
            });
        }
        Ok(issues)
    }

    /// Settles an issue. Keeping mine or editing queues a new entry on top of
    /// the server's current version; taking theirs drops my change and the
    /// changes of mine to the same record queued after it.
    pub fn resolve(
        &mut self,
        device_seq: i64,
        resolution: &Resolution,
        now_ms: i64,
    ) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let issue: Option<(String, String, String, Option<String>)> = tx
            .query_row(
                "SELECT kind, record_id, op, data FROM outbox WHERE device_seq = ?1 AND state <> 'pending'",
                [device_seq],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?;
        let Some((kind, record_id, op, mine)) = issue else {
            return Err(StoreError::NoSuchIssue(device_seq));
        };
        // Later changes of the same record were built on this one: they go with it.
        tx.execute(
            "DELETE FROM outbox WHERE kind = ?1 AND record_id = ?2 AND device_seq >= ?3",
            params![kind, record_id, device_seq],
        )?;
        let server_version: i64 = tx
            .query_row(
                "SELECT server_version FROM records WHERE kind = ?1 AND id = ?2",
                params![kind, record_id],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let send: Option<(Op, Option<String>)> = match resolution {
            Resolution::TakeTheirs => None,
            Resolution::KeepMine => Some((parse_op(&op)?, mine)),
            Resolution::Edit(data) => Some((Op::Upsert, Some(data.to_string()))),
        };
        match send {
            None => {
                tx.execute(
                    "UPDATE records SET version = server_version, deleted = server_deleted, \
                     data = server_data WHERE kind = ?1 AND id = ?2",
                    params![kind, record_id],
                )?;
            }
            Some((op, data)) => {
                tx.execute(
                    "UPDATE records SET version = ?1, deleted = ?2, data = ?3 WHERE kind = ?4 AND id = ?5",
                    params![server_version + 1, op == Op::Delete, data, kind, record_id],
                )?;
                enqueue(
                    &tx,
                    &kind,
                    &record_id,
                    op,
                    server_version,
                    data.as_deref(),
                    now_ms,
                )?;
            }
        }
        if let (Some(kind), Ok(id)) = (RecordKind::parse(&kind), record_id.parse()) {
            search::reindex(&tx, kind, id)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every outbox entry, waiting or waiting for a decision, oldest first:
    /// what is saved (encrypted, by mz-app) before the cache is wiped, so
    /// that nothing typed is thrown away unseen.
    pub fn outbox(&self) -> StoreResult<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT device_seq, kind, record_id, op, base_version, data, state, outcome, created_at \
             FROM outbox ORDER BY device_seq",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, i64>(8)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (device_seq, kind, record_id, op, base_version, data, state, outcome, created_at) =
                row?;
            entries.push(OutboxEntry {
                device_seq,
                kind: RecordKind::parse(&kind).ok_or(StoreError::UnknownKind(kind))?,
                record_id: record_id
                    .parse()
                    .map_err(|_| StoreError::BadRecordId(record_id))?,
                op: parse_op(&op)?,
                base_version,
                data: parse_json(data)?,
                state: EntryState::parse(&state)?,
                outcome: parse_json(outcome)?,
                created_at,
            });
        }
        Ok(entries)
    }

    /// Puts entries saved from another cache (see [`Store::outbox`]) back
    /// into this one's outbox, in their order, under this device's next
    /// numbers, each with its record's local view, in one transaction.
    /// Entries waiting for a decision keep their state (and a conflict the
    /// platform's copy). The files the entries name (`files`) go back into
    /// the cache with them. `batch` names the saved set: a set already put back
    /// here is not put back twice (`false`), even when the caller could not
    /// delete it afterwards.
    pub fn requeue_once(
        &mut self,
        batch: &str,
        entries: &[OutboxEntry],
        files: &[(mz_domain::blob::BlobRef, Vec<u8>)],
        now_ms: i64,
    ) -> StoreResult<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let marker = format!("requeued:{batch}");
        if Store::meta_in(&tx, &marker)?.is_some() {
            return Ok(false);
        }
        for (blob, bytes) in files {
            blobs::put_blob_in(&tx, blob, bytes, false)?;
        }
        for entry in entries {
            let kind = entry.kind.as_str();
            let id = entry.record_id.to_string();
            // Entries saved by an older version may hold their files inline.
            let mut data = entry.data.clone();
            if let Some(data) = data.as_mut() {
                let lifted = entry.kind.lift_inline_blobs(data).map_err(|issue| {
                    StoreError::BadBlobField {
                        field: issue.field,
                        message: issue.message,
                    }
                })?;
                for (blob, bytes) in lifted {
                    blobs::put_blob_in(&tx, &blob, &bytes, false)?;
                }
            }
            let text = data.as_ref().map(serde_json::Value::to_string);
            if let Some(Outcome::Conflict {
                current: Some(current),
            }) = &entry.outcome
            {
                remember_server_copy(&tx, current)?;
            }
            tx.execute(
                "INSERT INTO records (kind, id, version, deleted, data) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, \
                 deleted = excluded.deleted, data = excluded.data",
                params![
                    kind,
                    id,
                    entry.base_version + 1,
                    entry.op == Op::Delete,
                    text
                ],
            )?;
            let seq = enqueue(
                &tx,
                kind,
                &id,
                entry.op,
                entry.base_version,
                text.as_deref(),
                entry.created_at,
            )?;
            if entry.state != EntryState::Pending {
                let outcome = entry
                    .outcome
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(StoreError::Malformed)?;
                tx.execute(
                    "UPDATE outbox SET state = ?1, outcome = ?2 WHERE device_seq = ?3",
                    params![entry.state.as_str(), outcome, seq],
                )?;
            }
            search::reindex(&tx, entry.kind, entry.record_id)?;
        }
        Store::set_meta(&tx, &marker, &now_ms.to_string())?;
        tx.commit()?;
        Ok(true)
    }
}

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be sent.
    Pending,
    /// The platform's record moved on; the user decides.
    Conflict,
    /// A rule of the platform refused it; the user decides.
    Rejected,
}

impl EntryState {
    fn parse(text: &str) -> StoreResult<EntryState> {
        match text {
            "pending" => Ok(EntryState::Pending),
            "conflict" => Ok(EntryState::Conflict),
            "rejected" => Ok(EntryState::Rejected),
            other => Err(StoreError::UnknownState(other.to_owned())),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Conflict => "conflict",
            EntryState::Rejected => "rejected",
        }
    }
}

/// One outbox entry whole, as [`Store::outbox`] reads it and
/// [`Store::requeue_once`] writes it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Its number on the device that made it (a new one when put back).
    pub device_seq: i64,
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub op: Op,
    pub base_version: i64,
    /// The record's body after the change (absent for a delete).
    pub data: Option<serde_json::Value>,
    pub state: EntryState,
    /// The platform's answer, for an entry waiting for a decision.
    pub outcome: Option<Outcome>,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// Writes a record's local view and its outbox entry (inside the caller's
/// transaction).
fn queue_in(
    conn: &Connection,
    kind: RecordKind,
    id: Uuid,
    op: Op,
    data: Option<&serde_json::Value>,
    now_ms: i64,
) -> StoreResult<i64> {
    let version: Option<i64> = conn
        .query_row(
            "SELECT version FROM records WHERE kind = ?1 AND id = ?2",
            params![kind.as_str(), id.to_string()],
            |row| row.get(0),
        )
        .optional()?;
    if op == Op::Delete && version.is_none() {
        return Err(StoreError::NoSuchRecord {
            kind: kind.to_string(),
            id,
        });
    }
    if let Some(data) = data {
        blobs::check_held(conn, kind, data)?;
    }
    let base = version.unwrap_or(0);
    let text = data.map(serde_json::Value::to_string);
    conn.execute(
        "INSERT INTO records (kind, id, version, deleted, data) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, \
         deleted = excluded.deleted, data = excluded.data",
        params![
            kind.as_str(),
            id.to_string(),
            base + 1,
            op == Op::Delete,
            text
        ],
    )?;
    let seq = enqueue(
        conn,
        kind.as_str(),
        &id.to_string(),
        op,
        base,
        text.as_deref(),
        now_ms,
    )?;
    search::reindex(conn, kind, id)?;
    Ok(seq)
}

fn read_cursor(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'pull_cursor'",
            [],
            |row| row.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// The device's next outbox number: 1, 2, 3 … never reused, even after the
/// entries before it are gone.
fn next_device_seq(conn: &Connection) -> StoreResult<i64> {
    let last: i64 = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'device_seq'",
            [],
            |row| row.get::<_, String>(0),
        )
        .optional()?
        .map(|v| {
            v.parse()
                .map_err(|_| StoreError::BadMeta("device sequence".to_owned()))
        })
        .transpose()?
        // Never restarted at 1 on a bad value: the platform would refuse
        // every new entry as a number already used.
        .unwrap_or(0);
    Store::set_meta(conn, "device_seq", &(last + 1).to_string())?;
    Ok(last + 1)
}

/// Adds a pending outbox entry under the device's next number.
fn enqueue(
    conn: &Connection,
    kind: &str,
    record_id: &str,
    op: Op,
    base_version: i64,
    data: Option<&str>,
    now_ms: i64,
) -> StoreResult<i64> {
    let seq = next_device_seq(conn)?;
    conn.execute(
        "INSERT INTO outbox (device_seq, kind, record_id, op, base_version, data, state, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)",
        params![seq, kind, record_id, op_name(op), base_version, data, now_ms],
    )?;
    Ok(seq)
}

/// Starts the feed again under a new epoch: every record stays (a record
/// the restored platform lost may have no other copy than this cache), each
/// without the server's copy it had, and the cursor goes back to 0; the
/// fresh pull brings the server's copies again.
fn restart_feed_in(conn: &Connection, epoch: &str) -> StoreResult<()> {
    conn.execute(
        "UPDATE records SET server_version = 0, server_data = NULL, server_deleted = 0",
        [],
    )?;
    Store::set_meta(conn, "pull_cursor", "0")?;
    Store::set_meta(conn, "feed_epoch", epoch)?;
    Ok(())
}

/// Stores the server's copy of a record beside the local view.
fn remember_server_copy(conn: &Connection, change: &Change) -> StoreResult<()> {
    let data = change.data.as_ref().map(serde_json::Value::to_string);
    conn.execute(
        "INSERT INTO records (kind, id, version, deleted, data, org_unit, server_version, server_data, server_deleted) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3, ?5, ?4) \
         ON CONFLICT (kind, id) DO UPDATE SET org_unit = excluded.org_unit, \
         server_version = excluded.server_version, server_data = excluded.server_data, \
         server_deleted = excluded.server_deleted WHERE excluded.server_version > records.server_version",
        params![
            change.kind.as_str(),
            change.record_id.to_string(),
            change.version,
            change.deleted,
            data,
            change.org_unit
        ],
    )?;
    Ok(())
}

/// A stored JSON text, when there is one.
fn parse_json<T: serde::de::DeserializeOwned>(text: Option<String>) -> StoreResult<Option<T>> {
    text.map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(StoreError::Malformed)
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Upsert => "upsert",
        Op::Delete => "delete",
    }
}

fn parse_op(text: &str) -> StoreResult<Op> {
    match text {
        "upsert" => Ok(Op::Upsert),
        "delete" => Ok(Op::Delete),
        other => Err(StoreError::BadMeta(format!("outbox op {other:?}"))),
    }
}
