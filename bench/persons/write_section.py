#!/usr/bin/env python3
"""Prints the tables of BENCHMARKS.md "Persons in the platform at national scale" from
bench/persons/results/<backend>-<N>.json (run.sh's output): one table per N, a line per backend.

    bench/persons/write_section.py [RESULTS_DIR]
"""
import glob
import json
import os
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results")
runs = {}
for path in sorted(glob.glob(os.path.join(d, "*-*.json"))):
    try:
        r = json.load(open(path))
    except (OSError, ValueError):
        continue
    runs.setdefault(r["n"], []).append(r)


def peak(r):
    # the largest phase peak (each phase's VmHWM was reset at its start)
    return max(r[k]["memory"]["peak_mb"] for k in ("load", "writes", "searches", "counts", "full_relink"))


def met(ratio):
    return "met" if ratio < 1 else "not met"


for n in sorted(runs):
    print(f"#### {n:,} registrations\n")
    print("| backend | load (8 loaders) | write p50 / p99 ms (16 writers) | search p50 / p99 ms | counts s (worst) | full re-link s | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for r in sorted(runs[n], key=lambda r: r["backend"]):
        w, s, c, f = r["writes"], r["searches"], r["counts"], r["full_relink"]
        print(
            f"| {r['backend']} | {r['load']['seconds']:.0f} s ({r['load']['registrations_per_second']:.0f}/s) "
            f"| {w['latency_ms']['p50']:.1f} / {w['latency_ms']['p99']:.1f} "
            f"| {s['latency_ms']['p50']:.1f} / {s['latency_ms']['p99']:.1f} "
            f"| {max(c['seconds']):.2f} | {f['seconds']:.2f} | {peak(r):.0f} |"
        )
    print()
    print("| backend | write p99 / 50 ms | search p99 / 100 ms | counts / 2 s | re-link / 60 s |")
    print("|---|---|---|---|---|")
    for r in sorted(runs[n], key=lambda r: r["backend"]):
        w, s, c, f = r["writes"], r["searches"], r["counts"], r["full_relink"]
        print(
            f"| {r['backend']} | {w['ratio_p99_to_limit']:.2f} ({met(w['ratio_p99_to_limit'])}) "
            f"| {s['ratio_p99_to_limit']:.2f} ({met(s['ratio_p99_to_limit'])}) "
            f"| {c['ratio_worst_to_limit']:.2f} ({met(c['ratio_worst_to_limit'])}) "
            f"| {f['ratio_to_limit']:.2f} ({met(f['ratio_to_limit'])}) |"
        )
    print()
    for r in sorted(runs[n], key=lambda r: r["backend"]):
        w, s, c, f, l = r["writes"], r["searches"], r["counts"], r["full_relink"], r["load"]
        print(
            f"- {r['backend']}: {r['n']:,} registrations of {r['persons_in_register']:,} persons; "
            f"the load's own creates in its last tenth p50 {l['create_ms_last_tenth']['p50']:.1f} / p99 "
            f"{l['create_ms_last_tenth']['p99']:.1f} ms; duplicate warnings: {w['same_agency_duplicates_warned']} of "
            f"{w['same_agency_duplicates']} writes of a person the same agency had registered, "
            f"{w['warnings_of_other_persons']} hits of other persons; searches found the person {s['person_found']} "
            f"of {s['count']} times ({s['mean_hits']:.1f} hits on average); persons counted "
            f"{f['persons_found']:,} vs {f['persons_true']:,} true; peak MB by phase: load "
            f"{l['memory']['peak_mb']:.0f}, writes {w['memory']['peak_mb']:.0f}, searches "
            f"{s['memory']['peak_mb']:.0f}, counts {c['memory']['peak_mb']:.0f}, re-link {f['memory']['peak_mb']:.0f}."
        )
    print()
