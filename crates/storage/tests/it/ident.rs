//! Identification and the national referral mechanism: registrations with optimistic versions,
//! blind identifier indexes, append-only decisions, case records, anonymous notifications,
//! what each organisation sees, and backups of all of it.

use crate::support::{
    T0, TestStore, World, assert_conflict, case, event, organisation, person, postgres_store_with_key, seed, skipped,
    sqlite_store_with_key,
};
use haven_domain::OrganisationKind;
use haven_domain::access::Compartment;
use haven_domain::audit::{AuditAction, AuditEvent};
use haven_storage::{
    CaseOverviewRow, CaseRecordRow, CaseRow, DecisionRow, IdentifierLookup, NewRegistration, NewSubjectKey,
    NotificationRow, NotificationTally, PersonRow, ReferredTally, RegistrationRow, StatusColumns, StorageError,
};
use serde_json::Value;
use std::sync::Arc;

contract_tests!(
    registration_round_trip,
    failed_registrations_write_nothing,
    several_registrations_are_written_all_or_none,
    a_case_and_its_subject_key_are_written_together_or_not_at_all,
    registrations_saved_at_once_stand_or_fail_alone,
    a_registration_stopped_halfway_is_written_whole_or_not_at_all,
    a_registration_cannot_take_over_another_cases_person,
    a_save_cannot_take_over_another_cases_person,
    saves_bump_the_version_and_stale_saves_conflict,
    a_failed_save_keeps_the_old_version,
    concurrent_saves_at_one_version,
    identifiers_match_exactly_and_are_replaced_on_save,
    a_bounded_lookup_reads_at_most_its_limit_per_value,
    case_overviews_follow_ownership_shares_and_referral,
    candidates_are_read_within_the_same_scope_as_the_case_list,
    matchable_candidates_are_the_case_list_less_the_restricted_cases,
    submitted_registrations_of_a_jurisdiction,
    decisions_append_and_rewrite_the_status,
    concurrent_decisions_at_one_seq,
    decisions_are_immutable,
    case_records_round_trip,
    notifications_and_registrations_for_statistics,
    backup_and_restore_carry_identification,
);

// Storage records whatever action it is given; these stand in for the application's.
const REGISTERED: AuditAction = AuditAction::CaseCreated;
const SAVED: AuditAction = AuditAction::NoteAdded;
const DECIDED: AuditAction = AuditAction::CaseShared;

// ------------------------------------------------------------------------------- fixtures

fn on_case(action: AuditAction, case_id: &str) -> AuditEvent {
    event(action).on("case", case_id, None)
}

/// A registration at version 1; a submitted one is referred (and has a referral date).
pub(crate) fn registration(case_id: &str, submitted: bool, by: &str, referred_on: &str) -> RegistrationRow {
    RegistrationRow {
        case_id: case_id.into(),
        state: if submitted { "submitted" } else { "draft" }.into(),
        version: 1,
        record: format!("sealed record of {case_id}").into_bytes(),
        referred_on: submitted.then(|| referred_on.to_owned()),
        sex: "female".into(),
        age_group: "18_24".into(),
        child_status: "adult".into(),
        citizenships: "UA,MD".into(),
        forms: "labour,sexual".into(),
        guardian_appointed_on: None,
        nrm_status: submitted.then(|| "referred".to_owned()),
        rg_decided_on: None,
        cg_decided_on: None,
        assistance_since: None,
        reflection_from: None,
        updated_at: T0,
        updated_by: by.into(),
        procedure_id: None,
    }
}

fn ids(pairs: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.to_vec())).collect()
}

/// Creates a case with its registration (and one identifier derived from the case id).
pub(crate) async fn register(t: &TestStore, c: &CaseRow, reg: &RegistrationRow, tag: u8) {
    let identifiers = ids(&[("document", format!("doc-{}", c.id).as_bytes())]);
    t.store.create_registration(c, &person(&c.id, tag), reg, &identifiers, &on_case(REGISTERED, &c.id)).await.unwrap();
}

pub(crate) fn decision(case_id: &str, seq: i64, kind: &str, w: &World) -> DecisionRow {
    DecisionRow {
        case_id: case_id.into(),
        seq,
        kind: kind.into(),
        decided_on: "2026-02-01".into(),
        reasons: Some(format!("sealed reasons {seq}").into_bytes()),
        corrects: None,
        decided_by: w.officer.id.clone(),
        organisation_id: w.police.id.clone(),
        recorded_at: T0 + 100 + seq,
        votes: None,
    }
}

pub(crate) fn status(nrm: &str, rg: Option<&str>, cg: Option<&str>) -> StatusColumns {
    StatusColumns {
        nrm_status: Some(nrm.into()),
        rg_decided_on: rg.map(str::to_owned),
        cg_decided_on: cg.map(str::to_owned),
        assistance_since: rg.map(str::to_owned),
        reflection_from: Some("2026-01-05".into()),
    }
}

fn status_of(reg: &RegistrationRow) -> StatusColumns {
    StatusColumns {
        nrm_status: reg.nrm_status.clone(),
        rg_decided_on: reg.rg_decided_on.clone(),
        cg_decided_on: reg.cg_decided_on.clone(),
        assistance_since: reg.assistance_since.clone(),
        reflection_from: reg.reflection_from.clone(),
    }
}

fn overview_ids(rows: &[CaseOverviewRow]) -> Vec<String> {
    rows.iter().map(|r| r.case.id.clone()).collect()
}

/// The rows of one table in a dump.
fn dumped(dump: &[u8], table: &str) -> Vec<Value> {
    std::str::from_utf8(dump)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["t"] == table)
        .map(|v| v["r"].clone())
        .collect()
}

async fn reg_of(t: &TestStore, case_id: &str) -> RegistrationRow {
    t.store.registration(case_id).await.unwrap().expect("registration")
}

// ---------------------------------------------------------------------------- registrations

async fn registration_round_trip(t: TestStore) {
    let w = seed(&t).await;
    let seq = t.head_seq().await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let p = person("case-1", 2);
    let mut reg = registration("case-1", true, &w.caseworker.id, "2026-01-05");
    reg.guardian_appointed_on = Some("2026-01-06".into());
    // A repeated identifier is stored once; the same value under two kinds is two entries.
    let identifiers = ids(&[("document", b"LV1234"), ("document", b"LV1234"), ("birth", b"LV1234")]);
    t.store.create_registration(&c, &p, &reg, &identifiers, &on_case(REGISTERED, "case-1")).await.unwrap();

    assert_eq!(t.store.case("case-1").await.unwrap(), c);
    assert_eq!(t.store.person("case-1").await.unwrap(), p);
    assert_eq!(reg_of(&t, "case-1").await, reg);
    assert_eq!(t.store.cases_with_identifier("document", b"LV1234").await.unwrap(), ["case-1"]);
    assert_eq!(t.store.cases_with_identifier("birth", b"LV1234").await.unwrap(), ["case-1"]);
    assert_eq!(dumped(&t.dump().await, "identifier_index").len(), 2);
    assert_eq!(t.store.registration("case-9").await.unwrap(), None);

    // A draft: no referral date, no status yet.
    let c2 = case("case-2", "LV-2026-0002", &w.ngo.id, &w.caseworker.id, "LV", T0 + 1);
    let draft = registration("case-2", false, &w.caseworker.id, "");
    t.store.create_registration(&c2, &person("case-2", 3), &draft, &[], &on_case(REGISTERED, "case-2")).await.unwrap();
    assert_eq!(reg_of(&t, "case-2").await, draft);
    assert_eq!(reg_of(&t, "case-2").await.nrm_status, None);

    // One audit entry each, about the case.
    assert_eq!(t.head_seq().await, seq + 2);
    let history = t.store.audit_for_target("case", "case-1", 10).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event.action, REGISTERED);
    t.assert_chain(seq as u64 + 2).await;

    // As many identifier rows as one statement takes, and more (a person with many aliases and
    // documents): every one is written, with the case, the person and the registration.
    for (i, (id, n)) in [("case-3", 200_usize), ("case-4", 450)].into_iter().enumerate() {
        let c = case(id, &format!("LV-2026-000{}", i + 3), &w.ngo.id, &w.caseworker.id, "LV", T0 + 2);
        let reg = registration(id, true, &w.caseworker.id, "2026-01-05");
        let many: Vec<(String, Vec<u8>)> =
            (0..n).map(|k| ("block".to_owned(), format!("{id}-{k}").into_bytes())).collect();
        t.store.create_registration(&c, &person(id, 4), &reg, &many, &on_case(REGISTERED, id)).await.unwrap();
        assert_eq!(reg_of(&t, id).await, reg);
        assert_eq!(t.store.person(id).await.unwrap(), person(id, 4));
        for k in [0, n / 2, n - 1] {
            let value = format!("{id}-{k}");
            assert_eq!(t.store.cases_with_identifier("block", value.as_bytes()).await.unwrap(), [id]);
        }
    }
    assert_eq!(dumped(&t.dump().await, "identifier_index").len(), 2 + 200 + 450);
    t.assert_chain(seq as u64 + 4).await;
}

async fn failed_registrations_write_nothing(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", false, &w.caseworker.id, ""), 1).await;
    let before = t.dump().await;
    let seq = t.head_seq().await;
    let try_create = |c: CaseRow, p: PersonRow, reg: RegistrationRow| {
        let store = t.store.clone();
        async move {
            let identifiers = ids(&[("document", format!("new-{}", c.id).as_bytes())]);
            store.create_registration(&c, &p, &reg, &identifiers, &on_case(REGISTERED, &c.id)).await
        }
    };
    let ok_reg = |id: &str| registration(id, true, &w.caseworker.id, "2026-01-05");

    // The same case id again (with a fresh reference).
    let dup = case("case-1", "LV-2026-0099", &w.ngo.id, &w.caseworker.id, "LV", T0);
    assert_conflict(try_create(dup, person("case-1", 9), ok_reg("case-1")).await);
    // The same reference under a new id.
    let same_ref = case("case-2", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    assert_conflict(try_create(same_ref, person("case-2", 2), ok_reg("case-2")).await);
    // An unknown organisation owns it.
    let no_org = case("case-3", "LV-2026-0003", "org-nowhere", &w.caseworker.id, "LV", T0);
    assert_conflict(try_create(no_org, person("case-3", 3), ok_reg("case-3")).await);
    // The case and the person are fine, the registration's editor does not exist: the case and
    // the person written before it must go too.
    let c4 = case("case-4", "LV-2026-0004", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let mut no_editor = ok_reg("case-4");
    no_editor.updated_by = "usr-nobody".into();
    assert_conflict(try_create(c4.clone(), person("case-4", 4), no_editor).await);
    // The registration points at a case that does not exist.
    assert_conflict(try_create(c4.clone(), person("case-4", 4), ok_reg("case-nowhere")).await);
    // A state the schema does not know.
    let mut bad_state = ok_reg("case-4");
    bad_state.state = "closed".into();
    let r = try_create(c4.clone(), person("case-4", 4), bad_state).await;
    assert!(r.is_err(), "a registration in state 'closed' was accepted");
    // Without the audit key nothing is written either.
    let r = t
        .unsigned
        .create_registration(&c4, &person("case-4", 4), &ok_reg("case-4"), &[], &on_case(REGISTERED, "case-4"))
        .await;
    assert!(matches!(r, Err(StorageError::NoAuditSigner)), "{r:?}");

    assert_eq!(t.dump().await, before, "a failed registration left something behind");
    assert_eq!(t.head_seq().await, seq, "a failed registration was audited");
    assert!(t.store.registration("case-4").await.unwrap().is_none());
    assert!(t.store.cases_with_identifier("document", b"new-case-4").await.unwrap().is_empty());
    t.assert_chain(seq as u64).await;
    // And the good one still goes through.
    try_create(c4, person("case-4", 4), ok_reg("case-4")).await.unwrap();
    assert_eq!(t.head_seq().await, seq + 1);
}

/// An import writes its cases in one transaction: when the third fails (its reference is taken), neither
/// the first two, nor their persons, identifiers and audit entries, nor the import's entry are written.
async fn several_registrations_are_written_all_or_none(t: TestStore) {
    let w = seed(&t).await;
    let taken = case("case-0", "LV-2026-0100", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &taken, &registration("case-0", false, &w.caseworker.id, ""), 9).await;
    let before = t.dump().await;
    let seq = t.head_seq().await;
    let write = |references: [&'static str; 3]| {
        let t = &t;
        let w = &w;
        async move {
            let rows: Vec<_> = references
                .iter()
                .enumerate()
                .map(|(i, reference)| {
                    let id = format!("case-{}", i + 1);
                    (
                        case(&id, reference, &w.ngo.id, &w.caseworker.id, "LV", T0),
                        person(&id, u8::try_from(i + 1).unwrap()),
                        registration(&id, false, &w.caseworker.id, ""),
                        ids(&[("document", format!("doc-{id}").as_bytes())]),
                        on_case(REGISTERED, &id),
                    )
                })
                .collect();
            let new: Vec<NewRegistration<'_>> = rows
                .iter()
                .map(|(case, person, registration, identifiers, audit)| NewRegistration {
                    case,
                    person,
                    registration,
                    identifiers,
                    audit,
                })
                .collect();
            t.store.create_registrations(&new, &event(SAVED).on("import", "htcds", None)).await
        }
    };
    let failed = write(["LV-2026-0101", "LV-2026-0102", "LV-2026-0100"]).await;
    assert!(failed.is_err(), "a case with a taken reference was written");
    assert_eq!(t.dump().await, before, "a failed import left something written");
    assert_eq!(t.head_seq().await, seq);
    for id in ["case-1", "case-2", "case-3"] {
        assert!(matches!(t.store.case(id).await, Err(StorageError::NotFound)), "{id} exists");
    }

    write(["LV-2026-0101", "LV-2026-0102", "LV-2026-0103"]).await.unwrap();
    for id in ["case-1", "case-2", "case-3"] {
        assert_eq!(t.store.case(id).await.unwrap().id, id);
        assert!(t.store.registration(id).await.unwrap().is_some());
    }
    assert_eq!(t.head_seq().await, seq + 4, "an entry per case and one for the import");
    t.assert_chain(u64::try_from(seq + 4).unwrap()).await;
}

/// Saves `case-{i}` under `reference` with its subject key and document `doc-case-{i}`, as a
/// future that owns what it needs (to be spawned).
fn save_with_key(
    t: &TestStore,
    w: &World,
    i: usize,
    reference: String,
) -> impl std::future::Future<Output = Result<(), StorageError>> + Send + 'static {
    let (store, by, ngo) = (t.store.clone(), w.caseworker.id.clone(), w.ngo.id.clone());
    async move {
        let id = format!("case-{i}");
        let c = case(&id, &reference, &ngo, &by, "LV", T0);
        let key = NewSubjectKey { wrapping_key_id: 1, wrapped: b"wrapped key", created_at: T0 };
        let identifiers = ids(&[("document", format!("doc-{id}").as_bytes())]);
        store
            .create_registration_with_key(
                &c,
                key,
                |_| Some((person(&id, 1), registration(&id, false, &by, ""))),
                &identifiers,
                &on_case(REGISTERED, &id),
            )
            .await
            .map(|_| ())
    }
}

/// Registrations saved at the same moment (on SQLite they share a transaction, each in its
/// savepoint) are each written whole, a refused one (its reference taken) alone left out, with other
/// writes of the store in between; each entry is in the audit chain once.
async fn registrations_saved_at_once_stand_or_fail_alone(t: TestStore) {
    let w = seed(&t).await;
    let taken = case("case-taken", "LV-2026-0999", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &taken, &registration("case-taken", false, &w.caseworker.id, ""), 9).await;
    let seq = t.head_seq().await;
    let mut tasks = Vec::new();
    for i in 0..30usize {
        // every sixth takes a reference already given
        let reference = if i % 6 == 5 { "LV-2026-0999".to_owned() } else { format!("LV-2026-{i:04}") };
        let save = save_with_key(&t, &w, i, reference);
        tasks.push(tokio::spawn(async move { (i, save.await) }));
    }
    // other writes meanwhile, which take the turn too
    for n in 0..5 {
        let store = t.store.clone();
        tasks.push(tokio::spawn(async move {
            store.append_audit(&on_case(SAVED, "case-taken")).await.unwrap();
            (100 + n, Ok::<(), StorageError>(()))
        }));
    }
    let mut written = 0i64;
    for task in tasks {
        let (i, outcome) = task.await.unwrap();
        if i >= 100 {
            written += 1;
            continue;
        }
        let id = format!("case-{i}");
        if i % 6 == 5 {
            assert!(matches!(outcome, Err(StorageError::Conflict(_))), "{id}: {outcome:?}");
            assert!(matches!(t.store.case(&id).await, Err(StorageError::NotFound)), "{id} was written");
            assert_eq!(t.store.subject_key_of_case(&id).await.unwrap(), None, "{id} left its key");
            assert!(
                t.store.cases_with_identifier("document", format!("doc-{id}").as_bytes()).await.unwrap().is_empty()
            );
        } else {
            outcome.unwrap();
            written += 1;
            assert_eq!(t.store.case(&id).await.unwrap().id, id);
            assert!(t.store.registration(&id).await.unwrap().is_some(), "{id} without its registration");
            assert!(t.store.subject_key_of_case(&id).await.unwrap().is_some(), "{id} without its key");
            assert_eq!(
                t.store.cases_with_identifier("document", format!("doc-{id}").as_bytes()).await.unwrap(),
                [id.as_str()]
            );
        }
    }
    assert_eq!(written, 25 + 5);
    assert_eq!(t.head_seq().await, seq + written, "one audit entry per write, none for a refused one");
    t.assert_chain(u64::try_from(seq + written).unwrap()).await;
}

/// A registration whose save is stopped halfway (its request dropped while others are saved) is
/// either written whole, with its key, identifiers and audit entry, or not at all, and the writes
/// after it go on.
async fn a_registration_stopped_halfway_is_written_whole_or_not_at_all(t: TestStore) {
    let w = seed(&t).await;
    let seq = t.head_seq().await;
    let mut tasks = Vec::new();
    for i in 0..24usize {
        tasks.push((i, tokio::spawn(save_with_key(&t, &w, i, format!("LV-2026-{i:04}")))));
    }
    // every other save is stopped after a few turns of the scheduler
    for (i, task) in &tasks {
        if i % 2 == 1 {
            for _ in 0..(i % 5) {
                tokio::task::yield_now().await;
            }
            task.abort();
        }
    }
    for (i, task) in tasks {
        match task.await {
            Ok(outcome) => outcome.unwrap_or_else(|e| panic!("case-{i}: {e}")),
            Err(e) => assert!(e.is_cancelled() && i % 2 == 1, "case-{i}: {e}"),
        }
    }
    // a later save goes through and ends whatever was left open
    let last = case("case-last", "LV-2026-1000", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &last, &registration("case-last", false, &w.caseworker.id, ""), 3).await;
    let mut present = 0i64;
    for i in 0..24usize {
        let id = format!("case-{i}");
        let case_there = t.store.case(&id).await.is_ok();
        let key_there = t.store.subject_key_of_case(&id).await.unwrap().is_some();
        let reg_there = t.store.registration(&id).await.unwrap().is_some();
        let id_there =
            !t.store.cases_with_identifier("document", format!("doc-{id}").as_bytes()).await.unwrap().is_empty();
        assert_eq!([key_there, reg_there, id_there], [case_there; 3], "{id} half written");
        if i % 2 == 0 {
            assert!(case_there, "{id}, saved to the end, is missing");
        }
        present += i64::from(case_there);
    }
    assert_eq!(t.head_seq().await, seq + present + 1, "an audit entry for each case written and none other");
    t.assert_chain(u64::try_from(seq + present + 1).unwrap()).await;
}

/// A new case's subject key goes in the case's own transaction: the rows are made under the key row
/// the store gave, and when they cannot be made, or the case cannot be written, neither the key nor
/// anything else is left.
async fn a_case_and_its_subject_key_are_written_together_or_not_at_all(t: TestStore) {
    let w = seed(&t).await;
    let taken = case("case-0", "LV-2026-0100", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &taken, &registration("case-0", false, &w.caseworker.id, ""), 9).await;
    let before = t.dump().await;
    let keys_before = t.store.subject_keys().await.unwrap();
    let seq = t.head_seq().await;
    let key = NewSubjectKey { wrapping_key_id: 1, wrapped: b"wrapped key", created_at: T0 };
    let identifiers = ids(&[("document", b"doc-1")]);

    // the rows cannot be made: nothing is written
    let c1 = case("case-1", "LV-2026-0101", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let refused =
        t.store.create_registration_with_key(&c1, key, |_| None, &identifiers, &on_case(REGISTERED, "case-1")).await;
    assert!(matches!(refused, Err(StorageError::Conflict(_))), "{refused:?}");
    // the case cannot be written (its reference is taken): nor is its key
    let c2 = case("case-2", "LV-2026-0100", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let refused = t
        .store
        .create_registration_with_key(
            &c2,
            key,
            |_| Some((person("case-2", 2), registration("case-2", false, &w.caseworker.id, ""))),
            &identifiers,
            &on_case(REGISTERED, "case-2"),
        )
        .await;
    assert!(refused.is_err(), "a case with a taken reference was written");
    assert_eq!(t.dump().await, before, "a refused case left something written");
    assert_eq!(t.store.subject_keys().await.unwrap(), keys_before, "a refused case left its key");
    assert_eq!(t.head_seq().await, seq);

    // written: the rows were made knowing the key's id, and the key is the case's
    let mut seen = None;
    let row = t
        .store
        .create_registration_with_key(
            &c1,
            key,
            |k| {
                seen = Some(k.id);
                Some((person("case-1", 1), registration("case-1", false, &w.caseworker.id, "")))
            },
            &identifiers,
            &on_case(REGISTERED, "case-1"),
        )
        .await
        .unwrap();
    assert_eq!(seen, Some(row.id));
    assert_eq!(t.store.subject_key_of_case("case-1").await.unwrap(), Some(row.clone()));
    assert_eq!(row.wrapped.as_deref(), Some(&b"wrapped key"[..]));
    assert_eq!(t.store.case("case-1").await.unwrap().id, "case-1");
    assert!(t.store.registration("case-1").await.unwrap().is_some());
    assert_eq!(t.store.cases_with_identifier("document", b"doc-1").await.unwrap(), vec!["case-1".to_owned()]);
    assert_eq!(t.head_seq().await, seq + 1);
    t.assert_chain(u64::try_from(seq + 1).unwrap()).await;

    // no identifier row, and more than one statement of rows took before they went as one list;
    // values of any bytes, kept exactly
    for (i, (id, n)) in [("case-3", 0_usize), ("case-4", 201)].into_iter().enumerate() {
        let c = case(id, &format!("LV-2026-010{}", i + 3), &w.ngo.id, &w.caseworker.id, "LV", T0);
        let values: Vec<(String, Vec<u8>)> = (0..n)
            .map(|j| ("block".to_owned(), [&[0u8, 0xff, b'"', b'\\'][..], format!("{id}-key-{j}").as_bytes()].concat()))
            .collect();
        let written = t
            .store
            .create_registration_with_key(
                &c,
                key,
                |_| Some((person(id, 3 + i as u8), registration(id, false, &w.caseworker.id, ""))),
                &values,
                &on_case(REGISTERED, id),
            )
            .await
            .unwrap();
        assert_eq!(t.store.subject_key_of_case(id).await.unwrap(), Some(written));
        for (kind, value) in &values {
            assert_eq!(t.store.cases_with_identifier(kind, value).await.unwrap(), [id]);
        }
        assert_eq!(t.head_seq().await, seq + 2 + i as i64);
    }
    let rows = dumped(&t.dump().await, "identifier_index");
    assert_eq!(rows.iter().filter(|r| r[0] == "case-3").count(), 0);
    assert_eq!(rows.iter().filter(|r| r[0] == "case-4").count(), 201);
    t.assert_chain(u64::try_from(seq + 3).unwrap()).await;
}

/// `create_case` refuses a person that belongs to another case; so must `create_registration`.
async fn a_registration_cannot_take_over_another_cases_person(t: TestStore) {
    let w = seed(&t).await;
    let c1 = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c1, &registration("case-1", false, &w.caseworker.id, ""), 1).await;
    let before = t.dump().await;
    let c2 = case("case-2", "LV-2026-0002", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let r = t
        .store
        .create_registration(
            &c2,
            &person("case-1", 7),
            &registration("case-2", false, &w.caseworker.id, ""),
            &[],
            &on_case(REGISTERED, "case-2"),
        )
        .await;
    let after = t.store.person("case-1").await.unwrap();
    assert_eq!(after, person("case-1", 1), "another case's person was overwritten");
    assert!(r.is_err(), "a registration whose person is another case's was accepted");
    assert_eq!(t.dump().await, before);
}

/// Likewise a save: the person written must be the saved registration's.
async fn a_save_cannot_take_over_another_cases_person(t: TestStore) {
    let w = seed(&t).await;
    for (id, tag) in [("case-1", 1), ("case-2", 2)] {
        let c = case(id, &format!("REF-{id}"), &w.ngo.id, &w.caseworker.id, "LV", T0);
        register(&t, &c, &registration(id, false, &w.caseworker.id, ""), tag).await;
    }
    let before = t.dump().await;
    let next = registration("case-2", true, &w.caseworker.id, "2026-01-05");
    let r = t.store.update_registration(&person("case-1", 7), &next, 1, &[], &on_case(SAVED, "case-2")).await;
    assert_eq!(t.store.person("case-1").await.unwrap(), person("case-1", 1), "another case's person was overwritten");
    assert!(r.is_err(), "a save whose person is another case's was accepted");
    assert_eq!(t.dump().await, before);
    assert_eq!(reg_of(&t, "case-2").await.version, 1);
}

async fn saves_bump_the_version_and_stale_saves_conflict(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", false, &w.caseworker.id, ""), 1).await;
    let seq = t.head_seq().await;

    // Submitting the draft: the row is replaced, the version becomes 2 whatever the row says,
    // and a status that was not set yet is taken from the row.
    let mut submitted = registration("case-1", true, &w.officer.id, "2026-01-05");
    submitted.version = 41;
    submitted.record = b"sealed record, second edition".to_vec();
    submitted.child_status = "presumed_child".into();
    submitted.guardian_appointed_on = Some("2026-01-07".into());
    submitted.updated_at = T0 + 60;
    let p2 = person("case-1", 8);
    t.store.update_registration(&p2, &submitted, 1, &[], &on_case(SAVED, "case-1")).await.unwrap();
    let stored = reg_of(&t, "case-1").await;
    assert_eq!(stored, RegistrationRow { version: 2, ..submitted.clone() });
    assert_eq!(t.store.person("case-1").await.unwrap(), p2);
    assert_eq!(t.head_seq().await, seq + 1);

    // A second save of the version-1 copy: a conflict, and nothing changes.
    let before = t.dump().await;
    let mut stale = registration("case-1", false, &w.caseworker.id, "");
    stale.record = b"the other editor's record".to_vec();
    assert_conflict(t.store.update_registration(&person("case-1", 9), &stale, 1, &[], &on_case(SAVED, "case-1")).await);
    // A version from the future, and a case without a registration.
    assert_conflict(t.store.update_registration(&person("case-1", 9), &stale, 3, &[], &on_case(SAVED, "case-1")).await);
    let mut nowhere = stale.clone();
    nowhere.case_id = "case-9".into();
    assert_conflict(
        t.store.update_registration(&person("case-9", 9), &nowhere, 1, &[], &on_case(SAVED, "case-9")).await,
    );
    assert_eq!(t.dump().await, before, "a conflicting save wrote something");
    assert_eq!(t.head_seq().await, seq + 1, "a conflicting save was audited");

    // After a decision, saves keep the status columns (the row's own are ignored).
    let folded = status("identified", Some("2026-02-01"), None);
    t.store
        .add_decision(&decision("case-1", 1, "rg_positive", &w), &folded, &on_case(DECIDED, "case-1"))
        .await
        .unwrap();
    let mut third = submitted.clone();
    third.nrm_status = Some("referred".into());
    third.rg_decided_on = Some("1999-01-01".into());
    third.cg_decided_on = Some("1999-01-02".into());
    third.assistance_since = None;
    third.reflection_from = None;
    third.record = b"third".to_vec();
    t.store.update_registration(&p2, &third, 2, &[], &on_case(SAVED, "case-1")).await.unwrap();
    let stored = reg_of(&t, "case-1").await;
    assert_eq!(stored.version, 3);
    assert_eq!(stored.record, b"third");
    assert_eq!(status_of(&stored), folded, "a save changed the decided status");
    t.assert_chain(seq as u64 + 3).await;
}

/// A save whose person cannot be written fails after the version was bumped: the bump must be
/// rolled back with it, so that the editor can save again at the same version.
async fn a_failed_save_keeps_the_old_version(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", false, &w.caseworker.id, ""), 1).await;
    let before = t.dump().await;
    let seq = t.head_seq().await;
    let next = registration("case-1", true, &w.caseworker.id, "2026-01-05");
    let r = t.store.update_registration(&person("case-nowhere", 5), &next, 1, &[], &on_case(SAVED, "case-1")).await;
    assert_conflict(r);
    let mut no_editor = next.clone();
    no_editor.updated_by = "usr-nobody".into();
    assert_conflict(
        t.store.update_registration(&person("case-1", 5), &no_editor, 1, &[], &on_case(SAVED, "case-1")).await,
    );
    assert_eq!(t.dump().await, before);
    assert_eq!(t.head_seq().await, seq);
    t.store.update_registration(&person("case-1", 5), &next, 1, &[], &on_case(SAVED, "case-1")).await.unwrap();
    assert_eq!(reg_of(&t, "case-1").await.version, 2);
}

async fn concurrent_saves_at_one_version(t: TestStore) {
    const TASKS: usize = 8;
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", false, &w.caseworker.id, ""), 1).await;
    let seq = t.head_seq().await;
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = t.store.clone();
        let barrier = barrier.clone();
        let mut reg = registration("case-1", i % 2 == 0, &w.caseworker.id, "2026-01-05");
        reg.record = format!("edition of task {i}").into_bytes();
        let tag = i as u8 + 10;
        let identifiers = ids(&[("document", format!("doc-task-{i}").as_bytes())]);
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            store.ping().await.unwrap();
            barrier.wait().await;
            let ev = on_case(SAVED, "case-1").detail(format!("task={i}"));
            (i, store.update_registration(&person("case-1", tag), &reg, 1, &identifiers, &ev).await)
        }));
    }
    let mut winners = Vec::new();
    for h in handles {
        match h.await.unwrap() {
            (i, Ok(())) => winners.push(i),
            (_, Err(StorageError::Conflict(_))) => {}
            (i, Err(e)) => panic!("task {i}: expected success or a conflict, got {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    let winner = winners[0];
    let stored = reg_of(&t, "case-1").await;
    assert_eq!(stored.version, 2);
    assert_eq!(stored.record, format!("edition of task {winner}").into_bytes());
    assert_eq!(t.store.person("case-1").await.unwrap(), person("case-1", winner as u8 + 10));
    for i in 0..TASKS {
        let found = t.store.cases_with_identifier("document", format!("doc-task-{i}").as_bytes()).await.unwrap();
        assert_eq!(found.len(), usize::from(i == winner), "identifier of task {i}");
    }
    assert_eq!(t.head_seq().await, seq + 1);
    let saves: Vec<_> = t.store.audit_entries(seq, 100).await.unwrap();
    assert_eq!(saves.len(), 1);
    assert_eq!(saves[0].event.detail, Some(format!("task={winner}")));
    t.assert_chain(seq as u64 + 1).await;
}

async fn identifiers_match_exactly_and_are_replaced_on_save(t: TestStore) {
    let w = seed(&t).await;
    let shared: &[u8] = &[0, 1, 2, 255];
    let c1 = case("case-1", "LV-1", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let c2 = case("case-2", "LV-2", &w.police.id, &w.officer.id, "LV", T0);
    for (c, extra) in [(&c1, b"one".as_slice()), (&c2, b"two".as_slice())] {
        let reg = registration(&c.id, false, &c.created_by, "");
        let identifiers = ids(&[("birth", shared), ("document", extra)]);
        t.store
            .create_registration(c, &person(&c.id, 1), &reg, &identifiers, &on_case(REGISTERED, &c.id))
            .await
            .unwrap();
    }
    let find = |kind: &'static str, value: &'static [u8]| {
        let store = t.store.clone();
        async move { store.cases_with_identifier(kind, value).await.unwrap() }
    };
    assert_eq!(find("birth", shared).await, ["case-1", "case-2"]);
    assert_eq!(find("document", b"one").await, ["case-1"]);
    // Exact on both kind and value: no other kind, no prefix, no extension, no case folding.
    assert!(find("document", shared).await.is_empty());
    assert!(find("birth", b"one").await.is_empty());
    assert!(find("document", b"on").await.is_empty());
    assert!(find("document", b"one ").await.is_empty());
    assert!(find("document", b"ONE").await.is_empty());
    assert!(find("birth", &[0, 1, 2]).await.is_empty());
    assert!(find("passport", b"one").await.is_empty());

    // A save replaces the case's identifiers and leaves the other case's alone.
    let reg = registration("case-1", false, &w.caseworker.id, "");
    let new = ids(&[("document", b"three"), ("passport", b"one")]);
    t.store.update_registration(&person("case-1", 1), &reg, 1, &new, &on_case(SAVED, "case-1")).await.unwrap();
    assert_eq!(find("birth", shared).await, ["case-2"]);
    assert!(find("document", b"one").await.is_empty());
    assert_eq!(find("document", b"three").await, ["case-1"]);
    assert_eq!(find("passport", b"one").await, ["case-1"]);
    assert_eq!(find("document", b"two").await, ["case-2"]);
    // Saving with none removes them all.
    t.store.update_registration(&person("case-1", 1), &reg, 2, &[], &on_case(SAVED, "case-1")).await.unwrap();
    assert!(find("document", b"three").await.is_empty());
    assert!(find("passport", b"one").await.is_empty());
    let rows = dumped(&t.dump().await, "identifier_index");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r[0] == "case-2"));
}

/// The candidate index's bounded lookups: each reads at most its limit (one more than the bound
/// tells a value held by too many cases), whatever the number of values.
async fn a_bounded_lookup_reads_at_most_its_limit_per_value(t: TestStore) {
    let w = seed(&t).await;
    for i in 0..5u8 {
        let c = case(&format!("case-{i}"), &format!("LV-{i}"), &w.ngo.id, &w.caseworker.id, "LV", T0);
        let reg = registration(&c.id, false, &c.created_by, "");
        // every case holds "frequent"; case-0 and case-1 also hold "rare"; case-4 "own"
        let mut held: Vec<(&str, &[u8])> = vec![("block", b"frequent")];
        if i < 2 {
            held.push(("block", b"rare"));
        }
        if i == 4 {
            held.push(("block", b"own"));
        }
        t.store
            .create_registration(&c, &person(&c.id, i), &reg, &ids(&held), &on_case(REGISTERED, &c.id))
            .await
            .unwrap();
    }
    // a bound of 3: each lookup reads at most 4 rows, so a value held by more is told by its 4th
    let bounded = |values: &[&'static [u8]], kind: &'static str, bound: usize| {
        let store = t.store.clone();
        let lookups: Vec<IdentifierLookup<'static>> =
            values.iter().map(|v| IdentifierLookup { kind, value: v, limit: Some(bound + 1) }).collect();
        async move { store.cases_with_identifiers_each(&lookups).await.unwrap() }
    };
    let values: [&'static [u8]; 4] = [b"frequent", b"rare", b"own", b"none"];
    let found = bounded(&values, "block", 3).await;
    assert_eq!(found.iter().map(Vec::len).collect::<Vec<_>>(), [4, 2, 1, 0]);
    // at a bound the frequent value reaches, it is read whole
    assert_eq!(bounded(&values, "block", 5).await[0].len(), 5);
    // another kind holds none of them
    assert!(bounded(&values, "document", 3).await.iter().all(Vec::is_empty));
    // more values than one statement looks up: each value's cases still counted apart
    let mut many: Vec<&'static [u8]> = vec![b"absent"; 250];
    many[170] = b"frequent";
    many[230] = b"own";
    many[20] = b"rare";
    let found = bounded(&many, "block", 3).await;
    assert_eq!((found[170].len(), found[230].len(), found[20].len()), (4, 1, 2));
    assert_eq!(found.iter().map(Vec::len).sum::<usize>(), 7);

    // Lookups of several kinds and limits in one call, each answered apart, in order.
    let lookup =
        |kind: &'static str, value: &'static [u8], limit: Option<usize>| IdentifierLookup { kind, value, limit };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let found = t
        .store
        .cases_with_identifiers_each(&[
            lookup("block", b"frequent", None),
            lookup("block", b"frequent", Some(2)),
            lookup("document", b"frequent", None),
            lookup("block", b"rare", Some(1)),
            lookup("block", b"own", Some(5)),
            lookup("block", b"none", None),
        ])
        .await
        .unwrap();
    assert_eq!(found.len(), 6);
    assert_eq!(sorted(found[0].clone()), ["case-0", "case-1", "case-2", "case-3", "case-4"]);
    assert_eq!(found[1].len(), 2, "a limit is the most read");
    assert!(found[1].iter().all(|c| found[0].contains(c)));
    assert!(found[2].is_empty(), "the kind is part of the lookup");
    assert_eq!(found[3].len(), 1);
    assert_eq!(found[4], ["case-4"]);
    assert!(found[5].is_empty());
    let mut lookups: Vec<IdentifierLookup<'_>> = (0..250).map(|_| lookup("block", b"absent", Some(3))).collect();
    lookups[120] = lookup("block", b"own", None);
    lookups[249] = lookup("block", b"rare", None);
    let found = t.store.cases_with_identifiers_each(&lookups).await.unwrap();
    assert_eq!(found.len(), 250);
    assert_eq!(found[120], ["case-4"]);
    assert_eq!(sorted(found[249].clone()), ["case-0", "case-1"]);
    assert_eq!(found.iter().map(Vec::len).sum::<usize>(), 3, "across statements, each lookup its own");
    assert!(t.store.cases_with_identifiers_each(&[]).await.unwrap().is_empty());
    // a statement is written for a few numbers of lookups and filled up to the next: any number
    // around those is answered lookup by lookup, the filling never
    for n in [1, 3, 4, 5, 8, 9, 63, 64, 65, 99, 100, 101, 104] {
        let mut lookups: Vec<IdentifierLookup<'_>> = (0..n).map(|_| lookup("block", b"frequent", None)).collect();
        lookups[n - 1] = lookup("block", b"own", Some(7));
        let found = t.store.cases_with_identifiers_each(&lookups).await.unwrap();
        assert_eq!(found.len(), n);
        assert!(found[..n - 1].iter().all(|f| f.len() == 5), "{n} lookups");
        assert_eq!(found[n - 1], ["case-4"], "{n} lookups");
    }
}

// ------------------------------------------------------------------------------ visibility

/// The NGO (LV) owns 1 (a draft, shared with the EE shelter), 2 (submitted) and 6 (a case with
/// no registration); the police (LV) owns 3 (submitted); the shelter (EE) owns 4 (submitted)
/// and 5 (a draft). An LV competent authority owns nothing.
async fn visibility_world(t: &TestStore) -> (World, String) {
    let w = seed(t).await;
    let authority =
        organisation("org-lv-authority", "State Police NRM unit", OrganisationKind::CompetentAuthority, "LV");
    t.store.create_organisation(&authority, &event(AuditAction::OrganisationCreated)).await.unwrap();
    let cases = [
        ("case-1", &w.ngo.id, &w.caseworker.id, "LV", false, ""),
        ("case-2", &w.ngo.id, &w.caseworker.id, "LV", true, "2026-01-20"),
        ("case-3", &w.police.id, &w.officer.id, "LV", true, "2026-01-10"),
        ("case-4", &w.shelter.id, &w.counsellor.id, "EE", true, "2026-01-15"),
        ("case-5", &w.shelter.id, &w.counsellor.id, "EE", false, ""),
    ];
    for (i, (id, owner, by, country, submitted, on)) in cases.into_iter().enumerate() {
        let c = case(id, &format!("REF-{id}"), owner, by, country, T0 + i as i64 + 1);
        register(t, &c, &registration(id, submitted, by, on), i as u8).await;
    }
    let plain = case("case-6", "REF-case-6", &w.ngo.id, &w.caseworker.id, "LV", T0 + 6);
    t.store.create_case(&plain, &person("case-6", 6), &event(AuditAction::CaseCreated)).await.unwrap();
    t.store
        .share_case(
            "case-1",
            &w.shelter.id,
            &[Compartment::Support],
            &w.caseworker.id,
            T0,
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    (w, authority.id)
}

async fn case_overviews_follow_ownership_shares_and_referral(t: TestStore) {
    let (w, authority) = visibility_world(&t).await;
    let overviews = |org: String, referred_in: Option<&'static str>, limit: i64, offset: i64| {
        let store = t.store.clone();
        async move { store.case_overviews(&org, referred_in, limit, offset).await.unwrap() }
    };
    let seen = |org: &str, referred_in: Option<&'static str>| {
        let f = overviews(org.to_owned(), referred_in, 100, 0);
        async move { overview_ids(&f.await) }
    };

    // Owners see their own, newest first, with registrations (or none) and shares.
    let ngo = overviews(w.ngo.id.clone(), None, 100, 0).await;
    assert_eq!(overview_ids(&ngo), ["case-6", "case-2", "case-1"]);
    assert_eq!(ngo[0].registration, None);
    assert_eq!(ngo[1].registration, Some(reg_of(&t, "case-2").await));
    assert_eq!(ngo[2].registration, Some(reg_of(&t, "case-1").await));
    assert_eq!(ngo[2].case, t.store.case("case-1").await.unwrap());
    assert_eq!(ngo[2].case.shares.len(), 1, "listed cases carry their shares");
    assert_eq!(seen(&w.police.id, None).await, ["case-3"]);
    // A share recipient sees the shared case (a draft of another country) beside its own.
    assert_eq!(seen(&w.shelter.id, None).await, ["case-5", "case-4", "case-1"]);
    // An organisation that owns nothing and was shared nothing sees nothing.
    assert!(seen(&authority, None).await.is_empty());
    assert!(seen("org-nowhere", None).await.is_empty());

    // The competent authority sees the submitted registrations of its jurisdiction only.
    assert_eq!(seen(&authority, Some("LV")).await, ["case-3", "case-2"]);
    assert_eq!(seen(&authority, Some("EE")).await, ["case-4"]);
    assert!(seen(&authority, Some("LT")).await.is_empty());
    // Own and referred together, each once.
    assert_eq!(seen(&w.police.id, Some("LV")).await, ["case-3", "case-2"]);
    assert_eq!(seen(&w.ngo.id, Some("LV")).await, ["case-6", "case-3", "case-2", "case-1"]);
    assert_eq!(seen(&w.shelter.id, Some("LV")).await, ["case-5", "case-4", "case-3", "case-2", "case-1"]);
    // Paging.
    assert_eq!(overview_ids(&overviews(authority.clone(), Some("LV"), 1, 1).await), ["case-2"]);
    assert_eq!(overview_ids(&overviews(w.ngo.id.clone(), None, 2, 0).await), ["case-6", "case-2"]);

    // Once the draft is submitted, the authority sees it too.
    let submitted = registration("case-1", true, &w.caseworker.id, "2026-01-12");
    t.store.update_registration(&person("case-1", 0), &submitted, 1, &[], &on_case(SAVED, "case-1")).await.unwrap();
    let lv = overviews(authority.clone(), Some("LV"), 100, 0).await;
    assert_eq!(overview_ids(&lv), ["case-3", "case-2", "case-1"]);
    assert_eq!(lv[2].registration.as_ref().map(|r| r.version), Some(2));
}

async fn candidates_are_read_within_the_same_scope_as_the_case_list(t: TestStore) {
    let (w, authority) = visibility_world(&t).await;
    let all: Vec<String> = (1..=6).map(|i| format!("case-{i}")).collect();
    let among = |scope: Option<(&str, Option<&str>)>| {
        let (store, all) = (t.store.clone(), all.clone());
        let scope = scope.map(|(o, r)| (o.to_owned(), r.map(str::to_owned)));
        async move {
            let scope = scope.as_ref().map(|(o, r)| (o.as_str(), r.as_deref()));
            let mut ids = overview_ids(&store.case_overviews_among(scope, &all).await.unwrap());
            ids.sort();
            ids
        }
    };
    // Exactly the cases the case list shows, restricted to the candidates asked for.
    for (org, referred_in) in [
        (w.ngo.id.as_str(), None),
        (w.police.id.as_str(), None),
        (w.shelter.id.as_str(), None),
        (authority.as_str(), Some("LV")),
        (authority.as_str(), Some("EE")),
        (w.ngo.id.as_str(), Some("LV")),
    ] {
        let mut listed = overview_ids(&t.store.case_overviews(org, referred_in, 100, 0).await.unwrap());
        listed.sort();
        assert_eq!(among(Some((org, referred_in))).await, listed, "{org} {referred_in:?}");
    }
    let some = t.store.case_overviews_among(Some((&w.ngo.id, None)), &["case-2".into(), "case-3".into()]).await;
    assert_eq!(overview_ids(&some.unwrap()), ["case-2"], "a candidate out of scope is not read");
    assert_eq!(among(None).await, all, "maintenance reads every case");
    assert_eq!(t.store.case_ids_after("case-4", 10).await.unwrap(), ["case-5", "case-6"]);

    // The keyed lookup: any of several values, each case once; replaced per kind.
    let batch = vec![
        ("case-1".to_owned(), vec![vec![1u8], vec![2u8]]),
        ("case-2".to_owned(), vec![vec![2u8]]),
        ("case-gone".to_owned(), vec![vec![1u8]]),
    ];
    t.store.replace_identifiers_of_kind("block", &batch).await.unwrap();
    let found = t.store.cases_with_any_identifier("block", &[vec![1u8], vec![2u8], vec![9u8]]).await.unwrap();
    assert_eq!(found, ["case-1", "case-2"]);
    assert!(t.store.cases_with_any_identifier("dob", &[vec![1u8]]).await.unwrap().is_empty());
    t.store.replace_identifiers_of_kind("block", &[("case-1".to_owned(), vec![])]).await.unwrap();
    assert_eq!(t.store.cases_with_any_identifier("block", &[vec![1u8], vec![2u8]]).await.unwrap(), ["case-2"]);
    // More values than one statement binds.
    let many: Vec<Vec<u8>> = (0..1200u32).map(|i| i.to_be_bytes().to_vec()).chain([vec![2u8]]).collect();
    assert_eq!(t.store.cases_with_any_identifier("block", &many).await.unwrap(), ["case-2"]);
    // Values of any bytes are found as they are (they are bound as hex).
    let odd = vec![0u8, 0xff, b'"', b'\\', 0];
    t.store.replace_identifiers_of_kind("document", &[("case-3".to_owned(), vec![odd.clone()])]).await.unwrap();
    assert_eq!(t.store.cases_with_any_identifier("document", std::slice::from_ref(&odd)).await.unwrap(), ["case-3"]);
    assert!(t.store.cases_with_any_identifier("document", &[odd[..4].to_vec()]).await.unwrap().is_empty());

    assert_eq!(t.store.linkage_index_basis().await.unwrap(), None);
    t.store.set_linkage_index_basis(b"one", 6, T0).await.unwrap();
    t.store.set_linkage_index_basis(b"two", 6, T0).await.unwrap();
    assert_eq!(t.store.linkage_index_basis().await.unwrap().as_deref(), Some(&b"two"[..]));
}

/// The candidates a duplicate check or search scores, read in one statement: exactly the cases
/// of the case list among those asked for, with their registrations and shares, less the cases
/// restricted (Reg 2016/679 Art 18).
async fn matchable_candidates_are_the_case_list_less_the_restricted_cases(t: TestStore) {
    let (w, authority) = visibility_world(&t).await;
    let all: Vec<String> = (1..=7).map(|i| format!("case-{i}")).collect();
    let scopes = [
        (w.ngo.id.clone(), None),
        (w.police.id.clone(), None),
        (w.shelter.id.clone(), None),
        (authority.clone(), Some("LV")),
        (authority.clone(), Some("EE")),
        (w.ngo.id.clone(), Some("LV")),
        ("org-nowhere".to_owned(), Some("LT")),
    ];
    for (org, referred_in) in &scopes {
        let listed = t.store.case_overviews_among(Some((org, *referred_in)), &all).await.unwrap();
        let matchable = t.store.matchable_case_overviews(org, *referred_in, &all).await.unwrap();
        assert_eq!(matchable, listed, "{org} {referred_in:?}: the same cases, registrations and shares");
    }
    let ngo = t.store.matchable_case_overviews(&w.ngo.id, None, &all).await.unwrap();
    assert_eq!(overview_ids(&ngo), ["case-1", "case-2", "case-6"]);
    assert_eq!(ngo[0].case.shares.len(), 1, "a shared case carries its share");
    assert_eq!(ngo[1].registration, Some(reg_of(&t, "case-2").await));
    assert_eq!(ngo[2].registration, None, "a case without a registration is read with none");
    let some = t.store.matchable_case_overviews(&w.ngo.id, None, &["case-3".into(), "case-2".into()]).await.unwrap();
    assert_eq!(overview_ids(&some), ["case-2"], "a candidate out of scope is not read");
    assert!(t.store.matchable_case_overviews(&w.ngo.id, None, &[]).await.unwrap().is_empty());

    // A restriction takes the case out of matching for everyone who saw it.
    crate::subject_requests::restrict(&t, "req-2", "case-2", &w.caseworker.id, vec![1]).await;
    for (org, referred_in) in &scopes {
        let mut listed = t.store.case_overviews_among(Some((org, *referred_in)), &all).await.unwrap();
        listed.retain(|o| o.case.id != "case-2");
        let matchable = t.store.matchable_case_overviews(org, *referred_in, &all).await.unwrap();
        assert_eq!(matchable, listed, "{org} {referred_in:?}: the restricted case left out");
    }
    // More candidates than one statement binds.
    let many: Vec<String> = (0..1200).map(|i| format!("absent-{i}")).chain(["case-1".to_owned()]).collect();
    assert_eq!(overview_ids(&t.store.matchable_case_overviews(&w.ngo.id, None, &many).await.unwrap()), ["case-1"]);
}

async fn submitted_registrations_of_a_jurisdiction(t: TestStore) {
    let (w, _) = visibility_world(&t).await;
    let submitted = |j: &'static str| {
        let store = t.store.clone();
        async move { store.submitted_in(j).await.unwrap() }
    };
    // By referral date, not by creation or id; never drafts, never other countries.
    let lv = submitted("LV").await;
    assert_eq!(overview_ids(&lv), ["case-3", "case-2"]);
    assert_eq!(lv[0].registration, Some(reg_of(&t, "case-3").await));
    assert_eq!(lv[1].case, t.store.case("case-2").await.unwrap());
    assert_eq!(overview_ids(&submitted("EE").await), ["case-4"]);
    assert!(submitted("LT").await.is_empty());

    let reg = registration("case-1", true, &w.caseworker.id, "2026-01-12");
    t.store.update_registration(&person("case-1", 0), &reg, 1, &[], &on_case(SAVED, "case-1")).await.unwrap();
    let lv = submitted("LV").await;
    assert_eq!(overview_ids(&lv), ["case-3", "case-1", "case-2"]);
    assert_eq!(lv[1].case.shares.len(), 1, "listed cases carry their shares");
}

// ------------------------------------------------------------------------------- decisions

async fn decisions_append_and_rewrite_the_status(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", true, &w.caseworker.id, "2026-01-05"), 1).await;
    let seq = t.head_seq().await;

    let first = decision("case-1", 1, "rg_positive", &w);
    let rg = status("identified", Some("2026-02-01"), None);
    t.store.add_decision(&first, &rg, &on_case(DECIDED, "case-1")).await.unwrap();
    assert_eq!(t.store.decisions("case-1").await.unwrap(), std::slice::from_ref(&first));
    let stored = reg_of(&t, "case-1").await;
    assert_eq!(status_of(&stored), rg);
    assert_eq!(stored.version, 1, "a decision is not an edit of the registration");
    assert_eq!(stored.record, registration("case-1", true, &w.caseworker.id, "2026-01-05").record);

    // The same seq again: a conflict, nothing written, nothing audited.
    let before = t.dump().await;
    let again = DecisionRow { kind: "first_decision_negative".into(), ..decision("case-1", 1, "", &w) };
    let r = t.store.add_decision(&again, &status("not_identified", None, None), &on_case(DECIDED, "case-1")).await;
    assert_conflict(r);
    // Unknown case, unknown decider, unknown organisation.
    let mut bad = decision("case-9", 2, "rg_positive", &w);
    assert_conflict(t.store.add_decision(&bad, &rg, &on_case(DECIDED, "case-9")).await);
    bad.case_id = "case-1".into();
    bad.decided_by = "usr-nobody".into();
    assert_conflict(t.store.add_decision(&bad, &status("x", None, None), &on_case(DECIDED, "case-1")).await);
    bad.decided_by = w.officer.id.clone();
    bad.organisation_id = "org-nowhere".into();
    assert_conflict(t.store.add_decision(&bad, &status("x", None, None), &on_case(DECIDED, "case-1")).await);
    assert_eq!(t.dump().await, before);
    assert_eq!(t.head_seq().await, seq + 1);

    // A correction is a new row; the status is what the caller folded.
    let correction = DecisionRow { corrects: Some(1), reasons: None, ..decision("case-1", 2, "correction", &w) };
    let cg = status("confirmed", Some("2026-02-01"), Some("2026-03-01"));
    t.store.add_decision(&correction, &cg, &on_case(DECIDED, "case-1")).await.unwrap();
    assert_eq!(t.store.decisions("case-1").await.unwrap(), [first, correction]);
    assert_eq!(status_of(&reg_of(&t, "case-1").await), cg);
    assert!(t.store.decisions("case-9").await.unwrap().is_empty());
    assert_eq!(t.head_seq().await, seq + 2);
    t.assert_chain(seq as u64 + 2).await;
}

async fn concurrent_decisions_at_one_seq(t: TestStore) {
    const TASKS: usize = 8;
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", true, &w.caseworker.id, "2026-01-05"), 1).await;
    // A decision already taken, so that every task decides at seq 2.
    let first = decision("case-1", 1, "rg_positive", &w);
    t.store
        .add_decision(&first, &status("identified", Some("2026-02-01"), None), &on_case(DECIDED, "case-1"))
        .await
        .unwrap();
    let seq = t.head_seq().await;

    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = t.store.clone();
        let barrier = barrier.clone();
        let row = DecisionRow { recorded_at: T0 + 1000 + i as i64, ..decision("case-1", 2, &format!("kind-{i}"), &w) };
        let folded = status(&format!("status-{i}"), Some("2026-02-01"), Some(&format!("2026-03-{:02}", i + 1)));
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            store.ping().await.unwrap();
            barrier.wait().await;
            let ev = on_case(DECIDED, "case-1").detail(format!("task={i}"));
            (i, row.clone(), folded.clone(), store.add_decision(&row, &folded, &ev).await)
        }));
    }
    let mut winners = Vec::new();
    for h in handles {
        match h.await.unwrap() {
            (i, row, folded, Ok(())) => winners.push((i, row, folded)),
            (_, _, _, Err(StorageError::Conflict(_))) => {}
            (i, _, _, Err(e)) => panic!("task {i}: expected success or a conflict, got {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "winners: {:?}", winners.iter().map(|w| w.0).collect::<Vec<_>>());
    let (winner, row, folded) = winners.remove(0);
    assert_eq!(t.store.decisions("case-1").await.unwrap(), [first, row]);
    assert_eq!(status_of(&reg_of(&t, "case-1").await), folded, "the status is not the winner's");
    assert_eq!(t.head_seq().await, seq + 1);
    let entries = t.store.audit_entries(seq, 100).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].event.action, DECIDED);
    assert_eq!(entries[0].event.detail, Some(format!("task={winner}")));
    t.assert_chain(seq as u64 + 1).await;
}

async fn decisions_are_immutable(t: TestStore) {
    let w = seed(&t).await;
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    register(&t, &c, &registration("case-1", true, &w.caseworker.id, "2026-01-05"), 1).await;
    for seq in 1..=2 {
        let d = decision("case-1", seq, "rg_positive", &w);
        t.store.add_decision(&d, &status("identified", None, None), &on_case(DECIDED, "case-1")).await.unwrap();
    }
    let before = t.store.decisions("case-1").await.unwrap();
    assert_eq!(before.len(), 2);
    for sql in [
        "UPDATE decisions SET kind = 'rg_negative' WHERE case_id = 'case-1' AND seq = 1",
        "UPDATE decisions SET decided_on = '2020-01-01'",
        "UPDATE decisions SET seq = seq + 10",
        "DELETE FROM decisions WHERE case_id = 'case-1' AND seq = 2",
        "DELETE FROM decisions",
    ] {
        let r = t.store.execute_unchecked(sql).await;
        assert!(r.is_err(), "{sql} was allowed: {r:?}");
    }
    assert_eq!(t.store.decisions("case-1").await.unwrap(), before);
}

// ----------------------------------------------------------------- records and statistics

async fn case_records_round_trip(t: TestStore) {
    let w = seed(&t).await;
    for (id, tag) in [("case-1", 1), ("case-2", 2)] {
        let c = case(id, &format!("REF-{id}"), &w.ngo.id, &w.caseworker.id, "LV", T0);
        register(&t, &c, &registration(id, true, &w.caseworker.id, "2026-01-05"), tag).await;
    }
    let seq = t.head_seq().await;
    let record = |id: &str, case_id: &str, kind: &str, compartment: Compartment, at: i64| CaseRecordRow {
        id: id.into(),
        case_id: case_id.into(),
        kind: kind.into(),
        compartment,
        body: format!("sealed body of {id}").into_bytes(),
        created_by: w.caseworker.id.clone(),
        created_at: at,
    };
    let r1 = record("rec-b", "case-1", "residence_permit", Compartment::Identity, T0 + 20);
    let r2 = record("rec-c", "case-1", "criminal_proceedings", Compartment::Proceedings, T0 + 10);
    let r3 = record("rec-a", "case-1", "age_assessment", Compartment::Support, T0 + 20);
    let r4 = record("rec-d", "case-2", "protection", Compartment::Support, T0);
    for r in [&r1, &r2, &r3, &r4] {
        t.store.add_case_record(r, &on_case(SAVED, &r.case_id)).await.unwrap();
    }
    // By time, then id.
    assert_eq!(t.store.case_records("case-1").await.unwrap(), [r2.clone(), r3.clone(), r1.clone()]);
    assert_eq!(t.store.case_records("case-2").await.unwrap(), [r4]);
    assert!(t.store.case_records("case-9").await.unwrap().is_empty());
    assert_eq!(t.head_seq().await, seq + 4);

    let before = t.dump().await;
    assert_conflict(t.store.add_case_record(&r1, &on_case(SAVED, "case-1")).await);
    let orphan = record("rec-x", "case-9", "protection", Compartment::Support, T0);
    assert_conflict(t.store.add_case_record(&orphan, &on_case(SAVED, "case-9")).await);
    let no_author =
        CaseRecordRow { created_by: "usr-nobody".into(), ..record("rec-y", "case-1", "x", Compartment::Support, T0) };
    assert_conflict(t.store.add_case_record(&no_author, &on_case(SAVED, "case-1")).await);
    assert_eq!(t.dump().await, before);
    assert_eq!(t.head_seq().await, seq + 4);
    t.assert_chain(seq as u64 + 4).await;
}

/// An anonymous notification by organisation `org` (its id and kind code).
fn notification(id: &str, jurisdiction: &str, org: (&str, &str), by: &str, on: &str) -> NotificationRow {
    NotificationRow {
        id: id.into(),
        jurisdiction: jurisdiction.into(),
        organisation_id: org.0.into(),
        organisation_kind: org.1.into(),
        notified_on: on.into(),
        sex: "male".into(),
        age_group: "25_34".into(),
        citizenship: "UZ".into(),
        forms: "labour".into(),
        created_by: by.into(),
        created_at: T0,
    }
}

async fn notifications_and_registrations_for_statistics(t: TestStore) {
    let (w, _) = visibility_world(&t).await;
    let seq = t.head_seq().await;
    let ngo = (w.ngo.id.as_str(), "ngo");
    let shelter = (w.shelter.id.as_str(), "shelter");
    let n1 = notification("ntf-b", "LV", ngo, &w.caseworker.id, "2026-01-03");
    let n2 = notification("ntf-a", "LV", ngo, &w.caseworker.id, "2026-01-03");
    let n3 = notification("ntf-c", "LV", ngo, &w.caseworker.id, "2026-01-01");
    let n4 = notification("ntf-d", "EE", shelter, &w.counsellor.id, "2026-01-02");
    for n in [&n1, &n2, &n3, &n4] {
        t.store
            .add_notification(n, &event(SAVED).on("notification", &n.id, Some(n.organisation_id.as_str())))
            .await
            .unwrap();
    }
    assert_eq!(t.store.notifications_in("LV").await.unwrap(), [n3.clone(), n2.clone(), n1.clone()]);
    assert_eq!(t.store.notifications_in("EE").await.unwrap(), [n4]);
    assert!(t.store.notifications_in("LT").await.unwrap().is_empty());
    assert_eq!(t.head_seq().await, seq + 4);

    let before = t.dump().await;
    assert_conflict(t.store.add_notification(&n1, &event(SAVED)).await);
    let nowhere = notification("ntf-x", "LV", ("org-nowhere", "ngo"), &w.caseworker.id, "2026-01-01");
    assert_conflict(t.store.add_notification(&nowhere, &event(SAVED)).await);
    let nobody = notification("ntf-y", "LV", ngo, "usr-nobody", "2026-01-01");
    assert_conflict(t.store.add_notification(&nobody, &event(SAVED)).await);
    assert_eq!(t.dump().await, before);
    assert_eq!(t.head_seq().await, seq + 4);

    // Registrations by the case's jurisdiction, drafts included, by case id; a case without a
    // registration is not one.
    let lv = t.store.registrations_in("LV").await.unwrap();
    let mut expected = Vec::new();
    for id in ["case-1", "case-2", "case-3"] {
        expected.push(reg_of(&t, id).await);
    }
    assert_eq!(lv, expected);
    let ee = t.store.registrations_in("EE").await.unwrap();
    assert_eq!(ee.iter().map(|r| r.case_id.as_str()).collect::<Vec<_>>(), ["case-4", "case-5"]);
    assert_eq!(ee[1], reg_of(&t, "case-5").await);
    assert!(t.store.registrations_in("LT").await.unwrap().is_empty());

    // The coded columns alone: the same rows, in the same order, with no ciphertext read.
    let coded = t.store.registration_codes_in("LV").await.unwrap();
    assert!(expected.iter().all(|r| !r.record.is_empty()));
    let without_records: Vec<_> = expected.into_iter().map(|r| RegistrationRow { record: Vec::new(), ..r }).collect();
    assert_eq!(coded, without_records);
    assert_eq!(t.store.registration_codes_in("EE").await.unwrap().len(), 2);
    assert!(t.store.registration_codes_in("LT").await.unwrap().is_empty());

    // Counted in the database: the referred ones only (case-1 is a draft), by their codes.
    let tally = |sex: &str, child: &str, forms: &str, n| ReferredTally {
        sex: sex.into(),
        child_status: child.into(),
        forms: forms.into(),
        n,
    };
    assert_eq!(t.store.referred_tally_in("LV").await.unwrap(), [tally("female", "adult", "labour,sexual", 2)]);
    assert_eq!(t.store.referred_tally_in("EE").await.unwrap(), [tally("female", "adult", "labour,sexual", 1)]);
    assert!(t.store.referred_tally_in("LT").await.unwrap().is_empty());
    let notified = |n| NotificationTally { sex: "male".into(), forms: "labour".into(), n };
    assert_eq!(t.store.notification_tally_in("LV").await.unwrap(), [notified(3)]);
    assert_eq!(t.store.notification_tally_in("EE").await.unwrap(), [notified(1)]);
    assert!(t.store.notification_tally_in("LT").await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------- backup

/// Rows in every identification table, with NULLs and non-NULLs.
async fn fill_identification(t: &TestStore) -> World {
    let w = seed(t).await;
    let c1 = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    let mut full = registration("case-1", true, &w.caseworker.id, "2026-01-05");
    full.guardian_appointed_on = Some("2026-01-06".into());
    full.record = (0..=255).collect();
    let identifiers = ids(&[("document", &[0, 255, 1]), ("birth", b"1999-12-31")]);
    t.store
        .create_registration(&c1, &person("case-1", 2), &full, &identifiers, &on_case(REGISTERED, "case-1"))
        .await
        .unwrap();
    let c2 = case("case-2", "EE-2026-0001", &w.shelter.id, &w.counsellor.id, "EE", T0 + 1);
    register(t, &c2, &registration("case-2", false, &w.counsellor.id, ""), 3).await;
    let d1 = decision("case-1", 1, "rg_positive", &w);
    t.store
        .add_decision(&d1, &status("identified", Some("2026-02-01"), None), &on_case(DECIDED, "case-1"))
        .await
        .unwrap();
    let d2 = DecisionRow { reasons: None, corrects: Some(1), ..decision("case-1", 2, "correction", &w) };
    let all = status("confirmed", Some("2026-02-01"), Some("2026-03-01"));
    t.store.add_decision(&d2, &all, &on_case(DECIDED, "case-1")).await.unwrap();
    let rec = CaseRecordRow {
        id: "rec-1".into(),
        case_id: "case-1".into(),
        kind: "residence_permit".into(),
        compartment: Compartment::Proceedings,
        body: vec![0, 1, 2, 254, 255],
        created_by: w.officer.id.clone(),
        created_at: T0 + 5,
    };
    t.store.add_case_record(&rec, &on_case(SAVED, "case-1")).await.unwrap();
    let ntf = notification("ntf-1", "LV", (w.ngo.id.as_str(), "ngo"), &w.caseworker.id, "2026-01-03");
    t.store.add_notification(&ntf, &event(SAVED)).await.unwrap();
    w
}

async fn backup_and_restore_carry_identification(t: TestStore) {
    fill_identification(&t).await;
    let dump = t.dump().await;
    for (table, n) in
        [("registrations", 2), ("decisions", 2), ("case_records", 1), ("identifier_index", 3), ("notifications", 1)]
    {
        assert_eq!(dumped(&dump, table).len(), n, "{table} in the dump");
    }
    let target = t.sibling().await;
    let mut input: &[u8] = &dump;
    target.store.restore(&mut input).await.unwrap();
    assert_eq!(target.dump().await, dump, "the restored database dumps to the same bytes");

    for id in ["case-1", "case-2"] {
        assert_eq!(target.store.registration(id).await.unwrap(), t.store.registration(id).await.unwrap());
        assert_eq!(target.store.decisions(id).await.unwrap(), t.store.decisions(id).await.unwrap());
        assert_eq!(target.store.case_records(id).await.unwrap(), t.store.case_records(id).await.unwrap());
    }
    assert_eq!(reg_of(&target, "case-1").await.nrm_status.as_deref(), Some("confirmed"));
    assert_eq!(target.store.decisions("case-1").await.unwrap().len(), 2);
    assert_eq!(target.store.case_records("case-1").await.unwrap()[0].body, [0, 1, 2, 254, 255]);
    assert_eq!(target.store.notifications_in("LV").await.unwrap(), t.store.notifications_in("LV").await.unwrap());
    assert_eq!(target.store.cases_with_identifier("document", &[0, 255, 1]).await.unwrap(), ["case-1"]);
    assert_eq!(target.store.cases_with_identifier("document", b"doc-case-2").await.unwrap(), ["case-2"]);
    let n = t.head_seq().await as u64;
    target.assert_chain(n).await;

    // The restored database goes on: decisions are still immutable, versions still checked.
    assert!(target.store.execute_unchecked("DELETE FROM decisions").await.is_err());
    let stale = reg_of(&target, "case-2").await;
    target.store.update_registration(&person("case-2", 3), &stale, 1, &[], &on_case(SAVED, "case-2")).await.unwrap();
    assert_conflict(
        target.store.update_registration(&person("case-2", 3), &stale, 1, &[], &on_case(SAVED, "case-2")).await,
    );
    target.assert_chain(n + 1).await;
}

/// SQLite -> PostgreSQL -> SQLite with the identification tables, same audit key.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn identification_crosses_backends() {
    let key = haven_crypto::AuditKey::generate();
    let Some(pg) = postgres_store_with_key(key.clone()).await else {
        skipped();
        return;
    };
    let lite = sqlite_store_with_key(key.clone()).await;
    fill_identification(&lite).await;
    let from_sqlite = lite.dump().await;
    let mut input: &[u8] = &from_sqlite;
    pg.store.restore(&mut input).await.unwrap();
    let sorted = |dump: &[u8]| {
        let mut lines: Vec<String> = std::str::from_utf8(dump).unwrap().lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    let from_postgres = pg.dump().await;
    assert_eq!(sorted(&from_postgres), sorted(&from_sqlite), "same rows on PostgreSQL");
    for id in ["case-1", "case-2"] {
        assert_eq!(pg.store.registration(id).await.unwrap(), lite.store.registration(id).await.unwrap());
        assert_eq!(pg.store.decisions(id).await.unwrap(), lite.store.decisions(id).await.unwrap());
        assert_eq!(pg.store.case_records(id).await.unwrap(), lite.store.case_records(id).await.unwrap());
    }
    assert_eq!(pg.store.cases_with_identifier("birth", b"1999-12-31").await.unwrap(), ["case-1"]);
    assert!(pg.store.execute_unchecked("UPDATE decisions SET kind = 'x'").await.is_err());
    let n = lite.head_seq().await as u64;
    pg.assert_chain(n).await;

    let back = sqlite_store_with_key(key).await;
    let mut input: &[u8] = &from_postgres;
    back.store.restore(&mut input).await.unwrap();
    assert_eq!(sorted(&back.dump().await), sorted(&from_sqlite), "PostgreSQL -> SQLite gives the same rows");
    back.assert_chain(n).await;
}
