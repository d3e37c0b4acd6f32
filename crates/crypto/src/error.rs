use thiserror::Error;

/// Every error of this crate. Messages name what went wrong and never contain key material,
/// plaintext or the secret input that was rejected.
#[derive(Debug, Error)]
pub enum CryptoError {
    /// The master key does not match the one the data keys (or the backup) were wrapped with.
    #[error("the master key does not match the one the data was encrypted with (wrong master key)")]
    WrongMasterKey,
    /// Authentication failed: an encrypted field, a wrapped key or a backup was modified,
    /// truncated, or moved to another place (table, column, row).
    #[error("authentication failed: the data was modified, truncated or moved to another place (tampered)")]
    Tampered,
    /// The bytes are not in a format this crate produces.
    #[error("malformed ciphertext: {0}")]
    MalformedCiphertext(String),
    /// A ciphertext names a key id that is not in the keyring (or not of the expected purpose).
    #[error("unknown key id {0}: no such data key in the keyring")]
    UnknownKey(u32),
    /// A field encrypted under a subject key (format version 2) whose key is not held: destroyed
    /// by an erasure (crypto-shredding), or created by another server and not loaded yet.
    #[error("unknown subject key id {0}: the key is destroyed or not loaded")]
    UnknownSubjectKey(u32),
    /// The stored keys lack a key of this purpose.
    #[error("the keyring has no {0} key")]
    MissingKey(crate::KeyPurpose),
    /// The key is the active one of its purpose and cannot be removed.
    #[error("data key {0} is the active key of its purpose and cannot be retired")]
    ActiveKey(u32),
    /// The stored keys contain the same id twice.
    #[error("the keyring contains key id {0} twice")]
    DuplicateKey(u32),
    /// An unknown key purpose name.
    #[error("unknown key purpose {0:?} (expected field, blind_index, audit, session or subject_wrapping)")]
    UnknownKeyPurpose(String),
    /// A master key given as text is not base64 of 32 bytes.
    #[error("invalid master key encoding: {0}")]
    InvalidKeyEncoding(String),
    /// The master key file cannot be used.
    #[error("master key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Password hashing or a stored password hash is malformed.
    #[error("password hash: {0}")]
    Password(String),
    /// A TOTP secret is malformed.
    #[error("TOTP: {0}")]
    Totp(String),
}
