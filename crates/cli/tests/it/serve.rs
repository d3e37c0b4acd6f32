//! `haven serve`: first start, health, graceful shutdown.

use crate::{Haven, contains_bytes, line_value, read_response, request_head};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn first_start_prints_the_administrator_password_once_and_never_stores_or_logs_it() {
    let haven = Haven::new();
    let server = haven.serve();
    assert!(server.banner.contains("First start: created the administrator account."), "{}", server.banner);
    let username = line_value(&server.banner, "username:");
    let password = line_value(&server.banner, "password:");
    assert!(password.len() >= 12, "{password:?}");

    // The key file exists, readable by its owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(haven.key_file()).expect("the master key file is created").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "master.key has mode {:o}", mode & 0o777);
    }

    for path in ["/healthz", "/readyz"] {
        let r = server.get(path, None);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(r.body.contains("status"), "{path}: {}", r.body);
    }
    // The administrator can log in with the printed password.
    server.login(&username, &password);

    let (out, err) = server.stop();
    assert!(out.contains(&password), "the password went to stdout");
    assert!(!err.contains(&password), "the password is in the logs: {err}");
    assert!(err.contains("shutting down"), "no shutdown in the logs: {err}");
    assert!(err.contains("master key file lies in the data folder"), "no warning about the key file: {err}");
    for (path, bytes) in haven.files() {
        assert!(!contains_bytes(&bytes, &password), "the password is in {}", path.display());
    }

    // A second start finds the administrator and prints no password.
    let again = haven.serve();
    assert!(!again.banner.contains("password"), "{}", again.banner);
    let (out, err) = again.stop();
    assert!(!out.contains(&password) && !err.contains(&password));
    assert!(!out.contains("First start"), "{out}");
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_exits_zero() {
    let haven = Haven::new();
    let server = haven.serve();

    // A login whose body is only half sent when the signal arrives: it is in flight.
    let body = serde_json::json!({ "username": "nobody.here", "password": "not the password at all" }).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    stream.write_all(request_head("POST", "/api/v1/auth/login", None, Some(&body)).as_bytes()).expect("head");
    stream.write_all(first.as_bytes()).expect("first half");
    stream.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(500));

    let signalled = Instant::now();
    server.terminate();
    server.wait_for_log("shutting down", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(100));
    // New connections are no longer served…
    let refused = TcpStream::connect(server.addr).map(|mut s| {
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut s, &mut buf);
        buf
    });
    assert!(
        refused.is_err() || refused.as_ref().is_ok_and(Vec::is_empty),
        "a new request was served after SIGTERM: {refused:?}"
    );

    // …but the one in flight gets its answer.
    stream.write_all(rest.as_bytes()).expect("second half");
    let response = read_response(&mut stream);
    assert_eq!(response.status, 401, "the request in flight was answered: {response:?}");
    assert!(response.body.contains("error"), "{}", response.body);

    let (status, _out, err) = server.wait(Duration::from_secs(15));
    assert!(status.success(), "exit status {status}: {err}");
    assert!(signalled.elapsed() < Duration::from_secs(10), "shutdown took {:?}", signalled.elapsed());
    assert!(err.contains("shutting down"), "{err}");
    assert!(!err.contains("not the password at all"), "a password in the logs: {err}");
}

#[test]
fn an_address_in_use_is_a_clear_error() {
    let haven = Haven::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let run = haven.run(&["serve", "--listen", &addr]);
    run.assert_fails_with(&["listen", &addr]);
}

#[test]
fn sigterm_right_after_the_server_says_it_serves_is_graceful() {
    let haven = Haven::new();
    for _ in 0..3 {
        let server = haven.serve();
        // No request first: the signal arrives as soon as the address is printed.
        let (_, err) = server.stop();
        assert!(err.contains("shutting down") && err.contains("closing the database"), "{err}");
    }
}

/// With the master key outside the data folder there is nothing to warn about.
#[test]
fn a_master_key_kept_apart_from_the_database_gives_no_warning() {
    let haven = Haven::new().with_env("HAVEN_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    let server = haven.serve();
    let (_, err) = server.stop();
    assert!(!err.contains("master key file lies in the data folder"), "{err}");
    assert!(!haven.key_file().exists(), "no key file is written when the key comes from the environment");
}
