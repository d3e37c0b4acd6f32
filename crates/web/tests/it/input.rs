//! Bad input gets a 4xx naming the field, never a 500, and nothing is half-written.

use crate::common::{Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use proptest::prelude::*;
use serde_json::json;

async fn setup() -> (TestApp, Session) {
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let s = t.login("anna", &password).await;
    (t, s)
}

fn raw(s: &Session, body: Vec<u8>, content_type: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/api/v1/cases")
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap()
}

async fn case_count(t: &TestApp) -> i64 {
    t.app.store().count_cases().await.unwrap()
}

/// What is sent, how, and what must come back: (name, body, content type, status, field).
type BadInput<'a> = (&'a str, Vec<u8>, &'a str, StatusCode, Option<&'a str>);

#[tokio::test]
async fn each_kind_of_bad_input_gets_a_4xx_that_names_the_field() {
    let (t, s) = setup().await;
    let cases: Vec<BadInput<'_>> = vec![
        ("malformed JSON", b"{\"person\": {".to_vec(), "application/json", StatusCode::BAD_REQUEST, None),
        ("not an object", b"[1,2]".to_vec(), "application/json", StatusCode::BAD_REQUEST, None),
        (
            "wrong type",
            json!({"person": {"given_names": 5, "family_names": "B", "sex": "male"}}).to_string().into_bytes(),
            "application/json",
            StatusCode::BAD_REQUEST,
            Some("person.given_names"),
        ),
        (
            "missing field",
            json!({"person": {"given_names": "A", "sex": "male"}}).to_string().into_bytes(),
            "application/json",
            StatusCode::BAD_REQUEST,
            Some("person"),
        ),
        (
            "unknown field",
            json!({"person": {"given_names": "A", "family_names": "B", "sex": "male", "religion": "x"}})
                .to_string()
                .into_bytes(),
            "application/json",
            StatusCode::BAD_REQUEST,
            Some("person"),
        ),
        (
            "unknown enum value",
            json!({"person": {"given_names": "A", "family_names": "B", "sex": "alien"}}).to_string().into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("person.sex"),
        ),
        (
            "impossible date",
            json!({"person": {"given_names": "A", "family_names": "B", "sex": "male", "date_of_birth": "2023-02-29"}})
                .to_string()
                .into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("person.date_of_birth"),
        ),
        (
            "empty name",
            json!({"person": {"given_names": "   ", "family_names": "B", "sex": "male"}}).to_string().into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("person.given_names"),
        ),
        (
            "control characters",
            json!({"person": {"given_names": "A\u{0007}", "family_names": "B", "sex": "male"}})
                .to_string()
                .into_bytes(),
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("person.given_names"),
        ),
        (
            "invalid UTF-8",
            [
                b"{\"person\": {\"given_names\": \"".as_slice(),
                &[0xff, 0xfe],
                b"\", \"family_names\": \"B\", \"sex\": \"male\"}}",
            ]
            .concat(),
            "application/json",
            StatusCode::BAD_REQUEST,
            None,
        ),
        ("wrong content type", b"given_names=A".to_vec(), "text/plain", StatusCode::UNSUPPORTED_MEDIA_TYPE, None),
        ("oversize body", vec![b' '; 2 * 1024 * 1024], "application/json", StatusCode::PAYLOAD_TOO_LARGE, None),
        (
            "trailing garbage",
            b"{\"person\": {\"given_names\": \"A\", \"family_names\": \"B\", \"sex\": \"male\"}} x".to_vec(),
            "application/json",
            StatusCode::BAD_REQUEST,
            None,
        ),
    ];
    for (what, body, content_type, status, field) in cases {
        let reply = t.send(raw(&s, body, content_type)).await;
        assert_eq!(reply.status, status, "{what}: {}", reply.body);
        let error = &reply.json()["error"];
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}");
        if let Some(field) = field {
            let named = error["field"].as_str().unwrap_or_default().to_owned();
            assert!(
                named.starts_with(field)
                    || error["message"].as_str().unwrap().contains(field.rsplit('.').next().unwrap()),
                "{what}: {}",
                reply.body
            );
        }
        assert_eq!(case_count(&t).await, 0, "{what} wrote something");
    }
}

#[tokio::test]
async fn markup_and_sql_in_text_are_stored_as_text_and_escaped_on_pages() {
    let (t, s) = setup().await;
    let evil = "<script>alert(1)</script>'); DROP TABLE cases;--";
    let reply = t
        .call(
            Method::POST,
            "/api/v1/cases",
            Some(&s),
            Some(json!({"person": {"given_names": evil, "family_names": "O'Brien \"x\"", "sex": "female"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let back = t.call(Method::GET, &format!("/api/v1/cases/{id}"), Some(&s), None).await.json();
    assert_eq!(back["person"]["given_names"], evil);
    assert_eq!(back["person"]["family_names"], "O'Brien \"x\"");
    assert_eq!(case_count(&t).await, 1);
    let page = t.page(&format!("/cases/{id}"), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(
        page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn unknown_query_parameters_and_bad_ids_are_client_errors() {
    let (t, s) = setup().await;
    assert_eq!(t.call(Method::GET, "/api/v1/cases?limit=abc", Some(&s), None).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.call(Method::GET, "/api/v1/cases/not-a-uuid", Some(&s), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call(Method::GET, "/api/v1/cases/'%20OR%201=1--", Some(&s), None).await.status, StatusCode::NOT_FOUND);
    let r = t
        .call(
            Method::GET,
            "/api/v1/cases/00000000-0000-0000-0000-000000000000/notes?compartment=gossip",
            Some(&s),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["field"], "compartment");
}

#[tokio::test]
async fn a_failed_write_leaves_no_trace() {
    let (t, s) = setup().await;
    let before = t.app.store().audit_entries(0, 10_000).await.unwrap().len();
    let orgs_before = t.app.store().organisations().await.unwrap().len();
    // A duplicate username: the user is not created and no audit entry claims it was.
    let ngo = t.app.store().organisations().await.unwrap()[0].id.clone();
    let new = haven_app::admin::NewUser {
        username: "anna".into(),
        display_name: "Second Anna".into(),
        organisation_id: ngo,
        roles: vec!["caseworker".into()],
        password: None,
        language: None,
    };
    let err = t.app.create_user(haven_app::admin::Acting::Operator, &new).await.unwrap_err();
    assert!(matches!(err, haven_app::AppError::ConflictSaid { .. }));
    let after = t.app.store().audit_entries(0, 10_000).await.unwrap().len();
    assert_eq!(before, after);
    assert_eq!(orgs_before, t.app.store().organisations().await.unwrap().len());
    let _ = s;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Whatever bytes arrive, the answer is a 4xx or a 201, never a 5xx.
    #[test]
    fn any_body_gets_a_client_error_or_success(body in proptest::collection::vec(any::<u8>(), 0..300), json_like in any::<bool>()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (t, s) = setup().await;
            let body = if json_like {
                let mut b = b"{\"person\":{\"given_names\":\"".to_vec();
                b.extend_from_slice(&body);
                b.extend_from_slice(b"\",\"family_names\":\"B\",\"sex\":\"male\"}}");
                b
            } else {
                body
            };
            let reply = t.send(raw(&s, body, "application/json")).await;
            prop_assert!(reply.status.is_client_error() || reply.status == StatusCode::CREATED, "{} {}", reply.status, reply.body);
            Ok(())
        })?;
    }
}
