//! `haven peer …`: two instances hand each other their entries and pin them with the key id
//! read out; a wrong key id is refused naming the field.

use crate::{Haven, line_value};

#[test]
fn two_instances_pin_each_other_with_the_key_id_read_out_and_revoke_a_key() {
    let lv = Haven::new();
    let ee = Haven::new();
    let before = lv.run(&["peer", "self"]);
    assert!(!before.status.success());
    assert!(before.stderr.contains("instance_id"), "{}", before.stderr);

    let lv_file = lv.data().join("lv-entry.json");
    let lv_self = lv.ok(&[
        "peer",
        "self",
        "--instance-id",
        "LV",
        "--endpoint",
        "https://lv.haven.example/exchange",
        "--out",
        lv_file.to_str().unwrap(),
    ]);
    let lv_key = line_value(&lv_self.stdout, "signing key id:");
    // Asked again, the same key.
    assert_eq!(line_value(&lv.ok(&["peer", "self"]).stdout, "signing key id:"), lv_key);

    let ee_file = ee.data().join("ee-entry.json");
    let ee_self = ee.ok(&[
        "peer",
        "self",
        "--instance-id",
        "EE",
        "--endpoint",
        "https://ee.haven.example/exchange",
        "--out",
        ee_file.to_str().unwrap(),
    ]);
    let ee_key = line_value(&ee_self.stdout, "signing key id:");
    let ee_encryption = line_value(&ee_self.stdout, "encryption key id:");

    // LV's operator is read out a key id that is not the one that signed the entry: refused.
    let wrong = lv.run(&["peer", "add", ee_file.to_str().unwrap(), "--signing-key-id", &lv_key]);
    assert!(!wrong.status.success());
    assert!(wrong.stderr.contains("signing_key_id"), "{}", wrong.stderr);
    assert_eq!(lv.ok(&["peer", "list"]).stdout.trim(), "");

    lv.ok(&["peer", "add", ee_file.to_str().unwrap(), "--signing-key-id", &ee_key]);
    ee.ok(&["peer", "add", lv_file.to_str().unwrap(), "--signing-key-id", &lv_key]);
    let listed = lv.ok(&["peer", "list"]).stdout;
    assert!(listed.starts_with("EE national_focal_point https://ee.haven.example/exchange sequence 1"), "{listed}");
    assert!(listed.contains(&format!("signing {ee_key} valid")), "{listed}");

    lv.ok(&["peer", "revoke", "EE", &ee_encryption]);
    let listed = lv.ok(&["peer", "list"]).stdout;
    assert!(listed.contains(&format!("encryption {ee_encryption} revoked")), "{listed}");
    assert!(ee.ok(&["peer", "list"]).stdout.starts_with("LV national_focal_point"));
}
