#!/usr/bin/env bash
# Before and after on the same machine, back to back: the persons bench of two commits at N
# registrations on one backend, the same seed, register and operations.
#
#   bench/persons/compare.sh OLD NEW [N] [BACKEND]    N default 20000, BACKEND sqlite (or postgres)
#
# Each commit's release bench binary is built in a temporary worktree (CARGO_TARGET_DIR shared, so
# only the workspace's own crates are rebuilt); OLD_BIN / NEW_BIN use binaries built already.
# Writes OUT/<backend>-<N>-old.json, OUT/<backend>-<N>-new.json and OUT/machine-<backend>-<N>.txt
# (OUT default bench/persons/results/<NEW>-cmp). REPEATS=k runs old and new alternately k times
# (files -old-1.json, -new-1.json, ...): one run of 400 writes moves by 10 ms from run to run on a
# shared machine. PBENCH_ARGS passes options to both (e.g. "--writes-per-writer 100").
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD="$1"
NEW="$2"
N="${3:-20000}"
BACKEND="${4:-sqlite}"
OUT="${OUT:-bench/persons/results/$NEW-cmp}"
TARGET="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
PGHOST="${PGHOST:-127.0.0.1}"
PGUSER="${PGUSER:-postgres}"
DB="${PBENCH_DB:-haven_pbench}"
mkdir -p "$OUT"
REPEATS="${REPEATS:-}"

build() {
  local rev="$1" bin="$2" tree
  tree="$(mktemp -d "${TMPDIR:-/tmp}/haven-cmp.XXXXXX")"
  git worktree add -q --detach "$tree" "$rev"
  (cd "$tree" && CARGO_TARGET_DIR="$TARGET" cargo build --release -p haven-persons-bench)
  cp "$TARGET/release/haven-persons-bench" "$bin"
  git worktree remove --force "$tree"
}

OLD_BIN="${OLD_BIN:-}"
NEW_BIN="${NEW_BIN:-}"
if [ -z "$OLD_BIN" ]; then OLD_BIN="$OUT/bin-old"; build "$OLD" "$OLD_BIN"; fi
if [ -z "$NEW_BIN" ]; then NEW_BIN="$OUT/bin-new"; build "$NEW" "$NEW_BIN"; fi

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GB"
  echo "rustc: $(rustc --version)"
  echo "command: REPEATS=\"$REPEATS\" PBENCH_ARGS=\"${PBENCH_ARGS:-}\" bench/persons/compare.sh $OLD $NEW $N $BACKEND"
} | tee "$OUT/machine-$BACKEND-$N.txt"

REPEATS="${REPEATS:-}"
runs="old new"
if [ -n "$REPEATS" ]; then
  runs=""
  for k in $(seq 1 "$REPEATS"); do runs="$runs old-$k new-$k"; done
fi
for which in $runs; do
  if [ "${which%%-*}" = old ]; then bin="$OLD_BIN"; rev="$OLD"; else bin="$NEW_BIN"; rev="$NEW"; fi
  echo "$which ($rev) $BACKEND $N start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine-$BACKEND-$N.txt"
  case "$BACKEND" in
    sqlite)
      dir="$(mktemp -d "${TMPDIR:-/tmp}/haven-pbench.XXXXXX")"
      "$bin" --database "sqlite://$dir/db" --n "$N" ${PBENCH_ARGS:-} > "$OUT/$BACKEND-$N-$which.json"
      rm -rf "$dir"
      ;;
    postgres)
      dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$DB"
      createdb -h "$PGHOST" -U "$PGUSER" "$DB"
      "$bin" --database "postgres://$PGUSER@$PGHOST:5432/$DB" --n "$N" ${PBENCH_ARGS:-} > "$OUT/$BACKEND-$N-$which.json"
      dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$DB"
      ;;
    *) echo "unknown backend $BACKEND" >&2; exit 2 ;;
  esac
  echo "$which end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine-$BACKEND-$N.txt"
done
rm -f "$OUT/bin-old" "$OUT/bin-new"
