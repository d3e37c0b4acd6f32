//! Rotation of this instance's own exchange keys (docs/transnational.md §11, "Rotating this
//! instance's keys"): new key pairs added, the keys in use given the end of the overlap, and keys
//! whose overlap has ended retired (their wrapped secrets deleted), each with the entry's new
//! sequence, in one audited transaction; and one key revoked at once (migration 0030).

use crate::exchange::insert_exchange_key;
use crate::{ExchangeKeyRow, Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A change of the instance's own keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnKeysChange {
    /// The sequence of the entry the change was made from: the change is refused
    /// ([`StorageError::Conflict`], nothing written) when another one came first.
    pub previous_sequence: i64,
    pub sequence: i64,
    /// Keys whose `valid_until`, or whose revocation, is at or before this time are deleted
    /// (retired).
    pub retire_expired_at: i64,
    /// Keys still without an end are given this `valid_until` (the end of the overlap); `None`
    /// leaves them.
    pub end_current_at: Option<i64>,
    /// New key pairs (wrapped secrets).
    pub new_keys: Vec<ExchangeKeyRow>,
    /// At a rotation, every pinned peer counter-signed again by the new signing key:
    /// `(instance_id, new record, the record it replaces)`. All pins must be listed and unchanged
    /// since read, or the change is refused ([`StorageError::Conflict`]).
    pub repinned: Option<Vec<(String, String, String)>>,
    /// When the pins were counter-signed again.
    pub at: i64,
}

/// The immediate revocation of one of the instance's own keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnKeyRevocation {
    /// The sequence of the entry the revocation was decided from: refused
    /// ([`StorageError::Conflict`], nothing written) when another change came first.
    pub previous_sequence: i64,
    pub sequence: i64,
    pub key_id: String,
    pub revoked_at: i64,
    /// One line, the focal point's.
    pub reason: String,
}

impl Store {
    /// Marks one of the instance's own keys revoked from `revocation.revoked_at` on and raises
    /// the entry's sequence, audited, all or nothing. A key that is not the instance's, or is
    /// revoked already, is refused ([`StorageError::Conflict`]).
    pub async fn revoke_own_exchange_key(&self, revocation: &OwnKeyRevocation, event: &AuditEvent) -> Result<()> {
        audited_tx!(self, event, |tx| {
            let moved = sqlx::query("UPDATE exchange_identity SET sequence = $1 WHERE id = 1 AND sequence = $2")
                .bind(revocation.sequence)
                .bind(revocation.previous_sequence)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved == 0 {
                return Err(StorageError::Conflict(
                    "this instance's directory entry changed meanwhile (or it has no exchange identity)".into(),
                ));
            }
            let revoked = sqlx::query(
                "UPDATE exchange_keys SET revoked_at = $2, revoked_reason = $3 WHERE key_id = $1 \
                 AND revoked_at IS NULL AND instance_id = (SELECT instance_id FROM exchange_identity WHERE id = 1)",
            )
            .bind(&revocation.key_id)
            .bind(revocation.revoked_at)
            .bind(&revocation.reason)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if revoked == 0 {
                return Err(StorageError::Conflict(format!(
                    "key {} is not a key of this instance, or is revoked already",
                    revocation.key_id
                )));
            }
        });
        Ok(())
    }

    /// Applies `change` to the instance's own keys, audited, all or nothing. Returns the number of
    /// keys retired.
    pub async fn change_own_exchange_keys(&self, change: &OwnKeysChange, event: &AuditEvent) -> Result<u64> {
        for key in &change.new_keys {
            if key.kind != "signing" && key.kind != "encryption" {
                return Err(StorageError::Conflict(format!("key {}: unknown kind {}", key.key_id, key.kind)));
            }
        }
        let retired = audited_tx!(self, event, |tx| {
            let moved = sqlx::query("UPDATE exchange_identity SET sequence = $1 WHERE id = 1 AND sequence = $2")
                .bind(change.sequence)
                .bind(change.previous_sequence)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved == 0 {
                return Err(StorageError::Conflict(
                    "this instance's directory entry changed meanwhile (or it has no exchange identity)".into(),
                ));
            }
            let retired = sqlx::query(
                "DELETE FROM exchange_keys WHERE ((valid_until IS NOT NULL AND valid_until <= $1) \
                 OR (revoked_at IS NOT NULL AND revoked_at <= $1)) AND instance_id = (SELECT instance_id FROM exchange_identity WHERE id = 1)",
            )
            .bind(change.retire_expired_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if let Some(until) = change.end_current_at {
                sqlx::query(
                    "UPDATE exchange_keys SET valid_until = $1 WHERE valid_until IS NULL \
                     AND instance_id = (SELECT instance_id FROM exchange_identity WHERE id = 1)",
                )
                .bind(until)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(repinned) = &change.repinned {
                for (instance_id, record, previous) in repinned {
                    let n = sqlx::query(
                        "UPDATE exchange_peers SET record = $2, updated_at = $3 WHERE instance_id = $1 AND record = $4",
                    )
                    .bind(instance_id)
                    .bind(record)
                    .bind(change.at)
                    .bind(previous)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n == 0 {
                        return Err(StorageError::Conflict(format!("the pin of {instance_id} changed meanwhile")));
                    }
                }
                let (pins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM exchange_peers").fetch_one(&mut *tx).await?;
                if usize::try_from(pins).ok() != Some(repinned.len()) {
                    return Err(StorageError::Conflict("a peer was pinned meanwhile".into()));
                }
            }
            for key in &change.new_keys {
                insert_exchange_key!(tx, key);
            }
            retired
        });
        Ok(retired)
    }
}
