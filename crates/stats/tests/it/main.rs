//! Integration tests of the statistics crate (one test binary).
mod sdc;
mod exchange;
