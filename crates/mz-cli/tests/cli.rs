//! The `mz` command as an administrator and an operator use it: the real
//! binary on a temporary SQLite file, and the server on loopback.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn mz(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mz"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        // A child that refuses its arguments exits before it reads: the pipe
        // is then closed, and its answer (on stderr) is what the test checks.
        match child.stdin.take().unwrap().write_all(input.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.unwrap(),
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn admin(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all = vec!["admin", "--db", db];
    all.extend_from_slice(args);
    mz(&all, stdin)
}

#[test]
fn an_administrator_sets_up_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/nested/platform.db", dir.path().display());

    let first = admin(&db, &["init"], None);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("2157 regions loaded, 297 org units added"),
        "{}",
        text(&first)
    );
    let again = admin(&db, &["init"], None);
    assert!(
        text(&again).contains("0 org units added"),
        "init is idempotent: {}",
        text(&again)
    );

    let ambiguous = admin(
        &db,
        &[
            "user",
            "add",
            "--username",
            "li",
            "--org",
            "430102",
            "--role",
            "registrar",
            "--password-stdin",
        ],
        Some("long enough\n"),
    );
    assert!(!ambiguous.status.success());
    assert!(
        text(&ambiguous).contains("430102-marriage (芙蓉区婚姻登记处)"),
        "{}",
        text(&ambiguous)
    );

    let added = admin(
        &db,
        &[
            "user",
            "add",
            "--username",
            "li",
            "--name",
            "李登记",
            "--org",
            "430102-marriage",
            "--role",
            "registrar",
            "--role",
            "marriage_head",
            "--password-stdin",
        ],
        Some("long enough\n"),
    );
    assert!(added.status.success(), "{}", text(&added));
    let province = admin(
        &db,
        &[
            "user",
            "add",
            "--username",
            "root",
            "--org",
            "430000",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("long enough\n"),
    );
    assert!(
        province.status.success(),
        "a region with one unit may be named by its code: {}",
        text(&province)
    );

    let duplicate = admin(
        &db,
        &[
            "user",
            "add",
            "--username",
            "li",
            "--org",
            "430102-marriage",
            "--role",
            "registrar",
            "--password-stdin",
        ],
        Some("long enough\n"),
    );
    assert!(text(&duplicate).contains("already exists"));
    let short = admin(
        &db,
        &[
            "user",
            "add",
            "--username",
            "wang",
            "--org",
            "430102-marriage",
            "--role",
            "registrar",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(
        text(&short).contains("at least 8 characters"),
        "{}",
        text(&short)
    );
    let bad_role = admin(
        &db,
        &[
            "user",
            "add",
            "--username",
            "wang",
            "--org",
            "430102-marriage",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        Some("long enough\n"),
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role).contains("unknown role"),
        "{}",
        text(&bad_role)
    );

    let list = admin(&db, &["user", "list"], None);
    assert!(
        text(&list).contains("marriage_head,registrar"),
        "{}",
        text(&list)
    );
    assert!(
        admin(
            &db,
            &["user", "passwd", "--username", "li", "--password-stdin"],
            Some("another long one\n")
        )
        .status
        .success()
    );
    assert!(
        admin(&db, &["user", "disable", "--username", "li"], None)
            .status
            .success()
    );
    assert!(text(&admin(&db, &["user", "list"], None)).contains("disabled"));
    assert!(
        text(&admin(
            &db,
            &["user", "disable", "--username", "nobody"],
            None
        ))
        .contains("no user named")
    );
    assert!(text(&admin(&db, &["device", "revoke", "0192"], None)).contains("no device"));
    assert!(text(&admin(&db, &["numbers", "show"], None)).contains("no blocks handed out"));

    let verify = admin(&db, &["audit", "verify"], None);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains("audit log intact: 5 entries checked"),
        "{}",
        text(&verify)
    );

    let bad_url = admin("mysql://u:secret@host/db", &["init"], None);
    assert!(!bad_url.status.success());
    assert!(
        !text(&bad_url).contains("secret"),
        "a password in a URL is never echoed"
    );
}

#[test]
fn a_divisions_file_with_a_bad_row_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}/platform.db", dir.path().display());
    let csv = dir.path().join("divisions.csv");
    std::fs::write(
        &csv,
        "code,name,level,parent_code\n440000,广东省,province,\n44010X,坏,county,440000\n",
    )
    .unwrap();
    let output = admin(&db, &["init", "--divisions", csv.to_str().unwrap()], None);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("line 3: bad code"),
        "{}",
        text(&output)
    );
    let units = admin(&db, &["org", "list"], None);
    assert_eq!(
        String::from_utf8_lossy(&units.stdout),
        "",
        "nothing half-loaded"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(args: &[&str]) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_mz"))
        .arg("server")
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Running(child)
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = client.get(format!("{base}/api/v1/health")).send().await
            && response.status().is_success()
        {
            return;
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_demo_server_logs_in_pulls_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let db = format!("sqlite:{}/demo.db", dir.path().display());
    let listen = format!("127.0.0.1:{port}");
    let mut server = start_server(&["--db", &db, "--listen", &listen, "--demo"]);
    let base = format!("http://{listen}");
    let client = reqwest::Client::new();
    wait_healthy(&client, &base).await;

    // The README's curl lines, as requests.
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": "admin", "password": "demo-2026", "device_id": "0192f3a0-0000-7000-8000-000000000001", "device_name": "curl" }))
        .send().await.unwrap().json().await.unwrap();
    let token = login["access_token"].as_str().unwrap();
    let pull: Value = client
        .get(format!("{base}/api/v1/sync/pull?after=0&limit=100"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changes = pull["changes"].as_array().unwrap();
    let years: Vec<i64> = changes
        .iter()
        .filter(|c| c["kind"] == "holiday_calendar")
        .map(|c| c["data"]["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, vec![2026, 2027]);
    // And the province's fee standard, which the administrator keeps.
    assert!(changes.iter().any(|c| c["kind"] == "funeral_standard"));

    let pid = server.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean exit: {status:?}");
}

#[tokio::test]
async fn the_server_speaks_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    // A private CA, as the extranet has, and a server certificate it signed.
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    std::fs::write(path("ext.cnf"), "subjectAltName=DNS:localhost\n").unwrap();
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Extranet Test CA",
            "-keyout",
            &path("ca.key"),
            "-out",
            &path("ca.pem"),
        ],
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            &path("key.pem"),
            "-out",
            &path("server.csr"),
        ],
        &[
            "x509",
            "-req",
            "-in",
            &path("server.csr"),
            "-CA",
            &path("ca.pem"),
            "-CAkey",
            &path("ca.key"),
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            &path("ext.cnf"),
            "-out",
            &path("cert.pem"),
        ],
    ];
    for args in steps {
        let made = Command::new("openssl")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl makes the test certificates");
        assert!(made.success(), "openssl {args:?}");
    }
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let port = free_port();
    let db = format!("sqlite:{}/tls.db", dir.path().display());
    let listen = format!("127.0.0.1:{port}");
    let _server = start_server(&[
        "--db",
        &db,
        "--listen",
        &listen,
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    let ca = reqwest::Certificate::from_pem(&std::fs::read(path("ca.pem")).unwrap()).unwrap();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(ca)
        .resolve("localhost", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    let base = format!("https://localhost:{port}");
    wait_healthy(&trusting, &base).await;
    let strict = reqwest::Client::builder()
        .resolve("localhost", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    assert!(
        strict
            .get(format!("{base}/api/v1/health"))
            .send()
            .await
            .is_err(),
        "an unknown CA fails verification"
    );
}

// ---- mz print -------------------------------------------------------------

fn repo_file(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_clerk_prints_an_official_document_and_a_bad_one_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("doc.pdf");
    let out_s = out.to_str().unwrap();
    let example = repo_file("assets/print/example-document.json");
    let done = mz(
        &["print", "document", "--input", &example, "--out", out_s],
        None,
    );
    assert!(done.status.success(), "{}", text(&done));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));

    // An unknown field: the error names it and --out is not touched.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&example).unwrap()).unwrap();
    doc["subject"] = json!("x");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    let out2 = dir.path().join("bad.pdf");
    let failed = mz(
        &[
            "print",
            "document",
            "--input",
            bad.to_str().unwrap(),
            "--out",
            out2.to_str().unwrap(),
        ],
        None,
    );
    assert!(!failed.status.success());
    assert!(text(&failed).contains("subject"), "{}", text(&failed));
    assert!(!out2.exists());
}

#[test]
fn fonts_shows_a_chain_for_every_role() {
    let out = mz(&["print", "fonts"], None);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    for role in ["小标宋", "仿宋", "楷体", "黑体", "宋体"] {
        assert!(t.contains(role), "{t}");
    }
    assert!(
        t.contains("HanaMinB"),
        "rare-character fallback listed: {t}"
    );
}

#[test]
fn a_form_is_filled_with_an_offset_and_too_long_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.json");
    std::fs::write(
        &data,
        json!({"name": "王䶮", "id_number": "430102199001011234"}).to_string(),
    )
    .unwrap();
    let out = dir.path().join("form.pdf");
    let done = mz(
        &[
            "print",
            "form",
            "--layout",
            "generic-a4",
            "--data",
            data.to_str().unwrap(),
            "--offset",
            "-1.5,0.5",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(done.status.success(), "{}", text(&done));
    assert!(out.exists());

    std::fs::write(&data, json!({"name": "阿".repeat(30)}).to_string()).unwrap();
    let out2 = dir.path().join("form2.pdf");
    let failed = mz(
        &[
            "print",
            "form",
            "--layout",
            "generic-a4",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out2.to_str().unwrap(),
        ],
        None,
    );
    assert!(!failed.status.success());
    assert!(
        text(&failed).contains("name：文字太长"),
        "{}",
        text(&failed)
    );
    assert!(!out2.exists());

    let cal = dir.path().join("cal.pdf");
    let done = mz(
        &["print", "calibration", "--out", cal.to_str().unwrap()],
        None,
    );
    assert!(done.status.success(), "{}", text(&done));
    assert!(cal.exists());
}

#[test]
fn sending_to_a_printer_reports_the_job_or_the_printers_error() {
    let dir = tempfile::tempdir().unwrap();
    let cal = dir.path().join("cal.pdf");
    let done = mz(
        &["print", "calibration", "--out", cal.to_str().unwrap()],
        None,
    );
    assert!(done.status.success(), "{}", text(&done));

    let failed = mz(
        &[
            "print",
            "send",
            "--printer",
            "no-such-printer",
            cal.to_str().unwrap(),
        ],
        None,
    );
    assert!(!failed.status.success());
    assert!(
        text(&failed).contains("printer no-such-printer:"),
        "{}",
        text(&failed)
    );

    // The cups-pdf printer that scripts/lib.sh (ensure_print_tools) sets up.
    let Ok(printer) = std::env::var("MZ_TEST_PRINTER") else {
        eprintln!("MZ_TEST_PRINTER is not set: printing to a real queue not checked");
        return;
    };
    let sent = mz(
        &[
            "print",
            "send",
            "--printer",
            &printer,
            cal.to_str().unwrap(),
        ],
        None,
    );
    assert!(sent.status.success(), "{}", text(&sent));
    let said = text(&sent);
    let job = said
        .split("accepted job ")
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    assert!(job.starts_with(&format!("{printer}-")), "{said}");
    // The job finishes in the queue.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = Command::new("lpstat")
            .args(["-W", "completed", "-o", &printer])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.split_whitespace().next() == Some(job.as_str()))
        {
            break;
        }
        assert!(Instant::now() < deadline, "job {job} did not complete");
        std::thread::sleep(Duration::from_millis(200));
    }
}
