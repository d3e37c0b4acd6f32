//! Migration 0034: the records a retention job lists (each kind's source query, a case's
//! closure), a record listed once, a legal hold that stops erasure in the same transaction and
//! is released with a reason, a notification erased row by row once listed and not held, and the
//! officer's completions of the record of processing; every write audited.

use crate::support::{T0, TestStore, case, event, person, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{NotificationRow, ProcessingCompletionRow, RetentionHoldRow, RetentionItemRow};

contract_tests!(
    each_kind_is_listed_from_its_table_with_the_closure_day,
    a_record_is_listed_once_and_never_erased_while_held,
    the_officers_completions_are_saved_replaced_and_removed,
);

fn notification(id: &str, org: &str, user: &str) -> NotificationRow {
    NotificationRow {
        id: id.into(),
        jurisdiction: "LV".into(),
        organisation_id: org.into(),
        organisation_kind: "ngo".into(),
        notified_on: "2020-03-01".into(),
        sex: "female".into(),
        age_group: "adult".into(),
        citizenship: "LV".into(),
        forms: "[]".into(),
        created_by: user.into(),
        created_at: T0,
    }
}

fn item(kind: &str, id: &str) -> RetentionItemRow {
    RetentionItemRow {
        record_kind: kind.into(),
        record_id: id.into(),
        jurisdiction: "LV".into(),
        case_id: None,
        organisation_id: None,
        runs_from: "recorded".into(),
        from_on: "2020-03-01".into(),
        due_on: "2023-03-01".into(),
        action: "erase".into(),
        listed_on: "2026-01-01".into(),
        state: "listed".into(),
        decided_by: None,
        decided_at: None,
        note: None,
    }
}

async fn each_kind_is_listed_from_its_table_with_the_closure_day(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-1", &w.ngo.id, &w.caseworker.id, "LV", T0);
    t.store.create_case(&c, &person("case-1", 1), &event(AuditAction::CaseCreated)).await.unwrap();
    t.store
        .add_notification(&notification("n-1", &w.ngo.id, &w.caseworker.id), &event(AuditAction::NotificationFiled))
        .await
        .unwrap();
    t.store
        .record_case_closure("case-1", "2021-05-31", &w.caseworker.id, T0, &event(AuditAction::CaseClosed))
        .await
        .unwrap();
    let sources = t.store.retention_sources("LV").await.unwrap();
    let registration = sources.iter().find(|s| s.record_kind == "registration").unwrap();
    assert_eq!(registration.record_id, "case-1");
    assert_eq!(registration.closed_on.as_deref(), Some("2021-05-31"));
    assert_eq!(registration.recorded_at, Some(T0));
    let n = sources.iter().find(|s| s.record_kind == "anonymous_notification").unwrap();
    assert_eq!((n.record_id.as_str(), n.recorded_on.as_deref()), ("n-1", Some("2020-03-01")));
    // Another jurisdiction's records are not listed.
    assert!(t.store.retention_sources("EE").await.unwrap().is_empty());
    assert!(t.store.audit_log_first_at().await.unwrap().is_some());
}

async fn a_record_is_listed_once_and_never_erased_while_held(t: TestStore) {
    let w = seed(&t).await;
    t.store
        .add_notification(&notification("n-1", &w.ngo.id, &w.caseworker.id), &event(AuditAction::NotificationFiled))
        .await
        .unwrap();
    let listed = event(AuditAction::RetentionListed);
    assert!(t.store.list_retention_item(&item("anonymous_notification", "n-1"), &listed).await.unwrap());
    assert!(
        !t.store.list_retention_item(&item("anonymous_notification", "n-1"), &listed).await.unwrap(),
        "listed once"
    );
    let hold = RetentionHoldRow {
        id: "hold-1".into(),
        record_kind: "anonymous_notification".into(),
        record_id: "n-1".into(),
        jurisdiction: "LV".into(),
        reason: "litigation pending".into(),
        placed_by: w.caseworker.id.clone(),
        placed_at: T0,
        released_by: None,
        released_at: None,
        release_reason: None,
    };
    t.store.place_retention_hold(&hold, &event(AuditAction::RetentionHoldPlaced)).await.unwrap();
    assert!(t.store.retention_hold_stands("anonymous_notification", "n-1").await.unwrap());
    assert_eq!(t.store.retention_item("anonymous_notification", "n-1").await.unwrap().unwrap().state, "held");
    // Held: neither erased nor marked erased or anonymised.
    let acted = event(AuditAction::RetentionActed);
    assert!(!t.store.erase_retention_record("anonymous_notification", "n-1", T0, &acted).await.unwrap());
    assert!(
        !t.store
            .set_retention_state(
                "anonymous_notification",
                "n-1",
                &["listed", "held"],
                "erased",
                None,
                T0,
                None,
                None,
                &acted
            )
            .await
            .unwrap()
    );
    assert_eq!(t.store.retention_sources("LV").await.unwrap().len(), 1, "the notification is still there");
    // Released with a reason: listed again, then erased.
    let released = event(AuditAction::RetentionHoldReleased);
    assert!(t.store.release_retention_hold("hold-1", &w.caseworker.id, T0 + 1, "settled", &released).await.unwrap());
    assert!(!t.store.release_retention_hold("hold-1", &w.caseworker.id, T0 + 2, "again", &released).await.unwrap());
    let holds = t.store.retention_holds("LV").await.unwrap();
    assert_eq!(holds[0].release_reason.as_deref(), Some("settled"));
    assert_eq!(t.store.retention_item("anonymous_notification", "n-1").await.unwrap().unwrap().state, "listed");
    assert!(t.store.erase_retention_record("anonymous_notification", "n-1", T0 + 3, &acted).await.unwrap());
    assert!(t.store.retention_sources("LV").await.unwrap().is_empty(), "the notification is deleted");
    let after = t.store.retention_item("anonymous_notification", "n-1").await.unwrap().unwrap();
    assert_eq!(after.state, "erased");
    // Every step audited: the seed's, the notification, the listing, hold, release, erasure.
    t.assert_chain(u64::try_from(t.head_seq().await).unwrap()).await;
}

async fn the_officers_completions_are_saved_replaced_and_removed(t: TestStore) {
    let w = seed(&t).await;
    let mut row = ProcessingCompletionRow {
        jurisdiction: "LV".into(),
        field: "controller".into(),
        body: "State Police, Riga".into(),
        updated_by: w.caseworker.id.clone(),
        updated_at: T0,
    };
    let e = event(AuditAction::ProcessingRecordCompleted);
    t.store.save_processing_completion(&row, &e).await.unwrap();
    row.body = "Ministry of the Interior".into();
    t.store.save_processing_completion(&row, &e).await.unwrap();
    let saved = t.store.processing_completions("LV").await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].body, "Ministry of the Interior");
    assert!(t.store.processing_completions("EE").await.unwrap().is_empty());
    row.body = String::new();
    t.store.save_processing_completion(&row, &e).await.unwrap();
    assert!(t.store.processing_completions("LV").await.unwrap().is_empty());
}
