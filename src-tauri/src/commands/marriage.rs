use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::marriage::statistics::{Statistics, StatisticsQuery};
use mz_app::marriage::{MarriageEntry, MarriageForm, MarriagePaper, RegisterOutcome};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

#[tauri::command]
pub async fn marriages(desktop: State<'_, Desktop>) -> CommandResult<Vec<MarriageEntry>> {
    Ok(desktop.guarded().await?.marriages()?)
}

/// Saves the form as a prepared registration (offline too).
#[tauri::command]
pub async fn prepare_marriage(
    desktop: State<'_, Desktop>,
    id: Option<Uuid>,
    form: MarriageForm,
) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.prepare_marriage(id, form)?)
}

/// Keeps the photo the clerk chose (its bytes in base64) in the local cache;
/// the form names it by the reference returned.
#[tauri::command]
pub async fn keep_photo(
    desktop: State<'_, Desktop>,
    media_type: String,
    data: String,
) -> Writes<mz_domain::blob::BlobRef> {
    Ok(desktop.keep_photo(&media_type, &data).await?)
}

/// A file a record names (a couple's photo), base64: from the local cache,
/// or fetched from the platform when online.
#[tauri::command]
pub async fn file_data(
    desktop: State<'_, Desktop>,
    file: mz_domain::blob::BlobRef,
) -> CommandResult<String> {
    Ok(desktop.file_data(&file).await?)
}

/// The marital-status check and the certificate number (online).
#[tauri::command]
pub async fn register_marriage(desktop: State<'_, Desktop>, id: Uuid) -> Writes<RegisterOutcome> {
    Ok(desktop.guarded().await?.register_marriage(id).await?)
}

#[tauri::command]
pub async fn refuse_marriage(desktop: State<'_, Desktop>, id: Uuid, reason: String) -> Writes<()> {
    Ok(desktop.guarded().await?.refuse_marriage(id, &reason)?)
}

#[tauri::command]
pub async fn reprint_marriage(
    desktop: State<'_, Desktop>,
    id: Uuid,
    reason: String,
) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .reprint_marriage(id, &reason)
        .await?)
}

/// The certificate of a registered marriage for one holder (0 the man's
/// copy, 1 the woman's): the PDF written to the profile and its preview.
#[tauri::command]
pub async fn marriage_certificate(
    desktop: State<'_, Desktop>,
    id: Uuid,
    holder: usize,
    offset_x_mm: f32,
    offset_y_mm: f32,
) -> CommandResult<CertificatePrint> {
    Ok(desktop
        .marriage_certificate(id, holder, (offset_x_mm, offset_y_mm))
        .await?)
}

/// One A4 paper of a registration (statement, review form, refusal notice):
/// the PDF written to the profile and its preview. Works offline.
#[tauri::command]
pub async fn marriage_paper(
    desktop: State<'_, Desktop>,
    id: Uuid,
    paper: MarriagePaper,
) -> CommandResult<CertificatePrint> {
    Ok(desktop.marriage_paper(id, paper).await?)
}

#[tauri::command]
pub async fn marriage_statistics(
    desktop: State<'_, Desktop>,
    query: StatisticsQuery,
) -> CommandResult<Statistics> {
    Ok(desktop.guarded().await?.marriage_statistics(query)?)
}

/// The first and last day of this month.
#[tauri::command]
pub async fn this_month(desktop: State<'_, Desktop>) -> CommandResult<(String, String)> {
    let (from, to) = desktop.this_month().await?;
    Ok((from.to_string(), to.to_string()))
}

/// The statistics as an Excel workbook in the profile's exports folder.
#[tauri::command]
pub async fn export_marriage_statistics(
    desktop: State<'_, Desktop>,
    query: StatisticsQuery,
) -> CommandResult<String> {
    Ok(desktop.export_marriage_statistics(query).await?)
}

/// A certificate issued again to one holder (0 or 1), with a new number (online).
#[tauri::command]
pub async fn reissue_marriage(desktop: State<'_, Desktop>, id: Uuid, holder: u8) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .reissue_marriage(id, holder)
        .await?)
}

/// A court's judgement (撤销 or 无效) recorded on a registration (online).
#[tauri::command]
pub async fn record_annulment(
    desktop: State<'_, Desktop>,
    id: Uuid,
    annulment: mz_api::records::Annulment,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .record_annulment(id, annulment)
        .await?)
}

/// The office's marital-status checks of a day, for its head (online).
#[tauri::command]
pub async fn marriage_day_checks(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
) -> CommandResult<Vec<mz_api::marriage::StatusCheckEntry>> {
    Ok(desktop.guarded().await?.marriage_day_checks(day).await?)
}

/// Each office's counts from the platform, within the user's reach (online).
#[tauri::command]
pub async fn marriage_figures(
    desktop: State<'_, Desktop>,
    query: StatisticsQuery,
) -> CommandResult<Vec<mz_api::marriage::OfficeFigures>> {
    Ok(desktop.guarded().await?.marriage_figures(query).await?)
}
