#!/usr/bin/env python3
"""tau-ARGUS (pytauargus 0.6.0, HiGHS) on one pre-aggregated table exported by
`haven-stats-bench sdc run`: primary FREQ(n, r) and secondary suppression (MOD or OPT), then
the engine's own audit. Adapted from the `table` route of tau_run.py (kept beside it as the
peers' reference script).

  tau_table.py --input out/tables/T.csv --ndims 2 --rule 'FREQ(5,10)' \
      --suppress 'MOD(1,5,1,1,1)' --workdir out/tau/T_MOD [--absolute 5] [--no-audit]

With --absolute p, every primary cell (0 < n < 5, inner or marginal) gets the protection
levels of Haven's ProtectionLevel::Absolute(p) through an apriori file (`PL` lines: lower
min(n, p), upper p), applied after the FREQ rule has marked it; tau-ARGUS has no rule that
gives a fixed number of persons (FREQ(n, r) gives r % of the value, at least 1).

Input: one line per non-empty inner cell, `code;code;...;count`. Writes <workdir>/result.csv
(columns d0..dk, n, status: S safe, U primary, M secondary, E empty) and <workdir>/result.json
(timings, counts, audit).
"""
import argparse
import json
import pathlib
import sys
import time
import traceback

from pytauargus.engine import run_batch
from pytauargus.result import TableResult


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--ndims", type=int, required=True)
    ap.add_argument("--rule", default="FREQ(5,10)")
    ap.add_argument("--suppress", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--absolute", type=int, default=None)
    ap.add_argument("--min-freq", type=int, default=5)
    ap.add_argument("--no-audit", action="store_true")
    a = ap.parse_args()
    dims = [f"d{k}" for k in range(a.ndims)]
    wd = pathlib.Path(a.workdir).resolve()
    wd.mkdir(parents=True, exist_ok=True)
    rec = {"input": a.input, "rule": a.rule, "suppress": a.suppress}
    t0 = time.perf_counter()
    tabin, rda, arb, tab = (str(wd / "input.tab"), str(wd / "input.rda"), str(wd / "batch.arb"),
                            str(wd / "tab1.tab"))
    lines_in = [l for l in open(a.input).read().splitlines() if l.strip()]
    # val;freq: the count is both the response and the frequency (a frequency table)
    open(tabin, "w").write("".join(f"{l};{l.rsplit(';', 1)[1]}\n" for l in lines_in))
    rec["n_inner_cells_nonzero"] = len(lines_in)
    lines = ['<SEPARATOR> ";"']
    for c in dims:
        lines += [f'{c} "" ""', "  <RECODEABLE>", '  <TOTCODE> "Total"']
    lines += ['val "" ""', "  <NUMERIC>", 'freq "" ""', "  <FREQUENCY>"]
    open(rda, "w").write("\n".join(lines) + "\n")
    expl = "".join(f'"{c}"' for c in dims)
    apriori = []
    if a.absolute is not None:
        # every cell of the table with its margins: a code or "Total" per dimension
        counts = {}
        for l in lines_in:
            *codes, n = l.split(";")
            n = int(n)
            for mask in range(1 << a.ndims):
                key = tuple("Total" if mask >> k & 1 else codes[k] for k in range(a.ndims))
                counts[key] = counts.get(key, 0) + n
        hst = str(wd / "protection.hst")
        pl = [f"{';'.join(k)};PL;{min(n, a.absolute)};{a.absolute}"
              for k, n in sorted(counts.items()) if 0 < n < a.min_freq]
        # pytauargus 0.6.0 counts the code fields of the first line as those before one
        # numeric tail, which a PL line (two numbers) miscounts: the first line is a cost change
        # of a cell that does not exist (skipped, errors ignored)
        first = ";".join(["-"] * a.ndims) + ";C;1"
        open(hst, "w").write("\n".join([first] + pl) + "\n")
        rec["apriori_protection_levels"] = len(pl)
        if pl:
            apriori = [f'<APRIORI> "{hst}",1,";",1,0']
    open(arb, "w").write("\n".join([
        f'<OPENTABLEDATA> "{tabin}"', f'<OPENMETADATA> "{rda}"',
        f'<SPECIFYTABLE> {expl}|"val"||', f"<SAFETYRULE> {a.rule}",
        "<READTABLE> 1", *apriori, f"<SUPPRESS> {a.suppress}",
        f'<WRITETABLE> (1,5,SO+,"{tab}")', ""]))
    t1 = time.perf_counter()
    try:
        eng = run_batch(arb)
        t2 = time.perf_counter()
        rec["t_engine_s"] = round(t2 - t1, 4)
        if not a.no_audit:
            rows = eng.audit(0)
            t3 = time.perf_counter()
            rec["t_audit_s"] = round(t3 - t2, 4)
            rec["audit_cells"] = len(rows)
            rec["audit_unsafe"] = int(sum(bool(r["unsafe"]) for r in rows))
            rec["audit_exact_disclosed"] = int(sum(abs(r["max"] - r["min"]) < 1e-9 for r in rows))
        res = TableResult(path=tab, exp_vars=dims, response="n", is_freq=False)
        d = res.dataframe()
        d.to_csv(wd / "result.csv", index=False)
        st = d["status"].value_counts().to_dict()
        rec["status_counts"] = {k: int(v) for k, v in st.items()}
        rec["primary"] = int(st.get("U", 0))
        rec["secondary"] = int(st.get("M", 0))
        rec["ok"] = True
    except Exception as e:
        rec["ok"] = False
        rec["error"] = f"{type(e).__name__}: {e}"
        traceback.print_exc(file=sys.stderr)
    rec["t_total_s"] = round(time.perf_counter() - t0, 4)
    (wd / "result.json").write_text(json.dumps(rec))
    print("RESULT " + json.dumps(rec))


if __name__ == "__main__":
    main()
