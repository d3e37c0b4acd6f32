//! Privacy-preserving linkage between countries with Bloom-filter encodings (cryptographic
//! long-term keys, CLK, after Schnell, Bachteler and Reiher 2011).
//!
//! Each country encodes its records locally with a secret shared only between the countries:
//! names become bigrams, dates and codes positional characters; every token sets k bits chosen by
//! HMAC-SHA256 under a per-field key derived from the secret with HKDF-SHA256. Only the encodings
//! are exchanged. Matching compares them by Dice similarity (hardware popcount) and keeps a
//! one-to-one assignment (greedy, best pairs first).

use std::collections::BTreeMap;
use std::io::Read;

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::compare::parse_birth_date;
use crate::data::RawRecord;
use crate::error::{LinkError, Result};
use crate::io::ReadOptions;
use crate::normalize::{CyrillicScheme, fold};

/// How a field is cut into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tokens {
    /// Character bigrams of the folded value, padded with a space at each end.
    Bigrams,
    /// Each character with its position (postcodes, numbers).
    Positional,
    /// A date of birth, read in any accepted format, as positional characters of `YYYYMMDD`.
    Date,
}

/// One encoded field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClkField {
    pub name: String,
    /// Input columns (default: the field's name); several columns are concatenated.
    #[serde(default)]
    pub columns: Vec<String>,
    pub tokens: Tokens,
    /// Bit insertions for the whole field: each token sets `ceil(bits_per_feature / tokens)` bits.
    #[serde(default = "default_bits_per_feature")]
    pub bits_per_feature: u32,
}

fn default_bits_per_feature() -> u32 {
    100
}

/// Optional hardening against frequency and pattern attacks (costs some accuracy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hardening {
    /// Fold the filter in half with XOR (halves its length).
    #[serde(default)]
    pub xor_fold: bool,
    /// Append the complement and permute with a key-derived permutation: every encoding then has
    /// the same number of set bits (a balanced Bloom filter).
    #[serde(default)]
    pub balance: bool,
}

/// The encoding schema both countries agree on (the secret is not part of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClkSchema {
    /// Filter length in bits, a multiple of 64 (1024 is usual).
    #[serde(default = "default_bits")]
    pub bits: usize,
    #[serde(default = "default_id_column")]
    pub id_column: String,
    #[serde(default)]
    pub cyrillic: CyrillicScheme,
    #[serde(default)]
    pub hardening: Hardening,
    #[serde(rename = "field")]
    pub fields: Vec<ClkField>,
}

fn default_bits() -> usize {
    1024
}
fn default_id_column() -> String {
    "id".to_string()
}

impl ClkSchema {
    /// Reads and checks a schema from TOML.
    pub fn from_toml(text: &str) -> Result<ClkSchema> {
        let s: ClkSchema = toml::from_str(text).map_err(|e| LinkError::InvalidSettings(e.to_string()))?;
        s.validate()?;
        Ok(s)
    }

    /// Checks lengths and fields.
    pub fn validate(&self) -> Result<()> {
        if self.bits < 64 || self.bits > 8192 || !self.bits.is_multiple_of(128) {
            return Err(LinkError::InvalidSettings("bits must be a multiple of 128 from 128 to 8192".into()));
        }
        if self.fields.is_empty() {
            return Err(LinkError::InvalidSettings("at least one [[field]] is needed".into()));
        }
        for f in &self.fields {
            if f.bits_per_feature == 0 || f.bits_per_feature as usize > self.bits {
                return Err(LinkError::InvalidSettings(format!("field {:?}: bits_per_feature out of range", f.name)));
            }
        }
        Ok(())
    }

    /// Length in bits of the encodings after hardening.
    pub fn encoded_bits(&self) -> usize {
        let b = if self.hardening.xor_fold { self.bits / 2 } else { self.bits };
        if self.hardening.balance { b * 2 } else { b }
    }

    /// Read options for the schema's columns.
    pub fn read_options(&self, source_name: &str, source: u16) -> ReadOptions {
        ReadOptions {
            source_name: source_name.to_string(),
            source,
            id_column: self.id_column.clone(),
            columns: self
                .fields
                .iter()
                .map(|f| if f.columns.is_empty() { vec![f.name.clone()] } else { f.columns.clone() })
                .collect(),
            label_column: None,
            skip_bad_rows: false,
            delimiter: None,
            encoding: None,
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// Encodes records under a schema and a secret.
pub struct ClkEncoder {
    schema: ClkSchema,
    keys: Vec<HmacSha256>,
    permutation: Vec<u32>,
}

impl ClkEncoder {
    /// Derives one key per field from the shared secret with HKDF-SHA256.
    pub fn new(schema: ClkSchema, secret: &[u8]) -> Result<ClkEncoder> {
        schema.validate()?;
        if secret.len() < 16 {
            return Err(LinkError::InvalidSettings("the shared secret must have at least 16 bytes".into()));
        }
        let hk = Hkdf::<Sha256>::new(Some(b"haven-clk-v1"), secret);
        let mut keys = Vec::new();
        for f in &schema.fields {
            let mut okm = [0u8; 32];
            hk.expand(format!("field:{}", f.name).as_bytes(), &mut okm)
                .map_err(|_| LinkError::InvalidSettings("key derivation failed".into()))?;
            keys.push(
                HmacSha256::new_from_slice(&okm).map_err(|_| LinkError::InvalidSettings("bad key length".into()))?,
            );
        }
        let mut permutation = Vec::new();
        if schema.hardening.balance {
            let n = schema.encoded_bits();
            let mut seed = [0u8; 8];
            hk.expand(b"balance-permutation", &mut seed)
                .map_err(|_| LinkError::InvalidSettings("key derivation failed".into()))?;
            let mut rng = crate::train::SplitMix64(u64::from_le_bytes(seed));
            permutation = (0..n as u32).collect();
            for i in (1..n).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                permutation.swap(i, j);
            }
        }
        Ok(ClkEncoder { schema, keys, permutation })
    }

    /// The schema.
    pub fn schema(&self) -> &ClkSchema {
        &self.schema
    }

    fn tokens(&self, field: &ClkField, value: &str) -> Vec<String> {
        match field.tokens {
            Tokens::Bigrams => {
                let f = fold(value, self.schema.cyrillic);
                let chars: Vec<char> = format!(" {f} ").chars().collect();
                chars.windows(2).map(|w| w.iter().collect()).collect()
            }
            Tokens::Positional => {
                let f: String = fold(value, self.schema.cyrillic).chars().filter(|c| *c != ' ').collect();
                f.chars().enumerate().map(|(i, c)| format!("{i}:{c}")).collect()
            }
            Tokens::Date => match parse_birth_date(value) {
                Ok(d) => format!("{:04}{:02}{:02}", d.year, d.month, d.day)
                    .chars()
                    .enumerate()
                    .map(|(i, c)| format!("{i}:{c}"))
                    .collect(),
                Err(_) => Vec::new(),
            },
        }
    }

    /// Encodes one record's values (in field order; `None` is missing) into filter words.
    pub fn encode(&self, values: &[Option<&str>]) -> Vec<u64> {
        let l = self.schema.bits;
        let mut words = vec![0u64; l / 64];
        for ((field, key), value) in self.schema.fields.iter().zip(&self.keys).zip(values) {
            let Some(v) = value else { continue };
            let toks = self.tokens(field, v);
            if toks.is_empty() {
                continue;
            }
            let k = (field.bits_per_feature as usize).div_ceil(toks.len()).max(1);
            for t in toks {
                let mut mac = key.clone();
                mac.update(t.as_bytes());
                let d = mac.finalize().into_bytes();
                let mut h1b = [0u8; 8];
                let mut h2b = [0u8; 8];
                h1b.copy_from_slice(&d[0..8]);
                h2b.copy_from_slice(&d[8..16]);
                let h1 = u64::from_le_bytes(h1b);
                let h2 = u64::from_le_bytes(h2b) | 1;
                for i in 0..k as u64 {
                    let bit = (h1.wrapping_add(i.wrapping_mul(h2)) % l as u64) as usize;
                    words[bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        if self.schema.hardening.xor_fold {
            let half = words.len() / 2;
            words = (0..half).map(|i| words[i] ^ words[i + half]).collect();
        }
        if self.schema.hardening.balance {
            let n = words.len() * 64;
            let mut full = vec![0u64; words.len() * 2];
            for bit in 0..n {
                let set = words[bit / 64] >> (bit % 64) & 1 == 1;
                for (pos, on) in [(bit, set), (bit + n, !set)] {
                    if on {
                        let p = self.permutation[pos] as usize;
                        full[p / 64] |= 1 << (p % 64);
                    }
                }
            }
            words = full;
        }
        words
    }

    /// The tokens of one record's values with the number of bits each would set, as `(token id,
    /// bits)` sorted by id: the encoding without its hashing into a filter (no collisions, no
    /// hardening). Two records' filters share the first `min(bits)` positions of a common token,
    /// so Dice over these weights is what the filters' Dice estimates; plaintext comparisons use it.
    pub fn token_weights(&self, values: &[Option<&str>]) -> Vec<(u64, u32)> {
        let mut out = Vec::new();
        for ((field, key), value) in self.schema.fields.iter().zip(&self.keys).zip(values) {
            let Some(v) = value else { continue };
            let toks = self.tokens(field, v);
            if toks.is_empty() {
                continue;
            }
            let k = (field.bits_per_feature as usize).div_ceil(toks.len()).max(1) as u32;
            for t in toks {
                let mut mac = key.clone();
                mac.update(t.as_bytes());
                let d = mac.finalize().into_bytes();
                let mut id = [0u8; 8];
                id.copy_from_slice(&d[0..8]);
                out.push((u64::from_le_bytes(id), k));
            }
        }
        out.sort_unstable();
        out.dedup_by_key(|t| t.0);
        out
    }

    /// Encodes records (in parallel).
    pub fn encode_all(&self, records: &[RawRecord]) -> Encodings {
        let words = self.schema.encoded_bits() / 64;
        let encoded: Vec<Vec<u64>> = records
            .par_iter()
            .map(|r| {
                let vals: Vec<Option<&str>> = r.values.iter().map(|v| v.as_deref()).collect();
                self.encode(&vals)
            })
            .collect();
        let mut e = Encodings::new(words);
        for (r, w) in records.iter().zip(encoded) {
            e.push(r.id.clone(), &w);
        }
        e
    }
}

/// A set of encodings of equal length, stored contiguously.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encodings {
    pub words: usize,
    pub ids: Vec<String>,
    pub data: Vec<u64>,
    pub counts: Vec<u32>,
}

impl Encodings {
    /// Empty, for filters of `words` 64-bit words.
    pub fn new(words: usize) -> Encodings {
        Encodings { words, ids: Vec::new(), data: Vec::new(), counts: Vec::new() }
    }

    /// Number of encodings.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds one encoding (must have `words` words).
    pub fn push(&mut self, id: String, words: &[u64]) {
        self.ids.push(id);
        self.counts.push(words.iter().map(|w| w.count_ones()).sum());
        self.data.extend_from_slice(words);
    }

    /// The words of encoding `i`.
    pub fn get(&self, i: usize) -> &[u64] {
        &self.data[i * self.words..(i + 1) * self.words]
    }

    /// Writes `id,clk` CSV with base64 filters.
    pub fn to_csv(&self) -> String {
        let mut s = String::from("id,clk\n");
        for i in 0..self.len() {
            let bytes: Vec<u8> = self.get(i).iter().flat_map(|w| w.to_le_bytes()).collect();
            let id = &self.ids[i];
            if id.contains([',', '"', '\n', '\r']) {
                s.push('"');
                s.push_str(&id.replace('"', "\"\""));
                s.push('"');
            } else {
                s.push_str(id);
            }
            s.push(',');
            s.push_str(&base64_encode(&bytes));
            s.push('\n');
        }
        s
    }

    /// Reads `id,clk` CSV (base64 filters, all of one length).
    pub fn from_csv(input: impl Read, source_name: &str) -> Result<Encodings> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
        let bad =
            |line: u64, message: String| LinkError::BadEncoding { source_name: source_name.to_string(), line, message };
        let mut out: Option<Encodings> = None;
        for row in rdr.byte_records() {
            let row = row.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = row.position().map_or(0, |p| p.line());
            let (Some(id), Some(clk), 2) = (row.get(0), row.get(1), row.len()) else {
                return Err(bad(line, "expected two columns: id,clk".into()));
            };
            let id = std::str::from_utf8(id).map_err(|_| bad(line, "identifier is not valid UTF-8".into()))?;
            let bytes = base64_decode(clk).ok_or_else(|| bad(line, "not valid base64".into()))?;
            if bytes.is_empty() || bytes.len() % 8 != 0 || bytes.len() > 1024 {
                return Err(bad(line, format!("{} bytes is not a filter length", bytes.len())));
            }
            let words: Vec<u64> = bytes
                .chunks_exact(8)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    u64::from_le_bytes(b)
                })
                .collect();
            let e = out.get_or_insert_with(|| Encodings::new(words.len()));
            if words.len() != e.words {
                return Err(bad(line, "encodings of different lengths".into()));
            }
            e.push(id.to_string(), &words);
        }
        Ok(out.unwrap_or_else(|| Encodings::new(16)))
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], c.get(1).copied().unwrap_or(0), c.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= c.len() {
                s.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Decodes standard base64 with padding; `None` if malformed.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let t: Vec<u8> = text.iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
    if !t.len().is_multiple_of(4) {
        return None;
    }
    let val = |c: u8| B64.iter().position(|x| *x == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(t.len() / 4 * 3);
    let chunks = t.len() / 4;
    for (ci, c) in t.chunks(4).enumerate() {
        let pad = c.iter().rev().take_while(|x| **x == b'=').count();
        if pad > 2 || (pad > 0 && ci + 1 != chunks) {
            return None;
        }
        let mut n = 0u32;
        for (i, x) in c.iter().enumerate() {
            let v = if i >= 4 - pad { 0 } else { val(*x)? };
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Sørensen-Dice similarity of two filters: 2|A∧B| / (|A| + |B|).
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    let inter: u32 = a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum();
    let total: u32 = a.iter().chain(b).map(|w| w.count_ones()).sum();
    if total == 0 { 0.0 } else { 2.0 * f64::from(inter) / f64::from(total) }
}

#[inline(always)]
fn and_count_16(a: &[u64; 16], b: &[u64; 16]) -> u32 {
    // four independent sums keep the popcount units busy
    let mut s = [0u32; 4];
    for i in 0..4 {
        s[0] += (a[4 * i] & b[4 * i]).count_ones();
        s[1] += (a[4 * i + 1] & b[4 * i + 1]).count_ones();
        s[2] += (a[4 * i + 2] & b[4 * i + 2]).count_ones();
        s[3] += (a[4 * i + 3] & b[4 * i + 3]).count_ones();
    }
    s[0] + s[1] + s[2] + s[3]
}

#[inline(always)]
fn and_count(a: &[u64], b: &[u64]) -> u32 {
    if let (Ok(x), Ok(y)) = (<&[u64; 16]>::try_from(a), <&[u64; 16]>::try_from(b)) {
        return and_count_16(x, y);
    }
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
}

/// One left 1024-bit filter against a run of right filters (sorted by bit count).
struct Scan16<'a> {
    a: &'a [u64; 16],
    ca: f32,
    rows: &'a [[u64; 16]],
    counts: &'a [u32],
    t: f32,
    left: u32,
    order: &'a [u32],
}

impl Scan16<'_> {
    /// Runs the scan with the widest popcount the CPU has. Release builds target x86-64-v2
    /// (hardware POPCNT, see .cargo/config.toml); on CPUs with AVX-512 VPOPCNTDQ the scan is
    /// compiled a second time for it and chosen at run time.
    fn run(&self, out: &mut Vec<ClkMatch>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512vpopcntdq") {
            // SAFETY: `run_avx512` only differs from `body` by the target features it is compiled
            // for, and the CPU has just been checked to support both of them.
            #[allow(unsafe_code)]
            unsafe {
                self.run_avx512(out)
            };
            return;
        }
        self.body(out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512vpopcntdq")]
    fn run_avx512(&self, out: &mut Vec<ClkMatch>) {
        self.body(out);
    }

    #[inline(always)]
    fn body(&self, out: &mut Vec<ClkMatch>) {
        for (k, (row, cb)) in self.rows.iter().zip(self.counts).enumerate() {
            let inter = and_count_16(self.a, row) as f32;
            let denom = self.ca + *cb as f32;
            if 2.0 * inter >= self.t * denom && denom > 0.0 {
                out.push(ClkMatch { left: self.left, right: self.order[k], dice: 2.0 * inter / denom });
            }
        }
    }
}

/// A pair of encodings at or above the threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClkMatch {
    pub left: u32,
    pub right: u32,
    pub dice: f32,
}

/// Compares every left encoding with every right one (in parallel over left rows) and returns
/// the pairs with Dice >= threshold, and the number of comparisons made. With `prune`, right
/// encodings whose bit count makes the threshold unreachable are skipped.
pub fn candidate_pairs(left: &Encodings, right: &Encodings, threshold: f64, prune: bool) -> (Vec<ClkMatch>, u64) {
    if left.words != right.words || left.is_empty() || right.is_empty() {
        return (Vec::new(), 0);
    }
    // right sorted by bit count for pruning
    let mut order: Vec<u32> = (0..right.len() as u32).collect();
    order.sort_by_key(|i| right.counts[*i as usize]);
    let sorted_counts: Vec<u32> = order.iter().map(|i| right.counts[*i as usize]).collect();
    let mut sorted = Vec::with_capacity(right.data.len());
    for i in &order {
        sorted.extend_from_slice(right.get(*i as usize));
    }
    let w = right.words;
    let t = threshold as f32;
    let results: Vec<(Vec<ClkMatch>, u64)> = (0..left.len())
        .into_par_iter()
        .with_min_len(16)
        .map(|i| {
            let a = left.get(i);
            let ca = left.counts[i] as f32;
            let (lo, hi) = if prune && t > 0.0 {
                let min_c = ca * t / (2.0 - t);
                let max_c = ca * (2.0 - t) / t;
                (
                    sorted_counts.partition_point(|c| (*c as f32) < min_c.floor()),
                    sorted_counts.partition_point(|c| (*c as f32) <= max_c.ceil()),
                )
            } else {
                (0, sorted_counts.len())
            };
            let mut out = Vec::new();
            let counts = &sorted_counts[lo..hi];
            if w == 16 {
                // the common 1024-bit case: fixed-size rows, no bounds checks in the loop
                let (rows, _) = sorted[lo * 16..hi * 16].as_chunks::<16>();
                let mut a16 = [0u64; 16];
                a16.copy_from_slice(a);
                let scan = Scan16 { a: &a16, ca, rows, counts, t, left: i as u32, order: &order[lo..hi] };
                scan.run(&mut out);
            } else {
                for (k, cb) in counts.iter().enumerate() {
                    let j = lo + k;
                    let b = &sorted[j * w..(j + 1) * w];
                    let inter = and_count(a, b) as f32;
                    let denom = ca + *cb as f32;
                    if 2.0 * inter >= t * denom && denom > 0.0 {
                        out.push(ClkMatch { left: i as u32, right: order[j], dice: 2.0 * inter / denom });
                    }
                }
            }
            (out, (hi - lo) as u64)
        })
        .collect();
    let mut all = Vec::new();
    let mut n = 0;
    for (v, c) in results {
        all.extend(v);
        n += c;
    }
    (all, n)
}

/// One-to-one assignment: pairs taken greedily in decreasing similarity, each record used once.
pub fn greedy_one_to_one(mut pairs: Vec<ClkMatch>) -> Vec<ClkMatch> {
    pairs.sort_by(|x, y| y.dice.total_cmp(&x.dice).then(x.left.cmp(&y.left)).then(x.right.cmp(&y.right)));
    let mut used_l = std::collections::HashSet::new();
    let mut used_r = std::collections::HashSet::new();
    let mut out = Vec::new();
    for p in pairs {
        if !used_l.contains(&p.left) && !used_r.contains(&p.right) {
            used_l.insert(p.left);
            used_r.insert(p.right);
            out.push(p);
        }
    }
    out
}

/// Counts of set bits, as a summary for the report.
pub fn bit_count_summary(e: &Encodings) -> BTreeMap<&'static str, f64> {
    let n = e.counts.len().max(1) as f64;
    let mean = e.counts.iter().map(|c| f64::from(*c)).sum::<f64>() / n;
    BTreeMap::from([("mean_bits_set", mean), ("bits", (e.words * 64) as f64)])
}
