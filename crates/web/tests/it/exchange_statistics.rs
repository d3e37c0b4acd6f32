//! Statistics over the exchange on the pages: the release page offers sending the release to the
//! EU hub and shows how far it got; the EU page says of every submission how it came.

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use serde_json::json;

#[tokio::test]
async fn a_release_is_sent_to_the_eu_hub_from_its_page_and_the_eu_page_says_how_each_submission_came() {
    let t = TestApp::new().await;
    let rap = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let password = t.user("rapporteur", &rap, &["rapporteur"]).await;
    let rapporteur = t.login("rapporteur", &password).await;
    let created = t
        .call(
            Method::POST,
            "/api/v1/statistics/releases",
            Some(&rapporteur),
            Some(json!({"year": 2025, "mode": "suppression", "threshold": 3})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/statistics/releases/{id}");

    let page = t.page(&path, Some(&rapporteur)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("action=\"/statistics/releases/{id}/send-to-hub\"")), "{}", page.body);
    assert!(!page.body.contains("id=\"hub-delivery\""));

    // No EU hub pinned: refused naming the receiver, nothing recorded.
    t.app
        .instance_identity(
            Acting::Operator,
            Some(&IdentitySetup {
                instance_id: "LV".into(),
                role: "national_focal_point".into(),
                endpoint: "https://lv.haven.example/exchange".into(),
            }),
        )
        .await
        .unwrap();
    let refused = t.form(&format!("/statistics/releases/{id}/send-to-hub"), Some(&rapporteur), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("receiver"), "{}", refused.body);
    assert!(!t.page(&path, Some(&rapporteur)).await.body.contains("id=\"hub-delivery\""));

    // The EU page lists each submission with its source: an uploaded file here.
    let uploaded = t.form(&format!("{path}/submit"), Some(&rapporteur), &[]).await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let eu = t.page("/statistics/eu?year=2025", Some(&rapporteur)).await;
    assert_eq!(eu.status, StatusCode::OK);
    assert!(eu.body.contains("id=\"submission-sources\""), "{}", eu.body);
    assert!(eu.body.contains("data-source=\"upload\""), "{}", eu.body);
    assert!(!eu.body.contains("data-source=\"channel\""));
}
