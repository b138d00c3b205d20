//! A client profile on disk: its configuration, its encrypted cache, the
//! secrets it keeps in the OS credential store and, in standalone mode, the
//! platform it runs in-process.
//!
//! The profile folder holds `profile.json` (mode, platform address, the
//! extranet CA, the device name), `cache.db` (SQLCipher) and, standalone,
//! `platform.db`. The cache key and the refresh token live in the OS
//! credential store, never in a file. A cache that cannot be opened (missing
//! key, wrong key, a foreign or damaged file) is moved aside, never deleted,
//! and a fresh one is pulled. When the local data is wiped (logout, a
//! revoked device), what still waited to be sent is kept encrypted in
//! `kept/` (see [`crate::kept`]), and `prints/` and `exports/` go.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mz_client::PlatformClient;
use mz_domain::Role;
use mz_server::admin::{self, NewUser};
use mz_server::{AppState, Clock, Db, DbUrl};
use mz_store::{Store, StoreError, StoreKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::kept::{Contents, Kept, KeptBlob, KeptFile, KeptFolder, KeptReason, KeptUser};
use crate::{AppError, AppResult, ClientApp};
use ts_rs::TS;

/// Where secrets live: the OS credential store in the app.
pub trait Secrets: Send + Sync + std::fmt::Debug {
    fn get(&self, name: &str) -> AppResult<Option<String>>;
    fn set(&self, name: &str, value: &str) -> AppResult<()>;
    fn delete(&self, name: &str) -> AppResult<()>;
}

/// The OS credential store (Secret Service on Linux, Credential Manager on
/// Windows, Keychain on macOS) under one service name per profile.
#[derive(Debug, Clone)]
pub struct OsSecrets {
    service: String,
}

impl OsSecrets {
    pub fn new(service: &str) -> OsSecrets {
        OsSecrets {
            service: service.to_owned(),
        }
    }

    fn entry(&self, name: &str) -> AppResult<keyring::Entry> {
        keyring::Entry::new(&self.service, name).map_err(|e| AppError::Secrets(e.to_string()))
    }
}

impl Secrets for OsSecrets {
    fn get(&self, name: &str) -> AppResult<Option<String>> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(AppError::Secrets(e.to_string())),
        }
    }

    fn set(&self, name: &str, value: &str) -> AppResult<()> {
        self.entry(name)?
            .set_password(value)
            .map_err(|e| AppError::Secrets(e.to_string()))
    }

    fn delete(&self, name: &str) -> AppResult<()> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(AppError::Secrets(e.to_string())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The platform runs inside the app, on SQLite in the profile folder.
    Standalone,
    /// The app talks to the department's platform over the extranet.
    Connected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileConfig {
    pub mode: Mode,
    pub server_url: Option<String>,
    /// A private CA for the extranet, PEM.
    pub ca_pem: Option<String>,
    pub device_name: String,
    /// Minutes without input after which the window locks.
    #[serde(default = "default_idle_lock_minutes")]
    pub idle_lock_minutes: u32,
}

/// The idle lock's default: ten minutes.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;
/// The longest idle time an administrator may set.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 120;

fn default_idle_lock_minutes() -> u32 {
    DEFAULT_IDLE_LOCK_MINUTES
}

/// Why the cache was started afresh, and where the old file went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheReset {
    pub reason: String,
    pub saved_to: String,
}

/// The platform running in-process (standalone mode).
#[derive(Debug)]
pub struct Embedded {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Embedded {
    /// Stops taking requests and lets those in flight finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// A profile opened for work.
#[derive(Debug)]
pub struct Started {
    pub app: Arc<ClientApp>,
    pub embedded: Option<Embedded>,
    pub reset: Option<CacheReset>,
}

const DB_KEY: &str = "cache-key";

#[derive(Debug, Clone)]
pub struct Profile {
    dir: PathBuf,
    secrets: Arc<dyn Secrets>,
    /// The clock of the client and of the embedded platform.
    clock: Clock,
}

impl Profile {
    pub fn new(dir: &Path, secrets: Arc<dyn Secrets>) -> Profile {
        Profile {
            dir: dir.to_path_buf(),
            secrets,
            clock: Clock::System,
        }
    }

    /// Reads "now" from `clock` instead of the system: for tests only.
    pub fn with_clock(mut self, clock: Clock) -> Profile {
        self.clock = clock;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn config_path(&self) -> PathBuf {
        self.dir.join("profile.json")
    }

    /// The configuration, or `None` before the first-run wizard.
    pub fn config(&self) -> AppResult<Option<ProfileConfig>> {
        match std::fs::read(self.config_path()) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| AppError::Invalid(format!("profile.json is damaged: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Io(e.to_string())),
        }
    }

    fn save_config(&self, config: &ProfileConfig) -> AppResult<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| AppError::Io(e.to_string()))?;
        let text = serde_json::to_vec_pretty(config).map_err(AppError::Json)?;
        // Written whole, then renamed: a crash never leaves half a file.
        let temporary = self.dir.join("profile.json.new");
        std::fs::write(&temporary, text).map_err(|e| AppError::Io(e.to_string()))?;
        std::fs::rename(&temporary, self.config_path()).map_err(|e| AppError::Io(e.to_string()))
    }

    fn platform_url(&self) -> AppResult<DbUrl> {
        format!("sqlite:{}", self.dir.join("platform.db").display())
            .parse()
            .map_err(|e: mz_server::db::DbError| AppError::Invalid(e.to_string()))
    }

    /// First run, standalone: creates the in-process platform with its
    /// administrator (and the demo data when asked).
    pub async fn setup_standalone(
        &self,
        username: &str,
        password: &str,
        demo: bool,
        device_name: &str,
    ) -> AppResult<()> {
        if self.config()?.is_some() {
            return Err(AppError::Invalid(
                "this profile is already set up".to_owned(),
            ));
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| AppError::Io(e.to_string()))?;
        let db = Db::open(&self.platform_url()?)
            .await
            .map_err(|e| AppError::Io(e.to_string()))?;
        let clock = self.clock.clone();
        let admin_error = |e: admin::AdminError| AppError::Invalid(e.to_string());
        admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
            .await
            .map_err(admin_error)?;
        if demo {
            admin::seed_demo(&db, &clock).await.map_err(admin_error)?;
        }
        if admin::list_users(&db)
            .await
            .map_err(admin_error)?
            .iter()
            .all(|u| u.username != username)
        {
            let user = NewUser {
                username,
                display_name: "系统管理员",
                org: "430000-civil",
                section: None,
                roles: &[Role::Admin],
                password,
            };
            admin::add_user(&db, &clock, user)
                .await
                .map_err(admin_error)?;
        }
        db.pool.close().await;
        self.save_config(&ProfileConfig {
            mode: Mode::Standalone,
            server_url: None,
            ca_pem: None,
            device_name: device_name.to_owned(),
            idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
        })
    }

    /// First run, connected: checks that the platform answers (and that its
    /// certificate verifies) before anything is saved.
    pub async fn setup_connected(
        &self,
        url: &str,
        ca_pem: Option<&str>,
        device_name: &str,
    ) -> AppResult<()> {
        let client = PlatformClient::new(url, ca_pem.map(str::as_bytes))?;
        client.health().await?;
        self.save_config(&ProfileConfig {
            mode: Mode::Connected,
            server_url: Some(url.trim().to_owned()),
            ca_pem: ca_pem.map(str::to_owned),
            device_name: device_name.to_owned(),
            idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
        })
    }

    /// Sets how many idle minutes lock the window (1 to 120).
    pub fn set_idle_lock_minutes(&self, minutes: u32) -> AppResult<()> {
        if !(1..=MAX_IDLE_LOCK_MINUTES).contains(&minutes) {
            return Err(AppError::Invalid(format!(
                "自动锁定时间应为 1 到 {MAX_IDLE_LOCK_MINUTES} 分钟"
            )));
        }
        let mut config = self
            .config()?
            .ok_or_else(|| AppError::Invalid("run the first-run setup first".to_owned()))?;
        config.idle_lock_minutes = minutes;
        self.save_config(&config)
    }

    /// Opens the cache (starting afresh when it cannot be read), starts the
    /// in-process platform in standalone mode, and returns the facade.
    pub async fn start(&self) -> AppResult<Started> {
        let config = self
            .config()?
            .ok_or_else(|| AppError::Invalid("run the first-run setup first".to_owned()))?;
        let (store, reset) = self.open_cache()?;
        let (url, embedded) = match config.mode {
            Mode::Standalone => {
                let embedded = self.start_embedded().await?;
                (embedded.url.clone(), Some(embedded))
            }
            Mode::Connected => (config.server_url.clone().unwrap_or_default(), None),
        };
        let client = PlatformClient::new(&url, config.ca_pem.as_deref().map(str::as_bytes))?;
        let app = Arc::new(
            ClientApp::new(client, store, &config.device_name)
                .with_secrets(self.secrets.clone())
                .with_clock(self.clock.clone()),
        );
        Ok(Started {
            app,
            embedded,
            reset,
        })
    }

    async fn start_embedded(&self) -> AppResult<Embedded> {
        let db = Db::open(&self.platform_url()?)
            .await
            .map_err(|e| AppError::Io(e.to_string()))?;
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| AppError::Io(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| AppError::Io(e.to_string()))?;
        let mut state = AppState::new(db);
        state.clock = self.clock.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(error) = mz_server::serve(listener, state, None, shutdown).await {
                tracing::error!(%error, "the embedded platform stopped");
            }
        });
        Ok(Embedded {
            url: format!("http://{addr}"),
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The sync state of the profile's cache, read without starting anything
    /// and without touching a cache that cannot be opened.
    pub fn peek_state(&self) -> AppResult<Option<mz_store::SyncState>> {
        let Some(key) = self
            .secrets
            .get(DB_KEY)?
            .and_then(|hex_key| decode_key(&hex_key))
        else {
            return Ok(None);
        };
        if !self.cache_path().exists() {
            return Ok(None);
        }
        Ok(Some(Store::open(&self.cache_path(), &key)?.state()?))
    }

    fn cache_path(&self) -> PathBuf {
        self.dir.join("cache.db")
    }

    fn open_cache(&self) -> AppResult<(Store, Option<CacheReset>)> {
        let path = self.cache_path();
        let key = self
            .secrets
            .get(DB_KEY)?
            .and_then(|hex_key| decode_key(&hex_key));
        let problem = match (&key, path.exists()) {
            (Some(key), _) => match Store::open(&path, key) {
                Ok(store) => return Ok((store, None)),
                Err(StoreError::WrongKeyOrCorrupt(_)) => {
                    "the local database cannot be read with its key"
                }
                Err(e) => return Err(e.into()),
            },
            (None, true) => "the key of the local database is missing from the credential store",
            (None, false) => "",
        };
        let reset = if path.exists() {
            let saved = self.dir.join(format!(
                "cache.db.unreadable-{}",
                chrono::Utc::now().format("%Y%m%d%H%M%S")
            ));
            std::fs::rename(&path, &saved).map_err(|e| AppError::Io(e.to_string()))?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(self.dir.join(format!("cache.db{suffix}")));
            }
            tracing::warn!(
                reason = problem,
                "the local cache was set aside and starts afresh"
            );
            Some(CacheReset {
                reason: problem.to_owned(),
                saved_to: saved.display().to_string(),
            })
        } else {
            None
        };
        let mut fresh: StoreKey = [0; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        self.secrets.set(DB_KEY, &hex::encode(fresh))?;
        std::fs::create_dir_all(&self.dir).map_err(|e| AppError::Io(e.to_string()))?;
        Ok((Store::open(&path, &fresh)?, reset))
    }

    /// Saves what still waits in the outbox before the local data is wiped:
    /// encrypted, for the user's next sign-in here or (a revoked device, or
    /// entries of nobody known) for an administrator; nothing when the user
    /// chose to discard them. A revoked device also hands the copies it
    /// kept for its users to the administrator. Plain-text outbox files of
    /// older versions are sealed for the administrator and deleted. Nothing
    /// is deleted here: when saving fails, the cache still holds it all.
    pub(crate) fn keep_leftover(
        &self,
        app: &ClientApp,
        leftover: &Leftover,
    ) -> AppResult<Option<Kept>> {
        let folder = KeptFolder::new(&self.dir, self.secrets.as_ref());
        let now = self.clock.now_ms();
        let (entries, files, device_id) = {
            let store = app.store()?;
            let entries = store.outbox()?;
            let files = store.blobs_for(&entries)?;
            (entries, files, store.device_id()?)
        };
        let files: Vec<KeptBlob> = files
            .iter()
            .map(|(blob, bytes)| KeptBlob::new(blob.clone(), bytes))
            .collect();
        let contents = |reason, user: Option<KeptUser>| Contents {
            reason,
            user,
            device_id: Some(device_id),
            saved_at_ms: now,
            entries: entries.clone(),
            files: files.clone(),
        };
        let kept = match leftover {
            _ if entries.is_empty() => None,
            Leftover::Discard => {
                tracing::info!(
                    entries = entries.len(),
                    "unsent entries discarded at logout"
                );
                None
            }
            Leftover::Keep(Some(user)) => Some(folder.seal(
                &contents(KeptReason::Logout, Some(user.clone())),
                false,
                now,
            )?),
            Leftover::Keep(None) => {
                Some(folder.seal(&contents(KeptReason::Logout, None), true, now)?)
            }
            Leftover::Revoked(user) => {
                Some(folder.seal(&contents(KeptReason::Revoked, user.clone()), true, now)?)
            }
        };
        if matches!(leftover, Leftover::Revoked(_)) {
            for name in folder.names()? {
                if name.starts_with("user-")
                    && let Err(error) = folder.hand_to_admin(&name, now)
                {
                    tracing::warn!(code = ?error.code(), "a kept outbox could not be handed to the administrator");
                }
            }
        }
        self.seal_plain_outboxes(&folder, now);
        Ok(kept)
    }

    /// Seals the plain-text `outbox-*.jsonl` files that older versions left
    /// in the profile for the administrator, and deletes them.
    fn seal_plain_outboxes(&self, folder: &KeptFolder<'_>, now: i64) {
        let Ok(read) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in read.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.starts_with("outbox-") && name.ends_with(".jsonl")) {
                continue;
            }
            let path = entry.path();
            let Some(entries) = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| crate::kept::plain_file_entries(&text))
            else {
                tracing::warn!(
                    "a plain-text outbox file of an older version does not read; left as it is"
                );
                continue;
            };
            let contents = Contents {
                reason: KeptReason::PlainFile,
                user: None,
                device_id: None,
                saved_at_ms: now,
                entries,
                files: Vec::new(),
            };
            match folder.seal(&contents, true, now) {
                Ok(_) => {
                    if let Err(error) = std::fs::remove_file(&path) {
                        tracing::warn!(%error, "a sealed plain-text outbox file could not be deleted");
                    }
                }
                Err(error) => {
                    tracing::warn!(code = ?error.code(), "a plain-text outbox file could not be sealed");
                }
            }
        }
    }

    /// Wipes the local data: the cache and its key, the device's secret,
    /// and the PDFs and workbooks the app wrote (`prints`, `exports`). The
    /// kept outboxes stay (they are encrypted, each for its user).
    pub(crate) fn wipe(&self) -> AppResult<()> {
        self.wipe_classified_prints(None)?;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(self.dir.join(format!("cache.db{suffix}")));
        }
        self.secrets.delete(DB_KEY)?;
        // The next cache makes a new device id, which gets its own secret.
        self.secrets.delete(crate::DEVICE_SECRET)?;
        for folder in [PRINTS, EXPORTS] {
            match std::fs::remove_dir_all(self.dir.join(folder)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(AppError::Io(format!(
                        "the {folder} folder could not be deleted: {}",
                        e.kind()
                    )));
                }
            }
        }
        Ok(())
    }

    /// The folder a classified document's printed copies are written into.
    pub(crate) fn classified_prints(&self) -> PathBuf {
        self.dir.join(PRINTS).join(CLASSIFIED_PRINTS)
    }

    /// Wipes the printed copies of classified documents (all of them, or
    /// those written longer than `older_than` ago): each file overwritten
    /// with zeros, flushed to the disk, then deleted, so that no copy of a
    /// classified document outlives its printing. Returns how many. On a
    /// copy-on-write file system or an SSD the overwrite is best effort;
    /// the deletion is not.
    pub(crate) fn wipe_classified_prints(
        &self,
        older_than: Option<std::time::Duration>,
    ) -> AppResult<usize> {
        use std::io::Write;
        let folder = self.classified_prints();
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => {
                return Err(AppError::Io(format!(
                    "涉密打印文件夹无法读取：{}",
                    e.kind()
                )));
            }
        };
        let failed =
            |e: std::io::Error| AppError::Io(format!("涉密打印文件无法清除：{}", e.kind()));
        let mut wiped = 0;
        for entry in entries {
            let entry = entry.map_err(failed)?;
            let meta = entry.metadata().map_err(failed)?;
            if !meta.is_file() {
                continue;
            }
            if let Some(age) = older_than {
                let written = meta.modified().map_err(failed)?;
                if written.elapsed().unwrap_or_default() < age {
                    continue;
                }
            }
            let path = entry.path();
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(failed)?;
            let zeros = vec![0u8; 64 * 1024];
            let mut left = meta.len();
            while left > 0 {
                let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
                file.write_all(zeros.get(..n).unwrap_or(&zeros))
                    .map_err(failed)?;
                left -= n as u64;
            }
            file.sync_all().map_err(failed)?;
            drop(file);
            std::fs::remove_file(&path).map_err(failed)?;
            wiped += 1;
        }
        Ok(wiped)
    }

    /// Puts the entries kept for `user` at an earlier logout back into the
    /// outbox (sync sends them), then deletes their files and keys. Entries
    /// whose cache was never wiped (the app stopped between saving and
    /// wiping) are in it still and are not queued twice. Returns how many
    /// entries went back.
    pub(crate) fn restore_kept(&self, app: &ClientApp, user: &KeptUser) -> AppResult<usize> {
        let folder = KeptFolder::new(&self.dir, self.secrets.as_ref());
        let mut restored = 0;
        for name in folder.names_for(user.id)? {
            let contents = folder.open(&name)?;
            if contents.user.as_ref().map(|u| u.id) != Some(user.id) {
                return Err(AppError::Invalid(format!(
                    "the kept outbox {name} is not this user's"
                )));
            }
            let mut store = app.store()?;
            let files = contents
                .files
                .iter()
                .map(KeptBlob::bytes)
                .collect::<AppResult<Vec<_>>>()?;
            if contents.device_id != Some(store.device_id()?)
                && store.requeue_once(&name, &contents.entries, &files, self.clock.now_ms())?
            {
                restored += contents.entries.len();
            }
            drop(store);
            folder.remove(&name)?;
        }
        Ok(restored)
    }

    /// The kept outboxes of this profile, each opened (for an administrator).
    pub fn kept(&self) -> AppResult<Vec<KeptFile>> {
        KeptFolder::new(&self.dir, self.secrets.as_ref()).list()
    }

    /// What one kept outbox holds (for an administrator).
    pub fn open_kept(&self, name: &str) -> AppResult<Contents> {
        KeptFolder::new(&self.dir, self.secrets.as_ref()).open(name)
    }

    /// Hands an administrator's kept outbox to the next sign-in of its user:
    /// it is sealed anew under the user's id and the old file and key are
    /// deleted.
    pub fn release_kept(&self, name: &str) -> AppResult<Kept> {
        KeptFolder::new(&self.dir, self.secrets.as_ref()).release(name, self.clock.now_ms())
    }
}

/// The folder the app writes its PDFs into, inside the profile.
pub const PRINTS: &str = "prints";
/// The folder inside [`PRINTS`] for a classified document's printed copies:
/// overwritten and deleted when the user signs out, when the app stops or
/// starts, and an hour after they were written ([`CLASSIFIED_PRINTS_KEPT`]).
pub const CLASSIFIED_PRINTS: &str = "classified";
/// How long a classified document's printed copies stay for the printer.
pub const CLASSIFIED_PRINTS_KEPT: std::time::Duration = std::time::Duration::from_secs(60 * 60);
/// The folder the app writes its workbooks into, inside the profile.
pub const EXPORTS: &str = "exports";

/// What becomes of the entries still waiting when the local data is wiped.
#[derive(Debug, Clone)]
pub(crate) enum Leftover {
    /// Kept for this user's next sign-in (for an administrator when nobody
    /// is known).
    Keep(Option<KeptUser>),
    /// Thrown away: the user chose so, having been told how many.
    Discard,
    /// The platform revoked the device: kept for an administrator.
    Revoked(Option<KeptUser>),
}

fn decode_key(text: &str) -> Option<StoreKey> {
    hex::decode(text).ok()?.try_into().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// No secret is asked for by what these tests do.
    #[derive(Debug)]
    struct NoSecrets;

    impl Secrets for NoSecrets {
        fn get(&self, _: &str) -> AppResult<Option<String>> {
            Ok(None)
        }
        fn set(&self, _: &str, _: &str) -> AppResult<()> {
            Ok(())
        }
        fn delete(&self, _: &str) -> AppResult<()> {
            Ok(())
        }
    }

    #[test]
    fn classified_printed_copies_are_wiped_when_due_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let profile = Profile::new(dir.path(), Arc::new(NoSecrets));
        let folder = profile.classified_prints();
        std::fs::create_dir_all(&folder).unwrap();
        let old = folder.join("关于某事项的通知（共3份）.pdf");
        let fresh = folder.join("关于另一事项的通知（共2份）.pdf");
        let open = dir.path().join(PRINTS).join("结婚证.pdf");
        for path in [&old, &fresh, &open] {
            std::fs::write(path, vec![7u8; 100_000]).unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        assert_eq!(
            profile
                .wipe_classified_prints(Some(CLASSIFIED_PRINTS_KEPT))
                .unwrap(),
            1
        );
        assert!(!old.exists() && fresh.exists());
        assert_eq!(profile.wipe_classified_prints(None).unwrap(), 1);
        assert!(!fresh.exists());
        assert!(
            open.exists(),
            "an open document's print is the user's to keep"
        );
        assert_eq!(profile.wipe_classified_prints(None).unwrap(), 0);
    }
}
