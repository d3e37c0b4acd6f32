//! The transposition tracker's records (docs/monitoring.md): national measures notified, the
//! Commission's assessments and infringement steps, each kept as JSON beside the columns it is
//! looked up by. Every write is one transaction with its audit entry; records are kept, never
//! changed.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A record of the tracker (body: the domain record as JSON; no person in it).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TranspositionRecordRow {
    pub id: String,
    /// `measure`, `assessment` or `infringement_step`.
    pub kind: String,
    /// The Member State the record is about.
    pub country: String,
    /// Whose record it is: the state, or `EU`.
    pub jurisdiction: String,
    pub instrument: String,
    /// The day it was notified, assessed or decided.
    pub day: String,
    pub body: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

const COLUMNS: &str = "id, kind, country, jurisdiction, instrument, day, body, recorded_by, recorded_at";

fn insert_sql() -> sqlx::AssertSqlSafe<String> {
    let marks = (1..=COLUMNS.split(',').count()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    sqlx::AssertSqlSafe(format!("INSERT INTO transposition_records ({COLUMNS}) VALUES ({marks})"))
}

impl Store {
    /// Records the tracker's rows, all or none, with one audit entry.
    pub async fn add_transposition_records(&self, rows: &[TranspositionRecordRow], audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            for row in rows {
                sqlx::query(insert_sql())
                    .bind(&row.id)
                    .bind(&row.kind)
                    .bind(&row.country)
                    .bind(&row.jurisdiction)
                    .bind(&row.instrument)
                    .bind(&row.day)
                    .bind(&row.body)
                    .bind(&row.recorded_by)
                    .bind(row.recorded_at)
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    /// The tracker's records about `country` (all countries' with `None`), by day.
    pub async fn transposition_records(&self, country: Option<&str>) -> Result<Vec<TranspositionRecordRow>> {
        let order = "ORDER BY day, recorded_at, id";
        match country {
            Some(country) => {
                let sql = sqlx::AssertSqlSafe(format!(
                    "SELECT {COLUMNS} FROM transposition_records WHERE country = $1 {order}"
                ));
                Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(country).fetch_all(pool).await?))
            }
            None => {
                let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM transposition_records {order}"));
                Ok(on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
            }
        }
    }

    /// How many records the tracker holds (the demonstration loads them once).
    pub async fn count_transposition_records(&self) -> Result<i64> {
        let sql = sqlx::AssertSqlSafe("SELECT COUNT(*) FROM transposition_records".to_owned());
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?))
    }
}
