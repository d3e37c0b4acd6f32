//! Writes of new registrations. An import of registrations (an HTCDS file) is one transaction across its cases: when the write of
//! one case fails half way, none of the file's cases is written, on SQLite and on PostgreSQL.

use crate::common::{self, Database, organisation, registration, user};
use haven_app::{App, AppError};

/// What an import writes, counted behind the application's back.
async fn written(app: &App) -> Vec<i64> {
    let mut counts = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM cases",
        "SELECT COUNT(*) FROM persons",
        "SELECT COUNT(*) FROM registrations",
        "SELECT COUNT(*) FROM identifier_index",
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('registration_created', 'case_imported')",
    ] {
        counts.push(app.store().count_unchecked(sql).await.unwrap());
    }
    counts
}

/// Imports three cases into a database where the write of the third case fails (`fail_third_case`
/// makes the database refuse a third row of `cases`), then checks that nothing was written; once the
/// failure is lifted, the same file imports whole.
async fn a_failure_at_the_third_case_writes_none(app: App, _db: Database, fail_third_case: &[&str], lift: &str) {
    let ngo = organisation(&app, "Biedrība Patvērums", "ngo", "LV").await;
    let caseworker = user(&app, "case.worker", &ngo, "caseworker").await;
    let file = || {
        vec![
            ("line 2".to_owned(), registration("Anna", "Bērziņa", Some("1990-01-02"), Some("PA100001"))),
            ("line 3".to_owned(), registration("Olena", "Kovalenko", None, Some("PA100002"))),
            ("line 4".to_owned(), registration("Iryna", "Shevchenko", Some("2001-07-30"), None)),
        ]
    };
    let before = written(&app).await;
    assert_eq!(before[0], 0, "the test needs a database without cases");
    for sql in fail_third_case {
        app.store().execute_unchecked(sql).await.unwrap();
    }
    let failed = app.import_registrations(&caseworker, file()).await;
    assert!(
        matches!(failed, Err(AppError::Internal(_) | AppError::Conflict(_) | AppError::ConflictSaid { .. })),
        "{failed:?}"
    );
    assert_eq!(written(&app).await, before, "a failed import left cases, persons, indexes or audit entries");

    app.store().execute_unchecked(lift).await.unwrap();
    let saved = app.import_registrations(&caseworker, file()).await.unwrap();
    assert_eq!(saved.len(), 3);
    let after = written(&app).await;
    assert_eq!(after[0], 3);
    assert_eq!(after[4], before[4] + 4, "an entry per case and one for the import");
    for s in &saved {
        assert!(app.store().registration(&s.id).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn an_import_writes_every_case_or_none_on_sqlite() {
    let (app, db) = common::sqlite_app().await;
    a_failure_at_the_third_case_writes_none(
        app,
        db,
        &["CREATE TRIGGER third_case_fails BEFORE INSERT ON cases WHEN (SELECT COUNT(*) FROM cases) >= 2 \
           BEGIN SELECT RAISE(ABORT, 'the third case fails'); END"],
        "DROP TRIGGER third_case_fails",
    )
    .await;
}

#[tokio::test]
async fn an_import_writes_every_case_or_none_on_postgres() {
    let Some((app, db)) = common::postgres_app().await else {
        eprintln!("skipped: HAVEN_TEST_POSTGRES_URL is not set");
        return;
    };
    a_failure_at_the_third_case_writes_none(
        app,
        db,
        &[
            "CREATE FUNCTION third_case_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF (SELECT COUNT(*) FROM cases) >= 2 THEN RAISE EXCEPTION 'the third case fails'; END IF; \
             RETURN NEW; END $$",
            "CREATE TRIGGER third_case_fails BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION third_case_fails()",
        ],
        "DROP TRIGGER third_case_fails ON cases",
    )
    .await;
}

/// A new registration's subject key is written in the case's own transaction (Reg 2016/679 Art 17:
/// a key is the case's data): when the case cannot be written, no key is left in the key store or
/// held in memory; once it can, the key is stored and the record reads back under it.
async fn a_case_that_cannot_be_written_leaves_no_subject_key(app: App, _db: Database, refuse: &[&str], lift: &str) {
    let ngo = organisation(&app, "Biedrība Patvērums", "ngo", "LV").await;
    let caseworker = user(&app, "case.worker", &ngo, "caseworker").await;
    let keys = "SELECT COUNT(*) FROM subject_keys";
    let stored = app.store().count_unchecked(keys).await.unwrap();
    let held = app.subject_keys_held();
    for sql in refuse {
        app.store().execute_unchecked(sql).await.unwrap();
    }
    let reg = || registration("Anna", "Bērziņa", Some("1990-01-02"), Some("PA100001"));
    let failed = app.create_registration(&caseworker, reg()).await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(app.store().count_unchecked(keys).await.unwrap(), stored, "a key of a case never written was stored");
    assert_eq!(app.subject_keys_held(), held, "a key of a case never written is held");
    assert_eq!(app.store().count_unchecked("SELECT COUNT(*) FROM cases").await.unwrap(), 0);

    app.store().execute_unchecked(lift).await.unwrap();
    let saved = app.create_registration(&caseworker, reg()).await.unwrap();
    assert_eq!(app.store().count_unchecked(keys).await.unwrap(), stored + 1);
    assert_eq!(app.subject_keys_held(), held + 1);
    assert!(app.store().subject_key_of_case(&saved.id).await.unwrap().is_some());
    let (read, version, ..) = app.registration_for_edit(&caseworker, &saved.id).await.unwrap();
    assert_eq!((read.person.family_names.as_str(), version), ("Bērziņa", 1));
}

#[tokio::test]
async fn art_17_reg_2016_679_a_case_that_cannot_be_written_leaves_no_subject_key_on_sqlite() {
    let (app, db) = common::sqlite_app().await;
    a_case_that_cannot_be_written_leaves_no_subject_key(
        app,
        db,
        &["CREATE TRIGGER no_case BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'no case'); END"],
        "DROP TRIGGER no_case",
    )
    .await;
}

#[tokio::test]
async fn art_17_reg_2016_679_a_case_that_cannot_be_written_leaves_no_subject_key_on_postgres() {
    let Some((app, db)) = common::postgres_app().await else {
        eprintln!("skipped: HAVEN_TEST_POSTGRES_URL is not set");
        return;
    };
    a_case_that_cannot_be_written_leaves_no_subject_key(
        app,
        db,
        &[
            "CREATE FUNCTION no_case() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             RAISE EXCEPTION 'no case'; END $$",
            "CREATE TRIGGER no_case BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION no_case()",
        ],
        "DROP TRIGGER no_case ON cases",
    )
    .await;
}

/// A new case whose reference is taken is written again under a fresh id and reference, on a
/// single registration and on an import. `take` makes the database refuse, as a unique violation,
/// every new case whose reference's first two hex digits are below 08 (1 in 32); without the retry,
/// 128 registrations would all get through about once in 60 runs. An import draws the whole
/// file's ids again, so its file is kept to 3 rows: a file is refused 4 times running about once
/// in 15,000 runs (a file of 32 rows was, about once in 6).
async fn a_taken_reference_is_drawn_again(app: App, _db: Database, take: &[&str]) {
    let ngo = organisation(&app, "Biedrība Patvērums", "ngo", "LV").await;
    let caseworker = user(&app, "case.worker", &ngo, "caseworker").await;
    for sql in take {
        app.store().execute_unchecked(sql).await.unwrap();
    }
    let mut references = Vec::new();
    for i in 0..128 {
        let saved = app.create_registration(&caseworker, registration("Anna", &format!("Ozola{i}"), None, None)).await;
        references.push(saved.unwrap().reference);
    }
    let file = (0..3)
        .map(|i| (format!("line {}", i + 2), registration("Olena", &format!("Koval{i}"), None, None)))
        .collect::<Vec<_>>();
    references.extend(app.import_registrations(&caseworker, file).await.unwrap().into_iter().map(|s| s.reference));
    assert_eq!(references.len(), 131);
    for r in &references {
        assert!(r.starts_with("LV-") && r.len() == 11, "{r}");
        assert!(r[3..5] >= *"08", "{r} was written although the database refuses it");
    }
    let written = app.store().count_unchecked("SELECT COUNT(*) FROM cases").await.unwrap();
    let keys = app.store().count_unchecked("SELECT COUNT(*) FROM subject_keys").await.unwrap();
    assert_eq!((written, app.subject_keys_held()), (131, usize::try_from(keys).unwrap()));
}

#[tokio::test]
async fn a_taken_reference_is_drawn_again_on_sqlite() {
    let (app, db) = common::sqlite_app().await;
    a_taken_reference_is_drawn_again(
        app,
        db,
        &[
            "CREATE TABLE taken (x INTEGER UNIQUE)",
            "INSERT INTO taken VALUES (1)",
            "CREATE TRIGGER taken_reference BEFORE INSERT ON cases WHEN substr(NEW.reference, 4, 2) < '08' \
             BEGIN INSERT INTO taken VALUES (1); END",
        ],
    )
    .await;
}

#[tokio::test]
async fn a_taken_reference_is_drawn_again_on_postgres() {
    let Some((app, db)) = common::postgres_app().await else {
        eprintln!("skipped: HAVEN_TEST_POSTGRES_URL is not set");
        return;
    };
    a_taken_reference_is_drawn_again(
        app,
        db,
        &[
            "CREATE FUNCTION taken_reference() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF substr(NEW.reference, 4, 2) < '08' THEN \
             RAISE EXCEPTION 'reference taken' USING ERRCODE = 'unique_violation'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER taken_reference BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION taken_reference()",
        ],
    )
    .await;
}
