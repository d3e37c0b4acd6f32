//! Cases, persons, notes and shares.

use crate::support::{T0, TestStore, assert_conflict, assert_not_found, case, event, note, person, seed};
use haven_domain::access::{CaseShare, Compartment};
use haven_domain::audit::AuditAction;

contract_tests!(
    cases_and_persons_round_trip,
    case_conflicts_write_nothing,
    notes_by_compartment,
    shares_and_visibility,
);

async fn cases_and_persons_round_trip(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let p = person("case-1", 2);
    t.store.create_case(&c, &p, &event(AuditAction::CaseCreated)).await.unwrap();
    assert_eq!(t.store.case("case-1").await.unwrap(), c);
    assert_eq!(t.store.person("case-1").await.unwrap(), p);
    let c2 = case("case-2", "LV-2026-0002", &w.ngo.id, &w.caseworker.id, "LV", T0 + 1);
    let p2 = person("case-2", 3); // no date of birth, empty aliases
    t.store.create_case(&c2, &p2, &event(AuditAction::CaseCreated)).await.unwrap();
    assert_eq!(t.store.person("case-2").await.unwrap(), p2);
    assert_eq!(t.store.cases_with_name_index(&[2; 32]).await.unwrap(), vec!["case-1".to_owned()]);
    assert!(t.store.cases_with_name_index(&[7; 32]).await.unwrap().is_empty());
    assert_eq!(t.store.count_cases().await.unwrap(), 2);
    assert_not_found(t.store.case("case-9").await);
    assert_not_found(t.store.person("case-9").await);
}

async fn case_conflicts_write_nothing(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    t.store.create_case(&c, &person("case-1", 1), &event(AuditAction::CaseCreated)).await.unwrap();
    let seq = t.head_seq().await;

    // Same reference: the case is refused, and so is its person.
    let same_ref = case("case-2", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    assert_conflict(t.store.create_case(&same_ref, &person("case-2", 2), &event(AuditAction::CaseCreated)).await);
    // Unknown owner, unknown creator.
    let no_owner = case("case-3", "LV-2026-0003", "org-nowhere", &w.caseworker.id, "LV", T0);
    assert_conflict(t.store.create_case(&no_owner, &person("case-3", 3), &event(AuditAction::CaseCreated)).await);
    let no_creator = case("case-4", "LV-2026-0004", &w.ngo.id, "usr-nobody", "LV", T0);
    assert_conflict(t.store.create_case(&no_creator, &person("case-4", 4), &event(AuditAction::CaseCreated)).await);
    // The case row is valid but its person is not (it points at another case): the case
    // written first must be rolled back with it.
    let half = case("case-5", "LV-2026-0005", &w.ngo.id, &w.caseworker.id, "LV", T0);
    assert_conflict(t.store.create_case(&half, &person("case-nowhere", 5), &event(AuditAction::CaseCreated)).await);
    assert_not_found(t.store.case("case-5").await);
    // A second person for an existing case.
    let again = case("case-6", "LV-2026-0006", &w.ngo.id, &w.caseworker.id, "LV", T0);
    assert_conflict(t.store.create_case(&again, &person("case-1", 6), &event(AuditAction::CaseCreated)).await);
    assert_not_found(t.store.case("case-6").await);

    assert_eq!(t.store.count_cases().await.unwrap(), 1);
    assert_eq!(t.store.person("case-1").await.unwrap(), person("case-1", 1));
    assert!(t.store.cases_with_name_index(&[5; 32]).await.unwrap().is_empty());
    assert_eq!(t.head_seq().await, seq);
    t.assert_chain(seq as u64).await;
}

async fn notes_by_compartment(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    t.store.create_case(&c, &person("case-1", 1), &event(AuditAction::CaseCreated)).await.unwrap();
    let n1 = note("note-b", "case-1", Compartment::Support, &w.caseworker.id, &w.ngo.id, T0 + 20);
    let n2 = note("note-a", "case-1", Compartment::Support, &w.caseworker.id, &w.ngo.id, T0 + 10);
    let n3 = note("note-c", "case-1", Compartment::Proceedings, &w.officer.id, &w.police.id, T0 + 5);
    for n in [&n1, &n2, &n3] {
        t.store.add_note(n, &event(AuditAction::NoteAdded)).await.unwrap();
    }
    assert_eq!(t.store.notes("case-1", Compartment::Support).await.unwrap(), vec![n2.clone(), n1.clone()]);
    assert_eq!(t.store.notes("case-1", Compartment::Proceedings).await.unwrap(), vec![n3.clone()]);
    assert!(t.store.notes("case-1", Compartment::Identity).await.unwrap().is_empty());
    assert!(t.store.notes("case-9", Compartment::Support).await.unwrap().is_empty());

    assert_conflict(t.store.add_note(&n1, &event(AuditAction::NoteAdded)).await);
    let orphan = note("note-x", "case-9", Compartment::Support, &w.caseworker.id, &w.ngo.id, T0);
    assert_conflict(t.store.add_note(&orphan, &event(AuditAction::NoteAdded)).await);
    let no_author = note("note-y", "case-1", Compartment::Support, "usr-nobody", &w.ngo.id, T0);
    assert_conflict(t.store.add_note(&no_author, &event(AuditAction::NoteAdded)).await);
    assert_eq!(t.store.notes("case-1", Compartment::Support).await.unwrap().len(), 2);
}

async fn shares_and_visibility(t: TestStore) {
    let w = seed(&t).await;
    // The NGO owns 1 and 2, the police owns 3; 2 is shared with the police, nothing with the shelter.
    let c1 = case("case-1", "LV-1", &w.ngo.id, &w.caseworker.id, "LV", T0 + 1);
    let c2 = case("case-2", "LV-2", &w.ngo.id, &w.caseworker.id, "LV", T0 + 2);
    let c3 = case("case-3", "LV-3", &w.police.id, &w.officer.id, "LV", T0 + 3);
    for (i, c) in [&c1, &c2, &c3].into_iter().enumerate() {
        t.store.create_case(c, &person(&c.id, i as u8), &event(AuditAction::CaseCreated)).await.unwrap();
    }
    t.store
        .share_case(
            "case-2",
            &w.police.id,
            &[Compartment::Identity],
            &w.caseworker.id,
            T0 + 10,
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    let ids = |cases: Vec<haven_storage::CaseRow>| cases.into_iter().map(|c| c.id).collect::<Vec<_>>();

    assert_eq!(ids(t.store.cases_visible_to(&w.ngo.id, 100, 0).await.unwrap()), ["case-2", "case-1"]);
    assert_eq!(ids(t.store.cases_visible_to(&w.police.id, 100, 0).await.unwrap()), ["case-3", "case-2"]);
    assert!(t.store.cases_visible_to(&w.shelter.id, 100, 0).await.unwrap().is_empty());
    assert_eq!(ids(t.store.cases_visible_to(&w.police.id, 1, 1).await.unwrap()), ["case-2"]);

    let shared = t.store.case("case-2").await.unwrap();
    assert_eq!(
        shared.shares,
        vec![CaseShare { organisation_id: w.police.id.clone(), compartments: vec![Compartment::Identity] }]
    );
    // Widening a share replaces it; sharing with another organisation adds one.
    t.store
        .share_case(
            "case-2",
            &w.police.id,
            &[Compartment::Identity, Compartment::Proceedings],
            &w.caseworker.id,
            T0 + 11,
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    t.store
        .share_case(
            "case-2",
            &w.shelter.id,
            &[Compartment::Support],
            &w.caseworker.id,
            T0 + 12,
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    let shares = t.store.case("case-2").await.unwrap().shares;
    assert_eq!(
        shares,
        vec![
            CaseShare { organisation_id: w.shelter.id.clone(), compartments: vec![Compartment::Support] },
            CaseShare {
                organisation_id: w.police.id.clone(),
                compartments: vec![Compartment::Identity, Compartment::Proceedings]
            },
        ]
    );
    let visible = t.store.cases_visible_to(&w.shelter.id, 100, 0).await.unwrap();
    assert_eq!(ids(visible.clone()), ["case-2"]);
    assert_eq!(visible[0].shares, shares, "listed cases carry their shares");

    // Sharing an unknown case, with an unknown organisation, by an unknown user.
    let ev = || event(AuditAction::CaseShared);
    assert_conflict(
        t.store.share_case("case-9", &w.police.id, &[Compartment::Identity], &w.caseworker.id, T0, &ev()).await,
    );
    assert_conflict(
        t.store.share_case("case-1", "org-nowhere", &[Compartment::Identity], &w.caseworker.id, T0, &ev()).await,
    );
    assert_conflict(
        t.store.share_case("case-1", &w.police.id, &[Compartment::Identity], "usr-nobody", T0, &ev()).await,
    );
    assert!(t.store.case("case-1").await.unwrap().shares.is_empty());
}
