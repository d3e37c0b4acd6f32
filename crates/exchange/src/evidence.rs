//! The signed original of a received message, kept as evidence: the exact header bytes, the
//! body bytes and the sender's Ed25519 signature over both (docs/transnational.md §8). With the
//! directory of peers anyone can check later that the sender signed exactly this content; a
//! single changed byte makes the check fail.

use serde::{Deserialize, Serialize};

use crate::directory::{Directory, KeyLookupError};
use crate::encoding::{b64_64, b64_bytes, signing_input};
use crate::envelope::{Header, MESSAGE_SIGNATURE_LABEL, OpenError, OpenedMessage};
use crate::ids::{FieldError, InstanceId, KeyId};
use crate::keys::verify_signature;

/// What a receiver keeps of a message to prove later what its sender signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedOriginal {
    /// The header exactly as signed (JSON bytes; names sender and signing key).
    #[serde(with = "b64_bytes")]
    pub header: Vec<u8>,
    /// The body exactly as signed (JSON bytes).
    #[serde(with = "b64_bytes")]
    pub body: Vec<u8>,
    /// The sender's Ed25519 signature over header and body, under
    /// [`MESSAGE_SIGNATURE_LABEL`].
    #[serde(with = "b64_64")]
    pub signature: [u8; 64],
}

/// Why a stored original does not verify.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("the stored header cannot be read: {0}")]
    Header(FieldError),
    #[error("the sender {sender} is not in the directory of peers")]
    UnknownSender { sender: InstanceId },
    #[error("the sender's signing key {key_id} is not in its pinned entry, or was not valid when the message was made")]
    KeyNotValidWhenSigned { key_id: KeyId },
    #[error("the signature does not verify: header, body or signature differ from what the sender signed")]
    BadSignature,
}

impl SignedOriginal {
    /// The original of a message as it was opened.
    pub fn of(message: &OpenedMessage) -> SignedOriginal {
        SignedOriginal {
            header: message.header_bytes().to_vec(),
            body: message.body.clone(),
            signature: *message.signature(),
        }
    }

    /// Checks the signature against the sender's signing key named in the header, as pinned in
    /// `directory` and valid (not yet revoked) when the message was made (`header.created_at`).
    /// Returns the header read.
    pub fn verify(&self, directory: &Directory) -> Result<Header, EvidenceError> {
        let header = Header::parse(&self.header).map_err(|e| match e {
            OpenError::Malformed(f) => EvidenceError::Header(f),
            other => EvidenceError::Header(FieldError::new("header", other.to_string())),
        })?;
        let key = directory.signing_key(&header.sender, &header.sender_signing_key, header.created_at).map_err(
            |e| match e {
                KeyLookupError::UnknownInstance => EvidenceError::UnknownSender { sender: header.sender.clone() },
                _ => EvidenceError::KeyNotValidWhenSigned { key_id: header.sender_signing_key.clone() },
            },
        )?;
        let signed = signing_input(MESSAGE_SIGNATURE_LABEL, &[&self.header, &self.body]);
        if !verify_signature(&key.public_key, &signed, &self.signature) {
            return Err(EvidenceError::BadSignature);
        }
        Ok(header)
    }
}
