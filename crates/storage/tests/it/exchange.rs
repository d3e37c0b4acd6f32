//! The exchange tables (migration 0018): the instance's identity made once with its key pairs,
//! the wrapped secrets re-encrypted with every other field by a key rotation, and the pinned
//! directory changed only over the pin that was read.

use crate::support::{T0, TestStore, assert_conflict, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{ENCRYPTED_COLUMNS, ExchangeIdentityRow, ExchangeKeyRow, ExchangePeerRow, TABLES};

contract_tests!(
    the_identity_is_made_once_with_its_keys_and_a_second_one_writes_nothing,
    a_key_of_another_instance_or_kind_is_refused_and_nothing_is_written,
    wrapped_secrets_are_listed_for_key_rotation_under_their_wrapping_context,
    a_peer_is_pinned_once_and_replaced_only_over_the_pin_that_was_read,
    the_exchange_tables_are_backed_up_and_restored,
);

fn identity(instance: &str, by: Option<&str>) -> ExchangeIdentityRow {
    ExchangeIdentityRow {
        instance_id: instance.into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
        sequence: 1,
        created_by: by.map(str::to_owned),
        created_at: T0,
    }
}

fn key(instance: &str, key_id: &str, kind: &str, tag: u8) -> ExchangeKeyRow {
    ExchangeKeyRow {
        instance_id: instance.into(),
        key_id: key_id.into(),
        kind: kind.into(),
        public_key: vec![tag; 32],
        wrapped_secret: vec![tag, 0xAA, 0x55, tag],
        valid_from: T0,
        valid_until: None,
        created_at: T0,
        revoked_at: None,
        revoked_reason: None,
    }
}

fn peer(instance: &str, record: &str, by: Option<&str>, at: i64) -> ExchangePeerRow {
    ExchangePeerRow {
        instance_id: instance.into(),
        role: "national_focal_point".into(),
        record: record.into(),
        revocations: "[]".into(),
        pinned_at: at,
        pinned_by: by.map(str::to_owned),
        updated_at: at,
    }
}

async fn the_identity_is_made_once_with_its_keys_and_a_second_one_writes_nothing(t: TestStore) {
    let w = seed(&t).await;
    assert!(t.store.exchange_identity().await.unwrap().is_none());
    assert!(t.store.exchange_keys().await.unwrap().is_empty());
    let head = t.head_seq().await;
    let first = identity("LV", Some(&w.officer.id));
    let keys = [key("LV", "sig-1", "signing", 1), key("LV", "enc-1", "encryption", 2)];
    let made = t.store.create_exchange_identity(&first, &keys, &event(AuditAction::OrganisationCreated)).await.unwrap();
    assert!(made);
    assert_eq!(t.store.exchange_identity().await.unwrap(), Some(first.clone()));
    // Signing keys first; each secret back from the column of its kind.
    assert_eq!(t.store.exchange_keys().await.unwrap(), vec![keys[0].clone(), keys[1].clone()]);
    assert_eq!(t.head_seq().await, head + 1);

    // A second identity (another process racing the first use) is not made, and leaves no trace.
    let second = identity("EE", None);
    let made = t
        .store
        .create_exchange_identity(
            &second,
            &[key("EE", "sig-2", "signing", 3)],
            &event(AuditAction::OrganisationCreated),
        )
        .await
        .unwrap();
    assert!(!made);
    assert_eq!(t.store.exchange_identity().await.unwrap(), Some(first));
    assert_eq!(t.store.exchange_keys().await.unwrap().len(), 2);
    assert_eq!(t.head_seq().await, head + 1);
    t.assert_chain(u64::try_from(head + 1).unwrap()).await;
}

async fn a_key_of_another_instance_or_kind_is_refused_and_nothing_is_written(t: TestStore) {
    let lv = identity("LV", None);
    let e = event(AuditAction::OrganisationCreated);
    assert_conflict(t.store.create_exchange_identity(&lv, &[key("EE", "sig-1", "signing", 1)], &e).await);
    assert_conflict(t.store.create_exchange_identity(&lv, &[key("LV", "x-1", "mac", 1)], &e).await);
    // A public key of the wrong length is refused by the schema, and the identity goes with it.
    let mut short = key("LV", "sig-1", "signing", 1);
    short.public_key = vec![1; 31];
    assert!(t.store.create_exchange_identity(&lv, &[short], &e).await.is_err());
    assert!(t.store.exchange_identity().await.unwrap().is_none());
    assert!(t.store.exchange_keys().await.unwrap().is_empty());
    assert!(t.store.audit_head().await.unwrap().is_none());
}

async fn wrapped_secrets_are_listed_for_key_rotation_under_their_wrapping_context(t: TestStore) {
    let keys = [key("LV", "sig-1", "signing", 1), key("LV", "enc-1", "encryption", 2)];
    t.store
        .create_exchange_identity(&identity("LV", None), &keys, &event(AuditAction::OrganisationCreated))
        .await
        .unwrap();
    for (column, expected) in [("signing_secret", &keys[0]), ("encryption_secret", &keys[1])] {
        let col = ENCRYPTED_COLUMNS
            .iter()
            .find(|c| c.table == "exchange_keys" && c.column == column)
            .unwrap_or_else(|| panic!("exchange_keys.{column} is not re-encrypted by a key rotation"));
        // The row context is the one haven-exchange wraps under: instance id / key id.
        let batch = t.store.encrypted_batch(col, None, 100).await.unwrap();
        assert_eq!(batch, vec![(format!("LV/{}", expected.key_id), expected.wrapped_secret.clone())]);
        let rewrapped = vec![9u8; 8];
        let row = format!("LV/{}", expected.key_id);
        assert!(t.store.replace_encrypted(col, &row, &expected.wrapped_secret, &rewrapped).await.unwrap());
    }
    let now = t.store.exchange_keys().await.unwrap();
    assert!(now.iter().all(|k| k.wrapped_secret == vec![9u8; 8]));
}

async fn a_peer_is_pinned_once_and_replaced_only_over_the_pin_that_was_read(t: TestStore) {
    let w = seed(&t).await;
    let e = event(AuditAction::OrganisationCreated);
    let ee = peer("EE", r#"{"pin":1}"#, Some(&w.officer.id), T0);
    t.store.pin_exchange_peer(&ee, &e).await.unwrap();
    t.store.pin_exchange_peer(&peer("DE", r#"{"pin":"de"}"#, None, T0), &e).await.unwrap();
    assert_conflict(t.store.pin_exchange_peer(&peer("EE", r#"{"pin":2}"#, None, T0), &e).await);
    let listed = t.store.exchange_peers().await.unwrap();
    assert_eq!(listed.iter().map(|p| p.instance_id.as_str()).collect::<Vec<_>>(), ["DE", "EE"]);
    assert_eq!(t.store.exchange_peer("EE").await.unwrap(), Some(ee.clone()));
    assert!(t.store.exchange_peer("FI").await.unwrap().is_none());

    let mut revoked = ee.clone();
    revoked.record = r#"{"pin":3}"#.into();
    revoked.revocations = r#"[{"key_id":"k","revoked_at":"2026-01-02T00:00:00Z"}]"#.into();
    revoked.updated_at = T0 + 60;
    t.store.replace_exchange_peer(&revoked, &ee.record, &e).await.unwrap();
    let stored = t.store.exchange_peer("EE").await.unwrap().unwrap();
    assert_eq!(stored, revoked);
    // pinned_at and pinned_by stay those of the first pin.
    assert_eq!((stored.pinned_at, stored.pinned_by.as_deref()), (T0, Some(w.officer.id.as_str())));

    // A change made over a pin read before the last one is refused and writes nothing.
    let mut stale = ee.clone();
    stale.record = r#"{"pin":4}"#.into();
    let head = t.head_seq().await;
    assert_conflict(t.store.replace_exchange_peer(&stale, &ee.record, &e).await);
    assert_conflict(t.store.replace_exchange_peer(&peer("FI", "{}", None, T0), "{}", &e).await);
    assert_eq!(t.store.exchange_peer("EE").await.unwrap(), Some(revoked));
    assert_eq!(t.head_seq().await, head);
}

/// The instance's identity with its two keys and one pinned peer, for the backup's fixture.
pub(crate) async fn fill_exchange(t: &TestStore) {
    let keys = [key("LV", "sig-1", "signing", 1), key("LV", "enc-1", "encryption", 2)];
    t.store
        .create_exchange_identity(&identity("LV", None), &keys, &event(AuditAction::OrganisationCreated))
        .await
        .unwrap();
    t.store.pin_exchange_peer(&peer("EE", "{}", None, T0), &event(AuditAction::OrganisationCreated)).await.unwrap();
}

async fn the_exchange_tables_are_backed_up_and_restored(t: TestStore) {
    for table in ["exchange_identity", "exchange_keys", "exchange_peers"] {
        assert!(TABLES.contains(&table), "{table} is not backed up");
    }
    let keys = [key("LV", "sig-1", "signing", 1), key("LV", "enc-1", "encryption", 2)];
    t.store
        .create_exchange_identity(&identity("LV", None), &keys, &event(AuditAction::OrganisationCreated))
        .await
        .unwrap();
    t.store.pin_exchange_peer(&peer("EE", "{}", None, T0), &event(AuditAction::OrganisationCreated)).await.unwrap();
    let dump = t.dump().await;
    let target = t.sibling().await;
    target.store.restore(&mut dump.as_slice()).await.unwrap();
    assert_eq!(target.store.exchange_identity().await.unwrap(), t.store.exchange_identity().await.unwrap());
    assert_eq!(target.store.exchange_keys().await.unwrap(), keys.to_vec());
    assert_eq!(target.store.exchange_peers().await.unwrap(), t.store.exchange_peers().await.unwrap());
}
