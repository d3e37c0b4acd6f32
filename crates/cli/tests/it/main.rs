//! The haven binary, run as a user runs it.
