"""Splink (DuckDB) dedupe_only on synthetic data from gen_synth.py; pairwise P/R/F1 vs entity_id.
usage: python splink_synth.py data/synth_1m.parquet"""
import sys, time, os, resource
import duckdb, splink
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl
PATH = sys.argv[1]; T = {}
settings = SettingsCreator(
    link_type="dedupe_only",
    blocking_rules_to_generate_predictions=[
        block_on("first_name", "surname"), block_on("surname", "dob"),
        block_on("first_name", "dob"), block_on("postcode", "dob")],
    comparisons=[
        cl.JaroWinklerAtThresholds("first_name", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.LevenshteinAtThresholds("postcode", [1, 2]),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
    ], retain_intermediate_calculation_columns=False, retain_matching_columns=False)
t = time.perf_counter()
db_api = DuckDBAPI()
sdf = db_api.register(db_api.duckdb_con.sql(f"select unique_id, first_name, surname, dob, postcode, city from '{PATH}'"))
linker = Linker(sdf, settings)
T["register"] = time.perf_counter() - t
t = time.perf_counter()
linker.training.estimate_probability_two_random_records_match([block_on("first_name", "surname", "dob")], recall=0.7)
T["est_lambda"] = time.perf_counter() - t
t = time.perf_counter(); linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1); T["est_u(1e7)"] = time.perf_counter() - t
t = time.perf_counter()
linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"), estimate_without_term_frequencies=True)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"), estimate_without_term_frequencies=True)
T["em"] = time.perf_counter() - t
t = time.perf_counter(); pred = linker.inference.predict(threshold_match_probability=0.01); T["predict"] = time.perf_counter() - t
t = time.perf_counter(); clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.9); T["cluster@0.9"] = time.perf_counter() - t
T["total"] = sum(T.values())
con = db_api.duckdb_con
con.execute(f"create table p as select unique_id_l, unique_id_r, match_probability from {pred.physical_name}")
con.execute(f"create table truth as select unique_id, entity_id from '{PATH}'")
con.execute("create table pe as select p.match_probability, tl.entity_id = tr.entity_id as is_match from p join truth tl on p.unique_id_l = tl.unique_id join truth tr on p.unique_id_r = tr.unique_id")
N_TRUE = con.execute("select sum(n*(n-1)/2)::bigint from (select count(*) n from truth group by entity_id)").fetchall()[0][0]
NREC = con.execute("select count(*) from truth").fetchall()[0][0]
print(f"splink {splink.__version__} duckdb {duckdb.__version__} cpus={os.cpu_count()} records={NREC} true_pairs={N_TRUE}")
print("timings_s", {k: round(v, 2) for k, v in T.items()})
print("peak RSS MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print("pairs scored >=0.01:", con.execute("select count(*) from pe").fetchall()[0][0])
res = {}
best = (0, None)
for thr in [0.01, 0.1, 0.5, 0.9, 0.99, 0.999]:
    tp, n = con.execute(f"select coalesce(sum(is_match::int),0), count(*) from pe where match_probability >= {thr}").fetchall()[0]
    p = tp / max(1, n); r = tp / N_TRUE; f1 = 2 * p * r / max(1e-12, p + r)
    print(f"pairwise thr={thr:<6} TP={tp} FP={n-tp} FN={N_TRUE-tp} P={p:.4f} R={r:.4f} F1={f1:.4f}"); best = max(best, (f1, thr)); res[thr] = f1
print("best pairwise F1 %.4f at thr %s" % best)
con.execute(f"create table ct as select c.unique_id, c.cluster_id, t.entity_id from {clusters.physical_name} c join truth t using (unique_id)")
pp = con.execute("select sum(n*(n-1)/2)::bigint from (select count(*) n from ct group by cluster_id)").fetchall()[0][0]
tp = con.execute("select sum(n*(n-1)/2)::bigint from (select count(*) n from ct group by cluster_id, entity_id)").fetchall()[0][0]
p, r = tp / pp, tp / N_TRUE
nc = con.execute("select count(distinct cluster_id) from ct").fetchall()[0][0]
ne = con.execute("select count(distinct entity_id) from truth").fetchall()[0][0]
print(f"cluster@0.9: implied-pair P={p:.4f} R={r:.4f} F1={2*p*r/(p+r):.4f}; clusters={nc} vs true entities={ne} (overcount {100*(nc-ne)/ne:.2f}%)")
import json
print("RESULT " + json.dumps({"tool": "splink", "total_s": T["total"], "timings_s": T, "best_f1": best[0], "best_threshold": best[1],
    "f1_at_0.9": res.get(0.9), "cluster_f1": 2*p*r/(p+r), "clusters": nc, "true_persons": ne, "person_count_error": (nc-ne)/ne,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
