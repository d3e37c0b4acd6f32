//! Assistance, support and protection (Dir 2011/36 Arts 11-17; Council of Europe
//! Convention Arts 12-16): pure types and rules.
//!
//! - [`services`]: the kinds of support service and who a provider takes, shared by the rest.
//! - [`assessment`]: the individual risk and needs assessment (Arts 11(7), 12(3), 14(1)).
//! - [`plan`]: the support plan, never conditional on cooperation (Art 11(3)).
//! - [`directory`] and [`matching`]: support providers, capacity, ranking for a need.
//! - [`referral`]: referrals between organisations, consent, data minimisation, transfers.
//! - [`child`]: guardians, representatives, protected interviews, best interests (Arts 14-16).
//! - [`compensation`]: claims and payments (Arts 12(2), 17).
//! - [`safe_return`]: voluntary return plans (Convention Art 16).
//! - [`transnational`]: the transnational referral of a victim (Dir 2011/36 Art 11(4); Convention Arts 16, 33).

pub mod assessment;
pub mod child;
pub mod compensation;
pub mod directory;
pub mod matching;
pub mod plan;
pub mod referral;
pub mod safe_return;
pub mod services;
pub mod transnational;
