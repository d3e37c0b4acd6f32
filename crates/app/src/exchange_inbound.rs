//! Received exchange messages, by type: each message type's use case registers one arm here.
//! The transport calls [`dispatch`] once per message id (duplicates never reach it), after
//! storing the message and sending the `received` acknowledgement.

use crate::{
    App, AppResult,
    exchange_transport::{InboundOutcome, ReceivedMessage},
};
use haven_exchange::messages::acknowledgement::RefusalReason;

/// `original` is what the sender signed (header bytes, body, signature), for the handlers that
/// keep it as evidence.
pub(crate) async fn dispatch(
    app: &App,
    message: &ReceivedMessage,
    original: &haven_exchange::SignedOriginal,
) -> AppResult<InboundOutcome> {
    let _ = app;
    match message.message_type.as_str() {
        "statistics_submission" => crate::exchange_statistics::on_received(app, message, original).await,
        "referral" | "referral_update" => crate::exchange_referrals::on_received(app, message).await,
        // One arm per message type: "referral" | "referral_update" | "statistics_submission" |
        // "person_encodings" => crate::<module>::on_received(app, message).await,
        "person_encodings" => app.on_person_encodings_received(message).await,
        "directory_entry" => app.on_directory_entry_received(message).await,
        _ => Ok(InboundOutcome::Refused { reason: RefusalReason::UnsupportedMessageType, explanation: None }),
    }
}
