#!/usr/bin/env bash
# Disclosure control side by side: Haven's secondary suppression and LP audit against tau-ARGUS
# (pytauargus 0.6.0, MOD and OPT) on the 3-D table citizenship x age x exploitation, in one run,
# at every size under both rules; then writes the "Statistics: disclosure control" section of
# BENCHMARKS.md.
#   bench/statistics/run.sh     (SIZES="20000 1000000" RULES="freq abs" by default)
# Rules: freq = FREQ(5,10), 1 person each way for a small cell (Haven PercentOfValue(10));
#        abs  = the application's default, threshold 5 and 5 persons each way (Haven
#               Absolute(5); tau-ARGUS FREQ(5,10) for the primary cells, then protection levels
#               lower min(n, 5), upper 5 for each of them through an apriori file).
# TAU_TIMEOUT (s) ends a tau-ARGUS run that takes longer (OPT is also given OPT_LIMIT s as its own
# limit; MOD_TIMEOUT, default TAU_TIMEOUT, ends a MOD run); TAU_AUDIT=1 also runs pytauargus's
# own audit (slow; its time is reported apart). SWAP_RULES (default "freq abs"): the rules under which
# Haven's suppression with the swap pass (sdc::suppress_swapped) is also timed and audited.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd ../.. && pwd)
SIZES=${SIZES:-20000 1000000}
RULES=${RULES:-freq abs}
TAU_TIMEOUT=${TAU_TIMEOUT:-300}
OPT_LIMIT=${OPT_LIMIT:-240}
TAU_AUDIT=${TAU_AUDIT:-0}
MOD_TIMEOUT=${MOD_TIMEOUT:-$TAU_TIMEOUT}
SWAP_RULES=${SWAP_RULES:-freq abs}
OUT=${OUT:-$HERE/out}
BENCH_MD=${BENCH_MD:-$ROOT/BENCHMARKS.md}
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
CUBE=VICT_CITIZEN_AGE_EXPLOIT
DIRS=()
for n in $SIZES; do
  for rule in $RULES; do
    case $rule in
      freq) ours_rule=(--threshold 5 --percent 10); tau_abs=();;
      abs) ours_rule=(--threshold 5 --absolute 5); tau_abs=(--absolute 5);;
      *) echo "unknown rule $rule" >&2; exit 2;;
    esac
    o=$OUT/n$n-$rule; mkdir -p "$o/tau"; DIRS+=("$o")
    echo "$rule" > "$o/rule"
    # ours: suppression and the audit of its pattern, timed apart
    swap=(); case " $SWAP_RULES " in *" $rule "*) swap=(--swap);; esac
    /usr/bin/time -v "$BIN" sdc run --cube-only --records "$n" --reps 1 "${ours_rule[@]}" "${swap[@]}" --out "$o" 2> "$o/ours.err"
    grep 'Maximum resident' "$o/ours.err" | awk '{print $NF}' > "$o/ours.maxrss_kB"
    csv=$o/tables/$CUBE.csv
    for m in MOD OPT; do
      case $m in MOD) sup='MOD(1,5,1,1,1)';; OPT) sup="OPT(1,$OPT_LIMIT)";; esac
      wd=$o/tau/${CUBE}_$m
      mkdir -p "$wd"
      audit=(--no-audit); [ "$TAU_AUDIT" = 1 ] && audit=()
      s=$(date +%s.%N)
      limit=$TAU_TIMEOUT; [ "$m" = MOD ] && limit=$MOD_TIMEOUT
      timeout "$limit" "$VENV/bin/python" tau_table.py --input "$csv" --ndims 3 --rule 'FREQ(5,10)' \
        --suppress "$sup" --workdir "$wd" "${tau_abs[@]}" "${audit[@]}" > "$wd/out.log" 2> "$wd/err.log" || true
      e=$(date +%s.%N)
      python3 - "$wd/result.json" "$s" "$e" "$limit" <<'PY'
import json, sys
p, s, e, limit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
try:
    d = json.load(open(p))
except Exception:
    d = {"ok": False, "error": f"no result within {limit:.0f} s" if e - s >= limit - 1 else "no result"}
d["process_wall_s"] = round(e - s, 3)
json.dump(d, open(p, "w"))
PY
      echo "tau n=$n $rule $m: $(cut -c1-200 "$wd/result.json")"
    done
    "$BIN" sdc compare "${ours_rule[@]}" --out "$o" 2> "$o/compare.err"
    # a lower bound on the secondary cells of any protecting pattern (LP relaxation)
    "$BIN" sdc bound --records "$n" "${ours_rule[@]}" --out "$o" 2> "$o/bound.err" || true
  done
done
python3 write_benchmarks.py --benchmarks "$BENCH_MD" --load-before "$LOAD_BEFORE" \
  --tau-timeout "$TAU_TIMEOUT" --mod-timeout "$MOD_TIMEOUT" --opt-limit "$OPT_LIMIT" \
  --commit "$(cd "$ROOT" && git rev-parse --short HEAD)" --swap-rules "$SWAP_RULES" \
  --pytauargus "$("$VENV/bin/pip" show pytauargus | awk '/^Version/{print $2}')" "${DIRS[@]}"
echo "written: $BENCH_MD"
