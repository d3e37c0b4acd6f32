//! Credentials die with the powers they were issued under: a new password, new roles, a
//! changed or removed second factor and disabling each revoke every session and API token of
//! the user in the same transaction, with an audit entry that says so.

use crate::accounts::{session, token};
use crate::support::{T0, TestStore, assert_not_found, event, seed};
use haven_domain::Role;
use haven_domain::audit::AuditAction;

contract_tests!(
    api_tokens_keep_their_expiry,
    a_password_change_revokes_sessions_and_api_tokens_and_audits_it,
    a_role_change_revokes_sessions_and_api_tokens,
    a_second_factor_change_or_removal_revokes_sessions_and_api_tokens,
    disabling_audits_the_revocation,
);

/// Two sessions and two tokens for `user_id` (hashes `base`, `base + 1`), one of each for
/// the caseworker (hash `base + 2`), who must be left alone.
async fn credentials(t: &TestStore, user_id: &str, other_id: &str, base: u8) {
    for (i, u) in [(base, user_id), (base + 1, user_id), (base + 2, other_id)] {
        t.store.create_session(&session(i, u), &event(AuditAction::LoginSucceeded)).await.unwrap();
        t.store
            .create_api_token(&token(&format!("tok-{i}"), i, u), &event(AuditAction::ApiTokenCreated))
            .await
            .unwrap();
    }
}

async fn assert_revoked(t: &TestStore, base: u8) {
    for i in [base, base + 1] {
        assert!(t.store.session(&[i; 32]).await.unwrap().revoked, "session {i}");
        assert!(t.store.api_token_by_hash(&[i; 32]).await.unwrap().revoked, "token {i}");
    }
    assert!(!t.store.session(&[base + 2; 32]).await.unwrap().revoked, "another user's session");
    assert!(!t.store.api_token_by_hash(&[base + 2; 32]).await.unwrap().revoked, "another user's token");
}

/// The last audit entry is the revocation, right after its cause, with the counts.
async fn assert_revocation_audited(t: &TestStore, cause: AuditAction, sessions: u64, tokens: u64) {
    let entries = t.store.audit_entries(0, 10_000).await.unwrap();
    let n = entries.len();
    assert!(n >= 2);
    assert_eq!(entries[n - 2].event.action, cause);
    let last = &entries[n - 1].event;
    assert_eq!(last.action, AuditAction::CredentialsRevoked);
    assert_eq!(last.target_id, entries[n - 2].event.target_id);
    assert_eq!(last.detail.as_deref(), Some(format!("cause={cause},sessions={sessions},tokens={tokens}").as_str()));
}

fn on(action: AuditAction, user_id: &str) -> haven_domain::audit::AuditEvent {
    event(action).on("user", user_id, None)
}

async fn api_tokens_keep_their_expiry(t: TestStore) {
    let w = seed(&t).await;
    let mut tk = token("tok-e", 40, &w.officer.id);
    tk.expires_at = Some(T0 + 3600);
    t.store.create_api_token(&tk, &event(AuditAction::ApiTokenCreated)).await.unwrap();
    assert_eq!(t.store.api_token_by_hash(&[40; 32]).await.unwrap().expires_at, Some(T0 + 3600));
    assert_eq!(t.store.api_tokens_of(&w.officer.id).await.unwrap()[0].expires_at, Some(T0 + 3600));
}

async fn a_password_change_revokes_sessions_and_api_tokens_and_audits_it(t: TestStore) {
    let w = seed(&t).await;
    credentials(&t, &w.officer.id, &w.caseworker.id, 1).await;
    t.store
        .set_password_hash(&w.officer.id, "$argon2id$new", &on(AuditAction::PasswordReset, &w.officer.id))
        .await
        .unwrap();
    assert_revoked(&t, 1).await;
    assert_revocation_audited(&t, AuditAction::PasswordReset, 2, 2).await;
    // Nothing left to revoke: counted as none, still audited.
    t.store
        .set_password_hash(&w.officer.id, "$argon2id$again", &on(AuditAction::PasswordChanged, &w.officer.id))
        .await
        .unwrap();
    assert_revocation_audited(&t, AuditAction::PasswordChanged, 0, 0).await;
    t.assert_chain(u64::try_from(t.head_seq().await).unwrap()).await;
}

async fn a_role_change_revokes_sessions_and_api_tokens(t: TestStore) {
    let w = seed(&t).await;
    credentials(&t, &w.officer.id, &w.caseworker.id, 10).await;
    let roles = [Role::Investigator];
    t.store.set_user_roles(&w.officer.id, &roles, &on(AuditAction::RolesChanged, &w.officer.id)).await.unwrap();
    assert_eq!(t.store.user(&w.officer.id).await.unwrap().roles, roles);
    assert_revoked(&t, 10).await;
    assert_revocation_audited(&t, AuditAction::RolesChanged, 2, 2).await;
}

async fn a_second_factor_change_or_removal_revokes_sessions_and_api_tokens(t: TestStore) {
    let w = seed(&t).await;
    let id = &w.officer.id;
    t.store.set_totp(id, &[1, 2, 3], 100, &on(AuditAction::TotpEnrolled, id)).await.unwrap();
    credentials(&t, id, &w.caseworker.id, 20).await;
    t.store.change_totp(id, Some((&[4, 5, 6], 200)), &on(AuditAction::TotpChanged, id)).await.unwrap();
    let u = t.store.user(id).await.unwrap();
    assert_eq!((u.totp_secret, u.totp_last_step), (Some(vec![4, 5, 6]), Some(200)));
    assert_revoked(&t, 20).await;
    assert_revocation_audited(&t, AuditAction::TotpChanged, 2, 2).await;

    credentials(&t, id, &w.counsellor.id, 30).await;
    t.store.change_totp(id, None, &on(AuditAction::TotpRemoved, id)).await.unwrap();
    let u = t.store.user(id).await.unwrap();
    assert_eq!((u.totp_secret, u.totp_last_step), (None, None));
    assert_revoked(&t, 30).await;
    assert_revocation_audited(&t, AuditAction::TotpRemoved, 2, 2).await;
    assert_not_found(t.store.change_totp("usr-nobody", None, &on(AuditAction::TotpRemoved, "usr-nobody")).await);
    assert_not_found(t.store.revoke_credentials("usr-nobody", &on(AuditAction::UserDisabled, "usr-nobody")).await);
}

async fn disabling_audits_the_revocation(t: TestStore) {
    let w = seed(&t).await;
    credentials(&t, &w.officer.id, &w.caseworker.id, 50).await;
    t.store.set_user_disabled(&w.officer.id, true, &on(AuditAction::UserDisabled, &w.officer.id)).await.unwrap();
    assert_revoked(&t, 50).await;
    assert_revocation_audited(&t, AuditAction::UserDisabled, 2, 2).await;
    // Enabling revokes nothing and says nothing about it.
    let before = t.head_seq().await;
    t.store.set_user_disabled(&w.officer.id, false, &on(AuditAction::UserEnabled, &w.officer.id)).await.unwrap();
    assert_eq!(t.head_seq().await, before + 1);
    // The standalone revocation, for use cases with a write of their own: it appends the
    // revocation entry only (its cause is already in the log).
    t.store.create_session(&session(60, &w.officer.id), &event(AuditAction::LoginSucceeded)).await.unwrap();
    let cause = on(AuditAction::PasswordReset, &w.officer.id);
    t.store.append_audit(&cause).await.unwrap();
    let before = t.head_seq().await;
    t.store.revoke_credentials(&w.officer.id, &cause).await.unwrap();
    assert_eq!(t.head_seq().await, before + 1);
    assert!(t.store.session(&[60; 32]).await.unwrap().revoked);
    assert_revocation_audited(&t, AuditAction::PasswordReset, 1, 0).await;
}
