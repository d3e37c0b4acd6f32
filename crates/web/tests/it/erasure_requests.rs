//! Carrying out an erasure request through the API and the pages (Reg 2016/679 Art 17;
//! docs/data-protection.md, "Erasure on request"): the data protection officer reads the
//! registrations the request may concern, erases the chosen ones by crypto-shredding after
//! confirming it cannot be undone, the request lists what was erased and is answered; the case is
//! refused as erased from then on and the audit log says `person_erased`. A legal hold refuses
//! the erasure (409 naming the case) and nothing is erased; a caseworker, an administrator and
//! another jurisdiction's officer are refused (403); a request of another kind or not approved yet
//! is refused naming the step.

use crate::common::{Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

struct World {
    t: TestApp,
    dpo: Session,
    ee_dpo: Session,
    caseworker: Session,
    admin: Session,
    ee_case: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let ee = t.org("Turvakodu", "ngo", "EE").await;
    let password = t.user("lv.dpo", &ngo, &["auditor"]).await;
    let dpo = t.login("lv.dpo", &password).await;
    let password = t.user("ee.dpo", &ee, &["auditor"]).await;
    let ee_dpo = t.login("ee.dpo", &password).await;
    let password = t.user("lv.caseworker", &ngo, &["caseworker"]).await;
    let caseworker = t.login("lv.caseworker", &password).await;
    let password = t.user("ee.caseworker", &ee, &["caseworker"]).await;
    let ee_caseworker = t.login("ee.caseworker", &password).await;
    let admin = t.admin("lv.admin", &ngo).await;
    let mut w = World { t, dpo, ee_dpo, caseworker, admin, ee_case: String::new() };
    w.ee_case = case(&w, &ee_caseworker, "Kadri", "Tamm").await;
    w
}

async fn case(w: &World, who: &Session, given: &str, family: &str) -> String {
    let reply =
        w.t.call(
            Method::POST,
            "/api/v1/cases",
            Some(who),
            Some(json!({"person": {"given_names": given, "family_names": family, "sex": "female"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_str().unwrap().to_owned()
}

async fn api(w: &World, method: Method, path: &str, who: &Session, body: Option<Value>, want: StatusCode) -> Value {
    let reply = w.t.call(method.clone(), path, Some(who), body).await;
    assert_eq!(reply.status, want, "{method} {path}: {}", reply.body);
    if reply.body.is_empty() { Value::Null } else { reply.json() }
}

/// A request of `kind` about `case`, recorded and its requester's identity checked; approved
/// for erasure when `approve`. Returns its id and version.
async fn request(w: &World, kind: &str, case: &str, approve: bool) -> (String, i64) {
    let r = api(
        w,
        Method::POST,
        "/api/v1/subject-requests",
        &w.dpo,
        Some(json!({"kind": kind, "case": case, "received_on": "2026-09-14"})),
        StatusCode::CREATED,
    )
    .await;
    let id = r["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/subject-requests/{id}");
    let step = json!({"step": "verify", "version": r["version"], "method": "document_in_person"});
    let mut r = api(w, Method::POST, &path, &w.dpo, Some(step), StatusCode::OK).await;
    if approve {
        let step = json!({"step": "approve_erasure", "version": r["version"]});
        r = api(w, Method::POST, &path, &w.dpo, Some(step), StatusCode::OK).await;
        assert_eq!(r["status"], "awaiting_erasure");
    }
    (id, r["version"].as_i64().unwrap())
}

async fn erased_entries(w: &World, case: &str) -> i64 {
    w.t.app
        .store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'person_erased' AND target_id = '{case}'"
        ))
        .await
        .unwrap()
}

async fn hold(w: &World, case: &str) {
    let dpo = w.t.app.store().user_by_username("lv.dpo").await.unwrap().id;
    w.t.app
        .store()
        .execute_unchecked(&format!(
            "INSERT INTO retention_holds (id, record_kind, record_id, jurisdiction, reason, placed_by, placed_at) \
             VALUES ('hold-{case}', 'registration', '{case}', 'LV', 'pending proceedings', '{dpo}', {})",
            crate::common::START
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn art_17_reg_2016_679_the_officer_erases_through_the_api_and_the_case_is_a_tombstone() {
    let w = world().await;
    let anna = case(&w, &w.caseworker, "Anneliese", "Vītoliņa").await;
    let (id, version) = request(&w, "erasure", &anna, true).await;
    let path = format!("/api/v1/subject-requests/{id}/erasure");
    // The candidates: the request's registration, neither erased nor held; no personal data.
    let read = api(&w, Method::GET, &path, &w.dpo, None, StatusCode::OK).await;
    let candidates = read["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "{read}");
    assert_eq!((&candidates[0]["case_id"], &candidates[0]["held"]), (&json!(anna), &json!(false)));
    assert!(candidates[0]["erased_at"].is_null() && candidates[0]["reference"].as_str().unwrap().starts_with("LV-"));
    assert!(!read.to_string().contains("Anneliese"), "{read}");
    // Nobody but the officer of the jurisdiction reads or erases.
    let body = json!({"version": version, "case_ids": [anna], "confirm": true});
    for who in [&w.caseworker, &w.admin, &w.ee_dpo] {
        api(&w, Method::GET, &path, who, None, StatusCode::FORBIDDEN).await;
        api(&w, Method::POST, &path, who, Some(body.clone()), StatusCode::FORBIDDEN).await;
    }
    // Not confirmed, nothing chosen, another jurisdiction's registration, a stale version: refused.
    let field = |v: &Value| v["error"]["field"].as_str().unwrap_or_default().to_owned();
    let no = json!({"version": version, "case_ids": [anna], "confirm": false});
    assert_eq!(
        field(&api(&w, Method::POST, &path, &w.dpo, Some(no), StatusCode::UNPROCESSABLE_ENTITY).await),
        "confirm"
    );
    let none = json!({"version": version, "case_ids": [], "confirm": true});
    assert_eq!(
        field(&api(&w, Method::POST, &path, &w.dpo, Some(none), StatusCode::UNPROCESSABLE_ENTITY).await),
        "case_ids"
    );
    let foreign = json!({"version": version, "case_ids": [w.ee_case], "confirm": true});
    api(&w, Method::POST, &path, &w.dpo, Some(foreign), StatusCode::FORBIDDEN).await;
    let stale = json!({"version": version - 1, "case_ids": [anna], "confirm": true});
    api(&w, Method::POST, &path, &w.dpo, Some(stale), StatusCode::CONFLICT).await;
    assert_eq!(erased_entries(&w, &anna).await, 0, "nothing erased by a refused request");
    api(&w, Method::GET, &format!("/api/v1/cases/{anna}"), &w.caseworker, None, StatusCode::OK).await;
    // Answering before the erasure is refused naming the step.
    let answer = json!({"step": "answer", "version": version});
    let refused = api(
        &w,
        Method::POST,
        &format!("/api/v1/subject-requests/{id}"),
        &w.dpo,
        Some(answer),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(field(&refused), "step");
    // Erased.
    let done = api(&w, Method::POST, &path, &w.dpo, Some(body), StatusCode::OK).await;
    assert_eq!(done["erased_now"], json!([anna]));
    assert!(done["candidates"][0]["erased_at"].is_i64(), "{done}");
    let erasures = done["request"]["erasures"].as_array().unwrap();
    assert_eq!(erasures.len(), 1, "{done}");
    assert_eq!(erasures[0]["case_id"], json!(anna));
    assert!(erasures[0]["erased_at"].as_i64().unwrap() >= crate::common::START, "{done}");
    assert_eq!(erasures[0]["erased_by"], json!("User lv.dpo"));
    // The tombstone: the caseworker's read is refused as erased; the audit log says so.
    let refused = w.t.call(Method::GET, &format!("/api/v1/cases/{anna}"), Some(&w.caseworker), None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("erased"), "{}", refused.body);
    assert!(!refused.body.contains("Anneliese"), "{}", refused.body);
    assert_eq!(erased_entries(&w, &anna).await, 1);
    // The request lists what was erased, and is answered.
    let r = api(&w, Method::GET, &format!("/api/v1/subject-requests/{id}"), &w.dpo, None, StatusCode::OK).await;
    assert_eq!(r["erasures"][0]["reference"], done["candidates"][0]["reference"]);
    let answer = json!({"step": "answer", "version": r["version"]});
    let r =
        api(&w, Method::POST, &format!("/api/v1/subject-requests/{id}"), &w.dpo, Some(answer), StatusCode::OK).await;
    assert_eq!(r["status"], "answered");
    // A closed request erases nothing more.
    let again = json!({"version": r["version"], "case_ids": [anna], "confirm": true});
    let closed = api(&w, Method::POST, &path, &w.dpo, Some(again), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(field(&closed), "step");
}

#[tokio::test]
async fn art_17_reg_2016_679_a_request_of_another_kind_or_not_approved_is_refused_naming_the_step() {
    let w = world().await;
    let anna = case(&w, &w.caseworker, "Anneliese", "Vītoliņa").await;
    let (access, version) = request(&w, "access", &anna, false).await;
    let (erasure, erasure_version) = request(&w, "erasure", &anna, false).await;
    for (id, version) in [(access, version), (erasure, erasure_version)] {
        let path = format!("/api/v1/subject-requests/{id}/erasure");
        let read = api(&w, Method::GET, &path, &w.dpo, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(read["error"]["field"], "step", "{read}");
        let body = json!({"version": version, "case_ids": [anna], "confirm": true});
        let refused = api(&w, Method::POST, &path, &w.dpo, Some(body), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["error"]["field"], "step", "{refused}");
    }
    assert_eq!(erased_entries(&w, &anna).await, 0);
    // The OpenAPI document lists both operations with their refusals.
    let doc = w.t.call(Method::GET, "/api/v1/openapi.json", None, None).await.json();
    let item = &doc["paths"]["/api/v1/subject-requests/{id}/erasure"];
    for status in ["403", "404", "422"] {
        assert!(item["get"]["responses"][status].is_object(), "GET {status}");
    }
    for status in ["403", "404", "409", "422"] {
        assert!(item["post"]["responses"][status].is_object(), "POST {status}");
    }
}

#[tokio::test]
async fn art_17_reg_2016_679_a_legal_hold_refuses_the_erasure_and_nothing_is_erased() {
    let w = world().await;
    let held = case(&w, &w.caseworker, "Maryna", "Kovalenko").await;
    hold(&w, &held).await;
    let (id, version) = request(&w, "erasure", &held, true).await;
    let path = format!("/api/v1/subject-requests/{id}/erasure");
    let read = api(&w, Method::GET, &path, &w.dpo, None, StatusCode::OK).await;
    assert_eq!(read["candidates"][0]["held"], json!(true), "{read}");
    let reference = read["candidates"][0]["reference"].as_str().unwrap().to_owned();
    let body = json!({"version": version, "case_ids": [held], "confirm": true});
    let refused = w.t.call(Method::POST, &path, Some(&w.dpo), Some(body)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains(&reference), "names the case: {}", refused.body);
    assert_eq!(erased_entries(&w, &held).await, 0);
    let read = api(&w, Method::GET, &format!("/api/v1/cases/{held}"), &w.caseworker, None, StatusCode::OK).await;
    assert!(read.to_string().contains("Maryna"), "still readable: {read}");
    let r = api(&w, Method::GET, &format!("/api/v1/subject-requests/{id}"), &w.dpo, None, StatusCode::OK).await;
    assert_eq!((r["erasures"].as_array().map(Vec::len), &r["version"]), (Some(0), &json!(version)));
    // The page shows it held and its box disabled; posting it anyway is a 409 naming it.
    let page = w.t.page(&format!("/subject-requests/{id}"), Some(&w.dpo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("a legal hold stands on it"), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{held}\" disabled")), "{}", page.body);
    let fields = [("version", version.to_string()), ("case_ids", held.clone()), ("confirm", "yes".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = w.t.form(&format!("/subject-requests/{id}/erasure"), Some(&w.dpo), &fields).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.body.contains(&reference), "{}", reply.body);
    assert_eq!(erased_entries(&w, &held).await, 0);
}

#[tokio::test]
async fn art_17_reg_2016_679_the_officer_erases_through_the_page_after_confirming() {
    let w = world().await;
    let anna = case(&w, &w.caseworker, "Anneliese", "Vītoliņa").await;
    let (id, version) = request(&w, "erasure", &anna, true).await;
    let page_path = format!("/subject-requests/{id}");
    let page = w.t.page(&page_path, Some(&w.dpo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "id=\"form-erase\"",
        "<legend>Registrations of the person</legend>",
        "<label for=\"confirm\">I understand this cannot be undone</label>",
        &format!("name=\"case_ids\" value=\"{anna}\">"),
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert!(!page.body.contains("id=\"form-answer\""), "answered only after the erasure");
    // Only the officer of the jurisdiction posts it.
    let post = format!("/subject-requests/{id}/erasure");
    let v = version.to_string();
    for who in [&w.caseworker, &w.admin, &w.ee_dpo] {
        let reply = w.t.form(&post, Some(who), &[("version", &v), ("case_ids", &anna), ("confirm", "yes")]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    // Not confirmed: refused naming the confirmation, the choice kept.
    let reply = w.t.form(&post, Some(&w.dpo), &[("version", &v), ("case_ids", &anna)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("confirm that the erasure cannot be undone"), "{}", reply.body);
    assert!(reply.body.contains(&format!("value=\"{anna}\" checked")), "{}", reply.body);
    assert_eq!(erased_entries(&w, &anna).await, 0);
    // Confirmed: erased, and the request shows what.
    let reply = w.t.form(&post, Some(&w.dpo), &[("version", &v), ("case_ids", &anna), ("confirm", "yes")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(erased_entries(&w, &anna).await, 1);
    let page = w.t.page(&page_path, Some(&w.dpo)).await;
    assert!(page.body.contains("Registrations erased on this request"), "{}", page.body);
    assert!(page.body.contains("erased on"), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{anna}\" disabled")), "{}", page.body);
    assert!(page.body.contains("id=\"form-answer\""), "the answer follows: {}", page.body);
    // The case page is refused to the caseworker as erased.
    let case_page = w.t.page(&format!("/cases/{anna}"), Some(&w.caseworker)).await;
    assert_eq!(case_page.status, StatusCode::CONFLICT, "{}", case_page.body);
    assert!(!case_page.body.contains("Anneliese"));
    // The audit log, as the officer reads it, says that a registration was erased.
    let audit = w.t.page("/admin/audit", Some(&w.dpo)).await;
    assert!(audit.body.contains("Registration erased"), "{}", audit.body);
}
