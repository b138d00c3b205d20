//! The SQL of the funeral module, in the one dialect both backends run.

use mz_api::funeral::{FuneralCaseData, FuneralEvent, case_events};
use mz_api::records::RecordKind;
use mz_domain::Scope;
use mz_domain::numbering::certificate_key;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::modules::Written;

/// Keeps the certificate numbers of case `id` (its current one and the
/// voided ones) in step with its body; a deleted case keeps them, since a
/// number once given is never given again.
pub(super) async fn keep_certificates(
    conn: &mut AnyConnection,
    id: Uuid,
    body: Option<&FuneralCaseData>,
) -> ApiResult<()> {
    let Some(certificate) = body.and_then(|b| b.certificate.as_ref()) else {
        return Ok(());
    };
    for number in super::certificate_numbers(certificate) {
        sqlx::query(
            "INSERT INTO funeral_certificates (number, record_id) VALUES ($1, $2) \
             ON CONFLICT (number) DO NOTHING",
        )
        .bind(certificate_key(number))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Keeps the figures' events of a case and the counts they add to in step
/// with its body: its old events are taken off the counts, its new ones
/// added, in the push's transaction.
pub(super) async fn keep_events(
    conn: &mut AnyConnection,
    record: &Written<'_>,
    body: Option<&FuneralCaseData>,
) -> ApiResult<()> {
    let id = record.id.to_string();
    let old = sqlx::query("SELECT event, month, org_unit FROM funeral_events WHERE record_id = $1")
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
    for row in old {
        let (event, month, unit): (String, String, String) = (
            row.try_get("event")?,
            row.try_get("month")?,
            row.try_get("org_unit")?,
        );
        sqlx::query(
            "UPDATE funeral_counts SET n = n - 1 WHERE org_unit = $1 AND month = $2 AND event = $3",
        )
        .bind(unit)
        .bind(month)
        .bind(event)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM funeral_events WHERE record_id = $1")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    let events = body.map(case_events).unwrap_or_default();
    for (event, month) in events {
        sqlx::query(
            "INSERT INTO funeral_events (record_id, event, month, org_unit, region) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(event.as_str())
        .bind(&month)
        .bind(record.org_unit)
        .bind(record.region)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO funeral_counts (org_unit, month, event, region, n) \
             VALUES ($1, $2, $3, $4, 1) \
             ON CONFLICT (org_unit, month, event) DO UPDATE SET n = funeral_counts.n + 1",
        )
        .bind(record.org_unit)
        .bind(&month)
        .bind(event.as_str())
        .bind(record.region)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// How many of one event a home has over the months asked for.
pub(super) struct Count {
    pub org_unit: String,
    pub region: String,
    pub name: Option<String>,
    pub event: FuneralEvent,
    pub n: i64,
}

/// The counts from month `from` to `to` (inclusive) within `scope` of the
/// caller, summed per home and event from the kept counts.
pub(super) async fn counts(
    db: &crate::Db,
    caller: &Caller,
    scope: Scope,
    (from, to): (&str, &str),
) -> ApiResult<Vec<Count>> {
    let (clause, bind) = match scope {
        Scope::All => ("1 = 1", None),
        Scope::Region => ("c.region LIKE $3", Some(caller.region.like_pattern())),
        Scope::Unit => ("c.org_unit = $3", Some(caller.org_unit.clone())),
    };
    let sql = format!(
        "SELECT c.org_unit, c.region, u.name, c.event, CAST(sum(c.n) AS BIGINT) AS n FROM funeral_counts c \
         LEFT JOIN org_units u ON u.code = c.org_unit \
         WHERE c.month >= $1 AND c.month <= $2 AND {clause} \
         GROUP BY c.org_unit, c.region, u.name, c.event"
    );
    let mut query = sqlx::query(crate::db::assembled(sql))
        .bind(from.to_owned())
        .bind(to.to_owned());
    if let Some(value) = bind {
        query = query.bind(value);
    }
    let rows = query.fetch_all(&db.pool).await?;
    rows.into_iter()
        .map(|row| {
            let event: String = row.try_get("event")?;
            Ok(Count {
                org_unit: row.try_get("org_unit")?,
                region: row.try_get("region")?,
                name: row.try_get("name")?,
                event: FuneralEvent::parse(&event).ok_or_else(|| {
                    ApiError::internal(&format!(
                        "the funeral counts hold an unknown event {event:?}"
                    ))
                })?,
                n: row.try_get("n")?,
            })
        })
        .collect()
}

/// The setup of home `unit` (its `funeral_home` record), if it has one.
pub(super) async fn home_setup(
    conn: &mut AnyConnection,
    unit: &str,
) -> ApiResult<Option<mz_api::funeral::home::FuneralHomeData>> {
    crate::modules::live_by_key(conn, RecordKind::FuneralHome, &format!("home:{unit}")).await
}

/// The cemetery of the home of `unit`, when it has one.
pub(super) async fn cemetery(
    conn: &mut AnyConnection,
    unit: &str,
) -> ApiResult<Option<mz_api::funeral::cemetery::CemeteryData>> {
    crate::modules::live_by_key(conn, RecordKind::Cemetery, &format!("cemetery:{unit}")).await
}

/// The fee standards over a home in `region`: those of its province and
/// city (each kept by civil affairs there), province first.
pub(super) async fn standards_over(
    conn: &mut AnyConnection,
    region: &mz_domain::RegionCode,
) -> ApiResult<Vec<mz_api::funeral::standard::FuneralStandardData>> {
    let rows: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM records WHERE kind = 'funeral_standard' AND deleted = 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut all = Vec::with_capacity(rows.len());
    for data in rows {
        let Some(text) = data else {
            return Err(ApiError::internal(
                &"a funeral standard on record has no body",
            ));
        };
        all.push(crate::modules::stored_body(&text).map_err(|r| ApiError::internal(&r.reason))?);
    }
    Ok(mz_api::funeral::standard::over(&all, region))
}
