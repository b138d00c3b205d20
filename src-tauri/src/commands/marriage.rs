use mz_app::desktop::Desktop;
use mz_app::marriage::{MarriageEntry, MarriageForm, RegisterOutcome};
use tauri::State;
use uuid::Uuid;

use super::CommandResult;

#[tauri::command]
pub async fn marriages(desktop: State<'_, Desktop>) -> CommandResult<Vec<MarriageEntry>> {
    Ok(desktop.marriages().await?)
}

/// Saves the form as a prepared registration (offline too).
#[tauri::command]
pub async fn prepare_marriage(
    desktop: State<'_, Desktop>,
    id: Option<Uuid>,
    form: MarriageForm,
) -> CommandResult<Uuid> {
    Ok(desktop.prepare_marriage(id, form).await?)
}

/// The marital-status check and the certificate number (online).
#[tauri::command]
pub async fn register_marriage(
    desktop: State<'_, Desktop>,
    id: Uuid,
) -> CommandResult<RegisterOutcome> {
    Ok(desktop.register_marriage(id).await?)
}

#[tauri::command]
pub async fn refuse_marriage(
    desktop: State<'_, Desktop>,
    id: Uuid,
    reason: String,
) -> CommandResult<()> {
    Ok(desktop.refuse_marriage(id, &reason).await?)
}

#[tauri::command]
pub async fn reprint_marriage(
    desktop: State<'_, Desktop>,
    id: Uuid,
    reason: String,
) -> CommandResult<String> {
    Ok(desktop.reprint_marriage(id, &reason).await?)
}
