//! Victims in proceedings through the use cases: protection measures per linked victim with the
//! missing ones flagged (Dir 2011/36 Arts 12(4), 15(3)), limitation for child victims from
//! majority (Art 9(2)), the information given and due (Art 11 with Dir 2012/29 Art 6), and
//! training records (Art 18(3)) for whom the access module names; every read and write audited,
//! reasons and names encrypted. On SQLite, and on PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.

use crate::common::{Database, bare_registration, organisation, postgres_app, sqlite_app, user};
use haven_app::{App, AppError, Principal};
use haven_domain::MessageId;
use haven_domain::ident::record::ChildStatus;
use haven_domain::proceedings::charge::ChargeInput;
use haven_domain::proceedings::information::{InformationInput, InformationKind};
use haven_domain::proceedings::limitation::{LimitationState, MajorityBasis};
use haven_domain::proceedings::protection::{MeasureStatus, ProtectionInput, ProtectionMeasure};
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::training::{AttendanceInput, Audience, TrainingInput};
use haven_domain::proceedings::{InvestigationInput, OffenceInput, PlaceInput};

struct World {
    app: App,
    _db: Database,
    police: Principal,
    prosecutor: Principal,
    other_police: Principal,
    caseworker: Principal,
    rapporteur: Principal,
    statistician: Principal,
    ee_police: Principal,
    ee_rapporteur: Principal,
    prosecution_id: String,
    ee_prosecution_id: String,
}

async fn world(app: App, db: Database) -> World {
    let police_id = organisation(&app, "State Police", "police", "LV").await;
    let prosecution_id = organisation(&app, "Prosecution Office", "prosecution", "LV").await;
    let other_id = organisation(&app, "Municipal Police", "police", "LV").await;
    let ngo_id = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let rapporteur_id = organisation(&app, "National Coordinator", "national_rapporteur", "LV").await;
    let ee_police_id = organisation(&app, "Police and Border Guard Board", "police", "EE").await;
    let ee_prosecution_id = organisation(&app, "Prosecutor's Office", "prosecution", "EE").await;
    let ee_rapporteur_id = organisation(&app, "Ministry of Justice", "national_rapporteur", "EE").await;
    World {
        police: user(&app, "officer", &police_id, "investigator").await,
        prosecutor: user(&app, "prosecutor", &prosecution_id, "investigator").await,
        other_police: user(&app, "other", &other_id, "investigator").await,
        caseworker: user(&app, "caseworker", &ngo_id, "caseworker").await,
        rapporteur: user(&app, "rapporteur", &rapporteur_id, "rapporteur").await,
        statistician: user(&app, "statistician", &rapporteur_id, "statistician").await,
        ee_police: user(&app, "ee.officer", &ee_police_id, "investigator").await,
        ee_rapporteur: user(&app, "ee.rapporteur", &ee_rapporteur_id, "rapporteur").await,
        app,
        _db: db,
        prosecution_id,
        ee_prosecution_id,
    }
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    let (app, db) = sqlite_app().await;
    out.push(world(app, db).await);
    if let Some((app, db)) = postgres_app().await {
        out.push(world(app, db).await);
    }
    out
}

fn input(prosecutor: &str, acts_from: &str, acts_until: &str, country: &str) -> InvestigationInput {
    InvestigationInput {
        reference: "11816000777".into(),
        prosecutor_organisation_id: prosecutor.into(),
        opened_on: "2026-05-20".into(),
        opening: "ex_officio".into(),
        offences: vec![OffenceInput {
            kind: "trafficking".into(),
            forms: vec!["sexual".into()],
            national_provision: "Criminal Law s. 154.1(2)".into(),
        }],
        places: vec![PlaceInput { country: country.into(), locality: "Riga".into() }],
        acts_from: acts_from.into(),
        acts_until: acts_until.into(),
        summary: "Girls recruited through a social network; one interviewed twice.".into(),
        ..InvestigationInput::default()
    }
}

/// Opens an investigation of `officer` and links victims the officer registers, born on the
/// given days; gives the investigation's id and the cases' ids.
async fn with_victims(
    w: &World,
    officer: &Principal,
    investigation: &InvestigationInput,
    births: &[&str],
) -> (String, Vec<String>) {
    let id = w.app.open_investigation(officer, investigation).await.unwrap().investigation.id;
    let mut cases = Vec::new();
    for (i, dob) in births.iter().enumerate() {
        let case = w
            .app
            .create_registration(officer, bare_registration("Daria", &format!("Victim{i}"), Some(dob)))
            .await
            .unwrap()
            .id;
        w.app.link_victim(officer, &id, &case).await.unwrap();
        cases.push(case);
    }
    (id, cases)
}

fn measure(case_id: &str, measure: &str, status: &str, reasons: &str) -> ProtectionInput {
    ProtectionInput {
        case_id: case_id.into(),
        measure: measure.into(),
        status: status.into(),
        on: "2026-05-27".into(),
        reasons: reasons.into(),
    }
}

fn field_of(e: AppError) -> (String, Option<MessageId>) {
    match e {
        AppError::Invalid(p) => (p.field, p.problem.map(|m| m.id)),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn count(app: &App, action: &str) -> i64 {
    app.store().count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_12_4_dir_and_art_15_3_dir_measures_are_recorded_per_victim_and_the_missing_flagged() {
    for w in worlds().await {
        let inv = input(&w.prosecution_id, "2025-06-01", "2026-04-30", "LV");
        let (id, cases) = with_victims(&w, &w.police, &inv, &["1990-02-03", "2011-03-10"]).await;
        let (adult, child) = (&cases[0], &cases[1]);
        let (reads, writes) = (count(&w.app, "proceedings_read").await, count(&w.app, "proceedings_written").await);
        w.app
            .record_protection_measure(&w.police, &id, &measure(adult, "few_interviews", "applied", ""))
            .await
            .unwrap();
        w.app
            .record_protection_measure(
                &w.prosecutor,
                &id,
                &measure(
                    adult,
                    "hearing_without_public",
                    "not_applicable",
                    "The victim gives evidence by video link only.",
                ),
            )
            .await
            .unwrap();
        let view = w
            .app
            .record_protection_measure(&w.police, &id, &measure(child, "representative", "applied", ""))
            .await
            .unwrap();
        assert_eq!(count(&w.app, "proceedings_written").await - writes, 3);
        let a = view.victims.iter().find(|v| &v.case_id == adult).unwrap();
        assert_eq!(a.child_status, ChildStatus::Adult);
        assert_eq!((a.protection.measures.len(), a.protection.missing.len()), (9, 7));
        let hearing =
            a.protection.measures.iter().find(|m| m.measure == ProtectionMeasure::HearingWithoutPublic).unwrap();
        assert_eq!(hearing.latest.as_ref().map(|r| r.status), Some(MeasureStatus::NotApplicable));
        assert_eq!(hearing.article, "Dir 2011/36 Art 12(4)(c); CETS 197 Art 30");
        // A child on a date of birth not verified: presumed a child, every measure of Art 15.
        let c = view.victims.iter().find(|v| &v.case_id == child).unwrap();
        assert_eq!(c.child_status, ChildStatus::PresumedChild);
        assert_eq!((c.protection.measures.len(), c.protection.missing.len()), (11, 10));
        assert!(c.protection.missing.iter().any(|m| m.measure == ProtectionMeasure::AdaptedPremises
            && m.article == "Dir 2011/36 Art 15(3)(b)"
            && m.message.id == MessageId::ProceedingsMeasureMissing));
        // Bad input names its field; a case not linked is refused.
        let e = w
            .app
            .record_protection_measure(&w.police, &id, &measure(adult, "few_interviews", "not_applicable", ""))
            .await;
        assert_eq!(field_of(e.unwrap_err()), ("reasons".into(), Some(MessageId::ProceedingsMeasureNeedsReasons)));
        let stranger = w.app.create_registration(&w.police, bare_registration("Nina", "Apse", None)).await.unwrap().id;
        let e =
            w.app.record_protection_measure(&w.police, &id, &measure(&stranger, "few_interviews", "applied", "")).await;
        assert_eq!(field_of(e.unwrap_err()), ("case_id".into(), Some(MessageId::ProceedingsVictimNotLinked)));
        let e = w.app.record_protection_measure(&w.police, &id, &measure(adult, "polygraph", "applied", "")).await;
        assert_eq!(field_of(e.unwrap_err()).0, "measure");
        // The compartment: support organisations never, another unit does not know of it.
        assert!(matches!(w.app.victims_in_proceedings(&w.caseworker, &id).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.victims_in_proceedings(&w.other_police, &id).await, Err(AppError::NotFound)));
        assert!(matches!(
            w.app
                .record_protection_measure(&w.other_police, &id, &measure(adult, "few_interviews", "applied", ""))
                .await,
            Err(AppError::NotFound)
        ));
        let read = w.app.victims_in_proceedings(&w.prosecutor, &id).await.unwrap();
        assert_eq!(read.victims.len(), 2);
        assert_eq!(count(&w.app, "proceedings_read").await - reads, 1, "the writes give the view without a read entry");
        // The reasons are not stored in the clear.
        if w.app.store().backend_name() == "sqlite" {
            let sql = "SELECT COUNT(*) FROM protection_measures WHERE instr(reasons, CAST('video link' AS BLOB)) > 0";
            assert_eq!(w.app.store().count_unchecked(sql).await.unwrap(), 0);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_9_2_dir_a_child_victims_limitation_runs_from_majority_and_is_warned() {
    for w in worlds().await {
        // Acts in 2025 against a girl born in 2011: majority on 2029-03-10, Latvia's twenty years
        // from then.
        let inv = input(&w.prosecution_id, "2025-06-01", "2026-04-30", "LV");
        let (id, cases) = with_victims(&w, &w.police, &inv, &["2011-03-10", "1990-02-03"]).await;
        let view = w.app.victims_in_proceedings(&w.police, &id).await.unwrap();
        assert!(view.limitation_warning.is_none(), "Latvia's rule runs from majority");
        let child = view.victims.iter().find(|v| v.case_id == cases[0]).unwrap();
        let l = child.limitation.as_ref().unwrap();
        assert_eq!(l.basis, Some(MajorityBasis::StatedDateOfBirth));
        assert_eq!(l.ends_on.map(|d| d.to_string()), Some("2049-03-10".into()));
        assert_eq!(l.state, LimitationState::Running);
        assert!(view.victims.iter().find(|v| v.case_id == cases[1]).unwrap().limitation.is_none(), "an adult");
        // Acts in 2001 against a girl born in 1988-09: majority 2006-09-01, limitation ends on
        // 2026-09-01, 96 days after the test clock's day: approaching.
        let old = input(&w.prosecution_id, "2001-01-10", "2001-06-01", "LV");
        let (id, cases) = with_victims(&w, &w.police, &old, &["1988-09-01"]).await;
        let view = w.app.victims_in_proceedings(&w.police, &id).await.unwrap();
        let l = view.victims.iter().find(|v| v.case_id == cases[0]).unwrap().limitation.clone().unwrap();
        assert_eq!((l.state, l.days_left), (LimitationState::Approaching, Some(96)));
        assert_eq!(l.message.map(|m| m.id), Some(MessageId::ProceedingsLimitationApproaching));
        // Estonia's rule, as shipped, runs from the acts: the Art 9(2) check flags it.
        let ee = input(&w.ee_prosecution_id, "2025-06-01", "2026-04-30", "EE");
        let (id, _) = with_victims(&w, &w.ee_police, &ee, &["2011-03-10"]).await;
        let view = w.app.victims_in_proceedings(&w.ee_police, &id).await.unwrap();
        let warning = view.limitation_warning.unwrap();
        assert_eq!(
            (warning.article, warning.message.id),
            ("Dir 2011/36 Art 9(2)", MessageId::ProceedingsLimitationNotFromMajority)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_dir_information_is_logged_and_shows_due_after_an_indictment() {
    for w in worlds().await {
        let inv = input(&w.prosecution_id, "2025-06-01", "2026-04-30", "LV");
        let (id, cases) = with_victims(&w, &w.police, &inv, &["1995-07-07"]).await;
        let suspect = SuspectInput {
            kind: "natural".into(),
            name: "Aivars Kalns".into(),
            roles: vec!["recruiter".into()],
            ..SuspectInput::default()
        };
        let view = w.app.add_suspect(&w.police, &id, &suspect).await.unwrap();
        let sid = view.suspects[0].suspect.id.clone();
        let charge = ChargeInput {
            offence: "trafficking".into(),
            national_provision: "Criminal Law s. 154.1(2)".into(),
            circumstances: vec![],
            charged_on: "2026-05-27".into(),
        };
        w.app.add_charge(&w.police, &id, &sid, &charge).await.unwrap();
        assert!(w.app.victims_in_proceedings(&w.police, &id).await.unwrap().victims[0].information_due.is_empty());
        w.app.decide_prosecution(&w.prosecutor, &id, &sid, "indicted", "").await.unwrap();
        let view = w.app.victims_in_proceedings(&w.prosecutor, &id).await.unwrap();
        let due = &view.victims[0].information_due;
        assert_eq!(due.iter().map(|d| d.kind).collect::<Vec<_>>(), vec![InformationKind::TrialTimeAndPlace]);
        assert_eq!(due[0].message.id, MessageId::ProceedingsInformationDue);
        let told = InformationInput {
            case_id: cases[0].clone(),
            kind: "trial_time_and_place".into(),
            channel: "through_representative".into(),
            language: "uk".into(),
            given_by: "Prosecutor Kristaps Lūsis".into(),
            given_on: "2026-05-28".into(),
            note: "Hearing at Riga City Court on 15 September; video link offered.".into(),
        };
        let bad = InformationInput { language: "Ukrainian".into(), ..told.clone() };
        assert_eq!(field_of(w.app.record_information_given(&w.prosecutor, &id, &bad).await.unwrap_err()).0, "language");
        let view = w.app.record_information_given(&w.prosecutor, &id, &told).await.unwrap();
        assert!(view.victims[0].information_due.is_empty());
        assert_eq!(view.victims[0].information[0].given_by, "Prosecutor Kristaps Lūsis");
        assert!(matches!(w.app.record_information_given(&w.caseworker, &id, &told).await, Err(AppError::Forbidden)));
        if w.app.store().backend_name() == "sqlite" {
            for (column, needle) in [("given_by", "Lūsis"), ("note", "video link")] {
                let sql = format!(
                    "SELECT COUNT(*) FROM victim_information WHERE instr({column}, CAST('{needle}' AS BLOB)) > 0"
                );
                assert_eq!(w.app.store().count_unchecked(&sql).await.unwrap(), 0, "{column}");
            }
        }
    }
}

fn training(starts_on: &str, audiences: &[(&str, &str)]) -> TrainingInput {
    TrainingInput {
        title: "Interviewing child victims".into(),
        organiser: "State Police College".into(),
        starts_on: starts_on.into(),
        ends_on: String::new(),
        hours: "6".into(),
        attendance: audiences
            .iter()
            .map(|(a, n)| AttendanceInput { audience: (*a).into(), attendees: (*n).into() })
            .collect(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_18_3_dir_trainings_are_recorded_and_summarised_for_whom_the_policy_names() {
    for w in worlds().await {
        let (reads, writes) = (count(&w.app, "proceedings_read").await, count(&w.app, "proceedings_written").await);
        w.app
            .record_training(&w.police, &training("2025-11-04", &[("police", "24"), ("border_guards", "6")]))
            .await
            .unwrap();
        w.app
            .record_training(&w.rapporteur, &training("2026-03-02", &[("judges", "15"), ("prosecutors", "9")]))
            .await
            .unwrap();
        w.app.record_training(&w.ee_rapporteur, &training("2026-03-02", &[("police", "40")])).await.unwrap();
        assert_eq!(count(&w.app, "proceedings_written").await - writes, 3);
        let seen = w.app.trainings(&w.statistician).await.unwrap();
        assert_eq!(seen.trainings.len(), 2, "Latvia's only");
        let rows: Vec<_> = seen.summary.iter().map(|r| (r.year, r.audience, r.attendees, r.attendee_hours)).collect();
        assert_eq!(
            rows,
            vec![
                (2025, Audience::Police, 24, 144),
                (2025, Audience::BorderGuards, 6, 36),
                (2026, Audience::Prosecutors, 9, 54),
                (2026, Audience::Judges, 15, 90),
            ]
        );
        assert_eq!(w.app.trainings(&w.prosecutor).await.unwrap().trainings.len(), 2);
        assert_eq!(w.app.trainings(&w.ee_rapporteur).await.unwrap().trainings.len(), 1);
        assert_eq!(count(&w.app, "proceedings_read").await - reads, 3);
        // Who the policy does not name: refused and recorded.
        let denied = count(&w.app, "access_denied").await;
        assert!(matches!(w.app.trainings(&w.caseworker).await, Err(AppError::Forbidden)));
        assert!(matches!(
            w.app.record_training(&w.statistician, &training("2026-03-02", &[("police", "1")])).await,
            Err(AppError::Forbidden)
        ));
        assert_eq!(count(&w.app, "access_denied").await - denied, 2);
        // Bad input names its field.
        let e = w.app.record_training(&w.police, &training("2026-03-02", &[])).await.unwrap_err();
        assert_eq!(field_of(e), ("attendance".into(), Some(MessageId::ProceedingsTrainingNoAudience)));
        let e = w.app.record_training(&w.police, &training("2026-03-02", &[("police", "-3")])).await.unwrap_err();
        assert_eq!(field_of(e).0, "attendance[0].attendees");
        let _ = &w.other_police;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_18_3_dir_the_eu_level_keeps_no_training_records_and_the_refusal_names_the_jurisdiction() {
    for w in worlds().await {
        let hub = organisation(&w.app, "EU statistics office", "statistics_office", "EU").await;
        let coordinator =
            organisation(&w.app, "EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
        let statistician = user(&w.app, "eu.statistician", &hub, "statistician").await;
        let eu_rapporteur = user(&w.app, "eu.coordinator", &coordinator, "rapporteur").await;
        let denied = count(&w.app, "access_denied").await;
        for p in [&statistician, &eu_rapporteur] {
            match w.app.trainings(p).await {
                Err(AppError::Refused(r)) => {
                    assert_eq!(
                        (r.message_id, r.arg.0, r.arg.1.as_str()),
                        ("trainings-kept-by-countries", "jurisdiction", "EU")
                    );
                    assert!(r.english.contains("jurisdiction EU"), "{}", r.english);
                }
                other => panic!("expected a refusal naming the jurisdiction, got {other:?}"),
            }
        }
        // The EU rapporteur's role grants recording too; the jurisdiction refuses it the same way.
        let e = w.app.record_training(&eu_rapporteur, &training("2026-03-02", &[("police", "1")])).await.unwrap_err();
        assert!(matches!(e, AppError::Refused(_)), "{e:?}");
        assert_eq!(count(&w.app, "access_denied").await - denied, 3, "each refusal audited");
    }
}
