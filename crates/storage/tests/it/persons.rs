//! Persons maintained from registrations (migration 0010): cannot-link answers, person ids
//! written with a check of what was read, merges that can be followed, full re-links swapped in
//! at once, and re-link jobs with their progress.

use crate::ident::{register, registration};
use crate::support::{T0, TestStore, World, assert_not_found, case, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{LinkageJobRow, PersonClusterChange, PersonRef};

contract_tests!(
    cannot_links_are_stored_once_per_pair_and_audited,
    cannot_links_are_found_from_either_side,
    a_change_of_clusters_is_written_only_over_what_it_read,
    new_person_ids_follow_every_id_given_and_merged_ids_resolve,
    concurrent_changes_from_one_reading_write_once,
    a_relink_replaces_at_once_and_names_what_changed_meanwhile,
    linkage_jobs_record_progress_and_end_once,
);

const ANSWERED: AuditAction = AuditAction::NoteAdded;

/// Referred registrations `ids` of the NGO in Latvia.
async fn registered(t: &TestStore, w: &World, ids: &[&str]) {
    for (i, id) in ids.iter().enumerate() {
        let at = T0 + i64::try_from(i).unwrap();
        let c = case(id, &format!("LV-{id}"), &w.ngo.id, &w.caseworker.id, "LV", at);
        register(t, &c, &registration(id, true, &w.caseworker.id, "2026-01-05"), 1).await;
    }
}

async fn cannot_links_are_stored_once_per_pair_and_audited(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"]).await;
    let seq = t.head_seq().await;
    let answer = |a: &str, b: &str| event(ANSWERED).on("case", &format!("{a},{b}"), None);
    assert!(t.store.add_cannot_link("case-b", "case-a", "usr-officer", T0 + 10, &answer("b", "a")).await.unwrap());
    // the same pair in either order again: nothing new, but the answer is still audited
    assert!(!t.store.add_cannot_link("case-a", "case-b", "usr-other", T0 + 11, &answer("a", "b")).await.unwrap());
    assert_eq!(t.head_seq().await, seq + 2);
    let rows = t.store.cannot_links_of(&["case-a".to_owned()]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].case_id_a.as_str(), rows[0].case_id_b.as_str()), ("case-a", "case-b"));
    assert_eq!((rows[0].recorded_by.as_str(), rows[0].recorded_at), ("usr-officer", T0 + 10));
    // a pair with itself or with a case that does not exist is refused, writing nothing
    assert!(t.store.add_cannot_link("case-a", "case-a", "usr-officer", T0, &answer("a", "a")).await.is_err());
    assert_not_found(t.store.add_cannot_link("case-a", "case-z", "usr-officer", T0, &answer("a", "z")).await);
    assert_eq!(t.head_seq().await, seq + 2);
    t.assert_chain(u64::try_from(seq).unwrap() + 2).await;
}

async fn cannot_links_are_found_from_either_side(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c", "case-d"]).await;
    let answer = event(ANSWERED).on("case", "pair", None);
    for (a, b) in [("case-a", "case-b"), ("case-c", "case-b"), ("case-d", "case-c")] {
        t.store.add_cannot_link(a, b, "usr-officer", T0, &answer).await.unwrap();
    }
    let pairs = |rows: Vec<haven_storage::CannotLinkRow>| {
        rows.into_iter().map(|r| format!("{}~{}", r.case_id_a, r.case_id_b)).collect::<Vec<_>>()
    };
    assert_eq!(
        pairs(t.store.cannot_links_of(&["case-b".to_owned()]).await.unwrap()),
        ["case-a~case-b", "case-b~case-c"]
    );
    // a pair found from both of its cases is given once
    assert_eq!(
        pairs(t.store.cannot_links_of(&["case-c".to_owned(), "case-d".to_owned()]).await.unwrap()),
        ["case-b~case-c", "case-c~case-d"]
    );
    assert!(t.store.cannot_links_of(&[]).await.unwrap().is_empty());
    // the answers are part of the backup
    assert!(String::from_utf8(t.dump().await).unwrap().contains("\"person_cannot_links\""));
}

/// Rows in every table of migration 0010 (for the backup round trip): case-1 and case-9 exist.
pub(crate) async fn fill_persons(t: &TestStore) {
    let answer = event(ANSWERED).on("case", "case-1,case-9", None);
    t.store.add_cannot_link("case-9", "case-1", "usr-officer", T0, &answer).await.unwrap();
    let change = PersonClusterChange {
        cases: vec!["case-9".into()],
        read: vec![],
        cannot_links: vec![("case-1".into(), "case-9".into())],
        assign: vec![("case-9".into(), PersonRef::New(0))],
        merges: vec![("P000000007".into(), PersonRef::New(0))],
        basis: vec![3; 32],
        at: T0,
        cause: "registration",
        ..PersonClusterChange::default()
    };
    assert!(t.store.apply_person_clusters(&change).await.unwrap());
    t.store.start_linkage_job(&job("job-1", T0)).await.unwrap();
    t.store.start_linkage_job(&job("job-2", T0 + 1)).await.unwrap();
    t.store.end_linkage_job("job-1", "done", T0 + 5, "persons=1").await.unwrap();
}

fn job(id: &str, at: i64) -> LinkageJobRow {
    LinkageJobRow {
        id: id.into(),
        kind: "relink".into(),
        state: "running".into(),
        basis: vec![3; 32],
        done: 0,
        total: 1,
        started_at: at,
        ended_at: None,
        started_by: None,
        detail: None,
        heartbeat_at: None,
    }
}

fn s(v: &str) -> String {
    v.to_owned()
}

fn change(
    cases: &[&str],
    persons: &[&str],
    read: &[(String, String)],
    assign: &[(&str, PersonRef)],
) -> PersonClusterChange {
    PersonClusterChange {
        cases: cases.iter().map(|c| s(c)).collect(),
        persons: persons.iter().map(|p| s(p)).collect(),
        read: read.to_vec(),
        cannot_links: vec![],
        assign: assign.iter().map(|(c, p)| (s(c), p.clone())).collect(),
        merges: vec![],
        basis: vec![1; 32],
        at: T0,
        cause: "registration",
    }
}

async fn rows(t: &TestStore) -> Vec<(String, String)> {
    t.store.all_person_rows().await.unwrap()
}

async fn a_change_of_clusters_is_written_only_over_what_it_read(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"]).await;
    let first = change(&["case-a"], &[], &[], &[("case-a", PersonRef::New(0))]);
    assert!(t.store.apply_person_clusters(&first).await.unwrap());
    assert_eq!(rows(&t).await, [(s("case-a"), s("P000000001"))]);
    // the same change again: case-a has a person now, so it was computed from a stale reading
    assert!(!t.store.apply_person_clusters(&first).await.unwrap());
    // case-b joins P000000001: read with its members
    let read = t.store.person_rows_touching(&[s("case-b")], &[s("P000000001")]).await.unwrap();
    assert_eq!(read, [(s("case-a"), s("P000000001"))]);
    let join = change(&["case-b"], &["P000000001"], &read, &[("case-b", PersonRef::Existing(s("P000000001")))]);
    // a cannot-link answered meanwhile makes the reading stale too
    let answer = event(ANSWERED).on("case", "pair", None);
    t.store.add_cannot_link("case-b", "case-c", "usr-officer", T0, &answer).await.unwrap();
    assert!(!t.store.apply_person_clusters(&join).await.unwrap());
    let pairs = t.store.cannot_link_pairs(&[s("case-b")]).await.unwrap();
    assert_eq!(pairs, [(s("case-b"), s("case-c"))]);
    let join = PersonClusterChange { cannot_links: pairs, ..join };
    assert!(t.store.apply_person_clusters(&join).await.unwrap());
    assert_eq!(rows(&t).await, [(s("case-a"), s("P000000001")), (s("case-b"), s("P000000001"))]);
    let in_lv = t.store.person_ids_in("LV").await.unwrap();
    assert_eq!(in_lv.iter().map(|r| r.case_id.as_str()).collect::<Vec<_>>(), ["case-a", "case-b"]);
    assert_eq!(in_lv[0].basis, vec![1; 32]);
    assert!(t.store.person_ids_in("EE").await.unwrap().is_empty());
    assert_eq!(t.store.unclustered_cases(10).await.unwrap(), ["case-c"]);
}

async fn new_person_ids_follow_every_id_given_and_merged_ids_resolve(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"]).await;
    let two = change(&["case-a", "case-b"], &[], &[], &[("case-a", PersonRef::New(0)), ("case-b", PersonRef::New(1))]);
    assert!(t.store.apply_person_clusters(&two).await.unwrap());
    // case-c links the two: one person, the older id survives and the other is merged into it
    let read = t.store.person_rows_touching(&[s("case-c"), s("case-a"), s("case-b")], &[]).await.unwrap();
    let mut merge = change(
        &["case-a", "case-b", "case-c"],
        &["P000000001", "P000000002"],
        &read,
        &[("case-b", PersonRef::Existing(s("P000000001"))), ("case-c", PersonRef::Existing(s("P000000001")))],
    );
    merge.merges = vec![(s("P000000002"), PersonRef::Existing(s("P000000001")))];
    assert!(t.store.apply_person_clusters(&merge).await.unwrap());
    assert_eq!(t.store.resolve_person_id("P000000002").await.unwrap(), Some(s("P000000001")));
    assert_eq!(t.store.resolve_person_id("P000000001").await.unwrap(), Some(s("P000000001")));
    assert_eq!(t.store.resolve_person_id("P000000099").await.unwrap(), None);
    // a split: the new id comes after every id given, the merged one included
    let read = t.store.person_rows_touching(&[s("case-c")], &[s("P000000001")]).await.unwrap();
    let split = change(&["case-c"], &["P000000001"], &read, &[("case-c", PersonRef::New(0))]);
    assert!(t.store.apply_person_clusters(&split).await.unwrap());
    assert_eq!(
        rows(&t).await,
        [(s("case-a"), s("P000000001")), (s("case-b"), s("P000000001")), (s("case-c"), s("P000000003"))]
    );
}

async fn concurrent_changes_from_one_reading_write_once(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"]).await;
    assert!(
        t.store.apply_person_clusters(&change(&["case-a"], &[], &[], &[("case-a", PersonRef::New(0))])).await.unwrap()
    );
    // two writers read the same person and each adds its own registration to it
    let read = t.store.person_rows_touching(&[], &[s("P000000001")]).await.unwrap();
    let mut handles = Vec::new();
    for case_id in ["case-b", "case-c"] {
        let store = t.store.clone();
        let c = change(&[case_id], &["P000000001"], &read, &[(case_id, PersonRef::Existing(s("P000000001")))]);
        handles.push(tokio::spawn(async move { store.apply_person_clusters(&c).await.unwrap() }));
    }
    let mut written = 0;
    for h in handles {
        written += usize::from(h.await.unwrap());
    }
    assert_eq!(written, 1, "the second writer read a person that has changed since");
    assert_eq!(rows(&t).await.len(), 2);
}

async fn a_relink_replaces_at_once_and_names_what_changed_meanwhile(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"]).await;
    let two = change(&["case-a", "case-b"], &[], &[], &[("case-a", PersonRef::New(0)), ("case-b", PersonRef::New(1))]);
    assert!(t.store.apply_person_clusters(&two).await.unwrap());
    let read = t.store.all_person_rows().await.unwrap();
    // meanwhile case-c is clustered and case-b moves
    let moving = t.store.person_rows_touching(&[s("case-c"), s("case-b")], &[]).await.unwrap();
    let c =
        change(&["case-c", "case-b"], &[], &moving, &[("case-c", PersonRef::New(0)), ("case-b", PersonRef::New(0))]);
    assert!(t.store.apply_person_clusters(&c).await.unwrap());
    let mut relink = change(&["case-a", "case-b"], &[], &read, &[("case-b", PersonRef::Existing(s("P000000001")))]);
    relink.cause = "relink";
    relink.merges = vec![(s("P000000002"), PersonRef::Existing(s("P000000001")))];
    assert_eq!(t.store.replace_person_clusters(&relink).await.unwrap(), Some(vec![s("case-b")]));
    assert_eq!(
        rows(&t).await,
        [(s("case-a"), s("P000000001")), (s("case-b"), s("P000000001")), (s("case-c"), s("P000000003"))]
    );
    // an answer recorded since the re-link read them: nothing is written
    let answer = event(ANSWERED).on("case", "pair", None);
    t.store.add_cannot_link("case-a", "case-b", "usr-officer", T0, &answer).await.unwrap();
    let undo = change(&["case-a"], &[], &read, &[("case-a", PersonRef::New(0))]);
    assert_eq!(t.store.replace_person_clusters(&undo).await.unwrap(), None);
    assert_eq!(t.store.all_cannot_link_pairs().await.unwrap(), [(s("case-a"), s("case-b"))]);
    assert_eq!(rows(&t).await[0], (s("case-a"), s("P000000001")));
}

async fn linkage_jobs_record_progress_and_end_once(t: TestStore) {
    t.store.start_linkage_job(&job("job-1", T0)).await.unwrap();
    t.store.linkage_job_progress("job-1", 5, 10).await.unwrap();
    let j = t.store.linkage_job("job-1").await.unwrap().unwrap();
    assert_eq!((j.state.as_str(), j.done, j.total, j.ended_at), ("running", 5, 10, None));
    t.store.end_linkage_job("job-1", "done", T0 + 9, "persons=3").await.unwrap();
    // an ended job keeps its end
    t.store.end_linkage_job("job-1", "failed", T0 + 10, "late").await.unwrap();
    t.store.linkage_job_progress("job-1", 1, 10).await.unwrap();
    let j = t.store.linkage_job("job-1").await.unwrap().unwrap();
    assert_eq!(
        (j.state.as_str(), j.done, j.ended_at, j.detail.as_deref()),
        ("done", 5, Some(T0 + 9), Some("persons=3"))
    );
    t.store.start_linkage_job(&job("job-2", T0 + 1)).await.unwrap();
    let all = t.store.linkage_jobs(10).await.unwrap();
    assert_eq!(all.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(), ["job-2", "job-1"]);
    assert!(t.store.linkage_job("job-3").await.unwrap().is_none());
}
