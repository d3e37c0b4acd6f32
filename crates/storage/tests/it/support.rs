//! Fresh stores per test, a test audit signer, fixtures and chain verification.

use haven_crypto::{AuditKey, ChainedEntry, audit_head_mac, audit_mac, verify_audit_chain, verify_audit_head};
use haven_domain::access::Compartment;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::case::Sex;
use haven_domain::{Jurisdiction, Language, OrganisationKind, Role};
use haven_storage::{AuditSigner, CaseRow, NoteRow, OrganisationRow, PersonRow, Store, UserRow};
use sqlx::Connection;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

pub const POSTGRES_URL_VAR: &str = "HAVEN_TEST_POSTGRES_URL";

pub fn skipped() {
    eprintln!("SKIPPED: {POSTGRES_URL_VAR} not set");
}

pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR).ok().filter(|u| !u.trim().is_empty())
}

/// Chains audit entries with a test key, exactly as the application does with the keyring's.
pub struct TestSigner(pub AuditKey);

impl AuditSigner for TestSigner {
    fn entry_mac(&self, seq: i64, prev_mac: &[u8; 32], entry: &[u8]) -> [u8; 32] {
        audit_mac(&self.0, seq, prev_mac, entry)
    }
    fn head_mac(&self, seq: i64, mac: &[u8; 32]) -> [u8; 32] {
        audit_head_mac(&self.0, seq, mac)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A PostgreSQL database created for one test, dropped (best effort) when the test ends,
/// even when it fails.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop runs inside the test's runtime: do the async work on a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// The URL of database `name` on the server of `url`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

async fn create_pg_database(admin_url: &str) -> PgDatabase {
    let name = format!("haven_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(admin_url).await.expect("connect to HAVEN_TEST_POSTGRES_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let _ = conn.close().await;
    PgDatabase { admin_url: admin_url.to_owned(), url: with_database(admin_url, &name), name }
}

/// A fresh, migrated store with an audit signer, on one backend.
pub struct TestStore {
    /// Chains audit entries with `key`.
    pub store: Store,
    /// The same database without an audit signer.
    pub unsigned: Store,
    pub key: AuditKey,
    pub kind: Kind,
    pub dir: Option<TempDir>,
    pub pg: Option<PgDatabase>,
}

pub async fn sqlite_store() -> TestStore {
    sqlite_store_with_key(AuditKey::generate()).await
}

pub async fn sqlite_store_with_key(key: AuditKey) -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let unsigned = Store::open_sqlite(dir.path()).await.expect("open sqlite store");
    let store = unsigned.clone().with_audit_signer(Arc::new(TestSigner(key.clone())));
    TestStore { store, unsigned, key, kind: Kind::Sqlite, dir: Some(dir), pg: None }
}

/// A fresh PostgreSQL store, or None when HAVEN_TEST_POSTGRES_URL is not set.
pub async fn postgres_store() -> Option<TestStore> {
    postgres_store_with_key(AuditKey::generate()).await
}

pub async fn postgres_store_with_key(key: AuditKey) -> Option<TestStore> {
    let admin_url = postgres_url()?;
    let db = create_pg_database(&admin_url).await;
    let unsigned = Store::open_postgres(&db.url).await.expect("open postgres store");
    let store = unsigned.clone().with_audit_signer(Arc::new(TestSigner(key.clone())));
    Some(TestStore { store, unsigned, key, kind: Kind::Postgres, dir: None, pg: Some(db) })
}

impl TestStore {
    /// Another fresh, empty store on the same backend, chaining with the same key.
    pub async fn sibling(&self) -> TestStore {
        match self.kind {
            Kind::Sqlite => sqlite_store_with_key(self.key.clone()).await,
            Kind::Postgres => postgres_store_with_key(self.key.clone()).await.expect("postgres URL"),
        }
    }

    /// Opens the same database a second time (running the migrations again).
    pub async fn reopen(&self) -> haven_storage::Result<Store> {
        match (&self.dir, &self.pg) {
            (Some(dir), _) => Store::open_sqlite(&PathBuf::from(dir.path())).await,
            (None, Some(pg)) => Store::open_postgres(&pg.url).await,
            (None, None) => unreachable!("a test store has a directory or a database"),
        }
    }

    /// Plays the attacker with direct database access: removes the append-only triggers.
    pub async fn drop_audit_triggers(&self) {
        let sql = match self.kind {
            Kind::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
            Kind::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log;",
        };
        self.store.execute_unchecked(sql).await.expect("drop audit triggers");
    }

    /// Verifies the stored chain (in `ORDER BY seq` order, or in physical order) against the
    /// head row, whose own MAC is checked first. Returns the number of verified entries.
    pub async fn verify(&self, physical: bool) -> Result<u64, String> {
        let rows = if physical {
            self.store.audit_entries_physical().await.expect("audit entries")
        } else {
            self.store.audit_entries(0, i64::MAX).await.expect("audit entries")
        };
        let head = self.store.audit_head().await.expect("audit head");
        if let Some(h) = &head
            && !verify_audit_head(&self.key, h.seq, &h.mac, &h.head_mac)
        {
            return Err("the head row's MAC does not verify".into());
        }
        let bytes: Vec<Vec<u8>> = rows.iter().map(|r| r.event.canonical_bytes(r.seq)).collect();
        let entries = rows.iter().zip(&bytes).map(|(r, b)| ChainedEntry { seq: r.seq, entry: b, mac: &r.mac });
        verify_audit_chain(&self.key, entries, head.map(|h| (h.seq, h.mac))).map_err(|e| format!("{e:?}"))
    }

    /// Both orders must verify, with exactly `n` entries.
    pub async fn assert_chain(&self, n: u64) {
        assert_eq!(self.verify(false).await, Ok(n), "chain in seq order");
        assert_eq!(self.verify(true).await, Ok(n), "chain in physical order");
    }

    pub async fn head_seq(&self) -> i64 {
        self.store.audit_head().await.expect("audit head").map_or(0, |h| h.seq)
    }

    /// The whole database as a dump.
    pub async fn dump(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.store.dump(&mut out).await.expect("dump");
        out
    }
}

// ------------------------------------------------------------------------------- fixtures

pub const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

pub fn event(action: AuditAction) -> AuditEvent {
    AuditEvent::new(T0, action, AuditOutcome::Success)
}

pub fn jurisdiction(code: &str) -> Jurisdiction {
    Jurisdiction::parse("jurisdiction", code).expect("jurisdiction")
}

pub fn organisation(id: &str, name: &str, kind: OrganisationKind, country: &str) -> OrganisationRow {
    OrganisationRow { id: id.into(), name: name.into(), kind, jurisdiction: jurisdiction(country), created_at: T0 }
}

pub fn user(id: &str, username: &str, organisation_id: &str, roles: &[Role]) -> UserRow {
    UserRow {
        id: id.into(),
        username: username.into(),
        display_name: format!("Display {username}"),
        organisation_id: organisation_id.into(),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$salt${username}"),
        disabled: false,
        language: Language::English,
        totp_secret: None,
        totp_last_step: None,
        created_at: T0,
        roles: roles.to_vec(),
    }
}

pub fn case(id: &str, reference: &str, owner: &str, created_by: &str, country: &str, at: i64) -> CaseRow {
    CaseRow {
        id: id.into(),
        reference: reference.into(),
        owner_organisation_id: owner.into(),
        jurisdiction: jurisdiction(country),
        created_by: created_by.into(),
        created_at: at,
        shares: Vec::new(),
    }
}

pub fn person(case_id: &str, tag: u8) -> PersonRow {
    PersonRow {
        case_id: case_id.into(),
        given_names: vec![tag, 1, 2, 3, 0, 255],
        family_names: vec![tag, 4, 5, 6],
        aliases: vec![],
        date_of_birth: if tag.is_multiple_of(2) { Some(vec![tag, 9, 9]) } else { None },
        sex: Sex::Female,
        name_index: vec![tag; 32],
    }
}

pub fn note(id: &str, case_id: &str, compartment: Compartment, author: &str, org: &str, at: i64) -> NoteRow {
    NoteRow {
        id: id.into(),
        case_id: case_id.into(),
        compartment,
        body: format!("ciphertext of {id}").into_bytes(),
        author_id: author.into(),
        author_organisation_id: org.into(),
        created_at: at,
    }
}

/// Three organisations in two countries and one user in each.
pub struct World {
    pub police: OrganisationRow,
    pub ngo: OrganisationRow,
    pub shelter: OrganisationRow,
    pub officer: UserRow,
    pub caseworker: UserRow,
    pub counsellor: UserRow,
}

pub async fn seed(t: &TestStore) -> World {
    let police = organisation("org-lv-police", "State Police", OrganisationKind::Police, "LV");
    let ngo = organisation("org-lv-ngo", "Shelter Safe House", OrganisationKind::Ngo, "LV");
    let shelter = organisation("org-ee-shelter", "Tallinn Shelter", OrganisationKind::Shelter, "EE");
    for org in [&police, &ngo, &shelter] {
        t.store
            .create_organisation(
                org,
                &event(AuditAction::OrganisationCreated).on("organisation", &org.id, Some(&org.id)),
            )
            .await
            .expect("create organisation");
    }
    let officer = user("usr-officer", "officer", &police.id, &[Role::Investigator, Role::FirstResponder]);
    let caseworker = user("usr-caseworker", "caseworker", &ngo.id, &[Role::Caseworker]);
    let counsellor = user("usr-counsellor", "counsellor", &shelter.id, &[Role::Supervisor, Role::Caseworker]);
    for u in [&officer, &caseworker, &counsellor] {
        t.store
            .create_user(u, &event(AuditAction::UserCreated).on("user", &u.id, Some(&u.organisation_id)))
            .await
            .expect("create user");
    }
    World { police, ngo, shelter, officer, caseworker, counsellor }
}

/// Asserts a storage result is a conflict.
#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(r: haven_storage::Result<T>) {
    match r {
        Err(haven_storage::StorageError::Conflict(_)) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(r: haven_storage::Result<T>) {
    match r {
        Err(haven_storage::StorageError::NotFound) => {}
        other => panic!("expected not found, got {other:?}"),
    }
}
