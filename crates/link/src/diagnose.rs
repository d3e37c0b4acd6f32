//! Checks of a model's parameters for the classic failures of unsupervised training, and the safe
//! defaults that replace what failed.
//!
//! Expectation-maximisation finds *some* two groups of pairs; when another split explains the
//! candidate pairs better than "same person or not" (for example "same name or not" on data with
//! many namesakes), it learns that split. The symptoms checked here:
//!
//! - the share of candidate pairs taken as matches is implausibly high ([`ModelWarning::MatchShareTooHigh`]);
//! - m below u on the best level, or far below it on a partial agreement ([`ModelWarning::MBelowU`]);
//! - among matches, the worst level more likely than the best ([`ModelWarning::AgreementRarerThanDisagreement`]);
//! - m the same on every level: the constraint had to pool them all, so the matches found do not
//!   agree on the field more than on its worst level ([`ModelWarning::MNotSeparated`]);
//! - u the same on every level: nothing was learnt about non-matches ([`ModelWarning::UIdentical`]);
//! - one field carrying (almost) all the weight ([`ModelWarning::DominantField`]).

use serde::{Deserialize, Serialize};

use crate::model::{LinkageModel, ModelSettings, Parameters};
use crate::train::TrainingSettings;

/// What was done about a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// Nothing: the value was kept (fallbacks turned off, or a model checked after the fact).
    Kept,
    /// The field's m was replaced by the mean of its prior (`training.m_prior`, else the default
    /// of its comparison kind).
    PriorM,
    /// The field's m was set equal to its u: the field weighs nothing.
    NoWeight,
    /// The m of every trained field was replaced by the mean of its prior and lambda estimated
    /// again.
    PriorMAllFields,
    /// The match share was capped at the largest plausible value.
    LambdaCapped,
}

/// A warning about a model: what looks wrong, with the numbers, and what was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelWarning {
    /// The share of candidate pairs the model takes as matches is near 1 or implausibly high.
    MatchShareTooHigh {
        /// Expected share of matches among the candidate pairs.
        share: f64,
        /// Expected matching pairs per record (when the records are known).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matches_per_record: Option<f64>,
        fallback: Fallback,
    },
    /// m is below u on the best level (agreeing there would count against a match), or below a
    /// quarter of u on a partial agreement (a level between the best and the worst).
    MBelowU { field: String, level: String, m: f64, u: f64, fallback: Fallback },
    /// Among matches, the worst level is more likely than the best: the model learnt that the same
    /// person usually disagrees on this field.
    AgreementRarerThanDisagreement { field: String, m_best: f64, m_worst: f64, fallback: Fallback },
    /// m is the same on every level: the pairs taken as matches agree on this field no more than
    /// on its worst level.
    MNotSeparated { field: String, fallback: Fallback },
    /// u is the same on every level: the random pairs told nothing about the field (no values?).
    UIdentical { field: String, fallback: Fallback },
    /// One field carries (almost) all the weight.
    DominantField {
        field: String,
        /// Its weight range (best level minus worst level, in bits) as a share of the sum over
        /// all fields.
        share: f64,
        fallback: Fallback,
    },
}

impl ModelWarning {
    /// The field the warning is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ModelWarning::MatchShareTooHigh { .. } => None,
            ModelWarning::MBelowU { field, .. }
            | ModelWarning::AgreementRarerThanDisagreement { field, .. }
            | ModelWarning::MNotSeparated { field, .. }
            | ModelWarning::UIdentical { field, .. }
            | ModelWarning::DominantField { field, .. } => Some(field),
        }
    }

    /// What was done about it.
    pub fn fallback(&self) -> Fallback {
        match self {
            ModelWarning::MatchShareTooHigh { fallback, .. }
            | ModelWarning::MBelowU { fallback, .. }
            | ModelWarning::AgreementRarerThanDisagreement { fallback, .. }
            | ModelWarning::MNotSeparated { fallback, .. }
            | ModelWarning::UIdentical { fallback, .. }
            | ModelWarning::DominantField { fallback, .. } => *fallback,
        }
    }

    fn set_fallback(&mut self, to: Fallback) {
        match self {
            ModelWarning::MatchShareTooHigh { fallback, .. }
            | ModelWarning::MBelowU { fallback, .. }
            | ModelWarning::AgreementRarerThanDisagreement { fallback, .. }
            | ModelWarning::MNotSeparated { fallback, .. }
            | ModelWarning::UIdentical { fallback, .. }
            | ModelWarning::DominantField { fallback, .. } => *fallback = to,
        }
    }

    /// One English sentence for the command line and the report: the problem and what was done.
    pub fn message(&self) -> String {
        let problem = match self {
            ModelWarning::MatchShareTooHigh { share, matches_per_record: Some(per_record), .. } => format!(
                "the model takes {:.1}% of the candidate pairs as matches ({per_record:.2} matching pairs per record), which is implausible: it has probably learnt something other than \"same person\"",
                100.0 * share
            ),
            ModelWarning::MatchShareTooHigh { share, matches_per_record: None, .. } => format!(
                "the model gives two records drawn at random a match probability of {share:.3}, which is implausible"
            ),
            ModelWarning::MBelowU { field, level, m, u, .. } => format!(
                "field {field:?}, level \"{level}\": m ({m:.4}) is below u ({u:.4}), so agreeing there counts against a match"
            ),
            ModelWarning::AgreementRarerThanDisagreement { field, m_best, m_worst, .. } => format!(
                "field {field:?}: among matches the worst level (m {m_worst:.4}) is more likely than the best (m {m_best:.4}), so the model learnt that the same person usually disagrees on it"
            ),
            ModelWarning::MNotSeparated { field, .. } => format!(
                "field {field:?}: m is the same on every level, so the pairs taken as matches agree on it no more than they disagree"
            ),
            ModelWarning::UIdentical { field, .. } => {
                format!(
                    "field {field:?}: u is the same on every level, so the random pairs told nothing about it (has it values?)"
                )
            }
            ModelWarning::DominantField { field, share, .. } => format!(
                "field {field:?} carries {:.0}% of the weight of all fields: one field decides almost alone",
                100.0 * share
            ),
        };
        let done = match self.fallback() {
            Fallback::Kept => "kept as it is".to_string(),
            Fallback::PriorM => "its m was replaced by its prior's mean".to_string(),
            Fallback::NoWeight => "m was set equal to u, so the field weighs nothing".to_string(),
            Fallback::PriorMAllFields => {
                "the m of every trained field was replaced by its prior's mean and lambda estimated again".to_string()
            }
            Fallback::LambdaCapped => "the match share was capped at the largest plausible value".to_string(),
        };
        format!("{problem}; {done}.")
    }
}

/// A partial agreement warns when its m is below its u divided by this (a weight below -2 bits).
pub const PARTIAL_AGREEMENT_FACTOR: f64 = 4.0;

/// m and u closer than this (relatively) count as the same.
const SAME: f64 = 1e-6;

fn all_same(v: &[f64]) -> bool {
    match (v.iter().copied().reduce(f64::min), v.iter().copied().reduce(f64::max)) {
        (Some(lo), Some(hi)) => v.len() > 1 && hi - lo <= SAME * hi.abs().max(f64::MIN_POSITIVE),
        _ => false,
    }
}

/// Checks of each field's m and u (everything but the match share), in field order. `no_values`
/// marks the fields that have no value in the data (when known). Every warning says
/// [`Fallback::Kept`]; [`fall_back`] applies the safe defaults.
///
/// u the same on every level is checked on fields of three levels or more, and on fields without
/// values: two levels may rightly be as common as each other among random pairs (sex).
pub fn check_fields(
    settings: &ModelSettings,
    m: &[Vec<f64>],
    u: &[Vec<f64>],
    training: &TrainingSettings,
    no_values: &[bool],
) -> Vec<ModelWarning> {
    let mut out = Vec::new();
    let kept = Fallback::Kept;
    for (f, ((fs, mf), uf)) in settings.fields.iter().zip(m).zip(u).enumerate() {
        let field = fs.name.clone();
        let labels = fs.comparison.level_labels();
        if no_values.get(f).copied().unwrap_or(false) || (uf.len() >= 3 && all_same(uf)) {
            out.push(ModelWarning::UIdentical { field, fallback: kept });
            continue;
        }
        if all_same(mf) {
            out.push(ModelWarning::MNotSeparated { field: field.clone(), fallback: kept });
        } else if let (Some(best), Some(worst)) = (mf.first(), mf.last())
            && worst > best
        {
            out.push(ModelWarning::AgreementRarerThanDisagreement {
                field: field.clone(),
                m_best: *best,
                m_worst: *worst,
                fallback: kept,
            });
        }
        // the best level below u; a partial agreement (a level between the best and the worst)
        // only when it weighs less than -2 bits, since a weak similarity that random pairs often
        // reach (street numbers one edit apart) may rightly count a little against a match
        let last = mf.len().saturating_sub(1);
        for (l, (mv, uv)) in mf.iter().zip(uf).enumerate().take(last) {
            let limit = if l == 0 { *uv } else { uv / PARTIAL_AGREEMENT_FACTOR };
            if *mv < limit {
                let level = labels.get(l).cloned().unwrap_or_else(|| format!("level {l}"));
                out.push(ModelWarning::MBelowU { field: field.clone(), level, m: *mv, u: *uv, fallback: kept });
                break;
            }
        }
    }
    // weight range per field
    if settings.fields.len() >= 3 {
        let range = |mf: &[f64], uf: &[f64]| -> f64 {
            let w: Vec<f64> = mf.iter().zip(uf).map(|(a, b)| (a.max(1e-300) / b.max(1e-300)).log2()).collect();
            match (w.iter().copied().reduce(f64::max), w.iter().copied().reduce(f64::min)) {
                (Some(hi), Some(lo)) if hi.is_finite() && lo.is_finite() => hi - lo,
                _ => 0.0,
            }
        };
        let ranges: Vec<f64> = m.iter().zip(u).map(|(a, b)| range(a, b)).collect();
        let total: f64 = ranges.iter().sum();
        if total > 0.0 {
            for (fs, r) in settings.fields.iter().zip(&ranges) {
                let share = r / total;
                if share > training.max_field_weight_share {
                    out.push(ModelWarning::DominantField { field: fs.name.clone(), share, fallback: kept });
                }
            }
        }
    }
    out
}

/// Applies the safe default of each field warning to `m` (when `training.fallback`): a field
/// whose u is the same on every level weighs nothing (m = u); any other failed field takes its
/// prior's mean, except for m far below u on a partial agreement, which is only reported. Returns
/// the warnings saying what was done.
pub fn fall_back(
    settings: &ModelSettings,
    warnings: Vec<ModelWarning>,
    m: &mut [Vec<f64>],
    u: &[Vec<f64>],
    training: &TrainingSettings,
) -> Vec<ModelWarning> {
    if !training.fallback {
        return warnings;
    }
    let mut done: Vec<Option<Fallback>> = vec![None; settings.fields.len()];
    warnings
        .into_iter()
        .map(|mut w| {
            let Some(f) = w.field().and_then(|name| settings.field_index(name)) else {
                return w;
            };
            let fs = &settings.fields[f];
            let partial = matches!(&w, ModelWarning::MBelowU { level, .. }
                if fs.comparison.level_labels().first() != Some(level));
            let action = match (&w, done[f]) {
                // a partial agreement far below u may be the data's truth (true matches never
                // two edits apart): reported, not replaced
                _ if partial => Fallback::Kept,
                (_, Some(previous)) => previous,
                (ModelWarning::UIdentical { .. }, None) => {
                    if let (Some(mf), Some(uf)) = (m.get_mut(f), u.get(f)) {
                        mf.clone_from(uf);
                    }
                    Fallback::NoWeight
                }
                (_, None) => {
                    if let Some(mf) = m.get_mut(f) {
                        *mf = training.m_prior_of(&fs.name, &fs.comparison);
                    }
                    Fallback::PriorM
                }
            };
            if !partial {
                done[f] = Some(action);
            }
            w.set_fallback(action);
            w
        })
        .collect()
}

/// Checks a model as it is (trained, hand-set or corrected by hand), without changing it: the
/// field checks, and a match probability of two random records (lambda) of 0.5 or more. The
/// training's own warnings (kept in the parameters) are not repeated.
pub fn check(settings: &ModelSettings, parameters: &Parameters) -> Vec<ModelWarning> {
    let m: Vec<Vec<f64>> = parameters.fields.iter().map(|f| f.m.clone()).collect();
    let u: Vec<Vec<f64>> = parameters.fields.iter().map(|f| f.u.clone()).collect();
    let mut out = Vec::new();
    if parameters.lambda >= 0.5 {
        out.push(ModelWarning::MatchShareTooHigh {
            share: parameters.lambda,
            matches_per_record: None,
            fallback: Fallback::Kept,
        });
    }
    out.extend(check_fields(settings, &m, &u, &settings.training, &[]));
    out
}

/// The warnings to show with a model: those its training found (kept in its parameters), or, for
/// a model without them (hand-set, or trained before the checks existed), what [`check`] finds
/// now. None for an untrained model.
pub fn warnings_of(model: &LinkageModel) -> Vec<ModelWarning> {
    match &model.parameters {
        Some(p) if !p.warnings.is_empty() => p.warnings.clone(),
        Some(p) => check(&model.settings, p),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sameness_is_relative() {
        assert!(all_same(&[0.25, 0.25, 0.25, 0.25]));
        assert!(all_same(&[1e-5, 1e-5]));
        assert!(!all_same(&[1e-5, 2e-5]));
        assert!(!all_same(&[0.5]));
        assert!(!all_same(&[]));
    }
}
