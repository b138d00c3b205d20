//! The desktop session: what the app's window does from first run to logout,
//! as plain async functions that the Tauri commands call.
//!
//! Two guards sit in front of every command that shows or changes records:
//! the idle lock (no input for the profile's idle time → the window locks
//! and asks for the password again; the background sync goes on) and the
//! revoked device (the platform says so → the session ends and the local
//! data is wiped, the outbox with it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use mz_api::auth::UserInfo;
use mz_api::records::HolidayCalendarData;
use mz_store::{PersonHit, Resolution, SyncIssue};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::appointments::{AppointmentEntry, ImportSummary};
use crate::marriage::{CertificatePrint, MarriageEntry, MarriageForm, RegisterOutcome};
use crate::profile::{Mode, Profile, Started};
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
    /// Signed in.
    Ready { user: UserInfo },
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

/// The running profile and its background sync.
#[derive(Debug)]
struct Running {
    started: Started,
    sync_stop: Option<tokio::sync::watch::Sender<bool>>,
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
    /// locked, on a device the platform still accepts.
    async fn guarded(&self) -> AppResult<Arc<crate::ClientApp>> {
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

    /// The platform revoked this device: stop, wipe everything, tell the user.
    async fn end_revoked(&self) -> AppResult<()> {
        self.stop(false).await?;
        *self.notice.lock().map_err(|_| AppError::Poisoned)? =
            Some(AppError::DeviceRevoked.to_string());
        Ok(())
    }

    /// Stops the sync and the embedded platform, ends the session and wipes
    /// the cache (keeping the outbox in a file when `keep_outbox`).
    async fn stop(&self, keep_outbox: bool) -> AppResult<()> {
        let mut running = self.running.lock().await;
        if let Some(mut current) = running.take() {
            if let Some(stop) = current.sync_stop.take() {
                let _ = stop.send(true);
            }
            current.started.app.logout().await?;
            self.profile.wipe(&current.started.app, keep_outbox)?;
            if let Some(embedded) = current.started.embedded.take() {
                embedded.stop().await;
            }
        }
        Ok(())
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
        let started = self.profile.start().await?;
        let app = started.app.clone();
        *running = Some(Running {
            started,
            sync_stop: None,
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
            Some(user) => Phase::Ready { user },
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
        let mut running = self.running.lock().await;
        if let Some(running) = running.as_mut()
            && running.sync_stop.is_none()
        {
            let (stop, stopped) = tokio::sync::watch::channel(false);
            tokio::spawn(app.clone().run_sync(self.sync_interval, stopped));
            running.sync_stop = Some(stop);
        }
        Ok(user)
    }

    /// Signs out; the background sync stops and the local data is wiped
    /// (what still waited to be sent is saved to a file first).
    pub async fn logout(&self) -> AppResult<()> {
        self.stop(true).await
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

    pub async fn save_holiday_calendar(
        &self,
        id: Option<Uuid>,
        calendar: HolidayCalendarData,
    ) -> AppResult<Uuid> {
        self.guarded().await?.save_holiday_calendar(id, calendar)
    }

    pub async fn sync_issues(&self) -> AppResult<Vec<SyncIssue>> {
        self.guarded().await?.sync_issues()
    }

    pub async fn resolve(&self, device_seq: i64, resolution: &Resolution) -> AppResult<()> {
        self.guarded().await?.resolve(device_seq, resolution)
    }

    pub async fn marriages(&self) -> AppResult<Vec<MarriageEntry>> {
        self.guarded().await?.marriages()
    }

    pub async fn prepare_marriage(&self, id: Option<Uuid>, form: MarriageForm) -> AppResult<Uuid> {
        self.guarded().await?.prepare_marriage(id, form)
    }

    pub async fn register_marriage(&self, id: Uuid) -> AppResult<RegisterOutcome> {
        self.guarded().await?.register_marriage(id).await
    }

    pub async fn refuse_marriage(&self, id: Uuid, reason: &str) -> AppResult<()> {
        self.guarded().await?.refuse_marriage(id, reason)
    }

    pub async fn reprint_marriage(&self, id: Uuid, reason: &str) -> AppResult<String> {
        self.guarded().await?.reprint_marriage(id, reason).await
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

    pub async fn divorces(&self) -> AppResult<Vec<crate::divorce::DivorceEntry>> {
        self.guarded().await?.divorces()
    }

    /// The windows that open or close in the seven days from today.
    pub async fn divorces_due(&self) -> AppResult<Vec<crate::divorce::DueItem>> {
        let app = self.guarded().await?;
        let today = app.today();
        app.divorces_due(today, today + chrono::Days::new(6))
    }

    pub async fn marriage_by_certificate(
        &self,
        number: &str,
    ) -> AppResult<Option<[mz_domain::marriage::Party; 2]>> {
        self.guarded().await?.marriage_by_certificate(number)
    }

    pub async fn receive_divorce(&self, form: crate::divorce::DivorceForm) -> AppResult<Uuid> {
        self.guarded().await?.receive_divorce(form)
    }

    pub async fn withdraw_divorce(&self, id: Uuid, by: u8) -> AppResult<()> {
        self.guarded().await?.withdraw_divorce(id, by)
    }

    pub async fn register_divorce(&self, id: Uuid) -> AppResult<String> {
        self.guarded().await?.register_divorce(id).await
    }

    pub async fn close_lapsed_divorce(&self, id: Uuid) -> AppResult<()> {
        self.guarded().await?.close_lapsed_divorce(id)
    }

    pub async fn refuse_divorce(&self, id: Uuid, reason: &str) -> AppResult<()> {
        self.guarded().await?.refuse_divorce(id, reason)
    }

    pub async fn record_history(
        &self,
        kind: mz_api::records::RecordKind,
        id: Uuid,
    ) -> AppResult<Vec<mz_api::records::HistoryEntry>> {
        self.guarded().await?.record_history(kind, id).await
    }

    pub async fn record_annulment(
        &self,
        id: Uuid,
        annulment: mz_api::records::Annulment,
    ) -> AppResult<()> {
        self.guarded().await?.record_annulment(id, annulment).await
    }

    pub async fn reissue_marriage(&self, id: Uuid, holder: u8) -> AppResult<String> {
        self.guarded().await?.reissue_marriage(id, holder).await
    }

    pub async fn reissue_divorce(&self, id: Uuid, holder: u8) -> AppResult<String> {
        self.guarded().await?.reissue_divorce(id, holder).await
    }

    pub async fn reprint_divorce(&self, id: Uuid, reason: &str) -> AppResult<String> {
        self.guarded().await?.reprint_divorce(id, reason).await
    }

    /// Lays out one paper of a divorce, writes its PDF into the profile's
    /// `prints` folder and returns it with the preview.
    pub async fn divorce_paper(
        &self,
        id: Uuid,
        paper: crate::divorce::DivorcePaper,
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

    pub async fn marriage_statistics(
        &self,
        query: crate::statistics::StatisticsQuery,
    ) -> AppResult<crate::statistics::Statistics> {
        self.guarded().await?.marriage_statistics(query)
    }

    pub async fn marriage_figures(
        &self,
        query: crate::statistics::StatisticsQuery,
    ) -> AppResult<Vec<mz_api::marriage::OfficeFigures>> {
        self.guarded().await?.marriage_figures(query).await
    }

    /// This month, the statistics screen's first range.
    pub async fn this_month(&self) -> AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
        Ok(self.guarded().await?.this_month())
    }

    /// Writes the statistics as .xlsx into the profile's `exports` folder
    /// and returns the file's path.
    pub async fn export_marriage_statistics(
        &self,
        query: crate::statistics::StatisticsQuery,
    ) -> AppResult<String> {
        let bytes = self.guarded().await?.marriage_statistics_xlsx(query)?;
        let folder = self.profile.dir().join("exports");
        std::fs::create_dir_all(&folder).map_err(|e| AppError::Io(e.to_string()))?;
        let path = folder.join(format!("婚姻登记统计-{}-{}.xlsx", query.from, query.to));
        mz_print::write_atomically(&path, &bytes).map_err(|e| AppError::Io(e.to_string()))?;
        Ok(path.display().to_string())
    }

    pub async fn document_drafts(&self) -> AppResult<Vec<crate::documents::DraftEntry>> {
        self.guarded().await?.document_drafts()
    }

    pub async fn save_document_draft(
        &self,
        id: Option<Uuid>,
        document: mz_api::documents::OfficialDocument,
    ) -> AppResult<Uuid> {
        self.guarded().await?.save_document_draft(id, document)
    }

    pub async fn delete_document_draft(&self, id: Uuid) -> AppResult<()> {
        self.guarded().await?.delete_document_draft(id)
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
        let (pdf, pages_svg) = crate::documents::document_pdf(&document)?;
        self.keep_print(
            &crate::documents::document_file_name(&document),
            &pdf,
            pages_svg,
        )
    }

    /// Writes a print's PDF into the profile's `prints` folder.
    pub(crate) fn keep_print(
        &self,
        name: &str,
        pdf: &[u8],
        pages_svg: Vec<String>,
    ) -> AppResult<CertificatePrint> {
        let folder = self.profile.dir().join("prints");
        std::fs::create_dir_all(&folder).map_err(|e| AppError::Io(e.to_string()))?;
        let path = folder.join(name);
        mz_print::write_atomically(&path, pdf).map_err(|e| AppError::Io(e.to_string()))?;
        Ok(CertificatePrint {
            pdf_path: path.display().to_string(),
            pages_svg,
        })
    }

    pub async fn import_appointments(&self, bytes: Vec<u8>) -> AppResult<ImportSummary> {
        self.guarded().await?.import_appointments(bytes)
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

    pub async fn finish_booking(&self, id: Uuid) -> AppResult<()> {
        self.guarded().await?.finish_booking(id)
    }

    pub async fn check_in(&self, id: Uuid) -> AppResult<u32> {
        self.guarded().await?.check_in(id)
    }

    pub async fn no_show(&self, id: Uuid) -> AppResult<()> {
        self.guarded().await?.no_show(id)
    }

    /// People in the local cache; signed-in users only.
    pub async fn search_people(&self, query: &str, limit: usize) -> AppResult<Vec<PersonHit>> {
        self.guarded().await?.search_people(query, limit)
    }

    /// Stops the background work before the app exits.
    pub async fn shutdown(&self) {
        let mut running = self.running.lock().await;
        if let Some(mut current) = running.take() {
            if let Some(stop) = current.sync_stop.take() {
                let _ = stop.send(true);
            }
            if let Some(embedded) = current.started.embedded.take() {
                embedded.stop().await;
            }
        }
    }
}
