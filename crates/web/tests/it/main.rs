//! The web crate's one integration-test binary.

mod common;
mod pages;
mod authz;
mod security;
mod input;
mod at_rest;
mod browser;
