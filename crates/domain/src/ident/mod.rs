//! Identification and the national referral mechanism (Dir 2011/36 Arts 2, 8, 11, 13;
//! CETS 197 Arts 10, 13, 14, 26; Directive 2004/81/EC): pure types and rules.

pub mod age;
pub mod calendar;
pub mod floors;
pub mod forms;
pub mod htcds;
pub mod indicators;
pub mod legal_test;
pub mod procedure;
pub mod profile;
pub mod record;
pub mod residence;
pub mod status;
