#!/usr/bin/env bash
# The long run of the crash harness: the server killed with SIGKILL at random moments under
# concurrent API writes, 20 times (HAVEN_CRASH_ROUNDS), on SQLite and (with
# HAVEN_TEST_POSTGRES_URL set) PostgreSQL. After each series: every acknowledged write present,
# the audit chain verifies, and SQLite passes PRAGMA integrity_check.
#   bash bench/reliability/crash.sh            # SQLite only
#   HAVEN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/reliability/crash.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export HAVEN_CRASH_ROUNDS="${HAVEN_CRASH_ROUNDS:-20}"
cargo test --release -p haven-cli --test it crash:: -- --nocapture --test-threads 1 2>&1 | grep -E "crash harness|SKIPPED|skipped|test result"
