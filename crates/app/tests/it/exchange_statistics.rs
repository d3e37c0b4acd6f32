//! Statistics over the exchange channel: a country sends a release to the EU hub with its message
//! id stored first (a retry sends the same id); the hub keeps the signed original as evidence,
//! reads the content through the same checks and store as an uploaded file, refuses what the
//! checks refuse, stores a message once, and re-verifies the original against its directory.

use crate::common::{self, NOW, audit_detail_count, organisation, user};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_statistics::verify_evidence;
use haven_app::exchange_transport::{InboundOutcome, ReceivedMessage};
use haven_app::stats::{FileFormat, ReleaseRequest, release_sdmx};
use haven_app::{App, AppError, Principal};
use haven_exchange::messages::CountryCode;
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::messages::statistics_submission::StatisticsSubmission;
use haven_exchange::{
    Directory, DirectoryEntry, EncryptionKeyPair, InstanceId, LocalIdentity, MessageDraft, MessageType, PeerRole,
    PublishedKey, SignedEntry, SignedOriginal, SigningKeyPair, open, seal,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

fn setup(id: &str, role: &str) -> IdentitySetup {
    IdentitySetup {
        instance_id: id.into(),
        role: role.into(),
        endpoint: format!("https://{}.haven.example/exchange", id.to_lowercase()),
    }
}

/// An instance whose keys the test holds (a country's instance, or a stand-in hub to seal to).
struct TestInstance {
    identity: LocalIdentity,
    role: PeerRole,
}

impl TestInstance {
    fn new(id: &str, role: PeerRole, seed: u8) -> TestInstance {
        TestInstance {
            identity: LocalIdentity {
                instance_id: InstanceId::parse("f", id).unwrap(),
                signing: SigningKeyPair::from_seed(&[seed; 32]),
                encryption: vec![EncryptionKeyPair::derive(&[seed.wrapping_add(100); 32])],
            },
            role,
        }
    }

    fn published(&self) -> SignedEntry {
        let id = self.identity.instance_id.as_str();
        let entry = DirectoryEntry {
            instance_id: self.identity.instance_id.clone(),
            role: self.role,
            endpoint: format!("https://{}.haven.example/exchange", id.to_lowercase()),
            sequence: 1,
            issued_at: t(NOW - 3600),
            signing_keys: vec![PublishedKey::new(self.identity.signing.public_key(), t(NOW - 86_400))],
            encryption_keys: vec![PublishedKey::new(self.identity.encryption[0].public_key(), t(NOW - 86_400))],
        };
        SignedEntry::sign(&entry, &self.identity.signing).unwrap()
    }

    fn key_id(&self) -> String {
        self.identity.signing.key_id().as_str().to_owned()
    }
}

/// The EU hub (an App), a test-held LV instance pinned there, and a test directory that has
/// pinned LV as the hub has (to verify evidence independently).
struct Hub {
    app: App,
    _db: common::Database,
    lv: TestInstance,
    stand_in: TestInstance,
    stand_in_directory: Directory,
    officer: Principal,
}

async fn hub() -> Hub {
    let (app, db) = common::sqlite_app().await;
    app.instance_identity(Acting::Operator, Some(&setup("EU", "eu_hub"))).await.unwrap();
    let lv = TestInstance::new("LV", PeerRole::NationalFocalPoint, 11);
    app.add_peer(Acting::Operator, &lv.published().to_json(), &lv.key_id()).await.unwrap();
    let stand_in = TestInstance::new("EU", PeerRole::EuHub, 12);
    let mut stand_in_directory = Directory::new(stand_in.identity.signing.public_key());
    for peer in [&lv, &stand_in] {
        let signed = peer.published();
        let key = signed.signed_by().clone();
        stand_in_directory.pin(signed, &key, &stand_in.identity.signing, t(NOW - 60)).unwrap();
    }
    let eu = organisation(&app, "Eurostat", "statistics_office", "EU").await;
    let officer = user(&app, "eurostat", &eu, "statistician").await;
    Hub { app, _db: db, lv, stand_in, stand_in_directory, officer }
}

/// A national instance with a rapporteur and a release of 2025.
async fn national() -> (App, common::Database, Principal, String) {
    let (app, db) = common::sqlite_app().await;
    let org = organisation(&app, "Rapporteur", "national_rapporteur", "LV").await;
    let rapporteur = user(&app, "rapporteur", &org, "rapporteur").await;
    let req = ReleaseRequest { year: 2025, mode: "suppression".into(), threshold: Some(3), ..Default::default() };
    let release = app.create_release(&rapporteur, &req).await.unwrap();
    (app, db, rapporteur, release.id)
}

/// The body a country sends: its release's SDMX-CSV.
async fn body_of(country: &str, content: String) -> Vec<u8> {
    let country = CountryCode::parse("country", country).unwrap();
    StatisticsSubmission::new(country, "rel-1", 2025, content).unwrap().to_json().unwrap()
}

async fn release_content() -> String {
    let (app, _db, rapporteur, release_id) = national().await;
    let release = app.release(&rapporteur, &release_id).await.unwrap();
    release_sdmx(&release).unwrap()
}

/// LV seals `body` to the stand-in hub, which opens it: what the transport hands to dispatch.
fn received(h: &Hub, message_id: Uuid, body: Vec<u8>) -> (ReceivedMessage, SignedOriginal) {
    let now = t(NOW);
    let draft = MessageDraft {
        message_id,
        receiver: h.stand_in.identity.instance_id.clone(),
        message_type: MessageType::parse("t", "statistics_submission").unwrap(),
        type_version: 1,
        created_at: now,
        expires_at: now + Duration::days(14),
        body,
    };
    let mut lv_directory = Directory::new(h.lv.identity.signing.public_key());
    for peer in [&h.lv, &h.stand_in] {
        let signed = peer.published();
        let key = signed.signed_by().clone();
        lv_directory.pin(signed, &key, &h.lv.identity.signing, now - Duration::minutes(1)).unwrap();
    }
    let envelope = seal(&draft, &h.lv.identity, &lv_directory).unwrap();
    let opened = open(&envelope.to_json(), now, &h.stand_in.identity, &h.stand_in_directory).unwrap();
    let message = ReceivedMessage {
        message_id,
        sender: opened.header.sender.as_str().to_owned(),
        message_type: opened.header.message_type.as_str().to_owned(),
        type_version: opened.header.type_version,
        body: opened.body.clone(),
        envelope_sha256: "not-checked-here".into(),
        received_at: now,
    };
    (message, SignedOriginal::of(&opened))
}

async fn count(app: &App, sql: &str) -> i64 {
    app.store().count_unchecked(sql).await.unwrap()
}

#[tokio::test]
async fn art_19_dir_2011_36_a_release_received_over_the_channel_is_stored_as_an_upload_is_with_its_signed_original() {
    let h = hub().await;
    let content = release_content().await;
    let (message, original) = received(&h, Uuid::from_u128(1), body_of("LV", content.clone()).await);
    assert_eq!(h.app.receive_statistics_submission(&message, &original).await.unwrap(), InboundOutcome::Accepted);

    // Stored in the hub's collection as an uploaded file would be, by no local user.
    let datasets = h.app.eu_submissions(&h.officer, 2025).await.unwrap();
    assert_eq!(datasets.len(), 1);
    assert_eq!(datasets[0].country, "LV");
    assert_eq!(count(&h.app, "SELECT COUNT(*) FROM hub_submissions WHERE submitted_by IS NULL").await, 1);
    assert_eq!(audit_detail_count(&h.app, "submission_received", "source=channel sender=LV").await, 1);

    // Marked as from the channel, with the evidence that verifies against the directory.
    let channel = h.app.channel_submissions(&h.officer, 2025).await.unwrap();
    assert_eq!(channel.len(), 1);
    assert_eq!(channel[0].sender, "LV");
    assert_eq!(channel[0].signing_key_id, h.lv.key_id());
    let evidence = h.app.submission_evidence(&h.officer, &channel[0].submission_id).await.unwrap();
    assert_eq!(evidence.verified, Ok(()));
    assert_eq!(evidence.original.body, message.body);
    assert_eq!(evidence.original, original);

    // The same message again (a redelivery): stored once.
    assert_eq!(h.app.receive_statistics_submission(&message, &original).await.unwrap(), InboundOutcome::Accepted);
    assert_eq!(count(&h.app, "SELECT COUNT(*) FROM hub_submissions").await, 1);

    // An uploaded file of the same content is not marked as from the channel.
    let eu_officer = &h.officer;
    h.app.submit_statistics(eu_officer, "LV", 2025, FileFormat::SdmxCsv, content.as_bytes()).await.unwrap();
    assert_eq!(count(&h.app, "SELECT COUNT(*) FROM hub_submissions").await, 2);
    assert_eq!(h.app.channel_submissions(&h.officer, 2025).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_kept_original_verifies_against_the_directory_and_a_changed_byte_fails() {
    let h = hub().await;
    let (message, original) = received(&h, Uuid::from_u128(2), body_of("LV", release_content().await).await);
    h.app.receive_statistics_submission(&message, &original).await.unwrap();
    let id = h.app.channel_submissions(&h.officer, 2025).await.unwrap()[0].submission_id.clone();
    let row = h.app.store().statistics_evidence(&id).await.unwrap().unwrap();
    assert_eq!(verify_evidence(&row, &h.stand_in_directory), Ok(()));

    let mut body = row.clone();
    let last = body.body.len() - 2;
    body.body[last] ^= 1;
    assert!(verify_evidence(&body, &h.stand_in_directory).is_err());
    let mut header = row.clone();
    header.header[10] ^= 1;
    assert!(verify_evidence(&header, &h.stand_in_directory).is_err());
    let mut signature = row.clone();
    signature.signature[63] ^= 1;
    assert!(verify_evidence(&signature, &h.stand_in_directory).is_err());
    let mut key = row.clone();
    key.signing_key_id = "another".into();
    assert!(verify_evidence(&key, &h.stand_in_directory).is_err());

    // Changed in the database, the hub's own check says so.
    h.app
        .store()
        .execute_unchecked(&format!(
            "UPDATE exchange_statistics_received SET signature = X'{}' WHERE submission_id = '{id}'",
            "00".repeat(64)
        ))
        .await
        .unwrap();
    assert!(h.app.submission_evidence(&h.officer, &id).await.unwrap().verified.is_err());
}

#[tokio::test]
async fn content_the_hubs_checks_refuse_is_refused_with_the_reason_and_nothing_is_stored() {
    let h = hub().await;
    let content = release_content().await;
    // Figures of another year than the message says.
    let wrong_year = content.replace(",2025,", ",2024,");
    assert_ne!(wrong_year, content);
    let outcome = {
        let (m, o) = received(&h, Uuid::from_u128(3), body_of("LV", wrong_year).await);
        h.app.receive_statistics_submission(&m, &o).await
    };
    match outcome.unwrap() {
        InboundOutcome::Refused { reason: RefusalReason::Other, explanation: Some(text) } => {
            assert!(text.contains("the hub's checks refused the content"), "{text}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Another country's figures from LV's instance.
    let ee = content.replace(",LV,", ",EE,");
    let outcome = {
        let (m, o) = received(&h, Uuid::from_u128(4), body_of("EE", ee).await);
        h.app.receive_statistics_submission(&m, &o).await
    };
    assert!(
        matches!(outcome.unwrap(), InboundOutcome::Refused { reason: RefusalReason::NotCompetent, .. }),
        "a country submits its own statistics only"
    );
    // A body that does not parse names the field.
    let (mut bad, mut bad_original) = received(&h, Uuid::from_u128(5), body_of("LV", content).await);
    bad.body = br#"{"country":"LV"}"#.to_vec();
    bad_original.body = bad.body.clone();
    match h.app.receive_statistics_submission(&bad, &bad_original).await.unwrap() {
        InboundOutcome::Refused { reason: RefusalReason::InvalidBody, explanation: Some(text) } => {
            assert!(text.starts_with("body"), "{text}")
        }
        other => panic!("expected invalid_body, got {other:?}"),
    }
    assert_eq!(count(&h.app, "SELECT COUNT(*) FROM hub_submissions").await, 0);
    assert_eq!(count(&h.app, "SELECT COUNT(*) FROM exchange_statistics_received").await, 0);
    assert_eq!(audit_detail_count(&h.app, "submission_rejected", "source=channel").await, 1);
}

#[tokio::test]
async fn a_national_instance_refuses_a_statistics_submission() {
    let (app, _db) = common::sqlite_app().await;
    app.instance_identity(Acting::Operator, Some(&setup("EE", "national_focal_point"))).await.unwrap();
    let h = hub().await;
    let (message, original) = received(&h, Uuid::from_u128(6), body_of("LV", release_content().await).await);
    assert!(matches!(
        app.receive_statistics_submission(&message, &original).await.unwrap(),
        InboundOutcome::Refused { reason: RefusalReason::NotCompetent, .. }
    ));
}

#[tokio::test]
async fn a_release_is_sent_with_its_message_id_stored_first_and_a_retry_sends_the_same_id() {
    let (app, _db, rapporteur, release_id) = national().await;
    // Without a pinned EU hub there is nowhere to send it.
    match app.send_release_to_hub(&rapporteur, &release_id).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "receiver"),
        other => panic!("expected a refusal naming the receiver, got {other:?}"),
    }
    assert_eq!(app.hub_delivery(&rapporteur, &release_id).await.unwrap(), None);

    app.instance_identity(Acting::Operator, Some(&setup("LV", "national_focal_point"))).await.unwrap();
    let hub = TestInstance::new("EU", PeerRole::EuHub, 21);
    app.add_peer(Acting::Operator, &hub.published().to_json(), &hub.key_id()).await.unwrap();

    let first = app.send_release_to_hub(&rapporteur, &release_id).await.unwrap();
    assert_eq!(first.receiver, "EU");
    assert!(["queued", "failed"].contains(&first.state.as_str()), "{}", first.state);
    assert_eq!(first.state == "failed", first.error.is_some());
    let again = app.send_release_to_hub(&rapporteur, &release_id).await.unwrap();
    assert_eq!(again.message_id, first.message_id, "a retry sends the same message id");
    assert_eq!(app.hub_delivery(&rapporteur, &release_id).await.unwrap().unwrap().message_id, first.message_id);
    assert_eq!(audit_detail_count(&app, "statistics_sent_to_hub", &first.message_id).await, 1);

    // Only who may publish statistics may send them.
    let org = organisation(&app, "Patvērums", "ngo", "LV").await;
    let officer = user(&app, "officer", &org, "caseworker").await;
    assert!(matches!(app.send_release_to_hub(&officer, &release_id).await, Err(AppError::Forbidden)));
}
