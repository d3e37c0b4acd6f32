//! Transnational referrals (migration 0021): stored once per direction, peer and referral id;
//! changed only over the state that was read, with the history numbered in order; the encrypted
//! columns listed for key rotation; backed up and restored.

use crate::support::{T0, TestStore, World, assert_conflict, case, event, person, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{ENCRYPTED_COLUMNS, TABLES, TransnationalChange, TransnationalEventRow, TransnationalReferralRow};

contract_tests!(
    a_referral_is_held_once_and_changes_only_over_the_state_read,
    the_referrals_are_listed_by_case_and_direction_and_found_on_the_wire,
    the_personal_columns_are_listed_for_key_rotation_and_backed_up,
);

fn outgoing(id: &str, case_id: &str, org: &str, by: &str) -> TransnationalReferralRow {
    TransnationalReferralRow {
        id: id.into(),
        referral_id: id.into(),
        direction: "outgoing".into(),
        peer: "EE".into(),
        case_id: Some(case_id.into()),
        organisation_id: Some(org.into()),
        purpose: "onward_support".into(),
        state: "draft".into(),
        draft: Some(vec![1, 2, 3]),
        body: None,
        message_id: None,
        created_by: Some(by.into()),
        created_at: T0,
        updated_at: T0,
    }
}

fn incoming(id: &str, referral_id: &str, message_id: &str) -> TransnationalReferralRow {
    TransnationalReferralRow {
        id: id.into(),
        referral_id: referral_id.into(),
        direction: "incoming".into(),
        peer: "EE".into(),
        case_id: None,
        organisation_id: None,
        purpose: "return_and_reintegration".into(),
        state: "received".into(),
        draft: None,
        body: Some(vec![9; 12]),
        message_id: Some(message_id.into()),
        created_by: None,
        created_at: T0 + 5,
        updated_at: T0 + 5,
    }
}

fn first_event(row: &TransnationalReferralRow, by: Option<&str>) -> TransnationalEventRow {
    TransnationalEventRow {
        referral_row: row.id.clone(),
        seq: 1,
        state: row.state.clone(),
        effective_on: "2026-12-01".into(),
        by_user: by.map(str::to_owned),
        message_id: row.message_id.clone(),
        detail: None,
        at: row.created_at,
    }
}

fn change(id: &str, from: &str, to: &str, by: Option<&str>, at: i64) -> TransnationalChange {
    TransnationalChange {
        id: id.into(),
        from_state: from.into(),
        event: Some(TransnationalEventRow {
            referral_row: id.into(),
            seq: 0,
            state: to.into(),
            effective_on: "2026-12-02".into(),
            by_user: by.map(str::to_owned),
            message_id: None,
            detail: Some(vec![7, 7]),
            at,
        }),
        draft: None,
        body: None,
        message_id: None,
        case_id: None,
        organisation_id: None,
        at,
    }
}

async fn with_case(t: &TestStore, w: &World, id: &str) {
    let c = case(id, &format!("LV-2026-{id}"), &w.ngo.id, &w.caseworker.id, "LV", T0);
    t.store.create_case(&c, &person(id, 1), &event(AuditAction::CaseCreated)).await.unwrap();
}

/// An outgoing referral sent and accepted, with NULLs and non-NULLs, and an incoming one.
pub(crate) async fn fill_exchange_referrals(t: &TestStore, w: &World) {
    let out = outgoing("tnr-1", "case-0", &w.ngo.id, &w.caseworker.id);
    t.store
        .insert_transnational_referral(&out, &first_event(&out, Some(&w.caseworker.id)), &event(AuditAction::NoteAdded))
        .await
        .unwrap();
    let mut submit = change("tnr-1", "draft", "submitted", Some(&w.caseworker.id), T0 + 1);
    submit.body = Some(vec![4; 20]);
    submit.message_id = Some("0193a1b2-0000-7000-8000-00000000aaaa".into());
    t.store.change_transnational_referral(&submit, &event(AuditAction::NoteAdded)).await.unwrap();
    let inc = incoming("tnr-2", "0193a1b2-0000-7000-8000-000000000002", "0193a1b2-0000-7000-8000-00000000bbbb");
    t.store
        .insert_transnational_referral(&inc, &first_event(&inc, None), &event(AuditAction::NoteAdded))
        .await
        .unwrap();
}

async fn a_referral_is_held_once_and_changes_only_over_the_state_read(t: TestStore) {
    let w = seed(&t).await;
    with_case(&t, &w, "c1").await;
    let out = outgoing("tnr-1", "c1", &w.ngo.id, &w.caseworker.id);
    let head = t.head_seq().await;
    t.store
        .insert_transnational_referral(&out, &first_event(&out, Some(&w.caseworker.id)), &event(AuditAction::NoteAdded))
        .await
        .unwrap();
    assert_eq!(t.head_seq().await, head + 1, "audited");
    // The same referral id to the same peer again is refused.
    let again = TransnationalReferralRow { id: "tnr-x".into(), ..out.clone() };
    assert_conflict(
        t.store.insert_transnational_referral(&again, &first_event(&again, None), &event(AuditAction::NoteAdded)).await,
    );
    // Submitted, then a change over the old state is refused and writes nothing.
    t.store
        .change_transnational_referral(
            &change("tnr-1", "draft", "submitted", Some(&w.caseworker.id), T0 + 1),
            &event(AuditAction::NoteAdded),
        )
        .await
        .unwrap();
    let head = t.head_seq().await;
    assert_conflict(
        t.store
            .change_transnational_referral(
                &change("tnr-1", "draft", "closed", None, T0 + 2),
                &event(AuditAction::NoteAdded),
            )
            .await,
    );
    assert_eq!(t.head_seq().await, head, "nothing written");
    // The message id is kept once stored; a later change without one keeps it.
    let mut sending = change("tnr-1", "submitted", "submitted", None, T0 + 3);
    sending.event = None;
    sending.message_id = Some("m-1".into());
    sending.body = Some(vec![5; 4]);
    t.store.change_transnational_referral(&sending, &event(AuditAction::NoteAdded)).await.unwrap();
    t.store
        .change_transnational_referral(
            &change("tnr-1", "submitted", "sent", Some(&w.officer.id), T0 + 4),
            &event(AuditAction::NoteAdded),
        )
        .await
        .unwrap();
    let row = t.store.transnational_referral("tnr-1").await.unwrap().unwrap();
    assert_eq!(row.state, "sent");
    assert_eq!(row.message_id.as_deref(), Some("m-1"));
    assert_eq!(row.body, Some(vec![5; 4]));
    assert_eq!(row.draft, Some(vec![1, 2, 3]));
    assert_eq!(row.updated_at, T0 + 4);
    let events = t.store.transnational_referral_events("tnr-1").await.unwrap();
    let states: Vec<(i64, &str)> = events.iter().map(|e| (e.seq, e.state.as_str())).collect();
    assert_eq!(states, vec![(1, "draft"), (2, "submitted"), (3, "sent")]);
    // A second referral carried by the same message is refused.
    let other = TransnationalReferralRow {
        id: "tnr-y".into(),
        referral_id: "other".into(),
        message_id: Some("m-1".into()),
        ..out
    };
    assert_conflict(
        t.store.insert_transnational_referral(&other, &first_event(&other, None), &event(AuditAction::NoteAdded)).await,
    );
}

async fn the_referrals_are_listed_by_case_and_direction_and_found_on_the_wire(t: TestStore) {
    let w = seed(&t).await;
    with_case(&t, &w, "c1").await;
    for (id, at) in [("tnr-1", T0), ("tnr-2", T0 + 10)] {
        let mut out = outgoing(id, "c1", &w.ngo.id, &w.caseworker.id);
        out.created_at = at;
        out.updated_at = at;
        t.store
            .insert_transnational_referral(&out, &first_event(&out, None), &event(AuditAction::NoteAdded))
            .await
            .unwrap();
    }
    t.store
        .change_transnational_referral(
            &change("tnr-1", "draft", "submitted", None, T0 + 20),
            &event(AuditAction::NoteAdded),
        )
        .await
        .unwrap();
    let inc = incoming("tnr-3", "r-ee-1", "m-ee-1");
    t.store
        .insert_transnational_referral(&inc, &first_event(&inc, None), &event(AuditAction::NoteAdded))
        .await
        .unwrap();
    // A referral received that opened the case c1 here (its organisation assigned).
    let mut opened = incoming("tnr-4", "r-ee-2", "m-ee-2");
    opened.case_id = Some("c1".into());
    opened.created_at = T0 + 15;
    opened.updated_at = T0 + 15;
    t.store
        .insert_transnational_referral(&opened, &first_event(&opened, None), &event(AuditAction::NoteAdded))
        .await
        .unwrap();
    let of_case: Vec<String> =
        t.store.transnational_referrals_of_case("c1").await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(of_case, vec!["tnr-4", "tnr-2", "tnr-1"], "the case's referrals, sent and received");
    // A draft is the caseworker's: the focal point's list has the submitted one only.
    let outgoing_list: Vec<String> =
        t.store.transnational_referrals("outgoing").await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(outgoing_list, vec!["tnr-1"]);
    let incoming_list: Vec<String> =
        t.store.transnational_referrals("incoming").await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(incoming_list, vec!["tnr-4", "tnr-3"]);
    let found = t.store.transnational_referral_on_wire("incoming", "EE", "r-ee-1").await.unwrap().unwrap();
    assert_eq!(found, inc);
    assert!(t.store.transnational_referral_on_wire("outgoing", "EE", "r-ee-1").await.unwrap().is_none());
}

async fn the_personal_columns_are_listed_for_key_rotation_and_backed_up(t: TestStore) {
    for (table, column) in [
        ("transnational_referrals", "draft"),
        ("transnational_referrals", "body"),
        ("transnational_referral_events", "detail"),
    ] {
        assert!(
            ENCRYPTED_COLUMNS.iter().any(|c| c.table == table && c.column == column),
            "{table}.{column} is not re-encrypted by a key rotation"
        );
    }
    for table in ["transnational_referrals", "transnational_referral_events"] {
        assert!(TABLES.contains(&table), "{table} is not backed up");
    }
    let w = seed(&t).await;
    with_case(&t, &w, "case-0").await;
    fill_exchange_referrals(&t, &w).await;
    let dump = t.dump().await;
    let target = t.sibling().await;
    target.store.restore(&mut dump.as_slice()).await.unwrap();
    for id in ["tnr-1", "tnr-2"] {
        assert_eq!(
            target.store.transnational_referral(id).await.unwrap(),
            t.store.transnational_referral(id).await.unwrap()
        );
        assert_eq!(
            target.store.transnational_referral_events(id).await.unwrap(),
            t.store.transnational_referral_events(id).await.unwrap()
        );
    }
}
