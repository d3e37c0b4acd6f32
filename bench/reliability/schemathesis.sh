#!/usr/bin/env bash
# OpenAPI conformance: schemathesis against `haven demo` (its Latvian instance, where these users
# are), signed in, for a fixed time per user.
# Every operation of /api/v1/openapi.json is called with generated valid and invalid input; a
# run fails on any server error (5xx), any response whose body does not match its schema, and
# any status code or content type the document does not declare for the operation.
#
#   bash bench/reliability/schemathesis.sh [seconds per user, default 70]
#   CONFORMANCE_USERS="demo.ngo demo.rapporteur" bash bench/reliability/schemathesis.sh
#
# Needs `schemathesis` on PATH (or SCHEMATHESIS_BIN=/path/to/schemathesis); .ci/run installs the
# pinned version. Users: demo.ngo (first responder and caseworker), demo.authority (the
# competent authority's decision maker), demo.dataofficer (the person review and the re-link
# jobs) and demo.prosecutor (the proceedings compartment) unless CONFORMANCE_USERS names others (the variables are
# not HAVEN_*: the server refuses settings it does not know). Logging out is left out: it would
# end the session the run rides on.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-${CONFORMANCE_SECONDS:-70}}"
st="${SCHEMATHESIS_BIN:-schemathesis}"
# schemathesis keeps a replay cache in its working directory: it runs in the temporary one.
case "$st" in */*) st="$(cd "$(dirname "$st")" && pwd)/$(basename "$st")" ;; esac
users="${CONFORMANCE_USERS:-demo.ngo demo.authority demo.dataofficer demo.prosecutor}"

cargo build -p haven-cli --locked --quiet
bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/haven"
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && HAVEN_MASTER_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= exec "$bin" demo --listen 127.0.0.1:0 \
  >"$work/out.log" 2>"$work/err.log") &
pid=$!
for _ in $(seq 1 600); do
  grep -q "Haven is serving on" "$work/out.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "haven demo stopped:"; cat "$work/err.log"; exit 1; }
  sleep 1
done
# the Latvian instance of the demonstration (the other three print their own addresses before)
base=$(grep -o "Haven is serving on http://[0-9.:]*" "$work/out.log" | head -n 1 | grep -o "http://[0-9.:]*")
[ -n "$base" ] || { echo "haven demo did not start in time"; cat "$work/err.log"; exit 1; }

# Sign every user in before the run: the run also calls the login operation with wrong
# passwords, and the address is then (rightly) rate-limited.
for user in $users; do
  python3 - "$base" "$user" "$work/out.log" >"$work/$user.session" <<'PY'
import json, re, sys, urllib.request
base, user, log = sys.argv[1], sys.argv[2], sys.argv[3]
m = re.search(rf"^\s*{re.escape(user)}\s+(\S+)", open(log).read(), re.M)
if not m:
    sys.exit(f"no password printed for {user}")
req = urllib.request.Request(
    f"{base}/api/v1/auth/login",
    data=json.dumps({"username": user, "password": m.group(1)}).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
with urllib.request.urlopen(req) as reply:
    body = json.load(reply)
    cookie = next(c.split(";")[0] for c in reply.headers.get_all("Set-Cookie") if c.startswith("haven_session="))
print(cookie)
print(body["csrf_token"])
PY
done

status=0
for user in $users; do
  cookie=$(sed -n 1p "$work/$user.session")
  csrf=$(sed -n 2p "$work/$user.session")
  echo "== schemathesis as $user ($base, ${seconds}s)"
  (cd "$work" && "$st" run "$base/api/v1/openapi.json" \
    --url "$base" \
    --header "Cookie: $cookie" \
    --header "X-CSRF-Token: $csrf" \
    --exclude-path /api/v1/auth/logout \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --max-time "$seconds" \
    --workers 2 \
    --generation-database none \
    --output-sanitize true \
    --no-color) || status=1
done
if grep -q -i "panicked" "$work/err.log"; then
  echo "the server panicked:"; grep -a -i -A3 "panicked" "$work/err.log"; status=1
fi
if [ "$status" -ne 0 ]; then
  echo "== the server's errors"; grep -a "ERROR" "$work/err.log" | tail -n 20 || true
fi
exit "$status"
