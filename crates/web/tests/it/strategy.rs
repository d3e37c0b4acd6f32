//! Strategies and action plans, and GRETA's evaluations, through the pages and the API
//! (docs/monitoring.md): the shipped EU Strategy with its overdue actions and progress per
//! priority, a national plan recorded through the form (a field at fault named), an action's
//! status and evidence, GRETA rounds with the strength of a recommendation read or chosen and the
//! recommendations without follow-up; each role and country as `authorize_monitoring` says, the
//! pages in English and in Latvian.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

fn expect(reply: &Reply, status: StatusCode, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    if reply.body.is_empty() || reply.status.is_redirection() { Value::Null } else { reply.json() }
}

async fn signed_in(t: &TestApp, name: &str, org: &str, role: &str) -> Session {
    let password = t.user(name, org, &[role]).await;
    t.login(name, &password).await
}

struct World {
    t: TestApp,
    lv: Session,
    statistician: Session,
    ee: Session,
    eu: Session,
    caseworker: Session,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let lv_org = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let ee_org = t.org("Justiitsministeerium", "national_rapporteur", "EE").await;
    let eu_org = t.org("EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    World {
        lv: signed_in(&t, "lv.rapporteur", &lv_org, "rapporteur").await,
        statistician: signed_in(&t, "lv.statistician", &lv_org, "statistician").await,
        ee: signed_in(&t, "ee.rapporteur", &ee_org, "rapporteur").await,
        eu: signed_in(&t, "eu.coordinator", &eu_org, "rapporteur").await,
        caseworker: signed_in(&t, "lv.caseworker", &ngo, "caseworker").await,
        t,
    }
}

#[tokio::test]
async fn the_eu_strategy_is_shipped_its_actions_overdue_until_the_eu_level_records_them() {
    let w = world().await;
    let t = &w.t;
    let page = t.page("/monitoring/strategies/eu-2012-2016", Some(&w.lv)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"action-A1.2\"") && page.body.contains("COM(2012) 286"), "{}", page.body);
    assert!(page.body.contains("overdue by"), "the clock is past 2016: {}", page.body);
    assert!(!page.body.contains("form-action"), "the shipped actions are reference data");
    // A country reads the EU Strategy and records nothing in it.
    let action = t.page("/monitoring/strategies/eu-2012-2016/actions/A1.2", Some(&w.lv)).await;
    assert_eq!(action.status, StatusCode::OK);
    assert!(!action.body.contains("form-progress"));
    let refused =
        t.form("/monitoring/strategies/eu-2012-2016/actions/A1.2", Some(&w.lv), &[("status", "completed")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The EU Anti-Trafficking Coordinator records it completed, with a document as evidence.
    let done = t
        .form(
            "/monitoring/strategies/eu-2012-2016/actions/A1.2",
            Some(&w.eu),
            &[
                ("status", "completed"),
                ("note", "Model published."),
                ("evidence_kind", "document"),
                ("evidence_reference", "https://example.org/trm.pdf"),
                ("evidence_label", "Model for a transnational referral mechanism"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let action = t.page("/monitoring/strategies/eu-2012-2016/actions/A1.2", Some(&w.lv)).await;
    assert!(action.body.contains("data-status=\"completed\""), "{}", action.body);
    assert!(action.body.contains("href=\"https://example.org/trm.pdf\"") && !action.body.contains("action-overdue"));
    // A bad reference is named, and nothing is written.
    let bad = t
        .form(
            "/monitoring/strategies/eu-2012-2016/actions/A1.1",
            Some(&w.eu),
            &[
                ("status", "ongoing"),
                ("evidence_kind", "document"),
                ("evidence_reference", "not a link"),
                ("evidence_label", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"err-evidence_reference\""), "{}", bad.body);
    let api = expect(
        &t.call(Method::GET, "/api/v1/monitoring/strategies/eu-2012-2016/actions/A1.1", Some(&w.eu), None).await,
        StatusCode::OK,
        "A1.1",
    );
    assert_eq!(api["line"]["status"], "not_started");
    // The overdue actions: A1.2 no longer among them.
    let overdue = expect(
        &t.call(Method::GET, "/api/v1/monitoring/actions-overdue?country=EU", Some(&w.lv), None).await,
        StatusCode::OK,
        "overdue",
    );
    let numbers: Vec<&str> = overdue.as_array().unwrap().iter().map(|a| a["number"].as_str().unwrap()).collect();
    assert!(numbers.contains(&"A1.1") && !numbers.contains(&"A1.2"), "{numbers:?}");
    // The coordinator's dashboard lists the same overdue actions in its own section.
    let dashboard = t.page("/monitoring", Some(&w.eu)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let section = dashboard.body.split("id=\"actions-overdue\"").nth(1).unwrap_or_default();
    let section = section.split("</section>").next().unwrap_or_default();
    assert!(section.contains("/actions/A1.1\"") && !section.contains("/actions/A1.2\""), "{section}");
    // Who may not: a caseworker; a bad country code is named.
    assert_eq!(t.page("/monitoring/strategies", Some(&w.caseworker)).await.status, StatusCode::FORBIDDEN);
    let bad = t.call(Method::GET, "/api/v1/monitoring/actions-overdue?country=XX1", Some(&w.lv), None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
}

#[tokio::test]
async fn a_national_plan_is_recorded_through_the_form_and_read_by_its_country_only() {
    let w = world().await;
    let t = &w.t;
    let form = [
        ("title", "Rīcības plāns 2024–2027"),
        ("reference", "MK rīkojums Nr. 1"),
        ("starts_on", "2024-01-01"),
        ("ends_on", "2027-12-31"),
        ("priorities", "P1: Novēršana\nP2: Aizsardzība"),
    ];
    let missing: Vec<(&str, &str)> = form.iter().copied().filter(|(k, _)| *k != "priorities").collect();
    let bad = t.form("/monitoring/strategies", Some(&w.lv), &missing).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"err-priorities\""), "{}", bad.body);
    assert_eq!(t.form("/monitoring/strategies", Some(&w.statistician), &form).await.status, StatusCode::FORBIDDEN);
    let made = t.form("/monitoring/strategies", Some(&w.lv), &form).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let href = made.headers.get("location").unwrap().to_str().unwrap().to_owned();
    let action = t
        .form(
            &format!("{href}/actions"),
            Some(&w.lv),
            &[
                ("number", "1.1"),
                ("priority", "P1"),
                ("text", "Apmācība"),
                ("responsible", "VP"),
                ("target_on", "2025-06-30"),
            ],
        )
        .await;
    assert_eq!(action.status, StatusCode::SEE_OTHER, "{}", action.body);
    let plan = t.page(&href, Some(&w.statistician)).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.body.contains("Apmācība") && plan.body.contains("overdue by"), "{}", plan.body);
    assert_eq!(t.page(&href, Some(&w.ee)).await.status, StatusCode::FORBIDDEN, "another country's plan");
    assert_eq!(t.page(&href, Some(&w.eu)).await.status, StatusCode::OK, "the EU level reads all");
    let list =
        expect(&t.call(Method::GET, "/api/v1/monitoring/strategies", Some(&w.ee), None).await, StatusCode::OK, "ee");
    assert_eq!(list["strategies"].as_array().unwrap().len(), 2, "Estonia sees the two shipped EU Strategies only");
    assert!(!list.to_string().contains("Rīcības plāns"), "not Latvia's plan: {list}");
}

#[tokio::test]
async fn art_38_cets_197_greta_rounds_recommendations_and_follow_up_in_english_and_latvian() {
    let w = world().await;
    let t = &w.t;
    let round = expect(
        &t.call(
            Method::POST,
            "/api/v1/monitoring/greta/rounds",
            Some(&w.lv),
            Some(json!({"round": "3", "questionnaire_sent_on": "2019-11-15", "visit_from": "2022-01-17",
                "visit_until": "2022-01-21", "report_published_on": "2023-02-14"})),
        )
        .await,
        StatusCode::CREATED,
        "round",
    );
    let id = round["id"].as_str().unwrap().to_owned();
    let recs = format!("/api/v1/monitoring/greta/rounds/{id}/recommendations");
    let urges = expect(
        &t.call(Method::POST, &recs, Some(&w.lv), Some(json!({"wording": "GRETA urges the authorities to act."})))
            .await,
        StatusCode::CREATED,
        "urges",
    );
    assert_eq!(urges["strength"], "urges");
    let chosen = expect(
        &t.call(
            Method::POST,
            &recs,
            Some(&w.lv),
            Some(json!({"wording": "The authorities should act.", "strength": "invites"})),
        )
        .await,
        StatusCode::CREATED,
        "chosen",
    );
    assert_eq!(chosen["strength"], "invites");
    let none = t.call(Method::POST, &recs, Some(&w.lv), Some(json!({"wording": "The authorities should act."}))).await;
    assert_eq!(
        (none.status, none.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("strength"))
    );
    // The follow-up through the page's form.
    let fu = t
        .form(
            &format!("/monitoring/greta/{id}/follow-ups"),
            Some(&w.lv),
            &[
                ("recommendation", urges["id"].as_str().unwrap()),
                ("on", "2024-03-01"),
                ("text", "Likums grozīts."),
                ("status", "implemented"),
            ],
        )
        .await;
    assert_eq!(fu.status, StatusCode::SEE_OTHER, "{}", fu.body);
    let bad = t
        .form(
            &format!("/monitoring/greta/{id}/follow-ups"),
            Some(&w.lv),
            &[("on", "2024-03-01"), ("text", "x"), ("status", "implemented")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("fu-err-recommendation"), "{}", bad.body);
    let open = expect(
        &t.call(Method::GET, "/api/v1/monitoring/greta/without-follow-up", Some(&w.eu), None).await,
        StatusCode::OK,
        "open",
    );
    let open: Vec<&str> =
        open.as_array().unwrap().iter().map(|o| o["recommendation"]["id"].as_str().unwrap()).collect();
    assert_eq!(open, vec![chosen["id"].as_str().unwrap()]);
    // The coordinator's dashboard names it among the recommendations without follow-up.
    let dashboard = t.page("/monitoring", Some(&w.eu)).await;
    let section = dashboard.body.split("id=\"recommendations-without-follow-up\"").nth(1).unwrap_or_default();
    let section = section.split("</section>").next().unwrap_or_default();
    assert_eq!(section.matches(&format!("href=\"/monitoring/greta/{id}\"")).count(), 1, "{section}");
    // The round page in English, then in Latvian.
    let page = t.page(&format!("/monitoring/greta/{id}"), Some(&w.lv)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Urges") && page.body.contains("(chosen, not read from the wording)"), "{}", page.body);
    assert!(page.body.contains("No follow-up by the authorities yet."));
    let lv = t.form("/account/language", Some(&w.lv), &[("language", "lv")]).await;
    assert!(lv.status.is_redirection() || lv.status.is_success(), "{}", lv.status);
    let page = t.page(&format!("/monitoring/greta/{id}"), Some(&w.lv)).await;
    assert!(page.body.contains("Mudina") && page.body.contains("Iestādes vēl nav ziņojušas"), "{}", page.body);
    let list = t.page("/monitoring/strategies", Some(&w.lv)).await;
    assert!(list.body.contains("ES stratēģija cilvēku tirdzniecības izskaušanai"), "{}", list.body);
    // Another country neither reads nor records Latvia's; the EU level records no round.
    assert_eq!(t.page(&format!("/monitoring/greta/{id}"), Some(&w.ee)).await.status, StatusCode::FORBIDDEN);
    let eu = t.call(Method::POST, "/api/v1/monitoring/greta/rounds", Some(&w.eu), Some(json!({"round": "1"}))).await;
    assert_eq!(eu.status, StatusCode::CONFLICT, "{}", eu.body);
    assert!(eu.body.contains("EU"), "{}", eu.body);
}
