//! The append-only, hash-chained audit log.
//!
//! Every change and every read of a personal record appends an entry: who,
//! when, from which device, what. Each entry's hash covers the previous
//! entry's hash and its own fields, so editing or removing a row by hand
//! breaks the chain at that row, and [`verify`] names the first broken link.
//! Entries carry ids and record references, never personal data.

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::Clock;
use crate::db::{Backend, Db, value_rows};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One thing to record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// A user id, or a name such as `admin-cli` for the command line.
    pub actor: String,
    pub device_id: Option<String>,
    /// e.g. `auth.login`, `record.upsert`, `numbers.allocate`.
    pub action: &'static str,
    /// What was touched, e.g. `holiday_calendar/0190…`.
    pub target: String,
    /// Ids and numbers only.
    pub detail: Value,
}

/// The hash of one entry: the previous hash, its number and time, and its
/// text fields (actor, device, action, target, detail) in that order.
fn entry_hash(prev: &str, seq: i64, at: i64, fields: [&str; 5]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(seq.to_be_bytes());
    hasher.update(at.to_be_bytes());
    // Length prefixes keep field boundaries unambiguous.
    for field in fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends `entries` inside the caller's transaction. The first statement
/// locks the chain head, so concurrent writers line up; the time is read
/// from `clock` after that, under the lock, and never earlier than the
/// entry before: the chain's order is its time order, whatever the clocks
/// of the platform's replicas say.
pub async fn append(
    conn: &mut AnyConnection,
    clock: &Clock,
    entries: &[AuditEntry],
) -> Result<(), sqlx::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let count = entries.len() as i64;
    let head = sqlx::query(
        "UPDATE counters SET value = value + $1 WHERE name = 'audit' RETURNING value, hash",
    )
    .bind(count)
    .fetch_one(&mut *conn)
    .await?;
    let last: i64 = head.try_get("value")?;
    let mut prev: String = head
        .try_get::<Option<String>, _>("hash")?
        .unwrap_or_default();
    let first = last - count + 1;
    let before: Option<i64> = sqlx::query_scalar("SELECT at FROM audit_log WHERE seq = $1")
        .bind(first - 1)
        .fetch_optional(&mut *conn)
        .await?;
    let at = clock.now_ms().max(before.unwrap_or(i64::MIN));

    // Insert in chunks so the number of parameters stays within SQLite's limit.
    const COLUMNS: usize = 9;
    for (chunk_index, chunk) in entries.chunks(500).enumerate() {
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor, device_id, action, target, detail, prev_hash, hash) VALUES {}",
            value_rows(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for (i, entry) in chunk.iter().enumerate() {
            let seq = first + (chunk_index * 500 + i) as i64;
            let detail = entry.detail.to_string();
            let device = entry.device_id.clone().unwrap_or_default();
            let fields = [
                entry.actor.as_str(),
                &device,
                entry.action,
                &entry.target,
                &detail,
            ];
            let hash = entry_hash(&prev, seq, at, fields);
            query = query
                .bind(seq)
                .bind(at)
                .bind(entry.actor.clone())
                .bind(entry.device_id.clone())
                .bind(entry.action)
                .bind(entry.target.clone())
                .bind(detail)
                .bind(prev.clone())
                .bind(hash.clone());
            prev = hash;
        }
        query.execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE counters SET hash = $1 WHERE name = 'audit'")
        .bind(prev)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds; `entries` were checked.
    Intact { entries: i64 },
    /// The first link that does not hold.
    Broken { seq: i64, reason: String },
}

/// The chain's head: its last entry's number and hash. An operator keeps it
/// outside the database (`mz admin audit head`); a later `verify --head`
/// shows whether the chain still passes through it, which a database
/// administrator who rewrote the log and its hashes cannot fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for Head {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (seq, hash) = s.trim().split_once(':').ok_or_else(|| {
            "a head is written SEQ:HASH, as `mz admin audit head` prints it".to_owned()
        })?;
        let seq: i64 = seq
            .parse()
            .map_err(|_| format!("the head's number {seq:?} is not a number"))?;
        if seq < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("the head's hash is 64 hexadecimal digits".to_owned());
        }
        Ok(Head {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// The chain's head as it stands.
pub async fn head(db: &Db) -> Result<Head, sqlx::Error> {
    let row = sqlx::query("SELECT value, hash FROM counters WHERE name = 'audit'")
        .fetch_one(&db.pool)
        .await?;
    Ok(Head {
        seq: row.try_get("value")?,
        hash: row
            .try_get::<Option<String>, _>("hash")?
            .unwrap_or_default(),
    })
}

/// Walks the chain from the start and reports the first broken link; with
/// `kept`, also whether the chain passes through that head. It reads one
/// snapshot of the log, so entries written meanwhile are not taken for gaps.
pub async fn verify(db: &Db, kept: Option<&Head>) -> Result<Verdict, sqlx::Error> {
    let mut tx = match db.backend {
        Backend::Postgres => {
            db.pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?
        }
        // A read transaction in WAL mode sees the database as of its first read.
        Backend::Sqlite => db.pool.begin().await?,
    };
    let verdict = verify_in(&mut tx, kept).await;
    tx.rollback().await?;
    verdict
}

async fn verify_in(conn: &mut AnyConnection, kept: Option<&Head>) -> Result<Verdict, sqlx::Error> {
    let mut expected_seq = 1_i64;
    let mut prev = GENESIS.to_owned();
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, device_id, action, target, detail, prev_hash, hash \
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 5000",
        )
        .bind(expected_seq)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let seq: i64 = row.try_get("seq")?;
            if seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    reason: format!("entry {expected_seq} is missing (the next entry is {seq})"),
                });
            }
            let stored_prev: String = row.try_get("prev_hash")?;
            if stored_prev != prev {
                return Ok(Verdict::Broken {
                    seq,
                    reason: "its link to the previous entry does not match".to_owned(),
                });
            }
            let device: Option<String> = row.try_get("device_id")?;
            let action: String = row.try_get("action")?;
            let actor: String = row.try_get("actor")?;
            let target: String = row.try_get("target")?;
            let detail: String = row.try_get("detail")?;
            let device = device.unwrap_or_default();
            let fields = [actor.as_str(), &device, &action, &target, &detail];
            let recomputed = entry_hash(&prev, seq, row.try_get("at")?, fields);
            let stored: String = row.try_get("hash")?;
            if recomputed != stored {
                return Ok(Verdict::Broken {
                    seq,
                    reason: "its content was changed after it was written".to_owned(),
                });
            }
            if let Some(kept) = kept
                && kept.seq == seq
                && kept.hash != stored
            {
                return Ok(Verdict::Broken {
                    seq,
                    reason: "it is not the entry of the head kept outside the database: the log was rewritten".to_owned(),
                });
            }
            prev = stored;
            expected_seq += 1;
        }
    }
    let head = sqlx::query("SELECT value, hash FROM counters WHERE name = 'audit'")
        .fetch_one(&mut *conn)
        .await?;
    let last: i64 = head.try_get("value")?;
    let entries = expected_seq - 1;
    if last != entries {
        return Ok(Verdict::Broken {
            seq: expected_seq,
            reason: format!("entries {expected_seq} to {last} are missing"),
        });
    }
    let head_hash: Option<String> = head.try_get("hash")?;
    if head_hash.as_deref() != Some(prev.as_str()) {
        return Ok(Verdict::Broken {
            seq: entries,
            reason: "the last entry does not match the chain head".to_owned(),
        });
    }
    if let Some(kept) = kept
        && kept.seq > entries
    {
        return Ok(Verdict::Broken {
            seq: entries,
            reason: format!(
                "the log ends at entry {entries}, before the kept head's entry {}",
                kept.seq
            ),
        });
    }
    if kept.is_some_and(|k| k.seq == 0 && k.hash != GENESIS) {
        return Ok(Verdict::Broken {
            seq: 0,
            reason: "the kept head is not the start of a log".to_owned(),
        });
    }
    Ok(Verdict::Intact { entries })
}
