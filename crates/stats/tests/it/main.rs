//! Integration tests of the statistics crate (one test binary).
mod dp;
mod sdc;
mod exchange;
