//! Cryptography for Haven: field encryption at rest under data keys wrapped by a master key, key
//! rotation, blind indexes, the tamper-evident audit chain, password hashing, API tokens, TOTP and
//! encrypted backups.
//!
//! Pure library: no database, no async, no clock reads (time is passed in). Secrets are zeroized on
//! drop and never shown by `Debug`. See `README.md` in this crate for the formats and the schemes.

mod audit;
mod backup;
mod error;
mod keyring;
mod mac;
mod master;
mod password;
mod random;
mod subject;
mod totp;

pub use audit::{
    AUDIT_GENESIS, AnchorFormatError, AuditAnchor, AuditCheckpoint, AuditKey, ChainBreak, ChainedEntry, audit_head_mac,
    audit_mac, decode_mac_hex, encode_mac_hex, verify_audit_chain, verify_audit_chain_anchored, verify_audit_head,
};
pub use backup::{BACKUP_CHUNK_SIZE, BACKUP_MAGIC, decrypt_backup, encrypt_backup};
pub use error::CryptoError;
pub use keyring::{FIELD_FORMAT_VERSION, FieldContext, KeyPurpose, Keyring, WrappedKey};
pub use master::MasterKey;
#[cfg(any(test, feature = "test-params"))]
pub use password::hash_password_fast;
pub use password::{generate_password, generate_token, hash_password, hash_token, verify_password};
pub use random::{constant_time_eq, random_bytes};
pub use subject::{SUBJECT_FIELD_FORMAT_VERSION, SubjectKey, field_format_version, subject_key_id};
pub use totp::TotpSecret;
