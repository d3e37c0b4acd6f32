//! The haven binary, run as a user runs it.
//!
//! Every test gets its own data directory and a clean environment (no `HAVEN_*` variable of
//! the caller leaks in), runs the real binary and looks at its exit status, its output and the
//! files it leaves behind.

#![expect(clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]
#![expect(clippy::disallowed_methods, reason = "tests wait for a separate process, not on a runtime")]

mod admin;
mod audit;
mod backup;
mod config;
mod crash;
mod demo;
mod demo_report;
mod demo_stats;
mod encryption;
mod exchange;
mod exchange_ops;
mod exchange_tls;
mod key_reload;
#[path = "../../../stats/tests/it/outside_audit.rs"]
mod outside_audit;
mod peer;
mod peer_revoke_own;
mod serve;
mod traceability;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The distinctive person registered by the encryption tests.
pub const GIVEN: &str = "Zygmunta";
pub const FAMILY: &str = "Quxwellington";

/// A data directory and the commands run against it.
pub struct Haven {
    pub dir: tempfile::TempDir,
    /// The data directory: the temporary directory, or a folder in it ([`Haven::within`]).
    data: PathBuf,
    env: Vec<(String, String)>,
}

impl Default for Haven {
    fn default() -> Self {
        Self::new()
    }
}

impl Haven {
    pub fn new() -> Haven {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().to_path_buf();
        Haven { dir, data, env: Vec::new() }
    }

    pub fn data(&self) -> &Path {
        &self.data
    }

    /// The same temporary directory, its folder `folder` as the data directory (an instance of
    /// the demonstration).
    pub fn within(mut self, folder: &str) -> Haven {
        self.data = self.dir.path().join(folder);
        self
    }

    pub fn key_file(&self) -> PathBuf {
        self.data().join("master.key")
    }

    /// An environment variable for every later command.
    pub fn with_env(mut self, name: &str, value: &str) -> Haven {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `haven --data DIR ARGS…` with a clean `HAVEN_*` environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = haven_command();
        cmd.arg("--data").arg(self.data()).args(args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.cmd(args))
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        run.assert_ok();
        run
    }

    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.cmd(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::of(cmd)
    }

    /// An organisation; returns its id.
    pub fn org(&self, name: &str, kind: &str, jurisdiction: &str) -> String {
        let run = self.ok(&["org", "create", "--name", name, "--kind", kind, "--jurisdiction", jurisdiction]);
        let id = run.stdout.trim().rsplit_once('(').and_then(|(_, r)| r.strip_suffix(')')).map(str::to_owned);
        id.unwrap_or_else(|| panic!("no organisation id in {:?}", run.stdout))
    }

    /// A user; returns its initial password.
    pub fn user(&self, username: &str, org: &str, roles: &str) -> String {
        let run = self.ok(&[
            "user",
            "create",
            "--username",
            username,
            "--display-name",
            "Test User",
            "--org",
            org,
            "--roles",
            roles,
        ]);
        line_value(&run.stdout, "initial password:")
    }

    pub fn serve(&self) -> Server {
        Server::start(self.cmd(&["serve", "--listen", "127.0.0.1:0"]))
    }

    /// Every file of the data directory (the database, its WAL and shared memory, the key).
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.data()).expect("read data dir") {
            let path = entry.expect("dir entry").path();
            if path.is_file() {
                let bytes = std::fs::read(&path).expect("read data file");
                out.push((path, bytes));
            }
        }
        out
    }

    /// Every file of the data directory and of its folders (the demonstration's instances).
    pub fn all_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut folders = vec![self.data().to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("read data dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.is_file() {
                    let bytes = std::fs::read(&path).expect("read data file");
                    out.push((path, bytes));
                }
            }
        }
        out
    }
}

/// The binary with no `HAVEN_*` variable of the caller's environment.
pub fn haven_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haven"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("HAVEN_") {
            cmd.env_remove(&name);
        }
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// A finished command.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    describe: String,
}

impl Run {
    pub fn of(mut cmd: Command) -> Run {
        let describe = format!("{:?}", cmd.get_args().collect::<Vec<_>>());
        let Output { status, stdout, stderr } = cmd.output().expect("run haven");
        Run {
            status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            describe,
        }
    }

    pub fn assert_ok(&self) {
        assert!(
            self.status.success(),
            "haven {} failed ({}):\nstdout: {}\nstderr: {}",
            self.describe,
            self.status,
            self.stdout,
            self.stderr
        );
    }

    /// A clean failure: exit status 1 (not a panic's 101, not a signal), an `error:` line
    /// that contains every one of `needles` (case-insensitive), and no panic message.
    pub fn assert_fails_with(&self, needles: &[&str]) {
        assert_eq!(
            self.status.code(),
            Some(1),
            "haven {} should fail with status 1 ({}):\nstdout: {}\nstderr: {}",
            self.describe,
            self.status,
            self.stdout,
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "haven {} panicked: {}", self.describe, self.stderr);
        let lower = self.stderr.to_lowercase();
        assert!(lower.contains("error:"), "no error line from haven {}: {}", self.describe, self.stderr);
        for n in needles {
            assert!(
                lower.contains(&n.to_lowercase()),
                "haven {}: {:?} not in the error:\n{}",
                self.describe,
                n,
                self.stderr
            );
        }
    }
}

/// The text after `label` on the first line that contains it.
pub fn line_value(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.split_once(label).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_else(|| panic!("no {label:?} in {text:?}"))
}

/// Whether `needle` occurs in `haystack` (bytes, ASCII case-insensitive).
pub fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// A running `haven serve`, its output collected as it comes.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// Everything printed to stdout before the server said where it listens.
    pub banner: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

fn collect(
    stream: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
    lines: Option<mpsc::Sender<String>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    into.lock().expect("output lock").push_str(&line);
                    if let Some(tx) = &lines {
                        let _ = tx.send(line.clone());
                    }
                }
            }
        }
    })
}

impl Server {
    pub fn start(mut cmd: Command) -> Server {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn haven serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let readers = vec![collect(out, stdout.clone(), Some(tx)), collect(err, stderr.clone(), None)];
        // the demonstration loads four instances first
        let deadline = Instant::now() + Duration::from_secs(240);
        let mut banner = String::new();
        let addr = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.split_once("Haven is serving on http://").map(|(_, r)| r) {
                        let addr = rest.split_whitespace().next().unwrap_or_default();
                        break addr.parse::<SocketAddr>().unwrap_or_else(|e| panic!("address {addr:?}: {e}"));
                    }
                    banner.push_str(&line);
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "the server did not say where it listens.\nstdout: {}\nstderr: {}",
                        stdout.lock().expect("lock"),
                        stderr.lock().expect("lock")
                    );
                }
            }
        };
        Server { child, addr, banner, stdout, stderr, readers }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn get(&self, path: &str, session: Option<&Session>) -> Response {
        request(self.addr, "GET", path, session, None)
    }

    pub fn post(&self, path: &str, session: Option<&Session>, body: &str) -> Response {
        request(self.addr, "POST", path, session, Some(body))
    }

    pub fn login(&self, username: &str, password: &str) -> Session {
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        let r = self.post("/api/v1/auth/login", None, &body);
        assert_eq!(r.status, 200, "login of {username}: {}", r.body);
        let cookie = r.header("set-cookie").expect("a session cookie");
        let cookie = cookie.split(';').next().unwrap_or_default().trim().to_owned();
        let json: serde_json::Value = serde_json::from_str(&r.body).expect("login JSON");
        let csrf = json["csrf_token"].as_str().expect("csrf_token").to_owned();
        Session { cookie, csrf }
    }

    /// Waits until the logs contain `needle`.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let logs = self.stderr.lock().expect("lock").clone();
            if logs.contains(needle) {
                return;
            }
            assert!(Instant::now() < deadline, "{needle:?} not logged within {timeout:?}: {logs}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.pid().to_string()]).status().expect("run kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to end (killing it after `timeout`); returns its status and
    /// whole stdout and stderr.
    pub fn wait(mut self, timeout: Duration) -> (ExitStatus, String, String) {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let status = self.child.wait().expect("wait");
                panic!(
                    "the server did not exit within {timeout:?} ({status}); stderr: {}",
                    self.stderr.lock().expect("lock")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        let out = self.stdout.lock().expect("lock").clone();
        let err = self.stderr.lock().expect("lock").clone();
        (status, out, err)
    }

    /// SIGTERM, then insists on a prompt exit with status 0.
    pub fn stop(self) -> (String, String) {
        self.terminate();
        let (status, out, err) = self.wait(Duration::from_secs(15));
        assert!(status.success(), "the server exited with {status}; stderr: {err}");
        (out, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A logged-in API session.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// An HTTP response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The head of an HTTP/1.1 request (with `Connection: close`).
pub fn request_head(method: &str, path: &str, session: Option<&Session>, body: Option<&str>) -> String {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    if let Some(s) = session {
        head.push_str(&format!("Cookie: {}\r\nX-CSRF-Token: {}\r\n", s.cookie, s.csrf));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    head
}

pub fn request(addr: SocketAddr, method: &str, path: &str, session: Option<&Session>, body: Option<&str>) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let mut bytes = request_head(method, path, session, body).into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default().as_bytes());
    stream.write_all(&bytes).expect("send request");
    read_response(&mut stream)
}

pub fn read_response(stream: &mut TcpStream) -> Response {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no end of headers in {text:?}"));
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line {status_line:?}"));
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    let chunked =
        headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_owned() };
    Response { status, headers, body }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].strip_prefix("\r\n").unwrap_or(&rest[n..]);
    }
    out
}

/// A data directory with an NGO, a first responder in it and one registered case of the
/// distinctive person, the server stopped again. Returns the case id and the server's output.
pub struct WithCase {
    pub haven: Haven,
    pub username: String,
    pub password: String,
    pub case_id: String,
    pub server_output: String,
}

pub fn with_case() -> WithCase {
    with_case_in(Haven::new())
}

/// [`with_case`] on a given (configured) instance.
pub fn with_case_in(haven: Haven) -> WithCase {
    haven.org("Test Victim Support", "ngo", "LV");
    let username = "responder".to_owned();
    let password = haven.user(&username, "Test Victim Support", "first_responder");
    let server = haven.serve();
    let session = server.login(&username, &password);
    let case_id = register_case(&server, &session);
    let (out, err) = server.stop();
    WithCase { haven, username, password, case_id, server_output: format!("{out}\n{err}") }
}

/// Registers the distinctive person; returns the case id.
pub fn register_case(server: &Server, session: &Session) -> String {
    let body = serde_json::json!({
        "person": { "given_names": GIVEN, "family_names": FAMILY, "sex": "female", "date_of_birth": "1990-02-03" }
    })
    .to_string();
    let r = server.post("/api/v1/cases", Some(session), &body);
    assert_eq!(r.status, 201, "register case: {}", r.body);
    r.json()["id"].as_str().expect("case id").to_owned()
}

/// Reads the case back through the API and checks the person is the distinctive one.
pub fn assert_case_readable(server: &Server, session: &Session, case_id: &str) {
    let r = server.get(&format!("/api/v1/cases/{case_id}"), Some(session));
    assert_eq!(r.status, 200, "read case: {}", r.body);
    let json = r.json();
    assert_eq!(json["person"]["given_names"], GIVEN, "{json}");
    assert_eq!(json["person"]["family_names"], FAMILY, "{json}");
    assert_eq!(json["person"]["date_of_birth"], "1990-02-03", "{json}");
}
