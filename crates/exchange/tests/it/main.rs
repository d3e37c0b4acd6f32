//! Integration tests of haven-exchange: the envelope, the directory, the test vectors and the
//! parsers under arbitrary input.

mod directory;
mod envelope;
mod parsers;
mod support;
mod vectors;
