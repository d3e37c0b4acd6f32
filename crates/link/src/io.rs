//! Reading records (CSV, JSON Lines) with a column mapping, and writing pairs and clusters.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::io::{BufRead, BufReader, Read, Write};

use crate::data::RawRecord;
use crate::error::{LinkError, Result};
use crate::model::ModelSettings;

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    /// From a file name: `.jsonl`/`.ndjson` are JSON Lines, everything else CSV.
    pub fn from_path(path: &str) -> Format {
        if path.ends_with(".jsonl") || path.ends_with(".ndjson") { Format::JsonLines } else { Format::Csv }
    }
}

/// Where each field's values come from, and what to do with bad rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Name of the input for messages (a file name).
    pub source_name: String,
    /// Number of the input (dataset) the records belong to.
    pub source: u16,
    pub id_column: String,
    /// Columns per field, in field order; several columns are alternatives.
    pub columns: Vec<Vec<String>>,
    /// Column with the known person (ground truth or labels), if any.
    pub label_column: Option<String>,
    /// Skip bad rows and count them, instead of stopping at the first.
    pub skip_bad_rows: bool,
}

impl ReadOptions {
    /// Options from the model settings, with `overrides` (field -> columns) applied.
    pub fn new(
        settings: &ModelSettings,
        source_name: &str,
        source: u16,
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> ReadOptions {
        let columns = (0..settings.fields.len())
            .map(|i| overrides.get(&settings.fields[i].name).cloned().unwrap_or_else(|| settings.columns_of(i)))
            .collect();
        ReadOptions {
            source_name: source_name.to_string(),
            source,
            id_column: settings.id_column.clone(),
            columns,
            label_column: None,
            skip_bad_rows: false,
        }
    }
}

/// Parses a column mapping `field=col[,col...]`.
pub fn parse_mapping(items: &[String]) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for item in items {
        let Some((field, cols)) = item.split_once('=') else {
            return Err(LinkError::InvalidSettings(format!("mapping {item:?} is not field=column[,column]")));
        };
        let cols: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        if field.trim().is_empty() || cols.is_empty() {
            return Err(LinkError::InvalidSettings(format!("mapping {item:?} is not field=column[,column]")));
        }
        out.insert(field.trim().to_string(), cols);
    }
    Ok(out)
}

/// What reading found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub rows: u64,
    pub skipped: u64,
    /// The first skipped rows: (line, reason).
    pub skipped_examples: Vec<(u64, String)>,
}

/// Longest accepted identifier.
const MAX_ID_CHARS: usize = 200;

/// The columns a reader needs, in a fixed order: the id, each field's columns, the label.
struct Needed {
    names: Vec<String>,
    /// Range in `names` of each field's columns.
    fields: Vec<std::ops::Range<usize>>,
    label: Option<usize>,
}

impl Needed {
    fn new(opts: &ReadOptions) -> Needed {
        let mut names = vec![opts.id_column.clone()];
        let mut fields = Vec::new();
        for cols in &opts.columns {
            let start = names.len();
            names.extend(cols.iter().cloned());
            fields.push(start..names.len());
        }
        let label = opts.label_column.as_ref().map(|l| {
            names.push(l.clone());
            names.len() - 1
        });
        Needed { names, fields, label }
    }
}

struct Builder<'a> {
    opts: &'a ReadOptions,
    needed: Needed,
    source_name: std::sync::Arc<str>,
    records: Vec<RawRecord>,
    stats: ReadStats,
    seen_ids: HashMap<String, u64>,
}

impl Builder<'_> {
    fn new(opts: &ReadOptions) -> Builder<'_> {
        Builder {
            opts,
            needed: Needed::new(opts),
            source_name: opts.source_name.as_str().into(),
            records: Vec::new(),
            stats: ReadStats::default(),
            seen_ids: HashMap::default(),
        }
    }

    fn bad(&self, line: u64, message: String) -> LinkError {
        LinkError::BadRow { source_name: self.opts.source_name.clone(), line, message }
    }

    fn reject(&mut self, line: u64, message: String) -> Result<()> {
        if self.opts.skip_bad_rows {
            self.stats.skipped += 1;
            if self.stats.skipped_examples.len() < 100 {
                self.stats.skipped_examples.push((line, message));
            }
            Ok(())
        } else {
            Err(self.bad(line, message))
        }
    }

    /// Adds a row given the value of each needed column (by position in `needed.names`).
    fn add<'v>(&mut self, line: u64, get: impl Fn(usize) -> Option<&'v str>) -> Result<()> {
        self.stats.rows += 1;
        let id = get(0).map(str::trim).unwrap_or("");
        if id.is_empty() {
            return self.reject(line, format!("empty identifier in column {:?}", self.opts.id_column));
        }
        if id.chars().count() > MAX_ID_CHARS {
            return self.reject(line, format!("identifier longer than {MAX_ID_CHARS} characters"));
        }
        if let Some(first) = self.seen_ids.get(id) {
            let first = *first;
            return self.reject(line, format!("identifier {id:?} already used on line {first}"));
        }
        let mut values = Vec::with_capacity(self.needed.fields.len());
        for range in &self.needed.fields {
            let mut joined: Option<String> = None;
            for i in range.clone() {
                if let Some(v) = get(i).map(str::trim).filter(|v| !v.is_empty()) {
                    match &mut joined {
                        Some(j) => {
                            j.push('|');
                            j.push_str(v);
                        }
                        None => joined = Some(v.to_string()),
                    }
                }
            }
            values.push(joined);
        }
        let truth = self.needed.label.and_then(&get).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        self.seen_ids.insert(id.to_string(), line);
        self.records.push(RawRecord {
            id: id.to_string(),
            source: self.opts.source,
            values,
            truth,
            line,
            source_name: self.source_name.clone(),
        });
        Ok(())
    }
}

fn check_columns(opts: &ReadOptions, present: impl Fn(&str) -> bool) -> Result<()> {
    let mut needed: Vec<&String> = vec![&opts.id_column];
    needed.extend(opts.columns.iter().flatten());
    needed.extend(opts.label_column.iter());
    for c in needed {
        if !present(c) {
            return Err(LinkError::MissingColumn { source_name: opts.source_name.clone(), column: c.clone() });
        }
    }
    Ok(())
}

/// Reads CSV (UTF-8, header row). Rows with the wrong number of fields, invalid UTF-8, an empty or
/// repeated identifier are errors naming the line, or are skipped and counted.
pub fn read_csv(input: impl Read, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input);
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(LinkError::BadRow { source_name: opts.source_name.clone(), line: 1, message: e.to_string() });
        }
    };
    let header: Vec<String> =
        headers.iter().map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string()).collect();
    let index: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    check_columns(opts, |c| index.contains_key(c))?;
    let mut b = Builder::new(opts);
    let positions: Vec<usize> =
        b.needed.names.iter().map(|n| index.get(n.as_str()).copied().unwrap_or(usize::MAX)).collect();
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = rdr.position().line() + 1;
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                b.reject(line, format!("malformed CSV: {e}"))?;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = rec.position().map_or(line, |p| p.line());
        if rec.len() != header.len() {
            b.reject(line, format!("{} fields where the header has {}", rec.len(), header.len()))?;
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(rec.len());
        let mut bad = None;
        for (i, f) in rec.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    bad = Some(format!("column {:?} is not valid UTF-8 (convert the file to UTF-8)", header[i]));
                    break;
                }
            }
        }
        if let Some(m) = bad {
            b.reject(line, m)?;
            continue;
        }
        b.add(line, |i| positions.get(i).and_then(|p| fields.get(*p)).copied())?;
    }
    Ok((b.records, b.stats))
}

/// Reads JSON Lines: one object per line; values are strings, numbers, booleans or null.
pub fn read_jsonl(input: impl Read, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    let mut b = Builder::new(opts);
    let mut reader = BufReader::new(input);
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut checked = false;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| LinkError::Io { path: opts.source_name.clone(), source: e })?;
        if n == 0 {
            break;
        }
        line += 1;
        let Ok(text) = std::str::from_utf8(&buf) else {
            b.reject(line, "not valid UTF-8 (convert the file to UTF-8)".into())?;
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text) {
            Ok(o) => o,
            Err(e) => {
                b.reject(line, format!("not a JSON object: {e}"))?;
                continue;
            }
        };
        if !checked {
            check_columns(opts, |c| obj.contains_key(c))?;
            checked = true;
        }
        let mut flat: HashMap<&str, String> = HashMap::default();
        let mut bad = None;
        for (k, v) in &obj {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(x) => x.to_string(),
                serde_json::Value::Null => continue,
                _ => {
                    bad = Some(format!("field {k:?} is a list or object, not a value"));
                    break;
                }
            };
            flat.insert(k.as_str(), s);
        }
        if let Some(m) = bad {
            b.reject(line, m)?;
            continue;
        }
        let names = b.needed.names.clone();
        b.add(line, |i| names.get(i).and_then(|c| flat.get(c.as_str())).map(String::as_str))?;
    }
    Ok((b.records, b.stats))
}

/// Reads records in either format.
pub fn read_records(input: impl Read, format: Format, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    match format {
        Format::Csv => read_csv(input, opts),
        Format::JsonLines => read_jsonl(input, opts),
    }
}

/// Opens and reads a file.
pub fn read_file(path: &str, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    let f = std::fs::File::open(path).map_err(|e| LinkError::Io { path: path.to_string(), source: e })?;
    read_records(std::io::BufReader::with_capacity(1 << 20, f), Format::from_path(path), opts)
}

/// Reads a `record_id,person_id` file from an earlier run.
pub fn read_person_ids(input: impl Read, source_name: &str) -> Result<BTreeMap<String, String>> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let mut out = BTreeMap::new();
    for row in rdr.records() {
        let row = row.map_err(|e| LinkError::BadRow {
            source_name: source_name.to_string(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = row.position().map_or(0, |p| p.line());
        match (row.get(0), row.get(1)) {
            (Some(r), Some(p)) if !r.is_empty() && !p.is_empty() => {
                out.insert(r.to_string(), p.to_string());
            }
            _ => {
                return Err(LinkError::BadRow {
                    source_name: source_name.to_string(),
                    line,
                    message: "expected record_id,person_id".into(),
                });
            }
        }
    }
    Ok(out)
}

/// Writes CSV rows, mapping write errors to [`LinkError::Io`].
pub fn write_csv<W: Write>(out: W, path: &str, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<()> {
    let io = |e: csv::Error| LinkError::Io { path: path.to_string(), source: std::io::Error::other(e.to_string()) };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(io)?;
    for r in rows {
        w.write_record(&r).map_err(io)?;
    }
    w.flush().map_err(|e| LinkError::Io { path: path.to_string(), source: e })?;
    Ok(())
}
