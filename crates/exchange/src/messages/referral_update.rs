//! `referral_update`, type version 1: what became of a transnational referral, sent by the
//! receiving focal point back to the sender (Dir 2011/36 Art 11(4); CETS 197 Art 16(5), the
//! follow-up after a return). JSON Schema: `schemas/referral_update.v1.schema.json`.
//!
//! Each update names the `referral_id` of the `referral` it is about and one new status:
//! accepted; declined, with the reason; organisation assigned, naming the organisation and its
//! desk; arrived safely; support started; follow-up due, with the day; closed. The rules
//! [`ReferralUpdate::parse`] enforces: a decline carries its reason (and for `other` an
//! explanation), an assignment its organisation, a follow-up its day, and nothing else carries
//! any of these; the day of the change is not after the day of the message.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::{CalendarDate, Line, Narrative};
use crate::encoding::from_json;
use crate::ids::FieldError;

/// The message type.
pub const MESSAGE_TYPE: &str = "referral_update";
/// The type version this module reads and writes.
pub const TYPE_VERSION: u32 = 1;
/// The JSON Schema of the body.
pub const SCHEMA: &str = include_str!("../../schemas/referral_update.v1.schema.json");

/// The referral's new status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateStatus {
    /// The receiving focal point takes the referral up.
    Accepted,
    /// The receiving focal point does not take it up, for the stated reason.
    Declined,
    /// A support organisation of the receiving country takes the person.
    OrganisationAssigned,
    /// The person arrived safely (a return or a move).
    ArrivedSafely,
    /// Support started in the receiving country.
    SupportStarted,
    /// A follow-up is due on the stated day.
    FollowUpDue,
    /// The receiving side closed the referral.
    Closed,
}

impl UpdateStatus {
    pub const ALL: [UpdateStatus; 7] = [
        UpdateStatus::Accepted,
        UpdateStatus::Declined,
        UpdateStatus::OrganisationAssigned,
        UpdateStatus::ArrivedSafely,
        UpdateStatus::SupportStarted,
        UpdateStatus::FollowUpDue,
        UpdateStatus::Closed,
    ];

    /// The status's code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            UpdateStatus::Accepted => "accepted",
            UpdateStatus::Declined => "declined",
            UpdateStatus::OrganisationAssigned => "organisation_assigned",
            UpdateStatus::ArrivedSafely => "arrived_safely",
            UpdateStatus::SupportStarted => "support_started",
            UpdateStatus::FollowUpDue => "follow_up_due",
            UpdateStatus::Closed => "closed",
        }
    }
}

/// Why a referral is declined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// Not the receiving country's to handle.
    NotCompetent,
    /// The referral lacks what the receiver needs to act.
    InsufficientInformation,
    /// The consent, or for a child the best-interests determination or the guardian's view, does
    /// not cover the referral.
    BasisInsufficient,
    /// No organisation can take the person now.
    NoCapacity,
    /// Another reason, stated in the explanation.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    pub reason: DeclineReason,
    /// Required for [`DeclineReason::Other`]; no personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Narrative>,
}

/// The organisation of the receiving country that takes the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignedOrganisation {
    pub name: Line,
    /// A desk, function or address the sender may reach (not the person's).
    pub contact_point: Line,
}

/// The body of a `referral_update`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralUpdate {
    /// The `referral_id` of the referral the update is about.
    #[serde(with = "crate::encoding::uuid_hyphenated")]
    pub referral_id: Uuid,
    pub status: UpdateStatus,
    /// The day the change took effect.
    pub effective_on: CalendarDate,
    /// Exactly for `declined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline: Option<Decline>,
    /// Exactly for `organisation_assigned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<AssignedOrganisation>,
    /// Exactly for `follow_up_due`: the day the follow-up is due (may be after the message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<CalendarDate>,
    /// Optional; no more personal data than the update needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Narrative>,
}

impl ReferralUpdate {
    /// Reads a body sent on `today` (the date of the message's `created_at`), naming the field of
    /// any problem.
    pub fn parse(body: &[u8], today: Date) -> Result<ReferralUpdate, FieldError> {
        let update: ReferralUpdate = from_json("body", body)?;
        update.check(today)?;
        Ok(update)
    }

    /// The body as JSON, after the same checks as [`ReferralUpdate::parse`].
    pub fn to_json(&self, today: Date) -> Result<Vec<u8>, FieldError> {
        self.check(today)?;
        serde_json::to_vec(self).map_err(|_| FieldError::new("body", "cannot be written"))
    }

    fn check(&self, today: Date) -> Result<(), FieldError> {
        if self.effective_on.0 > today {
            return Err(FieldError::new(
                "body.effective_on",
                format!("{} is after the date of the message ({})", self.effective_on, CalendarDate(today)),
            ));
        }
        let exactly = |field: &str, present: bool, wanted: UpdateStatus| match (present, self.status == wanted) {
            (false, true) => Err(FieldError::new(field, format!("required when the status is {}", wanted.code()))),
            (true, false) => Err(FieldError::new(field, format!("only an update to {} carries one", wanted.code()))),
            _ => Ok(()),
        };
        exactly("body.decline", self.decline.is_some(), UpdateStatus::Declined)?;
        exactly("body.organisation", self.organisation.is_some(), UpdateStatus::OrganisationAssigned)?;
        exactly("body.follow_up_on", self.follow_up_on.is_some(), UpdateStatus::FollowUpDue)?;
        if let Some(decline) = &self.decline
            && decline.reason == DeclineReason::Other
            && decline.explanation.is_none()
        {
            return Err(FieldError::new("body.decline.explanation", "required when the reason is other"));
        }
        if let Some(day) = self.follow_up_on
            && day < self.effective_on
        {
            return Err(FieldError::new("body.follow_up_on", "a follow-up is due on or after the day of the update"));
        }
        Ok(())
    }
}
