//! Networks, their meetings and contacts, and prevention records (migrations 0032, 0033): each
//! write one transaction with its audit entry; a change made on a stale version, or a meeting of a
//! network that is not there, leaves nothing (neither the row nor the entry).

use crate::support::{T0, TestStore, World, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{MonitoringRecordRow, NetworkContactRow, RecordTable, StorageError};

contract_tests!(
    networks_meetings_and_prevention_records_are_kept_and_changed_only_from_the_version_read,
    a_networks_contacts_are_kept_encrypted_as_given_and_deleted_by_id,
);

async fn audits(t: &TestStore) -> i64 {
    t.store.count_unchecked("SELECT COUNT(*) FROM audit_log").await.unwrap()
}

fn record(id: &str, parent: &str, jurisdiction: &str, w: &World) -> MonitoringRecordRow {
    MonitoringRecordRow {
        id: id.into(),
        parent_id: parent.into(),
        jurisdiction: jurisdiction.into(),
        body: format!("{{\"id\":\"{id}\"}}"),
        created_by: w.officer.id.clone(),
        created_at: T0 + 10,
        updated_at: T0 + 10,
    }
}

fn contact(id: &str, network: &str, retain_until: &str, w: &World) -> NetworkContactRow {
    NetworkContactRow {
        id: id.into(),
        network_id: network.into(),
        jurisdiction: "EU".into(),
        name: vec![1, 2, 3],
        email: vec![4, 5, 6],
        organisation: "Ministry".into(),
        purpose: "Invitations".into(),
        retain_until: retain_until.into(),
        created_by: w.officer.id.clone(),
        created_at: T0 + 20,
    }
}

/// Fills the tables (for the backup round trip).
pub(crate) async fn fill_monitoring_records(t: &TestStore, w: &World) {
    let changed = event(AuditAction::NetworkChanged);
    t.store
        .add_monitoring_record(RecordTable::Networks, &record("net-1", "rapporteurs_network", "EU", w), &changed)
        .await
        .unwrap();
    t.store
        .add_monitoring_record(RecordTable::NetworkMeetings, &record("meet-1", "net-1", "EU", w), &changed)
        .await
        .unwrap();
    t.store.add_network_contact(&contact("contact-1", "net-1", "2030-01-01", w), &changed).await.unwrap();
    let prevention = event(AuditAction::PreventionChanged);
    t.store
        .add_monitoring_record(RecordTable::PreventionRecords, &record("camp-1", "campaign", "LV", w), &prevention)
        .await
        .unwrap();
}

async fn networks_meetings_and_prevention_records_are_kept_and_changed_only_from_the_version_read(t: TestStore) {
    let w = seed(&t).await;
    let changed = event(AuditAction::NetworkChanged);
    let before = audits(&t).await;
    t.store
        .add_monitoring_record(RecordTable::Networks, &record("net-eu", "rapporteurs_network", "EU", &w), &changed)
        .await
        .unwrap();
    t.store
        .add_monitoring_record(RecordTable::Networks, &record("net-lv", "national_mechanism", "LV", &w), &changed)
        .await
        .unwrap();
    t.store
        .add_monitoring_record(RecordTable::NetworkMeetings, &record("m-1", "net-eu", "EU", &w), &changed)
        .await
        .unwrap();
    t.store
        .add_monitoring_record(RecordTable::NetworkMeetings, &record("m-2", "net-eu", "EU", &w), &changed)
        .await
        .unwrap();
    assert_eq!(audits(&t).await - before, 4);
    let before = audits(&t).await;
    let orphan = t
        .store
        .add_monitoring_record(RecordTable::NetworkMeetings, &record("m-x", "nothing", "EU", &w), &changed)
        .await;
    assert!(orphan.is_err(), "a meeting of no network");
    let twice = t.store.add_monitoring_record(RecordTable::Networks, &record("net-eu", "x", "EU", &w), &changed).await;
    assert!(twice.is_err(), "an id twice");
    assert_eq!(audits(&t).await, before, "a refused write leaves no audit entry");

    let networks = t.store.monitoring_records(RecordTable::Networks, None).await.unwrap();
    assert_eq!(networks.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["net-eu", "net-lv"]);
    let meetings = t.store.monitoring_records(RecordTable::NetworkMeetings, Some("net-eu")).await.unwrap();
    assert_eq!(meetings.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["m-1", "m-2"]);
    assert!(t.store.monitoring_records(RecordTable::NetworkMeetings, Some("net-lv")).await.unwrap().is_empty());
    assert!(t.store.monitoring_records(RecordTable::PreventionRecords, None).await.unwrap().is_empty());
    assert_eq!(t.store.monitoring_record(RecordTable::Networks, "net-lv").await.unwrap().unwrap().jurisdiction, "LV");
    assert!(t.store.monitoring_record(RecordTable::NetworkMeetings, "net-lv").await.unwrap().is_none());

    // A change made on the version read; a second change on the same version is refused.
    let mut next = record("m-1", "net-eu", "EU", &w);
    next.body = "{\"changed\":true}".into();
    next.updated_at = T0 + 50;
    t.store.replace_monitoring_record(RecordTable::NetworkMeetings, &next, T0 + 10, &changed).await.unwrap();
    let before = audits(&t).await;
    let stale = t.store.replace_monitoring_record(RecordTable::NetworkMeetings, &next, T0 + 10, &changed).await;
    assert!(matches!(stale, Err(StorageError::Conflict(_))), "{stale:?}");
    let gone = t.store.replace_monitoring_record(RecordTable::PreventionRecords, &next, T0 + 50, &changed).await;
    assert!(matches!(gone, Err(StorageError::Conflict(_))), "{gone:?}");
    assert_eq!(audits(&t).await, before);
    let read = t.store.monitoring_record(RecordTable::NetworkMeetings, "m-1").await.unwrap().unwrap();
    assert_eq!((read.body.as_str(), read.updated_at, read.created_at), ("{\"changed\":true}", T0 + 50, T0 + 10));

    let prevention = event(AuditAction::PreventionChanged);
    t.store
        .add_monitoring_record(RecordTable::PreventionRecords, &record("c-lv", "campaign", "LV", &w), &prevention)
        .await
        .unwrap();
    t.store
        .add_monitoring_record(RecordTable::PreventionRecords, &record("r-ee", "research", "EE", &w), &prevention)
        .await
        .unwrap();
    let campaigns = t.store.monitoring_records(RecordTable::PreventionRecords, Some("campaign")).await.unwrap();
    assert_eq!(campaigns.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["c-lv"]);
    assert_eq!(t.store.monitoring_records(RecordTable::PreventionRecords, None).await.unwrap().len(), 2);
}

async fn a_networks_contacts_are_kept_encrypted_as_given_and_deleted_by_id(t: TestStore) {
    let w = seed(&t).await;
    let changed = event(AuditAction::NetworkChanged);
    t.store
        .add_monitoring_record(RecordTable::Networks, &record("net-eu", "rapporteurs_network", "EU", &w), &changed)
        .await
        .unwrap();
    t.store.add_network_contact(&contact("c-1", "net-eu", "2026-12-31", &w), &changed).await.unwrap();
    t.store.add_network_contact(&contact("c-2", "net-eu", "2028-01-01", &w), &changed).await.unwrap();
    let before = audits(&t).await;
    assert!(t.store.add_network_contact(&contact("c-3", "nothing", "2028-01-01", &w), &changed).await.is_err());
    assert_eq!(audits(&t).await, before);
    let contacts = t.store.network_contacts(Some("net-eu")).await.unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!((contacts[0].name.as_slice(), contacts[0].email.as_slice()), (&[1u8, 2, 3][..], &[4u8, 5, 6][..]));
    assert_eq!(contacts[0].retain_until, "2026-12-31");
    assert!(t.store.network_contacts(Some("other")).await.unwrap().is_empty());
    assert_eq!(t.store.network_contacts(None).await.unwrap().len(), 2);
    let purged = event(AuditAction::NetworkContactsPurged);
    let deleted = t.store.delete_network_contacts(&["c-1".to_owned(), "c-9".to_owned()], &purged).await.unwrap();
    assert_eq!(deleted, 1);
    assert_eq!(audits(&t).await - before, 1, "one entry for the sweep");
    let left = t.store.network_contacts(None).await.unwrap();
    assert_eq!(left.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c-2"]);
}
