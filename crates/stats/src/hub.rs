//! The EU hub: checks a member state's submission against the code lists and the arithmetic of
//! the national tables, adds the submissions of a year up into EU totals with per-cell coverage,
//! and tracks who has and has not submitted.
//!
//! Pure: the application reads the files (see [`crate::sdmx`] and [`crate::xlsx`]) and keeps the
//! results. Blank (unknown) is never taken as zero and confidential values are never added in.

use crate::codes;
use crate::model::{CellKey, Concept, ConfStatus, Dataset, Observation, TOTAL, Table};
use crate::national::national_tables;
use crate::relations::{self, Bound};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// Where an observation came from: a line of an SDMX-CSV file or a cell of a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Origin {
    /// A line of an SDMX-CSV file (1-based, the header is line 1).
    Line(u64),
    /// A cell of a spreadsheet (row and column 1-based), shown as `SHEET!C5`.
    Cell {
        /// The sheet's name.
        sheet: String,
        /// 1-based row.
        row: u32,
        /// 1-based column.
        col: u32,
    },
}

/// The spreadsheet name of a column (1-based): 1 → `A`, 27 → `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line(line) => write!(f, "line {line}"),
            Origin::Cell { sheet, row, col } => write!(f, "{sheet}!{}{row}", column_letters(*col)),
        }
    }
}

/// A dataset as it was read from a file: `origins[i]` is where `dataset.observations[i]` was
/// found, so that the validator can point at the line or cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// What was read.
    pub dataset: Dataset,
    /// One per observation (may be empty when the dataset did not come from a file).
    pub origins: Vec<Origin>,
    /// Where the reporting country was read (first line of the dataset, or the metadata cell).
    pub country_origin: Option<Origin>,
    /// Where the reference year was read.
    pub year_origin: Option<Origin>,
}

impl Submission {
    /// A submission without origins (a dataset built in the application).
    pub fn without_origins(dataset: Dataset) -> Submission {
        Submission { dataset, origins: Vec::new(), country_origin: None, year_origin: None }
    }
}

/// A readable name of a cell: the indicator code and every non-total code, e.g.
/// `VICT_REG SEX=F AGE=Y0-11` (`VICT_REG (total)` for the grand total).
pub fn key_label(key: &CellKey) -> String {
    let mut out = key.indicator.code().to_owned();
    if key.codes.is_empty() {
        out.push_str(" (total)");
    }
    for (c, v) in &key.codes {
        out.push(' ');
        out.push_str(c.id());
        out.push('=');
        out.push_str(v);
    }
    out
}

/// One finding of the validator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// The line or cell at fault, when the dataset came from a file.
    pub origin: Option<Origin>,
    /// The SDMX column concerned (`OBS_VALUE`, `REF_AREA`, a dimension id...), when one is.
    pub column: Option<String>,
    /// The cell concerned, when the finding is about one cell.
    pub cell: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(o) = &self.origin {
            write!(f, "{o}")?;
            wrote = true;
        }
        if let Some(c) = &self.column {
            write!(f, "{}{c}", if wrote { ", " } else { "" })?;
            wrote = true;
        }
        if let Some(c) = &self.cell {
            write!(f, "{}[{c}]", if wrote { " " } else { "" })?;
            wrote = true;
        }
        write!(f, "{}{}", if wrote { ": " } else { "" }, self.message)
    }
}

/// At most this many findings are listed (the rest are counted in the last one).
pub const MAX_FINDINGS: usize = 1000;

/// Checks a dataset built in the application (no file origins). See [`validate_submission`].
pub fn validate(dataset: &Dataset, expected_country: &str, expected_year: u16) -> Result<(), Vec<ValidationError>> {
    Checker::new(dataset, &[], None, None).run(expected_country, expected_year)
}

/// Checks a submission read from a file against the code lists and the arithmetic that must hold:
///
/// * the country and year are the expected ones; every code is in its code list; no cell twice;
///   no value on a confidential cell; expected errors are finite and not negative;
/// * every additive relation of the national tables: a total equals the sum of its parts where
///   the total and all parts are known and free, and is not less than the sum of its known free
///   parts otherwise (absent, blank and confidential parts are not taken as zero);
/// * the relations between tables of [`crate::relations`], the ones disclosure control assumes
///   an attacker knows: victims under 18 by age group are not more than the children (and adults
///   by age group not more than the adults), for the same sex; the countries of citizenship of a
///   group add up to the group (the group is derived from the reporting country: its own
///   citizens are `NAT`, never "other EU"); victims assisted, given a reflection period or a
///   residence permit are not more than the registered victims of the same breakdown;
/// * offenders (traffickers, users of services exploited from a victim) are counted only by sex,
///   age group, citizenship group and the three forms of exploitation, and their tables add up.
///   Nothing bounds one stage by another: a year's convictions may concern suspects of earlier
///   years, so "convicted ≤ prosecuted ≤ suspected" is no rule.
///
/// The country may be given as ISO or Eurostat code (`GR` is `EL`).
///
/// Each finding names the line or cell where the dataset came from a file.
pub fn validate_submission(
    submission: &Submission,
    expected_country: &str,
    expected_year: u16,
) -> Result<(), Vec<ValidationError>> {
    Checker::new(
        &submission.dataset,
        &submission.origins,
        submission.country_origin.as_ref(),
        submission.year_origin.as_ref(),
    )
    .run(expected_country, expected_year)
}

struct Checker<'a> {
    ds: &'a Dataset,
    origins: &'a [Origin],
    country_origin: Option<&'a Origin>,
    year_origin: Option<&'a Origin>,
    by_key: HashMap<&'a CellKey, usize>,
    errors: Vec<ValidationError>,
    dropped: usize,
}

/// A cell's state for the arithmetic.
enum State {
    Known(u64),
    /// Blank, confidential or absent: not taken as anything.
    Open,
}

impl<'a> Checker<'a> {
    fn new(
        ds: &'a Dataset,
        origins: &'a [Origin],
        country_origin: Option<&'a Origin>,
        year_origin: Option<&'a Origin>,
    ) -> Checker<'a> {
        Checker { ds, origins, country_origin, year_origin, by_key: HashMap::new(), errors: Vec::new(), dropped: 0 }
    }

    fn origin(&self, i: usize) -> Option<Origin> {
        self.origins.get(i).cloned()
    }

    fn push(&mut self, origin: Option<Origin>, column: Option<&str>, cell: Option<&CellKey>, message: String) {
        if self.errors.len() >= MAX_FINDINGS {
            self.dropped += 1;
            return;
        }
        self.errors.push(ValidationError {
            origin,
            column: column.map(str::to_owned),
            cell: cell.map(key_label),
            message,
        });
    }

    fn state(&self, key: &CellKey) -> State {
        match self.by_key.get(key).and_then(|i| self.ds.observations.get(*i)) {
            Some(Observation { value: Some(v), conf: ConfStatus::Free, .. }) => State::Known(*v),
            _ => State::Open,
        }
    }

    fn where_of(&self, key: &CellKey) -> String {
        match self.by_key.get(key).and_then(|i| self.origins.get(*i)) {
            Some(o) => o.to_string(),
            None => key_label(key),
        }
    }

    fn run(mut self, expected_country: &str, expected_year: u16) -> Result<(), Vec<ValidationError>> {
        let ds = self.ds;
        let first = self.origin(0);
        let expected_country = codes::to_eurostat(expected_country);
        if ds.country != expected_country {
            let o = self.country_origin.cloned().or_else(|| first.clone());
            self.push(
                o,
                Some("REF_AREA"),
                None,
                format!("the reporting country is {:?}, expected {expected_country}", ds.country),
            );
        }
        if ds.year != expected_year {
            let o = self.year_origin.cloned().or(first);
            self.push(
                o,
                Some("TIME_PERIOD"),
                None,
                format!("the reference year is {}, expected {expected_year}", ds.year),
            );
        }
        self.check_cells();
        self.check_relations();
        // A differentially private dataset (its cells carry the noise's expected error) keeps
        // every table's own sums exactly, but not relations between different breakdowns (age
        // groups against children, countries against their group, assisted against registered):
        // each breakdown has its own noise, so those are not checked.
        if !ds.observations.iter().any(|o| o.error.is_some()) {
            self.check_cross_relations();
        }
        if self.dropped > 0 {
            let n = self.dropped;
            self.errors.push(ValidationError {
                origin: None,
                column: None,
                cell: None,
                message: format!("{n} further findings not listed"),
            });
        }
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }

    fn check_cells(&mut self) {
        let ds = self.ds;
        let country = ds.country.as_str();
        for (i, o) in ds.observations.iter().enumerate() {
            let origin = self.origin(i);
            if let Some(prev) = self.by_key.insert(&o.key, i) {
                let at = self.origin(prev).map_or_else(|| format!("observation {}", prev + 1), |p| p.to_string());
                self.push(origin.clone(), None, Some(&o.key), format!("the same cell as {at}"));
                self.by_key.insert(&o.key, prev);
            }
            let mut last: Option<Concept> = None;
            for (concept, code) in &o.key.codes {
                if last.is_some_and(|l| l >= *concept) {
                    self.push(
                        origin.clone(),
                        Some(concept.id()),
                        Some(&o.key),
                        "a concept twice or out of order in the key".into(),
                    );
                }
                last = Some(*concept);
                if code == TOTAL {
                    self.push(
                        origin.clone(),
                        Some(concept.id()),
                        Some(&o.key),
                        "a total kept in the key (totals are left out of a key)".into(),
                    );
                } else if !codes::is_valid(*concept, code) {
                    self.push(
                        origin.clone(),
                        Some(concept.id()),
                        Some(&o.key),
                        format!("unknown code {code:?} for {}", concept.id()),
                    );
                } else if let Some(why) = codes::misplaced(o.key.indicator, *concept, code) {
                    self.push(origin.clone(), Some(concept.id()), Some(&o.key), why);
                }
            }
            let citizen = o.key.code(Concept::Citizen);
            let group = o.key.code(Concept::CitizenGroup);
            if citizen != TOTAL && group != TOTAL && codes::citizen_group(country, citizen) != group {
                self.push(
                    origin.clone(),
                    Some("CITIZEN_GRP"),
                    Some(&o.key),
                    format!(
                        "citizens of {citizen} are {} for {country}, not {group}",
                        codes::citizen_group(country, citizen)
                    ),
                );
            }
            if o.value.is_some() && o.conf.is_suppressed() {
                self.push(
                    origin.clone(),
                    Some("OBS_VALUE"),
                    Some(&o.key),
                    format!("a value on a confidential cell (CONF_STATUS {})", o.conf.code()),
                );
            }
            if let Some(e) = o.error
                && !(e.is_finite() && e >= 0.0)
            {
                self.push(
                    origin,
                    Some("OBS_ERROR"),
                    Some(&o.key),
                    format!("expected error {e} is not a finite number of 0 or more"),
                );
            }
        }
    }

    /// `sum(parts) <= total`, with equality when every part and the total are known.
    fn check_sum(&mut self, total: &CellKey, parts: &[CellKey], what: &str) {
        let State::Known(t) = self.state(total) else { return };
        let mut sum = 0u64;
        let mut open = 0usize;
        for p in parts {
            match self.state(p) {
                State::Known(v) => sum = sum.saturating_add(v),
                State::Open => open += 1,
            }
        }
        let at = self.by_key.get(total).copied();
        let origin = at.and_then(|i| self.origin(i));
        let list = || {
            let mut w: Vec<String> =
                parts.iter().filter(|p| self.by_key.contains_key(*p)).map(|p| self.where_of(p)).collect();
            if w.len() > 12 {
                let n = w.len() - 12;
                w.truncate(12);
                w.push(format!("{n} more"));
            }
            w.join(", ")
        };
        if open == 0 && sum != t {
            let msg = format!("{what}: the total is {t} but its parts ({}) add up to {sum}", list());
            self.push(origin, Some("OBS_VALUE"), Some(total), msg);
        } else if open > 0 && sum > t {
            let msg = format!("{what}: the total is {t} but its known parts ({}) already add up to {sum}", list());
            self.push(origin, Some("OBS_VALUE"), Some(total), msg);
        }
    }

    fn check_relations(&mut self) {
        let ds = self.ds;
        let specs = layout_of(ds);
        let mut seen: HashSet<(CellKey, Vec<CellKey>)> = HashSet::new();
        for spec in &specs {
            for r in spec.relations() {
                let total = spec.key(r.total);
                let mut parts: Vec<CellKey> = r.parts.iter().map(|p| spec.key(*p)).collect();
                parts.sort();
                if parts.is_empty() || !seen.insert((total.clone(), parts.clone())) {
                    continue;
                }
                self.check_sum(&total, &parts, "totals equal their parts");
            }
        }
    }

    /// The relations between tables beyond their own sums ([`crate::relations`], the same
    /// definitions disclosure control assumes an attacker knows): a citizenship group equals the
    /// sum of its countries (not less than its known ones when some are open), age groups are not
    /// more than their class, victims given something not more than those registered.
    fn check_cross_relations(&mut self) {
        let ds = self.ds;
        for rel in relations::cross_relations(&layout_of(ds), &ds.country) {
            if !rel.kind.checked_at_hub() {
                continue;
            }
            let what = rel.describe(&ds.country);
            match rel.bound {
                Bound::Equal => self.check_sum(&rel.whole, &rel.parts, &what),
                Bound::AtMost => self.check_not_more(&rel.whole, &rel.parts, &what),
            }
        }
    }

    /// `sum(parts) <= whole` only (the parts need not cover the whole).
    fn check_not_more(&mut self, whole: &CellKey, parts: &[CellKey], what: &str) {
        let State::Known(t) = self.state(whole) else { return };
        let sum: u64 = parts
            .iter()
            .filter_map(|p| match self.state(p) {
                State::Known(v) => Some(v),
                State::Open => None,
            })
            .fold(0u64, u64::saturating_add);
        if sum > t {
            let places: Vec<String> =
                parts.iter().filter(|p| self.by_key.contains_key(*p)).map(|p| self.where_of(p)).collect();
            let origin = self.by_key.get(whole).and_then(|i| self.origin(*i));
            let msg = format!("{what}: {t} here, but {} add up to {sum}", places.join(", "));
            self.push(origin, Some("OBS_VALUE"), Some(whole), msg);
        }
    }
}

/// The countries of citizenship of a dataset's citizenship table, sorted, `UNK` last.
pub fn citizens_in(dataset: &Dataset) -> Vec<String> {
    let mut c: Vec<String> = dataset
        .observations
        .iter()
        .map(|o| o.key.code(Concept::Citizen))
        .filter(|c| *c != TOTAL && *c != "UNK")
        .map(str::to_owned)
        .collect();
    c.sort();
    c.dedup();
    if dataset.observations.iter().any(|o| o.key.code(Concept::Citizen) == "UNK") {
        c.push("UNK".to_owned());
    }
    c
}

/// The national tables a dataset fills: the citizenship columns found in it, and the trafficker
/// tables when it has trafficker cells.
pub fn layout_of(dataset: &Dataset) -> Vec<crate::model::TableSpec> {
    let proceedings = dataset.observations.iter().any(|o| o.key.indicator.is_trafficker());
    national_tables(&citizens_in(dataset), proceedings)
}

/// A dataset from tables: one observation per distinct cell over the tables, in the order met.
/// `statuses[t][i]` is the confidentiality of cell `i` of table `t`; a suppressed cell has no
/// value. A cell shared by several tables is suppressed when any of them suppresses it, and a
/// cell for which `statuses` has no entry is taken as confidential (never published by mistake).
pub fn dataset_from_tables(
    country: &str,
    year: u16,
    tables: &[Table],
    statuses: Option<&[Vec<ConfStatus>]>,
) -> Dataset {
    let mut index: HashMap<CellKey, usize> = HashMap::new();
    let mut observations: Vec<Observation> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for (i, v) in table.values.iter().enumerate() {
            let conf = match statuses {
                None => ConfStatus::Free,
                Some(s) => s.get(t).and_then(|row| row.get(i)).copied().unwrap_or(ConfStatus::Confidential),
            };
            let k = table.spec.key(i);
            match index.get(&k) {
                Some(j) => {
                    if let Some(o) = observations.get_mut(*j)
                        && conf.is_suppressed()
                        && !o.conf.is_suppressed()
                    {
                        o.conf = conf;
                        o.value = None;
                    }
                }
                None => {
                    index.insert(k.clone(), observations.len());
                    observations.push(Observation {
                        key: k,
                        value: (!conf.is_suppressed()).then_some(*v),
                        conf,
                        error: None,
                    });
                }
            }
        }
    }
    Dataset { country: country.to_owned(), year, observations }
}

/// The EU figure of one cell, with who is behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuCell {
    /// The cell.
    pub key: CellKey,
    /// The sum over the countries in `reported`; `None` when no country reported a known value.
    pub total: Option<u64>,
    /// For differentially private inputs: the standard deviation of the sum's noise (square root
    /// of the sum of the reported variances), when every reporting country gave one.
    pub error: Option<f64>,
    /// Countries whose known value is added in.
    pub reported: Vec<String>,
    /// Countries with the cell confidential (flag c): not added in.
    pub confidential: Vec<String>,
    /// Countries that left the cell blank (unknown): not added in, not taken as zero.
    pub unknown: Vec<String>,
    /// Countries that submitted but whose file does not have the cell at all: not added in.
    pub absent: Vec<String>,
    /// Expected countries that did not submit.
    pub not_submitted: Vec<String>,
}

impl EuCell {
    /// Whether every expected country's known value is in the total.
    pub fn is_complete(&self) -> bool {
        self.confidential.is_empty()
            && self.unknown.is_empty()
            && self.absent.is_empty()
            && self.not_submitted.is_empty()
    }
}

/// The EU totals of a reference year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuAggregate {
    /// The reference year.
    pub year: u16,
    /// The member states expected to submit.
    pub expected: Vec<String>,
    /// Expected member states whose submission for the year is counted.
    pub submitted: Vec<String>,
    /// Expected member states without a submission for the year.
    pub missing: Vec<String>,
    /// Member states not bound by the Directive (Denmark): not expected, never missing.
    #[serde(default)]
    pub not_bound: Vec<String>,
    /// Member states not bound by the Directive that submitted anyway: received as voluntary,
    /// their known values added in like any other.
    #[serde(default)]
    pub voluntary: Vec<String>,
    /// Submissions left out, with the reason (other year, not expected, a second one).
    pub ignored: Vec<(String, String)>,
    /// Every cell reported by at least one submitting country, in key order.
    pub cells: Vec<EuCell>,
    /// The coverage in words, for the publication.
    pub statement: String,
}

/// Adds the submissions of `year` up into EU totals per cell, every country given being
/// expected. See [`aggregate_collection`].
pub fn aggregate(submissions: &[Dataset], expected_countries: &[&str], year: u16) -> EuAggregate {
    aggregate_collection(submissions, expected_countries, &[], year)
}

/// Adds the submissions of `year` up into EU totals per cell. A country's value is added in only
/// when it is known; blank, confidential and absent cells are listed per cell, never taken as
/// zero. A country in `not_bound` (Denmark, Protocol No 22) is not expected and never missing; a
/// submission from it is received as voluntary and added in. Submissions for another year, from
/// a country neither expected nor not bound, or a second one from the same country are left out
/// and listed in `ignored`.
pub fn aggregate_collection(
    submissions: &[Dataset],
    expected_countries: &[&str],
    not_bound: &[&str],
    year: u16,
) -> EuAggregate {
    let mut used: Vec<&Dataset> = Vec::new();
    let mut ignored = Vec::new();
    for d in submissions {
        let country = d.country.as_str();
        if d.year != year {
            ignored.push((d.country.clone(), format!("reference year {}, not {year}", d.year)));
        } else if !expected_countries.contains(&country) && !not_bound.contains(&country) {
            ignored.push((d.country.clone(), "not an expected country".to_owned()));
        } else if used.iter().any(|u| u.country == d.country) {
            ignored.push((d.country.clone(), "a second submission for the year (the first is counted)".to_owned()));
        } else {
            used.push(d);
        }
    }
    let submitted: Vec<String> =
        expected_countries.iter().filter(|c| used.iter().any(|u| u.country == **c)).map(|c| (*c).to_owned()).collect();
    let missing: Vec<String> =
        expected_countries.iter().filter(|c| !used.iter().any(|u| u.country == **c)).map(|c| (*c).to_owned()).collect();
    let voluntary: Vec<String> =
        not_bound.iter().filter(|c| used.iter().any(|u| u.country == **c)).map(|c| (*c).to_owned()).collect();

    // per cell, per submitting country (in expected order): its observation
    let mut per_cell: BTreeMap<&CellKey, Vec<Option<&Observation>>> = BTreeMap::new();
    for (ci, d) in used.iter().enumerate() {
        for o in &d.observations {
            let slot = per_cell.entry(&o.key).or_insert_with(|| vec![None; used.len()]);
            if let Some(s) = slot.get_mut(ci)
                && s.is_none()
            {
                *s = Some(o);
            }
        }
    }
    let mut cells = Vec::with_capacity(per_cell.len());
    let (mut complete, mut with_conf, mut with_unknown) = (0usize, 0usize, 0usize);
    for (k, obs) in per_cell {
        let mut cell = EuCell {
            key: k.clone(),
            total: None,
            error: None,
            reported: Vec::new(),
            confidential: Vec::new(),
            unknown: Vec::new(),
            absent: Vec::new(),
            not_submitted: missing.clone(),
        };
        let mut variance = 0.0f64;
        let mut all_errors = true;
        for (d, o) in used.iter().zip(obs) {
            let country = d.country.clone();
            match o {
                None => cell.absent.push(country),
                Some(o) if o.conf.is_suppressed() => cell.confidential.push(country),
                Some(Observation { value: None, .. }) => cell.unknown.push(country),
                Some(Observation { value: Some(v), error, .. }) => {
                    cell.total = Some(cell.total.unwrap_or(0).saturating_add(*v));
                    match error {
                        Some(e) if e.is_finite() && *e >= 0.0 => variance += e * e,
                        _ => all_errors = false,
                    }
                    cell.reported.push(country);
                }
            }
        }
        if cell.total.is_some() && all_errors && variance > 0.0 {
            cell.error = Some(variance.sqrt());
        }
        complete += usize::from(cell.is_complete());
        with_conf += usize::from(!cell.confidential.is_empty());
        with_unknown += usize::from(!cell.unknown.is_empty() || !cell.absent.is_empty());
        cells.push(cell);
    }
    let mut statement = format!(
        "EU totals for {year}: {} of {} expected member states submitted",
        submitted.len(),
        expected_countries.len()
    );
    if !submitted.is_empty() {
        statement.push_str(&format!(" ({})", submitted.join(", ")));
    }
    if missing.is_empty() {
        statement.push('.');
    } else {
        statement.push_str(&format!("; not submitted: {}.", missing.join(", ")));
    }
    statement.push_str(&format!(
        " Each total adds only the values the countries reported as known: {} of {} cells are complete; \
         {} have a country's value confidential (not added in); {} have a country's value blank or \
         absent (unknown, not taken as zero). Each cell lists the countries behind its total.",
        complete,
        cells.len(),
        with_conf,
        with_unknown
    ));
    for c in not_bound {
        if voluntary.iter().any(|v| v == c) {
            statement.push_str(&format!(
                " {c} is not bound by the Directive (Protocol No 22) and submitted voluntarily: its known values \
                 are added in."
            ));
        } else {
            statement.push_str(&format!(
                " {c} is not bound by the Directive (Protocol No 22): not expected to submit, not missing."
            ));
        }
    }
    if !ignored.is_empty() {
        let list: Vec<String> = ignored.iter().map(|(c, why)| format!("{c} ({why})")).collect();
        statement.push_str(&format!(" Left out: {}.", list.join("; ")));
    }
    EuAggregate {
        year,
        expected: expected_countries.iter().map(|c| (*c).to_owned()).collect(),
        submitted,
        missing,
        not_bound: not_bound.iter().map(|c| (*c).to_owned()).collect(),
        voluntary,
        ignored,
        cells,
        statement,
    }
}

/// Where a country stands in the collection of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionStatus {
    /// Expected and received once.
    Submitted,
    /// Expected and received more than once (the number of files).
    SubmittedMoreThanOnce(usize),
    /// Expected, nothing received.
    Missing,
    /// Not bound by the Directive (Denmark), nothing received: not expected, not missing.
    NotBound,
    /// Not bound by the Directive, received anyway (the number of files): voluntary.
    Voluntary(usize),
    /// Received but not expected.
    Unexpected,
}

/// The status of every expected country (in the given order), then of every country received but
/// not expected (sorted). `received` holds the reporting country of each accepted submission.
pub fn submission_status(expected: &[&str], received: &[&str]) -> Vec<(String, SubmissionStatus)> {
    submission_status_in(expected, &[], received)
}

/// The status of every expected country (in the given order), then of every country not bound by
/// the Directive (not bound, or voluntary when it sent a file), then of every country received but
/// neither (sorted). `received` holds the reporting country of each accepted submission.
pub fn submission_status_in(
    expected: &[&str],
    not_bound: &[&str],
    received: &[&str],
) -> Vec<(String, SubmissionStatus)> {
    let files = |c: &str| received.iter().filter(|r| **r == c).count();
    let mut out: Vec<(String, SubmissionStatus)> = expected
        .iter()
        .map(|c| {
            let status = match files(c) {
                0 => SubmissionStatus::Missing,
                1 => SubmissionStatus::Submitted,
                n => SubmissionStatus::SubmittedMoreThanOnce(n),
            };
            ((*c).to_owned(), status)
        })
        .collect();
    out.extend(not_bound.iter().filter(|c| !expected.contains(c)).map(|c| {
        let status = match files(c) {
            0 => SubmissionStatus::NotBound,
            n => SubmissionStatus::Voluntary(n),
        };
        ((*c).to_owned(), status)
    }));
    let mut extra: Vec<&str> =
        received.iter().copied().filter(|r| !expected.contains(r) && !not_bound.contains(r)).collect();
    extra.sort_unstable();
    extra.dedup();
    out.extend(extra.into_iter().map(|c| (c.to_owned(), SubmissionStatus::Unexpected)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_spreadsheet_style() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(Origin::Cell { sheet: "S".into(), row: 5, col: 3 }.to_string(), "S!C5");
    }

    #[test]
    fn status_lists_missing_and_unexpected() {
        let s = submission_status(&["LV", "EE", "LT"], &["EE", "LV", "LV", "NO"]);
        assert_eq!(
            s,
            vec![
                ("LV".to_owned(), SubmissionStatus::SubmittedMoreThanOnce(2)),
                ("EE".to_owned(), SubmissionStatus::Submitted),
                ("LT".to_owned(), SubmissionStatus::Missing),
                ("NO".to_owned(), SubmissionStatus::Unexpected),
            ]
        );
    }
}
