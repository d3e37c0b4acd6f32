//! Person linkage in the platform: the Fellegi-Sunter model of `haven_link` as data, what Haven
//! feeds it of a person, an index of persons that scores one new record against those already
//! in it, and the clustering of registrations into persons for the statistics.
//!
//! Pure: no storage, no keys, no clock. The use cases in `ident` decide whose records go in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use haven_domain::ParseError;
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::ident::age::{AgeAssessment, AgeRange};
use haven_domain::ident::record::{PersonDetails, Registration};
use haven_link::cluster::{Link, cluster_with_cannot_link};
use haven_link::compare::Comparison;
use haven_link::data::MAX_VALUE_CHARS;
use haven_link::model::LinkType;
use haven_link::{CandidateIndex, LinkageModel};
use serde::Serialize;

use crate::{AppError, AppResult};

/// Where an operator's model is read from, under the instance's reference directory.
pub const PERSON_MODEL_FILE: &str = "linkage/persons.toml";

/// The built-in model ("persons v1"), with its m and u explained in the file.
const BUILT_IN: &str = include_str!("../../linkage/persons.toml");

/// A saved registration warns of a record the engine puts at or above this probability: more
/// likely the same person than not. (A shared document number always warns.)
pub const DUPLICATE_WARNING_PROBABILITY: f64 = 0.5;

/// At most this many aliases and earlier family names of one person are indexed.
const MAX_ALTERNATIVES: usize = 8;
/// A searched name is tried split between given and family names at most at this many places.
const MAX_SPLITS: usize = 6;

/// The values Haven feeds the model, by field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feed {
    GivenNames,
    FamilyNames,
    DateOfBirth,
    Sex,
    Citizenship,
}

const FEEDS: [(&str, Feed); 5] = [
    ("given_names", Feed::GivenNames),
    ("family_names", Feed::FamilyNames),
    ("date_of_birth", Feed::DateOfBirth),
    ("sex", Feed::Sex),
    ("citizenship", Feed::Citizenship),
];

/// The person-linkage model the platform runs: search, duplicate warnings, person counts.
#[derive(Debug, Clone)]
pub struct PersonModel {
    model: LinkageModel,
    label: String,
    feeds: Vec<Feed>,
}

impl PersonModel {
    /// The built-in model.
    pub fn built_in() -> AppResult<Self> {
        Self::parse(BUILT_IN, "persons v1 (built in)")
    }

    /// An operator's model, the text of [`PERSON_MODEL_FILE`]. An error names the file.
    pub fn from_operator_file(text: &str) -> AppResult<Self> {
        Self::parse(text, &format!("{PERSON_MODEL_FILE} of the operator"))
    }

    fn parse(text: &str, label: &str) -> AppResult<Self> {
        let bad = |m: String| AppError::Invalid(ParseError::new(PERSON_MODEL_FILE, m));
        let model = LinkageModel::from_toml(text).map_err(|e| bad(e.to_string()))?;
        if model.parameters.is_none() {
            return Err(bad("the model has no [parameters] (m, u and lambda): train it or set them".into()));
        }
        if model.settings.link_type == LinkType::Link {
            return Err(bad(
                "link_type must be \"dedupe\": the platform finds the same person among one set of records".into(),
            ));
        }
        let mut feeds = Vec::with_capacity(model.settings.fields.len());
        for f in &model.settings.fields {
            let Some((_, feed)) = FEEDS.iter().find(|(name, _)| *name == f.name) else {
                let known: Vec<&str> = FEEDS.iter().map(|(n, _)| *n).collect();
                return Err(bad(format!("field {:?} is not one Haven feeds (known: {})", f.name, known.join(", "))));
            };
            let fits = match feed {
                Feed::GivenNames | Feed::FamilyNames => matches!(f.comparison, Comparison::Name { .. }),
                Feed::DateOfBirth => f.comparison == Comparison::Date,
                Feed::Sex | Feed::Citizenship => !matches!(f.comparison, Comparison::Date),
            };
            if !fits {
                return Err(bad(format!("field {:?} cannot be compared that way (names: name, dates: date)", f.name)));
            }
            feeds.push(*feed);
        }
        if !feeds.iter().any(|f| matches!(f, Feed::GivenNames | Feed::FamilyNames)) {
            return Err(bad("the model compares no name (given_names or family_names)".into()));
        }
        CandidateIndex::new(&model).map_err(|e| bad(e.to_string()))?;
        Ok(PersonModel { model, label: label.to_owned(), feeds })
    }

    /// Which model this is, for the method statements: "persons v1 (built in)".
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn model(&self) -> &LinkageModel {
        &self.model
    }

    /// Search results start at this probability (the model's `min_probability`).
    pub fn search_threshold(&self) -> f64 {
        self.model.settings.min_probability
    }

    /// Records join one person at this probability (the model's `cluster.threshold`).
    pub fn cluster_threshold(&self) -> f64 {
        self.model.settings.cluster.threshold
    }

    /// The values of one name form of a person, in the model's field order.
    fn values<'a>(&self, form: &'a NameForm, facts: &'a PersonFacts) -> Vec<Option<&'a str>> {
        let some = |s: &'a str| (!s.trim().is_empty()).then_some(s);
        self.feeds
            .iter()
            .map(|f| match f {
                Feed::GivenNames => some(&form.given),
                Feed::FamilyNames => some(&form.family),
                Feed::DateOfBirth => facts.date_of_birth.as_deref(),
                Feed::Sex => facts.sex,
                Feed::Citizenship => facts.citizenship.as_deref(),
            })
            .collect()
    }
}

/// One way of writing a person's name: given names, and family names with alternatives joined by
/// `|` (the engine compares every alternative).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NameForm {
    given: String,
    family: String,
}

impl NameForm {
    fn new(given: &str, family: &str) -> NameForm {
        NameForm { given: clip(given.trim()).to_owned(), family: clip(family.trim()).to_owned() }
    }

    fn is_empty(&self) -> bool {
        self.given.trim().is_empty() && self.family.trim().is_empty()
    }

    fn swapped(&self) -> NameForm {
        NameForm { given: self.family.clone(), family: self.given.clone() }
    }
}

/// At most [`MAX_VALUE_CHARS`] characters (the engine refuses longer values).
fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_VALUE_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Alternatives joined by `|`, as many as fit the engine's limit on a value.
fn alternatives<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for v in values {
        let v = v.trim();
        let extra = v.chars().count() + usize::from(!out.is_empty());
        if v.is_empty() || out.chars().count() + extra > MAX_VALUE_CHARS {
            continue;
        }
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(v);
    }
    out
}

/// An age guessed or assessed is taken as at least this many years either side (as an age
/// estimate read by `haven link`).
const MIN_ESTIMATE_TOLERANCE: u16 = 2;
/// An age range wider than this many years either side says too little to compare.
const MAX_ESTIMATE_TOLERANCE: u16 = 20;
/// The earliest year of birth the engine reads (its default `min_birth_year`).
const EARLIEST_BIRTH_YEAR: u16 = 1880;

/// The year of birth an age range measured on `on` gives, as the engine's estimate `~YYYY±N`.
/// A person aged `min..=max` on `on` was born after `on` less `max + 1` years and on or before
/// `on` less `min` years: the middle of those years (of two, the later for a day in the second
/// half of the year, the earlier in the first half, as `haven link` turns an age into a year),
/// with half their span either side, at least [`MIN_ESTIMATE_TOLERANCE`]. `None` when the span
/// is over [`MAX_ESTIMATE_TOLERANCE`] years either side or the year is before
/// [`EARLIEST_BIRTH_YEAR`].
pub(crate) fn estimated_birth_year(range: AgeRange, on: CalendarDate) -> Option<String> {
    let latest = on.year.checked_sub(u16::from(range.min_years()))?;
    let earliest = on.year.checked_sub(u16::from(range.max_years()) + 1)?;
    let span = latest - earliest;
    let year = earliest + span / 2 + u16::from(span % 2 == 1 && on.month > 6);
    let tolerance = span.div_ceil(2).max(MIN_ESTIMATE_TOLERANCE);
    (tolerance <= MAX_ESTIMATE_TOLERANCE && year >= EARLIEST_BIRTH_YEAR).then(|| format!("~{year}±{tolerance}"))
}

/// What linkage compares as a person's date of birth: the date registered; without one, the
/// year of birth the latest age assessment gives on its own day; without one, the year the age
/// estimate gives on `registered_on` (the day it was recorded with the registration). `None`
/// when nothing of it is known.
pub(crate) fn birth_year_of(person: &PersonDetails, registered_on: Option<CalendarDate>) -> Option<String> {
    if let Some(d) = person.date_of_birth {
        return Some(d.to_string());
    }
    // the latest assessment; of two on one day, the later in the list (as the age rules take it)
    let latest = person.age_assessments.iter().fold(None::<&AgeAssessment>, |best, a| match best {
        Some(b) if b.date > a.date => Some(b),
        _ => Some(a),
    });
    match latest {
        Some(a) => estimated_birth_year(a.result, a.date),
        None => estimated_birth_year(person.age_estimate?, registered_on?),
    }
}

/// What linkage compares of one person.
#[derive(Debug, Clone, Default)]
pub(crate) struct PersonFacts {
    /// The name as registered first, then each earlier family name put first (so that blocking on
    /// the family name reaches it), then each alias.
    forms: Vec<NameForm>,
    date_of_birth: Option<String>,
    sex: Option<&'static str>,
    citizenship: Option<String>,
}

impl PersonFacts {
    /// A person as registered or recorded: names, aliases, earlier family names and the rest.
    pub fn of_person(
        given: &str,
        family: &str,
        previous_family: &[String],
        aliases: &[String],
        date_of_birth: Option<String>,
        sex: Sex,
        citizenship: Option<String>,
    ) -> PersonFacts {
        let mut families: Vec<&str> = Vec::new();
        for f in std::iter::once(family).chain(previous_family.iter().map(String::as_str)).map(str::trim) {
            if !f.is_empty() && !families.contains(&f) && families.len() < MAX_ALTERNATIVES {
                families.push(f);
            }
        }
        let mut forms = Vec::new();
        // the registered family name first, then each earlier one in the lead
        for lead in 0..families.len().max(1) {
            let ordered = families
                .get(lead)
                .into_iter()
                .chain(families.iter().enumerate().filter(|(i, _)| *i != lead).map(|(_, f)| f));
            forms.push(NameForm::new(given, &alternatives(ordered.copied())));
        }
        let all_families = alternatives(families.iter().copied());
        for alias in aliases.iter().take(MAX_ALTERNATIVES) {
            let words: Vec<&str> = alias.split_whitespace().collect();
            match words.split_last() {
                None => {}
                // one word: another given name
                Some((only, [])) => forms.push(NameForm::new(only, &all_families)),
                // several: a full name, the last word the family name
                Some((last, first)) => forms.push(NameForm::new(&first.join(" "), last)),
            }
        }
        let mut unique: Vec<NameForm> = Vec::with_capacity(forms.len());
        for f in forms {
            if !f.is_empty() && !unique.contains(&f) {
                unique.push(f);
            }
        }
        if unique.is_empty() {
            // no name at all: the other fields are still compared
            unique.push(NameForm::default());
        }
        PersonFacts {
            forms: unique,
            date_of_birth,
            sex: (sex != Sex::Unknown).then(|| haven_domain::Coded::code(sex)),
            citizenship: citizenship.filter(|c| !c.is_empty()),
        }
    }

    /// A registration made at `registered_at` (its case's creation, in seconds since 1970): the
    /// date of birth, or without one the year of birth its age gives ([`birth_year_of`]).
    pub fn of_registration(reg: &Registration, registered_at: i64) -> PersonFacts {
        let p = &reg.person;
        PersonFacts::of_person(
            &p.given_names,
            &p.family_names,
            &p.previous_family_names,
            &p.aliases,
            birth_year_of(p, CalendarDate::from_unix_seconds(registered_at)),
            p.sex,
            p.citizenships.first().map(|c| c.as_str().to_owned()),
        )
    }

    /// The values of one record that the engine trains on, by field name: every name form's
    /// given names as alternatives of one another (aliases among them), and likewise the family
    /// names (earlier ones and aliases' among them), so that training compares what search and
    /// clustering compare; the rest as for a query.
    pub(crate) fn training_value(&self, field: &str) -> Option<String> {
        let joined = |given: bool| {
            let mut names: Vec<&str> = Vec::new();
            for f in &self.forms {
                let value = if given { f.given.as_str() } else { f.family.as_str() };
                for n in value.split('|').map(str::trim) {
                    if !n.is_empty() && !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
            let v = alternatives(names);
            (!v.is_empty()).then_some(v)
        };
        match field {
            "given_names" => joined(true),
            "family_names" => joined(false),
            "date_of_birth" => self.date_of_birth.clone(),
            "sex" => self.sex.map(str::to_owned),
            "citizenship" => self.citizenship.clone(),
            _ => None,
        }
    }

    /// A searched name (any order, any split between given and family names) and date of birth.
    /// Without a name there is nothing for the engine to compare: `None`.
    pub fn of_search(name: &str, date_of_birth: Option<CalendarDate>) -> Option<PersonFacts> {
        let words: Vec<&str> = name.split_whitespace().collect();
        let mut forms = Vec::new();
        match words.as_slice() {
            [] => return None,
            [only] => {
                forms.push(NameForm::new("", only));
                forms.push(NameForm::new(only, ""));
            }
            _ => {
                for k in 1..words.len().min(MAX_SPLITS + 1) {
                    let (a, b) = (words[..k].join(" "), words[k..].join(" "));
                    forms.push(NameForm::new(&a, &b));
                    forms.push(NameForm::new(&b, &a));
                }
            }
        }
        Some(PersonFacts { forms, date_of_birth: date_of_birth.map(|d| d.to_string()), sex: None, citizenship: None })
    }

    /// Whether a name was given.
    pub fn has_name(&self) -> bool {
        self.forms.iter().any(|f| !f.is_empty())
    }

    /// The forms a query runs with: each form also with given and family names exchanged, so that
    /// blocking on the family name reaches a record whose names were entered the other way round.
    fn query_forms(&self) -> Vec<NameForm> {
        let mut out: Vec<NameForm> = Vec::with_capacity(self.forms.len() * 2);
        for f in self.forms.iter().flat_map(|f| [f.clone(), f.swapped()]) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }
}

/// One field's part in a match: how the two records compare on it and what that weighs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldReason {
    /// The model's field: `given_names`, `family_names`, `date_of_birth`, `sex`, `citizenship`.
    pub field: String,
    /// The comparison level: `exact`, `Jaro-Winkler >= 0.92`, `day and month swapped`,
    /// `different`, `missing` (not compared: a value is missing on one side).
    pub level: String,
    /// log2(m/u), rounded to 0.01: above 0 speaks for the same person, below 0 against.
    pub weight: f64,
}

/// The engine's verdict on a pair of persons.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Match {
    pub weight: f64,
    pub probability: f64,
    pub explanation: Vec<FieldReason>,
}

/// The engine could not score (never carries a value of a person).
#[derive(Debug, thiserror::Error)]
#[error("the person-linkage engine could not score a record")]
struct LinkageFailed;

/// Persons in a candidate index: each name form is an entry, mapped back to its record.
pub(crate) struct PersonIndex<'m> {
    model: &'m PersonModel,
    index: CandidateIndex,
    owners: Vec<usize>,
}

impl<'m> PersonIndex<'m> {
    pub fn new(model: &'m PersonModel) -> AppResult<Self> {
        let index = CandidateIndex::new(&model.model).map_err(|_| AppError::Internal(Box::new(LinkageFailed)))?;
        Ok(PersonIndex { model, index, owners: Vec::new() })
    }

    /// Adds record number `record`. A form the engine cannot read is left out (and logged
    /// without its values); the record's other forms still count.
    pub fn insert(&mut self, record: usize, facts: &PersonFacts) {
        for form in &facts.forms {
            let values = self.model.values(form, facts);
            match self.index.insert(record.to_string(), 0, &values) {
                Ok(_) => self.owners.push(record),
                Err(_) => tracing::warn!("a name form could not be indexed for person linkage and was left out"),
            }
        }
    }

    /// Scores a person (not inserted) against the records sharing a block with one of its forms:
    /// the best form pair per record, at or above `min_probability`.
    pub fn query(&self, facts: &PersonFacts, min_probability: f64) -> AppResult<BTreeMap<usize, Match>> {
        let mut best: BTreeMap<usize, Match> = BTreeMap::new();
        for form in facts.query_forms() {
            let values = self.model.values(&form, facts);
            let found = self
                .index
                .query(0, &values, min_probability)
                .map_err(|_| AppError::Internal(Box::new(LinkageFailed)))?;
            for c in found {
                let Some(owner) = self.owners.get(c.record as usize).copied() else { continue };
                if best.get(&owner).is_some_and(|m| m.weight >= c.weight) {
                    continue;
                }
                let explanation = c
                    .explanation
                    .iter()
                    .map(|e| FieldReason {
                        field: e.field.clone(),
                        level: e.level.clone(),
                        weight: (e.weight * 100.0).round() / 100.0,
                    })
                    .collect();
                best.insert(owner, Match { weight: c.weight, probability: c.probability, explanation });
            }
        }
        Ok(best)
    }
}

/// The blocking keys of a person, `rule:key`: of every name form as stored (`as_query` false),
/// or of every form a query runs with (`as_query` true, names also exchanged). A query and a
/// stored person are compared by [`PersonIndex::query`] exactly when they share a key, so the
/// keys, kept as keyed blind indexes, find a registration's candidates without reading the
/// register. A form the engine cannot read gives no key (as it is left out of the index).
pub(crate) fn block_keys(model: &PersonModel, facts: &PersonFacts, as_query: bool) -> AppResult<BTreeSet<String>> {
    let index = CandidateIndex::new(&model.model).map_err(|_| AppError::Internal(Box::new(LinkageFailed)))?;
    let forms = if as_query { facts.query_forms() } else { facts.forms.clone() };
    let mut out = BTreeSet::new();
    for form in &forms {
        if let Ok(keys) = index.block_keys(&model.values(form, facts)) {
            out.extend(keys.into_iter().map(|(rule, key)| format!("{rule}:{key:016x}")));
        }
    }
    Ok(out)
}

/// A blocking key and, where its rule does not already compare the given names, the same key
/// refined by the phonetic code of the given names (`rule & phonetic(given_names)`), per rule
/// and name form. The refined keys are stored beside the keys; a key held by more registrations
/// than a lookup reads (a family name as frequent as Nguyen) is looked up by its refined keys
/// instead, so a save reads a bounded candidate set however large the register grows.
pub(crate) fn block_key_pairs(
    model: &PersonModel,
    facts: &PersonFacts,
    as_query: bool,
) -> AppResult<Vec<(String, Option<String>)>> {
    let failed = |_| AppError::Internal(Box::new(LinkageFailed));
    let index = CandidateIndex::new(&model.model).map_err(failed)?;
    let refinable: Vec<bool> = model.model.settings.blocking.iter().map(|r| !r.contains("given_names")).collect();
    let mut refined_model = model.model.clone();
    refined_model.settings.blocking = model
        .model
        .settings
        .blocking
        .iter()
        .map(|r| if r.contains("given_names") { r.clone() } else { format!("{r} & phonetic(given_names)") })
        .collect();
    let refined_index = CandidateIndex::new(&refined_model).map_err(failed)?;
    let forms = if as_query { facts.query_forms() } else { facts.forms.clone() };
    let mut out = BTreeSet::new();
    for form in &forms {
        let values = model.values(form, facts);
        let (Ok(keys), Ok(refined)) = (index.block_keys(&values), refined_index.block_keys(&values)) else {
            continue;
        };
        let refined: BTreeMap<usize, u64> = refined.into_iter().collect();
        for (rule, key) in keys {
            let finer = refined
                .get(&rule)
                .filter(|_| refinable.get(rule).copied().unwrap_or(false))
                .map(|k| format!("{rule}&g:{k:016x}"));
            out.insert((format!("{rule}:{key:016x}"), finer));
        }
    }
    Ok(out.into_iter().collect())
}

/// What the stored keys depend on: the model (its settings and parameters) and the keys the
/// engine gives a fixed probe person, so that a changed model or engine is noticed and the
/// stored keys are rebuilt. Not secret by itself; it is stored as a keyed MAC.
pub(crate) fn block_key_basis(model: &PersonModel) -> AppResult<String> {
    let probe = PersonFacts::of_person(
        "Olena Maria",
        "Kovalenko",
        &["Ozola".to_owned()],
        &["Lena".to_owned()],
        Some("1990-05-01".to_owned()),
        Sex::Female,
        Some("UA".to_owned()),
    );
    let keys = block_keys(model, &probe, true)?;
    // the refined keys are stored too (since the candidate index bounded its lookups)
    let refined: Vec<String> = block_key_pairs(model, &probe, true)?.into_iter().filter_map(|(_, r)| r).collect();
    // and a year of birth estimated from an age (since ages are fed)
    let aged = PersonFacts::of_person("Olena", "Kovalenko", &[], &[], Some("~1990±2".to_owned()), Sex::Female, None);
    let keys = keys.into_iter().chain(refined).chain(block_keys(model, &aged, false)?);
    let settings = serde_json::to_string(&model.model).map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok(format!("{settings}\n{}", keys.collect::<Vec<_>>().join(",")))
}

/// Registrations grouped into persons: counts only, never a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PersonClusters {
    /// Distinct persons.
    pub persons: u64,
    /// Registrations counted.
    pub records: u64,
    /// Registrations found to be a person already counted (`records - persons`).
    pub merged: u64,
    /// How the persons were found, in words (the model and the threshold).
    pub method: String,
}

/// A record for clustering: its facts and its normalised document numbers.
#[derive(Clone)]
pub(crate) struct ClusterRecord {
    pub facts: PersonFacts,
    pub documents: Vec<String>,
}

/// Groups records into persons: records sharing a document number are one person first, then the
/// engine links pairs at or above the model's cluster threshold (guarded against chains by the
/// model's cluster settings).
#[cfg(test)]
pub(crate) fn cluster_persons(model: &PersonModel, records: &[ClusterRecord]) -> AppResult<PersonClusters> {
    Ok(assign_persons(model, records)?.1)
}

/// [`cluster_persons`] with the person (cluster number, from 0) of every record.
#[cfg(test)]
pub(crate) fn assign_persons(model: &PersonModel, records: &[ClusterRecord]) -> AppResult<(Vec<u32>, PersonClusters)> {
    assign_persons_apart(model, records, &[], &[])
}

/// [`assign_persons`] keeping apart each pair of `cannot_link` (record numbers): two records a
/// reviewer answered are different persons are never one person, whatever the scores.
pub(crate) fn assign_persons_apart(
    model: &PersonModel,
    records: &[ClusterRecord],
    cannot_link: &[(u32, u32)],
    must_link: &[(u32, u32)],
) -> AppResult<(Vec<u32>, PersonClusters)> {
    let n = records.len();
    let mut index = PersonIndex::new(model)?;
    for (i, r) in records.iter().enumerate() {
        index.insert(i, &r.facts);
    }
    let key = |a: usize, b: usize| {
        let (a, b) = (u32::try_from(a).unwrap_or(u32::MAX), u32::try_from(b).unwrap_or(u32::MAX));
        (a.min(b), a.max(b))
    };
    // The clustering merges along pairs at or above the threshold and is stopped by pairs below
    // `conflict_below` between the records it would merge: only pairs within one group of
    // records joined by such links (or a document) matter. So the links are found first (the
    // records queried in parallel, nothing below the threshold kept), then every pair the
    // engine compares is scored within each group only, not across a block of namesakes.
    let threshold = model.cluster_threshold();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).clamp(1, 8);
    let chunk = n.div_ceil(threads).max(1);
    let index_ref = &index;
    let found: Vec<AppResult<Vec<(usize, usize)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (i, r) in records.iter().enumerate().skip(start).take(chunk) {
                        out.extend(
                            index_ref.query(&r.facts, threshold)?.into_keys().filter(|j| *j != i).map(|j| (i, j)),
                        );
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(AppError::Internal(Box::new(LinkageFailed)))))
            .collect()
    });
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    for part in found {
        for (a, b) in part? {
            join(&mut parent, a, b);
        }
    }
    let mut by_document: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        for d in r.documents.iter().filter(|d| !d.is_empty()) {
            let holders = by_document.entry(d.as_str()).or_default();
            if !holders.contains(&i) {
                holders.push(i);
            }
        }
    }
    for holders in by_document.values() {
        for b in holders.iter().skip(1) {
            join(&mut parent, holders[0], *b);
        }
    }
    // a "same" answer of the review joins its two records as a shared document does (a
    // cannot-link answer about the same pair wins: the clustering drops the link)
    let must: Vec<(usize, usize)> =
        must_link.iter().map(|(a, b)| (*a as usize, *b as usize)).filter(|(a, b)| *a < n && *b < n && a != b).collect();
    for (a, b) in &must {
        join(&mut parent, *a, *b);
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut pairs: HashMap<(u32, u32), f64> = HashMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let mut local = PersonIndex::new(model)?;
        for (x, i) in members.iter().enumerate() {
            local.insert(x, &records[*i].facts);
        }
        for (x, i) in members.iter().enumerate() {
            // every scored pair, low ones too: they stop clusters that would join different people
            for (y, m) in local.query(&records[*i].facts, 0.0)? {
                if y != x {
                    let p = pairs.entry(key(*i, members[y])).or_insert(m.probability);
                    *p = p.max(m.probability);
                }
            }
        }
    }
    for holders in by_document.values() {
        for (x, a) in holders.iter().enumerate() {
            for b in &holders[x + 1..] {
                pairs.insert(key(*a, *b), 1.0);
            }
        }
    }
    for (a, b) in &must {
        pairs.insert(key(*a, *b), 1.0);
    }
    let mut links: Vec<Link> = pairs.into_iter().map(|((a, b), probability)| Link { a, b, probability }).collect();
    links.sort_by_key(|x| (x.a, x.b));
    let clusters = cluster_with_cannot_link(n, &links, &model.model.settings.cluster, cannot_link);
    let persons = clusters.iter().map(|c| u64::from(*c) + 1).max().unwrap_or(0);
    let records = n as u64;
    let summary = PersonClusters {
        persons,
        records,
        merged: records - persons,
        method: format!(
            "the same document number first, then the linkage engine: model {}, threshold {}",
            model.label(),
            model.cluster_threshold()
        ),
    };
    Ok((clusters, summary))
}

/// A person id in a new clustering: one given before, or the `n`th new one (from 0).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PersonSlot {
    Kept(String),
    New(usize),
}

/// How person ids given before go to the clusters of a new clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdRule {
    /// The oldest (smallest) id first, each to the cluster holding most of its records: when a
    /// registration joins two persons, the older id survives (incremental clustering).
    OldestFirst,
    /// The largest overlaps first (a full re-link): each cluster keeps the id most of its
    /// records had, as far as ids go round.
    LargestOverlap,
}

/// Person ids for the clusters of a new clustering (`clusters[i]` the cluster of record `i`,
/// `previous[i]` its id before, if it had one). Each id given before goes to at most one
/// cluster, one holding some of its records, chosen by `rule`; clusters left get new ids. An id
/// that no cluster keeps is merged into the id of the cluster holding most of its records.
/// Gives the id of every record and the merges (gone, survivor).
pub(crate) fn keep_person_ids(
    clusters: &[u32],
    previous: &[Option<&str>],
    rule: IdRule,
) -> (Vec<PersonSlot>, Vec<(String, PersonSlot)>) {
    let k = clusters.iter().map(|c| *c as usize + 1).max().unwrap_or(0);
    // records of each previous id in each cluster
    let mut overlap: BTreeMap<&str, BTreeMap<u32, usize>> = BTreeMap::new();
    for (c, p) in clusters.iter().zip(previous) {
        if let Some(p) = p {
            *overlap.entry(p).or_default().entry(*c).or_default() += 1;
        }
    }
    let mut options: Vec<(usize, &str, u32)> = Vec::new();
    for (p, by_cluster) in &overlap {
        for (c, n) in by_cluster {
            options.push((*n, p, *c));
        }
    }
    match rule {
        IdRule::OldestFirst => options.sort_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(&x.0)).then(x.2.cmp(&y.2))),
        IdRule::LargestOverlap => options.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(y.1)).then(x.2.cmp(&y.2))),
    }
    let mut slots: Vec<Option<PersonSlot>> = vec![None; k];
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    for (_, p, c) in options {
        if slots[c as usize].is_none() && !kept.contains(p) {
            slots[c as usize] = Some(PersonSlot::Kept(p.to_owned()));
            kept.insert(p);
        }
    }
    let mut fresh = 0usize;
    let slots: Vec<PersonSlot> = slots
        .into_iter()
        .map(|s| {
            s.unwrap_or_else(|| {
                fresh += 1;
                PersonSlot::New(fresh - 1)
            })
        })
        .collect();
    let mut merges = Vec::new();
    for (p, by_cluster) in &overlap {
        if kept.contains(p) {
            continue;
        }
        let best = by_cluster.iter().max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0))).map(|(c, _)| *c);
        if let Some(c) = best {
            merges.push(((*p).to_owned(), slots[c as usize].clone()));
        }
    }
    (clusters.iter().map(|c| slots[*c as usize].clone()).collect(), merges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> PersonModel {
        PersonModel::built_in().unwrap()
    }

    fn person(given: &str, family: &str, dob: Option<&str>) -> PersonFacts {
        PersonFacts::of_person(given, family, &[], &[], dob.map(str::to_owned), Sex::Female, Some("UA".into()))
    }

    fn record(facts: PersonFacts) -> ClusterRecord {
        ClusterRecord { facts, documents: vec![] }
    }

    fn day(s: &str) -> CalendarDate {
        CalendarDate::parse("day", s).unwrap()
    }

    fn years(min: u8, max: u8) -> AgeRange {
        AgeRange::new(min, max).unwrap()
    }

    #[test]
    fn an_age_range_becomes_the_years_of_birth_it_allows() {
        // 38 on 1 September 2023: born 1984 or 1985, the later taken in the second half of the
        // year, two years either side at least (as `haven link` reads an age)
        assert_eq!(estimated_birth_year(years(38, 38), day("2023-09-01")).as_deref(), Some("~1985±2"));
        assert_eq!(estimated_birth_year(years(41, 41), day("2023-02-15")).as_deref(), Some("~1981±2"));
        // 16 to 18 in September 2023: born 2004 to 2007
        assert_eq!(estimated_birth_year(years(16, 18), day("2023-09-01")).as_deref(), Some("~2006±2"));
        // 20 to 30: born 1992 to 2003, the middle year and six years either side
        assert_eq!(estimated_birth_year(years(20, 30), day("2023-01-10")).as_deref(), Some("~1997±6"));
        // a range too wide to say anything, or a year the engine does not read
        assert_eq!(estimated_birth_year(years(0, 60), day("2023-01-10")), None);
        assert_eq!(estimated_birth_year(years(120, 120), day("1990-01-10")), None);
    }

    /// The estimate covers every year of birth the age range allows on its day, for every range
    /// of 0 to 39 years wide starting at 0 to 59, measured on a day of every month.
    #[test]
    fn the_estimate_covers_every_year_the_range_allows() {
        for (min, extra, month) in
            (0u8..60).flat_map(|a| (0u8..40).flat_map(move |b| (1u8..=12).map(move |m| (a, b, m))))
        {
            let on = CalendarDate { year: 2024, month, day: 15 };
            let max = min + extra;
            let text = estimated_birth_year(years(min, max), on).unwrap();
            let (centre, tolerance) = text[1..].split_once('±').unwrap();
            let (centre, tolerance): (u16, u16) = (centre.parse().unwrap(), tolerance.parse().unwrap());
            assert!((2..=20).contains(&tolerance), "{text}");
            // every birthday (the 1st and the 28th of each month) of an age within the range on `on`
            for born in (2024 - u16::from(max) - 1)..=(2024 - u16::from(min)) {
                for (m, d) in (1u8..=12).flat_map(|m| [(m, 1u8), (m, 28)]) {
                    let birth = CalendarDate { year: born, month: m, day: d };
                    if birth > on || !(u16::from(min)..=u16::from(max)).contains(&birth.age_on(on)) {
                        continue;
                    }
                    assert!(born.abs_diff(centre) <= tolerance, "{min}-{max} on {on}: {text} misses {born}");
                }
            }
        }
    }

    #[test]
    fn a_registration_without_a_date_of_birth_is_compared_on_the_year_its_age_gives() {
        let mut p = PersonDetails { given_names: "Olena".into(), family_names: "Koval".into(), ..Default::default() };
        let registered = Some(day("2025-10-01"));
        assert_eq!(birth_year_of(&p, registered), None);
        // the estimate made at registration
        p.age_estimate = Some(years(17, 17));
        assert_eq!(birth_year_of(&p, registered).as_deref(), Some("~2008±2"));
        assert_eq!(birth_year_of(&p, None), None, "without the day it was made, an estimate says nothing");
        // the latest assessment wins over the estimate, on its own day
        let assessment = |on: &str, min: u8, max: u8| haven_domain::ident::age::AgeAssessment {
            date: day(on),
            method: haven_domain::ident::age::AgeAssessmentMethod::Medical,
            result: years(min, max),
            assessed_by: "clinic".into(),
        };
        p.age_assessments = vec![assessment("2026-03-01", 19, 21), assessment("2025-11-01", 15, 16)];
        assert_eq!(birth_year_of(&p, registered).as_deref(), Some("~2005±2"));
        // a registered date of birth wins over both
        p.date_of_birth = Some(day("2008-04-02"));
        assert_eq!(birth_year_of(&p, registered).as_deref(), Some("2008-04-02"));
    }

    #[test]
    fn training_sees_the_aliases_and_earlier_family_names_as_alternatives() {
        let f = PersonFacts::of_person(
            "Olena",
            "Kovalenko",
            &["Ozola".to_owned()],
            &["Lena".to_owned(), "Alona Petrenko".to_owned()],
            Some("~1990±2".to_owned()),
            Sex::Female,
            Some("UA".into()),
        );
        assert_eq!(f.training_value("given_names").as_deref(), Some("Olena|Lena|Alona"));
        assert_eq!(f.training_value("family_names").as_deref(), Some("Kovalenko|Ozola|Petrenko"));
        assert_eq!(f.training_value("date_of_birth").as_deref(), Some("~1990±2"));
        assert_eq!(f.training_value("sex").as_deref(), Some("female"));
        assert_eq!(f.training_value("citizenship").as_deref(), Some("UA"));
        assert_eq!(f.training_value("town"), None);
    }

    #[test]
    fn the_built_in_model_is_valid_and_feeds_every_field() {
        let m = model();
        assert_eq!(m.feeds.len(), 5);
        assert_eq!(m.cluster_threshold(), 0.9);
        assert!(m.label().contains("persons v1"));
    }

    #[test]
    fn a_malformed_or_foreign_model_is_refused_naming_the_file() {
        for text in [
            "not toml at all [",
            // bare settings without parameters
            "[settings]\nblocking = [\"family_names\"]\n[[settings.field]]\nname = \"family_names\"\ncomparison = { kind = \"name\" }\n",
            &BUILT_IN.replace("name = \"citizenship\"", "name = \"passport\""),
            &BUILT_IN.replace("\"phonetic(family_names)\",", "\"phonetic(nope)\","),
            &BUILT_IN.replace("link_type = \"dedupe\"", "link_type = \"link\""),
        ] {
            let e = PersonModel::from_operator_file(text).unwrap_err();
            assert!(e.to_string().contains(PERSON_MODEL_FILE), "{e}");
        }
        let ok = PersonModel::from_operator_file(&BUILT_IN.replace("threshold = 0.9", "threshold = 0.95")).unwrap();
        assert_eq!(ok.cluster_threshold(), 0.95);
        assert!(ok.label().contains(PERSON_MODEL_FILE));
    }

    #[test]
    fn cyrillic_and_swapped_names_score_high_and_explain_the_fields() {
        let m = model();
        let mut index = PersonIndex::new(&m).unwrap();
        index.insert(0, &person("Олена", "Коваленко", Some("1990-05-01")));
        index.insert(1, &person("Iryna", "Kovalenko", Some("1985-11-21")));
        let found = index.query(&person("Kovalenko", "Olena", Some("1990-05-01")), 0.01).unwrap();
        let best = &found[&0];
        assert!(best.probability > 0.99, "{best:?}");
        let level = |f: &str| best.explanation.iter().find(|e| e.field == f).map(|e| e.level.as_str());
        assert_eq!(level("given_names"), Some("exact"));
        assert_eq!(level("family_names"), Some("exact"));
        assert_eq!(level("date_of_birth"), Some("exact"));
        assert!(found.get(&1).is_none_or(|m| m.probability < 0.01), "{found:?}");
    }

    #[test]
    fn a_searched_name_is_tried_in_every_order_and_split() {
        let m = model();
        let mut index = PersonIndex::new(&m).unwrap();
        index.insert(0, &person("Maria Elena", "Garcia Lopez", None));
        for q in ["Maria Elena Garcia Lopez", "Garcia Lopez Maria Elena", "maria elena garcia lopez"] {
            let found = index.query(&PersonFacts::of_search(q, None).unwrap(), m.search_threshold()).unwrap();
            assert!(found.get(&0).is_some_and(|x| x.probability > 0.8), "{q}: {found:?}");
        }
        assert!(PersonFacts::of_search("   ", None).is_none());
    }

    #[test]
    fn earlier_family_names_and_aliases_are_found() {
        let m = model();
        let mut index = PersonIndex::new(&m).unwrap();
        let facts = PersonFacts::of_person(
            "Olena",
            "Kovalenko",
            &["Shevchenko".into()],
            &["Lena".into(), "Helen Smith".into()],
            None,
            Sex::Female,
            None,
        );
        index.insert(0, &facts);
        for q in ["Olena Shevchenko", "Lena Kovalenko", "Helen Smith"] {
            let found = index.query(&PersonFacts::of_search(q, None).unwrap(), m.search_threshold()).unwrap();
            assert!(found.contains_key(&0), "{q}: {found:?}");
        }
    }

    #[test]
    fn clusters_count_persons_not_records() {
        let m = model();
        let records = vec![
            record(person("Олена", "Коваленко", Some("1990-05-01"))),
            record(person("Kovalenko", "Olena", Some("1990-05-01"))),
            record(person("Iryna", "Kovalenko", Some("1985-11-21"))),
            // the same document: one person whatever the names say
            ClusterRecord { facts: person("Ion", "Rusu", Some("2001-01-01")), documents: vec!["AB123".into()] },
            ClusterRecord { facts: person("Ivan", "Russo", None), documents: vec!["AB123".into()] },
        ];
        let c = cluster_persons(&m, &records).unwrap();
        assert_eq!((c.persons, c.records, c.merged), (3, 5, 2), "{c:?}");
        assert!(c.method.contains("persons v1") && c.method.contains("0.9"), "{}", c.method);
        assert_eq!(cluster_persons(&m, &[]).unwrap().persons, 0);
    }

    /// The figures the model file and docs/linkage.md quote.
    #[test]
    fn documented_scores_of_the_built_in_model() {
        let m = model();
        let score = |a: PersonFacts, b: PersonFacts| {
            let mut index = PersonIndex::new(&m).unwrap();
            index.insert(0, &a);
            index.query(&b, 0.0).unwrap().get(&0).map_or(0.0, |x| x.probability)
        };
        let bare = |g: &str, f: &str| PersonFacts::of_person(g, f, &[], &[], None, Sex::Unknown, None);
        // the same names alone: just below the cluster threshold
        let p = score(bare("Olena", "Kovalenko"), bare("Olena", "Kovalenko"));
        assert!((p - 0.895).abs() < 0.001, "{p}");
        // twins: different given names, everything else the same
        let p =
            score(person("Olena", "Kovalenko", Some("1994-03-12")), person("Iryna", "Kovalenko", Some("1994-03-12")));
        assert!((p - 0.98).abs() < 0.005, "{p}");
        // a sister born another year
        let p =
            score(person("Olena", "Kovalenko", Some("1994-03-12")), person("Iryna", "Kovalenko", Some("1989-07-30")));
        assert!(p < 0.001, "{p}");
    }

    #[test]
    fn overlong_values_are_clipped_not_refused() {
        let m = model();
        let mut index = PersonIndex::new(&m).unwrap();
        let long = format!("Olena {}", "x".repeat(400));
        index.insert(0, &person(&long, "Kovalenko", None));
        assert_eq!(index.owners.len(), 1);
        assert!(index.query(&person(&long, "Kovalenko", None), 0.5).unwrap().contains_key(&0));
    }

    /// Varied persons: scripts, diacritics, name order, earlier family names, aliases, dates.
    fn varied() -> Vec<PersonFacts> {
        let mut out = Vec::new();
        let given = ["Olena", "Олена", "Žanna", "Zanna", "Anna Marija", "Ivan", "Иван", "Līga", "Mihail", "Jan"];
        let family = ["Kovalenko", "Коваленко", "Ķirse", "Kirse", "Ozola", "Petrov", "Петров", "Kalniņa", "Nowak", ""];
        let dobs = [Some("1990-05-01"), Some("1990-01-05"), None, Some("2008-11-30"), Some("1985-07-12")];
        for (i, g) in given.iter().enumerate() {
            for (j, f) in family.iter().enumerate() {
                let dob = dobs[(i + 2 * j) % dobs.len()].map(str::to_owned);
                let previous: Vec<String> = if (i + j) % 4 == 0 { vec!["Ozola".into()] } else { vec![] };
                let aliases: Vec<String> = if (i + j) % 5 == 0 { vec!["Lena".into()] } else { vec![] };
                out.push(PersonFacts::of_person(g, f, &previous, &aliases, dob, Sex::Female, Some("UA".into())));
            }
        }
        out.push(PersonFacts::of_search("Kovalenko Olena", None).unwrap());
        out.push(PersonFacts::of_search("Zanna", CalendarDate::parse("d", "1990-05-01").ok()).unwrap());
        out
    }

    #[test]
    fn the_stored_blocking_keys_reach_every_record_the_engine_compares() {
        // The keyed candidate index must find every record the in-memory index would score:
        // a pair scored at any probability shares a stored key with the query's keys.
        let m = model();
        let people = varied();
        let mut index = PersonIndex::new(&m).unwrap();
        for (i, p) in people.iter().enumerate() {
            index.insert(i, p);
        }
        let stored: Vec<BTreeSet<String>> = people.iter().map(|p| block_keys(&m, p, false).unwrap()).collect();
        let mut compared = 0;
        for q in &people {
            let query_keys = block_keys(&m, q, true).unwrap();
            let found = index.query(q, 0.0).unwrap();
            for j in found.keys() {
                compared += 1;
                assert!(
                    !stored[*j].is_disjoint(&query_keys),
                    "record {j} was compared but shares no stored key with the query"
                );
            }
            // and the keys select no more than the engine compares
            for (j, keys) in stored.iter().enumerate() {
                if !keys.is_disjoint(&query_keys) {
                    assert!(found.contains_key(&j), "record {j} shares a key but was not compared");
                }
            }
        }
        assert!(compared > people.len(), "the set compares pairs at all: {compared}");
    }

    #[test]
    fn person_ids_stay_with_their_clusters() {
        use PersonSlot::{Kept, New};
        let k = |s: &str| Kept(s.to_owned());
        // the same partition keeps every id; a record new to a person takes its id
        let (ids, merges) = keep_person_ids(&[0, 0, 1, 2], &[Some("P1"), None, Some("P2"), None], IdRule::OldestFirst);
        assert_eq!(ids, [k("P1"), k("P1"), k("P2"), New(0)]);
        assert!(merges.is_empty());
        // a registration linking two persons: the older id survives, the other is merged into it
        let (ids, merges) =
            keep_person_ids(&[0, 0, 0, 0], &[Some("P2"), Some("P2"), Some("P1"), None], IdRule::OldestFirst);
        assert_eq!(ids, vec![k("P1"); 4]);
        assert_eq!(merges, [("P2".to_owned(), k("P1"))]);
        // a re-link: the largest overlap keeps the id
        let (ids, merges) =
            keep_person_ids(&[0, 0, 0, 0], &[Some("P2"), Some("P2"), Some("P1"), None], IdRule::LargestOverlap);
        assert_eq!(ids, vec![k("P2"); 4]);
        assert_eq!(merges, [("P1".to_owned(), k("P2"))]);
        // a split: the larger part keeps the id, the other part is a new person
        let (ids, merges) = keep_person_ids(&[0, 1, 1], &[Some("P5"), Some("P5"), Some("P5")], IdRule::OldestFirst);
        assert_eq!(ids, [New(0), k("P5"), k("P5")]);
        assert!(merges.is_empty());
    }

    #[test]
    fn the_basis_of_the_stored_keys_changes_with_the_model() {
        let a = block_key_basis(&model()).unwrap();
        assert_eq!(a, block_key_basis(&model()).unwrap(), "stable in one process");
        let other = PersonModel::from_operator_file(
            &BUILT_IN.replace("\"phonetic(given_names) & year(date_of_birth)\",\n", ""),
        )
        .unwrap();
        assert_ne!(a, block_key_basis(&other).unwrap());
    }
}
