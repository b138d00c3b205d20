//! The desktop session: what the app's window does from first run to logout,
//! as plain async functions that the Tauri commands call.

use std::sync::Arc;
use std::time::Duration;

use mz_api::auth::UserInfo;
use mz_api::records::HolidayCalendarData;
use mz_store::{PersonHit, Resolution, SyncIssue};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::profile::{Mode, Profile, Started};
use crate::{AppError, AppResult, Status};
use ts_rs::TS;

/// Where the window starts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// First run: the wizard.
    Setup,
    /// Set up, nobody signed in.
    Login { mode: Mode },
    /// Signed in.
    Ready { user: UserInfo },
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

#[derive(Debug)]
pub struct Desktop {
    profile: Profile,
    device_name: String,
    sync_interval: Duration,
    running: Mutex<Option<Running>>,
}

impl Desktop {
    pub fn new(profile: Profile, device_name: &str) -> Desktop {
        Desktop {
            profile,
            device_name: device_name.to_owned(),
            sync_interval: Duration::from_secs(5),
            running: Mutex::new(None),
        }
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

    pub async fn phase(&self) -> AppResult<Phase> {
        let Some(config) = self.profile.config()? else {
            return Ok(Phase::Setup);
        };
        let app = self.ensure_started().await?;
        Ok(match app.user()? {
            Some(user) => Phase::Ready { user },
            None => Phase::Login { mode: config.mode },
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
        let user = app.login(username, password).await?;
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
        let mut running = self.running.lock().await;
        if let Some(mut current) = running.take() {
            if let Some(stop) = current.sync_stop.take() {
                let _ = stop.send(true);
            }
            current.started.app.logout().await?;
            self.profile.wipe(&current.started.app)?;
            if let Some(embedded) = current.started.embedded.take() {
                embedded.stop().await;
            }
        }
        Ok(())
    }

    pub async fn status(&self) -> AppResult<Status> {
        self.ensure_started().await?.status()
    }

    pub async fn sync_now(&self) -> AppResult<()> {
        self.ensure_started().await?.sync_once().await.map(|_| ())
    }

    pub async fn holiday_calendars(&self) -> AppResult<Vec<CalendarEntry>> {
        let app = self.ensure_started().await?;
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
        let app = self.ensure_started().await?;
        if app.user()?.is_none() {
            return Err(AppError::SignedOut);
        }
        app.save_holiday_calendar(id, calendar)
    }

    pub async fn sync_issues(&self) -> AppResult<Vec<SyncIssue>> {
        self.ensure_started().await?.sync_issues()
    }

    pub async fn resolve(&self, device_seq: i64, resolution: &Resolution) -> AppResult<()> {
        self.ensure_started().await?.resolve(device_seq, resolution)
    }

    /// People in the local cache; signed-in users only.
    pub async fn search_people(&self, query: &str, limit: usize) -> AppResult<Vec<PersonHit>> {
        let app = self.ensure_started().await?;
        if app.user()?.is_none() {
            return Err(AppError::SignedOut);
        }
        app.search_people(query, limit)
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
