//! Victims in proceedings: protection measures and information kept per linked victim (never
//! for a case not linked), training records per jurisdiction, every write audited.

use crate::proceedings::investigation_row;
use crate::support::{T0, TestStore, World, case, event, person, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{InvestigationVictimRow, ProtectionMeasureRow, TrainingRow, VictimInformationRow};

contract_tests!(
    art_12_4_dir_measures_are_kept_per_linked_victim_and_never_for_a_case_not_linked,
    art_11_dir_information_given_is_logged_per_linked_victim,
    art_18_3_dir_trainings_are_kept_per_jurisdiction_and_every_write_is_audited,
);

fn written() -> haven_domain::audit::AuditEvent {
    event(AuditAction::ProceedingsWritten)
}

pub(crate) fn measure_row(id: &str, case_id: &str, w: &World, measure: &str, on: &str) -> ProtectionMeasureRow {
    ProtectionMeasureRow {
        id: id.into(),
        investigation_id: "inv-1".into(),
        case_id: case_id.into(),
        measure: measure.into(),
        status: "not_applicable".into(),
        recorded_on: on.into(),
        reasons: Some(vec![0x42; 30]),
        recorded_by: w.officer.id.clone(),
        recorded_at: T0 + 300,
    }
}

pub(crate) fn information_row(id: &str, case_id: &str, w: &World) -> VictimInformationRow {
    VictimInformationRow {
        id: id.into(),
        investigation_id: "inv-1".into(),
        case_id: case_id.into(),
        kind: "trial_time_and_place".into(),
        channel: "in_person".into(),
        language: "uk".into(),
        given_by: vec![0x17; 20],
        given_on: "2026-04-02".into(),
        note: Some(vec![0x18; 12]),
        recorded_by: w.officer.id.clone(),
        recorded_at: T0 + 310,
    }
}

pub(crate) fn training_row(id: &str, jurisdiction: &str, w: &World, starts_on: &str) -> TrainingRow {
    TrainingRow {
        id: id.into(),
        jurisdiction: jurisdiction.into(),
        organisation_id: w.police.id.clone(),
        starts_on: starts_on.into(),
        body: "{\"title\":\"Identifying victims\"}".into(),
        created_by: w.officer.id.clone(),
        created_at: T0 + 320,
    }
}

/// An investigation with case-1 linked as a victim (case-2 exists, not linked).
async fn linked(t: &TestStore, w: &World) {
    for i in 1..=2u8 {
        let id = format!("case-{i}");
        let c = case(&id, &format!("LV-2026-{i:04}"), &w.ngo.id, &w.caseworker.id, "LV", T0 + i64::from(i));
        t.store.create_case(&c, &person(&id, i), &event(AuditAction::CaseCreated)).await.unwrap();
    }
    t.store.create_investigation(&investigation_row("inv-1", w, None), &written()).await.unwrap();
    let link = InvestigationVictimRow {
        investigation_id: "inv-1".into(),
        case_id: "case-1".into(),
        linked_on: "2026-03-03".into(),
        linked_by: w.officer.id.clone(),
        linked_at: T0 + 120,
    };
    assert!(t.store.link_investigation_victim(&link, &written()).await.unwrap());
}

/// Fills the tables (for the backup round trip), after `fill_proceedings` (inv-1 with case-2
/// linked).
pub(crate) async fn fill_proceedings_victims(t: &TestStore, w: &World) {
    t.store
        .add_protection_measure(&measure_row("pm-1", "case-2", w, "hearing_without_public", "2026-04-01"), &written())
        .await
        .unwrap();
    t.store.add_victim_information(&information_row("vi-1", "case-2", w), &written()).await.unwrap();
    t.store.add_training(&training_row("tr-1", "LV", w, "2026-02-10"), &written()).await.unwrap();
}

async fn art_12_4_dir_measures_are_kept_per_linked_victim_and_never_for_a_case_not_linked(t: TestStore) {
    let w = seed(&t).await;
    linked(&t, &w).await;
    let later = ProtectionMeasureRow {
        status: "applied".into(),
        reasons: None,
        recorded_at: T0 + 301,
        ..measure_row("pm-2", "case-1", &w, "few_interviews", "2026-04-05")
    };
    let first = measure_row("pm-1", "case-1", &w, "hearing_without_public", "2026-04-01");
    t.store.add_protection_measure(&later, &written()).await.unwrap();
    t.store.add_protection_measure(&first, &written()).await.unwrap();
    assert_eq!(t.store.protection_measures("inv-1").await.unwrap(), vec![first, later], "by the day recorded");
    // A case that is not linked to the investigation has no measures.
    assert!(
        t.store
            .add_protection_measure(&measure_row("pm-3", "case-2", &w, "few_interviews", "2026-04-05"), &written())
            .await
            .is_err()
    );
    assert!(t.store.protection_measures("inv-2").await.unwrap().is_empty());
    // A status outside the three is refused by the schema.
    let odd = ProtectionMeasureRow {
        status: "maybe".into(),
        ..measure_row("pm-4", "case-1", &w, "few_interviews", "2026-04-05")
    };
    assert!(t.store.add_protection_measure(&odd, &written()).await.is_err());
}

async fn art_11_dir_information_given_is_logged_per_linked_victim(t: TestStore) {
    let w = seed(&t).await;
    linked(&t, &w).await;
    let row = information_row("vi-1", "case-1", &w);
    t.store.add_victim_information(&row, &written()).await.unwrap();
    let plain = VictimInformationRow { note: None, id: "vi-2".into(), given_on: "2026-03-20".into(), ..row.clone() };
    t.store.add_victim_information(&plain, &written()).await.unwrap();
    assert_eq!(t.store.victim_information("inv-1").await.unwrap(), vec![plain, row]);
    assert!(t.store.add_victim_information(&information_row("vi-3", "case-2", &w), &written()).await.is_err());
}

async fn art_18_3_dir_trainings_are_kept_per_jurisdiction_and_every_write_is_audited(t: TestStore) {
    let w = seed(&t).await;
    let before = t.store.audit_head().await.unwrap().map_or(0, |h| h.seq);
    let b = training_row("tr-2", "LV", &w, "2026-05-01");
    let a = training_row("tr-1", "LV", &w, "2026-02-10");
    let ee = training_row("tr-3", "EE", &w, "2026-02-10");
    for row in [&b, &a, &ee] {
        t.store.add_training(row, &written()).await.unwrap();
    }
    assert_eq!(t.store.trainings("LV").await.unwrap(), vec![a, b]);
    assert_eq!(t.store.trainings("EE").await.unwrap(), vec![ee]);
    assert!(t.store.trainings("LT").await.unwrap().is_empty());
    let after = t.store.audit_head().await.unwrap().map_or(0, |h| h.seq);
    assert_eq!(after - before, 3);
}
