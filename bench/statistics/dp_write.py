"""Writes the "Statistics: differential privacy" section of BENCHMARKS.md from the results of
bench/statistics/run_dp.sh (Haven and OpenDP measured in the same run)."""
import datetime
import importlib.metadata as md
import json
import os
import re
import subprocess
import sys

out, target, command, load_before = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]


def result(name):
    with open(os.path.join(out, name)) as f:
        lines = [l for l in f.read().splitlines() if l.startswith("RESULT ")]
    return [json.loads(l[len("RESULT "):]) for l in lines]


def peak_mib(name):
    with open(os.path.join(out, name)) as f:
        for l in f:
            if "Maximum resident set size" in l:
                return int(l.split()[-1]) / 1024
    return float("nan")


haven = result("haven.out")
opendp = result("opendp.out")[0]
ours = json.load(open(os.path.join(out, "ours.json")))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
stamp = max(os.path.getmtime(os.path.join(out, f)) for f in os.listdir(out))
when = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
LIMIT = 1.0

L = ["## Statistics: differential privacy\n"]
L.append(
    f"Measured {when} on {os.cpu_count()} cores ({cpu}), {rustc}; OpenDP {opendp['opendp']} (Python, PyPI); "
    f"load average {load_before} before the run and {os.getloadavg()[0]:.2f} when written (1-minute; the machine is "
    f"shared, so compare the ratios of this run, never absolute times from another day). Command: `{command}`: "
    f"`haven-stats-bench dp` builds the {ours['tables']} national tables ({ours['cells']:,} cells, "
    f"{ours['distinct_cells']:,} distinct statistics) from {ours['records']:,} synthetic records "
    f"(`synth::records({ours['records']}, {ours['seed']}, \"{ours['country']}\")`, generation not timed; citizenships "
    "taken from the data) and releases them with noise from the operating system's generator; then "
    "`bench/statistics/dp_opendp.py` has OpenDP noise the same counts. Times are medians of "
    f"{haven[0]['reps']} repetitions; MAE is the mean absolute error of the {haven[0]['inner_cells']} inner cells of the "
    "tables against the true counts, averaged over the repetitions.\n")
L.append(
    f"Haven's release makes {ours['queries']} noisy queries (grand total, the sex, age-class and form margins shared "
    "by several tables, and the inner cells of each table) with ε split equally, and post-processes them to "
    "non-negative integers that add up in every table with one value per shared cell. OpenDP route \"same queries\": "
    "OpenDP's discrete Laplace on exactly those query vectors at the same scale (k / ε), without post-processing "
    "(negative values, tables that do not add up). Route \"inner only\": each table's inner cells alone, ε split over "
    "the 12 tables; margins would then be sums of noisy cells, different in every table that shares them. OpenDP "
    "ran the discrete Laplace only; Haven's discrete Gaussian rows use ρ-zCDP converted to (ε, δ).\n")
L.append("| mechanism | ε (δ) | Haven build + release s | Haven release s | Haven MAE | OpenDP same queries s | "
         "OpenDP same queries MAE | OpenDP inner only MAE |")
L.append("|---|---|---|---|---|---|---|---|")
od = {(r["route"], r["epsilon"]): r for r in opendp["runs"]}
for h in haven:
    gauss = h["mechanism"] == "DiscreteGaussian"
    e = h["epsilon"]
    eps_txt = f"{e:g}" + (f" ({h['delta']:g})" if gauss else "")
    same = None if gauss else od.get(("same_queries", e))
    inner = None if gauss else od.get(("inner_only", e))
    cell = lambda r, key, d: "" if not r else f"{r[key]:.{d}f}"
    L.append(f"| {'discrete Gaussian' if gauss else 'discrete Laplace'} | {eps_txt} | "
             f"{h['t_build_release_median_s']:.3f} | {h['t_release_median_s']:.4f} | {h['mae_inner_mean_of_reps']:.2f} | "
             f"{cell(same, 't_median_s', 4)} | {cell(same, 'mae_inner_mean_of_reps', 2)} | "
             f"{cell(inner, 'mae_inner_mean_of_reps', 2)} |")
L.append("")
lap = [h for h in haven if h["mechanism"] == "DiscreteLaplace"]
worst = max(h["t_build_release_median_s"] for h in haven)
L.append(f"- Limit: a release of all national tables from {ours['records']:,} records, build included, under "
         f"{LIMIT:.0f} s. Slowest median of this run {worst:.3f} s, ratio to the limit {worst / LIMIT:.3f} "
         f"({'met' if worst < LIMIT else 'NOT met'}).")
for h in lap:
    same, inner = od.get(("same_queries", h["epsilon"])), od.get(("inner_only", h["epsilon"]))
    if not same or not inner:
        continue
    L.append(f"- ε {h['epsilon']:g}: Haven's release (noise and post-processing) takes "
             f"{h['t_release_median_s'] / same['t_median_s']:.3f} of OpenDP's time to noise the same counts; "
             f"MAE ratio Haven / OpenDP same queries {h['mae_inner_mean_of_reps'] / same['mae_inner_mean_of_reps']:.3f} "
             f"(the same noise, before and after Haven's post-processing), Haven / OpenDP inner only "
             f"{h['mae_inner_mean_of_reps'] / inner['mae_inner_mean_of_reps']:.3f} (the cost of the {ours['queries']} "
             f"queries against 12 and of consistent shared margins). Noise standard deviation per query, both "
             f"same-queries runs: {h['noise_sd_per_query']:.2f}.")
L.append(f"- ε spent by OpenDP's privacy maps, summed over its queries: "
         + ", ".join(f"{r['epsilon_spent_by_privacy_maps']:g}" for r in opendp["runs"] if r["route"] == "same_queries")
         + " (the same totals Haven's exact accounting records).")
L.append(f"- Peak memory of the processes: Haven {peak_mib('haven.time'):.0f} MiB (records, tables and every "
         f"release); OpenDP {peak_mib('opendp.time'):.0f} MiB (counts only).")
L.append("")
section = "\n".join(L) + "\n"

text = open(target).read() if os.path.exists(target) else "# Benchmarks\n\n"
m = re.search(r"^## Statistics: differential privacy\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    text = text[:m.start()] + section + text[m.end():]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(target, "w").write(text)
