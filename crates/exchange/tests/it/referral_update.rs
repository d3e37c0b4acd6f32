//! `referral_update` bodies: the examples in schemas/examples/ follow the JSON Schema, parse and
//! round-trip; each rule refuses naming the field, and the schema refuses the same where it can.

use haven_exchange::messages::referral_update::{self, ReferralUpdate, UpdateStatus};
use serde_json::{Value, json};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 12 - 06);

const EXAMPLES: [&str; 3] = [
    "referral-update-organisation-assigned.json",
    "referral-update-declined.json",
    "referral-update-follow-up-due.json",
];

fn example(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/examples").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn schema() -> jsonschema::Validator {
    jsonschema::validator_for(&serde_json::from_str(referral_update::SCHEMA).unwrap()).unwrap()
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

#[test]
fn the_referral_update_examples_follow_the_schema_and_parse_and_round_trip() {
    let schema = schema();
    for name in EXAMPLES {
        let value = example(name);
        assert!(schema.is_valid(&value), "{name}: {:?}", schema.iter_errors(&value).next());
        let parsed = ReferralUpdate::parse(&bytes(&value), TODAY).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = parsed.to_json(TODAY).unwrap();
        assert_eq!(ReferralUpdate::parse(&written, TODAY).unwrap(), parsed);
        assert_eq!(serde_json::from_slice::<Value>(&written).unwrap(), value, "{name}");
    }
    assert_eq!(referral_update::MESSAGE_TYPE, "referral_update");
    assert_eq!(referral_update::TYPE_VERSION, 1);
}

fn refused(name: &str, change: impl FnOnce(&mut Value), field: &str, schema_refuses: bool) {
    let mut value = example(name);
    change(&mut value);
    let err = ReferralUpdate::parse(&bytes(&value), TODAY).unwrap_err();
    assert_eq!(err.field, field, "{err}");
    assert_eq!(!schema().is_valid(&value), schema_refuses, "schema on {field}");
}

#[test]
fn each_status_carries_exactly_its_own_part() {
    let declined = "referral-update-declined.json";
    let assigned = "referral-update-organisation-assigned.json";
    let follow_up = "referral-update-follow-up-due.json";
    refused(declined, |v| v.as_object_mut().unwrap().remove("decline").map(drop).unwrap_or(()), "body.decline", true);
    refused(declined, |v| v["status"] = json!("accepted"), "body.decline", true);
    refused(assigned, |v| v["status"] = json!("support_started"), "body.organisation", true);
    refused(
        assigned,
        |v| v.as_object_mut().unwrap().remove("organisation").map(drop).unwrap_or(()),
        "body.organisation",
        true,
    );
    refused(follow_up, |v| v["status"] = json!("closed"), "body.follow_up_on", true);
    refused(
        declined,
        |v| {
            v["decline"] = json!({"reason": "other"});
        },
        "body.decline.explanation",
        true,
    );
}

#[test]
fn the_fields_are_named_and_dates_checked() {
    let follow_up = "referral-update-follow-up-due.json";
    refused(follow_up, |v| v["status"] = json!("arrived"), "body.status", true);
    refused(follow_up, |v| v["referral_id"] = json!("not-a-uuid"), "body.referral_id", true);
    refused(follow_up, |v| v["extra"] = json!(1), "body.extra", true);
    // Only the parser knows the day of the message and the order of the two days.
    refused(follow_up, |v| v["effective_on"] = json!("2026-12-07"), "body.effective_on", false);
    refused(follow_up, |v| v["follow_up_on"] = json!("2026-12-01"), "body.follow_up_on", false);
    // Every status has its code on the wire.
    for status in UpdateStatus::ALL {
        assert_eq!(serde_json::to_value(status).unwrap(), json!(status.code()));
    }
}
