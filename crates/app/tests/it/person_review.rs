//! The person register's clerical review in the platform: who may review, answers kept and
//! audited, "different" kept apart, and a model re-trained on the instance's own records that
//! links better than the cold start.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use haven_app::person_review::{Answer, INTERRUPTED, RetrainOutcome, ReviewQuestion};
use haven_app::{App, AppSettings, FixedClock};
use haven_app::{AppError, Principal};
use haven_crypto::MasterKey;
use haven_domain::ident::record::Registration;
use haven_storage::LinkageJobRow;
use haven_storage::Store;

use crate::common::{self, Database, NOW, bare_registration, organisation, user};

struct World {
    app: App,
    _db: Database,
    officer: Principal,
    caseworker: Principal,
    rapporteur: Principal,
    foreign_officer: Principal,
}

async fn world() -> World {
    let (app, db) = common::sqlite_app().await;
    let ca = organisation(&app, "Competent Authority", "competent_authority", "LV").await;
    let ngo = organisation(&app, "NGO A", "ngo", "LV").await;
    let rapporteur_org = organisation(&app, "Rapporteur", "national_rapporteur", "LV").await;
    let ee = organisation(&app, "Estonian Authority", "competent_authority", "EE").await;
    World {
        officer: user(&app, "data.officer", &ca, "data_officer").await,
        caseworker: user(&app, "case.worker", &ngo, "caseworker").await,
        rapporteur: user(&app, "rapporteur", &rapporteur_org, "rapporteur").await,
        foreign_officer: user(&app, "ee.officer", &ee, "data_officer").await,
        app,
        _db: db,
    }
}

fn registration(given: &str, family: &str, dob: Option<&str>) -> Registration {
    common::registration(given, family, dob, None)
}

/// Registers `regs` through the caseworker; returns the case ids in order.
async fn register(w: &World, regs: Vec<Registration>) -> Vec<String> {
    let mut ids = Vec::new();
    for r in regs {
        ids.push(w.app.create_registration(&w.caseworker, r).await.unwrap().id);
    }
    ids
}

async fn audit_detail_count(w: &World, action: &str, needle: &str) -> i64 {
    common::audit_detail_count(&w.app, action, needle).await
}

#[tokio::test]
async fn only_a_data_officer_of_the_jurisdiction_reviews() {
    let w = world().await;
    let ids =
        register(&w, vec![registration("Olena", "Kovalenko", None), registration("Olena", "Kovalenko", None)]).await;
    for p in [&w.caseworker, &w.rapporteur] {
        assert!(matches!(w.app.person_review_queue(p, 5).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.retrain_person_model(p).await, Err(AppError::Forbidden)));
        assert!(matches!(
            w.app.answer_review(p, &ids[0], &ids[1], Answer::Same, ReviewQuestion::Uncertain).await,
            Err(AppError::Forbidden)
        ));
    }
    // The Latvian officer is asked about the pair; the Estonian one sees nothing of Latvia.
    let queue = w.app.person_review_queue(&w.officer, 5).await.unwrap();
    assert_eq!(queue.pairs.len(), 1, "{queue:?}");
    let foreign = w.app.person_review_queue(&w.foreign_officer, 5).await.unwrap();
    assert!(foreign.pairs.is_empty() && foreign.progress.candidate_pairs == 0, "{foreign:?}");
    assert!(matches!(
        w.app.answer_review(&w.foreign_officer, &ids[0], &ids[1], Answer::Same, ReviewQuestion::Uncertain).await,
        Err(AppError::Forbidden)
    ));
    assert!(w.app.review_answers_count(&w).await == 0);
}

trait Count {
    async fn review_answers_count(&self, w: &World) -> i64;
}

impl Count for App {
    async fn review_answers_count(&self, _w: &World) -> i64 {
        self.store().count_unchecked("SELECT COUNT(*) FROM person_review_answers").await.unwrap()
    }
}

#[tokio::test]
async fn a_pair_shown_is_audited_as_a_read_of_both_cases_and_answers_are_kept_and_audited() {
    let w = world().await;
    let ids = register(
        &w,
        vec![registration("Olena", "Kovalenko", None), registration("Olena", "Kovalenko", Some("1990-05-01"))],
    )
    .await;
    let queue = w.app.person_review_queue(&w.officer, 5).await.unwrap();
    let pair = &queue.pairs[0];
    let shown: BTreeSet<&str> = [pair.case_a.as_str(), pair.case_b.as_str()].into();
    assert_eq!(shown, ids.iter().map(String::as_str).collect());
    // The fields linkage compares, both sides, with their weights.
    let given = pair.fields.iter().find(|f| f.reason.field == "given_names").unwrap();
    assert_eq!((given.value_a.as_str(), given.value_b.as_str()), ("Olena", "Olena"));
    assert!(given.reason.weight > 0.0, "{given:?}");
    let dob = pair.fields.iter().find(|f| f.reason.field == "date_of_birth").unwrap();
    assert_eq!(dob.reason.level, "missing");
    for id in &ids {
        let reads = w
            .app
            .store()
            .count_unchecked(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'case_read' AND target_id = '{id}' \
                 AND detail LIKE 'person_review%'"
            ))
            .await
            .unwrap();
        assert_eq!(reads, 1, "case {id}");
    }
    let progress =
        w.app.answer_review(&w.officer, &ids[1], &ids[0], Answer::Same, ReviewQuestion::Uncertain).await.unwrap();
    assert_eq!((progress.same, progress.answered()), (1, 1));
    assert_eq!(audit_detail_count(&w, "person_pair_answered", "answer=same").await, 1);
    let stored = w
        .app
        .store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM person_review_answers WHERE answered_at = 1780000000 AND answer = 'same' \
             AND answered_by = '{}'",
            w.officer.user.id
        ))
        .await
        .unwrap();
    assert_eq!(stored, 1);
    // Answered: not asked again.
    assert!(w.app.person_review_queue(&w.officer, 5).await.unwrap().pairs.is_empty());
    // A pair of one registration with itself is no pair.
    assert!(w.app.answer_review(&w.officer, &ids[0], &ids[0], Answer::Same, ReviewQuestion::Uncertain).await.is_err());
}

#[tokio::test]
async fn different_keeps_a_pair_apart() {
    let w = world().await;
    let ids = register(
        &w,
        vec![
            registration("Olena", "Kovalenko", Some("1990-05-01")),
            registration("Olena", "Kovalenko", Some("1990-05-01")),
        ],
    )
    .await;
    let (a, b) = if ids[0] < ids[1] { (ids[0].clone(), ids[1].clone()) } else { (ids[1].clone(), ids[0].clone()) };
    assert_eq!(w.app.review_linked_pairs(&w.officer).await.unwrap(), vec![(a.clone(), b.clone())]);
    w.app.answer_review(&w.officer, &a, &b, Answer::Different, ReviewQuestion::Uncertain).await.unwrap();
    assert!(w.app.review_linked_pairs(&w.officer).await.unwrap().is_empty());
    // And after re-training, still apart.
    w.app.retrain_person_model(&w.officer).await.unwrap();
    assert!(w.app.review_linked_pairs(&w.officer).await.unwrap().is_empty());
}

#[tokio::test]
async fn same_joins_the_two_registrations_in_one_person_at_once() {
    let w = world().await;
    // The names alone: the cold-start model keeps them apart (0.895 < 0.9).
    let a = common::refer(&w.app, &w.caseworker, bare_registration("Olena", "Kovalenko", None)).await;
    let b = common::refer(&w.app, &w.caseworker, bare_registration("Olena", "Kovalenko", None)).await;
    let person = |id: String| {
        let app = w.app.clone();
        async move { app.person_id_of(&id).await.unwrap() }
    };
    assert!(person(a.clone()).await.is_some());
    assert_ne!(person(a.clone()).await, person(b.clone()).await);
    let (x, y) = if a < b { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
    w.app.answer_review(&w.officer, &x, &y, Answer::Same, ReviewQuestion::Uncertain).await.unwrap();
    assert_eq!(person(a).await, person(b).await, "one person without waiting for a re-link");
}

/// A generated instance: `persons` people, each registered two or three times by different
/// agencies with their names only (a date of birth on one registration of every third person).
/// The cold-start model keeps apart records that agree on the names alone (0.895 < 0.9), which
/// on this register are always one person.
fn generated(persons: usize) -> (Vec<Registration>, Vec<usize>) {
    let given = ["Olena", "Iryna", "Natalia", "Oksana", "Svitlana", "Tetiana", "Yulia", "Halyna", "Larysa", "Maryna"];
    let family = [
        "Kovalenko",
        "Bondarenko",
        "Tkachenko",
        "Kravchenko",
        "Oliynyk",
        "Shevchuk",
        "Polishchuk",
        "Lysenko",
        "Marchenko",
        "Rudenko",
        "Savchenko",
        "Petrenko",
    ];
    let mut regs = Vec::new();
    let mut truth = Vec::new();
    for p in 0..persons {
        let g = given[p % given.len()];
        let f = family[(p / given.len() + p * 7) % family.len()];
        let copies = 2 + p % 2;
        for c in 0..copies {
            let dob = (c == 0 && p % 3 == 0).then(|| format!("19{:02}-0{}-1{}", 70 + p % 30, 1 + p % 9, p % 10));
            regs.push(bare_registration(g, f, dob.as_deref()));
            truth.push(p);
        }
    }
    (regs, truth)
}

fn pair_f1(linked: &[(String, String)], person_of: &BTreeMap<String, usize>) -> f64 {
    let ids: Vec<&String> = person_of.keys().collect();
    let mut true_pairs = BTreeSet::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            if person_of[*a] == person_of[*b] {
                true_pairs.insert(((*a).clone(), (*b).clone()));
            }
        }
    }
    let predicted: BTreeSet<(String, String)> = linked.iter().cloned().collect();
    let tp = predicted.intersection(&true_pairs).count() as f64;
    if tp == 0.0 {
        return 0.0;
    }
    let (precision, recall) = (tp / predicted.len() as f64, tp / true_pairs.len() as f64);
    2.0 * precision * recall / (precision + recall)
}

#[tokio::test]
async fn answers_and_retraining_on_the_instances_records_improve_on_the_cold_start() {
    let w = world().await;
    let (regs, truth) = generated(40);
    let ids = register(&w, regs).await;
    let person_of: BTreeMap<String, usize> = ids.iter().cloned().zip(truth).collect();
    let before = pair_f1(&w.app.review_linked_pairs(&w.officer).await.unwrap(), &person_of);
    let cold = w.app.person_review_queue(&w.officer, 1).await.unwrap().model;
    assert_eq!(cold.version, 0);
    // Answer the pairs the queue asks, as the truth says, up to twenty.
    let mut asked = 0;
    while asked < 20 {
        let queue = w.app.person_review_queue(&w.officer, 1).await.unwrap();
        let Some(pair) = queue.pairs.first() else { break };
        let answer = if person_of[&pair.case_a] == person_of[&pair.case_b] { Answer::Same } else { Answer::Different };
        w.app.answer_review(&w.officer, &pair.case_a, &pair.case_b, answer, pair.question).await.unwrap();
        asked += 1;
    }
    assert!(asked >= 5, "the queue asked only {asked} pairs");
    let RetrainOutcome::Trained(report) = w.app.retrain_person_model(&w.officer).await.unwrap() else {
        panic!("nothing trained")
    };
    assert_eq!(report.version, 1);
    assert_eq!(report.records, ids.len());
    assert!(report.same + report.different >= 5, "{report:?}");
    assert!((report.threshold_before - cold.threshold).abs() < 1e-9);
    // Names alone were always one person here: the answers move the threshold below them.
    assert!(report.threshold_after < report.threshold_before, "{report:?}");
    let in_use = w.app.person_review_queue(&w.officer, 1).await.unwrap().model;
    assert_eq!(in_use.version, 1);
    assert!((in_use.threshold - report.threshold_after).abs() < 1e-6, "{in_use:?} {report:?}");
    let after = pair_f1(&w.app.review_linked_pairs(&w.officer).await.unwrap(), &person_of);
    assert!(after > before + 0.1, "pair F1 {before:.3} -> {after:.3}");
    assert_eq!(audit_detail_count(&w, "person_model_retrained", "records=").await, 1);
    // The stored model is the one the platform takes at start-up.
    let stored = w.app.store().latest_person_model().await.unwrap().unwrap();
    assert!(stored.model.contains("[parameters]") || stored.model.contains("parameters"), "a trained model");
    // (an App as a new start has it: the reference data's model in use)
    let app = w.app.clone().with_reference(haven_app::ident::Reference::defaults().unwrap());
    assert!((app.person_model().cluster_threshold() - cold.threshold).abs() < 1e-9);
    let app = app.with_instance_person_model().await.unwrap();
    assert!((app.person_model().cluster_threshold() - report.threshold_after).abs() < 1e-6);
    // and the cold start stays the reference data's, for the next re-training
    assert!((app.reference().person_model.cluster_threshold() - cold.threshold).abs() < 1e-9);
}

/// Waits for a re-link job to end (the background task runs while this awaits).
async fn ended(w: &World, id: &str) -> haven_app::ident::RelinkJob {
    for _ in 0..600 {
        let job = w.app.relink_job_for(&w.officer, id).await.unwrap();
        if job.state != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the re-link {id} did not end")
}

#[tokio::test]
async fn a_relink_left_running_by_a_stopped_process_is_failed_at_start_up_so_a_new_one_starts() {
    let w = world().await;
    let ids = register(&w, vec![registration("Olena", "Kovalenko", None)]).await;
    w.app.submit_registration(&w.caseworker, &ids[0], 1).await.unwrap();
    // What a killed process leaves: the job's row still `running`, nothing to end it.
    let left = LinkageJobRow {
        id: "job-killed".into(),
        kind: "relink".into(),
        state: "running".into(),
        basis: vec![1, 2, 3],
        done: 1,
        total: 5,
        started_at: NOW - 3600,
        ended_at: None,
        started_by: None,
        detail: None,
        heartbeat_at: None,
    };
    w.app.store().start_linkage_job(&left).await.unwrap();
    // It shows as running ...
    assert!(w.app.relink_jobs_for(&w.officer, 20).await.unwrap().running);
    // ... until the start-up marks it failed, with the reason (it has no heartbeat and started
    // long ago).
    assert_eq!(w.app.fail_interrupted_relinks().await.unwrap(), vec!["job-killed".to_owned()]);
    let job = w.app.relink_job_for(&w.officer, "job-killed").await.unwrap();
    assert_eq!(job.state, "failed");
    assert_eq!(job.detail.as_deref(), Some(INTERRUPTED));
    assert_eq!(job.ended_at, Some(NOW));
    assert_eq!((job.done, job.total), (1, 5), "its progress stays as it was");
    assert!(!w.app.relink_jobs_for(&w.officer, 20).await.unwrap().running);
    let started = w.app.start_relink_for(&w.officer, true).await.unwrap();
    let done = ended(&w, &started.id).await;
    assert_eq!(done.state, "done", "{done:?}");
    // A second start-up finds nothing running: the finished job is left alone.
    assert!(w.app.fail_interrupted_relinks().await.unwrap().is_empty());
    assert_eq!(w.app.relink_job_for(&w.officer, &started.id).await.unwrap().state, "done");
}

/// An App on a fresh SQLite database whose clock the test moves, with a heartbeat every 10 ms
/// and a job taken for lost after 120 seconds without one.
async fn app_with_heartbeat() -> (App, Arc<FixedClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(NOW));
    let settings = AppSettings {
        relink_heartbeat: Duration::from_millis(10),
        relink_stale_seconds: 120,
        ..AppSettings::default()
    };
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let app = App::open(store, &MasterKey::generate(), clock.clone(), settings).await.unwrap();
    (app, clock, dir)
}

/// A re-link job another process runs: started an hour ago, its last heartbeat `beat`.
fn job_elsewhere(id: &str, beat: i64) -> LinkageJobRow {
    LinkageJobRow {
        id: id.into(),
        kind: "relink".into(),
        state: "running".into(),
        basis: vec![1, 2, 3],
        done: 1,
        total: 5,
        started_at: NOW - 3600,
        ended_at: None,
        started_by: None,
        detail: None,
        heartbeat_at: Some(beat),
    }
}

async fn heartbeat_of(app: &App, id: &str) -> Option<i64> {
    app.store().linkage_job(id).await.unwrap().unwrap().heartbeat_at
}

#[tokio::test]
async fn a_relink_whose_process_still_beats_is_left_running_by_a_second_server_until_its_heartbeat_stops() {
    let (app, clock, _dir) = app_with_heartbeat().await;
    app.store().start_linkage_job(&job_elsewhere("job-elsewhere", NOW - 10)).await.unwrap();
    // A second application server starting on the same database: the job is alive, left alone.
    assert!(app.fail_interrupted_relinks().await.unwrap().is_empty());
    assert_eq!(app.store().linkage_job("job-elsewhere").await.unwrap().unwrap().state, "running");
    // Its process beats with the clock's time ...
    let beating = app.keep_relink_alive("job-elsewhere");
    clock.advance(100);
    let mut seen = None;
    for _ in 0..400 {
        seen = heartbeat_of(&app, "job-elsewhere").await;
        if seen == Some(NOW + 100) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(seen, Some(NOW + 100), "the heartbeat follows the clock");
    // ... so long after its start it is still not taken for lost.
    clock.advance(100);
    assert!(app.fail_interrupted_relinks().await.unwrap().is_empty());
    // The process stops: no more heartbeat, and once the last one is older than the limit the
    // job is failed with the reason.
    drop(beating);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let last = heartbeat_of(&app, "job-elsewhere").await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(heartbeat_of(&app, "job-elsewhere").await, Some(last), "a dropped heartbeat stops");
    clock.set(last + 120);
    assert!(app.fail_interrupted_relinks().await.unwrap().is_empty(), "exactly at the limit it is still alive");
    clock.set(last + 121);
    assert_eq!(app.fail_interrupted_relinks().await.unwrap(), ["job-elsewhere"]);
    let row = app.store().linkage_job("job-elsewhere").await.unwrap().unwrap();
    assert_eq!(
        (row.state.as_str(), row.detail.as_deref(), row.ended_at),
        ("failed", Some(INTERRUPTED), Some(last + 121))
    );
}

#[tokio::test]
async fn a_server_restarted_while_the_dead_jobs_heartbeat_was_fresh_ends_it_later_and_relinks() {
    let (app, clock, _dir) = app_with_heartbeat().await;
    // The process that ran it was killed 10 seconds ago; the server comes back at once.
    app.store().start_linkage_job(&job_elsewhere("job-killed", NOW - 10)).await.unwrap();
    assert!(app.fail_interrupted_relinks().await.unwrap().is_empty());
    assert_eq!(
        app.ensure_person_clusters().await.unwrap(),
        None,
        "a job that looks alive keeps a new one from starting"
    );
    assert_eq!(app.sweep_interrupted_relinks().await.unwrap(), (vec![], None));
    // The sweep while serving finds it once its heartbeat is too old, and starts the re-link.
    clock.advance(200);
    let (ended, started) = app.sweep_interrupted_relinks().await.unwrap();
    assert_eq!(ended, ["job-killed"]);
    let started = started.expect("the clusters were never made: a re-link starts");
    let mut state = String::new();
    for _ in 0..600 {
        state = app.store().linkage_job(&started).await.unwrap().unwrap().state;
        if state != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(state, "done");
    assert_eq!(app.sweep_interrupted_relinks().await.unwrap(), (vec![], None), "nothing left to end");
}

#[tokio::test]
async fn data_officers_start_and_follow_relinks_audited_and_no_one_else_does() {
    let w = world().await;
    let ids = register(
        &w,
        vec![
            registration("Olena", "Kovalenko", Some("1990-05-01")),
            registration("Olena", "Kovalenko", Some("1990-05-01")),
            registration("Iryna", "Bondarenko", None),
        ],
    )
    .await;
    for id in &ids {
        w.app.submit_registration(&w.caseworker, id, 1).await.unwrap();
    }
    for p in [&w.caseworker, &w.rapporteur] {
        assert!(matches!(w.app.relink_jobs_for(p, 20).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.relink_job_for(p, "x").await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.start_relink_for(p, true).await, Err(AppError::Forbidden)));
    }
    // Bad input names its field.
    let field = |r: Result<_, AppError>| match r {
        Err(AppError::Invalid(e)) => e.field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(w.app.start_relink_for(&w.officer, false).await.map(|_| ())), "confirm");
    assert_eq!(field(w.app.relink_jobs_for(&w.officer, 0).await.map(|_| ())), "limit");
    assert_eq!(field(w.app.relink_jobs_for(&w.officer, 101).await.map(|_| ())), "limit");
    assert!(matches!(w.app.relink_job_for(&w.officer, "no-such-job").await, Err(AppError::NotFound)));
    let before = w.app.relink_jobs_for(&w.officer, 100).await.unwrap().jobs.len();
    let job = w.app.start_relink_for(&w.officer, true).await.unwrap();
    assert_eq!(job.started_by.as_deref(), Some(w.officer.user.id.as_str()));
    assert_eq!(audit_detail_count(&w, "relink_started", "jurisdiction=LV").await, 1);
    let audited = w
        .app
        .store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'relink_started' AND target_id = '{}' AND actor_user_id = '{}'",
            job.id, w.officer.user.id
        ))
        .await
        .unwrap();
    assert_eq!(audited, 1);
    let done = ended(&w, &job.id).await;
    assert_eq!((done.state.as_str(), done.done, done.total), ("done", 3, 3), "{done:?}");
    assert!(done.detail.as_deref().is_some_and(|d| d.contains("persons=2")), "{done:?}");
    let jobs = w.app.relink_jobs_for(&w.officer, 100).await.unwrap();
    assert_eq!(jobs.jobs.len(), before + 1);
    assert!(jobs.jobs.iter().any(|j| j.id == job.id) && !jobs.running);
    // Only the data officer's start was audited as such.
    assert_eq!(audit_detail_count(&w, "relink_started", "").await, 1);
}

#[tokio::test]
async fn new_registrations_reach_the_queue_without_a_change_of_model() {
    let w = world().await;
    let first =
        register(&w, vec![registration("Olena", "Kovalenko", None), registration("Olena", "Kovalenko", None)]).await;
    let queue = w.app.person_review_queue(&w.officer, 5).await.unwrap();
    assert_eq!((queue.pairs.len(), queue.progress.candidate_pairs), (1, 1), "{queue:?}");
    w.app.answer_review(&w.officer, &first[0], &first[1], Answer::Same, ReviewQuestion::Uncertain).await.unwrap();
    assert!(w.app.person_review_queue(&w.officer, 5).await.unwrap().pairs.is_empty());
    // Two more registrations of another person are referred; the model is the same.
    let mut second = Vec::new();
    for r in [registration("Iryna", "Bondarenko", None), registration("Iryna", "Bondarenko", None)] {
        second.push(common::refer(&w.app, &w.caseworker, r).await);
    }
    let queue = w.app.person_review_queue(&w.officer, 5).await.unwrap();
    assert_eq!(queue.model.version, 0);
    assert_eq!(queue.progress.candidate_pairs, 2, "{queue:?}");
    assert_eq!(queue.progress.answered(), 1);
    assert_eq!(queue.pairs.len(), 1, "{queue:?}");
    let asked: BTreeSet<&str> = [queue.pairs[0].case_a.as_str(), queue.pairs[0].case_b.as_str()].into();
    assert_eq!(asked, second.iter().map(String::as_str).collect());
    let kept = w.app.store().review_pairs("LV").await.unwrap();
    assert!(kept.iter().any(|p| second.contains(&p.case_id_a) && second.contains(&p.case_id_b)), "{kept:?}");
}

/// A search hit's probability and each field's weight.
type Scores = (Option<f64>, Vec<(String, f64)>);

#[tokio::test]
async fn after_a_retraining_search_scores_with_the_new_model() {
    let w = world().await;
    let (regs, truth) = generated(40);
    let ids = register(&w, regs).await;
    let person_of: BTreeMap<String, usize> = ids.iter().cloned().zip(truth).collect();
    let search = haven_app::ident::SearchInput {
        name: "Olena Kovalenko".into(),
        date_of_birth: String::new(),
        document: String::new(),
    };
    let scores = |hits: Vec<haven_app::ident::SearchHit>| -> BTreeMap<String, Scores> {
        hits.into_iter()
            .map(|h| (h.case_id, (h.probability, h.explanation.into_iter().map(|e| (e.field, e.weight)).collect())))
            .collect()
    };
    let before = scores(w.app.search_persons(&w.caseworker, &search).await.unwrap());
    assert!(!before.is_empty());
    let cold = w.app.person_model();
    for _ in 0..10 {
        let queue = w.app.person_review_queue(&w.officer, 1).await.unwrap();
        let Some(pair) = queue.pairs.first() else { break };
        let answer = if person_of[&pair.case_a] == person_of[&pair.case_b] { Answer::Same } else { Answer::Different };
        w.app.answer_review(&w.officer, &pair.case_a, &pair.case_b, answer, pair.question).await.unwrap();
    }
    let RetrainOutcome::Trained(report) = w.app.retrain_person_model(&w.officer).await.unwrap() else {
        panic!("nothing trained")
    };
    // The running app took the new model: search scores with it, not with the cold start.
    let live = w.app.person_model();
    assert!((live.cluster_threshold() - report.threshold_after).abs() < 1e-6, "{report:?}");
    assert!((cold.cluster_threshold() - report.threshold_before).abs() < 1e-9);
    let after = scores(w.app.search_persons(&w.caseworker, &search).await.unwrap());
    assert_ne!(before, after, "search scored as before the re-training");
    // The same scores as an App started on the stored model gives.
    let restarted = w
        .app
        .clone()
        .with_reference(haven_app::ident::Reference::defaults().unwrap())
        .with_instance_person_model()
        .await
        .unwrap();
    assert_eq!(scores(restarted.search_persons(&w.caseworker, &search).await.unwrap()), after);
}
