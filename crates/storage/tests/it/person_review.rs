//! The person review's tables (migration 0011): answers kept with their audit entry, the scored
//! candidate pairs replaced whole per jurisdiction, the instance's model versions, whether
//! registrations were saved since the pairs were scored, and re-link jobs left running by a
//! stopped process ended at start-up.

use crate::ident::{register, registration};
use crate::support::{T0, TestStore, World, case, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{LinkageJobRow, PersonModelRow, ReviewAnswerRow, ReviewPairRow};

contract_tests!(
    answers_are_kept_per_jurisdiction_in_order_with_their_audit_entry,
    an_answer_about_a_pair_in_the_wrong_order_or_of_an_unknown_case_is_refused,
    scored_pairs_are_replaced_whole_per_jurisdiction,
    registrations_saved_since_the_scoring_are_counted,
    model_versions_count_up_and_the_latest_is_read,
    running_linkage_jobs_are_failed_with_the_reason_and_ended_ones_left_alone,
    cases_are_read_with_the_time_they_were_created_per_jurisdiction_or_all,
);

/// Referred registrations `ids` of the NGO, in Latvia or `country`, saved at `at`.
async fn registered(t: &TestStore, w: &World, ids: &[&str], country: &str, at: i64) {
    for id in ids {
        let c = case(id, &format!("{country}-{id}"), &w.ngo.id, &w.caseworker.id, country, at);
        let mut reg = registration(id, true, &w.caseworker.id, "2026-01-05");
        reg.updated_at = at;
        register(t, &c, &reg, 1).await;
    }
}

fn answer(id: &str, j: &str, a: &str, b: &str, answer: &str, at: i64) -> ReviewAnswerRow {
    ReviewAnswerRow {
        id: id.into(),
        jurisdiction: j.into(),
        case_id_a: a.into(),
        case_id_b: b.into(),
        answer: answer.into(),
        question: "uncertain".into(),
        weight_micro: -1_250_000,
        answered_by: "usr-officer".into(),
        answered_at: at,
    }
}

fn pair(a: &str, b: &str, weight_micro: i64, version: i64) -> ReviewPairRow {
    ReviewPairRow {
        case_id_a: a.into(),
        case_id_b: b.into(),
        weight_micro,
        pattern: -(1 << 40),
        rules: 5,
        model_version: version,
    }
}

fn model(j: &str, at: i64) -> PersonModelRow {
    PersonModelRow {
        version: 0,
        jurisdiction: j.into(),
        model: "[settings]\n".into(),
        basis: r#"{"records":3}"#.into(),
        threshold_before_nano: 900_000_000,
        threshold_after_nano: 812_500_000,
        warnings: "[]".into(),
        created_by: "usr-officer".into(),
        created_at: at,
    }
}

async fn answers_are_kept_per_jurisdiction_in_order_with_their_audit_entry(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"], "LV", T0).await;
    registered(&t, &w, &["case-x", "case-y"], "EE", T0).await;
    let seq = t.head_seq().await;
    let audit = event(AuditAction::PersonPairAnswered).on("case", "case-a", None);
    // later answers first in time order, whatever the order they arrive in
    t.store
        .record_review_answer(&answer("ans-2", "LV", "case-a", "case-b", "different", T0 + 20), &audit)
        .await
        .unwrap();
    t.store.record_review_answer(&answer("ans-1", "LV", "case-a", "case-b", "same", T0 + 10), &audit).await.unwrap();
    t.store.record_review_answer(&answer("ans-3", "LV", "case-b", "case-c", "unsure", T0 + 30), &audit).await.unwrap();
    t.store.record_review_answer(&answer("ans-4", "EE", "case-x", "case-y", "same", T0 + 5), &audit).await.unwrap();
    assert_eq!(t.head_seq().await, seq + 4, "one audit entry per answer");
    t.assert_chain(u64::try_from(seq).unwrap() + 4).await;
    let lv = t.store.review_answers("LV").await.unwrap();
    let got: Vec<(&str, &str)> = lv.iter().map(|r| (r.id.as_str(), r.answer.as_str())).collect();
    assert_eq!(got, [("ans-1", "same"), ("ans-2", "different"), ("ans-3", "unsure")]);
    assert_eq!(lv[1], answer("ans-2", "LV", "case-a", "case-b", "different", T0 + 20), "every column kept");
    assert_eq!(t.store.review_answers("EE").await.unwrap().len(), 1);
    assert!(t.store.review_answers("LT").await.unwrap().is_empty());
}

async fn an_answer_about_a_pair_in_the_wrong_order_or_of_an_unknown_case_is_refused(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b"], "LV", T0).await;
    let seq = t.head_seq().await;
    let audit = event(AuditAction::PersonPairAnswered).on("case", "case-a", None);
    for bad in [
        answer("ans-1", "LV", "case-b", "case-a", "same", T0),
        answer("ans-2", "LV", "case-a", "case-a", "same", T0),
        answer("ans-3", "LV", "case-a", "case-z", "same", T0),
        answer("ans-4", "LV", "case-a", "case-b", "maybe", T0),
    ] {
        assert!(t.store.record_review_answer(&bad, &audit).await.is_err(), "{bad:?}");
    }
    assert!(t.store.review_answers("LV").await.unwrap().is_empty());
    assert_eq!(t.head_seq().await, seq, "nothing audited for what was not kept");
}

async fn scored_pairs_are_replaced_whole_per_jurisdiction(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b", "case-c"], "LV", T0).await;
    registered(&t, &w, &["case-x", "case-y"], "EE", T0).await;
    let lv = vec![pair("case-b", "case-c", 3_500_000, 0), pair("case-a", "case-b", -2_000_000, 0)];
    t.store.replace_review_pairs("LV", T0 + 100, &lv).await.unwrap();
    t.store.replace_review_pairs("EE", T0 + 100, &[pair("case-x", "case-y", 1, 0)]).await.unwrap();
    let got = t.store.review_pairs("LV").await.unwrap();
    assert_eq!(got, vec![lv[1].clone(), lv[0].clone()], "by case ids, every column kept");
    // scored again under model 2: the old pairs go, the other jurisdiction's stay
    t.store.replace_review_pairs("LV", T0 + 200, &[pair("case-a", "case-c", 42, 2)]).await.unwrap();
    assert_eq!(t.store.review_pairs("LV").await.unwrap(), vec![pair("case-a", "case-c", 42, 2)]);
    assert_eq!(t.store.review_pairs("EE").await.unwrap().len(), 1);
    // a pair twice, or in the wrong order: refused, and what was kept stays
    assert!(
        t.store
            .replace_review_pairs("LV", T0 + 300, &[pair("case-a", "case-b", 1, 3), pair("case-a", "case-b", 2, 3)])
            .await
            .is_err()
    );
    assert!(t.store.replace_review_pairs("LV", T0 + 300, &[pair("case-c", "case-a", 1, 3)]).await.is_err());
    assert_eq!(t.store.review_pairs("LV").await.unwrap(), vec![pair("case-a", "case-c", 42, 2)]);
    t.store.replace_review_pairs("LV", T0 + 400, &[]).await.unwrap();
    assert!(t.store.review_pairs("LV").await.unwrap().is_empty());
}

async fn registrations_saved_since_the_scoring_are_counted(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b"], "LV", T0).await;
    // nothing scored yet: nothing to compare with
    assert_eq!(t.store.registrations_saved_since_scoring("LV").await.unwrap(), 0);
    t.store.replace_review_pairs("LV", T0 + 100, &[pair("case-a", "case-b", 1, 0)]).await.unwrap();
    assert_eq!(t.store.registrations_saved_since_scoring("LV").await.unwrap(), 0);
    // one new in Latvia, one in Estonia: only Latvia's counts for Latvia's pairs
    registered(&t, &w, &["case-c"], "LV", T0 + 150).await;
    registered(&t, &w, &["case-x"], "EE", T0 + 150).await;
    assert_eq!(t.store.registrations_saved_since_scoring("LV").await.unwrap(), 1);
    // saved in the second of the scoring: counted (it may have come after)
    registered(&t, &w, &["case-d"], "LV", T0 + 100).await;
    assert_eq!(t.store.registrations_saved_since_scoring("LV").await.unwrap(), 2);
    // scored again after them: none
    t.store.replace_review_pairs("LV", T0 + 200, &[pair("case-a", "case-b", 1, 0)]).await.unwrap();
    assert_eq!(t.store.registrations_saved_since_scoring("LV").await.unwrap(), 0);
}

/// The day a case was created is the day its registration's age estimate was recorded on.
async fn cases_are_read_with_the_time_they_were_created_per_jurisdiction_or_all(t: TestStore) {
    let w = seed(&t).await;
    registered(&t, &w, &["case-a", "case-b"], "LV", T0).await;
    registered(&t, &w, &["case-c"], "LV", T0 + 86_400).await;
    registered(&t, &w, &["case-x"], "EE", T0 + 60).await;
    let lv = t.store.case_created_at(Some("LV")).await.unwrap();
    let want: std::collections::HashMap<String, i64> =
        [("case-a", T0), ("case-b", T0), ("case-c", T0 + 86_400)].map(|(c, at)| (c.to_owned(), at)).into();
    assert_eq!(lv, want);
    let all = t.store.case_created_at(None).await.unwrap();
    assert!(want.iter().all(|(c, at)| all.get(c) == Some(at)));
    assert_eq!(all.get("case-x"), Some(&(T0 + 60)));
    assert!(t.store.case_created_at(Some("LT")).await.unwrap().is_empty());
}

async fn model_versions_count_up_and_the_latest_is_read(t: TestStore) {
    seed(&t).await;
    assert!(t.store.latest_person_model().await.unwrap().is_none());
    let seq = t.head_seq().await;
    let audit = event(AuditAction::PersonModelRetrained).on("person_model", "LV", None);
    assert_eq!(t.store.save_person_model(&model("LV", T0), &audit).await.unwrap(), 1);
    let mut second = model("EE", T0 + 60);
    second.model = "[settings]\n# second\n".into();
    assert_eq!(t.store.save_person_model(&second, &audit).await.unwrap(), 2, "one numbering for the instance");
    assert_eq!(t.head_seq().await, seq + 2);
    let latest = t.store.latest_person_model().await.unwrap().unwrap();
    assert_eq!(latest, PersonModelRow { version: 2, ..second });
}

async fn running_linkage_jobs_are_failed_with_the_reason_and_ended_ones_left_alone(t: TestStore) {
    seed(&t).await;
    let job = |id: &str, at: i64| LinkageJobRow {
        id: id.into(),
        kind: "relink".into(),
        state: "running".into(),
        basis: vec![7; 32],
        done: 10,
        total: 40,
        started_at: at,
        ended_at: None,
        started_by: None,
        detail: None,
        heartbeat_at: None,
    };
    for (id, at) in [("job-done", T0), ("job-left", T0 + 10), ("job-left-too", T0 + 5)] {
        t.store.start_linkage_job(&job(id, at)).await.unwrap();
    }
    t.store.end_linkage_job("job-done", "done", T0 + 1, "persons=3").await.unwrap();
    // a job whose process still beats (another server on the database) is not touched
    let beating = LinkageJobRow { heartbeat_at: Some(T0 + 95), ..job("job-beating", T0) };
    t.store.start_linkage_job(&beating).await.unwrap();
    t.store.linkage_job_heartbeat("job-beating", T0 + 99).await.unwrap();
    let ended = t.store.fail_running_linkage_jobs(T0 + 100, "interrupted", T0 + 98).await.unwrap();
    assert_eq!(ended, ["job-left-too", "job-left"], "oldest first");
    for id in ["job-left", "job-left-too"] {
        let row = t.store.linkage_job(id).await.unwrap().unwrap();
        assert_eq!(
            (row.state.as_str(), row.ended_at, row.detail.as_deref()),
            ("failed", Some(T0 + 100), Some("interrupted"))
        );
        assert_eq!((row.done, row.total), (10, 40), "progress kept");
    }
    let done = t.store.linkage_job("job-done").await.unwrap().unwrap();
    assert_eq!((done.state.as_str(), done.detail.as_deref()), ("done", Some("persons=3")));
    let beating = t.store.linkage_job("job-beating").await.unwrap().unwrap();
    assert_eq!((beating.state.as_str(), beating.heartbeat_at), ("running", Some(T0 + 99)));
    // once its heartbeat is older than the limit, it is failed too
    assert_eq!(t.store.fail_running_linkage_jobs(T0 + 300, "interrupted", T0 + 200).await.unwrap(), ["job-beating"]);
    // the failed ones end once: a late end from their process changes nothing
    t.store.end_linkage_job("job-left", "done", T0 + 200, "persons=9").await.unwrap();
    assert_eq!(t.store.linkage_job("job-left").await.unwrap().unwrap().state, "failed");
    assert!(t.store.fail_running_linkage_jobs(T0 + 300, "interrupted", T0 + 300).await.unwrap().is_empty());
}
