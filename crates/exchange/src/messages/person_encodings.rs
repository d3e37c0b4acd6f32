//! `person_encodings`, type version 1: a country's identified persons of a reference period as
//! Bloom-filter encodings (CLK, docs/linkage.md "Privacy-preserving linkage between countries"),
//! sent by its focal point to the EU hub, which counts the persons across countries once
//! (docs/transnational.md, "Persons counted once across borders"). JSON Schema:
//! `schemas/person_encodings.v1.schema.json`.
//!
//! No name, date or document is in it: each encoding is made in the country under keys derived
//! from a secret the focal points share and the hub does not hold. The record ids are opaque and
//! drawn at random for each submission (never case or person ids), so that two submissions of a
//! country cannot be joined by them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::CountryCode;
use crate::encoding::from_json;
use crate::ids::FieldError;

/// The message type.
pub const MESSAGE_TYPE: &str = "person_encodings";
/// The type version this module reads and writes.
pub const TYPE_VERSION: u32 = 1;
/// The JSON Schema of the body.
pub const SCHEMA: &str = include_str!("../../schemas/person_encodings.v1.schema.json");
/// The most encodings in one submission.
pub const MAX_RECORDS: usize = 100_000;
/// The most fields in the encoding schema.
pub const MAX_FIELDS: usize = 16;
/// The longest record id, in characters.
pub const MAX_RECORD_ID_CHARS: usize = 32;
/// The largest body, in bytes (within the envelope's limit).
pub const MAX_BODY_BYTES: usize = 15 * 1024 * 1024;

/// How a field is cut into tokens before it is hashed into the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Bigrams,
    Positional,
    Date,
}

/// One field of the encoding schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodedField {
    /// The field's name (`names`, `date_of_birth`): lower-case letters, digits, underscores.
    pub name: String,
    pub tokens: TokenKind,
    /// Bits set for the whole field.
    pub bits_per_feature: u32,
}

/// The hardening applied after encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodingHardening {
    pub xor_fold: bool,
    pub balance: bool,
}

/// The encoding schema: everything but the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodingSchema {
    /// Filter length before hardening, a multiple of 128 from 128 to 8192.
    pub bits: u32,
    /// How Cyrillic is folded to Latin before tokens are made (`icao`).
    pub cyrillic: String,
    pub hardening: EncodingHardening,
    pub fields: Vec<EncodedField>,
    /// Which generation of the shared secret the keys were derived from (a label, not the
    /// secret): encodings of different generations cannot be compared.
    pub secret_generation: String,
}

impl EncodingSchema {
    /// Bits of each encoding after hardening.
    pub fn encoded_bits(&self) -> u32 {
        let b = if self.hardening.xor_fold { self.bits / 2 } else { self.bits };
        if self.hardening.balance { b * 2 } else { b }
    }
}

/// One encoded person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodedPerson {
    /// Opaque, drawn at random for this submission.
    pub id: String,
    /// The filter, standard base64 with padding (little-endian 64-bit words).
    pub clk: String,
}

/// The body of a `person_encodings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEncodings {
    /// The country whose identified persons these are.
    pub country: CountryCode,
    /// The reference period: a calendar year, `YYYY`.
    pub reference_period: String,
    pub schema: EncodingSchema,
    /// The number of persons, which is the number of encodings.
    pub count: u32,
    pub persons: Vec<EncodedPerson>,
}

fn label_ok(t: &str, max: usize) -> bool {
    !t.is_empty() && t.len() <= max && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl PersonEncodings {
    /// Reads a body, naming the field of any problem.
    pub fn parse(body: &[u8]) -> Result<PersonEncodings, FieldError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(FieldError::new("body", format!("larger than {MAX_BODY_BYTES} bytes")));
        }
        let message: PersonEncodings = from_json("body", body)?;
        message.check()?;
        Ok(message)
    }

    /// The reference year.
    pub fn reference_year(&self) -> Result<u16, FieldError> {
        let problem = || FieldError::new("body.reference_period", "a reference period is a year, YYYY (2025)");
        if self.reference_period.len() != 4 || !self.reference_period.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem());
        }
        self.reference_period.parse().map_err(|_| problem())
    }

    /// The filters as 64-bit words, in the order of `persons`.
    pub fn filters(&self) -> Result<Vec<Vec<u64>>, FieldError> {
        let bytes = self.schema.encoded_bits() as usize / 8;
        self.persons
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let raw = STANDARD
                    .decode(&p.clk)
                    .map_err(|_| FieldError::new(format!("body.persons[{i}].clk"), "is not standard base64"))?;
                if raw.len() != bytes {
                    return Err(FieldError::new(
                        format!("body.persons[{i}].clk"),
                        format!("an encoding has {bytes} bytes under the schema"),
                    ));
                }
                Ok(raw
                    .chunks_exact(8)
                    .map(|c| {
                        let mut w = [0u8; 8];
                        w.copy_from_slice(c);
                        u64::from_le_bytes(w)
                    })
                    .collect())
            })
            .collect()
    }

    /// Writes filters as the `clk` of a person.
    pub fn clk_of(words: &[u64]) -> String {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        STANDARD.encode(bytes)
    }

    fn check(&self) -> Result<(), FieldError> {
        self.reference_year()?;
        let s = &self.schema;
        if !(128..=8192).contains(&s.bits) || !s.bits.is_multiple_of(128) {
            return Err(FieldError::new("body.schema.bits", "a multiple of 128 from 128 to 8192"));
        }
        if !matches!(s.cyrillic.as_str(), "icao" | "russian" | "ukrainian" | "bulgarian" | "serbian") {
            return Err(FieldError::new("body.schema.cyrillic", "icao, russian, ukrainian, bulgarian or serbian"));
        }
        if !label_ok(&s.secret_generation, 32) {
            return Err(FieldError::new(
                "body.schema.secret_generation",
                "1 to 32 letters, digits, hyphens or underscores",
            ));
        }
        if s.fields.is_empty() || s.fields.len() > MAX_FIELDS {
            return Err(FieldError::new("body.schema.fields", format!("1 to {MAX_FIELDS} fields")));
        }
        for (i, f) in s.fields.iter().enumerate() {
            let name_ok = !f.name.is_empty()
                && f.name.len() <= 64
                && f.name.as_bytes()[0].is_ascii_lowercase()
                && f.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !name_ok {
                return Err(FieldError::new(format!("body.schema.fields[{i}].name"), "a lower-case name (names)"));
            }
            if s.fields[..i].iter().any(|g| g.name == f.name) {
                return Err(FieldError::new(format!("body.schema.fields[{i}].name"), "is listed twice"));
            }
            if f.bits_per_feature == 0 || f.bits_per_feature > s.bits {
                return Err(FieldError::new(
                    format!("body.schema.fields[{i}].bits_per_feature"),
                    "from 1 to the filter's bits",
                ));
            }
        }
        if self.persons.len() > MAX_RECORDS {
            return Err(FieldError::new("body.persons", format!("at most {MAX_RECORDS} persons")));
        }
        if self.count as usize != self.persons.len() {
            return Err(FieldError::new("body.count", "is not the number of persons sent"));
        }
        let mut ids = std::collections::HashSet::with_capacity(self.persons.len());
        for (i, p) in self.persons.iter().enumerate() {
            if !label_ok(&p.id, MAX_RECORD_ID_CHARS) {
                return Err(FieldError::new(
                    format!("body.persons[{i}].id"),
                    format!("1 to {MAX_RECORD_ID_CHARS} letters, digits, hyphens or underscores"),
                ));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(FieldError::new(format!("body.persons[{i}].id"), "is listed twice"));
            }
        }
        self.filters()?;
        Ok(())
    }

    /// The body as JSON, after the same checks as [`PersonEncodings::parse`].
    pub fn to_json(&self) -> Result<Vec<u8>, FieldError> {
        self.check()?;
        let json = serde_json::to_vec(self).map_err(|_| FieldError::new("body", "cannot be written"))?;
        if json.len() > MAX_BODY_BYTES {
            return Err(FieldError::new("body", format!("larger than {MAX_BODY_BYTES} bytes")));
        }
        Ok(json)
    }
}
