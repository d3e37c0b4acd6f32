//! Where a message this instance sent stands, as the focal point and the rapporteur read it
//! (docs/transnational.md §7.2 and §11): one code from the outbox's delivery state and the
//! acknowledgements that came back: `queued` (waiting for delivery or a retry), `delivered`,
//! `acknowledged_received`, `acknowledged_accepted`, `acknowledged_refused`, `refused` (the
//! receiver refused the envelope) or `expired`. Never the body.

use crate::exchange_transport::OutboxMessage;
use crate::{App, AppResult, Principal};

/// The progress of a sent message, one code (see the module).
pub fn progress(m: &OutboxMessage) -> &'static str {
    match (m.state.as_str(), m.acknowledgement.as_deref(), m.acknowledged_received_at) {
        (_, Some("accepted"), _) => "acknowledged_accepted",
        (_, Some("refused"), _) => "acknowledged_refused",
        (_, _, Some(_)) => "acknowledged_received",
        ("delivered", _, _) => "delivered",
        ("refused", _, _) => "refused",
        ("expired", _, _) => "expired",
        _ => "queued",
    }
}

/// A release's message to the EU hub, as its outbox row tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubAcknowledgement {
    /// [`progress`]'s code.
    pub progress: &'static str,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub delivered_at: Option<i64>,
    pub acknowledged_received_at: Option<i64>,
    /// The hub's refusal reason, when it refused the release.
    pub refusal_reason: Option<String>,
    /// The last delivery failure's code.
    pub last_error: Option<String>,
}

impl App {
    /// How the EU hub has answered the release's message so far (the release of the principal's
    /// country, as [`App::hub_delivery`] decides); `None` before it was handed to the outbox.
    pub async fn hub_acknowledgement(
        &self,
        principal: &Principal,
        release_id: &str,
    ) -> AppResult<Option<HubAcknowledgement>> {
        let Some(delivery) = self.hub_delivery(principal, release_id).await? else {
            return Ok(None);
        };
        let Some(row) = self.store.exchange_outbox_message(&delivery.message_id).await? else {
            return Ok(None);
        };
        let message = OutboxMessage {
            message_id: row.message_id,
            receiver: row.receiver,
            message_type: row.message_type,
            state: row.state,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            delivered_at: row.delivered_at,
            acknowledged_received_at: row.ack_received_at,
            acknowledgement: row.ack_status,
            refusal_reason: row.ack_reason,
            expires_at: row.expires_at,
        };
        Ok(Some(HubAcknowledgement {
            progress: progress(&message),
            attempts: message.attempts,
            next_attempt_at: message.next_attempt_at,
            delivered_at: message.delivered_at,
            acknowledged_received_at: message.acknowledged_received_at,
            refusal_reason: message.refusal_reason,
            last_error: message.last_error,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(state: &str, received: Option<i64>, decision: Option<&str>) -> OutboxMessage {
        OutboxMessage {
            message_id: "m".into(),
            receiver: "EU".into(),
            message_type: "statistics_submission".into(),
            state: state.into(),
            attempts: 1,
            next_attempt_at: 0,
            last_error: None,
            delivered_at: None,
            acknowledged_received_at: received,
            acknowledgement: decision.map(str::to_owned),
            refusal_reason: None,
            expires_at: 0,
        }
    }

    #[test]
    fn the_progress_of_a_message_follows_its_acknowledgements() {
        assert_eq!(progress(&message("pending", None, None)), "queued");
        assert_eq!(progress(&message("delivered", None, None)), "delivered");
        assert_eq!(progress(&message("delivered", Some(1), None)), "acknowledged_received");
        assert_eq!(progress(&message("delivered", Some(1), Some("accepted"))), "acknowledged_accepted");
        assert_eq!(progress(&message("delivered", Some(1), Some("refused"))), "acknowledged_refused");
        assert_eq!(progress(&message("refused", None, None)), "refused");
        assert_eq!(progress(&message("expired", None, None)), "expired");
    }
}
