//! Monitoring records of one shape (migrations 0032 and 0033, docs/monitoring.md): networks, their
//! meetings, and prevention records, each a JSON `body` beside the columns it is looked up by
//! (`parent_id`: what it belongs to; `jurisdiction`: whose it is), with the version a change is
//! made on (`updated_at`). And the contacts of a network, whose name and e-mail arrive encrypted.
//! Every write is one transaction with its audit entry.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// The tables of [`MonitoringRecordRow`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordTable {
    /// `parent_id`: the network's kind.
    Networks,
    /// `parent_id`: the network's id.
    NetworkMeetings,
    /// `parent_id`: the record's kind.
    PreventionRecords,
}

impl RecordTable {
    fn name(self) -> &'static str {
        match self {
            RecordTable::Networks => "networks",
            RecordTable::NetworkMeetings => "network_meetings",
            RecordTable::PreventionRecords => "prevention_records",
        }
    }
}

/// A monitoring record (`body`: the record as JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MonitoringRecordRow {
    pub id: String,
    pub parent_id: String,
    pub jurisdiction: String,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A network's contact person; `name` and `email` encrypted by the caller.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NetworkContactRow {
    pub id: String,
    pub network_id: String,
    pub jurisdiction: String,
    pub name: Vec<u8>,
    pub email: Vec<u8>,
    pub organisation: String,
    pub purpose: String,
    /// The last day it is kept (`YYYY-MM-DD`).
    pub retain_until: String,
    pub created_by: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, parent_id, jurisdiction, body, created_by, created_at, updated_at";
const CONTACT_COLUMNS: &str =
    "id, network_id, jurisdiction, name, email, organisation, purpose, retain_until, created_by, created_at";

impl Store {
    /// Records a monitoring record in `table`.
    pub async fn add_monitoring_record(
        &self,
        table: RecordTable,
        row: &MonitoringRecordRow,
        audit: &AuditEvent,
    ) -> Result<()> {
        let sql = format!("INSERT INTO {} ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)", table.name());
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&row.id)
                .bind(&row.parent_id)
                .bind(&row.jurisdiction)
                .bind(&row.body)
                .bind(&row.created_by)
                .bind(row.created_at)
                .bind(row.updated_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The records of `table` (those of `parent_id` only, when given), in the order recorded.
    pub async fn monitoring_records(
        &self,
        table: RecordTable,
        parent_id: Option<&str>,
    ) -> Result<Vec<MonitoringRecordRow>> {
        let name = table.name();
        let rows: Vec<MonitoringRecordRow> = match parent_id {
            Some(parent) => {
                let sql = format!("SELECT {COLUMNS} FROM {name} WHERE parent_id = $1 ORDER BY created_at, id");
                on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(parent)
                    .fetch_all(pool)
                    .await?)
            }
            None => {
                let sql = format!("SELECT {COLUMNS} FROM {name} ORDER BY created_at, id");
                on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(pool).await?)
            }
        };
        Ok(rows)
    }

    /// One record of `table`.
    pub async fn monitoring_record(&self, table: RecordTable, id: &str) -> Result<Option<MonitoringRecordRow>> {
        let sql = format!("SELECT {COLUMNS} FROM {} WHERE id = $1", table.name());
        Ok(on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Replaces a record's body, made on the version `expected_updated_at`: if the record changed
    /// meanwhile or is gone, [`StorageError::Conflict`] and nothing is written, the audit entry
    /// neither.
    pub async fn replace_monitoring_record(
        &self,
        table: RecordTable,
        row: &MonitoringRecordRow,
        expected_updated_at: i64,
        audit: &AuditEvent,
    ) -> Result<()> {
        let sql = format!("UPDATE {} SET body = $1, updated_at = $2 WHERE id = $3 AND updated_at = $4", table.name());
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&row.body)
                .bind(row.updated_at)
                .bind(&row.id)
                .bind(expected_updated_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done != 1 {
                return Err(StorageError::Conflict("the record changed meanwhile".into()));
            }
        });
        Ok(())
    }

    /// Records a network's contact person.
    pub async fn add_network_contact(&self, row: &NetworkContactRow, audit: &AuditEvent) -> Result<()> {
        let sql = format!("INSERT INTO network_contacts ({CONTACT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)");
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&row.id)
                .bind(&row.network_id)
                .bind(&row.jurisdiction)
                .bind(&row.name)
                .bind(&row.email)
                .bind(&row.organisation)
                .bind(&row.purpose)
                .bind(&row.retain_until)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The contacts of a network (all of them, when `None`), past their retention or not, in the
    /// order recorded.
    pub async fn network_contacts(&self, network_id: Option<&str>) -> Result<Vec<NetworkContactRow>> {
        let rows: Vec<NetworkContactRow> = match network_id {
            Some(network) => {
                let sql = format!(
                    "SELECT {CONTACT_COLUMNS} FROM network_contacts WHERE network_id = $1 ORDER BY created_at, id"
                );
                on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(network)
                    .fetch_all(pool)
                    .await?)
            }
            None => {
                let sql = format!("SELECT {CONTACT_COLUMNS} FROM network_contacts ORDER BY created_at, id");
                on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(pool).await?)
            }
        };
        Ok(rows)
    }

    /// Deletes the contacts `ids` in one transaction with its audit entry; how many were deleted.
    pub async fn delete_network_contacts(&self, ids: &[String], audit: &AuditEvent) -> Result<u64> {
        let deleted = audited_tx!(self, audit, |tx| {
            let mut deleted = 0;
            for id in ids {
                deleted += sqlx::query("DELETE FROM network_contacts WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            deleted
        });
        Ok(deleted)
    }
}
