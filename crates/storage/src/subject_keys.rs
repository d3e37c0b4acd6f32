//! The key store of crypto-shredding (migration 0035, docs/data-protection.md): one wrapped key
//! per registration in `subject_keys`, never in the data backup ([`crate::TABLES`] leaves it
//! out; [`KEY_STORE_TABLES`] names it), its own backup and restore here, and the erasure of a
//! registration: its key destroyed (a tombstone kept), its blind indexes deleted, the erasure
//! recorded without content, in one audited transaction.

use crate::{Result, StorageError, Store};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use haven_domain::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

/// Tables of the key store: in the database, never in `haven backup`.
pub const KEY_STORE_TABLES: &[&str] = &["subject_keys"];

const KEY_STORE_FORMAT: &str = "haven-key-store-v1";

/// One data subject's key as stored: wrapped by the subject-wrapping data key
/// `wrapping_key_id`, or destroyed (a tombstone: no key, `destroyed_at` set).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct SubjectKeyRow {
    pub id: i64,
    pub case_id: String,
    pub wrapping_key_id: Option<i64>,
    #[serde(with = "opt_base64")]
    pub wrapped: Option<Vec<u8>>,
    pub created_at: i64,
    pub destroyed_at: Option<i64>,
}

mod opt_base64 {
    use super::{Engine, STANDARD};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(bytes) => s.serialize_some(&STANDARD.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| STANDARD.decode(t).map_err(serde::de::Error::custom)).transpose()
    }
}

/// A column of case data that holds field ciphertext: the encrypted column and the SQL
/// expression of the case (registration) its row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubjectColumn {
    pub column: crate::EncryptedColumn,
    pub case: &'static str,
}

const fn sub(table: &'static str, row: &'static str, column: &'static str, case: &'static str) -> SubjectColumn {
    SubjectColumn { column: crate::EncryptedColumn { table, row, column }, case }
}

/// The encrypted columns that hold a victim's identifiers and narratives, by case: they belong
/// under the case's subject key (new writes of the person and the registration go there at
/// once; `haven keys subject-keys` and `haven backup` move the rest). Proceedings data
/// (investigations, suspects) concern other persons too and stay under the field keys.
pub const SUBJECT_COLUMNS: &[SubjectColumn] = &[
    sub("persons", "case_id", "given_names", "case_id"),
    sub("persons", "case_id", "family_names", "case_id"),
    sub("persons", "case_id", "aliases", "case_id"),
    sub("persons", "case_id", "date_of_birth", "case_id"),
    sub("registrations", "case_id", "record", "case_id"),
    sub("case_notes", "id", "body", "case_id"),
    sub("decisions", "case_id || '/' || seq", "reasons", "case_id"),
    sub("case_records", "id", "body", "case_id"),
    sub("assessments", "case_id || '/' || seq", "record", "case_id"),
    sub("assessments", "case_id || '/' || seq", "return_reason", "case_id"),
    sub("plan_items", "id", "record", "case_id"),
    sub("referrals", "id", "consent", "case_id"),
    sub("referrals", "id", "shared", "case_id"),
    sub("referrals", "id", "message", "case_id"),
    sub(
        "referral_events",
        "referral_id || '/' || seq",
        "note",
        "(SELECT r.case_id FROM referrals r WHERE r.id = referral_events.referral_id)",
    ),
    sub("support_records", "id", "body", "case_id"),
    sub("victim_information", "id", "given_by", "case_id"),
    sub("victim_information", "id", "note", "case_id"),
    sub("representations", "id", "consent_note", "case_id"),
    sub("representations", "id", "revocation_reason", "case_id"),
    // A rectified value is the person's own earlier data (Reg 2016/679 Art 16), a restriction's
    // reason is about the person (Art 18): both go with the registration.
    sub("rectifications", "id", "old_value", "case_id"),
    sub("rectifications", "id", "reason", "case_id"),
    sub("case_restrictions", "case_id", "reason", "case_id"),
    // A referral to or from another country carries the person's identity and story; the other
    // country's copy is its own to erase (docs/transnational.md), Haven's goes with the case.
    sub("transnational_referrals", "id", "draft", "case_id"),
    sub("transnational_referrals", "id", "body", "case_id"),
];

/// The encrypted columns whose rows name a case but stay under the field keys, each with why:
/// the records of law enforcement and prosecution (Dir 2016/680), which their own controller keeps
/// and erases under its own schedule, not the data protection officer of the referral mechanism.
/// A test checks that every encrypted column with a `case_id` is either a [`SUBJECT_COLUMNS`]
/// entry or listed here.
pub const CASE_COLUMNS_UNDER_FIELD_KEYS: &[(&str, &str, &str)] = &[
    ("non_punishment_notices", "reasons", "proceedings data (Dir 2016/680), kept by the prosecution"),
    ("protection_measures", "reasons", "proceedings data (Dir 2016/680), kept by the court or police"),
    ("suspects", "name", "another person's data (a suspect, Dir 2016/680), not the victim's"),
    (
        "subject_requests",
        "detail",
        "the request itself: the controller's record that it was handled (Reg 2016/679 Art 5(2)), \
         kept under its own retention schedule, an erasure request included",
    ),
];

/// What a key-store restore did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyStoreRestore {
    /// Keys restored.
    pub restored: u64,
    /// Tombstones restored (destroyed keys, which no later restore brings back).
    pub tombstones: u64,
    /// Keys of the backup that were not restored: destroyed here, or their case erased here.
    pub kept_destroyed: u64,
    /// Keys already here, unchanged.
    pub present: u64,
}

const COLUMNS: &str = "id, case_id, wrapping_key_id, wrapped, created_at, destroyed_at";

/// Open legal holds ($1 = case id) on the registration or on a record of the case listed in the
/// retention schedule.
const HOLD_COUNT: &str = "SELECT COUNT(*) FROM retention_holds h WHERE h.released_at IS NULL AND \
     ((h.record_kind = 'registration' AND h.record_id = $1) OR EXISTS (SELECT 1 FROM retention_items i \
     WHERE i.case_id = $1 AND i.record_kind = h.record_kind AND i.record_id = h.record_id))";

impl Store {
    /// Every row of the key store (keys and tombstones), by id.
    pub async fn subject_keys(&self) -> Result<Vec<SubjectKeyRow>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM subject_keys ORDER BY id"));
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, SubjectKeyRow>(sql).fetch_all(pool).await?))
    }

    /// The key store row of a case, if it has one.
    pub async fn subject_key_of_case(&self, case_id: &str) -> Result<Option<SubjectKeyRow>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM subject_keys WHERE case_id = $1"));
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, SubjectKeyRow>(sql).bind(case_id).fetch_optional(pool).await?))
    }

    /// How many keys and tombstones the key store holds (a running server compares it to tell
    /// whether another one added or destroyed a key).
    pub async fn subject_key_state(&self) -> Result<(i64, i64)> {
        let row: (i64, i64) =
            on_pool!(self, |pool| sqlx::query_as("SELECT COUNT(*), COUNT(destroyed_at) FROM subject_keys")
                .fetch_one(pool)
                .await?);
        Ok(row)
    }

    /// Stores a case's wrapped key unless the case has a row already (another server's key, or
    /// a tombstone), and returns the row that stands.
    pub async fn put_subject_key(
        &self,
        case_id: &str,
        wrapping_key_id: i64,
        wrapped: &[u8],
        now: i64,
    ) -> Result<SubjectKeyRow> {
        let sql = "INSERT INTO subject_keys (case_id, wrapping_key_id, wrapped, created_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (case_id) DO NOTHING";
        match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                sqlx::query(sql)
                    .bind(case_id)
                    .bind(wrapping_key_id)
                    .bind(wrapped)
                    .bind(now)
                    .execute(self.sqlite_writer(pool))
                    .await?;
            }
            crate::Backend::Postgres(pool) => {
                sqlx::query(sql).bind(case_id).bind(wrapping_key_id).bind(wrapped).bind(now).execute(pool).await?;
            }
        }
        self.subject_key_of_case(case_id).await?.ok_or(StorageError::NotFound)
    }

    /// Whether a case was erased (and when).
    pub async fn case_erased_at(&self, case_id: &str) -> Result<Option<i64>> {
        let at: Option<i64> =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT erased_at FROM case_erasures WHERE case_id = $1")
                .bind(case_id)
                .fetch_optional(pool)
                .await?);
        Ok(at)
    }

    /// Every erased case, with when.
    pub async fn case_erasures(&self) -> Result<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> =
            on_pool!(self, |pool| sqlx::query_as("SELECT case_id, erased_at FROM case_erasures ORDER BY case_id")
                .fetch_all(pool)
                .await?);
        Ok(rows)
    }

    /// The field ciphertexts of one case in one subject column: (row context, ciphertext).
    pub async fn subject_fields_of_case(&self, col: &SubjectColumn, case_id: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let crate::EncryptedColumn { table, row, column } = col.column;
        let case = col.case;
        // Table, expressions and column come from SUBJECT_COLUMNS, never from input.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {row} AS r, {column} AS c FROM {table} WHERE {column} IS NOT NULL AND {case} = $1 ORDER BY {row}"
        ));
        let rows: Vec<(String, Vec<u8>)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(case_id).fetch_all(pool).await?);
        Ok(rows)
    }

    /// One batch of a subject column: rows after `after` in row order, with their case and
    /// ciphertext.
    pub async fn subject_batch(
        &self,
        col: &SubjectColumn,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(String, String, Vec<u8>)>> {
        let crate::EncryptedColumn { table, row, column } = col.column;
        let case = col.case;
        // Table, expressions and column come from SUBJECT_COLUMNS, never from input.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {row} AS r, {case} AS k, {column} AS c FROM {table} WHERE {column} IS NOT NULL AND {row} > $1 \
             ORDER BY {row} LIMIT $2"
        ));
        let rows: Vec<(String, String, Vec<u8>)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(after.unwrap_or("")).bind(limit).fetch_all(pool).await?);
        Ok(rows)
    }

    /// The cases the person register puts with `case_id` (its person cluster), `case_id` first;
    /// only `case_id` when it is in no cluster.
    pub async fn cases_of_same_person(&self, case_id: &str) -> Result<Vec<String>> {
        let others: Vec<String> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT case_id FROM person_clusters WHERE person_id = \
             (SELECT person_id FROM person_clusters WHERE case_id = $1) AND case_id <> $1 ORDER BY case_id"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?);
        Ok(std::iter::once(case_id.to_owned()).chain(others).collect())
    }

    /// Whether a legal hold of the retention schedule stands on the case's registration or on
    /// a record of the case it lists (migration 0034).
    pub async fn case_hold_stands(&self, case_id: &str) -> Result<bool> {
        let n: i64 = on_pool!(self, |pool| sqlx::query_scalar(HOLD_COUNT).bind(case_id).fetch_one(pool).await?);
        Ok(n > 0)
    }

    /// Erases a case by crypto-shredding as `erased_by` ([`Self::erase_case_as`]).
    pub async fn erase_case(
        &self,
        case_id: &str,
        erased_by: &str,
        now: i64,
        person: Option<&crate::PersonRow>,
        record: Option<&[u8]>,
        audit: &AuditEvent,
    ) -> Result<bool> {
        self.erase_case_as(case_id, Some(erased_by), now, person, record, audit).await
    }

    /// Erases a case by crypto-shredding, in one transaction with its audit entry: refused with
    /// [`StorageError::Conflict`] while a legal hold stands; its subject key destroyed (the row
    /// kept as a tombstone; a tombstone is written for a case that had no key), its blind
    /// indexes deleted (identifier and block indexes; the name index emptied), the person row
    /// and the registration record replaced by the redacted copies given (under a field key,
    /// nothing of the person in them), and the erasure recorded (case, time, who: `None` for the
    /// retention job). Returns false when the case was erased already (nothing changes then).
    pub async fn erase_case_as(
        &self,
        case_id: &str,
        erased_by: Option<&str>,
        now: i64,
        person: Option<&crate::PersonRow>,
        record: Option<&[u8]>,
        audit: &AuditEvent,
    ) -> Result<bool> {
        if self.case_erased_at(case_id).await?.is_some() {
            return Ok(false);
        }
        audited_tx!(self, audit, |tx| {
            let held: i64 = sqlx::query_scalar(HOLD_COUNT).bind(case_id).fetch_one(&mut *tx).await?;
            if held > 0 {
                return Err(StorageError::Conflict("a legal hold stands on this registration".into()));
            }
            if let Some(p) = person {
                sqlx::query(
                    "UPDATE persons SET given_names = $1, family_names = $2, aliases = $3, date_of_birth = $4 \
                     WHERE case_id = $5",
                )
                .bind(&p.given_names)
                .bind(&p.family_names)
                .bind(&p.aliases)
                .bind(&p.date_of_birth)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(record) = record {
                sqlx::query("UPDATE registrations SET record = $1 WHERE case_id = $2")
                    .bind(record)
                    .bind(case_id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("INSERT INTO case_erasures (case_id, erased_at, erased_by) VALUES ($1, $2, $3)")
                .bind(case_id)
                .bind(now)
                .bind(erased_by)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE subject_keys SET wrapped = NULL, wrapping_key_id = NULL, destroyed_at = $1 \
                 WHERE case_id = $2 AND destroyed_at IS NULL",
            )
            .bind(now)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO subject_keys (case_id, wrapping_key_id, wrapped, created_at, destroyed_at) \
                 VALUES ($1, NULL, NULL, $2, $2) ON CONFLICT (case_id) DO NOTHING",
            )
            .bind(case_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM identifier_index WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE persons SET name_index = $1 WHERE case_id = $2")
                .bind(Vec::<u8>::new())
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        });
        Ok(true)
    }

    /// Writes the key store (keys and tombstones) as JSON lines: a header line, then one row a
    /// line. The caller encrypts the stream (the CLI, with the master key).
    pub async fn dump_key_store(&self, out: &mut (dyn Write + Send)) -> Result<u64, crate::BackupError> {
        writeln!(out, "{}", serde_json::json!({ "format": KEY_STORE_FORMAT }))?;
        let rows = self.subject_keys().await?;
        for row in &rows {
            let line = serde_json::to_string(row)
                .map_err(|e| crate::BackupError::Format { line: 0, message: e.to_string() })?;
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        Ok(rows.len() as u64)
    }

    /// Restores a key-store backup into this database's key store, in one transaction, and never
    /// brings a destroyed key back: a key destroyed here, or whose case is recorded erased here,
    /// stays destroyed (a tombstone is written for it); a tombstone of the backup destroys the
    /// key here; a key already here stays. Restore the newest key-store backup: one made before
    /// an erasure holds the erased key, and only this database's tombstone or erasure record
    /// stops it.
    pub async fn restore_key_store(
        &self,
        input: &mut (dyn BufRead + Send),
    ) -> Result<KeyStoreRestore, crate::BackupError> {
        let mut lines = input.lines().enumerate();
        let header = match lines.next() {
            Some((_, line)) => line?,
            None => return Err(crate::BackupError::Format { line: 1, message: "empty key-store backup".into() }),
        };
        let header: serde_json::Value = serde_json::from_str(&header).map_err(|e| crate::BackupError::Format {
            line: 1,
            message: format!("not a key-store backup header: {e}"),
        })?;
        if header.get("format").and_then(serde_json::Value::as_str) != Some(KEY_STORE_FORMAT) {
            return Err(crate::BackupError::Format { line: 1, message: format!("expected format {KEY_STORE_FORMAT}") });
        }
        let mut rows = Vec::new();
        for (i, line) in lines {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let row: SubjectKeyRow = serde_json::from_str(&line)
                .map_err(|e| crate::BackupError::Format { line: i + 1, message: format!("invalid row: {e}") })?;
            if row.wrapped.is_none() != row.destroyed_at.is_some()
                || row.wrapped.is_none() != row.wrapping_key_id.is_none()
            {
                return Err(crate::BackupError::Format {
                    line: i + 1,
                    message: "a row is either a key (wrapped, wrapping key) or a tombstone (destroyed_at)".into(),
                });
            }
            rows.push(row);
        }
        let mut out = KeyStoreRestore::default();
        let sql_here = format!("SELECT {COLUMNS} FROM subject_keys WHERE case_id = $1");
        let insert = "INSERT INTO subject_keys (id, case_id, wrapping_key_id, wrapped, created_at, destroyed_at) \
                      VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for row in &rows {
                let here: Option<SubjectKeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql_here.clone()))
                    .bind(&row.case_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let erased: Option<i64> = sqlx::query_scalar("SELECT erased_at FROM case_erasures WHERE case_id = $1")
                    .bind(&row.case_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                match (here, row.destroyed_at) {
                    (Some(h), _) if h.destroyed_at.is_some() => out.kept_destroyed += 1,
                    (Some(_), Some(at)) => {
                        sqlx::query(
                            "UPDATE subject_keys SET wrapped = NULL, wrapping_key_id = NULL, destroyed_at = $1 \
                             WHERE case_id = $2",
                        )
                        .bind(at)
                        .bind(&row.case_id)
                        .execute(&mut *tx)
                        .await?;
                        out.tombstones += 1;
                    }
                    (Some(_), None) if erased.is_some() => {
                        sqlx::query(
                            "UPDATE subject_keys SET wrapped = NULL, wrapping_key_id = NULL, destroyed_at = $1 \
                             WHERE case_id = $2",
                        )
                        .bind(erased)
                        .bind(&row.case_id)
                        .execute(&mut *tx)
                        .await?;
                        out.kept_destroyed += 1;
                    }
                    (Some(_), None) => out.present += 1,
                    (None, destroyed) => {
                        let tombstone_at = destroyed.or(erased);
                        let (kek, wrapped) = if tombstone_at.is_some() {
                            (None, None)
                        } else {
                            (row.wrapping_key_id, row.wrapped.clone())
                        };
                        sqlx::query(insert)
                            .bind(row.id)
                            .bind(&row.case_id)
                            .bind(kek)
                            .bind(wrapped)
                            .bind(row.created_at)
                            .bind(tombstone_at)
                            .execute(&mut *tx)
                            .await?;
                        match (destroyed, erased) {
                            (Some(_), _) => out.tombstones += 1,
                            (None, Some(_)) => out.kept_destroyed += 1,
                            (None, None) => out.restored += 1,
                        }
                    }
                }
            }
            tx.commit().await?;
        });
        if self.backend_name() == "postgres" {
            // Ids were given explicitly: the sequence goes past them.
            self.execute_unchecked(
                "SELECT setval(pg_get_serial_sequence('subject_keys', 'id'), \
                 GREATEST((SELECT COALESCE(MAX(id), 0) FROM subject_keys), 1))",
            )
            .await?;
        }
        Ok(out)
    }
}
