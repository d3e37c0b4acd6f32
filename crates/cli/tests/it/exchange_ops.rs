//! `haven peer rotate-own` / `retire-own` and `haven exchange …`: an instance rotates its own keys
//! and a peer that pinned the old key applies the rotation entry; the count's secret is taken from
//! a file and never printed, bad input named; the outbox lists what was queued.

use crate::{Haven, line_value};

#[test]
fn an_instance_rotates_its_own_keys_and_a_peer_applies_the_entry() {
    let lv = Haven::new();
    let ee = Haven::new();
    let lv_file = lv.data().join("lv-entry.json");
    let lv_self = lv.ok(&[
        "peer",
        "self",
        "--instance-id",
        "LV",
        "--endpoint",
        "https://lv.haven.example/exchange",
        "--out",
        lv_file.to_str().expect("path"),
    ]);
    let lv_key = line_value(&lv_self.stdout, "signing key id:");
    ee.ok(&["peer", "self", "--instance-id", "EE", "--endpoint", "https://ee.haven.example/exchange"]);
    ee.ok(&["peer", "add", lv_file.to_str().expect("path"), "--signing-key-id", &lv_key]);

    let bad = lv.run(&["peer", "rotate-own", "--overlap-days", "0"]);
    assert!(!bad.status.success());
    assert!(bad.stderr.contains("overlap_days"), "{}", bad.stderr);

    let rotation = lv.data().join("lv-rotation.json");
    let rotated = lv.ok(&["peer", "rotate-own", "--overlap-days", "7", "--out", rotation.to_str().expect("path")]);
    let new_key = line_value(&rotated.stdout, "new signing key id:");
    assert_ne!(new_key, lv_key);
    // during the overlap the old key is still the one in use
    assert_eq!(line_value(&lv.ok(&["peer", "self"]).stdout, "signing key id:"), lv_key);
    // a second rotation during the overlap is refused
    assert!(!lv.run(&["peer", "rotate-own"]).status.success());
    // nothing has passed its overlap yet
    assert!(lv.ok(&["peer", "retire-own"]).stdout.contains("nothing retired"));

    ee.ok(&["peer", "rotate", rotation.to_str().expect("path")]);
    let listed = ee.ok(&["peer", "list"]).stdout;
    assert!(listed.contains("sequence 2"), "{listed}");
    assert!(listed.contains(&format!("signing {new_key} valid")), "{listed}");
    assert!(listed.contains(&format!("signing {lv_key} valid")), "the old key during the overlap: {listed}");
}

#[test]
fn the_counts_secret_comes_from_a_file_is_never_printed_and_bad_input_is_named() {
    let lv = Haven::new();
    lv.ok(&["peer", "self", "--instance-id", "LV", "--endpoint", "https://lv.haven.example/exchange"]);
    let short = lv.data().join("short.txt");
    std::fs::write(&short, "c2hvcnQ=").expect("write");
    let refused = lv.run(&["exchange", "secret", "--generation", "2026-1", "--file", short.to_str().expect("path")]);
    assert!(!refused.status.success());
    assert!(refused.stderr.contains("secret"), "{}", refused.stderr);

    let secret = "c2VjcmV0IHNoYXJlZCBieSB0aGUgZm9jYWwgcG9pbnRzISE=";
    let file = lv.data().join("secret.txt");
    std::fs::write(&file, format!("{secret}\n")).expect("write");
    let stored = lv.ok(&["exchange", "secret", "--generation", "2026-1", "--file", file.to_str().expect("path")]);
    assert!(stored.stdout.contains("2026-1"));
    assert!(!stored.stdout.contains(secret) && !stored.stderr.contains(secret), "never printed");

    // No EU hub pinned: the receiver is named.
    let unsent = lv.run(&["exchange", "send-encodings", "--year", "2026"]);
    assert!(!unsent.status.success());
    assert!(unsent.stderr.contains("receiver"), "{}", unsent.stderr);
    assert_eq!(lv.ok(&["exchange", "outbox"]).stdout.trim(), "");
}
