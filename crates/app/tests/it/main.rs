//! Integration tests of the use cases, in one test binary.

mod person_review;
mod persons;
