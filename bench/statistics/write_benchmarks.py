#!/usr/bin/env python3
"""Writes (or replaces) the '## Statistics: disclosure control' section of BENCHMARKS.md from
one run of run.sh: one directory per record count and rule (out/n<N>-<rule>/ours.json,
compare.json, tau/*/result.json)."""
import argparse
import datetime
import json
import os
import pathlib
import re
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("dirs", nargs="+")
ap.add_argument("--benchmarks", required=True)
ap.add_argument("--load-before", default="?")
ap.add_argument("--pytauargus", default="?")
ap.add_argument("--tau-timeout", default="?")
ap.add_argument("--opt-limit", default="?")
ap.add_argument("--mod-timeout", default=None)
ap.add_argument("--commit", default="?")
ap.add_argument("--swap-rules", default="freq")
a = ap.parse_args()
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
load_after = open("/proc/loadavg").read().split()[0]
CUBE = "VICT_CITIZEN_AGE_EXPLOIT"
RULES = {
    "freq": "FREQ(5,10): 1 person each way",
    "abs": "default: 5 persons each way",
}


def audit(s):
    return "passed" if s["audit_passed"] else f"FAILED ({s['audit_unsafe']} weak)"


def integer(s):
    if "integer_certified" not in s:
        return ""
    return (f"{s['integer_certified']} certified, {s['integer_narrower']} narrower, "
            f"{s['integer_unchecked']} unchecked")


runs = []
for d in a.dirs:
    out = pathlib.Path(d)
    ours = json.loads((out / "ours.json").read_text())
    cube = next(r for r in ours["per_table"] if r["table"] == CUBE)
    try:
        cmp_ = json.loads((out / "compare.json").read_text())
    except Exception:
        cmp_ = {"per_table": []}
    rule = (out / "rule").read_text().strip()
    n = int(re.search(r"n(\d+)", out.name).group(1))
    tau = {}
    for m in ("MOD", "OPT"):
        c = next((r for r in cmp_["per_table"] if r["table"] == CUBE and r["method"] == m), None)
        try:
            t = json.loads((out / "tau" / f"{CUBE}_{m}" / "result.json").read_text())
        except Exception:
            t = {"ok": False, "error": "not run"}
        tau[m] = (c, t)
    try:
        bound = json.loads((out / "bound.json").read_text())
    except Exception:
        bound = None
    runs.append((n, rule, cube, tau, bound))

L = ["## Statistics: disclosure control\n"]
L.append(
    f"Measured {now} on {os.cpu_count()} cores ({cpu}), {rustc}; pytauargus {a.pytauargus} (tau-ARGUS engine, HiGHS); "
    f"load average {a.load_before} before the run and {load_after} when written (1-minute; the machine is shared with "
    "other builds, so compare ratios within this run only). Command: `bench/statistics/run.sh` (SIZES=\""
    + " ".join(sorted({str(n) for n, *_ in runs}, key=int)) + "\", RULES=\"freq abs\", "
    f"TAU_TIMEOUT={a.tau_timeout}, OPT_LIMIT={a.opt_limit}" + (f", MOD_TIMEOUT={a.mod_timeout}" if a.mod_timeout and a.mod_timeout != a.tau_timeout else "")
    + f", SWAP_RULES=\"{a.swap_rules}\") at commit {a.commit}, one run. The table: citizenship x age x form of exploitation "
    "(`VICT_CITIZEN_AGE_EXPLOIT`, 6,820 cells with margins) from `synth::records(n, 42, \"LV\")` (generation not timed). "
    "Haven: `sdc::suppress` (search and clean-up) timed, then `sdc::audit` of its pattern timed apart; "
    "\"Haven swap\" is `sdc::suppress_swapped` (the same, then the swap pass: the pattern releases use, `sdc::protect`), "
    "timed and audited the same way. "
    f"tau-ARGUS on the table's non-empty inner cells (tau_table.py): MOD = `MOD(1,5,1,1,1)`, OPT = `OPT(1,{a.opt_limit})`; "
    "its time is the engine's `run_batch` (reading the table, primary and secondary suppression), without pytauargus's "
    "own audit (not run); every tau pattern is audited instead by Haven's LP audit (`haven-stats-bench sdc compare`), whose "
    "time is in the audit column. A tau run still going after TAU_TIMEOUT seconds is ended and reported as such.\n")
L.append("Rules, the same for both tools: a cell is primary when 0 < n < 5.\n")
L.append("- **freq**, the bench rule `FREQ(5,10)`: protection max(1, 10 % of n) = 1 person each way "
         "(Haven `ProtectionLevel::PercentOfValue(10)`).")
L.append("- **abs**, the application's default (threshold 5, `ProtectionLevel::Absolute(5)`): the interval must reach "
         "max(0, n - 5) and n + 5. tau-ARGUS has no rule for a fixed number of persons, so it is given `FREQ(5,10)` for the "
         "primary cells and then, for each of them (inner and marginal), lower protection level min(n, 5) and upper 5 through an "
         "apriori file (`PL` lines, `<APRIORI>` after `<READTABLE>`), which is the same requirement.\n")
L.append("| records | rule | tool | primary | secondary (empty) | suppression s | audit s | Haven LP audit of the pattern | integer attacker (Haven audit) |")
L.append("|---|---|---|---|---|---|---|---|---|")
goals = []
for n, rule, cube, tau, bound in runs:
    s = cube["summary"]
    L.append(f"| {n:,} | {rule} | Haven | {s['primary']} | {s['secondary']} ({s['secondary_zero_cells']}) | "
             f"{cube['suppress_seconds_median']:.2f} | {cube['audit_seconds_median']:.2f} | {audit(s)} | {integer(s)} |")
    sw = cube.get("swap")
    if sw:
        ss = sw["summary"]
        L.append(f"| {n:,} | {rule} | Haven swap | {ss['primary']} | {ss['secondary']} ({ss['secondary_zero_cells']}) | "
                 f"{sw['suppress_seconds']:.2f} | {sw['audit_seconds']:.2f} | {audit(ss)} | {integer(ss)} |")
    opt_sec = opt_t = None
    for m in ("MOD", "OPT"):
        c, t = tau[m]
        if not t.get("ok") or c is None or "summary" not in c:
            L.append(f"| {n:,} | {rule} | tau {m} | no result: {t.get('error', '?')} (process {t.get('process_wall_s', '?')} s) | | | | | |")
            continue
        cs = c["summary"]
        L.append(f"| {n:,} | {rule} | tau {m} | {cs['primary']} | {cs['secondary']} ({cs['secondary_zero_cells']}) | "
                 f"{t.get('t_engine_s', 0):.2f} | {c.get('our_audit_seconds', 0):.2f} | {audit(cs)} | {integer(cs)} |")
        if m == "OPT":
            opt_sec, opt_t = cs["secondary"], t.get("t_engine_s")
    if bound is not None:
        L.append(f"| {n:,} | {rule} | lower bound | | >= {int(bound['bound'])} | {bound['seconds']:.2f} | | "
                 "LP relaxation, relation by relation | |")
        lb = int(bound["bound"])
        variants = [("Haven", s)] + ([("Haven swap", sw["summary"])] if sw else [])
        if opt_sec is not None:
            variants.append(("tau OPT", {"secondary": opt_sec}))
        goals.append(f"- {n:,} records, {rule}: no pattern can have fewer than {lb} secondary cells (`sdc bound`); "
                     + ", ".join(f"{name} {vs['secondary']} = {vs['secondary'] / max(lb, 1):.2f} x that bound"
                                 for name, vs in variants) + ".")
    if opt_sec is not None:
        variants = [("Haven", s, cube["suppress_seconds_median"])]
        if sw:
            variants.append(("Haven swap", sw["summary"], sw["suppress_seconds"]))
        for name, vs, vt in variants:
            lean = vs["secondary"] <= 1.1 * opt_sec
            fast = opt_t and vt <= 0.5 * opt_t
            goals.append(
                f"- {n:,} records, {rule}: secondary cells {name} {vs['secondary']} / tau OPT {opt_sec} = "
                f"{vs['secondary'] / max(opt_sec, 1):.2f} (goal <= 1.1: {'met' if lean else 'NOT met'}); suppression time "
                f"{name} {vt:.2f} s / tau OPT engine {opt_t:.2f} s = "
                f"{vt / opt_t:.2f} (goal <= 0.5: {'met' if fast else 'NOT met'}).")
    else:
        goals.append(f"- {n:,} records, {rule}: tau OPT gave no pattern in this run, so neither goal is measured.")
L.append("")
L.append("### Against the goals of issue 14\n")
L.extend(goals)
L.append("")
section = "\n".join(L) + "\n"
bm = pathlib.Path(a.benchmarks)
text = bm.read_text() if bm.exists() else "# Benchmarks\n"
pat = re.compile(r"^## Statistics: disclosure control\n.*?(?=^## |\Z)", re.S | re.M)
if pat.search(text):
    text = pat.sub(lambda _: section + "\n", text)
else:
    text = text.rstrip("\n") + "\n\n" + section
bm.write_text(text)
