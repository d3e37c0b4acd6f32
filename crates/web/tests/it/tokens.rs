//! Credentials that expire and die with the powers they were issued under (issue 13, holes 3
//! and 6): API tokens expire; a password reset or change, disabling, a role change and a change
//! or removal of the second factor revoke every session and API token of the user, audited;
//! the second factor is set up, replaced or removed only with the password and a current code.

use crate::common::{ClockExt, Reply, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_crypto::TotpSecret;
use serde_json::json;

const PASSWORD: &str = "correct horse battery staple";

/// An NGO caseworker `anna` (LV), logged in, with one API token.
async fn anna(t: &TestApp) -> (Session, String) {
    let ngo = t.org("NGO", "ngo", "LV").await;
    t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let s = t.login("anna", PASSWORD).await;
    let created = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "script"}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    (s, created.json()["token"].as_str().unwrap().to_owned())
}

async fn with_token(t: &TestApp, token: &str, path: &str) -> Reply {
    let req = Request::builder()
        .method("GET")
        .uri(path)
        .header("host", "localhost")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    t.send(req).await
}

async fn assert_dead(t: &TestApp, s: &Session, token: &str, why: &str) {
    assert_eq!(with_token(t, token, "/api/v1/cases").await.status, StatusCode::UNAUTHORIZED, "token after {why}");
    assert_eq!(
        t.call(Method::GET, "/api/v1/me", Some(s), None).await.status,
        StatusCode::UNAUTHORIZED,
        "session after {why}"
    );
}

/// The audit log holds a `credentials_revoked` entry caused by `cause` for the user.
async fn assert_revocation_audited(t: &TestApp, cause: &str) {
    let user = t.app.store().user_by_username("anna").await.unwrap();
    let log = t.app.store().audit_entries(0, 10_000).await.unwrap();
    let found = log.iter().any(|e| {
        e.event.action.to_string() == "credentials_revoked"
            && e.event.target_id.as_deref() == Some(user.id.as_str())
            && e.event
                .detail
                .as_deref()
                .is_some_and(|d| d.starts_with(&format!("cause={cause},")) && !d.ends_with("tokens=0"))
    });
    assert!(found, "no credentials_revoked entry for {cause}");
}

#[tokio::test]
async fn api_tokens_expire_after_the_configured_lifetime_and_the_list_says_when() {
    let t = TestApp::new().await;
    let (s, token) = anna(&t).await;
    let created_at = t.clock.now_u64() as i64;
    t.clock.advance(60);
    assert_eq!(with_token(&t, &token, "/api/v1/cases").await.status, StatusCode::OK);
    let list = t.call(Method::GET, "/api/v1/tokens", Some(&s), None).await.json();
    assert_eq!(list[0]["created_at"], created_at);
    assert_eq!(list[0]["last_used_at"], created_at + 60);
    assert_eq!(list[0]["expires_at"], created_at + 90 * 86_400, "90 days by default");
    let page = t.page("/account", Some(&s)).await;
    assert!(page.body.contains("Expires") && page.body.contains("Last used"), "the account page lists expiry");

    // One second before the end it still works; at the end it does not.
    t.clock.advance(90 * 86_400 - 61);
    let fresh = t.login("anna", PASSWORD).await;
    assert_eq!(with_token(&t, &token, "/api/v1/cases").await.status, StatusCode::OK);
    t.clock.advance(1);
    assert_eq!(with_token(&t, &token, "/api/v1/cases").await.status, StatusCode::UNAUTHORIZED);
    let page = t.page("/account", Some(&fresh)).await;
    assert!(page.body.contains("Expired"), "the account page marks it expired");
}

#[tokio::test]
async fn an_administrators_password_reset_revokes_every_session_and_api_token() {
    let t = TestApp::new().await;
    let (s, token) = anna(&t).await;
    let authority = t.org("Competent Authority", "competent_authority", "LV").await;
    let admin = t.admin("lv.admin", &authority).await;
    let reply = t.call(Method::POST, "/api/v1/users/anna/reset-password", Some(&admin), None).await;
    assert!(reply.status.is_success(), "{}: {}", reply.status, reply.body);
    assert_dead(&t, &s, &token, "a password reset").await;
    assert_revocation_audited(&t, "password_reset").await;
}

#[tokio::test]
async fn disabling_and_a_role_change_revoke_every_session_and_api_token() {
    let t = TestApp::new().await;
    let (s, token) = anna(&t).await;
    let authority = t.org("Competent Authority", "competent_authority", "LV").await;
    let admin = t.admin("lv.admin", &authority).await;
    // Taking a role away.
    let reply =
        t.call(Method::PUT, "/api/v1/users/anna/roles", Some(&admin), Some(json!({"roles": ["caseworker"]}))).await;
    assert!(reply.status.is_success(), "{}: {}", reply.status, reply.body);
    assert_dead(&t, &s, &token, "a role change").await;
    assert_revocation_audited(&t, "roles_changed").await;

    let s = t.login("anna", PASSWORD).await;
    let token = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "again"}))).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = t.call(Method::POST, "/api/v1/users/anna/disable", Some(&admin), None).await;
    assert!(reply.status.is_success(), "{}: {}", reply.status, reply.body);
    let reply = t.call(Method::POST, "/api/v1/users/anna/enable", Some(&admin), None).await;
    assert!(reply.status.is_success(), "{}: {}", reply.status, reply.body);
    assert_dead(&t, &s, &token, "disabling and enabling again").await;
    assert_revocation_audited(&t, "user_disabled").await;
}

#[tokio::test]
async fn changing_the_own_password_revokes_api_tokens_and_every_session_this_one_included() {
    let t = TestApp::new().await;
    let (s, token) = anna(&t).await;
    let other = t.login("anna", PASSWORD).await;
    let new = "a much longer passphrase";
    let reply = t
        .form(
            "/account/password",
            Some(&s),
            &[("current_password", PASSWORD), ("new_password", new), ("confirm_password", new)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_dead(&t, &s, &token, "the own password change").await;
    assert_dead(&t, &other, &token, "the own password change (another session)").await;
    assert_revocation_audited(&t, "password_changed").await;
    t.login("anna", new).await;
}

/// Starts an enrolment on the account page and returns the secret it offers.
async fn offered_secret(t: &TestApp, s: &Session) -> String {
    let reply = t.form("/account/totp", Some(s), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.split("name=\"secret\" value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap().to_owned()
}

#[tokio::test]
async fn the_second_factor_setup_shows_a_server_drawn_qr_code_and_needs_the_password() {
    let t = TestApp::new().await;
    let (s, _) = anna(&t).await;
    let reply = t.form("/account/totp", Some(&s), &[]).await;
    // A QR code of the otpauth URI, as an SVG image drawn on the server: no script.
    let img = reply.body.split("<img class=\"qr\" src=\"").nth(1).and_then(|v| v.split('"').next()).unwrap();
    let img = img.replace("&#60;", "<").replace("&#62;", ">").replace("&#34;", "\"").replace("&lt;", "<");
    assert!(img.starts_with("data:image/svg+xml,<svg "), "an SVG image");
    assert!(img.contains("<path fill=\"%23000\" d=\"M"), "the modules are drawn");
    assert!(!reply.body.contains("<script>"));
    let secret = reply.body.split("name=\"secret\" value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap();
    let grouped: Vec<String> = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    assert!(reply.body.contains(&grouped.join(" ")), "the secret is also shown as text");
    let totp = TotpSecret::from_base32(secret).unwrap();

    // Without the password (or with a wrong one) nothing is stored.
    let code = totp.code_at(t.clock.now_u64());
    for password in ["", "wrong password entirely"] {
        let reply =
            t.form("/account/totp", Some(&s), &[("secret", secret), ("code", &code), ("password", password)]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("aria-invalid=\"true\""));
    }
    assert!(t.app.store().user_by_username("anna").await.unwrap().totp_secret.is_none());
    let reply = t.form("/account/totp", Some(&s), &[("secret", secret), ("code", &code), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // A first enrolment keeps the session.
    assert_eq!(t.call(Method::GET, "/api/v1/me", Some(&s), None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn replacing_the_second_factor_needs_the_password_and_a_current_code_and_revokes_everything() {
    let t = TestApp::new().await;
    let (_, _) = anna(&t).await;
    let old = t.enrol_totp("anna", PASSWORD).await;
    let s = t.login_with("anna", PASSWORD, Some(&old.code_at(t.clock.now_u64()))).await;
    let token = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "x"}))).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    t.clock.advance(30);
    let secret = offered_secret(&t, &s).await;
    let new = TotpSecret::from_base32(&secret).unwrap();
    let code = new.code_at(t.clock.now_u64());
    let current = old.code_at(t.clock.now_u64());
    // The signed-in session alone (the hole), the password alone, a wrong current code: refused.
    for fields in [
        vec![("secret", secret.as_str()), ("code", code.as_str())],
        vec![("secret", &secret), ("code", &code), ("password", PASSWORD)],
        vec![("secret", &secret), ("code", &code), ("password", PASSWORD), ("current_code", &code)],
        vec![("secret", &secret), ("code", &code), ("password", "not the password"), ("current_code", &current)],
    ] {
        let reply = t.form("/account/totp", Some(&s), &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
    }
    let stored = t.app.store().user_by_username("anna").await.unwrap().totp_secret;
    assert_eq!(with_token(&t, &token, "/api/v1/cases").await.status, StatusCode::OK, "nothing changed yet");

    let reply = t
        .form(
            "/account/totp",
            Some(&s),
            &[("secret", &secret), ("code", &code), ("password", PASSWORD), ("current_code", &current)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_ne!(t.app.store().user_by_username("anna").await.unwrap().totp_secret, stored);
    assert_dead(&t, &s, &token, "a second factor change").await;
    assert_revocation_audited(&t, "totp_changed").await;
    t.clock.advance(30);
    t.login_with("anna", PASSWORD, Some(&new.code_at(t.clock.now_u64()))).await;
}

#[tokio::test]
async fn removing_the_second_factor_needs_the_password_and_a_current_code_and_revokes_everything() {
    let t = TestApp::new().await;
    let (_, _) = anna(&t).await;
    let totp = t.enrol_totp("anna", PASSWORD).await;
    let s = t.login_with("anna", PASSWORD, Some(&totp.code_at(t.clock.now_u64()))).await;
    let token = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "x"}))).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    t.clock.advance(30);
    let code = totp.code_at(t.clock.now_u64());
    let page = t.page("/account", Some(&s)).await;
    assert!(page.body.contains("name=\"action\" value=\"remove\""), "the account page offers removal");
    for fields in [
        vec![("action", "remove")],
        vec![("action", "remove"), ("password", PASSWORD)],
        vec![("action", "remove"), ("password", PASSWORD), ("current_code", "000000")],
    ] {
        let reply = t.form("/account/totp", Some(&s), &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
    }
    assert!(t.app.store().user_by_username("anna").await.unwrap().totp_secret.is_some());
    let reply = t
        .form("/account/totp", Some(&s), &[("action", "remove"), ("password", PASSWORD), ("current_code", &code)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(t.app.store().user_by_username("anna").await.unwrap().totp_secret.is_none());
    assert_dead(&t, &s, &token, "removing the second factor").await;
    assert_revocation_audited(&t, "totp_removed").await;
    t.login("anna", PASSWORD).await;
}

/// A stolen session cannot be used to guess the password through the account page: after a few
/// wrong passwords the form holds back even the right one, and every failure is audited.
#[tokio::test]
async fn a_signed_in_session_cannot_guess_the_password_on_the_account_page() {
    let t = TestApp::new().await;
    let (s, _) = anna(&t).await;
    let change = |current: &str| {
        let new = "a brand new passphrase";
        vec![
            ("current_password".to_owned(), current.to_owned()),
            ("new_password".to_owned(), new.to_owned()),
            ("confirm_password".to_owned(), new.to_owned()),
        ]
    };
    let post = async |current: &str| {
        let fields = change(current);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        t.form("/account/password", Some(&s), &fields).await
    };
    let mut refused = 0;
    for i in 0..7 {
        let reply = post(&format!("guess number {i}")).await;
        match reply.status {
            StatusCode::UNPROCESSABLE_ENTITY => refused += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert_eq!(refused, 5, "after five wrong passwords the form holds back");
    assert_eq!(post(PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    let failures = t
        .app
        .store()
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.event.action.to_string() == "login_failed")
        .count();
    assert_eq!(failures, 5);
    // After the back-off the owner changes it.
    t.clock.advance(60);
    let reply = post(PASSWORD).await;
    assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
}
