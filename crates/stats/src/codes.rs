//! Code lists of the cube's concepts, used to build tables and to validate submissions.

use crate::model::{Concept, TOTAL};

pub const VICT_STAT: &[&str] = &["IDENT", "PRES", "NOTIF"];
pub const SEX: &[&str] = &["F", "M", "OTH", "UNK"];
pub const AGE: &[&str] = &["Y0-11", "Y12-17", "Y18-24", "Y25-34", "Y35-44", "Y45-54", "Y55-64", "Y_GE65", "UNK"];
pub const AGE_CLASS: &[&str] = &["CHILD", "ADULT", "UNK"];
/// Reporting country, other EU country, non-EU country, unknown.
pub const CITIZEN_GRP: &[&str] = &["NAT", "EU_FOR", "NEU_FOR", "UNK"];
/// The three forms Eurostat publishes.
pub const EXPLOIT: &[&str] = &["SEX", "LAB", "OTH"];
/// The sub-forms of "other" (their total is `OTH`).
pub const EXPLOIT_OTHER: &[&str] =
    &["OTH_SLAV", "OTH_SERV", "OTH_CRIM", "OTH_ORGAN", "OTH_SURR", "OTH_MARR", "OTH_ADOPT", "OTH_OTH"];
pub const ORG_KIND: &[&str] = &[
    "POLICE",
    "BORDER",
    "LABOUR_INSP",
    "PROSEC",
    "NGO",
    "SHELTER",
    "SOCIAL",
    "HEALTH",
    "CHILD_PROT",
    "COMPETENT_AUTH",
    "OTH",
];

/// The 27 member states (ISO 3166 alpha-2).
pub const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

pub fn is_eu_member(code: &str) -> bool {
    EU_MEMBERS.contains(&code)
}

/// Whether `code` is a well-formed country of citizenship: two capital letters, or `UNK`.
pub fn is_country_code(code: &str) -> bool {
    code == "UNK" || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The fixed code list of a concept (`None` for `CITIZEN`, whose codes are countries).
pub fn codes(concept: Concept) -> Option<&'static [&'static str]> {
    match concept {
        Concept::VictStat => Some(VICT_STAT),
        Concept::Sex => Some(SEX),
        Concept::Age => Some(AGE),
        Concept::AgeClass => Some(AGE_CLASS),
        Concept::CitizenGroup => Some(CITIZEN_GRP),
        Concept::Citizen => None,
        Concept::Exploit => None,
        Concept::OrgKind => Some(ORG_KIND),
    }
}

/// Whether `code` is valid for `concept` (totals included).
pub fn is_valid(concept: Concept, code: &str) -> bool {
    if code == TOTAL {
        return true;
    }
    match concept {
        Concept::Citizen => is_country_code(code),
        Concept::Exploit => EXPLOIT.contains(&code) || EXPLOIT_OTHER.contains(&code),
        other => codes(other).is_some_and(|c| c.contains(&code)),
    }
}

/// The parent of a code in the concept's hierarchy (`OTH_CRIM` → `OTH`), if any.
pub fn parent(concept: Concept, code: &str) -> Option<&'static str> {
    match concept {
        Concept::Exploit if EXPLOIT_OTHER.contains(&code) => Some("OTH"),
        _ => None,
    }
}

/// Citizenship group of a country of citizenship, seen from the reporting country.
pub fn citizen_group(reporting: &str, citizen: &str) -> &'static str {
    if citizen == "UNK" || citizen.is_empty() {
        "UNK"
    } else if citizen == reporting {
        "NAT"
    } else if is_eu_member(citizen) {
        "EU_FOR"
    } else {
        "NEU_FOR"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizenship_groups_are_relative_to_the_reporting_country() {
        assert_eq!(citizen_group("LV", "LV"), "NAT");
        assert_eq!(citizen_group("LV", "LT"), "EU_FOR");
        assert_eq!(citizen_group("LT", "LV"), "EU_FOR");
        assert_eq!(citizen_group("LV", "UA"), "NEU_FOR");
        assert_eq!(citizen_group("LV", "UNK"), "UNK");
    }

    #[test]
    fn codes_are_checked_per_concept() {
        assert!(is_valid(Concept::Sex, "F"));
        assert!(!is_valid(Concept::Sex, "X"));
        assert!(is_valid(Concept::Exploit, "OTH_CRIM"));
        assert!(is_valid(Concept::Citizen, "UA"));
        assert!(!is_valid(Concept::Citizen, "ua"));
        assert!(is_valid(Concept::Age, TOTAL));
        assert_eq!(parent(Concept::Exploit, "OTH_ORGAN"), Some("OTH"));
        assert_eq!(parent(Concept::Exploit, "SEX"), None);
    }
}
