//! The instance in the exchange: its identity made once on first use, its signed directory entry,
//! and peers pinned only with the signing key confirmed out of band, their keys revoked and their
//! rotations applied; every change audited, every use case behind ManagePeers.

use crate::common::{self, NOW, audit_detail_count, organisation, user};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::{App, AppError};
use haven_exchange::{
    DirectoryEntry, EncryptionKeyPair, InstanceId, PeerRole, PublishedKey, SignedEntry, SigningKeyPair,
};
use time::OffsetDateTime;

fn lv_setup() -> IdentitySetup {
    IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    }
}

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

/// A peer instance (its keys from fixed seeds), publishing entries.
struct PeerInstance {
    id: &'static str,
    signing: SigningKeyPair,
    encryption: EncryptionKeyPair,
}

impl PeerInstance {
    fn new(id: &'static str, seed: u8) -> PeerInstance {
        PeerInstance {
            id,
            signing: SigningKeyPair::from_seed(&[seed; 32]),
            encryption: EncryptionKeyPair::derive(&[seed.wrapping_add(100); 32]),
        }
    }

    fn entry(&self, sequence: u64, encryption: &[&EncryptionKeyPair]) -> DirectoryEntry {
        DirectoryEntry {
            instance_id: InstanceId::parse("f", self.id).unwrap(),
            role: PeerRole::NationalFocalPoint,
            endpoint: format!("https://{}.haven.example/exchange", self.id.to_lowercase()),
            sequence,
            issued_at: t(NOW - 3600),
            signing_keys: vec![PublishedKey::new(self.signing.public_key(), t(NOW - 86_400))],
            encryption_keys: encryption.iter().map(|k| PublishedKey::new(k.public_key(), t(NOW - 86_400))).collect(),
        }
    }

    /// The first entry, self-signed, as its operator hands it over.
    fn published(&self) -> Vec<u8> {
        SignedEntry::sign(&self.entry(1, &[&self.encryption]), &self.signing).unwrap().to_json()
    }

    fn key_id(&self) -> String {
        self.signing.key_id().as_str().to_owned()
    }
}

#[track_caller]
fn assert_field<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) {
    match r {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, field, "{}", e.message),
        other => panic!("expected a refusal naming {field}, got {other:?}"),
    }
}

async fn count(app: &App, sql: &str) -> i64 {
    app.store().count_unchecked(sql).await.unwrap()
}

async fn the_identity_is_made_once_on_first_use_and_its_entry_is_self_signed(app: &App) {
    // Nothing to hand out before the identity is made, and no identity without its facts.
    assert_field(app.own_directory_entry(Acting::Operator).await, "instance_id");
    assert_field(app.instance_identity(Acting::Operator, None).await, "instance_id");
    let mut plain_http = lv_setup();
    plain_http.endpoint = "http://lv.haven.example/exchange".into();
    assert_field(app.instance_identity(Acting::Operator, Some(&plain_http)).await, "endpoint");
    let mut bad_role = lv_setup();
    bad_role.role = "hub".into();
    assert_field(app.instance_identity(Acting::Operator, Some(&bad_role)).await, "role");
    assert_eq!(count(app, "SELECT COUNT(*) FROM exchange_keys").await, 0);

    let made = app.instance_identity(Acting::Operator, Some(&lv_setup())).await.unwrap();
    assert!(made.created);
    assert_eq!((made.instance_id.as_str(), made.role.as_str()), ("LV", "national_focal_point"));
    assert_eq!(made.encryption_key_ids.len(), 1);
    assert_eq!(made.signing_key_spoken.split(' ').count(), 8, "{}", made.signing_key_spoken);
    // Asked again, with or without the facts, it is the same identity; other facts are refused.
    let again = app.instance_identity(Acting::Operator, None).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.signing_key_id, made.signing_key_id);
    let mut moved = lv_setup();
    moved.endpoint = "https://elsewhere.example/exchange".into();
    assert_field(app.instance_identity(Acting::Operator, Some(&moved)).await, "endpoint");
    let mut renamed = lv_setup();
    renamed.instance_id = "EE".into();
    assert_field(app.instance_identity(Acting::Operator, Some(&renamed)).await, "instance_id");
    assert_eq!(audit_detail_count(app, "exchange_identity_created", &made.signing_key_id).await, 1);
    // Two key pairs, each secret stored only wrapped (not the 32 raw bytes of a key).
    assert_eq!(count(app, "SELECT COUNT(*) FROM exchange_keys").await, 2);
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM exchange_keys WHERE length(COALESCE(signing_secret, encryption_secret)) <= 32"
        )
        .await,
        0
    );

    // The entry handed to peers is signed by the key read out to them, and a peer pins it.
    let own = app.own_directory_entry(Acting::Operator).await.unwrap();
    let signed = SignedEntry::parse(own.json.as_bytes()).unwrap();
    signed.verify_self_signed().unwrap();
    assert_eq!(signed.signed_by().as_str(), made.signing_key_id);
    assert_eq!(signed.entry().endpoint, "https://lv.haven.example/exchange");
    assert_eq!(signed.entry().encryption_keys[0].key_id.as_str(), made.encryption_key_ids[0]);
    let mut their_directory = haven_exchange::Directory::new(SigningKeyPair::from_seed(&[9; 32]).public_key());
    their_directory
        .pin(
            signed,
            &haven_exchange::KeyId::parse("k", &made.signing_key_id).unwrap(),
            &SigningKeyPair::from_seed(&[9; 32]),
            t(NOW),
        )
        .unwrap();
}

async fn a_peer_is_pinned_only_with_the_signing_key_confirmed_out_of_band(app: &App) {
    app.instance_identity(Acting::Operator, Some(&lv_setup())).await.unwrap();
    let ee = PeerInstance::new("EE", 1);
    let other = PeerInstance::new("EE", 2);
    // The key read out on the telephone is not the one that signed the entry: refused.
    assert_field(app.add_peer(Acting::Operator, &ee.published(), &other.key_id()).await, "signing_key_id");
    assert_field(app.add_peer(Acting::Operator, &ee.published(), "not a key id").await, "signing_key_id");
    assert_field(app.add_peer(Acting::Operator, b"{\"entry\": 1}", &ee.key_id()).await, "signed_entry.entry");
    // An entry whose signature was changed does not verify.
    let mut forged: serde_json::Value = serde_json::from_slice(&ee.published()).unwrap();
    let other_signature = serde_json::from_slice::<serde_json::Value>(&other.published()).unwrap()["signature"].clone();
    forged["signature"] = other_signature;
    assert_field(app.add_peer(Acting::Operator, forged.to_string().as_bytes(), &ee.key_id()).await, "signature");
    // Our own entry is not a peer.
    let own = app.own_directory_entry(Acting::Operator).await.unwrap();
    assert_field(
        app.add_peer(Acting::Operator, own.json.as_bytes(), &own.identity.signing_key_id).await,
        "entry.instance_id",
    );
    assert!(app.peers(Acting::Operator).await.unwrap().is_empty());

    let pinned = app.add_peer(Acting::Operator, &ee.published(), &ee.key_id()).await.unwrap();
    assert_eq!((pinned.instance_id.as_str(), pinned.sequence, pinned.pinned_at), ("EE", 1, NOW));
    assert_eq!(pinned.signing_keys[0].key_id, ee.key_id());
    assert_eq!(pinned.signing_keys[0].status, "valid");
    assert!(matches!(
        app.add_peer(Acting::Operator, &ee.published(), &ee.key_id()).await,
        Err(AppError::ConflictSaid { .. })
    ));
    let listed = app.peers(Acting::Operator).await.unwrap();
    assert_eq!(listed, vec![pinned]);
    assert_eq!(audit_detail_count(app, "peer_pinned", &format!("signing_key_id={}", ee.key_id())).await, 1);
}

async fn a_revoked_key_stays_revoked_and_rotations_need_a_current_key(app: &App) {
    app.instance_identity(Acting::Operator, Some(&lv_setup())).await.unwrap();
    let ee = PeerInstance::new("EE", 1);
    app.add_peer(Acting::Operator, &ee.published(), &ee.key_id()).await.unwrap();
    let old_encryption = ee.encryption.key_id().as_str().to_owned();

    // A rotation adds a new encryption key, signed by the pinned signing key.
    let next = EncryptionKeyPair::derive(&[77; 32]);
    let rotated = SignedEntry::sign(&ee.entry(2, &[&ee.encryption, &next]), &ee.signing).unwrap().to_json();
    let peer = app.apply_peer_rotation(Acting::Operator, &rotated).await.unwrap();
    assert_eq!(peer.sequence, 2);
    assert_eq!(peer.encryption_keys.len(), 2);
    assert_eq!(peer.pinned_at, NOW);
    // The same entry again is stale.
    assert_field(app.apply_peer_rotation(Acting::Operator, &rotated).await, "entry.sequence");
    // A rotation of a peer not pinned is refused naming the instance.
    let fi = PeerInstance::new("FI", 3);
    assert_field(app.apply_peer_rotation(Acting::Operator, &fi.published()).await, "instance_id");

    // Revoking: an unknown key, an unknown peer, then the old encryption key.
    assert_field(app.revoke_peer_key(Acting::Operator, "EE", fi.key_id().as_str()).await, "key_id");
    assert_field(app.revoke_peer_key(Acting::Operator, "FI", &old_encryption).await, "instance_id");
    assert_field(app.revoke_peer_key(Acting::Operator, "not an instance", &old_encryption).await, "instance_id");
    let peer = app.revoke_peer_key(Acting::Operator, "EE", &old_encryption).await.unwrap();
    let old = peer.encryption_keys.iter().find(|k| k.key_id == old_encryption).unwrap();
    assert_eq!((old.status, old.revoked_at), ("revoked", Some(NOW)));
    assert_eq!(audit_detail_count(app, "peer_key_revoked", &format!("key_id={old_encryption}")).await, 1);

    // A later rotation that lists the key unrevoked does not lift the local revocation.
    let third = SignedEntry::sign(&ee.entry(3, &[&ee.encryption, &next]), &ee.signing).unwrap().to_json();
    let peer = app.apply_peer_rotation(Acting::Operator, &third).await.unwrap();
    assert_eq!(peer.encryption_keys.iter().find(|k| k.key_id == old_encryption).unwrap().status, "revoked");
    assert_eq!(audit_detail_count(app, "peer_rotated", "sequence=").await, 2);

    // With its signing key revoked, the peer can sign no rotation any more.
    app.revoke_peer_key(Acting::Operator, "EE", &ee.key_id()).await.unwrap();
    let fourth = SignedEntry::sign(&ee.entry(4, &[&next]), &ee.signing).unwrap().to_json();
    assert_field(app.apply_peer_rotation(Acting::Operator, &fourth).await, "signed_by");
    // Every pin read back verifies (counter-signed by this instance's key).
    assert_eq!(app.peers(Acting::Operator).await.unwrap().len(), 1);
}

async fn a_changed_pin_in_the_database_is_not_trusted(app: &App) {
    app.instance_identity(Acting::Operator, Some(&lv_setup())).await.unwrap();
    let ee = PeerInstance::new("EE", 1);
    let de = PeerInstance::new("DE", 4);
    app.add_peer(Acting::Operator, &ee.published(), &ee.key_id()).await.unwrap();
    app.add_peer(Acting::Operator, &de.published(), &de.key_id()).await.unwrap();
    // Someone with database access puts DE's pin under EE's name: its counter-signature does not
    // match, and the directory is refused whole rather than trusted.
    app.store()
        .execute_unchecked("UPDATE exchange_peers SET record = (SELECT record FROM exchange_peers WHERE instance_id = 'DE') WHERE instance_id = 'EE'")
        .await
        .unwrap();
    assert!(matches!(app.peers(Acting::Operator).await, Err(AppError::Internal(_))));
}

async fn both_engines(test: for<'a> fn(&'a App) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>) {
    let (app, _db) = common::sqlite_app().await;
    test(&app).await;
    if let Some((app, _db)) = common::postgres_app().await {
        test(&app).await;
    }
}

#[tokio::test]
async fn the_instance_identity_is_made_once_on_first_use_and_its_entry_is_self_signed() {
    both_engines(|app| Box::pin(the_identity_is_made_once_on_first_use_and_its_entry_is_self_signed(app))).await;
}

#[tokio::test]
async fn a_peer_is_pinned_only_with_its_signing_key_confirmed_out_of_band() {
    both_engines(|app| Box::pin(a_peer_is_pinned_only_with_the_signing_key_confirmed_out_of_band(app))).await;
}

#[tokio::test]
async fn a_revoked_peer_key_stays_revoked_and_rotations_need_a_current_signing_key() {
    both_engines(|app| Box::pin(a_revoked_key_stays_revoked_and_rotations_need_a_current_key(app))).await;
}

#[tokio::test]
async fn a_pin_changed_in_the_database_is_not_trusted() {
    both_engines(|app| Box::pin(a_changed_pin_in_the_database_is_not_trusted(app))).await;
}

#[tokio::test]
async fn only_the_administrator_and_the_focal_point_manage_peers_and_refusals_are_audited() {
    let (app, _db) = common::sqlite_app().await;
    let ngo = organisation(&app, "NGO A", "ngo", "LV").await;
    let office = organisation(&app, "Rapporteur", "national_rapporteur", "LV").await;
    let caseworker = user(&app, "case.worker", &ngo, "caseworker").await;
    let rapporteur = user(&app, "focal.point", &office, "focal_point").await;
    // The rapporteur no longer manages peers: the focal point for cross-border referral does.
    let statistics = user(&app, "rapporteur", &office, "rapporteur").await;
    assert!(matches!(app.peers(Acting::User(&statistics)).await, Err(AppError::Forbidden)));
    let ee = PeerInstance::new("EE", 1);

    let denied = Acting::User(&caseworker);
    assert!(matches!(app.instance_identity(denied, Some(&lv_setup())).await, Err(AppError::Forbidden)));
    assert!(matches!(app.own_directory_entry(denied).await, Err(AppError::Forbidden)));
    assert!(matches!(app.add_peer(denied, &ee.published(), &ee.key_id()).await, Err(AppError::Forbidden)));
    assert!(matches!(app.peers(denied).await, Err(AppError::Forbidden)));
    assert!(matches!(app.revoke_peer_key(denied, "EE", &ee.key_id()).await, Err(AppError::Forbidden)));
    assert!(matches!(app.apply_peer_rotation(denied, &ee.published()).await, Err(AppError::Forbidden)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM exchange_identity").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'access_denied' AND target_id = 'ManagePeers'")
            .await,
        7
    );

    let allowed = Acting::User(&rapporteur);
    let made = app.instance_identity(allowed, Some(&lv_setup())).await.unwrap();
    assert!(made.created);
    app.add_peer(allowed, &ee.published(), &ee.key_id()).await.unwrap();
    let by =
        count(&app, &format!("SELECT COUNT(*) FROM exchange_peers WHERE pinned_by = '{}'", rapporteur.user.id)).await;
    assert_eq!(by, 1);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action IN ('exchange_identity_created', 'peer_pinned') \
                 AND actor_user_id = '{}'",
                rapporteur.user.id
            ),
        )
        .await,
        2
    );
    assert!(haven_domain::permission_allowed(
        &[haven_domain::Role::Administrator],
        haven_domain::Permission::ManagePeers
    ));
}
