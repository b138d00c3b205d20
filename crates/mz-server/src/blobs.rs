//! Files kept beside records (a couple's photo, a funeral case's scans, an
//! official document's attachments), stored once by the SHA-256 of their
//! bytes, each at most [`MAX_BLOB_BYTES`] (10 MB): the route takes bodies
//! that large, and the time a large one takes ([`crate::Limits`]).
//!
//! A client sends a file with `PUT /blobs/{sha256}` before the record that
//! names it; a push whose body names a file the platform does not hold is
//! refused, with the field. A file is read with `GET /blobs/{sha256}` by
//! whoever may read a record (in any of its versions) that names it — a
//! record kept to an audience (a classified document) only by that audience
//! — and by its uploader; to anyone else it does not exist. Reading
//! one is audited, as reading a personal record is. A file that no record
//! names a week after its upload is deleted, and a user may have at most
//! [`MAX_UNNAMED_PER_USER`] such files at once.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mz_api::records::RecordKind;
use mz_api::{ErrorBody, ErrorCode};
use mz_domain::blob::{BlobRef, MAX_BLOB_BYTES};
use mz_domain::{Action, access::widest_scope};
use serde_json::json;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// How many files a user may have sent that no record names yet.
pub const MAX_UNNAMED_PER_USER: i64 = 100;

/// How long a file no record names is kept, in milliseconds (a week).
const UNNAMED_KEPT_MS: i64 = 7 * 24 * 60 * 60 * 1000;

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "a file is kept up to {} MB; this one is larger",
            MAX_BLOB_BYTES / (1024 * 1024)
        ),
    )
    .with_details(json!({ "field": "body", "max_bytes": MAX_BLOB_BYTES }))
}

fn parse_hash(sha256: &str) -> ApiResult<String> {
    if !mz_domain::blob::is_sha256_hex(sha256) {
        return Err(ApiError::invalid(
            "sha256",
            "a file is named by the SHA-256 of its bytes: 64 lowercase hexadecimal digits",
        ));
    }
    Ok(sha256.to_owned())
}

#[utoipa::path(put, path = "/api/v1/blobs/{sha256}", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the SHA-256 of the bytes, 64 lowercase hex digits")),
    request_body(
        content(
            (mz_api::FileBytes = "image/jpeg"),
            (mz_api::FileBytes = "image/png"),
            (mz_api::FileBytes = "application/pdf"),
            (mz_api::FileBytes = "application/ofd"),
            (mz_api::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (mz_api::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (mz_api::FileBytes = "text/plain"),
        ),
        description = "the file's bytes, with its media type as Content-Type: JPEG, PNG, PDF, OFD, \
            DOCX, XLSX or plain text (UTF-8), checked by the content (an OFD, DOCX or XLSX file by the parts its ZIP \
            archive lists); at most 10 MB. Which types and sizes a record's field takes is \
            checked when the record naming the file is pushed (a photo: JPEG or PNG up to 1 MB)"),
    responses(
        (status = 201, description = "stored"),
        (status = 200, description = "the platform held the file already"),
        (status = 400, body = ErrorBody, description = "a malformed hash, bytes whose hash differs, a media type the platform does not keep, or content that is not the media type"),
        (status = 403, body = ErrorBody, description = "a role that writes no record kind with files"),
        (status = 413, body = ErrorBody, description = "a file over 10 MB"),
        (status = 422, body = ErrorBody, description = "too many files sent that no record names yet"),
    ))]
pub async fn put_blob(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Result<crate::extract::ApiBytes, ApiError>,
) -> ApiResult<StatusCode> {
    let sha256 = parse_hash(&sha256)?;
    let writes_files = RecordKind::ALL.iter().any(|kind| {
        !kind.blob_fields().is_empty()
            && widest_scope(&caller.roles, kind.resource(), Action::Write).is_some()
    });
    if !writes_files {
        return Err(ApiError::forbidden(
            "your roles write no record that keeps files",
        ));
    }
    // The route's body limit is the largest file: a larger one is cut off
    // while it is read, and answered here.
    let body = match body {
        Ok(crate::extract::ApiBytes(body)) if body.len() <= MAX_BLOB_BYTES => body,
        Ok(_) => return Err(too_large()),
        Err(error) if error.code == ErrorCode::PayloadTooLarge => return Err(too_large()),
        Err(error) => return Err(error),
    };
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_ascii_lowercase())
        .ok_or_else(|| ApiError::invalid("content-type", "the file's media type is missing"))?;
    let blob = BlobRef::of(&media_type, &body);
    if blob.sha256 != sha256 {
        return Err(ApiError::invalid(
            "sha256",
            "the bytes' SHA-256 is not the one in the path: the file was cut or changed on the way",
        ));
    }
    blob.check_bytes("body", &body)
        .map_err(|issue| ApiError::invalid("body", issue.message))?;

    let now = state.clock.now_ms();
    let mut tx = state.db.begin().await?;
    let held: Option<(String, i64)> =
        sqlx::query("SELECT media_type, size FROM blobs WHERE sha256 = $1")
            .bind(&sha256)
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| Ok::<_, sqlx::Error>((row.try_get(0)?, row.try_get(1)?)))
            .transpose()?;
    if let Some((held_type, _)) = held {
        if held_type != media_type {
            return Err(ApiError::invalid(
                "content-type",
                format!("the platform holds these bytes as {held_type}"),
            ));
        }
        return Ok(StatusCode::OK);
    }
    // Files nobody named within a week go; then the sender's own count.
    sqlx::query(
        "DELETE FROM blobs WHERE uploaded_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM record_blobs r WHERE r.sha256 = blobs.sha256)",
    )
    .bind(now - UNNAMED_KEPT_MS)
    .execute(&mut *tx)
    .await?;
    let unnamed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM blobs b WHERE b.uploaded_by = $1 \
         AND NOT EXISTS (SELECT 1 FROM record_blobs r WHERE r.sha256 = b.sha256)",
    )
    .bind(&caller.user_id)
    .fetch_one(&mut *tx)
    .await?;
    if unnamed >= MAX_UNNAMED_PER_USER {
        return Err(ApiError::new(
            ErrorCode::RuleViolation,
            format!(
                "{unnamed} files you sent are not yet named by any record; send the records that name them first"
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO blobs (sha256, media_type, size, data, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&sha256)
    .bind(&media_type)
    .bind(body.len() as i64)
    .bind(body.to_vec())
    .bind(&caller.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        &state.clock,
        &[caller.audit(
            "blob.upload",
            format!("blobs/{sha256}"),
            json!({ "media_type": media_type, "size": body.len() }),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(get, path = "/api/v1/blobs/{sha256}", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the SHA-256 of the bytes, 64 lowercase hex digits")),
    responses(
        (status = 200, content(
                (mz_api::FileBytes = "image/jpeg"),
                (mz_api::FileBytes = "image/png"),
                (mz_api::FileBytes = "application/pdf"),
                (mz_api::FileBytes = "application/ofd"),
                (mz_api::FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (mz_api::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (mz_api::FileBytes = "text/plain"),
            ), description = "the file (at most 10 MB), with its media type as Content-Type"),
        (status = 400, body = ErrorBody, description = "a malformed hash"),
        (status = 404, body = ErrorBody, description = "no such file within the caller's reach"),
    ))]
pub async fn get_blob(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    let sha256 = parse_hash(&sha256)?;
    // Readable through a record the caller may read, or as its uploader.
    let (readable, binds) = crate::feed::readable_rows(&caller, "r.", 3, false)
        .unwrap_or_else(|| ("1 = 0".to_owned(), Vec::new()));
    let sql = format!(
        "SELECT b.media_type, b.data FROM blobs b WHERE b.sha256 = $1 AND (b.uploaded_by = $2 \
         OR EXISTS (SELECT 1 FROM record_blobs rb JOIN records r \
         ON r.kind = rb.kind AND r.id = rb.record_id WHERE rb.sha256 = b.sha256 AND ({readable})))"
    );
    let mut query = sqlx::query(crate::db::assembled(sql))
        .bind(&sha256)
        .bind(&caller.user_id);
    for value in binds {
        query = query.bind(value);
    }
    let mut tx = state.db.begin().await?;
    let Some(row) = query.fetch_optional(&mut *tx).await? else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "no such file within your reach",
        ));
    };
    let media_type: String = row.try_get("media_type")?;
    let data: Vec<u8> = row.try_get("data")?;
    audit::append(
        &mut tx,
        &state.clock,
        &[caller.audit("blob.read", format!("blobs/{sha256}"), json!({}))],
    )
    .await?;
    tx.commit().await?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        data,
    )
        .into_response())
}

/// The files among `hashes` that the platform holds, with their media type and size.
pub(crate) async fn held(
    conn: &mut AnyConnection,
    hashes: &[String],
) -> ApiResult<HashMap<String, (String, u64)>> {
    let mut held = HashMap::new();
    for chunk in hashes.chunks(200) {
        let sql = format!(
            "SELECT sha256, media_type, size FROM blobs WHERE sha256 IN ({})",
            crate::db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for hash in chunk {
            query = query.bind(hash);
        }
        for row in query.fetch_all(&mut *conn).await? {
            let size: i64 = row.try_get("size")?;
            held.insert(
                row.try_get("sha256")?,
                (row.try_get("media_type")?, size as u64),
            );
        }
    }
    Ok(held)
}

/// Notes that a record names these files (kept for every version: a file
/// an older version named stays readable with the record's history).
pub(crate) async fn note_named(
    conn: &mut AnyConnection,
    named: &[(RecordKind, uuid::Uuid, String)],
) -> ApiResult<()> {
    for (kind, id, sha256) in named {
        sqlx::query(
            "INSERT INTO record_blobs (sha256, kind, record_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(sha256)
        .bind(kind.as_str())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Lifts the files that bodies written before blobs held inline (a photo
/// in base64) out of the stored records and the feed, once: each becomes a
/// blob named by the record, and the bodies name it by hash. Bodies that
/// name no inline file are left as they are, so a run cut short is simply
/// run again at the next start.
pub async fn lift_inline(db: &crate::Db) -> ApiResult<()> {
    let done: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = 'inline_blobs'")
        .fetch_one(&db.pool)
        .await?;
    if done != 0 {
        return Ok(());
    }
    let kinds: Vec<&str> = RecordKind::ALL
        .iter()
        .filter(|kind| !kind.blob_fields().is_empty())
        .map(|kind| kind.as_str())
        .collect();
    let kinds = kinds
        .iter()
        .map(|kind| format!("'{kind}'"))
        .collect::<Vec<_>>()
        .join(", ");
    // The current records, page by page in id order; then the feed, by seq.
    let mut after = String::new();
    loop {
        let sql = format!(
            "SELECT kind, id AS record_id, data FROM records \
             WHERE kind IN ({kinds}) AND id > $1 ORDER BY id LIMIT 50"
        );
        let rows = sqlx::query(crate::db::assembled(sql))
            .bind(&after)
            .fetch_all(&db.pool)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("record_id")?;
        let mut tx = db.begin().await?;
        for row in &rows {
            if let Some(body) = lifted_body(&mut tx, row).await? {
                sqlx::query("UPDATE records SET data = $1 WHERE kind = $2 AND id = $3")
                    .bind(body)
                    .bind(row.try_get::<String, _>("kind")?)
                    .bind(row.try_get::<String, _>("record_id")?)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
    }
    let mut after = 0i64;
    loop {
        let sql = format!(
            "SELECT seq, kind, record_id, data FROM changes \
             WHERE kind IN ({kinds}) AND seq > $1 ORDER BY seq LIMIT 50"
        );
        let rows = sqlx::query(crate::db::assembled(sql))
            .bind(after)
            .fetch_all(&db.pool)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("seq")?;
        let mut tx = db.begin().await?;
        for row in &rows {
            if let Some(body) = lifted_body(&mut tx, row).await? {
                sqlx::query("UPDATE changes SET data = $1 WHERE seq = $2")
                    .bind(body)
                    .bind(row.try_get::<i64, _>("seq")?)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
    }
    sqlx::query("UPDATE counters SET value = 1 WHERE name = 'inline_blobs'")
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The body of a stored row (its `kind`, `record_id` and `data`) with its
/// inline files stored as blobs and named by hash; `None` when it has none.
async fn lifted_body(
    conn: &mut AnyConnection,
    row: &sqlx::any::AnyRow,
) -> ApiResult<Option<String>> {
    let kind: String = row.try_get("kind")?;
    let record_id: String = row.try_get("record_id")?;
    let named = |what: &str| ApiError::internal(&format!("{kind}/{record_id}: {what}"));
    let Some(text) = row.try_get::<Option<String>, _>("data")? else {
        return Ok(None);
    };
    let kind = RecordKind::parse(&kind).ok_or_else(|| named("unknown kind"))?;
    let id: uuid::Uuid = record_id
        .parse()
        .map_err(|_| named("the id is not a UUID"))?;
    let mut body: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| named("the body is not JSON"))?;
    let lifted = kind
        .lift_inline_blobs(&mut body)
        .map_err(|issue| named(&format!("{}: {}", issue.field, issue.message)))?;
    if lifted.is_empty() {
        return Ok(None);
    }
    let mut names = Vec::with_capacity(lifted.len());
    for (blob, bytes) in lifted {
        sqlx::query(
            "INSERT INTO blobs (sha256, media_type, size, data, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, '', 0) ON CONFLICT DO NOTHING",
        )
        .bind(&blob.sha256)
        .bind(&blob.media_type)
        .bind(blob.size as i64)
        .bind(bytes)
        .execute(&mut *conn)
        .await?;
        names.push((kind, id, blob.sha256));
    }
    note_named(conn, &names).await?;
    Ok(Some(body.to_string()))
}
