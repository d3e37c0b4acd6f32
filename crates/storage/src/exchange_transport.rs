//! Transport of the transnational exchange (migration 0020): the outbox of messages to deliver
//! to peers, with their delivery state and the acknowledgements received for them, and the inbox
//! of messages received, whose primary key refuses a message id seen before. Bodies are stored
//! as the application encrypted them (field ciphertext).

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeOutboxRow {
    /// The idempotency key (a UUID, lower-case hyphenated).
    pub message_id: String,
    pub receiver: String,
    pub message_type: String,
    pub type_version: i64,
    /// The body, field ciphertext (table `exchange_outbox`, column `body`, row `message_id`).
    pub body: Vec<u8>,
    /// The user whose use case queued it; `None` for the transport's own acknowledgements and the
    /// operator console.
    pub created_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    /// `pending`, `delivered`, `refused` or `expired`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    /// The code of the last failure (`unreachable`, `http_503`, or the receiver's refusal code).
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    /// When the receiver's `received` acknowledgement came.
    pub ack_received_at: Option<i64>,
    /// The receiver's decision: `accepted` or `refused`.
    pub ack_status: Option<String>,
    /// The refusal reason code, when refused.
    pub ack_reason: Option<String>,
    pub ack_at: Option<i64>,
}

/// A message in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeInboxRow {
    pub message_id: String,
    pub sender: String,
    pub message_type: String,
    pub type_version: i64,
    /// The body, field ciphertext (table `exchange_inbox`, column `body`, row `message_id`).
    pub body: Vec<u8>,
    /// SHA-256 of the envelope as received, base64url.
    pub envelope_sha256: String,
    pub received_at: i64,
    /// The message's expiry: the id is kept at least until then.
    pub remember_until: i64,
    /// `received`, `pending`, `accepted` or `refused`.
    pub state: String,
    pub received_ack_queued: bool,
    pub outcome_ack_queued: bool,
}

/// A received message still undecided (`received`: its handler failed, or never ran), with what
/// handing it to its handler again needs (migration 0026).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeRedispatchRow {
    #[sqlx(flatten)]
    pub message: ExchangeInboxRow,
    /// The failed attempts so far (0 when none was recorded).
    pub dispatch_attempts: i64,
    /// The header bytes as the sender signed them (`None` for a message received before they
    /// were kept).
    pub signed_header: Option<Vec<u8>>,
    /// The sender's signature over header and body.
    pub signature: Option<Vec<u8>>,
}

/// The outcome of one delivery attempt, written to the outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeDeliveryUpdate {
    pub message_id: String,
    /// `pending` (to be retried), `delivered`, `refused` or `expired`.
    pub state: String,
    /// Whether an attempt was made (counted in `attempts`).
    pub attempted: bool,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

const OUTBOX_COLUMNS: &str = "message_id, receiver, message_type, type_version, body, created_by, created_at, \
                              expires_at, state, attempts, next_attempt_at, last_error, delivered_at, \
                              ack_received_at, ack_status, ack_reason, ack_at";
const INBOX_COLUMNS: &str = "message_id, sender, message_type, type_version, body, envelope_sha256, received_at, \
                             remember_until, state, received_ack_queued, outcome_ack_queued";

const OUTBOX_STATES: [&str; 4] = ["pending", "delivered", "refused", "expired"];
const INBOX_STATES: [&str; 4] = ["received", "pending", "accepted", "refused"];

fn check_state(state: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&state) { Ok(()) } else { Err(StorageError::Conflict(format!("unknown state {state}"))) }
}

/// Inserts an outbox row inside an open transaction; evaluates to the rows inserted (0 when the
/// message id is in the outbox already).
macro_rules! insert_outbox {
    ($tx:ident, $row:expr) => {{
        let row: &ExchangeOutboxRow = $row;
        sqlx::query(
            "INSERT INTO exchange_outbox (message_id, receiver, message_type, type_version, body, created_by, \
             created_at, expires_at, state, attempts, next_attempt_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) \
             ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(&row.message_id)
        .bind(&row.receiver)
        .bind(&row.message_type)
        .bind(row.type_version)
        .bind(&row.body)
        .bind(&row.created_by)
        .bind(row.created_at)
        .bind(row.expires_at)
        .bind(&row.state)
        .bind(row.attempts)
        .bind(row.next_attempt_at)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
    }};
}

impl Store {
    /// Stores a message in the outbox, audited. Returns `false` (and writes nothing, not even the
    /// audit entry) when its message id is in the outbox already: sending again is idempotent.
    pub async fn queue_exchange_message(&self, row: &ExchangeOutboxRow, event: &AuditEvent) -> Result<bool> {
        check_state(&row.state, &OUTBOX_STATES)?;
        audited_tx!(self, event, |tx| {
            if insert_outbox!(tx, row) == 0 {
                return Ok(false);
            }
        });
        Ok(true)
    }

    /// One message of the outbox.
    pub async fn exchange_outbox_message(&self, message_id: &str) -> Result<Option<ExchangeOutboxRow>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM exchange_outbox WHERE message_id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(message_id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// The outbox, newest first, at most `limit` rows.
    pub async fn exchange_outbox(&self, limit: i64) -> Result<Vec<ExchangeOutboxRow>> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM exchange_outbox ORDER BY created_at DESC, message_id LIMIT $1");
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// The pending messages due for an attempt at `now`, the longest waiting first.
    pub async fn due_exchange_messages(&self, now: i64, limit: i64) -> Result<Vec<ExchangeOutboxRow>> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM exchange_outbox WHERE state = 'pending' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, created_at, message_id LIMIT $2"
        );
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// Records a delivery attempt (or the expiry) of a pending message, audited. Returns `false`
    /// (nothing written) when the message is no longer pending (another worker settled it).
    pub async fn record_exchange_delivery(&self, update: &ExchangeDeliveryUpdate, event: &AuditEvent) -> Result<bool> {
        check_state(&update.state, &OUTBOX_STATES)?;
        audited_tx!(self, event, |tx| {
            let n = sqlx::query(
                "UPDATE exchange_outbox SET state = $2, attempts = attempts + $3, next_attempt_at = $4, \
                 last_error = $5, delivered_at = COALESCE(delivered_at, $6) WHERE message_id = $1 AND state = 'pending'",
            )
            .bind(&update.message_id)
            .bind(&update.state)
            .bind(i64::from(update.attempted))
            .bind(update.next_attempt_at)
            .bind(&update.last_error)
            .bind(update.delivered_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Ok(false);
            }
        });
        Ok(true)
    }

    /// Records an acknowledgement from `receiver` of the outbox message `message_id`, audited:
    /// `received` sets when it came; `accepted` or `refused` (with the reason code) the decision.
    /// A message still pending is then delivered (the acknowledgement proves it). Returns `false`
    /// (nothing written) when no message with that id went to that receiver.
    pub async fn record_exchange_acknowledgement(
        &self,
        message_id: &str,
        receiver: &str,
        status: &str,
        reason: Option<&str>,
        at: i64,
        event: &AuditEvent,
    ) -> Result<bool> {
        let received = match status {
            "received" => true,
            "accepted" | "refused" => false,
            other => return Err(StorageError::Conflict(format!("unknown acknowledgement status {other}"))),
        };
        audited_tx!(self, event, |tx| {
            let n = if received {
                sqlx::query(
                    "UPDATE exchange_outbox SET ack_received_at = COALESCE(ack_received_at, $3), \
                     state = CASE WHEN state = 'pending' THEN 'delivered' ELSE state END, \
                     delivered_at = COALESCE(delivered_at, $3) WHERE message_id = $1 AND receiver = $2",
                )
                .bind(message_id)
                .bind(receiver)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query(
                    "UPDATE exchange_outbox SET ack_status = $4, ack_reason = $5, ack_at = $3, \
                     ack_received_at = COALESCE(ack_received_at, $3), \
                     state = CASE WHEN state = 'pending' THEN 'delivered' ELSE state END, \
                     delivered_at = COALESCE(delivered_at, $3) WHERE message_id = $1 AND receiver = $2",
                )
                .bind(message_id)
                .bind(receiver)
                .bind(at)
                .bind(status)
                .bind(reason)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            };
            if n == 0 {
                return Ok(false);
            }
        });
        Ok(true)
    }

    /// Stores a message received, with the `received` acknowledgement to send back (if any), in
    /// one audited transaction. Returns `false` (nothing written, not even the audit entry) when
    /// the message id is in the inbox already: a replay. Two concurrent deliveries of one message
    /// store it once (the primary key decides).
    pub async fn receive_exchange_message(
        &self,
        row: &ExchangeInboxRow,
        acknowledgement: Option<&ExchangeOutboxRow>,
        event: &AuditEvent,
    ) -> Result<bool> {
        self.receive_signed_exchange_message(row, None, acknowledgement, event).await
    }

    /// [`Store::receive_exchange_message`], keeping the header bytes and the signature as
    /// received (`signed`: header, signature) for a later re-dispatch.
    pub async fn receive_signed_exchange_message(
        &self,
        row: &ExchangeInboxRow,
        signed: Option<(&[u8], &[u8])>,
        acknowledgement: Option<&ExchangeOutboxRow>,
        event: &AuditEvent,
    ) -> Result<bool> {
        check_state(&row.state, &INBOX_STATES)?;
        let (header, signature) = signed.unzip();
        audited_tx!(self, event, |tx| {
            let n = sqlx::query(
                "INSERT INTO exchange_inbox (message_id, sender, message_type, type_version, body, envelope_sha256, \
                 received_at, remember_until, state, received_ack_queued, outcome_ack_queued, signed_header, \
                 signature) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (message_id) DO NOTHING",
            )
            .bind(&row.message_id)
            .bind(&row.sender)
            .bind(&row.message_type)
            .bind(row.type_version)
            .bind(&row.body)
            .bind(&row.envelope_sha256)
            .bind(row.received_at)
            .bind(row.remember_until)
            .bind(&row.state)
            .bind(acknowledgement.is_some())
            .bind(row.outcome_ack_queued)
            .bind(header)
            .bind(signature)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            if let Some(ack) = acknowledgement {
                insert_outbox!(tx, ack);
            }
        });
        Ok(true)
    }

    /// One message of the inbox.
    pub async fn exchange_inbox_message(&self, message_id: &str) -> Result<Option<ExchangeInboxRow>> {
        let sql = format!("SELECT {INBOX_COLUMNS} FROM exchange_inbox WHERE message_id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(message_id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// The inbox, newest first, at most `limit` rows.
    pub async fn exchange_inbox(&self, limit: i64) -> Result<Vec<ExchangeInboxRow>> {
        let sql = format!("SELECT {INBOX_COLUMNS} FROM exchange_inbox ORDER BY received_at DESC, message_id LIMIT $1");
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// Decides a received message: sets its state (`pending`, `accepted` or `refused`) and queues
    /// the acknowledgement that says so (if any), audited, all or nothing. Returns `false`
    /// (nothing written) when the message is not in the inbox or was decided already.
    pub async fn settle_exchange_message(
        &self,
        message_id: &str,
        state: &str,
        acknowledgement: Option<&ExchangeOutboxRow>,
        event: &AuditEvent,
    ) -> Result<bool> {
        check_state(state, &INBOX_STATES)?;
        audited_tx!(self, event, |tx| {
            let n = sqlx::query(
                "UPDATE exchange_inbox SET state = $2, outcome_ack_queued = $3 \
                 WHERE message_id = $1 AND state IN ('received', 'pending')",
            )
            .bind(message_id)
            .bind(state)
            .bind(acknowledgement.is_some())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            if let Some(ack) = acknowledgement {
                insert_outbox!(tx, ack);
            }
        });
        Ok(true)
    }

    /// The received messages still undecided whose next handling is due at `now`: those whose
    /// handler failed and whose back-off has passed, and those never handled at all that were
    /// received before `unhandled_before` (a process stopped between storing and handling);
    /// the longest waiting first. Acknowledgements included.
    pub async fn due_exchange_redispatch(
        &self,
        now: i64,
        unhandled_before: i64,
        limit: i64,
    ) -> Result<Vec<ExchangeRedispatchRow>> {
        let sql = format!(
            "SELECT {INBOX_COLUMNS}, COALESCE(dispatch_attempts, 0) AS dispatch_attempts, signed_header, signature \
             FROM exchange_inbox WHERE state = 'received' AND \
             (next_dispatch_at <= $1 OR (next_dispatch_at IS NULL AND received_at < $2)) \
             ORDER BY COALESCE(next_dispatch_at, received_at), message_id LIMIT $3"
        );
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(now)
            .bind(unhandled_before)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// Records a failed handling of a received message still `received`, audited: one more
    /// attempt, the next due at `next_dispatch_at`. Returns `false` (nothing written) when the
    /// message is not in the inbox or was decided meanwhile.
    pub async fn record_exchange_dispatch_failure(
        &self,
        message_id: &str,
        next_dispatch_at: i64,
        event: &AuditEvent,
    ) -> Result<bool> {
        audited_tx!(self, event, |tx| {
            let n = sqlx::query(
                "UPDATE exchange_inbox SET dispatch_attempts = COALESCE(dispatch_attempts, 0) + 1, \
                 next_dispatch_at = $2 WHERE message_id = $1 AND state = 'received'",
            )
            .bind(message_id)
            .bind(next_dispatch_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Ok(false);
            }
        });
        Ok(true)
    }

    /// Deletes at most `limit` decided messages (`accepted` or `refused`) of the inbox whose
    /// `remember_until` is at or before `now`, audited with `event` when any was deleted (the
    /// event's detail is completed with the count); gives how many. A replay of such a message
    /// is refused as expired (its expiry is its `remember_until`) before its id is looked up.
    /// Messages still undecided (`received`, `pending`: a person decides) are kept.
    pub async fn purge_exchange_inbox(&self, now: i64, limit: i64, event: &AuditEvent) -> Result<u64> {
        let due = on_pool!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM exchange_inbox WHERE remember_until <= $1 AND state IN ('accepted', 'refused')"
        )
        .bind(now)
        .fetch_one(pool)
        .await?);
        if due == 0 {
            return Ok(0);
        }
        let mut event = event.clone();
        let deleted = audited_tx!(self, &event, |tx| {
            let deleted = sqlx::query(
                "DELETE FROM exchange_inbox WHERE message_id IN (SELECT message_id FROM exchange_inbox \
                 WHERE remember_until <= $1 AND state IN ('accepted', 'refused') ORDER BY remember_until LIMIT $2)",
            )
            .bind(now)
            .bind(limit)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            event = event.detail(format!("purged={deleted}"));
            deleted
        });
        Ok(deleted)
    }
}
