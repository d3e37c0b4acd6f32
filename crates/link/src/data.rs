//! Records as read from input, and the prepared dataset the engine works on.

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use rphonetic::{DaitchMokotoffSoundex, Encoder};

use crate::compare::{Comparison, Value, parse_birth_date};
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

/// Prepares raw values of the fields: folding, phonetic codes, parsed dates.
pub struct Preparer {
    comparisons: Vec<Comparison>,
    scheme: CyrillicScheme,
    soundex: Option<DaitchMokotoffSoundex>,
}

impl Preparer {
    /// A preparer for the fields of `settings`.
    pub fn new(settings: &ModelSettings) -> Preparer {
        Preparer {
            comparisons: settings.fields.iter().map(|f| f.comparison.clone()).collect(),
            scheme: settings.cyrillic,
            soundex: DaitchMokotoffSoundex::default().into(),
        }
    }

    /// Daitch-Mokotoff code of the first token of a folded name, as a number (0 if none).
    pub fn phonetic_code(&self, folded: &str) -> u64 {
        let first = folded.split(' ').next().unwrap_or("");
        let Some(dm) = &self.soundex else { return 0 };
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
                let d = parse_birth_date(raw).map_err(|e| e.to_string())?;
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
        let preparer = Preparer::new(settings);
        let nf = settings.fields.len();
        let mut columns = Vec::with_capacity(nf);
        let mut bad_values = 0u64;
        for f in 0..nf {
            let mut distinct: HashMap<&str, u32> = HashMap::default();
            let mut order: Vec<&str> = Vec::new();
            let mut raw_index: Vec<u32> = Vec::with_capacity(records.len());
            for r in &records {
                match r.values.get(f) {
                    Some(Some(v)) => {
                        let i = *distinct.entry(v.as_str()).or_insert_with(|| {
                            order.push(v.as_str());
                            (order.len() - 1) as u32
                        });
                        raw_index.push(i);
                    }
                    _ => raw_index.push(Column::MISSING),
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
            let mut index = Vec::with_capacity(records.len());
            for (r, ri) in records.iter().zip(&raw_index) {
                if *ri == Column::MISSING {
                    index.push(Column::MISSING);
                    continue;
                }
                let ri = *ri as usize;
                if let Some(Some(e)) = errors.get(ri) {
                    match policy {
                        BadValues::Fail => {
                            return Err(LinkError::BadRow {
                                source_name: r.source_name.to_string(),
                                line: r.line,
                                message: format!("field {:?}: {e}", settings.fields[f].name),
                            });
                        }
                        BadValues::TreatAsMissing => bad_values += 1,
                    }
                }
                index.push(to_value.get(ri).copied().unwrap_or(Column::MISSING));
            }
            columns.push(Column { index, values });
        }
        let mut ds = Dataset { columns, bad_values, ..Dataset::default() };
        for r in records {
            ds.ids.push(r.id);
            ds.sources.push(r.source);
            ds.truth.push(r.truth);
        }
        Ok(ds)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn preparer() -> Preparer {
        Preparer {
            comparisons: vec![Comparison::Name { jaro_winkler: vec![0.92, 0.8] }, Comparison::Date],
            scheme: CyrillicScheme::Icao,
            soundex: Some(DaitchMokotoffSoundex::default()),
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
