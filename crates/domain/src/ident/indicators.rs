//! Indicator lists for identifying presumed victims, kept as data, and their evaluation.
//!
//! The embedded default is the ILO/European Commission *Operational indicators of trafficking in human
//! beings* (2009) for adult victims of labour exploitation (`reference/ilo-*.csv`). The lists for adult
//! sexual exploitation and for children are added by an operator as data files, without code changes:
//!
//! ```text
//! <dir>/<list-id>/list.toml       id, name, population, exploitation, required_stages [, source]
//! <dir>/<list-id>/dimensions.csv  id,dimension,stage            (further columns are ignored)
//! <dir>/<list-id>/indicators.csv  id,dimension,indicator,grade[,note]   grade: S, M, W or strong, medium, weak
//! ```
//!
//! The caller reads the files and passes their text to [`IndicatorList::from_list_dir`]; the domain does no IO.
//!
//! An evaluation is decision support for the person who identifies: it does not decide anything.

use super::forms::CsvTable;
use crate::{Coded, ParseError, coded_enum, text::parse_line};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The six ILO/EC dimensions (`reference/ilo-dimensions.csv`).
pub const ILO_DIMENSIONS_CSV: &str = include_str!("../../../../reference/ilo-dimensions.csv");
/// The 67 adult labour-exploitation indicators (`reference/ilo-indicators-adult-labour.csv`).
pub const ILO_INDICATORS_ADULT_LABOUR_CSV: &str = include_str!("../../../../reference/ilo-indicators-adult-labour.csv");
/// The id of the embedded default list.
pub const ILO_ADULT_LABOUR_ID: &str = "ilo_ec_adult_labour";

/// File names of a list directory `<dir>/<list-id>/`.
pub const LIST_MANIFEST_FILE: &str = "list.toml";
pub const DIMENSIONS_FILE: &str = "dimensions.csv";
pub const INDICATORS_FILE: &str = "indicators.csv";

coded_enum! {
    /// Whom a list is for.
    pub enum Population {
        /// Persons aged 18 or over.
        Adult => "adult",
        /// Children (under 18, or presumed so).
        Child => "child",
    }
}

coded_enum! {
    /// The kind of exploitation a list is written for.
    pub enum ListExploitation {
        /// Labour exploitation.
        Labour => "labour",
        /// Sexual exploitation.
        Sexual => "sexual",
        /// Any other form.
        Other => "other",
    }
}

coded_enum! {
    /// The stage of the trafficking process a dimension belongs to.
    pub enum Stage {
        /// Recruitment (ILO/EC dimensions 1-3).
        Recruitment => "recruitment",
        /// Exploitation (ILO/EC dimension 4).
        Exploitation => "exploitation",
        /// Destination (ILO/EC dimensions 5-6).
        Destination => "destination",
    }
}

coded_enum! {
    /// The weight of an indicator.
    pub enum Grade {
        /// A strong indicator.
        Strong => "strong",
        /// A medium indicator.
        Medium => "medium",
        /// A weak indicator.
        Weak => "weak",
    }
}

impl Grade {
    /// Reads `S`, `M`, `W` (as in the ILO tables) or `strong`, `medium`, `weak`.
    pub fn parse_grade(field: &str, value: &str) -> Result<Self, ParseError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "s" | "strong" => Ok(Self::Strong),
            "m" | "medium" => Ok(Self::Medium),
            "w" | "weak" => Ok(Self::Weak),
            other => Err(ParseError::new(field, format!("unknown grade {other:?}; expected S, M or W"))),
        }
    }
}

coded_enum! {
    /// The branch of the ILO/EC combination rule that made a dimension positive.
    pub enum CombinationRule {
        /// At least two strong indicators.
        TwoStrong => "two_strong",
        /// One strong indicator and at least one medium or weak indicator.
        StrongAndOther => "strong_and_other",
        /// At least three medium indicators.
        ThreeMedium => "three_medium",
        /// Two medium indicators and at least one weak indicator.
        TwoMediumAndWeak => "two_medium_and_weak",
    }
}

impl CombinationRule {
    /// The branch in words.
    pub fn description(self) -> &'static str {
        match self {
            Self::TwoStrong => "at least 2 strong indicators",
            Self::StrongAndOther => "1 strong indicator and at least 1 medium or weak indicator",
            Self::ThreeMedium => "at least 3 medium indicators",
            Self::TwoMediumAndWeak => "2 medium indicators and at least 1 weak indicator",
        }
    }

    /// The branch met by these counts, if any.
    ///
    /// ILO/EC Operational indicators (2009), combination rule: a dimension is positive with 2 strong, or
    /// 1 strong + 1 medium/weak, or 3 medium, or 2 medium + 1 weak.
    pub fn for_counts(strong: usize, medium: usize, weak: usize) -> Option<Self> {
        if strong >= 2 {
            Some(Self::TwoStrong)
        } else if strong == 1 && medium + weak >= 1 {
            Some(Self::StrongAndOther)
        } else if medium >= 3 {
            Some(Self::ThreeMedium)
        } else if medium == 2 && weak >= 1 {
            Some(Self::TwoMediumAndWeak)
        } else {
            None
        }
    }
}

/// Checks an identifier used in list files: 1-64 ASCII letters, digits, `.`, `_` or `-`.
fn parse_id(field: &str, value: &str) -> Result<String, ParseError> {
    let value = value.trim();
    if value.is_empty() || value.len() > 64 {
        return Err(ParseError::new(field, "must be 1 to 64 characters"));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        return Err(ParseError::new(field, format!("{value:?} may contain only letters, digits, '.', '_' and '-'")));
    }
    Ok(value.to_owned())
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
                parse_id(field, value).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(stringify!($name), &value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

string_id!(
    /// The id of an indicator list (`ilo_ec_adult_labour`); also its directory name.
    ListId
);
string_id!(
    /// The id of a dimension within a list (`I1`).
    DimensionId
);
string_id!(
    /// The id of an indicator within a list (`I1.01`).
    IndicatorId
);

/// A group of indicators belonging to one stage of the trafficking process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dimension {
    pub id: DimensionId,
    pub name: String,
    pub stage: Stage,
}

/// One indicator of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub id: IndicatorId,
    pub dimension: DimensionId,
    pub text: String,
    pub grade: Grade,
    /// A remark from the list file (for instance a grade disputed between sources).
    pub note: Option<String>,
}

/// What describes a list apart from its dimensions and indicators (the content of `list.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListMeta {
    pub id: ListId,
    pub name: String,
    pub population: Population,
    pub exploitation: ListExploitation,
    /// Stages each of which needs at least one positive dimension for the list's overall result.
    pub required_stages: Vec<Stage>,
    /// Where the list comes from.
    #[serde(default)]
    pub source: Option<String>,
}

impl ListMeta {
    /// Reads a `list.toml` manifest.
    pub fn from_toml(text: &str) -> Result<Self, ParseError> {
        toml::from_str(text).map_err(|e| {
            let field = match e.span() {
                Some(span) => format!(
                    "{LIST_MANIFEST_FILE} line {}",
                    1 + text[..span.start.min(text.len())].matches('\n').count()
                ),
                None => LIST_MANIFEST_FILE.to_owned(),
            };
            ParseError::new(field, e.message().to_owned())
        })
    }
}

/// An indicator list: dimensions, graded indicators and the stages that must be positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorList {
    pub id: ListId,
    pub name: String,
    pub population: Population,
    pub exploitation: ListExploitation,
    pub source: Option<String>,
    pub dimensions: Vec<Dimension>,
    pub indicators: Vec<Indicator>,
    pub required_stages: Vec<Stage>,
}

static ILO_ADULT_LABOUR: LazyLock<Result<IndicatorList, ParseError>> = LazyLock::new(|| {
    let meta = ListMeta {
        id: ListId::parse("id", ILO_ADULT_LABOUR_ID)?,
        name: "ILO/EC operational indicators: adult victims of trafficking for labour exploitation".to_owned(),
        population: Population::Adult,
        exploitation: ListExploitation::Labour,
        // ILO/EC Operational indicators (2009): adult labour trafficking needs a positive recruitment
        // dimension, the exploitation dimension and a positive destination dimension.
        required_stages: vec![Stage::Recruitment, Stage::Exploitation, Stage::Destination],
        source: Some(
            "ILO/European Commission, Operational indicators of trafficking in human beings (2009)".to_owned(),
        ),
    };
    IndicatorList::from_csv(meta, ILO_DIMENSIONS_CSV, ILO_INDICATORS_ADULT_LABOUR_CSV)
});

impl IndicatorList {
    /// The embedded ILO/EC adult labour list.
    pub fn ilo_adult_labour() -> Result<&'static IndicatorList, ParseError> {
        ILO_ADULT_LABOUR.as_ref().map_err(Clone::clone)
    }

    /// Builds a list from its metadata and the text of its two CSV files. Errors name the file, line and column.
    pub fn from_csv(meta: ListMeta, dimensions_csv: &str, indicators_csv: &str) -> Result<Self, ParseError> {
        let ListMeta { id, name, population, exploitation, required_stages, source } = meta;
        let name = parse_line("name", &name, 300)?;
        let source = source.map(|s| parse_line("source", &s, 500)).transpose()?;

        let table = CsvTable::parse(DIMENSIONS_FILE, dimensions_csv, &["id", "dimension", "stage"])?;
        let mut dimensions: Vec<Dimension> = Vec::new();
        for row in table.rows() {
            let did = DimensionId::parse("id", row.get("id")?).map_err(|e| row.error("id", e.message))?;
            if dimensions.iter().any(|d| d.id == did) {
                return Err(row.error("id", format!("duplicate dimension {did}")));
            }
            let dname =
                parse_line("dimension", row.get("dimension")?, 300).map_err(|e| row.error("dimension", e.message))?;
            let stage =
                Stage::parse_code("stage", row.get("stage")?.trim()).map_err(|e| row.error("stage", e.message))?;
            dimensions.push(Dimension { id: did, name: dname, stage });
        }
        if dimensions.is_empty() {
            return Err(ParseError::new(DIMENSIONS_FILE, "lists no dimensions"));
        }

        let table = CsvTable::parse(INDICATORS_FILE, indicators_csv, &["id", "dimension", "indicator", "grade"])?;
        let mut indicators: Vec<Indicator> = Vec::new();
        for row in table.rows() {
            let iid = IndicatorId::parse("id", row.get("id")?).map_err(|e| row.error("id", e.message))?;
            if indicators.iter().any(|i| i.id == iid) {
                return Err(row.error("id", format!("duplicate indicator {iid}")));
            }
            let dimension = DimensionId::parse("dimension", row.get("dimension")?)
                .map_err(|e| row.error("dimension", e.message))?;
            if !dimensions.iter().any(|d| d.id == dimension) {
                return Err(row.error("dimension", format!("unknown dimension {dimension}")));
            }
            let text =
                parse_line("indicator", row.get("indicator")?, 500).map_err(|e| row.error("indicator", e.message))?;
            let grade = Grade::parse_grade("grade", row.get("grade")?).map_err(|e| row.error("grade", e.message))?;
            let note = match row.get_optional("note").map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => Some(parse_line("note", n, 500).map_err(|e| row.error("note", e.message))?),
                None => None,
            };
            indicators.push(Indicator { id: iid, dimension, text, grade, note });
        }
        if indicators.is_empty() {
            return Err(ParseError::new(INDICATORS_FILE, "lists no indicators"));
        }

        if required_stages.is_empty() {
            return Err(ParseError::new("required_stages", "name at least one stage"));
        }
        let mut seen = BTreeSet::new();
        for stage in &required_stages {
            if !seen.insert(*stage) {
                return Err(ParseError::new("required_stages", format!("{stage} appears twice")));
            }
            if !dimensions.iter().any(|d| d.stage == *stage) {
                return Err(ParseError::new(
                    "required_stages",
                    format!("{stage} is required but {DIMENSIONS_FILE} has no dimension of that stage"),
                ));
            }
        }
        Ok(Self { id, name, population, exploitation, source, dimensions, indicators, required_stages })
    }

    /// Builds a list from the three files of a list directory: `list.toml`, `dimensions.csv`, `indicators.csv`.
    pub fn from_manifest(list_toml: &str, dimensions_csv: &str, indicators_csv: &str) -> Result<Self, ParseError> {
        Self::from_csv(ListMeta::from_toml(list_toml)?, dimensions_csv, indicators_csv)
    }

    /// As [`IndicatorList::from_manifest`], and checks that the manifest's id is the directory's name.
    pub fn from_list_dir(
        dir_name: &str,
        list_toml: &str,
        dimensions_csv: &str,
        indicators_csv: &str,
    ) -> Result<Self, ParseError> {
        let list = Self::from_manifest(list_toml, dimensions_csv, indicators_csv)?;
        if list.id.as_str() != dir_name {
            return Err(ParseError::new(
                format!("{LIST_MANIFEST_FILE} id"),
                format!("the id {:?} differs from the directory name {dir_name:?}", list.id.as_str()),
            ));
        }
        Ok(list)
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id.as_str() == id)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id.as_str() == id)
    }

    /// The indicators of one dimension, in file order.
    pub fn indicators_of<'a>(&'a self, dimension: &'a DimensionId) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.dimension == *dimension)
    }

    /// Evaluates the indicators found present (ids of this list, repeated ids counted once).
    ///
    /// ILO/EC Operational indicators (2009), combination rule: each dimension is positive when its present
    /// indicators meet one branch of [`CombinationRule`]; the list is positive when every required stage
    /// has at least one positive dimension. Ids not in the list are an error that names them.
    pub fn evaluate<S: AsRef<str>>(&self, present: &[S]) -> Result<Evaluation, ParseError> {
        let wanted: BTreeSet<&str> = present.iter().map(|s| s.as_ref().trim()).collect();
        let unknown: Vec<&str> = wanted.iter().copied().filter(|id| self.indicator(id).is_none()).collect();
        if !unknown.is_empty() {
            return Err(ParseError::new(
                "indicators",
                format!(
                    "not in list {}: {}",
                    self.id,
                    unknown.iter().map(|u| format!("{u:?}")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }

        let dimensions: Vec<DimensionResult> = self
            .dimensions
            .iter()
            .map(|dim| {
                let present: Vec<IndicatorId> = self
                    .indicators_of(&dim.id)
                    .filter(|i| wanted.contains(i.id.as_str()))
                    .map(|i| i.id.clone())
                    .collect();
                let count = |g: Grade| {
                    self.indicators_of(&dim.id).filter(|i| i.grade == g && wanted.contains(i.id.as_str())).count()
                };
                let (strong, medium, weak) = (count(Grade::Strong), count(Grade::Medium), count(Grade::Weak));
                let rule = CombinationRule::for_counts(strong, medium, weak);
                let counts = format!("{strong} strong, {medium} medium, {weak} weak");
                let reason = match rule {
                    Some(r) => format!("positive: {counts}; {} (ILO/EC combination rule)", r.description()),
                    None => format!("not positive: {counts}; no branch of the ILO/EC combination rule is met"),
                };
                DimensionResult {
                    dimension: dim.id.clone(),
                    name: dim.name.clone(),
                    stage: dim.stage,
                    present,
                    strong,
                    medium,
                    weak,
                    positive: rule.is_some(),
                    rule,
                    reason,
                }
            })
            .collect();

        let mut stage_order: Vec<Stage> = Vec::new();
        for stage in self.required_stages.iter().copied().chain(self.dimensions.iter().map(|d| d.stage)) {
            if !stage_order.contains(&stage) {
                stage_order.push(stage);
            }
        }
        stage_order.sort();
        let stages: Vec<StageResult> = stage_order
            .into_iter()
            .map(|stage| {
                let positive_dimensions: Vec<DimensionId> =
                    dimensions.iter().filter(|d| d.stage == stage && d.positive).map(|d| d.dimension.clone()).collect();
                StageResult {
                    stage,
                    required: self.required_stages.contains(&stage),
                    satisfied: !positive_dimensions.is_empty(),
                    positive_dimensions,
                }
            })
            .collect();
        let positive = stages.iter().filter(|s| s.required).all(|s| s.satisfied);
        let missing: Vec<&str> = stages.iter().filter(|s| s.required && !s.satisfied).map(|s| s.stage.code()).collect();
        let summary = if positive {
            format!(
                "every required stage ({}) has a positive dimension: the indicators point to trafficking; \
                 this supports, and does not replace, the identification decision",
                self.required_stages.iter().map(|s| s.code()).collect::<Vec<_>>().join(", ")
            )
        } else {
            format!("no positive dimension for the required stage(s): {}", missing.join(", "))
        };
        Ok(Evaluation { list: self.id.clone(), dimensions, stages, positive, summary })
    }
}

/// The result of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionResult {
    pub dimension: DimensionId,
    pub name: String,
    pub stage: Stage,
    /// The present indicators of this dimension, in list order.
    pub present: Vec<IndicatorId>,
    pub strong: usize,
    pub medium: usize,
    pub weak: usize,
    pub positive: bool,
    /// The branch of the combination rule that made it positive.
    pub rule: Option<CombinationRule>,
    /// The counts and the branch, in words.
    pub reason: String,
}

/// Whether a stage has a positive dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageResult {
    pub stage: Stage,
    /// Whether the list requires this stage.
    pub required: bool,
    pub satisfied: bool,
    pub positive_dimensions: Vec<DimensionId>,
}

/// The evaluation of an indicator list: advice for the person identifying, not a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub list: ListId,
    /// One entry per dimension, in list order.
    pub dimensions: Vec<DimensionResult>,
    /// One entry per stage (required or having dimensions), in stage order.
    pub stages: Vec<StageResult>,
    /// Every required stage is satisfied.
    pub positive: bool,
    /// The overall result in words.
    pub summary: String,
}

impl Evaluation {
    /// The required stages without a positive dimension.
    pub fn missing_stages(&self) -> Vec<Stage> {
        self.stages.iter().filter(|s| s.required && !s.satisfied).map(|s| s.stage).collect()
    }

    pub fn dimension(&self, id: &str) -> Option<&DimensionResult> {
        self.dimensions.iter().find(|d| d.dimension.as_str() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ilo() -> &'static IndicatorList {
        IndicatorList::ilo_adult_labour().unwrap()
    }

    /// A one-dimension list with 3 strong, 3 medium and 3 weak indicators, to test the rule branch by branch.
    fn graded() -> IndicatorList {
        let meta = graded_meta();
        let dims = "id,dimension,stage\nD,Dimension,exploitation\n";
        let inds = "id,dimension,indicator,grade\n\
                    s1,D,a,S\ns2,D,b,S\ns3,D,c,S\nm1,D,d,M\nm2,D,e,M\nm3,D,f,M\nw1,D,g,W\nw2,D,h,W\nw3,D,i,W\n";
        IndicatorList::from_csv(meta, dims, inds).unwrap()
    }

    fn rule(present: &[&str]) -> Option<CombinationRule> {
        let e = graded().evaluate(present).unwrap();
        assert_eq!(e.dimensions[0].positive, e.positive);
        e.dimensions[0].rule
    }

    #[test]
    fn embedded_list_matches_the_ilo_tables() {
        let list = ilo();
        assert_eq!(list.dimensions.len(), 6);
        assert_eq!(list.indicators.len(), 67);
        // The counts column of ilo-dimensions.csv.
        for (dim, n) in [("I1", 10), ("I2", 10), ("I3", 16), ("I4", 9), ("I5", 15), ("I6", 7)] {
            assert_eq!(list.indicators_of(&DimensionId::parse("d", dim).unwrap()).count(), n, "{dim}");
        }
        assert_eq!(list.dimension("I4").unwrap().stage, Stage::Exploitation);
        assert_eq!(list.indicator("I5.02").unwrap().grade, Grade::Strong);
        assert!(list.indicator("I3.14").unwrap().note.is_some());
        assert_eq!(list.required_stages, vec![Stage::Recruitment, Stage::Exploitation, Stage::Destination]);
    }

    // ILO/EC Operational indicators (2009), combination rule, branch 1: 2 strong.
    #[test]
    fn two_strong_is_positive() {
        assert_eq!(rule(&["s1", "s2"]), Some(CombinationRule::TwoStrong));
        assert_eq!(rule(&["s1", "s2", "s3", "m1"]), Some(CombinationRule::TwoStrong));
    }

    // ILO/EC Operational indicators (2009), combination rule, branch 2: 1 strong + 1 medium or weak.
    #[test]
    fn one_strong_and_one_medium_or_weak_is_positive() {
        assert_eq!(rule(&["s1", "m1"]), Some(CombinationRule::StrongAndOther));
        assert_eq!(rule(&["s1", "w1"]), Some(CombinationRule::StrongAndOther));
    }

    // ILO/EC Operational indicators (2009), combination rule, branch 3: 3 medium.
    #[test]
    fn three_medium_is_positive() {
        assert_eq!(rule(&["m1", "m2", "m3"]), Some(CombinationRule::ThreeMedium));
    }

    // ILO/EC Operational indicators (2009), combination rule, branch 4: 2 medium + 1 weak.
    #[test]
    fn two_medium_and_one_weak_is_positive() {
        assert_eq!(rule(&["m1", "m2", "w1"]), Some(CombinationRule::TwoMediumAndWeak));
    }

    // ILO/EC Operational indicators (2009), combination rule: the near misses.
    #[test]
    fn near_misses_are_not_positive() {
        assert_eq!(rule(&["s1"]), None, "1 strong alone");
        assert_eq!(rule(&["m1", "m2"]), None, "2 medium alone");
        assert_eq!(rule(&["m1", "w1", "w2"]), None, "1 medium + 2 weak");
        assert_eq!(rule(&["w1", "w2", "w3"]), None, "3 weak");
        assert_eq!(rule(&[]), None, "nothing");
        let e = graded().evaluate(&["m1", "m2"]).unwrap();
        assert!(e.dimensions[0].reason.starts_with("not positive: 0 strong, 2 medium, 0 weak"));
    }

    #[test]
    fn repeated_ids_count_once() {
        assert_eq!(rule(&["s1", "s1"]), None);
        assert_eq!(rule(&["m1", "m2", "m2", "w1"]), Some(CombinationRule::TwoMediumAndWeak));
    }

    #[test]
    fn counts_and_reasons_are_reported() {
        let e = graded().evaluate(&["s1", "m1", "w1", "w2"]).unwrap();
        let d = &e.dimensions[0];
        assert_eq!((d.strong, d.medium, d.weak), (1, 1, 2));
        assert_eq!(d.present.len(), 4);
        assert!(d.reason.contains("1 strong indicator and at least 1 medium or weak"), "{}", d.reason);
    }

    // ILO/EC Operational indicators (2009), combination rule: adult labour needs recruitment, exploitation
    // and destination.
    #[test]
    fn adult_labour_is_positive_with_every_stage() {
        // I1: 1 strong + 1 medium; I4: 1 strong + 1 medium; I5: 2 strong.
        let present = ["I1.01", "I1.08", "I4.01", "I4.04", "I5.01", "I5.02"];
        let e = ilo().evaluate(&present).unwrap();
        assert!(e.positive, "{}", e.summary);
        assert!(e.missing_stages().is_empty());
        assert_eq!(e.dimension("I5").unwrap().rule, Some(CombinationRule::TwoStrong));
        assert_eq!(e.stages.len(), 3);
        assert!(e.stages.iter().all(|s| s.required && s.satisfied));
    }

    #[test]
    fn adult_labour_with_a_missing_stage_is_not_positive() {
        // Recruitment and exploitation positive; destination only 1 strong (I5.04).
        let present = ["I1.01", "I1.08", "I4.01", "I4.04", "I5.04"];
        let e = ilo().evaluate(&present).unwrap();
        assert!(!e.positive);
        assert_eq!(e.missing_stages(), vec![Stage::Destination]);
        assert!(e.summary.contains("destination"), "{}", e.summary);
        let destination = e.stages.iter().find(|s| s.stage == Stage::Destination).unwrap();
        assert!(destination.positive_dimensions.is_empty());
    }

    #[test]
    fn unknown_indicators_are_named() {
        let err = ilo().evaluate(&["I1.01", "I9.99", "X"]).unwrap_err();
        assert!(err.message.contains("\"I9.99\"") && err.message.contains("\"X\""), "{err}");
        assert!(!err.message.contains("I1.01"));
        let ids = [IndicatorId::parse("i", "I1.01").unwrap()];
        assert!(ilo().evaluate(&ids).is_ok());
    }

    #[test]
    fn load_errors_name_line_and_column() {
        let meta = graded_meta;
        let dims = "id,dimension,stage\nD,Dim,exploitation\nE,Other,arrival\n";
        let err = IndicatorList::from_csv(meta(), dims, "id,dimension,indicator,grade\n").unwrap_err();
        assert_eq!(err.field, "dimensions.csv line 3, column stage");
        let dims = "id,dimension,stage\nD,Dim,exploitation\n";
        let inds = "id,dimension,indicator,grade\na,D,x,S\nb,D,y,Q\n";
        let err = IndicatorList::from_csv(meta(), dims, inds).unwrap_err();
        assert_eq!(err.field, "indicators.csv line 3, column grade");
        let inds = "id,dimension,indicator,grade\na,D,x,S\nb,Z,y,M\n";
        assert_eq!(
            IndicatorList::from_csv(meta(), dims, inds).unwrap_err().field,
            "indicators.csv line 3, column dimension"
        );
        let inds = "id,dimension,indicator,grade\na,D,x,S\na,D,y,M\n";
        assert_eq!(IndicatorList::from_csv(meta(), dims, inds).unwrap_err().field, "indicators.csv line 3, column id");
        let inds = "id,dimension,indicator,grade\na,D,x,S\nb,D,y\n";
        assert_eq!(IndicatorList::from_csv(meta(), dims, inds).unwrap_err().field, "indicators.csv line 3");
        let inds = "id,dimension,grade\na,D,S\n";
        assert!(IndicatorList::from_csv(meta(), dims, inds).unwrap_err().message.contains("indicator"));
        let mut m = meta();
        m.required_stages = vec![Stage::Destination];
        let inds = "id,dimension,indicator,grade\na,D,x,S\n";
        assert_eq!(IndicatorList::from_csv(m, dims, inds).unwrap_err().field, "required_stages");
    }

    fn graded_meta() -> ListMeta {
        ListMeta {
            id: ListId::parse("id", "t").unwrap(),
            name: "test".into(),
            population: Population::Adult,
            exploitation: ListExploitation::Other,
            required_stages: vec![Stage::Exploitation],
            source: None,
        }
    }

    // A second list, loaded from data files as an operator would add it: no code change is needed.
    #[test]
    fn a_child_list_loads_from_a_list_directory() {
        let list_toml = r#"
            id = "child_labour_sample"
            name = "Children, labour exploitation (sample)"
            population = "child"
            exploitation = "labour"
            required_stages = ["exploitation"]
            source = "written for this test"
        "#;
        let dims = "id,dimension,stage\n\
                    # comment lines are allowed\n\
                    C1,Recruitment,recruitment\n\
                    C4,Exploitative conditions,exploitation\n";
        let inds = "id,dimension,indicator,grade,note\n\
                    C1.01,C1,\"Deceived about access to education\",S,\n\
                    C4.01,C4,\"Excessive working hours\",S,\n\
                    C4.02,C4,\"Hazardous work\",M,\n\
                    C4.03,C4,\"No access to education\",M,\"graded medium for children\"\n";
        let list = IndicatorList::from_list_dir("child_labour_sample", list_toml, dims, inds).unwrap();
        assert_eq!(list.population, Population::Child);
        assert_eq!(list.indicators.len(), 4);
        let e = list.evaluate(&["C4.01", "C4.03"]).unwrap();
        assert!(e.positive);
        assert_eq!(e.dimension("C4").unwrap().rule, Some(CombinationRule::StrongAndOther));
        let recruitment = e.stages.iter().find(|s| s.stage == Stage::Recruitment).unwrap();
        assert!(!recruitment.required && !recruitment.satisfied);
        assert!(!list.evaluate(&["C1.01", "C4.02"]).unwrap().positive);

        let err = IndicatorList::from_list_dir("other_dir", list_toml, dims, inds).unwrap_err();
        assert!(err.message.contains("other_dir"));
        let err = IndicatorList::from_manifest("id = \"x\"\nname = \"n\"\n", dims, inds).unwrap_err();
        assert!(err.message.contains("population"), "{err}");
        let err = ListMeta::from_toml("id = \"x\"\nname = \"n\"\npopulation = \"elderly\"\n").unwrap_err();
        assert_eq!(err.field, "list.toml line 3");
    }
}
