//! Integration tests of the use cases, in one test binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

mod common;
mod erasure;
mod exchange_own_key_revocation;
mod exchange_own_keys;
mod exchange_peers;
mod exchange_persons;
mod exchange_referrals;
mod exchange_retention;
mod exchange_statistics;
mod exchange_transport;
mod import;
mod networks;
mod person_review;
mod persons;
mod proceedings;
mod proceedings_money;
mod proceedings_persons;
mod proceedings_victims;
mod representation;
mod retention;
mod stats_proceedings;
mod strategy;
mod subject_requests;
