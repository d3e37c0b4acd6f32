//! The audit from outside ([`crate::outside_audit`]): over the published SDMX-CSV file of a
//! protected release and the relations Haven publishes, with its own linear (and, on a sample,
//! integer) programs, no hidden small cell is narrowed below the protection rule — on random
//! releases of random sizes, countries and rules. And it is no empty check: on the patterns the
//! relations between tables break, it finds the leaks.

#![allow(clippy::unwrap_used)]

use crate::outside_audit::{self, Rule};
use haven_stats::hub::dataset_from_tables;
use haven_stats::sdc::{Earlier, ProtectionLevel, SdcParams, audit_after, protect, protect_after};
use haven_stats::{ConfStatus, Table, national, sdmx, synth};
use proptest::prelude::*;

/// The published file of tables protected by a pattern.
fn published(country: &str, tables: &[Table], status: &[Vec<ConfStatus>]) -> outside_audit::Published {
    let dataset = dataset_from_tables(country, 2026, tables, Some(status));
    let csv = sdmx::to_csv(std::slice::from_ref(&dataset), sdmx::DATAFLOW).unwrap();
    outside_audit::read_sdmx(&csv)
}

/// Protects a release of `records` and audits its published file from outside.
fn protect_and_audit(country: &str, records: &[national::PersonRecord], rule: Rule, integer: usize) {
    let tables = national::build(&national::national_tables(&national::citizens_of(records), false), records, &[]);
    let params = SdcParams { threshold: rule.threshold, protection: ProtectionLevel::Absolute(rule.protection) };
    let prot = protect(country, &tables, &params).unwrap();
    assert!(prot.audit.passed);
    let file = published(country, &tables, &prot.status);
    let report = outside_audit::audit(&file, &outside_audit::truth_of(&tables), rule, integer);
    assert!(report.relations > 0);
    assert!(
        report.violations.is_empty(),
        "{country}, {} persons, {rule:?}: {} of {} small cells narrowed: {:#?}",
        records.len(),
        report.violations.len(),
        report.small,
        report.violations
    );
    assert_eq!(report.exact, 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    /// Random releases: 20 to 400 persons of one of four countries, threshold 3 to 5 and
    /// protection 1 to the threshold; the integer attacker on the first three small cells.
    #[test]
    fn the_outside_audit_finds_no_small_cell_narrowed_in_random_protected_releases(
        n in 20usize..400,
        seed in 0u64..1_000_000,
        country in proptest::sample::select(vec!["LV", "EE", "LT", "FI"]),
        threshold in 3u64..=5,
        protection in 1u64..=5,
    ) {
        let rule = Rule { threshold, protection: protection.min(threshold) };
        protect_and_audit(country, &synth::records(n, seed, country), rule, 3);
    }

    /// Small releases (5 to 60 persons, where counts are small everywhere): the integer attacker
    /// on every small cell.
    #[test]
    fn the_integer_attacker_narrows_no_small_cell_in_small_random_releases(
        n in 5usize..60,
        seed in 0u64..1_000_000,
        threshold in 3u64..=5,
    ) {
        protect_and_audit("LV", &synth::records(n, seed, "LV"), Rule { threshold, protection: threshold }, usize::MAX);
    }
}

/// `n` registered victims of Latvia with these codes.
fn persons(n: usize, sex: &str, age: &str, age_class: &str, citizen: &str) -> Vec<national::PersonRecord> {
    let r = national::PersonRecord::from_codes(
        "LV", "IDENT", sex, age, age_class, citizen, "SEX", "POLICE", false, false, false,
    )
    .unwrap();
    vec![r; n]
}

/// Hides the cells of `tables` whose key has these codes (any table), publishes the rest.
fn hiding(tables: &[Table], cells: &[&[(&str, &str)]]) -> Vec<Vec<ConfStatus>> {
    tables
        .iter()
        .map(|t| {
            (0..t.values.len())
                .map(|i| {
                    let k = t.spec.key(i);
                    let hidden = cells.iter().any(|codes| {
                        k.indicator == haven_stats::Indicator::Registered
                            && k.codes.len() == codes.len()
                            && codes.iter().all(|(c, v)| k.code(haven_stats::Concept::from_id(c).unwrap()) == *v)
                    });
                    if hidden { ConfStatus::Confidential } else { ConfStatus::Free }
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_outside_audit_finds_estonia_and_the_65_plus_cell_in_patterns_made_table_by_table() {
    let rule = Rule { threshold: 3, protection: 3 };
    // men from other EU countries = 10, Lithuania 4, Romania 4: Estonia = 2
    let mut records = Vec::new();
    for (citizen, men, women) in [("EE", 2, 5), ("LT", 4, 6), ("RO", 4, 7), ("UA", 6, 9), ("LV", 8, 10)] {
        records.extend(persons(men, "M", "Y25-34", "ADULT", citizen));
        records.extend(persons(women, "F", "Y25-34", "ADULT", citizen));
    }
    let tables = national::build(&national::national_tables(&national::citizens_of(&records), false), &records, &[]);
    let st = hiding(
        &tables,
        &[
            &[("SEX", "M"), ("CITIZEN", "EE")],
            &[("SEX", "M"), ("CITIZEN", "UA")],
            &[("SEX", "F"), ("CITIZEN", "EE")],
            &[("SEX", "F"), ("CITIZEN", "UA")],
        ],
    );
    let report = outside_audit::audit(&published("LV", &tables, &st), &outside_audit::truth_of(&tables), rule, 1);
    let estonia: Vec<_> = report.violations.iter().filter(|v| v.key[6] == "EE" && v.key[2] == "M").collect();
    assert!(!estonia.is_empty(), "{report:#?}");
    assert!(estonia.iter().all(|v| v.lower == 2.0 && v.upper == Some(2.0)), "{estonia:#?}");
    assert!(report.exact >= 1);
    // and once protected against every relation, nothing is narrowed
    protect_and_audit("LV", &records, rule, usize::MAX);

    // adults of unknown sex = 298, their published age groups add up to 297: 65+ = 1
    let mut records = Vec::new();
    for (age, n) in [("Y18-24", 50), ("Y25-34", 100), ("Y35-44", 80), ("Y45-54", 40), ("Y55-64", 27), ("Y_GE65", 1)] {
        records.extend(persons(n, "UNK", age, "ADULT", "UA"));
    }
    records.extend(persons(3, "UNK", "UNK", "UNK", "UA"));
    records.extend(persons(40, "F", "Y25-34", "ADULT", "UA"));
    records.extend(persons(10, "F", "Y_GE65", "ADULT", "UA"));
    records.extend(persons(5, "F", "UNK", "UNK", "UA"));
    records.extend(persons(30, "M", "Y25-34", "ADULT", "UA"));
    let tables = national::build(&national::national_tables(&national::citizens_of(&records), false), &records, &[]);
    let st = hiding(
        &tables,
        &[
            &[("SEX", "UNK"), ("AGE", "Y_GE65")],
            &[("SEX", "UNK"), ("AGE", "UNK")],
            &[("SEX", "F"), ("AGE", "Y_GE65")],
            &[("SEX", "F"), ("AGE", "UNK")],
        ],
    );
    let report = outside_audit::audit(&published("LV", &tables, &st), &outside_audit::truth_of(&tables), rule, 1);
    let old: Vec<_> = report.violations.iter().filter(|v| v.key[3] == "Y_GE65" && v.key[2] == "UNK").collect();
    assert!(!old.is_empty() && old.iter().all(|v| v.upper == Some(1.0)), "{report:#?}");
    protect_and_audit("LV", &records, rule, usize::MAX);
}

// ---------------------------------------------------------------------------------------------
// Release control: a later release of the same data and year, audited jointly with what is out.

/// What a release printed: every cell with a value.
fn printed(country: &str, tables: &[Table], status: &[Vec<ConfStatus>]) -> Vec<(haven_stats::CellKey, u64)> {
    dataset_from_tables(country, 2026, tables, Some(status))
        .observations
        .into_iter()
        .filter_map(|o| o.value.map(|v| (o.key, v)))
        .collect()
}

#[test]
fn a_threshold_3_release_after_a_threshold_5_one_keeps_hidden_what_the_first_hid_as_small() {
    let records = synth::records(300, 17, "LV");
    let tables = national::build(&national::national_tables(&national::citizens_of(&records), false), &records, &[]);
    let truth = outside_audit::truth_of(&tables);
    let rules = [Rule { threshold: 5, protection: 5 }, Rule { threshold: 3, protection: 3 }];
    let first = protect("LV", &tables, &SdcParams::new(5)).unwrap();
    let first_file = published("LV", &tables, &first.status);
    // made on its own, the threshold-3 release prints cells of 3 and 4 persons the first hid
    let alone = protect("LV", &tables, &SdcParams::new(3)).unwrap();
    let both = outside_audit::together(&[&first_file, &published("LV", &tables, &alone.status)]);
    let leaks = outside_audit::audit_rules(&both, &truth, &rules, 0);
    let printed_outright = leaks.violations.iter().filter(|v| Some(v.lower) == v.upper).count();
    assert!(printed_outright > 0, "{leaks:?}");
    // made after the first, it keeps them hidden, and both files together leak nothing
    let earlier = Earlier { params: SdcParams::new(5), published: printed("LV", &tables, &first.status) };
    let second = protect_after("LV", &tables, &SdcParams::new(3), std::slice::from_ref(&earlier)).unwrap();
    assert!(second.audit.passed, "{:?}", second.audit.unsafe_cells().collect::<Vec<_>>());
    let both = outside_audit::together(&[&first_file, &published("LV", &tables, &second.status)]);
    let report = outside_audit::audit_rules(&both, &truth, &rules, 3);
    assert!(report.violations.is_empty(), "{:#?}", report.violations);
    assert!(audit_after("LV", &tables, &second.status, &SdcParams::new(3), &[earlier]).unwrap().passed);
}

#[test]
fn a_threshold_5_release_after_a_threshold_3_one_is_refused_with_the_small_cells_already_printed() {
    let records = synth::records(300, 17, "LV");
    let tables = national::build(&national::national_tables(&national::citizens_of(&records), false), &records, &[]);
    let first = protect("LV", &tables, &SdcParams::new(3)).unwrap();
    let earlier = Earlier { params: SdcParams::new(3), published: printed("LV", &tables, &first.status) };
    let second = protect_after("LV", &tables, &SdcParams::new(5), &[earlier]).unwrap();
    assert!(!second.audit.passed);
    let at_fault: Vec<_> = second.audit.unsafe_cells().collect();
    assert!(at_fault.iter().any(|c| c.already_published && (3..5).contains(&c.value)), "{at_fault:?}");
    // a second release under the same rule prints nothing new: it passes
    let earlier = Earlier { params: SdcParams::new(3), published: printed("LV", &tables, &first.status) };
    let again = protect_after("LV", &tables, &SdcParams::new(3), &[earlier]).unwrap();
    assert!(again.audit.passed, "{:?}", again.audit.unsafe_cells().collect::<Vec<_>>());
}
