#!/usr/bin/env python3
"""Registration writes at a fixed rate against a running Haven, and raw durable inserts into the
same SQLite database in the same run: the write goal (p99 < 50 ms at 50 writes per second) is a
ratio to what the disk and SQLite themselves take.

    python3 bench/reliability/write_latency.py --base http://127.0.0.1:8099 --users users.json \
        --db /path/to/haven.db --rate 50 --seconds 30

Phase 1 (Haven): `rate` registrations a second for `seconds`, open loop (a request starts on its
schedule whether or not earlier ones finished, so a slow server shows in the latency), spread
over the users; synthetic varied names (given and family names from lists, a date of birth for
most), as a register has them.
Phase 2 (raw): the same number of inserts at the same rate into a scratch table of the same
database file, each its own transaction, WAL and synchronous=FULL as Haven opens it, a 2 KiB
random payload (about an encrypted registration); the table is dropped afterwards.
Prints both as JSON with p50, p99 and the ratio. Only the standard library.
"""
import argparse
import json
import os
import random
import sqlite3
import statistics
import threading
import time

from load import login, percentile, person, request

def open_loop(rate, seconds, work):
    """Runs work(i) at `rate` a second for `seconds`, each on its own thread at its time."""
    n = int(rate * seconds)
    start = time.perf_counter() + 0.5
    results = [None] * n
    threads = []

    def run(i):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        t0 = time.perf_counter()
        ok = work(i)
        results[i] = (time.perf_counter() - t0, ok)

    for i in range(n):
        t = threading.Thread(target=run, args=(i,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return results


def summary(results):
    times = [r[0] for r in results]
    return {"count": len(results), "errors": sum(1 for r in results if not r[1]),
            "p50_ms": round(1000 * statistics.median(times), 2),
            "p99_ms": round(1000 * percentile(times, 99), 2),
            "max_ms": round(1000 * max(times), 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--users", required=True)
    ap.add_argument("--db", required=True, help="the server's SQLite database file")
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    sessions = [login(args.base, u) for u in json.load(open(args.users))]
    rng = random.Random(7)
    bodies = [person(rng) for _ in range(int(args.rate * args.seconds))]

    def register(i):
        status, _, _ = request(args.base, "POST", "/api/v1/registrations", sessions[i % len(sessions)], bodies[i])
        return status == 201

    haven = summary(open_loop(args.rate, args.seconds, register))

    setup = sqlite3.connect(args.db, timeout=10)
    setup.execute("CREATE TABLE IF NOT EXISTS bench_raw_insert (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
    setup.commit()
    setup.close()
    local = threading.local()

    def insert(i):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(args.db, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            local.conn = conn
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_raw_insert (payload) VALUES (?)", (os.urandom(2048),))
        conn.execute("COMMIT")
        return True

    raw = summary(open_loop(args.rate, args.seconds, insert))
    drop = sqlite3.connect(args.db, timeout=10)
    drop.execute("DROP TABLE bench_raw_insert")
    drop.commit()
    drop.close()
    print(json.dumps({
        "rate_per_second": args.rate, "seconds": args.seconds,
        "haven_registration": haven, "raw_durable_insert": raw,
        "p50_ratio": round(haven["p50_ms"] / raw["p50_ms"], 1) if raw["p50_ms"] else None,
        "p99_ratio": round(haven["p99_ms"] / raw["p99_ms"], 1) if raw["p99_ms"] else None,
        "goal_p99_under_50_ms": haven["p99_ms"] < 50 and haven["errors"] == 0,
    }, indent=2))


if __name__ == "__main__":
    main()
