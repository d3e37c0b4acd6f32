//! Clerical review with active learning: the pairs a reviewer should look at next, their answers
//! kept as labels, and a model re-trained and re-calibrated from those answers.
//!
//! - [`next_pairs`]: uncertainty sampling. The most informative pairs are those whose match
//!   probability is nearest 0.5 (the highest entropy of the answer), which is the smallest
//!   absolute match weight. The picks are spread over bins of weight and over comparison
//!   patterns, so that k answers are not k copies of one question.
//! - [`Label`], [`read_labels`], [`write_labels`]: the answers (same, different, unsure) in a CSV
//!   file with the two record ids, who answered and when (the time is given by the caller).
//! - [`retrain`]: m blended from the "same" answers and the EM estimate by counts ([`blend_m`]),
//!   and the threshold moved to the weight that best separates the answered pairs
//!   ([`separating_weight`]).
//! - [`uncertain_merges`]: the cluster merges the engine is unsure of, as pairs to ask about.
//! - "different" answers are cannot-link constraints for
//!   [`crate::cluster::cluster_with_cannot_link`] ([`cannot_links`]).

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use crate::compare::MISSING;
use crate::data::Dataset;
use crate::error::{LinkError, Result};
use crate::linker::{Linker, ScoredPair};
use crate::model::LinkageModel;
use crate::score::{FieldExplanation, Pattern, level_of, probability};

/// A reviewer's answer about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// The same person.
    Same,
    /// Different persons: the two records never join one cluster.
    Different,
    /// Cannot tell: the pair is not asked again, and not used for training.
    Unsure,
}

impl Answer {
    /// `same`, `different` or `unsure` (any case; `s`, `d`, `u` for short).
    pub fn parse(text: &str) -> Option<Answer> {
        match text.trim().to_lowercase().as_str() {
            "same" | "s" => Some(Answer::Same),
            "different" | "d" => Some(Answer::Different),
            "unsure" | "u" => Some(Answer::Unsure),
            _ => None,
        }
    }

    /// The word written in a labels file.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Same => "same",
            Answer::Different => "different",
            Answer::Unsure => "unsure",
        }
    }
}

/// One answer, as kept in a labels file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub id_l: String,
    /// The input (0 for the first `--input`) of the left record, when ids repeat across inputs.
    pub source_l: Option<u16>,
    pub id_r: String,
    pub source_r: Option<u16>,
    pub answer: Answer,
    /// Who answered.
    pub who: String,
    /// When, as given by the caller.
    pub when: String,
}

/// The columns of a labels file, in the order written.
pub const LABEL_COLUMNS: [&str; 7] = ["id_l", "source_l", "id_r", "source_r", "answer", "who", "when"];

/// Reads answers from CSV with a header naming at least `id_l`, `id_r` and `answer` (and
/// optionally `source_l`, `source_r`, `who`, `when`; other columns are ignored, so a sheet written
/// by `haven link review next` and filled in reads as answers). Rows with an empty answer are not
/// answered yet and are skipped. A bad row fails, naming its line.
pub fn read_labels(input: impl Read, source_name: &str) -> Result<Vec<Label>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let bad = |line: u64, message: String| LinkError::BadRow { source_name: source_name.to_string(), line, message };
    let header = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let col = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(il), Some(ir), Some(ia)) = (col("id_l"), col("id_r"), col("answer")) else {
        return Err(bad(1, "a labels file needs the columns id_l, id_r and answer".into()));
    };
    let (sl, sr, who, when) = (col("source_l"), col("source_r"), col("who"), col("when"));
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| i.and_then(|i| row.get(i)).map(str::trim).unwrap_or("");
        let answer_text = get(Some(ia));
        if answer_text.is_empty() {
            continue;
        }
        let answer = Answer::parse(answer_text)
            .ok_or_else(|| bad(line, format!("answer {answer_text:?} is not one of same, different, unsure")))?;
        let (id_l, id_r) = (get(Some(il)), get(Some(ir)));
        if id_l.is_empty() || id_r.is_empty() {
            return Err(bad(line, "both record ids (id_l, id_r) are needed".into()));
        }
        if id_l == id_r && get(sl) == get(sr) {
            return Err(bad(line, format!("a record ({id_l}) is paired with itself")));
        }
        let source = |i: Option<usize>, name: &str| -> Result<Option<u16>> {
            let t = get(i);
            if t.is_empty() {
                return Ok(None);
            }
            t.parse().map(Some).map_err(|_| bad(line, format!("{name} {t:?} is not an input number")))
        };
        out.push(Label {
            id_l: id_l.to_string(),
            source_l: source(sl, "source_l")?,
            id_r: id_r.to_string(),
            source_r: source(sr, "source_r")?,
            answer,
            who: get(who).to_string(),
            when: get(when).to_string(),
        });
    }
    Ok(out)
}

/// Writes answers as CSV with the [`LABEL_COLUMNS`] header.
pub fn write_labels(out: impl Write, path: &str, labels: &[Label]) -> Result<()> {
    let text = |s: Option<u16>| s.map(|s| s.to_string()).unwrap_or_default();
    let rows = labels.iter().map(|l| {
        vec![
            l.id_l.clone(),
            text(l.source_l),
            l.id_r.clone(),
            text(l.source_r),
            l.answer.as_str().to_string(),
            l.who.clone(),
            l.when.clone(),
        ]
    });
    crate::io::write_csv(out, path, &LABEL_COLUMNS, rows)
}

/// Answers resolved to the records of a dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedLabels {
    /// `(a, b, answer)` with `a < b`, one per pair: the last answer given about it.
    pub pairs: Vec<(u32, u32, Answer)>,
    /// Answers whose records are not in the data, or whose id is in several inputs without a
    /// source to tell them apart (with the reason).
    pub unresolved: Vec<String>,
}

impl ResolvedLabels {
    /// The pairs answered (whatever the answer), to leave out of the next questions.
    pub fn answered(&self) -> HashSet<(u32, u32)> {
        self.pairs.iter().map(|(a, b, _)| (*a, *b)).collect()
    }

    /// The pairs answered "different": cannot-link constraints for clustering.
    pub fn cannot_links(&self) -> Vec<(u32, u32)> {
        cannot_links(&self.pairs)
    }
}

/// The pairs answered "different".
pub fn cannot_links(pairs: &[(u32, u32, Answer)]) -> Vec<(u32, u32)> {
    pairs.iter().filter(|(_, _, x)| *x == Answer::Different).map(|(a, b, _)| (*a, *b)).collect()
}

/// Finds the records of each answer in `data` (by id, and by input when given). The last answer
/// about a pair wins; the file keeps them all.
pub fn resolve(data: &Dataset, labels: &[Label]) -> ResolvedLabels {
    let mut by_id: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, id) in data.ids.iter().enumerate() {
        by_id.entry(id.as_str()).or_default().push(i as u32);
    }
    let find = |id: &str, source: Option<u16>| -> std::result::Result<u32, String> {
        let all = by_id.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let fit: Vec<u32> =
            all.iter().copied().filter(|r| source.is_none_or(|s| data.sources[*r as usize] == s)).collect();
        match fit.as_slice() {
            [r] => Ok(*r),
            [] => Err(format!("record {id:?} is not in the inputs")),
            _ => Err(format!("record id {id:?} is in several inputs: give source_l and source_r")),
        }
    };
    let mut last: HashMap<(u32, u32), usize> = HashMap::new();
    let mut pairs: Vec<(u32, u32, Answer)> = Vec::new();
    let mut unresolved = Vec::new();
    for l in labels {
        match (find(&l.id_l, l.source_l), find(&l.id_r, l.source_r)) {
            (Ok(a), Ok(b)) if a != b => {
                let (a, b) = (a.min(b), a.max(b));
                match last.get(&(a, b)) {
                    Some(&i) => pairs[i].2 = l.answer,
                    None => {
                        last.insert((a, b), pairs.len());
                        pairs.push((a, b, l.answer));
                    }
                }
            }
            (Ok(_), Ok(_)) => unresolved.push(format!("{} and {} are one record", l.id_l, l.id_r)),
            (Err(e), _) | (_, Err(e)) => unresolved.push(e),
        }
    }
    ResolvedLabels { pairs, unresolved }
}

/// How the next pairs are picked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewOptions {
    /// How many pairs.
    pub k: usize,
    /// Width of a weight bin, in bits of match weight (1 bit doubles the odds of a match).
    pub bin_width: f64,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions { k: 10, bin_width: 1.0 }
    }
}

/// Picks the next `k` pairs to review among `scored`, leaving out the pairs in `answered`
/// (`(a, b)` with `a < b`). Pairs are taken by uncertainty: the smallest absolute match weight
/// first (match probability nearest 0.5), ties broken by the records' numbers, so the pick does
/// not depend on the order of `scored`. To spread the picks, a first round takes at most one pair
/// per weight bin and per comparison pattern (the nearest to the boundary of each), the next
/// rounds allow one more pair per bin, still of patterns not yet taken, and only then are pairs of
/// patterns already taken added, nearest first. Returns indices into `scored`.
pub fn next_pairs(scored: &[ScoredPair], answered: &HashSet<(u32, u32)>, opts: &ReviewOptions) -> Vec<usize> {
    let width = if opts.bin_width.is_finite() && opts.bin_width > 0.0 { opts.bin_width } else { 1.0 };
    let mut order: Vec<usize> = (0..scored.len())
        .filter(|&i| {
            let p = &scored[i];
            p.weight.is_finite() && !answered.contains(&(p.a.min(p.b), p.a.max(p.b)))
        })
        .collect();
    let key = |i: usize| {
        let p = &scored[i];
        (p.weight.abs(), p.a.min(p.b), p.a.max(p.b), p.weight, p.pattern)
    };
    order.sort_by(|&x, &y| {
        let (kx, ky) = (key(x), key(y));
        kx.0.total_cmp(&ky.0)
            .then(kx.1.cmp(&ky.1))
            .then(kx.2.cmp(&ky.2))
            .then(kx.3.total_cmp(&ky.3))
            .then(kx.4.cmp(&ky.4))
    });
    // one question per record pair (scored may hold a pair twice): its first place in the order
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    order.retain(|&i| seen.insert((key(i).1, key(i).2)));
    let bin = |i: usize| (f64::from(scored[i].weight) / width).floor() as i64;
    let mut taken = vec![false; order.len()];
    let mut picks = Vec::new();
    let mut patterns: HashSet<Pattern> = HashSet::new();
    let mut per_bin: HashMap<i64, usize> = HashMap::new();
    let mut cap = 1usize;
    while picks.len() < opts.k {
        let before = picks.len();
        for (j, &i) in order.iter().enumerate() {
            if picks.len() >= opts.k {
                break;
            }
            let n = per_bin.get(&bin(i)).copied().unwrap_or(0);
            if taken[j] || n >= cap || patterns.contains(&scored[i].pattern) {
                continue;
            }
            taken[j] = true;
            picks.push(i);
            patterns.insert(scored[i].pattern);
            per_bin.insert(bin(i), n + 1);
        }
        if picks.len() == before {
            // every pattern is taken: fill with the nearest pairs left
            for (j, &i) in order.iter().enumerate() {
                if picks.len() >= opts.k {
                    break;
                }
                if !taken[j] {
                    taken[j] = true;
                    picks.push(i);
                }
            }
            break;
        }
        cap += 1;
    }
    picks
}

/// A pair to review, with its field-by-field explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub pair: ScoredPair,
    pub explanation: Vec<FieldExplanation>,
}

/// The next pairs to review ([`next_pairs`]) with their explanations.
pub fn suggest(
    linker: &Linker,
    scored: &[ScoredPair],
    answered: &HashSet<(u32, u32)>,
    opts: &ReviewOptions,
) -> Result<Vec<Suggestion>> {
    next_pairs(scored, answered, opts)
        .into_iter()
        .map(|i| Ok(Suggestion { pair: scored[i], explanation: linker.explain(&scored[i])? }))
        .collect()
}

/// m blended from the EM estimate `m_em` and the comparison patterns of pairs answered "same":
/// per field, `m = (em_weight * m_em + counts) / (em_weight + n)`, where `counts` are the answered
/// pairs at each level and `n` those with the field present. The EM estimate counts as
/// `em_weight` answered pairs.
pub fn blend_m(m_em: &[Vec<f64>], same: &[Pattern], em_weight: f64) -> Vec<Vec<f64>> {
    let w = if em_weight.is_finite() { em_weight.max(0.0) } else { 0.0 };
    m_em.iter()
        .enumerate()
        .map(|(f, m)| {
            let mut counts = vec![0.0f64; m.len()];
            for p in same {
                let l = level_of(*p, f);
                if l != MISSING
                    && let Some(c) = counts.get_mut(usize::from(l))
                {
                    *c += 1.0;
                }
            }
            let n: f64 = counts.iter().sum();
            if n + w <= 0.0 {
                return m.clone();
            }
            m.iter().zip(&counts).map(|(m, c)| (w * m + c) / (w + n)).collect()
        })
        .collect()
}

/// The match weight that best separates answered pairs `(weight, same)`: pairs at or above it
/// are taken as matches, and it makes the fewest errors among them. Among equally good cuts, the
/// one nearest `current` (the weight of the present threshold), which is kept when the answers do
/// not contradict it. `None` without both a "same" and a "different" answer.
pub fn separating_weight(answered: &[(f64, bool)], current: f64) -> Option<f64> {
    let mut pts: Vec<(f64, bool)> = answered.iter().copied().filter(|(w, _)| w.is_finite()).collect();
    if !pts.iter().any(|p| p.1) || !pts.iter().any(|p| !p.1) {
        return None;
    }
    pts.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (lo, hi) = (pts[0].0, pts[pts.len() - 1].0);
    let mut cuts = vec![lo - 1.0, hi + 1.0];
    if current.is_finite() {
        cuts.push(current);
    }
    cuts.extend(pts.windows(2).filter(|w| w[0].0 < w[1].0).map(|w| (w[0].0 + w[1].0) / 2.0));
    let errors = |t: f64| pts.iter().filter(|(w, same)| (*w >= t) != *same).count();
    let near = |t: f64| if current.is_finite() { (t - current).abs() } else { 0.0 };
    cuts.into_iter().min_by(|&x, &y| errors(x).cmp(&errors(y)).then(near(x).total_cmp(&near(y))).then(x.total_cmp(&y)))
}

/// Marks, in `trained_with`, a model re-trained from answers.
pub const BLENDED: &str = "m blended with";

/// What re-training from answers did.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrained {
    pub model: LinkageModel,
    pub same: usize,
    pub different: usize,
    pub unsure: usize,
    /// The cluster threshold before and after calibration (the same when not calibrated).
    pub threshold_before: f64,
    pub threshold_after: f64,
}

/// Re-trains `linker`'s model from answers: m blended with the "same" answers ([`blend_m`], the
/// model's m counting as `em_weight` answers, then kept non-increasing over the levels when the
/// settings ask it), and the cluster threshold moved to the probability of
/// [`separating_weight`] of the answered pairs under the new m. u and lambda are kept. Start from
/// the model trained without answers each time, so that answers are not counted twice.
pub fn retrain(linker: &Linker, answers: &[(u32, u32, Answer)], em_weight: f64) -> Result<Retrained> {
    let params = linker.model.parameters.as_ref().ok_or(LinkError::Untrained)?;
    let count = |x: Answer| answers.iter().filter(|p| p.2 == x).count();
    let same: Vec<Pattern> = answers
        .iter()
        .filter(|p| p.2 == Answer::Same)
        .map(|(a, b, _)| Ok(linker.score_pair(*a, *b)?.pattern))
        .collect::<Result<_>>()?;
    let m_em: Vec<Vec<f64>> = params.fields.iter().map(|f| f.m.clone()).collect();
    let blended = blend_m(&m_em, &same, em_weight);
    let mut model = linker.model.clone();
    let training = model.settings.training.clone();
    if let Some(p) = model.parameters.as_mut() {
        for (fp, m) in p.fields.iter_mut().zip(blended) {
            fp.m = crate::train::constrain_m(m, &training);
        }
        if !same.is_empty() {
            p.trained_with = format!(
                "{}; {BLENDED} {} pairs answered same (EM counted as {em_weight} pairs)",
                p.trained_with,
                same.len()
            );
        }
    }
    let threshold_before = model.settings.cluster.threshold;
    let mut threshold_after = threshold_before;
    let mut judged = Vec::new();
    for (a, b, x) in answers {
        if *x != Answer::Unsure {
            judged.push((f64::from(linker.score_pair_under(&model, *a, *b)?.weight), *x == Answer::Same));
        }
    }
    let current = weight_of_probability(threshold_before);
    if let Some(w) = separating_weight(&judged, current) {
        threshold_after = threshold_of_weight(w);
        model.settings.cluster.threshold = threshold_after;
    }
    Ok(Retrained {
        model,
        same: same.len(),
        different: count(Answer::Different),
        unsure: count(Answer::Unsure),
        threshold_before,
        threshold_after,
    })
}

/// The cluster threshold for a weight (kept off 0 and 1, so that some pairs can still link or
/// stay apart).
pub fn threshold_of_weight(weight: f64) -> f64 {
    probability(weight).clamp(1e-6, 1.0 - 1e-6)
}

/// The match weight of a probability (the inverse of [`probability`]).
pub fn weight_of_probability(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// Why a pair is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Its match probability is near 0.5 ([`next_pairs`]).
    Uncertain,
    /// It is at or above the threshold, but clustering refused to merge the two records' clusters
    /// (a conflicting pair, too few links between them, or the size limit).
    MergeRefused,
    /// It is below the threshold, but its records are in one cluster through others.
    JoinedThroughOthers,
}

impl Question {
    /// As written in the `question` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Question::Uncertain => "uncertain pair",
            Question::MergeRefused => "merge refused",
            Question::JoinedThroughOthers => "joined through others",
        }
    }
}

/// The cluster merges the engine is unsure of, as pairs to ask about: pairs at or above
/// `threshold` whose records clustering kept apart (the most probable first, one per two
/// clusters), and pairs below it whose records are in one cluster through others (the least
/// probable first, one per cluster), taken in turn, `k` in all. Pairs in `answered` are left out;
/// ties go to the smaller record numbers. `clusters` has a cluster number per record.
pub fn uncertain_merges(
    scored: &[ScoredPair],
    clusters: &[u32],
    threshold: f64,
    answered: &HashSet<(u32, u32)>,
    k: usize,
) -> Vec<(usize, Question)> {
    let cluster_of = |r: u32| clusters.get(r as usize).copied();
    let open = |p: &ScoredPair| p.weight.is_finite() && !answered.contains(&(p.a.min(p.b), p.a.max(p.b)));
    let records = |i: usize| (scored[i].a.min(scored[i].b), scored[i].a.max(scored[i].b));
    let mut refused: Vec<usize> = Vec::new();
    let mut joined: Vec<usize> = Vec::new();
    for (i, p) in scored.iter().enumerate() {
        let (Some(ca), Some(cb)) = (cluster_of(p.a), cluster_of(p.b)) else { continue };
        if !open(p) || p.a == p.b {
            continue;
        }
        if ca != cb && p.probability() >= threshold {
            refused.push(i);
        } else if ca == cb && p.probability() < threshold {
            joined.push(i);
        }
    }
    refused.sort_by(|&x, &y| scored[y].weight.total_cmp(&scored[x].weight).then(records(x).cmp(&records(y))));
    joined.sort_by(|&x, &y| scored[x].weight.total_cmp(&scored[y].weight).then(records(x).cmp(&records(y))));
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    refused.retain(|&i| {
        let (Some(ca), Some(cb)) = (cluster_of(scored[i].a), cluster_of(scored[i].b)) else { return false };
        seen.insert((ca.min(cb), ca.max(cb)))
    });
    let mut seen: HashSet<u32> = HashSet::new();
    joined.retain(|&i| cluster_of(scored[i].a).is_some_and(|c| seen.insert(c)));
    let mut out = Vec::new();
    let (mut r, mut j) = (refused.into_iter(), joined.into_iter());
    while out.len() < k {
        let before = out.len();
        if let Some(i) = r.next() {
            out.push((i, Question::MergeRefused));
        }
        if out.len() < k
            && let Some(i) = j.next()
        {
            out.push((i, Question::JoinedThroughOthers));
        }
        if out.len() == before {
            break;
        }
    }
    out
}
