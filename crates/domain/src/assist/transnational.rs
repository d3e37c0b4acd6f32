//! The transnational referral of a victim to another country's national focal point
//! (Dir 2011/36 Art 11(4) as amended by Dir 2024/1712; CETS 197 Art 16, 32 and 33), as the
//! platform's records hold it; the wire format is `haven_exchange::messages::referral`.
//!
//! - **States.** A caseworker drafts and submits the referral to the focal point of its country,
//!   who sends it (or returns it to the draft); the receiving focal point accepts or declines it,
//!   assigns a support organisation of its country and reports back: arrived safely, support
//!   started, follow-up due, closed. The sending side mirrors each update it receives
//!   ([`check_transition`], [`Desk`]).
//! - **Basis for sharing** ([`check_referral`]): an adult's informed consent; for a child or a
//!   presumed child the best-interests determination, which must find the referral in the
//!   child's best interests, and the guardian's view (Dir 2011/36 Art 13(1), 14(2)); without
//!   either only to warn of a victim at risk (CETS 197 Art 33(1)). A person whose age is neither
//!   known nor presumed is not referred.
//! - **Return** ([`check_referral`]): a return needs the return risk assessment (CETS 197
//!   Art 16(2)); a child is returned only on a determination favouring it and never while the
//!   assessed risk is severe (CETS 197 Art 16(7)): the safe-return rules' own assessment and risk
//!   levels ([`super::safe_return`]).
//! - **Fields shared** ([`FieldChoice`]): by default the minimum the purpose needs; each field
//!   beyond it is added one by one and is shown as added.

use serde::{Deserialize, Serialize};

use super::safe_return::{ReturnRiskAssessment, RiskLevel};
use crate::{
    Coded, Message, MessageId, ParseError,
    case::CalendarDate,
    coded_enum,
    ident::record::{ChildStatus, parse_language},
    text::{Narrative, parse_line},
};

coded_enum! {
    /// Why the person is referred (the `referral` message's `purpose`).
    pub enum Purpose {
        /// Return to the receiving country and reintegration there (CETS 197 Art 16).
        ReturnAndReintegration => "return_and_reintegration",
        /// Support continued in the receiving country.
        OnwardSupport => "onward_support",
        /// Identified here, exploited there (CETS 197 Art 32).
        IdentifiedHereExploitedThere => "identified_here_exploited_there",
        /// A request for information, or family tracing.
        InformationRequest => "information_request",
        /// A victim, witness or family member in danger (CETS 197 Art 33(1)).
        VictimAtRisk => "victim_at_risk",
    }
}

coded_enum! {
    /// A field of the person that can be shared (the `referral` message's `shared_fields`).
    pub enum SharedField {
        GivenNames => "given_names",
        FamilyName => "family_name",
        DateOfBirth => "date_of_birth",
        YearOfBirth => "year_of_birth",
        Sex => "sex",
        Nationalities => "nationalities",
        Languages => "languages",
        IdentityDocuments => "identity_documents",
        CurrentLocation => "current_location",
        Contact => "contact",
    }
}

impl SharedField {
    /// The fields a purpose needs at least: the default selection, the same as the exchange's
    /// `PersonField::minimum_for` (a test of the application checks that they agree).
    pub fn minimum_for(purpose: Purpose) -> &'static [SharedField] {
        use SharedField::*;
        match purpose {
            Purpose::ReturnAndReintegration => {
                &[GivenNames, FamilyName, DateOfBirth, Nationalities, Languages, IdentityDocuments]
            }
            Purpose::OnwardSupport => &[GivenNames, FamilyName, DateOfBirth, Languages],
            Purpose::IdentifiedHereExploitedThere => &[Sex, YearOfBirth],
            Purpose::InformationRequest | Purpose::VictimAtRisk => &[],
        }
    }
}

/// The fields a referral shares: the purpose's minimum, and each field added beyond it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChoice {
    purpose: Purpose,
    added: Vec<SharedField>,
}

impl FieldChoice {
    /// The default: the minimum for `purpose`, nothing added.
    pub fn minimum(purpose: Purpose) -> Self {
        Self { purpose, added: Vec::new() }
    }

    /// The minimum for `purpose` and the fields in `added` (those already in the minimum, and
    /// repetitions, count once). A date of birth and a year of birth are never both shared.
    pub fn with_added(purpose: Purpose, added: &[SharedField]) -> Result<Self, ParseError> {
        let minimum = SharedField::minimum_for(purpose);
        let mut list: Vec<SharedField> = Vec::new();
        for field in added {
            if !minimum.contains(field) && !list.contains(field) {
                list.push(*field);
            }
        }
        list.sort();
        let choice = Self { purpose, added: list };
        let fields = choice.fields();
        if fields.contains(&SharedField::DateOfBirth) && fields.contains(&SharedField::YearOfBirth) {
            return Err(ParseError::new("shared_fields", "share a date of birth or a year of birth, not both"));
        }
        Ok(choice)
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// Every field shared, in the order of [`SharedField`].
    pub fn fields(&self) -> Vec<SharedField> {
        let mut all: Vec<SharedField> = SharedField::minimum_for(self.purpose).to_vec();
        all.extend(self.added.iter().copied());
        all.sort();
        all.dedup();
        all
    }

    /// The fields added beyond the minimum, each chosen explicitly.
    pub fn added(&self) -> &[SharedField] {
        &self.added
    }

    /// Whether `field` is shared only because it was added.
    pub fn is_added(&self, field: SharedField) -> bool {
        self.added.contains(&field)
    }
}

coded_enum! {
    /// The guardian's or representative's view of a child's referral (Dir 2011/36 Art 14(2)).
    pub enum GuardianView {
        Agrees => "agrees",
        Disagrees => "disagrees",
    }
}

/// The basis on which the person's data are shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SharingBasis {
    /// An adult's informed consent.
    Consent {
        given_on: CalendarDate,
        /// The language the person was informed in (ISO 639).
        informed_in: String,
        /// Who informed the person (a function is enough).
        informed_by: String,
    },
    /// For a child or presumed child: the best-interests determination and the guardian's view
    /// (Dir 2011/36 Art 13(1), 14(2)).
    BestInterests {
        decided_on: CalendarDate,
        decided_by: String,
        /// The determination finds the referral (for a return: the return) in the child's best
        /// interests.
        in_best_interests: bool,
        summary: Narrative,
        guardian_role: String,
        guardian_view: GuardianView,
        guardian_statement: Option<Narrative>,
    },
    /// Only to warn of a victim at risk when consent cannot be asked in time (CETS 197 Art 33(1)).
    VitalInterests { justification: Narrative },
}

coded_enum! {
    pub enum BasisKind {
        Consent => "consent",
        BestInterests => "best_interests",
        VitalInterests => "vital_interests",
    }
}

/// The form fields of a [`SharingBasis`], as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasisInput {
    /// A [`BasisKind`] code.
    pub kind: String,
    pub given_on: String,
    pub informed_in: String,
    pub informed_by: String,
    pub decided_on: String,
    pub decided_by: String,
    /// yes/no
    pub in_best_interests: String,
    pub summary: String,
    pub guardian_role: String,
    /// A [`GuardianView`] code.
    pub guardian_view: String,
    pub guardian_statement: String,
    pub justification: String,
}

fn past_date(field: &str, value: &str, today: CalendarDate) -> Result<CalendarDate, ParseError> {
    let date = CalendarDate::parse(field, value)?;
    if date > today {
        return Err(ParseError::in_future(field, date, today));
    }
    Ok(date)
}

fn flag(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        "" => Err(ParseError::yes_or_no(field)),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

impl SharingBasis {
    /// Parses a basis recorded no later than `today`; the error names the field (`basis.kind`,
    /// `basis.given_on`, ...).
    pub fn parse(input: &BasisInput, today: CalendarDate) -> Result<Self, ParseError> {
        let f = |name: &str| format!("basis.{name}");
        Ok(match BasisKind::parse_code(&f("kind"), input.kind.trim())? {
            BasisKind::Consent => SharingBasis::Consent {
                given_on: past_date(&f("given_on"), &input.given_on, today)?,
                informed_in: parse_language(&f("informed_in"), &input.informed_in)?,
                informed_by: parse_line(&f("informed_by"), &input.informed_by, 200)?,
            },
            BasisKind::BestInterests => SharingBasis::BestInterests {
                decided_on: past_date(&f("decided_on"), &input.decided_on, today)?,
                decided_by: parse_line(&f("decided_by"), &input.decided_by, 200)?,
                in_best_interests: flag(&f("in_best_interests"), &input.in_best_interests)?,
                summary: Narrative::parse(&f("summary"), &input.summary)?,
                guardian_role: parse_line(&f("guardian_role"), &input.guardian_role, 200)?,
                guardian_view: GuardianView::parse_code(&f("guardian_view"), input.guardian_view.trim())?,
                guardian_statement: match input.guardian_statement.trim() {
                    "" => None,
                    v => Some(Narrative::parse(&f("guardian_statement"), v)?),
                },
            },
            BasisKind::VitalInterests => SharingBasis::VitalInterests {
                justification: Narrative::parse(&f("justification"), &input.justification)?,
            },
        })
    }

    pub fn kind(&self) -> BasisKind {
        match self {
            SharingBasis::Consent { .. } => BasisKind::Consent,
            SharingBasis::BestInterests { .. } => BasisKind::BestInterests,
            SharingBasis::VitalInterests { .. } => BasisKind::VitalInterests,
        }
    }

    /// The day the basis was given or decided, when it has one.
    pub fn dated(&self) -> Option<CalendarDate> {
        match self {
            SharingBasis::Consent { given_on, .. } => Some(*given_on),
            SharingBasis::BestInterests { decided_on, .. } => Some(*decided_on),
            SharingBasis::VitalInterests { .. } => None,
        }
    }
}

/// What the rules of a referral look at, before it is submitted and again before it is sent.
#[derive(Debug, Clone, Copy)]
pub struct ReferralCheck<'a> {
    pub purpose: Purpose,
    /// The person's age as the case holds it on `on`.
    pub child_status: ChildStatus,
    pub basis: Option<&'a SharingBasis>,
    pub return_risk_assessment: Option<&'a ReturnRiskAssessment>,
    /// The day of the step (submitting, sending).
    pub on: CalendarDate,
}

/// Whether a referral may go forward (be submitted, be sent) on `check.on`. The error names the
/// field at fault: `child_status`, `basis`, `basis.in_best_interests` or `return_risk_assessment`.
pub fn check_referral(check: &ReferralCheck<'_>) -> Result<(), ParseError> {
    let child = match check.child_status {
        ChildStatus::Unknown => {
            return Err(ParseError::said(
                "child_status",
                "the person's age must be known or presumed before a transnational referral",
                Message::new(MessageId::TransnationalAgeUnknown),
            ));
        }
        status => status.is_child(),
    };
    check_basis(check, child)?;
    check_return(check, child)
}

fn check_basis(check: &ReferralCheck<'_>, child: bool) -> Result<(), ParseError> {
    let Some(basis) = check.basis else {
        return Err(ParseError::said(
            "basis",
            "record the basis for sharing first",
            Message::new(MessageId::TransnationalNoBasis),
        ));
    };
    if let Some(dated) = basis.dated()
        && dated > check.on
    {
        return Err(ParseError::said(
            "basis",
            format!("the basis of {dated} comes after {}; it must come first", check.on),
            Message::new(MessageId::TransnationalBasisComesAfter).with("given", dated).with("on", check.on),
        ));
    }
    match (basis, child) {
        // CETS 197 Art 33(1): a warning may not wait for a consent that cannot be asked in time.
        (SharingBasis::VitalInterests { .. }, _) if check.purpose == Purpose::VictimAtRisk => Ok(()),
        (SharingBasis::VitalInterests { .. }, _) => Err(ParseError::said(
            "basis",
            "sharing without consent or a best-interests determination is only for a victim at risk (CETS 197 \
             Art 33(1))",
            Message::new(MessageId::TransnationalVitalInterestsOnlyAtRisk),
        )),
        (SharingBasis::Consent { .. }, false) => Ok(()),
        (SharingBasis::Consent { .. }, true) => Err(ParseError::said(
            "basis",
            "for a child or presumed child the basis is the best-interests determination and the guardian's view \
             (Dir 2011/36 Art 13(1), 14(2))",
            Message::new(MessageId::TransnationalChildNeedsBestInterests),
        )),
        (SharingBasis::BestInterests { .. }, false) => Err(ParseError::said(
            "basis",
            "an adult's data are shared on the adult's informed consent",
            Message::new(MessageId::TransnationalAdultNeedsConsent),
        )),
        (SharingBasis::BestInterests { in_best_interests, .. }, true) => {
            if *in_best_interests {
                Ok(())
            } else if check.purpose == Purpose::ReturnAndReintegration {
                Err(ParseError::said(
                    "basis.in_best_interests",
                    "the best-interests determination does not find return in the child's best interests: the \
                     child is not returned (CETS 197 Art 16(7))",
                    Message::new(MessageId::DeterminationAgainstReturn),
                ))
            } else {
                Err(ParseError::said(
                    "basis.in_best_interests",
                    "the best-interests determination does not find the referral in the child's best interests",
                    Message::new(MessageId::TransnationalNotInBestInterests),
                ))
            }
        }
    }
}

fn check_return(check: &ReferralCheck<'_>, child: bool) -> Result<(), ParseError> {
    let is_return = check.purpose == Purpose::ReturnAndReintegration;
    match (check.return_risk_assessment, is_return) {
        (None, false) => Ok(()),
        (Some(_), false) => Err(ParseError::said(
            "return_risk_assessment",
            "only a return carries a return risk assessment",
            Message::new(MessageId::TransnationalAssessmentOnlyForReturn),
        )),
        (None, true) => Err(ParseError::said(
            "return_risk_assessment",
            "a return needs a risk assessment first (CETS 197 Art 16(2))",
            Message::new(MessageId::ReturnNeedsRiskAssessment),
        )),
        (Some(assessment), true) if assessment.assessed_on > check.on => Err(ParseError::said(
            "return_risk_assessment",
            "a return needs a risk assessment first (CETS 197 Art 16(2))",
            Message::new(MessageId::ReturnNeedsRiskAssessment),
        )),
        (Some(assessment), true) if child && assessment.overall_risk() == RiskLevel::Severe => Err(ParseError::said(
            "return_risk_assessment",
            format!(
                "the risk assessment of {} finds a severe risk: a child is not returned (CETS 197 Art 16(7))",
                assessment.assessed_on
            ),
            Message::new(MessageId::SevereRiskChildNotReturned).with("date", assessment.assessed_on),
        )),
        (Some(_), true) => Ok(()),
    }
}

coded_enum! {
    /// Where a transnational referral stands. The sending side holds the states from draft to
    /// sent and mirrors the receiver's updates; the receiving side starts at received.
    pub enum TransnationalState {
        /// Prepared by the caseworker.
        Draft => "draft",
        /// Submitted to the focal point for review.
        Submitted => "submitted",
        /// Sent by the focal point to the receiving country's focal point.
        Sent => "sent",
        /// Received by the receiving focal point, awaiting its review.
        Received => "received",
        Accepted => "accepted",
        Declined => "declined",
        /// A support organisation of the receiving country takes the person.
        OrganisationAssigned => "organisation_assigned",
        ArrivedSafely => "arrived_safely",
        SupportStarted => "support_started",
        FollowUpDue => "follow_up_due",
        Closed => "closed",
    }
}

impl TransnationalState {
    /// No further change.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Declined | Self::Closed)
    }

    /// A state the receiving side reports back with a `referral_update`.
    pub fn is_update(self) -> bool {
        matches!(
            self,
            Self::Accepted
                | Self::Declined
                | Self::OrganisationAssigned
                | Self::ArrivedSafely
                | Self::SupportStarted
                | Self::FollowUpDue
                | Self::Closed
        )
    }
}

coded_enum! {
    /// Who makes a change.
    pub enum Desk {
        /// The caseworker (or supervisor) of the case's organisation.
        Caseworker => "caseworker",
        /// The focal point of the sending country.
        SendingFocalPoint => "sending_focal_point",
        /// The focal point of the receiving country (on the sending side: its updates).
        ReceivingFocalPoint => "receiving_focal_point",
    }
}

/// The states a referral may go to from `from`, and who moves it there.
pub fn next_states(from: TransnationalState) -> &'static [(TransnationalState, Desk)] {
    use Desk::*;
    use TransnationalState::*;
    match from {
        Draft => &[(Submitted, Caseworker), (Closed, Caseworker)],
        Submitted => &[(Sent, SendingFocalPoint), (Draft, SendingFocalPoint), (Closed, SendingFocalPoint)],
        Sent => &[(Received, ReceivingFocalPoint), (Accepted, ReceivingFocalPoint), (Declined, ReceivingFocalPoint)],
        Received => &[(Accepted, ReceivingFocalPoint), (Declined, ReceivingFocalPoint)],
        Accepted => &[(OrganisationAssigned, ReceivingFocalPoint), (Closed, ReceivingFocalPoint)],
        OrganisationAssigned => &[
            (ArrivedSafely, ReceivingFocalPoint),
            (SupportStarted, ReceivingFocalPoint),
            (FollowUpDue, ReceivingFocalPoint),
            (Closed, ReceivingFocalPoint),
        ],
        ArrivedSafely => {
            &[(SupportStarted, ReceivingFocalPoint), (FollowUpDue, ReceivingFocalPoint), (Closed, ReceivingFocalPoint)]
        }
        SupportStarted => &[(FollowUpDue, ReceivingFocalPoint), (Closed, ReceivingFocalPoint)],
        FollowUpDue => &[(SupportStarted, ReceivingFocalPoint), (Closed, ReceivingFocalPoint)],
        Declined | Closed => &[],
    }
}

/// Whether `desk` may move a referral from `from` to `to`. The error names `status`.
pub fn check_transition(from: TransnationalState, to: TransnationalState, desk: Desk) -> Result<(), ParseError> {
    let Some((_, expected)) = next_states(from).iter().find(|(state, _)| *state == to) else {
        return Err(ParseError::said(
            "status",
            format!("a transnational referral cannot go from {from} to {to}"),
            Message::new(MessageId::TransnationalCannotChange).labels("from", "tnr-state", [from.code()]).labels(
                "to",
                "tnr-state",
                [to.code()],
            ),
        ));
    };
    if *expected != desk {
        return Err(ParseError::said(
            "status",
            format!("only the {expected} may make this change"),
            Message::new(MessageId::TransnationalWrongDesk).labels("desk", "tnr-desk", [expected.code()]),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::safe_return::{FamilySafety, ServiceAvailability};
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn consent() -> SharingBasis {
        SharingBasis::Consent {
            given_on: day("2026-11-02"),
            informed_in: "lv".into(),
            informed_by: "caseworker".into(),
        }
    }

    fn best_interests(yes: bool) -> SharingBasis {
        SharingBasis::BestInterests {
            decided_on: day("2026-11-03"),
            decided_by: "Orphan's court".into(),
            in_best_interests: yes,
            summary: Narrative::parse("s", "Family traced and safe.").unwrap(),
            guardian_role: "guardian".into(),
            guardian_view: GuardianView::Agrees,
            guardian_statement: None,
        }
    }

    fn vital() -> SharingBasis {
        SharingBasis::VitalInterests { justification: Narrative::parse("j", "Threats this week.").unwrap() }
    }

    fn assessment(risk: RiskLevel) -> ReturnRiskAssessment {
        ReturnRiskAssessment {
            assessed_on: day("2026-11-04"),
            re_trafficking_risk: risk,
            reprisal_risk: RiskLevel::Low,
            family_situation: FamilySafety::Safe,
            support_services: ServiceAvailability::Available,
            documents_ready: true,
            notes: None,
        }
    }

    fn check<'a>(
        purpose: Purpose,
        child_status: ChildStatus,
        basis: Option<&'a SharingBasis>,
        return_risk_assessment: Option<&'a ReturnRiskAssessment>,
    ) -> Result<(), String> {
        check_referral(&ReferralCheck { purpose, child_status, basis, return_risk_assessment, on: day("2026-11-10") })
            .map_err(|e| e.field)
    }

    #[test]
    fn art_13_1_and_14_2_dir_a_child_is_referred_on_a_best_interests_determination_and_the_guardians_view() {
        let p = Purpose::OnwardSupport;
        for status in [ChildStatus::Child, ChildStatus::PresumedChild] {
            assert_eq!(check(p, status, Some(&consent()), None), Err("basis".into()), "{status}");
            assert_eq!(check(p, status, Some(&best_interests(true)), None), Ok(()), "{status}");
            assert_eq!(
                check(p, status, Some(&best_interests(false)), None),
                Err("basis.in_best_interests".into()),
                "{status}"
            );
        }
        // An adult on consent, never on a determination made for a child.
        assert_eq!(check(p, ChildStatus::Adult, Some(&consent()), None), Ok(()));
        assert_eq!(check(p, ChildStatus::Adult, Some(&best_interests(true)), None), Err("basis".into()));
        assert_eq!(check(p, ChildStatus::Adult, None, None), Err("basis".into()));
        // The age known or presumed first.
        assert_eq!(check(p, ChildStatus::Unknown, Some(&consent()), None), Err("child_status".into()));
    }

    #[test]
    fn art_33_1_cets_vital_interests_only_to_warn_of_a_victim_at_risk() {
        for purpose in Purpose::ALL {
            let expected = if *purpose == Purpose::VictimAtRisk { Ok(()) } else { Err("basis".to_owned()) };
            let assessment = assessment(RiskLevel::Low);
            let ra = (*purpose == Purpose::ReturnAndReintegration).then_some(&assessment);
            for status in [ChildStatus::Adult, ChildStatus::Child] {
                assert_eq!(check(*purpose, status, Some(&vital()), ra), expected, "{purpose} {status}");
            }
        }
    }

    #[test]
    fn art_16_2_cets_a_return_needs_the_return_risk_assessment_and_only_a_return_carries_one() {
        let r = Purpose::ReturnAndReintegration;
        let low = assessment(RiskLevel::Low);
        assert_eq!(check(r, ChildStatus::Adult, Some(&consent()), None), Err("return_risk_assessment".into()));
        assert_eq!(check(r, ChildStatus::Adult, Some(&consent()), Some(&low)), Ok(()));
        assert_eq!(
            check(Purpose::OnwardSupport, ChildStatus::Adult, Some(&consent()), Some(&low)),
            Err("return_risk_assessment".into())
        );
        // An assessment made after the step does not count.
        let later = ReturnRiskAssessment { assessed_on: day("2026-11-20"), ..low };
        assert_eq!(check(r, ChildStatus::Adult, Some(&consent()), Some(&later)), Err("return_risk_assessment".into()));
    }

    #[test]
    fn art_16_7_cets_a_child_is_never_returned_while_the_risk_is_severe_nor_without_a_favourable_determination() {
        let r = Purpose::ReturnAndReintegration;
        let table = [
            (RiskLevel::Low, true, Ok(())),
            (RiskLevel::High, true, Ok(())),
            (RiskLevel::Severe, true, Err("return_risk_assessment")),
            (RiskLevel::Low, false, Err("basis.in_best_interests")),
            (RiskLevel::Severe, false, Err("basis.in_best_interests")),
        ];
        for (risk, favours, expected) in table {
            let a = assessment(risk);
            let basis = best_interests(favours);
            for status in [ChildStatus::Child, ChildStatus::PresumedChild] {
                assert_eq!(
                    check(r, status, Some(&basis), Some(&a)),
                    expected.map_err(str::to_owned),
                    "{risk} {favours} {status}"
                );
            }
        }
        // For an adult the assessment informs the person's own decision and does not block it.
        let severe = assessment(RiskLevel::Severe);
        assert_eq!(check(r, ChildStatus::Adult, Some(&consent()), Some(&severe)), Ok(()));
        // The reprisal risk counts as much as the risk of re-trafficking.
        let reprisal = ReturnRiskAssessment { reprisal_risk: RiskLevel::Severe, ..assessment(RiskLevel::Low) };
        assert_eq!(
            check(r, ChildStatus::Child, Some(&best_interests(true)), Some(&reprisal)),
            Err("return_risk_assessment".into())
        );
    }

    #[test]
    fn a_basis_given_after_the_step_does_not_count() {
        let late = SharingBasis::Consent {
            given_on: day("2026-11-11"),
            informed_in: "lv".into(),
            informed_by: "caseworker".into(),
        };
        assert_eq!(check(Purpose::OnwardSupport, ChildStatus::Adult, Some(&late), None), Err("basis".into()));
    }

    #[test]
    fn the_basis_parses_naming_the_field() {
        let today = day("2026-11-10");
        let input = BasisInput {
            kind: "consent".into(),
            given_on: "2026-11-02".into(),
            informed_in: "lv".into(),
            informed_by: "caseworker".into(),
            ..BasisInput::default()
        };
        assert_eq!(SharingBasis::parse(&input, today).unwrap(), consent());
        let field = |input: BasisInput| SharingBasis::parse(&input, today).unwrap_err().field;
        assert_eq!(field(BasisInput { kind: "hope".into(), ..input.clone() }), "basis.kind");
        assert_eq!(field(BasisInput { given_on: "2026-11-12".into(), ..input.clone() }), "basis.given_on");
        assert_eq!(field(BasisInput { informed_in: "latvian".into(), ..input.clone() }), "basis.informed_in");
        let child = BasisInput {
            kind: "best_interests".into(),
            decided_on: "2026-11-03".into(),
            decided_by: "Orphan's court".into(),
            in_best_interests: "yes".into(),
            summary: "Family traced and safe.".into(),
            guardian_role: "guardian".into(),
            guardian_view: "agrees".into(),
            ..BasisInput::default()
        };
        assert_eq!(SharingBasis::parse(&child, today).unwrap(), best_interests(true));
        assert_eq!(field(BasisInput { guardian_view: "".into(), ..child.clone() }), "basis.guardian_view");
        assert_eq!(field(BasisInput { in_best_interests: "".into(), ..child }), "basis.in_best_interests");
    }

    #[test]
    fn the_fields_shared_are_the_minimum_and_each_field_added() {
        let choice = FieldChoice::minimum(Purpose::OnwardSupport);
        assert_eq!(
            choice.fields(),
            vec![SharedField::GivenNames, SharedField::FamilyName, SharedField::DateOfBirth, SharedField::Languages]
        );
        assert!(choice.added().is_empty());
        let more =
            FieldChoice::with_added(Purpose::OnwardSupport, &[SharedField::Contact, SharedField::GivenNames]).unwrap();
        assert_eq!(more.added(), &[SharedField::Contact]);
        assert!(more.is_added(SharedField::Contact) && !more.is_added(SharedField::GivenNames));
        assert!(more.fields().contains(&SharedField::Contact));
        assert!(FieldChoice::minimum(Purpose::VictimAtRisk).fields().is_empty());
        assert_eq!(
            FieldChoice::with_added(Purpose::OnwardSupport, &[SharedField::YearOfBirth]).unwrap_err().field,
            "shared_fields"
        );
    }

    #[test]
    fn the_states_follow_the_table_and_each_change_has_its_desk() {
        use Desk::*;
        use TransnationalState::*;
        assert!(check_transition(Draft, Submitted, Caseworker).is_ok());
        assert!(check_transition(Draft, Submitted, SendingFocalPoint).is_err());
        assert!(check_transition(Submitted, Sent, SendingFocalPoint).is_ok());
        assert!(check_transition(Submitted, Sent, Caseworker).is_err());
        assert!(check_transition(Draft, Sent, SendingFocalPoint).is_err());
        assert!(check_transition(Received, Accepted, ReceivingFocalPoint).is_ok());
        assert!(check_transition(Received, OrganisationAssigned, ReceivingFocalPoint).is_err());
        assert!(check_transition(Accepted, OrganisationAssigned, ReceivingFocalPoint).is_ok());
        assert!(check_transition(OrganisationAssigned, ArrivedSafely, ReceivingFocalPoint).is_ok());
        for state in [Declined, Closed] {
            assert!(state.is_final() && next_states(state).is_empty());
        }
    }

    fn state() -> impl Strategy<Value = TransnationalState> {
        prop::sample::select(TransnationalState::ALL.to_vec())
    }

    fn desk() -> impl Strategy<Value = Desk> {
        prop::sample::select(Desk::ALL.to_vec())
    }

    proptest! {
        /// Art 11(4) Dir 2011/36: only the focal points move a referral across the border, and
        /// nothing leaves a final state.
        #[test]
        fn art_11_4_dir_only_a_focal_point_sends_and_answers(from in state(), to in state(), by in desk()) {
            let allowed = check_transition(from, to, by).is_ok();
            if allowed {
                prop_assert!(!from.is_final());
                if to == TransnationalState::Sent {
                    prop_assert_eq!(by, Desk::SendingFocalPoint);
                }
                // Once sent, only the receiving side moves it (the sender's record mirrors its
                // updates); before, a withdrawal closes it on the sending side.
                let before_sending = matches!(from, TransnationalState::Draft | TransnationalState::Submitted);
                if to.is_update() && !before_sending {
                    prop_assert_eq!(by, Desk::ReceivingFocalPoint);
                }
                if before_sending {
                    prop_assert!(by != Desk::ReceivingFocalPoint);
                }
                if by == Desk::Caseworker {
                    prop_assert_eq!(from, TransnationalState::Draft);
                }
            }
        }
    }
}
