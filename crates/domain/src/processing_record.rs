//! The record of processing activities (Reg 2016/679 Art 30) and the skeleton of the data
//! protection impact assessment (Reg 2016/679 Art 35), generated from Haven's own configuration
//! (docs/data-protection.md).
//!
//! Everything here is coded: a purpose, a category of data or of persons, a recipient, a
//! security measure and a risk are values whose wording lives in the translations, so the
//! documents read in the reader's language. What Haven cannot know (the controller's name and
//! contact, the officer's contact, a risk's likelihood and severity after the measures) are
//! [`CompletionField`]s the data protection officer fills in; [`completion_fields`] lists them,
//! and only those are accepted.

use serde::Serialize;

use crate::access::{Compartment, role_compartments};
use crate::case::CalendarDate;
use crate::org::{Jurisdiction, OrganisationKind};
use crate::retention::{RecordKind, RetentionProfile, Schedule};
use crate::{Coded, Message, MessageId, ParseError, Role, coded_enum};

coded_enum! {
    /// A category of personal data.
    pub enum DataCategory {
        /// Names, aliases, date of birth, sex, citizenship, documents, contact details.
        Identifiers => "identifiers",
        /// Health data, the forms of exploitation suffered, sex life (Reg 2016/679 Art 9).
        SpecialCategories => "special_categories",
        /// Risk and needs, support received, shelter, counselling notes.
        SupportData => "support_data",
        /// Suspects, charges, judgments, seized assets (Reg 2016/679 Art 10; Dir 2016/680).
        CriminalData => "criminal_data",
        /// Coded values without identity: sex, age group, citizenship, form of exploitation.
        CodedValues => "coded_values",
        /// Users' names, roles and what they accessed (the audit log).
        UserActivity => "user_activity",
    }
}

coded_enum! {
    /// A category of persons whose data are processed.
    pub enum SubjectCategory {
        PresumedVictims => "presumed_victims",
        ChildVictims => "child_victims",
        Suspects => "suspects",
        Staff => "staff",
    }
}

coded_enum! {
    /// A security measure Haven applies (Reg 2016/679 Art 32), each enforced in code.
    pub enum SecurityMeasure {
        FieldEncryption => "field_encryption",
        AccessDenyByDefault => "access_deny_by_default",
        CompartmentSeparation => "compartment_separation",
        AuditChain => "audit_chain",
        TwoFactorAdministration => "two_factor_administration",
        SignedEncryptedExchange => "signed_encrypted_exchange",
        DisclosureControl => "disclosure_control",
        EncryptedBackups => "encrypted_backups",
        RetentionSchedules => "retention_schedules",
    }
}

coded_enum! {
    /// A risk to the persons this platform carries, for the impact assessment.
    pub enum Risk {
        /// A user browsing cases they have no need to see.
        InsiderBrowsing => "insider_browsing",
        /// Traffickers learning where a victim is (shelter, referral).
        LocationDisclosure => "location_disclosure",
        /// A victim re-identified from published statistics.
        StatisticalReidentification => "statistical_reidentification",
        /// Data sent to another country reaching the wrong party.
        CrossBorderMisdirection => "cross_border_misdirection",
        /// A stolen database or backup.
        DatabaseTheft => "database_theft",
        /// Records kept longer than needed.
        Overretention => "overretention",
        /// Two records of one person wrongly linked, or one person split.
        WrongLinkage => "wrong_linkage",
        /// Support made to depend on cooperation with the authorities through data sharing.
        ConditionalSupport => "conditional_support",
    }
}

impl Risk {
    /// The measures Haven takes against this risk.
    pub fn measures(self) -> &'static [SecurityMeasure] {
        use SecurityMeasure::*;
        match self {
            Risk::InsiderBrowsing => &[AccessDenyByDefault, CompartmentSeparation, AuditChain],
            Risk::LocationDisclosure => &[CompartmentSeparation, FieldEncryption, AccessDenyByDefault],
            Risk::StatisticalReidentification => &[DisclosureControl],
            Risk::CrossBorderMisdirection => &[SignedEncryptedExchange, AuditChain],
            Risk::DatabaseTheft => &[FieldEncryption, EncryptedBackups],
            Risk::Overretention => &[RetentionSchedules, AuditChain],
            Risk::WrongLinkage => &[AuditChain, AccessDenyByDefault],
            Risk::ConditionalSupport => &[CompartmentSeparation],
        }
    }
}

/// One processing activity: what one compartment of a case is processed for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessingActivity {
    pub compartment: Compartment,
    pub legal_basis: &'static [&'static str],
    pub data: &'static [DataCategory],
    pub subjects: &'static [SubjectCategory],
    /// The roles that open this compartment (from the access rules).
    pub roles: Vec<Role>,
    /// The record kinds it keeps, with their schedules.
    pub record_kinds: &'static [RecordKind],
}

/// Who receives data from the instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipients {
    /// The kinds of organisation registered on the instance.
    pub organisation_kinds: Vec<OrganisationKind>,
    /// The countries whose instances are pinned as peers (transnational referral).
    pub other_countries: Vec<String>,
    /// Whether statistics and person encodings go to the EU hub.
    pub eu_hub: bool,
}

/// The record of processing activities of one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordOfProcessing {
    pub jurisdiction: Jurisdiction,
    pub activities: Vec<ProcessingActivity>,
    pub recipients: Recipients,
    pub retention: Vec<Schedule>,
    /// The day from which the retention profile's version shown applies.
    pub retention_valid_from: CalendarDate,
    pub grace_days: u16,
    pub security_measures: Vec<SecurityMeasure>,
}

/// The skeleton of the impact assessment: each risk with the measures Haven takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImpactAssessment {
    pub jurisdiction: Jurisdiction,
    pub risks: Vec<(Risk, &'static [SecurityMeasure])>,
}

/// Reg 2016/679 Art 30(1).
pub const RECORD_OF_PROCESSING: &str = "Reg 2016/679 Art 30(1)";
/// Reg 2016/679 Art 35(7).
pub const IMPACT_ASSESSMENT: &str = "Reg 2016/679 Art 35(7)";

fn activity(compartment: Compartment) -> ProcessingActivity {
    use DataCategory::*;
    use SubjectCategory::*;
    let (legal_basis, data, subjects, record_kinds): (
        &'static [&'static str],
        &'static [DataCategory],
        &'static [SubjectCategory],
        &'static [RecordKind],
    ) = match compartment {
        Compartment::Identity => (
            &["Reg 2016/679 Art 6(1)(e)", "Reg 2016/679 Art 9(2)(g)", "Dir 2011/36 Art 11(4)", "CETS 197 Art 10"],
            &[Identifiers, SpecialCategories],
            &[PresumedVictims, ChildVictims],
            &[RecordKind::Registration, RecordKind::AnonymousNotification],
        ),
        Compartment::Support => (
            &["Reg 2016/679 Art 6(1)(e)", "Reg 2016/679 Art 9(2)(g)", "Dir 2011/36 Art 11(7)", "CETS 197 Art 12"],
            &[SupportData, SpecialCategories],
            &[PresumedVictims, ChildVictims],
            &[RecordKind::Assessment, RecordKind::SupportRecord, RecordKind::Referral],
        ),
        Compartment::Proceedings => (
            &["Dir 2016/680 Art 8", "Dir 2016/680 Art 10", "Dir 2011/36 Art 9"],
            &[CriminalData, Identifiers],
            &[Suspects, PresumedVictims],
            &[RecordKind::Proceedings],
        ),
        Compartment::Statistics => (
            &["Reg 2016/679 Art 89(1)", "Dir 2011/36 Art 19"],
            &[CodedValues],
            &[PresumedVictims, ChildVictims, Suspects],
            &[RecordKind::StatisticsMicrodata],
        ),
    };
    let roles = Role::ALL.iter().copied().filter(|r| role_compartments(*r).contains(&compartment)).collect();
    ProcessingActivity { compartment, legal_basis, data, subjects, roles, record_kinds }
}

/// The record of processing activities generated from the configuration: the compartments and
/// who opens them (the access rules), the retention profile, the organisation kinds on the
/// instance and the pinned peers.
pub fn record_of_processing(
    profile: &RetentionProfile,
    organisation_kinds: &[OrganisationKind],
    peer_countries: &[String],
    eu_hub: bool,
) -> RecordOfProcessing {
    let mut kinds = organisation_kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    let mut countries = peer_countries.to_vec();
    countries.sort();
    countries.dedup();
    RecordOfProcessing {
        jurisdiction: profile.jurisdiction,
        activities: Compartment::ALL.iter().copied().map(activity).collect(),
        recipients: Recipients { organisation_kinds: kinds, other_countries: countries, eu_hub },
        retention: profile.schedules.values().cloned().collect(),
        retention_valid_from: profile.valid_from,
        grace_days: profile.grace_days,
        security_measures: SecurityMeasure::ALL.to_vec(),
    }
}

/// The impact assessment's skeleton: every risk, with the measures Haven takes against it.
pub fn impact_assessment(jurisdiction: Jurisdiction) -> ImpactAssessment {
    ImpactAssessment { jurisdiction, risks: Risk::ALL.iter().map(|r| (*r, r.measures())).collect() }
}

coded_enum! {
    /// What the officer completes of a risk.
    pub enum RiskAssessment {
        Likelihood => "likelihood",
        Severity => "severity",
        Residual => "residual",
    }
}

/// A field of the two documents the data protection officer completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CompletionField {
    /// The controller's name and contact details (Art 30(1)(a)).
    Controller,
    /// The data protection officer's contact details (Art 30(1)(a)).
    OfficerContact,
    /// Notes on one processing activity.
    Activity(Compartment),
    /// The general description of the technical and organisational measures, beyond Haven's own
    /// (Art 30(1)(g)): premises, staff training.
    OrganisationalMeasures,
    /// A risk's likelihood, severity or residual risk after the measures (Art 35(7)(c)-(d)).
    Risk(Risk, RiskAssessment),
    /// The officer's conclusion on the assessment.
    Conclusion,
}

impl CompletionField {
    /// The stored key: `controller`, `activity.identity`, `risk.insider_browsing.likelihood`.
    pub fn key(self) -> String {
        match self {
            CompletionField::Controller => "controller".into(),
            CompletionField::OfficerContact => "officer_contact".into(),
            CompletionField::Activity(c) => format!("activity.{}", c.code()),
            CompletionField::OrganisationalMeasures => "organisational_measures".into(),
            CompletionField::Risk(r, a) => format!("risk.{}.{}", r.code(), a.code()),
            CompletionField::Conclusion => "conclusion".into(),
        }
    }

    /// Reads a stored key; the error names `field`.
    pub fn parse(field: &str, key: &str) -> Result<Self, ParseError> {
        completion_fields().into_iter().find(|f| f.key() == key.trim()).ok_or_else(|| {
            ParseError::said(
                field,
                format!("{key:?} is not a field the officer completes"),
                Message::new(MessageId::UnknownValue).with("value", key),
            )
        })
    }
}

/// Every field the officer completes, in the documents' order.
pub fn completion_fields() -> Vec<CompletionField> {
    let mut fields = vec![CompletionField::Controller, CompletionField::OfficerContact];
    fields.extend(Compartment::ALL.iter().map(|c| CompletionField::Activity(*c)));
    fields.push(CompletionField::OrganisationalMeasures);
    for r in Risk::ALL {
        for a in RiskAssessment::ALL {
            fields.push(CompletionField::Risk(*r, *a));
        }
    }
    fields.push(CompletionField::Conclusion);
    fields
}

/// The longest completion accepted, in characters.
pub const MAX_COMPLETION_CHARS: usize = 4000;

#[cfg(test)]
mod tests {
    use super::*;

    fn lv() -> RetentionProfile {
        let on = CalendarDate::parse("d", "2026-06-01").unwrap();
        RetentionProfile::in_force(Jurisdiction::parse("j", "LV").unwrap(), on).unwrap().unwrap()
    }

    #[test]
    fn art_30_1_reg_2016_679_the_record_lists_every_compartment_recipient_schedule_and_measure() {
        let r = record_of_processing(
            &lv(),
            &[OrganisationKind::Ngo, OrganisationKind::Police, OrganisationKind::Ngo],
            &["EE".into(), "LT".into()],
            true,
        );
        assert_eq!(r.activities.len(), Compartment::ALL.len());
        assert_eq!(r.recipients.organisation_kinds, vec![OrganisationKind::Police, OrganisationKind::Ngo]);
        assert_eq!(r.recipients.other_countries, vec!["EE".to_string(), "LT".to_string()]);
        assert_eq!(r.retention.len(), RecordKind::ALL.len());
        assert_eq!(r.retention_valid_from, lv().valid_from);
        assert_eq!(r.security_measures.len(), SecurityMeasure::ALL.len());
        let identity = &r.activities[0];
        assert!(identity.roles.contains(&Role::Caseworker));
        assert!(!identity.roles.contains(&Role::Auditor), "the officer opens no compartment");
        // Every record kind but the audit log belongs to one activity.
        for kind in RecordKind::ALL.iter().filter(|k| **k != RecordKind::AuditLog) {
            assert_eq!(r.activities.iter().filter(|a| a.record_kinds.contains(kind)).count(), 1, "{kind}");
        }
    }

    #[test]
    fn art_35_7_reg_2016_679_every_risk_names_measures_and_the_officer_completes_each() {
        let d = impact_assessment(Jurisdiction::EuropeanUnion);
        assert_eq!(d.risks.len(), Risk::ALL.len());
        assert!(d.risks.iter().all(|(_, m)| !m.is_empty()));
        let fields = completion_fields();
        for f in &fields {
            assert_eq!(CompletionField::parse("key", &f.key()).unwrap(), *f);
        }
        assert_eq!(
            CompletionField::parse("key", "risk.insider_browsing.likelihood").unwrap().key(),
            "risk.insider_browsing.likelihood"
        );
        assert_eq!(CompletionField::parse("key", "name").unwrap_err().field, "key");
    }
}
