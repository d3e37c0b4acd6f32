#!/usr/bin/env bash
# Load on loopback: `haven demo` (its Latvian instance: Latvia's share of the 300 synthetic cases)
# and 50 concurrent clients for 60 s with a
# realistic mix (bench/reliability/load.py), on SQLite and, with HAVEN_TEST_POSTGRES_URL set, on
# PostgreSQL. Prints p50 and p99 per operation and every error. Then, on SQLite, registrations at
# a fixed rate against raw durable inserts into the same database (write_latency.py).
#   bash bench/reliability/run_load.sh [clients] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
clients="${1:-50}"
seconds="${2:-60}"
# The write goal: registrations at this rate after the mixed load (WRITE_RATE, WRITE_SECONDS).
write_rate="${WRITE_RATE:-50}"
write_seconds="${WRITE_SECONDS:-30}"
cargo build --release -p haven-cli >/dev/null
bin="$PWD/target/release/haven"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() {
  local name="$1"; shift
  local dir="$work/$name"; mkdir -p "$dir"
  (cd "$dir" && HAVEN_MASTER_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= "$bin" "$@" demo --listen 127.0.0.1:0 >"$dir/out.log" 2>"$dir/err.log") &
  local pid=$!
  for _ in $(seq 1 300); do grep -q "Haven is serving on" "$dir/out.log" 2>/dev/null && break; sleep 1; done
  local base
  # the Latvian instance of the demonstration, where the users below are
  base=$(grep -o "Haven is serving on http://[0-9.:]*" "$dir/out.log" | head -n 1 | grep -o "http://[0-9.:]*")
  python3 - "$dir/out.log" >"$dir/users.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
users = []
for name in ["demo.ngo", "demo.police", "demo.shelter"]:
    m = re.search(rf"^\s*{re.escape(name)}\s+(\S+)", text, re.M)
    if m:
        users.append({"username": name, "password": m.group(1)})
print(json.dumps(users))
PY
  echo "== $name ($base, $clients clients, ${seconds}s)"
  python3 bench/reliability/load.py --base "$base" --users "$dir/users.json" --clients "$clients" --seconds "$seconds"
  if [ "$name" = sqlite ]; then
    echo "== $name: registration writes at ${write_rate}/s for ${write_seconds}s against raw durable inserts"
    python3 bench/reliability/write_latency.py --base "$base" --users "$dir/users.json" \
      --db "$dir/haven-data/lv/haven.db" --rate "$write_rate" --seconds "$write_seconds"
  fi
  kill -TERM "$pid"; wait "$pid" || true
}

run sqlite
if [ -n "${HAVEN_TEST_POSTGRES_URL:-}" ]; then
  db="haven_load_$$"
  psql "$HAVEN_TEST_POSTGRES_URL" -q -c "CREATE DATABASE $db"
  run postgresql --database-url "${HAVEN_TEST_POSTGRES_URL%/*}/$db"
  psql "$HAVEN_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
fi
