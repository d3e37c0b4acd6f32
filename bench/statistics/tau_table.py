#!/usr/bin/env python3
"""tau-ARGUS (pytauargus 0.6.0, HiGHS) on one pre-aggregated table exported by
`haven-stats-bench sdc run`: primary FREQ(n, r) and secondary suppression (MOD or OPT), then
the engine's own audit. Adapted from the `table` route of tau_run.py (kept beside it as the
peers' reference script).

  tau_table.py --input out/tables/T.csv --ndims 2 --rule 'FREQ(5,10)' \
      --suppress 'MOD(1,5,1,1,1)' --workdir out/tau/T_MOD

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
    open(arb, "w").write("\n".join([
        f'<OPENTABLEDATA> "{tabin}"', f'<OPENMETADATA> "{rda}"',
        f'<SPECIFYTABLE> {expl}|"val"||', f"<SAFETYRULE> {a.rule}",
        "<READTABLE> 1", f"<SUPPRESS> {a.suppress}",
        f'<WRITETABLE> (1,5,SO+,"{tab}")', ""]))
    t1 = time.perf_counter()
    try:
        eng = run_batch(arb)
        t2 = time.perf_counter()
        rec["t_engine_s"] = round(t2 - t1, 4)
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
