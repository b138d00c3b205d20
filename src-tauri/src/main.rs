//! The desktop app: one window over mz-app. Commands are thin adapters, one
//! file per module; everything they do is a call into `mz_app::desktop`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod reminders;

use std::path::PathBuf;
use std::sync::Arc;

use mz_app::desktop::Desktop;
use mz_app::profile::{OsSecrets, Profile};
use tauri::Manager;

/// The profile folder: `--profile DIR` or `MZ_PROFILE_DIR` when given
/// (tests, several profiles on one machine), else the app's data folder.
fn profile_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let mut args = std::env::args();
    while let Some(arg) = args.next() {
        if arg == "--profile"
            && let Some(dir) = args.next()
        {
            return Ok(PathBuf::from(dir));
        }
    }
    if let Some(dir) = std::env::var_os("MZ_PROFILE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

fn device_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "desktop".to_owned());
    format!("民政桌面 · {host}")
}

/// A form-filling app needs no page cache and no GPU compositing: both cost
/// memory in every WebKit process.
#[cfg(target_os = "linux")]
fn lighten_webkit(webview: tauri::webview::PlatformWebview) {
    use webkit2gtk::{SettingsExt, WebContextExt, WebViewExt};
    let view = webview.inner();
    if let Some(context) = view.context() {
        context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
    }
    if let Some(settings) = WebViewExt::settings(&view) {
        settings.set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
        settings.set_enable_page_cache(false);
    }
}

/// The clock of a test build: the system's, moved by `--clock-offset-days N`.
#[cfg(feature = "test-clock")]
fn test_clock() -> mz_server::Clock {
    let mut args = std::env::args();
    let mut days = 0;
    while let Some(arg) = args.next() {
        if arg == "--clock-offset-days" {
            days = args.next().and_then(|d| d.parse().ok()).unwrap_or(0);
        }
    }
    mz_server::Clock::offset(days * 24 * 3600 * 1000)
}

/// glibc's allocator raises its mmap threshold as large blocks are freed,
/// and then keeps freed memory in each thread's arena: after login the app
/// held some 20 MB it no longer used (WebKit's and GLib's buffers as much as
/// ours). A fixed threshold returns large blocks to the system when they
/// are freed. Called first thing, before any other thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn return_freed_memory() {
    // SAFETY: mallopt only sets a parameter of the allocator, and no other
    // thread is running yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 * 1024);
    }
}

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    return_freed_memory();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let demo = std::env::args().any(|a| a == "--demo");
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            let dir = profile_dir(app)?;
            let secrets = OsSecrets::new(&format!("minzheng-desk {}", dir.display()));
            let profile = Profile::new(&dir, Arc::new(secrets));
            #[cfg(feature = "test-clock")]
            let profile = profile.with_clock(test_clock());
            let desktop = Desktop::new(profile.clone(), &device_name());
            if demo && profile.config()?.is_none() {
                tauri::async_runtime::block_on(desktop.setup_standalone(
                    "admin",
                    mz_app::DEMO_PASSWORD,
                    true,
                ))?;
            }
            app.manage(desktop);
            reminders::start(app.handle().clone());
            // Open the cache (and, standalone, start the platform) while the
            // window loads, so the first screen does not wait for it.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(error) = handle.state::<Desktop>().prepare().await {
                    tracing::warn!(%error, "the profile could not be opened ahead of the window");
                }
            });
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                window.with_webview(lighten_webkit)?;
            }
            Ok(())
        })
        // Every `#[tauri::command]` of src/commands, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                let desktop = handle.state::<Desktop>();
                tauri::async_runtime::block_on(desktop.shutdown());
            }
        }),
        Err(error) => {
            tracing::error!(%error, "the app cannot start");
            std::process::exit(1);
        }
    }
}
