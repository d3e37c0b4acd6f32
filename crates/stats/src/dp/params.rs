//! The parameters of a release, their validation, and the noise each query gets.

use super::amount::{DELTA_UNIT, Delta, EPSILON_UNIT, Epsilon, PrivacyCost};
use super::sample::Rational;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The largest ε a release may spend.
pub const MAX_EPSILON: Epsilon = Epsilon::from_micros(10 * EPSILON_UNIT);
/// The largest δ a release may spend (10^-5).
pub const MAX_DELTA: Delta = Delta::from_atto(DELTA_UNIT / 100_000);

/// The noise mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mechanism {
    /// Discrete Laplace noise: pure ε-differential privacy (δ = 0).
    DiscreteLaplace,
    /// Discrete Gaussian noise: ρ-zero-concentrated differential privacy, with ρ chosen so that
    /// the release is (ε, δ)-differentially private (δ > 0).
    DiscreteGaussian,
}

/// What a release may spend: the mechanism and the total ε (and δ for the Gaussian) of the
/// whole release, all its tables together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DpParams {
    pub mechanism: Mechanism,
    pub epsilon: Epsilon,
    pub delta: Delta,
}

/// A parameter outside its allowed range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} = {value} is not allowed: {field} must be in {allowed}")]
pub struct ParamError {
    pub field: &'static str,
    pub value: String,
    pub allowed: &'static str,
}

impl DpParams {
    /// Discrete Laplace noise, pure ε-DP.
    pub fn laplace(epsilon: Epsilon) -> DpParams {
        DpParams { mechanism: Mechanism::DiscreteLaplace, epsilon, delta: Delta::ZERO }
    }

    /// Discrete Gaussian noise, (ε, δ)-DP through zero-concentrated DP.
    pub fn gaussian(epsilon: Epsilon, delta: Delta) -> DpParams {
        DpParams { mechanism: Mechanism::DiscreteGaussian, epsilon, delta }
    }

    /// The allowed ranges: ε in (0, 10]; δ = 0 for the discrete Laplace, δ in (0, 10^-5] for
    /// the discrete Gaussian.
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.epsilon == Epsilon::ZERO || self.epsilon > MAX_EPSILON {
            return Err(ParamError { field: "epsilon", value: self.epsilon.to_string(), allowed: "(0, 10]" });
        }
        match self.mechanism {
            Mechanism::DiscreteLaplace if self.delta != Delta::ZERO => Err(ParamError {
                field: "delta",
                value: self.delta.to_string(),
                allowed: "[0, 0] for the discrete Laplace mechanism (pure epsilon-DP)",
            }),
            Mechanism::DiscreteGaussian if self.delta == Delta::ZERO || self.delta > MAX_DELTA => Err(ParamError {
                field: "delta",
                value: self.delta.to_string(),
                allowed: "(0, 0.00001] for the discrete Gaussian mechanism",
            }),
            _ => Ok(()),
        }
    }

    /// The cost of a release with these parameters.
    pub fn cost(&self) -> PrivacyCost {
        PrivacyCost::new(self.epsilon, self.delta)
    }
}

/// The noise added to every cell of one query, for a query whose cells change by at most 1 in
/// total (L1) and in Euclidean norm (L2) when one person is added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Noise {
    /// Discrete Laplace with this scale `b`: `P(x)` proportional to `exp(-|x| / b)`; the query
    /// is (1 / b)-DP.
    Laplace { scale: Rational },
    /// Discrete Gaussian with this variance parameter `sigma^2`; the query is
    /// 1 / (2 sigma^2)-zCDP.
    Gaussian { sigma2: Rational },
}

impl Noise {
    /// The standard deviation of the noise (for the Gaussian, `sigma`, which bounds the
    /// standard deviation of the discrete Gaussian from above). For reporting only.
    pub fn std_dev(&self) -> f64 {
        match self {
            Noise::Laplace { scale } => {
                let q = (-1.0 / scale.to_f64()).exp();
                (2.0 * q).sqrt() / (1.0 - q)
            }
            Noise::Gaussian { sigma2 } => sigma2.to_f64().sqrt(),
        }
    }
}

/// Why the noise could not be calibrated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot calibrate the noise: {0}")]
pub struct CalibrationError(pub &'static str);

/// The noise of each of `queries` queries so that their sequential composition spends exactly
/// the ε of `params` (Laplace) or at most the (ε, δ) of `params` (Gaussian). The budget is split
/// equally across the queries.
///
/// Laplace: each query is (ε / k)-DP with scale `k / ε`, held exactly as the rational
/// `k * 10^6 / ε_micro`, so the k queries compose to exactly ε.
///
/// Gaussian: each query gets `sigma^2` with total `ρ = k / (2 sigma^2)`, and the release is
/// (ρ + 2 sqrt(ρ ln(1/δ)), δ)-DP (Bun & Steinke 2016, Proposition 1.3). `sigma^2` is first
/// estimated in floating point, then the condition `ρ + 2 sqrt(ρ ln(1/δ)) <= ε` is checked in
/// exact integer arithmetic, with a rational upper bound of `ln(1/δ)`, and `sigma^2` enlarged
/// until it holds.
pub fn calibrate(params: &DpParams, queries: usize) -> Result<Noise, CalibrationError> {
    let k = u128::try_from(queries.max(1)).map_err(|_| CalibrationError("too many queries"))?;
    let e = u128::from(params.epsilon.micros());
    if e == 0 {
        return Err(CalibrationError("epsilon is zero"));
    }
    match params.mechanism {
        Mechanism::DiscreteLaplace => {
            let num = k.checked_mul(u128::from(EPSILON_UNIT)).ok_or(CalibrationError("too many queries"))?;
            let g = gcd(num, e);
            Ok(Noise::Laplace { scale: Rational { num: num / g, den: e / g } })
        }
        Mechanism::DiscreteGaussian => {
            let d = u128::from(params.delta.atto());
            if d == 0 || d >= u128::from(DELTA_UNIT) {
                return Err(CalibrationError("delta must be in (0, 1)"));
            }
            let (a, b) = ln_inv_delta_upper(d);
            let l = a as f64 / b as f64;
            let eps = e as f64 / EPSILON_UNIT as f64;
            let rho = ((eps + l).sqrt() - l.sqrt()).powi(2);
            let s2 = k as f64 / (2.0 * rho) * (1.0 + 1e-9);
            if !s2.is_finite() || s2 <= 0.0 || s2 > 2f64.powi(52) {
                return Err(CalibrationError("the noise would be too large to represent"));
            }
            // sigma^2 = num / 2^j with num below 2^52
            let mut den: u128 = 1 << 20;
            while s2 * den as f64 > 2f64.powi(52) && den > 1 {
                den >>= 1;
            }
            let mut num = (s2 * den as f64).ceil() as u128;
            for _ in 0..200 {
                if gaussian_condition_holds(e, k, num, den, a, b) {
                    let g = gcd(num, den);
                    return Ok(Noise::Gaussian { sigma2: Rational { num: num / g, den: den / g } });
                }
                num = num.saturating_add(num / 1024 + 1);
            }
            Err(CalibrationError("no variance satisfies the privacy condition"))
        }
    }
}

/// The privacy of a Gaussian release: total ρ = k / (2 sigma^2) as a rational.
pub fn gaussian_rho(queries: usize, sigma2: Rational) -> Rational {
    Rational { num: (queries.max(1) as u128).saturating_mul(sigma2.den), den: sigma2.num.saturating_mul(2) }
}

/// Whether `ρ + 2 sqrt(ρ L) <= ε` for `ε = e / 10^6`, `ρ = k den / (2 num)` and `L = a / b`,
/// decided exactly: with `ε - ρ = n1 / (10^6 q)` (`q = 2 num`, `p = k den`), the condition is
/// `n1 > 0` and `n1^2 b >= 4 p a 10^12 q`.
fn gaussian_condition_holds(e: u128, k: u128, num: u128, den: u128, a: u128, b: u128) -> bool {
    let m = u128::from(EPSILON_UNIT);
    let (Some(q), Some(p)) = (num.checked_mul(2), k.checked_mul(den)) else { return false };
    let (Some(eq), Some(pm)) = (e.checked_mul(q), p.checked_mul(m)) else { return false };
    if eq <= pm {
        return false;
    }
    let n1 = eq - pm;
    let lhs = Big::from(n1).mul(&Big::from(n1)).mul(&Big::from(b));
    let rhs = Big::from(4).mul(&Big::from(p)).mul(&Big::from(a)).mul(&Big::from(m * m)).mul(&Big::from(q));
    lhs.cmp(&rhs) != Ordering::Less
}

/// A rational upper bound `a / b` of `ln(1 / δ)` for `δ = d * 10^-18`, `1 <= d < 10^18`:
/// `18 ln 10 - ln d` with `ln 10 <= 2.302585093` and
/// `ln d >= m ln 2 + 2 (d - 2^m) / (d + 2^m)` (`m = floor(log2 d)`, `ln 2 >= 0.693147180`, and
/// `ln(1 + f) >= 2f / (2 + f)` for `f >= 0`). It exceeds the true value by less than 0.03.
pub(crate) fn ln_inv_delta_upper(d: u128) -> (u128, u128) {
    const LN10_UP: u128 = 2_302_585_093;
    const LN2_LO: u128 = 693_147_180;
    const SCALE: u128 = 1_000_000_000;
    let m = 127 - d.leading_zeros();
    let pm = 1u128 << m;
    let a = (18 * LN10_UP - u128::from(m) * LN2_LO) * (d + pm) - 2 * SCALE * (d - pm);
    let b = SCALE * (d + pm);
    (a, b)
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// An unsigned integer of any size, little-endian 32-bit limbs; only what the exact privacy
/// check needs (products and comparison).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl From<u128> for Big {
    fn from(mut v: u128) -> Big {
        let mut limbs = Vec::new();
        while v != 0 {
            limbs.push((v & 0xffff_ffff) as u32);
            v >>= 32;
        }
        Big(limbs)
    }
}

impl Big {
    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &x) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &y) in other.0.iter().enumerate() {
                let cur = u64::from(out[i + j]) + u64::from(x) * u64::from(y) + carry;
                out[i + j] = (cur & 0xffff_ffff) as u32;
                carry = cur >> 32;
            }
            let mut k = i + other.0.len();
            while carry != 0 {
                let cur = u64::from(out[k]) + carry;
                out[k] = (cur & 0xffff_ffff) as u32;
                carry = cur >> 32;
                k += 1;
            }
        }
        while out.last() == Some(&0) {
            out.pop();
        }
        Big(out)
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_products_compare_like_integers() {
        let a = Big::from(u128::MAX);
        let b = a.mul(&a);
        assert_eq!(b.0.len(), 8);
        assert_eq!(Big::from(6).cmp(&Big::from(2).mul(&Big::from(3))), Ordering::Equal);
        assert_eq!(b.cmp(&a), Ordering::Greater);
        let c = Big::from(1u128 << 64).mul(&Big::from(1u128 << 64));
        let d = Big::from(u128::MAX).mul(&Big::from(1));
        assert_eq!(c.cmp(&d), Ordering::Greater);
        assert_eq!(Big::from(0).mul(&a), Big::from(0));
    }

    #[test]
    fn the_log_bound_is_an_upper_bound_and_tight() {
        for d in [1u128, 2, 3, 7, 1000, 999_999, 1_000_000_000_000, 10_000_000_000_000, 5_555_555_555_555] {
            let (a, b) = ln_inv_delta_upper(d);
            let bound = a as f64 / b as f64;
            let truth = (1e18 / d as f64).ln();
            assert!(bound >= truth - 1e-9 && bound < truth + 0.03, "{d}: {bound} vs {truth}");
        }
    }

    #[test]
    fn laplace_scale_splits_epsilon_exactly() {
        let p = DpParams::laplace(Epsilon::from_micros(500_000));
        let Noise::Laplace { scale } = calibrate(&p, 16).unwrap() else { panic!() };
        // scale k / eps = 32
        assert_eq!(scale, Rational { num: 32, den: 1 });
    }

    #[test]
    fn gaussian_meets_the_conversion_and_is_not_wasteful() {
        for (eps, delta) in [(1_000_000u64, 1_000_000_000_000u64), (100_000, 10_000_000_000_000), (10_000_000, 1)] {
            let p = DpParams::gaussian(Epsilon::from_micros(eps), Delta::from_atto(delta));
            let Noise::Gaussian { sigma2 } = calibrate(&p, 16).unwrap() else { panic!() };
            let rho = gaussian_rho(16, sigma2).to_f64();
            let l = (1e18 / delta as f64).ln();
            let achieved = rho + 2.0 * (rho * l).sqrt();
            let e = eps as f64 / 1e6;
            assert!(achieved <= e * (1.0 + 1e-12), "{achieved} > {e}");
            assert!(achieved >= e * 0.99, "wasteful: {achieved} for {e}");
        }
    }

    #[test]
    fn parameters_are_validated_with_field_and_range() {
        let e = DpParams::laplace(Epsilon::ZERO).validate().unwrap_err();
        assert_eq!(e.to_string(), "epsilon = 0 is not allowed: epsilon must be in (0, 10]");
        let e = DpParams::laplace(Epsilon::from_micros(10_000_001)).validate().unwrap_err();
        assert_eq!(e.field, "epsilon");
        let e = DpParams::gaussian(Epsilon::from_micros(1), Delta::ZERO).validate().unwrap_err();
        assert_eq!(e.field, "delta");
        assert!(e.to_string().contains("(0, 0.00001]"), "{e}");
        let e = DpParams {
            mechanism: Mechanism::DiscreteLaplace,
            epsilon: Epsilon::from_micros(1),
            delta: Delta::from_atto(1),
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field, "delta");
        assert!(DpParams::gaussian(Epsilon::from_micros(1), MAX_DELTA).validate().is_ok());
        assert!(DpParams::laplace(MAX_EPSILON).validate().is_ok());
    }
}
