//! `haven backup` and `haven restore`.

use crate::{Haven, WithCase, assert_case_readable, haven_command, with_case};
use std::path::{Path, PathBuf};

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A fresh data directory holding a copy of `from`'s key file (and nothing else).
fn sibling_with_key(from: &Haven) -> Haven {
    let to = Haven::new();
    std::fs::copy(from.key_file(), to.key_file()).expect("copy the key file");
    to
}

fn take_backup(with: &WithCase) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("haven.backup");
    let run = with.haven.ok(&["backup", arg(&file)]);
    assert!(run.stdout.contains("backup of") && run.stdout.contains("rows written"), "{}", run.stdout);
    assert!(!dir.path().join("haven.partial").exists(), "no partial file is left");
    (dir, file)
}

#[test]
fn backup_then_restore_into_a_new_directory_round_trips_users_cases_and_the_audit_log() {
    let with = with_case();
    let users = with.haven.ok(&["user", "list"]).stdout;
    let orgs = with.haven.ok(&["org", "list"]).stdout;
    let (_dir, file) = take_backup(&with);

    // The key store (the victims' subject keys) has its own backup; a restore takes both.
    let key_store = file.with_extension("keys");
    with.haven.ok(&["keys", "backup-subjects", arg(&key_store)]);
    let restored = sibling_with_key(&with.haven);
    let run = restored.ok(&["restore", arg(&file)]);
    assert!(run.stdout.contains("restored"), "{}", run.stdout);
    restored.ok(&["keys", "restore-subjects", arg(&key_store)]);
    assert_eq!(restored.ok(&["user", "list"]).stdout, users);
    assert_eq!(restored.ok(&["org", "list"]).stdout, orgs);
    restored.ok(&["audit", "verify"]);

    // The same person, the same password.
    let server = restored.serve();
    assert!(!server.banner.contains("password"), "no new administrator on a restored database: {}", server.banner);
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();

    // The key can come from HAVEN_MASTER_KEY too.
    let key = std::fs::read_to_string(with.haven.key_file()).expect("key");
    let by_env = Haven::new().with_env("HAVEN_MASTER_KEY", key.trim());
    by_env.ok(&["restore", arg(&file)]);
    assert_eq!(by_env.ok(&["user", "list"]).stdout, users);
}

#[test]
fn restore_refuses_a_database_that_is_not_empty() {
    let with = with_case();
    let users = with.haven.ok(&["user", "list"]).stdout;
    let (_dir, file) = take_backup(&with);
    with.haven.run(&["restore", arg(&file)]).assert_fails_with(&["empty"]);
    assert_eq!(with.haven.ok(&["user", "list"]).stdout, users, "nothing changed");
    with.haven.ok(&["audit", "verify"]);
}

#[test]
fn a_damaged_backup_or_the_wrong_key_is_refused_and_leaves_the_target_empty() {
    let with = with_case();
    let users = with.haven.ok(&["user", "list"]).stdout;
    let (dir, file) = take_backup(&with);
    let bytes = std::fs::read(&file).expect("backup");
    assert!(bytes.len() > 200, "{}", bytes.len());

    let truncated = dir.path().join("truncated.backup");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let modified = dir.path().join("modified.backup");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    std::fs::write(&modified, &flipped).expect("write");
    let shortened = dir.path().join("shortened.backup");
    std::fs::write(&shortened, &bytes[..bytes.len() - 1]).expect("write");
    let not_a_backup = dir.path().join("not-a-backup");
    std::fs::write(&not_a_backup, b"hello, this is not a backup\n").expect("write");
    let empty = dir.path().join("empty.backup");
    std::fs::write(&empty, b"").expect("write");

    let target = sibling_with_key(&with.haven);
    for (file, what) in [
        (&truncated, "truncated"),
        (&modified, "tampered"),
        (&shortened, "truncated"),
        (&not_a_backup, "backup"),
        (&empty, "backup"),
    ] {
        let run = target.run(&["restore", arg(file)]);
        run.assert_fails_with(&[what]);
    }
    target.run(&["restore", arg(&dir.path().join("missing.backup"))]).assert_fails_with(&["missing.backup"]);

    // Another key: the message says so.
    let stranger = Haven::new();
    stranger.run(&["restore", arg(&file)]).assert_fails_with(&["master key"]);

    // The target was left empty: the intact backup still restores into it.
    target.ok(&["restore", arg(&file)]);
    assert_eq!(target.ok(&["user", "list"]).stdout, users);
}

/// Creates a database on the test PostgreSQL server, drops it when done.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PostgresDatabase {
    pub fn create(admin_url: &str) -> PostgresDatabase {
        let name = format!("haven_cli_{}_{}", std::process::id(), rand::random::<u32>());
        let status = std::process::Command::new("psql")
            .args([admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", &format!("CREATE DATABASE {name}")])
            .status()
            .expect("psql");
        assert!(status.success(), "CREATE DATABASE {name} failed");
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
        PostgresDatabase { admin_url: admin_url.to_owned(), url: format!("{base}/{name}"), name }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let _ = std::process::Command::new("psql")
            .args([&self.admin_url, "-q", "-c", &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)])
            .status();
    }
}

#[test]
fn backup_restores_into_postgresql() {
    let Ok(admin_url) = std::env::var("HAVEN_TEST_POSTGRES_URL") else {
        println!("SKIPPED: HAVEN_TEST_POSTGRES_URL not set");
        return;
    };
    let with = with_case();
    let users = with.haven.ok(&["user", "list"]).stdout;
    let (_dir, file) = take_backup(&with);
    let database = PostgresDatabase::create(&admin_url);
    let key = std::fs::read_to_string(with.haven.key_file()).expect("key");
    let pg = Haven::new().with_env("HAVEN_MASTER_KEY", key.trim());
    let url = database.url.as_str();
    let key_store = file.with_extension("keys");
    with.haven.ok(&["keys", "backup-subjects", arg(&key_store)]);
    pg.ok(&["--database-url", url, "restore", arg(&file)]);
    pg.ok(&["--database-url", url, "keys", "restore-subjects", arg(&key_store)]);
    assert_eq!(pg.ok(&["--database-url", url, "user", "list"]).stdout, users);
    pg.ok(&["--database-url", url, "audit", "verify"]);
    pg.run(&["--database-url", url, "restore", arg(&file)]).assert_fails_with(&["empty"]);

    // The server on PostgreSQL reads the case.
    let mut cmd = haven_command();
    cmd.args(["--data", arg(pg.data()), "--database-url", url, "serve", "--listen", "127.0.0.1:0"]);
    cmd.env("HAVEN_MASTER_KEY", key.trim());
    let server = crate::Server::start(cmd);
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();

    // And back: a backup from PostgreSQL restores into SQLite.
    let pg_backup = pg.data().join("from-postgres.backup");
    pg.ok(&["--database-url", url, "backup", arg(&pg_backup)]);
    let sqlite = sibling_with_key(&with.haven);
    sqlite.ok(&["restore", arg(&pg_backup)]);
    assert_eq!(sqlite.ok(&["user", "list"]).stdout, users);
}
