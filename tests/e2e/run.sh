#!/usr/bin/env bash
# End-to-end tests of the real desktop app: the built binary under Xvfb,
# driven over WebDriver (tauri-driver + WebKitWebDriver), with the Secret
# Service of a headless gnome-keyring on a private session bus. Called by
# scripts/test.sh after the app is built; safe to run again. Arguments go to
# pytest in place of the test folder (scripts/bench-client.sh runs the
# desktop measurements this way).
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"

ensure_packages fonts-noto-cjk imagemagick xvfb xauth x11-utils webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools python3-venv
if ! command -v tauri-driver >/dev/null 2>&1; then
    say "installing tauri-driver"
    cargo install tauri-driver --locked --version '^2' --quiet
fi
venv="$ROOT/tests/e2e/.venv"
# openpyxl writes the Excel files the import stories read; icalendar is the
# independent client that reads the schedule's iCalendar export back.
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c 'import openpyxl, icalendar' 2>/dev/null; then
    say "installing selenium, pytest, openpyxl and icalendar for the WebDriver tests"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'selenium>=4.20,<5' 'pytest>=8,<10' 'openpyxl>=3.1,<4' 'icalendar>=6,<7'
fi

display=":${MZ_E2E_DISPLAY:-99}"
if ! xdpyinfo -display "$display" >/dev/null 2>&1; then
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
fi
# tauri-driver drives the webview only when the app allows automation.
export DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 TAURI_WEBVIEW_AUTOMATION=true

say "WebDriver tests of the desktop app"
rm -rf "$ROOT/tests/e2e/screenshots"
dbus-run-session -- bash -c '
    set -euo pipefail
    printf "e2e-keyring" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
    for _ in $(seq 1 50); do busctl --user list 2>/dev/null | grep -q org.freedesktop.secrets && break; sleep 0.1; done
    tauri-driver --port 4444 --native-port 4445 >/tmp/tauri-driver.log 2>&1 &
    driver=$!
    trap "kill $driver 2>/dev/null || true" EXIT
    for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
    venv="$0"
    "$venv/bin/pytest" -q -p no:cacheprovider "$@"
' "$venv" "${@:-$ROOT/tests/e2e}"
