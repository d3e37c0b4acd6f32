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
//! Revoking one key at once (docs/transnational.md §11, "Revoking this instance's own key") ends
//! its use without an overlap: from now on the key neither signs nor opens, the entry lists it
//! revoked (a higher sequence, signed by a key the peers still trust), and that entry is queued as
//! a `directory_entry` message to every pinned peer, which applies it on receipt and refuses the
//! key from then on. The only current key of its kind is never revoked: the instance would have
//! no key its peers know to sign or to be written to; it rotates first.
//!
//! Authorisation: [`haven_domain::Permission::ManagePeers`] or the operator console; audited
//! `own_keys_rotated`, `own_keys_retired` and `own_key_revoked`.

use crate::admin::Acting;
use crate::exchange_transport::{InboundOutcome, OutgoingMessage, ReceivedMessage};
use crate::{App, AppError, AppResult};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::message::{Message, MessageId};
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::{DirectoryError, EncryptionKeyPair, InstanceId, SignedEntry, SigningKeyPair};
use haven_storage::{ExchangeKeyRow, OwnKeyRevocation, OwnKeysChange, StorageError};
use time::Duration;

/// The message type that carries a signed directory entry to a peer.
pub const DIRECTORY_ENTRY: &str = "directory_entry";
/// Its version.
pub const DIRECTORY_ENTRY_VERSION: u32 = 1;
/// How long the announcement of a revocation stays deliverable.
pub const ANNOUNCEMENT_LIFETIME: Duration = Duration::days(7);
/// The longest reason of a revocation, in characters.
pub const MAX_REASON_CHARS: usize = 200;

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

/// Whether a key's use has ended at `now`: its overlap is over, or it is revoked.
fn ended(key: &ExchangeKeyRow, now: i64) -> bool {
    key.valid_until.is_some_and(|u| u <= now) || key.revoked_at.is_some_and(|r| r <= now)
}

/// Whether a key is current at `now`: valid and not revoked.
fn current(key: &ExchangeKeyRow, now: i64) -> bool {
    key.valid_from <= now && !ended(key, now)
}

fn conflict(e: StorageError) -> AppError {
    match e {
        StorageError::Conflict(m) => AppError::Conflict(m),
        other => other.into(),
    }
}

/// What an immediate revocation of one of this instance's own keys did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnKeyRevoked {
    pub key_id: String,
    /// `signing` or `encryption`.
    pub kind: String,
    pub revoked_at: i64,
    /// The sequence of the entry now published.
    pub sequence: i64,
    /// The pinned peers the entry was queued to, as a `directory_entry` message.
    pub announced_to: Vec<String>,
    /// The signed entry (also to hand over by hand: `haven peer rotate FILE` at a peer).
    pub entry_json: String,
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
    /// `valid`, `not_yet_valid`, `expired` or `revoked`, now.
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
                status: if k.revoked_at.is_some_and(|r| r <= now) {
                    "revoked"
                } else if now < k.valid_from {
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
        if let Some(until) =
            keys.iter().filter(|k| k.revoked_at.is_none()).filter_map(|k| k.valid_until).filter(|u| *u > now).max()
        {
            let ends = time::OffsetDateTime::from_unix_timestamp(until)
                .map_err(|e| AppError::Internal(Box::new(e)))?
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| AppError::Internal(Box::new(e)))?;
            return Err(AppError::conflict(
                format!("the overlap of the previous rotation runs until {ends}: rotate again after it"),
                Message::new(MessageId::ExchangeRotationOverlapRuns).with("until", ends),
            ));
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
            revoked_at: None,
            revoked_reason: None,
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
        let retired: Vec<String> = keys.iter().filter(|k| ended(k, now)).map(|k| k.key_id.clone()).collect();
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
        let retired: Vec<String> = keys.iter().filter(|k| ended(k, now)).map(|k| k.key_id.clone()).collect();
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

    /// Revokes one of this instance's own keys (signing or encryption) at once, for `reason`
    /// (one line): from now on it neither signs nor opens; the entry, with a higher sequence,
    /// lists it revoked and is queued as a `directory_entry` message to every pinned peer.
    /// Refused naming `key_id` when it is not this instance's, is revoked already, is the only
    /// current key of its kind (rotate first), or is the newest signing key during an overlap
    /// (the one the pinned peers are counter-signed with); naming `reason` when it is blank or
    /// longer than one line of [`MAX_REASON_CHARS`]. Audited `own_key_revoked` (codes only; the
    /// reason is kept with the key).
    pub async fn revoke_own_key(&self, acting: Acting<'_>, key_id: &str, reason: &str) -> AppResult<OwnKeyRevoked> {
        self.gate_peers(acting).await?;
        let key_id = key_id.trim();
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(char::is_control) {
            return Err(AppError::said(
                "reason",
                &format!("say why the key is revoked, in one line of at most {MAX_REASON_CHARS} characters"),
                MessageId::ExchangeRevocationReason,
            ));
        }
        let loaded = self.require_identity().await?;
        let now = self.now();
        let keys = self.store.exchange_keys().await?;
        let key = keys.iter().find(|k| k.key_id == key_id).ok_or_else(|| {
            AppError::said("key_id", "is not a key of this instance", MessageId::ExchangeOwnKeyUnknown)
        })?;
        if key.revoked_at.is_some() {
            return Err(AppError::said("key_id", "is revoked already", MessageId::ExchangeOwnKeyRevokedAlready));
        }
        let others_current = keys.iter().any(|k| k.kind == key.kind && k.key_id != key.key_id && current(k, now));
        if current(key, now) && !others_current {
            return Err(AppError::said(
                "key_id",
                &format!(
                    "is this instance's only current {} key: rotate first (haven peer rotate-own) so that the \
                     peers pin its successor, then revoke it",
                    key.kind
                ),
                MessageId::ExchangeOnlyCurrentKey,
            ));
        }
        if key.kind == "signing" && loaded.directory_key.key_id().as_str() == key.key_id && others_current {
            return Err(AppError::said(
                "key_id",
                "is the newest signing key, which the pinned peers are counter-signed with: revoke the old key, \
                 or let the overlap end and rotate again",
                MessageId::ExchangeNewestKeyNotRevoked,
            ));
        }
        let sequence = loaded.row.sequence + 1;
        let revocation = OwnKeyRevocation {
            previous_sequence: loaded.row.sequence,
            sequence,
            key_id: key.key_id.clone(),
            revoked_at: now,
            reason: reason.to_owned(),
        };
        let event = self
            .peers_event(acting, AuditAction::OwnKeyRevoked)
            .on("exchange_identity", loaded.local.instance_id.as_str(), None)
            .detail(format!("key_id={} kind={} sequence={sequence}", key.key_id, key.kind));
        self.store.revoke_own_exchange_key(&revocation, &event).await.map_err(conflict)?;
        let entry = self.own_directory_entry(acting).await?;
        let loaded = self.require_identity().await?;
        let (directory, _) = self.load_directory(&loaded).await?;
        let mut announced_to = Vec::new();
        for peer in directory.peers() {
            let receiver = peer.entry().instance_id.as_str().to_owned();
            let message = OutgoingMessage {
                message_id: uuid::Uuid::now_v7(),
                receiver: receiver.clone(),
                message_type: DIRECTORY_ENTRY.into(),
                type_version: DIRECTORY_ENTRY_VERSION,
                body: entry.json.clone().into_bytes(),
                lifetime: ANNOUNCEMENT_LIFETIME,
            };
            self.exchange_send(acting, message).await?;
            announced_to.push(receiver);
        }
        Ok(OwnKeyRevoked {
            key_id: key.key_id.clone(),
            kind: key.kind.clone(),
            revoked_at: now,
            sequence,
            announced_to,
            entry_json: entry.json,
        })
    }

    /// A `directory_entry` message received: a pinned peer's newer signed entry (a rotation, or
    /// the revocation of one of its keys), applied as `haven peer rotate` applies it (signed by
    /// one of its signing keys valid now, no revocation lifted, the role unchanged), audited
    /// `peer_rotated`. An entry of another instance than the sender, or one not later than the
    /// pinned one, is refused.
    pub(crate) async fn on_directory_entry_received(&self, message: &ReceivedMessage) -> AppResult<InboundOutcome> {
        let refused = |reason: RefusalReason, explanation: String| InboundOutcome::Refused {
            reason,
            explanation: Some(explanation),
        };
        if message.type_version != DIRECTORY_ENTRY_VERSION {
            return Ok(InboundOutcome::Refused { reason: RefusalReason::UnsupportedMessageType, explanation: None });
        }
        let signed = match SignedEntry::parse(&message.body) {
            Ok(signed) => signed,
            Err(e) => return Ok(refused(RefusalReason::InvalidBody, format!("body.{}: {}", e.field, e.problem))),
        };
        let instance = signed.entry().instance_id.clone();
        if instance.as_str() != message.sender {
            return Ok(refused(RefusalReason::NotCompetent, "body.entry.instance_id: not the sender".into()));
        }
        let sequence = signed.entry().sequence;
        let loaded = self.require_identity().await?;
        let (mut directory, rows) = self.load_directory(&loaded).await?;
        let now = self.now();
        let time = time::OffsetDateTime::from_unix_timestamp(now).map_err(|e| AppError::Internal(Box::new(e)))?;
        match directory.apply_rotation(signed, &loaded.directory_key, time) {
            Ok(()) => {}
            Err(e @ (DirectoryError::OperatorMismatch { .. } | DirectoryError::BadCountersignature { .. })) => {
                return Err(AppError::Internal(Box::new(e)));
            }
            Err(e) => return Ok(refused(RefusalReason::Other, format!("body: {e}"))),
        }
        let event = AuditEvent::new(now, AuditAction::PeerRotated, AuditOutcome::Success)
            .on("exchange_peer", instance.as_str(), None)
            .detail(format!("sequence={sequence} message_id={}", message.message_id.hyphenated()));
        self.replace_pin(&directory, &rows, &instance, now, &event).await?;
        Ok(InboundOutcome::Accepted)
    }
}
