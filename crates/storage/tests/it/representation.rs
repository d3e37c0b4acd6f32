//! A victim's representation by a lawyer (Dir 2011/36 Art 12(2)): kept per case, one in force
//! per victim and lawyer, revoked once, every write audited; the lawyers of a jurisdiction.

use crate::support::{T0, TestStore, World, case, event, person, seed, user};
use haven_domain::Role;
use haven_domain::audit::AuditAction;
use haven_storage::{RepresentationRevocation, RepresentationRow, StorageError};

contract_tests!(
    art_12_2_dir_one_representation_in_force_per_victim_and_lawyer_revoked_once,
    the_lawyers_offered_are_the_enabled_lawyers_of_the_jurisdiction,
);

pub(crate) fn representation_row(id: &str, case_id: &str, lawyer: &str, recorded_by: &str) -> RepresentationRow {
    RepresentationRow {
        id: id.into(),
        case_id: case_id.into(),
        lawyer_user_id: lawyer.into(),
        jurisdiction: "LV".into(),
        from_on: "2026-03-02".into(),
        consent_on: "2026-03-01".into(),
        consent_note: Some(vec![0x51; 24]),
        recorded_by: recorded_by.into(),
        recorded_at: T0 + 400,
        revoked_on: None,
        revocation_reason: None,
        revoked_by: None,
        revoked_at: None,
    }
}

fn revocation(id: &str, by: &str) -> RepresentationRevocation {
    RepresentationRevocation {
        id: id.into(),
        revoked_on: "2026-04-01".into(),
        revocation_reason: Some(vec![0x52; 16]),
        revoked_by: by.into(),
        revoked_at: T0 + 410,
    }
}

/// For the backup round trip: a representation revoked (every column set) and one in force
/// (the revocation's columns and the note NULL).
pub(crate) async fn fill_representation(t: &TestStore, w: &World) {
    let recorded = event(AuditAction::RepresentationRecorded);
    let first = representation_row("rep-1", "case-2", &w.counsellor.id, &w.caseworker.id);
    t.store.add_representation(&first, &recorded).await.unwrap();
    t.store
        .revoke_representation(
            "case-2",
            &revocation("rep-1", &w.caseworker.id),
            &event(AuditAction::RepresentationRevoked),
        )
        .await
        .unwrap();
    let second = RepresentationRow {
        consent_note: None,
        ..representation_row("rep-2", "case-2", &w.counsellor.id, &w.caseworker.id)
    };
    t.store.add_representation(&second, &recorded).await.unwrap();
}

async fn art_12_2_dir_one_representation_in_force_per_victim_and_lawyer_revoked_once(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    t.store.create_case(&c, &person("case-1", 1), &event(AuditAction::CaseCreated)).await.unwrap();
    let recorded = event(AuditAction::RepresentationRecorded);
    let audits = t.store.count_unchecked("SELECT COUNT(*) FROM audit_log").await.unwrap();
    let first = representation_row("rep-1", "case-1", &w.counsellor.id, &w.caseworker.id);
    t.store.add_representation(&first, &recorded).await.unwrap();
    // A second one in force for the same victim and lawyer is refused, and writes nothing.
    let twice = t
        .store
        .add_representation(&representation_row("rep-2", "case-1", &w.counsellor.id, &w.caseworker.id), &recorded)
        .await;
    assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
    // Another lawyer may represent the same victim.
    let other = representation_row("rep-3", "case-1", &w.officer.id, &w.caseworker.id);
    t.store.add_representation(&other, &recorded).await.unwrap();
    assert_eq!(t.store.count_unchecked("SELECT COUNT(*) FROM audit_log").await.unwrap() - audits, 2);
    // Revoked once; the second time there is none in force, and nothing is written.
    let revoked = event(AuditAction::RepresentationRevoked);
    let wrong_case = t.store.revoke_representation("case-9", &revocation("rep-1", &w.caseworker.id), &revoked).await;
    assert!(matches!(wrong_case, Err(StorageError::NotFound)));
    t.store.revoke_representation("case-1", &revocation("rep-1", &w.caseworker.id), &revoked).await.unwrap();
    let again = t.store.revoke_representation("case-1", &revocation("rep-1", &w.caseworker.id), &revoked).await;
    assert!(matches!(again, Err(StorageError::NotFound)));
    assert_eq!(t.store.count_unchecked("SELECT COUNT(*) FROM audit_log").await.unwrap() - audits, 3);
    // Then the same lawyer may be recorded again.
    let renewed = representation_row("rep-4", "case-1", &w.counsellor.id, &w.caseworker.id);
    t.store.add_representation(&renewed, &recorded).await.unwrap();
    let of_case = t.store.representations_of_case("case-1").await.unwrap();
    assert_eq!(of_case.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["rep-1", "rep-3", "rep-4"]);
    let revoked_row = &of_case[0];
    assert_eq!(revoked_row.revoked_on.as_deref(), Some("2026-04-01"));
    assert_eq!(revoked_row.revoked_by.as_deref(), Some(w.caseworker.id.as_str()));
    assert_eq!(revoked_row.revocation_reason, Some(vec![0x52; 16]));
    let by_lawyer = t.store.representations_by_lawyer(&w.counsellor.id).await.unwrap();
    assert_eq!(by_lawyer.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["rep-1", "rep-4"]);
}

async fn the_lawyers_offered_are_the_enabled_lawyers_of_the_jurisdiction(t: TestStore) {
    let w = seed(&t).await;
    let created = event(AuditAction::UserCreated);
    let lawyer = user("usr-lawyer", "lawyer", &w.ngo.id, &[Role::VictimLawyer]);
    let mut disabled = user("usr-lawyer-off", "lawyer.off", &w.ngo.id, &[Role::VictimLawyer]);
    disabled.disabled = true;
    let abroad = user("usr-lawyer-ee", "lawyer.ee", &w.shelter.id, &[Role::VictimLawyer]);
    for u in [&lawyer, &disabled, &abroad] {
        t.store.create_user(u, &created).await.unwrap();
    }
    let offered = t.store.lawyers_in("LV").await.unwrap();
    assert_eq!(offered.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), vec!["usr-lawyer"]);
    assert_eq!(offered[0].organisation_name, w.ngo.name);
    assert_eq!(t.store.lawyers_in("EE").await.unwrap().len(), 1);
}
