//! Revoking this instance's own key at once from /peers/own-keys: the form (a key and a reason,
//! both labelled) for the focal point only, CSRF, the only current key refused 422 naming the
//! key, a blank reason 422 naming the reason, after a rotation the old key revoked (shown
//! revoked, no longer offered, audited), in English and Latvian.

use crate::common::{Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;

async fn without_csrf(t: &TestApp, s: &Session, body: &str) -> StatusCode {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/peers/own-keys/revocation")
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .expect("request");
    t.send(req).await.status
}

async fn revoked_audited(t: &TestApp) -> i64 {
    t.app
        .store()
        .count_unchecked("SELECT COUNT(*) FROM audit_log WHERE action = 'own_key_revoked'")
        .await
        .expect("count")
}

#[tokio::test]
async fn the_focal_point_revokes_the_old_key_at_once_with_a_reason_from_the_own_keys_page() {
    let t = TestApp::new().await;
    let authority = t.org("Valsts komisija", "competent_authority", "LV").await;
    let ngo = t.org("Patvērums", "ngo", "LV").await;
    let password = t.user("focal", &authority, &["focal_point"]).await;
    let focal = t.login("focal", &password).await;
    let password = t.user("worker", &ngo, &["caseworker"]).await;
    let worker = t.login("worker", &password).await;
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    let old = t.app.instance_identity(Acting::Operator, Some(&setup)).await.expect("identity").signing_key_id;

    let page = t.page("/peers/own-keys", Some(&focal)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("action=\"/peers/own-keys/revocation\""), "{}", page.body);
    assert!(page.body.contains("<label for=\"key_id\">") && page.body.contains("<label for=\"reason\">"));
    let reason = [("key_id", old.as_str()), ("reason", "the laptop was stolen")];
    assert_eq!(t.form("/peers/own-keys/revocation", Some(&worker), &reason).await.status, StatusCode::FORBIDDEN);
    assert_eq!(without_csrf(&t, &focal, &format!("key_id={old}&reason=stolen")).await, StatusCode::FORBIDDEN);

    // The only current signing key: 422 naming the key, nothing revoked.
    let only = t.form("/peers/own-keys/revocation", Some(&focal), &reason).await;
    assert_eq!(only.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", only.body);
    assert!(only.body.contains("id=\"err-key_id\""), "{}", only.body);
    assert!(only.body.contains("the laptop was stolen"), "the reason typed is kept");
    // A blank reason: 422 naming the reason.
    let blank = t.form("/peers/own-keys/revocation", Some(&focal), &[("key_id", old.as_str()), ("reason", " ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", blank.body);
    assert!(blank.body.contains("id=\"err-reason\""), "{}", blank.body);
    assert_eq!(revoked_audited(&t).await, 0);

    // After a rotation the old key is revoked at once.
    assert_eq!(t.form("/peers/own-keys/rotation", Some(&focal), &[]).await.status, StatusCode::OK);
    let revoked = t.form("/peers/own-keys/revocation", Some(&focal), &reason).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert!(revoked.body.contains("id=\"revoked-announced\"") && revoked.body.contains("id=\"new-entry\""));
    assert_eq!(revoked.body.matches("data-status=\"revoked\"").count(), 1, "{}", revoked.body);
    assert!(!revoked.body.contains(&format!("<option value=\"{old}\"")), "a revoked key is no longer offered");
    assert_eq!(revoked_audited(&t).await, 1);
    assert_ne!(t.app.own_directory_entry(Acting::Operator).await.expect("entry").identity.signing_key_id, old);
    // Again: 422 naming the key.
    let again = t.form("/peers/own-keys/revocation", Some(&focal), &reason).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    assert!(again.body.contains("id=\"err-key_id\""));

    let switched = t.form("/account/language", Some(&focal), &[("language", "lv")]).await;
    assert!(switched.status.is_redirection() || switched.status.is_success(), "{}", switched.body);
    let page = t.page("/peers/own-keys", Some(&focal)).await;
    assert!(page.body.contains("Atsaukt atslēgu nekavējoties") && page.body.contains("Atsaukta"), "{}", page.body);
}
