//! Signed and encrypted exchange between Haven instances (national focal points and the EU hub):
//! each instance's key pairs, the directory of peers with their pinned keys, and the envelope
//! (an Ed25519 signature inside HPKE, RFC 9180). The protocol is specified in
//! docs/transnational.md, with test vectors in `tests/vectors/`.
//!
//! Pure and synchronous: no IO, no clock reads (every time is a parameter), no panics on input.

mod directory;
pub mod encoding;
mod envelope;
mod evidence;
mod ids;
mod keys;
pub mod messages;

pub use directory::{
    DIRECTORY_ENTRY_SCHEMA, Directory, DirectoryEntry, DirectoryError, ENTRY_SIGNATURE_LABEL, KeyLookupError,
    KeyStatus, LocalRevocation, MAX_ENTRY_BYTES, MAX_KEYS_PER_KIND, PIN_SIGNATURE_LABEL, PeerRole, PinnedPeer,
    PublishedKey, SignedEntry, select_valid, spoken_fingerprint,
};
pub use envelope::{
    Envelope, HPKE_INFO, Header, KeyRole, MAX_CLOCK_SKEW, MAX_ENVELOPE_BYTES, MAX_HEADER_BYTES, MAX_MESSAGE_LIFETIME,
    MESSAGE_SIGNATURE_LABEL, MessageDraft, OpenError, OpenedMessage, PROTOCOL_VERSION, SealError, SeenMessages,
    check_freshness, open, seal, seal_with_rng,
};
pub use evidence::{EvidenceError, SignedOriginal};
pub use hpke::rand_core;
pub use ids::{FieldError, InstanceId, KeyId, MessageType};
pub use keys::{EncryptionKeyPair, KeyStorageError, LocalIdentity, SigningKeyPair};
