//! Data subjects' requests, restrictions and rectifications (migration 0036; Reg 2016/679 Arts 12,
//! 15-18). Every write is one transaction with its audit entry; a request changes only from the
//! version it was loaded at.

use crate::rows::{PersonRow, RegistrationRow};
use crate::{Identifiers, Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// Updates a request's changing columns from `$expected` to the row's version, or fails with a
/// conflict.
macro_rules! update_request {
    ($tx:ident, $row:expr, $expected:expr) => {{
        let row: &SubjectRequestRow = $row;
        let done = sqlx::query(
            "UPDATE subject_requests SET extended = $1, due_on = $2, status = $3, identity_checked_by = $4, \
             identity_method = $5, identity_checked_on = $6, answered_on = $7, detail = $8, version = $9, \
             updated_by = $10, updated_at = $11 WHERE id = $12 AND version = $13",
        )
        .bind(row.extended)
        .bind(&row.due_on)
        .bind(&row.status)
        .bind(&row.identity_checked_by)
        .bind(&row.identity_method)
        .bind(&row.identity_checked_on)
        .bind(&row.answered_on)
        .bind(&row.detail)
        .bind(row.version)
        .bind(&row.updated_by)
        .bind(row.updated_at)
        .bind(&row.id)
        .bind($expected)
        .execute(&mut *$tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StorageError::Conflict("the request was changed by someone else since it was loaded".into()));
        }
    }};
}

const REQUEST_COLUMNS: &str = "id, jurisdiction, kind, case_id, received_on, extended, due_on, status, \
     identity_checked_by, identity_method, identity_checked_on, answered_on, detail, version, created_by, \
     created_at, updated_by, updated_at";

/// A data subject's request (`detail`: encrypted JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubjectRequestRow {
    pub id: String,
    pub jurisdiction: String,
    pub kind: String,
    pub case_id: String,
    pub received_on: String,
    pub extended: bool,
    pub due_on: String,
    pub status: String,
    pub identity_checked_by: Option<String>,
    pub identity_method: Option<String>,
    pub identity_checked_on: Option<String>,
    pub answered_on: Option<String>,
    pub detail: Vec<u8>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A restriction of a case's processing, while it holds (`reason` encrypted).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRestrictionRow {
    pub case_id: String,
    pub request_id: String,
    pub reason: Vec<u8>,
    pub restricted_by: String,
    pub restricted_at: i64,
}

/// A field's value before a rectification (`old_value` and `reason` encrypted).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RectificationRow {
    pub id: String,
    pub case_id: String,
    pub field: String,
    pub old_value: Vec<u8>,
    pub reason: Vec<u8>,
    pub request_id: Option<String>,
    pub rectified_by: String,
    pub rectified_at: i64,
}

impl Store {
    /// Records a request.
    pub async fn add_subject_request(&self, row: &SubjectRequestRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO subject_requests (id, jurisdiction, kind, case_id, received_on, extended, due_on, status, \
                 identity_checked_by, identity_method, identity_checked_on, answered_on, detail, version, created_by, \
                 created_at, updated_by, updated_at) \
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)",
            )
            .bind(&row.id)
            .bind(&row.jurisdiction)
            .bind(&row.kind)
            .bind(&row.case_id)
            .bind(&row.received_on)
            .bind(row.extended)
            .bind(&row.due_on)
            .bind(&row.status)
            .bind(&row.identity_checked_by)
            .bind(&row.identity_method)
            .bind(&row.identity_checked_on)
            .bind(&row.answered_on)
            .bind(&row.detail)
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

    /// Replaces a request's changing columns if it is still at `expected_version`; the row
    /// carries the next version. Another change first: [`StorageError::Conflict`], nothing written.
    pub async fn update_subject_request(
        &self,
        row: &SubjectRequestRow,
        expected_version: i64,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            update_request!(tx, row, expected_version);
        });
        Ok(())
    }

    /// The requests of a jurisdiction, oldest receipt first.
    pub async fn subject_requests(&self, jurisdiction: &str) -> Result<Vec<SubjectRequestRow>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM subject_requests WHERE jurisdiction = $1 ORDER BY received_on, created_at, id"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?))
    }

    /// One request.
    pub async fn subject_request(&self, id: &str) -> Result<Option<SubjectRequestRow>> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM subject_requests WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Restricts a case and updates its request (answered), in one transaction. A case already
    /// restricted is [`StorageError::Conflict`].
    pub async fn restrict_case(
        &self,
        restriction: &CaseRestrictionRow,
        request: &SubjectRequestRow,
        expected_version: i64,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_restrictions WHERE case_id = $1")
                .bind(&restriction.case_id)
                .fetch_one(&mut *tx)
                .await?;
            if held > 0 {
                return Err(StorageError::Conflict("the case is restricted already".into()));
            }
            sqlx::query(
                "INSERT INTO case_restrictions (case_id, request_id, reason, restricted_by, restricted_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&restriction.case_id)
            .bind(&restriction.request_id)
            .bind(&restriction.reason)
            .bind(&restriction.restricted_by)
            .bind(restriction.restricted_at)
            .execute(&mut *tx)
            .await?;
            update_request!(tx, request, expected_version);
        });
        Ok(())
    }

    /// Lifts a case's restriction. A case not restricted is [`StorageError::NotFound`].
    pub async fn lift_restriction(&self, case_id: &str, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let done =
                sqlx::query("DELETE FROM case_restrictions WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::NotFound);
            }
        });
        Ok(())
    }

    /// The restriction of a case, while it holds.
    pub async fn case_restriction(&self, case_id: &str) -> Result<Option<CaseRestrictionRow>> {
        let sql = "SELECT case_id, request_id, reason, restricted_by, restricted_at FROM case_restrictions \
                   WHERE case_id = $1";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(case_id).fetch_optional(pool).await?))
    }

    /// The id of the case with this reference, if any.
    pub async fn case_id_by_reference(&self, reference: &str) -> Result<Option<String>> {
        let sql = "SELECT id FROM cases WHERE reference = $1";
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql).bind(reference).fetch_optional(pool).await?))
    }

    /// The cases restricted now (ids, sorted).
    pub async fn restricted_case_ids(&self) -> Result<Vec<String>> {
        let sql = "SELECT case_id FROM case_restrictions ORDER BY case_id";
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql).fetch_all(pool).await?))
    }

    /// Rectifies a registration: the new record, person and identifiers (as
    /// [`Store::update_registration`] writes them, if the registration is still at
    /// `expected_version`) and the old value in the rectification history, in one transaction.
    pub async fn rectify_registration(
        &self,
        person: &PersonRow,
        reg: &RegistrationRow,
        expected_version: i64,
        identifiers: &Identifiers,
        rectification: &RectificationRow,
        audit: &AuditEvent,
    ) -> Result<()> {
        if person.case_id != reg.case_id || rectification.case_id != reg.case_id {
            return Err(StorageError::Conflict("the rows must belong to the same case".into()));
        }
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(
                "UPDATE registrations SET version = $1, record = $2, sex = $3, age_group = $4, child_status = $5, \
                 citizenships = $6, updated_at = $7, updated_by = $8 WHERE case_id = $9 AND version = $10",
            )
            .bind(
                expected_version
                    .checked_add(1)
                    .ok_or_else(|| StorageError::Conflict("the version cannot be counted further".into()))?,
            )
            .bind(&reg.record)
            .bind(&reg.sex)
            .bind(&reg.age_group)
            .bind(&reg.child_status)
            .bind(&reg.citizenships)
            .bind(reg.updated_at)
            .bind(&reg.updated_by)
            .bind(&reg.case_id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict(
                    "the registration was changed by someone else since it was loaded; reload it".into(),
                ));
            }
            put_person!(tx, person);
            put_identifiers!(tx, &reg.case_id, identifiers);
            sqlx::query(
                "INSERT INTO rectifications (id, case_id, field, old_value, reason, request_id, rectified_by, \
                 rectified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&rectification.id)
            .bind(&rectification.case_id)
            .bind(&rectification.field)
            .bind(&rectification.old_value)
            .bind(&rectification.reason)
            .bind(&rectification.request_id)
            .bind(&rectification.rectified_by)
            .bind(rectification.rectified_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The rectification history of a case, oldest first.
    pub async fn rectifications(&self, case_id: &str) -> Result<Vec<RectificationRow>> {
        let sql = "SELECT id, case_id, field, old_value, reason, request_id, rectified_by, rectified_at \
                   FROM rectifications WHERE case_id = $1 ORDER BY rectified_at, id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(case_id).fetch_all(pool).await?))
    }
}
