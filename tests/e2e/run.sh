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
# The Secret Service is started by the session bus on first use, unlocked with
# the run's password. gnome-keyring-daemon 42 can die on a known race (a
# client gone while its call is dispatched: "gkd_secret_service_get_pkcs11_
# session: assertion 'client' failed", then SIGTRAP); Debian's own service
# file would then start a locked keyring that waits on a password prompt no
# one can answer, and every later story would hang. This one is found first
# (XDG_DATA_DIRS), so the bus starts an unlocked keyring again; each start is
# logged, and a run that needed more than one says so with the daemon's log.
bus_dir="$ROOT/target/e2e-bus"
keyring_log="$bus_dir/keyring.log"
mkdir -p "$bus_dir/dbus-1/services"
: >"$keyring_log"
printf '%s\n' '#!/bin/sh' \
    "echo \"keyring started \$(date +%T)\" >>'$keyring_log'" \
    "printf e2e-keyring | exec /usr/bin/gnome-keyring-daemon --foreground --unlock --components=secrets >>'$keyring_log' 2>&1" \
    >"$bus_dir/keyring"
chmod +x "$bus_dir/keyring"
printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' "$bus_dir/keyring" \
    >"$bus_dir/dbus-1/services/org.freedesktop.secrets.service"
report_keyring() {
    local starts
    starts=$(grep -c '^keyring started' "$keyring_log" || true)
    if [ "$starts" -gt 1 ]; then
        say "the keyring was started $starts times: it died during the run (its log follows)"
        grep -v '^GNOME_KEYRING_CONTROL' "$keyring_log" | tail -n 20 >&2 || true
    fi
}
set +e
XDG_DATA_DIRS="$bus_dir:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" dbus-run-session -- bash -c '
    set -euo pipefail
    busctl --user call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
        StartServiceByName su org.freedesktop.secrets 0 >/dev/null
    tauri-driver --port 4444 --native-port 4445 >/tmp/tauri-driver.log 2>&1 &
    driver=$!
    trap "kill $driver 2>/dev/null || true" EXIT
    for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
    venv="$0"
    "$venv/bin/pytest" -q -p no:cacheprovider "$@"
' "$venv" "${@:-$ROOT/tests/e2e}"
status=$?
set -e
report_keyring
exit $status
