//! The focal point's side of the exchange in pages and API: the cross-border count's secret (never
//! shown back) and a year's encodings sent to the EU hub, the outbox (type, receiver, state,
//! never a body), this instance's own key rotation with an overlap, and the EU hub's count of
//! distinct persons for the EU level; in English and Latvian, refused to other roles, CSRF on
//! every form, 422 naming the field, every change audited.

use crate::common::{START, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_transport::ReceivedMessage;
use haven_exchange::{
    DirectoryEntry, EncryptionKeyPair, InstanceId, PeerRole, PublishedKey, SignedEntry, SigningKeyPair,
};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

/// 32 bytes, standard base64.
const SECRET: &str = "c2VjcmV0IHNoYXJlZCBieSB0aGUgZm9jYWwgcG9pbnRzISE=";

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).expect("a time")
}

/// The EU hub's first signed entry and its signing key id.
fn hub_entry() -> (String, String) {
    let signing = SigningKeyPair::from_seed(&[9; 32]);
    let encryption = EncryptionKeyPair::derive(&[10; 32]);
    let entry = DirectoryEntry {
        instance_id: InstanceId::parse("f", "EU").expect("EU"),
        role: PeerRole::EuHub,
        endpoint: "https://eu.haven.example/exchange".into(),
        sequence: 1,
        issued_at: t(START - 3600),
        signing_keys: vec![PublishedKey::new(signing.public_key(), t(START - 86_400))],
        encryption_keys: vec![PublishedKey::new(encryption.public_key(), t(START - 86_400))],
    };
    let signed = SignedEntry::sign(&entry, &signing).expect("signed");
    (String::from_utf8(signed.to_json()).expect("utf-8"), signing.key_id().as_str().to_owned())
}

struct World {
    t: TestApp,
    focal: Session,
    focal_password: String,
    worker: Session,
}

/// LV's instance with its identity, the EU hub pinned, a focal point and a caseworker.
async fn world() -> World {
    let t = TestApp::new().await;
    let authority = t.org("Valsts komisija", "competent_authority", "LV").await;
    let ngo = t.org("Patvērums", "ngo", "LV").await;
    let focal_password = t.user("focal", &authority, &["focal_point"]).await;
    let focal = t.login("focal", &focal_password).await;
    let password = t.user("worker", &ngo, &["caseworker", "first_responder"]).await;
    let worker = t.login("worker", &password).await;
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    t.app.instance_identity(Acting::Operator, Some(&setup)).await.expect("identity");
    let (entry, key_id) = hub_entry();
    t.app.add_peer(Acting::Operator, entry.as_bytes(), &key_id).await.expect("the hub pinned");
    World { t, focal, focal_password, worker }
}

async fn audited(t: &TestApp, action: &str) -> i64 {
    t.app
        .store()
        .count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"))
        .await
        .expect("count")
}

/// A form posted with the session cookie but without the CSRF token.
async fn form_without_csrf(t: &TestApp, path: &str, s: &Session, body: &str) -> StatusCode {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .expect("request");
    t.send(req).await.status
}

async fn in_latvian(t: &TestApp, s: &Session) {
    let switched = t.form("/account/language", Some(s), &[("language", "lv")]).await;
    assert!(switched.status.is_redirection() || switched.status.is_success(), "{}", switched.body);
}

/// Refers a registration through the API and marks it identified by a final decision in 2026.
async fn identified(t: &TestApp, worker: &Session, given: &str, family: &str, born: &str) {
    let person = json!({"person": {"given_names": given, "family_names": family, "sex": "female",
        "date_of_birth": born, "citizenships": ["UA"]}});
    let created = t.call(Method::POST, "/api/v1/registrations", Some(worker), Some(person)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().expect("id").to_owned();
    let submitted = t
        .call(Method::POST, &format!("/api/v1/registrations/{id}/submit"), Some(worker), Some(json!({"version": 1})))
        .await;
    assert!(submitted.status.is_success(), "{}", submitted.body);
    t.app
        .store()
        .execute_unchecked(&format!(
            "UPDATE registrations SET nrm_status = 'identified_victim', cg_decided_on = '2026-03-01' WHERE case_id = '{id}'"
        ))
        .await
        .expect("identified");
}

#[tokio::test]
async fn the_focal_point_stores_the_secret_never_shown_back_and_sends_a_years_encodings_seen_in_the_outbox() {
    let w = world().await;
    let (t, focal, worker) = (&w.t, &w.focal, &w.worker);
    identified(t, worker, "Olena", "Kovalenko", "1999-03-14").await;

    let page = t.page("/peers/persons", Some(focal)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Cross-border person count") && page.body.contains("id=\"no-secret\""));
    assert!(page.body.contains("name=\"csrf\""));
    // the /peers page links to it for the focal point, with the rotation button
    let peers = t.page("/peers", Some(focal)).await;
    assert!(peers.body.contains("href=\"/peers/persons\"") && peers.body.contains("href=\"/peers/outbox\""));
    assert!(peers.body.contains("id=\"rotate-own-button\""));

    // Other roles are refused; a form without its CSRF token too.
    for path in ["/peers/persons", "/peers/outbox", "/peers/own-keys"] {
        assert_eq!(t.page(path, Some(worker)).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let refused = t.form("/peers/persons/secret", Some(worker), &[("generation", "g1"), ("secret", SECRET)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = t.form("/peers/persons/encodings", Some(worker), &[("year", "2026")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let body = format!("generation=g1&secret={}", SECRET.replace('=', "%3D"));
    assert_eq!(form_without_csrf(t, "/peers/persons/secret", focal, &body).await, StatusCode::FORBIDDEN);
    assert_eq!(form_without_csrf(t, "/peers/persons/encodings", focal, "year=2026").await, StatusCode::FORBIDDEN);
    assert_eq!(audited(t, "person_linkage_secret_stored").await, 0);

    // Bad input: 422 naming the field; the secret typed is not shown back.
    let short = t.form("/peers/persons/secret", Some(focal), &[("generation", "2026-1"), ("secret", "c2hvcnQ=")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.body);
    assert!(short.body.contains("id=\"err-secret\""), "{}", short.body);
    assert!(!short.body.contains("c2hvcnQ="), "the secret is never shown back");
    assert!(short.body.contains("value=\"2026-1\""), "the generation typed is shown again");
    let bad = t.form("/peers/persons/secret", Some(focal), &[("generation", "two words"), ("secret", SECRET)]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"err-generation\""), "{}", bad.body);
    // Sending before a secret is stored names the secret.
    let early = t.form("/peers/persons/encodings", Some(focal), &[("year", "2026")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    assert!(early.body.contains("id=\"err-secret\""), "{}", early.body);

    // Stored; the page names the generation, never the secret.
    let stored = t.form("/peers/persons/secret", Some(focal), &[("generation", "2026-1"), ("secret", SECRET)]).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let page = t.page("/peers/persons?stored=1", Some(focal)).await;
    assert!(page.body.contains("id=\"secret-stored\"") && page.body.contains("<strong>2026-1</strong>"));
    assert!(!page.body.contains(SECRET), "the secret is never shown back");
    assert_eq!(audited(t, "person_linkage_secret_stored").await, 1);
    let again = t.form("/peers/persons/secret", Some(focal), &[("generation", "2026-1"), ("secret", SECRET)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a generation is never changed");

    // A year that is not one, then the year sent.
    let bad = t.form("/peers/persons/encodings", Some(focal), &[("year", "next")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"err-year\""), "{}", bad.body);
    let sent = t.form("/peers/persons/encodings", Some(focal), &[("year", "2026")]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("id=\"encodings-sent\"") && sent.body.contains("1 persons of 2026"), "{}", sent.body);
    assert_eq!(audited(t, "person_encodings_prepared").await, 1);
    assert_eq!(audited(t, "exchange_message_queued").await, 1);

    // The outbox: the message's type, receiver and state, never its body.
    let outbox = t.page("/peers/outbox", Some(focal)).await;
    assert_eq!(outbox.status, StatusCode::OK, "{}", outbox.body);
    assert!(outbox.body.contains("<code>person_encodings</code>") && outbox.body.contains("<td>EU</td>"));
    assert!(outbox.body.contains("data-progress=\"queued\"") && outbox.body.contains("Queued"));
    assert!(!outbox.body.contains("clk"), "no body in the outbox");

    // The same through the API.
    let api = t.call(Method::GET, "/api/v1/exchange/outbox", Some(focal), None).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(api.json()[0]["message_type"], "person_encodings");
    assert_eq!(api.json()[0]["state"], "pending");
    assert_eq!(t.call(Method::GET, "/api/v1/exchange/outbox", Some(worker), None).await.status, StatusCode::FORBIDDEN);
    let short = t
        .call(
            Method::POST,
            "/api/v1/exchange/person-linkage-secrets",
            Some(focal),
            Some(json!({"generation": "2026-2", "secret": "c2hvcnQ="})),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.body);
    assert_eq!(short.json()["error"]["field"], "secret");
    let stored = t
        .call(
            Method::POST,
            "/api/v1/exchange/person-linkage-secrets",
            Some(focal),
            Some(json!({"generation": "2026-2", "secret": SECRET})),
        )
        .await;
    assert_eq!(stored.status, StatusCode::NO_CONTENT, "{}", stored.body);
    let year =
        t.call(Method::POST, "/api/v1/exchange/person-encodings", Some(focal), Some(json!({"year": 1999}))).await;
    assert_eq!(year.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(year.json()["error"]["field"], "year");
    let sent =
        t.call(Method::POST, "/api/v1/exchange/person-encodings", Some(focal), Some(json!({"year": 2026}))).await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.body);
    assert_eq!((sent.json()["receiver"].as_str(), sent.json()["persons"].as_u64()), (Some("EU"), Some(1)));
    let refused =
        t.call(Method::POST, "/api/v1/exchange/person-encodings", Some(worker), Some(json!({"year": 2026}))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // In Latvian.
    in_latvian(t, focal).await;
    let page = t.page("/peers/persons", Some(focal)).await;
    assert!(page.body.contains("Pārrobežu personu skaitīšana") && page.body.contains("Kopīgais noslēpums"));
    let outbox = t.page("/peers/outbox", Some(focal)).await;
    assert!(outbox.body.contains("Izsūtne") && outbox.body.contains("Rindā"), "{}", outbox.body);
}

#[tokio::test]
async fn the_focal_point_rotates_this_instances_keys_with_an_overlap_from_the_peers_page() {
    let w = world().await;
    let (t, focal, worker) = (&w.t, &w.focal, &w.worker);
    let old = t.app.own_directory_entry(Acting::Operator).await.expect("entry").identity.signing_key_id;

    let page = t.page("/peers/own-keys", Some(focal)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&old) && page.body.contains("in use"));
    assert_eq!(t.form("/peers/own-keys/rotation", Some(worker), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(form_without_csrf(t, "/peers/own-keys/rotation", focal, "").await, StatusCode::FORBIDDEN);

    // An overlap out of range names the field.
    for days in ["0", "365", "soon"] {
        let bad = t.form("/peers/own-keys/rotation", Some(focal), &[("overlap_days", days)]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{days}: {}", bad.body);
        assert!(bad.body.contains("id=\"err-overlap_days\""), "{}", bad.body);
    }
    assert_eq!(audited(t, "own_keys_rotated").await, 0);

    // The button on /peers rotates with the default overlap and shows the entry to hand out.
    let rotated = t.form("/peers/own-keys/rotation", Some(focal), &[]).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    assert!(rotated.body.contains("id=\"new-entry\""), "{}", rotated.body);
    assert_eq!(rotated.body.matches("data-status=\"valid\"").count(), 4, "old and new keys during the overlap");
    assert_eq!(audited(t, "own_keys_rotated").await, 1);
    // Still signing with the old key during the overlap.
    assert_eq!(t.app.own_directory_entry(Acting::Operator).await.expect("entry").identity.signing_key_id, old);
    // A second rotation during the overlap is a conflict, in the page and the API.
    let again = t.form("/peers/own-keys/rotation", Some(focal), &[("overlap_days", "7")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let api = t.call(Method::POST, "/api/v1/exchange/own-keys/rotation", Some(focal), Some(json!({}))).await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
    let api =
        t.call(Method::POST, "/api/v1/exchange/own-keys/rotation", Some(focal), Some(json!({"overlap_days": 0}))).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["error"]["field"], "overlap_days");

    // After the overlap: the new key signs; retiring deletes the old ones (page and API).
    t.clock.set(START + 15 * 86_400);
    let focal = &t.login("focal", &w.focal_password).await;
    let page = t.page("/peers/own-keys", Some(focal)).await;
    assert_eq!(page.body.matches("data-status=\"expired\"").count(), 2, "{}", page.body);
    let retired = t.form("/peers/own-keys/retirement", Some(focal), &[]).await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);
    assert_eq!(retired.body.matches("data-status=\"valid\"").count(), 2);
    assert!(!retired.body.contains(&old));
    assert_eq!(audited(t, "own_keys_retired").await, 1);
    let api = t.call(Method::POST, "/api/v1/exchange/own-keys/retirement", Some(focal), None).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert!(api.json()["retired"].as_array().expect("list").is_empty(), "nothing more to retire");
    let api =
        t.call(Method::POST, "/api/v1/exchange/own-keys/rotation", Some(focal), Some(json!({"overlap_days": 3}))).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert!(api.json()["entry"].as_str().expect("entry").contains("signed_by"));

    in_latvian(t, focal).await;
    let page = t.page("/peers/own-keys", Some(focal)).await;
    assert!(page.body.contains("Šīs instances atslēgas") && page.body.contains("Nomainīt atslēgas"), "{}", page.body);
}

#[tokio::test]
async fn the_eu_level_reads_persons_counted_once_across_borders_next_to_the_sum_of_national_counts() {
    // LV encodes its identified persons...
    let lv = world().await;
    identified(&lv.t, &lv.worker, "Olena", "Kovalenko", "1999-03-14").await;
    identified(&lv.t, &lv.worker, "Ion", "Rusu", "1980-02-02").await;
    lv.t.app.store_person_linkage_secret_as(Acting::Operator, "2026-1", SECRET).await.expect("secret");
    let body = lv.t.app.prepare_person_encodings_as(Acting::Operator, 2026).await.expect("encodings");
    let lv_body = body.to_json().expect("json");
    // ...and EE sends the same two persons (identified in both countries).
    let mut ee: serde_json::Value = serde_json::from_slice(&lv_body).expect("json");
    ee["country"] = json!("EE");
    let ee_body = serde_json::to_vec(&ee).expect("json");

    let hub = TestApp::new().await;
    for (sender, body) in [("LV", lv_body), ("EE", ee_body)] {
        let message = ReceivedMessage {
            message_id: Uuid::now_v7(),
            sender: sender.into(),
            message_type: "person_encodings".into(),
            type_version: 1,
            body,
            envelope_sha256: "-".into(),
            received_at: t(START),
        };
        hub.app.on_person_encodings_received(&message).await.expect("stored");
    }
    let eu = hub.org("EU statistics office", "statistics_office", "EU").await;
    let password = hub.user("statistician", &eu, &["statistician"]).await;
    let statistician = hub.login("statistician", &password).await;
    let office = hub.org("National rapporteur", "national_rapporteur", "LV").await;
    let password = hub.user("rapporteur", &office, &["rapporteur"]).await;
    let rapporteur = hub.login("rapporteur", &password).await;
    let ngo = hub.org("NGO", "ngo", "LV").await;
    let password = hub.user("worker", &ngo, &["caseworker"]).await;
    let worker = hub.login("worker", &password).await;

    let page = hub.page("/statistics/eu/persons?year=2026", Some(&statistician)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<dd id=\"distinct\">2</dd>"), "{}", page.body);
    assert!(page.body.contains("<dd id=\"sum-of-national\">4</dd>"));
    assert!(page.body.contains("<dd id=\"in-several\">2</dd>"));
    assert!(page.body.contains("EE – LV") || page.body.contains("LV – EE"), "the overlap of the two countries");
    assert!(page.body.contains("Dice similarity of at least 0.8"), "the method stated");
    assert_eq!(
        hub.app
            .store()
            .count_unchecked("SELECT COUNT(*) FROM audit_log WHERE action = 'cross_border_persons_counted'")
            .await
            .expect("count"),
        1
    );
    // the EU page links to it
    let eu_page = hub.page("/statistics/eu?year=2026", Some(&statistician)).await;
    assert!(eu_page.body.contains("href=\"/statistics/eu/persons?year=2026\""), "{}", eu_page.body);
    // a year without encodings
    let empty = hub.page("/statistics/eu/persons?year=2025", Some(&statistician)).await;
    assert!(empty.body.contains("id=\"no-encodings\""));

    // The API.
    let api = hub.call(Method::GET, "/api/v1/hub/cross-border-persons?year=2026", Some(&statistician), None).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!((api.json()["distinct"].as_u64(), api.json()["sum_of_national"].as_u64()), (Some(2), Some(4)));
    assert_eq!(api.json()["by_countries"]["2"], 2);
    let year = hub.call(Method::GET, "/api/v1/hub/cross-border-persons?year=1999", Some(&statistician), None).await;
    assert_eq!(year.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(year.json()["error"]["field"], "year");

    // A national rapporteur reads its own statistics, not this count: 403, as a caseworker,
    // who has no statistics.
    let national = hub.call(Method::GET, "/api/v1/hub/cross-border-persons?year=2026", Some(&rapporteur), None).await;
    assert_eq!(national.status, StatusCode::FORBIDDEN, "{}", national.body);
    let page = hub.page("/statistics/eu/persons?year=2026", Some(&rapporteur)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains("id=\"distinct\""));
    assert_eq!(hub.page("/statistics/eu/persons?year=2026", Some(&worker)).await.status, StatusCode::FORBIDDEN);
    let api = hub.call(Method::GET, "/api/v1/hub/cross-border-persons?year=2026", Some(&worker), None).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);

    in_latvian(&hub, &statistician).await;
    let page = hub.page("/statistics/eu/persons?year=2026", Some(&statistician)).await;
    assert!(page.body.contains("Atšķirīgas personas ES") && page.body.contains("Personas pēc valstu skaita"));
}
