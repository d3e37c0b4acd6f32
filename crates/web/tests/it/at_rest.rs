//! Encryption at rest and the audit of every read.

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use haven_app::{App, AppError, AppSettings, FixedClock};
use haven_crypto::MasterKey;
use haven_storage::Store;
use serde_json::json;
use std::sync::{Arc, Mutex};

const NAME: &str = "Zygmunta";
const FAMILY: &str = "Quxwellington";
const ALIAS: &str = "Xavierrabbit";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let lower: Vec<u8> = haystack.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    lower.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_distinctive_name_appears_nowhere_at_rest_nor_in_the_logs() {
    // A process-wide subscriber: a thread-local one (`set_default`) loses events when other
    // tests register the same call sites at the same moment. Every test's logs land here too,
    // which only widens the check.
    let captured = captured_logs();

    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let s = t.login("anna", &password).await;
    let reply = t
        .call(
            Method::POST,
            "/api/v1/cases",
            Some(&s),
            Some(json!({"person": {"given_names": NAME, "family_names": FAMILY, "aliases": [ALIAS], "date_of_birth": "1990-02-03", "sex": "female"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let note = t
        .call(
            Method::POST,
            &format!("/api/v1/cases/{id}/notes"),
            Some(&s),
            Some(json!({"compartment": "support", "body": format!("{NAME} told us about the flat")})),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED);
    // Reads, a page, an error: all logged paths exercised.
    let back = t.call(Method::GET, &format!("/api/v1/cases/{id}"), Some(&s), None).await.json();
    assert_eq!(back["person"]["family_names"], FAMILY);
    let page = t.page(&format!("/cases/{id}"), Some(&s)).await;
    assert!(page.body.contains(FAMILY));
    t.call(
        Method::POST,
        "/api/v1/cases",
        Some(&s),
        Some(json!({"person": {"given_names": NAME, "family_names": "", "sex": "female"}})),
    )
    .await;

    // The database files, WAL included, while the database is open.
    let mut files = 0;
    for entry in std::fs::read_dir(t.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for needle in [NAME, FAMILY, ALIAS, "1990-02-03", "told us about the flat"] {
            assert!(!contains(&bytes, needle), "{needle} found in {}", path.display());
        }
        files += 1;
    }
    assert!(files >= 2, "expected the database and its WAL");
    // A backup, before and after its own encryption.
    let mut dump = Vec::new();
    t.app.store().dump(&mut dump).await.unwrap();
    assert!(!contains(&dump, NAME) && !contains(&dump, FAMILY) && !contains(&dump, ALIAS));
    let master = MasterKey::generate();
    let mut encrypted = Vec::new();
    haven_crypto::encrypt_backup(&master, &mut dump.as_slice(), &mut encrypted).unwrap();
    assert!(!contains(&encrypted, NAME));
    // The logs.
    let logs = captured.0.lock().unwrap().clone();
    assert!(!logs.is_empty(), "the test must see the logs to mean anything");
    for needle in [NAME, FAMILY, ALIAS, "1990-02-03", &password] {
        assert!(!contains(&logs, needle), "{needle} found in the logs");
    }
}

/// The process-wide capture of every log line at every level, installed once.
fn captured_logs() -> Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            tracing::subscriber::set_global_default(tracing_subscriber_for(captured.clone()))
                .expect("no other global subscriber in the web tests");
            captured
        })
        .clone()
}

fn tracing_subscriber_for(writer: Captured) -> impl tracing::Subscriber + Send + Sync {
    use tracing_subscriber::layer::SubscriberExt;
    let layer = tracing_subscriber::fmt::layer().with_writer(move || writer.clone()).with_ansi(false);
    tracing_subscriber::registry().with(layer).with(tracing_subscriber::filter::LevelFilter::TRACE)
}

#[tokio::test]
async fn a_wrong_master_key_is_a_clear_error_not_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(crate::common::START));
    let right = MasterKey::generate();
    {
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        App::open(store.clone(), &right, clock.clone(), AppSettings::default()).await.unwrap();
        store.close().await;
    }
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let err =
        App::open(store.clone(), &MasterKey::generate(), clock.clone(), AppSettings::default()).await.err().unwrap();
    assert!(matches!(err, AppError::WrongMasterKey), "{err:?}");
    assert!(err.to_string().contains("master key"));
    assert!(App::open(store, &right, clock, AppSettings::default()).await.is_ok());
}

#[tokio::test]
async fn every_read_of_personal_data_is_audited_and_the_owner_sees_who_read() {
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let police = t.org("Police", "police", "LV").await;
    let worker_pw = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let sup_pw = t.user("boss", &ngo, &["supervisor"]).await;
    let officer_pw = t.user("officer", &police, &["investigator"]).await;
    let worker = t.login("anna", &worker_pw).await;
    let boss = t.login("boss", &sup_pw).await;
    let officer = t.login("officer", &officer_pw).await;
    let id = t
        .call(
            Method::POST,
            "/api/v1/cases",
            Some(&worker),
            Some(json!({"person": {"given_names": "A", "family_names": "B", "sex": "male"}})),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    t.call(
        Method::POST,
        &format!("/api/v1/cases/{id}/shares"),
        Some(&worker),
        Some(json!({"organisation_id": police, "compartments": ["identity"]})),
    )
    .await;
    t.clock.advance(60);
    assert_eq!(t.call(Method::GET, &format!("/api/v1/cases/{id}"), Some(&officer), None).await.status, StatusCode::OK);
    t.call(Method::GET, &format!("/api/v1/cases/{id}/notes?compartment=support"), Some(&worker), None).await;
    // The police tried the counselling notes: denied, and that is recorded too.
    t.call(Method::GET, &format!("/api/v1/cases/{id}/notes?compartment=support"), Some(&officer), None).await;

    let history = t.call(Method::GET, &format!("/api/v1/cases/{id}/access-history"), Some(&boss), None).await;
    assert_eq!(history.status, StatusCode::OK);
    let rows = history.json();
    let rows = rows.as_array().unwrap();
    let officer_id = t.call(Method::GET, "/api/v1/me", Some(&officer), None).await.json()["user_id"].clone();
    assert!(
        rows.iter().any(|r| r["action"] == "case_read"
            && r["user_id"] == officer_id
            && r["organisation_id"] == police.as_str())
    );
    assert!(rows.iter().any(|r| r["action"] == "notes_read"));
    assert!(rows.iter().any(|r| r["action"] == "registration_created"));
    assert!(rows.iter().any(|r| r["action"] == "case_shared"));
    assert!(rows.iter().any(|r| r["outcome"] == "denied" && r["user_id"] == officer_id));
    // Another organisation does not see the history, even one the case was shared with.
    let police_sup_org = t.org("Police 2", "police", "LV").await;
    let _ = police_sup_org;
    assert_eq!(
        t.call(Method::GET, &format!("/api/v1/cases/{id}/access-history"), Some(&officer), None).await.status,
        StatusCode::FORBIDDEN
    );
    // The chain verifies.
    let v = t.app.verify_audit().await.unwrap();
    assert!(v.entries > 5);
}
