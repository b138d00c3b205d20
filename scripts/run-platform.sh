#!/usr/bin/env bash
# Starts the platform alone (no desktop window) on SQLite with demo data and
# prints how to log in.
# Safe to run again: the demo database is kept in data/ and reused.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_build_tools
say "building mz"
cargo build --release --locked -p mz-cli
mkdir -p data
exec ./target/release/mz server --db "${MZ_DB:-sqlite:data/demo-platform.db}" \
    --listen "${MZ_LISTEN:-127.0.0.1:8480}" --demo
