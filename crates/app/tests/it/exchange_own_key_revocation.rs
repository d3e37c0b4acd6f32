//! Revoking this instance's own key at once: the only current key is not revoked (the key id
//! named); after a rotation the old signing key is revoked without waiting for the overlap, the
//! instance signs with the new key from then on, and the entry announcing the revocation reaches
//! the peer as a `directory_entry` message, which the peer applies; from then on the peer refuses
//! a message signed with the revoked key (kept from before). Audited at both ends, behind
//! ManagePeers.

use std::sync::{Arc, Mutex};

use crate::common::{self, NOW, audit_detail_count, organisation, user};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_transport::{EnvelopePoster, OutgoingMessage, PostResult, ReceiveError};
use haven_app::{App, AppError, AppSettings, FixedClock};
use haven_crypto::MasterKey;
use haven_exchange::encoding::b64_decode;
use haven_storage::Store;
use time::Duration;
use uuid::Uuid;

const DAY: i64 = 86_400;

struct Instance {
    app: App,
    clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

async fn instance(id: &str) -> Instance {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open_sqlite(dir.path()).await.expect("a database");
    let clock = Arc::new(FixedClock::new(NOW));
    let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default()).await.expect("an app");
    let setup = IdentitySetup {
        instance_id: id.into(),
        role: "national_focal_point".into(),
        endpoint: format!("https://{}.haven.example/exchange", id.to_lowercase()),
    };
    app.instance_identity(Acting::Operator, Some(&setup)).await.expect("the identity");
    Instance { app, clock, _dir: dir }
}

async fn pin(a: &App, b: &App) {
    let entry = b.own_directory_entry(Acting::Operator).await.expect("b's entry");
    a.add_peer(Acting::Operator, entry.json.as_bytes(), &entry.identity.signing_key_id).await.expect("pinned");
}

/// Records what is posted and answers nothing (so the outbox keeps retrying).
#[derive(Default)]
struct Capture(Mutex<Vec<Vec<u8>>>);

impl EnvelopePoster for Capture {
    async fn post(&self, _url: &str, envelope: Vec<u8>) -> PostResult {
        self.0.lock().expect("lock").push(envelope);
        PostResult::Unreachable { problem: "captured".into() }
    }
}

fn ping(receiver: &str) -> OutgoingMessage {
    OutgoingMessage {
        message_id: Uuid::now_v7(),
        receiver: receiver.into(),
        message_type: "ping".into(),
        type_version: 1,
        body: br#"{"hello":"peer"}"#.to_vec(),
        lifetime: Duration::days(30),
    }
}

/// Every envelope the instance's outbox posts at `now`.
async fn posted(from: &Instance, now: i64) -> Vec<Vec<u8>> {
    let capture = Capture::default();
    from.app.deliver_exchange_outbox(&capture, now).await.expect("a pass");
    capture.0.lock().expect("lock").clone()
}

/// A ping `from` seals for `to` at `now`.
async fn sealed_ping(from: &Instance, to: &str, now: i64) -> Vec<u8> {
    from.app.exchange_send(Acting::Operator, ping(to)).await.expect("queued");
    posted(from, now).await.into_iter().find(|e| header(e)["message_type"] == "ping").expect("the ping was posted")
}

fn header(envelope: &[u8]) -> serde_json::Value {
    let outer: serde_json::Value = serde_json::from_slice(envelope).expect("envelope JSON");
    serde_json::from_slice(&b64_decode(outer["header"].as_str().expect("header")).expect("base64url"))
        .expect("header JSON")
}

#[tokio::test]
async fn a_revoked_own_key_is_refused_by_the_peer_once_the_announcement_arrives() {
    let lv = instance("LV").await;
    let ee = instance("EE").await;
    pin(&lv.app, &ee.app).await;
    pin(&ee.app, &lv.app).await;
    let before = lv.app.own_directory_entry(Acting::Operator).await.expect("entry");
    let old_signing = before.identity.signing_key_id.clone();

    // The only current signing key is never revoked: the key id is named, nothing changes.
    match lv.app.revoke_own_key(Acting::Operator, &old_signing, "the laptop was stolen").await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "key_id"),
        other => panic!("the only current key must be refused naming key_id, got {other:?}"),
    }
    assert_eq!(lv.app.exchange_outbox(Acting::Operator, 10).await.expect("outbox").len(), 0);
    for (key, reason, field) in
        [(old_signing.as_str(), " ", "reason"), (old_signing.as_str(), "two\nlines", "reason"), ("nope", "x", "key_id")]
    {
        match lv.app.revoke_own_key(Acting::Operator, key, reason).await {
            Err(AppError::Invalid(e)) => assert_eq!(e.field, field),
            other => panic!("{key:?} / {reason:?} must be refused naming {field}, got {other:?}"),
        }
    }

    // LV rotates (7 days of overlap) and EE applies the rotation.
    lv.clock.set(NOW + DAY);
    ee.clock.set(NOW + DAY);
    let rotated = lv.app.rotate_own_keys(Acting::Operator, 7).await.expect("rotated");
    let new_signing = rotated.new_signing_key_id.clone().expect("a new signing key");
    ee.app.apply_peer_rotation(Acting::Operator, rotated.entry_json.as_bytes()).await.expect("EE applied it");
    // A message signed with the old key during the overlap, kept (say, by whoever stole the key).
    let kept = sealed_ping(&lv, "EE", NOW + DAY).await;
    assert_eq!(header(&kept)["sender_signing_key"], old_signing);
    // Before the revocation reaches EE it is still accepted: the overlap runs.
    let earlier = sealed_ping(&lv, "EE", NOW + DAY).await;
    ee.app.exchange_receive(&earlier, NOW + DAY).await.expect("accepted during the overlap");

    // LV revokes the old signing key at once, an hour later.
    lv.clock.set(NOW + DAY + 3600);
    ee.clock.set(NOW + DAY + 3600);
    let revoked =
        lv.app.revoke_own_key(Acting::Operator, &old_signing, "the laptop was stolen").await.expect("revoked");
    assert_eq!(revoked.announced_to, vec!["EE".to_string()]);
    assert_eq!(revoked.sequence, 3);
    assert_eq!(audit_detail_count(&lv.app, "own_key_revoked", &format!("key_id={old_signing}")).await, 1);
    let own = lv.app.own_keys(Acting::Operator).await.expect("own keys");
    assert!(own.iter().any(|k| k.key_id == old_signing && k.status == "revoked"), "{own:?}");
    // From now on LV signs with the new key, without waiting for the overlap.
    assert_eq!(lv.app.own_directory_entry(Acting::Operator).await.expect("entry").identity.signing_key_id, new_signing);
    // The same key again: revoked already, named.
    match lv.app.revoke_own_key(Acting::Operator, &old_signing, "again").await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "key_id"),
        other => panic!("a second revocation must be refused naming key_id, got {other:?}"),
    }

    // The announcement goes out through the outbox, signed with the new key, and EE applies it.
    let out = posted(&lv, NOW + DAY + 3600).await;
    let announcement =
        out.iter().find(|e| header(e)["message_type"] == "directory_entry").expect("the directory entry was posted");
    assert_eq!(header(announcement)["sender_signing_key"], new_signing);
    ee.app.exchange_receive(announcement, NOW + DAY + 3600).await.expect("EE takes the announcement");
    let peers = ee.app.peers(Acting::Operator).await.expect("peers");
    let lv_at_ee = peers.iter().find(|p| p.instance_id == "LV").expect("LV pinned");
    assert_eq!(lv_at_ee.sequence, 3);
    assert!(lv_at_ee.signing_keys.iter().any(|k| k.key_id == old_signing && k.status == "revoked"), "{lv_at_ee:?}");
    assert_eq!(audit_detail_count(&ee.app, "peer_rotated", "sequence=3").await, 1);

    // EE now refuses the message signed with the revoked key, and audits the refusal.
    match ee.app.exchange_receive(&kept, NOW + DAY + 3600).await {
        Err(ReceiveError::Refused(r)) => assert_eq!((r.status, r.code.as_str()), (401, "key_revoked")),
        other => panic!("the revoked key must be refused, got {other:?}"),
    }
    assert!(audit_detail_count(&ee.app, "exchange_message_refused", "key_revoked").await >= 1);
    // What LV signs now (the new key) is accepted.
    let now_signed = sealed_ping(&lv, "EE", NOW + DAY + 3600).await;
    assert_eq!(header(&now_signed)["sender_signing_key"], new_signing);
    ee.app.exchange_receive(&now_signed, NOW + DAY + 3600).await.expect("the new key is accepted");
    // The same announcement again is a replay, refused.
    assert!(ee.app.exchange_receive(announcement, NOW + DAY + 3600).await.is_err());
}

#[tokio::test]
async fn revoking_an_own_key_needs_manage_peers() {
    let (app, _db) = common::sqlite_app().await;
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    let identity = app.instance_identity(Acting::Operator, Some(&setup)).await.expect("identity");
    let org = organisation(&app, "NGO Riga", "ngo", "LV").await;
    let caseworker = user(&app, "case.worker", &org, "caseworker").await;
    assert!(matches!(
        app.revoke_own_key(Acting::User(&caseworker), &identity.signing_key_id, "stolen").await,
        Err(AppError::Forbidden)
    ));
    let authority = organisation(&app, "Ministry", "competent_authority", "LV").await;
    let focal = user(&app, "focal.point", &authority, "focal_point").await;
    app.rotate_own_keys(Acting::User(&focal), 7).await.expect("the focal point rotates");
    let revoked = app
        .revoke_own_key(Acting::User(&focal), &identity.signing_key_id, "the laptop was stolen")
        .await
        .expect("the focal point revokes the old key");
    assert!(revoked.announced_to.is_empty(), "no peer pinned");
    let reason: String = app
        .store()
        .count_unchecked("SELECT COUNT(*) FROM exchange_keys WHERE revoked_reason = 'the laptop was stolen'")
        .await
        .expect("count")
        .to_string();
    assert_eq!(reason, "1", "the reason is kept with the key");
}
