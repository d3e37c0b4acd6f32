//! The person register's clerical review in the platform: who may review, answers kept and
//! audited, "different" kept apart, and a model re-trained on the instance's own records that
//! links better than the cold start.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use haven_app::admin::{Acting, NewUser};
use haven_app::person_review::{Answer, RetrainOutcome, ReviewQuestion};
use haven_app::{App, AppError, AppSettings, FixedClock, LoginRequest, Principal};
use haven_crypto::MasterKey;
use haven_domain::ident::record::Registration;
use haven_storage::Store;
use serde_json::json;

struct World {
    app: App,
    _dir: tempfile::TempDir,
    officer: Principal,
    caseworker: Principal,
    rapporteur: Principal,
    foreign_officer: Principal,
}

async fn user(app: &App, name: &str, org: &str, role: &str) -> Principal {
    let new = NewUser {
        username: name.into(),
        display_name: name.into(),
        organisation_id: org.into(),
        roles: vec![role.into()],
        password: Some("a long enough password".into()),
        language: None,
    };
    app.create_user(Acting::Operator, &new).await.unwrap();
    let req =
        LoginRequest { username: name, password: "a long enough password", totp: None, address: None, device: None };
    app.login(req).await.unwrap().principal
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let clock = Arc::new(FixedClock::new(1_780_000_000));
    let app = App::open(store, &MasterKey::generate(), clock, AppSettings::default()).await.unwrap();
    let org = |name: &'static str, kind: &'static str, j: &'static str| {
        let app = app.clone();
        async move { app.create_organisation(Acting::Operator, name, kind, j).await.unwrap().id }
    };
    let ca = org("Competent Authority", "competent_authority", "LV").await;
    let ngo = org("NGO A", "ngo", "LV").await;
    let rapporteur_org = org("Rapporteur", "national_rapporteur", "LV").await;
    let ee = org("Estonian Authority", "competent_authority", "EE").await;
    World {
        officer: user(&app, "data.officer", &ca, "data_officer").await,
        caseworker: user(&app, "case.worker", &ngo, "caseworker").await,
        rapporteur: user(&app, "rapporteur", &rapporteur_org, "rapporteur").await,
        foreign_officer: user(&app, "ee.officer", &ee, "data_officer").await,
        app,
        _dir: dir,
    }
}

fn registration(given: &str, family: &str, dob: Option<&str>) -> Registration {
    let mut person = json!({"given_names": given, "family_names": family, "sex": "female", "citizenships": ["UA"]});
    if let Some(d) = dob {
        person["date_of_birth"] = json!(d);
    }
    serde_json::from_value(json!({ "person": person })).unwrap()
}

/// A registration with names and perhaps a date of birth, nothing else (as a first contact
/// often records).
fn bare_registration(given: &str, family: &str, dob: Option<&str>) -> Registration {
    let mut person = json!({"given_names": given, "family_names": family});
    if let Some(d) = dob {
        person["date_of_birth"] = json!(d);
    }
    serde_json::from_value(json!({ "person": person })).unwrap()
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
    w.app
        .store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND detail LIKE '%{needle}%'"
        ))
        .await
        .unwrap()
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
    let app = w.app.clone().with_instance_person_model().await.unwrap();
    assert!((app.reference().person_model.cluster_threshold() - report.threshold_after).abs() < 1e-6);
}
