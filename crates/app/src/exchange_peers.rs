//! The instance in the transnational exchange (docs/transnational.md): its own identity (key
//! pairs made on first use, the secrets stored wrapped under the keyring), the directory entry it
//! hands to peers, and the peers it pins after confirming their signing key out of band, revokes
//! keys of, and takes rotations from. Every pin is counter-signed with the instance's signing key
//! and checked whole each time the directory is loaded. Authorisation: [`Permission::ManagePeers`]
//! (crates/domain/src/access.rs), or the operator at the console; every change audited.

use crate::admin::Acting;
use crate::{App, AppError, AppResult};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::message::{Message, MessageId};
use haven_domain::{ParseError, Permission};
use haven_exchange::{
    Directory, DirectoryEntry, DirectoryError, EncryptionKeyPair, FieldError, InstanceId, KeyId, KeyStatus,
    LocalIdentity, PeerRole, PinnedPeer, PublishedKey, SignedEntry, SigningKeyPair, spoken_fingerprint,
};
use haven_storage::{ExchangeIdentityRow, ExchangeKeyRow, ExchangePeerRow};
use time::OffsetDateTime;

/// What the instance is in the exchange, given the first time its identity is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentitySetup {
    /// `LV`, `EE`, `EU`, or a country code with a suffix (`LV-TEST`).
    pub instance_id: String,
    /// `national_focal_point` or `eu_hub`.
    pub role: String,
    /// The https URL peers deliver messages to.
    pub endpoint: String,
}

/// The instance's identity as shown to its operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceIdentity {
    pub instance_id: String,
    pub role: String,
    pub endpoint: String,
    pub sequence: i64,
    /// The signing key in use: the key id a peer's operator confirms out of band.
    pub signing_key_id: String,
    /// The same, grouped for reading aloud ([`spoken_fingerprint`]).
    pub signing_key_spoken: String,
    pub encryption_key_ids: Vec<String>,
    pub created_at: i64,
    /// Whether this call made it.
    pub created: bool,
}

/// The entry to hand to peers, with what their operators confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnDirectoryEntry {
    /// The signed entry (`SignedEntry::to_json`), as a peer's `haven peer add` reads it.
    pub json: String,
    pub identity: InstanceIdentity,
}

/// One key of a pinned peer, local revocations applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerKey {
    pub key_id: String,
    pub valid_from: i64,
    pub valid_until: Option<i64>,
    pub revoked_at: Option<i64>,
    /// `valid`, `not_yet_valid`, `expired` or `revoked`, now.
    pub status: &'static str,
}

/// A pinned peer as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub instance_id: String,
    pub role: String,
    pub endpoint: String,
    /// The sequence of its pinned entry.
    pub sequence: u64,
    pub signing_keys: Vec<PeerKey>,
    pub encryption_keys: Vec<PeerKey>,
    pub pinned_at: i64,
    pub pinned_by: Option<String>,
    pub updated_at: i64,
}

const SIGNING: &str = "signing";
const ENCRYPTION: &str = "encryption";

fn role_code(role: PeerRole) -> &'static str {
    match role {
        PeerRole::NationalFocalPoint => "national_focal_point",
        PeerRole::EuHub => "eu_hub",
    }
}

fn parse_role(text: &str) -> AppResult<PeerRole> {
    match text.trim() {
        "national_focal_point" => Ok(PeerRole::NationalFocalPoint),
        "eu_hub" => Ok(PeerRole::EuHub),
        _ => Err(AppError::said("role", "must be national_focal_point or eu_hub", MessageId::ExchangePeerRole)),
    }
}

fn at(seconds: i64) -> AppResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(seconds).map_err(|e| AppError::Internal(Box::new(e)))
}

fn seconds(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

fn field_error(e: FieldError) -> AppError {
    not_carried(&e.field, &e.problem)
}

/// A value the exchange's format refuses, naming its field: the format's own words in English
/// (the API, the logs), a sentence of the translations on pages.
pub(crate) fn not_carried(field: &str, problem: &str) -> AppError {
    AppError::said(field, problem, MessageId::ExchangeValueNotCarried)
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// A directory refusal as a client error naming the field at fault; a stored pin that does not
/// verify is not the client's (internal).
fn directory_error(e: DirectoryError) -> AppError {
    let message = e.to_string();
    match e {
        DirectoryError::Malformed(f) => field_error(f),
        DirectoryError::FingerprintMismatch { .. } => {
            AppError::said("signing_key_id", &message, MessageId::ExchangeKeyIdMismatch)
        }
        DirectoryError::SignerNotInEntry { .. }
        | DirectoryError::SignerNotValid { .. }
        | DirectoryError::RotationNotSignedByCurrentKey { .. } => {
            AppError::said("signed_by", &message, MessageId::ExchangeEntryNotSignedByValidKey)
        }
        DirectoryError::BadSignature { .. } => {
            AppError::said("signature", &message, MessageId::ExchangeSignatureDoesNotVerify)
        }
        DirectoryError::AlreadyPinned { instance_id } => {
            let said = Message::new(MessageId::ExchangePeerPinnedAlready).with("instance", instance_id);
            AppError::conflict(message, said)
        }
        DirectoryError::UnknownPeer { .. } => AppError::said("instance_id", &message, MessageId::ExchangePeerNotPinned),
        DirectoryError::StaleEntry { .. } => {
            AppError::said("entry.sequence", &message, MessageId::ExchangeEntryNotLater)
        }
        DirectoryError::RevocationLifted { .. } => {
            AppError::said("entry.revoked_at", &message, MessageId::ExchangeRevocationLifted)
        }
        DirectoryError::RoleChanged { .. } => AppError::said("entry.role", &message, MessageId::ExchangeRoleChanged),
        DirectoryError::UnknownKey { .. } => AppError::said("key_id", &message, MessageId::ExchangeNoSuchKey),
        other @ (DirectoryError::OperatorMismatch { .. } | DirectoryError::BadCountersignature { .. }) => {
            internal(other)
        }
    }
}

fn status_code(status: KeyStatus) -> &'static str {
    match status {
        KeyStatus::Valid => "valid",
        KeyStatus::NotYetValid { .. } => "not_yet_valid",
        KeyStatus::Expired { .. } => "expired",
        KeyStatus::Revoked { .. } => "revoked",
    }
}

fn peer_key(key: &PublishedKey, now: OffsetDateTime) -> PeerKey {
    PeerKey {
        key_id: key.key_id.as_str().to_owned(),
        valid_from: seconds(key.valid_from),
        valid_until: key.valid_until.map(seconds),
        revoked_at: key.revoked_at.map(seconds),
        status: status_code(key.status_at(now)),
    }
}

fn peer_view(pinned: &PinnedPeer, row: &ExchangePeerRow, now: OffsetDateTime) -> Peer {
    let entry = pinned.entry();
    Peer {
        instance_id: entry.instance_id.as_str().to_owned(),
        role: role_code(entry.role).to_owned(),
        endpoint: entry.endpoint.clone(),
        sequence: entry.sequence,
        signing_keys: pinned.signing_keys().iter().map(|k| peer_key(k, now)).collect(),
        encryption_keys: pinned.encryption_keys().iter().map(|k| peer_key(k, now)).collect(),
        pinned_at: row.pinned_at,
        pinned_by: row.pinned_by.clone(),
        updated_at: row.updated_at,
    }
}

/// The stored form of a pin.
fn peer_row(pinned: &PinnedPeer, pinned_at: i64, pinned_by: Option<String>, now: i64) -> AppResult<ExchangePeerRow> {
    Ok(ExchangePeerRow {
        instance_id: pinned.entry().instance_id.as_str().to_owned(),
        role: role_code(pinned.entry().role).to_owned(),
        record: String::from_utf8(pinned.to_json()).map_err(internal)?,
        revocations: serde_json::to_string(pinned.local_revocations()).map_err(internal)?,
        pinned_at,
        pinned_by,
        updated_at: now,
    })
}

fn published(row: &ExchangeKeyRow) -> AppResult<PublishedKey> {
    let public_key: [u8; 32] = row
        .public_key
        .as_slice()
        .try_into()
        .map_err(|_| AppError::Internal("stored public key is not 32 bytes".into()))?;
    Ok(PublishedKey {
        key_id: KeyId::of_public_key(&public_key),
        public_key,
        valid_from: at(row.valid_from)?,
        valid_until: row.valid_until.map(at).transpose()?,
        revoked_at: row.revoked_at.map(at).transpose()?,
    })
}

/// The instance's identity with its secret keys unwrapped.
pub(crate) struct Loaded {
    pub(crate) row: ExchangeIdentityRow,
    pub(crate) local: LocalIdentity,
    /// The key that counter-signs the pinned directory: the newest signing key valid now (after a
    /// rotation of this instance's own keys, the new one, while the old one still signs messages).
    pub(crate) directory_key: SigningKeyPair,
    pub(crate) entry: DirectoryEntry,
}

impl App {
    pub(crate) async fn gate_peers(&self, acting: Acting<'_>) -> AppResult<()> {
        match acting {
            Acting::Operator => Ok(()),
            Acting::User(p) => self.require(p, Permission::ManagePeers).await,
        }
    }

    pub(crate) fn peers_event(&self, acting: Acting<'_>, action: AuditAction) -> AuditEvent {
        match acting {
            Acting::Operator => AuditEvent::new(self.now(), action, AuditOutcome::Success).detail("operator console"),
            Acting::User(p) => self.event(p, action),
        }
    }

    pub(crate) fn acting_user(acting: Acting<'_>) -> Option<String> {
        match acting {
            Acting::Operator => None,
            Acting::User(p) => Some(p.user.id.clone()),
        }
    }

    /// The instance's identity, made on first use from `setup` (key pairs generated, their
    /// secrets wrapped under the keyring, all stored in one audited transaction). Once made, a
    /// `setup` that says otherwise is refused naming the field; without an identity, `setup` is
    /// required.
    pub async fn instance_identity(
        &self,
        acting: Acting<'_>,
        setup: Option<&IdentitySetup>,
    ) -> AppResult<InstanceIdentity> {
        self.gate_peers(acting).await?;
        if let Some(loaded) = self.load_identity().await? {
            if let Some(setup) = setup {
                check_same(&loaded.row, setup)?;
            }
            return Ok(identity_view(&loaded, false));
        }
        let setup = setup.ok_or_else(|| {
            AppError::said(
                "instance_id",
                "this instance has no exchange identity yet: give its instance id, role and endpoint",
                MessageId::ExchangeNoIdentityGiveOne,
            )
        })?;
        let instance = InstanceId::parse("instance_id", setup.instance_id.trim()).map_err(field_error)?;
        let role = parse_role(&setup.role)?;
        let endpoint = setup.endpoint.trim().to_owned();
        let now = self.now();
        let valid_from = at(now)?;
        let signing = SigningKeyPair::generate();
        let encryption = EncryptionKeyPair::generate();
        // The entry is signed once here so that a bad endpoint is refused before anything is stored.
        let entry = DirectoryEntry {
            instance_id: instance.clone(),
            role,
            endpoint: endpoint.clone(),
            sequence: 1,
            issued_at: valid_from,
            signing_keys: vec![PublishedKey::new(signing.public_key(), valid_from)],
            encryption_keys: vec![PublishedKey::new(encryption.public_key(), valid_from)],
        };
        SignedEntry::sign(&entry, &signing).map_err(|e| match e.field.as_str() {
            "entry.endpoint" => not_carried("endpoint", &e.problem),
            _ => field_error(e),
        })?;
        let keyring = self.keys.current();
        let row = ExchangeIdentityRow {
            instance_id: instance.as_str().to_owned(),
            role: role_code(role).to_owned(),
            endpoint,
            sequence: 1,
            created_by: Self::acting_user(acting),
            created_at: now,
        };
        let key_row = |key_id: &KeyId, kind: &str, public_key: [u8; 32], wrapped: Vec<u8>| ExchangeKeyRow {
            instance_id: row.instance_id.clone(),
            key_id: key_id.as_str().to_owned(),
            kind: kind.to_owned(),
            public_key: public_key.to_vec(),
            wrapped_secret: wrapped,
            valid_from: now,
            valid_until: None,
            created_at: now,
            revoked_at: None,
            revoked_reason: None,
        };
        let keys = [
            key_row(signing.key_id(), SIGNING, signing.public_key(), signing.wrap(&keyring, &instance)),
            key_row(encryption.key_id(), ENCRYPTION, encryption.public_key(), encryption.wrap(&keyring, &instance)),
        ];
        let event = self
            .peers_event(acting, AuditAction::ExchangeIdentityCreated)
            .on("exchange_identity", instance.as_str(), None)
            .detail(format!("signing_key_id={}", signing.key_id()));
        let made = self.store.create_exchange_identity(&row, &keys, &event).await?;
        let loaded = self
            .load_identity()
            .await?
            .ok_or_else(|| AppError::Internal("the exchange identity just made is not stored".into()))?;
        if !made {
            // Another process made it first: that one stands, and must agree with the setup.
            check_same(&loaded.row, setup)?;
        }
        Ok(identity_view(&loaded, made))
    }

    /// The signed directory entry to hand to peers (the identity must exist).
    pub async fn own_directory_entry(&self, acting: Acting<'_>) -> AppResult<OwnDirectoryEntry> {
        self.gate_peers(acting).await?;
        let loaded = self.require_identity().await?;
        let signed = SignedEntry::sign(&loaded.entry, &loaded.local.signing).map_err(field_error)?;
        let json = String::from_utf8(signed.to_json()).map_err(internal)?;
        Ok(OwnDirectoryEntry { json, identity: identity_view(&loaded, false) })
    }

    /// Pins a peer from its signed entry, once its operator has confirmed out of band that its
    /// signing key is `signing_key_id`: an entry signed by another key is refused naming
    /// `signing_key_id`. Audited.
    pub async fn add_peer(&self, acting: Acting<'_>, signed_entry: &[u8], signing_key_id: &str) -> AppResult<Peer> {
        self.gate_peers(acting).await?;
        let expected = KeyId::parse("signing_key_id", signing_key_id.trim()).map_err(field_error)?;
        let signed = SignedEntry::parse(signed_entry).map_err(field_error)?;
        let loaded = self.require_identity().await?;
        if signed.entry().instance_id == loaded.local.instance_id {
            return Err(AppError::said(
                "entry.instance_id",
                "is this instance itself, not a peer",
                MessageId::ExchangePeerIsThisInstance,
            ));
        }
        let (mut directory, _) = self.load_directory(&loaded).await?;
        let now = self.now();
        let instance = signed.entry().instance_id.clone();
        directory.pin(signed, &expected, &loaded.directory_key, at(now)?).map_err(directory_error)?;
        let pinned = directory.peer(&instance).ok_or_else(|| AppError::Internal("the pin was not kept".into()))?;
        let row = peer_row(pinned, now, Self::acting_user(acting), now)?;
        let event = self
            .peers_event(acting, AuditAction::PeerPinned)
            .on("exchange_peer", instance.as_str(), None)
            .detail(format!("signing_key_id={expected} sequence={}", pinned.entry().sequence));
        self.store.pin_exchange_peer(&row, &event).await.map_err(|e| match e {
            haven_storage::StorageError::Conflict(_) => AppError::conflict(
                format!("{instance} is pinned already; a new entry is a rotation"),
                Message::new(MessageId::ExchangePeerPinnedAlready).with("instance", instance),
            ),
            other => other.into(),
        })?;
        Ok(peer_view(pinned, &row, at(now)?))
    }

    /// The pinned peers, by instance id, their keys as they count now.
    pub async fn peers(&self, acting: Acting<'_>) -> AppResult<Vec<Peer>> {
        self.gate_peers(acting).await?;
        let Some(loaded) = self.load_identity().await? else {
            return Ok(Vec::new());
        };
        let (directory, rows) = self.load_directory(&loaded).await?;
        let now = at(self.now())?;
        rows.iter()
            .map(|row| {
                let instance = InstanceId::parse("instance_id", &row.instance_id).map_err(field_error)?;
                let pinned = directory
                    .peer(&instance)
                    .ok_or_else(|| AppError::Internal("a stored pin is missing from the directory".into()))?;
                Ok(peer_view(pinned, row, now))
            })
            .collect()
    }

    /// Revokes one key (signing or encryption) of a pinned peer, from now on. Audited.
    pub async fn revoke_peer_key(&self, acting: Acting<'_>, instance_id: &str, key_id: &str) -> AppResult<Peer> {
        self.gate_peers(acting).await?;
        let instance = InstanceId::parse("instance_id", instance_id.trim()).map_err(field_error)?;
        let key = KeyId::parse("key_id", key_id.trim()).map_err(field_error)?;
        let loaded = self.require_identity().await?;
        let (mut directory, rows) = self.load_directory(&loaded).await?;
        let now = self.now();
        directory.revoke(&instance, &key, at(now)?, &loaded.directory_key, at(now)?).map_err(directory_error)?;
        let event = self
            .peers_event(acting, AuditAction::PeerKeyRevoked)
            .on("exchange_peer", instance.as_str(), None)
            .detail(format!("key_id={key}"));
        self.replace_pin(&directory, &rows, &instance, now, &event).await
    }

    /// Applies a pinned peer's newer entry (a key rotation), signed by one of its signing keys
    /// valid now. Audited.
    pub async fn apply_peer_rotation(&self, acting: Acting<'_>, signed_entry: &[u8]) -> AppResult<Peer> {
        self.gate_peers(acting).await?;
        let signed = SignedEntry::parse(signed_entry).map_err(field_error)?;
        let instance = signed.entry().instance_id.clone();
        let sequence = signed.entry().sequence;
        let loaded = self.require_identity().await?;
        let (mut directory, rows) = self.load_directory(&loaded).await?;
        let now = self.now();
        directory.apply_rotation(signed, &loaded.directory_key, at(now)?).map_err(directory_error)?;
        let event = self
            .peers_event(acting, AuditAction::PeerRotated)
            .on("exchange_peer", instance.as_str(), None)
            .detail(format!("sequence={sequence}"));
        self.replace_pin(&directory, &rows, &instance, now, &event).await
    }

    pub(crate) async fn replace_pin(
        &self,
        directory: &Directory,
        rows: &[ExchangePeerRow],
        instance: &InstanceId,
        now: i64,
        event: &AuditEvent,
    ) -> AppResult<Peer> {
        let previous = rows
            .iter()
            .find(|r| r.instance_id == instance.as_str())
            .ok_or_else(|| AppError::said("instance_id", "is not pinned", MessageId::ExchangePeerNotPinned))?;
        let pinned = directory.peer(instance).ok_or_else(|| AppError::Internal("the pin was not kept".into()))?;
        let row = peer_row(pinned, previous.pinned_at, previous.pinned_by.clone(), now)?;
        self.store.replace_exchange_peer(&row, &previous.record, event).await?;
        Ok(peer_view(pinned, &row, at(now)?))
    }

    pub(crate) async fn require_identity(&self) -> AppResult<Loaded> {
        self.load_identity().await?.ok_or_else(|| {
            AppError::said(
                "instance_id",
                "this instance has no exchange identity yet: make it first (haven peer self)",
                MessageId::ExchangeNoIdentity,
            )
        })
    }

    pub(crate) async fn load_identity(&self) -> AppResult<Option<Loaded>> {
        let Some(row) = self.store.exchange_identity().await? else {
            return Ok(None);
        };
        let instance = InstanceId::parse("instance_id", &row.instance_id).map_err(field_error)?;
        let keys = self.store.exchange_keys().await?;
        let keyring = self.keys.current();
        let now = at(self.now())?;
        let mut signing_keys = Vec::new();
        let mut encryption_keys = Vec::new();
        // The signing keys valid now, the one whose validity ends first first.
        let mut valid_signing: Vec<(i64, i64, SigningKeyPair)> = Vec::new();
        let mut encryption = Vec::new();
        for key in &keys {
            let public = published(key)?;
            let key_id = KeyId::parse("key_id", &key.key_id).map_err(field_error)?;
            if key.kind == SIGNING {
                let pair =
                    SigningKeyPair::unwrap(&keyring, &instance, &key_id, &key.wrapped_secret).map_err(internal)?;
                if public.status_at(now) == KeyStatus::Valid {
                    valid_signing.push((key.valid_until.unwrap_or(i64::MAX), key.valid_from, pair));
                }
                signing_keys.push(public);
            } else {
                let pair =
                    EncryptionKeyPair::unwrap(&keyring, &instance, &key_id, &key.wrapped_secret).map_err(internal)?;
                if public.status_at(now) == KeyStatus::Valid {
                    encryption.push(pair);
                }
                encryption_keys.push(public);
            }
        }
        valid_signing.sort_by(|a, b| (a.0, a.1, a.2.key_id().as_str()).cmp(&(b.0, b.1, b.2.key_id().as_str())));
        // The key whose validity ends first signs (during the overlap of a rotation of its own
        // keys, the old one its peers pinned; once it has expired, the new one); the newest one
        // counter-signs the pinned directory (from the rotation on, the new one).
        let directory_key = match valid_signing.len() {
            0 => return Err(AppError::Internal("no signing key of this instance is valid now".into())),
            1 => None,
            _ => valid_signing.pop().map(|(_, _, pair)| pair),
        };
        let signing = valid_signing
            .into_iter()
            .next()
            .map(|(_, _, pair)| pair)
            .ok_or_else(|| AppError::Internal("no signing key of this instance is valid now".into()))?;
        let directory_key = match directory_key {
            Some(key) => key,
            // one signing key valid now: it signs and counter-signs (unwrapped once more)
            None => SigningKeyPair::unwrap(&keyring, &instance, signing.key_id(), &signing_wrapped(&keys, &signing)?)
                .map_err(internal)?,
        };
        let entry = DirectoryEntry {
            instance_id: instance.clone(),
            role: parse_role(&row.role)?,
            endpoint: row.endpoint.clone(),
            sequence: u64::try_from(row.sequence).map_err(internal)?,
            // issued when made, or at the last rotation or revocation of its keys
            issued_at: at(keys
                .iter()
                .map(|k| k.created_at.max(k.revoked_at.unwrap_or(i64::MIN)))
                .fold(row.created_at, i64::max))?,
            signing_keys,
            encryption_keys,
        };
        Ok(Some(Loaded {
            row,
            local: LocalIdentity { instance_id: instance, signing, encryption },
            directory_key,
            entry,
        }))
    }

    /// The directory from the stored pins, every counter-signature and entry signature checked.
    pub(crate) async fn load_directory(&self, loaded: &Loaded) -> AppResult<(Directory, Vec<ExchangePeerRow>)> {
        let rows = self.store.exchange_peers().await?;
        let directory = Directory::load(loaded.directory_key.public_key(), rows.iter().map(|r| r.record.as_bytes()))
            .map_err(internal)?;
        Ok((directory, rows))
    }
}

/// The wrapped secret of the signing key `pair` among the stored keys.
fn signing_wrapped(keys: &[ExchangeKeyRow], pair: &SigningKeyPair) -> AppResult<Vec<u8>> {
    keys.iter()
        .find(|k| k.kind == SIGNING && k.key_id == pair.key_id().as_str())
        .map(|k| k.wrapped_secret.clone())
        .ok_or_else(|| AppError::Internal("the signing key in use is not stored".into()))
}

fn check_same(row: &ExchangeIdentityRow, setup: &IdentitySetup) -> AppResult<()> {
    let fixed = |field: &str, was: &str| {
        AppError::Invalid(ParseError::said(
            field,
            format!("this instance's exchange identity is made already, with {field} {was}"),
            Message::new(MessageId::ExchangeIdentityFixed).with("value", format!("{field} {was}")),
        ))
    };
    if setup.instance_id.trim() != row.instance_id {
        return Err(fixed("instance_id", &row.instance_id));
    }
    if setup.role.trim() != row.role {
        return Err(fixed("role", &row.role));
    }
    if setup.endpoint.trim() != row.endpoint {
        return Err(fixed("endpoint", &row.endpoint));
    }
    Ok(())
}

fn identity_view(loaded: &Loaded, created: bool) -> InstanceIdentity {
    let signing = loaded.local.signing.key_id();
    InstanceIdentity {
        instance_id: loaded.row.instance_id.clone(),
        role: loaded.row.role.clone(),
        endpoint: loaded.row.endpoint.clone(),
        sequence: loaded.row.sequence,
        signing_key_id: signing.as_str().to_owned(),
        signing_key_spoken: spoken_fingerprint(signing),
        encryption_key_ids: loaded.entry.encryption_keys.iter().map(|k| k.key_id.as_str().to_owned()).collect(),
        created_at: loaded.row.created_at,
        created,
    }
}
