//! `haven audit verify` on an intact and on a tampered log.

use crate::{Haven, line_value};
use haven_storage::Store;
use std::path::Path;

/// Runs SQL on the SQLite database behind the binary's back.
fn tamper(data: &Path, statements: &[&str]) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = Store::open_sqlite(data).await.expect("open the database");
        for sql in statements {
            store.execute_unchecked(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        store.close().await;
    });
}

/// A database with a few audited actions.
fn audited() -> Haven {
    let haven = Haven::new();
    haven.org("Audit Test NGO", "ngo", "LV");
    haven.user("first.user", "Audit Test NGO", "caseworker");
    haven.user("second.user", "Audit Test NGO", "first_responder");
    haven.ok(&["user", "disable", "second.user"]);
    haven
}

/// Verifies and returns the number of entries and the head line.
fn verify_ok(haven: &Haven) -> (u64, String) {
    let run = haven.ok(&["audit", "verify"]);
    let entries = line_value(&run.stdout, "audit log intact:");
    let n = entries.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{}", run.stdout));
    let head = line_value(&run.stdout, "head:");
    (n, head)
}

#[test]
fn verify_accepts_an_intact_log_and_prints_its_head() {
    let haven = audited();
    let (n, head) = verify_ok(&haven);
    assert!(n >= 4, "org, two users, a disable: {n}");
    assert!(head.starts_with(&format!("entry {n} mac ")), "{head}");
    let mac = head.rsplit(' ').next().unwrap_or_default();
    assert_eq!(mac.len(), 64, "{head}");
    assert!(mac.chars().all(|c| c.is_ascii_hexdigit()), "{head}");

    // Verification itself leaves the chain verifiable; new entries extend it.
    let (again, head_again) = verify_ok(&haven);
    assert_eq!((again, &head_again), (n, &head));
    haven.ok(&["user", "enable", "second.user"]);
    let (more, _) = verify_ok(&haven);
    assert!(more > n);
}

#[test]
fn verify_fails_on_an_edited_entry() {
    let haven = audited();
    verify_ok(&haven);
    // The append-only trigger refuses a plain update…
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let refused = runtime.block_on(async {
        let store = Store::open_sqlite(haven.data()).await.expect("open");
        let r = store.execute_unchecked("UPDATE audit_log SET detail = 'x' WHERE seq = 2").await;
        store.close().await;
        r
    });
    assert!(refused.is_err(), "the trigger refuses updates");
    verify_ok(&haven);
    // …so the attacker drops it first.
    tamper(haven.data(), &["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET detail = 'x' WHERE seq = 2"]);
    haven.run(&["audit", "verify"]).assert_fails_with(&["audit", "broken", "2"]);
}

#[test]
fn verify_fails_when_the_newest_entry_is_deleted() {
    let haven = audited();
    let (n, _) = verify_ok(&haven);
    tamper(haven.data(), &["DROP TRIGGER audit_log_no_delete", &format!("DELETE FROM audit_log WHERE seq = {n}")]);
    haven.run(&["audit", "verify"]).assert_fails_with(&["audit"]);
}

#[test]
fn verify_fails_when_the_newest_entry_and_the_head_are_deleted() {
    let haven = audited();
    let (n, _) = verify_ok(&haven);
    tamper(
        haven.data(),
        &[
            "DROP TRIGGER audit_log_no_delete",
            &format!("DELETE FROM audit_log WHERE seq = {n}"),
            "DELETE FROM audit_head",
        ],
    );
    haven.run(&["audit", "verify"]).assert_fails_with(&["audit"]);
}

#[test]
fn verify_fails_on_a_deleted_middle_entry_and_on_reordered_entries() {
    let haven = audited();
    verify_ok(&haven);
    tamper(haven.data(), &["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 2"]);
    haven.run(&["audit", "verify"]).assert_fails_with(&["audit", "broken"]);

    let haven = audited();
    verify_ok(&haven);
    // Swap the contents of entries 2 and 3 (their MACs travel with them).
    tamper(
        haven.data(),
        &[
            "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET seq = -2 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = -2",
        ],
    );
    haven.run(&["audit", "verify"]).assert_fails_with(&["audit", "broken"]);
}

#[test]
fn backups_and_key_rotations_are_audited_and_the_chain_goes_on() {
    let haven = audited();
    let (before, _) = verify_ok(&haven);
    let backup = haven.data().join("audited.backup");
    haven.ok(&["backup", backup.to_str().expect("utf-8 path")]);
    haven.ok(&["keys", "rotate"]);
    let (after, _) = verify_ok(&haven);
    assert_eq!(after, before + 2, "one entry for the backup, one for the rotation");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let actions = runtime.block_on(async {
        let store = Store::open_sqlite(haven.data()).await.expect("open");
        let rows = store.audit_entries(0, 1000).await.expect("entries");
        store.close().await;
        rows.into_iter().map(|r| r.event.action.to_string()).collect::<Vec<_>>()
    });
    assert_eq!(actions[actions.len() - 2..], ["backup".to_owned(), "keys_rotated".to_owned()], "{actions:?}");
}
