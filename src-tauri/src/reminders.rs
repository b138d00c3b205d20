//! Reminders before an activity: once a minute, the activities of the
//! user's own schedule (a leader's, a secretary's leaders') that start
//! within [`AHEAD_MINUTES`] are shown as a desktop notification (Tauri's
//! notification plugin) and told to the window (`schedule-reminder`), each
//! occurrence once. A leader's instruction (批示) that names the user and
//! reaches this desk while it runs is shown the same way
//! (`office-instruction`); those already here when it starts are in the
//! inbox. Nothing is reminded while no one is signed in or the window is
//! locked.

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
        // The instructions seen, per signed-in user: the first reading is
        // what the inbox already shows.
        let mut instructions: Option<(uuid::Uuid, HashSet<(uuid::Uuid, chrono::NaiveDateTime)>)> =
            None;
        let mut minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            minute.tick().await;
            let desktop = handle.state::<Desktop>();
            // Signed out, locked or revoked: there is no one to remind.
            let Ok(app) = desktop.guarded().await else {
                continue;
            };
            let user = match app.user() {
                Ok(user) => user.map(|u| u.id),
                Err(error) => {
                    tracing::warn!(%error, "the signed-in user could not be read");
                    None
                }
            };
            match (user, app.office_instructions()) {
                (Some(user), Ok(found)) => {
                    let keys = found.iter().map(|r| (r.id, r.start));
                    match &mut instructions {
                        Some((seen_for, seen)) if *seen_for == user => {
                            for reminder in &found {
                                if seen.insert((reminder.id, reminder.start)) {
                                    show(&handle, reminder, "office-instruction");
                                }
                            }
                        }
                        _ => instructions = Some((user, keys.collect())),
                    }
                }
                (_, Err(error)) => tracing::warn!(%error, "the instructions could not be read"),
                (None, Ok(_)) => {}
            }
            let due = app.due_reminders(app.china_now(), chrono::Duration::minutes(AHEAD_MINUTES));
            match due {
                Ok(due) => {
                    for reminder in due {
                        if sent.insert((reminder.id, reminder.start)) {
                            show(&handle, &reminder, "schedule-reminder");
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "the reminders could not be read"),
            }
        }
    });
}

fn show(handle: &AppHandle, reminder: &mz_app::schedule::Reminder, event: &str) {
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
    if let Err(error) = handle.emit(event, reminder) {
        tracing::warn!(%error, "the reminder could not reach the window");
    }
}
