#!/usr/bin/env bash
# Cross-border person count on synthetic persons with planted overlaps, and a frequency attack on
# the hub's copy of the encodings. Usage: bench/crossborder/run.sh [PERSONS] [COUNTRIES] [SEED] [THRESHOLD]
# Writes bench/crossborder/results/<PERSONS>-<COUNTRIES>.json and machine-<PERSONS>-<COUNTRIES>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
persons=${1:-20000}
countries=${2:-4}
seed=${3:-7}
threshold=${4:-0.8}
out=bench/crossborder/results
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
# the generator is the persons benchmark's register (debug build is enough); the count in release
cargo build -q -p haven-persons-bench --bin haven-crossborder-gen
# PROFILE=debug runs the count from the debug build (slower; the counts are the same)
profile=${PROFILE:-release}
target=${CARGO_TARGET_DIR:-target}
if [ "$profile" = debug ]; then
    cargo build -q -p haven-link --bin haven-crossborder-bench
else
    cargo build -q --release -p haven-link --bin haven-crossborder-bench
fi
"$target/debug/haven-crossborder-gen" "$persons" "$countries" "$seed" "$data"
command="PROFILE=$profile bench/crossborder/run.sh $persons $countries $seed $threshold"
"$target/$profile/haven-crossborder-bench" "$data/records.csv" "$data/public_names.csv" "$threshold" 20 \
    > "$out/$persons-$countries.json"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command: $command"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "cores: $(nproc)"
    echo "memory: $(grep MemTotal /proc/meminfo | awk '{print $2/1024/1024 " GiB"}')"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rustc: $(rustc --version)"
} > "$out/machine-$persons-$countries.txt"
cat "$out/machine-$persons-$countries.txt"
cat "$out/$persons-$countries.json"
