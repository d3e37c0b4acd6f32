//! Fixed keys and two instances (LV and EE) that have pinned each other and themselves.

use haven_exchange::encoding::{parse_time, sha256};
use haven_exchange::rand_core::{TryCryptoRng, TryRng};
use haven_exchange::{
    Directory, DirectoryEntry, EncryptionKeyPair, InstanceId, LocalIdentity, MessageDraft, MessageType, PeerRole,
    PublishedKey, SignedEntry, SigningKeyPair,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub fn t(text: &str) -> OffsetDateTime {
    parse_time(text).expect("test time")
}

/// When the instances pinned each other.
pub fn t0() -> OffsetDateTime {
    t("2026-12-01T10:00:00Z")
}

pub fn id(text: &str) -> InstanceId {
    InstanceId::parse("test", text).expect("test instance id")
}

/// The 32-byte seed of a test key: SHA-256 of a label.
pub fn seed(label: &str) -> [u8; 32] {
    sha256(label.as_bytes())
}

pub fn signing(instance: &str, n: u32) -> SigningKeyPair {
    SigningKeyPair::from_seed(&seed(&format!("haven-exchange test {instance} signing {n}")))
}

pub fn encryption(instance: &str, n: u32) -> EncryptionKeyPair {
    EncryptionKeyPair::derive(&seed(&format!("haven-exchange test {instance} encryption {n}")))
}

pub fn endpoint(instance: &str) -> String {
    format!("https://{}.haven.example/exchange", instance.to_lowercase())
}

/// An entry listing the given keys, each valid from `valid_from`.
pub fn entry(
    instance: &str,
    role: PeerRole,
    sequence: u64,
    issued_at: OffsetDateTime,
    signing_keys: Vec<PublishedKey>,
    encryption_keys: Vec<PublishedKey>,
) -> DirectoryEntry {
    DirectoryEntry {
        instance_id: id(instance),
        role,
        endpoint: endpoint(instance),
        sequence,
        issued_at,
        signing_keys,
        encryption_keys,
    }
}

/// The first entry of an instance: its signing and encryption keys number 1, valid from t0.
pub fn first_entry(instance: &str) -> SignedEntry {
    let role = if instance == "EU" { PeerRole::EuHub } else { PeerRole::NationalFocalPoint };
    let signer = signing(instance, 1);
    let e = entry(
        instance,
        role,
        1,
        t0(),
        vec![PublishedKey::new(signer.public_key(), t0())],
        vec![PublishedKey::new(encryption(instance, 1).public_key(), t0())],
    );
    SignedEntry::sign(&e, &signer).expect("test entry")
}

pub struct Instance {
    pub identity: LocalIdentity,
    pub directory: Directory,
}

impl Instance {
    /// An instance with key pairs number 1, that has pinned itself and `peers` at t0.
    pub fn new(instance: &str, peers: &[&str]) -> Instance {
        let identity = LocalIdentity {
            instance_id: id(instance),
            signing: signing(instance, 1),
            encryption: vec![encryption(instance, 1)],
        };
        let mut directory = Directory::new(identity.signing.public_key());
        for peer in std::iter::once(&instance).chain(peers) {
            let signed = first_entry(peer);
            let confirmed = signed.signed_by().clone();
            directory.pin(signed, &confirmed, &identity.signing, t0()).expect("pin");
        }
        Instance { identity, directory }
    }
}

/// A referral-like draft from now on to `receiver`, valid for a day.
pub fn draft(receiver: &str, created_at: OffsetDateTime) -> MessageDraft {
    MessageDraft {
        message_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
        receiver: id(receiver),
        message_type: MessageType::parse("test", "ping").expect("type"),
        type_version: 1,
        created_at,
        expires_at: created_at + time::Duration::days(1),
        body: br#"{"text":"Sveiki no R\u012bgas","n":1}"#.to_vec(),
    }
}

/// Random bytes that are not random: the given bytes, in order (for the ephemeral key of test
/// vectors only).
pub struct FixedBytes {
    bytes: Vec<u8>,
    position: usize,
}

impl FixedBytes {
    pub fn new(bytes: &[u8]) -> FixedBytes {
        FixedBytes { bytes: bytes.to_vec(), position: 0 }
    }
}

impl TryRng for FixedBytes {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        let end = self.position + dst.len();
        assert!(end <= self.bytes.len(), "the fixed bytes ran out");
        dst.copy_from_slice(&self.bytes[self.position..end]);
        self.position = end;
        Ok(())
    }
}

impl TryCryptoRng for FixedBytes {}

/// Changes one base64url field of an envelope's JSON with `change` applied to its bytes.
pub fn change_field(envelope: &[u8], field: &str, change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    use haven_exchange::encoding::{b64_decode, b64_encode};
    let mut json: serde_json::Value = serde_json::from_slice(envelope).expect("envelope json");
    let mut bytes = b64_decode(json[field].as_str().expect("field")).expect("base64url");
    change(&mut bytes);
    json[field] = serde_json::Value::String(b64_encode(&bytes));
    serde_json::to_vec(&json).expect("json")
}
