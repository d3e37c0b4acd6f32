//! The exchange transport between instances, in process: a message stored in the outbox is
//! delivered, acknowledged `received` then `accepted`, and audited on both sides; a receiver that
//! is down gets it on a later pass; a message id is taken once, even from two deliveries at once;
//! each kind of bad envelope is refused with its status and code of docs/transnational.md §6 and
//! audited by the receiver.

use crate::common::{self, NOW, audit_detail_count};
use haven_app::App;
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_transport::{
    EnvelopePoster, ExchangeRefusal, MAX_DISPATCH_ATTEMPTS, OutgoingMessage, PostResult, ReceiveError, retry_delay,
};
use haven_exchange::MAX_ENVELOPE_BYTES;
use haven_exchange::encoding::{b64_decode, b64_encode};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use time::Duration;
use uuid::Uuid;

/// Instances reachable by the endpoint in their directory entries; delivery calls the
/// receiver's `exchange_receive` as its HTTP handler does.
struct Network {
    instances: Vec<(String, App)>,
    now: AtomicI64,
    down: AtomicBool,
    /// The receiver takes the message but its answer is lost on the way back.
    lose_answers: AtomicBool,
    posted: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Network {
    fn new(instances: Vec<(&str, App)>) -> Network {
        Network {
            instances: instances.into_iter().map(|(id, app)| (endpoint(id), app)).collect(),
            now: AtomicI64::new(NOW),
            down: AtomicBool::new(false),
            lose_answers: AtomicBool::new(false),
            posted: Mutex::new(Vec::new()),
        }
    }
}

impl EnvelopePoster for Network {
    async fn post(&self, url: &str, envelope: Vec<u8>) -> PostResult {
        self.posted.lock().unwrap().push((url.to_owned(), envelope.clone()));
        if self.down.load(Ordering::SeqCst) {
            return PostResult::Unreachable { problem: "connection refused".into() };
        }
        let Some((_, app)) = self.instances.iter().find(|(e, _)| url == format!("{e}/v1/messages")) else {
            return PostResult::Unreachable { problem: format!("no host for {url}") };
        };
        let answer = match app.exchange_receive(&envelope, self.now.load(Ordering::SeqCst)).await {
            Ok(_) => PostResult::Answered { status: 202, code: None },
            Err(ReceiveError::Refused(r)) => PostResult::Answered { status: r.status, code: Some(r.code) },
            Err(ReceiveError::Failed(_)) => PostResult::Answered { status: 500, code: None },
        };
        if self.lose_answers.load(Ordering::SeqCst) {
            return PostResult::Unreachable { problem: "connection reset".into() };
        }
        answer
    }
}

fn endpoint(id: &str) -> String {
    format!("https://{}.haven.example/exchange", id.to_lowercase())
}

async fn instance(id: &str) -> (App, common::Database) {
    let (app, db) = common::sqlite_app().await;
    let setup = IdentitySetup { instance_id: id.into(), role: "national_focal_point".into(), endpoint: endpoint(id) };
    app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
    (app, db)
}

/// `a` pins `b` with the signing key id `b`'s operator read out.
async fn pin(a: &App, b: &App) {
    let entry = b.own_directory_entry(Acting::Operator).await.unwrap();
    a.add_peer(Acting::Operator, entry.json.as_bytes(), &entry.identity.signing_key_id).await.unwrap();
}

fn ping(id: Uuid, receiver: &str) -> OutgoingMessage {
    OutgoingMessage {
        message_id: id,
        receiver: receiver.into(),
        message_type: "ping".into(),
        type_version: 1,
        body: br#"{"hello":"EE"}"#.to_vec(),
        lifetime: Duration::days(1),
    }
}

async fn count(app: &App, sql: &str) -> i64 {
    app.store().count_unchecked(sql).await.unwrap()
}

async fn audited(app: &App, action: &str) -> i64 {
    count(app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await
}

#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<T, ReceiveError>) -> ExchangeRefusal {
    match r {
        Err(ReceiveError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// LV and EE pinned to each other.
async fn pair() -> (App, App, Vec<common::Database>) {
    let (lv, a) = instance("LV").await;
    let (ee, b) = instance("EE").await;
    pin(&lv, &ee).await;
    pin(&ee, &lv).await;
    (lv, ee, vec![a, b])
}

/// An envelope LV sealed for EE (posted to a network that only records it).
async fn sealed_by_lv(lv: &App, message: OutgoingMessage, at: i64) -> Vec<u8> {
    let capture = Network::new(Vec::new());
    capture.down.store(true, Ordering::SeqCst);
    let id = message.message_id.to_string();
    lv.exchange_send(Acting::Operator, message).await.unwrap();
    lv.deliver_exchange_outbox(&capture, at).await.unwrap();
    let posted = capture.posted.lock().unwrap();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].0, "https://ee.haven.example/exchange/v1/messages");
    let envelope = posted[0].1.clone();
    let header: serde_json::Value = serde_json::from_slice(&envelope).unwrap();
    let header = b64_decode(header["header"].as_str().unwrap()).unwrap();
    assert!(String::from_utf8(header).unwrap().contains(&id));
    envelope
}

/// The envelope with its header changed by `change` (re-encoded, so it parses).
fn with_header(envelope: &[u8], change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut outer: serde_json::Value = serde_json::from_slice(envelope).unwrap();
    let mut header: serde_json::Value =
        serde_json::from_slice(&b64_decode(outer["header"].as_str().unwrap()).unwrap()).unwrap();
    change(&mut header);
    outer["header"] = serde_json::Value::String(b64_encode(&serde_json::to_vec(&header).unwrap()));
    serde_json::to_vec(&outer).unwrap()
}

#[tokio::test]
async fn a_message_is_delivered_then_acknowledged_received_and_accepted_audited_on_both_sides() {
    let (lv, ee, _dbs) = pair().await;
    let net = Network::new(vec![("LV", lv.clone()), ("EE", ee.clone())]);
    let id = Uuid::now_v7();
    lv.exchange_send(Acting::Operator, ping(id, "EE")).await.unwrap();
    let sent = lv.exchange_outbox(Acting::Operator, 10).await.unwrap();
    assert_eq!((sent.len(), sent[0].state.as_str()), (1, "pending"));

    net.now.store(NOW + 10, Ordering::SeqCst);
    let report = lv.deliver_exchange_outbox(&net, NOW + 10).await.unwrap();
    assert_eq!(report.delivered, vec![id.to_string()]);
    let inbox = ee.store().exchange_inbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((inbox.sender.as_str(), inbox.state.as_str()), ("LV", "accepted"));
    assert!(inbox.received_ack_queued && inbox.outcome_ack_queued);
    assert!(!inbox.body.windows(5).any(|w| w == b"hello"), "the body is encrypted at rest");

    // EE sends back `received`, then `accepted`; acknowledgements are not acknowledged.
    net.now.store(NOW + 20, Ordering::SeqCst);
    let back = ee.deliver_exchange_outbox(&net, NOW + 20).await.unwrap();
    assert_eq!(back.delivered.len(), 2);
    assert_eq!(lv.store().exchange_inbox(10).await.unwrap().len(), 2);
    assert_eq!(count(&lv, "SELECT COUNT(*) FROM exchange_outbox").await, 1, "LV answers no acknowledgement");
    let row = lv.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!(row.state, "delivered");
    assert_eq!(row.delivered_at, Some(NOW + 10));
    assert_eq!(row.ack_received_at, Some(NOW + 20));
    assert_eq!(row.ack_status.as_deref(), Some("accepted"));
    assert!(ee.deliver_exchange_outbox(&net, NOW + 30).await.unwrap().delivered.is_empty(), "nothing left");

    // the sender audits queue, delivery and both acknowledgements
    assert_eq!(audited(&lv, "exchange_message_queued").await, 1);
    assert_eq!(audit_detail_count(&lv, "exchange_message_delivered", "receiver=EE type=ping").await, 1);
    assert_eq!(audited(&lv, "exchange_message_received").await, 2);
    assert_eq!(audit_detail_count(&lv, "exchange_acknowledgement_received", "status=received").await, 1);
    assert_eq!(audit_detail_count(&lv, "exchange_acknowledgement_received", "status=accepted").await, 1);
    // the receiver audits receipt, decision and the delivery of its acknowledgements
    assert_eq!(audit_detail_count(&ee, "exchange_message_received", "sender=LV type=ping").await, 1);
    assert_eq!(audit_detail_count(&ee, "exchange_message_decided", "state=accepted").await, 1);
    assert_eq!(audit_detail_count(&ee, "exchange_message_delivered", "type=acknowledgement").await, 2);
    // no body in any audit entry
    for app in [&lv, &ee] {
        assert_eq!(count(app, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%hello%'").await, 0);
    }
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_message_on_a_later_pass_and_nothing_is_lost() {
    let (lv, ee, _dbs) = pair().await;
    let net = Network::new(vec![("LV", lv.clone()), ("EE", ee.clone())]);
    let id = Uuid::now_v7();
    lv.exchange_send(Acting::Operator, ping(id, "EE")).await.unwrap();
    net.down.store(true, Ordering::SeqCst);
    let report = lv.deliver_exchange_outbox(&net, NOW + 10).await.unwrap();
    assert_eq!(report.retrying, vec![id.to_string()]);
    let row = lv.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.attempts, row.last_error.as_deref()), ("pending", 1, Some("unreachable")));
    assert!((NOW + 10 + 15..=NOW + 10 + 30).contains(&row.next_attempt_at), "{}", row.next_attempt_at);
    // not due yet: no attempt
    assert!(lv.deliver_exchange_outbox(&net, NOW + 11).await.unwrap().retrying.is_empty());
    // a second failure waits longer
    let report = lv.deliver_exchange_outbox(&net, NOW + 100).await.unwrap();
    assert_eq!(report.retrying.len(), 1);
    let row = lv.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert!((NOW + 100 + 30..=NOW + 100 + 60).contains(&row.next_attempt_at), "{}", row.next_attempt_at);
    assert_eq!(audit_detail_count(&lv, "exchange_delivery_failed", "code=unreachable").await, 2);

    net.down.store(false, Ordering::SeqCst);
    net.now.store(NOW + 3600, Ordering::SeqCst);
    let report = lv.deliver_exchange_outbox(&net, NOW + 3600).await.unwrap();
    assert_eq!(report.delivered, vec![id.to_string()]);
    assert!(ee.store().exchange_inbox_message(&id.to_string()).await.unwrap().is_some());
    let row = lv.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("delivered", 3));
}

#[tokio::test]
async fn a_message_that_expires_undelivered_is_given_up_and_reported() {
    let (lv, _ee, _dbs) = pair().await;
    let net = Network::new(Vec::new());
    net.down.store(true, Ordering::SeqCst);
    let id = Uuid::now_v7();
    lv.exchange_send(Acting::Operator, ping(id, "EE")).await.unwrap();
    lv.deliver_exchange_outbox(&net, NOW + 10).await.unwrap();
    let report = lv.deliver_exchange_outbox(&net, NOW + 86_400).await.unwrap();
    assert_eq!(report.expired, vec![id.to_string()]);
    let row = lv.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("expired", 1));
    assert_eq!(audited(&lv, "exchange_message_expired").await, 1);
    assert!(lv.deliver_exchange_outbox(&net, NOW + 90_000).await.unwrap().expired.is_empty());
}

#[tokio::test]
async fn the_same_message_sent_twice_is_stored_once_and_accepted_once() {
    let (lv, ee, _dbs) = pair().await;
    let net = Network::new(vec![("LV", lv.clone()), ("EE", ee.clone())]);
    let id = Uuid::now_v7();
    lv.exchange_send(Acting::Operator, ping(id, "EE")).await.unwrap();
    lv.exchange_send(Acting::Operator, ping(id, "EE")).await.unwrap();
    assert_eq!(count(&lv, "SELECT COUNT(*) FROM exchange_outbox").await, 1);
    assert_eq!(audited(&lv, "exchange_message_queued").await, 1);
    let mut other = ping(id, "EE");
    other.message_type = "referral".into();
    assert!(matches!(lv.exchange_send(Acting::Operator, other).await, Err(haven_app::AppError::Conflict(_))));

    // EE takes it but the answer is lost: LV sends it again and gets 409 replayed = delivered
    net.lose_answers.store(true, Ordering::SeqCst);
    assert_eq!(lv.deliver_exchange_outbox(&net, NOW + 10).await.unwrap().retrying.len(), 1);
    net.lose_answers.store(false, Ordering::SeqCst);
    net.now.store(NOW + 3600, Ordering::SeqCst);
    let report = lv.deliver_exchange_outbox(&net, NOW + 3600).await.unwrap();
    assert_eq!(report.delivered, vec![id.to_string()]);
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM exchange_inbox").await, 1);
    assert_eq!(audit_detail_count(&ee, "exchange_message_refused", "code=replayed").await, 1);
    assert_eq!(audited(&ee, "exchange_message_decided").await, 1, "dispatched once");
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM exchange_outbox").await, 2, "received and accepted, once each");
}

#[tokio::test]
async fn two_deliveries_of_one_message_at_once_store_and_dispatch_it_once() {
    let (lv, ee, _dbs) = pair().await;
    let envelope = sealed_by_lv(&lv, ping(Uuid::now_v7(), "EE"), NOW + 10).await;
    let (a, b) = tokio::join!(ee.exchange_receive(&envelope, NOW + 11), ee.exchange_receive(&envelope, NOW + 11));
    let (ok, replay) = match (a, b) {
        (Ok(receipt), other) | (other, Ok(receipt)) => (receipt, other),
        other => panic!("one delivery must be taken: {other:?}"),
    };
    assert_eq!(ok.status, "received");
    let replay = refused(replay);
    assert_eq!((replay.status, replay.code.as_str()), (409, "replayed"));
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM exchange_inbox").await, 1);
    assert_eq!(audited(&ee, "exchange_message_decided").await, 1);
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM exchange_outbox").await, 2);
    // and later again: still a replay
    let again = refused(ee.exchange_receive(&envelope, NOW + 500).await);
    assert_eq!(again.code, "replayed");
}

#[tokio::test]
async fn bad_envelopes_are_refused_with_the_documented_status_and_code_and_audited() {
    let (lv, ee, mut dbs) = pair().await;
    let envelope = sealed_by_lv(&lv, ping(Uuid::now_v7(), "EE"), NOW + 10).await;

    // tampered: one character of the ciphertext changed
    let mut outer: serde_json::Value = serde_json::from_slice(&envelope).unwrap();
    let mut ciphertext = b64_decode(outer["ciphertext"].as_str().unwrap()).unwrap();
    ciphertext[3] ^= 0x01;
    outer["ciphertext"] = serde_json::Value::String(b64_encode(&ciphertext));
    let tampered = serde_json::to_vec(&outer).unwrap();
    let r = refused(ee.exchange_receive(&tampered, NOW + 11).await);
    assert_eq!((r.status, r.code.as_str()), (400, "decryption_failed"));

    // a changed header fails decryption too (it is the associated data)
    let later = with_header(&envelope, |h| h["type_version"] = serde_json::json!(2));
    assert_eq!(refused(ee.exchange_receive(&later, NOW + 11).await).code, "decryption_failed");

    // the wrong receiver key: not a key EE holds (refused before decryption)
    let wrong_key = with_header(&envelope, |h| {
        h["receiver_encryption_key"] = serde_json::json!(b64_encode(&[7u8; 32]));
    });
    let r = refused(ee.exchange_receive(&wrong_key, NOW + 11).await);
    assert_eq!((r.status, r.code.as_str()), (422, "unknown_key"));

    // expired
    let r = refused(ee.exchange_receive(&envelope, NOW + 86_400).await);
    assert_eq!((r.status, r.code.as_str()), (410, "expired"));

    // accepted once, then replayed
    ee.exchange_receive(&envelope, NOW + 11).await.unwrap();
    let r = refused(ee.exchange_receive(&envelope, NOW + 12).await);
    assert_eq!((r.status, r.code.as_str()), (409, "replayed"));

    // malformed and oversized: 4xx naming the field, never a 5xx
    let r = refused(ee.exchange_receive(b"not json", NOW + 11).await);
    assert_eq!((r.status, r.code.as_str(), r.field.as_deref()), (400, "malformed", Some("envelope")));
    let r = refused(ee.exchange_receive(br#"{"header":"e30","enc":"!","ciphertext":""}"#, NOW + 11).await);
    assert_eq!((r.status, r.field.as_deref()), (400, Some("enc")));
    let r = refused(ee.exchange_receive(&vec![b' '; MAX_ENVELOPE_BYTES + 1], NOW + 11).await);
    assert_eq!((r.status, r.code.as_str()), (413, "too_large"));

    // a revoked sender key
    let lv_key = lv.instance_identity(Acting::Operator, None).await.unwrap().signing_key_id;
    let fresh = sealed_by_lv(&lv, ping(Uuid::now_v7(), "EE"), NOW + 10).await;
    ee.revoke_peer_key(Acting::Operator, "LV", &lv_key).await.unwrap();
    let r = refused(ee.exchange_receive(&fresh, NOW + 11).await);
    assert_eq!((r.status, r.code.as_str()), (401, "key_revoked"));

    // an instance EE has not pinned, and a message for another instance
    let (fi, db) = instance("FI").await;
    dbs.push(db);
    pin(&fi, &ee).await;
    pin(&fi, &lv).await;
    pin(&lv, &fi).await;
    let capture = Network::new(Vec::new());
    capture.down.store(true, Ordering::SeqCst);
    fi.exchange_send(Acting::Operator, ping(Uuid::now_v7(), "EE")).await.unwrap();
    fi.exchange_send(Acting::Operator, ping(Uuid::now_v7(), "LV")).await.unwrap();
    fi.deliver_exchange_outbox(&capture, NOW + 10).await.unwrap();
    let posted = capture.posted.lock().unwrap().clone();
    let to_ee = &posted.iter().find(|(url, _)| url.contains("ee.haven")).unwrap().1;
    let to_lv = &posted.iter().find(|(url, _)| url.contains("lv.haven")).unwrap().1;
    let r = refused(ee.exchange_receive(to_ee, NOW + 11).await);
    assert_eq!((r.status, r.code.as_str()), (403, "unknown_sender"));
    let r = refused(ee.exchange_receive(to_lv, NOW + 11).await);
    assert_eq!((r.status, r.code.as_str()), (422, "wrong_receiver"));

    // every refusal audited at the receiver with its code, the sender when readable
    for (code, n) in [
        ("decryption_failed", 2),
        ("unknown_key", 1),
        ("expired", 1),
        ("replayed", 1),
        ("malformed", 2),
        ("too_large", 1),
        ("key_revoked", 1),
        ("unknown_sender", 1),
        ("wrong_receiver", 1),
    ] {
        assert_eq!(audit_detail_count(&ee, "exchange_message_refused", &format!("code={code} ")).await, n, "{code}");
    }
    assert_eq!(audit_detail_count(&ee, "exchange_message_refused", "sender=LV type=ping").await, 6);
    assert_eq!(audit_detail_count(&ee, "exchange_message_refused", "sender=FI").await, 2);
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM exchange_inbox").await, 1, "only the good one stored");
}

#[tokio::test]
async fn a_refusal_by_the_receiver_is_recorded_with_its_code_and_not_retried() {
    let (lv, ee, _dbs) = pair().await;
    let net = Network::new(vec![("LV", lv.clone()), ("EE", ee.clone())]);
    let lv_key = lv.instance_identity(Acting::Operator, None).await.unwrap().signing_key_id;
    ee.revoke_peer_key(Acting::Operator, "LV", &lv_key).await.unwrap();
    let id = Uuid::now_v7();
    lv.exchange_send(Acting::Operator, ping(id, "EE")).await.unwrap();
    let report = lv.deliver_exchange_outbox(&net, NOW + 10).await.unwrap();
    assert_eq!(report.refused, vec![(id.to_string(), "key_revoked".to_owned())]);
    let shown = lv.exchange_outbox(Acting::Operator, 10).await.unwrap();
    assert_eq!((shown[0].state.as_str(), shown[0].last_error.as_deref()), ("refused", Some("key_revoked")));
    assert_eq!(audit_detail_count(&lv, "exchange_message_refused_by_peer", "code=key_revoked").await, 1);
    assert!(lv.deliver_exchange_outbox(&net, NOW + 100_000).await.unwrap().refused.is_empty());
}

#[tokio::test]
async fn an_unknown_message_type_is_refused_and_its_decision_is_not_taken_twice() {
    let (lv, ee, _dbs) = pair().await;
    let id = Uuid::now_v7();
    // an unknown type is refused by the dispatcher with unsupported_message_type
    let mut odd = ping(id, "EE");
    odd.message_type = "no_such_type".into();
    let envelope = sealed_by_lv(&lv, odd, NOW + 10).await;
    ee.exchange_receive(&envelope, NOW + 11).await.unwrap();
    let row = ee.store().exchange_inbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!(row.state, "refused");
    assert!(matches!(
        ee.exchange_acknowledge(Acting::Operator, id, haven_app::exchange_transport::InboundOutcome::Accepted).await,
        Err(haven_app::AppError::Conflict(_))
    ));
    assert!(matches!(
        ee.exchange_acknowledge(
            Acting::Operator,
            Uuid::now_v7(),
            haven_app::exchange_transport::InboundOutcome::Accepted
        )
        .await,
        Err(haven_app::AppError::NotFound)
    ));
    let acks = ee.store().exchange_outbox(10).await.unwrap();
    assert_eq!(acks.len(), 2);
    assert!(acks.iter().all(|a| a.message_type == "acknowledgement" && a.receiver == "LV"));
}

#[test]
fn retries_wait_twice_as_long_each_time_with_jitter_up_to_six_hours() {
    for random in [0, 1, 7, u64::MAX] {
        let first = retry_delay(1, random).whole_seconds();
        assert!((15..=30).contains(&first), "{first}");
        let third = retry_delay(3, random).whole_seconds();
        assert!((60..=120).contains(&third), "{third}");
        let late = retry_delay(40, random).whole_seconds();
        assert!((3 * 3600..=6 * 3600).contains(&late), "{late}");
    }
    assert_ne!(retry_delay(5, 0), retry_delay(5, 77));
}

/// A referral from LV to EE (the schema's example, to EE), as a message.
fn referral_to_ee(referral_id: &str) -> OutgoingMessage {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../exchange/schemas/examples/referral-onward-support-adult.json");
    let mut body: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    body["referral_id"] = serde_json::json!(referral_id);
    body["receiving_country"] = serde_json::json!("EE");
    body["basis"]["given_on"] = serde_json::json!("2026-05-01");
    OutgoingMessage {
        message_id: Uuid::now_v7(),
        receiver: "EE".into(),
        message_type: "referral".into(),
        type_version: 1,
        body: serde_json::to_vec(&body).unwrap(),
        lifetime: Duration::days(7),
    }
}

/// Makes EE's referral handler fail (its table refuses inserts) until [`handler_back`].
async fn handler_down(ee: &App) {
    ee.store()
        .execute_unchecked(
            "CREATE TRIGGER handler_down BEFORE INSERT ON transnational_referrals \
             BEGIN SELECT RAISE(ABORT, 'handler down'); END",
        )
        .await
        .unwrap();
}

async fn handler_back(ee: &App) {
    ee.store().execute_unchecked("DROP TRIGGER handler_down").await.unwrap();
}

async fn inbox_state(app: &App, id: Uuid) -> String {
    app.store().exchange_inbox_message(&id.to_string()).await.unwrap().unwrap().state
}

#[tokio::test]
async fn a_received_message_whose_handler_failed_is_handed_to_it_again_after_its_back_off() {
    let (lv, ee, _dbs) = pair().await;
    let net = Network::new(vec![("LV", lv.clone()), ("EE", ee.clone())]);
    handler_down(&ee).await;
    let message = referral_to_ee("0193a1b2-0000-7000-8000-0000000000a1");
    let id = message.message_id;
    lv.exchange_send(Acting::Operator, message).await.unwrap();
    assert_eq!(lv.deliver_exchange_outbox(&net, NOW).await.unwrap().delivered, vec![id.to_string()]);
    // Stored and acknowledged as received; the handler failed: it stays received, audited.
    assert_eq!(inbox_state(&ee, id).await, "received");
    assert_eq!(audit_detail_count(&ee, "exchange_dispatch_failed", "attempt=1 ").await, 1);
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM transnational_referrals").await, 0);

    // Not due before its back-off.
    assert_eq!(ee.redispatch_exchange_inbox(NOW + 59).await.unwrap(), Default::default());
    // Due, still failing: a second attempt, twice the wait.
    let report = ee.redispatch_exchange_inbox(NOW + 60).await.unwrap();
    assert_eq!(report.retrying, vec![id.to_string()]);
    assert_eq!(
        audit_detail_count(&ee, "exchange_dispatch_failed", &format!("attempt=2 next_dispatch_at={}", NOW + 180)).await,
        1
    );
    assert!(ee.redispatch_exchange_inbox(NOW + 179).await.unwrap().retrying.is_empty());

    // The handler works again: the referral is taken (it waits for the focal point), once.
    handler_back(&ee).await;
    let report = ee.redispatch_exchange_inbox(NOW + 180).await.unwrap();
    assert_eq!(report.handled, vec![id.to_string()]);
    assert_eq!(inbox_state(&ee, id).await, "pending");
    assert_eq!(count(&ee, "SELECT COUNT(*) FROM transnational_referrals").await, 1);
    assert_eq!(audit_detail_count(&ee, "exchange_message_decided", "attempt=3 sender=LV state=pending").await, 1);
    assert_eq!(ee.redispatch_exchange_inbox(NOW + 100_000).await.unwrap(), Default::default());
}

#[tokio::test]
async fn a_received_message_whose_handler_keeps_failing_is_refused_with_its_acknowledgement() {
    let (lv, ee, _dbs) = pair().await;
    let net = Network::new(vec![("LV", lv.clone()), ("EE", ee.clone())]);
    handler_down(&ee).await;
    let message = referral_to_ee("0193a1b2-0000-7000-8000-0000000000a2");
    let id = message.message_id;
    lv.exchange_send(Acting::Operator, message).await.unwrap();
    lv.deliver_exchange_outbox(&net, NOW).await.unwrap();
    let mut now = NOW;
    let mut given_up = Vec::new();
    for _ in 0..20 {
        now += 86_400;
        given_up.extend(ee.redispatch_exchange_inbox(now).await.unwrap().given_up);
    }
    assert_eq!(given_up, vec![id.to_string()], "given up once");
    assert_eq!(inbox_state(&ee, id).await, "refused");
    let failures = "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange_dispatch_failed'";
    assert_eq!(count(&ee, failures).await, MAX_DISPATCH_ATTEMPTS, "every attempt audited, the last giving up");
    assert_eq!(audit_detail_count(&ee, "exchange_dispatch_failed", "given_up=too_many_failures").await, 1);

    // The refusal goes back to LV: its outbox row says refused, reason other.
    net.now.store(now, Ordering::SeqCst);
    assert_eq!(ee.deliver_exchange_outbox(&net, now).await.unwrap().delivered.len(), 2);
    let row = lv.store().exchange_outbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!((row.ack_status.as_deref(), row.ack_reason.as_deref()), (Some("refused"), Some("other")));
}

#[tokio::test]
async fn decided_messages_are_purged_after_their_replay_window_and_a_replay_then_is_refused_as_expired() {
    let (lv, ee, _dbs) = pair().await;
    // A ping of one day's lifetime, sealed at NOW + 10: it expires at NOW + 10 + 1 day.
    let id = Uuid::now_v7();
    let envelope = sealed_by_lv(&lv, ping(id, "EE"), NOW + 10).await;
    ee.exchange_receive(&envelope, NOW + 11).await.unwrap();
    let row = ee.store().exchange_inbox_message(&id.to_string()).await.unwrap().unwrap();
    assert_eq!(row.state, "accepted");
    let expiry = row.remember_until;
    assert_eq!(expiry, NOW + 86_400, "the expiry of the message stored in the outbox at the fixed clock");
    // Within the window a replay is refused as a replay, and nothing is purged.
    assert_eq!(refused(ee.exchange_receive(&envelope, expiry - 1).await).code, "replayed");
    assert_eq!(ee.purge_exchange_inbox(expiry - 1).await.unwrap(), 0);
    assert_eq!(audited(&ee, "exchange_inbox_purged").await, 0);
    // A message still waiting for a person is kept past its window.
    let message = referral_to_ee("0193a1b2-0000-7000-8000-0000000000a3");
    let waiting = message.message_id;
    let referral = sealed_referral(&lv, message, NOW + 10).await;
    ee.exchange_receive(&referral, NOW + 12).await.unwrap();
    assert_eq!(inbox_state(&ee, waiting).await, "pending");

    // From the expiry on: purged (audited with the count), and the replay is refused as expired,
    // not stored again.
    assert_eq!(ee.purge_exchange_inbox(expiry + 7 * 86_400).await.unwrap(), 1);
    assert!(ee.store().exchange_inbox_message(&id.to_string()).await.unwrap().is_none());
    assert_eq!(audit_detail_count(&ee, "exchange_inbox_purged", "purged=1").await, 1);
    let replay = refused(ee.exchange_receive(&envelope, expiry).await);
    assert_eq!((replay.status, replay.code.as_str()), (410, "expired"));
    assert!(ee.store().exchange_inbox_message(&id.to_string()).await.unwrap().is_none());
    assert_eq!(inbox_state(&ee, waiting).await, "pending", "the referral waiting for a person is kept");
    assert_eq!(ee.purge_exchange_inbox(expiry + 30 * 86_400).await.unwrap(), 0);
}

/// An envelope of `message` LV sealed for EE at `at`.
async fn sealed_referral(lv: &App, message: OutgoingMessage, at: i64) -> Vec<u8> {
    let capture = Network::new(Vec::new());
    capture.down.store(true, Ordering::SeqCst);
    lv.exchange_send(Acting::Operator, message).await.unwrap();
    lv.deliver_exchange_outbox(&capture, at).await.unwrap();
    let posted = capture.posted.lock().unwrap();
    posted.last().unwrap().1.clone()
}
