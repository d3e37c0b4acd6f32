//! The byte encodings of the protocol: base64url without padding (RFC 4648 §5), SHA-256 key
//! thumbprints, RFC 3339 times, and the domain-separated byte strings that are signed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// base64url without padding.
pub fn b64_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding; `None` for anything else (padding, the standard alphabet,
/// whitespace, non-canonical trailing bits).
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Decodes base64url of exactly `N` bytes.
pub fn b64_decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    b64_decode(text)?.try_into().ok()
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// RFC 3339 text of a time, in UTC with a `Z` (fractions of a second only when not zero).
pub fn format_time(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    // Formatting a UTC time with a four-digit year cannot fail; years outside 0..=9999 are
    // refused when parsing and when checking drafts, so this fallback is never shown.
    utc.format(&Rfc3339).unwrap_or_else(|_| String::from("invalid-time"))
}

/// Parses RFC 3339 text; the offset must be `Z` (UTC) and the year 0..=9999.
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    if !text.ends_with('Z') {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// The bytes a signature covers: a context label, a zero byte, then each part preceded by its
/// length as a 4-byte big-endian integer. The label keeps a signature made for one purpose from
/// verifying for another.
pub fn signing_input(label: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(label.len() + 1 + parts.iter().map(|p| p.len() + 4).sum::<usize>());
    out.extend_from_slice(label.as_bytes());
    out.push(0);
    for part in parts {
        let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

pub(crate) mod rfc3339_z {
    //! Serde for times as RFC 3339 in UTC (`Z`).
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(at: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_time(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text)
            .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time in UTC (e.g. 2026-12-06T12:00:00Z)"))
    }

    pub mod option {
        //! The same for optional times (`null` when absent).
        use serde::{Deserialize, Deserializer, Serializer};
        use time::OffsetDateTime;

        pub fn serialize<S: Serializer>(at: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => s.serialize_str(&super::super::format_time(*at)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
            let text = Option::<String>::deserialize(d)?;
            match text {
                None => Ok(None),
                Some(text) => super::super::parse_time(&text)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time in UTC (e.g. 2026-12-06T12:00:00Z)")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_refuses_padding_and_the_standard_alphabet() {
        assert_eq!(b64_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64_decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(b64_decode("-_8="), None);
        assert_eq!(b64_decode("+/8"), None);
    }

    #[test]
    fn times_must_be_utc_with_z() {
        assert!(parse_time("2026-12-06T12:00:00Z").is_some());
        assert!(parse_time("2026-12-06T12:00:00+02:00").is_none());
        assert!(parse_time("2026-12-06").is_none());
        let at = time::macros::datetime!(2026-12-06 12:00:00 UTC);
        assert_eq!(format_time(at), "2026-12-06T12:00:00Z");
    }

    #[test]
    fn signing_input_prefixes_each_part_with_its_length() {
        let a = signing_input("x", &[b"ab", b"c"]);
        let b = signing_input("x", &[b"a", b"bc"]);
        assert_ne!(a, b);
        assert_eq!(a, [b'x', 0, 0, 0, 0, 2, b'a', b'b', 0, 0, 0, 1, b'c']);
    }
}

pub(crate) mod b64_32 {
    //! Serde for 32 raw bytes as base64url.
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::b64_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        super::b64_decode_array::<32>(&text)
            .ok_or_else(|| serde::de::Error::custom("expected base64url (no padding) of 32 bytes"))
    }
}

pub(crate) mod b64_64 {
    //! Serde for 64 raw bytes (a signature) as base64url.
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::b64_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 64], D::Error> {
        let text = String::deserialize(d)?;
        super::b64_decode_array::<64>(&text)
            .ok_or_else(|| serde::de::Error::custom("expected base64url (no padding) of 64 bytes"))
    }
}

pub(crate) mod b64_bytes {
    //! Serde for any bytes as base64url.
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::b64_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        super::b64_decode(&text).ok_or_else(|| serde::de::Error::custom("expected base64url (no padding)"))
    }
}

pub(crate) mod uuid_hyphenated {
    //! A UUID as lower-case hyphenated text only (`01234567-89ab-...`).
    use serde::{Deserialize, Deserializer, Serializer};
    use uuid::Uuid;

    pub fn serialize<S: Serializer>(id: &Uuid, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&id.hyphenated().to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Uuid, D::Error> {
        let text = String::deserialize(d)?;
        match Uuid::try_parse(&text) {
            Ok(id) if id.hyphenated().to_string() == text => Ok(id),
            _ => Err(serde::de::Error::custom("expected a UUID in lower-case hyphenated form")),
        }
    }
}

/// Reads JSON into `T`, naming the path of the first problem (`entry.signing_keys[0].valid_from`).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    prefix: &str,
    bytes: &[u8],
) -> Result<T, crate::ids::FieldError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() { prefix.to_owned() } else { format!("{prefix}.{path}") };
        crate::ids::FieldError::new(field, strip_position(&e.into_inner().to_string()))
    })?;
    de.end().map_err(|_| crate::ids::FieldError::new(prefix, "trailing characters after the JSON value"))?;
    Ok(value)
}

/// serde_json's messages end in " at line L column C"; the field path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
