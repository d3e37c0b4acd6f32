//! Users and their roles.

use crate::{Coded, ParseError, coded_enum, org::OrganisationKind};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a user does. Roles grant compartments and route permissions (see [`crate::access`]).
    pub enum Role {
        /// Administers the organisations and users of its own jurisdiction. Never reads case
        /// data, never changes its own roles; a grant of a data role waits for a second
        /// administrator. TOTP is enforced.
        Administrator => "administrator",
        /// Police, NGO, labour inspector, consulate...: registers presumed victims.
        FirstResponder => "first_responder",
        /// Support organisation staff: identity and support of their cases.
        Caseworker => "caseworker",
        /// A caseworker who also approves and sees the access history of the organisation's cases.
        Supervisor => "supervisor",
        /// The competent authority of the national referral mechanism: status decisions.
        DecisionMaker => "decision_maker",
        /// Police and prosecution: identity and proceedings, never support (counselling) data.
        Investigator => "investigator",
        /// National rapporteur or coordinator: aggregates only.
        Rapporteur => "rapporteur",
        /// Statistics office (national or EU): aggregates only.
        Statistician => "statistician",
        /// Data protection officer: reads the audit log and the access histories of its
        /// jurisdiction (who accessed which record, and when), never case data.
        Auditor => "auditor",
        /// Keeps the person register's quality: reviews the pairs of registrations the
        /// linkage engine is unsure of (the identity fields it compares, of any organisation of
        /// its jurisdiction) and re-trains the platform's person model. Never support data,
        /// never a case beyond the fields compared.
        DataOfficer => "data_officer",
        /// A victim's lawyer (legal counselling and representation, Dir 2011/36 Art 12(2),
        /// Dir 2012/29 Art 20): reads, for each victim it represents (an active representation
        /// recorded by the victim's caseworker), the victim's view of the proceedings the victim
        /// is linked to, and nothing else of any case ([`crate::access::represented_view`]).
        VictimLawyer => "victim_lawyer",
        /// The national focal point for cross-border referral (Dir 2011/36 Art 11(4) as amended
        /// by Dir 2024/1712): reviews and sends the transnational referrals its country's
        /// caseworkers prepare, accepts or declines those other countries send, assigns them a
        /// support organisation and reports back; manages the instance's exchange peers. Reads
        /// of a case only what a referral carries.
        FocalPoint => "focal_point",
    }
}

impl Role {
    /// Whether a user of an organisation of `kind` may hold this role.
    pub fn fits(self, kind: OrganisationKind) -> bool {
        match self {
            Role::Administrator | Role::Auditor => true,
            Role::FirstResponder => !kind.is_statistical(),
            Role::Caseworker | Role::Supervisor => !kind.is_statistical() && !kind.is_law_enforcement(),
            // Who identifies is national data (the procedure's deciders): a competent authority,
            // or an NGO commission, the police, prosecution or a court where the procedure says so.
            Role::DecisionMaker => matches!(
                kind,
                OrganisationKind::CompetentAuthority
                    | OrganisationKind::Ngo
                    | OrganisationKind::Police
                    | OrganisationKind::Prosecution
                    | OrganisationKind::Court
            ),
            Role::Investigator => kind.is_law_enforcement(),
            Role::Rapporteur | Role::Statistician => kind.is_statistical(),
            // The register's quality is kept where the register is: the competent authority of
            // the national referral mechanism.
            Role::DataOfficer => kind == OrganisationKind::CompetentAuthority,
            // Legal counselling and representation of victims: lawyers of an NGO giving legal
            // aid (a lawyer of a police force, a prosecution or a court represents no victim).
            Role::VictimLawyer => kind == OrganisationKind::Ngo,
            // The focal point sits where the national referral mechanism is coordinated: the
            // competent authority, or the national rapporteur's or coordinator's office (never
            // the EU level, which refers no one).
            Role::FocalPoint => {
                matches!(kind, OrganisationKind::CompetentAuthority | OrganisationKind::NationalRapporteur)
            }
        }
    }

    /// Parses a comma-separated role list (at least one role, no duplicates).
    pub fn parse_list(field: &str, value: &str) -> Result<Vec<Role>, ParseError> {
        let mut roles = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let role = Role::parse_code(field, part)?;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        if roles.is_empty() {
            return Err(ParseError::said(
                field,
                "at least one role is required",
                crate::Message::new(crate::MessageId::RoleRequired),
            ));
        }
        roles.sort();
        Ok(roles)
    }
}

coded_enum! {
    /// Languages of the user interface.
    #[derive(Default)]
    pub enum Language {
        #[default]
        English => "en",
        Latvian => "lv",
    }
}

/// A login name: 3-64 characters of lower-case letters, digits, '.', '_' and '-'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        let v = value.trim();
        if v.len() < 3 || v.len() > 64 {
            return Err(ParseError::said(
                field,
                "must be 3 to 64 characters",
                crate::Message::new(crate::MessageId::UsernameLength),
            ));
        }
        if !v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
            return Err(ParseError::said(
                field,
                "may contain only lower-case letters, digits, '.', '_' and '-'",
                crate::Message::new(crate::MessageId::UsernameCharacters),
            ));
        }
        Ok(Self(v.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Username {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("username", &value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

/// A new password: at least 12 characters, at most 200.
pub fn parse_new_password(field: &str, value: &str) -> Result<String, ParseError> {
    let n = value.chars().count();
    if n < 12 {
        return Err(ParseError::said(
            field,
            "must be at least 12 characters",
            crate::Message::new(crate::MessageId::PasswordTooShort),
        ));
    }
    if n > 200 {
        return Err(ParseError::too_long(field, 200));
    }
    Ok(value.to_owned())
}

/// A user as the application hands it out: who the user is and what it may do, never its
/// password hash or second-factor secret (those stay in storage, read only where checked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub language: Language,
    /// The roles granted (an administrator without a second factor acts without the
    /// administrator role: see the actor's roles in force).
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// A second factor (TOTP) is enrolled.
    pub totp_enrolled: bool,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(Username::parse("u", "anna.ozola").is_ok());
        assert!(Username::parse("u", "Anna").is_err());
        assert!(Username::parse("u", "a'; drop").is_err());
        assert!(Username::parse("u", "ab").is_err());
    }

    #[test]
    fn role_lists() {
        assert_eq!(
            Role::parse_list("roles", "caseworker, supervisor,caseworker").unwrap(),
            vec![Role::Caseworker, Role::Supervisor]
        );
        assert!(Role::parse_list("roles", "").is_err());
        assert_eq!(Role::parse_list("roles", "king").unwrap_err().field, "roles");
    }

    #[test]
    fn roles_fit_organisations() {
        assert!(Role::Investigator.fits(OrganisationKind::Police));
        assert!(!Role::Investigator.fits(OrganisationKind::Ngo));
        assert!(!Role::Caseworker.fits(OrganisationKind::Police));
        assert!(Role::DecisionMaker.fits(OrganisationKind::CompetentAuthority));
        assert!(!Role::Statistician.fits(OrganisationKind::Shelter));
        assert!(Role::DataOfficer.fits(OrganisationKind::CompetentAuthority));
        assert!(!Role::DataOfficer.fits(OrganisationKind::Ngo));
        assert!(Role::VictimLawyer.fits(OrganisationKind::Ngo));
        assert!(!Role::VictimLawyer.fits(OrganisationKind::Police));
        assert!(!Role::VictimLawyer.fits(OrganisationKind::Prosecution));
        assert!(Role::FocalPoint.fits(OrganisationKind::CompetentAuthority));
        assert!(Role::FocalPoint.fits(OrganisationKind::NationalRapporteur));
        assert!(!Role::FocalPoint.fits(OrganisationKind::EuAntiTraffickingCoordinator));
        assert!(!Role::FocalPoint.fits(OrganisationKind::Ngo));
    }
}
