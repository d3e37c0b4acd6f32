//! `haven peer revoke-own`: the only current key is not revoked (the key id named); after a
//! rotation the old key is revoked at once, the instance signs with the new one, and the entry
//! listing the old key revoked is queued to the pinned peer; a key is revoked once.

use crate::{Haven, line_value};

#[test]
fn an_instance_revokes_its_old_key_at_once_and_announces_it_to_its_peer() {
    let lv = Haven::new();
    let ee = Haven::new();
    let lv_file = lv.data().join("lv-entry.json");
    let ee_file = ee.data().join("ee-entry.json");
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
    let ee_self = ee.ok(&[
        "peer",
        "self",
        "--instance-id",
        "EE",
        "--endpoint",
        "https://ee.haven.example/exchange",
        "--out",
        ee_file.to_str().expect("path"),
    ]);
    let ee_key = line_value(&ee_self.stdout, "signing key id:");
    ee.ok(&["peer", "add", lv_file.to_str().expect("path"), "--signing-key-id", &lv_key]);
    lv.ok(&["peer", "add", ee_file.to_str().expect("path"), "--signing-key-id", &ee_key]);

    // the only current signing key: refused, naming the key id, nothing queued
    let only = lv.run(&["peer", "revoke-own", &lv_key, "--reason", "the laptop was stolen"]);
    assert!(!only.status.success());
    assert!(only.stderr.contains("key_id") && only.stderr.contains("only current"), "{}", only.stderr);
    assert_eq!(lv.ok(&["exchange", "outbox"]).stdout.trim(), "");
    // no reason: refused before anything, naming the reason
    let blank = lv.run(&["peer", "revoke-own", &lv_key, "--reason", "  "]);
    assert!(!blank.status.success());
    assert!(blank.stderr.contains("reason"), "{}", blank.stderr);

    let rotation = lv.data().join("lv-rotation.json");
    let rotated = lv.ok(&["peer", "rotate-own", "--out", rotation.to_str().expect("path")]);
    let new_key = line_value(&rotated.stdout, "new signing key id:");
    ee.ok(&["peer", "rotate", rotation.to_str().expect("path")]);

    let revocation = lv.data().join("lv-revocation.json");
    let revoked = lv.ok(&[
        "peer",
        "revoke-own",
        &lv_key,
        "--reason",
        "the laptop was stolen",
        "--out",
        revocation.to_str().expect("path"),
    ]);
    assert!(revoked.stdout.contains(&format!("revoked signing key id: {lv_key}")), "{}", revoked.stdout);
    assert!(revoked.stdout.contains("announced to: EE"), "{}", revoked.stdout);
    // from now on the new key signs: no overlap
    assert_eq!(line_value(&lv.ok(&["peer", "self"]).stdout, "signing key id:"), new_key);
    let outbox = lv.ok(&["exchange", "outbox"]).stdout;
    assert!(outbox.contains("directory_entry") && outbox.contains("EE"), "{outbox}");
    // a key is revoked once
    let again = lv.run(&["peer", "revoke-own", &lv_key, "--reason", "again"]);
    assert!(!again.status.success());
    assert!(again.stderr.contains("key_id"), "{}", again.stderr);

    // the peer that applies the entry (here by hand) refuses the old key from now on
    ee.ok(&["peer", "rotate", revocation.to_str().expect("path")]);
    let listed = ee.ok(&["peer", "list"]).stdout;
    assert!(listed.contains(&format!("signing {lv_key} revoked")), "{listed}");
    assert!(listed.contains(&format!("signing {new_key} valid")), "{listed}");
}
