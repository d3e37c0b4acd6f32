//! The world the use-case tests share: an App on a fresh database (SQLite in a temporary
//! folder, or PostgreSQL when HAVEN_TEST_POSTGRES_URL is set), organisations, signed-in users
//! of a role, registrations built from a few facts, and a look into the audit log.

#![allow(dead_code, reason = "each test module uses a part of the shared world")]

use std::sync::Arc;

use haven_app::admin::{Acting, NewUser};
use haven_app::{App, AppSettings, FixedClock, LoginRequest, Principal};
use haven_crypto::MasterKey;
use haven_domain::ident::record::Registration;
use haven_storage::Store;
use serde_json::json;

/// The test clock's time (unix seconds): 2026-05-28.
pub const NOW: i64 = 1_780_000_000;

/// The database under an App, removed when dropped.
pub struct Database {
    _dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
}

/// A PostgreSQL database of one test, dropped at its end (best effort).
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = std::process::Command::new("psql")
            .arg(&self.admin_url)
            .arg("-qc")
            .arg(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
            .output();
    }
}

/// An App on a fresh SQLite database, its clock at [`NOW`].
pub async fn sqlite_app() -> (App, Database) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (open(store).await, Database { _dir: Some(dir), _pg: None })
}

/// An App on a fresh PostgreSQL database, if HAVEN_TEST_POSTGRES_URL is set.
pub async fn postgres_app() -> Option<(App, Database)> {
    let url = std::env::var("HAVEN_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty())?;
    let name = format!("haven_app_{}", uuid::Uuid::new_v4().simple());
    let out = std::process::Command::new("psql").arg(&url).arg("-qc").arg(format!("CREATE DATABASE {name}")).output();
    assert!(out.is_ok_and(|o| o.status.success()), "cannot create a PostgreSQL database for the test");
    let (base, _) = url.rsplit_once('/').unwrap();
    let pg = PgDatabase { admin_url: url.clone(), name: name.clone() };
    let store = Store::open_postgres(&format!("{base}/{name}")).await.unwrap();
    Some((open(store).await, Database { _dir: None, _pg: Some(pg) }))
}

/// An App on `store` with a new master key, its clock at [`NOW`].
pub async fn open(store: Store) -> App {
    let clock = Arc::new(FixedClock::new(NOW));
    App::open(store, &MasterKey::generate(), clock, AppSettings::default()).await.unwrap()
}

/// A new organisation (as the operator); gives its id.
pub async fn organisation(app: &App, name: &str, kind: &str, jurisdiction: &str) -> String {
    app.create_organisation(Acting::Operator, name, kind, jurisdiction).await.unwrap().id
}

/// A new user of one role in `org`, signed in.
pub async fn user(app: &App, name: &str, org: &str, role: &str) -> Principal {
    let new = NewUser {
        username: name.into(),
        display_name: name.into(),
        organisation_id: org.into(),
        roles: vec![role.into()],
        password: Some("a long enough password".into()),
        language: None,
    };
    app.create_user(Acting::Operator, &new).await.unwrap();
    let req =
        LoginRequest { username: name, password: "a long enough password", totp: None, address: None, device: None };
    app.login(req).await.unwrap().principal
}

/// A registration of a woman of Ukraine with names, perhaps a date of birth and a passport.
pub fn registration(given: &str, family: &str, dob: Option<&str>, document: Option<&str>) -> Registration {
    let mut person = json!({"given_names": given, "family_names": family, "sex": "female", "citizenships": ["UA"]});
    if let Some(d) = dob {
        person["date_of_birth"] = json!(d);
    }
    if let Some(n) = document {
        person["documents"] = json!([{"kind": "passport", "number": n, "issuing_country": "UA"}]);
    }
    serde_json::from_value(json!({ "person": person })).unwrap()
}

/// A registration with names and perhaps a date of birth, nothing else (as a first contact
/// often records).
pub fn bare_registration(given: &str, family: &str, dob: Option<&str>) -> Registration {
    let mut person = json!({"given_names": given, "family_names": family});
    if let Some(d) = dob {
        person["date_of_birth"] = json!(d);
    }
    serde_json::from_value(json!({ "person": person })).unwrap()
}

/// Registers and refers a registration through caseworker `by`; gives the case id.
pub async fn refer(app: &App, by: &Principal, reg: Registration) -> String {
    let saved = app.create_registration(by, reg).await.unwrap();
    app.submit_registration(by, &saved.id, saved.version).await.unwrap();
    saved.id
}

/// Audit entries of `action` whose detail contains `needle`.
pub async fn audit_detail_count(app: &App, action: &str, needle: &str) -> i64 {
    app.store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND detail LIKE '%{needle}%'"
        ))
        .await
        .unwrap()
}
