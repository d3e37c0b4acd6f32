//! The exchange envelope (haven_exchange): any bytes through the envelope parser, the header,
//! signed directory entry and stored directory parsers, the message bodies (acknowledgement,
//! referral), and open() with fixed keys; or, chosen by the first byte, a valid envelope from LV
//! to EE with the input XORed into it, which open() must refuse unless nothing changed. Never a
//! panic; a body that parses is written out and parses again to the same value.
#![no_main]

use std::sync::OnceLock;

use haven_exchange::messages::acknowledgement::Acknowledgement;
use haven_exchange::messages::referral::Referral;
use haven_exchange::{
    Directory, DirectoryEntry, EncryptionKeyPair, Envelope, Header, InstanceId, LocalIdentity, MessageDraft,
    MessageType, PeerRole, PublishedKey, SignedEntry, SigningKeyPair, open, seal,
};
use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;

struct Fixture {
    ee: LocalIdentity,
    ee_directory: Directory,
    envelope: Vec<u8>,
    now: OffsetDateTime,
}

fn instance(text: &str) -> InstanceId {
    InstanceId::parse("fuzz", text).unwrap()
}

fn entry(id: &str, signing: &SigningKeyPair, encryption: &EncryptionKeyPair, from: OffsetDateTime) -> SignedEntry {
    let e = DirectoryEntry {
        instance_id: instance(id),
        role: PeerRole::NationalFocalPoint,
        endpoint: format!("https://{}.haven.example/exchange", id.to_lowercase()),
        sequence: 1,
        issued_at: from,
        signing_keys: vec![PublishedKey::new(signing.public_key(), from)],
        encryption_keys: vec![PublishedKey::new(encryption.public_key(), from)],
    };
    SignedEntry::sign(&e, signing).unwrap()
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let from = OffsetDateTime::from_unix_timestamp(1_780_000_000).unwrap();
        let now = from + time::Duration::hours(1);
        let lv = LocalIdentity {
            instance_id: instance("LV"),
            signing: SigningKeyPair::from_seed(&[1; 32]),
            encryption: vec![EncryptionKeyPair::derive(&[2; 32])],
        };
        let ee = LocalIdentity {
            instance_id: instance("EE"),
            signing: SigningKeyPair::from_seed(&[3; 32]),
            encryption: vec![EncryptionKeyPair::derive(&[4; 32])],
        };
        let lv_entry = entry("LV", &lv.signing, &lv.encryption[0], from);
        let ee_entry = entry("EE", &ee.signing, &ee.encryption[0], from);
        let mut lv_directory = Directory::new(lv.signing.public_key());
        lv_directory.pin(ee_entry.clone(), ee.signing.key_id(), &lv.signing, from).unwrap();
        let mut ee_directory = Directory::new(ee.signing.public_key());
        ee_directory.pin(lv_entry, lv.signing.key_id(), &ee.signing, from).unwrap();
        ee_directory.pin(ee_entry, ee.signing.key_id(), &ee.signing, from).unwrap();
        let draft = MessageDraft {
            message_id: uuid::Uuid::from_u128(1),
            receiver: instance("EE"),
            message_type: MessageType::parse("fuzz", "ping").unwrap(),
            type_version: 1,
            created_at: now,
            expires_at: now + time::Duration::days(1),
            body: br#"{"text":"fuzz"}"#.to_vec(),
        };
        let envelope = seal(&draft, &lv, &lv_directory).unwrap().to_json();
        Fixture { ee, ee_directory, envelope, now }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    match data.split_first() {
        Some((0xE5, mask)) if !mask.is_empty() => {
            let mut envelope = f.envelope.clone();
            let start = usize::from(mask[0]) * envelope.len() / 256;
            let mut changed = false;
            for (i, m) in mask[1..].iter().enumerate() {
                if let Some(b) = envelope.get_mut(start + i) {
                    *b ^= m;
                    changed |= *m != 0;
                }
            }
            let result = open(&envelope, f.now, &f.ee, &f.ee_directory);
            assert_eq!(result.is_ok(), !changed, "a changed envelope opened, or the unchanged one did not");
        }
        _ => {
            let _ = Envelope::parse(data);
            let _ = Header::parse(data);
            let _ = SignedEntry::parse(data);
            let _ = Directory::load([0; 32], [data]);
            if let Ok(ack) = Acknowledgement::parse(data) {
                let again = Acknowledgement::parse(&ack.to_json().unwrap()).unwrap();
                assert_eq!(again, ack);
            }
            let today = f.now.date();
            if let Ok(referral) = Referral::parse(data, today) {
                let again = Referral::parse(&referral.to_json(today).unwrap(), today).unwrap();
                assert_eq!(again, referral);
            }
            if let Err(e) = open(data, f.now, &f.ee, &f.ee_directory) {
                let _ = (e.code(), e.http_status(), e.to_string());
            } else {
                panic!("arbitrary bytes opened");
            }
        }
    }
});
