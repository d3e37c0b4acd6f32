//! The spreadsheet questionnaire (XLSX): one sheet per national table laid out as a cross-table,
//! and a sheet `metadata` (country, year, dataflow, method notes, conventions).
//!
//! Layout of a table sheet: a title in `A1`, the conventions in `A2`; row 4 holds the codes of the
//! column dimension (its total last), column `A` the codes of the row dimension (its total last),
//! and the counts start at `B5`. A blank cell is unknown, `0` is known none, `c` is confidential
//! (`C`, whatever the reason it is hidden; `c A` and `c D`, which older questionnaires wrote,
//! are read as `c`); `:` is read as blank. When a release carries expected errors (differential privacy), a block headed
//! `OBS_ERROR` below the table gives them in the same layout.
//!
//! The import uses the layouts of [`national::national_tables`] with the countries of
//! citizenship found in the sheet `VICT_SEX_CITIZEN`, checks every header cell, and refuses a bad
//! file whole, listing every error with its sheet and cell (`VICT_SEX_AGE!C5`). The offender
//! sheets (`TRAF_*` and `USE_*`, see [`national::offender_tables`]) are read when present: a
//! country fills those its proceedings data cover. Countries are Eurostat's codes (`EL`, `UK`);
//! an ISO code in the metadata or a header (`GR`, `GB`) is read as Eurostat's.

use crate::hub::{Origin, Submission, column_letters, key_label, layout_of};
use crate::model::{CellKey, ConfStatus, Dataset, Observation, TableSpec};
use crate::national;
use crate::sdmx::{Expected, MAX_COUNT, parse_count};
use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::io::{Cursor, Read};

/// The name of the metadata sheet.
pub const METADATA_SHEET: &str = "metadata";
/// Largest file accepted (bytes).
pub const MAX_XLSX_BYTES: usize = 4 << 20;
/// Largest total size of the unpacked parts of a file (bytes).
pub const MAX_UNPACKED_BYTES: u64 = 64 << 20;
/// Most parts (zip entries) in a file.
pub const MAX_PARTS: usize = 500;
/// Most non-empty cells read from one file.
pub const MAX_CELLS: usize = 200_000;
/// At most this many errors are listed.
pub const MAX_ERRORS: usize = 1000;

const HEADER_ROW: u32 = 3;
const FIRST_DATA_ROW: u32 = 4;
const ERROR_LABEL: &str = "OBS_ERROR";
const CONVENTIONS: &str = "Blank = unknown (not known), 0 = known none, c = confidential, : = blank.";

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum XlsxExportError {
    /// The spreadsheet writer failed.
    #[error("writing the spreadsheet: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
    /// Some observations have no place in the questionnaire's tables.
    #[error("{count} observation(s) are in none of the questionnaire's tables, the first {first}")]
    OutsideTables {
        /// How many.
        count: usize,
        /// The first of them.
        first: String,
    },
}

fn indicator_name(spec: &TableSpec) -> &'static str {
    use crate::model::Indicator::*;
    match spec.indicator {
        Registered => "Registered victims",
        Assisted => "Victims assisted",
        Reflection => "Victims given a recovery and reflection period",
        ResidencePermit => "Victims given a residence permit",
        Suspected => "Suspected traffickers",
        Prosecuted => "Prosecuted traffickers",
        Convicted => "Convicted traffickers",
        UseSuspected => "Persons suspected of knowingly using services exploited from a victim (Dir 2024/1712 Art 18a)",
        UseProsecuted => {
            "Persons prosecuted for knowingly using services exploited from a victim (Dir 2024/1712 Art 18a)"
        }
        UseConvicted => "Persons convicted of knowingly using services exploited from a victim (Dir 2024/1712 Art 18a)",
    }
}

/// Writes a dataset as the questionnaire. Cells of the questionnaire the dataset does not have
/// are left blank (unknown); an observation outside every table is an error (nothing would show
/// it). The file carries no time of writing: its creation date is fixed, so the same dataset
/// gives the same bytes.
pub fn to_xlsx(dataset: &Dataset, dataflow: &str, method_notes: &str) -> Result<Vec<u8>, XlsxExportError> {
    let specs = layout_of(dataset);
    let by_key: HashMap<&CellKey, &Observation> = dataset.observations.iter().map(|o| (&o.key, o)).collect();
    let mut placed: std::collections::HashSet<&CellKey> = std::collections::HashSet::new();
    for spec in &specs {
        for i in 0..spec.len() {
            if let Some((k, _)) = by_key.get_key_value(&spec.key(i)) {
                placed.insert(*k);
            }
        }
    }
    let outside: Vec<&Observation> = dataset.observations.iter().filter(|o| !placed.contains(&o.key)).collect();
    if let Some(first) = outside.first() {
        return Err(XlsxExportError::OutsideTables { count: outside.len(), first: key_label(&first.key) });
    }

    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(format!("Trafficking in human beings: {} {}", dataset.country, dataset.year))
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    let italic = Format::new().set_italic();

    let meta = wb.add_worksheet();
    meta.set_name(METADATA_SHEET)?;
    meta.set_column_width(0, 18)?;
    meta.set_column_width(1, 90)?;
    let rows: [(&str, String); 5] = [
        ("country", crate::codes::to_eurostat(&dataset.country).to_owned()),
        ("year", dataset.year.to_string()),
        ("dataflow", dataflow.to_owned()),
        ("method notes", method_notes.to_owned()),
        ("conventions", CONVENTIONS.to_owned()),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        let r = r as u32;
        meta.write_string_with_format(r, 0, *k, &bold)?;
        if *k == "year" {
            meta.write_number(r, 1, f64::from(dataset.year))?;
        } else {
            meta.write_string(r, 1, v)?;
        }
    }

    for spec in &specs {
        let [rd, cd] = spec.dims.as_slice() else { continue };
        // an offender table the dataset does not report at all is left out (not a blank sheet)
        if spec.indicator.is_offender() && !(0..spec.len()).any(|i| by_key.contains_key(&spec.key(i))) {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(&spec.id)?;
        ws.set_column_width(0, 16)?;
        ws.write_string_with_format(
            0,
            0,
            format!(
                "{} ({}) by {} and {}: {} {}",
                indicator_name(spec),
                spec.indicator.code(),
                rd.concept.id(),
                cd.concept.id(),
                dataset.country,
                dataset.year
            ),
            &bold,
        )?;
        ws.write_string_with_format(1, 0, CONVENTIONS, &italic)?;
        let write_block =
            |ws: &mut rust_xlsxwriter::Worksheet, top: u32, errors: bool| -> Result<(), XlsxExportError> {
                ws.write_string_with_format(top, 0, format!("{} \\ {}", rd.concept.id(), cd.concept.id()), &bold)?;
                for p in 0..cd.positions() {
                    ws.write_string_with_format(top, 1 + p as u16, cd.code_at(p), &bold)?;
                }
                for r in 0..rd.positions() {
                    let row = top + 1 + r as u32;
                    ws.write_string_with_format(row, 0, rd.code_at(r), &bold)?;
                    for p in 0..cd.positions() {
                        let col = 1 + p as u16;
                        let Some(o) = by_key.get(&spec.key(spec.index(&[r, p]))) else { continue };
                        if errors {
                            if let Some(e) = o.error {
                                ws.write_number(row, col, e)?;
                            }
                        } else {
                            match (o.conf, o.value) {
                                (ConfStatus::Confidential, _) => {
                                    ws.write_string(row, col, "c")?;
                                }
                                (ConfStatus::Free, Some(v)) => {
                                    ws.write_number(row, col, v as f64)?;
                                }
                                (ConfStatus::Free, None) => {}
                            }
                        }
                    }
                }
                Ok(())
            };
        write_block(ws, HEADER_ROW, false)?;
        let has_errors = (0..spec.len()).any(|i| by_key.get(&spec.key(i)).is_some_and(|o| o.error.is_some()));
        if has_errors {
            let top = FIRST_DATA_ROW + rd.positions() as u32 + 1;
            ws.write_string_with_format(top, 0, ERROR_LABEL, &bold)?;
            ws.write_string_with_format(
                top,
                1,
                "expected error (standard deviation of the noise, in persons)",
                &italic,
            )?;
            write_block(ws, top + 1, true)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// One error of an imported questionnaire: the sheet and cell where it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetError {
    /// The sheet, unless the error is about the file as a whole.
    pub sheet: Option<String>,
    /// 1-based row, when the error is about a cell.
    pub row: Option<u32>,
    /// 1-based column, when the error is about a cell.
    pub col: Option<u32>,
    /// The cell spreadsheet-style (`VICT_SEX_AGE!C5`), or the sheet, or `file`.
    pub place: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every error found in a refused questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("the questionnaire was refused: {} error(s){}", errors.len(), if *truncated { " (more not listed)" } else { "" })]
pub struct SheetErrors {
    /// The errors found.
    pub errors: Vec<SheetError>,
    /// More errors were found than listed ([`MAX_ERRORS`]).
    pub truncated: bool,
}

struct Errors {
    list: Vec<SheetError>,
    truncated: bool,
}

impl Errors {
    fn file(&mut self, message: impl Into<String>) {
        self.push(None, None, message);
    }

    fn sheet(&mut self, sheet: &str, message: impl Into<String>) {
        self.push(Some(sheet), None, message);
    }

    /// `at` is 0-based (row, col).
    fn cell(&mut self, sheet: &str, at: (u32, u32), message: impl Into<String>) {
        self.push(Some(sheet), Some(at), message);
    }

    fn push(&mut self, sheet: Option<&str>, at: Option<(u32, u32)>, message: impl Into<String>) {
        if self.list.len() >= MAX_ERRORS {
            self.truncated = true;
            return;
        }
        let place = match (sheet, at) {
            (Some(s), Some((r, c))) => format!("{s}!{}{}", column_letters(c + 1), r + 1),
            (Some(s), None) => s.to_owned(),
            (None, _) => "file".to_owned(),
        };
        self.list.push(SheetError {
            sheet: sheet.map(str::to_owned),
            row: at.map(|(r, _)| r + 1),
            col: at.map(|(_, c)| c + 1),
            place,
            message: message.into(),
        });
    }

    fn result<T>(self, ok: T) -> Result<T, SheetErrors> {
        if self.list.is_empty() && !self.truncated {
            Ok(ok)
        } else {
            Err(SheetErrors { errors: self.list, truncated: self.truncated })
        }
    }
}

/// A cell's content as read.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Num(f64),
    Text(String),
    Other(String),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Num(n) => format!("{n}"),
            Val::Text(s) | Val::Other(s) => s.trim().to_owned(),
        }
    }
}

type Sheet = HashMap<(u32, u32), Val>;

/// Checks the package before the reader unpacks anything: its parts and their real unpacked size.
fn check_package(bytes: &[u8], errs: &mut Errors) -> bool {
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            errs.file(format!("not an XLSX file (not a zip package): {e}"));
            return false;
        }
    };
    if zip.len() > MAX_PARTS {
        errs.file(format!("{} parts in the package, more than the {MAX_PARTS} accepted", zip.len()));
        return false;
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(p) => p,
            Err(e) => {
                errs.file(format!("unreadable part {i} of the package: {e}"));
                return false;
            }
        };
        let budget = MAX_UNPACKED_BYTES - total;
        let read = std::io::copy(&mut (&mut part).take(budget + 1), &mut std::io::sink());
        match read {
            Ok(n) if n <= budget => total += n,
            Ok(_) => {
                errs.file(format!("the package unpacks to more than {MAX_UNPACKED_BYTES} bytes"));
                return false;
            }
            Err(e) => {
                errs.file(format!("unreadable part {i} of the package: {e}"));
                return false;
            }
        }
    }
    true
}

fn read_sheet(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, budget: &mut usize, errs: &mut Errors) -> Option<Sheet> {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(e) => {
            errs.sheet(name, format!("unreadable sheet: {e}"));
            return None;
        }
    };
    let mut out = Sheet::new();
    loop {
        match reader.next_cell() {
            Ok(None) => break,
            Ok(Some(cell)) => {
                let v = match cell.get_value() {
                    DataRef::Empty => continue,
                    DataRef::Int(i) => Val::Num(*i as f64),
                    DataRef::Float(f) => Val::Num(*f),
                    DataRef::String(s) => Val::Text(s.clone()),
                    DataRef::SharedString(s) => Val::Text((*s).to_owned()),
                    DataRef::Bool(b) => Val::Other(format!("{b}")),
                    DataRef::DateTime(d) => Val::Other(format!("a date ({})", d.as_f64())),
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Val::Other(s.clone()),
                    DataRef::Error(e) => Val::Other(format!("error {e}")),
                };
                if *budget == 0 {
                    errs.sheet(name, format!("more than {MAX_CELLS} filled cells in the file"));
                    return None;
                }
                *budget -= 1;
                out.insert(cell.get_position(), v);
            }
            Err(e) => {
                errs.sheet(name, format!("unreadable sheet: {e}"));
                return None;
            }
        }
    }
    Some(out)
}

/// A header cell's code; a country of citizenship as Eurostat writes it (`GR` is read as `EL`).
fn header_code(concept: crate::model::Concept, v: Option<&Val>) -> String {
    let text = v.map(Val::text).unwrap_or_default();
    match concept {
        crate::model::Concept::Citizen => crate::codes::to_eurostat(&text).to_owned(),
        _ => text,
    }
}

/// Reads a filled questionnaire into a dataset.
pub fn from_xlsx(bytes: &[u8], expected: &Expected<'_>) -> Result<Dataset, SheetErrors> {
    from_xlsx_with_origins(bytes, expected).map(|s| s.dataset)
}

/// What a value cell holds: the count (none when blank or confidential) and its status.
type Entry = (Option<u64>, ConfStatus);

fn parse_entry(v: Option<&Val>) -> Result<Entry, String> {
    match v {
        None => Ok((None, ConfStatus::Free)),
        Some(Val::Num(n)) => {
            if !n.is_finite() || n.fract() != 0.0 {
                Err(format!("{n} is not a whole number"))
            } else if *n < 0.0 {
                Err(format!("negative value {n}: a count is 0 or more"))
            } else if *n > MAX_COUNT as f64 {
                Err(format!("{n} is more than {MAX_COUNT}"))
            } else {
                Ok((Some(*n as u64), ConfStatus::Free))
            }
        }
        Some(Val::Text(s)) => {
            let norm: String = s
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
                .flat_map(char::to_lowercase)
                .collect();
            match norm.as_str() {
                "c" | "ca" | "cd" => Ok((None, ConfStatus::Confidential)),
                _ => parse_count(s.trim()).map(|v| (v, ConfStatus::Free)).map_err(|m| {
                    if s.trim().chars().any(|c| c.is_alphabetic()) {
                        format!("{s:?} is not a count, blank, : or c")
                    } else {
                        m
                    }
                }),
            }
        }
        Some(Val::Other(s)) => Err(format!("{s} is not a count, blank, : or c")),
    }
}

/// Reads a filled questionnaire, keeping the cell of every observation for the validator.
pub fn from_xlsx_with_origins(bytes: &[u8], expected: &Expected<'_>) -> Result<Submission, SheetErrors> {
    let mut errs = Errors { list: Vec::new(), truncated: false };
    let empty = Dataset { country: String::new(), year: 0, observations: Vec::new() };
    if bytes.len() > MAX_XLSX_BYTES {
        errs.file(format!("the file has {} bytes, more than the {MAX_XLSX_BYTES} accepted", bytes.len()));
        return errs.result(Submission::without_origins(empty));
    }
    if !check_package(bytes, &mut errs) {
        return errs.result(Submission::without_origins(empty));
    }
    let mut wb: Xlsx<Cursor<&[u8]>> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            errs.file(format!("not a readable XLSX workbook: {e}"));
            return errs.result(Submission::without_origins(empty));
        }
    };
    let names: Vec<String> = wb.sheet_names();
    let mut budget = MAX_CELLS;

    // metadata
    let mut country = String::new();
    let mut year = 0u16;
    let mut country_origin = None;
    let mut year_origin = None;
    if !names.iter().any(|n| n == METADATA_SHEET) {
        errs.file(format!("no sheet {METADATA_SHEET:?}"));
    } else if let Some(meta) = read_sheet(&mut wb, METADATA_SHEET, &mut budget, &mut errs) {
        let find = |label: &str| {
            let mut rows: Vec<u32> = meta
                .iter()
                .filter(|((_, c), v)| *c == 0 && v.text().eq_ignore_ascii_case(label))
                .map(|((r, _), _)| *r)
                .collect();
            rows.sort_unstable();
            rows.first().map(|r| ((*r, 1u32), meta.get(&(*r, 1)).map(Val::text).unwrap_or_default()))
        };
        match find("country") {
            None => errs.sheet(METADATA_SHEET, "no row \"country\" in column A"),
            Some((at, c)) => {
                let c = crate::codes::to_eurostat(&c).to_owned();
                if !(crate::codes::is_country_code(&c) && c != "UNK") {
                    errs.cell(METADATA_SHEET, at, format!("{c:?} is not a country code (two capital letters)"));
                } else if let Some(e) = expected.country.map(crate::codes::to_eurostat)
                    && e != c
                {
                    errs.cell(METADATA_SHEET, at, format!("country {c}, expected {e}"));
                }
                country = c;
                country_origin = Some(Origin::Cell { sheet: METADATA_SHEET.to_owned(), row: at.0 + 1, col: at.1 + 1 });
            }
        }
        match find("year") {
            None => errs.sheet(METADATA_SHEET, "no row \"year\" in column A"),
            Some((at, y)) => match y.parse::<u16>() {
                Ok(y) if (1900..=2200).contains(&y) => {
                    if let Some(e) = expected.year
                        && e != y
                    {
                        errs.cell(METADATA_SHEET, at, format!("year {y}, expected {e}"));
                    }
                    year = y;
                    year_origin = Some(Origin::Cell { sheet: METADATA_SHEET.to_owned(), row: at.0 + 1, col: at.1 + 1 });
                }
                _ => errs.cell(METADATA_SHEET, at, format!("{y:?} is not a year")),
            },
        }
        match find("dataflow") {
            None => errs.sheet(METADATA_SHEET, "no row \"dataflow\" in column A"),
            Some((at, d)) if d != expected.dataflow => {
                errs.cell(METADATA_SHEET, at, format!("dataflow {d:?}, expected {}", expected.dataflow));
            }
            Some(_) => {}
        }
    }

    // the countries of citizenship, from the citizenship sheet's header
    let citizen_sheet = "VICT_SEX_CITIZEN";
    let mut sheets: HashMap<String, Sheet> = HashMap::new();
    let mut citizens: Vec<String> = Vec::new();
    if names.iter().any(|n| n == citizen_sheet)
        && let Some(sheet) = read_sheet(&mut wb, citizen_sheet, &mut budget, &mut errs)
    {
        let mut col = 1u32;
        loop {
            let Some(v) = sheet.get(&(HEADER_ROW, col)) else {
                errs.cell(citizen_sheet, (HEADER_ROW, col), "expected a country code or _T (the total column)");
                break;
            };
            let code = crate::codes::to_eurostat(&v.text()).to_owned();
            if code == crate::model::TOTAL {
                break;
            }
            if !crate::codes::is_country_code(&code) {
                errs.cell(
                    citizen_sheet,
                    (HEADER_ROW, col),
                    format!("{code:?} is not a country code (two capital letters or UNK)"),
                );
            } else if citizens.contains(&code) {
                errs.cell(citizen_sheet, (HEADER_ROW, col), format!("country {code} twice"));
            } else {
                citizens.push(code);
            }
            col += 1;
            if col > 400 {
                errs.sheet(citizen_sheet, "no total column _T in row 4");
                break;
            }
        }
        sheets.insert(citizen_sheet.to_owned(), sheet);
    }
    let offender_sheet = |n: &str| national::offender_tables().iter().any(|t| t.id == n);
    let proceedings = names.iter().any(|n| offender_sheet(n));
    let specs = national::national_tables(&citizens, proceedings);

    let mut observations: Vec<Observation> = Vec::new();
    let mut origins: Vec<Origin> = Vec::new();
    let mut index: HashMap<CellKey, usize> = HashMap::new();
    let mut errors_of: HashMap<CellKey, (f64, Origin)> = HashMap::new();
    for spec in &specs {
        let [rd, cd] = spec.dims.as_slice() else { continue };
        let name = spec.id.as_str();
        if !names.iter().any(|n| n == name) {
            // the offender tables are filled as far as the proceedings data go: a sheet left out
            // is a table not reported (its cells absent, never taken as zero)
            if !spec.indicator.is_offender() {
                errs.file(format!("no sheet {name:?}"));
            }
            continue;
        }
        let sheet = match sheets.remove(name) {
            Some(s) => s,
            None => match read_sheet(&mut wb, name, &mut budget, &mut errs) {
                Some(s) => s,
                None => continue,
            },
        };
        // headers
        let check_headers = |top: u32, errs: &mut Errors| {
            let mut good = true;
            for p in 0..cd.positions() {
                let at = (top, 1 + p as u32);
                let found = header_code(cd.concept, sheet.get(&at));
                if found != cd.code_at(p) {
                    errs.cell(
                        name,
                        at,
                        format!("expected the {} code {}, found {found:?}", cd.concept.id(), cd.code_at(p)),
                    );
                    good = false;
                }
            }
            for r in 0..rd.positions() {
                let at = (top + 1 + r as u32, 0);
                let found = header_code(rd.concept, sheet.get(&at));
                if found != rd.code_at(r) {
                    errs.cell(
                        name,
                        at,
                        format!("expected the {} code {}, found {found:?}", rd.concept.id(), rd.code_at(r)),
                    );
                    good = false;
                }
            }
            good
        };
        if !check_headers(HEADER_ROW, &mut errs) {
            continue;
        }
        for r in 0..rd.positions() {
            for p in 0..cd.positions() {
                let at = (FIRST_DATA_ROW + r as u32, 1 + p as u32);
                let (value, conf) = match parse_entry(sheet.get(&at)) {
                    Ok(e) => e,
                    Err(m) => {
                        errs.cell(name, at, m);
                        continue;
                    }
                };
                let key = spec.key(spec.index(&[r, p]));
                let origin = Origin::Cell { sheet: name.to_owned(), row: at.0 + 1, col: at.1 + 1 };
                match index.get(&key) {
                    Some(&j) => {
                        if let Some(o) = observations.get(j)
                            && (o.value != value || o.conf != conf)
                        {
                            let first = origins.get(j).map(ToString::to_string).unwrap_or_default();
                            errs.cell(
                                name,
                                at,
                                format!("the same cell as {first} ({}), but a different entry", key_label(&key)),
                            );
                        }
                    }
                    None => {
                        index.insert(key.clone(), observations.len());
                        observations.push(Observation { key, value, conf, error: None });
                        origins.push(origin);
                    }
                }
            }
        }
        // expected errors
        let top = FIRST_DATA_ROW + rd.positions() as u32 + 1;
        if sheet.get(&(top, 0)).is_some_and(|v| v.text() == ERROR_LABEL) {
            if !check_headers(top + 1, &mut errs) {
                continue;
            }
            for r in 0..rd.positions() {
                for p in 0..cd.positions() {
                    let at = (top + 2 + r as u32, 1 + p as u32);
                    let e = match sheet.get(&at) {
                        None => continue,
                        Some(Val::Num(e)) if e.is_finite() && *e >= 0.0 => *e,
                        Some(Val::Text(t)) if t.trim().is_empty() || t.trim() == ":" => continue,
                        Some(Val::Text(t)) if t.trim().parse::<f64>().is_ok_and(|e| e.is_finite() && e >= 0.0) => {
                            t.trim().parse::<f64>().unwrap_or(0.0)
                        }
                        Some(v) => {
                            errs.cell(
                                name,
                                at,
                                format!("{} is not an expected error (a number of 0 or more)", v.text()),
                            );
                            continue;
                        }
                    };
                    let key = spec.key(spec.index(&[r, p]));
                    match errors_of.get(&key) {
                        Some((prev, first)) if *prev != e => {
                            errs.cell(name, at, format!("the same cell's expected error as {first}, but different"));
                        }
                        Some(_) => {}
                        None => {
                            let origin = Origin::Cell { sheet: name.to_owned(), row: at.0 + 1, col: at.1 + 1 };
                            errors_of.insert(key, (e, origin));
                        }
                    }
                }
            }
        }
    }
    for (key, (e, _)) in errors_of {
        if let Some(o) = index.get(&key).and_then(|j| observations.get_mut(*j)) {
            o.error = Some(e);
        }
    }
    let dataset = Dataset { country, year, observations };
    errs.result(Submission { dataset, origins, country_origin, year_origin })
}
