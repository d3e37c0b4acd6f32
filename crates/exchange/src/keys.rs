//! An instance's own key pairs: Ed25519 for signing, X25519 (DHKEM of HPKE, RFC 9180) for
//! encryption. Secret keys are zeroized on drop, never shown by `Debug`, and stored only wrapped
//! under the instance's keyring (see [`SigningKeyPair::wrap`]).

use std::fmt;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use haven_crypto::{CryptoError, FieldContext, Keyring};
use hpke::{Deserializable as _, Kem as _, Serializable as _};
use zeroize::Zeroizing;

use crate::ids::{InstanceId, KeyId};

/// The HPKE key encapsulation mechanism: DHKEM(X25519, HKDF-SHA256), RFC 9180 §7.1 (0x0020).
pub(crate) type HpkeKem = hpke::kem::X25519HkdfSha256;
/// The HPKE key derivation function: HKDF-SHA256 (0x0001).
pub(crate) type HpkeKdf = hpke::kdf::HkdfSha256;
/// The HPKE AEAD: ChaCha20Poly1305 (0x0003).
pub(crate) type HpkeAead = hpke::aead::ChaCha20Poly1305;

/// Where wrapped secret keys are bound: a wrapped key copied to another instance, key id or kind
/// does not unwrap.
const WRAP_TABLE: &str = "exchange_keys";

/// Why a stored secret key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyStorageError {
    /// The keyring does not open the wrapped key (wrong keyring, or the bytes were changed or
    /// moved to another instance, key id or kind of key).
    #[error("the wrapped exchange key does not unwrap: {0}")]
    Unwrap(#[from] CryptoError),
    /// The unwrapped key is not 32 bytes or not a valid key.
    #[error("the wrapped exchange key is not a valid {kind} secret key")]
    Invalid { kind: &'static str },
    /// The unwrapped key does not have the key id it was stored under.
    #[error("the unwrapped {kind} key has key id {found}, expected {expected}")]
    Mismatch { kind: &'static str, expected: KeyId, found: KeyId },
}

/// An Ed25519 signing key pair with its key id.
pub struct SigningKeyPair {
    key: SigningKey,
    key_id: KeyId,
}

impl fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyPair").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl SigningKeyPair {
    /// The key pair of a 32-byte Ed25519 secret key (seed, RFC 8032 §5.1.5).
    pub fn from_seed(seed: &[u8; 32]) -> SigningKeyPair {
        let key = SigningKey::from_bytes(seed);
        let key_id = KeyId::of_public_key(&key.verifying_key().to_bytes());
        SigningKeyPair { key, key_id }
    }

    /// A new random key pair (operating-system randomness).
    pub fn generate() -> SigningKeyPair {
        let seed = Zeroizing::new(haven_crypto::random_bytes::<32>());
        SigningKeyPair::from_seed(&seed)
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// Ed25519 signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }

    /// The secret key wrapped under the keyring for storage, bound to the instance and key id.
    pub fn wrap(&self, keyring: &Keyring, instance: &InstanceId) -> Vec<u8> {
        let secret = Zeroizing::new(self.key.to_bytes());
        let row = wrap_row(instance, &self.key_id);
        keyring.encrypt_field(&FieldContext { table: WRAP_TABLE, column: "signing_secret", row: &row }, &*secret)
    }

    /// Loads a key stored by [`SigningKeyPair::wrap`].
    pub fn unwrap(
        keyring: &Keyring,
        instance: &InstanceId,
        key_id: &KeyId,
        wrapped: &[u8],
    ) -> Result<SigningKeyPair, KeyStorageError> {
        let row = wrap_row(instance, key_id);
        let plain = Zeroizing::new(
            keyring.decrypt_field(&FieldContext { table: WRAP_TABLE, column: "signing_secret", row: &row }, wrapped)?,
        );
        let seed: Zeroizing<[u8; 32]> =
            Zeroizing::new(plain.as_slice().try_into().map_err(|_| KeyStorageError::Invalid { kind: "signing" })?);
        let pair = SigningKeyPair::from_seed(&seed);
        if &pair.key_id != key_id {
            return Err(KeyStorageError::Mismatch {
                kind: "signing",
                expected: key_id.clone(),
                found: pair.key_id.clone(),
            });
        }
        Ok(pair)
    }
}

/// Whether `signature` is a valid Ed25519 signature (strict verification: no small-order or
/// non-canonical keys and signatures) of `message` under the raw public key.
pub(crate) fn verify_signature(public_key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    let signature = ed25519_dalek::Signature::from_bytes(signature);
    key.verify_strict(message, &signature).is_ok()
}

/// Whether 32 bytes are a usable Ed25519 public key (a point on the curve, not of small order).
pub(crate) fn is_valid_signing_public_key(public_key: &[u8; 32]) -> bool {
    VerifyingKey::from_bytes(public_key).is_ok_and(|k| !k.is_weak())
}

/// An X25519 key pair for HPKE (DHKEM(X25519, HKDF-SHA256)) with its key id.
pub struct EncryptionKeyPair {
    private: <HpkeKem as hpke::Kem>::PrivateKey,
    public: <HpkeKem as hpke::Kem>::PublicKey,
    key_id: KeyId,
}

impl fmt::Debug for EncryptionKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKeyPair").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl EncryptionKeyPair {
    /// The key pair HPKE's `DeriveKeyPair(ikm)` (RFC 9180 §7.1.3) gives for 32 bytes of input
    /// keying material.
    pub fn derive(ikm: &[u8; 32]) -> EncryptionKeyPair {
        let (private, public) = HpkeKem::derive_keypair(ikm);
        let key_id = KeyId::of_public_key(&raw_public(&public));
        EncryptionKeyPair { private, public, key_id }
    }

    /// A new random key pair (operating-system randomness).
    pub fn generate() -> EncryptionKeyPair {
        let ikm = Zeroizing::new(haven_crypto::random_bytes::<32>());
        EncryptionKeyPair::derive(&ikm)
    }

    /// The key pair of a raw 32-byte X25519 private key.
    pub fn from_private_key(private: &[u8; 32]) -> Option<EncryptionKeyPair> {
        let private = <HpkeKem as hpke::Kem>::PrivateKey::from_bytes(private).ok()?;
        let public = HpkeKem::sk_to_pk(&private);
        let key_id = KeyId::of_public_key(&raw_public(&public));
        Some(EncryptionKeyPair { private, public, key_id })
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        raw_public(&self.public)
    }

    /// The raw 32-byte private key (for test vectors and wrapping only).
    pub fn private_key(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&self.private.to_bytes());
        out
    }

    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    pub(crate) fn hpke_private(&self) -> &<HpkeKem as hpke::Kem>::PrivateKey {
        &self.private
    }

    /// The secret key wrapped under the keyring for storage, bound to the instance and key id.
    pub fn wrap(&self, keyring: &Keyring, instance: &InstanceId) -> Vec<u8> {
        let secret = self.private_key();
        let row = wrap_row(instance, &self.key_id);
        keyring.encrypt_field(&FieldContext { table: WRAP_TABLE, column: "encryption_secret", row: &row }, &*secret)
    }

    /// Loads a key stored by [`EncryptionKeyPair::wrap`].
    pub fn unwrap(
        keyring: &Keyring,
        instance: &InstanceId,
        key_id: &KeyId,
        wrapped: &[u8],
    ) -> Result<EncryptionKeyPair, KeyStorageError> {
        let row = wrap_row(instance, key_id);
        let plain = Zeroizing::new(
            keyring
                .decrypt_field(&FieldContext { table: WRAP_TABLE, column: "encryption_secret", row: &row }, wrapped)?,
        );
        let private: Zeroizing<[u8; 32]> =
            Zeroizing::new(plain.as_slice().try_into().map_err(|_| KeyStorageError::Invalid { kind: "encryption" })?);
        let pair =
            EncryptionKeyPair::from_private_key(&private).ok_or(KeyStorageError::Invalid { kind: "encryption" })?;
        if &pair.key_id != key_id {
            return Err(KeyStorageError::Mismatch {
                kind: "encryption",
                expected: key_id.clone(),
                found: pair.key_id.clone(),
            });
        }
        Ok(pair)
    }
}

pub(crate) fn raw_public(public: &<HpkeKem as hpke::Kem>::PublicKey) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&public.to_bytes());
    out
}

pub(crate) fn hpke_public(raw: &[u8; 32]) -> Option<<HpkeKem as hpke::Kem>::PublicKey> {
    <HpkeKem as hpke::Kem>::PublicKey::from_bytes(raw).ok()
}

fn wrap_row(instance: &InstanceId, key_id: &KeyId) -> String {
    format!("{instance}/{key_id}")
}

/// The instance's own keys: its id, the signing key it signs with now, and every encryption key
/// it can still be sent to (the current one and, during a rotation's overlap, the previous one).
#[derive(Debug)]
pub struct LocalIdentity {
    pub instance_id: InstanceId,
    pub signing: SigningKeyPair,
    pub encryption: Vec<EncryptionKeyPair>,
}

impl LocalIdentity {
    pub(crate) fn encryption_key(&self, key_id: &KeyId) -> Option<&EncryptionKeyPair> {
        self.encryption.iter().find(|k| &k.key_id == key_id)
    }
}

#[cfg(test)]
mod tests {
    use haven_crypto::MasterKey;

    use super::*;

    fn lv() -> InstanceId {
        InstanceId::parse("f", "LV").unwrap()
    }

    #[test]
    fn signing_keys_round_trip_through_the_keyring_and_are_bound_to_instance_and_key_id() {
        let (keyring, _) = Keyring::generate(&MasterKey::generate());
        let pair = SigningKeyPair::generate();
        let wrapped = pair.wrap(&keyring, &lv());
        let back = SigningKeyPair::unwrap(&keyring, &lv(), pair.key_id(), &wrapped).unwrap();
        assert_eq!(back.public_key(), pair.public_key());
        let ee = InstanceId::parse("f", "EE").unwrap();
        assert!(matches!(
            SigningKeyPair::unwrap(&keyring, &ee, pair.key_id(), &wrapped),
            Err(KeyStorageError::Unwrap(_))
        ));
        let other = SigningKeyPair::generate();
        assert!(SigningKeyPair::unwrap(&keyring, &lv(), other.key_id(), &wrapped).is_err());
        let (other_keyring, _) = Keyring::generate(&MasterKey::generate());
        assert!(SigningKeyPair::unwrap(&other_keyring, &lv(), pair.key_id(), &wrapped).is_err());
    }

    #[test]
    fn encryption_keys_round_trip_through_the_keyring_and_not_as_signing_keys() {
        let (keyring, _) = Keyring::generate(&MasterKey::generate());
        let pair = EncryptionKeyPair::generate();
        let wrapped = pair.wrap(&keyring, &lv());
        let back = EncryptionKeyPair::unwrap(&keyring, &lv(), pair.key_id(), &wrapped).unwrap();
        assert_eq!(back.public_key(), pair.public_key());
        assert!(SigningKeyPair::unwrap(&keyring, &lv(), pair.key_id(), &wrapped).is_err());
    }

    #[test]
    fn debug_shows_the_key_id_and_no_secret() {
        let pair = SigningKeyPair::from_seed(&[7u8; 32]);
        let shown = format!("{pair:?}");
        assert!(shown.contains(pair.key_id().as_str()));
        assert!(!shown.contains("secret"));
        let enc = EncryptionKeyPair::derive(&[7u8; 32]);
        assert!(format!("{enc:?}").contains(enc.key_id().as_str()));
    }

    #[test]
    fn signatures_verify_only_for_the_signed_message_and_key() {
        let pair = SigningKeyPair::from_seed(&[1u8; 32]);
        let sig = pair.sign(b"message");
        assert!(verify_signature(&pair.public_key(), b"message", &sig));
        assert!(!verify_signature(&pair.public_key(), b"massage", &sig));
        assert!(!verify_signature(&SigningKeyPair::from_seed(&[2u8; 32]).public_key(), b"message", &sig));
    }
}
