//! 综合查询: one query over every record this desk holds, each hit with the
//! module whose page opens it.

use mz_app::desktop::Desktop;
use mz_app::search::{SearchFilter, SearchFound};
use tauri::State;

use super::CommandResult;

/// Every record this desk holds that `q` finds (a name, a number, two
/// characters of a title or a text) within `filter` (a module, a unit,
/// days), people first, with the units among the hits to narrow by.
#[tauri::command]
pub async fn search_everything(
    desktop: State<'_, Desktop>,
    q: String,
    filter: SearchFilter,
) -> CommandResult<SearchFound> {
    Ok(desktop.guarded().await?.search_everything(&q, &filter)?)
}

/// Asks the platform for its units' names (the units a search narrows by),
/// kept for offline use; fails, keeping what was kept, when it cannot be
/// reached.
#[tauri::command]
pub async fn refresh_unit_names(desktop: State<'_, Desktop>) -> CommandResult<()> {
    Ok(desktop.guarded().await?.refresh_unit_names().await?)
}
