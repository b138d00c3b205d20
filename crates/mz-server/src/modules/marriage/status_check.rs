//! The marital-status check (婚姻状况核查) and the office head's list of
//! the day's checks: the handlers and their SQL.

use super::*;

#[utoipa::path(post, path = "/api/v1/marriage/status-check", tag = "marriage", security(("bearer" = [])),
    request_body = StatusCheckRequest,
    responses(
        (status = 200, body = StatusCheckResponse, description = "the check, kept by the platform; a registration cites its id"),
        (status = 400, body = ErrorBody, description = "not two parties, a malformed document number, or a purpose of another kind"),
        (status = 403, body = ErrorBody, description = "only registrars and office heads check"),
        (status = 422, body = ErrorBody, description = "the purpose is not a registration being prepared (or today's appointment) of this office naming these documents, or today's checks of this user or device are used up"),
    ))]
pub async fn status_check(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<StatusCheckRequest>,
) -> ApiResult<Json<StatusCheckResponse>> {
    if widest_scope(&caller.roles, Resource::MarriageRecord, Action::Write).is_none() {
        return Err(ApiError::forbidden(
            "only registrars and office heads check marital status",
        ));
    }
    if req.parties.len() != 2 {
        return Err(ApiError::invalid("parties", "a marriage has two parties"));
    }
    if !matches!(
        req.purpose.kind,
        RecordKind::MarriageRegistration | RecordKind::MarriageAppointment
    ) {
        return Err(ApiError::invalid(
            "purpose.kind",
            "a check is made for a marriage_registration or a marriage_appointment",
        ));
    }
    let now = state.clock.now_ms();
    let mut documents = Vec::with_capacity(2);
    for (index, person) in req.parties.iter().enumerate() {
        if person.doc_type == DocumentType::IdCard
            && let Err(e) = IdNumber::parse(&person.doc_number, china_date(now))
        {
            return Err(ApiError::invalid(
                &format!("parties[{index}].doc_number"),
                e.to_string(),
            ));
        }
        let number = registry_number(person.doc_type, &person.doc_number);
        if number.is_empty() {
            return Err(ApiError::invalid(
                &format!("parties[{index}].doc_number"),
                "the document number is empty",
            ));
        }
        documents.push(number);
    }
    let check_id = Uuid::now_v7();
    let digest = documents_digest(check_id, &document_set(&documents));
    let purpose = json!({ "kind": req.purpose.kind, "record_id": req.purpose.record_id });
    let mut tx = state.db.begin().await?;

    // A daily cap per user and per device: a lookup of anyone's marriage
    // is not a search engine. An attempt past it is refused and kept, and
    // the office head sees it among the day's checks.
    let day_start = china_day_start(now);
    // The user's and the device's rows are touched first: checks of one
    // user or one device line up here, so none slips past the cap while
    // another is being counted (PostgreSQL; SQLite's write lock already).
    sqlx::query("UPDATE users SET id = id WHERE id = $1")
        .bind(&caller.user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE devices SET id = id WHERE id = $1")
        .bind(&caller.device_id)
        .execute(&mut *tx)
        .await?;
    let (by_user, by_device): (i64, i64) = {
        let row = sqlx::query(
            "SELECT \
             (SELECT count(*) FROM status_checks WHERE user_id = $1 AND checked_at >= $3 AND refused = 0) AS by_user, \
             (SELECT count(*) FROM status_checks WHERE device_id = $2 AND checked_at >= $3 AND refused = 0) AS by_device",
        )
        .bind(&caller.user_id)
        .bind(&caller.device_id)
        .bind(day_start)
        .fetch_one(&mut *tx)
        .await?;
        (row.try_get("by_user")?, row.try_get("by_device")?)
    };
    if by_user >= MAX_CHECKS_PER_DAY || by_device >= MAX_CHECKS_PER_DAY {
        insert_check(
            &mut tx,
            &caller,
            check_id,
            now,
            &digest,
            &req.purpose,
            false,
            true,
        )
        .await?;
        audit::append(
            &mut tx,
            &state.clock,
            &[caller.audit(
                "marriage.status_check_refused",
                format!("status_check/{check_id}"),
                json!({ "purpose": purpose, "documents": digest, "by_user": by_user, "by_device": by_device }),
            )],
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::new(
            ErrorCode::RuleViolation,
            format!(
                "today's {MAX_CHECKS_PER_DAY} marital-status checks of this user or device are used up; the office head sees this attempt"
            ),
        ));
    }
    check_purpose(&mut tx, &caller, &req.purpose, &documents, china_date(now)).await?;

    let married = married_in_force(&mut tx, &documents).await?;
    let parties: Vec<PersonStatus> = documents
        .iter()
        .map(|doc| PersonStatus {
            doc_number: doc.clone(),
            married: married.contains_key(doc),
            certificate_no: married
                .get(doc)
                .and_then(|list| list.first())
                .and_then(|m| m.certificate_no.clone()),
        })
        .collect();
    let clear = parties.iter().all(|p| !p.married);
    insert_check(
        &mut tx,
        &caller,
        check_id,
        now,
        &digest,
        &req.purpose,
        clear,
        false,
    )
    .await?;
    audit::append(
        &mut tx,
        &state.clock,
        &[caller.audit(
            "marriage.status_check",
            format!("status_check/{check_id}"),
            json!({ "clear": clear, "purpose": purpose, "documents": digest }),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(StatusCheckResponse {
        check_id,
        clear,
        parties,
    }))
}

/// What a check keeps of the documents it checked: a digest with the check's
/// id, which proves later which documents were checked (to whoever holds
/// them) and reads as nothing to whoever reads the table.
pub(crate) fn documents_digest(check_id: Uuid, documents: &str) -> String {
    crate::sha256_hex(&format!("{check_id}\n{documents}"))
}

/// Today in China by `clock`.
pub fn china_today(clock: &crate::Clock) -> NaiveDate {
    china_date(clock.now_ms())
}

/// The first millisecond of the day in China (UTC+8) that `ms` falls in.
pub(super) fn china_day_start(ms: i64) -> i64 {
    const DAY: i64 = 24 * 60 * 60 * 1000;
    const CHINA: i64 = 8 * 60 * 60 * 1000;
    (ms + CHINA).div_euclid(DAY) * DAY - CHINA
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_check(
    conn: &mut AnyConnection,
    caller: &Caller,
    check_id: Uuid,
    now: i64,
    digest: &str,
    purpose: &CheckPurpose,
    clear: bool,
    refused: bool,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO status_checks (id, org_unit, user_id, device_id, checked_at, documents, clear, \
         purpose_kind, purpose_id, refused) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(check_id.to_string())
    .bind(caller.org_unit.clone())
    .bind(caller.user_id.clone())
    .bind(caller.device_id.clone())
    .bind(now)
    .bind(digest)
    .bind(i64::from(clear))
    .bind(purpose.kind.as_str())
    .bind(purpose.record_id.to_string())
    .bind(i64::from(refused))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the check's purpose is real: a registration of the caller's
/// office being prepared for exactly these documents, or today's
/// appointment of the office naming them.
pub(super) async fn check_purpose(
    conn: &mut AnyConnection,
    caller: &Caller,
    purpose: &CheckPurpose,
    documents: &[String],
    today: NaiveDate,
) -> ApiResult<()> {
    let refuse = |reason: &str| {
        ApiError::new(ErrorCode::RuleViolation, reason.to_owned())
            .with_details(json!({ "field": "purpose.record_id" }))
    };
    let row = sqlx::query(
        "SELECT org_unit, deleted, data FROM records WHERE kind = $1 AND id = $2",
    )
    .bind(purpose.kind.as_str())
    .bind(purpose.record_id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        refuse(
            "a check is made for a record the platform holds: send the prepared registration first",
        )
    })?;
    let org_unit: String = row.try_get("org_unit")?;
    let data: Option<String> = row.try_get("data")?;
    let data = match data {
        Some(data) if org_unit == caller.org_unit && row.try_get::<i64, _>("deleted")? == 0 => data,
        _ => return Err(refuse("the check's record is not one of this office")),
    };
    let named: Vec<String> = match purpose.kind {
        RecordKind::MarriageRegistration => {
            let body: MarriageRegistrationData =
                stored_body(&data).map_err(|refusal| ApiError::internal(&refusal.reason))?;
            if body.status != MarriageStatus::Prepared {
                return Err(refuse("the check's registration is not being prepared"));
            }
            body.parties
                .iter()
                .map(|p| registry_number(p.doc_type, &p.doc_number))
                .collect()
        }
        RecordKind::MarriageAppointment => {
            let body: mz_api::records::AppointmentData =
                stored_body(&data).map_err(|refusal| ApiError::internal(&refusal.reason))?;
            if body.date != today {
                return Err(refuse("the check's appointment is not today's"));
            }
            std::iter::once(&body.party_a)
                .chain(body.party_b.as_ref())
                .map(|p| registry_number(DocumentType::IdCard, &p.id_number))
                .collect()
        }
        // A check is made for nothing else; the request named another kind.
        other => {
            return Err(refuse(&format!(
                "a check is made for a registration or an appointment, not a {other}"
            )));
        }
    };
    if document_set(&named) != document_set(documents) {
        return Err(refuse("the check's record names other documents"));
    }
    Ok(())
}

/// Where the record a check was made for stands now, in a word.
pub(super) fn purpose_state(
    kind: RecordKind,
    deleted: Option<i64>,
    data: Option<String>,
) -> ApiResult<String> {
    let internal = |refusal: Refusal| ApiError::internal(&refusal.reason);
    let (Some(deleted), Some(data)) = (deleted, data) else {
        return Ok(match deleted {
            Some(_) => "deleted",
            None => "missing",
        }
        .to_owned());
    };
    if deleted != 0 {
        return Ok("deleted".to_owned());
    }
    let word = match kind {
        RecordKind::MarriageRegistration => {
            match stored_body::<MarriageRegistrationData>(&data)
                .map_err(internal)?
                .status
            {
                MarriageStatus::Prepared => "prepared",
                MarriageStatus::Registered => "registered",
                MarriageStatus::Refused => "refused",
            }
        }
        RecordKind::MarriageAppointment => {
            use mz_api::records::AppointmentStatus;
            match stored_body::<mz_api::records::AppointmentData>(&data)
                .map_err(internal)?
                .status
            {
                AppointmentStatus::Booked => "booked",
                AppointmentStatus::CheckedIn => "checked_in",
                AppointmentStatus::NoShow => "no_show",
                AppointmentStatus::Served => "served",
            }
        }
        // Stored checks name nothing else: one that does is the platform's fault.
        other => {
            return Err(ApiError::internal(&format!(
                "a status check names a {other}, which checks are never made for"
            )));
        }
    };
    Ok(word.to_owned())
}

#[utoipa::path(get, path = "/api/v1/marriage/status-checks", tag = "marriage", security(("bearer" = [])),
    params(StatusChecksQuery),
    responses(
        (status = 200, body = Vec<StatusCheckEntry>, description = "the office's checks of the day, refused attempts among them; never the documents"),
        (status = 400, body = ErrorBody, description = "a malformed day"),
        (status = 403, body = ErrorBody, description = "only the office head sees the office's checks"),
    ))]
pub async fn day_checks(
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<StatusChecksQuery>,
) -> ApiResult<Json<Vec<StatusCheckEntry>>> {
    if !caller.roles.contains(&mz_domain::Role::MarriageHead) {
        return Err(ApiError::forbidden(
            "only the office head sees the office's status checks",
        ));
    }
    let noon = query
        .day
        .and_hms_opt(12, 0, 0)
        .ok_or_else(|| ApiError::invalid("day", "not a day"))?
        .and_utc()
        .timestamp_millis();
    let start = china_day_start(noon);
    let rows = sqlx::query(
        "SELECT c.id, c.checked_at, c.clear, c.refused, c.purpose_kind, c.purpose_id, \
         u.display_name, d.name AS device, r.deleted AS purpose_deleted, r.data AS purpose_data \
         FROM status_checks c \
         LEFT JOIN users u ON u.id = c.user_id LEFT JOIN devices d ON d.id = c.device_id \
         LEFT JOIN records r ON r.kind = c.purpose_kind AND r.id = c.purpose_id \
         WHERE c.org_unit = $1 AND c.checked_at >= $2 AND c.checked_at < $3 ORDER BY c.checked_at",
    )
    .bind(&caller.org_unit)
    .bind(start)
    .bind(start + 24 * 60 * 60 * 1000)
    .fetch_all(&state.db.pool)
    .await?;
    let mut checks = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let kind: Option<String> = row.try_get("purpose_kind")?;
        let record: Option<String> = row.try_get("purpose_id")?;
        let purpose = match (kind, record) {
            (Some(kind), Some(record)) => Some(CheckPurpose {
                kind: RecordKind::parse(&kind).ok_or_else(|| {
                    ApiError::internal(&format!("a check names an unknown kind {kind:?}"))
                })?,
                record_id: record.parse().map_err(|e| ApiError::internal(&e))?,
            }),
            // Checks from before purposes were kept.
            _ => None,
        };
        let purpose_now = match &purpose {
            None => None,
            Some(purpose) => Some(purpose_state(
                purpose.kind,
                row.try_get("purpose_deleted")?,
                row.try_get("purpose_data")?,
            )?),
        };
        checks.push(StatusCheckEntry {
            check_id: id.parse().map_err(|e| ApiError::internal(&e))?,
            checked_at: crate::clock::to_datetime(row.try_get("checked_at")?),
            user: row
                .try_get::<Option<String>, _>("display_name")?
                .unwrap_or_default(),
            device: row
                .try_get::<Option<String>, _>("device")?
                .unwrap_or_default(),
            purpose,
            purpose_now,
            clear: row.try_get::<i64, _>("clear")? != 0,
            refused: row.try_get::<i64, _>("refused")? != 0,
        });
    }
    Ok(Json(checks))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn registration_days_are_counted_in_china_time() {
        // 2026-11-29 16:30 UTC is 2026-11-30 00:30 in Beijing.
        let ms = chrono::DateTime::parse_from_rfc3339("2026-11-29T16:30:00Z")
            .unwrap()
            .timestamp_millis();
        assert_eq!(china_date(ms), "2026-11-30".parse::<NaiveDate>().unwrap());
    }
}
