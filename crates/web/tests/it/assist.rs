//! The assistance API end to end: the risk and needs assessment with four eyes, a support plan
//! that nothing can make conditional on cooperation, the provider directory with live capacity
//! (the last bed under concurrency), referrals with consent, the emergency override, children
//! without consent, data minimisation seen from the receiving side, transfers, overdue lists
//! and bad input.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

const DAY: i64 = 86_400;

struct World {
    t: TestApp,
    shelter: String,
    ngo_b: String,
    caseworker: Session,
    caseworker2: Session,
    supervisor: Session,
    shelter_worker: Session,
    ngo_b_worker: Session,
    passwords: Vec<(String, String)>,
}

impl World {
    async fn new() -> World {
        let t = TestApp::new().await;
        let ngo = t.org("NGO A", "ngo", "LV").await;
        let ngo_b = t.org("NGO B", "ngo", "LV").await;
        let shelter = t.org("Shelter Riga", "shelter", "LV").await;
        let mut passwords = Vec::new();
        let mut session = async |name: &str, org: &str, role: &str| {
            let password = t.user(name, org, &[role]).await;
            let s = t.login(name, &password).await;
            passwords.push((name.to_owned(), password));
            s
        };
        let caseworker = session("caseworker", &ngo, "caseworker").await;
        let caseworker2 = session("caseworker2", &ngo, "caseworker").await;
        let supervisor = session("supervisor", &ngo, "supervisor").await;
        let shelter_worker = session("shelter.worker", &shelter, "caseworker").await;
        let ngo_b_worker = session("ngob.worker", &ngo_b, "caseworker").await;
        let w =
            World { t, shelter, ngo_b, caseworker, caseworker2, supervisor, shelter_worker, ngo_b_worker, passwords };
        let provider = json!({
            "id": "shelter-riga",
            "organisation_id": w.shelter,
            "name": "Shelter Riga",
            "country": "LV",
            "services": [
                {"service": "safe_accommodation", "capacity": 1},
                {"service": "translation_interpretation"}
            ],
            "languages": ["lv", "ru", "uk"],
            "regions": ["LV-RIX"],
            "accepts": ["women", "children", "families"],
            "trafficking_specialised": true,
            "contact_points": [{"label": "Duty phone", "phone": "+371 6000 0000"}],
            "opening_hours": {"always_open": true, "slots": []}
        });
        ok(&w.post("/api/v1/providers", &w.supervisor, provider).await, StatusCode::CREATED);
        w
    }

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

    /// A registered case of NGO A: an adult woman, or a child.
    async fn case(&self, child: bool) -> String {
        let dob = if child { "2012-04-01" } else { "1994-03-12" };
        let reg = json!({
            "person": {"given_names": "Olena", "family_names": "Kovalenko", "date_of_birth": dob,
                "dob_verified": true, "sex": "female", "languages": ["uk", "ru"],
                "safe_contact": "Through the shelter telephone only"},
            "context": {"acts": ["recruitment"], "means": ["deception"], "forms": ["sexual"]}
        });
        let r = self.post("/api/v1/registrations", &self.caseworker, reg).await;
        ok(&r, StatusCode::CREATED)["id"].as_str().unwrap().to_owned()
    }

    async fn referral(&self, case: &str, s: &Session, body: Value) -> Reply {
        self.post(&format!("/api/v1/cases/{case}/referrals"), s, body).await
    }

    async fn state(&self, id: &str, s: &Session, state: &str, reason: &str, version: i64) -> Reply {
        self.post(
            &format!("/api/v1/referrals/{id}/state"),
            s,
            json!({"state": state, "reason": reason, "version": version}),
        )
        .await
    }
}

fn ok(r: &Reply, status: StatusCode) -> Value {
    assert_eq!(r.status, status, "{}", r.body);
    r.json()
}

fn refused(r: &Reply, what: &str) -> Option<String> {
    assert!(r.status.is_client_error(), "{what}: expected 4xx, got {} {}", r.status, r.body);
    let body: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    body["error"]["field"].as_str().map(str::to_owned)
}

fn consent() -> Value {
    json!({"consent_given": true, "consent_on": "2026-09-20", "consent_language": "uk"})
}

fn assessment(child: bool) -> Value {
    let mut levels = json!({"safety": "urgent", "physical_health": "none", "mental_health": "need",
        "accommodation": "urgent", "subsistence": "need", "legal_status": "need", "language": "need"});
    let mut body = json!({"assessed_on": "2026-09-21", "risk_from_traffickers": "high",
        "risk_summary": "The recruiter knows where her family lives.", "languages": ["uk"], "lacks_means": true,
        "special_needs": {"serious_violence_suffered": true}});
    if child {
        levels["education"] = json!("need");
        levels["family"] = json!("urgent");
        body["best_interests"] = json!("A specialised shelter for children near a school.");
        body["views_heard"] = json!(true);
        body["childs_views"] = json!("Wants to stay with her sister.");
    }
    body["levels"] = levels;
    body
}

#[tokio::test]
async fn an_assessment_is_approved_by_a_second_person_and_reassessments_keep_history() {
    let w = World::new().await;
    let case = w.case(false).await;
    let path = format!("/api/v1/cases/{case}/assessments");
    // every area must be assessed, and the error names the area
    let mut partial = assessment(false);
    partial["levels"].as_object_mut().unwrap().remove("legal_status");
    assert_eq!(
        refused(&w.post(&path, &w.caseworker, partial).await, "partial").as_deref(),
        Some("levels.legal_status")
    );
    // a child's part is refused for an adult
    let mut with_child = assessment(false);
    with_child["best_interests"] = json!("n/a");
    assert!(refused(&w.post(&path, &w.caseworker, with_child).await, "child part").is_some());
    let first = ok(&w.post(&path, &w.caseworker, assessment(false)).await, StatusCode::CREATED);
    assert_eq!(first["state"], "submitted");
    assert_eq!(first["seq"], 1);
    // a caseworker cannot review; the supervisor can, and cannot review their own
    let review = format!("/api/v1/cases/{case}/assessments/1/review");
    assert_eq!(w.post(&review, &w.caseworker2, json!({"approve": true})).await.status, StatusCode::FORBIDDEN);
    let returned = w.post(&review, &w.supervisor, json!({"approve": false})).await;
    assert_eq!(refused(&returned, "no reason").as_deref(), Some("reason"));
    let approved = ok(&w.post(&review, &w.supervisor, json!({"approve": true})).await, StatusCode::OK);
    assert_eq!((approved["state"].as_str(), approved["in_force"].as_bool()), (Some("approved"), Some(true)));
    assert_eq!(w.post(&review, &w.supervisor, json!({"approve": true})).await.status, StatusCode::CONFLICT);
    let own = ok(&w.post(&path, &w.supervisor, assessment(false)).await, StatusCode::CREATED);
    assert_eq!(own["seq"], 2);
    let r =
        w.post(&format!("/api/v1/cases/{case}/assessments/2/review"), &w.supervisor, json!({"approve": true})).await;
    assert_eq!(refused(&r, "own").as_deref(), Some("approve"));
    // the support view: both versions, the first in force, needs urgent first
    let support = ok(&w.get(&format!("/api/v1/cases/{case}/support"), &w.caseworker).await, StatusCode::OK);
    let versions = support["assessments"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["in_force"], true);
    assert_eq!(versions[1]["in_force"], false);
    assert_eq!(support["needs"][0][1], "urgent");
    assert!(support["unmet_needs"].as_array().unwrap().contains(&json!("accommodation")));
    // another organisation sees nothing
    let other = w.get(&format!("/api/v1/cases/{case}/support"), &w.ngo_b_worker).await;
    assert!(matches!(other.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", other.status);
}

#[tokio::test]
async fn no_input_makes_support_conditional_on_cooperation() {
    let w = World::new().await;
    let case = w.case(false).await;
    let path = format!("/api/v1/cases/{case}/assessments");
    ok(&w.post(&path, &w.caseworker, assessment(false)).await, StatusCode::CREATED);
    ok(&w.post(&format!("{path}/1/review"), &w.supervisor, json!({"approve": true})).await, StatusCode::OK);
    let plan = format!("/api/v1/cases/{case}/plan");
    let item = |service: &str| {
        json!({"service": service, "need": "accommodation", "goal": "A safe place to stay",
            "responsible_organisation_id": w.shelter, "starts_on": "2026-09-21"})
    };
    // there is no field for a condition
    let mut conditional = item("safe_accommodation");
    conditional["conditional_on_cooperation"] = json!(true);
    assert!(refused(&w.post(&plan, &w.caseworker, conditional).await, "condition").is_some());
    // legal help is free when the approved assessment says the person lacks means
    let mut legal = item("legal_representation");
    legal["need"] = json!("legal_status");
    assert_eq!(refused(&w.post(&plan, &w.caseworker, legal.clone()).await, "legal").as_deref(), Some("free_of_charge"));
    legal["free_of_charge"] = json!(true);
    ok(&w.post(&plan, &w.caseworker, legal).await, StatusCode::CREATED);
    let added = ok(&w.post(&plan, &w.caseworker, item("safe_accommodation")).await, StatusCode::CREATED);
    let id = added["id"].as_str().unwrap();
    let status = format!("{plan}/{id}/status");
    ok(&w.post(&status, &w.caseworker, json!({"status": "in_progress", "version": 1})).await, StatusCode::OK);
    // stopping because the person does not cooperate or testify is refused with the article
    for reason in ["refused_to_testify", "not_cooperating", "proceedings_closed"] {
        let r = w.post(&status, &w.caseworker, json!({"status": "stopped", "stop_reason": reason, "version": 2})).await;
        assert_eq!(refused(&r, reason).as_deref(), Some("stop_reason"));
        assert!(r.body.contains("Art 11(3)"), "{}", r.body);
    }
    let r = w
        .post(&status, &w.caseworker, json!({"status": "stopped", "stop_reason": "declined_by_victim", "version": 2}))
        .await;
    assert_eq!(ok(&r, StatusCode::OK)["status"], "stopped");
    // stale version
    let r = w.post(&status, &w.caseworker, json!({"status": "completed", "version": 2})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // the accommodation need is unmet again once its service stopped
    let support = ok(&w.get(&format!("/api/v1/cases/{case}/support"), &w.caseworker).await, StatusCode::OK);
    assert!(support["unmet_needs"].as_array().unwrap().contains(&json!("accommodation")));
    assert!(!support["unmet_needs"].as_array().unwrap().contains(&json!("legal_status")));
}

#[tokio::test]
async fn an_adult_is_referred_with_consent_or_a_documented_audited_override_and_a_child_without() {
    let w = World::new().await;
    let case = w.case(false).await;
    let body = |consent: Value| json!({"service": "translation_interpretation", "to_organisation_id": w.shelter, "send": true, "consent": consent});
    let r = w.referral(&case, &w.caseworker, body(json!({}))).await;
    assert_eq!(refused(&r, "no consent").as_deref(), Some("consent"));
    let r = w.referral(&case, &w.caseworker, body(json!({"consent_given": true, "consent_on": "2026-09-20"}))).await;
    assert_eq!(refused(&r, "no language").as_deref(), Some("consent.consent_language"));
    let emergency = json!({"emergency_reason": "Found injured at night; needs an interpreter at the hospital now"});
    // the override is a separate permission: a caseworker does not have it
    assert_eq!(w.referral(&case, &w.caseworker, body(emergency.clone())).await.status, StatusCode::FORBIDDEN);
    let r = ok(&w.referral(&case, &w.supervisor, body(emergency)).await, StatusCode::CREATED);
    assert_eq!(r["consent"]["basis"], "emergency_override");
    let audit = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    assert!(audit.iter().any(|e| e.event.action.to_string() == "consent_overridden"), "the override is audited");
    let r = ok(&w.referral(&case, &w.caseworker, body(consent())).await, StatusCode::CREATED);
    assert_eq!((r["consent"]["basis"].as_str(), r["consent"]["language"].as_str()), (Some("consent"), Some("uk")));
    // a child is referred without consent
    let child = w.case(true).await;
    let r = ok(&w.referral(&child, &w.caseworker, body(json!({}))).await, StatusCode::CREATED);
    assert_eq!(r["consent"]["basis"], "child");
}

#[tokio::test]
async fn the_receiver_sees_only_the_fields_the_service_needs() {
    let w = World::new().await;
    let case = w.case(false).await;
    // asking to share more than the service type allows is refused, naming the field
    let too_much = json!({"service": "translation_interpretation", "to_organisation_id": w.shelter, "send": true,
        "shared_fields": ["languages", "date_of_birth"], "consent": consent()});
    assert_eq!(refused(&w.referral(&case, &w.caseworker, too_much).await, "dob").as_deref(), Some("shared_fields[1]"));
    let body = json!({"service": "translation_interpretation", "to_organisation_id": w.shelter, "send": true,
        "message": "Ukrainian interpreter for a medical visit", "consent": consent()});
    let sent = ok(&w.referral(&case, &w.caseworker, body).await, StatusCode::CREATED);
    let id = sent["id"].as_str().unwrap();
    let inbox = ok(&w.get("/api/v1/referrals?mailbox=inbox", &w.shelter_worker).await, StatusCode::OK);
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    assert!(inbox[0]["case_id"].is_null(), "the receiver of a service referral does not get the case id");
    let seen = ok(&w.get(&format!("/api/v1/referrals/{id}"), &w.shelter_worker).await, StatusCode::OK);
    let shared = seen["shared"].as_object().unwrap();
    let mut keys: Vec<&str> = shared.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, vec!["given_names", "languages", "sex"]);
    assert_eq!(shared["given_names"], "Olena");
    for absent in ["Kovalenko", "1994-03-12", "shelter telephone", "sexual"] {
        assert!(!seen.to_string().contains(absent), "{absent} leaked to the receiver: {seen}");
    }
    // and the case itself stays closed to the receiver
    for path in [format!("/api/v1/registrations/{case}"), format!("/api/v1/cases/{case}/support")] {
        let r = w.get(&path, &w.shelter_worker).await;
        assert!(matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{path}: {}", r.status);
    }
    // a third organisation sees no referral at all
    assert_eq!(w.get(&format!("/api/v1/referrals/{id}"), &w.ngo_b_worker).await.status, StatusCode::NOT_FOUND);
    // the sender sees its case
    let own = ok(&w.get(&format!("/api/v1/referrals/{id}"), &w.caseworker).await, StatusCode::OK);
    assert_eq!(own["case_id"], case);
}

/// HTCDS export fills the standard's referral fields from Haven's own referrals, with the standard's
/// spellings, from the exporting organisation's side: the sender writes the referral it made, the
/// receiver of a transfer the one it accepted; `cas_Status` follows the case's closure.
#[tokio::test]
async fn an_htcds_export_writes_the_cases_referrals_and_status_in_the_standards_fields() {
    let w = World::new().await;
    let case = w.case(false).await;
    let export = async |s: &Session, format: &str| {
        let r = w.get(&format!("/api/v1/registrations/{case}/htcds?format={format}"), s).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    };
    let doc = |body: String| -> Value { serde_json::from_str::<Value>(&body).unwrap()[0].clone() };
    let before = doc(export(&w.caseworker, "json").await);
    assert_eq!(before["cas_Status"], "Active");
    assert!(before.get("cas_ReferredOrganisation").is_none(), "{before}");

    // A draft referral is not one that was made.
    let body = json!({"service": "safe_accommodation", "to_organisation_id": w.shelter, "send": false,
        "message": "Needs a bed tonight; arrives by bus at 21:00", "consent": consent()});
    let draft = ok(&w.referral(&case, &w.caseworker, body).await, StatusCode::CREATED);
    assert!(doc(export(&w.caseworker, "json").await).get("cas_ReferredOrganisation").is_none());
    let id = draft["id"].as_str().unwrap();
    ok(&w.state(id, &w.caseworker, "sent", "", 1).await, StatusCode::OK);
    ok(&w.state(id, &w.shelter_worker, "accepted", "", 2).await, StatusCode::OK);

    let sent = doc(export(&w.caseworker, "json").await);
    assert_eq!(sent["cas_ReferredOrganisation"], "Shelter Riga", "{sent}");
    assert_eq!(sent["cas_ReasonForOutgoingReferral"], "AdditionalServicesRequired");
    assert_eq!(sent["cas_OutgoingReferralDate"], "2026-09-21");
    assert_eq!(sent["cas_OutgoingReferralDetails"], "Needs a bed tonight; arrives by bus at 21:00");
    assert!(sent.get("cas_ReferredPrimaryCaseWorker").is_none(), "the receiver's worker is not the sender's to know");
    assert!(sent.get("cas_ReferringOrganisation").is_none(), "NGO A made the case; nobody referred it in");
    let csv = export(&w.caseworker, "csv").await;
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row = lines.next().unwrap();
    let at = header.iter().position(|h| *h == "cas_ReasonForOutgoingReferral").unwrap();
    assert!(header[..at].contains(&"cas_ReferredOrganisation") && row.contains("Shelter Riga"), "{csv}");
    assert!(row.contains("AdditionalServicesRequired"), "{csv}");

    // A transfer, a minute later: the new owner writes where the case came from, the old one where it went.
    w.t.clock.advance(60);
    let body = json!({"kind": "transfer", "to_organisation_id": w.ngo_b, "send": true, "consent": consent()});
    let transfer = ok(&w.referral(&case, &w.caseworker, body).await, StatusCode::CREATED);
    ok(&w.state(transfer["id"].as_str().unwrap(), &w.ngo_b_worker, "accepted", "", 1).await, StatusCode::OK);
    let received = doc(export(&w.ngo_b_worker, "json").await);
    assert_eq!(received["cas_ReferringOrganisation"], "NGO A", "{received}");
    assert_eq!(received["cas_ReasonForIncomingReferral"], "Other");
    assert_eq!(received["cas_IncomingReferralDate"], "2026-09-21");
    assert!(
        received.get("cas_ReferredOrganisation").is_none(),
        "NGO B sees none of NGO A's other referrals: {received}"
    );
    let given = doc(export(&w.caseworker, "json").await);
    assert_eq!(given["cas_ReferredOrganisation"], "NGO B", "the latest referral NGO A made");
    assert_eq!(given["cas_ReasonForOutgoingReferral"], "Other");

    // Closed: the data protection officer records the closure.
    let password = w.t.user("lv.dpo", &w.ngo_b, &["auditor"]).await;
    let dpo = w.t.login("lv.dpo", &password).await;
    let r = w.post("/api/v1/retention/case-closures", &dpo, json!({"case_id": case, "closed_on": "2026-09-21"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(doc(export(&w.ngo_b_worker, "json").await)["cas_Status"], "Closed");
}

#[tokio::test]
async fn two_caseworkers_ask_for_the_last_bed_and_one_gets_it() {
    let w = World::new().await;
    let (a, b) = (w.case(false).await, w.case(false).await);
    let bed = |_: ()| {
        json!({"service": "safe_accommodation", "provider_id": "shelter-riga", "send": true, "urgent": true,
            "consent": consent()})
    };
    let (ra, rb) = tokio::join!(w.referral(&a, &w.caseworker, bed(())), w.referral(&b, &w.caseworker2, bed(())));
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT], "{} / {}", ra.body, rb.body);
    let (winner, loser_case, loser) =
        if ra.status == StatusCode::CREATED { (ra, &b, &w.caseworker2) } else { (rb, &a, &w.caseworker) };
    let providers = ok(&w.get("/api/v1/providers", &w.caseworker).await, StatusCode::OK);
    let occupied = &providers[0]["services"][0];
    assert_eq!((occupied["capacity"].as_u64(), occupied["occupied"].as_u64()), (Some(1), Some(1)));
    // the full shelter is no longer eligible in matching
    let need = json!({"need": {"service": "safe_accommodation", "person_is_child": false, "sex": "female"}});
    let ranked = ok(&w.post("/api/v1/providers/match", &w.caseworker, need.clone()).await, StatusCode::OK);
    assert!(ranked.as_array().unwrap().is_empty(), "{ranked}");
    // the shelter declines: the bed is free again and the other referral can take it
    let id = winner.json()["id"].as_str().unwrap().to_owned();
    ok(&w.state(&id, &w.shelter_worker, "declined", "No bed for a family tonight", 1).await, StatusCode::OK);
    let ranked = ok(&w.post("/api/v1/providers/match", &w.caseworker, need).await, StatusCode::OK);
    assert_eq!(ranked[0]["provider_id"], "shelter-riga");
    assert!(!ranked[0]["factors"].as_array().unwrap().is_empty(), "each rank is explained");
    ok(&w.referral(loser_case, loser, bed(())).await, StatusCode::CREATED);
    // capacity cannot go below the places in use
    let mut provider = providers[0].clone();
    provider["services"][0] = json!({"service": "safe_accommodation", "capacity": 0});
    let r =
        w.t.call(
            Method::PUT,
            "/api/v1/providers/shelter-riga",
            Some(&w.supervisor),
            Some(json!({"version": 1, "provider": strip_live(provider)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

/// A provider as read back, made into input again (occupancy is live, never input).
fn strip_live(mut p: Value) -> Value {
    p.as_object_mut().unwrap().remove("version");
    for s in p["services"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("occupied");
    }
    p
}

#[tokio::test]
async fn referral_states_follow_the_table_and_overdue_ones_are_listed() {
    let mut w = World::new().await;
    let case = w.case(false).await;
    let draft = json!({"service": "translation_interpretation", "to_organisation_id": w.shelter, "consent": consent()});
    let r = ok(&w.referral(&case, &w.caseworker, draft).await, StatusCode::CREATED);
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(r["state"], "draft");
    // a draft is not in the receiver's inbox
    let inbox = ok(&w.get("/api/v1/referrals?mailbox=inbox", &w.shelter_worker).await, StatusCode::OK);
    assert!(inbox.as_array().unwrap().is_empty());
    assert_eq!(w.get(&format!("/api/v1/referrals/{id}"), &w.shelter_worker).await.status, StatusCode::NOT_FOUND);
    // the receiver cannot act on a draft, the sender cannot accept
    assert_eq!(w.state(&id, &w.caseworker, "accepted", "", 1).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    ok(&w.state(&id, &w.caseworker, "sent", "", 1).await, StatusCode::OK);
    assert_eq!(w.state(&id, &w.caseworker, "accepted", "", 2).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused(&w.state(&id, &w.shelter_worker, "declined", " ", 2).await, "reason").as_deref(),
        Some("reason")
    );
    assert_eq!(refused(&w.state(&id, &w.shelter_worker, "lost", "", 2).await, "state").as_deref(), Some("state"));
    assert_eq!(w.state(&id, &w.shelter_worker, "accepted", "", 1).await.status, StatusCode::CONFLICT);
    // not answered within three days: overdue for both sides
    w.t.clock.advance(4 * DAY);
    w.caseworker = w.relogin("caseworker").await;
    w.shelter_worker = w.relogin("shelter.worker").await;
    for s in [&w.caseworker, &w.shelter_worker] {
        let overdue = ok(&w.get("/api/v1/referrals?mailbox=overdue", s).await, StatusCode::OK);
        assert_eq!(overdue.as_array().unwrap().len(), 1, "{overdue}");
        assert_eq!(overdue[0]["id"], id.as_str());
    }
    let accepted = ok(&w.state(&id, &w.shelter_worker, "accepted", "", 2).await, StatusCode::OK);
    assert_eq!(accepted["overdue"], false);
    ok(&w.state(&id, &w.shelter_worker, "in_progress", "", 3).await, StatusCode::OK);
    // follow-ups move the due date; after the follow-up days it is overdue again
    w.t.clock.advance(15 * DAY);
    w.caseworker = w.relogin("caseworker").await;
    let overdue = ok(&w.get("/api/v1/referrals?mailbox=overdue", &w.caseworker).await, StatusCode::OK);
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    let f = w
        .post(
            &format!("/api/v1/referrals/{id}/follow-ups"),
            &w.caseworker,
            json!({"note": "Called: sessions weekly", "version": 4}),
        )
        .await;
    let f = ok(&f, StatusCode::OK);
    assert_eq!(f["overdue"], false);
    assert_eq!(f["events"].as_array().unwrap().last().unwrap()["note"], "Called: sessions weekly");
    let overdue = ok(&w.get("/api/v1/referrals?mailbox=overdue", &w.caseworker).await, StatusCode::OK);
    assert!(overdue.as_array().unwrap().is_empty());
    w.shelter_worker = w.relogin("shelter.worker").await;
    ok(&w.state(&id, &w.shelter_worker, "completed", "", 5).await, StatusCode::OK);
    let outbox = ok(&w.get("/api/v1/referrals?mailbox=outbox", &w.caseworker).await, StatusCode::OK);
    assert_eq!(outbox[0]["state"], "completed");
    assert!(outbox[0]["due_on"].is_null());
}

#[tokio::test]
async fn a_transfer_moves_the_case_and_the_sender_keeps_the_identity_share() {
    let w = World::new().await;
    let case = w.case(false).await;
    let body = json!({"kind": "transfer", "to_organisation_id": w.ngo_b, "send": true, "consent": consent()});
    // a transfer names no service
    let mut with_service = body.clone();
    with_service["service"] = json!("safe_accommodation");
    assert!(refused(&w.referral(&case, &w.caseworker, with_service).await, "service").is_some());
    let r = ok(&w.referral(&case, &w.caseworker, body).await, StatusCode::CREATED);
    let id = r["id"].as_str().unwrap();
    assert_eq!(w.get(&format!("/api/v1/registrations/{case}"), &w.ngo_b_worker).await.status, StatusCode::NOT_FOUND);
    let accepted = ok(&w.state(id, &w.ngo_b_worker, "accepted", "", 1).await, StatusCode::OK);
    assert_eq!(accepted["case_id"], case.as_str(), "the new owner gets the case");
    // a transfer ends when accepted
    assert_eq!(w.state(id, &w.ngo_b_worker, "in_progress", "", 2).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    ok(&w.get(&format!("/api/v1/registrations/{case}"), &w.ngo_b_worker).await, StatusCode::OK);
    ok(&w.get(&format!("/api/v1/cases/{case}/support"), &w.ngo_b_worker).await, StatusCode::OK);
    // the sender keeps identity, not support
    ok(&w.get(&format!("/api/v1/registrations/{case}"), &w.caseworker).await, StatusCode::OK);
    assert_eq!(w.get(&format!("/api/v1/cases/{case}/support"), &w.caseworker).await.status, StatusCode::FORBIDDEN);
    let audit = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    assert!(audit.iter().any(|e| e.event.action.to_string() == "case_transferred"));
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_and_nothing_is_written() {
    let w = World::new().await;
    let case = w.case(false).await;
    let before = w.t.app.store().audit_entries(0, 10_000).await.unwrap().len();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"service": "teleportation", "to_organisation_id": w.shelter, "consent": consent()}), "service"),
        (json!({"service": "education", "to_organisation_id": w.shelter, "consent": consent()}), "service"),
        (json!({"service": "safe_accommodation", "consent": consent()}), "to_organisation_id"),
        (
            json!({"service": "safe_accommodation", "to_organisation_id": "nope", "consent": consent()}),
            "to_organisation_id",
        ),
        (json!({"service": "medical_treatment", "provider_id": "shelter-riga", "consent": consent()}), "provider_id"),
        (
            json!({"service": "safe_accommodation", "provider_id": "shelter-riga", "to_organisation_id": w.ngo_b,
            "consent": consent()}),
            "to_organisation_id",
        ),
        (json!({"kind": "gift", "consent": consent()}), "kind"),
    ];
    for (body, field) in cases {
        let r = w.referral(&case, &w.caseworker, body.clone()).await;
        assert_eq!(refused(&r, field).as_deref(), Some(field), "{body}: {}", r.body);
    }
    let r = w.referral(&case, &w.caseworker, json!({"service": "safe_accommodation", "surprise": 1})).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    let after = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    assert!(after.iter().skip(before).all(|e| e.event.action.to_string() != "referral_created"));
    let outbox = ok(&w.get("/api/v1/referrals?mailbox=outbox", &w.caseworker).await, StatusCode::OK);
    assert!(outbox.as_array().unwrap().is_empty());
    assert_eq!(
        refused(&w.get("/api/v1/referrals?mailbox=spam", &w.caseworker).await, "mailbox").as_deref(),
        Some("mailbox")
    );
    // providers: the field path is named
    let bad = json!({"id": "x1", "name": "X", "country": "LV", "services": [{"service": "safe_accommodation"}],
        "languages": ["lv"], "regions": ["LV"], "accepts": ["women"],
        "contact_points": [{"label": "Phone", "phone": "+371 1"}]});
    assert_eq!(
        refused(&w.post("/api/v1/providers", &w.supervisor, bad).await, "capacity").as_deref(),
        Some("services[0].capacity")
    );
    let foreign = json!({"id": "x2", "name": "X", "country": "EE", "services": [{"service": "medical_treatment"}],
        "languages": ["et"], "regions": ["EE"], "accepts": ["women"],
        "contact_points": [{"label": "Phone", "phone": "+372 1"}]});
    assert_eq!(
        refused(&w.post("/api/v1/providers", &w.supervisor, foreign).await, "country").as_deref(),
        Some("country")
    );
    // a caseworker does not keep the directory, whatever the body
    let valid = json!({"id": "x3", "name": "X", "country": "LV", "services": [{"service": "medical_treatment"}],
        "languages": ["lv"], "regions": ["LV"], "accepts": ["women"],
        "contact_points": [{"label": "Phone", "phone": "+371 1"}]});
    assert_eq!(w.post("/api/v1/providers", &w.caseworker, valid).await.status, StatusCode::FORBIDDEN);
}

/// Every state-changing API route answers a malformed or mistyped body with a 4xx, never a 500,
/// for users who may and may not use it.
#[tokio::test]
async fn every_api_route_refuses_malformed_bodies_with_a_4xx() {
    let w = World::new().await;
    let case = w.case(false).await;
    let bodies = ["{not json", "[]", "{\"version\": \"seven\"}", "null"];
    let mut checked = 0;
    for route in haven_web::routes::ROUTES.iter().filter(|r| r.api && matches!(r.method, "POST" | "PUT")) {
        if route.path.ends_with("logout") {
            continue;
        }
        let uri = route
            .path
            .replace("{case}", &case)
            .replace("{username}", "caseworker")
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{seq}", "1")
            .replace("{table}", "VICT_SEX_AGE");
        let uri = uri.split('#').next().unwrap().to_owned();
        for s in [&w.supervisor, &w.shelter_worker] {
            for body in bodies {
                if route.path == "/api/v1/registrations/import" && body == "[]" {
                    continue; // an empty HTCDS import is a valid import of nothing
                }
                let req = axum::http::Request::builder()
                    .method(route.method)
                    .uri(&uri)
                    .header("host", "localhost")
                    .header("cookie", &s.cookie)
                    .header("x-csrf-token", &s.csrf)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body))
                    .unwrap();
                let r = w.t.send(req).await;
                assert!(r.status.is_client_error(), "{} {uri} with {body}: {} {}", route.method, r.status, r.body);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}
