//! HMAC helpers with infallible construction: keys are at most one block (64 bytes) long, and a
//! key shorter than the block is zero-padded, exactly as HMAC itself does (RFC 2104).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

pub(crate) type HmacSha256 = Hmac<Sha256>;
pub(crate) type HmacSha1 = Hmac<sha1::Sha1>;

/// HMAC block size for SHA-1 and SHA-256.
pub(crate) const HMAC_BLOCK: usize = 64;

fn padded(key: &[u8]) -> Zeroizing<[u8; HMAC_BLOCK]> {
    let mut block = Zeroizing::new([0u8; HMAC_BLOCK]);
    let n = key.len().min(HMAC_BLOCK);
    block[..n].copy_from_slice(&key[..n]);
    block
}

/// HMAC-SHA256 keyed by a 32-byte key.
pub(crate) fn hmac_sha256(key: &[u8; 32]) -> HmacSha256 {
    let block = padded(key);
    HmacSha256::new((&*block).into())
}

/// HMAC-SHA1 keyed by a key of at most 64 bytes (callers enforce the bound).
pub(crate) fn hmac_sha1(key: &[u8]) -> HmacSha1 {
    let block = padded(key);
    HmacSha1::new((&*block).into())
}

/// HMAC-SHA256 over the concatenation of `parts`.
pub(crate) fn hmac_sha256_parts(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = hmac_sha256(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Length prefix (u64 big-endian) for unambiguous concatenation.
pub(crate) fn len_prefix(bytes: &[u8]) -> [u8; 8] {
    (bytes.len() as u64).to_be_bytes()
}
