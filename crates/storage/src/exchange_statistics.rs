//! Statistics over the exchange channel (migration 0023): at the EU hub, a submission received
//! as a signed `statistics_submission` with its signed original kept as evidence (stored with the
//! submission in one transaction, so the hub holds no submission from the channel without its
//! evidence); in a country, the message each release was sent in and how far it got.

use crate::{Result, StorageError, Store, SubmissionRow};
use haven_domain::audit::AuditEvent;

/// The signed original of a submission received over the channel.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatisticsEvidenceRow {
    pub submission_id: String,
    pub message_id: String,
    /// The sending instance id.
    pub sender: String,
    /// The id of the sender's signing key the header names.
    pub signing_key_id: String,
    /// The release's id in the sending instance.
    pub release_id: String,
    /// SHA-256 of the content, base64url.
    pub content_sha256: String,
    /// The header bytes exactly as signed.
    pub header: Vec<u8>,
    /// The body bytes exactly as signed.
    pub body: Vec<u8>,
    /// The Ed25519 signature over header and body (64 bytes).
    pub signature: Vec<u8>,
    pub received_at: i64,
}

/// The message a release was sent to the EU hub in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatisticsSentRow {
    pub release_id: String,
    pub message_id: String,
    /// The receiving instance id (the EU hub).
    pub receiver: String,
    /// `prepared`, `queued` or `failed`.
    pub state: String,
    pub error: Option<String>,
    pub sent_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const EVIDENCE_COLUMNS: &str = "submission_id, message_id, sender, signing_key_id, release_id, content_sha256, \
                                header, body, signature, received_at";
const SENT_COLUMNS: &str = "release_id, message_id, receiver, state, error, sent_by, created_at, updated_at";

impl Store {
    /// Stores a submission received over the channel and its signed original, audited, in one
    /// transaction. A message id stored before gives [`crate::StorageError::Conflict`].
    pub async fn add_channel_submission(
        &self,
        row: &SubmissionRow,
        evidence: &StatisticsEvidenceRow,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO hub_submissions (id, country, year, format, dataset, observations, submitted_by, \
                 organisation_id, submitted_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            )
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
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO exchange_statistics_received ({EVIDENCE_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
            )))
            .bind(&evidence.submission_id)
            .bind(&evidence.message_id)
            .bind(&evidence.sender)
            .bind(&evidence.signing_key_id)
            .bind(&evidence.release_id)
            .bind(&evidence.content_sha256)
            .bind(&evidence.header)
            .bind(&evidence.body)
            .bind(&evidence.signature)
            .bind(evidence.received_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The signed original of a submission, if it came over the channel.
    pub async fn statistics_evidence(&self, submission_id: &str) -> Result<Option<StatisticsEvidenceRow>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, StatisticsEvidenceRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {EVIDENCE_COLUMNS} FROM exchange_statistics_received WHERE submission_id = $1"
            )))
            .bind(submission_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// The signed originals of a reference year's submissions that came over the channel.
    pub async fn statistics_evidence_for(&self, year: i64) -> Result<Vec<StatisticsEvidenceRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, StatisticsEvidenceRow>(
                "SELECT e.submission_id, e.message_id, e.sender, e.signing_key_id, e.release_id, e.content_sha256, \
                 e.header, e.body, e.signature, e.received_at FROM exchange_statistics_received e \
                 JOIN hub_submissions s ON s.id = e.submission_id WHERE s.year = $1 ORDER BY e.received_at, e.submission_id",
            )
            .bind(year)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// The message a release was sent in, if any.
    pub async fn statistics_sent(&self, release_id: &str) -> Result<Option<StatisticsSentRow>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, StatisticsSentRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {SENT_COLUMNS} FROM exchange_statistics_sent WHERE release_id = $1"
            )))
            .bind(release_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// Records the message a release is sent in, audited, unless one is recorded already (then
    /// nothing is written); returns the one that stands, so a retry sends the same message id.
    pub async fn prepare_statistics_sent(
        &self,
        row: &StatisticsSentRow,
        audit: &AuditEvent,
    ) -> Result<StatisticsSentRow> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO exchange_statistics_sent ({SENT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) \
                 ON CONFLICT (release_id) DO NOTHING"
            )))
            .bind(&row.release_id)
            .bind(&row.message_id)
            .bind(&row.receiver)
            .bind(&row.state)
            .bind(&row.error)
            .bind(&row.sent_by)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
        });
        self.statistics_sent(&row.release_id)
            .await?
            .ok_or_else(|| StorageError::Corrupt("the message of a release just recorded is missing".into()))
    }

    /// Records how far the message of a release got (`queued`, `failed` with the error).
    pub async fn set_statistics_sent_state(
        &self,
        release_id: &str,
        state: &str,
        error: Option<&str>,
        updated_at: i64,
    ) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE exchange_statistics_sent SET state = $2, error = $3, updated_at = $4 WHERE release_id = $1",
            )
            .bind(release_id)
            .bind(state)
            .bind(error)
            .bind(updated_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
