//! The one error shape of the API: `{code, message, details}`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The closed list of error codes. Clients branch on these, never on the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed: bad JSON, a wrong type, an unknown field, a bad parameter.
    InvalidInput,
    /// No token, or a token that is unknown, expired or revoked.
    Unauthenticated,
    /// The user's roles or org unit do not reach this.
    Forbidden,
    /// The platform has revoked this device: it may not sign in or sync, and
    /// the client wipes its local data.
    DeviceRevoked,
    /// No such thing, or no such route.
    NotFound,
    /// The record changed since the version the client based its change on.
    Conflict,
    /// A rule of the domain refuses the request.
    RuleViolation,
    /// Too many failed logins: the account is locked for a while.
    Locked,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// The server cannot reach its database, or timed out: try again.
    Unavailable,
    /// Something failed inside the server; details are in its log.
    Internal,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn http_status(&self) -> u16 {
        match self {
            ErrorCode::InvalidInput => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden | ErrorCode::DeviceRevoked => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::RuleViolation => 422,
            ErrorCode::Locked => 423,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A sentence for people; never contains personal data.
    pub message: String,
    /// Machine-readable specifics, e.g. `{"field": "entries[3].kind"}`.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}
