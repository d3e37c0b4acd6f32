#!/usr/bin/env bash
# Differential-privacy benchmark: Haven's DP release of the national tables from 1,000,000
# synthetic records (build and release timed, generation not), and OpenDP 0.16 noising the same
# counts, in one run; writes the "Statistics: differential privacy" section of BENCHMARKS.md.
#
#   bench/statistics/run_dp.sh                     # full run (under a minute on 2 cores)
#   DP_RECORDS=100000 bench/statistics/run_dp.sh   # smaller
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=${DP_VENV:-bench/.venv-dp}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pandas numpy pyarrow opendp==0.16.0
fi
PY=$VENV/bin/python
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p haven-stats --bin haven-stats-bench
B=$CARGO_TARGET_DIR/release/haven-stats-bench
OUT=bench/data/dp
rm -rf "$OUT"; mkdir -p "$OUT"
N=${DP_RECORDS:-1000000}
LOAD=$(cut -d' ' -f1 /proc/loadavg)
echo "Haven: DP release of the national tables from $N records"
/usr/bin/time -v "$B" dp --records "$N" --seed 42 --country LV --eps 0.1,1,10 --delta 1e-6 --reps 5 --out "$OUT" \
  > "$OUT/haven.out" 2> "$OUT/haven.time"
echo "OpenDP: the same counts"
/usr/bin/time -v "$PY" bench/statistics/dp_opendp.py "$OUT/counts.json" --reps 5 > "$OUT/opendp.out" 2> "$OUT/opendp.time"
"$PY" bench/statistics/dp_write.py "$OUT" BENCHMARKS.md "bench/statistics/run_dp.sh" "$LOAD"
echo "wrote BENCHMARKS.md"
