//! The leadership schedule: the week, an activity placed, changed or
//! cancelled, and the week's table printed and exported.

use mz_api::schedule::{ActivityData, ScheduleSetupData};
use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::schedule::feeds::FeedLink;
use mz_app::schedule::files::CalendarImport;
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

/// Changes one occurrence of a series (仅此次): a record of its own in its
/// place.
#[tauri::command]
pub async fn save_occurrence(
    desktop: State<'_, Desktop>,
    series: Uuid,
    start: chrono::NaiveDateTime,
    data: ActivityData,
) -> Writes<ActivitySaved> {
    Ok(desktop
        .guarded()
        .await?
        .save_occurrence(series, start, data)?)
}

/// Cancels one occurrence of a series.
#[tauri::command]
pub async fn cancel_occurrence(
    desktop: State<'_, Desktop>,
    series: Uuid,
    start: chrono::NaiveDateTime,
) -> Writes<()> {
    Ok(desktop.guarded().await?.cancel_occurrence(series, start)?)
}

/// Changes a series from one occurrence on (此次及以后): the series ends
/// before it and a new one starts there.
#[tauri::command]
pub async fn split_series(
    desktop: State<'_, Desktop>,
    series: Uuid,
    start: chrono::NaiveDateTime,
    data: ActivityData,
) -> Writes<ActivitySaved> {
    Ok(desktop.guarded().await?.split_series(series, start, data)?)
}

/// A leader's activities (all the user sees when none is named) as an
/// iCalendar file in the profile's exports folder: its path.
#[tauri::command]
pub async fn export_schedule_ics(
    desktop: State<'_, Desktop>,
    leader: Option<String>,
) -> CommandResult<String> {
    Ok(desktop.export_schedule_ics(leader).await?)
}

/// Imports an iCalendar file (its bytes); events naming no leader are
/// `leader`'s. Whole, or nothing with every wrong event named.
#[tauri::command]
pub async fn import_schedule_ics(
    desktop: State<'_, Desktop>,
    bytes: Vec<u8>,
    leader: Option<String>,
) -> Writes<CalendarImport> {
    Ok(desktop
        .guarded()
        .await?
        .import_schedule_ics(&bytes, leader)?)
}

/// Imports the office's weekly Excel sheet (its bytes). Whole, or nothing
/// with every wrong cell named.
#[tauri::command]
pub async fn import_schedule_sheet(
    desktop: State<'_, Desktop>,
    bytes: Vec<u8>,
    visibility: mz_domain::schedule::Visibility,
) -> Writes<CalendarImport> {
    Ok(desktop
        .guarded()
        .await?
        .import_schedule_sheet(bytes, visibility)?)
}

/// The phone feeds of the leaders the user manages (online only).
#[tauri::command]
pub async fn schedule_feeds(
    desktop: State<'_, Desktop>,
) -> CommandResult<Vec<mz_api::schedule::Feed>> {
    Ok(desktop.guarded().await?.schedule_feeds().await?)
}

/// Makes a leader's phone feed: its address, shown this once.
#[tauri::command]
pub async fn create_schedule_feed(
    desktop: State<'_, Desktop>,
    leader: String,
) -> CommandResult<FeedLink> {
    Ok(desktop
        .guarded()
        .await?
        .create_schedule_feed(leader)
        .await?)
}

/// Revokes a phone feed.
#[tauri::command]
pub async fn revoke_schedule_feed(
    desktop: State<'_, Desktop>,
    id: Uuid,
) -> CommandResult<mz_api::schedule::Feed> {
    Ok(desktop.guarded().await?.revoke_schedule_feed(id).await?)
}

/// One leader's month (every leader's when none is named) that holds a day.
#[tauri::command]
pub async fn schedule_month(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
    leader: Option<String>,
) -> CommandResult<mz_app::schedule::Month> {
    Ok(desktop.guarded().await?.schedule_month(day, leader)?)
}

/// "My day": the user's own leaders' activities of a day (today when not given).
#[tauri::command]
pub async fn my_day(
    desktop: State<'_, Desktop>,
    day: Option<chrono::NaiveDate>,
) -> CommandResult<mz_app::schedule::DayPlan> {
    let app = desktop.guarded().await?;
    Ok(app.my_day(day.unwrap_or_else(|| app.today()))?)
}
