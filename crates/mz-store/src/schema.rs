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
    // 4: the full-text index (see texts.rs).
    crate::texts::MIGRATION,
    // 5: the day each record is about (see search.rs), for 综合查询's dates.
    "ALTER TABLE records ADD COLUMN day TEXT;",
];

/// What a migration does besides its SQL, by the schema number it makes.
fn after_migration(number: i64, conn: &Connection) -> StoreResult<()> {
    match number {
        3 => crate::blobs::lift_inline(conn),
        4 => crate::texts::reindex_all(conn),
        5 => crate::search::redate_all(conn),
        1 | 2 => Ok(()),
        other => Err(StoreError::BadMeta(format!("schema step {other}"))),
    }
}

/// Brings the schema up to date, one migration per transaction.
pub(crate) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    migrate_to(conn, MIGRATIONS.len())
}

/// Brings the schema up to migration `last`.
fn migrate_to(conn: &mut Connection, last: usize) -> StoreResult<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::TooNew {
            found: current,
            known,
        });
    }
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(last)
        .skip(current as usize)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        after_migration(index as i64 + 1, &tx)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_of_schema_2_has_its_inline_photos_lifted_into_files() {
        use base64::Engine;
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR old";
        let inline = serde_json::json!({
            "status": "prepared",
            "photo": { "media_type": "image/png",
                       "data": base64::engine::general_purpose::STANDARD.encode(png) },
        })
        .to_string();
        conn.execute(
            "INSERT INTO records (kind, id, version, data, server_data) \
             VALUES ('marriage_registration', 'r1', 1, ?1, ?1)",
            [&inline],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO outbox (device_seq, kind, record_id, op, base_version, data, state, created_at) \
             VALUES (7, 'marriage_registration', 'r1', 'upsert', 1, ?1, 'pending', 0)",
            [&inline],
        )
        .unwrap();

        // Up to the step that lifts them (a later one reads the bodies as
        // their kind, which these bare ones are not).
        migrate_to(&mut conn, 3).unwrap();

        let photo = mz_domain::blob::BlobRef::of("image/png", png);
        let expected = serde_json::to_value(&photo).unwrap();
        for sql in [
            "SELECT data FROM records",
            "SELECT server_data FROM records",
            "SELECT data FROM outbox",
        ] {
            let text: String = conn.query_row(sql, [], |row| row.get(0)).unwrap();
            let body: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(body["photo"], expected, "{sql}");
            assert_eq!(body["status"], "prepared");
        }
        let (bytes, sent): (Vec<u8>, bool) = conn
            .query_row(
                "SELECT data, sent FROM blobs WHERE sha256 = ?1",
                [&photo.sha256],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((bytes.as_slice(), sent), (&png[..], false));
    }

    #[test]
    fn a_cache_of_schema_4_has_the_day_of_each_dated_record_kept() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 4).unwrap();
        let id = uuid::Uuid::now_v7().to_string();
        let activity = serde_json::json!({
            "leaders": ["u1"],
            "when": {"kind": "all_day", "from": "2026-03-02", "to": "2026-03-04"},
            "content": "调研", "visibility": "public"
        })
        .to_string();
        conn.execute(
            "INSERT INTO records (kind, id, version, data, server_data) \
             VALUES ('schedule_activity', ?1, 1, ?2, ?2)",
            [&id, &activity],
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        let day: Option<String> = conn
            .query_row("SELECT day FROM records WHERE id = ?1", [&id], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(day.as_deref(), Some("2026-03-02"));
    }
}
