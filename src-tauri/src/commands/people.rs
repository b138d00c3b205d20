use mz_app::desktop::Desktop;
use mz_store::PersonHit;
use tauri::State;

use super::CommandResult;

/// People in the local cache by name, ID number prefix or pinyin.
#[tauri::command]
pub async fn search_people(
    desktop: State<'_, Desktop>,
    query: String,
    limit: Option<usize>,
) -> CommandResult<Vec<PersonHit>> {
    Ok(desktop
        .guarded()
        .await?
        .search_people(&query, limit.unwrap_or(50))?)
}
