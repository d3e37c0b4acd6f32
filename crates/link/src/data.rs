//! Records as read from input, and the prepared dataset the engine works on.

use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use rphonetic::{DaitchMokotoffSoundex, Encoder};

use crate::compare::{Comparison, Value, parse_birth_date_since};
use crate::error::{LinkError, Result};
use crate::model::ModelSettings;
use crate::normalize::{CyrillicScheme, fold};

/// One input record, before preparation: raw text per field (alternatives from several columns
/// joined by `|`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    pub id: String,
    /// Which input (dataset, agency, country) it came from.
    pub source: u16,
    pub values: Vec<Option<String>>,
    /// Ground-truth person, when known (for evaluation and labelled training only).
    pub truth: Option<String>,
    /// Line in the input file, for error messages.
    pub line: u64,
    /// Name of the input, for error messages (shared by the records of one input).
    pub source_name: std::sync::Arc<str>,
}

/// Marks a missing value in [`RawChunk::spans`].
const NO_SPAN: (u32, u32) = (u32::MAX, u32::MAX);

/// Records as read from input, stored compactly: the text of all values of a run of records in
/// one buffer (no allocation per value). The same content as a list of [`RawRecord`]s, to which it
/// converts both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRecords {
    /// Number of fields of every record.
    fields: usize,
    chunks: Vec<RawChunk>,
}

/// Records of one input, one after another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawChunk {
    /// Slots per record: the identifier, each field's value, the truth.
    width: usize,
    source: u16,
    source_name: Arc<str>,
    text: String,
    /// `width` byte ranges in `text` per record, [`NO_SPAN`] for a missing value.
    spans: Vec<(u32, u32)>,
    lines: Vec<u64>,
}

impl RawChunk {
    fn new(fields: usize, source: u16, source_name: Arc<str>) -> RawChunk {
        RawChunk { width: fields + 2, source, source_name, text: String::new(), spans: Vec::new(), lines: Vec::new() }
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }

    fn slot(&self, record: usize, slot: usize) -> Option<&str> {
        let (s, e) = *self.spans.get(record * self.width + slot)?;
        if (s, e) == NO_SPAN { None } else { self.text.get(s as usize..e as usize) }
    }

    pub(crate) fn id(&self, record: usize) -> &str {
        self.slot(record, 0).unwrap_or("")
    }

    pub(crate) fn value(&self, record: usize, field: usize) -> Option<&str> {
        if field + 2 >= self.width { None } else { self.slot(record, 1 + field) }
    }

    pub(crate) fn truth(&self, record: usize) -> Option<&str> {
        self.slot(record, self.width - 1)
    }

    pub(crate) fn line(&self, record: usize) -> u64 {
        self.lines.get(record).copied().unwrap_or(0)
    }

    pub(crate) fn source_name(&self) -> &str {
        &self.source_name
    }

    /// Appends a record; false (and nothing appended) when its text does not fit in the chunk.
    fn try_push(
        &mut self,
        line: u64,
        id: &str,
        values: &mut impl FnMut(usize, &mut String) -> bool,
        truth: Option<&str>,
    ) -> bool {
        let (text_len, spans_len) = (self.text.len(), self.spans.len());
        let mut fits = true;
        let mut span = |text: &String, start: usize| -> (u32, u32) {
            match (u32::try_from(start), u32::try_from(text.len())) {
                (Ok(s), Ok(e)) if e < u32::MAX => (s, e),
                _ => {
                    fits = false;
                    NO_SPAN
                }
            }
        };
        let start = self.text.len();
        self.text.push_str(id);
        let sp = span(&self.text, start);
        self.spans.push(sp);
        for f in 0..self.width - 2 {
            let start = self.text.len();
            if values(f, &mut self.text) {
                let sp = span(&self.text, start);
                self.spans.push(sp);
            } else {
                self.text.truncate(start);
                self.spans.push(NO_SPAN);
            }
        }
        match truth {
            Some(t) => {
                let start = self.text.len();
                self.text.push_str(t);
                let sp = span(&self.text, start);
                self.spans.push(sp);
            }
            None => self.spans.push(NO_SPAN),
        }
        if fits {
            self.lines.push(line);
        } else {
            self.text.truncate(text_len);
            self.spans.truncate(spans_len);
        }
        fits
    }

    /// Keeps the records for which `keep(record)` holds.
    pub(crate) fn retain(&mut self, keep: impl Fn(usize) -> bool) {
        let mut kept = RawChunk::new(self.width - 2, self.source, self.source_name.clone());
        for r in (0..self.len()).filter(|r| keep(*r)) {
            let mut values = |f: usize, out: &mut String| match self.value(r, f) {
                Some(v) => {
                    out.push_str(v);
                    true
                }
                None => false,
            };
            // the records fitted before, so they fit again
            kept.try_push(self.line(r), self.id(r), &mut values, self.truth(r));
        }
        *self = kept;
    }
}

impl RawRecords {
    /// No records, each to have `fields` fields.
    pub fn new(fields: usize) -> RawRecords {
        RawRecords { fields, chunks: Vec::new() }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(RawChunk::len).sum()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.len() == 0)
    }

    /// Number of fields of every record.
    pub fn fields(&self) -> usize {
        self.fields
    }

    pub(crate) fn chunks(&self) -> &[RawChunk] {
        &self.chunks
    }

    pub(crate) fn chunks_mut(&mut self) -> &mut [RawChunk] {
        &mut self.chunks
    }

    /// Appends a record: `values(f, out)` writes field `f`'s value to `out` and returns whether
    /// there is one. False (and nothing appended) for a record of more than 4 GB of text.
    pub(crate) fn push(
        &mut self,
        source: u16,
        source_name: &Arc<str>,
        line: u64,
        id: &str,
        mut values: impl FnMut(usize, &mut String) -> bool,
        truth: Option<&str>,
    ) -> bool {
        let same_input = |c: &RawChunk| c.source == source && *c.source_name == **source_name;
        if !self.chunks.last().is_some_and(same_input) {
            self.chunks.push(RawChunk::new(self.fields, source, source_name.clone()));
        }
        for _ in 0..2 {
            let Some(chunk) = self.chunks.last_mut() else { return false };
            if chunk.try_push(line, id, &mut values, truth) {
                return true;
            }
            if chunk.len() == 0 {
                return false;
            }
            self.chunks.push(RawChunk::new(self.fields, source, source_name.clone()));
        }
        false
    }

    /// Appends the records of `other`.
    pub fn append(&mut self, other: RawRecords) {
        if self.is_empty() {
            *self = other;
        } else if other.fields == self.fields {
            self.chunks.extend(other.chunks);
        } else {
            let fields = self.fields.max(other.fields);
            let mut all = std::mem::take(self).into_records();
            all.extend(other.into_records());
            *self = RawRecords::from_records(fields, all);
        }
    }

    /// The records, each with `fields` values (values beyond are dropped, missing ones added).
    /// A record of more than 4 GB of text loses the values that do not fit.
    pub fn from_records(fields: usize, records: Vec<RawRecord>) -> RawRecords {
        let mut out = RawRecords::new(fields);
        for r in records {
            let value = |f: usize| r.values.get(f).and_then(Option::as_deref);
            let write = |f: usize, out: &mut String| match value(f) {
                Some(v) => {
                    out.push_str(v);
                    true
                }
                None => false,
            };
            if !out.push(r.source, &r.source_name, r.line, &r.id, write, r.truth.as_deref()) {
                out.push(r.source, &r.source_name, r.line, "", |_, _| false, None);
            }
        }
        out
    }

    /// The records one by one.
    pub fn into_records(self) -> Vec<RawRecord> {
        let mut out = Vec::with_capacity(self.len());
        for c in &self.chunks {
            for r in 0..c.len() {
                out.push(RawRecord {
                    id: c.id(r).to_string(),
                    source: c.source,
                    values: (0..self.fields).map(|f| c.value(r, f).map(str::to_string)).collect(),
                    truth: c.truth(r).map(str::to_string),
                    line: c.line(r),
                    source_name: c.source_name.clone(),
                });
            }
        }
        out
    }
}

/// What to do with a value that cannot be read (a date of 31 February, a name of 5,000 letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadValues {
    /// Stop with an error naming the line.
    #[default]
    Fail,
    /// Treat the value as missing and count it.
    TreatAsMissing,
}

/// Longest accepted field value, in characters.
pub const MAX_VALUE_CHARS: usize = 256;

/// The Daitch-Mokotoff encoder, built once: building it parses the rule set, which cost more than
/// the encoding itself when every index and record built its own.
static SOUNDEX: LazyLock<DaitchMokotoffSoundex> = LazyLock::new(DaitchMokotoffSoundex::default);

/// Prepares raw values of the fields: folding, phonetic codes, parsed dates.
pub struct Preparer {
    comparisons: Vec<Comparison>,
    scheme: CyrillicScheme,
    soundex: Option<&'static DaitchMokotoffSoundex>,
    /// Earliest possible year of birth.
    min_birth_year: u16,
}

impl Preparer {
    /// A preparer for the fields of `settings`.
    pub fn new(settings: &ModelSettings) -> Preparer {
        Preparer {
            comparisons: settings.fields.iter().map(|f| f.comparison.clone()).collect(),
            scheme: settings.cyrillic,
            soundex: Some(&SOUNDEX),
            min_birth_year: settings.min_birth_year,
        }
    }

    /// Daitch-Mokotoff code of the first token of a folded name, as a number (0 if none).
    pub fn phonetic_code(&self, folded: &str) -> u64 {
        let first = folded.split(' ').next().unwrap_or("");
        let Some(dm) = self.soundex else { return 0 };
        if first.is_empty() {
            return 0;
        }
        let code = dm.encode(first);
        code.parse::<u64>().map(|c| c + 1).unwrap_or(0)
    }

    /// Prepares one raw value of field `field`. `Ok(None)` for an empty value.
    pub fn prepare(&self, field: usize, raw: &str) -> std::result::Result<Option<Value>, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        if raw.chars().count() > MAX_VALUE_CHARS {
            return Err(format!("a value longer than {MAX_VALUE_CHARS} characters"));
        }
        let Some(cmp) = self.comparisons.get(field) else {
            return Err("no such field".into());
        };
        match cmp {
            Comparison::Date => {
                let d = parse_birth_date_since(raw, self.min_birth_year).map_err(|e| e.to_string())?;
                Ok(Some(Value { text: d.canonical().into(), key: d.pack() }))
            }
            Comparison::Name { .. } => {
                let mut tokens: Vec<String> = Vec::new();
                for alt in raw.split('|') {
                    for t in fold(alt, self.scheme).split(' ') {
                        if !t.is_empty() && !tokens.iter().any(|x| x == t) {
                            tokens.push(t.to_string());
                        }
                    }
                }
                if tokens.is_empty() {
                    return Ok(None);
                }
                let text = tokens.join(" ");
                let key = self.phonetic_code(&text);
                Ok(Some(Value { text: text.into(), key }))
            }
            Comparison::Text { .. } | Comparison::Exact => {
                let f = fold(&raw.replace('|', " "), self.scheme);
                Ok((!f.is_empty()).then(|| Value { text: f.into(), key: 0 }))
            }
            Comparison::Code { .. } => {
                let f: String = fold(raw, self.scheme).chars().filter(|c| *c != ' ').collect();
                Ok((!f.is_empty()).then(|| Value { text: f.into(), key: 0 }))
            }
        }
    }
}

/// One field's prepared values: each distinct value stored once, records point to it.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// Per record: position in `values`, or [`Column::MISSING`].
    pub index: Vec<u32>,
    pub values: Vec<Value>,
}

impl Column {
    /// Index of a missing value.
    pub const MISSING: u32 = u32::MAX;

    /// The value of a record.
    pub fn get(&self, record: usize) -> Option<&Value> {
        let i = *self.index.get(record)?;
        if i == Self::MISSING { None } else { self.values.get(i as usize) }
    }

    /// The values of all records (missing ones skipped).
    pub fn iter(&self) -> impl Iterator<Item = &Value> {
        self.index.iter().filter(|i| **i != Self::MISSING).filter_map(|i| self.values.get(*i as usize))
    }
}

/// The prepared records, column by column.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub ids: Vec<String>,
    pub sources: Vec<u16>,
    pub truth: Vec<Option<String>>,
    /// One column per field.
    pub columns: Vec<Column>,
    /// Values that could not be read and were treated as missing.
    pub bad_values: u64,
}

impl Dataset {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The prepared value of `field` for `record`.
    #[inline]
    pub fn value(&self, field: usize, record: usize) -> Option<&Value> {
        self.columns.get(field)?.get(record)
    }

    /// Prepares raw records (in parallel, each distinct value once).
    pub fn prepare(settings: &ModelSettings, records: Vec<RawRecord>, policy: BadValues) -> Result<Dataset> {
        Dataset::prepare_raw(settings, RawRecords::from_records(settings.raw_slots(), records), policy)
    }

    /// Prepares raw records (in parallel, each distinct value once).
    pub fn prepare_raw(settings: &ModelSettings, records: RawRecords, policy: BadValues) -> Result<Dataset> {
        let preparer = Preparer::new(settings);
        let nf = settings.fields.len();
        // the fields in parallel; the first error in field order is the one reported, as if they
        // were prepared one after another
        let prepared: Vec<Result<(Column, u64)>> =
            (0..nf).into_par_iter().map(|f| prepare_column(settings, &preparer, &records, f, policy)).collect();
        let mut columns = Vec::with_capacity(nf);
        let mut bad_values = 0u64;
        for p in prepared {
            let (column, bad) = p?;
            columns.push(column);
            bad_values += bad;
        }
        let chunks = records.chunks();
        let ids: Vec<String> =
            chunks.par_iter().flat_map_iter(|c| (0..c.len()).map(move |r| c.id(r).to_string())).collect();
        let truth: Vec<Option<String>> =
            chunks.par_iter().flat_map_iter(|c| (0..c.len()).map(move |r| c.truth(r).map(str::to_string))).collect();
        let sources: Vec<u16> = chunks.iter().flat_map(|c| std::iter::repeat_n(c.source, c.len())).collect();
        Ok(Dataset { ids, sources, truth, columns, bad_values })
    }

    /// Appends one prepared record.
    pub fn push(&mut self, id: String, source: u16, values: Vec<Option<Value>>) {
        self.ids.push(id);
        self.sources.push(source);
        self.truth.push(None);
        if self.columns.len() < values.len() {
            self.columns.resize_with(values.len(), Column::default);
        }
        for (c, v) in self.columns.iter_mut().zip(values) {
            match v {
                Some(v) => {
                    c.index.push(c.values.len() as u32);
                    c.values.push(v);
                }
                None => c.index.push(Column::MISSING),
            }
        }
    }
}

/// Per record, for a date of birth with an age estimate in the settings: where the date is empty
/// and both the age and the date it was recorded are given, the estimated year of birth as text
/// (`~1985±2`) or why there is none. Empty for other fields.
fn age_estimates(
    settings: &ModelSettings,
    records: &RawRecords,
    f: usize,
) -> Vec<Option<std::result::Result<String, String>>> {
    let (Some((age, on)), Some(a)) = (settings.age_slots(f), settings.fields.get(f).and_then(|x| x.age.as_ref()))
    else {
        return Vec::new();
    };
    let min_year = settings.min_birth_year;
    records
        .chunks()
        .iter()
        .flat_map(|c| {
            (0..c.len()).map(move |r| match (c.value(r, f), c.value(r, age), c.value(r, on)) {
                (None, Some(years), Some(on)) => {
                    Some(crate::compare::birth_year_from_age(years, on, a.tolerance, min_year).map(|d| d.canonical()))
                }
                _ => None,
            })
        })
        .collect()
}

/// Prepares field `f` of the records: each distinct raw value once (in parallel), then the index of
/// every record. Returns the column and the number of values treated as missing.
fn prepare_column(
    settings: &ModelSettings,
    preparer: &Preparer,
    records: &RawRecords,
    f: usize,
    policy: BadValues,
) -> Result<(Column, u64)> {
    let n = records.len();
    let estimates = age_estimates(settings, records, f);
    let mut bad_estimates = 0u64;
    let mut distinct: HashMap<&str, u32> = HashMap::default();
    let mut order: Vec<&str> = Vec::new();
    let mut raw_index: Vec<u32> = Vec::with_capacity(n);
    for c in records.chunks() {
        for r in 0..c.len() {
            // an empty date of birth: the estimate from the age, if there is one
            let estimate = match estimates.get(raw_index.len()) {
                Some(Some(Err(e))) => match policy {
                    BadValues::Fail => {
                        return Err(LinkError::BadRow {
                            source_name: c.source_name().to_string(),
                            line: c.line(r),
                            message: format!("field {:?}: {e}", settings.fields[f].name),
                        });
                    }
                    BadValues::TreatAsMissing => {
                        bad_estimates += 1;
                        None
                    }
                },
                Some(Some(Ok(text))) => Some(text.as_str()),
                _ => None,
            };
            match c.value(r, f).or(estimate) {
                Some(v) => {
                    let i = *distinct.entry(v).or_insert_with(|| {
                        order.push(v);
                        (order.len() - 1) as u32
                    });
                    raw_index.push(i);
                }
                None => raw_index.push(Column::MISSING),
            }
        }
    }
    drop(distinct);
    let prepared: Vec<std::result::Result<Option<Value>, String>> =
        order.par_iter().map(|v| preparer.prepare(f, v)).collect();
    // distinct raw value -> position among the usable values
    let mut values = Vec::new();
    let mut to_value = Vec::with_capacity(prepared.len());
    let mut errors: Vec<Option<String>> = Vec::with_capacity(prepared.len());
    for p in prepared {
        match p {
            Ok(Some(v)) => {
                to_value.push(values.len() as u32);
                values.push(v);
                errors.push(None);
            }
            Ok(None) => {
                to_value.push(Column::MISSING);
                errors.push(None);
            }
            Err(e) => {
                to_value.push(Column::MISSING);
                errors.push(Some(e));
            }
        }
    }
    let mut bad_values = bad_estimates;
    let mut index = Vec::with_capacity(n);
    let located = records.chunks().iter().flat_map(|c| (0..c.len()).map(move |r| (c, r)));
    for ((c, r), ri) in located.zip(&raw_index) {
        if *ri == Column::MISSING {
            index.push(Column::MISSING);
            continue;
        }
        let ri = *ri as usize;
        if let Some(Some(e)) = errors.get(ri) {
            match policy {
                BadValues::Fail => {
                    return Err(LinkError::BadRow {
                        source_name: c.source_name().to_string(),
                        line: c.line(r),
                        message: format!("field {:?}: {e}", settings.fields[f].name),
                    });
                }
                BadValues::TreatAsMissing => bad_values += 1,
            }
        }
        index.push(to_value.get(ri).copied().unwrap_or(Column::MISSING));
    }
    Ok((Column { index, values }, bad_values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preparer() -> Preparer {
        Preparer {
            comparisons: vec![Comparison::Name { jaro_winkler: vec![0.92, 0.8] }, Comparison::Date],
            scheme: CyrillicScheme::Icao,
            soundex: Some(&SOUNDEX),
            min_birth_year: crate::compare::DEFAULT_MIN_BIRTH_YEAR,
        }
    }

    #[test]
    fn phonetic_codes_bring_transliterations_together() {
        let p = preparer();
        let code = |s: &str| p.prepare(0, s).unwrap().unwrap().key;
        assert_eq!(code("Shevchenko"), code("Szewczenko"));
        assert_eq!(code("Shevchenko"), code("Schewtschenko"));
        assert_eq!(code("Шевченко"), code("Shevchenko"));
        assert_ne!(code("Shevchenko"), code("Kowalska"));
    }

    #[test]
    fn names_fold_and_keep_alternatives_as_tokens() {
        let p = preparer();
        let v = p.prepare(0, "Kowalská|Nowak").unwrap().unwrap();
        assert_eq!(&*v.text, "kowalska nowak");
        assert_eq!(p.prepare(0, "   ").unwrap(), None);
        assert!(p.prepare(0, &"x".repeat(300)).is_err());
        let d = p.prepare(1, "07.03.1990").unwrap().unwrap();
        assert_eq!(&*d.text, "1990-03-07");
        assert!(p.prepare(1, "1990-13-01").is_err());
    }
}
