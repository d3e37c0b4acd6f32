//! Strategies and action plans (docs/monitoring.md): the recorded strategies and their actions,
//! and the progress of any action, the shipped EU Strategy's included. Records arrive as JSON
//! bodies with the columns they are looked up by; every write is one transaction with its audit
//! entry.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A recorded strategy or action plan (`body`: the strategy as JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StrategyRow {
    pub id: String,
    pub jurisdiction: String,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
}

/// An action of a recorded strategy (`body`: the action as JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StrategyActionRow {
    pub strategy_id: String,
    pub number: String,
    pub body: String,
    pub created_by: String,
    pub created_at: i64,
}

/// The latest progress of an action (`body`: status, note and evidence as JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActionProgressRow {
    pub strategy_id: String,
    pub number: String,
    pub jurisdiction: String,
    pub body: String,
    pub updated_by: String,
    pub updated_at: i64,
}

impl Store {
    /// Records a strategy or plan.
    pub async fn add_strategy(&self, row: &StrategyRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO strategies (id, jurisdiction, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&row.id)
            .bind(&row.jurisdiction)
            .bind(&row.body)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The recorded strategies, of `jurisdictions` (all when `None`), in the order recorded.
    pub async fn strategies(&self, jurisdictions: Option<&[String]>) -> Result<Vec<StrategyRow>> {
        let sql = "SELECT id, jurisdiction, body, created_by, created_at FROM strategies ORDER BY created_at, id";
        let rows: Vec<StrategyRow> = on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(match jurisdictions {
            Some(js) => rows.into_iter().filter(|r| js.contains(&r.jurisdiction)).collect(),
            None => rows,
        })
    }

    /// A recorded strategy.
    pub async fn strategy(&self, id: &str) -> Result<Option<StrategyRow>> {
        let sql = "SELECT id, jurisdiction, body, created_by, created_at FROM strategies WHERE id = $1";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Records an action of a recorded strategy. An action number the strategy has already is
    /// [`StorageError::Conflict`]; nothing is written, the audit entry neither.
    pub async fn add_strategy_action(&self, row: &StrategyActionRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let taken: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM strategy_actions WHERE strategy_id = $1 AND number = $2")
                    .bind(&row.strategy_id)
                    .bind(&row.number)
                    .fetch_one(&mut *tx)
                    .await?;
            if taken > 0 {
                return Err(StorageError::Conflict(format!("action {} exists", row.number)));
            }
            sqlx::query(
                "INSERT INTO strategy_actions (strategy_id, number, body, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&row.strategy_id)
            .bind(&row.number)
            .bind(&row.body)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The actions of a recorded strategy, in the order recorded.
    pub async fn strategy_actions(&self, strategy_id: &str) -> Result<Vec<StrategyActionRow>> {
        let sql = "SELECT strategy_id, number, body, created_by, created_at FROM strategy_actions \
                   WHERE strategy_id = $1 ORDER BY created_at, number";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(strategy_id).fetch_all(pool).await?))
    }

    /// Sets an action's progress (replacing what was recorded), in one transaction with its
    /// audit entry. `expected_updated_at` is the progress the change was made on (`None`: none
    /// yet); if another change came first, [`StorageError::Conflict`] and nothing is written.
    pub async fn set_action_progress(
        &self,
        row: &ActionProgressRow,
        expected_updated_at: Option<i64>,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT updated_at FROM strategy_action_progress WHERE strategy_id = $1 AND number = $2",
            )
            .bind(&row.strategy_id)
            .bind(&row.number)
            .fetch_optional(&mut *tx)
            .await?;
            if current != expected_updated_at {
                return Err(StorageError::Conflict("the action's progress changed meanwhile".into()));
            }
            sqlx::query("DELETE FROM strategy_action_progress WHERE strategy_id = $1 AND number = $2")
                .bind(&row.strategy_id)
                .bind(&row.number)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO strategy_action_progress (strategy_id, number, jurisdiction, body, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&row.strategy_id)
            .bind(&row.number)
            .bind(&row.jurisdiction)
            .bind(&row.body)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The progress recorded for the actions of a strategy.
    pub async fn action_progress(&self, strategy_id: &str) -> Result<Vec<ActionProgressRow>> {
        let sql = "SELECT strategy_id, number, jurisdiction, body, updated_by, updated_at FROM strategy_action_progress \
                   WHERE strategy_id = $1 ORDER BY number";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(strategy_id).fetch_all(pool).await?))
    }
}
