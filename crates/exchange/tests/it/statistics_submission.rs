//! `statistics_submission`: the example follows the schema and parses; every rule refuses naming
//! the field; and the signed original the hub keeps verifies against the directory until a
//! single byte of it is changed.

use haven_exchange::messages::statistics_submission::{self, MAX_CONTENT_BYTES, StatisticsSubmission};
use haven_exchange::{EvidenceError, MessageDraft, MessageType, SignedOriginal, open, seal};
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use crate::support::*;

fn example() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/examples/statistics-submission.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn schema() -> jsonschema::Validator {
    jsonschema::validator_for(&serde_json::from_str(statistics_submission::SCHEMA).unwrap()).unwrap()
}

fn refused(change: impl FnOnce(&mut Value), field: &str, schema_refuses: bool) {
    let mut value = example();
    change(&mut value);
    let err = StatisticsSubmission::parse(&serde_json::to_vec(&value).unwrap()).unwrap_err();
    assert_eq!(err.field, field, "{err}");
    assert_eq!(!schema().is_valid(&value), schema_refuses, "schema on {field}");
}

#[test]
fn the_example_follows_its_schema_parses_and_round_trips() {
    let value = example();
    assert!(schema().is_valid(&value), "{:?}", schema().iter_errors(&value).next());
    let parsed = StatisticsSubmission::parse(&serde_json::to_vec(&value).unwrap()).unwrap();
    assert_eq!(parsed.reference_year().unwrap(), 2025);
    assert_eq!(parsed.country.as_str(), "LV");
    assert_eq!(serde_json::from_slice::<Value>(&parsed.to_json().unwrap()).unwrap(), value);
    assert_eq!(statistics_submission::MESSAGE_TYPE, "statistics_submission");
    let made = StatisticsSubmission::new(parsed.country.clone(), &parsed.release_id, 2025, parsed.content.clone());
    assert_eq!(made.unwrap(), parsed);
}

#[test]
fn every_rule_refuses_naming_the_field() {
    refused(|v| v["content"] = json!(format!("{} ", v["content"].as_str().unwrap())), "body.content_sha256", false);
    refused(|v| v["content_sha256"] = json!("short"), "body.content_sha256", true);
    refused(|v| v["country"] = json!("lv"), "body.country", true);
    refused(|v| v["release_id"] = json!("../etc/passwd"), "body.release_id", true);
    refused(|v| v["release_id"] = json!(""), "body.release_id", true);
    refused(|v| v["reference_period"] = json!("2025-Q1"), "body.reference_period", true);
    refused(|v| v["format"] = json!("xlsx"), "body.format", true);
    refused(
        |v| {
            v.as_object_mut().unwrap().remove("content");
        },
        "body",
        true,
    );
    refused(|v| v["extra"] = json!(1), "body.extra", true);
}

#[test]
fn content_larger_than_the_upload_limit_is_refused() {
    let country = StatisticsSubmission::parse(&serde_json::to_vec(&example()).unwrap()).unwrap().country;
    let big = "x".repeat(MAX_CONTENT_BYTES + 1);
    let err = StatisticsSubmission::new(country, "r1", 2025, big).unwrap_err();
    assert_eq!(err.field, "body.content");
}

fn sent_and_opened() -> (Instance, SignedOriginal) {
    let (lv, eu) = (Instance::new("LV", &["EU"]), Instance::new("EU", &["LV"]));
    let now = t0() + Duration::hours(1);
    let draft = MessageDraft {
        message_id: Uuid::from_u128(7),
        receiver: id("EU"),
        message_type: MessageType::parse("t", statistics_submission::MESSAGE_TYPE).unwrap(),
        type_version: 1,
        created_at: now,
        expires_at: now + Duration::days(7),
        body: serde_json::to_vec(&example()).unwrap(),
    };
    let envelope = seal(&draft, &lv.identity, &lv.directory).unwrap();
    let opened = open(&envelope.to_json(), now, &eu.identity, &eu.directory).unwrap();
    let original = SignedOriginal::of(&opened);
    assert_eq!(original.body, draft.body);
    (eu, original)
}

#[test]
fn the_signed_original_verifies_against_the_directory_and_a_changed_byte_fails() {
    let (eu, original) = sent_and_opened();
    let header = original.verify(&eu.directory).unwrap();
    assert_eq!(header.sender, id("LV"));
    // Stored and read back, it still verifies.
    let stored: SignedOriginal = serde_json::from_slice(&serde_json::to_vec(&original).unwrap()).unwrap();
    assert!(stored.verify(&eu.directory).is_ok());

    let mut body = original.clone();
    let at = body.body.iter().position(|b| *b == b'4').unwrap();
    body.body[at] = b'5';
    assert_eq!(body.verify(&eu.directory), Err(EvidenceError::BadSignature));

    let mut signature = original.clone();
    signature.signature[0] ^= 1;
    assert_eq!(signature.verify(&eu.directory), Err(EvidenceError::BadSignature));

    // The header names the key; changing what it says of the expiry breaks the signature.
    let mut header = original.clone();
    let text = String::from_utf8(header.header.clone()).unwrap().replace("2026-12-08", "2026-12-09");
    assert_ne!(text.as_bytes(), original.header.as_slice());
    header.header = text.into_bytes();
    assert_eq!(header.verify(&eu.directory), Err(EvidenceError::BadSignature));
}

#[test]
fn the_signed_original_does_not_verify_against_a_directory_without_the_sender() {
    let (_, original) = sent_and_opened();
    let stranger = Instance::new("EE", &[]);
    assert!(matches!(original.verify(&stranger.directory), Err(EvidenceError::UnknownSender { .. })));
}
