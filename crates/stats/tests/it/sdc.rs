//! Disclosure control: leaks the audit must catch, protection that must pass it, the LP audit
//! against brute force, and parameter validation.

#![allow(clippy::unwrap_used)]

use haven_stats::sdc::{ProtectionLevel, SdcError, SdcParams, audit, protect};
use haven_stats::{CellKey, Concept, ConfStatus, Indicator, Table, TableDim, TableSpec, national};
use proptest::prelude::*;
use std::collections::HashMap;

fn dim(concept: Concept, n: usize, prefix: &str) -> TableDim {
    let codes: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    TableDim { concept, codes, total: "_T".into() }
}

fn table(id: &str, dims: Vec<TableDim>, inner: &[u64]) -> Table {
    Table::from_inner(TableSpec { id: id.into(), indicator: Indicator::Registered, dims }, inner)
}

/// Rows x columns with margins (last row and column are totals).
fn t2(rows: usize, cols: usize, inner: &[u64]) -> Table {
    table("T", vec![dim(Concept::Sex, rows, "r"), dim(Concept::Age, cols, "c")], inner)
}

fn free(t: &Table) -> Vec<ConfStatus> {
    vec![ConfStatus::Free; t.values.len()]
}

/// The reporting country of the test releases.
const LV: &str = "LV";

fn params() -> SdcParams {
    SdcParams { threshold: 5, protection: ProtectionLevel::Absolute(3) }
}

/// The sex x form table and the table of sub-forms of "other" (its total is `OTH`).
fn form_and_subform(form_inner: &[u64; 6], sub_inner: &[u64; 6]) -> Vec<Table> {
    // sub-forms: F and M rows over three sub-forms; their OTH totals feed the form table
    let oth_f: u64 = sub_inner[0..3].iter().sum();
    let oth_m: u64 = sub_inner[3..6].iter().sum();
    let form = Table::from_inner(
        TableSpec {
            id: "FORM".into(),
            indicator: Indicator::Registered,
            dims: vec![
                TableDim::new(Concept::Sex, &["F", "M"]),
                TableDim::new(Concept::Exploit, &["SEX", "LAB", "OTH"]),
            ],
        },
        &[form_inner[0], form_inner[1], oth_f, form_inner[3], form_inner[4], oth_m],
    );
    let sub = Table::from_inner(
        TableSpec {
            id: "SUB".into(),
            indicator: Indicator::Registered,
            dims: vec![
                TableDim::new(Concept::Sex, &["F", "M"]),
                TableDim {
                    concept: Concept::Exploit,
                    codes: vec!["OTH_CRIM".into(), "OTH_ORGAN".into(), "OTH_MARR".into()],
                    total: "OTH".into(),
                },
            ],
        },
        sub_inner,
    );
    vec![form, sub]
}

#[test]
fn a_lone_suppressed_cell_in_a_row_is_recovered_from_its_margin() {
    let t = t2(3, 3, &[2, 10, 12, 20, 30, 25, 15, 18, 40]);
    let mut st = free(&t);
    st[0] = ConfStatus::Confidential; // the 2
    let r = audit(LV, &[t], &[st], &params()).unwrap();
    assert!(!r.passed);
    let c = &r.cells[0];
    assert_eq!((c.value, c.lower, c.upper), (2, 2.0, Some(2.0)));
    assert!(!c.safe);
}

#[test]
fn two_suppressed_cells_of_one_row_alone_in_their_columns_are_recovered() {
    let t = t2(3, 3, &[2, 3, 12, 20, 30, 25, 15, 18, 40]);
    let mut st = free(&t);
    st[0] = ConfStatus::Confidential;
    st[1] = ConfStatus::Confidential;
    let r = audit(LV, std::slice::from_ref(&t), &[st.clone()], &params()).unwrap();
    assert!(!r.passed);
    assert!(r.cells.iter().all(|c| Some(c.lower) == c.upper && !c.safe), "{:?}", r.cells);
    // completing the rectangle with the row below hides both
    st[4] = ConfStatus::Confidential; // (1, 0) = 20
    st[5] = ConfStatus::Confidential; // (1, 1) = 30
    let r = audit(LV, std::slice::from_ref(&t), std::slice::from_ref(&st), &params()).unwrap();
    let two = r.cells.iter().find(|c| c.index == 0).unwrap();
    assert_eq!((two.lower, two.upper), (0.0, Some(5.0)), "the row total 5 caps both cells");
    // ... but the 3 needs 3 + 3 = 6, which the row total of 5 rules out
    let three = r.cells.iter().find(|c| c.index == 1).unwrap();
    assert!(!three.safe && !r.passed);
    let r = audit(LV, &[t], &[st], &SdcParams { threshold: 5, protection: ProtectionLevel::Absolute(2) }).unwrap();
    assert!(r.passed, "{:?}", r.cells);
}

#[test]
fn a_cell_hidden_in_one_table_but_shown_in_a_linked_table_is_not_hidden() {
    let tables = form_and_subform(&[40, 30, 0, 20, 25, 0], &[1, 6, 7, 9, 8, 10]);
    let form = &tables[0];
    // in FORM, hide the rectangle F/M x LAB/OTH; FORM alone is safe for its cells
    let mut st_form = free(form);
    for idx in [1usize, 2, 5, 6] {
        st_form[idx] = ConfStatus::Confidential;
    }
    let p = SdcParams { threshold: 2, protection: ProtectionLevel::Absolute(1) };
    let alone = audit(LV, std::slice::from_ref(form), std::slice::from_ref(&st_form), &p).unwrap();
    assert!(alone.cells.iter().all(|c| Some(c.lower) < c.upper), "{:?}", alone.cells);
    // but SUB publishes F/OTH (its total), which pins F/LAB through the F row of FORM
    let st_sub = vec![ConfStatus::Free; tables[1].values.len()];
    let st_sub_hidden_inner: Vec<ConfStatus> = (0..tables[1].values.len())
        .map(|i| if i == 0 || i == 4 { ConfStatus::Confidential } else { ConfStatus::Free })
        .collect();
    let both = audit(LV, &tables, &[st_form.clone(), st_sub], &p).unwrap();
    let f_lab = both.cells.iter().find(|c| c.table == "FORM" && c.index == 1).unwrap();
    assert_eq!((f_lab.lower, f_lab.upper), (30.0, Some(30.0)), "F/LAB is recovered through SUB");
    // and the primary 1 in SUB (F/OTH_CRIM), suppressed with M/OTH_CRIM... only in its table,
    // is leaked as soon as SUB's totals are published
    let r = audit(LV, &tables, &[st_form, st_sub_hidden_inner], &p).unwrap();
    assert!(!r.passed);
    // protect both jointly: passes, and the shared cells have one status
    let prot = protect(LV, &tables, &p).unwrap();
    assert!(prot.audit.passed, "{:?}", prot.audit.cells);
    assert_eq!(prot.status[1][0], ConfStatus::Confidential);
    assert_one_status(&tables, &prot.status);
    assert!(audit(LV, &tables, &prot.status, &p).unwrap().passed);
}

fn assert_one_status(tables: &[Table], status: &[Vec<ConfStatus>]) {
    let mut seen: HashMap<_, ConfStatus> = HashMap::new();
    for (t, st) in tables.iter().zip(status) {
        for (i, s) in st.iter().enumerate() {
            let k = t.spec.key(i);
            if let Some(prev) = seen.insert(k.clone(), *s) {
                assert_eq!(prev, *s, "cell {k:?} has two statuses");
            }
        }
    }
}

fn check_protected(tables: &[Table], p: &SdcParams) {
    let prot = protect(LV, tables, p).unwrap();
    for (t, st) in tables.iter().zip(&prot.status) {
        for (v, s) in t.values.iter().zip(st) {
            if p.is_primary(*v) {
                assert_eq!(*s, ConfStatus::Confidential, "every primary cell is hidden");
            }
        }
    }
    assert_one_status(tables, &prot.status);
    assert!(prot.audit.passed, "{:?}", prot.audit.unsafe_cells().collect::<Vec<_>>());
    let again = audit(LV, tables, &prot.status, p).unwrap();
    assert!(again.passed);
    // the grand total stays published unless nothing else works
    assert_eq!(prot.audit.cells.len(), prot.primary() + prot.secondary());
}

#[test]
fn protection_of_crafted_tables_passes_the_audit() {
    let p = params();
    check_protected(&[t2(3, 3, &[2, 3, 12, 20, 30, 25, 15, 18, 40])], &p);
    check_protected(&[t2(2, 2, &[1, 0, 0, 1])], &p);
    check_protected(&form_and_subform(&[40, 30, 0, 20, 25, 0], &[1, 6, 7, 9, 8, 10]), &p);
    let t3 = table(
        "C",
        vec![dim(Concept::Sex, 2, "s"), dim(Concept::Age, 3, "a"), dim(Concept::Exploit, 2, "e")],
        &[1, 9, 12, 0, 7, 30, 2, 8, 20, 11, 3, 9],
    );
    check_protected(&[t3], &p);
}

#[test]
fn tau_argus_percent_protection_is_one_person_for_small_cells() {
    let p = SdcParams { threshold: 5, protection: ProtectionLevel::PercentOfValue(10) };
    assert_eq!(p.required(1), (0, 2));
    assert_eq!(p.required(4), (3, 5));
    let p = SdcParams { threshold: 10, protection: ProtectionLevel::PercentOfValue(50) };
    assert_eq!(p.required(7), (3, 11), "3.5 persons, rounded up to 4");
}

#[test]
fn parameters_out_of_range_are_refused_with_the_reason() {
    let t = t2(2, 2, &[1, 2, 3, 4]);
    let e = protect(LV, std::slice::from_ref(&t), &SdcParams::new(1)).unwrap_err();
    assert_eq!(e.to_string(), "threshold is 1, but must be between 2 and 100");
    let e = protect(LV, std::slice::from_ref(&t), &SdcParams::new(101)).unwrap_err();
    assert!(matches!(e, SdcError::OutOfRange { field: "threshold", value: 101, .. }));
    let bad = SdcParams { threshold: 5, protection: ProtectionLevel::Absolute(0) };
    assert_eq!(
        bad.validate().unwrap_err().to_string(),
        "protection (absolute, persons) is 0, but must be between 1 and 1000"
    );
    let bad = SdcParams { threshold: 5, protection: ProtectionLevel::PercentOfValue(150) };
    assert_eq!(
        bad.validate().unwrap_err().to_string(),
        "protection (percent of value) is 150, but must be between 1 and 100"
    );
    assert!(audit(LV, std::slice::from_ref(&t), &[free(&t)], &bad).is_err());
    assert_eq!(SdcParams::default().validate(), Ok(()));
    assert_eq!(SdcParams::default().required(2), (0, 7));
}

#[test]
fn inconsistent_releases_are_refused() {
    let mut t = t2(2, 2, &[1, 2, 3, 4]);
    t.values[0] = 9;
    assert!(matches!(protect(LV, &[t], &params()), Err(SdcError::Inconsistent { .. })));
    let t = t2(2, 2, &[1, 2, 3, 4]);
    assert!(matches!(
        audit(LV, std::slice::from_ref(&t), &[vec![ConfStatus::Free; 3]], &params()),
        Err(SdcError::StatusShape { .. })
    ));
}

/// Integer min and max of every suppressed cell by enumeration (grand total published).
fn brute_force(t: &Table, st: &[ConfStatus]) -> HashMap<usize, (u64, u64)> {
    let hidden: Vec<usize> = (0..t.values.len()).filter(|i| st[*i].is_suppressed()).collect();
    let bound = t.total();
    let rels = t.spec.relations();
    let mut out: HashMap<usize, (u64, u64)> = HashMap::new();
    let mut vals = t.values.clone();
    let mut digits = vec![0u64; hidden.len()];
    loop {
        for (h, d) in hidden.iter().zip(&digits) {
            vals[*h] = *d;
        }
        if rels.iter().all(|r| r.parts.iter().map(|p| vals[*p]).sum::<u64>() == vals[r.total]) {
            for h in &hidden {
                let e = out.entry(*h).or_insert((vals[*h], vals[*h]));
                e.0 = e.0.min(vals[*h]);
                e.1 = e.1.max(vals[*h]);
            }
        }
        let mut k = 0;
        loop {
            if k == digits.len() {
                return out;
            }
            digits[k] += 1;
            if digits[k] <= bound {
                break;
            }
            digits[k] = 0;
            k += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn the_lp_audit_equals_brute_force_on_tiny_tables(
        inner in proptest::collection::vec(0u64..4, 6),
        mask in proptest::collection::vec(any::<bool>(), 11),
    ) {
        let t = t2(2, 3, &inner);
        let n = t.values.len();
        let st: Vec<ConfStatus> = (0..n)
            .map(|i| if i + 1 < n && mask[i] { ConfStatus::Confidential } else { ConfStatus::Free })
            .collect();
        prop_assume!(st.iter().filter(|s| s.is_suppressed()).count() <= 5);
        let bf = brute_force(&t, &st);
        let r = audit(LV, std::slice::from_ref(&t), &[st], &SdcParams { threshold: 2, protection: ProtectionLevel::Absolute(1) }).unwrap();
        for c in r.cells.iter().filter(|c| c.suppressed) {
            let (lo, hi) = bf[&c.index];
            prop_assert_eq!(c.lower, lo as f64, "cell {}", c.index);
            prop_assert_eq!(c.upper, Some(hi as f64), "cell {}", c.index);
        }
    }

    #[test]
    fn protected_2d_tables_pass_the_audit(
        rows in 2usize..5, cols in 2usize..6,
        inner in proptest::collection::vec(prop_oneof![3 => 0u64..6, 2 => 5u64..40], 25),
        threshold in 2u64..6, p in 1u64..5,
    ) {
        let t = t2(rows, cols, &inner[..rows * cols]);
        check_protected(&[t], &SdcParams { threshold, protection: ProtectionLevel::Absolute(p) });
    }

    #[test]
    fn protected_3d_tables_pass_the_audit(
        a in 2usize..4, b in 2usize..4, c in 2usize..4,
        inner in proptest::collection::vec(prop_oneof![3 => 0u64..6, 2 => 5u64..30], 27),
        p in 1u64..4,
    ) {
        let t = table("C", vec![dim(Concept::Sex, a, "s"), dim(Concept::Age, b, "a"), dim(Concept::Exploit, c, "e")], &inner[..a * b * c]);
        check_protected(&[t], &SdcParams { threshold: 5, protection: ProtectionLevel::Absolute(p) });
    }

    #[test]
    fn protected_linked_tables_pass_the_audit(
        form in proptest::array::uniform6(prop_oneof![0u64..6, 5u64..40]),
        sub in proptest::array::uniform6(prop_oneof![0u64..6, 5u64..20]),
        p in 1u64..4,
    ) {
        check_protected(&form_and_subform(&form, &sub), &SdcParams { threshold: 5, protection: ProtectionLevel::Absolute(p) });
    }
}

// ---------------------------------------------------------------------------------------------
// Relations between tables: what the hub publishes and checks is known to the attacker too.

/// `n` registered victims of Latvia with these codes (identified, registered by the police,
/// sexual exploitation, not assisted).
fn persons(n: usize, sex: &str, age: &str, age_class: &str, citizen: &str) -> Vec<national::PersonRecord> {
    let r = national::PersonRecord::from_codes(
        LV, "IDENT", sex, age, age_class, citizen, "SEX", "POLICE", false, false, false,
    )
    .unwrap();
    vec![r; n]
}

/// The national tables of the records, as a release of Latvia lays them out.
fn national_release(records: &[national::PersonRecord]) -> Vec<Table> {
    national::build(&national::national_tables(&national::citizens_of(records), false), records, &[])
}

/// Table and index of the first cell shown under `key` among `tables`.
fn cell_at(tables: &[Table], codes: &[(Concept, &str)]) -> (usize, usize) {
    let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    c.sort();
    let key = CellKey { indicator: Indicator::Registered, codes: c };
    tables
        .iter()
        .enumerate()
        .find_map(|(t, table)| (0..table.values.len()).find(|i| table.spec.key(*i) == key).map(|i| (t, i)))
        .unwrap()
}

/// Everything published but these cells (in whichever table shows them).
fn hiding(tables: &[Table], cells: &[&[(Concept, &str)]]) -> Vec<Vec<ConfStatus>> {
    let mut st: Vec<Vec<ConfStatus>> = tables.iter().map(free).collect();
    for codes in cells {
        let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        c.sort();
        let key = CellKey { indicator: Indicator::Registered, codes: c };
        for (table, row) in tables.iter().zip(st.iter_mut()) {
            for (i, status) in row.iter_mut().enumerate() {
                if table.spec.key(i) == key {
                    *status = ConfStatus::Confidential;
                }
            }
        }
    }
    st
}

/// The demo's rule: threshold 3, protection 3 persons.
fn demo_rule() -> SdcParams {
    SdcParams::new(3)
}

#[test]
fn estonian_men_are_pinned_by_other_eu_men_minus_lithuania_and_romania_once_groups_are_sums_of_countries() {
    use Concept::{Citizen, Sex};
    // men from other EU countries = 10: Lithuania 4, Romania 4, Estonia 2
    let mut records = Vec::new();
    for (citizen, men, women) in [("EE", 2, 5), ("LT", 4, 6), ("RO", 4, 7), ("UA", 6, 9), ("LV", 8, 10)] {
        records.extend(persons(men, "M", "Y25-34", "ADULT", citizen));
        records.extend(persons(women, "F", "Y25-34", "ADULT", citizen));
    }
    let tables = national_release(&records);
    // table by table, Estonia and Ukraine by sex form a rectangle: within the citizenship table
    // the 2 could be anything from 0 to 7
    let st = hiding(
        &tables,
        &[
            &[(Sex, "M"), (Citizen, "EE")],
            &[(Sex, "M"), (Citizen, "UA")],
            &[(Sex, "F"), (Citizen, "EE")],
            &[(Sex, "F"), (Citizen, "UA")],
        ],
    );
    let r = audit(LV, &tables, &st, &demo_rule()).unwrap();
    let (t, i) = cell_at(&tables, &[(Sex, "M"), (Citizen, "EE")]);
    let estonia = r.cells.iter().find(|c| c.table == tables[t].spec.id && c.index == i).unwrap();
    assert_eq!((estonia.value, estonia.lower, estonia.upper), (2, 2.0, Some(2.0)), "10 - 4 - 4 = 2");
    assert!(!estonia.safe && !r.passed);
    // protected with the groups in the attacker's system, it reaches 0 and 2 + 3 both ways
    let prot = protect(LV, &tables, &demo_rule()).unwrap();
    assert!(prot.audit.passed, "{:?}", prot.audit.unsafe_cells().collect::<Vec<_>>());
    assert_eq!(prot.status[t][i], ConfStatus::Confidential);
    let estonia = prot.audit.cells.iter().find(|c| c.table == tables[t].spec.id && c.index == i).unwrap();
    assert!(estonia.lower <= 0.0 && estonia.upper.is_none_or(|u| u >= 5.0), "{estonia:?}");
}

#[test]
fn the_65_plus_cell_is_pinned_by_the_adults_of_unknown_sex_once_age_groups_are_bounded_by_their_class() {
    use Concept::{Age, Sex};
    // adults of unknown sex = 298; their age groups 18 to 64 add up to 297; one is 65 or over;
    // three more are of unknown age (and class)
    let mut records = Vec::new();
    for (age, n) in [("Y18-24", 50), ("Y25-34", 100), ("Y35-44", 80), ("Y45-54", 40), ("Y55-64", 27), ("Y_GE65", 1)] {
        records.extend(persons(n, "UNK", age, "ADULT", "UA"));
    }
    records.extend(persons(3, "UNK", "UNK", "UNK", "UA"));
    records.extend(persons(40, "F", "Y25-34", "ADULT", "UA"));
    records.extend(persons(10, "F", "Y_GE65", "ADULT", "UA"));
    records.extend(persons(5, "F", "UNK", "UNK", "UA"));
    records.extend(persons(30, "M", "Y25-34", "ADULT", "UA"));
    let tables = national_release(&records);
    // within the age table, 65+ and unknown age by F and unknown sex form a rectangle: the 1 could
    // be anything from 0 to 4
    let st = hiding(
        &tables,
        &[
            &[(Sex, "UNK"), (Age, "Y_GE65")],
            &[(Sex, "UNK"), (Age, "UNK")],
            &[(Sex, "F"), (Age, "Y_GE65")],
            &[(Sex, "F"), (Age, "UNK")],
        ],
    );
    let r = audit(LV, &tables, &st, &demo_rule()).unwrap();
    let (t, i) = cell_at(&tables, &[(Sex, "UNK"), (Age, "Y_GE65")]);
    let old = r.cells.iter().find(|c| c.table == tables[t].spec.id && c.index == i).unwrap();
    assert_eq!((old.value, old.lower, old.upper), (1, 1.0, Some(1.0)), "298 adults - 297 = 1");
    assert!(!old.safe && !r.passed);
    let prot = protect(LV, &tables, &demo_rule()).unwrap();
    assert!(prot.audit.passed, "{:?}", prot.audit.unsafe_cells().collect::<Vec<_>>());
    let cell = prot.audit.cells.iter().find(|c| c.table == tables[t].spec.id && c.index == i).unwrap();
    assert!(cell.suppressed && cell.lower <= 0.0 && cell.upper.is_none_or(|u| u >= 4.0), "{cell:?}");
}

#[test]
fn victims_assisted_are_bounded_by_those_registered_in_the_attackers_system() {
    use Concept::{AgeClass, Sex};
    // 3 registered girls, 1 of them assisted; within its table the assisted girl is hidden in a
    // rectangle of assisted children and adults by sex, and could be anything from 0 to 10
    let mut records = Vec::new();
    let r = |sex, class, age, assisted| {
        national::PersonRecord::from_codes(LV, "IDENT", sex, age, class, "UA", "SEX", "POLICE", assisted, false, false)
            .unwrap()
    };
    records.extend(vec![r("F", "CHILD", "Y12-17", true); 1]);
    records.extend(vec![r("F", "CHILD", "Y12-17", false); 2]);
    records.extend(vec![r("F", "ADULT", "Y25-34", true); 20]);
    records.extend(vec![r("M", "ADULT", "Y25-34", true); 15]);
    records.extend(vec![r("M", "CHILD", "Y12-17", true); 9]);
    records.extend(vec![r("F", "ADULT", "Y25-34", false); 10]);
    records.extend(vec![r("M", "ADULT", "Y25-34", false); 10]);
    let tables = national_release(&records);
    let assist = tables.iter().position(|t| t.spec.id == "ASSIST_SEX_AGE_CLASS").unwrap();
    let spec = &tables[assist].spec;
    let at = |sex: &str, class: &str| {
        let mut c = vec![(AgeClass, class.to_owned()), (Sex, sex.to_owned())];
        c.sort();
        (0..spec.len()).find(|i| spec.key(*i).codes == c).unwrap()
    };
    // table-wise: hide assisted girls (1) and boys (9), adult women (20) and men (15)
    let mut st: Vec<Vec<ConfStatus>> = tables.iter().map(free).collect();
    for (s, c) in [("F", "CHILD"), ("M", "CHILD"), ("F", "ADULT"), ("M", "ADULT")] {
        st[assist][at(s, c)] = ConfStatus::Confidential;
    }
    let p = SdcParams { threshold: 3, protection: ProtectionLevel::Absolute(8) };
    let rep = audit(LV, &tables, &st, &p).unwrap();
    let girls = rep.cells.iter().find(|c| c.table == spec.id && c.index == at("F", "CHILD")).unwrap();
    // registered girls are 3, so assisted girls are at most 3 (and, registered boys being 9, at
    // least 10 - 9 = 1)
    assert_eq!((girls.lower, girls.upper), (1.0, Some(3.0)), "{girls:?}");
    assert!(!girls.safe, "1 + 8 is out of reach");
    let prot = protect(LV, &tables, &p).unwrap();
    assert!(prot.audit.passed, "{:?}", prot.audit.unsafe_cells().collect::<Vec<_>>());
}
