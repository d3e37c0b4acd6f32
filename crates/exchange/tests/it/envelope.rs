//! Sealing and opening envelopes between LV and EE, and every way opening refuses.

use haven_exchange::encoding::{b64_decode, b64_encode, sha256, signing_input};
use haven_exchange::{
    Envelope, HPKE_INFO, KeyRole, LocalIdentity, MAX_CLOCK_SKEW, MAX_ENVELOPE_BYTES, MESSAGE_SIGNATURE_LABEL,
    OpenError, PeerRole, PublishedKey, SealError, SeenMessages, SignedEntry, open, seal,
};
use time::Duration;

use crate::support::*;

fn lv_and_ee() -> (Instance, Instance) {
    (Instance::new("LV", &["EE"]), Instance::new("EE", &["LV"]))
}

#[test]
fn a_sealed_message_opens_at_the_receiver_with_the_header_and_body_the_sender_gave() {
    let (lv, ee) = lv_and_ee();
    let now = t0() + Duration::hours(1);
    let envelope = seal(&draft("EE", now), &lv.identity, &lv.directory).unwrap();
    let opened = open(&envelope.to_json(), now, &ee.identity, &ee.directory).unwrap();
    assert_eq!(opened.header.sender, id("LV"));
    assert_eq!(opened.header.receiver, id("EE"));
    assert_eq!(&opened.header.sender_signing_key, lv.identity.signing.key_id());
    assert_eq!(&opened.header.receiver_encryption_key, ee.identity.encryption[0].key_id());
    assert_eq!(opened.body, draft("EE", now).body);
    let body: serde_json::Value = opened.body_as().unwrap();
    assert_eq!(body["text"], "Sveiki no Rīgas");
}

#[test]
fn the_body_is_not_readable_in_the_envelope() {
    let (lv, _) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let text = String::from_utf8(envelope).unwrap();
    assert!(!text.contains("Sveiki"));
    assert!(!text.contains(&b64_encode(b"Sveiki")[..6]));
}

#[test]
fn two_seals_of_the_same_draft_differ_by_their_ephemeral_key() {
    let (lv, _) = lv_and_ee();
    let a = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let b = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    assert_ne!(a, b);
}

#[test]
fn a_changed_ciphertext_is_refused_as_decryption_failed() {
    let (lv, ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    for position in [0usize, 10, 40] {
        let tampered = change_field(&envelope, "ciphertext", |c| c[position] ^= 1);
        let err = open(&tampered, t0(), &ee.identity, &ee.directory).unwrap_err();
        assert_eq!(err, OpenError::DecryptionFailed);
        assert_eq!(err.http_status(), 400);
    }
    let truncated = change_field(&envelope, "ciphertext", |c| c.truncate(c.len() - 1));
    assert_eq!(open(&truncated, t0(), &ee.identity, &ee.directory), Err(OpenError::DecryptionFailed));
}

#[test]
fn a_changed_encapsulated_key_is_refused_as_decryption_failed() {
    let (lv, ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let tampered = change_field(&envelope, "enc", |e| e[0] ^= 0x80);
    assert_eq!(open(&tampered, t0(), &ee.identity, &ee.directory), Err(OpenError::DecryptionFailed));
}

#[test]
fn a_changed_header_is_refused_because_it_is_the_associated_data() {
    let (lv, ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    for (from, to) in [(&b"\"ping\""[..], &b"\"pong\""[..]), (b"\"type_version\":1", b"\"type_version\":2")] {
        let tampered = change_field(&envelope, "header", |h| {
            let text = String::from_utf8(h.clone()).unwrap();
            let changed = text.replacen(std::str::from_utf8(from).unwrap(), std::str::from_utf8(to).unwrap(), 1);
            assert_ne!(text, changed);
            *h = changed.into_bytes();
        });
        assert_eq!(open(&tampered, t0(), &ee.identity, &ee.directory), Err(OpenError::DecryptionFailed));
    }
}

/// Anyone can encrypt to the receiver's public key: without the sender's signing key a message
/// (or a header changed and encrypted anew) does not verify.
#[test]
fn a_message_encrypted_anew_without_the_senders_key_is_refused_as_bad_signature() {
    let (lv, ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let parsed = Envelope::parse(&envelope).unwrap();
    let inner = decrypt_inner(&envelope, &ee.identity);

    // The body changed, the signature kept.
    let mut forged_inner: serde_json::Value = serde_json::from_slice(&inner).unwrap();
    forged_inner["body"] = serde_json::Value::String(b64_encode(br#"{"text":"forged"}"#));
    let forged = reencrypt(parsed.header_bytes(), &serde_json::to_vec(&forged_inner).unwrap(), &ee.identity);
    let err = open(&forged, t0(), &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::BadSignature);
    assert_eq!(err.http_status(), 401);

    // The header changed (another message type), the inner part kept.
    let header = String::from_utf8(parsed.header_bytes().to_vec()).unwrap().replace("\"ping\"", "\"pong\"");
    let forged = reencrypt(header.as_bytes(), &inner, &ee.identity);
    assert_eq!(open(&forged, t0(), &ee.identity, &ee.directory), Err(OpenError::BadSignature));

    // Signed by another key under LV's key id.
    let body = br#"{"text":"forged"}"#;
    let input = signing_input(MESSAGE_SIGNATURE_LABEL, &[parsed.header_bytes(), body]);
    let signature = ed25519_sign(&seed("haven-exchange test LV signing 99"), &input);
    let forged_inner = serde_json::json!({"body": b64_encode(body), "signature": b64_encode(&signature)});
    let forged = reencrypt(parsed.header_bytes(), &serde_json::to_vec(&forged_inner).unwrap(), &ee.identity);
    assert_eq!(open(&forged, t0(), &ee.identity, &ee.directory), Err(OpenError::BadSignature));
}

fn ed25519_sign(seed: &[u8; 32], message: &[u8]) -> [u8; 64] {
    use ed25519_dalek::Signer as _;
    ed25519_dalek::SigningKey::from_bytes(seed).sign(message).to_bytes()
}

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type Aead = hpke::aead::ChaCha20Poly1305;

fn decrypt_inner(envelope: &[u8], receiver: &LocalIdentity) -> Vec<u8> {
    use hpke::Deserializable as _;
    let json: serde_json::Value = serde_json::from_slice(envelope).unwrap();
    let field = |name: &str| b64_decode(json[name].as_str().unwrap()).unwrap();
    let private = <Kem as hpke::Kem>::PrivateKey::from_bytes(&*receiver.encryption[0].private_key()).unwrap();
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&field("enc")).unwrap();
    hpke::single_shot_open::<Aead, Kdf, Kem>(
        &hpke::OpModeR::Base,
        &private,
        &enc,
        HPKE_INFO,
        &field("ciphertext"),
        &field("header"),
    )
    .unwrap()
}

fn reencrypt(header: &[u8], inner: &[u8], receiver: &LocalIdentity) -> Vec<u8> {
    use hpke::{Deserializable as _, Serializable as _};
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&receiver.encryption[0].public_key()).unwrap();
    let mut rng = FixedBytes::new(&sha256(b"reencrypt"));
    let (enc, ciphertext) = hpke::single_shot_seal_with_rng::<Aead, Kdf, Kem>(
        &hpke::OpModeS::Base,
        &public,
        HPKE_INFO,
        inner,
        header,
        &mut rng,
    )
    .unwrap();
    serde_json::to_vec(&serde_json::json!({
        "header": b64_encode(header),
        "enc": b64_encode(&enc.to_bytes()),
        "ciphertext": b64_encode(&ciphertext),
    }))
    .unwrap()
}

#[test]
fn a_message_seen_before_is_refused_as_replayed_by_the_receivers_check() {
    let (lv, ee) = lv_and_ee();
    let now = t0() + Duration::hours(1);
    let envelope = seal(&draft("EE", now), &lv.identity, &lv.directory).unwrap().to_json();
    let mut seen = SeenMessages::new();
    let first = open(&envelope, now, &ee.identity, &ee.directory).unwrap();
    assert_eq!(seen.record(&first.header, now), Ok(()));
    // The same envelope again, and the same message id sealed anew: both open, both are replays.
    let again = open(&envelope, now + Duration::minutes(5), &ee.identity, &ee.directory).unwrap();
    let err = seen.record(&again.header, now + Duration::minutes(5)).unwrap_err();
    assert_eq!(err, OpenError::Replayed { message_id: first.header.message_id });
    assert_eq!(err.http_status(), 409);
    let resealed = seal(&draft("EE", now), &lv.identity, &lv.directory).unwrap().to_json();
    let resealed = open(&resealed, now, &ee.identity, &ee.directory).unwrap();
    assert!(seen.record(&resealed.header, now).is_err());
    // Once the message has expired its id is forgotten, and the envelope is refused as expired.
    let later = first.header.expires_at;
    assert!(matches!(open(&envelope, later, &ee.identity, &ee.directory), Err(OpenError::Expired { .. })));
    let mut other = draft("EE", later);
    other.message_id = uuid::Uuid::from_u128(2);
    let other = seal(&other, &lv.identity, &lv.directory).unwrap().to_json();
    let other = open(&other, later, &ee.identity, &ee.directory).unwrap();
    seen.record(&other.header, later).unwrap();
    assert_eq!(seen.len(), 1);
}

#[test]
fn a_message_is_refused_as_expired_from_its_expiry_on() {
    let (lv, ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let expires = t0() + Duration::days(1);
    assert!(open(&envelope, expires - Duration::seconds(1), &ee.identity, &ee.directory).is_ok());
    let err = open(&envelope, expires, &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::Expired { expires_at: expires });
    assert_eq!(err.http_status(), 410);
}

#[test]
fn a_message_from_the_future_beyond_the_clock_skew_is_refused_as_not_yet_valid() {
    let (lv, ee) = lv_and_ee();
    let created = t0() + Duration::hours(2);
    let envelope = seal(&draft("EE", created), &lv.identity, &lv.directory).unwrap().to_json();
    assert!(open(&envelope, created - MAX_CLOCK_SKEW, &ee.identity, &ee.directory).is_ok());
    let err =
        open(&envelope, created - MAX_CLOCK_SKEW - Duration::seconds(1), &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::NotYetValid { created_at: created });
    assert_eq!(err.http_status(), 422);
}

#[test]
fn a_message_for_another_instance_is_refused_as_wrong_receiver() {
    let lv = Instance::new("LV", &["EE", "LT"]);
    let lt = Instance::new("LT", &["LV", "EE"]);
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let err = open(&envelope, t0(), &lt.identity, &lt.directory).unwrap_err();
    assert_eq!(err, OpenError::WrongReceiver { receiver: id("EE") });
    assert_eq!(err.code(), "wrong_receiver");
}

#[test]
fn a_message_encrypted_to_a_key_the_receiver_does_not_hold_is_refused_as_unknown_key() {
    let (lv, mut ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let sealed_to = ee.identity.encryption[0].key_id().clone();
    ee.identity.encryption = vec![encryption("EE", 2)];
    let err = open(&envelope, t0(), &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::UnknownKey { role: KeyRole::ReceiverEncryption, key_id: sealed_to });
    assert_eq!(err.http_status(), 422);
}

#[test]
fn a_message_from_an_instance_not_in_the_directory_is_refused_as_unknown_sender() {
    let lt = Instance::new("LT", &["EE"]);
    let ee = Instance::new("EE", &["LV"]);
    let envelope = seal(&draft("EE", t0()), &lt.identity, &lt.directory).unwrap().to_json();
    let err = open(&envelope, t0(), &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::UnknownSender { sender: id("LT") });
    assert_eq!(err.http_status(), 403);
}

#[test]
fn a_message_signed_with_a_revoked_key_is_refused_from_the_revocation_on() {
    let (lv, mut ee) = lv_and_ee();
    let revoked_at = t0() + Duration::hours(3);
    let key = lv.identity.signing.key_id().clone();
    ee.directory.revoke(&id("LV"), &key, revoked_at, &ee.identity.signing, t0() + Duration::hours(1)).unwrap();
    // Created before the revocation, opened before it: accepted.
    let before = seal(&draft("EE", t0() + Duration::hours(2)), &lv.identity, &lv.directory).unwrap().to_json();
    assert!(open(&before, t0() + Duration::hours(2), &ee.identity, &ee.directory).is_ok());
    // The same envelope opened after the revocation: refused, whatever its created_at.
    let err = open(&before, revoked_at, &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::KeyRevoked { role: KeyRole::SenderSigning, key_id: key, revoked_at });
    assert_eq!(err.http_status(), 401);
}

#[test]
fn a_message_sealed_to_a_receiver_key_it_has_revoked_is_refused() {
    let (lv, mut ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let own = ee.identity.encryption[0].key_id().clone();
    ee.directory.revoke(&id("EE"), &own, t0(), &ee.identity.signing, t0()).unwrap();
    let err = open(&envelope, t0() + Duration::minutes(1), &ee.identity, &ee.directory).unwrap_err();
    assert!(matches!(err, OpenError::KeyRevoked { role: KeyRole::ReceiverEncryption, .. }), "{err}");
}

/// LV rotates its signing key at t1 with a week of overlap; EE applies the rotation.
fn rotate_lv_signing(ee: &mut Instance, t1: time::OffsetDateTime) -> LocalIdentity {
    let old = signing("LV", 1);
    let new = signing("LV", 2);
    let mut old_key = PublishedKey::new(old.public_key(), t0());
    old_key.valid_until = Some(t1 + Duration::days(7));
    let e = entry(
        "LV",
        PeerRole::NationalFocalPoint,
        2,
        t1,
        vec![old_key, PublishedKey::new(new.public_key(), t1)],
        vec![PublishedKey::new(encryption("LV", 1).public_key(), t0())],
    );
    let signed = SignedEntry::sign(&e, &old).unwrap();
    ee.directory.apply_rotation(signed, &ee.identity.signing, t1).unwrap();
    LocalIdentity { instance_id: id("LV"), signing: new, encryption: vec![encryption("LV", 1)] }
}

#[test]
fn after_a_rotation_the_old_key_is_accepted_during_the_overlap_and_refused_after_it() {
    let (lv_before, mut ee) = lv_and_ee();
    let t1 = t0() + Duration::days(10);
    let lv_after = rotate_lv_signing(&mut ee, t1);
    let lv_directory = Instance::new("LV", &["EE"]).directory;

    let in_overlap = t1 + Duration::days(3);
    let old_signed = seal(&draft("EE", in_overlap), &lv_before.identity, &lv_directory).unwrap().to_json();
    assert!(open(&old_signed, in_overlap, &ee.identity, &ee.directory).is_ok());
    let new_signed = seal(&draft("EE", in_overlap), &lv_after, &lv_directory).unwrap().to_json();
    assert!(open(&new_signed, in_overlap, &ee.identity, &ee.directory).is_ok());

    let after = t1 + Duration::days(8);
    let old_signed = seal(&draft("EE", after), &lv_before.identity, &lv_directory).unwrap().to_json();
    let err = open(&old_signed, after, &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(
        err,
        OpenError::KeyExpired {
            role: KeyRole::SenderSigning,
            key_id: lv_before.identity.signing.key_id().clone(),
            valid_until: t1 + Duration::days(7)
        }
    );
    let new_signed = seal(&draft("EE", after), &lv_after, &lv_directory).unwrap().to_json();
    assert!(open(&new_signed, after, &ee.identity, &ee.directory).is_ok());
}

#[test]
fn a_key_not_yet_valid_is_refused() {
    let (_, mut ee) = lv_and_ee();
    let t1 = t0() + Duration::days(10);
    let lv_after = rotate_lv_signing(&mut ee, t1);
    let lv_directory = Instance::new("LV", &["EE"]).directory;
    let early = t1 - Duration::days(1);
    let envelope = seal(&draft("EE", early), &lv_after, &lv_directory).unwrap().to_json();
    let err = open(&envelope, early, &ee.identity, &ee.directory).unwrap_err();
    assert!(matches!(err, OpenError::KeyNotYetValid { role: KeyRole::SenderSigning, .. }), "{err}");
}

#[test]
fn an_envelope_over_the_limit_is_refused_as_too_large_before_it_is_read() {
    let (_, ee) = lv_and_ee();
    let big = vec![b' '; MAX_ENVELOPE_BYTES + 1];
    let err = open(&big, t0(), &ee.identity, &ee.directory).unwrap_err();
    assert_eq!(err, OpenError::TooLarge { size: MAX_ENVELOPE_BYTES + 1, limit: MAX_ENVELOPE_BYTES });
    assert_eq!(err.http_status(), 413);
}

#[test]
fn a_body_that_would_make_the_envelope_too_large_is_not_sealed() {
    let (lv, _) = lv_and_ee();
    let mut d = draft("EE", t0());
    d.body = format!("\"{}\"", "a".repeat(MAX_ENVELOPE_BYTES)).into_bytes();
    assert!(matches!(seal(&d, &lv.identity, &lv.directory), Err(SealError::TooLarge { .. })));
}

#[test]
fn malformed_envelopes_are_refused_naming_the_field() {
    let (lv, ee) = lv_and_ee();
    let envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
    let mut json: serde_json::Value = serde_json::from_slice(&envelope).unwrap();
    let field_of = |bytes: &[u8]| open(bytes, t0(), &ee.identity, &ee.directory).unwrap_err();

    let mut missing = json.clone();
    missing.as_object_mut().unwrap().remove("enc");
    let err = field_of(&serde_json::to_vec(&missing).unwrap());
    assert_eq!(err.http_status(), 400);
    assert!(err.to_string().contains("enc"), "{err}");

    json["enc"] = serde_json::Value::String("AAAA".into());
    assert_eq!(field_of(&serde_json::to_vec(&json).unwrap()).field(), Some("enc"));

    let header = |text: &str| {
        let mut j: serde_json::Value = serde_json::from_slice(&envelope).unwrap();
        j["header"] = serde_json::Value::String(b64_encode(text.as_bytes()));
        field_of(&serde_json::to_vec(&j).unwrap())
    };
    let parsed = Envelope::parse(&envelope).unwrap();
    let good = String::from_utf8(parsed.header_bytes().to_vec()).unwrap();
    let err = header(&good.replace("\"sender\":\"LV\"", "\"sender\":\"lv\""));
    assert_eq!(err.field(), Some("header.sender"), "{err}");
    let err = header(&good.replace("\"type_version\":1", "\"type_version\":0"));
    assert_eq!(err.field(), Some("header.type_version"), "{err}");
    let err = header(&good.replace("2026-12-02T10:00:00Z", "2027-02-02T10:00:00Z"));
    assert_eq!(err.field(), Some("header.expires_at"), "{err}");
    let err = header(&good.replace("\"version\":1", "\"version\":2"));
    assert_eq!(err, OpenError::UnsupportedVersion { version: "2".into() });
    let err = header(&good.replacen('{', "{\"extra\":1,", 1));
    assert_eq!(err.http_status(), 400, "{err}");
    assert_eq!(field_of(b"not json").field(), Some("envelope"));
    assert_eq!(field_of(b"{}").http_status(), 400);
}
