//! Privacy amounts held exactly: ε in millionths, δ in units of 10^-18. Privacy amounts are only
//! ever added and compared as integers, never in floating point.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Micro-units per unit of ε.
pub const EPSILON_UNIT: u64 = 1_000_000;
/// Units of 10^-18 per unit of δ.
pub const DELTA_UNIT: u64 = 1_000_000_000_000_000_000;

/// A privacy-loss parameter ε, held exactly in millionths (`Epsilon::from_micros(500_000)` is
/// ε = 0.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Epsilon(u64);

/// A failure probability δ, held exactly in units of 10^-18 (`Delta::from_atto(10_u64.pow(12))`
/// is δ = 10^-6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Delta(u64);

/// A decimal could not be read as an exact privacy amount.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {reason} (got \"{value}\")")]
pub struct AmountParseError {
    pub field: &'static str,
    pub value: String,
    pub reason: &'static str,
}

impl Epsilon {
    pub const ZERO: Epsilon = Epsilon(0);

    pub const fn from_micros(micros: u64) -> Epsilon {
        Epsilon(micros)
    }

    pub const fn micros(self) -> u64 {
        self.0
    }

    /// Reads a decimal such as `1`, `0.25` or `5e-3`; at most six decimal places.
    pub fn parse(text: &str) -> Result<Epsilon, AmountParseError> {
        parse_decimal(text, 6).map(Epsilon).map_err(|reason| AmountParseError {
            field: "epsilon",
            value: text.to_owned(),
            reason,
        })
    }

    pub fn checked_add(self, other: Epsilon) -> Option<Epsilon> {
        self.0.checked_add(other.0).map(Epsilon)
    }

    pub fn checked_sub(self, other: Epsilon) -> Option<Epsilon> {
        self.0.checked_sub(other.0).map(Epsilon)
    }

    /// For display only.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / EPSILON_UNIT as f64
    }
}

impl Delta {
    pub const ZERO: Delta = Delta(0);

    pub const fn from_atto(atto: u64) -> Delta {
        Delta(atto)
    }

    pub const fn atto(self) -> u64 {
        self.0
    }

    /// Reads a decimal such as `0`, `0.000001` or `1e-6`; at most 18 decimal places.
    pub fn parse(text: &str) -> Result<Delta, AmountParseError> {
        parse_decimal(text, 18).map(Delta).map_err(|reason| AmountParseError {
            field: "delta",
            value: text.to_owned(),
            reason,
        })
    }

    pub fn checked_add(self, other: Delta) -> Option<Delta> {
        self.0.checked_add(other.0).map(Delta)
    }

    pub fn checked_sub(self, other: Delta) -> Option<Delta> {
        self.0.checked_sub(other.0).map(Delta)
    }

    /// For display only.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / DELTA_UNIT as f64
    }
}

impl fmt::Display for Epsilon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_decimal(self.0, 6))
    }
}

impl fmt::Display for Delta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_decimal(self.0, 18))
    }
}

/// The privacy cost of a release, or a budget: (ε, δ). Under sequential composition the costs
/// of releases on the same data add up, ε with ε and δ with δ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrivacyCost {
    pub epsilon: Epsilon,
    pub delta: Delta,
}

impl PrivacyCost {
    pub const ZERO: PrivacyCost = PrivacyCost { epsilon: Epsilon::ZERO, delta: Delta::ZERO };

    pub const fn new(epsilon: Epsilon, delta: Delta) -> PrivacyCost {
        PrivacyCost { epsilon, delta }
    }

    /// Pure ε-differential privacy (δ = 0).
    pub const fn pure(epsilon: Epsilon) -> PrivacyCost {
        PrivacyCost { epsilon, delta: Delta::ZERO }
    }

    /// Sequential composition: the cost of running both releases on the same data. `None` on
    /// overflow.
    pub fn compose(self, other: PrivacyCost) -> Option<PrivacyCost> {
        Some(PrivacyCost {
            epsilon: self.epsilon.checked_add(other.epsilon)?,
            delta: self.delta.checked_add(other.delta)?,
        })
    }

    /// Whether this cost fits within `budget` (both ε and δ at most the budget's).
    pub fn fits_within(self, budget: PrivacyCost) -> bool {
        self.epsilon <= budget.epsilon && self.delta <= budget.delta
    }
}

impl fmt::Display for PrivacyCost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "epsilon {}, delta {}", self.epsilon, self.delta)
    }
}

fn format_decimal(v: u64, places: u32) -> String {
    let unit = 10u64.pow(places);
    let (whole, frac) = (v / unit, v % unit);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:0width$}", width = places as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// An exact decimal (optionally with an exponent) in units of 10^-places.
fn parse_decimal(text: &str, places: u32) -> Result<u64, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty");
    }
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => {
            let e: i32 = t[i + 1..].parse().map_err(|_| "not a decimal number")?;
            (&t[..i], e)
        }
        None => (t, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((a, b)) => (a, b),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err("not a decimal number");
    }
    if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return Err("not a non-negative decimal number");
    }
    // digits as an integer, scaled by 10^(exp - frac_len + places)
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let frac_len = i32::try_from(frac_part.len()).map_err(|_| "too many digits")?;
    let shift = exp - frac_len + i32::try_from(places).map_err(|_| "too many digits")?;
    let mut value: u128 = 0;
    for b in digits.bytes() {
        value = value.checked_mul(10).and_then(|v| v.checked_add(u128::from(b - b'0'))).ok_or("too large")?;
    }
    if shift >= 0 {
        for _ in 0..shift {
            if value == 0 {
                break;
            }
            value = value.checked_mul(10).ok_or("too large")?;
        }
    } else {
        for _ in 0..(-shift) {
            if !value.is_multiple_of(10) {
                return Err("more decimal places than can be held exactly");
            }
            value /= 10;
        }
    }
    u64::try_from(value).map_err(|_| "too large")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_read_and_written_exactly() {
        assert_eq!(Epsilon::parse("1").unwrap().micros(), 1_000_000);
        assert_eq!(Epsilon::parse("0.25").unwrap().micros(), 250_000);
        assert_eq!(Epsilon::parse("5e-3").unwrap().micros(), 5_000);
        assert_eq!(Epsilon::parse(".5").unwrap().micros(), 500_000);
        assert_eq!(Epsilon::parse("0.1").unwrap().to_string(), "0.1");
        assert!(Epsilon::parse("0.0000001").is_err());
        assert!(Epsilon::parse("-1").is_err());
        assert!(Epsilon::parse("abc").is_err());
        assert_eq!(Delta::parse("1e-6").unwrap().atto(), 1_000_000_000_000);
        assert_eq!(Delta::parse("0.00001").unwrap().atto(), 10_000_000_000_000);
        assert_eq!(Delta::parse("1e-6").unwrap().to_string(), "0.000001");
        assert_eq!(Delta::parse("0").unwrap(), Delta::ZERO);
        assert!(Delta::parse("1e-19").is_err());
        let e = Epsilon::parse("x").unwrap_err();
        assert!(e.to_string().starts_with("epsilon"), "{e}");
    }

    #[test]
    fn costs_compose_by_addition() {
        let a = PrivacyCost::new(Epsilon::from_micros(300_000), Delta::from_atto(5));
        let b = PrivacyCost::new(Epsilon::from_micros(700_000), Delta::from_atto(7));
        let c = a.compose(b).unwrap();
        assert_eq!(c, PrivacyCost::new(Epsilon::from_micros(1_000_000), Delta::from_atto(12)));
        assert!(a.fits_within(c));
        assert!(!c.fits_within(a));
        assert!(PrivacyCost::pure(Epsilon::from_micros(u64::MAX)).compose(a).is_none());
    }
}
