//! The app's commands are declared once: as the `#[tauri::command]`
//! functions of `src/commands/<module>.rs`. From them this script makes,
//! into `OUT_DIR`,
//!
//! - the handler list that `main.rs` includes (`handler.rs`),
//! - an `allow-…` permission per command (the app manifest), and one
//!   capability per module (`capabilities/<module>.json`) that grants the
//!   main window exactly its commands, beside `default.json` (core events),
//! - the window's typed wrapper of each command (`commands.ts`, see
//!   `build/typescript.rs`), which a test holds to the committed
//!   `ui/src/commands.ts`.
//!
//! A command that no capability names cannot be called from any webview.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type BuildResult<T> = Result<T, String>;

fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

#[path = "build/typescript.rs"]
mod typescript;

/// A `#[tauri::command]` function, as its signature declares it.
#[derive(Debug)]
pub struct Command {
    /// The file under `src/commands/` it is in.
    module: String,
    name: String,
    /// Its `///` lines, without the slashes.
    docs: Vec<String>,
    /// Its parameters from the window: (name, Rust type); `State<…>` is not.
    params: Vec<(String, String)>,
    /// `T` of its `CommandResult<T>` or `Writes<T>`.
    returns: String,
    /// Declared to return `Writes<T>`: it writes the local cache or sends it.
    writes: bool,
}

/// The commands of the module files, in file order.
fn declared(dir: &Path) -> BuildResult<Vec<Command>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.extension().is_some_and(|e| e == "rs")
            && path.file_stem().is_some_and(|s| s != "mod")
        {
            files.push(path);
        }
    }
    files.sort();
    let mut commands = Vec::new();
    for file in files {
        let module = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file).map_err(io(&file))?;
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            if line.trim() != "#[tauri::command]" {
                continue;
            }
            let where_ = || format!("{}:{}", file.display(), at + 1);
            let docs: Vec<String> = lines
                .iter()
                .take(at)
                .rev()
                .map_while(|l| l.trim().strip_prefix("///"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            // The signature: from the `fn` line to the `{` that opens the body.
            let mut signature = String::new();
            for l in lines.iter().skip(at + 1) {
                signature.push_str(l.trim());
                signature.push(' ');
                if l.trim_end().ends_with('{') {
                    break;
                }
            }
            let (_, after_fn) = signature
                .split_once("fn ")
                .ok_or_else(|| format!("{}: #[tauri::command] without a fn", where_()))?;
            let (name, after_name) = after_fn
                .split_once('(')
                .ok_or_else(|| format!("{}: no parameter list", where_()))?;
            let (params, after_params) = after_name.rsplit_once(") ->").ok_or_else(|| {
                format!(
                    "{}: a command returns CommandResult<T> or Writes<T>",
                    where_()
                )
            })?;
            let returns = after_params.trim().trim_end_matches('{').trim();
            let (writes, returns) = if let Some(t) = returns.strip_prefix("Writes<") {
                (true, t)
            } else if let Some(t) = returns.strip_prefix("CommandResult<") {
                (false, t)
            } else {
                return Err(format!(
                    "{}: {name} returns {returns}, not CommandResult<T> or Writes<T>",
                    where_()
                ));
            };
            let returns = returns
                .strip_suffix('>')
                .ok_or_else(|| format!("{}: unbalanced result type", where_()))?;
            let mut window_params = Vec::new();
            for param in typescript::split_top(params) {
                let (param, ty) = param
                    .split_once(':')
                    .ok_or_else(|| format!("{}: parameter without a type: {param}", where_()))?;
                let ty = ty.trim();
                if ty.starts_with("State<") || ty.starts_with("tauri::State<") {
                    continue;
                }
                window_params.push((param.trim().to_owned(), ty.to_owned()));
            }
            commands.push(Command {
                module: module.clone(),
                name: name.trim().to_owned(),
                docs,
                params: window_params,
                returns: returns.to_owned(),
                writes,
            });
        }
    }
    Ok(commands)
}

fn capability(identifier: &str, description: &str, permissions: &[String]) -> String {
    let list: Vec<String> = permissions.iter().map(|p| format!("    \"{p}\"")).collect();
    format!(
        "{{\n  \"identifier\": \"{identifier}\",\n  \"description\": \"{description}\",\n  \
         \"windows\": [\"main\"],\n  \"permissions\": [\n{}\n  ]\n}}\n",
        list.join(",\n")
    )
}

fn write(path: PathBuf, text: String) -> BuildResult<()> {
    std::fs::write(&path, text).map_err(io(&path))
}

fn generate() -> BuildResult<tauri_build::Attributes> {
    let var = |name: &str| std::env::var(name).map_err(|e| format!("{name}: {e}"));
    let root = PathBuf::from(var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(var("OUT_DIR")?);
    let commands_dir = root.join("src/commands");
    println!("cargo:rerun-if-changed={}", commands_dir.display());
    let commands = declared(&commands_dir)?;

    let mut handler = String::from("tauri::generate_handler![\n");
    for command in &commands {
        let _ = writeln!(
            handler,
            "    commands::{}::{},",
            command.module, command.name
        );
    }
    handler.push_str("]\n");
    write(out.join("handler.rs"), handler)?;
    write(out.join("commands.ts"), typescript::wrappers(&commands)?)?;

    let capabilities = out.join("capabilities");
    if capabilities.exists() {
        std::fs::remove_dir_all(&capabilities).map_err(io(&capabilities))?;
    }
    std::fs::create_dir_all(&capabilities).map_err(io(&capabilities))?;
    write(
        capabilities.join("default.json"),
        capability(
            "default",
            "The main window: the core events.",
            &["core:default".to_owned()],
        ),
    )?;
    let mut modules: Vec<&str> = commands.iter().map(|c| c.module.as_str()).collect();
    modules.dedup();
    for module in modules {
        let allowed: Vec<String> = commands
            .iter()
            .filter(|c| c.module == module)
            .map(|c| format!("allow-{}", c.name.replace('_', "-")))
            .collect();
        write(
            capabilities.join(format!("{module}.json")),
            capability(
                module,
                &format!("The main window: the commands of {module}."),
                &allowed,
            ),
        )?;
    }

    let names: &'static [&'static str] = Box::leak(
        commands
            .into_iter()
            .map(|c| &*Box::leak(c.name.into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    let pattern: &'static str =
        Box::leak(format!("{}/*.json", capabilities.display()).into_boxed_str());
    let manifest = tauri_build::AppManifest::new().commands(names);
    Ok(tauri_build::Attributes::new()
        .app_manifest(manifest)
        .capabilities_path_pattern(pattern))
}

fn main() {
    let built = generate().and_then(|attributes| {
        tauri_build::try_build(attributes).map_err(|error| format!("{error:#}"))
    });
    if let Err(error) = built {
        eprintln!("tauri build setup failed: {error}");
        std::process::exit(1);
    }
}
