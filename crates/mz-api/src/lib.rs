//! The wire contract of the civil-affairs platform, shared by server and client.
//!
//! Every request and response body of `/api/v1` is a type here, with its
//! OpenAPI schema; the error shape and its closed list of codes
//! ([`ErrorCode`]); and the sync envelopes ([`sync`]). Request types refuse
//! unknown fields, so a misspelt field is an error, never silently ignored.
//!
//! The rules of the law live in mz-domain, on plain values. A rule that
//! needs a record's whole body (what a booking must name, what a record
//! counts for in the figures) sits beside the body's type, in its module's
//! file here, so that the platform at push and the client before it queues
//! call the same function; it only composes mz-domain's rules.

pub mod auth;
pub mod documents;
pub mod error;
pub mod funeral;
pub mod library;
pub mod marriage;
pub mod numbers;
pub mod office;
pub mod records;
pub mod schedule;
pub mod sync;

pub use error::{ErrorBody, ErrorCode};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The bytes of a file kept beside a record (`PUT`/`GET /api/v1/blobs/{sha256}`),
/// sent as they are with the file's media type as `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);

/// The path every endpoint lives under.
pub const BASE_PATH: &str = "/api/v1";

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` when the database answers, `degraded` when it does not.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub storage: String,
}
