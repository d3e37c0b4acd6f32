#!/usr/bin/env bash
# Disclosure control side by side: Haven's joint secondary suppression and LP audit against
# tau-ARGUS (pytauargus 0.6.0, MOD and OPT) on the same tables, in one run; then writes the
# "Statistics: disclosure control" section of BENCHMARKS.md.
#   bench/statistics/run.sh     (SIZES="2000 20000 1000000" REPS=3 by default; the 3-D
#                                citizenship x age x exploitation table at the largest size)
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)
SIZES=${SIZES:-2000 20000 1000000}
REPS=${REPS:-3}
OUT=${OUT:-$HERE/out}
VENV=${VENV:-$HERE/venv}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-sdc}

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pandas numpy pyarrow pytauargus==0.6.0
fi
(cd "$ROOT" && cargo build --release -q -p haven-stats --bin haven-stats-bench)
BIN=$CARGO_TARGET_DIR/release/haven-stats-bench
rm -rf "$OUT"; mkdir -p "$OUT"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
LARGEST=$(echo $SIZES | tr ' ' '\n' | sort -n | tail -1)
DIRS=()
for n in $SIZES; do
  o=$OUT/n$n; mkdir -p "$o/tau"; DIRS+=("$o")
  cube=; [ "$n" = "$LARGEST" ] && cube=--cube
  # ours: the national release (timed, median of REPS) and every table alone, FREQ(5,10)-equivalent
  /usr/bin/time -v "$BIN" sdc run $cube --records "$n" --reps "$REPS" --threshold 5 --percent 10 --out "$o" \
    2> "$o/ours.err"
  grep 'Maximum resident' "$o/ours.err" | awk '{print $NF}' > "$o/ours.maxrss_kB"
  # tau-ARGUS on each table, MOD and OPT, the same rule
  for csv in "$o"/tables/*.csv; do
    t=$(basename "$csv" .csv)
    nd=$(head -1 "$csv" | awk -F';' '{print NF-1}')
    [ -z "$nd" ] && nd=2
    for m in MOD OPT; do
      case $m in MOD) sup='MOD(1,5,1,1,1)';; OPT) sup='OPT(1,600)';; esac
      wd=$o/tau/${t}_$m
      mkdir -p "$wd"
      if [ ! -s "$csv" ]; then echo '{"ok":false,"error":"empty table"}' > "$wd/result.json"; continue; fi
      s=$(date +%s.%N)
      "$VENV/bin/python" tau_table.py --input "$csv" --ndims "$nd" --rule 'FREQ(5,10)' --suppress "$sup" \
        --workdir "$wd" > "$wd/out.log" 2> "$wd/err.log" || true
      e=$(date +%s.%N)
      python3 - "$wd/result.json" "$s" "$e" <<'PY'
import json, sys
p, s, e = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
try:
    d = json.load(open(p))
except Exception:
    d = {"ok": False, "error": "no result"}
d["process_wall_s"] = round(e - s, 3)
json.dump(d, open(p, "w"))
PY
      echo "tau n=$n $t $m: $(cut -c1-160 "$wd/result.json")"
    done
  done
  "$BIN" sdc compare --threshold 5 --percent 10 --out "$o" 2> "$o/compare.err"
done
python3 write_benchmarks.py --benchmarks "$ROOT/BENCHMARKS.md" --reps "$REPS" --load-before "$LOAD_BEFORE" \
  --pytauargus "$("$VENV/bin/pip" show pytauargus | awk '/^Version/{print $2}')" "${DIRS[@]}"
echo "written: $ROOT/BENCHMARKS.md"
