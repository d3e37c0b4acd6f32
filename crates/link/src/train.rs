//! Unsupervised training: u from random pairs, m by expectation-maximisation over the counts of
//! distinct comparison patterns (not over every pair), lambda from the candidate pairs.
//! Also training from labelled pairs.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use crate::blocking::allowed;
use crate::compare::MISSING;
use crate::data::{Column, Dataset};
use crate::model::LinkType;
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
    let total: u64 = counts.iter().sum();
    let t = total.max(1) as f64 + 0.5 * counts.len() as f64;
    counts.iter().map(|c| (*c as f64 + 0.5) / t).collect()
}

/// Estimates u (level probabilities among non-matches) from `n_pairs` random pairs.
pub fn estimate_u(comparer: &Comparer, data: &Dataset, link_type: LinkType, n_pairs: u64, seed: u64) -> Vec<Vec<f64>> {
    estimate_u_by(comparer, data, link_type, n_pairs, seed, |a, b| {
        comparer.pattern(|f| data.value(f, a), |f| data.value(f, b))
    })
}

/// [`estimate_u`] with the comparison pattern of two records given by `pattern`.
pub(crate) fn estimate_u_by(
    comparer: &Comparer,
    data: &Dataset,
    link_type: LinkType,
    n_pairs: u64,
    seed: u64,
    pattern: impl Fn(usize, usize) -> Pattern + Sync,
) -> Vec<Vec<f64>> {
    let nf = comparer.comparisons.len();
    let levels: Vec<usize> = comparer.comparisons.iter().map(|c| c.level_count()).collect();
    let n = data.len() as u64;
    let empty = || levels.iter().map(|l| vec![0u64; *l]).collect::<Vec<_>>();
    if n < 2 || total_pairs(data, link_type) < 1.0 {
        return empty().iter().map(|c| smooth(c)).collect();
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
    let sampled: Vec<Vec<f64>> = counts.iter().map(|c| smooth(c)).collect();
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
pub fn expectation_maximisation(
    counts: &[(Pattern, u64)],
    u: &[Vec<f64>],
    estimate: &[bool],
    m_start: &[Vec<f64>],
    max_iterations: u32,
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
            for (l, x) in af.iter().enumerate() {
                // a little smoothing keeps every level possible
                let v = (x + 1e-3) / (s + 1e-3 * k);
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
        let r = expectation_maximisation(&counts, &u_true, &[true; 4], &m0, 500);
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
