//! The app's commands are declared once: as the `#[tauri::command]`
//! functions of `src/commands/<module>.rs`. From them this script makes,
//! into `OUT_DIR`,
//!
//! - the handler list that `main.rs` includes (`handler.rs`),
//! - an `allow-…` permission per command (the app manifest), and one
//!   capability per module (`capabilities/<module>.json`) that grants the
//!   main window exactly its commands, beside `default.json` (core events),
//! - the list of command names (`commands.txt`), against which a test checks
//!   that `ui/src/api.ts` calls each command and no other.
//!
//! A command that no capability names cannot be called from any webview.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type BuildResult<T> = Result<T, String>;

fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

/// The commands of the module files: (module, command), in file order.
fn declared(dir: &Path) -> BuildResult<Vec<(String, String)>> {
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
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() != "#[tauri::command]" {
                continue;
            }
            let name: String = lines
                .by_ref()
                .find_map(|l| l.split_once("fn ").map(|(_, after)| after))
                .ok_or_else(|| format!("{}: #[tauri::command] without a fn", file.display()))?
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            commands.push((module.clone(), name));
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
    for (module, name) in &commands {
        let _ = writeln!(handler, "    commands::{module}::{name},");
    }
    handler.push_str("]\n");
    write(out.join("handler.rs"), handler)?;
    let names: Vec<&str> = commands.iter().map(|(_, n)| n.as_str()).collect();
    write(out.join("commands.txt"), names.join("\n") + "\n")?;

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
    let mut modules: Vec<&str> = commands.iter().map(|(m, _)| m.as_str()).collect();
    modules.dedup();
    for module in modules {
        let allowed: Vec<String> = commands
            .iter()
            .filter(|(m, _)| m == module)
            .map(|(_, name)| format!("allow-{}", name.replace('_', "-")))
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
            .map(|(_, name)| &*Box::leak(name.into_boxed_str()))
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
