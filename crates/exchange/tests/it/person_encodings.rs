//! `person_encodings`: the example follows the schema and parses; every rule refuses naming the
//! field; the filters read back as they were written.

use haven_exchange::messages::person_encodings::{self, EncodedPerson, PersonEncodings};
use serde_json::{Value, json};

fn example() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/examples/person-encodings.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn schema() -> jsonschema::Validator {
    jsonschema::validator_for(&serde_json::from_str(person_encodings::SCHEMA).unwrap()).unwrap()
}

fn refused(change: impl FnOnce(&mut Value), field: &str, schema_refuses: bool) {
    let mut value = example();
    change(&mut value);
    let err = PersonEncodings::parse(&serde_json::to_vec(&value).unwrap()).unwrap_err();
    assert_eq!(err.field, field, "{err}");
    assert_eq!(!schema().is_valid(&value), schema_refuses, "schema on {field}");
}

#[test]
fn the_example_follows_its_schema_parses_and_round_trips() {
    let value = example();
    assert!(schema().is_valid(&value), "{:?}", schema().iter_errors(&value).next());
    let parsed = PersonEncodings::parse(&serde_json::to_vec(&value).unwrap()).unwrap();
    assert_eq!(parsed.reference_year().unwrap(), 2025);
    assert_eq!(parsed.schema.encoded_bits(), 1024);
    let filters = parsed.filters().unwrap();
    assert_eq!(filters.len(), 2);
    // balanced: every encoding has half its bits set
    assert!(filters.iter().all(|f| f.iter().map(|w| w.count_ones()).sum::<u32>() == 512));
    assert_eq!(PersonEncodings::clk_of(&filters[0]), parsed.persons[0].clk);
    assert_eq!(serde_json::from_slice::<Value>(&parsed.to_json().unwrap()).unwrap(), value);
    assert_eq!(person_encodings::MESSAGE_TYPE, "person_encodings");
}

#[test]
fn every_rule_refuses_naming_the_field() {
    refused(|v| v["country"] = json!("lv"), "body.country", true);
    refused(|v| v["reference_period"] = json!("2025-Q1"), "body.reference_period", true);
    refused(|v| v["schema"]["bits"] = json!(1000), "body.schema.bits", true);
    refused(|v| v["schema"]["cyrillic"] = json!("klingon"), "body.schema.cyrillic", true);
    refused(|v| v["schema"]["secret_generation"] = json!("the secret itself?"), "body.schema.secret_generation", true);
    refused(|v| v["schema"]["fields"] = json!([]), "body.schema.fields", true);
    refused(|v| v["schema"]["fields"][0]["name"] = json!("Names"), "body.schema.fields[0].name", true);
    refused(|v| v["schema"]["fields"][1]["name"] = json!("names"), "body.schema.fields[1].name", false);
    refused(
        |v| v["schema"]["fields"][0]["bits_per_feature"] = json!(0),
        "body.schema.fields[0].bits_per_feature",
        true,
    );
    refused(|v| v["schema"]["fields"][0]["tokens"] = json!("trigrams"), "body.schema.fields[0].tokens", true);
    refused(|v| v["count"] = json!(3), "body.count", false);
    refused(|v| v["persons"][0]["id"] = json!("case/2025/17"), "body.persons[0].id", true);
    refused(|v| v["persons"][1]["id"] = v["persons"][0]["id"].clone(), "body.persons[1].id", false);
    refused(|v| v["persons"][0]["clk"] = json!("not base64!"), "body.persons[0].clk", true);
    refused(|v| v["persons"][1]["clk"] = json!("AAAA"), "body.persons[1].clk", false);
    // an encoding of the wrong length for the schema (without hardening the filters have 128 bytes too,
    // with XOR folding alone 64)
    refused(|v| v["schema"]["hardening"]["balance"] = json!(false), "body.persons[0].clk", false);
    refused(|v| v["extra"] = json!(1), "body.extra", true);
    refused(
        |v| {
            v.as_object_mut().unwrap().remove("persons");
        },
        "body",
        true,
    );
}

#[test]
fn a_body_over_the_limits_is_refused() {
    let mut value = example();
    let one = value["persons"][0].clone();
    let many: Vec<Value> = (0..person_encodings::MAX_RECORDS + 1)
        .map(|i| {
            let mut p = one.clone();
            p["id"] = json!(format!("r{i}"));
            p
        })
        .collect();
    value["count"] = json!(many.len());
    value["persons"] = json!(many);
    let body = serde_json::to_vec(&value).unwrap();
    let err = PersonEncodings::parse(&body).unwrap_err();
    assert_eq!(err.field, "body", "{err}");
    let mut small = PersonEncodings::parse(&serde_json::to_vec(&example()).unwrap()).unwrap();
    small.persons = (0..=person_encodings::MAX_RECORDS)
        .map(|i| EncodedPerson { id: format!("r{i}"), clk: "AA==".into() })
        .collect();
    small.count = small.persons.len() as u32;
    assert_eq!(small.to_json().unwrap_err().field, "body.persons");
}
