use subtle::ConstantTimeEq;

/// Fills `buf` from the operating system's random number generator.
///
/// If the operating system cannot provide randomness the process is aborted: continuing would
/// produce predictable keys, nonces or tokens, and there is no safe fallback.
pub(crate) fn fill_random(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        eprintln!("haven-crypto: the operating system random number generator failed; aborting");
        std::process::abort();
    }
}

/// `N` bytes from the operating system's random number generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    fill_random(&mut out);
    out
}

/// Compares two byte strings in time independent of their content (the length is not secret).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// A uniformly random index below `n` (n > 0, n <= 256), by rejection sampling.
pub(crate) fn random_below(n: usize) -> usize {
    let n = n.clamp(1, 256);
    // Largest multiple of n that fits in 0..=255, to avoid modulo bias.
    let limit = 256 - (256 % n);
    loop {
        let [b] = random_bytes::<1>();
        let b = usize::from(b);
        if b < limit {
            return b % n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn random_bytes_are_not_constant() {
        let a: [u8; 32] = random_bytes();
        let b: [u8; 32] = random_bytes();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
    }
}
