//! haven-crypto
