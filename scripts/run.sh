#!/usr/bin/env bash
# Runs the desktop app in standalone mode with demo data: the platform runs
# inside the app on SQLite, the Hunan org units, one account per role
# (password demo-2026) and the holiday calendars are loaded on first start.
# Installs what is missing first; safe to run again (the demo profile in
# data/desktop-demo is kept). Needs a desktop session (DISPLAY, Secret Service).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_build_tools
ensure_desktop_build
ensure_packages fonts-noto-cjk
build_ui
say "building the desktop app (the desktop profile: optimised for size, about 8 minutes the first time)"
cargo build --profile desktop --locked -p minzheng-desk --features minzheng-desk/custom-protocol
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display: run this from a desktop session (or set DISPLAY)." >&2
    exit 1
fi
mkdir -p data
say "starting 民政桌面 — sign in as admin, registrar, funeral_desk, … with password demo-2026"
exec ./target/desktop/minzheng-desk --demo --profile "${MZ_PROFILE_DIR:-$ROOT/data/desktop-demo}"
