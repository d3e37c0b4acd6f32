//! The re-link jobs of the person register, for the data officer: the page `/persons/relink`
//! (start with a confirmation and the CSRF token, progress and outcome, English and Latvian,
//! the problem at its input) and the JSON API `/api/v1/persons/relink-jobs` (list, one, start;
//! 4xx naming the field; in the OpenAPI document), refused to everyone else, audited.

use crate::common::{Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_app::Clock;
use serde_json::json;

struct World {
    t: TestApp,
    officer: Session,
    caseworker: Session,
    rapporteur: Session,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ca = t.org("Competent Authority", "competent_authority", "LV").await;
    let ngo = t.org("NGO A", "ngo", "LV").await;
    let rap = t.org("Rapporteur", "national_rapporteur", "LV").await;
    let mut sessions = Vec::new();
    for (name, org, role) in
        [("data.officer", &ca, "data_officer"), ("case.worker", &ngo, "caseworker"), ("rapporteur", &rap, "rapporteur")]
    {
        let password = t.user(name, org, &[role]).await;
        sessions.push(t.login(name, &password).await);
    }
    let mut s = sessions.into_iter();
    let (officer, caseworker, rapporteur) = (s.next().unwrap(), s.next().unwrap(), s.next().unwrap());
    World { t, officer, caseworker, rapporteur }
}

/// Registers and refers `n` registrations through the caseworker.
async fn referred(w: &World, n: usize) {
    for i in 0..n {
        let person =
            json!({"person": {"given_names": "Olena", "family_names": format!("Kovalenko{i}"), "sex": "female"}});
        let reply = w.t.call(Method::POST, "/api/v1/registrations", Some(&w.caseworker), Some(person)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let id = reply.json()["id"].as_str().unwrap().to_owned();
        let reply =
            w.t.call(
                Method::POST,
                &format!("/api/v1/registrations/{id}/submit"),
                Some(&w.caseworker),
                Some(json!({"version": 1})),
            )
            .await;
        assert!(reply.status.is_success(), "{}", reply.body);
    }
}

/// Follows a job through the API until it ends.
async fn ended(w: &World, id: &str) -> serde_json::Value {
    for _ in 0..600 {
        let reply = w.t.call(Method::GET, &format!("/api/v1/persons/relink-jobs/{id}"), Some(&w.officer), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let job = reply.json();
        if job["state"] != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the re-link {id} did not end")
}

#[tokio::test]
async fn only_the_data_officer_sees_and_starts_relinks() {
    let w = world().await;
    for s in [&w.caseworker, &w.rapporteur] {
        assert_eq!(w.t.page("/persons/relink", Some(s)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.t.form("/persons/relink", Some(s), &[("confirm", "on")]).await.status, StatusCode::FORBIDDEN);
        for (method, path, body) in [
            (Method::GET, "/api/v1/persons/relink-jobs", None),
            (Method::GET, "/api/v1/persons/relink-jobs/anything", None),
            (Method::POST, "/api/v1/persons/relink-jobs", Some(json!({"confirm": true}))),
        ] {
            let reply = w.t.call(method, path, Some(s), body).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
        }
    }
    let jobs = w.t.app.store().count_unchecked("SELECT COUNT(*) FROM linkage_jobs WHERE started_by IS NOT NULL").await;
    assert_eq!(jobs.unwrap(), 0);
    // The review page leads to the jobs; the navigation does not offer them to others.
    let review = w.t.page("/persons/review", Some(&w.officer)).await;
    assert!(review.body.contains("href=\"/persons/relink\""), "{}", review.body);
    let home = w.t.page("/", Some(&w.caseworker)).await;
    assert!(!home.body.contains("/persons/relink"));
}

#[tokio::test]
async fn the_api_starts_a_relink_and_follows_it_to_its_end_and_names_the_field_at_fault() {
    let w = world().await;
    referred(&w, 3).await;
    let list = w.t.call(Method::GET, "/api/v1/persons/relink-jobs", Some(&w.officer), None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let before = list.json()["jobs"].as_array().unwrap().len();
    // Bad input: 4xx with the field named, nothing started.
    for (body, status, field) in [
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY, "confirm"),
        (json!({"confirm": false}), StatusCode::UNPROCESSABLE_ENTITY, "confirm"),
        (json!({"confirm": "yes"}), StatusCode::BAD_REQUEST, "confirm"),
        (json!({"confirm": true, "model": 2}), StatusCode::BAD_REQUEST, "model"),
    ] {
        let reply = w.t.call(Method::POST, "/api/v1/persons/relink-jobs", Some(&w.officer), Some(body.clone())).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert_eq!(reply.json()["error"]["field"], field, "{body}: {}", reply.body);
    }
    for (query, status) in [
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("limit=101", StatusCode::UNPROCESSABLE_ENTITY),
        ("limit=many", StatusCode::BAD_REQUEST),
    ] {
        let reply =
            w.t.call(Method::GET, &format!("/api/v1/persons/relink-jobs?{query}"), Some(&w.officer), None).await;
        assert_eq!(reply.status, status, "{query}: {}", reply.body);
        assert_eq!(reply.json()["error"]["field"], "limit", "{query}: {}", reply.body);
    }
    let unknown = w.t.call(Method::GET, "/api/v1/persons/relink-jobs/no-such-job", Some(&w.officer), None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let reply =
        w.t.call(Method::POST, "/api/v1/persons/relink-jobs", Some(&w.officer), Some(json!({"confirm": true}))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let job = reply.json();
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(job["started_by"], w.t.app.store().user_by_username("data.officer").await.unwrap().id.as_str());
    let done = ended(&w, &id).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!((done["done"].as_i64(), done["total"].as_i64()), (Some(3), Some(3)), "{done}");
    assert_eq!(done["current_model"], true);
    let list = w.t.call(Method::GET, "/api/v1/persons/relink-jobs?limit=100", Some(&w.officer), None).await.json();
    assert_eq!(list["jobs"].as_array().unwrap().len(), before + 1);
    assert_eq!(list["jobs"][0]["id"], id.as_str(), "newest first");
    assert_eq!(list["running"], false);
    let audited =
        w.t.app
            .store()
            .count_unchecked(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'relink_started' AND target_id = '{id}'"
            ))
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_page_starts_a_relink_with_its_token_and_shows_the_problem_at_the_checkbox() {
    let w = world().await;
    referred(&w, 2).await;
    let page = w.t.page("/persons/relink", Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Re-linking the persons") && page.body.contains("name=\"csrf\""), "{}", page.body);
    assert!(page.body.contains("<label for=\"confirm\">"));
    // Without the token: refused, nothing started.
    let mut forged = w.officer.clone();
    forged.csrf = "forged".into();
    assert_eq!(w.t.form("/persons/relink", Some(&forged), &[("confirm", "on")]).await.status, StatusCode::FORBIDDEN);
    // Without the confirmation: the page again, 422, the problem at the checkbox.
    let reply = w.t.form("/persons/relink", Some(&w.officer), &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("aria-invalid=\"true\" aria-describedby=\"err-confirm\""), "{}", reply.body);
    assert!(reply.body.contains("confirm that the persons are to be re-linked"), "{}", reply.body);
    let started =
        w.t.app.store().count_unchecked("SELECT COUNT(*) FROM audit_log WHERE action = 'relink_started'").await;
    assert_eq!(started.unwrap(), 0);
    let reply = w.t.form("/persons/relink", Some(&w.officer), &[("confirm", "on")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let list = w.t.call(Method::GET, "/api/v1/persons/relink-jobs", Some(&w.officer), None).await.json();
    let id = list["jobs"][0]["id"].as_str().unwrap().to_owned();
    ended(&w, &id).await;
    let page = w.t.page("/persons/relink", Some(&w.officer)).await;
    assert!(page.body.contains("<progress max=\"100\" value=\"100\""), "{}", page.body);
    assert!(page.body.contains("2 / 2") && page.body.contains(">you<"), "{}", page.body);
}

#[tokio::test]
async fn a_job_interrupted_by_a_stop_shows_why_it_failed_in_latvian_too() {
    let w = world().await;
    let left = haven_storage::LinkageJobRow {
        id: "job-killed".into(),
        kind: "relink".into(),
        state: "running".into(),
        basis: vec![1],
        done: 4,
        total: 10,
        started_at: 1_780_000_000,
        ended_at: None,
        started_by: None,
        detail: None,
        // its process gave a sign of life a minute ago: it looks alive
        heartbeat_at: Some(w.t.clock.now() - 60),
    };
    w.t.app.store().start_linkage_job(&left).await.unwrap();
    let page = w.t.page("/persons/relink", Some(&w.officer)).await;
    assert!(page.body.contains("A re-link is running") && !page.body.contains("name=\"confirm\""), "{}", page.body);
    let reply =
        w.t.call(Method::POST, "/api/v1/persons/relink-jobs", Some(&w.officer), Some(json!({"confirm": true}))).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    // no heartbeat follows: once the last one is older than the limit, the clean-up (at
    // start-up, before a start, or while serving) ends it
    assert!(w.t.app.fail_interrupted_relinks().await.unwrap().is_empty());
    w.t.clock.advance(w.t.app.settings().relink_stale_seconds);
    assert_eq!(w.t.app.fail_interrupted_relinks().await.unwrap(), ["job-killed"]);
    let job = w.t.call(Method::GET, "/api/v1/persons/relink-jobs/job-killed", Some(&w.officer), None).await.json();
    assert_eq!(job["state"], "failed");
    assert!(job["detail"].as_str().unwrap().starts_with("interrupted"), "{job}");
    let page = w.t.page("/persons/relink", Some(&w.officer)).await;
    assert!(page.body.contains("the server stopped while it ran") && page.body.contains("name=\"confirm\""));
    let reply = w.t.form("/account/language", Some(&w.officer), &[("language", "lv")]).await;
    assert!(reply.status.is_redirection() || reply.status.is_success(), "{}", reply.status);
    let page = w.t.page("/persons/relink", Some(&w.officer)).await;
    for text in ["Personu atkārtota sasaiste", "neizdevās", "serveris apstājās", "Sākt atkārtotu sasaisti"] {
        assert!(page.body.contains(text), "{text} missing: {}", page.body);
    }
    assert!(!page.body.contains("Start a re-link") && !page.body.contains("the server stopped"));
    let reply = w.t.form("/persons/relink", Some(&w.officer), &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("apstipriniet, ka personas ir jāsasaista no jauna"), "{}", reply.body);
}

#[tokio::test]
async fn the_openapi_document_describes_the_relink_jobs() {
    let w = world().await;
    let doc = w.t.page("/api/v1/openapi.json", None).await.json();
    let paths = &doc["paths"];
    assert!(paths["/api/v1/persons/relink-jobs"]["get"]["responses"]["200"].is_object(), "{paths}");
    let post = &paths["/api/v1/persons/relink-jobs"]["post"];
    for status in ["201", "403", "409", "422"] {
        assert!(post["responses"][status].is_object(), "POST {status}: {post}");
    }
    assert!(post["requestBody"].is_object());
    assert!(paths["/api/v1/persons/relink-jobs/{id}"]["get"]["responses"]["404"].is_object());
    let schemas = &doc["components"]["schemas"];
    for s in ["RelinkJobBody", "RelinkJobsBody", "StartRelinkBody"] {
        assert!(schemas[s].is_object(), "{s}");
    }
}
