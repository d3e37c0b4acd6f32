//! The crash harness: concurrent API writes while the server is killed with SIGKILL at a random
//! moment, again and again; after each restart every acknowledged write is there, the SQLite
//! database passes its integrity check and the audit chain verifies. A short run here (3 kills);
//! the long one (`HAVEN_CRASH_ROUNDS=20`) from `bench/reliability/crash.sh`.

use crate::{Haven, Server, Session, request_head};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One write: the id of the case created, if the server acknowledged it (201 with the id).
fn create(addr: SocketAddr, session: &Session, n: usize) -> Option<String> {
    let body = format!(r#"{{"person": {{"given_names": "Crash{n}", "family_names": "Test"}}}}"#);
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut bytes = request_head("POST", "/api/v1/registrations", Some(session), Some(&body)).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    stream.write_all(&bytes).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw);
    if !text.starts_with("HTTP/1.1 201") {
        return None;
    }
    let body = text.split_once("\r\n\r\n")?.1;
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    json["id"].as_str().map(str::to_owned)
}

/// A small deterministic generator for the moments of the kills (reproducible runs).
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// Kills the server `rounds` times under concurrent writes; `args` come before the command
/// (the database to use). Returns the ids the server acknowledged.
fn crash_rounds(haven: &Haven, args: &[&str], rounds: u64) -> (Vec<String>, String) {
    let run = |rest: &[&str]| {
        let all: Vec<&str> = args.iter().chain(rest).copied().collect();
        haven.ok(&all)
    };
    let org = run(&["org", "create", "--name", "Crash NGO", "--kind", "ngo", "--jurisdiction", "LV"]);
    let org = org.stdout.trim().rsplit_once('(').and_then(|(_, r)| r.strip_suffix(')')).unwrap_or_default().to_owned();
    let user = run(&[
        "user",
        "create",
        "--username",
        "crash.worker",
        "--display-name",
        "Crash Worker",
        "--org",
        &org,
        "--roles",
        "caseworker,first_responder",
    ]);
    let password = crate::line_value(&user.stdout, "password:");
    let serve = || {
        let all: Vec<&str> = args.iter().copied().chain(["serve", "--listen", "127.0.0.1:0"]).collect();
        Server::start(haven.cmd(&all))
    };
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let mut seed = 0x5eed_u64;
    for round in 0..rounds {
        let server = serve();
        let session = Arc::new(server.login("crash.worker", &password));
        let addr = server.addr;
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (session, acknowledged) = (session.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    let mut failures = 0;
                    for i in 0..10_000 {
                        match create(addr, &session, (round as usize) * 100_000 + w * 10_000 + i) {
                            Some(id) => acknowledged.lock().expect("lock").push(id),
                            None => {
                                failures += 1;
                                if failures > 20 {
                                    return;
                                }
                                std::thread::sleep(Duration::from_millis(5));
                            }
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300 + next(&mut seed) % 1200));
        let status = Command::new("kill").args(["-KILL", &server.pid().to_string()]).status().expect("run kill");
        assert!(status.success(), "kill -KILL failed");
        for w in writers {
            w.join().expect("writer");
        }
        drop(server);
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= rounds as usize, "too few writes to say anything: {}", acknowledged.len());

    // After the last kill: every acknowledged write is there, and the audit chain verifies.
    let server = serve();
    let session = server.login("crash.worker", &password);
    for id in &acknowledged {
        let r = server.get(&format!("/api/v1/registrations/{id}"), Some(&session));
        assert_eq!(r.status, 200, "acknowledged case {id} lost: {}", r.body);
    }
    server.stop();
    run(&["audit", "verify"]);
    (acknowledged, password)
}

fn rounds() -> u64 {
    std::env::var("HAVEN_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3)
}

#[test]
fn acknowledged_writes_survive_sigkill_on_sqlite_and_the_database_and_audit_stay_sound() {
    let haven = Haven::new();
    let started = Instant::now();
    let (acknowledged, _) = crash_rounds(&haven, &[], rounds());
    match Command::new("sqlite3").arg(haven.data().join("haven.db")).arg("PRAGMA integrity_check;").output() {
        Ok(out) => assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok", "{out:?}"),
        Err(_) => println!("skipped: the sqlite3 command is not installed, so PRAGMA integrity_check was not run"),
    }
    println!(
        "crash harness (sqlite): {} kills, {} acknowledged writes, all present, in {:.1} s",
        rounds(),
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn acknowledged_writes_survive_sigkill_on_postgresql_and_the_audit_stays_sound() {
    let Ok(admin_url) = std::env::var("HAVEN_TEST_POSTGRES_URL") else {
        println!("SKIPPED: HAVEN_TEST_POSTGRES_URL not set");
        return;
    };
    let database = crate::backup::PostgresDatabase::create(&admin_url);
    let haven = Haven::new().with_env("HAVEN_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    let started = Instant::now();
    let (acknowledged, _) = crash_rounds(&haven, &["--database-url", &database.url], rounds());
    println!(
        "crash harness (postgresql): {} kills, {} acknowledged writes, all present, in {:.1} s",
        rounds(),
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}
