//! Networks and platforms, and prevention, through the pages and the API (docs/monitoring.md):
//! a network recorded through the API, its contacts shown only to its own rapporteur, a meeting's
//! overdue action arising on the coordinator's dashboard, a campaign's languages refused naming
//! the field; the pages in English and in Latvian; who may not is refused (403).

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

#[tokio::test]
async fn a_network_its_meeting_and_contacts_through_the_api_and_the_pages() {
    let t = TestApp::new().await;
    let lv_org = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let eu_org = t.org("EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let lv = signed_in(&t, "lv.rapporteur", &lv_org, "rapporteur").await;
    let eu = signed_in(&t, "eu.coordinator", &eu_org, "rapporteur").await;
    let caseworker = signed_in(&t, "lv.caseworker", &ngo, "caseworker").await;

    let body = json!({"kind": "rapporteurs_network", "name": "EU Network of National Rapporteurs",
        "members": "LV: Ministry of the Interior\nEE: Ministry of Justice"});
    let network = expect(
        &t.call(Method::POST, "/api/v1/monitoring/networks", Some(&eu), Some(body.clone())).await,
        StatusCode::CREATED,
        "the EU network",
    );
    let id = network["id"].as_str().unwrap().to_owned();
    // A country records no EU network: 422 naming the field; a caseworker is refused.
    let refused = t.call(Method::POST, "/api/v1/monitoring/networks", Some(&lv), Some(body.clone())).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("kind"), "{}", refused.body);
    let denied = t.call(Method::POST, "/api/v1/monitoring/networks", Some(&caseworker), Some(body)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let contact = json!({"name": "Anna Ozola", "email": "anna@example.org", "organisation": "Secretariat",
        "purpose": "Invitations", "retain_until": "2027-01-31"});
    let path = format!("/api/v1/monitoring/networks/{id}/contacts");
    expect(&t.call(Method::POST, &path, Some(&eu), Some(contact.clone())).await, StatusCode::CREATED, "a contact");
    assert_eq!(t.call(Method::POST, &path, Some(&lv), Some(contact)).await.status, StatusCode::FORBIDDEN);
    let meeting = expect(
        &t.call(
            Method::POST,
            &format!("/api/v1/monitoring/networks/{id}/meetings"),
            Some(&eu),
            Some(json!({"held_on": "2020-01-10", "title": "Regular meeting", "place": "Brussels",
                "agenda": "Opening\nReports", "minutes": "The members reported."})),
        )
        .await,
        StatusCode::CREATED,
        "a meeting",
    );
    let meeting = meeting["id"].as_str().unwrap().to_owned();
    expect(
        &t.call(
            Method::POST,
            &format!("/api/v1/monitoring/meetings/{meeting}/actions"),
            Some(&eu),
            Some(json!({"text": "Circulate the minutes", "owner": "Secretariat", "due_on": "2020-01-20"})),
        )
        .await,
        StatusCode::OK,
        "an action arising",
    );

    // The EU coordinator's network page shows the contact; Latvia's rapporteur reads the network
    // without its contacts.
    let page = t.page(&format!("/monitoring/networks/{id}"), Some(&eu)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("anna@example.org") && page.body.contains("id=\"form-contact\""));
    let page = t.page(&format!("/monitoring/networks/{id}"), Some(&lv)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("anna@example.org") && !page.body.contains("id=\"form-contact\""));
    assert_eq!(t.page(&format!("/monitoring/networks/{id}"), Some(&caseworker)).await.status, StatusCode::FORBIDDEN);
    // The meeting's action is overdue on the coordinator's dashboard.
    let dashboard = t.page("/monitoring", Some(&eu)).await;
    assert!(dashboard.body.contains("id=\"arising-overdue\"") && dashboard.body.contains("Circulate the minutes"));
    let meeting_page = t.page(&format!("/monitoring/meetings/{meeting}"), Some(&eu)).await;
    assert!(meeting_page.body.contains("Circulate the minutes") && meeting_page.body.contains("form-arising-status"));
}

#[tokio::test]
async fn a_campaign_is_recorded_and_a_language_that_is_no_iso_639_1_code_is_named() {
    let t = TestApp::new().await;
    let lv_org = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let lv = signed_in(&t, "lv.rapporteur", &lv_org, "rapporteur").await;
    let campaign = json!({"kind": "campaign", "title": "Zini savas tiesības", "by": "Iekšlietu ministrija",
        "starts_on": "2025-03-01", "summary": "Brīdinājumi", "target_groups": "young_people",
        "channels": "schools", "languages": "lv, ru"});
    expect(
        &t.call(Method::POST, "/api/v1/monitoring/prevention", Some(&lv), Some(campaign.clone())).await,
        StatusCode::CREATED,
        "a campaign",
    );
    let mut bad = campaign;
    bad["languages"] = json!("lv, xx");
    let refused = t.call(Method::POST, "/api/v1/monitoring/prevention", Some(&lv), Some(bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("languages"), "{}", refused.body);
    let page = t.page("/monitoring/prevention?kind=campaign", Some(&lv)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zini savas tiesības") && page.body.contains("id=\"form-prevention\""));
    // The form refuses a language naming the field, keeping what was typed.
    let reply = t
        .form(
            "/monitoring/prevention",
            Some(&lv),
            &[
                ("kind", "campaign"),
                ("title", "Kampaņa"),
                ("by", "Ministrija"),
                ("starts_on", "2025-01-01"),
                ("summary", "Par"),
                ("target_groups", "children"),
                ("channels", "radio"),
                ("languages", "zz"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("aria-invalid=\"true\" aria-describedby=\"err-languages\""), "{}", reply.body);
}
