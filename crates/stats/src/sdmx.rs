//! SDMX-CSV 1.0 export and import of datasets.
//!
//! One line per observation, columns
//! `DATAFLOW,FREQ,REF_AREA,INDICATOR,<every concept id in Concept::ALL order>,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS,OBS_ERROR,UNIT_MEASURE,COMMENT_DSET`.
//! A total is `_T`. A confidential cell has an empty `OBS_VALUE`, the flag `c` and the status `C`,
//! whatever the reason it is hidden (small, or hidden to protect another: the file never says
//! which); an unknown cell has an empty `OBS_VALUE` and no `c` ("0" means known none). On import,
//! the statuses `A`, `D`, `S` and `N` of other systems are read as confidential. `OBS_ERROR` is the expected error (standard deviation of the noise, in persons)
//! of a differentially private release; it is optional on import, as are `FREQ` and `OBS_FLAG`.
//!
//! Countries (`REF_AREA`, `CITIZEN`) are written as Eurostat writes them: `EL` for Greece, `UK`
//! for the United Kingdom. A file giving the ISO 3166-1 code instead (`GR`, `GB`) is read as
//! Eurostat's code (see [`codes::to_eurostat`]), so that Greece is one country at the hub.
//!
//! Two attributes say what is counted. `UNIT_MEASURE` is `PS` (persons, of the SDMX unit code
//! list) on every observation: every count is of persons, never of records. `COMMENT_DSET`, the
//! SDMX cross-domain concept of a comment on the data set, carries the counting note (persons, not
//! records, and how registrations were linked into persons). SDMX-CSV has no header for data-set
//! metadata: an attribute of the data set is a column like any other, its value repeated on every
//! line of the data set, which is how SDMX-CSV readers take it (all rows agree). Both columns are
//! optional on import, so files written before them, and by other systems, are read as before;
//! a `UNIT_MEASURE` other than persons is refused, and the comment, which varies from file to
//! file, is read as free text and not kept (the hub keeps figures, not notes).
//!
//! The import takes the columns in any order (by header name, case-insensitive, with or without
//! an SDMX label after a colon), reads `:` as missing, and refuses a bad file whole, listing
//! every error with its line and column.

use crate::codes;
use crate::hub::{Origin, Submission};
use crate::model::{CellKey, Concept, ConfStatus, Dataset, Indicator, Observation, TOTAL};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// The dataflow of Haven's victim statistics.
pub const DATAFLOW: &str = "HAVEN:THB_VICT(1.0)";
/// Frequency: annual.
pub const FREQ: &str = "A";
/// The unit of every count (`UNIT_MEASURE`): persons, in the SDMX unit code list.
pub const UNIT_PERSONS: &str = "PS";
/// The longest `COMMENT_DSET` accepted on import (characters).
pub const MAX_COMMENT_CHARS: usize = 4000;
/// Largest file accepted (bytes).
pub const MAX_CSV_BYTES: usize = 4 << 20;
/// Most data lines accepted.
pub const MAX_CSV_ROWS: usize = 100_000;
/// Largest count accepted in a cell.
pub const MAX_COUNT: u64 = 1_000_000_000;
/// At most this many errors are listed (the list says when more were found).
pub const MAX_ERRORS: usize = 1000;

const C_DATAFLOW: usize = 0;
const C_FREQ: usize = 1;
const C_REF_AREA: usize = 2;
const C_INDICATOR: usize = 3;
const C_DIM0: usize = 4;
const C_TIME: usize = C_DIM0 + Concept::ALL.len();
const C_VALUE: usize = C_TIME + 1;
const C_FLAG: usize = C_TIME + 2;
const C_CONF: usize = C_TIME + 3;
const C_ERROR: usize = C_TIME + 4;
const C_UNIT: usize = C_TIME + 5;
const C_COMMENT: usize = C_TIME + 6;
const N_COLUMNS: usize = C_COMMENT + 1;

/// The column names in the order written.
pub fn columns() -> Vec<&'static str> {
    let mut out = vec!["DATAFLOW", "FREQ", "REF_AREA", "INDICATOR"];
    out.extend(Concept::ALL.iter().map(|c| c.id()));
    out.extend(["TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS", "OBS_ERROR", "UNIT_MEASURE", "COMMENT_DSET"]);
    out
}

fn optional(col: usize) -> bool {
    matches!(col, C_FREQ | C_FLAG | C_ERROR | C_UNIT | C_COMMENT)
}

/// Why an export failed (only a failure of the CSV writer itself).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The writer failed.
    #[error("writing SDMX-CSV: {0}")]
    Write(String),
}

/// Writes datasets as one SDMX-CSV 1.0 file of the given dataflow, every observation in persons
/// (`UNIT_MEASURE` `PS`) and without a data-set comment. A confidential cell's value is never
/// written, whatever the observation holds.
pub fn to_csv(datasets: &[Dataset], dataflow: &str) -> Result<String, ExportError> {
    to_csv_with_comment(datasets, dataflow, "")
}

/// [`to_csv`] with a comment on the data sets (`COMMENT_DSET`, repeated on every line): the
/// counting note of a release (persons, not records, and the linkage method).
pub fn to_csv_with_comment(datasets: &[Dataset], dataflow: &str, comment: &str) -> Result<String, ExportError> {
    // one line of text: a line break inside a field is valid CSV but not every reader's
    let comment = comment.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let werr = |e: csv::Error| ExportError::Write(e.to_string());
    w.write_record(columns()).map_err(werr)?;
    for d in datasets {
        let year = d.year.to_string();
        for o in &d.observations {
            let suppressed = o.conf.is_suppressed();
            let value = match (suppressed, o.value) {
                (false, Some(v)) => v.to_string(),
                _ => String::new(),
            };
            let mut row: Vec<String> = Vec::with_capacity(N_COLUMNS);
            row.push(dataflow.to_owned());
            row.push(FREQ.to_owned());
            row.push(codes::to_eurostat(&d.country).to_owned());
            row.push(o.key.indicator.code().to_owned());
            row.extend(Concept::ALL.iter().map(|c| match c {
                Concept::Citizen => codes::to_eurostat(o.key.code(*c)).to_owned(),
                _ => o.key.code(*c).to_owned(),
            }));
            row.push(year.clone());
            row.push(value);
            row.push(if suppressed { "c".to_owned() } else { String::new() });
            row.push(o.conf.code().to_owned());
            row.push(o.error.map(|e| format!("{e}")).unwrap_or_default());
            row.push(UNIT_PERSONS.to_owned());
            row.push(comment.clone());
            w.write_record(&row).map_err(werr)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| ExportError::Write(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Write(e.to_string()))
}

/// One error of an imported file. `line` 0 is the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// 1-based line of the file (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    /// The column (header name), when one is at fault.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.column) {
            (0, None) => write!(f, "file: {}", self.message),
            (0, Some(c)) => write!(f, "file, {c}: {}", self.message),
            (l, None) => write!(f, "line {l}: {}", self.message),
            (l, Some(c)) => write!(f, "line {l}, {c}: {}", self.message),
        }
    }
}

/// Every error found in a refused file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("the file was refused: {} error(s){}", errors.len(), if *truncated { " (more not listed)" } else { "" })]
pub struct ImportErrors {
    /// The errors in file order (the header's first).
    pub errors: Vec<ImportError>,
    /// More errors were found than listed ([`MAX_ERRORS`]).
    pub truncated: bool,
}

/// What the caller expects of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected<'a> {
    /// The dataflow every line must name.
    pub dataflow: &'a str,
    /// The reporting country every line must have, if the caller knows it.
    pub country: Option<&'a str>,
    /// The reference year every line must have, if the caller knows it.
    pub year: Option<u16>,
}

impl Expected<'static> {
    /// Haven's dataflow, any country, any year.
    pub fn any() -> Expected<'static> {
        Expected { dataflow: DATAFLOW, country: None, year: None }
    }
}

struct Errors {
    list: Vec<ImportError>,
    truncated: bool,
}

impl Errors {
    fn push(&mut self, line: u64, column: Option<&str>, message: impl Into<String>) {
        if self.list.len() >= MAX_ERRORS {
            self.truncated = true;
        } else {
            self.list.push(ImportError { line, column: column.map(str::to_owned), message: message.into() });
        }
    }
}

/// Reads an SDMX-CSV file into datasets (one per reporting country and year, in the order met).
pub fn from_csv(input: &[u8], expected: &Expected<'_>) -> Result<Vec<Dataset>, ImportErrors> {
    from_csv_with_origins(input, expected).map(|s| s.into_iter().map(|s| s.dataset).collect())
}

/// A count: empty or `:` is missing, otherwise digits only.
pub(crate) fn parse_count(s: &str) -> Result<Option<u64>, String> {
    if s.is_empty() || s == ":" {
        return Ok(None);
    }
    if let Some(rest) = s.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return Err(format!("negative value {s}: a count is 0 or more"));
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{s:?} is not a whole number"));
    }
    match s.parse::<u64>() {
        Ok(v) if v <= MAX_COUNT => Ok(Some(v)),
        _ => Err(format!("{s} is more than {MAX_COUNT}")),
    }
}

/// Reads an SDMX-CSV file, keeping the line of every observation for the validator.
pub fn from_csv_with_origins(input: &[u8], expected: &Expected<'_>) -> Result<Vec<Submission>, ImportErrors> {
    let mut errs = Errors { list: Vec::new(), truncated: false };
    if input.len() > MAX_CSV_BYTES {
        errs.push(0, None, format!("the file has {} bytes, more than the {MAX_CSV_BYTES} accepted", input.len()));
        return Err(ImportErrors { errors: errs.list, truncated: false });
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(input);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let names = columns();
    let mut col_of: [Option<usize>; N_COLUMNS] = [None; N_COLUMNS];
    let mut header_len = 0usize;
    let mut have_header = false;
    let mut rows = 0usize;
    let mut out: Vec<Submission> = Vec::new();
    let mut group: HashMap<(String, u16), usize> = HashMap::new();
    let mut seen: HashMap<(String, u16, CellKey), u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let (mut counted_to, mut lines_before) = (0usize, 0usize);
    loop {
        let line_before = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line_before, csv::Position::line);
                errs.push(line, None, format!("unreadable CSV: {e}"));
                break;
            }
        }
        // the line where the record's first byte is (the reader's own count lags after a CRLF)
        let line = match record.position() {
            Some(p) => {
                let mut start = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(input.len());
                while input.get(start).is_some_and(|b| *b == b'\r' || *b == b'\n') {
                    start += 1;
                }
                if start >= counted_to {
                    lines_before +=
                        input.get(counted_to..start).map_or(0, |s| s.iter().filter(|b| **b == b'\n').count());
                    counted_to = start;
                }
                lines_before as u64 + 1
            }
            None => line_before,
        };
        let fields: Vec<Result<&str, ()>> =
            record.iter().map(|f| std::str::from_utf8(f).map(str::trim).map_err(|_| ())).collect();
        if !have_header {
            have_header = true;
            header_len = fields.len();
            for (j, f) in fields.iter().enumerate() {
                let Ok(f) = f else {
                    errs.push(line, None, format!("header field {} is not UTF-8", j + 1));
                    continue;
                };
                let name = f.split(':').next().unwrap_or("").trim().to_ascii_uppercase();
                if let Some(c) = names.iter().position(|n| *n == name) {
                    if col_of[c].is_some() {
                        errs.push(line, Some(names[c]), "the column appears twice");
                    }
                    col_of[c] = Some(j);
                }
            }
            for (c, n) in names.iter().enumerate() {
                if col_of[c].is_none() && !optional(c) {
                    errs.push(line, Some(n), "required column missing");
                }
            }
            if !errs.list.is_empty() {
                break;
            }
            continue;
        }
        if fields.iter().all(|f| matches!(f, Ok(""))) {
            continue;
        }
        rows += 1;
        if rows > MAX_CSV_ROWS {
            errs.push(line, None, format!("more than {MAX_CSV_ROWS} lines of data"));
            break;
        }
        if fields.len() != header_len {
            errs.push(line, None, format!("{} fields, the header has {header_len}", fields.len()));
            continue;
        }
        let mut ok = true;
        let mut get = |c: usize, errs: &mut Errors| -> Option<&str> {
            let j = col_of[c]?;
            match fields.get(j) {
                Some(Ok(s)) => Some(*s),
                _ => {
                    errs.push(line, Some(names[c]), "not UTF-8");
                    ok = false;
                    None
                }
            }
        };
        let dataflow = get(C_DATAFLOW, &mut errs).unwrap_or("");
        let freq = get(C_FREQ, &mut errs);
        // Eurostat's codes: an ISO code Eurostat writes otherwise (GR, GB) is read as Eurostat's
        let country = codes::to_eurostat(get(C_REF_AREA, &mut errs).unwrap_or(""));
        let indicator = get(C_INDICATOR, &mut errs).unwrap_or("");
        let dims: Vec<&str> = (0..Concept::ALL.len()).map(|k| get(C_DIM0 + k, &mut errs).unwrap_or("")).collect();
        let time = get(C_TIME, &mut errs).unwrap_or("");
        let value = get(C_VALUE, &mut errs).unwrap_or("");
        let flag = get(C_FLAG, &mut errs).unwrap_or("");
        let conf = get(C_CONF, &mut errs).unwrap_or("");
        let error = get(C_ERROR, &mut errs).unwrap_or("");
        let unit = get(C_UNIT, &mut errs).unwrap_or("");
        let comment = get(C_COMMENT, &mut errs).unwrap_or("");
        let mut bad = |c: usize, msg: String, errs: &mut Errors| {
            errs.push(line, Some(names[c]), msg);
            ok = false;
        };
        if dataflow != expected.dataflow {
            bad(C_DATAFLOW, format!("dataflow {dataflow:?}, expected {}", expected.dataflow), &mut errs);
        }
        if let Some(f) = freq
            && f != FREQ
        {
            bad(C_FREQ, format!("frequency {f:?}, only {FREQ} (annual) is collected"), &mut errs);
        }
        if !(codes::is_country_code(country) && country != "UNK") {
            bad(C_REF_AREA, format!("{country:?} is not a country code (two capital letters)"), &mut errs);
        } else if let Some(c) = expected.country.map(codes::to_eurostat)
            && c != country
        {
            bad(C_REF_AREA, format!("country {country}, expected {c}"), &mut errs);
        }
        if !(unit.is_empty() || unit == UNIT_PERSONS) {
            bad(C_UNIT, format!("unit {unit:?}: every count is of persons ({UNIT_PERSONS})"), &mut errs);
        }
        if comment.chars().count() > MAX_COMMENT_CHARS {
            bad(C_COMMENT, format!("longer than {MAX_COMMENT_CHARS} characters"), &mut errs);
        }
        let ind = Indicator::from_code(indicator);
        if ind.is_none() {
            bad(C_INDICATOR, format!("unknown indicator {indicator:?}"), &mut errs);
        }
        let mut key_codes = Vec::new();
        for (k, concept) in Concept::ALL.iter().enumerate() {
            let code = dims.get(k).copied().unwrap_or("");
            let code = if *concept == Concept::Citizen { codes::to_eurostat(code) } else { code };
            if code.is_empty() {
                bad(C_DIM0 + k, "empty (a total is _T)".to_owned(), &mut errs);
            } else if !codes::is_valid(*concept, code) {
                bad(C_DIM0 + k, format!("unknown code {code:?} for {}", concept.id()), &mut errs);
            } else if code != TOTAL {
                key_codes.push((*concept, code.to_owned()));
            }
        }
        let year = match (time.len(), time.parse::<u16>()) {
            (4, Ok(y)) if (1900..=2200).contains(&y) => {
                if let Some(e) = expected.year
                    && e != y
                {
                    bad(C_TIME, format!("year {y}, expected {e}"), &mut errs);
                }
                y
            }
            _ => {
                bad(C_TIME, format!("{time:?} is not a year"), &mut errs);
                0
            }
        };
        let value = match parse_count(value) {
            Ok(v) => v,
            Err(m) => {
                bad(C_VALUE, m, &mut errs);
                None
            }
        };
        let mut flag_c = false;
        for ch in flag.chars() {
            match ch {
                'c' => flag_c = true,
                'b' | 'd' | 'e' | 'f' | 'n' | 'p' | 'r' | 's' | 'u' | 'z' | ' ' | ',' => {}
                other => bad(C_FLAG, format!("unknown flag {other:?}"), &mut errs),
            }
        }
        let status = match conf {
            "" if flag_c => {
                bad(C_CONF, "a confidential cell (flag c) needs CONF_STATUS C".to_owned(), &mut errs);
                ConfStatus::Confidential
            }
            "" => ConfStatus::Free,
            other => match ConfStatus::from_code(other) {
                Some(s) => s,
                None => {
                    bad(C_CONF, format!("unknown CONF_STATUS {other:?} (F or C)"), &mut errs);
                    ConfStatus::Free
                }
            },
        };
        if status.is_suppressed() && value.is_some() {
            bad(C_VALUE, format!("a value on a confidential cell (CONF_STATUS {})", status.code()), &mut errs);
        }
        if flag_c && status == ConfStatus::Free {
            bad(C_FLAG, "flag c on a cell whose CONF_STATUS is F".to_owned(), &mut errs);
        }
        let obs_error = if error.is_empty() || error == ":" {
            None
        } else {
            match error.parse::<f64>() {
                Ok(e) if e.is_finite() && e >= 0.0 => Some(e),
                _ => {
                    bad(C_ERROR, format!("{error:?} is not a number of 0 or more"), &mut errs);
                    None
                }
            }
        };
        let Some(indicator) = ind else { continue };
        if !ok {
            continue;
        }
        let key = CellKey { indicator, codes: key_codes };
        if let Some(first) = seen.get(&(country.to_owned(), year, key.clone())) {
            errs.push(line, None, format!("the same cell as line {first}"));
            continue;
        }
        seen.insert((country.to_owned(), year, key.clone()), line);
        let g = *group.entry((country.to_owned(), year)).or_insert_with(|| {
            out.push(Submission {
                dataset: Dataset { country: country.to_owned(), year, observations: Vec::new() },
                origins: Vec::new(),
                country_origin: Some(Origin::Line(line)),
                year_origin: Some(Origin::Line(line)),
            });
            out.len() - 1
        });
        if let Some(s) = out.get_mut(g) {
            s.dataset.observations.push(Observation { key, value, conf: status, error: obs_error });
            s.origins.push(Origin::Line(line));
        }
    }
    if !have_header {
        errs.push(0, None, "empty file: no header line");
    }
    if errs.list.is_empty() && !errs.truncated {
        Ok(out)
    } else {
        Err(ImportErrors { errors: errs.list, truncated: errs.truncated })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOTE: &str = "Persons, not records: registrations linked into persons by the same document number, \
                        then by the person-linkage engine (\"Fellegi-Sunter\", threshold 0.9);\n counted once.";

    fn dataset() -> Dataset {
        let key = |codes: Vec<(Concept, &str)>| CellKey {
            indicator: Indicator::Registered,
            codes: codes.into_iter().map(|(c, v)| (c, v.to_owned())).collect(),
        };
        let obs = |k, value, conf| Observation { key: k, value, conf, error: None };
        Dataset {
            country: "LV".into(),
            year: 2026,
            observations: vec![
                obs(key(vec![]), Some(12), ConfStatus::Free),
                obs(key(vec![(Concept::Sex, "F")]), None, ConfStatus::Confidential),
                obs(key(vec![(Concept::Sex, "M")]), None, ConfStatus::Confidential),
                obs(key(vec![(Concept::Sex, "UNK")]), Some(0), ConfStatus::Free),
            ],
        }
    }

    /// Every line as a map of column to value, read as any CSV reader reads it (by header).
    fn lines(csv: &str) -> Vec<HashMap<String, String>> {
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_owned)).collect()).collect()
    }

    /// The file without the given columns, as written before they existed.
    fn without(csv: &str, drop: &[&str]) -> String {
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let keep: Vec<usize> = (0..header.len()).filter(|i| !drop.contains(&header[*i].as_str())).collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(keep.iter().map(|i| &header[*i])).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            w.write_record(keep.iter().map(|i| &rec[*i])).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn every_observation_is_in_persons_and_the_counting_note_is_the_data_sets_comment_on_every_line() {
        let d = dataset();
        let csv = to_csv_with_comment(std::slice::from_ref(&d), DATAFLOW, NOTE).unwrap();
        let header = csv.lines().next().unwrap();
        assert!(header.ends_with(",OBS_ERROR,UNIT_MEASURE,COMMENT_DSET"), "{header}");
        let rows = lines(&csv);
        assert_eq!(rows.len(), d.observations.len());
        let one_line = NOTE.split_whitespace().collect::<Vec<_>>().join(" ");
        for row in &rows {
            assert_eq!(row["UNIT_MEASURE"], UNIT_PERSONS);
            assert_eq!(row["COMMENT_DSET"], one_line, "the same comment on every line of the data set");
        }
        assert!(rows[0]["COMMENT_DSET"].contains("Persons, not records"));
        assert!(!rows[0]["COMMENT_DSET"].contains('\n'), "one line of text");
        // read back: the same figures
        assert_eq!(from_csv(csv.as_bytes(), &Expected::any()), Ok(vec![d.clone()]));
        // without a comment the column is there, empty, and the unit still persons
        let plain = to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
        assert!(lines(&plain).iter().all(|r| r["COMMENT_DSET"].is_empty() && r["UNIT_MEASURE"] == "PS"));
    }

    #[test]
    fn files_without_the_unit_and_the_comment_are_read_as_before() {
        let d = dataset();
        let csv = to_csv_with_comment(std::slice::from_ref(&d), DATAFLOW, NOTE).unwrap();
        for drop in [&["UNIT_MEASURE", "COMMENT_DSET"][..], &["COMMENT_DSET"], &["UNIT_MEASURE"]] {
            let old = without(&csv, drop);
            assert_eq!(from_csv(old.as_bytes(), &Expected::any()), Ok(vec![d.clone()]), "without {drop:?}");
        }
        // a file of another system: the unit blank, the comment in another language
        let other = csv.replace(",PS,", ",,");
        assert_eq!(from_csv(other.as_bytes(), &Expected::any()), Ok(vec![d]));
    }

    #[test]
    fn a_unit_other_than_persons_or_an_overlong_comment_is_refused_with_its_line() {
        let d = dataset();
        let csv = to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
        let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
        lines[2] = lines[2].replace(",PS,", ",EUR,");
        let err = from_csv(lines.join("\n").as_bytes(), &Expected::any()).unwrap_err();
        assert_eq!(err.errors.len(), 1, "{err:?}");
        assert_eq!((err.errors[0].line, err.errors[0].column.as_deref()), (3, Some("UNIT_MEASURE")));
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        let csv = to_csv_with_comment(std::slice::from_ref(&d), DATAFLOW, &long).unwrap();
        let err = from_csv(csv.as_bytes(), &Expected::any()).unwrap_err();
        assert!(err.errors.iter().all(|e| e.column.as_deref() == Some("COMMENT_DSET")), "{err:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Whatever the comment (commas, quotes, line breaks, any script), the figures read back
        /// the same, every line carries it, and the file has as many fields on every line.
        #[test]
        fn any_comment_round_trips_and_leaves_the_figures_alone(comment in "\\PC{0,300}", nl in any::<bool>()) {
            let comment = if nl { format!("{comment}\r\n\"quoted\", {comment}") } else { comment };
            let d = dataset();
            let csv = to_csv_with_comment(std::slice::from_ref(&d), DATAFLOW, &comment).unwrap();
            prop_assert_eq!(from_csv(csv.as_bytes(), &Expected::any()), Ok(vec![d.clone()]));
            let rows = lines(&csv);
            prop_assert_eq!(rows.len(), d.observations.len());
            let first = rows[0]["COMMENT_DSET"].clone();
            prop_assert!(rows.iter().all(|r| r["COMMENT_DSET"] == first && r["UNIT_MEASURE"] == "PS"));
        }

        /// Any bytes after a header with the new columns: refused or read, never a panic.
        #[test]
        fn any_line_after_the_new_header_is_read_or_refused(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut input = columns().join(",").into_bytes();
            input.extend_from_slice(b"\r\n");
            input.extend_from_slice(&tail);
            let _ = from_csv(&input, &Expected::any());
        }
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count(":"), Ok(None));
        assert_eq!(parse_count("0"), Ok(Some(0)));
        assert_eq!(parse_count("17"), Ok(Some(17)));
        assert!(parse_count("-3").unwrap_err().contains("negative"));
        assert!(parse_count("2.5").unwrap_err().contains("whole"));
        assert!(parse_count("99999999999").is_err());
    }
}
