//! Unsupervised training: u from random pairs, m by expectation-maximisation over the counts of
//! distinct comparison patterns (not over every pair), lambda from the candidate pairs.
//! Also training from labelled pairs.
//!
//! Training is constrained so that it cannot learn a different notion of "match" (the classic
//! collapse to "same name = same person"): at every field m is non-increasing and u
//! non-decreasing from the best level to the worst, and m and u have Dirichlet priors (MAP
//! estimates). See [`TrainingSettings`].

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use crate::blocking::allowed;
use crate::compare::{Comparison, MISSING};
use crate::data::{Column, Dataset};
use crate::error::{LinkError, Result};
use crate::model::{FieldSettings, LinkType};
use crate::score::{Comparer, Pattern, level_of};

/// A small, fast, seedable random generator (SplitMix64); runs are reproducible from the seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// How training is constrained, and when its result is distrusted: the `[training]` table of the
/// settings. Every key has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSettings {
    /// Keep m non-increasing and u non-decreasing from the best level of a field to the worst
    /// (an isotonic projection after each step of expectation-maximisation).
    #[serde(default = "default_true")]
    pub monotone: bool,
    /// Weight of the prior on each field's m, in pseudo-matches: the prior counts as this many
    /// matching pairs that fall on the levels in the proportions of the prior's mean. 0 turns it
    /// off.
    #[serde(default = "default_m_prior_strength")]
    pub m_prior_strength: f64,
    /// Mean of the prior on m, by field name, one value per level (best first). A field not named
    /// here has the default of its comparison kind ([`default_m_prior`]).
    #[serde(default)]
    pub m_prior: BTreeMap<String, Vec<f64>>,
    /// Prior on u: pseudo-pairs added to each level's count among the random pairs.
    #[serde(default = "default_u_prior_pairs")]
    pub u_prior_pairs: f64,
    /// A share of the candidate pairs above this taken as matches is implausible, when there are
    /// at least as many candidate pairs as records (tighter blocking, on a document number say,
    /// may rightly find almost only matches).
    #[serde(default = "default_max_match_share")]
    pub max_match_share: f64,
    /// More expected matching pairs than this per record is implausible.
    #[serde(default = "default_max_matches_per_record")]
    pub max_matches_per_record: f64,
    /// One field whose weight range (best level's weight minus the worst's) is more than this
    /// share of the sum over all fields carries (almost) all the weight. Checked with three or
    /// more fields.
    #[serde(default = "default_max_field_weight_share")]
    pub max_field_weight_share: f64,
    /// When a check fails, replace what failed by its safe default (true), or only warn.
    #[serde(default = "default_true")]
    pub fallback: bool,
}

fn default_true() -> bool {
    true
}
fn default_m_prior_strength() -> f64 {
    200.0
}
fn default_u_prior_pairs() -> f64 {
    0.5
}
fn default_max_match_share() -> f64 {
    0.95
}
fn default_max_matches_per_record() -> f64 {
    3.0
}
fn default_max_field_weight_share() -> f64 {
    0.75
}

impl Default for TrainingSettings {
    fn default() -> Self {
        TrainingSettings {
            monotone: true,
            m_prior_strength: default_m_prior_strength(),
            m_prior: BTreeMap::new(),
            u_prior_pairs: default_u_prior_pairs(),
            max_match_share: default_max_match_share(),
            max_matches_per_record: default_max_matches_per_record(),
            max_field_weight_share: default_max_field_weight_share(),
            fallback: true,
        }
    }
}

impl TrainingSettings {
    /// True when every key has its default (the table is then left out of a saved model).
    pub fn is_default(&self) -> bool {
        *self == TrainingSettings::default()
    }

    /// Checks the values against the fields.
    pub fn validate(&self, fields: &[FieldSettings]) -> Result<()> {
        let bad = |m: String| Err(LinkError::InvalidSettings(format!("training.{m}")));
        let finite_nonneg = |x: f64| x.is_finite() && x >= 0.0;
        if !finite_nonneg(self.m_prior_strength) {
            return bad("m_prior_strength must be 0 or more".into());
        }
        if !finite_nonneg(self.u_prior_pairs) {
            return bad("u_prior_pairs must be 0 or more".into());
        }
        if !finite_nonneg(self.max_matches_per_record) {
            return bad("max_matches_per_record must be 0 or more".into());
        }
        for (name, x) in
            [("max_match_share", self.max_match_share), ("max_field_weight_share", self.max_field_weight_share)]
        {
            if !(0.0..=1.0).contains(&x) {
                return bad(format!("{name} must lie between 0 and 1"));
            }
        }
        for (name, prior) in &self.m_prior {
            let Some(field) = fields.iter().find(|f| &f.name == name) else {
                return bad(format!("m_prior names {name:?}, which is not a field"));
            };
            let levels = field.comparison.level_count();
            if prior.len() != levels || prior.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                return bad(format!("m_prior of {name:?} needs {levels} positive values, one per level"));
            }
            let sum: f64 = prior.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                return bad(format!("m_prior of {name:?} must sum to 1 (it sums to {sum})"));
            }
            if self.monotone && prior.windows(2).any(|w| w[1] > w[0]) {
                return bad(format!("m_prior of {name:?} must not increase from the best level to the worst"));
            }
        }
        Ok(())
    }

    /// The prior mean of m of a field.
    pub fn m_prior_of(&self, name: &str, comparison: &Comparison) -> Vec<f64> {
        match self.m_prior.get(name) {
            Some(p) if p.len() == comparison.level_count() => p.clone(),
            _ => default_m_prior(comparison),
        }
    }
}

/// The default prior mean of m for a comparison kind, which is also the safe default a field
/// falls back to: a share of the matches on the best level (names 0.82, dates 0.86, text 0.80,
/// codes 0.85, exact 0.92), the rest spread over the other levels, each 0.8 times the one before.
/// It never increases from the best level to the worst.
pub fn default_m_prior(comparison: &Comparison) -> Vec<f64> {
    let best = match comparison {
        Comparison::Name { .. } => 0.82,
        Comparison::Date => 0.86,
        Comparison::Text { .. } => 0.80,
        Comparison::Code { .. } => 0.85,
        Comparison::Exact => 0.92,
    };
    let levels = comparison.level_count();
    if levels <= 1 {
        return vec![1.0; levels];
    }
    let rest: Vec<f64> = (0..levels - 1).map(|l| 0.8f64.powi(l as i32)).collect();
    let s: f64 = rest.iter().sum();
    let mut out = vec![best];
    out.extend(rest.iter().map(|x| x / s * (1.0 - best)));
    out
}

/// Pool-adjacent-violators: the closest non-increasing sequence in weighted least squares
/// (`weights`, one per value, positive; missing weights count 1). A pooled block takes the
/// weighted mean of its values.
pub fn non_increasing_weighted(values: &[f64], weights: &[f64]) -> Vec<f64> {
    // blocks of (weighted sum, weight, count)
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let w = weights.get(i).copied().filter(|w| *w > 0.0 && w.is_finite()).unwrap_or(1.0);
        blocks.push((v * w, w, 1));
        while blocks.len() >= 2 {
            let (s1, w1, n1) = blocks[blocks.len() - 1];
            let (s0, w0, n0) = blocks[blocks.len() - 2];
            if s0 / w0 >= s1 / w1 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (s0 + s1, w0 + w1, n0 + n1);
            }
        }
    }
    blocks.into_iter().flat_map(|(s, w, n)| std::iter::repeat_n(s / w, n)).collect()
}

/// [`non_increasing_weighted`] with equal weights: pooling averages, so the sum is kept; applied
/// to a probability vector it gives the maximum-likelihood multinomial under the order constraint.
pub fn non_increasing(values: &[f64]) -> Vec<f64> {
    non_increasing_weighted(values, &[])
}

/// The closest non-decreasing sequence (see [`non_increasing_weighted`]).
pub fn non_decreasing_weighted(values: &[f64], weights: &[f64]) -> Vec<f64> {
    let rev: Vec<f64> = values.iter().rev().copied().collect();
    let rev_w: Vec<f64> = weights.iter().rev().copied().collect();
    let mut out = non_increasing_weighted(&rev, &rev_w);
    out.reverse();
    out
}

/// [`non_decreasing_weighted`] with equal weights.
pub fn non_decreasing(values: &[f64]) -> Vec<f64> {
    non_decreasing_weighted(values, &[])
}

/// Scales a vector of non-negative values to sum to 1 (unchanged when it sums to 0).
fn normalised(v: Vec<f64>) -> Vec<f64> {
    let s: f64 = v.iter().sum();
    if s > 0.0 { v.into_iter().map(|x| x / s).collect() } else { v }
}

/// u under the settings' constraint: non-decreasing from the best level to the worst. The levels
/// are pooled with their counts as weights and the result scaled to sum to 1: a level holding
/// many pairs keeps its value and the few pairs of a level out of order are lifted to it (pooling
/// with equal weights, the exact maximum of the likelihood, lowered the large levels and lost two
/// true pairs of FEBRL3 at the cluster threshold).
pub fn constrain_u(u: Vec<Vec<f64>>, settings: &TrainingSettings) -> Vec<Vec<f64>> {
    if !settings.monotone {
        return u;
    }
    // a level's weight is its count among the random pairs, which is proportional to its u
    u.into_iter().map(|v| normalised(non_decreasing_weighted(&v, &v))).collect()
}

/// m under the settings' constraint: non-increasing from the best level to the worst (see
/// [`constrain_u`]).
pub fn constrain_m(m: Vec<f64>, settings: &TrainingSettings) -> Vec<f64> {
    if settings.monotone { normalised(non_increasing_weighted(&m, &m)) } else { m }
}

/// The prior of an EM run: mean of m per field and its strength in pseudo-matches, and whether
/// m is kept non-increasing.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    pub m_mean: Vec<Vec<f64>>,
    pub strength: f64,
    pub monotone: bool,
}

impl Prior {
    /// No prior and no constraint: plain maximum likelihood.
    pub fn none(levels: &[usize]) -> Prior {
        Prior { m_mean: levels.iter().map(|l| vec![0.0; *l]).collect(), strength: 0.0, monotone: false }
    }
}

/// The distinct texts of a column's values: for each value the number of its text (values with
/// the same text share one), and the texts in that numbering.
fn texts(col: &Column) -> (Vec<u32>, Vec<&str>) {
    let mut number: HashMap<&str, u32> = HashMap::default();
    let mut texts = Vec::new();
    let of_value = col
        .values
        .iter()
        .map(|v| {
            *number.entry(&v.text).or_insert_with(|| {
                texts.push(&*v.text);
                (texts.len() - 1) as u32
            })
        })
        .collect();
    (of_value, texts)
}

/// How many records have each text of a column (numbered as by [`texts`]), and how many have a
/// value at all.
fn text_counts(col: &Column, of_value: &[u32], n_texts: usize) -> (Vec<u64>, u64) {
    let mut counts = vec![0u64; n_texts];
    let mut total = 0u64;
    for i in &col.index {
        if let Some(t) = of_value.get(*i as usize) {
            counts[*t as usize] += 1;
            total += 1;
        }
    }
    (counts, total)
}

/// Relative frequencies of the values of `field`: the `keep` most common values seen at least
/// twice, and the frequency of a value seen once (for everything else).
pub fn term_frequencies(data: &Dataset, field: usize, keep: usize) -> (BTreeMap<String, f64>, f64) {
    let Some(col) = data.columns.get(field) else {
        return (BTreeMap::new(), 1.0);
    };
    let (of_value, texts) = texts(col);
    let (counts, total) = text_counts(col, &of_value, texts.len());
    if total == 0 {
        return (BTreeMap::new(), 1.0);
    }
    let mut v: Vec<(&str, u64)> = texts.into_iter().zip(counts).filter(|(_, c)| *c >= 2).collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.truncate(keep);
    let t = total as f64;
    (v.into_iter().map(|(k, c)| (k.to_string(), c as f64 / t)).collect(), 1.0 / t)
}

/// Number of pairs the link type allows among all records.
pub fn total_pairs(data: &Dataset, link_type: LinkType) -> f64 {
    let n = data.len() as f64;
    match link_type {
        LinkType::Dedupe | LinkType::LinkAndDedupe => n * (n - 1.0) / 2.0,
        LinkType::Link => {
            let mut per: HashMap<u16, f64> = HashMap::default();
            for s in &data.sources {
                *per.entry(*s).or_default() += 1.0;
            }
            let sum: f64 = per.values().sum();
            let sq: f64 = per.values().map(|x| x * x).sum();
            (sum * sum - sq) / 2.0
        }
    }
}

fn smooth(counts: &[u64]) -> Vec<f64> {
    smooth_with(counts, 0.5)
}

/// Proportions with `pseudo` added to every count (the mean of the posterior under a flat
/// Dirichlet prior). With nothing counted and no pseudo-counts, equal shares.
fn smooth_with(counts: &[u64], pseudo: f64) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    let t = total as f64 + pseudo * counts.len() as f64;
    if t <= 0.0 {
        return vec![1.0 / counts.len().max(1) as f64; counts.len()];
    }
    counts.iter().map(|c| (*c as f64 + pseudo) / t).collect()
}

/// Estimates u (level probabilities among non-matches) from `n_pairs` random pairs.
pub fn estimate_u(comparer: &Comparer, data: &Dataset, link_type: LinkType, n_pairs: u64, seed: u64) -> Vec<Vec<f64>> {
    estimate_u_by(comparer, data, link_type, n_pairs, seed, 0.5, |a, b| {
        comparer.pattern(|f| data.value(f, a), |f| data.value(f, b))
    })
}

/// [`estimate_u`] with the comparison pattern of two records given by `pattern`, and
/// `prior_pairs` pseudo-pairs added to the count of each level.
pub(crate) fn estimate_u_by(
    comparer: &Comparer,
    data: &Dataset,
    link_type: LinkType,
    n_pairs: u64,
    seed: u64,
    prior_pairs: f64,
    pattern: impl Fn(usize, usize) -> Pattern + Sync,
) -> Vec<Vec<f64>> {
    let nf = comparer.comparisons.len();
    let levels: Vec<usize> = comparer.comparisons.iter().map(|c| c.level_count()).collect();
    let n = data.len() as u64;
    let empty = || levels.iter().map(|l| vec![0u64; *l]).collect::<Vec<_>>();
    if n < 2 || total_pairs(data, link_type) < 1.0 {
        return empty().iter().map(|c| smooth_with(c, prior_pairs)).collect();
    }
    let chunks = 64u64;
    let per_chunk = n_pairs.div_ceil(chunks);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = SplitMix64(seed ^ (c.wrapping_mul(0xA24B_AED4_963E_E407)));
            let mut counts = empty();
            let mut done = 0u64;
            let mut tries = 0u64;
            while done < per_chunk && tries < per_chunk * 20 {
                tries += 1;
                let a = rng.below(n) as usize;
                let b = rng.below(n) as usize;
                if a == b || !allowed(link_type, data.sources[a], data.sources[b]) {
                    continue;
                }
                done += 1;
                let p = pattern(a, b);
                for (f, cf) in counts.iter_mut().enumerate().take(nf) {
                    let l = level_of(p, f);
                    if l != MISSING
                        && let Some(x) = cf.get_mut(usize::from(l))
                    {
                        *x += 1;
                    }
                }
            }
            counts
        })
        .reduce(empty, |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                for (p, q) in x.iter_mut().zip(y) {
                    *p += q;
                }
            }
            a
        });
    let sampled: Vec<Vec<f64>> = counts.iter().map(|c| smooth_with(c, prior_pairs)).collect();
    // The exact level is rare among random pairs, so sampling estimates it poorly: take it from
    // the value frequencies instead (sum of squared frequencies, within the allowed pairs), and
    // share the rest among the other levels as sampled.
    sampled
        .into_iter()
        .enumerate()
        .map(|(f, u)| {
            let Some(exact) = exact_agreement(data, f, link_type) else {
                return u;
            };
            let rest: f64 = u.iter().skip(1).sum();
            let mut out = vec![exact.max(1e-9)];
            out.extend(u.iter().skip(1).map(|x| if rest > 0.0 { x / rest * (1.0 - exact) } else { x * (1.0 - exact) }));
            out
        })
        .collect()
}

/// Probability that two records drawn at random (as the link type allows) have the same value of
/// `field`, among pairs where both have one.
pub fn exact_agreement(data: &Dataset, field: usize, link_type: LinkType) -> Option<f64> {
    let col = data.columns.get(field)?;
    let (of_value, texts) = texts(col);
    let (counts, total) = text_counts(col, &of_value, texts.len());
    let n = total as f64;
    if n < 2.0 {
        return None;
    }
    // counts are whole numbers, so these sums are exact in any order
    let pairs = |c: f64| c * (c - 1.0) / 2.0;
    let same_within: f64 = counts.iter().map(|c| pairs(*c as f64)).sum();
    let all_pairs = pairs(n);
    match link_type {
        LinkType::Dedupe | LinkType::LinkAndDedupe => Some(same_within / all_pairs),
        LinkType::Link => {
            let mut per_source: HashMap<(u32, u16), f64> = HashMap::default();
            let mut source_totals: HashMap<u16, f64> = HashMap::default();
            for (i, s) in col.index.iter().zip(&data.sources) {
                if let Some(t) = of_value.get(*i as usize) {
                    *per_source.entry((*t, *s)).or_default() += 1.0;
                    *source_totals.entry(*s).or_default() += 1.0;
                }
            }
            let same_source: f64 = per_source.values().map(|c| pairs(*c)).sum();
            let pairs_within: f64 = source_totals.values().map(|c| pairs(*c)).sum();
            let cross = all_pairs - pairs_within;
            (cross > 0.0).then(|| (same_within - same_source) / cross)
        }
    }
}

/// Counts of distinct (pattern, rule mask) among candidate pairs.
pub fn pattern_counts(items: impl ParallelIterator<Item = (Pattern, u16)>) -> Vec<(Pattern, u16, u64)> {
    let map = items
        .fold(HashMap::default, |mut m: HashMap<(Pattern, u16), u64>, k| {
            *m.entry(k).or_default() += 1;
            m
        })
        .reduce(HashMap::default, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    let mut v: Vec<(Pattern, u16, u64)> = map.into_iter().map(|((p, m), c)| (p, m, c)).collect();
    v.sort_unstable();
    v
}

/// Initial m: most mass on the best level, decreasing.
pub fn initial_m(levels: usize) -> Vec<f64> {
    let w: Vec<f64> = (0..levels).map(|l| 0.25f64.powi(l as i32)).collect();
    let s: f64 = w.iter().sum();
    w.iter().map(|x| x / s).collect()
}

/// Result of one EM session.
#[derive(Debug, Clone, PartialEq)]
pub struct EmResult {
    pub m: Vec<Vec<f64>>,
    pub lambda: f64,
    pub iterations: u32,
}

fn ln_table(p: &[Vec<f64>]) -> Vec<Vec<f64>> {
    p.iter().map(|v| v.iter().map(|x| x.max(1e-12).ln()).collect()).collect()
}

/// Posterior probability of a match for a pattern, from log tables of m and u.
fn posterior(p: Pattern, lambda: f64, ln_m: &[Vec<f64>], ln_u: &[Vec<f64>], estimate: &[bool]) -> f64 {
    let (mut lm, mut lu) = (lambda.ln(), (1.0 - lambda).ln());
    for f in 0..ln_m.len() {
        if !estimate[f] {
            continue;
        }
        let l = level_of(p, f);
        if l == MISSING {
            continue;
        }
        let l = usize::from(l);
        lm += ln_m[f].get(l).copied().unwrap_or(0.0);
        lu += ln_u[f].get(l).copied().unwrap_or(0.0);
    }
    let d = lu - lm;
    if d > 700.0 { 0.0 } else { 1.0 / (1.0 + d.exp()) }
}

/// Expectation-maximisation of m and lambda with u held fixed, over pattern counts. Only fields
/// with `estimate[f]` take part (fields used by the training block are left out, as their
/// agreement is forced by the block).
///
/// Each maximisation step takes the most probable m under `prior` (a Dirichlet prior on each
/// field's m with mean `prior.m_mean[f]`, worth `prior.strength` matching pairs) and, with
/// `prior.monotone`, projects it onto the non-increasing vectors by pooling adjacent violators,
/// each level weighted by its count (expected matching pairs plus pseudo-matches), then scales it
/// to sum to 1 (see [`constrain_u`]).
pub fn expectation_maximisation(
    counts: &[(Pattern, u64)],
    u: &[Vec<f64>],
    estimate: &[bool],
    m_start: &[Vec<f64>],
    max_iterations: u32,
    prior: &Prior,
) -> EmResult {
    let mut m: Vec<Vec<f64>> = m_start.to_vec();
    let mut lambda = 0.3;
    let mut iterations = 0;
    let ln_u = ln_table(u);
    for _ in 0..max_iterations {
        iterations += 1;
        let ln_m = ln_table(&m);
        let mut acc: Vec<Vec<f64>> = m.iter().map(|x| vec![0.0; x.len()]).collect();
        let (mut matches, mut total) = (0.0, 0.0);
        for (p, c) in counts {
            let c = *c as f64;
            let post = posterior(*p, lambda, &ln_m, &ln_u, estimate);
            matches += post * c;
            total += c;
            for (f, af) in acc.iter_mut().enumerate() {
                let l = level_of(*p, f);
                if estimate[f]
                    && l != MISSING
                    && let Some(x) = af.get_mut(usize::from(l))
                {
                    *x += post * c;
                }
            }
        }
        if total == 0.0 {
            break;
        }
        let new_lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (new_lambda - lambda).abs();
        for (f, af) in acc.iter().enumerate() {
            if !estimate[f] {
                continue;
            }
            let s: f64 = af.iter().sum();
            if s <= 0.0 {
                continue;
            }
            let k = af.len() as f64;
            let a = prior.strength;
            let mean = prior.m_mean.get(f);
            // a little smoothing keeps every level possible
            let v: Vec<f64> = af
                .iter()
                .enumerate()
                .map(|(l, x)| {
                    let pseudo = a * mean.and_then(|p| p.get(l)).copied().unwrap_or(0.0);
                    (x + pseudo + 1e-3) / (s + a + 1e-3 * k)
                })
                .collect();
            // a level's weight is its count (expected matching pairs plus pseudo-matches), which
            // is proportional to its value
            let v = if prior.monotone { normalised(non_increasing_weighted(&v, &v)) } else { normalised(v) };
            for (l, v) in v.into_iter().enumerate() {
                change = change.max((v - m[f][l]).abs());
                m[f][l] = v;
            }
        }
        lambda = new_lambda;
        if change < 1e-6 {
            break;
        }
    }
    EmResult { m, lambda, iterations }
}

/// Share of candidate pairs that are matches, given m and u (lambda alone re-estimated).
pub fn match_share(counts: &[(Pattern, u64)], m: &[Vec<f64>], u: &[Vec<f64>], start: f64) -> f64 {
    let all = vec![true; m.len()];
    let (ln_m, ln_u) = (ln_table(m), ln_table(u));
    let mut lambda = start.clamp(1e-9, 0.5);
    for _ in 0..200 {
        let (mut matches, mut total) = (0.0, 0.0);
        for (p, c) in counts {
            let c = *c as f64;
            matches += posterior(*p, lambda, &ln_m, &ln_u, &all) * c;
            total += c;
        }
        if total == 0.0 {
            return lambda;
        }
        let new = (matches / total).clamp(1e-12, 1.0 - 1e-9);
        if (new - lambda).abs() < 1e-9 {
            return new;
        }
        lambda = new;
    }
    lambda
}

/// m estimated from pairs known to be matches (labelled training).
pub fn m_from_labels(patterns: impl Iterator<Item = Pattern>, levels: &[usize]) -> Vec<Vec<f64>> {
    let mut counts: Vec<Vec<u64>> = levels.iter().map(|l| vec![0; *l]).collect();
    for p in patterns {
        for (f, cf) in counts.iter_mut().enumerate() {
            let l = level_of(p, f);
            if l != MISSING
                && let Some(x) = cf.get_mut(usize::from(l))
            {
                *x += 1;
            }
        }
    }
    counts.iter().map(|c| smooth(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simulates pattern counts from known m, u and lambda, and checks that EM recovers m.
    #[test]
    fn em_recovers_known_parameters() {
        let m_true = [vec![0.85, 0.1, 0.05], vec![0.9, 0.1], vec![0.7, 0.2, 0.1], vec![0.95, 0.05]];
        let u_true = [vec![0.01, 0.04, 0.95], vec![0.1, 0.9], vec![0.02, 0.08, 0.9], vec![0.003, 0.997]];
        let lambda_true = 0.05;
        let mut rng = SplitMix64(7);
        let draw = |rng: &mut SplitMix64, probs: &[f64]| -> u64 {
            let x = rng.below(1 << 30) as f64 / (1u64 << 30) as f64;
            let mut acc = 0.0;
            for (i, p) in probs.iter().enumerate() {
                acc += p;
                if x < acc {
                    return i as u64;
                }
            }
            (probs.len() - 1) as u64
        };
        let mut counts: HashMap<Pattern, u64> = HashMap::default();
        for _ in 0..200_000 {
            let is_match = (rng.below(1_000_000) as f64) < lambda_true * 1_000_000.0;
            let mut p: Pattern = 0;
            for f in 0..4 {
                let probs = if is_match { &m_true[f] } else { &u_true[f] };
                p |= draw(&mut rng, probs) << (4 * f);
            }
            *counts.entry(p).or_default() += 1;
        }
        let counts: Vec<(Pattern, u64)> = counts.into_iter().collect();
        let m0: Vec<Vec<f64>> = m_true.iter().map(|x| initial_m(x.len())).collect();
        let levels: Vec<usize> = m_true.iter().map(Vec::len).collect();
        let r = expectation_maximisation(&counts, &u_true, &[true; 4], &m0, 500, &Prior::none(&levels));
        assert!((r.lambda - lambda_true).abs() < 0.005, "lambda {}", r.lambda);
        for (f, mf) in m_true.iter().enumerate() {
            for (l, want) in mf.iter().enumerate() {
                let got = r.m[f][l];
                assert!((got - want).abs() < 0.03, "m[{f}][{l}] = {got} vs {want}");
            }
        }
        let share = match_share(&counts, &r.m, &u_true, 0.1);
        assert!((share - lambda_true).abs() < 0.005);
    }

    #[test]
    fn pooling_fixes_violators_only() {
        let close = |a: Vec<f64>, b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert_eq!(non_increasing(&[0.5, 0.3, 0.2]), vec![0.5, 0.3, 0.2]);
        assert!(close(non_increasing(&[0.6, 0.1, 0.3]), &[0.6, 0.2, 0.2]));
        assert!(close(non_decreasing(&[0.2, 0.1, 0.7]), &[0.15, 0.15, 0.7]));
        // with the values as weights the large level keeps most of its value
        let w = non_increasing_weighted(&[0.6, 0.1, 0.3], &[0.6, 0.1, 0.3]);
        assert!((w[1] - 0.25).abs() < 1e-12 && w[1] == w[2]);
        assert_eq!(non_increasing(&[]), Vec::<f64>::new());
    }

    #[test]
    fn default_priors_fall_from_the_best_level() {
        for c in [
            Comparison::Name { jaro_winkler: vec![0.92, 0.8] },
            Comparison::Name { jaro_winkler: vec![] },
            Comparison::Text { jaro_winkler: vec![0.9] },
            Comparison::Code { edits: vec![1, 2] },
            Comparison::Date,
            Comparison::Exact,
        ] {
            let p = default_m_prior(&c);
            assert_eq!(p.len(), c.level_count());
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{c:?}: {p:?}");
            assert!(p.windows(2).all(|w| w[0] > w[1]), "{c:?}: {p:?}");
        }
    }

    /// Pattern counts drawn at random over `levels`, with missing values.
    fn random_counts(levels: &[usize], seeds: &[u64]) -> Vec<(Pattern, u64)> {
        let mut rng = SplitMix64(seeds.first().copied().unwrap_or(1));
        let mut counts: HashMap<Pattern, u64> = HashMap::default();
        for s in seeds {
            let mut p: Pattern = 0;
            for (f, l) in levels.iter().enumerate() {
                let level = if rng.below(10) == 0 { u64::from(MISSING) } else { rng.below(*l as u64) };
                p |= level << (4 * f);
            }
            *counts.entry(p).or_default() += 1 + s % 1000;
        }
        let mut v: Vec<(Pattern, u64)> = counts.into_iter().collect();
        v.sort_unstable();
        v
    }

    proptest::proptest! {
        #[test]
        fn pooling_gives_an_ordered_vector_of_the_same_weighted_sum(
            v in proptest::collection::vec(0.0f64..1.0, 0..12),
            w in proptest::collection::vec(0.01f64..10.0, 12),
        ) {
            let w = &w[..v.len()];
            let down = non_increasing_weighted(&v, w);
            proptest::prop_assert_eq!(down.len(), v.len());
            proptest::prop_assert!(down.windows(2).all(|x| x[0] >= x[1] - 1e-12));
            let before: f64 = v.iter().zip(w).map(|(a, b)| a * b).sum();
            let after: f64 = down.iter().zip(w).map(|(a, b)| a * b).sum();
            proptest::prop_assert!((before - after).abs() < 1e-9);
            // a projection: doing it again changes nothing
            let again = non_increasing_weighted(&down, w);
            proptest::prop_assert!(again.iter().zip(&down).all(|(a, b)| (a - b).abs() < 1e-12));
            let up = non_decreasing(&v);
            proptest::prop_assert!(up.windows(2).all(|x| x[0] <= x[1] + 1e-12));
        }

        /// Whatever the pattern counts, constrained EM gives every estimated field an m that sums
        /// to 1 and does not increase from the best level to the worst, and constrained u does
        /// not decrease.
        #[test]
        fn constrained_training_is_monotone_for_any_counts(
            levels in proptest::collection::vec(2usize..7, 1..5),
            seeds in proptest::collection::vec(0u64..u64::MAX, 1..300),
            strength in 0.0f64..500.0,
            raw_u in proptest::collection::vec(proptest::collection::vec(0.001f64..1.0, 7), 5),
        ) {
            let settings = TrainingSettings { m_prior_strength: strength, ..TrainingSettings::default() };
            let u: Vec<Vec<f64>> = levels.iter().zip(&raw_u).map(|(l, r)| normalised(r[..*l].to_vec())).collect();
            let u = constrain_u(u, &settings);
            for uf in &u {
                proptest::prop_assert!(uf.windows(2).all(|x| x[0] <= x[1] * (1.0 + 1e-12)), "u {:?}", uf);
                proptest::prop_assert!((uf.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            }
            let counts = random_counts(&levels, &seeds);
            let prior = Prior {
                m_mean: levels.iter().map(|l| default_m_prior(&Comparison::Code { edits: (1..*l as u32 - 1).collect() })).collect(),
                strength,
                monotone: true,
            };
            let estimate: Vec<bool> = (0..levels.len()).map(|f| f != 0 || levels.len() == 1).collect();
            let m0: Vec<Vec<f64>> = levels.iter().map(|l| initial_m(*l)).collect();
            let r = expectation_maximisation(&counts, &u, &estimate, &m0, 50, &prior);
            for (f, mf) in r.m.iter().enumerate() {
                proptest::prop_assert!(mf.windows(2).all(|x| x[0] >= x[1] * (1.0 - 1e-12)), "m[{}] {:?}", f, mf);
                proptest::prop_assert!((mf.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                proptest::prop_assert!(mf.iter().all(|x| *x > 0.0));
                // so m of the best level is at least u of the best level
                proptest::prop_assert!(mf[0] >= u[f][0] - 1e-12, "m {:?} u {:?}", mf, u[f]);
            }
            proptest::prop_assert!(r.lambda > 0.0 && r.lambda < 1.0);
        }
    }

    #[test]
    fn random_generator_is_reproducible_and_in_range() {
        let mut a = SplitMix64(1);
        let mut b = SplitMix64(1);
        for _ in 0..1000 {
            let x = a.below(10);
            assert_eq!(x, b.below(10));
            assert!(x < 10);
        }
    }
}
