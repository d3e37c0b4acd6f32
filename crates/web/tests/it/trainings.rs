//! Training records through the API and the pages (Dir 2011/36 Art 18(3), Art 9(3)): recorded
//! and summarised per year and audience in one's own country, bad input named, the EU level told
//! that it keeps none (naming the jurisdiction); and the money rules' refusals through the API
//! (Dir 2011/36 Art 7, Art 17): proceeds only to a claim on which an award stands, amounts only in
//! currencies whose minor units Haven counts.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_domain::proceedings::penalty::NationalPractice;
use serde_json::{Value, json};

fn expect(reply: &Reply, status: StatusCode, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    if reply.body.is_empty() { Value::Null } else { reply.json() }
}

fn assert_field(reply: &Reply, field: &str) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", reply.body);
    assert_eq!(reply.json()["error"]["field"], field, "{}", reply.body);
}

async fn signed_in(t: &TestApp, name: &str, org: &str, role: &str) -> Session {
    let password = t.user(name, org, &[role]).await;
    t.login(name, &password).await
}

async fn post(t: &TestApp, s: &Session, path: &str, body: Value) -> Reply {
    t.call(Method::POST, path, Some(s), Some(body)).await
}

fn training(title: &str, starts_on: &str, hours: &str, attendance: Value) -> Value {
    json!({"title": title, "organiser": "Valsts policijas koledža", "starts_on": starts_on, "hours": hours,
        "attendance": attendance})
}

#[tokio::test]
async fn art_18_3_dir_trainings_through_the_api_are_recorded_in_ones_country_and_summarised_per_year_and_audience() {
    let t = TestApp::new().await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let rapporteur_org = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let ee_police = t.org("Politsei- ja Piirivalveamet", "police", "EE").await;
    let officer = signed_in(&t, "officer", &police, "investigator").await;
    let rapporteur = signed_in(&t, "rapporteur", &rapporteur_org, "rapporteur").await;
    let ee_officer = signed_in(&t, "ee.officer", &ee_police, "investigator").await;
    let one = training(
        "Darba ekspluatācijas pazīmes",
        "2025-03-01",
        "8",
        json!([{"audience": "police", "attendees": "20"}, {"audience": "labour_inspectors", "attendees": "5"}]),
    );
    let saved = expect(&post(&t, &officer, "/api/v1/trainings", one).await, StatusCode::CREATED, "record");
    assert_eq!(saved["country"], "LV");
    let two = training("Bērnu nopratināšana", "2025-10-01", "6", json!([{"audience": "police", "attendees": "10"}]));
    expect(&post(&t, &rapporteur, "/api/v1/trainings", two).await, StatusCode::CREATED, "record by the rapporteur");
    // Bad input names its field.
    let bad = training("X", "2025-03-01", "8", json!([{"audience": "police", "attendees": "0"}]));
    assert_field(&post(&t, &officer, "/api/v1/trainings", bad).await, "attendance[0].attendees");
    let bad = training("X", "2025-03-01", "a day", json!([{"audience": "judges", "attendees": "3"}]));
    assert_field(&post(&t, &officer, "/api/v1/trainings", bad).await, "hours");
    let bad = training("X", "2025-03-01", "8", json!([]));
    assert_field(&post(&t, &officer, "/api/v1/trainings", bad).await, "attendance");
    // The summary per year and audience, for the rapporteur's reports.
    let view = expect(&t.call(Method::GET, "/api/v1/trainings", Some(&rapporteur), None).await, StatusCode::OK, "list");
    assert_eq!(view["trainings"].as_array().unwrap().len(), 2, "{view}");
    let rows: Vec<(i64, String, i64, i64, i64, i64)> = view["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["year"].as_i64().unwrap(),
                r["audience"].as_str().unwrap().to_owned(),
                r["trainings"].as_i64().unwrap(),
                r["hours"].as_i64().unwrap(),
                r["attendees"].as_i64().unwrap(),
                r["attendee_hours"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![(2025, "police".into(), 2, 14, 30, 220), (2025, "labour_inspectors".into(), 1, 8, 5, 40)],
        "{view}"
    );
    // Another country's officer sees its own country's records: none.
    let ee = expect(&t.call(Method::GET, "/api/v1/trainings", Some(&ee_officer), None).await, StatusCode::OK, "ee");
    assert_eq!(ee["trainings"], json!([]));
}

#[tokio::test]
async fn the_eu_level_keeps_no_training_records_and_is_told_so_naming_the_jurisdiction() {
    let t = TestApp::new().await;
    let eu_stats = t.org("EU Statistics", "statistics_office", "EU").await;
    let lv_stats = t.org("Centrālā statistikas pārvalde", "statistics_office", "LV").await;
    let eu = signed_in(&t, "eu.statistician", &eu_stats, "statistician").await;
    let lv = signed_in(&t, "lv.statistician", &lv_stats, "statistician").await;
    // The role grants reading; the jurisdiction keeps none: a 409 that names it, not a bare 403.
    let reply = t.call(Method::GET, "/api/v1/trainings", Some(&eu), None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let error = &reply.json()["error"];
    assert!(error["message"].as_str().unwrap().contains("jurisdiction EU"), "{error}");
    assert!(error.to_string().contains("jurisdiction=EU"), "{error}");
    // The page says so too, and the navigation does not offer the page at the EU level.
    let page = t.page("/trainings", Some(&eu)).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("trainings-refused") && page.body.contains("EU"), "{}", page.body);
    let home = t.page("/", Some(&eu)).await;
    assert!(!home.body.contains("href=\"/trainings\""), "{}", home.body);
    // A national statistics office reads its own country's, and is offered the page.
    expect(&t.call(Method::GET, "/api/v1/trainings", Some(&lv), None).await, StatusCode::OK, "lv");
    let home = t.page("/", Some(&lv)).await;
    assert!(home.body.contains("href=\"/trainings\""), "{}", home.body);
}

#[tokio::test]
async fn art_9_3_dir_a_training_is_recorded_from_the_page_and_a_problem_is_shown_at_its_input() {
    let t = TestApp::new().await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let officer = signed_in(&t, "officer", &police, "investigator").await;
    let page = t.page("/trainings", Some(&officer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("name=\"attendees.labour_inspectors\""), "{}", page.body);
    let reply = t
        .form(
            "/trainings",
            Some(&officer),
            &[
                ("title", "Cilvēku tirdzniecības upuru identificēšana"),
                ("organiser", "Valsts policijas koledža"),
                ("starts_on", "2026-05-04"),
                ("ends_on", "2026-05-05"),
                ("hours", "12"),
                ("attendees.prosecutors", "7"),
                ("attendees.judges", "4"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = t.page("/trainings", Some(&officer)).await;
    assert!(page.body.contains("Cilvēku tirdzniecības upuru identificēšana"), "{}", page.body);
    assert!(page.body.contains("id=\"trainings-summary\""), "{}", page.body);
    // Zero attendees: refused at that audience's input, what was typed shown again.
    let reply = t
        .form(
            "/trainings",
            Some(&officer),
            &[
                ("title", "Otrās mācības"),
                ("organiser", "Prokuratūra"),
                ("starts_on", "2026-06-01"),
                ("hours", "4"),
                ("attendees.police", "3"),
                ("attendees.others", "0"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("href=\"#attendees.others\""), "{}", reply.body);
    assert!(reply.body.contains("value=\"Otrās mācības\""), "{}", reply.body);
}

/// A profile of Latvia that lets confiscated proceeds pay compensation (the shipped one says
/// "not until checked").
fn allowing() -> NationalPractice {
    NationalPractice::parse(
        "country = \"LV\"\n[[versions]]\nvalid_from = \"2014-01-01\"\noffence_provision = \"Criminal Law s. 154.1\"\n\
         max_penalty_years = 8\nmax_penalty_years_aggravated = 15\naggravating = []\n\
         confiscated_proceeds_to_compensation = true\nsources = [\"a test profile\"]\n",
    )
    .unwrap()
}

#[tokio::test]
async fn art_17_dir_the_api_refuses_proceeds_to_a_claim_without_an_award_and_amounts_in_uncounted_currencies_naming_the_field()
 {
    let mut t = TestApp::new().await;
    let app = t.app.clone().with_proceedings_practice(allowing());
    t.router = haven_web::router(app.clone(), haven_web::WebConfig::default()).unwrap();
    t.app = app;
    let police = t.org("Valsts policija", "police", "LV").await;
    let prosecution = t.org("Ģenerālprokuratūra", "prosecution", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let officer = signed_in(&t, "officer", &police, "investigator").await;
    let caseworker = signed_in(&t, "caseworker", &ngo, "caseworker").await;
    let reply = post(
        &t,
        &caseworker,
        "/api/v1/registrations",
        json!({"person": {"given_names": "Ilze", "family_names": "Ozoliņa", "sex": "female"}}),
    )
    .await;
    let case = expect(&reply, StatusCode::CREATED, "registration")["id"].as_str().unwrap().to_owned();
    let share = json!({"organisation_id": police, "compartments": ["identity"]});
    expect(
        &post(&t, &caseworker, &format!("/api/v1/cases/{case}/shares"), share).await,
        StatusCode::NO_CONTENT,
        "share",
    );
    let claim = json!({"kind": "compensation_claim", "record": {"kind": "state_compensation_scheme",
        "amount_claimed": "500000", "currency": "EUR", "prepared_on": "2026-09-01", "free_legal_representation": "no"}});
    let reply = post(&t, &caseworker, &format!("/api/v1/cases/{case}/support-records"), claim).await;
    let claim_id = expect(&reply, StatusCode::CREATED, "claim")["id"].as_str().unwrap().to_owned();
    let opening = json!({"reference": "11816000777", "prosecutor_organisation_id": prosecution,
        "opened_on": "2026-09-01", "opening": "ex_officio",
        "offences": [{"kind": "trafficking", "forms": ["forced_labour"], "national_provision": "Criminal Law s. 154.1"}],
        "places": [{"country": "LV", "locality": "Rīga"}], "summary": "Nauda no piespiedu darba."});
    let reply = post(&t, &officer, "/api/v1/investigations", opening).await;
    let id = expect(&reply, StatusCode::CREATED, "open")["investigation"]["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/investigations/{id}");
    expect(
        &post(&t, &officer, &format!("{base}/victims"), json!({"case_id": case})).await,
        StatusCode::CREATED,
        "link",
    );
    let asset = json!({"kind": "cash", "description": "Skaidra nauda", "value": "1000000", "currency": "EUR",
        "valued_on": "2026-09-02", "held_in": "LV", "held_at": "Valsts policija"});
    let view =
        expect(&post(&t, &officer, &format!("{base}/assets"), asset.clone()).await, StatusCode::CREATED, "asset");
    let asset_id = view["assets"][0]["asset"]["id"].as_str().unwrap().to_owned();
    for (kind, amount) in [("confiscation_order", ""), ("realisation", "1000000")] {
        let measure = json!({"asset_id": asset_id, "measure": {"kind": kind, "on": "2026-09-10", "amount": amount,
            "currency": if amount.is_empty() { "" } else { "EUR" }, "reference": "Nr. 7"}});
        expect(&post(&t, &officer, &format!("{base}/asset-measures"), measure).await, StatusCode::CREATED, kind);
    }
    // A prepared claim: no award stands on it.
    let allocation = json!({"asset_id": asset_id, "allocation": {"claim_id": claim_id, "amount": "1000"}});
    let reply = post(&t, &officer, &format!("{base}/allocations"), allocation).await;
    assert_field(&reply, "claim_id");
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("no award"), "{}", reply.body);
    // An amount in a currency of four decimal places, and in a code that is no currency.
    for (currency, rate) in [("CLF", "40"), ("XYZ", "1")] {
        let mut bad = asset.clone();
        bad["currency"] = json!(currency);
        bad["rate"] = json!(rate);
        bad["rate_on"] = json!("2026-09-01");
        assert_field(&post(&t, &officer, &format!("{base}/assets"), bad).await, "currency");
    }
    // In yen, counted in whole yen.
    let mut yen = asset.clone();
    yen["currency"] = json!("JPY");
    yen["value"] = json!("1000000");
    yen["rate"] = json!("0.006");
    yen["rate_on"] = json!("2026-09-01");
    let view = expect(&post(&t, &officer, &format!("{base}/assets"), yen).await, StatusCode::CREATED, "yen");
    assert!(view["assets"].as_array().unwrap().iter().any(|a| a["asset"]["value"]["currency"] == "JPY"), "{view}");
}
