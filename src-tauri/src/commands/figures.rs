//! 数据分析: the dashboard's figures, and any figures the window shows
//! written to Excel.

use mz_app::desktop::Desktop;
use mz_app::figures::{Dashboard, FigureSheet};
use tauri::State;

use super::CommandResult;

/// The figures the user's roles read, month by month from `from` to `to`
/// (`2026-12`), from the platform (online).
#[tauri::command]
pub async fn dashboard(
    desktop: State<'_, Desktop>,
    from: String,
    to: String,
) -> CommandResult<Dashboard> {
    Ok(desktop.guarded().await?.dashboard(&from, &to).await?)
}

/// Figures as the window shows them (a chart's or a table's counts) as an
/// Excel workbook in the profile's exports folder: its path.
#[tauri::command]
pub async fn export_figures(
    desktop: State<'_, Desktop>,
    title: String,
    sheets: Vec<FigureSheet>,
) -> CommandResult<String> {
    Ok(desktop.export_figures(&title, sheets).await?)
}
