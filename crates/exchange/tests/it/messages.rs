//! The message bodies: the examples in schemas/examples/ follow their JSON Schema and parse; every
//! rule refuses naming the field, and the schema refuses what it can state of the same rules.

use haven_exchange::messages::acknowledgement::{self, Acknowledgement, AcknowledgementStatus, RefusalReason};
use haven_exchange::messages::referral::{self, AgeGroup, PersonField, Referral, ReferralPurpose};
use serde_json::{Value, json};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 12 - 06);

fn example(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/examples").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn validator(schema: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&serde_json::from_str(schema).unwrap()).unwrap()
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

const REFERRAL_EXAMPLES: [&str; 4] = [
    "referral-return-child.json",
    "referral-onward-support-adult.json",
    "referral-victim-at-risk.json",
    "referral-information-request.json",
];

#[test]
fn the_example_bodies_follow_their_schemas_and_parse_and_round_trip() {
    let ack_schema = validator(acknowledgement::SCHEMA);
    for name in ["acknowledgement-received.json", "acknowledgement-refused.json"] {
        let value = example(name);
        assert!(ack_schema.is_valid(&value), "{name}: {:?}", ack_schema.iter_errors(&value).next());
        let ack = Acknowledgement::parse(&bytes(&value)).unwrap();
        assert_eq!(Acknowledgement::parse(&ack.to_json().unwrap()).unwrap(), ack);
    }
    let referral_schema = validator(referral::SCHEMA);
    for name in REFERRAL_EXAMPLES {
        let value = example(name);
        assert!(referral_schema.is_valid(&value), "{name}: {:?}", referral_schema.iter_errors(&value).next());
        let parsed = Referral::parse(&bytes(&value), TODAY).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = Referral::parse(&parsed.to_json(TODAY).unwrap(), TODAY).unwrap();
        assert_eq!(again, parsed);
        // Written out, the body is the example (no field added, none lost).
        assert_eq!(serde_json::from_slice::<Value>(&parsed.to_json(TODAY).unwrap()).unwrap(), value, "{name}");
    }
    assert_eq!(acknowledgement::MESSAGE_TYPE, "acknowledgement");
    assert_eq!(referral::MESSAGE_TYPE, "referral");
}

/// Changes an example, then expects the parser to refuse naming `field`, and the schema to refuse
/// too when `schema_refuses` (some rules only the parser can state).
fn refused(name: &str, change: impl FnOnce(&mut Value), field: &str, schema_refuses: bool) {
    let mut value = example(name);
    change(&mut value);
    let err = Referral::parse(&bytes(&value), TODAY).unwrap_err();
    assert_eq!(err.field, field, "{err}");
    let schema = validator(referral::SCHEMA);
    assert_eq!(!schema.is_valid(&value), schema_refuses, "schema on {field}");
}

#[test]
fn an_adult_is_referred_on_consent_and_a_child_on_the_best_interests_determination() {
    refused("referral-onward-support-adult.json", |v| v["person"]["age_group"] = json!("child"), "body.basis", true);
    refused("referral-return-child.json", |v| v["person"]["age_group"] = json!("adult"), "body.basis", true);
    refused(
        "referral-return-child.json",
        |v| v["basis"]["determination"]["referral_in_best_interests"] = json!(false),
        "body.basis.determination.referral_in_best_interests",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["basis"] = json!({"kind": "vital_interests", "justification": "urgent"}),
        "body.basis",
        true,
    );
    refused(
        "referral-return-child.json",
        |v| {
            v["basis"]["guardian"].as_object_mut().unwrap().remove("view");
        },
        "body.basis",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["basis"]["given_on"] = json!("2026-12-07"),
        "body.basis.given_on",
        false,
    );
}

#[test]
fn a_return_carries_its_risk_assessment_and_a_child_is_not_returned_at_severe_risk() {
    refused(
        "referral-return-child.json",
        |v| {
            v.as_object_mut().unwrap().remove("return_risk_assessment");
        },
        "body.return_risk_assessment",
        true,
    );
    refused(
        "referral-return-child.json",
        |v| v["return_risk_assessment"]["reprisal_risk"] = json!("severe"),
        "body.return_risk_assessment",
        false,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["return_risk_assessment"] = example("referral-return-child.json")["return_risk_assessment"].clone(),
        "body.return_risk_assessment",
        true,
    );
    // An adult's return at severe risk informs the person's own decision; it is not refused.
    let mut adult = example("referral-return-child.json");
    adult["person"]["age_group"] = json!("adult");
    adult["basis"] =
        json!({"kind": "consent", "given_on": "2026-12-01", "informed_in": "et", "informed_by": "Caseworker"});
    adult["return_risk_assessment"]["reprisal_risk"] = json!("severe");
    let parsed = Referral::parse(&bytes(&adult), TODAY).unwrap();
    assert_eq!(parsed.person.age_group, Some(AgeGroup::Adult));
}

#[test]
fn the_person_carries_exactly_the_fields_listed_as_shared() {
    refused("referral-onward-support-adult.json", |v| v["person"]["sex"] = json!("female"), "body.person.sex", false);
    refused(
        "referral-onward-support-adult.json",
        |v| {
            v["person"].as_object_mut().unwrap().remove("languages");
        },
        "body.shared_fields",
        false,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["shared_fields"] = json!(["given_names", "given_names", "family_name", "date_of_birth", "languages"]),
        "body.shared_fields[1]",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| {
            v["person"].as_object_mut().unwrap().remove("age_group");
        },
        "body.person.age_group",
        true,
    );
    refused(
        "referral-victim-at-risk.json",
        |v| {
            v["person"]["date_of_birth"] = json!("1999-01-01");
            v["shared_fields"] = json!(["sex", "year_of_birth", "current_location", "date_of_birth"]);
        },
        "body.person.year_of_birth",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["person"]["given_names"] = json!("Ona\nKazlauskienė"),
        "body.person.given_names",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["person"]["passport"] = json!("K0000000"),
        "body.person.passport",
        true,
    );
}

#[test]
fn the_minimum_fields_offered_by_default_depend_on_the_purpose() {
    assert!(PersonField::minimum_for(ReferralPurpose::InformationRequest).is_empty());
    assert!(PersonField::minimum_for(ReferralPurpose::VictimAtRisk).is_empty());
    let ret = PersonField::minimum_for(ReferralPurpose::ReturnAndReintegration);
    assert!(ret.contains(&PersonField::IdentityDocuments));
    assert!(
        !PersonField::minimum_for(ReferralPurpose::IdentifiedHereExploitedThere).contains(&PersonField::GivenNames)
    );
}

#[test]
fn each_purpose_requires_its_own_part_and_no_other() {
    refused(
        "referral-victim-at-risk.json",
        |v| {
            v.as_object_mut().unwrap().remove("risk_notice");
        },
        "body.risk_notice",
        true,
    );
    refused(
        "referral-information-request.json",
        |v| {
            v.as_object_mut().unwrap().remove("information_request");
        },
        "body.information_request",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["risk_notice"] = json!({"danger": "x", "immediate": false}),
        "body.risk_notice",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["purpose"] = json!("identified_here_exploited_there"),
        "body.exploitation.countries",
        false,
    );
    let mut here_there = example("referral-onward-support-adult.json");
    here_there["purpose"] = json!("identified_here_exploited_there");
    here_there["exploitation"]["countries"] = json!(["LT"]);
    assert!(Referral::parse(&bytes(&here_there), TODAY).is_ok());
    refused("referral-onward-support-adult.json", |v| v["purpose"] = json!("trafficking"), "body.purpose", true);
    refused(
        "referral-onward-support-adult.json",
        |v| v["identification"] = json!({"status": "identified_victim"}),
        "body.identification.decided_on",
        true,
    );
    refused(
        "referral-onward-support-adult.json",
        |v| v["exploitation"]["forms"] = json!([]),
        "body.exploitation.forms",
        true,
    );
}

#[test]
fn an_acknowledgement_states_a_reason_exactly_when_it_refuses() {
    let schema = validator(acknowledgement::SCHEMA);
    let check = |change: &dyn Fn(&mut Value), field: &str| {
        let mut value = example("acknowledgement-refused.json");
        change(&mut value);
        let err = Acknowledgement::parse(&bytes(&value)).unwrap_err();
        assert_eq!(err.field, field, "{err}");
        assert!(!schema.is_valid(&value), "schema on {field}");
    };
    check(
        &|v| {
            v.as_object_mut().unwrap().remove("refusal");
        },
        "body.refusal",
    );
    check(&|v| v["status"] = json!("accepted"), "body.refusal");
    check(&|v| v["refusal"] = json!({"reason": "other"}), "body.refusal.explanation");
    check(&|v| v["refusal"]["reason"] = json!("busy"), "body.refusal.reason");
    check(&|v| v["envelope_sha256"] = json!("abc"), "body.envelope_sha256");
    check(&|v| v["acknowledges"] = json!("0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"), "body.acknowledges");
    let ack = Acknowledgement::parse(&bytes(&example("acknowledgement-refused.json"))).unwrap();
    assert_eq!(ack.status, AcknowledgementStatus::Refused);
    assert_eq!(ack.refusal.unwrap().reason, RefusalReason::BasisInsufficient);
}

#[test]
fn an_acknowledgement_travels_in_an_envelope_and_is_read_from_the_opened_body() {
    use crate::support::*;
    let lv = Instance::new("LV", &["EE"]);
    let ee = Instance::new("EE", &["LV"]);
    let mut d = draft("LV", t0());
    d.message_type = haven_exchange::MessageType::parse("t", acknowledgement::MESSAGE_TYPE).unwrap();
    d.body = bytes(&example("acknowledgement-received.json"));
    let envelope = haven_exchange::seal(&d, &ee.identity, &ee.directory).unwrap().to_json();
    let opened = haven_exchange::open(&envelope, t0(), &lv.identity, &lv.directory).unwrap();
    let ack = Acknowledgement::parse(&opened.body).unwrap();
    assert_eq!(ack.status, AcknowledgementStatus::Received);
}
