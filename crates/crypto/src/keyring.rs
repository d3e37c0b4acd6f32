use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::CryptoError;
use crate::audit::AuditKey;
use crate::mac::{hmac_sha256_parts, len_prefix};
use crate::master::{MasterKey, UnwrapFailure};
use crate::random::random_bytes;

/// Version byte at the start of every encrypted field.
pub const FIELD_FORMAT_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const FIELD_HEADER_LEN: usize = 1 + 4 + NONCE_LEN;

/// What a data key is for. Each purpose has its own keys; a key is never used for two purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyPurpose {
    /// Encrypts fields (AEAD).
    Field,
    /// Keys the HMAC of blind indexes.
    BlindIndex,
    /// Keys the audit chain MACs.
    Audit,
    /// Keys session-bound MACs (e.g. CSRF tokens).
    Session,
    /// Wraps the subject keys (one per registration, kept in the key store, not in the data
    /// backup: crypto-shredding). Added to a keyring when first needed, never rotated or retired.
    SubjectWrapping,
}

impl KeyPurpose {
    /// Every purpose, in id order of a fresh keyring.
    pub const ALL: [KeyPurpose; 4] =
        [KeyPurpose::Field, KeyPurpose::BlindIndex, KeyPurpose::Audit, KeyPurpose::Session];

    /// The stored name: "field", "blind_index", "audit" or "session".
    pub fn as_str(self) -> &'static str {
        match self {
            KeyPurpose::Field => "field",
            KeyPurpose::BlindIndex => "blind_index",
            KeyPurpose::Audit => "audit",
            KeyPurpose::Session => "session",
            KeyPurpose::SubjectWrapping => "subject_wrapping",
        }
    }

    /// Parses a stored name (see [`KeyPurpose::as_str`]).
    pub fn parse(s: &str) -> Result<KeyPurpose, CryptoError> {
        match s {
            "field" => Ok(KeyPurpose::Field),
            "blind_index" => Ok(KeyPurpose::BlindIndex),
            "audit" => Ok(KeyPurpose::Audit),
            "session" => Ok(KeyPurpose::Session),
            "subject_wrapping" => Ok(KeyPurpose::SubjectWrapping),
            other => Err(CryptoError::UnknownKeyPurpose(other.to_owned())),
        }
    }
}

impl fmt::Display for KeyPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KeyPurpose {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyPurpose::parse(s)
    }
}

/// A data key as stored in the database: id, purpose, and its bytes wrapped (AEAD) by the master
/// key, with the id and purpose bound as associated data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
    pub id: u32,
    pub purpose: KeyPurpose,
    pub wrapped: Vec<u8>,
}

/// Where an encrypted field lives. All three parts are bound to the ciphertext, so a ciphertext
/// copied to another table, column or row does not decrypt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldContext<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row: &'a str,
}

#[derive(Clone, Zeroize, ZeroizeOnDrop)]
struct DataKey {
    #[zeroize(skip)]
    purpose: KeyPurpose,
    bytes: [u8; 32],
}

/// All data keys, unwrapped in memory. Zeroized on drop; `Debug` shows only ids and purposes.
#[derive(Clone)]
pub struct Keyring {
    keys: BTreeMap<u32, DataKey>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (id, key) in &self.keys {
            list.entry(&format_args!("{id}: {}", key.purpose));
        }
        list.finish()
    }
}

fn wrap_aad(id: u32, purpose: KeyPurpose) -> Vec<u8> {
    let name = purpose.as_str().as_bytes();
    let mut aad = Vec::with_capacity(32);
    aad.extend_from_slice(b"haven-data-key-v1");
    aad.extend_from_slice(&id.to_be_bytes());
    aad.extend_from_slice(&len_prefix(name));
    aad.extend_from_slice(name);
    aad
}

fn wrap_key(master: &MasterKey, id: u32, key: &DataKey) -> WrappedKey {
    WrappedKey { id, purpose: key.purpose, wrapped: master.wrap(&wrap_aad(id, key.purpose), &key.bytes) }
}

fn field_aad(ctx: &FieldContext<'_>, key_id: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(48 + ctx.table.len() + ctx.column.len() + ctx.row.len());
    aad.extend_from_slice(b"haven-field-v1");
    aad.push(FIELD_FORMAT_VERSION);
    for part in [ctx.table, ctx.column, ctx.row] {
        aad.extend_from_slice(&len_prefix(part.as_bytes()));
        aad.extend_from_slice(part.as_bytes());
    }
    aad.extend_from_slice(&key_id.to_be_bytes());
    aad
}

/// The normal form of a value for blind indexing: surrounding whitespace removed, inner runs of
/// whitespace collapsed to one space, lower-cased, Unicode NFC.
pub(crate) fn normalise_for_index(value: &str) -> String {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.to_lowercase().nfc().collect()
}

impl Keyring {
    /// A fresh keyring: one new key of each purpose (ids 1..=4 in the order field, blind_index,
    /// audit, session), returned with their wrapped forms to persist.
    pub fn generate(master: &MasterKey) -> (Keyring, Vec<WrappedKey>) {
        let mut keys = BTreeMap::new();
        for (id, purpose) in (1u32..).zip(KeyPurpose::ALL) {
            keys.insert(id, DataKey { purpose, bytes: random_bytes() });
        }
        let keyring = Keyring { keys };
        let wrapped = keyring.rewrap(master);
        (keyring, wrapped)
    }

    /// Unwraps stored keys. A master key that matches none of them gives
    /// [`CryptoError::WrongMasterKey`]; a wrapped key that fails while others succeed gives
    /// [`CryptoError::Tampered`]. Every purpose must have at least one key.
    pub fn unwrap(master: &MasterKey, wrapped: &[WrappedKey]) -> Result<Keyring, CryptoError> {
        let mut keys = BTreeMap::new();
        let mut auth_failures = 0usize;
        for w in wrapped {
            if keys.contains_key(&w.id) {
                return Err(CryptoError::DuplicateKey(w.id));
            }
            match master.unwrap(&wrap_aad(w.id, w.purpose), &w.wrapped) {
                Ok(bytes) => {
                    keys.insert(w.id, DataKey { purpose: w.purpose, bytes: *bytes });
                }
                Err(UnwrapFailure::Malformed(reason)) => {
                    return Err(CryptoError::MalformedCiphertext(format!("data key {}: {reason}", w.id)));
                }
                Err(UnwrapFailure::Authentication) => auth_failures += 1,
            }
        }
        if auth_failures > 0 {
            return Err(if keys.is_empty() { CryptoError::WrongMasterKey } else { CryptoError::Tampered });
        }
        for purpose in KeyPurpose::ALL {
            if !keys.values().any(|k| k.purpose == purpose) {
                return Err(CryptoError::MissingKey(purpose));
            }
        }
        Ok(Keyring { keys })
    }

    /// Re-wraps every key under `new_master`. Persist all returned keys, replacing the old
    /// wrapped forms, then the new master key. Key rotation first adds a new field key
    /// ([`Keyring::add_key`]) and afterwards re-encrypts the fields ([`Keyring::reencrypt_field`]).
    pub fn rewrap(&self, new_master: &MasterKey) -> Vec<WrappedKey> {
        self.keys.iter().map(|(id, key)| wrap_key(new_master, *id, key)).collect()
    }

    /// Adds a new field key with the next free id; new writes use it, old ciphertexts stay
    /// readable. Returns its wrapped form to persist.
    pub fn add_field_key(&mut self, master: &MasterKey) -> WrappedKey {
        let id = self.keys.keys().next_back().map_or(1, |max| max.saturating_add(1));
        let key = DataKey { purpose: KeyPurpose::Field, bytes: random_bytes() };
        let wrapped = wrap_key(master, id, &key);
        self.keys.insert(id, key);
        wrapped
    }

    /// Adds a new key of `purpose` with the next free id; it becomes the active key of its
    /// purpose (new writes use it), older keys stay readable. Returns its wrapped form.
    pub fn add_key(&mut self, purpose: KeyPurpose, master: &MasterKey) -> WrappedKey {
        let id = self.keys.keys().next_back().map_or(1, |max| max.saturating_add(1));
        let key = DataKey { purpose, bytes: random_bytes() };
        let wrapped = wrap_key(master, id, &key);
        self.keys.insert(id, key);
        wrapped
    }

    /// Removes a key (it is destroyed: zeroized). Refuses the active key of a purpose, which new
    /// writes use; returns whether a key was removed.
    pub fn remove_key(&mut self, id: u32) -> Result<bool, CryptoError> {
        let Some(purpose) = self.keys.get(&id).map(|k| k.purpose) else {
            return Ok(false);
        };
        if self.active(purpose).map(|(active, _)| active) == Some(id) {
            return Err(CryptoError::ActiveKey(id));
        }
        Ok(self.keys.remove(&id).is_some())
    }

    /// The id of the data key an encrypted field names in its header, without decrypting it;
    /// `None` for bytes that are not an encrypted field.
    pub fn field_key_id(ciphertext: &[u8]) -> Option<u32> {
        if ciphertext.len() < FIELD_HEADER_LEN + TAG_LEN || ciphertext[0] != FIELD_FORMAT_VERSION {
            return None;
        }
        let mut id_bytes = [0u8; 4];
        id_bytes.copy_from_slice(&ciphertext[1..5]);
        Some(u32::from_be_bytes(id_bytes))
    }

    /// Re-encrypts a field under the active field key (key rotation). `Ok(None)` when it is under
    /// the active key already, or under a subject key (format version 2: subject keys are not
    /// rotated, only their wrapping key is re-wrapped with the others); an error when it does not
    /// decrypt for this context.
    pub fn reencrypt_field(&self, ctx: &FieldContext<'_>, ciphertext: &[u8]) -> Result<Option<Vec<u8>>, CryptoError> {
        if Keyring::field_key_id(ciphertext) == Some(self.active_field_key_id())
            || crate::subject::subject_key_id(ciphertext).is_some()
        {
            return Ok(None);
        }
        let plain = Zeroizing::new(self.decrypt_field(ctx, ciphertext)?);
        Ok(Some(self.encrypt_field(ctx, &plain)))
    }

    /// Re-encrypts a field under a field key as a field under the subject key `key` (id
    /// `key_id`), for the same context (crypto-shredding moves a case's fields under its own key);
    /// the plaintext is wiped after. An error when it does not decrypt for this context.
    pub fn reencrypt_to_subject(
        &self,
        ctx: &FieldContext<'_>,
        ciphertext: &[u8],
        key_id: u32,
        key: &crate::SubjectKey,
    ) -> Result<Vec<u8>, CryptoError> {
        let plain = Zeroizing::new(self.decrypt_field(ctx, ciphertext)?);
        Ok(key.encrypt_field(key_id, ctx, &plain))
    }

    /// Ids and purposes of all keys, ascending by id.
    pub fn key_ids(&self) -> Vec<(u32, KeyPurpose)> {
        self.keys.iter().map(|(id, k)| (*id, k.purpose)).collect()
    }

    /// The id of the key new field encryptions use: the highest-id field key.
    pub fn active_field_key_id(&self) -> u32 {
        self.active(KeyPurpose::Field).map_or(0, |(id, _)| id)
    }

    /// The highest-id key of a purpose.
    fn active(&self, purpose: KeyPurpose) -> Option<(u32, &DataKey)> {
        self.keys.iter().rev().find(|(_, k)| k.purpose == purpose).map(|(id, k)| (*id, k))
    }

    /// The bytes of the active key of a purpose. `unwrap` and `generate` guarantee every purpose
    /// has a key; should that ever not hold, an all-zero key is never used: a fresh random one is,
    /// so that nothing written with it can be read (and nothing verifies).
    fn active_bytes(&self, purpose: KeyPurpose) -> (u32, Zeroizing<[u8; 32]>) {
        match self.active(purpose) {
            Some((id, key)) => (id, Zeroizing::new(key.bytes)),
            None => (0, Zeroizing::new(random_bytes())),
        }
    }

    /// AEAD-encrypts one field with the active field key (XChaCha20-Poly1305, random 24-byte
    /// nonce). Associated data: the field context (table, column, row, each length-prefixed), the
    /// format version and the key id. Output: version byte (1), key id (u32 big-endian), nonce,
    /// ciphertext and tag.
    pub fn encrypt_field(&self, ctx: &FieldContext<'_>, plaintext: &[u8]) -> Vec<u8> {
        let (key_id, key) = self.active_bytes(KeyPurpose::Field);
        let cipher = XChaCha20Poly1305::new((&*key).into());
        let nonce_bytes: [u8; NONCE_LEN] = random_bytes();
        let nonce = XNonce::from(nonce_bytes);
        let aad = field_aad(ctx, key_id);
        let mut out = Vec::with_capacity(FIELD_HEADER_LEN + plaintext.len() + TAG_LEN);
        out.push(FIELD_FORMAT_VERSION);
        out.extend_from_slice(&key_id.to_be_bytes());
        out.extend_from_slice(&nonce_bytes);
        // Encrypting an in-memory buffer cannot fail for any length a Vec can hold.
        if let Ok(ct) = cipher.encrypt(&nonce, Payload { msg: plaintext, aad: &aad }) {
            out.extend_from_slice(&ct);
        }
        out
    }

    /// Decrypts a field encrypted by [`Keyring::encrypt_field`] for the same context.
    pub fn decrypt_field(&self, ctx: &FieldContext<'_>, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if ciphertext.len() < FIELD_HEADER_LEN + TAG_LEN {
            return Err(CryptoError::MalformedCiphertext(format!(
                "encrypted field is {} bytes, shorter than the minimum {}",
                ciphertext.len(),
                FIELD_HEADER_LEN + TAG_LEN
            )));
        }
        if let Some(id) = crate::subject::subject_key_id(ciphertext) {
            // A subject key's field: the keyring holds no subject keys (the app's live keyring does).
            return Err(CryptoError::UnknownSubjectKey(id));
        }
        if ciphertext[0] != FIELD_FORMAT_VERSION {
            return Err(CryptoError::MalformedCiphertext(format!("unknown encrypted field version {}", ciphertext[0])));
        }
        let mut id_bytes = [0u8; 4];
        id_bytes.copy_from_slice(&ciphertext[1..5]);
        let key_id = u32::from_be_bytes(id_bytes);
        let key = match self.keys.get(&key_id) {
            Some(k) if k.purpose == KeyPurpose::Field => k,
            _ => return Err(CryptoError::UnknownKey(key_id)),
        };
        let mut nonce_bytes = [0u8; NONCE_LEN];
        nonce_bytes.copy_from_slice(&ciphertext[5..FIELD_HEADER_LEN]);
        let nonce = XNonce::from(nonce_bytes);
        let cipher = XChaCha20Poly1305::new((&key.bytes).into());
        let aad = field_aad(ctx, key_id);
        cipher
            .decrypt(&nonce, Payload { msg: &ciphertext[FIELD_HEADER_LEN..], aad: &aad })
            .map_err(|_| CryptoError::Tampered)
    }

    /// [`Keyring::encrypt_field`] for text (UTF-8).
    pub fn encrypt_str(&self, ctx: &FieldContext<'_>, s: &str) -> Vec<u8> {
        self.encrypt_field(ctx, s.as_bytes())
    }

    /// [`Keyring::decrypt_field`] for text; a plaintext that is not UTF-8 is an error.
    pub fn decrypt_str(&self, ctx: &FieldContext<'_>, ct: &[u8]) -> Result<String, CryptoError> {
        let bytes = self.decrypt_field(ctx, ct)?;
        String::from_utf8(bytes).map_err(|e| {
            // Do not keep the plaintext in the error; wipe it.
            let mut bytes = e.into_bytes();
            bytes.zeroize();
            CryptoError::MalformedCiphertext("decrypted field is not valid UTF-8".into())
        })
    }

    /// Keyed equality index for exact-match lookups on encrypted columns: HMAC-SHA256 with the
    /// blind-index key over `purpose` and the normalised value (whitespace trimmed and collapsed,
    /// lower-cased, Unicode NFC). The same value under different purposes gives unrelated indexes.
    pub fn blind_index(&self, purpose: &str, value: &str) -> [u8; 32] {
        let (_, key) = self.active_bytes(KeyPurpose::BlindIndex);
        let normal = Zeroizing::new(normalise_for_index(value));
        hmac_sha256_parts(
            &key,
            &[
                b"haven-blind-index-v1",
                &len_prefix(purpose.as_bytes()),
                purpose.as_bytes(),
                &len_prefix(normal.as_bytes()),
                normal.as_bytes(),
            ],
        )
    }

    /// Whether the keyring holds a key of `purpose`.
    pub fn has_key(&self, purpose: KeyPurpose) -> bool {
        self.active(purpose).is_some()
    }

    /// Wraps a data subject's key for the case `case_id` under the active subject-wrapping key;
    /// returns that key's id and the wrapped bytes to store in the key store.
    pub fn wrap_subject_key(&self, case_id: &str, key: &crate::SubjectKey) -> Result<(u32, Vec<u8>), CryptoError> {
        let (id, kek) =
            self.active(KeyPurpose::SubjectWrapping).ok_or(CryptoError::MissingKey(KeyPurpose::SubjectWrapping))?;
        Ok((id, crate::subject::wrap(&kek.bytes, id, case_id, key)))
    }

    /// Opens a subject key stored for `case_id`, wrapped under the subject-wrapping key
    /// `wrapping_key_id`.
    pub fn unwrap_subject_key(
        &self,
        wrapping_key_id: u32,
        case_id: &str,
        wrapped: &[u8],
    ) -> Result<crate::SubjectKey, CryptoError> {
        let kek = match self.keys.get(&wrapping_key_id) {
            Some(k) if k.purpose == KeyPurpose::SubjectWrapping => k,
            _ => return Err(CryptoError::UnknownKey(wrapping_key_id)),
        };
        crate::subject::unwrap(&kek.bytes, wrapping_key_id, case_id, wrapped)
    }

    /// The key of the tamper-evident audit chain.
    pub fn audit_key(&self) -> AuditKey {
        let (_, key) = self.active_bytes(KeyPurpose::Audit);
        AuditKey::from_bytes(*key)
    }

    /// HMAC-SHA256 with the session key over `data` (domain-separated), e.g. for CSRF tokens
    /// bound to a session.
    pub fn session_mac(&self, data: &[u8]) -> [u8; 32] {
        let (_, key) = self.active_bytes(KeyPurpose::Session);
        hmac_sha256_parts(&key, &[b"haven-session-v1", data])
    }
}
