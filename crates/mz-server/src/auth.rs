//! Login, refresh, logout and the caller of every authenticated request.
//!
//! Passwords are hashed with Argon2id. Tokens are random and opaque; only
//! their SHA-256 is stored, and every request looks its token up together
//! with the user and the device, so disabling a user or revoking a device
//! takes effect on the next request. Failed sign-ins are throttled by address
//! and by account ([`crate::throttle`]); a device is bound to its first
//! installation by a secret; a spent refresh token presented again ends its
//! session, and no session outlives [`SESSION_MAX_MS`].

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use mz_api::auth::{
    LoginRequest, LogoutRequest, OrgUnitInfo, RefreshRequest, TokenResponse, UserInfo,
};
use mz_api::{ErrorBody, ErrorCode};
use mz_domain::{RegionCode, Role};
use rand::RngCore;
use rand::rngs::OsRng;
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{self, AuditEntry};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, PeerAddress};
use crate::throttle;

pub const ACCESS_TTL_MS: i64 = 15 * 60 * 1000;
/// A refresh token unused this long ends its session.
pub const REFRESH_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// No session outlives this, however often it is refreshed.
pub const SESSION_MAX_MS: i64 = 30 * 24 * 60 * 60 * 1000;
pub const MIN_PASSWORD_CHARS: usize = 8;

const WRONG_CREDENTIALS: &str = "wrong username or password";

/// Hashes a password with Argon2id and a fresh salt.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that the answer
/// takes as long as for a real user and does not reveal which usernames exist.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").unwrap_or_default())
}

/// Checks a new password against the policy.
pub fn check_password_policy(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if chars > 256 {
        return Err("a password has at most 256 characters".to_owned());
    }
    Ok(())
}

pub(crate) fn new_token(prefix: &str) -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub(crate) fn token_hash(token: &str) -> String {
    crate::sha256_hex(token)
}

/// Parses the comma-separated roles column.
pub fn parse_roles(column: &str) -> Vec<Role> {
    column
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect()
}

/// Who is calling: resolved from the bearer token on every request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub org_unit: String,
    pub org_unit_name: String,
    pub region: RegionCode,
    pub device_id: String,
    pub session_id: String,
}

impl Caller {
    /// The tokens a record's audience names the caller by: their user id
    /// and each of their roles, each between commas as stored.
    pub fn audience_tokens(&self) -> Vec<String> {
        std::iter::once(format!(",u:{},", self.user_id))
            .chain(self.roles.iter().map(|r| format!(",r:{},", r.as_str())))
            .collect()
    }

    pub fn placement(&self) -> mz_domain::access::Placement<'_> {
        mz_domain::access::Placement {
            unit: &self.org_unit,
            region: self.region,
        }
    }

    pub fn info(&self) -> ApiResult<UserInfo> {
        Ok(UserInfo {
            id: self.user_id.parse().map_err(|e| ApiError::internal(&e))?,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            org_unit: OrgUnitInfo {
                code: self.org_unit.clone(),
                region: self.region.to_string(),
                name: self.org_unit_name.clone(),
            },
            roles: self.roles.clone(),
        })
    }

    /// An audit entry made by this caller.
    pub fn audit(
        &self,
        action: &'static str,
        target: String,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            actor: self.user_id.clone(),
            device_id: Some(self.device_id.clone()),
            action,
            target,
            detail,
        }
    }
}

const CALLER_COLUMNS: &str = "s.id AS session_id, s.access_expires, s.device_id, u.id AS user_id, \
     u.username, u.display_name, u.roles, u.disabled, u.org_unit, o.name AS org_unit_name, \
     o.region, d.revoked_at";

fn caller_from_row(row: &sqlx::any::AnyRow) -> Result<Caller, sqlx::Error> {
    let region: String = row.try_get("region")?;
    Ok(Caller {
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        roles: parse_roles(&row.try_get::<String, _>("roles")?),
        org_unit: row.try_get("org_unit")?,
        org_unit_name: row.try_get("org_unit_name")?,
        region: region
            .parse()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        device_id: row.try_get("device_id")?,
        session_id: row.try_get("session_id")?,
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::unauthenticated("sign in first: no bearer token was sent"))?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthenticated("the Authorization header must be 'Bearer <token>'")
            })?;
        let row = caller_row(&state.db.pool, "s.access_hash", token_hash(token))
            .await?
            .ok_or_else(|| ApiError::unauthenticated("the token is not valid; sign in again"))?;
        let expires: i64 = row.try_get("access_expires").map_err(ApiError::from)?;
        if expires <= state.clock.now_ms() {
            return Err(ApiError::unauthenticated(
                "the token has expired; refresh it or sign in again",
            ));
        }
        if row.try_get::<i64, _>("disabled").map_err(ApiError::from)? != 0 {
            return Err(ApiError::unauthenticated("this account has been disabled"));
        }
        if row
            .try_get::<Option<i64>, _>("revoked_at")
            .map_err(ApiError::from)?
            .is_some()
        {
            return Err(ApiError::device_revoked());
        }
        caller_from_row(&row).map_err(ApiError::from)
    }
}

fn check_login_input(req: &LoginRequest) -> ApiResult<()> {
    let username_chars = req.username.chars().count();
    if username_chars == 0 || username_chars > 64 {
        return Err(ApiError::invalid(
            "username",
            "the username has 1 to 64 characters",
        ));
    }
    if req.password.is_empty() || req.password.chars().count() > 256 {
        return Err(ApiError::invalid(
            "password",
            "the password has 1 to 256 characters",
        ));
    }
    let device_chars = req.device_name.trim().chars().count();
    if device_chars == 0 || device_chars > 100 {
        return Err(ApiError::invalid(
            "device_name",
            "the device name has 1 to 100 characters",
        ));
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse, description = "signed in"),
        (status = 400, body = ErrorBody, description = "malformed request"),
        (status = 401, body = ErrorBody, description = "wrong username or password, or account disabled"),
        (status = 403, body = ErrorBody, description = "the device has been revoked (code device_revoked), or its id belongs to another installation (code forbidden)"),
        (status = 423, body = ErrorBody, description = "too many failed sign-ins from this address or for this account: try again later (details.retry_after_seconds)"),
        (status = 503, body = ErrorBody, description = "too many sign-ins at once; try again in a moment"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    check_login_input(&req)?;
    let now = state.clock.now_ms();
    let attempt = throttle::Attempt::new(&req.username, address);
    throttle::reserve(&state.db, &attempt, now).await?;
    let checked = verify_credentials(&state, &req).await;
    let (user, verified) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            // The server failed, not the password: the attempt is not counted.
            throttle::release(&state.db, &attempt, false).await?;
            return Err(error);
        }
    };
    let device_id = req.device_id.to_string();
    let user = match user {
        Some(user) if verified => user,
        known => {
            let blocks = throttle::fail(&state.db, &attempt, now).await?;
            let entry = AuditEntry {
                actor: match &known {
                    Some(user) => user.try_get("id")?,
                    None => "anonymous".to_owned(),
                },
                device_id: Some(device_id),
                action: "auth.login_failed",
                target: "auth/login".to_owned(),
                detail: json!({ "blocked": blocks.is_some() }),
            };
            let mut tx = state.db.begin().await?;
            audit::append(&mut tx, &state.clock, &[entry]).await?;
            tx.commit().await?;
            return Err(match blocks {
                Some(block_ms) => throttle::blocked(block_ms),
                None => ApiError::unauthenticated(WRONG_CREDENTIALS),
            });
        }
    };
    throttle::release(&state.db, &attempt, true).await?;
    let user_id: String = user.try_get("id")?;
    if user.try_get::<i64, _>("disabled")? != 0 {
        return Err(ApiError::unauthenticated("this account has been disabled"));
    }

    let mut tx = state.db.begin().await?;
    let device_secret = bind_device(&mut tx, &req, &user_id, now).await?;
    let session_id = Uuid::now_v7().to_string();
    let access = new_token("mzat_");
    let refresh = new_token("mzrt_");
    sqlx::query(
        "INSERT INTO sessions (id, user_id, device_id, access_hash, access_expires, refresh_hash, \
         refresh_expires, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&session_id)
    .bind(&user_id)
    .bind(&device_id)
    .bind(token_hash(&access))
    .bind(now + ACCESS_TTL_MS)
    .bind(token_hash(&refresh))
    .bind(now + REFRESH_TTL_MS)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry {
        actor: user_id.clone(),
        device_id: Some(device_id),
        action: "auth.login",
        target: format!("session/{session_id}"),
        detail: json!({ "device_bound": device_secret.is_some() }),
    };
    audit::append(&mut tx, &state.clock, &[entry]).await?;
    tx.commit().await?;

    let caller = load_caller_by_session(&state, &session_id).await?;
    Ok(Json(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL_MS / 1000,
        user: caller.info()?,
        device_secret,
    }))
}

/// The user named by the request, if any, and whether the password is
/// theirs. An unknown user is checked against a decoy hash: the same work,
/// the same answer, the same time.
async fn verify_credentials(
    state: &AppState,
    req: &LoginRequest,
) -> ApiResult<(Option<sqlx::any::AnyRow>, bool)> {
    let user = sqlx::query("SELECT id, password_hash, disabled FROM users WHERE username = $1")
        .bind(&req.username)
        .fetch_optional(&state.db.pool)
        .await?;
    let stored = match &user {
        Some(user) => user.try_get::<String, _>("password_hash")?,
        None => decoy_hash().to_owned(),
    };
    let verified = check_password(state, req.password.clone(), stored).await?;
    Ok((user, verified))
}

/// Checks a password off the async threads, a few at a time.
async fn check_password(state: &AppState, password: String, stored: String) -> ApiResult<bool> {
    let permit = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        state.password_checks.clone().acquire_owned(),
    )
    .await
    .map_err(|_| ApiError::unavailable("too many sign-ins at once; try again in a moment"))?
    .map_err(|e| ApiError::internal(&e))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify_password(&password, &stored)
    })
    .await
    .map_err(|e| ApiError::internal(&e))
}

/// Registers the device at its first sign-in, with a fresh secret that only
/// it is given, or checks the secret it was given. A device id alone never
/// signs in as a device the platform knows: whoever learnt it could
/// otherwise take over its sequence numbers.
async fn bind_device(
    tx: &mut sqlx::AnyConnection,
    req: &LoginRequest,
    user_id: &str,
    now: i64,
) -> ApiResult<Option<String>> {
    let device_id = req.device_id.to_string();
    let fresh = new_token("mzds_");
    // A device never seen: made here with its secret, unless another sign-in
    // with the same id got there first (then it is checked like any other).
    let made = sqlx::query(
        "INSERT INTO devices (id, name, last_user, first_seen, last_seen, secret_hash) \
         VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&device_id)
    .bind(req.device_name.trim())
    .bind(user_id)
    .bind(now)
    .bind(token_hash(&fresh))
    .execute(&mut *tx)
    .await?;
    if made.rows_affected() == 1 {
        return Ok(Some(fresh));
    }
    // Touched first, so that the row is locked for the rest of the sign-in.
    sqlx::query("UPDATE devices SET name = $2, last_user = $3, last_seen = $4 WHERE id = $1")
        .bind(&device_id)
        .bind(req.device_name.trim())
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query("SELECT revoked_at, secret_hash FROM devices WHERE id = $1")
        .bind(&device_id)
        .fetch_one(&mut *tx)
        .await?;
    if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        return Err(ApiError::device_revoked());
    }
    match row.try_get::<Option<String>, _>("secret_hash")? {
        Some(expected) => {
            let presented = req.device_secret.as_deref().map(token_hash);
            if presented.as_deref() != Some(expected.as_str()) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "this device id belongs to another installation; a new installation makes its own",
                )
                .with_details(json!({ "field": "device_secret" })));
            }
            Ok(None)
        }
        // A device from before devices were bound: bound now, to the
        // installation that signs in with the right password first.
        None => {
            sqlx::query(
                "UPDATE devices SET secret_hash = $2 WHERE id = $1 AND secret_hash IS NULL",
            )
            .bind(&device_id)
            .bind(token_hash(&fresh))
            .execute(&mut *tx)
            .await?;
            Ok(Some(fresh))
        }
    }
}

/// The session, user, unit and device behind `column = value`, in one query.
async fn caller_row(
    pool: &sqlx::AnyPool,
    column: &'static str,
    value: String,
) -> Result<Option<sqlx::any::AnyRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {CALLER_COLUMNS} FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         JOIN org_units o ON o.code = u.org_unit \
         JOIN devices d ON d.id = s.device_id \
         WHERE {column} = $1"
    );
    sqlx::query(crate::db::assembled(sql))
        .bind(value)
        .fetch_optional(pool)
        .await
}

async fn load_caller_by_session(state: &AppState, session_id: &str) -> ApiResult<Caller> {
    let row = caller_row(&state.db.pool, "s.id", session_id.to_owned())
        .await?
        .ok_or_else(|| ApiError::unauthenticated("the session has ended; sign in again"))?;
    caller_from_row(&row).map_err(ApiError::from)
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse, description = "a new token pair; the old refresh token is spent"),
        (status = 401, body = ErrorBody, description = "unknown, spent or expired refresh token; user disabled"),
        (status = 403, body = ErrorBody, description = "the device has been revoked (code device_revoked)"),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let now = state.clock.now_ms();
    let presented = token_hash(&req.refresh_token);
    let mut tx = state.db.begin().await?;
    let row = sqlx::query(
        "SELECT s.id, s.refresh_expires, s.created_at, u.disabled, d.revoked_at FROM sessions s \
         JOIN users u ON u.id = s.user_id JOIN devices d ON d.id = s.device_id \
         WHERE s.refresh_hash = $1",
    )
    .bind(&presented)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return spent_token_presented(tx, &presented, &state.clock).await;
    };
    let session_id: String = row.try_get("id")?;
    if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        return Err(ApiError::device_revoked());
    }
    let ends = row.try_get::<i64, _>("created_at")? + SESSION_MAX_MS;
    if row.try_get::<i64, _>("refresh_expires")? <= now
        || ends <= now
        || row.try_get::<i64, _>("disabled")? != 0
    {
        return Err(ApiError::unauthenticated(
            "the session has ended; sign in again",
        ));
    }
    let access = new_token("mzat_");
    let refresh = new_token("mzrt_");
    // Rotating both tokens spends the old refresh token: a stolen copy stops
    // working, and one presented again ends the session.
    let updated = sqlx::query(
        "UPDATE sessions SET access_hash = $1, access_expires = $2, refresh_hash = $3, \
         refresh_expires = $4 WHERE id = $5 AND refresh_hash = $6",
    )
    .bind(token_hash(&access))
    .bind((now + ACCESS_TTL_MS).min(ends))
    .bind(token_hash(&refresh))
    .bind((now + REFRESH_TTL_MS).min(ends))
    .bind(&session_id)
    .bind(&presented)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        // Spent by another request a moment ago: the same token twice.
        drop(tx);
        let tx = state.db.begin().await?;
        return spent_token_presented(tx, &presented, &state.clock).await;
    }
    // Tokens spent longer ago than any session lives name nothing any more.
    sqlx::query("DELETE FROM spent_refresh_tokens WHERE spent_at < $1")
        .bind(now - SESSION_MAX_MS)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO spent_refresh_tokens (hash, session_id, spent_at) VALUES ($1, $2, $3)",
    )
    .bind(&presented)
    .bind(&session_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let caller = load_caller_by_session(&state, &session_id).await?;
    Ok(Json(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL_MS / 1000,
        user: caller.info()?,
        device_secret: None,
    }))
}

/// A refresh token that names no session: unknown, or spent. A spent one
/// means two holders of one token, one of them not the user: the session
/// it was spent for is ended, whoever holds its current tokens.
async fn spent_token_presented<T>(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    presented: &str,
    clock: &crate::Clock,
) -> ApiResult<T> {
    let spent: Option<String> =
        sqlx::query_scalar("SELECT session_id FROM spent_refresh_tokens WHERE hash = $1")
            .bind(presented)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(session_id) = spent else {
        return Err(ApiError::unauthenticated(
            "the refresh token is not valid; sign in again",
        ));
    };
    let owner = sqlx::query("SELECT user_id, device_id FROM sessions WHERE id = $1")
        .bind(&session_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(owner) = owner {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(&session_id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry {
            actor: owner.try_get("user_id")?,
            device_id: owner.try_get("device_id")?,
            action: "auth.refresh_reused",
            target: format!("session/{session_id}"),
            detail: json!({ "session_ended": true }),
        };
        audit::append(&mut tx, clock, &[entry]).await?;
        tx.commit().await?;
    }
    Err(ApiError::unauthenticated(
        "this refresh token was already used, so the session has been ended; sign in again",
    ))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    request_body(content = Option<LogoutRequest>, description = "optional: the refresh token, when the access token is lost"),
    responses(
        (status = 204, description = "the session is ended; both tokens stop working"),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody, description = "no session is named by these tokens"),
    ))]
pub async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<axum::http::StatusCode> {
    let request: LogoutRequest = if body.is_empty() {
        LogoutRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(ErrorCode::InvalidInput, "the body is not a logout request")
                .with_details(json!({ "error": e.to_string() }))
        })?
    };
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    // The access token names its session even after it expired: a counter
    // that signs out after a lunch break still ends its session here.
    let mut row = None;
    if let Some(token) = bearer {
        row = caller_row(&state.db.pool, "s.access_hash", token_hash(token)).await?;
    }
    if row.is_none()
        && let Some(token) = &request.refresh_token
    {
        row = caller_row(&state.db.pool, "s.refresh_hash", token_hash(token)).await?;
    }
    let row = row.ok_or_else(|| {
        ApiError::unauthenticated("no session is named by these tokens; it has already ended")
    })?;
    let caller = caller_from_row(&row).map_err(ApiError::from)?;
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(&caller.session_id)
        .execute(&mut *tx)
        .await?;
    let entry = caller.audit(
        "auth.logout",
        format!("session/{}", caller.session_id),
        json!({}),
    );
    audit::append(&mut tx, &state.clock, &[entry]).await?;
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserInfo), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> ApiResult<Json<UserInfo>> {
    Ok(Json(caller.info()?))
}
