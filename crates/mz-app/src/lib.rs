//! The one facade that the desktop app's commands and the `mz client`
//! command call: a client profile's local cache (mz-store), its connection
//! to the platform (mz-client) and the sync engine between them.
//!
//! [`ClientApp`] keeps the signed-in session, validates a change with the
//! domain rules before it goes into the outbox, and runs sync: push every
//! pending entry in batches, then pull the feed page by page until it is
//! caught up — each step one transaction in the cache, so an interrupted
//! sync resumes where it stopped and a replayed push applies nothing twice.
//! [`ClientApp::run_sync`] does this in the background with backoff.

pub mod desktop;
pub mod documents;
pub mod figures;
pub mod files;
pub mod forms;
pub mod funeral;
pub mod kept;
pub mod library;
pub mod marriage;
pub mod numbers;
pub mod office;
pub mod printers;
pub mod profile;
pub(crate) mod reports;
pub mod schedule;
pub mod search;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use mz_api::auth::{LoginRequest, TokenResponse, UserInfo};
use mz_api::records::{HolidayCalendarData, RecordKind};
use mz_api::sync::PushRequest;
use mz_client::{Backoff, ClientError, PlatformClient};
use mz_store::{PersonHit, Resolution, Store, StoreError, SyncIssue, SyncState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The password of the demo accounts (standalone `--demo`).
pub const DEMO_PASSWORD: &str = mz_server::admin::DEMO_PASSWORD;

/// How many outbox entries one push carries at most.
pub const PUSH_BATCH: usize = 500;
/// How large one push's body grows at most: half the platform's default
/// body limit (8 MB), so a batch of photos or drafts is never refused for
/// its size (one entry larger than this still goes alone).
pub const PUSH_BYTES: usize = 4 * 1024 * 1024;
/// How many changes one pull asks for.
pub const PULL_PAGE: i64 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in first")]
    SignedOut,
    #[error("the session has ended; sign in again")]
    SessionEnded,
    #[error("{0}")]
    Invalid(String),
    /// A print failed: a character no font covers, text that does not fit,
    /// a layout or a spooler that failed; the cause is kept.
    #[error("无法打印：{0}")]
    Print(#[source] Box<mz_print::PrintError>),
    /// A spreadsheet cannot be read.
    #[error("{0}")]
    SheetImport(#[source] Box<mz_sheets::ImportError>),
    /// A spreadsheet cannot be written.
    #[error("{0}")]
    SheetExport(#[source] Box<mz_sheets::ExportError>),
    /// A value does not convert to or from its JSON form (a bug, or a
    /// damaged local file); the cause is kept.
    #[error("数据格式不对：{0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Platform(#[from] ClientError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the local cache is in use by a failed operation; restart the app")]
    Poisoned,
    #[error("the credential store failed: {0}")]
    Secrets(String),
    #[error("a local file cannot be written: {0}")]
    Io(String),
    #[error("此设备已被平台停用，本地数据已清除；请联系管理员")]
    DeviceRevoked,
    #[error("屏幕已锁定，请输入密码解锁")]
    ScreenLocked,
    /// The platform refused a change sent at once (a registration, a
    /// reprint): its code, reason and the field it is about.
    #[error("平台拒绝了这条{what}：{reason}")]
    Refused {
        what: String,
        code: Option<mz_api::ErrorCode>,
        reason: String,
        field: Option<String>,
    },
    /// The domain rules refuse the input: each issue names its field.
    #[error("{}", .0.iter().map(|i| i.message.as_str()).collect::<Vec<_>>().join("；"))]
    Rules(Vec<mz_domain::FieldIssue>),
}

// The causes are boxed: they are large, and every result carries the error.
impl From<mz_print::PrintError> for AppError {
    fn from(error: mz_print::PrintError) -> Self {
        AppError::Print(Box::new(error))
    }
}

impl From<mz_sheets::ImportError> for AppError {
    fn from(error: mz_sheets::ImportError) -> Self {
        AppError::SheetImport(Box::new(error))
    }
}

impl From<mz_sheets::ExportError> for AppError {
    fn from(error: mz_sheets::ExportError) -> Self {
        AppError::SheetExport(Box::new(error))
    }
}

/// What the window is told went wrong: one of a closed list, so that the
/// UI can branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Nobody is signed in, or the session ended.
    Unauthenticated,
    /// The input is wrong; the message says what and where.
    InvalidInput,
    /// The platform cannot be reached; the change waits in the outbox.
    Offline,
    /// The platform's certificate failed verification.
    Tls,
    Forbidden,
    /// The platform revoked this device; the local data has been wiped.
    DeviceRevoked,
    /// The window is locked after being idle; unlock with the password.
    ScreenLocked,
    /// The account is locked after too many failed sign-ins.
    Locked,
    /// The platform refused for another reason, given in the message.
    Platform,
    LocalStore,
    CredentialStore,
}

impl AppError {
    /// The code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::SignedOut | AppError::SessionEnded => ErrorCode::Unauthenticated,
            AppError::Invalid(_)
            | AppError::Print(_)
            | AppError::SheetImport(_)
            | AppError::SheetExport(_)
            | AppError::Rules(_)
            | AppError::Store(StoreError::MissingBlob { .. } | StoreError::BadBlobField { .. }) => {
                ErrorCode::InvalidInput
            }
            AppError::Platform(e) if e.is_transient() => ErrorCode::Offline,
            AppError::Platform(
                ClientError::BadUrl(_)
                | ClientError::NotHttps(_)
                | ClientError::BadCertificate(_)
                | ClientError::NoCertificate,
            ) => ErrorCode::InvalidInput,
            AppError::Platform(ClientError::Tls(_)) => ErrorCode::Tls,
            AppError::Platform(ClientError::Api { body, .. }) => match body.code {
                mz_api::ErrorCode::Unauthenticated => ErrorCode::Unauthenticated,
                mz_api::ErrorCode::Forbidden => ErrorCode::Forbidden,
                mz_api::ErrorCode::Locked => ErrorCode::Locked,
                mz_api::ErrorCode::DeviceRevoked => ErrorCode::DeviceRevoked,
                _ => ErrorCode::Platform,
            },
            AppError::Platform(_) => ErrorCode::Offline,
            AppError::Store(_) | AppError::Poisoned | AppError::Io(_) | AppError::Json(_) => {
                ErrorCode::LocalStore
            }
            AppError::Secrets(_) => ErrorCode::CredentialStore,
            AppError::DeviceRevoked => ErrorCode::DeviceRevoked,
            AppError::Refused { code, .. } => match code {
                Some(mz_api::ErrorCode::InvalidInput | mz_api::ErrorCode::RuleViolation) => {
                    ErrorCode::InvalidInput
                }
                Some(mz_api::ErrorCode::Forbidden) => ErrorCode::Forbidden,
                _ => ErrorCode::Platform,
            },
            AppError::ScreenLocked => ErrorCode::ScreenLocked,
        }
    }
}

/// An error as a command returns it to the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    /// For input the rules refuse: each issue with the field it is about,
    /// for the form to show beside the field.
    pub issues: Vec<mz_domain::FieldIssue>,
}

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        let issues = match &error {
            AppError::Rules(issues) => issues.clone(),
            AppError::Store(StoreError::MissingBlob { field }) => {
                vec![mz_domain::FieldIssue {
                    field: field.clone(),
                    message: "本机没有这个文件，请重新选择".to_owned(),
                }]
            }
            // The platform's field is a path into the record (`data.photo`):
            // the form's field is the path inside the body.
            AppError::Refused {
                reason,
                field: Some(field),
                ..
            } => vec![mz_domain::FieldIssue {
                field: field.strip_prefix("data.").unwrap_or(field).to_owned(),
                message: reason.clone(),
            }],
            AppError::Store(StoreError::BadBlobField { field, message }) => {
                vec![mz_domain::FieldIssue {
                    field: field.clone(),
                    message: message.clone(),
                }]
            }
            _ => Vec::new(),
        };
        CommandError {
            code: error.code(),
            message: error.to_string(),
            issues,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The signed-in user and their tokens.
#[derive(Debug, Clone)]
struct Session {
    access: String,
    refresh: String,
    user: UserInfo,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    pub pushed: usize,
    pub applied: usize,
    pub conflicts: usize,
    pub rejected: usize,
    pub pulled: usize,
    /// Files of pulled records fetched.
    pub files: usize,
    /// Receiving was paused: the cache may be behind the platform.
    pub paused: bool,
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Status {
    pub online: bool,
    /// The window is locked after being idle.
    pub locked: bool,
    pub signed_in: Option<String>,
    pub org_unit: Option<String>,
    #[serde(flatten)]
    pub sync: SyncState,
    /// A pull under way (the first sync of a big cache takes a while).
    #[ts(optional)]
    pub pulling: Option<PullProgress>,
    /// The user paused receiving: entries are still sent, nothing is pulled
    /// until they resume.
    pub pull_paused: bool,
}

/// How far a pull under way has come.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct PullProgress {
    /// Changes received and kept so far in this pull.
    pub received: u64,
    /// The part of the feed gone through, 0–1: the cursor's way from where
    /// the pull began to the feed's head; `None` before the first page, or
    /// from a platform that does not say its head.
    pub done: Option<f64>,
    #[serde(skip)]
    #[ts(skip)]
    began_at: i64,
}

impl PullProgress {
    fn begun(cursor: i64) -> PullProgress {
        PullProgress {
            received: 0,
            done: None,
            began_at: cursor,
        }
    }

    /// After a page of `changes` that took the cursor to `next` of `head`.
    fn page(&mut self, changes: usize, next: i64, head: i64) {
        self.received += changes as u64;
        self.done = (head > self.began_at).then(|| {
            ((next - self.began_at) as f64 / (head - self.began_at) as f64).clamp(0.0, 1.0)
        });
    }
}

/// A client profile: its cache, its platform, its session.
#[derive(Debug)]
pub struct ClientApp {
    client: PlatformClient,
    store: Mutex<Store>,
    session: Mutex<Option<Session>>,
    online: std::sync::atomic::AtomicBool,
    /// The platform answered that this device is revoked.
    revoked: std::sync::atomic::AtomicBool,
    device_name: String,
    /// Where the refresh token is kept between runs (the OS credential store).
    secrets: Option<Arc<dyn profile::Secrets>>,
    /// Where "now" and "today" come from: the system, except in tests.
    clock: mz_server::Clock,
    /// Held while the session is renewed: one refresh in flight, since the
    /// platform ends a session whose spent refresh token comes back.
    renewing: tokio::sync::Mutex<()>,
    /// The pull under way, for the status bar.
    pulling: std::sync::Mutex<Option<PullProgress>>,
    /// Receiving paused by the user (between two pages: each page is kept
    /// whole or not at all).
    pull_paused: std::sync::atomic::AtomicBool,
}

/// The credential-store entry of the refresh token.
const REFRESH_TOKEN: &str = "refresh-token";
/// The credential-store entry of the secret the platform gave this device:
/// `<device id> <secret>`, so a secret of a wiped cache's device is not sent
/// for the next one.
pub const DEVICE_SECRET: &str = "device-secret";
/// The cache setting that lets the last user sign in (and unlock) offline.
const OFFLINE_LOGIN: &str = "offline-login";

/// What lets the last signed-in user in while the platform is away: their
/// name, an Argon2id hash of their password and who they are. Kept inside
/// the encrypted cache, wiped with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OfflineLogin {
    username: String,
    password_hash: String,
    user: UserInfo,
}

impl ClientApp {
    pub fn new(client: PlatformClient, store: Store, device_name: &str) -> ClientApp {
        ClientApp {
            client,
            store: Mutex::new(store),
            session: Mutex::new(None),
            online: std::sync::atomic::AtomicBool::new(false),
            revoked: std::sync::atomic::AtomicBool::new(false),
            device_name: device_name.to_owned(),
            secrets: None,
            clock: mz_server::Clock::System,
            renewing: tokio::sync::Mutex::new(()),
            pulling: std::sync::Mutex::new(None),
            pull_paused: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Pauses receiving from the platform (a big first sync at a busy
    /// counter), or resumes it: a pull under way stops after the page it is
    /// on, which is kept whole; sending goes on.
    pub fn pause_pull(&self, paused: bool) {
        self.pull_paused
            .store(paused, std::sync::atomic::Ordering::Relaxed);
    }

    /// The clock this client reads "now" and "today" from (the embedded
    /// platform of a standalone profile shares it).
    pub fn with_clock(mut self, clock: mz_server::Clock) -> ClientApp {
        self.clock = clock;
        self
    }

    /// Every change of a record on the platform, with who made it and when
    /// (online only; the platform audits the read).
    pub async fn record_history(
        &self,
        kind: RecordKind,
        id: Uuid,
    ) -> AppResult<Vec<mz_api::records::HistoryEntry>> {
        self.authorized(|token| {
            let client = self.client.clone();
            async move { client.record_history(&token, kind, id).await }
        })
        .await
    }

    /// Unix milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Today in China (UTC+8): the day a registration is made on.
    pub fn today(&self) -> chrono::NaiveDate {
        mz_domain::holiday::china_date(mz_server::clock::to_datetime(self.now_ms()))
    }

    /// The time in China now, to the minute: when a call came, a paper was
    /// checked, a body was cremated.
    pub fn china_now(&self) -> chrono::NaiveDateTime {
        let time = mz_domain::holiday::china_time(mz_server::clock::to_datetime(self.now_ms()));
        chrono::Timelike::with_second(&time, 0)
            .and_then(|t| chrono::Timelike::with_nanosecond(&t, 0))
            .unwrap_or(time)
    }

    /// Keeps the refresh token in `secrets` across runs.
    pub fn with_secrets(mut self, secrets: Arc<dyn profile::Secrets>) -> ClientApp {
        self.secrets = Some(secrets);
        self
    }

    /// Whether the platform has said this device is revoked.
    pub fn is_revoked(&self) -> bool {
        self.revoked.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn store(&self) -> AppResult<MutexGuard<'_, Store>> {
        self.store.lock().map_err(|_| AppError::Poisoned)
    }

    fn session(&self) -> AppResult<Option<Session>> {
        Ok(self.session.lock().map_err(|_| AppError::Poisoned)?.clone())
    }

    fn set_session(&self, session: Option<Session>) -> AppResult<()> {
        *self.session.lock().map_err(|_| AppError::Poisoned)? = session;
        Ok(())
    }

    fn note_reachability<T>(&self, result: &Result<T, ClientError>) {
        let online = match result {
            Ok(_) => true,
            Err(e) => !e.is_transient(),
        };
        if let Err(e) = result
            && e.code() == Some(mz_api::ErrorCode::DeviceRevoked)
        {
            self.revoked
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        self.online
            .store(online, std::sync::atomic::Ordering::Relaxed);
    }

    /// Signs in with the platform's auth. When the platform cannot be
    /// reached, the last user who signed in here may sign in offline with
    /// the same password: work continues into the outbox, and the refresh
    /// token kept in the credential store renews the session once the
    /// platform is back.
    pub async fn login(&self, username: &str, password: &str) -> AppResult<UserInfo> {
        match self.login_as_device(username, password).await {
            // The platform binds this device id to a secret this install does
            // not hold (it was lost with a login answer or the credential
            // store): the install becomes a new device, its outbox kept.
            Err(AppError::Platform(ClientError::Api { body, .. }))
                if body.code == mz_api::ErrorCode::Forbidden
                    && body.details.get("field").and_then(|f| f.as_str())
                        == Some("device_secret") =>
            {
                let renewed = self.store()?.new_device_id()?;
                tracing::warn!(%renewed, "the device id was bound elsewhere; signing in as a new device");
                self.login_as_device(username, password).await
            }
            other => other,
        }
    }

    async fn login_as_device(&self, username: &str, password: &str) -> AppResult<UserInfo> {
        let device_id = self.store()?.device_id()?;
        let request = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
            device_id,
            device_name: self.device_name.clone(),
            device_secret: self.device_secret(device_id)?,
        };
        let result = self.client.login(&request).await;
        self.note_reachability(&result);
        match result {
            Ok(tokens) => {
                if let Some(secret) = &tokens.device_secret {
                    self.keep_device_secret(device_id, secret)?;
                }
                let user = self.adopt(tokens)?;
                self.remember_login(username, password, &user)?;
                Ok(user)
            }
            Err(e) if e.is_transient() => self.login_offline(username, password).ok_or(e.into()),
            Err(e) => Err(e.into()),
        }
    }

    /// The secret the platform gave this device, if it has one: from the
    /// credential store, or the encrypted cache when there is none (the
    /// command line's profiles).
    fn device_secret(&self, device_id: Uuid) -> AppResult<Option<String>> {
        let kept = match &self.secrets {
            Some(secrets) => secrets.get(DEVICE_SECRET)?,
            None => self.store()?.setting(DEVICE_SECRET)?,
        };
        Ok(kept.and_then(|text| {
            let (id, secret) = text.split_once(' ')?;
            (id == device_id.to_string()).then(|| secret.to_owned())
        }))
    }

    fn keep_device_secret(&self, device_id: Uuid, secret: &str) -> AppResult<()> {
        let text = format!("{device_id} {secret}");
        match &self.secrets {
            Some(secrets) => secrets.set(DEVICE_SECRET, &text),
            None => Ok(self.store()?.set_setting(DEVICE_SECRET, Some(&text))?),
        }
    }

    fn remember_login(&self, username: &str, password: &str, user: &UserInfo) -> AppResult<()> {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let password_hash = argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| AppError::Secrets(e.to_string()))?
            .to_string();
        let record = OfflineLogin {
            username: username.to_owned(),
            password_hash,
            user: user.clone(),
        };
        let text = serde_json::to_string(&record).map_err(StoreError::Malformed)?;
        self.store()?.set_setting(OFFLINE_LOGIN, Some(&text))?;
        Ok(())
    }

    fn offline_login(&self) -> AppResult<Option<OfflineLogin>> {
        Ok(self
            .store()?
            .setting(OFFLINE_LOGIN)?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Whether `password` is the one the user last signed in with here.
    fn password_matches(record: &OfflineLogin, password: &str) -> bool {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&record.password_hash).is_ok_and(|hash| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    }

    fn login_offline(&self, username: &str, password: &str) -> Option<UserInfo> {
        let record = self.offline_login().ok()??;
        if record.username != username || !Self::password_matches(&record, password) {
            return None;
        }
        let refresh = self
            .secrets
            .as_ref()
            .and_then(|s| s.get(REFRESH_TOKEN).ok().flatten())
            .unwrap_or_default();
        // No access token: the first call online is refused and renews it.
        self.set_session(Some(Session {
            access: String::new(),
            refresh,
            user: record.user.clone(),
        }))
        .ok()?;
        Some(record.user)
    }

    /// Checks the signed-in user's password locally (to unlock the window).
    pub fn verify_password(&self, password: &str) -> AppResult<bool> {
        let session = self.session()?.ok_or(AppError::SignedOut)?;
        Ok(self.offline_login()?.is_some_and(|record| {
            record.user.id == session.user.id && Self::password_matches(&record, password)
        }))
    }

    fn adopt(&self, tokens: TokenResponse) -> AppResult<UserInfo> {
        let user = tokens.user.clone();
        if let Some(secrets) = &self.secrets {
            secrets.set(REFRESH_TOKEN, &tokens.refresh_token)?;
        }
        self.set_session(Some(Session {
            access: tokens.access_token,
            refresh: tokens.refresh_token,
            user: tokens.user,
        }))?;
        Ok(user)
    }

    /// Signs out on the platform (when reachable) and forgets the session
    /// and its refresh token.
    pub async fn logout(&self) -> AppResult<()> {
        if let Some(session) = self.session()? {
            let ended = self.client.logout(&session.access, &session.refresh).await;
            // Offline, the session ends when its refresh token expires; the
            // token is forgotten here either way.
            if let Err(error) = ended {
                tracing::info!(code = ?error.code(), "the platform did not end the session");
            }
        }
        self.forget_session()
    }

    fn forget_session(&self) -> AppResult<()> {
        if let Some(secrets) = &self.secrets {
            secrets.delete(REFRESH_TOKEN)?;
        }
        self.set_session(None)
    }

    pub fn status(&self) -> AppResult<Status> {
        let session = self.session()?;
        Ok(Status {
            online: self.online.load(std::sync::atomic::Ordering::Relaxed),
            locked: false,
            signed_in: session.as_ref().map(|s| s.user.display_name.clone()),
            org_unit: session.as_ref().map(|s| s.user.org_unit.name.clone()),
            sync: self.store()?.state()?,
            pulling: *self.pulling.lock().map_err(|_| AppError::Poisoned)?,
            pull_paused: self.pull_paused.load(std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Runs `call` with the access token, refreshing it once when it has expired.
    pub(crate) async fn authorized<T, F, Fut>(&self, call: F) -> AppResult<T>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, ClientError>>,
    {
        let session = self.session()?.ok_or(AppError::SignedOut)?;
        let first = call(session.access.clone()).await;
        self.note_reachability(&first);
        match first {
            Err(e) if e.code() == Some(mz_api::ErrorCode::Unauthenticated) => {
                let access = self.renew(&session.access).await?;
                let again = call(access).await;
                self.note_reachability(&again);
                Ok(again?)
            }
            other => Ok(other?),
        }
    }

    /// A fresh access token in place of `stale`. Callers that find theirs
    /// refused at the same time line up here: the first renews the session,
    /// the others take its new token instead of spending the refresh token
    /// again (which the platform answers by ending the session).
    async fn renew(&self, stale: &str) -> AppResult<String> {
        let _one_at_a_time = self.renewing.lock().await;
        let session = self.session()?.ok_or(AppError::SessionEnded)?;
        if session.access != stale {
            return Ok(session.access);
        }
        let renewed = self.client.refresh(&session.refresh).await;
        self.note_reachability(&renewed);
        match renewed {
            Ok(tokens) => {
                let access = tokens.access_token.clone();
                self.adopt(tokens)?;
                Ok(access)
            }
            Err(e) if e.code() == Some(mz_api::ErrorCode::Unauthenticated) => {
                self.forget_session()?;
                Err(AppError::SessionEnded)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Sends the outbox at once and reports the platform's refusal of record `id`.
    pub(crate) async fn send_now(&self, id: Uuid, what: &str) -> AppResult<()> {
        self.sync_once().await?;
        if let Some(issue) = self.sync_issues()?.into_iter().find(|i| i.record_id == id) {
            return Err(AppError::Refused {
                what: what.to_owned(),
                code: issue.code,
                reason: issue.reason.unwrap_or_default(),
                field: issue.field,
            });
        }
        Ok(())
    }

    /// Sends every pending entry (each after the files it names), then
    /// pulls until caught up, then fetches some of the files pulled records name.
    pub async fn sync_once(&self) -> AppResult<SyncReport> {
        let mut report = SyncReport::default();
        let mut batch = PUSH_BATCH;
        loop {
            let mut entries = self.store()?.pending_within(batch, PUSH_BYTES)?;
            let Some(first) = entries.first().map(|e| e.device_seq) else {
                break;
            };
            self.send_files(&mut entries).await?;
            let request = PushRequest { entries };
            let sent = request.entries.len();
            let pushed = self
                .authorized(|token| {
                    let client = self.client.clone();
                    let request = request.clone();
                    async move { client.push(&token, &request).await }
                })
                .await;
            let response = match pushed {
                Ok(response) => response,
                // Too large for the platform: the entries go one at a time,
                // and one that alone is too large is a rejection the clerk
                // sees, never a queue stuck behind it.
                Err(AppError::Platform(ClientError::Api { status: 413, .. })) if sent > 1 => {
                    batch = 1;
                    continue;
                }
                Err(AppError::Platform(ClientError::Api { status: 413, .. })) => {
                    let refused = mz_api::sync::PushOutcome {
                        device_seq: first,
                        result: mz_api::sync::Outcome::Rejected {
                            code: mz_api::ErrorCode::PayloadTooLarge,
                            reason: "这条记录太大，平台无法接收；请删减内容（如照片）后重新保存"
                                .to_owned(),
                            field: Some("data".to_owned()),
                        },
                    };
                    self.store()?.apply_outcomes(&[refused])?;
                    report.rejected += 1;
                    batch = PUSH_BATCH;
                    continue;
                }
                Err(error) => return Err(error),
            };
            batch = PUSH_BATCH;
            for outcome in &response.outcomes {
                match outcome.result {
                    mz_api::sync::Outcome::Applied { .. } => report.applied += 1,
                    mz_api::sync::Outcome::Conflict { .. } => report.conflicts += 1,
                    mz_api::sync::Outcome::Rejected { .. } => report.rejected += 1,
                }
            }
            self.store()?.apply_outcomes(&response.outcomes)?;
            report.pushed += sent;
        }
        // The status bar follows the pull until it ends, however it ends.
        struct Pulling<'a>(&'a std::sync::Mutex<Option<PullProgress>>);
        impl Drop for Pulling<'_> {
            fn drop(&mut self) {
                if let Ok(mut pulling) = self.0.lock() {
                    *pulling = None;
                }
            }
        }
        let _pulling = Pulling(&self.pulling);
        let began = PullProgress::begun(self.store()?.cursor()?);
        *self.pulling.lock().map_err(|_| AppError::Poisoned)? = Some(began);
        loop {
            if self.pull_paused.load(std::sync::atomic::Ordering::Relaxed) {
                report.paused = true;
                break;
            }
            let after = self.store()?.cursor()?;
            let page = self
                .authorized(|token| {
                    let client = self.client.clone();
                    async move { client.pull(&token, after, PULL_PAGE).await }
                })
                .await?;
            if page.next < after {
                // A platform never sends a cursor back, unless it is not the
                // one the cursor came from (restored without a new epoch).
                tracing::warn!("the platform's feed is behind this cache; pulling afresh");
                self.store()?.restart_feed(&page.epoch)?;
                *self.pulling.lock().map_err(|_| AppError::Poisoned)? =
                    Some(PullProgress::begun(0));
                continue;
            }
            match self.store()?.apply_pull(&page)? {
                mz_store::FeedPage::Applied => {
                    report.pulled += page.changes.len();
                    if let Some(progress) = self
                        .pulling
                        .lock()
                        .map_err(|_| AppError::Poisoned)?
                        .as_mut()
                    {
                        progress.page(page.changes.len(), page.next, page.head);
                    }
                }
                mz_store::FeedPage::Restarted => {
                    tracing::warn!("the platform's feed changed (restored?); pulling afresh");
                    *self.pulling.lock().map_err(|_| AppError::Poisoned)? =
                        Some(PullProgress::begun(0));
                    continue;
                }
            }
            if !page.has_more {
                break;
            }
        }
        report.files = self.fetch_wanted_files().await?;
        self.hold_numbers_ahead().await?;
        // Paused, the cache is not caught up: the last complete sync stays.
        if !report.paused {
            self.store()?.mark_synced(self.now_ms())?;
        }
        Ok(report)
    }

    /// Syncs now and then in the background until `stop` resolves: every
    /// `interval` while things go well, after a growing, jittered wait while
    /// the platform is away.
    pub async fn run_sync(
        self: Arc<Self>,
        interval: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        loop {
            let wait = match self.sync_once().await {
                Ok(_) => {
                    backoff.reset();
                    interval
                }
                Err(AppError::SignedOut | AppError::SessionEnded) => interval,
                Err(error) => {
                    tracing::info!(code = ?error.code(), "sync failed; retrying later");
                    backoff.next_wait()
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Saves a year's holiday calendar locally (offline too) after checking
    /// it with the domain rules; sync sends it.
    pub fn save_holiday_calendar(
        &self,
        id: Option<Uuid>,
        calendar: HolidayCalendarData,
    ) -> AppResult<Uuid> {
        let data = serde_json::to_value(calendar).map_err(AppError::Json)?;
        let id = id.unwrap_or_else(Uuid::now_v7);
        self.save_record(RecordKind::HolidayCalendar, id, data)?;
        Ok(id)
    }

    /// The holiday calendars in the cache, by year.
    pub fn holiday_calendars(&self) -> AppResult<Vec<(Uuid, HolidayCalendarData, bool)>> {
        let mut calendars: Vec<(Uuid, HolidayCalendarData, bool)> = self
            .store()?
            .records(RecordKind::HolidayCalendar)?
            .into_iter()
            .map(|r| Ok((r.id, r.body()?, r.pending)))
            .collect::<AppResult<Vec<_>>>()?;
        calendars.sort_by_key(|(_, c, _)| c.year);
        Ok(calendars)
    }

    /// Whose entries the outbox holds: the signed-in user, else the last
    /// user who signed in here (whose session may have ended).
    pub fn outbox_owner(&self) -> AppResult<Option<kept::KeptUser>> {
        let user = match self.session()? {
            Some(session) => Some(session.user),
            None => self.offline_login()?.map(|record| record.user),
        };
        Ok(user.map(|u| kept::KeptUser {
            id: u.id,
            username: u.username,
        }))
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> AppResult<Option<UserInfo>> {
        Ok(self.session()?.map(|s| s.user))
    }

    pub fn sync_issues(&self) -> AppResult<Vec<SyncIssue>> {
        Ok(self.store()?.issues()?)
    }

    /// Settles a conflict or rejection. An edited version is checked like
    /// any other change of its kind before it is queued.
    pub fn resolve(&self, device_seq: i64, resolution: &Resolution) -> AppResult<()> {
        let mut store = self.store()?;
        let resolution = match resolution {
            Resolution::Edit(data) => {
                let issue = store
                    .issues()?
                    .into_iter()
                    .find(|i| i.device_seq == device_seq)
                    .ok_or(StoreError::NoSuchIssue(device_seq))?;
                Resolution::Edit(self.checked_change(
                    &store,
                    issue.kind,
                    issue.record_id,
                    data.clone(),
                )?)
            }
            other => other.clone(),
        };
        Ok(store.resolve(device_seq, &resolution, self.now_ms())?)
    }

    /// Queues a new version of a record after its kind's checks: the body's
    /// own rules, and the rules of a change from the version the platform
    /// holds. What the platform would refuse for itself is refused here,
    /// beside its field, instead of waiting in the outbox.
    pub(crate) fn save_record(
        &self,
        kind: RecordKind,
        id: Uuid,
        data: serde_json::Value,
    ) -> AppResult<()> {
        let mut store = self.store()?;
        let data = self.checked_change(&store, kind, id, data)?;
        store.save(kind, id, &data, self.now_ms())?;
        Ok(())
    }

    /// Saves records that change together (each checked as
    /// [`Self::save_record`] checks one): all of them, or none.
    pub(crate) fn save_records(
        &self,
        records: Vec<(RecordKind, Uuid, serde_json::Value)>,
    ) -> AppResult<()> {
        let mut store = self.store()?;
        let mut checked = Vec::with_capacity(records.len());
        for (kind, id, data) in records {
            let data = self.checked_change(&store, kind, id, data)?;
            checked.push((kind, id, data));
        }
        store.save_together(&checked, self.now_ms())?;
        Ok(())
    }

    /// A record's next body checked by its kind ([`checked_record`]) and as
    /// a change from the body the platform last gave this device.
    fn checked_change(
        &self,
        store: &Store,
        kind: RecordKind,
        id: Uuid,
        data: serde_json::Value,
    ) -> AppResult<serde_json::Value> {
        let data = checked_record(kind, data)?;
        let previous = store.server_body(kind, id)?;
        (kind.spec().check_change)(previous.as_ref(), &data, self.today())
            .map_err(AppError::from)?;
        // And from this desk's own latest version, when it has one the
        // platform has not seen yet: the outbox sends every version in turn,
        // so each must be a change the platform accepts from the one before.
        let local = store.record(kind, id)?.map(|r| r.data);
        if let Some(local) = local.filter(|l| Some(l) != previous.as_ref()) {
            (kind.spec().check_change)(Some(&local), &data, self.today())
                .map_err(AppError::from)?;
        }
        Ok(data)
    }

    /// People in the local cache by name, ID number prefix or pinyin.
    pub fn search_people(&self, query: &str, limit: usize) -> AppResult<Vec<PersonHit>> {
        Ok(self.store()?.search_people(query, limit)?)
    }
}

/// A record's data checked by the domain rules of its kind and put in its
/// normal form, or what is wrong with it.
pub(crate) fn checked_record(
    kind: RecordKind,
    data: serde_json::Value,
) -> AppResult<serde_json::Value> {
    // What the platform would never take is refused here, beside its field,
    // instead of waiting in the outbox before everything behind it.
    kind.check_size(&data)
        .map_err(|issue| AppError::Rules(vec![issue]))?;
    // A classified document never rests in the offline cache: it is
    // worked online only.
    if kind.spec().off_desks.is_some_and(|off| off(&data)) {
        return Err(AppError::Rules(vec![mz_domain::FieldIssue {
            field: "classification".to_owned(),
            message: "涉密公文不存入本机离线缓存，只能联网办理".to_owned(),
        }]));
    }
    kind.blobs(&data)
        .map_err(|issue| AppError::Rules(vec![issue]))?;
    // The body's own rules and normal form, as its kind says.
    (kind.spec().normalise)(data).map_err(AppError::from)
}

impl From<mz_api::records::BodyIssue> for AppError {
    fn from(issue: mz_api::records::BodyIssue) -> Self {
        match issue {
            mz_api::records::BodyIssue::Invalid(message) => AppError::Invalid(message),
            mz_api::records::BodyIssue::Rules(issues) => AppError::Rules(issues),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pull_s_progress_is_the_cursor_s_way_to_the_head() {
        let mut progress = PullProgress::begun(1_000);
        assert_eq!(progress.done, None);
        progress.page(500, 1_250, 2_000);
        assert_eq!((progress.received, progress.done), (500, Some(0.25)));
        progress.page(500, 2_000, 2_000);
        assert_eq!((progress.received, progress.done), (1_000, Some(1.0)));
        // A platform that does not say its head: how many, not how far.
        let mut older = PullProgress::begun(0);
        older.page(10, 10, 0);
        assert_eq!((older.received, older.done), (10, None));
    }

    #[test]
    fn a_print_failure_keeps_its_cause() {
        let failed = AppError::from(mz_print::PrintError::Input {
            field: "title".to_owned(),
            message: "too long".to_owned(),
        });
        let cause = std::error::Error::source(&failed).expect("the print error");
        assert_eq!(cause.to_string(), "title: too long");
        assert_eq!(failed.to_string(), "无法打印：title: too long");
        assert_eq!(failed.code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn a_refusal_reaches_the_window_with_its_code_and_field() {
        let refused = AppError::Refused {
            what: "登记".to_owned(),
            code: Some(mz_api::ErrorCode::RuleViolation),
            reason: "照片文件尚未送到平台".to_owned(),
            field: Some("data.photo".to_owned()),
        };
        let shown = CommandError::from(refused);
        assert_eq!(shown.code, ErrorCode::InvalidInput);
        assert_eq!(shown.message, "平台拒绝了这条登记：照片文件尚未送到平台");
        assert_eq!(shown.issues.len(), 1);
        assert_eq!(shown.issues[0].field, "photo");
        let elsewhere = AppError::Refused {
            what: "补领".to_owned(),
            code: Some(mz_api::ErrorCode::Conflict),
            reason: "号码已被占用".to_owned(),
            field: None,
        };
        let shown = CommandError::from(elsewhere);
        assert_eq!((shown.code, shown.issues.len()), (ErrorCode::Platform, 0));
    }
}
