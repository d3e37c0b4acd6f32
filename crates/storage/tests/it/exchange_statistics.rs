//! Statistics over the exchange channel (migration 0023): a submission received over the channel
//! is stored with its signed original in one transaction, once per message id; a release's
//! message id is recorded once and a retry finds the same one.

use crate::support::{T0, TestStore, World, assert_conflict, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{ReleaseRow, StatisticsEvidenceRow, StatisticsSentRow, SubmissionRow};

contract_tests!(
    a_channel_submission_is_stored_with_its_signed_original_once_per_message,
    a_releases_message_id_is_recorded_once_and_a_retry_finds_it,
);

fn channel_submission(id: &str, year: i64) -> SubmissionRow {
    SubmissionRow {
        id: id.into(),
        country: "LV".into(),
        year,
        format: "sdmx-csv".into(),
        dataset: "{\"country\":\"LV\"}".into(),
        observations: 1,
        submitted_by: None,
        organisation_id: None,
        submitted_at: T0,
    }
}

fn evidence(submission_id: &str, message_id: &str) -> StatisticsEvidenceRow {
    StatisticsEvidenceRow {
        submission_id: submission_id.into(),
        message_id: message_id.into(),
        sender: "LV".into(),
        signing_key_id: "k1".into(),
        release_id: "rel-1".into(),
        content_sha256: "digest".into(),
        header: b"{\"header\":1}".to_vec(),
        body: b"{\"body\":1}".to_vec(),
        signature: vec![7; 64],
        received_at: T0,
    }
}

fn release(id: &str, user: &str) -> ReleaseRow {
    ReleaseRow {
        id: id.into(),
        jurisdiction: "LV".into(),
        year: 2025,
        mode: "suppression".into(),
        params: "{}".into(),
        dataset: "{}".into(),
        report: "{}".into(),
        epsilon_micro: None,
        delta_pico: None,
        created_by: user.into(),
        created_at: T0,
    }
}

fn sent(release_id: &str, message_id: &str, user: &str) -> StatisticsSentRow {
    StatisticsSentRow {
        release_id: release_id.into(),
        message_id: message_id.into(),
        receiver: "EU".into(),
        state: "prepared".into(),
        error: None,
        sent_by: Some(user.into()),
        created_at: T0,
        updated_at: T0,
    }
}

async fn a_channel_submission_is_stored_with_its_signed_original_once_per_message(t: TestStore) {
    seed(&t).await;
    let audit = event(AuditAction::SubmissionReceived);
    t.store.add_channel_submission(&channel_submission("s1", 2025), &evidence("s1", "m1"), &audit).await.unwrap();
    let stored = t.store.submissions_for(2025).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].submitted_by, None);
    assert_eq!(t.store.statistics_evidence("s1").await.unwrap(), Some(evidence("s1", "m1")));
    assert_eq!(t.store.statistics_evidence_for(2025).await.unwrap(), vec![evidence("s1", "m1")]);
    assert!(t.store.statistics_evidence_for(2024).await.unwrap().is_empty());
    // The same message again: refused, and neither the submission nor its evidence is written.
    let again = t.store.add_channel_submission(&channel_submission("s2", 2025), &evidence("s2", "m1"), &audit).await;
    assert_conflict(again);
    assert_eq!(t.store.submissions_for(2025).await.unwrap().len(), 1);
    assert_eq!(t.store.statistics_evidence("s2").await.unwrap(), None);
}

async fn a_releases_message_id_is_recorded_once_and_a_retry_finds_it(t: TestStore) {
    let w = seed(&t).await;
    t.store.add_release(&release("r1", &w.officer.id), None, &event(AuditAction::ReleaseCreated)).await.unwrap();
    assert_eq!(t.store.statistics_sent("r1").await.unwrap(), None);
    let audit = event(AuditAction::StatisticsSentToHub);
    let first = t.store.prepare_statistics_sent(&sent("r1", "m1", &w.officer.id), &audit).await.unwrap();
    assert_eq!(first.message_id, "m1");
    let retry = t.store.prepare_statistics_sent(&sent("r1", "m2", &w.officer.id), &audit).await.unwrap();
    assert_eq!(retry.message_id, "m1", "a retry sends the same message id");
    t.store.set_statistics_sent_state("r1", "failed", Some("no route"), T0 + 5).await.unwrap();
    let failed = t.store.statistics_sent("r1").await.unwrap().unwrap();
    assert_eq!(
        (failed.state.as_str(), failed.error.as_deref(), failed.updated_at),
        ("failed", Some("no route"), T0 + 5)
    );
}

/// Rows in both tables, for the backup test (after `fill_statistics`, whose release `bk-sdc` is
/// sent here).
pub async fn fill_exchange_statistics(t: &TestStore, w: &World) {
    let audit = event(AuditAction::SubmissionReceived);
    t.store
        .add_channel_submission(&channel_submission("bk-chan", 2026), &evidence("bk-chan", "bk-m1"), &audit)
        .await
        .unwrap();
    t.store
        .prepare_statistics_sent(&sent("bk-sdc", "bk-m2", &w.officer.id), &event(AuditAction::StatisticsSentToHub))
        .await
        .unwrap();
}
