//! The run report: one self-contained HTML page (inline SVG chart, no external resources).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diagnose::ModelWarning;
use crate::error::{LinkError, Result};
use crate::eval::{Accuracy, ClusterAccuracy};
use crate::linker::{Linker, ScoredPair};
use crate::model::LinkageModel;
use crate::score::FieldExplanation;

/// One input in the report: name, rows read, rows skipped, the first skipped rows (line, reason).
pub type InputSummary = (String, u64, u64, Vec<(u64, String)>);

/// One field of an example pair: its part of the weight and, unless left out, the two values as
/// compared (after normalisation).
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleField {
    pub explanation: FieldExplanation,
    pub left: Option<String>,
    pub right: Option<String>,
}

/// A scored pair shown in the report, explained field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct PairExample {
    /// (record id, input number) of the two records.
    pub left: (String, u16),
    pub right: (String, u16),
    /// log2(lambda / (1 - lambda)): the weight before any field is compared.
    pub prior: f64,
    /// The match weight: the prior plus the fields' weights.
    pub weight: f64,
    pub probability: f64,
    pub fields: Vec<ExampleField>,
}

/// The pairs closest to the threshold on either side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NearThreshold {
    /// At or above the threshold, the lowest weight first.
    pub above: Vec<PairExample>,
    /// Below the threshold, the highest weight first.
    pub below: Vec<PairExample>,
    /// Whether the compared values are shown (or only ids, levels and weights).
    pub with_values: bool,
}

/// How many records the persons (clusters) hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterSizes {
    /// Size → number of clusters of that size, smallest size first.
    pub distribution: Vec<(u64, u64)>,
    /// The largest clusters: (person id, records), largest first.
    pub largest: Vec<(String, u64)>,
}

/// Everything the report shows.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub title: String,
    /// When the run was made, as the caller says (library code does not read the clock).
    pub date: String,
    /// The command line of the run.
    pub command: String,
    /// (input, SHA-256 of the file's bytes in hex).
    pub input_checksums: Vec<(String, String)>,
    /// Example pairs either side of the threshold.
    pub near_threshold: NearThreshold,
    pub cluster_sizes: ClusterSizes,
    /// (input, rows read, rows skipped, first skipped reasons).
    pub inputs: Vec<InputSummary>,
    pub bad_values: u64,
    /// (rule, new pairs, largest block).
    pub blocking: Vec<(String, u64, u64)>,
    pub candidate_pairs: u64,
    pub estimated_blocking_recall: Option<f64>,
    /// Expected true matches that no blocking rule finds (from the same estimate).
    pub estimated_missed_matches: Option<f64>,
    /// Why the blocking loss was not estimated, when it was not.
    pub blocking_recall_not_estimated: Option<String>,
    /// (input, what reading it found out: compression, a delimiter other than a comma, an
    /// encoding declared, overridden or guessed, invalid bytes).
    pub reading_notes: Vec<(String, String)>,
    pub training: Vec<String>,
    pub model: Option<LinkageModel>,
    pub weights: Vec<f32>,
    pub pairs_written: u64,
    pub match_threshold: f64,
    pub matches: u64,
    pub clusters: u64,
    pub records: u64,
    pub timings: Vec<(String, f64)>,
    pub accuracy: Vec<Accuracy>,
    pub cluster_accuracy: Option<ClusterAccuracy>,
}

/// A share of lost matches from which the findings say to add a blocking rule.
const LOSS_TO_ACT_ON: f64 = 0.02;
/// A cluster at least this large is named in the findings as a possible chain of people.
const LARGE_CLUSTER: u64 = 10;

/// What a reader should know before using the results, in sentences, at the top of the report:
/// what reading the inputs found (a guessed encoding, another delimiter), rows skipped and
/// values treated as missing, the warnings about the model, the matches blocking is estimated to
/// lose, and clusters large enough to be chains. Each names the section with the details.
pub fn findings(r: &RunReport, warnings: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (input, note) in &r.reading_notes {
        out.push(format!("Reading {input}: {note}."));
    }
    let skipped: u64 = r.inputs.iter().map(|i| i.2).sum();
    if skipped > 0 {
        out.push(format!("{skipped} rows could not be read and were skipped (see Input)."));
    }
    if r.bad_values > 0 {
        out.push(format!(
            "{} values could not be read and were treated as missing, so they weigh nothing (see Input).",
            r.bad_values
        ));
    }
    if warnings > 0 {
        out.push(format!(
            "Training may have gone wrong: {warnings} warning{} about the model (see Warnings about the model).",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    match (r.estimated_blocking_recall, r.estimated_missed_matches) {
        (Some(rec), Some(missed)) if 1.0 - rec >= LOSS_TO_ACT_ON => out.push(format!(
            "Blocking is estimated to lose about {} matching pairs ({:.1}% of the matches): no rule brings them together, so they are never compared. Add a rule on other fields (see Blocking).",
            missed.round(),
            100.0 * (1.0 - rec)
        )),
        (Some(rec), Some(missed)) => out.push(format!(
            "Blocking is estimated to lose about {} matching pairs ({:.1}% of the matches; see Blocking).",
            missed.round(),
            100.0 * (1.0 - rec)
        )),
        (None, _) if r.blocking_recall_not_estimated.is_some() => {
            out.push("How many matches blocking loses could not be estimated (see Blocking).".to_owned())
        }
        _ => {}
    }
    if let Some((id, n)) = r.cluster_sizes.largest.first().filter(|(_, n)| *n >= LARGE_CLUSTER) {
        out.push(format!(
            "The largest person ({id}) holds {n} records: check that it is one person and not a chain of different people (see Persons)."
        ));
    }
    out
}

fn findings_html(r: &RunReport, warnings: usize) -> String {
    let list = findings(r, warnings);
    if list.is_empty() {
        return "<h2>Findings</h2><p>Nothing in this run needs attention before the results are used.</p>".to_owned();
    }
    let mut s = String::from("<h2>Findings</h2><ul class=findings>");
    for f in &list {
        let _ = write!(s, "<li>{}</li>", esc(f));
    }
    s.push_str("</ul>");
    s
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The SHA-256 of everything `reader` gives, in lower-case hex.
pub fn sha256_hex(mut reader: impl Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let mut hex = String::with_capacity(64);
    for b in hasher.finalize() {
        let _ = write!(hex, "{b:02x}");
    }
    Ok(hex)
}

/// The SHA-256 of a file's bytes (as stored, before any decompression), in lower-case hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let io = |source| LinkError::Io { path: path.display().to_string(), source };
    sha256_hex(std::fs::File::open(path).map_err(io)?).map_err(io)
}

/// The match weight of a probability: log2(p / (1 - p)) (infinite at 0 and 1).
pub fn weight_of_probability(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// The `n` pairs closest to `threshold` (a match probability) on either side, explained field by
/// field; `with_values` puts the two compared values of each field in.
pub fn near_threshold(
    linker: &Linker,
    scored: &[ScoredPair],
    threshold: f64,
    n: usize,
    with_values: bool,
) -> Result<NearThreshold> {
    // (weight, index), kept sorted nearest first, at most n
    let mut above: Vec<(f32, usize)> = Vec::with_capacity(n + 1);
    let mut below: Vec<(f32, usize)> = Vec::with_capacity(n + 1);
    if n > 0 {
        for (i, p) in scored.iter().enumerate() {
            if p.weight.is_nan() {
                continue;
            }
            let (kept, key) =
                if p.probability() >= threshold { (&mut above, p.weight) } else { (&mut below, -p.weight) };
            if kept.len() == n && kept.last().is_some_and(|&(k, _)| k <= key) {
                continue;
            }
            let at = kept.partition_point(|&(k, _)| k <= key);
            kept.insert(at, (key, i));
            kept.truncate(n);
        }
    }
    let prior = linker.model.parameters.as_ref().map_or(0.0, |p| (p.lambda / (1.0 - p.lambda)).log2());
    let data = &linker.data;
    let example = |&(_, i): &(f32, usize)| -> Result<PairExample> {
        let p = &scored[i];
        let (a, b) = (p.a as usize, p.b as usize);
        let value = |f: usize, r: usize| if with_values { data.value(f, r).map(|v| v.text.to_string()) } else { None };
        let fields = linker
            .explain(p)?
            .into_iter()
            .enumerate()
            .map(|(f, explanation)| ExampleField { explanation, left: value(f, a), right: value(f, b) })
            .collect();
        Ok(PairExample {
            left: (data.ids[a].clone(), data.sources[a]),
            right: (data.ids[b].clone(), data.sources[b]),
            prior,
            weight: f64::from(p.weight),
            probability: p.probability(),
            fields,
        })
    };
    Ok(NearThreshold {
        above: above.iter().map(example).collect::<Result<_>>()?,
        below: below.iter().map(example).collect::<Result<_>>()?,
        with_values,
    })
}

/// The cluster sizes from the person id of every record; `largest` clusters listed by id.
pub fn cluster_sizes(person_ids: &[String], largest: usize) -> ClusterSizes {
    let mut per_person: BTreeMap<&str, u64> = BTreeMap::new();
    for p in person_ids {
        *per_person.entry(p.as_str()).or_default() += 1;
    }
    let mut distribution: BTreeMap<u64, u64> = BTreeMap::new();
    for n in per_person.values() {
        *distribution.entry(*n).or_default() += 1;
    }
    let mut by_size: Vec<(&str, u64)> = per_person.into_iter().collect();
    by_size.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    ClusterSizes {
        distribution: distribution.into_iter().collect(),
        largest: by_size.into_iter().take(largest).map(|(p, n)| (p.to_string(), n)).collect(),
    }
}

/// Counts of match weights in bins of equal width.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// The lowest and highest weight shown (whole numbers).
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
}

impl Histogram {
    /// The finite weights in `bins` bins, the range widened to whole numbers and to take in each
    /// finite weight of `include` (zero, the threshold). `None` without any finite weight.
    pub fn of(weights: &[f32], bins: usize, include: &[f64]) -> Option<Histogram> {
        let finite = weights.iter().map(|w| f64::from(*w)).filter(|w| w.is_finite());
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut any = false;
        for w in finite.clone() {
            (lo, hi, any) = (lo.min(w), hi.max(w), true);
        }
        if !any || bins == 0 {
            return None;
        }
        for w in include.iter().copied().filter(|w| w.is_finite()) {
            (lo, hi) = (lo.min(w), hi.max(w));
        }
        let lo = lo.floor();
        let hi = hi.ceil().max(lo + 1.0);
        let mut counts = vec![0u64; bins];
        for w in finite {
            let b = ((w - lo) / (hi - lo) * bins as f64) as usize;
            counts[b.min(bins - 1)] += 1;
        }
        Some(Histogram { lo, hi, counts })
    }

    /// The (from, to) weights of bin `i`.
    pub fn bin(&self, i: usize) -> (f64, f64) {
        let width = (self.hi - self.lo) / self.counts.len() as f64;
        (self.lo + width * i as f64, self.lo + width * (i + 1) as f64)
    }
}

/// The chart's geometry: width, height, and the plot's margins.
const SVG_W: f64 = 720.0;
const SVG_H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 44.0;

/// A step between x ticks (1, 2, 5, 10, 20, ...) that gives at most a dozen of them.
fn tick_step(span: f64) -> f64 {
    let mut scale = 1.0;
    while span.is_finite() && scale < 1e12 {
        for m in [1.0, 2.0, 5.0] {
            if span / (m * scale) <= 12.0 {
                return m * scale;
            }
        }
        scale *= 10.0;
    }
    span.max(1.0)
}

/// A number for an axis label: whole numbers without decimals.
fn axis_number(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") }
}

/// An SVG histogram of match weights: pairs on a log scale with its ticks, weight 0 marked, and
/// the threshold (a match probability) drawn as a labelled line. It has a title and a description
/// for screen readers; [`histogram_table`] is its text alternative.
pub fn histogram_svg(weights: &[f32], bins: usize, threshold: Option<f64>) -> String {
    let threshold_weight = threshold.map(weight_of_probability);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{SVG_W}\" height=\"{SVG_H}\" viewBox=\"0 0 {SVG_W} {SVG_H}\" role=\"img\" aria-labelledby=\"weights-title weights-desc\" font-size=\"12\"><title id=\"weights-title\">Distribution of match weights</title>"
    );
    let Some(h) = Histogram::of(weights, bins, &[0.0, threshold_weight.unwrap_or(f64::NAN)]) else {
        s.push_str(
            "<desc id=\"weights-desc\">No pairs were scored.</desc><text x=\"10\" y=\"20\">no pairs</text></svg>",
        );
        return s;
    };
    let total: u64 = h.counts.iter().sum();
    let (plot_w, plot_h) = (SVG_W - LEFT - RIGHT, SVG_H - TOP - BOTTOM);
    let base = TOP + plot_h;
    let x_of = |w: f64| LEFT + (w - h.lo) / (h.hi - h.lo) * plot_w;
    let max = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    // log scale so that the few matches show next to the many non-matches: 1 pair is 1 unit
    let height = |c: f64| if c < 1.0 { 0.0 } else { plot_h * (1.0 + c.ln()) / (1.0 + max.ln()) };
    let above = match threshold {
        Some(t) => weights.iter().filter(|w| crate::score::probability(f64::from(**w)) >= t).count(),
        None => 0,
    };
    let _ = write!(
        s,
        "<desc id=\"weights-desc\">Histogram of {total} pairs by match weight (log2), from {} to {}, in {} bins; the number of pairs on a logarithmic scale.",
        axis_number(h.lo),
        axis_number(h.hi),
        h.counts.len()
    );
    if let (Some(t), Some(tw)) = (threshold, threshold_weight) {
        if tw.is_finite() {
            let _ =
                write!(s, " The threshold, probability {t}, is at weight {tw:.2}; {above} pairs are at or above it.");
        } else {
            let _ =
                write!(s, " The threshold, probability {t}, has no finite weight; {above} pairs are at or above it.");
        }
    }
    s.push_str(" The table after the chart gives the same counts.</desc>");
    let bw = plot_w / h.counts.len() as f64;
    for (i, c) in h.counts.iter().enumerate() {
        let bh = height(*c as f64);
        let (from, to) = h.bin(i);
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#3b6ea5\"><title>weight {from:.1} to {to:.1}: {c} pairs</title></rect>",
            LEFT + i as f64 * bw,
            base - bh,
            (bw - 1.0).max(0.5)
        );
    }
    // axes
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{0}\" y2=\"{base}\" stroke=\"#333\"/><line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{base}\" stroke=\"#333\"/>",
        SVG_W - RIGHT
    );
    // y ticks at 1, 10, 100, ... pairs
    let mut k = 1.0;
    while k <= max {
        let y = base - height(k);
        let _ = write!(
            s,
            "<line class=\"tick-y\" x1=\"{0}\" y1=\"{y:.1}\" x2=\"{LEFT}\" y2=\"{y:.1}\" stroke=\"#333\"/><text class=\"tick-y\" x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\">{3}</text>",
            LEFT - 4.0,
            LEFT - 6.0,
            y + 4.0,
            axis_number(k)
        );
        k *= 10.0;
    }
    let _ = write!(
        s,
        "<text x=\"14\" y=\"{0:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {0:.1})\">pairs (log scale)</text>",
        TOP + plot_h / 2.0
    );
    // x ticks
    let step = tick_step(h.hi - h.lo);
    let mut t = (h.lo / step).ceil() * step;
    while t <= h.hi {
        let x = x_of(t);
        let _ = write!(
            s,
            "<line class=\"tick-x\" x1=\"{x:.1}\" y1=\"{base}\" x2=\"{x:.1}\" y2=\"{0}\" stroke=\"#333\"/><text class=\"tick-x\" x=\"{x:.1}\" y=\"{1}\" text-anchor=\"middle\">{2}</text>",
            base + 4.0,
            base + 16.0,
            axis_number(t)
        );
        t += step;
    }
    let _ = write!(
        s,
        "<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">match weight (log2 of the odds that the pair is one person)</text>",
        LEFT + plot_w / 2.0,
        SVG_H - 6.0
    );
    // zero: even odds, its label on the side away from the threshold
    let x0 = x_of(0.0);
    let threshold_x = threshold_weight.filter(|w| w.is_finite()).map(x_of);
    let (zero_anchor, zero_dx) = if threshold_x.is_some_and(|x| x >= x0) { ("end", -3.0) } else { ("start", 3.0) };
    let _ = write!(
        s,
        "<line class=\"zero\" x1=\"{x0:.1}\" y1=\"{0}\" x2=\"{x0:.1}\" y2=\"{base}\" stroke=\"#555\" stroke-dasharray=\"4 3\"/><text class=\"zero\" x=\"{1:.1}\" y=\"{2}\" text-anchor=\"{zero_anchor}\">0: p = 0.5</text>",
        TOP - 10.0,
        x0 + zero_dx,
        TOP - 2.0
    );
    if let (Some(t), Some(x), Some(tw)) = (threshold, threshold_x, threshold_weight) {
        let label = format!("threshold p = {t} (weight {tw:.2}): {above} pairs at or above");
        // about 7 px a character at 12 px: to the right of the line when it fits, else to the left
        let width = 7.0 * label.chars().count() as f64;
        let (anchor, lx) = if x + 3.0 + width <= SVG_W {
            ("start", x + 3.0)
        } else if x - 3.0 - width >= 0.0 {
            ("end", x - 3.0)
        } else {
            ("middle", SVG_W / 2.0)
        };
        let _ = write!(
            s,
            "<line class=\"threshold\" x1=\"{x:.1}\" y1=\"4\" x2=\"{x:.1}\" y2=\"{base}\" stroke=\"#b00020\" stroke-width=\"2\"/><text class=\"threshold\" x=\"{lx:.1}\" y=\"14\" text-anchor=\"{anchor}\" fill=\"#b00020\">{label}</text>"
        );
    }
    s.push_str("</svg>");
    s
}

/// The histogram's counts as an HTML table, the text alternative of the chart (bins without pairs
/// left out).
pub fn histogram_table(weights: &[f32], bins: usize, threshold: Option<f64>) -> String {
    let include = [0.0, threshold.map_or(f64::NAN, weight_of_probability)];
    let Some(h) = Histogram::of(weights, bins, &include) else { return String::new() };
    let mut s = String::from(
        "<details><summary>The chart as a table</summary><table><caption>Pairs by match weight (bins without pairs left out)</caption><tr><th>weight from</th><th>to</th><th>pairs</th></tr>",
    );
    for (i, c) in h.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let (from, to) = h.bin(i);
        let _ = write!(s, "<tr><td class=n>{from:.2}</td><td class=n>{to:.2}</td><td class=n>{c}</td></tr>");
    }
    s.push_str("</table></details>");
    s
}

/// The "Warnings about the model" section.
pub fn warnings_html(warnings: &[ModelWarning]) -> String {
    let mut s = String::from("<a id=warnings></a><h2>Warnings about the model</h2>");
    if warnings.is_empty() {
        s.push_str(
            "<p>None. The checks: the share of candidate pairs taken as matches is plausible; at every field m is not below u on the best level (nor far below it on a partial agreement), the best level is not rarer among matches than the worst, m and u differ between levels; no field carries almost all the weight.</p>",
        );
        return s;
    }
    s.push_str(
        "<p>Training may have learnt something other than \"same person\" (see docs/linkage.md, \"Training\"). Check these before using the results:</p><ul>",
    );
    for w in warnings {
        let _ = write!(s, "<li>{}</li>", esc(&w.message()));
    }
    s.push_str("</ul>");
    s
}

/// The rows of one example pair.
fn pair_html(s: &mut String, n: usize, e: &PairExample, with_values: bool) {
    let _ = write!(
        s,
        "<tr class=pair><th colspan={}>{n}. <code>{}</code> (input {}) and <code>{}</code> (input {}): weight {:+.2}, probability {:.4}</th></tr>",
        if with_values { 7 } else { 5 },
        esc(&e.left.0),
        e.left.1,
        esc(&e.right.0),
        e.right.1,
        e.weight,
        e.probability
    );
    for f in &e.fields {
        let x = &f.explanation;
        let values = if with_values {
            let v = |v: &Option<String>| v.as_deref().map_or_else(|| "<i>missing</i>".to_string(), esc);
            format!("<td>{}</td><td>{}</td>", v(&f.left), v(&f.right))
        } else {
            String::new()
        };
        let tf = if x.term_frequency_adjustment != 0.0 {
            format!(" (of which {:+.2} for how common the value is)", x.term_frequency_adjustment)
        } else {
            String::new()
        };
        let _ = write!(
            s,
            "<tr><td>{}</td>{values}<td>{}</td><td class=n>{:.4}</td><td class=n>{:.5}</td><td class=n>{:+.2}{tf}</td></tr>",
            esc(&x.field),
            esc(&x.level),
            x.m,
            x.u,
            x.weight
        );
    }
    let span = if with_values { 6 } else { 4 };
    let _ = write!(
        s,
        "<tr><td colspan={span}>prior, log2(λ/(1−λ))</td><td class=n>{:+.2}</td></tr><tr><td colspan={span}><b>match weight</b> (sum), probability {:.4}</td><td class=n><b>{:+.2}</b></td></tr>",
        e.prior, e.probability, e.weight
    );
}

/// The "Pairs near the threshold" section.
pub fn near_threshold_html(near: &NearThreshold, threshold: f64) -> String {
    let mut s = String::from("<h2>Pairs near the threshold</h2>");
    if near.above.is_empty() && near.below.is_empty() {
        s.push_str("<p>No pairs were scored.</p>");
        return s;
    }
    let _ = write!(
        s,
        "<p>The {} pairs just at or above probability {threshold} (taken as the same person) and the {} just below it (not taken), each explained field by field: the level of agreement, m, u and the field's weight log2(m/u); the prior and the fields add up to the match weight. {}</p>",
        near.above.len(),
        near.below.len(),
        if near.with_values {
            "Values are shown as compared, after normalisation."
        } else {
            "The values were left out of this report (--report-without-values)."
        }
    );
    let head = if near.with_values {
        "<tr><th>field</th><th>left value</th><th>right value</th><th>level</th><th>m</th><th>u</th><th>weight</th></tr>"
    } else {
        "<tr><th>field</th><th>level</th><th>m</th><th>u</th><th>weight</th></tr>"
    };
    for (title, pairs) in [("At or above the threshold", &near.above), ("Below the threshold", &near.below)] {
        let _ = write!(s, "<h3>{title}</h3>");
        if pairs.is_empty() {
            s.push_str("<p>None.</p>");
            continue;
        }
        let _ = write!(s, "<table class=pairs>{head}");
        for (i, e) in pairs.iter().enumerate() {
            pair_html(&mut s, i + 1, e, near.with_values);
        }
        s.push_str("</table>");
    }
    s
}

/// The "Persons" section: how many records the clusters hold.
pub fn cluster_sizes_html(c: &ClusterSizes) -> String {
    let mut s = String::from(
        "<h3>Cluster sizes</h3><table class=sizes><tr><th>records in the cluster</th><th>clusters</th></tr>",
    );
    for (size, n) in &c.distribution {
        let _ = write!(s, "<tr><td class=n>{size}</td><td class=n>{n}</td></tr>");
    }
    s.push_str("</table>");
    if !c.largest.is_empty() {
        s.push_str("<h3>Largest clusters</h3><p>Very large clusters are often chains of different people: look at them first.</p><table class=largest><tr><th>person id</th><th>records</th></tr>");
        for (person, n) in &c.largest {
            let _ = write!(s, "<tr><td><code>{}</code></td><td class=n>{n}</td></tr>", esc(person));
        }
        s.push_str("</table>");
    }
    s
}

/// Renders the report as one HTML page.
pub fn render_html(r: &RunReport) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title><style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:left}}td.n{{text-align:right}}tr.pair th{{background:#eef}}.personal{{border:2px solid #b00020;padding:.5em 1em}}pre{{background:#f6f6f6;padding:.5em;overflow-x:auto}}</style></head><body><h1>{0}</h1>",
        esc(&r.title)
    );
    let _ = write!(
        s,
        "<p class=personal><strong>This report may hold personal data.</strong> {} Keep it as you keep the input files, share it only with those allowed to see them, and delete it when it is no longer needed.</p>",
        if r.near_threshold.with_values || r.near_threshold.above.is_empty() && r.near_threshold.below.is_empty() {
            "Its example pairs show record identifiers and the compared values (names, dates of birth) of real records; person ids and file names may identify people too."
        } else {
            "Its example pairs show record identifiers (the compared values were left out); person ids and file names may identify people too."
        }
    );
    let warnings = r.model.as_ref().filter(|m| m.parameters.is_some()).map(crate::diagnose::warnings_of);
    if let Some(w) = warnings.as_ref().filter(|w| !w.is_empty()) {
        let _ = write!(
            s,
            "<p class=personal><strong>{} warning{} about the model:</strong> training may have learnt something other than \"same person\"; see <a href=\"#warnings\">Warnings about the model</a> before using the results.</p>",
            w.len(),
            if w.len() == 1 { "" } else { "s" }
        );
    }
    s.push_str(&findings_html(r, warnings.as_ref().map_or(0, Vec::len)));
    let _ = write!(
        s,
        "<h2>Run</h2><table class=run><tr><th>date</th><td>{}</td></tr><tr><th>Haven version</th><td>{}</td></tr><tr><th>command</th><td><code>{}</code></td></tr></table>",
        esc(&r.date),
        env!("CARGO_PKG_VERSION"),
        esc(&r.command)
    );
    if !r.input_checksums.is_empty() {
        s.push_str("<table class=checksums><tr><th>input</th><th>SHA-256 of the file</th></tr>");
        for (name, sum) in &r.input_checksums {
            let _ = write!(s, "<tr><td>{}</td><td><code>{}</code></td></tr>", esc(name), esc(sum));
        }
        s.push_str("</table>");
    }
    if let Some(m) = &r.model {
        s.push_str("<details><summary>Settings used (TOML, after the command's options)</summary>");
        match toml::to_string(&m.settings) {
            Ok(t) => {
                let _ = write!(s, "<pre class=settings>{}</pre>", esc(&t));
            }
            Err(e) => {
                let _ = write!(s, "<p>The settings could not be written out: {}</p>", esc(&e.to_string()));
            }
        }
        s.push_str("</details>");
    }
    s.push_str("<h2>Input</h2><table><tr><th>input</th><th>rows</th><th>skipped</th></tr>");
    for (name, rows, skipped, examples) in &r.inputs {
        let _ = write!(s, "<tr><td>{}</td><td class=n>{rows}</td><td class=n>{skipped}</td></tr>", esc(name));
        for (line, why) in examples.iter().take(10) {
            let _ = write!(s, "<tr><td colspan=3>line {line}: {}</td></tr>", esc(why));
        }
    }
    let _ = write!(s, "</table><p>{} records; {} unreadable values treated as missing.</p>", r.records, r.bad_values);
    s.push_str("<h2>Blocking</h2><table><tr><th>rule</th><th>new candidate pairs</th><th>largest block</th></tr>");
    for (rule, n, largest) in &r.blocking {
        let _ = write!(s, "<tr><td><code>{}</code></td><td class=n>{n}</td><td class=n>{largest}</td></tr>", esc(rule));
    }
    let _ = write!(s, "</table><p>{} candidate pairs compared.", r.candidate_pairs);
    if let Some(rec) = r.estimated_blocking_recall {
        let _ = write!(
            s,
            " Estimated share of true matches that blocking finds: {:.4} (so about {:.2}% lost",
            rec,
            100.0 * (1.0 - rec)
        );
        if let Some(missed) = r.estimated_missed_matches {
            let _ = write!(s, ", about {} matching pairs", missed.round());
        }
        s.push_str(").");
    } else if let Some(why) = &r.blocking_recall_not_estimated {
        let _ = write!(s, " The share of true matches that blocking loses was not estimated: {}.", esc(why));
    }
    s.push_str("</p>");
    if let Some(m) = &r.model
        && let Some(p) = &m.parameters
    {
        let _ = write!(
            s,
            "<h2>Model</h2><p>{}. Prior probability that two random records are the same person: {:.3e}.</p>",
            esc(&p.trained_with),
            p.lambda
        );
        for t in &r.training {
            let _ = write!(s, "<p>{}</p>", esc(t));
        }
        s.push_str("<table><tr><th>field</th><th>level</th><th>m</th><th>u</th><th>weight log2(m/u)</th></tr>");
        for (f, fp) in m.settings.fields.iter().zip(&p.fields) {
            let labels = f.comparison.level_labels();
            for (i, label) in labels.iter().enumerate() {
                let (mv, uv) = (fp.m.get(i).copied().unwrap_or(0.0), fp.u.get(i).copied().unwrap_or(1.0));
                let _ = write!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td class=n>{mv:.4}</td><td class=n>{uv:.5}</td><td class=n>{:+.2}</td></tr>",
                    if i == 0 { esc(&f.name) } else { String::new() },
                    esc(label),
                    (mv / uv).log2()
                );
            }
        }
        s.push_str("</table>");
    }
    if let Some(w) = &warnings {
        s.push_str(&warnings_html(w));
    }
    s.push_str("<h2>Match weights</h2>");
    s.push_str(&histogram_svg(&r.weights, 60, Some(r.match_threshold)));
    s.push_str(&histogram_table(&r.weights, 60, Some(r.match_threshold)));
    let _ = write!(
        s,
        "<p>{} pairs written; {} at or above probability {}.</p>",
        r.pairs_written, r.matches, r.match_threshold
    );
    s.push_str(&near_threshold_html(&r.near_threshold, r.match_threshold));
    s.push_str("<h2>Persons</h2>");
    let _ = write!(s, "<p>{} persons (clusters) from {} records.</p>", r.clusters, r.records);
    s.push_str(&cluster_sizes_html(&r.cluster_sizes));
    if !r.accuracy.is_empty() {
        s.push_str("<h2>Accuracy against the label column</h2><table><tr><th>threshold</th><th>TP</th><th>FP</th><th>FN</th><th>precision</th><th>recall</th><th>F1</th></tr>");
        for a in &r.accuracy {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{:.4}</td><td class=n>{:.4}</td><td class=n>{:.4}</td></tr>",
                a.threshold, a.true_positives, a.false_positives, a.false_negatives, a.precision, a.recall, a.f1
            );
        }
        s.push_str("</table>");
    }
    if let Some(c) = &r.cluster_accuracy {
        let _ = write!(
            s,
            "<p>Clusters: {} against {} true persons ({:+.2}%); pairs implied by clusters: precision {:.4}, recall {:.4}, F1 {:.4}.</p>",
            c.clusters,
            c.true_persons,
            100.0 * c.person_count_error,
            c.pairs.precision,
            c.pairs.recall,
            c.pairs.f1
        );
    }
    s.push_str("<h2>Timings</h2><table><tr><th>step</th><th>seconds</th></tr>");
    for (step, t) in &r.timings {
        let _ = write!(s, "<tr><td>{}</td><td class=n>{t:.3}</td></tr>", esc(step));
    }
    s.push_str("</table></body></html>\n");
    s
}
