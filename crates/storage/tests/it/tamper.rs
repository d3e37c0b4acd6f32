//! Tampering behind the application's back (triggers dropped, raw SQL) is detected by the
//! chain verification over what storage reads back.

use crate::support::{T0, TestStore};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};

contract_tests!(
    an_edited_entry_is_detected,
    a_deleted_middle_entry_is_detected,
    a_forged_entry_is_detected,
    swapped_entries_are_detected,
    a_deleted_newest_entry_is_detected,
    a_rewritten_head_is_detected,
);

const ENTRIES: i64 = 6;

/// Six entries, verified, then the append-only triggers dropped.
async fn prepare(t: &TestStore) {
    for i in 1..=ENTRIES {
        let ev = AuditEvent::new(T0 + i, AuditAction::CaseRead, AuditOutcome::Success)
            .by("usr-1", "org-1")
            .on("case", &format!("case-{i}"), Some("org-1"))
            .detail(format!("entry={i}"));
        assert_eq!(t.store.append_audit(&ev).await.unwrap(), i);
    }
    t.assert_chain(ENTRIES as u64).await;
    t.drop_audit_triggers().await;
}

/// Both read orders must fail; returns the error in seq order.
async fn broken(t: &TestStore) -> String {
    let physical = t.verify(true).await;
    assert!(physical.is_err(), "tampering not detected in physical order: {physical:?}");
    let ordered = t.verify(false).await;
    assert!(ordered.is_err(), "tampering not detected in seq order: {ordered:?}");
    ordered.unwrap_err()
}

async fn an_edited_entry_is_detected(t: TestStore) {
    prepare(&t).await;
    assert_eq!(t.store.execute_unchecked("UPDATE audit_log SET detail = 'entry=0' WHERE seq = 3").await.unwrap(), 1);
    assert_eq!(broken(&t).await, "Edited { seq: 3 }");
}

async fn a_deleted_middle_entry_is_detected(t: TestStore) {
    prepare(&t).await;
    assert_eq!(t.store.execute_unchecked("DELETE FROM audit_log WHERE seq = 3").await.unwrap(), 1);
    assert_eq!(broken(&t).await, "Missing { after_seq: 2, found_seq: 4 }");
}

async fn a_forged_entry_is_detected(t: TestStore) {
    prepare(&t).await;
    // A new last entry, with a MAC copied from a genuine one, and the head moved to it.
    t.store
        .execute_unchecked(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor_organisation_id, action, outcome, target_kind, \
             target_id, target_organisation_id, address, detail, mac) \
             SELECT 7, at, actor_user_id, actor_organisation_id, action, outcome, target_kind, 'case-99', \
             target_organisation_id, address, detail, mac FROM audit_log WHERE seq = 6",
        )
        .await
        .unwrap();
    assert_eq!(broken(&t).await, "Edited { seq: 7 }");
    t.store.execute_unchecked("UPDATE audit_head SET seq = 7").await.unwrap();
    let r = t.verify(false).await;
    assert!(r.is_err(), "{r:?}");
}

async fn swapped_entries_are_detected(t: TestStore) {
    prepare(&t).await;
    for sql in [
        "UPDATE audit_log SET seq = -2 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = -2",
    ] {
        assert_eq!(t.store.execute_unchecked(sql).await.unwrap(), 1, "{sql}");
    }
    let err = broken(&t).await;
    assert_eq!(err, "Edited { seq: 2 }");
    // Swapping contents instead of numbers.
    t.store
        .execute_unchecked(
            "UPDATE audit_log SET seq = seq + 100 WHERE seq IN (2, 4); \
             UPDATE audit_log SET seq = 4 WHERE seq = 102; UPDATE audit_log SET seq = 2 WHERE seq = 104;",
        )
        .await
        .unwrap();
    // Swapped back, the chain verifies again, wherever the rows now lie on disk.
    t.assert_chain(ENTRIES as u64).await;
    t.store.execute_unchecked("UPDATE audit_log SET detail = 'entry=5' WHERE seq = 6").await.unwrap();
    t.store.execute_unchecked("UPDATE audit_log SET detail = 'entry=6' WHERE seq = 5").await.unwrap();
    assert_eq!(broken(&t).await, "Edited { seq: 5 }");
}

async fn a_deleted_newest_entry_is_detected(t: TestStore) {
    prepare(&t).await;
    assert_eq!(t.store.execute_unchecked("DELETE FROM audit_log WHERE seq = 6").await.unwrap(), 1);
    assert_eq!(broken(&t).await, "TruncatedHead { expected_last: 6, found_last: 5 }");
    // Without the head row, the shortened chain would pass: the head is what catches it.
    let rows = t.store.audit_entries(0, 100).await.unwrap();
    let bytes: Vec<Vec<u8>> = rows.iter().map(|r| r.event.canonical_bytes(r.seq)).collect();
    let entries =
        rows.iter().zip(&bytes).map(|(r, b)| haven_crypto::ChainedEntry { seq: r.seq, entry: b, mac: &r.mac });
    assert_eq!(haven_crypto::verify_audit_chain(&t.key, entries, None), Ok(5));
}

async fn a_rewritten_head_is_detected(t: TestStore) {
    prepare(&t).await;
    // Deleting the newest entry and moving the head back to the previous one, without the key.
    t.store.execute_unchecked("DELETE FROM audit_log WHERE seq = 6").await.unwrap();
    t.store
        .execute_unchecked("UPDATE audit_head SET seq = 5, mac = (SELECT mac FROM audit_log WHERE seq = 5)")
        .await
        .unwrap();
    assert_eq!(broken(&t).await, "the head row's MAC does not verify");
}
