//! Page handlers' errors: the error page is in the reader's language, names the field in words,
//! and offers a way back that makes sense (the form that was sent, or the page above), not only
//! the home page; a problem with a form's field shows the form again with what was typed.

use crate::common::{Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

const PASSWORD: &str = "correct horse battery staple";

async fn caseworker(t: &TestApp, language: &str) -> Session {
    let ngo = t.org("Patvērums Drošā Māja", "ngo", "LV").await;
    t.user("casey", &ngo, &["caseworker"]).await;
    let s = t.login("casey", PASSWORD).await;
    if language != "en" {
        let reply = t.form("/account/language", Some(&s), &[("language", language)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    s
}

/// A form post sent from `from` (the browser's Referer).
async fn post_from(t: &TestApp, s: &Session, path: &str, from: &str, fields: &[(&str, &str)]) -> crate::common::Reply {
    let mut pairs: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    pairs.push(("csrf".into(), s.csrf.clone()));
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", "localhost")
        .header("referer", format!("http://localhost{from}"))
        .header("cookie", &s.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
        .unwrap();
    t.send(req).await
}

#[tokio::test]
async fn a_missing_record_is_a_404_page_in_the_users_language_leading_to_the_page_above() {
    let t = TestApp::new().await;
    let s = caseworker(&t, "lv").await;
    let reply = t.page("/referrals/no-such-referral", Some(&s)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("<html lang=\"lv\">"), "{}", reply.body);
    assert!(reply.body.contains("Šeit nekā nav"), "{}", reply.body);
    assert!(reply.body.contains("<a href=\"/referrals\">Atpakaļ uz iepriekšējo lapu</a>"), "{}", reply.body);
    assert!(reply.body.contains("<a href=\"/\">Atpakaļ uz sākumlapu</a>"), "{}", reply.body);
    // The user's navigation is there: the page is not a dead end.
    assert!(reply.body.contains("href=\"/cases\""), "{}", reply.body);
}

#[tokio::test]
async fn a_failed_form_post_leads_back_to_the_form_it_came_from_never_to_another_site() {
    let t = TestApp::new().await;
    let s = caseworker(&t, "en").await;
    let from = "/cases/no-such-case";
    let reply = post_from(&t, &s, "/cases/no-such-case/decisions", from, &[("kind", "negative")]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert!(reply.body.contains("<a href=\"/cases/no-such-case\">Back to the form</a>"), "{}", reply.body);

    let req = Request::builder()
        .method(Method::GET)
        .uri("/referrals/no-such-referral")
        .header("host", "localhost")
        .header("referer", "https://elsewhere.example/phish")
        .header("cookie", &s.cookie)
        .body(Body::empty())
        .unwrap();
    let reply = t.send(req).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.body.contains("elsewhere.example"), "{}", reply.body);
    assert!(reply.body.contains("<a href=\"/referrals\">Back to the previous page</a>"), "{}", reply.body);
}

#[tokio::test]
async fn a_form_value_of_the_wrong_type_is_a_422_naming_the_field_in_the_users_language() {
    for (language, field, back) in
        [("en", "(field: version)", "Back to the form"), ("lv", "(lauks: version)", "Atpakaļ uz veidlapu")]
    {
        let t = TestApp::new().await;
        let s = caseworker(&t, language).await;
        let from = "/cases/c1/support";
        let reply =
            post_from(&t, &s, "/cases/c1/plan/i1/status", from, &[("status", "in_progress"), ("version", "three")])
                .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert!(reply.body.contains(field), "{language}: {}", reply.body);
        assert!(reply.body.contains(&format!("<a href=\"{from}\">{back}</a>")), "{language}: {}", reply.body);
    }
}

/// The problem of a refused form is next to its input (marked, and described by the message).
fn problem_at(body: &str, input: &str) -> bool {
    body.contains(&format!("id=\"err-{input}\""))
        && body.contains(&format!("aria-invalid=\"true\" aria-describedby=\"err-{input}\""))
}

#[tokio::test]
async fn the_account_forms_show_their_problem_next_to_the_field_in_the_users_language() {
    let t = TestApp::new().await;
    let s = caseworker(&t, "lv").await;
    // Two new passwords that differ: in Latvian, next to the confirmation, in the password section.
    let reply = t
        .form(
            "/account/password",
            Some(&s),
            &[
                ("current_password", PASSWORD),
                ("new_password", "a new long passphrase"),
                ("confirm_password", "another long passphrase"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(problem_at(&reply.body, "confirm_password"), "{}", reply.body);
    assert!(reply.body.contains("Abas jaunās paroles nesakrīt."), "{}", reply.body);
    // A wrong current password changes nothing: the session goes on.
    let reply = t
        .form(
            "/account/password",
            Some(&s),
            &[
                ("current_password", "not my password at all"),
                ("new_password", "a new long passphrase"),
                ("confirm_password", "a new long passphrase"),
            ],
        )
        .await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert_eq!(t.page("/account", Some(&s)).await.status, StatusCode::OK);
    // A token name too long: next to the name, kept as typed.
    let name = "n".repeat(101);
    let reply = t.form("/account/tokens", Some(&s), &[("name", &name)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(problem_at(&reply.body, "token-name"), "{}", reply.body);
    assert!(reply.body.contains(&format!("value=\"{name}\"")), "{}", reply.body);
    assert!(reply.body.contains("<html lang=\"lv\">"));
}

#[tokio::test]
async fn a_set_up_refused_keeps_the_username_with_the_problem_next_to_the_field() {
    let t = TestApp::new().await;
    let fields = [
        ("username", "anna.ozola"),
        ("code", "not-a-code"),
        ("new_password", "a long enough passphrase"),
        ("confirm_password", "a different passphrase"),
    ];
    let reply = t.form("/setup", None, &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(problem_at(&reply.body, "confirm_password"), "{}", reply.body);
    assert!(reply.body.contains("value=\"anna.ozola\""), "{}", reply.body);
    // With matching passwords, a wrong code is named without telling which part was wrong.
    let mut fields = fields;
    fields[3].1 = fields[2].1;
    let reply = t.form("/setup", None, &fields).await;
    assert!(reply.status.is_client_error(), "{}", reply.body);
    assert!(problem_at(&reply.body, "code"), "{}", reply.body);
    assert!(reply.body.contains("value=\"anna.ozola\""), "{}", reply.body);
}
