//! Every command of the app gets an `allow-…` permission; the main window's
//! capability (capabilities/default.json) grants exactly the ones it uses,
//! so a command that no capability names cannot be called from any webview.

const COMMANDS: &[&str] = &[
    "phase",
    "setup_standalone",
    "setup_connect",
    "login",
    "logout",
    "touch",
    "lock_now",
    "unlock",
    "idle_lock_minutes",
    "set_idle_lock_minutes",
    "status",
    "sync_now",
    "sync_issues",
    "resolve",
    "holiday_calendars",
    "save_holiday_calendar",
    "search_people",
    "marriages",
    "prepare_marriage",
    "register_marriage",
    "refuse_marriage",
    "reprint_marriage",
    "marriage_certificate",
    "marriage_paper",
    "printers",
    "set_printer_offset",
    "print_file",
    "calibration_sheet",
    "marriage_figures",
    "marriage_day_checks",
    "record_history",
    "record_annulment",
    "next_in_queue",
    "finish_booking",
    "reissue_marriage",
    "reissue_divorce",
    "marriage_statistics",
    "this_month",
    "export_marriage_statistics",
    "divorces",
    "divorces_due",
    "marriage_by_certificate",
    "receive_divorce",
    "withdraw_divorce",
    "register_divorce",
    "close_lapsed_divorce",
    "refuse_divorce",
    "reprint_divorce",
    "divorce_paper",
    "import_appointments",
    "appointments",
    "check_in",
    "no_show",
    "document_drafts",
    "save_document_draft",
    "delete_document_draft",
    "document_preview",
    "export_document",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).unwrap_or_else(
        |error| {
            eprintln!("tauri build setup failed: {error:#}");
            std::process::exit(1);
        },
    );
}
