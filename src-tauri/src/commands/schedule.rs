//! The leadership schedule: the week, an activity placed, changed or
//! cancelled, and the week's table printed and exported.

use mz_api::schedule::{ActivityData, ScheduleSetupData};
use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::schedule::{ActivitySaved, Week};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

/// The department's leaders and whom each secretary serves.
#[tauri::command]
pub async fn schedule_setup(desktop: State<'_, Desktop>) -> CommandResult<ScheduleSetupData> {
    Ok(desktop.guarded().await?.schedule_setup()?)
}

/// The week (from its Monday) that holds a day (today when not given).
#[tauri::command]
pub async fn schedule_week(
    desktop: State<'_, Desktop>,
    day: Option<chrono::NaiveDate>,
) -> CommandResult<Week> {
    let app = desktop.guarded().await?;
    Ok(app.schedule_week(day.unwrap_or_else(|| app.today()))?)
}

/// Places (no id) or changes an activity (offline too): the warnings of
/// journeys too short; a leader in two places at once is refused unless
/// the reason is written.
#[tauri::command]
pub async fn save_activity(
    desktop: State<'_, Desktop>,
    id: Option<Uuid>,
    data: ActivityData,
) -> Writes<ActivitySaved> {
    Ok(desktop.guarded().await?.save_activity(id, data)?)
}

/// Cancels an activity (kept, struck through).
#[tauri::command]
pub async fn cancel_activity(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.cancel_activity(id)?)
}

/// The week's table (领导活动安排表) as a landscape PDF, with its preview.
#[tauri::command]
pub async fn print_week_table(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
) -> CommandResult<CertificatePrint> {
    Ok(desktop.print_week_table(day).await?)
}

/// The week's table as Excel in the profile's exports folder: its path.
#[tauri::command]
pub async fn export_week_table(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
) -> CommandResult<String> {
    Ok(desktop.export_week_table(day).await?)
}

/// Reports a leader away (offline too): the principal and the executive
/// deputy not both away unless the reason is written.
#[tauri::command]
pub async fn save_away(
    desktop: State<'_, Desktop>,
    id: Option<Uuid>,
    data: mz_api::schedule::AwayData,
) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.save_away(id, data)?)
}

/// Publishes the week's table as it stands (the office); a later change is
/// marked on the table.
#[tauri::command]
pub async fn publish_week(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
) -> Writes<mz_api::schedule::WeekTableData> {
    Ok(desktop.guarded().await?.publish_week(day)?)
}
