use mz_api::records::HolidayCalendarData;
use mz_app::desktop::{CalendarEntry, Desktop};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

#[tauri::command]
pub async fn holiday_calendars(desktop: State<'_, Desktop>) -> CommandResult<Vec<CalendarEntry>> {
    Ok(desktop.holiday_calendars().await?)
}

#[tauri::command]
pub async fn save_holiday_calendar(
    desktop: State<'_, Desktop>,
    id: Option<Uuid>,
    calendar: HolidayCalendarData,
) -> Writes<Uuid> {
    Ok(desktop
        .guarded()
        .await?
        .save_holiday_calendar(id, calendar)?)
}
