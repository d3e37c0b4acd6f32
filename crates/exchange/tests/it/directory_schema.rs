//! The JSON Schema of a signed directory entry (schemas/directory_entry.v1.schema.json, the body
//! of a `directory_entry` message): the test vectors' entries follow it, signed and decoded, and a
//! changed entry does not.

use haven_exchange::DIRECTORY_ENTRY_SCHEMA as SCHEMA;
use serde_json::{Value, json};

fn vectors() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/directory-entries.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["entries"].as_array().unwrap().clone()
}

fn signed_validator() -> jsonschema::Validator {
    jsonschema::validator_for(&serde_json::from_str(SCHEMA).unwrap()).unwrap()
}

/// The schema's `$defs/entry`, for the entry as decoded.
fn entry_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let defs = schema["$defs"].clone();
    jsonschema::validator_for(&json!({"$defs": defs, "$ref": "#/$defs/entry"})).unwrap()
}

#[test]
fn the_test_vectors_signed_entries_and_their_entries_follow_the_schema() {
    let (signed, entry) = (signed_validator(), entry_validator());
    let all = vectors();
    assert!(all.len() >= 2);
    for v in &all {
        let body: Value = serde_json::from_str(v["signed_entry_json"].as_str().unwrap()).unwrap();
        assert!(signed.is_valid(&body), "{body}");
        let decoded: Value = serde_json::from_str(v["entry_json"].as_str().unwrap()).unwrap();
        assert!(entry.is_valid(&decoded), "{decoded}");
        // A revoked key (what a revocation announces) still follows it.
        let mut revoked = decoded.clone();
        revoked["signing_keys"][0]["revoked_at"] = json!("2026-03-01T12:00:00Z");
        revoked["sequence"] = json!(2);
        assert!(entry.is_valid(&revoked), "{revoked}");
    }
}

#[test]
fn a_changed_entry_does_not_follow_the_schema() {
    let (signed, entry) = (signed_validator(), entry_validator());
    let v = &vectors()[0];
    let body: Value = serde_json::from_str(v["signed_entry_json"].as_str().unwrap()).unwrap();
    let decoded: Value = serde_json::from_str(v["entry_json"].as_str().unwrap()).unwrap();
    let mut extra = body.clone();
    extra["note"] = json!("x");
    let mut short = body.clone();
    short["signature"] = json!("AAAA");
    let mut unsigned = body.clone();
    unsigned.as_object_mut().unwrap().remove("signed_by");
    for bad in [extra, short, unsigned] {
        assert!(!signed.is_valid(&bad), "{bad}");
    }
    let changes: [(&str, Value); 5] = [
        ("role", json!("ngo")),
        ("instance_id", json!("latvia")),
        ("sequence", json!(0)),
        ("issued_at", json!("1 January 2026")),
        ("signing_keys", json!([])),
    ];
    for (field, value) in changes {
        let mut bad = decoded.clone();
        bad[field] = value;
        assert!(!entry.is_valid(&bad), "{field}: {bad}");
    }
}
