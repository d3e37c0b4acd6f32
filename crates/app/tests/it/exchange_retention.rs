//! Retention of the person encodings: the hub deletes a year's encodings once the year's count is
//! published, or once the retention has run out, keeping the count, the overlaps and the method
//! (read back as before), audited `exchange_encodings_deleted`; a sending country empties its sent
//! copy once delivered. Publishing is the EU level's and needs encodings to count.

use crate::common::{self, NOW, audit_detail_count, organisation, registration, user};
use crate::exchange_persons::{country, identified, received};
use haven_app::AppError;
use haven_app::exchange_retention::DEFAULT_ENCODINGS_RETENTION_DAYS;
use haven_app::exchange_transport::InboundOutcome;
use haven_storage::ExchangeOutboxRow;

const DAY: i64 = 86_400;

#[tokio::test]
async fn the_hub_deletes_a_years_encodings_once_its_count_is_published_and_keeps_the_count() {
    let olena = || registration("Olena", "Kovalenko", Some("1999-03-14"), None);
    let lv = country("LV").await;
    identified(&lv, vec![olena(), registration("Ion", "Rusu", Some("1980-02-02"), None)], "2025-03-01").await;
    let ee = country("EE").await;
    identified(&ee, vec![olena()], "2025-06-01").await;
    let (hub, _db) = common::sqlite_app().await;
    let eu = organisation(&hub, "Eurostat", "statistics_office", "EU").await;
    let statistician = user(&hub, "eurostat", &eu, "statistician").await;

    // nothing held: nothing to publish, the year named
    match hub.publish_cross_border_persons(&statistician, 2025).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "year"),
        other => panic!("publishing without encodings must be refused naming year, got {other:?}"),
    }
    for c in [&lv, &ee] {
        let body = c.app.prepare_person_encodings(&c.focal_point, 2025).await.unwrap();
        let sender = body.country.as_str().to_owned();
        let outcome = hub.on_person_encodings_received(&received(&sender, body.to_json().unwrap())).await.unwrap();
        assert_eq!(outcome, InboundOutcome::Accepted);
    }
    let count = hub.cross_border_persons(&statistician, 2025).await.unwrap();
    assert_eq!((count.sum_of_national, count.distinct), (3, 2));

    // not published, within the retention: kept
    let days = DEFAULT_ENCODINGS_RETENTION_DAYS;
    let purge = hub.purge_person_encodings(NOW + DAY, days).await.unwrap();
    assert!(purge.years.is_empty());
    assert_eq!(hub.store().count_unchecked("SELECT COUNT(*) FROM person_encodings_received").await.unwrap(), 2);

    // a national rapporteur does not publish the EU count (refused as it is refused reading it)
    assert!(matches!(
        hub.publish_cross_border_persons(&lv.rapporteur, 2025).await,
        Err(AppError::Forbidden | AppError::Invalid(_))
    ));
    assert_eq!(hub.store().count_unchecked("SELECT COUNT(*) FROM cross_border_counts").await.unwrap(), 0);
    let published = hub.publish_cross_border_persons(&statistician, 2025).await.unwrap();
    assert_eq!(published, count);
    assert_eq!(audit_detail_count(&hub, "cross_border_persons_published", "distinct=2").await, 1);

    // published: deleted at the next pass, the count kept
    let purge = hub.purge_person_encodings(NOW + DAY, days).await.unwrap();
    assert_eq!((purge.years.clone(), purge.encodings_deleted), (vec![2025], 2));
    assert_eq!(hub.store().count_unchecked("SELECT COUNT(*) FROM person_encodings_received").await.unwrap(), 0);
    assert_eq!(audit_detail_count(&hub, "exchange_encodings_deleted", "rule=published").await, 1);
    assert_eq!(audit_detail_count(&hub, "exchange_encodings_deleted", "distinct=2").await, 1);
    let after = hub.cross_border_persons(&statistician, 2025).await.unwrap();
    assert_eq!(after, count, "the count, the overlaps and the method are read back once the encodings are gone");
    // nothing left to delete
    assert!(hub.purge_person_encodings(NOW + 2 * DAY, days).await.unwrap().years.is_empty());
}

#[tokio::test]
async fn the_hub_deletes_unpublished_encodings_once_the_retention_has_run_out() {
    let lv = country("LV").await;
    identified(&lv, vec![registration("Ion", "Rusu", Some("1980-02-02"), None)], "2025-03-01").await;
    let (hub, _db) = common::sqlite_app().await;
    let eu = organisation(&hub, "Eurostat", "statistics_office", "EU").await;
    let statistician = user(&hub, "eurostat", &eu, "statistician").await;
    let body = lv.app.prepare_person_encodings(&lv.focal_point, 2025).await.unwrap();
    hub.on_person_encodings_received(&received("LV", body.to_json().unwrap())).await.unwrap();

    // received at NOW: a day before the end of 10 days kept, at the end deleted
    assert!(hub.purge_person_encodings(NOW + 10 * DAY - 1, 10).await.unwrap().years.is_empty());
    let purge = hub.purge_person_encodings(NOW + 10 * DAY, 10).await.unwrap();
    assert_eq!(purge.years, vec![2025]);
    assert_eq!(audit_detail_count(&hub, "exchange_encodings_deleted", "rule=retention").await, 1);
    let kept = hub.cross_border_persons(&statistician, 2025).await.unwrap();
    assert_eq!((kept.sum_of_national, kept.distinct), (1, 1));
    assert_eq!(kept.countries, vec![("LV".to_string(), 1)]);
}

#[tokio::test]
async fn a_sending_country_empties_its_copy_of_sent_encodings_once_delivered() {
    let lv = country("LV").await;
    let row = |id: &str, state: &str| ExchangeOutboxRow {
        message_id: id.into(),
        receiver: "EU".into(),
        message_type: "person_encodings".into(),
        type_version: 1,
        body: b"encodings".to_vec(),
        created_by: None,
        created_at: NOW,
        expires_at: NOW + 14 * DAY,
        state: state.into(),
        attempts: 1,
        next_attempt_at: NOW,
        last_error: None,
        delivered_at: None,
        ack_received_at: None,
        ack_status: None,
        ack_reason: None,
        ack_at: None,
    };
    let event = haven_domain::audit::AuditEvent::new(
        NOW,
        haven_domain::audit::AuditAction::ExchangeMessageQueued,
        haven_domain::audit::AuditOutcome::Success,
    );
    for (id, state) in [("sent-1", "delivered"), ("sent-2", "pending")] {
        assert!(lv.app.store().queue_exchange_message(&row(id, state), &event).await.unwrap());
    }
    let purge = lv.app.purge_person_encodings(NOW + DAY, DEFAULT_ENCODINGS_RETENTION_DAYS).await.unwrap();
    assert_eq!(purge.sender_copies_cleared, 1);
    let cleared = lv.app.store().exchange_outbox_message("sent-1").await.unwrap().unwrap();
    assert_ne!(cleared.body, b"encodings".to_vec(), "the delivered copy is replaced");
    assert_eq!(lv.app.store().exchange_outbox_message("sent-2").await.unwrap().unwrap().body, b"encodings".to_vec());
    assert_eq!(audit_detail_count(&lv.app, "exchange_encodings_deleted", "sender_copies=1").await, 1);
    assert_eq!(lv.app.purge_person_encodings(NOW + DAY, 30).await.unwrap().sender_copies_cleared, 0);
}
