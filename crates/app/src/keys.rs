//! Data keys: created on a new database, unwrapped at start, rewrapped on rotation.

use crate::{AppError, AppResult};
use haven_crypto::{AuditKey, KeyPurpose, Keyring, MasterKey, WrappedKey, audit_head_mac, audit_mac};
use haven_storage::{AuditSigner, DataKeyRow, Store};

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

pub(crate) async fn load_or_create(store: &Store, master: &MasterKey, now: i64) -> AppResult<Keyring> {
    let rows = store.data_keys().await?;
    if rows.is_empty() {
        let (keyring, wrapped) = Keyring::generate(master);
        store.put_data_keys(&to_rows(&wrapped, now), false).await?;
        return Ok(keyring);
    }
    Ok(Keyring::unwrap(master, &from_rows(&rows)?)?)
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

/// Why a data key cannot be retired.
#[derive(Debug, thiserror::Error)]
pub enum RetireError {
    #[error("there is no data key {0}")]
    NoSuchKey(u32),
    #[error("data key {0} is the active key of its purpose: only an older key can be retired")]
    Active(u32),
    #[error("{rows} stored fields still use data key {id}: run `haven keys rotate --resume` first")]
    InUse { id: u32, rows: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

/// Destroys an old data key: refuses the active key of a purpose and a key that stored fields
/// still use. After it, nothing the key encrypted can be read, by anyone, with any master key.
pub async fn retire_data_key(store: &Store, master: &MasterKey, id: u32) -> Result<(), RetireError> {
    let mut keyring = load(store, master).await?;
    match keyring.remove_key(id) {
        Ok(true) => {}
        Ok(false) => return Err(RetireError::NoSuchKey(id)),
        Err(_) => return Err(RetireError::Active(id)),
    }
    if let Some(rows) = field_key_use(store).await?.get(&id).copied().filter(|n| *n > 0) {
        return Err(RetireError::InUse { id, rows });
    }
    store.delete_data_key(i64::from(id)).await.map_err(AppError::from)?;
    Ok(())
}
