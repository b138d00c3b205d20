use mz_app::Status;
use mz_app::desktop::Desktop;
use mz_store::{Resolution, SyncIssue};
use tauri::State;

use super::CommandResult;

#[tauri::command]
pub async fn status(desktop: State<'_, Desktop>) -> CommandResult<Status> {
    Ok(desktop.status().await?)
}

#[tauri::command]
pub async fn sync_now(desktop: State<'_, Desktop>) -> CommandResult<()> {
    Ok(desktop.sync_now().await?)
}

#[tauri::command]
pub async fn sync_issues(desktop: State<'_, Desktop>) -> CommandResult<Vec<SyncIssue>> {
    Ok(desktop.sync_issues().await?)
}

/// `choice` is `keep_mine` or `take_theirs`.
#[tauri::command]
pub async fn resolve(
    desktop: State<'_, Desktop>,
    device_seq: i64,
    choice: String,
) -> CommandResult<()> {
    let resolution = match choice.as_str() {
        "take_theirs" => Resolution::TakeTheirs,
        _ => Resolution::KeepMine,
    };
    Ok(desktop.resolve(device_seq, &resolution).await?)
}
