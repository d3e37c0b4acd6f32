//! Differential privacy for the release of linked tables.
//!
//! - [`sample`]: exact samplers (Bernoulli(exp(-γ)), discrete Laplace, discrete Gaussian) in
//!   integer arithmetic, after Canonne, Kamath & Steinke (2020);
//! - [`release()`]: a differentially private release of a set of linked tables, post-processed
//!   to non-negative integers that add up, with the expected error of every cell;
//! - [`Ledger`]: the privacy budget of one dataset (one country, one reference year), which
//!   refuses a release that would overspend it.
//!
//! Privacy amounts (ε, δ) are exact integers ([`Epsilon`] in millionths, [`Delta`] in units of
//! 10^-18) and are never compared in floating point.

pub mod amount;
pub mod ledger;
pub mod params;
pub mod project;
pub mod release;
pub mod sample;

pub use amount::{AmountParseError, Delta, Epsilon, PrivacyCost};
pub use ledger::{Ledger, LedgerEntry, LedgerError};
pub use params::{DpParams, MAX_DELTA, MAX_EPSILON, Mechanism, Noise, ParamError};
pub use release::{DpError, DpRelease, queries, query_count, release, release_with_os_rng};
pub use sample::{Rational, SampleError};
