//! Exchange with the EU level: SDMX-CSV and spreadsheet round trips, refused files with every
//! error listed, the hub's validation and the EU totals with their coverage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use haven_stats::hub::{
    self, EuCell, Origin, Submission, SubmissionStatus, dataset_from_tables, validate, validate_submission,
};
use haven_stats::model::{CellKey, Concept, ConfStatus, Dataset, Indicator, Observation};
use haven_stats::national::{self, PersonRecord};
use haven_stats::sdmx::{self, DATAFLOW, Expected};
use haven_stats::{codes, synth, xlsx};
use proptest::prelude::*;

fn dataset_of(country: &str, year: u16, records: &[PersonRecord]) -> Dataset {
    let specs = national::national_tables(&national::citizens_of(records), false);
    let tables = national::build(&specs, records, &[]);
    dataset_from_tables(country, year, &tables, None)
}

fn synthetic(country: &str, seed: u64, n: usize) -> Dataset {
    dataset_of(country, 2025, &synth::records(n, seed, country))
}

fn key(indicator: Indicator, codes: &[(Concept, &str)]) -> CellKey {
    let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    c.sort();
    CellKey { indicator, codes: c }
}

fn obs<'a>(d: &'a Dataset, k: &CellKey) -> &'a Observation {
    d.observations.iter().find(|o| &o.key == k).unwrap()
}

fn obs_mut<'a>(d: &'a mut Dataset, k: &CellKey) -> &'a mut Observation {
    d.observations.iter_mut().find(|o| &o.key == k).unwrap()
}

/// LT: a few hand-made persons, so that the figures are known.
fn lithuania() -> Dataset {
    let p = |sex, age, class, citizen, exploit, assisted| {
        PersonRecord::from_codes("LT", "IDENT", sex, age, class, citizen, exploit, "POLICE", assisted, false, false)
            .unwrap()
    };
    let records = vec![
        p("F", "Y18-24", "ADULT", "LT", "SEX", true),
        p("F", "Y12-17", "CHILD", "LV", "SEX", true),
        p("M", "Y25-34", "ADULT", "UA", "LAB", false),
        p("M", "Y35-44", "ADULT", "LT", "OTH_CRIM", true),
        p("F", "UNK", "UNK", "UNK", "LAB", false),
    ];
    dataset_of("LT", 2025, &records)
}

#[test]
fn sdmx_csv_round_trip_of_a_national_release() {
    let d = synthetic("LV", 11, 3_000);
    let csv = sdmx::to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,VICT_STAT,SEX,AGE,AGE_CLASS,CITIZEN_GRP,CITIZEN,EXPLOIT,ORG_KIND,\
         TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS,OBS_ERROR,UNIT_MEASURE,COMMENT_DSET"
    );
    assert!(csv.lines().nth(1).unwrap().starts_with("HAVEN:THB_VICT(1.0),A,LV,VICT_REG,"));
    let back =
        sdmx::from_csv(csv.as_bytes(), &Expected { country: Some("LV"), year: Some(2025), ..Expected::any() }).unwrap();
    assert_eq!(back, vec![d]);
}

#[test]
fn sdmx_csv_columns_in_any_order_with_labels_and_colon_for_missing() {
    let csv = "\u{feff}obs_value,CONF_STATUS,TIME_PERIOD,REF_AREA: Reference area,INDICATOR,DATAFLOW,\
               VICT_STAT,SEX,AGE,AGE_CLASS,CITIZEN_GRP,CITIZEN,EXPLOIT,ORG_KIND\n\
               12,F,2025,LV,VICT_REG,HAVEN:THB_VICT(1.0),_T,F,_T,_T,_T,_T,_T,_T\n\
               :,F,2025,LV,VICT_REG,HAVEN:THB_VICT(1.0),_T,M,_T,_T,_T,_T,_T,_T\n\
               0,,2025,LV,VICT_REG,HAVEN:THB_VICT(1.0),_T,OTH,_T,_T,_T,_T,_T,_T\n";
    let d = sdmx::from_csv(csv.as_bytes(), &Expected::any()).unwrap();
    assert_eq!(d.len(), 1);
    let o = &d[0].observations;
    assert_eq!(o.len(), 3);
    assert_eq!(o[0].value, Some(12));
    assert!(o[1].is_unknown(), "`:` is missing, not zero");
    assert_eq!(o[2].value, Some(0));
    assert_eq!(o[2].conf, ConfStatus::Free);
}

#[test]
fn zero_and_blank_and_confidential_survive_both_formats() {
    let mut d = lithuania();
    let total_f = key(Indicator::Registered, &[(Concept::Sex, "F")]);
    let oth = key(Indicator::Registered, &[(Concept::Sex, "OTH")]);
    let unk_age = key(Indicator::Registered, &[(Concept::Sex, "M"), (Concept::Age, "Y0-11")]);
    let child_m = key(Indicator::Registered, &[(Concept::Sex, "M"), (Concept::AgeClass, "CHILD")]);
    assert_eq!(obs(&d, &oth).value, Some(0));
    obs_mut(&mut d, &unk_age).value = None; // unknown
    *obs_mut(&mut d, &child_m) =
        Observation { key: child_m.clone(), value: None, conf: ConfStatus::Confidential, error: None };
    *obs_mut(&mut d, &total_f) =
        Observation { key: total_f.clone(), value: None, conf: ConfStatus::Confidential, error: None };

    let csv = sdmx::to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
    let line_of = |k: &CellKey| {
        csv.lines()
            .find(|l| {
                let f: Vec<&str> = l.split(',').collect();
                f[3] == "VICT_REG" && Concept::ALL.iter().enumerate().all(|(i, c)| f[4 + i] == k.code(*c))
            })
            .unwrap()
            .to_owned()
    };
    assert!(line_of(&oth).ends_with(",0,,F,,PS,"), "{}", line_of(&oth));
    assert!(line_of(&unk_age).ends_with(",,,F,,PS,"), "{}", line_of(&unk_age));
    // every hidden cell alike, whatever the reason it is hidden
    assert!(line_of(&child_m).ends_with(",,c,C,,PS,"), "{}", line_of(&child_m));
    assert!(line_of(&total_f).ends_with(",,c,C,,PS,"), "{}", line_of(&total_f));
    let back = sdmx::from_csv(csv.as_bytes(), &Expected::any()).unwrap();
    assert_eq!(back, vec![d.clone()]);

    let book = xlsx::to_xlsx(&d, DATAFLOW, "Persons after linkage; test data.").unwrap();
    let back = xlsx::from_xlsx(&book, &Expected::any()).unwrap();
    assert_eq!(obs(&back, &oth).value, Some(0));
    assert!(obs(&back, &unk_age).is_unknown());
    assert_eq!(obs(&back, &child_m).conf, ConfStatus::Confidential);
    assert_eq!(obs(&back, &total_f).conf, ConfStatus::Confidential);
    assert_eq!(back, d);
}

#[test]
fn xlsx_round_trip_with_confidential_cells_and_expected_errors() {
    let records = synth::records(2_000, 5, "EE");
    let specs = national::national_tables(&national::citizens_of(&records), false);
    let tables = national::build(&specs, &records, &[]);
    // small counts hidden, and one more per table (only the statuses matter here)
    let statuses: Vec<Vec<ConfStatus>> = tables
        .iter()
        .map(|t| {
            let mut s: Vec<ConfStatus> = t
                .values
                .iter()
                .map(|v| if (1..3).contains(v) { ConfStatus::Confidential } else { ConfStatus::Free })
                .collect();
            if let Some(first_free) = s.iter().position(|c| *c == ConfStatus::Free) {
                s[first_free] = ConfStatus::Confidential;
            }
            s
        })
        .collect();
    let mut d = dataset_from_tables("EE", 2024, &tables, Some(&statuses));
    for (i, o) in d.observations.iter_mut().enumerate() {
        if i % 3 == 0 {
            o.error = Some(1.25 + i as f64 / 7.0);
        }
    }
    assert!(d.observations.iter().any(|o| o.conf == ConfStatus::Confidential));
    let book = xlsx::to_xlsx(&d, DATAFLOW, "").unwrap();
    assert_eq!(book, xlsx::to_xlsx(&d, DATAFLOW, "").unwrap(), "the same dataset gives the same bytes");
    let back =
        xlsx::from_xlsx_with_origins(&book, &Expected { country: Some("EE"), year: Some(2024), ..Expected::any() })
            .unwrap();
    assert_eq!(back.dataset, d);
    assert_eq!(back.origins.len(), d.observations.len());
    assert_eq!(back.origins[0], Origin::Cell { sheet: "VICT_STAT_SEX".into(), row: 5, col: 2 });
    // and the same through SDMX-CSV
    let csv = sdmx::to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
    assert_eq!(sdmx::from_csv(csv.as_bytes(), &Expected::any()).unwrap(), vec![d]);
}

#[test]
fn a_malformed_sdmx_file_is_refused_with_every_error() {
    let head = "DATAFLOW,FREQ,REF_AREA,INDICATOR,VICT_STAT,SEX,AGE,AGE_CLASS,CITIZEN_GRP,CITIZEN,EXPLOIT,ORG_KIND,\
                TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS,OBS_ERROR";
    let row = |flow: &str, sex: &str, year: &str, value: &str, flag: &str, conf: &str| {
        format!("{flow},A,LV,VICT_REG,_T,{sex},_T,_T,_T,_T,_T,_T,{year},{value},{flag},{conf},")
    };
    let lines = [
        head.to_owned(),
        row(DATAFLOW, "F", "2025", "10", "", "F"),          // 2: fine
        row(DATAFLOW, "X", "2025", "1", "", "F"),           // 3: unknown code
        row(DATAFLOW, "M", "2025", "-2", "", "F"),          // 4: negative
        row(DATAFLOW, "OTH", "2025", "2.5", "", "F"),       // 5: not whole
        row(DATAFLOW, "UNK", "2025", "3", "c", "C"),        // 6: value on a confidential cell
        row(DATAFLOW, "_T", "2025", "", "", "Q"),           // 7: unknown CONF_STATUS
        row(DATAFLOW, "F", "2025", "11", "", "F"),          // 8: duplicate of line 2
        row("ESTAT:OTHER(1.0)", "M", "2025", "1", "", "F"), // 9: wrong dataflow
        row(DATAFLOW, "M", "2024", "1", "", "F"),           // 10: not the expected year
        "HAVEN:THB_VICT(1.0),A,LV".to_owned(),              // 11: too few fields
    ];
    let csv = lines.join("\n");
    let err = sdmx::from_csv(csv.as_bytes(), &Expected { year: Some(2025), ..Expected::any() }).unwrap_err();
    let got: Vec<(u64, Option<&str>)> = err.errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
    for want in [
        (3, Some("SEX")),
        (4, Some("OBS_VALUE")),
        (5, Some("OBS_VALUE")),
        (6, Some("OBS_VALUE")),
        (7, Some("CONF_STATUS")),
        (8, None),
        (9, Some("DATAFLOW")),
        (10, Some("TIME_PERIOD")),
        (11, None),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert!(!got.iter().any(|(l, _)| *l == 2), "line 2 is fine: {got:?}");
    assert_eq!(err.errors.len(), 9, "{:#?}", err.errors);
    let text: Vec<String> = err.errors.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|t| t.starts_with("line 4, OBS_VALUE: negative")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("the same cell as line 2")), "{text:?}");

    let missing = "DATAFLOW,REF_AREA,INDICATOR,SEX,TIME_PERIOD,OBS_VALUE\n";
    let err = sdmx::from_csv(missing.as_bytes(), &Expected::any()).unwrap_err();
    let cols: Vec<&str> = err.errors.iter().filter_map(|e| e.column.as_deref()).collect();
    for c in ["VICT_STAT", "AGE", "AGE_CLASS", "CITIZEN_GRP", "CITIZEN", "EXPLOIT", "ORG_KIND", "CONF_STATUS"] {
        assert!(cols.contains(&c), "{c} missing from {cols:?}");
    }
    assert!(err.errors.iter().all(|e| e.line == 1));
    assert!(sdmx::from_csv(b"", &Expected::any()).is_err());
    let big = vec![b'a'; sdmx::MAX_CSV_BYTES + 1];
    assert_eq!(sdmx::from_csv(&big, &Expected::any()).unwrap_err().errors[0].line, 0);
}

/// A questionnaire written cell by cell, as a country's own spreadsheet would be.
fn handmade_questionnaire(edit: impl Fn(&str, u32, u16) -> Option<String>) -> Vec<u8> {
    let d = lithuania();
    let citizens = hub::citizens_in(&d);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let meta = wb.add_worksheet();
    meta.set_name("metadata").unwrap();
    meta.write_string(0, 0, "country").unwrap();
    meta.write_string(0, 1, "LT").unwrap();
    meta.write_string(1, 0, "year").unwrap();
    meta.write_number(1, 1, 2025).unwrap();
    meta.write_string(2, 0, "dataflow").unwrap();
    meta.write_string(2, 1, DATAFLOW).unwrap();
    for spec in national::national_tables(&citizens, false) {
        let ws = wb.add_worksheet();
        ws.set_name(&spec.id).unwrap();
        let (rd, cd) = (&spec.dims[0], &spec.dims[1]);
        for p in 0..cd.positions() {
            ws.write_string(3, 1 + p as u16, cd.code_at(p)).unwrap();
        }
        for r in 0..rd.positions() {
            ws.write_string(4 + r as u32, 0, rd.code_at(r)).unwrap();
            for p in 0..cd.positions() {
                let (row, col) = (4 + r as u32, 1 + p as u16);
                let o = obs(&d, &spec.key(spec.index(&[r, p])));
                match edit(&spec.id, row, col) {
                    Some(text) => {
                        ws.write_string(row, col, text).unwrap();
                    }
                    None => {
                        ws.write_number(row, col, o.value.unwrap() as f64).unwrap();
                    }
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_handmade_questionnaire_reads_and_a_bad_one_is_refused_with_every_cell() {
    let good = handmade_questionnaire(|_, _, _| None);
    assert_eq!(xlsx::from_xlsx(&good, &Expected::any()).unwrap(), lithuania());

    // `:` is blank, text digits are counts
    let colon = handmade_questionnaire(|s, r, c| (s == "VICT_SEX_AGE" && r == 4 && c == 1).then(|| ":".into()));
    let d = xlsx::from_xlsx(&colon, &Expected::any()).unwrap();
    assert!(obs(&d, &key(Indicator::Registered, &[(Concept::Sex, "F"), (Concept::Age, "Y0-11")])).is_unknown());

    let bad = handmade_questionnaire(|s, r, c| match (s, r, c) {
        ("VICT_SEX_AGE", 4, 2) => Some("-1".into()),      // C5
        ("VICT_SEX_AGE", 5, 3) => Some("two".into()),     // D6
        ("VICT_SEX_EXPLOIT", 6, 1) => Some("1.5".into()), // B7
        ("VICT_STAT_SEX", 4, 1) => Some("99".into()),     // B5: VICT_STAT=IDENT, SEX=F ...
        _ => None,
    });
    let err = xlsx::from_xlsx(&bad, &Expected { country: Some("LV"), ..Expected::any() }).unwrap_err();
    let places: Vec<&str> = err.errors.iter().map(|e| e.place.as_str()).collect();
    for p in ["VICT_SEX_AGE!C5", "VICT_SEX_AGE!D6", "VICT_SEX_EXPLOIT!B7", "metadata!B1"] {
        assert!(places.contains(&p), "{p} not in {places:?}");
    }
    let c5 = err.errors.iter().find(|e| e.place == "VICT_SEX_AGE!C5").unwrap();
    assert_eq!((c5.sheet.as_deref(), c5.row, c5.col), (Some("VICT_SEX_AGE"), Some(5), Some(3)));
    assert!(c5.message.contains("negative"), "{}", c5.message);
    // the cell VICT_STAT_SEX!B5 is IDENT × F: no other sheet has it, so 99 is read (the hub
    // finds the arithmetic wrong); the file as such is only refused for the other errors
    assert_eq!(err.errors.len(), 4, "{:#?}", err.errors);

    assert!(xlsx::from_xlsx(b"PK\x03\x04 not really", &Expected::any()).is_err());
    assert!(xlsx::from_xlsx(&[], &Expected::any()).is_err());
}

#[test]
fn a_cell_shared_by_two_sheets_must_agree() {
    // SEX=F total appears in every sheet with a SEX dimension
    let bad = handmade_questionnaire(|s, r, c| (s == "VICT_SEX_AGE" && r == 4 && c == 10).then(|| "7".into()));
    let err = xlsx::from_xlsx(&bad, &Expected::any()).unwrap_err();
    assert_eq!(err.errors.len(), 1, "{:#?}", err.errors);
    assert_eq!(err.errors[0].place, "VICT_SEX_AGE!K5");
    assert!(err.errors[0].message.contains("VICT_STAT_SEX!"), "{}", err.errors[0].message);
}

fn cell<'a>(agg: &'a hub::EuAggregate, k: &CellKey) -> &'a EuCell {
    agg.cells.iter().find(|c| &c.key == k).unwrap()
}

#[test]
fn art_20_dir_2011_36_the_hub_validates_member_states_files_and_adds_them_up_with_coverage() {
    let lv = synthetic("LV", 1, 1_500);
    let ee = synthetic("EE", 2, 900);
    let mut lt = lithuania();
    for d in [&lv, &ee, &lt] {
        validate(d, &d.country, 2025).unwrap_or_else(|e| panic!("{}: {e:#?}", d.country));
    }
    // LT leaves the male age table blank and one cell confidential
    let total = key(Indicator::Registered, &[]);
    let male_y25 = key(Indicator::Registered, &[(Concept::Sex, "M"), (Concept::Age, "Y25-34")]);
    let female = key(Indicator::Registered, &[(Concept::Sex, "F")]);
    obs_mut(&mut lt, &male_y25).value = None;
    *obs_mut(&mut lt, &female) =
        Observation { key: female.clone(), value: None, conf: ConfStatus::Confidential, error: None };
    validate(&lt, "LT", 2025).unwrap();

    // through the files, each validated with its origins
    let mut received = Vec::new();
    for d in [&lv, &ee, &lt] {
        let csv = sdmx::to_csv(std::slice::from_ref(d), DATAFLOW).unwrap();
        let subs = sdmx::from_csv_with_origins(
            csv.as_bytes(),
            &Expected { country: Some(&d.country), year: Some(2025), ..Expected::any() },
        )
        .unwrap();
        assert_eq!(subs.len(), 1);
        validate_submission(&subs[0], &d.country, 2025).unwrap();
        received.push(subs.into_iter().next().unwrap().dataset);
    }
    let expected = ["LV", "EE", "LT", "FI"];
    let status = hub::submission_status(&expected, &["LV", "EE", "LT"]);
    assert_eq!(status[3], ("FI".to_owned(), SubmissionStatus::Missing));
    assert_eq!(status[0].1, SubmissionStatus::Submitted);

    let agg = hub::aggregate(&received, &expected, 2025);
    assert_eq!(agg.submitted, vec!["LV", "EE", "LT"]);
    assert_eq!(agg.missing, vec!["FI"]);
    assert!(agg.statement.contains("3 of 4"), "{}", agg.statement);
    assert!(agg.statement.contains("not submitted: FI"), "{}", agg.statement);

    let grand = cell(&agg, &total);
    assert_eq!(grand.total, Some(1_500 + 900 + 5));
    assert_eq!(grand.reported, vec!["LV", "EE", "LT"]);
    assert_eq!(grand.not_submitted, vec!["FI"]);
    assert!(!grand.is_complete());

    let f = cell(&agg, &female);
    assert_eq!(f.total, Some(obs(&lv, &female).value.unwrap() + obs(&ee, &female).value.unwrap()));
    assert_eq!(f.confidential, vec!["LT"]);
    assert_eq!(f.reported, vec!["LV", "EE"]);

    let m = cell(&agg, &male_y25);
    assert_eq!(m.unknown, vec!["LT"]);
    assert_eq!(m.total, Some(obs(&lv, &male_y25).value.unwrap() + obs(&ee, &male_y25).value.unwrap()));

    // a citizenship only LT reported: the other two are absent, not zero
    let ua_lt = key(Indicator::Registered, &[(Concept::Citizen, "UA")]);
    let ua = cell(&agg, &ua_lt);
    assert!(ua.reported.contains(&"LT".to_owned()));

    // a submission for another year and a country not expected are left out and said so
    let mut old = synthetic("EE", 3, 10);
    old.year = 2024;
    let no = synthetic("NO", 4, 10);
    let agg2 = hub::aggregate(&[old, no, received[0].clone()], &expected, 2025);
    assert_eq!(agg2.submitted, vec!["LV"]);
    assert_eq!(agg2.ignored.len(), 2);
    assert!(agg2.statement.contains("Left out"), "{}", agg2.statement);
}

#[test]
fn the_hub_finds_wrong_arithmetic_year_country_and_codes_with_their_lines() {
    let lv = synthetic("LV", 9, 800);
    let csv = sdmx::to_csv(std::slice::from_ref(&lv), DATAFLOW).unwrap();
    // raise the F × Y18-24 cell by 5 on its line: its row and column totals no longer add up
    let target = key(Indicator::Registered, &[(Concept::Sex, "F"), (Concept::Age, "Y18-24")]);
    let target_value = obs(&lv, &target).value.unwrap();
    let mut target_line = 0;
    let lines: Vec<String> = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let mut f: Vec<String> = l.split(',').map(str::to_owned).collect();
            if f[3] == "VICT_REG"
                && f[5] == "F"
                && f[6] == "Y18-24"
                && f[4..12].iter().filter(|c| *c == "_T").count() == 6
            {
                target_line = i as u64 + 1;
                f[13] = (target_value + 5).to_string();
            }
            f.join(",")
        })
        .collect();
    assert!(target_line > 0);
    let sub = sdmx::from_csv_with_origins(lines.join("\n").as_bytes(), &Expected::any()).unwrap().remove(0);
    let errs = validate_submission(&sub, "LV", 2025).unwrap_err();
    assert!(errs.iter().all(|e| e.column.as_deref() == Some("OBS_VALUE")), "{errs:#?}");
    // the F total over ages and the Y18-24 total over sexes both name the changed line
    assert!(errs.len() >= 2, "{errs:#?}");
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(text.iter().all(|t| t.contains(&format!("line {target_line}"))), "{text:#?}");
    assert!(text.iter().any(|t| t.starts_with("line ") && t.contains("add up to")), "{text:#?}");

    // wrong year, wrong country: named with the first line's REF_AREA / TIME_PERIOD
    let errs =
        validate_submission(&sdmx::from_csv_with_origins(csv.as_bytes(), &Expected::any()).unwrap()[0], "EE", 2024)
            .unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(errs[0].column.as_deref(), Some("REF_AREA"));
    assert_eq!(errs[0].origin, Some(Origin::Line(2)));
    assert_eq!(errs[1].column.as_deref(), Some("TIME_PERIOD"));

    // unknown codes and a value on a confidential cell, in a dataset built by hand
    let mut d = lithuania();
    d.observations.push(Observation {
        key: key(Indicator::Registered, &[(Concept::Sex, "X")]),
        value: Some(1),
        conf: ConfStatus::Free,
        error: None,
    });
    d.observations.push(Observation {
        key: key(Indicator::Registered, &[(Concept::Citizen, "lt")]),
        value: Some(1),
        conf: ConfStatus::Confidential,
        error: None,
    });
    let errs = validate(&d, "LT", 2025).unwrap_err();
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|t| t.contains("SEX") && t.contains("unknown code \"X\"")), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("unknown code \"lt\"")), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("a value on a confidential cell")), "{text:#?}");
}

#[test]
fn the_hub_finds_own_citizens_as_other_eu_children_and_assistance_beyond_registered() {
    let base = lithuania();
    // LT's own citizens (2 persons) moved from NAT to EU_FOR in the group table
    let mut d = base.clone();
    let nat = key(Indicator::Registered, &[(Concept::CitizenGroup, "NAT")]);
    let eu = key(Indicator::Registered, &[(Concept::CitizenGroup, "EU_FOR")]);
    let nat_v = obs(&d, &nat).value.unwrap();
    assert_eq!(nat_v, 2);
    obs_mut(&mut d, &nat).value = Some(0);
    obs_mut(&mut d, &eu).value = Some(obs(&base, &eu).value.unwrap() + nat_v);
    // keep the group table's own margins right so only the cross-table rule speaks
    for (g, s) in [("NAT", "F"), ("NAT", "M"), ("EU_FOR", "F"), ("EU_FOR", "M")] {
        let k = key(Indicator::Registered, &[(Concept::CitizenGroup, g), (Concept::Sex, s)]);
        let delta = |v: u64| -> u64 {
            let own =
                obs(&base, &key(Indicator::Registered, &[(Concept::Citizen, "LT"), (Concept::Sex, s)])).value.unwrap();
            if g == "NAT" { v - own } else { v + own }
        };
        let v = obs(&d, &k).value.unwrap();
        obs_mut(&mut d, &k).value = Some(delta(v));
    }
    let errs = validate(&d, "LT", 2025).unwrap_err();
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|t| t.contains("citizens of the countries in NAT")), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("citizens of the countries in EU_FOR")), "{text:#?}");

    // a cell that calls LT's own citizens "other EU"
    let mut d = base.clone();
    d.observations.push(Observation {
        key: key(Indicator::Registered, &[(Concept::Citizen, "LT"), (Concept::CitizenGroup, "EU_FOR")]),
        value: Some(2),
        conf: ConfStatus::Free,
        error: None,
    });
    let errs = validate(&d, "LT", 2025).unwrap_err();
    assert!(errs.iter().any(|e| e.message.contains("citizens of LT are NAT for LT, not EU_FOR")), "{errs:#?}");

    // more victims aged 12-17 than children
    let mut d = base.clone();
    let child_f = key(Indicator::Registered, &[(Concept::Sex, "F"), (Concept::AgeClass, "CHILD")]);
    let child_all = key(Indicator::Registered, &[(Concept::AgeClass, "CHILD")]);
    obs_mut(&mut d, &child_f).conf = ConfStatus::Free;
    for k in [&child_f, &child_all] {
        obs_mut(&mut d, k).value = Some(0);
    }
    let adult_f = key(Indicator::Registered, &[(Concept::Sex, "F"), (Concept::AgeClass, "ADULT")]);
    let adult_all = key(Indicator::Registered, &[(Concept::AgeClass, "ADULT")]);
    for k in [&adult_f, &adult_all] {
        let v = obs(&d, k).value.unwrap();
        obs_mut(&mut d, k).value = Some(v + 1);
    }
    let errs = validate(&d, "LT", 2025).unwrap_err();
    assert!(
        errs.iter().any(|e| e.message.contains("not more than the CHILD class")
            && e.cell.as_deref() == Some("VICT_REG SEX=F AGE_CLASS=CHILD")),
        "{errs:#?}"
    );

    // more assisted than registered in a cell
    let mut d = base;
    let assisted_f = key(Indicator::Assisted, &[(Concept::Sex, "F"), (Concept::AgeClass, "ADULT")]);
    obs_mut(&mut d, &assisted_f).value = Some(9);
    let errs = validate(&d, "LT", 2025).unwrap_err();
    assert!(errs.iter().any(|e| e.message.contains("VICT_ASSIST are not more than the registered")), "{errs:#?}");
}

#[test]
fn a_confidential_total_only_bounds_its_parts() {
    let mut d = lithuania();
    let total = key(Indicator::Registered, &[]);
    let female = key(Indicator::Registered, &[(Concept::Sex, "F")]);
    *obs_mut(&mut d, &female) =
        Observation { key: female.clone(), value: None, conf: ConfStatus::Confidential, error: None };
    validate(&d, "LT", 2025).unwrap();
    obs_mut(&mut d, &total).value = Some(1); // less than the known male victims (2)
    let errs = validate(&d, "LT", 2025).unwrap_err();
    assert!(errs.iter().any(|e| e.message.contains("known parts")), "{errs:#?}");
}

// ---- random datasets through SDMX-CSV ----

fn code_strategy(concept: Concept) -> BoxedStrategy<String> {
    match concept {
        // the cube holds Eurostat's country codes (EL, not GR)
        Concept::Citizen => {
            prop_oneof![Just("UNK".to_owned()), "[A-Z]{2}"].prop_map(|c| codes::to_eurostat(&c).to_owned()).boxed()
        }
        Concept::Exploit => {
            let all: Vec<String> = codes::EXPLOIT.iter().chain(codes::EXPLOIT_OTHER).map(|c| (*c).to_owned()).collect();
            proptest::sample::select(all).boxed()
        }
        other => {
            let all: Vec<String> = codes::codes(other).unwrap().iter().map(|c| (*c).to_owned()).collect();
            proptest::sample::select(all).boxed()
        }
    }
}

fn key_strategy() -> impl Strategy<Value = CellKey> {
    let dims: Vec<BoxedStrategy<Option<String>>> =
        Concept::ALL.iter().map(|c| proptest::option::weighted(0.3, code_strategy(*c)).boxed()).collect();
    (proptest::sample::select(Indicator::ALL.to_vec()), dims).prop_map(|(indicator, codes)| CellKey {
        indicator,
        codes: Concept::ALL.iter().zip(codes).filter_map(|(c, v)| v.map(|v| (*c, v))).collect(),
    })
}

fn observation_strategy() -> impl Strategy<Value = Observation> {
    (
        key_strategy(),
        proptest::option::of(0u64..=sdmx::MAX_COUNT),
        prop_oneof![3 => Just(ConfStatus::Free), 2 => Just(ConfStatus::Confidential)],
        proptest::option::weighted(0.3, 0.0f64..1e6),
    )
        .prop_map(|(key, value, conf, error)| Observation {
            key,
            value: if conf.is_suppressed() { None } else { value },
            conf,
            error,
        })
}

fn dataset_strategy() -> impl Strategy<Value = Dataset> {
    ("[A-Z]{2}", 1990u16..2100, proptest::collection::vec(observation_strategy(), 0..40)).prop_map(
        |(country, year, mut observations)| {
            let mut seen = std::collections::HashSet::new();
            observations.retain(|o| seen.insert(o.key.clone()));
            Dataset { country: codes::to_eurostat(&country).to_owned(), year, observations }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_datasets_survive_sdmx_csv(sets in proptest::collection::vec(dataset_strategy(), 1..4)) {
        // one dataset per country and year, none empty (an empty dataset has no line)
        let mut seen = std::collections::HashSet::new();
        let sets: Vec<Dataset> = sets
            .into_iter()
            .filter(|d| !d.observations.is_empty() && seen.insert((d.country.clone(), d.year)))
            .collect();
        let csv = sdmx::to_csv(&sets, DATAFLOW).unwrap();
        let back = sdmx::from_csv(csv.as_bytes(), &Expected::any());
        prop_assert_eq!(back, Ok(sets));
    }
}

#[test]
fn submissions_keep_their_origins() {
    let d = lithuania();
    let csv = sdmx::to_csv(std::slice::from_ref(&d), DATAFLOW).unwrap();
    let subs: Vec<Submission> = sdmx::from_csv_with_origins(csv.as_bytes(), &Expected::any()).unwrap();
    assert_eq!(subs[0].origins.first(), Some(&Origin::Line(2)));
    assert_eq!(subs[0].origins.last(), Some(&Origin::Line(d.observations.len() as u64 + 1)));
    assert_eq!(Submission::without_origins(d.clone()).dataset, d);
}
