//! Incremental use: score one new record against an existing index without re-running everything.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::blocking::{BlockingRule, allowed};
use crate::compare::Value;
use crate::data::{Dataset, Preparer};
use crate::error::{LinkError, Result};
use crate::model::{LinkType, LinkageModel};
use crate::score::{FieldExplanation, Scorer, probability};

/// A candidate found for a query record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredCandidate {
    /// Position of the record in the index.
    pub record: u32,
    /// Its identifier.
    pub id: String,
    pub weight: f64,
    pub probability: f64,
    /// Why: each field's level and weight.
    pub explanation: Vec<FieldExplanation>,
}

/// A trained model plus the blocks of the records inserted so far.
pub struct CandidateIndex {
    scorer: Scorer,
    preparer: Preparer,
    rules: Vec<BlockingRule>,
    link_type: LinkType,
    data: Dataset,
    blocks: Vec<HashMap<u64, Vec<u32>>>,
    fields: usize,
}

impl CandidateIndex {
    /// An empty index for a trained model.
    pub fn new(model: &LinkageModel) -> Result<CandidateIndex> {
        let rules = model.settings.validate()?;
        Ok(CandidateIndex {
            scorer: Scorer::new(model)?,
            preparer: Preparer::new(&model.settings),
            blocks: vec![HashMap::new(); rules.len()],
            rules,
            link_type: model.settings.link_type,
            data: Dataset::default(),
            fields: model.settings.fields.len(),
        })
    }

    /// Number of records in the index.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn prepare(&self, values: &[Option<&str>]) -> Result<Vec<Option<Value>>> {
        if values.len() != self.fields {
            return Err(LinkError::InvalidSettings(format!(
                "a record has {} values for {} fields",
                values.len(),
                self.fields
            )));
        }
        values
            .iter()
            .enumerate()
            .map(|(f, v)| match v {
                Some(v) => self.preparer.prepare(f, v).map_err(LinkError::InvalidSettings),
                None => Ok(None),
            })
            .collect()
    }

    /// Adds a record (values in field order) and returns its position.
    pub fn insert(&mut self, id: impl Into<String>, source: u16, values: &[Option<&str>]) -> Result<u32> {
        let prepared = self.prepare(values)?;
        let pos = self.data.len() as u32;
        for (r, rule) in self.rules.iter().enumerate() {
            if let Some(k) = rule.key(|f| prepared.get(f).and_then(Option::as_ref)) {
                self.blocks[r].entry(k).or_default().push(pos);
            }
        }
        self.data.push(id.into(), source, prepared);
        Ok(pos)
    }

    /// The blocking keys of a record (values in field order): `(rule, key)` for each rule that
    /// gives one. [`CandidateIndex::query`] compares two records exactly when they share a pair,
    /// so the keys can be stored and looked up outside the index (a keyed candidate index in a
    /// database). A key depends on the model's blocking rules and field preparation only.
    pub fn block_keys(&self, values: &[Option<&str>]) -> Result<Vec<(usize, u64)>> {
        let prepared = self.prepare(values)?;
        Ok(self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(r, rule)| rule.key(|f| prepared.get(f).and_then(Option::as_ref)).map(|k| (r, k)))
            .collect())
    }

    /// Scores a record (not inserted) against every record sharing a block with it; returns the
    /// candidates at or above `min_probability`, best first.
    pub fn query(&self, source: u16, values: &[Option<&str>], min_probability: f64) -> Result<Vec<ScoredCandidate>> {
        let q = self.prepare(values)?;
        let qv = |f: usize| q.get(f).and_then(Option::as_ref);
        let mut seen: HashSet<u32> = HashSet::new();
        let mut out = Vec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            let Some(k) = rule.key(qv) else { continue };
            let Some(block) = self.blocks[r].get(&k) else {
                continue;
            };
            for &i in block {
                if !seen.insert(i) || !allowed(self.link_type, source, self.data.sources[i as usize]) {
                    continue;
                }
                let iv = |f: usize| self.data.value(f, i as usize);
                let pattern = self.scorer.comparer.pattern(qv, iv);
                let weight = self.scorer.weight(pattern, qv, iv);
                let p = probability(weight);
                if p >= min_probability {
                    out.push(ScoredCandidate {
                        record: i,
                        id: self.data.ids[i as usize].clone(),
                        weight,
                        probability: p,
                        explanation: self.scorer.explain(pattern, qv, iv),
                    });
                }
            }
        }
        out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.record.cmp(&b.record)));
        Ok(out)
    }
}
