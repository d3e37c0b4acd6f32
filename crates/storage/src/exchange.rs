//! Transnational exchange (migration 0018): this instance's identity and its key pairs (secrets
//! wrapped under the keyring, stored as ciphertext), and the peers pinned in its directory (the
//! pin as `haven-exchange` writes it). Storage checks no signature: the application loads the
//! directory through the crate, which does.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// The instance's identity in the exchange (one row).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeIdentityRow {
    pub instance_id: String,
    /// `national_focal_point` or `eu_hub`.
    pub role: String,
    pub endpoint: String,
    /// The sequence of the directory entry the instance publishes.
    pub sequence: i64,
    /// The user who made it; `None` from the operator console.
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// One of the instance's own key pairs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeKeyRow {
    pub instance_id: String,
    pub key_id: String,
    /// `signing` or `encryption`.
    pub kind: String,
    /// The raw 32-byte public key.
    pub public_key: Vec<u8>,
    /// The secret key wrapped under the keyring (stored in `signing_secret` or
    /// `encryption_secret` by kind).
    pub wrapped_secret: Vec<u8>,
    pub valid_from: i64,
    pub valid_until: Option<i64>,
    pub created_at: i64,
    /// From when the key is revoked (migration 0030): it neither signs nor opens from then on.
    pub revoked_at: Option<i64>,
    /// Why, in the focal point's words (one line).
    pub revoked_reason: Option<String>,
}

/// A pinned peer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangePeerRow {
    pub instance_id: String,
    /// `national_focal_point` or `eu_hub`.
    pub role: String,
    /// The stored pin (`PinnedPeer::to_json` of haven-exchange), UTF-8 JSON.
    pub record: String,
    /// The local revocations: JSON list of `{"key_id", "revoked_at"}`.
    pub revocations: String,
    pub pinned_at: i64,
    /// The user who pinned it; `None` from the operator console.
    pub pinned_by: Option<String>,
    pub updated_at: i64,
}

const IDENTITY_COLUMNS: &str = "instance_id, role, endpoint, sequence, created_by, created_at";
const KEY_COLUMNS: &str = "instance_id, key_id, kind, public_key, COALESCE(signing_secret, encryption_secret) AS \
                           wrapped_secret, valid_from, valid_until, created_at, revoked_at, revoked_reason";
const PEER_COLUMNS: &str = "instance_id, role, record, revocations, pinned_at, pinned_by, updated_at";

fn check_key(key: &ExchangeKeyRow, identity: &ExchangeIdentityRow) -> Result<()> {
    if key.instance_id != identity.instance_id {
        return Err(StorageError::Conflict(format!("key {} is not of instance {}", key.key_id, identity.instance_id)));
    }
    if key.kind != "signing" && key.kind != "encryption" {
        return Err(StorageError::Conflict(format!("key {}: unknown kind {}", key.key_id, key.kind)));
    }
    Ok(())
}

/// Inserts one of the instance's own key pairs inside an open transaction, its wrapped secret in
/// `signing_secret` or `encryption_secret` by kind (the kind checked before).
macro_rules! insert_exchange_key {
    ($tx:ident, $key:expr) => {{
        let key: &ExchangeKeyRow = $key;
        let (signing, encryption) = match key.kind.as_str() {
            "signing" => (Some(&key.wrapped_secret), None),
            _ => (None, Some(&key.wrapped_secret)),
        };
        sqlx::query(
            "INSERT INTO exchange_keys (instance_id, key_id, kind, public_key, signing_secret, \
             encryption_secret, valid_from, valid_until, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        )
        .bind(&key.instance_id)
        .bind(&key.key_id)
        .bind(&key.kind)
        .bind(&key.public_key)
        .bind(signing)
        .bind(encryption)
        .bind(key.valid_from)
        .bind(key.valid_until)
        .bind(key.created_at)
        .execute(&mut *$tx)
        .await?
    }};
}
pub(crate) use insert_exchange_key;

impl Store {
    /// The instance's identity, if made.
    pub async fn exchange_identity(&self) -> Result<Option<ExchangeIdentityRow>> {
        let sql = format!("SELECT {IDENTITY_COLUMNS} FROM exchange_identity WHERE id = 1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_optional(pool).await?);
        Ok(row)
    }

    /// Makes the instance's identity with its first key pairs, audited, all or nothing. Returns
    /// `false` (and writes nothing) when an identity exists already: the first one made stays.
    pub async fn create_exchange_identity(
        &self,
        identity: &ExchangeIdentityRow,
        keys: &[ExchangeKeyRow],
        event: &AuditEvent,
    ) -> Result<bool> {
        for key in keys {
            check_key(key, identity)?;
        }
        audited_tx!(self, event, |tx| {
            let made = sqlx::query(
                "INSERT INTO exchange_identity (id, instance_id, role, endpoint, sequence, created_by, created_at) \
                 VALUES (1, $1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&identity.instance_id)
            .bind(&identity.role)
            .bind(&identity.endpoint)
            .bind(identity.sequence)
            .bind(&identity.created_by)
            .bind(identity.created_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if made == 0 {
                // Dropping the transaction rolls it back: nothing, not even the audit entry, is kept.
                return Ok(false);
            }
            for key in keys {
                insert_exchange_key!(tx, key);
            }
        });
        Ok(true)
    }

    /// The instance's own key pairs (wrapped), signing keys first, then by validity and key id.
    pub async fn exchange_keys(&self) -> Result<Vec<ExchangeKeyRow>> {
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM exchange_keys WHERE instance_id = \
             (SELECT instance_id FROM exchange_identity WHERE id = 1) ORDER BY kind DESC, valid_from, key_id"
        );
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(pool).await?);
        Ok(rows)
    }

    /// The pinned peers, by instance id.
    pub async fn exchange_peers(&self) -> Result<Vec<ExchangePeerRow>> {
        let sql = format!("SELECT {PEER_COLUMNS} FROM exchange_peers ORDER BY instance_id");
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(pool).await?);
        Ok(rows)
    }

    /// One pinned peer.
    pub async fn exchange_peer(&self, instance_id: &str) -> Result<Option<ExchangePeerRow>> {
        let sql = format!("SELECT {PEER_COLUMNS} FROM exchange_peers WHERE instance_id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(instance_id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Pins a new peer, audited. A peer pinned already is a [`StorageError::Conflict`].
    pub async fn pin_exchange_peer(&self, peer: &ExchangePeerRow, event: &AuditEvent) -> Result<()> {
        audited_tx!(self, event, |tx| {
            sqlx::query(
                "INSERT INTO exchange_peers (instance_id, role, record, revocations, pinned_at, pinned_by, updated_at) \
                 VALUES ($1,$2,$3,$4,$5,$6,$7)",
            )
            .bind(&peer.instance_id)
            .bind(&peer.role)
            .bind(&peer.record)
            .bind(&peer.revocations)
            .bind(peer.pinned_at)
            .bind(&peer.pinned_by)
            .bind(peer.updated_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Replaces the pin of a peer (a rotation or a revocation), audited, if its stored record is
    /// still `previous_record`: a concurrent change wins and this one gives
    /// [`StorageError::Conflict`] (nothing written), to be done again on the newer pin.
    pub async fn replace_exchange_peer(
        &self,
        peer: &ExchangePeerRow,
        previous_record: &str,
        event: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, event, |tx| {
            let n = sqlx::query(
                "UPDATE exchange_peers SET role = $2, record = $3, revocations = $4, updated_at = $5 \
                 WHERE instance_id = $1 AND record = $6",
            )
            .bind(&peer.instance_id)
            .bind(&peer.role)
            .bind(&peer.record)
            .bind(&peer.revocations)
            .bind(peer.updated_at)
            .bind(previous_record)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StorageError::Conflict(format!(
                    "the pin of {} changed meanwhile (or it is not pinned)",
                    peer.instance_id
                )));
            }
        });
        Ok(())
    }
}
