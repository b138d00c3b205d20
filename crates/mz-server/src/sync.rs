//! Sync: the push of a device's outbox (the pull of the change feed is
//! [`crate::feed`]).
//!
//! A push is one transaction. Its first statement locks the feed's counter,
//! so pushes line up and feed numbers become visible in order; a pull that
//! reads the counter and then the changes up to it never skips one. Every
//! entry gets an outcome — applied, conflict or rejected — that is stored
//! under (device, device_seq) with a hash of the entry, so a replayed entry is
//! answered with the stored outcome and applied once, and another entry under
//! a used number is refused. A rejected entry does not stop those after it.
//! Each entry is decided by the rules of the module that owns its kind
//! ([`crate::modules`]); the engine names no kind.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use mz_api::records::RecordKind;
use mz_api::sync::{
    Change, MAX_PUSH_ENTRIES, Op, Outcome, PushEntry, PushOutcome, PushRequest, PushResponse,
};
use mz_api::{ErrorBody, ErrorCode};
use mz_domain::access::{Placement, reaches, widest_scope};
use mz_domain::{Action, RegionCode, Scope};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::audit::{self, AuditEntry};
use crate::auth::Caller;
use crate::clock::to_datetime;
use crate::db::{placeholders, value_rows};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::modules::{CheckContext, MODULES, Module, Owner, PushRules, Rejection, Written};

/// An upsert's body after the kind's rules: canonical JSON, owner and natural key.
#[derive(Debug, Clone)]
struct Body {
    data: String,
    org_unit: String,
    region: RegionCode,
    /// A key that at most one live record of the kind may have (a calendar's year).
    natural_key: Option<String>,
    /// Its audience as stored, when the module keeps it to some readers.
    audience: Option<String>,
}

/// Who owns province-wide records.
#[derive(Debug, Clone)]
struct Root {
    unit: String,
    region: RegionCode,
}

/// What an upsert is checked in the light of.
struct Context<'a> {
    caller: &'a Caller,
    root: &'a Root,
    /// The rules of each module for this push.
    rules: &'a [ModuleRules],
    /// The files the entries name that the platform holds: media type and size.
    blobs: &'a HashMap<String, (String, u64)>,
    /// The record as the platform holds it, if it exists.
    current: Option<&'a Current>,
    now: i64,
    /// Records from before the platform, taken as written (see [`History`]).
    history: History,
}

/// Whether a push carries the counter's live work, or registrations made
/// before the platform existed (存量数据), which are imported as written:
/// they cite no status check and were not registered today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    Live,
    AsWritten,
}

/// Applies the rules of `kind` to an upsert of record `id`.
fn check_body(
    kind: RecordKind,
    id: Uuid,
    data: serde_json::Value,
    ctx: &Context<'_>,
) -> Result<Body, Rejection> {
    let root = ctx.root;
    kind.check_size(&data).map_err(|issue| {
        let field = match issue.field.as_str() {
            "" => "data".to_owned(),
            path => format!("data.{path}"),
        };
        Rejection::new(
            ErrorCode::InvalidInput,
            format!("{field}: {}", issue.message),
            Some(&field),
        )
    })?;
    // Every file the body names must be on the platform already, as named.
    let files = kind.blobs(&data).map_err(|issue| {
        let field = format!("data.{}", issue.field);
        Rejection::new(
            ErrorCode::InvalidInput,
            format!("{field}: {}", issue.message),
            Some(&field),
        )
    })?;
    for (field, file) in &files {
        if ctx.blobs.get(&file.sha256) != Some(&(file.media_type.clone(), file.size)) {
            let field = format!("data.{field}");
            return Err(Rejection::new(
                ErrorCode::InvalidInput,
                format!(
                    "{field}: the platform holds no {} file of {} bytes with this SHA-256; send the file (PUT /blobs/{{sha256}}) before the record",
                    file.media_type, file.size
                ),
                Some(&field),
            ));
        }
    }
    let checked = rules_for(ctx.rules, kind)?.check(
        kind,
        id,
        data,
        &CheckContext {
            caller: ctx.caller,
            current: ctx.current.and_then(|c| c.data.as_deref()),
            now: ctx.now,
            history: ctx.history,
        },
    )?;
    let (org_unit, region) = match checked.owner {
        Owner::Province => (root.unit.clone(), root.region),
        Owner::Maker => owner(ctx),
    };
    Ok(Body {
        data: checked.data,
        org_unit,
        region,
        natural_key: checked.natural_key,
        audience: checked.audience.map(|a| a.stored()),
    })
}

/// A module's rules for one push, with the module.
struct ModuleRules {
    module: &'static dyn Module,
    rules: Box<dyn PushRules>,
}

/// The rules that decide entries of `kind`.
fn rules_for(rules: &[ModuleRules], kind: RecordKind) -> Result<&dyn PushRules, Rejection> {
    rules
        .iter()
        .find(|r| r.module.kinds().contains(&kind))
        .map(|r| r.rules.as_ref())
        .ok_or_else(|| {
            Rejection::new(
                ErrorCode::Internal,
                format!("no module owns the record kind {kind}"),
                None,
            )
        })
}

/// An office's record stays with the office that made it.
fn owner(ctx: &Context<'_>) -> (String, RegionCode) {
    match ctx.current {
        Some(current) => (
            current.org_unit.clone(),
            current.region_code().unwrap_or(ctx.caller.region),
        ),
        None => (ctx.caller.org_unit.clone(), ctx.caller.region),
    }
}

/// A record's current state on the server.
#[derive(Debug, Clone)]
struct Current {
    kind: RecordKind,
    id: Uuid,
    org_unit: String,
    region: String,
    natural_key: Option<String>,
    version: i64,
    seq: i64,
    deleted: bool,
    data: Option<String>,
    updated_at: i64,
    /// Its audience as stored (`,u:<id>,r:<role>,`); `None` for everyone
    /// the kind's scope reaches.
    audience: Option<String>,
}

impl Current {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Option<Current>, sqlx::Error> {
        let kind: String = row.try_get("kind")?;
        let Some(kind) = RecordKind::parse(&kind) else {
            return Ok(None);
        };
        let id: String = row.try_get("id")?;
        let id = id.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(Some(Current {
            kind,
            id,
            org_unit: row.try_get("org_unit")?,
            region: row.try_get("region")?,
            natural_key: row.try_get("natural_key")?,
            version: row.try_get("version")?,
            seq: row.try_get("seq")?,
            deleted: row.try_get::<i64, _>("deleted")? != 0,
            data: row.try_get("data")?,
            updated_at: row.try_get("updated_at")?,
            audience: row.try_get("audience")?,
        }))
    }

    fn to_change(&self) -> Change {
        Change {
            seq: self.seq,
            kind: self.kind,
            record_id: self.id,
            version: self.version,
            deleted: self.deleted,
            org_unit: self.org_unit.clone(),
            data: self
                .data
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
            changed_at: to_datetime(self.updated_at),
        }
    }

    fn written(&self) -> Written<'_> {
        Written {
            kind: self.kind,
            id: self.id,
            org_unit: &self.org_unit,
            region: &self.region,
            data: self.data.as_deref(),
        }
    }

    fn region_code(&self) -> Option<RegionCode> {
        self.region.parse().ok()
    }
}

fn check_protocol(entries: &[PushEntry]) -> ApiResult<()> {
    if entries.len() > MAX_PUSH_ENTRIES {
        return Err(ApiError::invalid(
            "entries",
            format!("a push carries at most {MAX_PUSH_ENTRIES} entries"),
        ));
    }
    let mut previous = 0;
    for (i, entry) in entries.iter().enumerate() {
        if entry.device_seq <= previous {
            return Err(ApiError::invalid(
                &format!("entries[{i}].device_seq"),
                "device_seq starts at 1 and increases strictly within a push",
            ));
        }
        previous = entry.device_seq;
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, body = PushResponse, description = "one outcome per entry, in order"),
        (status = 400, body = ErrorBody, description = "malformed batch"),
        (status = 401, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "database unavailable; nothing was applied"),
    ))]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    check_protocol(&req.entries)?;
    let outcomes = apply_push(&state, &caller, req.entries, History::Live).await?;
    Ok(Json(PushResponse { outcomes }))
}

/// What one new entry will write.
struct Applied {
    record: Current,
    change_seq: i64,
    /// A tombstone for those the change took the record from (its audience
    /// narrowed): its feed number, to whom it goes and from whom it is hidden.
    withdrawn: Option<(i64, Option<String>, Option<String>)>,
}

pub(crate) async fn apply_push(
    state: &AppState,
    caller: &Caller,
    entries: Vec<PushEntry>,
    history: History,
) -> ApiResult<Vec<PushOutcome>> {
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Ok(Vec::new());
    };
    let (first_seq, last_seq) = (first.device_seq, last.device_seq);
    let now = state.clock.now_ms();
    let root = crate::org::root_unit(&state.db.pool)
        .await?
        .and_then(|(unit, region)| {
            Some(Root {
                unit,
                region: region.parse().ok()?,
            })
        })
        .ok_or_else(|| {
            ApiError::unavailable("the platform has no org units yet; run mz admin init")
        })?;

    let mut tx = state.db.begin().await?;
    let head: i64 =
        sqlx::query_scalar("UPDATE counters SET value = value WHERE name = 'feed' RETURNING value")
            .fetch_one(&mut *tx)
            .await?;

    let stored = stored_outcomes(&mut tx, &caller.device_id, first_seq, last_seq).await?;
    let hashes: Vec<String> = entries.iter().map(entry_hash).collect();
    let fresh: Vec<&PushEntry> = entries
        .iter()
        .filter(|e| !stored.contains_key(&e.device_seq))
        .collect();
    let mut records = load_records(&mut tx, &fresh).await?;
    let mut rules = Vec::with_capacity(MODULES.len());
    for &module in MODULES {
        let mine: Vec<&PushEntry> = fresh
            .iter()
            .copied()
            .filter(|e| module.kinds().contains(&e.kind))
            .collect();
        let prepared = module.prepare(&mut tx, caller, &mine).await?;
        rules.push(ModuleRules {
            module,
            rules: prepared,
        });
    }
    // The files the fresh entries name. A body whose files cannot be read
    // here names none; check_body refuses it with the field.
    let named: Vec<String> = fresh
        .iter()
        .filter_map(|e| e.data.as_ref().map(|data| e.kind.blobs(data)))
        .flat_map(|files| files.unwrap_or_default())
        .map(|(_, file)| file.sha256)
        .collect();
    let blobs = crate::blobs::held(&mut tx, &named).await?;

    let mut next_seq = head;
    let mut outcomes = Vec::with_capacity(entries.len());
    let mut new_outcomes: Vec<(i64, String, String)> = Vec::new();
    let mut applied: Vec<Applied> = Vec::new();
    let mut keys_read: std::collections::HashSet<(RecordKind, String)> = Default::default();
    for (entry, hash) in entries.iter().zip(&hashes) {
        if let Some((outcome, stored_hash)) = stored.get(&entry.device_seq) {
            // A replay is answered with what became of it only when it is
            // the same entry; outcomes stored before entries were hashed
            // have no hash and are answered as before.
            let result = match stored_hash {
                Some(stored_hash) if stored_hash != hash => Rejection::new(
                    ErrorCode::Conflict,
                    format!(
                        "device_seq {} was already used by this device for another entry",
                        entry.device_seq
                    ),
                    Some("device_seq"),
                )
                .outcome(),
                _ => outcome.clone(),
            };
            outcomes.push(PushOutcome {
                device_seq: entry.device_seq,
                result,
            });
            continue;
        }
        let ctx = Context {
            caller,
            root: &root,
            rules: &rules,
            blobs: &blobs,
            current: None,
            now,
            history,
        };
        let mut decided = decide(entry, &ctx, &records, next_seq + 1);
        // A natural key decided for the first time in this push: the records
        // that hold it are read now (whatever the kind, the module said the
        // key), and the entry decided again in their light.
        if let Some((kind, key)) = decided
            .as_ref()
            .ok()
            .and_then(|r| Some((r.kind, r.natural_key.clone()?)))
            && keys_read.insert((kind, key.clone()))
        {
            let mut found = false;
            for holder in records_where(&mut tx, "natural_key", &[key]).await? {
                if holder.kind == kind && !records.contains_key(&holder.id) {
                    records.insert(holder.id, holder);
                    found = true;
                }
            }
            if found {
                decided = decide(entry, &ctx, &records, next_seq + 1);
            }
        }
        let result = match decided {
            Ok(record) => {
                next_seq += 1;
                let change_seq = next_seq;
                // Those who could read it and no longer may are told it is
                // gone: a tombstone of their own, hidden from the others.
                let before = records
                    .get(&record.id)
                    .filter(|c| c.kind == record.kind && !c.deleted);
                let withdrawn = match before {
                    Some(before)
                        if narrowed(before.audience.as_deref(), record.audience.as_deref()) =>
                    {
                        next_seq += 1;
                        Some((next_seq, before.audience.clone(), record.audience.clone()))
                    }
                    _ => None,
                };
                // Every module hears of it: one's rules may read another's
                // records (the office signs by the schedule's leaders).
                for module in rules.iter_mut() {
                    module.rules.note_applied(&record.written());
                }
                let result = Outcome::Applied {
                    version: record.version,
                    change_seq,
                    data: rewritten_body(entry, &record)?,
                };
                records.insert(record.id, record.clone());
                applied.push(Applied {
                    record,
                    change_seq,
                    withdrawn,
                });
                result
            }
            Err(result) => result,
        };
        let text = serde_json::to_string(&result).map_err(|e| ApiError::internal(&e))?;
        new_outcomes.push((entry.device_seq, text, hash.clone()));
        outcomes.push(PushOutcome {
            device_seq: entry.device_seq,
            result,
        });
    }

    write_records(&mut tx, &applied).await?;
    crate::blobs::note_named(&mut tx, &named_files(&applied)?).await?;
    for module in &rules {
        let written: Vec<Written<'_>> = applied
            .iter()
            .filter(|a| module.module.kinds().contains(&a.record.kind))
            .map(|a| a.record.written())
            .collect();
        if !written.is_empty() {
            module.rules.finish(&mut tx, &written).await?;
        }
    }
    write_changes(&mut tx, &applied, caller).await?;
    write_outcomes(&mut tx, &caller.device_id, &new_outcomes).await?;
    let audit_entries: Vec<AuditEntry> = applied
        .iter()
        .map(|a| {
            let action = if a.record.deleted {
                "record.delete"
            } else {
                "record.upsert"
            };
            caller.audit(
                action,
                format!("{}/{}", a.record.kind, a.record.id),
                json!({ "version": a.record.version, "change_seq": a.change_seq }),
            )
        })
        .collect();
    audit::append(&mut tx, &state.clock, &audit_entries).await?;
    if next_seq != head {
        sqlx::query("UPDATE counters SET value = $1 WHERE name = 'feed'")
            .bind(next_seq)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// The files the applied bodies name, by record.
fn named_files(applied: &[Applied]) -> ApiResult<Vec<(RecordKind, Uuid, String)>> {
    let mut named = Vec::new();
    for a in applied {
        let (kind, Some(text)) = (a.record.kind, a.record.data.as_deref()) else {
            continue;
        };
        if kind.blob_fields().is_empty() {
            continue;
        }
        let body: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| ApiError::internal(&crate::error::json_error(&e)))?;
        let files = kind
            .blobs(&body)
            .map_err(|issue| ApiError::internal(&format!("{kind}: {}", issue.field)))?;
        named.extend(
            files
                .into_iter()
                .map(|(_, f)| (kind, a.record.id, f.sha256)),
        );
    }
    Ok(named)
}

/// What identifies an entry's content: a replayed (device, sequence) must
/// carry the same.
fn entry_hash(entry: &PushEntry) -> String {
    let content = json!([
        entry.kind,
        entry.record_id,
        entry.op,
        entry.base_version,
        entry.data
    ]);
    crate::sha256_hex(&content.to_string())
}

/// The stored body, when the platform's normal form of it differs from the
/// body the entry sent.
fn rewritten_body(entry: &PushEntry, record: &Current) -> ApiResult<Option<serde_json::Value>> {
    let Some(text) = record.data.as_deref() else {
        return Ok(None);
    };
    let stored: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ApiError::internal(&crate::error::json_error(&e)))?;
    Ok((entry.data.as_ref() != Some(&stored)).then_some(stored))
}

/// Decides one entry against the records as they stand after the entries before it.
fn decide(
    entry: &PushEntry,
    ctx: &Context<'_>,
    records: &HashMap<Uuid, Current>,
    seq: i64,
) -> Result<Current, Outcome> {
    let (caller, now) = (ctx.caller, ctx.now);
    let resource = entry.kind.resource();
    let Some(scope) = widest_scope(&caller.roles, resource, Action::Write) else {
        return Err(Rejection::new(
            ErrorCode::Forbidden,
            format!("your roles do not include changing {}", entry.kind),
            None,
        )
        .outcome());
    };
    let current = records
        .get(&entry.record_id)
        .filter(|c| c.kind == entry.kind);
    if let Some(current) = current
        && (!may_touch(scope, caller, &current.org_unit, current.region_code())
            || !in_audience(current.audience.as_deref(), caller))
    {
        return Err(forbidden_record());
    }
    if records
        .get(&entry.record_id)
        .is_some_and(|c| c.kind != entry.kind)
    {
        return Err(Rejection::new(
            ErrorCode::InvalidInput,
            "this record id belongs to a record of another kind",
            Some("record_id"),
        )
        .outcome());
    }
    let current_version = current.map_or(0, |c| c.version);
    if entry.base_version != current_version {
        return Err(Outcome::Conflict {
            current: current.map(|c| Box::new(c.to_change().for_desks())),
        });
    }
    match entry.op {
        Op::Delete => {
            let Some(current) = current.filter(|c| !c.deleted) else {
                return Err(Rejection::new(
                    ErrorCode::NotFound,
                    "there is no such record to delete",
                    Some("record_id"),
                )
                .outcome());
            };
            if entry.data.is_some() {
                return Err(Rejection::new(
                    ErrorCode::InvalidInput,
                    "a delete carries no data",
                    Some("data"),
                )
                .outcome());
            }
            let is_final = match current.data.as_deref() {
                Some(data) => rules_for(ctx.rules, current.kind)
                    .and_then(|rules| rules.is_final(current.kind, data))
                    .map_err(Rejection::outcome)?,
                None => false,
            };
            if is_final {
                return Err(Rejection::new(
                    ErrorCode::RuleViolation,
                    "a final registration is part of the registry and is never deleted",
                    Some("record_id"),
                )
                .outcome());
            }
            Ok(Current {
                version: current.version + 1,
                seq,
                deleted: true,
                data: None,
                natural_key: None,
                updated_at: now,
                ..current.clone()
            })
        }
        Op::Upsert => {
            let Some(data) = entry.data.clone() else {
                return Err(Rejection::new(
                    ErrorCode::InvalidInput,
                    "an upsert needs data",
                    Some("data"),
                )
                .outcome());
            };
            let ctx = Context { current, ..*ctx };
            let body =
                check_body(entry.kind, entry.record_id, data, &ctx).map_err(Rejection::outcome)?;
            if !may_touch(scope, caller, &body.org_unit, Some(body.region)) {
                return Err(forbidden_record());
            }
            if let Some(key) = &body.natural_key {
                let taken = records.values().find(|r| {
                    r.kind == entry.kind
                        && r.id != entry.record_id
                        && !r.deleted
                        && r.natural_key.as_deref() == Some(key.as_str())
                });
                if let Some(other) = taken {
                    // A holder the caller may not read is not shown to them.
                    if !in_audience(other.audience.as_deref(), caller) {
                        return Err(Rejection::new(
                            ErrorCode::Conflict,
                            "another record you may not read holds this key",
                            Some("data"),
                        )
                        .outcome());
                    }
                    return Err(Outcome::Conflict {
                        current: Some(Box::new(other.to_change().for_desks())),
                    });
                }
            }
            Ok(Current {
                kind: entry.kind,
                id: entry.record_id,
                org_unit: body.org_unit,
                region: body.region.to_string(),
                natural_key: body.natural_key,
                version: current_version + 1,
                seq,
                deleted: false,
                data: Some(body.data),
                updated_at: now,
                audience: body.audience,
            })
        }
    }
}

/// Whether the caller is among a record's readers (`None`: everyone the
/// kind's scope reaches).
pub(crate) fn in_audience(audience: Option<&str>, caller: &Caller) -> bool {
    audience.is_none_or(|stored| {
        caller
            .audience_tokens()
            .iter()
            .any(|t| stored.contains(t.as_str()))
    })
}

/// Whether a change from audience `before` to `after` leaves someone out
/// who could read the record: everyone to a list, or a list losing a token.
fn narrowed(before: Option<&str>, after: Option<&str>) -> bool {
    match (before, after) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(before), Some(after)) => before
            .split(',')
            .filter(|t| !t.is_empty())
            .any(|t| !after.contains(&format!(",{t},"))),
    }
}

pub(crate) fn may_touch(
    scope: Scope,
    caller: &Caller,
    unit: &str,
    region: Option<RegionCode>,
) -> bool {
    let Some(region) = region else { return false };
    reaches(scope, &caller.placement(), &Placement { unit, region })
}

fn forbidden_record() -> Outcome {
    Rejection::new(
        ErrorCode::Forbidden,
        "this record belongs to an org unit you do not reach",
        None,
    )
    .outcome()
}

/// The outcomes stored for a device's numbers, each with the hash of the
/// entry it answered.
async fn stored_outcomes(
    conn: &mut AnyConnection,
    device_id: &str,
    first: i64,
    last: i64,
) -> ApiResult<HashMap<i64, (Outcome, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT device_seq, outcome, entry_hash FROM push_outcomes \
         WHERE device_id = $1 AND device_seq >= $2 AND device_seq <= $3",
    )
    .bind(device_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let mut stored = HashMap::with_capacity(rows.len());
    for row in rows {
        let seq: i64 = row.try_get("device_seq")?;
        let text: String = row.try_get("outcome")?;
        let outcome = serde_json::from_str(&text).map_err(|e| ApiError::internal(&e))?;
        stored.insert(seq, (outcome, row.try_get("entry_hash")?));
    }
    Ok(stored)
}

const RECORD_COLUMNS: &str =
    "kind, id, org_unit, region, natural_key, version, seq, deleted, data, updated_at, audience";

/// The current state of every record the entries touch, and of every live
/// record holding one of the natural keys they claim.
async fn load_records(
    conn: &mut AnyConnection,
    entries: &[&PushEntry],
) -> ApiResult<HashMap<Uuid, Current>> {
    let mut records = HashMap::new();
    let mut ids: Vec<String> = entries.iter().map(|e| e.record_id.to_string()).collect();
    ids.sort();
    ids.dedup();
    for record in records_where(conn, "id", &ids).await? {
        records.insert(record.id, record);
    }
    Ok(records)
}

/// The records whose `column` (id or natural_key) is one of `values`.
async fn records_where(
    conn: &mut AnyConnection,
    column: &'static str,
    values: &[String],
) -> ApiResult<Vec<Current>> {
    let mut found = Vec::new();
    for chunk in values.chunks(500) {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE {column} IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for value in chunk {
            query = query.bind(value.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.extend(Current::from_row(&row)?);
        }
    }
    Ok(found)
}

async fn write_records(conn: &mut AnyConnection, applied: &[Applied]) -> ApiResult<()> {
    // One row per record: a record changed twice in a batch is written once,
    // in its final state.
    let mut last_index: HashMap<Uuid, usize> = HashMap::new();
    for (i, a) in applied.iter().enumerate() {
        last_index.insert(a.record.id, i);
    }
    let finals: Vec<&Current> = applied
        .iter()
        .enumerate()
        .filter(|(i, a)| last_index.get(&a.record.id) == Some(i))
        .map(|(_, a)| &a.record)
        .collect();
    for chunk in finals.chunks(500) {
        let sql = format!(
            "INSERT INTO records ({RECORD_COLUMNS}) VALUES {} ON CONFLICT (kind, id) DO UPDATE SET \
             org_unit = excluded.org_unit, region = excluded.region, \
             natural_key = excluded.natural_key, version = excluded.version, seq = excluded.seq, \
             deleted = excluded.deleted, data = excluded.data, updated_at = excluded.updated_at, \
             audience = excluded.audience",
            value_rows(chunk.len(), 11)
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for r in chunk {
            query = query
                .bind(r.kind.as_str())
                .bind(r.id.to_string())
                .bind(r.org_unit.clone())
                .bind(r.region.clone())
                .bind(r.natural_key.clone())
                .bind(r.version)
                .bind(r.seq)
                .bind(i64::from(r.deleted))
                .bind(r.data.clone())
                .bind(r.updated_at)
                .bind(r.audience.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// One row of the change feed to write.
struct ChangeRow<'a> {
    seq: i64,
    record: &'a Current,
    deleted: bool,
    data: Option<&'a str>,
    audience: Option<&'a str>,
    hidden: Option<&'a str>,
}

async fn write_changes(
    conn: &mut AnyConnection,
    applied: &[Applied],
    caller: &Caller,
) -> ApiResult<()> {
    // Each change, and the tombstone of a change that narrowed its record's
    // audience.
    let mut rows: Vec<ChangeRow<'_>> = Vec::with_capacity(applied.len());
    for a in applied {
        let r = &a.record;
        rows.push(ChangeRow {
            seq: a.change_seq,
            record: r,
            deleted: r.deleted,
            data: r.data.as_deref(),
            audience: r.audience.as_deref(),
            hidden: None,
        });
        if let Some((seq, to, hidden)) = &a.withdrawn {
            rows.push(ChangeRow {
                seq: *seq,
                record: r,
                deleted: true,
                data: None,
                audience: to.as_deref(),
                hidden: hidden.as_deref(),
            });
        }
    }
    for chunk in rows.chunks(500) {
        let sql = format!(
            "INSERT INTO changes (seq, kind, record_id, version, deleted, org_unit, region, data, \
             changed_at, user_id, device_id, audience, hidden) VALUES {}",
            value_rows(chunk.len(), 13)
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for row in chunk {
            let r = row.record;
            query = query
                .bind(row.seq)
                .bind(r.kind.as_str())
                .bind(r.id.to_string())
                .bind(r.version)
                .bind(i64::from(row.deleted))
                .bind(r.org_unit.clone())
                .bind(r.region.clone())
                .bind(row.data.map(str::to_owned))
                .bind(r.updated_at)
                .bind(caller.user_id.clone())
                .bind(caller.device_id.clone())
                .bind(row.audience.map(str::to_owned))
                .bind(row.hidden.map(str::to_owned));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn write_outcomes(
    conn: &mut AnyConnection,
    device_id: &str,
    outcomes: &[(i64, String, String)],
) -> ApiResult<()> {
    for chunk in outcomes.chunks(500) {
        let sql = format!(
            "INSERT INTO push_outcomes (device_id, device_seq, outcome, entry_hash) VALUES {}",
            value_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for (seq, text, hash) in chunk {
            query = query
                .bind(device_id.to_owned())
                .bind(*seq)
                .bind(text.clone())
                .bind(hash.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
