//! Persons counted once across borders (migration 0022): a generation of the shared secret is
//! stored once; a country's encodings of a year replace its earlier ones and are listed by year.

use crate::support::{T0, TestStore, World, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{PersonEncodingsRow, PersonLinkageSecretRow};

contract_tests!(
    a_secret_generation_is_stored_once_and_the_newest_is_read,
    a_countrys_encodings_of_a_year_replace_the_earlier_ones,
);

fn encodings(country: &str, year: i64, message_id: &str, persons: i64) -> PersonEncodingsRow {
    PersonEncodingsRow {
        country: country.into(),
        year,
        message_id: message_id.into(),
        sender: country.into(),
        secret_generation: "2025-1".into(),
        encoded_bits: 1024,
        schema: "{\"bits\":1024}".into(),
        persons,
        encodings: vec![9; 16],
        received_at: T0,
    }
}

/// Fills the tables of migration 0022 for the backup round trip.
pub(crate) async fn fill_exchange_persons(t: &TestStore, w: &World) {
    let secret = PersonLinkageSecretRow {
        generation: "2025-1".into(),
        secret: vec![1, 2, 3],
        created_by: Some(w.officer.id.clone()),
        created_at: T0,
    };
    assert!(t.store.add_person_linkage_secret(&secret, &event(AuditAction::CaseRead)).await.unwrap());
    let older = PersonLinkageSecretRow { generation: "2024-1".into(), created_by: None, created_at: T0 - 10, ..secret };
    assert!(t.store.add_person_linkage_secret(&older, &event(AuditAction::CaseRead)).await.unwrap());
    t.store.put_person_encodings(&encodings("LV", 2025, "msg-p-1", 2), &event(AuditAction::CaseRead)).await.unwrap();
    // migration 0030: a year's count kept once its encodings were deleted
    t.store
        .delete_person_encodings(2024, "{\"distinct\":1}", T0, T0, &event(AuditAction::ExchangeEncodingsDeleted))
        .await
        .unwrap();
}

async fn a_secret_generation_is_stored_once_and_the_newest_is_read(t: TestStore) {
    assert_eq!(t.store.latest_person_linkage_secret().await.unwrap(), None);
    let w = seed(&t).await;
    fill_exchange_persons(&t, &w).await;
    let again =
        PersonLinkageSecretRow { generation: "2025-1".into(), secret: vec![4], created_by: None, created_at: T0 + 5 };
    assert!(!t.store.add_person_linkage_secret(&again, &event(AuditAction::CaseRead)).await.unwrap());
    let latest = t.store.latest_person_linkage_secret().await.unwrap().unwrap();
    assert_eq!((latest.generation.as_str(), latest.secret.as_slice()), ("2025-1", &[1u8, 2, 3][..]));
}

async fn a_countrys_encodings_of_a_year_replace_the_earlier_ones(t: TestStore) {
    let put = |row: PersonEncodingsRow| {
        let store = t.store.clone();
        async move { store.put_person_encodings(&row, &event(AuditAction::CaseRead)).await.unwrap() }
    };
    put(encodings("LV", 2025, "m1", 2)).await;
    put(encodings("EE", 2025, "m2", 3)).await;
    put(encodings("LV", 2024, "m3", 4)).await;
    put(encodings("LV", 2025, "m4", 5)).await;
    let rows = t.store.person_encodings_for(2025).await.unwrap();
    let got: Vec<(&str, &str, i64)> =
        rows.iter().map(|r| (r.country.as_str(), r.message_id.as_str(), r.persons)).collect();
    assert_eq!(got, vec![("EE", "m2", 3), ("LV", "m4", 5)]);
    assert_eq!(t.store.person_encodings_for(2024).await.unwrap().len(), 1);
    assert!(t.store.person_encodings_for(2023).await.unwrap().is_empty());
}
