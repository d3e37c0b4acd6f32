//! Migration 0030: one of the instance's own keys revoked at once (the entry's sequence raised
//! over the one read, a key revoked once, the reason kept, a revoked key retired with the
//! expired ones); the person encodings of a year deleted with the count kept and a publication
//! recorded; the sent copies of encodings emptied once no longer needed, a pending one kept.

use crate::exchange_transport::outbox;
use crate::support::{T0, TestStore, assert_conflict, event};
use haven_domain::audit::AuditAction;
use haven_storage::{
    CrossBorderCountRow, ExchangeIdentityRow, ExchangeKeyRow, OwnKeyRevocation, OwnKeysChange, PersonEncodingsRow,
};

contract_tests!(
    an_own_key_is_revoked_once_over_the_sequence_read_and_retired_after,
    a_years_encodings_are_deleted_with_the_count_kept_and_the_publication_recorded,
    sent_encodings_are_emptied_once_delivered_and_a_pending_one_is_kept,
);

fn key(key_id: &str, kind: &str, tag: u8) -> ExchangeKeyRow {
    ExchangeKeyRow {
        instance_id: "LV".into(),
        key_id: key_id.into(),
        kind: kind.into(),
        public_key: vec![tag; 32],
        wrapped_secret: vec![tag, 1, 2],
        valid_from: T0,
        valid_until: None,
        created_at: T0,
        revoked_at: None,
        revoked_reason: None,
    }
}

fn revocation(previous: i64, key_id: &str, at: i64) -> OwnKeyRevocation {
    OwnKeyRevocation {
        previous_sequence: previous,
        sequence: previous + 1,
        key_id: key_id.into(),
        revoked_at: at,
        reason: "the laptop was stolen".into(),
    }
}

async fn an_own_key_is_revoked_once_over_the_sequence_read_and_retired_after(t: TestStore) {
    let lv = ExchangeIdentityRow {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
        sequence: 1,
        created_by: None,
        created_at: T0,
    };
    let keys = [key("sig-1", "signing", 1), key("enc-1", "encryption", 2), key("sig-2", "signing", 3)];
    assert!(t.store.create_exchange_identity(&lv, &keys, &event(AuditAction::ExchangeIdentityCreated)).await.unwrap());
    let e = event(AuditAction::OwnKeyRevoked);
    // a sequence that moved meanwhile: refused, nothing written
    assert_conflict(t.store.revoke_own_exchange_key(&revocation(5, "sig-1", T0 + 10), &e).await);
    // a key that is not the instance's: refused, the sequence not raised
    assert_conflict(t.store.revoke_own_exchange_key(&revocation(1, "sig-9", T0 + 10), &e).await);
    assert_eq!(t.store.exchange_identity().await.unwrap().unwrap().sequence, 1);
    assert!(t.store.exchange_keys().await.unwrap().iter().all(|k| k.revoked_at.is_none()));

    t.store.revoke_own_exchange_key(&revocation(1, "sig-1", T0 + 10), &e).await.unwrap();
    assert_eq!(t.store.exchange_identity().await.unwrap().unwrap().sequence, 2);
    let keys = t.store.exchange_keys().await.unwrap();
    let sig1 = keys.iter().find(|k| k.key_id == "sig-1").unwrap();
    assert_eq!((sig1.revoked_at, sig1.revoked_reason.as_deref()), (Some(T0 + 10), Some("the laptop was stolen")));
    assert!(keys.iter().filter(|k| k.key_id != "sig-1").all(|k| k.revoked_at.is_none()));
    // revoked once
    assert_conflict(t.store.revoke_own_exchange_key(&revocation(2, "sig-1", T0 + 20), &e).await);
    assert_eq!(t.store.exchange_identity().await.unwrap().unwrap().sequence, 2);

    // retiring at or after the revocation deletes the revoked key with the expired ones
    let retire = OwnKeysChange {
        previous_sequence: 2,
        sequence: 3,
        retire_expired_at: T0 + 10,
        end_current_at: None,
        new_keys: Vec::new(),
        repinned: None,
        at: T0 + 10,
    };
    assert_eq!(t.store.change_own_exchange_keys(&retire, &event(AuditAction::OwnKeysRetired)).await.unwrap(), 1);
    let left: Vec<String> = t.store.exchange_keys().await.unwrap().into_iter().map(|k| k.key_id).collect();
    assert_eq!(left, vec!["sig-2", "enc-1"]);
    t.assert_chain(3).await;
}

fn encodings(country: &str, year: i64, message_id: &str, at: i64) -> PersonEncodingsRow {
    PersonEncodingsRow {
        country: country.into(),
        year,
        message_id: message_id.into(),
        sender: country.into(),
        secret_generation: "2025-1".into(),
        encoded_bits: 1024,
        schema: "{\"bits\":1024}".into(),
        persons: 3,
        encodings: vec![9; 16],
        received_at: at,
    }
}

async fn a_years_encodings_are_deleted_with_the_count_kept_and_the_publication_recorded(t: TestStore) {
    let put = event(AuditAction::PersonEncodingsReceived);
    t.store.put_person_encodings(&encodings("LV", 2025, "m1", T0), &put).await.unwrap();
    t.store.put_person_encodings(&encodings("EE", 2025, "m2", T0 + 10), &put).await.unwrap();
    t.store.put_person_encodings(&encodings("LV", 2024, "m3", T0 + 5), &put).await.unwrap();
    let years: Vec<(i64, i64, i64)> = t
        .store
        .person_encodings_years()
        .await
        .unwrap()
        .iter()
        .map(|y| (y.year, y.countries, y.newest_received_at))
        .collect();
    assert_eq!(years, vec![(2024, 1, T0 + 5), (2025, 2, T0 + 10)]);
    assert_eq!(t.store.cross_border_count(2025).await.unwrap(), None);

    let published = CrossBorderCountRow {
        year: 2025,
        result: "{\"distinct\":5}".into(),
        counted_at: T0 + 20,
        published_at: Some(T0 + 20),
        published_by: None,
        encodings_deleted_at: None,
    };
    t.store.publish_cross_border_count(&published, &event(AuditAction::CrossBorderPersonsPublished)).await.unwrap();
    assert_eq!(t.store.cross_border_count(2025).await.unwrap().as_ref(), Some(&published));

    // encodings that arrived after what was read are not deleted unseen
    t.store.put_person_encodings(&encodings("LT", 2025, "m4", T0 + 30), &put).await.unwrap();
    let deleted = t
        .store
        .delete_person_encodings(
            2025,
            "{\"distinct\":5}",
            T0 + 40,
            T0 + 10,
            &event(AuditAction::ExchangeEncodingsDeleted),
        )
        .await
        .unwrap();
    assert_eq!(deleted, 2);
    let left: Vec<String> = t.store.person_encodings_for(2025).await.unwrap().into_iter().map(|r| r.country).collect();
    assert_eq!(left, vec!["LT"]);
    assert_eq!(t.store.person_encodings_for(2024).await.unwrap().len(), 1, "another year is left");
    let kept = t.store.cross_border_count(2025).await.unwrap().unwrap();
    assert_eq!(kept.result, "{\"distinct\":5}");
    assert_eq!((kept.published_at, kept.encodings_deleted_at), (Some(T0 + 20), Some(T0 + 40)), "the publication stays");
    assert_eq!(
        t.store
            .count_unchecked("SELECT COUNT(*) FROM audit_log WHERE action = 'exchange_encodings_deleted'")
            .await
            .unwrap(),
        1
    );
    // a year never published: the count is kept all the same
    t.store
        .delete_person_encodings(
            2024,
            "{\"distinct\":3}",
            T0 + 50,
            T0 + 5,
            &event(AuditAction::ExchangeEncodingsDeleted),
        )
        .await
        .unwrap();
    let kept = t.store.cross_border_count(2024).await.unwrap().unwrap();
    assert_eq!((kept.published_at, kept.encodings_deleted_at), (None, Some(T0 + 50)));
    assert!(t.store.person_encodings_for(2024).await.unwrap().is_empty());
}

async fn sent_encodings_are_emptied_once_delivered_and_a_pending_one_is_kept(t: TestStore) {
    let queue = event(AuditAction::ExchangeMessageQueued);
    for (id, state) in [("e-delivered", "delivered"), ("e-pending", "pending"), ("e-expired", "expired")] {
        let mut row = outbox(id, "EU", T0);
        row.message_type = "person_encodings".into();
        row.state = state.into();
        assert!(t.store.queue_exchange_message(&row, &queue).await.unwrap());
    }
    let mut ping = outbox("p-delivered", "EU", T0);
    ping.state = "delivered".into();
    assert!(t.store.queue_exchange_message(&ping, &queue).await.unwrap());

    let due = t.store.sent_bodies_to_clear("person_encodings").await.unwrap();
    assert_eq!(due, vec!["e-delivered", "e-expired"]);
    let bodies: Vec<(String, Vec<u8>)> = due.iter().map(|id| (id.clone(), b"{}".to_vec())).collect();
    let e = event(AuditAction::ExchangeEncodingsDeleted);
    // a pending message listed by mistake is left
    let mut with_pending = bodies.clone();
    with_pending.push(("e-pending".into(), b"{}".to_vec()));
    assert_eq!(t.store.clear_sent_bodies(&with_pending, T0 + 60, &e).await.unwrap(), 2);
    for (id, body) in [("e-delivered", b"{}".to_vec()), ("e-expired", b"{}".to_vec()), ("e-pending", vec![9, 8, 7])] {
        assert_eq!(t.store.exchange_outbox_message(id).await.unwrap().unwrap().body, body, "{id}");
    }
    assert_eq!(t.store.exchange_outbox_message("p-delivered").await.unwrap().unwrap().body, vec![9, 8, 7]);
    assert!(t.store.sent_bodies_to_clear("person_encodings").await.unwrap().is_empty(), "cleared once");
    assert_eq!(t.store.clear_sent_bodies(&[], T0 + 70, &e).await.unwrap(), 0);
}
