//! Erasure by crypto-shredding (Reg 2016/679 Art 17; docs/data-protection.md, "Erasure by
//! crypto-shredding"): back up, erase a person, restore the old backup, and find nothing of the
//! person readable in it, on SQLite and on PostgreSQL; other persons still read; key rotation
//! goes on with subject keys; who may erase, the audit without content, the tombstone, the hold.

use std::sync::Arc;

use haven_app::subject_keys::{convert_to_subject_keys, readable_fields};
use haven_app::subject_requests::RectificationInput;
use haven_app::{App, AppError, AppSettings, FixedClock, LoginRequest, Principal};
use haven_crypto::{MasterKey, subject_key_id};
use haven_domain::case::NoteInput;
use haven_storage::{SUBJECT_COLUMNS, Store};

use crate::common::{NOW, organisation, refer, registration, user};

/// A database of one test: a SQLite folder or a PostgreSQL database, dropped at the end.
struct Db {
    store: Store,
    dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            let _ = std::process::Command::new("psql")
                .arg(admin)
                .arg("-qc")
                .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .output();
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Engine {
    Sqlite,
    Postgres,
}

async fn fresh(engine: Engine) -> Option<Db> {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open_sqlite(dir.path()).await.unwrap();
            Some(Db { store, dir: Some(dir), pg: None })
        }
        Engine::Postgres => {
            let url = std::env::var("HAVEN_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty())?;
            let name = format!("haven_shred_{}", uuid::Uuid::new_v4().simple());
            let out =
                std::process::Command::new("psql").arg(&url).arg("-qc").arg(format!("CREATE DATABASE {name}")).output();
            assert!(out.is_ok_and(|o| o.status.success()), "cannot create a PostgreSQL database for the test");
            let (base, _) = url.rsplit_once('/').unwrap();
            let store = Store::open_postgres(&format!("{base}/{name}")).await.unwrap();
            Some(Db { store, dir: None, pg: Some((url, name)) })
        }
    }
}

async fn open(store: Store, master: &MasterKey) -> App {
    App::open(store, master, Arc::new(FixedClock::new(NOW)), AppSettings::default()).await.unwrap()
}

async fn login(app: &App, name: &str) -> Principal {
    let req =
        LoginRequest { username: name, password: "a long enough password", totp: None, address: None, device: None };
    app.login(req).await.unwrap().principal
}

/// Every byte of the SQLite files (database and write-ahead log) of a folder.
fn sqlite_bytes(dir: &tempfile::TempDir) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Her names, passport, a place in a note, and her given names as rectified (the registered
/// spelling then stands only in the rectification history).
const ANNA: [&str; 5] = ["Anneliese", "Vītoliņa", "EP7741093", "Rīgas ielā", "Annelīze"];

struct World {
    db: Db,
    master: MasterKey,
    app: App,
    anna: String,
    maria: String,
    caseworker: Principal,
    dpo: Principal,
}

async fn world(engine: Engine) -> Option<World> {
    let db = fresh(engine).await?;
    let master = MasterKey::generate();
    let app = open(db.store.clone(), &master).await;
    let ngo = organisation(&app, "Patvērums", "ngo", "LV").await;
    let caseworker = user(&app, "lv.caseworker", &ngo, "caseworker").await;
    let dpo = user(&app, "lv.dpo", &ngo, "auditor").await;
    let anna = refer(&app, &caseworker, registration(ANNA[0], ANNA[1], Some("1999-04-02"), Some(ANNA[2]))).await;
    let maria =
        refer(&app, &caseworker, registration("Maryna", "Kovalenko", Some("2001-09-30"), Some("FK1002003"))).await;
    let note = NoteInput::parse("support", &format!("met at {} 5, safe", ANNA[3])).unwrap();
    app.add_note(&caseworker, &anna, &note).await.unwrap();
    let version = app.rectification_history(&caseworker, &anna).await.unwrap().version;
    let rectified = RectificationInput {
        version,
        field: "given_names".into(),
        value: ANNA[4].into(),
        reason: "Spelling on the passport.".into(),
        request_id: None,
    };
    app.rectify_field(&caseworker, &anna, &rectified).await.unwrap();
    Some(World { db, master, app, anna, maria, caseworker, dpo })
}

/// Every field of a case in the subject columns is under its subject key (format version 2).
async fn all_under_subject_keys(store: &Store, case_id: &str) -> usize {
    let mut n = 0;
    for col in SUBJECT_COLUMNS {
        for (row, ct) in store.subject_fields_of_case(col, case_id).await.unwrap() {
            assert!(
                subject_key_id(&ct).is_some(),
                "{}.{} of {row} is not under a subject key",
                col.column.table,
                col.column.column
            );
            n += 1;
        }
    }
    n
}

async fn backup_erase_restore_the_old_backup(engine: Engine) {
    let Some(w) = world(engine).await else {
        eprintln!("HAVEN_TEST_POSTGRES_URL is not set: skipped");
        return;
    };
    // What `haven backup` does first: every subject column under its case's key.
    convert_to_subject_keys(&w.app, 50).await.unwrap();
    assert!(all_under_subject_keys(&w.db.store, &w.anna).await >= 8, "person row, record, note and rectification");
    let mut data_old = Vec::new();
    w.db.store.dump(&mut data_old).await.unwrap();
    let mut keys_old = Vec::new();
    w.db.store.dump_key_store(&mut keys_old).await.unwrap();
    for word in ANNA {
        assert!(!contains(&data_old, word), "{word} in plaintext in the backup");
        assert!(!contains(&keys_old, word), "{word} in plaintext in the key-store backup");
    }

    let erased = w.app.erase_registrations(&w.dpo, std::slice::from_ref(&w.anna)).await.unwrap();
    assert_eq!(erased, vec![w.anna.clone()]);
    let mut keys_new = Vec::new();
    w.db.store.dump_key_store(&mut keys_new).await.unwrap();

    // The live database: the case is a tombstone, nothing of Anna opens, Maria reads.
    let refused = w.app.case_view(&w.caseworker, &w.anna).await.unwrap_err();
    assert!(matches!(&refused, AppError::Refused(r) if r.message_id == "msg-case-erased"), "{refused:?}");
    for f in readable_fields(&w.app, &w.anna).await.unwrap() {
        for word in ANNA {
            assert!(!f.text.contains(word), "{word} readable in {}.{}", f.table, f.column);
        }
    }
    assert_eq!(w.app.case_view(&w.caseworker, &w.maria).await.unwrap().person.family_names, "Kovalenko");
    if let Some(dir) = &w.db.dir {
        // SQLite's own files, the write-ahead log included: no name in the clear.
        let bytes = sqlite_bytes(dir);
        for word in ANNA {
            assert!(!contains(&bytes, word), "{word} in plaintext in the database files");
        }
    }

    // Restore the OLD data backup with the newest key-store backup into a new database.
    let target = fresh(engine).await.unwrap();
    let restored = target.store.restore_key_store(&mut keys_new.as_slice()).await.unwrap();
    assert_eq!(restored.tombstones, 1, "Anna's key restored as destroyed");
    assert!(restored.restored >= 1, "Maria's key restored");
    target.store.restore(&mut data_old.as_slice()).await.unwrap();
    let back = open(target.store.clone(), &w.master).await;
    let readable = readable_fields(&back, &w.anna).await.unwrap();
    assert!(readable.is_empty(), "fields of the erased person open in the restored old backup: {readable:?}");
    assert!(all_under_subject_keys(&target.store, &w.anna).await >= 8);
    let mut dumped = Vec::new();
    target.store.dump(&mut dumped).await.unwrap();
    for word in ANNA {
        assert!(!contains(&dumped, word), "{word} in plaintext in the restored database");
    }
    if let Some(dir) = &target.dir {
        let bytes = sqlite_bytes(dir);
        for word in ANNA {
            assert!(!contains(&bytes, word), "{word} in plaintext in the restored database files");
        }
    }
    // Another person of the same old backup reads in full.
    let cw = login(&back, "lv.caseworker").await;
    let maria = back.case_view(&cw, &w.maria).await.unwrap();
    assert_eq!((maria.person.given_names.as_str(), maria.person.family_names.as_str()), ("Maryna", "Kovalenko"));
    assert!(back.case_view(&cw, &w.anna).await.is_err(), "the erased person's case does not open");

    // The OLD key-store backup, restored beside the newer data backup that records the
    // erasure, does not bring Anna's key back either.
    let mut data_new = Vec::new();
    w.db.store.dump(&mut data_new).await.unwrap();
    let again = fresh(engine).await.unwrap();
    again.store.restore(&mut data_new.as_slice()).await.unwrap();
    let r = again.store.restore_key_store(&mut keys_old.as_slice()).await.unwrap();
    assert_eq!(r.kept_destroyed, 1, "{r:?}");
    let row = again.store.subject_key_of_case(&w.anna).await.unwrap().unwrap();
    assert!(row.wrapped.is_none() && row.destroyed_at.is_some());
    let reopened = open(again.store.clone(), &w.master).await;
    assert!(
        readable_fields(&reopened, &w.anna).await.unwrap().iter().all(|f| ANNA.iter().all(|a| !f.text.contains(a)))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_17_gdpr_erasure_reaches_the_old_backup_on_sqlite() {
    backup_erase_restore_the_old_backup(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_17_gdpr_erasure_reaches_the_old_backup_on_postgres() {
    backup_erase_restore_the_old_backup(Engine::Postgres).await;
}

async fn rotation_keeps_subject_keys(engine: Engine) {
    let Some(w) = world(engine).await else {
        eprintln!("HAVEN_TEST_POSTGRES_URL is not set: skipped");
        return;
    };
    convert_to_subject_keys(&w.app, 50).await.unwrap();
    let new_master = MasterKey::generate();
    let (keyring, _) = haven_app::keys::rotate_master_key(&w.db.store, &w.master, &new_master, NOW).await.unwrap();
    let progress = haven_app::keys::reencrypt_fields(&w.db.store, &keyring, 50, |_| {}).await.unwrap();
    let persons = progress.iter().find(|p| p.table == "persons" && p.column == "given_names").unwrap();
    assert_eq!(persons.reencrypted, 0, "fields under subject keys are left where they are");
    // Opened under the new master key only: the subject keys unwrap through their re-wrapped
    // wrapping key, and both persons read.
    let reopened = open(w.db.store.clone(), &new_master).await;
    let cw = login(&reopened, "lv.caseworker").await;
    assert_eq!(reopened.case_view(&cw, &w.anna).await.unwrap().person.given_names, ANNA[4]);
    assert_eq!(reopened.case_view(&cw, &w.maria).await.unwrap().person.given_names, "Maryna");
    // The wrapping key is never retired.
    let kek = reopened
        .data_key_ids()
        .into_iter()
        .find(|(_, p)| *p == haven_crypto::KeyPurpose::SubjectWrapping)
        .map(|(id, _)| id)
        .unwrap();
    let refused = haven_app::keys::retire_data_key(&w.db.store, &new_master, kek, NOW + 60).await.unwrap_err();
    assert!(matches!(refused, haven_app::keys::RetireError::WrapsSubjectKeys(_)), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotation_goes_on_with_subject_keys_on_sqlite() {
    rotation_keeps_subject_keys(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotation_goes_on_with_subject_keys_on_postgres() {
    rotation_keeps_subject_keys(Engine::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_registrations_are_written_under_their_own_key_at_once() {
    let w = world(Engine::Sqlite).await.unwrap();
    // No conversion pass: the person row, the record and the note are under subject keys.
    assert!(all_under_subject_keys(&w.db.store, &w.anna).await >= 6);
    let anna_key = w.db.store.subject_key_of_case(&w.anna).await.unwrap().unwrap();
    let maria_key = w.db.store.subject_key_of_case(&w.maria).await.unwrap().unwrap();
    assert_ne!(anna_key.id, maria_key.id, "one key per registration");
    assert_ne!(anna_key.wrapped, maria_key.wrapped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_data_protection_officer_of_the_jurisdiction_erases_and_it_is_audited_without_content() {
    let w = world(Engine::Sqlite).await.unwrap();
    let ngo = organisation(&w.app, "Pagalba", "ngo", "LT").await;
    let lt_dpo = user(&w.app, "lt-dpo", &ngo, "auditor").await;
    let lv = w
        .app
        .create_organisation(haven_app::admin::Acting::Operator, "Ministry", "competent_authority", "LV")
        .await
        .unwrap();
    let admin = user(&w.app, "lv.admin", &lv.id, "administrator").await;
    let one = std::slice::from_ref(&w.anna);
    for who in [&admin, &w.caseworker] {
        assert!(matches!(w.app.erase_registrations(who, one).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.erasure_candidates(who, &w.anna).await, Err(AppError::Forbidden)));
    }
    assert!(matches!(w.app.erase_registrations(&lt_dpo, one).await, Err(AppError::Forbidden)));
    let unknown = vec![uuid::Uuid::new_v4().to_string()];
    assert!(matches!(w.app.erase_registrations(&w.dpo, &unknown).await, Err(AppError::NotFound)));
    assert!(matches!(w.app.erase_registrations(&w.dpo, &[]).await, Err(AppError::Invalid(_))));

    let candidates = w.app.erasure_candidates(&w.dpo, &w.anna).await.unwrap();
    assert_eq!(candidates[0].case_id, w.anna);
    assert!(candidates.iter().all(|c| c.erased_at.is_none() && !c.held));
    assert_eq!(w.app.erase_registrations(&w.dpo, one).await.unwrap(), vec![w.anna.clone()]);
    // Erasing again changes nothing.
    assert!(w.app.erase_registrations(&w.dpo, one).await.unwrap().is_empty());
    let entries =
        w.db.store
            .count_unchecked(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'person_erased' AND target_id = '{}' AND detail IS NULL",
                w.anna
            ))
            .await
            .unwrap();
    assert_eq!(entries, 1, "one entry naming the case, no content");
    assert!(w.app.erasure_candidates(&w.dpo, &w.anna).await.unwrap()[0].erased_at.is_some());
    // The tombstone refuses writes too.
    let note = NoteInput::parse("support", "again").unwrap();
    assert!(matches!(w.app.add_note(&w.caseworker, &w.anna, &note).await, Err(AppError::Refused(_))));
    // The blind indexes are gone: a search by the passport number finds nothing.
    let left =
        w.db.store
            .count_unchecked(&format!("SELECT COUNT(*) FROM identifier_index WHERE case_id = '{}'", w.anna))
            .await
            .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legal_hold_stops_the_erasure() {
    let w = world(Engine::Sqlite).await.unwrap();
    w.db.store
        .execute_unchecked(&format!(
            "INSERT INTO retention_holds (id, record_kind, record_id, jurisdiction, reason, placed_by, placed_at) \
             VALUES ('hold-1', 'registration', '{}', 'LV', 'pending proceedings', '{}', {NOW})",
            w.anna, w.dpo.user.id
        ))
        .await
        .unwrap();
    let refused = w.app.erase_registrations(&w.dpo, std::slice::from_ref(&w.anna)).await.unwrap_err();
    assert!(matches!(&refused, AppError::Refused(r) if r.message_id == "msg-erasure-held"), "{refused:?}");
    assert!(w.app.erasure_candidates(&w.dpo, &w.anna).await.unwrap()[0].held);
    assert_eq!(w.app.case_view(&w.caseworker, &w.anna).await.unwrap().person.given_names, ANNA[4]);
}
