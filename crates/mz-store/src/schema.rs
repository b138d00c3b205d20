//! The local schema and its migrations. Migrations only add; the schema's
//! number is SQLite's `user_version`.

use rusqlite::Connection;

use crate::{StoreError, StoreResult};

const MIGRATIONS: &[&str] = &[
    // 1: the synced records, the outbox and the sync bookkeeping.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE records (
         kind           TEXT NOT NULL,
         id             TEXT NOT NULL,
         -- The local view: the server's record with this device's pending changes.
         version        INTEGER NOT NULL,
         deleted        INTEGER NOT NULL DEFAULT 0,
         data           TEXT,
         org_unit       TEXT,
         -- The server's copy as last seen, kept for the conflict screen.
         server_version INTEGER NOT NULL DEFAULT 0,
         server_data    TEXT,
         server_deleted INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (kind, id)
     );
     CREATE TABLE outbox (
         device_seq   INTEGER PRIMARY KEY,
         kind         TEXT NOT NULL,
         record_id    TEXT NOT NULL,
         op           TEXT NOT NULL,
         base_version INTEGER NOT NULL,
         data         TEXT,
         state        TEXT NOT NULL,  -- pending | conflict | rejected
         outcome      TEXT,
         created_at   INTEGER NOT NULL
     );
     CREATE INDEX outbox_record ON outbox (kind, record_id);",
    // 2: the people index (see search.rs).
    "CREATE TABLE people (
         id         INTEGER PRIMARY KEY,
         kind       TEXT NOT NULL,
         record_id  TEXT NOT NULL,
         role       TEXT NOT NULL,
         name       TEXT NOT NULL,
         doc_number TEXT NOT NULL
     );
     CREATE INDEX people_record ON people (kind, record_id);
     CREATE TABLE person_keys (
         key    TEXT NOT NULL,
         person INTEGER NOT NULL,
         PRIMARY KEY (key, person)
     ) WITHOUT ROWID;",
    // 3: files beside records (see blobs.rs).
    crate::blobs::MIGRATION,
];

/// What a migration does besides its SQL, by the schema number it makes.
fn after_migration(number: i64, conn: &Connection) -> StoreResult<()> {
    match number {
        3 => crate::blobs::lift_inline(conn),
        1 | 2 => Ok(()),
        other => Err(StoreError::BadMeta(format!("schema step {other}"))),
    }
}

/// Brings the schema up to date, one migration per transaction.
pub(crate) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::TooNew {
            found: current,
            known,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        after_migration(index as i64 + 1, &tx)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
