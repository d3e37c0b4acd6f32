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

/// Writes `files` (relative path, text) under a reference directory and returns its path.
fn reference_dir(haven: &Haven, files: &[(&str, &str)]) -> String {
    let dir = haven.data().join("reference");
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&file, text).expect("write");
    }
    dir.to_str().expect("utf-8 path").to_owned()
}

const FI_PROFILE: &str = r#"country = "FI"
name = "Finland"
eu_2004_81 = true
[procedures.fi]
presumed_from = "referral"
sources = ["test data"]
name = { en = "One decision" }
entitlements = { presumed = ["assistance", "reflection_period", "protection_from_removal"], identified = ["assistance", "reflection_period", "protection_from_removal"] }
[[procedures.fi.stages]]
name = { en = "identification decision" }
organisation_kinds = ["competent_authority"]
roles = ["decision_maker"]
deadline = { days = 7, count = "working", from = "referral" }
source = "test data"
[[versions]]
valid_from = "2012-01-01"
coe_party = true
procedure = "fi"
reflection_period_days = REFLECTION
residence_permit_min_months = 6
guardian_alert_days = 3
due_soon_days = 2
holidays = ["01-01", "12-25"]
sources = ["test data"]
"#;

const CHILD_LIST: &str = "id = \"child_sexual\"\nname = \"Children, sexual exploitation\"\npopulation = \"child\"\n\
                          exploitation = \"sexual\"\nrequired_stages = [\"recruitment\", \"exploitation\"]\n";
const CHILD_DIMENSIONS: &str =
    "id,dimension,stage\nC1,Recruitment of a child,recruitment\nC2,Exploitation,exploitation\n";
const CHILD_INDICATORS: &str = "id,dimension,indicator,grade,note\nC1.01,C1,Approached online,S,\nC1.02,C1,Gifts,M,\n\
                                C2.01,C2,Sexual abuse,S,\nC2.02,C2,Isolation,S,\n";

/// Indicator lists and country profiles are data: an operator adds them in the reference
/// directory without code changes. A profile below the Convention's 30-day floor for a Party is
/// refused at start with the article named (CETS 197 Art 13(1)).
#[test]
fn operators_add_indicator_lists_and_profiles_as_data_and_a_bad_profile_stops_the_start() {
    let haven = Haven::new();
    let bad = reference_dir(&haven, &[("profiles/fi.toml", &FI_PROFILE.replace("REFLECTION", "29"))]);
    let file = write_config(&haven, &format!("[instance]\nreference_dir = \"{bad}\"\n"));
    haven.run(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]).assert_fails_with(&["Art 13", "FI"]);

    let good = reference_dir(
        &haven,
        &[
            ("profiles/fi.toml", &FI_PROFILE.replace("REFLECTION", "45")),
            ("indicators/child_sexual/list.toml", CHILD_LIST),
            ("indicators/child_sexual/dimensions.csv", CHILD_DIMENSIONS),
            ("indicators/child_sexual/indicators.csv", CHILD_INDICATORS),
        ],
    );
    let file = write_config(&haven, &format!("[instance]\nreference_dir = \"{good}\"\n"));
    let ngo = haven.org("Children First", "ngo", "LV");
    let password = haven.user("kid.worker", &ngo, "caseworker");
    let server = Server::start(haven.cmd(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]));
    let session = server.login("kid.worker", &password);
    let body = r#"{"person": {"given_names": "Mia", "date_of_birth": "2012-01-01", "dob_verified": true},
        "indicators": [{"list": "child_sexual", "present": ["C1.01", "C1.02", "C2.01", "C2.02"]}]}"#;
    let created = server.post("/api/v1/registrations", Some(&session), body);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().expect("id").to_owned();
    let file_view = server.get(&format!("/api/v1/registrations/{id}"), Some(&session)).json();
    let lists = file_view["indicators"].as_array().expect("indicators");
    assert_eq!(lists.len(), 1, "{file_view}");
    assert_eq!(lists[0]["list"], "child_sexual");
    assert_eq!(lists[0]["evaluation"]["positive"], true, "{file_view}");
    server.stop();
}

/// The person-linkage model is data too: an operator's `linkage/persons.toml` replaces the
/// built-in one (the statistics name it as their method), and a file that does not load stops the
/// start with the file named.
#[test]
fn an_operator_replaces_the_person_linkage_model_and_a_bad_one_stops_the_start() {
    const BUILT_IN: &str = include_str!("../../../app/linkage/persons.toml");
    let haven = Haven::new();
    for bad in [
        "[settings\nblocking = 1\n".to_owned(),
        BUILT_IN.replace("\"phonetic(family_names)\",", "\"phonetic(surname)\","),
        BUILT_IN.replace("name = \"citizenship\"", "name = \"religion\""),
    ] {
        let dir = reference_dir(&haven, &[("linkage/persons.toml", &bad)]);
        let file = write_config(&haven, &format!("[instance]\nreference_dir = \"{dir}\"\n"));
        haven
            .run(&["--config", &file, "serve", "--listen", "127.0.0.1:0"])
            .assert_fails_with(&["linkage/persons.toml"]);
    }

    let stricter = BUILT_IN.replace("threshold = 0.9", "threshold = 0.97");
    let dir = reference_dir(&haven, &[("linkage/persons.toml", &stricter)]);
    let file = write_config(&haven, &format!("[instance]\nreference_dir = \"{dir}\"\n"));
    let office = haven.org("Statistics Office", "statistics_office", "LV");
    let password = haven.user("counter", &office, "statistician");
    let server = Server::start(haven.cmd(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]));
    let session = server.login("counter", &password);
    let stats = server.get("/api/v1/statistics/identification", Some(&session));
    assert_eq!(stats.status, 200, "{}", stats.body);
    let method = stats.json()["distinct_persons"]["method"].as_str().expect("a method").to_owned();
    assert!(method.contains("linkage/persons.toml") && method.contains("0.97"), "{method}");
    server.stop();
}

/// What referrals share is data: an operator's `assistance/sharing.toml` replaces the built-in
/// rules, and a file that leaves out a service type stops the start, naming the file and the type.
#[test]
fn an_operator_sets_what_referrals_share_and_an_incomplete_file_stops_the_start() {
    const BUILT_IN: &str = include_str!("../../../domain/assist/sharing.toml");
    let haven = Haven::new();
    let incomplete = BUILT_IN.replace("education = [", "# education = [");
    let bad = reference_dir(&haven, &[("assistance/sharing.toml", &incomplete)]);
    let file = write_config(&haven, &format!("[instance]\nreference_dir = \"{bad}\"\n"));
    haven
        .run(&["--config", &file, "serve", "--listen", "127.0.0.1:0"])
        .assert_fails_with(&["sharing.toml", "education"]);

    let narrow = BUILT_IN.replace(
        "translation_interpretation = [\"given_names\", \"languages\", \"sex\"]",
        "translation_interpretation = [\"languages\"]",
    );
    assert_ne!(narrow, BUILT_IN, "the built-in interpretation rule changed: update this test");
    let good = reference_dir(&haven, &[("assistance/sharing.toml", &narrow)]);
    let file = write_config(&haven, &format!("[instance]\nreference_dir = \"{good}\"\n"));
    let ngo = haven.org("NGO Sharing", "ngo", "LV");
    let interpreters = haven.org("Interpreters", "ngo", "LV");
    let password = haven.user("share.worker", &ngo, "caseworker");
    let server = Server::start(haven.cmd(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]));
    let session = server.login("share.worker", &password);
    let body = r#"{"person": {"given_names": "Olena", "family_names": "K", "date_of_birth": "1990-01-01",
        "dob_verified": true, "sex": "female", "languages": ["uk"]}}"#;
    let created = server.post("/api/v1/registrations", Some(&session), body);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().expect("id").to_owned();
    let referral = format!(
        r#"{{"service": "translation_interpretation", "to_organisation_id": "{interpreters}", "send": true,
            "consent": {{"consent_given": true, "consent_on": "2020-01-01", "consent_language": "uk"}}}}"#
    );
    let sent = server.post(&format!("/api/v1/cases/{id}/referrals"), Some(&session), &referral);
    assert_eq!(sent.status, 201, "{}", sent.body);
    assert_eq!(sent.json()["shared_fields"], serde_json::json!(["languages"]), "{}", sent.body);
    server.stop();
}
