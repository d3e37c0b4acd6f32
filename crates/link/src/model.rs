//! Model settings (fields, comparisons, blocking) and the trained Fellegi-Sunter parameters,
//! saved and loaded as TOML (the term-frequency tables in a JSON file beside it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::compare::Comparison;
use crate::error::{LinkError, Result};
use crate::io::InputSettings;
use crate::normalize::CyrillicScheme;

/// What is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    /// Find the same person inside one dataset.
    #[default]
    Dedupe,
    /// Find the same person across two or more datasets (never inside one).
    Link,
    /// Both.
    LinkAndDedupe,
}

/// One compared field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSettings {
    /// The field's name (also the default input column).
    pub name: String,
    /// How it is compared.
    pub comparison: Comparison,
    /// Scale an exact agreement by how common the value is (rare surnames weigh more).
    #[serde(default)]
    pub term_frequency: bool,
    /// Input columns that feed the field; several columns give alternatives (a maiden and a
    /// married surname). Defaults to the field's name.
    #[serde(default)]
    pub columns: Vec<String>,
    /// For a date of birth: an age and the date it was recorded, read when the date of birth is
    /// empty and turned into an estimated year of birth with a tolerance (`~1985±2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeColumns>,
}

/// Where an age estimate is read from (see [`FieldSettings::age`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeColumns {
    /// The column of the age in whole years.
    pub column: String,
    /// The column of the date the age was recorded on (any date format of a date of birth).
    pub recorded: String,
    /// Years either side of the estimated year of birth (1 to 20; 2 when not given). At least 1,
    /// since an age in years leaves the year of birth open by one.
    #[serde(default = "default_age_tolerance")]
    pub tolerance: u8,
}

fn default_age_tolerance() -> u8 {
    2
}

/// How pairs are clustered into persons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSettings {
    /// Pairs at or above this match probability join clusters.
    #[serde(default = "default_cluster_probability")]
    pub threshold: f64,
    /// When two clusters would merge, at least this share of the record pairs between them must
    /// themselves be linked: this stops long chains that join different people.
    #[serde(default = "default_density")]
    pub min_link_density: f64,
    /// A scored pair below this probability between two clusters forbids their merge.
    #[serde(default = "default_conflict")]
    pub conflict_below: f64,
    /// No cluster grows beyond this many records.
    #[serde(default = "default_max_size")]
    pub max_size: usize,
}

fn default_cluster_probability() -> f64 {
    0.9
}
fn default_density() -> f64 {
    0.4
}
fn default_conflict() -> f64 {
    0.0001
}
fn default_max_size() -> usize {
    50
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            threshold: default_cluster_probability(),
            min_link_density: default_density(),
            conflict_below: default_conflict(),
            max_size: default_max_size(),
        }
    }
}

/// Everything that defines a linkage before training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSettings {
    #[serde(default)]
    pub link_type: LinkType,
    /// Column holding each record's identifier.
    #[serde(default = "default_id_column")]
    pub id_column: String,
    /// Romanisation of Cyrillic names.
    #[serde(default)]
    pub cyrillic: CyrillicScheme,
    /// The compared fields.
    #[serde(rename = "field")]
    pub fields: Vec<FieldSettings>,
    /// Blocking rules, OR-ed: a pair is compared when any rule puts both records in one block.
    /// A rule is keys joined by `&`: `surname`, `phonetic(surname) & year(dob)`, `first3(given_name)`.
    pub blocking: Vec<String>,
    /// Two name fields whose values may be swapped (given name written as surname).
    #[serde(default)]
    pub swappable_names: Option<[String; 2]>,
    /// Random pairs drawn to estimate u of the levels below exact (u of the exact level comes
    /// from the value frequencies, without sampling).
    #[serde(default = "default_u_pairs")]
    pub u_sample_pairs: u64,
    /// Seed of the random sampling (runs are reproducible).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Maximum number of EM iterations.
    #[serde(default = "default_em_iterations")]
    pub em_max_iterations: u32,
    /// Scored pairs below this probability are not written out.
    #[serde(default = "default_min_probability")]
    pub min_probability: f64,
    /// Refuse to run when blocking yields more candidate pairs than this.
    #[serde(default = "default_max_pairs")]
    pub max_candidate_pairs: u64,
    /// Earliest year of birth taken as possible: older dates are unreadable values. Lower it for
    /// historical registers.
    #[serde(default = "default_min_birth_year")]
    pub min_birth_year: u16,
    #[serde(default)]
    pub cluster: ClusterSettings,
    /// Blocking rules for training only (same syntax as `blocking`): m is estimated on the pairs
    /// these rules produce, one EM run per rule. Empty: the prediction rules `blocking` are used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub training_blocking: Vec<String>,
    /// Priors and constraints of training, and the checks of its result.
    #[serde(default, skip_serializing_if = "crate::train::TrainingSettings::is_default")]
    pub training: crate::train::TrainingSettings,
    /// How input files are read (CSV delimiter, character encoding); command-line flags override it.
    #[serde(default, skip_serializing_if = "InputSettings::is_default")]
    pub input: InputSettings,
}

fn default_id_column() -> String {
    "id".to_string()
}
fn default_u_pairs() -> u64 {
    100_000
}
fn default_seed() -> u64 {
    42
}
fn default_em_iterations() -> u32 {
    100
}
fn default_min_probability() -> f64 {
    0.01
}
fn default_max_pairs() -> u64 {
    500_000_000
}
fn default_min_birth_year() -> u16 {
    crate::compare::DEFAULT_MIN_BIRTH_YEAR
}

/// At most this many fields (the comparison pattern is packed into 64 bits).
pub const MAX_FIELDS: usize = 16;

impl ModelSettings {
    /// Checks the settings and parses the blocking rules.
    pub fn validate(&self) -> Result<Vec<crate::blocking::BlockingRule>> {
        if self.fields.is_empty() {
            return Err(LinkError::InvalidSettings("at least one [[field]] is needed".into()));
        }
        if self.fields.len() > MAX_FIELDS {
            return Err(LinkError::InvalidSettings(format!("at most {MAX_FIELDS} fields")));
        }
        for (i, f) in self.fields.iter().enumerate() {
            if f.name.trim().is_empty() {
                return Err(LinkError::InvalidSettings("a field has an empty name".into()));
            }
            if self.fields[..i].iter().any(|g| g.name == f.name) {
                return Err(LinkError::InvalidSettings(format!("field {:?} is listed twice", f.name)));
            }
            f.comparison.validate().map_err(|e| LinkError::InvalidSettings(format!("field {:?}: {e}", f.name)))?;
            if f.comparison.level_count() > 14 {
                return Err(LinkError::InvalidSettings(format!("field {:?}: too many levels", f.name)));
            }
        }
        for f in &self.fields {
            if let Some(a) = &f.age {
                if f.comparison != Comparison::Date {
                    return Err(LinkError::InvalidSettings(format!(
                        "field {:?}: an age estimate (age) is only for a date comparison",
                        f.name
                    )));
                }
                if a.column.trim().is_empty() || a.recorded.trim().is_empty() {
                    return Err(LinkError::InvalidSettings(format!(
                        "field {:?}: age.column and age.recorded name input columns",
                        f.name
                    )));
                }
                if !(1..=20).contains(&a.tolerance) {
                    return Err(LinkError::InvalidSettings(format!(
                        "field {:?}: age.tolerance must lie between 1 and 20 years",
                        f.name
                    )));
                }
            }
        }
        if self.blocking.is_empty() {
            return Err(LinkError::InvalidSettings("at least one blocking rule is needed".into()));
        }
        if self.blocking.len() > 16 {
            return Err(LinkError::InvalidSettings("at most 16 blocking rules".into()));
        }
        if self.training_blocking.len() > 16 {
            return Err(LinkError::InvalidSettings("at most 16 training_blocking rules".into()));
        }
        crate::blocking::BlockingRule::parse_all(&self.training_blocking, self)?;
        self.training.validate(&self.fields)?;
        if let Some([a, b]) = &self.swappable_names {
            for n in [a, b] {
                if self.field_index(n).is_none() {
                    return Err(LinkError::InvalidSettings(format!("swappable name {n:?} is not a field")));
                }
            }
        }
        if !(1..=crate::compare::MAX_BIRTH_YEAR).contains(&self.min_birth_year) {
            return Err(LinkError::InvalidSettings(format!(
                "min_birth_year must lie between 1 and {}",
                crate::compare::MAX_BIRTH_YEAR
            )));
        }
        self.input.resolve()?;
        let c = &self.cluster;
        for (name, p) in [
            ("min_probability", self.min_probability),
            ("cluster.threshold", c.threshold),
            ("cluster.min_link_density", c.min_link_density),
            ("cluster.conflict_below", c.conflict_below),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(LinkError::InvalidSettings(format!("{name} must lie between 0 and 1")));
            }
        }
        crate::blocking::BlockingRule::parse_all(&self.blocking, self)
    }

    /// Index of a field by name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The input columns read beyond the fields' own, one slot each after the fields: the age and
    /// the date it was recorded of each field with an age estimate, in field order.
    pub fn age_columns(&self) -> Vec<Vec<String>> {
        self.fields
            .iter()
            .filter_map(|f| f.age.as_ref())
            .flat_map(|a| [vec![a.column.clone()], vec![a.recorded.clone()]])
            .collect()
    }

    /// Slots of a raw record: the fields, then [`ModelSettings::age_columns`].
    pub fn raw_slots(&self) -> usize {
        self.fields.len() + self.age_columns().len()
    }

    /// The slots of field `i`'s age and recorded date in a raw record, if it has an age estimate.
    pub fn age_slots(&self, i: usize) -> Option<(usize, usize)> {
        self.fields.get(i)?.age.as_ref()?;
        let before = self.fields[..i].iter().filter(|f| f.age.is_some()).count();
        let at = self.fields.len() + 2 * before;
        Some((at, at + 1))
    }

    /// The input columns of field `i`.
    pub fn columns_of(&self, i: usize) -> Vec<String> {
        match self.fields.get(i) {
            Some(f) if !f.columns.is_empty() => f.columns.clone(),
            Some(f) => vec![f.name.clone()],
            None => Vec::new(),
        }
    }
}

/// The trained parameters of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldParameters {
    pub name: String,
    /// P(level | match), per level.
    pub m: Vec<f64>,
    /// P(level | non-match), per level.
    pub u: Vec<f64>,
    /// Relative frequencies of the most common values, for term-frequency adjustment (in a saved
    /// model, kept in the term-frequency file beside it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub term_frequencies: BTreeMap<String, f64>,
    /// Frequency used for a value not in the table.
    #[serde(default)]
    pub rare_value_frequency: f64,
}

/// The trained model: prior and per-field m and u.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// Probability that two records drawn at random are the same person.
    pub lambda: f64,
    pub fields: Vec<FieldParameters>,
    /// How the parameters were estimated.
    pub trained_with: String,
    /// What the checks after training found, and what was done about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::diagnose::ModelWarning>,
}

/// Deserializes TOML text, the error naming the path of the key in question (`field[2].comparison`)
/// and its line.
fn deserialize_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| LinkError::InvalidSettings(toml_error(text, "", e.message(), e.span())))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        LinkError::InvalidSettings(toml_error(text, &path, inner.message(), inner.span()))
    })
}

/// An error for a key beside `kind` in a comparison that takes none (`date`, `exact`), which
/// deserializing lets through.
fn keyless_comparisons(settings: &toml::Table, prefix: &str) -> Result<()> {
    let Some(fields) = settings.get("field").and_then(toml::Value::as_array) else { return Ok(()) };
    for (i, field) in fields.iter().enumerate() {
        let Some(c) = field.get("comparison").and_then(toml::Value::as_table) else { continue };
        let Some(kind) = c.get("kind").and_then(toml::Value::as_str).filter(|k| matches!(*k, "date" | "exact")) else {
            continue;
        };
        if let Some(key) = c.keys().find(|k| *k != "kind") {
            return Err(LinkError::InvalidSettings(format!(
                "{prefix}field[{i}].comparison: unknown key `{key}`: a `{kind}` comparison takes no other key than `kind`"
            )));
        }
    }
    Ok(())
}

/// One line saying where (key path, line and column) and what: serde's words made plain
/// ("unknown field" is an unknown key; a comparison's unknown variant is an unknown kind).
fn toml_error(text: &str, path: &str, message: &str, span: Option<std::ops::Range<usize>>) -> String {
    let mut path = if path == "." { String::new() } else { path.to_string() };
    let mut message = message.trim().replace('\n', "; ");
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (key, expected) = rest.split_once(", expected").map_or((rest, None), |(k, e)| (k, Some(e)));
        // the path ends at the unknown key itself: the message names the table it is in
        let bare = key.trim_matches('`');
        if let Some(parent) = path.strip_suffix(bare) {
            path = parent.trim_end_matches('.').to_string();
        }
        let within = if path.is_empty() { "the settings" } else { "this table" };
        message = match expected {
            Some(expected) => format!("unknown key {key} in {within}, expected{expected}"),
            None => format!("unknown key {key} in {within}"),
        };
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let what =
            if path.ends_with("comparison") || path.ends_with("comparison.kind") { "comparison kind" } else { "value" };
        message = format!("unknown {what} {rest}");
    }
    let at = span.and_then(|s| text.get(..s.start)).map(|before| {
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(" (line {line}, column {column})")
    });
    let at = at.unwrap_or_default();
    if path.is_empty() { format!("{message}{at}") } else { format!("{path}: {message}{at}") }
}

/// What the term-frequency file of a model says it is.
const TERM_FREQUENCY_FORMAT: &str = "haven-link term frequencies 1";

/// A model file as stored: the model, and the name of the file holding its term-frequency
/// tables when they are not inline.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    /// The JSON file with the term-frequency tables, relative to the model file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    term_frequency_file: Option<String>,
    settings: ModelSettings,
    #[serde(default)]
    parameters: Option<Parameters>,
}

/// The term-frequency file: per field, value → relative frequency.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFrequencyFile {
    format: String,
    fields: BTreeMap<String, BTreeMap<String, f64>>,
}

/// The name of the term-frequency file beside a model file: `model.toml` gives `model.tf.json`.
pub fn term_frequency_file_name(model_file: &Path) -> String {
    let stem = model_file.file_stem().map_or_else(|| "model".into(), |s| s.to_string_lossy());
    format!("{stem}.tf.json")
}

/// Puts the tables of a term-frequency file (JSON text, named `name`) into the model's parameters.
fn merge_term_frequencies(model: &mut LinkageModel, name: &str, json: &str) -> Result<()> {
    let bad = |m: String| LinkError::InvalidSettings(format!("{name}: {m}"));
    let file: TermFrequencyFile = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    if file.format != TERM_FREQUENCY_FORMAT {
        return Err(bad(format!("format {:?} is not {TERM_FREQUENCY_FORMAT:?}", file.format)));
    }
    let Some(p) = model.parameters.as_mut() else {
        return Err(bad("the model has no [parameters] to hold the term frequencies".into()));
    };
    for (field, table) in file.fields {
        let Some(fp) = p.fields.iter_mut().find(|f| f.name == field) else {
            return Err(bad(format!("field {field:?} is not in the model")));
        };
        if !fp.term_frequencies.is_empty() {
            return Err(bad(format!("field {field:?} has term frequencies in the model file as well")));
        }
        if let Some((value, f)) = table.iter().find(|(_, f)| !(**f > 0.0 && **f <= 1.0)) {
            return Err(bad(format!("field {field:?}: the frequency of {value:?} is {f}, not in (0, 1]")));
        }
        fp.term_frequencies = table;
    }
    Ok(())
}

/// Settings plus, after training, the parameters: the file saved with `haven link train`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkageModel {
    pub settings: ModelSettings,
    #[serde(default)]
    pub parameters: Option<Parameters>,
}

impl LinkageModel {
    /// An untrained model.
    pub fn new(settings: ModelSettings) -> Result<LinkageModel> {
        settings.validate()?;
        Ok(LinkageModel { settings, parameters: None })
    }

    /// Reads a model (or bare settings) from TOML text. A file with a `[settings]` table is a
    /// model; any other is bare settings. Errors name the key where the problem is and its line.
    /// A model whose term frequencies are in a file of their own (`term_frequency_file`) is read
    /// with [`LinkageModel::load`] or [`LinkageModel::from_toml_with_term_frequencies`].
    pub fn from_toml(text: &str) -> Result<LinkageModel> {
        Self::parse(text, |name| {
            Err(LinkError::InvalidSettings(format!(
                "the term frequencies of this model are in {name:?}: load the model from its file"
            )))
        })
    }

    /// Reads a model from the TOML text of a model file and the JSON text of the term-frequency
    /// file it names (`None` when it names none).
    pub fn from_toml_with_term_frequencies(text: &str, term_frequencies: Option<&str>) -> Result<LinkageModel> {
        Self::parse(text, |name| {
            term_frequencies.map(str::to_string).ok_or_else(|| {
                LinkError::InvalidSettings(format!("the term frequencies of this model are in {name:?}, not given"))
            })
        })
    }

    /// Reads a model file (or bare settings) from disk, with the term-frequency file it names,
    /// found relative to the model file's folder. A single-file model (the tables inline, as
    /// saved before they had a file of their own) loads as well.
    pub fn load(path: &Path) -> Result<LinkageModel> {
        let io = |p: &Path| {
            let path = p.display().to_string();
            move |source| LinkError::Io { path, source }
        };
        let text = std::fs::read_to_string(path).map_err(io(path))?;
        Self::parse(&text, |name| {
            let tf = path.parent().unwrap_or(Path::new("")).join(name);
            std::fs::read_to_string(&tf).map_err(io(&tf))
        })
    }

    /// The text of a model file as one TOML text: when it names a term-frequency file, the model
    /// read with it and written with the tables inline ([`LinkageModel::to_toml`]); otherwise the
    /// file's text as it is (so that whoever reads it reports any error in it). For readers that
    /// take one text, like the platform's person model.
    pub fn read_as_one_toml(path: &Path) -> Result<String> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| LinkError::Io { path: path.display().to_string(), source })?;
        let names_a_file = toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.contains_key("term_frequency_file"));
        if names_a_file { Self::load(path)?.to_toml() } else { Ok(text) }
    }

    /// Saves the model as `path` (TOML) and, when a field has a term-frequency table, the tables
    /// in a JSON file beside it ([`term_frequency_file_name`]: `model.toml` gives
    /// `model.tf.json`), named in the TOML by its relative name. Returns the path of the
    /// term-frequency file when one was written.
    pub fn save(&self, path: &Path) -> Result<Option<PathBuf>> {
        let name = term_frequency_file_name(path);
        let (toml, json) = self.to_toml_split(&name)?;
        let write = |p: &Path, text: &str| {
            std::fs::write(p, text).map_err(|source| LinkError::Io { path: p.display().to_string(), source })
        };
        let tf = match json {
            Some(json) => {
                let tf = path.parent().unwrap_or(Path::new("")).join(&name);
                write(&tf, &json)?;
                Some(tf)
            }
            None => None,
        };
        write(path, &toml)?;
        Ok(tf)
    }

    /// The model as the TOML text of a model file without its term-frequency tables, naming
    /// `tf_file` instead, and the JSON text of that file; `None` (and no name in the TOML) when
    /// no field has a table.
    pub fn to_toml_split(&self, tf_file: &str) -> Result<(String, Option<String>)> {
        let mut parameters = self.parameters.clone();
        let mut tables = BTreeMap::new();
        for fp in parameters.iter_mut().flat_map(|p| p.fields.iter_mut()) {
            if !fp.term_frequencies.is_empty() {
                tables.insert(fp.name.clone(), std::mem::take(&mut fp.term_frequencies));
            }
        }
        let json = if tables.is_empty() {
            None
        } else {
            let file = TermFrequencyFile { format: TERM_FREQUENCY_FORMAT.into(), fields: tables };
            Some(serde_json::to_string_pretty(&file).map_err(|e| LinkError::InvalidSettings(e.to_string()))? + "\n")
        };
        let file = ModelFile {
            term_frequency_file: json.as_ref().map(|_| tf_file.to_string()),
            settings: self.settings.clone(),
            parameters,
        };
        let toml = toml::to_string(&file).map_err(|e| LinkError::InvalidSettings(e.to_string()))?;
        Ok((toml, json))
    }

    /// Reads TOML text; `term_frequencies(name)` gives the text of the term-frequency file the
    /// model names.
    fn parse(text: &str, term_frequencies: impl FnOnce(&str) -> Result<String>) -> Result<LinkageModel> {
        let table = match toml::from_str::<toml::Table>(text) {
            Ok(table) => table,
            Err(e) => return Err(LinkError::InvalidSettings(toml_error(text, "", e.message(), e.span()))),
        };
        let model = match table.get("settings").and_then(toml::Value::as_table) {
            Some(settings) => {
                let file = deserialize_toml::<ModelFile>(text)?;
                keyless_comparisons(settings, "settings.")?;
                let mut model = LinkageModel { settings: file.settings, parameters: file.parameters };
                if let Some(name) = &file.term_frequency_file {
                    let json = term_frequencies(name)?;
                    merge_term_frequencies(&mut model, name, &json)?;
                }
                model
            }
            None => {
                let settings = deserialize_toml::<ModelSettings>(text)?;
                keyless_comparisons(&table, "")?;
                LinkageModel { settings, parameters: None }
            }
        };
        model.settings.validate()?;
        if let Some(p) = &model.parameters {
            if p.fields.len() != model.settings.fields.len() {
                return Err(LinkError::InvalidSettings("parameters do not match the fields".into()));
            }
            if !(p.lambda > 0.0 && p.lambda < 1.0) {
                return Err(LinkError::InvalidSettings("lambda must lie strictly between 0 and 1".into()));
            }
            for (f, fp) in model.settings.fields.iter().zip(&p.fields) {
                let n = f.comparison.level_count();
                let ok = |v: &[f64]| v.len() == n && v.iter().all(|x| *x > 0.0 && *x <= 1.0);
                if fp.name != f.name || !ok(&fp.m) || !ok(&fp.u) {
                    return Err(LinkError::InvalidSettings(format!(
                        "parameters of field {:?} do not fit its {n} levels",
                        f.name
                    )));
                }
            }
        }
        Ok(model)
    }

    /// The model as TOML text.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| LinkError::InvalidSettings(e.to_string()))
    }
}
