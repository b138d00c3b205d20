//! The commands the window may call, one file per module. Each takes its
//! input, calls one function of `mz_app::desktop::Desktop`, and returns its
//! result; errors cross as `{code, message, issues}` and the UI branches on
//! the code. A `#[tauri::command]` here is the command's only declaration:
//! build.rs makes the handler list, the permissions and the module's
//! capability from it, and a test holds `ui/src/api.ts` to the same list.

pub mod appointments;
pub mod calendar;
pub mod divorce;
pub mod documents;
pub mod marriage;
pub mod people;
pub mod printing;
pub mod session;
pub mod sync;

pub type CommandResult<T> = Result<T, mz_app::CommandError>;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The commands `ui/src/api.ts` calls: `invoke<…>("name"` and `write<…>("name"`.
    fn called_by_the_window(api: &str) -> BTreeSet<String> {
        let mut called = BTreeSet::new();
        for call in ["invoke", "write"] {
            for (at, _) in api.match_indices(call) {
                let rest = &api[at + call.len()..];
                let rest = match rest.strip_prefix('<') {
                    // The type argument may hold parentheses of its own only
                    // in a tuple type's brackets, never a `("`.
                    Some(generic) => match generic.find(">(\"") {
                        Some(end) => &generic[end + 1..],
                        None => continue,
                    },
                    None => rest,
                };
                let Some(name) = rest.strip_prefix("(\"") else {
                    continue;
                };
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    called.insert(name);
                }
            }
        }
        called
    }

    #[test]
    fn the_window_calls_every_command_and_no_other() {
        let declared: BTreeSet<String> = include_str!(concat!(env!("OUT_DIR"), "/commands.txt"))
            .lines()
            .map(str::to_owned)
            .collect();
        let api = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/api.ts"))
            .expect("ui/src/api.ts");
        let called = called_by_the_window(&api);
        let undeclared: Vec<&String> = called.difference(&declared).collect();
        let unused: Vec<&String> = declared.difference(&called).collect();
        assert!(
            undeclared.is_empty() && unused.is_empty(),
            "ui/src/api.ts calls commands no #[tauri::command] declares: {undeclared:?}; \
             commands it does not call: {unused:?}"
        );
        assert!(declared.len() > 50, "{declared:?}");
    }
}
