//! What the trafficker statistics read of the proceedings: every investigation, suspect and
//! record (charge, decision, judgment, appeal) of one country, for the national tables counted
//! in the country itself. Ciphertext leaves as bytes, as everywhere.

use crate::{InvestigationRow, ProceedingsRecordRow, Result, Store, SuspectRow};

/// A measure on an asset with the asset's value, as the statistics' amounts read it (plain
/// columns only: euro cents, kind, date).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssetMeasureFactRow {
    pub investigation_id: String,
    pub asset_id: String,
    pub kind: String,
    pub measure_on: String,
    pub amount_euro_cents: Option<i64>,
    pub value_euro_cents: i64,
}

const INVESTIGATION_COLUMNS: &[&str] = &[
    "id",
    "jurisdiction",
    "unit_organisation_id",
    "prosecutor_organisation_id",
    "opened_on",
    "opening",
    "status",
    "status_since",
    "record",
    "version",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
];
const SUSPECT_COLUMNS: &[&str] = &[
    "id",
    "investigation_id",
    "kind",
    "name",
    "case_id",
    "roles",
    "criminal_organisation",
    "public_official",
    "citizenship",
    "sex",
    "age_group",
    "liability",
    "created_by",
    "created_at",
];
const RECORD_COLUMNS: &[&str] =
    &["id", "investigation_id", "suspect_id", "kind", "body", "recorded_on", "created_by", "created_at"];

/// `t.a, t.b, …`.
fn prefixed(table: &str, columns: &[&str]) -> String {
    columns.iter().map(|c| format!("{table}.{c}")).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// The investigations of `jurisdiction`, oldest first.
    pub async fn investigations_in(&self, jurisdiction: &str) -> Result<Vec<InvestigationRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM investigations i WHERE i.jurisdiction = $1 ORDER BY i.opened_on, i.id",
            prefixed("i", INVESTIGATION_COLUMNS)
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).fetch_all(pool).await?))
    }

    /// The suspects of every investigation of `jurisdiction`.
    pub async fn suspects_in(&self, jurisdiction: &str) -> Result<Vec<SuspectRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM suspects s JOIN investigations i ON i.id = s.investigation_id \
             WHERE i.jurisdiction = $1 ORDER BY s.created_at, s.id",
            prefixed("s", SUSPECT_COLUMNS)
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).fetch_all(pool).await?))
    }

    /// The charges, decisions, judgments and appeals of every investigation of `jurisdiction`.
    pub async fn proceedings_records_in(&self, jurisdiction: &str) -> Result<Vec<ProceedingsRecordRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM proceedings_records r JOIN investigations i ON i.id = r.investigation_id \
             WHERE i.jurisdiction = $1 ORDER BY r.recorded_on, r.created_at, r.id",
            prefixed("r", RECORD_COLUMNS)
        ));
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).fetch_all(pool).await?))
    }

    /// Every measure on an asset in the investigations of `jurisdiction`, with the asset's value.
    pub async fn asset_measure_facts_in(&self, jurisdiction: &str) -> Result<Vec<AssetMeasureFactRow>> {
        let sql = "SELECT m.investigation_id, m.asset_id, m.kind, m.measure_on, m.amount_euro_cents, \
                   a.value_euro_cents FROM asset_measures m JOIN assets a ON a.id = m.asset_id \
                   JOIN investigations i ON i.id = m.investigation_id WHERE i.jurisdiction = $1 \
                   ORDER BY m.measure_on, m.id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(jurisdiction).fetch_all(pool).await?))
    }
}
