//! `/funeral/figures`: the homes' counts per month, read from the counts
//! kept as the cases arrive (never by reading the cases), no personal data.

use axum::Json;
use axum::extract::State;
use mz_api::ErrorBody;
use mz_api::funeral::{FuneralFiguresQuery, HomeFigures};
use mz_domain::access::widest_scope;
use mz_domain::{Action, Resource};

use super::queries;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Derives again the events of the cases stored before the waived ones
/// were counted: once, when the platform starts on such a database. A
/// case's events are kept whole (its old ones taken off the counts first),
/// so deriving them again counts nothing twice.
pub async fn derive_waived(db: &crate::Db) -> ApiResult<()> {
    crate::modules::derive_once(
        db,
        "funeral_waived",
        &[mz_api::records::RecordKind::FuneralCase],
        |conn, written| Box::pin(super::keep_cases(conn, written)),
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/funeral/figures", tag = "funeral", security(("bearer" = [])),
    params(FuneralFiguresQuery),
    responses(
        (status = 200, body = Vec<HomeFigures>, description = "each home within reach, with its counts; no personal data"),
        (status = 400, body = ErrorBody, description = "a malformed or reversed range of months, or longer than ten years"),
        (status = 403, body = ErrorBody, description = "a role without funeral figures"),
    ))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<FuneralFiguresQuery>,
) -> ApiResult<Json<Vec<HomeFigures>>> {
    let Some(scope) = widest_scope(&caller.roles, Resource::FuneralFigures, Action::Read) else {
        return Err(ApiError::forbidden("您的角色不能查看殡葬统计"));
    };
    crate::modules::months(&query.from, &query.to)?;
    let counts = queries::counts(&state.db, &caller, scope, (&query.from, &query.to)).await?;
    let mut homes: std::collections::BTreeMap<String, HomeFigures> =
        std::collections::BTreeMap::new();
    for count in counts {
        let n = u32::try_from(count.n).map_err(|e| ApiError::internal(&e))?;
        let home = homes
            .entry(count.org_unit.clone())
            .or_insert_with(|| HomeFigures {
                org_unit: count.org_unit,
                name: count.name.unwrap_or_default(),
                region: count.region,
                ..HomeFigures::default()
            });
        *home.count_mut(count.event) += n;
    }
    Ok(Json(homes.into_values().collect()))
}
