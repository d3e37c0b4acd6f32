//! Criminal proceedings: investigations, linked victims, suspects, their records (charges,
//! prosecution decisions, judgments, appeals) and non-punishment notices. Ciphertext arrives
//! and leaves as bytes; every write is one transaction with its audit entry.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// An investigation (record: ciphertext of the reference, offences, places, report, summary).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InvestigationRow {
    pub id: String,
    pub jurisdiction: String,
    pub unit_organisation_id: String,
    pub prosecutor_organisation_id: Option<String>,
    pub opened_on: String,
    pub opening: String,
    pub status: String,
    pub status_since: String,
    pub record: Vec<u8>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A victim linked to an investigation by the id of their case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InvestigationVictimRow {
    pub investigation_id: String,
    pub case_id: String,
    pub linked_on: String,
    pub linked_by: String,
    pub linked_at: i64,
}

/// A suspect (name: ciphertext; the rest coded values for the access rules and statistics).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SuspectRow {
    pub id: String,
    pub investigation_id: String,
    pub kind: String,
    pub name: Vec<u8>,
    pub case_id: Option<String>,
    /// Comma-separated chain roles.
    pub roles: String,
    pub criminal_organisation: bool,
    pub public_official: bool,
    pub citizenship: Option<String>,
    pub sex: Option<String>,
    pub age_group: Option<String>,
    pub liability: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

/// A charge, prosecution decision, judgment or appeal of one suspect (body: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProceedingsRecordRow {
    pub id: String,
    pub investigation_id: String,
    pub suspect_id: String,
    /// `charge`, `prosecution_decision`, `judgment` or `appeal`.
    pub kind: String,
    pub body: Vec<u8>,
    pub recorded_on: String,
    pub created_by: String,
    pub created_at: i64,
}

/// A non-punishment notice (reasons: ciphertext), undecided while `outcome` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: String,
    pub investigation_id: String,
    pub suspect_id: String,
    pub case_id: String,
    pub standing: String,
    pub path: String,
    pub raised_on: String,
    pub outcome: Option<String>,
    pub reasons: Option<Vec<u8>>,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
}

const INVESTIGATION_COLUMNS: &str = "id, jurisdiction, unit_organisation_id, prosecutor_organisation_id, opened_on, \
                                     opening, status, status_since, record, version, created_by, created_at, \
                                     updated_by, updated_at";
const VICTIM_COLUMNS: &str = "investigation_id, case_id, linked_on, linked_by, linked_at";
const SUSPECT_COLUMNS: &str = "id, investigation_id, kind, name, case_id, roles, criminal_organisation, \
                               public_official, citizenship, sex, age_group, liability, created_by, created_at";
const RECORD_COLUMNS: &str = "id, investigation_id, suspect_id, kind, body, recorded_on, created_by, created_at";
const NOTICE_COLUMNS: &str =
    "id, investigation_id, suspect_id, case_id, standing, path, raised_on, outcome, reasons, decided_by, decided_on";

/// `$1, $2, …, $n`.
fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn insert_sql(table: &str, columns: &str) -> sqlx::AssertSqlSafe<String> {
    let n = columns.split(',').count();
    sqlx::AssertSqlSafe(format!("INSERT INTO {table} ({columns}) VALUES ({})", placeholders(n)))
}

/// Inserts a suspect inside an open transaction.
macro_rules! insert_suspect {
    ($tx:ident, $row:expr) => {{
        let row: &SuspectRow = $row;
        sqlx::query(insert_sql("suspects", SUSPECT_COLUMNS))
            .bind(&row.id)
            .bind(&row.investigation_id)
            .bind(&row.kind)
            .bind(&row.name)
            .bind(&row.case_id)
            .bind(&row.roles)
            .bind(row.criminal_organisation)
            .bind(row.public_official)
            .bind(&row.citizenship)
            .bind(&row.sex)
            .bind(&row.age_group)
            .bind(&row.liability)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Inserts a notice inside an open transaction.
macro_rules! insert_notice {
    ($tx:ident, $row:expr) => {{
        let row: &NoticeRow = $row;
        sqlx::query(insert_sql("non_punishment_notices", NOTICE_COLUMNS))
            .bind(&row.id)
            .bind(&row.investigation_id)
            .bind(&row.suspect_id)
            .bind(&row.case_id)
            .bind(&row.standing)
            .bind(&row.path)
            .bind(&row.raised_on)
            .bind(&row.outcome)
            .bind(&row.reasons)
            .bind(&row.decided_by)
            .bind(&row.decided_on)
            .execute(&mut *$tx)
            .await?;
    }};
}

impl Store {
    /// Opens an investigation.
    pub async fn create_investigation(&self, row: &InvestigationRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("investigations", INVESTIGATION_COLUMNS))
                .bind(&row.id)
                .bind(&row.jurisdiction)
                .bind(&row.unit_organisation_id)
                .bind(&row.prosecutor_organisation_id)
                .bind(&row.opened_on)
                .bind(&row.opening)
                .bind(&row.status)
                .bind(&row.status_since)
                .bind(&row.record)
                .bind(row.version)
                .bind(&row.created_by)
                .bind(row.created_at)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Replaces an investigation's changing parts if it is still at `row.version - 1`
    /// (optimistic concurrency). Returns whether it was written.
    pub async fn update_investigation(&self, row: &InvestigationRow, audit: &AuditEvent) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(
                "UPDATE investigations SET prosecutor_organisation_id = $1, status = $2, status_since = $3, \
                 record = $4, version = $5, updated_by = $6, updated_at = $7 WHERE id = $8 AND version = $9",
            )
            .bind(&row.prosecutor_organisation_id)
            .bind(&row.status)
            .bind(&row.status_since)
            .bind(&row.record)
            .bind(row.version)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .bind(&row.id)
            .bind(row.version - 1)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    pub async fn investigation(&self, id: &str) -> Result<Option<InvestigationRow>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {INVESTIGATION_COLUMNS} FROM investigations WHERE id = $1"));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// The investigations of `jurisdiction` that `organisation_id` works as the unit or the
    /// prosecutor's office, newest first.
    pub async fn investigations_of_organisation(
        &self,
        jurisdiction: &str,
        organisation_id: &str,
    ) -> Result<Vec<InvestigationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {INVESTIGATION_COLUMNS} FROM investigations WHERE jurisdiction = $1 \
             AND (unit_organisation_id = $2 OR prosecutor_organisation_id = $2) ORDER BY opened_on DESC, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).bind(organisation_id).fetch_all(pool).await?))
    }

    /// Links a victim's case; `false` if it was already linked.
    pub async fn link_investigation_victim(&self, row: &InvestigationVictimRow, audit: &AuditEvent) -> Result<bool> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO investigation_victims ({VICTIM_COLUMNS}) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (investigation_id, case_id) DO NOTHING"
        ));
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(sql)
                .bind(&row.investigation_id)
                .bind(&row.case_id)
                .bind(&row.linked_on)
                .bind(&row.linked_by)
                .bind(row.linked_at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    pub async fn investigation_victims(&self, investigation_id: &str) -> Result<Vec<InvestigationVictimRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {VICTIM_COLUMNS} FROM investigation_victims WHERE investigation_id = $1 ORDER BY linked_at, case_id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Whether the case is linked to any investigation, as a victim or as a suspect: all a
    /// caseworker learns ("involved in proceedings: yes").
    pub async fn case_involved_in_proceedings(&self, case_id: &str) -> Result<bool> {
        let n: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM investigation_victims WHERE case_id = $1) + \
             (SELECT COUNT(*) FROM suspects WHERE case_id = $1)"
        )
        .bind(case_id)
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }

    /// Adds a suspect, with the non-punishment notice it raises, in one transaction: a suspect
    /// is never kept without its notice.
    pub async fn add_suspect(&self, row: &SuspectRow, notice: Option<&NoticeRow>, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            insert_suspect!(tx, row);
            if let Some(n) = notice {
                insert_notice!(tx, n);
            }
        });
        Ok(())
    }

    /// Adds suspects (an import), each with the notice it raises, in one transaction: all of
    /// them or none.
    pub async fn add_suspects(&self, rows: &[(SuspectRow, Option<NoticeRow>)], audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            for (row, notice) in rows {
                insert_suspect!(tx, row);
                if let Some(n) = notice {
                    insert_notice!(tx, n);
                }
            }
        });
        Ok(())
    }

    /// Links a suspect to the person's case in identification, with the notice it raises, in
    /// one transaction. Returns `false` if no such suspect exists.
    pub async fn link_suspect_case(
        &self,
        suspect_id: &str,
        case_id: &str,
        notice: Option<&NoticeRow>,
        audit: &AuditEvent,
    ) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            let n = sqlx::query("UPDATE suspects SET case_id = $1 WHERE id = $2 AND kind = 'natural'")
                .bind(case_id)
                .bind(suspect_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1
                && let Some(notice) = notice
            {
                insert_notice!(tx, notice);
            }
            n
        });
        Ok(n == 1)
    }

    pub async fn suspects(&self, investigation_id: &str) -> Result<Vec<SuspectRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {SUSPECT_COLUMNS} FROM suspects WHERE investigation_id = $1 ORDER BY created_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Adds a charge, decision, judgment or appeal (immutable).
    pub async fn add_proceedings_record(&self, row: &ProceedingsRecordRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("proceedings_records", RECORD_COLUMNS))
                .bind(&row.id)
                .bind(&row.investigation_id)
                .bind(&row.suspect_id)
                .bind(&row.kind)
                .bind(&row.body)
                .bind(&row.recorded_on)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    pub async fn proceedings_records(&self, investigation_id: &str) -> Result<Vec<ProceedingsRecordRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM proceedings_records WHERE investigation_id = $1 \
             ORDER BY recorded_on, created_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    pub async fn notices(&self, investigation_id: &str) -> Result<Vec<NoticeRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {NOTICE_COLUMNS} FROM non_punishment_notices WHERE investigation_id = $1 ORDER BY raised_on, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Records the prosecutor's decision on a notice, once: `false` if it was decided already
    /// (or does not exist).
    pub async fn decide_notice(&self, row: &NoticeRow, audit: &AuditEvent) -> Result<bool> {
        let (Some(outcome), Some(reasons), Some(by), Some(on)) =
            (&row.outcome, &row.reasons, &row.decided_by, &row.decided_on)
        else {
            return Err(StorageError::Corrupt(
                "a decision on a notice has its outcome, reasons, author and date".into(),
            ));
        };
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(
                "UPDATE non_punishment_notices SET outcome = $1, reasons = $2, decided_by = $3, decided_on = $4 \
                 WHERE id = $5 AND outcome IS NULL",
            )
            .bind(outcome)
            .bind(reasons)
            .bind(by)
            .bind(on)
            .bind(&row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }
}
