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

/// A month as `YYYY-MM`, or the issue with its field.
fn month(field: &str, text: &str) -> ApiResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 7)
        .ok_or_else(|| ApiError::invalid(field, "月份的格式为 2026-12"))
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
    let (from, to) = (month("from", &query.from)?, month("to", &query.to)?);
    if from > to {
        return Err(ApiError::invalid("from", "起始月份晚于截止月份"));
    }
    if (to - from).num_days() > 3660 {
        return Err(ApiError::invalid("to", "统计区间最长十年"));
    }
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
