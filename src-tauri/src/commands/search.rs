//! 综合查询: one query over every record this desk holds, each hit with the
//! module whose page opens it.

use mz_app::desktop::Desktop;
use mz_app::search::FoundRecord;
use mz_domain::AppModule;
use tauri::State;

use super::CommandResult;

/// Every record this desk holds that `q` finds (a name, a number, two
/// characters of a title or a text), people first; only `module`'s when
/// one is given.
#[tauri::command]
pub async fn search_everything(
    desktop: State<'_, Desktop>,
    q: String,
    module: Option<AppModule>,
) -> CommandResult<Vec<FoundRecord>> {
    Ok(desktop.guarded().await?.search_everything(&q, module)?)
}
