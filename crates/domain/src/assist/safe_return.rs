//! Repatriation and safe return (CETS 197 Art 16; Directive 2011/36/EU
//! Arts 11 and 16): return plans with the person's informed consent, risk assessments, contacts in
//! the destination country and follow-up after return.
//!
//! A plan changes only through its methods, and [`ReturnPlan::transition`] enforces the rules
//! when a plan moves forward (to approved, travel arranged or returned):
//!
//! - the person's age is known or presumed ([`ChildStatus`] not `unknown`);
//! - an adult has given informed consent: the return is voluntary (Convention Art 16(2));
//! - a risk assessment has been made (Convention Art 16(2): due regard for the person's safety);
//! - a child (or presumed child) is returned only on a linked best-interests determination that
//!   finds return in the child's best interests, and never while the latest risk assessment is
//!   `severe` (Convention Art 16(7); Dir 2011/36 Arts 13(1), 16(2)). For an adult the
//!   assessment informs the person's own decision and does not block it.
//!
//! The rules are checked again at every forward step, so a determination or assessment recorded
//! after approval stops the plan at its next step.

use crate::{
    Coded, ParseError,
    assist::child::DeterminationRef,
    case::CalendarDate,
    coded_enum,
    ident::record::{ChildStatus, parse_language},
    org::CountryCode,
    text::{Narrative, parse_line},
};
use serde::{Deserialize, Serialize};

/// At most this many destination contacts on one plan.
pub const MAX_CONTACTS: usize = 20;

fn parse_flag(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        "" => Err(ParseError::yes_or_no(field)),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

fn past_date(field: &str, value: &str, today: CalendarDate) -> Result<CalendarDate, ParseError> {
    let date = CalendarDate::parse(field, value)?;
    if date > today {
        return Err(ParseError::in_future(field, date, today));
    }
    Ok(date)
}

fn optional_narrative(field: &str, value: &str) -> Result<Option<Narrative>, ParseError> {
    match value.trim() {
        "" => Ok(None),
        v => Narrative::parse(field, v).map(Some),
    }
}

// ---------------------------------------------------------------------------------------------
// Consent, risk, contacts, follow-up
// ---------------------------------------------------------------------------------------------

/// The person's informed consent to return (Convention Art 16(2): return preferably voluntary).
/// A person who changes their mind: cancel the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnConsent {
    pub given_on: CalendarDate,
    /// The language the person was informed in (ISO 639).
    pub language: String,
    /// Who informed the person.
    pub informed_by: String,
}

impl ReturnConsent {
    pub fn parse(given_on: &str, language: &str, informed_by: &str, today: CalendarDate) -> Result<Self, ParseError> {
        Ok(Self {
            given_on: past_date("given_on", given_on, today)?,
            language: parse_language("language", language)?,
            informed_by: parse_line("informed_by", informed_by, 200)?,
        })
    }
}

coded_enum! {
    /// A level of risk, in increasing order.
    pub enum RiskLevel {
        Low => "low",
        Medium => "medium",
        High => "high",
        /// A child is not returned while the risk is severe (Convention Art 16(7)).
        Severe => "severe",
    }
}

coded_enum! {
    /// Whether the family situation the person returns to is safe.
    pub enum FamilySafety {
        Safe => "safe",
        Unsafe => "unsafe",
        Unknown => "unknown",
    }
}

coded_enum! {
    /// Whether support services are available in the destination (Convention Art 16(5)).
    pub enum ServiceAvailability {
        Available => "available",
        Limited => "limited",
        Unavailable => "unavailable",
        Unknown => "unknown",
    }
}

/// A risk and security assessment of a return (Convention Art 16(2), 16(7)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnRiskAssessment {
    pub assessed_on: CalendarDate,
    pub re_trafficking_risk: RiskLevel,
    pub reprisal_risk: RiskLevel,
    pub family_situation: FamilySafety,
    pub support_services: ServiceAvailability,
    /// Travel and identity documents are ready (Convention Art 16(3)-(4)).
    pub documents_ready: bool,
    pub notes: Option<Narrative>,
}

/// The form fields of a [`ReturnRiskAssessment`], as strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskAssessmentInput {
    pub assessed_on: String,
    /// A [`RiskLevel`] code.
    pub re_trafficking_risk: String,
    /// A [`RiskLevel`] code.
    pub reprisal_risk: String,
    /// A [`FamilySafety`] code.
    pub family_situation: String,
    /// A [`ServiceAvailability`] code.
    pub support_services: String,
    /// yes/no
    pub documents_ready: String,
    pub notes: String,
}

impl ReturnRiskAssessment {
    /// Parses an assessment made no later than `today`; `notes` may be empty.
    pub fn parse(input: &RiskAssessmentInput, today: CalendarDate) -> Result<Self, ParseError> {
        Ok(Self {
            assessed_on: past_date("assessed_on", &input.assessed_on, today)?,
            re_trafficking_risk: RiskLevel::parse_code("re_trafficking_risk", input.re_trafficking_risk.trim())?,
            reprisal_risk: RiskLevel::parse_code("reprisal_risk", input.reprisal_risk.trim())?,
            family_situation: FamilySafety::parse_code("family_situation", input.family_situation.trim())?,
            support_services: ServiceAvailability::parse_code("support_services", input.support_services.trim())?,
            documents_ready: parse_flag("documents_ready", &input.documents_ready)?,
            notes: optional_narrative("notes", &input.notes)?,
        })
    }

    /// The higher of the risk of re-trafficking and the risk of reprisals.
    pub fn overall_risk(&self) -> RiskLevel {
        self.re_trafficking_risk.max(self.reprisal_risk)
    }
}

coded_enum! {
    /// What a contact in the destination does for the person.
    pub enum ContactRole {
        /// Meets the person on arrival.
        Reception => "reception",
        /// Provides assistance after return (Convention Art 16(5)).
        SupportProvider => "support_provider",
        /// A public authority (documents, social services, police).
        Authority => "authority",
        /// The national referral mechanism's focal point or rapporteur.
        NationalFocalPoint => "national_focal_point",
        Other => "other",
    }
}

/// A contact in the destination country (or a transit country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationContact {
    pub organisation: String,
    pub country: CountryCode,
    /// A person, desk or address to reach.
    pub contact_point: String,
    pub role: ContactRole,
}

impl DestinationContact {
    pub fn parse(organisation: &str, country: &str, contact_point: &str, role: &str) -> Result<Self, ParseError> {
        Ok(Self {
            organisation: parse_line("organisation", organisation, 200)?,
            country: CountryCode::parse("country", country)?,
            contact_point: parse_line("contact_point", contact_point, 300)?,
            role: ContactRole::parse_code("role", role.trim())?,
        })
    }
}

/// A follow-up after return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub on: CalendarDate,
    /// Contact with the person was made.
    pub contact_made: bool,
    pub situation: Option<Narrative>,
    /// There is a concern that the person is being trafficked again.
    pub re_trafficking_concern: bool,
}

impl FollowUp {
    /// Parses a follow-up made no later than `today`; `situation` may be empty.
    pub fn parse(
        on: &str,
        contact_made: &str,
        situation: &str,
        re_trafficking_concern: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        Ok(Self {
            on: past_date("on", on, today)?,
            contact_made: parse_flag("contact_made", contact_made)?,
            situation: optional_narrative("situation", situation)?,
            re_trafficking_concern: parse_flag("re_trafficking_concern", re_trafficking_concern)?,
        })
    }
}

coded_enum! {
    /// Where the transnational referral message stands.
    pub enum TransnationalReferralStatus {
        NotSent => "not_sent",
        Sent => "sent",
        Acknowledged => "acknowledged",
    }
}

/// The referral of the person to the destination country's focal point (Convention Art 16(5);
/// the transnational referral mechanism). A seam: this is the data only. The transnational
/// referral module to come will fill it when it sends the message and receives the
/// acknowledgement; nothing here sends anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransnationalReferral {
    /// The focal point in the destination country (an organisation or a national referral
    /// mechanism).
    pub destination_focal_point: String,
    /// The reference of the message exchanged; required once sent.
    pub message_reference: Option<String>,
    pub status: TransnationalReferralStatus,
}

impl TransnationalReferral {
    pub fn parse(destination_focal_point: &str, message_reference: &str, status: &str) -> Result<Self, ParseError> {
        let status = TransnationalReferralStatus::parse_code("status", status.trim())?;
        let message_reference = match message_reference.trim() {
            "" if status != TransnationalReferralStatus::NotSent => {
                return Err(ParseError::said(
                    "message_reference",
                    "a sent referral has the reference of its message",
                    crate::Message::new(crate::MessageId::SentReferralReference),
                ));
            }
            "" => None,
            r => Some(parse_line("message_reference", r, 200)?),
        };
        Ok(Self {
            destination_focal_point: parse_line("destination_focal_point", destination_focal_point, 300)?,
            message_reference,
            status,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

coded_enum! {
    /// Where a return plan stands.
    pub enum ReturnStatus {
        Draft => "draft",
        Approved => "approved",
        TravelArranged => "travel_arranged",
        Returned => "returned",
        FollowedUp => "followed_up",
        /// Stopped before the return. Final.
        Cancelled => "cancelled",
    }
}

/// The statuses that may follow `status`.
pub fn return_next(status: ReturnStatus) -> &'static [ReturnStatus] {
    use ReturnStatus::*;
    match status {
        Draft => &[Approved, Cancelled],
        Approved => &[TravelArranged, Cancelled],
        TravelArranged => &[Returned, Cancelled],
        Returned => &[FollowedUp],
        FollowedUp | Cancelled => &[],
    }
}

/// A forward step that the return rules guard.
fn guarded(status: ReturnStatus) -> bool {
    matches!(status, ReturnStatus::Approved | ReturnStatus::TravelArranged | ReturnStatus::Returned)
}

/// One change of status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnStatusChange {
    pub status: ReturnStatus,
    pub on: CalendarDate,
}

/// What a forward step needs to know about the person on the day: whether a child, and the
/// best-interests determination the plan links, as loaded with its identifier.
#[derive(Debug, Clone, Copy)]
pub struct ReturnCheck<'a> {
    pub child_status: ChildStatus,
    pub determination: Option<DeterminationRef<'a>>,
}

/// A plan for the return of a victim to their country of origin or residence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnPlan {
    destination: CountryCode,
    created_on: CalendarDate,
    status: ReturnStatus,
    history: Vec<ReturnStatusChange>,
    consent: Option<ReturnConsent>,
    risk_assessments: Vec<ReturnRiskAssessment>,
    /// The stored identifier of the child's best-interests determination.
    best_interests_determination: Option<uuid::Uuid>,
    contacts: Vec<DestinationContact>,
    follow_ups: Vec<FollowUp>,
    transnational_referral: Option<TransnationalReferral>,
}

impl ReturnPlan {
    /// A draft plan to `destination` (ISO 3166-1 alpha-2), created no later than `today`.
    pub fn draft(destination: &str, created_on: &str, today: CalendarDate) -> Result<Self, ParseError> {
        Ok(Self {
            destination: CountryCode::parse("destination", destination)?,
            created_on: past_date("created_on", created_on, today)?,
            status: ReturnStatus::Draft,
            history: Vec::new(),
            consent: None,
            risk_assessments: Vec::new(),
            best_interests_determination: None,
            contacts: Vec::new(),
            follow_ups: Vec::new(),
            transnational_referral: None,
        })
    }

    fn before_return(&self, field: &str) -> Result<(), ParseError> {
        match self.status {
            ReturnStatus::Draft | ReturnStatus::Approved | ReturnStatus::TravelArranged => Ok(()),
            other => Err(ParseError::said(
                field,
                format!("the plan is {other}: this is recorded before the return"),
                crate::Message::new(crate::MessageId::RecordedBeforeReturn).labels(
                    "status",
                    "rec-return-status",
                    [other.code()],
                ),
            )),
        }
    }

    fn not_cancelled(&self, field: &str) -> Result<(), ParseError> {
        if self.status == ReturnStatus::Cancelled {
            return Err(ParseError::said(
                field,
                "the plan is cancelled",
                crate::Message::new(crate::MessageId::PlanCancelled),
            ));
        }
        Ok(())
    }

    /// Records (or replaces) the person's informed consent, before the return.
    pub fn record_consent(&self, consent: ReturnConsent) -> Result<Self, ParseError> {
        self.before_return("consent")?;
        Ok(Self { consent: Some(consent), ..self.clone() })
    }

    /// Adds a risk assessment, before the return; the latest one counts.
    pub fn record_risk_assessment(&self, assessment: ReturnRiskAssessment) -> Result<Self, ParseError> {
        self.before_return("risk_assessment")?;
        let mut next = self.clone();
        next.risk_assessments.push(assessment);
        Ok(next)
    }

    /// Links the child's best-interests determination by its stored identifier, before the return.
    pub fn link_determination(&self, id: uuid::Uuid) -> Result<Self, ParseError> {
        self.before_return("best_interests_determination")?;
        Ok(Self { best_interests_determination: Some(id), ..self.clone() })
    }

    pub fn add_contact(&self, contact: DestinationContact) -> Result<Self, ParseError> {
        self.not_cancelled("contacts")?;
        if self.contacts.len() >= MAX_CONTACTS {
            return Err(ParseError::said(
                "contacts",
                format!("at most {MAX_CONTACTS} contacts"),
                crate::Message::new(crate::MessageId::AtMostContacts).with("max", MAX_CONTACTS),
            ));
        }
        let mut next = self.clone();
        next.contacts.push(contact);
        Ok(next)
    }

    /// Records a follow-up: only once the person has returned, and not dated before the return.
    pub fn record_follow_up(&self, follow_up: FollowUp) -> Result<Self, ParseError> {
        let Some(returned_on) = self.history.iter().find(|c| c.status == ReturnStatus::Returned).map(|c| c.on) else {
            return Err(ParseError::said(
                "on",
                "a follow-up is recorded after the return",
                crate::Message::new(crate::MessageId::FollowUpAfterReturn),
            ));
        };
        if follow_up.on < returned_on {
            return Err(ParseError::said(
                "on",
                format!("a follow-up cannot come before the return of {returned_on}"),
                crate::Message::new(crate::MessageId::FollowUpBeforeReturn).with("date", returned_on),
            ));
        }
        let mut next = self.clone();
        next.follow_ups.push(follow_up);
        Ok(next)
    }

    /// Records the transnational referral (see [`TransnationalReferral`]).
    pub fn set_transnational_referral(&self, referral: TransnationalReferral) -> Result<Self, ParseError> {
        self.not_cancelled("transnational_referral")?;
        Ok(Self { transnational_referral: Some(referral), ..self.clone() })
    }

    /// The risk assessment that counts on `on`: the latest made on or before it (of two on the same
    /// day, the one recorded last).
    pub fn risk_assessment_on(&self, on: CalendarDate) -> Option<&ReturnRiskAssessment> {
        self.risk_assessments.iter().filter(|a| a.assessed_on <= on).max_by_key(|a| a.assessed_on)
    }

    /// Whether the plan may move to `to` on `on`: the transition table, the date order, and for a
    /// forward step the return rules (see the module documentation). The error names the field
    /// at fault: `status`, `on`, `child_status`, `consent`, `risk_assessment`,
    /// `best_interests_determination` or `follow_ups`.
    pub fn check(&self, to: ReturnStatus, on: CalendarDate, check: &ReturnCheck<'_>) -> Result<(), ParseError> {
        if !return_next(self.status).contains(&to) {
            return Err(ParseError::said(
                "status",
                format!("a return plan cannot go from {} to {to}", self.status),
                crate::Message::new(crate::MessageId::ReturnPlanCannotChange)
                    .labels("from", "rec-return-status", [self.status.code()])
                    .labels("to", "rec-return-status", [to.code()]),
            ));
        }
        let last = self.history.last().map_or(self.created_on, |c| c.on);
        if on < last {
            return Err(ParseError::before_last_change("on", last));
        }
        if to == ReturnStatus::FollowedUp && self.follow_ups.is_empty() {
            return Err(ParseError::said(
                "follow_ups",
                "record a follow-up first",
                crate::Message::new(crate::MessageId::FollowUpFirst),
            ));
        }
        if !guarded(to) {
            return Ok(());
        }
        let child = match check.child_status {
            ChildStatus::Unknown => {
                return Err(ParseError::said(
                    "child_status",
                    "the person's age must be known or presumed before a return goes ahead: a child's return \
                     follows other rules",
                    crate::Message::new(crate::MessageId::AgeBeforeReturn),
                ));
            }
            status => status.is_child(),
        };
        if child {
            self.check_child(on, check)?;
        } else {
            match &self.consent {
                None => {
                    return Err(ParseError::said(
                        "consent",
                        "an adult's return needs the person's informed consent (Council of Europe Convention \
                         Art 16(2))",
                        crate::Message::new(crate::MessageId::ReturnNeedsConsent),
                    ));
                }
                Some(c) if c.given_on > on => {
                    return Err(ParseError::said(
                        "consent",
                        format!("the consent of {} comes after {on}; it must come first", c.given_on),
                        crate::Message::new(crate::MessageId::ConsentComesAfter)
                            .with("given", c.given_on)
                            .with("on", on),
                    ));
                }
                Some(_) => {}
            }
        }
        let Some(assessment) = self.risk_assessment_on(on) else {
            return Err(ParseError::said(
                "risk_assessment",
                "a return needs a risk assessment first (CETS 197 Art 16(2))",
                crate::Message::new(crate::MessageId::ReturnNeedsRiskAssessment),
            ));
        };
        if child && assessment.overall_risk() == RiskLevel::Severe {
            return Err(ParseError::said(
                "risk_assessment",
                format!(
                    "the risk assessment of {} finds a severe risk: a child is not returned (CETS 197 \
                     Art 16(7))",
                    assessment.assessed_on
                ),
                crate::Message::new(crate::MessageId::SevereRiskChildNotReturned).with("date", assessment.assessed_on),
            ));
        }
        Ok(())
    }

    fn check_child(&self, on: CalendarDate, check: &ReturnCheck<'_>) -> Result<(), ParseError> {
        let field = "best_interests_determination";
        let Some(linked) = self.best_interests_determination else {
            return Err(ParseError::said(
                field,
                "a child's return needs a best-interests determination linked to the plan (CETS 197 \
                 Art 16(7); Dir 2011/36 Art 16(2))",
                crate::Message::new(crate::MessageId::ChildReturnNeedsDetermination),
            ));
        };
        let Some((id, bid)) = check.determination else {
            return Err(ParseError::said(
                field,
                format!("the linked determination ({linked}) was not given"),
                crate::Message::new(crate::MessageId::LinkedDeterminationNotGiven).with("id", linked),
            ));
        };
        if id != linked {
            return Err(ParseError::said(
                field,
                format!("the determination given ({id}) is not the one the plan links ({linked})"),
                crate::Message::new(crate::MessageId::DeterminationNotLinked).with("given", id).with("linked", linked),
            ));
        }
        if bid.decided_on > on {
            return Err(ParseError::said(
                field,
                format!("the best-interests determination of {} comes after {on}; it must come first", bid.decided_on),
                crate::Message::new(crate::MessageId::DeterminationComesAfter)
                    .with("decided", bid.decided_on)
                    .with("on", on),
            ));
        }
        if !bid.supports_return() {
            return Err(ParseError::said(
                field,
                "the best-interests determination does not find return in the child's best interests: the child \
                 is not returned (CETS 197 Art 16(7))",
                crate::Message::new(crate::MessageId::DeterminationAgainstReturn),
            ));
        }
        Ok(())
    }

    /// Moves the plan to `to` on `on` if [`ReturnPlan::check`] allows it.
    pub fn transition(&self, to: ReturnStatus, on: CalendarDate, check: &ReturnCheck<'_>) -> Result<Self, ParseError> {
        self.check(to, on, check)?;
        let mut next = self.clone();
        next.status = to;
        next.history.push(ReturnStatusChange { status: to, on });
        Ok(next)
    }

    pub fn destination(&self) -> CountryCode {
        self.destination
    }

    pub fn created_on(&self) -> CalendarDate {
        self.created_on
    }

    pub fn status(&self) -> ReturnStatus {
        self.status
    }

    pub fn history(&self) -> &[ReturnStatusChange] {
        &self.history
    }

    pub fn consent(&self) -> Option<&ReturnConsent> {
        self.consent.as_ref()
    }

    pub fn risk_assessments(&self) -> &[ReturnRiskAssessment] {
        &self.risk_assessments
    }

    /// The stored identifier of the linked best-interests determination.
    pub fn best_interests_determination(&self) -> Option<uuid::Uuid> {
        self.best_interests_determination
    }

    pub fn contacts(&self) -> &[DestinationContact] {
        &self.contacts
    }

    pub fn follow_ups(&self) -> &[FollowUp] {
        &self.follow_ups
    }

    pub fn transnational_referral(&self) -> Option<&TransnationalReferral> {
        self.transnational_referral.as_ref()
    }

    /// Some follow-up raised a concern of re-trafficking.
    pub fn re_trafficking_concern(&self) -> bool {
        self.follow_ups.iter().any(|f| f.re_trafficking_concern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assist::child::{BestInterestsDetermination, BestInterestsInput};

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn today() -> CalendarDate {
        date("2025-12-31")
    }

    const BID_ID: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    fn bid_id() -> uuid::Uuid {
        uuid::Uuid::parse_str(BID_ID).unwrap()
    }

    fn bid(return_ok: &str) -> BestInterestsDetermination {
        let input = BestInterestsInput {
            decided_on: "2025-04-01".into(),
            decided_by: "Best-interests panel".into(),
            child_heard: "yes".into(),
            child_views_summary: "Wants to go home to her mother".into(),
            factors: vec!["safety".into(), "family".into(), "childs_views".into()],
            outcome: "Return with family support in place".into(),
            return_in_best_interests: return_ok.into(),
        };
        BestInterestsDetermination::parse(&input, today()).unwrap()
    }

    fn risk(on: &str, trafficking: &str, reprisal: &str) -> ReturnRiskAssessment {
        let input = RiskAssessmentInput {
            assessed_on: on.into(),
            re_trafficking_risk: trafficking.into(),
            reprisal_risk: reprisal.into(),
            family_situation: "safe".into(),
            support_services: "available".into(),
            documents_ready: "yes".into(),
            notes: String::new(),
        };
        ReturnRiskAssessment::parse(&input, today()).unwrap()
    }

    fn consent(on: &str) -> ReturnConsent {
        ReturnConsent::parse(on, "ro", "Caseworker M. Popa", today()).unwrap()
    }

    fn plan() -> ReturnPlan {
        ReturnPlan::draft("RO", "2025-03-01", today()).unwrap()
    }

    fn adult() -> ReturnCheck<'static> {
        ReturnCheck { child_status: ChildStatus::Adult, determination: None }
    }

    fn child(b: Option<&BestInterestsDetermination>) -> ReturnCheck<'_> {
        ReturnCheck { child_status: ChildStatus::Child, determination: b.map(|b| (bid_id(), b)) }
    }

    /// An adult's plan with consent and a low-risk assessment.
    fn adult_plan() -> ReturnPlan {
        plan()
            .record_consent(consent("2025-03-02"))
            .unwrap()
            .record_risk_assessment(risk("2025-03-03", "low", "low"))
            .unwrap()
    }

    /// A child's plan with a supportive determination linked and a high (not severe) risk.
    fn child_plan() -> ReturnPlan {
        plan()
            .link_determination(bid_id())
            .unwrap()
            .record_risk_assessment(risk("2025-04-02", "high", "medium"))
            .unwrap()
    }

    const APPROVE_ON: &str = "2025-05-01";

    #[test]
    fn parts_parse_and_name_their_fields() {
        assert_eq!(ReturnPlan::draft("XX", "2025-03-01", today()).unwrap_err().field, "destination");
        assert_eq!(ReturnPlan::draft("ro", "2026-03-01", today()).unwrap_err().field, "created_on");
        assert_eq!(plan().destination().as_str(), "RO");

        let c = |g: &str, l: &str, i: &str| ReturnConsent::parse(g, l, i, today()).unwrap_err().field;
        assert_eq!(c("2026-01-01", "ro", "X"), "given_on");
        assert_eq!(c("2025-01-01", "romanian", "X"), "language");
        assert_eq!(c("2025-01-01", "ro", ""), "informed_by");

        let field = |f: &dyn Fn(&mut RiskAssessmentInput)| {
            let mut i = RiskAssessmentInput {
                assessed_on: "2025-04-02".into(),
                re_trafficking_risk: "low".into(),
                reprisal_risk: "low".into(),
                family_situation: "unknown".into(),
                support_services: "limited".into(),
                documents_ready: "no".into(),
                notes: "Mother's address confirmed".into(),
            };
            assert!(ReturnRiskAssessment::parse(&i, today()).is_ok());
            f(&mut i);
            ReturnRiskAssessment::parse(&i, today()).unwrap_err().field
        };
        assert_eq!(field(&|i| i.assessed_on = "2026-01-01".into()), "assessed_on");
        assert_eq!(field(&|i| i.re_trafficking_risk = "extreme".into()), "re_trafficking_risk");
        assert_eq!(field(&|i| i.reprisal_risk = String::new()), "reprisal_risk");
        assert_eq!(field(&|i| i.family_situation = "fine".into()), "family_situation");
        assert_eq!(field(&|i| i.support_services = "some".into()), "support_services");
        assert_eq!(field(&|i| i.documents_ready = String::new()), "documents_ready");
        assert_eq!(field(&|i| i.notes = "a\u{0}b".into()), "notes");

        let d = |o: &str, c: &str, p: &str, r: &str| DestinationContact::parse(o, c, p, r).unwrap_err().field;
        assert_eq!(d("", "RO", "desk", "reception"), "organisation");
        assert_eq!(d("ANITP", "Romania", "desk", "reception"), "country");
        assert_eq!(d("ANITP", "RO", " ", "reception"), "contact_point");
        assert_eq!(d("ANITP", "RO", "desk", "friend"), "role");

        let f = |o: &str, c: &str, r: &str| FollowUp::parse(o, c, "", r, today()).unwrap_err().field;
        assert_eq!(f("2026-01-01", "yes", "no"), "on");
        assert_eq!(f("2025-06-01", "", "no"), "contact_made");
        assert_eq!(f("2025-06-01", "yes", "maybe"), "re_trafficking_concern");

        let t = |p: &str, m: &str, s: &str| TransnationalReferral::parse(p, m, s).unwrap_err().field;
        assert_eq!(t("", "", "not_sent"), "destination_focal_point");
        assert_eq!(t("ANITP", "", "sent"), "message_reference");
        assert_eq!(t("ANITP", "", "delivered"), "status");
        let r = TransnationalReferral::parse("ANITP Bucharest", "", "not_sent").unwrap();
        assert_eq!((r.message_reference, r.status), (None, TransnationalReferralStatus::NotSent));
        assert!(TransnationalReferral::parse("ANITP Bucharest", "TRM-2025-7", "acknowledged").is_ok());
    }

    #[test]
    fn overall_risk_is_the_higher_risk() {
        assert_eq!(risk("2025-04-02", "low", "severe").overall_risk(), RiskLevel::Severe);
        assert_eq!(risk("2025-04-02", "high", "medium").overall_risk(), RiskLevel::High);
        assert!(RiskLevel::Low < RiskLevel::Medium && RiskLevel::High < RiskLevel::Severe);
    }

    /// Convention Art 16(2): an adult's return is voluntary; no approval without informed consent.
    #[test]
    fn art_16_2_cets_an_adults_return_needs_consent() {
        let without = plan().record_risk_assessment(risk("2025-03-03", "low", "low")).unwrap();
        let e = without.transition(ReturnStatus::Approved, date(APPROVE_ON), &adult()).unwrap_err();
        assert_eq!(e.field, "consent");
        assert!(e.message.contains("Art 16(2)"), "{}", e.message);
        let approved = adult_plan().transition(ReturnStatus::Approved, date(APPROVE_ON), &adult()).unwrap();
        assert_eq!(approved.status(), ReturnStatus::Approved);
        // Consent dated after the approval does not count.
        let late = without.record_consent(consent("2025-05-02")).unwrap();
        assert_eq!(late.transition(ReturnStatus::Approved, date(APPROVE_ON), &adult()).unwrap_err().field, "consent");
        // An adult's severe risk informs the person's decision and does not block it.
        let severe = adult_plan().record_risk_assessment(risk("2025-03-04", "severe", "low")).unwrap();
        assert!(severe.transition(ReturnStatus::Approved, date(APPROVE_ON), &adult()).is_ok());
    }

    #[test]
    fn a_return_needs_a_risk_assessment_and_a_known_age() {
        let no_risk = plan().record_consent(consent("2025-03-02")).unwrap();
        assert_eq!(
            no_risk.transition(ReturnStatus::Approved, date(APPROVE_ON), &adult()).unwrap_err().field,
            "risk_assessment"
        );
        // An assessment dated after the step does not count.
        let later = no_risk.record_risk_assessment(risk("2025-05-02", "low", "low")).unwrap();
        assert_eq!(
            later.transition(ReturnStatus::Approved, date(APPROVE_ON), &adult()).unwrap_err().field,
            "risk_assessment"
        );
        let unknown = ReturnCheck { child_status: ChildStatus::Unknown, determination: None };
        assert_eq!(
            adult_plan().transition(ReturnStatus::Approved, date(APPROVE_ON), &unknown).unwrap_err().field,
            "child_status"
        );
    }

    /// Convention Art 16(7), Dir 2011/36 Art 16(2): no return of a child without a
    /// determination that finds return in the child's best interests. Enforced.
    #[test]
    fn art_16_7_cets_a_childs_return_needs_a_supportive_determination() {
        let on = date(APPROVE_ON);
        let yes = bid("yes");
        assert_eq!(
            child_plan().transition(ReturnStatus::Approved, on, &child(Some(&yes))).unwrap().status(),
            ReturnStatus::Approved
        );
        // A presumed child is treated as a child.
        let presumed = ReturnCheck { child_status: ChildStatus::PresumedChild, determination: None };
        assert_eq!(
            child_plan().transition(ReturnStatus::Approved, on, &presumed).unwrap_err().field,
            "best_interests_determination"
        );

        let field =
            |p: &ReturnPlan, c: &ReturnCheck<'_>| p.transition(ReturnStatus::Approved, on, c).unwrap_err().field;
        // No determination linked (even with the adult's consent given).
        let unlinked = plan()
            .record_consent(consent("2025-03-02"))
            .unwrap()
            .record_risk_assessment(risk("2025-04-02", "low", "low"))
            .unwrap();
        assert_eq!(field(&unlinked, &child(Some(&yes))), "best_interests_determination");
        // Linked but not given, or a different one given.
        assert_eq!(field(&child_plan(), &child(None)), "best_interests_determination");
        let other = ReturnCheck { child_status: ChildStatus::Child, determination: Some((uuid::Uuid::nil(), &yes)) };
        assert_eq!(field(&child_plan(), &other), "best_interests_determination");
        // The determination does not support return, or does not say.
        let no = bid("no");
        let e = child_plan().transition(ReturnStatus::Approved, on, &child(Some(&no))).unwrap_err();
        assert_eq!(e.field, "best_interests_determination");
        assert!(e.message.contains("Art 16(7)"), "{}", e.message);
        let silent = bid("");
        assert_eq!(field(&child_plan(), &child(Some(&silent))), "best_interests_determination");
        // The determination must come first.
        let early = child_plan().record_risk_assessment(risk("2025-03-02", "low", "low")).unwrap();
        assert_eq!(
            early.transition(ReturnStatus::Approved, date("2025-03-31"), &child(Some(&yes))).unwrap_err().field,
            "best_interests_determination"
        );
    }

    /// Convention Art 16(7): a child is not returned while the risk is severe. Enforced.
    #[test]
    fn art_16_7_cets_a_childs_return_is_blocked_by_a_severe_risk() {
        let on = date(APPROVE_ON);
        let yes = bid("yes");
        for (trafficking, reprisal) in [("severe", "low"), ("low", "severe")] {
            let severe = child_plan().record_risk_assessment(risk("2025-04-03", trafficking, reprisal)).unwrap();
            let e = severe.transition(ReturnStatus::Approved, on, &child(Some(&yes))).unwrap_err();
            assert_eq!(e.field, "risk_assessment");
            assert!(e.message.contains("severe") && e.message.contains("Art 16(7)"), "{}", e.message);
        }
        // A later, lower assessment counts; no assessment at all blocks too.
        let reassessed = child_plan()
            .record_risk_assessment(risk("2025-04-03", "severe", "low"))
            .unwrap()
            .record_risk_assessment(risk("2025-04-20", "medium", "low"))
            .unwrap();
        assert!(reassessed.transition(ReturnStatus::Approved, on, &child(Some(&yes))).is_ok());
        let unassessed = plan().link_determination(bid_id()).unwrap();
        assert_eq!(
            unassessed.transition(ReturnStatus::Approved, on, &child(Some(&yes))).unwrap_err().field,
            "risk_assessment"
        );
    }

    /// The child rules hold at every forward step, not only at approval.
    #[test]
    fn the_child_rules_are_checked_again_at_every_step() {
        let yes = bid("yes");
        let approved = child_plan().transition(ReturnStatus::Approved, date(APPROVE_ON), &child(Some(&yes))).unwrap();
        let severe = approved.record_risk_assessment(risk("2025-05-02", "severe", "low")).unwrap();
        assert_eq!(
            severe.transition(ReturnStatus::TravelArranged, date("2025-05-03"), &child(Some(&yes))).unwrap_err().field,
            "risk_assessment"
        );
        let arranged =
            approved.transition(ReturnStatus::TravelArranged, date("2025-05-03"), &child(Some(&yes))).unwrap();
        let no = bid("no");
        assert_eq!(
            arranged.transition(ReturnStatus::Returned, date("2025-05-10"), &child(Some(&no))).unwrap_err().field,
            "best_interests_determination"
        );
        let returned = arranged.transition(ReturnStatus::Returned, date("2025-05-10"), &child(Some(&yes))).unwrap();
        assert_eq!(
            returned.history().iter().map(|c| c.status).collect::<Vec<_>>(),
            [ReturnStatus::Approved, ReturnStatus::TravelArranged, ReturnStatus::Returned]
        );
        // Cancelling is never blocked.
        assert!(severe.transition(ReturnStatus::Cancelled, date("2025-05-03"), &child(None)).is_ok());
    }

    /// A plan in each status.
    fn at(status: ReturnStatus) -> ReturnPlan {
        use ReturnStatus::*;
        let step = |p: ReturnPlan, to: ReturnStatus, on: &str| p.transition(to, date(on), &adult()).unwrap();
        let approved = || step(adult_plan(), Approved, "2025-04-01");
        let arranged = || step(approved(), TravelArranged, "2025-04-02");
        let returned = || step(arranged(), Returned, "2025-04-03");
        match status {
            Draft => adult_plan(),
            Approved => approved(),
            TravelArranged => arranged(),
            Returned => returned(),
            FollowedUp => {
                let f = FollowUp::parse("2025-04-10", "yes", "Living with her sister", "no", today()).unwrap();
                step(returned().record_follow_up(f).unwrap(), FollowedUp, "2025-04-11")
            }
            Cancelled => step(adult_plan(), Cancelled, "2025-04-01"),
        }
    }

    /// The transition table, every pair written out.
    #[test]
    fn return_plan_transition_table() {
        use ReturnStatus::*;
        let legal = [
            (Draft, Approved),
            (Draft, Cancelled),
            (Approved, TravelArranged),
            (Approved, Cancelled),
            (TravelArranged, Returned),
            (TravelArranged, Cancelled),
        ];
        let illegal = [
            (Draft, Draft),
            (Draft, TravelArranged),
            (Draft, Returned),
            (Draft, FollowedUp),
            (Approved, Draft),
            (Approved, Approved),
            (Approved, Returned),
            (Approved, FollowedUp),
            (TravelArranged, Draft),
            (TravelArranged, Approved),
            (TravelArranged, TravelArranged),
            (TravelArranged, FollowedUp),
            (Returned, Draft),
            (Returned, Approved),
            (Returned, TravelArranged),
            (Returned, Returned),
            (Returned, Cancelled),
            (FollowedUp, Draft),
            (FollowedUp, Approved),
            (FollowedUp, TravelArranged),
            (FollowedUp, Returned),
            (FollowedUp, FollowedUp),
            (FollowedUp, Cancelled),
            (Cancelled, Draft),
            (Cancelled, Approved),
            (Cancelled, TravelArranged),
            (Cancelled, Returned),
            (Cancelled, FollowedUp),
            (Cancelled, Cancelled),
        ];
        // (Returned, FollowedUp) is legal once a follow-up is recorded: tested below.
        assert_eq!(legal.len() + illegal.len() + 1, ReturnStatus::ALL.len().pow(2));
        for (from, to) in legal {
            assert!(return_next(from).contains(&to), "{from} -> {to}");
            let next = at(from).transition(to, date("2025-06-01"), &adult()).unwrap();
            assert_eq!(next.status(), to, "{from} -> {to}");
        }
        for (from, to) in illegal {
            assert!(!return_next(from).contains(&to), "{from} -> {to}");
            assert_eq!(
                at(from).transition(to, date("2025-06-01"), &adult()).unwrap_err().field,
                "status",
                "{from} -> {to}"
            );
        }
        assert!(return_next(Returned).contains(&FollowedUp));
        assert_eq!(at(FollowedUp).status(), FollowedUp);
        assert_eq!(at(Returned).transition(FollowedUp, date("2025-06-01"), &adult()).unwrap_err().field, "follow_ups");
    }

    #[test]
    fn dates_do_not_go_backwards() {
        let approved = at(ReturnStatus::Approved);
        assert_eq!(
            approved.transition(ReturnStatus::TravelArranged, date("2025-03-31"), &adult()).unwrap_err().field,
            "on"
        );
        assert_eq!(plan().transition(ReturnStatus::Cancelled, date("2025-02-28"), &adult()).unwrap_err().field, "on");
    }

    #[test]
    fn follow_ups_come_after_the_return() {
        let f = |on: &str, concern: &str| FollowUp::parse(on, "yes", "", concern, today()).unwrap();
        for status in
            [ReturnStatus::Draft, ReturnStatus::Approved, ReturnStatus::TravelArranged, ReturnStatus::Cancelled]
        {
            assert_eq!(at(status).record_follow_up(f("2025-06-01", "no")).unwrap_err().field, "on", "{status}");
        }
        let returned = at(ReturnStatus::Returned);
        assert_eq!(returned.record_follow_up(f("2025-04-02", "no")).unwrap_err().field, "on");
        let followed = returned.record_follow_up(f("2025-04-03", "no")).unwrap();
        assert!(!followed.re_trafficking_concern());
        let concern = followed.record_follow_up(f("2025-07-01", "yes")).unwrap();
        assert!(concern.re_trafficking_concern());
        assert_eq!(concern.follow_ups().len(), 2);
        // Further follow-ups after followed_up.
        assert!(at(ReturnStatus::FollowedUp).record_follow_up(f("2025-08-01", "no")).is_ok());
    }

    #[test]
    fn what_may_change_when() {
        let returned = at(ReturnStatus::Returned);
        assert_eq!(returned.record_consent(consent("2025-03-02")).unwrap_err().field, "consent");
        assert_eq!(
            returned.record_risk_assessment(risk("2025-04-02", "low", "low")).unwrap_err().field,
            "risk_assessment"
        );
        assert_eq!(returned.link_determination(bid_id()).unwrap_err().field, "best_interests_determination");
        let contact =
            DestinationContact::parse("ANITP", "RO", "Reception desk, +40 21 000 0000", "national_focal_point")
                .unwrap();
        assert!(returned.add_contact(contact.clone()).is_ok());
        let cancelled = at(ReturnStatus::Cancelled);
        assert_eq!(cancelled.add_contact(contact.clone()).unwrap_err().field, "contacts");
        let referral = TransnationalReferral::parse("ANITP Bucharest", "TRM-2025-7", "sent").unwrap();
        assert_eq!(cancelled.set_transnational_referral(referral.clone()).unwrap_err().field, "transnational_referral");
        let mut p = plan();
        for _ in 0..MAX_CONTACTS {
            p = p.add_contact(contact.clone()).unwrap();
        }
        assert_eq!(p.add_contact(contact).unwrap_err().field, "contacts");
        let p = p.set_transnational_referral(referral).unwrap();
        assert_eq!(p.transnational_referral().map(|r| r.status), Some(TransnationalReferralStatus::Sent));
    }

    #[test]
    fn plans_round_trip_through_json() {
        let referral = TransnationalReferral::parse("ANITP Bucharest", "", "not_sent").unwrap();
        let p = child_plan().set_transnational_referral(referral).unwrap();
        let p = p.transition(ReturnStatus::Approved, date(APPROVE_ON), &child(Some(&bid("yes")))).unwrap();
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["status"], "approved");
        assert_eq!(json["destination"], "RO");
        assert_eq!(json["best_interests_determination"], BID_ID);
        assert_eq!(json["transnational_referral"]["status"], "not_sent");
        assert_eq!(serde_json::from_value::<ReturnPlan>(json).unwrap(), p);
    }
}
