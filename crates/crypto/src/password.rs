use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::CryptoError;
use crate::random::{random_below, random_bytes};

/// Argon2id parameters: OWASP minimum (19 MiB memory, 2 passes, 1 lane).
const M_COST_KIB: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn argon2_with(m: u32, t: u32, p: u32) -> Result<Argon2<'static>, CryptoError> {
    let params =
        Params::new(m, t, p, None).map_err(|e| CryptoError::Password(format!("invalid Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_with(argon: &Argon2<'_>, password: &str) -> Result<String, CryptoError> {
    let salt: [u8; 16] = random_bytes();
    argon
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CryptoError::Password(format!("hashing failed: {e}")))
}

/// Hashes a password with Argon2id (m=19456 KiB, t=2, p=1) and a random 16-byte salt; returns the
/// PHC string to store.
pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    hash_with(&argon2_with(M_COST_KIB, T_COST, P_COST)?, password)
}

/// Like [`hash_password`] with tiny parameters (m=64 KiB, t=1). For tests only: never built into
/// production code (requires `cfg(test)` or the `test-params` feature).
#[cfg(any(test, feature = "test-params"))]
pub fn hash_password_fast(password: &str) -> Result<String, CryptoError> {
    hash_with(&argon2_with(64, 1, 1)?, password)
}

/// Verifies a password against a stored PHC string in constant time, using the parameters the
/// string records. `Ok(false)` on mismatch; an error only if the stored hash is malformed or not
/// Argon2.
pub fn verify_password(password: &str, phc: &str) -> Result<bool, CryptoError> {
    let parsed = argon2::password_hash::phc::PasswordHash::new(phc)
        .map_err(|e| CryptoError::Password(format!("malformed stored password hash: {e}")))?;
    if parsed.hash.is_none() || parsed.salt.is_none() {
        return Err(CryptoError::Password("malformed stored password hash: salt or hash missing".into()));
    }
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(CryptoError::Password(format!("cannot verify against the stored password hash: {e}"))),
    }
}

/// A random secret token: `prefix` followed by 43 characters of base64url (32 random bytes).
/// Returns the token (show it once) and its SHA-256 hash (store this).
pub fn generate_token(prefix: &str) -> (String, [u8; 32]) {
    let bytes = Zeroizing::new(random_bytes::<32>());
    let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(*bytes));
    let hash = hash_token(&token);
    (token, hash)
}

/// SHA-256 of a token, as stored; look tokens up by this hash.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Alphabet of generated passwords: letters and digits without look-alikes (0 O o 1 l I).
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GENERATED_PASSWORD_LEN: usize = 20;

/// A random password for generated accounts: 20 characters from an unambiguous alphabet of 56
/// (about 116 bits).
pub fn generate_password() -> String {
    (0..GENERATED_PASSWORD_LEN)
        .map(|_| {
            let i = random_below(PASSWORD_ALPHABET.len());
            char::from(PASSWORD_ALPHABET.get(i).copied().unwrap_or(b'x'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_hash_uses_owasp_parameters_and_verifies() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("correct horse battery staple", &phc).unwrap());
        assert!(!verify_password("correct horse battery stable", &phc).unwrap());
        assert!(!verify_password("", &phc).unwrap());
    }

    #[test]
    fn fast_hash_verifies_and_salts() {
        let a = hash_password_fast("pässwörd").unwrap();
        let b = hash_password_fast("pässwörd").unwrap();
        assert_ne!(a, b, "random salt");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("pässwörd", &a).unwrap());
        assert!(verify_password("pässwörd", &b).unwrap());
        assert!(!verify_password("passwörd", &a).unwrap());
    }

    #[test]
    fn malformed_stored_hash_is_an_error() {
        for bad in ["", "plaintext", "$argon2id$v=19$m=19456", "$md5$abc$def"] {
            assert!(matches!(verify_password("x", bad), Err(CryptoError::Password(_))), "{bad:?}");
        }
    }

    #[test]
    fn tokens() {
        let (token, hash) = generate_token("hvn_");
        assert!(token.starts_with("hvn_"));
        assert_eq!(token.len(), 4 + 43);
        assert!(token[4..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(hash_token(&token), hash);
        assert_ne!(hash_token(&format!("{token}x")), hash);
        let (other, other_hash) = generate_token("hvn_");
        assert_ne!(other, token);
        assert_ne!(other_hash, hash);
        // SHA-256 known answer.
        assert_eq!(hash_token("abc")[..4], [0xba, 0x78, 0x16, 0xbf], "sha256(\"abc\") starts ba7816bf");
    }

    #[test]
    fn generated_passwords() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let p = generate_password();
            assert_eq!(p.chars().count(), 20);
            assert!(p.bytes().all(|b| PASSWORD_ALPHABET.contains(&b)), "{p}");
            assert!(!p.contains(['0', 'O', 'o', '1', 'l', 'I']));
            seen.insert(p);
        }
        assert_eq!(seen.len(), 200);
    }

    #[test]
    fn random_below_covers_the_alphabet() {
        let mut counts = [0u32; 56];
        for _ in 0..56_000 {
            counts[random_below(56)] += 1;
        }
        // Each symbol expected 1000 times; far outside these bounds means bias or a bug.
        assert!(counts.iter().all(|&c| (700..1300).contains(&c)), "{counts:?}");
    }
}
