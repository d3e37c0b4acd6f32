#!/usr/bin/env bash
# Persons in the platform at national scale: one run of haven-persons-bench on each backend.
#
#   bench/persons/run.sh [N] [BACKENDS]      N registrations (default 200000; 20000 for a quick run)
#                                            BACKENDS "sqlite postgres" (default), or one of them
#
# Environment: CARGO_TARGET_DIR (where the release build goes), PGHOST (127.0.0.1), PGUSER
# (postgres), PBENCH_DB (haven_pbench: created and dropped here), OUT (bench/persons/results),
# PBENCH_ARGS (more options for the binary, e.g. "--count-repeats 1").
# Each backend writes OUT/<backend>-<N>.json; OUT/machine-<N>.txt says on what and when.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-200000}"
BACKENDS="${2:-sqlite postgres}"
OUT="${OUT:-bench/persons/results}"
PGHOST="${PGHOST:-127.0.0.1}"
PGUSER="${PGUSER:-postgres}"
DB="${PBENCH_DB:-haven_pbench}"
TARGET="${CARGO_TARGET_DIR:-target}"
mkdir -p "$OUT"

cargo build --release -p haven-persons-bench
BIN="$TARGET/release/haven-persons-bench"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || cat COMMIT 2>/dev/null)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GB"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc --version)"
  echo "postgres: $(psql -h "$PGHOST" -U "$PGUSER" -d test -tAc 'show server_version' 2>/dev/null || echo unavailable)"
  echo "command: PBENCH_ARGS=\"${PBENCH_ARGS:-}\" bench/persons/run.sh $N \"$BACKENDS\""
} | tee "$OUT/machine-$N.txt"

for backend in $BACKENDS; do
  echo "load average before $backend: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine-$N.txt"
  case "$backend" in
    sqlite)
      dir="$(mktemp -d "${TMPDIR:-/tmp}/haven-pbench.XXXXXX")"
      "$BIN" --database "sqlite://$dir/db" --n "$N" ${PBENCH_ARGS:-} > "$OUT/sqlite-$N.json"
      du -sh "$dir/db" | tee -a "$OUT/machine-$N.txt"
      rm -rf "$dir"
      ;;
    postgres)
      dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$DB"
      createdb -h "$PGHOST" -U "$PGUSER" "$DB"
      "$BIN" --database "postgres://$PGUSER@$PGHOST:5432/$DB" --n "$N" ${PBENCH_ARGS:-} > "$OUT/postgres-$N.json"
      psql -h "$PGHOST" -U "$PGUSER" -d "$DB" -tAc "select 'database size: ' || pg_size_pretty(pg_database_size('$DB'))" \
        | tee -a "$OUT/machine-$N.txt"
      dropdb -h "$PGHOST" -U "$PGUSER" --if-exists "$DB"
      ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  echo "load average after $backend: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine-$N.txt"
done
