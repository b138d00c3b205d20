#!/usr/bin/env bash
# Client benchmarks, printed as figures (not tests): the people index over
# 1,000,000 persons, a fresh client's pull of 100,000 changes into its cache,
# the marriage counter from the submitted form to the certificate PDF,
# the funeral front desk's steps, day board and figures,
# and the desktop app under Xvfb (launch to the login screen, memory
# after login with the demo data). SEARCH_PEOPLE and PULL_CHANGES change the
# sizes.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_build_tools
ensure_desktop_build
build_ui

# Everything in the profile the app is installed with (Cargo.toml's
# `desktop`: release, optimised for size, one codegen unit, fat LTO).
say "building the benchmarks and the desktop app (desktop profile)"
cargo build --profile desktop --locked -p mz-store --example search_bench -p mz-app --example pull_bench --example counter_bench --example funeral_bench --example schedule_bench
cargo build --profile desktop --locked -p minzheng-desk --features minzheng-desk/custom-protocol

say "people index: ${SEARCH_PEOPLE:-1000000} persons"
target/desktop/examples/search_bench "${SEARCH_PEOPLE:-1000000}" 1000

say "pull into the local cache: ${PULL_CHANGES:-100000} changes"
target/desktop/examples/pull_bench "${PULL_CHANGES:-100000}"

say "marriage counter: form to certificate PDF, ${COUNTER_COUPLES:-100} couples"
target/desktop/examples/counter_bench "${COUNTER_COUPLES:-100}"

say "funeral front desk: each step of ${FUNERAL_CASES:-300} cases, the day board, the province's figures over ${FUNERAL_RECORDS:-1000000} records"
target/desktop/examples/funeral_bench "${FUNERAL_CASES:-300}" "${FUNERAL_RECORDS:-1000000}"

say "leadership schedule: the week of 10 leaders with ${SCHEDULE_ACTIVITIES:-200} activities, its table as PDF"
target/desktop/examples/schedule_bench "${SCHEDULE_ACTIVITIES:-200}"

say "desktop app under Xvfb"
MZ_APP_BINARY="$ROOT/target/desktop/minzheng-desk" tests/e2e/run.sh -s "$ROOT/tests/e2e/perf_desktop.py"
