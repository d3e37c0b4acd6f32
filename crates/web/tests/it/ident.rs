//! The identification API (national referral mechanism) end to end: registration and referral,
//! consent, anonymous notifications, the competent authority's decisions, statutory clocks,
//! residence and non-punishment records, search, HTCDS exchange and bad input.

use crate::common::{Reply, START, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

const DAY: i64 = 86_400;

/// Organisations of two countries and a user per role that the tests need.
struct World {
    t: TestApp,
    ngo: String,
    ngo_b: String,
    police: String,
    /// First responder of NGO A.
    responder: Session,
    /// Caseworker of NGO A.
    caseworker: Session,
    /// Supervisor of NGO A.
    supervisor: Session,
    /// First responder of NGO B.
    responder_b: Session,
    /// Two decision makers of the Latvian competent authority.
    decider: Session,
    decider2: Session,
    /// Investigator of the Latvian police.
    officer: Session,
    rapporteur: Session,
    /// First responder and decision maker in Estonia.
    ee_responder: Session,
    ee_decider: Session,
    /// Passwords, for logging in again after the clock moved on.
    passwords: Vec<(String, String)>,
}

impl World {
    async fn new() -> World {
        let t = TestApp::new().await;
        let ngo = t.org("NGO A", "ngo", "LV").await;
        let ngo_b = t.org("NGO B", "ngo", "LV").await;
        let ca = t.org("Competent Authority", "competent_authority", "LV").await;
        let police = t.org("State Police", "police", "LV").await;
        let rap = t.org("National Rapporteur", "national_rapporteur", "LV").await;
        let ee_ngo = t.org("NGO Tallinn", "ngo", "EE").await;
        let ee_ca = t.org("Competent Authority EE", "competent_authority", "EE").await;
        let mut passwords = Vec::new();
        let mut session = async |name: &str, org: &str, role: &str| {
            let password = t.user(name, org, &[role]).await;
            let s = t.login(name, &password).await;
            passwords.push((name.to_owned(), password));
            s
        };
        let responder = session("responder", &ngo, "first_responder").await;
        let caseworker = session("caseworker", &ngo, "caseworker").await;
        let supervisor = session("supervisor", &ngo, "supervisor").await;
        let responder_b = session("responder.b", &ngo_b, "first_responder").await;
        let decider = session("decider", &ca, "decision_maker").await;
        let decider2 = session("decider2", &ca, "decision_maker").await;
        let officer = session("officer", &police, "investigator").await;
        let rapporteur = session("rapporteur", &rap, "rapporteur").await;
        let ee_responder = session("ee.responder", &ee_ngo, "first_responder").await;
        let ee_decider = session("ee.decider", &ee_ca, "decision_maker").await;
        World {
            t,
            ngo,
            ngo_b,
            police,
            responder,
            caseworker,
            supervisor,
            responder_b,
            decider,
            decider2,
            officer,
            rapporteur,
            ee_responder,
            ee_decider,
            passwords,
        }
    }

    /// A new session for a user (sessions end after 30 idle minutes of the test clock).
    async fn relogin(&self, name: &str) -> Session {
        let password = &self.passwords.iter().find(|(n, _)| n == name).unwrap().1;
        self.t.login(name, password).await
    }

    async fn get(&self, path: &str, s: &Session) -> Reply {
        self.t.call(Method::GET, path, Some(s), None).await
    }

    async fn post(&self, path: &str, s: &Session, body: Value) -> Reply {
        self.t.call(Method::POST, path, Some(s), Some(body)).await
    }

    async fn put(&self, path: &str, s: &Session, body: Value) -> Reply {
        self.t.call(Method::PUT, path, Some(s), Some(body)).await
    }

    /// Saves a draft and returns its id.
    async fn create(&self, s: &Session, reg: Value) -> String {
        let r = self.post("/api/v1/registrations", s, reg).await;
        let body = ok(&r, StatusCode::CREATED);
        body["id"].as_str().unwrap().to_owned()
    }

    /// Saves a draft and refers it; returns its id.
    async fn refer(&self, s: &Session, reg: Value) -> String {
        let id = self.create(s, reg).await;
        let r = self.post(&format!("/api/v1/registrations/{id}/submit"), s, json!({"version": 1})).await;
        ok(&r, StatusCode::OK);
        id
    }

    async fn file(&self, id: &str, s: &Session) -> Value {
        ok(&self.get(&format!("/api/v1/registrations/{id}"), s).await, StatusCode::OK)
    }

    async fn decide(&self, id: &str, s: &Session, seq: u32, kind: &str, reasons: &str) -> Reply {
        let body = json!({"seq": seq, "kind": kind, "decided_on": "2026-09-21", "reasons": reasons});
        self.post(&format!("/api/v1/registrations/{id}/decisions"), s, body).await
    }

    async fn record(&self, id: &str, s: &Session, kind: &str, fields: Value) -> Reply {
        self.post(&format!("/api/v1/registrations/{id}/records"), s, json!({"kind": kind, "fields": fields})).await
    }

    async fn search(&self, s: &Session, query: &[(&str, &str)]) -> Vec<Value> {
        let q = serde_urlencoded::to_string(query).unwrap();
        let r = self.get(&format!("/api/v1/persons/search?{q}"), s).await;
        ok(&r, StatusCode::OK).as_array().unwrap().clone()
    }

    /// A request with a text body (HTCDS import), with the session and CSRF header.
    async fn send_text(&self, path: &str, s: &Session, body: String) -> Reply {
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("host", "localhost")
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .header("content-type", "text/plain; charset=utf-8")
            .body(Body::from(body))
            .unwrap();
        self.t.send(req).await
    }
}

/// Asserts the status and returns the JSON body.
fn ok(r: &Reply, status: StatusCode) -> Value {
    assert_eq!(r.status, status, "{}", r.body);
    r.json()
}

/// Asserts a 4xx (never a 500) and returns the field the error names.
fn refused(r: &Reply, what: &str) -> Option<String> {
    assert!(r.status.is_client_error(), "{what}: expected 4xx, got {} {}", r.status, r.body);
    let body: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    body["error"]["field"].as_str().map(str::to_owned)
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect()
}

fn hit_ids(hits: &[Value]) -> Vec<String> {
    hits.iter().map(|h| h["case_id"].as_str().unwrap().to_owned()).collect()
}

fn clock<'a>(file: &'a Value, name: &str) -> Option<&'a Value> {
    file["clocks"].as_array().unwrap().iter().find(|c| c["clock"] == name)
}

/// A complete registration, every field given, in the order and form the server keeps it.
pub(crate) fn full_registration() -> Value {
    json!({
        "person": {
            "given_names": "Olena",
            "family_names": "Kovalenko",
            "aliases": ["Lena"],
            "previous_family_names": ["Shevchenko"],
            "date_of_birth": "1994-03-12",
            "dob_verified": true,
            "age_estimate": null,
            "reasons_to_believe_child": false,
            "age_assessments": [],
            "sex": "female",
            "gender": "feminine",
            "citizenships": ["UA", "MD"],
            "languages": ["uk", "ru"],
            "interpreter_needed": true,
            "safe_contact": "Through the shelter telephone only",
            "documents": [{"kind": "passport", "number": "FE 123456", "issuing_country": "UA"}]
        },
        "context": {
            "acts": ["recruitment", "transportation"],
            "means": ["deception", "abuse_of_vulnerability"],
            "methods_of_control": ["debt_bondage", "withholds_documents"],
            "forms": ["forced_labour", "sexual"],
            "forced_labour_industry": "A",
            "other_form": null,
            "events": [
                {"kind": "recruitment", "date": "2026-03-01", "country": "UA", "place": "Lviv",
                 "description": "Answered an advertisement for strawberry picking."},
                {"kind": "exploitation", "date": "2026-05-10", "country": "LV", "place": "Bauska district",
                 "description": null}
            ],
            "recruitment_method": "through_an_online_advertisement",
            "online_platforms": ["facebook", "telegram"],
            "relationship_to_trafficker": "unacquainted",
            "vulnerabilities": ["economic_hardship", "lack_of_language"],
            "consent_to_exploitation": true
        },
        // I1: 1 strong + 1 medium (branch 2); I4: 1 strong + 1 medium; I5: 2 strong (branch 1):
        // recruitment, exploitation and destination are all positive.
        "indicators": [
            {"list": "ilo_ec_adult_labour", "present": ["I1.01", "I1.02", "I4.01", "I4.02", "I5.01", "I5.02"]}
        ],
        "support_consent": {"given": true, "date": "2026-09-20", "language": "uk", "informed_by": "Anna Ozola"},
        "data_sharing_consent": {"given": false, "date": "2026-09-20", "language": "uk", "informed_by": "Anna Ozola"},
        "guardian": null,
        "narrative": "Met at the bus station in Riga.\nShe asked for help with her passport."
    })
}

/// An adult with consent to assistance and referral to support, under the field name stored
/// registrations use (`consent`, read as `support_consent`).
fn adult(given: &str, family: &str) -> Value {
    json!({
        "person": {"given_names": given, "family_names": family, "sex": "female", "date_of_birth": "1990-05-01",
                   "dob_verified": true},
        "context": {"acts": ["recruitment"], "means": ["deception"], "forms": ["sexual"]},
        "consent": {"given": true, "date": "2026-09-21", "language": "lv", "informed_by": "Anna Ozola"}
    })
}

/// A 15-year-old (born 2011-01-01, checked against a document), no consent, no guardian.
fn child(given: &str, family: &str) -> Value {
    json!({"person": {"given_names": given, "family_names": family, "sex": "male", "date_of_birth": "2011-01-01",
                      "dob_verified": true}})
}

// ---------------------------------------------------------------------------------------------
// 1. Registration (Dir 2011/36 Art 11(4); Convention Art 10)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_full_registration_is_saved_as_a_draft_and_read_back_with_decision_support_art_11_4() {
    let w = World::new().await;
    let r = w.post("/api/v1/registrations", &w.responder, full_registration()).await;
    let saved = ok(&r, StatusCode::CREATED);
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["state"], "draft");
    assert!(saved["reference"].as_str().unwrap().starts_with("LV-"), "{saved}");
    let id = saved["id"].as_str().unwrap().to_owned();

    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["id"], id.as_str());
    assert_eq!(file["state"], "draft");
    assert_eq!(file["version"], 1);
    assert_eq!(file["owner_organisation_id"], w.ngo.as_str());
    assert_eq!(file["registration"], full_registration(), "the record comes back as it was saved");
    // Directive Art 2(1): an act, a means and a purpose are recorded for an adult.
    assert_eq!(file["legal_test"]["outcome"], "met", "{}", file["legal_test"]);
    assert_eq!(file["legal_test"]["elements"]["means"], "present");
    assert_eq!(file["child_status"], "adult");
    // ILO/EC operational indicators: every required stage has a positive dimension.
    let indicators = file["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 1, "{}", file["indicators"]);
    assert_eq!(indicators[0]["list"], "ilo_ec_adult_labour");
    assert_eq!(indicators[0]["evaluation"]["positive"], true, "{}", indicators[0]);
    // A draft is not referred: no status, no clocks.
    assert!(file["status"].is_null());
    assert!(file["referred_on"].is_null());
    assert_eq!(file["clocks"], json!([]));

    // The draft is finished at a desk: only recruitment indicators remain, so the list no
    // longer points to trafficking (the exploitation and destination stages are missing).
    let mut changed = full_registration();
    changed["indicators"][0]["present"] = json!(["I1.01", "I1.02"]);
    let r = w
        .put(&format!("/api/v1/registrations/{id}"), &w.responder, json!({"version": 1, "registration": changed}))
        .await;
    let saved = ok(&r, StatusCode::OK);
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["state"], "draft");
    let file = w.file(&id, &w.caseworker).await;
    assert_eq!(file["version"], 2);
    assert_eq!(file["registration"], changed);
    assert_eq!(file["indicators"][0]["evaluation"]["positive"], false, "{}", file["indicators"]);

    // A second save over the version that was loaded before is a conflict, and changes nothing.
    let r = w
        .put(
            &format!("/api/v1/registrations/{id}"),
            &w.caseworker,
            json!({"version": 1, "registration": full_registration()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["version"], 2);
    assert_eq!(file["registration"], changed);
}

#[tokio::test]
async fn a_child_needs_no_means_in_the_legal_test_art_2_5() {
    let w = World::new().await;
    let mut reg = child("Ion", "Rusu");
    reg["context"] = json!({"acts": ["recruitment"], "forms": ["begging"]});
    let id = w.create(&w.responder, reg).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["child_status"], "child");
    assert_eq!(file["legal_test"]["outcome"], "met", "{}", file["legal_test"]);
    assert_eq!(file["legal_test"]["elements"]["means"], "not_required");
    // The same facts for an adult: the means is missing.
    let mut reg = adult("Ana", "Popescu");
    reg["context"] = json!({"acts": ["recruitment"], "forms": ["begging"]});
    let id = w.create(&w.responder, reg).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["legal_test"]["outcome"], "not_met");
    assert_eq!(file["legal_test"]["elements"]["means"], "absent");
}

// ---------------------------------------------------------------------------------------------
// 2. Consent (Directive Art 11(5), 13(2); Convention Art 10(3))
// ---------------------------------------------------------------------------------------------

/// The first positive decision the case allows now, whatever the profile's procedure calls it.
fn first_positive(file: &Value) -> String {
    let allowed = file["allowed_decisions"].as_array().unwrap();
    let kind = allowed.iter().filter_map(Value::as_str).find(|k| k.ends_with("positive") && !k.contains("negative"));
    kind.unwrap_or_else(|| panic!("no positive decision allowed: {allowed:?}")).to_owned()
}

#[tokio::test]
async fn art_11_5_dir_2011_36_identification_does_not_wait_for_consent_to_support() {
    // CETS 197 Art 10: identification is not gated by consent; consent concerns assistance and referral to
    // support (Dir 2011/36 Art 11(5); CETS 197 Art 12(7)) and, apart, the sharing of identifying data.
    let w = World::new().await;
    let refused_consent = json!({"given": false, "date": "2026-09-21", "language": "lv", "informed_by": "Anna Ozola"});
    let mut reg = adult("Anna", "Ozola");
    reg.as_object_mut().unwrap().remove("consent");
    reg["support_consent"] = refused_consent.clone();
    reg["data_sharing_consent"] = refused_consent.clone();
    let id = w.create(&w.responder, reg.clone()).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["child_status"], "adult");
    assert_eq!(file["registration"]["support_consent"]["given"], false, "{}", file["registration"]);
    assert_eq!(file["registration"]["data_sharing_consent"]["given"], false, "{}", file["registration"]);

    // A consent is informed before the referral, not after it.
    reg["support_consent"]["date"] = json!("2026-09-22");
    let r =
        w.put(&format!("/api/v1/registrations/{id}"), &w.responder, json!({"version": 1, "registration": reg})).await;
    ok(&r, StatusCode::OK);
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 2})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "support_consent.date");
    assert_eq!(w.file(&id, &w.responder).await["state"], "draft", "a refused referral leaves the draft as it was");
    reg["support_consent"]["date"] = json!("2026-09-21");
    let r =
        w.put(&format!("/api/v1/registrations/{id}"), &w.responder, json!({"version": 2, "registration": reg})).await;
    ok(&r, StatusCode::OK);

    // Refused consent to support and to data sharing: registered and referred all the same.
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 3})).await;
    let saved = ok(&r, StatusCode::OK);
    assert_eq!(saved["state"], "submitted");
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["status"], "referred");
    assert_eq!(file["referred_on"], "2026-09-21", "the referral date is the clock's date");

    // The protection from removal (CETS 197 Art 10(2)) and the recovery and reflection period (CETS 197
    // Art 13) follow from the procedure, not from a consent.
    let kind = first_positive(&w.file(&id, &w.decider).await);
    ok(&w.decide(&id, &w.decider, 1, &kind, "").await, StatusCode::CREATED);
    let file = w.file(&id, &w.caseworker).await;
    assert_eq!(file["removal"]["no_expulsion"], true, "{}", file["removal"]);
    assert!(file["reflection"].is_object(), "{}", file["reflection"]);
    let page = w.t.page(&format!("/cases/{id}"), Some(&w.caseworker)).await;
    assert!(page.body.contains("No expulsion may be enforced."), "{}", page.body);

    // Referred once: a second referral is a conflict.
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 4})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

#[tokio::test]
async fn art_12_7_cets_consent_before_a_formal_referral_only_where_the_national_profile_asks_it() {
    // The Latvian profile, made to ask an adult's consent before a formal referral (national practice).
    let mut w = World::new().await;
    let lv = include_str!("../../../domain/profiles/lv.toml")
        .replace("[[versions]]\n", "[[versions]]\nadult_consent_before_referral = true\n");
    let reference = haven_app::ident::Reference::with_extras(vec![], &[lv]).unwrap();
    let app = w.t.app.clone().with_reference(reference);
    w.t.router = haven_web::router(app.clone(), haven_web::WebConfig::default()).unwrap();
    w.t.app = app;

    let mut reg = adult("Anna", "Ozola");
    reg.as_object_mut().unwrap().remove("consent");
    let id = w.create(&w.responder, reg.clone()).await;
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 1})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "support_consent");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("national practice"), "{}", r.body);
    // Consent to data sharing is not consent to support.
    reg["data_sharing_consent"] =
        json!({"given": true, "date": "2026-09-21", "language": "lv", "informed_by": "Anna Ozola"});
    let r =
        w.put(&format!("/api/v1/registrations/{id}"), &w.responder, json!({"version": 1, "registration": reg})).await;
    ok(&r, StatusCode::OK);
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 2})).await;
    assert_eq!(r.json()["error"]["field"], "support_consent", "{}", r.body);
    // With it, the adult is referred.
    reg["support_consent"] =
        json!({"given": true, "date": "2026-09-21", "language": "lv", "informed_by": "Anna Ozola"});
    let r =
        w.put(&format!("/api/v1/registrations/{id}"), &w.responder, json!({"version": 2, "registration": reg})).await;
    ok(&r, StatusCode::OK);
    ok(
        &w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 3})).await,
        StatusCode::OK,
    );
    // A child, and a person whose age is not recorded, are referred without it.
    w.refer(&w.responder, child("Ion", "Rusu")).await;
    let unknown = json!({"person": {"given_names": "Pavel", "family_names": "Lungu", "sex": "male"}});
    let id = w.refer(&w.responder, unknown).await;
    assert_eq!(w.file(&id, &w.responder).await["child_status"], "unknown");
    // Estonia's profile does not ask it: the adult is referred without consent.
    let mut reg = adult("Kadri", "Tamm");
    reg.as_object_mut().unwrap().remove("consent");
    w.refer(&w.ee_responder, reg).await;
}

#[tokio::test]
async fn a_child_is_referred_without_consent_art_13_2() {
    let w = World::new().await;
    let id = w.create(&w.responder, child("Ion", "Rusu")).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["child_status"], "child");
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 1})).await;
    let saved = ok(&r, StatusCode::OK);
    assert_eq!(saved["state"], "submitted");
    assert_eq!(w.file(&id, &w.responder).await["status"], "referred");
}

#[tokio::test]
async fn a_presumed_child_is_referred_without_consent_art_13_2() {
    let w = World::new().await;
    // No date of birth; the first responder has reasons to believe the person is a child.
    let reg = json!({"person": {"given_names": "Mihai", "family_names": "Lungu", "sex": "male",
                                "reasons_to_believe_child": true}});
    let id = w.create(&w.responder, reg).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["child_status"], "presumed_child");
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 1})).await;
    ok(&r, StatusCode::OK);
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["state"], "submitted");
    assert_eq!(file["child_status"], "presumed_child");

    // Without the reasons to believe, the age is unknown: not an adult, and referred all the same.
    let reg = json!({"person": {"given_names": "Pavel", "family_names": "Lungu", "sex": "male"}});
    let id = w.create(&w.responder, reg).await;
    assert_eq!(w.file(&id, &w.responder).await["child_status"], "unknown");
    let r = w.post(&format!("/api/v1/registrations/{id}/submit"), &w.responder, json!({"version": 1})).await;
    ok(&r, StatusCode::OK);
    assert_eq!(w.file(&id, &w.responder).await["child_status"], "unknown");
}

#[tokio::test]
async fn art_2_5_dir_2011_36_child_at_the_time_of_the_acts_needs_no_means() {
    // Born in 2007, exploited in 2024, registered on 2026-09-21 at 19: a child when the acts took place.
    let w = World::new().await;
    let mut reg = json!({
        "person": {"given_names": "Daria", "family_names": "Moroz", "sex": "female", "date_of_birth": "2007-03-01",
                   "dob_verified": true},
        "context": {"acts": ["recruitment"], "forms": ["sexual"]}
    });
    let id = w.refer(&w.responder, reg.clone()).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["child_status"], "adult");
    // No date of the acts recorded: the age at registration, and the advice says so.
    assert_eq!(file["legal_test"]["elements"]["means"], "absent", "{}", file["legal_test"]);
    let reasons = file["legal_test"]["reasons"].to_string();
    assert!(reasons.contains("no date of the acts is recorded") && reasons.contains("2026-09-21"), "{reasons}");

    // The exploitation dated in 2024: no means required.
    reg["context"]["events"] = json!([{"kind": "exploitation", "date": "2024-05-01", "country": "LV"}]);
    let id = w.refer(&w.responder, reg).await;
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["child_status"], "adult", "an adult today");
    assert_eq!(file["legal_test"]["elements"]["means"], "not_required", "{}", file["legal_test"]);
    assert_eq!(file["legal_test"]["outcome"], "met");
    let reasons = file["legal_test"]["reasons"].to_string();
    assert!(reasons.contains("2024-05-01") && reasons.contains("Dir 2011/36 Art 2(5)"), "{reasons}");
}

// ---------------------------------------------------------------------------------------------
// 3. Anonymous notification (Directive Art 11(5); Convention Art 12(7))
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_anonymous_notification_is_counted_and_never_becomes_a_case() {
    let w = World::new().await;
    let registrations_before = w.get("/api/v1/registrations", &w.responder).await.body;
    let cases_before = w.get("/api/v1/cases", &w.responder).await.body;
    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["notified"], 0);

    let note = json!({"notified_on": "2026-09-20", "sex": "female", "age_group": "25_34", "citizenship": "UA",
                      "forms": ["forced_labour"]});
    let r = w.post("/api/v1/notifications", &w.responder, note).await;
    let created = ok(&r, StatusCode::CREATED);
    assert!(created["id"].as_str().is_some_and(|s| !s.is_empty()), "{created}");

    // A child is referred without consent instead (Directive Art 13(2)).
    let child = json!({"notified_on": "2026-09-20", "sex": "female", "age_group": "12_17", "citizenship": "UA"});
    let r = w.post("/api/v1/notifications", &w.responder, child).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "age_group");
    let r = w
        .post(
            "/api/v1/notifications",
            &w.responder,
            json!({"notified_on": "2026-09-20", "sex": "male",
        "age_group": "0_11"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // No identifying data is accepted.
    for extra in [
        json!({"given_names": "Olena"}),
        json!({"family_names": "Kovalenko"}),
        json!({"date_of_birth": "1994-03-12"}),
        json!({"narrative": "She works at the farm near Bauska."}),
    ] {
        let mut body = json!({"notified_on": "2026-09-20", "sex": "female", "age_group": "25_34"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let r = w.post("/api/v1/notifications", &w.responder, body.clone()).await;
        refused(&r, &body.to_string());
    }

    // Counted once, for the country, separately from referred cases.
    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["notified"], 1, "{stats}");
    assert_eq!(stats["registered"], 0, "{stats}");
    assert_eq!(stats["notified_by_sex"]["female"], 1, "{stats}");
    assert_eq!(stats["notified_by_group"]["forced_labour"], 1, "{stats}");
    // In no case list.
    assert_eq!(w.get("/api/v1/registrations", &w.responder).await.body, registrations_before);
    assert_eq!(w.get("/api/v1/cases", &w.responder).await.body, cases_before);
    assert_eq!(w.t.app.store().count_cases().await.unwrap(), 0);
}

#[tokio::test]
async fn notifications_are_counted_in_their_own_country_only() {
    let w = World::new().await;
    let note = json!({"notified_on": "2026-09-21", "sex": "male", "age_group": "unknown"});
    ok(&w.post("/api/v1/notifications", &w.ee_responder, note).await, StatusCode::CREATED);
    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["notified"], 0, "an Estonian notification is not counted in Latvia: {stats}");
    // Statistics never come to those who hold persons.
    let r = w.get("/api/v1/statistics/identification", &w.responder).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // And those who read statistics do not file notifications.
    let note = json!({"notified_on": "2026-09-21", "sex": "male", "age_group": "unknown"});
    let r = w.post("/api/v1/notifications", &w.rapporteur, note).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn identification_statistics_count_referred_persons_not_drafts() {
    let w = World::new().await;
    w.refer(&w.responder, adult("Anna", "Ozola")).await;
    w.refer(&w.responder_b, child("Ion", "Rusu")).await;
    w.create(&w.responder, adult("Draft", "Only")).await;
    w.refer(&w.ee_responder, adult("Mari", "Tamm")).await;
    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["registered"], 2, "{stats}");
    assert_eq!(stats["children"], 1, "{stats}");
    assert_eq!(stats["registered_by_sex"], json!({"female": 1, "male": 1}), "{stats}");
    assert_eq!(stats["registered_by_group"]["sexual"], 1, "{stats}");
    assert_eq!(stats["notified"], 0, "{stats}");
    // Aggregates only.
    assert!(!stats.to_string().contains("Ozola"));
}

// ---------------------------------------------------------------------------------------------
// 4. The competent authority (Convention Art 10(2), 12(6), 13(1); Directive Art 11(2)-(4))
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_competent_authority_sees_referred_cases_of_its_country_only() {
    let w = World::new().await;
    let draft = w.create(&w.responder, adult("Draft", "Only")).await;
    let referred = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let estonian = w.refer(&w.ee_responder, adult("Mari", "Tamm")).await;

    let list = ok(&w.get("/api/v1/registrations", &w.decider).await, StatusCode::OK);
    let listed = ids(&list);
    assert!(listed.contains(&referred), "{list}");
    assert!(!listed.contains(&draft), "another organisation's draft is not listed: {list}");
    assert!(!listed.contains(&estonian), "another country's case is not listed: {list}");
    // Lists hold coded values only, no names.
    assert!(!list.to_string().contains("Ozola"), "{list}");

    assert_eq!(w.get(&format!("/api/v1/registrations/{draft}"), &w.decider).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.get(&format!("/api/v1/registrations/{estonian}"), &w.decider).await.status, StatusCode::NOT_FOUND);
    let file = w.file(&referred, &w.decider).await;
    assert_eq!(file["registration"]["person"]["family_names"], "Ozola");
    // The Estonian competent authority sees its own case and not the Latvian one.
    assert_eq!(ids(&ok(&w.get("/api/v1/registrations", &w.ee_decider).await, StatusCode::OK)), vec![estonian]);
    assert_eq!(w.get(&format!("/api/v1/registrations/{referred}"), &w.ee_decider).await.status, StatusCode::NOT_FOUND);
    // A decision on a case of another country is refused as if it did not exist.
    let r = w.decide(&referred, &w.ee_decider, 1, "first_decision_positive", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // A decision on a draft is refused too: the competent authority does not know of it.
    let r = w.decide(&draft, &w.decider, 1, "first_decision_positive", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Another NGO gains nothing from the referral.
    assert_eq!(w.get(&format!("/api/v1/registrations/{referred}"), &w.responder_b).await.status, StatusCode::NOT_FOUND);
    assert!(!ids(&ok(&w.get("/api/v1/registrations", &w.responder_b).await, StatusCode::OK)).contains(&referred));
}

#[tokio::test]
async fn the_competent_authority_never_reads_support_notes() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let note = json!({"compartment": "support", "body": "Counselling on Tuesdays; afraid of the employer."});
    let r = w.post(&format!("/api/v1/cases/{id}/notes"), &w.caseworker, note).await;
    ok(&r, StatusCode::CREATED);
    let r = w.get(&format!("/api/v1/cases/{id}/notes?compartment=support"), &w.decider).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(!r.body.contains("Counselling"));
    let r = w.get(&format!("/api/v1/cases/{id}/notes?compartment=support"), &w.caseworker).await;
    assert!(ok(&r, StatusCode::OK).to_string().contains("Counselling"));
}

#[tokio::test]
async fn a_positive_reasonable_grounds_decision_starts_assistance_and_reflection_art_11_2_and_13_1() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["next_seq"], 1);
    assert_eq!(file["allowed_decisions"], json!(["first_decision_positive", "first_decision_negative", "withdrawal"]));
    let r = w.decide(&id, &w.decider, 1, "first_decision_positive", "").await;
    let view = ok(&r, StatusCode::CREATED);
    assert_eq!(view["seq"], 1);
    assert_eq!(view["kind"], "first_decision_positive");
    assert_eq!(view["decided_by"], "User decider");

    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["status"], "presumed_victim");
    assert_eq!(file["assistance_since"], "2026-09-21", "assistance starts at once, unconditionally");
    assert_eq!(file["next_seq"], 2);
    assert_eq!(file["decisions"].as_array().unwrap().len(), 1);
    // The recovery and reflection period: the 30 days that follow the decision day (Regulation
    // 1182/71 Art 3(1)).
    let reflection = clock(&file, "reflection_end").unwrap_or_else(|| panic!("{}", file["clocks"]));
    assert_eq!(reflection["due"], "2026-10-21");
    assert_eq!(file["reflection"]["start"], "2026-09-22");
    assert_eq!(file["reflection"]["end"], "2026-10-21");
    let rg = clock(&file, "first_decision").unwrap();
    assert_eq!(rg["state"], "done");
    assert_eq!(rg["done_on"], "2026-09-21");
    assert_eq!(clock(&file, "final_decision").unwrap()["due"], "2026-12-20");
    // The owning NGO sees the same status.
    assert_eq!(w.file(&id, &w.caseworker).await["status"], "presumed_victim");
    // The list filters by status.
    let list = ok(&w.get("/api/v1/registrations?nrm_status=presumed_victim", &w.decider).await, StatusCode::OK);
    assert_eq!(ids(&list), vec![id.clone()]);
    let list = ok(&w.get("/api/v1/registrations?nrm_status=referred", &w.decider).await, StatusCode::OK);
    assert!(ids(&list).is_empty(), "{list}");
}

#[tokio::test]
async fn illegal_transitions_are_refused_with_the_reason() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    // A conclusive-grounds decision needs a positive reasonable-grounds decision first.
    let r = w.decide(&id, &w.decider, 1, "final_decision_positive", "Consistent account, documents.").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("positive first decision first"), "{message}");
    // A negative decision states its reasons.
    let r = w.decide(&id, &w.decider, 1, "first_decision_negative", "").await;
    assert!(matches!(r.status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT), "{}", r.body);
    let error = &r.json()["error"];
    assert!(error["field"] == "reasons" || error["message"].as_str().unwrap().contains("reasons"), "{}", r.body);
    // A decision is not dated before the referral.
    let r = w
        .post(
            &format!("/api/v1/registrations/{id}/decisions"),
            &w.decider,
            json!({"seq": 1, "kind": "first_decision_positive", "decided_on": "2026-09-20"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("before the referral"), "{}", r.body);
    // Nothing of this was recorded.
    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["status"], "referred");
    assert_eq!(file["decisions"], json!([]));
}

#[tokio::test]
async fn a_negative_decision_reconsidered_and_overturned_makes_a_presumed_victim() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let path = [
        ("first_decision_negative", "No indicator of coercion found at the interview.", "first_decision_negative"),
        ("reconsideration_requested", "", "first_decision_reconsideration"),
        ("reconsideration_overturned", "New evidence of debt bondage from the labour inspectorate.", "presumed_victim"),
    ];
    for (n, (kind, reasons, status)) in path.iter().enumerate() {
        let seq = u32::try_from(n).unwrap() + 1;
        let r = w.decide(&id, &w.decider, seq, kind, reasons).await;
        ok(&r, StatusCode::CREATED);
        let file = w.file(&id, &w.decider).await;
        assert_eq!(file["status"], *status, "after {kind}");
        // Assistance runs from the referral whatever the decisions (Dir 2011/36 Art 11(2)).
        assert_eq!(file["assistance_since"], file["referred_on"], "after {kind}");
    }
    let file = w.file(&id, &w.decider).await;
    // The overturning reconsideration counts as a positive reasonable-grounds decision.
    assert_eq!(file["assistance_since"], "2026-09-21");
    assert_eq!(file["reflection"]["start"], "2026-09-22");
    assert_eq!(file["decisions"].as_array().unwrap().len(), 3);
    assert_eq!(file["decisions"][0]["reasons"], "No indicator of coercion found at the interview.");
    assert_eq!(file["allowed_decisions"], json!(["final_decision_positive", "final_decision_negative", "withdrawal"]));
}

#[tokio::test]
async fn a_correction_names_the_latest_decision_and_the_history_keeps_both() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    ok(&w.decide(&id, &w.decider, 1, "first_decision_positive", "").await, StatusCode::CREATED);
    let correct = |reasons: &str| {
        json!({"seq": 2, "kind": "first_decision_negative", "decided_on": "2026-09-21", "reasons": reasons,
               "corrects": 1})
    };
    // A correction always states its reasons.
    let r = w.post(&format!("/api/v1/registrations/{id}/decisions"), &w.decider, correct("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "reasons");
    let r = w
        .post(&format!("/api/v1/registrations/{id}/decisions"), &w.decider, correct("Recorded on the wrong case."))
        .await;
    let view = ok(&r, StatusCode::CREATED);
    assert_eq!(view["corrects"], 1);

    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["status"], "first_decision_negative");
    let decisions = file["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2, "the corrected decision stays in the history");
    assert_eq!(decisions[0]["kind"], "first_decision_positive");
    assert_eq!(decisions[0]["corrected_by"], 2);
    assert_eq!(decisions[1]["corrects"], 1);
    // The status and its dates are recomputed from the decisions in force.
    assert_eq!(file["assistance_since"], file["referred_on"]);
    assert!(file["reflection"].is_null(), "{}", file["reflection"]);
    assert_eq!(file["correctable"][0], 2);

    // A decision already corrected cannot be corrected again.
    let r = w
        .post(
            &format!("/api/v1/registrations/{id}/decisions"),
            &w.decider,
            json!({"seq": 3, "kind": "withdrawal", "decided_on": "2026-09-21", "reasons": "Again.", "corrects": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("already been corrected"), "{}", r.body);
    assert_eq!(w.file(&id, &w.decider).await["decisions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn only_a_decision_maker_records_decisions() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    for s in [&w.caseworker, &w.responder, &w.supervisor, &w.officer] {
        let r = w.decide(&id, s, 1, "first_decision_positive", "").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let file = w.file(&id, &w.caseworker).await;
    assert_eq!(file["status"], "referred");
    assert_eq!(file["decisions"], json!([]));
}

// ---------------------------------------------------------------------------------------------
// 5. Concurrency: of two decisions taking the same place, exactly one wins
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn two_decision_makers_deciding_at_once_one_wins() {
    let w = World::new().await;
    for round in 0..4 {
        let id = w.refer(&w.responder, adult("Anna", &format!("Ozola{round}"))).await;
        let path = format!("/api/v1/registrations/{id}/decisions");
        let positive = json!({"seq": 1, "kind": "first_decision_positive", "decided_on": "2026-09-21"});
        let negative = json!({"seq": 1, "kind": "first_decision_negative", "decided_on": "2026-09-21",
                              "reasons": "No indicator found."});
        let (a, b) = tokio::join!(
            w.t.call(Method::POST, &path, Some(&w.decider), Some(positive)),
            w.t.call(Method::POST, &path, Some(&w.decider2), Some(negative)),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT], "round {round}: {} / {}", a.body, b.body);
        let file = w.file(&id, &w.decider).await;
        let decisions = file["decisions"].as_array().unwrap();
        assert_eq!(decisions.len(), 1, "{}", file["decisions"]);
        let winner = if a.status == StatusCode::CREATED { "presumed_victim" } else { "first_decision_negative" };
        assert_eq!(file["status"], winner);
    }
}

#[tokio::test]
async fn two_editors_saving_the_same_version_at_once_one_wins() {
    let w = World::new().await;
    let id = w.create(&w.responder, adult("Anna", "Ozola")).await;
    let path = format!("/api/v1/registrations/{id}");
    let a = json!({"version": 1, "registration": adult("Anna", "Ozola-Berzina")});
    let b = json!({"version": 1, "registration": adult("Anna", "Ozola-Kalnina")});
    let (ra, rb) = tokio::join!(
        w.t.call(Method::PUT, &path, Some(&w.responder), Some(a)),
        w.t.call(Method::PUT, &path, Some(&w.caseworker), Some(b)),
    );
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", ra.body, rb.body);
    let file = w.file(&id, &w.responder).await;
    assert_eq!(file["version"], 2);
    let winner = if ra.status == StatusCode::OK { "Ozola-Berzina" } else { "Ozola-Kalnina" };
    assert_eq!(file["registration"]["person"]["family_names"], winner);
    // The person index follows the winner: search finds the saved name, not the lost one.
    let hits = w.search(&w.responder, &[("name", &format!("Anna {winner}"))]).await;
    assert_eq!(hit_ids(&hits), vec![id.clone()]);
}

// ---------------------------------------------------------------------------------------------
// 6. Statutory clocks (Convention Art 13(1); Directive Art 13(1)-(2), 14(2))
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_reasonable_grounds_clock_counts_working_days_and_goes_overdue() {
    let w = World::new().await;
    // Referred on Monday 2026-09-21 in Latvia: 5 working days from the next day.
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let file = w.file(&id, &w.decider).await;
    let rg = clock(&file, "first_decision").unwrap_or_else(|| panic!("{}", file["clocks"]));
    assert_eq!(rg["due"], "2026-09-28");
    assert_eq!(rg["state"], "upcoming");
    assert!(clock(&file, "guardian").is_none(), "an adult has no guardian clock");

    let board = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    let line = board.as_array().unwrap().iter().find(|i| i["case_id"] == id.as_str() && i["clock"] == "first_decision");
    let line = line.unwrap_or_else(|| panic!("{board}"));
    assert_eq!(line["due"], "2026-09-28");
    assert_eq!(line["state"], "upcoming");
    assert_eq!(line["nrm_status"], "referred");

    // Wednesday 2026-09-30: two days overdue.
    w.t.clock.set(START + 9 * DAY);
    let decider = w.relogin("decider").await;
    let board = ok(&w.get("/api/v1/deadlines", &decider).await, StatusCode::OK);
    let line = board.as_array().unwrap().iter().find(|i| i["case_id"] == id.as_str() && i["clock"] == "first_decision");
    let line = line.unwrap_or_else(|| panic!("{board}"));
    assert_eq!(line["state"], "overdue", "{line}");
    assert_eq!(line["overdue_days"], 2, "{line}");

    // The decision closes the clock: it leaves the dashboard.
    let body = json!({"seq": 1, "kind": "first_decision_positive", "decided_on": "2026-09-30"});
    ok(&w.post(&format!("/api/v1/registrations/{id}/decisions"), &decider, body).await, StatusCode::CREATED);
    let board = ok(&w.get("/api/v1/deadlines", &decider).await, StatusCode::OK);
    assert!(
        !board.as_array().unwrap().iter().any(|i| i["case_id"] == id.as_str() && i["clock"] == "first_decision"),
        "{board}"
    );
    let reflection =
        board.as_array().unwrap().iter().find(|i| i["case_id"] == id.as_str() && i["clock"] == "reflection_end");
    assert_eq!(reflection.unwrap_or_else(|| panic!("{board}"))["due"], "2026-10-30");
}

#[tokio::test]
async fn a_child_without_a_guardian_shows_a_guardian_clock_art_14_2() {
    let w = World::new().await;
    let without = w.refer(&w.responder, child("Ion", "Rusu")).await;
    let mut with = child("Vasile", "Rusu");
    with["guardian"] = json!({"appointed_on": "2026-09-21", "name": "Ilze Berzina", "organisation": "Orphan's court"});
    let with = w.refer(&w.responder, with).await;

    let file = w.file(&without, &w.caseworker).await;
    assert_eq!(file["guardian_missing"], true);
    let guardian = clock(&file, "guardian").unwrap_or_else(|| panic!("{}", file["clocks"]));
    assert_eq!(guardian["due"], "2026-09-24", "referral + 3 days in the Latvian profile");
    let file = w.file(&with, &w.caseworker).await;
    assert_eq!(file["guardian_missing"], false);
    assert!(clock(&file, "guardian").is_none(), "{}", file["clocks"]);

    let board = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    let guardians: Vec<&Value> = board.as_array().unwrap().iter().filter(|i| i["clock"] == "guardian").collect();
    assert_eq!(guardians.len(), 1, "{board}");
    assert_eq!(guardians[0]["case_id"], without.as_str());
    assert_eq!(guardians[0]["child"], true);

    // Recording the guardian (a correction of the referred registration) ends the alert.
    let current = w.file(&without, &w.caseworker).await;
    let mut reg = current["registration"].clone();
    reg["guardian"] = json!({"appointed_on": "2026-09-22", "name": "Ilze Berzina", "organisation": "Orphan's court"});
    let r = w
        .put(
            &format!("/api/v1/registrations/{without}"),
            &w.caseworker,
            json!({"version": current["version"], "registration": reg}),
        )
        .await;
    ok(&r, StatusCode::OK);
    let board = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    assert!(!board.as_array().unwrap().iter().any(|i| i["clock"] == "guardian"), "{board}");
    let file = w.file(&without, &w.caseworker).await;
    assert_eq!(file["status"], "referred", "correcting the registration keeps the status");
    assert_eq!(file["referred_on"], "2026-09-21");
}

#[tokio::test]
async fn a_supervisor_sees_only_own_organisation_deadlines() {
    let w = World::new().await;
    let own = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let other = w.refer(&w.responder_b, adult("Liga", "Kalnina")).await;
    let _draft = w.create(&w.responder, adult("Draft", "Only")).await;

    let board = ok(&w.get("/api/v1/deadlines", &w.supervisor).await, StatusCode::OK);
    let cases: Vec<&str> = board.as_array().unwrap().iter().map(|i| i["case_id"].as_str().unwrap()).collect();
    assert!(cases.contains(&own.as_str()), "{board}");
    assert!(!cases.contains(&other.as_str()), "another organisation's case: {board}");
    assert!(board.as_array().unwrap().iter().all(|i| i["owner_organisation_id"] == w.ngo.as_str()), "{board}");
    // No personal data on the dashboard.
    assert!(!board.to_string().contains("Ozola"));

    let board = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    let cases: Vec<&str> = board.as_array().unwrap().iter().map(|i| i["case_id"].as_str().unwrap()).collect();
    assert!(cases.contains(&own.as_str()) && cases.contains(&other.as_str()), "{board}");
    assert_eq!(cases.len(), 2, "drafts have no clocks: {board}");
    assert!(board.as_array().unwrap().iter().any(|i| i["owner_organisation_id"] == w.ngo_b.as_str()));

    // A caseworker has no dashboard.
    assert_eq!(w.get("/api/v1/deadlines", &w.caseworker).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_child_who_turns_18_leaves_the_guardian_alert_on_the_dashboard_as_on_the_case_page() {
    // Directive Arts 2(6), 14(2): a guardian is for a child. docs/identification.md section 4:
    // whether the person is a child is worked out every day; the dashboard and the case page agree.
    let w = World::new().await;
    // 17 on the referral day (2026-09-21), 18 on 2026-09-25.
    let reg = json!({"person": {"given_names": "Ion", "family_names": "Rusu", "sex": "male",
                                "date_of_birth": "2008-09-25", "dob_verified": true}});
    let id = w.refer(&w.responder, reg).await;
    let board = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    assert!(board.as_array().unwrap().iter().any(|i| i["case_id"] == id.as_str() && i["clock"] == "guardian"));

    w.t.clock.set(START + 5 * DAY); // 2026-09-26
    let decider = w.relogin("decider").await;
    let file = w.file(&id, &decider).await;
    assert_eq!(file["child_status"], "adult");
    assert!(clock(&file, "guardian").is_none(), "{}", file["clocks"]);
    assert_eq!(file["guardian_missing"], false);
    let board = ok(&w.get("/api/v1/deadlines", &decider).await, StatusCode::OK);
    let lines: Vec<&Value> = board.as_array().unwrap().iter().filter(|i| i["case_id"] == id.as_str()).collect();
    assert!(!lines.is_empty(), "{board}");
    assert!(!lines.iter().any(|i| i["clock"] == "guardian"), "the case page shows no guardian alert: {board}");
    assert!(lines.iter().all(|i| i["child"] == false), "{board}");
}

// ---------------------------------------------------------------------------------------------
// 7. Residence and non-punishment records (Directive Art 8; Convention Arts 13, 14, 26;
//    Directive 2004/81/EC Arts 6, 8)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_compelled_offence_of_a_presumed_victim_gives_a_non_punishment_notice_art_8() {
    let w = World::new().await;
    // The police register the case and share its identity with the NGO that supports the person.
    let id = w.refer(&w.officer, adult("Anna", "Ozola")).await;
    assert_eq!(w.file(&id, &w.officer).await["owner_organisation_id"], w.police.as_str());
    let share = json!({"organisation_id": w.ngo, "compartments": ["identity"]});
    let r = w.post(&format!("/api/v1/cases/{id}/shares"), &w.officer, share).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);

    let matter = json!({"offence": "Shoplifting", "authority": "Riga city prosecutor", "reference": "11-2026/77",
                        "recorded_on": "2026-09-21", "compelled": "yes"});
    // Only those who hold the proceedings compartment record a criminal matter.
    let r = w.record(&id, &w.caseworker, "criminal_matter", matter.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = w.record(&id, &w.decider, "criminal_matter", matter.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Before reasonable grounds are found, there is no notice.
    let view = ok(&w.record(&id, &w.officer, "criminal_matter", matter).await, StatusCode::CREATED);
    assert_eq!(view["kind"], "criminal_matter");
    assert_eq!(view["body"]["compelled"], true);
    let file = w.file(&id, &w.officer).await;
    // Referred: the registration is the reasonable-grounds indication (Dir 2011/36 Art 11(2)), so
    // the notice is there already.
    assert_eq!(file["non_punishment_flag"], true);

    ok(&w.decide(&id, &w.decider, 1, "first_decision_positive", "").await, StatusCode::CREATED);
    let file = w.file(&id, &w.officer).await;
    assert_eq!(file["non_punishment_flag"], true);
    let notice = &file["non_punishment"];
    assert_eq!(notice["articles"], json!(["Dir 2011/36 Art 8", "CETS 197 Art 26"]));
    assert_eq!(notice["matters"][0]["offence"], "Shoplifting");
    assert!(notice["text"].as_str().unwrap().contains("first decision of 2026-09-21"), "{notice}");
    assert!(file["records"].as_array().unwrap().iter().any(|r| r["kind"] == "criminal_matter"));

    // The supporting NGO and the competent authority know a notice exists, not what it says.
    for s in [&w.caseworker, &w.decider] {
        let file = w.file(&id, s).await;
        assert!(file["non_punishment"].is_null(), "{}", file["non_punishment"]);
        assert_eq!(file["non_punishment_flag"], true);
        assert!(!file["records"].as_array().unwrap().iter().any(|r| r["kind"] == "criminal_matter"));
        assert!(!file.to_string().contains("Shoplifting"));
    }
}

#[tokio::test]
async fn a_matter_not_compelled_gives_no_notice() {
    let w = World::new().await;
    let id = w.refer(&w.officer, adult("Anna", "Ozola")).await;
    ok(&w.decide(&id, &w.decider, 1, "first_decision_positive", "").await, StatusCode::CREATED);
    let matter =
        json!({"offence": "Speeding", "authority": "Road police", "recorded_on": "2026-09-21", "compelled": "no"});
    ok(&w.record(&id, &w.officer, "criminal_matter", matter).await, StatusCode::CREATED);
    let file = w.file(&id, &w.officer).await;
    assert!(file["non_punishment"].is_null());
    assert_eq!(file["non_punishment_flag"], false);
}

#[tokio::test]
async fn a_permit_for_a_cooperating_victim_runs_at_least_six_months_directive_2004_81_art_8_3() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    // Referred, nothing decided: identification runs, so no removal (CETS 197 Art 10(2); the
    // referral is the reasonable-grounds indication of Dir 2011/36 Art 11(2)).
    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["removal"]["no_expulsion"], true, "{}", file["removal"]);

    ok(&w.decide(&id, &w.decider, 1, "first_decision_positive", "").await, StatusCode::CREATED);
    // During the reflection period no expulsion order may be enforced (Convention Art 13(1);
    // Dir 2004/81 Art 6(2)), nor while a presumed victim (Convention Art 10(2)).
    let file = w.file(&id, &w.caseworker).await;
    assert_eq!(file["removal"]["no_expulsion"], true, "{}", file["removal"]);
    let articles: Vec<&str> =
        file["removal"]["reasons"].as_array().unwrap().iter().map(|r| r["article"].as_str().unwrap()).collect();
    // On the decision day itself the reflection period has not started (it starts the next day,
    // Regulation 1182/71 Art 3(1)); the person is protected as a presumed victim.
    assert_eq!(file["reflection"]["start"], "2026-09-22");
    assert!(articles.contains(&"CETS 197 Art 10(2)"), "{articles:?}");

    let application = json!({"applied_on": "2026-09-21", "ground": "cooperation"});
    let app = ok(&w.record(&id, &w.decider, "permit_application", application).await, StatusCode::CREATED);
    let app_id = app["id"].as_str().unwrap();
    let decision = |until: &str| {
        json!({"application_id": app_id, "decided_on": "2026-09-21", "granted": "yes", "valid_from": "2026-09-21",
               "valid_until": until})
    };
    // One day short of six months.
    let r = w.record(&id, &w.decider, "permit_decision", decision("2027-03-19")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "fields.valid_until");
    assert!(r.body.contains("2027-03-20"), "the message names the earliest last day: {}", r.body);
    let view = ok(&w.record(&id, &w.decider, "permit_decision", decision("2027-03-20")).await, StatusCode::CREATED);
    assert_eq!(view["body"]["granted"], true);
    // A decision on an application that does not exist.
    let mut orphan = decision("2027-03-20");
    orphan["application_id"] = json!("00000000-0000-0000-0000-000000000000");
    let r = w.record(&id, &w.decider, "permit_decision", orphan).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "fields.application_id");

    let file = w.file(&id, &w.caseworker).await;
    let mut kinds: Vec<&str> =
        file["records"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, vec!["permit_application", "permit_decision"], "the refused decisions were not kept");
    // Art 10(2) and the permit; the reflection period starts the day after the decision.
    assert_eq!(file["removal"]["reasons"].as_array().unwrap().len(), 2, "{}", file["removal"]);
}

#[tokio::test]
async fn the_reflection_period_can_be_ended_early_only_while_it_runs() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let end = json!({"terminated_on": "2026-09-22", "ground": "public_order"});
    let r = w.record(&id, &w.decider, "reflection_termination", end.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "no reflection period runs yet: {}", r.body);
    ok(&w.decide(&id, &w.decider, 1, "first_decision_positive", "").await, StatusCode::CREATED);
    ok(&w.record(&id, &w.decider, "reflection_termination", end).await, StatusCode::CREATED);
    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["reflection"]["terminated_on"], "2026-09-22");
    assert_eq!(file["reflection"]["termination_ground"], "public_order");
}

#[tokio::test]
async fn an_early_end_of_the_reflection_period_falls_within_it_art_13_3() {
    // Convention Art 13(3); Dir 2004/81 Art 6(4): the period is ended early from a date
    // within it. A date before its start would erase the whole period (and the removal protection
    // of Art 13(1)) after the fact; a date after its end ends nothing.
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    ok(&w.decide(&id, &w.decider, 1, "first_decision_positive", "").await, StatusCode::CREATED);
    // Regulation 1182/71 Art 3(1): the 30 days follow the decision day.
    assert_eq!(w.file(&id, &w.decider).await["reflection"]["end"], "2026-10-21");
    for date in ["2026-09-21", "2026-10-22"] {
        let end = json!({"terminated_on": date, "ground": "public_order"});
        let r = w.record(&id, &w.decider, "reflection_termination", end).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}: {}", r.body);
        assert_eq!(r.json()["error"]["field"], "fields.terminated_on", "{date}: {}", r.body);
    }
    let file = w.file(&id, &w.decider).await;
    assert!(file["reflection"]["terminated_on"].is_null(), "{}", file["reflection"]);
    assert_eq!(file["removal"]["no_expulsion"], true);
}

// ---------------------------------------------------------------------------------------------
// 8. Finding a person again (Convention Art 11: within scope, identifiers by keyed index)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_person_is_found_by_folded_name_date_and_normalised_document() {
    let w = World::new().await;
    let mut reg = adult("Žanna", "Ķirse");
    reg["person"]["documents"] = json!([{"kind": "passport", "number": "LV 123-456", "issuing_country": "LV"}]);
    let zanna = w.create(&w.responder, reg).await;
    let mut reg = adult("Олена", "Коваленко");
    reg["person"]["date_of_birth"] = json!("1994-03-12");
    let olena = w.create(&w.responder, reg).await;

    let hits = w.search(&w.responder, &[("name", "zanna kirse")]).await;
    assert_eq!(hit_ids(&hits), vec![zanna.clone()], "diacritics: {hits:?}");
    // The audit log says which cases the search showed, not only how many.
    let audit = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    let searched = audit.iter().rev().find(|e| e.event.action.to_string() == "person_searched").unwrap();
    assert_eq!(searched.event.detail.as_deref(), Some(format!("results=1 cases={zanna}").as_str()));
    assert_eq!(hits[0]["name"], "Žanna Ķirse");
    assert_eq!(hits[0]["matched_on"], json!(["name"]));
    let hits = w.search(&w.responder, &[("name", "Kirse Zanna")]).await;
    assert_eq!(hit_ids(&hits), vec![zanna.clone()], "name order: {hits:?}");
    let hits = w.search(&w.responder, &[("name", "Olena Kovalenko")]).await;
    assert_eq!(hit_ids(&hits), vec![olena.clone()], "transliteration: {hits:?}");
    let hits = w.search(&w.responder, &[("date_of_birth", "1990-05-01")]).await;
    assert_eq!(hit_ids(&hits), vec![zanna.clone()], "{hits:?}");
    assert_eq!(hits[0]["matched_on"], json!(["date_of_birth"]));
    assert!(w.search(&w.responder, &[("date_of_birth", "1990-05-02")]).await.is_empty());
    let hits = w.search(&w.responder, &[("document", "lv123456")]).await;
    assert_eq!(hit_ids(&hits), vec![zanna.clone()], "{hits:?}");
    assert_eq!(hits[0]["score"], 1.0);
    // A name and a date both given: a matching date alone is no result.
    assert!(w.search(&w.responder, &[("name", "Peteris Berzins"), ("date_of_birth", "1990-05-01")]).await.is_empty());
    // A name far from both finds neither.
    assert!(w.search(&w.responder, &[("name", "Peteris Berzins")]).await.is_empty());

    // Another NGO never finds them, whatever it searches by.
    for q in [
        &[("name", "Zanna Kirse")][..],
        &[("name", "Olena Kovalenko")][..],
        &[("date_of_birth", "1990-05-01")][..],
        &[("document", "LV 123-456")][..],
    ] {
        assert!(w.search(&w.responder_b, q).await.is_empty(), "{q:?}");
    }
    // Nor does the competent authority while the registration is a draft.
    assert!(w.search(&w.decider, &[("name", "Zanna Kirse")]).await.is_empty());
}

#[tokio::test]
async fn registering_the_same_person_again_warns_of_a_possible_duplicate() {
    let w = World::new().await;
    let first = w.create(&w.responder, adult("Žanna", "Ķirse")).await;
    let r = w.post("/api/v1/registrations", &w.caseworker, adult("Zanna", "Kirse")).await;
    let saved = ok(&r, StatusCode::CREATED);
    let dups = saved["possible_duplicates"].as_array().unwrap();
    assert_eq!(hit_ids(dups), vec![first.clone()], "{saved}");
    assert!(dups[0]["matched_on"].as_array().unwrap().contains(&json!("date_of_birth")), "{saved}");
    // A different person is no duplicate.
    let r = w.post("/api/v1/registrations", &w.responder, adult("Liga", "Kalnina")).await;
    assert_eq!(ok(&r, StatusCode::CREATED)["possible_duplicates"], json!([]));
    // Another organisation registering the same person is not told about NGO A's case.
    let r = w.post("/api/v1/registrations", &w.responder_b, adult("Žanna", "Ķirse")).await;
    assert_eq!(ok(&r, StatusCode::CREATED)["possible_duplicates"], json!([]));
}

#[tokio::test]
async fn the_candidate_index_is_what_search_reads_and_is_rebuilt_when_missing() {
    let mut w = World::new().await;
    let mut reg = adult("Олена", "Коваленко");
    reg["person"]["date_of_birth"] = json!("1994-03-12");
    let olena = w.create(&w.responder, reg).await;
    let zanna = w.create(&w.responder, adult("Žanna", "Ķirse")).await;
    let stored: i64 =
        w.t.app.store().count_unchecked("SELECT COUNT(*) FROM identifier_index WHERE kind = 'block'").await.unwrap();
    assert!(stored >= 4, "each registration stores its blocking keys: {stored}");
    // The register is not read whole: without the stored keys, a name finds nobody.
    w.t.app.store().execute_unchecked("DELETE FROM identifier_index WHERE kind = 'block'").await.unwrap();
    w.t.app.store().execute_unchecked("DELETE FROM linkage_index").await.unwrap();
    assert!(w.search(&w.responder, &[("name", "Olena Kovalenko")]).await.is_empty());
    // A database without the index (an earlier version's, or another model's) has it rebuilt
    // before the first search of a new process.
    w.t = w.t.with_embedded_profiles();
    assert_eq!(hit_ids(&w.search(&w.responder, &[("name", "Olena Kovalenko")]).await), vec![olena.clone()]);
    assert_eq!(hit_ids(&w.search(&w.responder, &[("name", "Kirse Zanna")]).await), vec![zanna.clone()]);
    let cases: i64 = w.t.app.store().count_unchecked("SELECT cases FROM linkage_index").await.unwrap();
    assert_eq!(cases, 2);
    // and a registration's duplicate warning reads it again
    let saved = ok(&w.post("/api/v1/registrations", &w.caseworker, adult("Zanna", "Kirse")).await, StatusCode::CREATED);
    assert_eq!(hit_ids(saved["possible_duplicates"].as_array().unwrap()), vec![zanna]);
}

/// The level and weight the engine gave a field in a hit's explanation.
fn reason<'a>(hit: &'a Value, field: &str) -> (&'a str, f64) {
    let e = hit["explanation"].as_array().unwrap().iter().find(|e| e["field"] == field);
    let e = e.unwrap_or_else(|| panic!("no {field} in {hit}"));
    (e["level"].as_str().unwrap(), e["weight"].as_f64().unwrap())
}

#[tokio::test]
async fn search_and_the_duplicate_warning_say_which_fields_agreed() {
    let w = World::new().await;
    let mut reg = adult("Олена", "Коваленко");
    reg["person"]["date_of_birth"] = json!("1994-03-12");
    let olena = w.create(&w.responder, reg).await;

    // Transliterated, in the other order, with the date of birth.
    let hits = w.search(&w.responder, &[("name", "Kovalenko Olena"), ("date_of_birth", "1994-03-12")]).await;
    assert_eq!(hit_ids(&hits), vec![olena.clone()], "{hits:?}");
    let hit = &hits[0];
    assert!(hit["probability"].as_f64().unwrap() > 0.99, "{hit}");
    assert_eq!(hit["matched_on"], json!(["name", "date_of_birth"]));
    for field in ["given_names", "family_names", "date_of_birth"] {
        let (level, weight) = reason(hit, field);
        assert_eq!(level, "exact", "{field}: {hit}");
        assert!(weight > 5.0, "{field}: {hit}");
    }
    // The search gives no sex: not compared, no weight.
    assert_eq!(reason(hit, "sex"), ("missing", 0.0), "{hit}");
    // A name alone weighs less than a name and a date of birth.
    let by_name = w.search(&w.responder, &[("name", "Olena Kovalenko")]).await;
    assert!(by_name[0]["probability"].as_f64().unwrap() < hit["probability"].as_f64().unwrap(), "{by_name:?}");
    assert_eq!(reason(&by_name[0], "date_of_birth").0, "missing");
    // A date of birth searched alone is exact, with nothing for the engine to explain.
    let by_date = w.search(&w.responder, &[("date_of_birth", "1994-03-12")]).await;
    assert_eq!(by_date[0]["score"], 1.0);
    assert_eq!(by_date[0]["explanation"], json!([]));

    // The warning on save says the same.
    let mut again = adult("Olena", "Kovalenko");
    again["person"]["date_of_birth"] = json!("1994-03-12");
    let saved = ok(&w.post("/api/v1/registrations", &w.caseworker, again).await, StatusCode::CREATED);
    let dups = saved["possible_duplicates"].as_array().unwrap();
    assert_eq!(hit_ids(dups), vec![olena.clone()], "{saved}");
    assert!(dups[0]["probability"].as_f64().unwrap() >= 0.5, "{saved}");
    assert_eq!(reason(&dups[0], "given_names").0, "exact", "{saved}");
    assert_eq!(reason(&dups[0], "date_of_birth").0, "exact", "{saved}");
    assert_eq!(reason(&dups[0], "sex").0, "exact", "{saved}");
    // Her sister, with the same family name and another date of birth, is no duplicate.
    let mut sister = adult("Iryna", "Kovalenko");
    sister["person"]["date_of_birth"] = json!("1989-07-30");
    let saved = ok(&w.post("/api/v1/registrations", &w.responder, sister).await, StatusCode::CREATED);
    assert_eq!(saved["possible_duplicates"], json!([]), "{saved}");
}

#[tokio::test]
async fn statistics_count_one_person_registered_by_two_organisations_once() {
    let w = World::new().await;
    let with = |mut reg: Value, dob: &str| {
        reg["person"]["date_of_birth"] = json!(dob);
        reg["person"]["citizenships"] = json!(["UA"]);
        reg
    };
    // NGO A writes her name in Cyrillic; NGO B transliterated, family name first.
    w.refer(&w.responder, with(adult("Олена", "Коваленко"), "1994-03-12")).await;
    w.refer(&w.responder_b, with(adult("Kovalenko", "Olena"), "1994-03-12")).await;
    // Another woman of the same family name is another person.
    w.refer(&w.responder, with(adult("Iryna", "Kovalenko"), "1989-07-30")).await;
    // A draft is not counted, nor is a registration in Estonia.
    w.create(&w.responder_b, with(adult("Olena", "Kovalenko"), "1994-03-12")).await;
    w.refer(&w.ee_responder, with(adult("Olena", "Kovalenko"), "1994-03-12")).await;

    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["registered"], 3, "{stats}");
    let persons = &stats["distinct_persons"];
    assert_eq!(persons["persons"], 2, "{stats}");
    assert_eq!(persons["records"], 3, "{stats}");
    assert_eq!(persons["merged"], 1, "{stats}");
    let method = persons["method"].as_str().unwrap();
    assert!(method.contains("linkage engine") && method.contains("persons v1") && method.contains("0.9"), "{method}");
    // Counts only: no name in any spelling, no case.
    let text = stats.to_string();
    for name in ["Olena", "Олена", "Kovalenko", "Iryna", "case_id"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    // NGO B's registration stays out of NGO A's search and duplicate warnings.
    assert_eq!(w.search(&w.responder, &[("name", "Olena Kovalenko")]).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 9. HTCDS v2.0 exchange
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_registration_survives_an_htcds_round_trip_as_json_and_csv() {
    let w = World::new().await;
    let id = w.create(&w.responder, full_registration()).await;
    let original = w.file(&id, &w.responder).await["registration"].clone();
    for format in ["json", "csv"] {
        let r = w.get(&format!("/api/v1/registrations/{id}/htcds?format={format}"), &w.responder).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let content_type = r.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(content_type.starts_with(if format == "csv" { "text/csv" } else { "application/json" }));
        assert!(r.body.contains("prs_"), "HTCDS field names: {}", r.body);
        let exported = r.body.clone();

        let r = w.send_text(&format!("/api/v1/registrations/import?format={format}"), &w.responder, exported).await;
        let saved = ok(&r, StatusCode::CREATED);
        let saved = saved.as_array().unwrap();
        assert_eq!(saved.len(), 1, "{r:?}", r = r.body);
        assert_eq!(saved[0]["state"], "draft");
        let new_id = saved[0]["id"].as_str().unwrap();
        assert_ne!(new_id, id);
        let file = w.file(new_id, &w.responder).await;
        let mut registration = file["registration"].clone();
        // What the other system recorded (here: the exporting case's reference and case worker) is kept
        // as imported, apart from the registration.
        let imported = registration.as_object_mut().unwrap().remove("imported").unwrap();
        assert_eq!(registration, original, "{format}: nothing lost in the round trip");
        assert_eq!(imported["case_owner"], "responder", "{format}: the case worker is the case owner");
        assert!(imported["reference"].is_string(), "{imported}");
        assert_eq!(file["owner_organisation_id"], w.ngo.as_str());
    }
}

#[tokio::test]
async fn a_malformed_htcds_file_is_refused_whole_naming_the_line() {
    let w = World::new().await;
    let id = w.create(&w.responder, full_registration()).await;
    let csv = w.get(&format!("/api/v1/registrations/{id}/htcds?format=csv"), &w.responder).await.body;
    let before = w.t.app.store().count_cases().await.unwrap();
    let list_before = w.get("/api/v1/registrations", &w.responder).await.body;

    // Two records; the second has an impossible date of birth. The narrative spans two lines and
    // the second event is a row of its own (hte_), so the first record takes lines 2-4 and the
    // second starts on line 5.
    let (header, record) = csv.split_once('\n').unwrap();
    let record = record.trim_end();
    assert!(record.contains("1994-03-12"));
    let bad = record.replace("1994-03-12", "1994-02-30");
    let second_line = 3 + record.matches('\n').count();
    assert_eq!(second_line, 5, "{csv}");
    let file = format!("{header}\n{record}\n{bad}\n");
    let r = w.send_text("/api/v1/registrations/import?format=csv", &w.responder, file).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["error"]["problems"][0]["location"],
        format!("line {second_line}, column prs_Birthdate"),
        "{}",
        r.body
    );

    // A row of the wrong width.
    let r = w.send_text("/api/v1/registrations/import?format=csv", &w.responder, format!("{header}\nx,y\n")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.json()["error"]["problems"][0]["location"].as_str().unwrap().starts_with("line 2"), "{}", r.body);
    // A column that is no field of the standard is refused rather than dropped.
    let r =
        w.send_text("/api/v1/registrations/import?format=csv", &w.responder, format!("{header},prs_Nickname\n")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // JSON: not JSON, and a document with an unknown field.
    let r = w.send_text("/api/v1/registrations/import?format=json", &w.responder, "{not json".into()).await;
    refused(&r, "malformed JSON import");
    let r = w
        .send_text("/api/v1/registrations/import?format=json", &w.responder, r#"[{"prs_Nickname": "Ana"}]"#.into())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = w.send_text("/api/v1/registrations/import?format=xml", &w.responder, csv.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "format");

    // Nothing was written.
    assert_eq!(w.t.app.store().count_cases().await.unwrap(), before);
    assert_eq!(w.get("/api/v1/registrations", &w.responder).await.body, list_before);
}

async fn send_bytes(w: &World, path: &str, s: &Session, body: &[u8]) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "application/octet-stream")
        .body(Body::from(body.to_vec()))
        .unwrap();
    w.t.send(req).await
}

#[tokio::test]
async fn the_official_htcds_template_imports_as_it_is_keeping_the_status_as_imported_history() {
    let w = World::new().await;
    let template = include_bytes!("../data/htcds/template-single-select-filled.xlsx");
    let r = send_bytes(&w, "/api/v1/registrations/import?format=xlsx", &w.responder, template).await;
    let saved = ok(&r, StatusCode::CREATED);
    assert_eq!(saved.as_array().unwrap().len(), 5, "{}", r.body);
    let id = saved[0]["id"].as_str().unwrap();
    assert_eq!(saved[0]["state"], "draft", "an imported status is no decision taken in Haven");
    let file = w.file(id, &w.responder).await;
    let imported = &file["registration"]["imported"];
    assert_eq!(imported["trafficking_status"], "ActualVictimOfTrafficking", "{file}");
    assert_eq!(imported["decision_making_org"], "NGO", "{file}");
    assert_eq!(imported["consent"], true, "{file}");
    assert_eq!(imported["remainder"]["prs_Email"], "ada.obi@example.org", "{file}");
    assert!(file["nrm_status"].is_null(), "{file}");
    // The case page shows what was imported, the status as the other system's, apart from Haven's own.
    let page = w.get(&format!("/cases/{id}"), &w.responder).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"imported\""), "{}", page.body);
    assert!(page.body.contains("ActualVictimOfTrafficking") && page.body.contains("ada.obi@example.org"));
    assert!(page.body.contains("<code>cas_IncomingReferralDate</code>"), "{}", page.body);

    // Haven's export writes it back in the standard's vocabulary.
    let r = w.get(&format!("/api/v1/registrations/{id}/htcds"), &w.responder).await;
    let doc = &ok(&r, StatusCode::OK)[0];
    assert_eq!(doc["vic_TraffickingStatus"], "ActualVictimOfTrafficking");
    assert_eq!(doc["vic_TraffickingStatusDecisionMakingOrg"], "NGO");
    assert_eq!(doc["vic_ForcedLabourIndustry"], "A_AgricultureForestryAndFishing");
    assert_eq!(doc["prs_MailingCountry"], "LV");
    assert_eq!(doc["x_haven"]["x_haven_sex"], "unknown");
    assert_eq!(doc["cas_CaseOwner"], "responder", "the case worker in Haven is the case owner now");
}

#[tokio::test]
async fn every_problem_of_a_refused_htcds_file_is_listed_and_nothing_is_written() {
    let w = World::new().await;
    let before = w.t.app.store().count_cases().await.unwrap();
    let csv = "prs_FirstName,prs_Birthdate,vic_TypeOfExploitation\r\nAnna,2001-02-30,SexualExploitation\r\n\
               Ieva,2001-02-28,Tourism\r\nLiene,yesterday,Forced labour\r\n";
    let r = w.send_text("/api/v1/registrations/import?format=csv", &w.responder, csv.into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problems: Vec<String> = r.json()["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["location"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        problems,
        ["line 2, column prs_Birthdate", "line 4, column prs_Birthdate", "line 3, column vic_TypeOfExploitation"]
    );
    let r = send_bytes(&w, "/api/v1/registrations/import?format=xlsx", &w.responder, b"not a workbook").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(w.t.app.store().count_cases().await.unwrap(), before);
}

/// An event's street, state, postal code and coordinates are kept with the event, shown on the case page
/// and written back on export; a coordinate out of range refuses the file, naming the cell.
#[tokio::test]
async fn an_events_address_and_coordinates_are_kept_shown_and_exported() {
    let w = World::new().await;
    let csv = "prs_FirstName,hte_Type,hte_Country,hte_City,hte_Street,hte_PostalCode,hte_Latitude,hte_Longitude\r\n\
               Ada,Recruitment,Nigeria,Benin City,Airport Road 4,300001,6.335,5.6037\r\n\
               ,Exploitation,IT,Castel Volturno,,,41.03,-181\r\n";
    let r = w.send_text("/api/v1/registrations/import?format=csv", &w.responder, csv.into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problems = r.json()["error"]["problems"].clone();
    assert_eq!(problems.as_array().unwrap().len(), 1, "{problems}");
    assert_eq!(problems[0]["location"], "line 3, column hte_Longitude", "{problems}");

    let r = w.send_text("/api/v1/registrations/import?format=csv", &w.responder, csv.replace("-181", "14.0")).await;
    let saved = ok(&r, StatusCode::CREATED);
    let id = saved[0]["id"].as_str().unwrap();
    let page = w.get(&format!("/cases/{id}"), &w.responder).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"htcds-events\""), "{}", page.body);
    assert!(page.body.contains("Airport Road 4") && page.body.contains("<code>hte_Latitude</code>"), "{}", page.body);
    let r = w.get(&format!("/api/v1/registrations/{id}/htcds"), &w.responder).await;
    let doc = &ok(&r, StatusCode::OK)[0];
    assert_eq!(doc["hte"][0]["hte_Street"], "Airport Road 4", "{doc}");
    assert_eq!(doc["hte"][0]["hte_PostalCode"], "300001");
    assert_eq!(doc["hte"][0]["hte_Latitude"], "6.335");
    assert_eq!(doc["hte"][1]["hte_Longitude"], "14.0");
    assert!(doc["hte"][1].get("hte_Street").is_none(), "{doc}");
}

#[tokio::test]
async fn a_selection_of_cases_exports_as_one_file_with_each_case_authorised() {
    let w = World::new().await;
    let a = w.create(&w.responder, full_registration()).await;
    let b = w.create(&w.responder, full_registration()).await;
    let other = w.create(&w.responder_b, full_registration()).await;
    let path = "/api/v1/registrations/htcds-export";
    let r = w.post(path, &w.responder, json!({"cases": [a, b], "format": "csv"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.starts_with("cas_CaseOwner,prs_Salutation,prs_FirstName"), "{}", r.body);
    let r = w.post(path, &w.responder, json!({"cases": [a, b]})).await;
    assert_eq!(ok(&r, StatusCode::OK).as_array().unwrap().len(), 2);
    let r = w.post(path, &w.responder, json!({"cases": [a], "format": "xlsx"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.starts_with("PK"), "an XLSX package");
    // A case the user may not read refuses the whole batch: nothing goes out.
    let r = w.post(path, &w.responder, json!({"cases": [a, other]})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = w.post(path, &w.responder, json!({"cases": [a], "format": "xml"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "format");
}

#[tokio::test]
async fn only_those_who_see_a_case_export_it() {
    let w = World::new().await;
    let id = w.create(&w.responder, full_registration()).await;
    let r = w.get(&format!("/api/v1/registrations/{id}/htcds"), &w.responder_b).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = w.get(&format!("/api/v1/registrations/{id}/htcds"), &w.decider).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a draft is not the competent authority's: {}", r.body);
    let r = w.send_text("/api/v1/registrations/import?format=json", &w.decider, "[]".into()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

// ---------------------------------------------------------------------------------------------
// 10. Bad input: a 4xx naming the field, never a 500
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_registrations_get_a_4xx_naming_the_field() {
    let w = World::new().await;
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        ("wrong type", json!({"person": {"given_names": 5}}), Some("person.given_names")),
        ("wrong type of list", json!({"person": {"citizenships": "UA"}}), Some("person.citizenships")),
        ("unknown field", json!({"person": {"nickname": "x"}}), Some("person")),
        ("bad date", json!({"person": {"date_of_birth": "2026-02-30"}}), Some("person.date_of_birth")),
        ("bad country", json!({"person": {"citizenships": ["XX"]}}), Some("person.citizenships[0]")),
        ("bad sex", json!({"person": {"sex": "yes"}}), Some("person.sex")),
        ("bad language", json!({"person": {"languages": ["latvian"]}}), Some("person.languages[0]")),
        (
            "bad document kind",
            json!({"person": {"documents": [{"kind": "visa", "number": "1"}]}}),
            Some("person.documents[0].kind"),
        ),
        ("bad form", json!({"context": {"forms": ["made_up"]}}), Some("context.forms[0]")),
        ("bad act", json!({"context": {"acts": ["kidnap"]}}), Some("context.acts")),
        (
            "bad industry",
            json!({"context": {"forms": ["forced_labour"], "forced_labour_industry": "Z"}}),
            Some("context.forced_labour_industry"),
        ),
        (
            "industry without forced labour",
            json!({"context": {"forms": ["sexual"], "forced_labour_industry": "A"}}),
            Some("context.forced_labour_industry"),
        ),
        (
            "bad event date",
            json!({"context": {"events": [{"kind": "transit", "date": "2026-13-01"}]}}),
            Some("context.events[0].date"),
        ),
        ("control character", json!({"person": {"given_names": "Anna\u{0007}"}}), Some("person.given_names")),
        ("empty indicator list", json!({"indicators": [{"list": " ", "present": []}]}), Some("indicators[0].list")),
        (
            "bad consent language",
            json!({"support_consent": {"given": true, "date": "2026-09-21", "language": "latvian", "informed_by": "A"}}),
            Some("support_consent.language"),
        ),
        ("unknown top-level field", json!({"pesron": {}}), None),
        ("not an object", json!([1, 2]), None),
    ];
    for (what, body, field) in cases {
        let r = w.post("/api/v1/registrations", &w.responder, body).await;
        let got = refused(&r, what);
        if let Some(field) = field {
            assert!(got.as_deref().is_some_and(|g| g.starts_with(field)), "{what}: field {got:?}, {}", r.body);
        }
    }
    // Malformed JSON.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/registrations")
        .header("host", "localhost")
        .header("cookie", &w.responder.cookie)
        .header("x-csrf-token", &w.responder.csrf)
        .header("content-type", "application/json")
        .body(Body::from("{\"person\": {"))
        .unwrap();
    let r = w.t.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(w.t.app.store().count_cases().await.unwrap(), 0, "nothing was written");
}

#[tokio::test]
async fn bad_updates_submissions_decisions_and_records_get_a_4xx_naming_the_field() {
    let w = World::new().await;
    let draft = w.create(&w.responder, adult("Draft", "Only")).await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let reg = adult("Anna", "Ozola");

    let put = format!("/api/v1/registrations/{draft}");
    for (what, body, field) in [
        ("version as text", json!({"version": "1", "registration": reg}), Some("version")),
        ("no version", json!({"registration": reg}), None),
        ("no registration", json!({"version": 1}), None),
        ("unknown field", json!({"version": 1, "registration": reg, "state": "submitted"}), None),
        (
            "bad date inside",
            json!({"version": 1, "registration": {"person": {"date_of_birth": "2026-02-30"}}}),
            Some("registration.person.date_of_birth"),
        ),
    ] {
        let r = w.put(&put, &w.responder, body).await;
        let got = refused(&r, what);
        if let Some(field) = field {
            assert!(got.as_deref().is_some_and(|g| g.starts_with(field)), "{what}: {got:?} {}", r.body);
        }
    }
    // A version that was never loaded is a conflict.
    let r = w.put(&put, &w.responder, json!({"version": 7, "registration": reg})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(w.file(&draft, &w.responder).await["version"], 1);

    let submit = format!("/api/v1/registrations/{draft}/submit");
    for (what, body) in
        [("version as text", json!({"version": "x"})), ("empty", json!({})), ("extra", json!({"version": 1, "x": 1}))]
    {
        refused(&w.post(&submit, &w.responder, body).await, what);
    }
    // Submitting over a stale version is a conflict and refers nothing.
    let r = w.post(&submit, &w.responder, json!({"version": 9})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(w.file(&draft, &w.responder).await["state"], "draft");

    let decisions = format!("/api/v1/registrations/{id}/decisions");
    let d = |patch: Value| {
        let mut body = json!({"seq": 1, "kind": "first_decision_positive", "decided_on": "2026-09-21"});
        body.as_object_mut().unwrap().extend(patch.as_object().unwrap().clone());
        body
    };
    for (what, body, field) in [
        ("bad kind", d(json!({"kind": "maybe"})), Some("kind")),
        ("impossible date", d(json!({"decided_on": "2026-02-30"})), Some("decided_on")),
        ("not a date", d(json!({"decided_on": "21.09.2026"})), Some("decided_on")),
        ("future date", d(json!({"decided_on": "2026-09-22"})), Some("decided_on")),
        ("negative seq", d(json!({"seq": -1})), Some("seq")),
        ("seq as text", d(json!({"seq": "1"})), Some("seq")),
        ("corrects as text", d(json!({"corrects": "one"})), Some("corrects")),
        ("correcting nothing", d(json!({"corrects": 1, "reasons": "Mistake."})), Some("corrects")),
        ("unknown field", d(json!({"cooperates": true})), None),
    ] {
        let r = w.post(&decisions, &w.decider, body).await;
        let got = refused(&r, what);
        if let Some(field) = field {
            assert_eq!(got.as_deref(), Some(field), "{what}: {}", r.body);
        }
    }
    // A seq that is not the next one is a conflict.
    let r = w.post(&decisions, &w.decider, d(json!({"seq": 2}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(w.file(&id, &w.decider).await["decisions"], json!([]));

    let records = format!("/api/v1/registrations/{id}/records");
    for (what, body, field) in [
        ("bad kind", json!({"kind": "visa", "fields": {}}), Some("kind")),
        ("unknown field", json!({"kind": "permit_application", "fields": {"colour": "red"}}), Some("fields.colour")),
        (
            "bad date",
            json!({"kind": "permit_application", "fields": {"applied_on": "2026-02-30", "ground": "cooperation"}}),
            Some("fields.applied_on"),
        ),
        (
            "bad ground",
            json!({"kind": "permit_application", "fields": {"applied_on": "2026-09-21", "ground": "bribery"}}),
            Some("fields.ground"),
        ),
        ("number for text", json!({"kind": "permit_application", "fields": {"applied_on": 20260921}}), Some("fields")),
        (
            "bad outcome",
            json!({"kind": "protection_application", "fields": {"applied_on": "2026-09-21", "outcome": "maybe"}}),
            Some("fields.outcome"),
        ),
        (
            "bad flag",
            json!({"kind": "criminal_matter", "fields": {"offence": "Theft", "authority": "Police",
                "recorded_on": "2026-09-21", "compelled": "perhaps"}}),
            None,
        ),
        ("no fields object", json!({"kind": "permit_application", "fields": []}), Some("fields")),
        ("extra top-level", json!({"kind": "permit_application", "fields": {}, "x": 1}), None),
    ] {
        let s = if what == "bad flag" { &w.officer } else { &w.caseworker };
        let r = w.post(&records, s, body).await;
        let got = refused(&r, what);
        if let Some(field) = field {
            assert!(got.as_deref().is_some_and(|g| g.starts_with(field)), "{what}: {got:?} {}", r.body);
        }
    }
    assert_eq!(w.file(&id, &w.caseworker).await["records"], json!([]));
}

#[tokio::test]
async fn bad_notifications_searches_lists_and_exports_get_a_4xx_naming_the_field() {
    let w = World::new().await;
    let id = w.create(&w.responder, adult("Anna", "Ozola")).await;
    let n = |patch: Value| {
        let mut body = json!({"notified_on": "2026-09-20", "sex": "female", "age_group": "25_34"});
        body.as_object_mut().unwrap().extend(patch.as_object().unwrap().clone());
        body
    };
    for (what, body, field) in [
        ("impossible date", n(json!({"notified_on": "2026-02-30"})), Some("notified_on")),
        ("future date", n(json!({"notified_on": "2026-09-22"})), Some("notified_on")),
        ("bad sex", n(json!({"sex": "x"})), Some("sex")),
        ("bad age group", n(json!({"age_group": "adult"})), Some("age_group")),
        ("bad citizenship", n(json!({"citizenship": "Ukraine"})), Some("citizenship")),
        ("bad form", n(json!({"forms": ["sexual", "made_up"]})), Some("forms[1]")),
        ("forms not a list", n(json!({"forms": "sexual"})), Some("forms")),
        ("sex as number", n(json!({"sex": 1})), Some("sex")),
    ] {
        let r = w.post("/api/v1/notifications", &w.responder, body).await;
        let got = refused(&r, what);
        if let Some(field) = field {
            assert_eq!(got.as_deref(), Some(field), "{what}: {}", r.body);
        }
    }
    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["notified"], 0, "nothing was counted: {stats}");

    for (what, query, field) in [
        ("nothing to search", "", Some("name")),
        ("impossible date", "date_of_birth=2026-02-30", Some("date_of_birth")),
        ("unknown parameter", "surname=Ozola", None),
        ("name too long", &*format!("name={}", "a".repeat(300)), Some("name")),
    ] {
        let r = w.get(&format!("/api/v1/persons/search?{query}"), &w.responder).await;
        assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.body);
        if let Some(field) = field {
            assert_eq!(r.json()["error"]["field"], field, "{what}: {}", r.body);
        }
    }

    for (what, query, field) in [
        ("bad state", "state=closed", Some("state")),
        ("bad status", "nrm_status=victim", Some("nrm_status")),
        ("limit not a number", "limit=ten", None),
        ("child not a flag", "child=perhaps", None),
        ("unknown parameter", "owner=me", None),
    ] {
        let r = w.get(&format!("/api/v1/registrations?{query}"), &w.responder).await;
        assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.body);
        if let Some(field) = field {
            assert_eq!(r.json()["error"]["field"], field, "{what}: {}", r.body);
        }
    }

    let r = w.get(&format!("/api/v1/registrations/{id}/htcds?format=xml"), &w.responder).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "format");
}

#[tokio::test]
async fn the_case_list_filters_by_state_child_and_form() {
    let w = World::new().await;
    let draft = w.create(&w.responder, adult("Draft", "Only")).await;
    let kid = w.refer(&w.responder, child("Ion", "Rusu")).await;
    let mut labour = adult("Anna", "Ozola");
    labour["context"]["forms"] = json!(["forced_labour"]);
    let labour = w.refer(&w.responder, labour).await;
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    for (query, expected) in [
        ("state=draft", vec![draft.clone()]),
        ("state=submitted", vec![kid.clone(), labour.clone()]),
        ("child=true", vec![kid.clone()]),
        ("child=false", vec![draft.clone(), labour.clone()]),
        ("form=forced_labour", vec![labour.clone()]),
        ("nrm_status=referred&child=false", vec![labour.clone()]),
    ] {
        let list = ok(&w.get(&format!("/api/v1/registrations?{query}"), &w.responder).await, StatusCode::OK);
        assert_eq!(sorted(ids(&list)), sorted(expected), "{query}");
    }
    let list = ok(&w.get("/api/v1/registrations?limit=1", &w.responder).await, StatusCode::OK);
    assert_eq!(ids(&list).len(), 1);
}

#[tokio::test]
async fn an_unknown_form_in_the_case_list_filter_is_refused() {
    // The state and nrm_status filters are checked codes (422 naming the field); the form filter,
    // an id of the catalogue of Dir 2011/36 Art 2(3), is not.
    let w = World::new().await;
    w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let r = w.get("/api/v1/registrations?form=made_up", &w.responder).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "form");
}

#[tokio::test]
async fn a_bad_query_parameter_gets_the_json_error_body_naming_it() {
    // The API's errors are a JSON body naming the field at fault (crates/web/src/error.rs), for
    // the query string as for the body.
    let w = World::new().await;
    // An unknown parameter is named in the message, as an unknown top-level JSON field is.
    for (path, name, as_field) in [
        ("/api/v1/registrations?limit=ten", "limit", true),
        ("/api/v1/registrations?child=perhaps", "child", true),
        ("/api/v1/persons/search?name=Anna&surname=Ozola", "surname", false),
    ] {
        let r = w.get(path, &w.responder).await;
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
        let body: Value = serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("{path}: not JSON: {}", r.body));
        let error = &body["error"];
        assert!(error["code"].is_string(), "{path}: {body}");
        if as_field {
            assert_eq!(error["field"], name, "{path}: {body}");
        } else {
            assert!(error["message"].as_str().is_some_and(|m| m.contains(name)), "{path}: {body}");
        }
    }
}

#[tokio::test]
async fn case_ids_that_are_not_uuids_or_unknown_are_not_found() {
    let w = World::new().await;
    let reg = adult("Anna", "Ozola");
    for bad in ["not-a-uuid", "1", "00000000-0000-0000-0000-000000000000", "%27%20OR%201%3D1"] {
        let base = format!("/api/v1/registrations/{bad}");
        let replies = [
            ("get", w.get(&base, &w.responder).await),
            ("put", w.put(&base, &w.responder, json!({"version": 1, "registration": reg})).await),
            ("submit", w.post(&format!("{base}/submit"), &w.responder, json!({"version": 1})).await),
            (
                "decide",
                w.post(
                    &format!("{base}/decisions"),
                    &w.decider,
                    json!({"seq": 1, "kind": "first_decision_positive", "decided_on": "2026-09-21"}),
                )
                .await,
            ),
            (
                "record",
                w.post(
                    &format!("{base}/records"),
                    &w.caseworker,
                    json!({"kind": "permit_application",
                        "fields": {"applied_on": "2026-09-21", "ground": "cooperation"}}),
                )
                .await,
            ),
            ("export", w.get(&format!("{base}/htcds"), &w.responder).await),
        ];
        for (what, r) in replies {
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{what} {bad}: {}", r.body);
        }
    }
}

/// The organisation that referred the person may ask for a negative decision to be reconsidered
/// (UK NRM practice: first responders and support providers request, the competent authority
/// decides); nobody else may, and only a negative decision can be reconsidered.
#[tokio::test]
async fn the_referring_organisation_requests_reconsideration_and_the_authority_decides() {
    let w = World::new().await;
    let id = w.refer(&w.responder, adult("Anna", "Ozola")).await;
    let path = format!("/api/v1/registrations/{id}/reconsideration-requests");
    let request = json!({"seq": 1, "requested_on": "2026-09-21", "reasons": "New evidence."});
    // Nothing negative to reconsider yet.
    let r = w.post(&path, &w.caseworker, request.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    ok(&w.decide(&id, &w.decider, 1, "first_decision_negative", "No means found.").await, StatusCode::CREATED);
    // Another NGO does not even see the case; a decision maker of another country neither.
    let request = json!({"seq": 2, "requested_on": "2026-09-21", "reasons": "New evidence."});
    assert_eq!(w.post(&path, &w.responder_b, request.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.post(&path, &w.rapporteur, request.clone()).await.status, StatusCode::FORBIDDEN);
    let made = ok(&w.post(&path, &w.caseworker, request.clone()).await, StatusCode::CREATED);
    assert_eq!(made["kind"], "reconsideration_requested");
    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["status"], "first_decision_reconsideration");
    // The outcome is the competent authority's: the requester cannot record it.
    let outcome = json!({"seq": 3, "kind": "reconsideration_overturned", "decided_on": "2026-09-21", "reasons": "x"});
    let r = w.post(&format!("/api/v1/registrations/{id}/decisions"), &w.caseworker, outcome).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    ok(&w.decide(&id, &w.decider, 3, "reconsideration_overturned", "Debt bondage shown.").await, StatusCode::CREATED);
    assert_eq!(w.file(&id, &w.caseworker).await["status"], "presumed_victim");
}

/// A withdrawn referral stops its clocks: nothing of it stays on the deadlines dashboard or on
/// the case page.
#[tokio::test]
async fn a_withdrawn_referral_has_no_clock_left() {
    let w = World::new().await;
    let id = w.refer(&w.responder, child("Mia", "Kalna")).await;
    let listed = |d: &Value| d.as_array().unwrap().iter().any(|i| i["case_id"] == id.as_str());
    let dashboard = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    assert!(listed(&dashboard), "the referral is due: {dashboard}");
    ok(&w.decide(&id, &w.decider, 1, "withdrawal", "The referral was made in error.").await, StatusCode::CREATED);
    let dashboard = ok(&w.get("/api/v1/deadlines", &w.decider).await, StatusCode::OK);
    assert!(!listed(&dashboard), "a withdrawn referral is not due: {dashboard}");
    let file = w.file(&id, &w.decider).await;
    assert_eq!(file["status"], "withdrawn");
    assert_eq!(file["clocks"], json!([]), "{}", file["clocks"]);
}

// ---------------------------------------------------------------------------------------------
// The Latvian procedure as shipped: one decision, by an NGO's commission or in criminal
// proceedings (national data in crates/domain/profiles/lv.toml)
// ---------------------------------------------------------------------------------------------

/// The embedded Latvian profile: a referred person is a presumed victim from the referral; the
/// one decision is taken by a procured NGO's commission (each member's vote recorded, 3 of 4 seats
/// must vote) or by the police, prosecution or a court; a competent authority the procedure does
/// not name may not decide. Assistance and protection run from the referral (Dir 2011/36
/// Art 11(2); CETS 197 Art 10(2)).
#[tokio::test]
async fn art_11_2_dir_2011_36_a_latvian_case_is_decided_by_the_commission_that_the_profile_names() {
    let t = TestApp::new().await.with_embedded_profiles();
    let ngo = t.org("Resource Centre Marta", "ngo", "LV").await;
    let ca = t.org("Ministry Unit", "competent_authority", "LV").await;
    let police = t.org("State Police", "police", "LV").await;
    let login = async |name: &str, org: &str, role: &str| {
        let password = t.user(name, org, &[role]).await;
        t.login(name, &password).await
    };
    let responder = login("responder", &ngo, "first_responder").await;
    let commission = login("commission", &ngo, "decision_maker").await;
    let ministry = login("ministry", &ca, "decision_maker").await;
    let police_decider = login("police.decider", &police, "decision_maker").await;
    let post = async |s: &Session, path: &str, body: Value| t.call(Method::POST, path, Some(s), Some(body)).await;

    let refer = async || {
        let r = post(&responder, "/api/v1/registrations", adult("Anna", "Ozola")).await;
        let id = ok(&r, StatusCode::CREATED)["id"].as_str().unwrap().to_owned();
        ok(
            &post(&responder, &format!("/api/v1/registrations/{id}/submit"), json!({"version": 1})).await,
            StatusCode::OK,
        );
        id
    };
    let id = refer().await;
    let file =
        ok(&t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&commission), None).await, StatusCode::OK);
    assert_eq!(file["status"], "referred");
    assert_eq!(file["presumed_victim"], true, "presumed from the referral, as the Latvian profile says");
    assert_eq!(file["assistance_since"], "2026-09-21");
    assert_eq!(file["reflection"]["start"], "2026-09-22", "the reflection period follows the referral");
    assert_eq!(file["removal"]["no_expulsion"], true);
    assert_eq!(file["procedure"]["id"], "lv_commission");
    assert_eq!(file["allowed_decisions"], json!(["final_decision_positive", "final_decision_negative", "withdrawal"]));

    let decide = |votes: Value, kind: &str| json!({"seq": 1, "kind": kind, "decided_on": "2026-09-21", "reasons": "Commission meeting.", "votes": votes});
    let path = format!("/api/v1/registrations/{id}/decisions");
    // There is no first decision in a one-decision procedure.
    let r = post(&commission, &path, decide(json!([]), "first_decision_positive")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("one decision only"), "{}", r.body);
    // An organisation the procedure does not name may not decide.
    let r = post(&ministry, &path, decide(json!([]), "final_decision_positive")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The commission must reach its quorum, and the decision must be the majority's.
    let vote = |seat: &str, vote: &str| json!({"seat": seat, "member": format!("{seat} member"), "vote": vote});
    let r = post(
        &commission,
        &path,
        decide(json!([vote("lawyer", "for"), vote("psychologist", "for")]), "final_decision_positive"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "votes", "{}", r.body);
    let three = json!([vote("social worker", "for"), vote("psychologist", "for"), vote("lawyer", "against")]);
    let r = post(&commission, &path, decide(three.clone(), "final_decision_negative")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = post(
        &commission,
        &path,
        decide(
            json!([vote("judge", "for"), vote("lawyer", "for"), vote("psychologist", "for")]),
            "final_decision_positive",
        ),
    )
    .await;
    assert_eq!(r.json()["error"]["field"], "votes[0].seat", "{}", r.body);
    let r = post(&commission, &path, decide(json!([vote("lawyer", "maybe")]), "final_decision_positive")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "votes[0].vote", "{}", r.body);
    ok(&post(&commission, &path, decide(three, "final_decision_positive")).await, StatusCode::CREATED);
    let file =
        ok(&t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&commission), None).await, StatusCode::OK);
    assert_eq!(file["status"], "identified_victim");
    assert_eq!(file["presumed_victim"], false);
    let votes = file["decisions"][0]["votes"].as_array().unwrap();
    assert_eq!(votes.len(), 3);
    assert_eq!(votes[2]["seat"], "lawyer");
    assert_eq!(votes[2]["vote"], "against");

    // The police decide in criminal proceedings, without the commission: no votes to record.
    let other = refer().await;
    let path = format!("/api/v1/registrations/{other}/decisions");
    let r = post(&police_decider, &path, decide(json!([vote("lawyer", "for")]), "final_decision_positive")).await;
    assert_eq!(r.json()["error"]["field"], "votes", "{}", r.body);
    ok(&post(&police_decider, &path, decide(json!([]), "final_decision_positive")).await, StatusCode::CREATED);

    // The case page shows the procedure and, to the commission, a vote for each seat; in Latvian.
    let third = refer().await;
    let r = t.form("/account/language", Some(&commission), &[("language", "lv")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.page(&format!("/cases/{third}"), Some(&commission)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Identificēšanas procedūra"), "the procedure heading in Latvian");
    assert!(
        page.body.contains("Identificēšana starpnozaru komisijā vai kriminālprocesā"),
        "the profile's Latvian name"
    );
    for seat in ["social worker", "psychologist", "lawyer", "police officer"] {
        assert!(page.body.contains(&format!("value=\"{seat}\"")), "a vote for the seat {seat}");
    }
    assert!(page.body.contains("Komisijas balsojums"));
    assert!(page.body.contains("sociālais darbinieks") && page.body.contains("psihologs"), "the seats in Latvian");
    // The page's form records the votes.
    let fields = [
        ("seq", "1"),
        ("kind", "final_decision_positive"),
        ("decided_on", "2026-09-21"),
        ("reasons", "Commission meeting."),
        ("vote_seat_0", "social worker"),
        ("vote_member_0", "Inga Zariņa"),
        ("vote_0", "for"),
        ("vote_seat_1", "psychologist"),
        ("vote_member_1", "Māris Lācis"),
        ("vote_1", "for"),
        ("vote_seat_2", "lawyer"),
        ("vote_member_2", "Ruta Krēsliņa"),
        ("vote_2", "for"),
        ("vote_seat_3", "police officer"),
        ("vote_member_3", ""),
        ("vote_3", ""),
    ];
    let r = t.form(&format!("/cases/{third}/decisions"), Some(&commission), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.page(&format!("/cases/{third}"), Some(&commission)).await;
    assert!(page.body.contains("Inga Zariņa"), "the votes are in the case's history");
}

// ------------------------------------------------------------------ the identification pages' forms

/// The problem of a refused form is next to its input (marked, and described by the message).
fn problem_at(body: &str, input: &str) -> bool {
    body.contains(&format!("id=\"err-{input}\""))
        && body.contains(&format!("aria-invalid=\"true\" aria-describedby=\"err-{input}\""))
}

#[tokio::test]
async fn a_wizard_step_refused_shows_the_problem_next_to_the_field_in_latvian_and_keeps_all_that_was_typed() {
    let w = World::new().await;
    let t = &w.t;
    let id = w.create(&w.caseworker, adult("Anna", "Ozola")).await;
    let reply = t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.caseworker),
            &[
                ("step", "person"),
                ("given_names", "Anna"),
                ("family_names", "Ozola"),
                ("citizenships", "UA, XX"),
                ("languages", "uk, ru"),
                ("interpreter_needed", "on"),
                ("document_number", "FA 123456"),
                ("go", "next"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let page = &reply.body;
    assert!(page.contains("<html lang=\"lv\">"), "{page}");
    assert!(problem_at(page, "citizenships"), "the problem is next to the citizenships: {page}");
    assert!(page.contains("<a href=\"#citizenships\">Pilsonības: "), "the summary names the field in Latvian: {page}");
    assert!(!page.contains("(lauks:") && !page.contains("<code>citizenships</code>"), "no field code: {page}");
    // Everything typed is there, the value that did not fit and the fields after it too.
    assert!(page.contains("value=\"UA, XX\""), "{page}");
    assert!(page.contains("value=\"uk, ru\"") && page.contains("value=\"FA 123456\""), "{page}");
    assert!(page.contains("id=\"interpreter_needed\" name=\"interpreter_needed\" checked"), "{page}");
    // Nothing was saved.
    assert_eq!(w.file(&id, &w.caseworker).await["version"], 1);
}

#[tokio::test]
async fn a_notification_refused_keeps_what_was_typed_with_the_problem_at_the_date() {
    let w = World::new().await;
    let fields = [
        ("notified_on", "2099-01-01"),
        ("sex", "female"),
        ("age_group", "25_34"),
        ("citizenship", "UA"),
        ("forms", "sexual"),
        ("forms", "forced_labour"),
    ];
    let reply = w.t.form("/notifications", Some(&w.responder), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let page = &reply.body;
    assert!(problem_at(page, "notified_on"), "{page}");
    assert!(page.contains("value=\"2099-01-01\"") && page.contains("value=\"UA\""), "{page}");
    assert!(page.contains("value=\"female\" selected") && page.contains("value=\"25_34\" selected"), "{page}");
    assert!(page.contains("value=\"sexual\" checked") && page.contains("value=\"forced_labour\" checked"), "{page}");
    let stats = ok(&w.get("/api/v1/statistics/identification", &w.rapporteur).await, StatusCode::OK);
    assert_eq!(stats["notified"], 0, "nothing was counted");
    // Filed as typed once the date is right, the forms sent as one field each.
    let mut fields = fields;
    fields[0].1 = "2026-09-20";
    let reply = w.t.form("/notifications", Some(&w.responder), &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

#[tokio::test]
async fn a_search_refused_shows_the_problem_next_to_the_name_and_keeps_it() {
    let w = World::new().await;
    let name = "Anna ".repeat(50);
    let query = serde_urlencoded::to_string([("name", name.as_str()), ("document", "FA1")]).unwrap();
    let reply = w.t.page(&format!("/search?{query}"), Some(&w.caseworker)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(problem_at(&reply.body, "name"), "{}", reply.body);
    assert!(reply.body.contains(&format!("value=\"{name}\"")) && reply.body.contains("value=\"FA1\""));
}

#[tokio::test]
async fn a_record_refused_is_a_4xx_page_naming_the_field_in_words() {
    let w = World::new().await;
    let id = w.refer(&w.caseworker, adult("Anna", "Ozola")).await;
    let reply =
        w.t.form(
            &format!("/cases/{id}/records"),
            Some(&w.caseworker),
            &[("kind", "permit_application"), ("applied_on", "2026-02-30")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("(field: Applied on)"), "the field in words, not its code: {}", reply.body);
}

#[tokio::test]
async fn a_reconsideration_request_dated_in_the_future_is_a_422_page_naming_its_date_in_latvian() {
    let w = World::new().await;
    let id = w.refer(&w.caseworker, adult("Anna", "Ozola")).await;
    let r = w.decide(&id, &w.decider, 1, "first_decision_negative", "No indicator of coercion found.").await;
    ok(&r, StatusCode::CREATED);
    let reply = w.t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let fields = [("seq", "2"), ("requested_on", "2099-01-01"), ("reasons", "New evidence.")];
    let reply = w.t.form(&format!("/cases/{id}/reconsideration-requests"), Some(&w.caseworker), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("<html lang=\"lv\">"), "{}", reply.body);
    // The case page again: the problem next to the date, named in Latvian, and what was typed.
    assert!(
        reply.body.contains("<a href=\"#requested_on\">Lūguma datums: "),
        "the field named in Latvian: {}",
        reply.body
    );
    assert!(reply.body.contains("<span class=\"error\" id=\"err-requested_on\">"), "{}", reply.body);
    assert!(reply.body.contains("value=\"2099-01-01\" aria-invalid=\"true\""), "{}", reply.body);
    assert!(reply.body.contains(">New evidence.</textarea>"), "{}", reply.body);
    assert_eq!(w.file(&id, &w.caseworker).await["decisions"].as_array().unwrap().len(), 1, "nothing recorded");
}

/// A reconsideration request states why: blank reasons are refused naming `reasons`, by the API
/// and on the case page, next to the field and in the reader's language; nothing is recorded.
#[tokio::test]
async fn a_reconsideration_request_without_reasons_is_refused_naming_its_reasons() {
    let w = World::new().await;
    let id = w.refer(&w.caseworker, adult("Anna", "Ozola")).await;
    let r = w.decide(&id, &w.decider, 1, "first_decision_negative", "No indicator of coercion found.").await;
    ok(&r, StatusCode::CREATED);
    let path = format!("/api/v1/registrations/{id}/reconsideration-requests");
    for reasons in ["", "   \n "] {
        let r = w.post(&path, &w.caseworker, json!({"seq": 2, "requested_on": "2026-09-21", "reasons": reasons})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "reasons", "{}", r.body);
        assert!(r.json()["error"]["message"].as_str().unwrap().contains("must state why"), "{}", r.body);
    }
    let fields = [("seq", "2"), ("requested_on", "2026-09-21"), ("reasons", " ")];
    let reply = w.t.form(&format!("/cases/{id}/reconsideration-requests"), Some(&w.caseworker), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body.contains(
            "<span class=\"error\" id=\"err-reconsideration-reasons\">a reconsideration request must state why"
        ),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("aria-describedby=\"err-reconsideration-reasons\""), "{}", reply.body);
    // In Latvian for a Latvian reader.
    let reply = w.t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = w.t.form(&format!("/cases/{id}/reconsideration-requests"), Some(&w.caseworker), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("<html lang=\"lv\">"), "{}", reply.body);
    assert!(
        reply.body.contains(
            "<span class=\"error\" id=\"err-reconsideration-reasons\">lūgumā pārskatīt lēmumu jānorāda, kāpēc"
        ),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("must state why"), "{}", reply.body);
    assert_eq!(w.file(&id, &w.caseworker).await["decisions"].as_array().unwrap().len(), 1, "nothing recorded");
}

#[tokio::test]
async fn a_referral_refused_shows_the_consent_step_again_with_the_problem() {
    let w = World::new().await;
    let id = w.create(&w.caseworker, adult("Anna", "Ozola")).await;
    let reply = w.t.form(&format!("/cases/{id}/submit"), Some(&w.caseworker), &[("version", "7")]).await;
    assert!(reply.status.is_client_error(), "{}: {}", reply.status, reply.body);
    assert!(reply.body.contains("name=\"step\" value=\"consent\""), "the consent step: {}", reply.body);
    assert!(reply.body.contains("id=\"form-error\""), "{}", reply.body);
    assert_eq!(w.file(&id, &w.caseworker).await["state"], "draft", "not referred");
    // A version that is not a number names the field.
    let reply = w.t.form(&format!("/cases/{id}/submit"), Some(&w.caseworker), &[("version", "seven")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
}
