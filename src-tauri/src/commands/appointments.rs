use mz_app::desktop::Desktop;
use mz_app::marriage::appointments::{AppointmentEntry, ImportSummary};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

/// Imports an online-booking export (the file's bytes, .xlsx or .xls).
#[tauri::command]
pub async fn import_appointments(
    desktop: State<'_, Desktop>,
    bytes: Vec<u8>,
) -> Writes<ImportSummary> {
    Ok(desktop.guarded().await?.import_appointments(bytes)?)
}

/// The bookings of a day (today when not given).
#[tauri::command]
pub async fn appointments(
    desktop: State<'_, Desktop>,
    day: Option<chrono::NaiveDate>,
) -> CommandResult<Vec<AppointmentEntry>> {
    Ok(desktop.appointments(day).await?)
}

#[tauri::command]
pub async fn check_in(desktop: State<'_, Desktop>, id: Uuid) -> Writes<u32> {
    Ok(desktop.guarded().await?.check_in(id)?)
}

#[tauri::command]
pub async fn no_show(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.no_show(id)?)
}

/// The next checked-in couple of today, by queue number.
#[tauri::command]
pub async fn next_in_queue(desktop: State<'_, Desktop>) -> CommandResult<Option<AppointmentEntry>> {
    Ok(desktop.next_in_queue().await?)
}

/// A checked-in couple leaves the queue without a record made here.
#[tauri::command]
pub async fn finish_booking(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.finish_booking(id)?)
}
