use mz_api::auth::UserInfo;
use mz_app::desktop::{Desktop, LogoutChoice, LogoutOutcome, Phase};
use tauri::State;

use super::{CommandResult, Writes};

#[tauri::command]
pub async fn phase(desktop: State<'_, Desktop>) -> CommandResult<Phase> {
    Ok(desktop.phase().await?)
}

#[tauri::command]
pub async fn setup_standalone(
    desktop: State<'_, Desktop>,
    username: String,
    password: String,
    demo: bool,
) -> CommandResult<()> {
    Ok(desktop.setup_standalone(&username, &password, demo).await?)
}

#[tauri::command]
pub async fn setup_connect(
    desktop: State<'_, Desktop>,
    url: String,
    ca_pem: Option<String>,
) -> CommandResult<()> {
    Ok(desktop.setup_connect(&url, ca_pem.as_deref()).await?)
}

#[tauri::command]
pub async fn login(
    desktop: State<'_, Desktop>,
    username: String,
    password: String,
) -> Writes<UserInfo> {
    Ok(desktop.login(&username, &password).await?)
}

/// Signs out after a last push, or says how many entries still wait; the
/// window then asks and calls again with the user's choice.
#[tauri::command]
pub async fn logout(desktop: State<'_, Desktop>, choice: LogoutChoice) -> Writes<LogoutOutcome> {
    Ok(desktop.logout(choice).await?)
}

/// The user gave input (the window calls this at most every few seconds).
#[tauri::command]
pub fn touch(desktop: State<'_, Desktop>) -> CommandResult<()> {
    Ok(desktop.touch()?)
}

#[tauri::command]
pub fn lock_now(desktop: State<'_, Desktop>) -> CommandResult<()> {
    Ok(desktop.lock_now()?)
}

#[tauri::command]
pub async fn unlock(desktop: State<'_, Desktop>, password: String) -> CommandResult<()> {
    Ok(desktop.unlock(&password).await?)
}

#[tauri::command]
pub fn idle_lock_minutes(desktop: State<'_, Desktop>) -> CommandResult<u32> {
    Ok(desktop.idle_lock_minutes()?)
}

#[tauri::command]
pub fn set_idle_lock_minutes(desktop: State<'_, Desktop>, minutes: u32) -> CommandResult<()> {
    Ok(desktop.set_idle_lock_minutes(minutes)?)
}
