//! Victims in criminal proceedings: protection measures and information given per linked victim,
//! and training records. Ciphertext arrives and leaves as bytes; every write is one transaction
//! with its audit entry. Records are kept, never changed.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A protection measure of a victim linked to an investigation (reasons: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProtectionMeasureRow {
    pub id: String,
    pub investigation_id: String,
    pub case_id: String,
    pub measure: String,
    /// `applied`, `not_applicable` or `refused_by_victim`.
    pub status: String,
    pub recorded_on: String,
    pub reasons: Option<Vec<u8>>,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// A piece of information given to a linked victim (given_by and note: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VictimInformationRow {
    pub id: String,
    pub investigation_id: String,
    pub case_id: String,
    pub kind: String,
    pub channel: String,
    pub language: String,
    pub given_by: Vec<u8>,
    pub given_on: String,
    pub note: Option<Vec<u8>>,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// A training (body: the training as JSON; counts, no person).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TrainingRow {
    pub id: String,
    pub jurisdiction: String,
    pub organisation_id: String,
    pub starts_on: String,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
}

const MEASURE_COLUMNS: &str =
    "id, investigation_id, case_id, measure, status, recorded_on, reasons, recorded_by, recorded_at";
const INFORMATION_COLUMNS: &str = "id, investigation_id, case_id, kind, channel, language, given_by, given_on, \
                                   note, recorded_by, recorded_at";
const TRAINING_COLUMNS: &str = "id, jurisdiction, organisation_id, starts_on, body, created_by, created_at";

fn insert_sql(table: &str, columns: &str) -> sqlx::AssertSqlSafe<String> {
    let n = columns.split(',').count();
    let marks = (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    sqlx::AssertSqlSafe(format!("INSERT INTO {table} ({columns}) VALUES ({marks})"))
}

impl Store {
    /// Records a protection measure of a linked victim (refused if the case is not linked).
    pub async fn add_protection_measure(&self, row: &ProtectionMeasureRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("protection_measures", MEASURE_COLUMNS))
                .bind(&row.id)
                .bind(&row.investigation_id)
                .bind(&row.case_id)
                .bind(&row.measure)
                .bind(&row.status)
                .bind(&row.recorded_on)
                .bind(&row.reasons)
                .bind(&row.recorded_by)
                .bind(row.recorded_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The measures of an investigation's victims, in the order they were recorded.
    pub async fn protection_measures(&self, investigation_id: &str) -> Result<Vec<ProtectionMeasureRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {MEASURE_COLUMNS} FROM protection_measures WHERE investigation_id = $1 \
             ORDER BY recorded_on, recorded_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Logs information given to a linked victim (refused if the case is not linked).
    pub async fn add_victim_information(&self, row: &VictimInformationRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("victim_information", INFORMATION_COLUMNS))
                .bind(&row.id)
                .bind(&row.investigation_id)
                .bind(&row.case_id)
                .bind(&row.kind)
                .bind(&row.channel)
                .bind(&row.language)
                .bind(&row.given_by)
                .bind(&row.given_on)
                .bind(&row.note)
                .bind(&row.recorded_by)
                .bind(row.recorded_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The information given to an investigation's victims, by the day it was given.
    pub async fn victim_information(&self, investigation_id: &str) -> Result<Vec<VictimInformationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {INFORMATION_COLUMNS} FROM victim_information WHERE investigation_id = $1 \
             ORDER BY given_on, recorded_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Records a training.
    pub async fn add_training(&self, row: &TrainingRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("trainings", TRAINING_COLUMNS))
                .bind(&row.id)
                .bind(&row.jurisdiction)
                .bind(&row.organisation_id)
                .bind(&row.starts_on)
                .bind(&row.body)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The trainings of a jurisdiction, by their first day.
    pub async fn trainings(&self, jurisdiction: &str) -> Result<Vec<TrainingRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {TRAINING_COLUMNS} FROM trainings WHERE jurisdiction = $1 ORDER BY starts_on, created_at, id"
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).fetch_all(pool).await?))
    }
}
