//! Criminal proceedings through the use cases: investigations that never depend on the victim
//! (Dir 2011/36 Art 9(1)), the non-punishment notice on every path with the prosecutor's
//! recorded decision (Art 8; CETS 197 Art 26), the proceedings compartment closed to support
//! organisations (a caseworker learns only "involved in proceedings: yes"), every read and
//! write audited and names encrypted. On SQLite, and on PostgreSQL when HAVEN_TEST_POSTGRES_URL
//! is set.

use crate::common::{Database, bare_registration, organisation, postgres_app, refer, sqlite_app, user};
use haven_app::{App, AppError, Principal};
use haven_domain::MessageId;
use haven_domain::access::ProceedingsView;
use haven_domain::proceedings::charge::ChargeInput;
use haven_domain::proceedings::non_punishment::{NoticePath, VictimStanding};
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::{InvestigationInput, InvestigationStatus, OffenceInput, PlaceInput};

struct World {
    app: App,
    _db: Database,
    police: Principal,
    prosecutor: Principal,
    other_police: Principal,
    caseworker: Principal,
    prosecution_id: String,
    police_id: String,
}

async fn world(app: App, db: Database) -> World {
    let police_id = organisation(&app, "State Police", "police", "LV").await;
    let prosecution_id = organisation(&app, "Prosecution Office", "prosecution", "LV").await;
    let other_id = organisation(&app, "Municipal Police", "police", "LV").await;
    let ngo_id = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    World {
        police: user(&app, "officer", &police_id, "investigator").await,
        prosecutor: user(&app, "prosecutor", &prosecution_id, "investigator").await,
        other_police: user(&app, "other", &other_id, "investigator").await,
        caseworker: user(&app, "caseworker", &ngo_id, "caseworker").await,
        app,
        _db: db,
        prosecution_id,
        police_id,
    }
}

/// The worlds to run on: SQLite always, PostgreSQL when configured.
async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    let (app, db) = sqlite_app().await;
    out.push(world(app, db).await);
    if let Some((app, db)) = postgres_app().await {
        out.push(world(app, db).await);
    }
    out
}

fn input(w: &World, opening: &str) -> InvestigationInput {
    InvestigationInput {
        reference: "11816000123".into(),
        prosecutor_organisation_id: w.prosecution_id.clone(),
        opened_on: "2026-05-20".into(),
        opening: opening.into(),
        reporter: if opening == "report" { "victim".into() } else { String::new() },
        reported_on: if opening == "report" { "2026-05-19".into() } else { String::new() },
        offences: vec![OffenceInput {
            kind: "trafficking".into(),
            forms: vec!["forced_labour".into()],
            national_provision: "Criminal Law s. 154.1(2)".into(),
        }],
        places: vec![PlaceInput { country: "LV".into(), locality: "Riga".into() }],
        acts_from: "2025-06-01".into(),
        acts_until: "2026-04-30".into(),
        other_countries: vec!["EE".into()],
        summary: "Workers recruited for a construction site; passports taken.".into(),
    }
}

fn suspect(name: &str, case_id: &str) -> SuspectInput {
    SuspectInput {
        kind: "natural".into(),
        name: name.into(),
        case_id: case_id.into(),
        roles: vec!["recruiter".into()],
        citizenship: "LV".into(),
        sex: "female".into(),
        age_group: "25_34".into(),
        ..SuspectInput::default()
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
async fn art_9_1_dir_an_investigation_goes_on_when_the_victim_withdraws() {
    for w in worlds().await {
        let opened = w.app.open_investigation(&w.police, &input(&w, "report")).await.unwrap();
        let id = opened.investigation.id.clone();
        assert!(opened.actions.read && opened.actions.write && !opened.actions.prosecute);
        let said = w.app.record_report_withdrawal(&w.police, &id, "2026-05-25").await.unwrap();
        assert_eq!(said.id, MessageId::ProceedingsReportWithdrawnGoesOn);
        let view = w.app.investigation(&w.prosecutor, &id).await.unwrap();
        assert_eq!(view.investigation.status, InvestigationStatus::Open);
        assert!(view.actions.prosecute, "the competent prosecutor's office");
        let e = w.app.change_investigation_status(&w.police, &id, "closed", "victim_withdrew").await.unwrap_err();
        assert_eq!(field_of(e), ("closure".into(), Some(MessageId::ProceedingsClosureNotOnWithdrawal)));
        // Ex officio, without any report at all.
        let ex = w.app.open_investigation(&w.police, &input(&w, "ex_officio")).await.unwrap();
        assert_eq!(ex.investigation.report, None);
        let listed = w.app.investigations(&w.prosecutor).await.unwrap();
        assert_eq!(listed.len(), 2);
        // Bad input names its field.
        let mut bad = input(&w, "report");
        bad.prosecutor_organisation_id = w.police_id.clone();
        let e = w.app.open_investigation(&w.police, &bad).await.unwrap_err();
        assert_eq!(field_of(e), ("prosecutor_organisation_id".into(), Some(MessageId::ProceedingsNotAProsecutor)));
        let mut bad = input(&w, "report");
        bad.offences[0].kind = "theft".into();
        assert_eq!(field_of(w.app.open_investigation(&w.police, &bad).await.unwrap_err()).0, "offences[0].offence");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_8_dir_the_notice_is_raised_on_every_path_and_decided_by_the_prosecutor() {
    for w in worlds().await {
        // A victim referred by the NGO and shared with the police for proceedings; a person the
        // police registered themselves (a draft, not referred).
        let referred = refer(&w.app, &w.caseworker, bare_registration("Olena", "Koval", Some("1990-02-03"))).await;
        let police_org = w.police.organisation.id.clone();
        w.app.share_case(&w.caseworker, &referred, &police_org, &["identity".into()]).await.unwrap();
        let draft = w.app.create_registration(&w.police, bare_registration("Iryna", "Bondar", None)).await.unwrap().id;
        let id = w.app.open_investigation(&w.police, &input(&w, "ex_officio")).await.unwrap().investigation.id;

        // New suspect naming the victim's case.
        let view = w.app.add_suspect(&w.police, &id, &suspect("Olena Koval", &referred)).await.unwrap();
        let notices: Vec<_> = view.suspects.iter().flat_map(|s| s.notices.clone()).collect();
        assert_eq!(notices.len(), 1);
        assert_eq!(
            (notices[0].notice.path, notices[0].notice.standing),
            (NoticePath::NewSuspect, VictimStanding::Presumed)
        );
        assert_eq!(notices[0].message.id, MessageId::ProceedingsNonPunishmentNotice);
        // A suspect linked to a registered person afterwards.
        let view = w.app.add_suspect(&w.police, &id, &suspect("I. B.", "")).await.unwrap();
        let later = view.suspects.iter().find(|s| s.suspect.name == "I. B.").unwrap().suspect.id.clone();
        let view = w.app.link_suspect_case(&w.police, &id, &later, &draft).await.unwrap();
        let linked = view.suspects.iter().find(|s| s.suspect.id == later).unwrap();
        assert_eq!(linked.notices[0].notice.path, NoticePath::LinkedPerson);
        assert_eq!(linked.notices[0].notice.standing, VictimStanding::Registered);
        // Imported from another system.
        let view = w.app.import_suspects(&w.police, &id, &[suspect("O. K.", &referred)]).await.unwrap();
        assert!(view.suspects.iter().flat_map(|s| &s.notices).any(|n| n.notice.path == NoticePath::Import));
        // An import is taken whole or not at all: a suspect naming a case the police may not
        // link refuses the file, naming that suspect's field, and none of it is stored.
        let before = view.suspects.len();
        let unknown = uuid::Uuid::new_v4().to_string();
        let refused = w.app.import_suspects(&w.police, &id, &[suspect("A. A.", ""), suspect("B. B.", &unknown)]).await;
        match refused {
            Err(AppError::Invalid(e)) => assert_eq!(e.field, "suspects[1].case_id"),
            other => panic!("the import was not refused at its second suspect: {other:?}"),
        }
        let view = w.app.investigation(&w.police, &id).await.unwrap();
        assert_eq!(view.suspects.len(), before);
        assert!(!view.suspects.iter().any(|s| s.suspect.name == "A. A."));
        // No case, no notice.
        let view = w.app.add_suspect(&w.police, &id, &suspect("Jānis Bērziņš", "")).await.unwrap();
        let plain = view.suspects.iter().find(|s| s.suspect.name == "Jānis Bērziņš").unwrap();
        assert!(plain.notices.is_empty());

        // The first suspect: charged, and prosecution waits for the decision on the notice.
        let first = view.suspects.iter().find(|s| s.suspect.name == "Olena Koval").unwrap();
        let (sid, nid) = (first.suspect.id.clone(), first.notices[0].notice.id.clone());
        let charge = ChargeInput {
            offence: "trafficking".into(),
            national_provision: "Criminal Law s. 154.1(2)".into(),
            circumstances: vec!["criminal_organisation".into()],
            charged_on: "2026-05-27".into(),
        };
        let view = w.app.add_charge(&w.police, &id, &sid, &charge).await.unwrap();
        let records = &view.suspects.iter().find(|s| s.suspect.id == sid).unwrap().records;
        assert!(
            matches!(&records[0], haven_app::proceedings::SuspectRecord::Charge { warnings, .. } if warnings.is_empty())
        );
        assert!(!view.practice_sources.is_empty(), "the Latvian practice names its sources");
        let e = w.app.decide_prosecution(&w.prosecutor, &id, &sid, "indicted", "").await.unwrap_err();
        assert_eq!(field_of(e), ("outcome".into(), Some(MessageId::ProceedingsNoticeUndecided)));
        // The unit does not decide on the notice; the prosecutor does, once, with reasons.
        assert!(matches!(
            w.app.decide_notice(&w.police, &id, &nid, "not_compelled", "reasons").await,
            Err(AppError::Forbidden)
        ));
        let e = w.app.decide_notice(&w.prosecutor, &id, &nid, "not_compelled", " ").await.unwrap_err();
        assert_eq!(field_of(e).0, "reasons");
        w.app
            .decide_notice(&w.prosecutor, &id, &nid, "not_compelled", "Recruited others after leaving.")
            .await
            .unwrap();
        let e = w.app.decide_notice(&w.prosecutor, &id, &nid, "not_prosecuted", "again").await.unwrap_err();
        assert_eq!(field_of(e).1, Some(MessageId::ProceedingsNoticeAlreadyDecided));
        let view = w.app.decide_prosecution(&w.prosecutor, &id, &sid, "indicted", "").await.unwrap();
        let decided = view.suspects.iter().find(|s| s.suspect.id == sid).unwrap();
        assert_eq!(decided.records.len(), 2);
        assert!(decided.notices[0].notice.decision.is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proceedings_compartment_isolation_both_ways_through_the_use_cases() {
    for w in worlds().await {
        let case = refer(&w.app, &w.caseworker, bare_registration("Anna", "Ozola", None)).await;
        let id = w.app.open_investigation(&w.police, &input(&w, "ex_officio")).await.unwrap().investigation.id;
        // Not shared with the police: the case cannot be linked, and says no more than that.
        let e = w.app.link_victim(&w.police, &id, &case).await.unwrap_err();
        assert_eq!(field_of(e).0, "case_id");
        let police_org = w.police.organisation.id.clone();
        w.app.share_case(&w.caseworker, &case, &police_org, &["identity".into()]).await.unwrap();
        let view = w.app.link_victim(&w.police, &id, &case).await.unwrap();
        assert_eq!(view.investigation.victims.len(), 1);
        assert_eq!(view.investigation.victims[0].case_id, case);
        // Support organisations never read proceedings: not the route, not the record.
        assert!(matches!(w.app.investigation(&w.caseworker, &id).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.investigations(&w.caseworker).await, Err(AppError::Forbidden)));
        // Another unit of the same country does not know of it.
        assert!(matches!(w.app.investigation(&w.other_police, &id).await, Err(AppError::NotFound)));
        assert!(w.app.investigations(&w.other_police).await.unwrap().is_empty());
        // The caseworker learns only that the person is involved; the police see the part.
        let seen = w.app.case_involvement(&w.caseworker, &case).await.unwrap();
        assert_eq!((seen.view, seen.involved), (ProceedingsView::InvolvementOnly, Some(true)));
        // The police read the investigation itself; of a case shared for its identity they see
        // the involvement, and of their own registration its proceedings part.
        let seen = w.app.case_involvement(&w.police, &case).await.unwrap();
        assert_eq!((seen.view, seen.involved), (ProceedingsView::InvolvementOnly, Some(true)));
        let own = w.app.create_registration(&w.police, bare_registration("Marta", "Liepa", None)).await.unwrap().id;
        let seen = w.app.case_involvement(&w.police, &own).await.unwrap();
        assert_eq!((seen.view, seen.involved), (ProceedingsView::Proceedings, Some(false)));
        assert!(matches!(w.app.case_involvement(&w.other_police, &case).await, Err(AppError::NotFound)));
        // The police never read the case's support records (counselling).
        assert!(w.app.support_records(&w.police, &case).await.is_err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_and_write_is_audited_and_names_are_encrypted() {
    for w in worlds().await {
        let (reads, writes) = (count(&w.app, "proceedings_read").await, count(&w.app, "proceedings_written").await);
        let id = w.app.open_investigation(&w.police, &input(&w, "ex_officio")).await.unwrap().investigation.id;
        w.app.add_suspect(&w.police, &id, &suspect("Jānis Bērziņš", "")).await.unwrap();
        w.app.investigations(&w.police).await.unwrap();
        // Two writes, each followed by the read of the view it gives, then the list.
        assert_eq!(count(&w.app, "proceedings_written").await - writes, 2);
        assert_eq!(count(&w.app, "proceedings_read").await - reads, 3);
        let denied = count(&w.app, "access_denied").await;
        let _ = w.app.investigation(&w.other_police, &id).await;
        assert_eq!(count(&w.app, "access_denied").await - denied, 1, "a denial is recorded");
        // Neither the name nor the summary is stored in the clear.
        if w.app.store().backend_name() == "sqlite" {
            for (table, column) in [("suspects", "name"), ("investigations", "record")] {
                for needle in ["Bērziņš", "construction site", "11816000123"] {
                    let sql =
                        format!("SELECT COUNT(*) FROM {table} WHERE instr({column}, CAST('{needle}' AS BLOB)) > 0");
                    assert_eq!(w.app.store().count_unchecked(&sql).await.unwrap(), 0, "{table}.{column} {needle}");
                }
            }
        } else {
            for (table, column) in [("suspects", "name"), ("investigations", "record")] {
                let sql = format!(
                    "SELECT COUNT(*) FROM {table} WHERE position(convert_to('Bērziņš', 'UTF8') in {column}) > 0 \
                     OR position(convert_to('construction site', 'UTF8') in {column}) > 0"
                );
                assert_eq!(w.app.store().count_unchecked(&sql).await.unwrap(), 0, "{table}.{column}");
            }
        }
    }
}
