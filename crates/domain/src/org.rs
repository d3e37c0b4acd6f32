//! Organisations: what kind of actor they are and where they act.

use crate::{ParseError, coded_enum};
use serde::{Deserialize, Serialize};

/// ISO 3166-1 alpha-2 codes (officially assigned).
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ \
FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM \
JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB \
SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Every officially assigned ISO 3166-1 alpha-2 code, in alphabetical order.
pub fn iso_country_codes() -> impl Iterator<Item = &'static str> {
    ISO_3166_ALPHA2.split(' ').filter(|c| !c.is_empty())
}

/// The 27 member states of the European Union (Eurostat uses EL for Greece; ISO says GR).
const EU_MEMBER_STATES: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        let upper = value.trim().to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != 2 || !ISO_3166_ALPHA2.split(' ').any(|c| c == upper) {
            return Err(ParseError::said(
                field,
                format!("{value:?} is not an ISO 3166-1 alpha-2 country code"),
                crate::Message::new(crate::MessageId::NotACountryCode).with("value", value),
            ));
        }
        Ok(Self([bytes[0], bytes[1]]))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn is_eu_member(&self) -> bool {
        EU_MEMBER_STATES.contains(&self.as_str())
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("country", &value)
    }
}

impl From<CountryCode> for String {
    fn from(value: CountryCode) -> Self {
        value.as_str().to_owned()
    }
}

/// Where an organisation acts: a country, or the European Union level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Jurisdiction {
    Country(CountryCode),
    EuropeanUnion,
}

impl Jurisdiction {
    /// The stored code: the country code, or `EU` for the Union level.
    pub fn code(&self) -> &str {
        match self {
            Jurisdiction::Country(c) => c.as_str(),
            Jurisdiction::EuropeanUnion => "EU",
        }
    }

    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        if value.trim().eq_ignore_ascii_case("EU") {
            Ok(Jurisdiction::EuropeanUnion)
        } else {
            CountryCode::parse(field, value).map(Jurisdiction::Country)
        }
    }
}

impl std::fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Jurisdiction {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("jurisdiction", &value)
    }
}

impl From<Jurisdiction> for String {
    fn from(value: Jurisdiction) -> Self {
        value.code().to_owned()
    }
}

coded_enum! {
    /// The kinds of actor in the anti-trafficking system.
    pub enum OrganisationKind {
        Police => "police",
        BorderGuard => "border_guard",
        LabourInspectorate => "labour_inspectorate",
        Prosecution => "prosecution",
        Court => "court",
        Ngo => "ngo",
        Shelter => "shelter",
        SocialServices => "social_services",
        HealthService => "health_service",
        ChildProtectionService => "child_protection_service",
        GuardianService => "guardian_service",
        EmbassyOrConsulate => "embassy_or_consulate",
        CompetentAuthority => "competent_authority",
        NationalRapporteur => "national_rapporteur",
        EuAntiTraffickingCoordinator => "eu_anti_trafficking_coordinator",
        StatisticsOffice => "statistics_office",
    }
}

impl OrganisationKind {
    /// Law-enforcement and judicial bodies: they hold the proceedings compartment.
    pub fn is_law_enforcement(self) -> bool {
        matches!(
            self,
            OrganisationKind::Police
                | OrganisationKind::BorderGuard
                | OrganisationKind::LabourInspectorate
                | OrganisationKind::Prosecution
                | OrganisationKind::Court
        )
    }

    /// Bodies that only see aggregates.
    pub fn is_statistical(self) -> bool {
        matches!(
            self,
            OrganisationKind::NationalRapporteur
                | OrganisationKind::EuAntiTraffickingCoordinator
                | OrganisationKind::StatisticsOffice
        )
    }

    /// Whether the kind may exist at the given jurisdiction (only EU bodies at the EU level).
    pub fn fits(self, jurisdiction: Jurisdiction) -> bool {
        let eu_body =
            matches!(self, OrganisationKind::EuAntiTraffickingCoordinator | OrganisationKind::StatisticsOffice);
        match jurisdiction {
            Jurisdiction::EuropeanUnion => eu_body,
            Jurisdiction::Country(_) => self != OrganisationKind::EuAntiTraffickingCoordinator,
        }
    }
}

/// A parsed organisation name.
pub fn parse_organisation_name(value: &str) -> Result<String, ParseError> {
    crate::text::parse_line("name", value, 200)
}

/// The name of the organisation an instance creates for its first administrator (the platform
/// operator's): it administers, and is nobody's first choice to share or refer a case with.
pub const OPERATOR_ORGANISATION_NAME: &str = "Haven operator";

/// An organisation taking part in the anti-trafficking system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub jurisdiction: Jurisdiction,
    pub created_at: i64,
}

impl Organisation {
    /// The platform operator's organisation of its jurisdiction (see [`OPERATOR_ORGANISATION_NAME`]).
    pub fn is_operator(&self) -> bool {
        self.name == OPERATOR_ORGANISATION_NAME
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn country_codes_are_checked_against_iso() {
        assert_eq!(CountryCode::parse("c", "lv").unwrap().as_str(), "LV");
        assert!(CountryCode::parse("c", "XX").is_err());
        assert!(CountryCode::parse("c", "LVA").is_err());
        assert!(CountryCode::parse("c", "").is_err());
        assert!(CountryCode::parse("c", "LV").unwrap().is_eu_member());
        assert!(!CountryCode::parse("c", "UA").unwrap().is_eu_member());
    }

    #[test]
    fn eu_level_is_its_own_jurisdiction() {
        assert_eq!(Jurisdiction::parse("j", "eu").unwrap(), Jurisdiction::EuropeanUnion);
        assert!(OrganisationKind::EuAntiTraffickingCoordinator.fits(Jurisdiction::EuropeanUnion));
        assert!(!OrganisationKind::Police.fits(Jurisdiction::EuropeanUnion));
        assert!(!OrganisationKind::EuAntiTraffickingCoordinator.fits(Jurisdiction::parse("j", "LV").unwrap()));
    }

    #[test]
    fn kinds_round_trip_through_codes() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse_code("kind", kind.code()).unwrap(), *kind);
        }
        let err = OrganisationKind::parse_code("kind", "mafia").unwrap_err();
        assert_eq!(err.field, "kind");
        assert!(err.message.contains("police"));
        assert_eq!(OrganisationKind::ALL.len(), 16);
    }
}
