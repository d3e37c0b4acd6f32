//! Retention (docs/data-protection.md, migration 0034): the records the daily job lists under
//! their schedules, the data protection officer's legal holds, the days cases were closed, the
//! deletion of the records a schedule erases, and the officer's completions of the record of
//! processing and the impact assessment. Every write is one transaction with its audit entry;
//! a record is never marked erased or anonymised while a hold on it stands (checked in the
//! same transaction).

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A record a schedule may apply to, with the dates its period may run from.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RetentionSourceRow {
    pub record_kind: String,
    pub record_id: String,
    pub case_id: Option<String>,
    pub organisation_id: Option<String>,
    /// When it was made (unix seconds), where the table keeps a time.
    pub recorded_at: Option<i64>,
    /// The day it was made, where the table keeps a day (`YYYY-MM-DD`).
    pub recorded_on: Option<String>,
    /// The last change to it (unix seconds).
    pub last_at: Option<i64>,
    pub closed_on: Option<String>,
    pub ended_on: Option<String>,
}

/// A record listed by the retention job.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RetentionItemRow {
    pub record_kind: String,
    pub record_id: String,
    pub jurisdiction: String,
    pub case_id: Option<String>,
    pub organisation_id: Option<String>,
    pub runs_from: String,
    pub from_on: String,
    pub due_on: String,
    pub action: String,
    pub listed_on: String,
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub note: Option<String>,
}

/// A legal hold.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RetentionHoldRow {
    pub id: String,
    pub record_kind: String,
    pub record_id: String,
    pub jurisdiction: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: i64,
    pub released_by: Option<String>,
    pub released_at: Option<i64>,
    pub release_reason: Option<String>,
}

/// One completed field of the record of processing or the impact assessment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProcessingCompletionRow {
    pub jurisdiction: String,
    pub field: String,
    pub body: String,
    pub updated_by: String,
    pub updated_at: i64,
}

const ITEM_COLUMNS: &str = "record_kind, record_id, jurisdiction, case_id, organisation_id, runs_from, from_on, \
     due_on, action, listed_on, state, decided_by, decided_at, note";
const HOLD_COLUMNS: &str =
    "id, record_kind, record_id, jurisdiction, reason, placed_by, placed_at, released_by, released_at, release_reason";
const OPEN_HOLD: &str = "EXISTS (SELECT 1 FROM retention_holds h WHERE h.record_kind = retention_items.record_kind \
     AND h.record_id = retention_items.record_id AND h.released_at IS NULL)";

/// The queries that list each kind's records of a jurisdiction ($1). Each gives the columns of
/// [`RetentionSourceRow`].
const SOURCES: &[&str] = &[
    "SELECT 'registration' AS record_kind, c.id AS record_id, c.id AS case_id, c.owner_organisation_id AS organisation_id, \
     c.created_at AS recorded_at, CAST(NULL AS TEXT) AS recorded_on, COALESCE(r.updated_at, c.created_at) AS last_at, \
     cl.closed_on AS closed_on, CAST(NULL AS TEXT) AS ended_on FROM cases c \
     LEFT JOIN registrations r ON r.case_id = c.id LEFT JOIN case_closures cl ON cl.case_id = c.id \
     WHERE c.jurisdiction = $1 ORDER BY c.id",
    "SELECT 'anonymous_notification' AS record_kind, n.id AS record_id, CAST(NULL AS TEXT) AS case_id, \
     n.organisation_id AS organisation_id, n.created_at AS recorded_at, n.notified_on AS recorded_on, \
     n.created_at AS last_at, CAST(NULL AS TEXT) AS closed_on, CAST(NULL AS TEXT) AS ended_on \
     FROM notifications n WHERE n.jurisdiction = $1 ORDER BY n.id",
    "SELECT 'assessment' AS record_kind, a.case_id || '/' || CAST(a.seq AS TEXT) AS record_id, a.case_id AS case_id, \
     c.owner_organisation_id AS organisation_id, a.created_at AS recorded_at, a.assessed_on AS recorded_on, \
     COALESCE(a.reviewed_at, a.created_at) AS last_at, cl.closed_on AS closed_on, CAST(NULL AS TEXT) AS ended_on \
     FROM assessments a JOIN cases c ON c.id = a.case_id LEFT JOIN case_closures cl ON cl.case_id = c.id \
     WHERE c.jurisdiction = $1 ORDER BY a.case_id, a.seq",
    "SELECT 'support_record' AS record_kind, s.id AS record_id, s.case_id AS case_id, \
     c.owner_organisation_id AS organisation_id, s.created_at AS recorded_at, CAST(NULL AS TEXT) AS recorded_on, \
     s.updated_at AS last_at, cl.closed_on AS closed_on, CAST(NULL AS TEXT) AS ended_on \
     FROM support_records s JOIN cases c ON c.id = s.case_id LEFT JOIN case_closures cl ON cl.case_id = c.id \
     WHERE c.jurisdiction = $1 ORDER BY s.id",
    "SELECT 'referral' AS record_kind, f.id AS record_id, f.case_id AS case_id, \
     f.from_organisation_id AS organisation_id, f.created_at AS recorded_at, CAST(NULL AS TEXT) AS recorded_on, \
     f.updated_at AS last_at, cl.closed_on AS closed_on, CAST(NULL AS TEXT) AS ended_on \
     FROM referrals f JOIN cases c ON c.id = f.case_id LEFT JOIN case_closures cl ON cl.case_id = c.id \
     WHERE c.jurisdiction = $1 ORDER BY f.id",
    "SELECT 'proceedings' AS record_kind, i.id AS record_id, CAST(NULL AS TEXT) AS case_id, \
     i.unit_organisation_id AS organisation_id, i.created_at AS recorded_at, i.opened_on AS recorded_on, \
     i.updated_at AS last_at, CAST(NULL AS TEXT) AS closed_on, \
     CASE WHEN i.status = 'closed' THEN i.status_since ELSE CAST(NULL AS TEXT) END AS ended_on \
     FROM investigations i WHERE i.jurisdiction = $1 ORDER BY i.id",
];

impl Store {
    /// Every record of `jurisdiction` a schedule may apply to (the audit log and the
    /// statistics records are listed by the application from the log's first entry and the
    /// registrations).
    pub async fn retention_sources(&self, jurisdiction: &str) -> Result<Vec<RetentionSourceRow>> {
        let mut all = Vec::new();
        for sql in SOURCES {
            let rows: Vec<RetentionSourceRow> =
                on_pool!(self, |pool| sqlx::query_as(*sql).bind(jurisdiction).fetch_all(pool).await?);
            all.extend(rows);
        }
        Ok(all)
    }

    /// When the audit log's first entry was written (unix seconds), if it has one.
    pub async fn audit_log_first_at(&self) -> Result<Option<i64>> {
        let at: Option<i64> =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT MIN(at) FROM audit_log").fetch_one(pool).await?);
        Ok(at)
    }

    /// The records of `jurisdiction` listed by the job, by due day.
    pub async fn retention_items(&self, jurisdiction: &str) -> Result<Vec<RetentionItemRow>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM retention_items WHERE jurisdiction = $1 ORDER BY due_on, record_kind, record_id"
        );
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// One listed record.
    pub async fn retention_item(&self, record_kind: &str, record_id: &str) -> Result<Option<RetentionItemRow>> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM retention_items WHERE record_kind = $1 AND record_id = $2");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(record_kind)
            .bind(record_id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Lists a record as due, audited. A record already listed is left as it is (gives false).
    pub async fn list_retention_item(&self, row: &RetentionItemRow, event: &AuditEvent) -> Result<bool> {
        if self.retention_item(&row.record_kind, &row.record_id).await?.is_some() {
            return Ok(false);
        }
        let inserted = audited_tx!(self, event, |tx| {
            sqlx::query(
                "INSERT INTO retention_items (record_kind, record_id, jurisdiction, case_id, organisation_id, runs_from, \
                 from_on, due_on, action, listed_on, state) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) \
                 ON CONFLICT (record_kind, record_id) DO NOTHING",
            )
            .bind(&row.record_kind)
            .bind(&row.record_id)
            .bind(&row.jurisdiction)
            .bind(&row.case_id)
            .bind(&row.organisation_id)
            .bind(&row.runs_from)
            .bind(&row.from_on)
            .bind(&row.due_on)
            .bind(&row.action)
            .bind(&row.listed_on)
            .bind(&row.state)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }

    /// Moves a listed record from one of `from` states to `to`, with who decided and a note,
    /// audited; `due_on` replaces the due day when given (a record kept for another period).
    /// Moving to `erased` or `anonymised` is refused while a hold stands. Gives whether it moved.
    #[expect(clippy::too_many_arguments, reason = "one row's decision, stated once")]
    pub async fn set_retention_state(
        &self,
        record_kind: &str,
        record_id: &str,
        from: &[&str],
        to: &str,
        decided_by: Option<&str>,
        at: i64,
        note: Option<&str>,
        due_on: Option<&str>,
        event: &AuditEvent,
    ) -> Result<bool> {
        let states = from.iter().map(|s| format!("'{}'", s.replace('\'', ""))).collect::<Vec<_>>().join(",");
        let guard = if matches!(to, "erased" | "anonymised") { format!(" AND NOT {OPEN_HOLD}") } else { String::new() };
        let sql = format!(
            "UPDATE retention_items SET state = $3, decided_by = $4, decided_at = $5, note = $6, \
             due_on = COALESCE($7, due_on) WHERE record_kind = $1 AND record_id = $2 AND state IN ({states}){guard}"
        );
        let moved = audited_tx!(self, event, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(record_kind)
                .bind(record_id)
                .bind(to)
                .bind(decided_by)
                .bind(at)
                .bind(note)
                .bind(due_on)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(moved == 1)
    }

    /// Places a legal hold, audited; a listed record becomes `held`.
    pub async fn place_retention_hold(&self, hold: &RetentionHoldRow, event: &AuditEvent) -> Result<()> {
        audited_tx!(self, event, |tx| {
            sqlx::query(
                "INSERT INTO retention_holds (id, record_kind, record_id, jurisdiction, reason, placed_by, placed_at) \
                 VALUES ($1,$2,$3,$4,$5,$6,$7)",
            )
            .bind(&hold.id)
            .bind(&hold.record_kind)
            .bind(&hold.record_id)
            .bind(&hold.jurisdiction)
            .bind(&hold.reason)
            .bind(&hold.placed_by)
            .bind(hold.placed_at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE retention_items SET state = 'held' WHERE record_kind = $1 AND record_id = $2 \
                 AND state IN ('listed', 'review')",
            )
            .bind(&hold.record_kind)
            .bind(&hold.record_id)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Releases a standing hold, audited; once no hold stands, a held record is listed again.
    /// Gives false when the hold does not stand (unknown or already released).
    pub async fn release_retention_hold(
        &self,
        id: &str,
        released_by: &str,
        at: i64,
        reason: &str,
        event: &AuditEvent,
    ) -> Result<bool> {
        let released = audited_tx!(self, event, |tx| {
            let hold: Option<(String, String)> = sqlx::query_as(
                "UPDATE retention_holds SET released_by = $2, released_at = $3, release_reason = $4 \
                 WHERE id = $1 AND released_at IS NULL RETURNING record_kind, record_id",
            )
            .bind(id)
            .bind(released_by)
            .bind(at)
            .bind(reason)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((kind, record)) = &hold {
                let sql = format!(
                    "UPDATE retention_items SET state = 'listed' WHERE record_kind = $1 AND record_id = $2 \
                     AND state = 'held' AND NOT {OPEN_HOLD}"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(kind).bind(record).execute(&mut *tx).await?;
            }
            hold.is_some()
        });
        Ok(released)
    }

    /// The holds of `jurisdiction`, standing ones first, newest first.
    pub async fn retention_holds(&self, jurisdiction: &str) -> Result<Vec<RetentionHoldRow>> {
        let sql = format!(
            "SELECT {HOLD_COLUMNS} FROM retention_holds WHERE jurisdiction = $1 \
             ORDER BY CASE WHEN released_at IS NULL THEN 0 ELSE 1 END, placed_at DESC, id"
        );
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// One hold.
    pub async fn retention_hold(&self, id: &str) -> Result<Option<RetentionHoldRow>> {
        let sql = format!("SELECT {HOLD_COLUMNS} FROM retention_holds WHERE id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Whether a hold on the record stands.
    pub async fn retention_hold_stands(&self, record_kind: &str, record_id: &str) -> Result<bool> {
        let n: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM retention_holds WHERE record_kind = $1 AND record_id = $2 AND released_at IS NULL"
        )
        .bind(record_kind)
        .bind(record_id)
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }

    /// The day a case was closed, if a closure is recorded.
    pub async fn case_closed_on(&self, case_id: &str) -> Result<Option<String>> {
        let day: Option<String> =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT closed_on FROM case_closures WHERE case_id = $1")
                .bind(case_id)
                .fetch_optional(pool)
                .await?);
        Ok(day)
    }

    /// Records the day a case was closed (replacing an earlier day), audited.
    pub async fn record_case_closure(
        &self,
        case_id: &str,
        closed_on: &str,
        closed_by: &str,
        at: i64,
        event: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, event, |tx| {
            sqlx::query(
                "INSERT INTO case_closures (case_id, closed_on, closed_by, closed_at) VALUES ($1,$2,$3,$4) \
                 ON CONFLICT (case_id) DO UPDATE SET closed_on = excluded.closed_on, closed_by = excluded.closed_by, \
                 closed_at = excluded.closed_at",
            )
            .bind(case_id)
            .bind(closed_on)
            .bind(closed_by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Deletes one record a schedule erases (an anonymous notification, an assessment version
    /// `case/seq`, a support record, a referral with its events) and marks it `erased`, in one
    /// audited transaction; nothing is deleted while a hold on it stands, or when it is not
    /// listed. Gives whether it was erased.
    pub async fn erase_retention_record(
        &self,
        record_kind: &str,
        record_id: &str,
        at: i64,
        event: &AuditEvent,
    ) -> Result<bool> {
        let deletes: &[&str] = match record_kind {
            "anonymous_notification" => &["DELETE FROM notifications WHERE id = $1"],
            "support_record" => &["DELETE FROM support_records WHERE id = $1"],
            "referral" => {
                &["DELETE FROM referral_events WHERE referral_id = $1", "DELETE FROM referrals WHERE id = $1"]
            }
            "assessment" => &["DELETE FROM assessments WHERE case_id || '/' || CAST(seq AS TEXT) = $1"],
            _ => return Err(StorageError::Corrupt(format!("{record_kind} records are not erased row by row"))),
        };
        let mark = format!(
            "UPDATE retention_items SET state = 'erased', decided_at = $3 WHERE record_kind = $1 AND record_id = $2 \
             AND state = 'listed' AND NOT {OPEN_HOLD}"
        );
        let erased = audited_tx!(self, event, |tx| {
            let marked = sqlx::query(sqlx::AssertSqlSafe(mark.as_str()))
                .bind(record_kind)
                .bind(record_id)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if marked == 1 {
                for sql in deletes {
                    sqlx::query(*sql).bind(record_id).execute(&mut *tx).await?;
                }
            }
            marked == 1
        });
        Ok(erased)
    }

    /// The officer's completions of `jurisdiction`'s record of processing and impact assessment.
    pub async fn processing_completions(&self, jurisdiction: &str) -> Result<Vec<ProcessingCompletionRow>> {
        let rows = on_pool!(self, |pool| sqlx::query_as(
            "SELECT jurisdiction, field, body, updated_by, updated_at FROM processing_record_completions \
             WHERE jurisdiction = $1 ORDER BY field"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// Saves one completion (an empty body removes it), audited.
    pub async fn save_processing_completion(&self, row: &ProcessingCompletionRow, event: &AuditEvent) -> Result<()> {
        audited_tx!(self, event, |tx| {
            if row.body.is_empty() {
                sqlx::query("DELETE FROM processing_record_completions WHERE jurisdiction = $1 AND field = $2")
                    .bind(&row.jurisdiction)
                    .bind(&row.field)
                    .execute(&mut *tx)
                    .await?;
            } else {
                sqlx::query(
                    "INSERT INTO processing_record_completions (jurisdiction, field, body, updated_by, updated_at) \
                     VALUES ($1,$2,$3,$4,$5) ON CONFLICT (jurisdiction, field) DO UPDATE SET body = excluded.body, \
                     updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                )
                .bind(&row.jurisdiction)
                .bind(&row.field)
                .bind(&row.body)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }
}
