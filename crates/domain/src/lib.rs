//! haven-domain
