//! Records as read from input, and the prepared dataset the engine works on.

use std::collections::HashMap;

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
    /// Name of the input, for error messages.
    pub source_name: String,
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
            comparisons: settings
                .fields
                .iter()
                .map(|f| f.comparison.clone())
                .collect(),
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
                Ok(Some(Value {
                    text: d.canonical().into(),
                    key: d.pack(),
                }))
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
                Ok(Some(Value {
                    text: text.into(),
                    key,
                }))
            }
            Comparison::Text { .. } | Comparison::Exact => {
                let f = fold(&raw.replace('|', " "), self.scheme);
                Ok((!f.is_empty()).then(|| Value {
                    text: f.into(),
                    key: 0,
                }))
            }
            Comparison::Code { .. } => {
                let f: String = fold(raw, self.scheme)
                    .chars()
                    .filter(|c| *c != ' ')
                    .collect();
                Ok((!f.is_empty()).then(|| Value {
                    text: f.into(),
                    key: 0,
                }))
            }
        }
    }
}

/// The prepared records, column by column.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub ids: Vec<String>,
    pub sources: Vec<u16>,
    pub truth: Vec<Option<String>>,
    /// `columns[field][record]`.
    pub columns: Vec<Vec<Option<Value>>>,
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
    pub fn value(&self, field: usize, record: usize) -> Option<&Value> {
        self.columns.get(field)?.get(record)?.as_ref()
    }

    /// Prepares raw records (in parallel, each distinct value once).
    pub fn prepare(
        settings: &ModelSettings,
        records: Vec<RawRecord>,
        policy: BadValues,
    ) -> Result<Dataset> {
        let preparer = Preparer::new(settings);
        let nf = settings.fields.len();
        let mut columns = Vec::with_capacity(nf);
        let mut bad_values = 0u64;
        for f in 0..nf {
            let mut distinct: HashMap<&str, usize> = HashMap::new();
            let mut order: Vec<&str> = Vec::new();
            for r in &records {
                if let Some(Some(v)) = r.values.get(f) {
                    distinct.entry(v.as_str()).or_insert_with(|| {
                        order.push(v.as_str());
                        order.len() - 1
                    });
                }
            }
            let prepared: Vec<std::result::Result<Option<Value>, String>> =
                order.par_iter().map(|v| preparer.prepare(f, v)).collect();
            let mut col = Vec::with_capacity(records.len());
            for r in &records {
                let v = match r.values.get(f) {
                    Some(Some(v)) => {
                        let idx = distinct.get(v.as_str()).copied().unwrap_or(0);
                        match prepared.get(idx) {
                            Some(Ok(p)) => p.clone(),
                            Some(Err(e)) => match policy {
                                BadValues::Fail => {
                                    return Err(LinkError::BadRow {
                                        source_name: r.source_name.clone(),
                                        line: r.line,
                                        message: format!(
                                            "field {:?}: {e}",
                                            settings.fields[f].name
                                        ),
                                    });
                                }
                                BadValues::TreatAsMissing => {
                                    bad_values += 1;
                                    None
                                }
                            },
                            None => None,
                        }
                    }
                    _ => None,
                };
                col.push(v);
            }
            columns.push(col);
        }
        let mut ds = Dataset {
            columns,
            bad_values,
            ..Dataset::default()
        };
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
            self.columns.resize_with(values.len(), Vec::new);
        }
        for (c, v) in self.columns.iter_mut().zip(values) {
            c.push(v);
        }
    }
}
