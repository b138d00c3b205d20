//! The figures: events kept as records arrive, counted in SQL per office
//! (the SQL is in `queries.rs`).

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
        queries::delete_events(conn, record.id).await?;
        let Some(data) = record.data else { continue };
        let events =
            events_of(record.kind, data).map_err(|refusal| ApiError::internal(&refusal.reason))?;
        for (event, day) in events {
            queries::insert_event(conn, record, event, day).await?;
        }
    }
    Ok(())
}

/// Derives the events of the records written before the events were kept:
/// once, when the platform starts on a database that has not had it done.
pub async fn derive_missing_events(db: &crate::Db) -> ApiResult<()> {
    crate::modules::derive_once(
        db,
        "marriage_events",
        &[
            RecordKind::MarriageRegistration,
            RecordKind::DivorceRegistration,
        ],
        |conn, written| Box::pin(note_events(conn, written)),
    )
    .await
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
        return Err(ApiError::forbidden("您的角色不能查看婚姻登记统计"));
    };
    if query.from > query.to {
        return Err(ApiError::invalid("from", "起始日期晚于截止日期"));
    }
    if (query.to - query.from).num_days() > 3660 {
        return Err(ApiError::invalid("to", "统计区间最长十年"));
    }
    // Counted in the database, over the events within reach and range.
    let counts = queries::event_counts(&state.db, &caller, scope, (query.from, query.to)).await?;
    let mut offices: std::collections::BTreeMap<String, OfficeFigures> =
        std::collections::BTreeMap::new();
    for count in counts {
        let n = u32::try_from(count.n).map_err(|e| ApiError::internal(&e))?;
        let figures = offices
            .entry(count.org_unit.clone())
            .or_insert_with(|| OfficeFigures {
                org_unit: count.org_unit,
                name: count.name.unwrap_or_default(),
                region: count.region,
                ..OfficeFigures::default()
            });
        let event = FigureEvent::parse(&count.event).ok_or_else(|| {
            ApiError::internal(&format!(
                "the figures hold an unknown event {:?}",
                count.event
            ))
        })?;
        *count_in(event, figures) += n;
    }
    Ok(Json(offices.into_values().collect()))
}
