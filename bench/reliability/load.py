#!/usr/bin/env python3
"""Load on loopback: N concurrent clients for T seconds against a running Haven, with a mix of
what caseworkers and the competent authority do (list cases, read a case, register a person,
search, read the deadlines). Prints p50 and p99 per operation and the errors, as JSON.

    python3 bench/reliability/load.py --base http://127.0.0.1:8099 --users users.json \
        --clients 50 --seconds 60

`users.json` is a list of {"username", "password"} of demo users that may register and read
(see run_load.sh, which starts `haven demo` and collects them). Only the standard library.
"""
import argparse
import http.client
import json
import random
import statistics
import threading
import time
import urllib.parse


GIVEN = ["Anna", "Olena", "Iryna", "Marija", "Līga", "Žanna", "Ilze", "Natalia", "Elena", "Oksana", "Ana",
         "Ioana", "Maria", "Svetlana", "Kristīne", "Agnieszka", "Fatima", "Amina", "Joy", "Blessing",
         "Ivan", "Andrei", "Mihai", "Pēteris", "Jānis", "Dmitri", "Tomasz", "Ahmed", "Samuel", "Vasile"]
FAMILY = ["Ozola", "Kalniņa", "Bērziņa", "Kovalenko", "Shevchenko", "Bondarenko", "Popescu", "Ionescu",
          "Petrova", "Ivanova", "Nowak", "Kowalska", "Tamm", "Saar", "Kazlauskienė", "Jankauskas",
          "Okafor", "Adeyemi", "Hassan", "Rahman", "Melnyk", "Kravchenko", "Rusu", "Munteanu",
          "Sokolova", "Liepiņa", "Krūmiņa", "Vasiliauskas", "Horvat", "Novak"]


def person(rng):
    """A synthetic registration: varied names, as a register has them, and mostly a date of birth."""
    p = {"given_names": rng.choice(GIVEN), "family_names": rng.choice(FAMILY),
         "sex": rng.choice(["female", "female", "male"])}
    if rng.random() < 0.8:
        p["date_of_birth"] = f"{rng.randint(1960, 2009)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"person": p}


def request(base, method, path, session=None, body=None):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {"Host": "localhost"}
    if session:
        headers["Cookie"] = session["cookie"]
        headers["X-CSRF-Token"] = session["csrf"]
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    payload = resp.read()
    cookies = resp.getheader("Set-Cookie") or ""
    conn.close()
    return resp.status, payload, cookies


def login(base, user):
    status, payload, cookies = request(base, "POST", "/api/v1/auth/login", body=user)
    if status != 200:
        raise SystemExit(f"login of {user['username']} failed: {status} {payload[:200]!r}")
    cookie = cookies.split(";")[0]
    return {"cookie": cookie, "csrf": json.loads(payload)["csrf_token"]}


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--users", required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    users = json.load(open(args.users))
    sessions = [login(args.base, u) for u in users]
    # Cases each session can read, to read them back.
    readable = []
    for s in sessions:
        status, payload, _ = request(args.base, "GET", "/api/v1/cases?limit=50", s)
        ids = [c["id"] for c in json.loads(payload)] if status == 200 else []
        readable.append(ids)

    lock = threading.Lock()
    timings = {}
    errors = {}
    stop_at = time.monotonic() + args.seconds

    def record(op, seconds, ok, status):
        with lock:
            timings.setdefault(op, []).append(seconds)
            if not ok:
                errors.setdefault(op, {}).setdefault(str(status), 0)
                errors[op][str(status)] += 1

    def client(i):
        rng = random.Random(i)
        k = i % len(sessions)
        s, ids = sessions[k], readable[k]
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            roll = rng.random()
            t0 = time.perf_counter()
            if roll < 0.30:
                op, (status, _, _) = "list cases", request(args.base, "GET", "/api/v1/cases?limit=50", s)
                ok = status == 200
            elif roll < 0.60 and ids:
                case = rng.choice(ids)
                op, (status, _, _) = "read a case", request(args.base, "GET", f"/api/v1/registrations/{case}", s)
                ok = status == 200
            elif roll < 0.80:
                body = person(rng)
                op, (status, _, _) = "register a person", request(args.base, "POST", "/api/v1/registrations", s, body)
                ok = status == 201
            elif roll < 0.95:
                q = urllib.parse.urlencode({"name": rng.choice(["Anna Ozola", "Olena Kovalenko", "Ivan Petrov"])})
                op, (status, _, _) = "search persons", request(args.base, "GET", f"/api/v1/persons/search?{q}", s)
                ok = status == 200
            else:
                op, (status, _, _) = "list providers", request(args.base, "GET", "/api/v1/providers", s)
                ok = status in (200, 403)
            record(op, time.perf_counter() - t0, ok, status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    out = {"clients": args.clients, "seconds": round(wall, 1), "operations": {}}
    for op, values in sorted(timings.items()):
        out["operations"][op] = {
            "count": len(values),
            "per_second": round(len(values) / wall, 1),
            "p50_ms": round(1000 * statistics.median(values), 1),
            "p99_ms": round(1000 * percentile(values, 99), 1),
            "errors": errors.get(op, {}),
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
