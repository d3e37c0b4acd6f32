#!/usr/bin/env python3
"""OpenDP 0.16 on the same counts as Haven's DP release, in the same run.

Reads counts.json written by `haven-stats-bench dp` (the true counts of every noisy query of
Haven's release plan, and every table's inner cells) and, for each total epsilon:

  route "same queries": the k queries of Haven's plan, each noised by OpenDP's discrete Laplace
    (vector_domain(atom_domain(int)), l1_distance(int) >> then_laplace(scale = k / epsilon)),
    so each query is epsilon/k-DP and they compose to epsilon: the same noise distribution as
    Haven's, without post-processing (values may be negative and do not add up);
  route "inner only": each table's inner cells alone, epsilon split over the tables (scale =
    tables / epsilon); margins would be sums of noisy cells, different in every table sharing them.

Reports the wall time from the counts as Python lists to the noisy outputs (measurement
construction included) and the mean absolute error of the inner cells (each table's inner cells,
as published). Adapted from the peer script ../shared/bench/statistics/opendp_run.py (route agg).

Usage: dp_opendp.py counts.json --reps 3
"""
import argparse
import importlib.metadata
import json
import resource
import time

import numpy as np
import opendp.prelude as dp

dp.enable_features("contrib")


def laplace_vector(counts, scale):
    space = dp.vector_domain(dp.atom_domain(T=int), size=len(counts)), dp.l1_distance(T=int)
    meas = space >> dp.m.then_laplace(scale=scale)
    return meas, np.asarray(meas(counts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("counts")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    data = json.load(open(a.counts))
    queries = data["queries"]
    tables = data["tables"]
    k = len(queries)
    out = []
    for eps in data["epsilons"]:
        for route in ("same_queries", "inner_only"):
            times, maes, eps_used = [], [], None
            for _ in range(a.reps):
                t0 = time.perf_counter()
                errs = []
                used = 0.0
                if route == "same_queries":
                    scale = k / eps
                    for q in queries:
                        meas, noisy = laplace_vector(list(q["counts"]), scale)
                        used += float(meas.map(1))
                        true = np.asarray(q["counts"])
                        errs.append(np.abs(noisy - true)[np.asarray(q["inner"], dtype=bool)])
                else:
                    scale = len(tables) / eps
                    for t in tables:
                        meas, noisy = laplace_vector(list(t["inner_counts"]), scale)
                        used += float(meas.map(1))
                        errs.append(np.abs(noisy - np.asarray(t["inner_counts"])))
                times.append(time.perf_counter() - t0)
                allerr = np.concatenate(errs)
                maes.append(float(allerr.mean()))
                eps_used = used
            out.append({
                "route": route, "epsilon": eps, "queries": k if route == "same_queries" else len(tables),
                "epsilon_spent_by_privacy_maps": round(eps_used, 9),
                "inner_cells": int(sum(len(e) for e in errs)),
                "mae_inner_mean_of_reps": round(sum(maes) / len(maes), 4),
                "t_median_s": round(sorted(times)[len(times) // 2], 4), "t_all_s": [round(t, 4) for t in times],
            })
    print("RESULT " + json.dumps({"opendp": importlib.metadata.version("opendp"),
                                  "runs": out,
                                  "maxrss_MiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
