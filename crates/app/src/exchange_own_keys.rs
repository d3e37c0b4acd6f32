//! Rotating this instance's own exchange keys (docs/transnational.md §11, "Rotating this
//! instance's keys"). A rotation makes a new signing key pair and a new encryption key pair,
//! valid from now, and gives the keys in use an end: the end of the overlap. The instance then
//! publishes a new directory entry (a higher sequence) listing the old and the new keys, signed
//! by the old signing key, which every peer pinned, so each peer can apply it as a rotation.
//!
//! During the overlap the instance goes on signing with the old key (peers that have not applied
//! the rotation yet still accept its messages) and opens messages encrypted to either encryption
//! key (peers that applied it encrypt to the new one). Once the overlap has ended the old keys
//! are expired: the instance signs with the new key, refuses messages encrypted to the old one,
//! and peers refuse what the old signing key signs. Retiring deletes the expired keys' wrapped
//! secrets and publishes an entry without them.
//!
//! Authorisation: [`haven_domain::Permission::ManagePeers`] or the operator console; audited
//! `own_keys_rotated` and `own_keys_retired`.

use crate::admin::Acting;
use crate::{App, AppError, AppResult};
use haven_domain::audit::AuditAction;
use haven_exchange::{EncryptionKeyPair, InstanceId, SigningKeyPair};
use haven_storage::{ExchangeKeyRow, OwnKeysChange, StorageError};
use time::Duration;

/// The overlap a rotation gives when none is asked for.
pub const DEFAULT_OVERLAP_DAYS: i64 = 14;
/// The longest overlap.
pub const MAX_OVERLAP_DAYS: i64 = 90;

/// What a rotation or a retirement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnKeysChanged {
    /// The sequence of the entry now published.
    pub sequence: i64,
    /// The new signing key (a rotation), or `None` (a retirement).
    pub new_signing_key_id: Option<String>,
    /// The new encryption key (a rotation).
    pub new_encryption_key_id: Option<String>,
    /// Until when the old keys are valid (a rotation): the end of the overlap.
    pub overlap_until: Option<i64>,
    /// The key ids retired (their secrets deleted).
    pub retired: Vec<String>,
    /// The signed entry to hand to every peer (`haven peer rotate FILE` there).
    pub entry_json: String,
}

fn conflict(e: StorageError) -> AppError {
    match e {
        StorageError::Conflict(m) => AppError::Conflict(m),
        other => other.into(),
    }
}

/// One of this instance's own keys, as its page lists it (public parts only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnKey {
    pub key_id: String,
    /// `signing` or `encryption`.
    pub kind: String,
    pub valid_from: i64,
    /// The end of its overlap, once a rotation has given it one.
    pub valid_until: Option<i64>,
    /// `valid`, `not_yet_valid` or `expired`, now.
    pub status: &'static str,
    /// Whether it is the signing key in use (the one to read out to peers).
    pub in_use: bool,
}

impl App {
    /// This instance's own keys with their validity now; no secret.
    pub async fn own_keys(&self, acting: Acting<'_>) -> AppResult<Vec<OwnKey>> {
        self.gate_peers(acting).await?;
        let Some(loaded) = self.load_identity().await? else {
            return Ok(Vec::new());
        };
        let now = self.now();
        let in_use = loaded.local.signing.key_id().as_str().to_owned();
        Ok(self
            .store
            .exchange_keys()
            .await?
            .into_iter()
            .map(|k| OwnKey {
                status: if now < k.valid_from {
                    "not_yet_valid"
                } else if k.valid_until.is_some_and(|u| now >= u) {
                    "expired"
                } else {
                    "valid"
                },
                in_use: k.kind == "signing" && k.key_id == in_use,
                key_id: k.key_id,
                kind: k.kind,
                valid_from: k.valid_from,
                valid_until: k.valid_until,
            })
            .collect())
    }

    /// Rotates this instance's own keys: new signing and encryption key pairs valid from now, the
    /// keys in use valid until the end of an overlap of `overlap_days` (1 to
    /// [`MAX_OVERLAP_DAYS`]), keys whose overlap ended before retired, the entry's sequence
    /// raised. Refused (409) while the overlap of an earlier rotation still runs. Audited.
    pub async fn rotate_own_keys(&self, acting: Acting<'_>, overlap_days: i64) -> AppResult<OwnKeysChanged> {
        self.gate_peers(acting).await?;
        if !(1..=MAX_OVERLAP_DAYS).contains(&overlap_days) {
            return Err(AppError::Invalid(haven_domain::ParseError::said(
                "overlap_days",
                format!("a number of days from 1 to {MAX_OVERLAP_DAYS}"),
                haven_domain::message::Message::new(haven_domain::message::MessageId::ExchangeOverlapDays)
                    .with("max", MAX_OVERLAP_DAYS),
            )));
        }
        let loaded = self.require_identity().await?;
        let now = self.now();
        let keys = self.store.exchange_keys().await?;
        if let Some(until) = keys.iter().filter_map(|k| k.valid_until).filter(|u| *u > now).max() {
            return Err(AppError::Conflict(format!(
                "the overlap of the previous rotation runs until {until} (unix seconds): rotate again after it"
            )));
        }
        let instance: &InstanceId = &loaded.local.instance_id;
        let keyring = self.keys.current();
        let signing = SigningKeyPair::generate();
        let encryption = EncryptionKeyPair::generate();
        let row = |key_id: &str, kind: &str, public_key: [u8; 32], wrapped: Vec<u8>| ExchangeKeyRow {
            instance_id: instance.as_str().to_owned(),
            key_id: key_id.to_owned(),
            kind: kind.to_owned(),
            public_key: public_key.to_vec(),
            wrapped_secret: wrapped,
            valid_from: now,
            valid_until: None,
            created_at: now,
        };
        let new_keys = vec![
            row(signing.key_id().as_str(), "signing", signing.public_key(), signing.wrap(&keyring, instance)),
            row(
                encryption.key_id().as_str(),
                "encryption",
                encryption.public_key(),
                encryption.wrap(&keyring, instance),
            ),
        ];
        let overlap_until = now + Duration::days(overlap_days).whole_seconds();
        let retired: Vec<String> =
            keys.iter().filter(|k| k.valid_until.is_some_and(|u| u <= now)).map(|k| k.key_id.clone()).collect();
        let sequence = loaded.row.sequence + 1;
        // The pinned directory is counter-signed by the newest signing key: the new one from now.
        let (directory, rows) = self.load_directory(&loaded).await?;
        let again = directory.countersigned_again(
            &signing,
            time::OffsetDateTime::from_unix_timestamp(now).map_err(|e| AppError::Internal(Box::new(e)))?,
        );
        let mut repinned = Vec::new();
        for row in &rows {
            let id = InstanceId::parse("instance_id", &row.instance_id)
                .map_err(|e| crate::exchange_peers::not_carried(&e.field, &e.problem))?;
            let pinned = again.peer(&id).ok_or_else(|| AppError::Internal("a stored pin is missing".into()))?;
            let record = String::from_utf8(pinned.to_json()).map_err(|e| AppError::Internal(Box::new(e)))?;
            repinned.push((row.instance_id.clone(), record, row.record.clone()));
        }
        let change = OwnKeysChange {
            previous_sequence: loaded.row.sequence,
            sequence,
            retire_expired_at: now,
            end_current_at: Some(overlap_until),
            new_keys,
            repinned: Some(repinned),
            at: now,
        };
        let old_signing = loaded.local.signing.key_id().as_str().to_owned();
        let event = self
            .peers_event(acting, AuditAction::OwnKeysRotated)
            .on("exchange_identity", instance.as_str(), None)
            .detail(format!(
                "sequence={sequence} signing_key_id={} old_signing_key_id={old_signing} encryption_key_id={} \
                 overlap_until={overlap_until} retired={}",
                signing.key_id(),
                encryption.key_id(),
                retired.len()
            ));
        self.store.change_own_exchange_keys(&change, &event).await.map_err(conflict)?;
        let entry = self.own_directory_entry(acting).await?;
        Ok(OwnKeysChanged {
            sequence,
            new_signing_key_id: Some(signing.key_id().as_str().to_owned()),
            new_encryption_key_id: Some(encryption.key_id().as_str().to_owned()),
            overlap_until: Some(overlap_until),
            retired,
            entry_json: entry.json,
        })
    }

    /// Retires this instance's keys whose overlap has ended: their wrapped secrets are deleted
    /// and the entry, without them, gets a higher sequence. Nothing to retire changes nothing
    /// (the entry and its sequence stay). Audited when it retires.
    pub async fn retire_own_keys(&self, acting: Acting<'_>) -> AppResult<OwnKeysChanged> {
        self.gate_peers(acting).await?;
        let loaded = self.require_identity().await?;
        let now = self.now();
        let keys = self.store.exchange_keys().await?;
        let retired: Vec<String> =
            keys.iter().filter(|k| k.valid_until.is_some_and(|u| u <= now)).map(|k| k.key_id.clone()).collect();
        let mut sequence = loaded.row.sequence;
        if !retired.is_empty() {
            sequence += 1;
            let change = OwnKeysChange {
                previous_sequence: loaded.row.sequence,
                sequence,
                retire_expired_at: now,
                end_current_at: None,
                new_keys: Vec::new(),
                repinned: None,
                at: now,
            };
            let event = self
                .peers_event(acting, AuditAction::OwnKeysRetired)
                .on("exchange_identity", loaded.local.instance_id.as_str(), None)
                .detail(format!("sequence={sequence} retired={}", retired.join(",")));
            self.store.change_own_exchange_keys(&change, &event).await.map_err(conflict)?;
        }
        let entry = self.own_directory_entry(acting).await?;
        Ok(OwnKeysChanged {
            sequence,
            new_signing_key_id: None,
            new_encryption_key_id: None,
            overlap_until: None,
            retired,
            entry_json: entry.json,
        })
    }
}
