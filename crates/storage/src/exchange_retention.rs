//! Retention of the person encodings (docs/transnational.md, "Retention", migration 0030): at the
//! EU hub a year's encodings are deleted once the year's count is published or the retention has
//! run out, the count (with its overlaps and method) kept in `cross_border_counts`; in a sending
//! country the body of a `person_encodings` message is replaced by an empty object once the message is delivered,
//! refused or expired. Each deletion is audited `exchange_encodings_deleted`.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A year's count of persons across borders, as published or as kept after its encodings were
/// deleted.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CrossBorderCountRow {
    pub year: i64,
    /// The count as JSON: countries and their persons, the sum of the national counts, the
    /// distinct persons, the overlaps, the threshold (no encoding, no identifier).
    pub result: String,
    pub counted_at: i64,
    pub published_at: Option<i64>,
    pub published_by: Option<String>,
    pub encodings_deleted_at: Option<i64>,
}

/// A year of which the hub holds encodings.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EncodingsYearRow {
    pub year: i64,
    pub countries: i64,
    /// When the newest of the year's encodings arrived.
    pub newest_received_at: i64,
}

const COUNT_COLUMNS: &str = "year, result, counted_at, published_at, published_by, encodings_deleted_at";

impl Store {
    /// The years of which encodings are held, oldest first.
    pub async fn person_encodings_years(&self) -> Result<Vec<EncodingsYearRow>> {
        let rows = on_pool!(self, |pool| sqlx::query_as(
            "SELECT year, COUNT(*) AS countries, MAX(received_at) AS newest_received_at \
             FROM person_encodings_received GROUP BY year ORDER BY year"
        )
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// The count kept or published for `year`, if any.
    pub async fn cross_border_count(&self, year: i64) -> Result<Option<CrossBorderCountRow>> {
        let sql = format!("SELECT {COUNT_COLUMNS} FROM cross_border_counts WHERE year = $1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(year)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Publishes a year's count (replacing an earlier publication of that year), audited.
    pub async fn publish_cross_border_count(&self, row: &CrossBorderCountRow, event: &AuditEvent) -> Result<()> {
        audited_tx!(self, event, |tx| {
            sqlx::query(
                "INSERT INTO cross_border_counts (year, result, counted_at, published_at, published_by) \
                 VALUES ($1,$2,$3,$4,$5) ON CONFLICT (year) DO UPDATE SET result = excluded.result, \
                 counted_at = excluded.counted_at, published_at = excluded.published_at, \
                 published_by = excluded.published_by",
            )
            .bind(row.year)
            .bind(&row.result)
            .bind(row.counted_at)
            .bind(row.published_at)
            .bind(&row.published_by)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Deletes the encodings of `year` received up to `received_up_to` and keeps `result` (the
    /// count from them) as the year's count, in one audited transaction; a publication stays
    /// recorded. Gives how many countries' encodings were deleted.
    pub async fn delete_person_encodings(
        &self,
        year: i64,
        result: &str,
        now: i64,
        received_up_to: i64,
        event: &AuditEvent,
    ) -> Result<u64> {
        let deleted = audited_tx!(self, event, |tx| {
            sqlx::query(
                "INSERT INTO cross_border_counts (year, result, counted_at, encodings_deleted_at) \
                 VALUES ($1,$2,$3,$3) ON CONFLICT (year) DO UPDATE SET result = excluded.result, \
                 counted_at = excluded.counted_at, encodings_deleted_at = excluded.encodings_deleted_at",
            )
            .bind(year)
            .bind(result)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM person_encodings_received WHERE year = $1 AND received_at <= $2")
                .bind(year)
                .bind(received_up_to)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }

    /// The sent `message_type` messages whose body is no longer needed (delivered, refused or
    /// expired) and not yet cleared, by message id.
    pub async fn sent_bodies_to_clear(&self, message_type: &str) -> Result<Vec<String>> {
        let ids = on_pool!(self, |pool| sqlx::query_scalar::<_, String>(
            "SELECT message_id FROM exchange_outbox WHERE message_type = $1 \
             AND state IN ('delivered', 'refused', 'expired') AND body_cleared_at IS NULL ORDER BY message_id"
        )
        .bind(message_type)
        .fetch_all(pool)
        .await?);
        Ok(ids)
    }

    /// Replaces the bodies of sent messages no longer needed by `(message_id, body)` (the
    /// caller's encryption of an empty object), marking them cleared at `now`, audited. A message
    /// still pending is left. Gives how many.
    pub async fn clear_sent_bodies(&self, bodies: &[(String, Vec<u8>)], now: i64, event: &AuditEvent) -> Result<u64> {
        if bodies.is_empty() {
            return Ok(0);
        }
        let mut event = event.clone();
        let cleared = audited_tx!(self, &event, |tx| {
            let mut cleared = 0;
            for (message_id, body) in bodies {
                cleared += sqlx::query(
                    "UPDATE exchange_outbox SET body = $2, body_cleared_at = $3 WHERE message_id = $1 \
                     AND state IN ('delivered', 'refused', 'expired') AND body_cleared_at IS NULL",
                )
                .bind(message_id)
                .bind(body)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            event = event.detail(format!("sender_copies={cleared}"));
            cleared
        });
        Ok(cleared)
    }
}
