//! `haven serve` with the exchange listener on TLS (`[exchange] certificate_file` and
//! `private_key_file`, docs/transnational.md §7.5), through the real binary: a client that trusts
//! the listener's CA reads the directory entry over HTTPS; a malformed, mistyped or oversized
//! envelope posted over HTTPS gets a 4xx naming the problem and is audited; plain HTTP to the TLS
//! port gets no HTTP answer; a client that does not trust the CA gets no connection.

use crate::{Haven, Response, Server, dechunk, line_value, request_head};
use haven_app::exchange_transport::MAX_ENVELOPE_BYTES;
use haven_storage::Store;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// A CA made for these tests only (P-256, valid 2000–2126), and the listener's certificate it
/// issued for 127.0.0.1 and localhost, with that certificate's key. Nothing else trusts them.
const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBdTCCARygAwIBAgICEAAwCgYIKoZIzj0EAwIwITEfMB0GA1UEAwwWSGF2ZW4g\ndGVzdCBleGNoYW5nZSBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yMTI2MDEwMTAwMDAw\nMFowITEfMB0GA1UEAwwWSGF2ZW4gdGVzdCBleGNoYW5nZSBDQTBZMBMGByqGSM49\nAgEGCCqGSM49AwEHA0IABJjFnfU05WEtedloEXa92qlWkDzYtWbe/FAzE4A7/qbQ\nq7rM8EsxQz87BcpQQ5xdaJOF7eO8RnTvlGwF2DOf/TijQjBAMA8GA1UdEwEB/wQF\nMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBQXf08E+zN3EraZwkIhs6Yo\nZdEsHTAKBggqhkjOPQQDAgNHADBEAiBLy0PFNMTEc4zfvrqx0vADrbH8lwdbosPv\nDXqGZfVoIQIgNb3V9fcZ7OwTuKERi6+fp5I0inLT+hc3RV4QPuJXnSI=\n-----END CERTIFICATE-----\n";
const TEST_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\nMIIBuzCCAWCgAwIBAgICEAEwCgYIKoZIzj0EAwIwITEfMB0GA1UEAwwWSGF2ZW4g\ndGVzdCBleGNoYW5nZSBDQTAgFw0wMDAxMDEwMDAwMDBaGA8yMTI2MDEwMTAwMDAw\nMFowFDESMBAGA1UEAwwJMTI3LjAuMC4xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD\nQgAEnB0cgVM9G3Kw0SnfrwaVbocGMssmkANFFgGI41HBsLr0td045Rcr81u2e4WW\nbXk6kOVSnYqH7/3pRoGMPluSWKOBkjCBjzAaBgNVHREEEzARhwR/AAABgglsb2Nh\nbGhvc3QwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYI\nKwYBBQUHAwEwHwYDVR0jBBgwFoAUF39PBPszdxK2mcJCIbOmKGXRLB0wHQYDVR0O\nBBYEFMLNSQeJaY7OBG7rdQDiC5ov1hnBMAoGCCqGSM49BAMCA0kAMEYCIQCNsclf\nCmZ06mCcA0E3vQ/WKf2TDfqZ2fI7tHUTd4CngwIhAP0zOvbZnoDyQ1ksGCRif26E\nDI2/UgQZk8jjWQuyxac3\n-----END CERTIFICATE-----\n";
const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwJN6e72uzdZPhK8x\nYtuU2LJQJ7Rr8QDRPs33h8f4tAGhRANCAAScHRyBUz0bcrDRKd+vBpVuhwYyyyaQ\nA0UWAYjjUcGwuvS13TjlFyvzW7Z7hZZteTqQ5VKdiofv/elGgYw+W5JY\n-----END PRIVATE KEY-----\n";

/// Another CA (of the `exchange` tests), which did not issue the listener's certificate.
const OTHER_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBkjCCATmgAwIBAgIUcN46MArT7r9IQEIHsqCfWQ2vSLgwCgYIKoZIzj0EAwIw\nHjEcMBoGA1UEAwwTSGF2ZW4gdGVzdCBwZWVycyBDQTAgFw0yNjEyMDYxNzM2NDRa\nGA8yMTI2MTExMjE3MzY0NFowHjEcMBoGA1UEAwwTSGF2ZW4gdGVzdCBwZWVycyBD\nQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNdoAAmT73DfRhJdeAmkXDFE3LXl\nxxuGEVlbGS9kQKpjj8GCB/2WUHl94pImcm7y4AoQUSXDICmWrCWy4zcUroqjUzBR\nMB0GA1UdDgQWBBQYQnK0VGSiOBL0OepCOl2LYFMP3jAfBgNVHSMEGDAWgBQYQnK0\nVGSiOBL0OepCOl2LYFMP3jAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cA\nMEQCIFzyzvBKilhlnn1C3ltAz+7wgG1NU9TlWbG9QuytiENnAiAbe4TuqITfvs3R\nv5zJZ+qLKUoeCR+MKhbXoRURQ1YNYw==\n-----END CERTIFICATE-----\n";

const ENVELOPE: &str = "application/vnd.haven.envelope+json";

/// The configuration of an exchange listener on TLS at 127.0.0.1 (any port), its certificate,
/// key and the peers' CA written beside it; returns the configuration file.
fn tls_config(haven: &Haven) -> String {
    let write = |name: &str, text: &str| {
        let path = haven.data().join(name);
        std::fs::write(&path, text).expect("write a PEM file");
        path.to_str().expect("a UTF-8 path").to_owned()
    };
    let certificate = write("exchange.crt", TEST_CERTIFICATE);
    let key = write("exchange.key", TEST_KEY);
    let ca = write("peers-ca.pem", TEST_CA);
    let file = haven.data().join("haven.toml");
    std::fs::write(
        &file,
        format!(
            "[exchange]\nlisten = \"127.0.0.1:0\"\ncertificate_file = {certificate:?}\nprivate_key_file = {key:?}\n\
             ca_file = {ca:?}\ndelivery_interval_seconds = 1\n"
        ),
    )
    .expect("write the configuration");
    file.to_str().expect("a UTF-8 path").to_owned()
}

#[expect(
    deprecated,
    reason = "ring is the provider the server is built with (no cmake); its post-quantum key exchange is not needed here"
)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS 1.3 client trusting the CA certificate `ca` (PEM) only.
fn client(ca: &str) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(ca.as_bytes()).expect("a PEM certificate")).expect("a CA certificate");
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// One HTTP/1.1 request over TLS to `addr` (by its IP address), read whole; the error of the
/// connection or handshake when there is no answer.
fn https(
    addr: SocketAddr,
    config: Arc<rustls::ClientConfig>,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Result<Response, std::io::Error> {
    let name = ServerName::from(addr.ip());
    let connection = rustls::ClientConnection::new(config, name).map_err(std::io::Error::other)?;
    let tcp = TcpStream::connect(addr)?;
    tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    let mut head = request_head(method, path, None, None);
    if method == "POST" {
        head = head.trim_end_matches("\r\n").to_owned();
        head.push_str(&format!("\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len()));
    }
    tls.write_all(head.as_bytes())?;
    tls.write_all(body)?;
    tls.flush()?;
    let mut raw = Vec::new();
    match tls.read_to_end(&mut raw) {
        Ok(_) => {}
        // the server closed after answering, without a close_notify
        Err(e) if e.kind() == ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(e),
    }
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
    Ok(Response { status, headers, body })
}

/// The audit entries of `action` whose detail holds `needle`, read from the stopped server's
/// database.
fn audited(haven: &Haven, action: &str, needle: &str) -> i64 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = Store::open_sqlite(haven.data()).await.expect("open the database");
        let n = store
            .count_unchecked(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND detail LIKE '%{needle}%'"
            ))
            .await
            .expect("count the audit entries");
        store.close().await;
        n
    })
}

#[test]
fn the_binarys_exchange_listener_on_tls_answers_https_names_a_malformed_envelope_and_refuses_plain_http() {
    let haven = Haven::new();
    let file = tls_config(&haven);
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
    let exchange = line_value(&server.banner, "The exchange is served on https://");
    let address: SocketAddr =
        exchange.trim_end_matches("/exchange").parse().unwrap_or_else(|e| panic!("{exchange}: {e}"));
    let trusting = client(TEST_CA);

    // Over HTTPS, trusting the test CA: the signed directory entry.
    let entry = https(address, trusting.clone(), "GET", "/exchange/v1/directory-entry", "", b"").expect("HTTPS");
    assert_eq!(entry.status, 200, "{}", entry.body);
    assert!(entry.body.contains(&signing_key), "the entry holds the signing key {signing_key}: {}", entry.body);

    // A malformed envelope: 400 naming the envelope; the wrong content type: 415 naming it; one
    // over the limit: 413 saying so. Never a 5xx.
    let malformed =
        https(address, trusting.clone(), "POST", "/exchange/v1/messages", ENVELOPE, b"{not json").expect("HTTPS");
    assert_eq!(malformed.status, 400, "{}", malformed.body);
    let body = malformed.json();
    assert_eq!(body["code"], "malformed", "{body}");
    assert!(body["field"].as_str().is_some_and(|f| f.starts_with("envelope")), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    let mistyped =
        https(address, trusting.clone(), "POST", "/exchange/v1/messages", "application/json", b"{}").expect("HTTPS");
    assert_eq!(mistyped.status, 415, "{}", mistyped.body);
    assert_eq!(mistyped.json()["field"], "content-type", "{}", mistyped.body);
    let oversized = vec![b' '; MAX_ENVELOPE_BYTES + 1];
    let too_large =
        https(address, trusting.clone(), "POST", "/exchange/v1/messages", ENVELOPE, &oversized).expect("HTTPS");
    assert_eq!(too_large.status, 413, "{}", too_large.body);
    assert_eq!(too_large.json()["code"], "too_large", "{}", too_large.body);

    // Plain HTTP to the TLS port: no HTTP answer, nothing of the exchange.
    let mut plain = TcpStream::connect(address).expect("connect");
    plain.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    plain.write_all(request_head("GET", "/exchange/v1/directory-entry", None, None).as_bytes()).expect("send");
    let mut raw = Vec::new();
    let _ = plain.read_to_end(&mut raw);
    assert!(!raw.starts_with(b"HTTP/"), "plain HTTP was answered: {}", String::from_utf8_lossy(&raw));
    assert!(!String::from_utf8_lossy(&raw).contains(&signing_key), "the entry was sent in the clear");
    server.wait_for_log("exchange TLS handshake failed", Duration::from_secs(10));

    // A client that does not trust the test CA gets no connection at all.
    let untrusting = https(address, client(OTHER_CA), "GET", "/exchange/v1/directory-entry", "", b"");
    let refused = untrusting.expect_err("a certificate of an untrusted CA is refused");
    assert!(refused.to_string().to_lowercase().contains("certificate"), "{refused}");

    // The listener still serves over HTTPS after all that.
    let again = https(address, trusting, "GET", "/exchange/v1/directory-entry", "", b"").expect("HTTPS");
    assert_eq!(again.status, 200, "{}", again.body);
    let (_, err) = server.stop();
    assert!(!err.contains("ERROR"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Each refusal is audited at the receiver, with its code and status.
    assert_eq!(audited(&haven, "exchange_message_refused", "code=malformed status=400"), 1);
    assert_eq!(audited(&haven, "exchange_message_refused", "code=malformed status=415"), 1);
    assert_eq!(audited(&haven, "exchange_message_refused", "code=too_large status=413"), 1);
}
