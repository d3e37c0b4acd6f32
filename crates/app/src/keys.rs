//! Data keys: created on a new database, unwrapped at start, rewrapped on rotation, and
//! reloaded by a running server when a rotation or a retirement changed them.

use crate::{App, AppError, AppResult};
use haven_crypto::{
    AuditKey, CryptoError, FieldContext, KeyPurpose, Keyring, MasterKey, WrappedKey, audit_head_mac, audit_mac,
};
use haven_storage::{AuditSigner, DataKeyRow, Store};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

/// How often a running server asks the database whether its data keys changed (one small read
/// of `data_keys`; nothing is done per request). A read that meets an unknown key id asks at
/// once.
pub const KEY_CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// How long a new field key is stored before it counts as in force: by then every running server
/// that follows its key file has loaded it and writes under it. `haven keys rotate` waits this
/// long before re-encrypting, and an older field key is not retired before.
pub const KEY_SETTLE_SECONDS: i64 = 5;

/// The least time between two checks, however many unknown key ids the reads meet.
const MIN_CHECK_GAP: Duration = Duration::from_millis(200);

pub(crate) struct Signer(pub AuditKey);

impl AuditSigner for Signer {
    fn entry_mac(&self, seq: i64, prev_mac: &[u8; 32], entry: &[u8]) -> [u8; 32] {
        audit_mac(&self.0, seq, prev_mac, entry)
    }
    fn head_mac(&self, seq: i64, mac: &[u8; 32]) -> [u8; 32] {
        audit_head_mac(&self.0, seq, mac)
    }
}

fn to_rows(wrapped: &[WrappedKey], now: i64) -> Vec<DataKeyRow> {
    wrapped
        .iter()
        .map(|w| DataKeyRow {
            id: i64::from(w.id),
            purpose: w.purpose.as_str().to_owned(),
            wrapped: w.wrapped.clone(),
            created_at: now,
        })
        .collect()
}

fn from_rows(rows: &[DataKeyRow]) -> AppResult<Vec<WrappedKey>> {
    rows.iter()
        .map(|r| {
            Ok(WrappedKey {
                id: u32::try_from(r.id).map_err(|_| AppError::Internal("data key id out of range".into()))?,
                purpose: KeyPurpose::parse(&r.purpose)?,
                wrapped: r.wrapped.clone(),
            })
        })
        .collect()
}

/// The keyring and the stored rows it was unwrapped from.
pub(crate) async fn load_or_create(store: &Store, master: &MasterKey, now: i64) -> AppResult<LiveKeyring> {
    let rows = store.data_keys().await?;
    let (mut keyring, mut rows) = if rows.is_empty() {
        let (keyring, wrapped) = Keyring::generate(master);
        let rows = to_rows(&wrapped, now);
        store.put_data_keys(&rows, false).await?;
        (keyring, rows)
    } else {
        (Keyring::unwrap(master, &from_rows(&rows)?)?, rows)
    };
    if !keyring.has_key(KeyPurpose::SubjectWrapping) {
        // A database from before crypto-shredding (or a new one): the key that wraps the
        // subject keys is added once, beside the others, and re-wrapped with them on rotation.
        let wrapped = keyring.add_key(KeyPurpose::SubjectWrapping, master);
        let added = to_rows(std::slice::from_ref(&wrapped), now);
        if store.put_data_keys(&added, false).await.is_err() {
            // Another server starting at the same time added it first: take the stored keys.
            rows = store.data_keys().await?;
            keyring = Keyring::unwrap(master, &from_rows(&rows)?)?;
        } else {
            rows.extend(added);
        }
    }
    let live = LiveKeyring::new(keyring, rows);
    live.subjects.load(store, &live.current()).await?;
    Ok(live)
}

/// The keyring the use cases encrypt, decrypt and index with, under the same method names as
/// [`Keyring`]. A running server replaces it whole when the stored data keys change (a rotation
/// added a field key, a retirement destroyed one); each call uses the keyring in force when it
/// starts. Reading it costs a read lock and a reference count, nothing more.
pub struct LiveKeyring {
    ring: RwLock<Arc<Keyring>>,
    /// The stored rows `ring` was unwrapped from, to tell whether they changed.
    rows: Mutex<Vec<DataKeyRow>>,
    /// Woken by a read that meets a key id the keyring lacks.
    wake: tokio::sync::Notify,
    /// The subject keys (crypto-shredding): fields of a case whose key is held are written
    /// under it, and version-2 fields read with it.
    pub(crate) subjects: crate::subject_keys::SubjectRing,
}

impl std::fmt::Debug for LiveKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LiveKeyring").field(&*self.current()).finish()
    }
}

impl LiveKeyring {
    pub(crate) fn new(ring: Keyring, rows: Vec<DataKeyRow>) -> LiveKeyring {
        LiveKeyring {
            ring: RwLock::new(Arc::new(ring)),
            rows: Mutex::new(rows),
            wake: tokio::sync::Notify::new(),
            subjects: crate::subject_keys::SubjectRing::default(),
        }
    }

    /// The keyring in force now (it stays whole while held, whatever replaces it meanwhile).
    pub fn current(&self) -> Arc<Keyring> {
        Arc::clone(&self.ring.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn replace(&self, ring: Keyring, rows: Vec<DataKeyRow>) {
        *self.ring.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(ring);
        *self.rows.lock().unwrap_or_else(PoisonError::into_inner) = rows;
    }

    fn rows_unchanged(&self, rows: &[DataKeyRow]) -> bool {
        self.rows.lock().unwrap_or_else(PoisonError::into_inner).as_slice() == rows
    }

    /// A ciphertext under a key this keyring lacks: perhaps a rotation this server has not
    /// loaded yet, so the key follower (if running) checks now rather than at its next tick.
    fn note<T>(&self, result: Result<T, CryptoError>) -> Result<T, CryptoError> {
        if let Err(CryptoError::UnknownKey(_) | CryptoError::UnknownSubjectKey(_)) = &result {
            self.wake.notify_one();
        }
        result
    }

    /// See [`Keyring::encrypt_field`]: under the case's subject key when the context names a
    /// case whose key is held (the person row, the registration, its decisions and assessments),
    /// otherwise under the active field key.
    pub fn encrypt_field(&self, ctx: &FieldContext<'_>, plaintext: &[u8]) -> Vec<u8> {
        match self.subjects.encrypt_for_context(ctx, plaintext) {
            Some(ct) => ct,
            None => self.current().encrypt_field(ctx, plaintext),
        }
    }

    /// See [`Keyring::decrypt_field`]; a field under a subject key (format version 2) opens
    /// with that key while it exists.
    pub fn decrypt_field(&self, ctx: &FieldContext<'_>, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        match haven_crypto::subject_key_id(ciphertext) {
            Some(id) => self.note(self.subjects.decrypt(id, ctx, ciphertext)),
            None => self.note(self.current().decrypt_field(ctx, ciphertext)),
        }
    }

    /// See [`Keyring::encrypt_str`] and [`LiveKeyring::encrypt_field`].
    pub fn encrypt_str(&self, ctx: &FieldContext<'_>, s: &str) -> Vec<u8> {
        self.encrypt_field(ctx, s.as_bytes())
    }

    /// Encrypts under `case_id`'s subject key when it is held, otherwise under the active field
    /// key (a conversion pass moves it later).
    pub fn encrypt_case_str(&self, case_id: &str, ctx: &FieldContext<'_>, s: &str) -> Vec<u8> {
        match self.subjects.encrypt_for_case(case_id, ctx, s.as_bytes()) {
            Some(ct) => ct,
            None => self.current().encrypt_str(ctx, s),
        }
    }

    /// See [`Keyring::decrypt_str`] and [`LiveKeyring::decrypt_field`].
    pub fn decrypt_str(&self, ctx: &FieldContext<'_>, ct: &[u8]) -> Result<String, CryptoError> {
        let bytes = self.decrypt_field(ctx, ct)?;
        String::from_utf8(bytes)
            .map_err(|_| CryptoError::MalformedCiphertext("decrypted field is not valid UTF-8".into()))
    }

    /// See [`Keyring::blind_index`] (the blind-index key is never rotated).
    pub fn blind_index(&self, purpose: &str, value: &str) -> [u8; 32] {
        self.current().blind_index(purpose, value)
    }

    /// See [`Keyring::audit_key`].
    pub fn audit_key(&self) -> AuditKey {
        self.current().audit_key()
    }

    /// See [`Keyring::session_mac`].
    pub fn session_mac(&self, data: &[u8]) -> [u8; 32] {
        self.current().session_mac(data)
    }

    /// See [`Keyring::active_field_key_id`].
    pub fn active_field_key_id(&self) -> u32 {
        self.current().active_field_key_id()
    }

    /// See [`Keyring::key_ids`].
    pub fn key_ids(&self) -> Vec<(u32, KeyPurpose)> {
        self.current().key_ids()
    }
}

/// Where a running server finds its master key again when the stored data keys change.
#[derive(Clone)]
pub enum MasterKeySource {
    /// The key file, read again on each change: a rotation replaces it with the new key.
    File(PathBuf),
    /// A key given at start (`HAVEN_MASTER_KEY`): it opens the keys after a retirement, but not
    /// after a rotation, which wraps them under a new master key (restart with the new one).
    Given(MasterKey),
}

impl std::fmt::Debug for MasterKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MasterKeySource::File(path) => f.debug_tuple("File").field(path).finish(),
            MasterKeySource::Given(key) => f.debug_tuple("Given").field(key).finish(),
        }
    }
}

impl MasterKeySource {
    fn read(&self) -> Result<MasterKey, KeyReloadError> {
        match self {
            MasterKeySource::File(path) => MasterKey::read_file(path).map_err(KeyReloadError::KeyFile),
            MasterKeySource::Given(key) => Ok(key.clone()),
        }
    }
}

/// What a check of the stored data keys found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCheck {
    /// The stored keys are the ones in use.
    Unchanged,
    /// They changed, and the server now uses them.
    Reloaded { active_field_key: u32 },
}

/// Why a running server could not take up changed data keys; it goes on with the keys it has.
#[derive(Debug, thiserror::Error)]
pub enum KeyReloadError {
    #[error(
        "the stored data keys changed and the key file does not open them (yet): a rotation wraps them under \
         the new key it writes there"
    )]
    KeyFileBehind,
    #[error(
        "the stored data keys were re-wrapped under a master key this server was not given: restart it with \
         the new HAVEN_MASTER_KEY; until then it cannot read fields re-encrypted under the new field key"
    )]
    NotGiven,
    #[error("reading the master key file")]
    KeyFile(#[source] CryptoError),
    #[error("the stored blind-index, audit or session key changed: restart the server")]
    LastingKeysChanged,
    #[error("the stored data keys")]
    Crypto(#[source] CryptoError),
    #[error("reading the stored data keys")]
    Storage(#[from] haven_storage::StorageError),
    #[error("the stored data keys")]
    App(#[from] AppError),
}

/// Whether two keyrings have the same blind-index, audit and session keys (a rotation keeps
/// them; the store's audit signer and every blind index depend on them).
fn same_lasting_keys(a: &Keyring, b: &Keyring) -> bool {
    const PROBE: &[u8] = b"haven-key-reload-probe";
    a.blind_index("key-reload-probe", "") == b.blind_index("key-reload-probe", "")
        && a.session_mac(PROBE) == b.session_mac(PROBE)
        && audit_mac(&a.audit_key(), 0, &[0; 32], PROBE) == audit_mac(&b.audit_key(), 0, &[0; 32], PROBE)
}

/// The error and its causes on one line (for the log: key ids and paths, never key material).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

impl App {
    /// The id of the field key new writes use.
    pub fn active_field_key_id(&self) -> u32 {
        self.keys.active_field_key_id()
    }

    /// The ids and purposes of the data keys this server holds now.
    pub fn data_key_ids(&self) -> Vec<(u32, KeyPurpose)> {
        self.keys.key_ids()
    }

    /// Compares the stored data keys with the ones in use and, when they changed (a rotation or
    /// a retirement by `haven keys` on the same database), unwraps them with the master key from
    /// `source` and puts them in force: new writes use the new field key, fields re-encrypted
    /// under it read, a retired key is gone. One small read when nothing changed. On an error
    /// the keys in use stay.
    pub async fn reload_keys_if_changed(&self, source: &MasterKeySource) -> Result<KeyCheck, KeyReloadError> {
        let rows = self.store.data_keys().await?;
        if self.keys.rows_unchanged(&rows) {
            // Subject keys another server created or destroyed (an erasure) since.
            self.keys.subjects.reload_if_changed(&self.store, &self.keys.current()).await?;
            return Ok(KeyCheck::Unchanged);
        }
        let wrapped = from_rows(&rows)?;
        let master = source.read()?;
        let ring = match Keyring::unwrap(&master, &wrapped) {
            Ok(ring) => ring,
            Err(CryptoError::WrongMasterKey) => {
                return Err(match source {
                    MasterKeySource::File(_) => KeyReloadError::KeyFileBehind,
                    MasterKeySource::Given(_) => KeyReloadError::NotGiven,
                });
            }
            Err(e) => return Err(KeyReloadError::Crypto(e)),
        };
        if !same_lasting_keys(&ring, &self.keys.current()) {
            return Err(KeyReloadError::LastingKeysChanged);
        }
        let active_field_key = ring.active_field_key_id();
        self.keys.replace(ring, rows);
        self.keys.subjects.reload_if_changed(&self.store, &self.keys.current()).await?;
        Ok(KeyCheck::Reloaded { active_field_key })
    }

    /// Follows `haven keys rotate` and `haven keys retire` while serving: checks the stored data
    /// keys every [`KEY_CHECK_INTERVAL`], and at once when a read meets an unknown key id, and
    /// takes up the changed keys ([`App::reload_keys_if_changed`]). An error that lasts past one
    /// check is logged (the keys in use stay). Runs until the task is aborted.
    pub fn follow_key_changes(&self, source: MasterKeySource) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut failures: u32 = 0;
            loop {
                tokio::select! {
                    () = tokio::time::sleep(KEY_CHECK_INTERVAL) => {}
                    () = app.keys.wake.notified() => {}
                }
                match app.reload_keys_if_changed(&source).await {
                    Ok(KeyCheck::Unchanged) => failures = 0,
                    Ok(KeyCheck::Reloaded { active_field_key }) => {
                        failures = 0;
                        tracing::info!(active_field_key, "loaded the changed data keys");
                    }
                    Err(e) => {
                        // The first failure may be a rotation between its commit and the
                        // renaming of its key file: say so only when it lasts.
                        failures = failures.saturating_add(1);
                        if failures == 2 || failures.is_multiple_of(300) {
                            tracing::error!(error = %chain(&e), "cannot take up the changed data keys");
                        }
                    }
                }
                tokio::time::sleep(MIN_CHECK_GAP).await;
            }
        })
    }
}

/// Rotates the master key and the field key in one transaction: a new field key becomes the
/// active one, and every data key (the old field keys too, until the rows that use them are
/// re-encrypted and the keys retired) is wrapped under `new_master` only. The blind-index, audit
/// and session keys are kept (re-wrapped), so indexes, the audit chain and sessions go on.
/// Returns the keyring (old and new keys) and the number of keys now stored.
pub async fn rotate_master_key(
    store: &Store,
    old: &MasterKey,
    new_master: &MasterKey,
    now: i64,
) -> AppResult<(Keyring, usize)> {
    let rows = store.data_keys().await?;
    let mut keyring = Keyring::unwrap(old, &from_rows(&rows)?)?;
    keyring.add_key(KeyPurpose::Field, new_master);
    let wrapped = keyring.rewrap(new_master);
    let mut new_rows = to_rows(&wrapped, now);
    for row in &mut new_rows {
        if let Some(old_row) = rows.iter().find(|o| o.id == row.id) {
            row.created_at = old_row.created_at;
        }
    }
    store.put_data_keys(&new_rows, true).await?;
    Ok((keyring, new_rows.len()))
}

/// A rotation done by [`rotate`].
pub struct Rotated {
    /// The old and new keys; the new field key is the active one.
    pub keyring: Keyring,
    /// How many data keys are stored (all wrapped under the new master key).
    pub stored: usize,
    /// The new master key: in the key file already, or to be given in `HAVEN_MASTER_KEY`.
    pub new_master: MasterKey,
}

/// Why a rotation failed, and in what state it left the keys.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("reading {path}")]
    ReadKeyFile { path: String, source: CryptoError },
    #[error("writing {path}")]
    WriteKeyFile { path: String, source: CryptoError },
    /// Nothing changed: the old master key still opens the database.
    #[error("re-wrapping the data keys")]
    Rewrap(#[source] AppError),
    #[error(
        "the data keys are now wrapped under the new key in {pending}, but it could not replace {path}: move it \
         there, then run `haven keys rotate --resume`"
    )]
    Rename { pending: String, path: String, source: std::io::Error },
}

/// `haven keys rotate` up to the re-encryption: a new master key, written first next to the key
/// file (`master.key.new`, with the old key in its history) so that one of the two files opens
/// the database whatever happens; then [`rotate_master_key`] (a new field key, every data key
/// wrapped under the new master key only); then the new file renamed into place, where running
/// servers read it ([`App::follow_key_changes`]). Without a key file (`HAVEN_MASTER_KEY`) the
/// new key is only returned.
pub async fn rotate(
    store: &Store,
    old: &MasterKey,
    key_file: Option<&std::path::Path>,
    now: i64,
) -> Result<Rotated, RotateError> {
    let new_master = MasterKey::generate();
    let pending = key_file.map(|p| p.with_extension("key.new"));
    if let (Some(p), Some(current)) = (&pending, key_file) {
        let mut history = vec![old.clone()];
        history.extend(
            old.read_history(current)
                .map_err(|source| RotateError::ReadKeyFile { path: current.display().to_string(), source })?,
        );
        new_master
            .write_with_history(p, &history)
            .map_err(|source| RotateError::WriteKeyFile { path: p.display().to_string(), source })?;
    }
    let (keyring, stored) = match rotate_master_key(store, old, &new_master, now).await {
        Ok(done) => done,
        Err(e) => {
            // Nothing was re-wrapped: the new key is of no use.
            if let Some(p) = &pending {
                let _ = std::fs::remove_file(p);
            }
            return Err(RotateError::Rewrap(e));
        }
    };
    if let (Some(pending), Some(path)) = (pending, key_file) {
        std::fs::rename(&pending, path).map_err(|source| RotateError::Rename {
            pending: pending.display().to_string(),
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(Rotated { keyring, stored, new_master })
}

/// Re-wraps every stored data key under `new_master`, changing no key (a database restored from
/// a backup made under an earlier master key is put under the current one).
pub async fn rewrap_data_keys(store: &Store, old: &MasterKey, new_master: &MasterKey) -> AppResult<usize> {
    let rows = store.data_keys().await?;
    let keyring = Keyring::unwrap(old, &from_rows(&rows)?)?;
    let mut new_rows = to_rows(&keyring.rewrap(new_master), 0);
    for row in &mut new_rows {
        if let Some(old_row) = rows.iter().find(|o| o.id == row.id) {
            row.created_at = old_row.created_at;
        }
    }
    store.put_data_keys(&new_rows, true).await?;
    Ok(new_rows.len())
}

/// Unwraps the stored data keys.
pub async fn load(store: &Store, master: &MasterKey) -> AppResult<Keyring> {
    Ok(Keyring::unwrap(master, &from_rows(&store.data_keys().await?)?)?)
}

/// Progress of a re-encryption pass over one encrypted column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnProgress {
    pub table: &'static str,
    pub column: &'static str,
    /// Rows re-encrypted under the active field key by this pass.
    pub reencrypted: u64,
    /// Rows that were under the active key already (done by an earlier, interrupted pass).
    pub already: u64,
    /// Rows a concurrent write changed during the pass (left for the next pass).
    pub skipped: u64,
}

/// Re-encrypts every encrypted field that is not under the active field key, column by column,
/// in batches of `batch` rows, each row its own short write (a running server keeps serving).
/// Progress lives in the rows themselves: each ciphertext names its key in its header, so a
/// pass that was killed resumes where it stopped (rows done already are only read). `progress`
/// is called after each column.
pub async fn reencrypt_fields(
    store: &Store,
    keyring: &Keyring,
    batch: i64,
    mut progress: impl FnMut(&ColumnProgress),
) -> AppResult<Vec<ColumnProgress>> {
    let mut out = Vec::new();
    for col in haven_storage::ENCRYPTED_COLUMNS {
        let mut p = ColumnProgress { table: col.table, column: col.column, ..ColumnProgress::default() };
        let mut after: Option<String> = None;
        loop {
            let rows = store.encrypted_batch(col, after.as_deref(), batch.max(1)).await?;
            let Some((last, _)) = rows.last() else { break };
            let last = last.clone();
            for (row, ct) in &rows {
                let ctx = haven_crypto::FieldContext { table: col.table, column: col.column, row };
                match keyring.reencrypt_field(&ctx, ct)? {
                    None => p.already += 1,
                    Some(new) => {
                        if store.replace_encrypted(col, row, ct, &new).await? {
                            p.reencrypted += 1;
                        } else {
                            p.skipped += 1;
                        }
                    }
                }
            }
            after = Some(last);
        }
        progress(&p);
        out.push(p);
    }
    Ok(out)
}

/// How many stored encrypted fields use each data key, by key id.
pub async fn field_key_use(store: &Store) -> AppResult<std::collections::BTreeMap<u32, u64>> {
    let mut uses = std::collections::BTreeMap::new();
    for col in haven_storage::ENCRYPTED_COLUMNS {
        let mut after: Option<String> = None;
        loop {
            let rows = store.encrypted_batch(col, after.as_deref(), 500).await?;
            let Some((last, _)) = rows.last() else { break };
            let last = last.clone();
            for (_, ct) in &rows {
                if let Some(id) = Keyring::field_key_id(ct) {
                    *uses.entry(id).or_insert(0) += 1;
                }
            }
            after = Some(last);
        }
    }
    Ok(uses)
}

/// Seconds until the active field key has been stored for [`KEY_SETTLE_SECONDS`] (0 once it
/// has): until then a running server may not have loaded it yet and may still write under the
/// field key before it.
pub async fn seconds_until_settled(store: &Store, now: i64) -> AppResult<i64> {
    let rows = store.data_keys().await?;
    let newest = rows.iter().filter(|r| r.purpose == KeyPurpose::Field.as_str()).max_by_key(|r| r.id);
    Ok(newest.map_or(0, |r| r.created_at.saturating_add(KEY_SETTLE_SECONDS).saturating_sub(now).max(0)))
}

/// Why a data key cannot be retired.
#[derive(Debug, thiserror::Error)]
pub enum RetireError {
    #[error("there is no data key {0}")]
    NoSuchKey(u32),
    #[error("data key {0} is the active key of its purpose: only an older key can be retired")]
    Active(u32),
    #[error(
        "the active field key is new: running servers may not all have loaded it and may still write under \
         data key {id}; try again in {seconds} s"
    )]
    TooSoon { id: u32, seconds: i64 },
    #[error("data key {0} wraps the subject keys: it is never retired")]
    WrapsSubjectKeys(u32),
    #[error("{rows} stored fields still use data key {id}: run `haven keys rotate --resume` first")]
    InUse { id: u32, rows: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

/// Destroys an old data key: refuses the active key of a purpose, an older field key while the
/// active one is younger than [`KEY_SETTLE_SECONDS`] (a running server may still write under the
/// older one), and a key that stored fields still use (a row a server wrote under it after the
/// re-encryption passed: `haven keys rotate --resume` re-keys it). After it, nothing the key
/// encrypted can be read, by anyone, with any master key; running servers drop it at their next
/// check ([`App::follow_key_changes`]).
pub async fn retire_data_key(store: &Store, master: &MasterKey, id: u32, now: i64) -> Result<(), RetireError> {
    let mut keyring = load(store, master).await?;
    let purpose = keyring.key_ids().into_iter().find(|(k, _)| *k == id).map(|(_, p)| p);
    if purpose == Some(KeyPurpose::SubjectWrapping) {
        return Err(RetireError::WrapsSubjectKeys(id));
    }
    match keyring.remove_key(id) {
        Ok(true) => {}
        Ok(false) => return Err(RetireError::NoSuchKey(id)),
        Err(_) => return Err(RetireError::Active(id)),
    }
    if purpose == Some(KeyPurpose::Field) {
        let seconds = seconds_until_settled(store, now).await?;
        if seconds > 0 {
            return Err(RetireError::TooSoon { id, seconds });
        }
    }
    if let Some(rows) = field_key_use(store).await?.get(&id).copied().filter(|n| *n > 0) {
        return Err(RetireError::InUse { id, rows });
    }
    store.delete_data_key(i64::from(id)).await.map_err(AppError::from)?;
    Ok(())
}
