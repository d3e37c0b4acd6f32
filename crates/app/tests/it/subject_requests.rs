//! Data subjects' requests through the use cases (Reg 2016/679 Arts 12, 15-18; Dir 2016/680 Art 15):
//! the data protection officer records a request, checks the identity, and produces the
//! subject-access export, which holds exactly the person's registrations (the person register's
//! clusters joining them) and nothing of a second person with near-identical data; proceedings
//! data are withheld and the restriction recorded. The due date follows the calendar (month
//! ends, the country's holidays), lateness is counted. A rectification keeps the old value, with
//! who and why; a restricted case is read but not written, and is out of matching and the person
//! counts until the restriction is lifted. On SQLite, and on PostgreSQL when
//! HAVEN_TEST_POSTGRES_URL is set.

use crate::common::{Database, organisation, postgres_app, refer, registration, sqlite_app, user};
use haven_app::ident::SearchInput;
use haven_app::subject_requests::{NewSubjectRequest, RectificationInput, RequestStepInput};
use haven_app::{App, AppError, Principal};
use haven_domain::MessageId;
use haven_domain::case::NoteInput;
use haven_domain::subject_request::RequestStatus;

struct World {
    app: App,
    _db: Database,
    dpo: Principal,
    ee_dpo: Principal,
    caseworker: Principal,
    statistician: Principal,
    /// Two registrations of Anna (the same passport: one person in the register).
    anna: [String; 2],
    /// Another person with near-identical data.
    other: String,
}

async fn world(app: App, db: Database) -> World {
    let ngo = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let police = organisation(&app, "State Police", "police", "LV").await;
    let office = organisation(&app, "Rapporteur", "national_rapporteur", "LV").await;
    let ee_office = organisation(&app, "Andmekaitse", "ngo", "EE").await;
    let caseworker = user(&app, "caseworker", &ngo, "caseworker").await;
    let dpo = user(&app, "dpo", &ngo, "auditor").await;
    let ee_dpo = user(&app, "ee.dpo", &ee_office, "auditor").await;
    let statistician = user(&app, "statistician", &office, "statistician").await;
    let first = refer(&app, &caseworker, registration("Anna", "Ozola", Some("1990-03-14"), Some("FA111111"))).await;
    let second = refer(&app, &caseworker, registration("Anna", "Ozola", Some("1990-03-14"), Some("FA111111"))).await;
    let other = refer(&app, &caseworker, registration("Anna", "Kalnina", Some("1990-03-15"), Some("FB222222"))).await;
    app.share_case(&caseworker, &first, &police, &["identity".into()]).await.unwrap();
    for (case, text) in [(&first, "Anna-first-note"), (&second, "Anna-second-note"), (&other, "Kalnina-note")] {
        let note = NoteInput::parse("support", text).unwrap();
        app.add_note(&caseworker, case, &note).await.unwrap();
    }
    // The caseworker reads the first registration: the access history has it.
    app.case_view(&caseworker, &first).await.unwrap();
    World { app, _db: db, dpo, ee_dpo, caseworker, statistician, anna: [first, second], other }
}

async fn request(w: &World, kind: &str, case: &str, received_on: &str) -> (String, i64) {
    let input = NewSubjectRequest {
        kind: kind.into(),
        case: case.into(),
        received_on: received_on.into(),
        note: "Asked at the shelter.".into(),
    };
    let r = w.app.record_subject_request(&w.dpo, &input).await.unwrap();
    (r.id, r.version)
}

fn step(step: &str, version: i64) -> RequestStepInput {
    RequestStepInput { step: step.into(), version, ..RequestStepInput::default() }
}

async fn verified(w: &World, kind: &str, case: &str) -> (String, i64) {
    let (id, version) = request(w, kind, case, "2026-05-20").await;
    let mut s = step("verify", version);
    s.method = "document_in_person".into();
    let r = w.app.subject_request_step(&w.dpo, &id, &s).await.unwrap();
    assert_eq!(r.status, RequestStatus::Verified);
    (id, r.version)
}

async fn on_both(test: impl AsyncFn(World)) {
    let (app, db) = sqlite_app().await;
    test(world(app, db).await).await;
    if let Some((app, db)) = postgres_app().await {
        test(world(app, db).await).await;
    }
}

#[tokio::test]
async fn reg_2016_679_art_15_the_export_holds_exactly_the_persons_records_and_nothing_of_another_person() {
    on_both(async |w: World| {
        let (id, _) = verified(&w, "access", &w.anna[1]).await;
        let export = w.app.subject_access_export(&w.dpo, &id).await.unwrap();
        let mut cases: Vec<&str> = export.registrations.iter().map(|r| r.case_id.as_str()).collect();
        cases.sort_unstable();
        let mut expected: Vec<&str> = w.anna.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(cases, expected, "both of Anna's registrations, clustered as one person");
        let json = serde_json::to_string(&export).unwrap();
        for held in ["FA111111", "Anna-first-note", "Anna-second-note", "1990-03-14", "Ozola"] {
            assert!(json.contains(held), "{held} is held about Anna");
        }
        for foreign in ["FB222222", "Kalnina", "1990-03-15", w.other.as_str()] {
            assert!(!json.contains(foreign), "{foreign} belongs to another person");
        }
        // Who received the data, and who read it.
        let first = export.registrations.iter().find(|r| r.case_id == w.anna[0]).unwrap();
        assert!(first.recipients.iter().any(|r| r.kind == "share" && r.to == "State Police"));
        assert!(first.access_history.iter().any(|a| a.action == "case_read" && a.who == "caseworker"));
        // Dir 2016/680 Art 15: proceedings withheld, said in the export and recorded in the request.
        assert_eq!(export.restrictions.len(), 1);
        assert!(export.restrictions[0].article.starts_with("Dir 2016/680 Art 15(1)"));
        let r = w.app.subject_request(&w.dpo, &id).await.unwrap();
        assert_eq!(r.detail.restrictions_applied, vec![export.restrictions[0].message.clone()]);
        assert!(r.detail.exported_at.is_some());
        // The officer's read is audited on each registration read.
        for case in &w.anna {
            let n = w
                .app
                .store()
                .count_unchecked(&format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'subject_access_exported' AND target_id = '{case}'"
                ))
                .await
                .unwrap();
            assert_eq!(n, 1, "{case}");
        }
    })
    .await;
}

#[tokio::test]
async fn reg_2016_679_art_38_only_the_officer_of_the_jurisdiction_handles_requests() {
    on_both(async |w: World| {
        assert!(matches!(w.app.subject_requests(&w.caseworker).await, Err(AppError::Forbidden)));
        let (id, version) = request(&w, "access", &w.anna[0], "2026-05-20").await;
        assert!(matches!(w.app.subject_request(&w.caseworker, &id).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.subject_access_export(&w.caseworker, &id).await, Err(AppError::Forbidden)));
        // Another country's officer is refused it (403, as for the erasure of a request), and
        // does not list it.
        assert!(matches!(w.app.subject_request(&w.ee_dpo, &id).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.subject_access_export(&w.ee_dpo, &id).await, Err(AppError::Forbidden)));
        assert!(w.app.subject_requests(&w.ee_dpo).await.unwrap().is_empty());
        let input = NewSubjectRequest {
            kind: "access".into(),
            case: w.anna[0].clone(),
            received_on: "2026-05-20".into(),
            note: String::new(),
        };
        let Err(AppError::Invalid(e)) = w.app.record_subject_request(&w.ee_dpo, &input).await else { panic!() };
        assert_eq!(e.field, "case");
        // No export before the identity is checked (Reg 2016/679 Art 12(6)).
        assert!(matches!(w.app.subject_access_export(&w.dpo, &id).await, Err(AppError::ConflictSaid { .. })));
        let Err(AppError::Invalid(e)) = w.app.subject_request_step(&w.dpo, &id, &step("answer", version)).await else {
            panic!()
        };
        assert_eq!(e.field, "step");
    })
    .await;
}

#[tokio::test]
async fn reg_2016_679_art_12_3_due_dates_follow_the_calendar_and_lateness_is_counted() {
    on_both(async |w: World| {
        // Received Saturday 2026-04-04: one month ends on Monday 4 May, a Latvian public holiday,
        // so on Tuesday 5 May (Reg 1182/71 Art 3(4)); today is 28 May: 23 days late.
        let (id, version) = request(&w, "access", &w.anna[0], "2026-04-04").await;
        let r = w.app.subject_request(&w.dpo, &id).await.unwrap();
        assert_eq!(r.due_on, "2026-05-05");
        assert!(r.late);
        assert_eq!(r.days_late, 23);
        // Too late to extend: the first month has passed.
        let mut extend = step("extend", version);
        extend.reason = "Many registrations.".into();
        let Err(AppError::Invalid(e)) = w.app.subject_request_step(&w.dpo, &id, &extend).await else { panic!() };
        assert_eq!(e.field, "extension_reason");
        // Received 31 January 2026 would be due 28 February (a Saturday): 2 March. A request
        // received on 10 May is extended within its first month to 10 August.
        let (id, version) = request(&w, "access", &w.anna[0], "2026-05-10").await;
        let mut extend = step("extend", version);
        extend.reason = "Many registrations.".into();
        let r = w.app.subject_request_step(&w.dpo, &id, &extend).await.unwrap();
        assert!(r.extended);
        assert_eq!(r.due_on, "2026-08-10");
        assert!(!r.late);
        assert_eq!(r.detail.extension_reason.as_deref(), Some("Many registrations."));
        // A stale version is a conflict.
        assert!(matches!(w.app.subject_request_step(&w.dpo, &id, &extend).await, Err(AppError::Conflict(_))));
        // Identity, then the answer, dated.
        let mut verify = step("verify", r.version);
        verify.method = "known_to_caseworker".into();
        verify.on = "2026-05-11".into();
        let r = w.app.subject_request_step(&w.dpo, &id, &verify).await.unwrap();
        assert_eq!(r.identity_checked_on.as_deref(), Some("2026-05-11"));
        assert_eq!(r.identity_checked_by.as_deref(), Some("dpo"));
        let mut answer = step("answer", r.version);
        answer.on = "2026-05-12".into();
        let r = w.app.subject_request_step(&w.dpo, &id, &answer).await.unwrap();
        assert_eq!((r.status, r.answered_on.as_deref(), r.late), (RequestStatus::Answered, Some("2026-05-12"), false));
        // An answer dated before receipt names the field.
        let (id, version) = verified(&w, "rectification", &w.anna[0]).await;
        let mut answer = step("answer", version);
        answer.on = "2026-05-01".into();
        let Err(AppError::Invalid(e)) = w.app.subject_request_step(&w.dpo, &id, &answer).await else { panic!() };
        assert_eq!(e.field, "on");
        // An erasure is approved, then waits for the erasure.
        let (id, version) = verified(&w, "erasure", &w.anna[0]).await;
        let r = w.app.subject_request_step(&w.dpo, &id, &step("approve_erasure", version)).await.unwrap();
        assert_eq!(r.status, RequestStatus::AwaitingErasure);
    })
    .await;
}

#[tokio::test]
async fn reg_2016_679_art_16_a_rectification_keeps_the_old_value_with_who_and_why() {
    on_both(async |w: World| {
        let case = &w.anna[0];
        let h = w.app.rectification_history(&w.caseworker, case).await.unwrap();
        assert!(h.entries.is_empty());
        let input = RectificationInput {
            version: h.version,
            field: "given_names".into(),
            value: "Anne".into(),
            reason: "Spelling on the passport.".into(),
            request_id: None,
        };
        let done = w.app.rectify_field(&w.caseworker, case, &input).await.unwrap();
        assert_eq!(done.old_value, "Anna");
        let view = w.app.case_view(&w.caseworker, case).await.unwrap();
        assert_eq!(view.person.given_names, "Anne");
        let h = w.app.rectification_history(&w.caseworker, case).await.unwrap();
        assert_eq!(h.entries.len(), 1);
        let e = &h.entries[0];
        assert_eq!(
            (e.field.as_str(), e.old_value.as_str(), e.rectified_by.as_str()),
            ("given_names", "Anna", "caseworker")
        );
        assert_eq!(e.reason, "Spelling on the passport.");
        // Encrypted at rest like the field itself.
        let plain = w
            .app
            .store()
            .count_unchecked("SELECT COUNT(*) FROM rectifications WHERE CAST(old_value AS TEXT) LIKE '%Anna%'")
            .await
            .unwrap_or(0);
        assert_eq!(plain, 0);
        // The same version again is stale; the officer reads no history (no compartment).
        assert!(w.app.rectify_field(&w.caseworker, case, &input).await.is_err());
        assert!(matches!(
            w.app.rectification_history(&w.dpo, case).await,
            Err(AppError::Forbidden | AppError::NotFound)
        ));
        // The export shows the rectified value and the earlier one.
        let (id, _) = verified(&w, "access", case).await;
        let export = w.app.subject_access_export(&w.dpo, &id).await.unwrap();
        let r = export.registrations.iter().find(|r| &r.case_id == case).unwrap();
        assert_eq!(r.rectifications[0].old_value, "Anna");
    })
    .await;
}

#[tokio::test]
async fn reg_2016_679_art_18_a_restricted_case_is_read_not_written_and_left_out_of_matching_and_counts() {
    on_both(async |w: World| {
        let before = w.app.person_clusters(&w.statistician, w.statistician.actor.jurisdiction).await.unwrap();
        assert_eq!(before.records, 3);
        let case = &w.other;
        let (id, version) = verified(&w, "restriction", case).await;
        let mut restrict = step("restrict", version);
        restrict.reason = "Accuracy contested.".into();
        let r = w.app.subject_request_step(&w.dpo, &id, &restrict).await.unwrap();
        assert!(r.case_restricted);
        assert_eq!(r.status, RequestStatus::Answered);
        // Read as before ...
        w.app.case_view(&w.caseworker, case).await.unwrap();
        let h = w.app.rectification_history(&w.caseworker, case).await.unwrap();
        assert_eq!(h.restriction.as_ref().map(|r| r.reason.as_str()), Some("Accuracy contested."));
        // ... every write refused, naming the restriction.
        let note = NoteInput::parse("support", "Another note").unwrap();
        match w.app.add_note(&w.caseworker, case, &note).await {
            Err(AppError::ConflictSaid { message, .. }) => assert_eq!(message.id, MessageId::CaseRestricted),
            other => panic!("{other:?}"),
        }
        let rect = RectificationInput {
            version: h.version,
            field: "family_names".into(),
            value: "Kalniņa".into(),
            reason: "Spelling.".into(),
            request_id: None,
        };
        assert!(matches!(w.app.rectify_field(&w.caseworker, case, &rect).await, Err(AppError::ConflictSaid { .. })));
        // Out of the person counts and of matching.
        let during = w.app.person_clusters(&w.statistician, w.statistician.actor.jurisdiction).await.unwrap();
        assert_eq!(during.records, 2);
        let search = SearchInput { name: String::new(), date_of_birth: String::new(), document: "FB222222".into() };
        assert!(w.app.search_persons(&w.caseworker, &search).await.unwrap().is_empty());
        // Lifting restores them.
        w.app.subject_request_step(&w.dpo, &id, &step("lift", r.version)).await.unwrap();
        let after = w.app.person_clusters(&w.statistician, w.statistician.actor.jurisdiction).await.unwrap();
        assert_eq!(after.records, 3);
        assert_eq!(w.app.search_persons(&w.caseworker, &search).await.unwrap().len(), 1);
        w.app.add_note(&w.caseworker, case, &note).await.unwrap();
        // Lifting twice says it is not restricted.
        assert!(matches!(
            w.app.subject_request_step(&w.dpo, &id, &step("lift", r.version)).await,
            Err(AppError::ConflictSaid { .. })
        ));
    })
    .await;
}
