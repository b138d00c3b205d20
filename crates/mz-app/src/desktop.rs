//! The desktop session: what the app's window does from first run to logout,
//! as plain async functions that the Tauri commands call.
//!
//! Two guards sit in front of every command that shows or changes records:
//! the idle lock (no input for the profile's idle time → the window locks
//! and asks for the password again; the background sync goes on) and the
//! revoked device (the platform says so → the session ends and the local
//! data is wiped; what waited to be sent is kept encrypted for an
//! administrator, see [`crate::kept`]).
//!
//! Logout never loses an entry unseen: it pushes first, and when entries
//! still wait (offline, or conflicts and rejections to decide) it does
//! nothing and answers how many; the window then asks whether to wait, keep
//! them encrypted for the user's next sign-in here, or discard them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mz_api::auth::UserInfo;
use mz_api::records::HolidayCalendarData;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::forms::CertificatePrint;
use crate::kept::Kept;
use crate::marriage::appointments::AppointmentEntry;
use crate::profile::{Leftover, Mode, Profile, Started};
use crate::{AppError, AppResult, Status};
use ts_rs::TS;

/// Where the window starts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// First run: the wizard.
    Setup,
    /// Set up, nobody signed in; `notice` says why, when the app ended the
    /// session itself.
    Login { mode: Mode, notice: Option<String> },
    /// Signed in; `modules` are those the user's roles open, in order, and
    /// `writes` the record kinds the roles may create or change (the window
    /// offers no action the platform would refuse for the role).
    Ready {
        user: UserInfo,
        modules: Vec<mz_domain::AppModule>,
        writes: Vec<mz_api::records::RecordKind>,
    },
    /// Signed in, but the window is locked until the password is given.
    Locked { user: UserInfo },
}

/// One calendar as the settings screen lists it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CalendarEntry {
    pub id: Uuid,
    pub calendar: HolidayCalendarData,
    pub pending: bool,
}

/// What the user chose at logout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum LogoutChoice {
    /// Send what waits first; sign out only when nothing is left.
    SendFirst,
    /// Keep what waits, encrypted, for this user's next sign-in here.
    Keep,
    /// Throw away what waits: `confirmed` is the count the user was shown
    /// and confirmed; when more wait now, nothing is thrown away.
    Discard { confirmed: i64 },
}

/// What a logout did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum LogoutOutcome {
    /// Signed out; `kept` entries were saved for the next sign-in.
    SignedOut { kept: i64 },
    /// Still signed in: entries wait, to be sent (`pending`) or decided
    /// (`issues`, conflicts and rejections). The window asks what to do.
    Waiting {
        pending: i64,
        issues: i64,
        online: bool,
    },
}

/// How long logout waits for its last push before it asks.
const FINAL_PUSH: Duration = Duration::from_secs(15);

/// The running profile and its background sync.
#[derive(Debug)]
struct Running {
    started: Started,
    sync: Option<BackgroundSync>,
}

/// The background sync of a signed-in session.
#[derive(Debug)]
struct BackgroundSync {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl BackgroundSync {
    fn start(app: Arc<crate::ClientApp>, interval: Duration) -> BackgroundSync {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        BackgroundSync {
            stop,
            task: tokio::spawn(app.run_sync(interval, stopped)),
        }
    }

    /// Stops it now, a push in flight included: nothing is sent after this.
    async fn end(self) {
        let _ = self.stop.send(true);
        self.task.abort();
        let _ = self.task.await;
    }
}

/// When the user last gave input, and whether the window is locked.
#[derive(Debug)]
struct Idle {
    last_input: Instant,
    locked: bool,
}

#[derive(Debug)]
pub struct Desktop {
    profile: Profile,
    device_name: String,
    sync_interval: Duration,
    running: Mutex<Option<Running>>,
    idle: std::sync::Mutex<Idle>,
    /// Overrides the profile's idle minutes (tests).
    idle_limit: Option<Duration>,
    /// Why the app ended the session, shown on the login screen once.
    notice: std::sync::Mutex<Option<String>>,
}

impl Desktop {
    pub(crate) fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn new(profile: Profile, device_name: &str) -> Desktop {
        Desktop {
            profile,
            device_name: device_name.to_owned(),
            sync_interval: Duration::from_secs(5),
            running: Mutex::new(None),
            idle: std::sync::Mutex::new(Idle {
                last_input: Instant::now(),
                locked: false,
            }),
            idle_limit: None,
            notice: std::sync::Mutex::new(None),
        }
    }

    /// Locks after `limit` without input, whatever the profile says.
    pub fn with_idle_limit(mut self, limit: Duration) -> Desktop {
        self.idle_limit = Some(limit);
        self
    }

    fn idle_limit(&self) -> Duration {
        self.idle_limit.unwrap_or_else(|| {
            let minutes = self
                .profile
                .config()
                .ok()
                .flatten()
                .map_or(crate::profile::DEFAULT_IDLE_LOCK_MINUTES, |c| {
                    c.idle_lock_minutes
                });
            Duration::from_secs(u64::from(minutes) * 60)
        })
    }

    fn idle(&self) -> AppResult<std::sync::MutexGuard<'_, Idle>> {
        self.idle.lock().map_err(|_| AppError::Poisoned)
    }

    /// Whether the window is locked now (locking it when the idle time is up).
    fn is_locked(&self) -> AppResult<bool> {
        let limit = self.idle_limit();
        let mut idle = self.idle()?;
        if !idle.locked && idle.last_input.elapsed() >= limit {
            idle.locked = true;
        }
        Ok(idle.locked)
    }

    /// The user gave input: the idle time starts again (unless locked).
    pub fn touch(&self) -> AppResult<()> {
        let mut idle = self.idle()?;
        if !idle.locked {
            idle.last_input = Instant::now();
        }
        Ok(())
    }

    /// Locks the window now (the user steps away).
    pub fn lock_now(&self) -> AppResult<()> {
        self.idle()?.locked = true;
        Ok(())
    }

    /// Unlocks with the signed-in user's password, checked locally so that
    /// it works offline too.
    pub async fn unlock(&self, password: &str) -> AppResult<()> {
        let app = self.ensure_started().await?;
        if !app.verify_password(password)? {
            return Err(AppError::Invalid("密码不正确".to_owned()));
        }
        let mut idle = self.idle()?;
        idle.locked = false;
        idle.last_input = Instant::now();
        Ok(())
    }

    pub fn set_idle_lock_minutes(&self, minutes: u32) -> AppResult<()> {
        self.profile.set_idle_lock_minutes(minutes)
    }

    pub fn idle_lock_minutes(&self) -> AppResult<u32> {
        Ok(self
            .profile
            .config()?
            .map_or(crate::profile::DEFAULT_IDLE_LOCK_MINUTES, |c| {
                c.idle_lock_minutes
            }))
    }

    /// The app for a command that shows or changes records: signed in, not
    /// locked, on a device the platform still accepts. The only way to the
    /// app from the window: a command cannot skip the guards.
    pub async fn guarded(&self) -> AppResult<Arc<crate::ClientApp>> {
        let app = self.ensure_started().await?;
        if app.is_revoked() {
            self.end_revoked().await?;
            return Err(AppError::DeviceRevoked);
        }
        if app.user()?.is_none() {
            return Err(AppError::SignedOut);
        }
        if self.is_locked()? {
            return Err(AppError::ScreenLocked);
        }
        Ok(app)
    }

    /// The platform revoked this device: stop, keep what waited for an
    /// administrator, wipe the rest, tell the user.
    async fn end_revoked(&self) -> AppResult<()> {
        let owner = match self.running.lock().await.as_ref() {
            Some(running) => running.started.app.outbox_owner()?,
            None => None,
        };
        let kept = self.stop(Leftover::Revoked(owner)).await?;
        let mut notice = AppError::DeviceRevoked.to_string();
        if let Some(kept) = kept {
            notice.push_str(&format!(
                "。尚未发送的 {} 条记录已加密保存在本机（{}），只有管理员能取出（mz client kept / release）",
                kept.entries,
                kept.path.display()
            ));
        }
        self.set_notice(notice)
    }

    fn set_notice(&self, notice: String) -> AppResult<()> {
        *self.notice.lock().map_err(|_| AppError::Poisoned)? = Some(notice);
        Ok(())
    }

    /// Stops the sync, saves what waits as `leftover` says, ends the session,
    /// wipes the local data and stops the embedded platform. When saving
    /// fails nothing is wiped and the session goes on.
    async fn stop(&self, leftover: Leftover) -> AppResult<Option<Kept>> {
        let mut running = self.running.lock().await;
        let Some(current) = running.as_mut() else {
            return Ok(None);
        };
        let app = current.started.app.clone();
        let was_syncing = match current.sync.take() {
            Some(sync) => {
                sync.end().await;
                true
            }
            None => false,
        };
        let kept = match self.profile.keep_leftover(&app, &leftover) {
            Ok(kept) => kept,
            Err(error) => {
                if was_syncing {
                    current.sync = Some(BackgroundSync::start(app, self.sync_interval));
                }
                return Err(error);
            }
        };
        let Some(mut current) = running.take() else {
            return Ok(kept);
        };
        let ended = app.logout().await;
        let wiped = self.profile.wipe();
        if let Some(embedded) = current.started.embedded.take() {
            embedded.stop().await;
        }
        ended?;
        wiped?;
        Ok(kept)
    }

    /// How often the background sync runs while all is well.
    pub fn with_sync_interval(mut self, interval: Duration) -> Desktop {
        self.sync_interval = interval;
        self
    }

    async fn ensure_started(&self) -> AppResult<Arc<crate::ClientApp>> {
        let mut running = self.running.lock().await;
        if let Some(running) = running.as_ref() {
            return Ok(running.started.app.clone());
        }
        // Printed copies of classified documents left by an app that did
        // not stop cleanly go first.
        self.profile.wipe_classified_prints(None)?;
        let started = self.profile.start().await?;
        let app = started.app.clone();
        *running = Some(Running {
            started,
            sync: None,
        });
        Ok(app)
    }

    /// Opens the profile ahead of the first command (nothing before setup).
    pub async fn prepare(&self) -> AppResult<()> {
        if self.profile.config()?.is_some() {
            self.ensure_started().await?;
        }
        Ok(())
    }

    pub async fn phase(&self) -> AppResult<Phase> {
        let Some(config) = self.profile.config()? else {
            return Ok(Phase::Setup);
        };
        let app = self.ensure_started().await?;
        if app.is_revoked() {
            self.end_revoked().await?;
        }
        let app = self.ensure_started().await?;
        Ok(match app.user()? {
            Some(user) if self.is_locked()? => Phase::Locked { user },
            Some(user) => Phase::Ready {
                modules: mz_domain::AppModule::for_roles(&user.roles),
                writes: mz_api::records::RecordKind::ALL
                    .into_iter()
                    .filter(|kind| {
                        mz_domain::access::widest_scope(
                            &user.roles,
                            kind.resource(),
                            mz_domain::Action::Write,
                        )
                        .is_some()
                    })
                    .collect(),
                user,
            },
            None => Phase::Login {
                mode: config.mode,
                notice: self.notice.lock().map_err(|_| AppError::Poisoned)?.take(),
            },
        })
    }

    pub async fn setup_standalone(
        &self,
        username: &str,
        password: &str,
        demo: bool,
    ) -> AppResult<()> {
        if password.chars().count() < 8 {
            return Err(AppError::Invalid("密码至少 8 个字符".to_owned()));
        }
        self.profile
            .setup_standalone(username.trim(), password, demo, &self.device_name)
            .await
    }

    pub async fn setup_connect(&self, url: &str, ca_pem: Option<&str>) -> AppResult<()> {
        self.profile
            .setup_connected(url, ca_pem, &self.device_name)
            .await
    }

    /// Signs in and starts the background sync.
    pub async fn login(&self, username: &str, password: &str) -> AppResult<UserInfo> {
        let app = self.ensure_started().await?;
        let user = match app.login(username, password).await {
            Err(e) if e.code() == crate::ErrorCode::DeviceRevoked => {
                self.end_revoked().await?;
                return Err(AppError::DeviceRevoked);
            }
            other => other?,
        };
        {
            let mut idle = self.idle()?;
            idle.locked = false;
            idle.last_input = Instant::now();
        }
        // What this user kept at an earlier logout goes back into the
        // outbox; the sync below sends it. Their sign-in does not fail for it:
        // the file stays for the next one.
        let owner = crate::kept::KeptUser {
            id: user.id,
            username: user.username.clone(),
        };
        match self.profile.restore_kept(&app, &owner) {
            Ok(0) => {}
            Ok(entries) => tracing::info!(entries, "kept entries put back into the outbox"),
            Err(error) => {
                tracing::warn!(code = ?error.code(), "kept entries could not be put back");
            }
        }
        let mut running = self.running.lock().await;
        if let Some(running) = running.as_mut()
            && running.sync.is_none()
        {
            running.sync = Some(BackgroundSync::start(app.clone(), self.sync_interval));
        }
        Ok(user)
    }

    /// Signs out when nothing waits to be sent, after one last push; else
    /// does what the user chose (see [`LogoutChoice`]). The local data is
    /// wiped at sign-out, `prints` and `exports` with it. Discarding is
    /// refused while the window is locked: whoever stands at a locked
    /// window may sign its user out, keeping their entries, but not throw
    /// them away.
    pub async fn logout(&self, choice: LogoutChoice) -> AppResult<LogoutOutcome> {
        let app = self.ensure_started().await?;
        if app.is_revoked() {
            self.end_revoked().await?;
            return Err(AppError::DeviceRevoked);
        }
        let owner = app.outbox_owner()?;
        let leftover = match choice {
            LogoutChoice::SendFirst => {
                let waiting = app.status()?.sync;
                if waiting.pending > 0 && app.user()?.is_some() {
                    // Each pushed batch is kept as it lands; what is not
                    // sent in time is asked about.
                    let _ = tokio::time::timeout(FINAL_PUSH, app.sync_once()).await;
                    if app.is_revoked() {
                        self.end_revoked().await?;
                        return Err(AppError::DeviceRevoked);
                    }
                }
                let status = app.status()?;
                if status.sync.pending + status.sync.issues > 0 {
                    return Ok(LogoutOutcome::Waiting {
                        pending: status.sync.pending,
                        issues: status.sync.issues,
                        online: status.online,
                    });
                }
                // Nothing waits; should an entry slip in now, it is kept.
                Leftover::Keep(owner)
            }
            LogoutChoice::Keep => Leftover::Keep(owner),
            LogoutChoice::Discard { confirmed } => {
                if app.user()?.is_some() && self.is_locked()? {
                    return Err(AppError::ScreenLocked);
                }
                let status = app.status()?;
                if status.sync.pending + status.sync.issues > confirmed {
                    return Ok(LogoutOutcome::Waiting {
                        pending: status.sync.pending,
                        issues: status.sync.issues,
                        online: status.online,
                    });
                }
                Leftover::Discard
            }
        };
        let kept = self.stop(leftover).await?;
        let kept = kept.map_or(0, |k| k.entries as i64);
        if kept > 0 {
            self.set_notice(format!(
                "已加密保存 {kept} 条未发送的记录，您下次在本机登录后会自动发送"
            ))?;
        }
        Ok(LogoutOutcome::SignedOut { kept })
    }

    /// What the status bar shows; a revoked device ends the session here
    /// (the status bar asks every second).
    pub async fn status(&self) -> AppResult<Status> {
        let app = self.ensure_started().await?;
        if app.is_revoked() {
            self.end_revoked().await?;
            return Err(AppError::DeviceRevoked);
        }
        let mut status = app.status()?;
        status.locked = status.signed_in.is_some() && self.is_locked()?;
        Ok(status)
    }

    /// Pauses receiving from the platform, or resumes it (and syncs at once).
    pub async fn pause_pull(&self, paused: bool) -> AppResult<()> {
        let app = self.guarded().await?;
        app.pause_pull(paused);
        if !paused {
            app.sync_once().await?;
        }
        Ok(())
    }

    pub async fn sync_now(&self) -> AppResult<()> {
        self.ensure_started().await?.sync_once().await.map(|_| ())
    }

    pub async fn holiday_calendars(&self) -> AppResult<Vec<CalendarEntry>> {
        let app = self.guarded().await?;
        Ok(app
            .holiday_calendars()?
            .into_iter()
            .map(|(id, calendar, pending)| CalendarEntry {
                id,
                calendar,
                pending,
            })
            .collect())
    }

    /// Keeps a photo the clerk chose (base64 from the window) for the form.
    pub async fn keep_photo(
        &self,
        media_type: &str,
        data: &str,
    ) -> AppResult<mz_domain::marriage::Photo> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|_| {
                AppError::Rules(vec![mz_domain::FieldIssue {
                    field: "photo".to_owned(),
                    message: "照片数据已损坏，请重新选择照片文件".to_owned(),
                }])
            })?;
        self.guarded().await?.keep_photo(media_type, &bytes)
    }

    /// Keeps the scan of a paper the clerk chose (its bytes in base64).
    pub async fn keep_scan(
        &self,
        media_type: &str,
        data: &str,
    ) -> AppResult<mz_domain::blob::BlobRef> {
        let bytes = crate::files::chosen_bytes(data, "scan", "扫描件")?;
        self.guarded().await?.keep_scan(media_type, &bytes)
    }

    /// Lays out the cremation certificate of a case, writes its PDF into
    /// the profile's `prints` folder and returns it with the preview.
    pub async fn cremation_certificate(
        &self,
        id: Uuid,
        offset_mm: (f32, f32),
    ) -> AppResult<CertificatePrint> {
        let offset = mz_print::forms::Offset {
            x_mm: offset_mm.0,
            y_mm: offset_mm.1,
        };
        let (name, pdf, pages_svg) = self.guarded().await?.cremation_certificate(id, offset)?;
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// The receipt of a case's bill: its PDF in the profile's `prints`
    /// folder, with the preview.
    pub async fn funeral_receipt(&self, id: Uuid) -> AppResult<CertificatePrint> {
        let (name, pdf, pages_svg) = self.guarded().await?.funeral_receipt(id)?;
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// Writes the daily cash report of `day` as .xlsx into the profile's
    /// `exports` folder and returns the file's path.
    pub async fn export_funeral_daily_report(&self, day: chrono::NaiveDate) -> AppResult<String> {
        let bytes = self.guarded().await?.funeral_daily_report_xlsx(day)?;
        self.keep_export(&format!("殡仪馆日报-{day}.xlsx"), &bytes)
    }

    /// The daily cash report of `day` as a PDF table in the profile's
    /// `prints` folder, with the preview.
    pub async fn print_funeral_daily_report(
        &self,
        day: chrono::NaiveDate,
    ) -> AppResult<CertificatePrint> {
        let (name, pdf, pages_svg) = self.guarded().await?.funeral_daily_report_pdf(day)?;
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// The month's waiver settlement as a PDF table in the profile's
    /// `prints` folder, with the preview, and how many cases it holds.
    pub async fn print_waiver_settlement(
        &self,
        month: &str,
    ) -> AppResult<(CertificatePrint, usize)> {
        let (name, pdf, pages_svg, cases) = self.guarded().await?.waiver_settlement_pdf(month)?;
        Ok((self.keep_print(&name, &pdf, pages_svg)?, cases))
    }

    /// Writes the month's death data for the exchange (Excel) into the
    /// profile's `exports` folder: the file's path and how many rows.
    pub async fn export_death_records(&self, month: &str) -> AppResult<(String, usize)> {
        let (rows, bytes) = self.guarded().await?.death_records_xlsx(month)?;
        Ok((
            self.keep_export(&format!("死亡数据交换-{month}.xlsx"), &bytes)?,
            rows,
        ))
    }

    /// Writes the month's waiver settlement (Excel) into the profile's
    /// `exports` folder: the file's path and how many cases it holds.
    pub async fn export_waiver_settlement(&self, month: &str) -> AppResult<(String, usize)> {
        let (cases, bytes) = self.guarded().await?.waiver_settlement_xlsx(month)?;
        Ok((
            self.keep_export(&format!("减免结算-{month}.xlsx"), &bytes)?,
            cases,
        ))
    }

    /// The week's table of the leaders' activities as a landscape PDF in
    /// the profile's `prints` folder, with the preview.
    pub async fn print_week_table(&self, day: chrono::NaiveDate) -> AppResult<CertificatePrint> {
        let (name, pdf, pages_svg) = self.guarded().await?.week_table_pdf(day)?;
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// The week's table as .xlsx in the profile's `exports` folder: its path.
    pub async fn export_week_table(&self, day: chrono::NaiveDate) -> AppResult<String> {
        let (name, bytes) = self.guarded().await?.week_table_xlsx(day)?;
        self.keep_export(&name, &bytes)
    }

    /// A leader's activities (all the user sees when none is named) as an
    /// iCalendar file in the profile's `exports` folder: its path.
    pub async fn export_schedule_ics(&self, leader: Option<String>) -> AppResult<String> {
        let (name, text) = self.guarded().await?.schedule_ics(leader.as_deref())?;
        self.keep_export(&name, text.as_bytes())
    }

    /// Attaches a file the clerk chose (its bytes in base64) to a document,
    /// as a step (a classified document's file is sent at once and never
    /// kept on this desk).
    pub async fn office_attach(
        &self,
        id: Uuid,
        name: &str,
        media_type: &str,
        data: &str,
    ) -> AppResult<crate::office::OfficeView> {
        let bytes = crate::files::chosen_bytes(data, "file", "附件")?;
        self.guarded()
            .await?
            .office_attach(id, name, media_type, &bytes)
            .await
    }

    /// A document's attachment for the window: its name, media type and
    /// bytes in base64 (a classified document's read online, kept nowhere).
    pub async fn office_attachment_data(
        &self,
        id: Uuid,
        index: usize,
    ) -> AppResult<(mz_api::office::Attachment, String)> {
        use base64::Engine;
        let (attachment, bytes) = self.guarded().await?.office_attachment(id, index).await?;
        Ok((
            attachment,
            base64::engine::general_purpose::STANDARD.encode(bytes),
        ))
    }

    /// A document's attachment saved into the profile's `exports` folder,
    /// for another program to open (an OFD, a Word or Excel file): its
    /// path. A classified document's attachments are read in the window
    /// only, never saved (a copy counts as the original).
    pub async fn save_office_attachment(&self, id: Uuid, index: usize) -> AppResult<String> {
        let app = self.guarded().await?;
        if app.office_view(id).await?.data.classification.is_some() {
            return Err(AppError::Invalid(
                "涉密公文的附件只在本程序中查看，不能另存".to_owned(),
            ));
        }
        let (attachment, bytes) = app.office_attachment(id, index).await?;
        self.keep_export(&saved_name(&attachment), &bytes)
    }

    /// A version of a library item's file saved into the profile's
    /// `exports` folder under its own name, for another program to open:
    /// its path.
    pub async fn save_library_file(&self, id: Uuid, version: usize) -> AppResult<String> {
        let app = self.guarded().await?;
        let entry = app
            .library_items()?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| AppError::Invalid("本机没有这份资料：请先同步".to_owned()))?;
        let version = entry
            .item
            .versions
            .get(version)
            .ok_or_else(|| AppError::Invalid("这份资料没有这个版本".to_owned()))?;
        let bytes = app.blob(&version.file).await?;
        let named = mz_api::office::Attachment {
            name: version.file_name.clone(),
            file: version.file.clone(),
            by: version.by.clone(),
            at: version.at,
        };
        self.keep_export(&saved_name(&named), &bytes)
    }

    /// A file a record names, base64, for the window to show.
    pub async fn file_data(&self, blob: &mz_domain::blob::BlobRef) -> AppResult<String> {
        use base64::Engine;
        let bytes = self.guarded().await?.blob(blob).await?;
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Lays out the certificate of a registered marriage for one holder,
    /// writes the PDF into the profile's `prints` folder and returns it with
    /// the preview.
    pub async fn marriage_certificate(
        &self,
        id: Uuid,
        holder: usize,
        offset_mm: (f32, f32),
    ) -> AppResult<CertificatePrint> {
        let app = self.guarded().await?;
        let entry = app
            .marriages()?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| AppError::Invalid("没有这条登记记录".to_owned()))?;
        let offset = mz_print::forms::Offset {
            x_mm: offset_mm.0,
            y_mm: offset_mm.1,
        };
        let (pdf, pages_svg) = crate::marriage::certificate(&entry.data, holder, offset)?;
        let name = format!(
            "{}-{}.pdf",
            entry.data.certificate_no.unwrap_or_default(),
            holder + 1
        );
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// The windows that open or close in the seven days from today.
    pub async fn divorces_due(&self) -> AppResult<Vec<crate::marriage::divorce::DueItem>> {
        let app = self.guarded().await?;
        let today = app.today();
        app.divorces_due(today, today + chrono::Days::new(6))
    }

    /// Lays out one paper of a divorce, writes its PDF into the profile's
    /// `prints` folder and returns it with the preview.
    pub async fn divorce_paper(
        &self,
        id: Uuid,
        paper: crate::marriage::divorce::DivorcePaper,
        offset_mm: (f32, f32),
    ) -> AppResult<CertificatePrint> {
        let offset = mz_print::forms::Offset {
            x_mm: offset_mm.0,
            y_mm: offset_mm.1,
        };
        let (name, pdf, pages_svg) = self.guarded().await?.divorce_paper(id, paper, offset)?;
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// Lays out one A4 paper of a registration, writes its PDF into the
    /// profile's `prints` folder and returns it with the preview.
    pub async fn marriage_paper(
        &self,
        id: Uuid,
        paper: crate::marriage::MarriagePaper,
    ) -> AppResult<CertificatePrint> {
        let (name, pdf, pages_svg) = self.guarded().await?.marriage_paper(id, paper)?;
        self.keep_print(&name, &pdf, pages_svg)
    }

    /// This month, the statistics screen's first range.
    pub async fn this_month(&self) -> AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
        Ok(self.guarded().await?.this_month())
    }

    /// Writes the statistics as .xlsx into the profile's `exports` folder
    /// and returns the file's path.
    pub async fn export_marriage_statistics(
        &self,
        query: crate::marriage::statistics::StatisticsQuery,
    ) -> AppResult<String> {
        let bytes = self.guarded().await?.marriage_statistics_xlsx(query)?;
        self.keep_export(
            &format!("婚姻登记统计-{}-{}.xlsx", query.from, query.to),
            &bytes,
        )
    }

    /// Figures as the window shows them, written as .xlsx into the
    /// profile's `exports` folder under `title`: the file's path.
    pub async fn export_figures(
        &self,
        title: &str,
        sheets: Vec<crate::figures::FigureSheet>,
    ) -> AppResult<String> {
        self.guarded().await?;
        let bytes = crate::figures::figures_xlsx(&sheets)?;
        let plain: String = title
            .chars()
            .filter(|c| {
                !c.is_control()
                    && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            })
            .take(80)
            .collect();
        let plain = plain.trim().trim_start_matches('.');
        let name = if plain.is_empty() { "统计" } else { plain };
        self.keep_export(&format!("{name}.xlsx"), &bytes)
    }

    /// The pages of a document as it stands, or the field that stops it.
    pub async fn document_preview(
        &self,
        document: mz_api::documents::OfficialDocument,
    ) -> AppResult<crate::documents::DocumentPreview> {
        self.guarded().await?;
        Ok(crate::documents::document_preview(&document))
    }

    /// Lays out a document, writes its PDF into the profile's `prints`
    /// folder and returns it with the preview.
    pub async fn export_document(
        &self,
        document: mz_api::documents::OfficialDocument,
    ) -> AppResult<CertificatePrint> {
        self.guarded().await?;
        let files = crate::documents::document_files(&document)?;
        self.keep_document(&crate::documents::document_file_name(&document), files)
    }

    /// Keeps a document's PDF in the `prints` folder and its OFD beside it,
    /// of the same layout and name.
    fn keep_document(
        &self,
        name: &str,
        files: crate::documents::DocumentFiles,
    ) -> AppResult<CertificatePrint> {
        let folder = self.profile.dir().join(crate::profile::PRINTS);
        self.keep_document_in(&folder, name, files)
    }

    fn keep_document_in(
        &self,
        folder: &std::path::Path,
        name: &str,
        files: crate::documents::DocumentFiles,
    ) -> AppResult<CertificatePrint> {
        let mut kept = self.keep_print_in(folder, name, &files.pdf, files.pages_svg)?;
        let ofd = std::path::Path::new(&kept.pdf_path).with_extension("ofd");
        mz_print::write_atomically(&ofd, &files.ofd).map_err(|e| AppError::Io(e.to_string()))?;
        kept.ofd_path = Some(ofd.display().to_string());
        Ok(kept)
    }

    /// The 督办 board as .xlsx in the profile's `exports` folder: its path.
    pub async fn export_office_tracking(&self) -> AppResult<String> {
        let (name, bytes) = self.guarded().await?.office_tracking_xlsx()?;
        self.keep_export(&name, &bytes)
    }

    /// A registered official document printed for distribution: PDF and
    /// OFD beside it; a classified one as its registered copies, each with
    /// its copy number (份号), and only so.
    pub async fn export_office_document(&self, id: uuid::Uuid) -> AppResult<CertificatePrint> {
        let view = self.guarded().await?.office_view(id).await?;
        let (Some(document), Some(registration)) = (view.data.document, view.data.registration)
        else {
            return Err(AppError::Invalid(
                "登记编号后才能印制：请先完成复核和登记".to_owned(),
            ));
        };
        if view.data.classification.is_some() {
            // Kept only while it goes to the printer: wiped at sign-out, when
            // the app stops or starts, and after an hour.
            self.profile
                .wipe_classified_prints(Some(crate::profile::CLASSIFIED_PRINTS_KEPT))?;
            let files = crate::documents::numbered_copies(&document, registration.copies)?;
            let stem = crate::documents::document_file_name(&document);
            let stem = stem.trim_end_matches(".pdf");
            let name = format!("{stem}（共{}份）.pdf", registration.copies);
            let folder = self.profile.classified_prints();
            let mut kept = self.keep_document_in(&folder, &name, files)?;
            kept.wiped_after = true;
            return Ok(kept);
        }
        let files = crate::documents::document_files(&document)?;
        self.keep_document(&crate::documents::document_file_name(&document), files)
    }

    /// Writes a print's PDF into the profile's `prints` folder.
    /// Writes an export (a workbook) into the profile's `exports` folder,
    /// whole or not at all, and gives its path.
    fn keep_export(&self, name: &str, bytes: &[u8]) -> AppResult<String> {
        let folder = self.profile.dir().join(crate::profile::EXPORTS);
        std::fs::create_dir_all(&folder).map_err(|e| AppError::Io(e.to_string()))?;
        let path = folder.join(name);
        mz_print::write_atomically(&path, bytes).map_err(|e| AppError::Io(e.to_string()))?;
        Ok(path.display().to_string())
    }

    pub(crate) fn keep_print(
        &self,
        name: &str,
        pdf: &[u8],
        pages_svg: Vec<String>,
    ) -> AppResult<CertificatePrint> {
        let folder = self.profile.dir().join(crate::profile::PRINTS);
        self.keep_print_in(&folder, name, pdf, pages_svg)
    }

    fn keep_print_in(
        &self,
        folder: &std::path::Path,
        name: &str,
        pdf: &[u8],
        pages_svg: Vec<String>,
    ) -> AppResult<CertificatePrint> {
        std::fs::create_dir_all(folder).map_err(|e| AppError::Io(e.to_string()))?;
        let path = folder.join(name);
        mz_print::write_atomically(&path, pdf).map_err(|e| AppError::Io(e.to_string()))?;
        Ok(CertificatePrint {
            pdf_path: path.display().to_string(),
            ofd_path: None,
            pages_svg,
            wiped_after: false,
        })
    }

    /// The bookings of `day` (today in China when not given).
    pub async fn appointments(
        &self,
        day: Option<chrono::NaiveDate>,
    ) -> AppResult<Vec<AppointmentEntry>> {
        let app = self.guarded().await?;
        app.appointments(day.unwrap_or_else(|| app.today()))
    }

    /// The next checked-in couple of today, to call to the counter.
    pub async fn next_in_queue(&self) -> AppResult<Option<AppointmentEntry>> {
        let app = self.guarded().await?;
        app.next_in_queue(app.today())
    }

    /// Stops the background work before the app exits.
    pub async fn shutdown(&self) {
        let mut running = self.running.lock().await;
        if let Some(mut current) = running.take() {
            if let Some(sync) = current.sync.take() {
                sync.end().await;
            }
            if let Some(embedded) = current.started.embedded.take() {
                embedded.stop().await;
            }
        }
        if let Err(error) = self.profile.wipe_classified_prints(None) {
            tracing::error!(%error, "classified printed copies could not be wiped at exit");
        }
    }
}

/// The name an attachment is saved under: its own name (written by whoever
/// attached it, perhaps on another desk) made a plain file name — no folder,
/// no leading dot, no control characters — ending in its kind's extension.
fn saved_name(attachment: &mz_api::office::Attachment) -> String {
    let plain: String = attachment
        .name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let plain = plain.trim().trim_start_matches('.').trim();
    let stem = if plain.is_empty() { "附件" } else { plain };
    let extension = mz_domain::blob::MediaType::parse(&attachment.file.media_type)
        .map_or("bin", mz_domain::blob::MediaType::extension);
    if stem.to_lowercase().ends_with(&format!(".{extension}")) {
        stem.to_owned()
    } else {
        format!("{stem}.{extension}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::saved_name;

    #[test]
    fn an_attachment_is_saved_under_a_plain_name_of_its_kind() {
        let named = |name: &str, media_type: &str| mz_api::office::Attachment {
            name: name.to_owned(),
            file: mz_domain::blob::BlobRef {
                media_type: media_type.to_owned(),
                sha256: "0".repeat(64),
                size: 1,
            },
            by: mz_api::office::Person {
                user_id: "u".to_owned(),
                name: "王".to_owned(),
            },
            at: chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        };
        let pdf = "application/pdf";
        assert_eq!(
            saved_name(&named("附件1 统计表.pdf", pdf)),
            "附件1 统计表.pdf"
        );
        assert_eq!(saved_name(&named("统计表", pdf)), "统计表.pdf");
        assert_eq!(
            saved_name(&named("../../etc/passwd", pdf)),
            "_.._etc_passwd.pdf"
        );
        assert_eq!(saved_name(&named("..", pdf)), "附件.pdf");
        assert_eq!(saved_name(&named("a\\b:c", "application/ofd")), "a_b_c.ofd");
    }
}
