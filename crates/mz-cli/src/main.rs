//! `mz`: the platform server and its administration from the command line.
//!
//! A thin edge: each subcommand parses its arguments and calls one function
//! of mz-server (or of mz-print for `mz print`), then prints the result for
//! a person to read.

#![allow(clippy::print_stdout)]

mod print;

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use mz_domain::{RegionCode, Role};
use mz_server::admin::{self, NewUser};
use mz_server::audit::Verdict;
use mz_server::{AppState, Clock, Db, DbUrl, TlsFiles};

#[derive(Debug, Parser)]
#[command(
    name = "mz",
    version,
    about = "Minzheng Desk (民政桌面): the platform and its tools"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the platform's HTTP API.
    Server(ServerArgs),
    /// Administer the platform's database.
    Admin(AdminArgs),
    /// Look at a desktop client profile.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Print the OpenAPI document of the API.
    Openapi,
    /// Official documents, forms and certificates to PDF; printing.
    #[command(subcommand)]
    Print(print::PrintCommand),
}

#[derive(Debug, Args)]
struct ServerArgs {
    /// `sqlite:<path>` (created and migrated on start) or `postgres://…`.
    #[arg(long, env = "MZ_DB", default_value = "sqlite:data/platform.db")]
    db: String,
    /// Address to listen on.
    #[arg(long, env = "MZ_LISTEN", default_value = "127.0.0.1:8480")]
    listen: SocketAddr,
    /// PEM certificate chain for HTTPS (with --tls-key).
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS (with --tls-cert).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Load the demo accounts and calendars before serving.
    #[arg(long)]
    demo: bool,
}

#[derive(Debug, Subcommand)]
enum ClientCommand {
    /// Show a profile's mode, platform and sync state (entries waiting,
    /// conflicts, feed position, last sync).
    Status {
        /// The profile folder (the app's data folder, or the app's --profile).
        #[arg(long)]
        profile: PathBuf,
    },
    /// List the outboxes kept encrypted in a profile (at logout for a
    /// user's next sign-in, or for an administrator after a revoke): whose,
    /// why, when and how many entries. Run on that computer, as the user the
    /// app runs as, with the profile path exactly as the app has it (its
    /// data folder, or its --profile): the keys are in that user's
    /// credential store, under the profile's path.
    Kept {
        #[arg(long)]
        profile: PathBuf,
    },
    /// Print the entries of a kept outbox as JSON lines (personal data:
    /// for an administrator who must see what waited).
    Show {
        #[arg(long)]
        profile: PathBuf,
        /// The file's name, as `mz client kept` lists it.
        #[arg(long)]
        file: String,
    },
    /// Hand an administrator's kept outbox (a device revoked by mistake) to
    /// the next sign-in of its user on this profile, which sends it.
    Release {
        #[arg(long)]
        profile: PathBuf,
        #[arg(long)]
        file: String,
    },
}

#[derive(Debug, Args)]
struct AdminArgs {
    #[arg(long, env = "MZ_DB", default_value = "sqlite:data/platform.db")]
    db: String,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create the schema and load the regions and org units (safe to run again).
    Init {
        /// A GB/T 2260 CSV (code,name,level,parent_code); Hunan's ships with mz.
        #[arg(long)]
        divisions: Option<PathBuf>,
    },
    /// Load the demo accounts (one per role) and the holiday calendars.
    Demo,
    /// Org units.
    #[command(subcommand)]
    Org(OrgCommand),
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Client devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The change feed.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Certificate-number blocks.
    #[command(subcommand)]
    Numbers(NumbersCommand),
}

#[derive(Debug, Subcommand)]
enum OrgCommand {
    /// List org units, optionally of one region.
    List {
        #[arg(long)]
        region: Option<String>,
    },
    /// Add an org unit to a region.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        region: RegionCode,
        #[arg(long)]
        name: String,
        /// civil_affairs, marriage_office, funeral_home, …
        #[arg(long)]
        kind: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// The name shown in the app; the username when absent.
        #[arg(long)]
        name: Option<String>,
        /// An org unit code (430102-marriage), or a region code with one unit.
        #[arg(long)]
        org: String,
        /// The section of the unit the user works in (内设机构: 办公室, 社会救助处).
        #[arg(long)]
        section: Option<String>,
        /// registrar, marriage_head, funeral_desk, funeral_head, office_staff, secretary, leader, admin.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a user's password (read from standard input), unlock it and end its sessions.
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable a user; their tokens stop working at once.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Lift the sign-in blocks of a user, from every address.
    Unlock {
        #[arg(long)]
        username: String,
    },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// List devices that have signed in.
    List,
    /// Revoke a device: it is signed out now and cannot sign in again.
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain and report the first broken link.
    Verify {
        /// A head printed earlier by `audit head` (SEQ:HASH), kept outside
        /// the database: the chain must still pass through it.
        #[arg(long)]
        head: Option<mz_server::audit::Head>,
    },
    /// Print the chain's head (SEQ:HASH) for the operator to keep outside
    /// the database, for a later `verify --head`.
    Head,
}

#[derive(Debug, Subcommand)]
enum FeedCommand {
    /// Give the change feed a new epoch after restoring the database from a
    /// backup: every client then pulls afresh, keeping its outbox.
    NewEpoch,
}

#[derive(Debug, Subcommand)]
enum NumbersCommand {
    /// List the blocks handed out and the voided numbers.
    Show {
        /// One series, e.g. J-430102-2026.
        #[arg(long)]
        key: Option<String>,
    },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("mz: cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mz: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Server(args) => server(args).await,
        Command::Admin(args) => admin_command(args).await,
        Command::Client(ClientCommand::Status { profile }) => client_status(&profile),
        Command::Client(ClientCommand::Kept { profile }) => client_kept(&profile),
        Command::Client(ClientCommand::Show { profile, file }) => client_show(&profile, &file),
        Command::Client(ClientCommand::Release { profile, file }) => {
            let kept = client_profile(&profile).release_kept(&file)?;
            println!(
                "{} entries kept for their user's next sign-in: {}",
                kept.entries,
                kept.path.display()
            );
            Ok(())
        }
        Command::Print(command) => print::run(command),
        Command::Openapi => {
            let doc = serde_json::to_string_pretty(&mz_server::openapi::document())?;
            println!("{doc}");
            Ok(())
        }
    }
}

async fn open(db: &str) -> Result<Db> {
    let url: DbUrl = db.parse()?;
    if url.backend() == mz_server::Backend::Sqlite {
        // Create the folder of a relative or absolute SQLite path.
        if let Some(parent) = db
            .trim_start_matches("sqlite:")
            .trim_start_matches("//")
            .split('?')
            .next()
            .map(PathBuf::from)
            .and_then(|p| p.parent().map(PathBuf::from))
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(&parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
    }
    Db::open(&url).await.context("cannot open the database")
}

async fn server(args: ServerArgs) -> Result<()> {
    let db = open(&args.db).await?;
    let clock = Clock::System;
    let report = admin::init(&db, &clock, admin::HUNAN_DIVISIONS).await?;
    if report.org_units_added > 0 {
        tracing::info!(
            units = report.org_units_added,
            "loaded the bundled org units"
        );
    }
    if args.demo {
        admin::seed_demo(&db, &clock).await?;
    }
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        _ => None,
    };
    let listener =
        listen(args.listen).with_context(|| format!("cannot listen on {}", args.listen))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let addr = listener.local_addr()?;
    tracing::info!(%addr, storage = db.backend.as_str(), "serving {scheme}://{addr}/api/v1");
    if args.demo {
        println!("The platform is running at {scheme}://{addr}/api/v1 with demo data.");
        println!("Demo accounts (password {}):", admin::DEMO_PASSWORD);
        for (username, name, unit, _) in admin::DEMO_USERS {
            println!("  {username:<14} {name} ({unit})");
        }
        println!("Log in:");
        println!(
            "  curl -s {scheme}://{addr}/api/v1/auth/login -H 'Content-Type: application/json' \\\n    -d '{{\"username\":\"admin\",\"password\":\"{}\",\"device_id\":\"0192f3a0-0000-7000-8000-000000000001\",\"device_name\":\"curl\"}}'",
            admin::DEMO_PASSWORD
        );
        println!("Press Ctrl+C to stop.");
    }
    mz_server::serve(listener, AppState::new(db), tls, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Binds with SO_REUSEADDR, so that a restarted server gets its port back
/// while connections of the previous run linger in TIME_WAIT.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)?.into_std()
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// A desktop profile with the credential store the app uses for it.
fn client_profile(dir: &std::path::Path) -> mz_app::profile::Profile {
    let secrets = mz_app::profile::OsSecrets::new(&format!("minzheng-desk {}", dir.display()));
    mz_app::profile::Profile::new(dir, std::sync::Arc::new(secrets))
}

fn client_kept(dir: &std::path::Path) -> Result<()> {
    let files = client_profile(dir).kept()?;
    if files.is_empty() {
        println!("no kept outboxes in {}", dir.display());
    }
    for file in files {
        let whom = if file.for_admin {
            "for an administrator"
        } else {
            "for its user's next sign-in"
        };
        println!("{}  ({whom})", file.name);
        match file.contents {
            Ok(contents) => {
                let (pending, issues) = contents.counts();
                let user = contents.user.map_or_else(
                    || "unknown".to_owned(),
                    |u| format!("{} ({})", u.username, u.id),
                );
                let when = mz_server::clock::to_datetime(contents.saved_at_ms)
                    .format("%Y-%m-%d %H:%M:%S UTC");
                println!("    user:     {user}");
                println!("    kept:     {when}, {:?}", contents.reason);
                println!("    entries:  {pending} to send, {issues} conflicts or rejections");
            }
            Err(error) => println!("    cannot be opened: {error}"),
        }
    }
    Ok(())
}

fn client_show(dir: &std::path::Path, file: &str) -> Result<()> {
    let contents = client_profile(dir).open_kept(file)?;
    for entry in contents.entries {
        println!("{}", serde_json::to_string(&entry)?);
    }
    Ok(())
}

fn client_status(dir: &std::path::Path) -> Result<()> {
    let profile = client_profile(dir);
    let Some(config) = profile.config()? else {
        bail!(
            "{} is not a set-up profile (no profile.json)",
            dir.display()
        );
    };
    match config.mode {
        mz_app::profile::Mode::Standalone => {
            println!("mode:         standalone (platform in the app)")
        }
        mz_app::profile::Mode::Connected => {
            println!(
                "mode:         connected to {}",
                config.server_url.unwrap_or_default()
            );
        }
    }
    println!("device name:  {}", config.device_name);
    match profile.peek_state()? {
        None => println!("local cache:  none yet (nobody has signed in)"),
        Some(state) => {
            println!("waiting:      {} entries to send", state.pending);
            println!("to resolve:   {} conflicts or rejections", state.issues);
            println!("feed cursor:  {}", state.cursor);
            let last = state.last_sync_at.map_or_else(
                || "never".to_owned(),
                |ms| {
                    mz_server::clock::to_datetime(ms)
                        .format("%Y-%m-%d %H:%M:%S UTC")
                        .to_string()
                },
            );
            println!("last sync:    {last}");
        }
    }
    Ok(())
}

fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password: ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

async fn admin_command(args: AdminArgs) -> Result<()> {
    let db = open(&args.db).await?;
    let clock = Clock::System;
    match args.command {
        AdminCommand::Init { divisions } => {
            let csv = match divisions {
                Some(path) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                None => admin::HUNAN_DIVISIONS.to_owned(),
            };
            let report = admin::init(&db, &clock, &csv).await?;
            println!(
                "{} regions loaded, {} org units added ({} storage)",
                report.regions,
                report.org_units_added,
                db.backend.as_str()
            );
        }
        AdminCommand::Demo => {
            let created = admin::seed_demo(&db, &clock).await?;
            println!(
                "demo accounts added: {}",
                if created.is_empty() {
                    "none (already there)".to_owned()
                } else {
                    created.join(", ")
                }
            );
            println!("password of every demo account: {}", admin::DEMO_PASSWORD);
        }
        AdminCommand::Org(OrgCommand::List { region }) => {
            for unit in admin::list_units(&db, region.as_deref()).await? {
                println!(
                    "{:<18} {:<8} {:<16} {}",
                    unit.code, unit.region, unit.kind, unit.name
                );
            }
        }
        AdminCommand::Org(OrgCommand::Add {
            code,
            region,
            name,
            kind,
        }) => {
            admin::add_unit(&db, &clock, &code, region, &name, &kind).await?;
            println!("org unit {code} added");
        }
        AdminCommand::User(UserCommand::Add {
            username,
            name,
            org,
            section,
            roles,
            password_stdin: _,
        }) => {
            let password = read_password()?;
            let display_name = name.unwrap_or_else(|| username.clone());
            let user = NewUser {
                username: &username,
                display_name: &display_name,
                org: &org,
                section: section.as_deref(),
                roles: &roles,
                password: &password,
            };
            let id = admin::add_user(&db, &clock, user).await?;
            println!("user {username} added ({id})");
        }
        AdminCommand::User(UserCommand::Passwd {
            username,
            password_stdin: _,
        }) => {
            let password = read_password()?;
            admin::set_password(&db, &clock, &username, &password).await?;
            println!("password of {username} changed; its sessions are ended");
        }
        AdminCommand::User(UserCommand::Unlock { username }) => {
            admin::unlock_user(&db, &clock, &username).await?;
            println!("user {username} may sign in again from every address");
        }
        AdminCommand::User(UserCommand::Disable { username }) => {
            admin::disable_user(&db, &clock, &username).await?;
            println!("user {username} disabled; its sessions are ended");
        }
        AdminCommand::User(UserCommand::List) => {
            for user in admin::list_users(&db).await? {
                let state = if user.disabled { "disabled" } else { "active" };
                println!(
                    "{:<16} {:<18} {:<28} {:<8} {}",
                    user.username, user.org_unit, user.roles, state, user.display_name
                );
            }
        }
        AdminCommand::Device(DeviceCommand::List) => {
            for device in admin::list_devices(&db).await? {
                let seen = mz_server::clock::to_datetime(device.last_seen).format("%Y-%m-%d %H:%M");
                let state = if device.revoked { "revoked" } else { "active" };
                println!(
                    "{}  {:<8} last seen {seen} by {:<14} {}",
                    device.id,
                    state,
                    device.last_user.unwrap_or_default(),
                    device.name
                );
            }
        }
        AdminCommand::Device(DeviceCommand::Revoke { id }) => {
            admin::revoke_device(&db, &clock, &id).await?;
            println!("device {id} revoked");
        }
        AdminCommand::Audit(AuditCommand::Verify { head }) => {
            match mz_server::audit::verify(&db, head.as_ref()).await? {
                Verdict::Intact { entries } => match head {
                    Some(head) => println!(
                        "audit log intact: {entries} entries checked, passing through the kept head {}",
                        head.seq
                    ),
                    None => println!("audit log intact: {entries} entries checked"),
                },
                Verdict::Broken { seq, reason } => {
                    bail!("audit log broken at entry {seq}: {reason}")
                }
            }
        }
        AdminCommand::Audit(AuditCommand::Head) => {
            println!("{}", mz_server::audit::head(&db).await?);
        }
        AdminCommand::Feed(FeedCommand::NewEpoch) => {
            let epoch = admin::new_epoch(&db, &clock).await?;
            println!(
                "the change feed's epoch is now {epoch}: clients pull afresh at their next sync"
            );
        }
        AdminCommand::Numbers(NumbersCommand::Show { key }) => {
            let key = key
                .map(|k| k.parse::<mz_domain::SequenceKey>())
                .transpose()?;
            let blocks = mz_server::numbers::list_blocks(&db.pool, key.as_ref()).await?;
            if blocks.is_empty() {
                println!("no blocks handed out");
            }
            for b in blocks {
                println!(
                    "{:<16} {} … {}  device {}  at {}",
                    b.key,
                    b.first_number,
                    b.last_number,
                    b.device_id,
                    b.allocated_at.format("%Y-%m-%d %H:%M")
                );
            }
            let voided = mz_server::numbers::list_voided(&db.pool).await?;
            for v in voided
                .iter()
                .filter(|v| key.is_none_or(|k| k.to_string() == v.key))
            {
                println!("void {}  {}", v.number, v.reason);
            }
        }
    }
    Ok(())
}
