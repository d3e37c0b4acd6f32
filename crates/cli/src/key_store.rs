//! `haven keys subjects`, `haven keys backup-subjects` and `haven keys restore-subjects`: the key
//! store of crypto-shredding (docs/keys.md, "Subject keys"; docs/data-protection.md, "Erasure by
//! crypto-shredding").

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use haven_app::App;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};

use crate::config::Config;

/// Moves every field of the subject columns still under a field key under its case's subject
/// key; prints what it did per column. `haven backup` runs it first.
pub(crate) async fn convert(app: &App, batch: i64, quiet: bool) -> Result<u64> {
    let progress = haven_app::subject_keys::convert_to_subject_keys(app, batch)
        .await
        .context("moving fields under subject keys")?;
    let mut moved = 0;
    for p in &progress {
        moved += p.moved;
        if !quiet && (p.moved > 0 || p.skipped > 0) {
            println!("{}.{}: {} moved, {} already, {} left", p.table, p.column, p.moved, p.already, p.skipped);
        }
    }
    Ok(moved)
}

pub(crate) async fn convert_command(config: &Config, data: &Path, batch: i64) -> Result<()> {
    let app = crate::open_app(config, data).await?;
    let moved = convert(&app, batch, false).await?;
    println!("{moved} fields moved under their subject keys; {} subject keys held", app.subject_keys_held());
    Ok(())
}

/// Writes the key store (keys and tombstones), encrypted under the master key, to `file`.
pub(crate) async fn backup(config: &Config, data: &Path, file: &Path) -> Result<()> {
    let app = crate::open_app(config, data).await?;
    let (master, _) = crate::master_key(config, data)?;
    let mut plain: Vec<u8> = Vec::new();
    let rows = app.store().dump_key_store(&mut plain).await.context("reading the key store")?;
    let tmp = file.with_extension("partial");
    {
        let mut out = crate::create_private(&tmp)?;
        haven_crypto::encrypt_backup(&master, &mut plain.as_slice(), &mut out).context("encrypting the key store")?;
        out.flush()?;
        out.sync_all()?;
    }
    std::fs::rename(&tmp, file).with_context(|| format!("writing {}", file.display()))?;
    let event = AuditEvent::new(app.now(), AuditAction::Backup, AuditOutcome::Success)
        .on("key_store", app.store().backend_name(), None)
        .detail(format!("operator console; key store, {rows} rows"));
    app.store().append_audit(&event).await.context("recording the key-store backup in the audit log")?;
    println!(
        "key store of {rows} rows written to {} (encrypted under the master key); replace the previous key-store \
         backup with it and destroy the older one",
        file.display()
    );
    Ok(())
}

/// Restores a key-store backup into this database's key store; never brings a destroyed key back.
pub(crate) async fn restore(config: &Config, data: &Path, file: &Path) -> Result<()> {
    let (master, _) = crate::master_key(config, data)?;
    let mut input = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let mut plain = Vec::new();
    haven_crypto::decrypt_backup(&master, &mut input, &mut plain).context("decrypting the key-store backup")?;
    let store = crate::open_store(config, data).await?;
    let done = store.restore_key_store(&mut plain.as_slice()).await.context("restoring the key store")?;
    let app = crate::open_app(config, data).await?;
    let event = AuditEvent::new(app.now(), AuditAction::Restore, AuditOutcome::Success)
        .on("key_store", app.store().backend_name(), None)
        .detail(format!(
            "operator console; key store: {} keys, {} tombstones, {} kept destroyed, {} present",
            done.restored, done.tombstones, done.kept_destroyed, done.present
        ));
    app.store().append_audit(&event).await.context("recording the key-store restore in the audit log")?;
    println!(
        "key store restored: {} keys, {} tombstones, {} keys kept destroyed (erased here), {} already present",
        done.restored, done.tombstones, done.kept_destroyed, done.present
    );
    Ok(())
}
