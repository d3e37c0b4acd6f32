//! The transnational referral of a victim (Dir 2011/36 Art 11(4)): the caseworker of the case's
//! organisation prepares and submits it, showing field by field what is shared; only the focal
//! point of the country sends it, the body built from the case with only the chosen fields and
//! stored with its message id before the exchange is called; a referral received waits for the
//! receiving focal point; updates about a referral that was never sent are refused.

use crate::common::{self, NOW, audit_detail_count, organisation, user};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_referrals::{DecisionInput, PrepareInput, on_received};
use haven_app::exchange_transport::{InboundOutcome, ReceivedMessage};
use haven_app::{App, AppError, Principal};
use haven_domain::assist::transnational::{Purpose, SharedField, TransnationalState};
use haven_domain::ident::record::Registration;
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::messages::referral::Referral;
use haven_exchange::{
    DirectoryEntry, EncryptionKeyPair, InstanceId, PeerRole, PublishedKey, SignedEntry, SigningKeyPair,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

/// Pins the peer `id` (a national focal point) in `app`'s directory, after making its identity.
async fn pin(app: &App, id: &str, seed: u8) {
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
    let signing = SigningKeyPair::from_seed(&[seed; 32]);
    let encryption = EncryptionKeyPair::derive(&[seed.wrapping_add(100); 32]);
    let entry = DirectoryEntry {
        instance_id: InstanceId::parse("f", id).unwrap(),
        role: PeerRole::NationalFocalPoint,
        endpoint: format!("https://{}.haven.example/exchange", id.to_lowercase()),
        sequence: 1,
        issued_at: t(NOW - 3600),
        signing_keys: vec![PublishedKey::new(signing.public_key(), t(NOW - 86_400))],
        encryption_keys: vec![PublishedKey::new(encryption.public_key(), t(NOW - 86_400))],
    };
    let published = SignedEntry::sign(&entry, &signing).unwrap().to_json();
    app.add_peer(Acting::Operator, &published, signing.key_id().as_str()).await.unwrap();
}

struct World {
    app: App,
    _db: common::Database,
    caseworker: Principal,
    other_caseworker: Principal,
    focal_point: Principal,
    ngo: String,
}

async fn world() -> World {
    let (app, db) = common::sqlite_app().await;
    let ngo = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let other = organisation(&app, "Another NGO", "ngo", "LV").await;
    let authority = organisation(&app, "National Referral Mechanism", "competent_authority", "LV").await;
    let caseworker = user(&app, "case.worker", &ngo, "caseworker").await;
    let other_caseworker = user(&app, "other.worker", &other, "caseworker").await;
    let focal_point = user(&app, "focal.point", &authority, "focal_point").await;
    pin(&app, "EE", 7).await;
    World { app, _db: db, caseworker, other_caseworker, focal_point, ngo }
}

/// A registration exploited in Estonia, with names, a date of birth, a passport and a language.
fn exploited_in_estonia(dob: &str) -> Registration {
    serde_json::from_value(json!({
        "person": {
            "given_names": "Olena", "family_names": "Kovalenko", "sex": "female", "citizenships": ["UA"],
            "date_of_birth": dob, "languages": ["uk"],
            "documents": [{"kind": "passport", "number": "FA123456", "issuing_country": "UA"}],
        },
        "context": {
            "forms": ["sexual"],
            "events": [{"kind": "exploitation", "country": "EE"}],
        },
    }))
    .unwrap()
}

fn consent() -> Value {
    json!({"kind": "consent", "given_on": "2026-05-20", "informed_in": "uk", "informed_by": "caseworker with an interpreter"})
}

fn input(purpose: &str, basis: Value, added: &[&str]) -> PrepareInput {
    serde_json::from_value(json!({
        "purpose": purpose,
        "receiving_peer": "EE",
        "added_fields": added,
        "basis": basis,
        "needs": ["accommodation"],
    }))
    .unwrap()
}

#[track_caller]
fn assert_field<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) {
    match r {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, field, "{}", e.message),
        other => panic!("expected a refusal naming {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn art_11_4_dir_the_caseworker_prepares_and_submits_and_only_the_focal_point_sends_the_chosen_fields() {
    let w = world().await;
    let case = common::refer(&w.app, &w.caseworker, exploited_in_estonia("1990-03-04")).await;
    let prepared = w
        .app
        .prepare_transnational_referral(&w.caseworker, &case, &input("onward_support", consent(), &["nationalities"]))
        .await
        .unwrap();
    assert_eq!(prepared.state, TransnationalState::Draft);
    assert_eq!(prepared.purpose, Purpose::OnwardSupport);
    // Field by field what would be shared: the purpose's minimum, and the field added.
    let shown: Vec<(SharedField, bool, Option<&str>)> =
        prepared.shared.iter().map(|s| (s.field, s.added, s.value.as_deref())).collect();
    assert_eq!(
        shown,
        vec![
            (SharedField::GivenNames, false, Some("Olena")),
            (SharedField::FamilyName, false, Some("Kovalenko")),
            (SharedField::DateOfBirth, false, Some("1990-03-04")),
            (SharedField::Nationalities, true, Some("UA")),
            (SharedField::Languages, false, Some("uk")),
        ]
    );
    // Nobody else prepares it: another organisation's caseworker, the focal point; nor to a
    // country whose focal point is not pinned, nor to one's own.
    let other = w
        .app
        .prepare_transnational_referral(&w.other_caseworker, &case, &input("onward_support", consent(), &[]))
        .await;
    assert!(matches!(other, Err(AppError::Forbidden | AppError::NotFound)), "{other:?}");
    let fp =
        w.app.prepare_transnational_referral(&w.focal_point, &case, &input("onward_support", consent(), &[])).await;
    assert!(matches!(fp, Err(AppError::Forbidden | AppError::NotFound)), "{fp:?}");
    let mut to_finland = input("onward_support", consent(), &[]);
    to_finland.receiving_peer = "FI".into();
    assert_field(w.app.prepare_transnational_referral(&w.caseworker, &case, &to_finland).await, "receiving_peer");
    assert_field(
        w.app
            .prepare_transnational_referral(&w.caseworker, &case, &input("onward_support", consent(), &["hair_colour"]))
            .await,
        "added_fields",
    );

    // Only the caseworker submits; only the focal point sends.
    assert!(matches!(
        w.app.submit_transnational_referral(&w.focal_point, &prepared.id).await,
        Err(AppError::Forbidden)
    ));
    let submitted = w.app.submit_transnational_referral(&w.caseworker, &prepared.id).await.unwrap();
    assert_eq!(submitted.state, TransnationalState::Submitted);
    let (outgoing, incoming) = w.app.focal_point_referrals(&w.focal_point).await.unwrap();
    assert_eq!(outgoing.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec![prepared.id.as_str()]);
    assert!(incoming.is_empty());
    assert!(matches!(w.app.focal_point_referrals(&w.caseworker).await, Err(AppError::Forbidden)));
    assert!(matches!(w.app.send_transnational_referral(&w.caseworker, &prepared.id).await, Err(AppError::Forbidden)));

    // The focal point sends: the body is built from the case and stored with its message id,
    // then handed to the exchange's outbox under that id; sent once, it is not sent again.
    let sent = w.app.send_transnational_referral(&w.focal_point, &prepared.id).await.unwrap();
    assert_eq!(sent.state, TransnationalState::Sent);
    let message_id = sent.message_id.clone().expect("the message id is stored with the referral");
    let body = sent.body.clone().expect("the body is stored with the referral");
    let referral = Referral::parse(&serde_json::to_vec(&body).unwrap(), time::macros::date!(2026 - 05 - 28)).unwrap();
    assert_eq!(referral.referral_id.to_string(), prepared.id);
    assert_eq!(referral.receiving_country.as_str(), "EE");
    assert_eq!(referral.person.given_names.as_ref().map(|n| n.as_str()), Some("Olena"));
    assert!(referral.person.identity_documents.is_none(), "a field not chosen is not sent");
    assert_eq!(referral.exploitation.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>(), vec!["EE"]);
    let queued = w
        .app
        .store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM exchange_outbox WHERE message_id = '{message_id}' AND receiver = 'EE' \
             AND message_type = 'referral'"
        ))
        .await
        .unwrap();
    assert_eq!(queued, 1, "the referral is in the outbox under its stored message id");
    assert_field(w.app.send_transnational_referral(&w.focal_point, &prepared.id).await, "status");
    let view = w.app.transnational_referral(&w.focal_point, &prepared.id).await.unwrap();
    assert_eq!(view.message_id.as_deref(), Some(message_id.as_str()));

    // The case page's list, and the audit trail.
    let of_case = w.app.transnational_referrals_of_case(&w.caseworker, &case).await.unwrap();
    assert_eq!(of_case.len(), 1);
    assert_eq!(audit_detail_count(&w.app, "transnational_referral_prepared", &format!("case={case}")).await, 1);
    assert!(audit_detail_count(&w.app, "transnational_referral_changed", "to=submitted").await >= 1);
    assert!(audit_detail_count(&w.app, "transnational_referral_read", "peer=EE").await >= 2);
    assert!(audit_detail_count(&w.app, "transnational_referrals_listed", "").await >= 2);
    let _ = &w.ngo;
}

#[tokio::test]
async fn art_13_1_dir_and_art_16_7_cets_a_childs_referral_and_return_follow_the_childs_rules() {
    let w = world().await;
    let child = common::refer(&w.app, &w.caseworker, exploited_in_estonia("2012-01-01")).await;
    // A child is not referred on consent (Dir 2011/36 Art 13(1), 14(2)).
    let on_consent = w
        .app
        .prepare_transnational_referral(&w.caseworker, &child, &input("onward_support", consent(), &[]))
        .await
        .unwrap();
    assert_field(w.app.submit_transnational_referral(&w.caseworker, &on_consent.id).await, "basis");
    // A return without its risk assessment (CETS 197 Art 16(2)), or at severe risk (Art 16(7)).
    let best_interests = json!({
        "kind": "best_interests", "decided_on": "2026-05-10", "decided_by": "Orphan's court", "in_best_interests": "yes",
        "summary": "The family was traced and is safe.", "guardian_role": "guardian", "guardian_view": "agrees",
    });
    let no_assessment = w
        .app
        .prepare_transnational_referral(
            &w.caseworker,
            &child,
            &input("return_and_reintegration", best_interests.clone(), &[]),
        )
        .await
        .unwrap();
    assert_field(w.app.submit_transnational_referral(&w.caseworker, &no_assessment.id).await, "return_risk_assessment");
    let mut severe = input("return_and_reintegration", best_interests.clone(), &[]);
    severe.return_risk_assessment = serde_json::from_value(json!({
        "assessed_on": "2026-05-15", "re_trafficking_risk": "severe", "reprisal_risk": "low",
        "family_situation": "safe", "support_services": "available", "documents_ready": "yes",
    }))
    .unwrap();
    let at_risk = w.app.prepare_transnational_referral(&w.caseworker, &child, &severe).await.unwrap();
    assert_field(w.app.submit_transnational_referral(&w.caseworker, &at_risk.id).await, "return_risk_assessment");
    let mut low = severe.clone();
    low.return_risk_assessment.re_trafficking_risk = "low".into();
    let ok = w.app.prepare_transnational_referral(&w.caseworker, &child, &low).await.unwrap();
    assert_eq!(
        w.app.submit_transnational_referral(&w.caseworker, &ok.id).await.unwrap().state,
        TransnationalState::Submitted
    );
    // A bad basis is refused naming its field.
    let mut bad = input("onward_support", consent(), &[]);
    bad.basis.given_on = "2026-13-01".into();
    assert_field(w.app.prepare_transnational_referral(&w.caseworker, &child, &bad).await, "basis.given_on");
}

fn received(sender: &str, message_type: &str, body: &Value) -> ReceivedMessage {
    ReceivedMessage {
        message_id: Uuid::now_v7(),
        sender: sender.into(),
        message_type: message_type.into(),
        type_version: 1,
        body: serde_json::to_vec(body).unwrap(),
        envelope_sha256: "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU".into(),
        received_at: t(NOW),
    }
}

fn incoming_body() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../exchange/schemas/examples/referral-onward-support-adult.json");
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    body["receiving_country"] = json!("LV");
    body["basis"]["given_on"] = json!("2026-05-01");
    body
}

#[tokio::test]
async fn a_referral_received_waits_for_the_receiving_focal_point_and_updates_about_no_sent_referral_are_refused() {
    let w = world().await;
    let body = incoming_body();
    let message = received("EE", "referral", &body);
    assert_eq!(on_received(&w.app, &message).await.unwrap(), InboundOutcome::Pending);
    // The same referral again, under another message id, is not taken twice.
    let outcome = on_received(&w.app, &received("EE", "referral", &body)).await.unwrap();
    assert!(matches!(outcome, InboundOutcome::Refused { reason: RefusalReason::Other, .. }), "{outcome:?}");
    // A body that does not parse is refused for invalid_body, naming the field.
    let mut broken = body.clone();
    broken["person"]["age_group"] = json!("elder");
    match on_received(&w.app, &received("EE", "referral", &broken)).await.unwrap() {
        InboundOutcome::Refused { reason: RefusalReason::InvalidBody, explanation: Some(e) } => {
            assert!(e.contains("body.person.age_group"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Another country's referral is not this instance's.
    let mut elsewhere = body.clone();
    elsewhere["referral_id"] = json!("0193a1b2-0000-7000-8000-0000000000ff");
    elsewhere["receiving_country"] = json!("LT");
    let outcome = on_received(&w.app, &received("EE", "referral", &elsewhere)).await.unwrap();
    assert!(matches!(outcome, InboundOutcome::Refused { reason: RefusalReason::NotCompetent, .. }), "{outcome:?}");

    let (_, incoming) = w.app.focal_point_referrals(&w.focal_point).await.unwrap();
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].state, TransnationalState::Received);
    let id = incoming[0].id.clone();
    let view = w.app.transnational_referral(&w.focal_point, &id).await.unwrap();
    assert_eq!(view.body.as_ref().map(|b| b["person"]["given_names"].clone()), Some(json!("Ona")));
    // A caseworker does not see a referral received.
    assert!(matches!(w.app.transnational_referral(&w.caseworker, &id).await, Err(AppError::NotFound)));
    assert_eq!(audit_detail_count(&w.app, "transnational_referral_received", "peer=EE").await, 1);

    // The decision names its field; it is refused before anything is recorded when the
    // exchange cannot take its acknowledgement.
    let bad = DecisionInput { decision: "maybe".into(), ..DecisionInput::default() };
    assert_field(w.app.decide_transnational_referral(&w.focal_point, &id, &bad).await, "decision");
    let other = DecisionInput { decision: "decline".into(), reason: "other".into(), ..DecisionInput::default() };
    assert_field(w.app.decide_transnational_referral(&w.focal_point, &id, &other).await, "explanation");
    assert!(matches!(
        w.app
            .decide_transnational_referral(
                &w.caseworker,
                &id,
                &DecisionInput { decision: "accept".into(), ..DecisionInput::default() }
            )
            .await,
        Err(AppError::Forbidden)
    ));
    let decline =
        DecisionInput { decision: "decline".into(), reason: "no_capacity".into(), ..DecisionInput::default() };
    // Handed to on_received directly, the message is not in the transport's inbox: the
    // exchange could not take the acknowledgement, so nothing is recorded (no half-done change).
    let declined = w.app.decide_transnational_referral(&w.focal_point, &id, &decline).await;
    assert!(matches!(declined, Err(AppError::ConflictSaid { .. })), "{declined:?}");
    let view = w.app.transnational_referral(&w.focal_point, &id).await.unwrap();
    assert_eq!(view.state, TransnationalState::Received);
    assert_eq!(view.events.len(), 1, "no event recorded");
    assert!(w.app.transnational_updates_to_resend(&w.focal_point, &id).await.unwrap().is_empty());

    // Updates: about no referral sent to that peer, or one not yet sent, they are refused.
    let update = json!({"referral_id": "0193a1b2-0000-7000-8000-000000000009", "status": "accepted", "effective_on": "2026-05-27"});
    let outcome = on_received(&w.app, &received("EE", "referral_update", &update)).await.unwrap();
    assert!(matches!(outcome, InboundOutcome::Refused { reason: RefusalReason::Other, .. }), "{outcome:?}");
    let case = common::refer(&w.app, &w.caseworker, exploited_in_estonia("1990-03-04")).await;
    let draft = w
        .app
        .prepare_transnational_referral(&w.caseworker, &case, &input("onward_support", consent(), &[]))
        .await
        .unwrap();
    let early = json!({"referral_id": draft.id, "status": "accepted", "effective_on": "2026-05-27"});
    let outcome = on_received(&w.app, &received("EE", "referral_update", &early)).await.unwrap();
    assert!(matches!(outcome, InboundOutcome::Refused { .. }), "{outcome:?}");
    let bad_update = json!({"referral_id": draft.id, "status": "declined", "effective_on": "2026-05-27"});
    let outcome = on_received(&w.app, &received("EE", "referral_update", &bad_update)).await.unwrap();
    assert!(matches!(outcome, InboundOutcome::Refused { reason: RefusalReason::InvalidBody, .. }), "{outcome:?}");
    assert_eq!(w.app.transnational_referral(&w.caseworker, &draft.id).await.unwrap().state, TransnationalState::Draft);
}

/// A re-sent update's message id is derived from the first, the same for the same attempt (an
/// interrupted re-sending repeats it), another for the next, and still a UUID v7.
#[test]
fn a_resent_update_has_a_stable_derived_message_id() {
    use haven_app::exchange_referrals::resend_id;
    let first = Uuid::now_v7();
    assert_eq!(resend_id(first, 1), resend_id(first, 1));
    assert_ne!(resend_id(first, 1), first);
    assert_ne!(resend_id(first, 1), resend_id(first, 2));
    assert_eq!(resend_id(first, 2).get_version_num(), 7);
    assert_eq!(resend_id(first, 2).get_variant(), first.get_variant());
}
