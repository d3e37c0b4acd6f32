//! Statistics over the exchange channel (docs/transnational.md §8.3): a country's instance sends a
//! release to the EU hub as a signed `statistics_submission`, in place of the file upload; the hub
//! keeps the signed original as evidence and reads the content through the same checks and into
//! the same store as an uploaded file, the channel recorded as its source. The file upload stays
//! for countries without an instance.
//!
//! Authorisation (crates/domain/src/access.rs): sending needs [`Permission::PublishStatistics`]
//! on a release of the principal's own country (who may publish a release may send it); the
//! hub's evidence is read with [`Permission::ReadStatistics`], as the hub's collection is.

use crate::admin::Acting;
use crate::exchange_transport::{InboundOutcome, OutgoingMessage, ReceivedMessage};
use crate::stats::{check_submission, read_sdmx_submission, release_sdmx, submission_row};
use crate::{App, AppError, AppResult, Principal, Problem};
use haven_domain::Permission;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_exchange::encoding::{b64_encode, sha256};
use haven_exchange::messages::CountryCode;
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::messages::statistics_submission::{self, StatisticsSubmission};
use haven_exchange::{Directory, SignedOriginal};
use haven_storage::{StatisticsEvidenceRow, StatisticsSentRow, StorageError};
use serde::Serialize;
use time::Duration;
use uuid::Uuid;

/// How long a statistics submission stays valid for delivery.
pub const SUBMISSION_LIFETIME: Duration = Duration::days(14);
/// The longest explanation sent back with a refusal (the acknowledgement allows 4,000).
const MAX_EXPLANATION_CHARS: usize = 1000;

/// How far a release sent to the EU hub got, as the release page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubDelivery {
    pub release_id: String,
    /// The message id, stored before the message was handed over: a retry sends the same.
    pub message_id: String,
    /// The EU hub's instance id.
    pub receiver: String,
    /// `prepared` (id stored, not yet handed over), `queued` (in the outbox for delivery) or
    /// `failed` (the transport refused it; sending again retries with the same id).
    pub state: String,
    pub error: Option<String>,
    pub updated_at: i64,
}

impl From<StatisticsSentRow> for HubDelivery {
    fn from(row: StatisticsSentRow) -> HubDelivery {
        HubDelivery {
            release_id: row.release_id,
            message_id: row.message_id,
            receiver: row.receiver,
            state: row.state,
            error: row.error,
            updated_at: row.updated_at,
        }
    }
}

/// A submission the hub received over the channel, with what proves its origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelSubmission {
    pub submission_id: String,
    pub message_id: String,
    pub sender: String,
    pub signing_key_id: String,
    pub release_id: String,
    pub content_sha256: String,
    pub received_at: i64,
}

impl From<&StatisticsEvidenceRow> for ChannelSubmission {
    fn from(row: &StatisticsEvidenceRow) -> ChannelSubmission {
        ChannelSubmission {
            submission_id: row.submission_id.clone(),
            message_id: row.message_id.clone(),
            sender: row.sender.clone(),
            signing_key_id: row.signing_key_id.clone(),
            release_id: row.release_id.clone(),
            content_sha256: row.content_sha256.clone(),
            received_at: row.received_at,
        }
    }
}

/// A submission of the hub's collection with how it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmissionSource {
    pub submission_id: String,
    pub country: String,
    pub format: String,
    pub submitted_at: i64,
    /// Present when it came signed over the channel; absent for an uploaded file.
    pub channel: Option<ChannelSubmission>,
}

/// The signed original of a submission, to download and verify independently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmissionEvidence {
    pub submission: ChannelSubmission,
    /// The header, body and signature, base64url (`haven_exchange::SignedOriginal`).
    pub original: SignedOriginal,
    /// The message signature's label and how the signed bytes are made (docs/transnational.md §5).
    pub signature_label: &'static str,
    /// Whether the signature verifies now against the pinned directory, and if not why.
    pub verified: Result<(), String>,
}

fn refused(reason: RefusalReason, explanation: impl Into<String>) -> InboundOutcome {
    let mut text: String = explanation.into();
    if text.chars().count() > MAX_EXPLANATION_CHARS {
        text = text.chars().take(MAX_EXPLANATION_CHARS - 1).collect::<String>() + "…";
    }
    InboundOutcome::Refused { reason, explanation: Some(text) }
}

fn problems_text(problems: &[Problem]) -> String {
    let shown: Vec<String> = problems.iter().take(10).map(|p| format!("{}: {}", p.location, p.message)).collect();
    let more = problems.len().saturating_sub(shown.len());
    let mut text =
        format!("the hub's checks refused the content ({} problem(s)): {}", problems.len(), shown.join("; "));
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

/// The original kept of a stored row.
fn original_of(row: &StatisticsEvidenceRow) -> AppResult<SignedOriginal> {
    let signature: [u8; 64] = row
        .signature
        .as_slice()
        .try_into()
        .map_err(|_| AppError::Internal("a stored signature is not 64 bytes".into()))?;
    Ok(SignedOriginal { header: row.header.clone(), body: row.body.clone(), signature })
}

/// Checks a stored original against the directory: the sender's pinned signing key named in the
/// header, valid when the message was made, must verify the signature over the exact header and
/// body bytes, and the header must name the sender and key recorded with it.
pub fn verify_evidence(row: &StatisticsEvidenceRow, directory: &Directory) -> Result<(), String> {
    let original = original_of(row).map_err(|e| e.to_string())?;
    let header = original.verify(directory).map_err(|e| e.to_string())?;
    if header.sender.as_str() != row.sender || header.sender_signing_key.as_str() != row.signing_key_id {
        return Err("the signed header names another sender or signing key than the one recorded".into());
    }
    if header.message_id.to_string() != row.message_id {
        return Err("the signed header names another message id than the one recorded".into());
    }
    Ok(())
}

/// The member state an instance id speaks for: its two letters as Eurostat writes them.
fn country_of_instance(instance: &str) -> String {
    let code = instance.get(..2).unwrap_or(instance);
    haven_stats::codes::to_eurostat(code).to_owned()
}

impl App {
    /// Sends one of the principal's country's releases to the EU hub over the exchange. The
    /// release is checked as the hub will check it; its message id is stored first (a retry
    /// after a failure sends the same id, so the hub stores it once), then the message is handed
    /// to the transport; the delivery state is recorded either way. Audited.
    pub async fn send_release_to_hub(&self, principal: &Principal, release_id: &str) -> AppResult<HubDelivery> {
        self.require(principal, Permission::PublishStatistics).await?;
        let release = self.release(principal, release_id).await?;
        let country = haven_stats::codes::to_eurostat(&release.country).to_owned();
        if let Err(findings) = haven_stats::hub::validate(&release.dataset, &country, release.year) {
            return Err(AppError::Rejected(
                findings.iter().map(|f| Problem { location: "release".into(), message: f.to_string() }).collect(),
            ));
        }
        let content = release_sdmx(&release)?;
        let country_code =
            CountryCode::parse("country", &country).map_err(|e| AppError::invalid(&e.field, &e.problem))?;
        let body = StatisticsSubmission::new(country_code, &release.id, release.year, content)
            .and_then(|b| b.to_json())
            .map_err(|e| AppError::invalid(&e.field, &e.problem))?;
        let now = self.now();
        let existing = self.store.statistics_sent(&release.id).await?;
        let row = match existing {
            Some(row) => row,
            None => {
                let hub = self.eu_hub_instance().await?;
                let row = StatisticsSentRow {
                    release_id: release.id.clone(),
                    message_id: Uuid::now_v7().to_string(),
                    receiver: hub,
                    state: "prepared".into(),
                    error: None,
                    sent_by: Some(principal.user.id.clone()),
                    created_at: now,
                    updated_at: now,
                };
                let event = self
                    .event(principal, AuditAction::StatisticsSentToHub)
                    .on("release", &release.id, Some(&principal.organisation.id))
                    .detail(format!("message_id={} receiver={}", row.message_id, row.receiver));
                self.store.prepare_statistics_sent(&row, &event).await?
            }
        };
        let message_id = Uuid::parse_str(&row.message_id).map_err(|e| AppError::Internal(Box::new(e)))?;
        let message = OutgoingMessage {
            message_id,
            receiver: row.receiver.clone(),
            message_type: statistics_submission::MESSAGE_TYPE.into(),
            type_version: statistics_submission::TYPE_VERSION,
            body,
            lifetime: SUBMISSION_LIFETIME,
        };
        let (state, error) = match self.exchange_send(Acting::User(principal), message).await {
            Ok(()) => ("queued", None),
            Err(e) => ("failed", Some(e.to_string())),
        };
        let now = self.now();
        self.store.set_statistics_sent_state(&release.id, state, error.as_deref(), now).await?;
        Ok(HubDelivery { state: state.into(), error, updated_at: now, ..row.into() })
    }

    /// Where sending a release to the EU hub stands, if it was sent (a release of the
    /// principal's own country).
    pub async fn hub_delivery(&self, principal: &Principal, release_id: &str) -> AppResult<Option<HubDelivery>> {
        self.require(principal, Permission::ReadStatistics).await?;
        self.require_national(principal).await?;
        let Some(release) = self.store.release(release_id).await? else {
            return Err(AppError::NotFound);
        };
        if release.jurisdiction != principal.organisation.jurisdiction.code() {
            return Err(AppError::NotFound);
        }
        Ok(self.store.statistics_sent(release_id).await?.map(HubDelivery::from))
    }

    /// The pinned EU hub this instance sends to.
    async fn eu_hub_instance(&self) -> AppResult<String> {
        let not_pinned = || {
            AppError::invalid(
                "receiver",
                "no EU hub is pinned in this instance's directory of peers: the focal point pins it first (/peers)",
            )
        };
        let (_, directory) = self.exchange_directory().await?.ok_or_else(not_pinned)?;
        let hub =
            directory.peers().find(|p| p.entry().role == haven_exchange::PeerRole::EuHub).ok_or_else(not_pinned)?;
        Ok(hub.entry().instance_id.as_str().to_owned())
    }

    /// This instance's role and directory, if it has an exchange identity.
    async fn exchange_directory(&self) -> AppResult<Option<(String, Directory)>> {
        let Some(loaded) = self.load_identity().await? else {
            return Ok(None);
        };
        let (directory, _) = self.load_directory(&loaded).await?;
        Ok(Some((loaded.row.role.clone(), directory)))
    }

    /// A `statistics_submission` received by the hub (its envelope's signature verified by the
    /// transport against the sender's pinned key). The signed original is kept; the content is
    /// read and checked exactly as an uploaded SDMX-CSV file is and stored with it, the channel
    /// recorded as the source; a submission the checks refuse is refused with the reason.
    /// Received twice, it is stored once. `original` is what the sender signed, as the transport
    /// opened it: the signing key id is read from its header.
    pub async fn receive_statistics_submission(
        &self,
        message: &ReceivedMessage,
        original: &SignedOriginal,
    ) -> AppResult<InboundOutcome> {
        if original.body != message.body {
            return Err(AppError::Internal("the signed original is not of this message".into()));
        }
        let signed_header = haven_exchange::Header::parse(&original.header)
            .map_err(|e| AppError::Internal(format!("the signed header does not read: {e}").into()))?;
        let signing_key_id = signed_header.sender_signing_key.as_str().to_owned();
        if message.type_version != statistics_submission::TYPE_VERSION {
            return Ok(refused(
                RefusalReason::UnsupportedMessageType,
                format!("statistics_submission version {} is not read here (version 1 is)", message.type_version),
            ));
        }
        match self.exchange_directory().await? {
            Some((role, _)) if role == "eu_hub" => {}
            _ => return Ok(refused(RefusalReason::NotCompetent, "this instance is not the EU hub")),
        }
        let body = match StatisticsSubmission::parse(&message.body) {
            Ok(body) => body,
            Err(e) => return Ok(refused(RefusalReason::InvalidBody, e.to_string())),
        };
        let year = match body.reference_year() {
            Ok(year) if crate::stats::check_year(year).is_ok() => year,
            _ => {
                return Ok(refused(
                    RefusalReason::InvalidBody,
                    "body.reference_period: not a reference year the hub collects",
                ));
            }
        };
        let country = haven_stats::codes::to_eurostat(body.country.as_str()).to_owned();
        if !haven_stats::codes::is_eu_member(&country) {
            return Ok(refused(
                RefusalReason::NotCompetent,
                format!("body.country: {country} is not an EU member state"),
            ));
        }
        if country_of_instance(&message.sender) != country {
            return Ok(refused(
                RefusalReason::NotCompetent,
                format!("body.country: the instance {} submits only its own country's statistics", message.sender),
            ));
        }
        let checked = read_sdmx_submission(body.content.as_bytes(), &country, year).and_then(|submission| {
            check_submission(&submission, &country, year).map_err(AppError::Rejected)?;
            Ok(submission)
        });
        let submission = match checked {
            Ok(submission) => submission,
            Err(AppError::Rejected(problems)) => {
                let event = AuditEvent::new(self.now(), AuditAction::SubmissionRejected, AuditOutcome::Success)
                    .on("submission", &format!("{country}-{year}"), None)
                    .detail(format!(
                        "source=channel sender={} message_id={} problems={}",
                        message.sender,
                        message.message_id,
                        problems.len()
                    ));
                self.store.append_audit(&event).await?;
                return Ok(refused(RefusalReason::Other, problems_text(&problems)));
            }
            Err(other) => return Err(other),
        };
        let now = self.now();
        let format = statistics_submission::ContentFormat::SdmxCsv.code();
        let row = submission_row(&submission.dataset, format, None, now)?;
        let evidence = StatisticsEvidenceRow {
            submission_id: row.id.clone(),
            message_id: message.message_id.to_string(),
            sender: message.sender.clone(),
            signing_key_id: signing_key_id.clone(),
            release_id: body.release_id.clone(),
            content_sha256: b64_encode(&sha256(body.content.as_bytes())),
            header: original.header.clone(),
            body: original.body.clone(),
            signature: original.signature.to_vec(),
            received_at: message.received_at.unix_timestamp(),
        };
        let event = AuditEvent::new(now, AuditAction::SubmissionReceived, AuditOutcome::Success)
            .on("submission", &row.id, None)
            .detail(format!(
                "country={country} year={year} format={format} source=channel sender={} message_id={} signing_key_id={}",
                message.sender, message.message_id, signing_key_id
            ));
        match self.store.add_channel_submission(&row, &evidence, &event).await {
            Ok(()) | Err(StorageError::Conflict(_)) => Ok(InboundOutcome::Accepted),
            Err(other) => Err(other.into()),
        }
    }

    /// Every submission of a year, oldest first, each with how it came: signed over the channel
    /// (with what proves it) or uploaded (EU level).
    pub async fn submissions_with_source(&self, principal: &Principal, year: u16) -> AppResult<Vec<SubmissionSource>> {
        self.require(principal, Permission::ReadStatistics).await?;
        crate::stats::check_year(year)?;
        let rows = self.store.submissions_for(i64::from(year)).await?;
        let evidence = self.store.statistics_evidence_for(i64::from(year)).await?;
        Ok(rows
            .into_iter()
            .map(|row| SubmissionSource {
                channel: evidence.iter().find(|e| e.submission_id == row.id).map(ChannelSubmission::from),
                submission_id: row.id,
                country: row.country,
                format: row.format,
                submitted_at: row.submitted_at,
            })
            .collect())
    }

    /// The submissions of a year that came over the channel (the others were uploaded), EU level.
    pub async fn channel_submissions(&self, principal: &Principal, year: u16) -> AppResult<Vec<ChannelSubmission>> {
        self.require(principal, Permission::ReadStatistics).await?;
        crate::stats::check_year(year)?;
        Ok(self.store.statistics_evidence_for(i64::from(year)).await?.iter().map(ChannelSubmission::from).collect())
    }

    /// The signed original of a submission received over the channel, verified again against the
    /// directory now (audited as a read of the hub).
    pub async fn submission_evidence(
        &self,
        principal: &Principal,
        submission_id: &str,
    ) -> AppResult<SubmissionEvidence> {
        self.require(principal, Permission::ReadStatistics).await?;
        let row = self.store.statistics_evidence(submission_id).await?.ok_or(AppError::NotFound)?;
        let verified = match self.exchange_directory().await? {
            Some((_, directory)) => verify_evidence(&row, &directory),
            None => Err("this instance has no exchange identity, so no directory to verify against".into()),
        };
        let event = self
            .event(principal, AuditAction::HubRead)
            .on("submission", submission_id, Some(&principal.organisation.id))
            .detail("evidence");
        self.store.append_audit(&event).await?;
        Ok(SubmissionEvidence {
            submission: ChannelSubmission::from(&row),
            original: original_of(&row)?,
            signature_label: haven_exchange::MESSAGE_SIGNATURE_LABEL,
            verified,
        })
    }
}

/// The `dispatch` arm of `statistics_submission`.
pub(crate) async fn on_received(
    app: &App,
    message: &ReceivedMessage,
    original: &SignedOriginal,
) -> AppResult<InboundOutcome> {
    app.receive_statistics_submission(message, original).await
}
