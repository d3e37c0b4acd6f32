//! The relations between tables of a release that are not a table's own sums: the definitions of
//! the cube, written once. The EU hub checks a member state's file against those it checks
//! ([`crate::hub::validate`], [`Kind::checked_at_hub`]), and disclosure control ([`crate::sdc`]) assumes that an attacker
//! knows them: the suppression search and the audit put every one of them in the attacker's
//! linear system, next to every table's sums and every cell shared by tables.
//!
//! - **Citizenship groups**: a group (own nationals, other EU countries, non-EU countries,
//!   unknown) is the sum of its countries of citizenship, seen from the reporting country. A
//!   group of one country is that country's cell under another name: own nationals are the
//!   reporting country's citizens, the unknown group is the unknown citizenship.
//! - **Age classes**: victims by age group under 18 are not more than the children, those of 18
//!   and over not more than the adults (a child of unknown age is a child, not in an age group).
//! - **Given and registered**: victims assisted, given a recovery and reflection period or a
//!   residence permit are not more than the registered victims of the same breakdown.
//! - **Notified adults**: an anonymous notification is of an adult (or of unknown age): a child
//!   is registered and referred, never notified anonymously, so the notified and the children
//!   of a sex are together not more than that sex. This is Haven's own definition, not a check of
//!   the hub (another system's files may count notifications otherwise).
//!
//! The sub-forms of "other" exploitation add up to "other" through their table's total, which is
//! the "other" cell of the table by form: that is a table's own sum over a shared cell.
//!
//! **Offenders** (the trafficker tables, and those of the users of services of Dir 2011/36 Art
//! 18a) have no relation here: their tables' own sums and the cells they share (the persons of a
//! sex at a stage, shown in three tables) are all that holds. Suspected, prosecuted and convicted
//! are each counted on their own in the year (a conviction may follow a suspicion of an earlier
//! year), so no inequality between stages is a definition of the cube, and none is assumed.

use crate::codes;
use crate::model::{CellKey, Concept, Indicator, TOTAL, TableSpec};
use std::collections::{BTreeSet, HashSet};

/// The age groups of each age class: `(class, groups)`.
pub const AGES_OF_CLASS: &[(&str, &[&str])] =
    &[("CHILD", &["Y0-11", "Y12-17"]), ("ADULT", &["Y18-24", "Y25-34", "Y35-44", "Y45-54", "Y55-64", "Y_GE65"])];

/// The indicators counting registered victims given something, each not more than registered.
pub const GIVEN: &[Indicator] = &[Indicator::Assisted, Indicator::Reflection, Indicator::ResidencePermit];

/// How the parts stand to the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// `whole = sum(parts)`.
    Equal,
    /// `sum(parts) <= whole`.
    AtMost,
}

/// Which definition a relation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A citizenship group and its countries of citizenship.
    CitizenGroup,
    /// An age class and its age groups.
    AgeClass,
    /// Victims given something and the registered victims.
    Given,
    /// Anonymous notifications (adults only) and children, within a sex.
    Notified,
}

impl Kind {
    /// Whether the EU hub checks the relation in every member state's file (the notified-adults
    /// relation is Haven's definition, which other systems need not share).
    pub fn checked_at_hub(self) -> bool {
        self != Kind::Notified
    }
}

/// One relation between cells of the cube.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CubeRelation {
    pub kind: Kind,
    pub bound: Bound,
    pub whole: CellKey,
    pub parts: Vec<CellKey>,
}

impl CubeRelation {
    /// What the relation says, in the words of the hub's findings.
    pub fn describe(&self, country: &str) -> String {
        match self.kind {
            Kind::CitizenGroup => format!(
                "citizens of the countries in {} (as seen from {country})",
                self.whole.code(Concept::CitizenGroup)
            ),
            Kind::AgeClass => {
                format!("victims by age group are not more than the {} class", self.whole.code(Concept::AgeClass))
            }
            Kind::Notified => "anonymous notifications (adults only) and children are not more than all victims".into(),
            Kind::Given => format!(
                "victims counted as {} are not more than the registered victims",
                self.parts.first().map_or("", |p| p.indicator.code())
            ),
        }
    }
}

/// The key with `concept` set to `code` (left out when `code` is the total).
pub fn with_code(key: &CellKey, concept: Concept, code: &str) -> CellKey {
    let mut codes: Vec<(Concept, String)> = key.codes.iter().filter(|(c, _)| *c != concept).cloned().collect();
    if code != TOTAL {
        codes.push((concept, code.to_owned()));
        codes.sort();
    }
    CellKey { indicator: key.indicator, codes }
}

/// Every relation between cells of the tables `specs` of a release of `country` (ISO or
/// Eurostat code), beyond the tables' own sums; each relation's cells are cells of `specs`, and
/// a relation is given once, in a deterministic order.
///
/// A citizenship group is related to its countries wherever the same breakdown is also shown by
/// country of citizenship; the countries are those the tables list (a release lists every
/// country present, so a group is exactly the sum of its listed countries).
pub fn cross_relations(specs: &[TableSpec], country: &str) -> Vec<CubeRelation> {
    let mut keys: Vec<CellKey> = specs.iter().flat_map(|s| (0..s.len()).map(|i| s.key(i))).collect();
    keys.sort();
    keys.dedup();
    let present: HashSet<&CellKey> = keys.iter().collect();
    let citizens: BTreeSet<&str> = specs
        .iter()
        .flat_map(|s| s.dims.iter())
        .filter(|d| d.concept == Concept::Citizen)
        .flat_map(|d| d.codes.iter().map(String::as_str))
        .collect();
    let mut out = Vec::new();
    for k in &keys {
        let group = k.code(Concept::CitizenGroup);
        if group != TOTAL && k.code(Concept::Citizen) == TOTAL {
            let base = with_code(k, Concept::CitizenGroup, TOTAL);
            let by_country: Vec<(&str, CellKey)> = citizens
                .iter()
                .map(|c| (*c, with_code(&base, Concept::Citizen, c)))
                .filter(|(_, key)| present.contains(key))
                .collect();
            if !by_country.is_empty() {
                let parts = by_country
                    .into_iter()
                    .filter(|(c, _)| codes::citizen_group(country, c) == group)
                    .map(|(_, key)| key)
                    .collect();
                out.push(CubeRelation { kind: Kind::CitizenGroup, bound: Bound::Equal, whole: k.clone(), parts });
            }
        }
        let class = k.code(Concept::AgeClass);
        if k.code(Concept::Age) == TOTAL
            && let Some((_, ages)) = AGES_OF_CLASS.iter().find(|(c, _)| *c == class)
        {
            let base = with_code(k, Concept::AgeClass, TOTAL);
            let parts: Vec<CellKey> =
                ages.iter().map(|a| with_code(&base, Concept::Age, a)).filter(|p| present.contains(p)).collect();
            if !parts.is_empty() {
                out.push(CubeRelation { kind: Kind::AgeClass, bound: Bound::AtMost, whole: k.clone(), parts });
            }
        }
        // notified anonymously: adults only, so notified + children <= all, per sex
        if k.indicator == Indicator::Registered && k.codes.iter().all(|(c, _)| *c == Concept::Sex) {
            let notified = with_code(k, Concept::VictStat, "NOTIF");
            let children = with_code(k, Concept::AgeClass, "CHILD");
            if present.contains(&notified) && present.contains(&children) {
                out.push(CubeRelation {
                    kind: Kind::Notified,
                    bound: Bound::AtMost,
                    whole: k.clone(),
                    parts: vec![notified, children],
                });
            }
        }
        if GIVEN.contains(&k.indicator) {
            let registered = CellKey { indicator: Indicator::Registered, codes: k.codes.clone() };
            if present.contains(&registered) {
                out.push(CubeRelation {
                    kind: Kind::Given,
                    bound: Bound::AtMost,
                    whole: registered,
                    parts: vec![k.clone()],
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::national::national_tables;

    fn key(indicator: Indicator, codes: &[(Concept, &str)]) -> CellKey {
        let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        c.sort();
        CellKey { indicator, codes: c }
    }

    #[test]
    fn the_national_tables_relate_groups_to_countries_ages_to_classes_and_given_to_registered() {
        let citizens: Vec<String> = ["EE", "LT", "LV", "RO", "UA", "UNK"].iter().map(|c| (*c).to_owned()).collect();
        let rels = cross_relations(&national_tables(&citizens, true), "LV");
        let find = |whole: &CellKey| rels.iter().find(|r| &r.whole == whole && r.kind != Kind::Given).unwrap();
        let m = |c: &str| key(Indicator::Registered, &[(Concept::Sex, "M"), (Concept::Citizen, c)]);
        let eu_m = find(&key(Indicator::Registered, &[(Concept::Sex, "M"), (Concept::CitizenGroup, "EU_FOR")]));
        assert_eq!((eu_m.bound, eu_m.parts.clone()), (Bound::Equal, vec![m("EE"), m("LT"), m("RO")]));
        let nat = find(&key(Indicator::Registered, &[(Concept::CitizenGroup, "NAT")]));
        assert_eq!(nat.parts, vec![key(Indicator::Registered, &[(Concept::Citizen, "LV")])], "own nationals");
        let unk = find(&key(Indicator::Registered, &[(Concept::Sex, "F"), (Concept::CitizenGroup, "UNK")]));
        assert_eq!(unk.parts, vec![key(Indicator::Registered, &[(Concept::Sex, "F"), (Concept::Citizen, "UNK")])]);
        let adults = find(&key(Indicator::Registered, &[(Concept::Sex, "UNK"), (Concept::AgeClass, "ADULT")]));
        assert_eq!(adults.bound, Bound::AtMost);
        assert_eq!(adults.parts.len(), 6);
        assert!(adults.parts.contains(&key(Indicator::Registered, &[(Concept::Sex, "UNK"), (Concept::Age, "Y_GE65")])));
        // the class of unknown age has no age group; offenders have no citizenship table
        assert!(!rels.iter().any(|r| r.kind == Kind::AgeClass && r.whole.code(Concept::AgeClass) == "UNK"));
        assert!(!rels.iter().any(|r| r.whole.indicator.is_offender()));
        // assisted children <= registered children, for every sex and the total
        let given = rels.iter().filter(|r| r.kind == Kind::Given).count();
        assert_eq!(given, 3 * 5 * 4, "three indicators, 5 sex positions x 4 age-class positions");
        assert_eq!(rels.iter().filter(|r| r.kind == Kind::CitizenGroup).count(), 5 * 4);
        assert_eq!(rels.iter().filter(|r| r.kind == Kind::AgeClass).count(), 5 * 2);
        let notified = rels.iter().filter(|r| r.kind == Kind::Notified).count();
        assert_eq!(notified, 5, "per sex and for all");
    }

    #[test]
    fn a_release_without_countries_has_no_group_relation() {
        let rels = cross_relations(&national_tables(&[], false), "LV");
        assert!(!rels.iter().any(|r| r.kind == Kind::CitizenGroup));
    }
}
