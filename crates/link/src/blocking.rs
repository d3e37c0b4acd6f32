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
    /// Year, month or day of a date; the year of an age estimate is the estimated one.
    Year,
    Month,
    Day,
    /// `near_year(field, N)`: years at most N apart (1 by default, up to [`MAX_NEAR_YEARS`]). A
    /// rule with it stands for N + 1 rules, one for each way of cutting the years into windows of
    /// N + 1 years ([`KeyTransform::YearWindow`] with offsets 0 to N).
    NearYear(u8),
    /// The window of `width` years a year falls in, the windows starting at `offset`: with width
    /// 2, 1984-85 for offset 0 and 1985-86 for offset 1. Two years at most `width - 1` apart share
    /// the window of at least one offset from 0 to `width - 1`; years further apart share none.
    YearWindow {
        width: u8,
        offset: u8,
    },
}

/// The widest `near_year`: years up to this far apart (a rule with it counts as six rules).
pub const MAX_NEAR_YEARS: u8 = 5;

/// One key of a rule: a transform of a field, or of several name fields taken together
/// (`sorted_tokens(given_name, surname)`: the tokens of all of them, sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockKey {
    pub field: usize,
    pub transform: KeyTransform,
    /// The further fields of a key over several fields (only with [`KeyTransform::SortedTokens`]).
    pub with: Vec<usize>,
}

impl BlockKey {
    /// The fields the key reads.
    pub fn fields(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.field).chain(self.with.iter().copied())
    }

    /// The key's part for a record, or `None` when a needed value is missing.
    pub fn part<'a>(&self, value: impl Fn(usize) -> Option<&'a Value>) -> Option<u64> {
        if self.with.is_empty() {
            return key_part(self.transform, value(self.field)?);
        }
        let mut texts = Vec::with_capacity(1 + self.with.len());
        for f in self.fields() {
            texts.push(&*value(f)?.text);
        }
        Some(sorted_tokens_hash(&texts))
    }
}

/// The key of the tokens of several folded values, sorted: the same whichever value holds which
/// token (a given name written as surname) and in whatever order.
fn sorted_tokens_hash(texts: &[&str]) -> u64 {
    let mut tokens: Vec<&str> = texts.iter().flat_map(|t| t.split(' ')).filter(|t| !t.is_empty()).collect();
    tokens.sort_unstable();
    let mut h = FxHasher::default();
    for t in &tokens {
        t.hash(&mut h);
    }
    h.finish()
}

/// A parsed blocking rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRule {
    pub text: String,
    pub keys: Vec<BlockKey>,
}

impl BlockingRule {
    /// Parses `key & key & ...` where a key is `field` or `transform(field)` with transform one of
    /// `exact`, `phonetic`, `first1`..`first9`, `sorted`, `year`, `month`, `day`, `near_year`
    /// (`near_year(field, N)` for years up to N apart), or
    /// `sorted_tokens(field, field, ...)` over name or text fields (up to four).
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
            if func == "sorted_tokens" {
                let mut fields = Vec::new();
                for name in field.split(',').map(str::trim) {
                    let Some(fi) = settings.field_index(name) else {
                        return Err(err(&format!("{name:?} is not a field")));
                    };
                    if !matches!(settings.fields[fi].comparison, Comparison::Name { .. } | Comparison::Text { .. }) {
                        return Err(err(&format!(
                            "sorted_tokens() needs name or text fields, and {name:?} is neither"
                        )));
                    }
                    if fields.contains(&fi) {
                        return Err(err(&format!("sorted_tokens() names {name:?} twice")));
                    }
                    fields.push(fi);
                }
                if fields.len() > 4 {
                    return Err(err("sorted_tokens() takes at most four fields"));
                }
                let with = fields.split_off(1);
                keys.push(BlockKey { field: fields[0], transform: KeyTransform::SortedTokens, with });
                continue;
            }
            // `near_year(field, N)`: the span after a comma
            let (field, span) = match field.split_once(',') {
                Some((f, n)) if func == "near_year" => {
                    let n = n.trim();
                    match n.parse::<u8>() {
                        Ok(n @ 1..=MAX_NEAR_YEARS) => (f.trim(), n),
                        _ => {
                            return Err(err(&format!(
                                "near_year() takes a number of years from 1 to {MAX_NEAR_YEARS}, not {:?}",
                                n.chars().take(20).collect::<String>()
                            )));
                        }
                    }
                }
                _ => (field, 1),
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
                "near_year" if *cmp == Comparison::Date => KeyTransform::NearYear(span),
                "month" if *cmp == Comparison::Date => KeyTransform::Month,
                "day" if *cmp == Comparison::Date => KeyTransform::Day,
                "phonetic" | "sorted" => return Err(err(&format!("{func}() needs a name field"))),
                "year" | "month" | "day" | "near_year" => {
                    return Err(err(&format!("{func}() needs a date field")));
                }
                f if f.starts_with("first") => match f[5..].parse::<u8>() {
                    Ok(n @ 1..=9) => KeyTransform::First(n),
                    _ => return Err(err("firstN takes N from 1 to 9")),
                },
                other => return Err(err(&format!("unknown key function {other:?}"))),
            };
            keys.push(BlockKey { field: fi, transform, with: Vec::new() });
        }
        if keys.iter().filter(|k| matches!(k.transform, KeyTransform::NearYear(_))).count() > 1 {
            return Err(err("at most one near_year() in a rule"));
        }
        Ok(BlockingRule { text: text.to_string(), keys })
    }

    /// Parses rules (see [`BlockingRule::parse`]); a rule with `near_year(field, N)` becomes N + 1,
    /// one per way of cutting the years into windows of N + 1 years, so that records born up to N
    /// years apart (or whose estimated years are) meet in one of them.
    pub fn parse_all(texts: &[String], settings: &ModelSettings) -> Result<Vec<BlockingRule>> {
        let mut out = Vec::new();
        for text in texts {
            let rule = BlockingRule::parse(text, settings)?;
            let span = rule.keys.iter().find_map(|k| match k.transform {
                KeyTransform::NearYear(n) => Some(n),
                _ => None,
            });
            let Some(span) = span else {
                out.push(rule);
                continue;
            };
            let width = span + 1;
            for offset in 0..width {
                let keys = rule
                    .keys
                    .iter()
                    .map(|k| match k.transform {
                        KeyTransform::NearYear(_) => {
                            BlockKey { transform: KeyTransform::YearWindow { width, offset }, ..k.clone() }
                        }
                        _ => k.clone(),
                    })
                    .collect();
                let text = if width == 2 {
                    let which = if offset == 0 { "even" } else { "odd" };
                    format!("{text} [years paired from {which}]")
                } else {
                    format!("{text} [years in windows of {width}, offset {offset}]")
                };
                out.push(BlockingRule { text, keys });
            }
        }
        if out.len() > 16 {
            return Err(LinkError::InvalidSettings(format!(
                "at most 16 blocking rules, counting a rule with near_year(field, N) as N + 1 ({} here)",
                out.len()
            )));
        }
        Ok(out)
    }

    /// The fields the rule uses.
    pub fn fields(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for f in self.keys.iter().flat_map(BlockKey::fields) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// The rule's key for a record, or `None` if a needed value is missing.
    pub fn key<'a>(&self, value: impl Fn(usize) -> Option<&'a Value> + Copy) -> Option<u64> {
        let mut h = FxHasher::default();
        for k in &self.keys {
            h.write_u64(k.part(value)?);
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
        KeyTransform::Year
        | KeyTransform::Month
        | KeyTransform::Day
        | KeyTransform::NearYear(_)
        | KeyTransform::YearWindow { .. } => {
            let d = BirthDate::unpack(v.key);
            let part = match transform {
                // a registered year, or the middle of an age estimate's years
                KeyTransform::Year | KeyTransform::NearYear(_) => d.year,
                KeyTransform::YearWindow { width, offset } => (d.year + u16::from(offset)) / u16::from(width.max(1)),
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
        // keys over several fields: their part per record (not per distinct value)
        let mut joint: Vec<(&BlockKey, Vec<Option<u64>>)> = Vec::new();
        for k in rules.iter().flat_map(|r| &r.keys) {
            if !k.with.is_empty() {
                if !joint.iter().any(|(j, _)| *j == k) {
                    let per_record = (0..n).into_par_iter().map(|i| k.part(|f| data.value(f, i))).collect();
                    joint.push((k, per_record));
                }
                continue;
            }
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
        // a key over several fields reads its part by record number
        let identity: Vec<u32> = if joint.is_empty() { Vec::new() } else { (0..n as u32).collect() };
        // per rule and key: (record -> value index of the field, parts of that field's values)
        let plans: Vec<Vec<KeyPlan<'_>>> = rules
            .iter()
            .map(|r| {
                r.keys
                    .iter()
                    .map(|k| {
                        if let Some((_, per_record)) = joint.iter().find(|(j, _)| *j == k) {
                            return (identity.as_slice(), per_record.as_slice());
                        }
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

/// What [`estimate_recall`] found: the share of the true matches that the rules find, estimated
/// from the matches they did find, without assuming that the rules miss independently.
#[derive(Debug, Clone, PartialEq)]
pub struct RecallEstimate {
    /// Estimated share of all true matches that at least one rule finds.
    pub recall: Option<f64>,
    /// Expected matches among the candidate pairs (sum of match probabilities).
    pub expected_found: f64,
    /// Expected matches that no rule finds: `expected_found * (1 / recall - 1)`.
    pub expected_missed: Option<f64>,
    /// Why there is no estimate (a group of fields that every rule uses, or too few matches found
    /// without it).
    pub not_estimated: Option<String>,
}

/// Most enumerated combinations of key agreements (beyond: no estimate).
const MAX_COMBINATIONS: usize = 1 << 20;

/// Least expected matches from which a group's agreements are estimated.
const MIN_GROUP_MATCHES: f64 = 5.0;

/// Estimates the share of true matches that blocking finds, from the expected matches (each scored
/// pair weighted by its match probability) that it did find.
///
/// A rule finds a pair when all its keys agree, so the rules' misses depend on each other through
/// the fields they share (`surname` and `phonetic(surname) & year(dob)` both miss a pair whose
/// surname changed). The estimate therefore works on the keys, not on the rules: the keys are
/// grouped by field (keys of one field together; fields a key reads together, and the
/// `swappable_names`, in one group), and the joint distribution of a group's key agreements among
/// true matches is estimated from the matches found by the rules that use no key of the group,
/// which found them whatever the group's keys say. Groups are taken as independent among matches
/// (the Fellegi-Sunter model's own assumption); within a group any dependence is kept (a swap of
/// given name and surname breaks every key on either). The recall is the probability, under
/// these distributions, that at least one rule has all its keys agreeing.
///
/// `pairs` gives each scored pair as (record a, record b, match probability); pairs below
/// `min_probability` are left out.
pub fn estimate_recall(
    rules: &[BlockingRule],
    swappable: Option<[usize; 2]>,
    data: &Dataset,
    pairs: impl Iterator<Item = (u32, u32, f64)>,
    min_probability: f64,
    field_names: &[String],
) -> RecallEstimate {
    let mut out = RecallEstimate { recall: None, expected_found: 0.0, expected_missed: None, not_estimated: None };
    // the distinct keys of the rules, and each rule's keys as a bit mask over them
    let mut keys: Vec<&BlockKey> = Vec::new();
    let mut needs: Vec<u64> = Vec::new();
    for r in rules {
        let mut mask = 0u64;
        for k in &r.keys {
            let i = match keys.iter().position(|x| *x == k) {
                Some(i) => i,
                None => {
                    keys.push(k);
                    keys.len() - 1
                }
            };
            if i >= 64 {
                out.not_estimated = Some("the rules have more than 64 distinct keys".into());
                return out;
            }
            mask |= 1 << i;
        }
        needs.push(mask);
    }
    // groups of fields: joined by keys over several fields and by the swappable names
    let nf = field_names.len();
    let mut parent: Vec<usize> = (0..nf).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        if a < nf && b < nf {
            let (ra, rb) = (root(parent, a), root(parent, b));
            parent[ra] = rb;
        }
    };
    for k in &keys {
        for f in &k.with {
            join(&mut parent, k.field, *f);
        }
    }
    if let Some([a, b]) = swappable {
        join(&mut parent, a, b);
    }
    // per group: the keys in it, and the rules that use none of them
    let mut groups: Vec<(usize, u64, u16)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let g = if k.field < nf { root(&mut parent, k.field) } else { k.field };
        match groups.iter_mut().find(|(r, _, _)| *r == g) {
            Some((_, m, _)) => *m |= 1 << i,
            None => groups.push((g, 1 << i, 0)),
        }
    }
    let group_fields = |parent: &mut Vec<usize>, g: usize| -> String {
        let names: Vec<&str> =
            (0..nf).filter(|f| root(parent, *f) == g).filter_map(|f| field_names.get(f).map(String::as_str)).collect();
        names.join(", ")
    };
    for (g, m, free) in &mut groups {
        for (r, need) in needs.iter().enumerate() {
            if need & *m == 0 {
                *free |= 1 << r;
            }
        }
        if *free == 0 {
            out.not_estimated = Some(format!("every rule uses {}", group_fields(&mut parent, *g)));
        }
    }
    // the weighted agreements of each group among the matches found by its free rules
    let mut found = vec![Vec::<(u64, f64)>::new(); groups.len()];
    let mut expected = 0.0f64;
    for (a, b, p) in pairs {
        if p < min_probability || !p.is_finite() {
            continue;
        }
        expected += p;
        let (a, b) = (a as usize, b as usize);
        let mut agree = 0u64;
        let mut rules_found = 0u16;
        for (i, k) in keys.iter().enumerate() {
            let x = k.part(|f| data.value(f, a));
            if x.is_some() && x == k.part(|f| data.value(f, b)) {
                agree |= 1 << i;
            }
        }
        for (r, need) in needs.iter().enumerate() {
            if agree & need == *need {
                rules_found |= 1 << r;
            }
        }
        for (gi, (_, m, free)) in groups.iter().enumerate() {
            if rules_found & free != 0 {
                let bits = agree & m;
                match found[gi].iter_mut().find(|(b, _)| *b == bits) {
                    Some((_, w)) => *w += p,
                    None => found[gi].push((bits, p)),
                }
            }
        }
    }
    out.expected_found = expected;
    if out.not_estimated.is_some() {
        return out;
    }
    let mut combinations = 1usize;
    for (gi, dist) in found.iter_mut().enumerate() {
        let total: f64 = dist.iter().map(|(_, w)| w).sum();
        if total < MIN_GROUP_MATCHES {
            let g = groups[gi].0;
            out.not_estimated = Some(format!(
                "fewer than {MIN_GROUP_MATCHES} expected matches found by the rules that do not use {}",
                group_fields(&mut parent, g)
            ));
            return out;
        }
        for (_, w) in dist.iter_mut() {
            *w /= total;
        }
        combinations = combinations.saturating_mul(dist.len().max(1));
    }
    if combinations > MAX_COMBINATIONS {
        out.not_estimated = Some("too many combinations of key agreements".into());
        return out;
    }
    // the probability that some rule has all its keys agreeing, over every combination
    fn walk(found: &[Vec<(u64, f64)>], needs: &[u64], agree: u64, p: f64) -> f64 {
        match found.split_first() {
            None => {
                if needs.iter().any(|n| agree & n == *n) {
                    p
                } else {
                    0.0
                }
            }
            Some((dist, rest)) => dist.iter().map(|(bits, q)| walk(rest, needs, agree | bits, p * q)).sum(),
        }
    }
    let recall = walk(&found, &needs, 0, 1.0).clamp(0.0, 1.0);
    out.recall = Some(recall);
    out.expected_missed = (recall > 0.0).then(|| expected * (1.0 / recall - 1.0));
    out
}
