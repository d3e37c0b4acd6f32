//! Organisations, users and roles, sessions, API tokens, TOTP.

use crate::support::{T0, TestStore, assert_conflict, assert_not_found, event, organisation, seed, user};
use haven_domain::audit::AuditAction;
use haven_domain::{Language, OrganisationKind, Role};
use haven_storage::{ApiTokenRow, SessionRow};

contract_tests!(
    organisations_round_trip_and_conflicts,
    users_round_trip_with_roles,
    user_conflicts_and_missing_users,
    sessions_and_api_tokens_round_trip,
    disabling_a_user_revokes_its_sessions_and_tokens,
    password_reset_revokes_sessions,
    totp_steps_cannot_be_replayed,
);

pub(crate) fn session(hash: u8, user_id: &str) -> SessionRow {
    SessionRow { token_hash: vec![hash; 32], user_id: user_id.into(), created_at: T0, last_seen_at: T0, revoked: false }
}

pub(crate) fn token(id: &str, hash: u8, user_id: &str) -> ApiTokenRow {
    ApiTokenRow {
        id: id.into(),
        user_id: user_id.into(),
        name: format!("token {id}"),
        token_hash: vec![hash; 32],
        created_at: T0,
        last_used_at: None,
        revoked: false,
        expires_at: Some(T0 + 90 * 86_400),
    }
}

async fn organisations_round_trip_and_conflicts(t: TestStore) {
    let a = organisation("org-b", "Border Guard", OrganisationKind::BorderGuard, "LV");
    let b = organisation("org-a", "Anti-Trafficking Coordinator", OrganisationKind::EuAntiTraffickingCoordinator, "EU");
    let c = organisation("org-c", "Border Guard", OrganisationKind::BorderGuard, "EE");
    for o in [&a, &b, &c] {
        t.store.create_organisation(o, &event(AuditAction::OrganisationCreated)).await.unwrap();
    }
    assert_eq!(t.store.organisation("org-b").await.unwrap(), a);
    assert_eq!(t.store.organisation("org-a").await.unwrap(), b);
    // Ordered by jurisdiction, then name.
    assert_eq!(t.store.organisations().await.unwrap(), vec![c.clone(), b.clone(), a.clone()]);

    // Same id; same name in the same jurisdiction.
    let same_id = organisation("org-b", "Other", OrganisationKind::Police, "LT");
    assert_conflict(t.store.create_organisation(&same_id, &event(AuditAction::OrganisationCreated)).await);
    let same_name = organisation("org-d", "Border Guard", OrganisationKind::Police, "LV");
    assert_conflict(t.store.create_organisation(&same_name, &event(AuditAction::OrganisationCreated)).await);
    assert_not_found(t.store.organisation("org-d").await);
    assert_eq!(t.store.organisations().await.unwrap().len(), 3);
    assert_eq!(t.head_seq().await, 3, "failed creations are not audited");
}

async fn users_round_trip_with_roles(t: TestStore) {
    let w = seed(&t).await;
    let mut stored = t.store.user(&w.counsellor.id).await.unwrap();
    let mut expected = w.counsellor.clone();
    expected.roles.sort();
    assert_eq!(stored, expected, "roles come back sorted");
    assert_eq!(t.store.user_by_username("counsellor").await.unwrap(), expected);

    let mut with_totp = user("usr-admin", "admin", &w.police.id, &[Role::Administrator]);
    with_totp.totp_secret = Some(vec![0, 1, 2, 254, 255]);
    with_totp.totp_last_step = Some(42);
    with_totp.disabled = true;
    with_totp.language = Language::Latvian;
    t.store.create_user(&with_totp, &event(AuditAction::UserCreated)).await.unwrap();
    assert_eq!(t.store.user("usr-admin").await.unwrap(), with_totp);

    let names: Vec<String> = t.store.users().await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["admin", "caseworker", "counsellor", "officer"]);
    assert_eq!(t.store.count_users().await.unwrap(), 4);

    t.store.set_user_roles(&w.counsellor.id, &[Role::Auditor], &event(AuditAction::RolesChanged)).await.unwrap();
    stored = t.store.user(&w.counsellor.id).await.unwrap();
    assert_eq!(stored.roles, vec![Role::Auditor]);
    t.store.set_user_language(&w.counsellor.id, Language::Latvian).await.unwrap();
    assert_eq!(t.store.user(&w.counsellor.id).await.unwrap().language, Language::Latvian);
}

async fn user_conflicts_and_missing_users(t: TestStore) {
    let w = seed(&t).await;
    let users_before = t.store.count_users().await.unwrap();
    let seq_before = t.head_seq().await;

    // Same username, another id.
    let dup_name = user("usr-other", "officer", &w.police.id, &[Role::Investigator]);
    assert_conflict(t.store.create_user(&dup_name, &event(AuditAction::UserCreated)).await);
    // Same id.
    let dup_id = user("usr-officer", "officer2", &w.police.id, &[Role::Investigator]);
    assert_conflict(t.store.create_user(&dup_id, &event(AuditAction::UserCreated)).await);
    // Unknown organisation (foreign key).
    let orphan = user("usr-orphan", "orphan", "org-nowhere", &[Role::Caseworker]);
    assert_conflict(t.store.create_user(&orphan, &event(AuditAction::UserCreated)).await);
    assert_not_found(t.store.user("usr-orphan").await);
    // Roles for an unknown user (foreign key).
    assert_conflict(t.store.set_user_roles("usr-nobody", &[Role::Caseworker], &event(AuditAction::RolesChanged)).await);

    assert_not_found(t.store.user("usr-nobody").await);
    assert_not_found(t.store.user_by_username("nobody").await);
    assert_not_found(t.store.set_user_disabled("usr-nobody", true, &event(AuditAction::UserDisabled)).await);
    assert_not_found(t.store.set_password_hash("usr-nobody", "x", &event(AuditAction::PasswordReset)).await);
    assert_not_found(t.store.set_totp("usr-nobody", &[1, 2, 3], 7, &event(AuditAction::TotpEnrolled)).await);

    assert_eq!(t.store.count_users().await.unwrap(), users_before);
    assert_eq!(t.head_seq().await, seq_before, "no failed write was audited");
    t.assert_chain(seq_before as u64).await;
}

async fn sessions_and_api_tokens_round_trip(t: TestStore) {
    let w = seed(&t).await;
    let s = session(7, &w.officer.id);
    t.store.create_session(&s, &event(AuditAction::LoginSucceeded)).await.unwrap();
    assert_eq!(t.store.session(&s.token_hash).await.unwrap(), s);
    t.store.touch_session(&s.token_hash, T0 + 60).await.unwrap();
    assert_eq!(t.store.session(&s.token_hash).await.unwrap().last_seen_at, T0 + 60);
    assert_conflict(t.store.create_session(&s, &event(AuditAction::LoginSucceeded)).await);
    assert_conflict(t.store.create_session(&session(8, "usr-nobody"), &event(AuditAction::LoginSucceeded)).await);
    assert_not_found(t.store.session(&[9; 32]).await);
    t.store.revoke_session(&s.token_hash, &event(AuditAction::Logout)).await.unwrap();
    assert!(t.store.session(&s.token_hash).await.unwrap().revoked);

    let tk = token("tok-1", 1, &w.officer.id);
    t.store.create_api_token(&tk, &event(AuditAction::ApiTokenCreated)).await.unwrap();
    assert_eq!(t.store.api_token_by_hash(&tk.token_hash).await.unwrap(), tk);
    assert_conflict(
        t.store.create_api_token(&token("tok-2", 1, &w.officer.id), &event(AuditAction::ApiTokenCreated)).await,
    );
    assert_conflict(
        t.store.create_api_token(&token("tok-1", 2, &w.officer.id), &event(AuditAction::ApiTokenCreated)).await,
    );
    assert_conflict(
        t.store.create_api_token(&token("tok-3", 3, "usr-nobody"), &event(AuditAction::ApiTokenCreated)).await,
    );
    assert_not_found(t.store.api_token_by_hash(&[2; 32]).await);
    t.store.touch_api_token("tok-1", T0 + 5).await.unwrap();
    assert_eq!(t.store.api_token_by_hash(&tk.token_hash).await.unwrap().last_used_at, Some(T0 + 5));
    // Only the owner revokes its token.
    assert_not_found(t.store.revoke_api_token("tok-1", &w.caseworker.id, &event(AuditAction::ApiTokenRevoked)).await);
    assert!(!t.store.api_token_by_hash(&tk.token_hash).await.unwrap().revoked);
    t.store.revoke_api_token("tok-1", &w.officer.id, &event(AuditAction::ApiTokenRevoked)).await.unwrap();
    assert!(t.store.api_tokens_of(&w.officer.id).await.unwrap()[0].revoked);

    // Sessions that ended before the cut-off are purged, the others stay.
    t.store.create_session(&session(10, &w.caseworker.id), &event(AuditAction::LoginSucceeded)).await.unwrap();
    t.store.touch_session(&[10; 32], T0 + 1000).await.unwrap();
    let mut fresh = session(11, &w.caseworker.id);
    fresh.created_at = T0 + 1000;
    fresh.last_seen_at = T0 + 1000;
    t.store.create_session(&fresh, &event(AuditAction::LoginSucceeded)).await.unwrap();
    assert_eq!(t.store.purge_sessions(T0 + 500).await.unwrap(), 2);
    assert_not_found(t.store.session(&s.token_hash).await);
    assert_eq!(t.store.session(&[11; 32]).await.unwrap(), fresh);
}

async fn disabling_a_user_revokes_its_sessions_and_tokens(t: TestStore) {
    let w = seed(&t).await;
    for (i, u) in [&w.officer, &w.officer, &w.caseworker].into_iter().enumerate() {
        let i = i as u8;
        t.store.create_session(&session(i, &u.id), &event(AuditAction::LoginSucceeded)).await.unwrap();
        t.store
            .create_api_token(&token(&format!("tok-{i}"), i, &u.id), &event(AuditAction::ApiTokenCreated))
            .await
            .unwrap();
    }
    t.store.set_user_disabled(&w.officer.id, true, &event(AuditAction::UserDisabled)).await.unwrap();
    assert!(t.store.user(&w.officer.id).await.unwrap().disabled);
    for i in 0..2u8 {
        assert!(t.store.session(&[i; 32]).await.unwrap().revoked, "session {i}");
        assert!(t.store.api_token_by_hash(&[i; 32]).await.unwrap().revoked, "token {i}");
    }
    // Another user's are untouched.
    assert!(!t.store.session(&[2; 32]).await.unwrap().revoked);
    assert!(!t.store.api_token_by_hash(&[2; 32]).await.unwrap().revoked);
    // Enabling again does not bring revoked sessions back.
    t.store.set_user_disabled(&w.officer.id, false, &event(AuditAction::UserEnabled)).await.unwrap();
    assert!(!t.store.user(&w.officer.id).await.unwrap().disabled);
    assert!(t.store.session(&[0; 32]).await.unwrap().revoked);
    assert!(t.store.api_tokens_of(&w.officer.id).await.unwrap().iter().all(|t| t.revoked));
}

async fn password_reset_revokes_sessions(t: TestStore) {
    let w = seed(&t).await;
    t.store.create_session(&session(1, &w.officer.id), &event(AuditAction::LoginSucceeded)).await.unwrap();
    t.store.set_password_hash(&w.officer.id, "$argon2id$new", &event(AuditAction::PasswordReset)).await.unwrap();
    assert_eq!(t.store.user(&w.officer.id).await.unwrap().password_hash, "$argon2id$new");
    assert!(t.store.session(&[1; 32]).await.unwrap().revoked);
}

async fn totp_steps_cannot_be_replayed(t: TestStore) {
    let w = seed(&t).await;
    let id = &w.officer.id;
    // Without an enrolled step, any step is new once.
    assert!(t.store.use_totp_step(id, 5).await.unwrap());
    assert!(!t.store.use_totp_step(id, 5).await.unwrap(), "same step replayed");
    t.store.set_totp(id, &[9, 9, 9], 100, &event(AuditAction::TotpEnrolled)).await.unwrap();
    let u = t.store.user(id).await.unwrap();
    assert_eq!(u.totp_secret, Some(vec![9, 9, 9]));
    assert_eq!(u.totp_last_step, Some(100));
    assert!(!t.store.use_totp_step(id, 100).await.unwrap(), "the enrolment step is used");
    assert!(!t.store.use_totp_step(id, 99).await.unwrap(), "an older step");
    assert!(t.store.use_totp_step(id, 101).await.unwrap());
    assert!(!t.store.use_totp_step(id, 101).await.unwrap(), "same step replayed");
    assert!(!t.store.use_totp_step(id, 100).await.unwrap(), "an older step");
    assert!(t.store.use_totp_step(id, 103).await.unwrap());
    assert_eq!(t.store.user(id).await.unwrap().totp_last_step, Some(103));
    assert!(!t.store.use_totp_step("usr-nobody", 200).await.unwrap());
    // Concurrent use of the same step: exactly one wins.
    let mut handles = Vec::new();
    for _ in 0..8 {
        let store = t.store.clone();
        let id = id.clone();
        handles.push(tokio::spawn(async move { store.use_totp_step(&id, 104).await.unwrap() }));
    }
    let mut wins = 0;
    for h in handles {
        wins += usize::from(h.await.unwrap());
    }
    assert_eq!(wins, 1);
}
