//! Scoring a pair: comparison levels, match weight, probability and a field-by-field explanation.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::compare::{Comparison, MISSING, Value};
use crate::error::{LinkError, Result};
use crate::model::{LinkageModel, MAX_FIELDS};

/// Levels of all fields of one pair, packed 4 bits per field (field 0 in the lowest bits).
pub type Pattern = u64;

/// Level of field `f` in a pattern.
pub fn level_of(pattern: Pattern, f: usize) -> u8 {
    ((pattern >> (4 * f)) & 0xF) as u8
}

/// Computes comparison levels of record pairs.
#[derive(Debug, Clone)]
pub struct Comparer {
    pub comparisons: Vec<Comparison>,
    pub swap: Option<(usize, usize)>,
}

impl Comparer {
    /// From the model's settings.
    pub fn new(model: &LinkageModel) -> Comparer {
        let s = &model.settings;
        let swap = s.swappable_names.as_ref().and_then(|[a, b]| Some((s.field_index(a)?, s.field_index(b)?)));
        Comparer { comparisons: s.fields.iter().map(|f| f.comparison.clone()).collect(), swap }
    }

    /// The comparison pattern of records `a` and `b`, given accessors to their values.
    pub fn pattern<'a, 'b>(
        &self,
        a: impl Fn(usize) -> Option<&'a Value>,
        b: impl Fn(usize) -> Option<&'b Value>,
    ) -> Pattern {
        let mut p: Pattern = 0;
        for (f, c) in self.comparisons.iter().enumerate().take(MAX_FIELDS) {
            p |= u64::from(c.level(a(f), b(f))) << (4 * f);
        }
        if let Some((g, s)) = self.swap {
            let straight_worst = (self.comparisons[g].level_count() - 1) as u8;
            let lg = level_of(p, g);
            let ls = level_of(p, s);
            let first = |v: Option<&Value>| v.and_then(|v| v.text.bytes().next());
            let crossed = |x: Option<u8>, y: Option<u8>| x.is_some() && x == y;
            if (lg == straight_worst || ls == straight_worst)
                && (crossed(first(a(g)), first(b(s))) || crossed(first(a(s)), first(b(g))))
            {
                let sg = self.comparisons[g].level(a(g), b(s));
                let ss = self.comparisons[s].level(a(s), b(g));
                if sg != MISSING && ss != MISSING && u16::from(sg) + u16::from(ss) < u16::from(lg) + u16::from(ls) {
                    p &= !(0xF << (4 * g));
                    p &= !(0xF << (4 * s));
                    p |= (u64::from(sg) << (4 * g)) | (u64::from(ss) << (4 * s));
                }
            }
        }
        p
    }
}

#[derive(Debug, Clone)]
struct TermFrequency {
    freq: HashMap<Box<str>, f64>,
    rare: f64,
    log2_m_exact: f64,
}

/// A trained model ready to score: weights per field and level.
#[derive(Debug, Clone)]
pub struct Scorer {
    pub comparer: Comparer,
    pub field_names: Vec<String>,
    pub level_labels: Vec<Vec<String>>,
    /// log2(m/u) per field and level.
    pub weights: Vec<Vec<f64>>,
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    /// log2(lambda / (1 - lambda)).
    pub prior: f64,
    tf: Vec<Option<TermFrequency>>,
}

/// One field's part of a pair's match weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldExplanation {
    pub field: String,
    pub level: String,
    pub m: f64,
    pub u: f64,
    /// log2(m/u), including the term-frequency adjustment.
    pub weight: f64,
    /// The part of `weight` due to how common the value is.
    pub term_frequency_adjustment: f64,
}

/// Converts a match weight to a probability.
pub fn probability(weight: f64) -> f64 {
    let e = weight.exp2();
    if e.is_infinite() { 1.0 } else { e / (1.0 + e) }
}

impl Scorer {
    /// From a trained model.
    pub fn new(model: &LinkageModel) -> Result<Scorer> {
        let p = model.parameters.as_ref().ok_or(LinkError::Untrained)?;
        let comparer = Comparer::new(model);
        let mut weights = Vec::new();
        let mut tf = Vec::new();
        for (fs, fp) in model.settings.fields.iter().zip(&p.fields) {
            weights.push(fp.m.iter().zip(&fp.u).map(|(m, u)| (m / u).log2()).collect());
            tf.push(fs.term_frequency.then(|| TermFrequency {
                freq: fp.term_frequencies.iter().map(|(k, v)| (k.as_str().into(), *v)).collect(),
                rare: fp.rare_value_frequency.max(1e-9),
                log2_m_exact: fp.m.first().copied().unwrap_or(1.0).log2(),
            }));
        }
        Ok(Scorer {
            field_names: model.settings.fields.iter().map(|f| f.name.clone()).collect(),
            level_labels: model.settings.fields.iter().map(|f| f.comparison.level_labels()).collect(),
            m: p.fields.iter().map(|f| f.m.clone()).collect(),
            u: p.fields.iter().map(|f| f.u.clone()).collect(),
            comparer,
            weights,
            prior: (p.lambda / (1.0 - p.lambda)).log2(),
            tf,
        })
    }

    fn tf_adjustment(&self, f: usize, a: Option<&Value>, b: Option<&Value>) -> Option<f64> {
        let t = self.tf.get(f)?.as_ref()?;
        let (a, b) = (a?, b?);
        let fa = t.freq.get(&a.text).copied().unwrap_or(t.rare);
        let fb = t.freq.get(&b.text).copied().unwrap_or(t.rare);
        let base = self.weights[f][0];
        Some(t.log2_m_exact - fa.max(fb).log2() - base)
    }

    /// Match weight of a pair with the given pattern.
    pub fn weight<'a, 'b>(
        &self,
        pattern: Pattern,
        a: impl Fn(usize) -> Option<&'a Value>,
        b: impl Fn(usize) -> Option<&'b Value>,
    ) -> f64 {
        let mut w = self.prior;
        for (f, ws) in self.weights.iter().enumerate() {
            let l = level_of(pattern, f);
            if l == MISSING {
                continue;
            }
            w += ws.get(usize::from(l)).copied().unwrap_or(0.0);
            if l == 0
                && let Some(adj) = self.tf_adjustment(f, a(f), b(f))
            {
                w += adj;
            }
        }
        w
    }

    /// The (frequency, log2 of the frequency) of each of `values` in the term-frequency table of
    /// field `f` (values not in the table have the rare-value frequency), or `None` when the field
    /// has no table. For [`Scorer::weight_with_frequencies`].
    pub fn value_frequencies(&self, f: usize, values: &[Value]) -> Option<Vec<(f64, f64)>> {
        let t = self.tf.get(f)?.as_ref()?;
        Some(
            values
                .par_iter()
                .map(|v| {
                    let x = t.freq.get(&v.text).copied().unwrap_or(t.rare);
                    (x, x.log2())
                })
                .collect(),
        )
    }

    /// The same as [`Scorer::weight`], with the term frequencies of the two values of a field
    /// looked up beforehand: `frequencies(f)` gives the pair's entries of
    /// [`Scorer::value_frequencies`] for field `f` (asked only for fields with a table that agree
    /// exactly).
    pub fn weight_with_frequencies(
        &self,
        pattern: Pattern,
        frequencies: impl Fn(usize) -> Option<((f64, f64), (f64, f64))>,
    ) -> f64 {
        let mut w = self.prior;
        for (f, ws) in self.weights.iter().enumerate() {
            let l = level_of(pattern, f);
            if l == MISSING {
                continue;
            }
            w += ws.get(usize::from(l)).copied().unwrap_or(0.0);
            if l == 0
                && let Some(Some(t)) = self.tf.get(f)
                && let Some(((fa, la), (fb, lb))) = frequencies(f)
            {
                // log2 of the larger frequency, as in `tf_adjustment`
                let log2_max = if fa >= fb { la } else { lb };
                w += t.log2_m_exact - log2_max - ws[0];
            }
        }
        w
    }

    /// The field-by-field explanation of a pair's weight (the prior is not included).
    pub fn explain<'a, 'b>(
        &self,
        pattern: Pattern,
        a: impl Fn(usize) -> Option<&'a Value>,
        b: impl Fn(usize) -> Option<&'b Value>,
    ) -> Vec<FieldExplanation> {
        let mut out = Vec::new();
        for f in 0..self.weights.len() {
            let l = level_of(pattern, f);
            let li = usize::from(l);
            if l == MISSING {
                out.push(FieldExplanation {
                    field: self.field_names[f].clone(),
                    level: "missing".into(),
                    m: 1.0,
                    u: 1.0,
                    weight: 0.0,
                    term_frequency_adjustment: 0.0,
                });
                continue;
            }
            let adj = if l == 0 { self.tf_adjustment(f, a(f), b(f)).unwrap_or(0.0) } else { 0.0 };
            out.push(FieldExplanation {
                field: self.field_names[f].clone(),
                level: self.level_labels[f].get(li).cloned().unwrap_or_default(),
                m: self.m[f].get(li).copied().unwrap_or(1.0),
                u: self.u[f].get(li).copied().unwrap_or(1.0),
                weight: self.weights[f].get(li).copied().unwrap_or(0.0) + adj,
                term_frequency_adjustment: adj,
            });
        }
        out
    }
}
