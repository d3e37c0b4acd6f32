//! Maximum penalties against the Directive's floors (Dir 2011/36 Art 4(1) and 4(2)).
//!
//! The floors are law, and code: the maximum penalty for an Art 2 offence is at least
//! [`BASIC_FLOOR_YEARS`] years' imprisonment, and at least [`AGGRAVATED_FLOOR_YEARS`] where one
//! of the circumstances of Art 4(2) is present. The national maxima are national practice, data
//! with a source: `crates/domain/profiles/proceedings/<country>.toml`, versioned by date. A
//! maximum below a floor is a warning (the national law is what it is; the warning is for the
//! rapporteur and the transposition follow-up), never a refusal.

use super::charge::{Charge, Circumstance};
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate};
use serde::{Deserialize, Serialize};

/// Dir 2011/36 Art 4(1): a maximum of at least five years' imprisonment.
pub const BASIC_FLOOR_YEARS: u16 = 5;
/// Dir 2011/36 Art 4(2): a maximum of at least ten years with an Art 4(2) circumstance.
pub const AGGRAVATED_FLOOR_YEARS: u16 = 10;

/// The built-in national practice files.
const BUILT_IN: &[(&str, &str)] = &[
    ("LV", include_str!("../../profiles/proceedings/lv.toml")),
    ("EE", include_str!("../../profiles/proceedings/ee.toml")),
    ("LT", include_str!("../../profiles/proceedings/lt.toml")),
];

/// One version of a country's practice in criminal proceedings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PracticeVersion {
    pub valid_from: CalendarDate,
    /// The national provision of the Art 2 offence.
    pub offence_provision: String,
    /// The maximum penalty of the basic offence, in years of imprisonment.
    pub max_penalty_years: u16,
    /// The maximum of the aggravated forms.
    pub max_penalty_years_aggravated: u16,
    /// The Art 4(2) and 4(3) circumstances national law makes aggravated forms.
    pub aggravating: Vec<Circumstance>,
    /// Whether national law allows confiscated proceeds to pay victims' compensation
    /// (Dir 2011/36 Art 7 and recital 13).
    pub confiscated_proceeds_to_compensation: bool,
    pub sources: Vec<String>,
    /// Limitation for offences against child victims (Dir 2011/36 Art 9(2)), where stated.
    pub limitation: Option<super::limitation::LimitationRule>,
}

/// A country's practice in criminal proceedings, versions in increasing `valid_from` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NationalPractice {
    pub country: CountryCode,
    pub versions: Vec<PracticeVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticeToml {
    country: String,
    versions: Vec<VersionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionToml {
    valid_from: String,
    offence_provision: String,
    max_penalty_years: u16,
    max_penalty_years_aggravated: u16,
    aggravating: Vec<String>,
    confiscated_proceeds_to_compensation: bool,
    sources: Vec<String>,
    #[serde(default)]
    limitation: Option<super::limitation::LimitationToml>,
}

impl NationalPractice {
    /// Parses a practice file. A file without a source for a version, or with versions out of
    /// order, is refused; a maximum below a floor is not (see [`practice_warnings`]).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let raw: PracticeToml = toml::from_str(text).map_err(|e| ParseError::new("practice", e.message()))?;
        let country = CountryCode::parse("country", &raw.country)?;
        let mut versions: Vec<PracticeVersion> = Vec::new();
        for v in raw.versions {
            let valid_from = CalendarDate::parse("valid_from", &v.valid_from)?;
            if versions.last().is_some_and(|last| last.valid_from >= valid_from) {
                return Err(ParseError::new("valid_from", "versions must be in increasing order of valid_from"));
            }
            if v.sources.iter().all(|s| s.trim().is_empty()) {
                return Err(ParseError::new("sources", "every version names its sources"));
            }
            let mut aggravating = Vec::new();
            for a in &v.aggravating {
                aggravating.push(Circumstance::parse_code("aggravating", a)?);
            }
            if v.max_penalty_years_aggravated < v.max_penalty_years {
                return Err(ParseError::new(
                    "max_penalty_years_aggravated",
                    "the aggravated maximum is not below the basic one",
                ));
            }
            versions.push(PracticeVersion {
                valid_from,
                offence_provision: v.offence_provision,
                max_penalty_years: v.max_penalty_years,
                max_penalty_years_aggravated: v.max_penalty_years_aggravated,
                aggravating,
                confiscated_proceeds_to_compensation: v.confiscated_proceeds_to_compensation,
                sources: v.sources,
                limitation: v.limitation.map(super::limitation::LimitationToml::parse).transpose()?,
            });
        }
        if versions.is_empty() {
            return Err(ParseError::new("versions", "a practice file has at least one version"));
        }
        Ok(Self { country, versions })
    }

    /// The built-in practice of `country`, if there is one.
    pub fn built_in(country: CountryCode) -> Option<Result<Self, ParseError>> {
        BUILT_IN.iter().find(|(c, _)| *c == country.to_string()).map(|(_, text)| Self::parse(text))
    }

    /// The version in force on `on`.
    pub fn on(&self, on: CalendarDate) -> Option<&PracticeVersion> {
        self.versions.iter().rev().find(|v| v.valid_from <= on)
    }
}

/// A maximum penalty below a floor of the Directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PenaltyWarning {
    pub article: &'static str,
    pub floor_years: u16,
    pub national_years: u16,
    /// The Art 4(2) circumstance that asks for the higher floor, if that is the one missed.
    pub circumstance: Option<Circumstance>,
    pub message: Message,
}

fn below_basic(v: &PracticeVersion) -> PenaltyWarning {
    PenaltyWarning {
        article: "Dir 2011/36 Art 4(1)",
        floor_years: BASIC_FLOOR_YEARS,
        national_years: v.max_penalty_years,
        circumstance: None,
        message: Message::new(MessageId::ProceedingsPenaltyBelowBasicFloor)
            .with("provision", &v.offence_provision)
            .with("years", v.max_penalty_years)
            .with("floor", BASIC_FLOOR_YEARS),
    }
}

fn below_aggravated(v: &PracticeVersion, c: Circumstance, years: u16) -> PenaltyWarning {
    PenaltyWarning {
        article: "Dir 2011/36 Art 4(2)",
        floor_years: AGGRAVATED_FLOOR_YEARS,
        national_years: years,
        circumstance: Some(c),
        message: Message::new(MessageId::ProceedingsPenaltyBelowAggravatedFloor)
            .with("provision", &v.offence_provision)
            .with("years", years)
            .with("floor", AGGRAVATED_FLOOR_YEARS)
            .labels("circumstance", "circumstance", [c.code()]),
    }
}

/// The maximum national law gives for an Art 2 offence with `circumstance`: the aggravated one
/// when national law makes it an aggravated form, the basic one otherwise.
fn maximum_with(v: &PracticeVersion, circumstance: Circumstance) -> u16 {
    if v.aggravating.contains(&circumstance) { v.max_penalty_years_aggravated } else { v.max_penalty_years }
}

/// What a version of national practice misses of the floors: the basic maximum below
/// Art 4(1), and each Art 4(2) circumstance whose national maximum is below Art 4(2).
pub fn practice_warnings(v: &PracticeVersion) -> Vec<PenaltyWarning> {
    let mut out = Vec::new();
    if v.max_penalty_years < BASIC_FLOOR_YEARS {
        out.push(below_basic(v));
    }
    for c in Circumstance::ALL.iter().filter(|c| c.raises_floor()) {
        let years = maximum_with(v, *c);
        if years < AGGRAVATED_FLOOR_YEARS {
            out.push(below_aggravated(v, *c, years));
        }
    }
    out
}

/// The warnings for a charge: the national maximum for its offence and circumstances against
/// the floors. Only Art 2 offences have floors ([`super::OffenceKind::has_penalty_floor`]).
pub fn charge_warnings(v: &PracticeVersion, charge: &Charge) -> Vec<PenaltyWarning> {
    if !charge.offence.has_penalty_floor() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if v.max_penalty_years < BASIC_FLOOR_YEARS && !charge.circumstances.iter().any(|c| v.aggravating.contains(c)) {
        out.push(below_basic(v));
    }
    for c in charge.circumstances.iter().filter(|c| c.raises_floor()) {
        let years = maximum_with(v, *c);
        if years < AGGRAVATED_FLOOR_YEARS {
            out.push(below_aggravated(v, *c, years));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::OffenceKind;
    use crate::proceedings::tests::date;

    fn version(basic: u16, aggravated: u16, aggravating: &[Circumstance]) -> PracticeVersion {
        PracticeVersion {
            valid_from: date("2014-01-01"),
            offence_provision: "s. 1".into(),
            max_penalty_years: basic,
            max_penalty_years_aggravated: aggravated,
            aggravating: aggravating.to_vec(),
            confiscated_proceeds_to_compensation: false,
            sources: vec!["test".into()],
            limitation: None,
        }
    }

    fn charge(offence: OffenceKind, circumstances: &[Circumstance]) -> Charge {
        Charge {
            id: "c".into(),
            investigation_id: "i".into(),
            suspect_id: "s".into(),
            offence,
            national_provision: "s. 1".into(),
            circumstances: circumstances.to_vec(),
            charged_on: date("2026-01-01"),
        }
    }

    #[test]
    fn the_built_in_practice_files_parse_and_name_their_sources() {
        for code in ["LV", "EE", "LT"] {
            let country = CountryCode::parse("c", code).unwrap();
            let p = NationalPractice::built_in(country).unwrap().unwrap();
            assert_eq!(p.country, country);
            let v = p.on(date("2026-09-21")).unwrap();
            assert!(!v.sources.is_empty() && v.max_penalty_years > 0, "{code}");
            // The three shipped countries meet both floors.
            assert_eq!(practice_warnings(v), vec![], "{code}");
        }
        assert!(NationalPractice::built_in(CountryCode::parse("c", "FR").unwrap()).is_none());
        assert!(NationalPractice::parse("country = \"LV\"\nversions = []").is_err());
        assert!(NationalPractice::parse("country = \"LV\"\nunknown = 1\nversions = []").is_err());
    }

    #[test]
    fn art_4_1_dir_a_maximum_below_five_years_is_warned() {
        let v = version(4, 12, &[Circumstance::ChildVictim]);
        let w = charge_warnings(&v, &charge(OffenceKind::Trafficking, &[]));
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].article, w[0].floor_years, w[0].national_years), ("Dir 2011/36 Art 4(1)", 5, 4));
        assert_eq!(w[0].message.id, MessageId::ProceedingsPenaltyBelowBasicFloor);
        assert!(charge_warnings(&version(5, 10, &[]), &charge(OffenceKind::Trafficking, &[])).is_empty());
        // Art 3 and Art 18a offences carry no floor of Art 4(1).
        assert!(charge_warnings(&v, &charge(OffenceKind::Attempt, &[])).is_empty());
        assert!(charge_warnings(&v, &charge(OffenceKind::UseOfServices, &[])).is_empty());
        assert_eq!(practice_warnings(&v).first().map(|w| w.article), Some("Dir 2011/36 Art 4(1)"));
    }

    #[test]
    fn art_4_2_dir_a_maximum_below_ten_years_with_a_circumstance_is_warned() {
        // National law makes a child victim an aggravated form up to 8 years: below the floor.
        let v = version(6, 8, &[Circumstance::ChildVictim]);
        let w = charge_warnings(&v, &charge(OffenceKind::Trafficking, &[Circumstance::ChildVictim]));
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].article, w[0].national_years, w[0].circumstance),
            ("Dir 2011/36 Art 4(2)", 8, Some(Circumstance::ChildVictim))
        );
        // A circumstance national law does not aggravate falls back on the basic maximum.
        let v = version(6, 12, &[Circumstance::ChildVictim]);
        let w = charge_warnings(&v, &charge(OffenceKind::Trafficking, &[Circumstance::LifeEndangered]));
        assert_eq!((w.len(), w[0].national_years), (1, 6));
        assert!(charge_warnings(&v, &charge(OffenceKind::Trafficking, &[Circumstance::ChildVictim])).is_empty());
        // Art 4(3) circumstances raise no floor.
        assert!(charge_warnings(&v, &charge(OffenceKind::Trafficking, &[Circumstance::PublicOfficial])).is_empty());
        // The practice as a whole: every Art 4(2) circumstance national law leaves at 6 years.
        let missing: Vec<_> = practice_warnings(&v).iter().filter_map(|w| w.circumstance).collect();
        assert_eq!(missing.len(), Circumstance::ALL.iter().filter(|c| c.raises_floor()).count() - 1);
        assert!(!missing.contains(&Circumstance::ChildVictim));
    }
}
