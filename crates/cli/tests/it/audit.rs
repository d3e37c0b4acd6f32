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

/// The `SEQ:HEX` form of a head line `entry SEQ mac HEX`.
fn anchor_of(head: &str) -> String {
    let words: Vec<&str> = head.split_whitespace().collect();
    match words.as_slice() {
        ["entry", seq, "mac", mac] => format!("{seq}:{mac}"),
        _ => panic!("not a head line: {head:?}"),
    }
}

/// A copy of the database files (`haven.db`, its WAL and shared memory), as a backup of the disk
/// would hold them.
fn copy_database(haven: &Haven) -> Vec<(String, Vec<u8>)> {
    haven
        .files()
        .into_iter()
        .filter_map(|(p, bytes)| {
            let name = p.file_name()?.to_str()?.to_owned();
            name.starts_with("haven.db").then_some((name, bytes))
        })
        .collect()
}

/// Puts an older copy of the database files back in place of the current ones.
fn put_back(haven: &Haven, copy: &[(String, Vec<u8>)]) {
    for (p, _) in haven.files() {
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("haven.db")) {
            std::fs::remove_file(&p).expect("remove a database file");
        }
    }
    for (name, bytes) in copy {
        std::fs::write(haven.data().join(name), bytes).expect("write a database file");
    }
}

#[test]
fn verify_against_a_recorded_head_passes_on_the_same_log_and_after_it_went_on() {
    let haven = audited();
    let (_, head) = verify_ok(&haven);
    let anchor = anchor_of(&head);
    let run = haven.ok(&["audit", "verify", "--head", &anchor]);
    assert!(run.stdout.contains(&format!("--head {anchor}")), "{}", run.stdout);
    haven.ok(&["user", "enable", "second.user"]);
    // The printed form is accepted as well as SEQ:HEX.
    haven.ok(&["audit", "verify", "--head", &anchor, "--head", &head]);
    haven.run(&["audit", "verify", "--head", "12:nothex"]).assert_fails_with(&["--head", "SEQ:HEX"]);
}

#[test]
fn verify_against_a_recorded_head_fails_when_every_entry_and_the_head_are_deleted() {
    let haven = audited();
    let (n, head) = verify_ok(&haven);
    tamper(haven.data(), &["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log", "DELETE FROM audit_head"]);
    // The chain alone cannot tell an empty log from a wiped one…
    assert_eq!(verify_ok(&haven).0, 0);
    // …the head recorded earlier can.
    haven.run(&["audit", "verify", "--head", &anchor_of(&head)]).assert_fails_with(&[
        "audit",
        &format!("entry {n}"),
        "ends at entry 0",
        "wiped",
    ]);
}

#[test]
fn verify_against_a_recorded_head_fails_after_truncation_to_an_older_head_row() {
    let haven = audited();
    let (k, _) = verify_ok(&haven);
    // The head row as an older copy of the database holds it.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let old_head = runtime.block_on(async {
        let store = Store::open_sqlite(haven.data()).await.expect("open");
        let h = store.audit_head().await.expect("head").expect("a head row");
        store.close().await;
        h
    });
    haven.ok(&["user", "enable", "second.user"]);
    haven.ok(&["user", "disable", "first.user"]);
    let (n, head) = verify_ok(&haven);
    assert!(n > k);
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    tamper(
        haven.data(),
        &[
            "DROP TRIGGER audit_log_no_delete",
            &format!("DELETE FROM audit_log WHERE seq > {k}"),
            &format!(
                "UPDATE audit_head SET seq = {}, mac = X'{}', head_mac = X'{}'",
                old_head.seq,
                hex(&old_head.mac),
                hex(&old_head.head_mac)
            ),
        ],
    );
    assert_eq!(verify_ok(&haven).0, k, "the chain alone finds the truncated log intact");
    haven.run(&["audit", "verify", "--head", &anchor_of(&head)]).assert_fails_with(&[
        "audit",
        &format!("entry {n}"),
        &format!("ends at entry {k}"),
        "rolled back",
    ]);
}

#[test]
fn verify_against_a_recorded_head_fails_after_the_database_is_put_back_from_an_older_copy() {
    let haven = audited();
    let older = copy_database(&haven);
    let (k, _) = verify_ok(&haven);
    haven.ok(&["user", "enable", "second.user"]);
    let (n, head) = verify_ok(&haven);
    put_back(&haven, &older);
    assert_eq!(verify_ok(&haven).0, k, "the older copy verifies on its own");
    haven.run(&["audit", "verify", "--head", &anchor_of(&head)]).assert_fails_with(&[
        "audit",
        &format!("entry {n}"),
        &format!("ends at entry {k}"),
    ]);

    // Rolled back and grown again past the recorded head: entry n exists, but it is another one.
    haven.ok(&["user", "disable", "first.user"]);
    haven.ok(&["user", "enable", "first.user"]);
    assert!(verify_ok(&haven).0 > n);
    haven.run(&["audit", "verify", "--head", &anchor_of(&head)]).assert_fails_with(&[
        "audit",
        &format!("entry {n} differs"),
        "rolled back",
    ]);
}

/// The lines of the server's checkpoint file.
fn checkpoint_lines(haven: &Haven) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(haven.data().join("audit-checkpoints.jsonl")).unwrap_or_default();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}"))).collect()
}

/// Waits until the checkpoint file has at least `n` lines.
fn wait_for_checkpoints(haven: &Haven, n: usize) -> Vec<serde_json::Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let lines = checkpoint_lines(haven);
        if lines.len() >= n {
            return lines;
        }
        assert!(std::time::Instant::now() < deadline, "no {n} checkpoint(s) within 20 s: {lines:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_server_writes_signed_checkpoints_and_verify_catches_a_rollback_behind_them() {
    let haven = audited();
    let older = copy_database(&haven);
    haven.ok(&["user", "enable", "second.user"]);
    let (n, _) = verify_ok(&haven);
    let haven = haven.with_env("HAVEN_AUDIT__CHECKPOINT_EVERY", "2");
    let server = haven.serve();
    // The log is n entries past the (absent) last checkpoint: one is written while serving…
    let first = wait_for_checkpoints(&haven, 1);
    assert_eq!(first[0]["seq"], n, "{first:?}");
    // …and one on graceful shutdown.
    server.stop();
    let all = checkpoint_lines(&haven);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1]["seq"], n);
    assert!(all.iter().all(|c| c["at"].as_i64().is_some_and(|t| t > 1_700_000_000)), "{all:?}");
    let file = haven.data().join("audit-checkpoints.jsonl");
    let file = file.to_str().expect("utf-8 path");
    let run = haven.ok(&["audit", "verify", "--checkpoints", file]);
    assert!(run.stdout.contains("2 checkpoint(s)"), "{}", run.stdout);

    // The database put back from a copy older than the checkpoints.
    put_back(&haven, &older);
    assert_eq!(verify_ok(&haven).0, n - 1, "the older copy verifies on its own");
    haven.run(&["audit", "verify", "--checkpoints", file]).assert_fails_with(&[
        "audit",
        &format!("entry {n}"),
        &format!("ends at entry {}", n - 1),
        "rolled back",
    ]);
    // The server notices it too when it starts.
    let (_, logs) = haven.serve().stop();
    assert!(logs.contains("the audit log ends before the newest checkpoint"), "{logs}");
}

#[test]
fn verify_refuses_a_forged_checkpoint() {
    let haven = audited().with_env("HAVEN_AUDIT__CHECKPOINT_EVERY", "0");
    haven.serve().stop();
    let path = haven.data().join("audit-checkpoints.jsonl");
    let lines = checkpoint_lines(&haven);
    assert_eq!(lines.len(), 1, "only the shutdown checkpoint: {lines:?}");
    let file = path.to_str().expect("utf-8 path");
    haven.ok(&["audit", "verify", "--checkpoints", file]);
    // An insider lowers the checkpoint to match a truncated log; without the key the MAC fails.
    let mut forged = lines[0].clone();
    forged["seq"] = serde_json::json!(forged["seq"].as_i64().expect("seq") - 1);
    std::fs::write(&path, format!("{}\n{forged}\n", lines[0])).expect("write");
    haven.run(&["audit", "verify", "--checkpoints", file]).assert_fails_with(&["line 2", "does not verify"]);
    std::fs::write(&path, "not json\n").expect("write");
    haven.run(&["audit", "verify", "--checkpoints", file]).assert_fails_with(&["checkpoint line 1"]);
    // A spoiled file does not stop the server: it logs the problem and appends after it.
    let (_, logs) = haven.serve().stop();
    assert!(logs.contains("the audit checkpoint file cannot be read"), "{logs}");
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn the_server_posts_its_checkpoints_to_the_configured_endpoint() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local listener");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // One request, answered 204; the thread ends with the test process at the latest.
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
            }
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            let _ = tx.send(String::from_utf8_lossy(&request).into_owned());
        }
    });
    let haven = audited()
        .with_env("HAVEN_AUDIT__CHECKPOINT_EVERY", "0")
        .with_env("HAVEN_AUDIT__CHECKPOINT_URL", &format!("http://127.0.0.1:{port}/anchors/haven"));
    haven.serve().stop();
    let request = rx.recv_timeout(std::time::Duration::from_secs(20)).expect("a POST within 20 s");
    let (head, body) = request.split_once("\r\n\r\n").expect("an HTTP request");
    assert!(head.starts_with("POST /anchors/haven HTTP/1.1"), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    let posted: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(checkpoint_lines(&haven), vec![posted]);
}
