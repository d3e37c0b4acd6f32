//! Received exchange messages, by type: each message type's use case registers one arm here.
//! The transport calls [`dispatch`] once per message id (duplicates never reach it), after
//! storing the message and sending the `received` acknowledgement.

use crate::{
    App, AppResult,
    exchange_transport::{InboundOutcome, ReceivedMessage},
};
use haven_exchange::messages::acknowledgement::RefusalReason;

pub(crate) async fn dispatch(app: &App, message: &ReceivedMessage) -> AppResult<InboundOutcome> {
    let _ = app;
    match message.message_type.as_str() {
        // One arm per message type: "referral" | "referral_update" | "statistics_submission" |
        // "person_encodings" => crate::<module>::on_received(app, message).await,
        _ => Ok(InboundOutcome::Refused { reason: RefusalReason::UnsupportedMessageType, explanation: None }),
    }
}
