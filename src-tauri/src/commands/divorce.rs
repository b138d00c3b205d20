use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::marriage::divorce::{DivorceEntry, DivorceForm, DivorcePaper, DueItem};
use mz_domain::marriage::Party;
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

#[tauri::command]
pub async fn divorces(desktop: State<'_, Desktop>) -> CommandResult<Vec<DivorceEntry>> {
    Ok(desktop.guarded().await?.divorces()?)
}

/// The windows that open or close in the seven days from today.
#[tauri::command]
pub async fn divorces_due(desktop: State<'_, Desktop>) -> CommandResult<Vec<DueItem>> {
    Ok(desktop.divorces_due().await?)
}

/// The parties of the office's registered marriage with this certificate number.
#[tauri::command]
pub async fn marriage_by_certificate(
    desktop: State<'_, Desktop>,
    number: String,
) -> CommandResult<Option<[Party; 2]>> {
    Ok(desktop.guarded().await?.marriage_by_certificate(&number)?)
}

/// Receives an application today (offline too).
#[tauri::command]
pub async fn receive_divorce(desktop: State<'_, Desktop>, form: DivorceForm) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.receive_divorce(form)?)
}

#[tauri::command]
pub async fn withdraw_divorce(desktop: State<'_, Desktop>, id: Uuid, by: u8) -> Writes<()> {
    Ok(desktop.guarded().await?.withdraw_divorce(id, by)?)
}

/// The certificate number, in the second period (online).
#[tauri::command]
pub async fn register_divorce(desktop: State<'_, Desktop>, id: Uuid) -> Writes<String> {
    Ok(desktop.guarded().await?.register_divorce(id).await?)
}

#[tauri::command]
pub async fn close_lapsed_divorce(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.close_lapsed_divorce(id)?)
}

#[tauri::command]
pub async fn refuse_divorce(desktop: State<'_, Desktop>, id: Uuid, reason: String) -> Writes<()> {
    Ok(desktop.guarded().await?.refuse_divorce(id, &reason)?)
}

#[tauri::command]
pub async fn reprint_divorce(
    desktop: State<'_, Desktop>,
    id: Uuid,
    reason: String,
) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .reprint_divorce(id, &reason)
        .await?)
}

/// One paper of a divorce: the PDF written to the profile and its preview.
#[tauri::command]
pub async fn divorce_paper(
    desktop: State<'_, Desktop>,
    id: Uuid,
    paper: DivorcePaper,
    offset_x_mm: f32,
    offset_y_mm: f32,
) -> CommandResult<CertificatePrint> {
    Ok(desktop
        .divorce_paper(id, paper, (offset_x_mm, offset_y_mm))
        .await?)
}

/// A certificate issued again to one holder (0 or 1), with a new number (online).
#[tauri::command]
pub async fn reissue_divorce(desktop: State<'_, Desktop>, id: Uuid, holder: u8) -> Writes<String> {
    Ok(desktop.guarded().await?.reissue_divorce(id, holder).await?)
}
