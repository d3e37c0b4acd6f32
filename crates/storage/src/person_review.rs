//! Clerical review of person linkage: the data officer's answers about pairs of registrations,
//! the candidate pairs as the model in use scored them (case ids and weights, never a value of
//! a person), and the instance's person model re-trained from its own records.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// An answer about a pair of registrations (the smaller case id first).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReviewAnswerRow {
    pub id: String,
    pub jurisdiction: String,
    pub case_id_a: String,
    pub case_id_b: String,
    /// `same`, `different` or `unsure`.
    pub answer: String,
    /// Why the pair was asked: `uncertain`, `merge_refused`, `joined_through_others`.
    pub question: String,
    /// The pair's match weight under the model in use when it was asked, in millionths of a bit.
    pub weight_micro: i64,
    pub answered_by: String,
    pub answered_at: i64,
}

/// A candidate pair as the model in use scored it (the smaller case id first).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReviewPairRow {
    pub case_id_a: String,
    pub case_id_b: String,
    /// Match weight in millionths of a bit.
    pub weight_micro: i64,
    /// The engine's comparison pattern (its bits as a signed integer).
    pub pattern: i64,
    /// The blocking rules that put the pair together, one bit each.
    pub rules: i64,
    /// The version of the person model that scored it, 0 for the built-in one.
    pub model_version: i64,
}

/// A version of the instance's person model.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PersonModelRow {
    pub version: i64,
    pub jurisdiction: String,
    /// The model file (TOML).
    pub model: String,
    /// What it was trained on (JSON: records, candidate pairs, answers).
    pub basis: String,
    /// The cluster threshold (a probability) before and after calibration, in billionths.
    pub threshold_before_nano: i64,
    pub threshold_after_nano: i64,
    /// The model's warnings (JSON list of sentences).
    pub warnings: String,
    pub created_by: String,
    pub created_at: i64,
}

const ANSWER_COLUMNS: &str =
    "id, jurisdiction, case_id_a, case_id_b, answer, question, weight_micro, answered_by, answered_at";
const PAIR_COLUMNS: &str = "case_id_a, case_id_b, weight_micro, pattern, rules, model_version";
const MODEL_COLUMNS: &str = "version, jurisdiction, model, basis, threshold_before_nano, threshold_after_nano, warnings, \
                             created_by, created_at";

impl Store {
    /// Keeps an answer, in one transaction with its audit entry.
    pub async fn record_review_answer(&self, row: &ReviewAnswerRow, audit: &AuditEvent) -> Result<()> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO person_review_answers ({ANSWER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ));
        audited_tx!(self, audit, |tx| {
            sqlx::query(sql)
                .bind(&row.id)
                .bind(&row.jurisdiction)
                .bind(&row.case_id_a)
                .bind(&row.case_id_b)
                .bind(&row.answer)
                .bind(&row.question)
                .bind(row.weight_micro)
                .bind(&row.answered_by)
                .bind(row.answered_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The answers of a jurisdiction, oldest first.
    pub async fn review_answers(&self, jurisdiction: &str) -> Result<Vec<ReviewAnswerRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ANSWER_COLUMNS} FROM person_review_answers WHERE jurisdiction = $1 ORDER BY answered_at, id"
        ));
        let rows =
            on_pool!(self, |pool| sqlx::query_as::<_, ReviewAnswerRow>(sql).bind(jurisdiction).fetch_all(pool).await?);
        Ok(rows)
    }

    /// Replaces the scored candidate pairs of a jurisdiction.
    pub async fn replace_review_pairs(&self, jurisdiction: &str, at: i64, pairs: &[ReviewPairRow]) -> Result<()> {
        let sql = format!(
            "INSERT INTO person_review_pairs (jurisdiction, {PAIR_COLUMNS}, scored_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        );
        in_tx!(self, |tx| {
            sqlx::query("DELETE FROM person_review_pairs WHERE jurisdiction = $1")
                .bind(jurisdiction)
                .execute(&mut *tx)
                .await?;
            for p in pairs {
                sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(jurisdiction)
                    .bind(&p.case_id_a)
                    .bind(&p.case_id_b)
                    .bind(p.weight_micro)
                    .bind(p.pattern)
                    .bind(p.rules)
                    .bind(p.model_version)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    /// The scored candidate pairs of a jurisdiction, by case ids.
    pub async fn review_pairs(&self, jurisdiction: &str) -> Result<Vec<ReviewPairRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {PAIR_COLUMNS} FROM person_review_pairs WHERE jurisdiction = $1 ORDER BY case_id_a, case_id_b"
        ));
        let rows =
            on_pool!(self, |pool| sqlx::query_as::<_, ReviewPairRow>(sql).bind(jurisdiction).fetch_all(pool).await?);
        Ok(rows)
    }

    /// Stores a new version of the instance's person model (the next version number), in one
    /// transaction with its audit entry. Returns the version.
    pub async fn save_person_model(&self, row: &PersonModelRow, audit: &AuditEvent) -> Result<i64> {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO person_models ({MODEL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ));
        let version = audited_tx!(self, audit, |tx| {
            let last: Option<i64> =
                sqlx::query_scalar("SELECT MAX(version) FROM person_models").fetch_one(&mut *tx).await?;
            let version = last.unwrap_or(0) + 1;
            sqlx::query(sql)
                .bind(version)
                .bind(&row.jurisdiction)
                .bind(&row.model)
                .bind(&row.basis)
                .bind(row.threshold_before_nano)
                .bind(row.threshold_after_nano)
                .bind(&row.warnings)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?;
            version
        });
        Ok(version)
    }

    /// How many registrations of a jurisdiction were saved (created or changed) at or after the
    /// scoring of its candidate pairs: the pairs are then scored again, so that new
    /// registrations reach the queue. 0 when no pair is kept.
    pub async fn registrations_saved_since_scoring(&self, jurisdiction: &str) -> Result<i64> {
        let count: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations r JOIN cases c ON c.id = r.case_id \
             WHERE c.jurisdiction = $1 AND r.updated_at >= \
             (SELECT MIN(scored_at) FROM person_review_pairs WHERE jurisdiction = $1)"
        )
        .bind(jurisdiction)
        .fetch_one(pool)
        .await?);
        Ok(count)
    }

    /// Ends as `failed`, with `reason`, every linkage job still `running` whose process last
    /// gave a sign of life (its heartbeat, else its start) before `stale_before`: that process
    /// stopped while the job ran (killed, crashed), and the job would otherwise keep a new one
    /// from starting. A job whose process still beats (another application server on the same
    /// database) is left alone. One statement, so a heartbeat cannot slip in between the check
    /// and the update. Gives the ids of the jobs ended, the oldest first.
    pub async fn fail_running_linkage_jobs(
        &self,
        ended_at: i64,
        reason: &str,
        stale_before: i64,
    ) -> Result<Vec<String>> {
        let mut ended: Vec<(i64, String)> = on_pool!(self, |pool| sqlx::query_as(
            "UPDATE linkage_jobs SET state = 'failed', ended_at = $1, detail = $2 \
             WHERE state = 'running' AND COALESCE(heartbeat_at, started_at) < $3 RETURNING started_at, id"
        )
        .bind(ended_at)
        .bind(reason)
        .bind(stale_before)
        .fetch_all(pool)
        .await?);
        ended.sort();
        Ok(ended.into_iter().map(|(_, id)| id).collect())
    }

    /// The latest version of the instance's person model, if it was ever re-trained.
    pub async fn latest_person_model(&self) -> Result<Option<PersonModelRow>> {
        let sql =
            sqlx::AssertSqlSafe(format!("SELECT {MODEL_COLUMNS} FROM person_models ORDER BY version DESC LIMIT 1"));
        let row = on_pool!(self, |pool| sqlx::query_as::<_, PersonModelRow>(sql).fetch_optional(pool).await?);
        Ok(row)
    }

    /// Pairs of registrations whose latest answer is "same" (an answer other than "same" given
    /// at the same time or later undoes it): all of them, or those with a registration among
    /// `cases`. Sorted, the smaller case id first.
    pub async fn must_link_pairs(&self, cases: Option<&[String]>) -> Result<Vec<(String, String)>> {
        const LATEST_SAME: &str = "SELECT a.case_id_a, a.case_id_b FROM person_review_answers a \
             WHERE a.answer = 'same' AND NOT EXISTS (SELECT 1 FROM person_review_answers b \
             WHERE b.case_id_a = a.case_id_a AND b.case_id_b = a.case_id_b \
             AND (b.answered_at > a.answered_at OR (b.answered_at = a.answered_at AND b.answer <> 'same')))";
        let mut out: Vec<(String, String)> = Vec::new();
        match cases {
            None => {
                let rows: Vec<(String, String)> =
                    on_pool!(self, |pool| sqlx::query_as(LATEST_SAME).fetch_all(pool).await?);
                out.extend(rows);
            }
            Some(cases) => {
                for chunk in cases.chunks(500) {
                    let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                    let sql = format!("{LATEST_SAME} AND (a.case_id_a IN ({list}) OR a.case_id_b IN ({list}))");
                    let rows: Vec<(String, String)> = on_pool!(self, |pool| {
                        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
                        for v in chunk {
                            q = q.bind(v);
                        }
                        q.fetch_all(pool).await?
                    });
                    out.extend(rows);
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// When each case of `jurisdiction` was created (every case's with `None`), by case id, in
    /// seconds since 1970: the day a registration's age estimate was recorded on, which person
    /// linkage turns into an estimated year of birth.
    pub async fn case_created_at(&self, jurisdiction: Option<&str>) -> Result<std::collections::HashMap<String, i64>> {
        let rows: Vec<(String, i64)> = match jurisdiction {
            Some(j) => {
                on_pool!(self, |pool| sqlx::query_as("SELECT id, created_at FROM cases WHERE jurisdiction = $1")
                    .bind(j)
                    .fetch_all(pool)
                    .await?)
            }
            None => on_pool!(self, |pool| sqlx::query_as("SELECT id, created_at FROM cases").fetch_all(pool).await?),
        };
        Ok(rows.into_iter().collect())
    }
}
