//! The audit chain as storage writes it.

use crate::support::{T0, TestStore, event, organisation, seed, user};
use haven_domain::OrganisationKind;
use haven_domain::Role;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_storage::StorageError;
use std::collections::BTreeSet;
use std::sync::Arc;

contract_tests!(
    every_audited_write_appends_one_chained_entry,
    failed_writes_append_nothing_and_write_nothing,
    without_a_signer_nothing_is_written,
    the_audit_log_is_append_only,
    concurrent_appends_form_a_gapless_chain,
    concurrent_first_appends_on_an_empty_log,
    a_snapshot_beside_writers_shows_a_head_and_a_log_of_one_moment,
    access_history_of_one_record,
);

async fn every_audited_write_appends_one_chained_entry(t: TestStore) {
    assert_eq!(t.verify(false).await, Ok(0), "an empty log verifies");
    let mut expected: Vec<AuditEvent> = Vec::new();
    let org = organisation("org-1", "Prosecutor General", OrganisationKind::Prosecution, "LV");
    let ev = event(AuditAction::OrganisationCreated).by("usr-root", "org-0").on("organisation", "org-1", Some("org-1"));
    t.store.create_organisation(&org, &ev).await.unwrap();
    expected.push(ev);
    assert_eq!(t.head_seq().await, 1);

    let u = user("usr-1", "prosecutor", "org-1", &[Role::Investigator]);
    let ev = event(AuditAction::UserCreated).from_address(Some("192.0.2.7")).detail("roles=1");
    t.store.create_user(&u, &ev).await.unwrap();
    expected.push(ev);
    assert_eq!(t.head_seq().await, 2);

    // Every optional field empty, and text that needs escaping in the canonical form.
    let mut ev = AuditEvent::new(T0 + 1, AuditAction::LoginFailed, AuditOutcome::Failure);
    ev.detail = Some("quote \" backslash \\ newline \n unicode ā".into());
    assert_eq!(t.store.append_audit(&ev).await.unwrap(), 3);
    expected.push(ev);

    // A role change and disabling also revoke the user's credentials, audited in a second entry
    // of the same transaction.
    let revoked = |cause: &AuditEvent| {
        let mut ev = cause.clone();
        ev.action = AuditAction::CredentialsRevoked;
        ev.detail = Some(format!("cause={},sessions=0,tokens=0", cause.action));
        ev
    };
    let ev = event(AuditAction::RolesChanged);
    t.store.set_user_roles("usr-1", &[Role::Investigator, Role::FirstResponder], &ev).await.unwrap();
    expected.extend([ev.clone(), revoked(&ev)]);
    let ev = event(AuditAction::UserDisabled).detail("reason=left");
    t.store.set_user_disabled("usr-1", true, &ev).await.unwrap();
    expected.extend([ev.clone(), revoked(&ev)]);
    let ev = AuditEvent::new(T0 + 2, AuditAction::AccessDenied, AuditOutcome::Denied);
    assert_eq!(t.store.append_audit(&ev).await.unwrap(), 8);
    expected.push(ev);

    let rows = t.store.audit_entries(0, 100).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(rows.iter().map(|r| r.event.clone()).collect::<Vec<_>>(), expected, "events round trip");
    assert!(rows.iter().all(|r| r.mac.len() == 32));
    let head = t.store.audit_head().await.unwrap().unwrap();
    assert_eq!((head.seq, head.mac.to_vec()), (8, rows[7].mac.clone()));
    t.assert_chain(8).await;

    // Paging.
    let page = t.store.audit_entries(2, 3).await.unwrap();
    assert_eq!(page.iter().map(|r| r.seq).collect::<Vec<_>>(), [3, 4, 5]);

    // A chain verified with another key fails.
    let other = crate::support::TestSigner(haven_crypto::AuditKey::generate());
    let bytes: Vec<Vec<u8>> = rows.iter().map(|r| r.event.canonical_bytes(r.seq)).collect();
    let entries =
        rows.iter().zip(&bytes).map(|(r, b)| haven_crypto::ChainedEntry { seq: r.seq, entry: b, mac: &r.mac });
    assert!(haven_crypto::verify_audit_chain(&other.0, entries, None).is_err());
}

async fn failed_writes_append_nothing_and_write_nothing(t: TestStore) {
    let w = seed(&t).await;
    let before = t.dump().await;
    let seq = t.head_seq().await;

    // A unique violation on the user row.
    let dup = user("usr-new", "officer", &w.police.id, &[Role::Investigator]);
    assert!(matches!(
        t.store.create_user(&dup, &event(AuditAction::UserCreated)).await,
        Err(StorageError::Conflict(_))
    ));
    // The user row is fine but its second role repeats the first: the user row must go too.
    let dup_role = user("usr-new", "newcomer", &w.police.id, &[Role::Investigator, Role::Investigator]);
    assert!(matches!(
        t.store.create_user(&dup_role, &event(AuditAction::UserCreated)).await,
        Err(StorageError::Conflict(_))
    ));
    // Roles replaced by a list with a repeat: the old roles must stay.
    let r = t
        .store
        .set_user_roles(&w.officer.id, &[Role::Caseworker, Role::Caseworker], &event(AuditAction::RolesChanged))
        .await;
    assert!(matches!(r, Err(StorageError::Conflict(_))));
    // Missing rows.
    assert!(matches!(
        t.store.set_user_disabled("usr-nobody", true, &event(AuditAction::UserDisabled)).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        t.store.revoke_api_token("tok-nobody", &w.officer.id, &event(AuditAction::ApiTokenRevoked)).await,
        Err(StorageError::NotFound)
    ));

    assert_eq!(t.head_seq().await, seq);
    assert_eq!(t.dump().await, before, "nothing at all was written");
    let officer = t.store.user(&w.officer.id).await.unwrap();
    assert_eq!(officer.roles, vec![Role::FirstResponder, Role::Investigator]);
    t.assert_chain(seq as u64).await;
    // And the chain goes on from where it was.
    assert_eq!(t.store.append_audit(&event(AuditAction::CaseListed)).await.unwrap(), seq + 1);
    t.assert_chain(seq as u64 + 1).await;
}

async fn without_a_signer_nothing_is_written(t: TestStore) {
    let org = organisation("org-1", "Court of Riga", OrganisationKind::Court, "LV");
    let r = t.unsigned.create_organisation(&org, &event(AuditAction::OrganisationCreated)).await;
    assert!(matches!(r, Err(StorageError::NoAuditSigner)), "{r:?}");
    assert!(matches!(
        t.unsigned.append_audit(&event(AuditAction::LoginFailed)).await,
        Err(StorageError::NoAuditSigner)
    ));
    assert!(t.store.organisations().await.unwrap().is_empty(), "the organisation was written without its audit entry");
    assert!(t.store.audit_head().await.unwrap().is_none());
    // Unaudited reads and writes work without keys.
    t.unsigned.ping().await.unwrap();
    assert_eq!(t.unsigned.count_users().await.unwrap(), 0);
}

async fn the_audit_log_is_append_only(t: TestStore) {
    seed(&t).await;
    let before = t.store.audit_entries(0, 100).await.unwrap();
    for sql in [
        "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2",
        "UPDATE audit_log SET seq = seq + 100",
        "DELETE FROM audit_log WHERE seq = 3",
        "DELETE FROM audit_log",
    ] {
        let r = t.store.execute_unchecked(sql).await;
        assert!(r.is_err(), "{sql} was allowed: {r:?}");
    }
    assert_eq!(t.store.audit_entries(0, 100).await.unwrap(), before);
    t.assert_chain(before.len() as u64).await;
}

async fn concurrent_appends_form_a_gapless_chain(t: TestStore) {
    const TASKS: usize = 50;
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = t.store.clone();
        handles.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            let ev = event(AuditAction::CaseRead).detail(format!("task={i}"));
            seqs.push(store.append_audit(&ev).await.unwrap());
            let org =
                organisation(&format!("org-{i:02}"), &format!("Organisation {i:02}"), OrganisationKind::Ngo, "LV");
            store
                .create_organisation(&org, &event(AuditAction::OrganisationCreated).detail(format!("task={i}")))
                .await
                .unwrap();
            seqs.push(store.append_audit(&ev).await.unwrap());
            seqs
        }));
    }
    let mut seqs = BTreeSet::new();
    for h in handles {
        for s in h.await.unwrap() {
            assert!(seqs.insert(s), "seq {s} handed out twice");
        }
    }
    let n = (TASKS * 3) as i64;
    // append_audit returned 2 per task; the organisation's entries fill the gaps.
    assert_eq!(seqs.len(), TASKS * 2);
    assert!(seqs.iter().all(|s| (1..=n).contains(s)));
    assert_eq!(t.head_seq().await, n);
    let rows = t.store.audit_entries(0, 1000).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), (1..=n).collect::<Vec<_>>());
    assert_eq!(t.store.organisations().await.unwrap().len(), TASKS);
    t.assert_chain(n as u64).await;
}

async fn access_history_of_one_record(t: TestStore) {
    let w = seed(&t).await;
    for (i, action) in [AuditAction::CaseRead, AuditAction::NotesRead, AuditAction::CaseRead].into_iter().enumerate() {
        let ev = AuditEvent::new(T0 + i as i64, action, AuditOutcome::Success).by(&w.officer.id, &w.police.id).on(
            "case",
            "case-1",
            Some(&w.ngo.id),
        );
        t.store.append_audit(&ev).await.unwrap();
        t.store.append_audit(&event(AuditAction::CaseRead).on("case", "case-2", Some(&w.ngo.id))).await.unwrap();
    }
    let history = t.store.audit_for_target("case", "case-1", 10).await.unwrap();
    assert_eq!(history.iter().map(|r| r.event.at).collect::<Vec<_>>(), [T0 + 2, T0 + 1, T0], "newest first");
    assert!(history.iter().all(|r| r.event.target_id.as_deref() == Some("case-1")));
    assert_eq!(history[1].event.action, AuditAction::NotesRead);
    assert_eq!(t.store.audit_for_target("case", "case-1", 1).await.unwrap().len(), 1);
    assert!(t.store.audit_for_target("user", "case-1", 10).await.unwrap().is_empty());
}

/// The very first appends race for a head row that does not exist yet: nothing to lock.
async fn concurrent_first_appends_on_an_empty_log(t: TestStore) {
    const TASKS: usize = 12;
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = t.store.clone();
        let barrier = barrier.clone();
        handles.push(tokio::spawn(async move {
            // Open the pool's connections first, so that the appends really start together.
            barrier.wait().await;
            store.ping().await.unwrap();
            barrier.wait().await;
            store.append_audit(&event(AuditAction::LoginFailed).detail(format!("task={i}"))).await
        }));
    }
    for h in handles {
        let r = h.await.unwrap();
        assert!(r.is_ok(), "a concurrent first append failed: {r:?}");
    }
    assert_eq!(t.head_seq().await, TASKS as i64);
    t.assert_chain(TASKS as u64).await;
}

async fn a_snapshot_beside_writers_shows_a_head_and_a_log_of_one_moment(t: TestStore) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (store, stop) = (t.store.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let ev = event(AuditAction::LoginFailed).detail(format!("writer={w} n={n}"));
                store.append_audit(&ev).await.unwrap();
                n += 1;
            }
            n
        }));
    }
    let mut snapshots = 0;
    while snapshots < 40 {
        let (rows, head) = t.store.audit_snapshot().await.unwrap();
        let last = rows.last().map_or(0, |r| r.seq);
        assert_eq!(head.map_or(0, |h| h.seq), last, "the head and the log of one moment");
        snapshots += 1;
        tokio::task::yield_now().await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut written = 0;
    for w in writers {
        written += w.await.unwrap();
    }
    assert!(written > 0, "the writers wrote meanwhile");
    assert_eq!(t.verify(false).await, Ok(u64::from(written)));
}
