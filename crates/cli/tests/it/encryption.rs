//! Encryption at rest, a wrong master key, and `haven keys rotate`.

use crate::{FAMILY, GIVEN, Haven, assert_case_readable, contains_bytes, register_case, with_case};
use haven_crypto::{FieldContext, KeyPurpose, Keyring, MasterKey, WrappedKey};
use haven_storage::{ENCRYPTED_COLUMNS, Store};

fn assert_absent(what: &str, bytes: &[u8]) {
    for needle in [GIVEN, FAMILY] {
        assert!(!contains_bytes(bytes, needle), "{needle} appears in {what}");
    }
}

fn assert_data_dir_clean(haven: &Haven) {
    let files = haven.files();
    let names: Vec<String> =
        files.iter().map(|(p, _)| p.file_name().unwrap_or_default().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n == "haven.db"), "{names:?}");
    for (path, bytes) in &files {
        assert_absent(&path.display().to_string(), bytes);
    }
}

#[test]
fn a_registered_name_is_nowhere_in_the_files_the_backup_or_the_logs() {
    let haven = Haven::new();
    haven.org("Test Victim Support", "ngo", "LV");
    let password = haven.user("responder", "Test Victim Support", "first_responder");
    let server = haven.serve();
    let session = server.login("responder", &password);
    let case_id = register_case(&server, &session);
    assert_case_readable(&server, &session, &case_id);

    // While the server runs, the write-ahead log holds the newest pages.
    let files = haven.files();
    assert!(files.iter().any(|(p, b)| p.ends_with("haven.db-wal") && !b.is_empty()), "the WAL is in use");
    assert_data_dir_clean(&haven);

    // A backup taken while the server runs.
    let backup = haven.dir.path().join("running.backup");
    let run = haven.ok(&["backup", backup.to_str().expect("utf-8 path")]);
    assert!(run.stdout.contains("backup of"), "{}", run.stdout);
    assert_absent("the backup", &std::fs::read(&backup).expect("backup written"));
    assert_absent("the backup command's output", format!("{}{}", run.stdout, run.stderr).as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).expect("backup").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the backup is private: {:o}", mode & 0o777);
    }

    let (out, err) = server.stop();
    assert_absent("the server's stdout", out.as_bytes());
    assert_absent("the server's logs", err.as_bytes());
    assert!(err.contains("POST") || err.contains("serving"), "the logs say something: {err}");
    // After the checkpoint at close, in the main database file too.
    assert_data_dir_clean(&haven);
}

#[test]
fn a_wrong_master_key_is_a_clear_error_for_every_command() {
    let with = with_case();
    let haven = &with.haven;
    let other = MasterKey::generate().encode();
    let backup = haven.data().join("wrong.backup");
    let backup_arg = backup.to_str().expect("utf-8 path");
    let commands: &[&[&str]] = &[
        &["user", "list"],
        &["org", "list"],
        &["audit", "verify"],
        &["keys", "rotate"],
        &["backup", backup_arg],
        &["serve", "--listen", "127.0.0.1:0"],
    ];
    let key_before = std::fs::read(haven.key_file()).expect("key file");
    for args in commands {
        let run = haven.run_with(args, &[("HAVEN_MASTER_KEY", &other)]);
        run.assert_fails_with(&["master key"]);
        assert_absent("the error", format!("{}{}", run.stdout, run.stderr).as_bytes());
    }
    assert!(!backup.exists(), "no backup is written under a wrong key");
    assert_eq!(std::fs::read(haven.key_file()).expect("key file"), key_before, "the key file is untouched");

    // Not a key at all.
    haven.run_with(&["user", "list"], &[("HAVEN_MASTER_KEY", "not-a-key")]).assert_fails_with(&["HAVEN_MASTER_KEY"]);

    // The key file replaced by another valid key.
    MasterKey::generate().write_to(&haven.key_file()).expect("write another key");
    for args in commands {
        haven.run(args).assert_fails_with(&["master key"]);
    }
    // A damaged key file.
    std::fs::write(haven.key_file(), b"garbage").expect("write");
    haven.run(&["user", "list"]).assert_fails_with(&["master key"]);

    // The right key again: everything works and the case is intact.
    std::fs::write(haven.key_file(), &key_before).expect("restore key");
    haven.ok(&["user", "list"]);
    let server = haven.serve();
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();
}

#[test]
fn keys_rotate_rewraps_under_a_new_key_and_the_old_one_stops_working() {
    let with = with_case();
    let haven = &with.haven;
    let old_file = std::fs::read_to_string(haven.key_file()).expect("key file");
    let old_key = old_file.trim().to_owned();
    assert!(MasterKey::from_encoded(&old_key).is_ok(), "the key file holds an encoded key");
    let users_before = haven.ok(&["user", "list"]).stdout;

    // Rotation while the server runs: the server keeps serving.
    let server = haven.serve();
    let session = server.login(&with.username, &with.password);
    let run = haven.ok(&["keys", "rotate"]);
    assert!(run.stdout.contains("re-wrapped"), "{}", run.stdout);
    assert!(!run.stdout.contains(&old_key) && !run.stderr.contains(&old_key));
    // It still serves, and takes up the new keys without a restart (see `key_reload`).
    drop(session);
    server.login(&with.username, &with.password);
    server.stop();

    let new_file = std::fs::read_to_string(haven.key_file()).expect("key file");
    assert_ne!(new_file, old_file, "the key file changed");
    // The first line is the key; the old one follows, wrapped under it (the key history).
    let new_key = new_file.lines().next().expect("key line").trim().to_owned();
    assert!(!new_file.contains(&old_key), "the old key is not in the new file in clear");
    assert!(!run.stdout.contains(&new_key), "the new key is not printed when it is in a file");
    let leftovers: Vec<_> =
        haven.files().into_iter().map(|(p, _)| p).filter(|p| p.to_string_lossy().contains(".new")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(haven.key_file()).expect("key file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the new key file has mode {:o}", mode & 0o777);
    }

    // Every command works with the new key; the case reads back after a restart.
    assert_eq!(haven.ok(&["user", "list"]).stdout, users_before);
    haven.ok(&["audit", "verify"]);
    let server = haven.serve();
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();

    // The old key no longer opens the database.
    haven.run_with(&["user", "list"], &[("HAVEN_MASTER_KEY", &old_key)]).assert_fails_with(&["master key"]);

    // Rotating a key given in HAVEN_MASTER_KEY prints the new one for the operator to store.
    let current = new_key.clone();
    let run = haven.run_with(&["keys", "rotate"], &[("HAVEN_MASTER_KEY", &current)]);
    run.assert_ok();
    let printed = run
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| MasterKey::from_encoded(l).is_ok())
        .expect("the new key is printed")
        .to_owned();
    assert_ne!(printed, current);
    assert_eq!(std::fs::read_to_string(haven.key_file()).expect("key file"), new_file, "the file is not touched");
    let users = haven.run_with(&["user", "list"], &[("HAVEN_MASTER_KEY", &printed)]);
    users.assert_ok();
    assert_eq!(users.stdout, users_before);
    haven.run_with(&["user", "list"], &[("HAVEN_MASTER_KEY", &current)]).assert_fails_with(&["master key"]);
    haven.run(&["user", "list"]).assert_fails_with(&["master key"]);
}

/// Every stored encrypted field: (table, column, row, ciphertext).
type Fields = Vec<(&'static str, &'static str, String, Vec<u8>)>;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// The encrypted fields and the wrapped data keys of the database in `dir`.
fn read_db(dir: &std::path::Path) -> (Fields, Vec<WrappedKey>) {
    runtime().block_on(async {
        let store = Store::open_sqlite(dir).await.expect("open");
        let mut fields = Vec::new();
        for col in ENCRYPTED_COLUMNS {
            for (row, ct) in store.encrypted_batch(col, None, 100_000).await.expect("batch") {
                fields.push((col.table, col.column, row, ct));
            }
        }
        let keys = store
            .data_keys()
            .await
            .expect("keys")
            .into_iter()
            .map(|r| WrappedKey {
                id: u32::try_from(r.id).expect("id"),
                purpose: KeyPurpose::parse(&r.purpose).expect("purpose"),
                wrapped: r.wrapped,
            })
            .collect();
        store.close().await;
        (fields, keys)
    })
}

/// Puts one ciphertext back into its row, as an interrupted re-encryption pass leaves it.
fn put_back(dir: &std::path::Path, table: &str, column: &str, row: &str, old: &[u8]) {
    runtime().block_on(async {
        let store = Store::open_sqlite(dir).await.expect("open");
        let col = ENCRYPTED_COLUMNS.iter().find(|c| c.table == table && c.column == column).expect("column");
        let (_, now) = store
            .encrypted_batch(col, None, 100_000)
            .await
            .expect("batch")
            .into_iter()
            .find(|(r, _)| r == row)
            .expect("row");
        assert!(store.replace_encrypted(col, row, &now, old).await.expect("update"));
        store.close().await;
    })
}

fn copy_db(haven: &Haven, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("dir");
    for (path, bytes) in haven.files() {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if name.starts_with("haven.db") {
            std::fs::write(to.join(name), bytes).expect("copy");
        }
    }
}

#[test]
fn keys_rotate_reencrypts_every_field_under_a_new_data_key_resumes_and_retires_the_old_one() {
    // Field keys through rotation: an instance that writes case data under field keys (a case
    // under its own subject key is re-wrapped, not re-encrypted: `erasure` in the app's tests).
    let with = crate::with_case_in(Haven::new().with_env("HAVEN_KEYS__CASE_DATA_UNDER_FIELD_KEYS", "true"));
    let haven = &with.haven;
    let old_master = MasterKey::from_encoded(&std::fs::read_to_string(haven.key_file()).expect("key")).expect("key");
    let (before, _) = read_db(haven.data());
    assert!(before.iter().any(|(t, _, _, _)| *t == "persons"), "the case has encrypted identity fields");
    assert!(before.iter().any(|(t, _, _, _)| *t == "registrations"), "and an encrypted record");
    // A copy of the database as someone might have taken it before the rotation.
    let stolen = haven.dir.path().join("stolen");
    copy_db(haven, &stolen);

    let run = haven.ok(&["keys", "rotate", "--batch", "1"]);
    assert!(run.stdout.contains("persons.given_names: 1 re-encrypted"), "{}", run.stdout);
    let (after, _) = read_db(haven.data());
    assert_eq!(after.len(), before.len());
    let old_ids: std::collections::BTreeSet<_> = before.iter().filter_map(|f| Keyring::field_key_id(&f.3)).collect();
    let new_ids: std::collections::BTreeSet<_> = after.iter().filter_map(|f| Keyring::field_key_id(&f.3)).collect();
    assert_eq!(new_ids.len(), 1, "every field is under one key: {new_ids:?}");
    assert!(old_ids.is_disjoint(&new_ids), "a new field key: {old_ids:?} then {new_ids:?}");
    let old_id = *old_ids.iter().next().expect("old key id");

    // An interrupted pass leaves a row under the old key: it still reads, retiring the old key is
    // refused, and --resume finishes the work.
    let (table, column, row, ct) = before.iter().find(|f| f.0 == "persons").expect("persons").clone();
    put_back(haven.data(), table, column, &row, &ct);
    let server = haven.serve();
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();
    let list = haven.ok(&["keys", "list"]).stdout;
    assert!(list.contains(&format!("{old_id}\tfield\t1 fields")), "{list}");
    haven.run(&["keys", "retire", &old_id.to_string()]).assert_fails_with(&["--yes"]);
    haven.run(&["keys", "retire", &old_id.to_string(), "--yes"]).assert_fails_with(&["still use"]);
    let run = haven.ok(&["keys", "rotate", "--resume"]);
    assert!(run.stdout.contains(&format!("{table}.{column}: 1 re-encrypted")), "{}", run.stdout);
    let active = *new_ids.iter().next().expect("new id");
    haven.run(&["keys", "retire", &active.to_string(), "--yes"]).assert_fails_with(&["active"]);
    haven.ok(&["keys", "retire", &old_id.to_string(), "--yes"]);
    let (_, keys) = read_db(haven.data());
    assert!(keys.iter().all(|k| k.id != old_id), "the old field key is gone");

    // Everything reads with the new key, and the audit chain goes on.
    let server = haven.serve();
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();
    haven.ok(&["audit", "verify"]);

    // The old master key with the data keys of the old copy decrypts nothing of the new database.
    let (_, stolen_keys) = read_db(&stolen);
    let old_ring = Keyring::unwrap(&old_master, &stolen_keys).expect("the old copy opens with the old key");
    let (now, new_keys) = read_db(haven.data());
    assert!(Keyring::unwrap(&old_master, &new_keys).is_err(), "the old key opens no key of the new database");
    for (table, column, row, ct) in &now {
        let ctx = FieldContext { table, column, row };
        assert!(old_ring.decrypt_field(&ctx, ct).is_err(), "{table}.{column} of {row} read with the old key");
    }
}

/// A fresh data directory holding a copy of `from`'s key file (and nothing else).
fn new_dir_with_key_of(from: &Haven) -> Haven {
    let to = Haven::new();
    std::fs::copy(from.key_file(), to.key_file()).expect("copy the key file");
    to
}

#[test]
fn a_backup_made_before_key_rotations_restores_with_only_the_current_key_file() {
    let with = with_case();
    let haven = &with.haven;
    let users = haven.ok(&["user", "list"]).stdout;
    let first = MasterKey::from_encoded(&std::fs::read_to_string(haven.key_file()).expect("key")).expect("key");
    let backup = haven.data().join("before-rotation.backup");
    let backup_arg = backup.to_str().expect("utf-8 path");
    haven.ok(&["backup", backup_arg]);
    haven.ok(&["keys", "rotate"]);
    haven.ok(&["keys", "rotate"]);
    // The key store's backup is kept newest only (an older one holds keys destroyed since).
    let key_store = haven.data().join("after-rotation.keys");
    let key_store_arg = key_store.to_str().expect("utf-8 path");
    haven.ok(&["keys", "backup-subjects", key_store_arg]);
    let key_text = std::fs::read_to_string(haven.key_file()).expect("key");
    assert!(!key_text.contains(&first.encode()), "the earlier key is not in the key file in clear");
    let list = haven.ok(&["keys", "list"]).stdout;
    assert_eq!(list.matches("earlier master key").count(), 2, "{list}");
    assert!(list.contains(&first.fingerprint()), "{list}");

    // Restored into a new directory with the current key file only.
    let restored = new_dir_with_key_of(haven);
    let run = restored.ok(&["restore", backup_arg]);
    assert!(run.stdout.contains(&first.fingerprint()), "{}", run.stdout);
    restored.ok(&["keys", "restore-subjects", key_store_arg]);
    assert_eq!(restored.ok(&["user", "list"]).stdout, users);
    restored.ok(&["audit", "verify"]);
    let server = restored.serve();
    let session = server.login(&with.username, &with.password);
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();

    // Once the earlier key is retired from the history, that backup no longer restores.
    haven.run(&["keys", "retire", &first.fingerprint()]).assert_fails_with(&["--yes"]);
    haven.ok(&["keys", "retire", &first.fingerprint(), "--yes"]);
    let list = haven.ok(&["keys", "list"]).stdout;
    assert_eq!(list.matches("earlier master key").count(), 1, "{list}");
    new_dir_with_key_of(haven).run(&["restore", backup_arg]).assert_fails_with(&["master key"]);
    haven.ok(&["audit", "verify"]);
}

#[test]
fn keys_rotate_reencrypts_the_demonstration_data_in_every_encrypted_column_and_the_audit_chain_goes_on() {
    let haven = Haven::new();
    let server = crate::Server::start(haven.cmd(&["demo", "--listen", "127.0.0.1:0"]));
    server.stop();
    // the Latvian instance of the demonstration, in its folder
    let haven = haven.within("lv");
    let (before, _) = read_db(haven.data());
    let tables: std::collections::BTreeSet<_> = before.iter().map(|f| f.0).collect();
    for table in ["persons", "registrations", "decisions", "case_records", "assessments", "referrals"] {
        assert!(tables.contains(table), "the demonstration has encrypted {table}: {tables:?}");
    }
    let verified = haven.ok(&["audit", "verify"]).stdout;
    let head_before = verified.lines().find(|l| l.starts_with("head:")).expect("head").to_owned();

    haven.ok(&["keys", "rotate", "--batch", "7"]);
    let (after, keys) = read_db(haven.data());
    assert_eq!(after.len(), before.len());
    let ids: std::collections::BTreeSet<_> = after.iter().filter_map(|f| Keyring::field_key_id(&f.3)).collect();
    let active = keys.iter().filter(|k| k.purpose == KeyPurpose::Field).map(|k| k.id).max().expect("field key");
    assert_eq!(ids, [active].into(), "every field of every column is under the new field key");
    let master = MasterKey::from_encoded(
        std::fs::read_to_string(haven.key_file()).expect("key").lines().next().expect("key line"),
    )
    .expect("key");
    let ring = Keyring::unwrap(&master, &keys).expect("keys");
    for ((table, column, row, old), (_, _, _, new)) in before.iter().zip(&after) {
        let ctx = FieldContext { table, column, row };
        assert_eq!(ring.decrypt_field(&ctx, old).ok(), ring.decrypt_field(&ctx, new).ok(), "{table}.{column} {row}");
    }

    // The audit key is kept: the chain verifies and goes on from the head recorded before.
    let seq_mac = head_before.trim_start_matches("head: entry ").replace(" mac ", ":");
    haven.ok(&["audit", "verify", "--head", &seq_mac]);
    let server = haven.serve();
    server.stop();
}
