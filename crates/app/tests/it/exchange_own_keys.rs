//! Rotating this instance's own keys with an overlap: during the overlap the old signing key still
//! signs (a peer that has not applied the rotation accepts), both encryption keys open; a peer
//! that pinned the old key applies the rotation entry and accepts messages signed with the new
//! key once the overlap has ended; after it the old key no longer verifies; retiring deletes the
//! old secrets. Every change audited, behind ManagePeers.

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

/// Records what is posted and answers nothing.
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

/// The envelope `from` seals for `to` at its clock's time.
async fn sealed(from: &Instance, to: &str) -> Vec<u8> {
    let capture = Capture::default();
    from.app.exchange_send(Acting::Operator, ping(to)).await.expect("queued");
    from.app.deliver_exchange_outbox(&capture, from.clock_now()).await.expect("a pass");
    let posted = capture.0.lock().expect("lock");
    posted.last().cloned().expect("an envelope was posted")
}

impl Instance {
    fn clock_now(&self) -> i64 {
        haven_app::Clock::now(&*self.clock)
    }
}

fn header(envelope: &[u8]) -> serde_json::Value {
    let outer: serde_json::Value = serde_json::from_slice(envelope).expect("envelope JSON");
    serde_json::from_slice(&b64_decode(outer["header"].as_str().expect("header")).expect("base64url"))
        .expect("header JSON")
}

fn set_clocks(instances: &[&Instance], at: i64) {
    for i in instances {
        i.clock.set(at);
    }
}

#[tokio::test]
async fn own_keys_rotate_with_an_overlap_and_a_peer_that_applied_the_rotation_accepts_the_new_key() {
    let lv = instance("LV").await;
    let ee = instance("EE").await;
    // LT pins LV too, and will never apply LV's rotation.
    let lt = instance("LT").await;
    for (a, b) in [(&lv, &ee), (&ee, &lv), (&lv, &lt), (&lt, &lv)] {
        pin(&a.app, &b.app).await;
    }
    let before = lv.app.own_directory_entry(Acting::Operator).await.expect("entry");
    let old_signing = before.identity.signing_key_id.clone();
    let old_encryption = before.identity.encryption_key_ids[0].clone();

    // LV rotates at NOW + 1 day with an overlap of 7 days.
    set_clocks(&[&lv, &ee, &lt], NOW + DAY);
    let rotated = lv.app.rotate_own_keys(Acting::Operator, 7).await.expect("rotated");
    assert_eq!(rotated.sequence, 2);
    assert_eq!(rotated.overlap_until, Some(NOW + 8 * DAY));
    let new_signing = rotated.new_signing_key_id.clone().expect("a new signing key");
    let new_encryption = rotated.new_encryption_key_id.clone().expect("a new encryption key");
    assert_ne!(new_signing, old_signing);
    let entry: serde_json::Value = serde_json::from_str(&rotated.entry_json).expect("signed entry JSON");
    assert_eq!(entry["signed_by"], old_signing, "the rotation entry is signed by the key every peer pinned");
    let published: serde_json::Value =
        serde_json::from_slice(&b64_decode(entry["entry"].as_str().expect("entry")).expect("b64")).expect("json");
    assert_eq!(published["sequence"], 2);
    assert_eq!(published["signing_keys"].as_array().expect("keys").len(), 2, "old and new during the overlap");
    assert_eq!(published["signing_keys"][0]["key_id"], old_signing);
    assert!(published["signing_keys"][0]["valid_until"].as_str().is_some(), "the old key ends with the overlap");
    assert_eq!(audit_detail_count(&lv.app, "own_keys_rotated", &format!("signing_key_id={new_signing}")).await, 1);

    // A second rotation while the overlap runs is refused.
    assert!(matches!(lv.app.rotate_own_keys(Acting::Operator, 7).await, Err(AppError::ConflictSaid { .. })));

    // During the overlap LV still signs with the old key: EE, not yet rotated, accepts.
    let during = sealed(&lv, "EE").await;
    assert_eq!(header(&during)["sender_signing_key"], old_signing);
    ee.app.exchange_receive(&during, NOW + DAY).await.expect("EE accepts during the overlap");

    // EE, which pinned the old key, applies the rotation (signed by the key it pinned).
    let peer = ee.app.apply_peer_rotation(Acting::Operator, rotated.entry_json.as_bytes()).await.expect("applied");
    assert_eq!(peer.sequence, 2);
    assert!(peer.signing_keys.iter().any(|k| k.key_id == new_signing && k.status == "valid"));
    // EE now encrypts to LV's new encryption key, which LV opens.
    let to_lv = sealed(&ee, "LV").await;
    assert_eq!(header(&to_lv)["receiver_encryption_key"], new_encryption);
    lv.app.exchange_receive(&to_lv, NOW + DAY).await.expect("LV opens with its new encryption key");
    // An envelope for LV's old encryption key still opens during the overlap (sealed by a
    // peer that has not applied the rotation).
    let from_lt = sealed(&lt, "LV").await;
    assert_eq!(header(&from_lt)["receiver_encryption_key"], old_encryption);
    lv.app.exchange_receive(&from_lt, NOW + DAY).await.expect("the old encryption key opens during the overlap");

    // An envelope LV signs with the old key during the overlap, kept (not delivered) past it.
    let kept = sealed(&lv, "EE").await;
    assert_eq!(header(&kept)["sender_signing_key"], old_signing);

    // After the overlap LV signs with the new key, and EE, having applied the rotation, accepts.
    set_clocks(&[&lv, &ee, &lt], NOW + 9 * DAY);
    let after = sealed(&lv, "EE").await;
    assert_eq!(header(&after)["sender_signing_key"], new_signing);
    ee.app.exchange_receive(&after, NOW + 9 * DAY).await.expect("EE accepts the new key after the overlap");
    assert_eq!(
        lv.app.own_directory_entry(Acting::Operator).await.expect("entry").identity.signing_key_id,
        new_signing,
        "the key to read out is the new one after the overlap"
    );

    // The old key no longer verifies after the overlap.
    match ee.app.exchange_receive(&kept, NOW + 9 * DAY).await {
        Err(ReceiveError::Refused(r)) => assert_eq!((r.status, r.code.as_str()), (401, "key_expired")),
        other => panic!("the old signing key must be refused after the overlap, got {other:?}"),
    }
    // Nor does LV open a message for its old encryption key.
    let late = sealed(&lt, "LV").await;
    assert_eq!(header(&late)["receiver_encryption_key"], old_encryption, "LT never applied the rotation");
    match lv.app.exchange_receive(&late, NOW + 9 * DAY).await {
        Err(ReceiveError::Refused(r)) => assert_eq!(r.status, 422, "{}", r.code),
        other => panic!("the old encryption key must be refused after the overlap, got {other:?}"),
    }

    // Retiring deletes the old secrets and publishes an entry without them, which EE applies.
    let retired = lv.app.retire_own_keys(Acting::Operator).await.expect("retired");
    assert_eq!(retired.sequence, 3);
    let mut gone = retired.retired.clone();
    gone.sort();
    let mut expected = vec![old_signing.clone(), old_encryption.clone()];
    expected.sort();
    assert_eq!(gone, expected);
    assert_eq!(lv.app.store().count_unchecked("SELECT COUNT(*) FROM exchange_keys").await.expect("count"), 2);
    assert_eq!(audit_detail_count(&lv.app, "own_keys_retired", &old_signing).await, 1);
    let peer = ee.app.apply_peer_rotation(Acting::Operator, retired.entry_json.as_bytes()).await.expect("applied");
    assert_eq!((peer.sequence, peer.signing_keys.len()), (3, 1));
    // Nothing more to retire: nothing changes.
    assert_eq!(lv.app.retire_own_keys(Acting::Operator).await.expect("nothing").sequence, 3);
    // A new rotation is allowed once the overlap has ended.
    assert_eq!(lv.app.rotate_own_keys(Acting::Operator, 1).await.expect("rotated again").sequence, 4);
}

#[tokio::test]
async fn own_key_rotation_needs_manage_peers_and_a_sensible_overlap() {
    let (app, _db) = common::sqlite_app().await;
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    assert!(
        matches!(app.rotate_own_keys(Acting::Operator, 7).await, Err(AppError::Invalid(e)) if e.field == "instance_id")
    );
    app.instance_identity(Acting::Operator, Some(&setup)).await.expect("identity");
    for days in [0, -1, 91] {
        match app.rotate_own_keys(Acting::Operator, days).await {
            Err(AppError::Invalid(e)) => assert_eq!(e.field, "overlap_days"),
            other => panic!("{days} days must be refused naming overlap_days, got {other:?}"),
        }
    }
    let org = organisation(&app, "NGO Riga", "ngo", "LV").await;
    let caseworker = user(&app, "case.worker", &org, "caseworker").await;
    assert!(matches!(app.rotate_own_keys(Acting::User(&caseworker), 7).await, Err(AppError::Forbidden)));
    assert!(matches!(app.retire_own_keys(Acting::User(&caseworker)).await, Err(AppError::Forbidden)));
    let authority = organisation(&app, "Ministry", "competent_authority", "LV").await;
    let focal = user(&app, "focal.point", &authority, "focal_point").await;
    let rotated = app.rotate_own_keys(Acting::User(&focal), 7).await.expect("the focal point rotates");
    assert_eq!(rotated.sequence, 2);
    assert_eq!(audit_detail_count(&app, "own_keys_rotated", "sequence=2").await, 1);
    assert!(
        app.store()
            .count_unchecked("SELECT COUNT(*) FROM audit_log WHERE action = 'access_denied'")
            .await
            .expect("count")
            >= 2,
        "the refusals are audited"
    );
}
