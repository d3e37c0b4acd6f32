//! The run report: one self-contained HTML page (inline SVG chart, no external resources).

use std::fmt::Write as _;

use crate::diagnose::ModelWarning;
use crate::eval::{Accuracy, ClusterAccuracy};
use crate::model::LinkageModel;

/// One input in the report: name, rows read, rows skipped, the first skipped rows (line, reason).
pub type InputSummary = (String, u64, u64, Vec<(u64, String)>);

/// Everything the report shows.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    pub title: String,
    /// (input, rows read, rows skipped, first skipped reasons).
    pub inputs: Vec<InputSummary>,
    pub bad_values: u64,
    /// (rule, new pairs, largest block).
    pub blocking: Vec<(String, u64, u64)>,
    pub candidate_pairs: u64,
    pub estimated_blocking_recall: Option<f64>,
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An SVG histogram of match weights.
pub fn histogram_svg(weights: &[f32], bins: usize) -> String {
    let (w, h, pad) = (720.0, 240.0, 30.0);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"distribution of match weights\">"
    );
    let finite: Vec<f32> = weights.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() || bins == 0 {
        s.push_str("<text x=\"10\" y=\"20\">no pairs</text></svg>");
        return s;
    }
    let lo = finite.iter().copied().fold(f32::INFINITY, f32::min).floor();
    let hi = finite.iter().copied().fold(f32::NEG_INFINITY, f32::max).ceil().max(lo + 1.0);
    let mut counts = vec![0u64; bins];
    for x in &finite {
        let b = (((x - lo) / (hi - lo)) * bins as f32) as usize;
        counts[b.min(bins - 1)] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let bw = (w - 2.0 * pad) / bins as f64;
    for (i, c) in counts.iter().enumerate() {
        // log scale so that the few matches show next to the many non-matches
        let bh = if *c == 0 { 0.0 } else { (h - 2.0 * pad) * (1.0 + (*c as f64).ln()) / (1.0 + max.ln()) };
        let x = pad + i as f64 * bw;
        let y = h - pad - bh;
        let from = lo + (hi - lo) * i as f32 / bins as f32;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#3b6ea5\"><title>weight {from:.1}: {c} pairs</title></rect>",
            (bw - 1.0).max(0.5)
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{pad}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#333\"/><text x=\"{pad}\" y=\"{2}\" font-size=\"12\">{lo}</text><text x=\"{3}\" y=\"{2}\" font-size=\"12\" text-anchor=\"end\">{hi}</text><text x=\"{4}\" y=\"{2}\" font-size=\"12\" text-anchor=\"middle\">match weight (log2), pairs on a log scale</text></svg>",
        h - pad,
        w - pad,
        h - 8.0,
        w - pad,
        w / 2.0
    );
    s
}

/// The "Warnings about the model" section.
pub fn warnings_html(warnings: &[ModelWarning]) -> String {
    let mut s = String::from("<h2>Warnings about the model</h2>");
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

/// Renders the report as one HTML page.
pub fn render_html(r: &RunReport) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title><style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:left}}td.n{{text-align:right}}</style></head><body><h1>{0}</h1>",
        esc(&r.title)
    );
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
            " Estimated share of true matches that blocking finds: {:.4} (so about {:.2}% lost).",
            rec,
            100.0 * (1.0 - rec)
        );
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
    if let Some(m) = &r.model
        && m.parameters.is_some()
    {
        s.push_str(&warnings_html(&crate::diagnose::warnings_of(m)));
    }
    s.push_str("<h2>Match weights</h2>");
    s.push_str(&histogram_svg(&r.weights, 60));
    let _ = write!(
        s,
        "<p>{} pairs written; {} at or above probability {}; {} persons (clusters) from {} records.</p>",
        r.pairs_written, r.matches, r.match_threshold, r.clusters, r.records
    );
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
