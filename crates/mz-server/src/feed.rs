//! The change feed's pull: every change the caller may read after a cursor,
//! in feed order, a page bounded in bytes as well as in count (rows read one
//! by one), every answer carrying the feed's epoch. Reading a personal
//! record is audited, one entry per page.

use axum::Json;
use axum::extract::State;
use futures_util::TryStreamExt;
use mz_api::ErrorBody;
use mz_api::records::RecordKind;
use mz_api::sync::{Change, MAX_PULL_BYTES, MAX_PULL_LIMIT, PullQuery, PullResponse};
use mz_domain::access::widest_scope;
use mz_domain::{Action, Scope};
use serde_json::json;
use sqlx::Row;

use crate::AppState;
use crate::audit;
use crate::auth::Caller;
use crate::clock::to_datetime;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;

#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])),
    params(PullQuery),
    responses(
        (status = 200, body = PullResponse, description = "the changes the caller may see, in feed order"),
        (status = 400, body = ErrorBody, description = "after below 0 or limit outside 1..=1000"),
        (status = 401, body = ErrorBody),
    ))]
pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    if query.after < 0 {
        return Err(ApiError::invalid(
            "after",
            "after is a feed position, 0 or more",
        ));
    }
    if !(1..=MAX_PULL_LIMIT).contains(&query.limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("limit is between 1 and {MAX_PULL_LIMIT}"),
        ));
    }
    let (head, epoch) = feed_head(&state.db.pool).await?;
    if query.after >= head {
        // A cursor past the head was given by another platform, or by this
        // one before it was restored from a backup: the answer's cursor goes
        // back to the head, which tells the client to pull afresh.
        return Ok(Json(PullResponse {
            changes: Vec::new(),
            next: head,
            has_more: false,
            head,
            epoch,
        }));
    }

    let Some((readable, binds)) = readable_rows(&caller, "", 4, true) else {
        return Ok(Json(PullResponse {
            changes: Vec::new(),
            next: head,
            has_more: false,
            head,
            epoch,
        }));
    };
    let sql = format!(
        "SELECT seq, kind, record_id, version, deleted, org_unit, data, changed_at FROM changes \
         WHERE seq > $1 AND seq <= $2 AND ({readable}) ORDER BY seq LIMIT $3"
    );
    let mut q = sqlx::query(crate::db::assembled(sql))
        .bind(query.after)
        .bind(head)
        .bind(query.limit);
    for value in binds {
        q = q.bind(value);
    }
    // Rows are read one by one and the page stops at its byte budget, so a
    // run of large bodies is never held whole in memory.
    let mut rows = q.fetch(&state.db.pool);
    let mut changes = Vec::new();
    let (mut bytes, mut read, mut cut) = (0usize, 0i64, false);
    while let Some(row) = rows.try_next().await? {
        let data: Option<String> = row.try_get("data")?;
        let size = data.as_ref().map_or(0, String::len);
        if bytes + size > MAX_PULL_BYTES && !changes.is_empty() {
            cut = true;
            break;
        }
        bytes += size;
        read += 1;
        // What a desk may not cache (a classified document) goes as a removal.
        changes.push(change_from_row(&row, data)?.for_desks());
    }
    drop(rows);
    // Every read of a personal record is audited: one entry per page, naming
    // the records (never their contents).
    let personal: Vec<String> = changes
        .iter()
        .filter(|c| c.kind.is_personal())
        .map(|c| format!("{}/{}", c.kind, c.record_id))
        .collect();
    if !personal.is_empty() {
        let mut tx = state.db.begin().await?;
        audit::append(
            &mut tx,
            &state.clock,
            &[caller.audit(
                "record.read",
                "sync/pull".to_owned(),
                json!({ "records": personal }),
            )],
        )
        .await?;
        tx.commit().await?;
    }
    let full = cut || read == query.limit;
    let next = match (full, changes.last()) {
        (true, Some(last)) => last.seq,
        _ => head,
    };
    Ok(Json(PullResponse {
        changes,
        next,
        has_more: next < head,
        head,
        epoch,
    }))
}

/// The rows (of `records` or `changes`, their columns prefixed by
/// `prefix`) that the caller may read: every kind the caller's roles read,
/// each within the caller's reach, and of a record kept to an audience only
/// what the audience lets them (`with_hidden`: the rows are the feed's,
/// whose tombstones are hidden from some). An SQL condition whose parameters are
/// numbered from `$first`, with their values in order; `None` when the
/// caller reads no kind at all.
pub(crate) fn readable_rows(
    caller: &Caller,
    prefix: &str,
    first: usize,
    with_hidden: bool,
) -> Option<(String, Vec<String>)> {
    let mut binds: Vec<String> = Vec::new();
    let mut clauses: Vec<String> = Vec::new();
    for kind in RecordKind::ALL {
        let Some(scope) = widest_scope(&caller.roles, kind.resource(), Action::Read) else {
            continue;
        };
        binds.push(kind.as_str().to_owned());
        let kind_param = first + binds.len() - 1;
        let clause = match scope {
            Scope::All => format!("{prefix}kind = ${kind_param}"),
            Scope::Region => {
                binds.push(caller.region.like_pattern());
                format!(
                    "({prefix}kind = ${kind_param} AND {prefix}region LIKE ${})",
                    kind_param + 1
                )
            }
            Scope::Unit => {
                binds.push(caller.org_unit.clone());
                format!(
                    "({prefix}kind = ${kind_param} AND {prefix}org_unit = ${})",
                    kind_param + 1
                )
            }
        };
        clauses.push(clause);
    }
    if clauses.is_empty() {
        return None;
    }
    // A record kept to an audience only to those it names; a tombstone
    // (changes only) not to those it is hidden from.
    let mut named = Vec::new();
    let mut hidden = Vec::new();
    for token in caller.audience_tokens() {
        binds.push(format!("%{token}%"));
        let param = first + binds.len() - 1;
        named.push(format!("{prefix}audience LIKE ${param}"));
        hidden.push(format!("{prefix}hidden LIKE ${param}"));
    }
    let mut condition = format!(
        "({}) AND ({prefix}audience IS NULL OR {})",
        clauses.join(" OR "),
        named.join(" OR ")
    );
    if with_hidden {
        condition.push_str(&format!(
            " AND ({prefix}hidden IS NULL OR NOT ({}))",
            hidden.join(" OR ")
        ));
    }
    Some((condition, binds))
}

/// The feed's last number and its epoch.
/// One read for both: a client polling at the head costs one query.
pub(crate) async fn feed_head(pool: &sqlx::AnyPool) -> ApiResult<(i64, String)> {
    let row = sqlx::query(
        "SELECT f.value AS head, e.hash AS epoch FROM counters f, counters e \
         WHERE f.name = 'feed' AND e.name = 'epoch'",
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ApiError::internal(&"the feed has no counter or no epoch"))?;
    let epoch: Option<String> = row.try_get("epoch")?;
    let epoch = epoch.ok_or_else(|| ApiError::internal(&"the feed has no epoch"))?;
    Ok((row.try_get("head")?, epoch))
}

/// One row of the change feed as a pull answers it.
fn change_from_row(row: &sqlx::any::AnyRow, data: Option<String>) -> ApiResult<Change> {
    let kind: String = row.try_get("kind")?;
    let kind = RecordKind::parse(&kind).ok_or_else(|| {
        ApiError::internal(&format!("the change feed holds an unknown kind {kind:?}"))
    })?;
    let record_id: String = row.try_get("record_id")?;
    Ok(Change {
        seq: row.try_get("seq")?,
        kind,
        record_id: record_id.parse().map_err(|e| ApiError::internal(&e))?,
        version: row.try_get("version")?,
        deleted: row.try_get::<i64, _>("deleted")? != 0,
        org_unit: row.try_get("org_unit")?,
        data: data
            .map(|d| serde_json::from_str(&d))
            .transpose()
            .map_err(|e| ApiError::internal(&crate::error::json_error(&e)))?,
        changed_at: to_datetime(row.try_get("changed_at")?),
    })
}
