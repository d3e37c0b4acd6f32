//! Identifiers of the protocol: instances, keys and message types.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{b64_encode, sha256};

/// A value that could not be read, naming the field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    /// The field, as a path in the JSON (e.g. `header.created_at`).
    pub field: String,
    /// What is wrong with it (never the rejected value itself when it may be secret).
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), problem: problem.into() }
    }
}

/// The identifier of a Haven instance: the ISO 3166-1 alpha-2 code of its country (`LV`, `EE`),
/// `EU` for the EU hub, optionally followed by a hyphen and up to 29 upper-case letters or digits
/// for a second instance of the same country (`LV-TEST`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceId(String);

impl InstanceId {
    pub fn parse(field: &str, text: &str) -> Result<InstanceId, FieldError> {
        let bytes = text.as_bytes();
        let problem = || {
            FieldError::new(
                field,
                "an instance id is two upper-case letters (LV, EU), optionally followed by a hyphen and up to 29 upper-case letters or digits",
            )
        };
        if bytes.len() < 2 || bytes.len() > 32 || !bytes[..2].iter().all(u8::is_ascii_uppercase) {
            return Err(problem());
        }
        match &bytes[2..] {
            [] => {}
            [b'-', rest @ ..] if !rest.is_empty() => {
                if !rest.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
                    return Err(problem());
                }
            }
            _ => return Err(problem()),
        }
        Ok(InstanceId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for InstanceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for InstanceId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        InstanceId::parse("instance id", &text).map_err(|e| serde::de::Error::custom(e.problem))
    }
}

/// The identifier of a public key: base64url (no padding) of the SHA-256 of the raw 32-byte public
/// key (its thumbprint), 43 characters. The same for signing (Ed25519) and encryption (X25519)
/// keys; which kind a key id names follows from the field it is in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(String);

impl KeyId {
    /// The key id of a raw public key.
    pub fn of_public_key(public_key: &[u8; 32]) -> KeyId {
        KeyId(b64_encode(&sha256(public_key)))
    }

    pub fn parse(field: &str, text: &str) -> Result<KeyId, FieldError> {
        match crate::encoding::b64_decode_array::<32>(text) {
            Some(_) => Ok(KeyId(text.to_owned())),
            None => Err(FieldError::new(field, "a key id is base64url (no padding) of 32 bytes, 43 characters")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        KeyId::parse("key id", &text).map_err(|e| serde::de::Error::custom(e.problem))
    }
}

/// The type of a message (`referral`, `acknowledgement`, `statistics_submission`): a lower-case
/// letter, then up to 63 lower-case letters, digits or underscores.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageType(String);

impl MessageType {
    pub fn parse(field: &str, text: &str) -> Result<MessageType, FieldError> {
        let bytes = text.as_bytes();
        let ok = !bytes.is_empty()
            && bytes.len() <= 64
            && bytes[0].is_ascii_lowercase()
            && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
        if ok {
            Ok(MessageType(text.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                "a message type is a lower-case letter then up to 63 lower-case letters, digits or underscores",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for MessageType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MessageType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        MessageType::parse("message type", &text).map_err(|e| serde::de::Error::custom(e.problem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_are_country_codes_with_an_optional_suffix() {
        for ok in ["LV", "EU", "LV-TEST", "EE-2"] {
            assert!(InstanceId::parse("f", ok).is_ok(), "{ok}");
        }
        for bad in ["", "L", "lv", "LV-", "LVA", "LV_TEST", "LV-test", "1V", "LV-ÄÄ"] {
            assert_eq!(InstanceId::parse("f", bad).map_err(|e| e.field), Err("f".to_owned()), "{bad}");
        }
    }

    #[test]
    fn a_key_id_is_the_base64url_sha256_of_the_public_key() {
        let id = KeyId::of_public_key(&[0u8; 32]);
        assert_eq!(id.as_str(), "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU");
        assert!(KeyId::parse("f", id.as_str()).is_ok());
        assert!(KeyId::parse("f", "abc").is_err());
    }

    #[test]
    fn message_types_are_lower_case_words() {
        assert!(MessageType::parse("f", "statistics_submission").is_ok());
        assert!(MessageType::parse("f", "Referral").is_err());
        assert!(MessageType::parse("f", "_x").is_err());
        assert!(MessageType::parse("f", &"a".repeat(65)).is_err());
    }
}
