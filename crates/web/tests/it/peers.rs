//! `/peers`, the focal point's page of the exchange: this instance's entry with its signing key
//! read aloud, the pinned peers and their keys' status, and pinning, revoking and rotating through
//! the forms (CSRF, 422 naming the field), in English and Latvian; refused to a caseworker.

use crate::common::{START, Session, TestApp};
use axum::http::StatusCode;
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_domain::{Coded, Permission, Role, permission_allowed};
use haven_exchange::{
    DirectoryEntry, EncryptionKeyPair, InstanceId, PeerRole, PublishedKey, SignedEntry, SigningKeyPair,
};
use time::OffsetDateTime;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

/// The EE instance's first signed entry, and its signing key id.
fn ee_entry() -> (String, String) {
    let signing = SigningKeyPair::from_seed(&[5; 32]);
    let encryption = EncryptionKeyPair::derive(&[6; 32]);
    let entry = DirectoryEntry {
        instance_id: InstanceId::parse("f", "EE").unwrap(),
        role: PeerRole::NationalFocalPoint,
        endpoint: "https://ee.haven.example/exchange".into(),
        sequence: 1,
        issued_at: t(START - 3600),
        signing_keys: vec![PublishedKey::new(signing.public_key(), t(START - 86_400))],
        encryption_keys: vec![PublishedKey::new(encryption.public_key(), t(START - 86_400))],
    };
    let json = String::from_utf8(SignedEntry::sign(&entry, &signing).unwrap().to_json()).unwrap();
    (json, signing.key_id().as_str().to_owned())
}

/// A role that manages the peers, other than the administrator (who must enrol TOTP first).
fn focal_point_role() -> &'static str {
    Role::ALL
        .iter()
        .find(|r| **r != Role::Administrator && permission_allowed(&[**r], Permission::ManagePeers))
        .map(|r| r.code())
        .unwrap()
}

async fn world() -> (TestApp, Session, Session) {
    let t = TestApp::new().await;
    let ministry = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let ngo = t.org("Patvērums", "ngo", "LV").await;
    let password = t.user("focal", &ministry, &[focal_point_role()]).await;
    let focal = t.login("focal", &password).await;
    let password = t.user("worker", &ngo, &["caseworker"]).await;
    let worker = t.login("worker", &password).await;
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    t.app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
    (t, focal, worker)
}

#[tokio::test]
async fn the_peers_page_shows_this_instance_to_read_aloud_and_pins_revokes_in_english_and_latvian() {
    let (t, focal, worker) = world().await;
    let own = t.app.own_directory_entry(Acting::Operator).await.unwrap().identity;

    let page = t.page("/peers", Some(&focal)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Exchange peers"));
    assert!(page.body.contains(&own.signing_key_id));
    assert!(page.body.contains(&own.signing_key_spoken), "the fingerprint to read aloud");
    assert!(page.body.contains("id=\"no-peers\""));
    assert!(page.body.contains("name=\"csrf\""));

    // A caseworker has no business here.
    assert_eq!(t.page("/peers", Some(&worker)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.form("/peers", Some(&worker), &[("entry", "{}"), ("signing_key_id", "x")]).await.status,
        StatusCode::FORBIDDEN
    );

    // A bad entry, and an entry with another key than the one read out: 422 naming the field.
    let bad = t.form("/peers", Some(&focal), &[("entry", "not json"), ("signing_key_id", &own.signing_key_id)]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("id=\"err-add-entry\""), "{}", bad.body);
    assert!(bad.body.contains("not json"), "what was typed is shown again");
    let (entry, key_id) = ee_entry();
    let wrong = t.form("/peers", Some(&focal), &[("entry", &entry), ("signing_key_id", &own.signing_key_id)]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains("id=\"err-add-signing_key_id\""), "{}", wrong.body);
    assert!(t.app.peers(Acting::Operator).await.unwrap().is_empty());

    // Pinned with the key read out; then one of its keys revoked.
    let added = t.form("/peers", Some(&focal), &[("entry", &entry), ("signing_key_id", &key_id)]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = t.page("/peers", Some(&focal)).await;
    assert!(page.body.contains("id=\"peer-EE\""));
    assert!(page.body.contains(&key_id));
    assert!(page.body.contains("data-status=\"valid\""));
    let revoked = t.form("/peers/revoke", Some(&focal), &[("instance_id", "EE"), ("key_id", &key_id)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    let page = t.page("/peers", Some(&focal)).await;
    assert!(page.body.contains("data-status=\"revoked\""), "{}", page.body);
    // A rotation that is not a newer entry of a pinned peer names the entry.
    let stale = t.form("/peers/rotation", Some(&focal), &[("entry", &entry)]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
    assert!(stale.body.contains("id=\"err-rotate-entry\""), "{}", stale.body);

    // In Latvian.
    let switched = t.form("/account/language", Some(&focal), &[("language", "lv")]).await;
    assert!(switched.status.is_redirection() || switched.status.is_success(), "{}", switched.body);
    let page = t.page("/peers", Some(&focal)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Apmaiņas partnerinstances"), "{}", page.body);
    assert!(page.body.contains("Atsaukta"));
    assert!(page.body.contains("Nolasīšanai balsī"));
}
