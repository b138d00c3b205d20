//! Blocks of certificate numbers handed to counters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The largest block one request may take.
pub const MAX_BLOCK_SIZE: i64 = 10_000;

/// `POST /api/v1/numbers/blocks`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    /// e.g. `J-430102-2026`.
    pub key: String,
    /// How many serials, 1 to 10000.
    pub size: i64,
}

/// A block of serials held by one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NumberBlock {
    pub key: String,
    /// The first serial of the block.
    pub first: i64,
    /// The last serial of the block, included.
    pub last: i64,
    /// The certificate number of the first serial, e.g. J430102-2026-000001.
    pub first_number: String,
    pub last_number: String,
    pub device_id: Uuid,
    pub allocated_at: DateTime<Utc>,
}

/// `POST /api/v1/numbers/void`: a number that will never be issued.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    pub key: String,
    pub serial: i64,
    /// e.g. "打印损坏".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VoidedNumber {
    pub key: String,
    pub serial: i64,
    pub number: String,
    pub reason: String,
    pub voided_at: DateTime<Utc>,
}
