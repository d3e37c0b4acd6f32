//! Migrations and database configuration.

use crate::support::{Kind, TestStore, event, organisation, sqlite_store};
use haven_domain::OrganisationKind;
use haven_domain::audit::AuditAction;
use haven_storage::TABLES;
use sqlx::Connection;

contract_tests!(migrations_run_and_are_idempotent, every_backup_table_exists_and_starts_empty);

async fn migrations_run_and_are_idempotent(t: TestStore) {
    t.store.ping().await.unwrap();
    let org = organisation("org-1", "Labour Inspectorate", OrganisationKind::LabourInspectorate, "LV");
    t.store.create_organisation(&org, &event(AuditAction::OrganisationCreated)).await.unwrap();
    // Opening again migrates again: nothing to do, nothing lost.
    let again = t.reopen().await.unwrap();
    assert_eq!(again.organisation("org-1").await.unwrap(), org);
    let third = t.reopen().await.unwrap();
    assert_eq!(third.organisations().await.unwrap(), vec![org]);
    assert_eq!(third.backend_name(), if t.kind == Kind::Sqlite { "sqlite" } else { "postgres" });
    again.close().await;
    third.close().await;
}

async fn every_backup_table_exists_and_starts_empty(t: TestStore) {
    for table in TABLES {
        // Deleting nothing touches no row (the audit triggers fire per row) but fails if the
        // table is missing.
        let sql = format!("DELETE FROM {table} WHERE 1 = 0");
        assert_eq!(t.store.execute_unchecked(&sql).await.unwrap(), 0, "{table}");
    }
    assert_eq!(t.store.count_users().await.unwrap(), 0);
    assert_eq!(t.store.count_cases().await.unwrap(), 0);
    assert!(t.store.audit_head().await.unwrap().is_none());
    assert!(t.store.audit_entries(0, 100).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_pragmas_are_set_on_every_connection() {
    let t = sqlite_store().await;
    // Several at once so that more than one pooled connection answers.
    let mut handles = Vec::new();
    for _ in 0..8 {
        let store = t.store.clone();
        handles.push(tokio::spawn(async move {
            (
                store.pragma("journal_mode").await.unwrap(),
                store.pragma("synchronous").await.unwrap(),
                store.pragma("foreign_keys").await.unwrap(),
                store.pragma("busy_timeout").await.unwrap(),
            )
        }));
    }
    for h in handles {
        let (journal, synchronous, foreign_keys, busy_timeout) = h.await.unwrap();
        assert_eq!(journal.to_lowercase(), "wal");
        assert_eq!(synchronous, "2", "synchronous=FULL");
        assert_eq!(foreign_keys, "1");
        assert!(busy_timeout.parse::<i64>().unwrap() > 0, "busy_timeout {busy_timeout}");
    }
    assert!(t.store.pragma("journal_mode; DROP TABLE users").await.is_err());
}

#[tokio::test]
async fn postgres_has_no_pragmas() {
    let Some(t) = crate::support::postgres_store().await else {
        crate::support::skipped();
        return;
    };
    assert!(t.store.pragma("journal_mode").await.is_err());
    let autovacuum = t.store.postgres_setting("autovacuum").await.unwrap();
    assert!(autovacuum == "on" || autovacuum == "off", "autovacuum {autovacuum}");
    assert!(t.store.postgres_setting("no_such_setting").await.is_err());
}

#[tokio::test]
async fn sqlite_has_no_server_settings() {
    let t = sqlite_store().await;
    assert!(t.store.postgres_setting("autovacuum").await.is_err());
}

#[tokio::test]
async fn every_sqlite_table_is_strict() {
    let t = sqlite_store().await;
    let path = t.dir.as_ref().unwrap().path().join("haven.db");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display())).await.unwrap();
    let tables: Vec<(String, i64)> = sqlx::query_as(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected: Vec<&str> = TABLES.to_vec();
    // The key store (crypto-shredding) is in the schema and never in the backup.
    expected.extend_from_slice(haven_storage::KEY_STORE_TABLES);
    names.sort();
    expected.sort();
    assert_eq!(names, expected, "the schema's tables are the backup's tables");
    for (name, strict) in &tables {
        assert_eq!(*strict, 1, "table {name} is not STRICT");
    }
    // And STRICT really bites: a text in an INTEGER column is refused.
    let err = t
        .store
        .execute_unchecked(
            "INSERT INTO data_keys (id, purpose, wrapped, created_at) VALUES (1, 'field', x'00', 'yesterday')",
        )
        .await;
    assert!(err.is_err(), "STRICT table accepted a text in an INTEGER column");
    conn.close().await.unwrap();
}

/// Migration 0005: a database whose cases were decided under the built-in two-decision procedure
/// keeps their history and meaning: the cases are pinned to that procedure, their statuses and
/// decisions move to the procedure-neutral codes, assistance runs from the referral, and the
/// decisions stay immutable.
#[tokio::test]
async fn cases_decided_before_procedures_were_data_keep_their_history_through_the_migration() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let dir = tempfile::tempdir().unwrap();
    let options =
        SqliteConnectOptions::new().filename(dir.path().join("haven.db")).create_if_missing(true).foreign_keys(false);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let all = sqlx::migrate!("./migrations/sqlite");
    let mut before = sqlx::migrate!("./migrations/sqlite");
    before.migrations = std::borrow::Cow::Owned(all.migrations.iter().filter(|m| m.version < 5).cloned().collect());
    before.run(&pool).await.unwrap();
    for sql in [
        "INSERT INTO registrations (case_id, state, version, record, referred_on, sex, age_group, child_status, \
         citizenships, forms, nrm_status, rg_decided_on, updated_at, updated_by) VALUES ('case-1', 'submitted', 2, \
         x'00', '2024-03-01', 'female', 'Y18T24', 'adult', 'UA', 'sexual', 'rg_negative', '2024-03-05', 1, 'u')",
        "INSERT INTO registrations (case_id, state, version, record, sex, age_group, child_status, citizenships, \
         forms, updated_at, updated_by) VALUES ('case-2', 'draft', 1, x'00', 'male', 'UNK', 'unknown', '', '', 1, 'u')",
        "INSERT INTO decisions (case_id, seq, kind, decided_on, decided_by, organisation_id, recorded_at) \
         VALUES ('case-1', 1, 'reasonable_grounds_negative', '2024-03-05', 'u', 'o', 1)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let store = haven_storage::Store::open_sqlite(dir.path()).await.unwrap();
    let reg = store.registration("case-1").await.unwrap().unwrap();
    assert_eq!(reg.procedure_id.as_deref(), Some("legacy_two_stage"));
    assert_eq!(reg.nrm_status.as_deref(), Some("first_decision_negative"));
    assert_eq!(reg.rg_decided_on.as_deref(), Some("2024-03-05"), "the decision's date is kept");
    assert_eq!(reg.assistance_since.as_deref(), Some("2024-03-01"), "assistance from the referral");
    let draft = store.registration("case-2").await.unwrap().unwrap();
    assert_eq!((draft.procedure_id, draft.assistance_since), (None, None), "a draft pins nothing yet");
    let decisions = store.decisions("case-1").await.unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].kind, "first_decision_negative");
    assert_eq!(decisions[0].votes, None);
    let r = store.execute_unchecked("UPDATE decisions SET kind = 'withdrawal'").await;
    assert!(r.is_err(), "decisions are still immutable after the migration: {r:?}");
}

/// The data folder is its owner's only (0700), and so are the database, its write-ahead log and
/// its shared-memory file (0600), whether new or from an earlier release with looser modes.
#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let key = haven_crypto::AuditKey::generate();
    let signed =
        |s: haven_storage::Store| s.with_audit_signer(std::sync::Arc::new(crate::support::TestSigner(key.clone())));
    let store = signed(haven_storage::Store::open_sqlite(&data).await.unwrap());
    let org = crate::support::organisation(
        "org-1",
        "Labour Inspectorate",
        haven_domain::OrganisationKind::LabourInspectorate,
        "LV",
    );
    store
        .create_organisation(&org, &crate::support::event(haven_domain::audit::AuditAction::OrganisationCreated))
        .await
        .unwrap();
    assert_eq!(mode(&data), 0o700);
    for name in ["haven.db", "haven.db-wal", "haven.db-shm"] {
        assert_eq!(mode(&data.join(name)), 0o600, "{name}");
    }
    store.close().await;
    // An older database opened with looser modes is tightened.
    std::fs::set_permissions(data.join("haven.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let again = haven_storage::Store::open_sqlite(&data).await.unwrap();
    assert_eq!(again.organisation("org-1").await.unwrap(), org);
    assert_eq!(mode(&data.join("haven.db")), 0o600);
}
