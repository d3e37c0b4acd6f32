#!/usr/bin/env bash
# Record-linkage benchmark: Haven's engine and the Python peers (Splink 5 + DuckDB, clkhash +
# anonlink) side by side in one run, on FEBRL4, FEBRL3 and a synthetic 1M dedupe set; writes the
# "Record linkage" section of BENCHMARKS.md.
#
#   bench/linkage/run.sh            # full run (about 5 minutes on 2 cores)
#   SYNTH_RECORDS=100000 bench/linkage/run.sh   # smaller synthetic set
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=bench/.venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q splink recordlinkage anonlink clkhash pyarrow
fi
PY=$VENV/bin/python
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p haven-link --bin haven-link-bench
B=$CARGO_TARGET_DIR/release/haven-link-bench
DATA=bench/data
OUT=$DATA/results
rm -rf "$OUT"; mkdir -p "$OUT"
N=${SYNTH_RECORDS:-1000000}
$PY bench/linkage/prep_febrl.py "$DATA" > /dev/null
[ -f "$DATA/synth_$N.csv" ] || $PY bench/linkage/gen_synth.py "$N" "$DATA/synth_$N" 42

result() { grep '^RESULT ' | sed 's/^RESULT //'; }
echo "FEBRL4 link: Haven"
$B fs bench/linkage/febrl4.toml cluster $DATA/febrl4a.csv $DATA/febrl4b.csv > "$OUT/haven_febrl4.json"
echo "FEBRL4 link: Splink (brief model)"
$PY bench/linkage/splink_febrl4.py brief 2>/dev/null | result > "$OUT/splink_febrl4_brief.json"
echo "FEBRL4 link: Splink (its docs' model)"
$PY bench/linkage/splink_febrl4.py docs 2>/dev/null | result > "$OUT/splink_febrl4_docs.json"
echo "FEBRL3 dedupe: Haven"
$B fs bench/linkage/febrl3.toml cluster $DATA/febrl3.csv > "$OUT/haven_febrl3.json"
echo "FEBRL3 dedupe: Splink"
$PY bench/linkage/splink_febrl3.py 2>/dev/null | result > "$OUT/splink_febrl3.json"
echo "synthetic $N dedupe: Haven"
$B fs bench/linkage/synth.toml entity_id "$DATA/synth_$N.csv" > "$OUT/haven_synth.json"
echo "synthetic $N dedupe: Splink"
$PY bench/linkage/splink_synth.py "$DATA/synth_$N.parquet" 2>/dev/null | result > "$OUT/splink_synth.json"
echo "privacy-preserving FEBRL4: Haven"
$B clk bench/linkage/febrl4_clk.toml cluster $DATA/febrl4a.csv $DATA/febrl4b.csv > "$OUT/haven_clk.json"
$B dice 5000 > "$OUT/haven_dice.json"
echo "privacy-preserving FEBRL4: clkhash + anonlink"
$PY bench/linkage/pprl_febrl4.py 2>/dev/null | result > "$OUT/anonlink_febrl4.json"
$PY bench/linkage/write_benchmarks.py "$OUT" BENCHMARKS.md "bench/linkage/run.sh" "$N"
echo "wrote BENCHMARKS.md"
