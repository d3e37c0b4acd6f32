//! Evaluation against ground truth: pairwise precision, recall and F1 (pairs lost to blocking
//! count as misses), and the error in the number of persons.

use std::collections::HashMap;

use crate::blocking::allowed;
use crate::data::Dataset;
use crate::model::LinkType;

/// Number of true pairs the link type allows.
pub fn true_pair_count(data: &Dataset, link_type: LinkType) -> u64 {
    let mut groups: HashMap<&str, HashMap<u16, u64>> = HashMap::new();
    for (t, s) in data.truth.iter().zip(&data.sources) {
        if let Some(t) = t {
            *groups.entry(t.as_str()).or_default().entry(*s).or_default() += 1;
        }
    }
    groups
        .values()
        .map(|per| {
            let n: u64 = per.values().sum();
            match link_type {
                LinkType::Dedupe | LinkType::LinkAndDedupe => n * n.saturating_sub(1) / 2,
                LinkType::Link => {
                    let sq: u64 = per.values().map(|x| x * x).sum();
                    (n * n - sq) / 2
                }
            }
        })
        .sum()
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Accuracy {
    pub threshold: f64,
    pub true_positives: u64,
    pub false_positives: u64,
    pub false_negatives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Accuracy {
    /// From counts.
    pub fn from_counts(threshold: f64, tp: u64, predicted: u64, truth: u64) -> Accuracy {
        let precision = if predicted == 0 { 1.0 } else { tp as f64 / predicted as f64 };
        let recall = if truth == 0 { 1.0 } else { tp as f64 / truth as f64 };
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Accuracy {
            threshold,
            true_positives: tp,
            false_positives: predicted - tp,
            false_negatives: truth.saturating_sub(tp),
            precision,
            recall,
            f1,
        }
    }
}

fn same(data: &Dataset, a: u32, b: u32) -> bool {
    matches!((data.truth.get(a as usize), data.truth.get(b as usize)), (Some(Some(x)), Some(Some(y))) if x == y)
}

/// Pairwise accuracy at each threshold, for pairs `(a, b, probability)`.
pub fn pairwise(data: &Dataset, link_type: LinkType, pairs: &[(u32, u32, f64)], thresholds: &[f64]) -> Vec<Accuracy> {
    let truth = true_pair_count(data, link_type);
    thresholds
        .iter()
        .map(|t| {
            let (mut tp, mut n) = (0u64, 0u64);
            for (a, b, p) in pairs {
                if *p >= *t {
                    n += 1;
                    if same(data, *a, *b) {
                        tp += 1;
                    }
                }
            }
            Accuracy::from_counts(*t, tp, n, truth)
        })
        .collect()
}

/// Accuracy of clusters: pairs implied by the clusters against true pairs, and persons counted.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ClusterAccuracy {
    pub pairs: Accuracy,
    pub clusters: u64,
    pub true_persons: u64,
    /// (clusters - true persons) / true persons.
    pub person_count_error: f64,
}

/// Evaluates a clustering (cluster number per record).
pub fn clusters(data: &Dataset, link_type: LinkType, clusters: &[u32]) -> ClusterAccuracy {
    let mut by_cluster: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        by_cluster.entry(*c).or_default().push(i);
    }
    let (mut predicted, mut tp) = (0u64, 0u64);
    for members in by_cluster.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if allowed(link_type, data.sources[a], data.sources[b]) {
                    predicted += 1;
                    if same(data, a as u32, b as u32) {
                        tp += 1;
                    }
                }
            }
        }
    }
    let truth = true_pair_count(data, link_type);
    let true_persons = data.truth.iter().flatten().collect::<std::collections::HashSet<_>>().len() as u64;
    let k = by_cluster.len() as u64;
    ClusterAccuracy {
        pairs: Accuracy::from_counts(f64::NAN, tp, predicted, truth),
        clusters: k,
        true_persons,
        person_count_error: if true_persons == 0 {
            0.0
        } else {
            (k as f64 - true_persons as f64) / true_persons as f64
        },
    }
}
