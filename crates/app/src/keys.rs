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

/// Rewraps every data key under `new_master` in one transaction. Encrypted fields are not
/// touched, so a running server keeps working (it holds the unwrapped keys in memory).
pub async fn rotate_master_key(store: &Store, old: &MasterKey, new_master: &MasterKey, now: i64) -> AppResult<usize> {
    let rows = store.data_keys().await?;
    let keyring = Keyring::unwrap(old, &from_rows(&rows)?)?;
    let wrapped = keyring.rewrap(new_master);
    let mut new_rows = to_rows(&wrapped, now);
    for (row, old_row) in new_rows.iter_mut().zip(rows.iter()) {
        if row.id == old_row.id {
            row.created_at = old_row.created_at;
        }
    }
    store.put_data_keys(&new_rows, true).await?;
    Ok(new_rows.len())
}
