//! Exact discrete samplers after Canonne, Kamath & Steinke (2020), "The Discrete Gaussian for
//! Differential Privacy", Algorithms 1-3.
//!
//! No floating point is used anywhere in sampling: every parameter is a [`Rational`] of
//! unsigned 128-bit integers, every draw is a uniform integer obtained by rejection (no modulo
//! bias), and every arithmetic step is checked, so an overflow is an error, never a wrong
//! sample. The only source of randomness is the [`RngCore`] passed in: tests pass a seeded
//! generator, releases a cryptographically secure one seeded from the operating system.

use rand::RngCore;
use thiserror::Error;

/// Why a sample could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SampleError {
    #[error("invalid sampler parameter: {0}")]
    InvalidParameter(&'static str),
    #[error("integer overflow while sampling ({0})")]
    Overflow(&'static str),
}

/// A non-negative rational `num / den` with `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rational {
    pub num: u128,
    pub den: u128,
}

impl Rational {
    /// `num / den`; `None` when `den` is zero.
    pub fn new(num: u128, den: u128) -> Option<Rational> {
        (den != 0).then_some(Rational { num, den })
    }

    /// An integer.
    pub fn integer(n: u128) -> Rational {
        Rational { num: n, den: 1 }
    }

    /// The nearest `f64`, for display and for reporting errors only (never for sampling or
    /// for comparing privacy amounts).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

fn overflow(what: &'static str) -> SampleError {
    SampleError::Overflow(what)
}

/// A uniform integer in `[0, n)`, exactly: draws as many random bits as `n - 1` needs and
/// rejects values `>= n` (fewer than two draws on average, no modulo bias).
pub fn uniform_below<R: RngCore + ?Sized>(rng: &mut R, n: u128) -> Result<u128, SampleError> {
    if n == 0 {
        return Err(SampleError::InvalidParameter("uniform range is empty"));
    }
    if n == 1 {
        return Ok(0);
    }
    let bits = 128 - (n - 1).leading_zeros();
    let mask = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    loop {
        let raw = if bits <= 64 {
            u128::from(rng.next_u64())
        } else {
            (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())
        };
        let v = raw & mask;
        if v < n {
            return Ok(v);
        }
    }
}

/// Bernoulli(`p`) for a rational `p` in `[0, 1]` (values above 1 give `true`).
pub fn bernoulli<R: RngCore + ?Sized>(rng: &mut R, p: Rational) -> Result<bool, SampleError> {
    if p.den == 0 {
        return Err(SampleError::InvalidParameter("probability with zero denominator"));
    }
    if p.num >= p.den {
        return Ok(true);
    }
    Ok(uniform_below(rng, p.den)? < p.num)
}

/// Bernoulli(exp(-`gamma`)) for a rational `gamma >= 0` (CKS20, Algorithm 1).
///
/// For `gamma <= 1`: draws Bernoulli(gamma / k) for k = 1, 2, ... until the first failure and
/// returns whether the number of draws was odd. Bernoulli(gamma / k) is drawn as the product of
/// Bernoulli(gamma) and Bernoulli(1 / k), so no denominator grows. For `gamma > 1`: floor(gamma)
/// independent Bernoulli(exp(-1)) and one Bernoulli(exp(-(gamma - floor(gamma)))) must all
/// succeed.
pub fn bernoulli_exp<R: RngCore + ?Sized>(rng: &mut R, gamma: Rational) -> Result<bool, SampleError> {
    if gamma.den == 0 {
        return Err(SampleError::InvalidParameter("gamma with zero denominator"));
    }
    if gamma.num <= gamma.den {
        return bernoulli_exp_unit(rng, gamma);
    }
    let whole = gamma.num / gamma.den;
    let mut i: u128 = 0;
    while i < whole {
        if !bernoulli_exp_unit(rng, Rational { num: 1, den: 1 })? {
            return Ok(false);
        }
        i += 1;
    }
    bernoulli_exp_unit(rng, Rational { num: gamma.num % gamma.den, den: gamma.den })
}

/// Bernoulli(exp(-gamma)) for gamma in [0, 1].
fn bernoulli_exp_unit<R: RngCore + ?Sized>(rng: &mut R, gamma: Rational) -> Result<bool, SampleError> {
    let mut k: u128 = 1;
    loop {
        // A ~ Bernoulli(gamma / k) = Bernoulli(gamma) * Bernoulli(1 / k)
        let a = bernoulli(rng, gamma)? && bernoulli(rng, Rational { num: 1, den: k })?;
        if !a {
            return Ok(k % 2 == 1);
        }
        k = k.checked_add(1).ok_or(overflow("Bernoulli(exp(-gamma)) counter"))?;
    }
}

/// The discrete Laplace distribution with scale `scale = t / s > 0` (CKS20, Algorithm 2):
/// `P(x) = (1 - q) / (1 + q) * q^|x|` with `q = exp(-1 / scale)`, for every integer `x`.
///
/// Adding it to a count whose value changes by at most 1 between neighbouring data sets gives
/// (1 / scale)-differential privacy.
pub fn discrete_laplace<R: RngCore + ?Sized>(rng: &mut R, scale: Rational) -> Result<i128, SampleError> {
    let (t, s) = (scale.num, scale.den);
    if t == 0 || s == 0 {
        return Err(SampleError::InvalidParameter("discrete Laplace scale must be positive"));
    }
    loop {
        let u = uniform_below(rng, t)?;
        if !bernoulli_exp(rng, Rational { num: u, den: t })? {
            continue;
        }
        let mut v: u128 = 0;
        while bernoulli_exp(rng, Rational { num: 1, den: 1 })? {
            v = v.checked_add(1).ok_or(overflow("discrete Laplace geometric count"))?;
        }
        let x = t.checked_mul(v).and_then(|tv| tv.checked_add(u)).ok_or(overflow("discrete Laplace value"))?;
        let y = x / s;
        let negative = bernoulli(rng, Rational { num: 1, den: 2 })?;
        if negative && y == 0 {
            continue;
        }
        let y = i128::try_from(y).map_err(|_| overflow("discrete Laplace value"))?;
        return Ok(if negative { -y } else { y });
    }
}

/// The discrete Gaussian distribution with variance parameter `sigma2 = sigma^2 > 0` (CKS20,
/// Algorithm 3): `P(x)` proportional to `exp(-x^2 / (2 sigma^2))` for every integer `x`. Its
/// variance is at most `sigma^2`.
///
/// Rejection sampling from a discrete Laplace of scale `t = floor(sigma) + 1`, accepting `y`
/// with probability `exp(-(|y| - sigma^2 / t)^2 / (2 sigma^2))`, computed as the rational
/// `(|y| t den - num)^2 / (2 num den t^2)` for `sigma2 = num / den`.
pub fn discrete_gaussian<R: RngCore + ?Sized>(rng: &mut R, sigma2: Rational) -> Result<i128, SampleError> {
    let (num, den) = (sigma2.num, sigma2.den);
    if num == 0 || den == 0 {
        return Err(SampleError::InvalidParameter("discrete Gaussian variance must be positive"));
    }
    // t = floor(sigma) + 1 = floor(sqrt(num / den)) + 1, by integer square root
    let t = isqrt(num / den) + 1;
    let den_gamma = num
        .checked_mul(den)
        .and_then(|v| v.checked_mul(2))
        .and_then(|v| v.checked_mul(t))
        .and_then(|v| v.checked_mul(t))
        .ok_or(overflow("discrete Gaussian parameter"))?;
    let tden = t.checked_mul(den).ok_or(overflow("discrete Gaussian parameter"))?;
    loop {
        let y = discrete_laplace(rng, Rational { num: t, den: 1 })?;
        let a = y.unsigned_abs().checked_mul(tden).ok_or(overflow("discrete Gaussian candidate"))?;
        let diff = a.abs_diff(num);
        let num_gamma = diff.checked_mul(diff).ok_or(overflow("discrete Gaussian candidate"))?;
        if bernoulli_exp(rng, Rational { num: num_gamma, den: den_gamma })? {
            return Ok(y);
        }
    }
}

/// floor(sqrt(n)).
pub(crate) fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    // Newton's method from an upper bound
    let mut x = 1u128 << (128 - n.leading_zeros()).div_ceil(2);
    loop {
        let y = (x + n / x) / 2;
        if y >= x {
            return x;
        }
        x = y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn r(num: u128, den: u128) -> Rational {
        Rational { num, den }
    }

    #[test]
    fn integer_square_roots() {
        for n in 0u128..2000 {
            let s = isqrt(n);
            assert!(s * s <= n && (s + 1) * (s + 1) > n, "{n}");
        }
        assert_eq!(isqrt(u128::MAX), u128::from(u64::MAX));
        assert_eq!(isqrt(1 << 100), 1 << 50);
    }

    #[test]
    fn uniform_integers_cover_the_range_without_bias() {
        let mut rng = StdRng::seed_from_u64(1);
        // n = 3 needs 2 bits; modulo reduction would favour 0
        let mut counts = [0u32; 3];
        let n = 90_000;
        for _ in 0..n {
            counts[uniform_below(&mut rng, 3).unwrap() as usize] += 1;
        }
        for c in counts {
            // expected 30,000, standard deviation 141
            assert!((29_300..30_700).contains(&c), "{counts:?}");
        }
        assert_eq!(uniform_below(&mut rng, 1).unwrap(), 0);
        assert!(uniform_below(&mut rng, 0).is_err());
        let big = (1u128 << 100) + 7;
        for _ in 0..100 {
            assert!(uniform_below(&mut rng, big).unwrap() < big);
        }
    }

    #[test]
    fn invalid_parameters_are_errors() {
        let mut rng = StdRng::seed_from_u64(1);
        assert!(discrete_laplace(&mut rng, r(0, 1)).is_err());
        assert!(discrete_gaussian(&mut rng, r(0, 1)).is_err());
        assert!(bernoulli_exp(&mut rng, r(1, 0)).is_err());
        assert!(bernoulli_exp(&mut rng, r(0, 5)).unwrap());
    }
}
