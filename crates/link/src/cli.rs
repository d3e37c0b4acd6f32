//! `haven link`: train, predict, dedupe, link, blocking analysis, and privacy-preserving
//! encode / match.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::clk::{ClkEncoder, ClkSchema, Encodings, candidate_pairs, greedy_one_to_one};
use crate::cluster::{Link, assign_person_ids, cluster_with_cannot_link};
use crate::data::{BadValues, Dataset, RawRecords};
use crate::io::{
    ReadOptions, parse_delimiter, parse_encoding, parse_mapping, read_file, read_file_raw, read_person_ids, write_csv,
};
use crate::linker::{Linker, ScoredPair};
use crate::model::{LinkType, LinkageModel};
use crate::report::{RunReport, cluster_sizes, near_threshold, render_html, sha256_file};

/// Arguments of `haven link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    #[command(subcommand)]
    pub command: LinkCommand,
}

/// The `haven link` subcommands.
#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Train a model (unsupervised, or from a label column) and save it as TOML.
    Train(TrainArgs),
    /// Score pairs and cluster persons with a trained model.
    Predict(PredictArgs),
    /// Train and predict on one dataset: find the same person inside it.
    Dedupe(RunArgs),
    /// Train and predict across two or more datasets.
    Link(RunArgs),
    /// Count candidate pairs per blocking rule before a run (and, with labels, the matches lost).
    Blocking(BlockingArgs),
    /// Privacy-preserving mode: encode records into Bloom filters (CLK) under a shared secret.
    Encode(EncodeArgs),
    /// Privacy-preserving mode: match two files of encodings by Dice similarity, one to one.
    Match(MatchArgs),
    /// Clerical review: the uncertain pairs to answer next, and a model re-trained from the answers.
    #[command(subcommand)]
    Review(ReviewCommand),
}

/// The `haven link review` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Write the k most informative pairs (match probability nearest 0.5, spread over weights) as
    /// CSV with an empty `answer` column to fill with same, different or unsure.
    Next(ReviewNextArgs),
    /// Add filled-in answers to the labels file, re-train m from all answers, calibrate the
    /// threshold, and save the model.
    Apply(ReviewApplyArgs),
}

#[derive(Debug, Args)]
pub struct ReviewNextArgs {
    /// A trained model (the one re-trained by `review apply`, to ask about what it is unsure of).
    #[arg(long)]
    pub model: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Labels file: pairs already answered are not asked again.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// How many pairs.
    #[arg(short = 'k', long = "count", default_value_t = 10)]
    pub k: usize,
    /// Width of the weight bins the pairs are spread over, in bits of match weight.
    #[arg(long, default_value_t = 1.0)]
    pub bin_width: f64,
    /// Also ask about this many cluster merges the engine is unsure of: links clustering refused,
    /// and pairs below the threshold in one person through others.
    #[arg(long, default_value_t = 0)]
    pub merges: usize,
    /// Where to write the pairs (standard output when not given).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Leave the compared values out (ids, levels and weights stay).
    #[arg(long)]
    pub without_values: bool,
}

#[derive(Debug, Args)]
pub struct ReviewApplyArgs {
    /// The model trained without answers (`haven link train`): answers are blended into its m
    /// each time, so that none is counted twice.
    #[arg(long)]
    pub model: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Labels file (CSV: id_l,source_l,id_r,source_r,answer,who,when), created when missing.
    #[arg(long)]
    pub labels: PathBuf,
    /// A sheet from `review next` with the answer column filled in: its answers are added to the
    /// labels file, stamped with --who and the time.
    #[arg(long)]
    pub answers: Option<PathBuf>,
    /// Who answered (required with --answers).
    #[arg(long)]
    pub who: Option<String>,
    /// How many answered pairs the model's m counts as when blended with the answers.
    #[arg(long, default_value_t = 20.0)]
    pub em_weight: f64,
    /// Where to save the re-trained model.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// Inputs shared by the commands that read records.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files: CSV, JSON Lines (ending in .jsonl) or Parquet; CSV and JSON Lines gzip-compressed or
    /// not. Each file is one source.
    #[arg(long = "input", short, required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    /// Column mapping `field=column[,column]` (several columns are alternatives).
    #[arg(long = "map")]
    pub map: Vec<String>,
    /// Column holding the record identifier (overrides the settings).
    #[arg(long)]
    pub id_column: Option<String>,
    /// Column with the known person (labels or ground truth): used to evaluate, or to train with --labelled.
    #[arg(long)]
    pub label_column: Option<String>,
    /// Skip malformed rows and unreadable values, counting them in the report, instead of stopping.
    #[arg(long)]
    pub skip_bad_rows: bool,
}

/// How the bytes of inputs become rows (overriding `[input]` in the settings).
#[derive(Debug, Args, Default)]
pub struct TextArgs {
    /// CSV field separator: `,` `;` `tab` `|` (default: found in the header line).
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Character encoding of the inputs: utf-8, windows-1257, windows-1251, iso-8859-2, latin1, ...
    /// (default: UTF-8, or guessed for input that is not valid UTF-8).
    #[arg(long)]
    pub encoding: Option<String>,
}

impl TextArgs {
    /// Applies the flags over the options from the settings.
    fn apply(&self, opts: &mut ReadOptions) -> anyhow::Result<()> {
        if let Some(d) = &self.delimiter {
            opts.delimiter = Some(parse_delimiter(d).context("--delimiter")?);
        }
        if let Some(e) = &self.encoding {
            opts.encoding = Some(parse_encoding(e).context("--encoding")?);
        }
        Ok(())
    }
}

/// Tells what reading an input found out (compression, delimiter, a guessed encoding).
fn say_notes(name: &str, notes: &[String]) {
    for n in notes {
        eprintln!("{name}: {n}");
    }
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Settings (or an earlier model) in TOML.
    #[arg(long)]
    pub settings: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Train m from the label column instead of by EM.
    #[arg(long)]
    pub labelled: bool,
    /// Where to save the trained model.
    #[arg(long, short)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct PredictArgs {
    /// A trained model.
    #[arg(long)]
    pub model: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Directory for pairs.csv, clusters.csv, model.toml (with model.tf.json beside it when fields
    /// have term frequencies) and report.html.
    #[arg(long, short)]
    pub out_dir: PathBuf,
    /// `record_id,person_id` from an earlier run: clusters keep those person ids.
    #[arg(long)]
    pub previous_ids: Option<PathBuf>,
    /// Match probability for clustering (overrides the settings).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Leave the compared values (names, dates of birth) out of the report's example pairs: their
    /// ids, levels and weights stay.
    #[arg(long)]
    pub report_without_values: bool,
    /// Labels file from `haven link review`: pairs answered "different" never join one person.
    #[arg(long)]
    pub labels: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Settings in TOML.
    #[arg(long)]
    pub settings: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Train m from the label column instead of by EM.
    #[arg(long)]
    pub labelled: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct BlockingArgs {
    /// Settings in TOML.
    #[arg(long)]
    pub settings: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct EncodeArgs {
    /// Encoding schema in TOML (agreed between the countries).
    #[arg(long)]
    pub schema: PathBuf,
    /// File holding the shared secret (never sent to the other side).
    #[arg(long)]
    pub secret_file: PathBuf,
    /// Records to encode (CSV, JSON Lines or Parquet).
    #[arg(long, short)]
    pub input: PathBuf,
    /// Skip malformed rows instead of stopping.
    #[arg(long)]
    pub skip_bad_rows: bool,
    #[command(flatten)]
    pub text: TextArgs,
    /// Output: `id,clk` CSV with base64 filters.
    #[arg(long, short)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    #[arg(long)]
    pub left: PathBuf,
    #[arg(long)]
    pub right: PathBuf,
    /// Dice similarity threshold.
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f64,
    /// Keep every pair above the threshold instead of a one-to-one assignment.
    #[arg(long)]
    pub all_pairs: bool,
    /// Output CSV: left_id,right_id,dice.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// When and how the command was run, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    /// The date and time of the run, as shown.
    pub date: String,
    /// The command line, as shown.
    pub command: String,
}

impl Invocation {
    /// At `unix_seconds` (read from the clock by the caller), with the arguments of this process.
    pub fn at(unix_seconds: i64) -> Invocation {
        let words: Vec<String> = std::env::args().map(|a| shell_word(&a)).collect();
        Invocation { date: utc_date_time(u64::try_from(unix_seconds).unwrap_or(0)), command: words.join(" ") }
    }
}

/// `YYYY-MM-DD HH:MM UTC` of seconds since 1970-01-01 UTC.
pub fn utc_date_time(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // days to the civil date (H. Hinnant's algorithm), years starting in March
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}

/// An argument as a POSIX shell would need it written: quoted unless plain.
pub fn shell_word(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./=:,@%+-".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// Runs `haven link` with a report that shows this process's arguments but no date (the caller
/// that reads the clock uses [`run_with`] and [`Invocation::at`]).
pub fn run(args: LinkArgs) -> anyhow::Result<()> {
    run_with(args, &Invocation { date: "not given".into(), ..Invocation::at(0) })
}

/// Runs `haven link`, the report showing `invocation`.
pub fn run_with(args: LinkArgs, invocation: &Invocation) -> anyhow::Result<()> {
    match args.command {
        LinkCommand::Train(a) => train(a),
        LinkCommand::Predict(a) => predict(a, invocation),
        LinkCommand::Dedupe(a) => train_and_predict(a, LinkType::Dedupe, invocation),
        LinkCommand::Link(a) => train_and_predict(a, LinkType::Link, invocation),
        LinkCommand::Blocking(a) => blocking(a),
        LinkCommand::Encode(a) => encode(a),
        LinkCommand::Match(a) => match_encodings(a),
        LinkCommand::Review(ReviewCommand::Next(a)) => review_next(a),
        LinkCommand::Review(ReviewCommand::Apply(a)) => review_apply(a, invocation),
    }
}

fn step<T>(report: &mut RunReport, name: &str, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(name.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let t = Instant::now();
    let r = f();
    report.timings.push((name.to_string(), t.elapsed().as_secs_f64()));
    bar.finish_and_clear();
    r
}

fn load_model(path: &Path) -> anyhow::Result<LinkageModel> {
    LinkageModel::load(path).with_context(|| format!("in {}", path.display()))
}

fn read_inputs(model: &mut LinkageModel, input: &InputArgs, report: &mut RunReport) -> anyhow::Result<Dataset> {
    if let Some(c) = &input.id_column {
        model.settings.id_column = c.clone();
    }
    let map = parse_mapping(&input.map)?;
    let mut all = RawRecords::new(model.settings.fields.len());
    for (i, path) in input.inputs.iter().enumerate() {
        let name = path.display().to_string();
        let source = u16::try_from(i).context("too many inputs")?;
        let mut opts = ReadOptions::new(&model.settings, &name, source, &map);
        opts.label_column = input.label_column.clone();
        opts.skip_bad_rows = input.skip_bad_rows;
        input.text.apply(&mut opts)?;
        let (records, stats) = read_file_raw(&name, &opts)?;
        say_notes(&name, &stats.notes);
        report.reading_notes.extend(stats.notes.iter().map(|n| (name.clone(), n.clone())));
        report.inputs.push((name, stats.rows, stats.skipped, stats.skipped_examples));
        all.append(records);
    }
    let policy = if input.skip_bad_rows { BadValues::TreatAsMissing } else { BadValues::Fail };
    let data = Dataset::prepare_raw(&model.settings, all, policy)?;
    report.bad_values = data.bad_values;
    report.records = data.len() as u64;
    Ok(data)
}

fn train(a: TrainArgs) -> anyhow::Result<()> {
    let mut report = RunReport::default();
    let mut model = load_model(&a.settings)?;
    let data = step(&mut report, "read and prepare", || read_inputs(&mut model, &a.input, &mut RunReport::default()))?;
    let mut linker = Linker::new(model, data)?;
    let candidates = step(&mut report, "block and compare", || Ok(linker.candidates()?))?;
    let summary = step(&mut report, "train", || {
        Ok(if a.labelled { linker.train_from_labels(&candidates)? } else { linker.train(&candidates)? })
    })?;
    let tf = linker.model.save(&a.out).with_context(|| format!("writing {}", a.out.display()))?;
    let tf = tf.map(|p| format!(" (term frequencies in {})", p.display())).unwrap_or_default();
    eprintln!(
        "trained on {} records, {} candidate pairs ({}); model saved to {}{tf}",
        linker.data.len(),
        candidates.len(),
        summary.method,
        a.out.display()
    );
    print_model_warnings(&linker.model);
    Ok(())
}

/// Prints the warnings about a model (what its training found, or the checks of a loaded model)
/// to standard error.
fn print_model_warnings(model: &LinkageModel) {
    for w in crate::diagnose::warnings_of(model) {
        eprintln!("warning: {}", w.message());
    }
}

fn predict(a: PredictArgs, invocation: &Invocation) -> anyhow::Result<()> {
    let model = load_model(&a.model)?;
    if model.parameters.is_none() {
        bail!("{} has no parameters: run `haven link train` first", a.model.display());
    }
    run_pipeline(model, &a.input, &a.output, false, false, invocation)
}

fn train_and_predict(a: RunArgs, link_type: LinkType, invocation: &Invocation) -> anyhow::Result<()> {
    let mut model = load_model(&a.settings)?;
    match (link_type, model.settings.link_type) {
        (LinkType::Dedupe, _) => model.settings.link_type = LinkType::Dedupe,
        (_, LinkType::Dedupe) => model.settings.link_type = LinkType::Link,
        _ => {}
    }
    if link_type == LinkType::Link && a.input.inputs.len() < 2 {
        bail!("`haven link link` needs two or more --input files");
    }
    run_pipeline(model, &a.input, &a.output, true, a.labelled, invocation)
}

fn run_pipeline(
    mut model: LinkageModel,
    input: &InputArgs,
    out: &OutputArgs,
    train: bool,
    labelled: bool,
    invocation: &Invocation,
) -> anyhow::Result<()> {
    let mut report = RunReport {
        title: "Haven record linkage run".into(),
        date: invocation.date.clone(),
        command: invocation.command.clone(),
        ..RunReport::default()
    };
    if let Some(t) = out.threshold {
        if !(0.0..=1.0).contains(&t) {
            bail!("--threshold must lie between 0 and 1");
        }
        model.settings.cluster.threshold = t;
    }
    std::fs::create_dir_all(&out.out_dir).with_context(|| format!("creating {}", out.out_dir.display()))?;
    let t0 = Instant::now();
    let mut scratch = RunReport::default();
    let data = step(&mut report, "read and prepare", || read_inputs(&mut model, input, &mut scratch))?;
    report.inputs = scratch.inputs;
    report.reading_notes = scratch.reading_notes;
    report.bad_values = scratch.bad_values;
    report.records = scratch.records;
    let sums = step(&mut report, "checksum inputs", || {
        input.inputs.par_iter().map(|p| Ok((p.display().to_string(), sha256_file(p)?))).collect::<anyhow::Result<_>>()
    })?;
    report.input_checksums = sums;
    let mut linker = Linker::new(model, data)?;
    let counts = step(&mut report, "count candidate pairs", || Ok(linker.count_candidates()))?;
    for (r, rule) in linker.rules.iter().enumerate() {
        report.blocking.push((rule.text.clone(), counts.new_pairs_per_rule[r], counts.largest_block[r]));
    }
    eprintln!("{} candidate pairs to compare", counts.total);
    let candidates = step(&mut report, "block and compare", || Ok(linker.candidates()?))?;
    report.candidate_pairs = candidates.len() as u64;
    if train {
        let summary = step(&mut report, "train", || {
            Ok(if labelled { linker.train_from_labels(&candidates)? } else { linker.train(&candidates)? })
        })?;
        report.training.push(format!(
            "{} distinct comparison patterns; u from {} random pairs.",
            summary.distinct_patterns, summary.u_pairs
        ));
        for (rule, it, share) in &summary.sessions {
            report.training.push(format!("EM on pairs of rule `{rule}`: {it} iterations, match share {share:.4}."));
        }
        if !summary.fields_not_estimated.is_empty() {
            report.training.push(format!(
                "m not estimated (every rule uses the field), the prior's mean kept for: {}",
                summary.fields_not_estimated.join(", ")
            ));
        }
    }
    print_model_warnings(&linker.model);
    let scored = step(&mut report, "score", || Ok(linker.score(&candidates)?))?;
    drop(candidates);
    let settings = linker.model.settings.clone();
    let threshold = settings.cluster.threshold;
    let recall = linker.blocking_recall(&scored, threshold);
    report.estimated_blocking_recall = recall.estimated_recall;
    report.estimated_missed_matches = recall.estimate.expected_missed;
    report.blocking_recall_not_estimated = recall.estimate.not_estimated.clone();
    // links above the threshold join clusters; pairs scored clearly different guard against chains
    let links: Vec<Link> = scored
        .par_iter()
        .map(|p| Link { a: p.a, b: p.b, probability: p.probability() })
        .filter(|l| l.probability >= threshold || l.probability < settings.cluster.conflict_below)
        .collect();
    let cannot = match &out.labels {
        Some(path) => {
            let resolved = crate::review::resolve(&linker.data, &read_labels_file(path)?);
            say_unresolved(&resolved);
            resolved.cannot_links()
        }
        None => Vec::new(),
    };
    if !cannot.is_empty() {
        eprintln!("{} pairs answered different are kept apart", cannot.len());
    }
    let clusters = step(&mut report, "cluster", || {
        Ok(cluster_with_cannot_link(linker.data.len(), &links, &settings.cluster, &cannot))
    })?;
    let previous = match &out.previous_ids {
        Some(p) => {
            let f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
            read_person_ids(f, &p.display().to_string())?
        }
        None => BTreeMap::new(),
    };
    let person_ids = assign_person_ids(&linker.data.ids, &clusters, &previous);
    report.cluster_sizes = cluster_sizes(&person_ids, 10);
    report.near_threshold = near_threshold(&linker, &scored, threshold, 10, !out.report_without_values)?;
    step(&mut report, "write", || write_outputs(&linker, &scored, &person_ids, &out.out_dir))?;
    report.weights = scored.iter().map(|p| p.weight).collect();
    report.pairs_written = scored.iter().filter(|p| p.probability() >= settings.min_probability).count() as u64;
    report.match_threshold = threshold;
    report.matches = scored.iter().filter(|p| p.probability() >= threshold).count() as u64;
    report.clusters = u64::from(clusters.iter().copied().max().map_or(0, |m| m + 1));
    if linker.data.truth.iter().any(Option::is_some) {
        let pairs: Vec<(u32, u32, f64)> = scored.iter().map(|p| (p.a, p.b, p.probability())).collect();
        report.accuracy = crate::eval::pairwise(&linker.data, settings.link_type, &pairs, &[0.01, 0.1, 0.5, 0.9, 0.99]);
        report.cluster_accuracy = Some(crate::eval::clusters(&linker.data, settings.link_type, &clusters));
    }
    report.timings.push(("total".into(), t0.elapsed().as_secs_f64()));
    report.model = Some(linker.model.clone());
    let html = out.out_dir.join("report.html");
    std::fs::write(&html, render_html(&report)).with_context(|| format!("writing {}", html.display()))?;
    eprintln!(
        "{} records, {} candidate pairs, {} matches at p >= {threshold}, {} persons; see {}",
        report.records,
        report.candidate_pairs,
        report.matches,
        report.clusters,
        html.display()
    );
    Ok(())
}

fn write_outputs(linker: &Linker, scored: &[ScoredPair], person_ids: &[String], dir: &Path) -> anyhow::Result<()> {
    let settings = &linker.model.settings;
    let scorer = crate::score::Scorer::new(&linker.model)?;
    let mut header: Vec<String> = vec![
        "id_l".into(),
        "source_l".into(),
        "id_r".into(),
        "source_r".into(),
        "match_weight".into(),
        "match_probability".into(),
    ];
    header.extend(settings.fields.iter().map(|f| format!("{}_level", f.name)));
    let header_ref: Vec<&str> = header.iter().map(String::as_str).collect();
    let data = &linker.data;
    let rows = scored.iter().filter(|p| p.probability() >= settings.min_probability).map(|p| {
        let (a, b) = (p.a as usize, p.b as usize);
        let mut row = vec![
            data.ids[a].clone(),
            data.sources[a].to_string(),
            data.ids[b].clone(),
            data.sources[b].to_string(),
            format!("{:.3}", p.weight),
            format!("{:.6}", p.probability()),
        ];
        for (f, labels) in scorer.level_labels.iter().enumerate() {
            let l = crate::score::level_of(p.pattern, f);
            row.push(labels.get(usize::from(l)).cloned().unwrap_or_else(|| "missing".into()));
        }
        row
    });
    let path = dir.join("pairs.csv");
    let f = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    write_csv(std::io::BufWriter::new(f), &path.display().to_string(), &header_ref, rows)?;
    let path = dir.join("clusters.csv");
    let f = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let rows =
        data.ids.iter().zip(person_ids).zip(&data.sources).map(|((r, p), s)| vec![r.clone(), p.clone(), s.to_string()]);
    write_csv(std::io::BufWriter::new(f), &path.display().to_string(), &["record_id", "person_id", "source"], rows)?;
    let path = dir.join("model.toml");
    linker.model.save(&path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn blocking(a: BlockingArgs) -> anyhow::Result<()> {
    let mut model = load_model(&a.settings)?;
    let data = read_inputs(&mut model, &a.input, &mut RunReport::default())?;
    let linker = Linker::new(model, data)?;
    let counts = linker.count_candidates();
    println!("rule\tnew_pairs\tlargest_block");
    for (r, rule) in linker.rules.iter().enumerate() {
        println!("{}\t{}\t{}", rule.text, counts.new_pairs_per_rule[r], counts.largest_block[r]);
    }
    println!("total\t{}", counts.total);
    if linker.data.truth.iter().any(Option::is_some) {
        let candidates = linker.candidates()?;
        let all_pairs: Vec<(u32, u32, f64)> = candidates.iter().map(|c| (c.a, c.b, 1.0)).collect();
        let acc = crate::eval::pairwise(&linker.data, linker.model.settings.link_type, &all_pairs, &[1.0]);
        if let Some(x) = acc.first() {
            println!(
                "true pairs reachable through blocking: {} of {} ({:.4}); lost: {}",
                x.true_positives,
                x.true_positives + x.false_negatives,
                x.recall,
                x.false_negatives
            );
        }
    }
    Ok(())
}

fn encode(a: EncodeArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&a.schema).with_context(|| format!("reading {}", a.schema.display()))?;
    let schema = ClkSchema::from_toml(&text).with_context(|| format!("in {}", a.schema.display()))?;
    let secret = std::fs::read(&a.secret_file).with_context(|| format!("reading {}", a.secret_file.display()))?;
    let secret = secret.trim_ascii().to_vec();
    let name = a.input.display().to_string();
    let mut opts = schema.read_options(&name, 0);
    opts.skip_bad_rows = a.skip_bad_rows;
    a.text.apply(&mut opts)?;
    let t = Instant::now();
    let (records, stats) = read_file(&name, &opts)?;
    say_notes(&name, &stats.notes);
    let encoder = ClkEncoder::new(schema, &secret)?;
    let enc = encoder.encode_all(&records);
    std::fs::write(&a.out, enc.to_csv()).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!(
        "encoded {} records ({} skipped) into {}-bit filters in {:.2}s: {}",
        enc.len(),
        stats.skipped,
        enc.words * 64,
        t.elapsed().as_secs_f64(),
        a.out.display()
    );
    Ok(())
}

fn read_encodings(path: &Path) -> anyhow::Result<Encodings> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(Encodings::from_csv(std::io::BufReader::new(f), &path.display().to_string())?)
}

fn match_encodings(a: MatchArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&a.threshold) {
        bail!("--threshold must lie between 0 and 1");
    }
    let left = read_encodings(&a.left)?;
    let right = read_encodings(&a.right)?;
    if left.words != right.words {
        bail!("the two files have encodings of different lengths: were they made with the same schema?");
    }
    let t = Instant::now();
    let (cands, comparisons) = candidate_pairs(&left, &right, a.threshold, true);
    let n_cand = cands.len();
    let matches = if a.all_pairs { cands } else { greedy_one_to_one(cands) };
    let secs = t.elapsed().as_secs_f64();
    let rows = matches.iter().map(|m| {
        vec![left.ids[m.left as usize].clone(), right.ids[m.right as usize].clone(), format!("{:.4}", m.dice)]
    });
    let f = std::fs::File::create(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    write_csv(std::io::BufWriter::new(f), &a.out.display().to_string(), &["left_id", "right_id", "dice"], rows)?;
    eprintln!(
        "{} x {} encodings: {comparisons} Dice comparisons, {n_cand} pairs >= {}, {} matches in {secs:.3}s: {}",
        left.len(),
        right.len(),
        a.threshold,
        matches.len(),
        a.out.display()
    );
    Ok(())
}

fn read_labels_file(path: &Path) -> anyhow::Result<Vec<crate::review::Label>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(crate::review::read_labels(std::io::BufReader::new(f), &path.display().to_string())?)
}

fn say_unresolved(resolved: &crate::review::ResolvedLabels) {
    for u in &resolved.unresolved {
        eprintln!("warning: answer left aside: {u}");
    }
}

/// Reads the inputs under a trained model, and scores the candidate pairs.
fn read_and_score(model: &Path, input: &InputArgs) -> anyhow::Result<(Linker, Vec<ScoredPair>)> {
    let mut model = load_model(model)?;
    if model.parameters.is_none() {
        bail!("the model has no parameters: run `haven link train` first");
    }
    let data = read_inputs(&mut model, input, &mut RunReport::default())?;
    let linker = Linker::new(model, data)?;
    let candidates = linker.candidates()?;
    let scored = linker.score(&candidates)?;
    Ok((linker, scored))
}

fn review_next(a: ReviewNextArgs) -> anyhow::Result<()> {
    let (linker, scored) = read_and_score(&a.model, &a.input)?;
    let resolved = match &a.labels {
        Some(p) if p.exists() => crate::review::resolve(&linker.data, &read_labels_file(p)?),
        _ => crate::review::ResolvedLabels::default(),
    };
    say_unresolved(&resolved);
    let opts = crate::review::ReviewOptions { k: a.k, bin_width: a.bin_width };
    let mut answered = resolved.answered();
    let mut items: Vec<(ScoredPair, crate::review::Question)> = crate::review::next_pairs(&scored, &answered, &opts)
        .into_iter()
        .map(|i| (scored[i], crate::review::Question::Uncertain))
        .collect();
    if a.merges > 0 {
        let cs = &linker.model.settings.cluster;
        let links: Vec<Link> = scored
            .iter()
            .map(|p| Link { a: p.a, b: p.b, probability: p.probability() })
            .filter(|l| l.probability >= cs.threshold || l.probability < cs.conflict_below)
            .collect();
        let clusters = cluster_with_cannot_link(linker.data.len(), &links, cs, &resolved.cannot_links());
        answered.extend(items.iter().map(|(p, _)| (p.a.min(p.b), p.a.max(p.b))));
        let merges = crate::review::uncertain_merges(&scored, &clusters, cs.threshold, &answered, a.merges);
        items.extend(merges.into_iter().map(|(i, q)| (scored[i], q)));
    }
    let picks: Vec<(crate::review::Suggestion, crate::review::Question)> = items
        .into_iter()
        .map(|(pair, q)| Ok((crate::review::Suggestion { pair, explanation: linker.explain(&pair)? }, q)))
        .collect::<anyhow::Result<_>>()?;
    let fields: Vec<String> = linker.model.settings.fields.iter().map(|f| f.name.clone()).collect();
    let mut header: Vec<String> =
        ["id_l", "source_l", "id_r", "source_r", "answer", "question", "match_probability", "match_weight"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    for f in &fields {
        if !a.without_values {
            header.push(format!("{f}_l"));
            header.push(format!("{f}_r"));
        }
        header.push(format!("{f}_level"));
        header.push(format!("{f}_weight"));
    }
    let data = &linker.data;
    let rows = picks.iter().map(|(s, q)| {
        let (x, y) = (s.pair.a as usize, s.pair.b as usize);
        let mut row = vec![
            data.ids[x].clone(),
            data.sources[x].to_string(),
            data.ids[y].clone(),
            data.sources[y].to_string(),
            String::new(),
            q.as_str().to_string(),
            format!("{:.6}", s.pair.probability()),
            format!("{:.3}", s.pair.weight),
        ];
        for (f, e) in s.explanation.iter().enumerate() {
            if !a.without_values {
                let v = |r: usize| data.value(f, r).map(|v| v.text.to_string()).unwrap_or_default();
                row.push(v(x));
                row.push(v(y));
            }
            row.push(e.level.clone());
            row.push(format!("{:.3}", e.weight));
        }
        row
    });
    let header_ref: Vec<&str> = header.iter().map(String::as_str).collect();
    match &a.out {
        Some(p) => {
            let f = std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            write_csv(std::io::BufWriter::new(f), &p.display().to_string(), &header_ref, rows)?;
            eprintln!(
                "{} pairs to review ({} answered before) written to {}: fill in the answer column with same, \
                 different or unsure, then run `haven link review apply --answers`",
                picks.len(),
                resolved.pairs.len(),
                p.display()
            );
        }
        None => write_csv(std::io::stdout().lock(), "standard output", &header_ref, rows)?,
    }
    Ok(())
}

fn review_apply(a: ReviewApplyArgs, invocation: &Invocation) -> anyhow::Result<()> {
    let mut labels = if a.labels.exists() { read_labels_file(&a.labels)? } else { Vec::new() };
    if let Some(sheet) = &a.answers {
        let Some(who) = a.who.as_deref().map(str::trim).filter(|w| !w.is_empty()) else {
            bail!("--who is needed with --answers: the answers are kept with who gave them");
        };
        let new = read_labels_file(sheet)?;
        let n = new.len();
        labels.extend(new.into_iter().map(|mut l| {
            if l.who.is_empty() {
                l.who = who.to_string();
            }
            if l.when.is_empty() {
                l.when.clone_from(&invocation.date);
            }
            l
        }));
        let tmp = a.labels.with_extension("csv.tmp");
        let f = std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        crate::review::write_labels(std::io::BufWriter::new(f), &tmp.display().to_string(), &labels)?;
        std::fs::rename(&tmp, &a.labels).with_context(|| format!("writing {}", a.labels.display()))?;
        eprintln!("{n} answers added to {}", a.labels.display());
    }
    let mut model = load_model(&a.model)?;
    if model.parameters.is_none() {
        bail!("{} has no parameters: run `haven link train` first", a.model.display());
    }
    if model.parameters.as_ref().is_some_and(|p| p.trained_with.contains(crate::review::BLENDED)) {
        eprintln!(
            "warning: {} was already re-trained from answers: they count twice; apply to the model trained without them",
            a.model.display()
        );
    }
    let data = read_inputs(&mut model, &a.input, &mut RunReport::default())?;
    let linker = Linker::new(model, data)?;
    let resolved = crate::review::resolve(&linker.data, &labels);
    say_unresolved(&resolved);
    let r = crate::review::retrain(&linker, &resolved.pairs, a.em_weight)?;
    r.model.save(&a.out).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!(
        "{} answers (same {}, different {}, unsure {}); threshold {} -> {}; model saved to {}",
        resolved.pairs.len(),
        r.same,
        r.different,
        r.unsure,
        r.threshold_before,
        r.threshold_after,
        a.out.display()
    );
    print_model_warnings(&r.model);
    Ok(())
}
