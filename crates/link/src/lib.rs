//! haven-link
