//! Encryption at rest, a wrong master key, and `haven keys rotate`.

use crate::{FAMILY, GIVEN, Haven, assert_case_readable, contains_bytes, register_case, with_case};
use haven_crypto::MasterKey;

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
    assert_case_readable(&server, &session, &with.case_id);
    server.stop();

    let new_file = std::fs::read_to_string(haven.key_file()).expect("key file");
    assert_ne!(new_file, old_file, "the key file changed");
    assert!(!run.stdout.contains(new_file.trim()), "the new key is not printed when it is in a file");
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
    let current = new_file.trim().to_owned();
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
