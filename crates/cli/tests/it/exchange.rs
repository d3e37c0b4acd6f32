//! `haven serve` with `[exchange] listen`: the exchange's own listener runs beside the user
//! interface, serves this instance's signed directory entry and refuses what is not an envelope
//! with a 4xx naming the problem; without `ca_file` the server does not start.

use crate::{Haven, Server, line_value, request};
use std::net::SocketAddr;

/// A CA certificate (P-256, valid until 2126) the delivery client is told to trust; no peer of
/// these tests presents a certificate under it.
const PEERS_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBkjCCATmgAwIBAgIUcN46MArT7r9IQEIHsqCfWQ2vSLgwCgYIKoZIzj0EAwIw\nHjEcMBoGA1UEAwwTSGF2ZW4gdGVzdCBwZWVycyBDQTAgFw0yNjEyMDYxNzM2NDRa\nGA8yMTI2MTExMjE3MzY0NFowHjEcMBoGA1UEAwwTSGF2ZW4gdGVzdCBwZWVycyBD\nQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNdoAAmT73DfRhJdeAmkXDFE3LXl\nxxuGEVlbGS9kQKpjj8GCB/2WUHl94pImcm7y4AoQUSXDICmWrCWy4zcUroqjUzBR\nMB0GA1UdDgQWBBQYQnK0VGSiOBL0OepCOl2LYFMP3jAfBgNVHSMEGDAWgBQYQnK0\nVGSiOBL0OepCOl2LYFMP3jAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cA\nMEQCIFzyzvBKilhlnn1C3ltAz+7wgG1NU9TlWbG9QuytiENnAiAbe4TuqITfvs3R\nv5zJZ+qLKUoeCR+MKhbXoRURQ1YNYw==\n-----END CERTIFICATE-----\n";

fn config(haven: &Haven, ca: bool) -> String {
    let ca_file = haven.data().join("peers-ca.pem");
    std::fs::write(&ca_file, PEERS_CA).expect("write the CA file");
    let ca_line = if ca { format!("ca_file = {:?}\n", ca_file.to_str().expect("a UTF-8 path")) } else { String::new() };
    let file = haven.data().join("haven.toml");
    std::fs::write(&file, format!("[exchange]\nlisten = \"127.0.0.1:0\"\n{ca_line}delivery_interval_seconds = 1\n"))
        .expect("write the configuration");
    file.to_str().expect("a UTF-8 path").to_owned()
}

#[test]
fn serve_runs_the_exchange_listener_when_configured() {
    let haven = Haven::new();
    let file = config(&haven, true);
    haven.ok(&[
        "--config",
        &file,
        "peer",
        "self",
        "--instance-id",
        "LV",
        "--endpoint",
        "https://lv.haven.example/exchange",
    ]);
    let signing_key = line_value(&haven.ok(&["--config", &file, "peer", "self"]).stdout, "signing key id:");
    let server = Server::start(haven.cmd(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]));
    let exchange = line_value(&server.banner, "The exchange is served on http://");
    let address: SocketAddr =
        exchange.trim_end_matches("/exchange").parse().unwrap_or_else(|e| panic!("{exchange}: {e}"));
    assert_ne!(address, server.addr, "the exchange has a listener of its own");

    let entry = request(address, "GET", "/exchange/v1/directory-entry", None, None);
    assert_eq!(entry.status, 200, "{}", entry.body);
    assert!(entry.body.contains(&signing_key), "the entry holds the signing key {signing_key}: {}", entry.body);
    // What is not an envelope is refused, naming what is wrong, and never reaches the user API.
    let refused = request(address, "POST", "/exchange/v1/messages", None, Some("{}"));
    assert!((400..500).contains(&refused.status), "{} {}", refused.status, refused.body);
    assert!(refused.body.contains("\"field\""), "{}", refused.body);
    let user_api = request(address, "GET", "/api/v1/cases", None, None);
    assert_eq!(user_api.status, 404, "{}", user_api.body);
    // The user interface does not serve the exchange's routes.
    assert_ne!(server.get("/exchange/v1/directory-entry", None).status, 200);
    let (_, err) = server.stop();
    assert!(!err.contains("ERROR"), "{err}");
}

#[test]
fn the_exchange_listener_needs_the_peers_ca() {
    let haven = Haven::new();
    let file = config(&haven, false);
    haven.run(&["--config", &file, "serve", "--listen", "127.0.0.1:0"]).assert_fails_with(&["ca_file"]);
}
