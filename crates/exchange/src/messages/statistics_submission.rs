//! `statistics_submission`, type version 1: a national statistics release sent by a country's
//! instance to the EU hub, in place of the file upload (the EU Strategy 2012–2016 and Dir 2011/36
//! Art 19 and 20: the national rapporteurs' data gathered at EU level). The hub keeps the signed
//! original as evidence of what the country sent. JSON Schema:
//! `schemas/statistics_submission.v1.schema.json`.
//!
//! The content is the release exactly as the file upload carries it: the SDMX-CSV text, with
//! its SHA-256 so that the file and the message can be compared byte for byte. The hub reads and
//! checks it as it reads an uploaded file; this type checks only the envelope of it: country,
//! release id, reference period, format, size, and that the digest is the content's.

use serde::{Deserialize, Serialize};

use super::CountryCode;
use crate::encoding::{b64_32, from_json, sha256};
use crate::ids::FieldError;

/// The message type.
pub const MESSAGE_TYPE: &str = "statistics_submission";
/// The type version this module reads and writes.
pub const TYPE_VERSION: u32 = 1;
/// The JSON Schema of the body.
pub const SCHEMA: &str = include_str!("../../schemas/statistics_submission.v1.schema.json");
/// The largest content, in bytes (the EU hub's limit for an uploaded file).
pub const MAX_CONTENT_BYTES: usize = 5 * 1024 * 1024;
/// The longest release id, in characters.
pub const MAX_RELEASE_ID_CHARS: usize = 64;

/// The format of the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContentFormat {
    /// SDMX-CSV (version 1) of the Haven trafficking dataflow, UTF-8 text.
    #[serde(rename = "sdmx-csv")]
    SdmxCsv,
}

impl ContentFormat {
    pub fn code(self) -> &'static str {
        match self {
            ContentFormat::SdmxCsv => "sdmx-csv",
        }
    }
}

/// The body of a `statistics_submission`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsSubmission {
    /// The country the figures are of (Eurostat's code: `EL` for Greece).
    pub country: CountryCode,
    /// The release's id in the sending instance.
    pub release_id: String,
    /// The reference period: a calendar year, `YYYY`.
    pub reference_period: String,
    pub format: ContentFormat,
    /// The release as the file upload carries it.
    pub content: String,
    /// SHA-256 of the content's UTF-8 bytes, base64url without padding.
    #[serde(with = "b64_32")]
    pub content_sha256: [u8; 32],
}

impl StatisticsSubmission {
    /// A body for `content`, its digest computed.
    pub fn new(
        country: CountryCode,
        release_id: &str,
        reference_year: u16,
        content: String,
    ) -> Result<StatisticsSubmission, FieldError> {
        let submission = StatisticsSubmission {
            country,
            release_id: release_id.to_owned(),
            reference_period: format!("{reference_year:04}"),
            format: ContentFormat::SdmxCsv,
            content_sha256: sha256(content.as_bytes()),
            content,
        };
        submission.check()?;
        Ok(submission)
    }

    /// Reads a body, naming the field of any problem.
    pub fn parse(body: &[u8]) -> Result<StatisticsSubmission, FieldError> {
        // The content limit plus room for the other fields and JSON escaping.
        if body.len() > 2 * MAX_CONTENT_BYTES + 4096 {
            return Err(FieldError::new("body", format!("larger than {} bytes", 2 * MAX_CONTENT_BYTES + 4096)));
        }
        let submission: StatisticsSubmission = from_json("body", body)?;
        submission.check()?;
        Ok(submission)
    }

    /// The reference year.
    pub fn reference_year(&self) -> Result<u16, FieldError> {
        let problem = || FieldError::new("body.reference_period", "a reference period is a year, YYYY (2025)");
        if self.reference_period.len() != 4 || !self.reference_period.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem());
        }
        self.reference_period.parse().map_err(|_| problem())
    }

    fn check(&self) -> Result<(), FieldError> {
        let id = &self.release_id;
        if id.is_empty()
            || id.chars().count() > MAX_RELEASE_ID_CHARS
            || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(FieldError::new(
                "body.release_id",
                format!("1 to {MAX_RELEASE_ID_CHARS} letters, digits, hyphens or underscores"),
            ));
        }
        self.reference_year()?;
        if self.content.trim().is_empty() {
            return Err(FieldError::new("body.content", "must not be empty"));
        }
        if self.content.len() > MAX_CONTENT_BYTES {
            return Err(FieldError::new("body.content", format!("larger than {MAX_CONTENT_BYTES} bytes")));
        }
        if sha256(self.content.as_bytes()) != self.content_sha256 {
            return Err(FieldError::new("body.content_sha256", "is not the SHA-256 of the content"));
        }
        Ok(())
    }

    /// The body as JSON, after the same checks as [`StatisticsSubmission::parse`].
    pub fn to_json(&self) -> Result<Vec<u8>, FieldError> {
        self.check()?;
        serde_json::to_vec(self).map_err(|_| FieldError::new("body", "cannot be written"))
    }
}
