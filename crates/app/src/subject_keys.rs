//! Subject keys (crypto-shredding, docs/data-protection.md and docs/keys.md): one key per
//! registration, wrapped by the keyring's subject-wrapping key and kept in the key store
//! (`subject_keys`), which `haven backup` never carries. Every server holds the keys unwrapped in
//! memory, loads them at start, creates a case's key before its first write, and drops a key
//! another server destroyed at its next key check.
//!
//! The identity of a registration (the person row: names, aliases, date of birth) and the
//! registration record, its decisions' reasons and its assessments are written under the case's
//! subject key as soon as the key exists; [`convert_to_subject_keys`] moves every field of the
//! subject columns ([`haven_storage::SUBJECT_COLUMNS`]) still under a field key, and runs before
//! every backup and before an erasure.

use crate::{App, AppError, AppResult};
use haven_crypto::{CryptoError, FieldContext, Keyring, SubjectKey, subject_key_id};
use haven_storage::{SUBJECT_COLUMNS, Store, SubjectColumn, SubjectKeyRow};
use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

#[derive(Default)]
struct Keys {
    by_id: HashMap<u32, (String, SubjectKey)>,
    by_case: HashMap<String, u32>,
    /// The key store's counts (keys and tombstones) when last loaded.
    state: (i64, i64),
}

/// The subject keys a server holds, unwrapped. Zeroized on drop (each [`SubjectKey`] is).
#[derive(Default)]
pub struct SubjectRing {
    keys: RwLock<Keys>,
}

impl std::fmt::Debug for SubjectRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.keys.read().unwrap_or_else(PoisonError::into_inner).by_id.len();
        write!(f, "SubjectRing({n} keys)")
    }
}

fn key_id(row: &SubjectKeyRow) -> AppResult<u32> {
    u32::try_from(row.id).map_err(|_| AppError::Internal("subject key id out of range".into()))
}

fn unwrap_row(keyring: &Keyring, row: &SubjectKeyRow) -> AppResult<Option<SubjectKey>> {
    let (Some(kek), Some(wrapped)) = (row.wrapping_key_id, row.wrapped.as_deref()) else {
        return Ok(None);
    };
    let kek = u32::try_from(kek).map_err(|_| AppError::Internal("wrapping key id out of range".into()))?;
    Ok(Some(keyring.unwrap_subject_key(kek, &row.case_id, wrapped)?))
}

/// The case a field context belongs to when its row names it: the person row and the
/// registration (row = case id), decisions and assessments (row = case id / seq).
fn case_of_context<'a>(ctx: &FieldContext<'a>) -> Option<&'a str> {
    match ctx.table {
        "persons" | "registrations" => Some(ctx.row),
        "decisions" | "assessments" => ctx.row.rsplit_once('/').map(|(case, _)| case),
        _ => None,
    }
}

impl SubjectRing {
    /// Loads every key of the key store (tombstones hold none), unwrapped with `keyring`.
    ///
    /// A key this server holds for a case the key store has no row of is kept: it belongs to a
    /// new case whose transaction has not committed yet ([`App::hold_new_subject_key`]), and the
    /// case's fields are being written under it. Dropping it would leave the committed case
    /// unreadable here. Were that transaction to fail, its writer forgets the key itself.
    pub(crate) async fn load(&self, store: &Store, keyring: &Keyring) -> AppResult<()> {
        let rows = store.subject_keys().await?;
        let state = store.subject_key_state().await?;
        let mut keys = Keys { state, ..Keys::default() };
        let mut known: std::collections::HashSet<&str> = std::collections::HashSet::with_capacity(rows.len());
        for row in &rows {
            known.insert(&row.case_id);
            if let Some(key) = unwrap_row(keyring, row)? {
                let id = key_id(row)?;
                keys.by_case.insert(row.case_id.clone(), id);
                keys.by_id.insert(id, (row.case_id.clone(), key));
            }
        }
        let mut held = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        let pending: Vec<(u32, String)> = held
            .by_id
            .iter()
            .filter(|(id, (case, _))| !known.contains(case.as_str()) && !keys.by_id.contains_key(id))
            .map(|(id, (case, _))| (*id, case.clone()))
            .collect();
        for (id, case) in pending {
            if let Some(entry) = held.by_id.remove(&id) {
                keys.by_case.insert(case, id);
                keys.by_id.insert(id, entry);
            }
        }
        *held = keys;
        Ok(())
    }

    /// Loads the key store again if another server added or destroyed a key since.
    pub(crate) async fn reload_if_changed(&self, store: &Store, keyring: &Keyring) -> AppResult<bool> {
        let state = store.subject_key_state().await?;
        if self.keys.read().unwrap_or_else(PoisonError::into_inner).state == state {
            return Ok(false);
        }
        self.load(store, keyring).await?;
        Ok(true)
    }

    fn insert(&self, row: &SubjectKeyRow, key: SubjectKey) -> AppResult<u32> {
        let id = key_id(row)?;
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.by_case.insert(row.case_id.clone(), id);
        keys.by_id.insert(id, (row.case_id.clone(), key));
        Ok(id)
    }

    /// Drops a case's key from memory (it was destroyed).
    pub(crate) fn forget(&self, case_id: &str) {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = keys.by_case.remove(case_id) {
            // the id may be another case's by now (a key written in a transaction that rolled back)
            if keys.by_id.get(&id).is_some_and(|(case, _)| case == case_id) {
                keys.by_id.remove(&id);
            }
        }
    }

    /// The id of a case's key, if this server holds it.
    pub fn key_of_case(&self, case_id: &str) -> Option<u32> {
        self.keys.read().unwrap_or_else(PoisonError::into_inner).by_case.get(case_id).copied()
    }

    /// How many subject keys this server holds.
    pub fn len(&self) -> usize {
        self.keys.read().unwrap_or_else(PoisonError::into_inner).by_id.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Encrypts under the case's subject key when the context names a case whose key this
    /// server holds; `None` otherwise (the caller uses the active field key).
    pub(crate) fn encrypt_for_context(&self, ctx: &FieldContext<'_>, plaintext: &[u8]) -> Option<Vec<u8>> {
        let case = case_of_context(ctx)?;
        self.encrypt_for_case(case, ctx, plaintext)
    }

    /// Encrypts under `case_id`'s subject key, if this server holds it.
    pub(crate) fn encrypt_for_case(&self, case_id: &str, ctx: &FieldContext<'_>, plaintext: &[u8]) -> Option<Vec<u8>> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let id = *keys.by_case.get(case_id)?;
        let (_, key) = keys.by_id.get(&id)?;
        Some(key.encrypt_field(id, ctx, plaintext))
    }

    /// Moves a field under a field key to `case_id`'s subject key, if this server holds it.
    pub(crate) fn reencrypt_for_case(
        &self,
        keyring: &Keyring,
        case_id: &str,
        ctx: &FieldContext<'_>,
        ciphertext: &[u8],
    ) -> Option<Result<Vec<u8>, CryptoError>> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let id = *keys.by_case.get(case_id)?;
        let (_, key) = keys.by_id.get(&id)?;
        Some(keyring.reencrypt_to_subject(ctx, ciphertext, id, key))
    }

    /// Decrypts a field under subject key `id` ([`CryptoError::UnknownSubjectKey`] when the key
    /// is destroyed or not loaded yet).
    pub(crate) fn decrypt(&self, id: u32, ctx: &FieldContext<'_>, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        match keys.by_id.get(&id) {
            Some((_, key)) => key.decrypt_field(id, ctx, ciphertext),
            None => Err(CryptoError::UnknownSubjectKey(id)),
        }
    }
}

impl App {
    /// Makes sure the case has a subject key and this server holds it: loads it from the key
    /// store, or creates, wraps and stores it (another server racing for the same case wins or
    /// loses cleanly: the stored row is the one used). A case whose key was destroyed (erased)
    /// gets none: [`AppError::NotFound`].
    /// Before case data is written: the case's own subject key, unless the instance writes case
    /// data under field keys ([`crate::AppSettings::case_data_under_field_keys`]).
    pub(crate) async fn subject_key_for_write(&self, case_id: &str) -> AppResult<()> {
        if !self.settings().case_data_under_field_keys {
            self.ensure_subject_key(case_id).await?;
        }
        Ok(())
    }

    /// A new case's subject key, made and wrapped here and written by the caller in the case's own
    /// transaction ([`Store::create_registration_with_key`]); `None` where new case data stay under
    /// field keys.
    pub(crate) fn new_subject_key(&self, case_id: &str) -> AppResult<Option<(SubjectKey, i64, Vec<u8>)>> {
        if self.settings().case_data_under_field_keys {
            return Ok(None);
        }
        let key = SubjectKey::generate();
        let (kek, wrapped) = self.keys.current().wrap_subject_key(case_id, &key)?;
        Ok(Some((key, i64::from(kek), wrapped)))
    }

    /// Holds a new case's key, just written in its transaction, so that the case's fields are
    /// encrypted under it.
    pub(crate) fn hold_new_subject_key(&self, row: &SubjectKeyRow, key: SubjectKey) -> AppResult<u32> {
        self.keys.subjects.insert(row, key)
    }

    pub async fn ensure_subject_key(&self, case_id: &str) -> AppResult<u32> {
        if let Some(id) = self.keys.subjects.key_of_case(case_id) {
            return Ok(id);
        }
        let keyring = self.keys.current();
        let row = match self.store.subject_key_of_case(case_id).await? {
            Some(row) => row,
            None => {
                let key = SubjectKey::generate();
                let (kek, wrapped) = keyring.wrap_subject_key(case_id, &key)?;
                self.store.put_subject_key(case_id, i64::from(kek), &wrapped, self.now()).await?
            }
        };
        match unwrap_row(&keyring, &row)? {
            Some(key) => self.keys.subjects.insert(&row, key),
            None => Err(AppError::NotFound),
        }
    }

    /// How many subject keys this server holds.
    pub fn subject_keys_held(&self) -> usize {
        self.keys.subjects.len()
    }
}

/// Progress of moving one subject column under subject keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectColumnProgress {
    pub table: &'static str,
    pub column: &'static str,
    /// Fields moved from a field key to their case's subject key by this pass.
    pub moved: u64,
    /// Fields under a subject key already.
    pub already: u64,
    /// Fields of erased cases left as they are (their key is gone) or changed by a concurrent
    /// write during the pass (left for the next pass).
    pub skipped: u64,
}

async fn move_field(
    app: &App,
    col: &SubjectColumn,
    case_id: &str,
    row: &str,
    ct: &[u8],
    p: &mut SubjectColumnProgress,
) -> AppResult<()> {
    if subject_key_id(ct).is_some() {
        p.already += 1;
        return Ok(());
    }
    let id = match app.ensure_subject_key(case_id).await {
        Ok(id) => id,
        Err(AppError::NotFound) => {
            p.skipped += 1;
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let ctx = FieldContext { table: col.column.table, column: col.column.column, row };
    let Some(new) = app.keys.subjects.reencrypt_for_case(&app.keys.current(), case_id, &ctx, ct) else {
        return Err(AppError::Internal(format!("subject key {id} vanished while converting").into()));
    };
    let new = new?;
    if app.store.replace_encrypted(&col.column, row, ct, &new).await? {
        p.moved += 1;
    } else {
        p.skipped += 1;
    }
    Ok(())
}

/// Moves every field of the subject columns that is still under a field key to its case's
/// subject key (creating the keys it needs), column by column in batches, each field its own
/// short compare-and-swap write, so a running server keeps serving and an interrupted pass
/// resumes (a moved field names its subject key in its header). Fields of erased cases are left.
pub async fn convert_to_subject_keys(app: &App, batch: i64) -> AppResult<Vec<SubjectColumnProgress>> {
    let mut out = Vec::new();
    for col in SUBJECT_COLUMNS {
        let mut p = SubjectColumnProgress { table: col.column.table, column: col.column.column, ..Default::default() };
        let mut after: Option<String> = None;
        loop {
            let rows = app.store.subject_batch(col, after.as_deref(), batch.max(1)).await?;
            let Some((last, _, _)) = rows.last() else { break };
            let last = last.clone();
            for (row, case_id, ct) in &rows {
                move_field(app, col, case_id, row, ct, &mut p).await?;
            }
            after = Some(last);
        }
        out.push(p);
    }
    Ok(out)
}

/// Moves the fields of one case under its subject key (before the key is destroyed, so that
/// nothing of the case stays readable under a field key in the database).
pub(crate) async fn convert_case(app: &App, case_id: &str) -> AppResult<u64> {
    let mut moved = 0;
    for col in SUBJECT_COLUMNS {
        let mut p = SubjectColumnProgress::default();
        for (row, ct) in app.store.subject_fields_of_case(col, case_id).await? {
            move_field(app, col, case_id, &row, &ct, &mut p).await?;
        }
        if p.skipped > 0 {
            return Err(AppError::conflict(
                "a field of the case changed while it was moved under its subject key; try again",
                haven_domain::Message::new(haven_domain::MessageId::StoredConflict),
            ));
        }
        moved += p.moved;
    }
    Ok(moved)
}

/// A field of a case that opens with the keys this server holds: where it is, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadableField {
    pub table: &'static str,
    pub column: &'static str,
    pub row: String,
    pub text: String,
}

/// Every field of the subject columns of `case_id` that still opens, with the keys this server
/// holds (field keys and subject keys). After an erasure, and in any restored copy made before
/// it, the answer is empty but for the redacted copies the erasure wrote; the erasure tests and
/// an operator's check after restoring a backup read it. Not audited: operators' and tests' use
/// only, never routed.
pub async fn readable_fields(app: &App, case_id: &str) -> AppResult<Vec<ReadableField>> {
    let mut out = Vec::new();
    for col in SUBJECT_COLUMNS {
        for (row, ct) in app.store.subject_fields_of_case(col, case_id).await? {
            let ctx = FieldContext { table: col.column.table, column: col.column.column, row: &row };
            if let Ok(bytes) = app.keys.decrypt_field(&ctx, &ct) {
                out.push(ReadableField {
                    table: col.column.table,
                    column: col.column.column,
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                    row,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_crypto::MasterKey;

    fn ctx(case: &str) -> FieldContext<'_> {
        FieldContext { table: "persons", column: "given_names", row: case }
    }

    #[tokio::test]
    async fn a_reload_keeps_the_key_of_a_case_whose_transaction_has_not_committed_yet() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        let master = MasterKey::generate();
        let (mut keyring, _) = Keyring::generate(&master);
        keyring.add_key(haven_crypto::KeyPurpose::SubjectWrapping, &master);
        let ring = SubjectRing::default();
        let (kek, wrapped) = keyring.wrap_subject_key("case-a", &SubjectKey::generate()).unwrap();
        store.put_subject_key("case-a", i64::from(kek), &wrapped, 1).await.unwrap();
        ring.load(&store, &keyring).await.unwrap();
        assert!(ring.key_of_case("case-a").is_some());

        // A new case's key, held while its transaction is open (its row not visible yet).
        let pending = SubjectKeyRow {
            id: 9_000,
            case_id: "case-b".into(),
            wrapping_key_id: Some(i64::from(kek)),
            wrapped: Some(wrapped.clone()),
            created_at: 2,
            destroyed_at: None,
        };
        ring.insert(&pending, SubjectKey::generate()).unwrap();
        let ct = ring.encrypt_for_case("case-b", &ctx("case-b"), b"Anna").unwrap();

        // Another server adds a key: this one reloads the key store.
        let (kek_c, wrapped_c) = keyring.wrap_subject_key("case-c", &SubjectKey::generate()).unwrap();
        store.put_subject_key("case-c", i64::from(kek_c), &wrapped_c, 3).await.unwrap();
        assert!(ring.reload_if_changed(&store, &keyring).await.unwrap());

        assert!(ring.key_of_case("case-c").is_some(), "the other server's key is taken up");
        assert_eq!(ring.key_of_case("case-b"), Some(9_000), "the pending key is kept");
        assert_eq!(ring.decrypt(9_000, &ctx("case-b"), &ct).unwrap(), b"Anna");
        assert_eq!(ring.len(), 3);

        // The transaction fails: its writer forgets the key.
        ring.forget("case-b");
        assert!(ring.key_of_case("case-b").is_none());
        assert!(matches!(ring.decrypt(9_000, &ctx("case-b"), &ct), Err(CryptoError::UnknownSubjectKey(9_000))));
    }
}
