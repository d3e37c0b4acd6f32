//! haven-web
