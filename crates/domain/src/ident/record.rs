//! The registration of a presumed victim (Dir 2011/36 Arts 2, 11, 13; Convention Art 10):
//! the person and the trafficking context, as a first responder records them. A registration
//! may be saved as a draft with any part missing, and is checked in full when it is referred to
//! the national referral mechanism.
//!
//! Field names follow the Human Trafficking Case Data Standard v2.0 where it has one (see
//! [`super::htcds`] for the mapping).

use super::age::{AgeAssessment, AgeInfo, AgeRange, AgeStatus, age_status, age_status_then};
use super::forms::{
    Act, EventKind, FormCatalogue, FormId, Industry, Means, MethodOfControl, OnlinePlatform, RecruitmentMethod,
    RelationshipToTrafficker, StatGroup, Vulnerability,
};
use super::legal_test::{AgeBasis, LegalTestInput};
use crate::case::{CalendarDate, PersonIdentity, Sex};
use crate::org::CountryCode;
use crate::text::{Narrative, parse_line};
use crate::{Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

coded_enum! {
    /// Gender as HTCDS v2.0 records it (the statistical variable is [`Sex`]).
    pub enum Gender {
        Feminine => "feminine",
        Masculine => "masculine",
        TransgenderFeminine => "transgender_feminine",
        TransgenderMasculine => "transgender_masculine",
        NonConforming => "non_conforming",
        Unknown => "unknown",
    }
}

coded_enum! {
    /// Kinds of identity document.
    pub enum DocumentKind {
        Passport => "passport",
        IdentityCard => "identity_card",
        ResidencePermit => "residence_permit",
        BirthCertificate => "birth_certificate",
        DrivingLicence => "driving_licence",
        Other => "other",
    }
}

coded_enum! {
    /// Where a registration stands: a draft (for instance started on a phone in the field) or
    /// referred to the national referral mechanism.
    pub enum RegistrationState {
        Draft => "draft",
        Submitted => "submitted",
    }
}

coded_enum! {
    /// Child or adult, as the platform treats the person on a given day.
    pub enum ChildStatus {
        /// Under 18 on a verified date of birth (Dir 2011/36 Art 2(6)).
        Child => "child",
        /// Age uncertain and reasons to believe a child: presumed a child (Art 13(2); Convention Art 10(3)).
        PresumedChild => "presumed_child",
        Adult => "adult",
        Unknown => "unknown",
    }
}

impl ChildStatus {
    pub fn from_age_status(status: &AgeStatus) -> Self {
        match status {
            AgeStatus::Child { .. } => Self::Child,
            AgeStatus::PresumedChild { .. } => Self::PresumedChild,
            AgeStatus::Adult { .. } | AgeStatus::AssessedAdult { .. } | AgeStatus::PresumedAdult { .. } => Self::Adult,
            AgeStatus::Unknown => Self::Unknown,
        }
    }

    /// Every child protection applies (a child or a presumed child).
    pub fn is_child(self) -> bool {
        matches!(self, Self::Child | Self::PresumedChild)
    }
}

fn unknown_sex() -> Sex {
    Sex::Unknown
}

fn unknown_gender() -> Gender {
    Gender::Unknown
}

/// An identity document; its number is an identifier (encrypted, searchable by keyed index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityDocument {
    pub kind: DocumentKind,
    pub number: String,
    #[serde(default)]
    pub issuing_country: Option<CountryCode>,
}

/// The person (HTCDS `prs_`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonDetails {
    pub given_names: String,
    pub family_names: String,
    pub aliases: Vec<String>,
    /// Maiden or earlier married surnames.
    pub previous_family_names: Vec<String>,
    pub date_of_birth: Option<CalendarDate>,
    /// The date of birth was checked against a document.
    pub dob_verified: bool,
    /// An estimate when the date of birth is unknown or doubted.
    pub age_estimate: Option<AgeRange>,
    /// There are reasons to believe the person is a child (Art 13(2)).
    pub reasons_to_believe_child: bool,
    pub age_assessments: Vec<AgeAssessment>,
    #[serde(default = "unknown_sex")]
    pub sex: Sex,
    #[serde(default = "unknown_gender")]
    pub gender: Gender,
    pub citizenships: Vec<CountryCode>,
    /// ISO 639 codes (two or three lower-case letters).
    pub languages: Vec<String>,
    pub interpreter_needed: bool,
    /// How to reach the person safely.
    pub safe_contact: Option<String>,
    pub documents: Vec<IdentityDocument>,
}

impl Default for PersonDetails {
    fn default() -> Self {
        Self {
            given_names: String::new(),
            family_names: String::new(),
            aliases: Vec::new(),
            previous_family_names: Vec::new(),
            date_of_birth: None,
            dob_verified: false,
            age_estimate: None,
            reasons_to_believe_child: false,
            age_assessments: Vec::new(),
            sex: Sex::Unknown,
            gender: Gender::Unknown,
            citizenships: Vec::new(),
            languages: Vec::new(),
            interpreter_needed: false,
            safe_contact: None,
            documents: Vec::new(),
        }
    }
}

/// One event of the trafficking timeline (HTCDS `hte_`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraffickingEvent {
    pub kind: EventKind,
    #[serde(default)]
    pub date: Option<CalendarDate>,
    #[serde(default)]
    pub country: Option<CountryCode>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// The trafficking context (HTCDS `vic_`; Dir 2011/36 Art 2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TraffickingContext {
    pub acts: BTreeSet<Act>,
    pub means: BTreeSet<Means>,
    pub methods_of_control: BTreeSet<MethodOfControl>,
    pub forms: Vec<FormId>,
    /// ISIC section, for forced labour.
    pub forced_labour_industry: Option<Industry>,
    /// What the form "other" was.
    pub other_form: Option<String>,
    pub events: Vec<TraffickingEvent>,
    pub recruitment_method: Option<RecruitmentMethod>,
    pub online_platforms: BTreeSet<OnlinePlatform>,
    pub relationship_to_trafficker: Option<RelationshipToTrafficker>,
    pub vulnerabilities: BTreeSet<Vulnerability>,
    /// Whether the person said they agreed to the exploitation: irrelevant once a means was used
    /// (Art 2(4)), recorded only so that the legal test can say so.
    pub consent_to_exploitation: Option<bool>,
}

/// Indicators found present, per indicator list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorAnswers {
    pub list: String,
    pub present: Vec<String>,
}

/// An informed consent, given or refused: to assistance and referral to support, or to sharing
/// identifying data (see [`Registration`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// `false`: the person was informed and refused.
    pub given: bool,
    pub date: CalendarDate,
    /// The language the person was informed in (ISO 639).
    pub language: String,
    /// Who informed the person.
    pub informed_by: String,
}

/// A child's guardian or representative (Arts 14(2), 16(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    pub appointed_on: CalendarDate,
    pub name: String,
    pub organisation: String,
}

/// A registration as stored (encrypted) and exchanged.
///
/// Three things are kept apart:
/// - **identification** by the competent authority, which no consent gates (CETS 197 Art 10): the
///   registration is referred for identification whatever the person consented to, and the
///   protection from removal (CETS 197 Art 10(2)) and the recovery and reflection period (CETS 197
///   Art 13) follow from the procedure, never from a consent;
/// - [`Registration::support_consent`], to assistance and to referral to a support organisation
///   (Dir 2011/36 Art 11(5); CETS 197 Art 12(7));
/// - [`Registration::data_sharing_consent`], to sharing identifying data with another organisation
///   or country (the data-protection basis of that sharing).
///
/// A national profile may ask an adult's consent before a formal referral
/// ([`super::profile::ProfileVersion::adult_consent_before_referral`]): national practice, checked
/// by [`Registration::check_national_consent_before_referral`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Registration {
    pub person: PersonDetails,
    pub context: TraffickingContext,
    pub indicators: Vec<IndicatorAnswers>,
    /// Consent to assistance and to referral to a support organisation (Dir 2011/36 Art 11(5);
    /// CETS 197 Art 12(7)). Registrations stored before the three were kept apart wrote it as
    /// `consent` ("consent to referral"), which is read here.
    #[serde(alias = "consent")]
    pub support_consent: Option<Consent>,
    /// Consent to share identifying data with another organisation or country. `None`: not asked.
    pub data_sharing_consent: Option<Consent>,
    pub guardian: Option<Guardian>,
    pub narrative: Option<Narrative>,
    /// What a case imported from another system's HTCDS file brought that Haven does not record as its
    /// own (the status decided there, fields Haven has no place for). Not editable; kept through edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<super::htcds::HtcdsImported>,
}

fn optional_line(field: &str, value: &Option<String>, max: usize) -> Result<Option<String>, ParseError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_line(field, v, max).map(Some),
    }
}

fn lines(field: &str, values: &[String], max: usize, max_items: usize) -> Result<Vec<String>, ParseError> {
    if values.len() > max_items {
        return Err(ParseError::said(
            field,
            format!("at most {max_items} entries"),
            Message::new(MessageId::AtMostEntries).with("max", max_items),
        ));
    }
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(i, v)| parse_line(&format!("{field}[{i}]"), v, max))
        .collect()
}

/// An ISO 639-1 or 639-2/3 language code: two or three lower-case ASCII letters.
pub fn parse_language(field: &str, value: &str) -> Result<String, ParseError> {
    let v = value.trim().to_ascii_lowercase();
    if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(v)
    } else {
        Err(ParseError::said(
            field,
            format!("{value:?} is not an ISO 639 language code (two or three letters)"),
            Message::new(MessageId::NotAnIso639Code).with("value", value),
        ))
    }
}

impl Registration {
    /// Checks and normalises every field that is filled in (a draft may leave any out): text
    /// bounded and without control characters, forms of exploitation from the catalogue,
    /// codes valid. The error names the field by its path.
    pub fn normalise(mut self, catalogue: &FormCatalogue) -> Result<Self, ParseError> {
        let p = &mut self.person;
        p.given_names = if p.given_names.trim().is_empty() {
            String::new()
        } else {
            parse_line("person.given_names", &p.given_names, 200)?
        };
        p.family_names = if p.family_names.trim().is_empty() {
            String::new()
        } else {
            parse_line("person.family_names", &p.family_names, 200)?
        };
        p.aliases = lines("person.aliases", &p.aliases, 200, 20)?;
        p.previous_family_names = lines("person.previous_family_names", &p.previous_family_names, 200, 10)?;
        p.safe_contact = optional_line("person.safe_contact", &p.safe_contact, 500)?;
        if p.citizenships.len() > 5 {
            return Err(ParseError::said(
                "person.citizenships",
                "at most 5 citizenships",
                Message::new(MessageId::AtMostCitizenships).with("max", 5),
            ));
        }
        let mut seen = BTreeSet::new();
        p.citizenships.retain(|c| seen.insert(*c));
        p.languages = p
            .languages
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| parse_language(&format!("person.languages[{i}]"), l))
            .collect::<Result<_, _>>()?;
        if p.documents.len() > 10 {
            return Err(ParseError::said(
                "person.documents",
                "at most 10 documents",
                Message::new(MessageId::AtMostDocuments).with("max", 10),
            ));
        }
        for (i, d) in p.documents.iter_mut().enumerate() {
            d.number = parse_line(&format!("person.documents[{i}].number"), &d.number, 60)?;
        }
        for (i, a) in p.age_assessments.iter_mut().enumerate() {
            a.assessed_by = parse_line(&format!("person.age_assessments[{i}].assessed_by"), &a.assessed_by, 300)?;
        }

        let c = &mut self.context;
        for (i, f) in c.forms.iter().enumerate() {
            if catalogue.get(f.as_str()).is_none() {
                return Err(ParseError::said(
                    format!("context.forms[{i}]"),
                    format!("{:?} is not a form of exploitation in the catalogue", f.as_str()),
                    Message::new(MessageId::NotAFormOfExploitation).with("value", f.as_str()),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        c.forms.retain(|f| seen.insert(f.clone()));
        if c.forced_labour_industry.is_some()
            && !c.forms.iter().any(|f| catalogue.stat_group(f) == StatGroup::ForcedLabour)
        {
            return Err(ParseError::said(
                "context.forced_labour_industry",
                "an industry is recorded only for forced labour or services (including begging)",
                crate::Message::new(crate::MessageId::IndustryOnlyForcedLabour),
            ));
        }
        c.other_form = optional_line("context.other_form", &c.other_form, 300)?;
        if c.events.len() > 50 {
            return Err(ParseError::said(
                "context.events",
                "at most 50 events",
                Message::new(MessageId::AtMostEvents).with("max", 50),
            ));
        }
        for (i, e) in c.events.iter_mut().enumerate() {
            e.place = optional_line(&format!("context.events[{i}].place"), &e.place, 300)?;
            e.description = optional_line(&format!("context.events[{i}].description"), &e.description, 2000)?;
        }

        for (i, answers) in self.indicators.iter().enumerate() {
            if answers.list.trim().is_empty() {
                return Err(ParseError::empty(format!("indicators[{i}].list")));
            }
            if answers.present.len() > 500 {
                return Err(ParseError::said(
                    format!("indicators[{i}].present"),
                    "too many indicators",
                    Message::new(MessageId::TooManyIndicators),
                ));
            }
        }
        for (field, consent) in
            [("support_consent", &mut self.support_consent), ("data_sharing_consent", &mut self.data_sharing_consent)]
        {
            if let Some(consent) = consent {
                consent.language = parse_language(&format!("{field}.language"), &consent.language)?;
                consent.informed_by = parse_line(&format!("{field}.informed_by"), &consent.informed_by, 200)?;
            }
        }
        if let Some(g) = &mut self.guardian {
            g.name = parse_line("guardian.name", &g.name, 200)?;
            g.organisation = parse_line("guardian.organisation", &g.organisation, 200)?;
        }
        self.imported = self.imported.map(super::htcds::HtcdsImported::normalise).transpose()?;
        Ok(self)
    }

    /// What the age rules need.
    pub fn age_info(&self) -> AgeInfo {
        AgeInfo {
            date_of_birth: self.person.date_of_birth,
            dob_verified: self.person.dob_verified,
            estimate: self.person.age_estimate,
            reasons_to_believe_child: self.person.reasons_to_believe_child,
            assessments: self.person.age_assessments.clone(),
        }
    }

    pub fn age_status(&self, on: CalendarDate) -> AgeStatus {
        age_status(&self.age_info(), on)
    }

    pub fn child_status(&self, on: CalendarDate) -> ChildStatus {
        ChildStatus::from_age_status(&self.age_status(on))
    }

    /// The earliest date of the acts the record holds: the first dated event of the timeline
    /// (recruitment, transit or exploitation). `None` when no event is dated.
    pub fn acts_began_on(&self) -> Option<CalendarDate> {
        self.context.events.iter().filter_map(|e| e.date).min()
    }

    /// What the definition of trafficking (Dir 2011/36 Art 2; CETS 197 Art 4) is applied to. The
    /// child rule (Dir 2011/36 Art 2(5)) looks at the age when the acts took place: on the earliest
    /// date of the acts recorded ([`Self::acts_began_on`]), on what is known on `registered_on`;
    /// without a date of the acts, at `registered_on`, and the advice says so.
    pub fn legal_test_input(&self, registered_on: CalendarDate) -> LegalTestInput {
        let (status, age_basis) = match self.acts_began_on() {
            Some(on) => (age_status_then(&self.age_info(), on, registered_on), AgeBasis::TimeOfTheActs { on }),
            None => (self.age_status(registered_on), AgeBasis::Registration { on: registered_on }),
        };
        LegalTestInput {
            acts: self.context.acts.clone(),
            means: self.context.means.clone(),
            purposes: self.context.forms.iter().cloned().collect(),
            is_child_or_presumed_child: status.child_protections_apply(),
            age_basis: Some(age_basis),
            consent_to_exploitation: self.context.consent_to_exploitation,
        }
    }

    /// Whether the registration may be referred to the national referral mechanism for
    /// identification on `on`: someone to refer (a name or an alias), and no consent dated after
    /// `on`. No consent is required: identification by the competent authority does not wait for
    /// the person's consent to support or to data sharing (CETS 197 Art 10; Dir 2011/36 Art 11(5)
    /// and CETS 197 Art 12(7) concern consent to assistance). Where the national profile asks an
    /// adult's consent before a formal referral, [`Self::check_national_consent_before_referral`]
    /// checks it as well.
    pub fn check_referable(&self, on: CalendarDate) -> Result<(), ParseError> {
        let p = &self.person;
        if p.given_names.is_empty() && p.family_names.is_empty() && p.aliases.is_empty() {
            return Err(ParseError::said(
                "person.given_names",
                "a referral needs a name or an alias (one the person uses is enough)",
                crate::Message::new(crate::MessageId::ReferralNeedsName),
            ));
        }
        for (field, consent) in
            [("support_consent.date", &self.support_consent), ("data_sharing_consent.date", &self.data_sharing_consent)]
        {
            if consent.as_ref().is_some_and(|c| c.date > on) {
                return Err(ParseError::future(field, "the consent date is in the future"));
            }
        }
        Ok(())
    }

    /// National practice, not a rule of the Directive or the Convention: where the profile in
    /// force asks it (`adult_consent_before_referral`), an adult is formally referred only with
    /// informed consent to assistance and referral. It applies to an adult only: a child or a
    /// presumed child (Dir 2011/36 Art 13(2); CETS 197 Art 10(3)) and a person whose age is not
    /// recorded are referred without it.
    pub fn check_national_consent_before_referral(
        &self,
        on: CalendarDate,
        required_by_profile: bool,
    ) -> Result<(), ParseError> {
        if !required_by_profile || self.child_status(on) != ChildStatus::Adult {
            return Ok(());
        }
        match &self.support_consent {
            Some(c) if c.given => Ok(()),
            _ => Err(ParseError::said(
                "support_consent",
                "national practice in this country: an adult is formally referred only with informed consent to \
                 assistance and referral (not a requirement of Dir 2011/36 or CETS 197); without it, file an \
                 anonymous notification so that the person is still counted",
                Message::new(MessageId::AdultReferralNeedsConsent),
            )),
        }
    }

    /// The identity kept in the person table (names, date of birth, sex).
    pub fn identity(&self) -> PersonIdentity {
        PersonIdentity {
            given_names: self.person.given_names.clone(),
            family_names: self.person.family_names.clone(),
            aliases: self.person.aliases.clone(),
            date_of_birth: self.person.date_of_birth,
            sex: self.person.sex,
        }
    }

    /// A short display name for lists and pages ("(no name)" for an unnamed draft).
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.person.given_names, self.person.family_names).trim().to_owned();
        if !name.is_empty() {
            name
        } else if let Some(alias) = self.person.aliases.first() {
            alias.clone()
        } else {
            "(no name)".to_owned()
        }
    }

    /// Citizenships as comma-separated codes (coded column for statistics).
    pub fn citizenship_codes(&self) -> String {
        self.person.citizenships.iter().map(CountryCode::as_str).collect::<Vec<_>>().join(",")
    }

    pub fn form_codes(&self) -> String {
        self.context.forms.iter().map(FormId::as_str).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> &'static FormCatalogue {
        FormCatalogue::embedded().unwrap()
    }

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn adult() -> Registration {
        let mut r = Registration::default();
        r.person.given_names = "Anna".into();
        r.person.family_names = "Ozola".into();
        r.person.date_of_birth = Some(d("1990-05-01"));
        r.person.dob_verified = true;
        r
    }

    #[test]
    fn an_empty_draft_is_valid_but_not_referable() {
        let r = Registration::default().normalise(catalogue()).unwrap();
        assert_eq!(r.check_referable(d("2026-01-01")).unwrap_err().field, "person.given_names");
    }

    fn consent(given: bool) -> Option<Consent> {
        Some(Consent { given, date: d("2025-12-31"), language: "lv".into(), informed_by: "X".into() })
    }

    #[test]
    fn art_11_5_dir_2011_36_identification_does_not_wait_for_consent_to_support() {
        // CETS 197 Art 10: identification by the competent authority is not gated by consent, which
        // concerns assistance and referral to support (Dir 2011/36 Art 11(5); CETS 197 Art 12(7)).
        let mut r = adult();
        let on = d("2026-01-01");
        assert!(r.check_referable(on).is_ok(), "no consent recorded");
        r.support_consent = consent(false);
        r.data_sharing_consent = consent(false);
        assert!(r.check_referable(on).is_ok(), "consent to support and to data sharing refused");
        assert!(r.check_national_consent_before_referral(on, false).is_ok(), "the profile does not ask it");
        // A consent is never dated after the referral.
        r.support_consent.as_mut().unwrap().date = d("2026-01-02");
        assert_eq!(r.check_referable(on).unwrap_err().field, "support_consent.date");
    }

    #[test]
    fn art_12_7_cets_national_consent_before_referral_applies_to_an_adult_only_and_names_the_field() {
        let on = d("2026-01-01");
        let mut r = adult();
        let err = r.check_national_consent_before_referral(on, true).unwrap_err();
        assert_eq!(err.field, "support_consent");
        assert!(err.message.contains("national practice"), "{}", err.message);
        r.support_consent = consent(false);
        assert_eq!(r.check_national_consent_before_referral(on, true).unwrap_err().field, "support_consent");
        r.support_consent = consent(true);
        assert!(r.check_national_consent_before_referral(on, true).is_ok());
        // Consent to data sharing is not consent to support.
        r.support_consent = None;
        r.data_sharing_consent = consent(true);
        assert!(r.check_national_consent_before_referral(on, true).is_err());
        // A child, and a person whose age is not recorded, are referred without it.
        let mut child = adult();
        child.person.date_of_birth = Some(d("2012-01-01"));
        assert!(child.check_national_consent_before_referral(on, true).is_ok());
        let mut unknown = adult();
        unknown.person.date_of_birth = None;
        unknown.person.dob_verified = false;
        assert_eq!(unknown.child_status(on), ChildStatus::Unknown, "age unknown, not an adult");
        assert!(unknown.check_national_consent_before_referral(on, true).is_ok());
    }

    /// CETS 197 Art 10(1): the competent authorities identify victims; what a referral for
    /// identification needs is a name or an alias, not consent. An adult, a child and a person of
    /// unknown age who refused consent to support and to data sharing are all referable, and a
    /// profile's consent before referral (national practice) never holds back a child or a person
    /// of unknown age.
    #[test]
    fn art_10_1_cets_a_referral_for_identification_needs_a_name_not_consent() {
        let on = d("2026-01-01");
        let mut child = adult();
        child.person.date_of_birth = Some(d("2012-05-01"));
        let mut unknown = adult();
        unknown.person.date_of_birth = None;
        unknown.person.dob_verified = false;
        for (who, mut r) in [("adult", adult()), ("child", child), ("age unknown", unknown)] {
            r.support_consent = consent(false);
            r.data_sharing_consent = consent(false);
            assert!(r.check_referable(on).is_ok(), "{who}");
            if who != "adult" {
                assert!(r.check_national_consent_before_referral(on, true).is_ok(), "{who}");
            }
            r.person.given_names.clear();
            r.person.family_names.clear();
            assert_eq!(r.check_referable(on).unwrap_err().field, "person.given_names", "{who}");
            r.person.aliases = vec!["Anya".into()];
            assert!(r.check_referable(on).is_ok(), "{who}: an alias is enough");
        }
    }

    #[test]
    fn a_stored_single_consent_reads_as_consent_to_support() {
        // Registrations stored before the three consents were kept apart.
        let old = serde_json::json!({
            "person": {"given_names": "Anna"},
            "consent": {"given": true, "date": "2025-12-31", "language": "lv", "informed_by": "X"}
        });
        let r: Registration = serde_json::from_value(old).unwrap();
        assert_eq!(r.support_consent, consent(true));
        assert_eq!(r.data_sharing_consent, None, "data sharing was never asked");
        // Written back, it uses the new names and reads back unchanged.
        let written = serde_json::to_value(&r).unwrap();
        assert!(written.get("consent").is_none() && written.get("support_consent").is_some(), "{written}");
        assert_eq!(serde_json::from_value::<Registration>(written).unwrap(), r);
    }

    #[test]
    fn art_2_5_dir_2011_36_child_at_the_time_of_the_acts_needs_no_means() {
        use super::super::forms::{Act, EventKind};
        use super::super::legal_test::{ElementStatus, LegalTestOutcome, legal_test};
        // Born in 2007, exploited in 2024, registered in 2026: a child when the acts took place.
        let mut r = adult();
        r.person.date_of_birth = Some(d("2007-03-01"));
        r.context.acts.insert(Act::Recruitment);
        r.context.forms = vec![FormId::parse("f", "sexual").unwrap()];
        let registered = d("2026-01-10");
        assert_eq!(r.child_status(registered), ChildStatus::Adult);
        // Without a date of the acts the age at registration is used, and the advice says so.
        let input = r.legal_test_input(registered);
        assert_eq!(input.age_basis, Some(AgeBasis::Registration { on: registered }));
        let result = legal_test(&input);
        assert_eq!(result.elements.means, ElementStatus::Absent);
        assert!(result.reasons.iter().any(|x| x.text.contains("no date of the acts is recorded")), "{result:?}");
        // With the exploitation dated in 2024, the means is not required.
        let event = |kind, date: &str| TraffickingEvent {
            kind,
            date: Some(d(date)),
            country: None,
            place: None,
            description: None,
        };
        r.context.events =
            vec![event(EventKind::Exploitation, "2024-11-01"), event(EventKind::Recruitment, "2024-06-01")];
        assert_eq!(r.acts_began_on(), Some(d("2024-06-01")));
        let input = r.legal_test_input(registered);
        assert_eq!(input.age_basis, Some(AgeBasis::TimeOfTheActs { on: d("2024-06-01") }));
        let result = legal_test(&input);
        assert_eq!(result.elements.means, ElementStatus::NotRequired);
        assert_eq!(result.outcome, LegalTestOutcome::Met);
        assert!(result.reasons.iter().any(|x| x.text.contains("2024-06-01")), "{result:?}");
        // Acts that began after the 18th birthday need a means.
        r.context.events = vec![event(EventKind::Recruitment, "2025-06-01")];
        assert_eq!(legal_test(&r.legal_test_input(registered)).elements.means, ElementStatus::Absent);
    }

    #[test]
    fn a_child_is_referred_without_consent_art_13_2() {
        let mut r = adult();
        r.person.date_of_birth = Some(d("2010-05-01"));
        assert!(r.check_referable(d("2026-01-01")).is_ok());
        assert_eq!(r.child_status(d("2026-01-01")), ChildStatus::Child);
    }

    #[test]
    fn a_presumed_child_is_referred_without_consent_art_13_2() {
        let mut r = adult();
        r.person.date_of_birth = None;
        r.person.dob_verified = false;
        r.person.reasons_to_believe_child = true;
        assert_eq!(r.child_status(d("2026-01-01")), ChildStatus::PresumedChild);
        assert!(r.check_referable(d("2026-01-01")).is_ok());
    }

    #[test]
    fn unknown_forms_and_misplaced_industry_name_the_field() {
        let mut r = adult();
        assert!(FormId::parse("f", "made_up").is_err());
        let bad = serde_json::json!({"context": {"forms": ["sexual", "made_up"]}});
        assert!(serde_json::from_value::<Registration>(bad).unwrap_err().to_string().contains("made_up"));
        r.context.forms = vec![FormId::parse("f", "sexual").unwrap()];
        r.context.forced_labour_industry = Some(Industry::Agriculture);
        assert_eq!(r.clone().normalise(catalogue()).unwrap_err().field, "context.forced_labour_industry");
        r.context.forms.push(FormId::parse("f", "begging").unwrap());
        assert!(r.normalise(catalogue()).is_ok());
    }

    #[test]
    fn json_errors_name_the_path() {
        let bad = serde_json::json!({"person": {"sex": "yes"}});
        let err = serde_json::from_value::<Registration>(bad).unwrap_err().to_string();
        assert!(err.contains("yes"), "{err}");
        let unknown = serde_json::json!({"person": {"nickname": "x"}});
        assert!(serde_json::from_value::<Registration>(unknown).is_err());
    }

    #[test]
    fn languages_are_iso_639() {
        let mut r = adult();
        r.person.languages = vec!["LV".into(), "rus".into()];
        assert_eq!(r.clone().normalise(catalogue()).unwrap().person.languages, vec!["lv", "rus"]);
        r.person.languages = vec!["latvian".into()];
        assert_eq!(r.normalise(catalogue()).unwrap_err().field, "person.languages[0]");
    }
}
