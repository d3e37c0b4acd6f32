//! haven-storage
