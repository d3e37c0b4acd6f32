//! `dp`: a differentially private release of the national tables from synthetic records, timed
//! (build and release, generation not timed), with its accuracy against the true counts; and
//! the counts of every noisy query written for OpenDP to noise the same counts in the same run
//! (`bench/statistics/dp_opendp.py`, driven by `bench/statistics/run_dp.sh`).

use clap::Args as ClapArgs;
use haven_stats::dp::{self, Delta, DpParams, Epsilon};
use haven_stats::model::{CellKey, Table};
use haven_stats::national::{build, citizens_of, national_tables};
use haven_stats::synth;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(long, default_value_t = 1_000_000)]
    records: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value = "LV")]
    country: String,
    /// Total ε of each release (comma-separated).
    #[arg(long, default_value = "0.1,1,10")]
    eps: String,
    /// δ of the discrete Gaussian releases (one per ε); 0 for none.
    #[arg(long, default_value = "1e-6")]
    delta: String,
    #[arg(long, default_value_t = 3)]
    reps: usize,
    /// Where to write `counts.json` (the queries' true counts, for OpenDP) and `ours.json`.
    #[arg(long)]
    out: PathBuf,
}

type R<T> = Result<T, String>;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Mean absolute error of the inner cells of every table (each table's inner cells counted in
/// it, as published) and the largest absolute error.
fn inner_errors(truth: &[Table], released: &[Table]) -> (f64, u64, usize) {
    let (mut sum, mut n, mut max) = (0u64, 0usize, 0u64);
    for (t, d) in truth.iter().zip(released) {
        for i in (0..t.values.len()).filter(|i| t.spec.is_inner(*i)) {
            let e = t.values[i].abs_diff(d.values[i]);
            sum += e;
            max = max.max(e);
            n += 1;
        }
    }
    (sum as f64 / n.max(1) as f64, max, n)
}

pub fn run(a: Args) -> R<()> {
    std::fs::create_dir_all(&a.out).map_err(|e| e.to_string())?;
    let records = synth::records(a.records, a.seed, &a.country);
    let epsilons: Vec<Epsilon> =
        a.eps.split(',').map(|e| Epsilon::parse(e).map_err(|e| e.to_string())).collect::<R<_>>()?;
    let delta = Delta::parse(&a.delta).map_err(|e| e.to_string())?;

    // the true tables, and the true counts of every noisy query (for OpenDP)
    let specs = national_tables(&citizens_of(&records), false);
    let truth = build(&specs, &records, &[]);
    let queries = dp::queries(&specs).map_err(|e| e.to_string())?;
    let mut by_key: HashMap<CellKey, u64> = HashMap::new();
    for t in &truth {
        for (i, v) in t.values.iter().enumerate() {
            by_key.entry(t.spec.key(i)).or_insert(*v);
        }
    }
    let inner_keys: std::collections::HashSet<CellKey> =
        truth.iter().flat_map(|t| (0..t.values.len()).filter(|i| t.spec.is_inner(*i)).map(|i| t.spec.key(i))).collect();
    let query_json: Vec<Value> = queries
        .iter()
        .map(|q| {
            json!({
                "counts": q.iter().map(|k| by_key.get(k).copied().unwrap_or(0)).collect::<Vec<_>>(),
                "inner": q.iter().map(|k| inner_keys.contains(k)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let table_json: Vec<Value> = truth
        .iter()
        .map(|t| {
            json!({
                "id": t.spec.id,
                "inner_counts": (0..t.values.len()).filter(|i| t.spec.is_inner(*i)).map(|i| t.values[i]).collect::<Vec<_>>(),
            })
        })
        .collect();
    let counts = json!({
        "records": a.records,
        "epsilons": epsilons.iter().map(|e| e.to_f64()).collect::<Vec<_>>(),
        "queries": query_json,
        "tables": table_json,
    });
    std::fs::write(a.out.join("counts.json"), counts.to_string()).map_err(|e| e.to_string())?;

    let mut runs = Vec::new();
    let mut params_list: Vec<DpParams> = epsilons.iter().map(|e| DpParams::laplace(*e)).collect();
    if delta != Delta::ZERO {
        params_list.extend(epsilons.iter().map(|e| DpParams::gaussian(*e, delta)));
    }
    for params in params_list {
        let (mut t_total, mut t_release, mut maes, mut maxes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut last = None;
        for _ in 0..a.reps.max(1) {
            let start = Instant::now();
            let specs = national_tables(&citizens_of(&records), false);
            let tables = build(&specs, &records, &[]);
            let built = Instant::now();
            let rel = dp::release_with_os_rng(&tables, &params).map_err(|e| e.to_string())?;
            let done = Instant::now();
            t_total.push((done - start).as_secs_f64());
            t_release.push((done - built).as_secs_f64());
            let (mae, max, _) = inner_errors(&tables, &rel.tables);
            maes.push(mae);
            maxes.push(max as f64);
            last = Some(rel);
        }
        let Some(rel) = last else { continue };
        let (_, _, n_inner) = inner_errors(&truth, &rel.tables);
        let rec = json!({
            "mechanism": format!("{:?}", params.mechanism),
            "epsilon": params.epsilon.to_f64(),
            "delta": params.delta.to_f64(),
            "queries": rel.queries,
            "noise_sd_per_query": rel.noise.std_dev(),
            "inner_cells": n_inner,
            "mae_inner_mean_of_reps": maes.iter().sum::<f64>() / maes.len() as f64,
            "max_abs_err_inner": maxes.iter().copied().fold(0.0, f64::max),
            "t_build_release_median_s": median(&mut t_total),
            "t_release_median_s": median(&mut t_release),
            "t_build_release_all_s": t_total,
            "reps": a.reps.max(1),
        });
        println!("RESULT {rec}");
        runs.push(rec);
    }
    let ours = json!({
        "records": a.records,
        "seed": a.seed,
        "country": a.country,
        "tables": truth.len(),
        "cells": truth.iter().map(|t| t.values.len()).sum::<usize>(),
        "distinct_cells": by_key.len(),
        "queries": queries.len(),
        "runs": runs,
    });
    std::fs::write(a.out.join("ours.json"), ours.to_string()).map_err(|e| e.to_string())?;
    Ok(())
}
