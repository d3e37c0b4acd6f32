//! The rapporteur's annual report (docs/monitoring.md, "The annual report", migration 0031): one
//! row per jurisdiction and year with the encrypted narrative, saved under an optimistic version;
//! every write is one transaction with its audit entry.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A stored report (`narrative`: the sections' ciphertext, the row id bound).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AnnualReportRow {
    pub id: String,
    pub jurisdiction: String,
    pub year: i64,
    pub status: String,
    pub narrative: Vec<u8>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub finalised_by: Option<String>,
    pub finalised_at: Option<i64>,
}

const COLUMNS: &str = "id, jurisdiction, year, status, narrative, version, created_by, created_at, updated_by, \
                       updated_at, finalised_by, finalised_at";

impl Store {
    /// The report of a jurisdiction and year, if one was started.
    pub async fn annual_report(&self, jurisdiction: &str, year: i64) -> Result<Option<AnnualReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM annual_reports WHERE jurisdiction = $1 AND year = $2");
        Ok(on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(jurisdiction)
            .bind(year)
            .fetch_optional(pool)
            .await?))
    }

    /// The reports of a jurisdiction, newest year first.
    pub async fn annual_reports(&self, jurisdiction: &str) -> Result<Vec<AnnualReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM annual_reports WHERE jurisdiction = $1 ORDER BY year DESC");
        Ok(on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?))
    }

    /// Saves a report: `row.version` 1 inserts a new one (a second report of the jurisdiction
    /// and year is [`StorageError::Conflict`]); a later version replaces the one before it, and
    /// anything else is [`StorageError::Conflict`] (someone saved in between). Nothing is written
    /// then.
    pub async fn save_annual_report(&self, row: &AnnualReportRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            if row.version == 1 {
                let existing: Option<String> =
                    sqlx::query_scalar("SELECT id FROM annual_reports WHERE jurisdiction = $1 AND year = $2")
                        .bind(&row.jurisdiction)
                        .bind(row.year)
                        .fetch_optional(&mut *tx)
                        .await?;
                if existing.is_some() {
                    return Err(StorageError::Conflict("annual report exists".into()));
                }
                sqlx::query(
                    "INSERT INTO annual_reports (id, jurisdiction, year, status, narrative, version, created_by, \
                     created_at, updated_by, updated_at, finalised_by, finalised_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(&row.id)
                .bind(&row.jurisdiction)
                .bind(row.year)
                .bind(&row.status)
                .bind(&row.narrative)
                .bind(row.version)
                .bind(&row.created_by)
                .bind(row.created_at)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .bind(&row.finalised_by)
                .bind(row.finalised_at)
                .execute(&mut *tx)
                .await?;
            } else {
                let done = sqlx::query(
                    "UPDATE annual_reports SET status = $1, narrative = $2, version = $3, updated_by = $4, \
                     updated_at = $5, finalised_by = $6, finalised_at = $7 \
                     WHERE id = $8 AND version = $9 AND status = 'draft'",
                )
                .bind(&row.status)
                .bind(&row.narrative)
                .bind(row.version)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .bind(&row.finalised_by)
                .bind(row.finalised_at)
                .bind(&row.id)
                .bind(row.version - 1)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StorageError::Conflict("annual report changed or final".into()));
                }
            }
        });
        Ok(())
    }
}
