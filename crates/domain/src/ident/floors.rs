//! The legal floors of identification, each defined once with its article. Profiles are checked
//! against them when they load ([`crate::ident::profile`]), and every rule that applies a floor
//! takes it from here.

/// CETS 197 Art 13(1): a Party grants a recovery and reflection period of at least 30 days.
pub const MIN_REFLECTION_DAYS: u16 = 30;
/// Where [`MIN_REFLECTION_DAYS`] comes from.
pub const MIN_REFLECTION_DAYS_ARTICLE: &str = "CETS 197 Art 13(1)";

/// Dir 2004/81 Art 8(3): a residence permit for a cooperating victim is valid at least 6 months.
pub const MIN_PERMIT_MONTHS: u16 = 6;
/// Where [`MIN_PERMIT_MONTHS`] comes from.
pub const MIN_PERMIT_MONTHS_ARTICLE: &str = "Dir 2004/81 Art 8(3)";

pub use crate::ident::procedure::PRESUMED_VICTIM_FLOOR;
