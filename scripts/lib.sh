# Shared set-up for the project's scripts: installs what is missing on a
# Debian machine and starts PostgreSQL. Safe to run again. Sourced, not run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PG_URL_DEFAULT="postgres://mz:mz@127.0.0.1:5432/postgres"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
# Installs the Debian packages among "$@" that are not installed yet.
ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]}"
        if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo is missing: install Rust (rustup) first" >&2
        exit 1
    fi
}

# The Windows spooler path of mz-print (cfg(windows)) cannot run here; the
# tests lint it for the Windows target so that it keeps compiling. That needs
# the target's standard library only (nothing is linked).
ensure_windows_target() {
    if ! command -v rustup >/dev/null 2>&1; then
        echo "rustup is missing: it adds the Windows target that the tests lint mz-print for" >&2
        exit 1
    fi
    if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
        say "adding Rust's x86_64-pc-windows-gnu target (to lint the Windows print path)"
        rustup target add x86_64-pc-windows-gnu
    fi
    # mz-print's title segmenter (jieba) carries its dictionary compressed
    # with zstd, whose C source is built for the target: MinGW's compiler.
    ensure_packages gcc-mingw-w64-x86-64
}

# The build needs a C compiler (SQLite, ring), pkg-config and OpenSSL's
# libcrypto (SQLCipher encrypts the client's local cache with it).
ensure_build_tools() {
    ensure_packages build-essential pkg-config ca-certificates libssl-dev
    ensure_rust
}

# The desktop app: WebKitGTK and friends for Tauri, Node.js for the UI build.
ensure_desktop_build() {
    ensure_packages libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev \
        libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libdbus-1-dev file
    if ! command -v npm >/dev/null 2>&1; then
        ensure_packages nodejs npm
    fi
}

# Installs the UI's npm packages (from the lock file) and builds it into ui/dist.
build_ui() {
    if [ ! -d "$ROOT/ui/node_modules" ] || [ "$ROOT/ui/package-lock.json" -nt "$ROOT/ui/node_modules/.package-lock.json" ]; then
        say "installing the UI's npm packages"
        # `npm install` keeps to the lock file; `npm ci` refuses it because vite
        # lists an optional Windows-only package that the registry does not serve.
        (cd "$ROOT/ui" && npm install --no-audit --no-fund --loglevel=error)
    fi
    say "building the UI"
    (cd "$ROOT/ui" && npm run --silent build)
}

# Printing (mz-print): CJK fonts for the font chains — Noto Serif/Sans CJK SC
# with the heavy weights (the free stand-in for 小标宋), LXGW WenKai for 楷体,
# HanaMin A/B for rare characters (CJK Extension A/B) — poppler and qpdf to
# read the PDFs back, and CUPS with the cups-pdf virtual printer "mz-pdf"
# (exported as MZ_TEST_PRINTER) for the printing tests. FandolFang is the
# free 仿宋 (ensure_fandol_fang).
ensure_print_tools() {
    ensure_packages fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai fonts-hanazono \
        poppler-utils qpdf cups printer-driver-cups-pdf
    ensure_fandol_fang
    # `lpstat -r` exits 0 either way: only its text tells whether cupsd runs.
    if ! cups_running; then
        say "starting CUPS"
        for _ in $(seq 1 100); do
            pgrep -x cupsd >/dev/null 2>&1 || as_root cupsd
            if cups_running; then break; fi
            sleep 0.2
        done
        cups_running || die "CUPS did not start (cupsd); see /var/log/cups/error_log"
    fi
    if ! lpstat -p mz-pdf >/dev/null 2>&1; then
        say "adding the virtual printer mz-pdf (cups-pdf)"
        local ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd
        [ -f "$ppd" ] || die "$ppd is missing (package printer-driver-cups-pdf)"
        # lpadmin warns that PPD drivers are deprecated; the warning is noise here.
        as_root lpadmin -p mz-pdf -v cups-pdf:/ -E -P "$ppd" 2>&1 | grep -v -i deprecated || true
        lpstat -p mz-pdf >/dev/null 2>&1 || die "could not add the printer mz-pdf"
    fi
    export MZ_TEST_PRINTER=mz-pdf
}

# FandolFang, TeX Live's free 仿宋, is the one font of the chains that
# Debian packages only inside texlive-lang-chinese, which would bring TeX Live
# along. The font file alone is taken out of that package (a 49 MB download,
# 7 MB kept) into /usr/local/share/fonts, where fontconfig finds it.
ensure_fandol_fang() {
    local dir=/usr/local/share/fonts/fandol font=FandolFang-Regular.otf
    [ -f "$dir/$font" ] && return
    say "installing the 仿宋 font FandolFang (from the package texlive-lang-chinese)"
    local tmp
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && apt-get download -qq texlive-lang-chinese 2>/dev/null); then
        as_root apt-get update -qq
        (cd "$tmp" && apt-get download -qq texlive-lang-chinese) || die "could not download texlive-lang-chinese"
    fi
    dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb | tar -x -C "$tmp" --wildcards "*/fandol/$font"
    as_root install -D -m 644 "$(find "$tmp" -name "$font" | head -n 1)" "$dir/$font"
    as_root fc-cache -f "$dir" >/dev/null
    rm -rf "$tmp"
}

cups_running() {
    LC_ALL=C lpstat -r 2>/dev/null | grep -q '^scheduler is running'
}

# Installs PostgreSQL, starts a cluster and makes the role mz/mz.
ensure_postgres() {
    ensure_packages postgresql postgresql-contrib
    local version cluster_line
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    cluster_line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"')"
    if [ -z "$cluster_line" ]; then
        say "creating PostgreSQL $version cluster"
        as_root pg_createcluster "$version" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
        say "starting PostgreSQL $version"
        # After an unclean stop the server first replays and syncs its data
        # directory, which can take minutes on a slow disk: wait for it.
        as_root pg_ctlcluster "$version" main start -- -t 900
    fi
    for _ in $(seq 1 30); do
        if as_root su postgres -c "psql -qtA -c 'SELECT 1'" >/dev/null 2>&1; then break; fi
        sleep 0.5
    done
    as_root su postgres -c "psql -qtA -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mz') THEN
        CREATE ROLE mz LOGIN SUPERUSER PASSWORD 'mz';
    END IF;
END
$$;
SQL
}

# Drops the test databases (mz_test_<UUIDv7>) that a test run killed before its
# end left behind. Only those made more than two hours ago: a run going on in
# parallel keeps its own. The UUIDv7's first 12 hex digits are its milliseconds.
drop_stale_test_databases() {
    as_root su postgres -c "psql -qtA -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname)
FROM pg_database
WHERE datname ~ '^mz_test_[0-9a-f]{32}$'
  AND ('x' || substr(datname, 9, 12))::bit(48)::bigint
      < (extract(epoch FROM now()) * 1000)::bigint - 2 * 3600 * 1000
\gexec
SQL
}
