//! The figures: events kept as records arrive, counted in SQL per office.

use mz_api::marriage::{FigureEvent, divorce_events, marriage_events};

use super::*;

/// The count of an office's figures an event adds to.
fn count_in(event: FigureEvent, figures: &mut OfficeFigures) -> &mut u32 {
    match event {
        FigureEvent::Marriage => &mut figures.marriages,
        FigureEvent::Refusal => &mut figures.refusals,
        FigureEvent::DivorceApplication => &mut figures.divorce_applications,
        FigureEvent::Withdrawal => &mut figures.withdrawals,
        FigureEvent::Divorce => &mut figures.divorces,
    }
}

/// What a stored record counts for in the figures: each event with its day.
pub(super) fn events_of(
    kind: RecordKind,
    data: &str,
) -> Result<Vec<(FigureEvent, NaiveDate)>, Refusal> {
    Ok(match kind {
        RecordKind::MarriageRegistration => marriage_events(&stored_body(data)?),
        RecordKind::DivorceRegistration => divorce_events(&stored_body(data)?),
        RecordKind::MarriageAppointment => Vec::new(),
        other => return Err(not_mine(other)),
    })
}

/// Keeps the figures' events in step with the records written.
pub(crate) async fn note_events(
    conn: &mut AnyConnection,
    written: &[Written<'_>],
) -> ApiResult<()> {
    for record in written {
        if !matches!(
            record.kind,
            RecordKind::MarriageRegistration | RecordKind::DivorceRegistration
        ) {
            continue;
        }
        sqlx::query("DELETE FROM marriage_events WHERE record_id = $1")
            .bind(record.id.to_string())
            .execute(&mut *conn)
            .await?;
        let Some(data) = record.data else { continue };
        let events =
            events_of(record.kind, data).map_err(|refusal| ApiError::internal(&refusal.reason))?;
        for (event, day) in events {
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
        }
    }
    Ok(())
}

/// Derives the events of the records written before the events were kept:
/// once, when the platform starts on a database that has not had it done.
pub async fn derive_missing_events(db: &crate::Db) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    let done: i64 = sqlx::query_scalar(
        "UPDATE counters SET value = value WHERE name = 'marriage_events' RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await?;
    if done != 0 {
        return Ok(());
    }
    // Page by page, in id order.
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT kind, id, org_unit, region, data FROM records \
             WHERE kind IN ('marriage_registration', 'divorce_registration') AND deleted = 0 \
             AND id > $1 ORDER BY id LIMIT 200",
        )
        .bind(&after)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for row in rows {
            let kind: String = row.try_get("kind")?;
            let id: String = row.try_get("id")?;
            let named = |what: &str| ApiError::internal(&format!("{kind}/{id}: {what}"));
            let kind = RecordKind::parse(&kind).ok_or_else(|| named("unknown kind"))?;
            let (org_unit, region): (String, String) =
                (row.try_get("org_unit")?, row.try_get("region")?);
            let data: Option<String> = row.try_get("data")?;
            let record = Written {
                kind,
                id: id.parse().map_err(|_| named("the id is not a UUID"))?,
                org_unit: &org_unit,
                region: &region,
                data: data.as_deref(),
            };
            note_events(&mut tx, &[record])
                .await
                .map_err(|_| named("the body cannot be counted"))?;
        }
    }
    sqlx::query("UPDATE counters SET value = 1 WHERE name = 'marriage_events'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/marriage/figures", tag = "marriage", security(("bearer" = [])),
    params(FiguresQuery),
    responses(
        (status = 200, body = Vec<OfficeFigures>, description = "each office within reach, with its counts; no personal data"),
        (status = 400, body = ErrorBody, description = "a malformed or reversed range, or longer than ten years"),
        (status = 403, body = ErrorBody, description = "a role without marriage figures"),
    ))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<FiguresQuery>,
) -> ApiResult<Json<Vec<OfficeFigures>>> {
    let Some(scope) = widest_scope(&caller.roles, Resource::MarriageFigures, Action::Read) else {
        return Err(ApiError::forbidden(
            "your roles do not include marriage figures",
        ));
    };
    if query.from > query.to {
        return Err(ApiError::invalid("from", "the range starts after it ends"));
    }
    if (query.to - query.from).num_days() > 3660 {
        return Err(ApiError::invalid("to", "a range of at most ten years"));
    }
    // Counted in the database, over the events within reach and range.
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
        .bind(query.from.to_string())
        .bind(query.to.to_string());
    if let Some(value) = bind {
        q = q.bind(value);
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    let mut offices: std::collections::BTreeMap<String, OfficeFigures> =
        std::collections::BTreeMap::new();
    for row in rows {
        let unit: String = row.try_get("org_unit")?;
        let region: String = row.try_get("region")?;
        let name: Option<String> = row.try_get("name")?;
        let event: String = row.try_get("event")?;
        let n = u32::try_from(row.try_get::<i64, _>("n")?).map_err(|e| ApiError::internal(&e))?;
        let figures = offices
            .entry(unit.clone())
            .or_insert_with(|| OfficeFigures {
                org_unit: unit,
                name: name.unwrap_or_default(),
                region,
                ..OfficeFigures::default()
            });
        let event = FigureEvent::parse(&event).ok_or_else(|| {
            ApiError::internal(&format!("the figures hold an unknown event {event:?}"))
        })?;
        *count_in(event, figures) += n;
    }
    Ok(Json(offices.into_values().collect()))
}
