//! Certificate-number blocks (号段): serials handed to devices ahead of time.
//!
//! A sequence key's serials are given out in increasing, non-overlapping
//! blocks and never handed out again. A device may void a number of its own
//! blocks (a spoiled print); the voided number stays recorded.

use axum::Json;
use axum::extract::State;
use chrono::Datelike;
use mz_api::ErrorBody;
use mz_api::numbers::{BlockRequest, MAX_BLOCK_SIZE, NumberBlock, VoidRequest, VoidedNumber};
use mz_domain::access::widest_scope;
use mz_domain::numbering::{CertificatePrefix, MAX_SERIAL};
use mz_domain::{Action, Scope, SequenceKey};
use serde::Deserialize;
use serde_json::json;
use sqlx::Row;
use utoipa::IntoParams;

use crate::AppState;
use crate::audit;
use crate::auth::Caller;
use crate::clock::to_datetime;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};

fn parse_key(key: &str) -> ApiResult<SequenceKey> {
    key.parse()
        .map_err(|e: mz_domain::numbering::SequenceKeyError| {
            ApiError::invalid("key", e.to_string())
        })
}

/// How many serials of a series one device may hold unused: a day and more
/// of a busy counter's work offline.
pub const MAX_UNUSED_PER_DEVICE: i64 = 500;
/// How many serials of a series one office may hold unused, all its
/// counters together.
pub const MAX_UNUSED_PER_UNIT: i64 = 2_000;

/// The kind of org unit that issues a series' certificates.
fn issuing_kind(prefix: CertificatePrefix) -> &'static str {
    match prefix {
        CertificatePrefix::J
        | CertificatePrefix::L
        | CertificatePrefix::BJ
        | CertificatePrefix::BL => crate::org::MARRIAGE_OFFICE,
        CertificatePrefix::HZ | CertificatePrefix::YT | CertificatePrefix::GM => {
            crate::org::FUNERAL_HOME
        }
    }
}

/// Whether the caller's roles reach the series `key` for `action`. A
/// series belongs to the issuing unit of its region (the marriage office
/// for J, L, BJ, BL): with the unit scope the caller must be of that unit,
/// not merely of its region.
async fn check_access(
    state: &AppState,
    caller: &Caller,
    key: &SequenceKey,
    action: Action,
) -> ApiResult<()> {
    let scope = widest_scope(&caller.roles, key.prefix.resource(), action)
        .ok_or_else(|| ApiError::forbidden("your roles do not include this number series"))?;
    let reached = match scope {
        Scope::All => true,
        Scope::Region => caller.region.contains(&key.region),
        Scope::Unit => {
            let issuers: Vec<String> =
                sqlx::query_scalar("SELECT code FROM org_units WHERE region = $1 AND kind = $2")
                    .bind(key.region.to_string())
                    .bind(issuing_kind(key.prefix))
                    .fetch_all(&state.db.pool)
                    .await?;
            issuers.contains(&caller.org_unit)
        }
    };
    if reached {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "this number series belongs to another office",
        ))
    }
}

#[utoipa::path(post, path = "/api/v1/numbers/blocks", tag = "numbers", security(("bearer" = [])),
    request_body = BlockRequest,
    responses(
        (status = 200, body = NumberBlock, description = "a new block, held by the calling device"),
        (status = 400, body = ErrorBody, description = "malformed key or size"),
        (status = 403, body = ErrorBody, description = "another office's series, or a role without numbers"),
        (status = 422, body = ErrorBody, description = "the series has not enough serials left"),
    ))]
pub async fn allocate(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<BlockRequest>,
) -> ApiResult<Json<NumberBlock>> {
    let key = parse_key(&req.key)?;
    if !(1..=MAX_BLOCK_SIZE).contains(&req.size) {
        return Err(ApiError::invalid(
            "size",
            format!("a block has 1 to {MAX_BLOCK_SIZE} numbers"),
        ));
    }
    check_access(&state, &caller, &key, Action::Write).await?;
    let now = state.clock.now_ms();
    // This year's series, and next year's in December (for the first days
    // of January offline); never a series of years to come or gone.
    let today = mz_domain::holiday::china_date(to_datetime(now));
    let next_allowed = today.month() == 12 && key.year == today.year() + 1;
    if key.year != today.year() && !next_allowed {
        return Err(ApiError::invalid(
            "key",
            format!(
                "blocks are given for {} (and for the next year in December)",
                today.year()
            ),
        ));
    }
    let key_text = key.to_string();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO number_sequences (key, region, next_serial) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(&key_text)
    .bind(key.region.to_string())
    .execute(&mut *tx)
    .await?;
    // The series' row is locked first: allocations of a series line up, so
    // the unused serials are counted with no block being handed out meanwhile.
    sqlx::query("UPDATE number_sequences SET next_serial = next_serial WHERE key = $1")
        .bind(&key_text)
        .execute(&mut *tx)
        .await?;
    let (by_device, by_unit) = unused_serials(&mut tx, &key, &caller).await?;
    if by_device + req.size > MAX_UNUSED_PER_DEVICE {
        return Err(ApiError::new(
            mz_api::ErrorCode::RuleViolation,
            format!(
                "this device holds {by_device} unused numbers of {key_text}; a device holds at most {MAX_UNUSED_PER_DEVICE}"
            ),
        )
        .with_details(json!({ "field": "size", "unused": by_device })));
    }
    if by_unit + req.size > MAX_UNUSED_PER_UNIT {
        return Err(ApiError::new(
            mz_api::ErrorCode::RuleViolation,
            format!(
                "this office holds {by_unit} unused numbers of {key_text}; an office holds at most {MAX_UNUSED_PER_UNIT}"
            ),
        )
        .with_details(json!({ "field": "size", "unused": by_unit })));
    }
    let next: Option<i64> = sqlx::query_scalar(
        "UPDATE number_sequences SET next_serial = next_serial + $1 \
         WHERE key = $2 AND next_serial + $1 - 1 <= $3 RETURNING next_serial",
    )
    .bind(req.size)
    .bind(&key_text)
    .bind(MAX_SERIAL)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(next) = next else {
        return Err(ApiError::new(
            mz_api::ErrorCode::RuleViolation,
            format!(
                "the series {key_text} has fewer than {} serials left",
                req.size
            ),
        ));
    };
    let (first, last) = (next - req.size, next - 1);
    sqlx::query(
        "INSERT INTO number_blocks (key, first, last, device_id, user_id, org_unit, allocated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&key_text)
    .bind(first)
    .bind(last)
    .bind(&caller.device_id)
    .bind(&caller.user_id)
    .bind(&caller.org_unit)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let entry = caller.audit(
        "numbers.allocate",
        format!("numbers/{key_text}"),
        json!({ "first": first, "last": last }),
    );
    audit::append(&mut tx, &state.clock, &[entry]).await?;
    tx.commit().await?;
    Ok(Json(NumberBlock {
        first_number: key.number(first),
        last_number: key.number(last),
        key: key_text,
        first,
        last,
        device_id: caller
            .device_id
            .parse()
            .map_err(|e| ApiError::internal(&e))?,
        allocated_at: to_datetime(now),
    }))
}

/// The serials of `key` held by the caller's device and by its unit that
/// no record carries and no one voided.
async fn unused_serials(
    conn: &mut sqlx::AnyConnection,
    key: &SequenceKey,
    caller: &Caller,
) -> ApiResult<(i64, i64)> {
    let key_text = key.to_string();
    // A revoked device's blocks are out of use: they no longer count.
    let blocks = sqlx::query(
        "SELECT b.first, b.last, b.device_id FROM number_blocks b \
         JOIN devices d ON d.id = b.device_id \
         WHERE b.key = $1 AND b.org_unit = $2 AND d.revoked_at IS NULL",
    )
    .bind(&key_text)
    .bind(&caller.org_unit)
    .fetch_all(&mut *conn)
    .await?;
    if blocks.is_empty() {
        return Ok((0, 0));
    }
    // Used: the numbers records carry (registrations, reissues) and the
    // voided ones. Both are few per office and year.
    let prefix = key.number(0);
    let prefix = prefix.trim_end_matches('0');
    let mut taken: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let used: Vec<String> = sqlx::query_scalar(
        "SELECT natural_key FROM records WHERE natural_key LIKE $1 \
         UNION SELECT number FROM reissued_numbers WHERE number LIKE $1",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(&mut *conn)
    .await?;
    for number in used {
        if let Some((series, serial)) = SequenceKey::parse_number(&number)
            && series == *key
        {
            taken.insert(serial);
        }
    }
    let voided: Vec<i64> = sqlx::query_scalar("SELECT serial FROM voided_numbers WHERE key = $1")
        .bind(&key_text)
        .fetch_all(&mut *conn)
        .await?;
    taken.extend(voided);
    let (mut by_device, mut by_unit) = (0_i64, 0_i64);
    for block in blocks {
        let (first, last): (i64, i64) = (block.try_get("first")?, block.try_get("last")?);
        let device: String = block.try_get("device_id")?;
        let unused =
            (last - first + 1) - taken.iter().filter(|s| (first..=last).contains(s)).count() as i64;
        by_unit += unused;
        if device == caller.device_id {
            by_device += unused;
        }
    }
    Ok((by_device, by_unit))
}

#[utoipa::path(post, path = "/api/v1/numbers/void", tag = "numbers", security(("bearer" = [])),
    request_body = VoidRequest,
    responses(
        (status = 200, body = VoidedNumber, description = "the number is void (again, if it already was)"),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "the number is not in a block this device holds"),
    ))]
pub async fn void(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<VoidRequest>,
) -> ApiResult<Json<VoidedNumber>> {
    let key = parse_key(&req.key)?;
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(ApiError::invalid(
            "reason",
            "the reason has 1 to 200 characters",
        ));
    }
    if !(1..=MAX_SERIAL).contains(&req.serial) {
        return Err(ApiError::invalid(
            "serial",
            format!("a serial is between 1 and {MAX_SERIAL}"),
        ));
    }
    check_access(&state, &caller, &key, Action::Write).await?;
    let now = state.clock.now_ms();
    let key_text = key.to_string();
    let mut tx = state.db.begin().await?;
    let held: Option<i64> = sqlx::query_scalar(
        "SELECT first FROM number_blocks WHERE key = $1 AND first <= $2 AND last >= $2 \
         AND device_id = $3",
    )
    .bind(&key_text)
    .bind(req.serial)
    .bind(&caller.device_id)
    .fetch_optional(&mut *tx)
    .await?;
    if held.is_none() {
        return Err(ApiError::forbidden(
            "this number is not in a block this device holds",
        ));
    }
    let inserted = sqlx::query(
        "INSERT INTO voided_numbers (key, serial, reason, device_id, user_id, voided_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key, serial) DO NOTHING",
    )
    .bind(&key_text)
    .bind(req.serial)
    .bind(reason)
    .bind(&caller.device_id)
    .bind(&caller.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 1 {
        let entry = caller.audit(
            "numbers.void",
            format!("numbers/{key_text}/{}", req.serial),
            json!({ "serial": req.serial }),
        );
        audit::append(&mut tx, &state.clock, &[entry]).await?;
    }
    let row =
        sqlx::query("SELECT reason, voided_at FROM voided_numbers WHERE key = $1 AND serial = $2")
            .bind(&key_text)
            .bind(req.serial)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(Json(VoidedNumber {
        number: key.number(req.serial),
        key: key_text,
        serial: req.serial,
        reason: row.try_get("reason")?,
        voided_at: to_datetime(row.try_get("voided_at")?),
    }))
}

/// `GET /api/v1/numbers/blocks` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BlockQuery {
    /// The series, e.g. `J-430102-2026`.
    pub key: String,
}

#[utoipa::path(get, path = "/api/v1/numbers/blocks", tag = "numbers", security(("bearer" = [])),
    params(BlockQuery),
    responses(
        (status = 200, body = Vec<NumberBlock>, description = "who holds which serials of the series"),
        (status = 403, body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<BlockQuery>,
) -> ApiResult<Json<Vec<NumberBlock>>> {
    let key = parse_key(&query.key)?;
    check_access(&state, &caller, &key, Action::Read).await?;
    Ok(Json(list_blocks(&state.db.pool, Some(&key)).await?))
}

/// Every block, or those of one series, in key and serial order.
pub async fn list_blocks(
    pool: &sqlx::AnyPool,
    key: Option<&SequenceKey>,
) -> Result<Vec<NumberBlock>, sqlx::Error> {
    let filter = key.map(ToString::to_string);
    let rows = sqlx::query(
        "SELECT key, first, last, device_id, allocated_at FROM number_blocks \
         WHERE ($1 IS NULL OR key = $1) ORDER BY key, first",
    )
    .bind(filter)
    .fetch_all(pool)
    .await?;
    let mut blocks = Vec::with_capacity(rows.len());
    for row in rows {
        let key_text: String = row.try_get("key")?;
        let key: SequenceKey = key_text
            .parse()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let (first, last): (i64, i64) = (row.try_get("first")?, row.try_get("last")?);
        let device: String = row.try_get("device_id")?;
        blocks.push(NumberBlock {
            first_number: key.number(first),
            last_number: key.number(last),
            key: key_text,
            first,
            last,
            device_id: device
                .parse()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            allocated_at: to_datetime(row.try_get("allocated_at")?),
        });
    }
    Ok(blocks)
}

/// Voided numbers of every series, for the administrator's listing.
pub async fn list_voided(pool: &sqlx::AnyPool) -> Result<Vec<VoidedNumber>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT key, serial, reason, voided_at FROM voided_numbers ORDER BY key, serial",
    )
    .fetch_all(pool)
    .await?;
    let mut voided = Vec::with_capacity(rows.len());
    for row in rows {
        let key_text: String = row.try_get("key")?;
        let key: SequenceKey = key_text
            .parse()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let serial: i64 = row.try_get("serial")?;
        voided.push(VoidedNumber {
            number: key.number(serial),
            key: key_text,
            serial,
            reason: row.try_get("reason")?,
            voided_at: to_datetime(row.try_get("voided_at")?),
        });
    }
    Ok(voided)
}

/// The blocks and voided numbers of the series that the numbers of one
/// push belong to, read once in its transaction: what a module checks a
/// certificate or case number against.
#[derive(Debug, Default)]
pub(crate) struct IssuedNumbers {
    /// Blocks by series: (first, last, org unit).
    blocks: std::collections::HashMap<String, Vec<(i64, i64, String)>>,
    voided: std::collections::HashSet<(String, i64)>,
}

impl IssuedNumbers {
    /// Reads the blocks and voided serials of the series of `numbers`
    /// (numbers of another form name no series and need nothing).
    pub(crate) async fn load<'n>(
        conn: &mut sqlx::AnyConnection,
        numbers: impl Iterator<Item = &'n str>,
    ) -> ApiResult<IssuedNumbers> {
        let mut keys: Vec<String> = numbers
            .filter_map(SequenceKey::parse_number)
            .map(|(k, _)| k.to_string())
            .collect();
        keys.sort();
        keys.dedup();
        let mut issued = IssuedNumbers::default();
        for key in &keys {
            for row in sqlx::query("SELECT first, last, org_unit FROM number_blocks WHERE key = $1")
                .bind(key.clone())
                .fetch_all(&mut *conn)
                .await?
            {
                issued.blocks.entry(key.clone()).or_default().push((
                    row.try_get("first")?,
                    row.try_get("last")?,
                    row.try_get("org_unit")?,
                ));
            }
            for row in sqlx::query("SELECT serial FROM voided_numbers WHERE key = $1")
                .bind(key.clone())
                .fetch_all(&mut *conn)
                .await?
            {
                issued.voided.insert((key.clone(), row.try_get("serial")?));
            }
        }
        Ok(issued)
    }

    /// The checks of a number issued on `day` by the caller's unit, the
    /// refusal naming `field`: the unit's own series for `prefix` and that
    /// year, in a block the unit holds, never voided (on the platform, or in
    /// `voided` of the record itself).
    pub(crate) fn check(
        &self,
        field: &str,
        number: &str,
        prefix: CertificatePrefix,
        day: chrono::NaiveDate,
        voided: &[String],
        caller: &Caller,
    ) -> Result<(), crate::modules::Rejection> {
        use crate::modules::Rejection;
        let Some((key, serial)) = SequenceKey::parse_number(number) else {
            return Err(Rejection::rule(
                field,
                format!("编号的格式如 {}430102-2026-000123", prefix.as_str()),
            ));
        };
        if key.prefix != prefix || key.region != caller.region || key.year != day.year() {
            return Err(Rejection::rule(
                field,
                format!(
                    "本单位 {} 年的编号以 {}{}-{}- 开头",
                    day.format("%Y"),
                    prefix.as_str(),
                    caller.region,
                    day.format("%Y")
                ),
            ));
        }
        let series = key.to_string();
        let ours = self.blocks.get(&series).is_some_and(|blocks| {
            blocks.iter().any(|(first, last, unit)| {
                (*first..=*last).contains(&serial) && *unit == caller.org_unit
            })
        });
        if !ours {
            return Err(Rejection::rule(field, "这个编号不在本单位的号段内"));
        }
        if self.voided.contains(&(series, serial)) || voided.iter().any(|v| v == number) {
            return Err(Rejection::rule(field, "这个编号已作废，不再发出"));
        }
        Ok(())
    }
}

/// The records that certificate numbers on record belong to, from one of
/// the registries that keep them (`reissued_numbers` of the marriage
/// counter, `funeral_certificates` of the funeral homes: each a `number`
/// and its `record_id`). A record id that does not read is the platform's
/// fault, an error, never a number taken as free.
pub(crate) async fn numbers_on_record(
    conn: &mut sqlx::AnyConnection,
    registry: &'static str,
    numbers: &[String],
) -> ApiResult<std::collections::HashMap<String, uuid::Uuid>> {
    let mut found = std::collections::HashMap::new();
    for chunk in numbers.chunks(400) {
        let sql = format!(
            "SELECT number, record_id FROM {registry} WHERE number IN ({})",
            crate::db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for number in chunk {
            query = query.bind(number.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let record: String = row.try_get("record_id")?;
            let record = record.parse().map_err(|_| {
                ApiError::internal(&format!("{registry} holds a record id that is not a UUID"))
            })?;
            found.insert(row.try_get("number")?, record);
        }
    }
    Ok(found)
}
