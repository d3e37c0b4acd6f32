//! Persons counted once across borders (migration 0022): in a country, the secret the focal
//! points share (encrypted by the application before it is stored); at the EU hub, the latest
//! Bloom-filter encodings of each country and reference year (encrypted too).

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A generation of the secret the focal points share.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonLinkageSecretRow {
    pub generation: String,
    /// Ciphertext (field context `person_linkage_secrets/secret/<generation>`).
    pub secret: Vec<u8>,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// A country's encodings of a reference year, as the hub keeps them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonEncodingsRow {
    pub country: String,
    pub year: i64,
    pub message_id: String,
    /// The sending instance id.
    pub sender: String,
    pub secret_generation: String,
    /// Bits of each encoding.
    pub encoded_bits: i64,
    /// The encoding schema, JSON (no secret).
    pub schema: String,
    pub persons: i64,
    /// Ciphertext of the filters concatenated (field context
    /// `person_encodings_received/encodings/<country>/<year>`).
    pub encodings: Vec<u8>,
    pub received_at: i64,
}

const SECRET_COLUMNS: &str = "generation, secret, created_by, created_at";
const ENCODINGS_COLUMNS: &str =
    "country, year, message_id, sender, secret_generation, encoded_bits, schema, persons, encodings, received_at";

impl Store {
    /// Stores a generation of the shared secret, audited; a generation stored before is a
    /// conflict (a secret is never changed, a new generation is made).
    pub async fn add_person_linkage_secret(&self, row: &PersonLinkageSecretRow, audit: &AuditEvent) -> Result<bool> {
        let inserted = audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO person_linkage_secrets ({SECRET_COLUMNS}) VALUES ($1,$2,$3,$4) \
                 ON CONFLICT (generation) DO NOTHING"
            )))
            .bind(&row.generation)
            .bind(&row.secret)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1
        });
        Ok(inserted)
    }

    /// The newest generation of the shared secret, if any.
    pub async fn latest_person_linkage_secret(&self) -> Result<Option<PersonLinkageSecretRow>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, PersonLinkageSecretRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {SECRET_COLUMNS} FROM person_linkage_secrets ORDER BY created_at DESC, generation DESC LIMIT 1"
            )))
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// Stores a country's encodings of a year in place of any earlier ones, audited.
    pub async fn put_person_encodings(&self, row: &PersonEncodingsRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query("DELETE FROM person_encodings_received WHERE country = $1 AND year = $2")
                .bind(&row.country)
                .bind(row.year)
                .execute(&mut *tx)
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO person_encodings_received ({ENCODINGS_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
            )))
            .bind(&row.country)
            .bind(row.year)
            .bind(&row.message_id)
            .bind(&row.sender)
            .bind(&row.secret_generation)
            .bind(row.encoded_bits)
            .bind(&row.schema)
            .bind(row.persons)
            .bind(&row.encodings)
            .bind(row.received_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The encodings of every country for a reference year, by country.
    pub async fn person_encodings_for(&self, year: i64) -> Result<Vec<PersonEncodingsRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, PersonEncodingsRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ENCODINGS_COLUMNS} FROM person_encodings_received WHERE year = $1 ORDER BY country"
            )))
            .bind(year)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
