//! The marital-status check (婚姻状况核查) and the office head's list of
//! the day's checks: the handlers (their SQL is in `queries.rs`).

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
            "只有登记员和登记处负责人可以核查婚姻状况",
        ));
    }
    if req.parties.len() != 2 {
        return Err(ApiError::invalid("parties", "结婚登记有两方当事人"));
    }
    if !matches!(
        req.purpose.kind,
        RecordKind::MarriageRegistration | RecordKind::MarriageAppointment
    ) {
        return Err(ApiError::invalid(
            "purpose.kind",
            "核查只为结婚登记（marriage_registration）或预约（marriage_appointment）而做",
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
                "证件号码为空",
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
    queries::line_up_checks(&mut tx, &caller).await?;
    let (by_user, by_device) = queries::checks_since(&mut tx, &caller, day_start).await?;
    if by_user >= MAX_CHECKS_PER_DAY || by_device >= MAX_CHECKS_PER_DAY {
        let refused = queries::NewCheck {
            id: check_id,
            at: now,
            digest: &digest,
            purpose: &req.purpose,
            clear: false,
            refused: true,
        };
        queries::insert_check(&mut tx, &caller, refused).await?;
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
                "本用户或本设备今日 {MAX_CHECKS_PER_DAY} 次婚姻状况核查已用完；此次尝试登记处负责人可见"
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
    let made = queries::NewCheck {
        id: check_id,
        at: now,
        digest: &digest,
        purpose: &req.purpose,
        clear,
        refused: false,
    };
    queries::insert_check(&mut tx, &caller, made).await?;
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
    let record = queries::purpose_record(conn, purpose)
        .await?
        .ok_or_else(|| refuse("核查须针对平台已有的记录：请先发送待登记表"))?;
    let data = match record.data {
        Some(data) if record.org_unit == caller.org_unit && !record.deleted => data,
        _ => return Err(refuse("核查所针对的记录不属于本登记机关")),
    };
    let named: Vec<String> = match purpose.kind {
        RecordKind::MarriageRegistration => {
            let body: MarriageRegistrationData =
                stored_body(&data).map_err(|refusal| ApiError::internal(&refusal.reason))?;
            if body.status != MarriageStatus::Prepared {
                return Err(refuse("核查所针对的登记不是待登记状态"));
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
                return Err(refuse("核查所针对的预约不是今天的"));
            }
            std::iter::once(&body.party_a)
                .chain(body.party_b.as_ref())
                .map(|p| registry_number(DocumentType::IdCard, &p.id_number))
                .collect()
        }
        // A check is made for nothing else; the request named another kind.
        other => {
            return Err(refuse(&format!("核查只为结婚登记或预约而做，不为 {other}")));
        }
    };
    if document_set(&named) != document_set(documents) {
        return Err(refuse("核查所针对的记录载明的是其他证件"));
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
            "只有登记处负责人可以查看本处的核查记录",
        ));
    }
    let noon = query
        .day
        .and_hms_opt(12, 0, 0)
        .ok_or_else(|| ApiError::invalid("day", "不是有效的日期"))?
        .and_utc()
        .timestamp_millis();
    let start = china_day_start(noon);
    let rows = queries::day_check_rows(
        &state.db,
        &caller.org_unit,
        (start, start + 24 * 60 * 60 * 1000),
    )
    .await?;
    let mut checks = Vec::with_capacity(rows.len());
    for row in rows {
        let purpose = match (row.purpose_kind, row.purpose_id) {
            (Some(kind), Some(record)) => Some(CheckPurpose {
                kind: RecordKind::parse(&kind).ok_or_else(|| {
                    ApiError::internal(&format!("a check names an unknown kind {kind:?}"))
                })?,
                record_id: record.parse().map_err(|e| ApiError::internal(&e))?,
            }),
            (None, None) => None,
            _ => {
                return Err(ApiError::internal(
                    &"a status check keeps half of its purpose",
                ));
            }
        };
        let purpose_now = match &purpose {
            None => None,
            Some(purpose) => Some(purpose_state(
                purpose.kind,
                row.purpose_deleted,
                row.purpose_data,
            )?),
        };
        checks.push(StatusCheckEntry {
            check_id: row.id.parse().map_err(|e| ApiError::internal(&e))?,
            checked_at: crate::clock::to_datetime(row.checked_at),
            user: row.user.unwrap_or_default(),
            device: row.device.unwrap_or_default(),
            purpose,
            purpose_now,
            clear: row.clear,
            refused: row.refused,
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
