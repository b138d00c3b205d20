//! Login, refresh, logout and the caller of every authenticated request.
//!
//! Passwords are hashed with Argon2id. Tokens are random and opaque; only
//! their SHA-256 is stored, and every request looks its token up together
//! with the user and the device, so disabling a user or revoking a device
//! takes effect on the next request. Five failed logins lock the account for
//! fifteen minutes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use mz_api::auth::{LoginRequest, OrgUnitInfo, RefreshRequest, TokenResponse, UserInfo};
use mz_api::{ErrorBody, ErrorCode};
use mz_domain::{RegionCode, Role};
use rand::RngCore;
use rand::rngs::OsRng;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::audit::{self, AuditEntry};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;

pub const ACCESS_TTL_MS: i64 = 15 * 60 * 1000;
pub const REFRESH_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
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

/// Checks a password off the async threads: Argon2 takes tens of milliseconds.
async fn verify_password_blocking(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
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

fn new_token(prefix: &str) -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
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
        (status = 403, body = ErrorBody, description = "the device has been revoked (code device_revoked)"),
        (status = 423, body = ErrorBody, description = "too many failed logins: locked for 15 minutes"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    check_login_input(&req)?;
    let now = state.clock.now_ms();
    let user = sqlx::query(
        "SELECT id, password_hash, disabled, failed_logins, locked_until FROM users WHERE username = $1",
    )
    .bind(&req.username)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some(user) = user else {
        verify_password_blocking(req.password, decoy_hash().to_owned()).await;
        return Err(ApiError::unauthenticated(WRONG_CREDENTIALS));
    };
    let user_id: String = user.try_get("id")?;
    let locked_until: Option<i64> = user.try_get("locked_until")?;
    if let Some(until) = locked_until.filter(|until| *until > now) {
        return Err(locked(until - now));
    }
    let stored: String = user.try_get("password_hash")?;
    let device_id = req.device_id.to_string();
    if !verify_password_blocking(req.password, stored).await {
        return record_failed_login(&state, &user_id, &device_id, now).await;
    }
    if user.try_get::<i64, _>("disabled")? != 0 {
        return Err(ApiError::unauthenticated("this account has been disabled"));
    }

    let mut tx = state.db.begin().await?;
    let revoked: Option<Option<i64>> =
        sqlx::query_scalar("SELECT revoked_at FROM devices WHERE id = $1")
            .bind(&device_id)
            .fetch_optional(&mut *tx)
            .await?;
    if matches!(revoked, Some(Some(_))) {
        return Err(ApiError::device_revoked());
    }
    sqlx::query(
        "INSERT INTO devices (id, name, last_user, first_seen, last_seen) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_user = excluded.last_user, \
         last_seen = excluded.last_seen",
    )
    .bind(&device_id)
    .bind(req.device_name.trim())
    .bind(&user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
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
        detail: json!({}),
    };
    audit::append(&mut tx, now, &[entry]).await?;
    tx.commit().await?;

    let caller = load_caller_by_session(&state, &session_id).await?;
    Ok(Json(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL_MS / 1000,
        user: caller.info()?,
    }))
}

fn locked(remaining_ms: i64) -> ApiError {
    let minutes = (remaining_ms + 59_999) / 60_000;
    ApiError::new(
        ErrorCode::Locked,
        format!("too many failed logins: the account is locked for {minutes} more minute(s)"),
    )
    .with_details(json!({ "retry_after_seconds": (remaining_ms + 999) / 1000 }))
}

async fn record_failed_login<T>(
    state: &AppState,
    user_id: &str,
    device_id: &str,
    now: i64,
) -> ApiResult<T> {
    let mut tx = state.db.begin().await?;
    let failed: i64 = sqlx::query_scalar(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    let lock = failed >= MAX_FAILED_LOGINS;
    if lock {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
            .bind(now + LOCK_MS)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let entry = AuditEntry {
        actor: user_id.to_owned(),
        device_id: Some(device_id.to_owned()),
        action: if lock {
            "auth.locked"
        } else {
            "auth.login_failed"
        },
        target: format!("user/{user_id}"),
        detail: json!({ "failed_logins": failed }),
    };
    audit::append(&mut tx, now, &[entry]).await?;
    tx.commit().await?;
    Err(if lock {
        locked(LOCK_MS)
    } else {
        ApiError::unauthenticated(WRONG_CREDENTIALS)
    })
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
    let mut tx = state.db.begin().await?;
    let row = sqlx::query(
        "SELECT s.id, s.refresh_expires, u.disabled, d.revoked_at FROM sessions s \
         JOIN users u ON u.id = s.user_id JOIN devices d ON d.id = s.device_id \
         WHERE s.refresh_hash = $1",
    )
    .bind(token_hash(&req.refresh_token))
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::unauthenticated("the refresh token is not valid; sign in again"))?;
    let session_id: String = row.try_get("id")?;
    if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        return Err(ApiError::device_revoked());
    }
    if row.try_get::<i64, _>("refresh_expires")? <= now || row.try_get::<i64, _>("disabled")? != 0 {
        return Err(ApiError::unauthenticated(
            "the session has ended; sign in again",
        ));
    }
    let access = new_token("mzat_");
    let refresh = new_token("mzrt_");
    // Rotating both tokens spends the old refresh token: a stolen copy stops working.
    let updated = sqlx::query(
        "UPDATE sessions SET access_hash = $1, access_expires = $2, refresh_hash = $3, \
         refresh_expires = $4 WHERE id = $5 AND refresh_hash = $6",
    )
    .bind(token_hash(&access))
    .bind(now + ACCESS_TTL_MS)
    .bind(token_hash(&refresh))
    .bind(now + REFRESH_TTL_MS)
    .bind(&session_id)
    .bind(token_hash(&req.refresh_token))
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(ApiError::unauthenticated(
            "the refresh token was already used; sign in again",
        ));
    }
    tx.commit().await?;
    let caller = load_caller_by_session(&state, &session_id).await?;
    Ok(Json(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL_MS / 1000,
        user: caller.info()?,
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "the session is ended; both tokens stop working"),
        (status = 401, body = ErrorBody),
    ))]
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<axum::http::StatusCode> {
    let now = state.clock.now_ms();
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
    audit::append(&mut tx, now, &[entry]).await?;
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserInfo), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> ApiResult<Json<UserInfo>> {
    Ok(Json(caller.info()?))
}
