use mz_api::documents::OfficialDocument;
use mz_app::desktop::Desktop;
use mz_app::documents::{DocumentPreview, DraftEntry};
use mz_app::forms::CertificatePrint;
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

/// The unit's document drafts, newest first.
#[tauri::command]
pub async fn document_drafts(desktop: State<'_, Desktop>) -> CommandResult<Vec<DraftEntry>> {
    Ok(desktop.guarded().await?.document_drafts()?)
}

/// Saves a draft (a new one without `id`); sync shares it with the unit.
#[tauri::command]
pub async fn save_document_draft(
    desktop: State<'_, Desktop>,
    id: Option<Uuid>,
    document: OfficialDocument,
) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.save_document_draft(id, document)?)
}

#[tauri::command]
pub async fn delete_document_draft(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.delete_document_draft(id)?)
}

/// The pages the document will print as, or the field that stops it.
#[tauri::command]
pub async fn document_preview(
    desktop: State<'_, Desktop>,
    document: OfficialDocument,
) -> CommandResult<DocumentPreview> {
    Ok(desktop.document_preview(document).await?)
}

/// Writes the document's PDF into the profile's prints folder.
#[tauri::command]
pub async fn export_document(
    desktop: State<'_, Desktop>,
    document: OfficialDocument,
) -> CommandResult<CertificatePrint> {
    Ok(desktop.export_document(document).await?)
}
