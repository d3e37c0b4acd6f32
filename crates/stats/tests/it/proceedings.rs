//! The trafficker tables filled from the proceedings data (Dir 2011/36 Art 19; the 2024 annual
//! data set with the users' offence of Art 18a, Dir 2024/1712): suspects joined into persons and
//! counted once per stage and year, released under cell suppression with the victim tables, a
//! small cell never given away by a total, and carried in the SDMX-CSV file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use haven_stats::hub::{dataset_from_tables, validate};
use haven_stats::model::{CellKey, Concept, ConfStatus, Indicator, Table};
use haven_stats::proceedings::{StageFacts, SuspectFacts, offender_records, persons};
use haven_stats::relations::cross_relations;
use haven_stats::sdc::{self, SdcParams};
use haven_stats::sdmx::{self, DATAFLOW, Expected};
use haven_stats::{national, synth};
use std::collections::HashMap;

fn stage(on: &str, trafficking: Option<&str>, use_of_services: Option<&str>) -> Option<StageFacts> {
    Some(StageFacts {
        on: on.into(),
        trafficking: trafficking.map(str::to_owned),
        use_of_services: use_of_services.map(str::to_owned),
    })
}

fn suspect(id: &str, keys: &[&str], sex: &str, age: &str, citizen: &str) -> SuspectFacts {
    SuspectFacts {
        id: id.into(),
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        sex: sex.into(),
        age: age.into(),
        citizen: citizen.into(),
        ..SuspectFacts::default()
    }
}

fn table<'a>(tables: &'a [Table], id: &str) -> &'a Table {
    tables.iter().find(|t| t.spec.id == id).unwrap_or_else(|| panic!("no table {id}"))
}

fn key(indicator: Indicator, codes: &[(Concept, &str)]) -> CellKey {
    let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    c.sort();
    CellKey { indicator, codes: c }
}

/// One person suspected in two investigations (linked to the same identification case), a
/// second suspected twice under one name; a third convicted this year after being suspected
/// last year; a user of services (Art 18a) also suspected as a trafficker.
fn facts() -> Vec<SuspectFacts> {
    let mut a1 = suspect("a1", &["case:p1"], "F", "Y18-24", "UA");
    a1.suspected = stage("2026-02-01", Some("SEX"), None);
    let mut a2 = suspect("a2", &["case:p1"], "F", "Y25-34", "UA");
    a2.suspected = stage("2026-03-01", Some("LAB"), None);
    a2.prosecuted = stage("2026-04-01", Some("LAB"), None);
    let mut b1 = suspect("b1", &["name:janis berzins|LV|M"], "M", "Y35-44", "LV");
    b1.suspected = stage("2026-01-05", Some("LAB"), None);
    b1.prosecuted = stage("2026-02-05", Some("LAB"), None);
    let mut b2 = suspect("b2", &["name:janis berzins|LV|M"], "M", "Y35-44", "LV");
    b2.suspected = stage("2026-03-05", Some("SEX"), None);
    b2.prosecuted = stage("2026-03-06", Some("SEX"), None);
    let mut c = suspect("c", &[], "M", "Y45-54", "EE");
    c.suspected = stage("2025-06-01", Some("OTH_CRIM"), None);
    c.prosecuted = stage("2025-11-01", Some("OTH_CRIM"), None);
    c.convicted = stage("2026-05-01", Some("OTH_CRIM"), None);
    let mut d = suspect("d", &["name:peteris ozols|LV|M"], "M", "UNK", "LV");
    d.suspected = stage("2026-03-01", Some("SEX"), Some("SEX"));
    vec![a1, a2, b1, b2, c, d]
}

#[test]
fn art_19_dir_2011_36_suspects_are_counted_as_persons_once_per_stage_and_year() {
    let f = facts();
    assert_eq!(persons(&f), vec![0, 0, 1, 1, 2, 3], "six records, four persons");
    let records = offender_records("LV", 2026, &f).unwrap();
    let tables = national::build(&national::national_tables(&[], true), &[], &records);
    // a and b suspected twice each this year count once; c was suspected last year
    assert_eq!(table(&tables, "TRAF_SUSP_SEX_AGE").total(), 3);
    // each person under the values of their first record of the year
    let by_form = table(&tables, "TRAF_SUSP_SEX_EXPLOIT");
    let ds = dataset_from_tables("LV", 2026, &tables, None);
    let value = |k: CellKey| ds.observations.iter().find(|o| o.key == k).and_then(|o| o.value);
    assert_eq!(value(key(Indicator::Suspected, &[(Concept::Sex, "F"), (Concept::Exploit, "SEX")])), Some(1));
    assert_eq!(value(key(Indicator::Suspected, &[(Concept::Sex, "F"), (Concept::Exploit, "LAB")])), Some(0));
    assert_eq!(value(key(Indicator::Suspected, &[(Concept::Sex, "M"), (Concept::Exploit, "LAB")])), Some(1));
    assert_eq!(value(key(Indicator::Suspected, &[(Concept::Sex, "F"), (Concept::Age, "Y18-24")])), Some(1));
    assert_eq!(by_form.total(), 3);
    // prosecuted: a once, b once (two decisions this year)
    assert_eq!(table(&tables, "TRAF_PROS_SEX_CITIZEN_GRP").total(), 2);
    // convicted this year without being suspected or prosecuted this year: no rule orders them
    assert_eq!(table(&tables, "TRAF_CONV_SEX_EXPLOIT").total(), 1);
    assert_eq!(value(key(Indicator::Convicted, &[(Concept::Exploit, "OTH")])), Some(1));
    // the user of services is in both sets of tables, never added up
    assert_eq!(table(&tables, "USE_SUSP_SEX_AGE").total(), 1);
    assert_eq!(value(key(Indicator::UseSuspected, &[(Concept::CitizenGroup, "NAT")])), Some(1));
    validate(&ds, "LV", 2026).unwrap();

    // last year: c suspected and prosecuted, nobody convicted
    let last = national::build(&national::national_tables(&[], true), &[], &offender_records("LV", 2025, &f).unwrap());
    assert_eq!(table(&last, "TRAF_SUSP_SEX_AGE").total(), 1);
    assert_eq!(table(&last, "TRAF_PROS_SEX_AGE").total(), 1);
    assert_eq!(table(&last, "TRAF_CONV_SEX_AGE").total(), 0);
    // a bad code is named, not counted
    let mut bad = facts();
    bad[0].sex = "female".into();
    assert_eq!(offender_records("LV", 2026, &bad), Err("sex"));
}

#[test]
fn art_19_dir_2011_36_no_relation_orders_the_stages_but_every_offender_total_is_the_sum_of_its_parts() {
    let specs = national::national_tables(&["LV".to_owned(), "UA".to_owned()], true);
    let rels = cross_relations(&specs, "LV");
    assert!(
        !rels.iter().any(|r| r.whole.indicator.is_offender() || r.parts.iter().any(|p| p.indicator.is_offender())),
        "suspected >= prosecuted >= convicted is not a relation of the cube"
    );
    let offender_specs: Vec<_> = specs.iter().filter(|s| s.indicator.is_offender()).collect();
    assert_eq!(offender_specs.len(), 18);
    for s in offender_specs {
        // totals over sex and over the other breakdown, margins included
        assert_eq!(s.relations().len(), s.dims[1].positions() + s.dims[0].positions(), "{}", s.id);
    }
}

#[test]
fn art_19_dir_2011_36_a_small_offender_cell_is_not_given_away_by_a_total_nor_by_another_table() {
    let victims = synth::records(400, 11, "LV");
    // many suspects, and one woman of unknown age suspected of labour exploitation
    let mut f: Vec<SuspectFacts> = (0..60)
        .map(|i| {
            let mut s = suspect(&format!("s{i}"), &[], "M", ["Y25-34", "Y35-44", "Y45-54"][i % 3], "LV");
            s.suspected = stage("2026-03-01", Some(["SEX", "LAB"][i % 2]), None);
            s
        })
        .collect();
    let mut lone = suspect("lone", &[], "F", "UNK", "UA");
    lone.suspected = stage("2026-04-01", Some("LAB"), None);
    f.push(lone);
    for i in 0..8 {
        let mut s = suspect(&format!("w{i}"), &[], "F", "Y25-34", "LV");
        s.suspected = stage("2026-03-01", Some("SEX"), None);
        f.push(s);
    }
    let offenders = offender_records("LV", 2026, &f).unwrap();
    let specs = national::national_tables(&national::citizens_of(&victims), true);
    let tables = national::build(&specs, &victims, &offenders);
    let params = SdcParams::new(5);
    let protection = sdc::protect("LV", &tables, &params).unwrap();
    assert!(protection.audit.passed, "{:?}", protection.audit.unsafe_cells().collect::<Vec<_>>());
    // every small offender cell is hidden, in every table that shows it, and the audit's
    // attacker (every table's sums, the cells shared by tables) cannot narrow it down
    let lone_age = key(Indicator::Suspected, &[(Concept::Sex, "F"), (Concept::Age, "UNK")]);
    let audited = protection.audit.cells.iter().find(|c| c.key == lone_age).unwrap();
    assert!(audited.primary && audited.suppressed && audited.safe);
    assert!(audited.lower <= 0.0 && audited.upper.is_none_or(|u| u >= 6.0), "{audited:?}");
    let women = key(Indicator::Suspected, &[(Concept::Sex, "F")]);
    let showing = tables.iter().filter(|t| (0..t.spec.len()).any(|i| t.spec.key(i) == women)).count();
    assert_eq!(showing, 3, "the women suspected are one cell of three tables");
    // no line of an offender table has exactly one hidden cell (a total minus the others)
    let mut hidden: HashMap<CellKey, bool> = HashMap::new();
    for (t, status) in tables.iter().zip(&protection.status) {
        for (i, s) in status.iter().enumerate() {
            let k = t.spec.key(i);
            let h = *s == ConfStatus::Confidential;
            if let Some(prev) = hidden.insert(k.clone(), h) {
                assert_eq!(prev, h, "a shared cell hidden in one table and shown in another: {k:?}");
            }
        }
        if !t.spec.indicator.is_offender() {
            continue;
        }
        for r in t.spec.relations() {
            let n =
                std::iter::once(r.total).chain(r.parts.iter().copied()).filter(|c| status[*c].is_suppressed()).count();
            assert_ne!(n, 1, "table {}: a line with one hidden cell", t.spec.id);
        }
    }
    assert!(hidden[&lone_age]);

    // the release's SDMX-CSV carries the offender tables, the hidden cells flagged alike
    let ds = dataset_from_tables("LV", 2026, &tables, Some(&protection.status));
    validate(&ds, "LV", 2026).unwrap();
    let csv = sdmx::to_csv(std::slice::from_ref(&ds), DATAFLOW).unwrap();
    for indicator in Indicator::OFFENDERS {
        assert!(csv.contains(&format!(",{},", indicator.code())), "no {} line", indicator.code());
    }
    let lone_line = csv
        .lines()
        .find(|l| l.contains(",TRAF_SUSP,") && l.contains(",F,UNK,_T,_T,_T,_T,_T,"))
        .unwrap_or_else(|| panic!("no line of the woman of unknown age in {csv}"));
    assert!(lone_line.contains(",,c,C,"), "{lone_line}");
    let back = sdmx::from_csv(csv.as_bytes(), &Expected::any()).unwrap();
    assert_eq!(back, vec![ds]);
}
