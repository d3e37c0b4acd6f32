//! Suspects as persons through HTTP: the possible matches of a suspect (the same person in the
//! unit's other investigations, a registered victim the suspect may be) with the engine's
//! explanation, the answers "same person" and "not the same person", the confirmation of a
//! possible victim raising the non-punishment notice; 403 for a support organisation, 404 for
//! another unit; bad input a 422 naming the field; the page in English and Latvian.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

struct World {
    t: TestApp,
    prosecution: String,
    officer: Session,
    caseworker: Session,
    other_unit: Session,
    /// The NGO's registration of Ilze Ozoliņa, its identity shared with the police.
    case: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let prosecution = t.org("Ģenerālprokuratūra", "prosecution", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let other_police = t.org("Reģionālā policija", "police", "LV").await;
    let mut sessions = Vec::new();
    for (name, org, role) in [
        ("officer", &police, "investigator"),
        ("caseworker", &ngo, "caseworker"),
        ("other.unit", &other_police, "investigator"),
    ] {
        let password = t.user(name, org, &[role]).await;
        sessions.push(t.login(name, &password).await);
    }
    let mut s = sessions.into_iter();
    let (officer, caseworker, other_unit) = (s.next().unwrap(), s.next().unwrap(), s.next().unwrap());
    let reply = t
        .call(
            Method::POST,
            "/api/v1/registrations",
            Some(&caseworker),
            Some(json!({"person": {"given_names": "Ilze", "family_names": "Ozoliņa", "sex": "female"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/cases/{case}/shares"),
            Some(&caseworker),
            Some(json!({"organisation_id": police, "compartments": ["identity"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    World { t, prosecution, officer, caseworker, other_unit, case }
}

fn expect(reply: &Reply, status: StatusCode, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    if reply.body.is_empty() { Value::Null } else { reply.json() }
}

fn assert_field(reply: &Reply, field: &str) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", reply.body);
    assert_eq!(reply.json()["error"]["field"], field, "{}", reply.body);
}

impl World {
    async fn post(&self, s: &Session, path: &str, body: Value) -> Reply {
        self.t.call(Method::POST, path, Some(s), Some(body)).await
    }

    async fn get(&self, s: &Session, path: &str) -> Reply {
        self.t.call(Method::GET, path, Some(s), None).await
    }

    async fn investigation(&self, reference: &str) -> String {
        let body = json!({
            "reference": reference, "prosecutor_organisation_id": self.prosecution, "opened_on": "2026-09-01",
            "opening": "ex_officio",
            "offences": [{"kind": "trafficking", "forms": ["forced_labour"], "national_provision": "Criminal Law s. 154.1"}],
            "places": [{"country": "LV", "locality": "Bauska"}], "summary": "Workers recruited, documents taken."
        });
        let reply = self.post(&self.officer, "/api/v1/investigations", body).await;
        expect(&reply, StatusCode::CREATED, "open")["investigation"]["id"].as_str().unwrap().to_owned()
    }

    /// Adds a natural person and gives the suspect's id.
    async fn suspect(&self, inv: &str, name: &str, sex: &str, citizenship: &str) -> String {
        let body = json!({"kind": "natural", "name": name, "roles": ["recruiter"], "citizenship": citizenship,
            "sex": sex, "age_group": "35_44"});
        let view = expect(
            &self.post(&self.officer, &format!("/api/v1/investigations/{inv}/suspects"), body).await,
            StatusCode::CREATED,
            "suspect",
        );
        let s = view["suspects"].as_array().unwrap().iter().rev().find(|s| s["suspect"]["name"] == name).unwrap();
        s["suspect"]["id"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn the_api_finds_the_same_person_with_the_explanation_and_takes_the_officers_answer() {
    let w = world().await;
    let a = w.investigation("A-1").await;
    let b = w.investigation("B-2").await;
    let janis = w.suspect(&a, "Jānis Bērziņš", "male", "LV").await;
    let other = w.suspect(&b, "BERZINS Janis", "male", "LV").await;
    let base = format!("/api/v1/investigations/{a}/suspects/{janis}");
    let found = expect(&w.get(&w.officer, &format!("{base}/possible-matches")).await, StatusCode::OK, "matches");
    let candidates = found["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "{found}");
    assert_eq!(candidates[0]["suspect_id"], other.as_str());
    assert_eq!(candidates[0]["investigation_id"], b.as_str());
    assert!(candidates[0]["probability"].as_f64().unwrap() >= 0.9);
    let fields: Vec<&str> =
        candidates[0]["explanation"].as_array().unwrap().iter().map(|r| r["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"given_names") && fields.contains(&"family_names"), "{fields:?}");
    assert!(candidates[0]["answer"].is_null());

    let answered = expect(
        &w.post(&w.officer, &format!("{base}/same-person"), json!({"other_suspect_id": other})).await,
        StatusCode::OK,
        "same",
    );
    assert_eq!(answered["candidates"][0]["answer"], "same");
    let answered = expect(
        &w.post(&w.officer, &format!("{base}/not-same-person"), json!({"other_suspect_id": other})).await,
        StatusCode::OK,
        "not same",
    );
    assert_eq!(answered["candidates"][0]["answer"], "different", "a later answer replaces the earlier");

    // bad input names its field
    assert_field(&w.post(&w.officer, &format!("{base}/same-person"), json!({})).await, "other_suspect_id");
    assert_field(
        &w.post(&w.officer, &format!("{base}/same-person"), json!({"other_suspect_id": "not-an-id"})).await,
        "other_suspect_id",
    );
    assert_field(
        &w.post(&w.officer, &format!("{base}/same-person"), json!({"other_suspect_id": janis})).await,
        "other_suspect_id",
    );
    let unknown_suspect = w.get(&w.officer, &format!("/api/v1/investigations/{a}/suspects/{b}/possible-matches")).await;
    assert_field(&unknown_suspect, "suspect_id");

    // a support organisation never reaches the route; another unit does not know the investigation
    let ngo = w.get(&w.caseworker, &format!("{base}/possible-matches")).await;
    assert_eq!(ngo.status, StatusCode::FORBIDDEN, "{}", ngo.body);
    let theirs = w.get(&w.other_unit, &format!("{base}/possible-matches")).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    let theirs = w.post(&w.other_unit, &format!("{base}/same-person"), json!({"other_suspect_id": other})).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
}

#[tokio::test]
async fn art_8_dir_a_possible_victim_is_suggested_and_its_confirmation_raises_the_notice() {
    let w = world().await;
    let a = w.investigation("A-1").await;
    let ilze = w.suspect(&a, "Ilze Ozoliņa", "female", "").await;
    let base = format!("/api/v1/investigations/{a}/suspects/{ilze}");
    let found = expect(&w.get(&w.officer, &format!("{base}/possible-matches")).await, StatusCode::OK, "matches");
    let victims = found["possible_victims"].as_array().unwrap();
    assert_eq!(victims.len(), 1, "{found}");
    assert_eq!(victims[0]["case_id"], w.case.as_str());
    assert_eq!(victims[0]["standing"], "registered");
    assert!(!victims[0]["explanation"].as_array().unwrap().is_empty());
    // nothing more of the registration than the case and its standing
    assert!(!victims[0].to_string().contains("Ozoli"), "{}", victims[0]);
    let inv = expect(&w.get(&w.officer, &format!("/api/v1/investigations/{a}")).await, StatusCode::OK, "inv");
    assert!(inv["suspects"][0]["notices"].as_array().unwrap().is_empty(), "no notice before the confirmation");

    assert_field(&w.post(&w.officer, &format!("{base}/possible-victim"), json!({})).await, "case_id");
    let linked = expect(
        &w.post(&w.officer, &format!("{base}/possible-victim"), json!({"case_id": w.case})).await,
        StatusCode::OK,
        "confirm",
    );
    let notices = linked["suspects"][0]["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{linked}");
    assert_eq!(notices[0]["notice"]["path"], "linked_person");
}

#[tokio::test]
async fn the_matches_page_shows_the_candidates_in_english_and_latvian_and_takes_an_answer() {
    let w = world().await;
    let a = w.investigation("A-1").await;
    let b = w.investigation("B-2").await;
    let janis = w.suspect(&a, "Jānis Bērziņš", "male", "LV").await;
    let other = w.suspect(&b, "Janis Berzins", "male", "LV").await;
    // the link from the investigation's page leads here
    let inv_page = w.t.page(&format!("/investigations/{a}"), Some(&w.officer)).await;
    assert_eq!(inv_page.status, StatusCode::OK, "{}", inv_page.body);
    assert!(inv_page.body.contains(&format!("/suspects/{janis}/matches")), "{}", inv_page.body);
    let short = w.t.page(&format!("/suspects/{janis}/matches"), Some(&w.officer)).await;
    assert_eq!(short.status, StatusCode::SEE_OTHER, "{}", short.body);
    let path = format!("/investigations/{a}/suspects/{janis}/matches");
    let page = w.t.page(&path, Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Possible matches of a suspect") && page.body.contains("Janis Berzins"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Why the engine scored so") && page.body.contains("B-2"));
    let reply =
        w.t.form(
            &format!("/investigations/{a}/suspects/{janis}/same-person"),
            Some(&w.officer),
            &[("other_suspect_id", &other)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = w.t.page(&path, Some(&w.officer)).await;
    assert!(page.body.contains("the same person"), "{}", page.body);
    // a refused answer shows the page again with the problem
    let refused =
        w.t.form(
            &format!("/investigations/{a}/suspects/{janis}/same-person"),
            Some(&w.officer),
            &[("other_suspect_id", "x")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("form-error"), "{}", refused.body);
    // in Latvian
    let lv = w.t.form("/account/language", Some(&w.officer), &[("language", "lv")]).await;
    assert!(lv.status.is_success() || lv.status.is_redirection(), "{}", lv.body);
    let page = w.t.page(&path, Some(&w.officer)).await;
    assert!(page.body.contains("Aizdomās turētā iespējamās sakritības"), "{}", page.body);
    assert!(page.body.contains("Kāpēc mehānisms tā novērtēja"), "{}", page.body);
    // another unit gets no page
    let theirs = w.t.page(&path, Some(&w.other_unit)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
}
