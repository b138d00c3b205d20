//! The platform's stories, told once and run against both backends: SQLite in
//! a temporary file, and a real PostgreSQL (a fresh database per test) at
//! `MZ_TEST_POSTGRES_URL`, which `scripts/test.sh` installs and starts.
//! The router is driven without a socket, as the client's requests would be.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use mz_domain::Role;
use mz_server::admin::{self, NewUser};
use mz_server::audit::Verdict;
use mz_server::{AppState, Clock, Db, DbUrl};
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse";
const DEVICE_A: &str = "01920000-0000-7000-8000-00000000000a";
const DEVICE_B: &str = "01920000-0000-7000-8000-00000000000b";
const DEVICE_C: &str = "01920000-0000-7000-8000-00000000000c";
const DEVICE_D: &str = "01920000-0000-7000-8000-00000000000d";

struct Platform {
    router: Router,
    db: Db,
    clock: Clock,
    /// The secret each test device was given at its first sign-in, sent at
    /// its next ones as the app does.
    device_secrets: std::sync::Mutex<std::collections::HashMap<String, String>>,
    _dir: Option<tempfile::TempDir>,
    /// Dropped after the pool above: the PostgreSQL database goes with the test.
    _database: Option<TestDatabase>,
}

impl Platform {
    async fn sqlite() -> Platform {
        let dir = tempfile::tempdir().unwrap();
        let url: DbUrl = format!("sqlite:{}/platform.db", dir.path().display())
            .parse()
            .unwrap();
        Platform::with(Db::open(&url).await.unwrap(), Some(dir)).await
    }

    async fn postgres() -> Platform {
        let database = TestDatabase::create().await;
        let url: DbUrl = database.url.parse().unwrap();
        let mut p = Platform::with(Db::open(&url).await.unwrap(), None).await;
        p._database = Some(database);
        p
    }

    async fn with(db: Db, dir: Option<tempfile::TempDir>) -> Platform {
        // 2026-03-05 09:00 Beijing time.
        let clock = Clock::manual(1_772_672_400_000);
        admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
            .await
            .unwrap();
        let users: &[(&str, &str, Role)] = &[
            ("admin", "430000-civil", Role::Admin),
            ("city_admin", "430100-civil", Role::Admin),
            ("registrar", "430102-marriage", Role::Registrar),
            ("registrar2", "430102-marriage", Role::Registrar),
            ("other_registrar", "430103-marriage", Role::Registrar),
            ("head", "430102-marriage", Role::MarriageHead),
            ("funeral", "430100-funeral", Role::FuneralDesk),
            ("funeral2", "430100-funeral", Role::FuneralHead),
            ("other_funeral", "430200-funeral", Role::FuneralDesk),
            ("office", "430000-civil", Role::OfficeStaff),
            ("office_head", "430000-civil", Role::OfficeStaff),
            ("leader", "430000-civil", Role::Leader),
            ("leader2", "430000-civil", Role::Leader),
            ("secretary", "430000-civil", Role::Secretary),
            ("secretary2", "430000-civil", Role::Secretary),
            ("city_office", "430100-civil", Role::OfficeStaff),
        ];
        for (username, org, role) in users {
            let user = NewUser {
                username,
                display_name: username,
                org,
                section: None,
                roles: &[*role],
                password: PASSWORD,
            };
            admin::add_user(&db, &clock, user).await.unwrap();
        }
        let mut state = AppState::new(db.clone());
        state.clock = clock.clone();
        state.limits.body_bytes = 256 * 1024;
        Platform {
            router: mz_server::app(state),
            db,
            clock,
            device_secrets: Default::default(),
            _dir: dir,
            _database: None,
        }
    }

    async fn raw(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            // An iCalendar feed is text; everything else answers JSON.
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, body)
    }

    /// A test user's id on the platform.
    async fn user_id(&self, username: &str) -> String {
        sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header("Authorization", format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        };
        self.raw(request.unwrap()).await
    }

    async fn login_as(&self, username: &str, password: &str, device: &str) -> (StatusCode, Value) {
        let secret = self.device_secrets.lock().unwrap().get(device).cloned();
        let body = json!({ "username": username, "password": password, "device_id": device,
                           "device_name": "窗口 1", "device_secret": secret });
        let (status, answer) = self
            .call("POST", "/api/v1/auth/login", None, Some(body))
            .await;
        if let Some(given) = answer["device_secret"].as_str() {
            self.device_secrets
                .lock()
                .unwrap()
                .insert(device.to_owned(), given.to_owned());
        }
        (status, answer)
    }

    /// A sign-in from `address`, as the server sees it with connection info.
    async fn login_from(
        &self,
        address: std::net::SocketAddr,
        username: &str,
        password: &str,
    ) -> (StatusCode, Value) {
        let body = json!({ "username": username, "password": password,
                           "device_id": uuid::Uuid::now_v7(), "device_name": "窗口 1" });
        let mut request = Request::builder()
            .method("POST")
            .uri("/api/v1/auth/login")
            .header("Content-Type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(address));
        self.raw(request).await
    }

    async fn token(&self, username: &str, device: &str) -> String {
        let (status, body) = self.login_as(username, PASSWORD, device).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    async fn push(&self, token: &str, entries: Value) -> Vec<Value> {
        let (status, body) = self
            .call(
                "POST",
                "/api/v1/sync/push",
                Some(token),
                Some(json!({ "entries": entries })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["outcomes"].as_array().unwrap().clone()
    }

    async fn pull_all(&self, token: &str) -> Vec<Value> {
        let mut after = 0;
        let mut all = Vec::new();
        loop {
            let (status, body) = self
                .call(
                    "GET",
                    &format!("/api/v1/sync/pull?after={after}&limit=2"),
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            all.extend(body["changes"].as_array().unwrap().iter().cloned());
            let next = body["next"].as_i64().unwrap();
            assert!(next >= after, "the cursor only goes up");
            after = next;
            if !body["has_more"].as_bool().unwrap() {
                return all;
            }
        }
    }
}

/// An empty database on the test server, made for one test and dropped when
/// the test ends, passed or failed: a thousand runs leave no databases behind
/// (`scripts/test.sh` also drops any a killed run left).
struct TestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    async fn create() -> TestDatabase {
        let Ok(admin_url) = std::env::var("MZ_TEST_POSTGRES_URL") else {
            panic!("set MZ_TEST_POSTGRES_URL to a PostgreSQL server (scripts/test.sh starts one)");
        };
        sqlx::any::install_default_drivers();
        let name = format!("mz_test_{}", uuid::Uuid::now_v7().simple());
        let admin_pool = sqlx::AnyPool::connect(&admin_url)
            .await
            .expect("PostgreSQL is not reachable");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin_pool)
            .await
            .unwrap();
        admin_pool.close().await;
        let (prefix, _) = admin_url.rsplit_once('/').unwrap();
        let url = format!("{prefix}/{name}");
        TestDatabase {
            admin_url,
            name,
            url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot be blocked on:
        // the statement runs on a thread with a runtime of its own.
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let pool = sqlx::AnyPool::connect(&admin_url).await?;
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await?;
                pool.close().await;
                Ok::<(), sqlx::Error>(())
            })?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("test database {} was not dropped: {error}", self.name),
            Err(_) => eprintln!(
                "test database {} was not dropped: the thread panicked",
                self.name
            ),
        }
    }
}

fn calendar(year: i32, holidays: &[&str]) -> Value {
    json!({ "year": year, "holidays": holidays, "working_weekends": [] })
}

fn upsert(seq: i64, id: &str, base: i64, data: Value) -> Value {
    json!({ "device_seq": seq, "kind": "holiday_calendar", "record_id": id, "op": "upsert", "base_version": base, "data": data })
}

const CAL_A: &str = "01920000-0000-7000-8000-0000000000c1";
const CAL_B: &str = "01920000-0000-7000-8000-0000000000c2";

async fn health_names_the_storage(p: Platform, storage: &str) {
    let (status, body) = p.call("GET", "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["storage"], storage);
}

async fn login_refresh_logout(p: Platform) {
    let (status, body) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["org_unit"]["code"], "430102-marriage");
    assert_eq!(body["user"]["org_unit"]["name"], "芙蓉区婚姻登记处");
    assert_eq!(body["user"]["roles"], json!(["registrar"]));
    let access = body["access_token"].as_str().unwrap().to_owned();
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();

    let (status, me) = p.call("GET", "/api/v1/me", Some(&access), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "registrar");

    let (status, renewed) = p
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": refresh })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let (status, _) = p.call("GET", "/api/v1/me", Some(&access), None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old access token is replaced"
    );
    let (status, body) = p
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": refresh })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a refresh token is single use"
    );
    assert_eq!(body["code"], "unauthenticated");
    // … and presented again, it ends the session it was spent for: one of
    // its two holders is not the user.
    let access = renewed["access_token"].as_str().unwrap();
    let (status, _) = p.call("GET", "/api/v1/me", Some(access), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session was ended");
    let (status, body) = p
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": renewed["refresh_token"] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let access = p.token("registrar", DEVICE_A).await;
    let (status, _) = p
        .call("POST", "/api/v1/auth/logout", Some(&access), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = p.call("GET", "/api/v1/me", Some(&access), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The access token expires after 15 minutes.
    let token = p.token("registrar", DEVICE_A).await;
    p.clock.advance_ms(15 * 60 * 1000 + 1);
    let (status, body) = p.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["message"].as_str().unwrap().contains("expired"));
}

async fn five_failed_logins_from_one_address_hold_that_address_back_with_backoff(p: Platform) {
    let counter: std::net::SocketAddr = "10.0.0.7:50000".parse().unwrap();
    for _ in 0..4 {
        let (status, body) = p.login_from(counter, "registrar", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["message"], "wrong username or password");
    }
    let (status, body) = p.login_from(counter, "registrar", "wrong password").await;
    assert_eq!(status, StatusCode::LOCKED, "{body}");
    assert_eq!(body["code"], "locked");
    assert_eq!(body["details"]["retry_after_seconds"], 60);
    let (status, _) = p.login_from(counter, "registrar", PASSWORD).await;
    assert_eq!(status, StatusCode::LOCKED, "even the right password waits");
    // The same clerk at another address is not held back by this one.
    let other: std::net::SocketAddr = "10.0.0.8:50000".parse().unwrap();
    let (status, _) = p.login_from(other, "registrar", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    // After the wait, another wrong guess doubles it.
    p.clock.advance_ms(60 * 1000);
    let (status, body) = p.login_from(counter, "registrar", "wrong password").await;
    assert_eq!(status, StatusCode::LOCKED, "{body}");
    assert_eq!(body["details"]["retry_after_seconds"], 120);
    p.clock.advance_ms(120 * 1000);
    let (status, _) = p.login_from(counter, "registrar", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "the right password, after the wait");
    // An administrator lifts a block at once.
    for _ in 0..5 {
        p.login_from(counter, "registrar2", "wrong password").await;
    }
    let (status, _) = p.login_from(counter, "registrar2", PASSWORD).await;
    assert_eq!(status, StatusCode::LOCKED);
    admin::unlock_user(&p.db, &p.clock, "registrar2")
        .await
        .unwrap();
    let (status, _) = p.login_from(counter, "registrar2", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    // An unknown user gets the same answers as a wrong password, and is
    // held back the same way.
    for _ in 0..4 {
        let (status, body) = p.login_from(counter, "nobody", PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["message"], "wrong username or password");
    }
    let (status, body) = p.login_from(counter, "nobody", PASSWORD).await;
    assert_eq!(status, StatusCode::LOCKED, "{body}");
    assert_eq!(body["details"]["retry_after_seconds"], 60);
}

async fn disabling_a_user_or_revoking_a_device_takes_effect_on_the_next_request(p: Platform) {
    let registrar = p.token("registrar", DEVICE_A).await;
    let colleague = p.token("registrar2", DEVICE_B).await;
    admin::disable_user(&p.db, &p.clock, "registrar")
        .await
        .unwrap();
    let (status, _) = p.call("GET", "/api/v1/me", Some(&registrar), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = p.login_as("registrar", PASSWORD, DEVICE_A).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    admin::revoke_device(&p.db, &p.clock, DEVICE_B)
        .await
        .unwrap();
    let (status, body) = p.call("GET", "/api/v1/me", Some(&colleague), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "device_revoked");
    let (status, body) = p.login_as("registrar2", PASSWORD, DEVICE_B).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "device_revoked");
    let (status, _) = p.login_as("registrar2", PASSWORD, DEVICE_A).await;
    assert_eq!(status, StatusCode::OK, "the user may sign in elsewhere");
}

async fn an_admin_edits_the_calendar_and_every_role_pulls_it(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    let outcomes = p
        .push(
            &admin,
            json!([upsert(
                1,
                CAL_A,
                0,
                calendar(2026, &["2026-10-01", "2026-01-01"])
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    assert_eq!(outcomes[0]["version"], 1);
    let outcomes = p
        .push(
            &admin,
            json!([upsert(
                2,
                CAL_A,
                1,
                calendar(2026, &["2026-10-01", "2026-10-02"])
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["version"], 2);

    for user in ["registrar", "funeral", "head"] {
        let token = p.token(user, DEVICE_B).await;
        let changes = p.pull_all(&token).await;
        assert_eq!(changes.len(), 2, "{user} sees both changes");
        assert!(changes[0]["seq"].as_i64() < changes[1]["seq"].as_i64());
        assert_eq!(
            changes[1]["data"]["holidays"],
            json!(["2026-10-01", "2026-10-02"])
        );
        assert_eq!(changes[1]["org_unit"], "430000-civil");
    }
    // Dates come back sorted and de-duplicated, whatever order they were sent in.
    let token = p.token("registrar", DEVICE_B).await;
    let first = &p.pull_all(&token).await[0];
    assert_eq!(
        first["data"]["holidays"],
        json!(["2026-01-01", "2026-10-01"])
    );
}

async fn a_replayed_push_gets_the_stored_outcome_and_applies_once(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    let batch = json!([
        upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"])),
        upsert(2, CAL_B, 0, calendar(2026, &["2026-10-02"])),
    ]);
    let first = p.push(&admin, batch.clone()).await;
    let again = p.push(&admin, batch).await;
    assert_eq!(first, again);
    assert_eq!(first[1]["status"], "conflict", "one calendar per year");
    let changes = p.pull_all(&admin).await;
    assert_eq!(changes.len(), 1, "nothing applied twice");
}

async fn a_stale_base_version_is_a_conflict_with_the_current_record(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    let other = p.token("admin", DEVICE_B).await;
    p.push(
        &admin,
        json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
    )
    .await;
    p.push(
        &other,
        json!([upsert(1, CAL_A, 1, calendar(2026, &["2026-10-03"]))]),
    )
    .await;
    let outcomes = p
        .push(
            &admin,
            json!([upsert(2, CAL_A, 1, calendar(2026, &["2026-10-02"]))]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "conflict");
    assert_eq!(outcomes[0]["current"]["version"], 2);
    assert_eq!(
        outcomes[0]["current"]["data"]["holidays"],
        json!(["2026-10-03"])
    );
    // Deleting then re-creating the year under a new id works.
    let outcomes = p.push(&admin, json!([
        { "device_seq": 3, "kind": "holiday_calendar", "record_id": CAL_A, "op": "delete", "base_version": 2 },
        upsert(4, CAL_B, 0, calendar(2026, &["2026-10-04"])),
    ])).await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    assert_eq!(outcomes[1]["status"], "applied", "{outcomes:?}");
    let changes = p.pull_all(&admin).await;
    assert_eq!(changes.len(), 4);
    assert_eq!(changes[2]["deleted"], true);
    assert_eq!(changes[2]["data"], Value::Null);
}

async fn a_rejected_entry_does_not_block_those_after_it(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    let outcomes = p
        .push(
            &admin,
            json!([
                upsert(1, CAL_A, 0, calendar(2026, &["2027-01-01"])),
                upsert(
                    2,
                    CAL_B,
                    0,
                    json!({ "year": 2026, "holidays": "none" , "working_weekends": []})
                ),
                upsert(
                    3,
                    CAL_B,
                    0,
                    json!({ "year": 2026, "holidays": [], "working_weekends": ["2026-03-04"] })
                ),
                upsert(4, CAL_B, 0, calendar(2026, &["2026-10-01"])),
            ]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "rejected");
    assert_eq!(outcomes[0]["code"], "rule_violation");
    assert_eq!(outcomes[0]["reason"], "holidays: 2027-01-01 is not in 2026");
    assert_eq!(outcomes[1]["code"], "invalid_input");
    assert_eq!(outcomes[1]["field"], "data");
    assert!(
        outcomes[2]["reason"]
            .as_str()
            .unwrap()
            .contains("not a Saturday or Sunday")
    );
    assert_eq!(outcomes[3]["status"], "applied");
}

async fn only_the_province_admin_changes_the_calendar(p: Platform) {
    for user in ["registrar", "city_admin"] {
        let token = p.token(user, DEVICE_A).await;
        let outcomes = p
            .push(
                &token,
                json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
            )
            .await;
        assert_eq!(outcomes[0]["status"], "rejected", "{user}");
        assert_eq!(outcomes[0]["code"], "forbidden", "{user}");
    }
    let token = p.token("registrar", DEVICE_A).await;
    assert!(p.pull_all(&token).await.is_empty());
}

async fn bad_input_gets_the_error_shape_never_a_500(p: Platform) {
    let token = p.token("admin", DEVICE_A).await;
    let send = |body: Body, content_type: &str| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/sync/push")
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", content_type.to_owned())
            .body(body)
            .unwrap()
    };
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (send(Body::from("{\"entries\": [}"), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from("{\"entries\": 5}"), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from("{\"entries\": [], \"extra\": 1}"), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from(vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from("{\"entries\": []}"), "text/plain"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from(format!("{{\"entries\": [], \"pad\": \"{}\"}}", "x".repeat(300 * 1024))), "application/json"), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (send(Body::from(json!({ "entries": [upsert(2, CAL_A, 0, calendar(2026, &[])), upsert(2, CAL_B, 0, calendar(2027, &[]))] }).to_string()), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from(json!({ "entries": [upsert(0, CAL_A, 0, calendar(2026, &[]))] }).to_string()), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from(json!({ "entries": [{ "device_seq": 1, "kind": "marriage", "record_id": CAL_A, "op": "upsert", "base_version": 0 }] }).to_string()), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (send(Body::from(json!({ "entries": [{ "device_seq": 1, "kind": "holiday_calendar", "record_id": "not-a-uuid", "op": "upsert", "base_version": 0 }] }).to_string()), "application/json"), StatusCode::BAD_REQUEST, "invalid_input"),
    ];
    for (i, (request, status, code)) in cases.into_iter().enumerate() {
        let (got, body) = p.raw(request).await;
        assert_eq!(got, status, "case {i}: {body}");
        assert_eq!(body["code"], code, "case {i}");
        assert!(body["message"].is_string(), "case {i}");
        assert!(body["details"].is_object(), "case {i}");
    }
    for query in [
        "after=0&limit=0",
        "after=0&limit=1001",
        "after=-1&limit=10",
        "after=x&limit=10",
        "after=0",
        "after=0&limit=10&x=1",
    ] {
        let (status, body) = p
            .call(
                "GET",
                &format!("/api/v1/sync/pull?{query}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["code"], "invalid_input");
    }
    let (status, body) = p
        .call("GET", "/api/v1/sync/pull?after=0&limit=10", None, None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (status, _) = p
        .call(
            "GET",
            "/api/v1/sync/pull?after=0&limit=10",
            Some("mzat_forged"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = p.call("GET", "/api/v1/nowhere", None, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _) = p.call("DELETE", "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, body) = p.call("POST", "/api/v1/auth/login", None, Some(json!({ "username": "", "password": "x", "device_id": DEVICE_A, "device_name": "a" }))).await;
    assert_eq!(
        (status, body["details"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("username"))
    );
}

async fn number_blocks_never_overlap_and_voided_numbers_are_kept(p: Platform) {
    let counter_a = p.token("registrar", DEVICE_A).await;
    let counter_b = p.token("registrar2", DEVICE_B).await;
    let block = |key: &str, size: i64| json!({ "key": key, "size": size });
    let (status, first) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&counter_a),
            Some(block("J-430102-2026", 50)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        (first["first"].as_i64(), first["last"].as_i64()),
        (Some(1), Some(50))
    );
    assert_eq!(first["first_number"], "J430102-2026-000001");
    let (_, second) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&counter_b),
            Some(block("J-430102-2026", 50)),
        )
        .await;
    assert_eq!(
        (second["first"].as_i64(), second["last"].as_i64()),
        (Some(51), Some(100))
    );
    let (_, divorce) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&counter_b),
            Some(block("L-430102-2026", 10)),
        )
        .await;
    assert_eq!(divorce["first"], 1, "each prefix has its own series");

    let (status, _) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&counter_a),
            Some(block("J-430103-2026", 10)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another office's series");
    let funeral = p.token("funeral", DEVICE_A).await;
    let (status, _) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&funeral),
            Some(block("J-430102-2026", 10)),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the funeral desk has no marriage numbers"
    );
    for (body, field) in [
        (block("J-4301-2026", 10), "key"),
        (block("J-430102-2026", 0), "size"),
        (block("J-430102-2026", 10_001), "size"),
    ] {
        let (status, answer) = p
            .call(
                "POST",
                "/api/v1/numbers/blocks",
                Some(&counter_a),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(answer["details"]["field"], field);
    }
    let (status, answer) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&counter_a),
            Some(block("J-430102-2026", 999_901)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");

    let void =
        |serial: i64| json!({ "key": "J-430102-2026", "serial": serial, "reason": "打印损坏" });
    let (status, voided) = p
        .call(
            "POST",
            "/api/v1/numbers/void",
            Some(&counter_a),
            Some(void(7)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!(voided["number"], "J430102-2026-000007");
    let (status, again) = p
        .call(
            "POST",
            "/api/v1/numbers/void",
            Some(&counter_a),
            Some(void(7)),
        )
        .await;
    assert_eq!(
        (status, &again["voided_at"]),
        (StatusCode::OK, &voided["voided_at"]),
        "voiding twice is harmless"
    );
    let (status, _) = p
        .call(
            "POST",
            "/api/v1/numbers/void",
            Some(&counter_a),
            Some(void(75)),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a number of another device's block"
    );

    let head = p.token("head", DEVICE_A).await;
    let (status, blocks) = p
        .call(
            "GET",
            "/api/v1/numbers/blocks?key=J-430102-2026",
            Some(&head),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(blocks.as_array().unwrap().len(), 2);
    let (status, _) = p
        .call(
            "GET",
            "/api/v1/numbers/blocks?key=J-430102-2026",
            Some(&counter_a),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a registrar does not list the office's blocks"
    );
    let voided = mz_server::numbers::list_voided(&p.db.pool).await.unwrap();
    assert_eq!(voided.len(), 1);
}

async fn concurrent_pushes_make_one_gapless_ordered_feed(p: Platform) {
    let tokens = [
        p.token("admin", DEVICE_A).await,
        p.token("admin", DEVICE_B).await,
    ];
    let p = std::sync::Arc::new(p);
    let mut tasks = Vec::new();
    for (device, token) in tokens.into_iter().enumerate() {
        for round in 0..5_i64 {
            let p = p.clone();
            let token = token.clone();
            tasks.push(tokio::spawn(async move {
                let year = 2030 + device as i32 * 10 + round as i32;
                let id = uuid::Uuid::now_v7().to_string();
                let entry = upsert(round + 1, &id, 0, calendar(year, &[]));
                p.push(&token, json!([entry])).await
            }));
        }
    }
    for task in tasks {
        let outcomes = task.await.unwrap();
        assert!(["applied", "conflict"].contains(&outcomes[0]["status"].as_str().unwrap()));
    }
    let token = p.token("registrar", DEVICE_A).await;
    let seqs: Vec<i64> = p
        .pull_all(&token)
        .await
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "no gaps, in order"
    );
    assert!(!seqs.is_empty());
}

async fn the_audit_chain_reveals_an_edited_or_deleted_row(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    p.push(
        &admin,
        json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
    )
    .await;
    let Verdict::Intact { entries } = mz_server::audit::verify(&p.db, None).await.unwrap() else {
        panic!("the untouched chain is intact");
    };
    assert!(entries >= 9, "user adds, init, login, push: {entries}");

    // The log refuses changes through SQL …
    let refused = sqlx::query("UPDATE audit_log SET action = 'x' WHERE seq = 3")
        .execute(&p.db.pool)
        .await;
    assert!(refused.is_err(), "the audit log is append-only");
    // … so someone with the database's owner rights removes the guard first.
    let drop_guards: &[&str] = match p.db.backend {
        mz_server::Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        mz_server::Backend::Postgres => &["DROP TRIGGER audit_log_no_change ON audit_log"],
    };
    for sql in drop_guards {
        sqlx::query(*sql).execute(&p.db.pool).await.unwrap();
    }
    sqlx::query("UPDATE audit_log SET detail = '{\"added\":1}' WHERE seq = 5")
        .execute(&p.db.pool)
        .await
        .unwrap();
    match mz_server::audit::verify(&p.db, None).await.unwrap() {
        Verdict::Broken { seq, reason } => {
            assert_eq!(seq, 5);
            assert!(reason.contains("changed"), "{reason}");
        }
        other => panic!("edit not detected: {other:?}"),
    }
    sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(&p.db.pool)
        .await
        .unwrap();
    match mz_server::audit::verify(&p.db, None).await.unwrap() {
        Verdict::Broken { seq, reason } => {
            assert_eq!(seq, 3);
            assert!(reason.contains("missing"), "{reason}");
        }
        other => panic!("deletion not detected: {other:?}"),
    }
}

async fn the_last_audit_rows_removed_are_detected(p: Platform) {
    let before = match mz_server::audit::verify(&p.db, None).await.unwrap() {
        Verdict::Intact { entries } => entries,
        other => panic!("{other:?}"),
    };
    let drop_guards: &[&str] = match p.db.backend {
        mz_server::Backend::Sqlite => &["DROP TRIGGER audit_log_no_delete"],
        mz_server::Backend::Postgres => &["DROP TRIGGER audit_log_no_change ON audit_log"],
    };
    for sql in drop_guards {
        sqlx::query(*sql).execute(&p.db.pool).await.unwrap();
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM audit_log WHERE seq = {before}"
    )))
    .execute(&p.db.pool)
    .await
    .unwrap();
    assert_eq!(
        mz_server::audit::verify(&p.db, None).await.unwrap(),
        Verdict::Broken {
            seq: before,
            reason: format!("entries {before} to {before} are missing")
        }
    );
}

async fn the_openapi_document_covers_every_route(p: Platform) {
    let (status, doc) = p.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/org-units",
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/api/v1/numbers/blocks",
        "/api/v1/numbers/void",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    let committed: Value =
        serde_json::from_str(include_str!("../../../docs/openapi.json")).unwrap();
    assert_eq!(
        committed, doc,
        "docs/openapi.json is stale: run `cargo run -p mz-cli -- openapi > docs/openapi.json`"
    );
}

/// An identity card number with its check character, for generated people.
fn id_number(first17: &str) -> String {
    mz_domain::identity::with_check_character(first17)
}

fn party(name: &str, first17: &str, sex: &str, birth: &str) -> Value {
    json!({ "doc_type": "id_card", "doc_number": id_number(first17), "name": name,
            "sex": sex, "birth_date": birth, "ethnicity": "汉族", "nationality": "中国" })
}

fn registration(
    parties: [Value; 2],
    status: &str,
    number: Option<&str>,
    check: Option<&str>,
) -> Value {
    json!({
        "registered_on": "2026-03-05",
        "parties": parties,
        "statements": { "voluntary": true, "no_spouse": true, "no_prohibited_kinship": true },
        "status": status, "certificate_no": number, "status_check": check,
    })
}

fn marriage_entry(seq: i64, id: &str, base: i64, data: Value) -> Value {
    json!({ "device_seq": seq, "kind": "marriage_registration", "record_id": id, "op": "upsert", "base_version": base, "data": data })
}

const ZHANG: (&str, &str) = ("张三", "43010219980307001");
const LI: (&str, &str) = ("李四", "43010219990101002");
const WANG: (&str, &str) = ("王芳", "43010319970505004");
const REG_A: &str = "01920000-0000-7000-8000-0000000000d1";
const REG_B: &str = "01920000-0000-7000-8000-0000000000d2";
const REG_C: &str = "01920000-0000-7000-8000-0000000000d3";

fn zhang_and(bride: (&str, &str), birth: &str) -> [Value; 2] {
    [
        party(ZHANG.0, ZHANG.1, "male", "1998-03-07"),
        party(bride.0, bride.1, "female", birth),
    ]
}

/// The marital-status check of `parties`, made as the platform wants it:
/// for a registration of the caller's office being prepared for them (sent
/// from a second counter of the same clerk, so the story's own device keeps
/// its sequence numbers).
async fn status_check(p: &Platform, token: &str, parties: &[Value; 2]) -> Value {
    let (_, me) = p.call("GET", "/api/v1/me", Some(token), None).await;
    let device = uuid::Uuid::now_v7().to_string();
    let clerk = p.token(me["username"].as_str().unwrap(), &device).await;
    let form = uuid::Uuid::now_v7().to_string();
    let mut prepared = registration(parties.clone(), "prepared", None, None);
    prepared["registered_on"] = json!(mz_server::modules::marriage::china_today(&p.clock));
    let outcomes = p
        .push(&clerk, json!([marriage_entry(1, &form, 0, prepared)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let (status, body) = check_for(p, token, parties, "marriage_registration", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// A marital-status check of `parties` made for record `id` of `kind`.
async fn check_for(
    p: &Platform,
    token: &str,
    parties: &[Value; 2],
    kind: &str,
    id: &str,
) -> (StatusCode, Value) {
    let people: Vec<Value> = parties
        .iter()
        .map(|party| json!({ "doc_type": "id_card", "doc_number": party["doc_number"] }))
        .collect();
    p.call(
        "POST",
        "/api/v1/marriage/status-check",
        Some(token),
        Some(json!({ "parties": people, "purpose": { "kind": kind, "record_id": id } })),
    )
    .await
}

/// An outbox entry that writes `data` over version `base` of record `id`.
fn entry(seq: i64, kind: &str, id: &str, base: i64, data: Value) -> Value {
    json!({ "device_seq": seq, "kind": kind, "record_id": id, "op": "upsert", "base_version": base, "data": data })
}

fn applied(outcome: &Value) {
    assert_eq!(outcome["status"], "applied", "{outcome}");
}

fn rejected_field(outcome: &Value) -> &str {
    assert_eq!(outcome["status"], "rejected", "{outcome}");
    outcome["field"].as_str().unwrap_or("")
}

async fn a_marriage_is_final_only_with_a_clear_check_and_a_number_of_its_office(p: Platform) {
    let counter = p.token("registrar", DEVICE_A).await;
    let (status, block) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&counter),
            Some(json!({ "key": "J-430102-2026", "size": 10 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{block}");
    let couple = zhang_and(LI, "1999-01-01");

    // Prepared offline: checked, not final.
    let outcomes = p
        .push(
            &counter,
            json!([marriage_entry(
                1,
                REG_A,
                0,
                registration(couple.clone(), "prepared", None, None)
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    // Final without the status check, or with a number outside the office's blocks: refused.
    let outcomes = p
        .push(
            &counter,
            json!([marriage_entry(
                2,
                REG_A,
                1,
                registration(
                    couple.clone(),
                    "registered",
                    Some("J430102-2026-000001"),
                    None
                )
            ),]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.status_check");
    let check = status_check(&p, &counter, &couple).await;
    assert_eq!(check["clear"], true);
    let check_id = check["check_id"].as_str().unwrap();
    let outcomes = p
        .push(
            &counter,
            json!([
                marriage_entry(
                    3,
                    REG_A,
                    1,
                    registration(
                        couple.clone(),
                        "registered",
                        Some("J430102-2026-000011"),
                        Some(check_id)
                    )
                ),
                marriage_entry(
                    4,
                    REG_A,
                    1,
                    registration(
                        couple.clone(),
                        "registered",
                        Some("J430103-2026-000001"),
                        Some(check_id)
                    )
                ),
                marriage_entry(
                    5,
                    REG_A,
                    1,
                    registration(
                        couple.clone(),
                        "registered",
                        Some("J430102-2026-000001"),
                        Some(check_id)
                    )
                ),
            ]),
        )
        .await;
    assert!(
        outcomes[0]["reason"]
            .as_str()
            .unwrap()
            .contains("不在本单位的号段内"),
        "{outcomes:?}"
    );
    assert_eq!(rejected_field(&outcomes[1]), "data.certificate_no");
    assert_eq!(outcomes[2]["status"], "applied", "{outcomes:?}");

    // The man is married now: the next check says so, and a registration
    // citing a clear check made for other documents is refused.
    let second = zhang_and(WANG, "1997-05-05");
    let check = status_check(&p, &counter, &second).await;
    assert_eq!(check["clear"], false);
    assert_eq!(check["parties"][0]["married"], true);
    assert_eq!(check["parties"][0]["certificate_no"], "J430102-2026-000001");
    assert_eq!(check["parties"][1]["married"], false);
    let outcomes = p
        .push(
            &counter,
            json!([
                marriage_entry(
                    6,
                    REG_B,
                    0,
                    registration(
                        second.clone(),
                        "registered",
                        Some("J430102-2026-000002"),
                        Some(check_id)
                    )
                ),
                marriage_entry(
                    7,
                    REG_B,
                    0,
                    registration(
                        second.clone(),
                        "registered",
                        Some("J430102-2026-000002"),
                        check["check_id"].as_str()
                    )
                ),
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.status_check");
    assert_eq!(rejected_field(&outcomes[1]), "data.status_check");

    // Under age on the day: refused even as a prepared form, with the field.
    let young = [
        party("赵六", "43010220040306001", "male", "2004-03-06"),
        party(WANG.0, WANG.1, "female", "1997-05-05"),
    ];
    let outcomes = p
        .push(
            &counter,
            json!([marriage_entry(
                8,
                REG_C,
                0,
                registration(young, "prepared", None, None)
            )]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.parties[0].birth_date");
    assert!(
        outcomes[0]["reason"]
            .as_str()
            .unwrap()
            .contains("未满 22 周岁")
    );

    // A registration is final: its people cannot be changed afterwards.
    let changed = registration(
        zhang_and(WANG, "1997-05-05"),
        "registered",
        Some("J430102-2026-000001"),
        Some(check_id),
    );
    let outcomes = p
        .push(&counter, json!([marriage_entry(9, REG_A, 2, changed)]))
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data");

    // Only the office sees its records; every read is audited.
    let colleague = p.token("registrar2", DEVICE_B).await;
    let seen: Vec<Value> = p
        .pull_all(&colleague)
        .await
        .into_iter()
        .filter(|c| c["kind"] == "marriage_registration" && c["record_id"] == REG_A)
        .collect();
    assert_eq!(seen.len(), 2, "prepared, then registered");
    for outsider in ["other_registrar", "admin", "city_admin"] {
        let token = p.token(outsider, DEVICE_B).await;
        assert!(
            p.pull_all(&token)
                .await
                .iter()
                .all(|c| c["kind"] != "marriage_registration"),
            "{outsider} sees no marriage record"
        );
    }
    let reads: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'record.read'")
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert!(reads >= 1);
    let outsider = p.token("other_registrar", DEVICE_B).await;
    let annul = {
        let mut data = registration(
            couple.clone(),
            "registered",
            Some("J430102-2026-000001"),
            Some(check_id),
        );
        data["annulment"] = json!({ "kind": "void", "court": "长沙市芙蓉区人民法院", "judgement_no": "（2026）湘0102民初1号", "decided_on": "2026-03-05" });
        data
    };
    let outcomes = p
        .push(
            &outsider,
            json!([marriage_entry(1, REG_A, 2, annul.clone())]),
        )
        .await;
    assert_eq!(
        outcomes[0]["status"], "rejected",
        "another office cannot touch it"
    );

    // A court's judgement recorded: the man is no longer married.
    let outcomes = p
        .push(&counter, json!([marriage_entry(10, REG_A, 2, annul)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let check = status_check(&p, &counter, &second).await;
    assert_eq!(check["clear"], true);

    // The record's history: each change, who made it, on which device.
    let path = format!("/api/v1/records/marriage_registration/{REG_A}/history");
    let (status, history) = p.call("GET", &path, Some(&counter), None).await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let statuses: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["data"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["prepared", "registered", "registered"]);
    assert_eq!(history[0]["user"], "registrar");
    let (status, _) = p.call("GET", &path, Some(&outsider), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another office");
    let (status, _) = p
        .call(
            "GET",
            "/api/v1/records/nothing/x/history",
            Some(&counter),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let missing = format!("/api/v1/records/marriage_registration/{REG_C}/history");
    let (status, _) = p.call("GET", &missing, Some(&counter), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'record.history'")
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

fn divorce_entry(seq: i64, id: &str, base: i64, data: Value) -> Value {
    json!({ "device_seq": seq, "kind": "divorce_registration", "record_id": id, "op": "upsert", "base_version": base, "data": data })
}

/// The periods of an application received on `received`, counted with the
/// published 2026 calendar.
fn periods(received: &str) -> Value {
    let published: Vec<mz_domain::HolidayCalendar> =
        serde_json::from_str(include_str!("../../../assets/demo/holiday-calendars.json")).unwrap();
    let calendars = mz_domain::holiday::Calendars::new(published);
    let dates =
        mz_domain::marriage::CoolingOff::from_receipt(received.parse().unwrap(), &calendars)
            .unwrap();
    serde_json::to_value(dates).unwrap()
}

fn divorce(parties: [Value; 2], certificate: &str, received: &str) -> Value {
    json!({
        "received_on": received,
        "parties": parties,
        "marriage_certificate_no": certificate,
        "periods": periods(received),
        "status": "received",
    })
}

const DIV_A: &str = "01920000-0000-7000-8000-0000000000e1";
const DIV_B: &str = "01920000-0000-7000-8000-0000000000e2";
const DIV_C: &str = "01920000-0000-7000-8000-0000000000e3";

async fn a_divorce_is_registered_only_in_its_window_and_ends_the_marriage(p: Platform) {
    let admin = p.token("admin", DEVICE_B).await;
    let published: Vec<Value> =
        serde_json::from_str(include_str!("../../../assets/demo/holiday-calendars.json")).unwrap();
    let year_2026 = published.into_iter().find(|c| c["year"] == 2026).unwrap();
    let outcomes = p
        .push(&admin, json!([upsert(1, CAL_A, 0, year_2026)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    let counter = p.token("registrar", DEVICE_A).await;
    for key in ["J-430102-2026", "L-430102-2026", "BL-430102-2026"] {
        let (status, block) = p
            .call(
                "POST",
                "/api/v1/numbers/blocks",
                Some(&counter),
                Some(json!({ "key": key, "size": 10 })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{block}");
    }
    // 2026-03-05: married.
    let couple = zhang_and(LI, "1999-01-01");
    let check = status_check(&p, &counter, &couple).await;
    let married = registration(
        couple.clone(),
        "registered",
        Some("J430102-2026-000001"),
        check["check_id"].as_str(),
    );
    let outcomes = p
        .push(&counter, json!([marriage_entry(1, REG_A, 0, married)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // The same day they apply to divorce. Periods that do not follow the
    // calendar, or a certificate issued to other people, are refused.
    let mut wrong = divorce(couple.clone(), "J430102-2026-000001", "2026-03-05");
    wrong["periods"]["withdrawal_ends"] = json!("2026-04-04");
    let strangers = divorce(
        zhang_and(WANG, "1997-05-05"),
        "J430102-2026-000001",
        "2026-03-05",
    );
    let outcomes = p
        .push(
            &counter,
            json!([
                divorce_entry(2, DIV_A, 0, wrong),
                divorce_entry(3, DIV_B, 0, strangers),
                divorce_entry(
                    4,
                    DIV_A,
                    0,
                    divorce(couple.clone(), "J430102-2026-000001", "2026-03-05")
                ),
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.periods");
    assert_eq!(rejected_field(&outcomes[1]), "data.marriage_certificate_no");
    assert_eq!(outcomes[2]["status"], "applied", "{outcomes:?}");
    let stored = p
        .pull_all(&counter)
        .await
        .into_iter()
        .rfind(|c| c["record_id"] == DIV_A)
        .unwrap();
    assert_eq!(
        stored["data"]["marriage_record_id"], REG_A,
        "linked to the registry"
    );

    // Inside the cooling-off period no certificate is issued.
    let mut early = divorce(couple.clone(), "J430102-2026-000001", "2026-03-05");
    early["status"] = json!("registered");
    early["registered_on"] = json!("2026-03-05");
    early["certificate_no"] = json!("L430102-2026-000001");
    let outcomes = p
        .push(&counter, json!([divorce_entry(5, DIV_A, 1, early)]))
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.registered_on");

    // 2026-04-08, the first day of the second period: both come.
    p.clock.advance_ms(34 * 24 * 3600 * 1000);
    let counter = p.token("registrar", DEVICE_A).await;
    let mut registered = divorce(couple.clone(), "J430102-2026-000001", "2026-03-05");
    registered["status"] = json!("registered");
    registered["registered_on"] = json!("2026-04-08");
    registered["certificate_no"] = json!("J430102-2026-000002");
    let outcomes = p
        .push(
            &counter,
            json!([divorce_entry(6, DIV_A, 1, registered.clone())]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.certificate_no",
        "a J number is no divorce number"
    );
    registered["certificate_no"] = json!("L430102-2026-000001");
    let outcomes = p
        .push(
            &counter,
            json!([divorce_entry(7, DIV_A, 1, registered.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // A lost certificate is reissued on the day it is asked for, with a BL
    // number of the office never used before.
    let reissue = |number: &str, day: &str| json!({ "certificate_no": number, "issued_on": day, "holder": 1 });
    let with = |reissues: Value| {
        let mut data = registered.clone();
        data["reissues"] = reissues;
        data
    };
    let outcomes = p
        .push(
            &counter,
            json!([
                divorce_entry(
                    70,
                    DIV_A,
                    2,
                    with(json!([reissue("BL430102-2026-000001", "2026-04-07")]))
                ),
                divorce_entry(
                    71,
                    DIV_A,
                    2,
                    with(json!([reissue("L430102-2026-000002", "2026-04-08")]))
                ),
                divorce_entry(
                    72,
                    DIV_A,
                    2,
                    with(json!([
                        reissue("BL430102-2026-000001", "2026-04-08"),
                        reissue("BL430102-2026-000001", "2026-04-08")
                    ]))
                ),
                divorce_entry(
                    73,
                    DIV_A,
                    2,
                    with(json!([reissue("BL430102-2026-000001", "2026-04-08")]))
                ),
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.reissues[0].issued_on");
    assert_eq!(
        rejected_field(&outcomes[1]),
        "data.reissues[0].certificate_no"
    );
    assert_eq!(
        rejected_field(&outcomes[2]),
        "data.reissues[1].certificate_no",
        "never twice"
    );
    assert_eq!(outcomes[3]["status"], "applied", "{outcomes:?}");
    // A recorded reissue stays recorded: a version without it is refused.
    let outcomes = p
        .push(
            &counter,
            json!([divorce_entry(169, DIV_A, 3, with(json!([])))]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.reissues");
    // A final act of the registry is never deleted.
    let outcomes = p
        .push(
            &counter,
            json!([{ "device_seq": 74, "kind": "divorce_registration", "record_id": DIV_A, "op": "delete", "base_version": 3 }]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "record_id");
    // An application starts as received, and reaches the platform within days.
    let mut skipped = divorce(
        zhang_and(WANG, "1997-05-05"),
        "湘长结字2001第1号",
        "2026-04-08",
    );
    skipped["status"] = json!("registered");
    let stale = divorce(
        zhang_and(WANG, "1997-05-05"),
        "湘长结字2001第1号",
        "2026-03-20",
    );
    let outcomes = p
        .push(
            &counter,
            json!([
                divorce_entry(75, DIV_C, 0, skipped),
                divorce_entry(76, DIV_C, 0, stale)
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.status");
    assert_eq!(rejected_field(&outcomes[1]), "data.received_on");

    // The marriage is over: both may marry again, and it cannot be divorced twice.
    let check = status_check(&p, &counter, &zhang_and(WANG, "1997-05-05")).await;
    assert_eq!(check["clear"], true, "{check}");
    let outcomes = p
        .push(
            &counter,
            json!([divorce_entry(
                8,
                DIV_B,
                0,
                // Typed in lower case: still the registry's certificate.
                divorce(couple.clone(), "j430102-2026-000001", "2026-04-08")
            )]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.marriage_certificate_no");

    // A marriage from before the registry is taken as written. Withdrawn the
    // next day, the application is final.
    let older = [
        party("王五", "43010219800101003", "male", "1980-01-01"),
        party("赵六", "43010219820202004", "female", "1982-02-02"),
    ];
    let received = divorce(older.clone(), "湘长结字2005第123号", "2026-04-08");
    let outcomes = p
        .push(
            &counter,
            json!([divorce_entry(9, DIV_C, 0, received.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let mut deemed = received.clone();
    deemed["status"] = json!("deemed_withdrawn");
    let outcomes = p
        .push(&counter, json!([divorce_entry(10, DIV_C, 1, deemed)]))
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.status",
        "not before the second period ends"
    );
    p.clock.advance_ms(24 * 3600 * 1000);
    let counter = p.token("registrar", DEVICE_A).await;
    let mut withdrawn = received.clone();
    withdrawn["status"] = json!("withdrawn");
    withdrawn["withdrawal"] = json!({ "on": "2026-04-09", "by": 1 });
    let outcomes = p
        .push(&counter, json!([divorce_entry(11, DIV_C, 1, withdrawn)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let mut revived = received;
    revived["status"] = json!("received");
    let outcomes = p
        .push(&counter, json!([divorce_entry(12, DIV_C, 2, revived)]))
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.status");
}

async fn the_demo_office_has_bookings_registrations_and_divorces(p: Platform) {
    let count = |kind: &'static str| {
        let pool = p.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM records WHERE kind = $1")
                .bind(kind)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    mz_server::admin::seed_demo(&p.db, &p.clock).await.unwrap();
    assert_eq!(count("marriage_registration").await, 13);
    assert_eq!(count("marriage_appointment").await, 6);
    // Received 4, 36 and 75 days before 2026-03-05: their periods end in
    // 2026, whose calendar is published.
    assert_eq!(count("divorce_registration").await, 3);
    // The demo funeral home: its setup and a case in every stage.
    assert_eq!(count("funeral_home").await, 1);
    assert_eq!(
        count("funeral_standard").await,
        1,
        "the province's fee standard"
    );
    assert_eq!(count("cemetery").await, 1);
    assert_eq!(count("schedule_setup").await, 1);
    assert_eq!(
        count("schedule_activity").await,
        11,
        "the week's activities, the weekly meeting and two government affairs"
    );
    assert_eq!(count("away_report").await, 1);
    assert_eq!(count("cemetery_plot").await, 4, "a plot in each state");
    assert_eq!(count("funeral_case").await, 7);
    assert_eq!(
        count("office_document").await,
        7,
        "a document in each step, outgoing and incoming, and a confidential one done"
    );
    assert_eq!(
        count("library_item").await,
        4,
        "the office's guides, a form, a note"
    );
    mz_server::admin::seed_demo(&p.db, &p.clock).await.unwrap();
    assert_eq!(count("marriage_registration").await, 13, "seeded once");
    assert_eq!(count("office_document").await, 7, "seeded once");
    assert_eq!(count("library_item").await, 4, "seeded once");
    assert_eq!(
        count("office_task").await,
        1,
        "the tracked instruction, overdue"
    );
    // The department's people come with the section each works in.
    let (status, body) = p
        .login_as("office_staff", mz_server::admin::DEMO_PASSWORD, DEVICE_C)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let staff = body["access_token"].as_str().unwrap().to_owned();
    // The library is searched by two characters, the counter guide as revised.
    let (status, found) = p
        .call(
            "GET",
            "/api/v1/library/search?q=%E5%85%A8%E5%9B%BD%E8%8C%83%E5%9B%B4",
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        found["hits"][0]["item"]["title"], "婚姻登记窗口服务指南",
        "{found}"
    );
    assert_eq!(
        found["hits"][0]["item"]["versions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (status, people) = p
        .call("GET", "/api/v1/office/people", Some(&staff), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{people}");
    let relief = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "王建军（社会救助处）")
        .unwrap();
    assert_eq!(relief["section"], "社会救助处", "{relief}");
    // 数据分析: what waits on each section today, and each month's flow;
    // every document and task of the demo counted once, counts only.
    let (status, figures) = p
        .call(
            "GET",
            "/api/v1/office/figures?from=2025-04&to=2026-03",
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(figures["months"].as_array().unwrap().len(), 12, "{figures}");
    assert_eq!(figures["months"][11]["month"], "2026-03");
    let sections = figures["sections"].as_array().unwrap();
    let waiting = |k: &str| sections.iter().map(|s| s[k].as_u64().unwrap()).sum::<u64>();
    let monthly = |k: &str| {
        figures["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m[k].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(
        monthly("outgoing") + monthly("incoming"),
        7,
        "every document opened in the year: {figures}"
    );
    assert_eq!(
        waiting("documents_pending") + monthly("documents_done"),
        7,
        "each document waits or is done: {figures}"
    );
    assert_eq!(
        waiting("tasks_overdue"),
        1,
        "the overdue instruction: {figures}"
    );
    // A database from before the figures: derived once at start, the same.
    let path = "/api/v1/office/figures?from=2025-04&to=2026-03";
    for sql in [
        "DELETE FROM office_figures",
        "UPDATE counters SET value = 0 WHERE name = 'office_figures'",
    ] {
        sqlx::query(sql).execute(&p.db.pool).await.unwrap();
    }
    mz_server::modules::office::figures::derive_missing_rows(&p.db)
        .await
        .unwrap();
    let (_, derived) = p.call("GET", path, Some(&staff), None).await;
    assert_eq!(derived, figures);
    assert!(
        sections
            .iter()
            .all(|s| s.get("title").is_none() && s["org_unit"] == "430000-civil"),
        "{figures}"
    );
    let (status, refused) = p
        .call(
            "GET",
            "/api/v1/office/figures?from=2026-13&to=2026-03",
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["details"]["field"], "from", "{refused}");
    let registrar = p.token("registrar", DEVICE_D).await;
    let (status, _) = p
        .call(
            "GET",
            "/api/v1/office/figures?from=2026-01&to=2026-03",
            Some(&registrar),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a counter reads no document figures"
    );
    // The department's leader reads the counters' counts across the province.
    let leader = p.token("leader", DEVICE_D).await;
    let (status, offices) = p
        .call(
            "GET",
            "/api/v1/marriage/figures?from=2026-01-01&to=2026-03-31",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{offices}");
    assert!(
        offices
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["marriages"].as_u64().unwrap() > 0),
        "{offices}"
    );
    // The notice sent to 长沙市民政局 waits there to be received.
    let city = p.token("city_office", DEVICE_D).await;
    let (status, sent) = p
        .call("GET", "/api/v1/office/deliveries", Some(&city), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent.as_array().unwrap().len(), 1, "{sent}");
    assert_eq!(count("funeral_case").await, 7, "seeded once");
    let desk = p.token("funeral", DEVICE_C).await;
    let mut stages: Vec<String> = p
        .pull_all(&desk)
        .await
        .iter()
        .filter(|c| c["kind"] == "funeral_case")
        .map(|c| c["data"]["stage"].as_str().unwrap().to_owned())
        .collect();
    stages.sort();
    assert_eq!(
        stages,
        [
            "ashes_collected",
            "called",
            "cremated",
            "farewell",
            "received",
            "stored",
            "stored"
        ]
    );

    // The registrar pulls them, and the registry knows the demo couples.
    let counter = p.token("registrar", DEVICE_A).await;
    let pulled = p.pull_all(&counter).await;
    let married: Vec<&Value> = pulled
        .iter()
        .filter(|c| c["kind"] == "marriage_registration" && c["data"]["status"] == "registered")
        .collect();
    assert_eq!(married.len(), 12);
    let parties = married[0]["data"]["parties"].as_array().unwrap();
    let check = status_check(&p, &counter, &[parties[0].clone(), parties[1].clone()]).await;
    assert_eq!(check["clear"], false, "{check}");

    // Figures: the office and the province see counts, never people.
    let path = "/api/v1/marriage/figures?from=2025-12-01&to=2026-03-05";
    for who in ["registrar", "head", "admin", "city_admin"] {
        let token = p.token(who, DEVICE_B).await;
        let (status, figures) = p.call("GET", path, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{who}: {figures}");
        assert_eq!(figures.as_array().unwrap().len(), 1, "{who}: {figures}");
        let office = &figures[0];
        assert_eq!(office["org_unit"], "430102-marriage");
        assert_eq!(
            (
                &office["marriages"],
                &office["refusals"],
                &office["divorce_applications"]
            ),
            (&json!(12), &json!(1), &json!(3)),
            "{who}: {office}"
        );
        assert!(
            !office.to_string().contains("43010219"),
            "no identity numbers"
        );
    }
    let elsewhere = p.token("other_registrar", DEVICE_B).await;
    let (_, figures) = p.call("GET", path, Some(&elsewhere), None).await;
    assert_eq!(figures, json!([]), "another office sees none of these");
    let funeral = p.token("funeral", DEVICE_B).await;
    let (status, _) = p.call("GET", path, Some(&funeral), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = p
        .call(
            "GET",
            "/api/v1/marriage/figures?from=2026-03-05&to=2026-03-01",
            Some(&counter),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

fn draft_entry(seq: i64, id: &str, base: i64, document: Value) -> Value {
    json!({ "device_seq": seq, "kind": "document_draft", "record_id": id, "op": "upsert", "base_version": base, "data": { "document": document } })
}

const DRAFT: &str = "01920000-0000-7000-8000-0000000000e1";

async fn a_document_draft_is_shared_within_its_unit_only(p: Platform) {
    let registrar = p.token("registrar", DEVICE_A).await;
    // Unfinished: the number is still to be given, the body half written.
    let document = json!({
        "issuer_mark": "芙蓉区民政局文件", "doc_number": "", "title": "关于婚姻登记处春节值班的报告",
        "body": [{ "level": 0, "text": "" }], "signature": "芙蓉区民政局", "date": "2026-03-05",
    });
    let outcomes = p
        .push(
            &registrar,
            json!([
                draft_entry(1, DRAFT, 0, document.clone()),
                draft_entry(2, REG_A, 0, json!({ "title": "no shape" })),
                draft_entry(3, REG_B, 0, json!({ "subtitle": "x", "issuer_mark": "a", "doc_number": "", "title": "", "body": [], "signature": "", "date": "" })),
                draft_entry(4, REG_C, 0, json!({ "issuer_mark": "a", "doc_number": "", "title": "", "body": [{ "level": "一", "text": "" }], "signature": "", "date": "" })),
            ]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{}", outcomes[0]);
    assert_eq!(rejected_field(&outcomes[1]), "data.document");
    assert_eq!(rejected_field(&outcomes[2]), "data.document.subtitle");
    assert_eq!(rejected_field(&outcomes[3]), "data.document.body[0].level");

    // A colleague of the same office pulls it; another office and the
    // province do not.
    let colleague = p.token("registrar2", DEVICE_B).await;
    let drafts = |changes: Vec<Value>| {
        changes
            .into_iter()
            .filter(|c| c["kind"] == "document_draft")
            .collect::<Vec<_>>()
    };
    let seen = drafts(p.pull_all(&colleague).await);
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0]["data"]["document"]["title"],
        "关于婚姻登记处春节值班的报告"
    );
    for (user, device) in [("other_registrar", DEVICE_C), ("admin", DEVICE_D)] {
        let token = p.token(user, device).await;
        assert!(drafts(p.pull_all(&token).await).is_empty(), "{user}");
        let outcomes = p
            .push(&token, json!([draft_entry(1, DRAFT, 1, document.clone())]))
            .await;
        assert_eq!(outcomes[0]["code"], "forbidden", "{user}");
    }

    // Too heavy to be a draft.
    let long = "正".repeat(50_000);
    let outcomes = p
        .push(
            &colleague,
            json!([draft_entry(
                1,
                DRAFT,
                1,
                json!({
                    "issuer_mark": "芙蓉区民政局文件", "doc_number": "", "title": "t",
                    "body": [{ "level": 0, "text": long }], "signature": "", "date": "",
                })
            )]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data",
        "the whole draft is too large"
    );

    // The colleague deletes it: gone for the office.
    let outcomes = p
        .push(
            &colleague,
            json!([{ "device_seq": 2, "kind": "document_draft", "record_id": DRAFT, "op": "delete", "base_version": 1 }]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{}", outcomes[0]);
    let seen = drafts(p.pull_all(&registrar).await);
    assert_eq!(seen.last().unwrap()["deleted"], true, "{seen:?}");
}

fn funeral_entry(seq: i64, id: &str, base: i64, data: Value) -> Value {
    json!({ "device_seq": seq, "kind": "funeral_case", "record_id": id, "op": "upsert", "base_version": base, "data": data })
}

fn paper(number: &str) -> Value {
    json!({ "by": "业务员", "at": "2026-03-05T08:00:00", "number": number })
}

/// A case of 长沙市殡仪馆 received on 5 March 2026, its death certificate seen.
fn funeral_case(case_no: &str, deceased_first17: &str) -> Value {
    let id = id_number(deceased_first17);
    json!({
        "case_no": case_no,
        "stage": "received",
        "call": { "called_at": "2026-03-05T07:00:00", "caller": "王小明", "phone": "13800000000", "place": "湘雅医院" },
        "dispatch": { "vehicle": "湘A·12345", "driver": "李师傅", "dispatched_at": "2026-03-05T07:10:00", "received_at": "2026-03-05T07:50:00" },
        "deceased": {
            "name": "王大明", "doc_type": "id_card", "doc_number": id, "sex": "male", "birth_date": "1940-01-01",
            "died_at": "2026-03-05T06:00:00", "death_place": "湘雅医院", "cause": "natural",
            "household_region": "430102", "address": "五一大道 1 号",
        },
        "contact": { "name": "王小明", "doc_type": "id_card", "doc_number": id_number("43010219700101003"), "relation": "儿子", "phone": "13800000000" },
        "checks": { "death_certificate": paper("湘医死证 2026-0301") },
    })
}

fn cremated_case(mut case: Value) -> Value {
    let deceased = case["deceased"]["doc_number"].clone();
    let contact = case["contact"]["doc_number"].clone();
    case["stage"] = json!("cremated");
    case["checks"]["identity"] = paper(deceased.as_str().unwrap());
    case["checks"]["confirmation"] = paper("");
    case["checks"]["contact_identity"] = paper(contact.as_str().unwrap());
    case["cremation"] = json!({ "furnace": "1 号平板炉", "planned_at": "2026-03-05T08:00:00", "done_at": "2026-03-05T08:40:00", "operator": "赵师傅" });
    case
}

const CASE_A: &str = "01920000-0000-7000-8000-0000000000f1";
const CASE_B: &str = "01920000-0000-7000-8000-0000000000f2";

async fn a_funeral_case_is_cremated_only_with_its_papers_and_numbers_of_its_home(p: Platform) {
    let desk = p.token("funeral", DEVICE_A).await;
    for (key, size) in [("YT-430100-2026", 10), ("HZ-430100-2026", 5)] {
        let (status, block) = p
            .call(
                "POST",
                "/api/v1/numbers/blocks",
                Some(&desk),
                Some(json!({ "key": key, "size": size })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{block}");
    }
    let received = funeral_case("YT430100-2026-000001", "43010219400101001");
    let outcomes = p
        .push(
            &desk,
            json!([
                funeral_entry(1, CASE_A, 0, received.clone()),
                // A number outside the home's blocks, or of another region.
                funeral_entry(
                    2,
                    CASE_B,
                    0,
                    funeral_case("YT430100-2026-000020", "43010219400101005")
                ),
                funeral_entry(
                    3,
                    CASE_B,
                    0,
                    funeral_case("YT430102-2026-000002", "43010219400101005")
                ),
                // Collected without a death certificate.
                funeral_entry(4, CASE_B, 0, {
                    let mut c = funeral_case("YT430100-2026-000002", "43010219400101005");
                    c["checks"] = json!({});
                    c
                }),
            ]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    assert!(
        outcomes[1]["reason"]
            .as_str()
            .unwrap()
            .contains("不在本单位的号段内"),
        "{outcomes:?}"
    );
    assert_eq!(rejected_field(&outcomes[2]), "data.case_no");
    assert_eq!(
        rejected_field(&outcomes[3]),
        "data.checks.death_certificate"
    );

    // Cremation waits for every paper: the first one missing is named.
    let mut unchecked = cremated_case(received.clone());
    unchecked["checks"]["identity"] = Value::Null;
    let outcomes = p
        .push(&desk, json!([funeral_entry(5, CASE_A, 1, unchecked)]))
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.checks.identity",
        "{outcomes:?}"
    );
    let cremated = cremated_case(received.clone());
    let outcomes = p
        .push(
            &desk,
            json!([funeral_entry(6, CASE_A, 1, cremated.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // Cremated, the case is final: what it was decided on stays, and it is
    // never deleted.
    let mut renamed = cremated.clone();
    renamed["deceased"]["name"] = json!("王大名");
    let outcomes = p
        .push(
            &desk,
            json!([
                funeral_entry(7, CASE_A, 2, renamed),
                { "device_seq": 8, "kind": "funeral_case", "record_id": CASE_A, "op": "delete", "base_version": 2 },
            ]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.deceased",
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1]["status"], "rejected", "{outcomes:?}");

    // The certificate: a number of the home's HZ block, on one case only.
    let mut certified = cremated.clone();
    certified["certificate"] =
        json!({ "number": "HZ430100-2026-000001", "state": "issued", "issued_on": "2026-03-05" });
    let mut second = cremated_case(funeral_case("YT430100-2026-000003", "43010219400101005"));
    second["certificate"] = certified["certificate"].clone();
    let outcomes = p
        .push(
            &desk,
            json!([
                funeral_entry(9, CASE_A, 2, certified.clone()),
                funeral_entry(10, CASE_B, 0, second),
            ]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    assert_eq!(
        rejected_field(&outcomes[1]),
        "data.certificate.number",
        "{outcomes:?}"
    );

    // The home's other staff pull it; another home, a registrar and the
    // province do not, and cannot write one.
    let head = p.token("funeral2", DEVICE_B).await;
    let cases = |changes: Vec<Value>| {
        changes
            .into_iter()
            .filter(|c| c["kind"] == "funeral_case")
            .collect::<Vec<_>>()
    };
    let seen = cases(p.pull_all(&head).await);
    assert!(seen.iter().all(|c| c["record_id"] == CASE_A), "{seen:?}");
    assert_eq!(
        seen.last().unwrap()["data"]["certificate"]["number"],
        "HZ430100-2026-000001"
    );
    for (user, device) in [
        ("other_funeral", DEVICE_C),
        ("registrar", DEVICE_D),
        ("admin", DEVICE_D),
    ] {
        let token = p.token(user, device).await;
        assert!(cases(p.pull_all(&token).await).is_empty(), "{user}");
        let outcomes = p
            .push(
                &token,
                json!([funeral_entry(
                    1,
                    CASE_B,
                    0,
                    funeral_case("YT430100-2026-000004", "43010219400101005")
                )]),
            )
            .await;
        assert_eq!(outcomes[0]["status"], "rejected", "{user}: {outcomes:?}");
    }

    // The figures: counts only, the home's own and the province's.
    for (token, reach) in [(&desk, 1), (&p.token("admin", DEVICE_D).await, 1)] {
        let (status, figures) = p
            .call(
                "GET",
                "/api/v1/funeral/figures?from=2026-01&to=2026-03",
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{figures}");
        let homes = figures.as_array().unwrap();
        assert_eq!(homes.len(), reach, "{figures}");
        assert_eq!(homes[0]["org_unit"], "430100-funeral");
        assert_eq!(
            (homes[0]["received"].clone(), homes[0]["cremated"].clone()),
            (json!(1), json!(1))
        );
        assert!(homes[0].get("name").is_some() && homes[0].get("deceased").is_none());
    }
    let other = p.token("other_funeral", DEVICE_C).await;
    let (_, figures) = p
        .call(
            "GET",
            "/api/v1/funeral/figures?from=2026-01&to=2026-03",
            Some(&other),
            None,
        )
        .await;
    assert_eq!(
        figures,
        json!([]),
        "another home sees none of this one's counts"
    );
    let registrar = p.token("registrar", DEVICE_D).await;
    let (status, _) = p
        .call(
            "GET",
            "/api/v1/funeral/figures?from=2026-01&to=2026-03",
            Some(&registrar),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A bill is priced again from the home's schedule: a price of the
    // desk's own is refused, the schedule's applied.
    let home = json!({
        "fee_items": [{ "code": "cremation_flat", "name": "平板炉火化", "unit": "具", "unit_price_fen": 45000, "basic": true }],
        "waivers": [],
    });
    let bill = |price: i64| {
        json!({
            "items": [{ "code": "cremation_flat", "quantity": 1 }],
            "priced": { "lines": [{ "code": "cremation_flat", "name": "平板炉火化", "quantity": 1, "unit_price_fen": price, "amount_fen": price, "waived_fen": 0, "payable_fen": price }],
                        "total_fen": price, "waived_fen": 0, "payable_fen": price },
            "payments": [{ "at": "2026-03-05T08:50:00", "method": "cash", "amount_fen": price, "by": "业务员" }],
        })
    };
    let mut cheap = certified.clone();
    cheap["bill"] = bill(100);
    let mut priced = certified.clone();
    priced["bill"] = bill(45000);
    // The schedule is the head's to set, not the desk's.
    let home_entry = json!([{ "device_seq": 11, "kind": "funeral_home", "record_id": "01920000-0000-7000-8000-0000000000f9", "op": "upsert", "base_version": 0, "data": home }]);
    let outcomes = p.push(&desk, home_entry.clone()).await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");
    let outcomes = p.push(&head, home_entry).await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let outcomes = p
        .push(
            &desk,
            json!([
                funeral_entry(12, CASE_A, 3, cheap),
                funeral_entry(13, CASE_A, 3, priced.clone()),
            ]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.bill.priced",
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1]["status"], "applied", "{outcomes:?}");
    // A lost certificate is issued again to the one who collected it, with
    // a number of the home's block, never one from outside it.
    let mut collected = priced.clone();
    collected["certificate"]["state"] = json!("collected");
    collected["certificate"]["collected"] = json!({ "name": "王小明", "doc_type": "id_card", "doc_number": id_number("43010219700101003"), "at": "2026-03-05T09:00:00" });
    let reissued = |number: &str| {
        let mut body = collected.clone();
        body["certificate"]["reissues"] = json!([{ "number": number, "issued_on": "2026-03-05", "doc_number": id_number("43010219700101003"), "by": "业务员", "reason": "遗失" }]);
        body
    };
    let outcomes = p
        .push(
            &desk,
            json!([
                funeral_entry(14, CASE_A, 4, reissued("HZ430100-2026-000009")),
                funeral_entry(15, CASE_A, 4, reissued("HZ430100-2026-000002")),
            ]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.certificate.reissues[0].number",
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1]["status"], "applied", "{outcomes:?}");
    for query in [
        "from=2026-1&to=2026-03",
        "from=2026-04&to=2026-03",
        "from=2026-01",
    ] {
        let (status, body) = p
            .call(
                "GET",
                &format!("/api/v1/funeral/figures?{query}"),
                Some(&desk),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
    }
}

/// The province's fee standard binds every home in it: the province's
/// admin publishes it (a city's admin cannot publish one for the province),
/// a home's schedule off its list or dearer than it is refused, and a bill
/// waives at least what the standard waives.
async fn a_home_s_schedule_cannot_undercut_the_province_s_standard(p: Platform) {
    let admin = p.token("admin", DEVICE_A).await;
    let city = p.token("city_admin", DEVICE_B).await;
    let head = p.token("funeral2", DEVICE_C).await;
    let item = |code: &str, price: i64, basic: bool| json!({ "code": code, "name": code, "unit": "次", "unit_price_fen": price, "basic": basic });
    let standard = |region: &str| {
        json!({
            "region": region,
            "items": [item("transport", 30000, true), item("urn_basic", 20000, true)],
            "waivers": [{ "items": ["transport", "urn_basic"], "max_units": null, "cap_fen": null, "grounds": ["dibao"] }],
        })
    };
    let entry = |seq: i64, kind: &str, id: &str, data: Value| json!([{ "device_seq": seq, "kind": kind, "record_id": id, "op": "upsert", "base_version": 0, "data": data }]);
    const STANDARD: &str = "01920000-0000-7000-8000-0000000005a1";
    const HOME: &str = "01920000-0000-7000-8000-0000000005a2";
    // The city's admin keeps the city's standard, never the province's.
    let outcomes = p
        .push(
            &city,
            entry(1, "funeral_standard", STANDARD, standard("430000")),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.region", "{outcomes:?}");
    let outcomes = p
        .push(
            &admin,
            entry(1, "funeral_standard", STANDARD, standard("430000")),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    // The home reads it; the home cannot write it.
    let pulled = p.pull_all(&head).await;
    assert!(
        pulled.iter().any(|c| c["kind"] == "funeral_standard"),
        "{pulled:?}"
    );
    let outcomes = p
        .push(
            &head,
            entry(
                1,
                "funeral_standard",
                "01920000-0000-7000-8000-0000000005a3",
                standard("430100"),
            ),
        )
        .await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");

    // Dearer than the list, or off it: refused, naming the item.
    for (seq, items, field) in [
        (
            2,
            json!([item("transport", 35000, true)]),
            "data.fee_items[0].unit_price_fen",
        ),
        (
            3,
            json!([
                item("transport", 30000, true),
                item("fireworks", 100, false)
            ]),
            "data.fee_items[1].code",
        ),
    ] {
        let outcomes = p
            .push(
                &head,
                entry(
                    seq,
                    "funeral_home",
                    HOME,
                    json!({ "fee_items": items, "waivers": [] }),
                ),
            )
            .await;
        assert_eq!(rejected_field(&outcomes[0]), field, "{outcomes:?}");
    }
    // Within it, with no waiver of its own: applied.
    let home = json!({ "fee_items": [item("transport", 28000, true), item("urn_basic", 20000, true)], "waivers": [] });
    let outcomes = p
        .push(&head, entry(4, "funeral_home", HOME, home.clone()))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // The pure rule the platform runs: a 低保 bill under this home waives
    // what the province waives, though the home waives nothing itself.
    let home: mz_api::funeral::home::FuneralHomeData = serde_json::from_value(home).unwrap();
    let standard: mz_api::funeral::standard::FuneralStandardData =
        serde_json::from_value(standard("430000")).unwrap();
    let ordered = [("transport".to_owned(), 1), ("urn_basic".to_owned(), 1)];
    let bill = mz_api::funeral::standard::bill(
        &home,
        &[standard],
        &ordered,
        Some(mz_domain::funeral::WaiverGround::Dibao),
    )
    .unwrap();
    assert_eq!((bill.total_fen, bill.payable_fen), (48000, 0));
}

/// A plot is sold only as the home's layout offers it: a plot it does not
/// have, a price of the desk's own, a number outside the home's block and a
/// burial beyond the plot's room are refused; two desks selling one plot
/// meet as a conflict; a sale is final.
async fn a_cemetery_plot_is_sold_at_its_layout_s_price_under_a_number_of_its_home(p: Platform) {
    let head = p.token("funeral2", DEVICE_A).await;
    let desk = p.token("funeral", DEVICE_B).await;
    let other = p.token("funeral", DEVICE_C).await;
    let (status, block) = p
        .call(
            "POST",
            "/api/v1/numbers/blocks",
            Some(&desk),
            Some(json!({ "key": "GM-430100-2026", "size": 5 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{block}");
    let layout = json!({
        "name": "福寿园",
        "sections": [{ "code": "A", "name": "福区", "rows": [{ "code": "01", "plots": [
            { "number": "01", "capacity": 1, "price_fen": 3000000, "fee_per_year_fen": 10000 },
            { "number": "02", "capacity": 2, "price_fen": 5000000, "fee_per_year_fen": 15000 }
        ] }] }],
    });
    let outcomes = p
        .push(
            &head,
            json!([entry(
                1,
                "cemetery",
                "01920000-0000-7000-8000-0000000006a0",
                0,
                layout
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let sold = |plot: &str, number: &str, price: i64| {
        json!({
            "plot": plot, "state": "sold",
            "contract": {
                "number": number,
                "holder": { "name": "王志刚", "doc_type": "id_card", "doc_number": id_number("43010219700101003"), "phone": "13800000000" },
                "signed_on": "2026-03-05", "price_fen": price, "fee_fen": 200000, "years": 20,
                "fee_until": "2046-03-05", "renewals": [], "by": "业务员"
            },
        })
    };
    const PLOT_1: &str = "01920000-0000-7000-8000-0000000006a1";
    const PLOT_2: &str = "01920000-0000-7000-8000-0000000006a2";
    let first = block["first"].as_i64().unwrap();
    let number = |n: i64| format!("GM430100-2026-{n:06}");
    let outcomes = p
        .push(
            &desk,
            json!([
                entry(
                    1,
                    "cemetery_plot",
                    PLOT_1,
                    0,
                    sold("A-01-09", &number(first), 3000000)
                ),
                entry(
                    2,
                    "cemetery_plot",
                    PLOT_1,
                    0,
                    sold("A-01-01", &number(first), 100)
                ),
                entry(
                    3,
                    "cemetery_plot",
                    PLOT_1,
                    0,
                    sold("A-01-01", &number(first + 40), 3000000)
                ),
                entry(
                    4,
                    "cemetery_plot",
                    PLOT_1,
                    0,
                    sold("A-01-01", &number(first), 3000000)
                ),
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.plot", "{outcomes:?}");
    assert_eq!(
        rejected_field(&outcomes[1]),
        "data.contract.price_fen",
        "{outcomes:?}"
    );
    assert_eq!(
        rejected_field(&outcomes[2]),
        "data.contract.number",
        "{outcomes:?}"
    );
    assert_eq!(outcomes[3]["status"], "applied", "{outcomes:?}");
    // Another desk sold the same plot offline: a conflict, not a second sale.
    let outcomes = p
        .push(
            &other,
            json!([entry(
                1,
                "cemetery_plot",
                PLOT_2,
                0,
                sold("A-01-01", &number(first + 1), 3000000)
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "conflict", "{outcomes:?}");
    // Final: never free again; one burial in a single plot, not two.
    let mut freed = sold("A-01-01", &number(first), 3000000);
    freed["state"] = json!("free");
    freed["contract"] = Value::Null;
    let burial = |name: &str| json!({ "name": name, "on": "2026-03-05", "by": "业务员" });
    let mut two = sold("A-01-01", &number(first), 3000000);
    two["state"] = json!("used");
    two["burials"] = json!([burial("王秀英"), burial("王大明")]);
    let mut one = two.clone();
    one["burials"] = json!([burial("王秀英")]);
    let outcomes = p
        .push(
            &desk,
            json!([
                entry(5, "cemetery_plot", PLOT_1, 1, freed),
                entry(6, "cemetery_plot", PLOT_1, 1, two),
                entry(7, "cemetery_plot", PLOT_1, 1, one),
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.state", "{outcomes:?}");
    assert_eq!(rejected_field(&outcomes[1]), "data.burials", "{outcomes:?}");
    assert_eq!(outcomes[2]["status"], "applied", "{outcomes:?}");
}

/// A confidential activity reaches its leader and their secretary and no one
/// else — not the office clerk's pull, nor their history, nor another
/// leader's secretary — and made public it reaches the department; made
/// confidential again, those who lost it are told it is gone. A secretary
/// keeps only the leaders they serve, and a leader in two places at once is
/// refused unless the reason is written.
async fn a_leader_s_confidential_activity_reaches_only_them_and_their_secretary(p: Platform) {
    let (l1, l2, s1, s2) = (
        p.user_id("leader").await,
        p.user_id("leader2").await,
        p.user_id("secretary").await,
        p.user_id("secretary2").await,
    );
    let office = p.token("office", DEVICE_A).await;
    let secretary = p.token("secretary", DEVICE_B).await;
    let setup = json!({
        "leaders": [
            { "user_id": l1, "name": "王厅长", "title": "厅长", "principal": true },
            { "user_id": l2, "name": "李副厅长", "title": "副厅长", "executive_deputy": true }
        ],
        "secretaries": [
            { "user_id": s1, "name": "秘书甲", "leaders": [l1] },
            { "user_id": s2, "name": "秘书乙", "leaders": [l2] }
        ],
    });
    let outcomes = p
        .push(
            &secretary,
            json!([entry(
                1,
                "schedule_setup",
                "01920000-0000-7000-8000-0000000007a0",
                0,
                setup.clone()
            )]),
        )
        .await;
    assert_eq!(
        outcomes[0]["code"], "forbidden",
        "the office keeps the setup"
    );
    let outcomes = p
        .push(
            &office,
            json!([entry(
                1,
                "schedule_setup",
                "01920000-0000-7000-8000-0000000007a0",
                0,
                setup
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    let activity = |leaders: Vec<&str>, start: &str, end: &str, visibility: &str| {
        json!({
            "leaders": leaders,
            "when": { "kind": "timed", "start": start, "end": end },
            "place": "省政府", "content": "专题会议", "visibility": visibility,
        })
    };
    const TALK: &str = "01920000-0000-7000-8000-0000000007a1";
    let talk = activity(
        vec![&l1],
        "2026-03-06T09:00:00",
        "2026-03-06T10:00:00",
        "confidential",
    );
    let outcomes = p
        .push(
            &secretary,
            json!([
                // Not this secretary's leader.
                entry(
                    2,
                    "schedule_activity",
                    "01920000-0000-7000-8000-0000000007a2",
                    0,
                    activity(
                        vec![&l2],
                        "2026-03-06T09:00:00",
                        "2026-03-06T10:00:00",
                        "public"
                    )
                ),
                entry(3, "schedule_activity", TALK, 0, talk.clone()),
            ]),
        )
        .await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");
    assert_eq!(outcomes[1]["status"], "applied", "{outcomes:?}");

    let sees = |token: String| {
        let p = &p;
        async move {
            p.pull_all(&token)
                .await
                .iter()
                .filter(|c| c["record_id"] == TALK)
                .map(|c| {
                    (
                        c["deleted"].as_bool().unwrap(),
                        c["version"].as_i64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let leader = p.token("leader", DEVICE_C).await;
    let other_secretary = p.token("secretary2", DEVICE_C).await;
    let leader2 = p.token("leader2", DEVICE_B).await;
    assert_eq!(sees(leader.clone()).await, [(false, 1)]);
    assert_eq!(sees(secretary.clone()).await, [(false, 1)]);
    for token in [&office, &other_secretary, &leader2] {
        assert!(sees(token.clone()).await.is_empty(), "confidential");
    }
    let (status, _) = p
        .call(
            "GET",
            &format!("/api/v1/records/schedule_activity/{TALK}/history"),
            Some(&office),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, history) = p
        .call(
            "GET",
            &format!("/api/v1/records/schedule_activity/{TALK}/history"),
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    // The office clerk cannot write over it either, nor learn it by a conflict.
    let outcomes = p
        .push(
            &office,
            json!([entry(2, "schedule_activity", TALK, 0, talk.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");

    // The same leader elsewhere at the same time: refused, unless the reason is given.
    const VISIT: &str = "01920000-0000-7000-8000-0000000007a3";
    let mut visit = activity(
        vec![&l1],
        "2026-03-06T09:30:00",
        "2026-03-06T11:00:00",
        "public",
    );
    let outcomes = p
        .push(
            &office,
            json!([entry(3, "schedule_activity", VISIT, 0, visit.clone())]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.when", "{outcomes:?}");
    let reason = outcomes[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("另一项活动") && !reason.contains("专题会议"),
        "{reason}"
    );
    visit["override_reason"] = json!("厅长先赴省政府，会后即到");
    let outcomes = p
        .push(
            &office,
            json!([entry(4, "schedule_activity", VISIT, 0, visit)]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // Made public, the department reads it; confidential again, the office is told it is gone.
    let mut public = talk.clone();
    public["visibility"] = json!("public");
    let outcomes = p
        .push(
            &secretary,
            json!([entry(4, "schedule_activity", TALK, 1, public)]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    assert_eq!(sees(office.clone()).await, [(false, 2)]);
    let outcomes = p
        .push(
            &secretary,
            json!([entry(5, "schedule_activity", TALK, 2, talk)]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    assert_eq!(
        sees(office.clone()).await,
        [(false, 2), (true, 3)],
        "a tombstone"
    );
    assert_eq!(
        sees(leader).await,
        [(false, 1), (false, 2), (false, 3)],
        "no tombstone for the leader"
    );

    // The principal away on a trip; the executive deputy away at the same
    // time is refused until the reason is written. The office reads both.
    let away = |leader: &str, from: &str, to: &str| json!({ "leader": leader, "kind": "trip", "destination": "北京", "from": from, "from_slot": "morning", "to": to, "to_slot": "evening", "stand_in": l2 });
    let outcomes = p
        .push(
            &secretary,
            json!([entry(
                6,
                "away_report",
                "01920000-0000-7000-8000-0000000007b1",
                0,
                away(&l1, "2026-03-09", "2026-03-10")
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let mut deputy = away(&l2, "2026-03-10", "2026-03-11");
    deputy["stand_in"] = Value::Null;
    let outcomes = p
        .push(
            &other_secretary,
            json!([entry(
                1,
                "away_report",
                "01920000-0000-7000-8000-0000000007b2",
                0,
                deputy.clone()
            )]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.from", "{outcomes:?}");
    deputy["override_reason"] = json!("国务院召开的专题会议，厅长已同意");
    let outcomes = p
        .push(
            &other_secretary,
            json!([entry(
                2,
                "away_report",
                "01920000-0000-7000-8000-0000000007b2",
                0,
                deputy
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let reports = p
        .pull_all(&office)
        .await
        .iter()
        .filter(|c| c["kind"] == "away_report")
        .count();
    assert_eq!(reports, 2);
}

/// A weekly series is one leader's on each of its days: a visit on one of
/// them is refused, until that occurrence moves on its own (two desks that
/// move the same occurrence offline meet as a conflict); a series that
/// never ends is refused. The leader's phone feed, made by their secretary
/// (not by another leader's), carries the series with its moved occurrence
/// in China's zone, a confidential talk as busy only, asks to be fetched
/// again in hours, logs each fetch, and answers 404 once revoked.
async fn a_weekly_series_holds_its_leader_and_the_phone_feed_carries_it(p: Platform) {
    let (l1, l2, s1, s2) = (
        p.user_id("leader").await,
        p.user_id("leader2").await,
        p.user_id("secretary").await,
        p.user_id("secretary2").await,
    );
    let head = p.user_id("office_head").await;
    let office = p.token("office", DEVICE_A).await;
    let secretary = p.token("secretary", DEVICE_B).await;
    let setup = json!({
        "office_head": head,
        "leaders": [
            { "user_id": l1, "name": "王厅长", "title": "厅长", "principal": true },
            { "user_id": l2, "name": "李副厅长", "title": "副厅长" }
        ],
        "secretaries": [
            { "user_id": s1, "name": "秘书甲", "leaders": [l1] },
            { "user_id": s2, "name": "秘书乙", "leaders": [l2] }
        ],
    });
    let outcomes = p
        .push(
            &office,
            json!([entry(
                1,
                "schedule_setup",
                "01920000-0000-7000-8000-0000000008a0",
                0,
                setup
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    const SERIES: &str = "01920000-0000-7000-8000-0000000008a1";
    let weekly = json!({
        "leaders": [l1], "when": { "kind": "timed", "start": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00" },
        "place": "厅机关 3 楼会议室", "content": "厅务会", "visibility": "internal",
        "repeat": { "rule": "FREQ=WEEKLY;BYDAY=MO;COUNT=4" },
    });
    let mut endless = weekly.clone();
    endless["repeat"]["rule"] = json!("FREQ=WEEKLY;BYDAY=MO");
    let talk = json!({
        "leaders": [l1], "when": { "kind": "timed", "start": "2026-03-04T15:00:00", "end": "2026-03-04T16:00:00" },
        "place": "厅长办公室", "content": "约谈", "visibility": "confidential",
    });
    let outcomes = p
        .push(
            &secretary,
            json!([
                entry(
                    1,
                    "schedule_activity",
                    "01920000-0000-7000-8000-0000000008a9",
                    0,
                    endless
                ),
                entry(2, "schedule_activity", SERIES, 0, weekly),
                entry(
                    3,
                    "schedule_activity",
                    "01920000-0000-7000-8000-0000000008a8",
                    0,
                    talk
                ),
            ]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.repeat.rule",
        "{outcomes:?}"
    );
    assert!(
        outcomes[0]["reason"]
            .as_str()
            .unwrap()
            .contains("不能无限重复")
    );
    assert_eq!(outcomes[1]["status"], "applied", "{outcomes:?}");
    assert_eq!(outcomes[2]["status"], "applied", "{outcomes:?}");

    // A visit on the third Monday meets the series there.
    const VISIT: &str = "01920000-0000-7000-8000-0000000008a2";
    let visit = json!({
        "leaders": [l1], "when": { "kind": "timed", "start": "2026-03-16T09:30:00", "end": "2026-03-16T11:00:00" },
        "place": "省政府", "content": "省政府专题会", "visibility": "public",
    });
    let outcomes = p
        .push(
            &office,
            json!([entry(2, "schedule_activity", VISIT, 0, visit.clone())]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.when", "{outcomes:?}");
    assert!(
        outcomes[0]["reason"]
            .as_str()
            .unwrap()
            .contains("2026-03-16"),
        "{outcomes:?}"
    );
    // That Monday's meeting moves to the afternoon on its own; the visit fits.
    let moved = json!({
        "leaders": [l1], "when": { "kind": "timed", "start": "2026-03-16T15:00:00", "end": "2026-03-16T16:00:00" },
        "place": "厅机关 3 楼会议室", "content": "厅务会（改在下午）", "visibility": "internal",
        "occurrence_of": { "series": SERIES, "start": "2026-03-16T09:00:00" },
    });
    const MOVED: &str = "01920000-0000-7000-8000-0000000008a3";
    let outcomes = p
        .push(
            &secretary,
            json!([entry(4, "schedule_activity", MOVED, 0, moved.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let outcomes = p
        .push(
            &office,
            json!([entry(3, "schedule_activity", VISIT, 0, visit)]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    // The office moved the same occurrence offline too: a conflict with the first.
    let mut again = moved.clone();
    again["when"]["start"] = json!("2026-03-16T16:00:00");
    again["when"]["end"] = json!("2026-03-16T17:00:00");
    let outcomes = p
        .push(
            &office,
            json!([entry(
                4,
                "schedule_activity",
                "01920000-0000-7000-8000-0000000008a4",
                0,
                again
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "conflict", "{outcomes:?}");

    // An occurrence of a series stands in only for one of its days, and only
    // by who keeps its leaders.
    let other_secretary = p.token("secretary2", DEVICE_C).await;
    let mut stranger = moved.clone();
    stranger["leaders"] = json!([l2]);
    let outcomes = p
        .push(
            &other_secretary,
            json!([entry(
                1,
                "schedule_activity",
                "01920000-0000-7000-8000-0000000008a5",
                0,
                stranger
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");
    let mut off_day = moved.clone();
    off_day["occurrence_of"]["start"] = json!("2026-03-17T09:00:00");
    let outcomes = p
        .push(
            &secretary,
            json!([entry(
                5,
                "schedule_activity",
                "01920000-0000-7000-8000-0000000008a6",
                0,
                off_day
            )]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.occurrence_of",
        "{outcomes:?}"
    );

    // The office head is handed over by the head, not taken by a clerk; a
    // feed never shows a confidential activity in full.
    let stored_setup = p
        .pull_all(&office)
        .await
        .into_iter()
        .find(|c| c["kind"] == "schedule_setup")
        .unwrap()["data"]
        .clone();
    let mut taken = stored_setup.clone();
    taken["office_head"] = json!(p.user_id("office").await);
    let outcomes = p
        .push(
            &office,
            json!([entry(
                5,
                "schedule_setup",
                "01920000-0000-7000-8000-0000000008a0",
                1,
                taken
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");
    assert_eq!(outcomes[0]["field"], "data.office_head", "{outcomes:?}");
    let mut shown = stored_setup;
    shown["feed_confidential"] = json!("shown");
    let outcomes = p
        .push(
            &office,
            json!([entry(
                6,
                "schedule_setup",
                "01920000-0000-7000-8000-0000000008a0",
                1,
                shown
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "rejected", "{outcomes:?}");

    // The week's table: a clerk submits it; only the office head publishes
    // it, under the head's own name whatever the desk wrote.
    const WEEK: &str = "01920000-0000-7000-8000-0000000008b0";
    let week = |approved: Option<&str>| json!({ "monday": "2026-03-16", "published_at": "2026-03-15T18:00:00", "by": "office", "items": [], "approved_by": approved });
    let outcomes = p
        .push(
            &office,
            json!([
                entry(7, "schedule_week", WEEK, 0, week(Some("office"))),
                entry(8, "schedule_week", WEEK, 0, week(None)),
            ]),
        )
        .await;
    assert_eq!(outcomes[0]["code"], "forbidden", "{outcomes:?}");
    assert_eq!(outcomes[0]["field"], "data.approved_by", "{outcomes:?}");
    assert_eq!(outcomes[1]["status"], "applied", "{outcomes:?}");
    let office_head = p.token("office_head", DEVICE_D).await;
    let outcomes = p
        .push(
            &office_head,
            json!([entry(
                1,
                "schedule_week",
                WEEK,
                1,
                week(Some("someone else"))
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let stored: String = sqlx::query_scalar("SELECT data FROM records WHERE id = $1")
        .bind(WEEK)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&stored).unwrap()["approved_by"],
        "office_head"
    );

    // The phone feed: the secretary makes the leader's, not another's.
    let (status, _) = p
        .call(
            "POST",
            "/api/v1/schedule/feeds",
            Some(&other_secretary),
            Some(json!({ "leader": l1 })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, made) = p
        .call(
            "POST",
            "/api/v1/schedule/feeds",
            Some(&secretary),
            Some(json!({ "leader": l1 })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let path = made["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/api/v1/schedule/feed/mzf_") && path.ends_with(".ics"));
    let token = path
        .trim_start_matches("/api/v1/schedule/feed/")
        .trim_end_matches(".ics");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM schedule_feeds WHERE token_hash = $1")
            .bind(token)
            .fetch_one(&p.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "only the token's hash is kept");
    let (status, feed) = p.call("GET", &path, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let text = feed.as_str().unwrap();
    for expected in [
        "BEGIN:VCALENDAR",
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Shanghai",
        "DTSTART;TZID=Asia/Shanghai:20260302T090000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4",
        "RECURRENCE-ID;TZID=Asia/Shanghai:20260316T090000",
        "REFRESH-INTERVAL;VALUE=DURATION:PT4H",
        "SUMMARY:省政府专题会",
        "SUMMARY:忙",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert!(
        !text.contains("约谈"),
        "a confidential activity is busy only"
    );
    let (_, listed) = p
        .call("GET", "/api/v1/schedule/feeds", Some(&secretary), None)
        .await;
    assert_eq!(listed[0]["fetches"], 1, "{listed}");
    assert!(listed[0]["last_fetch_at"].is_string(), "{listed}");
    let (_, listed) = p
        .call(
            "GET",
            "/api/v1/schedule/feeds",
            Some(&other_secretary),
            None,
        )
        .await;
    assert_eq!(listed, json!([]), "another leader's secretary sees none");
    let id = made["feed"]["id"].as_str().unwrap();
    let (status, revoked) = p
        .call(
            "DELETE",
            &format!("/api/v1/schedule/feeds/{id}"),
            Some(&secretary),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    let (status, _) = p.call("GET", &path, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "revoked at once");
    let (status, _) = p
        .call("GET", "/api/v1/schedule/feed/mzf_guess.ics", None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// An office step as a desk takes it: the entry appended to the body and
/// applied, as `who`.
fn office_step(
    body: Option<&mz_api::office::OfficeDocumentData>,
    content: &mz_api::office::OfficeDocumentData,
    who: &mz_api::office::Actor,
    // The desk's view of who signs: the platform checks it again.
    authority: &mz_api::office::Authority,
    action: mz_api::office::Action,
    opinion: &str,
    minute: u32,
) -> mz_api::office::OfficeDocumentData {
    use mz_api::office::{Direction, StepEntry};
    use mz_domain::office::Step;
    let entry = StepEntry {
        step: body.map_or(
            match content.direction {
                Direction::Outgoing => Step::Draft,
                Direction::Incoming => Step::FirstCheck,
            },
            |b| b.step,
        ),
        action,
        by: who.person.clone(),
        // 2026-03-05, before the platform's 09:00.
        at: chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
            .unwrap()
            .and_hms_opt(8, minute, 0)
            .unwrap(),
        opinion: opinion.to_owned(),
        deadline: None,
        on_behalf_of: None,
    };
    match mz_api::office::apply(body, &entry, content, who, authority) {
        Ok(next) => next,
        // A step the desk would refuse is still pushed as the test builds it.
        Err(_) => {
            let mut next = body.cloned().unwrap_or_else(|| content.clone());
            next.steps.push(entry);
            next
        }
    }
}

async fn a_document_goes_from_draft_to_the_recipient_unit_signed_by_whom_it_must_be(p: Platform) {
    use mz_api::office::{Action, Actor, OfficeDocumentData, Person, UnitRef};
    let person = |id: String, name: &str| Person {
        user_id: id,
        name: name.to_owned(),
    };
    let (l1, l2) = (p.user_id("leader").await, p.user_id("leader2").await);
    let office_id = p.user_id("office").await;
    let office = p.token("office", DEVICE_A).await;
    let leader = p.token("leader", DEVICE_B).await;
    let leader2 = p.token("leader2", DEVICE_C).await;
    let setup = json!({
        "leaders": [
            { "user_id": l1, "name": "leader", "title": "厅长", "principal": true },
            { "user_id": l2, "name": "leader2", "title": "副厅长" }
        ],
    });
    let outcomes = p
        .push(
            &office,
            json!([entry(
                1,
                "schedule_setup",
                "01920000-0000-7000-8000-0000000008a0",
                0,
                setup
            )]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");
    let authority = mz_api::office::Authority {
        leaders: vec![(l1.clone(), true), (l2.clone(), false)],
        ..Default::default()
    };
    let clerk = Actor {
        person: person(office_id.clone(), "office"),
        office: true,
        leader: false,
    };
    let principal = Actor {
        person: person(l1.clone(), "leader"),
        office: false,
        leader: true,
    };
    let deputy = Actor {
        person: person(l2.clone(), "leader2"),
        office: false,
        leader: true,
    };
    let document: mz_api::documents::OfficialDocument = serde_json::from_value(json!({
        "issuer_mark": "湖南省民政厅文件", "doc_number": "", "title": "关于做好冬季救助工作的请示",
        "recipients": ["长沙市民政局"], "body": [{ "level": 0, "text": "现将有关事项请示如下。" }],
        "signature": "湖南省民政厅", "date": "", "sealed": true
    }))
    .unwrap();
    let draft: OfficeDocumentData = serde_json::from_value(json!({
        "direction": "outgoing", "kind": "请示", "title": "关于做好冬季救助工作的请示",
        "document": document, "step": "draft", "steps": []
    }))
    .unwrap();
    const DOC: &str = "01920000-0000-7000-8000-0000000008a1";
    let platform = &p;
    let push = |token: &str, seq: i64, id: &str, base: i64, body: &OfficeDocumentData| {
        let data = serde_json::to_value(body).unwrap();
        let token = token.to_owned();
        let id = id.to_owned();
        async move {
            let outcomes = platform
                .push(
                    &token,
                    json!([entry(seq, "office_document", &id, base, data)]),
                )
                .await;
            outcomes[0].clone()
        }
    };
    // A registrar has no documents.
    let registrar = p.token("registrar", DEVICE_D).await;
    let created = office_step(None, &draft, &clerk, &authority, Action::Create, "", 0);
    let outcome = push(&registrar, 1, DOC, 0, &created).await;
    assert_eq!(outcome["code"], "forbidden", "{outcome}");

    applied(&push(&office, 2, DOC, 0, &created).await);
    let submitted = office_step(
        Some(&created),
        &created,
        &clerk,
        &authority,
        Action::Submit,
        "",
        1,
    );
    applied(&push(&office, 3, DOC, 1, &submitted).await);
    // A request (请示) goes upward: the deputy may not be named to sign it.
    let to_deputy = office_step(
        Some(&submitted),
        &submitted,
        &clerk,
        &authority,
        Action::Approve {
            signer: deputy.person.clone(),
        },
        "",
        2,
    );
    let outcome = push(&office, 4, DOC, 2, &to_deputy).await;
    assert_eq!(rejected_field(&outcome), "data.signer", "{outcome}");
    assert!(
        outcome["reason"].as_str().unwrap().contains("主要负责人"),
        "{outcome}"
    );
    let approved = office_step(
        Some(&submitted),
        &submitted,
        &clerk,
        &authority,
        Action::Approve {
            signer: principal.person.clone(),
        },
        "拟同意",
        2,
    );
    applied(&push(&office, 5, DOC, 2, &approved).await);
    // The deputy signs in the principal's place only standing in for them.
    let sign = |who: &Actor, on_behalf_of| {
        office_step(
            Some(&approved),
            &approved,
            who,
            &authority,
            Action::SignOff {
                circled: false,
                on_behalf_of,
            },
            "同意",
            3,
        )
    };
    let by_deputy = sign(&deputy, Some(principal.person.clone()));
    let outcome = push(&leader2, 1, DOC, 3, &by_deputy).await;
    assert_eq!(outcome["code"], "forbidden", "{outcome}");
    // A body that its steps do not make.
    let mut forged = sign(&principal, None);
    forged.step = mz_domain::office::Step::Distribute;
    let outcome = push(&leader, 1, DOC, 3, &forged).await;
    assert!(
        outcome["reason"].as_str().unwrap().contains("不符"),
        "{outcome}"
    );
    let signed = sign(&principal, None);
    applied(&push(&leader, 2, DOC, 3, &signed).await);
    assert_eq!(signed.document.as_ref().unwrap().date, "2026-03-05");
    // The same step taken again from a desk that had not seen it.
    let outcome = push(&leader, 3, DOC, 3, &signed).await;
    assert_eq!(outcome["status"], "conflict", "{outcome}");

    let checked = office_step(
        Some(&signed),
        &signed,
        &clerk,
        &authority,
        Action::Check,
        "",
        4,
    );
    applied(&push(&office, 6, DOC, 4, &checked).await);
    let register = |number: &str, code: &str| Action::Register {
        number: number.to_owned(),
        recipients: vec![UnitRef {
            code: code.to_owned(),
            name: "长沙市民政局".to_owned(),
        }],
        copies: 10,
    };
    let nowhere = office_step(
        Some(&checked),
        &checked,
        &clerk,
        &authority,
        register("湘民〔2026〕1号", "439999-civil"),
        "",
        5,
    );
    let outcome = push(&office, 7, DOC, 5, &nowhere).await;
    assert_eq!(
        rejected_field(&outcome),
        "data.registration.recipients",
        "{outcome}"
    );
    let registered = office_step(
        Some(&checked),
        &checked,
        &clerk,
        &authority,
        register("湘民〔2026〕1号", "430100-civil"),
        "",
        5,
    );
    applied(&push(&office, 8, DOC, 5, &registered).await);
    let printed = office_step(
        Some(&registered),
        &registered,
        &clerk,
        &authority,
        Action::Print,
        "",
        6,
    );
    let sent = office_step(
        Some(&printed),
        &printed,
        &clerk,
        &authority,
        Action::Distribute,
        "",
        7,
    );
    let outcomes = p
        .push(
            &office,
            json!([
                entry(
                    9,
                    "office_document",
                    DOC,
                    6,
                    serde_json::to_value(&printed).unwrap()
                ),
                entry(
                    10,
                    "office_document",
                    DOC,
                    7,
                    serde_json::to_value(&sent).unwrap()
                ),
            ]),
        )
        .await;
    assert!(
        outcomes.iter().all(|o| o["status"] == "applied"),
        "{outcomes:?}"
    );

    // A second document numbered the same, as a second desk offline would:
    // every step of it taken as it must be, up to its registration.
    const OTHER: &str = "01920000-0000-7000-8000-0000000008a2";
    let mut second = draft.clone();
    second.title = "关于另一事项的请示".to_owned();
    let o1 = office_step(None, &second, &clerk, &authority, Action::Create, "", 10);
    applied(&push(&office, 11, OTHER, 0, &o1).await);
    let o2 = office_step(Some(&o1), &o1, &clerk, &authority, Action::Submit, "", 11);
    applied(&push(&office, 12, OTHER, 1, &o2).await);
    let to_principal = Action::Approve {
        signer: principal.person.clone(),
    };
    let o3 = office_step(Some(&o2), &o2, &clerk, &authority, to_principal, "", 12);
    applied(&push(&office, 13, OTHER, 2, &o3).await);
    let circled = Action::SignOff {
        circled: true,
        on_behalf_of: None,
    };
    let o4 = office_step(Some(&o3), &o3, &principal, &authority, circled, "", 13);
    applied(&push(&leader, 4, OTHER, 3, &o4).await);
    let o5 = office_step(Some(&o4), &o4, &clerk, &authority, Action::Check, "", 14);
    applied(&push(&office, 14, OTHER, 4, &o5).await);
    let same = register("湘民〔2026〕1号", "430100-civil");
    let o6 = office_step(Some(&o5), &o5, &clerk, &authority, same, "", 15);
    let outcome = push(&office, 15, OTHER, 5, &o6).await;
    assert_eq!(
        outcome["status"], "conflict",
        "the number is the first document's: {outcome}"
    );

    // The recipient unit's office finds it and receives it, once.
    let city = p.token("city_office", DEVICE_D).await;
    let (status, list) = p
        .call("GET", "/api/v1/office/deliveries", Some(&city), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let delivery: mz_api::office::Delivery = serde_json::from_value(list[0].clone()).unwrap();
    assert_eq!(delivery.sent.number, "湘民〔2026〕1号");
    assert_eq!(delivery.from_name, "湖南省民政厅");
    let (status, _) = p
        .call("GET", "/api/v1/office/deliveries", Some(&leader), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let city_id = p.user_id("city_office").await;
    let city_clerk = Actor {
        person: person(city_id, "city_office"),
        office: true,
        leader: false,
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let mut tampered = delivery.sent.received(&delivery, day);
    tampered.title = "改过的标题".to_owned();
    let tampered = office_step(
        None,
        &tampered,
        &city_clerk,
        &authority,
        Action::Create,
        "",
        8,
    );
    let outcome = push(
        &city,
        21,
        "01920000-0000-7000-8000-0000000008b0",
        0,
        &tampered,
    )
    .await;
    assert_eq!(
        rejected_field(&outcome),
        "data.received.delivery",
        "{outcome}"
    );
    let incoming = office_step(
        None,
        &delivery.sent.received(&delivery, day),
        &city_clerk,
        &authority,
        Action::Create,
        "",
        8,
    );
    let outcome = push(
        &city,
        22,
        "01920000-0000-7000-8000-0000000008b1",
        0,
        &incoming,
    )
    .await;
    assert_eq!(outcome["status"], "applied", "{outcome}");
    let outcome = push(
        &city,
        23,
        "01920000-0000-7000-8000-0000000008b2",
        0,
        &incoming,
    )
    .await;
    assert_ne!(outcome["status"], "applied", "received once: {outcome}");
    let (_, list) = p
        .call("GET", "/api/v1/office/deliveries", Some(&city), None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");

    // Each unit reads its own documents only.
    let kinds = |changes: &[Value]| {
        changes
            .iter()
            .filter(|c| c["kind"] == "office_document")
            .map(|c| c["record_id"].as_str().unwrap().to_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(&p.pull_all(&city).await),
        ["01920000-0000-7000-8000-0000000008b1"]
    );
    assert_eq!(kinds(&p.pull_all(&leader2).await), [DOC, OTHER]);
    assert!(kinds(&p.pull_all(&registrar).await).is_empty());
}

async fn a_classified_document_reaches_no_desk_s_cache_and_only_its_people_read_it(p: Platform) {
    use mz_api::office::{Action, Actor, OfficeDocumentData, Person};
    let office_id = p.user_id("office").await;
    let office = p.token("office", DEVICE_A).await;
    let leader = p.token("leader", DEVICE_B).await;
    let other = p.token("office_head", DEVICE_C).await;
    let clerk = Actor {
        person: Person {
            user_id: office_id,
            name: "office".to_owned(),
        },
        office: true,
        leader: false,
    };
    let authority = mz_api::office::Authority::default();
    let secret: OfficeDocumentData = serde_json::from_value(json!({
        "direction": "incoming", "kind": "通知", "title": "关于某涉密事项的通知",
        "classification": { "level": "机密", "period": "10年" },
        "received": { "sender": "民政部", "sender_number": "民发〔2026〕9号", "received_on": "2026-03-05" },
        "step": "first_check", "steps": []
    }))
    .unwrap();
    const DOC: &str = "01920000-0000-7000-8000-0000000009a1";
    let created = office_step(None, &secret, &clerk, &authority, Action::Create, "", 0);
    let outcome = &p
        .push(
            &office,
            json!([entry(
                1,
                "office_document",
                DOC,
                0,
                serde_json::to_value(&created).unwrap()
            )]),
        )
        .await[0];
    applied(outcome);
    // Every desk that pulls it gets a removal, never the body.
    for token in [&office, &leader, &other] {
        for change in p
            .pull_all(token)
            .await
            .iter()
            .filter(|c| c["record_id"] == DOC)
        {
            assert_eq!(change["deleted"], true, "{change}");
            assert!(change["data"].is_null(), "{change}");
        }
    }
    // Read online by the people on it and the secretaries, each read audited.
    let (status, held) = p
        .call("GET", "/api/v1/office/classified", Some(&office), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{held}");
    assert_eq!(held.as_array().unwrap().len(), 1, "{held}");
    assert_eq!(held[0]["data"]["title"], "关于某涉密事项的通知");
    let (_, none) = p
        .call("GET", "/api/v1/office/classified", Some(&other), None)
        .await;
    assert_eq!(none.as_array().unwrap().len(), 0, "not on it: {none}");
    let (status, _) = p
        .call(
            "GET",
            &format!("/api/v1/office/classified/{DOC}"),
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let secretary = p.token("secretary", DEVICE_D).await;
    let (status, one) = p
        .call(
            "GET",
            &format!("/api/v1/office/classified/{DOC}"),
            Some(&secretary),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["version"], 1);
    let registrar = p.token("registrar", DEVICE_D).await;
    let (status, _) = p
        .call("GET", "/api/v1/office/classified", Some(&registrar), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A step on it from a desk that had an older version: the conflict
    // carries no body either.
    let accepted = office_step(
        Some(&created),
        &created,
        &clerk,
        &authority,
        Action::Accept,
        "",
        1,
    );
    applied(
        &p.push(
            &office,
            json!([entry(
                2,
                "office_document",
                DOC,
                1,
                serde_json::to_value(&accepted).unwrap()
            )]),
        )
        .await[0],
    );
    let outcome = &p
        .push(
            &office,
            json!([entry(
                3,
                "office_document",
                DOC,
                1,
                serde_json::to_value(&accepted).unwrap()
            )]),
        )
        .await[0];
    assert_eq!(outcome["status"], "conflict", "{outcome}");
    assert_eq!(outcome["current"]["deleted"], true, "{outcome}");
    assert!(outcome["current"]["data"].is_null(), "{outcome}");
    // A destruction the steps did not make (written into the register with
    // a comment for cover, or asked for before the document is done) is
    // refused, whatever the desk computed.
    let mut forged = office_step(
        Some(&accepted),
        &accepted,
        &clerk,
        &authority,
        Action::Comment,
        "意见",
        2,
    );
    forged.destructions.push(mz_api::office::Destruction {
        copies: vec![1],
        method: "碎纸机粉碎".to_owned(),
        reason: "已过保密期限".to_owned(),
        asked_by: clerk.person.clone(),
        asked_at: forged.steps.last().unwrap().at,
        approver: clerk.person.clone(),
        approved: Some(true),
        decided_at: None,
        decision: String::new(),
        destroyed_by: Some(clerk.person.clone()),
        witness: None,
        destroyed_at: None,
    });
    // Each sent over the accepted version, each refused.
    let refused = |seq: i64, body: &OfficeDocumentData| {
        let change = entry(
            seq,
            "office_document",
            DOC,
            2,
            serde_json::to_value(body).unwrap(),
        );
        let (p, office) = (&p, &office);
        async move {
            let outcome = p.push(office, json!([change])).await.remove(0);
            assert_eq!(rejected_field(&outcome), "data.steps", "{outcome}");
        }
    };
    refused(4, &forged).await;
    let early = mz_api::office::StepEntry {
        action: Action::AskDestroy {
            copies: vec![1],
            method: "碎纸机粉碎".to_owned(),
            approver: clerk.person.clone(),
        },
        ..forged.steps.last().unwrap().clone()
    };
    let mut asked = accepted.clone();
    asked.steps.push(early);
    refused(5, &asked).await;
}

macro_rules! on_both_backends {
    ($($story:ident $(($arg:expr, $pgarg:expr))?),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    super::$story(super::Platform::sqlite().await $(, $arg)?).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    super::$story(super::Platform::postgres().await $(, $pgarg)?).await;
                }
            )*
        }
    };
}

on_both_backends!(
    health_names_the_storage("sqlite", "postgres"),
    login_refresh_logout,
    five_failed_logins_from_one_address_hold_that_address_back_with_backoff,
    disabling_a_user_or_revoking_a_device_takes_effect_on_the_next_request,
    an_admin_edits_the_calendar_and_every_role_pulls_it,
    a_replayed_push_gets_the_stored_outcome_and_applies_once,
    a_stale_base_version_is_a_conflict_with_the_current_record,
    a_rejected_entry_does_not_block_those_after_it,
    only_the_province_admin_changes_the_calendar,
    bad_input_gets_the_error_shape_never_a_500,
    number_blocks_never_overlap_and_voided_numbers_are_kept,
    concurrent_pushes_make_one_gapless_ordered_feed,
    the_audit_chain_reveals_an_edited_or_deleted_row,
    the_last_audit_rows_removed_are_detected,
    the_openapi_document_covers_every_route,
    a_marriage_is_final_only_with_a_clear_check_and_a_number_of_its_office,
    a_divorce_is_registered_only_in_its_window_and_ends_the_marriage,
    the_demo_office_has_bookings_registrations_and_divorces,
    a_document_draft_is_shared_within_its_unit_only,
    a_funeral_case_is_cremated_only_with_its_papers_and_numbers_of_its_home,
    a_home_s_schedule_cannot_undercut_the_province_s_standard,
    a_cemetery_plot_is_sold_at_its_layout_s_price_under_a_number_of_its_home,
    a_leader_s_confidential_activity_reaches_only_them_and_their_secretary,
    a_weekly_series_holds_its_leader_and_the_phone_feed_carries_it,
    a_document_goes_from_draft_to_the_recipient_unit_signed_by_whom_it_must_be,
    a_classified_document_reaches_no_desk_s_cache_and_only_its_people_read_it,
    a_tracked_task_is_reported_on_and_closed_by_whom_the_rules_allow,
    a_delegation_is_written_by_whom_it_hands_over_and_only_cancelled,
);

async fn a_tracked_task_is_reported_on_and_closed_by_whom_the_rules_allow(p: Platform) {
    use mz_api::office::task::{TaskAction, TaskData, TaskEntry};
    use mz_api::office::{Actor, Person};
    let actor = |id: String, name: &str, office: bool, leader: bool| Actor {
        person: Person {
            user_id: id,
            name: name.to_owned(),
        },
        office,
        leader,
    };
    let clerk = actor(p.user_id("office").await, "office", true, false);
    let principal = actor(p.user_id("leader").await, "leader", false, true);
    let handler = actor(p.user_id("leader2").await, "leader2", false, true);
    let office = p.token("office", DEVICE_A).await;
    let leader = p.token("leader", DEVICE_B).await;
    let leader2 = p.token("leader2", DEVICE_C).await;
    const TASK: &str = "01920000-0000-7000-8000-0000000009a1";
    let content = TaskData {
        title: "落实冬季救助批示".to_owned(),
        requirement: "请一周内拿出方案。".to_owned(),
        source: None,
        lead: handler.person.clone(),
        co: Vec::new(),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
        reported_done: false,
        closed: false,
        entries: Vec::new(),
    };
    // 2026-03-05, before the platform's 09:00.
    let take = |body: Option<&TaskData>, who: &Actor, action: TaskAction, text: &str, minute| {
        let entry = TaskEntry {
            action,
            by: who.person.clone(),
            at: chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
                .unwrap()
                .and_hms_opt(8, minute, 0)
                .unwrap(),
            text: text.to_owned(),
        };
        let mut next = body.cloned().unwrap_or_else(|| content.clone());
        match mz_api::office::task::apply(body, &entry, &next, who) {
            Ok(applied) => applied,
            // What the desk would refuse is still pushed as the test builds it.
            Err(_) => {
                next.entries.push(entry);
                next
            }
        }
    };
    let platform = &p;
    let push = |token: &str, seq: i64, base: i64, body: &TaskData| {
        let data = serde_json::to_value(body).unwrap();
        let token = token.to_owned();
        async move {
            platform
                .push(&token, json!([entry(seq, "office_task", TASK, base, data)]))
                .await[0]
                .clone()
        }
    };
    let opened = take(None, &principal, TaskAction::Open, "", 0);
    assert_eq!(push(&leader, 1, 0, &opened).await["status"], "applied");
    // The office chases; someone not on the task may not report, nor close
    // it before a report.
    let chased = take(Some(&opened), &clerk, TaskAction::Chase, "", 1);
    assert_eq!(push(&office, 1, 1, &chased).await["status"], "applied");
    let stranger = take(
        Some(&chased),
        &clerk,
        TaskAction::Report { done: true },
        "已完成",
        2,
    );
    let refused = push(&office, 2, 2, &stranger).await;
    assert_eq!(refused["status"], "rejected", "{refused}");
    assert_eq!(refused["code"], "forbidden", "{refused}");
    // A report in the lead's name sent by someone else: refused.
    let mut forged = take(
        Some(&chased),
        &handler,
        TaskAction::Report { done: true },
        "已完成",
        2,
    );
    let refused = push(&office, 3, 2, &forged).await;
    assert_eq!(refused["status"], "rejected", "{refused}");
    // A deadline moved without its entry: refused.
    forged.deadline = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let refused = push(&leader2, 1, 2, &forged).await;
    assert_eq!(refused["status"], "rejected", "{refused}");
    // The lead reports it finished; the office closes it; a closed task is
    // final.
    let reported = take(
        Some(&chased),
        &handler,
        TaskAction::Report { done: true },
        "方案已印发",
        2,
    );
    assert_eq!(push(&leader2, 2, 2, &reported).await["status"], "applied");
    let closed = take(Some(&reported), &clerk, TaskAction::Close, "同意办结", 3);
    assert_eq!(push(&office, 4, 3, &closed).await["status"], "applied");
    let delete = p
        .push(
            &office,
            json!([{ "device_seq": 5, "kind": "office_task", "record_id": TASK, "op": "delete", "base_version": 4 }]),
        )
        .await;
    assert_eq!(delete[0]["status"], "rejected", "{delete:?}");
    // A registrar of another unit has no tasks.
    let registrar = p.token("registrar", DEVICE_D).await;
    let seen = p.pull_all(&registrar).await;
    assert!(seen.iter().all(|c| c["kind"] != "office_task"), "{seen:?}");
}

/// A TCP relay between the platform and PostgreSQL that a test can cut and
/// restore, as a network failure or a database restart would.
struct Relay {
    addr: std::net::SocketAddr,
    up: tokio::sync::watch::Sender<bool>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (up, watch) = tokio::sync::watch::channel(true);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut watch = watch.clone();
                if !*watch.borrow() {
                    continue; // dropped: the connection is refused
                }
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = watch.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Relay { addr, up }
    }

    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_answers_503_and_recovers_without_half_writes() {
    // Declared first, so dropped after everything that uses it.
    let test_database = TestDatabase::create().await;
    let direct = test_database.url.clone();
    let after_at = direct.rsplit_once('@').unwrap().1;
    let (host_port, database) = after_at.split_once('/').unwrap();
    let relay = Relay::start(host_port.to_owned()).await;
    let relayed = direct.replace(&format!("@{host_port}/"), &format!("@{}/", relay.addr));
    assert!(relayed.ends_with(database));
    let url: DbUrl = relayed.parse().unwrap();
    let p = Platform::with(Db::open(&url).await.unwrap(), None).await;
    let admin = p.token("admin", DEVICE_A).await;
    p.push(
        &admin,
        json!([upsert(1, CAL_A, 0, calendar(2026, &["2026-10-01"]))]),
    )
    .await;

    relay.set(false);
    let batch = json!({ "entries": [upsert(2, CAL_A, 1, calendar(2026, &["2026-10-02"])), upsert(3, CAL_B, 0, calendar(2027, &[]))] });
    let (status, body) = p
        .call(
            "POST",
            "/api/v1/sync/push",
            Some(&admin),
            Some(batch.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "unavailable");
    let (status, _) = p.call("GET", "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    relay.set(true);
    let (status, body) = p
        .call("POST", "/api/v1/sync/push", Some(&admin), Some(batch))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["outcomes"][0]["status"], "applied", "{body}");
    assert_eq!(body["outcomes"][1]["status"], "applied", "{body}");
    let changes = p.pull_all(&admin).await;
    assert_eq!(changes.len(), 3, "each change once, none half-written");
    assert!(matches!(
        mz_server::audit::verify(&p.db, None).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

mod library;
mod security;

async fn a_delegation_is_written_by_whom_it_hands_over_and_only_cancelled(p: Platform) {
    use mz_api::office::Person;
    use mz_api::office::delegation::DelegationData;
    let person = |id: String, name: &str| Person {
        user_id: id,
        name: name.to_owned(),
    };
    let principal = person(p.user_id("leader").await, "leader");
    let colleague = person(p.user_id("leader2").await, "leader2");
    let leader = p.token("leader", DEVICE_A).await;
    let leader2 = p.token("leader2", DEVICE_B).await;
    let office = p.token("office", DEVICE_C).await;
    const ID: &str = "01920000-0000-7000-8000-0000000009d1";
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let delegation = DelegationData {
        from: principal.clone(),
        to: colleague.clone(),
        start: day(5),
        end: day(9),
        reason: "外出学习".to_owned(),
        cancelled: false,
    };
    let push = |token: &str, seq: i64, base: i64, body: &DelegationData| {
        let change = entry(
            seq,
            "office_delegation",
            ID,
            base,
            serde_json::to_value(body).unwrap(),
        );
        let (p, token) = (&p, token.to_owned());
        async move { p.push(&token, json!([change])).await.remove(0) }
    };
    // Not in someone else's name (the office may write it for them).
    let forged = push(&leader2, 1, 0, &delegation).await;
    assert_eq!(rejected_field(&forged), "data.from", "{forged}");
    applied(&push(&leader, 1, 0, &delegation).await);
    // Changed only by cancelling it; a cancelled one is final.
    let longer = DelegationData {
        end: day(20),
        ..delegation.clone()
    };
    let refused = push(&leader, 2, 1, &longer).await;
    assert_eq!(refused["status"], "rejected", "{refused}");
    let cancelled = DelegationData {
        cancelled: true,
        ..delegation.clone()
    };
    applied(&push(&office, 1, 1, &cancelled).await);
    let again = push(&leader, 3, 2, &delegation).await;
    assert_eq!(again["status"], "rejected", "{again}");
}
