//! The document library (在线资料库): the items this desk holds, the search
//! (the platform's, or this desk's cache offline), an item added or given a
//! new version from a chosen file, and a version's file saved for another
//! program.

use mz_api::library::LibraryKind;
use mz_app::desktop::Desktop;
use mz_app::library::{ChosenLibraryFile, LibraryEntry, LibraryFound, NewLibraryItem};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

/// Every item this desk holds, by category, then title.
#[tauri::command]
pub async fn library_items(desktop: State<'_, Desktop>) -> CommandResult<Vec<LibraryEntry>> {
    Ok(desktop.guarded().await?.library_items()?)
}

/// The items holding every word of `q` (two characters or more), best
/// first, each with its passage marked: the whole library online, this
/// desk's cache when the platform cannot be reached.
#[tauri::command]
pub async fn library_search(
    desktop: State<'_, Desktop>,
    q: String,
    kind: Option<LibraryKind>,
    category: Vec<String>,
) -> CommandResult<LibraryFound> {
    Ok(desktop
        .guarded()
        .await?
        .library_search(&q, kind, &category)
        .await?)
}

/// Adds an item from a chosen file, checked by its content.
#[tauri::command]
pub async fn library_add(desktop: State<'_, Desktop>, item: NewLibraryItem) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.library_add(item)?)
}

/// Gives an item a new version of its file, with what changed.
#[tauri::command]
pub async fn library_revise(
    desktop: State<'_, Desktop>,
    id: Uuid,
    file: ChosenLibraryFile,
    change: String,
) -> Writes<()> {
    Ok(desktop.guarded().await?.library_revise(id, file, &change)?)
}

/// Saves a version's file into the profile's exports folder: its path.
#[tauri::command]
pub async fn library_save_file(
    desktop: State<'_, Desktop>,
    id: Uuid,
    version: usize,
) -> CommandResult<String> {
    Ok(desktop.save_library_file(id, version).await?)
}
