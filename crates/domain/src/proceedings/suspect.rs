//! Suspects and accused persons: natural or legal persons (Dir 2011/36 Arts 5-6 for legal
//! persons), their role in the chain, and what the trafficker statistics count of them.

use crate::ident::age::AgeGroup;
use crate::text::parse_line;
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::Sex, coded_enum};
use serde::{Deserialize, Serialize};

coded_enum! {
    pub enum PersonKind {
        Natural => "natural",
        /// A company or other legal person (Dir 2011/36 Art 5; CETS 197 Art 22).
        Legal => "legal",
    }
}

coded_enum! {
    /// A suspect's part in the chain of trafficking.
    pub enum ChainRole {
        Recruiter => "recruiter",
        Transporter => "transporter",
        Harbourer => "harbourer",
        Exploiter => "exploiter",
        Financier => "financier",
        /// Documents, transport, premises, money transfers, corruption.
        Facilitator => "facilitator",
        /// Uses the services knowing the person is a victim (Dir 2011/36 Art 18a).
        UserOfServices => "user_of_services",
    }
}

coded_enum! {
    /// Why a legal person is liable (Dir 2011/36 Art 5; CETS 197 Art 22).
    pub enum LegalLiability {
        /// The offence was committed for its benefit by a person with a leading position in it
        /// (Art 5(1)).
        LeadingPosition => "leading_position",
        /// A lack of supervision or control by such a person made it possible (Art 5(2)).
        LackOfSupervision => "lack_of_supervision",
    }
}

/// A suspect or accused person in an investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspect {
    pub id: String,
    pub investigation_id: String,
    pub kind: PersonKind,
    /// The person's or company's name (an identifier: encrypted at rest).
    pub name: String,
    /// The case in identification of the same person, when the suspect is registered there
    /// (a link, never a copy): the non-punishment notice is asked of it.
    pub case_id: Option<String>,
    pub roles: Vec<ChainRole>,
    /// Acted within a criminal organisation (Framework Decision 2008/841/JHA; Dir 2011/36
    /// Art 4(2)(b)).
    pub criminal_organisation: bool,
    /// A public official acting in the performance of duties (Dir 2011/36 Art 4(3)(a)).
    pub public_official: bool,
    /// Citizenship of a natural person, country of registration of a legal person.
    pub citizenship: Option<CountryCode>,
    /// Natural persons only, for the statistics.
    pub sex: Option<Sex>,
    pub age_group: Option<AgeGroup>,
    /// Legal persons only.
    pub liability: Option<LegalLiability>,
}

/// A suspect as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SuspectInput {
    pub kind: String,
    pub name: String,
    pub case_id: String,
    pub roles: Vec<String>,
    pub criminal_organisation: bool,
    pub public_official: bool,
    pub citizenship: String,
    pub sex: String,
    pub age_group: String,
    pub liability: String,
}

fn optional<T>(value: &str, parse: impl FnOnce(&str) -> Result<T, ParseError>) -> Result<Option<T>, ParseError> {
    if value.trim().is_empty() { Ok(None) } else { parse(value.trim()).map(Some) }
}

impl Suspect {
    pub fn parse(id: String, investigation_id: String, input: &SuspectInput) -> Result<Self, ParseError> {
        let kind = PersonKind::parse_code("kind", input.kind.trim())?;
        let name = parse_line("name", &input.name, 200)?;
        let case_id = optional(&input.case_id, |v| parse_line("case_id", v, 100))?;
        let mut roles = Vec::new();
        for r in input.roles.iter().filter(|r| !r.trim().is_empty()) {
            let role = ChainRole::parse_code("roles", r.trim())?;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        if roles.is_empty() {
            return Err(ParseError::said(
                "roles",
                "a suspect has at least one role in the chain",
                Message::new(MessageId::ProceedingsNoRole),
            ));
        }
        let citizenship = optional(&input.citizenship, |v| CountryCode::parse("citizenship", v))?;
        let sex = optional(&input.sex, |v| Sex::parse_code("sex", v))?;
        let age_group = optional(&input.age_group, |v| AgeGroup::parse_code("age_group", v))?;
        let liability = optional(&input.liability, |v| LegalLiability::parse_code("liability", v))?;
        match kind {
            PersonKind::Legal => {
                for (field, given) in [("sex", sex.is_some()), ("age_group", age_group.is_some())] {
                    if given {
                        return Err(ParseError::said(
                            field,
                            "a legal person has no sex or age group",
                            Message::new(MessageId::ProceedingsLegalPersonNoPersonalData),
                        ));
                    }
                }
                if case_id.is_some() {
                    return Err(ParseError::said(
                        "case_id",
                        "a legal person has no case in identification",
                        Message::new(MessageId::ProceedingsLegalPersonNoPersonalData),
                    ));
                }
                if liability.is_none() {
                    return Err(ParseError::said(
                        "liability",
                        "a legal person's liability names its ground (Dir 2011/36 Art 5)",
                        Message::new(MessageId::ProceedingsLegalPersonNeedsLiability),
                    ));
                }
            }
            PersonKind::Natural => {
                if liability.is_some() {
                    return Err(ParseError::said(
                        "liability",
                        "the liability of Dir 2011/36 Art 5 is a legal person's",
                        Message::new(MessageId::ProceedingsNaturalPersonNoLiability),
                    ));
                }
            }
        }
        Ok(Self {
            id,
            investigation_id,
            kind,
            name,
            case_id,
            roles,
            criminal_organisation: input.criminal_organisation,
            public_official: input.public_official && kind == PersonKind::Natural,
            citizenship,
            sex,
            age_group,
            liability,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn natural() -> SuspectInput {
        SuspectInput {
            kind: "natural".into(),
            name: "Jānis Bērziņš".into(),
            roles: vec!["recruiter".into(), "exploiter".into(), "recruiter".into()],
            criminal_organisation: true,
            citizenship: "LV".into(),
            sex: "male".into(),
            age_group: "35_44".into(),
            ..SuspectInput::default()
        }
    }

    #[test]
    fn a_natural_person_with_roles_and_the_statistical_variables() {
        let s = Suspect::parse("s1".into(), "inv".into(), &natural()).unwrap();
        assert_eq!(s.roles, vec![ChainRole::Recruiter, ChainRole::Exploiter]);
        assert_eq!((s.sex, s.age_group), (Some(Sex::Male), Some(AgeGroup::Age35To44)));
        assert!(s.criminal_organisation && !s.public_official && s.liability.is_none());
        let mut none = natural();
        none.roles.clear();
        assert_eq!(Suspect::parse("s".into(), "i".into(), &none).unwrap_err().field, "roles");
        let mut bad = natural();
        bad.age_group = "old".into();
        assert_eq!(Suspect::parse("s".into(), "i".into(), &bad).unwrap_err().field, "age_group");
    }

    #[test]
    fn art_5_dir_a_legal_person_is_liable_on_a_ground_and_has_no_personal_data() {
        let company = SuspectInput {
            kind: "legal".into(),
            name: "SIA Darbs".into(),
            roles: vec!["facilitator".into()],
            citizenship: "LV".into(),
            liability: "leading_position".into(),
            ..SuspectInput::default()
        };
        let s = Suspect::parse("s2".into(), "inv".into(), &company).unwrap();
        assert_eq!(s.liability, Some(LegalLiability::LeadingPosition));
        let mut no_ground = company.clone();
        no_ground.liability.clear();
        assert_eq!(Suspect::parse("s".into(), "i".into(), &no_ground).unwrap_err().field, "liability");
        let mut with_sex = company.clone();
        with_sex.sex = "male".into();
        assert_eq!(Suspect::parse("s".into(), "i".into(), &with_sex).unwrap_err().field, "sex");
        let mut natural_liable = natural();
        natural_liable.liability = "leading_position".into();
        assert_eq!(Suspect::parse("s".into(), "i".into(), &natural_liable).unwrap_err().field, "liability");
    }
}
