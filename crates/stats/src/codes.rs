//! Code lists of the cube's concepts, used to build tables and to validate submissions.

use crate::model::{Concept, Indicator, TOTAL};

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

/// Where Eurostat's country codes differ from ISO 3166-1 alpha-2: `(ISO, Eurostat)`. The one
/// place the two are mapped: the cube, the SDMX-CSV and XLSX exchange and the EU hub write
/// Eurostat's codes; a file or a caller giving the ISO code is read as Eurostat's.
pub const ISO_TO_EUROSTAT: &[(&str, &str)] = &[("GR", "EL"), ("GB", "UK")];

/// A country code as Eurostat writes it (`GR` → `EL`, `GB` → `UK`; any other code unchanged).
pub fn to_eurostat(code: &str) -> &str {
    ISO_TO_EUROSTAT.iter().find(|(iso, _)| *iso == code).map_or(code, |(_, eurostat)| eurostat)
}

/// A country code as ISO 3166-1 alpha-2 writes it (`EL` → `GR`, `UK` → `GB`; any other code
/// unchanged).
pub fn to_iso(code: &str) -> &str {
    ISO_TO_EUROSTAT.iter().find(|(_, eurostat)| *eurostat == code).map_or(code, |(iso, _)| iso)
}

/// The 27 member states, as Eurostat writes them (`EL` for Greece).
pub const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Member states not bound by Directive 2011/36/EU nor by Directive (EU) 2024/1712: Denmark
/// (Protocol No 22 on the position of Denmark, Art 1 and 2). The hub does not expect their data
/// and does not count them as missing; a file they send anyway is received as voluntary.
pub const NOT_BOUND: &[&str] = &["DK"];

/// The member states expected to submit: the 27 but those not bound by the Directive.
pub fn expected_members() -> Vec<&'static str> {
    EU_MEMBERS.iter().copied().filter(|c| !NOT_BOUND.contains(c)).collect()
}

/// Whether a member state is not bound by the Directive (ISO or Eurostat code).
pub fn is_not_bound(code: &str) -> bool {
    NOT_BOUND.contains(&to_eurostat(code))
}

/// Whether a code is a member state (ISO or Eurostat code: `GR` and `EL` both are).
pub fn is_eu_member(code: &str) -> bool {
    EU_MEMBERS.contains(&to_eurostat(code))
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

/// The concepts a table of offenders (traffickers, users of services exploited from a victim)
/// breaks down by: sex, age group, citizenship group and form of exploitation (the three groups).
pub const OFFENDER_CONCEPTS: &[Concept] = &[Concept::Sex, Concept::Age, Concept::CitizenGroup, Concept::Exploit];

/// Why `code` of `concept` has no place in a cell of `indicator`, if it has none: offenders are
/// counted by [`OFFENDER_CONCEPTS`] only, and by the three forms of exploitation (not the
/// sub-forms of other).
pub fn misplaced(indicator: Indicator, concept: Concept, code: &str) -> Option<String> {
    if !indicator.is_offender() {
        return None;
    }
    if !OFFENDER_CONCEPTS.contains(&concept) {
        return Some(format!(
            "{} is not a breakdown of {} (offenders are counted by SEX, AGE, CITIZEN_GRP and EXPLOIT)",
            concept.id(),
            indicator.code()
        ));
    }
    if concept == Concept::Exploit && code != TOTAL && !EXPLOIT.contains(&code) {
        return Some(format!("offenders are counted by the forms SEX, LAB and OTH, not {code:?}"));
    }
    None
}

/// The parent of a code in the concept's hierarchy (`OTH_CRIM` → `OTH`), if any.
pub fn parent(concept: Concept, code: &str) -> Option<&'static str> {
    match concept {
        Concept::Exploit if EXPLOIT_OTHER.contains(&code) => Some("OTH"),
        _ => None,
    }
}

/// Citizenship group of a country of citizenship, seen from the reporting country (either code
/// may be ISO or Eurostat's).
pub fn citizen_group(reporting: &str, citizen: &str) -> &'static str {
    if citizen == "UNK" || citizen.is_empty() {
        "UNK"
    } else if to_eurostat(citizen) == to_eurostat(reporting) {
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
