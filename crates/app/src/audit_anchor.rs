//! Anchoring the audit log outside the database: verification against a head recorded earlier
//! (`haven audit verify --head`) and against signed checkpoints, and the checkpoints themselves.
//!
//! The chain alone proves that what is in the log was not edited, reordered or cut in the
//! middle; only a copy of the head kept elsewhere proves that the log was not wiped, truncated or
//! rolled back to an older copy. See docs/audit.md.

use crate::cases::AuditVerification;
use crate::{App, AppError, AppResult};
use haven_crypto::{AuditAnchor, AuditCheckpoint, ChainedEntry, decode_mac_hex, encode_mac_hex};
use serde::{Deserialize, Serialize};

/// One checkpoint as written to the checkpoint file (one JSON object a line) or POSTed to an
/// HTTP endpoint: `{"seq":…,"head":"<hex>","at":…,"mac":"<hex>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointRecord {
    /// The sequence number of the newest entry when the checkpoint was taken.
    pub seq: i64,
    /// Hex of that entry's MAC.
    pub head: String,
    /// When (seconds since the epoch).
    pub at: i64,
    /// Hex of the checkpoint's MAC (under a key derived from the audit key).
    pub mac: String,
}

impl From<&AuditCheckpoint> for CheckpointRecord {
    fn from(cp: &AuditCheckpoint) -> Self {
        CheckpointRecord { seq: cp.seq, head: encode_mac_hex(&cp.head), at: cp.at, mac: encode_mac_hex(&cp.mac) }
    }
}

/// Why a checkpoint file cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckpointFileError {
    #[error("checkpoint line {line}: {message}")]
    Line { line: usize, message: String },
}

/// A checkpoint as one line of JSON (without the newline).
pub fn checkpoint_line(cp: &AuditCheckpoint) -> String {
    // Serialising four plain fields cannot fail; an empty object would be refused on reading.
    serde_json::to_string(&CheckpointRecord::from(cp)).unwrap_or_default()
}

/// Reads a checkpoint file: one JSON object a line, blank lines skipped. Returns each checkpoint
/// with its line number.
pub fn parse_checkpoints(text: &str) -> Result<Vec<(usize, AuditCheckpoint)>, CheckpointFileError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let err = |message: String| CheckpointFileError::Line { line, message };
        let r: CheckpointRecord = serde_json::from_str(raw).map_err(|e| err(e.to_string()))?;
        let head = decode_mac_hex(&r.head).ok_or_else(|| err("head is not 64 hex digits".into()))?;
        let mac = decode_mac_hex(&r.mac).ok_or_else(|| err("mac is not 64 hex digits".into()))?;
        if r.seq < 1 {
            return Err(err("seq must be at least 1".into()));
        }
        out.push((line, AuditCheckpoint { seq: r.seq, head, at: r.at, mac }));
    }
    Ok(out)
}

impl App {
    /// Checks the whole audit chain and its head row, then that every head recorded outside the
    /// database (`anchors`, and the heads of `checkpoints`, whose MACs are checked first) is in
    /// it. Returns what was verified, or the first problem as a conflict naming the entry.
    pub async fn verify_audit_anchored(
        &self,
        anchors: &[AuditAnchor],
        checkpoints: &[(usize, AuditCheckpoint)],
    ) -> AppResult<AuditVerification> {
        let key = self.keys.audit_key();
        for (line, cp) in checkpoints {
            if !cp.verify(&key) {
                return Err(AppError::Conflict(format!(
                    "the checkpoint on line {line} (entry {}) does not verify: it was forged or altered, \
                     or written under another audit key",
                    cp.seq
                )));
            }
        }
        let mut all: Vec<AuditAnchor> = anchors.to_vec();
        all.extend(checkpoints.iter().map(|(_, cp)| cp.anchor()));
        // the log and its head of one moment: writers may append meanwhile
        let (rows, head) = self.store.audit_snapshot().await?;
        // Every append writes the head: entries without one mean the head row was deleted (and
        // with it the proof of how long the chain was).
        if head.is_none() && !rows.is_empty() {
            return Err(AppError::Conflict("audit chain broken: the audit head is missing".into()));
        }
        if let Some(h) = &head
            && !haven_crypto::verify_audit_head(&key, h.seq, &h.mac, &h.head_mac)
        {
            return Err(AppError::Conflict(format!("the audit head (entry {}) has been altered", h.seq)));
        }
        let bytes: Vec<Vec<u8>> = rows.iter().map(|r| r.event.canonical_bytes(r.seq)).collect();
        let entries = rows.iter().zip(&bytes).map(|(r, b)| ChainedEntry { seq: r.seq, entry: b, mac: &r.mac });
        let verified =
            haven_crypto::verify_audit_chain_anchored(&key, entries, head.as_ref().map(|h| (h.seq, h.mac)), &all)
                .map_err(|b| AppError::Conflict(format!("audit chain broken: {b}")))?;
        Ok(AuditVerification {
            entries: verified,
            head_seq: head.as_ref().map_or(0, |h| h.seq),
            head_mac: head.map(|h| encode_mac_hex(&h.mac)).unwrap_or_default(),
        })
    }

    /// A signed checkpoint of the current head, timed by the application's clock; `None` while
    /// the log is empty. A head row that does not verify is refused rather than signed.
    pub async fn audit_checkpoint(&self) -> AppResult<Option<AuditCheckpoint>> {
        let Some(h) = self.store.audit_head().await? else {
            return Ok(None);
        };
        let key = self.keys.audit_key();
        if !haven_crypto::verify_audit_head(&key, h.seq, &h.mac, &h.head_mac) {
            return Err(AppError::Conflict(format!("the audit head (entry {}) has been altered", h.seq)));
        }
        Ok(Some(AuditCheckpoint::sign(&key, h.seq, h.mac, self.clock.now())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_crypto::AuditKey;

    #[test]
    fn a_checkpoint_line_reads_back_and_bad_lines_are_named() {
        let key = AuditKey::generate();
        let cp = AuditCheckpoint::sign(&key, 7, [3u8; 32], 1_780_000_000);
        let text = format!("{}\n\n{}\n", checkpoint_line(&cp), checkpoint_line(&cp));
        let read = parse_checkpoints(&text).unwrap();
        assert_eq!(read, vec![(1, cp), (3, cp)]);
        assert!(read[0].1.verify(&key));
        let bad = format!("{}\n{{\"seq\":7}}\n", checkpoint_line(&cp));
        assert!(matches!(parse_checkpoints(&bad), Err(CheckpointFileError::Line { line: 2, .. })));
        let short = checkpoint_line(&cp).replace(&encode_mac_hex(&cp.mac), "abcd");
        assert!(matches!(parse_checkpoints(&short), Err(CheckpointFileError::Line { line: 1, .. })));
    }
}
