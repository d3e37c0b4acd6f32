//! The 2024 annual data set (Dir 2024/1712): offender tables (suspected, prosecuted and convicted
//! traffickers, and persons who knowingly used services exploited from a victim, Art 18a) built,
//! exchanged by SDMX-CSV and XLSX, validated and added up at the hub; Eurostat's country codes
//! (EL, UK); Denmark not bound by the Directive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use haven_stats::hub::{self, SubmissionStatus, dataset_from_tables, validate};
use haven_stats::model::{CellKey, Concept, ConfStatus, Dataset, Indicator, Observation, Table};
use haven_stats::national::{self, OffenderRecord, PersonRecord};
use haven_stats::sdmx::{self, DATAFLOW, Expected};
use haven_stats::{codes, synth, xlsx};

fn key(indicator: Indicator, codes: &[(Concept, &str)]) -> CellKey {
    let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    c.sort();
    CellKey { indicator, codes: c }
}

fn value(d: &Dataset, k: &CellKey) -> Option<u64> {
    d.observations.iter().find(|o| &o.key == k).and_then(|o| o.value)
}

fn table<'a>(tables: &'a [Table], id: &str) -> &'a Table {
    tables.iter().find(|t| t.spec.id == id).unwrap_or_else(|| panic!("no table {id}"))
}

/// Victims and offenders of one country and year, as a dataset with every cell free.
fn country_file(country: &str, seed: u64, victims: usize, suspects: usize) -> Dataset {
    let records = synth::records(victims, seed, country);
    let offenders = synth::offenders(suspects, seed + 1);
    let specs = national::national_tables(&national::citizens_of(&records), true);
    dataset_from_tables(country, 2025, &national::build(&specs, &records, &offenders), None)
}

fn offender(stage: Indicator, sex: &str, age: &str, citizen: &str, form: &str) -> OffenderRecord {
    OffenderRecord::from_codes("LV", stage, sex, age, citizen, form).unwrap()
}

#[test]
fn art_18a_dir_2024_1712_offender_tables_count_traffickers_and_service_users_by_sex_age_citizenship_and_form() {
    let offenders = vec![
        offender(Indicator::Suspected, "M", "Y25-34", "LV", "SEX"),
        offender(Indicator::Suspected, "M", "Y35-44", "UA", "LAB"),
        offender(Indicator::Suspected, "F", "Y25-34", "LT", "OTH_CRIM"),
        offender(Indicator::Prosecuted, "M", "Y25-34", "LV", "SEX"),
        offender(Indicator::Convicted, "M", "Y45-54", "EE", "SEX"),
        offender(Indicator::UseSuspected, "M", "Y45-54", "LV", "SEX"),
        offender(Indicator::UseSuspected, "M", "UNK", "UNK", "LAB"),
        offender(Indicator::UseConvicted, "M", "Y35-44", "GR", "SEX"),
    ];
    let specs = national::national_tables(&[], true);
    for stage in Indicator::OFFENDERS {
        for by in ["SEX_AGE", "SEX_CITIZEN_GRP", "SEX_EXPLOIT"] {
            let id = format!("{}_{by}", stage.code());
            assert!(specs.iter().any(|s| s.id == id && s.indicator == stage), "no table {id}");
        }
    }
    let tables = national::build(&specs, &[], &offenders);
    // victim tables are not filled from offenders, nor offender tables from victims
    assert_eq!(table(&tables, "VICT_STAT_SEX").total(), 0);
    assert_eq!(table(&tables, "TRAF_SUSP_SEX_AGE").total(), 3);
    assert_eq!(table(&tables, "TRAF_PROS_SEX_AGE").total(), 1);
    assert_eq!(table(&tables, "TRAF_CONV_SEX_CITIZEN_GRP").total(), 1);
    assert_eq!(table(&tables, "USE_SUSP_SEX_EXPLOIT").total(), 2);
    assert_eq!(table(&tables, "USE_PROS_SEX_EXPLOIT").total(), 0);
    assert_eq!(table(&tables, "USE_CONV_SEX_CITIZEN_GRP").total(), 1);

    let ds = dataset_from_tables("LV", 2025, &tables, None);
    let susp = |codes: &[(Concept, &str)]| value(&ds, &key(Indicator::Suspected, codes));
    assert_eq!(susp(&[(Concept::Sex, "M")]), Some(2));
    assert_eq!(susp(&[(Concept::Sex, "M"), (Concept::Age, "Y25-34")]), Some(1));
    assert_eq!(susp(&[(Concept::Sex, "F"), (Concept::CitizenGroup, "EU_FOR")]), Some(1));
    assert_eq!(susp(&[(Concept::Sex, "M"), (Concept::CitizenGroup, "NEU_FOR")]), Some(1));
    // the sub-form of "other" is counted under OTH
    assert_eq!(susp(&[(Concept::Sex, "F"), (Concept::Exploit, "OTH")]), Some(1));
    let users = |codes: &[(Concept, &str)]| value(&ds, &key(Indicator::UseSuspected, codes));
    assert_eq!(users(&[(Concept::Exploit, "SEX")]), Some(1));
    assert_eq!(users(&[(Concept::CitizenGroup, "UNK")]), Some(1));
    // a Greek citizen seen from Latvia is another EU country's citizen
    assert_eq!(value(&ds, &key(Indicator::UseConvicted, &[(Concept::CitizenGroup, "EU_FOR")])), Some(1));
    validate(&ds, "LV", 2025).unwrap();

    // a victim stage is not an offender stage
    assert_eq!(OffenderRecord::from_codes("LV", Indicator::Registered, "M", "UNK", "LV", "SEX"), Err("stage"));
    assert_eq!(OffenderRecord::from_codes("LV", Indicator::Suspected, "X", "UNK", "LV", "SEX"), Err("sex"));
}

#[test]
fn art_18a_dir_2024_1712_offender_tables_round_trip_through_sdmx_csv_and_xlsx_and_pass_the_hub() {
    let d = country_file("FI", 31, 800, 120);
    assert!(d.observations.iter().any(|o| o.key.indicator == Indicator::UseConvicted));
    validate(&d, "FI", 2025).unwrap_or_else(|e| panic!("{e:#?}"));

    let csv = sdmx::to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
    assert!(csv.contains(",TRAF_CONV,"), "no TRAF_CONV line");
    assert!(csv.contains(",USE_SUSP,"), "no USE_SUSP line");
    let back = sdmx::from_csv(csv.as_bytes(), &Expected::any()).unwrap();
    assert_eq!(back, vec![d.clone()]);

    let bytes = xlsx::to_xlsx(&d, DATAFLOW, "synthetic").unwrap();
    let back = xlsx::from_xlsx(&bytes, &Expected { country: Some("FI"), year: Some(2025), ..Expected::any() }).unwrap();
    assert_eq!(back, d);
}

#[test]
fn a_questionnaire_with_only_the_suspects_sheets_is_read_and_the_other_offender_tables_stay_absent() {
    let victims = synth::records(300, 5, "EE");
    let suspects: Vec<OffenderRecord> =
        synth::offenders(40, 6).into_iter().filter(|o| o.stage == Indicator::Suspected).collect();
    let mut specs = national::national_tables(&national::citizens_of(&victims), false);
    specs.extend(national::offender_tables().into_iter().filter(|s| s.indicator == Indicator::Suspected));
    let d = dataset_from_tables("EE", 2025, &national::build(&specs, &victims, &suspects), None);
    let bytes = xlsx::to_xlsx(&d, DATAFLOW, "").unwrap();
    let back = xlsx::from_xlsx(&bytes, &Expected::any()).unwrap();
    assert_eq!(back, d);
    assert!(!back.observations.iter().any(|o| o.key.indicator == Indicator::Convicted));
    assert_eq!(value(&back, &key(Indicator::Suspected, &[])), Some(40));
    validate(&back, "EE", 2025).unwrap();
}

#[test]
fn the_hub_checks_offender_totals_and_codes_but_not_convicted_against_suspected() {
    let mut d = country_file("SE", 41, 500, 60);
    // more convicted than suspected in the year is possible (a conviction of an earlier year's
    // suspect): the hub must accept it
    let conv_total = key(Indicator::Convicted, &[]);
    let susp_total = key(Indicator::Suspected, &[]);
    let suspects = value(&d, &susp_total).unwrap();
    let convicted = value(&d, &conv_total).unwrap();
    let bump = suspects + 5 - convicted;
    let add = |d: &mut Dataset, k: CellKey| {
        let v = value(d, &k).unwrap();
        d.observations.iter_mut().find(|o| o.key == k).unwrap().value = Some(v + bump);
    };
    add(&mut d, conv_total.clone());
    add(&mut d, key(Indicator::Convicted, &[(Concept::Sex, "M")]));
    for concept_code in [(Concept::Age, "Y35-44"), (Concept::CitizenGroup, "NAT"), (Concept::Exploit, "SEX")] {
        add(&mut d, key(Indicator::Convicted, &[concept_code]));
        add(&mut d, key(Indicator::Convicted, &[(Concept::Sex, "M"), concept_code]));
    }
    assert!(value(&d, &conv_total).unwrap() > value(&d, &susp_total).unwrap());
    validate(&d, "SE", 2025).unwrap_or_else(|e| panic!("{e:#?}"));

    // totals equal the sum of their parts for offenders too
    let mut bad = d.clone();
    let k = key(Indicator::Prosecuted, &[(Concept::Sex, "F"), (Concept::Age, "Y25-34")]);
    add(&mut bad, k.clone());
    let errs = validate(&bad, "SE", 2025).unwrap_err();
    assert!(errs.iter().any(|e| e.message.contains("totals equal their parts")), "{errs:#?}");

    // offenders are not counted by legal status of a victim, nor by the sub-forms of other
    let mut misplaced = d.clone();
    misplaced.observations.push(Observation {
        key: key(Indicator::Suspected, &[(Concept::VictStat, "IDENT")]),
        value: Some(1),
        conf: ConfStatus::Free,
        error: None,
    });
    misplaced.observations.push(Observation {
        key: key(Indicator::UseSuspected, &[(Concept::Exploit, "OTH_CRIM")]),
        value: Some(1),
        conf: ConfStatus::Free,
        error: None,
    });
    let errs = validate(&misplaced, "SE", 2025).unwrap_err();
    assert!(
        errs.iter().any(|e| e.column.as_deref() == Some("VICT_STAT") && e.message.contains("TRAF_SUSP")),
        "{errs:#?}"
    );
    assert!(errs.iter().any(|e| e.column.as_deref() == Some("EXPLOIT") && e.message.contains("OTH_CRIM")), "{errs:#?}");
}

#[test]
fn eu_totals_add_the_offender_tables_with_their_coverage() {
    let fi = country_file("FI", 51, 600, 90);
    let lt = {
        let records = synth::records(200, 52, "LT");
        let specs = national::national_tables(&national::citizens_of(&records), false);
        dataset_from_tables("LT", 2025, &national::build(&specs, &records, &[]), None)
    };
    let agg = hub::aggregate(&[fi.clone(), lt], &["FI", "LT"], 2025);
    for indicator in Indicator::OFFENDERS {
        let k = key(indicator, &[(Concept::Sex, "M")]);
        let cell = agg.cells.iter().find(|c| c.key == k).unwrap();
        assert_eq!(cell.total, value(&fi, &k), "{indicator:?}");
        assert_eq!(cell.reported, vec!["FI"]);
        // LT reported no offender tables: absent, not zero
        assert_eq!(cell.absent, vec!["LT"]);
        assert!(!cell.is_complete());
    }
}

#[test]
fn greece_is_el_and_the_united_kingdom_uk_in_files_and_at_the_hub() {
    assert_eq!(codes::to_eurostat("GR"), "EL");
    assert_eq!(codes::to_eurostat("GB"), "UK");
    assert_eq!(codes::to_eurostat("LV"), "LV");
    assert_eq!(codes::to_iso("EL"), "GR");
    assert_eq!(codes::to_iso("UK"), "GB");
    assert!(codes::EU_MEMBERS.contains(&"EL") && !codes::EU_MEMBERS.contains(&"GR"));
    assert!(codes::is_eu_member("GR") && codes::is_eu_member("EL"));
    assert!(!codes::is_eu_member("UK"));
    assert_eq!(codes::citizen_group("EL", "GR"), "NAT");
    assert_eq!(codes::citizen_group("LV", "GB"), "NEU_FOR");

    // a Greek system's records, with ISO codes, give Eurostat's codes in the cube
    let p = |citizen| {
        PersonRecord::from_codes("GR", "IDENT", "F", "Y18-24", "ADULT", citizen, "SEX", "POLICE", true, false, false)
            .unwrap()
    };
    let records = vec![p("GR"), p("GB"), p("UA")];
    assert_eq!(national::citizens_of(&records), vec!["EL", "UA", "UK"]);
    let specs = national::national_tables(&national::citizens_of(&records), false);
    let el = dataset_from_tables("EL", 2025, &national::build(&specs, &records, &[]), None);
    validate(&el, "GR", 2025).unwrap();
    let nat = key(Indicator::Registered, &[(Concept::CitizenGroup, "NAT")]);
    assert_eq!(value(&el, &nat), Some(1));

    // written as EL and UK
    let csv = sdmx::to_csv(std::slice::from_ref(&el), DATAFLOW).unwrap();
    assert!(csv.lines().skip(1).all(|l| l.split(',').nth(2) == Some("EL")));
    assert!(csv.contains(",UK,"));
    assert!(!csv.contains(",GR,") && !csv.contains(",GB,"));

    // a file that says GR (and GB) is read as EL (and UK), also when the caller expects GR
    let iso = csv.replace(",EL,", ",GR,").replace(",UK,", ",GB,");
    assert!(iso.contains(",GR,") && iso.contains(",GB,"));
    let read = sdmx::from_csv(iso.as_bytes(), &Expected { country: Some("GR"), ..Expected::any() }).unwrap();
    assert_eq!(read, vec![el.clone()]);
    let read = sdmx::from_csv(iso.as_bytes(), &Expected { country: Some("EL"), ..Expected::any() }).unwrap();
    assert_eq!(read[0].country, "EL");

    // the questionnaire too
    let bytes = xlsx::to_xlsx(&el, DATAFLOW, "").unwrap();
    let back = xlsx::from_xlsx(&bytes, &Expected { country: Some("GR"), ..Expected::any() }).unwrap();
    assert_eq!(back, el);
    // a questionnaire filled by a system that writes ISO codes (metadata and headers say GR, GB)
    let iso = questionnaire_with_iso_codes(&bytes);
    let back = xlsx::from_xlsx(&iso, &Expected::any()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(back, el);
}

#[test]
fn denmark_is_not_bound_not_missing_and_a_voluntary_file_is_added_in() {
    let expected = codes::expected_members();
    assert_eq!(expected.len(), 26);
    assert!(!expected.contains(&"DK"));
    assert!(codes::is_not_bound("DK") && !codes::is_not_bound("SE"));

    let status = hub::submission_status_in(&expected, codes::NOT_BOUND, &["LV"]);
    let of = |c: &str| status.iter().find(|(x, _)| x == c).map(|(_, s)| *s);
    assert_eq!(of("DK"), Some(SubmissionStatus::NotBound));
    assert_eq!(of("SE"), Some(SubmissionStatus::Missing));
    assert_eq!(of("LV"), Some(SubmissionStatus::Submitted));
    let status = hub::submission_status_in(&expected, codes::NOT_BOUND, &["LV", "DK"]);
    assert!(status.contains(&("DK".to_owned(), SubmissionStatus::Voluntary(1))));

    let lv = country_file("LV", 61, 200, 0);
    let agg = hub::aggregate_collection(std::slice::from_ref(&lv), &expected, codes::NOT_BOUND, 2025);
    assert!(!agg.missing.contains(&"DK".to_owned()));
    assert_eq!(agg.missing.len(), 25);
    assert_eq!(agg.not_bound, vec!["DK"]);
    assert!(agg.voluntary.is_empty());
    assert!(agg.statement.contains("1 of 26"), "{}", agg.statement);
    assert!(agg.statement.contains("DK is not bound by the Directive"), "{}", agg.statement);
    let total = key(Indicator::Registered, &[]);
    let cell = agg.cells.iter().find(|c| c.key == total).unwrap();
    assert!(!cell.not_submitted.contains(&"DK".to_owned()));

    let dk = country_file("DK", 62, 100, 0);
    let agg = hub::aggregate_collection(&[lv.clone(), dk.clone()], &expected, codes::NOT_BOUND, 2025);
    assert_eq!(agg.voluntary, vec!["DK"]);
    assert!(agg.ignored.is_empty());
    assert_eq!(agg.submitted, vec!["LV"]);
    assert!(agg.statement.contains("submitted voluntarily"), "{}", agg.statement);
    let cell = agg.cells.iter().find(|c| c.key == total).unwrap();
    assert_eq!(cell.total, Some(value(&lv, &total).unwrap() + value(&dk, &total).unwrap()));
    assert_eq!(cell.reported, vec!["LV", "DK"]);
}

#[test]
fn a_file_with_offender_tables_protected_by_cell_suppression_passes_the_hub_and_round_trips() {
    let records = synth::records(900, 71, "FI");
    let offenders = synth::offenders(120, 72);
    let specs = national::national_tables(&national::citizens_of(&records), true);
    let tables = national::build(&specs, &records, &offenders);
    let protection = haven_stats::sdc::protect("FI", &tables, &haven_stats::sdc::SdcParams::new(5)).unwrap();
    assert!(protection.audit.passed);
    let d = dataset_from_tables("FI", 2025, &tables, Some(&protection.status));
    assert!(d.observations.iter().any(|o| o.key.indicator.is_offender() && o.conf.is_suppressed()));
    validate(&d, "FI", 2025).unwrap_or_else(|e| panic!("{e:#?}"));
    let csv = sdmx::to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
    let subs = sdmx::from_csv_with_origins(csv.as_bytes(), &Expected::any()).unwrap();
    hub::validate_submission(&subs[0], "FI", 2025).unwrap();
    assert_eq!(subs[0].dataset, d);
}

/// The same questionnaire with every `EL` and `UK` string cell written as `GR` and `GB`.
fn questionnaire_with_iso_codes(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut changed = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut content = Vec::new();
        part.read_to_end(&mut content).unwrap();
        if name.ends_with("sharedStrings.xml") {
            let text = String::from_utf8(content).unwrap();
            let swapped = text.replace(">EL<", ">GR<").replace(">UK<", ">GB<");
            changed += usize::from(swapped != text);
            content = swapped.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&content).unwrap();
    }
    assert_eq!(changed, 1, "the codes are shared strings");
    out.finish().unwrap().into_inner()
}
