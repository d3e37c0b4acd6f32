//! The directory of peers: every other instance this one exchanges with, its role, endpoint and
//! public keys, as the peer published them (a self-signed entry) and as the local operator pinned
//! them (a counter-signature over the entry and the local revocations).
//!
//! Trust model:
//! - **Pinned on add.** An operator adds a peer from its self-signed entry and the key id of the
//!   signing key that signed it, confirmed out of band (by the peer's focal point, by letter or by
//!   telephone). The entry must be signed by one of its own signing keys (proof of possession), and
//!   that key must be the confirmed one. The operator then counter-signs it with the instance's
//!   signing key, so a directory changed in storage by anyone without that key is refused on load.
//! - **Rotation signed by a current key.** A newer entry (higher `sequence`) replaces the pinned
//!   one only when it is signed by a signing key of the pinned entry that is valid and not revoked
//!   at the time of the rotation. Keys keep their ids (thumbprints); a rotation cannot lift a
//!   revocation nor change the peer's role.
//! - **Revocation immediate.** A key revoked (by the peer in a rotation, or locally by the
//!   operator) is refused from its `revoked_at` on, for every message still to be opened whatever
//!   its `created_at`, since a stolen key can sign any date. Local revocations survive rotations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

use crate::encoding::{b64_32, b64_64, b64_bytes, from_json, rfc3339_z, sha256, signing_input};
use crate::ids::{FieldError, InstanceId, KeyId};
use crate::keys::{SigningKeyPair, is_valid_signing_public_key, verify_signature};

/// Label of the signature over a directory entry.
pub const ENTRY_SIGNATURE_LABEL: &str = "haven-exchange-directory-entry-v1";
/// Label of the local operator's counter-signature over a pin record.
pub const PIN_SIGNATURE_LABEL: &str = "haven-exchange-directory-pin-v1";
/// The largest signed directory entry accepted, in bytes.
pub const MAX_ENTRY_BYTES: usize = 64 * 1024;
/// The JSON Schema of a signed directory entry, the body of a `directory_entry` message
/// (docs/transnational.md §3, §8.7); `$defs/entry` is the entry itself.
pub const DIRECTORY_ENTRY_SCHEMA: &str = include_str!("../schemas/directory_entry.v1.schema.json");
/// The most signing keys, and the most encryption keys, an entry may list.
pub const MAX_KEYS_PER_KIND: usize = 16;

/// What a peer is to this instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerRole {
    /// A country's national focal point for cross-border referral (Dir 2011/36 Art 11(4)).
    NationalFocalPoint,
    /// The EU level, which receives released statistics.
    EuHub,
}

/// One public key of a peer with its validity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedKey {
    /// The thumbprint of `public_key` ([`KeyId::of_public_key`]).
    pub key_id: KeyId,
    /// The raw 32-byte public key, base64url.
    #[serde(with = "b64_32")]
    pub public_key: [u8; 32],
    /// From when the key may be used.
    #[serde(with = "rfc3339_z")]
    pub valid_from: OffsetDateTime,
    /// Until when (exclusive); `null` while no successor is planned. Set at a rotation to the end
    /// of the overlap.
    #[serde(with = "rfc3339_z::option")]
    pub valid_until: Option<OffsetDateTime>,
    /// From when the key is refused, whatever its validity; `null` when not revoked.
    #[serde(with = "rfc3339_z::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// Why a key cannot be used at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    Valid,
    NotYetValid { valid_from: OffsetDateTime },
    Expired { valid_until: OffsetDateTime },
    Revoked { revoked_at: OffsetDateTime },
}

impl PublishedKey {
    /// The key's status at `at`: revocation first, then the validity window.
    pub fn status_at(&self, at: OffsetDateTime) -> KeyStatus {
        if let Some(revoked_at) = self.revoked_at.filter(|r| *r <= at) {
            return KeyStatus::Revoked { revoked_at };
        }
        if at < self.valid_from {
            return KeyStatus::NotYetValid { valid_from: self.valid_from };
        }
        if let Some(valid_until) = self.valid_until.filter(|u| at >= *u) {
            return KeyStatus::Expired { valid_until };
        }
        KeyStatus::Valid
    }

    /// A new key valid from `valid_from` with no end.
    pub fn new(public_key: [u8; 32], valid_from: OffsetDateTime) -> PublishedKey {
        PublishedKey {
            key_id: KeyId::of_public_key(&public_key),
            public_key,
            valid_from,
            valid_until: None,
            revoked_at: None,
        }
    }
}

/// A peer's entry as it publishes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryEntry {
    pub instance_id: InstanceId,
    pub role: PeerRole,
    /// The HTTPS base URL messages are delivered to (plain HTTP only to a loopback address).
    pub endpoint: String,
    /// Increases with every new version of the entry.
    pub sequence: u64,
    #[serde(with = "rfc3339_z")]
    pub issued_at: OffsetDateTime,
    pub signing_keys: Vec<PublishedKey>,
    pub encryption_keys: Vec<PublishedKey>,
}

impl DirectoryEntry {
    /// Reads and checks an entry: every field well formed, key ids the thumbprints of their keys,
    /// no key listed twice, validity windows that end after they start, at least one key of each
    /// kind and at most [`MAX_KEYS_PER_KIND`].
    pub fn parse(bytes: &[u8]) -> Result<DirectoryEntry, FieldError> {
        let entry: DirectoryEntry = from_json("entry", bytes)?;
        entry.check()?;
        Ok(entry)
    }

    fn check(&self) -> Result<(), FieldError> {
        check_endpoint(&self.endpoint)?;
        for (kind, keys) in [("signing_keys", &self.signing_keys), ("encryption_keys", &self.encryption_keys)] {
            if keys.is_empty() {
                return Err(FieldError::new(format!("entry.{kind}"), "at least one key is required"));
            }
            if keys.len() > MAX_KEYS_PER_KIND {
                return Err(FieldError::new(format!("entry.{kind}"), format!("at most {MAX_KEYS_PER_KIND} keys")));
            }
            for (i, key) in keys.iter().enumerate() {
                let field = |name: &str| format!("entry.{kind}[{i}].{name}");
                if KeyId::of_public_key(&key.public_key) != key.key_id {
                    return Err(FieldError::new(field("key_id"), "is not the SHA-256 thumbprint of public_key"));
                }
                if kind == "signing_keys" && !is_valid_signing_public_key(&key.public_key) {
                    return Err(FieldError::new(field("public_key"), "is not a usable Ed25519 public key"));
                }
                if key.valid_until.is_some_and(|u| u <= key.valid_from) {
                    return Err(FieldError::new(field("valid_until"), "must be later than valid_from"));
                }
                if keys[..i].iter().any(|k| k.key_id == key.key_id) {
                    return Err(FieldError::new(field("key_id"), "is listed twice"));
                }
            }
        }
        Ok(())
    }

    /// The signing key `key_id` of this entry.
    pub fn signing_key(&self, key_id: &KeyId) -> Option<&PublishedKey> {
        self.signing_keys.iter().find(|k| &k.key_id == key_id)
    }

    fn to_bytes(&self) -> Vec<u8> {
        // Serialising these plain types to JSON cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

fn check_endpoint(endpoint: &str) -> Result<(), FieldError> {
    let field = "entry.endpoint";
    let url = Url::parse(endpoint).map_err(|e| FieldError::new(field, format!("not a URL ({e})")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(FieldError::new(field, "must be an https URL (http only to a loopback address)")),
    }
    if url.host().is_none() || !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(field, "must name a host and carry no user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(FieldError::new(field, "must have no query and no fragment"));
    }
    Ok(())
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedEntryWire {
    #[serde(with = "b64_bytes")]
    entry: Vec<u8>,
    signed_by: KeyId,
    #[serde(with = "b64_64")]
    signature: [u8; 64],
}

/// An entry with the signature of the peer: the exact entry bytes are signed, so no JSON
/// canonicalisation is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedEntry {
    entry: DirectoryEntry,
    entry_bytes: Vec<u8>,
    signed_by: KeyId,
    signature: [u8; 64],
}

impl SignedEntry {
    /// Signs an entry with one of the peer's signing keys (normally one listed in the entry; for
    /// a rotation, one of the entry being replaced).
    pub fn sign(entry: &DirectoryEntry, key: &SigningKeyPair) -> Result<SignedEntry, FieldError> {
        entry.check()?;
        let entry_bytes = entry.to_bytes();
        let signature = key.sign(&signing_input(ENTRY_SIGNATURE_LABEL, &[&entry_bytes]));
        Ok(SignedEntry { entry: entry.clone(), entry_bytes, signed_by: key.key_id().clone(), signature })
    }

    /// Reads a signed entry (its JSON form, see [`SignedEntry::to_json`]) without checking the
    /// signature: see [`SignedEntry::verify_self_signed`] and [`Directory`].
    pub fn parse(bytes: &[u8]) -> Result<SignedEntry, FieldError> {
        if bytes.len() > MAX_ENTRY_BYTES {
            return Err(FieldError::new("entry", format!("larger than {MAX_ENTRY_BYTES} bytes")));
        }
        let wire: SignedEntryWire = from_json("signed_entry", bytes)?;
        let entry = DirectoryEntry::parse(&wire.entry)?;
        Ok(SignedEntry { entry, entry_bytes: wire.entry, signed_by: wire.signed_by, signature: wire.signature })
    }

    /// `{"entry": base64url(entry JSON), "signed_by": key id, "signature": base64url}`.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(&self.wire()).unwrap_or_default()
    }

    fn wire(&self) -> SignedEntryWire {
        SignedEntryWire {
            entry: self.entry_bytes.clone(),
            signed_by: self.signed_by.clone(),
            signature: self.signature,
        }
    }

    pub fn entry(&self) -> &DirectoryEntry {
        &self.entry
    }

    pub fn signed_by(&self) -> &KeyId {
        &self.signed_by
    }

    /// Whether the signature verifies under `public_key`.
    fn signature_verifies(&self, public_key: &[u8; 32]) -> bool {
        verify_signature(public_key, &signing_input(ENTRY_SIGNATURE_LABEL, &[&self.entry_bytes]), &self.signature)
    }

    /// Checks that the entry is signed by one of its own signing keys, valid and not revoked when
    /// the entry was issued.
    pub fn verify_self_signed(&self) -> Result<(), DirectoryError> {
        let key = self
            .entry
            .signing_key(&self.signed_by)
            .ok_or_else(|| DirectoryError::SignerNotInEntry { key_id: self.signed_by.clone() })?;
        if key.status_at(self.entry.issued_at) != KeyStatus::Valid {
            return Err(DirectoryError::SignerNotValid { key_id: self.signed_by.clone() });
        }
        if !self.signature_verifies(&key.public_key) {
            return Err(DirectoryError::BadSignature { instance_id: self.entry.instance_id.clone() });
        }
        Ok(())
    }
}

/// Everything that can go wrong with the directory.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("malformed directory record: {0}")]
    Malformed(#[from] FieldError),
    #[error("the entry is signed by key {key_id}, which the entry does not list as a signing key")]
    SignerNotInEntry { key_id: KeyId },
    #[error("the entry is signed by key {key_id}, which was not valid when the entry was issued")]
    SignerNotValid { key_id: KeyId },
    #[error("the signature of the entry of {instance_id} does not verify")]
    BadSignature { instance_id: InstanceId },
    #[error("the entry is signed by key {found}, not by the key confirmed out of band ({expected})")]
    FingerprintMismatch { expected: KeyId, found: KeyId },
    #[error("{instance_id} is pinned already; a new entry is a rotation")]
    AlreadyPinned { instance_id: InstanceId },
    #[error("{instance_id} is not in the directory")]
    UnknownPeer { instance_id: InstanceId },
    #[error("the entry of {instance_id} has sequence {found}, not later than the pinned {pinned}")]
    StaleEntry { instance_id: InstanceId, pinned: u64, found: u64 },
    #[error("a rotation must be signed by a signing key of the pinned entry valid now; {key_id} is not")]
    RotationNotSignedByCurrentKey { key_id: KeyId },
    #[error("the rotation would lift the revocation of key {key_id}")]
    RevocationLifted { key_id: KeyId },
    #[error("the rotation would change the role of {instance_id}; remove and pin the peer again")]
    RoleChanged { instance_id: InstanceId },
    #[error("{instance_id} has no key {key_id}")]
    UnknownKey { instance_id: InstanceId, key_id: KeyId },
    #[error("the directory is counter-signed by operator key {expected}; key {found} was given")]
    OperatorMismatch { expected: KeyId, found: KeyId },
    #[error("the local counter-signature of the pin of {instance_id} does not verify")]
    BadCountersignature { instance_id: InstanceId },
}

/// A local revocation of one of a peer's keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalRevocation {
    pub key_id: KeyId,
    #[serde(with = "rfc3339_z")]
    pub revoked_at: OffsetDateTime,
}

/// What the local operator counter-signs: the peer, the SHA-256 of its entry bytes, when it was
/// pinned (or last changed), and the local revocations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinRecord {
    instance_id: InstanceId,
    #[serde(with = "b64_32")]
    entry_sha256: [u8; 32],
    /// The public key that verified the entry's signature: one of its own keys when pinned, a key
    /// of the replaced entry after a rotation.
    #[serde(with = "b64_32")]
    entry_signer_public_key: [u8; 32],
    #[serde(with = "rfc3339_z")]
    pinned_at: OffsetDateTime,
    revocations: Vec<LocalRevocation>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinnedPeerWire {
    published: SignedEntryWire,
    #[serde(with = "b64_bytes")]
    pin: Vec<u8>,
    pinned_by: KeyId,
    #[serde(with = "b64_64")]
    countersignature: [u8; 64],
}

/// A peer as pinned here: its published entry, the local revocations, and the operator's
/// counter-signature over both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedPeer {
    published: SignedEntry,
    record: PinRecord,
    pin_bytes: Vec<u8>,
    pinned_by: KeyId,
    countersignature: [u8; 64],
}

impl PinnedPeer {
    fn countersign(
        published: SignedEntry,
        entry_signer_public_key: [u8; 32],
        revocations: Vec<LocalRevocation>,
        operator: &SigningKeyPair,
        now: OffsetDateTime,
    ) -> PinnedPeer {
        let record = PinRecord {
            instance_id: published.entry.instance_id.clone(),
            entry_sha256: sha256(&published.entry_bytes),
            entry_signer_public_key,
            pinned_at: now,
            revocations,
        };
        let pin_bytes = serde_json::to_vec(&record).unwrap_or_default();
        let countersignature = operator.sign(&signing_input(PIN_SIGNATURE_LABEL, &[&pin_bytes]));
        PinnedPeer { published, record, pin_bytes, pinned_by: operator.key_id().clone(), countersignature }
    }

    pub fn entry(&self) -> &DirectoryEntry {
        &self.published.entry
    }

    pub fn published(&self) -> &SignedEntry {
        &self.published
    }

    pub fn pinned_at(&self) -> OffsetDateTime {
        self.record.pinned_at
    }

    pub fn local_revocations(&self) -> &[LocalRevocation] {
        &self.record.revocations
    }

    /// A key as it counts here: as published, with a local revocation if earlier.
    fn effective(&self, key: &PublishedKey) -> PublishedKey {
        let local = self.record.revocations.iter().find(|r| r.key_id == key.key_id).map(|r| r.revoked_at);
        let revoked_at = match (key.revoked_at, local) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        PublishedKey { revoked_at, ..key.clone() }
    }

    /// The signing keys, local revocations applied.
    pub fn signing_keys(&self) -> Vec<PublishedKey> {
        self.published.entry.signing_keys.iter().map(|k| self.effective(k)).collect()
    }

    /// The encryption keys, local revocations applied.
    pub fn encryption_keys(&self) -> Vec<PublishedKey> {
        self.published.entry.encryption_keys.iter().map(|k| self.effective(k)).collect()
    }

    /// The stored form: `{"published": signed entry, "pin": base64url(pin record JSON),
    /// "pinned_by": operator key id, "countersignature": base64url}`.
    pub fn to_json(&self) -> Vec<u8> {
        let wire = PinnedPeerWire {
            published: self.published.wire(),
            pin: self.pin_bytes.clone(),
            pinned_by: self.pinned_by.clone(),
            countersignature: self.countersignature,
        };
        serde_json::to_vec(&wire).unwrap_or_default()
    }
}

/// Why a peer's key cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyLookupError {
    UnknownInstance,
    UnknownKey,
    Status(KeyStatus),
    /// No encryption key of the peer is valid at the time.
    NoValidKey,
}

/// The pinned peers, counter-signed by the local operator key.
#[derive(Clone, Debug)]
pub struct Directory {
    operator_public_key: [u8; 32],
    operator_key_id: KeyId,
    peers: BTreeMap<InstanceId, PinnedPeer>,
}

impl Directory {
    /// An empty directory whose pins the holder of `operator_public_key` (the local instance's
    /// signing key) counter-signs.
    pub fn new(operator_public_key: [u8; 32]) -> Directory {
        Directory {
            operator_public_key,
            operator_key_id: KeyId::of_public_key(&operator_public_key),
            peers: BTreeMap::new(),
        }
    }

    /// Loads stored pins ([`PinnedPeer::to_json`]), checking for each the operator's
    /// counter-signature, that the pin record is of this entry, and the entry's own signature.
    pub fn load<'a>(
        operator_public_key: [u8; 32],
        records: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Directory, DirectoryError> {
        let mut directory = Directory::new(operator_public_key);
        for bytes in records {
            let wire: PinnedPeerWire = from_json("pinned_peer", bytes)?;
            let entry = DirectoryEntry::parse(&wire.published.entry)?;
            let published = SignedEntry {
                entry,
                entry_bytes: wire.published.entry,
                signed_by: wire.published.signed_by,
                signature: wire.published.signature,
            };
            let instance_id = published.entry.instance_id.clone();
            if wire.pinned_by != directory.operator_key_id
                || !verify_signature(
                    &operator_public_key,
                    &signing_input(PIN_SIGNATURE_LABEL, &[&wire.pin]),
                    &wire.countersignature,
                )
            {
                return Err(DirectoryError::BadCountersignature { instance_id });
            }
            let record: PinRecord = from_json("pin", &wire.pin)?;
            if record.instance_id != instance_id || record.entry_sha256 != sha256(&published.entry_bytes) {
                return Err(DirectoryError::BadCountersignature { instance_id });
            }
            if KeyId::of_public_key(&record.entry_signer_public_key) != published.signed_by
                || !published.signature_verifies(&record.entry_signer_public_key)
            {
                return Err(DirectoryError::BadSignature { instance_id });
            }
            if directory.peers.contains_key(&instance_id) {
                return Err(DirectoryError::AlreadyPinned { instance_id });
            }
            directory.peers.insert(
                instance_id,
                PinnedPeer {
                    published,
                    record,
                    pin_bytes: wire.pin,
                    pinned_by: wire.pinned_by,
                    countersignature: wire.countersignature,
                },
            );
        }
        Ok(directory)
    }

    fn check_operator(&self, operator: &SigningKeyPair) -> Result<(), DirectoryError> {
        if operator.key_id() != &self.operator_key_id {
            return Err(DirectoryError::OperatorMismatch {
                expected: self.operator_key_id.clone(),
                found: operator.key_id().clone(),
            });
        }
        Ok(())
    }

    /// Adds a peer: its entry must be self-signed by the key the operator confirmed out of band.
    pub fn pin(
        &mut self,
        signed: SignedEntry,
        confirmed_signing_key: &KeyId,
        operator: &SigningKeyPair,
        now: OffsetDateTime,
    ) -> Result<(), DirectoryError> {
        self.check_operator(operator)?;
        let instance_id = signed.entry.instance_id.clone();
        if self.peers.contains_key(&instance_id) {
            return Err(DirectoryError::AlreadyPinned { instance_id });
        }
        if &signed.signed_by != confirmed_signing_key {
            return Err(DirectoryError::FingerprintMismatch {
                expected: confirmed_signing_key.clone(),
                found: signed.signed_by.clone(),
            });
        }
        signed.verify_self_signed()?;
        let signer = signed.entry.signing_key(&signed.signed_by).map(|k| k.public_key).unwrap_or_default();
        let pinned = PinnedPeer::countersign(signed, signer, Vec::new(), operator, now);
        self.peers.insert(instance_id, pinned);
        Ok(())
    }

    /// Replaces a pinned entry with a newer one signed by a signing key of the pinned entry valid
    /// and not revoked at `now`.
    pub fn apply_rotation(
        &mut self,
        signed: SignedEntry,
        operator: &SigningKeyPair,
        now: OffsetDateTime,
    ) -> Result<(), DirectoryError> {
        self.check_operator(operator)?;
        let instance_id = signed.entry.instance_id.clone();
        let current = self
            .peers
            .get(&instance_id)
            .ok_or_else(|| DirectoryError::UnknownPeer { instance_id: instance_id.clone() })?;
        if signed.entry.sequence <= current.entry().sequence {
            return Err(DirectoryError::StaleEntry {
                instance_id,
                pinned: current.entry().sequence,
                found: signed.entry.sequence,
            });
        }
        if signed.entry.role != current.entry().role {
            return Err(DirectoryError::RoleChanged { instance_id });
        }
        let signer = current
            .signing_keys()
            .into_iter()
            .find(|k| k.key_id == signed.signed_by && k.status_at(now) == KeyStatus::Valid)
            .ok_or_else(|| DirectoryError::RotationNotSignedByCurrentKey { key_id: signed.signed_by.clone() })?;
        if !signed.signature_verifies(&signer.public_key) {
            return Err(DirectoryError::BadSignature { instance_id });
        }
        let old_keys = current.signing_keys().into_iter().chain(current.encryption_keys());
        let new_keys: Vec<&PublishedKey> =
            signed.entry.signing_keys.iter().chain(signed.entry.encryption_keys.iter()).collect();
        for old in old_keys {
            let Some(old_revoked) = old.revoked_at else { continue };
            if let Some(new) = new_keys.iter().find(|k| k.key_id == old.key_id) {
                let lifted = match new.revoked_at {
                    None => true,
                    Some(r) => r > old_revoked,
                };
                // A local revocation stays in force anyway; only the peer's own one can be lifted.
                let local = current.record.revocations.iter().any(|r| r.key_id == old.key_id);
                if lifted && !local {
                    return Err(DirectoryError::RevocationLifted { key_id: old.key_id.clone() });
                }
            }
        }
        let revocations = current.record.revocations.clone();
        let pinned = PinnedPeer::countersign(signed, signer.public_key, revocations, operator, now);
        self.peers.insert(instance_id, pinned);
        Ok(())
    }

    /// Revokes one of a peer's keys (signing or encryption) from `at` on, at once.
    pub fn revoke(
        &mut self,
        instance_id: &InstanceId,
        key_id: &KeyId,
        at: OffsetDateTime,
        operator: &SigningKeyPair,
        now: OffsetDateTime,
    ) -> Result<(), DirectoryError> {
        self.check_operator(operator)?;
        let current = self
            .peers
            .get(instance_id)
            .ok_or_else(|| DirectoryError::UnknownPeer { instance_id: instance_id.clone() })?;
        let entry = current.entry();
        if !entry.signing_keys.iter().chain(entry.encryption_keys.iter()).any(|k| &k.key_id == key_id) {
            return Err(DirectoryError::UnknownKey { instance_id: instance_id.clone(), key_id: key_id.clone() });
        }
        let mut revocations = current.record.revocations.clone();
        match revocations.iter_mut().find(|r| &r.key_id == key_id) {
            Some(r) => r.revoked_at = r.revoked_at.min(at),
            None => revocations.push(LocalRevocation { key_id: key_id.clone(), revoked_at: at }),
        }
        let pinned = PinnedPeer::countersign(
            current.published.clone(),
            current.record.entry_signer_public_key,
            revocations,
            operator,
            now,
        );
        self.peers.insert(instance_id.clone(), pinned);
        Ok(())
    }

    /// The same pins counter-signed by another operator key: the local instance's new signing key
    /// after it rotated its own keys. Each pin keeps its entry, the key that verified the entry and
    /// its local revocations; only the counter-signature (and the pin's time) change.
    pub fn countersigned_again(&self, operator: &SigningKeyPair, now: OffsetDateTime) -> Directory {
        let mut directory = Directory::new(operator.public_key());
        for (instance_id, pinned) in &self.peers {
            let again = PinnedPeer::countersign(
                pinned.published.clone(),
                pinned.record.entry_signer_public_key,
                pinned.record.revocations.clone(),
                operator,
                now,
            );
            directory.peers.insert(instance_id.clone(), again);
        }
        directory
    }

    /// The public key that counter-signs the pins (the local instance's signing key).
    pub fn operator_public_key(&self) -> [u8; 32] {
        self.operator_public_key
    }

    pub fn peer(&self, instance_id: &InstanceId) -> Option<&PinnedPeer> {
        self.peers.get(instance_id)
    }

    pub fn peers(&self) -> impl Iterator<Item = &PinnedPeer> {
        self.peers.values()
    }

    /// The stored forms of all pins, in instance id order.
    pub fn records(&self) -> Vec<Vec<u8>> {
        self.peers.values().map(PinnedPeer::to_json).collect()
    }

    /// The signing key `key_id` of a peer, if it is valid at `at`.
    pub fn signing_key(
        &self,
        instance_id: &InstanceId,
        key_id: &KeyId,
        at: OffsetDateTime,
    ) -> Result<PublishedKey, KeyLookupError> {
        let peer = self.peers.get(instance_id).ok_or(KeyLookupError::UnknownInstance)?;
        usable(peer.signing_keys(), key_id, at)
    }

    /// The encryption key `key_id` of a peer, if it is valid at `at`.
    pub fn encryption_key(
        &self,
        instance_id: &InstanceId,
        key_id: &KeyId,
        at: OffsetDateTime,
    ) -> Result<PublishedKey, KeyLookupError> {
        let peer = self.peers.get(instance_id).ok_or(KeyLookupError::UnknownInstance)?;
        usable(peer.encryption_keys(), key_id, at)
    }

    /// The encryption key to send to a peer at `at`: of its keys valid then, the one valid from
    /// the latest time (the newest), ties broken by key id.
    pub fn current_encryption_key(
        &self,
        instance_id: &InstanceId,
        at: OffsetDateTime,
    ) -> Result<PublishedKey, KeyLookupError> {
        let peer = self.peers.get(instance_id).ok_or(KeyLookupError::UnknownInstance)?;
        select_valid(&peer.encryption_keys(), at).ok_or(KeyLookupError::NoValidKey)
    }
}

/// Of `keys`, the one valid at `at` with the latest `valid_from` (ties: the greatest key id).
pub fn select_valid(keys: &[PublishedKey], at: OffsetDateTime) -> Option<PublishedKey> {
    keys.iter()
        .filter(|k| k.status_at(at) == KeyStatus::Valid)
        .max_by(|a, b| a.valid_from.cmp(&b.valid_from).then_with(|| a.key_id.cmp(&b.key_id)))
        .cloned()
}

fn usable(keys: Vec<PublishedKey>, key_id: &KeyId, at: OffsetDateTime) -> Result<PublishedKey, KeyLookupError> {
    let key = keys.into_iter().find(|k| &k.key_id == key_id).ok_or(KeyLookupError::UnknownKey)?;
    match key.status_at(at) {
        KeyStatus::Valid => Ok(key),
        status => Err(KeyLookupError::Status(status)),
    }
}

/// The key id shown to an operator to confirm out of band, grouped for reading aloud.
pub fn spoken_fingerprint(key_id: &KeyId) -> String {
    let bytes = crate::encoding::b64_decode(key_id.as_str()).unwrap_or_default();
    let hex: String = bytes.iter().take(16).map(|b| format!("{b:02X}")).collect();
    hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}
