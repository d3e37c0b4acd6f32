#!/usr/bin/env bash
# Cross-border person count on synthetic persons with planted overlaps, against the truth, and a
# frequency attack on the hub's copy of the encodings (issue 18, "Tests and proof").
#
# Usage: bench/crossborder/run.sh [PERSONS] [SEED] [THRESHOLD] [COUNTRIES ...]
#   defaults: 10000 persons, seed 7, Dice threshold 0.8, 2, 3 and 5 countries.
# Builds the count in release (the generator, the persons benchmark's register, in the debug
# build: its output does not depend on the build, and the count is what is timed), then for each number of countries writes
# bench/crossborder/results/<PERSONS>-<COUNTRIES>.json, and the machine and commands to
# bench/crossborder/results/machine-<PERSONS>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
persons=${1:-10000}
seed=${2:-7}
threshold=${3:-0.8}
shift $(( $# < 3 ? $# : 3 ))
if [ $# -gt 0 ]; then countries_list=("$@"); else countries_list=(2 3 5); fi
out=bench/crossborder/results
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
target=${CARGO_TARGET_DIR:-target}
cargo build -q -p haven-persons-bench --bin haven-crossborder-gen
cargo build -q --release -p haven-link --bin haven-crossborder-bench
machine="$out/machine-$persons.txt"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "command: bench/crossborder/run.sh $persons $seed $threshold ${countries_list[*]}"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "cores: $(nproc)"
    echo "memory: $(grep MemTotal /proc/meminfo | awk '{print $2/1024/1024 " GiB"}')"
    echo "rustc: $(rustc --version)"
    echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$machine"
for countries in "${countries_list[@]}"; do
    dir="$data/$countries"
    mkdir -p "$dir"
    "$target/debug/haven-crossborder-gen" "$persons" "$countries" "$seed" "$dir"
    start=$(date +%s.%N)
    "$target/release/haven-crossborder-bench" "$dir/records.csv" "$dir/public_names.csv" "$threshold" 20 \
        > "$out/$persons-$countries.json"
    end=$(date +%s.%N)
    echo "countries $countries: $(echo "$end - $start" | bc) s wall (encode, count, attack; release build); load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$machine"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$machine"
cat "$machine"
for countries in "${countries_list[@]}"; do
    python3 - "$out/$persons-$countries.json" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{len(r['countries'])} countries, {r['persons_true']} true persons, records {r['records_per_country']}")
for k in ("count_hardened", "count_plain", "count_plaintext"):
    c = r[k]
    print(f"  {k:16} distinct {c['distinct_estimated']:>6} (sum of national {c['sum_of_national']}) "
          f"precision {c['precision']:.3f} recall {c['recall']:.3f}")
for k in ("attack_hardened", "attack_plain"):
    a = r[k]
    print(f"  {k:16} names re-identified {a['names_reidentified']}/{a['names_attacked']} "
          f"records named {a['records_named']} right {a['records_named_right']} "
          f"baseline {a['baseline_most_common_name_right']:.3f}")
PY
done
