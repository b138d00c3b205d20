//! Reminders before an activity: once a minute, the activities of the
//! user's own schedule (a leader's, a secretary's leaders') that start
//! within [`AHEAD_MINUTES`] are shown as a desktop notification (Tauri's
//! notification plugin) and told to the window (`schedule-reminder`), each
//! occurrence once. Nothing is reminded while no one is signed in or the
//! window is locked.

use std::collections::HashSet;

use mz_app::desktop::Desktop;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

/// How long before an activity its reminder comes.
pub const AHEAD_MINUTES: i64 = 15;

/// Starts the reminders' minute.
pub fn start(handle: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut sent: HashSet<(uuid::Uuid, chrono::NaiveDateTime)> = HashSet::new();
        let mut minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            minute.tick().await;
            let desktop = handle.state::<Desktop>();
            // Signed out, locked or revoked: there is no one to remind.
            let Ok(app) = desktop.guarded().await else {
                continue;
            };
            let due = app.due_reminders(app.china_now(), chrono::Duration::minutes(AHEAD_MINUTES));
            match due {
                Ok(due) => {
                    for reminder in due {
                        if sent.insert((reminder.id, reminder.start)) {
                            show(&handle, &reminder);
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "the reminders could not be read"),
            }
        }
    });
}

fn show(handle: &AppHandle, reminder: &mz_app::schedule::Reminder) {
    if let Err(error) = handle
        .notification()
        .builder()
        .title(&reminder.title)
        .body(&reminder.body)
        .show()
    {
        // A desktop without a notification service still gets it in the window.
        tracing::warn!(%error, "the desktop notification could not be shown");
    }
    if let Err(error) = handle.emit("schedule-reminder", reminder) {
        tracing::warn!(%error, "the reminder could not reach the window");
    }
}
