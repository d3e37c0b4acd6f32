//! The envelope: a message signed by its sender (Ed25519) and then encrypted to its receiver
//! (HPKE, RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305) with
//! the header as associated data, so the header is bound to both. See docs/transnational.md.

use hpke::rand_core::{CryptoRng, UnwrapErr};
use hpke::{Deserializable as _, Serializable as _};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::directory::{Directory, KeyLookupError, KeyStatus};
use crate::encoding::{b64_64, b64_bytes, b64_decode, b64_encode, from_json, rfc3339_z, signing_input};
use crate::ids::{FieldError, InstanceId, KeyId, MessageType};
use crate::keys::{HpkeAead, HpkeKdf, HpkeKem, LocalIdentity, hpke_public, verify_signature};

/// The version of the envelope format this crate writes and reads.
pub const PROTOCOL_VERSION: u32 = 1;
/// The HPKE `info` string (RFC 9180 §5.1), which binds the keys derived to this protocol.
pub const HPKE_INFO: &[u8] = b"haven-exchange-v1";
/// The label of the sender's signature over header and body.
pub const MESSAGE_SIGNATURE_LABEL: &str = "haven-exchange-message-v1";
/// The largest envelope accepted, in bytes of its JSON (HTTP 413 above it).
pub const MAX_ENVELOPE_BYTES: usize = 16 * 1024 * 1024;
/// The largest header accepted, in bytes of its JSON.
pub const MAX_HEADER_BYTES: usize = 4 * 1024;
/// How far in the future a message's `created_at` may be (the clocks of two instances differ).
pub const MAX_CLOCK_SKEW: Duration = Duration::minutes(5);
/// The longest a message may be valid (`expires_at - created_at`); a receiver must remember a
/// message id only this long.
pub const MAX_MESSAGE_LIFETIME: Duration = Duration::days(30);
/// Length of an X25519 encapsulated key (`enc`).
const ENC_LEN: usize = 32;

/// The header: in clear text in the envelope, authenticated by the HPKE AEAD (as associated data)
/// and by the sender's signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// [`PROTOCOL_VERSION`].
    pub version: u32,
    /// Chosen by the sender, unique per message; the receiver's idempotency key.
    #[serde(with = "crate::encoding::uuid_hyphenated")]
    pub message_id: Uuid,
    pub sender: InstanceId,
    pub receiver: InstanceId,
    pub message_type: MessageType,
    /// The version of the body's schema for this message type, from 1.
    pub type_version: u32,
    #[serde(with = "rfc3339_z")]
    pub created_at: OffsetDateTime,
    #[serde(with = "rfc3339_z")]
    pub expires_at: OffsetDateTime,
    /// The key id of the sender's Ed25519 key that signed the message.
    pub sender_signing_key: KeyId,
    /// The key id of the receiver's X25519 key the message is encrypted to.
    pub receiver_encryption_key: KeyId,
}

impl Header {
    /// Reads a header and checks what it says of itself: the version, a type version from 1,
    /// sender and receiver different, and an expiry after creation within
    /// [`MAX_MESSAGE_LIFETIME`].
    pub fn parse(bytes: &[u8]) -> Result<Header, OpenError> {
        if bytes.len() > MAX_HEADER_BYTES {
            return Err(OpenError::Malformed(FieldError::new(
                "header",
                format!("larger than {MAX_HEADER_BYTES} bytes"),
            )));
        }
        // The version first, so that a later version with other fields is named as such.
        #[derive(Deserialize)]
        struct VersionOnly {
            version: Option<serde_json::Value>,
        }
        if let Ok(VersionOnly { version: Some(v) }) = serde_json::from_slice::<VersionOnly>(bytes)
            && v.as_u64() != Some(u64::from(PROTOCOL_VERSION))
        {
            return Err(OpenError::UnsupportedVersion { version: v.to_string() });
        }
        let header: Header = from_json("header", bytes)?;
        header.check().map_err(OpenError::Malformed)?;
        Ok(header)
    }

    fn check(&self) -> Result<(), FieldError> {
        if self.type_version == 0 {
            return Err(FieldError::new("header.type_version", "must be 1 or more"));
        }
        if self.sender == self.receiver {
            return Err(FieldError::new("header.receiver", "must differ from the sender"));
        }
        if self.expires_at <= self.created_at {
            return Err(FieldError::new("header.expires_at", "must be later than created_at"));
        }
        if self.expires_at - self.created_at > MAX_MESSAGE_LIFETIME {
            return Err(FieldError::new(
                "header.expires_at",
                format!("at most {} days after created_at", MAX_MESSAGE_LIFETIME.whole_days()),
            ));
        }
        Ok(())
    }

    /// Until when a receiver must remember this message id to refuse a replay: its expiry (an
    /// expired message is refused anyway).
    pub fn remember_until(&self) -> OffsetDateTime {
        self.expires_at
    }
}

/// Whether a message may be accepted at `now` as far as time goes: refused from its `expires_at`
/// on ([`OpenError::Expired`]) and while its `created_at` is more than [`MAX_CLOCK_SKEW`] ahead of
/// `now` ([`OpenError::NotYetValid`]).
pub fn check_freshness(header: &Header, now: OffsetDateTime) -> Result<(), OpenError> {
    if now >= header.expires_at {
        return Err(OpenError::Expired { expires_at: header.expires_at });
    }
    if header.created_at > now + MAX_CLOCK_SKEW {
        return Err(OpenError::NotYetValid { created_at: header.created_at });
    }
    Ok(())
}

/// Which key a key problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRole {
    /// The sender's signing key (`header.sender_signing_key`).
    SenderSigning,
    /// The receiver's encryption key (`header.receiver_encryption_key`).
    ReceiverEncryption,
}

impl std::fmt::Display for KeyRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyRole::SenderSigning => "sender signing key",
            KeyRole::ReceiverEncryption => "receiver encryption key",
        })
    }
}

/// Why an envelope was refused. [`OpenError::code`] and [`OpenError::http_status`] are what a
/// receiver answers; the message names the problem and never contains the body.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("the envelope is {size} bytes, more than the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("malformed envelope: {0}")]
    Malformed(#[from] FieldError),
    #[error("envelope version {version} is not supported (this receiver reads version {PROTOCOL_VERSION})")]
    UnsupportedVersion { version: String },
    #[error("the envelope is addressed to {receiver}, not to this instance")]
    WrongReceiver { receiver: InstanceId },
    #[error("the message expired at {expires_at}")]
    Expired { expires_at: OffsetDateTime },
    #[error("the message was created at {created_at}, later than now plus the allowed clock skew")]
    NotYetValid { created_at: OffsetDateTime },
    #[error("the sender {sender} is not in the directory of peers")]
    UnknownSender { sender: InstanceId },
    #[error("unknown {role} {key_id}")]
    UnknownKey { role: KeyRole, key_id: KeyId },
    #[error("the {role} {key_id} was revoked at {revoked_at}")]
    KeyRevoked { role: KeyRole, key_id: KeyId, revoked_at: OffsetDateTime },
    #[error("the {role} {key_id} expired at {valid_until}")]
    KeyExpired { role: KeyRole, key_id: KeyId, valid_until: OffsetDateTime },
    #[error("the {role} {key_id} is valid only from {valid_from}")]
    KeyNotYetValid { role: KeyRole, key_id: KeyId, valid_from: OffsetDateTime },
    #[error(
        "decryption failed: the ciphertext, the header or the encapsulated key was changed, or the message was encrypted to another key"
    )]
    DecryptionFailed,
    #[error("the sender's signature does not verify")]
    BadSignature,
    #[error("message {message_id} was received already")]
    Replayed { message_id: Uuid },
}

impl OpenError {
    /// A stable code for the error, for the receiver's answer and audit entries.
    pub fn code(&self) -> &'static str {
        match self {
            OpenError::TooLarge { .. } => "too_large",
            OpenError::Malformed(_) => "malformed",
            OpenError::UnsupportedVersion { .. } => "unsupported_version",
            OpenError::WrongReceiver { .. } => "wrong_receiver",
            OpenError::Expired { .. } => "expired",
            OpenError::NotYetValid { .. } => "not_yet_valid",
            OpenError::UnknownSender { .. } => "unknown_sender",
            OpenError::UnknownKey { .. } => "unknown_key",
            OpenError::KeyRevoked { .. } => "key_revoked",
            OpenError::KeyExpired { .. } => "key_expired",
            OpenError::KeyNotYetValid { .. } => "key_not_yet_valid",
            OpenError::DecryptionFailed => "decryption_failed",
            OpenError::BadSignature => "bad_signature",
            OpenError::Replayed { .. } => "replayed",
        }
    }

    /// The HTTP status a receiver answers with (docs/transnational.md, "Errors").
    pub fn http_status(&self) -> u16 {
        match self {
            OpenError::TooLarge { .. } => 413,
            OpenError::Malformed(_) | OpenError::DecryptionFailed => 400,
            OpenError::UnknownSender { .. } => 403,
            OpenError::BadSignature => 401,
            OpenError::UnknownKey { role, .. }
            | OpenError::KeyRevoked { role, .. }
            | OpenError::KeyExpired { role, .. }
            | OpenError::KeyNotYetValid { role, .. } => match role {
                KeyRole::SenderSigning => 401,
                KeyRole::ReceiverEncryption => 422,
            },
            OpenError::UnsupportedVersion { .. } | OpenError::WrongReceiver { .. } | OpenError::NotYetValid { .. } => {
                422
            }
            OpenError::Expired { .. } => 410,
            OpenError::Replayed { .. } => 409,
        }
    }

    /// The field a malformed envelope is refused for, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            OpenError::Malformed(e) => Some(&e.field),
            _ => None,
        }
    }

    fn from_key(role: KeyRole, key_id: &KeyId, error: KeyLookupError, sender: &InstanceId) -> OpenError {
        let key_id = key_id.clone();
        match error {
            KeyLookupError::UnknownInstance => OpenError::UnknownSender { sender: sender.clone() },
            KeyLookupError::UnknownKey | KeyLookupError::NoValidKey => OpenError::UnknownKey { role, key_id },
            KeyLookupError::Status(KeyStatus::Revoked { revoked_at }) => {
                OpenError::KeyRevoked { role, key_id, revoked_at }
            }
            KeyLookupError::Status(KeyStatus::Expired { valid_until }) => {
                OpenError::KeyExpired { role, key_id, valid_until }
            }
            KeyLookupError::Status(KeyStatus::NotYetValid { valid_from }) => {
                OpenError::KeyNotYetValid { role, key_id, valid_from }
            }
            KeyLookupError::Status(KeyStatus::Valid) => OpenError::UnknownKey { role, key_id },
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvelopeWire {
    header: String,
    enc: String,
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct InnerWire {
    #[serde(with = "b64_bytes")]
    body: Vec<u8>,
    #[serde(with = "b64_64")]
    signature: [u8; 64],
}

/// An envelope as sent: `{"header": base64url(header JSON), "enc": base64url(32 bytes),
/// "ciphertext": base64url}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    header: Header,
    header_bytes: Vec<u8>,
    enc: [u8; ENC_LEN],
    ciphertext: Vec<u8>,
}

impl Envelope {
    /// Reads an envelope: size, JSON structure, base64url fields and the header (see
    /// [`Header::parse`]). Nothing is decrypted or verified here.
    pub fn parse(bytes: &[u8]) -> Result<Envelope, OpenError> {
        if bytes.len() > MAX_ENVELOPE_BYTES {
            return Err(OpenError::TooLarge { size: bytes.len(), limit: MAX_ENVELOPE_BYTES });
        }
        let wire: EnvelopeWire = from_json("envelope", bytes)?;
        let header_bytes = b64_decode(&wire.header)
            .ok_or_else(|| FieldError::new("header", "expected base64url (no padding) of the header JSON"))?;
        let enc: [u8; ENC_LEN] = b64_decode(&wire.enc)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| FieldError::new("enc", "expected base64url (no padding) of 32 bytes"))?;
        let ciphertext = b64_decode(&wire.ciphertext)
            .ok_or_else(|| FieldError::new("ciphertext", "expected base64url (no padding)"))?;
        if ciphertext.len() < 16 {
            return Err(FieldError::new("ciphertext", "shorter than the 16-byte authentication tag").into());
        }
        let header = Header::parse(&header_bytes)?;
        Ok(Envelope { header, header_bytes, enc, ciphertext })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The exact header bytes (the HPKE associated data, and signed).
    pub fn header_bytes(&self) -> &[u8] {
        &self.header_bytes
    }

    /// The JSON form sent over the wire.
    pub fn to_json(&self) -> Vec<u8> {
        let wire = EnvelopeWire {
            header: b64_encode(&self.header_bytes),
            enc: b64_encode(&self.enc),
            ciphertext: b64_encode(&self.ciphertext),
        };
        serde_json::to_vec(&wire).unwrap_or_default()
    }
}

/// A message to seal: everything of the header but the keys, which [`seal`] fills in, and the
/// body (JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageDraft {
    pub message_id: Uuid,
    pub receiver: InstanceId,
    pub message_type: MessageType,
    pub type_version: u32,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// The body, JSON text (UTF-8).
    pub body: Vec<u8>,
}

/// Why a message could not be sealed.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("cannot seal: {0}")]
    Invalid(#[from] FieldError),
    #[error("the receiver {receiver} is not in the directory of peers")]
    UnknownReceiver { receiver: InstanceId },
    #[error("the receiver {receiver} has no encryption key valid at {at}")]
    NoValidReceiverKey { receiver: InstanceId, at: OffsetDateTime },
    #[error("the envelope would be {size} bytes, more than the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("HPKE encryption failed")]
    Encryption,
}

/// A message opened and verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedMessage {
    pub header: Header,
    /// The body, JSON text as the sender signed it.
    pub body: Vec<u8>,
    header_bytes: Vec<u8>,
    signature: [u8; 64],
}

impl OpenedMessage {
    /// The exact header bytes the sender signed (with the body, under
    /// [`MESSAGE_SIGNATURE_LABEL`]): what a receiver keeps to let anyone verify the signature later.
    pub fn header_bytes(&self) -> &[u8] {
        &self.header_bytes
    }

    /// The sender's Ed25519 signature over header and body (made with
    /// `header.sender_signing_key`).
    pub fn signature(&self) -> &[u8; 64] {
        &self.signature
    }

    /// The body read as `T`; a problem names the field (`body.purpose`).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, FieldError> {
        from_json("body", &self.body)
    }
}

/// Signs and encrypts a message with fresh operating-system randomness. See [`seal_with_rng`].
pub fn seal(draft: &MessageDraft, sender: &LocalIdentity, directory: &Directory) -> Result<Envelope, SealError> {
    seal_with_rng(draft, sender, directory, &mut UnwrapErr(getrandom::SysRng))
}

/// Signs and encrypts a message: the header gets the sender's signing key and the receiver's
/// encryption key valid at `created_at` (the newest if several); the signature covers header and
/// body; HPKE seals `{"body", "signature"}` to the receiver's key with the header as associated
/// data. `rng` gives the ephemeral key; only test vectors pass a fixed one.
pub fn seal_with_rng(
    draft: &MessageDraft,
    sender: &LocalIdentity,
    directory: &Directory,
    rng: &mut impl CryptoRng,
) -> Result<Envelope, SealError> {
    if serde_json::from_slice::<serde::de::IgnoredAny>(&draft.body).is_err() {
        return Err(FieldError::new("body", "is not JSON text").into());
    }
    let receiver_key = directory.current_encryption_key(&draft.receiver, draft.created_at).map_err(|e| match e {
        KeyLookupError::UnknownInstance => SealError::UnknownReceiver { receiver: draft.receiver.clone() },
        _ => SealError::NoValidReceiverKey { receiver: draft.receiver.clone(), at: draft.created_at },
    })?;
    let header = Header {
        version: PROTOCOL_VERSION,
        message_id: draft.message_id,
        sender: sender.instance_id.clone(),
        receiver: draft.receiver.clone(),
        message_type: draft.message_type.clone(),
        type_version: draft.type_version,
        created_at: draft.created_at,
        expires_at: draft.expires_at,
        sender_signing_key: sender.signing.key_id().clone(),
        receiver_encryption_key: receiver_key.key_id.clone(),
    };
    header.check()?;
    let header_bytes = serde_json::to_vec(&header).map_err(|_| FieldError::new("header", "cannot be written"))?;
    if header_bytes.len() > MAX_HEADER_BYTES {
        return Err(FieldError::new("header", format!("larger than {MAX_HEADER_BYTES} bytes")).into());
    }
    let signature = sender.signing.sign(&signing_input(MESSAGE_SIGNATURE_LABEL, &[&header_bytes, &draft.body]));
    let inner = zeroize::Zeroizing::new(
        serde_json::to_vec(&InnerWire { body: draft.body.clone(), signature })
            .map_err(|_| FieldError::new("body", "cannot be written"))?,
    );
    let public = hpke_public(&receiver_key.public_key).ok_or(SealError::Encryption)?;
    let (enc, ciphertext) = hpke::single_shot_seal_with_rng::<HpkeAead, HpkeKdf, HpkeKem>(
        &hpke::OpModeS::Base,
        &public,
        HPKE_INFO,
        &inner,
        &header_bytes,
        rng,
    )
    .map_err(|_| SealError::Encryption)?;
    let mut enc_bytes = [0u8; ENC_LEN];
    enc_bytes.copy_from_slice(&enc.to_bytes());
    let envelope = Envelope { header, header_bytes, enc: enc_bytes, ciphertext };
    let size = envelope.to_json().len();
    if size > MAX_ENVELOPE_BYTES {
        return Err(SealError::TooLarge { size, limit: MAX_ENVELOPE_BYTES });
    }
    Ok(envelope)
}

/// Opens an envelope received at `now` by `local`, checking in this order: size, structure and
/// header; the receiver; expiry and clock skew; the sender and its signing key in the directory
/// (valid and not revoked at `now`); the receiver's encryption key (held by `local`, and valid at
/// `now` when the directory lists the local instance); decryption; the signature; the body is
/// JSON. Replays (a message id seen before) are the caller's to refuse, with
/// [`SeenMessages`] or its own store of ids kept until [`Header::remember_until`].
pub fn open(
    bytes: &[u8],
    now: OffsetDateTime,
    local: &LocalIdentity,
    directory: &Directory,
) -> Result<OpenedMessage, OpenError> {
    let envelope = Envelope::parse(bytes)?;
    let header = &envelope.header;
    if header.receiver != local.instance_id {
        return Err(OpenError::WrongReceiver { receiver: header.receiver.clone() });
    }
    check_freshness(header, now)?;
    let signing_key = directory
        .signing_key(&header.sender, &header.sender_signing_key, now)
        .map_err(|e| OpenError::from_key(KeyRole::SenderSigning, &header.sender_signing_key, e, &header.sender))?;
    let receiver_key_id = &header.receiver_encryption_key;
    let own_key = local
        .encryption_key(receiver_key_id)
        .ok_or_else(|| OpenError::UnknownKey { role: KeyRole::ReceiverEncryption, key_id: receiver_key_id.clone() })?;
    if directory.peer(&local.instance_id).is_some() {
        directory
            .encryption_key(&local.instance_id, receiver_key_id, now)
            .map_err(|e| OpenError::from_key(KeyRole::ReceiverEncryption, receiver_key_id, e, &local.instance_id))?;
    }
    let enc =
        <HpkeKem as hpke::Kem>::EncappedKey::from_bytes(&envelope.enc).map_err(|_| OpenError::DecryptionFailed)?;
    let inner = zeroize::Zeroizing::new(
        hpke::single_shot_open::<HpkeAead, HpkeKdf, HpkeKem>(
            &hpke::OpModeR::Base,
            own_key.hpke_private(),
            &enc,
            HPKE_INFO,
            &envelope.ciphertext,
            &envelope.header_bytes,
        )
        .map_err(|_| OpenError::DecryptionFailed)?,
    );
    let inner: InnerWire = from_json("inner", &inner)?;
    let signed = signing_input(MESSAGE_SIGNATURE_LABEL, &[&envelope.header_bytes, &inner.body]);
    if !verify_signature(&signing_key.public_key, &signed, &inner.signature) {
        return Err(OpenError::BadSignature);
    }
    if serde_json::from_slice::<serde::de::IgnoredAny>(&inner.body).is_err() {
        return Err(FieldError::new("body", "is not JSON text").into());
    }
    Ok(OpenedMessage {
        header: envelope.header,
        body: inner.body,
        header_bytes: envelope.header_bytes,
        signature: inner.signature,
    })
}

/// The message ids seen, each kept until its message expires: a reference implementation of the
/// receiver's replay check (a store does the same with a table).
#[derive(Clone, Debug, Default)]
pub struct SeenMessages {
    seen: std::collections::BTreeMap<Uuid, OffsetDateTime>,
}

impl SeenMessages {
    pub fn new() -> SeenMessages {
        SeenMessages::default()
    }

    /// Records a message opened at `now`; [`OpenError::Replayed`] when its id was seen before and
    /// not yet forgotten. Forgets ids whose messages have expired.
    pub fn record(&mut self, header: &Header, now: OffsetDateTime) -> Result<(), OpenError> {
        self.seen.retain(|_, until| *until > now);
        if self.seen.contains_key(&header.message_id) {
            return Err(OpenError::Replayed { message_id: header.message_id });
        }
        self.seen.insert(header.message_id, header.remember_until());
        Ok(())
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}
