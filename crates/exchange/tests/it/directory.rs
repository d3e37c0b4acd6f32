//! The directory of peers: pinning, rotation, revocation, storage and key selection.

use haven_exchange::{
    Directory, DirectoryError, KeyLookupError, KeyStatus, PeerRole, PublishedKey, SignedEntry, select_valid,
    spoken_fingerprint,
};
use time::Duration;

use crate::support::*;

fn operator() -> haven_exchange::SigningKeyPair {
    signing("EE", 1)
}

fn ee_directory_with_lv() -> Directory {
    let mut directory = Directory::new(operator().public_key());
    let signed = first_entry("LV");
    let confirmed = signed.signed_by().clone();
    directory.pin(signed, &confirmed, &operator(), t0()).unwrap();
    directory
}

#[test]
fn a_peer_is_pinned_only_with_the_signing_key_confirmed_out_of_band() {
    let mut directory = Directory::new(operator().public_key());
    let err = directory.pin(first_entry("LV"), signing("LV", 2).key_id(), &operator(), t0()).unwrap_err();
    assert!(matches!(err, DirectoryError::FingerprintMismatch { .. }), "{err}");
    assert!(directory.peer(&id("LV")).is_none());
    directory.pin(first_entry("LV"), signing("LV", 1).key_id(), &operator(), t0()).unwrap();
    assert_eq!(directory.peer(&id("LV")).unwrap().entry().role, PeerRole::NationalFocalPoint);
    let again = directory.pin(first_entry("LV"), signing("LV", 1).key_id(), &operator(), t0()).unwrap_err();
    assert!(matches!(again, DirectoryError::AlreadyPinned { .. }));
}

#[test]
fn an_entry_signed_by_a_key_it_does_not_list_is_not_pinned() {
    let mut directory = Directory::new(operator().public_key());
    let outsider = signing("XX", 1);
    let e = first_entry("LV").entry().clone();
    let signed = SignedEntry::sign(&e, &outsider).unwrap();
    let err = directory.pin(signed, outsider.key_id(), &operator(), t0()).unwrap_err();
    assert!(matches!(err, DirectoryError::SignerNotInEntry { .. }), "{err}");
}

#[test]
fn a_changed_entry_does_not_verify() {
    let signed = first_entry("LV");
    let mut json: serde_json::Value = serde_json::from_slice(&signed.to_json()).unwrap();
    let entry_bytes = haven_exchange::encoding::b64_decode(json["entry"].as_str().unwrap()).unwrap();
    let changed = String::from_utf8(entry_bytes).unwrap().replace("lv.haven.example", "lv.evil.example");
    json["entry"] = serde_json::Value::String(haven_exchange::encoding::b64_encode(changed.as_bytes()));
    let tampered = SignedEntry::parse(&serde_json::to_vec(&json).unwrap()).unwrap();
    assert!(matches!(tampered.verify_self_signed(), Err(DirectoryError::BadSignature { .. })));
    assert_eq!(signed.verify_self_signed(), Ok(()));
}

#[test]
fn only_the_local_operator_key_counter_signs() {
    let mut directory = Directory::new(operator().public_key());
    let err = directory.pin(first_entry("LV"), signing("LV", 1).key_id(), &signing("LV", 1), t0()).unwrap_err();
    assert!(matches!(err, DirectoryError::OperatorMismatch { .. }));
}

#[test]
fn the_stored_directory_loads_back_and_a_changed_record_is_refused() {
    let mut directory = ee_directory_with_lv();
    directory.revoke(&id("LV"), signing("LV", 1).key_id(), t0() + Duration::days(1), &operator(), t0()).unwrap();
    let records = directory.records();
    let loaded = Directory::load(operator().public_key(), records.iter().map(Vec::as_slice)).unwrap();
    assert_eq!(loaded.records(), records);
    assert_eq!(loaded.peer(&id("LV")).unwrap().local_revocations().len(), 1);

    // Another operator key: the counter-signatures do not verify.
    let err = Directory::load(signing("LT", 1).public_key(), records.iter().map(Vec::as_slice)).unwrap_err();
    assert!(matches!(err, DirectoryError::BadCountersignature { .. }), "{err}");

    // The local revocation removed from the stored pin record: refused.
    let mut json: serde_json::Value = serde_json::from_slice(&records[0]).unwrap();
    let pin = haven_exchange::encoding::b64_decode(json["pin"].as_str().unwrap()).unwrap();
    let mut pin: serde_json::Value = serde_json::from_slice(&pin).unwrap();
    pin["revocations"] = serde_json::json!([]);
    json["pin"] = serde_json::Value::String(haven_exchange::encoding::b64_encode(&serde_json::to_vec(&pin).unwrap()));
    let changed = serde_json::to_vec(&json).unwrap();
    let err = Directory::load(operator().public_key(), [changed.as_slice()]).unwrap_err();
    assert!(matches!(err, DirectoryError::BadCountersignature { .. }), "{err}");

    // Another peer's entry under this pin: refused.
    json = serde_json::from_slice(&records[0]).unwrap();
    let other: serde_json::Value = serde_json::from_slice(&first_entry("LT").to_json()).unwrap();
    json["published"] = other;
    let changed = serde_json::to_vec(&json).unwrap();
    assert!(Directory::load(operator().public_key(), [changed.as_slice()]).is_err());
}

fn rotation(sequence: u64, signer: &haven_exchange::SigningKeyPair, t1: time::OffsetDateTime) -> SignedEntry {
    let mut old = PublishedKey::new(signing("LV", 1).public_key(), t0());
    old.valid_until = Some(t1 + Duration::days(7));
    let e = entry(
        "LV",
        PeerRole::NationalFocalPoint,
        sequence,
        t1,
        vec![old, PublishedKey::new(signing("LV", 2).public_key(), t1)],
        vec![PublishedKey::new(encryption("LV", 1).public_key(), t0())],
    );
    SignedEntry::sign(&e, signer).unwrap()
}

#[test]
fn a_rotation_must_be_newer_and_signed_by_a_key_valid_now_of_the_pinned_entry() {
    let t1 = t0() + Duration::days(10);
    let mut directory = ee_directory_with_lv();
    // Signed only by the new key: refused.
    let err = directory.apply_rotation(rotation(2, &signing("LV", 2), t1), &operator(), t1).unwrap_err();
    assert!(matches!(err, DirectoryError::RotationNotSignedByCurrentKey { .. }), "{err}");
    // Not newer: refused.
    let err = directory.apply_rotation(rotation(1, &signing("LV", 1), t1), &operator(), t1).unwrap_err();
    assert!(matches!(err, DirectoryError::StaleEntry { pinned: 1, found: 1, .. }), "{err}");
    // Signed by the old key: applied, and kept on reload.
    directory.apply_rotation(rotation(2, &signing("LV", 1), t1), &operator(), t1).unwrap();
    assert_eq!(directory.peer(&id("LV")).unwrap().entry().sequence, 2);
    let records = directory.records();
    let loaded = Directory::load(operator().public_key(), records.iter().map(Vec::as_slice)).unwrap();
    assert_eq!(loaded.peer(&id("LV")).unwrap().entry().sequence, 2);
    // A further rotation signed by the old key after its overlap: refused.
    let t2 = t1 + Duration::days(8);
    let err = directory.apply_rotation(rotation(3, &signing("LV", 1), t2), &operator(), t2).unwrap_err();
    assert!(matches!(err, DirectoryError::RotationNotSignedByCurrentKey { .. }), "{err}");
}

#[test]
fn a_revoked_key_cannot_sign_a_rotation_and_a_local_revocation_survives_one() {
    let t1 = t0() + Duration::days(10);
    let mut directory = ee_directory_with_lv();
    let old = signing("LV", 1);
    directory.revoke(&id("LV"), old.key_id(), t1 - Duration::days(1), &operator(), t1).unwrap();
    let err = directory.apply_rotation(rotation(2, &old, t1), &operator(), t1).unwrap_err();
    assert!(matches!(err, DirectoryError::RotationNotSignedByCurrentKey { .. }), "{err}");

    // Revoked later than the rotation: the rotation applies, the revocation stays.
    let mut directory = ee_directory_with_lv();
    let revoked_at = t1 + Duration::days(1);
    directory.revoke(&id("LV"), old.key_id(), revoked_at, &operator(), t1).unwrap();
    directory.apply_rotation(rotation(2, &old, t1), &operator(), t1).unwrap();
    let status = directory.signing_key(&id("LV"), old.key_id(), revoked_at);
    assert_eq!(status, Err(KeyLookupError::Status(KeyStatus::Revoked { revoked_at })));
}

#[test]
fn a_rotation_cannot_lift_the_peers_own_revocation_nor_change_the_role() {
    let t1 = t0() + Duration::days(10);
    let mut directory = ee_directory_with_lv();
    let enc_revoked_at = t1;
    // LV revokes its encryption key 1 and adds key 2 (sequence 2) ...
    let mut enc1 = PublishedKey::new(encryption("LV", 1).public_key(), t0());
    enc1.revoked_at = Some(enc_revoked_at);
    let e = entry(
        "LV",
        PeerRole::NationalFocalPoint,
        2,
        t1,
        vec![PublishedKey::new(signing("LV", 1).public_key(), t0())],
        vec![enc1, PublishedKey::new(encryption("LV", 2).public_key(), t1)],
    );
    directory.apply_rotation(SignedEntry::sign(&e, &signing("LV", 1)).unwrap(), &operator(), t1).unwrap();
    // ... then an entry that lists key 1 unrevoked is refused.
    let e3 = entry(
        "LV",
        PeerRole::NationalFocalPoint,
        3,
        t1,
        vec![PublishedKey::new(signing("LV", 1).public_key(), t0())],
        vec![PublishedKey::new(encryption("LV", 1).public_key(), t0())],
    );
    let err =
        directory.apply_rotation(SignedEntry::sign(&e3, &signing("LV", 1)).unwrap(), &operator(), t1).unwrap_err();
    assert!(matches!(err, DirectoryError::RevocationLifted { .. }), "{err}");
    let mut e4 = e3.clone();
    e4.role = PeerRole::EuHub;
    e4.encryption_keys = vec![PublishedKey::new(encryption("LV", 2).public_key(), t1)];
    let err =
        directory.apply_rotation(SignedEntry::sign(&e4, &signing("LV", 1)).unwrap(), &operator(), t1).unwrap_err();
    assert!(matches!(err, DirectoryError::RoleChanged { .. }), "{err}");
}

#[test]
fn the_key_to_encrypt_to_is_the_newest_valid_one_at_the_time() {
    let t1 = t0() + Duration::days(10);
    let mut k1 = PublishedKey::new(encryption("LV", 1).public_key(), t0());
    k1.valid_until = Some(t1 + Duration::days(7));
    let k2 = PublishedKey::new(encryption("LV", 2).public_key(), t1);
    let mut k3 = PublishedKey::new(encryption("LV", 3).public_key(), t1 + Duration::days(1));
    k3.revoked_at = Some(t1 + Duration::days(1));
    let keys = vec![k1.clone(), k2.clone(), k3];
    assert_eq!(select_valid(&keys, t0()), Some(k1.clone()));
    assert_eq!(select_valid(&keys, t1 - Duration::seconds(1)), Some(k1.clone()));
    assert_eq!(select_valid(&keys, t1), Some(k2.clone()));
    assert_eq!(select_valid(&keys, t1 + Duration::days(30)), Some(k2));
    assert_eq!(select_valid(&keys, t0() - Duration::days(1)), None);
    assert_eq!(k1.status_at(t1 + Duration::days(7)), KeyStatus::Expired { valid_until: t1 + Duration::days(7) });
}

#[test]
fn entries_with_unsafe_endpoints_or_inconsistent_keys_are_refused_naming_the_field() {
    let signer = signing("LV", 1);
    let mut e = first_entry("LV").entry().clone();
    for (endpoint, ok) in [
        ("https://lv.haven.example/exchange", true),
        ("http://127.0.0.1:8443/exchange", true),
        ("http://localhost:8443/", true),
        ("http://lv.haven.example/exchange", false),
        ("https://user:pw@lv.haven.example/", false),
        ("ftp://lv.haven.example/", false),
        ("https://lv.haven.example/?x=1", false),
        ("not a url", false),
    ] {
        e.endpoint = endpoint.to_owned();
        let result = SignedEntry::sign(&e, &signer);
        assert_eq!(result.is_ok(), ok, "{endpoint}");
        if let Err(err) = result {
            assert_eq!(err.field, "entry.endpoint");
        }
    }
    let mut e = first_entry("LV").entry().clone();
    e.signing_keys[0].key_id = signing("LV", 2).key_id().clone();
    assert_eq!(SignedEntry::sign(&e, &signer).unwrap_err().field, "entry.signing_keys[0].key_id");
    let mut e = first_entry("LV").entry().clone();
    e.encryption_keys[0].valid_until = Some(t0());
    assert_eq!(SignedEntry::sign(&e, &signer).unwrap_err().field, "entry.encryption_keys[0].valid_until");
    let mut e = first_entry("LV").entry().clone();
    e.encryption_keys.clear();
    assert_eq!(SignedEntry::sign(&e, &signer).unwrap_err().field, "entry.encryption_keys");
    let mut e = first_entry("LV").entry().clone();
    e.signing_keys.push(e.signing_keys[0].clone());
    assert_eq!(SignedEntry::sign(&e, &signer).unwrap_err().field, "entry.signing_keys[1].key_id");
}

#[test]
fn a_signed_entry_round_trips_through_its_json_and_names_a_bad_field() {
    let signed = first_entry("EU");
    assert_eq!(SignedEntry::parse(&signed.to_json()).unwrap(), signed);
    assert_eq!(signed.entry().role, PeerRole::EuHub);
    let mut json: serde_json::Value = serde_json::from_slice(&signed.to_json()).unwrap();
    let bytes = haven_exchange::encoding::b64_decode(json["entry"].as_str().unwrap()).unwrap();
    let mut entry: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    entry["signing_keys"][0]["valid_from"] = serde_json::Value::String("yesterday".into());
    json["entry"] =
        serde_json::Value::String(haven_exchange::encoding::b64_encode(&serde_json::to_vec(&entry).unwrap()));
    let err = SignedEntry::parse(&serde_json::to_vec(&json).unwrap()).unwrap_err();
    assert_eq!(err.field, "entry.signing_keys[0].valid_from");
}

#[test]
fn the_spoken_fingerprint_is_the_first_sixteen_bytes_of_the_key_id_in_groups() {
    let key_id = haven_exchange::KeyId::of_public_key(&[0u8; 32]);
    assert_eq!(spoken_fingerprint(&key_id), "6668 7AAD F862 BD77 6C8F C18B 8E9F 8E20");
}
