//! Comparison functions and the levels of agreement they produce.

use serde::{Deserialize, Serialize};

/// Longest strings (in bytes) for [`jaro_ascii`] and [`edit_distance`]'s fast paths.
const SHORT: usize = 64;

/// Jaro similarity on short ASCII byte strings without allocating; `None` when too long. Bit-
/// parallel: each character of `a` takes the first free equal character of `b` within the window,
/// found from a mask of the positions of each character in `b`.
fn jaro_ascii(a: &[u8], b: &[u8]) -> Option<f64> {
    if a.len() > SHORT || b.len() > SHORT {
        return None;
    }
    if a.is_empty() && b.is_empty() {
        return Some(1.0);
    }
    if a.is_empty() || b.is_empty() {
        return Some(0.0);
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    // bits below `n`
    let below = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut positions = [0u64; 128];
    for (j, c) in b.iter().enumerate() {
        positions[usize::from(c & 127)] |= 1 << j;
    }
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, c) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        let free = positions[usize::from(c & 127)] & below(hi) & !below(lo) & !b_flags;
        if free != 0 {
            b_flags |= free & free.wrapping_neg();
            a_flags |= 1 << i;
            matches += 1;
        }
    }
    if matches == 0 {
        return Some(0.0);
    }
    // the matched characters of each string in order, compared pairwise
    let mut transpositions = 0usize;
    let (mut fa, mut fb) = (a_flags, b_flags);
    while fa != 0 {
        let (i, j) = (fa.trailing_zeros() as usize, fb.trailing_zeros() as usize);
        if a.get(i) != b.get(j) {
            transpositions += 1;
        }
        fa &= fa - 1;
        fb &= fb.wrapping_sub(1);
    }
    let m = matches as f64;
    let t = (transpositions / 2) as f64;
    Some((m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0)
}

/// Jaro-Winkler similarity where only whether it reaches `lowest` or more matters: exact when it
/// does, and below `lowest` (possibly 0) otherwise. Short ASCII strings are compared directly (as
/// fast as the bound); for others the linear-time upper bound saves the full computation.
fn jaro_winkler_from(a: &str, b: &str, lowest: f64) -> f64 {
    let short_ascii = a.len() <= SHORT && b.len() <= SHORT && a.is_ascii() && b.is_ascii();
    if !short_ascii && jaro_winkler_upper_bound(a, b) < lowest {
        return 0.0;
    }
    jaro_winkler(a, b)
}

/// An upper bound of the Jaro-Winkler similarity, in linear time: no more characters can match
/// than those of each string that occur in the other. Used to skip the full computation when even
/// the bound is below every threshold.
pub fn jaro_winkler_upper_bound(a: &str, b: &str) -> f64 {
    if !(a.is_ascii() && b.is_ascii()) || a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let set = |s: &str| s.bytes().fold(0u128, |m, c| m | (1u128 << (c & 127)));
    let (sa, sb) = (set(a), set(b));
    let in_b = a.bytes().filter(|c| sb >> (c & 127) & 1 == 1).count();
    let in_a = b.bytes().filter(|c| sa >> (c & 127) & 1 == 1).count();
    let m = in_b.min(in_a) as f64;
    let j = ((m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0).min(1.0);
    j + 0.4 * (1.0 - j)
}

/// Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters, applied above 0.7 as in
/// `strsim`), in `[0, 1]`. Allocation-free (and bit-parallel) for ASCII strings up to 64 bytes.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii()
        && b.is_ascii()
        && let Some(j) = jaro_ascii(a.as_bytes(), b.as_bytes())
    {
        if j <= 0.7 {
            return j;
        }
        let prefix = a.bytes().zip(b.bytes()).take(4).take_while(|(x, y)| x == y).count();
        return (j + 0.1 * prefix as f64 * (1.0 - j)).min(1.0);
    }
    strsim::jaro_winkler(a, b)
}

/// Optimal-string-alignment edit distance (a transposition of neighbours counts as one edit).
/// Allocation-free (and bit-parallel) for ASCII strings up to 63 bytes.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !(a.is_ascii() && b.is_ascii()) || x.len() >= SHORT || y.len() >= SHORT {
        return strsim::osa_distance(a, b);
    }
    if x.is_empty() {
        return y.len();
    }
    if y.is_empty() {
        return x.len();
    }
    osa_ascii(x, y)
}

/// Optimal-string-alignment distance of two non-empty ASCII strings, `x` of at most 64 bytes:
/// Hyyrö's bit-parallel algorithm (2003), a column of the edit-distance table per character of
/// `y` held as bit vectors of vertical differences.
fn osa_ascii(x: &[u8], y: &[u8]) -> usize {
    let mut positions = [0u64; 128];
    for (i, c) in x.iter().enumerate() {
        positions[usize::from(c & 127)] |= 1 << i;
    }
    let (mut vp, mut vn, mut d0, mut pm_before) = (!0u64, 0u64, 0u64, 0u64);
    let last = 1u64 << (x.len() - 1);
    let mut distance = x.len();
    for c in y {
        let pm = positions[usize::from(c & 127)];
        let transposed = ((!d0 & pm) << 1) & pm_before;
        d0 = ((pm & vp).wrapping_add(vp) ^ vp) | pm | vn | transposed;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            distance += 1;
        }
        if hn & last != 0 {
            distance = distance.saturating_sub(1);
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_before = pm;
    }
    distance
}

/// A date of birth as registered: complete, or only partly known (an age estimate becomes a year
/// with a tolerance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate {
    pub year: u16,
    /// 0 when unknown.
    pub month: u8,
    /// 0 when unknown.
    pub day: u8,
    /// Years either side for an estimate; 0 for a registered date.
    pub tolerance: u8,
}

impl BirthDate {
    /// Packs the date into a `u64` (kept with the value for fast comparison).
    pub fn pack(self) -> u64 {
        (u64::from(self.year) << 24)
            | (u64::from(self.month) << 16)
            | (u64::from(self.day) << 8)
            | u64::from(self.tolerance)
    }

    /// The inverse of [`BirthDate::pack`].
    pub fn unpack(v: u64) -> BirthDate {
        BirthDate {
            year: ((v >> 24) & 0xFFFF) as u16,
            month: ((v >> 16) & 0xFF) as u8,
            day: ((v >> 8) & 0xFF) as u8,
            tolerance: (v & 0xFF) as u8,
        }
    }

    fn is_complete(self) -> bool {
        self.month != 0 && self.day != 0 && self.tolerance == 0
    }

    /// Canonical text: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `~YYYY±N`.
    pub fn canonical(self) -> String {
        if self.tolerance > 0 {
            format!("~{}±{}", self.year, self.tolerance)
        } else if self.month == 0 {
            format!("{:04}", self.year)
        } else if self.day == 0 {
            format!("{:04}-{:02}", self.year, self.month)
        } else {
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("{0:?} is not a date (use YYYY-MM-DD, YYYYMMDD, DD.MM.YYYY, DD/MM/YYYY, YYYY-MM or YYYY)")]
    Unreadable(String),
    #[error("{0:?} is not a possible date of birth")]
    Absurd(String),
}

/// Earliest year of birth accepted unless the settings say otherwise.
pub const DEFAULT_MIN_BIRTH_YEAR: u16 = 1880;

/// Latest year of birth accepted.
pub const MAX_BIRTH_YEAR: u16 = 2100;

/// Reads a date of birth: `YYYY-MM-DD`, `YYYYMMDD`, `DD.MM.YYYY`, `DD/MM/YYYY`, `YYYY-MM`, `YYYY`,
/// or an estimate `~YYYY` (± 2 years). Years outside 1880..=2100 and impossible days are absurd.
pub fn parse_birth_date(s: &str) -> Result<BirthDate, DateError> {
    parse_birth_date_since(s, DEFAULT_MIN_BIRTH_YEAR)
}

/// [`parse_birth_date`] with the earliest possible year given (historical registers go back
/// further than 1880).
pub fn parse_birth_date_since(s: &str, min_year: u16) -> Result<BirthDate, DateError> {
    let t = s.trim();
    let unreadable = || DateError::Unreadable(s.chars().take(40).collect());
    let num = |x: &str| -> Result<u16, DateError> {
        if x.is_empty() || x.len() > 4 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unreadable());
        }
        x.parse::<u16>().map_err(|_| unreadable())
    };
    let (year, month, day, tolerance) = if let Some(rest) = t.strip_prefix('~') {
        // `~YYYY` (two years either side) or `~YYYY±N`
        let (y, tolerance) = match rest.split_once('±') {
            Some((y, n)) => match num(n)? {
                n @ 1..=20 => (y, n as u8),
                _ => return Err(unreadable()),
            },
            None => (rest, 2),
        };
        if y.len() != 4 {
            return Err(unreadable());
        }
        (num(y)?, 0, 0, tolerance)
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (num(&t[0..4])?, num(&t[4..6])?, num(&t[6..8])?, 0)
    } else if t.len() == 4 {
        (num(t)?, 0, 0, 0)
    } else {
        let sep = if t.contains('-') {
            '-'
        } else if t.contains('.') {
            '.'
        } else if t.contains('/') {
            '/'
        } else {
            return Err(unreadable());
        };
        let parts: Vec<&str> = t.split(sep).collect();
        match parts.as_slice() {
            [y, m] if y.len() == 4 => (num(y)?, num(m)?, 0, 0),
            [y, m, d] if y.len() == 4 => (num(y)?, num(m)?, num(d)?, 0),
            [d, m, y] if y.len() == 4 => (num(y)?, num(m)?, num(d)?, 0),
            _ => return Err(unreadable()),
        }
    };
    let absurd = || DateError::Absurd(s.chars().take(40).collect());
    if !(min_year..=MAX_BIRTH_YEAR).contains(&year) || month > 12 {
        return Err(absurd());
    }
    let (month, day) = (month as u8, day as u8);
    if day != 0 && (month == 0 || day > days_in_month(year, month)) {
        return Err(absurd());
    }
    Ok(BirthDate { year, month, day, tolerance })
}

/// The year of birth estimated from an age in whole years and the date it was recorded on, with
/// `tolerance` years either side. A person aged A on a date of year Y was born in Y - A, or in
/// Y - A - 1 if the birthday had not yet come: the later year is taken for a date in the second
/// half of the year (or a bare year), the earlier for one in the first half.
pub fn birth_year_from_age(age: &str, recorded: &str, tolerance: u8, min_year: u16) -> Result<BirthDate, String> {
    let age = age.trim();
    let years = age
        .parse::<u16>()
        .ok()
        .filter(|a| *a <= 130 && !age.is_empty() && age.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            format!("age {:?} is not a whole number of years from 0 to 130", age.chars().take(20).collect::<String>())
        })?;
    let on = parse_birth_date_since(recorded, 1).map_err(|e| format!("the date the age was recorded: {e}"))?;
    if on.tolerance != 0 {
        return Err(format!("the date the age was recorded ({recorded:?}) is an estimate"));
    }
    let before_birthday = u16::from(on.month != 0 && on.month <= 6);
    let year = on.year.checked_sub(years + before_birthday).filter(|y| (min_year..=MAX_BIRTH_YEAR).contains(y));
    let year = year.ok_or_else(|| format!("age {years} on {recorded:?} is not a possible date of birth"))?;
    Ok(BirthDate { year, month: 0, day: 0, tolerance: tolerance.max(1) })
}

/// The levels of a date-of-birth comparison, best first.
pub const DATE_LEVELS: [&str; 6] = [
    "exact",
    "day and month swapped",
    "year off by one",
    "one component different",
    "consistent with an age estimate or partial date",
    "different",
];

/// Compares two dates of birth, returning an index into [`DATE_LEVELS`].
pub fn date_level(a: BirthDate, b: BirthDate) -> u8 {
    if a.is_complete() && b.is_complete() {
        if a == b {
            return 0;
        }
        if a.year == b.year && a.month == b.day && a.day == b.month {
            return 1;
        }
        if a.month == b.month && a.day == b.day && a.year.abs_diff(b.year) == 1 {
            return 2;
        }
        let same = u8::from(a.year == b.year) + u8::from(a.month == b.month) + u8::from(a.day == b.day);
        if same == 2 {
            return 3;
        }
        return 5;
    }
    // At least one side is partial or an estimate.
    let tolerance = u16::from(a.tolerance.max(b.tolerance));
    let month_ok = a.month == 0 || b.month == 0 || a.month == b.month;
    let day_ok = a.day == 0 || b.day == 0 || a.day == b.day;
    if a.year.abs_diff(b.year) <= tolerance && month_ok && day_ok {
        if tolerance == 0 && a == b {
            return 0;
        }
        return 4;
    }
    5
}

/// How a field is compared. Each kind has its own ordered levels (best first); a missing value on
/// either side is the separate "missing" level, which carries no weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum Comparison {
    /// Person names: exact (also when tokens are in another order), Jaro-Winkler thresholds, the
    /// same phonetic code (Daitch-Mokotoff) or a shared name, else different.
    Name {
        #[serde(default = "default_jw")]
        jaro_winkler: Vec<f64>,
    },
    /// Free text (address, town): exact, Jaro-Winkler thresholds, else different.
    Text {
        #[serde(default = "default_jw")]
        jaro_winkler: Vec<f64>,
    },
    /// Codes and numbers (postcode, document number): exact, edit distance thresholds, else.
    Code {
        #[serde(default = "default_edits")]
        edits: Vec<u32>,
    },
    /// Dates of birth, with swaps, one-component errors and age estimates.
    Date,
    /// Exact agreement or not.
    Exact,
}

fn default_jw() -> Vec<f64> {
    vec![0.92, 0.8]
}

fn default_edits() -> Vec<u32> {
    vec![1, 2]
}

/// Level index of a missing value.
pub const MISSING: u8 = 0x0F;

impl Comparison {
    /// Names of the levels, best first (the missing level is not listed).
    pub fn level_labels(&self) -> Vec<String> {
        match self {
            Comparison::Name { jaro_winkler } => {
                let mut v = vec!["exact".to_string()];
                let mut it = jaro_winkler.iter();
                if let Some(first) = it.next() {
                    v.push(format!("Jaro-Winkler >= {first}"));
                }
                v.push("same phonetic code or a shared name".to_string());
                for t in it {
                    v.push(format!("Jaro-Winkler >= {t}"));
                }
                v.push("different".to_string());
                v
            }
            Comparison::Text { jaro_winkler } => {
                let mut v = vec!["exact".to_string()];
                v.extend(jaro_winkler.iter().map(|t| format!("Jaro-Winkler >= {t}")));
                v.push("different".to_string());
                v
            }
            Comparison::Code { edits } => {
                let mut v = vec!["exact".to_string()];
                v.extend(edits.iter().map(|t| format!("edit distance <= {t}")));
                v.push("different".to_string());
                v
            }
            Comparison::Date => DATE_LEVELS.iter().map(|s| s.to_string()).collect(),
            Comparison::Exact => vec!["exact".to_string(), "different".to_string()],
        }
    }

    /// Number of levels (without missing).
    pub fn level_count(&self) -> usize {
        match self {
            Comparison::Name { jaro_winkler } => jaro_winkler.len() + 3,
            Comparison::Text { jaro_winkler } => jaro_winkler.len() + 2,
            Comparison::Code { edits } => edits.len() + 2,
            Comparison::Date => DATE_LEVELS.len(),
            Comparison::Exact => 2,
        }
    }

    /// Checks thresholds: at most 12 levels, thresholds in decreasing (JW) or increasing (edits) order.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Comparison::Name { jaro_winkler } | Comparison::Text { jaro_winkler } => {
                if jaro_winkler.len() > 8 {
                    return Err("at most 8 Jaro-Winkler thresholds".into());
                }
                if jaro_winkler.iter().any(|t| !(0.0..=1.0).contains(t)) {
                    return Err("Jaro-Winkler thresholds lie between 0 and 1".into());
                }
                if jaro_winkler.windows(2).any(|w| w[0] <= w[1]) {
                    return Err("Jaro-Winkler thresholds must decrease".into());
                }
            }
            Comparison::Code { edits } => {
                if edits.len() > 8 {
                    return Err("at most 8 edit-distance thresholds".into());
                }
                if edits.windows(2).any(|w| w[0] >= w[1]) {
                    return Err("edit-distance thresholds must increase".into());
                }
            }
            Comparison::Date | Comparison::Exact => {}
        }
        Ok(())
    }
}

/// A prepared field value: folded text plus a key (phonetic code for names, packed date for dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: Box<str>,
    pub key: u64,
}

/// `a == b`, compared in line (the strings are short, and mostly differ in length or early on).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Whether a name has several tokens.
#[inline]
fn has_space(s: &str) -> bool {
    s.bytes().any(|c| c == b' ')
}

fn name_level_single(jw: &[f64], a: &Value, b: &Value) -> u8 {
    if same(&a.text, &b.text) {
        return 0;
    }
    let (ta, tb) = (&*a.text, &*b.text);
    let multi = has_space(ta) || has_space(tb);
    if multi && crate::normalize::sorted_tokens(ta) == crate::normalize::sorted_tokens(tb) {
        return 0;
    }
    let lowest = jw.last().copied().unwrap_or(1.0);
    let s = jaro_winkler_from(ta, tb, lowest);
    if let Some(first) = jw.first()
        && s >= *first
    {
        return 1;
    }
    let shared = multi && ta.split(' ').any(|x| x.len() >= 3 && tb.split(' ').any(|y| y == x));
    if (a.key != 0 && a.key == b.key) || shared {
        return if jw.is_empty() { 1 } else { 2 };
    }
    for (i, t) in jw.iter().enumerate().skip(1) {
        if s >= *t {
            return (i + 2) as u8;
        }
    }
    (jw.len() + 2) as u8
}

fn text_level(jw: &[f64], a: &str, b: &str) -> u8 {
    if same(a, b) {
        return 0;
    }
    let lowest = jw.last().copied().unwrap_or(1.0);
    let s = jaro_winkler_from(a, b, lowest);
    for (i, t) in jw.iter().enumerate() {
        if s >= *t {
            return (i + 1) as u8;
        }
    }
    (jw.len() + 1) as u8
}

fn code_level(edits: &[u32], a: &str, b: &str) -> u8 {
    if same(a, b) {
        return 0;
    }
    let d = edit_distance(a, b);
    for (i, t) in edits.iter().enumerate() {
        if d <= *t as usize {
            return (i + 1) as u8;
        }
    }
    (edits.len() + 1) as u8
}

impl Comparison {
    /// The level of agreement of two values (missing on either side gives [`MISSING`]).
    pub fn level(&self, a: Option<&Value>, b: Option<&Value>) -> u8 {
        let (Some(a), Some(b)) = (a, b) else {
            return MISSING;
        };
        // the same stored value: exact agreement (dates may be estimates, so they are compared)
        if std::ptr::eq(a, b) && *self != Comparison::Date {
            return 0;
        }
        match self {
            Comparison::Name { jaro_winkler } => name_level_single(jaro_winkler, a, b),
            Comparison::Text { jaro_winkler } => text_level(jaro_winkler, &a.text, &b.text),
            Comparison::Code { edits } => code_level(edits, &a.text, &b.text),
            Comparison::Date => date_level(BirthDate::unpack(a.key), BirthDate::unpack(b.key)),
            Comparison::Exact => u8::from(a.text != b.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Jaro similarity as defined, character by character (the reference for the bit-parallel one).
    fn jaro_reference(a: &[u8], b: &[u8]) -> f64 {
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let window = (a.len().max(b.len()) / 2).saturating_sub(1);
        let mut a_flags = vec![false; a.len()];
        let mut b_flags = vec![false; b.len()];
        let mut matches = 0usize;
        for (i, ca) in a.iter().enumerate() {
            for j in i.saturating_sub(window)..(i + window + 1).min(b.len()) {
                if !b_flags[j] && b[j] == *ca {
                    a_flags[i] = true;
                    b_flags[j] = true;
                    matches += 1;
                    break;
                }
            }
        }
        if matches == 0 {
            return 0.0;
        }
        let mut transpositions = 0usize;
        let mut k = 0usize;
        for (i, ca) in a.iter().enumerate() {
            if a_flags[i] {
                while !b_flags[k] {
                    k += 1;
                }
                if b[k] != *ca {
                    transpositions += 1;
                }
                k += 1;
            }
        }
        let m = matches as f64;
        let t = (transpositions / 2) as f64;
        (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0
    }

    /// The edit distance as first written (dynamic programming over three rows): the reference for
    /// the bit-parallel one.
    fn osa_reference(a: &str, b: &str) -> usize {
        const MAX: usize = 64;
        let (x, y) = (a.as_bytes(), b.as_bytes());
        if !(a.is_ascii() && b.is_ascii()) || x.len() >= MAX || y.len() >= MAX {
            return strsim::osa_distance(a, b);
        }
        if x.is_empty() {
            return y.len();
        }
        if y.is_empty() {
            return x.len();
        }
        // three rows used in rotation: row i % 3 is current, (i + 2) % 3 previous, (i + 1) % 3 two ago
        let mut rows = [[0u8; MAX]; 3];
        for (j, p) in rows[0].iter_mut().enumerate().take(y.len() + 1) {
            *p = j as u8;
        }
        for i in 1..=x.len() {
            let (c, p, t) = (i % 3, (i + 2) % 3, (i + 1) % 3);
            rows[c][0] = i as u8;
            for j in 1..=y.len() {
                let cost = u8::from(x[i - 1] != y[j - 1]);
                let mut v = (rows[p][j] + 1).min(rows[c][j - 1] + 1).min(rows[p][j - 1] + cost);
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    v = v.min(rows[t][j - 2] + 1);
                }
                rows[c][j] = v;
            }
        }
        usize::from(rows[x.len() % 3][y.len()])
    }

    proptest! {
        #[test]
        fn bit_parallel_edit_distance_equals_the_reference(a in "[a-d]{0,63}", b in "[a-d]{0,63}") {
            prop_assert_eq!(edit_distance(&a, &b), osa_reference(&a, &b));
        }

        #[test]
        fn bit_parallel_edit_distance_on_short_codes(a in "[0-3 ]{0,8}", b in "[0-3 ]{0,8}") {
            prop_assert_eq!(edit_distance(&a, &b), osa_reference(&a, &b));
            prop_assert_eq!(edit_distance(&a, &b), strsim::osa_distance(&a, &b));
        }

        #[test]
        fn bit_parallel_jaro_equals_the_reference_exactly(a in "[a-f ]{0,64}", b in "[a-f ]{0,64}") {
            let fast = jaro_ascii(a.as_bytes(), b.as_bytes());
            prop_assert_eq!(fast.map(f64::to_bits), Some(jaro_reference(a.as_bytes(), b.as_bytes()).to_bits()));
        }

        #[test]
        fn skipping_by_the_bound_keeps_every_level(a in "[a-e]{0,12}", b in "[a-e]{0,12}", lowest in 0.0f64..1.0) {
            let exact = jaro_winkler(&a, &b);
            let from = jaro_winkler_from(&a, &b, lowest);
            prop_assert!(from == exact || (from < lowest && exact < lowest));
        }

        #[test]
        fn fast_jaro_winkler_agrees_with_strsim(a in "[a-e ]{0,12}", b in "[a-e ]{0,12}") {
            prop_assert!((jaro_winkler(&a, &b) - strsim::jaro_winkler(&a, &b)).abs() < 1e-9);
        }

        #[test]
        fn upper_bound_bounds_jaro_winkler(a in "[a-k ]{0,14}", b in "[a-k ]{0,14}") {
            prop_assert!(jaro_winkler_upper_bound(&a, &b) + 1e-9 >= jaro_winkler(&a, &b));
        }

        #[test]
        fn fast_edit_distance_agrees_with_strsim(a in "[a-d]{0,10}", b in "[a-d]{0,10}") {
            prop_assert_eq!(edit_distance(&a, &b), strsim::osa_distance(&a, &b));
        }

        #[test]
        fn comparisons_are_symmetric_and_bounded(a in "\\PC{0,20}", b in "\\PC{0,20}") {
            let s = jaro_winkler(&a, &b);
            prop_assert!((0.0..=1.0).contains(&s));
            prop_assert!((s - jaro_winkler(&b, &a)).abs() < 1e-9);
            prop_assert_eq!(edit_distance(&a, &b), edit_distance(&b, &a));
        }

        #[test]
        fn date_parser_never_panics(s in "\\PC{0,16}") {
            let _ = parse_birth_date(&s);
        }

        #[test]
        fn date_levels_are_symmetric(y1 in 1900u16..2000, m1 in 1u8..13, d1 in 1u8..29, y2 in 1900u16..2000, m2 in 1u8..13, d2 in 1u8..29) {
            let a = BirthDate { year: y1, month: m1, day: d1, tolerance: 0 };
            let b = BirthDate { year: y2, month: m2, day: d2, tolerance: 0 };
            prop_assert_eq!(date_level(a, b), date_level(b, a));
            prop_assert_eq!(BirthDate::unpack(a.pack()), a);
        }
    }

    #[test]
    fn jaro_winkler_known_values() {
        // Classic values from Winkler (1990) and the strsim/Splink documentation.
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler("dwayne", "duane") - 0.84).abs() < 1e-3);
        assert!((jaro_winkler("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler("abc", "abc"), 1.0);
        assert_eq!(jaro_winkler("abc", "xyz"), 0.0);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("4021", "4012"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn dates_parse_in_common_formats() {
        let d = BirthDate { year: 1990, month: 3, day: 7, tolerance: 0 };
        for s in ["1990-03-07", "19900307", "07.03.1990", "07/03/1990"] {
            assert_eq!(parse_birth_date(s), Ok(d), "{s}");
        }
        assert_eq!(parse_birth_date("~1990").map(|d| d.tolerance), Ok(2));
        let estimate = BirthDate { year: 1985, month: 0, day: 0, tolerance: 1 };
        assert_eq!(parse_birth_date(&estimate.canonical()), Ok(estimate));
        assert!(parse_birth_date("~1985±0").is_err());
        assert!(matches!(parse_birth_date("1990-02-30"), Err(DateError::Absurd(_))));
        assert!(matches!(parse_birth_date("3021-01-01"), Err(DateError::Absurd(_))));
        assert!(matches!(parse_birth_date("yesterday"), Err(DateError::Unreadable(_))));
        assert_eq!(parse_birth_date("2000-02-29").map(|d| d.day), Ok(29));
        assert!(parse_birth_date("1900-02-29").is_err());
    }

    #[test]
    fn birth_years_from_ages() {
        let y = |a: &str, r: &str| birth_year_from_age(a, r, 2, DEFAULT_MIN_BIRTH_YEAR).map(|d| (d.year, d.tolerance));
        assert_eq!(y("38", "2023-09-01"), Ok((1985, 2)));
        assert_eq!(y("38", "01.03.2023"), Ok((1984, 2)));
        assert_eq!(y(" 0 ", "2023"), Ok((2023, 2)));
        assert_eq!(birth_year_from_age("38", "2023-09-01", 0, 1880).map(|d| d.tolerance), Ok(1));
        for (a, r) in
            [("38.5", "2023"), ("-1", "2023"), ("200", "2023"), ("38", "soon"), ("38", "~2023"), ("150", "1990")]
        {
            assert!(y(a, r).is_err(), "{a} {r}");
        }
    }

    #[test]
    fn date_levels() {
        let p = |s| parse_birth_date(s).unwrap();
        assert_eq!(date_level(p("1990-03-07"), p("1990-03-07")), 0);
        assert_eq!(date_level(p("1990-03-07"), p("1990-07-03")), 1);
        assert_eq!(date_level(p("1990-03-07"), p("1991-03-07")), 2);
        assert_eq!(date_level(p("1990-03-07"), p("1990-03-17")), 3);
        assert_eq!(date_level(p("1990-03-07"), p("~1992")), 4);
        assert_eq!(date_level(p("1990-03-07"), p("~1994")), 5);
        assert_eq!(date_level(p("1990-03-07"), p("1985-11-21")), 5);
    }

    #[test]
    fn name_levels() {
        let c = Comparison::Name { jaro_winkler: vec![0.92, 0.8] };
        let v = |s: &str, k| Value { text: s.into(), key: k };
        assert_eq!(c.level(Some(&v("maria elena", 1)), Some(&v("elena maria", 2))), 0);
        assert_eq!(c.level(Some(&v("martha", 1)), Some(&v("marhta", 2))), 1);
        assert_eq!(c.level(Some(&v("iuliia", 7)), Some(&v("julija", 7))), 2);
        assert_eq!(c.level(Some(&v("maria elena", 1)), Some(&v("maria", 2))), 2);
        assert_eq!(c.level(Some(&v("dwayne", 1)), Some(&v("duane", 2))), 3);
        assert_eq!(c.level(Some(&v("anna", 1)), Some(&v("zoltan", 2))), 4);
        assert_eq!(c.level(None, Some(&v("zoltan", 2))), MISSING);
        assert_eq!(c.level_count(), 5);
        for k in [
            Comparison::Name { jaro_winkler: vec![] },
            Comparison::Text { jaro_winkler: vec![0.9] },
            Comparison::Code { edits: vec![1, 2, 3] },
            Comparison::Date,
            Comparison::Exact,
        ] {
            assert_eq!(k.level_count(), k.level_labels().len());
        }
    }
}
