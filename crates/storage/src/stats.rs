//! Statistics: releases, privacy budgets and the EU hub's submissions.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A release as stored (JSON columns are the application's serialisations).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReleaseRow {
    pub id: String,
    pub jurisdiction: String,
    pub year: i64,
    pub mode: String,
    pub params: String,
    pub dataset: String,
    pub report: String,
    pub epsilon_micro: Option<i64>,
    pub delta_pico: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

/// The privacy budget of a dataset and what has been spent of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct BudgetRow {
    pub epsilon_budget_micro: i64,
    pub delta_budget_pico: i64,
    pub epsilon_spent_micro: i64,
    pub delta_spent_pico: i64,
}

/// What a differentially private release costs, and the budget to create when the dataset has
/// none yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    pub epsilon_micro: i64,
    pub delta_pico: i64,
    pub default_epsilon_budget_micro: i64,
    pub default_delta_budget_pico: i64,
}

/// What a release was decided against: how many releases of its jurisdiction and year there
/// were, and the budget to create when the year has none yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleasesBefore {
    pub releases: i64,
    pub default_epsilon_budget_micro: i64,
    pub default_delta_budget_pico: i64,
}

/// A member state's submission as received by the EU level.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: String,
    pub country: String,
    pub year: i64,
    pub format: String,
    pub dataset: String,
    pub observations: i64,
    /// The user who submitted it; `None` for a submission received over the exchange channel
    /// (its signed original is in `exchange_statistics_received`).
    pub submitted_by: Option<String>,
    pub organisation_id: Option<String>,
    pub submitted_at: i64,
}

/// What the statistics need of a referred registration besides its coded columns: the kind of
/// the organisation that registered it and how many support services its plan holds.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatFactsRow {
    pub case_id: String,
    pub org_kind: String,
    pub plan_items: i64,
}

const RELEASE_COLUMNS: &str = "id, jurisdiction, year, mode, params, dataset, report, epsilon_micro, delta_pico, \
                               created_by, created_at";
const SUBMISSION_COLUMNS: &str =
    "id, country, year, format, dataset, observations, submitted_by, organisation_id, submitted_at";

impl Store {
    /// For every referred registration of a jurisdiction: the registering organisation's kind
    /// (of the user who created the case) and the number of support services in its plan.
    pub async fn stat_facts(&self, jurisdiction: &str) -> Result<Vec<StatFactsRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, StatFactsRow>(
                "SELECT r.case_id, o.kind AS org_kind, \
                 (SELECT COUNT(*) FROM plan_items p WHERE p.case_id = r.case_id) AS plan_items \
                 FROM registrations r JOIN cases c ON c.id = r.case_id JOIN users u ON u.id = c.created_by \
                 JOIN organisations o ON o.id = u.organisation_id \
                 WHERE c.jurisdiction = $1 AND r.state = 'submitted' ORDER BY r.case_id",
            )
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Every residence-permit decision recorded on the cases of a jurisdiction (bodies are
    /// ciphertext: the application reads whether each was granted).
    pub async fn permit_decisions_in(&self, jurisdiction: &str) -> Result<Vec<crate::CaseRecordRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, crate::CaseRecordRow>(
                "SELECT cr.id, cr.case_id, cr.kind, cr.compartment, cr.body, cr.created_by, cr.created_at \
                 FROM case_records cr JOIN cases c ON c.id = cr.case_id \
                 WHERE c.jurisdiction = $1 AND cr.kind = 'permit_decision' ORDER BY cr.case_id, cr.created_at",
            )
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Stores a release. With a charge, the dataset's privacy budget is created if missing and
    /// the cost is taken from it by one conditional update in the same transaction: when the
    /// budget cannot cover it nothing is written and [`StorageError::BudgetExceeded`] is returned,
    /// so two concurrent releases can never spend more than the budget together.
    pub async fn add_release(&self, row: &ReleaseRow, charge: Option<Charge>, audit: &AuditEvent) -> Result<()> {
        self.add_release_checked(row, charge, None, audit).await
    }

    /// [`Store::add_release`] provided the jurisdiction still has `before.releases` releases of
    /// the year: a release decided against the releases already published (audited jointly with
    /// them, or refused beside one of the other mode) is never stored beside one published in the
    /// meantime ([`StorageError::Conflict`]). Writers of a year are serialised on its budget row,
    /// created with `before`'s default budget if the year has none.
    pub async fn add_release_after(
        &self,
        row: &ReleaseRow,
        charge: Option<Charge>,
        before: ReleasesBefore,
        audit: &AuditEvent,
    ) -> Result<()> {
        self.add_release_checked(row, charge, Some(before), audit).await
    }

    async fn add_release_checked(
        &self,
        row: &ReleaseRow,
        charge: Option<Charge>,
        before: Option<ReleasesBefore>,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            if let Some(b) = before {
                sqlx::query(
                    "INSERT INTO privacy_budgets (jurisdiction, year, epsilon_budget_micro, delta_budget_pico) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (jurisdiction, year) DO NOTHING",
                )
                .bind(&row.jurisdiction)
                .bind(row.year)
                .bind(b.default_epsilon_budget_micro)
                .bind(b.default_delta_budget_pico)
                .execute(&mut *tx)
                .await?;
                // takes the year's row lock: a concurrent writer waits here until this one ends
                sqlx::query(
                    "UPDATE privacy_budgets SET epsilon_spent_micro = epsilon_spent_micro \
                     WHERE jurisdiction = $1 AND year = $2",
                )
                .bind(&row.jurisdiction)
                .bind(row.year)
                .execute(&mut *tx)
                .await?;
                let n: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM stat_releases WHERE jurisdiction = $1 AND year = $2")
                        .bind(&row.jurisdiction)
                        .bind(row.year)
                        .fetch_one(&mut *tx)
                        .await?;
                if n != b.releases {
                    return Err(StorageError::Conflict(format!(
                        "another release of {} was published while this one was made; make it again",
                        row.year
                    )));
                }
            }
            if let Some(c) = charge {
                sqlx::query(
                    "INSERT INTO privacy_budgets (jurisdiction, year, epsilon_budget_micro, delta_budget_pico) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (jurisdiction, year) DO NOTHING",
                )
                .bind(&row.jurisdiction)
                .bind(row.year)
                .bind(c.default_epsilon_budget_micro)
                .bind(c.default_delta_budget_pico)
                .execute(&mut *tx)
                .await?;
                let done = sqlx::query(
                    "UPDATE privacy_budgets SET epsilon_spent_micro = epsilon_spent_micro + $3, \
                     delta_spent_pico = delta_spent_pico + $4 WHERE jurisdiction = $1 AND year = $2 \
                     AND epsilon_spent_micro + $3 <= epsilon_budget_micro AND delta_spent_pico + $4 <= delta_budget_pico",
                )
                .bind(&row.jurisdiction)
                .bind(row.year)
                .bind(c.epsilon_micro)
                .bind(c.delta_pico)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StorageError::BudgetExceeded);
                }
            }
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO stat_releases ({RELEASE_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"
            )))
            .bind(&row.id)
            .bind(&row.jurisdiction)
            .bind(row.year)
            .bind(&row.mode)
            .bind(&row.params)
            .bind(&row.dataset)
            .bind(&row.report)
            .bind(row.epsilon_micro)
            .bind(row.delta_pico)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The releases of a jurisdiction (one year, or all), newest first.
    pub async fn releases_in(&self, jurisdiction: &str, year: Option<i64>) -> Result<Vec<ReleaseRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, ReleaseRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {RELEASE_COLUMNS} FROM stat_releases WHERE jurisdiction = $1 AND ($2 IS NULL OR year = $2) \
                 ORDER BY created_at DESC, id DESC"
            )))
            .bind(jurisdiction)
            .bind(year)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    pub async fn release(&self, id: &str) -> Result<Option<ReleaseRow>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, ReleaseRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {RELEASE_COLUMNS} FROM stat_releases WHERE id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// The privacy budget of a dataset, if a differentially private release has created it.
    pub async fn privacy_budget(&self, jurisdiction: &str, year: i64) -> Result<Option<BudgetRow>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, BudgetRow>(
                "SELECT epsilon_budget_micro, delta_budget_pico, epsilon_spent_micro, delta_spent_pico \
                 FROM privacy_budgets WHERE jurisdiction = $1 AND year = $2",
            )
            .bind(jurisdiction)
            .bind(year)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// Stores a validated submission (a later one for the same country and year supersedes it).
    pub async fn add_submission(&self, row: &SubmissionRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO hub_submissions ({SUBMISSION_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
            )))
            .bind(&row.id)
            .bind(&row.country)
            .bind(row.year)
            .bind(&row.format)
            .bind(&row.dataset)
            .bind(row.observations)
            .bind(&row.submitted_by)
            .bind(&row.organisation_id)
            .bind(row.submitted_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Every submission for a reference year, oldest first.
    pub async fn submissions_for(&self, year: i64) -> Result<Vec<SubmissionRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, SubmissionRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {SUBMISSION_COLUMNS} FROM hub_submissions WHERE year = $1 ORDER BY submitted_at, id"
            )))
            .bind(year)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// The years for which the hub holds submissions, newest first.
    pub async fn submission_years(&self) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT DISTINCT year FROM hub_submissions ORDER BY year DESC").fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(y,)| y).collect())
    }
}
