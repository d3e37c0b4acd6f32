//! Typed support records end to end through the API and the pages: children's protection
//! (guardians, representatives, interviews and the Art 15(3) review, best interests, durable
//! solutions), compensation claims and payments, safe return with the child-return block.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

struct World {
    t: TestApp,
    /// Caseworker of NGO A, which registers the cases.
    caseworker: Session,
    /// Caseworker of NGO B.
    other: Session,
    ngo_b: String,
}

impl World {
    async fn new() -> World {
        let t = TestApp::new().await;
        let ngo = t.org("NGO A", "ngo", "LV").await;
        let ngo_b = t.org("NGO B", "ngo", "LV").await;
        let password = t.user("caseworker", &ngo, &["caseworker"]).await;
        let caseworker = t.login("caseworker", &password).await;
        let password = t.user("other", &ngo_b, &["caseworker"]).await;
        let other = t.login("other", &password).await;
        World { t, caseworker, other, ngo_b }
    }

    async fn post(&self, path: &str, s: &Session, body: Value) -> Reply {
        self.t.call(Method::POST, path, Some(s), Some(body)).await
    }

    /// A draft registration; returns the case id.
    async fn case(&self, person: Value) -> String {
        let r = self.post("/api/v1/registrations", &self.caseworker, json!({ "person": person })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    }

    /// A 15-year-old on the test clock (2026-09-21), the date of birth checked.
    async fn child(&self) -> String {
        self.case(json!({"given_names": "Mihai", "family_names": "Lungu", "sex": "male",
                         "date_of_birth": "2011-01-01", "dob_verified": true}))
            .await
    }

    async fn adult(&self) -> String {
        self.case(json!({"given_names": "Elena", "family_names": "Rusu", "sex": "female",
                         "date_of_birth": "1990-05-01", "dob_verified": true}))
            .await
    }

    async fn view(&self, case: &str) -> Value {
        let r = self
            .t
            .call(Method::GET, &format!("/api/v1/cases/{case}/support-records"), Some(&self.caseworker), None)
            .await;
        ok(&r, StatusCode::OK)
    }

    async fn add(&self, case: &str, kind: &str, record: Value) -> Reply {
        self.post(
            &format!("/api/v1/cases/{case}/support-records"),
            &self.caseworker,
            json!({"kind": kind, "record": record}),
        )
        .await
    }

    /// Adds a record that must be accepted; returns (id, version).
    async fn added(&self, case: &str, kind: &str, record: Value) -> (String, i64) {
        let body = ok(&self.add(case, kind, record).await, StatusCode::CREATED);
        (body["id"].as_str().unwrap().to_owned(), body["version"].as_i64().unwrap())
    }

    async fn change(&self, case: &str, record: &str, version: i64, change: Value) -> Reply {
        self.post(
            &format!("/api/v1/cases/{case}/support-records/{record}/changes"),
            &self.caseworker,
            json!({"version": version, "change": change}),
        )
        .await
    }

    /// A change that must be accepted; returns the new version.
    async fn changed(&self, case: &str, record: &str, version: i64, change: Value) -> i64 {
        let body = ok(&self.change(case, record, version, change).await, StatusCode::OK);
        body["version"].as_i64().unwrap()
    }
}

fn ok(r: &Reply, status: StatusCode) -> Value {
    assert_eq!(r.status, status, "{}", r.body);
    r.json()
}

/// The reply is refused with `status`, naming `field`; returns the message.
fn refused(r: &Reply, status: StatusCode, field: &str) -> String {
    assert_eq!(r.status, status, "{}", r.body);
    let body = r.json();
    assert_eq!(body["error"]["field"], field, "{}", r.body);
    body["error"]["message"].as_str().unwrap().to_owned()
}

fn determination(return_ok: &str) -> Value {
    json!({"decided_on": "2026-09-10", "decided_by": "Orphan's court panel", "child_heard": true,
           "child_views_summary": "Wants to see his mother", "factors": ["safety", "family", "childs_views"],
           "outcome": "Assessed with the family service in the country of origin",
           "return_in_best_interests": return_ok})
}

fn risk(on: &str, level: &str) -> Value {
    json!({"action": "risk_assessment", "assessed_on": on, "re_trafficking_risk": level, "reprisal_risk": "low",
           "family_situation": "safe", "support_services": "available", "documents_ready": "yes"})
}

/// Convention Art 16(7); Dir 2011/36 Art 16(2): a child is returned only on a linked
/// best-interests determination that supports it, and never while the risk is severe.
#[tokio::test]
async fn a_childs_return_needs_a_supportive_determination_and_no_severe_risk() {
    let w = World::new().await;
    let case = w.child().await;
    let (plan, mut v) = w.added(&case, "return_plan", json!({"destination": "RO", "created_on": "2026-09-01"})).await;
    v = w.changed(&case, &plan, v, risk("2026-09-15", "medium")).await;
    let approve = json!({"action": "transition", "status": "approved"});

    // No determination linked: refused, naming what is missing.
    let r = w.change(&case, &plan, v, approve.clone()).await;
    let message = refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "best_interests_determination");
    assert!(message.contains("Art 16(7)"), "{message}");
    let view = w.view(&case).await;
    assert_eq!(view["child_status"], "child");
    assert_eq!(view["return_plans"][0]["next_step"]["to"], "approved");
    assert_eq!(view["return_plans"][0]["next_step"]["blocked"]["reason"], "no_determination");

    // A determination that finds return not in the child's best interests: still refused.
    let (against, _) = w.added(&case, "best_interests", determination("no")).await;
    v = w.changed(&case, &plan, v, json!({"action": "link_determination", "determination": against})).await;
    let r = w.change(&case, &plan, v, approve.clone()).await;
    let message = refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "best_interests_determination");
    assert!(message.contains("does not find return"), "{message}");
    assert_eq!(w.view(&case).await["return_plans"][0]["next_step"]["blocked"]["reason"], "determination_against");

    // A supportive one, but a severe risk: refused on the risk.
    let (supports, _) = w.added(&case, "best_interests", determination("yes")).await;
    v = w.changed(&case, &plan, v, json!({"action": "link_determination", "determination": supports})).await;
    v = w.changed(&case, &plan, v, risk("2026-09-18", "severe")).await;
    let r = w.change(&case, &plan, v, approve.clone()).await;
    let message = refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "risk_assessment");
    assert!(message.contains("severe"), "{message}");
    assert_eq!(w.view(&case).await["return_plans"][0]["next_step"]["blocked"]["reason"], "severe_risk");

    // A later assessment without a severe risk: the return is approved. No consent is asked of a child.
    v = w.changed(&case, &plan, v, risk("2026-09-20", "high")).await;
    let body = ok(&w.change(&case, &plan, v, approve).await, StatusCode::OK);
    assert_eq!(body["status"], "approved");
    assert_eq!(body["record"]["status"], "approved");
    assert_eq!(w.view(&case).await["return_plans"][0]["next_step"]["to"], "travel_arranged");

    // A link to something that is not a determination of this case is refused.
    let r = w.change(&case, &plan, v + 1, json!({"action": "link_determination", "determination": plan.clone()})).await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "change.determination");
}

/// Convention Art 16(2): an adult's return is voluntary; children-only records are refused.
#[tokio::test]
async fn an_adults_return_needs_consent_and_children_only_records_are_refused() {
    let w = World::new().await;
    let case = w.adult().await;
    let (plan, mut v) = w.added(&case, "return_plan", json!({"destination": "MD", "created_on": "2026-09-01"})).await;
    v = w.changed(&case, &plan, v, risk("2026-09-15", "severe")).await;
    let approve = json!({"action": "transition", "status": "approved", "on": "2026-09-20"});
    let r = w.change(&case, &plan, v, approve.clone()).await;
    let message = refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "consent");
    assert!(message.contains("informed consent"), "{message}");
    assert_eq!(w.view(&case).await["return_plans"][0]["next_step"]["blocked"]["reason"], "no_consent");
    v = w
        .changed(
            &case,
            &plan,
            v,
            json!({"action": "consent", "given_on": "2026-09-19", "language": "ro", "informed_by": "Caseworker"}),
        )
        .await;
    // For an adult a severe risk informs the person's decision and does not block it.
    let body = ok(&w.change(&case, &plan, v, approve).await, StatusCode::OK);
    assert_eq!(body["status"], "approved");
    // A follow-up before the return is refused, naming the field.
    let r = w
        .change(
            &case,
            &plan,
            v + 1,
            json!({"action": "follow_up", "on": "2026-09-21", "contact_made": "yes",
                                             "re_trafficking_concern": "no"}),
        )
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "change.on");

    for (kind, record) in [
        ("guardian", json!({"appointed_on": "2026-09-01", "name": "Anna Ozola"})),
        ("interview", json!({})),
        ("best_interests", determination("yes")),
        ("child_circumstances", json!({"unaccompanied": true})),
    ] {
        let message = refused(&w.add(&case, kind, record).await, StatusCode::UNPROCESSABLE_ENTITY, "kind");
        assert!(message.contains("adult"), "{kind}: {message}");
    }
}

/// Dir 2011/36 Art 17; Convention Art 15(3)-(4): payments only on an award and never
/// above it; what is outstanding; a stale version is a conflict; audited without personal data.
#[tokio::test]
async fn compensation_payments_stay_within_the_award() {
    let w = World::new().await;
    let case = w.adult().await;
    let claim = json!({"kind": "criminal_proceedings_against_offender", "against": "Defendant Ivanov",
                       "amount_claimed": 1_000_000, "currency": "EUR", "prepared_on": "2026-08-01",
                       "free_legal_representation": "yes"});
    let (id, mut v) = w.added(&case, "compensation_claim", claim).await;
    // No payment before an award.
    let pay = |amount: i64, currency: &str| {
        json!({"action": "payment", "received_on": "2026-09-20", "amount": amount, "currency": currency,
               "payer": "offender"})
    };
    refused(&w.change(&case, &id, v, pay(100, "EUR")).await, StatusCode::UNPROCESSABLE_ENTITY, "change.received_on");
    v = w.changed(&case, &id, v, json!({"action": "transition", "status": "filed", "on": "2026-08-15"})).await;
    // A partial award needs its amount.
    let r = w
        .change(&case, &id, v, json!({"action": "transition", "status": "partially_awarded", "on": "2026-09-01"}))
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "change.amount");
    v = w
        .changed(
            &case,
            &id,
            v,
            json!({"action": "transition", "status": "partially_awarded", "on": "2026-09-01", "amount": "600000"}),
        )
        .await;
    v = w.changed(&case, &id, v, pay(250_000, "EUR")).await;
    // Above the award: refused, naming the amount and what is outstanding.
    let message =
        refused(&w.change(&case, &id, v, pay(400_000, "EUR")).await, StatusCode::UNPROCESSABLE_ENTITY, "change.amount");
    assert!(message.contains("350000 is outstanding"), "{message}");
    refused(&w.change(&case, &id, v, pay(1_000, "USD")).await, StatusCode::UNPROCESSABLE_ENTITY, "change.currency");
    // A stale version is a conflict.
    let r = w.change(&case, &id, v - 1, pay(1_000, "EUR")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Withdrawal after an award is refused.
    let r = w.change(&case, &id, v, json!({"action": "transition", "status": "withdrawn"})).await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "change.status");

    let view = w.view(&case).await;
    let c = &view["compensation_claims"][0];
    assert_eq!(c["status"], "partially_awarded");
    assert_eq!((c["total_paid"].as_i64(), c["outstanding"].as_i64()), (Some(250_000), Some(350_000)));
    assert_eq!(c["version"].as_i64(), Some(v));
    assert_eq!(c["next"], json!(["appealed"]));
    let totals = &view["compensation_totals"][0];
    assert_eq!(totals["currency"], "EUR");
    assert_eq!((totals["awarded"].as_i64(), totals["outstanding"].as_i64()), (Some(600_000), Some(350_000)));

    // The page shows what is outstanding, in euros.
    let page = w.t.page(&format!("/cases/{case}/support/compensation"), Some(&w.caseworker)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("3500.00 EUR"), "{}", page.body);
    assert!(page.body.contains("Partially awarded"));

    // Every change is audited with its kind and status, and nothing personal.
    let authority = w.t.org("Competent Authority", "competent_authority", "LV").await;
    let admin = w.t.admin("root", &authority).await;
    let entries =
        ok(&w.t.call(Method::GET, "/api/v1/audit/entries?limit=500", Some(&admin), None).await, StatusCode::OK);
    let entries = entries.as_array().unwrap();
    let of = |action: &str| entries.iter().filter(|e| e["action"] == action).count();
    assert_eq!(of("support_record_added"), 1);
    assert_eq!(of("support_record_updated"), 3);
    assert!(of("support_read") >= 1);
    let text = serde_json::to_string(entries).unwrap();
    assert!(text.contains("kind=compensation_claim action=payment status=partially_awarded"), "{text}");
    assert!(!text.contains("Ivanov") && !text.contains("Rusu"), "{text}");
}

/// Dir 2011/36 Arts 14(2), 15(1)-(3), 16(3)-(4): who must be appointed, and the
/// concerns the interviews raise.
#[tokio::test]
async fn guardians_representatives_and_interview_concerns() {
    let w = World::new().await;
    let case = w.child().await;
    let view = w.view(&case).await;
    assert_eq!(view["guardian_need"]["required"], false);
    w.added(&case, "child_circumstances", json!({"unaccompanied": "yes"})).await;
    let view = w.view(&case).await;
    assert_eq!((&view["guardian_need"]["required"], &view["guardian_need"]["missing"]), (&json!(true), &json!(true)));
    assert_eq!(view["representative_need"]["missing"], true);
    assert_eq!(view["guardian_need"]["grounds"][0][0], "unaccompanied");
    w.added(
        &case,
        "guardian",
        json!({"appointed_on": "2026-09-02", "name": "Anna Ozola", "organisation": "Orphan's court"}),
    )
    .await;
    w.added(
        &case,
        "representative",
        json!({"appointed_on": "2026-09-03", "name": "Jānis Bērziņš", "role": "lawyer",
               "free_legal_counselling": true}),
    )
    .await;
    let view = w.view(&case).await;
    assert_eq!(
        (&view["guardian_need"]["missing"], &view["representative_need"]["missing"]),
        (&json!(false), &json!(false))
    );

    // Interviews: the first on time and as it should be; the second late, in an ordinary room,
    // by someone new, not accompanied and no reason recorded.
    let interview = |on: &str, who: &str, adapted: &str, accompanied: &str| {
        json!({"interviewed_on": on, "facts_reported_on": "2026-09-01", "premises_adapted": adapted,
               "conducted_by_trained_professionals": "yes", "interviewer_ids": [who],
               "accompanied_by": accompanied, "video_recorded": "yes", "purpose": "Statement for the investigation"})
    };
    let (first, _) = w.added(&case, "interview", interview("2026-09-04", "inspector-1", "yes", "representative")).await;
    let (second, _) = w.added(&case, "interview", interview("2026-09-15", "inspector-2", "no", "none")).await;
    let view = w.view(&case).await;
    assert_eq!(view["interview_rules"], json!({"delay_limit_days": 7, "max_interviews": 3}));
    let concerns: Vec<(String, String)> = view["interview_concerns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["record_id"].as_str().unwrap().to_owned(), c["kind"].as_str().unwrap().to_owned()))
        .collect();
    assert!(concerns.iter().all(|(id, _)| *id == second && *id != first), "{concerns:?}");
    let kinds: Vec<&str> = concerns.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["unjustified_delay", "premises_not_adapted", "different_interviewer", "not_accompanied_without_reason"]
    );
    assert_eq!(view["interview_concerns"][0]["article"], "Dir 2011/36 Art 15(3)(a)");

    // The page shows the requirement met, and the concerns with their articles.
    let page = w.t.page(&format!("/cases/{case}/support/child"), Some(&w.caseworker)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Held long after the facts were reported (Dir 2011/36 Art 15(3)(a))"));
    assert!(page.body.contains("A guardian or representative is required"));
    assert!(page.body.contains("One is appointed"));

    // A durable solution rests on a determination of the case (Art 16(2)).
    let r = w
        .add(
            &case,
            "durable_solution",
            json!({"kind": "family_reunification", "based_on": first, "proposed_on": "2026-09-20"}),
        )
        .await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "record.based_on");
    let (bid, _) = w.added(&case, "best_interests", determination("")).await;
    let (solution, v) = w
        .added(
            &case,
            "durable_solution",
            json!({"kind": "integration_in_host_country", "based_on": bid, "proposed_on": "2026-09-20"}),
        )
        .await;
    let r = w.change(&case, &solution, v, json!({"action": "transition", "status": "implemented"})).await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "change.status");
    let r = w.change(&case, &solution, v, json!({"action": "payment", "amount": 1})).await;
    refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "change.action");
    w.changed(&case, &solution, v, json!({"action": "transition", "status": "agreed"})).await;
}

#[tokio::test]
async fn other_organisations_see_nothing_unless_support_is_shared() {
    let w = World::new().await;
    let case = w.child().await;
    let (plan, v) = w.added(&case, "return_plan", json!({"destination": "RO", "created_on": "2026-09-01"})).await;
    let list = format!("/api/v1/cases/{case}/support-records");
    let get = async |s: &Session| w.t.call(Method::GET, &list, Some(s), None).await;
    assert_eq!(get(&w.other).await.status, StatusCode::NOT_FOUND);
    let r = w
        .post(
            &list,
            &w.other,
            json!({"kind": "return_plan", "record": {"destination": "RO", "created_on": "2026-09-01"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = w
        .post(&format!("{list}/{plan}/changes"), &w.other, json!({"version": v, "change": risk("2026-09-15", "low")}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let page = w.t.page(&format!("/cases/{case}/support/return"), Some(&w.other)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // Identity shared: the case is known, its support records are not.
    let share = format!("/api/v1/cases/{case}/shares");
    let r = w.post(&share, &w.caseworker, json!({"organisation_id": w.ngo_b, "compartments": ["identity"]})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(get(&w.other).await.status, StatusCode::FORBIDDEN);
    // Support shared: readable and writable.
    let r = w
        .post(&share, &w.caseworker, json!({"organisation_id": w.ngo_b, "compartments": ["identity", "support"]}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(ok(&get(&w.other).await, StatusCode::OK)["return_plans"][0]["id"], plan.as_str());
    // A record id of another case is not found through this one.
    let other_case = w.adult().await;
    let r = w.change(&other_case, &plan, v, risk("2026-09-15", "low")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let w = World::new().await;
    let case = w.child().await;
    let list = format!("/api/v1/cases/{case}/support-records");
    let guardian = json!({"appointed_on": "2026-09-02", "name": "Anna Ozola"});
    let cases: Vec<(&str, Value, StatusCode, Option<&str>)> = vec![
        ("unknown kind", json!({"kind": "pet", "record": {}}), StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
        ("no record", json!({"kind": "guardian"}), StatusCode::BAD_REQUEST, None),
        (
            "unknown top-level field",
            json!({"kind": "guardian", "record": guardian, "x": 1}),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "record not an object",
            json!({"kind": "guardian", "record": "Anna"}),
            StatusCode::BAD_REQUEST,
            Some("record"),
        ),
        (
            "unknown field in the record",
            json!({"kind": "guardian", "record": {"appointed_on": "2026-09-02", "name": "A", "nickname": "x"}}),
            StatusCode::BAD_REQUEST,
            Some("record.nickname"),
        ),
        (
            "wrong type",
            json!({"kind": "interview", "record": {"interviewer_ids": "inspector-1"}}),
            StatusCode::BAD_REQUEST,
            Some("record.interviewer_ids"),
        ),
        (
            "bad date",
            json!({"kind": "guardian", "record": {"appointed_on": "2026-02-30", "name": "A"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("record.appointed_on"),
        ),
        (
            "future date",
            json!({"kind": "guardian", "record": {"appointed_on": "2027-01-01", "name": "A"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("record.appointed_on"),
        ),
        (
            "bad factor",
            json!({"kind": "best_interests", "record": {"decided_on": "2026-09-10", "decided_by": "Panel",
                   "child_heard": "yes", "child_views_summary": "x", "factors": ["safety", "wealth"], "outcome": "x"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("record.factors[1]"),
        ),
        (
            "amount with a decimal point",
            json!({"kind": "compensation_claim", "record": {"kind": "state_compensation_scheme",
                   "amount_claimed": "10.50", "currency": "EUR", "prepared_on": "2026-09-01",
                   "free_legal_representation": "no"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("record.amount_claimed"),
        ),
    ];
    for (what, body, status, field) in cases {
        let r = w.post(&list, &w.caseworker, body).await;
        assert_eq!(r.status, status, "{what}: {}", r.body);
        if let Some(field) = field {
            assert_eq!(r.json()["error"]["field"], field, "{what}: {}", r.body);
        }
        if what.starts_with("unknown field") {
            assert!(r.body.contains("nickname"), "{what}: {}", r.body);
        }
    }
    let r = w.t.send(
        axum::http::Request::builder()
            .method(Method::POST)
            .uri(&list)
            .header("host", "localhost")
            .header("cookie", &w.caseworker.cookie)
            .header("x-csrf-token", &w.caseworker.csrf)
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{\"kind\": \"guardian\", "))
            .unwrap(),
    );
    let r = r.await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("malformed JSON"), "{}", r.body);

    let (plan, v) = w.added(&case, "return_plan", json!({"destination": "RO", "created_on": "2026-09-01"})).await;
    let changes = format!("{list}/{plan}/changes");
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        ("no action", json!({"version": v, "change": {}}), StatusCode::UNPROCESSABLE_ENTITY, "change.action"),
        (
            "unknown action",
            json!({"version": v, "change": {"action": "teleport"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "change.action",
        ),
        ("action not text", json!({"version": v, "change": {"action": 1}}), StatusCode::BAD_REQUEST, "change.action"),
        ("change not an object", json!({"version": v, "change": []}), StatusCode::BAD_REQUEST, "change"),
        (
            "unknown field",
            json!({"version": v, "change": {"action": "transition", "colour": "red"}}),
            StatusCode::BAD_REQUEST,
            "change.colour",
        ),
        (
            "version as text",
            json!({"version": "1", "change": {"action": "transition"}}),
            StatusCode::BAD_REQUEST,
            "version",
        ),
        (
            "bad status",
            json!({"version": v, "change": {"action": "transition", "status": "flown"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "change.status",
        ),
        (
            "bad country",
            json!({"version": v, "change": {"action": "contact", "organisation": "IOM", "country": "XX",
                   "contact_point": "Desk", "role": "reception"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "change.country",
        ),
        (
            "sent referral without a reference",
            json!({"version": v, "change": {"action": "transnational_referral", "destination_focal_point": "ANITP",
                   "status": "sent"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "change.message_reference",
        ),
    ];
    for (what, body, status, field) in cases {
        let r = w.post(&changes, &w.caseworker, body).await;
        assert_eq!(r.status, status, "{what}: {}", r.body);
        assert_eq!(r.json()["error"]["field"], field, "{what}: {}", r.body);
    }
    let r = w
        .post(
            &format!("{list}/00000000-0000-0000-0000-000000000000/changes"),
            &w.caseworker,
            json!({"version": 1, "change": {"action": "transition", "status": "cancelled"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Nothing refused was stored.
    let view = w.view(&case).await;
    assert!(view["guardians"].as_array().unwrap().is_empty());
    assert_eq!(view["return_plans"][0]["version"], v);
}

#[tokio::test]
async fn the_pages_work_in_english_and_latvian() {
    let w = World::new().await;
    let case = w.child().await;
    let t = &w.t;
    let child = format!("/cases/{case}/support/child");
    let ret = format!("/cases/{case}/support/return");
    let s = &w.caseworker;

    // A form with an error comes back with the error next to the field and the values kept.
    let r = t
        .form(
            &child,
            Some(s),
            &[("action", "add:guardian"), ("appointed_on", "2027-01-01"), ("name", "Anna Ozola"), ("kind", "guardian")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"add-guardian-appointed_on\""), "{}", r.body);
    assert!(r.body.contains("aria-describedby=\"add-guardian-appointed_on-error\""), "{}", r.body);
    assert!(r.body.contains("id=\"add-guardian-appointed_on-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"Anna Ozola\""), "{}", r.body);
    assert!(r.body.contains("href=\"#add-guardian-appointed_on\""), "{}", r.body);

    // Forms add records and redirect back to them.
    let r = t
        .form(
            &child,
            Some(s),
            &[("action", "add:guardian"), ("appointed_on", "2026-09-02"), ("name", "Anna Ozola"), ("kind", "guardian")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.headers["location"].to_str().unwrap().starts_with(&format!("{child}#record-")));
    let r = t
        .form(
            &child,
            Some(s),
            &[
                ("action", "add:best_interests"),
                ("decided_on", "2026-09-10"),
                ("decided_by", "Panel"),
                ("child_heard", "yes"),
                ("child_views_summary", "Wants to stay"),
                ("factors", "safety"),
                ("factors", "childs_views"),
                ("outcome", "Stay and go to school"),
                ("return_in_best_interests", "no"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .form(&ret, Some(s), &[("action", "add:return_plan"), ("destination", "RO"), ("created_on", "2026-09-01")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let view = w.view(&case).await;
    assert_eq!(view["determinations"][0]["record"]["factors"], json!(["safety", "childs_views"]));
    let plan = view["return_plans"][0]["id"].as_str().unwrap().to_owned();
    let bid = view["determinations"][0]["id"].as_str().unwrap().to_owned();

    // Through the page too, the block holds: the error names the determination.
    let r = t
        .form(
            &ret,
            Some(s),
            &[("action", "change:link_determination"), ("record", &plan), ("version", "1"), ("determination", &bid)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .form(
            &ret,
            Some(s),
            &[("action", "change:transition"), ("record", &plan), ("version", "2"), ("status", "approved"), ("on", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Best-interests determination: the best-interests determination does not find return"),
        "{}",
        r.body
    );
    // A stale version on a page is a conflict, shown on the form.
    let r = t
        .form(
            &ret,
            Some(s),
            &[("action", "change:transition"), ("record", &plan), ("version", "1"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    let page = t.page(&ret, Some(s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("This child&#39;s return cannot go ahead")
            || page.body.contains("This child's return cannot go ahead"),
        "{}",
        page.body
    );
    assert!(page.body.contains("does not find return in the child"), "{}", page.body);
    for path in [&child, &format!("/cases/{case}/support/compensation"), &ret] {
        let page = t.page(path, Some(s)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("<html lang=\"en\">"));
        assert!(!page.body.contains("rec-"), "a message id shows on {path}");
    }
    let page = t.page(&child, Some(s)).await;
    assert!(page.body.contains("Child protection"));
    assert!(page.body.contains("<label for=\"add-guardian-name\">"));
    assert!(page.body.contains("<legend>Factors considered</legend>"));

    // In Latvian.
    let r = t.form("/account/language", Some(s), &[("language", "lv")]).await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let page = t.page(&ret, Some(s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"lv\">"));
    assert!(page.body.contains("Droša atgriešanās"));
    assert!(page.body.contains("Šī bērna atgriešanās nevar notikt"), "{}", page.body);
    for path in [&child, &format!("/cases/{case}/support/compensation")] {
        let page = t.page(path, Some(s)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("rec-"), "a message id shows on {path}");
    }
    assert!(t.page(&child, Some(s)).await.body.contains("Bērna aizsardzība"));

    // A form refused in Latvian: the problem at its field in Latvian, what was typed kept.
    let compensation = format!("/cases/{case}/support/compensation");
    let r = t
        .form(
            &compensation,
            Some(s),
            &[
                ("action", "add:compensation_claim"),
                ("kind", "state_compensation_scheme"),
                ("prepared_on", "2026-09-03"),
                ("amount_claimed", "divi tūkstoši"),
                ("currency", "EUR"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("<html lang=\"lv\">"));
    let field = &r.body[r.body.find("id=\"add-compensation_claim-amount_claimed\"").expect("the amount's input")..];
    assert!(field.contains("value=\"divi tūkstoši\""), "{field}");
    assert!(r.body.contains("id=\"add-compensation_claim-amount_claimed-error\""), "{}", r.body);
    assert!(r.body.contains("<a href=\"#add-compensation_claim-amount_claimed\">Prasītā summa: "), "{}", r.body);
    assert!(r.body.contains("value=\"2026-09-03\""), "the other inputs are kept too");
}

/// The English and Latvian message files of these pages have the same messages.
#[test]
fn both_languages_have_the_same_messages() {
    let ids = |text: &str| {
        let mut ids: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort();
        ids
    };
    let en = ids(include_str!("../../locales/en-records.ftl"));
    let lv = ids(include_str!("../../locales/lv-records.ftl"));
    assert!(en.len() > 200, "{}", en.len());
    assert_eq!(en, lv);
}
