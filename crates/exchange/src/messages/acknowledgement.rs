//! `acknowledgement`, type version 1: the receiver's answer to a message it opened: received
//! (stored, before any review), accepted, or refused with a reason. JSON Schema:
//! `schemas/acknowledgement.v1.schema.json`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Narrative;
use crate::encoding::{b64_32, from_json};
use crate::ids::{FieldError, MessageType};

/// The message type.
pub const MESSAGE_TYPE: &str = "acknowledgement";
/// The type version this module reads and writes.
pub const TYPE_VERSION: u32 = 1;
/// The JSON Schema of the body.
pub const SCHEMA: &str = include_str!("../../schemas/acknowledgement.v1.schema.json");

/// What the acknowledgement says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcknowledgementStatus {
    /// Opened, verified and stored; not yet reviewed.
    Received,
    /// Reviewed and taken up (for a referral: the receiving focal point accepts it).
    Accepted,
    /// Reviewed and declined, for the stated reason.
    Refused,
}

/// Why a message was refused after it was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The receiver is not competent for the request (another country, another mandate).
    NotCompetent,
    /// The message lacks information the receiver needs to act.
    InsufficientInformation,
    /// The consent, or for a child the best-interests determination or the guardian's view, is
    /// missing or does not cover the request.
    BasisInsufficient,
    /// No organisation can take the person up now.
    NoCapacity,
    /// The body does not follow the schema of its type and version.
    InvalidBody,
    /// The receiver does not handle this message type or type version.
    UnsupportedMessageType,
    /// Another reason, stated in the explanation.
    Other,
}

/// The reason of a refusal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub reason: RefusalReason,
    /// Required for [`RefusalReason::Other`]; no personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Narrative>,
}

/// The body of an `acknowledgement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The `message_id` of the message acknowledged.
    #[serde(with = "crate::encoding::uuid_hyphenated")]
    pub acknowledges: Uuid,
    /// Its `message_type`.
    pub acknowledged_type: MessageType,
    /// SHA-256 of the envelope as received (base64url): proof of what was received.
    #[serde(with = "b64_32")]
    pub envelope_sha256: [u8; 32],
    pub status: AcknowledgementStatus,
    /// Present exactly when the status is `refused`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
}

impl Acknowledgement {
    /// Reads a body, naming the field of any problem.
    pub fn parse(body: &[u8]) -> Result<Acknowledgement, FieldError> {
        let ack: Acknowledgement = from_json("body", body)?;
        ack.check()?;
        Ok(ack)
    }

    fn check(&self) -> Result<(), FieldError> {
        match (self.status, &self.refusal) {
            (AcknowledgementStatus::Refused, None) => {
                return Err(FieldError::new("body.refusal", "a refusal states its reason"));
            }
            (AcknowledgementStatus::Received | AcknowledgementStatus::Accepted, Some(_)) => {
                return Err(FieldError::new("body.refusal", "only a refusal has one"));
            }
            _ => {}
        }
        if let Some(refusal) = &self.refusal
            && refusal.reason == RefusalReason::Other
            && refusal.explanation.is_none()
        {
            return Err(FieldError::new("body.refusal.explanation", "required when the reason is other"));
        }
        Ok(())
    }

    /// The body as JSON, after the same checks as [`Acknowledgement::parse`].
    pub fn to_json(&self) -> Result<Vec<u8>, FieldError> {
        self.check()?;
        serde_json::to_vec(self).map_err(|_| FieldError::new("body", "cannot be written"))
    }
}
