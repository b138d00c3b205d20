use mz_app::Status;
use mz_app::desktop::Desktop;
use mz_store::{Resolution, SyncIssue};
use tauri::State;

use super::{CommandResult, Writes};

#[tauri::command]
pub async fn status(desktop: State<'_, Desktop>) -> CommandResult<Status> {
    Ok(desktop.status().await?)
}

#[tauri::command]
pub async fn sync_now(desktop: State<'_, Desktop>) -> Writes<()> {
    Ok(desktop.sync_now().await?)
}

/// Pauses receiving from the platform (sending goes on), or resumes it.
#[tauri::command]
pub async fn pause_pull(desktop: State<'_, Desktop>, paused: bool) -> Writes<()> {
    Ok(desktop.pause_pull(paused).await?)
}

#[tauri::command]
pub async fn sync_issues(desktop: State<'_, Desktop>) -> CommandResult<Vec<SyncIssue>> {
    Ok(desktop.guarded().await?.sync_issues()?)
}

#[tauri::command]
pub async fn resolve(
    desktop: State<'_, Desktop>,
    device_seq: i64,
    resolution: Resolution,
) -> Writes<()> {
    Ok(desktop.guarded().await?.resolve(device_seq, &resolution)?)
}

/// Every change of a record on the platform: who, when, on which device.
#[tauri::command]
pub async fn record_history(
    desktop: State<'_, Desktop>,
    kind: mz_api::records::RecordKind,
    id: uuid::Uuid,
) -> CommandResult<Vec<mz_api::records::HistoryEntry>> {
    Ok(desktop.guarded().await?.record_history(kind, id).await?)
}
