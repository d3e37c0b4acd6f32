//! Referrals between organisations: to a service, or a transfer of the case.
//!
//! - States: draft, sent, accepted or declined (with a reason), in progress, completed,
//!   withdrawn. The sender drafts, sends and withdraws; the receiver accepts, declines, starts
//!   and completes. A transfer of the case ends when accepted: the receiver becomes the owner.
//! - Each state that waits on someone has a due date, so that an overdue list shows every
//!   referral nobody answered or followed up.
//! - Consent: an adult's referral needs their consent; a documented emergency override is a
//!   separate permission; a child is referred without consent (Dir 2011/36 Arts 11(2),
//!   14; Convention Arts 10(4), 12(7)).
//! - Data minimisation: a referral shares only the fields configured for the service type; the
//!   sender may share fewer, never more (GDPR Art 5(1)(c)).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::services::ServiceType;
use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, ParseError, coded_enum};

coded_enum! {
    pub enum ReferralKind {
        /// To a service of another organisation; the case stays with the sender.
        Service => "service",
        /// Ownership of the case moves to the receiver once accepted.
        Transfer => "transfer",
    }
}

coded_enum! {
    pub enum ReferralState {
        Draft => "draft",
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        InProgress => "in_progress",
        Completed => "completed",
        Withdrawn => "withdrawn",
    }
}

impl ReferralState {
    /// No further change.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Declined | Self::Completed | Self::Withdrawn)
    }

    /// Holds a place of the provider (released when the referral ends).
    pub fn holds_place(self) -> bool {
        matches!(self, Self::Sent | Self::Accepted | Self::InProgress)
    }
}

coded_enum! {
    /// Which side of the referral acts.
    pub enum Side {
        Sender => "sender",
        Receiver => "receiver",
    }
}

/// Why a change of state is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a {kind} referral cannot go from {from} to {to}")]
    NotAllowed { kind: ReferralKind, from: ReferralState, to: ReferralState },
    #[error("only the {expected} may make this change")]
    WrongSide { expected: Side },
    #[error("a declined referral needs the reason")]
    ReasonMissing,
}

/// Checks a change of state by one side.
pub fn check_transition(
    kind: ReferralKind,
    from: ReferralState,
    to: ReferralState,
    side: Side,
    reason: &str,
) -> Result<(), TransitionError> {
    use ReferralState::*;
    let expected = match (from, to) {
        (Draft, Sent) | (Draft, Withdrawn) | (Sent, Withdrawn) => Side::Sender,
        (Accepted, Withdrawn) | (InProgress, Withdrawn) if kind == ReferralKind::Service => Side::Sender,
        (Sent, Accepted) | (Sent, Declined) => Side::Receiver,
        (Accepted, InProgress) | (InProgress, Completed) if kind == ReferralKind::Service => Side::Receiver,
        _ => return Err(TransitionError::NotAllowed { kind, from, to }),
    };
    if side != expected {
        return Err(TransitionError::WrongSide { expected });
    }
    if to == Declined && parse_line("reason", reason, 500).is_err() {
        return Err(TransitionError::ReasonMissing);
    }
    Ok(())
}

/// Days within which the receiver answers a sent referral, and between follow-ups once it is
/// accepted or in progress. Urgent services get a shorter answer time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub answer_days: u16,
    pub urgent_answer_days: u16,
    pub follow_up_days: u16,
}

impl Default for FollowUp {
    fn default() -> Self {
        FollowUp { answer_days: 3, urgent_answer_days: 1, follow_up_days: 14 }
    }
}

impl FollowUp {
    /// When the next action is due after entering `state` on `on`; `None` for a final state or
    /// a draft.
    pub fn due(&self, state: ReferralState, on: CalendarDate, urgent: bool) -> Option<CalendarDate> {
        use ReferralState::*;
        let days = match state {
            Sent if urgent => self.urgent_answer_days,
            Sent => self.answer_days,
            Accepted | InProgress => self.follow_up_days,
            _ => return None,
        };
        on.add_days(i64::from(days))
    }
}

/// Overdue on `today`: a due date has passed and the referral is not final.
pub fn is_overdue(state: ReferralState, due_on: Option<CalendarDate>, today: CalendarDate) -> bool {
    !state.is_final() && due_on.is_some_and(|d| d < today)
}

coded_enum! {
    /// On what ground a referral shares personal data.
    pub enum ConsentBasis {
        /// The adult consented to this referral.
        Consent => "consent",
        /// A child: referred without consent, in the child's best interests.
        Child => "child",
        /// An emergency override, documented and audited (a separate permission).
        EmergencyOverride => "emergency_override",
    }
}

/// The consent or override as given with a referral.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsentInput {
    pub consent_given: bool,
    pub consent_on: String,
    pub consent_language: String,
    /// An emergency override instead of consent: why it cannot wait.
    pub emergency_reason: String,
}

/// The documented ground of a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub basis: ConsentBasis,
    pub on: Option<CalendarDate>,
    pub language: String,
    pub emergency_reason: String,
}

/// Why the ground of a referral is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    #[error("{0}")]
    Invalid(ParseError),
    #[error("an adult's referral needs their consent, or a documented emergency override")]
    ConsentMissing,
    #[error("an emergency override needs the permission to override consent")]
    OverrideNotPermitted,
}

/// Decides the ground of a referral: a child needs no consent; an adult's consent (dated, in a
/// language) or, with the separate permission, a documented emergency override.
pub fn consent_basis(
    child: bool,
    input: &ConsentInput,
    may_override: bool,
    today: CalendarDate,
) -> Result<ConsentRecord, ConsentError> {
    if child {
        return Ok(ConsentRecord {
            basis: ConsentBasis::Child,
            on: None,
            language: String::new(),
            emergency_reason: String::new(),
        });
    }
    if input.consent_given {
        let on = CalendarDate::parse("consent_on", input.consent_on.trim()).map_err(ConsentError::Invalid)?;
        if on > today {
            return Err(ConsentError::Invalid(ParseError::future("consent_on", "must not be in the future")));
        }
        let language = input.consent_language.trim().to_ascii_lowercase();
        if language.len() != 2 || !language.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(ConsentError::Invalid(ParseError::said(
                "consent_language",
                "the language the person was informed in, as a two-letter ISO 639-1 code",
                crate::Message::new(crate::MessageId::ConsentLanguageCode),
            )));
        }
        return Ok(ConsentRecord {
            basis: ConsentBasis::Consent,
            on: Some(on),
            language,
            emergency_reason: String::new(),
        });
    }
    if input.emergency_reason.trim().is_empty() {
        return Err(ConsentError::ConsentMissing);
    }
    if !may_override {
        return Err(ConsentError::OverrideNotPermitted);
    }
    let reason = parse_line("emergency_reason", &input.emergency_reason, 1000).map_err(ConsentError::Invalid)?;
    if reason.chars().count() < 15 {
        return Err(ConsentError::Invalid(ParseError::said(
            "emergency_reason",
            "document the emergency: why the referral cannot wait for consent",
            crate::Message::new(crate::MessageId::EmergencyNeedsReason),
        )));
    }
    Ok(ConsentRecord {
        basis: ConsentBasis::EmergencyOverride,
        on: Some(today),
        language: String::new(),
        emergency_reason: reason,
    })
}

coded_enum! {
    /// A piece of the case that a referral can share.
    pub enum SharedField {
        GivenNames => "given_names",
        FamilyNames => "family_names",
        DateOfBirth => "date_of_birth",
        AgeGroup => "age_group",
        Sex => "sex",
        ChildStatus => "child_status",
        Languages => "languages",
        Interpreter => "interpreter",
        Citizenships => "citizenships",
        SafeContact => "safe_contact",
        ExploitationForms => "exploitation_forms",
        RiskLevel => "risk_level",
        SpecialNeeds => "special_needs",
        /// The assessed needs (areas and levels, not the notes).
        Needs => "needs",
        /// The status decided by the national referral mechanism.
        NrmStatus => "nrm_status",
    }
}

/// Which fields each service type may receive, and what a transfer shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingRules {
    per_service: BTreeMap<ServiceType, BTreeSet<SharedField>>,
    transfer: BTreeSet<SharedField>,
}

/// The built-in rules, in the same form an operator edits (`assistance/sharing.toml`).
pub const DEFAULT_SHARING: &str = include_str!("../../assist/sharing.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharingFile {
    transfer: Vec<String>,
    services: BTreeMap<String, Vec<String>>,
}

impl SharingRules {
    /// Parses the TOML form; every service type must be listed (an operator cannot forget one
    /// and share nothing or everything by accident).
    pub fn from_toml(text: &str) -> Result<Self, ParseError> {
        let file: SharingFile = toml::from_str(text).map_err(|e| ParseError::new("sharing", e.message().to_owned()))?;
        let fields = |key: &str, list: &[String]| -> Result<BTreeSet<SharedField>, ParseError> {
            list.iter().map(|f| SharedField::parse_code(key, f.trim())).collect()
        };
        let mut per_service = BTreeMap::new();
        for (k, v) in &file.services {
            let service = ServiceType::parse_code("services", k)?;
            per_service.insert(service, fields(&format!("services.{k}"), v)?);
        }
        if let Some(missing) = ServiceType::ALL.iter().find(|s| !per_service.contains_key(*s)) {
            return Err(ParseError::new(
                format!("services.{missing}"),
                "every service type lists the fields it receives",
            ));
        }
        Ok(SharingRules { per_service, transfer: fields("transfer", &file.transfer)? })
    }

    /// The built-in rules.
    pub fn builtin() -> Result<Self, ParseError> {
        Self::from_toml(DEFAULT_SHARING)
    }

    /// The fields a referral of this kind may share at most.
    pub fn allowed(&self, kind: ReferralKind, service: Option<ServiceType>) -> BTreeSet<SharedField> {
        match (kind, service) {
            (ReferralKind::Transfer, _) => self.transfer.clone(),
            (ReferralKind::Service, Some(s)) => self.per_service.get(&s).cloned().unwrap_or_default(),
            (ReferralKind::Service, None) => BTreeSet::new(),
        }
    }

    /// The fields to share: those requested (all allowed ones when none are named), never more
    /// than allowed; asking for more is refused with the field named.
    pub fn select(
        &self,
        kind: ReferralKind,
        service: Option<ServiceType>,
        requested: &[String],
    ) -> Result<BTreeSet<SharedField>, ParseError> {
        let allowed = self.allowed(kind, service);
        if requested.is_empty() {
            return Ok(allowed);
        }
        let mut out = BTreeSet::new();
        for (i, r) in requested.iter().enumerate() {
            let f = SharedField::parse_code(&format!("shared_fields[{i}]"), r.trim())?;
            if !allowed.contains(&f) {
                let codes: Vec<&str> = allowed.iter().map(|f| f.code()).collect();
                return Err(ParseError::said(
                    format!("shared_fields[{i}]"),
                    format!(
                        "{f} is not needed for this service and is not shared (data minimisation); allowed: {}",
                        codes.join(", ")
                    ),
                    crate::Message::new(crate::MessageId::FieldNotShared)
                        .labels("field", "support-shared", [f.code()])
                        .labels("allowed", "support-shared", codes),
                ));
            }
            out.insert(f);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralKind::*;
    use ReferralState::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    #[test]
    fn every_state_change_is_checked_against_the_table() {
        // (kind, from, to, side) that are legal; everything else is refused.
        let legal = [
            (Service, Draft, Sent, Side::Sender),
            (Service, Draft, Withdrawn, Side::Sender),
            (Service, Sent, Withdrawn, Side::Sender),
            (Service, Sent, Accepted, Side::Receiver),
            (Service, Sent, Declined, Side::Receiver),
            (Service, Accepted, InProgress, Side::Receiver),
            (Service, Accepted, Withdrawn, Side::Sender),
            (Service, InProgress, Completed, Side::Receiver),
            (Service, InProgress, Withdrawn, Side::Sender),
            (Transfer, Draft, Sent, Side::Sender),
            (Transfer, Draft, Withdrawn, Side::Sender),
            (Transfer, Sent, Withdrawn, Side::Sender),
            (Transfer, Sent, Accepted, Side::Receiver),
            (Transfer, Sent, Declined, Side::Receiver),
        ];
        for kind in ReferralKind::ALL {
            for from in ReferralState::ALL {
                for to in ReferralState::ALL {
                    for side in Side::ALL {
                        let ok = check_transition(*kind, *from, *to, *side, "No bed for a family").is_ok();
                        assert_eq!(ok, legal.contains(&(*kind, *from, *to, *side)), "{kind} {from}->{to} by {side}");
                    }
                }
            }
        }
        assert_eq!(check_transition(Service, Sent, Declined, Side::Receiver, " "), Err(TransitionError::ReasonMissing));
        assert_eq!(
            check_transition(Service, Sent, Accepted, Side::Sender, ""),
            Err(TransitionError::WrongSide { expected: Side::Receiver })
        );
        for s in ReferralState::ALL {
            if s.is_final() {
                assert!(!s.holds_place());
            }
        }
    }

    #[test]
    fn due_dates_and_overdue() {
        let f = FollowUp::default();
        assert_eq!(f.due(Sent, d("2026-03-02"), false), Some(d("2026-03-05")));
        assert_eq!(f.due(Sent, d("2026-03-02"), true), Some(d("2026-03-03")));
        assert_eq!(f.due(Accepted, d("2026-03-02"), false), Some(d("2026-03-16")));
        assert_eq!(f.due(Completed, d("2026-03-02"), false), None);
        assert_eq!(f.due(Draft, d("2026-03-02"), false), None);
        assert!(!is_overdue(Sent, Some(d("2026-03-05")), d("2026-03-05")));
        assert!(is_overdue(Sent, Some(d("2026-03-05")), d("2026-03-06")));
        assert!(!is_overdue(Declined, Some(d("2026-03-05")), d("2026-03-06")));
        assert!(!is_overdue(Sent, None, d("2026-03-06")));
    }

    #[test]
    fn an_adult_needs_consent_or_a_documented_override_and_a_child_none() {
        let today = d("2026-03-02");
        let none = ConsentInput::default();
        assert_eq!(consent_basis(true, &none, false, today).unwrap().basis, ConsentBasis::Child);
        assert_eq!(consent_basis(false, &none, true, today), Err(ConsentError::ConsentMissing));
        let given = ConsentInput {
            consent_given: true,
            consent_on: "2026-03-01".into(),
            consent_language: "UK".into(),
            ..ConsentInput::default()
        };
        let r = consent_basis(false, &given, false, today).unwrap();
        assert_eq!((r.basis, r.language.as_str()), (ConsentBasis::Consent, "uk"));
        let mut bad = given.clone();
        bad.consent_on = "2026-03-03".into();
        assert!(
            matches!(consent_basis(false, &bad, false, today), Err(ConsentError::Invalid(e)) if e.field == "consent_on")
        );
        bad.consent_on = "2026-03-01".into();
        bad.consent_language = String::new();
        assert!(
            matches!(consent_basis(false, &bad, false, today), Err(ConsentError::Invalid(e)) if e.field == "consent_language")
        );
        let emergency = ConsentInput {
            emergency_reason: "Unconscious after an assault; needs a shelter bed tonight".into(),
            ..ConsentInput::default()
        };
        assert_eq!(consent_basis(false, &emergency, false, today), Err(ConsentError::OverrideNotPermitted));
        let r = consent_basis(false, &emergency, true, today).unwrap();
        assert_eq!((r.basis, r.on), (ConsentBasis::EmergencyOverride, Some(today)));
        let short = ConsentInput { emergency_reason: "urgent".into(), ..ConsentInput::default() };
        assert!(matches!(consent_basis(false, &short, true, today), Err(ConsentError::Invalid(_))));
    }

    #[test]
    fn a_referral_shares_only_what_the_service_needs() {
        let rules = SharingRules::builtin().unwrap();
        let interp = rules.allowed(Service, Some(ServiceType::Interpretation));
        assert!(interp.contains(&SharedField::Languages));
        assert!(!interp.contains(&SharedField::DateOfBirth));
        assert!(!interp.contains(&SharedField::ExploitationForms));
        // none named: all allowed ones
        assert_eq!(rules.select(Service, Some(ServiceType::Interpretation), &[]).unwrap(), interp);
        // fewer is fine
        let fewer = rules.select(Service, Some(ServiceType::SafeAccommodation), &["sex".into()]).unwrap();
        assert_eq!(fewer.into_iter().collect::<Vec<_>>(), vec![SharedField::Sex]);
        // more is refused, naming the field
        let e = rules
            .select(Service, Some(ServiceType::Interpretation), &["languages".into(), "date_of_birth".into()])
            .unwrap_err();
        assert_eq!(e.field, "shared_fields[1]");
        assert!(e.message.contains("data minimisation"));
        assert!(rules.allowed(Service, None).is_empty());
    }

    #[test]
    fn sharing_rules_must_cover_every_service() {
        let e =
            SharingRules::from_toml("transfer = [\"sex\"]\n[services]\nsafe_accommodation = [\"sex\"]\n").unwrap_err();
        assert!(e.field.starts_with("services."), "{e}");
        let e = SharingRules::from_toml(&DEFAULT_SHARING.replace("\"sex\"", "\"shoe_size\"")).unwrap_err();
        assert!(e.message.contains("shoe_size"), "{e}");
    }
}
