//! haven-app
