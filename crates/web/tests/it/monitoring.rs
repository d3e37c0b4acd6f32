//! The instruments and the transposition tracker through the API and the pages
//! (docs/monitoring.md): a country's rapporteur records its country's measures and reads its
//! own country only; the EU level records the Commission's assessments and infringement steps
//! and reads every country; a statistician reads; everyone else is refused. Lateness, the matrix,
//! the timeline and the coordinator's dashboard; bad input named (422) with what was typed kept.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
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
    t.call(Method::POST, &format!("/api/v1/monitoring/transposition/{path}"), Some(s), Some(body)).await
}

async fn get(t: &TestApp, s: &Session, path: &str) -> Reply {
    t.call(Method::GET, &format!("/api/v1/monitoring/{path}"), Some(s), None).await
}

struct World {
    t: TestApp,
    lv: Session,
    ee: Session,
    eu: Session,
    statistician: Session,
    caseworker: Session,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let lv_org = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let ee_org = t.org("Siseministeerium", "national_rapporteur", "EE").await;
    let eu_org = t.org("Office of the EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let stats_org = t.org("Centrālā statistikas pārvalde", "statistics_office", "LV").await;
    let ngo = t.org("Patvērums Drošā māja", "ngo", "LV").await;
    World {
        lv: signed_in(&t, "lv.rapporteur", &lv_org, "rapporteur").await,
        ee: signed_in(&t, "ee.rapporteur", &ee_org, "rapporteur").await,
        eu: signed_in(&t, "eu.coordinator", &eu_org, "rapporteur").await,
        statistician: signed_in(&t, "lv.statistician", &stats_org, "statistician").await,
        caseworker: signed_in(&t, "caseworker", &ngo, "caseworker").await,
        t,
    }
}

fn measure(notified_on: &str, articles: &str, completes: &str) -> Value {
    json!({"instrument": "DIR_2024_1712", "articles": articles, "title": "Grozījumi Krimināllikumā",
        "reference": "Latvijas Vēstnesis 2026/140", "notified_on": notified_on,
        "link": "https://likumi.lv/ta/id/1", "completes": completes})
}

#[tokio::test]
async fn art_22_dir_2011_36_transposition_is_recorded_by_whom_the_policy_names_and_lateness_is_counted() {
    let w = world().await;
    let t = &w.t;
    // Latvia's rapporteur notifies 5 days after the 15 July 2026 deadline.
    let saved =
        expect(&post(t, &w.lv, "measures", measure("2026-07-20", "", "yes")).await, StatusCode::CREATED, "measure");
    assert_eq!(saved["country"], "LV");
    // Bad input names its field.
    assert_field(&post(t, &w.lv, "measures", measure("2026-07-20", "99", "yes")).await, "articles");
    assert_field(&post(t, &w.lv, "measures", measure("2027-01-01", "", "yes")).await, "notified_on");
    assert_field(&post(t, &w.lv, "measures", measure("2026-07-20", "", "")).await, "completes");
    let mut bad = measure("2026-07-20", "", "yes");
    bad["link"] = json!("javascript:alert(1)");
    assert_field(&post(t, &w.lv, "measures", bad).await, "link");
    // The EU level notifies no national measure, and says so.
    let refused = post(t, &w.eu, "measures", measure("2026-07-20", "", "yes")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    // A country's rapporteur records no assessment or infringement step; the EU level does.
    let assessment = json!({"country": "EE", "instrument": "DIR_2024_1712", "article": "18a",
        "finding": "non_conformity", "assessed_on": "2026-09-01", "note": "Kein Straftatbestand."});
    expect(&post(t, &w.lv, "assessments", assessment.clone()).await, StatusCode::FORBIDDEN, "lv assessment");
    let a = expect(&post(t, &w.eu, "assessments", assessment).await, StatusCode::CREATED, "eu assessment");
    assert_eq!(a["article"], "Dir 2024/1712 Art 18a");
    let letter = json!({"country": "EE", "instrument": "DIR_2024_1712", "procedure": "INFR(2026)0211",
        "ground": "non_communication", "stage": "letter_of_formal_notice", "decided_on": "2026-09-10"});
    expect(&post(t, &w.lv, "infringements", letter.clone()).await, StatusCode::FORBIDDEN, "lv step");
    expect(&post(t, &w.eu, "infringements", letter.clone()).await, StatusCode::CREATED, "letter");
    let mut skip = letter.clone();
    skip["stage"] = json!("referral_to_court");
    assert_field(&post(t, &w.eu, "infringements", skip).await, "stage");
    let mut early = letter;
    early["stage"] = json!("reasoned_opinion");
    early["decided_on"] = json!("2026-09-01");
    assert_field(&post(t, &w.eu, "infringements", early).await, "decided_on");
    // Denmark is outside the Directive.
    let dk = json!({"country": "DK", "instrument": "DIR_2024_1712", "article": "18a", "finding": "conform",
        "assessed_on": "2026-09-01"});
    assert_field(&post(t, &w.eu, "assessments", dk).await, "country");

    // Latvia reads its own country: notified 5 days late.
    let lv = expect(&get(t, &w.lv, "transposition/LV").await, StatusCode::OK, "lv page");
    let amending = lv["directives"].as_array().unwrap().iter().find(|d| d["instrument"] == "DIR_2024_1712").unwrap();
    assert_eq!(amending["lateness"]["kind"], "notified_late", "{amending}");
    assert_eq!(amending["lateness"]["days_late"], 5);
    expect(&get(t, &w.lv, "transposition/EE").await, StatusCode::FORBIDDEN, "lv reads ee");
    expect(&get(t, &w.ee, "transposition/LV").await, StatusCode::FORBIDDEN, "ee reads lv");
    expect(&get(t, &w.statistician, "transposition/LV").await, StatusCode::OK, "statistician");
    expect(&get(t, &w.caseworker, "transposition/LV").await, StatusCode::FORBIDDEN, "caseworker");
    expect(&get(t, &w.caseworker, "dashboard").await, StatusCode::FORBIDDEN, "caseworker dashboard");
    // Estonia's page shows the EU level's records about it.
    let ee = expect(&get(t, &w.ee, "transposition/EE").await, StatusCode::OK, "ee page");
    let amending = ee["directives"].as_array().unwrap().iter().find(|d| d["instrument"] == "DIR_2024_1712").unwrap();
    assert_eq!(amending["assessments"].as_array().unwrap().len(), 1);
    assert_eq!(amending["lateness"]["kind"], "not_notified");

    // The matrix: Latvia's rapporteur sees Latvia; the EU level every state the directive binds.
    let lv_matrix = expect(&get(t, &w.lv, "transposition").await, StatusCode::OK, "lv matrix");
    assert_eq!(lv_matrix["matrix"]["rows"].as_array().unwrap().len(), 1);
    let eu_matrix = expect(&get(t, &w.eu, "transposition?instrument=DIR_2024_1712").await, StatusCode::OK, "matrix");
    let rows = eu_matrix["matrix"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 26, "every Member State but Denmark");
    assert!(!rows.iter().any(|r| r["country"] == "DK"));
    assert_eq!(eu_matrix["timeline"][0]["complete"], 1, "{}", eu_matrix["timeline"]);
    expect(&get(t, &w.eu, "transposition?instrument=CETS_197").await, StatusCode::NOT_FOUND, "a convention");

    // The dashboard (today 2026-09-21): Estonia's reply to the letter is due on 10 November,
    // and Estonia is late; Latvia is not late any more.
    let dash = expect(&get(t, &w.eu, "dashboard").await, StatusCode::OK, "dashboard");
    let due: Vec<(&str, &str)> = dash["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["country"].as_str().unwrap(), d["due"].as_str().unwrap()))
        .collect();
    assert!(due.contains(&("EE", "2026-11-10")), "{due:?}");
    let late: Vec<&str> = dash["late"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["instrument"] == "DIR_2024_1712")
        .map(|l| l["country"].as_str().unwrap())
        .collect();
    assert!(late.contains(&"EE") && !late.contains(&"LV") && !late.contains(&"DK"), "{late:?}");
    // Nothing was recorded for Dir 2011/36 here: every state it bound is late, Denmark never.
    let late_2013 = dash["late"].as_array().unwrap().iter().filter(|l| l["instrument"] == "DIR_2011_36").count();
    assert_eq!(late_2013, 27);
    let lv_dash = expect(&get(t, &w.lv, "dashboard").await, StatusCode::OK, "lv dashboard");
    assert_eq!(lv_dash["countries"], json!(["LV"]));
    // The instruments: who is bound, and since when.
    let instruments = expect(&get(t, &w.lv, "instruments").await, StatusCode::OK, "instruments");
    assert!(instruments["articles"].as_array().unwrap().len() >= 40);
}

#[tokio::test]
async fn the_pages_show_the_dashboard_the_matrix_and_keep_what_was_typed_when_a_field_is_at_fault() {
    let w = world().await;
    let t = &w.t;
    let page = t.page("/monitoring", Some(&w.lv)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"deadlines-coming\"") && page.body.contains("id=\"late-transposition\""));
    assert!(page.body.contains("href=\"/monitoring\""), "the navigation offers it");
    let home = t.page("/", Some(&w.caseworker)).await;
    assert!(!home.body.contains("href=\"/monitoring\""), "not offered to a caseworker");
    // The country page offers Latvia's rapporteur the measure form, not the EU level's forms.
    let country = t.page("/monitoring/transposition/LV", Some(&w.lv)).await;
    assert_eq!(country.status, StatusCode::OK, "{}", country.body);
    assert!(country.body.contains("id=\"form-measure\"") && !country.body.contains("id=\"form-assessment\""));
    let typed = [
        ("instrument", "DIR_2024_1712"),
        ("articles", "99"),
        ("title", "Grozījumi Krimināllikumā"),
        ("reference", "LV 2026/140"),
        ("notified_on", "2026-07-10"),
        ("link", ""),
        ("completes", "yes"),
    ];
    let bad = t.form("/monitoring/transposition/LV/measures", Some(&w.lv), &typed).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("id=\"err-form-measure-articles\""), "{}", bad.body);
    assert!(bad.body.contains("value=\"Grozījumi Krimināllikumā\""), "what was typed is kept: {}", bad.body);
    let mut good = typed;
    good[1] = ("articles", "");
    let saved = t.form("/monitoring/transposition/LV/measures", Some(&w.lv), &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // Another country's page and form are refused.
    assert_eq!(t.page("/monitoring/transposition/EE", Some(&w.lv)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.form("/monitoring/transposition/EE/measures", Some(&w.lv), &good).await.status, StatusCode::FORBIDDEN);
    // The EU level's forms on a country's page.
    let eu_page = t.page("/monitoring/transposition/EE", Some(&w.eu)).await;
    assert!(eu_page.body.contains("id=\"form-assessment\"") && eu_page.body.contains("id=\"form-infringement\""));
    assert!(!eu_page.body.contains("id=\"form-measure\""));
    // The matrix: every status has its word beside its sign, and the timeline its table.
    let matrix = t.page("/monitoring/transposition", Some(&w.eu)).await;
    assert_eq!(matrix.status, StatusCode::OK, "{}", matrix.body);
    assert!(matrix.body.contains("id=\"matrix\"") && matrix.body.contains("id=\"timeline\""), "{}", matrix.body);
    assert!(matrix.body.contains("class=\"visually-hidden\">complete<"), "{}", matrix.body);
    assert!(matrix.body.contains("Notified on time (2026-07-10)"), "{}", matrix.body);
    // The instruments page lists the articles the traceability table cites.
    let instruments = t.page("/monitoring/instruments", Some(&w.statistician)).await;
    assert_eq!(instruments.status, StatusCode::OK, "{}", instruments.body);
    assert!(instruments.body.contains("CETS 197 Art 13(1)") && instruments.body.contains("Dir 2024/1712 Art 18a"));
}
