//! Integration tests of the statistics crate (one test binary).
mod dp;
mod eurostat_mapping;
mod exchange;
mod offenders;
mod outside;
mod outside_audit;
mod proceedings;
mod sdc;
