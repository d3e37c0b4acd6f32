#!/usr/bin/env python3
"""Writes (or replaces) the '## Statistics: disclosure control' section of BENCHMARKS.md from
one run of run.sh (out/ours.json, out/compare.json, out/tau/*/result.json)."""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--benchmarks", required=True)
ap.add_argument("--records", type=int, required=True)
ap.add_argument("--reps", type=int, required=True)
ap.add_argument("--load-before", default="?")
ap.add_argument("--pytauargus", default="?")
a = ap.parse_args()
out = pathlib.Path(a.out)
ours = json.loads((out / "ours.json").read_text())
cmp_ = json.loads((out / "compare.json").read_text())
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
load_after = open("/proc/loadavg").read().split()[0]
rss = (out / "ours.maxrss_kB").read_text().strip() if (out / "ours.maxrss_kB").exists() else "?"

rel = ours["release"]
s = rel["summary"]
L = []
L.append("## Statistics: disclosure control\n")
L.append(f"Measured {now} on {os.cpu_count()} cores ({cpu}), {rustc}; pytauargus {a.pytauargus} (tau-ARGUS engine, HiGHS); "
         f"load average {a.load_before} before the run and {load_after} when written (1-minute; the machine is shared). "
         f"Command: `bench/statistics/run.sh` (RECORDS={a.records}, REPS={a.reps}): `haven-stats-bench sdc run` builds the national tables from "
         f"`synth::records({a.records}, 42, \"LV\")` (generation not timed), protects them jointly and audits them; then tau-ARGUS runs "
         "on each table's non-empty inner cells (tau_table.py, the `table` route of the peers' tau_run.py), MOD = `MOD(1,5,1,1,1)`, "
         "OPT = `OPT(1,600)`, and `haven-stats-bench sdc compare` audits tau's patterns with Haven's LP audit. "
         "Same requirement for both: primary when 0 < n < 5, protection `FREQ(5,10)` = max(1, 10% of the value) = 1 person both ways "
         "(Haven `ProtectionLevel::PercentOfValue(10)`). Our audit assumes only that counts are non-negative; tau's own audit also "
         "assumes non-empty cells are at least 1. Compare ratios within this run only.\n")
L.append("### National release, jointly (12 linked tables)\n")
L.append("| work | cells | primary | secondary | suppressed total | audit | wall s (median) | peak MB |")
L.append("|---|---|---|---|---|---|---|---|")
pk = f"{int(rss) / 1024:.0f}" if rss.isdigit() else "?"
L.append(f"| build all tables + joint secondary suppression + LP audit, {a.records:,} records | {rel['cells']} | {s['primary']} | {s['secondary']} | "
         f"{s['suppressed_value_total']} | {'passed' if s['audit_passed'] else 'FAILED'} ({s['audit_lps']} LPs) | {rel['seconds_median']:.3f} | {pk} |")
L.append("")
L.append(f"- Of which counting the records into the tables: {rel['build_seconds_median']:.3f} s; all runs: "
         + ", ".join(f"{x:.3f}" for x in rel["seconds_all"]) + " s.")
goal = "met" if rel["seconds_median"] < 2 else "NOT met"
L.append(f"- Goal: under 2 s on this 2-core machine. This run: {rel['seconds_median']:.3f} s ({goal}).")
j = cmp_.get("tau_release_joint_audit", {})
for m in ("MOD", "OPT"):
    if m in j:
        x = j[m]
        L.append(f"- tau-ARGUS {m} protects table by table; its national patterns audited together as one linked release by Haven's audit: "
                 f"{'passed' if x['audit_passed'] else 'FAILED'} ({x['audit_unsafe']} weak cells; {x['primary']} primary, {x['secondary']} secondary).")
L.append("")
L.append("### Table by table, side by side\n")
L.append("Each table alone (tau-ARGUS handles one table at a time); Haven time is `protect` with its audit, tau time is the engine "
         "(suppression) plus its audit, and in brackets the whole Python process. 'our audit' is Haven's LP audit of the pattern.\n")
L.append("| table | cells | tool | primary | secondary | suppressed total | our audit | tau audit | time s |")
L.append("|---|---|---|---|---|---|---|---|---|")
per_ours = {r["table"]: r for r in ours["per_table"]}
by = {}
for r in cmp_["per_table"]:
    by[(r["table"], r["method"])] = r
ratios = []
mod_goal = []
for t, r in per_ours.items():
    su = r["summary"]
    L.append(f"| {t} | {r['cells']} | Haven | {su['primary']} | {su['secondary']} | {su['suppressed_value_total']} | "
             f"{'passed' if su['audit_passed'] else 'FAILED'} | | {r['seconds_median']:.4f} |")
    for m in ("MOD", "OPT"):
        c = by.get((t, m))
        if c is None:
            continue
        tau = c.get("tau") or {}
        if "summary" not in c or not tau.get("ok"):
            L.append(f"| {t} | {r['cells']} | tau {m} | error: {c.get('error') or tau.get('error', '?')} | | | | | |")
            continue
        cs = c["summary"]
        ta = tau.get("audit_unsafe")
        tau_audit = "clean" if ta == 0 else f"{ta} unsafe"
        tt = tau.get("t_engine_s", 0) + tau.get("t_audit_s", 0)
        L.append(f"| {t} | {r['cells']} | tau {m} | {cs['primary']} | {cs['secondary']} | {cs['suppressed_value_total']} | "
                 f"{'passed' if cs['audit_passed'] else 'FAILED (' + str(cs['audit_unsafe']) + ' weak)'} | {tau_audit} | {tt:.3f} ({tau.get('process_wall_s', '?')}) |")
        if su["primary"] > 0:
            ratios.append((t, m, r["seconds_median"], tt, su["secondary"], cs["secondary"]))
        if m == "MOD":
            mod_goal.append((t, su["secondary"], cs["secondary"]))
L.append("")
for t, m, ours_t, tau_t, so, st in ratios:
    L.append(f"- {t}: Haven {so} secondary vs tau {m} {st}; time Haven/tau {m} = {ours_t / tau_t:.4f}" if tau_t > 0 else f"- {t}: tau {m} time 0")
worse = [(t, so, st) for t, so, st in mod_goal if so > st]
if mod_goal:
    if worse:
        L.append("- Goal 'no more secondary suppressions than MOD': NOT met on " + ", ".join(f"{t} (Haven {so}, MOD {st})" for t, so, st in worse) + ".")
    else:
        L.append("- Goal 'no more secondary suppressions than MOD': met on every table of this run.")
if "VICT_CITIZEN_AGE_EXPLOIT" not in per_ours:
    L.append("- Not in this run: the 3-D table citizenship x age x exploitation (`CUBE=1 bench/statistics/run.sh`). Haven's "
             "protection of it finishes its per-cell searches quickly, but its LP audit (two programs per suppressed cell over one "
             "large linked group of suppressed cells, solved from scratch each time) ran for more than 10 minutes at 240,000 records "
             "without finishing, so no comparison with tau-ARGUS on that table is reported; the audit needs warm-started programs first.")
L.append(f"- Haven's secondary cells may be empty (zero) cells, which tau-ARGUS does not use; the counts are in out/ours.json (`secondary_zero_cells`).")
L.append("")
section = "\n".join(L) + "\n"
bm = pathlib.Path(a.benchmarks)
text = bm.read_text() if bm.exists() else "# Benchmarks\n"
pat = re.compile(r"^## Statistics: disclosure control\n.*?(?=^## |\Z)", re.S | re.M)
if pat.search(text):
    text = pat.sub(section + "\n", text)
else:
    text = text.rstrip("\n") + "\n\n" + section
bm.write_text(text)
