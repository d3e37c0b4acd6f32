//! Role grants waiting for a second administrator, and one-time set-up codes.

use crate::support::{T0, TestStore, assert_conflict, assert_not_found, event, seed};
use haven_domain::Role;
use haven_domain::audit::AuditAction;
use haven_storage::{RoleGrantRow, SessionRow, SetupCodeRow};

contract_tests!(
    a_role_grant_waits_then_applies_once_and_one_waits_per_user,
    a_rejected_grant_changes_no_roles,
    a_setup_code_works_once_before_it_expires,
);

fn grant(id: &str, user_id: &str, roles: &str, requested_by: &str) -> RoleGrantRow {
    RoleGrantRow {
        id: id.into(),
        user_id: user_id.into(),
        roles: roles.into(),
        requested_by: requested_by.into(),
        requested_at: T0,
        state: "pending".into(),
        decided_by: None,
        decided_at: None,
    }
}

async fn a_role_grant_waits_then_applies_once_and_one_waits_per_user(t: TestStore) {
    let w = seed(&t).await;
    let g = grant("g1", &w.caseworker.id, "caseworker,supervisor", &w.officer.id);
    t.store.request_role_grant(&g, &event(AuditAction::RoleGrantRequested)).await.unwrap();
    // Waiting: the user's roles are unchanged.
    assert_eq!(t.store.user(&w.caseworker.id).await.unwrap().roles, vec![Role::Caseworker]);
    assert_eq!(t.store.pending_role_grants().await.unwrap(), vec![g.clone()]);
    assert_conflict(
        t.store
            .request_role_grant(
                &grant("g2", &w.caseworker.id, "supervisor", &w.officer.id),
                &event(AuditAction::RoleGrantRequested),
            )
            .await,
    );
    t.store
        .decide_role_grant("g1", true, &w.counsellor.id, T0 + 60, &event(AuditAction::RoleGrantApproved))
        .await
        .unwrap();
    assert_eq!(t.store.user(&w.caseworker.id).await.unwrap().roles, vec![Role::Caseworker, Role::Supervisor]);
    let decided = t.store.role_grant("g1").await.unwrap();
    assert_eq!(
        (decided.state.as_str(), decided.decided_by.as_deref(), decided.decided_at),
        ("approved", Some(w.counsellor.id.as_str()), Some(T0 + 60))
    );
    assert!(t.store.pending_role_grants().await.unwrap().is_empty());
    // Decided once only; a new grant may wait again.
    assert_conflict(
        t.store.decide_role_grant("g1", false, &w.counsellor.id, T0 + 61, &event(AuditAction::RoleGrantRejected)).await,
    );
    t.store
        .request_role_grant(
            &grant("g3", &w.caseworker.id, "caseworker", &w.officer.id),
            &event(AuditAction::RoleGrantRequested),
        )
        .await
        .unwrap();
    assert_not_found(t.store.role_grant("nothing").await);
    // seed: 3 organisations + 3 users; then requested, approved, requested.
    assert_eq!(t.head_seq().await, 9, "failed steps are not audited");
    t.assert_chain(9).await;
}

async fn a_rejected_grant_changes_no_roles(t: TestStore) {
    let w = seed(&t).await;
    let g = grant("g1", &w.caseworker.id, "caseworker,supervisor", &w.officer.id);
    t.store.request_role_grant(&g, &event(AuditAction::RoleGrantRequested)).await.unwrap();
    t.store
        .decide_role_grant("g1", false, &w.counsellor.id, T0 + 60, &event(AuditAction::RoleGrantRejected))
        .await
        .unwrap();
    assert_eq!(t.store.user(&w.caseworker.id).await.unwrap().roles, vec![Role::Caseworker]);
    assert_eq!(t.store.role_grant("g1").await.unwrap().state, "rejected");
}

async fn a_setup_code_works_once_before_it_expires(t: TestStore) {
    let w = seed(&t).await;
    let uid = &w.caseworker.id;
    t.store
        .create_session(
            &SessionRow {
                token_hash: vec![7; 32],
                user_id: uid.clone(),
                created_at: T0,
                last_seen_at: T0,
                revoked: false,
            },
            &event(AuditAction::LoginSucceeded),
        )
        .await
        .unwrap();
    let code = SetupCodeRow {
        user_id: uid.clone(),
        code_hash: vec![1; 32],
        created_by: Some(w.officer.id.clone()),
        created_at: T0,
        expires_at: T0 + 86_400,
    };
    // A reset: an unusable password, the sessions revoked, the code stored.
    t.store.put_setup_code(&code, Some("unusable"), &event(AuditAction::PasswordReset)).await.unwrap();
    assert_eq!(t.store.user(uid).await.unwrap().password_hash, "unusable");
    assert!(t.store.session(&[7; 32]).await.unwrap().revoked);
    assert_eq!(t.store.setup_code_of(uid).await.unwrap(), Some(code.clone()));
    // Wrong code, or too late: nothing changes.
    assert_not_found(
        t.store.use_setup_code(uid, &[2; 32], T0 + 10, "chosen", &event(AuditAction::SetupCodeUsed)).await,
    );
    assert_not_found(
        t.store.use_setup_code(uid, &[1; 32], T0 + 86_400, "chosen", &event(AuditAction::SetupCodeUsed)).await,
    );
    assert_eq!(t.store.user(uid).await.unwrap().password_hash, "unusable");
    // The right code in time: once.
    t.store.use_setup_code(uid, &[1; 32], T0 + 10, "chosen", &event(AuditAction::SetupCodeUsed)).await.unwrap();
    assert_eq!(t.store.user(uid).await.unwrap().password_hash, "chosen");
    assert_eq!(t.store.setup_code_of(uid).await.unwrap(), None);
    assert_not_found(t.store.use_setup_code(uid, &[1; 32], T0 + 11, "again", &event(AuditAction::SetupCodeUsed)).await);
    // A new code replaces the old one, without touching the password.
    let mut second = code.clone();
    second.code_hash = vec![3; 32];
    t.store.put_setup_code(&code, None, &event(AuditAction::SetupCodeIssued)).await.unwrap();
    t.store.put_setup_code(&second, None, &event(AuditAction::SetupCodeIssued)).await.unwrap();
    assert_eq!(t.store.setup_code_of(uid).await.unwrap(), Some(second));
    assert_eq!(t.store.user(uid).await.unwrap().password_hash, "chosen");
}
