#!/usr/bin/env bash
# Blocking recall: Haven's estimate without labels against the truth from the labels, on FEBRL4,
# FEBRL3 and the synthetic set with the benchmark's rules, on FEBRL with fewer rules, and with the
# names swapped in 40% of the records (bench/linkage/swap_names.py). Prints the table of
# docs/linkage.md. Needs the data of run.sh in bench/data (or DATA=...).
#
#   bench/linkage/recall.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release -q -p haven-link --bin haven-link-bench
B=$CARGO_TARGET_DIR/release/haven-link-bench
DATA=${DATA:-bench/data}
N=${SYNTH_RECORDS:-1000000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
python3 bench/linkage/swap_names.py "$DATA/febrl4b.csv" "$W/febrl4b_swap40.csv" 0.4 7 2>/dev/null
python3 bench/linkage/swap_names.py "$DATA/febrl3.csv" "$W/febrl3_swap40.csv" 0.4 7 2>/dev/null
# settings with other rules: the benchmark's fields, these rules
variant() { # SRC DST RULE...
  local src=$1 dst=$2; shift 2
  python3 - "$src" "$dst" "$@" <<'PY'
import re, sys
src, dst, rules = sys.argv[1], sys.argv[2], sys.argv[3:]
t = open(src).read()
body = "".join(f'  "{r}",\n' for r in rules)
open(dst, "w").write(re.sub(r"blocking = \[.*?\]", "blocking = [\n" + body + "]", t, count=1, flags=re.S))
PY
}
NAMES=("surname" "phonetic(surname) & phonetic(given_name)")
ADDR="postcode & first3(address_1)"
SORTED="sorted_tokens(given_name, surname)"
for n in 4 3; do
  variant bench/linkage/febrl$n.toml "$W/f${n}_dob.toml" "${NAMES[@]}" "$ADDR" "date_of_birth"
  variant bench/linkage/febrl$n.toml "$W/f${n}_few.toml" "${NAMES[@]}" "$ADDR"
  variant bench/linkage/febrl$n.toml "$W/f${n}_few_sorted.toml" "${NAMES[@]}" "$ADDR" "$SORTED"
done
row() { # LABEL RULES SETTINGS LABEL_COLUMN INPUT...
  local label=$1 rules=$2; shift 2
  "$B" fs "$@" | python3 -c "
import json, sys
r = json.load(sys.stdin)
t = r['true_pairs_reachable'] / r['true_pairs']
e, i = r['estimated_blocking_recall'], r['estimated_blocking_recall_independent']
f = lambda x: '-' if x is None else '%.4f' % x
missed = r['expected_matches_missed']
print('| %s | %s | %s | %s | %s (%+.4f) | %s | %s |' % (sys.argv[1], sys.argv[2], '{:,}'.format(r['true_pairs'] - r['true_pairs_reachable']),
  f(t), f(e), (e or 0) - t, '-' if missed is None else '{:,.0f}'.format(missed), f(i)))
" "$label" "$rules"
}
echo "| data | rules | true pairs missed | true recall | estimate (error) | estimated missed | independence estimate |"
echo "|---|---|---|---|---|---|---|"
A4="$DATA/febrl4a.csv"
row "FEBRL4" "benchmark (5)" bench/linkage/febrl4.toml cluster "$A4" "$DATA/febrl4b.csv"
row "FEBRL4, 40% names swapped" "benchmark (5)" bench/linkage/febrl4.toml cluster "$A4" "$W/febrl4b_swap40.csv"
row "FEBRL4, 40% names swapped" "names, address, dob" "$W/f4_dob.toml" cluster "$A4" "$W/febrl4b_swap40.csv"
row "FEBRL4" "names, address" "$W/f4_few.toml" cluster "$A4" "$DATA/febrl4b.csv"
row "FEBRL4, 40% names swapped" "names, address" "$W/f4_few.toml" cluster "$A4" "$W/febrl4b_swap40.csv"
row "FEBRL4, 40% names swapped" "names, address, sorted tokens" "$W/f4_few_sorted.toml" cluster "$A4" "$W/febrl4b_swap40.csv"
row "FEBRL3" "benchmark (5)" bench/linkage/febrl3.toml cluster "$DATA/febrl3.csv"
row "FEBRL3, 40% names swapped" "benchmark (5)" bench/linkage/febrl3.toml cluster "$W/febrl3_swap40.csv"
row "FEBRL3, 40% names swapped" "names, address, dob" "$W/f3_dob.toml" cluster "$W/febrl3_swap40.csv"
row "FEBRL3" "names, address" "$W/f3_few.toml" cluster "$DATA/febrl3.csv"
row "FEBRL3, 40% names swapped" "names, address" "$W/f3_few.toml" cluster "$W/febrl3_swap40.csv"
row "FEBRL3, 40% names swapped" "names, address, sorted tokens" "$W/f3_few_sorted.toml" cluster "$W/febrl3_swap40.csv"
if [ -f "$DATA/synth_$N.csv" ]; then
  row "synthetic $N" "benchmark (6)" bench/linkage/synth.toml entity_id "$DATA/synth_$N.csv"
fi
