//! The batch engine: blocking, candidate generation, training and scoring over a whole dataset.
//! Each step is a separate call so that callers can time it and report progress.

use rayon::prelude::*;

use crate::blocking::{BlockingCounts, BlockingKeys, BlockingRule, count_candidates, for_each_candidate, upper_bound};
use crate::compare::Value;
use crate::data::{Column, Dataset};
use crate::diagnose::{self, ModelWarning};
use crate::error::{LinkError, Result};
use crate::model::{FieldParameters, LinkageModel, Parameters};
use crate::score::{Comparer, FieldExplanation, Pattern, Scorer, probability};
use crate::train;

/// A compared pair before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub a: u32,
    pub b: u32,
    pub pattern: Pattern,
    /// Bit r set when blocking rule r puts both records in one block.
    pub rules: u16,
}

/// A scored pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    pub pattern: Pattern,
    pub rules: u16,
    /// Match weight (log2 Bayes factor plus prior).
    pub weight: f32,
}

impl ScoredPair {
    /// Match probability.
    pub fn probability(&self) -> f64 {
        probability(f64::from(self.weight))
    }
}

/// What training did, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingSummary {
    pub method: String,
    pub u_pairs: u64,
    pub distinct_patterns: usize,
    /// (rule, iterations, share of matches among the rule's pairs) per EM session.
    pub sessions: Vec<(String, u32, f64)>,
    pub fields_not_estimated: Vec<String>,
    /// The rules whose pairs m was estimated on (the training rules when set).
    pub training_rules: Vec<String>,
    /// What the checks after training found, and what was done (also kept in the parameters).
    pub warnings: Vec<ModelWarning>,
}

/// Estimated share of true matches that blocking finds.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockingRecall {
    /// Per rule: share of the matches found through the other rules that this rule also finds.
    pub per_rule: Vec<Option<f64>>,
    /// Estimated share of all matches found by the OR of the rules, from the key agreements of the
    /// expected matches (see [`crate::blocking::estimate_recall`]), and so the estimated share lost.
    pub estimated_recall: Option<f64>,
    /// The same from `per_rule`, assuming the rules miss independently (optimistic when rules
    /// share fields or errors come together, as with swapped names).
    pub independent_recall: Option<f64>,
    /// The estimate from the key agreements, with the expected matches found and missed.
    pub estimate: crate::blocking::RecallEstimate,
}

/// Scored pairs below this match probability are left out of the blocking-recall estimate.
pub const RECALL_MIN_PROBABILITY: f64 = 0.5;

/// A dataset under a model, ready to block, train and score.
pub struct Linker {
    pub model: LinkageModel,
    pub rules: Vec<BlockingRule>,
    pub data: Dataset,
    keys: BlockingKeys,
    comparer: Comparer,
}

impl Linker {
    /// Validates the model and computes the blocking keys.
    pub fn new(model: LinkageModel, data: Dataset) -> Result<Linker> {
        let rules = model.settings.validate()?;
        let keys = BlockingKeys::compute(&rules, &data);
        let comparer = Comparer::new(&model);
        Ok(Linker { model, rules, data, keys, comparer })
    }

    /// An accessor to the values of record `record` (by field), reading its row.
    #[inline]
    fn values_of<'s>(&'s self, record: usize) -> impl Fn(usize) -> Option<&'s Value> + Copy + 's {
        let rows = &self.keys.rows;
        let columns = &self.data.columns;
        move |f: usize| {
            let i = rows.value(record, f);
            if i == Column::MISSING { None } else { columns.get(f)?.values.get(i as usize) }
        }
    }

    /// Cheap upper bound of the candidate pairs.
    pub fn candidate_upper_bound(&self) -> u64 {
        upper_bound(&self.keys)
    }

    /// Exact count of unique candidate pairs per rule, without comparing.
    pub fn count_candidates(&self) -> BlockingCounts {
        count_candidates(&self.keys, &self.data, self.model.settings.link_type)
    }

    /// Generates and compares all candidate pairs (in parallel). Fails when there would be more
    /// than the model's `max_candidate_pairs`.
    pub fn candidates(&self) -> Result<Vec<Candidate>> {
        let limit = self.model.settings.max_candidate_pairs;
        let bound = self.candidate_upper_bound();
        if bound > limit {
            let exact = self.count_candidates().total;
            if exact > limit {
                return Err(LinkError::TooManyPairs { pairs: exact, limit });
            }
        }
        Ok(for_each_candidate(&self.keys, &self.data, self.model.settings.link_type, |a, b, _r, rules, acc| {
            let pattern = self.comparer.pattern(self.values_of(a as usize), self.values_of(b as usize));
            acc.push(Candidate { a, b, pattern, rules });
        }))
    }

    fn term_frequency_parameters(&self, fp: &mut [FieldParameters]) {
        for (f, fs) in self.model.settings.fields.iter().enumerate() {
            if fs.term_frequency {
                let (tf, rare) = train::term_frequencies(&self.data, f, 20_000);
                fp[f].term_frequencies = tf;
                fp[f].rare_value_frequency = rare;
            }
        }
    }

    /// Unsupervised training: u from random pairs, m by EM per blocking rule over pattern counts,
    /// lambda from the expected matches among candidates. The rules are the settings'
    /// `training_blocking` when given (their pairs are generated here), else the prediction
    /// rules, whose pairs are `candidates`. Training is constrained and checked as the settings'
    /// `training` says; what the checks found is in the parameters' and the summary's warnings.
    pub fn train(&mut self, candidates: &[Candidate]) -> Result<TrainingSummary> {
        let s = &self.model.settings;
        let ts = &s.training;
        let levels: Vec<usize> = s.fields.iter().map(|f| f.comparison.level_count()).collect();
        let u = self.estimate_u();
        let counts = train::pattern_counts(candidates.par_iter().map(|c| (c.pattern, c.rules)));
        let training_rules: Vec<BlockingRule> = BlockingRule::parse_all(&s.training_blocking, s)?;
        let training_counts = if training_rules.is_empty() {
            None
        } else {
            let keys = BlockingKeys::compute(&training_rules, &self.data);
            let limit = s.max_candidate_pairs;
            if upper_bound(&keys) > limit {
                let exact = count_candidates(&keys, &self.data, s.link_type).total;
                if exact > limit {
                    return Err(LinkError::TooManyPairs { pairs: exact, limit });
                }
            }
            let pairs = for_each_candidate(&keys, &self.data, s.link_type, |a, b, _r, rules, acc| {
                acc.push((self.comparer.pattern(self.values_of(a as usize), self.values_of(b as usize)), rules));
            });
            Some(train::pattern_counts(pairs.into_par_iter()))
        };
        let (rules, em_counts) = match &training_counts {
            Some(c) => (&training_rules, c),
            None => (&self.rules, &counts),
        };
        let prior_mean: Vec<Vec<f64>> = s.fields.iter().map(|f| ts.m_prior_of(&f.name, &f.comparison)).collect();
        let prior = train::Prior { m_mean: prior_mean.clone(), strength: ts.m_prior_strength, monotone: ts.monotone };
        let m0 = prior_mean.clone();
        let mut m_sum: Vec<Vec<f64>> = levels.iter().map(|l| vec![0.0; *l]).collect();
        let mut m_n = vec![0u32; levels.len()];
        let mut sessions = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let used = rule.fields();
            let estimate: Vec<bool> = (0..levels.len()).map(|f| !used.contains(&f)).collect();
            let sub: Vec<(Pattern, u64)> =
                em_counts.iter().filter(|(_, mask, _)| mask & (1 << r) != 0).map(|(p, _, c)| (*p, *c)).collect();
            if sub.is_empty() {
                continue;
            }
            let res = train::expectation_maximisation(&sub, &u, &estimate, &m0, s.em_max_iterations, &prior);
            for f in 0..levels.len() {
                if estimate[f] {
                    for (acc, v) in m_sum[f].iter_mut().zip(&res.m[f]) {
                        *acc += v;
                    }
                    m_n[f] += 1;
                }
            }
            sessions.push((rule.text.clone(), res.iterations, res.lambda));
        }
        let mut fields_not_estimated = Vec::new();
        let mut m: Vec<Vec<f64>> = (0..levels.len())
            .map(|f| {
                if m_n[f] == 0 {
                    fields_not_estimated.push(s.fields[f].name.clone());
                    prior_mean[f].clone()
                } else {
                    m_sum[f].iter().map(|x| x / f64::from(m_n[f])).collect()
                }
            })
            .collect();
        // the counts per pattern (over rule masks), in pattern order so that runs are reproducible
        let mut all: Vec<(Pattern, u64)> = Vec::new();
        for (p, _, c) in &counts {
            match all.last_mut() {
                Some((q, n)) if q == p => *n += c,
                _ => all.push((*p, *c)),
            }
        }
        // the checks, and the safe defaults of what failed
        let no_values: Vec<bool> = self.data.columns.iter().map(|c| c.values.is_empty()).collect();
        let found = diagnose::check_fields(s, &m, &u, ts, &no_values);
        let mut warnings = diagnose::fall_back(s, found, &mut m, &u, ts);
        let total = train::total_pairs(&self.data, s.link_type).max(1.0);
        let n_candidates = candidates.len() as f64;
        let records = self.data.len().max(1) as f64;
        let mut share = train::match_share(&all, &m, &u, 0.01);
        // a share near 1 is plausible when blocking is tight (fewer candidate pairs than records,
        // such as pairs sharing a document number); more matches per record than a person has
        // records is not
        let plausible = |share: f64| {
            (share <= ts.max_match_share || n_candidates < records)
                && share * n_candidates <= ts.max_matches_per_record * records
        };
        if !plausible(share) {
            let per_record = |share: f64| Some(share * n_candidates / records);
            // the estimated fields that kept their trained m
            let untouched: Vec<bool> = s
                .fields
                .iter()
                .enumerate()
                .map(|(f, fs)| {
                    m_n[f] > 0
                        && !warnings
                            .iter()
                            .any(|w| w.field() == Some(&fs.name) && w.fallback() != diagnose::Fallback::Kept)
                })
                .collect();
            if !ts.fallback {
                warnings.push(diagnose::ModelWarning::MatchShareTooHigh {
                    share,
                    matches_per_record: per_record(share),
                    fallback: diagnose::Fallback::Kept,
                });
            } else {
                if untouched.contains(&true) {
                    for (f, mf) in m.iter_mut().enumerate() {
                        if untouched[f] {
                            mf.clone_from(&prior_mean[f]);
                        }
                    }
                    warnings.push(diagnose::ModelWarning::MatchShareTooHigh {
                        share,
                        matches_per_record: per_record(share),
                        fallback: diagnose::Fallback::PriorMAllFields,
                    });
                    share = train::match_share(&all, &m, &u, 0.01);
                }
                if !plausible(share) {
                    warnings.push(diagnose::ModelWarning::MatchShareTooHigh {
                        share,
                        matches_per_record: per_record(share),
                        fallback: diagnose::Fallback::LambdaCapped,
                    });
                    let by_share = if n_candidates < records { 1.0 } else { ts.max_match_share };
                    let cap = by_share.min(ts.max_matches_per_record * records / n_candidates.max(1.0));
                    share = share.min(cap);
                }
            }
        }
        let lambda = (share * n_candidates / total).clamp(1e-12, 0.5);
        let mut fp: Vec<FieldParameters> = s
            .fields
            .iter()
            .zip(m.into_iter().zip(u))
            .map(|(f, (m, u))| FieldParameters {
                name: f.name.clone(),
                m,
                u,
                term_frequencies: Default::default(),
                rare_value_frequency: 0.0,
            })
            .collect();
        self.term_frequency_parameters(&mut fp);
        let constraint = match (ts.monotone, ts.m_prior_strength > 0.0) {
            (true, true) => "m non-increasing and u non-decreasing over the levels, priors on m and u",
            (true, false) => "m non-increasing and u non-decreasing over the levels",
            (false, true) => "priors on m and u, no order constraint",
            (false, false) => "no order constraint, no prior on m",
        };
        let rules_used = if training_counts.is_some() { "training blocking rule" } else { "blocking rule" };
        let method =
            format!("unsupervised: u from random pairs, m by EM over pattern counts per {rules_used} ({constraint})");
        let training_rules = rules.iter().map(|r| r.text.clone()).collect();
        self.model.parameters =
            Some(Parameters { lambda, fields: fp, trained_with: method.clone(), warnings: warnings.clone() });
        Ok(TrainingSummary {
            method,
            u_pairs: s.u_sample_pairs,
            distinct_patterns: em_counts.len(),
            sessions,
            fields_not_estimated,
            training_rules,
            warnings,
        })
    }

    /// u of every field from random pairs, under the settings' prior and constraint.
    fn estimate_u(&self) -> Vec<Vec<f64>> {
        let s = &self.model.settings;
        let u = train::estimate_u_by(
            &self.comparer,
            &self.data,
            s.link_type,
            s.u_sample_pairs,
            s.seed,
            s.training.u_prior_pairs,
            |a, b| self.comparer.pattern(self.values_of(a), self.values_of(b)),
        );
        train::constrain_u(u, &s.training)
    }

    /// Training from labels: records with the same `truth` value are the same person. m from the
    /// labelled matching candidate pairs, u from random pairs, lambda from the count of true pairs.
    pub fn train_from_labels(&mut self, candidates: &[Candidate]) -> Result<TrainingSummary> {
        if self.data.truth.iter().all(Option::is_none) {
            return Err(LinkError::InvalidSettings("labelled training needs a label column".into()));
        }
        let s = &self.model.settings;
        let levels: Vec<usize> = s.fields.iter().map(|f| f.comparison.level_count()).collect();
        let u = self.estimate_u();
        let truth = &self.data.truth;
        let same = |c: &Candidate| matches!((&truth[c.a as usize], &truth[c.b as usize]), (Some(x), Some(y)) if x == y);
        let m = train::m_from_labels(candidates.iter().filter(|c| same(c)).map(|c| c.pattern), &levels);
        let true_pairs = crate::eval::true_pair_count(&self.data, s.link_type) as f64;
        let total = train::total_pairs(&self.data, s.link_type).max(1.0);
        let lambda = (true_pairs / total).clamp(1e-12, 0.5);
        let mut fp: Vec<FieldParameters> = s
            .fields
            .iter()
            .zip(m.into_iter().zip(u))
            .map(|(f, (m, u))| FieldParameters {
                name: f.name.clone(),
                m,
                u,
                term_frequencies: Default::default(),
                rare_value_frequency: 0.0,
            })
            .collect();
        self.term_frequency_parameters(&mut fp);
        let method = "labelled: m from labelled matching pairs, u from random pairs".to_string();
        // checked, but not replaced: labels are evidence, not a guess to distrust
        let params = Parameters { lambda, fields: fp, trained_with: method.clone(), warnings: Vec::new() };
        let warnings = diagnose::check(s, &params);
        self.model.parameters = Some(Parameters { warnings: warnings.clone(), ..params });
        Ok(TrainingSummary {
            method,
            u_pairs: s.u_sample_pairs,
            distinct_patterns: 0,
            sessions: Vec::new(),
            fields_not_estimated: Vec::new(),
            training_rules: Vec::new(),
            warnings,
        })
    }

    /// Scores candidates with the trained model (in parallel).
    pub fn score(&self, candidates: &[Candidate]) -> Result<Vec<ScoredPair>> {
        let scorer = Scorer::new(&self.model)?;
        let tables: Vec<Option<Vec<(f64, f64)>>> =
            self.data.columns.iter().enumerate().map(|(f, c)| scorer.value_frequencies(f, &c.values)).collect();
        let rows = &self.keys.rows;
        Ok(candidates
            .par_chunks(256)
            .flat_map_iter(|chunk| {
                let records: Vec<u32> = chunk.iter().flat_map(|c| [c.a, c.b]).collect();
                rows.warm(&records);
                chunk.iter().map(|c| {
                    let w = scorer.weight_with_frequencies(c.pattern, |f| {
                        let table = tables.get(f)?.as_ref()?;
                        let (a, b) = (rows.value(c.a as usize, f), rows.value(c.b as usize, f));
                        Some((*table.get(a as usize)?, *table.get(b as usize)?))
                    });
                    ScoredPair { a: c.a, b: c.b, pattern: c.pattern, rules: c.rules, weight: w as f32 }
                })
            })
            .collect())
    }

    /// Compares and scores one pair of records (any pair, not only a candidate of blocking), as
    /// [`Linker::score`] would: for a reviewed pair that blocking did not bring together.
    pub fn score_pair(&self, a: u32, b: u32) -> Result<ScoredPair> {
        self.score_pair_under(&self.model, a, b)
    }

    /// [`Linker::score_pair`] under the parameters of `model`, a model with the same settings as
    /// this linker's (such as one re-trained from reviewers' answers).
    pub fn score_pair_under(&self, model: &LinkageModel, a: u32, b: u32) -> Result<ScoredPair> {
        let scorer = Scorer::new(model)?;
        let n = self.data.len();
        if a as usize >= n || b as usize >= n {
            return Err(LinkError::InvalidSettings(format!("record {a} or {b} is not in the data ({n} records)")));
        }
        let (va, vb) = (self.values_of(a as usize), self.values_of(b as usize));
        let pattern = self.comparer.pattern(va, vb);
        let weight = scorer.weight(pattern, va, vb);
        Ok(ScoredPair { a, b, pattern, rules: 0, weight: weight as f32 })
    }

    /// Field-by-field explanation of one scored pair.
    pub fn explain(&self, pair: &ScoredPair) -> Result<Vec<FieldExplanation>> {
        let scorer = Scorer::new(&self.model)?;
        let (a, b) = (pair.a as usize, pair.b as usize);
        Ok(scorer.explain(pair.pattern, |f| self.data.value(f, a), |f| self.data.value(f, b)))
    }

    /// Estimates how many true matches blocking loses, from the expected matches among the scored
    /// pairs (pairs of probability [`RECALL_MIN_PROBABILITY`] or more, weighted by it): see
    /// [`crate::blocking::estimate_recall`]. `per_rule` and `independent_recall` give the older
    /// estimate from the pairs at or above `threshold`: for each rule, the share of matches found
    /// by the other rules that it finds too, the rules taken as missing independently.
    pub fn blocking_recall(&self, scored: &[ScoredPair], threshold: f64) -> BlockingRecall {
        let s = &self.model.settings;
        let swappable = s.swappable_names.as_ref().and_then(|[a, b]| Some([s.field_index(a)?, s.field_index(b)?]));
        let names: Vec<String> = s.fields.iter().map(|f| f.name.clone()).collect();
        let estimate = crate::blocking::estimate_recall(
            &self.rules,
            swappable,
            &self.data,
            scored.iter().map(|p| (p.a, p.b, p.probability())),
            RECALL_MIN_PROBABILITY,
            &names,
        );
        let n = self.rules.len();
        let mut found_by_others = vec![0u64; n];
        let mut found_by_both = vec![0u64; n];
        for p in scored.iter().filter(|p| p.probability() >= threshold) {
            for r in 0..n {
                let bit = 1u16 << r;
                if p.rules & !bit != 0 {
                    found_by_others[r] += 1;
                    if p.rules & bit != 0 {
                        found_by_both[r] += 1;
                    }
                }
            }
        }
        let per_rule: Vec<Option<f64>> = (0..n)
            .map(|r| (found_by_others[r] >= 10).then(|| found_by_both[r] as f64 / found_by_others[r] as f64))
            .collect();
        let independent_recall = if n > 1 && per_rule.iter().all(Option::is_some) {
            Some(1.0 - per_rule.iter().flatten().map(|r| 1.0 - r).product::<f64>())
        } else {
            None
        };
        BlockingRecall { per_rule, estimated_recall: estimate.recall, independent_recall, estimate }
    }
}
