use std::fmt;

use data_encoding::BASE32_NOPAD;
use hmac::Mac;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::CryptoError;
use crate::mac::{HMAC_BLOCK, hmac_sha1};
use crate::random::{constant_time_eq, random_bytes};

const PERIOD: u64 = 30;
const DIGITS: u32 = 6;
/// Minimum secret length (RFC 4226 requires at least 128 bits).
const MIN_SECRET_LEN: usize = 16;
/// Generated secrets are 160 bits (RFC 4226 recommendation).
const GENERATED_SECRET_LEN: usize = 20;

/// A TOTP shared secret (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps). Text form: base32
/// (RFC 4648, upper case, no padding). Zeroized on drop; `Debug` redacts it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TotpSecret {
    bytes: Vec<u8>,
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([redacted])")
    }
}

impl TotpSecret {
    /// A new random 160-bit secret.
    pub fn generate() -> TotpSecret {
        TotpSecret { bytes: random_bytes::<GENERATED_SECRET_LEN>().to_vec() }
    }

    /// Parses base32 text; case, spaces, hyphens and `=` padding are ignored. The secret must be
    /// 16 to 64 bytes long.
    pub fn from_base32(s: &str) -> Result<TotpSecret, CryptoError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let bytes = BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|_| CryptoError::Totp("secret is not valid base32".into()))?;
        if bytes.len() < MIN_SECRET_LEN || bytes.len() > HMAC_BLOCK {
            let n = bytes.len();
            drop(Zeroizing::new(bytes));
            return Err(CryptoError::Totp(format!("secret is {n} bytes, expected {MIN_SECRET_LEN} to {HMAC_BLOCK}")));
        }
        Ok(TotpSecret { bytes })
    }

    /// Creates a secret from raw bytes (16 to 64 bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<TotpSecret, CryptoError> {
        if bytes.len() < MIN_SECRET_LEN || bytes.len() > HMAC_BLOCK {
            return Err(CryptoError::Totp(format!(
                "secret is {} bytes, expected {MIN_SECRET_LEN} to {HMAC_BLOCK}",
                bytes.len()
            )));
        }
        Ok(TotpSecret { bytes: bytes.to_vec() })
    }

    /// The base32 text form (upper case, no padding).
    pub fn to_base32(&self) -> String {
        BASE32_NOPAD.encode(&self.bytes)
    }

    /// `otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30`,
    /// with issuer and account percent-encoded.
    pub fn provisioning_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={PERIOD}",
            percent_encode(account),
            self.to_base32(),
        )
    }

    /// Verifies a 6-digit code at `unix_time` (passed in, never read from the clock), accepting
    /// one step of clock skew either way. Returns the matched time step; the caller stores it and
    /// rejects any later code whose step is not greater (replay protection).
    pub fn verify(&self, code: &str, unix_time: u64) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let step = unix_time / PERIOD;
        let mut matched = None;
        for candidate in [step.checked_sub(1), Some(step), step.checked_add(1)].into_iter().flatten() {
            // Check every candidate (no early exit) and keep the first match.
            if constant_time_eq(self.code_for_step(candidate).as_bytes(), code.as_bytes()) && matched.is_none() {
                matched = Some(candidate);
            }
        }
        matched
    }

    /// The code at `unix_time` (for tests and enrolment checks).
    pub fn code_at(&self, unix_time: u64) -> String {
        self.code_for_step(unix_time / PERIOD)
    }

    /// HOTP (RFC 4226) for counter `step`, truncated to 6 digits.
    fn code_for_step(&self, step: u64) -> String {
        let mut mac = hmac_sha1(&self.bytes);
        mac.update(&step.to_be_bytes());
        let digest: [u8; 20] = mac.finalize().into_bytes().into();
        let offset = usize::from(digest[19] & 0x0f);
        let mut word = [0u8; 4];
        word.copy_from_slice(&digest[offset..offset + 4]);
        let binary = u32::from_be_bytes(word) & 0x7fff_ffff;
        format!("{:06}", binary % 10u32.pow(DIGITS))
    }
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
