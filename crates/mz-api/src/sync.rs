//! Sync envelopes: the push of a device's outbox and the pull of the change feed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::ErrorCode;
use crate::records::RecordKind;
use ts_rs::TS;

/// The largest batch a push may carry.
pub const MAX_PUSH_ENTRIES: usize = 1000;
/// The largest page a pull may ask for.
pub const MAX_PULL_LIMIT: i64 = 1000;
/// How many bytes of record bodies one pull page carries at most (one
/// change larger than this still comes, alone), so that a page of photos
/// never grows past what the server holds in memory and the client takes in
/// one answer.
pub const MAX_PULL_BYTES: usize = 4 * 1024 * 1024;

/// `POST /api/v1/sync/push`: outbox entries in the device's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub entries: Vec<PushEntry>,
}

/// What a change does to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Create the record (base_version 0) or replace its body.
    Upsert,
    /// Delete the record.
    Delete,
}

/// One outbox entry. `(device, device_seq)` identifies it: a replay of the
/// same entry gets the stored outcome and changes nothing; another entry
/// under a number already used is rejected (`device_seq`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushEntry {
    /// The device's own counter: 1, 2, 3 …
    pub device_seq: i64,
    pub kind: RecordKind,
    /// Made by the client (UUIDv7).
    pub record_id: Uuid,
    pub op: Op,
    /// The version the change was made on; 0 creates the record.
    pub base_version: i64,
    /// The record's new body for an upsert; absent for a delete.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushResponse {
    /// One outcome per entry, in the order sent.
    pub outcomes: Vec<PushOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushOutcome {
    pub device_seq: i64,
    #[serde(flatten)]
    pub result: Outcome,
}

/// What became of one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored: the record is now at `version`, announced as change `change_seq`.
    Applied {
        version: i64,
        change_seq: i64,
        /// The body as the platform stored it, when that differs from the
        /// body sent (the platform puts bodies in their normal form): the
        /// client keeps this one, since a pull of the same version is not
        /// applied again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<Object>)]
        data: Option<serde_json::Value>,
    },
    /// The record moved on since `base_version`; `current` is the server's copy
    /// (absent when the record does not exist).
    Conflict { current: Option<Box<Change>> },
    /// A rule refused it; `reason` says which, `field` where.
    Rejected {
        code: ErrorCode,
        reason: String,
        field: Option<String>,
    },
}

/// `GET /api/v1/sync/pull` parameters.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor from the previous page; 0 at first.
    pub after: i64,
    /// Page size, 1 to 1000.
    pub limit: i64,
}

/// One entry of the change feed: a record's state after the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// Position in the feed; strictly increasing.
    pub seq: i64,
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub version: i64,
    pub deleted: bool,
    /// The org unit that owns the record.
    pub org_unit: String,
    /// The record's body after the change; absent when deleted.
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
    /// Stamped by the server.
    pub changed_at: DateTime<Utc>,
}

impl Change {
    /// The change as a desk may hold it: a body its kind keeps off the
    /// desks' caches (a classified document) goes as a removal, so a copy
    /// held from before it was classified is dropped too.
    pub fn for_desks(mut self) -> Change {
        let off = self.kind.spec().off_desks;
        if let (Some(off), Some(data)) = (off, &self.data)
            && off(data)
        {
            self.data = None;
            self.deleted = true;
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Pass as `after` for the next page. Only ever goes up.
    pub next: i64,
    /// Whether more changes are waiting after `next`.
    pub has_more: bool,
    /// The newest position of the whole feed now (every user's changes):
    /// how far `next` has to go, for a client to show its progress. 0 from
    /// a platform older than it.
    #[serde(default)]
    pub head: i64,
    /// The feed's epoch. It changes when the platform's database is made
    /// anew or restored from a backup: a client that kept another epoch
    /// pulls afresh from 0 (its outbox stays). Empty from a platform older
    /// than epochs.
    #[serde(default)]
    pub epoch: String,
}
