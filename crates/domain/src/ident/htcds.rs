//! Exchange in the IOM Human Trafficking Case Data Standard (HTCDS) v2.0: a registration as one flat
//! document keyed by HTCDS field names (`prs_FirstName`, `vic_TypeOfExploitation`, …), written as JSON
//! (an array of documents) or CSV (one row per case).
//!
//! What HTCDS has no field for travels in extension fields named `x_haven_…`, so that a Haven export reads
//! back unchanged. A document from another system, without them, still imports: the HTCDS fields alone give
//! a sensible registration. Fields Haven does not read (`prs_Email`, `cas_Status`, …) are refused rather
//! than dropped silently. `docs/htcds.md` has the mapping table.
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
use std::collections::BTreeSet;

/// An HTCDS picklist value, or a Haven value with an HTCDS spelling.
trait HtcdsValue: Sized + Copy + 'static {
    fn htcds_name(self) -> &'static str;
    fn parse_htcds(value: &str) -> Result<Self, ParseError>;
}

fn parse_picklist<T: HtcdsValue>(field: &str, all: &[T], value: &str) -> Result<T, ParseError> {
    let value = value.trim();
    all.iter().copied().find(|v| v.htcds_name() == value).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|v| v.htcds_name()).collect();
        ParseError::new(field, format!("unknown HTCDS value {value:?}; expected one of {}", known.join(", ")))
    })
}

macro_rules! htcds_value_of {
    ($($name:ident),+) => {$(
        impl HtcdsValue for $name {
            fn htcds_name(self) -> &'static str {
                self.htcds()
            }
            fn parse_htcds(value: &str) -> Result<Self, ParseError> {
                Self::from_htcds(value)
            }
        }
    )+};
}

htcds_value_of!(MethodOfControl, RecruitmentMethod, OnlinePlatform, EventKind);

impl HtcdsValue for Gender {
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

    fn parse_htcds(value: &str) -> Result<Self, ParseError> {
        parse_picklist("Gender", Self::ALL, value)
    }
}

/// Declares an HTCDS picklist that Haven has no enum for; serde reads and writes the HTCDS spelling.
macro_rules! htcds_picklist {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $spelling:literal),+ $(,)? }) => {
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

            /// Reads an HTCDS v2.0 value.
            pub fn from_htcds(value: &str) -> Result<Self, ParseError> {
                parse_picklist(stringify!($name), Self::ALL, value)
            }
        }

        htcds_value_of!($name);

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
    pub enum TraffickingStatus {
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
    pub enum ExploitationType {
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
    /// HTCDS `vic_RelationshipToTrafficker`.
    pub enum HtcdsRelationship {
        Familial => "Familial",
        Acquainted => "Acquainted",
        Unacquainted => "Unacquainted",
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

    pub fn deserialize<'de, T: HtcdsValue, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        let values = Vec::<String>::deserialize(d)?;
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
    #[serde(rename = "vic_ForcedLabourIndustry", skip_serializing_if = "Option::is_none")]
    pub vic_forced_labour_industry: Option<Industry>,
    #[serde(rename = "x_haven_acts", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_acts: Vec<Act>,
    #[serde(rename = "x_haven_means", skip_serializing_if = "Vec::is_empty")]
    pub x_haven_means: Vec<Means>,
    #[serde(rename = "vic_MethodsOfControl", with = "htcds_list", skip_serializing_if = "Vec::is_empty")]
    pub vic_methods_of_control: Vec<MethodOfControl>,
    #[serde(rename = "vic_MethodOfRecruitment", with = "htcds_opt", skip_serializing_if = "Option::is_none")]
    pub vic_method_of_recruitment: Option<RecruitmentMethod>,
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
}

/// What a case adds to its registration in an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMeta {
    /// The case reference (`x_haven_case_reference`).
    pub reference: Option<String>,
    /// The organisation that owns the case (`cas_CaseOwner`).
    pub owner: Option<String>,
    /// The NRM status (`vic_TraffickingStatus` and `x_haven_status`).
    pub status: Option<NrmStatus>,
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
    let p = &reg.person;
    let c = &reg.context;
    let first_document = p.documents.first();
    HtcdsCase {
        cas_case_owner: meta.owner.clone(),
        x_haven_case_reference: meta.reference.clone(),
        vic_trafficking_status: meta.status.and_then(TraffickingStatus::from_nrm),
        x_haven_status: meta.status,

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
        vic_method_of_recruitment: c.recruitment_method,
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
    let meta = CaseMeta { reference: doc.x_haven_case_reference.clone(), owner: doc.cas_case_owner.clone(), status };

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
        let expected: BTreeSet<ExploitationType> = doc.x_haven_forms.iter().map(ExploitationType::from_form).collect();
        let given: BTreeSet<ExploitationType> = doc.vic_type_of_exploitation.iter().copied().collect();
        if expected != given {
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
        recruitment_method: doc.vic_method_of_recruitment,
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

/// Reads one document. Null values count as absent; unknown fields are refused.
fn case_from_map(mut map: Map<String, Value>) -> Result<HtcdsCase, Failure> {
    map.retain(|_, v| !v.is_null());
    if let Some(key) = map.keys().find(|k| !CSV_HEADER.contains(&k.as_str())) {
        return Err(Failure {
            field: key.clone(),
            inner: String::new(),
            message: "is not an HTCDS field that Haven reads; remove it before import (fields are refused rather \
                      than dropped)"
                .to_owned(),
        });
    }
    serde_json::from_value(Value::Object(map.clone())).map_err(|e| {
        locate(&map).unwrap_or(Failure { field: String::new(), inner: String::new(), message: e.to_string() })
    })
}

// ---------------------------------------------------------------------------------------------------------
// JSON

/// The documents as a JSON array.
pub fn to_json(cases: &[HtcdsCase]) -> String {
    // Serialising these types cannot fail (strings, booleans, lists and structs of them). Should it ever,
    // the empty string returned is not JSON, so it cannot be read back as an empty export.
    serde_json::to_string_pretty(cases).unwrap_or_default()
}

/// Reads a JSON array of documents. Errors name the array index and the field path (`[3].prs_Birthdate`,
/// `[0].hte[1].hte_Date`).
pub fn from_json(text: &str) -> Result<Vec<HtcdsCase>, ParseError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ParseError::new("json", format!("not valid JSON: {e}")))?;
    let Value::Array(items) = value else {
        return Err(ParseError::new("json", "expected a JSON array of HTCDS documents"));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(map) = item else {
                return Err(ParseError::new(format!("[{i}]"), "expected a JSON object (one HTCDS document)"));
            };
            case_from_map(map).map_err(|f| ParseError::new(format!("[{i}].{}{}", f.field, f.inner), f.message))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// CSV

/// How a CSV cell holds a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// The text as is (codes, dates, free text).
    Text,
    /// `true` or `false` (read without regard to case).
    Flag,
    /// Items joined with `;`; a `;` or `\` inside an item is written `\;` or `\\`.
    List,
    /// JSON text (nested records and lists of them).
    Json,
}

/// The CSV columns, in the order of [`HtcdsCase`]'s fields.
const COLUMNS: &[(&str, Cell)] = &[
    ("cas_CaseOwner", Cell::Text),
    ("x_haven_case_reference", Cell::Text),
    ("vic_TraffickingStatus", Cell::Text),
    ("x_haven_status", Cell::Text),
    ("prs_FirstName", Cell::Text),
    ("prs_SecondName", Cell::Text),
    ("x_haven_aliases", Cell::List),
    ("x_haven_previous_family_names", Cell::List),
    ("prs_Birthdate", Cell::Text),
    ("x_haven_dob_verified", Cell::Flag),
    ("x_haven_age_estimate", Cell::Json),
    ("x_haven_reasons_to_believe_child", Cell::Flag),
    ("x_haven_age_assessments", Cell::Json),
    ("prs_Gender", Cell::Text),
    ("x_haven_sex", Cell::Text),
    ("prs_Citizenship", Cell::List),
    ("prs_PrimaryLanguage", Cell::Text),
    ("prs_SecondaryLanguage", Cell::Text),
    ("x_haven_other_languages", Cell::List),
    ("x_haven_interpreter_needed", Cell::Flag),
    ("x_haven_safe_contact", Cell::Text),
    ("prs_IdentityNumber", Cell::Text),
    ("x_haven_identity_document_kind", Cell::Text),
    ("x_haven_identity_document_country", Cell::Text),
    ("x_haven_other_documents", Cell::Json),
    ("vic_TypeOfExploitation", Cell::List),
    ("x_haven_forms", Cell::List),
    ("x_haven_other_form", Cell::Text),
    ("vic_ForcedLabourIndustry", Cell::Text),
    ("x_haven_acts", Cell::List),
    ("x_haven_means", Cell::List),
    ("vic_MethodsOfControl", Cell::List),
    ("vic_MethodOfRecruitment", Cell::Text),
    ("vic_RecruitmentWebsitesAndApps", Cell::List),
    ("vic_RelationshipToTrafficker", Cell::Text),
    ("x_haven_relationship_to_trafficker", Cell::Text),
    ("x_haven_vulnerabilities", Cell::List),
    ("x_haven_consent_to_exploitation", Cell::Flag),
    ("hte", Cell::Json),
    ("con_Consent", Cell::Flag),
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

/// The CSV header: every field of [`HtcdsCase`], in a stable order. Reading accepts any order and any
/// subset of these columns.
pub const CSV_HEADER: &[&str] = &{
    let mut names = [""; COLUMN_COUNT];
    let mut i = 0;
    while i < COLUMN_COUNT {
        names[i] = COLUMNS[i].0;
        i += 1;
    }
    names
};

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
        (Cell::Text | Cell::Flag | Cell::List, Value::String(s)) => s.clone(),
        (Cell::Flag, Value::Bool(b)) => b.to_string(),
        (Cell::List, Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => escape_item(s),
                other => escape_item(&other.to_string()),
            })
            .collect::<Vec<_>>()
            .join(";"),
        (_, other) => other.to_string(),
    }
}

fn cell_value(kind: Cell, cell: &str) -> Result<Value, String> {
    match kind {
        Cell::Text => Ok(Value::String(cell.to_owned())),
        Cell::Flag => match cell.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{cell:?} is neither true nor false")),
        },
        Cell::List => Ok(Value::Array(split_list(cell)?.into_iter().map(Value::String).collect())),
        Cell::Json => serde_json::from_str(cell).map_err(|e| format!("not valid JSON: {e}")),
    }
}

fn write_csv(cases: &[HtcdsCase]) -> Result<String, Box<dyn std::error::Error>> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for case in cases {
        let Value::Object(map) = serde_json::to_value(case)? else {
            return Err("a document did not serialise to an object".into());
        };
        // Cells that a spreadsheet would run as formulas are neutralised (and read back as written).
        writer.write_record(
            COLUMNS
                .iter()
                .map(|(name, kind)| crate::text::csv_cell_for_export(&cell_text(*kind, map.get(*name))).into_owned()),
        )?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// The documents as CSV with the header [`CSV_HEADER`], one row per case. Lists are joined with `;`,
/// with `\;` and `\\` for a `;` or `\` inside an item; events, documents, age assessments, indicators and
/// the age estimate are JSON text in their cell; absent values are empty cells.
pub fn to_csv(cases: &[HtcdsCase]) -> String {
    // Writing to memory cannot fail. Should it ever, the empty string returned has no header row, so
    // [`from_csv`] refuses it rather than reading it as an empty export.
    write_csv(cases).unwrap_or_default()
}

fn csv_error(e: &csv::Error) -> ParseError {
    let field = match e.position() {
        Some(p) => format!("line {}", p.line()),
        None => "csv".to_owned(),
    };
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} columns where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    ParseError::new(field, message)
}

/// Reads CSV written by [`to_csv`], or by another system with any order and subset of the columns of
/// [`CSV_HEADER`]. Errors name the line and the column (`line 4, column prs_Birthdate`); a line counts
/// the lines inside quoted cells.
pub fn from_csv(text: &str) -> Result<Vec<HtcdsCase>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(&e))?.clone();
    if header.is_empty() {
        return Err(ParseError::new("line 1", "no header row"));
    }
    let mut columns: Vec<(&'static str, Cell)> = Vec::with_capacity(header.len());
    for name in header.iter().map(str::trim) {
        let Some(&(known, kind)) = COLUMNS.iter().find(|(c, _)| *c == name) else {
            return Err(ParseError::new(
                format!("line 1, column {name}"),
                "is not an HTCDS field that Haven reads; remove the column before import",
            ));
        };
        if columns.iter().any(|(c, _)| *c == known) {
            return Err(ParseError::new(format!("line 1, column {name}"), "appears twice"));
        }
        columns.push((known, kind));
    }

    let mut cases = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let at = |column: &str| format!("line {line}, column {column}");
        let mut map = Map::new();
        for ((name, kind), cell) in columns.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let cell = crate::text::csv_cell_from_export(cell);
            let value = cell_value(*kind, cell).map_err(|message| ParseError::new(at(name), message))?;
            map.insert((*name).to_owned(), value);
        }
        let case = case_from_map(map).map_err(|f| {
            let message = if f.inner.is_empty() { f.message } else { format!("at {}: {}", f.inner, f.message) };
            ParseError::new(at(&f.field), message)
        })?;
        cases.push(case);
    }
    Ok(cases)
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
        };
        let meta = CaseMeta {
            reference: Some("LV-2025-0042".into()),
            owner: Some("0190a7a2-5b1c-7d3e-9f00-1a2b3c4d5e6f".into()),
            status: Some(NrmStatus::PresumedVictim),
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
        assert_eq!(value["vic_ForcedLabourIndustry"], "S");
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
    fn the_csv_header_lists_every_field_in_order() {
        let (reg, meta) = rich();
        let json = serde_json::to_string(&to_htcds(&reg, &meta)).unwrap();
        let Value::Object(map) = serde_json::from_str::<Value>(&json).unwrap() else { panic!("not an object") };
        let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
        let mut header = CSV_HEADER.to_vec();
        keys.sort_unstable();
        header.sort_unstable();
        assert_eq!(keys, header, "the rich fixture fills every field, and the header lists them all");
        let positions: Vec<usize> = CSV_HEADER.iter().map(|name| json.find(&format!("\"{name}\":")).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "the header follows the field order");
        let csv = to_csv(&[to_htcds(&reg, &meta)]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        for (name, cell) in CSV_HEADER.iter().zip(row.iter()) {
            assert!(!cell.is_empty(), "{name} is empty");
        }
        assert_eq!(row.get(6), Some("Олена;Zhanna\\; \"Žaņa\";back\\\\slash"));
        assert_eq!(row.get(25), Some("SexualExploitation;Other;ForcedBegging"));
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
            CaseMeta { reference: None, owner: Some("IOM-UA-Kyiv".into()), status: Some(NrmStatus::Referred) }
        );

        let csv = "prs_SecondName,prs_FirstName,vic_TypeOfExploitation\nKovalenko,Olena,SexualExploitation;Other\n";
        let (reg, _) = from_htcds(&from_csv(csv).unwrap()[0]).unwrap();
        assert_eq!(reg.person.family_names, "Kovalenko");
        assert_eq!(reg.context.forms, vec![form("sexual"), form("other")]);
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
        let err = from_json(r#"[{"prs_Email": "a@example.org"}]"#).unwrap_err();
        assert_eq!(err.field, "[0].prs_Email");
        let err = from_json(r#"[{"hte": [{"hte_Type": "Transit", "hte_Street": "Main"}]}]"#).unwrap_err();
        assert_eq!(err.field, "[0].hte[0].hte_Street");

        let csv = "prs_FirstName,vic_TypeOfExploitation\nAnna,SexualExploitation\nIeva,ForcedLabour;Tourism\n";
        let err = from_csv(csv).unwrap_err();
        assert_eq!(err.field, "line 3, column vic_TypeOfExploitation");
        assert!(err.message.contains("Tourism") && err.message.contains("at [1]"), "{err}");
        let err = from_csv("prs_FirstName,prs_Email\nAnna,a@example.org\n").unwrap_err();
        assert_eq!(err.field, "line 1, column prs_Email");
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
        let err = from_csv("x_haven_dob_verified\nyes\n").unwrap_err();
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
    fn text() -> impl Strategy<Value = String> {
        "[\\p{L}\\p{N} ,.;:\"'()\\\\-]{1,30}"
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
            }
        }
    }

    fn meta() -> impl Strategy<Value = CaseMeta> {
        (option::of("[A-Z0-9-]{1,12}"), option::of("[a-z0-9-]{1,20}"), option::of(coded::<NrmStatus>()))
            .prop_map(|(reference, owner, status)| CaseMeta { reference, owner, status })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn generated_registrations_round_trip(regs in vec((registration(), meta()), 1..4)) {
            let docs: Vec<HtcdsCase> = regs.iter().map(|(r, m)| to_htcds(r, m)).collect();
            for (doc, expected) in docs.iter().zip(&regs) {
                prop_assert_eq!(&from_htcds(doc).unwrap(), expected);
            }
            let via_json = from_json(&to_json(&docs)).unwrap();
            prop_assert_eq!(&via_json, &docs);
            let via_csv = from_csv(&to_csv(&docs)).unwrap();
            prop_assert_eq!(&via_csv, &docs);
            for (doc, expected) in via_csv.iter().zip(&regs) {
                prop_assert_eq!(&from_htcds(doc).unwrap(), expected);
            }
        }
    }
}
