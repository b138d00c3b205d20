//! A record's history: every change the feed holds for it, with who made
//! it, on which device and when. Reading it is reading the record: the
//! same scope applies, and for personal records the read is audited.

use axum::Json;
use axum::extract::{Path, State};
use mz_api::ErrorBody;
use mz_api::records::{HistoryEntry, RecordKind};
use mz_domain::access::widest_scope;
use mz_domain::{Action, RegionCode};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::audit;
use crate::auth::Caller;
use crate::clock::to_datetime;
use crate::error::{ApiError, ApiResult};

#[utoipa::path(get, path = "/api/v1/records/{kind}/{id}/history", tag = "sync", security(("bearer" = [])),
    params(
        ("kind" = String, Path, description = "the record kind, e.g. `marriage_registration`"),
        ("id" = Uuid, Path, description = "the record's id"),
    ),
    responses(
        (status = 200, body = Vec<HistoryEntry>, description = "the record's changes, oldest first"),
        (status = 400, body = ErrorBody, description = "an unknown kind"),
        (status = 403, body = ErrorBody, description = "the record is outside the caller's reach"),
        (status = 404, body = ErrorBody, description = "no such record"),
    ))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, id)): Path<(String, String)>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    let id: Uuid = id
        .parse()
        .map_err(|_| ApiError::invalid("id", "the record id is not a UUID"))?;
    let kind =
        RecordKind::parse(&kind).ok_or_else(|| ApiError::invalid("kind", "no such record kind"))?;
    let Some(scope) = widest_scope(&caller.roles, kind.resource(), Action::Read) else {
        return Err(ApiError::forbidden(format!(
            "your roles do not include reading {kind}"
        )));
    };
    let mut tx = state.db.begin().await?;
    let rows = sqlx::query(
        "SELECT c.seq, c.version, c.deleted, c.org_unit, c.region, c.data, c.changed_at, \
         u.display_name, d.name AS device FROM changes c \
         LEFT JOIN users u ON u.id = c.user_id LEFT JOIN devices d ON d.id = c.device_id \
         WHERE c.kind = $1 AND c.record_id = $2 AND c.hidden IS NULL ORDER BY c.seq",
    )
    .bind(kind.as_str())
    .bind(id.to_string())
    .fetch_all(&mut *tx)
    .await?;
    let Some(last) = rows.last() else {
        return Err(ApiError::new(mz_api::ErrorCode::NotFound, "no such record"));
    };
    let unit: String = last.try_get("org_unit")?;
    let region: String = last.try_get("region")?;
    let region: Option<RegionCode> = region.parse().ok();
    if !crate::sync::may_touch(scope, &caller, &unit, region) {
        return Err(ApiError::forbidden(
            "this record belongs to an org unit you do not reach",
        ));
    }
    // A record kept to an audience shows its history to that audience only.
    let audience: Option<Option<String>> =
        sqlx::query_scalar("SELECT audience FROM records WHERE kind = $1 AND id = $2")
            .bind(kind.as_str())
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    if !crate::sync::in_audience(audience.flatten().as_deref(), &caller) {
        return Err(ApiError::forbidden(
            "this record is not among those you may read",
        ));
    }
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let data: Option<String> = row.try_get("data")?;
        let user: Option<String> = row.try_get("display_name")?;
        let device: Option<String> = row.try_get("device")?;
        entries.push(HistoryEntry {
            seq: row.try_get("seq")?,
            version: row.try_get("version")?,
            changed_at: to_datetime(row.try_get("changed_at")?),
            user: user.unwrap_or_else(|| "—".to_owned()),
            device: device.unwrap_or_else(|| "—".to_owned()),
            deleted: row.try_get::<i64, _>("deleted")? != 0,
            data: data.and_then(|d| serde_json::from_str(&d).ok()),
        });
    }
    if kind.is_personal() {
        audit::append(
            &mut tx,
            &state.clock,
            &[caller.audit(
                "record.history",
                format!("{kind}/{id}"),
                json!({ "changes": entries.len() }),
            )],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(entries))
}
