//! Exchange in the IOM Human Trafficking Case Data Standard (HTCDS) v2.0: a registration as one flat
//! document keyed by HTCDS field names (`prs_FirstName`, `vic_TypeOfExploitation`, …), written as JSON
//! (an array of documents) or CSV (one row per case).
//!
//! What HTCDS has no field for travels in extension fields named `x_haven_…`, so that a Haven export reads
//! back unchanged. A document from another system, without them, still imports: the HTCDS fields alone give
//! a sensible registration. The standard's fields Haven has no place for (`prs_Email`, `cas_Status`, an
//! event's `hte_Street`, …) are kept as imported ([`HtcdsImported`]) and written back; a field that is not
//! the standard's is refused rather than dropped silently. `docs/htcds.md` has the mapping table.
//!
//! Import reads codes and dates; free text is checked by [`Registration::normalise`], which callers run next.

use super::age::{AgeAssessment, AgeRange};
use super::forms::{
    Act, EventKind, FormId, Industry, Means, MethodOfControl, OnlinePlatform, RecruitmentMethod,
    RelationshipToTrafficker, Vulnerability,
};
use super::record::{
    Consent, DocumentKind, Gender, Guardian, IdentityDocument, IndicatorAnswers, PersonDetails, Registration,
    TraffickingContext, TraffickingEvent, parse_language,
};
use super::status::NrmStatus;
use crate::case::{CalendarDate, Sex};
use crate::org::CountryCode;
use crate::text::Narrative;
use crate::{Coded, ParseError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::collections::BTreeSet;

/// The standard's field list (HTCDS Field Standards 2.0): `field,section,status,core,label,type,description`.
pub const FIELDS_CSV: &str = include_str!("../../../../reference/htcds/fields.csv");
/// The standard's picklist values: `field,value,label`.
pub const CODES_CSV: &str = include_str!("../../../../reference/htcds/codes.csv");
/// The columns of the v2.0 Excel templates: `column,field,label` (the field as the template's hidden first
/// row writes it, empty where the template leaves it out).
pub const TEMPLATE_CSV: &str = include_str!("../../../../reference/htcds/template.csv");
/// The country codes and names of the validated template's drop-downs: `code,name`.
pub const COUNTRIES_CSV: &str = include_str!("../../../../reference/htcds/countries.csv");

/// One field of the standard, as its field list has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardField {
    pub name: String,
    pub status: String,
    pub core: bool,
    pub label: String,
    pub kind: String,
}

fn read_reference(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    reader.records().filter_map(Result::ok).map(|r| r.iter().map(str::to_owned).collect()).collect()
}

static FIELDS: std::sync::LazyLock<Vec<StandardField>> = std::sync::LazyLock::new(|| {
    read_reference(FIELDS_CSV)
        .into_iter()
        .filter(|r| r.len() >= 6)
        .map(|r| StandardField {
            name: r[0].clone(),
            status: r[2].clone(),
            core: r[3] == "Core",
            label: r[4].clone(),
            kind: r[5].clone(),
        })
        .collect()
});

static CODES: std::sync::LazyLock<Vec<(String, String, String)>> = std::sync::LazyLock::new(|| {
    read_reference(CODES_CSV)
        .into_iter()
        .filter(|r| r.len() >= 3)
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
});

static COUNTRIES: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
    read_reference(COUNTRIES_CSV).into_iter().filter(|r| r.len() >= 2).map(|r| (r[0].clone(), r[1].clone())).collect()
});

/// The standard's fields, in the order of its field list.
pub fn standard_fields() -> &'static [StandardField] {
    &FIELDS
}

/// The standard field named `name` (the template's misspelling `vic_TraffickinStatusDecisionMakingOrg` is
/// read as `vic_TraffickingStatusDecisionMakingOrg`).
pub fn standard_field(name: &str) -> Option<&'static StandardField> {
    let name = canonical_field(name);
    FIELDS.iter().find(|f| f.name == name)
}

/// The field name as the field list spells it.
fn canonical_field(name: &str) -> &str {
    match name.trim() {
        "vic_TraffickinStatusDecisionMakingOrg" => "vic_TraffickingStatusDecisionMakingOrg",
        other => other,
    }
}

/// The standard's value names and labels of a picklist field.
pub fn standard_codes(field: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    CODES.iter().filter(move |(f, _, _)| f == field).map(|(_, v, l)| (v.as_str(), l.as_str()))
}

/// Text compared without regard to case, surrounding space or runs of space.
fn loose(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The standard's value name for `value` in `field`: the value name itself, or its label as the field
/// list or the validated template's drop-down spells it (without regard to case or spacing).
pub fn standard_value(field: &str, value: &str) -> Option<&'static str> {
    let field = canonical_field(field);
    let value = value.trim();
    let wanted = loose(value);
    let mut codes = CODES.iter().filter(|(f, _, _)| f == field);
    codes
        .clone()
        .find(|(_, v, _)| v == value)
        .or_else(|| codes.clone().find(|(_, v, l)| loose(v) == wanted || loose(l) == wanted))
        // The standard spells `Unaquainted`; the correct spelling is read too.
        .or_else(|| (wanted == "unacquainted").then(|| codes.clone().find(|(_, v, _)| v == "Unaquainted")).flatten())
        // An ISIC section letter alone (`A`), as earlier Haven exports wrote the industry.
        .or_else(|| {
            (value.len() == 1 && value.chars().all(|c| c.is_ascii_uppercase()))
                .then(|| codes.find(|(_, v, _)| v.starts_with(&format!("{value}_"))))
                .flatten()
        })
        .map(|(_, v, _)| v.as_str())
}

/// The ISO 3166 code of a country given by its code or by its name as the validated template lists it.
pub fn country_code(value: &str) -> Option<CountryCode> {
    let value = value.trim();
    if let Ok(code) = CountryCode::parse("country", value) {
        return Some(code);
    }
    let wanted = loose(value);
    COUNTRIES
        .iter()
        .find(|(_, name)| loose(name) == wanted)
        .and_then(|(code, _)| CountryCode::parse("country", code).ok())
}

/// An HTCDS picklist value, or a Haven value with an HTCDS spelling.
trait HtcdsValue: Sized + Copy + 'static {
    /// The HTCDS field whose picklist holds the value.
    const FIELD: &'static str;
    fn all() -> &'static [Self];
    fn htcds_name(self) -> &'static str;
    fn parse_htcds(value: &str) -> Result<Self, ParseError> {
        parse_picklist(Self::FIELD, Self::all(), value)
    }
}

/// Reads a picklist value written as the standard's value name or label (see [`standard_value`]).
fn parse_picklist<T: HtcdsValue>(field: &str, all: &[T], value: &str) -> Result<T, ParseError> {
    let name = standard_value(field, value).unwrap_or(value.trim());
    all.iter().copied().find(|v| v.htcds_name() == name).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|v| v.htcds_name()).collect();
        ParseError::new(field, format!("unknown HTCDS value {value:?}; expected one of {}", known.join(", ")))
    })
}

macro_rules! htcds_value_of {
    ($($name:ident in $field:literal),+ $(,)?) => {$(
        impl HtcdsValue for $name {
            const FIELD: &'static str = $field;
            fn all() -> &'static [Self] {
                <Self as Coded>::ALL
            }
            fn htcds_name(self) -> &'static str {
                self.htcds()
            }
        }
    )+};
}

htcds_value_of!(
    MethodOfControl in "vic_MethodsOfControl",
    RecruitmentMethod in "vic_MethodOfRecruitment",
    OnlinePlatform in "vic_RecruitmentWebsitesAndApps",
    EventKind in "hte_Type",
    Industry in "vic_ForcedLabourIndustry",
);

impl HtcdsValue for Gender {
    const FIELD: &'static str = "prs_Gender";
    fn all() -> &'static [Self] {
        <Self as Coded>::ALL
    }
    fn htcds_name(self) -> &'static str {
        match self {
            Self::Feminine => "Feminine",
            Self::Masculine => "Masculine",
            Self::TransgenderFeminine => "TransgenderFeminine",
            Self::TransgenderMasculine => "TransgenderMasculine",
            Self::NonConforming => "NonConforming",
            Self::Unknown => "NonSpecifiedUnknown",
        }
    }
}

/// Declares an HTCDS picklist that Haven has no enum for; serde reads and writes the HTCDS spelling.
macro_rules! htcds_picklist {
    ($(#[$meta:meta])* pub enum $name:ident in $field:literal { $($(#[$vmeta:meta])* $variant:ident => $spelling:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in HTCDS order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The HTCDS v2.0 spelling.
            pub fn htcds(self) -> &'static str {
                match self { $(Self::$variant => $spelling),+ }
            }

            /// Reads an HTCDS v2.0 value (its name or its label).
            pub fn from_htcds(value: &str) -> Result<Self, ParseError> {
                parse_picklist($field, Self::ALL, value)
            }
        }

        impl HtcdsValue for $name {
            const FIELD: &'static str = $field;
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn htcds_name(self) -> &'static str {
                self.htcds()
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.htcds())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = String::deserialize(d)?;
                Self::from_htcds(&value).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
    };
}

htcds_picklist! {
    /// HTCDS `vic_TraffickingStatus`.
    pub enum TraffickingStatus in "vic_TraffickingStatus" {
        Possible => "PossibleVictimOfTrafficking",
        Actual => "ActualVictimOfTrafficking",
        NotIdentified => "NotAVictimOfTrafficking",
    }
}

impl TraffickingStatus {
    /// The HTCDS status of an NRM status: `None` for a withdrawn referral (HTCDS has no value for it).
    pub fn from_nrm(status: NrmStatus) -> Option<Self> {
        match status {
            NrmStatus::Referred
            | NrmStatus::PresumedVictim
            | NrmStatus::FirstReconsideration
            | NrmStatus::FinalReconsideration => Some(Self::Possible),
            NrmStatus::IdentifiedVictim => Some(Self::Actual),
            NrmStatus::NotIdentified | NrmStatus::NegativeFirstDecision => Some(Self::NotIdentified),
            NrmStatus::Withdrawn => None,
        }
    }

    /// The NRM status read from a document that carries no `x_haven_status`: a possible victim is taken as
    /// referred (no decision yet), an actual victim as identified, not a victim as a negative conclusive decision.
    pub fn nrm_status(self) -> NrmStatus {
        match self {
            Self::Possible => NrmStatus::Referred,
            Self::Actual => NrmStatus::IdentifiedVictim,
            Self::NotIdentified => NrmStatus::NotIdentified,
        }
    }
}

htcds_picklist! {
    /// HTCDS `vic_TypeOfExploitation`.
    pub enum ExploitationType in "vic_TypeOfExploitation" {
        ForcedLabour => "ForcedLabour",
        SexualExploitation => "SexualExploitation",
        ChildLabour => "ChildLabour",
        ForcedMarriage => "ForcedMarriage",
        Servitude => "Servitude",
        ForcedMilitaryByNonStateActors => "ForcedMilitaryByNonStateActors",
        OrganRemoval => "OrganRemoval",
        ForcedBegging => "ForcedBegging",
        ForcedAdoption => "ForcedAdoption",
        Surrogacy => "Surrogacy",
        Other => "Other",
    }
}

/// What the form "other" is taken to be when a document says `ForcedMilitaryByNonStateActors`.
const FORCED_MILITARY: &str = "Forced military service by non-state actors (HTCDS ForcedMilitaryByNonStateActors)";

impl ExploitationType {
    /// The HTCDS type of a Haven form; `Other` for the forms HTCDS has no value for (slavery, criminal
    /// activities, other, and any form added to the catalogue later).
    pub fn from_form(form: &FormId) -> Self {
        match form.as_str() {
            "sexual" => Self::SexualExploitation,
            "forced_labour" => Self::ForcedLabour,
            "begging" => Self::ForcedBegging,
            "servitude" => Self::Servitude,
            "organ_removal" => Self::OrganRemoval,
            "forced_marriage" => Self::ForcedMarriage,
            "illegal_adoption" => Self::ForcedAdoption,
            "surrogacy" => Self::Surrogacy,
            _ => Self::Other,
        }
    }

    /// The Haven form read from a document that carries no `x_haven_forms`: child labour is read as forced
    /// labour, forced military service by non-state actors as "other".
    pub fn haven_form(self) -> &'static str {
        match self {
            Self::ForcedLabour | Self::ChildLabour => "forced_labour",
            Self::SexualExploitation => "sexual",
            Self::ForcedMarriage => "forced_marriage",
            Self::Servitude => "servitude",
            Self::OrganRemoval => "organ_removal",
            Self::ForcedBegging => "begging",
            Self::ForcedAdoption => "illegal_adoption",
            Self::Surrogacy => "surrogacy",
            Self::ForcedMilitaryByNonStateActors | Self::Other => "other",
        }
    }
}

htcds_picklist! {
    /// HTCDS `vic_RelationshipToTrafficker` (the standard spells the third value `Unaquainted`).
    pub enum HtcdsRelationship in "vic_RelationshipToTrafficker" {
        Familial => "Familial",
        Acquainted => "Acquainted",
        Unacquainted => "Unaquainted",
    }
}

htcds_picklist! {
    /// HTCDS `vic_TraffickingStatusDecisionMakingOrg`: the kind of organisation that decided the trafficking
    /// status (the v2.0 templates spell the field `vic_TraffickinStatusDecisionMakingOrg`).
    pub enum DecisionMakingOrg in "vic_TraffickingStatusDecisionMakingOrg" {
        Police => "Police",
        Ngo => "NGO",
        CourtOrProsecution => "CourtOrProsecution",
        NonPoliceGovernmentalOrganization => "NonPoliceGovernmentalOrganization",
        Other => "Other",
    }
}

impl HtcdsRelationship {
    /// The HTCDS value of a Haven relationship: an intimate partner is `Acquainted`; unknown has none.
    pub fn from_haven(relationship: RelationshipToTrafficker) -> Option<Self> {
        match relationship {
            RelationshipToTrafficker::Familial => Some(Self::Familial),
            RelationshipToTrafficker::Acquainted | RelationshipToTrafficker::IntimatePartner => Some(Self::Acquainted),
            RelationshipToTrafficker::Unacquainted => Some(Self::Unacquainted),
            RelationshipToTrafficker::Unknown => None,
        }
    }

    /// The Haven relationship read from a document that carries no `x_haven_relationship_to_trafficker`.
    pub fn haven(self) -> RelationshipToTrafficker {
        match self {
            Self::Familial => RelationshipToTrafficker::Familial,
            Self::Acquainted => RelationshipToTrafficker::Acquainted,
            Self::Unacquainted => RelationshipToTrafficker::Unacquainted,
        }
    }
}

/// Serde for a value with an HTCDS spelling.
mod htcds_one {
    use super::HtcdsValue;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<T: HtcdsValue, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.htcds_name())
    }

    pub fn deserialize<'de, T: HtcdsValue, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let value = String::deserialize(d)?;
        T::parse_htcds(&value).map_err(|e| D::Error::custom(e.message))
    }
}

/// Serde for an optional value with an HTCDS spelling.
mod htcds_opt {
    use super::HtcdsValue;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<T: HtcdsValue, S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(v.htcds_name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: HtcdsValue, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        let value = Option::<String>::deserialize(d)?;
        value.map(|v| T::parse_htcds(&v).map_err(|e| D::Error::custom(e.message))).transpose()
    }
}

/// Serde for a list of values with an HTCDS spelling.
mod htcds_list {
    use super::HtcdsValue;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<T: HtcdsValue, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(values.iter().map(|v| v.htcds_name()))
    }

    /// One value alone, or a list of them (the standard's multi-select fields hold one value or several).
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }

    pub fn deserialize<'de, T: HtcdsValue, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        let values = match OneOrMany::deserialize(d)? {
            OneOrMany::One(value) => vec![value],
            OneOrMany::Many(values) => values,
        };
        values.iter().map(|v| T::parse_htcds(v).map_err(|e| D::Error::custom(e.message))).collect()
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// One Historic Trafficking Event (HTCDS `hte_`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtcdsEvent {
    #[serde(rename = "hte_Type", with = "htcds_one")]
    pub hte_type: EventKind,
    #[serde(rename = "hte_Date", default, skip_serializing_if = "Option::is_none")]
    pub hte_date: Option<CalendarDate>,
    #[serde(rename = "hte_Country", default, skip_serializing_if = "Option::is_none")]
    pub hte_country: Option<CountryCode>,
    /// Haven's place (a town or a more precise place).
    #[serde(rename = "hte_City", default, skip_serializing_if = "Option::is_none")]
    pub hte_city: Option<String>,
    #[serde(rename = "hte_Description", default, skip_serializing_if = "Option::is_none")]
    pub hte_description: Option<String>,
    /// The further fields of the event's place, which Haven keeps as imported ([`ImportedEvent`]).
    #[serde(rename = "hte_Street", default, skip_serializing_if = "Option::is_none")]
    pub hte_street: Option<String>,
    #[serde(rename = "hte_State", default, skip_serializing_if = "Option::is_none")]
    pub hte_state: Option<String>,
    #[serde(rename = "hte_PostalCode", default, skip_serializing_if = "Option::is_none")]
    pub hte_postal_code: Option<String>,
    /// Degrees north, as written (checked: a number from -90 to 90).
    #[serde(
        rename = "hte_Latitude",
        default,
        deserialize_with = "deserialize_latitude",
        skip_serializing_if = "Option::is_none"
    )]
    pub hte_latitude: Option<String>,
    /// Degrees east, as written (checked: a number from -180 to 180).
    #[serde(
        rename = "hte_Longitude",
        default,
        deserialize_with = "deserialize_longitude",
        skip_serializing_if = "Option::is_none"
    )]
    pub hte_longitude: Option<String>,
}

/// The further fields of an event that Haven keeps as imported, in the order [`HtcdsEvent::further`] gives
/// them.
pub const FURTHER_EVENT_FIELDS: [&str; 5] =
    ["hte_Street", "hte_State", "hte_PostalCode", "hte_Latitude", "hte_Longitude"];

impl HtcdsEvent {
    /// The further fields given (`hte_Street`, …, `hte_Longitude`), by name.
    pub fn further(&self) -> BTreeMap<String, String> {
        let values =
            [&self.hte_street, &self.hte_state, &self.hte_postal_code, &self.hte_latitude, &self.hte_longitude];
        FURTHER_EVENT_FIELDS
            .iter()
            .zip(values)
            .filter_map(|(name, value)| value.as_ref().map(|v| ((*name).to_owned(), v.clone())))
            .collect()
    }

    fn set_further(&mut self, fields: &BTreeMap<String, String>) {
        let get = |name: &str| fields.get(name).cloned();
        self.hte_street = get("hte_Street");
        self.hte_state = get("hte_State");
        self.hte_postal_code = get("hte_PostalCode");
        self.hte_latitude = get("hte_Latitude");
        self.hte_longitude = get("hte_Longitude");
    }
}

/// A latitude (`hte_Latitude`) or longitude (`hte_Longitude`) as written: a decimal number of degrees in
/// range (-90 to 90, -180 to 180). Gives the text trimmed, or why it is not one.
pub fn coordinate(field: &str, text: &str) -> Result<String, String> {
    let (what, limit) = if field == "hte_Latitude" { ("latitude", 90.0) } else { ("longitude", 180.0) };
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(text.to_owned()),
        _ => Err(format!("{text:?} is not a {what}: a number of degrees from -{limit} to {limit}")),
    }
}

fn deserialize_coordinate<'de, D: serde::Deserializer<'de>>(field: &str, d: D) -> Result<Option<String>, D::Error> {
    let text = match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => return Err(serde::de::Error::custom(format!("expected a number, found {other}"))),
    };
    coordinate(field, &text).map(Some).map_err(serde::de::Error::custom)
}

fn deserialize_latitude<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    deserialize_coordinate("hte_Latitude", d)
}

fn deserialize_longitude<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    deserialize_coordinate("hte_Longitude", d)
}

/// The further fields of one imported event (street, state, postal code, latitude, longitude), with the
/// event's type, date, country and place as imported: they are written back with the case's event that
/// still has these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportedEvent {
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<CalendarDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// By field name ([`FURTHER_EVENT_FIELDS`]), as written.
    pub fields: BTreeMap<String, String>,
}

/// A place compared without regard to surrounding and repeated spaces (as normalising a registration
/// writes it).
fn place_key(place: Option<&str>) -> String {
    place.unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two events are the same to Haven: the same type, date, country and place.
fn same_event(a: &HtcdsEvent, b: &HtcdsEvent) -> bool {
    a.hte_type == b.hte_type
        && a.hte_date == b.hte_date
        && a.hte_country == b.hte_country
        && place_key(a.hte_city.as_deref()) == place_key(b.hte_city.as_deref())
}

impl ImportedEvent {
    /// Whether `event` is the event these fields came with: the same type, date, country and place.
    fn belongs_to(&self, event: &HtcdsEvent) -> bool {
        self.kind == event.hte_type
            && self.date == event.hte_date
            && self.country == event.hte_country
            && place_key(self.place.as_deref()) == place_key(event.hte_city.as_deref())
    }
}

/// A case as one flat HTCDS v2.0 document. Field names are the HTCDS ones; `x_haven_` fields are Haven
/// extensions; `hte` holds the related Historic Trafficking Events records. Absent, empty and false values
/// are left out of JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HtcdsCase {
    /// The organisation that owns the case (its Haven id).
    #[serde(rename = "cas_CaseOwner", skip_serializing_if = "Option::is_none")]
    pub cas_case_owner: Option<String>,
    #[serde(rename = "x_haven_case_reference", skip_serializing_if = "Option::is_none")]
    pub x_haven_case_reference: Option<String>,
    #[serde(rename = "vic_TraffickingStatus", skip_serializing_if = "Option::is_none")]
    pub vic_trafficking_status: Option<TraffickingStatus>,
    /// The exact NRM status.
    #[serde(rename = "x_haven_status", skip_serializing_if = "Option::is_none")]
    pub x_haven_status: Option<NrmStatus>,
    /// Who decided the trafficking status, when the status was recorded in another system.
    #[serde(rename = "vic_TraffickingStatusDecisionMakingOrg", skip_serializing_if = "Option::is_none")]
    pub vic_trafficking_status_decision_making_org: Option<DecisionMakingOrg>,

    #[serde(rename = "prs_FirstName", skip_serializing_if = "Option::is_none")]
    pub prs_first_name: Option<String>,
    #[serde(rename = "prs_SecondName", skip_serializing_if = "Option::is_none")]
    pub prs_second_name: Option<String>,
    #[serde(rename = "x_haven_aliases", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_aliases: Vec<String>,
    #[serde(rename = "x_haven_previous_family_names", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_previous_family_names: Vec<String>,
    #[serde(rename = "prs_Birthdate", skip_serializing_if = "Option::is_none")]
    pub prs_birthdate: Option<CalendarDate>,
    #[serde(rename = "x_haven_dob_verified", skip_serializing_if = "is_false")]
    pub x_haven_dob_verified: bool,
    #[serde(rename = "x_haven_age_estimate", skip_serializing_if = "Option::is_none")]
    pub x_haven_age_estimate: Option<AgeRange>,
    #[serde(rename = "x_haven_reasons_to_believe_child", skip_serializing_if = "is_false")]
    pub x_haven_reasons_to_believe_child: bool,
    #[serde(rename = "x_haven_age_assessments", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_age_assessments: Vec<AgeAssessment>,
    #[serde(rename = "prs_Gender", with = "htcds_opt", skip_serializing_if = "Option::is_none")]
    pub prs_gender: Option<Gender>,
    #[serde(rename = "x_haven_sex", skip_serializing_if = "Option::is_none")]
    pub x_haven_sex: Option<Sex>,
    #[serde(rename = "prs_Citizenship", skip_serializing_if = "Vec::is_empty")]
    pub prs_citizenship: Vec<CountryCode>,
    #[serde(rename = "prs_PrimaryLanguage", skip_serializing_if = "Option::is_none")]
    pub prs_primary_language: Option<String>,
    #[serde(rename = "prs_SecondaryLanguage", skip_serializing_if = "Option::is_none")]
    pub prs_secondary_language: Option<String>,
    /// Languages after the first two.
    #[serde(rename = "x_haven_other_languages", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_other_languages: Vec<String>,
    #[serde(rename = "x_haven_interpreter_needed", skip_serializing_if = "is_false")]
    pub x_haven_interpreter_needed: bool,
    #[serde(rename = "x_haven_safe_contact", skip_serializing_if = "Option::is_none")]
    pub x_haven_safe_contact: Option<String>,
    /// The number of the first identity document.
    #[serde(rename = "prs_IdentityNumber", skip_serializing_if = "Option::is_none")]
    pub prs_identity_number: Option<String>,
    #[serde(rename = "x_haven_identity_document_kind", skip_serializing_if = "Option::is_none")]
    pub x_haven_identity_document_kind: Option<DocumentKind>,
    #[serde(rename = "x_haven_identity_document_country", skip_serializing_if = "Option::is_none")]
    pub x_haven_identity_document_country: Option<CountryCode>,
    /// The documents after the first.
    #[serde(rename = "x_haven_other_documents", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_other_documents: Vec<IdentityDocument>,

    /// One value per distinct HTCDS type, in the order of the forms.
    #[serde(rename = "vic_TypeOfExploitation", skip_serializing_if = "Vec::is_empty")]
    pub vic_type_of_exploitation: Vec<ExploitationType>,
    /// The Haven forms, always written alongside `vic_TypeOfExploitation`.
    #[serde(rename = "x_haven_forms", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_forms: Vec<FormId>,
    #[serde(rename = "x_haven_other_form", skip_serializing_if = "Option::is_none")]
    pub x_haven_other_form: Option<String>,
    #[serde(rename = "vic_ForcedLabourIndustry", with = "htcds_opt", skip_serializing_if = "Option::is_none")]
    pub vic_forced_labour_industry: Option<Industry>,
    #[serde(rename = "x_haven_acts", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_acts: Vec<Act>,
    #[serde(rename = "x_haven_means", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_means: Vec<Means>,
    #[serde(rename = "vic_MethodsOfControl", with = "htcds_list", skip_serializing_if = "Vec::is_empty")]
    pub vic_methods_of_control: Vec<MethodOfControl>,
    /// Haven records one method; a document may give several (all are kept, see [`HtcdsImported`]).
    #[serde(rename = "vic_MethodOfRecruitment", with = "htcds_list", skip_serializing_if = "Vec::is_empty")]
    pub vic_method_of_recruitment: Vec<RecruitmentMethod>,
    #[serde(rename = "vic_RecruitmentWebsitesAndApps", with = "htcds_list", skip_serializing_if = "Vec::is_empty")]
    pub vic_recruitment_websites_and_apps: Vec<OnlinePlatform>,
    #[serde(rename = "vic_RelationshipToTrafficker", skip_serializing_if = "Option::is_none")]
    pub vic_relationship_to_trafficker: Option<HtcdsRelationship>,
    /// The exact Haven relationship, always written alongside `vic_RelationshipToTrafficker`.
    #[serde(rename = "x_haven_relationship_to_trafficker", skip_serializing_if = "Option::is_none")]
    pub x_haven_relationship_to_trafficker: Option<RelationshipToTrafficker>,
    #[serde(rename = "x_haven_vulnerabilities", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_vulnerabilities: Vec<Vulnerability>,
    #[serde(rename = "x_haven_consent_to_exploitation", skip_serializing_if = "Option::is_none")]
    pub x_haven_consent_to_exploitation: Option<bool>,

    /// Historic Trafficking Events.
    #[serde(rename = "hte", skip_serializing_if = "Vec::is_empty")]
    pub hte: Vec<HtcdsEvent>,

    /// Whether consent to assistance and referral to support was given (Haven's `support_consent`).
    #[serde(rename = "con_Consent", skip_serializing_if = "Option::is_none")]
    pub con_consent: Option<bool>,
    #[serde(rename = "x_haven_consent_date", skip_serializing_if = "Option::is_none")]
    pub x_haven_consent_date: Option<CalendarDate>,
    #[serde(rename = "x_haven_consent_language", skip_serializing_if = "Option::is_none")]
    pub x_haven_consent_language: Option<String>,
    #[serde(rename = "x_haven_consent_informed_by", skip_serializing_if = "Option::is_none")]
    pub x_haven_consent_informed_by: Option<String>,
    /// Consent to share identifying data with another organisation or country (HTCDS has no field).
    #[serde(rename = "x_haven_data_sharing_consent", skip_serializing_if = "Option::is_none")]
    pub x_haven_data_sharing_consent: Option<Consent>,

    #[serde(rename = "x_haven_guardian_name", skip_serializing_if = "Option::is_none")]
    pub x_haven_guardian_name: Option<String>,
    #[serde(rename = "x_haven_guardian_organisation", skip_serializing_if = "Option::is_none")]
    pub x_haven_guardian_organisation: Option<String>,
    #[serde(rename = "x_haven_guardian_appointed_on", skip_serializing_if = "Option::is_none")]
    pub x_haven_guardian_appointed_on: Option<CalendarDate>,

    #[serde(rename = "x_haven_indicators", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_indicators: Vec<IndicatorAnswers>,
    #[serde(rename = "x_haven_narrative", skip_serializing_if = "Option::is_none")]
    pub x_haven_narrative: Option<Narrative>,

    /// The standard's fields that Haven has no place for (`prs_Email`, `cas_Status`, `cas_Referred…`, …), as
    /// written: picklist values by their value names, lists joined with `;`. Kept with the case
    /// ([`HtcdsImported::remainder`]) and written back on export.
    #[serde(skip)]
    pub remainder: BTreeMap<String, String>,
}

/// What a case imported from another HTCDS system brought that Haven does not record as its own: the
/// trafficking status and who decided it (history from the other system, not a decision taken in Haven),
/// the case owner there, the consent flag without the date, language and informant that make a Haven
/// consent, and the standard's fields Haven has no place for. Stored with the registration (encrypted),
/// shown on the case, and written back on export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HtcdsImported {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trafficking_status: Option<TraffickingStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_making_org: Option<DecisionMakingOrg>,
    /// `cas_CaseOwner` in the other system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_owner: Option<String>,
    /// `con_Consent` as the other system recorded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<bool>,
    /// The case reference in the Haven instance the file came from (`x_haven_case_reference`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The NRM status in the Haven instance the file came from (`x_haven_status`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub haven_status: Option<NrmStatus>,
    /// The standard's fields Haven has no place for, by field name, as written; also the document's own
    /// `vic_TypeOfExploitation` and `vic_MethodOfRecruitment` where Haven's forms and single method would
    /// not give them back exactly (`ChildLabour`, several methods).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub remainder: BTreeMap<String, String>,
    /// The further fields of the events (street, state, postal code, latitude, longitude), each with the
    /// event it came with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<ImportedEvent>,
}

impl HtcdsImported {
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Checks what a client sends or a file gives: field names of the standard, bounded text.
    pub fn normalise(self) -> Result<Self, ParseError> {
        if self.remainder.len() > 100 {
            return Err(ParseError::new("imported.remainder", "at most 100 fields"));
        }
        for (name, value) in &self.remainder {
            if standard_field(name).is_none() {
                return Err(ParseError::new(format!("imported.remainder.{name}"), "is not a field of HTCDS v2.0"));
            }
            if value.chars().count() > 10_000 || value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err(ParseError::new(
                    format!("imported.remainder.{name}"),
                    "at most 10000 characters, without control characters",
                ));
            }
        }
        if self.events.len() > 50 {
            return Err(ParseError::new("imported.events", "at most 50 events"));
        }
        for (i, event) in self.events.iter().enumerate() {
            for (name, value) in &event.fields {
                let field = format!("imported.events[{i}].{name}");
                if !FURTHER_EVENT_FIELDS.contains(&name.as_str()) {
                    return Err(ParseError::new(field, "is not a further field of an HTCDS event"));
                }
                if value.chars().count() > 300 || value.chars().any(char::is_control) {
                    return Err(ParseError::new(field, "at most 300 characters on one line"));
                }
                if name == "hte_Latitude" || name == "hte_Longitude" {
                    coordinate(name, value).map_err(|message| ParseError::new(field, message))?;
                }
            }
            if event.place.as_ref().is_some_and(|p| p.chars().count() > 300 || p.chars().any(char::is_control)) {
                return Err(ParseError::new(
                    format!("imported.events[{i}].place"),
                    "at most 300 characters on one line",
                ));
            }
        }
        for (field, value) in [("imported.case_owner", &self.case_owner), ("imported.reference", &self.reference)] {
            if let Some(v) = value
                && (v.chars().count() > 200 || v.chars().any(char::is_control))
            {
                return Err(ParseError::new(field, "at most 200 characters on one line"));
            }
        }
        Ok(self)
    }
}

htcds_picklist! {
    /// HTCDS `cas_Status`: whether the case is open or closed in the organisation that writes it.
    pub enum CaseStatus in "cas_Status" {
        Active => "Active",
        FollowUp => "FollowUp",
        Closed => "Closed",
        ClosedReferred => "ClosedReferred",
    }
}

impl CaseStatus {
    fn is_closed(self) -> bool {
        matches!(self, Self::Closed | Self::ClosedReferred)
    }
}

htcds_picklist! {
    /// HTCDS `cas_ReasonForOutgoingReferral` and `cas_ReasonForIncomingReferral` (the two lists are the same).
    pub enum ReferralReason in "cas_ReasonForOutgoingReferral" {
        AdditionalServicesRequired => "AdditionalServicesRequired",
        MigrationOrChangeOfLocation => "MigrationOrChangeOfLocation",
        Other => "Other",
    }
}

/// A referral of the case between organisations, as HTCDS writes it (`cas_Referred…`/`cas_Outgoing…` for a
/// referral the writing organisation made, `cas_Referring…`/`cas_Incoming…` for one it received).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtcdsReferral {
    /// The other organisation (its name).
    pub organisation: String,
    /// Outgoing: the day it was sent; incoming: the day it was accepted.
    pub date: Option<CalendarDate>,
    pub reason: Option<ReferralReason>,
    /// The message that went with the referral.
    pub details: Option<String>,
    /// The other organisation's case worker, where the writer may know them.
    pub case_worker: Option<String>,
}

/// The outgoing referral fields: organisation, date, reason, details, case worker.
const OUTGOING_REFERRAL_FIELDS: [&str; 5] = [
    "cas_ReferredOrganisation",
    "cas_OutgoingReferralDate",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDetails",
    "cas_ReferredPrimaryCaseWorker",
];
/// The incoming referral fields: organisation, date, reason, details, case worker.
const INCOMING_REFERRAL_FIELDS: [&str; 5] = [
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferringPrimaryCaseWorker",
];

/// What a case adds to its registration in an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMeta {
    /// The case reference (`x_haven_case_reference`).
    pub reference: Option<String>,
    /// The organisation that owns the case (`cas_CaseOwner`).
    pub owner: Option<String>,
    /// The NRM status (`vic_TraffickingStatus` and `x_haven_status`).
    pub status: Option<NrmStatus>,
    /// Whether the case is open (`Active`) or closed (`Closed`) in Haven (`cas_Status`).
    #[serde(default)]
    pub case_status: Option<CaseStatus>,
    /// The latest referral of the case the writing organisation made (`cas_Referred…`, `cas_Outgoing…`).
    #[serde(default)]
    pub outgoing_referral: Option<HtcdsReferral>,
    /// The latest referral of the case the writing organisation accepted (`cas_Referring…`, `cas_Incoming…`).
    #[serde(default)]
    pub incoming_referral: Option<HtcdsReferral>,
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// The HTCDS types of `forms`, one per distinct type, in the order of the forms.
fn exploitation_types(forms: &[FormId]) -> Vec<ExploitationType> {
    let mut types = Vec::new();
    for t in forms.iter().map(ExploitationType::from_form) {
        if !types.contains(&t) {
            types.push(t);
        }
    }
    types
}

/// The registration and case data as one HTCDS document. Nothing is lost: [`from_htcds`] gives a normalised
/// registration back unchanged (an empty text or list item, which normalising removes, reads back as absent
/// from CSV).
pub fn to_htcds(reg: &Registration, meta: &CaseMeta) -> HtcdsCase {
    let mut doc = haven_document(reg, meta);
    if let Some(imported) = &reg.imported {
        merge_imported(&mut doc, imported, meta);
    }
    write_case_fields(&mut doc, meta);
    doc
}

/// Writes Haven's own case status and referrals over what an import kept. The status: an imported value
/// stays while it says the same as Haven (open: `Active` or `FollowUp`; closed: `Closed` or
/// `ClosedReferred`), else Haven's. A referral of Haven's replaces the imported referral of the same
/// direction whole, so that the fields of two referrals are never mixed.
fn write_case_fields(doc: &mut HtcdsCase, meta: &CaseMeta) {
    if let Some(status) = meta.case_status {
        let kept = doc.remainder.get("cas_Status").and_then(|v| CaseStatus::from_htcds(v).ok());
        if kept.is_none_or(|kept| kept.is_closed() != status.is_closed()) {
            doc.remainder.insert("cas_Status".to_owned(), status.htcds().to_owned());
        }
    }
    for (referral, fields) in
        [(&meta.outgoing_referral, OUTGOING_REFERRAL_FIELDS), (&meta.incoming_referral, INCOMING_REFERRAL_FIELDS)]
    {
        let Some(r) = referral else { continue };
        let values = [
            Some(r.organisation.clone()),
            r.date.map(|d| d.to_string()),
            r.reason.map(|reason| reason.htcds().to_owned()),
            r.details.clone(),
            r.case_worker.clone(),
        ];
        for (field, value) in fields.into_iter().zip(values) {
            match value.filter(|v| !v.is_empty()) {
                Some(v) => doc.remainder.insert(field.to_owned(), v),
                None => doc.remainder.remove(field),
            };
        }
    }
}

/// The Haven forms an HTCDS type list stands for (`ChildLabour` and `ForcedLabour` both forced labour).
fn haven_forms_of(types: &[ExploitationType]) -> BTreeSet<&'static str> {
    types.iter().map(|t| t.haven_form()).collect()
}

fn split_names(value: &str) -> Vec<&str> {
    value.split(';').map(str::trim).filter(|v| !v.is_empty()).collect()
}

/// Writes back what an imported case brought: the other system's status, decision-making organisation, case
/// owner and consent where Haven has none of its own, the document's exact exploitation types and recruitment
/// methods while Haven's data still agree with them, and the fields Haven has no place for.
fn merge_imported(doc: &mut HtcdsCase, imported: &HtcdsImported, meta: &CaseMeta) {
    if meta.status.is_none() {
        doc.vic_trafficking_status = imported.trafficking_status;
        doc.vic_trafficking_status_decision_making_org = imported.decision_making_org;
    }
    if doc.cas_case_owner.is_none() {
        doc.cas_case_owner.clone_from(&imported.case_owner);
    }
    if doc.con_consent.is_none() {
        doc.con_consent = imported.consent;
    }
    // Each event's further fields go back with the event they came with, while it is still the case's.
    let mut unused: Vec<&ImportedEvent> = imported.events.iter().collect();
    for event in &mut doc.hte {
        if let Some(at) = unused.iter().position(|i| i.belongs_to(event)) {
            event.set_further(&unused.remove(at).fields);
        }
    }
    for (name, value) in &imported.remainder {
        match name.as_str() {
            "vic_TypeOfExploitation" => {
                let types: Result<Vec<ExploitationType>, _> =
                    split_names(value).into_iter().map(ExploitationType::from_htcds).collect();
                if let Ok(types) = types
                    && haven_forms_of(&types) == haven_forms_of(&doc.vic_type_of_exploitation)
                {
                    doc.vic_type_of_exploitation = types;
                }
            }
            "vic_MethodOfRecruitment" => {
                let methods: Result<Vec<RecruitmentMethod>, _> =
                    split_names(value).into_iter().map(RecruitmentMethod::parse_htcds).collect();
                if let Ok(methods) = methods
                    && methods.first() == doc.vic_method_of_recruitment.first()
                {
                    doc.vic_method_of_recruitment = methods;
                }
            }
            _ => {
                doc.remainder.insert(name.clone(), value.clone());
            }
        }
    }
}

/// A document read from a file as the registration to store: [`from_htcds`], with what Haven does not record
/// as its own kept in [`Registration::imported`] (see [`HtcdsImported`]).
pub fn import_case(doc: &HtcdsCase) -> Result<Registration, ParseError> {
    let (mut reg, _) = from_htcds(doc)?;
    let mut imported = HtcdsImported {
        trafficking_status: doc.vic_trafficking_status,
        decision_making_org: doc.vic_trafficking_status_decision_making_org,
        case_owner: doc.cas_case_owner.clone(),
        consent: if reg.support_consent.is_none() { doc.con_consent } else { None },
        reference: doc.x_haven_case_reference.clone(),
        haven_status: doc.x_haven_status,
        remainder: doc.remainder.clone(),
        // An event without further fields is kept too (with none) when another event of the same
        // type, date, country and place has some: the fields go back in order, so each to its own.
        events: doc
            .hte
            .iter()
            .filter(|e| doc.hte.iter().any(|o| same_event(o, e) && !o.further().is_empty()))
            .map(|e| ImportedEvent {
                kind: e.hte_type,
                date: e.hte_date,
                country: e.hte_country,
                place: e.hte_city.clone(),
                fields: e.further(),
            })
            .collect(),
    };
    if exploitation_types(&reg.context.forms) != doc.vic_type_of_exploitation {
        let names: Vec<&str> = doc.vic_type_of_exploitation.iter().map(|t| t.htcds()).collect();
        imported.remainder.insert("vic_TypeOfExploitation".to_owned(), names.join(";"));
    }
    if doc.vic_method_of_recruitment.len() > 1 {
        let names: Vec<&str> = doc.vic_method_of_recruitment.iter().map(|m| m.htcds()).collect();
        imported.remainder.insert("vic_MethodOfRecruitment".to_owned(), names.join(";"));
    }
    reg.imported = (!imported.is_empty()).then_some(imported);
    Ok(reg)
}

fn haven_document(reg: &Registration, meta: &CaseMeta) -> HtcdsCase {
    let p = &reg.person;
    let c = &reg.context;
    let first_document = p.documents.first();
    HtcdsCase {
        cas_case_owner: meta.owner.clone(),
        x_haven_case_reference: meta.reference.clone(),
        vic_trafficking_status: meta.status.and_then(TraffickingStatus::from_nrm),
        x_haven_status: meta.status,
        vic_trafficking_status_decision_making_org: None,

        prs_first_name: non_empty(&p.given_names),
        prs_second_name: non_empty(&p.family_names),
        x_haven_aliases: p.aliases.clone(),
        x_haven_previous_family_names: p.previous_family_names.clone(),
        prs_birthdate: p.date_of_birth,
        x_haven_dob_verified: p.dob_verified,
        x_haven_age_estimate: p.age_estimate,
        x_haven_reasons_to_believe_child: p.reasons_to_believe_child,
        x_haven_age_assessments: p.age_assessments.clone(),
        prs_gender: Some(p.gender),
        x_haven_sex: Some(p.sex),
        prs_citizenship: p.citizenships.clone(),
        prs_primary_language: p.languages.first().cloned(),
        prs_secondary_language: p.languages.get(1).cloned(),
        x_haven_other_languages: p.languages.iter().skip(2).cloned().collect(),
        x_haven_interpreter_needed: p.interpreter_needed,
        x_haven_safe_contact: p.safe_contact.clone(),
        prs_identity_number: first_document.map(|d| d.number.clone()),
        x_haven_identity_document_kind: first_document.map(|d| d.kind),
        x_haven_identity_document_country: first_document.and_then(|d| d.issuing_country),
        x_haven_other_documents: p.documents.iter().skip(1).cloned().collect(),

        vic_type_of_exploitation: exploitation_types(&c.forms),
        x_haven_forms: c.forms.clone(),
        x_haven_other_form: c.other_form.clone(),
        vic_forced_labour_industry: c.forced_labour_industry,
        x_haven_acts: c.acts.iter().copied().collect(),
        x_haven_means: c.means.iter().copied().collect(),
        vic_methods_of_control: c.methods_of_control.iter().copied().collect(),
        vic_method_of_recruitment: c.recruitment_method.into_iter().collect(),
        vic_recruitment_websites_and_apps: c.online_platforms.iter().copied().collect(),
        vic_relationship_to_trafficker: c.relationship_to_trafficker.and_then(HtcdsRelationship::from_haven),
        x_haven_relationship_to_trafficker: c.relationship_to_trafficker,
        x_haven_vulnerabilities: c.vulnerabilities.iter().copied().collect(),
        x_haven_consent_to_exploitation: c.consent_to_exploitation,

        hte: c
            .events
            .iter()
            .map(|e| HtcdsEvent {
                hte_type: e.kind,
                hte_date: e.date,
                hte_country: e.country,
                hte_city: e.place.clone(),
                hte_description: e.description.clone(),
                hte_street: None,
                hte_state: None,
                hte_postal_code: None,
                hte_latitude: None,
                hte_longitude: None,
            })
            .collect(),

        con_consent: reg.support_consent.as_ref().map(|c| c.given),
        x_haven_consent_date: reg.support_consent.as_ref().map(|c| c.date),
        x_haven_consent_language: reg.support_consent.as_ref().map(|c| c.language.clone()),
        x_haven_consent_informed_by: reg.support_consent.as_ref().map(|c| c.informed_by.clone()),
        x_haven_data_sharing_consent: reg.data_sharing_consent.clone(),

        x_haven_guardian_name: reg.guardian.as_ref().map(|g| g.name.clone()),
        x_haven_guardian_organisation: reg.guardian.as_ref().map(|g| g.organisation.clone()),
        x_haven_guardian_appointed_on: reg.guardian.as_ref().map(|g| g.appointed_on),

        x_haven_indicators: reg.indicators.clone(),
        x_haven_narrative: reg.narrative.clone(),
        remainder: BTreeMap::new(),
    }
}

/// Refuses a group of fields that is given in part, naming the first missing field.
fn all_or_none(group: &str, fields: &[(&str, bool)]) -> Result<(), ParseError> {
    if fields.iter().all(|(_, present)| !*present) {
        return Ok(());
    }
    match fields.iter().find(|(_, present)| !*present) {
        None => Ok(()),
        Some((missing, _)) => {
            let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
            Err(ParseError::new(
                *missing,
                format!("missing: {group} needs {} together (or none of them)", names.join(", ")),
            ))
        }
    }
}

fn mismatch(field: &str, extension: &str, expected: &str) -> ParseError {
    ParseError::new(
        field,
        format!("does not agree with {extension} (which gives {expected}); correct both, or remove {extension}"),
    )
}

/// The HTCDS document as a registration and case data. Codes and dates are checked; free text is not
/// (run [`Registration::normalise`] next). Errors name the HTCDS field.
///
/// Without `x_haven_` fields the HTCDS fields alone give the registration: `vic_TypeOfExploitation`
/// gives the forms (see [`ExploitationType::haven_form`]), `vic_TraffickingStatus` the status, and
/// `prs_IdentityNumber` a document of kind "other". `con_Consent` alone does not make a Haven consent,
/// which needs its date, language and who informed the person: the consent is then left to be recorded.
/// When an extension and its HTCDS field are both given they must agree.
pub fn from_htcds(doc: &HtcdsCase) -> Result<(Registration, CaseMeta), ParseError> {
    let status = match doc.x_haven_status {
        Some(status) => {
            let expected = TraffickingStatus::from_nrm(status);
            if doc.vic_trafficking_status != expected {
                return Err(mismatch(
                    "vic_TraffickingStatus",
                    "x_haven_status",
                    expected.map_or("no value", TraffickingStatus::htcds),
                ));
            }
            Some(status)
        }
        None => doc.vic_trafficking_status.map(TraffickingStatus::nrm_status),
    };
    let meta = CaseMeta {
        reference: doc.x_haven_case_reference.clone(),
        owner: doc.cas_case_owner.clone(),
        status,
        ..CaseMeta::default()
    };

    let mut languages = Vec::new();
    if let Some(l) = &doc.prs_primary_language {
        languages.push(parse_language("prs_PrimaryLanguage", l)?);
    }
    if let Some(l) = &doc.prs_secondary_language {
        languages.push(parse_language("prs_SecondaryLanguage", l)?);
    }
    for (i, l) in doc.x_haven_other_languages.iter().enumerate() {
        languages.push(parse_language(&format!("x_haven_other_languages[{i}]"), l)?);
    }

    let mut documents = Vec::new();
    match &doc.prs_identity_number {
        Some(number) => documents.push(IdentityDocument {
            kind: doc.x_haven_identity_document_kind.unwrap_or(DocumentKind::Other),
            number: number.clone(),
            issuing_country: doc.x_haven_identity_document_country,
        }),
        None => {
            for (field, present) in [
                ("x_haven_identity_document_kind", doc.x_haven_identity_document_kind.is_some()),
                ("x_haven_identity_document_country", doc.x_haven_identity_document_country.is_some()),
            ] {
                if present {
                    return Err(ParseError::new(field, "given without prs_IdentityNumber"));
                }
            }
        }
    }
    documents.extend(doc.x_haven_other_documents.iter().cloned());

    let mut other_form = doc.x_haven_other_form.clone();
    let forms = if doc.x_haven_forms.is_empty() {
        let mut forms: Vec<FormId> = Vec::new();
        for t in &doc.vic_type_of_exploitation {
            let form = FormId::parse("vic_TypeOfExploitation", t.haven_form())?;
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
        if other_form.is_none()
            && doc.vic_type_of_exploitation.contains(&ExploitationType::ForcedMilitaryByNonStateActors)
        {
            other_form = Some(FORCED_MILITARY.to_owned());
        }
        forms
    } else {
        // The document's types agree when they stand for the same Haven forms (`ChildLabour` kept from an
        // earlier import agrees with forced labour).
        let expected: Vec<ExploitationType> = exploitation_types(&doc.x_haven_forms);
        if haven_forms_of(&expected) != haven_forms_of(&doc.vic_type_of_exploitation) {
            let expected: Vec<&str> = expected.iter().map(|t| t.htcds()).collect();
            return Err(mismatch("vic_TypeOfExploitation", "x_haven_forms", &expected.join(";")));
        }
        doc.x_haven_forms.clone()
    };

    let relationship_to_trafficker = match doc.x_haven_relationship_to_trafficker {
        Some(r) => {
            let expected = HtcdsRelationship::from_haven(r);
            if doc.vic_relationship_to_trafficker != expected {
                return Err(mismatch(
                    "vic_RelationshipToTrafficker",
                    "x_haven_relationship_to_trafficker",
                    expected.map_or("no value", HtcdsRelationship::htcds),
                ));
            }
            Some(r)
        }
        None => doc.vic_relationship_to_trafficker.map(HtcdsRelationship::haven),
    };

    let consent_fields = [
        ("x_haven_consent_date", doc.x_haven_consent_date.is_some()),
        ("x_haven_consent_language", doc.x_haven_consent_language.is_some()),
        ("x_haven_consent_informed_by", doc.x_haven_consent_informed_by.is_some()),
    ];
    all_or_none("a consent", &consent_fields)?;
    let consent = match (
        doc.con_consent,
        doc.x_haven_consent_date,
        &doc.x_haven_consent_language,
        &doc.x_haven_consent_informed_by,
    ) {
        (Some(given), Some(date), Some(language), Some(informed_by)) => Some(Consent {
            given,
            date,
            language: parse_language("x_haven_consent_language", language)?,
            informed_by: informed_by.clone(),
        }),
        (None, Some(_), _, _) => {
            return Err(ParseError::new("con_Consent", "missing, though x_haven_consent_date is given"));
        }
        _ => None,
    };

    let guardian_fields = [
        ("x_haven_guardian_name", doc.x_haven_guardian_name.is_some()),
        ("x_haven_guardian_organisation", doc.x_haven_guardian_organisation.is_some()),
        ("x_haven_guardian_appointed_on", doc.x_haven_guardian_appointed_on.is_some()),
    ];
    all_or_none("a guardian", &guardian_fields)?;
    let guardian =
        match (&doc.x_haven_guardian_name, &doc.x_haven_guardian_organisation, doc.x_haven_guardian_appointed_on) {
            (Some(name), Some(organisation), Some(appointed_on)) => {
                Some(Guardian { appointed_on, name: name.clone(), organisation: organisation.clone() })
            }
            _ => None,
        };

    let person = PersonDetails {
        given_names: doc.prs_first_name.clone().unwrap_or_default(),
        family_names: doc.prs_second_name.clone().unwrap_or_default(),
        aliases: doc.x_haven_aliases.clone(),
        previous_family_names: doc.x_haven_previous_family_names.clone(),
        date_of_birth: doc.prs_birthdate,
        dob_verified: doc.x_haven_dob_verified,
        age_estimate: doc.x_haven_age_estimate,
        reasons_to_believe_child: doc.x_haven_reasons_to_believe_child,
        age_assessments: doc.x_haven_age_assessments.clone(),
        sex: doc.x_haven_sex.unwrap_or(Sex::Unknown),
        gender: doc.prs_gender.unwrap_or(Gender::Unknown),
        citizenships: doc.prs_citizenship.clone(),
        languages,
        interpreter_needed: doc.x_haven_interpreter_needed,
        safe_contact: doc.x_haven_safe_contact.clone(),
        documents,
    };
    let context = TraffickingContext {
        acts: doc.x_haven_acts.iter().copied().collect(),
        means: doc.x_haven_means.iter().copied().collect(),
        methods_of_control: doc.vic_methods_of_control.iter().copied().collect(),
        forms,
        forced_labour_industry: doc.vic_forced_labour_industry,
        other_form,
        events: doc
            .hte
            .iter()
            .map(|e| TraffickingEvent {
                kind: e.hte_type,
                date: e.hte_date,
                country: e.hte_country,
                place: e.hte_city.clone(),
                description: e.hte_description.clone(),
            })
            .collect(),
        recruitment_method: doc.vic_method_of_recruitment.first().copied(),
        online_platforms: doc.vic_recruitment_websites_and_apps.iter().copied().collect(),
        relationship_to_trafficker,
        vulnerabilities: doc.x_haven_vulnerabilities.iter().copied().collect(),
        consent_to_exploitation: doc.x_haven_consent_to_exploitation,
    };
    let data_sharing_consent = match &doc.x_haven_data_sharing_consent {
        Some(c) => Some(Consent {
            language: parse_language("x_haven_data_sharing_consent.language", &c.language)?,
            ..c.clone()
        }),
        None => None,
    };
    let registration = Registration {
        person,
        context,
        indicators: doc.x_haven_indicators.clone(),
        support_consent: consent,
        data_sharing_consent,
        guardian,
        narrative: doc.x_haven_narrative.clone(),
        imported: None,
    };
    Ok((registration, meta))
}

// ---------------------------------------------------------------------------------------------------------
// Reading a document, with errors that name the field.

/// Where a document failed: the top-level field, the path inside it (`[2]`, `[0].hte_Date`), and why.
struct Failure {
    field: String,
    inner: String,
    message: String,
}

impl Failure {
    fn at(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), inner: String::new(), message: message.into() }
    }
}

/// The fields [`HtcdsCase`] holds itself, by their names in a document.
const DOCUMENT_FIELDS: &[&str] = &[
    "cas_CaseOwner",
    "x_haven_case_reference",
    "vic_TraffickingStatus",
    "x_haven_status",
    "vic_TraffickingStatusDecisionMakingOrg",
    "prs_FirstName",
    "prs_SecondName",
    "x_haven_aliases",
    "x_haven_previous_family_names",
    "prs_Birthdate",
    "x_haven_dob_verified",
    "x_haven_age_estimate",
    "x_haven_reasons_to_believe_child",
    "x_haven_age_assessments",
    "prs_Gender",
    "x_haven_sex",
    "prs_Citizenship",
    "prs_PrimaryLanguage",
    "prs_SecondaryLanguage",
    "x_haven_other_languages",
    "x_haven_interpreter_needed",
    "x_haven_safe_contact",
    "prs_IdentityNumber",
    "x_haven_identity_document_kind",
    "x_haven_identity_document_country",
    "x_haven_other_documents",
    "vic_TypeOfExploitation",
    "x_haven_forms",
    "x_haven_other_form",
    "vic_ForcedLabourIndustry",
    "x_haven_acts",
    "x_haven_means",
    "vic_MethodsOfControl",
    "vic_MethodOfRecruitment",
    "vic_RecruitmentWebsitesAndApps",
    "vic_RelationshipToTrafficker",
    "x_haven_relationship_to_trafficker",
    "x_haven_vulnerabilities",
    "x_haven_consent_to_exploitation",
    "hte",
    "con_Consent",
    "x_haven_consent_date",
    "x_haven_consent_language",
    "x_haven_consent_informed_by",
    "x_haven_data_sharing_consent",
    "x_haven_guardian_name",
    "x_haven_guardian_organisation",
    "x_haven_guardian_appointed_on",
    "x_haven_indicators",
    "x_haven_narrative",
];

/// The JSON key of the section that holds Haven's extension fields, apart from the standard's.
pub const HAVEN_SECTION: &str = "x_haven";

fn parse_only(key: &str, value: Value) -> Result<HtcdsCase, serde_json::Error> {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    serde_json::from_value(Value::Object(map))
}

/// Finds the field (and the list item and nested field) that made a document fail, by reading the fields
/// one at a time: every field is optional, so a field read alone fails only when its value is wrong.
fn locate(map: &Map<String, Value>) -> Option<Failure> {
    for (key, value) in map {
        let Err(error) = parse_only(key, value.clone()) else { continue };
        if let Value::Array(items) = value {
            for (j, item) in items.iter().enumerate() {
                let Err(item_error) = parse_only(key, Value::Array(vec![item.clone()])) else { continue };
                let mut inner = format!("[{j}]");
                if let Value::Object(fields) = item {
                    let culprit = fields.keys().find(|name| {
                        let mut without = fields.clone();
                        without.remove(*name);
                        match parse_only(key, Value::Array(vec![Value::Object(without)])) {
                            Ok(_) => true,
                            Err(e) => e.to_string().contains(&format!("missing field `{name}`")),
                        }
                    });
                    if let Some(name) = culprit {
                        inner = format!("[{j}].{name}");
                    }
                }
                return Some(Failure { field: key.clone(), inner, message: item_error.to_string() });
            }
        }
        return Some(Failure { field: key.clone(), inner: String::new(), message: error.to_string() });
    }
    None
}

/// A date as the standard writes it (`YYYY-MM-DD`), or as a spreadsheet stores it (a serial day number,
/// day 25569 being 1970-01-01) when `serials` is set.
fn parse_date_cell(field: &str, value: &str, serials: bool) -> Result<CalendarDate, ParseError> {
    let value = value.trim();
    if serials && let Ok(serial) = value.parse::<f64>() {
        // Whole days only: a time of day, if any, is not part of a date field.
        #[expect(clippy::cast_possible_truncation, reason = "serial day numbers are far inside i64")]
        let days = serial.floor() as i64 - 25_569;
        return CalendarDate::from_days(days)
            .ok_or_else(|| ParseError::new(field, format!("{value:?} is not a date the sheet can hold")));
    }
    CalendarDate::parse(field, value)
}

/// The value of one of the standard's fields that Haven has no place for, checked by the field's type:
/// picklist values by their name or label (kept by name), dates as `YYYY-MM-DD`, country names as codes.
fn remainder_value(field: &StandardField, value: &Value, serials: bool) -> Result<String, String> {
    let items: Vec<String> = match value {
        Value::String(s) => vec![s.clone()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(format!("expected text, found {other}")),
            })
            .collect::<Result<_, _>>()?,
        other => return Err(format!("expected text or a list of text, found {other}")),
    };
    let multi = field.kind.starts_with("Multiselect");
    let items: Vec<String> = if multi || items.len() > 1 {
        items.iter().flat_map(|i| split_names(i)).map(str::to_owned).collect()
    } else {
        items.into_iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect()
    };
    if items.len() > 1 && !multi {
        return Err("takes one value".to_owned());
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let has_codes = standard_codes(&field.name).next().is_some();
        let checked = if has_codes {
            standard_value(&field.name, &item).map(str::to_owned).ok_or_else(|| {
                let known: Vec<&str> = standard_codes(&field.name).map(|(v, _)| v).collect();
                format!("unknown HTCDS value {item:?}; expected one of {}", known.join(", "))
            })?
        } else if field.kind == "Date" {
            parse_date_cell(&field.name, &item, serials).map_err(|e| e.message)?.to_string()
        } else if field.kind == "Checkbox" {
            flag(&item)?.to_string()
        } else if field.name.ends_with("Country") {
            country_code(&item).map_or(item, |c| c.as_str().to_owned())
        } else {
            item
        };
        out.push(checked);
    }
    Ok(out.join(";"))
}

/// A checkbox as spreadsheets and people write it.
fn flag(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Ok(true),
        "false" | "no" | "n" | "0" => Ok(false),
        _ => Err(format!("{value:?} is neither true nor false")),
    }
}

/// Reads one document. Null values count as absent; Haven's section (`x_haven`) is read with the rest;
/// the standard's fields Haven has no place for go to [`HtcdsCase::remainder`]; other fields are refused.
fn case_from_map(mut map: Map<String, Value>, serials: bool) -> Result<HtcdsCase, Failure> {
    if let Some(section) = map.remove(HAVEN_SECTION) {
        match section {
            Value::Object(fields) => {
                for (key, value) in fields {
                    if !key.starts_with("x_haven_") {
                        return Err(Failure::at(HAVEN_SECTION, format!("{key} does not belong in this section")));
                    }
                    map.insert(key, value);
                }
            }
            Value::Null => {}
            _ => return Err(Failure::at(HAVEN_SECTION, "expected an object of x_haven_ fields")),
        }
    }
    map.retain(|_, v| !v.is_null());
    if let Some(value) = map.remove("vic_TraffickinStatusDecisionMakingOrg") {
        map.insert("vic_TraffickingStatusDecisionMakingOrg".to_owned(), value);
    }
    let mut remainder = BTreeMap::new();
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        if DOCUMENT_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let Some(field) = standard_field(&key).filter(|f| !f.name.starts_with("hte_")) else {
            return Err(Failure::at(
                &key,
                "is not a field of HTCDS v2.0 nor a Haven extension; remove it before import (fields are refused \
                 rather than dropped)",
            ));
        };
        let value = map.remove(&key).unwrap_or(Value::Null);
        let text = remainder_value(field, &value, serials).map_err(|m| Failure::at(&key, m))?;
        if !text.is_empty() {
            remainder.insert(field.name.clone(), text);
        }
    }
    let mut case: HtcdsCase = serde_json::from_value(Value::Object(map.clone())).map_err(|e| {
        locate(&map).unwrap_or(Failure { field: String::new(), inner: String::new(), message: e.to_string() })
    })?;
    case.remainder = remainder;
    Ok(case)
}

/// A document as a JSON object: the standard's fields (those Haven has no place for included), events as
/// `hte`, and Haven's extension fields apart in the `x_haven` section.
fn document_value(case: &HtcdsCase) -> Value {
    let Ok(Value::Object(map)) = serde_json::to_value(case) else { return Value::Null };
    let mut standard = Map::new();
    let mut haven = Map::new();
    for (key, value) in map {
        if key.starts_with("x_haven_") {
            haven.insert(key, value);
        } else {
            standard.insert(key, value);
        }
    }
    for (key, value) in &case.remainder {
        let multi = standard_field(key).is_some_and(|f| f.kind.starts_with("Multiselect"));
        let value = if multi {
            Value::Array(split_names(value).into_iter().map(|v| Value::String(v.to_owned())).collect())
        } else {
            Value::String(value.clone())
        };
        standard.insert(key.clone(), value);
    }
    if !haven.is_empty() {
        standard.insert(HAVEN_SECTION.to_owned(), Value::Object(haven));
    }
    Value::Object(standard)
}

// ---------------------------------------------------------------------------------------------------------
// JSON

/// The documents as a JSON array.
pub fn to_json(cases: &[HtcdsCase]) -> String {
    // Serialising these types cannot fail (strings, booleans, lists and structs of them). Should it ever,
    // the empty string returned is not JSON, so it cannot be read back as an empty export.
    serde_json::to_string_pretty(&cases.iter().map(document_value).collect::<Vec<_>>()).unwrap_or_default()
}

/// Reads a JSON array of documents. Every error is reported, each naming the array index and the field
/// path (`[3].prs_Birthdate`, `[0].hte[1].hte_Date`).
pub fn read_json(text: &str) -> Result<Vec<Located<HtcdsCase>>, Vec<ParseError>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| vec![ParseError::new("json", format!("not valid JSON: {e}"))])?;
    let Value::Array(items) = value else {
        return Err(vec![ParseError::new("json", "expected a JSON array of HTCDS documents")]);
    };
    let mut cases = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(map) = item else {
            errors.push(ParseError::new(format!("[{i}]"), "expected a JSON object (one HTCDS document)"));
            continue;
        };
        match case_from_map(map, false) {
            Ok(case) => cases.push(Located { place: format!("[{i}]"), value: case }),
            Err(f) => errors.push(ParseError::new(format!("[{i}].{}{}", f.field, f.inner), f.message)),
        }
    }
    if errors.is_empty() { Ok(cases) } else { Err(errors) }
}

/// Reads a JSON array of documents, stopping at the first error ([`read_json`] reports them all).
pub fn from_json(text: &str) -> Result<Vec<HtcdsCase>, ParseError> {
    first_error(read_json(text))
}

fn first_error(read: Result<Vec<Located<HtcdsCase>>, Vec<ParseError>>) -> Result<Vec<HtcdsCase>, ParseError> {
    match read {
        Ok(cases) => Ok(cases.into_iter().map(|c| c.value).collect()),
        Err(mut errors) => Err(if errors.is_empty() { ParseError::new("file", "refused") } else { errors.remove(0) }),
    }
}

/// A value read from a file with where it was found (`line 4`, `row 7`, `[2]`), for errors found later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub place: String,
    pub value: T,
}

/// Every document of a file as a registration to store ([`import_case`]). Every error is reported, each
/// naming where the document was found and the field.
pub fn import_all(cases: &[Located<HtcdsCase>]) -> Result<Vec<Registration>, Vec<ParseError>> {
    let mut out = Vec::with_capacity(cases.len());
    let mut errors = Vec::new();
    for case in cases {
        match import_case(&case.value) {
            Ok(reg) => out.push(reg),
            Err(e) => {
                let place = format!("{}, {}", case.place, e.field);
                errors.push(e.within(place));
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

// ---------------------------------------------------------------------------------------------------------
// Tables: CSV, and the sheets of the standard's Excel template

/// How a table cell holds a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// The text as is (codes, free text).
    Text,
    /// A date: `YYYY-MM-DD`, or a spreadsheet's date.
    Date,
    /// `true` or `false` (also `yes`, `no`, `1`, `0`; without regard to case).
    Flag,
    /// Items joined with `;`; a `;` or `\` inside an item is written `\;` or `\\`.
    List,
    /// Countries joined with `;`, by ISO 3166 code or by name.
    Countries,
    /// JSON text (nested records and lists of them).
    Json,
    /// One of the standard's fields that Haven has no place for (kept as written, see [`remainder_value`]).
    Remainder,
    /// A field of an event (`hte_`): a row of its own after the case's first row.
    Event,
}

/// The table columns, in order: the template's (in the template's order, the mailing address as its
/// labels have it), the other standard fields Haven maps, the events' fields, then Haven's own.
const COLUMNS: &[(&str, Cell)] = &[
    ("cas_CaseOwner", Cell::Text),
    ("prs_Salutation", Cell::Remainder),
    ("prs_FirstName", Cell::Text),
    ("prs_SecondName", Cell::Text),
    ("con_Consent", Cell::Flag),
    ("prs_Birthdate", Cell::Date),
    ("prs_Gender", Cell::Text),
    ("prs_Citizenship", Cell::Countries),
    ("prs_Title", Cell::Remainder),
    ("prs_Email", Cell::Remainder),
    ("prs_HomePhone", Cell::Remainder),
    ("prs_MobilePhone", Cell::Remainder),
    ("prs_MailingStreet", Cell::Remainder),
    ("prs_MailingCity", Cell::Remainder),
    ("prs_MailingState", Cell::Remainder),
    ("prs_MailingPostalCode", Cell::Remainder),
    ("prs_MailingCountry", Cell::Remainder),
    ("vic_TraffickingStatus", Cell::Text),
    ("vic_TraffickingStatusDecisionMakingOrg", Cell::Text),
    ("vic_MethodOfRecruitment", Cell::List),
    ("vic_LocationOfRecruitment", Cell::Remainder),
    ("vic_MethodsOfControl", Cell::List),
    ("vic_TypeOfExploitation", Cell::List),
    ("vic_ForcedLabourIndustry", Cell::Text),
    ("vic_TypeOfSexExploitation", Cell::Remainder),
    ("vic_LocationOfExploitation", Cell::Remainder),
    ("cas_Status", Cell::Remainder),
    ("cas_ReferringOrganisation", Cell::Remainder),
    ("cas_IncomingReferralDate", Cell::Remainder),
    ("cas_ReferringPrimaryCaseWorker", Cell::Remainder),
    ("cas_ReasonForIncomingReferral", Cell::Remainder),
    ("cas_IncomingReferralDetails", Cell::Remainder),
    ("cas_ReferredOrganisation", Cell::Remainder),
    ("cas_ReferredPrimaryCaseWorker", Cell::Remainder),
    ("cas_ReasonForOutgoingReferral", Cell::Remainder),
    ("cas_OutgoingReferralDate", Cell::Remainder),
    ("cas_OutgoingReferralDetails", Cell::Remainder),
    ("cas_ReasonForCaseClosure", Cell::Remainder),
    ("prs_PrimaryLanguage", Cell::Text),
    ("prs_SecondaryLanguage", Cell::Text),
    ("prs_IdentityNumber", Cell::Text),
    ("vic_RelationshipToTrafficker", Cell::Text),
    ("vic_RecruitmentWebsitesAndApps", Cell::List),
    ("hte_Type", Cell::Event),
    ("hte_Date", Cell::Event),
    ("hte_Country", Cell::Event),
    ("hte_City", Cell::Event),
    ("hte_Description", Cell::Event),
    ("hte_Street", Cell::Event),
    ("hte_State", Cell::Event),
    ("hte_PostalCode", Cell::Event),
    ("hte_Latitude", Cell::Event),
    ("hte_Longitude", Cell::Event),
    ("x_haven_case_reference", Cell::Text),
    ("x_haven_status", Cell::Text),
    ("x_haven_aliases", Cell::List),
    ("x_haven_previous_family_names", Cell::List),
    ("x_haven_dob_verified", Cell::Flag),
    ("x_haven_age_estimate", Cell::Json),
    ("x_haven_reasons_to_believe_child", Cell::Flag),
    ("x_haven_age_assessments", Cell::Json),
    ("x_haven_sex", Cell::Text),
    ("x_haven_other_languages", Cell::List),
    ("x_haven_interpreter_needed", Cell::Flag),
    ("x_haven_safe_contact", Cell::Text),
    ("x_haven_identity_document_kind", Cell::Text),
    ("x_haven_identity_document_country", Cell::Text),
    ("x_haven_other_documents", Cell::Json),
    ("x_haven_forms", Cell::List),
    ("x_haven_other_form", Cell::Text),
    ("x_haven_acts", Cell::List),
    ("x_haven_means", Cell::List),
    ("x_haven_relationship_to_trafficker", Cell::Text),
    ("x_haven_vulnerabilities", Cell::List),
    ("x_haven_consent_to_exploitation", Cell::Flag),
    ("x_haven_consent_date", Cell::Text),
    ("x_haven_consent_language", Cell::Text),
    ("x_haven_consent_informed_by", Cell::Text),
    ("x_haven_data_sharing_consent", Cell::Json),
    ("x_haven_guardian_name", Cell::Text),
    ("x_haven_guardian_organisation", Cell::Text),
    ("x_haven_guardian_appointed_on", Cell::Text),
    ("x_haven_indicators", Cell::Json),
    ("x_haven_narrative", Cell::Text),
];

const COLUMN_COUNT: usize = COLUMNS.len();

/// The table header: the standard's columns (every Core field, the template's first, in its order), the
/// events' fields, then Haven's extension fields. Reading accepts any order and any subset, and any other
/// field of the standard.
pub const CSV_HEADER: &[&str] = &{
    let mut names = [""; COLUMN_COUNT];
    let mut i = 0;
    while i < COLUMN_COUNT {
        names[i] = COLUMNS[i].0;
        i += 1;
    }
    names
};

/// The kind of cell of a column: one of [`COLUMNS`], or any other field of the standard (kept as written).
fn column_kind(name: &str) -> Option<(String, Cell)> {
    let name = canonical_field(name);
    if let Some(&(known, kind)) = COLUMNS.iter().find(|(c, _)| *c == name) {
        return Some((known.to_owned(), kind));
    }
    standard_field(name).filter(|f| !f.name.starts_with("hte_")).map(|f| (f.name.clone(), Cell::Remainder))
}

fn escape_item(item: &str) -> String {
    item.replace('\\', "\\\\").replace(';', "\\;")
}

/// Splits a list cell at the `;` that are not escaped.
fn split_list(cell: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => items.push(std::mem::take(&mut current)),
            '\\' => match chars.next() {
                Some(escaped @ (';' | '\\')) => current.push(escaped),
                _ => return Err(format!("item {}: a \\ must be followed by ; or \\", items.len() + 1)),
            },
            other => current.push(other),
        }
    }
    items.push(current);
    Ok(items)
}

fn cell_text(kind: Cell, value: Option<&Value>) -> String {
    let Some(value) = value else { return String::new() };
    match (kind, value) {
        (_, Value::Null) => String::new(),
        (Cell::Text | Cell::Flag | Cell::List | Cell::Date, Value::String(s)) => s.clone(),
        (Cell::Flag, Value::Bool(b)) => b.to_string(),
        (Cell::List | Cell::Countries, Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => escape_item(s),
                other => escape_item(&other.to_string()),
            })
            .collect::<Vec<_>>()
            .join(";"),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

fn cell_value(name: &str, kind: Cell, cell: &str, serials: bool) -> Result<Value, String> {
    match kind {
        Cell::Text | Cell::Remainder | Cell::Event => Ok(Value::String(cell.to_owned())),
        Cell::Date => Ok(Value::String(parse_date_cell(name, cell, serials).map_err(|e| e.message)?.to_string())),
        Cell::Flag => flag(cell).map(Value::Bool),
        Cell::List => Ok(Value::Array(
            split_list(cell)?
                .into_iter()
                .map(|i| if name.starts_with("x_haven_") { i } else { i.trim().to_owned() })
                .map(Value::String)
                .collect(),
        )),
        Cell::Countries => split_list(cell)?
            .iter()
            .map(|item| {
                country_code(item)
                    .map(|c| Value::String(c.as_str().to_owned()))
                    .ok_or_else(|| format!("{item:?} is neither an ISO 3166 country code nor a country's name"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Cell::Json => serde_json::from_str(cell).map_err(|e| format!("not valid JSON: {e}")),
    }
}

/// The documents as the rows of a table: the header ([`CSV_HEADER`], with any further standard field a
/// document keeps, after the standard's columns), then one row per case, and one more row for each event
/// after the first (holding only the `hte_` cells). Returns the header, the rows, and the index of the
/// row each case starts on.
pub fn to_table(cases: &[HtcdsCase]) -> (Vec<String>, Vec<Vec<String>>, Vec<usize>) {
    let mut extra: BTreeSet<String> = BTreeSet::new();
    for case in cases {
        extra.extend(case.remainder.keys().filter(|k| !CSV_HEADER.contains(&k.as_str())).cloned());
    }
    let first_event = COLUMNS.iter().position(|(_, k)| *k == Cell::Event).unwrap_or(COLUMN_COUNT);
    let mut header: Vec<(String, Cell)> = COLUMNS[..first_event].iter().map(|(n, k)| ((*n).to_owned(), *k)).collect();
    header.extend(extra.into_iter().map(|n| (n, Cell::Remainder)));
    header.extend(COLUMNS[first_event..].iter().map(|(n, k)| ((*n).to_owned(), *k)));

    let mut rows = Vec::new();
    let mut starts = Vec::with_capacity(cases.len());
    for case in cases {
        let Value::Object(mut map) = serde_json::to_value(case).unwrap_or(Value::Null) else { continue };
        let events = match map.remove("hte") {
            Some(Value::Array(events)) => events,
            _ => Vec::new(),
        };
        starts.push(rows.len());
        let row: Vec<String> = header
            .iter()
            .map(|(name, kind)| match kind {
                Cell::Remainder => case.remainder.get(name).cloned().unwrap_or_default(),
                Cell::Event => events.first().map_or(String::new(), |e| cell_text(Cell::Text, e.get(name))),
                _ => cell_text(*kind, map.get(name)),
            })
            .collect();
        rows.push(row);
        for event in events.iter().skip(1) {
            rows.push(
                header
                    .iter()
                    .map(
                        |(name, kind)| {
                            if *kind == Cell::Event { cell_text(Cell::Text, event.get(name)) } else { String::new() }
                        },
                    )
                    .collect(),
            );
        }
    }
    (header.into_iter().map(|(n, _)| n).collect(), rows, starts)
}

/// One row of a table being read, with the number it is known by (a CSV line, a sheet's row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub number: usize,
    pub cells: Vec<String>,
}

/// Where a table came from, for the errors' wording and the reading of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableSource {
    /// CSV: places are `line N, column F`.
    Csv,
    /// A spreadsheet: places are `row N, column F (B7)`; a date may be the sheet's serial day number.
    Sheet,
}

/// The spreadsheet column letters of a 0-based column index (`0` → `A`, `27` → `AB`).
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The standard field whose label (in the field list) is `label`.
fn field_of_label(label: &str) -> Option<&'static str> {
    let wanted = loose(label);
    if wanted.is_empty() {
        return None;
    }
    FIELDS.iter().filter(|f| !f.name.starts_with("org_")).find(|f| loose(&f.label) == wanted).map(|f| f.name.as_str())
}

/// A case read from a file: its line, its fields, and its events with their lines.
type PendingCase = (usize, Map<String, Value>, Vec<(usize, Map<String, Value>)>);

/// Reads a table: a header row of field names (a template's hidden first row), optionally followed by a row
/// of the standard's labels (the template's second row), then the cases. A column without a field name
/// takes the field its label names; where a name and its label disagree (the template's mailing-address
/// columns) the label, which the person filling the sheet read, wins; a column with neither (the template's
/// row numbers) is skipped, unless it holds anything but numbers. Empty rows are skipped. A row whose only
/// cells are `hte_` ones is a further event of the case above. Every error is reported.
pub fn read_table(rows: &[TableRow], source: TableSource) -> Result<Vec<Located<HtcdsCase>>, Vec<ParseError>> {
    let serials = source == TableSource::Sheet;
    let mut errors = Vec::new();
    let Some(header_at) = rows.iter().position(|r| r.cells.iter().any(|c| column_kind(c.trim()).is_some())) else {
        return Err(vec![ParseError::new(
            match source {
                TableSource::Csv => "line 1",
                TableSource::Sheet => "row 1",
            },
            "no header row of HTCDS field names",
        )]);
    };
    let header = &rows[header_at];
    let place_of = |number: usize, index: usize, name: &str| match source {
        TableSource::Csv => format!("line {number}, column {name}"),
        TableSource::Sheet => format!("row {number}, column {name} ({}{number})", column_letters(index)),
    };
    let labels = rows.get(header_at + 1).filter(|r| {
        let filled: Vec<&String> = r.cells.iter().filter(|c| !c.trim().is_empty()).collect();
        !filled.is_empty() && filled.iter().filter(|c| field_of_label(c).is_some()).count() * 2 >= filled.len()
    });
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut columns: Vec<Option<(String, Cell)>> = Vec::with_capacity(width);
    for index in 0..width {
        let name = header.cells.get(index).map_or("", |c| c.trim());
        let by_label = labels.and_then(|l| l.cells.get(index)).and_then(|l| field_of_label(l));
        let column = match (name, by_label) {
            ("", None) => None,
            (_, Some(field)) if column_kind(field).is_some() => column_kind(field),
            (name, _) => match column_kind(name) {
                Some(column) => Some(column),
                None => {
                    errors.push(ParseError::new(
                        place_of(header.number, index, name),
                        "is not a field of HTCDS v2.0 nor a Haven extension; remove the column before import",
                    ));
                    None
                }
            },
        };
        if let Some((field, _)) = &column
            && columns.iter().flatten().any(|(f, _)| f == field)
        {
            errors.push(ParseError::new(place_of(header.number, index, field), "appears twice"));
            columns.push(None);
            continue;
        }
        columns.push(column);
    }
    let data_from = header_at + if labels.is_some() { 2 } else { 1 };
    for row in &rows[data_from..] {
        for (index, cell) in row.cells.iter().enumerate() {
            if columns.get(index).is_some_and(Option::is_none)
                && !cell.trim().is_empty()
                && cell.trim().parse::<f64>().is_err()
                && header.cells.get(index).is_none_or(|c| c.trim().is_empty())
            {
                errors.push(ParseError::new(
                    match source {
                        TableSource::Csv => format!("line {}", row.number),
                        TableSource::Sheet => format!("row {}, {}{}", row.number, column_letters(index), row.number),
                    },
                    "the column has no field name, but this cell holds data",
                ));
            }
        }
    }

    // Each case: its first row's number, its fields and its events.
    let mut pending: Vec<PendingCase> = Vec::new();
    for row in &rows[data_from..] {
        let mut case = Map::new();
        let mut event = Map::new();
        let mut filled = false;
        for (index, cell) in row.cells.iter().enumerate() {
            let Some(Some((name, kind))) = columns.get(index) else { continue };
            if cell.trim().is_empty() {
                continue;
            }
            filled = true;
            // CSV exports neutralise cells a spreadsheet would run as formulas; sheets hold text as text.
            let text = match source {
                TableSource::Csv => crate::text::csv_cell_from_export(cell),
                TableSource::Sheet => cell.as_str(),
            };
            let value = match kind {
                Cell::Event => match name.as_str() {
                    "hte_Date" => parse_date_cell(name, text, serials)
                        .map(|d| Value::String(d.to_string()))
                        .map_err(|e| e.message),
                    "hte_Country" => country_code(text)
                        .map(|c| Value::String(c.as_str().to_owned()))
                        .ok_or_else(|| format!("{text:?} is neither an ISO 3166 country code nor a country's name")),
                    "hte_Type" => Ok(Value::String(text.trim().to_owned())),
                    "hte_Latitude" | "hte_Longitude" => coordinate(name, text).map(Value::String),
                    _ => Ok(Value::String(text.to_owned())),
                },
                _ => cell_value(name, *kind, text, serials),
            };
            match value {
                Ok(v) if *kind == Cell::Event => {
                    event.insert(name.clone(), v);
                }
                Ok(v) => {
                    case.insert(name.clone(), v);
                }
                Err(message) => errors.push(ParseError::new(place_of(row.number, index, name), message)),
            }
        }
        if !filled {
            continue;
        }
        if case.is_empty() {
            match pending.last_mut() {
                Some((_, _, events)) => events.push((row.number, event)),
                None => errors.push(ParseError::new(
                    place_of(row.number, 0, "hte_Type"),
                    "an event row must follow the row of its case",
                )),
            }
        } else {
            let events = if event.is_empty() { Vec::new() } else { vec![(row.number, event)] };
            pending.push((row.number, case, events));
        }
    }
    let mut cases = Vec::with_capacity(pending.len());
    for (number, mut map, events) in pending {
        let lines: Vec<usize> = events.iter().map(|(n, _)| *n).collect();
        if !events.is_empty() {
            map.insert("hte".to_owned(), Value::Array(events.into_iter().map(|(_, e)| Value::Object(e)).collect()));
        }
        let at = match source {
            TableSource::Csv => format!("line {number}"),
            TableSource::Sheet => format!("row {number}"),
        };
        match case_from_map(map, serials) {
            Ok(case) => cases.push(Located { place: at, value: case }),
            Err(f) => {
                // An event's error names the row the event is on.
                let line = f
                    .inner
                    .strip_prefix('[')
                    .and_then(|r| r.split(']').next())
                    .and_then(|j| j.parse::<usize>().ok())
                    .and_then(|j| lines.get(j).copied())
                    .filter(|_| f.field == "hte");
                let (number, field) = match (line, f.inner.split_once('.')) {
                    (Some(line), Some((_, inner))) => (line, inner.to_owned()),
                    (Some(line), None) => (line, "hte".to_owned()),
                    _ => (number, f.field.clone()),
                };
                let index = columns.iter().position(|c| c.as_ref().is_some_and(|(n, _)| *n == field)).unwrap_or(0);
                let message = if f.inner.is_empty() || line.is_some() {
                    f.message
                } else {
                    format!("at {}: {}", f.inner, f.message)
                };
                errors.push(ParseError::new(place_of(number, index, &field), message));
            }
        }
    }
    if errors.is_empty() { Ok(cases) } else { Err(errors) }
}

fn write_csv(cases: &[HtcdsCase]) -> Result<String, Box<dyn std::error::Error>> {
    let (header, rows, _) = to_table(cases);
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(&header)?;
    for row in rows {
        // Cells that a spreadsheet would run as formulas are neutralised (and read back as written).
        writer.write_record(row.iter().map(|cell| crate::text::csv_cell_for_export(cell).into_owned()))?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// The documents as CSV with the header [`CSV_HEADER`]: one row per case and one more per further event.
/// Lists are joined with `;`, with `\;` and `\\` for a `;` or `\` inside an item; documents, age
/// assessments, indicators and the age estimate are JSON text in their cell; absent values are empty cells.
pub fn to_csv(cases: &[HtcdsCase]) -> String {
    // Writing to memory cannot fail. Should it ever, the empty string returned has no header row, so
    // [`from_csv`] refuses it rather than reading it as an empty export.
    write_csv(cases).unwrap_or_default()
}

/// The line a record starting at a byte offset of `text` is on (1-based), counting `\n`, so that `\r\n` files
/// count right (the reader may place a record's start on the line end before it, which is skipped).
fn line_at(text: &str, byte: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = byte.min(bytes.len());
    while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        start += 1;
    }
    bytes.iter().take(start).filter(|b| **b == b'\n').count() + 1
}

/// Reads CSV written by [`to_csv`], or by another system with the standard's headers in any order (see
/// [`read_table`]). Every error is reported, each naming the line and the column (`line 4, column
/// prs_Birthdate`); a line counts the lines inside quoted cells.
pub fn read_csv(text: &str) -> Result<Vec<Located<HtcdsCase>>, Vec<ParseError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut width = None;
    for record in reader.records() {
        match record {
            Ok(record) => {
                let number = record.position().map_or(0, |p| line_at(text, usize::try_from(p.byte()).unwrap_or(0)));
                let expected = *width.get_or_insert(record.len());
                if record.len() != expected {
                    errors.push(ParseError::new(
                        format!("line {number}"),
                        format!("has {} columns where the header has {expected}", record.len()),
                    ));
                    continue;
                }
                rows.push(TableRow { number, cells: record.iter().map(str::to_owned).collect() });
            }
            Err(e) => {
                let number = e.position().map_or(0, |p| line_at(text, usize::try_from(p.byte()).unwrap_or(0)));
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
                    _ => e.to_string(),
                };
                errors.push(ParseError::new(format!("line {number}"), message));
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(vec![ParseError::new("line 1", "no header row")]);
    }
    match read_table(&rows, TableSource::Csv) {
        Ok(cases) if errors.is_empty() => Ok(cases),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Reads CSV, stopping at the first error ([`read_csv`] reports them all).
pub fn from_csv(text: &str) -> Result<Vec<HtcdsCase>, ParseError> {
    first_error(read_csv(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::age::AgeAssessmentMethod;
    use crate::ident::forms::FormCatalogue;
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;
    use proptest::sample::{select, subsequence};

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn country(c: &str) -> CountryCode {
        CountryCode::parse("c", c).unwrap()
    }

    fn form(id: &str) -> FormId {
        FormId::parse("f", id).unwrap()
    }

    fn catalogue() -> &'static FormCatalogue {
        FormCatalogue::embedded().unwrap()
    }

    /// Every field of a registration filled in.
    fn rich() -> (Registration, CaseMeta) {
        let person = PersonDetails {
            given_names: "Žanna".into(),
            family_names: "Ķirse".into(),
            aliases: vec!["Олена".into(), "Zhanna; \"Žaņa\"".into(), "back\\slash".into()],
            previous_family_names: vec!["Bērziņa".into()],
            date_of_birth: Some(d("2008-03-14")),
            dob_verified: true,
            age_estimate: Some(AgeRange::new(16, 19).unwrap()),
            reasons_to_believe_child: true,
            age_assessments: vec![AgeAssessment {
                date: d("2025-11-02"),
                method: AgeAssessmentMethod::Multidisciplinary,
                result: AgeRange::new(16, 18).unwrap(),
                assessed_by: "Bāriņtiesa, Rīga".into(),
            }],
            sex: Sex::Female,
            gender: Gender::TransgenderFeminine,
            citizenships: vec![country("UA"), country("LV")],
            languages: vec!["ukr".into(), "ru".into(), "lv".into()],
            interpreter_needed: true,
            safe_contact: Some("Through the shelter; ask for \"Maija\", not by phone".into()),
            documents: vec![
                IdentityDocument {
                    kind: DocumentKind::Passport,
                    number: "FA123456".into(),
                    issuing_country: Some(country("UA")),
                },
                IdentityDocument {
                    kind: DocumentKind::ResidencePermit,
                    number: "RP-99,01".into(),
                    issuing_country: None,
                },
            ],
        };
        let context = TraffickingContext {
            acts: [Act::Recruitment, Act::Transportation, Act::Harbouring].into(),
            means: [Means::Deception, Means::AbuseOfVulnerability].into(),
            methods_of_control: [
                MethodOfControl::DebtBondage,
                MethodOfControl::WithholdsDocuments,
                MethodOfControl::PsychologicalAbuse,
            ]
            .into(),
            forms: vec![form("sexual"), form("slavery"), form("criminal_activities"), form("begging"), form("other")],
            forced_labour_industry: Some(Industry::OtherServices),
            other_form: Some("Benefit fraud in the person's name".into()),
            events: vec![
                TraffickingEvent {
                    kind: EventKind::Recruitment,
                    date: Some(d("2024-09-01")),
                    country: Some(country("UA")),
                    place: Some("Kharkiv".into()),
                    description: Some("Offered \"café work\", travel paid".into()),
                },
                TraffickingEvent {
                    kind: EventKind::Transit,
                    date: None,
                    country: Some(country("PL")),
                    place: None,
                    description: None,
                },
                TraffickingEvent {
                    kind: EventKind::Exploitation,
                    date: Some(d("2024-10-15")),
                    country: Some(country("LV")),
                    place: Some("Rīga".into()),
                    description: None,
                },
            ],
            recruitment_method: Some(RecruitmentMethod::ThroughOnlineSocialNetworks),
            online_platforms: [OnlinePlatform::Telegram, OnlinePlatform::FourSale].into(),
            relationship_to_trafficker: Some(RelationshipToTrafficker::IntimatePartner),
            vulnerabilities: [Vulnerability::Child, Vulnerability::EconomicHardship, Vulnerability::LackOfLanguage]
                .into(),
            consent_to_exploitation: Some(false),
        };
        let registration = Registration {
            person,
            context,
            indicators: vec![
                IndicatorAnswers {
                    list: "ilo_ec_2009".into(),
                    present: vec!["deception.1".into(), "coercion.4".into()],
                },
                IndicatorAnswers { list: "unodc".into(), present: vec!["general.2".into()] },
            ],
            support_consent: Some(Consent {
                given: true,
                date: d("2025-11-03"),
                language: "ukr".into(),
                informed_by: "Inese Kalniņa".into(),
            }),
            data_sharing_consent: Some(Consent {
                given: false,
                date: d("2025-11-03"),
                language: "ukr".into(),
                informed_by: "Inese Kalniņa".into(),
            }),
            guardian: Some(Guardian {
                appointed_on: d("2025-11-04"),
                name: "Jānis Ozols".into(),
                organisation: "Rīgas bāriņtiesa".into(),
            }),
            narrative: Some(
                Narrative::parse(
                    "n",
                    "She answered an advert, \"waitress, good pay\", and was met at the bus station.\n\
                     Her passport was taken, \"for safe keeping\", on the first day.",
                )
                .unwrap(),
            ),
            imported: None,
        };
        let meta = CaseMeta {
            reference: Some("LV-2025-0042".into()),
            owner: Some("0190a7a2-5b1c-7d3e-9f00-1a2b3c4d5e6f".into()),
            status: Some(NrmStatus::PresumedVictim),
            ..CaseMeta::default()
        };
        (registration, meta)
    }

    #[test]
    fn the_rich_fixture_is_a_normalised_registration() {
        let (reg, _) = rich();
        assert_eq!(reg.clone().normalise(catalogue()).unwrap(), reg);
    }

    #[test]
    fn a_rich_registration_round_trips_through_json() {
        let (reg, meta) = rich();
        let json = to_json(&[to_htcds(&reg, &meta)]);
        assert!(json.contains("\"prs_FirstName\": \"Žanna\""), "{json}");
        let docs = from_json(&json).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(from_htcds(&docs[0]).unwrap(), (reg, meta));
    }

    #[test]
    fn formulas_in_a_csv_export_are_neutralised_and_read_back_as_written() {
        let (mut reg, meta) = rich();
        reg.person.given_names = "=HYPERLINK(\"http://evil.example\",\"x\")".into();
        reg.person.family_names = "@SUM(1+1)".into();
        let csv = to_csv(&[to_htcds(&reg, &meta)]);
        assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"), "{csv}");
        assert!(csv.contains("'=HYPERLINK") && csv.contains("'@SUM(1+1)"), "{csv}");
        let docs = from_csv(&csv).unwrap();
        assert_eq!(from_htcds(&docs[0]).unwrap(), (reg, meta));
    }

    #[test]
    fn a_rich_registration_round_trips_through_csv() {
        let (reg, meta) = rich();
        let (mut other, other_meta) = rich();
        other.person.given_names = "Олена".into();
        other.narrative = None;
        let csv = to_csv(&[
            to_htcds(&reg, &meta),
            to_htcds(&other, &other_meta),
            to_htcds(&Registration::default(), &CaseMeta::default()),
        ]);
        let docs = from_csv(&csv).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(from_htcds(&docs[0]).unwrap(), (reg, meta));
        assert_eq!(from_htcds(&docs[1]).unwrap(), (other, other_meta));
        assert_eq!(from_htcds(&docs[2]).unwrap(), (Registration::default(), CaseMeta::default()));
    }

    #[test]
    fn the_export_uses_htcds_values() {
        let (reg, meta) = rich();
        let doc = to_htcds(&reg, &meta);
        assert_eq!(
            doc.vic_type_of_exploitation,
            vec![ExploitationType::SexualExploitation, ExploitationType::Other, ExploitationType::ForcedBegging]
        );
        assert_eq!(doc.x_haven_forms.len(), 5);
        assert_eq!(doc.vic_relationship_to_trafficker, Some(HtcdsRelationship::Acquainted));
        assert_eq!(doc.vic_trafficking_status, Some(TraffickingStatus::Possible));
        let value = serde_json::to_value(&doc).unwrap();
        assert_eq!(value["prs_Gender"], "TransgenderFeminine");
        assert_eq!(value["vic_RecruitmentWebsitesAndApps"], serde_json::json!(["Telegram", "4Sale"]));
        assert_eq!(value["vic_ForcedLabourIndustry"], "S_OtherServiceActivities");
        assert_eq!(value["prs_PrimaryLanguage"], "ukr");
        assert_eq!(value["x_haven_other_languages"], serde_json::json!(["lv"]));
        assert_eq!(value["prs_IdentityNumber"], "FA123456");
        assert_eq!(value["hte"][1], serde_json::json!({"hte_Type": "Transit", "hte_Country": "PL"}));
        assert_eq!(value["x_haven_status"], "presumed_victim");
        assert_eq!(value["con_Consent"], true);
    }

    #[test]
    fn every_form_maps_to_an_htcds_type() {
        let expect = [
            ("sexual", ExploitationType::SexualExploitation),
            ("forced_labour", ExploitationType::ForcedLabour),
            ("begging", ExploitationType::ForcedBegging),
            ("slavery", ExploitationType::Other),
            ("servitude", ExploitationType::Servitude),
            ("criminal_activities", ExploitationType::Other),
            ("organ_removal", ExploitationType::OrganRemoval),
            ("surrogacy", ExploitationType::Surrogacy),
            ("forced_marriage", ExploitationType::ForcedMarriage),
            ("illegal_adoption", ExploitationType::ForcedAdoption),
            ("other", ExploitationType::Other),
        ];
        assert_eq!(expect.len(), catalogue().forms().len());
        for (id, t) in expect {
            assert_eq!(ExploitationType::from_form(&form(id)), t, "{id}");
        }
        for t in ExploitationType::ALL {
            assert!(catalogue().get(t.haven_form()).is_some(), "{t:?}");
        }
    }

    #[test]
    fn nrm_statuses_map_to_trafficking_status() {
        use TraffickingStatus::*;
        let expect = [
            (NrmStatus::Referred, Some(Possible)),
            (NrmStatus::PresumedVictim, Some(Possible)),
            (NrmStatus::FirstReconsideration, Some(Possible)),
            (NrmStatus::FinalReconsideration, Some(Possible)),
            (NrmStatus::IdentifiedVictim, Some(Actual)),
            (NrmStatus::NotIdentified, Some(NotIdentified)),
            (NrmStatus::NegativeFirstDecision, Some(NotIdentified)),
            (NrmStatus::Withdrawn, None),
        ];
        assert_eq!(expect.len(), NrmStatus::ALL.len());
        for (status, t) in expect {
            assert_eq!(TraffickingStatus::from_nrm(status), t, "{status}");
            let (_, meta) = from_htcds(&to_htcds(
                &Registration::default(),
                &CaseMeta { status: Some(status), ..CaseMeta::default() },
            ))
            .unwrap();
            assert_eq!(meta.status, Some(status));
        }
    }

    #[test]
    fn the_document_fields_are_every_serialised_field_and_the_header_follows_the_template() {
        let (reg, meta) = rich();
        let mut doc = to_htcds(&reg, &meta);
        doc.vic_trafficking_status_decision_making_org = Some(DecisionMakingOrg::Ngo);
        let Value::Object(map) = serde_json::to_value(&doc).unwrap() else { panic!("not an object") };
        let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
        let mut fields = DOCUMENT_FIELDS.to_vec();
        keys.sort_unstable();
        fields.sort_unstable();
        assert_eq!(keys, fields, "the rich fixture fills every field, and DOCUMENT_FIELDS lists them all");
        // Every document field has its column (events as hte_ columns), and the template's columns come
        // first, in the template's order.
        for field in DOCUMENT_FIELDS.iter().filter(|f| **f != "hte") {
            assert!(CSV_HEADER.contains(field), "{field}");
        }
        let template: Vec<String> = read_reference(TEMPLATE_CSV)
            .into_iter()
            .map(|r| {
                let name = if r[1].is_empty() { field_of_label(&r[2]).unwrap().to_owned() } else { r[1].clone() };
                canonical_field(&name).to_owned()
            })
            .collect();
        assert_eq!(template.len(), 38);
        let mut in_template: Vec<&str> = CSV_HEADER[..38].to_vec();
        let mut expected: Vec<&str> = template.iter().map(String::as_str).collect();
        in_template.sort_unstable();
        expected.sort_unstable();
        assert_eq!(in_template, expected, "the header starts with the template's 38 columns");
        let csv = to_csv(&[doc]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let cell = |name: &str| row.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_owned();
        assert_eq!(cell("x_haven_aliases"), "Олена;Zhanna\\; \"Žaņa\";back\\\\slash");
        assert_eq!(cell("vic_TypeOfExploitation"), "SexualExploitation;Other;ForcedBegging");
        assert_eq!(cell("hte_Type"), "Recruitment");
    }

    #[test]
    fn a_document_from_another_system_imports() {
        let json = r#"[{
            "cas_CaseOwner": "IOM-UA-Kyiv",
            "prs_FirstName": "Olena",
            "prs_SecondName": "Kovalenko",
            "prs_Birthdate": "1996-07-21",
            "prs_Gender": "Feminine",
            "prs_Citizenship": ["UA"],
            "prs_PrimaryLanguage": "ukr",
            "prs_SecondaryLanguage": null,
            "prs_IdentityNumber": "EK000111",
            "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
            "vic_RelationshipToTrafficker": "Acquainted",
            "vic_MethodOfRecruitment": "ThroughFriendsOrSocialEvents",
            "vic_MethodsOfControl": ["DebtBondage", "WithholdsDocuments"],
            "vic_RecruitmentWebsitesAndApps": ["Viber"],
            "vic_TypeOfExploitation": ["ForcedLabour", "ChildLabour", "ForcedMilitaryByNonStateActors"],
            "vic_ForcedLabourIndustry": "A",
            "hte": [{"hte_Type": "Exploitation", "hte_Country": "PL", "hte_City": "Lublin"}],
            "con_Consent": true
        }]"#;
        let docs = from_json(json).unwrap();
        let (reg, meta) = from_htcds(&docs[0]).unwrap();
        let reg = reg.normalise(catalogue()).unwrap();
        assert_eq!(reg.person.given_names, "Olena");
        assert_eq!(reg.person.gender, Gender::Feminine);
        assert_eq!(reg.person.sex, Sex::Unknown);
        assert_eq!(reg.person.languages, vec!["ukr"]);
        assert_eq!(
            reg.person.documents,
            vec![IdentityDocument { kind: DocumentKind::Other, number: "EK000111".into(), issuing_country: None }]
        );
        assert_eq!(reg.context.forms, vec![form("forced_labour"), form("other")]);
        assert_eq!(reg.context.other_form.as_deref(), Some(FORCED_MILITARY));
        assert_eq!(reg.context.relationship_to_trafficker, Some(RelationshipToTrafficker::Acquainted));
        assert_eq!(reg.context.methods_of_control.len(), 2);
        assert_eq!(reg.context.events[0].place.as_deref(), Some("Lublin"));
        assert_eq!(reg.support_consent, None, "con_Consent alone is not a recorded consent");
        assert_eq!(
            meta,
            CaseMeta {
                reference: None,
                owner: Some("IOM-UA-Kyiv".into()),
                status: Some(NrmStatus::Referred),
                ..CaseMeta::default()
            }
        );

        let csv = "prs_SecondName,prs_FirstName,vic_TypeOfExploitation\nKovalenko,Olena,SexualExploitation;Other\n";
        let (reg, _) = from_htcds(&from_csv(csv).unwrap()[0]).unwrap();
        assert_eq!(reg.person.family_names, "Kovalenko");
        assert_eq!(reg.context.forms, vec![form("sexual"), form("other")]);
    }

    /// Two events Haven cannot tell apart (the same type, date, country and place), only one with
    /// further fields: each gets its own back, in its place.
    #[test]
    fn further_fields_go_back_to_their_own_of_two_events_alike() {
        for json in [
            r#"[{"hte": [{"hte_Type": "Recruitment", "hte_Latitude": "0"}, {"hte_Type": "Recruitment"}]}]"#,
            r#"[{"hte": [{"hte_Type": "Recruitment"}, {"hte_Type": "Recruitment", "hte_Latitude": "0"}]}]"#,
        ] {
            let docs = from_json(json).unwrap();
            let reg = import_case(&docs[0]).unwrap();
            assert_eq!(reg.imported.as_ref().unwrap().events.len(), 2, "{json}");
            let back = to_htcds(&reg.normalise(catalogue()).unwrap(), &CaseMeta::default());
            assert_eq!(back.hte, docs[0].hte, "{json}");
        }
        // Events that differ keep only the fields there are.
        let docs =
            from_json(r#"[{"hte": [{"hte_Type": "Recruitment", "hte_Latitude": "0"}, {"hte_Type": "Transit"}]}]"#)
                .unwrap();
        assert_eq!(import_case(&docs[0]).unwrap().imported.unwrap().events.len(), 1);
    }

    #[test]
    fn an_events_street_state_postal_code_and_coordinates_are_kept_and_written_back() {
        let json = r#"[{"prs_FirstName": "Ada", "hte": [
            {"hte_Type": "Recruitment", "hte_Country": "NG", "hte_City": "Benin City", "hte_Street": "Airport Road 4",
             "hte_State": "Edo", "hte_PostalCode": "300001", "hte_Latitude": 6.335, "hte_Longitude": "5.6037"},
            {"hte_Type": "Exploitation", "hte_Country": "IT", "hte_City": "Castel Volturno"}]}]"#;
        let docs = from_json(json).unwrap();
        let reg = import_case(&docs[0]).unwrap();
        let imported = reg.imported.clone().unwrap();
        assert_eq!(imported.events.len(), 1);
        assert_eq!(imported.events[0].fields["hte_Latitude"], "6.335");
        assert_eq!(imported.events[0].fields["hte_Street"], "Airport Road 4");
        let back = to_htcds(&reg.clone().normalise(catalogue()).unwrap(), &CaseMeta::default());
        assert_eq!(back.hte, docs[0].hte);
        assert_eq!(back.hte[0].hte_longitude.as_deref(), Some("5.6037"));

        // In a table: columns of their own, on the event's row; a coordinate out of range names the cell.
        let csv = to_csv(std::slice::from_ref(&back));
        assert_eq!(from_csv(&csv).unwrap()[0].hte, back.hte);
        let bad = csv.replace("6.335", "96.335");
        let err = read_csv(&bad).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].field, "line 2, column hte_Latitude");
        assert!(err[0].message.contains("\"96.335\" is not a latitude"), "{}", err[0].message);

        // Once the caseworker changes the event's place, the street no longer belongs to it: not written.
        let mut moved = reg.normalise(catalogue()).unwrap();
        moved.context.events[0].place = Some("Lagos".into());
        assert_eq!(to_htcds(&moved, &CaseMeta::default()).hte[0].hte_street, None);
        // What a client sends as imported is checked.
        let mut wrong = imported;
        wrong.events[0].fields.insert("hte_Longitude".into(), "200".into());
        assert_eq!(wrong.normalise().unwrap_err().field, "imported.events[0].hte_Longitude");
    }

    #[test]
    fn unknown_htcds_values_name_the_field() {
        let err = from_json(r#"[{"prs_Gender": "Female"}]"#).unwrap_err();
        assert_eq!(err.field, "[0].prs_Gender");
        assert!(err.message.contains("\"Female\"") && err.message.contains("NonSpecifiedUnknown"), "{err}");
        let err = from_json(r#"[{}, {"vic_MethodsOfControl": ["DebtBondage", "Blackmail"]}]"#).unwrap_err();
        assert_eq!(err.field, "[1].vic_MethodsOfControl[1]");
        let err = from_json(r#"[{"hte": [{"hte_Type": "Recruitment"}, {"hte_Type": "Kidnap"}]}]"#).unwrap_err();
        assert_eq!(err.field, "[0].hte[1].hte_Type");
        let err = from_json(r#"[{"prs_Nickname": "Anna"}]"#).unwrap_err();
        assert_eq!(err.field, "[0].prs_Nickname");
        let err = from_json(r#"[{"hte": [{"hte_Type": "Transit", "hte_Latitude": "91"}]}]"#).unwrap_err();
        assert_eq!(err.field, "[0].hte[0].hte_Latitude");
        assert!(err.message.contains("latitude") && err.message.contains("-90 to 90"), "{err}");
        let err =
            from_json(r#"[{"hte": [{"hte_Type": "Transit"}, {"hte_Type": "Transit", "hte_Longitude": "east"}]}]"#)
                .unwrap_err();
        assert_eq!(err.field, "[0].hte[1].hte_Longitude");

        let csv = "prs_FirstName,vic_TypeOfExploitation\nAnna,SexualExploitation\nIeva,ForcedLabour;Tourism\n";
        let err = from_csv(csv).unwrap_err();
        assert_eq!(err.field, "line 3, column vic_TypeOfExploitation");
        assert!(err.message.contains("Tourism") && err.message.contains("at [1]"), "{err}");
        let err = from_csv("prs_FirstName,prs_Nickname\nAnna,Ann\n").unwrap_err();
        assert_eq!(err.field, "line 1, column prs_Nickname");
        let err = from_csv("prs_FirstName,prs_FirstName\nAnna,Anna\n").unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
    }

    #[test]
    fn bad_dates_name_the_field_and_line() {
        let err = from_json(r#"[{"prs_Birthdate": "2001-02-28"}, {"prs_Birthdate": "2001-02-30"}]"#).unwrap_err();
        assert_eq!(err.field, "[1].prs_Birthdate");
        assert!(err.message.contains("2001-02-30"), "{err}");
        let err = from_json(r#"[{"hte": [{"hte_Type": "Transit", "hte_Date": "15.10.2024"}]}]"#).unwrap_err();
        assert_eq!(err.field, "[0].hte[0].hte_Date");

        // The first record's narrative spans three lines, so the second record starts on line 5.
        let csv =
            "prs_FirstName,x_haven_narrative,prs_Birthdate\nAnna,\"one,\ntwo\nthree\",2001-02-28\nIeva,,2001-02-30\n";
        let err = from_csv(csv).unwrap_err();
        assert_eq!(err.field, "line 5, column prs_Birthdate");
        let csv = "prs_FirstName,prs_Birthdate\nAnna,2001-02-28\nIeva,30/02/2001\n";
        let err = from_csv(csv).unwrap_err();
        assert_eq!(err.field, "line 3, column prs_Birthdate");
        assert!(err.message.contains("30/02/2001"), "{err}");
    }

    #[test]
    fn a_wrong_column_count_names_the_line() {
        let csv = "prs_FirstName,prs_SecondName\nAnna,Ozola\nIeva,Liepa,extra\n";
        let err = from_csv(csv).unwrap_err();
        assert_eq!(err.field, "line 3");
        assert!(err.message.contains("3 columns") && err.message.contains('2'), "{err}");
        assert_eq!(from_csv("").unwrap_err().field, "line 1");
    }

    #[test]
    fn list_cells_escape_the_separator() {
        assert_eq!(split_list("a\\;b;c\\\\;d").unwrap(), vec!["a;b", "c\\", "d"]);
        let err = from_csv("x_haven_aliases\nAnna;B\\x\n").unwrap_err();
        assert_eq!(err.field, "line 2, column x_haven_aliases");
        assert!(err.message.contains("item 2"), "{err}");
        let err = from_csv("x_haven_dob_verified\nmaybe\n").unwrap_err();
        assert_eq!(err.field, "line 2, column x_haven_dob_verified");
        assert!(from_csv("x_haven_dob_verified\nTRUE\n").unwrap()[0].x_haven_dob_verified);
    }

    #[test]
    fn disagreeing_extensions_are_refused() {
        let (reg, meta) = rich();
        let mut doc = to_htcds(&reg, &meta);
        doc.vic_type_of_exploitation.push(ExploitationType::OrganRemoval);
        assert_eq!(from_htcds(&doc).unwrap_err().field, "vic_TypeOfExploitation");
        let mut doc = to_htcds(&reg, &meta);
        doc.vic_trafficking_status = Some(TraffickingStatus::Actual);
        assert_eq!(from_htcds(&doc).unwrap_err().field, "vic_TraffickingStatus");
        let mut doc = to_htcds(&reg, &meta);
        doc.vic_relationship_to_trafficker = Some(HtcdsRelationship::Familial);
        assert_eq!(from_htcds(&doc).unwrap_err().field, "vic_RelationshipToTrafficker");
        let mut doc = to_htcds(&reg, &meta);
        doc.x_haven_consent_language = None;
        assert_eq!(from_htcds(&doc).unwrap_err().field, "x_haven_consent_language");
        let mut doc = to_htcds(&reg, &meta);
        doc.con_consent = None;
        assert_eq!(from_htcds(&doc).unwrap_err().field, "con_Consent");
        let mut doc = to_htcds(&reg, &meta);
        doc.x_haven_guardian_appointed_on = None;
        assert_eq!(from_htcds(&doc).unwrap_err().field, "x_haven_guardian_appointed_on");
        let mut doc = to_htcds(&reg, &meta);
        doc.prs_identity_number = None;
        assert_eq!(from_htcds(&doc).unwrap_err().field, "x_haven_identity_document_kind");
        let mut doc = to_htcds(&reg, &meta);
        doc.prs_primary_language = Some("Ukrainian".into());
        assert_eq!(from_htcds(&doc).unwrap_err().field, "prs_PrimaryLanguage");
    }

    #[test]
    fn bad_json_is_refused() {
        assert_eq!(from_json("{}").unwrap_err().field, "json");
        assert_eq!(from_json("[1]").unwrap_err().field, "[0]");
        assert!(from_json("[").unwrap_err().message.contains("not valid JSON"));
        assert_eq!(from_json("[]").unwrap(), vec![]);
    }

    // ------------------------------------------------------------------------------------------------
    // The standard's own vocabulary and layout

    fn check_written<T: HtcdsValue + std::fmt::Debug>() {
        for v in T::all() {
            assert!(
                standard_codes(T::FIELD).any(|(name, _)| name == v.htcds_name()),
                "{v:?} is written {:?}, which is not in the code list of {}",
                v.htcds_name(),
                T::FIELD
            );
        }
        for (name, label) in standard_codes(T::FIELD) {
            assert_eq!(T::parse_htcds(name).unwrap().htcds_name(), name, "{}: {name}", T::FIELD);
            assert_eq!(T::parse_htcds(label).unwrap().htcds_name(), name, "{}: {label}", T::FIELD);
        }
    }

    #[test]
    fn every_value_haven_writes_is_in_the_standards_code_lists_and_every_listed_value_is_read() {
        check_written::<Gender>();
        check_written::<TraffickingStatus>();
        check_written::<DecisionMakingOrg>();
        check_written::<HtcdsRelationship>();
        check_written::<RecruitmentMethod>();
        check_written::<MethodOfControl>();
        check_written::<ExploitationType>();
        check_written::<Industry>();
        check_written::<OnlinePlatform>();
        check_written::<EventKind>();
        check_written::<CaseStatus>();
        check_written::<ReferralReason>();
        // The incoming list is the outgoing one.
        let incoming: Vec<&str> = standard_codes("cas_ReasonForIncomingReferral").map(|(value, _)| value).collect();
        let written: Vec<&str> = ReferralReason::ALL.iter().map(|r| r.htcds()).collect();
        assert_eq!(incoming, written);
        assert_eq!(Industry::Agriculture.htcds(), "A_AgricultureForestryAndFishing");
        assert_eq!(HtcdsRelationship::Unacquainted.htcds(), "Unaquainted");
        assert_eq!(OnlinePlatform::Messenger.htcds(), "FacebookMessenger");
        assert_eq!(OnlinePlatform::Snapchat.htcds(), "SnapChat");
        assert_eq!(HtcdsRelationship::from_htcds("Unacquainted").unwrap(), HtcdsRelationship::Unacquainted);
        assert_eq!(Industry::parse_htcds("A").unwrap(), Industry::Agriculture);
        assert_eq!(MethodOfControl::parse_htcds("debt  bondage ").unwrap(), MethodOfControl::DebtBondage);
    }

    #[test]
    fn the_field_list_has_83_fields_40_core_and_every_core_field_in_force_is_a_column() {
        assert_eq!(standard_fields().len(), 83);
        assert_eq!(standard_fields().iter().filter(|f| f.core).count(), 40);
        let core: Vec<&StandardField> =
            standard_fields().iter().filter(|f| f.core && f.status != "DEPRECATED").collect();
        assert_eq!(core.len(), 38);
        for f in core {
            assert!(CSV_HEADER.contains(&f.name.as_str()), "{} is Core and has no column", f.name);
        }
        for name in CSV_HEADER.iter().filter(|n| !n.starts_with("x_haven_")) {
            assert!(standard_field(name).is_some(), "{name} is not a field of the standard");
        }
        assert_eq!(country_code("Latvia"), Some(country("LV")));
        assert_eq!(country_code(" nigeria "), Some(country("NG")));
        assert_eq!(country_code("Atlantis"), None);
    }

    /// A row of the official template filled in as the standard writes it: labels from its drop-downs,
    /// country names, several values in a multi-select cell.
    fn template_rows() -> Vec<TableRow> {
        let template = read_reference(TEMPLATE_CSV);
        let row = |number: usize, cells: Vec<&str>| TableRow {
            number,
            cells: cells.into_iter().map(str::to_owned).collect(),
        };
        let mut names = vec![""];
        names.extend(template.iter().map(|r| r[1].as_str()));
        let mut labels = vec![""];
        labels.extend(template.iter().map(|r| r[2].as_str()));
        let mut case = vec![""; 39];
        case[0] = "1";
        let set = |case: &mut Vec<&'static str>, field: &str, value: &'static str| {
            let i = template.iter().position(|r| r[2] == field).unwrap() + 1;
            case[i] = value;
        };
        set(&mut case, "Case Owner", "Maria Popescu");
        set(&mut case, "Salutation", "Ms");
        set(&mut case, "First Name", "Ada");
        set(&mut case, "Second Name", "Obi");
        set(&mut case, "Consent", "TRUE");
        set(&mut case, "Birthdate", "36892");
        set(&mut case, "Gender", "Feminine");
        set(&mut case, "Citizenship", "Nigeria");
        set(&mut case, "Email", "ada@example.org");
        set(&mut case, "Mailing Street", "1 Example Street");
        set(&mut case, "Mailing City", "Rīga");
        set(&mut case, "Mailing Country", "Latvia");
        set(&mut case, "Trafficking Status", "Actual victim of trafficking");
        set(&mut case, "Trafficking Status Decision Making Organization", "NGO");
        set(&mut case, "Method of Recruitment", "Through online social networks; At work");
        set(&mut case, "Methods of Control", "Debt bondage ;Withholds documents");
        set(&mut case, "Type of Exploitation", "Forced labour;Child labour");
        set(&mut case, "Forced Labour Industry", "Agriculture, forestry and fishing");
        set(&mut case, "Status", "Follow up");
        set(&mut case, "Reason for Outgoing Referral", "Migration Or Change Of Location");
        set(&mut case, "Outgoing Referral Date", "2024-05-02");
        let mut empty = vec![""; 39];
        empty[0] = "2";
        vec![row(1, names), row(2, labels), row(3, case), row(4, empty)]
    }

    #[test]
    fn the_official_template_reads_as_it_is_and_writes_back_the_same() {
        let cases = read_table(&template_rows(), TableSource::Sheet).unwrap();
        assert_eq!(cases.len(), 1, "the numbered empty row is skipped");
        assert_eq!(cases[0].place, "row 3");
        let regs = import_all(&cases).unwrap();
        let reg = regs[0].clone().normalise(catalogue()).unwrap();
        assert_eq!(reg.person.given_names, "Ada");
        assert_eq!(reg.person.date_of_birth, Some(d("2001-01-01")));
        assert_eq!(reg.person.citizenships, vec![country("NG")]);
        assert_eq!(reg.context.forms, vec![form("forced_labour")]);
        assert_eq!(reg.context.forced_labour_industry, Some(Industry::Agriculture));
        assert_eq!(reg.context.recruitment_method, Some(RecruitmentMethod::ThroughOnlineSocialNetworks));
        let imported = reg.imported.clone().unwrap();
        assert_eq!(imported.trafficking_status, Some(TraffickingStatus::Actual));
        assert_eq!(imported.decision_making_org, Some(DecisionMakingOrg::Ngo));
        assert_eq!(imported.consent, Some(true));
        assert_eq!(imported.case_owner.as_deref(), Some("Maria Popescu"));
        // The template's first row names prs_MailingCity above the label "Mailing Street": the label wins.
        assert_eq!(imported.remainder["prs_MailingStreet"], "1 Example Street");
        assert_eq!(imported.remainder["prs_MailingCity"], "Rīga");
        assert_eq!(imported.remainder["prs_MailingCountry"], "LV");
        assert_eq!(imported.remainder["cas_Status"], "FollowUp");
        assert_eq!(imported.remainder["cas_ReasonForOutgoingReferral"], "MigrationOrChangeOfLocation");
        assert_eq!(imported.remainder["prs_Email"], "ada@example.org");

        let back = to_htcds(&reg, &CaseMeta::default());
        assert_eq!(back.vic_trafficking_status, Some(TraffickingStatus::Actual));
        assert_eq!(back.vic_trafficking_status_decision_making_org, Some(DecisionMakingOrg::Ngo));
        assert_eq!(back.vic_type_of_exploitation, vec![ExploitationType::ForcedLabour, ExploitationType::ChildLabour]);
        assert_eq!(
            back.vic_method_of_recruitment,
            vec![RecruitmentMethod::ThroughOnlineSocialNetworks, RecruitmentMethod::AtWork]
        );
        assert_eq!(back.con_consent, Some(true));
        assert_eq!(back.cas_case_owner.as_deref(), Some("Maria Popescu"));
        assert_eq!(
            back.remainder,
            imported.remainder.into_iter().filter(|(k, _)| k.starts_with("prs_") || k.starts_with("cas_")).collect()
        );
        // Read again from Haven's own export, the case is the same.
        let again = import_all(&read_csv(&to_csv(std::slice::from_ref(&back))).unwrap()).unwrap();
        assert_eq!(to_htcds(&again[0].clone().normalise(catalogue()).unwrap(), &CaseMeta::default()), back);
    }

    #[test]
    fn every_error_of_a_file_is_listed_at_once_with_its_line_and_field() {
        let csv = "prs_FirstName,prs_Birthdate,vic_TypeOfExploitation\r\nAnna,2001-02-30,SexualExploitation\r\n\
                   Ieva,2001-02-28,Tourism\r\nLiene,yesterday,ForcedLabour\r\n";
        let errors = read_csv(csv).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "line 2, column prs_Birthdate",
                "line 4, column prs_Birthdate",
                "line 3, column vic_TypeOfExploitation"
            ]
        );
        // Line numbers count CRLF line ends and lines inside quoted cells.
        let csv =
            "prs_FirstName,x_haven_narrative,prs_Birthdate\r\nAnna,\"one\r\ntwo\",2001-02-28\r\nIeva,,2001-02-30\r\n";
        assert_eq!(read_csv(csv).unwrap_err()[0].field, "line 4, column prs_Birthdate");
        // Errors found on import name the place too.
        let csv =
            "prs_FirstName,x_haven_status,vic_TraffickingStatus\nAnna,identified_victim,NotAVictimOfTrafficking\n";
        let errors = import_all(&read_csv(csv).unwrap()).unwrap_err();
        assert_eq!(errors[0].field, "line 2, vic_TraffickingStatus");
    }

    #[test]
    fn events_are_rows_of_hte_columns() {
        let (reg, meta) = rich();
        let csv = to_csv(&[to_htcds(&reg, &meta)]);
        assert_eq!(csv.lines().count(), 1 + 3 + 1, "header, a row per event (the narrative has a line break)");
        let csv = "prs_FirstName,hte_Type,hte_Country,hte_Date\nAnna,Recruitment,Ukraine,2024-01-02\n,Exploitation,LV,\n\
                   ,Transit,Atlantis,\n";
        let errors = read_csv(csv).unwrap_err();
        assert_eq!(errors[0].field, "line 4, column hte_Country");
        let csv = "prs_FirstName,hte_Type,hte_Country\nAnna,Recruitment,Ukraine\n,Exploitation,LV\n";
        let docs = from_csv(csv).unwrap();
        assert_eq!(docs[0].hte.len(), 2);
        assert_eq!(docs[0].hte[0].hte_country, Some(country("UA")));
    }

    #[test]
    fn json_keeps_havens_fields_in_their_own_section_and_the_standards_other_fields_at_the_top() {
        let (reg, meta) = rich();
        let mut doc = to_htcds(&reg, &meta);
        doc.remainder.insert("vic_TypeOfSexExploitation".into(), "Prostitution;Pornography".into());
        let json: Value = serde_json::from_str(&to_json(&[doc.clone()])).unwrap();
        assert!(json[0].as_object().unwrap().keys().all(|k| !k.starts_with("x_haven_")));
        assert_eq!(json[0]["x_haven"]["x_haven_sex"], "female");
        assert_eq!(json[0]["vic_TypeOfSexExploitation"], serde_json::json!(["Prostitution", "Pornography"]));
        assert_eq!(from_json(&to_json(&[doc.clone()])).unwrap(), vec![doc]);
    }

    // ------------------------------------------------------------------------------------------------
    // Generated registrations

    fn date() -> impl Strategy<Value = CalendarDate> {
        (-25_000i64..45_000).prop_filter_map("a date from 1900 to 2100", CalendarDate::from_days)
    }

    fn some_country() -> impl Strategy<Value = CountryCode> {
        select(vec!["LV", "EE", "LT", "UA", "RU", "PL", "DE", "GB", "NG", "VN"]).prop_map(country)
    }

    fn coded<T: Coded + std::fmt::Debug>() -> impl Strategy<Value = T> {
        select(T::ALL)
    }

    fn subset<T: Coded + Ord + std::fmt::Debug>() -> impl Strategy<Value = BTreeSet<T>> {
        subsequence(T::ALL, 0..=T::ALL.len()).prop_map(|v| v.into_iter().collect())
    }

    fn name() -> impl Strategy<Value = String> {
        "[\\p{L}][\\p{L}\\p{M} '-]{0,15}"
    }

    /// Free text, including the characters CSV and the list cells treat specially.
    /// Text as a registration holds it: never blank, no space at either end (the forms trim).
    fn text() -> impl Strategy<Value = String> {
        "[\\p{L}\\p{N}]([\\p{L}\\p{N} ,.;:\"'()\\\\-]{0,28}[\\p{L}\\p{N}.])?"
    }

    fn age_range() -> impl Strategy<Value = AgeRange> {
        (0u8..=120, 0u8..=120).prop_map(|(a, b)| AgeRange::new(a.min(b), a.max(b)).unwrap())
    }

    fn assessment() -> impl Strategy<Value = AgeAssessment> {
        (date(), coded::<AgeAssessmentMethod>(), age_range(), text())
            .prop_map(|(date, method, result, assessed_by)| AgeAssessment { date, method, result, assessed_by })
    }

    fn document() -> impl Strategy<Value = IdentityDocument> {
        (coded::<DocumentKind>(), "[A-Z0-9,;-]{1,9}", option::of(some_country()))
            .prop_map(|(kind, number, issuing_country)| IdentityDocument { kind, number, issuing_country })
    }

    fn event() -> impl Strategy<Value = TraffickingEvent> {
        (coded::<EventKind>(), option::of(date()), option::of(some_country()), option::of(text()), option::of(text()))
            .prop_map(|(kind, date, country, place, description)| TraffickingEvent {
                kind,
                date,
                country,
                place,
                description,
            })
    }

    prop_compose! {
        fn person()(
            names in (prop_oneof![Just(String::new()), name()], prop_oneof![Just(String::new()), name()],
                vec("[\\p{L};\\\\,\" ]{1,12}", 0..3), vec(name(), 0..3)),
            age in (option::of(date()), any::<bool>(), option::of(age_range()), any::<bool>(), vec(assessment(), 0..3)),
            sex in coded::<Sex>(),
            gender in coded::<Gender>(),
            rest in (vec(some_country(), 0..3), vec("[a-z]{2,3}", 0..4), any::<bool>(), option::of(text()),
                vec(document(), 0..4)),
        ) -> PersonDetails {
            let (given_names, family_names, aliases, previous_family_names) = names;
            let (date_of_birth, dob_verified, age_estimate, reasons_to_believe_child, age_assessments) = age;
            let (citizenships, languages, interpreter_needed, safe_contact, documents) = rest;
            PersonDetails {
                given_names, family_names, aliases, previous_family_names, date_of_birth, dob_verified, age_estimate,
                reasons_to_believe_child, age_assessments, sex, gender, citizenships, languages, interpreter_needed,
                safe_contact, documents,
            }
        }
    }

    prop_compose! {
        fn context()(
            element in (subset::<Act>(), subset::<Means>(), subset::<MethodOfControl>()),
            forms in subsequence(catalogue().forms().iter().map(|f| f.id.clone()).collect::<Vec<_>>(), 0..=11)
                .prop_shuffle(),
            industry in option::of(coded::<Industry>()),
            other_form in option::of(text()),
            events in vec(event(), 0..4),
            recruitment in (option::of(coded::<RecruitmentMethod>()), subset::<OnlinePlatform>(),
                option::of(coded::<RelationshipToTrafficker>())),
            vulnerabilities in subset::<Vulnerability>(),
            consent_to_exploitation in option::of(any::<bool>()),
        ) -> TraffickingContext {
            let (acts, means, methods_of_control) = element;
            let (recruitment_method, online_platforms, relationship_to_trafficker) = recruitment;
            TraffickingContext {
                acts, means, methods_of_control, forms, forced_labour_industry: industry, other_form, events,
                recruitment_method, online_platforms, relationship_to_trafficker, vulnerabilities,
                consent_to_exploitation,
            }
        }
    }

    prop_compose! {
        fn registration()(
            person in person(),
            context in context(),
            indicators in vec(("[a-z_]{1,12}", vec("[a-z0-9_.]{1,8}", 0..4)), 0..3),
            consent in option::of((any::<bool>(), date(), "[a-z]{2,3}", text())),
            sharing in option::of((any::<bool>(), date(), "[a-z]{2,3}", text())),
            guardian in option::of((date(), text(), text())),
            narrative in option::of("[\\PC\n]{1,80}".prop_filter_map("not blank", |s| Narrative::parse("n", &s).ok())),
        ) -> Registration {
            Registration {
                person,
                context,
                indicators: indicators.into_iter().map(|(list, present)| IndicatorAnswers { list, present }).collect(),
                support_consent: consent
                    .map(|(given, date, language, informed_by)| Consent { given, date, language, informed_by }),
                data_sharing_consent: sharing
                    .map(|(given, date, language, informed_by)| Consent { given, date, language, informed_by }),
                guardian: guardian.map(|(appointed_on, name, organisation)| Guardian { appointed_on, name, organisation }),
                narrative,
                imported: None,
            }
        }
    }

    fn referral() -> impl Strategy<Value = HtcdsReferral> {
        (
            word(),
            option::of(date()),
            option::of(select(ReferralReason::ALL.to_vec())),
            option::of(word()),
            option::of("[a-z.]{1,12}"),
        )
            .prop_map(|(organisation, date, reason, details, case_worker)| HtcdsReferral {
                organisation,
                date,
                reason,
                details,
                case_worker,
            })
    }

    fn meta() -> impl Strategy<Value = CaseMeta> {
        (
            option::of("[A-Z0-9-]{1,12}"),
            option::of("[a-z0-9-]{1,20}"),
            option::of(coded::<NrmStatus>()),
            option::of(select(vec![CaseStatus::Active, CaseStatus::Closed])),
            option::of(referral()),
            option::of(referral()),
        )
            .prop_map(|(reference, owner, status, case_status, outgoing_referral, incoming_referral)| {
                CaseMeta { reference, owner, status, case_status, outgoing_referral, incoming_referral }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn generated_registrations_round_trip(regs in vec((registration(), meta()), 1..4)) {
            let docs: Vec<HtcdsCase> = regs.iter().map(|(r, m)| to_htcds(r, m)).collect();
            for (doc, (reg, meta)) in docs.iter().zip(&regs) {
                let (back, back_meta) = from_htcds(doc).unwrap();
                prop_assert_eq!(&back, reg);
                prop_assert_eq!(&back_meta.reference, &meta.reference);
                prop_assert_eq!(&back_meta.owner, &meta.owner);
                prop_assert_eq!(back_meta.status, meta.status);
                // Haven's status and referrals go out in the standard's fields and come back as imported.
                let imported = import_case(doc).unwrap().imported.unwrap_or_default();
                prop_assert_eq!(
                    imported.remainder.get("cas_Status").map(String::as_str),
                    meta.case_status.map(CaseStatus::htcds)
                );
                if let Some(r) = &meta.outgoing_referral {
                    prop_assert_eq!(imported.remainder.get("cas_ReferredOrganisation"), Some(&r.organisation));
                    prop_assert_eq!(
                        imported.remainder.get("cas_OutgoingReferralDate").cloned(),
                        r.date.map(|d| d.to_string())
                    );
                }
                if let Some(r) = &meta.incoming_referral {
                    prop_assert_eq!(imported.remainder.get("cas_ReferringOrganisation"), Some(&r.organisation));
                    prop_assert_eq!(
                        imported.remainder.get("cas_ReasonForIncomingReferral").map(String::as_str),
                        r.reason.map(ReferralReason::htcds)
                    );
                }
            }
            let via_json = from_json(&to_json(&docs)).unwrap();
            prop_assert_eq!(&via_json, &docs);
            let via_csv = from_csv(&to_csv(&docs)).unwrap();
            prop_assert_eq!(&via_csv, &docs);
            for (doc, (reg, _)) in via_csv.iter().zip(&regs) {
                prop_assert_eq!(&from_htcds(doc).unwrap().0, reg);
            }
        }
    }

    /// The standard's part of a document: everything but Haven's section.
    fn standard_part(doc: &HtcdsCase) -> Value {
        let mut value = document_value(doc);
        if let Value::Object(map) = &mut value {
            map.remove(HAVEN_SECTION);
        }
        value
    }

    fn word() -> impl Strategy<Value = String> {
        "[A-Za-zĀ-ž][A-Za-zĀ-ž .,'-]{0,12}[A-Za-zĀ-ž]"
    }

    fn remainder() -> impl Strategy<Value = BTreeMap<String, String>> {
        let status = select(vec!["Active", "FollowUp", "Closed", "ClosedReferred"]);
        let sex = subsequence(
            vec!["Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"],
            0..=4,
        );
        (
            option::of("[a-z]{1,8}@example\\.org"),
            option::of(status),
            sex,
            option::of(some_country()),
            option::of(date()),
            option::of(word()),
        )
            .prop_map(|(email, status, sex, country, date, details)| {
                let mut map = BTreeMap::new();
                if let Some(v) = email {
                    map.insert("prs_Email".to_owned(), v);
                }
                if let Some(v) = status {
                    map.insert("cas_Status".to_owned(), v.to_owned());
                }
                if !sex.is_empty() {
                    map.insert("vic_TypeOfSexExploitation".to_owned(), sex.join(";"));
                }
                if let Some(v) = country {
                    map.insert("prs_MailingCountry".to_owned(), v.as_str().to_owned());
                }
                if let Some(v) = date {
                    map.insert("cas_IncomingReferralDate".to_owned(), v.to_string());
                }
                if let Some(v) = details {
                    map.insert("cas_OutgoingReferralDetails".to_owned(), v);
                }
                map
            })
    }

    fn standard_event() -> impl Strategy<Value = HtcdsEvent> {
        let degrees = |limit: i32| {
            option::of((-limit * 10_000..=limit * 10_000).prop_map(|v| format!("{}", f64::from(v) / 10_000.0)))
        };
        (
            (
                coded::<EventKind>(),
                option::of(date()),
                option::of(some_country()),
                option::of(word()),
                option::of(word()),
            ),
            (option::of(word()), option::of(word()), option::of("[0-9A-Z]{3,8}"), degrees(90), degrees(180)),
        )
            .prop_map(
                |(
                    (hte_type, hte_date, hte_country, hte_city, hte_description),
                    (hte_street, hte_state, hte_postal_code, hte_latitude, hte_longitude),
                )| HtcdsEvent {
                    hte_type,
                    hte_date,
                    hte_country,
                    hte_city,
                    hte_description,
                    hte_street,
                    hte_state,
                    hte_postal_code,
                    hte_latitude,
                    hte_longitude,
                },
            )
    }

    prop_compose! {
        /// A document as another system writes it: the standard's fields only.
        fn standard_document()(
            names in (option::of(word()), option::of(word()), option::of(word())),
            person in (option::of(date()), coded::<Gender>(),
                subsequence(vec!["LV", "EE", "NG", "UA", "VN"], 0..=3), option::of(("[a-z]{2,3}", option::of("[a-z]{2,3}"))),
                option::of("[A-Z0-9]{1,9}")),
            status in (option::of(select(TraffickingStatus::ALL)), option::of(select(DecisionMakingOrg::ALL)), option::of(any::<bool>())),
            types in subsequence(ExploitationType::ALL, 0..=4).prop_shuffle(),
            industry in option::of(coded::<Industry>()),
            recruitment in subsequence(RecruitmentMethod::ALL, 0..=3).prop_shuffle(),
            control in subsequence(MethodOfControl::ALL, 0..=3),
            platforms in subsequence(OnlinePlatform::ALL, 0..=3),
            relationship in option::of(select(HtcdsRelationship::ALL)),
            events in vec(standard_event(), 0..3),
            remainder in remainder(),
        ) -> HtcdsCase {
            let (owner, first, second) = names;
            let (birthdate, gender, citizenship, languages, identity) = person;
            let (trafficking_status, org, consent) = status;
            let labour = types.iter().any(|t| matches!(t, ExploitationType::ForcedLabour | ExploitationType::ChildLabour));
            HtcdsCase {
                cas_case_owner: owner,
                prs_first_name: first,
                prs_second_name: second,
                prs_birthdate: birthdate,
                prs_gender: Some(gender),
                prs_citizenship: citizenship.into_iter().map(country).collect(),
                prs_primary_language: languages.as_ref().map(|(p, _)| p.clone()),
                prs_secondary_language: languages.and_then(|(_, s)| s),
                prs_identity_number: identity,
                vic_trafficking_status: trafficking_status,
                vic_trafficking_status_decision_making_org: org,
                con_consent: consent,
                vic_type_of_exploitation: types,
                vic_forced_labour_industry: industry.filter(|_| labour),
                vic_method_of_recruitment: recruitment,
                vic_methods_of_control: control,
                vic_recruitment_websites_and_apps: platforms,
                vic_relationship_to_trafficker: relationship,
                hte: events,
                remainder,
                ..HtcdsCase::default()
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Another system's document → Haven → the standard again: nothing of the standard's is lost.
        #[test]
        fn a_standard_document_round_trips_through_haven(docs in vec(standard_document(), 1..4)) {
            for via in ["json", "csv", "none"] {
                let read = match via {
                    "json" => read_json(&to_json(&docs)).unwrap(),
                    "csv" => read_csv(&to_csv(&docs)).unwrap(),
                    _ => docs.iter().map(|d| Located { place: String::new(), value: d.clone() }).collect(),
                };
                let regs = import_all(&read).unwrap();
                prop_assert_eq!(regs.len(), docs.len());
                for (reg, doc) in regs.into_iter().zip(&docs) {
                    let reg = reg.normalise(catalogue()).unwrap();
                    let back = to_htcds(&reg, &CaseMeta::default());
                    prop_assert_eq!(standard_part(&back), standard_part(doc), "via {}", via);
                }
            }
        }

        /// Haven → the standard → another Haven instance → the standard: the same document, and the same
        /// registration.
        #[test]
        fn a_haven_export_imported_elsewhere_exports_the_same(regs in vec((registration(), meta()), 1..3)) {
            for (reg, meta) in &regs {
                let doc = to_htcds(reg, meta);
                let imported = import_case(&from_csv(&to_csv(std::slice::from_ref(&doc))).unwrap()[0]).unwrap();
                let again = to_htcds(&imported, &CaseMeta::default());
                prop_assert_eq!(standard_part(&again), standard_part(&doc));
                let mut without = imported.clone();
                without.imported = None;
                prop_assert_eq!(&without, reg);
            }
        }
    }
}
