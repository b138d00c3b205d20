#!/usr/bin/env bash
# Sync benchmark over loopback HTTP on SQLite and PostgreSQL, with pgbench
# running the same SQL straight against PostgreSQL for comparison. Prints
# figures; it is not a test. BENCH_SECONDS sets each concurrent phase (60).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_build_tools
ensure_postgres
seconds="${BENCH_SECONDS:-60}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say "building the benchmark (release)"
cargo build --release --locked -p mz-server --example sync_bench
bench=target/release/examples/sync_bench

say "SQLite"
RUST_LOG=warn "$bench" "sqlite:$work/bench.db" "$seconds"

say "PostgreSQL"
as_root su postgres -c "psql -qc 'DROP DATABASE IF EXISTS mz_bench'" 2>/dev/null
as_root su postgres -c "psql -qc 'CREATE DATABASE mz_bench OWNER mz'"
pg="postgres://mz:mz@127.0.0.1:5432/mz_bench"
api_out="$(RUST_LOG=warn "$bench" "$pg" "$seconds" | tee /dev/stderr)"

say "pgbench: the same SQL straight against PostgreSQL"
# The pull: the page query the API runs for an admin, from a random cursor.
cat > "$work/pull.sql" <<'SQL'
\set after random(0, 99000)
SELECT value FROM counters WHERE name = 'feed';
SELECT seq, kind, record_id, version, deleted, org_unit, data, changed_at FROM changes
 WHERE seq > :after AND seq <= 100000 AND (kind = 'holiday_calendar') ORDER BY seq LIMIT 1000;
SQL
# The push: one batch of 500 entries as the API writes it — lock the feed,
# read outcomes and records, upsert 500 records, insert 500 changes, 500
# outcomes and 500 audit rows — rolled back so every run starts alike.
cat > "$work/push.sql" <<'SQL'
BEGIN;
UPDATE counters SET value = value WHERE name = 'feed' RETURNING value;
SELECT device_seq, outcome FROM push_outcomes WHERE device_id = 'pgbench' AND device_seq BETWEEN 1 AND 500;
SELECT kind, id, version FROM records WHERE kind = 'holiday_calendar' AND deleted = 0;
INSERT INTO records (kind, id, org_unit, region, natural_key, version, seq, deleted, data, updated_at)
 SELECT 'holiday_calendar', 'pgbench-' || s, '430000-civil', '430000', NULL, 1, 200000 + s, 0,
        '{"year":2026,"holidays":["2026-01-01"],"working_weekends":[]}', 0 FROM generate_series(1, 500) s
 ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, data = excluded.data;
INSERT INTO changes (seq, kind, record_id, version, deleted, org_unit, region, data, changed_at, user_id, device_id)
 SELECT 200000 + s, 'holiday_calendar', 'pgbench-' || s, 1, 0, '430000-civil', '430000',
        '{"year":2026,"holidays":["2026-01-01"],"working_weekends":[]}', 0, 'u', 'd' FROM generate_series(1, 500) s;
INSERT INTO push_outcomes (device_id, device_seq, outcome)
 SELECT 'pgbench', s, '{"status":"applied","version":1,"change_seq":1}' FROM generate_series(1, 500) s;
INSERT INTO audit_log (seq, at, actor, device_id, action, target, detail, prev_hash, hash)
 SELECT 900000 + s, 0, 'u', 'd', 'record.upsert', 'holiday_calendar/x', '{}', 'p', 'h' FROM generate_series(1, 500) s;
ROLLBACK;
SQL
tps() { awk '/^tps = / { print $3 }'; }
raw_pull_tps="$(PGPASSWORD=mz pgbench -n -h 127.0.0.1 -U mz -f "$work/pull.sql" -c 1 -T 10 mz_bench 2>/dev/null | tps)"
raw_push_tps="$(PGPASSWORD=mz pgbench -n -h 127.0.0.1 -U mz -f "$work/push.sql" -c 1 -T 10 mz_bench 2>/dev/null | tps)"
api_push="$(awk '/^push 10,000/ { print $7 }' <<<"$api_out")"
api_pull="$(awk '/^pull 100,000/ { print $7 }' <<<"$api_out")"
awk -v pull="$raw_pull_tps" -v push="$raw_push_tps" -v api_pull="$api_pull" -v api_push="$api_push" 'BEGIN {
    printf "raw SQL pull (1 client, pages of 1,000)  %9.0f changes/s   API/raw %.2f\n", pull * 1000, api_pull / (pull * 1000);
    printf "raw SQL push (1 client, batches of 500)  %9.0f entries/s   API/raw %.2f\n", push * 500, api_push / (push * 500);
}'
