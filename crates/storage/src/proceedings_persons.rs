//! Suspects as persons: the answers that two suspects of different investigations are the same
//! person (or are not), and a suspect looked up by its id. Plain columns only: ids, the answer,
//! who and when.

use crate::{Result, StorageError, Store, SuspectRow};
use haven_domain::audit::AuditEvent;

/// An answer on a pair of suspects, the pair in id order (`suspect_a < suspect_b`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SuspectLinkRow {
    pub suspect_a: String,
    pub suspect_b: String,
    pub jurisdiction: String,
    /// `same` or `different`.
    pub answer: String,
    pub decided_by: String,
    pub decided_at: i64,
}

const LINK_COLUMNS: &str = "suspect_a, suspect_b, jurisdiction, answer, decided_by, decided_at";
const SUSPECT_COLUMNS: &str = "id, investigation_id, kind, name, case_id, roles, criminal_organisation, \
                               public_official, citizenship, sex, age_group, liability, created_by, created_at";

impl Store {
    /// Records the answer on a pair of suspects, replacing an earlier one, with its audit entry in
    /// the same transaction.
    pub async fn answer_suspect_pair(&self, row: &SuspectLinkRow, audit: &AuditEvent) -> Result<()> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO suspect_person_links ({LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (suspect_a, suspect_b) DO UPDATE SET answer = excluded.answer, \
             decided_by = excluded.decided_by, decided_at = excluded.decided_at"
        ));
        audited_tx!(self, audit, |tx| {
            sqlx::query(sql)
                .bind(&row.suspect_a)
                .bind(&row.suspect_b)
                .bind(&row.jurisdiction)
                .bind(&row.answer)
                .bind(&row.decided_by)
                .bind(row.decided_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The answers on pairs with `suspect_id` in them.
    pub async fn suspect_pair_answers_of(&self, suspect_id: &str) -> Result<Vec<SuspectLinkRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {LINK_COLUMNS} FROM suspect_person_links WHERE suspect_a = $1 OR suspect_b = $1 \
             ORDER BY suspect_a, suspect_b"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(suspect_id).fetch_all(pool).await?))
    }

    /// Every answer on pairs of suspects of `jurisdiction` (for the trafficker statistics).
    pub async fn suspect_pair_answers_in(&self, jurisdiction: &str) -> Result<Vec<SuspectLinkRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {LINK_COLUMNS} FROM suspect_person_links WHERE jurisdiction = $1 ORDER BY suspect_a, suspect_b"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).fetch_all(pool).await?))
    }

    /// One suspect by its id, whichever investigation it is in.
    pub async fn suspect_by_id(&self, id: &str) -> Result<Option<SuspectRow>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {SUSPECT_COLUMNS} FROM suspects WHERE id = $1"));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }
}
