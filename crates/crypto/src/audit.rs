use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::mac::{hmac_sha256_parts, len_prefix};
use crate::random::{constant_time_eq, random_bytes};

/// The key of the audit chain MACs. Zeroized on drop; `Debug` redacts it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AuditKey {
    bytes: [u8; 32],
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey([redacted])")
    }
}

impl AuditKey {
    /// An audit key from raw bytes (normally obtained from [`crate::Keyring::audit_key`]).
    pub fn from_bytes(bytes: [u8; 32]) -> AuditKey {
        AuditKey { bytes }
    }

    /// A random audit key (for tests and tools that do not need a keyring).
    pub fn generate() -> AuditKey {
        AuditKey { bytes: random_bytes() }
    }
}

/// `prev_mac` of the first entry (seq 1).
pub const AUDIT_GENESIS: [u8; 32] = [0u8; 32];

/// The MAC of audit entry `seq`:
/// HMAC-SHA256(key, "haven-audit-v1" || seq (i64 BE) || prev_mac || len(entry) (u64 BE) || entry).
pub fn audit_mac(key: &AuditKey, seq: i64, prev_mac: &[u8; 32], entry: &[u8]) -> [u8; 32] {
    hmac_sha256_parts(&key.bytes, &[b"haven-audit-v1", &seq.to_be_bytes(), prev_mac, &len_prefix(entry), entry])
}

/// The MAC of the head row that records the last entry:
/// HMAC-SHA256(key, "haven-audit-head-v1" || seq (i64 BE) || mac).
pub fn audit_head_mac(key: &AuditKey, seq: i64, mac: &[u8; 32]) -> [u8; 32] {
    hmac_sha256_parts(&key.bytes, &[b"haven-audit-head-v1", &seq.to_be_bytes(), mac])
}

/// Checks a stored head row's MAC (constant time).
pub fn verify_audit_head(key: &AuditKey, seq: i64, mac: &[u8; 32], head_mac: &[u8]) -> bool {
    constant_time_eq(&audit_head_mac(key, seq, mac), head_mac)
}

/// One stored audit entry, as given to [`verify_audit_chain`].
#[derive(Clone, Copy, Debug)]
pub struct ChainedEntry<'a> {
    pub seq: i64,
    pub entry: &'a [u8],
    pub mac: &'a [u8],
}

/// Why an audit chain does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's MAC does not match its content and predecessor: edited, forged or inserted.
    Edited { seq: i64 },
    /// Sequence numbers jump from `after_seq` to `found_seq`: entries were deleted
    /// (`after_seq` is 0 when the oldest entries are missing).
    Missing { after_seq: i64, found_seq: i64 },
    /// This entry's seq is lower than the one stored before it (or below 1): entries reordered.
    OutOfOrder { seq: i64 },
    /// Two entries carry the same seq: an entry was inserted.
    Duplicate { seq: i64 },
    /// The head row records a different last entry than the chain ends with: the newest entries
    /// were deleted (or the head row is stale).
    TruncatedHead { expected_last: i64, found_last: i64 },
    /// The stored MAC is not 32 bytes, or the head row's MAC of the last entry differs from it.
    BadMac { seq: i64 },
    /// A head recorded outside the database (with `--head` or in a checkpoint) names entry `seq`,
    /// but the log ends at `found_last`: the log was wiped, truncated or rolled back.
    AnchorMissing { seq: i64, found_last: i64 },
    /// Entry `seq` is present but its MAC differs from the head recorded outside the database:
    /// the log was rolled back to an earlier state and has grown again since.
    AnchorMismatch { seq: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainBreak::Edited { seq } => write!(f, "audit entry {seq} was edited, forged or inserted (MAC mismatch)"),
            ChainBreak::Missing { after_seq, found_seq } => {
                write!(f, "audit entries missing: after entry {after_seq} comes entry {found_seq}")
            }
            ChainBreak::OutOfOrder { seq } => write!(f, "audit entry {seq} is out of order"),
            ChainBreak::Duplicate { seq } => write!(f, "audit entry {seq} appears twice"),
            ChainBreak::TruncatedHead { expected_last, found_last } => write!(
                f,
                "the audit head records entry {expected_last} as the last, but the log ends at entry {found_last}"
            ),
            ChainBreak::BadMac { seq } => {
                write!(f, "audit entry {seq} has a malformed or mismatching MAC")
            }
            ChainBreak::AnchorMissing { seq, found_last } => write!(
                f,
                "the recorded head is entry {seq}, but the log ends at entry {found_last}: \
                 the log was wiped, truncated or rolled back"
            ),
            ChainBreak::AnchorMismatch { seq } => write!(
                f,
                "audit entry {seq} differs from the recorded head: the log was rolled back and rewritten from there"
            ),
        }
    }
}

impl std::error::Error for ChainBreak {}

/// Verifies entries given in storage order (ascending seq expected, starting at 1) and returns how
/// many were verified.
///
/// Ordering breaks (a duplicate seq, a seq lower than its predecessor's) are looked for across
/// the whole input and take precedence; otherwise the first content break is reported (a seq gap
/// as `Missing`, a MAC mismatch as `Edited`, a MAC of the wrong length as `BadMac`). Finally, when
/// `head` (the last `(seq, mac)` recorded in the separately MACed head row) is given, the chain
/// must end exactly there, which detects deletion of the newest entries.
pub fn verify_audit_chain<'a>(
    key: &AuditKey,
    entries: impl IntoIterator<Item = ChainedEntry<'a>>,
    head: Option<(i64, [u8; 32])>,
) -> Result<u64, ChainBreak> {
    verify_audit_chain_anchored(key, entries, head, &[])
}

/// A head recorded outside the database: the sequence number of an entry and its MAC, as
/// printed by `haven audit verify` (`SEQ:HEX`) or carried by a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditAnchor {
    pub seq: i64,
    pub mac: [u8; 32],
}

/// Why a recorded head cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a recorded audit head is `SEQ:HEX` (a positive entry number and a 64-digit hex MAC), not {0:?}")]
pub struct AnchorFormatError(pub String);

impl AuditAnchor {
    /// Reads `SEQ:HEX`, or the form `entry SEQ mac HEX` that `haven audit verify` prints.
    pub fn parse(text: &str) -> Result<AuditAnchor, AnchorFormatError> {
        let err = || AnchorFormatError(text.to_owned());
        let t = text.trim();
        let (seq, hex) = match t.split_once(':') {
            Some(parts) => parts,
            None => {
                let words: Vec<&str> = t.split_whitespace().collect();
                match words.as_slice() {
                    ["entry", seq, "mac", hex] => (*seq, *hex),
                    _ => return Err(err()),
                }
            }
        };
        let seq: i64 = seq.trim().parse().map_err(|_| err())?;
        if seq < 1 {
            return Err(err());
        }
        let mac = decode_mac_hex(hex.trim()).ok_or_else(err)?;
        Ok(AuditAnchor { seq, mac })
    }
}

impl fmt::Display for AuditAnchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, encode_mac_hex(&self.mac))
    }
}

/// Lower-case hex of a MAC.
pub fn encode_mac_hex(mac: &[u8; 32]) -> String {
    mac.iter().map(|b| format!("{b:02x}")).collect()
}

/// A MAC from 64 hex digits (either case).
pub fn decode_mac_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let digits = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(digits, 16).ok()?;
    }
    Some(out)
}

/// [`verify_audit_chain`], and then every `anchor` (heads recorded outside the database) must
/// be in the verified chain: the entry at its seq must exist and carry its MAC. Since every
/// MAC covers its predecessor, a matching anchor proves the whole log up to it is the one seen
/// when the anchor was recorded, and the verified chain proves it continues from there.
///
/// Chain breaks are reported first; then the anchors in ascending seq, the first that fails as
/// [`ChainBreak::AnchorMissing`] (the log ends before it: wiped, truncated, rolled back) or
/// [`ChainBreak::AnchorMismatch`] (the entry is there with another MAC: rolled back and regrown).
pub fn verify_audit_chain_anchored<'a>(
    key: &AuditKey,
    entries: impl IntoIterator<Item = ChainedEntry<'a>>,
    head: Option<(i64, [u8; 32])>,
    anchors: &[AuditAnchor],
) -> Result<u64, ChainBreak> {
    let mut wanted: Vec<AuditAnchor> = anchors.to_vec();
    wanted.sort_by_key(|a| a.seq);
    // The MAC found at each anchored seq, filled in while the chain is verified.
    let mut found: Vec<Option<[u8; 32]>> = vec![None; wanted.len()];
    let mut prev_seq: i64 = 0;
    let mut prev_mac: [u8; 32] = AUDIT_GENESIS;
    let mut verified: u64 = 0;
    let mut first_break: Option<ChainBreak> = None;
    for e in entries {
        if e.seq < 1 {
            return Err(ChainBreak::OutOfOrder { seq: e.seq });
        }
        // prev_seq starts at 0 and every seq is >= 1, so the first entry never trips these.
        if e.seq == prev_seq {
            return Err(ChainBreak::Duplicate { seq: e.seq });
        }
        if e.seq < prev_seq {
            return Err(ChainBreak::OutOfOrder { seq: e.seq });
        }
        if first_break.is_none() {
            let expected = prev_seq.saturating_add(1);
            if e.seq != expected {
                first_break = Some(ChainBreak::Missing { after_seq: prev_seq, found_seq: e.seq });
            } else {
                match <[u8; 32]>::try_from(e.mac) {
                    Err(_) => first_break = Some(ChainBreak::BadMac { seq: e.seq }),
                    Ok(mac) => {
                        let computed = audit_mac(key, e.seq, &prev_mac, e.entry);
                        if constant_time_eq(&computed, &mac) {
                            prev_mac = mac;
                            verified += 1;
                            for (a, slot) in wanted.iter().zip(found.iter_mut()) {
                                if a.seq == e.seq {
                                    *slot = Some(mac);
                                }
                            }
                        } else {
                            first_break = Some(ChainBreak::Edited { seq: e.seq });
                        }
                    }
                }
            }
        }
        prev_seq = e.seq;
    }
    if let Some(b) = first_break {
        return Err(b);
    }
    if let Some((head_seq, head_mac)) = head {
        if head_seq != prev_seq {
            return Err(ChainBreak::TruncatedHead { expected_last: head_seq, found_last: prev_seq });
        }
        if !constant_time_eq(&head_mac, &prev_mac) {
            return Err(ChainBreak::BadMac { seq: head_seq });
        }
    }
    for (a, slot) in wanted.iter().zip(&found) {
        match slot {
            None => return Err(ChainBreak::AnchorMissing { seq: a.seq, found_last: prev_seq }),
            Some(mac) if !constant_time_eq(mac, &a.mac) => return Err(ChainBreak::AnchorMismatch { seq: a.seq }),
            Some(_) => {}
        }
    }
    Ok(verified)
}

/// A signed checkpoint: the head of the log (`seq` and the MAC of that entry) at time `at`
/// (seconds since the epoch, from the caller's clock), written outside the database so that a
/// later verification can prove the log was not rolled back or wiped.
///
/// `mac` = HMAC-SHA256(K, "haven-audit-checkpoint-v1" || seq (i64 BE) || head || at (i64 BE)),
/// where K = HMAC-SHA256(audit key, "haven-audit-checkpoint-key-v1"): whoever lacks the audit key
/// (held only under the master key) cannot forge or alter a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditCheckpoint {
    pub seq: i64,
    pub head: [u8; 32],
    pub at: i64,
    pub mac: [u8; 32],
}

fn checkpoint_mac(key: &AuditKey, seq: i64, head: &[u8; 32], at: i64) -> [u8; 32] {
    let derived = zeroize::Zeroizing::new(hmac_sha256_parts(&key.bytes, &[b"haven-audit-checkpoint-key-v1"]));
    hmac_sha256_parts(&derived, &[b"haven-audit-checkpoint-v1", &seq.to_be_bytes(), head, &at.to_be_bytes()])
}

impl AuditCheckpoint {
    /// Signs the head `(seq, head)` as seen at `at`.
    pub fn sign(key: &AuditKey, seq: i64, head: [u8; 32], at: i64) -> AuditCheckpoint {
        AuditCheckpoint { seq, head, at, mac: checkpoint_mac(key, seq, &head, at) }
    }

    /// Whether the checkpoint's MAC is genuine (constant time).
    pub fn verify(&self, key: &AuditKey) -> bool {
        constant_time_eq(&checkpoint_mac(key, self.seq, &self.head, self.at), &self.mac)
    }

    /// The head it records, to check the log against.
    pub fn anchor(&self) -> AuditAnchor {
        AuditAnchor { seq: self.seq, mac: self.head }
    }
}
