//! The SQL of the marriage module's handlers and of its figures' events, in
//! the one dialect both backends run; the handlers (`status_check.rs`,
//! `figures.rs`) call these and hold none. What a push reads is in
//! `facts.rs`, what it keeps in step in `index.rs`.

use mz_api::marriage::FigureEvent;

use super::*;

/// Touches the caller's user and device rows: checks of one user or one
/// device line up here, so none slips past the daily cap while another is
/// being counted (PostgreSQL; SQLite's write lock already does).
pub(super) async fn line_up_checks(conn: &mut AnyConnection, caller: &Caller) -> ApiResult<()> {
    sqlx::query("UPDATE users SET id = id WHERE id = $1")
        .bind(&caller.user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE devices SET id = id WHERE id = $1")
        .bind(&caller.device_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The checks made (not refused) by the caller's user and by its device
/// since `day_start`.
pub(super) async fn checks_since(
    conn: &mut AnyConnection,
    caller: &Caller,
    day_start: i64,
) -> ApiResult<(i64, i64)> {
    let row = sqlx::query(
        "SELECT \
         (SELECT count(*) FROM status_checks WHERE user_id = $1 AND checked_at >= $3 AND refused = 0) AS by_user, \
         (SELECT count(*) FROM status_checks WHERE device_id = $2 AND checked_at >= $3 AND refused = 0) AS by_device",
    )
    .bind(&caller.user_id)
    .bind(&caller.device_id)
    .bind(day_start)
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.try_get("by_user")?, row.try_get("by_device")?))
}

/// A check as it is kept: who, when, the documents' digest, the purpose,
/// and whether it was clear or refused past the cap.
pub(super) struct NewCheck<'a> {
    pub id: Uuid,
    pub at: i64,
    pub digest: &'a str,
    pub purpose: &'a CheckPurpose,
    pub clear: bool,
    pub refused: bool,
}

pub(super) async fn insert_check(
    conn: &mut AnyConnection,
    caller: &Caller,
    check: NewCheck<'_>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO status_checks (id, org_unit, user_id, device_id, checked_at, documents, clear, \
         purpose_kind, purpose_id, refused) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(check.id.to_string())
    .bind(caller.org_unit.clone())
    .bind(caller.user_id.clone())
    .bind(caller.device_id.clone())
    .bind(check.at)
    .bind(check.digest)
    .bind(i64::from(check.clear))
    .bind(check.purpose.kind.as_str())
    .bind(check.purpose.record_id.to_string())
    .bind(i64::from(check.refused))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The record a check is made for, as the platform holds it.
pub(super) struct PurposeRecord {
    pub org_unit: String,
    pub deleted: bool,
    pub data: Option<String>,
}

pub(super) async fn purpose_record(
    conn: &mut AnyConnection,
    purpose: &CheckPurpose,
) -> ApiResult<Option<PurposeRecord>> {
    let row =
        sqlx::query("SELECT org_unit, deleted, data FROM records WHERE kind = $1 AND id = $2")
            .bind(purpose.kind.as_str())
            .bind(purpose.record_id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|row| {
        Ok(PurposeRecord {
            org_unit: row.try_get("org_unit")?,
            deleted: row.try_get::<i64, _>("deleted")? != 0,
            data: row.try_get("data")?,
        })
    })
    .transpose()
}

/// One check of an office's day, with its user, its device and where the
/// record it was made for stands (`None` for a record no longer held).
pub(super) struct DayCheckRow {
    pub id: String,
    pub checked_at: i64,
    pub clear: bool,
    pub refused: bool,
    /// Checks from before purposes were kept have none.
    pub purpose_kind: Option<String>,
    pub purpose_id: Option<String>,
    pub user: Option<String>,
    pub device: Option<String>,
    pub purpose_deleted: Option<i64>,
    pub purpose_data: Option<String>,
}

/// The checks of `org_unit` from `start` (inclusive) to `end`, in order.
pub(super) async fn day_check_rows(
    db: &crate::Db,
    org_unit: &str,
    (start, end): (i64, i64),
) -> ApiResult<Vec<DayCheckRow>> {
    let rows = sqlx::query(
        "SELECT c.id, c.checked_at, c.clear, c.refused, c.purpose_kind, c.purpose_id, \
         u.display_name, d.name AS device, r.deleted AS purpose_deleted, r.data AS purpose_data \
         FROM status_checks c \
         LEFT JOIN users u ON u.id = c.user_id LEFT JOIN devices d ON d.id = c.device_id \
         LEFT JOIN records r ON r.kind = c.purpose_kind AND r.id = c.purpose_id \
         WHERE c.org_unit = $1 AND c.checked_at >= $2 AND c.checked_at < $3 ORDER BY c.checked_at",
    )
    .bind(org_unit)
    .bind(start)
    .bind(end)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(DayCheckRow {
                id: row.try_get("id")?,
                checked_at: row.try_get("checked_at")?,
                clear: row.try_get::<i64, _>("clear")? != 0,
                refused: row.try_get::<i64, _>("refused")? != 0,
                purpose_kind: row.try_get("purpose_kind")?,
                purpose_id: row.try_get("purpose_id")?,
                user: row.try_get("display_name")?,
                device: row.try_get("device")?,
                purpose_deleted: row.try_get("purpose_deleted")?,
                purpose_data: row.try_get("purpose_data")?,
            })
        })
        .collect()
}

/// Forgets the figures' events of a record (before they are noted anew).
pub(super) async fn delete_events(conn: &mut AnyConnection, record_id: Uuid) -> ApiResult<()> {
    sqlx::query("DELETE FROM marriage_events WHERE record_id = $1")
        .bind(record_id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One event a record counts for, on its day, in its office and region.
pub(super) async fn insert_event(
    conn: &mut AnyConnection,
    record: &Written<'_>,
    event: FigureEvent,
    day: NaiveDate,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO marriage_events (record_id, event, day, org_unit, region) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(record.id.to_string())
    .bind(event.as_str())
    .bind(day.to_string())
    .bind(record.org_unit)
    .bind(record.region)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many events of one kind an office has in a range.
pub(super) struct EventCount {
    pub org_unit: String,
    pub region: String,
    pub name: Option<String>,
    pub event: String,
    pub n: i64,
}

/// The events from `from` to `to` (days, inclusive) within `scope` of the
/// caller, counted per office and event in the database.
pub(super) async fn event_counts(
    db: &crate::Db,
    caller: &Caller,
    scope: Scope,
    (from, to): (NaiveDate, NaiveDate),
) -> ApiResult<Vec<EventCount>> {
    let (clause, bind) = match scope {
        Scope::All => ("1 = 1", None),
        Scope::Region => ("e.region LIKE $3", Some(caller.region.like_pattern())),
        Scope::Unit => ("e.org_unit = $3", Some(caller.org_unit.clone())),
    };
    let sql = format!(
        "SELECT e.org_unit, e.region, u.name, e.event, count(*) AS n FROM marriage_events e \
         LEFT JOIN org_units u ON u.code = e.org_unit \
         WHERE e.day >= $1 AND e.day <= $2 AND {clause} \
         GROUP BY e.org_unit, e.region, u.name, e.event"
    );
    let mut q = sqlx::query(crate::db::assembled(sql))
        .bind(from.to_string())
        .bind(to.to_string());
    if let Some(value) = bind {
        q = q.bind(value);
    }
    let rows = q.fetch_all(&db.pool).await?;
    rows.into_iter()
        .map(|row| {
            Ok(EventCount {
                org_unit: row.try_get("org_unit")?,
                region: row.try_get("region")?,
                name: row.try_get("name")?,
                event: row.try_get("event")?,
                n: row.try_get("n")?,
            })
        })
        .collect()
}
