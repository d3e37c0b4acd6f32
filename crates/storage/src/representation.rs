//! A victim's representation by a lawyer (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): recorded
//! per case, from a day, until revoked. Ciphertext arrives and leaves as bytes (the consent note
//! and the revocation reason); every write is one transaction with its audit entry. Rows are
//! kept: a revocation is set once.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A representation (consent_note and revocation_reason: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RepresentationRow {
    pub id: String,
    pub case_id: String,
    pub lawyer_user_id: String,
    pub jurisdiction: String,
    pub from_on: String,
    pub consent_on: String,
    pub consent_note: Option<Vec<u8>>,
    pub recorded_by: String,
    pub recorded_at: i64,
    pub revoked_on: Option<String>,
    pub revocation_reason: Option<Vec<u8>>,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<i64>,
}

/// The revocation of a representation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentationRevocation {
    pub id: String,
    pub revoked_on: String,
    pub revocation_reason: Option<Vec<u8>>,
    pub revoked_by: String,
    pub revoked_at: i64,
}

/// A user who holds the victim's lawyer role, as offered to a caseworker choosing one.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LawyerRow {
    pub id: String,
    pub display_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
}

const COLUMNS: &str = "id, case_id, lawyer_user_id, jurisdiction, from_on, consent_on, consent_note, recorded_by, \
                       recorded_at, revoked_on, revocation_reason, revoked_by, revoked_at";

impl Store {
    /// Records a representation. A second representation in force of the same victim by the
    /// same lawyer is refused ([`StorageError::Conflict`], by the unique index).
    pub async fn add_representation(&self, row: &RepresentationRow, audit: &AuditEvent) -> Result<()> {
        let marks = (1..=COLUMNS.split(',').count()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = sqlx::AssertSqlSafe(format!("INSERT INTO representations ({COLUMNS}) VALUES ({marks})"));
        audited_tx!(self, audit, |tx| {
            sqlx::query(sql)
                .bind(&row.id)
                .bind(&row.case_id)
                .bind(&row.lawyer_user_id)
                .bind(&row.jurisdiction)
                .bind(&row.from_on)
                .bind(&row.consent_on)
                .bind(&row.consent_note)
                .bind(&row.recorded_by)
                .bind(row.recorded_at)
                .bind(&row.revoked_on)
                .bind(&row.revocation_reason)
                .bind(&row.revoked_by)
                .bind(row.revoked_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Revokes a representation in force of the case. [`StorageError::NotFound`] when there is
    /// none with this id (or it was revoked already): nothing is written, the audit entry neither.
    pub async fn revoke_representation(
        &self,
        case_id: &str,
        revocation: &RepresentationRevocation,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let n = sqlx::query(
                "UPDATE representations SET revoked_on = $1, revocation_reason = $2, revoked_by = $3, \
                 revoked_at = $4 WHERE id = $5 AND case_id = $6 AND revoked_on IS NULL",
            )
            .bind(&revocation.revoked_on)
            .bind(&revocation.revocation_reason)
            .bind(&revocation.revoked_by)
            .bind(revocation.revoked_at)
            .bind(&revocation.id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StorageError::NotFound);
            }
        });
        Ok(())
    }

    /// The representations of a case, in force or not, in the order they were recorded.
    pub async fn representations_of_case(&self, case_id: &str) -> Result<Vec<RepresentationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM representations WHERE case_id = $1 ORDER BY recorded_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(case_id).fetch_all(pool).await?))
    }

    /// The representations naming a lawyer, in force or not, in the order they were recorded.
    pub async fn representations_by_lawyer(&self, lawyer_user_id: &str) -> Result<Vec<RepresentationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM representations WHERE lawyer_user_id = $1 ORDER BY recorded_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(lawyer_user_id).fetch_all(pool).await?))
    }

    /// The investigations the case is linked to as a victim, by the day linked.
    pub async fn investigations_of_victim(&self, case_id: &str) -> Result<Vec<crate::InvestigationVictimRow>> {
        let sql = "SELECT investigation_id, case_id, linked_on, linked_by, linked_at FROM investigation_victims \
                   WHERE case_id = $1 ORDER BY linked_at, investigation_id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(case_id).fetch_all(pool).await?))
    }

    /// The enabled users of `jurisdiction` holding the victim's lawyer role, by name.
    pub async fn lawyers_in(&self, jurisdiction: &str) -> Result<Vec<LawyerRow>> {
        let sql = "SELECT u.id, u.display_name, u.organisation_id, o.name AS organisation_name FROM users u \
                   JOIN user_roles r ON r.user_id = u.id AND r.role = 'victim_lawyer' \
                   JOIN organisations o ON o.id = u.organisation_id \
                   WHERE o.jurisdiction = $1 AND u.disabled = $2 ORDER BY u.display_name, u.id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).bind(false).fetch_all(pool).await?))
    }
}
