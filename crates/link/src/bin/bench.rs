//! Benchmark driver for bench/linkage/run.sh: runs Haven's engine on a dataset with ground truth
//! and prints one JSON object with timings, peak memory and accuracy.
//!
//! usage:
//!   haven-link-bench fs SETTINGS.toml LABEL_COLUMN INPUT [INPUT...]
//!   haven-link-bench clk SCHEMA.toml LABEL_COLUMN LEFT RIGHT
//!   haven-link-bench dice N      (raw single-thread Dice throughput on 1024-bit filters)
//!   haven-link-bench review SETTINGS.toml LABEL_COLUMN INPUT [INPUT...]
//!       (active learning: a simulated reviewer answers from the labels, 10, 20, 30, 50 pairs)

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, bail};
use haven_link::clk::{ClkEncoder, ClkSchema, Encodings, candidate_pairs, greedy_one_to_one};
use haven_link::cluster::{Link, cluster};
use haven_link::data::{BadValues, Dataset, RawRecords};
use haven_link::eval;
use haven_link::io::{ReadOptions, read_file, read_file_raw};
use haven_link::linker::Linker;
use haven_link::model::LinkageModel;
use rayon::prelude::*;
use serde_json::json;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time of the calling thread (from /proc/thread-self/schedstat, nanoseconds), so that a
/// throughput per core can be told apart from waiting for a shared CPU.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

/// CPU time of the whole process (all threads, user and system), from /proc/self/stat in clock
/// ticks of 1/100 s.
fn process_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // the fields after the command name (which is in parentheses and may hold spaces)
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

/// Wall-clock and CPU time of the steps of a run.
#[derive(Default)]
struct Steps {
    wall: BTreeMap<&'static str, f64>,
    cpu: BTreeMap<&'static str, f64>,
    at: Option<(Instant, f64)>,
}

impl Steps {
    fn start(&mut self) {
        self.at = Some((Instant::now(), process_cpu_seconds()));
    }

    fn done(&mut self, step: &'static str) {
        if let Some((t, c)) = self.at {
            self.wall.insert(step, t.elapsed().as_secs_f64());
            self.cpu.insert(step, process_cpu_seconds() - c);
        }
        self.start();
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("fs") if args.len() >= 5 => fellegi_sunter(&args[2], &args[3], &args[4..]),
        Some("clk") if args.len() == 6 => clk(&args[2], &args[3], &args[4], &args[5]),
        Some("dice") if args.len() == 3 => dice(args[2].parse().context("N")?),
        Some("review") if args.len() >= 5 => review(&args[2], &args[3], &args[4..]),
        _ => bail!(
            "usage: haven-link-bench fs SETTINGS LABEL INPUT.. | clk SCHEMA LABEL LEFT RIGHT | dice N | review SETTINGS LABEL INPUT.."
        ),
    }
}

fn fellegi_sunter(settings: &str, label: &str, inputs: &[String]) -> anyhow::Result<()> {
    let mut t = Steps::default();
    let t0 = Instant::now();
    let cpu0 = process_cpu_seconds();
    t.start();
    let text = std::fs::read_to_string(settings)?;
    let model = LinkageModel::from_toml(&text)?;
    let mut raw = RawRecords::new(model.settings.fields.len());
    for (i, p) in inputs.iter().enumerate() {
        let mut o = ReadOptions::new(&model.settings, p, i as u16, &BTreeMap::new());
        o.label_column = Some(label.to_string());
        raw.append(read_file_raw(p, &o)?.0);
    }
    t.done("read");
    let data = Dataset::prepare_raw(&model.settings, raw, BadValues::TreatAsMissing)?;
    t.done("prepare");
    let link_type = model.settings.link_type;
    let mut linker = Linker::new(model, data)?;
    t.done("blocking keys");
    let candidates = linker.candidates()?;
    t.done("block+compare");
    let summary = linker.train(&candidates)?;
    t.done("train");
    let scored = linker.score(&candidates)?;
    t.done("score");
    let n_cand = candidates.len();
    drop(candidates);
    let cs = linker.model.settings.cluster.clone();
    let links: Vec<Link> = scored
        .par_iter()
        .map(|p| Link { a: p.a, b: p.b, probability: p.probability() })
        .filter(|l| l.probability >= cs.threshold || l.probability < cs.conflict_below)
        .collect();
    let clusters = cluster(linker.data.len(), &links, &cs);
    t.done("cluster");
    let total = t0.elapsed().as_secs_f64();
    let total_cpu = process_cpu_seconds() - cpu0;
    let peak = peak_rss_mb();
    let pairs: Vec<(u32, u32, f64)> = scored.iter().map(|p| (p.a, p.b, p.probability())).collect();
    let thresholds = [0.01, 0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999];
    let acc = eval::pairwise(&linker.data, link_type, &pairs, &thresholds);
    let best = acc.iter().copied().max_by(|a, b| a.f1.total_cmp(&b.f1));
    let at_threshold = eval::pairwise(&linker.data, link_type, &pairs, &[cs.threshold]);
    let ca = eval::clusters(&linker.data, link_type, &clusters);
    let reachable = eval::pairwise(&linker.data, link_type, &pairs, &[0.0]);
    let recall_est = linker.blocking_recall(&scored, cs.threshold);
    println!(
        "{}",
        json!({
            "records": linker.data.len(),
            "candidate_pairs": n_cand,
            "true_pairs": eval::true_pair_count(&linker.data, link_type),
            "true_pairs_reachable": reachable.first().map(|a| a.true_positives),
            "estimated_blocking_recall": recall_est.estimated_recall,
            "estimated_blocking_recall_independent": recall_est.independent_recall,
            "expected_matches_found": recall_est.estimate.expected_found,
            "expected_matches_missed": recall_est.estimate.expected_missed,
            "blocking_recall_not_estimated": recall_est.estimate.not_estimated,
            "distinct_patterns": summary.distinct_patterns,
            "timings_s": t.wall,
            "total_s": total,
            "cpu_timings_s": t.cpu,
            "total_cpu_s": total_cpu,
            "peak_rss_mb": peak,
            "threads": rayon::current_num_threads(),
            "accuracy": acc,
            "best": best,
            "at_cluster_threshold": at_threshold.first(),
            "clusters": ca,
            "model_warnings": summary.warnings.iter().map(|w| w.message()).collect::<Vec<_>>(),
        })
    );
    Ok(())
}

fn clk(schema: &str, label: &str, left: &str, right: &str) -> anyhow::Result<()> {
    let schema = ClkSchema::from_toml(&std::fs::read_to_string(schema)?)?;
    let secret = b"a-shared-secret-between-countries";
    let t0 = Instant::now();
    let mut sides = Vec::new();
    let mut truth = Vec::new();
    for (i, p) in [left, right].iter().enumerate() {
        let mut o = schema.read_options(p, i as u16);
        o.label_column = Some(label.to_string());
        let (r, _) = read_file(p, &o)?;
        truth.push(r.iter().map(|x| x.truth.clone()).collect::<Vec<_>>());
        sides.push(r);
    }
    let read = t0.elapsed().as_secs_f64();
    let enc = ClkEncoder::new(schema, secret)?;
    let s = Instant::now();
    let a = enc.encode_all(&sides[0]);
    let b = enc.encode_all(&sides[1]);
    let encode = s.elapsed().as_secs_f64();
    let n_records = a.len() + b.len();
    let true_pairs = {
        let mut m: BTreeMap<&str, u64> = BTreeMap::new();
        for t in truth[0].iter().flatten() {
            *m.entry(t).or_default() += 1;
        }
        truth[1].iter().flatten().map(|t| m.get(t.as_str()).copied().unwrap_or(0)).sum::<u64>()
    };
    let mut rows = Vec::new();
    for thr in [0.9, 0.85, 0.8, 0.75, 0.7] {
        let s = Instant::now();
        let (cands, cmp) = candidate_pairs(&a, &b, thr, true);
        let compare = s.elapsed().as_secs_f64();
        let n_cand = cands.len();
        let s = Instant::now();
        let matches = greedy_one_to_one(cands);
        let solve = s.elapsed().as_secs_f64();
        let tp = matches
            .iter()
            .filter(
                |m| matches!((&truth[0][m.left as usize], &truth[1][m.right as usize]), (Some(x), Some(y)) if x == y),
            )
            .count() as u64;
        let acc = eval::Accuracy::from_counts(thr, tp, matches.len() as u64, true_pairs);
        rows.push(json!({"threshold": thr, "compare_s": compare, "comparisons_after_pruning": cmp, "solve_s": solve,
            "candidates": n_cand, "accuracy": acc}));
    }
    println!(
        "{}",
        json!({"records": n_records, "read_s": read, "encode_s": encode, "encode_records_per_s": n_records as f64 / encode,
            "bits": a.words * 64, "threads": rayon::current_num_threads(), "rows": rows, "peak_rss_mb": peak_rss_mb()})
    );
    Ok(())
}

/// Raw single-thread Dice kernel: every pair of two sets of N random-density 1024-bit filters,
/// no pruning.
fn dice(n: usize) -> anyhow::Result<()> {
    let mut rng = haven_link::train::SplitMix64(1);
    let mut make = || {
        let mut e = Encodings::new(16);
        for i in 0..n {
            // about 70% of bits set, as in real CLKs of FEBRL
            let w: Vec<u64> = (0..16).map(|_| rng.next_u64() | rng.next_u64()).collect();
            e.push(i.to_string(), &w);
        }
        e
    };
    let (a, b) = (make(), make());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut found = 0;
    for _ in 0..3 {
        let (secs, cpu, c, cmp) = pool.install(|| {
            let cpu0 = thread_cpu_seconds();
            let s = Instant::now();
            let (c, cmp) = candidate_pairs(&a, &b, 0.85, false);
            (s.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu0, c, cmp)
        });
        best = best.min(secs);
        best_cpu = best_cpu.min(cpu);
        found = c.len();
        if cmp as usize != n * n {
            bail!("expected {} comparisons, made {cmp}", n * n);
        }
    }
    let per_s = (n * n) as f64 / best;
    let per_cpu_s = (n * n) as f64 / best_cpu;
    println!(
        "{}",
        json!({"n": n, "comparisons": n * n, "best_of_3_s": best, "best_of_3_cpu_s": best_cpu,
            "comparisons_per_s_one_core": per_s, "comparisons_per_cpu_s": per_cpu_s, "above_0.85": found})
    );
    Ok(())
}

/// Pair precision, recall and F1 at `threshold`, against the label column.
fn pair_accuracy(linker: &Linker, scored: &[haven_link::ScoredPair], threshold: f64) -> eval::Accuracy {
    let pairs: Vec<(u32, u32, f64)> = scored.iter().map(|p| (p.a, p.b, p.probability())).collect();
    let acc = eval::pairwise(&linker.data, linker.model.settings.link_type, &pairs, &[threshold]);
    acc.first().copied().unwrap_or_else(|| eval::Accuracy::from_counts(threshold, 0, 0, 0))
}

/// Cluster F1 with the answers "different" kept apart.
fn cluster_f1(linker: &Linker, scored: &[haven_link::ScoredPair], cannot: &[(u32, u32)]) -> f64 {
    let cs = &linker.model.settings.cluster;
    let links: Vec<Link> = scored
        .iter()
        .map(|p| Link { a: p.a, b: p.b, probability: p.probability() })
        .filter(|l| l.probability >= cs.threshold || l.probability < cs.conflict_below)
        .collect();
    let clusters = haven_link::cluster::cluster_with_cannot_link(linker.data.len(), &links, cs, cannot);
    eval::clusters(&linker.data, linker.model.settings.link_type, &clusters).pairs.f1
}

/// Active learning with a simulated reviewer who answers from the label column: after 10, 20, 30
/// and 50 answers, m is re-trained and the threshold calibrated (from the unsupervised model each
/// time), and the pair F1 at the calibrated threshold is measured; with the unsupervised and the
/// fully labelled F1 for comparison. One JSON object.
fn review(settings: &str, label: &str, inputs: &[String]) -> anyhow::Result<()> {
    use haven_link::review::{Answer, ReviewOptions, next_pairs, retrain};
    let text = std::fs::read_to_string(settings)?;
    let model = LinkageModel::from_toml(&text)?;
    let mut raw = RawRecords::new(model.settings.fields.len());
    for (i, p) in inputs.iter().enumerate() {
        let mut o = ReadOptions::new(&model.settings, p, i as u16, &BTreeMap::new());
        o.label_column = Some(label.to_string());
        raw.append(read_file_raw(p, &o)?.0);
    }
    let data = Dataset::prepare_raw(&model.settings, raw, BadValues::TreatAsMissing)?;
    let mut linker = Linker::new(model, data)?;
    let candidates = linker.candidates()?;
    linker.train_from_labels(&candidates)?;
    let labelled_threshold = linker.model.settings.cluster.threshold;
    let scored = linker.score(&candidates)?;
    let labelled = pair_accuracy(&linker, &scored, labelled_threshold);
    let labelled_clusters = cluster_f1(&linker, &scored, &[]);
    linker.train(&candidates)?;
    let base = linker.model.clone();
    let threshold = base.settings.cluster.threshold;
    let mut scored = linker.score(&candidates)?;
    let unsupervised = pair_accuracy(&linker, &scored, threshold);
    let unsupervised_clusters = cluster_f1(&linker, &scored, &[]);
    // the share of true pairs blocking compares at all: the recall no answer can pass
    let reachable = pair_accuracy(&linker, &scored, 0.0).recall;
    let truth = linker.data.truth.clone();
    let answer = |a: u32, b: u32| match (&truth[a as usize], &truth[b as usize]) {
        (Some(x), Some(y)) if x == y => Answer::Same,
        _ => Answer::Different,
    };
    let mut answers: Vec<(u32, u32, Answer)> = Vec::new();
    let mut steps = Vec::new();
    for target in [10usize, 20, 30, 50] {
        let answered = answers.iter().map(|(a, b, _)| (*a, *b)).collect();
        let opts = ReviewOptions { k: target - answers.len(), ..ReviewOptions::default() };
        for i in next_pairs(&scored, &answered, &opts) {
            let p = scored[i];
            let (a, b) = (p.a.min(p.b), p.a.max(p.b));
            answers.push((a, b, answer(a, b)));
        }
        linker.model = base.clone();
        let r = retrain(&linker, &answers, 20.0)?;
        linker.model = r.model;
        scored = linker.score(&candidates)?;
        let acc = pair_accuracy(&linker, &scored, r.threshold_after);
        let cannot = haven_link::review::cannot_links(&answers);
        steps.push(json!({
            "answers": answers.len(),
            "same": r.same,
            "different": r.different,
            "threshold": r.threshold_after,
            "pair": acc,
            "cluster_f1": cluster_f1(&linker, &scored, &cannot),
        }));
    }
    println!(
        "{}",
        json!({
            "records": linker.data.len(),
            "candidate_pairs": candidates.len(),
            "blocking_recall": reachable,
            "unsupervised": { "threshold": threshold, "pair": unsupervised, "cluster_f1": unsupervised_clusters },
            "labelled": { "threshold": labelled_threshold, "pair": labelled, "cluster_f1": labelled_clusters },
            "steps": steps,
        })
    );
    Ok(())
}
