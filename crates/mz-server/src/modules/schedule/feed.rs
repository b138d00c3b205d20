//! The leaders' phone feeds: a read-only iCalendar URL per leader that a
//! phone's calendar subscribes to (`/schedule/feed/<token>.ics`). The token
//! is random, kept only as its hash, and revoked at once by the office, the
//! leader or their secretary; a revoked or unknown token is a plain 404. A
//! feed never carries a confidential activity but as a busy time (or not at
//! all, as the office decides), asks the phone to come back every few hours
//! (REFRESH-INTERVAL), and each fetch is logged.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mz_api::ErrorBody;
use mz_api::records::RecordKind;
use mz_api::schedule::ics::{CalendarItem, ConfidentialAs, WriteOptions, write_calendar};
use mz_api::schedule::{
    ActivityData, FEED_REFRESH_MINUTES, Feed, FeedRequest, MAX_FEEDS_PER_LEADER, NewFeed,
    ScheduleSetupData,
};
use mz_domain::Role;
use mz_domain::schedule::Visibility;
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// How far back a feed reaches: a phone needs the weeks ahead, and a month
/// behind is plenty to look back on.
const FEED_PAST_DAYS: i64 = 31;

/// Whether `caller` may hand out or revoke the feed of `leader`: the office
/// for every leader of its unit, a secretary for the leaders they serve, a
/// leader for themself.
fn manages(caller: &Caller, setup: &ScheduleSetupData, leader: &str) -> bool {
    // The office manages every feed of its unit, a leader's who has left too.
    caller.roles.contains(&Role::OfficeStaff)
        || (setup.leader(leader).is_some()
            && ((caller.roles.contains(&Role::Leader) && caller.user_id == leader)
                || (caller.roles.contains(&Role::Secretary)
                    && setup.served_by(&caller.user_id).contains(&leader))))
}

async fn unit_setup(state: &AppState, unit: &str) -> ApiResult<ScheduleSetupData> {
    let mut conn = state.db.pool.acquire().await?;
    super::setup(&mut conn, unit).await
}

fn time(ms: i64) -> ApiResult<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| ApiError::internal(&format!("a stored time {ms} out of range")))
}

const FEED_COLUMNS: &str = "f.id, f.leader, f.created_by, f.created_at, f.revoked_at, \
     (SELECT MAX(x.at) FROM schedule_feed_fetches x WHERE x.feed_id = f.id) AS last_fetch, \
     (SELECT COUNT(*) FROM schedule_feed_fetches x WHERE x.feed_id = f.id) AS fetches";

fn feed_from_row(row: &sqlx::any::AnyRow, setup: &ScheduleSetupData) -> ApiResult<Feed> {
    let id: String = row.try_get("id")?;
    let leader: String = row.try_get("leader")?;
    Ok(Feed {
        id: id.parse().map_err(|e| ApiError::internal(&e))?,
        leader_name: setup
            .leader(&leader)
            .map_or_else(|| leader.clone(), |l| l.name.clone()),
        leader,
        created_by: row.try_get("created_by")?,
        created_at: time(row.try_get("created_at")?)?,
        revoked_at: row
            .try_get::<Option<i64>, _>("revoked_at")?
            .map(time)
            .transpose()?,
        last_fetch_at: row
            .try_get::<Option<i64>, _>("last_fetch")?
            .map(time)
            .transpose()?,
        fetches: row.try_get("fetches")?,
    })
}

#[utoipa::path(post, path = "/api/v1/schedule/feeds", tag = "schedule", security(("bearer" = [])),
    request_body = FeedRequest,
    responses(
        (status = 201, body = NewFeed, description = "the feed made; its path holds the token, shown this once"),
        (status = 400, body = ErrorBody, description = "not a leader of the caller's unit, or the leader has the most feeds already"),
        (status = 403, body = ErrorBody, description = "neither the office, the leader nor their secretary"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiJson(request): crate::extract::ApiJson<FeedRequest>,
) -> ApiResult<(StatusCode, Json<NewFeed>)> {
    let setup = unit_setup(&state, &caller.org_unit).await?;
    if setup.leader(&request.leader).is_none() {
        return Err(ApiError::invalid("leader", "不是本单位的领导"));
    }
    if !manages(&caller, &setup, &request.leader) {
        return Err(ApiError::forbidden(
            "只有办公室、领导本人或其秘书能开通手机订阅",
        ));
    }
    let mut tx = state.db.pool.begin().await?;
    let live: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM schedule_feeds \
         WHERE org_unit = $1 AND leader = $2 AND revoked_at IS NULL",
    )
    .bind(&caller.org_unit)
    .bind(&request.leader)
    .fetch_one(&mut *tx)
    .await?;
    if usize::try_from(live).unwrap_or(usize::MAX) >= MAX_FEEDS_PER_LEADER {
        return Err(ApiError::invalid(
            "leader",
            format!("每位领导最多 {MAX_FEEDS_PER_LEADER} 个有效订阅：请先停用不用的"),
        ));
    }
    let id = Uuid::now_v7();
    let token = crate::auth::new_token("mzf_");
    let now = state.clock.now_ms();
    sqlx::query(
        "INSERT INTO schedule_feeds (id, token_hash, leader, org_unit, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(crate::auth::token_hash(&token))
    .bind(&request.leader)
    .bind(&caller.org_unit)
    .bind(&caller.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        &state.clock,
        &[caller.audit(
            "schedule_feed.create",
            id.to_string(),
            serde_json::json!({ "leader": request.leader }),
        )],
    )
    .await?;
    tx.commit().await?;
    let feed = Feed {
        id,
        leader_name: setup
            .leader(&request.leader)
            .map_or_else(String::new, |l| l.name.clone()),
        leader: request.leader,
        created_by: caller.user_id.clone(),
        created_at: time(now)?,
        revoked_at: None,
        last_fetch_at: None,
        fetches: 0,
    };
    Ok((
        StatusCode::CREATED,
        Json(NewFeed {
            feed,
            path: format!("/api/v1/schedule/feed/{token}.ics"),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/schedule/feeds", tag = "schedule", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Feed>, description = "the feeds of the leaders the caller manages, newest first, revoked ones too"),
    ))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Feed>>> {
    let setup = unit_setup(&state, &caller.org_unit).await?;
    let rows = sqlx::query(crate::db::assembled(format!(
        "SELECT {FEED_COLUMNS} FROM schedule_feeds f WHERE f.org_unit = $1 \
         ORDER BY f.created_at DESC LIMIT 500"
    )))
    .bind(&caller.org_unit)
    .fetch_all(&state.db.pool)
    .await?;
    let mut feeds = Vec::new();
    for row in &rows {
        let feed = feed_from_row(row, &setup)?;
        if manages(&caller, &setup, &feed.leader) {
            feeds.push(feed);
        }
    }
    Ok(Json(feeds))
}

#[utoipa::path(delete, path = "/api/v1/schedule/feeds/{id}", tag = "schedule", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "the feed")),
    responses(
        (status = 200, body = Feed, description = "revoked: its address answers 404 from now on"),
        (status = 404, body = ErrorBody, description = "no such feed among those the caller manages"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Feed>> {
    let setup = unit_setup(&state, &caller.org_unit).await?;
    let mut tx = state.db.pool.begin().await?;
    let row = sqlx::query(crate::db::assembled(format!(
        "SELECT {FEED_COLUMNS} FROM schedule_feeds f WHERE f.id = $1 AND f.org_unit = $2"
    )))
    .bind(id.to_string())
    .bind(&caller.org_unit)
    .fetch_optional(&mut *tx)
    .await?;
    let not_found = || ApiError::new(mz_api::ErrorCode::NotFound, "没有这个订阅");
    let mut feed = match row {
        Some(row) => feed_from_row(&row, &setup)?,
        None => return Err(not_found()),
    };
    if !manages(&caller, &setup, &feed.leader) {
        return Err(not_found());
    }
    if feed.revoked_at.is_none() {
        let now = state.clock.now_ms();
        sqlx::query("UPDATE schedule_feeds SET revoked_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        crate::audit::append(
            &mut tx,
            &state.clock,
            &[caller.audit(
                "schedule_feed.revoke",
                id.to_string(),
                serde_json::json!({ "leader": feed.leader }),
            )],
        )
        .await?;
        feed.revoked_at = Some(time(now)?);
    }
    tx.commit().await?;
    Ok(Json(feed))
}

/// The most bytes of a phone's User-Agent kept with its fetch.
const MAX_AGENT_CHARS: usize = 200;

#[utoipa::path(get, path = "/api/v1/schedule/feed/{token}", tag = "schedule",
    params(("token" = String, Path, description = "the feed's token, with `.ics` after it")),
    responses(
        (status = 200, content_type = "text/calendar", body = String, description = "the leader's activities from a month back on, as iCalendar; confidential ones busy-only or left out"),
        (status = 404, body = ErrorBody, description = "no such feed, or revoked"),
    ))]
pub async fn fetch(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let not_found = || ApiError::new(mz_api::ErrorCode::NotFound, "no such feed");
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    if token.len() > 100 {
        return Err(not_found());
    }
    let mut conn = state.db.pool.acquire().await?;
    let row = sqlx::query(
        "SELECT id, leader, org_unit FROM schedule_feeds \
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(crate::auth::token_hash(token))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found)?;
    let feed_id: String = row.try_get("id")?;
    let leader: String = row.try_get("leader")?;
    let unit: String = row.try_get("org_unit")?;
    let setup = super::setup(&mut conn, &unit).await?;
    // A leader no longer of the unit has no feed.
    if setup.leader(&leader).is_none() {
        return Err(not_found());
    }
    // Never a confidential activity in full, whatever a setup says.
    let confidential = match setup.feed_confidential {
        ConfidentialAs::Omitted => ConfidentialAs::Omitted,
        ConfidentialAs::Busy | ConfidentialAs::Shown => ConfidentialAs::Busy,
    };
    let now = state.clock.now_ms();
    let today = mz_domain::holiday::china_date(time(now)?);
    let since = (today - chrono::Duration::days(FEED_PAST_DAYS)).and_time(chrono::NaiveTime::MIN);
    let records: Vec<(Uuid, ActivityData, Option<String>)> =
        crate::modules::unit_records(&mut conn, &unit, RecordKind::ScheduleActivity.as_str())
            .await?;
    let calendars = crate::modules::load_calendars(&mut conn).await?;
    let rest = |d| calendars.is_rest_day_planned(d);
    // The leader's records (a confidential one not when the office leaves
    // those out); a series' occurrences moved to records not kept are taken
    // out of it.
    let all: Vec<(Uuid, &ActivityData)> = records.iter().map(|(id, a, _)| (*id, a)).collect();
    let mine = |a: &ActivityData| {
        a.leaders.contains(&leader)
            && !(a.visibility == Visibility::Confidential
                && confidential == ConfidentialAs::Omitted)
    };
    let mut kept = Vec::new();
    for (id, activity) in mz_api::schedule::ics::calendar_of(&all, &mine) {
        let (_, end) = mz_api::schedule::whole_span(&activity, &rest)
            .map_err(|m| ApiError::internal(&format!("activity {id}: {m}")))?;
        if end >= since {
            kept.push((id, activity));
        }
    }
    let names: Vec<Vec<String>> = kept
        .iter()
        .map(|(_, a)| {
            a.leaders
                .iter()
                .map(|l| {
                    setup
                        .leader(l)
                        .map_or_else(|| l.clone(), |x| x.name.clone())
                })
                .collect()
        })
        .collect();
    let items: Vec<CalendarItem<'_>> = kept
        .iter()
        .zip(&names)
        .map(|((id, data), leader_names)| CalendarItem {
            id: *id,
            data,
            leader_names,
        })
        .collect();
    let name = setup
        .leader(&leader)
        .map_or_else(|| "领导日程".to_owned(), |l| format!("{}的日程", l.name));
    let text = write_calendar(
        &items,
        &WriteOptions {
            name: &name,
            stamp: time(now)?,
            confidential,
            refresh_minutes: Some(FEED_REFRESH_MINUTES),
            rest: &rest,
        },
    );
    let shown = kept.len();
    let agent: Option<String> = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(MAX_AGENT_CHARS).collect());
    sqlx::query(
        "INSERT INTO schedule_feed_fetches (feed_id, at, user_agent, events) VALUES ($1, $2, $3, $4)",
    )
    .bind(&feed_id)
    .bind(now)
    .bind(agent)
    .bind(i64::try_from(shown).unwrap_or(i64::MAX))
    .execute(&mut *conn)
    .await?;
    tracing::info!(feed = %feed_id, events = shown, "schedule feed fetched");
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        text,
    )
        .into_response())
}
