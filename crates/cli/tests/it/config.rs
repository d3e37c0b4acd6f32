//! The configuration file and `HAVEN_*` overrides.

use crate::{Haven, Server};

fn write_config(haven: &Haven, text: &str) -> String {
    let path = haven.data().join("haven.toml");
    std::fs::write(&path, text).expect("write config");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn an_unknown_key_in_the_file_is_refused_by_name() {
    let haven = Haven::new();
    let file = write_config(&haven, "[server]\nlisen = \"127.0.0.1:9000\"\n");
    haven.run(&["--config", &file, "user", "list"]).assert_fails_with(&["lisen", "haven.toml"]);
    let file = write_config(&haven, "[serverr]\nlisten = \"127.0.0.1:9000\"\n");
    haven.run(&["--config", &file, "org", "list"]).assert_fails_with(&["serverr"]);
    // The same through HAVEN_CONFIG.
    haven.run_with(&["org", "list"], &[("HAVEN_CONFIG", &file)]).assert_fails_with(&["serverr"]);
    // Wrong types, bad syntax, a missing file.
    let file = write_config(&haven, "[sessions]\nidle_minutes = \"soon\"\n");
    haven.run(&["--config", &file, "org", "list"]).assert_fails_with(&["idle_minutes"]);
    let file = write_config(&haven, "[server\nlisten = 1\n");
    haven.run(&["--config", &file, "org", "list"]).assert_fails_with(&["haven.toml"]);
    let missing = haven.data().join("nope.toml");
    haven.run(&["--config", missing.to_str().expect("utf-8"), "org", "list"]).assert_fails_with(&["nope.toml"]);
    assert!(!haven.data().join("haven.db").exists(), "nothing is opened with a bad configuration");
}

#[test]
fn unknown_environment_variables_are_refused_by_name() {
    let haven = Haven::new();
    haven.run_with(&["org", "list"], &[("HAVEN_BOGUS__X", "1")]).assert_fails_with(&["HAVEN_BOGUS__X"]);
    haven.run_with(&["org", "list"], &[("HAVEN_SERVER__PORT", "1")]).assert_fails_with(&["HAVEN_SERVER__PORT"]);
    haven.run_with(&["org", "list"], &[("HAVEN_FOO", "1")]).assert_fails_with(&["HAVEN_FOO"]);
    haven.run_with(&["org", "list"], &[("HAVEN_SESSIONS__IDLE_MINUTES", "soon")]).assert_fails_with(&["idle_minutes"]);
    assert!(!haven.data().join("haven.db").exists(), "nothing is opened with a bad configuration");
    // Variables that are not configuration keys are fine.
    haven.run_with(&["org", "list"], &[("HAVEN_TEST_POSTGRES_URL", "postgres://unused")]).assert_ok();
}

#[test]
fn the_environment_overrides_the_file_and_flags_override_both() {
    let haven = Haven::new();
    // An address nobody can listen on: only the overrides make the server start.
    let file = write_config(
        &haven,
        "[server]\nlisten = \"192.0.2.1:9\"\n[instance]\njurisdiction = \"EE\"\n[log]\nformat = \"json\"\n",
    );
    haven.run(&["--config", &file, "serve"]).assert_fails_with(&["192.0.2.1:9"]);

    let mut cmd = haven.cmd(&["--config", &file, "serve"]);
    cmd.env("HAVEN_SERVER__LISTEN", "127.0.0.1:0");
    let server = Server::start(cmd);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
    assert_ne!(server.addr.port(), 0);
    assert_eq!(server.get("/healthz", None).status, 200);
    let (_, err) = server.stop();
    // JSON logs from the file's [log] section.
    let first = err.lines().next().unwrap_or_default();
    let json: serde_json::Value =
        serde_json::from_str(first).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {first}"));
    assert!(json.get("level").is_some(), "{first}");
    // The first-start organisation is in the file's jurisdiction.
    let orgs = haven.ok(&["--config", &file, "org", "list"]).stdout;
    assert!(orgs.contains(" EE ") && orgs.contains("Haven operator"), "{orgs}");

    // The alias HAVEN_LISTEN; --listen wins over both.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let taken_addr = taken.local_addr().expect("addr").to_string();
    let mut cmd = haven.cmd(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]);
    cmd.env("HAVEN_LISTEN", &taken_addr);
    let server = Server::start(cmd);
    assert_ne!(server.addr.to_string(), taken_addr);
    server.stop();
}

#[test]
fn the_master_key_file_can_live_elsewhere() {
    let haven = Haven::new();
    let keys = tempfile::tempdir().expect("temp dir");
    let key = keys.path().join("secret").join("haven.key");
    let file = write_config(&haven, &format!("[keys]\nmaster_key_file = {:?}\n", key.to_str().expect("utf-8")));
    haven.ok(&["--config", &file, "org", "create", "--name", "Elsewhere NGO", "--kind", "ngo", "--jurisdiction", "LT"]);
    assert!(key.exists(), "the key file is where the configuration says");
    assert!(!haven.key_file().exists(), "and not in the data directory");
    assert!(haven.ok(&["--config", &file, "org", "list"]).stdout.contains("Elsewhere NGO"));
    // Without the configuration a new key would be made, which does not open the database.
    haven.run(&["org", "list"]).assert_fails_with(&["master key"]);
}
