use std::collections::BTreeMap;

use haven_link::LinkError;
use haven_link::io::{ReadOptions, parse_mapping, read_csv, read_jsonl};
use proptest::prelude::*;

use crate::person_settings;

fn opts(skip: bool) -> ReadOptions {
    let mut o = ReadOptions::new(&person_settings("dedupe"), "test.csv", 0, &BTreeMap::new());
    o.skip_bad_rows = skip;
    o
}

const HEADER: &str = "id,given_name,surname,maiden_name,dob,town\n";

#[test]
fn reads_csv_and_joins_alternative_surnames() {
    let csv = format!("{HEADER}1,Anna,Kowalska,Nowak,1990-01-02,Kraków\n2,Jan,Nowak,,1985-05-05,\n");
    let (recs, stats) = read_csv(csv.as_bytes(), &opts(false)).unwrap();
    assert_eq!(stats.rows, 2);
    assert_eq!(recs[0].values[1].as_deref(), Some("Kowalska|Nowak"));
    assert_eq!(recs[1].values[3], None);
    assert_eq!(recs[1].line, 3);
}

#[test]
fn csv_errors_name_the_line() {
    let csv = format!("{HEADER}1,Anna,K,,1990-01-02,X\n2,Jan,Nowak,1985-05-05\n");
    match read_csv(csv.as_bytes(), &opts(false)) {
        Err(LinkError::BadRow { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("fields"), "{message}");
        }
        other => panic!("expected a bad row, got {other:?}"),
    }
}

#[test]
fn invalid_utf8_is_an_error_with_line_or_is_skipped_and_counted() {
    let mut bytes = format!("{HEADER}1,Anna,K,,1990-01-02,X\n").into_bytes();
    bytes.extend_from_slice(b"2,J\xffn,Nowak,,1985-05-05,Y\n3,Ola,Lis,,1999-09-09,Z\n");
    match read_csv(bytes.as_slice(), &opts(false)) {
        Err(LinkError::BadRow { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("UTF-8"));
        }
        other => panic!("expected a bad row, got {other:?}"),
    }
    let (recs, stats) = read_csv(bytes.as_slice(), &opts(true)).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(stats.skipped, 1);
    assert_eq!(stats.skipped_examples[0].0, 3);
}

#[test]
fn empty_and_repeated_identifiers_are_rejected() {
    let csv = format!("{HEADER}1,Anna,K,,1990-01-02,X\n,Jan,Nowak,,1985-05-05,Y\n1,Ola,Lis,,1999-09-09,Z\n");
    let (recs, stats) = read_csv(csv.as_bytes(), &opts(true)).unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(stats.skipped, 2);
    assert!(stats.skipped_examples[1].1.contains("already used on line 2"));
}

#[test]
fn missing_column_is_named() {
    let csv = "id,given_name\n1,Anna\n";
    match read_csv(csv.as_bytes(), &opts(false)) {
        Err(LinkError::MissingColumn { column, .. }) => assert_eq!(column, "surname"),
        other => panic!("expected a missing column, got {other:?}"),
    }
}

#[test]
fn reads_json_lines_with_numbers_and_nulls() {
    let jsonl = r#"{"id": 1, "given_name": "Anna", "surname": "Kowalska", "maiden_name": null, "dob": "1990-01-02", "town": "Kraków"}

{"id": "2", "given_name": "Jan", "surname": "Nowak", "maiden_name": "", "dob": null, "town": "Łódź"}
{"id": "3", "given_name": ["x"], "surname": "Nowak", "maiden_name": "", "dob": null, "town": "Łódź"}
not json
"#;
    let (recs, stats) = read_jsonl(jsonl.as_bytes(), &opts(true)).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].id, "1");
    assert_eq!(recs[1].values[2], None);
    assert_eq!(stats.skipped, 2);
    assert_eq!(stats.skipped_examples[0].0, 4);
    assert_eq!(stats.skipped_examples[1].0, 5);
    match read_jsonl(jsonl.as_bytes(), &opts(false)) {
        Err(LinkError::BadRow { line: 4, .. }) => {}
        other => panic!("expected a bad row on line 4, got {other:?}"),
    }
}

#[test]
fn absurd_values_fail_with_line_or_become_missing() {
    use haven_link::data::{BadValues, Dataset};
    let csv = format!("{HEADER}1,Anna,K,,1990-02-31,X\n");
    let (recs, _) = read_csv(csv.as_bytes(), &opts(false)).unwrap();
    match Dataset::prepare(&person_settings("dedupe"), recs.clone(), BadValues::Fail) {
        Err(LinkError::BadRow { line: 2, message, .. }) => assert!(message.contains("dob"), "{message}"),
        other => panic!("expected a bad value, got {:?}", other.map(|d| d.len())),
    }
    let d = Dataset::prepare(&person_settings("dedupe"), recs, BadValues::TreatAsMissing).unwrap();
    assert_eq!(d.bad_values, 1);
    assert!(d.value(2, 0).is_none());
}

#[test]
fn mapping_parses_and_rejects_garbage() {
    let m = parse_mapping(&["surname=last,maiden".to_string()]).unwrap();
    assert_eq!(m["surname"], vec!["last", "maiden"]);
    assert!(parse_mapping(&["surname".to_string()]).is_err());
    assert!(parse_mapping(&["=x".to_string()]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn csv_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..400), skip in any::<bool>()) {
        let mut input = HEADER.as_bytes().to_vec();
        input.extend(body);
        let _ = read_csv(input.as_slice(), &opts(skip));
    }

    #[test]
    fn jsonl_reader_never_panics(body in "\\PC{0,300}", skip in any::<bool>()) {
        let _ = read_jsonl(body.as_bytes(), &opts(skip));
    }

    #[test]
    fn model_toml_never_panics(body in "\\PC{0,300}") {
        let _ = haven_link::LinkageModel::from_toml(&body);
        let _ = haven_link::clk::ClkSchema::from_toml(&body);
    }

    #[test]
    fn mapping_never_panics(items in proptest::collection::vec("\\PC{0,30}", 0..5)) {
        let _ = parse_mapping(&items);
    }
}
