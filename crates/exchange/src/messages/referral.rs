//! `referral`, type version 1: the transnational referral of a victim from one national focal
//! point to another (Dir 2011/36 Art 11(4); CETS 197 Art 16 and Art 32–33; the Strategy
//! 2012–2016, action A1). JSON Schema: `schemas/referral.v1.schema.json`.
//!
//! What it carries, and the rules [`Referral::parse`] enforces:
//! - a **purpose**, which decides what else is required: a return carries its risk assessment
//!   (CETS 197 Art 16(2)); an information request its questions; a notice of a victim at risk the
//!   danger (CETS 197 Art 33(1)); a victim identified here and exploited there names the receiving
//!   country among the countries of exploitation;
//! - the **fields shared**, declared one by one in `shared_fields`: the person's data in the
//!   message are exactly those listed, so the sender's choice (by default the minimum the
//!   purpose needs) is visible and checked;
//! - the **basis** for sharing: an adult's informed consent; for a child or presumed child, the
//!   best-interests determination and the guardian's view (Dir 2011/36 Art 13(1), 14(2); CETS 197
//!   Art 10(4)); without either only to warn of a victim at risk, stating why (CETS 197 Art 33(1));
//! - a child's **return** only on a determination that finds it in the child's best interests and
//!   never while the assessed risk is severe (CETS 197 Art 16(7); Dir 2011/36 Art 16(2)), as the
//!   safe-return rules of the domain enforce for a national return plan.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::{CalendarDate, CountryCode, FormCode, LanguageCode, Line, Narrative, check_list};
use crate::encoding::from_json;
use crate::ids::FieldError;

/// The message type.
pub const MESSAGE_TYPE: &str = "referral";
/// The type version this module reads and writes.
pub const TYPE_VERSION: u32 = 1;
/// The JSON Schema of the body.
pub const SCHEMA: &str = include_str!("../../schemas/referral.v1.schema.json");

/// Why the person is referred.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralPurpose {
    /// Return to the receiving country and reintegration there (CETS 197 Art 16).
    ReturnAndReintegration,
    /// Support continued in the receiving country (the person moves there, or is there).
    OnwardSupport,
    /// The person was identified in the sending country and exploited in the receiving one
    /// (for the receiver's investigation and statistics, CETS 197 Art 32).
    IdentifiedHereExploitedThere,
    /// A request for information, or family tracing.
    InformationRequest,
    /// Notice that a victim, witness or family member is in danger in or from the receiving
    /// country (CETS 197 Art 33(1)).
    VictimAtRisk,
}

/// How soon the receiver should act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Routine,
    Urgent,
    /// Danger to life or limb: act at once.
    Immediate,
}

/// The sending desk the receiver replies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendingContact {
    pub organisation: Line,
    /// A desk, function or address to reach (not a victim's data).
    pub contact_point: Line,
}

/// The person's age group: decides the basis for sharing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    Adult,
    Child,
    /// Age uncertain and there are reasons to believe the person is a child: treated as a child
    /// (Dir 2011/36 Art 13(2)).
    PresumedChild,
}

impl AgeGroup {
    pub fn is_child(self) -> bool {
        matches!(self, AgeGroup::Child | AgeGroup::PresumedChild)
    }
}

/// Sex as recorded for statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Other,
    Unknown,
}

/// A kind of identity document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    IdentityCard,
    ResidencePermit,
    BirthCertificate,
    DrivingLicence,
    Other,
}

/// An identity document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityDocument {
    pub kind: DocumentKind,
    pub number: Line,
    pub issuing_country: CountryCode,
}

/// A field of the person that can be shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    GivenNames,
    FamilyName,
    DateOfBirth,
    YearOfBirth,
    Sex,
    Nationalities,
    Languages,
    IdentityDocuments,
    CurrentLocation,
    Contact,
}

impl PersonField {
    pub const ALL: [PersonField; 10] = [
        PersonField::GivenNames,
        PersonField::FamilyName,
        PersonField::DateOfBirth,
        PersonField::YearOfBirth,
        PersonField::Sex,
        PersonField::Nationalities,
        PersonField::Languages,
        PersonField::IdentityDocuments,
        PersonField::CurrentLocation,
        PersonField::Contact,
    ];

    /// The field's name in `person`.
    pub fn name(self) -> &'static str {
        match self {
            PersonField::GivenNames => "given_names",
            PersonField::FamilyName => "family_name",
            PersonField::DateOfBirth => "date_of_birth",
            PersonField::YearOfBirth => "year_of_birth",
            PersonField::Sex => "sex",
            PersonField::Nationalities => "nationalities",
            PersonField::Languages => "languages",
            PersonField::IdentityDocuments => "identity_documents",
            PersonField::CurrentLocation => "current_location",
            PersonField::Contact => "contact",
        }
    }

    /// The fields a purpose needs at least, offered as the default selection: a return or onward
    /// support needs to know whom to receive; an information request or a warning may need no
    /// identity at all.
    pub fn minimum_for(purpose: ReferralPurpose) -> &'static [PersonField] {
        match purpose {
            ReferralPurpose::ReturnAndReintegration => &[
                PersonField::GivenNames,
                PersonField::FamilyName,
                PersonField::DateOfBirth,
                PersonField::Nationalities,
                PersonField::Languages,
                PersonField::IdentityDocuments,
            ],
            ReferralPurpose::OnwardSupport => {
                &[PersonField::GivenNames, PersonField::FamilyName, PersonField::DateOfBirth, PersonField::Languages]
            }
            ReferralPurpose::IdentifiedHereExploitedThere => &[PersonField::Sex, PersonField::YearOfBirth],
            ReferralPurpose::InformationRequest | ReferralPurpose::VictimAtRisk => &[],
        }
    }
}

/// The person, with only the fields the sender chose to share; the age group always.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedPerson {
    pub age_group: Option<AgeGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_names: Option<Line>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<Line>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<CalendarDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_of_birth: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationalities: Option<Vec<CountryCode>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<LanguageCode>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_documents: Option<Vec<IdentityDocument>>,
    /// Where the person is now (a town, a shelter's town; not a shelter's address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_location: Option<Line>,
    /// How the person can be reached, with their agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Line>,
}

impl SharedPerson {
    /// Whether a field has a value.
    pub fn has(&self, field: PersonField) -> bool {
        match field {
            PersonField::GivenNames => self.given_names.is_some(),
            PersonField::FamilyName => self.family_name.is_some(),
            PersonField::DateOfBirth => self.date_of_birth.is_some(),
            PersonField::YearOfBirth => self.year_of_birth.is_some(),
            PersonField::Sex => self.sex.is_some(),
            PersonField::Nationalities => self.nationalities.is_some(),
            PersonField::Languages => self.languages.is_some(),
            PersonField::IdentityDocuments => self.identity_documents.is_some(),
            PersonField::CurrentLocation => self.current_location.is_some(),
            PersonField::Contact => self.contact.is_some(),
        }
    }
}

/// The exploitation as known to the sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exploitation {
    /// Forms of exploitation (Dir 2011/36 Art 2(3) as amended by Dir 2024/1712), 1 to 12.
    pub forms: Vec<FormCode>,
    /// Countries where the person was exploited, 0 to 30.
    pub countries: Vec<CountryCode>,
}

/// Where the person stands in the sender's national referral mechanism.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentificationStatus {
    /// Registered; reasonable grounds; assistance unconditional (Dir 2011/36 Art 11(2)).
    PresumedVictim,
    /// Identified by the competent authority.
    IdentifiedVictim,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identification {
    pub status: IdentificationStatus,
    /// When the person was identified; required for an identified victim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<CalendarDate>,
}

/// A need the receiver is asked to meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    Accommodation,
    MedicalCare,
    PsychologicalSupport,
    LegalAssistance,
    Interpretation,
    MaterialAssistance,
    EducationOrTraining,
    Employment,
    FamilyReunification,
    Documents,
    ChildProtection,
}

/// An adult's informed consent to the referral and the sharing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub given_on: CalendarDate,
    /// The language the person was informed in.
    pub informed_in: LanguageCode,
    /// Who informed the person (a function, not a name, is enough).
    pub informed_by: Line,
}

/// The determination of a child's best interests (Dir 2011/36 Art 13(1); CETS 197 Art 10(4)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestInterestsDetermination {
    pub decided_on: CalendarDate,
    /// The authority or panel that decided.
    pub decided_by: Line,
    /// Whether the referral (for a return: the return) is in the child's best interests.
    pub referral_in_best_interests: bool,
    pub summary: Narrative,
}

/// The guardian's or representative's view (Dir 2011/36 Art 14(2)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardianView {
    Agrees,
    Disagrees,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    /// The guardian's organisation or function.
    pub role: Line,
    pub view: GuardianView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Narrative>,
}

/// The basis on which the person's data are shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SharingBasis {
    /// An adult's informed consent.
    Consent(Consent),
    /// For a child: the best-interests determination and the guardian's view.
    BestInterests { determination: BestInterestsDetermination, guardian: Guardian },
    /// Only to warn of a victim at risk, when consent cannot be asked in time (CETS 197 Art 33(1)).
    VitalInterests { justification: Narrative },
}

/// A level of risk, in increasing order (the safe-return rules' `RiskLevel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Severe,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilySafety {
    Safe,
    Unsafe,
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceAvailability {
    Available,
    Limited,
    Unavailable,
    Unknown,
}

/// The risk assessment of a return (CETS 197 Art 16(2), 16(7)), as the safe-return rules record it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnRiskAssessment {
    pub assessed_on: CalendarDate,
    pub re_trafficking_risk: RiskLevel,
    pub reprisal_risk: RiskLevel,
    pub family_situation: FamilySafety,
    pub support_services: ServiceAvailability,
    /// Travel and identity documents are ready (CETS 197 Art 16(3)-(4)).
    pub documents_ready: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Narrative>,
}

impl ReturnRiskAssessment {
    /// The higher of the two risks.
    pub fn overall_risk(&self) -> RiskLevel {
        self.re_trafficking_risk.max(self.reprisal_risk)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InformationRequestKind {
    Information,
    FamilyTracing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InformationRequest {
    pub kind: InformationRequestKind,
    pub questions: Narrative,
}

/// The danger a victim at risk is in (CETS 197 Art 33(1)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskNotice {
    /// The danger, without more personal data than the warning needs.
    pub danger: Narrative,
    /// Whether the danger is immediate.
    pub immediate: bool,
}

/// The body of a `referral`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// The sender's id of the referral; the same on every update about it.
    #[serde(with = "crate::encoding::uuid_hyphenated")]
    pub referral_id: Uuid,
    pub purpose: ReferralPurpose,
    pub urgency: Urgency,
    pub sending_contact: SendingContact,
    /// The country of the receiving focal point.
    pub receiving_country: CountryCode,
    /// The person's fields the sender chose to share.
    pub shared_fields: Vec<PersonField>,
    pub person: SharedPerson,
    pub identification: Identification,
    pub exploitation: Exploitation,
    pub needs: Vec<Need>,
    pub basis: SharingBasis,
    /// Required exactly for a return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_risk_assessment: Option<ReturnRiskAssessment>,
    /// Required exactly for an information request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_request: Option<InformationRequest>,
    /// Required exactly for a victim at risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_notice: Option<RiskNotice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Narrative>,
}

impl Referral {
    /// Reads a body sent on `today` (the date of the message's `created_at`), naming the field of
    /// any problem.
    pub fn parse(body: &[u8], today: Date) -> Result<Referral, FieldError> {
        let referral: Referral = from_json("body", body)?;
        referral.check(today)?;
        Ok(referral)
    }

    /// The body as JSON, after the same checks as [`Referral::parse`].
    pub fn to_json(&self, today: Date) -> Result<Vec<u8>, FieldError> {
        self.check(today)?;
        serde_json::to_vec(self).map_err(|_| FieldError::new("body", "cannot be written"))
    }

    fn check(&self, today: Date) -> Result<(), FieldError> {
        let not_future = |field: &str, date: CalendarDate| {
            if date.0 > today {
                Err(FieldError::new(
                    field,
                    format!("{date} is after the date of the message ({})", CalendarDate(today)),
                ))
            } else {
                Ok(())
            }
        };
        // The fields shared: exactly those listed.
        check_list("body.shared_fields", &self.shared_fields, 0, PersonField::ALL.len())?;
        for field in PersonField::ALL {
            let listed = self.shared_fields.contains(&field);
            if self.person.has(field) && !listed {
                return Err(FieldError::new(
                    format!("body.person.{}", field.name()),
                    "is not listed in shared_fields: only the fields chosen for sharing are sent",
                ));
            }
            if listed && !self.person.has(field) {
                return Err(FieldError::new(
                    "body.shared_fields",
                    format!("lists {} but the person has none", field.name()),
                ));
            }
        }
        let Some(age_group) = self.person.age_group else {
            return Err(FieldError::new("body.person.age_group", "required: it decides the basis for sharing"));
        };
        if self.person.date_of_birth.is_some() && self.person.year_of_birth.is_some() {
            return Err(FieldError::new(
                "body.person.year_of_birth",
                "give a date of birth or a year of birth, not both",
            ));
        }
        if let Some(date) = self.person.date_of_birth {
            not_future("body.person.date_of_birth", date)?;
        }
        if let Some(year) = self.person.year_of_birth
            && !(1900..=today.year()).contains(&year)
        {
            return Err(FieldError::new("body.person.year_of_birth", format!("between 1900 and {}", today.year())));
        }
        if let Some(list) = &self.person.nationalities {
            check_list("body.person.nationalities", list, 1, 5)?;
        }
        if let Some(list) = &self.person.languages {
            check_list("body.person.languages", list, 1, 10)?;
        }
        if let Some(list) = &self.person.identity_documents {
            check_list("body.person.identity_documents", list, 1, 10)?;
        }

        // Identification and exploitation.
        match (self.identification.status, self.identification.decided_on) {
            (IdentificationStatus::IdentifiedVictim, None) => {
                return Err(FieldError::new("body.identification.decided_on", "required for an identified victim"));
            }
            (_, Some(date)) => not_future("body.identification.decided_on", date)?,
            _ => {}
        }
        check_list("body.exploitation.forms", &self.exploitation.forms, 1, 12)?;
        check_list("body.exploitation.countries", &self.exploitation.countries, 0, 30)?;
        check_list("body.needs", &self.needs, 0, 11)?;
        if self.purpose == ReferralPurpose::IdentifiedHereExploitedThere
            && !self.exploitation.countries.contains(&self.receiving_country)
        {
            return Err(FieldError::new(
                "body.exploitation.countries",
                "a victim identified here and exploited there lists the receiving country among the countries of exploitation",
            ));
        }

        // The basis for sharing.
        match (&self.basis, age_group.is_child()) {
            (SharingBasis::Consent(consent), false) => not_future("body.basis.given_on", consent.given_on)?,
            (SharingBasis::Consent(_), true) => {
                return Err(FieldError::new(
                    "body.basis",
                    "for a child or presumed child the basis is the best-interests determination and the guardian's view (Dir 2011/36 Art 13(1), 14(2))",
                ));
            }
            (SharingBasis::BestInterests { determination, .. }, true) => {
                not_future("body.basis.determination.decided_on", determination.decided_on)?;
                if !determination.referral_in_best_interests {
                    return Err(FieldError::new(
                        "body.basis.determination.referral_in_best_interests",
                        "a child is referred only when the determination finds it in the child's best interests",
                    ));
                }
            }
            (SharingBasis::BestInterests { .. }, false) => {
                return Err(FieldError::new(
                    "body.basis",
                    "an adult's data are shared on the adult's informed consent",
                ));
            }
            (SharingBasis::VitalInterests { .. }, _) => {
                if self.purpose != ReferralPurpose::VictimAtRisk {
                    return Err(FieldError::new(
                        "body.basis",
                        "sharing without consent or best-interests determination is only for a victim at risk (CETS 197 Art 33(1))",
                    ));
                }
            }
        }

        // What the purpose requires.
        let is_return = self.purpose == ReferralPurpose::ReturnAndReintegration;
        match (&self.return_risk_assessment, is_return) {
            (None, true) => {
                return Err(FieldError::new(
                    "body.return_risk_assessment",
                    "a return carries its risk assessment (CETS 197 Art 16(2))",
                ));
            }
            (Some(_), false) => {
                return Err(FieldError::new("body.return_risk_assessment", "only a return carries one"));
            }
            (Some(assessment), true) => {
                not_future("body.return_risk_assessment.assessed_on", assessment.assessed_on)?;
                if age_group.is_child() && assessment.overall_risk() == RiskLevel::Severe {
                    return Err(FieldError::new(
                        "body.return_risk_assessment",
                        "a child is not returned while the assessed risk is severe (CETS 197 Art 16(7))",
                    ));
                }
            }
            (None, false) => {}
        }
        let is_request = self.purpose == ReferralPurpose::InformationRequest;
        if self.information_request.is_some() != is_request {
            return Err(FieldError::new(
                "body.information_request",
                if is_request {
                    "required for an information request"
                } else {
                    "only an information request carries one"
                },
            ));
        }
        let at_risk = self.purpose == ReferralPurpose::VictimAtRisk;
        if self.risk_notice.is_some() != at_risk {
            return Err(FieldError::new(
                "body.risk_notice",
                if at_risk {
                    "required for a victim at risk (CETS 197 Art 33(1))"
                } else {
                    "only a victim at risk carries one"
                },
            ));
        }
        Ok(())
    }
}
