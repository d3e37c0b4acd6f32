//! The exchange transport tables (migration 0020): the outbox stores a message id once and
//! records each attempt only while the message is pending; the inbox stores a message id once,
//! even under concurrent deliveries, with its `received` acknowledgement queued in the same
//! transaction; acknowledgements settle the outbox row; both tables are backed up.

use crate::support::{T0, TestStore, event};
use haven_domain::audit::AuditAction;
use haven_storage::{ENCRYPTED_COLUMNS, ExchangeDeliveryUpdate, ExchangeInboxRow, ExchangeOutboxRow, TABLES};

contract_tests!(
    an_outbox_message_is_stored_once_and_attempts_count_only_while_pending,
    an_inbox_message_is_stored_once_even_when_delivered_twice_at_the_same_time,
    acknowledgements_settle_the_outbox_row_of_their_receiver_only,
    a_received_message_is_decided_once_with_its_acknowledgement_queued,
    the_transport_tables_are_backed_up_and_restored,
    a_failed_handling_is_counted_and_due_again_after_its_back_off_until_decided,
    decided_messages_are_purged_once_their_replay_window_has_passed_and_undecided_ones_kept,
);

pub(crate) fn outbox(id: &str, receiver: &str, at: i64) -> ExchangeOutboxRow {
    ExchangeOutboxRow {
        message_id: id.into(),
        receiver: receiver.into(),
        message_type: "ping".into(),
        type_version: 1,
        body: vec![9, 8, 7],
        created_by: None,
        created_at: at,
        expires_at: at + 86_400,
        state: "pending".into(),
        attempts: 0,
        next_attempt_at: at,
        last_error: None,
        delivered_at: None,
        ack_received_at: None,
        ack_status: None,
        ack_reason: None,
        ack_at: None,
    }
}

pub(crate) fn inbox(id: &str, sender: &str, at: i64) -> ExchangeInboxRow {
    ExchangeInboxRow {
        message_id: id.into(),
        sender: sender.into(),
        message_type: "ping".into(),
        type_version: 1,
        body: vec![1, 2, 3],
        envelope_sha256: "c2hh".into(),
        received_at: at,
        remember_until: at + 86_400,
        state: "received".into(),
        received_ack_queued: false,
        outcome_ack_queued: false,
    }
}

fn update(id: &str, state: &str, next: i64, error: Option<&str>) -> ExchangeDeliveryUpdate {
    ExchangeDeliveryUpdate {
        message_id: id.into(),
        state: state.into(),
        attempted: true,
        next_attempt_at: next,
        last_error: error.map(str::to_owned),
        delivered_at: (state == "delivered").then_some(next),
    }
}

pub(crate) async fn fill_exchange_transport(t: &TestStore) {
    let e = event(AuditAction::OrganisationCreated);
    assert!(t.store.queue_exchange_message(&outbox("m-out-1", "EE", T0), &e).await.unwrap());
    t.store.record_exchange_delivery(&update("m-out-1", "delivered", T0 + 5, None), &e).await.unwrap();
    t.store.record_exchange_acknowledgement("m-out-1", "EE", "refused", Some("no_capacity"), T0 + 9, &e).await.unwrap();
    let ack = outbox("m-ack-1", "EE", T0 + 1);
    assert!(t.store.receive_exchange_message(&inbox("m-in-1", "EE", T0 + 1), Some(&ack), &e).await.unwrap());
    t.store.settle_exchange_message("m-in-1", "accepted", Some(&outbox("m-ack-2", "EE", T0 + 2)), &e).await.unwrap();
    let signed: (&[u8], &[u8]) = (b"{\"header\":1}", &[7; 64]);
    assert!(
        t.store.receive_signed_exchange_message(&inbox("m-in-2", "EE", T0 + 3), Some(signed), None, &e).await.unwrap()
    );
    assert!(t.store.record_exchange_dispatch_failure("m-in-2", T0 + 63, &e).await.unwrap());
}

async fn an_outbox_message_is_stored_once_and_attempts_count_only_while_pending(t: TestStore) {
    let e = event(AuditAction::OrganisationCreated);
    let head = t.head_seq().await;
    assert!(t.store.queue_exchange_message(&outbox("m-1", "EE", T0), &e).await.unwrap());
    let mut again = outbox("m-1", "FI", T0 + 7);
    again.body = vec![0];
    assert!(!t.store.queue_exchange_message(&again, &e).await.unwrap());
    assert_eq!(t.head_seq().await, head + 1, "the second queue wrote no audit entry");
    let stored = t.store.exchange_outbox_message("m-1").await.unwrap().unwrap();
    assert_eq!(stored, outbox("m-1", "EE", T0));

    assert!(t.store.due_exchange_messages(T0 - 1, 10).await.unwrap().is_empty());
    assert_eq!(t.store.due_exchange_messages(T0, 10).await.unwrap().len(), 1);
    assert!(t.store.record_exchange_delivery(&update("m-1", "pending", T0 + 60, Some("http_503")), &e).await.unwrap());
    assert!(t.store.due_exchange_messages(T0 + 59, 10).await.unwrap().is_empty());
    assert!(
        t.store.record_exchange_delivery(&update("m-1", "refused", T0 + 60, Some("bad_signature")), &e).await.unwrap()
    );
    // settled: a late worker's result is not written
    assert!(!t.store.record_exchange_delivery(&update("m-1", "delivered", T0 + 61, None), &e).await.unwrap());
    let stored = t.store.exchange_outbox_message("m-1").await.unwrap().unwrap();
    assert_eq!((stored.state.as_str(), stored.attempts), ("refused", 2));
    assert_eq!(stored.last_error.as_deref(), Some("bad_signature"));
    assert_eq!(stored.delivered_at, None);
    assert!(t.store.due_exchange_messages(T0 + 1000, 10).await.unwrap().is_empty());
    assert!(t.store.queue_exchange_message(&outbox("m-2", "EE", T0), &e).await.is_ok());
    let mut bad = outbox("m-3", "EE", T0);
    bad.state = "lost".into();
    assert!(t.store.queue_exchange_message(&bad, &e).await.is_err());
}

async fn an_inbox_message_is_stored_once_even_when_delivered_twice_at_the_same_time(t: TestStore) {
    let e = event(AuditAction::OrganisationCreated);
    let head = t.head_seq().await;
    let (message, ack_a, ack_b) = (inbox("m-9", "EE", T0), outbox("ack-a", "EE", T0), outbox("ack-b", "EE", T0));
    let (a, b) = tokio::join!(
        t.store.receive_exchange_message(&message, Some(&ack_a), &e),
        t.store.receive_exchange_message(&message, Some(&ack_b), &e),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a ^ b, "exactly one of two concurrent deliveries stores the message: {a} {b}");
    assert_eq!(t.head_seq().await, head + 1);
    let acks = t.store.exchange_outbox(10).await.unwrap();
    assert_eq!(acks.len(), 1, "one received acknowledgement queued");
    let stored = t.store.exchange_inbox_message("m-9").await.unwrap().unwrap();
    assert!(stored.received_ack_queued);
    assert_eq!(stored.body, vec![1, 2, 3]);
    assert_eq!(t.store.exchange_inbox(10).await.unwrap().len(), 1);
}

async fn acknowledgements_settle_the_outbox_row_of_their_receiver_only(t: TestStore) {
    let e = event(AuditAction::OrganisationCreated);
    t.store.queue_exchange_message(&outbox("m-1", "EE", T0), &e).await.unwrap();
    assert!(!t.store.record_exchange_acknowledgement("m-1", "FI", "received", None, T0 + 1, &e).await.unwrap());
    assert!(!t.store.record_exchange_acknowledgement("m-x", "EE", "received", None, T0 + 1, &e).await.unwrap());
    assert!(t.store.record_exchange_acknowledgement("m-1", "EE", "received", None, T0 + 2, &e).await.unwrap());
    let row = t.store.exchange_outbox_message("m-1").await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.ack_received_at, row.delivered_at), ("delivered", Some(T0 + 2), Some(T0 + 2)));
    assert!(t.store.record_exchange_acknowledgement("m-1", "EE", "accepted", None, T0 + 5, &e).await.unwrap());
    let row = t.store.exchange_outbox_message("m-1").await.unwrap().unwrap();
    assert_eq!(
        (row.ack_status.as_deref(), row.ack_at, row.ack_received_at),
        (Some("accepted"), Some(T0 + 5), Some(T0 + 2))
    );
    assert!(t.store.record_exchange_acknowledgement("m-1", "EE", "sideways", None, T0, &e).await.is_err());
}

async fn a_received_message_is_decided_once_with_its_acknowledgement_queued(t: TestStore) {
    let e = event(AuditAction::OrganisationCreated);
    t.store.receive_exchange_message(&inbox("m-1", "EE", T0), None, &e).await.unwrap();
    assert!(!t.store.exchange_inbox_message("m-1").await.unwrap().unwrap().received_ack_queued);
    assert!(t.store.settle_exchange_message("m-1", "pending", None, &e).await.unwrap());
    assert!(t.store.settle_exchange_message("m-1", "refused", Some(&outbox("ack-1", "EE", T0)), &e).await.unwrap());
    assert!(!t.store.settle_exchange_message("m-1", "accepted", Some(&outbox("ack-2", "EE", T0)), &e).await.unwrap());
    let row = t.store.exchange_inbox_message("m-1").await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.outcome_ack_queued), ("refused", true));
    let acks: Vec<String> = t.store.exchange_outbox(10).await.unwrap().into_iter().map(|r| r.message_id).collect();
    assert_eq!(acks, vec!["ack-1".to_owned()]);
    assert!(!t.store.settle_exchange_message("m-none", "accepted", None, &e).await.unwrap());
}

async fn the_transport_tables_are_backed_up_and_restored(t: TestStore) {
    for table in ["exchange_outbox", "exchange_inbox"] {
        assert!(TABLES.contains(&table), "{table} is not backed up");
        assert!(
            ENCRYPTED_COLUMNS.iter().any(|c| c.table == table && c.column == "body" && c.row == "message_id"),
            "{table}.body is not re-encrypted by a key rotation"
        );
    }
    fill_exchange_transport(&t).await;
    let dump = t.dump().await;
    let target = t.sibling().await;
    target.store.restore(&mut dump.as_slice()).await.unwrap();
    assert_eq!(target.store.exchange_outbox(10).await.unwrap(), t.store.exchange_outbox(10).await.unwrap());
    assert_eq!(target.store.exchange_inbox(10).await.unwrap(), t.store.exchange_inbox(10).await.unwrap());
    assert_eq!(t.store.exchange_outbox(10).await.unwrap().len(), 3);
}

async fn a_failed_handling_is_counted_and_due_again_after_its_back_off_until_decided(t: TestStore) {
    let e = event(AuditAction::ExchangeDispatchFailed);
    let signed: (&[u8], &[u8]) = (b"{\"header\":1}", &[7; 64]);
    assert!(t.store.receive_signed_exchange_message(&inbox("m-1", "EE", T0), Some(signed), None, &e).await.unwrap());
    t.store.receive_exchange_message(&inbox("m-2", "EE", T0 + 1), None, &e).await.unwrap();
    // Never handled: due once received before `unhandled_before`, not before.
    assert!(t.store.due_exchange_redispatch(T0 + 1000, T0, 10).await.unwrap().is_empty());
    let due = t.store.due_exchange_redispatch(T0 + 1000, T0 + 1, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].message, inbox("m-1", "EE", T0));
    assert_eq!(due[0].dispatch_attempts, 0);
    assert_eq!(due[0].signed_header.as_deref(), Some(signed.0));
    assert_eq!(due[0].signature.as_deref(), Some(signed.1));
    let ids = |rows: Vec<haven_storage::ExchangeRedispatchRow>| -> Vec<String> {
        rows.into_iter().map(|r| r.message.message_id).collect()
    };
    assert_eq!(ids(t.store.due_exchange_redispatch(T0 + 1000, T0 + 2, 10).await.unwrap()), vec!["m-1", "m-2"]);
    assert!(t.store.due_exchange_redispatch(T0 + 1000, T0 + 2, 10).await.unwrap()[1].signed_header.is_none());

    // A failure: counted, audited, due again from its back-off on, whatever the grace.
    let head = t.head_seq().await;
    assert!(t.store.record_exchange_dispatch_failure("m-1", T0 + 60, &e).await.unwrap());
    assert!(t.store.record_exchange_dispatch_failure("m-1", T0 + 120, &e).await.unwrap());
    assert_eq!(t.head_seq().await, head + 2);
    assert_eq!(ids(t.store.due_exchange_redispatch(T0 + 119, T0 + 2, 10).await.unwrap()), vec!["m-2"]);
    let due = t.store.due_exchange_redispatch(T0 + 120, T0, 10).await.unwrap();
    assert_eq!((due.len(), due[0].dispatch_attempts), (1, 2));

    // Decided: no longer due, and a late failure is not written.
    assert!(t.store.settle_exchange_message("m-1", "accepted", None, &e).await.unwrap());
    assert!(
        t.store
            .due_exchange_redispatch(T0 + 10_000, T0 + 2, 10)
            .await
            .unwrap()
            .iter()
            .all(|r| r.message.message_id != "m-1")
    );
    let head = t.head_seq().await;
    assert!(!t.store.record_exchange_dispatch_failure("m-1", T0 + 500, &e).await.unwrap());
    assert!(!t.store.record_exchange_dispatch_failure("m-none", T0 + 500, &e).await.unwrap());
    assert_eq!(t.head_seq().await, head, "nothing written for a decided or unknown message");
    // A message waiting for a person (`pending`) is not handed over again.
    assert!(t.store.settle_exchange_message("m-2", "pending", None, &e).await.unwrap());
    assert!(t.store.due_exchange_redispatch(T0 + 10_000, T0 + 10_000, 10).await.unwrap().is_empty());
}

async fn decided_messages_are_purged_once_their_replay_window_has_passed_and_undecided_ones_kept(t: TestStore) {
    let e = event(AuditAction::ExchangeInboxPurged);
    for (id, state, until) in [
        ("m-accepted", "accepted", T0 + 100),
        ("m-refused", "refused", T0 + 100),
        ("m-pending", "pending", T0 + 100),
        ("m-received", "received", T0 + 100),
        ("m-later", "accepted", T0 + 200),
    ] {
        let mut row = inbox(id, "EE", T0);
        row.remember_until = until;
        assert!(t.store.receive_exchange_message(&row, None, &e).await.unwrap());
        if state != "received" {
            assert!(t.store.settle_exchange_message(id, state, None, &e).await.unwrap());
        }
    }
    let head = t.head_seq().await;
    assert_eq!(t.store.purge_exchange_inbox(T0 + 99, 100, &e).await.unwrap(), 0);
    assert_eq!(t.head_seq().await, head, "nothing to purge, nothing audited");
    assert_eq!(t.store.purge_exchange_inbox(T0 + 100, 100, &e).await.unwrap(), 2);
    assert_eq!(t.head_seq().await, head + 1, "one audit entry for the purge");
    let mut kept: Vec<String> = t.store.exchange_inbox(10).await.unwrap().into_iter().map(|r| r.message_id).collect();
    kept.sort();
    assert_eq!(kept, vec!["m-later", "m-pending", "m-received"]);
    // At most `limit` a call.
    assert_eq!(t.store.purge_exchange_inbox(T0 + 1000, 0, &e).await.unwrap(), 0);
    assert_eq!(t.store.purge_exchange_inbox(T0 + 1000, 100, &e).await.unwrap(), 1);
    assert!(t.store.exchange_inbox_message("m-later").await.unwrap().is_none());
    // Purged, the id is free in the store: refusing its replay is the expiry's job (the app's
    // tests show it).
    let mut again = inbox("m-accepted", "EE", T0 + 101);
    again.remember_until = T0 + 300;
    assert!(t.store.receive_exchange_message(&again, None, &e).await.unwrap());
}
