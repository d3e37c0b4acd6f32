#!/usr/bin/env bash
# Transnational exchange: simulation (issue 18). 27 national instances (the EU member states)
# and the EU hub, each an App on its own SQLite database in a temporary folder, in one process;
# REFERRALS referrals (default 10000) and 27 statistics releases over the exchange, peers down
# part of the time. One run of the release build.
#
#   bench/exchange/run.sh [REFERRALS]
#
# Environment: CARGO_TARGET_DIR (where the release build goes), OUT (bench/exchange/results),
# EXCHANGE_BENCH_ARGS (more options for the binary: --seed, --p-down, --p-up, --lose-answer,
# --countries LV,EE,LT, --no-assign; see --help).
# Writes OUT/<REFERRALS>.json (the report) and OUT/machine-<REFERRALS>.txt (on what and when).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000}"
OUT="${OUT:-bench/exchange/results}"
TARGET="${CARGO_TARGET_DIR:-target}"
mkdir -p "$OUT"

cargo build --release -p haven-exchange-bench
BIN="$TARGET/release/haven-exchange-bench"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GB"
  echo "rustc: $(rustc --version)"
  echo "command: EXCHANGE_BENCH_ARGS=\"${EXCHANGE_BENCH_ARGS:-}\" bench/exchange/run.sh $N"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine-$N.txt"

# shellcheck disable=SC2086
status=0
"$BIN" --referrals "$N" ${EXCHANGE_BENCH_ARGS:-} > "$OUT/$N.json" || status=$?
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine-$N.txt"
cat "$OUT/$N.json"
exit $status
