//! GRETA's evaluation rounds of a country, their recommendations and the authorities'
//! follow-up (CETS 197 Art 38; docs/monitoring.md). Records arrive as JSON bodies with the
//! columns they are looked up by; every write is one transaction with its audit entry.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// An evaluation round (`body`: the round as JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GretaRoundRow {
    pub id: String,
    pub country: String,
    pub round: i64,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
}

/// A recommendation (`body`: the recommendation as JSON) or a follow-up (`parent_id`: the
/// recommendation's id).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GretaItemRow {
    pub id: String,
    /// The round of a recommendation, the recommendation of a follow-up.
    pub parent_id: String,
    pub country: String,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
}

impl Store {
    /// Records a round. A second round of the same number for the country is
    /// [`StorageError::Conflict`] (by the unique index); nothing is written.
    pub async fn add_greta_round(&self, row: &GretaRoundRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO greta_rounds (id, country, round, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&row.id)
            .bind(&row.country)
            .bind(row.round)
            .bind(&row.body)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The rounds of `countries` (all when `None`), by country and round.
    pub async fn greta_rounds(&self, countries: Option<&[String]>) -> Result<Vec<GretaRoundRow>> {
        let sql = "SELECT id, country, round, body, created_by, created_at FROM greta_rounds ORDER BY country, round";
        let rows: Vec<GretaRoundRow> = on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(match countries {
            Some(cs) => rows.into_iter().filter(|r| cs.contains(&r.country)).collect(),
            None => rows,
        })
    }

    /// A round.
    pub async fn greta_round(&self, id: &str) -> Result<Option<GretaRoundRow>> {
        let sql = "SELECT id, country, round, body, created_by, created_at FROM greta_rounds WHERE id = $1";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Records a recommendation of a round ([`StorageError::NotFound`] when the round is not
    /// there; nothing is written).
    pub async fn add_greta_recommendation(&self, row: &GretaItemRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let round: Option<String> = sqlx::query_scalar("SELECT country FROM greta_rounds WHERE id = $1")
                .bind(&row.parent_id)
                .fetch_optional(&mut *tx)
                .await?;
            if round.as_deref() != Some(row.country.as_str()) {
                return Err(StorageError::NotFound);
            }
            sqlx::query(
                "INSERT INTO greta_recommendations (id, round_id, country, body, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&row.id)
            .bind(&row.parent_id)
            .bind(&row.country)
            .bind(&row.body)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The recommendations of `countries` (all when `None`), in the order recorded.
    pub async fn greta_recommendations(&self, countries: Option<&[String]>) -> Result<Vec<GretaItemRow>> {
        let sql = "SELECT id, round_id AS parent_id, country, body, created_by, created_at FROM greta_recommendations \
                   ORDER BY created_at, id";
        let rows: Vec<GretaItemRow> = on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(match countries {
            Some(cs) => rows.into_iter().filter(|r| cs.contains(&r.country)).collect(),
            None => rows,
        })
    }

    /// Records a follow-up of a recommendation ([`StorageError::NotFound`] when the
    /// recommendation is not there; nothing is written).
    pub async fn add_greta_follow_up(&self, row: &GretaItemRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let recommendation: Option<String> =
                sqlx::query_scalar("SELECT country FROM greta_recommendations WHERE id = $1")
                    .bind(&row.parent_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if recommendation.as_deref() != Some(row.country.as_str()) {
                return Err(StorageError::NotFound);
            }
            sqlx::query(
                "INSERT INTO greta_follow_ups (id, recommendation_id, country, body, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&row.id)
            .bind(&row.parent_id)
            .bind(&row.country)
            .bind(&row.body)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The follow-ups of `countries` (all when `None`), in the order recorded.
    pub async fn greta_follow_ups(&self, countries: Option<&[String]>) -> Result<Vec<GretaItemRow>> {
        let sql = "SELECT id, recommendation_id AS parent_id, country, body, created_by, created_at \
                   FROM greta_follow_ups ORDER BY created_at, id";
        let rows: Vec<GretaItemRow> = on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(match countries {
            Some(cs) => rows.into_iter().filter(|r| cs.contains(&r.country)).collect(),
            None => rows,
        })
    }
}
