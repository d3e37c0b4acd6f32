//! Integration tests of haven-crypto (one test binary).
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod audit;
mod backup;
mod fields;
mod keys;
mod totp;
