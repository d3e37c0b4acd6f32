//! What the audit log records. Entries carry identifiers, never personal data.

use crate::coded_enum;
use serde::Serialize;

coded_enum! {
    pub enum AuditAction {
        LoginSucceeded => "login_succeeded",
        LoginFailed => "login_failed",
        LoginRateLimited => "login_rate_limited",
        Logout => "logout",
        OrganisationCreated => "organisation_created",
        UserCreated => "user_created",
        UserDisabled => "user_disabled",
        UserEnabled => "user_enabled",
        PasswordReset => "password_reset",
        PasswordChanged => "password_changed",
        RolesChanged => "roles_changed",
        RoleGrantRequested => "role_grant_requested",
        RoleGrantApproved => "role_grant_approved",
        RoleGrantRejected => "role_grant_rejected",
        SetupCodeIssued => "setup_code_issued",
        SetupCodeUsed => "setup_code_used",
        SetupCodeRefused => "setup_code_refused",
        TotpEnrolled => "totp_enrolled",
        ApiTokenCreated => "api_token_created",
        ApiTokenRevoked => "api_token_revoked",
        TotpChanged => "totp_changed",
        TotpRemoved => "totp_removed",
        CredentialsRevoked => "credentials_revoked",
        CaseCreated => "case_created",
        CaseRead => "case_read",
        CaseListed => "case_listed",
        NoteAdded => "note_added",
        NotesRead => "notes_read",
        CaseShared => "case_shared",
        AccessHistoryRead => "access_history_read",
        AuditLogRead => "audit_log_read",
        AccessDenied => "access_denied",
        Export => "export",
        Backup => "backup",
        /// A registration erased by crypto-shredding (its subject key destroyed); the entry
        /// names the case only.
        PersonErased => "person_erased",
        Restore => "restore",
        KeysRotated => "keys_rotated",
        RegistrationCreated => "registration_created",
        RegistrationUpdated => "registration_updated",
        RegistrationSubmitted => "registration_submitted",
        DecisionRecorded => "decision_recorded",
        CaseRecordAdded => "case_record_added",
        NotificationFiled => "notification_filed",
        PersonSearched => "person_searched",
        DeadlinesRead => "deadlines_read",
        CaseImported => "case_imported",
        StatisticsRead => "statistics_read",
        ReleaseCreated => "release_created",
        ReleaseRead => "release_read",
        SubmissionReceived => "submission_received",
        SubmissionRejected => "submission_rejected",
        HubRead => "hub_read",
        AssessmentSubmitted => "assessment_submitted",
        AssessmentReviewed => "assessment_reviewed",
        SupportRead => "support_read",
        PlanItemAdded => "plan_item_added",
        PlanItemUpdated => "plan_item_updated",
        ProviderSaved => "provider_saved",
        ProvidersSearched => "providers_searched",
        ReferralCreated => "referral_created",
        ReferralChanged => "referral_changed",
        ReferralRead => "referral_read",
        ReferralsListed => "referrals_listed",
        ConsentOverridden => "consent_overridden",
        CaseTransferred => "case_transferred",
        SupportRecordAdded => "support_record_added",
        SupportRecordUpdated => "support_record_updated",
        LeafletPrinted => "leaflet_printed",
        /// A part of an investigation was read (the proceedings compartment).
        ProceedingsRead => "proceedings_read",
        /// An investigation, a suspect, a charge, a decision, a judgment, an appeal, a linked
        /// victim or a decision on a non-punishment notice was recorded.
        ProceedingsWritten => "proceedings_written",
        /// A part of an investigation was disclosed outside the country (the Europol export):
        /// the recipient and the parts in the detail, no personal data.
        ProceedingsDisclosed => "proceedings_disclosed",
        /// A data officer answered whether two registrations are one person.
        PersonPairAnswered => "person_pair_answered",
        /// The instance's person model was re-trained from its records and the answers.
        PersonModelRetrained => "person_model_retrained",
        /// A data officer started a full re-link of the persons.
        RelinkStarted => "relink_started",
        /// The transposition tracker was read (a country's measures, assessments and infringement
        /// steps, the matrix, the timeline, the coordinator's dashboard).
        TranspositionRead => "transposition_read",
        /// A national measure, a Commission assessment or an infringement step was recorded.
        TranspositionRecorded => "transposition_recorded",
        /// A caseworker prepared (or changed) a transnational referral of a case.
        TransnationalReferralPrepared => "transnational_referral_prepared",
        /// A transnational referral moved to another state (submitted, returned, sent, accepted,
        /// declined, updated, closed): the states in the detail.
        TransnationalReferralChanged => "transnational_referral_changed",
        /// A transnational referral was received from another country's focal point.
        TransnationalReferralReceived => "transnational_referral_received",
        /// A transnational referral, with what it shares, was read.
        TransnationalReferralRead => "transnational_referral_read",
        /// The focal point's list of transnational referrals was read.
        TransnationalReferralsListed => "transnational_referrals_listed",
        /// The instance's exchange identity was made: its key pairs generated and stored wrapped.
        ExchangeIdentityCreated => "exchange_identity_created",
        /// A peer instance was pinned in the directory, its signing key confirmed out of band.
        PeerPinned => "peer_pinned",
        /// A key of a pinned peer was revoked here.
        PeerKeyRevoked => "peer_key_revoked",
        /// A pinned peer's newer directory entry (a key rotation) was applied.
        PeerRotated => "peer_rotated",
        /// A message for a peer was stored in the exchange outbox (receiver, type; never the body).
        ExchangeMessageQueued => "exchange_message_queued",
        /// A message was delivered to its peer (202, or 409 replayed).
        ExchangeMessageDelivered => "exchange_message_delivered",
        /// A delivery attempt failed (network, 5xx) and is retried later.
        ExchangeDeliveryFailed => "exchange_delivery_failed",
        /// The peer refused a message (a 4xx): the code in the detail.
        ExchangeMessageRefusedByPeer => "exchange_message_refused_by_peer",
        /// A message expired before it could be delivered: given up.
        ExchangeMessageExpired => "exchange_message_expired",
        /// A message from a peer was opened, verified and stored.
        ExchangeMessageReceived => "exchange_message_received",
        /// An envelope from a peer was refused: the code, and the sender when readable.
        ExchangeMessageRefused => "exchange_message_refused",
        /// A received message was decided: pending, accepted or refused.
        ExchangeMessageDecided => "exchange_message_decided",
        /// A peer acknowledged a message this instance sent.
        ExchangeAcknowledgementReceived => "exchange_acknowledgement_received",
        /// A received message could not be handled; it stays received.
        ExchangeDispatchFailed => "exchange_dispatch_failed",
        /// Decided messages of the exchange inbox were deleted once their replay window had passed
        /// (the count in the detail).
        ExchangeInboxPurged => "exchange_inbox_purged",
        /// A victim's lawyer was recorded for a case, with the victim's consent (Dir 2011/36
        /// Art 12(2)).
        RepresentationRecorded => "representation_recorded",
        /// A victim's representation by a lawyer was revoked.
        RepresentationRevoked => "representation_revoked",
        /// A case's representations, or a lawyer's represented victims, were read; or a lawyer
        /// read the victim's view of the proceedings.
        RepresentationRead => "representation_read",
        /// A strategy or action plan, an action's progress, or the actions overdue were read.
        StrategyRead => "strategy_read",
        /// A strategy or plan, an action or an action's progress (status, evidence) was recorded.
        StrategyChanged => "strategy_changed",
        /// GRETA's rounds, recommendations and follow-up of a country were read.
        GretaRead => "greta_read",
        /// A GRETA round, recommendation or follow-up was recorded.
        GretaChanged => "greta_changed",
        /// A network's members, meetings, actions arising or contacts were read (the contacts'
        /// names and e-mail addresses decrypted: the detail says how many).
        NetworkRead => "network_read",
        /// A network, a meeting, an action arising, its status or a contact was recorded.
        NetworkChanged => "network_changed",
        /// The contacts past their retention were deleted (the detail says how many).
        NetworkContactsPurged => "network_contacts_purged",
        /// Prevention records (campaigns, demand reduction, funded projects, research) were read.
        PreventionRead => "prevention_read",
        /// A prevention record was recorded.
        PreventionChanged => "prevention_changed",
        /// The rapporteur's annual report was assembled and read (jurisdiction, year).
        AnnualReportRead => "annual_report_read",
        /// The annual report was exported (print-ready HTML or DOCX; the format in the detail).
        AnnualReportExported => "annual_report_exported",
        /// A narrative section of the annual report was added, replaced or removed.
        AnnualReportChanged => "annual_report_changed",
        /// The annual report was made final.
        AnnualReportFinalised => "annual_report_finalised",
        /// A statistics release was handed to the exchange for the EU hub.
        StatisticsSentToHub => "statistics_sent_to_hub",
        /// A generation of the secret the focal points share for the cross-border person count
        /// was stored (never the secret itself).
        PersonLinkageSecretStored => "person_linkage_secret_stored",
        /// A country's identified persons were encoded for the EU hub (the identities were read).
        PersonEncodingsPrepared => "person_encodings_prepared",
        /// The EU hub stored a country's person encodings of a year.
        PersonEncodingsReceived => "person_encodings_received",
        /// The EU count of distinct persons across borders was computed and read.
        CrossBorderPersonsCounted => "cross_border_persons_counted",
        /// This instance's own exchange keys were rotated: new key pairs, the old ones valid until
        /// the end of the overlap.
        OwnKeysRotated => "own_keys_rotated",
        /// This instance's own exchange keys whose overlap had ended were retired (secrets deleted).
        OwnKeysRetired => "own_keys_retired",
        /// One of this instance's own exchange keys was revoked at once, and the entry announcing
        /// it queued to every pinned peer (key id, kind, sequence; the reason is kept with the key).
        OwnKeyRevoked => "own_key_revoked",
        /// The EU hub deleted a year's person encodings once the year's count was published or
        /// the retention ended, keeping the count, the overlaps and the method (year, countries).
        ExchangeEncodingsDeleted => "exchange_encodings_deleted",
        /// The EU level published a year's count of persons across borders (distinct persons and
        /// the sum of the national counts); the encodings are deleted at the next retention pass.
        CrossBorderPersonsPublished => "cross_border_persons_published",
        /// The daily retention job ran (jurisdiction, how many records listed, acted on, held).
        RetentionRun => "retention_run",
        /// A record was listed as due under its retention schedule (kind, due day, action).
        RetentionListed => "retention_listed",
        /// The retention job or the data protection officer erased or anonymised a record.
        RetentionActed => "retention_acted",
        /// The data protection officer decided on a record on the review list (kept, erased,
        /// anonymised), or a record was put on the list.
        RetentionReviewed => "retention_reviewed",
        /// A legal hold was placed on a record, with its reason.
        RetentionHoldPlaced => "retention_hold_placed",
        /// A legal hold was released, with its reason.
        RetentionHoldReleased => "retention_hold_released",
        /// The data protection officer read the retention status and holds.
        RetentionRead => "retention_read",
        /// The day a case was closed was recorded (retention periods run from it).
        CaseClosed => "case_closed",
        /// The record of processing or the impact assessment was read or exported (format in
        /// the detail).
        ProcessingRecordRead => "processing_record_read",
        /// The data protection officer completed a field of the record of processing or the
        /// impact assessment.
        ProcessingRecordCompleted => "processing_record_completed",
        /// A data subject's request (access, rectification, restriction, erasure) was recorded.
        SubjectRequestRecorded => "subject_request_recorded",
        /// A data subject's request changed: identity checked, period extended, answered, refused.
        SubjectRequestChanged => "subject_request_changed",
        /// The data protection officer read the requests, or one request.
        SubjectRequestRead => "subject_request_read",
        /// The data protection officer produced the subject-access export of a request (GDPR
        /// Art 15): the person's records were read for it, and only for it.
        SubjectAccessExported => "subject_access_exported",
        /// A case's processing was restricted (GDPR Art 18): readable, frozen, out of matching
        /// and statistics.
        CaseRestricted => "case_restricted",
        /// A case's restriction was lifted.
        CaseRestrictionLifted => "case_restriction_lifted",
        /// A field of a case was rectified (GDPR Art 16); the old value kept in its history.
        FieldRectified => "field_rectified",
    }
}

coded_enum! {
    pub enum AuditOutcome {
        Success => "success",
        Failure => "failure",
        Denied => "denied",
    }
}

/// One entry before it is chained. `detail` holds codes and counts only, never names or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// Unix seconds, from the clock passed in.
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_organisation_id: Option<String>,
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    /// "case", "user", "organisation", "session", "audit", "database"...
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// The organisation owning the target (who may see this entry in the access history).
    pub target_organisation_id: Option<String>,
    /// The client address (a network identifier of the staff member, not of a victim).
    pub address: Option<String>,
    pub detail: Option<String>,
}

impl AuditEvent {
    pub fn new(at: i64, action: AuditAction, outcome: AuditOutcome) -> Self {
        Self {
            at,
            actor_user_id: None,
            actor_organisation_id: None,
            action,
            outcome,
            target_kind: None,
            target_id: None,
            target_organisation_id: None,
            address: None,
            detail: None,
        }
    }

    pub fn by(mut self, user_id: &str, organisation_id: &str) -> Self {
        self.actor_user_id = Some(user_id.to_owned());
        self.actor_organisation_id = Some(organisation_id.to_owned());
        self
    }

    pub fn on(mut self, kind: &str, id: &str, organisation_id: Option<&str>) -> Self {
        self.target_kind = Some(kind.to_owned());
        self.target_id = Some(id.to_owned());
        self.target_organisation_id = organisation_id.map(str::to_owned);
        self
    }

    pub fn from_address(mut self, address: Option<&str>) -> Self {
        self.address = address.map(str::to_owned);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The canonical bytes the audit chain MAC covers: every field, in a fixed order, as JSON.
    pub fn canonical_bytes(&self, seq: i64) -> Vec<u8> {
        let value = serde_json::json!([
            seq,
            self.at,
            self.actor_user_id,
            self.actor_organisation_id,
            self.action,
            self.outcome,
            self.target_kind,
            self.target_id,
            self.target_organisation_id,
            self.address,
            self.detail,
        ]);
        value.to_string().into_bytes()
    }
}
