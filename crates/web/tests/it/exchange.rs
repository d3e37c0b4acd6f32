//! The exchange between instances over real HTTPS: two instances, each with its own database,
//! keys and TLS 1.3 listener on 127.0.0.1 (certificates from a test CA), pinned to each other. A
//! message is delivered and acknowledged; a receiver that is down gets it once it is up again; a
//! client that does not trust the peer's certificate delivers nothing; and the routes answer a
//! malformed, mistyped or oversized body with a 4xx naming the field, audited.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_transport::{EnvelopePoster, MAX_ENVELOPE_BYTES, OutgoingMessage, PostResult};
use haven_app::{App, AppSettings, FixedClock};
use haven_crypto::MasterKey;
use haven_storage::Store;
use haven_web::exchange::exchange_router;
use haven_web::exchange_tls::{HttpsPoster, client_config, serve_exchange, server_config};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use uuid::Uuid;

const START: i64 = 1_790_000_000;

/// A test CA and a certificate it issued for 127.0.0.1, as PEM files in `dir`.
pub(crate) struct Pki {
    pub(crate) ca: PathBuf,
    pub(crate) certificate: PathBuf,
    pub(crate) key: PathBuf,
}

pub(crate) fn pki(dir: &Path, name: &str) -> Pki {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, format!("{name} test CA"));
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();
    let write = |file: &str, text: String| {
        let path = dir.join(format!("{name}-{file}"));
        std::fs::write(&path, text).unwrap();
        path
    };
    Pki {
        ca: write("ca.pem", ca.pem()),
        certificate: write("cert.pem", leaf.pem()),
        key: write("key.pem", leaf_key.serialize_pem()),
    }
}

struct Instance {
    app: App,
    clock: Arc<FixedClock>,
    address: SocketAddr,
    stop: tokio::sync::watch::Sender<bool>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Instance {
    async fn start(id: &str, pki: &Pki) -> Instance {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        let clock = Arc::new(FixedClock::new(START));
        let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default()).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let setup = IdentitySetup {
            instance_id: id.into(),
            role: "national_focal_point".into(),
            endpoint: format!("https://{address}/exchange"),
        };
        app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let tls = server_config(&pki.certificate, &pki.key).unwrap();
        let server = tokio::spawn(serve_exchange(listener, Some(tls), exchange_router(app.clone()), stopped));
        Instance { app, clock, address, stop, server, _dir: dir }
    }

    async fn down(&mut self) {
        self.stop.send(true).unwrap();
        (&mut self.server).await.unwrap().unwrap();
    }

    async fn up(&mut self, pki: &Pki) {
        let listener = tokio::net::TcpListener::bind(self.address).await.unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let tls = server_config(&pki.certificate, &pki.key).unwrap();
        self.server = tokio::spawn(serve_exchange(listener, Some(tls), exchange_router(self.app.clone()), stopped));
        self.stop = stop;
    }
}

pub(crate) async fn pin(a: &App, b: &App) {
    let entry = b.own_directory_entry(Acting::Operator).await.unwrap();
    a.add_peer(Acting::Operator, entry.json.as_bytes(), &entry.identity.signing_key_id).await.unwrap();
}

fn ping(receiver: &str) -> (Uuid, OutgoingMessage) {
    let id = Uuid::now_v7();
    let message = OutgoingMessage {
        message_id: id,
        receiver: receiver.into(),
        message_type: "ping".into(),
        type_version: 1,
        body: br#"{"ping":1}"#.to_vec(),
        lifetime: time::Duration::days(2),
    };
    (id, message)
}

async fn audited(app: &App, action: &str, needle: &str) -> i64 {
    app.store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND detail LIKE '%{needle}%'"
        ))
        .await
        .unwrap()
}

/// A CA bundle trusting both instances' CAs.
fn bundle(dir: &Path, pkis: &[&Pki]) -> PathBuf {
    let text: String = pkis.iter().map(|p| std::fs::read_to_string(&p.ca).unwrap()).collect();
    let path = dir.join("peers-ca.pem");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_exchange_a_message_over_tls_and_a_receiver_down_gets_it_when_up() {
    let certs = tempfile::tempdir().unwrap();
    let (lv_pki, ee_pki) = (pki(certs.path(), "lv"), pki(certs.path(), "ee"));
    let lv = Instance::start("LV", &lv_pki).await;
    let mut ee = Instance::start("EE", &ee_pki).await;
    pin(&lv.app, &ee.app).await;
    pin(&ee.app, &lv.app).await;
    let poster = HttpsPoster::new(client_config(&bundle(certs.path(), &[&lv_pki, &ee_pki])).unwrap());

    // delivered over HTTPS, then acknowledged received and accepted
    let (id, message) = ping("EE");
    lv.app.exchange_send(Acting::Operator, message).await.unwrap();
    let report = lv.app.deliver_exchange_outbox(&poster, START + 5).await.unwrap();
    assert_eq!(report.delivered, vec![id.to_string()], "{report:?}");
    let stored = ee.app.store().exchange_inbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((stored.sender.as_str(), stored.state.as_str()), ("LV", "accepted"));
    let back = ee.app.deliver_exchange_outbox(&poster, START + 6).await.unwrap();
    assert_eq!(back.delivered.len(), 2, "{back:?}");
    let row = lv.app.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.ack_status.as_deref()), ("delivered", Some("accepted")));
    assert!(row.ack_received_at.is_some());
    assert_eq!(audited(&lv.app, "exchange_message_delivered", "receiver=EE").await, 1);
    assert_eq!(audited(&ee.app, "exchange_message_received", "sender=LV type=ping").await, 1);
    assert_eq!(audited(&lv.app, "exchange_acknowledgement_received", "status=accepted").await, 1);

    // the receiver is down: kept and retried, then delivered once it is up
    ee.down().await;
    let (id, message) = ping("EE");
    lv.app.exchange_send(Acting::Operator, message).await.unwrap();
    let report = lv.app.deliver_exchange_outbox(&poster, START + 10).await.unwrap();
    assert_eq!(report.retrying, vec![id.to_string()], "{report:?}");
    let row = lv.app.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.last_error.as_deref()), ("pending", Some("unreachable")));
    ee.up(&ee_pki).await;
    ee.clock.set(START + 3600);
    let report = lv.app.deliver_exchange_outbox(&poster, START + 3600).await.unwrap();
    assert_eq!(report.delivered, vec![id.to_string()], "{report:?}");
    assert!(ee.app.store().exchange_inbox_message(&id.to_string()).await.unwrap().is_some());

    // a client that trusts only its own CA does not deliver to EE
    let (id, message) = ping("EE");
    lv.app.exchange_send(Acting::Operator, message).await.unwrap();
    let distrustful = HttpsPoster::new(client_config(&lv_pki.ca).unwrap());
    let report = lv.app.deliver_exchange_outbox(&distrustful, START + 3601).await.unwrap();
    assert_eq!(report.retrying, vec![id.to_string()]);
    assert!(ee.app.store().exchange_inbox_message(&id.to_string()).await.unwrap().is_none());

    // the published entry is EE's own, self-signed
    let url = format!("https://{}/exchange/v1/messages", ee.address);
    let answer = poster.post(&url, b"{}".to_vec()).await;
    assert_eq!(answer, PostResult::Answered { status: 400, code: Some("malformed".into()) });
    assert_eq!(audited(&ee.app, "exchange_message_refused", "code=malformed").await, 1);
    let entry: serde_json::Value =
        serde_json::from_slice(&ee.app.published_directory_entry().await.unwrap().unwrap()).unwrap();
    let ee_key = ee.app.instance_identity(Acting::Operator, None).await.unwrap().signing_key_id;
    assert_eq!(entry["signed_by"], ee_key.as_str());
    let _ = lv;
}

async fn call(app: &App, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = exchange_router(app.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null))
}

fn post(body: Vec<u8>, content_type: &str) -> Request<Body> {
    Request::post("/exchange/v1/messages").header("content-type", content_type).body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_malformed_mistyped_or_oversized_body_gets_a_4xx_naming_the_field_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let clock = Arc::new(FixedClock::new(START));
    let app = App::open(store, &MasterKey::generate(), clock, AppSettings::default()).await.unwrap();
    let setup = IdentitySetup {
        instance_id: "EE".into(),
        role: "national_focal_point".into(),
        endpoint: "https://ee.haven.example/exchange".into(),
    };
    app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
    let envelope = "application/vnd.haven.envelope+json";

    let (status, body) = call(&app, post(b"{not json".to_vec(), envelope)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "malformed");
    assert!(body["field"].as_str().is_some_and(|f| f.starts_with("envelope")), "{body}");
    let (status, body) =
        call(&app, post(br#"{"header":"e30","enc":"AAAA","ciphertext":"","x":1}"#.to_vec(), envelope)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "malformed");
    let (status, body) = call(&app, post(b"{}".to_vec(), "application/json")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["field"], "content-type");
    let (status, body) = call(&app, post(vec![b' '; MAX_ENVELOPE_BYTES + 1], envelope)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "too_large");
    assert_eq!(audited(&app, "exchange_message_refused", "code=").await, 4);
    assert_eq!(audited(&app, "exchange_message_refused", "code=too_large status=413").await, 1);

    let response = exchange_router(app.clone())
        .oneshot(Request::get("/exchange/v1/directory-entry").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, _) = call(&app, Request::get("/api/v1/me").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the exchange listener serves only the exchange");
}

/// Keeps each envelope it is handed, sealed as the outbox sealed it, without delivering it.
#[derive(Default)]
struct Keep {
    sealed: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl EnvelopePoster for Keep {
    async fn post(&self, _url: &str, envelope: Vec<u8>) -> PostResult {
        self.sealed.lock().expect("not poisoned").push(envelope);
        PostResult::Unreachable { problem: "kept for the test".into() }
    }
}

/// A ping sealed by LV for EE, as its outbox seals it, not delivered.
async fn sealed_ping(lv: &Instance, lifetime: time::Duration, now: i64) -> Vec<u8> {
    let keep = Keep::default();
    let (_, mut message) = ping("EE");
    message.lifetime = lifetime;
    lv.app.exchange_send(Acting::Operator, message).await.unwrap();
    lv.app.deliver_exchange_outbox(&keep, now).await.unwrap();
    keep.sealed.lock().unwrap().pop().unwrap()
}

fn answered(status: u16, code: &str) -> PostResult {
    PostResult::Answered { status, code: Some(code.into()) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_a_tampered_replayed_revoked_or_expired_envelope_is_refused_and_audited() {
    let certs = tempfile::tempdir().unwrap();
    let (lv_pki, ee_pki) = (pki(certs.path(), "lv"), pki(certs.path(), "ee"));
    let lv = Instance::start("LV", &lv_pki).await;
    let ee = Instance::start("EE", &ee_pki).await;
    pin(&lv.app, &ee.app).await;
    pin(&ee.app, &lv.app).await;
    let poster = HttpsPoster::new(client_config(&bundle(certs.path(), &[&lv_pki, &ee_pki])).unwrap());
    let url = format!("https://{}/exchange/v1/messages", ee.address);

    // tampered: one character of the ciphertext changed in transit
    let envelope = sealed_ping(&lv, time::Duration::days(2), START + 5).await;
    let mut outer: serde_json::Value = serde_json::from_slice(&envelope).unwrap();
    let text = outer["ciphertext"].as_str().unwrap().to_owned();
    let mid = text.len() / 2;
    let other = if &text[mid..=mid] == "A" { "B" } else { "A" };
    outer["ciphertext"] = serde_json::Value::String(format!("{}{other}{}", &text[..mid], &text[mid + 1..]));
    let answer = poster.post(&url, serde_json::to_vec(&outer).unwrap()).await;
    assert_eq!(answer, answered(400, "decryption_failed"));

    // the envelope as sealed is taken once, then refused as a replay
    assert_eq!(poster.post(&url, envelope.clone()).await, PostResult::Answered { status: 202, code: None });
    assert_eq!(poster.post(&url, envelope).await, answered(409, "replayed"));

    // expired: sealed for a minute, arriving an hour later
    let short = sealed_ping(&lv, time::Duration::minutes(1), START + 6).await;
    ee.clock.set(START + 3600);
    assert_eq!(poster.post(&url, short).await, answered(410, "expired"));

    // signed with a key EE has revoked since
    let fresh = sealed_ping(&lv, time::Duration::days(2), START + 3600).await;
    let lv_key = lv.app.instance_identity(Acting::Operator, None).await.unwrap().signing_key_id;
    ee.app.revoke_peer_key(Acting::Operator, "LV", &lv_key).await.unwrap();
    assert_eq!(poster.post(&url, fresh).await, answered(401, "key_revoked"));

    // every refusal audited at the receiver with its code
    for code in ["decryption_failed", "replayed", "expired", "key_revoked"] {
        assert_eq!(audited(&ee.app, "exchange_message_refused", &format!("code={code}")).await, 1, "{code}");
    }
    assert_eq!(audited(&ee.app, "exchange_message_received", "sender=LV type=ping").await, 1);
}
