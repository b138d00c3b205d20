//! The security review's findings, each a story that failed before its fix,
//! run against both backends like the rest of the platform's stories.

use super::*;

async fn a_refused_marriage_is_final_and_never_deleted(p: Platform) {
    let counter = p.token("registrar", DEVICE_A).await;
    let couple = zhang_and(LI, "1999-01-01");
    let mut refused = registration(couple.clone(), "refused", None, None);
    refused["refusal_reason"] = json!("一方已有配偶");
    let outcomes = p
        .push(&counter, json!([marriage_entry(1, REG_A, 0, refused)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // Back to a form, then deleted: both refused.
    let outcomes = p
        .push(
            &counter,
            json!([
                marriage_entry(2, REG_A, 1, registration(couple, "prepared", None, None)),
                { "device_seq": 3, "kind": "marriage_registration", "record_id": REG_A,
                  "op": "delete", "base_version": 1 },
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.status", "{outcomes:?}");
    assert_eq!(rejected_field(&outcomes[1]), "record_id", "{outcomes:?}");
    let changes = p.pull_all(&counter).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["data"]["status"], "refused");
}

async fn a_device_id_alone_does_not_sign_in_as_a_known_device(p: Platform) {
    // The counter signs in first and is given its secret.
    let (status, body) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["device_secret"].as_str().unwrap().to_owned();
    // Someone who learnt the id signs in with it (any password they know):
    // without the secret, or with another, refused.
    for presented in [Value::Null, json!("mzds_guess")] {
        let (status, body) = p
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(
                    json!({ "username": "registrar2", "password": PASSWORD, "device_id": DEVICE_A,
                             "device_name": "窗口 1", "device_secret": presented }),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["details"]["field"], "device_secret");
    }
    // With it, any clerk of the counter signs in, and is not given another.
    let (status, body) = p
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(
                json!({ "username": "registrar2", "password": PASSWORD, "device_id": DEVICE_A,
                         "device_name": "窗口 1", "device_secret": secret }),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("device_secret").is_none(), "{body}");
}

async fn a_replayed_sequence_number_must_carry_the_same_entry(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    let first = p
        .push(
            &admin,
            json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
        )
        .await;
    assert_eq!(first[0]["status"], "applied", "{first:?}");
    // The same entry again: its stored outcome.
    let again = p
        .push(
            &admin,
            json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
        )
        .await;
    assert_eq!(first, again);
    // Another entry under the used number: refused, not answered "applied".
    let other = p
        .push(
            &admin,
            json!([upsert(1, CAL_B, 0, calendar(2027, &["2027-10-01"]))]),
        )
        .await;
    assert_eq!(rejected_field(&other[0]), "device_seq", "{other:?}");
    let changes = p.pull_all(&admin).await;
    assert_eq!(changes.len(), 1, "nothing of the impostor entry applied");
}

async fn an_applied_outcome_carries_the_body_as_the_platform_stored_it(p: Platform) {
    let counter = p.token("registrar", DEVICE_A).await;
    // A lower-case check character: the platform stores the normal form.
    let mut couple = zhang_and(LI, "1999-01-01");
    let number = couple[1]["doc_number"].as_str().unwrap().to_lowercase();
    couple[1]["doc_number"] = json!(number);
    let outcomes = p
        .push(
            &counter,
            json!([marriage_entry(
                1,
                REG_A,
                0,
                registration(couple, "prepared", None, None)
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let stored = &outcomes[0]["data"];
    assert_eq!(stored["parties"][1]["doc_number"], "43010219990101002X");
    assert_eq!(p.pull_all(&counter).await[0]["data"], *stored);
    // A body already in its normal form is not sent back.
    let calendar_outcome = p
        .push(
            &p.token("admin", DEVICE_B).await,
            json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
        )
        .await;
    assert!(
        calendar_outcome[0].get("data").is_none(),
        "{calendar_outcome:?}"
    );
}

async fn a_pull_page_is_bounded_in_bytes(p: Platform) {
    let registrar = p.token("registrar", DEVICE_A).await;
    // Forty drafts of 120 KB: 4.8 MB, more than one page carries.
    let long = "一".repeat(40 * 1024);
    for seq in 1..=40 {
        let document = json!({
            "issuer_mark": "芙蓉区民政局文件", "doc_number": "", "title": "值班报告",
            "body": [{ "level": 0, "text": long }], "signature": "芙蓉区民政局", "date": "2026-03-05",
        });
        let id = uuid::Uuid::now_v7().to_string();
        let outcomes = p
            .push(&registrar, json!([draft_entry(seq, &id, 0, document)]))
            .await;
        assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    }
    let (status, page) = p
        .call(
            "GET",
            "/api/v1/sync/pull?after=0&limit=1000",
            Some(&registrar),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let carried = page["changes"].as_array().unwrap();
    let bytes: usize = carried.iter().map(|c| c["data"].to_string().len()).sum();
    assert!(
        carried.len() < 40 && !carried.is_empty(),
        "{}",
        carried.len()
    );
    assert!(bytes <= mz_api::sync::MAX_PULL_BYTES, "{bytes}");
    assert_eq!(page["has_more"], true);
    assert_eq!(
        p.pull_all(&registrar).await.len(),
        40,
        "the rest on later pages"
    );
}

async fn a_new_epoch_and_a_cursor_past_the_head_tell_the_client_to_pull_afresh(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    p.push(&admin, json!([upsert(1, CAL_A, 0, calendar(2026, &[]))]))
        .await;
    let pull = |after: i64| {
        let admin = admin.clone();
        let p = &p;
        async move {
            let (status, page) = p
                .call(
                    "GET",
                    &format!("/api/v1/sync/pull?after={after}&limit=10"),
                    Some(&admin),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{page}");
            page
        }
    };
    let page = pull(0).await;
    let epoch = page["epoch"].as_str().unwrap().to_owned();
    assert_eq!(epoch.len(), 32, "{epoch}");
    // A cursor from before a restore: the answer's cursor goes back.
    let page = pull(500).await;
    assert_eq!(page["next"], 1);
    // After a restore the operator gives the feed a new epoch.
    let renewed = admin::new_epoch(&p.db, &p.clock).await.unwrap();
    assert_ne!(renewed, epoch);
    assert_eq!(pull(1).await["epoch"], renewed.as_str());
}

async fn sign_in_guesses_sent_at_once_are_counted_one_by_one(p: Platform) {
    let p = std::sync::Arc::new(p);
    let address: std::net::SocketAddr = "10.0.0.9:40000".parse().unwrap();
    let mut guesses = Vec::new();
    for _ in 0..12 {
        let p = p.clone();
        guesses.push(tokio::spawn(async move {
            p.login_from(address, "registrar", "a guess").await.0
        }));
    }
    for guess in guesses {
        let status = guess.await.unwrap();
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::LOCKED].contains(&status),
            "{status}"
        );
    }
    // Exactly as many passwords were checked as the limit lets through.
    let checked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'")
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!(checked, mz_server::throttle::ACCOUNT_FROM_ADDRESS);
}

async fn a_session_ends_after_thirty_days_however_often_it_is_refreshed(p: Platform) {
    let (_, body) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    let mut refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let mut answers = Vec::new();
    for _ in 0..5 {
        p.clock.advance_ms(6 * 24 * 60 * 60 * 1000);
        let (status, renewed) = p
            .call(
                "POST",
                "/api/v1/auth/refresh",
                None,
                Some(json!({ "refresh_token": refresh })),
            )
            .await;
        answers.push(status);
        if let Some(next) = renewed["refresh_token"].as_str() {
            refresh = next.to_owned();
        }
    }
    // Days 6, 12, 18 and 24 renew it; on day 30 it is over.
    assert_eq!(
        answers,
        [[StatusCode::OK; 4].as_slice(), &[StatusCode::UNAUTHORIZED]].concat()
    );
}

async fn logout_ends_the_session_with_an_expired_access_token(p: Platform) {
    let (_, body) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    let access = body["access_token"].as_str().unwrap();
    let refresh = body["refresh_token"].as_str().unwrap();
    p.clock.advance_ms(60 * 60 * 1000);
    let (status, body) = p
        .call("POST", "/api/v1/auth/logout", Some(access), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = p
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": refresh })),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session is over");
}

async fn the_audit_log_is_verified_on_a_snapshot_in_time_order_and_against_a_kept_head(
    p: Platform,
) {
    // Writers append while the chain is checked: no gap is reported.
    let p = std::sync::Arc::new(p);
    let writer = {
        let p = p.clone();
        tokio::spawn(async move {
            for round in 0..40 {
                let device = if round % 2 == 0 { DEVICE_A } else { DEVICE_B };
                p.token("admin", device).await;
            }
        })
    };
    let mut verified = 0;
    while !writer.is_finished() || verified == 0 {
        let verdict = mz_server::audit::verify(&p.db, None).await.unwrap();
        assert!(matches!(verdict, Verdict::Intact { .. }), "{verdict:?}");
        verified += 1;
    }
    writer.await.unwrap();
    assert!(
        verified > 1,
        "verified {verified} times while the writer wrote"
    );

    // A clock set back does not put an entry before the one it follows.
    p.clock.advance_ms(-60 * 60 * 1000);
    p.token("admin", DEVICE_A).await;
    let times: Vec<i64> = sqlx::query_scalar("SELECT at FROM audit_log ORDER BY seq")
        .fetch_all(&p.db.pool)
        .await
        .unwrap();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // The head kept outside the database catches a log rewritten whole.
    let kept = mz_server::audit::head(&p.db).await.unwrap();
    assert_eq!(
        mz_server::audit::verify(&p.db, Some(&kept)).await.unwrap(),
        Verdict::Intact { entries: kept.seq }
    );
    let forged = mz_server::audit::Head {
        seq: kept.seq,
        hash: "ab".repeat(32),
    };
    assert!(matches!(
        mz_server::audit::verify(&p.db, Some(&forged)).await.unwrap(),
        Verdict::Broken { seq, .. } if seq == kept.seq
    ));
    let ahead = mz_server::audit::Head {
        seq: kept.seq + 10,
        hash: kept.hash.clone(),
    };
    assert!(matches!(
        mz_server::audit::verify(&p.db, Some(&ahead)).await.unwrap(),
        Verdict::Broken { .. }
    ));
    if p.db.backend == mz_server::Backend::Postgres {
        let truncated = sqlx::query("TRUNCATE audit_log").execute(&p.db.pool).await;
        assert!(truncated.is_err(), "TRUNCATE is refused");
    }
}

async fn number_series_are_held_within_caps_for_this_year_by_their_office(p: Platform) {
    let counter = p.token("registrar", DEVICE_A).await;
    let block = |token: String, key: &'static str, size: i64| {
        let p = &p;
        async move {
            p.call(
                "POST",
                "/api/v1/numbers/blocks",
                Some(&token),
                Some(json!({ "key": key, "size": size })),
            )
            .await
        }
    };
    // A device holds at most 500 unused numbers of a series.
    for _ in 0..5 {
        let (status, body) = block(counter.clone(), "J-430102-2026", 100).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = block(counter.clone(), "J-430102-2026", 1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"]["unused"], 500);
    // The office's other counters share the office's 2,000.
    let mut devices = Vec::new();
    for n in 0..4 {
        let device = format!("01920000-0000-7000-8000-0000000001{n:02}");
        devices.push(p.token("registrar2", &device).await);
    }
    let mut refused = None;
    for token in &devices {
        for _ in 0..5 {
            let (status, body) = block(token.clone(), "J-430102-2026", 100).await;
            if status != StatusCode::OK {
                refused = Some(body);
            }
        }
    }
    let refused = refused.expect("the office's cap holds");
    assert_eq!(refused["details"]["unused"], 2000, "{refused}");
    // Only this year's series (next year's in December), not any year.
    for key in ["J-430102-2027", "J-430102-2200", "J-430102-2025"] {
        let (status, body) = block(counter.clone(), key, 1).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {body}");
    }
    // A registrar of another unit of the same region is not the office.
    let civil = NewUser {
        username: "civil_clerk",
        display_name: "区民政局",
        org: "430102-civil",
        section: None,
        roles: &[Role::Registrar],
        password: PASSWORD,
    };
    admin::add_user(&p.db, &p.clock, civil).await.unwrap();
    let clerk = p.token("civil_clerk", DEVICE_C).await;
    let (status, body) = block(clerk, "L-430102-2026", 1).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

async fn figures_are_counted_from_events_kept_as_records_arrive(p: Platform) {
    mz_server::admin::seed_demo(&p.db, &p.clock).await.unwrap();
    let head = p.token("head", DEVICE_B).await;
    let path = "/api/v1/marriage/figures?from=2025-12-01&to=2026-03-05";
    let (status, before) = p.call("GET", path, Some(&head), None).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before[0]["marriages"], 12, "{before}");
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM marriage_events")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert!(events >= 16, "{events}");
    // A database from before the events: derived once at start, the same.
    sqlx::query("DELETE FROM marriage_events")
        .execute(&p.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE counters SET value = 0 WHERE name = 'marriage_events'")
        .execute(&p.db.pool)
        .await
        .unwrap();
    mz_server::modules::marriage::derive_missing_events(&p.db)
        .await
        .unwrap();
    let (_, after) = p.call("GET", path, Some(&head), None).await;
    assert_eq!(before, after);
}

async fn a_field_over_its_cap_is_refused_with_its_field(p: Platform) {
    let counter = p.token("registrar", DEVICE_A).await;
    let mut couple = zhang_and(LI, "1999-01-01");
    couple[0]["address"] = json!("芙蓉区".repeat(200));
    let outcomes = p
        .push(
            &counter,
            json!([marriage_entry(
                1,
                REG_A,
                0,
                registration(couple, "prepared", None, None)
            )]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.parties[0].address");
}

async fn a_status_check_is_made_for_a_registration_being_prepared_and_within_a_daily_cap(
    p: Platform,
) {
    let counter = p.token("registrar", DEVICE_A).await;
    let couple = zhang_and(LI, "1999-01-01");
    let mut prepared = registration(couple.clone(), "prepared", None, None);
    prepared["registered_on"] = json!(mz_server::modules::marriage::china_today(&p.clock));
    let outcomes = p
        .push(&counter, json!([marriage_entry(1, REG_A, 0, prepared)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // No purpose: not a lookup anyone may make.
    let people: Vec<Value> = couple
        .iter()
        .map(|party| json!({ "doc_type": "id_card", "doc_number": party["doc_number"] }))
        .collect();
    let (status, _) = p
        .call(
            "POST",
            "/api/v1/marriage/status-check",
            Some(&counter),
            Some(json!({ "parties": people })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // For a record the platform does not hold, for other people, or from
    // another office: refused.
    let stranger = zhang_and(WANG, "1997-05-05");
    let unknown = uuid::Uuid::now_v7().to_string();
    for (token, parties, id) in [
        (&counter, &couple, unknown.as_str()),
        (&counter, &stranger, REG_A),
    ] {
        let (status, body) = check_for(&p, token, parties, "marriage_registration", id).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["details"]["field"], "purpose.record_id");
    }
    let elsewhere = p.token("other_registrar", DEVICE_B).await;
    let (status, _) = check_for(&p, &elsewhere, &couple, "marriage_registration", REG_A).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = check_for(&p, &counter, &couple, "document_draft", REG_A).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // For the form being prepared: answered; the platform keeps a digest of
    // the documents, never the numbers, in its table and its audit log.
    let (status, check) = check_for(&p, &counter, &couple, "marriage_registration", REG_A).await;
    assert_eq!(status, StatusCode::OK, "{check}");
    let number = couple[1]["doc_number"].as_str().unwrap();
    let kept: Vec<String> = sqlx::query_scalar("SELECT documents FROM status_checks")
        .fetch_all(&p.db.pool)
        .await
        .unwrap();
    assert!(
        kept.iter().all(|d| d.len() == 64 && !d.contains(number)),
        "{kept:?}"
    );
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'marriage.status_check'")
            .fetch_all(&p.db.pool)
            .await
            .unwrap();
    assert!(
        audited[0].contains(&kept[0]) && !audited[0].contains(number),
        "{audited:?}"
    );

    // The day's cap: the attempt past it is refused and the head sees it.
    for _ in 1..mz_api::marriage::MAX_CHECKS_PER_DAY {
        let (status, body) = check_for(&p, &counter, &couple, "marriage_registration", REG_A).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = check_for(&p, &counter, &couple, "marriage_registration", REG_A).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let day = mz_server::modules::marriage::china_today(&p.clock);
    let path = format!("/api/v1/marriage/status-checks?day={day}");
    let (status, _) = p.call("GET", &path, Some(&counter), None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a registrar does not list the checks"
    );
    let head = p.token("head", DEVICE_C).await;
    let (status, checks) = p.call("GET", &path, Some(&head), None).await;
    assert_eq!(status, StatusCode::OK, "{checks}");
    let checks = checks.as_array().unwrap();
    let allowed = mz_api::marriage::MAX_CHECKS_PER_DAY as usize;
    assert_eq!(checks.len(), allowed + 1);
    assert_eq!(checks.iter().filter(|c| c["refused"] == true).count(), 1);
    assert_eq!(checks[0]["purpose"]["record_id"], REG_A);
    assert_eq!(checks[0]["purpose_now"], "prepared");
    // The form checked for is deleted afterwards: the head sees that too.
    let outcomes = p
        .push(
            &counter,
            json!([{ "device_seq": 2, "kind": "marriage_registration", "record_id": REG_A,
                     "op": "delete", "base_version": 1 }]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let (_, checks) = p.call("GET", &path, Some(&head), None).await;
    assert_eq!(checks[0]["purpose_now"], "deleted", "{}", checks[0]);
    assert!(!checks[0].to_string().contains(number), "no documents");
}

async fn the_same_refresh_token_sent_twice_at_once_ends_the_session(p: Platform) {
    let (_, body) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let p = std::sync::Arc::new(p);
    let both: Vec<_> = (0..2)
        .map(|_| {
            let (p, refresh) = (p.clone(), refresh.clone());
            tokio::spawn(async move {
                p.call(
                    "POST",
                    "/api/v1/auth/refresh",
                    None,
                    Some(json!({ "refresh_token": refresh })),
                )
                .await
            })
        })
        .collect();
    let mut renewed = Vec::new();
    let mut answers = Vec::new();
    for call in both {
        let (status, body) = call.await.unwrap();
        answers.push((status, body.clone()));
        if status == StatusCode::OK {
            renewed.push(body);
        }
    }
    // One renews it (or would, had the other not ended the session before
    // its answer was made); the other, spent, ends the session.
    assert!(renewed.len() <= 1, "{answers:?}");
    assert!(
        answers.iter().any(|(_, body)| body["message"]
            .as_str()
            .is_some_and(|m| m.contains("already used"))),
        "{answers:?}"
    );
    for body in renewed {
        let access = body["access_token"].as_str().unwrap();
        let (status, _) = p.call("GET", "/api/v1/me", Some(access), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the session was ended");
    }
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

async fn logout_with_the_refresh_token_alone_ends_the_session(p: Platform) {
    let (_, body) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    let access = body["access_token"].as_str().unwrap();
    let (status, _) = p
        .call(
            "POST",
            "/api/v1/auth/logout",
            None,
            Some(json!({ "refresh_token": body["refresh_token"] })),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = p.call("GET", "/api/v1/me", Some(access), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Sends `bytes` as a file named `sha256`, with `media_type`.
async fn put_file(
    p: &Platform,
    token: &str,
    sha256: &str,
    media_type: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method("PUT")
        .uri(format!("/api/v1/blobs/{sha256}"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", media_type)
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    p.raw(request).await
}

/// Reads the file `sha256`: its status, media type and bytes.
async fn get_file(p: &Platform, token: &str, sha256: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder()
        .uri(format!("/api/v1/blobs/{sha256}"))
        .header("Authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = p.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let media_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, media_type, bytes.to_vec())
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR the couple";

async fn a_photo_travels_as_a_file_read_only_through_its_record(p: Platform) {
    let registrar = p.token("registrar", DEVICE_A).await;
    let photo = mz_domain::blob::BlobRef::of("image/png", PNG);
    let mut body = registration(zhang_and(LI, "1999-01-01"), "prepared", None, None);
    body["photo"] = json!(photo);

    // Named before it is sent: refused, naming the field.
    let outcomes = p
        .push(
            &registrar,
            json!([marriage_entry(1, REG_A, 0, body.clone())]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.photo", "{outcomes:?}");

    // Bytes that are not the file the path names, not the type they say,
    // or a path that is no hash: refused, naming what is wrong.
    let cut = &PNG[..PNG.len() - 1];
    let (status, answer) = put_file(&p, &registrar, &photo.sha256, "image/png", cut).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["details"]["field"], "sha256");
    let (status, answer) = put_file(&p, &registrar, &photo.sha256, "image/jpeg", PNG).await;
    assert_eq!(
        (status, answer["details"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body")),
        "{answer}"
    );
    let (status, answer) = put_file(&p, &registrar, "..%2F..%2Fetc", "image/png", PNG).await;
    assert_eq!(
        (status, answer["details"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("sha256")),
        "{answer}"
    );
    // Over the largest file the platform keeps: 413, never stored. (A
    // file's route has its own limit, above the JSON bodies'.)
    let big = [PNG, &vec![0u8; mz_domain::blob::MAX_BLOB_BYTES]].concat();
    let big_ref = mz_domain::blob::BlobRef::of("image/png", &big);
    let (status, _) = put_file(&p, &registrar, &big_ref.sha256, "image/png", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A role that writes no record with files sends none.
    let admin = p.token("admin", DEVICE_C).await;
    let (status, _) = put_file(&p, &admin, &photo.sha256, "image/png", PNG).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Sent; sent again, nothing changes.
    let (status, answer) = put_file(&p, &registrar, &photo.sha256, "image/png", PNG).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, _) = put_file(&p, &registrar, &photo.sha256, "image/png", PNG).await;
    assert_eq!(status, StatusCode::OK);
    // Until a record names it, only its sender reads it.
    let (status, media_type, bytes) = get_file(&p, &registrar, &photo.sha256).await;
    assert_eq!(
        (status, media_type.as_str(), bytes.as_slice()),
        (StatusCode::OK, "image/png", PNG)
    );
    let colleague = p.token("registrar2", DEVICE_B).await;
    assert_eq!(
        get_file(&p, &colleague, &photo.sha256).await.0,
        StatusCode::NOT_FOUND
    );

    // Named as sent, the registration is applied; the feed carries the
    // reference, never the bytes.
    let outcomes = p
        .push(
            &registrar,
            json!([marriage_entry(2, REG_A, 0, body.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let changes = p.pull_all(&colleague).await;
    let change = changes.iter().find(|c| c["record_id"] == REG_A).unwrap();
    assert_eq!(change["data"]["photo"], json!(photo));
    assert!(change["data"].to_string().len() < 2048, "{change}");

    // Whoever reads the record reads its photo (audited); another office does not.
    let (status, _, bytes) = get_file(&p, &colleague, &photo.sha256).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PNG));
    let other = p.token("other_registrar", DEVICE_D).await;
    assert_eq!(
        get_file(&p, &other, &photo.sha256).await.0,
        StatusCode::NOT_FOUND
    );
    let reads: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'blob.read'")
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!(reads, 2);

    // A reference to a photo over its cap, or a size that is not the file's,
    // is refused with the field, whatever the platform holds.
    for (size, seq) in [(2 * 1024 * 1024, 3), (photo.size + 1, 4)] {
        let mut wrong = body.clone();
        wrong["photo"]["size"] = json!(size);
        let outcomes = p
            .push(&registrar, json!([marriage_entry(seq, REG_A, 1, wrong)]))
            .await;
        assert_eq!(rejected_field(&outcomes[0]), "data.photo", "{outcomes:?}");
    }
}

/// A ZIP package holding `parts`, as Word, Excel and OFD writers make them.
fn package(parts: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for part in parts {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(*part, options).unwrap();
        zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><x/>")
            .unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A PDF of exactly `size` bytes.
fn pdf_of(size: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(size, b' ');
    pdf
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// An office document's body with `files` attached, as `who` attached them.
fn with_attachments(
    mut body: mz_api::office::OfficeDocumentData,
    files: &[(&str, &mz_domain::blob::BlobRef)],
    who: &mz_api::office::Person,
) -> mz_api::office::OfficeDocumentData {
    body.attachments = files
        .iter()
        .map(|(name, file)| mz_api::office::Attachment {
            name: (*name).to_owned(),
            file: (*file).clone(),
            by: who.clone(),
            at: chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap(),
        })
        .collect();
    body
}

/// The office's clerk, as the steps name them.
async fn office_clerk(p: &Platform) -> mz_api::office::Actor {
    mz_api::office::Actor {
        person: mz_api::office::Person {
            user_id: p.user_id("office").await,
            name: "office".to_owned(),
        },
        office: true,
        leader: false,
    }
}

fn incoming(title: &str, classified: bool) -> mz_api::office::OfficeDocumentData {
    let mut body = json!({
        "direction": "incoming", "kind": "通知", "title": title,
        "received": { "sender": "民政部", "sender_number": "民发〔2026〕9号", "received_on": "2026-03-05" },
        "step": "first_check", "steps": []
    });
    if classified {
        body["classification"] = json!({ "level": "机密", "period": "10年" });
    }
    serde_json::from_value(body).unwrap()
}

async fn an_attachment_of_an_office_type_up_to_ten_megabytes_travels_as_a_file(p: Platform) {
    use mz_api::office::{Action, Authority, MAX_ATTACHMENT_BYTES};
    let office = p.token("office", DEVICE_A).await;
    let clerk = office_clerk(&p).await;

    // A 10 MB PDF is taken, though JSON bodies stop at 256 KB here.
    let pdf = pdf_of(MAX_ATTACHMENT_BYTES);
    let pdf_ref = mz_domain::blob::BlobRef::of("application/pdf", &pdf);
    let (status, answer) = put_file(&p, &office, &pdf_ref.sha256, "application/pdf", &pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // 15 MB is not, with a clear answer.
    let huge = pdf_of(15 * 1024 * 1024);
    let huge_ref = mz_domain::blob::BlobRef::of("application/pdf", &huge);
    let (status, answer) = put_file(&p, &office, &huge_ref.sha256, "application/pdf", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(answer["code"], "payload_too_large");
    assert!(
        answer["message"].as_str().unwrap().contains("10 MB"),
        "{answer}"
    );
    // A Word document is taken as one, never as a PDF; a ZIP without its
    // document part, cut short, or an unknown type is refused too.
    let docx = package(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    let docx_ref = mz_domain::blob::BlobRef::of(DOCX, &docx);
    let (status, answer) = put_file(&p, &office, &docx_ref.sha256, "application/pdf", &docx).await;
    assert_eq!(
        (status, answer["details"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body")),
        "{answer}"
    );
    let hollow = package(&["[Content_Types].xml", "word/styles.xml"]);
    let cut = &docx[..docx.len() - 20];
    let zip = package(&["readme.txt"]);
    for (bytes, media_type) in [
        (&hollow[..], DOCX),
        (cut, DOCX),
        (&zip[..], "application/zip"),
    ] {
        let sha256 = mz_domain::blob::sha256_hex(bytes);
        let (status, answer) = put_file(&p, &office, &sha256, media_type, bytes).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{media_type}: {answer}");
    }
    let (status, answer) = put_file(&p, &office, &docx_ref.sha256, DOCX, &docx).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    // A document naming both is applied; each attachment at fault is
    // refused by its place in the list.
    let authority = Authority::default();
    let attached = with_attachments(
        incoming("关于报送统计表的通知", false),
        &[("附件1 说明.pdf", &pdf_ref), ("附件2 表样.docx", &docx_ref)],
        &clerk.person,
    );
    let unsent = mz_domain::blob::BlobRef::of("application/pdf", &pdf_of(1000));
    let gif = mz_domain::blob::BlobRef {
        media_type: "image/gif".to_owned(),
        ..pdf_ref.clone()
    };
    // The Word file named as the PDF it is not, as larger than it is, and
    // as larger than an attachment may be.
    let docx_as_pdf = mz_domain::blob::BlobRef {
        media_type: "application/pdf".to_owned(),
        ..docx_ref.clone()
    };
    let docx_larger = mz_domain::blob::BlobRef {
        size: docx_ref.size + 1,
        ..docx_ref.clone()
    };
    let over_cap = mz_domain::blob::BlobRef {
        size: MAX_ATTACHMENT_BYTES as u64 + 1,
        ..pdf_ref.clone()
    };
    let rejected_cases = [
        (1, &unsent),
        (2, &gif),
        (4, &docx_as_pdf),
        (5, &docx_larger),
        (6, &over_cap),
    ];
    for (seq, wrong) in rejected_cases {
        let body = with_attachments(
            incoming("关于报送统计表的通知", false),
            &[("附件1 说明.pdf", &pdf_ref), ("附件2", wrong)],
            &clerk.person,
        );
        let created = office_step(None, &body, &clerk, &authority, Action::Create, "", 0);
        let outcome = &p
            .push(
                &office,
                json!([entry(seq, "office_document", DOC_OPEN, 0, json!(created))]),
            )
            .await[0];
        assert_eq!(
            rejected_field(outcome),
            "data.attachments[1].file",
            "{outcome}"
        );
    }
    let created = office_step(None, &attached, &clerk, &authority, Action::Create, "", 0);
    let outcome = &p
        .push(
            &office,
            json!([entry(3, "office_document", DOC_OPEN, 0, json!(created))]),
        )
        .await[0];
    applied(outcome);
    // Nothing of the refused pushes was written: the document as the one
    // applied push made it, naming only its two files; the 15 MB file and
    // the unsent one held nowhere.
    let (version, named): (i64, i64) = sqlx::query_as(
        "SELECT r.version, (SELECT count(*) FROM record_blobs b WHERE b.record_id = r.id) \
         FROM records r WHERE r.id = $1",
    )
    .bind(DOC_OPEN)
    .fetch_one(&p.db.pool)
    .await
    .unwrap();
    assert_eq!((version, named), (1, 2));
    for absent in [&huge_ref.sha256, &unsent.sha256] {
        let held: i64 = sqlx::query_scalar("SELECT count(*) FROM blobs WHERE sha256 = $1")
            .bind(absent)
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
        assert_eq!(held, 0);
    }
    // A change that names a file at fault leaves the document as it was.
    let current: mz_api::office::OfficeDocumentData = serde_json::from_str(
        &sqlx::query_scalar::<_, String>("SELECT data FROM records WHERE id = $1")
            .bind(DOC_OPEN)
            .fetch_one(&p.db.pool)
            .await
            .unwrap(),
    )
    .unwrap();
    let mut more = current.clone();
    more.attachments.push(mz_api::office::Attachment {
        name: "附件3".to_owned(),
        file: docx_as_pdf.clone(),
        by: clerk.person.clone(),
        at: chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
            .unwrap()
            .and_hms_opt(8, 1, 0)
            .unwrap(),
    });
    let edited = office_step(
        Some(&current),
        &more,
        &clerk,
        &authority,
        Action::Edit,
        "",
        1,
    );
    let outcome = &p
        .push(
            &office,
            json!([entry(7, "office_document", DOC_OPEN, 1, json!(edited))]),
        )
        .await[0];
    assert_eq!(
        rejected_field(outcome),
        "data.attachments[2].file",
        "{outcome}"
    );
    let (version, named): (i64, i64) = sqlx::query_as(
        "SELECT r.version, (SELECT count(*) FROM record_blobs b WHERE b.record_id = r.id) \
         FROM records r WHERE r.id = $1",
    )
    .bind(DOC_OPEN)
    .fetch_one(&p.db.pool)
    .await
    .unwrap();
    assert_eq!((version, named), (1, 2));
    // A funeral scan is never a Word file, though the platform holds it.
    let home = p.token("funeral", DEVICE_C).await;
    let mut case = funeral_case("YT430100-2026-000001", "43010219400101001");
    case["checks"]["death_certificate"]["scan"] = json!(docx_ref);
    let outcome = &p
        .push(&home, json!([funeral_entry(1, CASE_A, 0, case)]))
        .await[0];
    assert_eq!(
        rejected_field(outcome),
        "data.checks.death_certificate.scan",
        "{outcome}"
    );
    // The unit reads them through the document, as they were sent.
    let colleague = p.token("office_head", DEVICE_B).await;
    let (status, media_type, bytes) = get_file(&p, &colleague, &docx_ref.sha256).await;
    assert_eq!(
        (status, media_type.as_str(), bytes == docx),
        (StatusCode::OK, DOCX, true)
    );
    let (status, _, bytes) = get_file(&p, &colleague, &pdf_ref.sha256).await;
    assert_eq!(
        (status, bytes.len()),
        (StatusCode::OK, MAX_ATTACHMENT_BYTES)
    );
}

const DOC_OPEN: &str = "01920000-0000-7000-8000-0000000009b1";
const DOC_SECRET: &str = "01920000-0000-7000-8000-0000000009b2";

async fn a_classified_document_s_attachments_are_read_only_by_its_audience(p: Platform) {
    use mz_api::office::{Action, Authority};
    let office = p.token("office", DEVICE_A).await;
    let clerk = office_clerk(&p).await;
    let authority = Authority::default();
    let open_file = pdf_of(2000);
    let secret_file = package(&["[Content_Types].xml", "word/document.xml"]);
    let open_ref = mz_domain::blob::BlobRef::of("application/pdf", &open_file);
    let secret_ref = mz_domain::blob::BlobRef::of(DOCX, &secret_file);
    for (file, bytes) in [(&open_ref, &open_file), (&secret_ref, &secret_file)] {
        let (status, answer) = put_file(&p, &office, &file.sha256, &file.media_type, bytes).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    // One open document and one classified (机密), each with its file.
    let documents = [
        (DOC_OPEN, incoming("关于某公开事项的通知", false), &open_ref),
        (
            DOC_SECRET,
            incoming("关于某涉密事项的通知", true),
            &secret_ref,
        ),
    ];
    for (seq, (id, body, file)) in documents.into_iter().enumerate() {
        let body = with_attachments(body, &[("附件", file)], &clerk.person);
        let created = office_step(None, &body, &clerk, &authority, Action::Create, "", 0);
        let outcome = &p
            .push(
                &office,
                json!([entry(
                    seq as i64 + 1,
                    "office_document",
                    id,
                    0,
                    json!(created)
                )]),
            )
            .await[0];
        applied(outcome);
    }

    // A colleague of the office and a leader of the unit, not on the
    // classified one: the open document's file is theirs to read, the
    // classified one's does not exist for them.
    for (user, device) in [("office_head", DEVICE_B), ("leader", DEVICE_C)] {
        let token = p.token(user, device).await;
        let (status, _, bytes) = get_file(&p, &token, &open_ref.sha256).await;
        assert_eq!(
            (status, bytes == open_file),
            (StatusCode::OK, true),
            "{user}"
        );
        let (status, _, bytes) = get_file(&p, &token, &secret_ref.sha256).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{user}");
        assert!(bytes.len() < 200, "{user}: no bytes of the file");
    }
    // Those on it read it: the clerk who registered it, and the office's
    // confidential clerks (the secretaries).
    let secretary = p.token("secretary", DEVICE_D).await;
    for token in [&office, &secretary] {
        let (status, media_type, bytes) = get_file(&p, token, &secret_ref.sha256).await;
        assert_eq!(
            (status, media_type.as_str(), bytes == secret_file),
            (StatusCode::OK, DOCX, true)
        );
    }
}

async fn photos_stored_inline_before_are_lifted_into_files(p: Platform) {
    use base64::Engine;
    let registrar = p.token("registrar", DEVICE_A).await;
    let outcomes = p
        .push(
            &registrar,
            json!([marriage_entry(
                1,
                REG_A,
                0,
                registration(zhang_and(LI, "1999-01-01"), "prepared", None, None)
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    // As an older platform stored it: the photo inline, in base64.
    let inline = json!({ "media_type": "image/png",
                         "data": base64::engine::general_purpose::STANDARD.encode(PNG) });
    for table in ["records", "changes"] {
        let column = if table == "records" {
            "id"
        } else {
            "record_id"
        };
        let text: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT data FROM {table} WHERE {column} = $1"
        )))
        .bind(REG_A)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
        let mut body: Value = serde_json::from_str(&text).unwrap();
        body["photo"] = inline.clone();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET data = $1 WHERE {column} = $2"
        )))
        .bind(body.to_string())
        .bind(REG_A)
        .execute(&p.db.pool)
        .await
        .unwrap();
    }
    sqlx::query("UPDATE counters SET value = 0 WHERE name = 'inline_blobs'")
        .execute(&p.db.pool)
        .await
        .unwrap();

    mz_server::blobs::lift_inline(&p.db).await.unwrap();

    let photo = mz_domain::blob::BlobRef::of("image/png", PNG);
    let changes = p.pull_all(&registrar).await;
    assert_eq!(changes[0]["data"]["photo"], json!(photo), "{changes:?}");
    let colleague = p.token("registrar2", DEVICE_B).await;
    let (status, _, bytes) = get_file(&p, &colleague, &photo.sha256).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PNG));
    // Done once: the next start does not read the records again.
    let done: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = 'inline_blobs'")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(done, 1);
}

on_both_backends!(
    the_same_refresh_token_sent_twice_at_once_ends_the_session,
    logout_with_the_refresh_token_alone_ends_the_session,
    a_status_check_is_made_for_a_registration_being_prepared_and_within_a_daily_cap,
    a_field_over_its_cap_is_refused_with_its_field,
    figures_are_counted_from_events_kept_as_records_arrive,
    number_series_are_held_within_caps_for_this_year_by_their_office,
    a_refused_marriage_is_final_and_never_deleted,
    a_device_id_alone_does_not_sign_in_as_a_known_device,
    a_replayed_sequence_number_must_carry_the_same_entry,
    an_applied_outcome_carries_the_body_as_the_platform_stored_it,
    a_pull_page_is_bounded_in_bytes,
    a_new_epoch_and_a_cursor_past_the_head_tell_the_client_to_pull_afresh,
    sign_in_guesses_sent_at_once_are_counted_one_by_one,
    a_session_ends_after_thirty_days_however_often_it_is_refreshed,
    logout_ends_the_session_with_an_expired_access_token,
    the_audit_log_is_verified_on_a_snapshot_in_time_order_and_against_a_kept_head,
    a_photo_travels_as_a_file_read_only_through_its_record,
    an_attachment_of_an_office_type_up_to_ten_megabytes_travels_as_a_file,
    a_classified_document_s_attachments_are_read_only_by_its_audience,
    photos_stored_inline_before_are_lifted_into_files,
);
