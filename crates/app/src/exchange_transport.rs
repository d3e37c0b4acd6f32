//! Transport of the transnational exchange (docs/transnational.md §7): the durable outbox a
//! message is stored in before it is sent, delivery over HTTPS with retries and back-off, the
//! inbox that deduplicates on the message id, and the acknowledgements.
//!
//! The interface other use cases call:
//! - [`App::exchange_send`] stores a message for a peer in the outbox (idempotent on its
//!   `message_id`: sending the same id twice stores it once);
//! - [`App::exchange_acknowledge`] sends the `accepted` or `refused` acknowledgement of a message
//!   received earlier, once the receiving side has decided on it;
//! - received messages reach [`crate::exchange_inbound::dispatch`], by message type.
//!
//! The transport itself: [`App::deliver_exchange_outbox`] makes one delivery pass over the
//! messages due (the server runs it in a loop), posting each through an [`EnvelopePoster`];
//! [`App::exchange_receive`] takes an envelope a peer posted. Authorisation: a message is sent by
//! the use case that made it, which decides who may; receiving is authenticated by the envelope's
//! signature under the pinned directory, not by a user. Every step is audited on both sides, with
//! the message id, the peer, the type and codes, never the body.

use crate::exchange_peers::Loaded;
use crate::{App, AppError, AppResult, admin::Acting};
use haven_crypto::FieldContext;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::message::{Message, MessageId};
use haven_exchange::encoding::{b64_encode, sha256};
use haven_exchange::messages::acknowledgement::{self, Acknowledgement, AcknowledgementStatus, RefusalReason};
use haven_exchange::{
    Directory, Envelope, FieldError, InstanceId, MAX_MESSAGE_LIFETIME, MessageDraft, MessageType, OpenError, SealError,
    SignedEntry, open, seal,
};
use haven_storage::{ExchangeDeliveryUpdate, ExchangeInboxRow, ExchangeOutboxRow};
use std::future::Future;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A message to send to a peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// The idempotency key, chosen by the caller (a UUID v7) and stored with what it sends, so a
    /// use case retried after a failure sends the same id again.
    pub message_id: Uuid,
    /// The receiving instance id (a pinned peer).
    pub receiver: String,
    pub message_type: String,
    pub type_version: u32,
    /// The body: JSON text of the type's schema.
    pub body: Vec<u8>,
    /// How long the message stays valid (at most 30 days).
    pub lifetime: Duration,
}

/// A message received from a peer, opened and verified, as the inbound handlers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    pub message_id: Uuid,
    pub sender: String,
    pub message_type: String,
    pub type_version: u32,
    pub body: Vec<u8>,
    /// SHA-256 of the envelope bytes as received, base64url (the acknowledgement's
    /// `envelope_sha256`).
    pub envelope_sha256: String,
    pub received_at: OffsetDateTime,
}

/// What an inbound handler decided on a received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundOutcome {
    /// Taken up at once: the `accepted` acknowledgement is sent.
    Accepted,
    /// Refused: the `refused` acknowledgement is sent with the reason.
    Refused { reason: RefusalReason, explanation: Option<String> },
    /// Stored for a person to decide (a referral the focal point reviews); the handler's use
    /// case calls [`App::exchange_acknowledge`] later.
    Pending,
}

/// What the receiver answers for an envelope it stored (HTTP 202).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Receipt {
    pub message_id: String,
    /// Always `received`: stored, the `received` acknowledgement queued.
    pub status: &'static str,
    /// SHA-256 of the envelope as received, base64url.
    pub envelope_sha256: String,
}

/// Why an envelope was refused: the HTTP status, the stable code of docs/transnational.md §6, a
/// message naming the problem (never the body) and the field of a malformed envelope.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExchangeRefusal {
    #[serde(skip)]
    pub status: u16,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ExchangeRefusal {
    fn of(error: &OpenError) -> ExchangeRefusal {
        ExchangeRefusal {
            status: error.http_status(),
            code: error.code().to_owned(),
            message: error.to_string(),
            field: error.field().map(str::to_owned),
        }
    }
}

/// Why [`App::exchange_receive`] did not store an envelope.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    /// Refused for what the envelope is (a 4xx): the sender does not retry, except 409.
    #[error("refused: {}", .0.code)]
    Refused(ExchangeRefusal),
    /// This instance could not take it now (a 5xx): the sender retries.
    #[error(transparent)]
    Failed(#[from] AppError),
}

/// What a peer answered to a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostResult {
    /// An HTTP answer: its status and the `code` of its JSON error body, if any.
    Answered { status: u16, code: Option<String> },
    /// No answer: the connection failed, timed out, or TLS failed. Retried.
    Unreachable { problem: String },
}

/// Posts an envelope to a peer's `…/v1/messages` URL (HTTPS in production; tests may deliver
/// in-process).
pub trait EnvelopePoster: Send + Sync {
    fn post(&self, url: &str, envelope: Vec<u8>) -> impl Future<Output = PostResult> + Send;
}

/// What one delivery pass did, by message id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: Vec<String>,
    /// Delivery failed for now (network, 5xx): retried later.
    pub retrying: Vec<String>,
    /// The receiver refused it (a 4xx other than 409): with the code.
    pub refused: Vec<(String, String)>,
    /// It expired before it could be delivered: given up.
    pub expired: Vec<String>,
}

/// A message in the outbox, as shown to the focal point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub message_id: String,
    pub receiver: String,
    pub message_type: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub acknowledged_received_at: Option<i64>,
    pub acknowledgement: Option<String>,
    pub refusal_reason: Option<String>,
    pub expires_at: i64,
}

pub use haven_exchange::MAX_ENVELOPE_BYTES;

/// The media type of an envelope posted to a peer.
pub const ENVELOPE_CONTENT_TYPE: &str = "application/vnd.haven.envelope+json";

/// The first retry waits this long (then twice as long each time, with jitter).
pub const FIRST_RETRY: Duration = Duration::seconds(30);
/// No retry waits longer than this.
pub const LONGEST_RETRY: Duration = Duration::hours(6);
/// How many due messages one delivery pass takes.
const BATCH: i64 = 100;
const ACKNOWLEDGEMENT: &str = acknowledgement::MESSAGE_TYPE;
/// The message type the transport answers itself (docs/transnational.md §8.3): accepted at once.
pub const PING: &str = "ping";

/// The wait before the next attempt after `attempts` failed ones: [`FIRST_RETRY`] doubled per
/// failure, at most [`LONGEST_RETRY`], of which a random part (up to half) is left out so that
/// senders that failed together do not retry together. `random` is any random number.
pub fn retry_delay(attempts: i64, random: u64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let full = FIRST_RETRY.whole_seconds().saturating_mul(1_i64 << doublings).min(LONGEST_RETRY.whole_seconds());
    let half = full / 2;
    let spread = u64::try_from(half).unwrap_or(0) + 1;
    let jitter = i64::try_from(random % spread).unwrap_or(0);
    Duration::seconds(full - half + jitter)
}

fn at(seconds: i64) -> AppResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(seconds).map_err(|e| AppError::Internal(Box::new(e)))
}

fn field_error(e: FieldError) -> AppError {
    AppError::invalid(&e.field, &e.problem)
}

fn body_context<'a>(table: &'a str, message_id: &'a str) -> FieldContext<'a> {
    FieldContext { table, column: "body", row: message_id }
}

fn system_event(at: i64, action: AuditAction, outcome: AuditOutcome, message_id: &str) -> AuditEvent {
    AuditEvent::new(at, action, outcome).on("exchange_message", message_id, None)
}

fn status_code(status: AcknowledgementStatus) -> &'static str {
    match status {
        AcknowledgementStatus::Received => "received",
        AcknowledgementStatus::Accepted => "accepted",
        AcknowledgementStatus::Refused => "refused",
    }
}

fn reason_code(reason: RefusalReason) -> String {
    serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "other".into())
}

/// The body of an acknowledgement of `message`.
fn acknowledgement_body(
    message: &ExchangeInboxRow,
    status: AcknowledgementStatus,
    refusal: Option<(RefusalReason, Option<String>)>,
) -> AppResult<Vec<u8>> {
    let refusal = refusal.map(|(reason, explanation)| {
        let mut value = serde_json::json!({ "reason": reason });
        if let Some(explanation) = explanation {
            value["explanation"] = serde_json::Value::String(explanation);
        }
        value
    });
    let mut body = serde_json::json!({
        "acknowledges": message.message_id,
        "acknowledged_type": message.message_type,
        "envelope_sha256": message.envelope_sha256,
        "status": status,
    });
    if let Some(refusal) = refusal {
        body["refusal"] = refusal;
    }
    let text = serde_json::to_vec(&body).map_err(|e| AppError::Internal(Box::new(e)))?;
    // Written through the type's own checks, so an explanation it refuses is refused here.
    let ack = Acknowledgement::parse(&text).map_err(|e| {
        let field = e.field.strip_prefix("body.").unwrap_or(&e.field).to_owned();
        AppError::invalid(&field, &e.problem)
    })?;
    ack.to_json().map_err(field_error)
}

impl App {
    fn outbox_row(&self, queued: Queued<'_>) -> ExchangeOutboxRow {
        let keyring = self.keys.current();
        let now = queued.now;
        ExchangeOutboxRow {
            message_id: queued.message_id.to_owned(),
            receiver: queued.receiver.to_owned(),
            message_type: queued.message_type.to_owned(),
            type_version: i64::from(queued.type_version),
            body: keyring.encrypt_field(&body_context("exchange_outbox", queued.message_id), queued.body),
            created_by: queued.created_by,
            created_at: now,
            expires_at: now.saturating_add(queued.lifetime.whole_seconds()),
            state: "pending".into(),
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            delivered_at: None,
            ack_received_at: None,
            ack_status: None,
            ack_reason: None,
            ack_at: None,
        }
    }

    /// The outbox row of an acknowledgement of `message`, to queue with the change that makes it.
    fn acknowledgement_row(
        &self,
        message: &ExchangeInboxRow,
        status: AcknowledgementStatus,
        refusal: Option<(RefusalReason, Option<String>)>,
        now: i64,
    ) -> AppResult<ExchangeOutboxRow> {
        let body = acknowledgement_body(message, status, refusal)?;
        let id = Uuid::now_v7().to_string();
        Ok(self.outbox_row(Queued {
            message_id: &id,
            receiver: &message.sender,
            message_type: ACKNOWLEDGEMENT,
            type_version: acknowledgement::TYPE_VERSION,
            body: &body,
            created_by: None,
            now,
            lifetime: MAX_MESSAGE_LIFETIME,
        }))
    }

    /// Stores `message` in the outbox for delivery (sealed to the receiver's current key at
    /// delivery time), audited. Idempotent on `message_id`: the same id again stores nothing and
    /// succeeds; the same id for another receiver or type is a conflict. The receiver must be a
    /// pinned peer. Who may send what is the calling use case's to decide.
    pub async fn exchange_send(&self, acting: Acting<'_>, message: OutgoingMessage) -> AppResult<()> {
        let receiver = InstanceId::parse("receiver", message.receiver.trim()).map_err(field_error)?;
        let message_type = MessageType::parse("message_type", &message.message_type).map_err(field_error)?;
        if message.type_version == 0 {
            return Err(AppError::invalid("type_version", "must be 1 or more"));
        }
        if message.lifetime <= Duration::ZERO || message.lifetime > MAX_MESSAGE_LIFETIME {
            return Err(AppError::invalid("lifetime", "must be more than nothing and at most 30 days"));
        }
        if serde_json::from_slice::<serde::de::IgnoredAny>(&message.body).is_err() {
            return Err(AppError::invalid("body", "is not JSON text"));
        }
        let loaded = self.require_identity().await?;
        let (directory, _) = self.load_directory(&loaded).await?;
        if directory.peer(&receiver).is_none() {
            return Err(AppError::invalid("receiver", "is not a pinned peer"));
        }
        let id = message.message_id.hyphenated().to_string();
        let now = self.now();
        let created_by = match acting {
            Acting::Operator => None,
            Acting::User(p) => Some(p.user.id.clone()),
        };
        let row = self.outbox_row(Queued {
            message_id: &id,
            receiver: receiver.as_str(),
            message_type: message_type.as_str(),
            type_version: message.type_version,
            body: &message.body,
            created_by,
            now,
            lifetime: message.lifetime,
        });
        let event = match acting {
            Acting::Operator => AuditEvent::new(now, AuditAction::ExchangeMessageQueued, AuditOutcome::Success)
                .detail("operator console"),
            Acting::User(p) => self.event(p, AuditAction::ExchangeMessageQueued),
        };
        let event = event
            .on("exchange_message", &id, None)
            .detail(format!("receiver={receiver} type={message_type} type_version={}", message.type_version));
        if self.store.queue_exchange_message(&row, &event).await? {
            return Ok(());
        }
        let stored = self.store.exchange_outbox_message(&id).await?.ok_or(AppError::NotFound)?;
        if stored.receiver != row.receiver
            || stored.message_type != row.message_type
            || stored.type_version != row.type_version
        {
            return Err(AppError::Conflict(format!("message id {id} was used for another message")));
        }
        Ok(())
    }

    /// Sends the `accepted` or `refused` acknowledgement of a received message.
    pub async fn exchange_acknowledge(
        &self,
        acting: Acting<'_>,
        message_id: Uuid,
        outcome: InboundOutcome,
    ) -> AppResult<()> {
        let id = message_id.hyphenated().to_string();
        let message = self.store.exchange_inbox_message(&id).await?.ok_or(AppError::NotFound)?;
        if message.message_type == ACKNOWLEDGEMENT {
            return Err(AppError::invalid("message_id", "an acknowledgement is not acknowledged"));
        }
        let now = self.now();
        let event = match acting {
            Acting::Operator => AuditEvent::new(now, AuditAction::ExchangeMessageDecided, AuditOutcome::Success),
            Acting::User(p) => self.event(p, AuditAction::ExchangeMessageDecided),
        };
        if matches!(outcome, InboundOutcome::Pending) {
            return Err(AppError::invalid("outcome", "must be accepted or refused"));
        }
        if !self.settle(&message, outcome, now, event).await? {
            return Err(AppError::Conflict(format!("message {id} was decided already")));
        }
        Ok(())
    }

    /// Records the decision on a received message, queuing its acknowledgement; `false` when it
    /// was decided already.
    async fn settle(
        &self,
        message: &ExchangeInboxRow,
        outcome: InboundOutcome,
        now: i64,
        event: AuditEvent,
    ) -> AppResult<bool> {
        let (state, ack) = match outcome {
            InboundOutcome::Pending => ("pending", None),
            InboundOutcome::Accepted => {
                ("accepted", Some(self.acknowledgement_row(message, AcknowledgementStatus::Accepted, None, now)?))
            }
            InboundOutcome::Refused { reason, explanation } => (
                "refused",
                Some(self.acknowledgement_row(
                    message,
                    AcknowledgementStatus::Refused,
                    Some((reason, explanation)),
                    now,
                )?),
            ),
        };
        let detail = match &ack {
            Some(ack) => format!("sender={} state={state} acknowledgement={}", message.sender, ack.message_id),
            None => format!("sender={} state={state}", message.sender),
        };
        // A detail the caller gave (the re-dispatch's attempt) is kept in front.
        let detail = match &event.detail {
            Some(before) => format!("{before} {detail}"),
            None => detail,
        };
        let event = event.on("exchange_message", &message.message_id, None).detail(detail);
        Ok(self.store.settle_exchange_message(&message.message_id, state, ack.as_ref(), &event).await?)
    }

    /// The outbox, newest first: what was sent, its delivery and the acknowledgements.
    pub async fn exchange_outbox(&self, acting: Acting<'_>, limit: i64) -> AppResult<Vec<OutboxMessage>> {
        if let Acting::User(p) = acting {
            self.require(p, haven_domain::Permission::ManagePeers).await?;
        }
        let rows = self.store.exchange_outbox(limit.clamp(1, 1000)).await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMessage {
                message_id: r.message_id,
                receiver: r.receiver,
                message_type: r.message_type,
                state: r.state,
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at,
                last_error: r.last_error,
                delivered_at: r.delivered_at,
                acknowledged_received_at: r.ack_received_at,
                acknowledgement: r.ack_status,
                refusal_reason: r.ack_reason,
                expires_at: r.expires_at,
            })
            .collect())
    }

    /// This instance's signed directory entry, as published to peers (public: it holds only
    /// public keys). `None` while the instance has no exchange identity.
    pub async fn published_directory_entry(&self) -> AppResult<Option<Vec<u8>>> {
        let Some(loaded) = self.load_identity().await? else {
            return Ok(None);
        };
        let signed = SignedEntry::sign(&loaded.entry, &loaded.local.signing).map_err(field_error)?;
        Ok(Some(signed.to_json()))
    }

    /// One delivery pass at `now`: every pending message due is sealed to its receiver's current
    /// encryption key and posted. 2xx, or 409 `replayed`, is delivered; another 4xx is refused
    /// (the code recorded); 5xx and network failures are retried after [`retry_delay`]; a message
    /// that expired is given up. Each outcome is audited.
    pub async fn deliver_exchange_outbox<P: EnvelopePoster>(&self, poster: &P, now: i64) -> AppResult<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let due = self.store.due_exchange_messages(now, BATCH).await?;
        if due.is_empty() {
            return Ok(report);
        }
        let loaded = self.require_identity().await?;
        let (directory, _) = self.load_directory(&loaded).await?;
        for row in due {
            self.deliver_one(poster, &loaded, &directory, row, now, &mut report).await?;
        }
        Ok(report)
    }

    async fn deliver_one<P: EnvelopePoster>(
        &self,
        poster: &P,
        loaded: &Loaded,
        directory: &Directory,
        row: ExchangeOutboxRow,
        now: i64,
        report: &mut DeliveryReport,
    ) -> AppResult<()> {
        let id = row.message_id.clone();
        let detail = |extra: &str| format!("receiver={} type={} {extra}", row.receiver, row.message_type);
        if now >= row.expires_at {
            let update = ExchangeDeliveryUpdate {
                message_id: id.clone(),
                state: "expired".into(),
                attempted: false,
                next_attempt_at: row.next_attempt_at,
                last_error: Some("expired".into()),
                delivered_at: None,
            };
            let event = system_event(now, AuditAction::ExchangeMessageExpired, AuditOutcome::Failure, &id)
                .detail(detail(&format!("attempts={}", row.attempts)));
            if self.store.record_exchange_delivery(&update, &event).await? {
                tracing::warn!(message_id = %id, receiver = %row.receiver, "exchange message expired undelivered");
                report.expired.push(id);
            }
            return Ok(());
        }
        let envelope = match self.seal_row(loaded, directory, &row, now) {
            Ok(envelope) => envelope,
            Err(Sealing::Retry(code)) => {
                return self.record_attempt(&row, now, "pending", Some(code), report).await;
            }
            Err(Sealing::Refuse(code)) => {
                return self.record_attempt(&row, now, "refused", Some(code), report).await;
            }
            Err(Sealing::Failed(e)) => return Err(e),
        };
        let Ok(receiver) = InstanceId::parse("receiver", &row.receiver) else {
            return self.record_attempt(&row, now, "refused", Some("unknown_receiver".into()), report).await;
        };
        let Some(peer) = directory.peer(&receiver) else {
            return self.record_attempt(&row, now, "refused", Some("unknown_receiver".into()), report).await;
        };
        let url = format!("{}/v1/messages", peer.entry().endpoint.trim_end_matches('/'));
        match poster.post(&url, envelope.to_json()).await {
            PostResult::Answered { status, .. } if (200..300).contains(&status) => {
                self.record_attempt(&row, now, "delivered", None, report).await
            }
            PostResult::Answered { status: 409, code } if code.as_deref() == Some("replayed") => {
                self.record_attempt(&row, now, "delivered", None, report).await
            }
            PostResult::Answered { status, code } if (400..500).contains(&status) => {
                let code = code.unwrap_or_else(|| format!("http_{status}"));
                self.record_attempt(&row, now, "refused", Some(code), report).await
            }
            PostResult::Answered { status, .. } => {
                self.record_attempt(&row, now, "pending", Some(format!("http_{status}")), report).await
            }
            PostResult::Unreachable { problem } => {
                tracing::info!(message_id = %id, receiver = %row.receiver, %problem, "exchange peer unreachable");
                self.record_attempt(&row, now, "pending", Some("unreachable".into()), report).await
            }
        }
    }

    fn seal_row(
        &self,
        loaded: &Loaded,
        directory: &Directory,
        row: &ExchangeOutboxRow,
        now: i64,
    ) -> Result<Envelope, Sealing> {
        let body = self
            .keys
            .current()
            .decrypt_field(&body_context("exchange_outbox", &row.message_id), &row.body)
            .map_err(|e| Sealing::Failed(e.into()))?;
        let refuse = |_| Sealing::Refuse("invalid_message".into());
        let draft = MessageDraft {
            message_id: Uuid::parse_str(&row.message_id).map_err(|_| Sealing::Refuse("invalid_message".into()))?,
            receiver: InstanceId::parse("receiver", &row.receiver).map_err(refuse)?,
            message_type: MessageType::parse("message_type", &row.message_type).map_err(refuse)?,
            type_version: u32::try_from(row.type_version).map_err(|_| Sealing::Refuse("invalid_message".into()))?,
            created_at: at(now).map_err(Sealing::Failed)?,
            expires_at: at(row.expires_at).map_err(Sealing::Failed)?,
            body,
        };
        seal(&draft, &loaded.local, directory).map_err(|e| match e {
            SealError::UnknownReceiver { .. } => Sealing::Refuse("unknown_receiver".into()),
            // The peer's entry may list a new key after a rotation is applied here: retried.
            SealError::NoValidReceiverKey { .. } => Sealing::Retry("no_valid_receiver_key".into()),
            SealError::Encryption => Sealing::Retry("encryption_failed".into()),
            SealError::Invalid(_) | SealError::TooLarge { .. } => Sealing::Refuse("invalid_message".into()),
        })
    }

    async fn record_attempt(
        &self,
        row: &ExchangeOutboxRow,
        now: i64,
        state: &str,
        error: Option<String>,
        report: &mut DeliveryReport,
    ) -> AppResult<()> {
        let attempts = row.attempts + 1;
        let next = match state {
            "pending" => now.saturating_add(retry_delay(attempts, Uuid::new_v4().as_u64_pair().0).whole_seconds()),
            _ => now,
        };
        let (action, outcome) = match state {
            "delivered" => (AuditAction::ExchangeMessageDelivered, AuditOutcome::Success),
            "refused" => (AuditAction::ExchangeMessageRefusedByPeer, AuditOutcome::Failure),
            _ => (AuditAction::ExchangeDeliveryFailed, AuditOutcome::Failure),
        };
        let mut detail = format!("receiver={} type={} attempt={attempts}", row.receiver, row.message_type);
        if let Some(code) = &error {
            detail.push_str(&format!(" code={code}"));
        }
        if state == "pending" {
            detail.push_str(&format!(" next_attempt_at={next}"));
        }
        let update = ExchangeDeliveryUpdate {
            message_id: row.message_id.clone(),
            state: state.to_owned(),
            attempted: true,
            next_attempt_at: next,
            last_error: error.clone(),
            delivered_at: (state == "delivered").then_some(now),
        };
        let event = system_event(now, action, outcome, &row.message_id).detail(detail);
        if !self.store.record_exchange_delivery(&update, &event).await? {
            return Ok(());
        }
        let id = row.message_id.clone();
        match state {
            "delivered" => report.delivered.push(id),
            "refused" => {
                tracing::warn!(message_id = %id, receiver = %row.receiver, code = ?error, "exchange message refused by the peer");
                report.refused.push((id, error.unwrap_or_default()));
            }
            _ => report.retrying.push(id),
        }
        Ok(())
    }

    async fn audit_refusal(&self, now: i64, envelope: &[u8], refusal: &ExchangeRefusal) {
        let header = Envelope::parse(envelope).ok().map(|e| e.header().clone());
        let mut event = AuditEvent::new(now, AuditAction::ExchangeMessageRefused, AuditOutcome::Failure);
        let mut detail = format!("code={} status={}", refusal.code, refusal.status);
        if let Some(field) = &refusal.field {
            detail.push_str(&format!(" field={field}"));
        }
        if let Some(header) = header {
            event = event.on("exchange_message", &header.message_id.hyphenated().to_string(), None);
            detail.push_str(&format!(" sender={} type={}", header.sender, header.message_type));
        }
        let event = event.detail(detail);
        if let Err(e) = self.store.append_audit(&event).await {
            tracing::error!(error = %e, "could not record a refused exchange message");
        }
    }

    /// Refuses, audited, a request whose body was not read as an envelope (too large to read,
    /// or not sent as one), with the status, code and field of the answer.
    pub async fn exchange_refuse_unread(
        &self,
        now: i64,
        status: u16,
        code: &str,
        message: &str,
        field: Option<&str>,
    ) -> ExchangeRefusal {
        let refusal = ExchangeRefusal {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            field: field.map(str::to_owned),
        };
        self.audit_refusal(now, &[], &refusal).await;
        refusal
    }

    async fn refuse(&self, now: i64, envelope: &[u8], error: &OpenError) -> ReceiveError {
        let refusal = ExchangeRefusal::of(error);
        self.audit_refusal(now, envelope, &refusal).await;
        tracing::info!(code = refusal.code, status = refusal.status, "exchange envelope refused");
        ReceiveError::Refused(refusal)
    }

    /// Takes an envelope a peer posted, at `now`: size; opened with this instance's keys and the
    /// pinned directory in the order of docs/transnational.md §5; a message id seen before is
    /// refused 409 `replayed` (two concurrent deliveries store it once and dispatch it once); then
    /// stored with its `received` acknowledgement queued, in one audited transaction, and handed
    /// to its type's handler, whose decision queues the `accepted` or `refused` acknowledgement.
    /// An acknowledgement received updates the outbox row it acknowledges and is not answered.
    /// Every refusal is audited with its code, and the sender and message id when readable.
    pub async fn exchange_receive(&self, envelope: &[u8], now: i64) -> Result<Receipt, ReceiveError> {
        if envelope.len() > MAX_ENVELOPE_BYTES {
            return Err(self
                .refuse(now, &[], &OpenError::TooLarge { size: envelope.len(), limit: MAX_ENVELOPE_BYTES })
                .await);
        }
        let time = at(now)?;
        let Some(loaded) = self.load_identity().await? else {
            return Err(AppError::conflict(
                "this instance has no exchange identity",
                Message::new(MessageId::ExchangeNoIdentity),
            )
            .into());
        };
        let (directory, _) = self.load_directory(&loaded).await?;
        let opened = match open(envelope, time, &loaded.local, &directory) {
            Ok(opened) => opened,
            Err(e) => return Err(self.refuse(now, envelope, &e).await),
        };
        // What the sender signed, for the handlers that keep it as evidence.
        let original = haven_exchange::SignedOriginal::of(&opened);
        let header = opened.header;
        let id = header.message_id.hyphenated().to_string();
        let envelope_sha256 = b64_encode(&sha256(envelope));
        let keyring = self.keys.current();
        let row = ExchangeInboxRow {
            message_id: id.clone(),
            sender: header.sender.as_str().to_owned(),
            message_type: header.message_type.as_str().to_owned(),
            type_version: i64::from(header.type_version),
            body: keyring.encrypt_field(&body_context("exchange_inbox", &id), &opened.body),
            envelope_sha256: envelope_sha256.clone(),
            received_at: now,
            remember_until: header.remember_until().unix_timestamp(),
            state: "received".into(),
            received_ack_queued: false,
            outcome_ack_queued: false,
        };
        let is_acknowledgement = row.message_type == ACKNOWLEDGEMENT;
        let received_ack = if is_acknowledgement {
            None
        } else {
            Some(self.acknowledgement_row(&row, AcknowledgementStatus::Received, None, now)?)
        };
        let mut detail = format!(
            "sender={} type={} type_version={} sender_signing_key={}",
            row.sender, row.message_type, row.type_version, header.sender_signing_key
        );
        if let Some(ack) = &received_ack {
            detail.push_str(&format!(" acknowledgement={}", ack.message_id));
        }
        let event = system_event(now, AuditAction::ExchangeMessageReceived, AuditOutcome::Success, &id).detail(detail);
        let signed = (original.header.as_slice(), original.signature.as_slice());
        if !self
            .store
            .receive_signed_exchange_message(&row, Some(signed), received_ack.as_ref(), &event)
            .await
            .map_err(AppError::from)?
        {
            return Err(self.refuse(now, envelope, &OpenError::Replayed { message_id: header.message_id }).await);
        }
        let receipt = Receipt { message_id: id.clone(), status: "received", envelope_sha256: envelope_sha256.clone() };
        if is_acknowledgement {
            self.take_acknowledgement(&row, &opened.body, now).await?;
            return Ok(receipt);
        }
        let message = ReceivedMessage {
            message_id: header.message_id,
            sender: row.sender.clone(),
            message_type: row.message_type.clone(),
            type_version: header.type_version,
            body: opened.body,
            envelope_sha256,
            received_at: time,
        };
        let outcome = if row.message_type == PING {
            Ok(InboundOutcome::Accepted)
        } else {
            crate::exchange_inbound::dispatch(self, &message, &original).await
        };
        match outcome {
            Ok(outcome) => {
                let event = system_event(now, AuditAction::ExchangeMessageDecided, AuditOutcome::Success, &id);
                self.settle(&row, outcome, now, event).await?;
            }
            Err(e) => {
                // Stored and acknowledged as received: it stays `received`, and the delivery
                // loop hands it to its handler again ([`App::redispatch_exchange_inbox`]).
                tracing::error!(error = %e, message_id = %id, "an exchange message could not be handled");
                self.record_dispatch_failure(&row, 1, now).await?;
            }
        }
        Ok(receipt)
    }

    /// An acknowledgement received: updates the outbox row of the message it acknowledges (sent
    /// to its sender) and records it in the inbox as accepted, or refused when its body is not an
    /// acknowledgement or acknowledges nothing this instance sent to that peer.
    async fn take_acknowledgement(&self, row: &ExchangeInboxRow, body: &[u8], now: i64) -> AppResult<()> {
        let parsed = Acknowledgement::parse(body);
        let state = match parsed {
            Ok(ack) => {
                let status = status_code(ack.status);
                let reason = ack.refusal.as_ref().map(|r| reason_code(r.reason));
                let acknowledged = ack.acknowledges.hyphenated().to_string();
                let mut detail = format!("sender={} acknowledgement={} status={status}", row.sender, row.message_id);
                if let Some(reason) = &reason {
                    detail.push_str(&format!(" reason={reason}"));
                }
                let event = system_event(
                    now,
                    AuditAction::ExchangeAcknowledgementReceived,
                    AuditOutcome::Success,
                    &acknowledged,
                )
                .detail(detail);
                let known = self
                    .store
                    .record_exchange_acknowledgement(&acknowledged, &row.sender, status, reason.as_deref(), now, &event)
                    .await?;
                if known { "accepted" } else { "refused" }
            }
            Err(_) => "refused",
        };
        let event = system_event(now, AuditAction::ExchangeMessageDecided, AuditOutcome::Success, &row.message_id)
            .detail(format!("sender={} state={state}", row.sender));
        self.store.settle_exchange_message(&row.message_id, state, None, &event).await?;
        Ok(())
    }
}

/// How many times a received message is handed to its handler (the first time on receipt)
/// before it is refused.
pub const MAX_DISPATCH_ATTEMPTS: i64 = 5;
/// The first re-dispatch waits this long after the failed handling; then twice as long each time.
pub const FIRST_REDISPATCH: Duration = Duration::minutes(1);
/// A received message never handled (the process stopped between storing and handling it) is
/// taken up once it is this old.
pub const UNHANDLED_GRACE: Duration = Duration::minutes(5);
/// How many received messages one re-dispatch pass takes, and one purge deletes.
const INBOX_BATCH: i64 = 500;

/// The wait before handing a message to its handler again after `failures` failed handlings.
pub fn redispatch_delay(failures: i64) -> Duration {
    let doublings = u32::try_from(failures.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    Duration::seconds(FIRST_REDISPATCH.whole_seconds().saturating_mul(1_i64 << doublings))
}

/// What one re-dispatch pass did, by message id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedispatchReport {
    /// Handled this time: decided (or pending for a person).
    pub handled: Vec<String>,
    /// Failed again: handed over again later.
    pub retrying: Vec<String>,
    /// Failed [`MAX_DISPATCH_ATTEMPTS`] times (or cannot be handled again): refused, with the
    /// `refused` acknowledgement queued.
    pub given_up: Vec<String>,
}

impl App {
    /// Records a failed handling (the `attempt`-th) of a received message, audited: handed over
    /// again after [`redispatch_delay`].
    async fn record_dispatch_failure(&self, row: &ExchangeInboxRow, attempt: i64, now: i64) -> AppResult<bool> {
        let next = now.saturating_add(redispatch_delay(attempt).whole_seconds());
        let event =
            system_event(now, AuditAction::ExchangeDispatchFailed, AuditOutcome::Failure, &row.message_id).detail(
                format!("sender={} type={} attempt={attempt} next_dispatch_at={next}", row.sender, row.message_type),
            );
        Ok(self.store.record_exchange_dispatch_failure(&row.message_id, next, &event).await?)
    }

    /// Refuses a received message its handler failed on too often, audited, queuing the
    /// `refused` acknowledgement (none for an acknowledgement).
    async fn give_up_dispatch(&self, row: &ExchangeInboxRow, attempts: i64, why: &str, now: i64) -> AppResult<bool> {
        let event = system_event(now, AuditAction::ExchangeDispatchFailed, AuditOutcome::Failure, &row.message_id);
        let detail = format!("sender={} type={} attempts={attempts} given_up={why}", row.sender, row.message_type);
        if row.message_type == ACKNOWLEDGEMENT {
            let event = event.detail(format!("{detail} state=refused"));
            return Ok(self.store.settle_exchange_message(&row.message_id, "refused", None, &event).await?);
        }
        let outcome = InboundOutcome::Refused {
            reason: RefusalReason::Other,
            explanation: Some("the receiver could not handle the message; send it again with a new message id".into()),
        };
        let event = event.detail(detail);
        self.settle(row, outcome, now, event).await
    }

    /// One re-dispatch pass at `now` (the server runs it with each delivery pass): every
    /// received message still undecided whose handler failed is handed to it again once its
    /// back-off ([`redispatch_delay`]) has passed, and a message never handled once it is
    /// [`UNHANDLED_GRACE`] old. After [`MAX_DISPATCH_ATTEMPTS`] failed handlings the message is
    /// refused (reason `other`) with its acknowledgement queued. Each step is audited.
    pub async fn redispatch_exchange_inbox(&self, now: i64) -> AppResult<RedispatchReport> {
        let mut report = RedispatchReport::default();
        let unhandled_before = now.saturating_sub(UNHANDLED_GRACE.whole_seconds());
        let due = self.store.due_exchange_redispatch(now, unhandled_before, INBOX_BATCH).await?;
        for due in due {
            let row = due.message;
            let attempt = due.dispatch_attempts + 1;
            let id = row.message_id.clone();
            let body = self.keys.current().decrypt_field(&body_context("exchange_inbox", &id), &row.body)?;
            if row.message_type == ACKNOWLEDGEMENT {
                match self.take_acknowledgement(&row, &body, now).await {
                    Ok(()) => report.handled.push(id),
                    Err(e) => self.dispatch_failed(&row, attempt, &e, now, &mut report).await?,
                }
                continue;
            }
            let (Some(header), Some(signature)) = (due.signed_header, due.signature) else {
                // Received before the signed original was kept: it cannot be handed over as
                // received.
                if self.give_up_dispatch(&row, attempt - 1, "no_signed_original", now).await? {
                    report.given_up.push(id);
                }
                continue;
            };
            let Ok(signature) = <[u8; 64]>::try_from(signature.as_slice()) else {
                if self.give_up_dispatch(&row, attempt - 1, "no_signed_original", now).await? {
                    report.given_up.push(id);
                }
                continue;
            };
            let Ok(message_id) = Uuid::parse_str(&id) else {
                if self.give_up_dispatch(&row, attempt - 1, "invalid_message_id", now).await? {
                    report.given_up.push(id);
                }
                continue;
            };
            let original = haven_exchange::SignedOriginal { header, body: body.clone(), signature };
            let message = ReceivedMessage {
                message_id,
                sender: row.sender.clone(),
                message_type: row.message_type.clone(),
                type_version: u32::try_from(row.type_version).unwrap_or(1),
                body,
                envelope_sha256: row.envelope_sha256.clone(),
                received_at: at(row.received_at)?,
            };
            let outcome = if row.message_type == PING {
                Ok(InboundOutcome::Accepted)
            } else {
                crate::exchange_inbound::dispatch(self, &message, &original).await
            };
            match outcome {
                Ok(outcome) => {
                    let event = system_event(now, AuditAction::ExchangeMessageDecided, AuditOutcome::Success, &id)
                        .detail(format!("attempt={attempt}"));
                    if self.settle(&row, outcome, now, event).await? {
                        report.handled.push(id);
                    }
                }
                Err(e) => self.dispatch_failed(&row, attempt, &e, now, &mut report).await?,
            }
        }
        Ok(report)
    }

    async fn dispatch_failed(
        &self,
        row: &ExchangeInboxRow,
        attempt: i64,
        error: &AppError,
        now: i64,
        report: &mut RedispatchReport,
    ) -> AppResult<()> {
        tracing::error!(error = %error, message_id = %row.message_id, attempt, "an exchange message could not be handled");
        let id = row.message_id.clone();
        if attempt >= MAX_DISPATCH_ATTEMPTS {
            if self.give_up_dispatch(row, attempt, "too_many_failures", now).await? {
                report.given_up.push(id);
            }
        } else if self.record_dispatch_failure(row, attempt, now).await? {
            report.retrying.push(id);
        }
        Ok(())
    }

    /// Deletes the decided messages of the inbox whose `remember_until` has passed at `now`
    /// (at most a batch per call), audited; gives how many. Safe for replays: from
    /// `remember_until` (the message's expiry) on, a replay is refused as expired before its
    /// message id is looked up. Undecided messages (a person decides, or re-dispatch is due)
    /// are kept.
    pub async fn purge_exchange_inbox(&self, now: i64) -> AppResult<u64> {
        let event = AuditEvent::new(now, AuditAction::ExchangeInboxPurged, AuditOutcome::Success);
        Ok(self.store.purge_exchange_inbox(now, INBOX_BATCH, &event).await?)
    }
}

/// A message to store in the outbox.
struct Queued<'a> {
    message_id: &'a str,
    receiver: &'a str,
    message_type: &'a str,
    type_version: u32,
    body: &'a [u8],
    created_by: Option<String>,
    now: i64,
    lifetime: Duration,
}

/// Why a stored message could not be sealed now.
enum Sealing {
    Retry(String),
    Refuse(String),
    Failed(AppError),
}
