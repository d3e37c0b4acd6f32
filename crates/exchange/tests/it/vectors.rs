//! The committed test vectors (tests/vectors/*.json, described in docs/transnational.md): opened
//! as another implementation would, and re-created byte for byte, since everything is
//! deterministic given the fixed seeds, including HPKE's ephemeral key (drawn from a fixed
//! `ephemeral_ikm` through `seal_with_rng`).
//!
//! `HAVEN_WRITE_TEST_VECTORS=1 cargo test -p haven-exchange --test it vectors` writes the files
//! anew (then review the change: a changed vector is a changed protocol).

use std::path::PathBuf;

use haven_exchange::encoding::{b64_decode, b64_encode, parse_time, sha256};
use haven_exchange::{
    Directory, DirectoryEntry, EncryptionKeyPair, Envelope, HPKE_INFO, LocalIdentity, MessageDraft, MessageType,
    PeerRole, PublishedKey, SignedEntry, SigningKeyPair, open, seal_with_rng,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::support::{FixedBytes, id};

const KEYS_FILE: &str = "keys.json";
const DIRECTORY_FILE: &str = "directory-entries.json";
const ENVELOPE_FILE: &str = "envelope-ping.json";

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn arr32(bytes: &[u8]) -> [u8; 32] {
    bytes.try_into().unwrap()
}

fn at(text: &str) -> OffsetDateTime {
    parse_time(text).unwrap()
}

const KEYS_VALID_FROM: &str = "2026-01-01T00:00:00Z";
const CREATED_AT: &str = "2026-12-06T12:00:00Z";
const EXPIRES_AT: &str = "2026-12-13T12:00:00Z";
const OPENED_AT: &str = "2026-12-06T12:01:00Z";
const MESSAGE_ID: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const BODY: &str = r#"{"text":"Sveiki no Rīgas","n":1}"#;

fn seed_label(instance: &str, kind: &str) -> String {
    format!("haven-exchange test vector {instance} {kind}")
}

struct VectorKeys {
    signing: SigningKeyPair,
    encryption: EncryptionKeyPair,
}

fn vector_keys(instance: &str) -> VectorKeys {
    VectorKeys {
        signing: SigningKeyPair::from_seed(&sha256(seed_label(instance, "signing").as_bytes())),
        encryption: EncryptionKeyPair::derive(&sha256(seed_label(instance, "encryption").as_bytes())),
    }
}

fn vector_entry(instance: &str, keys: &VectorKeys) -> SignedEntry {
    let entry = DirectoryEntry {
        instance_id: id(instance),
        role: PeerRole::NationalFocalPoint,
        endpoint: format!("https://{}.haven.example/exchange", instance.to_lowercase()),
        sequence: 1,
        issued_at: at(KEYS_VALID_FROM),
        signing_keys: vec![PublishedKey::new(keys.signing.public_key(), at(KEYS_VALID_FROM))],
        encryption_keys: vec![PublishedKey::new(keys.encryption.public_key(), at(KEYS_VALID_FROM))],
    };
    SignedEntry::sign(&entry, &keys.signing).unwrap()
}

fn ephemeral_ikm() -> [u8; 32] {
    sha256(b"haven-exchange test vector ephemeral")
}

/// The three files as this implementation makes them.
fn make_vectors() -> [(&'static str, Value); 3] {
    let mut instances = Vec::new();
    let mut entries = Vec::new();
    for instance in ["LV", "EE"] {
        let keys = vector_keys(instance);
        let signing_seed = sha256(seed_label(instance, "signing").as_bytes());
        let encryption_ikm = sha256(seed_label(instance, "encryption").as_bytes());
        instances.push(json!({
            "instance_id": instance,
            "signing_seed_label": seed_label(instance, "signing"),
            "signing_seed_hex": hex(&signing_seed),
            "signing_public_key": b64_encode(&keys.signing.public_key()),
            "signing_key_id": keys.signing.key_id().as_str(),
            "encryption_ikm_label": seed_label(instance, "encryption"),
            "encryption_ikm_hex": hex(&encryption_ikm),
            "encryption_private_key": b64_encode(&*keys.encryption.private_key()),
            "encryption_public_key": b64_encode(&keys.encryption.public_key()),
            "encryption_key_id": keys.encryption.key_id().as_str(),
        }));
        let signed = vector_entry(instance, &keys);
        let wire: Value = serde_json::from_slice(&signed.to_json()).unwrap();
        let entry_bytes = b64_decode(wire["entry"].as_str().unwrap()).unwrap();
        entries.push(json!({
            "instance_id": instance,
            "entry_json": String::from_utf8(entry_bytes).unwrap(),
            "signed_entry_json": String::from_utf8(signed.to_json()).unwrap(),
        }));
    }
    let keys = json!({
        "description": "Fixed key pairs of two instances. Ed25519 secret key = signing_seed (RFC 8032); X25519 key pair = HPKE DeriveKeyPair(encryption_ikm) of DHKEM(X25519, HKDF-SHA256) (RFC 9180 section 7.1.3); encryption_private_key is its SerializePrivateKey, clamped (section 7.1.2). Seeds and ikm are SHA-256 of the labels. Key id = base64url(SHA-256(raw public key)), no padding.",
        "instances": instances,
    });
    let directory = json!({
        "description": "The self-signed directory entries of the two instances: signed_entry_json is the exact JSON sent; its entry field is base64url of entry_json; the signature is Ed25519 over 'haven-exchange-directory-entry-v1' || 0x00 || u32be(len(entry)) || entry.",
        "entries": entries,
    });

    let lv = vector_keys("LV");
    let ee = vector_keys("EE");
    let lv_identity = LocalIdentity { instance_id: id("LV"), signing: lv.signing, encryption: vec![lv.encryption] };
    let mut lv_directory = Directory::new(lv_identity.signing.public_key());
    let ee_entry = vector_entry("EE", &ee);
    lv_directory.pin(ee_entry, ee.signing.key_id(), &lv_identity.signing, at(KEYS_VALID_FROM)).unwrap();
    let draft = MessageDraft {
        message_id: uuid::Uuid::parse_str(MESSAGE_ID).unwrap(),
        receiver: id("EE"),
        message_type: MessageType::parse("t", "ping").unwrap(),
        type_version: 1,
        created_at: at(CREATED_AT),
        expires_at: at(EXPIRES_AT),
        body: BODY.as_bytes().to_vec(),
    };
    let envelope = seal_with_rng(&draft, &lv_identity, &lv_directory, &mut FixedBytes::new(&ephemeral_ikm())).unwrap();
    let envelope_json = envelope.to_json();
    let inner = decrypt(&envelope_json, &ee.encryption);
    let inner_value: Value = serde_json::from_slice(&inner).unwrap();
    let envelope_value = json!({
        "description": "LV sends a ping to EE. header_json is the exact header (the HPKE associated data); the signature is Ed25519 over 'haven-exchange-message-v1' || 0x00 || u32be(len(header)) || header || u32be(len(body)) || body; inner_plaintext_json is what HPKE seals (base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, info 'haven-exchange-v1') with the ephemeral key pair DeriveKeyPair(ephemeral_ikm); envelope_json is the exact envelope. Opened at opened_at by EE, it gives header_json and body_json.",
        "sender": "LV",
        "receiver": "EE",
        "opened_at": OPENED_AT,
        "header_json": String::from_utf8(envelope.header_bytes().to_vec()).unwrap(),
        "body_json": BODY,
        "signature": inner_value["signature"],
        "inner_plaintext_json": String::from_utf8(inner).unwrap(),
        "hpke_info": String::from_utf8(HPKE_INFO.to_vec()).unwrap(),
        "ephemeral_ikm_hex": hex(&ephemeral_ikm()),
        "envelope_json": String::from_utf8(envelope_json).unwrap(),
    });
    [(KEYS_FILE, keys), (DIRECTORY_FILE, directory), (ENVELOPE_FILE, envelope_value)]
}

type Kem = hpke::kem::X25519HkdfSha256;

/// Opens the HPKE layer only, as an interoperating implementation would first.
fn decrypt(envelope: &[u8], receiver: &EncryptionKeyPair) -> Vec<u8> {
    use hpke::Deserializable as _;
    let json: Value = serde_json::from_slice(envelope).unwrap();
    let field = |name: &str| b64_decode(json[name].as_str().unwrap()).unwrap();
    let private = <Kem as hpke::Kem>::PrivateKey::from_bytes(&*receiver.private_key()).unwrap();
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&field("enc")).unwrap();
    hpke::single_shot_open::<hpke::aead::ChaCha20Poly1305, hpke::kdf::HkdfSha256, Kem>(
        &hpke::OpModeR::Base,
        &private,
        &enc,
        HPKE_INFO,
        &field("ciphertext"),
        &field("header"),
    )
    .unwrap()
}

fn read(file: &str) -> Value {
    let path = vectors_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_else(|| panic!("{field} missing")).to_owned()
}

#[test]
fn the_committed_test_vectors_open_with_the_keys_they_state() {
    let keys = read(KEYS_FILE);
    let directory = read(DIRECTORY_FILE);
    let vector = read(ENVELOPE_FILE);
    let key_of = |instance: &str| {
        keys["instances"].as_array().unwrap().iter().find(|k| k["instance_id"] == instance).unwrap().clone()
    };
    // The key pairs from the stated seeds give the stated public keys and key ids.
    let mut pairs = Vec::new();
    for instance in ["LV", "EE"] {
        let k = key_of(instance);
        let signing = SigningKeyPair::from_seed(&arr32(&unhex(&text(&k, "signing_seed_hex"))));
        assert_eq!(b64_encode(&signing.public_key()), text(&k, "signing_public_key"));
        assert_eq!(signing.key_id().as_str(), text(&k, "signing_key_id"));
        let encryption = EncryptionKeyPair::derive(&arr32(&unhex(&text(&k, "encryption_ikm_hex"))));
        assert_eq!(b64_encode(&encryption.public_key()), text(&k, "encryption_public_key"));
        assert_eq!(b64_encode(&*encryption.private_key()), text(&k, "encryption_private_key"));
        assert_eq!(encryption.key_id().as_str(), text(&k, "encryption_key_id"));
        assert_eq!(sha256(text(&k, "signing_seed_label").as_bytes()).to_vec(), unhex(&text(&k, "signing_seed_hex")));
        pairs.push((instance, signing, encryption));
    }
    let (_, ee_signing, ee_encryption) = pairs.pop().unwrap();
    // EE pins LV's and its own entry from the vector file, confirming the stated key ids.
    let mut ee_directory = Directory::new(ee_signing.public_key());
    for e in directory["entries"].as_array().unwrap() {
        let instance = text(e, "instance_id");
        let signed = SignedEntry::parse(text(e, "signed_entry_json").as_bytes()).unwrap();
        assert_eq!(signed.entry(), &DirectoryEntry::parse(text(e, "entry_json").as_bytes()).unwrap());
        let confirmed = haven_exchange::KeyId::parse("t", &text(&key_of(&instance), "signing_key_id")).unwrap();
        ee_directory.pin(signed, &confirmed, &ee_signing, at(KEYS_VALID_FROM)).unwrap();
    }
    let ee = LocalIdentity { instance_id: id("EE"), signing: ee_signing, encryption: vec![ee_encryption] };
    // The HPKE layer gives the stated inner plaintext, and open() the stated header and body.
    let envelope = text(&vector, "envelope_json");
    assert_eq!(decrypt(envelope.as_bytes(), &ee.encryption[0]), text(&vector, "inner_plaintext_json").as_bytes());
    let opened = open(envelope.as_bytes(), at(&text(&vector, "opened_at")), &ee, &ee_directory).unwrap();
    assert_eq!(Envelope::parse(envelope.as_bytes()).unwrap().header_bytes(), text(&vector, "header_json").as_bytes());
    assert_eq!(opened.body, text(&vector, "body_json").as_bytes());
    assert_eq!(opened.header.message_id.to_string(), MESSAGE_ID);
}

#[test]
fn the_test_vectors_are_recreated_byte_for_byte() {
    let write = std::env::var("HAVEN_WRITE_TEST_VECTORS").is_ok_and(|v| v == "1");
    for (file, value) in make_vectors() {
        let made = serde_json::to_string_pretty(&value).unwrap() + "\n";
        let path = vectors_dir().join(file);
        if write {
            std::fs::write(&path, &made).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == made,
            "{} differs from what this implementation makes; if the protocol changed on purpose, run with HAVEN_WRITE_TEST_VECTORS=1 and review",
            path.display()
        );
    }
}
