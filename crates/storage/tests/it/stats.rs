//! Statistics storage: releases with the privacy budget taken in the same transaction, and the
//! EU hub's submissions.

use crate::support::{TestStore, World, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{Charge, ReleaseRow, ReleasesBefore, StorageError, SubmissionRow};
use std::sync::Arc;
use tokio::sync::Barrier;

contract_tests!(
    eight_releases_race_for_a_budget_that_covers_three,
    a_refused_release_writes_nothing,
    suppression_releases_spend_no_budget,
    submissions_are_kept_per_year,
    of_releases_decided_against_the_same_published_ones_racing_only_one_is_stored,
);

fn release(id: &str, user: &str, year: i64, epsilon_micro: Option<i64>) -> ReleaseRow {
    ReleaseRow {
        id: id.to_owned(),
        jurisdiction: "LV".to_owned(),
        year,
        mode: if epsilon_micro.is_some() { "dp" } else { "suppression" }.to_owned(),
        params: "{}".to_owned(),
        dataset: "{}".to_owned(),
        report: "{}".to_owned(),
        epsilon_micro,
        delta_pico: epsilon_micro.map(|_| 0),
        created_by: user.to_owned(),
        created_at: 1_790_000_000,
    }
}

fn charge(epsilon_micro: i64) -> Charge {
    Charge {
        epsilon_micro,
        delta_pico: 0,
        default_epsilon_budget_micro: 4_000_000,
        default_delta_budget_pico: 1_000_000,
    }
}

async fn eight_releases_race_for_a_budget_that_covers_three(t: TestStore) {
    let w = seed(&t).await;
    let barrier = Arc::new(Barrier::new(8));
    let mut handles = Vec::new();
    for i in 0..8 {
        let store = t.store.clone();
        let barrier = barrier.clone();
        let row = release(&format!("rel-{i}"), &w.officer.id, 2026, Some(1_300_000));
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            let audit = event(AuditAction::ReleaseCreated).on("release", &row.id, None);
            store.add_release(&row, Some(charge(1_300_000)), &audit).await
        }));
    }
    let mut won = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(()) => won += 1,
            Err(StorageError::BudgetExceeded) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(won, 3, "1.3 three times fits in 4, four times does not");
    let b = t.store.privacy_budget("LV", 2026).await.unwrap().unwrap();
    assert_eq!(b.epsilon_spent_micro, 3_900_000);
    assert_eq!(b.epsilon_budget_micro, 4_000_000);
    assert_eq!(t.store.releases_in("LV", Some(2026)).await.unwrap().len(), 3);
}

async fn a_refused_release_writes_nothing(t: TestStore) {
    let w = seed(&t).await;
    let audit = event(AuditAction::ReleaseCreated).on("release", "a", None);
    t.store
        .add_release(&release("a", &w.officer.id, 2026, Some(3_000_000)), Some(charge(3_000_000)), &audit)
        .await
        .unwrap();
    let seq = t.head_seq().await;
    let r =
        t.store.add_release(&release("b", &w.officer.id, 2026, Some(1_500_000)), Some(charge(1_500_000)), &audit).await;
    assert!(matches!(r, Err(StorageError::BudgetExceeded)), "{r:?}");
    assert_eq!(t.head_seq().await, seq, "no audit entry for what was not written");
    assert!(t.store.release("b").await.unwrap().is_none());
    assert_eq!(t.store.privacy_budget("LV", 2026).await.unwrap().unwrap().epsilon_spent_micro, 3_000_000);
    // another year has its own budget
    t.store
        .add_release(&release("c", &w.officer.id, 2025, Some(1_500_000)), Some(charge(1_500_000)), &audit)
        .await
        .unwrap();
}

async fn suppression_releases_spend_no_budget(t: TestStore) {
    let w = seed(&t).await;
    let audit = event(AuditAction::ReleaseCreated).on("release", "s", None);
    for i in 0..3 {
        t.store.add_release(&release(&format!("s{i}"), &w.officer.id, 2026, None), None, &audit).await.unwrap();
    }
    assert!(t.store.privacy_budget("LV", 2026).await.unwrap().is_none());
    assert_eq!(t.store.releases_in("LV", None).await.unwrap().len(), 3);
    assert!(t.store.releases_in("EE", None).await.unwrap().is_empty());
}

async fn of_releases_decided_against_the_same_published_ones_racing_only_one_is_stored(t: TestStore) {
    let w = seed(&t).await;
    let before = |releases| ReleasesBefore {
        releases,
        default_epsilon_budget_micro: 4_000_000,
        default_delta_budget_pico: 1_000_000,
    };
    // six releases of 2026, each audited against none published: one is stored
    let barrier = Arc::new(Barrier::new(6));
    let mut handles = Vec::new();
    for i in 0..6 {
        let store = t.store.clone();
        let barrier = barrier.clone();
        let row = release(&format!("rc-{i}"), &w.officer.id, 2026, None);
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            let audit = event(AuditAction::ReleaseCreated).on("release", &row.id, None);
            store.add_release_after(&row, None, before(0), &audit).await
        }));
    }
    let mut won = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(()) => won += 1,
            Err(StorageError::Conflict(m)) => assert!(m.contains("make it again"), "{m}"),
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(t.store.releases_in("LV", Some(2026)).await.unwrap().len(), 1);
    // decided against the one now published, the next is stored; the budget is untouched
    let audit = event(AuditAction::ReleaseCreated).on("release", "rc-next", None);
    t.store.add_release_after(&release("rc-next", &w.officer.id, 2026, None), None, before(1), &audit).await.unwrap();
    let b = t.store.privacy_budget("LV", 2026).await.unwrap().unwrap();
    assert_eq!((b.epsilon_spent_micro, b.epsilon_budget_micro), (0, 4_000_000));
}

async fn submissions_are_kept_per_year(t: TestStore) {
    let w = seed(&t).await;
    for (i, (country, year)) in [("LV", 2026), ("EE", 2026), ("LV", 2025)].into_iter().enumerate() {
        let row = SubmissionRow {
            id: format!("sub-{i}"),
            country: country.to_owned(),
            year,
            format: "sdmx-csv".to_owned(),
            dataset: "{}".to_owned(),
            observations: 10,
            submitted_by: Some(w.officer.id.clone()),
            organisation_id: Some(w.police.id.clone()),
            submitted_at: 1_790_000_000 + i as i64,
        };
        let audit = event(AuditAction::SubmissionReceived).on("submission", &row.id, None);
        t.store.add_submission(&row, &audit).await.unwrap();
    }
    let y2026 = t.store.submissions_for(2026).await.unwrap();
    assert_eq!(y2026.iter().map(|s| s.country.as_str()).collect::<Vec<_>>(), vec!["LV", "EE"]);
    assert_eq!(t.store.submission_years().await.unwrap(), vec![2026, 2025]);
}

/// Rows in every statistics table, for the backup test.
pub async fn fill_statistics(t: &TestStore, w: &World) {
    let audit = event(AuditAction::ReleaseCreated).on("release", "bk", None);
    t.store
        .add_release(&release("bk-dp", &w.officer.id, 2026, Some(500_000)), Some(charge(500_000)), &audit)
        .await
        .unwrap();
    t.store.add_release(&release("bk-sdc", &w.officer.id, 2026, None), None, &audit).await.unwrap();
    let row = SubmissionRow {
        id: "bk-sub".to_owned(),
        country: "LV".to_owned(),
        year: 2026,
        format: "xlsx".to_owned(),
        dataset: "{\"country\":\"LV\"}".to_owned(),
        observations: 1,
        submitted_by: Some(w.officer.id.clone()),
        organisation_id: Some(w.police.id.clone()),
        submitted_at: 1_790_000_000,
    };
    t.store.add_submission(&row, &event(AuditAction::SubmissionReceived)).await.unwrap();
}
