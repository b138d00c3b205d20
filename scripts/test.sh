#!/usr/bin/env bash
# Runs every check and test of the project on a Debian machine, installing
# what is missing (build tools, PostgreSQL) first. Safe to run again.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_build_tools
ensure_desktop_build
ensure_packages openssl
ensure_print_tools
scripts/ofd-reader.sh
ensure_postgres
drop_stale_test_databases
build_ui
export MZ_TEST_POSTGRES_URL="${MZ_TEST_POSTGRES_URL:-$PG_URL_DEFAULT}"

# A run builds everything once from its own sources: incremental state would
# only add tens of gigabytes to target/ (a clean clone's run filled the disk
# with it). The tests build the app with the features the WebDriver run
# needs, so that build reuses their artifacts instead of compiling tauri again.
export CARGO_INCREMENTAL=0
APP_FEATURES=minzheng-desk/custom-protocol,minzheng-desk/test-clock
disk() { say "disk: $(df -h --output=avail "$ROOT" | tail -1 | tr -d ' ') free, target/ $(du -sh target 2>/dev/null | cut -f1)"; }
disk

say "cargo fmt --check"
cargo fmt --all --check

say "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --locked -p minzheng-desk --features test-clock -- -D warnings
say "cargo clippy -D warnings for Windows (mz-print's spooler path)"
ensure_windows_target
cargo clippy --locked --target x86_64-pc-windows-gnu -p mz-print -- -D warnings

say "UI unit tests (vitest)"
(cd ui && npx vitest run)

say "tests (SQLite and PostgreSQL at ${MZ_TEST_POSTGRES_URL%%@*}@…)"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --features "$APP_FEATURES" --no-fail-fast --test-threads 4
else
    cargo test --workspace --locked --features "$APP_FEATURES" --no-fail-fast
fi
disk

say "building the desktop app and mz"
cargo build --locked -p minzheng-desk -p mz-cli --features "$APP_FEATURES"
disk
tests/e2e/run.sh
