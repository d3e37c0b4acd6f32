//! Integration tests of haven-exchange: the envelope, the directory, the test vectors and the
//! parsers under arbitrary input.
#![expect(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

mod directory;
mod directory_schema;
mod envelope;
mod messages;
mod parsers;
mod person_encodings;
mod referral_update;
mod statistics_submission;
mod support;
mod vectors;
