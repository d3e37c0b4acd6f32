//! Data subjects' requests, restrictions and rectifications (migration 0036): requests with
//! optimistic versions, a restriction that takes a registration out of the statistics' and
//! matching's reads while it holds, and a rectification written with the registration it
//! corrects, in one transaction.

use crate::ident::{register, registration};
use crate::support::{T0, TestStore, assert_conflict, assert_not_found, case, event, person, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{CaseRestrictionRow, RectificationRow, SubjectRequestRow};

contract_tests!(
    requests_round_trip_and_stale_changes_conflict,
    a_restriction_hides_a_registration_from_statistics_until_lifted,
    a_rectification_keeps_the_old_value_with_the_new_record,
    a_stale_rectification_writes_nothing,
);

/// A request, a restriction and a rectification on the registration `case-9` (for the backup).
pub(crate) async fn fill_subject_requests(t: &TestStore, by: &str) {
    restrict(t, "req-9", "case-9", by, vec![0, 1, 2]).await;
    let mut reg = t.store.registration("case-9").await.unwrap().unwrap();
    let version = reg.version;
    reg.record = b"sealed rectified record".to_vec();
    let mut rect = rectification("rect-9", "case-9", by);
    rect.request_id = Some("req-9".into());
    let ids = vec![("document".to_owned(), b"doc-case-9".to_vec())];
    t.store
        .rectify_registration(&person("case-9", 9), &reg, version, &ids, &rect, &event(AuditAction::FieldRectified))
        .await
        .unwrap();
}

/// Restricts `case_id` (Reg 2016/679 Art 18) through an answered restriction request `request_id`.
pub(crate) async fn restrict(t: &TestStore, request_id: &str, case_id: &str, by: &str, reason: Vec<u8>) {
    let mut r = request(request_id, case_id, by);
    r.kind = "restriction".into();
    r.identity_checked_by = Some(by.into());
    r.identity_method = Some("representative".into());
    r.identity_checked_on = Some("2026-01-06".into());
    r.answered_on = Some("2026-01-07".into());
    t.store.add_subject_request(&r, &event(AuditAction::SubjectRequestRecorded)).await.unwrap();
    let mut answered = r.clone();
    answered.version = 2;
    let restriction = CaseRestrictionRow {
        case_id: case_id.into(),
        request_id: request_id.into(),
        reason,
        restricted_by: by.into(),
        restricted_at: T0 + 70,
    };
    t.store.restrict_case(&restriction, &answered, 1, &event(AuditAction::CaseRestricted)).await.unwrap();
}

fn request(id: &str, case_id: &str, by: &str) -> SubjectRequestRow {
    SubjectRequestRow {
        id: id.into(),
        jurisdiction: "LV".into(),
        kind: "access".into(),
        case_id: case_id.into(),
        received_on: "2026-01-05".into(),
        extended: false,
        due_on: "2026-02-05".into(),
        status: "received".into(),
        identity_checked_by: None,
        identity_method: None,
        identity_checked_on: None,
        answered_on: None,
        detail: b"sealed detail".to_vec(),
        version: 1,
        created_by: by.into(),
        created_at: T0,
        updated_by: by.into(),
        updated_at: T0,
    }
}

async fn requests_round_trip_and_stale_changes_conflict(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-1", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", true, &w.caseworker.id, "2026-01-02"), 1).await;
    let r = request("req-1", "case-1", &w.caseworker.id);
    t.store.add_subject_request(&r, &event(AuditAction::SubjectRequestRecorded)).await.unwrap();
    assert_eq!(t.store.subject_request("req-1").await.unwrap(), Some(r.clone()));
    assert_eq!(t.store.subject_requests("LV").await.unwrap(), vec![r.clone()]);
    assert!(t.store.subject_requests("EE").await.unwrap().is_empty());
    assert_eq!(t.store.case_id_by_reference("LV-1").await.unwrap(), Some("case-1".to_owned()));
    let mut next = r.clone();
    next.version = 2;
    next.status = "verified".into();
    next.identity_checked_by = Some(w.caseworker.id.clone());
    next.identity_method = Some("document_in_person".into());
    next.identity_checked_on = Some("2026-01-06".into());
    next.extended = true;
    next.due_on = "2026-04-07".into();
    t.store.update_subject_request(&next, 1, &event(AuditAction::SubjectRequestChanged)).await.unwrap();
    assert_eq!(t.store.subject_request("req-1").await.unwrap(), Some(next.clone()));
    // A change made from version 1 again comes too late: nothing written.
    let mut stale = next.clone();
    stale.version = 2;
    stale.status = "refused".into();
    let head = t.head_seq().await;
    assert_conflict(t.store.update_subject_request(&stale, 1, &event(AuditAction::SubjectRequestChanged)).await);
    assert_eq!(t.store.subject_request("req-1").await.unwrap(), Some(next));
    assert_eq!(t.head_seq().await, head, "no audit entry for a change not made");
}

async fn a_restriction_hides_a_registration_from_statistics_until_lifted(t: TestStore) {
    let w = seed(&t).await;
    for (i, id) in ["case-1", "case-2"].iter().enumerate() {
        let c = case(id, &format!("LV-{i}"), &w.ngo.id, &w.caseworker.id, "LV", T0);
        register(&t, &c, &registration(id, true, &w.caseworker.id, "2026-01-02"), u8::try_from(i).unwrap()).await;
    }
    let mut r = request("req-1", "case-1", &w.caseworker.id);
    r.kind = "restriction".into();
    r.status = "verified".into();
    t.store.add_subject_request(&r, &event(AuditAction::SubjectRequestRecorded)).await.unwrap();
    let mut answered = r.clone();
    answered.version = 2;
    answered.status = "answered".into();
    let restriction = CaseRestrictionRow {
        case_id: "case-1".into(),
        request_id: "req-1".into(),
        reason: b"sealed reason".to_vec(),
        restricted_by: w.caseworker.id.clone(),
        restricted_at: T0 + 5,
    };
    let codes = |rows: Vec<haven_storage::RegistrationRow>| rows.into_iter().map(|r| r.case_id).collect::<Vec<_>>();
    assert_eq!(codes(t.store.registrations_in("LV").await.unwrap()), ["case-1", "case-2"]);
    t.store.restrict_case(&restriction, &answered, 1, &event(AuditAction::CaseRestricted)).await.unwrap();
    assert_eq!(t.store.case_restriction("case-1").await.unwrap(), Some(restriction.clone()));
    assert_eq!(t.store.restricted_case_ids().await.unwrap(), ["case-1"]);
    assert_eq!(t.store.subject_request("req-1").await.unwrap().unwrap().status, "answered");
    // Out of the statistics' and matching's reads while it holds (Reg 2016/679 Art 18(2)) ...
    assert_eq!(codes(t.store.registrations_in("LV").await.unwrap()), ["case-2"]);
    assert_eq!(codes(t.store.registration_codes_in("LV").await.unwrap()), ["case-2"]);
    let referred = t.store.registration_codes_in("LV").await.unwrap().iter().filter(|r| r.state == "submitted").count();
    let tallied: i64 = t.store.referred_tally_in("LV").await.unwrap().iter().map(|r| r.n).sum();
    assert_eq!((usize::try_from(tallied).unwrap(), referred), (1, 1), "the restricted case is not counted");
    // ... still read as a case.
    assert!(t.store.registration("case-1").await.unwrap().is_some());
    // Restricted once only; nothing written by the second attempt.
    let mut again = answered.clone();
    again.version = 3;
    assert_conflict(t.store.restrict_case(&restriction, &again, 2, &event(AuditAction::CaseRestricted)).await);
    assert_eq!(t.store.subject_request("req-1").await.unwrap().unwrap().version, 2);
    // Lifting restores it.
    t.store.lift_restriction("case-1", &event(AuditAction::CaseRestrictionLifted)).await.unwrap();
    assert_eq!(t.store.case_restriction("case-1").await.unwrap(), None);
    assert_eq!(codes(t.store.registrations_in("LV").await.unwrap()), ["case-1", "case-2"]);
    assert_not_found(t.store.lift_restriction("case-1", &event(AuditAction::CaseRestrictionLifted)).await);
}

fn rectification(id: &str, case_id: &str, by: &str) -> RectificationRow {
    RectificationRow {
        id: id.into(),
        case_id: case_id.into(),
        field: "given_names".into(),
        old_value: b"sealed old value".to_vec(),
        reason: b"sealed reason".to_vec(),
        request_id: None,
        rectified_by: by.into(),
        rectified_at: T0 + 10,
    }
}

async fn a_rectification_keeps_the_old_value_with_the_new_record(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-1", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", false, &w.caseworker.id, "2026-01-02"), 1).await;
    let mut reg = registration("case-1", false, &w.caseworker.id, "2026-01-02");
    reg.version = 2;
    reg.record = b"sealed corrected record".to_vec();
    reg.sex = "male".into();
    let p = person("case-1", 7);
    let rect = rectification("rect-1", "case-1", &w.caseworker.id);
    let ids = vec![("dob".to_owned(), b"new index".to_vec())];
    t.store.rectify_registration(&p, &reg, 1, &ids, &rect, &event(AuditAction::FieldRectified)).await.unwrap();
    let stored = t.store.registration("case-1").await.unwrap().unwrap();
    assert_eq!((stored.version, stored.record.clone(), stored.sex.as_str()), (2, reg.record.clone(), "male"));
    assert_eq!(t.store.person("case-1").await.unwrap(), p);
    assert_eq!(t.store.cases_with_identifier("dob", b"new index").await.unwrap(), ["case-1"]);
    assert_eq!(t.store.rectifications("case-1").await.unwrap(), vec![rect]);
    assert!(t.store.rectifications("case-2").await.unwrap().is_empty());
}

async fn a_stale_rectification_writes_nothing(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-1", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", false, &w.caseworker.id, "2026-01-02"), 1).await;
    let before = t.store.registration("case-1").await.unwrap();
    let mut reg = registration("case-1", false, &w.caseworker.id, "2026-01-02");
    reg.record = b"sealed corrected record".to_vec();
    let rect = rectification("rect-1", "case-1", &w.caseworker.id);
    let head = t.head_seq().await;
    assert_conflict(
        t.store
            .rectify_registration(&person("case-1", 7), &reg, 5, &[], &rect, &event(AuditAction::FieldRectified))
            .await,
    );
    assert_eq!(t.store.registration("case-1").await.unwrap(), before);
    assert!(t.store.rectifications("case-1").await.unwrap().is_empty());
    assert_eq!(t.head_seq().await, head);
}
