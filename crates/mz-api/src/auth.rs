//! Login, token refresh and the signed-in user.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The client device's id, made once by the client (UUID).
    pub device_id: Uuid,
    /// A name an administrator recognises, e.g. "芙蓉区婚姻登记处 2号窗口".
    pub device_name: String,
    /// The secret the platform gave this device at its first sign-in; a
    /// device id the platform knows is only signed in with it.
    #[serde(default)]
    pub device_secret: Option<String>,
}

/// `POST /api/v1/auth/logout`: the session to end, named by the bearer
/// token (expired or not) or by the refresh token.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// `POST /api/v1/auth/refresh`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// The answer to a login or a refresh.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Exchange for a new pair at `/auth/refresh`; single use.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: UserInfo,
    /// Given once, when the platform first sees this device id: keep it in
    /// the OS credential store and send it at every later sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
}

/// The signed-in user, as the client shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct UserInfo {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub org_unit: OrgUnitInfo,
    /// Among registrar, marriage_head, funeral_desk, funeral_head, office_staff,
    /// secretary, leader, admin.
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<mz_domain::Role>,
}

/// An org unit: a GB/T 2260 region plus a named unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct OrgUnitInfo {
    /// e.g. `430102-marriage`.
    pub code: String,
    /// e.g. `430102`.
    pub region: String,
    /// e.g. 芙蓉区婚姻登记处.
    pub name: String,
}
