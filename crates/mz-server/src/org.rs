//! Regions and org units: the directory every user and record is placed in.

use axum::Json;
use axum::extract::State;
use mz_api::ErrorBody;
use mz_api::auth::OrgUnitInfo;
use mz_domain::{Action, Resource};
use sqlx::Row;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// The kinds of org unit that `init` creates for each level.
pub const CIVIL_AFFAIRS: &str = "civil_affairs";
pub const MARRIAGE_OFFICE: &str = "marriage_office";
pub const FUNERAL_HOME: &str = "funeral_home";

/// The province's own unit (the department, e.g. 湖南省民政厅), which owns
/// province-wide records such as the holiday calendar.
pub async fn root_unit(pool: &sqlx::AnyPool) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.code, o.region FROM org_units o JOIN regions r ON r.code = o.region \
         WHERE r.level = 'province' AND o.kind = $1 ORDER BY o.code LIMIT 1",
    )
    .bind(CIVIL_AFFAIRS)
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((r.try_get("code")?, r.try_get("region")?)))
        .transpose()
}

#[utoipa::path(get, path = "/api/v1/org-units", tag = "platform", security(("bearer" = [])),
    responses((status = 200, body = Vec<OrgUnitInfo>), (status = 401, body = ErrorBody)))]
pub async fn list_units(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<OrgUnitInfo>>> {
    if mz_domain::access::widest_scope(&caller.roles, Resource::OrgUnit, Action::Read).is_none() {
        return Err(ApiError::forbidden(
            "your roles do not include reading the directory",
        ));
    }
    let rows = sqlx::query("SELECT code, region, name FROM org_units ORDER BY code")
        .fetch_all(&state.db.pool)
        .await?;
    let units = rows
        .iter()
        .map(|r| {
            Ok(OrgUnitInfo {
                code: r.try_get("code")?,
                region: r.try_get("region")?,
                name: r.try_get("name")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Json(units))
}
