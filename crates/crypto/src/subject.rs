//! Subject keys: one data key per registration (the data subject's key), for crypto-shredding.
//!
//! A field written under a subject key has format version 2: version byte (2), subject key id
//! (u32 big-endian), 24-byte nonce, XChaCha20-Poly1305 ciphertext and tag. The associated data
//! binds the field context (table, column, row), the version and the subject key id, as version 1
//! does for field keys, under another domain label, so a version-2 ciphertext never opens as a
//! version-1 one or the other way round. The subject key itself is stored wrapped (AEAD) by the
//! keyring's subject-wrapping key, with the case id bound as associated data; destroying the
//! wrapped key makes every copy of every field under it unreadable, wherever the copy is.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::CryptoError;
use crate::keyring::FieldContext;
use crate::mac::len_prefix;
use crate::random::random_bytes;

/// Version byte of a field encrypted under a subject key.
pub const SUBJECT_FIELD_FORMAT_VERSION: u8 = 2;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + 4 + NONCE_LEN;

/// One data subject's key (32 bytes), unwrapped in memory; zeroized on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SubjectKey {
    bytes: [u8; 32],
}

impl std::fmt::Debug for SubjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SubjectKey(..)")
    }
}

/// The format version of an encrypted field (its first byte), `None` for empty bytes.
pub fn field_format_version(ciphertext: &[u8]) -> Option<u8> {
    ciphertext.first().copied()
}

/// The subject key id a version-2 field names in its header, without decrypting it; `None` for
/// anything else (a version-1 field under a field key, or bytes too short to be a field).
pub fn subject_key_id(ciphertext: &[u8]) -> Option<u32> {
    if ciphertext.len() < HEADER_LEN + TAG_LEN || ciphertext[0] != SUBJECT_FIELD_FORMAT_VERSION {
        return None;
    }
    let mut id = [0u8; 4];
    id.copy_from_slice(&ciphertext[1..5]);
    Some(u32::from_be_bytes(id))
}

fn subject_field_aad(ctx: &FieldContext<'_>, key_id: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(48 + ctx.table.len() + ctx.column.len() + ctx.row.len());
    aad.extend_from_slice(b"haven-subject-field-v2");
    aad.push(SUBJECT_FIELD_FORMAT_VERSION);
    for part in [ctx.table, ctx.column, ctx.row] {
        aad.extend_from_slice(&len_prefix(part.as_bytes()));
        aad.extend_from_slice(part.as_bytes());
    }
    aad.extend_from_slice(&key_id.to_be_bytes());
    aad
}

pub(crate) fn subject_wrap_aad(wrapping_key_id: u32, case_id: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(40 + case_id.len());
    aad.extend_from_slice(b"haven-subject-key-v1");
    aad.extend_from_slice(&wrapping_key_id.to_be_bytes());
    aad.extend_from_slice(&len_prefix(case_id.as_bytes()));
    aad.extend_from_slice(case_id.as_bytes());
    aad
}

impl SubjectKey {
    /// A new random subject key.
    pub fn generate() -> SubjectKey {
        SubjectKey { bytes: random_bytes() }
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> SubjectKey {
        SubjectKey { bytes }
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// AEAD-encrypts one field under this subject key, stored with id `key_id` (format version
    /// 2, see the module's documentation).
    pub fn encrypt_field(&self, key_id: u32, ctx: &FieldContext<'_>, plaintext: &[u8]) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&self.bytes).into());
        let nonce_bytes: [u8; NONCE_LEN] = random_bytes();
        let nonce = XNonce::from(nonce_bytes);
        let aad = subject_field_aad(ctx, key_id);
        let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
        out.push(SUBJECT_FIELD_FORMAT_VERSION);
        out.extend_from_slice(&key_id.to_be_bytes());
        out.extend_from_slice(&nonce_bytes);
        // Encrypting an in-memory buffer cannot fail for any length a Vec can hold.
        if let Ok(ct) = cipher.encrypt(&nonce, Payload { msg: plaintext, aad: &aad }) {
            out.extend_from_slice(&ct);
        }
        out
    }

    /// Decrypts a field encrypted by [`SubjectKey::encrypt_field`] with the same id and context.
    pub fn decrypt_field(
        &self,
        key_id: u32,
        ctx: &FieldContext<'_>,
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        match subject_key_id(ciphertext) {
            Some(id) if id == key_id => {}
            Some(id) => return Err(CryptoError::UnknownSubjectKey(id)),
            None => {
                return Err(CryptoError::MalformedCiphertext(
                    "not a field encrypted under a subject key (format version 2)".into(),
                ));
            }
        }
        let mut nonce_bytes = [0u8; NONCE_LEN];
        nonce_bytes.copy_from_slice(&ciphertext[5..HEADER_LEN]);
        let nonce = XNonce::from(nonce_bytes);
        let cipher = XChaCha20Poly1305::new((&self.bytes).into());
        let aad = subject_field_aad(ctx, key_id);
        cipher.decrypt(&nonce, Payload { msg: &ciphertext[HEADER_LEN..], aad: &aad }).map_err(|_| CryptoError::Tampered)
    }
}

/// Wraps `key` for the data subject `case_id` under the wrapping key bytes `kek` (id
/// `wrapping_key_id`): 24-byte nonce, then ciphertext and tag.
pub(crate) fn wrap(kek: &[u8; 32], wrapping_key_id: u32, case_id: &str, key: &SubjectKey) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(kek.into());
    let nonce_bytes: [u8; NONCE_LEN] = random_bytes();
    let nonce = XNonce::from(nonce_bytes);
    let aad = subject_wrap_aad(wrapping_key_id, case_id);
    let mut out = Vec::with_capacity(NONCE_LEN + 32 + TAG_LEN);
    out.extend_from_slice(&nonce_bytes);
    if let Ok(ct) = cipher.encrypt(&nonce, Payload { msg: key.bytes(), aad: &aad }) {
        out.extend_from_slice(&ct);
    }
    out
}

/// Opens a key wrapped by [`wrap`] for the same case and wrapping key.
pub(crate) fn unwrap(
    kek: &[u8; 32],
    wrapping_key_id: u32,
    case_id: &str,
    wrapped: &[u8],
) -> Result<SubjectKey, CryptoError> {
    if wrapped.len() != NONCE_LEN + 32 + TAG_LEN {
        return Err(CryptoError::MalformedCiphertext(format!("a wrapped subject key is {} bytes", wrapped.len())));
    }
    let mut nonce_bytes = [0u8; NONCE_LEN];
    nonce_bytes.copy_from_slice(&wrapped[..NONCE_LEN]);
    let nonce = XNonce::from(nonce_bytes);
    let cipher = XChaCha20Poly1305::new(kek.into());
    let aad = subject_wrap_aad(wrapping_key_id, case_id);
    let mut plain =
        cipher.decrypt(&nonce, Payload { msg: &wrapped[NONCE_LEN..], aad: &aad }).map_err(|_| CryptoError::Tampered)?;
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&plain);
    plain.zeroize();
    Ok(SubjectKey::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KeyPurpose, Keyring, MasterKey};
    use proptest::prelude::*;

    fn ctx(row: &str) -> FieldContext<'_> {
        FieldContext { table: "persons", column: "given_names", row }
    }

    fn keyring_with_subject_wrapping() -> Keyring {
        let master = MasterKey::generate();
        let (mut ring, _) = Keyring::generate(&master);
        ring.add_key(KeyPurpose::SubjectWrapping, &master);
        ring
    }

    #[test]
    fn a_subject_field_names_its_key_and_opens_only_with_it() {
        let key = SubjectKey::generate();
        let ct = key.encrypt_field(7, &ctx("case-1"), b"Anna");
        assert_eq!(field_format_version(&ct), Some(SUBJECT_FIELD_FORMAT_VERSION));
        assert_eq!(subject_key_id(&ct), Some(7));
        assert_eq!(Keyring::field_key_id(&ct), None, "not a field-key ciphertext");
        assert_eq!(key.decrypt_field(7, &ctx("case-1"), &ct).unwrap(), b"Anna");
        assert!(matches!(key.decrypt_field(7, &ctx("case-2"), &ct), Err(CryptoError::Tampered)));
        assert!(matches!(SubjectKey::generate().decrypt_field(7, &ctx("case-1"), &ct), Err(CryptoError::Tampered)));
        assert!(matches!(key.decrypt_field(8, &ctx("case-1"), &ct), Err(CryptoError::UnknownSubjectKey(7))));
    }

    #[test]
    fn version_one_fields_still_open_and_a_bare_keyring_refuses_version_two() {
        let ring = keyring_with_subject_wrapping();
        let v1 = ring.encrypt_str(&ctx("case-1"), "Anna");
        assert_eq!(field_format_version(&v1), Some(1));
        assert_eq!(subject_key_id(&v1), None);
        assert_eq!(ring.decrypt_str(&ctx("case-1"), &v1).unwrap(), "Anna");
        let v2 = SubjectKey::generate().encrypt_field(3, &ctx("case-1"), b"Anna");
        assert!(matches!(ring.decrypt_field(&ctx("case-1"), &v2), Err(CryptoError::UnknownSubjectKey(3))));
        // Rotation leaves a field under a subject key where it is.
        assert_eq!(ring.reencrypt_field(&ctx("case-1"), &v2).unwrap(), None);
    }

    #[test]
    fn a_wrapped_subject_key_opens_only_for_its_case() {
        let ring = keyring_with_subject_wrapping();
        let key = SubjectKey::generate();
        let (kek_id, wrapped) = ring.wrap_subject_key("case-1", &key).unwrap();
        let back = ring.unwrap_subject_key(kek_id, "case-1", &wrapped).unwrap();
        let ct = key.encrypt_field(1, &ctx("case-1"), b"x");
        assert_eq!(back.decrypt_field(1, &ctx("case-1"), &ct).unwrap(), b"x");
        assert!(matches!(ring.unwrap_subject_key(kek_id, "case-2", &wrapped), Err(CryptoError::Tampered)));
        assert!(ring.unwrap_subject_key(kek_id.saturating_add(1), "case-1", &wrapped).is_err());
        let other = keyring_with_subject_wrapping();
        assert!(other.unwrap_subject_key(kek_id, "case-1", &wrapped).is_err());
    }

    #[test]
    fn a_keyring_without_a_wrapping_key_cannot_wrap() {
        let (ring, _) = Keyring::generate(&MasterKey::generate());
        assert!(matches!(
            ring.wrap_subject_key("case-1", &SubjectKey::generate()),
            Err(CryptoError::MissingKey(KeyPurpose::SubjectWrapping))
        ));
    }

    proptest! {
        /// Whatever the bytes, the version byte decides which key opens a field: a version-2
        /// field never opens under the field keys and a version-1 field never under a subject key.
        #[test]
        fn format_versions_never_cross(plain in proptest::collection::vec(any::<u8>(), 0..64), id in 1u32..1000) {
            let ring = keyring_with_subject_wrapping();
            let key = SubjectKey::generate();
            let v2 = key.encrypt_field(id, &ctx("r"), &plain);
            let v1 = ring.encrypt_field(&ctx("r"), &plain);
            prop_assert_eq!(subject_key_id(&v2), Some(id));
            prop_assert_eq!(key.decrypt_field(id, &ctx("r"), &v2).unwrap(), plain.clone());
            prop_assert!(ring.decrypt_field(&ctx("r"), &v2).is_err());
            prop_assert!(key.decrypt_field(id, &ctx("r"), &v1).is_err());
            prop_assert_eq!(ring.decrypt_field(&ctx("r"), &v1).unwrap(), plain);
            // A version-1 field re-labelled as version 2 (same bytes otherwise) does not open.
            let mut forged = v1.clone();
            forged[0] = SUBJECT_FIELD_FORMAT_VERSION;
            let forged_id = subject_key_id(&forged).unwrap_or(0);
            prop_assert!(key.decrypt_field(forged_id, &ctx("r"), &forged).is_err());
        }
    }
}
