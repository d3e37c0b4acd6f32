//! Retention and the record of processing through the pages and the API (docs/data-protection.md):
//! the daily job lists a Latvian notification whose period has run out; the data protection
//! officer sees it (nobody else may), holds it with a reason (an empty reason refused naming the
//! field), the job leaves it while held and erases it once the hold is released and the grace
//! period is over; the record of processing is generated, completed (an unknown field named) and
//! exported as Markdown and JSON.

use crate::common::{Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_domain::Jurisdiction;
use haven_storage::NotificationRow;
use serde_json::json;

struct World {
    t: TestApp,
    dpo: Session,
    dpo_password: String,
    ee_dpo: Session,
    caseworker: Session,
    admin: Session,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let ee = t.org("Turvakodu", "ngo", "EE").await;
    let dpo_password = t.user("lv.dpo", &ngo, &["auditor"]).await;
    let dpo = t.login("lv.dpo", &dpo_password).await;
    let password = t.user("ee.dpo", &ee, &["auditor"]).await;
    let ee_dpo = t.login("ee.dpo", &password).await;
    let password = t.user("lv.caseworker", &ngo, &["caseworker"]).await;
    let caseworker = t.login("lv.caseworker", &password).await;
    let admin = t.admin("lv.admin", &ngo).await;
    let user = t.app.store().user_by_username("lv.caseworker").await.unwrap();
    let notification = NotificationRow {
        id: "n-1".into(),
        jurisdiction: "LV".into(),
        organisation_id: ngo.clone(),
        organisation_kind: "ngo".into(),
        notified_on: "2020-01-15".into(),
        sex: "female".into(),
        age_group: "adult".into(),
        citizenship: "LV".into(),
        forms: "[]".into(),
        created_by: user.id,
        created_at: crate::common::START - 6 * 365 * 86_400,
    };
    let e = haven_domain::audit::AuditEvent::new(
        crate::common::START,
        haven_domain::audit::AuditAction::NotificationFiled,
        haven_domain::audit::AuditOutcome::Success,
    );
    t.app.store().add_notification(&notification, &e).await.unwrap();
    World { t, dpo, dpo_password, ee_dpo, caseworker, admin }
}

fn lv() -> Jurisdiction {
    Jurisdiction::parse("j", "LV").unwrap()
}

#[tokio::test]
async fn art_17_reg_2016_679_the_officer_holds_a_record_and_the_job_erases_it_only_once_released() {
    let w = world().await;
    let t = &w.t;
    let run = t.app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!((run.listed, run.erased), (1, 0), "listed, in the grace period: {run:?}");
    // The officer sees it; nobody else does.
    let page = t.page("/retention", Some(&w.dpo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("n-1") && page.body.contains("Anonymous notification"), "{}", page.body);
    // The version of the profile in force today, with the day it applies from.
    assert!(page.body.contains("in force from 2026-01-01"), "{}", page.body);
    for other in [&w.caseworker, &w.admin] {
        assert_eq!(t.page("/retention", Some(other)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.call(Method::GET, "/api/v1/retention", Some(other), None).await.status, StatusCode::FORBIDDEN);
    }
    let api = t.call(Method::GET, "/api/v1/retention", Some(&w.ee_dpo), None).await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(!api.body.contains("n-1"), "Estonia's officer sees Latvia's records not: {}", api.body);
    // A hold without a reason is refused naming the field; with one, placed.
    let refused =
        t.form("/retention/holds", Some(&w.dpo), &[("record", "anonymous_notification/n-1"), ("reason", " ")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("aria-invalid=\"true\""), "{}", refused.body);
    let held = t
        .form(
            "/retention/holds",
            Some(&w.dpo),
            &[("record", "anonymous_notification/n-1"), ("reason", "Court case 2026")],
        )
        .await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
    // Past the grace period, the hold stands: nothing is erased.
    t.clock.advance(40 * 86_400);
    let run = t.app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!((run.erased, run.held), (0, 1), "{run:?}");
    assert_eq!(t.app.store().retention_sources("LV").await.unwrap().len(), 1);
    // Released with a reason through the API (the officer logs in again: the session of 40 days
    // ago has expired); the next run erases it.
    let dpo = t.login("lv.dpo", &w.dpo_password).await;
    let view = t.call(Method::GET, "/api/v1/retention", Some(&dpo), None).await.json();
    let hold_id = view["holds"][0]["id"].as_str().unwrap().to_owned();
    let bad = t
        .call(
            Method::POST,
            "/api/v1/retention/holds/release",
            Some(&dpo),
            Some(json!({"hold_id": hold_id, "reason": ""})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["field"], "reason");
    let released = t
        .call(
            Method::POST,
            "/api/v1/retention/holds/release",
            Some(&dpo),
            Some(json!({"hold_id": hold_id, "reason": "Settled"})),
        )
        .await;
    assert_eq!(released.status, StatusCode::NO_CONTENT, "{}", released.body);
    let run = t.app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!(run.erased, 1, "{run:?}");
    assert!(t.app.store().retention_sources("LV").await.unwrap().is_empty());
    let view = t.call(Method::GET, "/api/v1/retention", Some(&dpo), None).await.json();
    assert_eq!(view["items"][0]["state"], "erased");
}

#[tokio::test]
async fn art_30_reg_2016_679_the_record_of_processing_is_generated_completed_and_exported() {
    let w = world().await;
    let t = &w.t;
    let page = t.page("/processing-record", Some(&w.dpo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Record of processing activities") && page.body.contains("Reg 2016/679 Art 5(1)(e)"));
    assert_eq!(t.page("/processing-record", Some(&w.caseworker)).await.status, StatusCode::FORBIDDEN);
    let bad = t
        .call(Method::POST, "/api/v1/processing-record", Some(&w.dpo), Some(json!({"field": "bogus", "text": "x"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["field"], "field");
    let done = t
        .form("/processing-record", Some(&w.dpo), &[("field", "controller"), ("text", "Biedrība Patvērums, Rīga")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let json = t.call(Method::GET, "/api/v1/processing-record", Some(&w.dpo), None).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.json()["completions"]["controller"], "Biedrība Patvērums, Rīga");
    let md = t.call(Method::GET, "/api/v1/processing-record?format=markdown", Some(&w.dpo), None).await;
    assert_eq!(md.status, StatusCode::OK);
    assert!(md.headers["content-type"].to_str().unwrap().starts_with("text/markdown"));
    assert!(md.body.contains("| Controller's name and contact details | Biedrība Patvērums, Rīga |"), "{}", md.body);
    let export = t.page("/processing-record/export", Some(&w.dpo)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.starts_with("# Record of processing and impact assessment"));
    let wrong = t.call(Method::GET, "/api/v1/processing-record?format=pdf", Some(&w.dpo), None).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
}
