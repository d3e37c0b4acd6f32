//! The web crate's one integration-test binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

mod assist;
mod assist_pages;
mod at_rest;
mod authz;
mod authz_matrix;
mod browser;
mod browser_flows;
mod browser_review;
mod case_pages;
mod common;
mod conformance;
mod exchange;
mod exchange_statistics;
mod ident;
mod input;
mod latvian;
mod leaflet;
mod page_errors;
mod pages;
mod peers;
mod person_review;
mod proceedings;
mod proceedings_pages;
mod proceedings_persons;
mod queues;
mod records;
mod relink_jobs;
mod representation;
mod security;
mod separation;
mod stats;
mod tokens;
mod trainings;
mod transnational;
mod transnational_exchange;
