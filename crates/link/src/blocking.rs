//! Blocking: which pairs are compared at all. Rules are OR-ed; each rule is an AND of keys.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use rayon::prelude::*;

use crate::compare::{BirthDate, Comparison, Value};
use crate::data::{Column, Dataset};
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
            h.write_u64(key_part(k.transform, value(k.field)?)?);
        }
        Some(h.finish())
    }
}

/// What one key of a rule takes from a value (a hash of the text, the phonetic code, a part of
/// the date), or `None` when the value gives no key. A rule's key combines the parts of its keys.
fn key_part(transform: KeyTransform, v: &Value) -> Option<u64> {
    let hash = |x: &str| {
        let mut h = FxHasher::default();
        x.hash(&mut h);
        h.finish()
    };
    Some(match transform {
        KeyTransform::Exact => hash(&v.text),
        KeyTransform::Phonetic => {
            if v.key == 0 {
                return None;
            }
            v.key
        }
        KeyTransform::First(n) => {
            let end = v.text.char_indices().nth(usize::from(n)).map_or(v.text.len(), |(i, _)| i);
            hash(&v.text[..end])
        }
        KeyTransform::SortedTokens => hash(&crate::normalize::sorted_tokens(&v.text)),
        KeyTransform::Year | KeyTransform::Month | KeyTransform::Day => {
            let d = BirthDate::unpack(v.key);
            let part = match transform {
                KeyTransform::Year if d.tolerance == 0 => d.year,
                KeyTransform::Month if d.month != 0 => u16::from(d.month),
                KeyTransform::Day if d.day != 0 => u16::from(d.day),
                _ => return None,
            };
            u64::from(part)
        }
    })
}

/// A record without a key under a rule, while keys are computed.
const NO_KEY: u64 = 0;

/// In [`RecordRows`]: a record that shares no block under a rule.
pub const NO_BLOCK: u32 = u32::MAX;

/// Slots of one [`RecordLine`].
const LINE: usize = 16;

/// One cache line of a record's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(align(64))]
struct RecordLine([u32; LINE]);

/// Per record, one row: the number of the block holding it under each rule ([`NO_BLOCK`] when it
/// shares none) and the index of its value of each field (in the field's column). The row is one
/// cache line when there are at most 16 rules and fields together, so comparing a pair of records
/// reads little more than two lines.
#[derive(Debug, Clone, Default)]
pub struct RecordRows {
    rules: usize,
    fields: usize,
    /// Lines per record.
    stride: usize,
    lines: Vec<RecordLine>,
}

impl RecordRows {
    #[inline]
    fn slot(&self, record: usize, k: usize) -> Option<u32> {
        self.lines.get(record * self.stride + k / LINE).map(|l| l.0[k % LINE])
    }

    /// Number of rules.
    pub fn rules(&self) -> usize {
        self.rules
    }

    /// The block of `record` under `rule`, or [`NO_BLOCK`].
    #[inline]
    pub fn block(&self, record: usize, rule: usize) -> u32 {
        if rule < self.rules { self.slot(record, rule).unwrap_or(NO_BLOCK) } else { NO_BLOCK }
    }

    /// The index of `record`'s value of `field` in the field's column, or [`Column::MISSING`].
    #[inline]
    pub fn value(&self, record: usize, field: usize) -> u32 {
        if field < self.fields {
            self.slot(record, self.rules + field).unwrap_or(Column::MISSING)
        } else {
            Column::MISSING
        }
    }

    /// Reads the rows of `records` once, so that the memory is fetched for all of them at the same
    /// time rather than one after another as a pair loop would.
    #[inline]
    pub fn warm(&self, records: &[u32]) {
        let mut x = 0u32;
        for r in records {
            x ^= self.lines.get(*r as usize * self.stride).map_or(0, |l| l.0[0]);
        }
        std::hint::black_box(x);
    }

    /// Bit mask of the rules under which records `a` and `b` share a block.
    #[inline]
    pub fn mask(&self, a: usize, b: usize) -> u16 {
        let mut m = 0u16;
        for r in 0..self.rules {
            let x = self.block(a, r);
            if x != NO_BLOCK && x == self.block(b, r) {
                m |= 1 << r;
            }
        }
        m
    }
}

/// How a key of a rule is read for a record: the record's value index in the field's column, then
/// the part of that value (see `key_part`).
type KeyPlan<'a> = (&'a [u32], &'a [Option<u64>]);

/// The blocks of every rule, and each record's row (see [`RecordRows`]).
pub struct BlockingKeys {
    /// Blocks (records sharing a key, at least two) per rule.
    pub blocks: Vec<RuleBlocks>,
    pub rows: RecordRows,
}

impl BlockingKeys {
    /// Computes the keys and the blocks (in parallel): the part each key of a rule takes from a
    /// value is computed once per distinct value, then combined per record.
    pub fn compute(rules: &[BlockingRule], data: &Dataset) -> BlockingKeys {
        let nr = rules.len();
        let n = data.len();
        let mut kinds: Vec<(usize, KeyTransform)> = Vec::new();
        for k in rules.iter().flat_map(|r| &r.keys) {
            if !kinds.contains(&(k.field, k.transform)) {
                kinds.push((k.field, k.transform));
            }
        }
        // per kind of key part: the part of each distinct value of the field (None: no key)
        let parts: Vec<Vec<Option<u64>>> = kinds
            .par_iter()
            .map(|(f, t)| {
                data.columns.get(*f).map_or_else(Vec::new, |c| c.values.par_iter().map(|v| key_part(*t, v)).collect())
            })
            .collect();
        // per rule and key: (record -> value index of the field, parts of that field's values)
        let plans: Vec<Vec<KeyPlan<'_>>> = rules
            .iter()
            .map(|r| {
                r.keys
                    .iter()
                    .map(|k| {
                        let kind = kinds.iter().position(|x| *x == (k.field, k.transform)).unwrap_or(0);
                        let index = data.columns.get(k.field).map_or(&[][..], |c| c.index.as_slice());
                        (index, parts.get(kind).map_or(&[][..], Vec::as_slice))
                    })
                    .collect()
            })
            .collect();
        // the keys of each rule, and from them the blocks and each record's block number
        let per_rule: Vec<(RuleBlocks, Vec<u32>)> = plans
            .par_iter()
            .map(|plan| {
                let keys: Vec<u64> = (0..n)
                    .into_par_iter()
                    .map(|i| {
                        let mut h = FxHasher::default();
                        let complete = plan.iter().all(|(index, parts)| {
                            let part = index.get(i).and_then(|v| parts.get(*v as usize)).copied().flatten();
                            part.inspect(|p| h.write_u64(*p)).is_some()
                        });
                        if complete { h.finish().max(1) } else { NO_KEY }
                    })
                    .collect();
                let blocks = blocks(&keys);
                drop(keys);
                let mut block_of = vec![NO_BLOCK; n];
                for (b, (s, e)) in blocks.ranges.iter().enumerate() {
                    for m in &blocks.members[*s as usize..*e as usize] {
                        block_of[*m as usize] = b as u32;
                    }
                }
                (blocks, block_of)
            })
            .collect();
        let nf = data.columns.len();
        let stride = (nr + nf).div_ceil(LINE).max(1);
        let mut lines = vec![RecordLine([NO_BLOCK; LINE]); n * stride];
        lines.par_chunks_mut(stride).enumerate().for_each(|(i, row)| {
            let slots = per_rule
                .iter()
                .map(|(_, block_of)| block_of[i])
                .chain(data.columns.iter().map(|c| c.index.get(i).copied().unwrap_or(Column::MISSING)));
            for (k, v) in slots.enumerate() {
                row[k / LINE].0[k % LINE] = v;
            }
        });
        let blocks = per_rule.into_iter().map(|(b, _)| b).collect();
        BlockingKeys { blocks, rows: RecordRows { rules: nr, fields: nf, stride, lines } }
    }

    /// Bit mask of the rules under which records `a` and `b` share a block.
    #[inline]
    pub fn mask(&self, a: usize, b: usize) -> u16 {
        self.rows.mask(a, b)
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
fn blocks(keys: &[u64]) -> RuleBlocks {
    let pairs = sorted_pairs(|| keys.iter().enumerate().filter(|(_, k)| **k != NO_KEY).map(|(i, k)| (*k, i as u32)));
    let mut out = RuleBlocks { members: Vec::new(), ranges: Vec::new() };
    for block in pairs.chunk_by(|x, y| x.0 == y.0).filter(|b| b.len() > 1) {
        let start = out.members.len() as u32;
        out.members.extend(block.iter().map(|p| p.1));
        out.ranges.push((start, out.members.len() as u32));
    }
    out
}

/// The pairs `items()` gives, sorted. They are put into buckets by the top bits of the key, then
/// each bucket is sorted (in parallel): as fast as the keys are spread, which hashes are.
pub(crate) fn sorted_pairs<I: Iterator<Item = (u64, u32)>>(items: impl Fn() -> I) -> Vec<(u64, u32)> {
    const BITS: u32 = 12;
    let bucket = |k: u64| (k >> (64 - BITS)) as usize;
    let mut starts = vec![0usize; (1 << BITS) + 1];
    for (k, _) in items() {
        starts[bucket(k) + 1] += 1;
    }
    for b in 0..1 << BITS {
        starts[b + 1] += starts[b];
    }
    let mut fill = starts.clone();
    let mut pairs = vec![(0u64, 0u32); starts[1 << BITS]];
    for (k, i) in items() {
        let b = bucket(k);
        pairs[fill[b]] = (k, i);
        fill[b] += 1;
    }
    let mut buckets = Vec::with_capacity(1 << BITS);
    let mut rest = pairs.as_mut_slice();
    for w in starts.windows(2) {
        let (b, tail) = std::mem::take(&mut rest).split_at_mut(w[1] - w[0]);
        buckets.push(b);
        rest = tail;
    }
    buckets.into_par_iter().for_each(|b| b.sort_unstable());
    pairs
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

/// Blocks taken together: the rows of all their records are read first (see [`RecordRows::warm`]).
const WARM_BLOCKS: usize = 32;

/// Calls `visit(a, b, rule_index, rules_mask, acc)` for every unique candidate pair, block by
/// block, in parallel over blocks; `rules_mask` has bit r set when rule r puts both records in one
/// block. Pairs are generated once, by the first rule that produces them.
pub fn for_each_candidate<T: Send>(
    keys: &BlockingKeys,
    data: &Dataset,
    link_type: LinkType,
    visit: impl Fn(u32, u32, usize, u16, &mut Vec<T>) + Sync,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    let only_across = link_type == LinkType::Link;
    for (r, bl) in keys.blocks.iter().enumerate() {
        let earlier = (1u16 << r) - 1;
        let parts: Vec<Vec<T>> = bl
            .ranges
            .par_chunks(WARM_BLOCKS)
            .fold(Vec::new, |mut acc, ranges| {
                if let (Some(first), Some(last)) = (ranges.first(), ranges.last()) {
                    let members = &bl.members[first.0 as usize..last.1 as usize];
                    keys.rows.warm(members);
                }
                for &(s, e) in ranges {
                    let block = &bl.members[s as usize..e as usize];
                    for (x, &a) in block.iter().enumerate() {
                        for &b in &block[x + 1..] {
                            let (ai, bi) = (a as usize, b as usize);
                            if only_across && data.sources.get(ai) == data.sources.get(bi) {
                                continue;
                            }
                            let mask = keys.mask(ai, bi);
                            if mask & earlier == 0 {
                                visit(a, b, r, mask, &mut acc);
                            }
                        }
                    }
                }
                acc
            })
            .collect();
        out.reserve(parts.iter().map(Vec::len).sum());
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
    let only_across = link_type == LinkType::Link;
    for (r, bl) in keys.blocks.iter().enumerate() {
        let earlier = (1u16 << r) - 1;
        largest_block.push(bl.sizes().max().unwrap_or(0));
        let n: u64 = bl
            .par_blocks()
            .map(|block| {
                let mut n = 0u64;
                for (x, &a) in block.iter().enumerate() {
                    for &b in &block[x + 1..] {
                        let (ai, bi) = (a as usize, b as usize);
                        if !(only_across && data.sources.get(ai) == data.sources.get(bi))
                            && keys.mask(ai, bi) & earlier == 0
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
