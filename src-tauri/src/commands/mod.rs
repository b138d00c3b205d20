//! The commands the window may call, one file per module. Each takes its
//! input, calls one function of `mz_app::desktop::Desktop`, and returns its
//! result; errors cross as `{code, message, issues}` and the UI branches on
//! the code. A `#[tauri::command]` here is the command's only declaration:
//! build.rs makes the handler list, the permissions, the module's capability
//! and the window's typed wrapper (`ui/src/commands.ts`) from it.

pub mod appointments;
pub mod calendar;
pub mod divorce;
pub mod documents;
pub mod figures;
pub mod funeral;
pub mod library;
pub mod marriage;
pub mod office;
pub mod people;
pub mod printing;
pub mod schedule;
pub mod search;
pub mod session;
pub mod sync;

pub type CommandResult<T> = Result<T, mz_app::CommandError>;

/// The result of a command that writes the local cache or sends it: its
/// TypeScript wrapper then tells the window (the status bar's 待发送 N 条)
/// to take a fresh reading, whether it succeeded or not.
pub type Writes<T> = CommandResult<T>;

#[cfg(test)]
mod tests {
    /// `ui/src/commands.ts` is what build.rs makes of the commands here;
    /// `MZ_UPDATE_BINDINGS=1` writes it anew.
    #[test]
    fn the_window_s_command_wrappers_are_those_of_the_commands() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/commands.ts"));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/commands.ts");
        if std::env::var_os("MZ_UPDATE_BINDINGS").is_some() {
            std::fs::write(path, generated).expect("writing ui/src/commands.ts");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/commands.ts is not what the commands declare: run \
             MZ_UPDATE_BINDINGS=1 cargo test -p minzheng-desk commands"
        );
        assert!(generated.matches("=> ").count() > 50, "{generated}");
    }
}
