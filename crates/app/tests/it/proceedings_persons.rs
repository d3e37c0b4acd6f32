//! Suspects as persons: the person-linkage engine finds the same person among the suspects of a
//! unit's investigations with its explanation, and a registered victim a suspect may be; an
//! officer answers on a pair; confirmed pairs are one person in the trafficker statistics; the
//! non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26) is raised only when the officer
//! confirms a possible victim. On SQLite, and on PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.

use crate::common::{Database, audit_detail_count, organisation, postgres_app, refer, registration, sqlite_app, user};
use haven_app::proceedings_persons::PairAnswer;
use haven_app::{App, AppError, Principal};
use haven_domain::proceedings::non_punishment::{NoticePath, VictimStanding};
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::{InvestigationInput, OffenceInput, PlaceInput};

struct World {
    app: App,
    _db: Database,
    police: Principal,
    other_police: Principal,
    estonian_police: Principal,
    caseworker: Principal,
    rapporteur: Principal,
    prosecution_id: String,
}

async fn world(app: App, db: Database) -> World {
    let police_id = organisation(&app, "State Police", "police", "LV").await;
    let prosecution_id = organisation(&app, "Prosecution Office", "prosecution", "LV").await;
    let other_id = organisation(&app, "Municipal Police", "police", "LV").await;
    let ee_id = organisation(&app, "Politsei- ja Piirivalveamet", "police", "EE").await;
    let ngo_id = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let rapporteur_id = organisation(&app, "Rapporteur", "national_rapporteur", "LV").await;
    World {
        police: user(&app, "officer", &police_id, "investigator").await,
        other_police: user(&app, "other", &other_id, "investigator").await,
        estonian_police: user(&app, "ee.officer", &ee_id, "investigator").await,
        caseworker: user(&app, "caseworker", &ngo_id, "caseworker").await,
        rapporteur: user(&app, "rapporteur", &rapporteur_id, "rapporteur").await,
        app,
        _db: db,
        prosecution_id,
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

fn investigation(prosecution_id: &str, reference: &str) -> InvestigationInput {
    InvestigationInput {
        reference: reference.into(),
        prosecutor_organisation_id: prosecution_id.into(),
        opened_on: "2026-03-01".into(),
        opening: "ex_officio".into(),
        offences: vec![OffenceInput {
            kind: "trafficking".into(),
            forms: vec!["forced_labour".into()],
            national_provision: "Criminal Law s. 154.1".into(),
        }],
        places: vec![PlaceInput { country: "LV".into(), locality: "Riga".into() }],
        summary: "Synthetic test investigation.".into(),
        ..InvestigationInput::default()
    }
}

fn person(name: &str, citizenship: &str, sex: &str, age: &str) -> SuspectInput {
    SuspectInput {
        kind: "natural".into(),
        name: name.into(),
        roles: vec!["recruiter".into()],
        citizenship: citizenship.into(),
        sex: sex.into(),
        age_group: age.into(),
        ..SuspectInput::default()
    }
}

async fn open(app: &App, by: &Principal, prosecution_id: &str, reference: &str) -> String {
    app.open_investigation(by, &investigation(prosecution_id, reference)).await.unwrap().investigation.id
}

/// Adds a suspect and gives its id.
async fn add(app: &App, by: &Principal, inv: &str, s: &SuspectInput) -> String {
    let view = app.add_suspect(by, inv, s).await.unwrap();
    view.suspects.iter().rev().find(|v| v.suspect.name == s.name).unwrap().suspect.id.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_person_in_two_investigations_is_found_with_the_engines_explanation_and_another_person_is_not() {
    for w in worlds().await {
        let a = open(&w.app, &w.police, &w.prosecution_id, "A-1").await;
        let b = open(&w.app, &w.police, &w.prosecution_id, "B-2").await;
        let oleksandr = add(&w.app, &w.police, &a, &person("Oleksandr Kovalenko", "UA", "male", "35_44")).await;
        // the same man written in Cyrillic in the second investigation
        let cyrillic = add(&w.app, &w.police, &b, &person("Олександр Коваленко", "UA", "male", "35_44")).await;
        let other = add(&w.app, &w.police, &b, &person("Pēteris Ozols", "LV", "male", "35_44")).await;
        let found = w.app.suspect_matches(&w.police, &a, &oleksandr).await.unwrap();
        assert_eq!(found.candidates.len(), 1, "{:?}", found.candidates);
        let c = &found.candidates[0];
        assert_eq!((c.suspect_id.as_str(), c.investigation_id.as_str()), (cyrillic.as_str(), b.as_str()));
        assert_eq!(c.investigation_reference, "B-2");
        assert!(c.probability.unwrap() >= 0.9, "{c:?}");
        let weight_of = |field: &str| c.explanation.iter().find(|r| r.field == field).unwrap().weight;
        assert!(weight_of("given_names") > 0.0 && weight_of("family_names") > 0.0);
        let dob = c.explanation.iter().find(|r| r.field == "date_of_birth").unwrap();
        assert_eq!((dob.level.as_str(), dob.weight), ("missing", 0.0), "suspects have no date of birth");
        assert!(found.model.contains("persons v1"));
        assert!(!found.candidates.iter().any(|c| c.suspect_id == other));
        // the engine finds him from the other side too, and never the suspect's own investigation
        let back = w.app.suspect_matches(&w.police, &b, &cyrillic).await.unwrap();
        assert_eq!(back.candidates.iter().map(|c| c.suspect_id.clone()).collect::<Vec<_>>(), vec![oleksandr.clone()]);
        assert!(w.app.suspect_matches(&w.police, &b, &other).await.unwrap().candidates.is_empty());
        // reading candidates is an audited read naming the suspects shown
        assert_eq!(audit_detail_count(&w.app, "proceedings_read", &format!("candidates={cyrillic}")).await, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn candidates_are_not_shown_to_another_unit_another_country_or_a_support_organisation() {
    for w in worlds().await {
        let a = open(&w.app, &w.police, &w.prosecution_id, "A-1").await;
        let b = open(&w.app, &w.police, &w.prosecution_id, "B-2").await;
        let s = add(&w.app, &w.police, &a, &person("Jānis Bērziņš", "LV", "male", "35_44")).await;
        add(&w.app, &w.police, &b, &person("BERZINS Janis", "LV", "male", "35_44")).await;
        // another unit's investigation of the same name is not among the candidates
        let municipal = open(&w.app, &w.other_police, &w.prosecution_id, "M-1").await;
        add(&w.app, &w.other_police, &municipal, &person("Janis Berzins", "LV", "male", "35_44")).await;
        let found = w.app.suspect_matches(&w.police, &a, &s).await.unwrap();
        assert_eq!(found.candidates.len(), 1);
        assert_eq!(found.candidates[0].investigation_id, b);
        let other_unit = w.app.suspect_matches(&w.other_police, &a, &s).await.unwrap_err();
        assert!(matches!(other_unit, AppError::NotFound), "{other_unit:?}");
        let other_country = w.app.suspect_matches(&w.estonian_police, &a, &s).await.unwrap_err();
        assert!(matches!(other_country, AppError::NotFound), "{other_country:?}");
        let ngo = w.app.suspect_matches(&w.caseworker, &a, &s).await.unwrap_err();
        assert!(matches!(ngo, AppError::Forbidden | AppError::NotFound), "{ngo:?}");
        // nor may they answer on the pair
        let pair = w.app.answer_same_person(&w.other_police, &a, &s, &found.candidates[0].suspect_id, true).await;
        assert!(matches!(pair, Err(AppError::NotFound)), "{pair:?}");
        // an answer naming a suspect of an investigation the officer does not work is refused
        // as an unknown suspect, naming the field
        let theirs = w.app.investigation(&w.other_police, &municipal).await.unwrap().suspects[0].suspect.id.clone();
        match w.app.answer_same_person(&w.police, &a, &s, &theirs, true).await {
            Err(AppError::Invalid(p)) => assert_eq!(p.field, "other_suspect_id"),
            other => panic!("expected a refusal naming other_suspect_id, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_same_person_counts_once_in_the_trafficker_tables_and_a_rejected_pair_twice() {
    for w in worlds().await {
        let a = open(&w.app, &w.police, &w.prosecution_id, "A-1").await;
        let b = open(&w.app, &w.police, &w.prosecution_id, "B-2").await;
        // an alias the engine cannot join: only an officer's answer makes them one
        let first = add(&w.app, &w.police, &a, &person("Oleksandr Kovalenko", "UA", "male", "35_44")).await;
        let alias = add(&w.app, &w.police, &b, &person("Sasha Boyko", "UA", "male", "35_44")).await;
        // the same name twice, which the engine joins, unless an officer says they differ
        let janis_a = add(&w.app, &w.police, &a, &person("Jānis Bērziņš", "LV", "male", "45_54")).await;
        let janis_b = add(&w.app, &w.police, &b, &person("Janis Berzins", "LV", "male", "45_54")).await;
        let t = w.app.national_tables(&w.rapporteur, 2026).await.unwrap();
        assert_eq!((t.offenders.suspects, t.offenders.persons), (4, 3), "the engine joins the two Jānis");

        let view = w.app.answer_same_person(&w.police, &a, &first, &alias, true).await.unwrap();
        let c = view.candidates.iter().find(|c| c.suspect_id == alias).unwrap();
        assert_eq!(c.answer, Some(PairAnswer::Same));
        let t = w.app.national_tables(&w.rapporteur, 2026).await.unwrap();
        assert_eq!((t.offenders.suspects, t.offenders.persons), (4, 2), "the confirmed pair is one person");
        assert!(t.offenders.method.contains("confirmed to be the same person"));

        w.app.answer_same_person(&w.police, &b, &janis_b, &janis_a, false).await.unwrap();
        let t = w.app.national_tables(&w.rapporteur, 2026).await.unwrap();
        assert_eq!((t.offenders.suspects, t.offenders.persons), (4, 3), "a rejected pair stays two persons");
        let shown = w.app.suspect_matches(&w.police, &a, &janis_a).await.unwrap();
        assert_eq!(
            shown.candidates.iter().find(|c| c.suspect_id == janis_b).unwrap().answer,
            Some(PairAnswer::Different)
        );
        // each answer is audited
        assert_eq!(audit_detail_count(&w.app, "proceedings_written", "answer=same").await, 1);
        assert_eq!(audit_detail_count(&w.app, "proceedings_written", "answer=different").await, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_8_dir_a_possible_registered_victim_raises_the_notice_only_once_the_officer_confirms() {
    for w in worlds().await {
        // a presumed victim referred by the NGO and shared with the police for identity
        let case = refer(&w.app, &w.caseworker, registration("Olena", "Koval", Some("1990-02-03"), None)).await;
        let police_org = w.police.organisation.id.clone();
        w.app.share_case(&w.caseworker, &case, &police_org, &["identity".into()]).await.unwrap();
        let a = open(&w.app, &w.police, &w.prosecution_id, "A-1").await;
        let s = add(&w.app, &w.police, &a, &person("Olena Koval", "UA", "female", "35_44")).await;
        let found = w.app.suspect_matches(&w.police, &a, &s).await.unwrap();
        assert_eq!(found.possible_victims.len(), 1, "{found:?}");
        let v = &found.possible_victims[0];
        assert_eq!((v.case_id.as_str(), v.standing), (case.as_str(), VictimStanding::Presumed));
        assert!(v.probability >= 0.5 && v.explanation.iter().any(|r| r.field == "family_names" && r.weight > 0.0));
        // nothing of the registration but the case and its standing
        let json = serde_json::to_string(&found.possible_victims).unwrap();
        assert!(!json.contains("1990") && !json.contains("Koval"), "{json}");
        // a suggestion is no link: no notice yet
        let view = w.app.investigation(&w.police, &a).await.unwrap();
        assert!(view.suspects.iter().all(|s| s.notices.is_empty() && s.suspect.case_id.is_none()));
        // the suggestion shown is audited as a search naming the case
        assert_eq!(audit_detail_count(&w.app, "person_searched", &format!("cases={case}")).await, 1);
        // confirming links the suspect to the case and raises the notice
        let view = w.app.confirm_possible_victim(&w.police, &a, &s, &case).await.unwrap();
        let linked = view.suspects.iter().find(|x| x.suspect.id == s).unwrap();
        assert_eq!(linked.suspect.case_id.as_deref(), Some(case.as_str()));
        assert_eq!(linked.notices.len(), 1);
        assert_eq!(
            (linked.notices[0].notice.path, linked.notices[0].notice.standing),
            (NoticePath::LinkedPerson, VictimStanding::Presumed)
        );
        // once linked, it is no longer suggested
        assert!(w.app.suspect_matches(&w.police, &a, &s).await.unwrap().possible_victims.is_empty());
        // a unit that may not read the case's identity is not told of it
        let m = open(&w.app, &w.other_police, &w.prosecution_id, "M-1").await;
        let theirs = add(&w.app, &w.other_police, &m, &person("Olena Koval", "UA", "female", "35_44")).await;
        assert!(w.app.suspect_matches(&w.other_police, &m, &theirs).await.unwrap().possible_victims.is_empty());
    }
}
