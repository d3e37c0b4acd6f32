//! The person register's review page (`/persons/review`): the data officer's alone, in the
//! reader's language, answering with a form that carries the CSRF token, re-training on demand.

use crate::common::{Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::json;

struct World {
    t: TestApp,
    officer: Session,
    caseworker: Session,
    rapporteur: Session,
    foreign_officer: Session,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ca = t.org("Competent Authority", "competent_authority", "LV").await;
    let ngo = t.org("NGO A", "ngo", "LV").await;
    let rap = t.org("Rapporteur", "national_rapporteur", "LV").await;
    let ee = t.org("Estonian Authority", "competent_authority", "EE").await;
    let mut sessions = Vec::new();
    for (name, org, role) in [
        ("data.officer", &ca, "data_officer"),
        ("case.worker", &ngo, "caseworker"),
        ("rapporteur", &rap, "rapporteur"),
        ("ee.officer", &ee, "data_officer"),
    ] {
        let password = t.user(name, org, &[role]).await;
        sessions.push(t.login(name, &password).await);
    }
    let mut s = sessions.into_iter();
    let (officer, caseworker, rapporteur, foreign_officer) =
        (s.next().unwrap(), s.next().unwrap(), s.next().unwrap(), s.next().unwrap());
    World { t, officer, caseworker, rapporteur, foreign_officer }
}

async fn register_twins(w: &World) {
    for _ in 0..2 {
        let reply =
            w.t.call(
                Method::POST,
                "/api/v1/registrations",
                Some(&w.caseworker),
                Some(json!({"person": {"given_names": "Olena", "family_names": "Kovalenko"}})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
}

/// The value of a hidden input in a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap_or_else(|| panic!("no {name} in {body}")) + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn only_the_data_officer_opens_the_review_and_another_countrys_sees_no_pair() {
    let w = world().await;
    register_twins(&w).await;
    for s in [&w.caseworker, &w.rapporteur] {
        assert_eq!(w.t.page("/persons/review", Some(s)).await.status, StatusCode::FORBIDDEN);
        let reply = w.t.form("/persons/review/retrain", Some(s), &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    let page = w.t.page("/persons/review", Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Kovalenko") && page.body.contains("name=\"answer\" value=\"different\""));
    let foreign = w.t.page("/persons/review", Some(&w.foreign_officer)).await;
    assert_eq!(foreign.status, StatusCode::OK);
    assert!(!foreign.body.contains("Kovalenko") && !foreign.body.contains("name=\"case_a\""), "{}", foreign.body);
    // Nor may it answer about the Latvian pair.
    let (a, b) = (hidden(&page.body, "case_a"), hidden(&page.body, "case_b"));
    let reply =
        w.t.form(
            "/persons/review/answers",
            Some(&w.foreign_officer),
            &[("case_a", &a), ("case_b", &b), ("answer", "same")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_answer_is_a_form_with_its_token_and_counts_and_retraining_shows_the_thresholds() {
    let w = world().await;
    register_twins(&w).await;
    let page = w.t.page("/persons/review", Some(&w.officer)).await;
    let (a, b) = (hidden(&page.body, "case_a"), hidden(&page.body, "case_b"));
    // Without the token: refused.
    let mut stolen = w.officer.clone();
    stolen.csrf = "forged".into();
    let reply =
        w.t.form("/persons/review/answers", Some(&stolen), &[("case_a", &a), ("case_b", &b), ("answer", "same")]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply =
        w.t.form(
            "/persons/review/answers",
            Some(&w.officer),
            &[("case_a", &a), ("case_b", &b), ("answer", "same"), ("question", "uncertain")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = w.t.page("/persons/review", Some(&w.officer)).await;
    assert!(!page.body.contains("name=\"case_a\""), "answered, not asked again");
    let answers = w.t.app.store().count_unchecked("SELECT COUNT(*) FROM person_review_answers").await.unwrap();
    assert_eq!(answers, 1);
    let reply = w.t.form("/persons/review/retrain", Some(&w.officer), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Threshold before") && reply.body.contains("Threshold after"), "{}", reply.body);
}

#[tokio::test]
async fn the_review_page_speaks_latvian() {
    let w = world().await;
    register_twins(&w).await;
    let reply = w.t.form("/account/language", Some(&w.officer), &[("language", "lv")]).await;
    assert!(reply.status.is_redirection() || reply.status.is_success(), "{}", reply.status);
    let page = w.t.page("/persons/review", Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in
        ["Personu reģistra pārskatīšana", "Viena persona", "Dažādas personas", "Nav skaidrs", "Pārapmācīt modeli"]
    {
        assert!(page.body.contains(text), "{text} missing");
    }
    assert!(!page.body.contains("Same person") && !page.body.contains("Re-train the model"));
}
