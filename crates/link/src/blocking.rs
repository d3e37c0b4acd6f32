//! Blocking: which pairs are compared at all. Rules are OR-ed; each rule is an AND of keys.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use rayon::prelude::*;

use crate::compare::{BirthDate, Comparison, Value};
use crate::data::Dataset;
use crate::error::{LinkError, Result};
use crate::model::{LinkType, ModelSettings};

/// How a key is taken from a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTransform {
    /// The folded value.
    Exact,
    /// The Daitch-Mokotoff code (names only).
    Phonetic,
    /// The first n characters.
    First(u8),
    /// The tokens in sorted order (names).
    SortedTokens,
    /// Year, month or day of a date.
    Year,
    Month,
    Day,
}

/// One key of a rule: a transform of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockKey {
    pub field: usize,
    pub transform: KeyTransform,
}

/// A parsed blocking rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRule {
    pub text: String,
    pub keys: Vec<BlockKey>,
}

impl BlockingRule {
    /// Parses `key & key & ...` where a key is `field` or `transform(field)` with transform one of
    /// `exact`, `phonetic`, `first1`..`first9`, `sorted`, `year`, `month`, `day`.
    pub fn parse(text: &str, settings: &ModelSettings) -> Result<BlockingRule> {
        let err = |m: &str| LinkError::InvalidRule { rule: text.chars().take(200).collect(), message: m.to_string() };
        let mut keys = Vec::new();
        for part in text.split('&') {
            let part = part.trim();
            if part.is_empty() {
                return Err(err("empty key"));
            }
            let (func, field) = match part.find('(') {
                Some(open) => {
                    let Some(inner) = part[open + 1..].strip_suffix(')') else {
                        return Err(err("missing closing parenthesis"));
                    };
                    (part[..open].trim(), inner.trim())
                }
                None => ("exact", part),
            };
            let Some(fi) = settings.field_index(field) else {
                return Err(err(&format!("{field:?} is not a field")));
            };
            let cmp = &settings.fields[fi].comparison;
            let transform = match func {
                "exact" => KeyTransform::Exact,
                "phonetic" if matches!(cmp, Comparison::Name { .. }) => KeyTransform::Phonetic,
                "sorted" if matches!(cmp, Comparison::Name { .. }) => KeyTransform::SortedTokens,
                "year" if *cmp == Comparison::Date => KeyTransform::Year,
                "month" if *cmp == Comparison::Date => KeyTransform::Month,
                "day" if *cmp == Comparison::Date => KeyTransform::Day,
                "phonetic" | "sorted" => return Err(err(&format!("{func}() needs a name field"))),
                "year" | "month" | "day" => {
                    return Err(err(&format!("{func}() needs a date field")));
                }
                f if f.starts_with("first") => match f[5..].parse::<u8>() {
                    Ok(n @ 1..=9) => KeyTransform::First(n),
                    _ => return Err(err("firstN takes N from 1 to 9")),
                },
                other => return Err(err(&format!("unknown key function {other:?}"))),
            };
            keys.push(BlockKey { field: fi, transform });
        }
        Ok(BlockingRule { text: text.to_string(), keys })
    }

    /// The fields the rule uses.
    pub fn fields(&self) -> Vec<usize> {
        self.keys.iter().map(|k| k.field).collect()
    }

    /// The rule's key for a record, or `None` if a needed value is missing.
    pub fn key<'a>(&self, value: impl Fn(usize) -> Option<&'a Value>) -> Option<u64> {
        let mut h = FxHasher::default();
        for k in &self.keys {
            let v = value(k.field)?;
            match k.transform {
                KeyTransform::Exact => v.text.hash(&mut h),
                KeyTransform::Phonetic => {
                    if v.key == 0 {
                        return None;
                    }
                    v.key.hash(&mut h)
                }
                KeyTransform::First(n) => {
                    let end = v.text.char_indices().nth(usize::from(n)).map_or(v.text.len(), |(i, _)| i);
                    v.text[..end].hash(&mut h)
                }
                KeyTransform::SortedTokens => crate::normalize::sorted_tokens(&v.text).hash(&mut h),
                KeyTransform::Year | KeyTransform::Month | KeyTransform::Day => {
                    let d = BirthDate::unpack(v.key);
                    let part = match k.transform {
                        KeyTransform::Year if d.tolerance == 0 => d.year,
                        KeyTransform::Month if d.month != 0 => u16::from(d.month),
                        KeyTransform::Day if d.day != 0 => u16::from(d.day),
                        _ => return None,
                    };
                    part.hash(&mut h)
                }
            }
        }
        Some(h.finish())
    }
}

/// Keys of every rule for every record: `keys[rule][record]`.
pub struct BlockingKeys {
    pub keys: Vec<Vec<Option<u64>>>,
    /// Blocks (records sharing a key, at least two) per rule.
    pub blocks: Vec<RuleBlocks>,
}

impl BlockingKeys {
    /// Computes the keys (in parallel).
    pub fn compute(rules: &[BlockingRule], data: &Dataset) -> BlockingKeys {
        let keys = rules
            .iter()
            .map(|r| (0..data.len()).into_par_iter().map(|i| r.key(|f| data.value(f, i))).collect())
            .collect::<Vec<Vec<Option<u64>>>>();
        let blocks = keys.iter().map(|k| blocks(k)).collect();
        BlockingKeys { keys, blocks }
    }

    /// Bit mask of the rules under which records `a` and `b` share a block.
    pub fn mask(&self, a: usize, b: usize) -> u16 {
        let mut m = 0u16;
        for (r, k) in self.keys.iter().enumerate() {
            if let (Some(Some(x)), Some(Some(y))) = (k.get(a), k.get(b))
                && x == y
            {
                m |= 1 << r;
            }
        }
        m
    }
}

/// Whether a pair of records may be compared under the link type.
pub fn allowed(link_type: LinkType, source_a: u16, source_b: u16) -> bool {
    match link_type {
        LinkType::Dedupe | LinkType::LinkAndDedupe => true,
        LinkType::Link => source_a != source_b,
    }
}

/// The blocks of one rule: records sharing a key, stored flat.
#[derive(Debug, Clone, Default)]
pub struct RuleBlocks {
    pub members: Vec<u32>,
    /// (start, end) in `members` of each block of two or more records.
    pub ranges: Vec<(u32, u32)>,
}

impl RuleBlocks {
    /// Sizes of the blocks.
    pub fn sizes(&self) -> impl Iterator<Item = u64> + '_ {
        self.ranges.iter().map(|(s, e)| u64::from(e - s))
    }

    /// The blocks, in parallel.
    pub fn par_blocks(&self) -> impl ParallelIterator<Item = &[u32]> {
        self.ranges.par_iter().map(|&(s, e)| &self.members[s as usize..e as usize])
    }
}

/// Groups records by key (sorting, no per-key allocation).
fn blocks(keys: &[Option<u64>]) -> RuleBlocks {
    let mut pairs: Vec<(u64, u32)> = keys.iter().enumerate().filter_map(|(i, k)| k.map(|k| (k, i as u32))).collect();
    pairs.par_sort_unstable();
    let mut out = RuleBlocks { members: Vec::new(), ranges: Vec::new() };
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i + 1;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        if j - i > 1 {
            let start = out.members.len() as u32;
            out.members.extend(pairs[i..j].iter().map(|p| p.1));
            out.ranges.push((start, out.members.len() as u32));
        }
        i = j;
    }
    out
}

/// Candidate-pair counts per rule, before the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingCounts {
    /// Pairs each rule generates that no earlier rule generated.
    pub new_pairs_per_rule: Vec<u64>,
    /// Largest block per rule.
    pub largest_block: Vec<u64>,
    pub total: u64,
}

/// Calls `visit(a, b, rule_index)` for every unique candidate pair, block by block, in parallel
/// over blocks. Pairs are generated once, by the first rule that produces them.
pub fn for_each_candidate<T: Send>(
    keys: &BlockingKeys,
    data: &Dataset,
    link_type: LinkType,
    visit: impl Fn(u32, u32, usize, &mut Vec<T>) + Sync,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for (r, bl) in keys.blocks.iter().enumerate() {
        let parts: Vec<Vec<T>> = bl
            .par_blocks()
            .fold(Vec::new, |mut acc, block| {
                for (x, &a) in block.iter().enumerate() {
                    for &b in &block[x + 1..] {
                        let (ai, bi) = (a as usize, b as usize);
                        if !allowed(link_type, data.sources[ai], data.sources[bi]) {
                            continue;
                        }
                        let earlier =
                            keys.keys[..r].iter().any(|k| matches!((k[ai], k[bi]), (Some(p), Some(q)) if p == q));
                        if !earlier {
                            visit(a, b, r, &mut acc);
                        }
                    }
                }
                acc
            })
            .collect();
        for p in parts {
            out.extend(p);
        }
    }
    out
}

/// Upper bound on the candidate pairs (sum over rules of block sizes choose 2), cheap to compute.
pub fn upper_bound(keys: &BlockingKeys) -> u64 {
    keys.blocks.iter().map(|bl| bl.sizes().map(|b| b * (b - 1) / 2).sum::<u64>()).sum()
}

/// Counts the unique candidate pairs per rule without comparing them.
pub fn count_candidates(keys: &BlockingKeys, data: &Dataset, link_type: LinkType) -> BlockingCounts {
    let mut per = Vec::new();
    let mut largest_block = Vec::new();
    for (r, bl) in keys.blocks.iter().enumerate() {
        largest_block.push(bl.sizes().max().unwrap_or(0));
        let n: u64 = bl
            .par_blocks()
            .map(|block| {
                let mut n = 0u64;
                for (x, &a) in block.iter().enumerate() {
                    for &b in &block[x + 1..] {
                        let (ai, bi) = (a as usize, b as usize);
                        if allowed(link_type, data.sources[ai], data.sources[bi])
                            && !keys.keys[..r].iter().any(|k| matches!((k[ai], k[bi]), (Some(p), Some(q)) if p == q))
                        {
                            n += 1;
                        }
                    }
                }
                n
            })
            .sum();
        per.push(n);
    }
    BlockingCounts { total: per.iter().sum(), new_pairs_per_rule: per, largest_block }
}
