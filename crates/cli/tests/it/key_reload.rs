//! A running server takes up `haven keys rotate` and `haven keys retire` done on its database
//! without a restart, and a row it wrote under the old field key after the re-encryption passed
//! it keeps that key from being retired until `--resume` re-keys it. On SQLite, and on PostgreSQL
//! when HAVEN_TEST_POSTGRES_URL is set.

use crate::backup::PostgresDatabase;
use crate::{FAMILY, GIVEN, Haven, assert_case_readable, register_case};
use haven_app::admin::{Acting, NewUser};
use haven_app::keys::{self, KEY_SETTLE_SECONDS, KeyCheck, KeyReloadError, MasterKeySource, RetireError};
use haven_app::{App, AppSettings, FixedClock, LoginRequest, Principal};
use haven_crypto::{KeyPurpose, Keyring, MasterKey};
use haven_domain::case::{NoteInput, PersonIdentity};
use haven_storage::{ENCRYPTED_COLUMNS, Store};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const START: i64 = 1_790_000_000;
const NOTE: &str = "written by a server still on the old field key";

/// A database for one test: a SQLite folder, or a fresh PostgreSQL database.
enum Database {
    Sqlite(tempfile::TempDir),
    Postgres(PostgresDatabase),
}

impl Database {
    /// SQLite, and PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.
    fn each() -> Vec<Database> {
        let mut out = vec![Database::Sqlite(tempfile::tempdir().expect("temp dir"))];
        match std::env::var("HAVEN_TEST_POSTGRES_URL") {
            Ok(admin_url) => out.push(Database::Postgres(PostgresDatabase::create(&admin_url))),
            Err(_) => println!("SKIPPED on PostgreSQL: HAVEN_TEST_POSTGRES_URL not set"),
        }
        out
    }

    fn name(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }

    /// A new connection pool, as another process (the server, the console) opens it.
    async fn open(&self) -> Store {
        match self {
            Database::Sqlite(dir) => Store::open_sqlite(dir.path()).await.expect("open SQLite"),
            Database::Postgres(db) => Store::open(&db.url).await.expect("open PostgreSQL"),
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// Haven opened on `store` with the key in `key_file`, as `haven serve` and the console open it.
async fn open_app(store: Store, key_file: &Path) -> App {
    let master = MasterKey::read_file(key_file).expect("key file");
    // These tests follow field keys through rotation: case data written under field keys.
    let settings = AppSettings { case_data_under_field_keys: true, ..AppSettings::default() };
    App::open(store, &master, Arc::new(FixedClock::new(START)), settings).await.expect("open Haven")
}

/// An NGO, a first responder and one registered case; the responder and the case id.
async fn with_case(app: &App) -> (Principal, String) {
    let org = app.create_organisation(Acting::Operator, "Test Victim Support", "ngo", "LV").await.expect("org").id;
    let new = NewUser {
        username: "responder".into(),
        display_name: "Test User".into(),
        organisation_id: org,
        roles: vec!["first_responder".into()],
        password: Some("correct horse battery staple".into()),
        language: None,
    };
    app.create_user(Acting::Operator, &new).await.expect("user");
    let login = LoginRequest {
        username: "responder",
        password: "correct horse battery staple",
        totp: None,
        address: None,
        device: None,
    };
    let principal = app.login(login).await.expect("login").principal;
    let identity = PersonIdentity::parse(GIVEN, FAMILY, &[], Some("1990-02-03"), "female").expect("identity");
    let case = app.register_case(&principal, &identity).await.expect("register");
    (principal, case.id)
}

async fn assert_reads(app: &App, principal: &Principal, case_id: &str) {
    let view = app.case_view(principal, case_id).await.expect("the case reads");
    assert_eq!((view.person.given_names.as_str(), view.person.family_names.as_str()), (GIVEN, FAMILY));
}

/// The key id of every stored encrypted field, by (table, column, row).
async fn field_keys(store: &Store) -> BTreeMap<(&'static str, &'static str, String), u32> {
    let mut out = BTreeMap::new();
    for col in ENCRYPTED_COLUMNS {
        for (row, ct) in store.encrypted_batch(col, None, 100_000).await.expect("batch") {
            // A field under its case's own subject key (format 2) is not a field key's: rotation
            // re-wraps the subject keys' wrapping key and leaves such fields as they are.
            if let Some(id) = Keyring::field_key_id(&ct) {
                out.insert((col.table, col.column, row), id);
            }
        }
    }
    out
}

async fn note_key(store: &Store, note_id: &str) -> u32 {
    field_keys(store).await[&("case_notes", "body", note_id.to_owned())]
}

#[test]
fn a_row_written_under_the_old_field_key_after_the_pass_blocks_retire_until_resume_re_keys_it() {
    for db in Database::each() {
        runtime().block_on(row_written_under_the_old_key_during_re_keying(&db));
        println!("passed on {}", db.name());
    }
}

async fn row_written_under_the_old_key_during_re_keying(db: &Database) {
    let keys_dir = tempfile::tempdir().expect("temp dir");
    let key_file = keys_dir.path().join("master.key");
    let (first_master, _) = MasterKey::load_or_create(&key_file).expect("key file");
    // The server, holding the keyring it unwrapped at start.
    let server = open_app(db.open().await, &key_file).await;
    let (principal, case_id) = with_case(&server).await;
    let old_id = server.active_field_key_id();

    // The operator's console, on its own connection, rotates with the functions `haven keys
    // rotate` uses, and re-encrypts before the server looked at the keys again.
    let console = open_app(db.open().await, &key_file).await;
    let store = console.store();
    let rotated = keys::rotate(store, &first_master, Some(&key_file), START).await.expect("rotate");
    let new_id = rotated.keyring.active_field_key_id();
    assert!(new_id > old_id);
    keys::reencrypt_fields(store, &rotated.keyring, 2, |_| {}).await.expect("the pass");
    assert!(field_keys(store).await.values().all(|k| *k == new_id), "the pass re-keyed every field");

    // The server, still on the old keyring, writes a note after the pass: under the old key.
    let input = NoteInput::parse("identity", NOTE).expect("note");
    let note = server.add_note(&principal, &case_id, &input).await.expect("a write during re-keying");
    assert_eq!(note_key(store, &note.id).await, old_id);
    assert_eq!(keys::field_key_use(store).await.expect("uses").get(&old_id), Some(&1));

    // Retiring the old key is refused: first while the new one is too young for every server to
    // have it, then while the note uses the old one.
    let retire = |now| keys::retire_data_key(store, &rotated.new_master, old_id, now);
    assert!(matches!(retire(START).await, Err(RetireError::TooSoon { id, .. }) if id == old_id));
    let settled = START + KEY_SETTLE_SECONDS;
    assert!(matches!(retire(settled).await, Err(RetireError::InUse { id, rows: 1 }) if id == old_id));

    // `haven keys rotate --resume` finds the note and re-keys it; then the key retires.
    let ring = keys::load(store, &MasterKey::read_file(&key_file).expect("new key")).await.expect("keys");
    let done = keys::reencrypt_fields(store, &ring, 200, |_| {}).await.expect("resume");
    let rekeyed: Vec<_> =
        done.iter().filter(|p| p.reencrypted > 0).map(|p| (p.table, p.column, p.reencrypted)).collect();
    assert_eq!(rekeyed, [("case_notes", "body", 1)]);
    assert_eq!(note_key(store, &note.id).await, new_id);
    retire(settled).await.expect("the old field key retires once nothing uses it");

    // A server given its old key in HAVEN_MASTER_KEY cannot follow, and says why; it keeps its keys.
    let given = MasterKeySource::Given(first_master);
    assert!(matches!(server.reload_keys_if_changed(&given).await, Err(KeyReloadError::NotGiven)));
    assert_eq!(server.active_field_key_id(), old_id);

    // The server reading its key file takes up the new keys, without a restart: the retired key
    // is gone, the re-keyed rows read, a new write is under the new key.
    let source = MasterKeySource::File(key_file.clone());
    let check = server.reload_keys_if_changed(&source).await.expect("reload");
    assert_eq!(check, KeyCheck::Reloaded { active_field_key: new_id });
    assert_eq!(server.reload_keys_if_changed(&source).await.expect("check"), KeyCheck::Unchanged);
    assert!(server.data_key_ids().iter().all(|(id, _)| *id != old_id), "{:?}", server.data_key_ids());
    assert_reads(&server, &principal, &case_id).await;
    let notes = server.notes(&principal, &case_id, "identity").await.expect("notes");
    assert_eq!(notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), [NOTE]);
    let after = server.add_note(&principal, &case_id, &input).await.expect("a write after");
    assert_eq!(note_key(store, &after.id).await, new_id);
    server.verify_audit().await.expect("the audit chain of both writers verifies");
    server.store().close().await;
    store.close().await;
}

#[test]
fn a_running_server_follows_a_rotation_and_a_retirement_without_a_restart() {
    for db in Database::each() {
        runtime().block_on(server_follows_rotation(&db));
        println!("passed on {}", db.name());
    }
}

/// Waits (at most 30 s) until `done` holds.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "not within 30 s: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn server_follows_rotation(db: &Database) {
    let keys_dir = tempfile::tempdir().expect("temp dir");
    let key_file = keys_dir.path().join("master.key");
    let (master, _) = MasterKey::load_or_create(&key_file).expect("key file");
    let server = open_app(db.open().await, &key_file).await;
    let following = server.follow_key_changes(MasterKeySource::File(key_file.clone()));
    let (principal, case_id) = with_case(&server).await;
    let old_id = server.active_field_key_id();

    let console = open_app(db.open().await, &key_file).await;
    let store = console.store();
    let started = Instant::now();
    let rotated = keys::rotate(store, &master, Some(&key_file), START).await.expect("rotate");
    let new_id = rotated.keyring.active_field_key_id();
    eventually("the server takes up the new field key", || server.active_field_key_id() == new_id).await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(KEY_SETTLE_SECONDS.unsigned_abs()),
        "the server took {took:?}, longer than the {KEY_SETTLE_SECONDS} s `haven keys rotate` waits"
    );
    keys::reencrypt_fields(store, &rotated.keyring, 3, |_| {}).await.expect("the pass");
    assert_reads(&server, &principal, &case_id).await;
    let input = NoteInput::parse("identity", NOTE).expect("note");
    let note = server.add_note(&principal, &case_id, &input).await.expect("write");
    assert_eq!(note_key(store, &note.id).await, new_id, "a new write is under the new key");

    keys::retire_data_key(store, &rotated.new_master, old_id, START + KEY_SETTLE_SECONDS).await.expect("retire");
    eventually("the server drops the retired key", || server.data_key_ids().iter().all(|(id, _)| *id != old_id)).await;
    assert!(server.data_key_ids().iter().any(|(id, p)| *id == new_id && *p == KeyPurpose::Field));
    assert_reads(&server, &principal, &case_id).await;
    assert_eq!(server.notes(&principal, &case_id, "identity").await.expect("notes").len(), 1);
    following.abort();
    server.store().close().await;
    store.close().await;
}

/// The active field key and the key id of every stored field, read from the database.
fn stored_keys(haven: &Haven, url: Option<&str>) -> (u32, BTreeMap<(&'static str, &'static str, String), u32>) {
    runtime().block_on(async {
        let store = match url {
            Some(url) => Store::open(url).await.expect("open PostgreSQL"),
            None => Store::open_sqlite(haven.data()).await.expect("open SQLite"),
        };
        let rows = store.data_keys().await.expect("keys");
        let active = rows.iter().filter(|r| r.purpose == "field").map(|r| r.id).max().expect("a field key");
        let fields = field_keys(&store).await;
        store.close().await;
        (u32::try_from(active).expect("id"), fields)
    })
}

fn person_keys(fields: &BTreeMap<(&'static str, &'static str, String), u32>, case_id: &str) -> Vec<u32> {
    fields.iter().filter(|((t, _, row), _)| *t == "persons" && row == case_id).map(|(_, k)| *k).collect()
}

/// `haven serve` runs through `haven keys rotate` and `haven keys retire` on its database: it reads
/// the re-encrypted case and writes under the new key without a restart.
fn serve_through_rotation_and_retirement(haven: &Haven, url: Option<&str>) {
    haven.org("Test Victim Support", "ngo", "LV");
    let password = haven.user("responder", "Test Victim Support", "first_responder");
    let server = haven.serve();
    let session = server.login("responder", &password);
    let first = register_case(&server, &session);
    let (old_id, _) = stored_keys(haven, url);

    let run = haven.ok(&["keys", "rotate", "--batch", "3"]);
    assert!(run.stdout.contains("waiting"), "it waits for running servers: {}", run.stdout);
    assert!(!run.stdout.contains("restart running servers"), "{}", run.stdout);
    server.wait_for_log("loaded the changed data keys", Duration::from_secs(30));
    let (new_id, fields) = stored_keys(haven, url);
    assert_ne!(new_id, old_id);
    assert!(person_keys(&fields, &first).iter().all(|k| *k == new_id), "the case is re-keyed");
    // The same server, not restarted: reads the re-keyed case, writes under the new key.
    assert_case_readable(&server, &session, &first);
    let second = register_case(&server, &session);
    let (_, fields) = stored_keys(haven, url);
    let keys = person_keys(&fields, &second);
    // A victim's fields go under the case's own subject key (crypto-shredding), never under the
    // old field key.
    assert!(keys.iter().all(|k| *k == new_id), "a new write under the new key: {keys:?}");

    let list = haven.ok(&["keys", "list"]).stdout;
    assert!(list.contains(&format!("{old_id}\tfield\t0 fields")), "{list}");
    haven.ok(&["keys", "retire", &old_id.to_string(), "--yes"]);
    assert_case_readable(&server, &session, &first);
    assert_case_readable(&server, &session, &second);
    let third = register_case(&server, &session);
    assert_case_readable(&server, &session, &third);
    let (_, err) = server.stop();
    assert!(!err.contains("cannot take up"), "{err}");
    assert!(stored_keys(haven, url).1.values().all(|k| *k == new_id));
    haven.ok(&["audit", "verify"]);
}

#[test]
fn haven_serve_takes_up_keys_rotate_and_retire_without_a_restart_on_sqlite() {
    serve_through_rotation_and_retirement(&Haven::new(), None);
}

#[test]
fn haven_serve_takes_up_keys_rotate_and_retire_without_a_restart_on_postgresql() {
    let Ok(admin_url) = std::env::var("HAVEN_TEST_POSTGRES_URL") else {
        println!("SKIPPED: HAVEN_TEST_POSTGRES_URL not set");
        return;
    };
    let database = PostgresDatabase::create(&admin_url);
    let haven = Haven::new().with_env("HAVEN_DATABASE_URL", &database.url);
    serve_through_rotation_and_retirement(&haven, Some(&database.url));
}
