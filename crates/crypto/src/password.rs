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
    let params = Params::new(m, t, p, None)
        .map_err(|e| CryptoError::Password(format!("invalid Argon2 parameters: {e}")))?;
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
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(CryptoError::Password(format!(
            "cannot verify against the stored password hash: {e}"
        ))),
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
