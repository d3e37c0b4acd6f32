//! The status of a case in the national referral mechanism (NRM), derived by folding an
//! append-only list of immutable decisions under the case's identification procedure.
//!
//! The procedure is national data ([`crate::ident::procedure`]): one decision, or two (a first
//! decision, for example the United Kingdom's reasonable grounds, then a final one). Whatever the
//! procedure, the engine keeps the same states: referred, presumed victim (after a positive first
//! decision), identified or not identified (the final decision), a negative first decision,
//! reconsiderations (where the procedure allows them) and withdrawal. A recorded decision is never
//! edited: a mistake is put right by a later decision that names the one it corrects.
//!
//! Assistance starts at the referral: the registration a first responder refers is the
//! reasonable-grounds indication of Dir 2011/36 Art 11(2), whatever decision follows, and nothing
//! in this module takes cooperation with the authorities as an input (Dir 2011/36 Art 11(3);
//! CETS 197 Art 12(6)).

use crate::ident::procedure::{PresumedFrom, Shape};
use crate::message::{Message, MessageId};
use crate::{ParseError, case::CalendarDate, coded_enum, text::Narrative};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a case stands in the national referral mechanism.
    pub enum NrmStatus {
        /// Referred; awaiting the first decision of the procedure (the only one in a one-decision
        /// procedure).
        Referred => "referred",
        /// Positive first decision of a two-decision procedure: awaiting the final decision.
        PresumedVictim => "presumed_victim",
        /// Negative first decision.
        NegativeFirstDecision => "first_decision_negative",
        /// Positive final decision: the person is identified as a victim. Final.
        IdentifiedVictim => "identified_victim",
        /// Negative final decision.
        NotIdentified => "not_identified",
        /// A reconsideration of the negative first decision has been requested.
        FirstReconsideration => "first_decision_reconsideration",
        /// A reconsideration of the negative final decision has been requested.
        FinalReconsideration => "final_decision_reconsideration",
        /// The referral was withdrawn. Final.
        Withdrawn => "withdrawn",
    }
    legacy {
        "rg_negative" => NegativeFirstDecision,
        "not_a_victim" => NotIdentified,
        "rg_reconsideration" => FirstReconsideration,
        "cg_reconsideration" => FinalReconsideration,
    }
}

impl NrmStatus {
    /// How the status reads at the end of "the case is …".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Referred => "referred",
            Self::PresumedVictim => "a presumed victim (positive first decision)",
            Self::NegativeFirstDecision => "closed with a negative first decision",
            Self::IdentifiedVictim => "an identified victim (positive final decision)",
            Self::NotIdentified => "closed with a negative final decision",
            Self::FirstReconsideration => "awaiting reconsideration of a negative first decision",
            Self::FinalReconsideration => "awaiting reconsideration of a negative final decision",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// No decision can follow, only a correction of the latest one.
    pub fn is_final(self, shape: Shape) -> bool {
        allowed_next(self, shape).is_empty()
    }
}

coded_enum! {
    /// The kind of a decision recorded on a case.
    pub enum DecisionKind {
        /// Positive first decision (two-decision procedures).
        FirstPositive => "first_decision_positive",
        FirstNegative => "first_decision_negative",
        /// Positive final decision: the person is identified.
        FinalPositive => "final_decision_positive",
        FinalNegative => "final_decision_negative",
        /// A first responder or support provider asks for a negative decision to be reconsidered.
        ReconsiderationRequested => "reconsideration_requested",
        /// The reconsidered negative decision stands.
        ReconsiderationUpheld => "reconsideration_upheld",
        /// The reconsidered negative decision is replaced by a positive one.
        ReconsiderationOverturned => "reconsideration_overturned",
        /// The referral is withdrawn.
        Withdrawal => "withdrawal",
    }
    legacy {
        "reasonable_grounds_positive" => FirstPositive,
        "reasonable_grounds_negative" => FirstNegative,
        "conclusive_grounds_positive" => FinalPositive,
        "conclusive_grounds_negative" => FinalNegative,
    }
}

impl DecisionKind {
    /// A readable name ("a negative first decision").
    pub fn label(self) -> &'static str {
        match self {
            Self::FirstPositive => "a positive first decision",
            Self::FirstNegative => "a negative first decision",
            Self::FinalPositive => "a positive final decision",
            Self::FinalNegative => "a negative final decision",
            Self::ReconsiderationRequested => "a reconsideration request",
            Self::ReconsiderationUpheld => "a reconsideration decision upholding the earlier decision",
            Self::ReconsiderationOverturned => "a reconsideration decision overturning the earlier decision",
            Self::Withdrawal => "a withdrawal",
        }
    }

    /// Negative decisions, final decisions, the outcome of a reconsideration (it answers a
    /// reasoned request against a reasoned decision) and withdrawals must state their reasons.
    /// Corrections always must too (see [`Decision::needs_reasons`]).
    pub fn requires_reasons(self) -> bool {
        !matches!(self, Self::FirstPositive | Self::ReconsiderationRequested)
    }

    /// The stage a decision of this kind belongs to, and whether it is positive; `None` for
    /// reconsideration requests and withdrawals, which are no stage's decision. An outcome of a
    /// reconsideration belongs to the stage reconsidered (see [`CaseStatus::stage_of_next`]).
    pub fn stage(self) -> Option<(crate::ident::procedure::StagePlace, bool)> {
        use crate::ident::procedure::StagePlace::{Final, First};
        match self {
            Self::FirstPositive => Some((First, true)),
            Self::FirstNegative => Some((First, false)),
            Self::FinalPositive => Some((Final, true)),
            Self::FinalNegative => Some((Final, false)),
            _ => None,
        }
    }
}

/// The decision kinds that may follow `status` under a procedure of `shape`. Final statuses allow
/// none (only corrections).
pub fn allowed_next(status: NrmStatus, shape: Shape) -> &'static [DecisionKind] {
    use DecisionKind::*;
    match status {
        NrmStatus::Referred if shape.two_stage => &[FirstPositive, FirstNegative, Withdrawal],
        NrmStatus::Referred | NrmStatus::PresumedVictim => &[FinalPositive, FinalNegative, Withdrawal],
        NrmStatus::NegativeFirstDecision if shape.first_reconsideration => &[ReconsiderationRequested],
        NrmStatus::NotIdentified if shape.final_reconsideration => &[ReconsiderationRequested],
        NrmStatus::FirstReconsideration | NrmStatus::FinalReconsideration => {
            &[ReconsiderationUpheld, ReconsiderationOverturned]
        }
        NrmStatus::NegativeFirstDecision
        | NrmStatus::NotIdentified
        | NrmStatus::IdentifiedVictim
        | NrmStatus::Withdrawn => &[],
    }
}

/// The status a decision of `kind` leads to from `status` under a procedure of `shape`, or `None`
/// when it may not follow.
pub fn transition(status: NrmStatus, kind: DecisionKind, shape: Shape) -> Option<NrmStatus> {
    use DecisionKind::*;
    use NrmStatus::*;
    if !allowed_next(status, shape).contains(&kind) {
        return None;
    }
    let to = match (status, kind) {
        (Referred, FirstPositive) => PresumedVictim,
        (Referred, FirstNegative) => NegativeFirstDecision,
        (Referred | PresumedVictim, Withdrawal) => Withdrawn,
        (Referred | PresumedVictim, FinalPositive) => IdentifiedVictim,
        (Referred | PresumedVictim, FinalNegative) => NotIdentified,
        (NegativeFirstDecision, ReconsiderationRequested) => FirstReconsideration,
        (FirstReconsideration, ReconsiderationUpheld) => NegativeFirstDecision,
        (FirstReconsideration, ReconsiderationOverturned) => PresumedVictim,
        (NotIdentified, ReconsiderationRequested) => FinalReconsideration,
        (FinalReconsideration, ReconsiderationUpheld) => NotIdentified,
        (FinalReconsideration, ReconsiderationOverturned) => IdentifiedVictim,
        _ => return None,
    };
    Some(to)
}

/// Why `kind` may not follow `status`, in words for the person recording it.
fn refusal(status: NrmStatus, kind: DecisionKind, shape: Shape) -> (MessageId, &'static str) {
    use DecisionKind::*;
    use NrmStatus::*;
    match (status, kind) {
        (IdentifiedVictim, _) => (
            MessageId::RefusalFinalPositiveIsFinal,
            "a positive final decision is final; only a correction of it can follow",
        ),
        (Withdrawn, _) => (
            MessageId::RefusalWithdrawnIsFinal,
            "a withdrawn referral is final; only a correction of the withdrawal can follow",
        ),
        (_, FirstPositive | FirstNegative) if !shape.two_stage => {
            (MessageId::RefusalOneDecisionOnly, "this procedure has one decision only: record the final decision")
        }
        (NegativeFirstDecision, FirstPositive | FirstNegative) => (
            MessageId::RefusalFirstDecisionMade,
            "the first decision has been made; it can change only through reconsideration or a correction",
        ),
        (FirstReconsideration, FirstPositive | FirstNegative) => (
            MessageId::RefusalFirstDecisionReconsidered,
            "the first decision is being reconsidered; record the outcome of the reconsideration instead",
        ),
        (_, FirstPositive | FirstNegative) => {
            (MessageId::RefusalFirstDecisionAlreadyMade, "the first decision has already been made")
        }
        (Referred | NegativeFirstDecision | FirstReconsideration, FinalPositive | FinalNegative) => {
            (MessageId::RefusalFinalNeedsFirst, "a final decision needs a positive first decision first")
        }
        (FinalReconsideration, FinalPositive | FinalNegative) => (
            MessageId::RefusalFinalDecisionReconsidered,
            "the final decision is being reconsidered; record the outcome of the reconsideration instead",
        ),
        (_, FinalPositive | FinalNegative) => (
            MessageId::RefusalFinalDecisionMade,
            "the final decision has been made; it can change only through reconsideration or a correction",
        ),
        (FirstReconsideration | FinalReconsideration, ReconsiderationRequested) => {
            (MessageId::RefusalReconsiderationPending, "a reconsideration request is already pending")
        }
        (NegativeFirstDecision | NotIdentified, ReconsiderationRequested) => (
            MessageId::RefusalNoReconsiderationProvided,
            "this country's procedure provides no reconsideration of this decision; see its appeal route",
        ),
        (_, ReconsiderationRequested) => {
            (MessageId::RefusalOnlyNegativeReconsidered, "only a negative first or final decision can be reconsidered")
        }
        (_, ReconsiderationUpheld | ReconsiderationOverturned) => {
            (MessageId::RefusalNoPendingReconsideration, "there is no pending reconsideration request to decide")
        }
        (_, Withdrawal) => {
            (MessageId::RefusalWithdrawOnlyPending, "a referral can be withdrawn only while it awaits a decision")
        }
    }
}

/// One recorded decision. Immutable once recorded; `seq` is its 1-based position in the case's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub seq: u32,
    pub kind: DecisionKind,
    pub decided_on: CalendarDate,
    pub reasons: Option<Narrative>,
    /// The `seq` of the earlier decision this one corrects (replaces).
    pub corrects: Option<u32>,
}

impl Decision {
    /// A decision without reasons that corrects nothing.
    pub fn new(seq: u32, kind: DecisionKind, decided_on: CalendarDate) -> Self {
        Self { seq, kind, decided_on, reasons: None, corrects: None }
    }

    pub fn with_reasons(mut self, reasons: Narrative) -> Self {
        self.reasons = Some(reasons);
        self
    }

    /// Makes this decision a correction of decision `seq`.
    pub fn correcting(mut self, seq: u32) -> Self {
        self.corrects = Some(seq);
        self
    }

    /// Whether this decision must state reasons: by its kind, or because it is a correction.
    pub fn needs_reasons(&self) -> bool {
        self.kind.requires_reasons() || self.corrects.is_some()
    }

    /// Parses a decision from form fields; `reasons` and `corrects` may be empty.
    pub fn parse(seq: u32, kind: &str, decided_on: &str, reasons: &str, corrects: &str) -> Result<Self, ParseError> {
        let kind = <DecisionKind as crate::Coded>::parse_code("kind", kind)?;
        let decided_on = CalendarDate::parse("decided_on", decided_on)?;
        let reasons = if reasons.trim().is_empty() { None } else { Some(Narrative::parse("reasons", reasons)?) };
        let corrects = match corrects.trim() {
            "" => None,
            c => {
                let n: u32 = c.parse().map_err(|_| {
                    ParseError::said(
                        "corrects",
                        format!("{c:?} is not the number of a decision"),
                        Message::new(MessageId::NotADecisionNumber).with("value", c),
                    )
                })?;
                if n == 0 || n >= seq {
                    return Err(ParseError::said(
                        "corrects",
                        "a correction must name an earlier decision of this case",
                        Message::new(MessageId::CorrectionNamesEarlier),
                    ));
                }
                Some(n)
            }
        };
        let decision = Self { seq, kind, decided_on, reasons, corrects };
        if decision.needs_reasons() && decision.reasons.is_none() {
            let what = if decision.corrects.is_some() { "a correction" } else { kind.label() };
            return Err(ParseError::said(
                "reasons",
                format!("{what} must state its reasons"),
                crate::Message::new(crate::MessageId::DecisionNeedsReasons).labels(
                    "kind",
                    "decision",
                    [crate::Coded::code(kind)],
                ),
            ));
        }
        Ok(decision)
    }
}

/// What is wrong with a decision, beyond the status and kind carried by [`TransitionError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The kind may not follow the status (for a correction: the status before the corrected decision).
    NotAllowed,
    /// The decision must state its reasons.
    ReasonsRequired,
    /// Dated before the referral.
    BeforeReferral { referred_on: CalendarDate },
    /// Dated before the previous effective decision.
    BeforePrevious { previous_seq: u32, previous_on: CalendarDate },
    /// `seq` is not the next position in the list.
    OutOfSequence { expected: u32 },
    /// `corrects` names no earlier decision.
    UnknownCorrectionTarget { target: u32 },
    /// `corrects` names a decision that has already been corrected.
    CorrectsSuperseded { target: u32, superseded_by: u32 },
    /// `corrects` names a decision that later decisions depend on.
    CorrectsNotLatest { target: u32, latest: u32 },
}

/// A decision refused: its position, the status it was refused in, its kind, and why.
///
/// For a correction, `status` is the status before the corrected decision: the one the correction
/// replaces it in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct TransitionError {
    pub seq: u32,
    pub status: NrmStatus,
    pub kind: DecisionKind,
    pub corrects: Option<u32>,
    pub problem: Problem,
    /// The shape of the procedure the case follows.
    pub shape: Shape,
}

impl TransitionError {
    /// The message shown to the user.
    pub fn message(&self) -> String {
        let what = match &self.problem {
            Problem::NotAllowed => refusal(self.status, self.kind, self.shape).1.to_owned(),
            Problem::ReasonsRequired => match self.corrects {
                Some(_) => "a correction must state its reasons".to_owned(),
                None => format!("{} must state its reasons", self.kind.label()),
            },
            Problem::BeforeReferral { referred_on } => {
                format!("a decision cannot be dated before the referral on {referred_on}")
            }
            Problem::BeforePrevious { previous_seq, previous_on } => format!(
                "a decision cannot be dated before the previous decision (number {previous_seq}, dated {previous_on})"
            ),
            Problem::OutOfSequence { expected } => {
                format!("decision number {} is out of sequence: the next number is {expected}", self.seq)
            }
            Problem::UnknownCorrectionTarget { target } => {
                format!("decision {target} does not exist before this one, so it cannot be corrected")
            }
            Problem::CorrectsSuperseded { target, superseded_by } => format!(
                "decision {target} has already been corrected by decision {superseded_by}; correct that one instead"
            ),
            Problem::CorrectsNotLatest { target, latest } => format!(
                "only the latest decision (number {latest}) can be corrected; decision {target} has later decisions \
                 that depend on it"
            ),
        };
        match self.corrects {
            Some(target) if self.problem == Problem::NotAllowed => format!(
                "as a correction of decision {target}: {what}; before decision {target} the case was {}",
                self.status.describe()
            ),
            _ => format!("{what}; the case is {}", self.status.describe()),
        }
    }

    /// The same refusal as [`TransitionError::message`], as a message of the interface's
    /// translations, so that the reader sees it in their language.
    pub fn said(&self) -> Message {
        let what = match &self.problem {
            Problem::NotAllowed => Message::new(refusal(self.status, self.kind, self.shape).0),
            Problem::ReasonsRequired => match self.corrects {
                Some(_) => Message::new(MessageId::CorrectionNeedsReasons),
                None => Message::new(MessageId::DecisionNeedsReasons).labels(
                    "kind",
                    "decision",
                    [crate::Coded::code(self.kind)],
                ),
            },
            Problem::BeforeReferral { referred_on } => {
                Message::new(MessageId::DecisionBeforeReferral).with("date", referred_on)
            }
            Problem::BeforePrevious { previous_seq, previous_on } => {
                Message::new(MessageId::DecisionBeforePrevious).with("seq", previous_seq).with("date", previous_on)
            }
            Problem::OutOfSequence { expected } => {
                Message::new(MessageId::DecisionOutOfSequence).with("seq", self.seq).with("expected", expected)
            }
            Problem::UnknownCorrectionTarget { target } => {
                Message::new(MessageId::CorrectionUnknownTarget).with("target", target)
            }
            Problem::CorrectsSuperseded { target, superseded_by } => {
                Message::new(MessageId::CorrectionSuperseded).with("target", target).with("by", superseded_by)
            }
            Problem::CorrectsNotLatest { target, latest } => {
                Message::new(MessageId::CorrectionNotLatest).with("target", target).with("latest", latest)
            }
        };
        let status = [crate::Coded::code(self.status)];
        match self.corrects {
            Some(target) if self.problem == Problem::NotAllowed => Message::new(MessageId::DecisionRefusedAsCorrection)
                .with("target", target)
                .messages("problem", vec![what])
                .labels("status", "nrm-status", status),
            _ => Message::new(MessageId::DecisionRefused).messages("problem", vec![what]).labels(
                "status",
                "nrm-status",
                status,
            ),
        }
    }
}

/// The state of a case in the NRM, folded from its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatus {
    referred_on: CalendarDate,
    shape: Shape,
    history: Vec<Decision>,
    /// Parallel to `history`: the decision that corrected each one.
    corrected_by: Vec<Option<u32>>,
    effective: Vec<Decision>,
    /// Parallel to `effective`: the status each effective decision was applied to.
    before: Vec<NrmStatus>,
    status: NrmStatus,
    presumed_since: Option<CalendarDate>,
    first_decided_on: Option<CalendarDate>,
    final_decided_on: Option<CalendarDate>,
}

impl CaseStatus {
    /// A case referred on `referred_on` under a procedure of `shape`, with no decision yet.
    pub fn referred(referred_on: CalendarDate, shape: Shape) -> Self {
        let mut status = Self {
            referred_on,
            shape,
            history: Vec::new(),
            corrected_by: Vec::new(),
            effective: Vec::new(),
            before: Vec::new(),
            status: NrmStatus::Referred,
            presumed_since: None,
            first_decided_on: None,
            final_decided_on: None,
        };
        status.recompute();
        status
    }

    /// The status after `proposed`, or why it is refused. `self` is unchanged.
    pub fn apply(&self, proposed: &Decision) -> Result<Self, TransitionError> {
        let mut next = self.clone();
        next.push(proposed)?;
        Ok(next)
    }

    pub fn status(&self) -> NrmStatus {
        self.status
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    pub fn referred_on(&self) -> CalendarDate {
        self.referred_on
    }

    /// The start of assistance and support: the referral. The registration a first responder
    /// refers is the reasonable-grounds indication that starts assistance "as soon as" there is
    /// one (Dir 2011/36 Art 11(2)), before any formal decision, and it is not conditional on
    /// cooperation with the authorities (Dir 2011/36 Art 11(3); CETS 197 Art 12(6)). What support
    /// follows a negative decision or a withdrawal is a matter for national rules.
    pub fn assistance_since(&self) -> CalendarDate {
        self.referred_on
    }

    /// Since when the person is a presumed victim, as the procedure says: from the referral, or
    /// from a positive first decision (or the reconsideration that overturned a negative one).
    /// It stays set after later decisions; [`CaseStatus::is_presumed_victim`] says whether the
    /// person is one now.
    pub fn presumed_since(&self) -> Option<CalendarDate> {
        self.presumed_since
    }

    /// A presumed victim now: awaiting the final decision after the presumption arose.
    pub fn is_presumed_victim(&self) -> bool {
        match self.status {
            NrmStatus::PresumedVictim => true,
            NrmStatus::Referred => self.shape.presumed_from == PresumedFrom::Referral,
            _ => false,
        }
    }

    /// The start of the recovery and reflection period: the event that raised the presumption
    /// (CETS 197 Art 13(1): "when there are reasonable grounds to believe"). The period itself
    /// starts on the day after it (Regulation 1182/71 Art 3(1); see
    /// [`crate::ident::calendar::DaysPeriod`]).
    pub fn reflection_from(&self) -> Option<CalendarDate> {
        self.presumed_since
    }

    /// The date of the first decision in force (an overturning reconsideration replaces it; an
    /// upholding one leaves it).
    pub fn first_decided_on(&self) -> Option<CalendarDate> {
        self.first_decided_on
    }

    /// The date of the final decision in force (as for [`CaseStatus::first_decided_on`]).
    pub fn final_decided_on(&self) -> Option<CalendarDate> {
        self.final_decided_on
    }

    /// Identification is running or the person is a presumed or identified victim: the
    /// protection and assistance measures for victims apply. While identification runs, CETS 197
    /// Art 10(2) forbids removal.
    pub fn is_victim_for_protection(&self) -> bool {
        matches!(self.status, NrmStatus::Referred | NrmStatus::PresumedVictim | NrmStatus::IdentifiedVictim)
    }

    /// Identification is still running (no final decision, no negative first decision, no
    /// withdrawal).
    pub fn identification_running(&self) -> bool {
        matches!(self.status, NrmStatus::Referred | NrmStatus::PresumedVictim)
    }

    /// The decisions in force, in order: every recorded decision except those later corrected.
    pub fn effective_decisions(&self) -> &[Decision] {
        &self.effective
    }

    /// Every recorded decision, corrected or not.
    pub fn history(&self) -> &[Decision] {
        &self.history
    }

    /// The decision that corrected decision `seq`, if any.
    pub fn corrected_by(&self, seq: u32) -> Option<u32> {
        let index = usize::try_from(seq).ok()?.checked_sub(1)?;
        self.corrected_by.get(index).copied().flatten()
    }

    /// The `seq` the next decision must carry.
    pub fn next_seq(&self) -> u32 {
        u32::try_from(self.history.len()).map_or(u32::MAX, |n| n.saturating_add(1))
    }

    /// The decision kinds that may follow now.
    pub fn allowed_next(&self) -> &'static [DecisionKind] {
        allowed_next(self.status, self.shape)
    }

    /// The stage a decision of `kind` would decide now, and whether it would be positive: its own
    /// for a first or final decision, the reconsidered one for a reconsideration's outcome.
    pub fn stage_of_next(&self, kind: DecisionKind) -> Option<(crate::ident::procedure::StagePlace, bool)> {
        use crate::ident::procedure::StagePlace::{Final, First};
        match (self.status, kind) {
            (NrmStatus::FirstReconsideration, DecisionKind::ReconsiderationOverturned) => Some((First, true)),
            (NrmStatus::FirstReconsideration, DecisionKind::ReconsiderationUpheld) => Some((First, false)),
            (NrmStatus::FinalReconsideration, DecisionKind::ReconsiderationOverturned) => Some((Final, true)),
            (NrmStatus::FinalReconsideration, DecisionKind::ReconsiderationUpheld) => Some((Final, false)),
            _ => kind.stage(),
        }
    }

    /// The decision that may be corrected now (the latest effective one) and the kinds a correction
    /// of it may have.
    pub fn correctable(&self) -> Option<(u32, &'static [DecisionKind])> {
        let latest = self.effective.last()?;
        let before = self.before.last()?;
        Some((latest.seq, allowed_next(*before, self.shape)))
    }

    /// The earliest date the next decision may carry.
    fn date_floor(&self, below_latest: bool) -> (Option<u32>, CalendarDate) {
        let depth = usize::from(below_latest);
        match self.effective.len().checked_sub(1 + depth).and_then(|i| self.effective.get(i)) {
            Some(d) => (Some(d.seq), d.decided_on),
            None => (None, self.referred_on),
        }
    }

    fn push(&mut self, d: &Decision) -> Result<(), TransitionError> {
        let shape = self.shape;
        let err = |status: NrmStatus, problem: Problem| TransitionError {
            seq: d.seq,
            status,
            kind: d.kind,
            corrects: d.corrects,
            problem,
            shape,
        };
        let expected = self.next_seq();
        if d.seq != expected {
            return Err(err(self.status, Problem::OutOfSequence { expected }));
        }
        let from = match d.corrects {
            None => self.status,
            Some(target) => {
                let superseded = usize::try_from(target)
                    .ok()
                    .and_then(|t| t.checked_sub(1))
                    .filter(|_| target < d.seq)
                    .and_then(|i| self.corrected_by.get(i));
                let Some(superseded) = superseded else {
                    return Err(err(self.status, Problem::UnknownCorrectionTarget { target }));
                };
                if let Some(by) = *superseded {
                    return Err(err(self.status, Problem::CorrectsSuperseded { target, superseded_by: by }));
                }
                let (Some(latest), Some(before)) = (self.effective.last(), self.before.last()) else {
                    return Err(err(self.status, Problem::UnknownCorrectionTarget { target }));
                };
                if latest.seq != target {
                    return Err(err(self.status, Problem::CorrectsNotLatest { target, latest: latest.seq }));
                }
                *before
            }
        };
        if transition(from, d.kind, shape).is_none() {
            return Err(err(from, Problem::NotAllowed));
        }
        if d.needs_reasons() && d.reasons.is_none() {
            return Err(err(self.status, Problem::ReasonsRequired));
        }
        let (previous_seq, floor) = self.date_floor(d.corrects.is_some());
        if d.decided_on < floor {
            let problem = match previous_seq {
                Some(previous_seq) => Problem::BeforePrevious { previous_seq, previous_on: floor },
                None => Problem::BeforeReferral { referred_on: self.referred_on },
            };
            return Err(err(self.status, problem));
        }
        if let Some(target) = d.corrects {
            self.effective.pop();
            self.before.pop();
            let index = usize::try_from(target).ok().and_then(|t| t.checked_sub(1));
            if let Some(slot) = index.and_then(|i| self.corrected_by.get_mut(i)) {
                *slot = Some(d.seq);
            }
        }
        self.effective.push(d.clone());
        self.before.push(from);
        self.history.push(d.clone());
        self.corrected_by.push(None);
        self.recompute();
        Ok(())
    }

    fn recompute(&mut self) {
        use DecisionKind::*;
        use NrmStatus::*;
        let mut status = Referred;
        let mut presumed = (self.shape.presumed_from == PresumedFrom::Referral).then_some(self.referred_on);
        let (mut first, mut last) = (None, None);
        for (d, from) in self.effective.iter().zip(&self.before) {
            let on = Some(d.decided_on);
            match (*from, d.kind) {
                (Referred, FirstPositive) | (FirstReconsideration, ReconsiderationOverturned) => {
                    first = on;
                    presumed = presumed.or(on);
                }
                (Referred, FirstNegative) => first = on,
                (Referred | PresumedVictim, FinalPositive | FinalNegative)
                | (FinalReconsideration, ReconsiderationOverturned) => last = on,
                _ => {}
            }
            status = transition(*from, d.kind, self.shape).unwrap_or(status);
        }
        self.status = status;
        self.presumed_since = presumed;
        self.first_decided_on = first;
        self.final_decided_on = last;
    }
}

/// Folds a case's decisions, in `seq` order, into its status under a procedure of `shape`; the
/// first refused decision stops it.
pub fn fold(referred_on: CalendarDate, shape: Shape, decisions: &[Decision]) -> Result<CaseStatus, TransitionError> {
    let mut state = CaseStatus::referred(referred_on, shape);
    for d in decisions {
        state.push(d)?;
    }
    Ok(state)
}

/// The status after appending `proposed` to `history`, or why it is refused.
pub fn check_next(
    referred_on: CalendarDate,
    shape: Shape,
    history: &[Decision],
    proposed: &Decision,
) -> Result<CaseStatus, TransitionError> {
    fold(referred_on, shape, history)?.apply(proposed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use DecisionKind::*;
    use NrmStatus::*;
    use proptest::prelude::*;

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn reasons() -> Narrative {
        Narrative::parse("reasons", "Account consistent with indicators; see interview record.").unwrap()
    }

    const REFERRED_ON: &str = "2024-03-01";

    /// The two-decision shape the table below describes.
    const TWO: Shape = Shape::LEGACY_TWO_STAGE;

    /// The transitions as the procedure defines them (casework research 2.1), written out here
    /// independently of the code under test.
    const TABLE: &[(NrmStatus, DecisionKind, NrmStatus)] = &[
        (Referred, FirstPositive, PresumedVictim),
        (Referred, FirstNegative, NegativeFirstDecision),
        (Referred, Withdrawal, Withdrawn),
        (PresumedVictim, FinalPositive, IdentifiedVictim),
        (PresumedVictim, FinalNegative, NotIdentified),
        (PresumedVictim, Withdrawal, Withdrawn),
        (NegativeFirstDecision, ReconsiderationRequested, FirstReconsideration),
        (FirstReconsideration, ReconsiderationUpheld, NegativeFirstDecision),
        (FirstReconsideration, ReconsiderationOverturned, PresumedVictim),
        (NotIdentified, ReconsiderationRequested, FinalReconsideration),
        (FinalReconsideration, ReconsiderationUpheld, NotIdentified),
        (FinalReconsideration, ReconsiderationOverturned, IdentifiedVictim),
    ];

    fn table_next(from: NrmStatus, kind: DecisionKind) -> Option<NrmStatus> {
        TABLE.iter().find(|(f, k, _)| *f == from && *k == kind).map(|(_, _, to)| *to)
    }

    /// A way to reach each status, written out by hand.
    fn path_to(status: NrmStatus) -> &'static [DecisionKind] {
        match status {
            Referred => &[],
            PresumedVictim => &[FirstPositive],
            NegativeFirstDecision => &[FirstNegative],
            IdentifiedVictim => &[FirstPositive, FinalPositive],
            NotIdentified => &[FirstPositive, FinalNegative],
            FirstReconsideration => &[FirstNegative, ReconsiderationRequested],
            FinalReconsideration => &[FirstPositive, FinalNegative, ReconsiderationRequested],
            Withdrawn => &[Withdrawal],
        }
    }

    /// Decisions of `kinds`, one every ten days from the referral, all with reasons.
    fn decisions(kinds: &[DecisionKind]) -> Vec<Decision> {
        kinds
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let n = u32::try_from(i).unwrap() + 1;
                Decision::new(n, *k, date(REFERRED_ON).add_days(10 * i64::from(n)).unwrap()).with_reasons(reasons())
            })
            .collect()
    }

    fn next_after(history: &[Decision], kind: DecisionKind) -> Decision {
        let n = u32::try_from(history.len()).unwrap() + 1;
        Decision::new(n, kind, date(REFERRED_ON).add_days(10 * i64::from(n)).unwrap()).with_reasons(reasons())
    }

    #[test]
    fn the_lists_of_statuses_and_kinds_are_complete() {
        assert_eq!(NrmStatus::ALL.len(), 8);
        assert_eq!(DecisionKind::ALL.len(), 8);
        for s in NrmStatus::ALL {
            let reached = fold(date(REFERRED_ON), TWO, &decisions(path_to(*s))).unwrap();
            assert_eq!(reached.status(), *s, "path_to({s}) must reach {s}");
        }
        assert_eq!(NrmStatus::parse_code("status", "presumed_victim").unwrap(), PresumedVictim);
        assert_eq!(DecisionKind::parse_code("kind", "withdrawal").unwrap(), Withdrawal);
    }

    /// Every (status, kind) pair: accepted with the table's target when the table has it, refused
    /// with the status and the kind otherwise.
    #[test]
    fn every_status_and_kind_pair_follows_the_table() {
        let mut legal = 0;
        let mut illegal = 0;
        for status in NrmStatus::ALL {
            let history = decisions(path_to(*status));
            for kind in DecisionKind::ALL {
                let proposed = next_after(&history, *kind);
                let result = check_next(date(REFERRED_ON), TWO, &history, &proposed);
                match table_next(*status, *kind) {
                    Some(to) => {
                        legal += 1;
                        let next = result.unwrap_or_else(|e| panic!("{status} + {kind} refused: {e}"));
                        assert_eq!(next.status(), to, "{status} + {kind}");
                        assert_eq!(next.effective_decisions().len(), history.len() + 1);
                    }
                    None => {
                        illegal += 1;
                        let e = result.err().unwrap_or_else(|| panic!("{status} + {kind} accepted"));
                        assert_eq!((e.status, e.kind, &e.problem), (*status, *kind, &Problem::NotAllowed));
                        let message = e.to_string();
                        assert!(message.ends_with(&format!("; the case is {}", status.describe())), "{message}");
                    }
                }
                let mut expected: Vec<DecisionKind> =
                    TABLE.iter().filter(|(f, _, _)| f == status).map(|(_, k, _)| *k).collect();
                expected.sort();
                let mut allowed = allowed_next(*status, TWO).to_vec();
                allowed.sort();
                assert_eq!(allowed, expected, "allowed_next({status})");
                assert_eq!(transition(*status, *kind, TWO), table_next(*status, *kind));
            }
        }
        assert_eq!((legal, illegal), (12, 52));
    }

    #[test]
    fn refusals_say_what_is_missing_and_where_the_case_stands() {
        let history = decisions(&[]);
        let e = check_next(date(REFERRED_ON), TWO, &history, &next_after(&history, FinalPositive)).unwrap_err();
        assert_eq!(e.to_string(), "a final decision needs a positive first decision first; the case is referred");
        let history = decisions(path_to(IdentifiedVictim));
        let e = check_next(date(REFERRED_ON), TWO, &history, &next_after(&history, Withdrawal)).unwrap_err();
        assert!(e.to_string().starts_with("a positive final decision is final"), "{e}");
        let history = decisions(path_to(PresumedVictim));
        let e = check_next(date(REFERRED_ON), TWO, &history, &next_after(&history, ReconsiderationUpheld)).unwrap_err();
        assert!(e.to_string().starts_with("there is no pending reconsideration request"), "{e}");
        assert!(IdentifiedVictim.is_final(TWO) && Withdrawn.is_final(TWO) && !NotIdentified.is_final(TWO));
    }

    #[test]
    fn refusals_are_said_by_message_id_with_the_status_by_its_code() {
        use crate::message::Arg;
        let history = decisions(&[]);
        let e = check_next(date(REFERRED_ON), TWO, &history, &next_after(&history, FinalPositive)).unwrap_err();
        let said = e.said();
        assert_eq!(said.id, MessageId::DecisionRefused);
        assert_eq!(said.args[0].1, Arg::Messages(vec![Message::new(MessageId::RefusalFinalNeedsFirst)]));
        assert_eq!(said.args[1].1, Arg::Labels { prefix: "nrm-status", codes: vec!["referred".to_owned()] });
        // One message per English reason and one reason per message, in every status, kind and shape.
        let one = Shape { two_stage: false, ..TWO };
        let mut by_id: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
        let mut by_text: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
        for shape in [TWO, one] {
            for status in NrmStatus::ALL {
                for kind in DecisionKind::ALL {
                    let (id, text) = refusal(*status, *kind, shape);
                    assert_eq!(*by_id.entry(id.id()).or_insert(text), text, "{id:?}");
                    assert_eq!(*by_text.entry(text).or_insert(id.id()), id.id(), "{text}");
                }
            }
        }
        assert!(by_id.len() >= 10, "{by_id:?}");
    }

    /// Dir 2011/36 Art 11(2): assistance starts "as soon as" there is a reasonable-grounds
    /// indication, which the referred registration is: before any formal first decision. CETS 197
    /// Art 10(2): no removal while identification runs. CETS 197 Art 13(1): in a two-decision
    /// procedure whose profile presumes from the first decision, the reflection period runs from it.
    #[test]
    fn art_11_2_dir_2011_36_assistance_starts_at_the_referral_not_at_a_formal_decision() {
        let referred = fold(date(REFERRED_ON), TWO, &[]).unwrap();
        assert_eq!(referred.assistance_since(), date(REFERRED_ON));
        assert!(referred.is_victim_for_protection(), "CETS 197 Art 10(2): identification is running");
        assert_eq!(referred.reflection_from(), None);
        assert!(!referred.is_presumed_victim(), "this profile presumes from the first decision");

        let history = decisions(&[FirstPositive]);
        let s = fold(date(REFERRED_ON), TWO, &history).unwrap();
        assert_eq!(s.assistance_since(), date(REFERRED_ON));
        assert_eq!(s.reflection_from(), Some(history[0].decided_on));
        assert_eq!(s.first_decided_on(), Some(history[0].decided_on));
        assert_eq!(s.final_decided_on(), None);
        assert!(s.is_victim_for_protection() && s.is_presumed_victim());

        // A negative first decision closes identification; assistance had started all the same.
        let negative = fold(date(REFERRED_ON), TWO, &decisions(&[FirstNegative])).unwrap();
        assert_eq!(negative.assistance_since(), date(REFERRED_ON));
        assert!(!negative.is_victim_for_protection());
    }

    /// Art 11(2)-(3) of Directive 2011/36/EU and Convention Art 12(6): the start of assistance
    /// depends on the reasonable-grounds finding alone. Later decisions do not move it.
    #[test]
    fn art_11_3_dir_2011_36_assistance_start_is_not_moved_by_later_decisions() {
        let history = decisions(&[FirstPositive, FinalNegative, ReconsiderationRequested]);
        let s = fold(date(REFERRED_ON), TWO, &history).unwrap();
        assert_eq!(s.status(), FinalReconsideration);
        assert_eq!(s.assistance_since(), date(REFERRED_ON));
        assert_eq!(s.reflection_from(), Some(history[0].decided_on));
        assert_eq!(s.final_decided_on(), Some(history[1].decided_on));
        assert!(!s.is_victim_for_protection());
    }

    /// After a negative first decision is overturned on reconsideration, the reflection period
    /// (CETS 197 Art 13(1)) starts on the date of the overturning decision; assistance
    /// (Dir 2011/36 Art 11(2)) still runs from the referral.
    #[test]
    fn art_11_2_dir_2011_36_reflection_starts_at_an_overturned_reconsideration_assistance_stays() {
        let history = decisions(&[FirstNegative, ReconsiderationRequested, ReconsiderationOverturned]);
        let s = fold(date(REFERRED_ON), TWO, &history).unwrap();
        assert_eq!(s.status(), PresumedVictim);
        assert_eq!(s.assistance_since(), date(REFERRED_ON));
        assert_eq!(s.reflection_from(), Some(history[2].decided_on));
        assert_eq!(s.first_decided_on(), Some(history[2].decided_on));

        let upheld = decisions(&[FirstNegative, ReconsiderationRequested, ReconsiderationUpheld]);
        let s = fold(date(REFERRED_ON), TWO, &upheld).unwrap();
        assert_eq!(s.status(), NegativeFirstDecision);
        assert_eq!(s.reflection_from(), None);
        assert_eq!(s.first_decided_on(), Some(upheld[0].decided_on), "an upheld decision stands with its date");
    }

    #[test]
    fn overturned_cg_reconsideration_identifies_the_victim() {
        let kinds = [FirstPositive, FinalNegative, ReconsiderationRequested, ReconsiderationOverturned];
        let history = decisions(&kinds);
        let s = fold(date(REFERRED_ON), TWO, &history).unwrap();
        assert_eq!(s.status(), IdentifiedVictim);
        assert_eq!(s.final_decided_on(), Some(history[3].decided_on));
        assert_eq!(s.reflection_from(), Some(history[0].decided_on));
        assert!(s.is_victim_for_protection());
    }

    #[test]
    fn reasons_are_required_for_negative_cg_reconsideration_outcomes_and_withdrawal() {
        for kind in DecisionKind::ALL {
            let required = !matches!(kind, FirstPositive | ReconsiderationRequested);
            assert_eq!(kind.requires_reasons(), required, "{kind}");
        }
        let history = decisions(&[FirstPositive]);
        for kind in [FinalPositive, FinalNegative, Withdrawal] {
            let mut proposed = next_after(&history, kind);
            proposed.reasons = None;
            let e = check_next(date(REFERRED_ON), TWO, &history, &proposed).unwrap_err();
            assert_eq!((e.problem, e.status, e.kind), (Problem::ReasonsRequired, PresumedVictim, kind));
        }
        let mut rg_negative = next_after(&[], FirstNegative);
        rg_negative.reasons = None;
        let e = check_next(date(REFERRED_ON), TWO, &[], &rg_negative).unwrap_err();
        assert_eq!(e.to_string(), "a negative first decision must state its reasons; the case is referred");
        let mut rg_positive = next_after(&[], FirstPositive);
        rg_positive.reasons = None;
        assert!(check_next(date(REFERRED_ON), TWO, &[], &rg_positive).is_ok());
    }

    #[test]
    fn decisions_may_not_go_back_in_time() {
        let history = decisions(&[FirstPositive]);
        let mut early = next_after(&history, FinalPositive);
        early.decided_on = history[0].decided_on.add_days(-1).unwrap();
        let e = check_next(date(REFERRED_ON), TWO, &history, &early).unwrap_err();
        assert_eq!(e.problem, Problem::BeforePrevious { previous_seq: 1, previous_on: history[0].decided_on });
        assert!(e.to_string().contains("before the previous decision (number 1"), "{e}");
        // The same day is allowed.
        early.decided_on = history[0].decided_on;
        assert!(check_next(date(REFERRED_ON), TWO, &history, &early).is_ok());

        let mut before_referral = next_after(&[], FirstPositive);
        before_referral.decided_on = date("2024-02-29");
        let e = check_next(date(REFERRED_ON), TWO, &[], &before_referral).unwrap_err();
        assert_eq!(e.problem, Problem::BeforeReferral { referred_on: date(REFERRED_ON) });
        before_referral.decided_on = date(REFERRED_ON);
        assert!(check_next(date(REFERRED_ON), TWO, &[], &before_referral).is_ok());
    }

    #[test]
    fn sequence_numbers_must_follow_on() {
        let history = decisions(&[FirstPositive]);
        let mut skipped = next_after(&history, FinalPositive);
        skipped.seq = 3;
        let e = check_next(date(REFERRED_ON), TWO, &history, &skipped).unwrap_err();
        assert_eq!(e.problem, Problem::OutOfSequence { expected: 2 });
    }

    #[test]
    fn a_correction_replaces_the_latest_decision() {
        // RG positive recorded by mistake; corrected to negative.
        let history = decisions(&[FirstPositive]);
        let correction = next_after(&history, FirstNegative).correcting(1);
        let s = check_next(date(REFERRED_ON), TWO, &history, &correction).unwrap();
        assert_eq!(s.status(), NegativeFirstDecision);
        assert_eq!(s.effective_decisions(), std::slice::from_ref(&correction));
        assert_eq!(s.history().len(), 2);
        assert_eq!(s.corrected_by(1), Some(2));
        assert_eq!(s.reflection_from(), None);
        assert_eq!(s.first_decided_on(), Some(correction.decided_on));
        // A correction of the correction is allowed: it is now the latest effective decision.
        let mut all = history.clone();
        all.push(correction);
        let again = next_after(&all, FirstPositive).correcting(2);
        let s = check_next(date(REFERRED_ON), TWO, &all, &again).unwrap();
        assert_eq!(s.status(), PresumedVictim);
        assert_eq!(s.reflection_from(), Some(again.decided_on));
    }

    #[test]
    fn a_final_decision_can_be_corrected() {
        let history = decisions(&[FirstPositive, FinalPositive]);
        let correction = next_after(&history, FinalNegative).correcting(2);
        let s = check_next(date(REFERRED_ON), TWO, &history, &correction).unwrap();
        assert_eq!(s.status(), NotIdentified);
        assert_eq!(s.correctable(), Some((3, &[FinalPositive, FinalNegative, Withdrawal][..])));
    }

    #[test]
    fn a_correction_may_fix_the_date_but_not_before_the_decision_below_it() {
        let history = decisions(&[FirstPositive, FinalPositive]);
        let mut fix = next_after(&history, FinalPositive).correcting(2);
        fix.decided_on = history[1].decided_on.add_days(-5).unwrap();
        let s = check_next(date(REFERRED_ON), TWO, &history, &fix).unwrap();
        assert_eq!(s.final_decided_on(), Some(fix.decided_on));
        fix.decided_on = history[0].decided_on.add_days(-1).unwrap();
        let e = check_next(date(REFERRED_ON), TWO, &history, &fix).unwrap_err();
        assert_eq!(e.problem, Problem::BeforePrevious { previous_seq: 1, previous_on: history[0].decided_on });
    }

    #[test]
    fn a_correction_must_be_legal_where_the_corrected_decision_was_made() {
        let history = decisions(&[FirstPositive]);
        let correction = next_after(&history, FinalPositive).correcting(1);
        let e = check_next(date(REFERRED_ON), TWO, &history, &correction).unwrap_err();
        assert_eq!((e.status, e.kind, &e.problem), (Referred, FinalPositive, &Problem::NotAllowed));
        assert_eq!(
            e.to_string(),
            "as a correction of decision 1: a final decision needs a positive first decision first; before \
             decision 1 the case was referred"
        );
    }

    #[test]
    fn a_correction_of_a_superseded_decision_is_refused() {
        let mut history = decisions(&[FirstPositive]);
        history.push(next_after(&history, FirstNegative).correcting(1));
        let again = next_after(&history, FirstPositive).correcting(1);
        let e = check_next(date(REFERRED_ON), TWO, &history, &again).unwrap_err();
        assert_eq!(e.problem, Problem::CorrectsSuperseded { target: 1, superseded_by: 2 });
        assert!(e.to_string().contains("already been corrected by decision 2"), "{e}");
    }

    #[test]
    fn a_correction_of_a_decision_that_is_not_the_latest_is_refused() {
        let history = decisions(&[FirstPositive, FinalNegative]);
        let correction = next_after(&history, FirstNegative).correcting(1);
        let e = check_next(date(REFERRED_ON), TWO, &history, &correction).unwrap_err();
        assert_eq!(e.problem, Problem::CorrectsNotLatest { target: 1, latest: 2 });
        for target in [0, 3, 9] {
            let correction = next_after(&history, FinalPositive).correcting(target);
            let e = check_next(date(REFERRED_ON), TWO, &history, &correction).unwrap_err();
            assert_eq!(e.problem, Problem::UnknownCorrectionTarget { target });
        }
    }

    #[test]
    fn a_correction_must_state_its_reasons() {
        let history = decisions(&[FirstPositive]);
        let mut correction = next_after(&history, FirstPositive).correcting(1);
        correction.reasons = None;
        let e = check_next(date(REFERRED_ON), TWO, &history, &correction).unwrap_err();
        assert_eq!(e.problem, Problem::ReasonsRequired);
        assert!(e.to_string().starts_with("a correction must state its reasons"), "{e}");
    }

    #[test]
    fn decisions_parse_from_form_fields() {
        let d = Decision::parse(2, "conclusive_grounds_positive", "2024-05-01", " Interview. ", "").unwrap();
        assert_eq!((d.seq, d.kind, d.corrects), (2, FinalPositive, None));
        assert_eq!(d.reasons.as_ref().map(Narrative::as_str), Some("Interview."));
        assert_eq!(Decision::parse(1, "reasonable_grounds_positive", "2024-05-01", "", "").unwrap().reasons, None);
        assert_eq!(Decision::parse(1, "granted", "2024-05-01", "", "").unwrap_err().field, "kind");
        assert_eq!(Decision::parse(1, "withdrawal", "2024-13-01", "x", "").unwrap_err().field, "decided_on");
        assert_eq!(Decision::parse(1, "withdrawal", "2024-05-01", "", "").unwrap_err().field, "reasons");
        assert_eq!(Decision::parse(2, "withdrawal", "2024-05-01", "x", "two").unwrap_err().field, "corrects");
        assert_eq!(Decision::parse(2, "withdrawal", "2024-05-01", "x", "2").unwrap_err().field, "corrects");
        let e = Decision::parse(2, "reasonable_grounds_positive", "2024-05-01", "", "1").unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("reasons", "a correction must state its reasons"));
        assert_eq!(Decision::parse(2, "withdrawal", "2024-05-01", "x", "1").unwrap().corrects, Some(1));
    }

    #[test]
    fn decisions_round_trip_through_json() {
        let d = next_after(&[], FirstNegative);
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"first_decision_negative\""), "{json}");
        assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
    }

    /// A one-decision procedure presumed from the referral (for example a commission that
    /// identifies), with reconsideration of a negative decision.
    const ONE: Shape = Shape {
        two_stage: false,
        first_reconsideration: false,
        final_reconsideration: true,
        presumed_from: PresumedFrom::Referral,
    };

    #[test]
    fn art_11_4_dir_2011_36_a_one_decision_procedure_identifies_in_one_step_and_presumes_from_the_referral() {
        let referred = fold(date(REFERRED_ON), ONE, &[]).unwrap();
        assert_eq!(referred.allowed_next(), &[FinalPositive, FinalNegative, Withdrawal]);
        assert!(referred.is_presumed_victim());
        assert_eq!(referred.presumed_since(), Some(date(REFERRED_ON)));
        assert_eq!(referred.reflection_from(), Some(date(REFERRED_ON)));
        let e = check_next(date(REFERRED_ON), ONE, &[], &next_after(&[], FirstPositive)).unwrap_err();
        assert_eq!(e.problem, Problem::NotAllowed);
        assert!(e.to_string().starts_with("this procedure has one decision only"), "{e}");

        let identified = fold(date(REFERRED_ON), ONE, &decisions(&[FinalPositive])).unwrap();
        assert_eq!(identified.status(), IdentifiedVictim);
        assert_eq!(identified.final_decided_on(), Some(decisions(&[FinalPositive])[0].decided_on));
        assert_eq!(identified.first_decided_on(), None);
        assert!(!identified.is_presumed_victim());

        let refused = decisions(&[FinalNegative, ReconsiderationRequested, ReconsiderationOverturned]);
        let s = fold(date(REFERRED_ON), ONE, &refused).unwrap();
        assert_eq!(s.status(), IdentifiedVictim);
        assert_eq!(s.final_decided_on(), Some(refused[2].decided_on));
    }

    #[test]
    fn reconsideration_follows_the_procedure() {
        let no_reconsideration = Shape { final_reconsideration: false, ..ONE };
        let history = decisions(&[FinalNegative]);
        let s = fold(date(REFERRED_ON), no_reconsideration, &history).unwrap();
        assert!(s.allowed_next().is_empty());
        assert!(s.status().is_final(no_reconsideration));
        let e = check_next(
            date(REFERRED_ON),
            no_reconsideration,
            &history,
            &next_after(&history, ReconsiderationRequested),
        )
        .unwrap_err();
        assert!(e.to_string().contains("provides no reconsideration"), "{e}");
        // The same history under the procedure that allows it.
        assert_eq!(fold(date(REFERRED_ON), ONE, &history).unwrap().allowed_next(), &[ReconsiderationRequested]);
    }

    #[test]
    fn legacy_codes_of_stored_decisions_still_read() {
        assert_eq!(DecisionKind::parse_code("kind", "reasonable_grounds_positive").unwrap(), FirstPositive);
        assert_eq!(DecisionKind::parse_code("kind", "conclusive_grounds_negative").unwrap(), FinalNegative);
        assert_eq!(NrmStatus::parse_code("s", "rg_negative").unwrap(), NegativeFirstDecision);
        assert_eq!(NrmStatus::parse_code("s", "cg_reconsideration").unwrap(), FinalReconsideration);
        // Written with the new codes only.
        assert_eq!(FirstPositive.code(), "first_decision_positive");
        let legacy: Decision = serde_json::from_str(
            r#"{"seq":1,"kind":"reasonable_grounds_negative","decided_on":"2024-03-02","reasons":"x","corrects":null}"#,
        )
        .unwrap();
        assert_eq!(legacy.kind, FirstNegative);
    }

    fn reachable() -> Vec<NrmStatus> {
        let mut seen = vec![Referred];
        let mut i = 0;
        while let Some(from) = seen.get(i).copied() {
            for (_, _, to) in TABLE.iter().filter(|(f, _, _)| *f == from) {
                if !seen.contains(to) {
                    seen.push(*to);
                }
            }
            i += 1;
        }
        seen
    }

    /// Checks an accepted state against the test table: the effective decisions form a legal path
    /// from `referred`, ending in the reported status, with dates in order.
    fn check_against_table(s: &CaseStatus) -> Result<(), TestCaseError> {
        let mut at = Referred;
        let mut last = s.referred_on();
        let mut assistance = None;
        for d in s.effective_decisions() {
            let to = table_next(at, d.kind);
            prop_assert!(to.is_some(), "{} after {} is not in the table", d.kind, at);
            prop_assert!(d.decided_on >= last);
            if matches!((at, d.kind), (Referred, FirstPositive) | (FirstReconsideration, ReconsiderationOverturned)) {
                assistance = assistance.or(Some(d.decided_on));
            }
            last = d.decided_on;
            at = to.unwrap_or(at);
        }
        prop_assert_eq!(at, s.status());
        prop_assert!(reachable().contains(&s.status()));
        prop_assert_eq!(assistance, s.reflection_from());
        prop_assert_eq!(s.assistance_since(), s.referred_on());
        Ok(())
    }

    fn arbitrary_decisions() -> impl Strategy<Value = Vec<Decision>> {
        let one =
            (0usize..8, -5i64..30, any::<bool>(), prop::option::weighted(0.2, 0u32..8), prop::bool::weighted(0.05));
        prop::collection::vec(one, 0..12).prop_map(|raw| {
            let mut at = date(REFERRED_ON);
            raw.into_iter()
                .enumerate()
                .map(|(i, (k, delta, with_reasons, corrects, bad_seq))| {
                    at = at.add_days(delta).unwrap_or(at);
                    let seq = u32::try_from(i).unwrap_or(0) + if bad_seq { 2 } else { 1 };
                    let mut d = Decision::new(seq, DecisionKind::ALL[k], at);
                    d.reasons = with_reasons.then(reasons);
                    d.corrects = corrects;
                    d
                })
                .collect()
        })
    }

    /// Sequences built by walking the test table, with corrections of the latest decision mixed in.
    /// Returns the decisions and the status the table says they end in.
    fn walked_decisions() -> impl Strategy<Value = (Vec<Decision>, NrmStatus)> {
        prop::collection::vec((any::<u8>(), 0i64..40, prop::bool::weighted(0.25)), 0..15).prop_map(|steps| {
            // The model: the effective decisions as (status before, kind, seq, date).
            let mut stack: Vec<(NrmStatus, DecisionKind, u32, CalendarDate)> = Vec::new();
            let mut out = Vec::new();
            let mut at = date(REFERRED_ON);
            for (choice, delta, correct) in steps {
                let current = stack.last().map_or(Referred, |(f, k, _, _)| table_next(*f, *k).unwrap_or(*f));
                let seq = u32::try_from(out.len()).unwrap_or(0) + 1;
                let options: Vec<_> = TABLE.iter().filter(|(f, _, _)| *f == current).collect();
                if (correct || options.is_empty())
                    && let Some((before, _, target, _)) = stack.last().copied()
                {
                    let choices: Vec<_> = TABLE.iter().filter(|(f, _, _)| *f == before).collect();
                    let (_, kind, _) = choices[usize::from(choice) % choices.len()];
                    let floor = stack.len().checked_sub(2).map_or(date(REFERRED_ON), |i| stack[i].3);
                    let on = floor.add_days(delta).unwrap();
                    at = at.max(on);
                    stack.pop();
                    stack.push((before, *kind, seq, on));
                    out.push(Decision::new(seq, *kind, on).with_reasons(reasons()).correcting(target));
                } else if let Some((_, kind, _)) = options.get(usize::from(choice) % options.len().max(1)) {
                    at = at.add_days(delta).unwrap();
                    stack.push((current, *kind, seq, at));
                    out.push(Decision::new(seq, *kind, at).with_reasons(reasons()));
                }
            }
            let end = stack.last().map_or(Referred, |(f, k, _, _)| table_next(*f, *k).unwrap_or(*f));
            (out, end)
        })
    }

    proptest! {
        /// Arbitrary sequences never panic, folding is deterministic, appending one decision agrees
        /// with folding the longer list, and whatever is accepted follows the table.
        #[test]
        fn fold_is_total_deterministic_and_follows_the_table(ds in arbitrary_decisions()) {
            let first = fold(date(REFERRED_ON), TWO, &ds);
            prop_assert_eq!(&first, &fold(date(REFERRED_ON), TWO, &ds));
            if let Some((last, init)) = ds.split_last() {
                prop_assert_eq!(&first, &check_next(date(REFERRED_ON), TWO, init, last));
            }
            if let Ok(s) = &first {
                check_against_table(s)?;
                prop_assert_eq!(s.history(), ds.as_slice());
            } else if let Err(e) = &first {
                prop_assert!(!e.to_string().is_empty());
            }
        }

        /// Sequences that keep to the table (with legal corrections) are all accepted and end where
        /// the table says.
        #[test]
        fn walks_along_the_table_are_accepted((ds, end) in walked_decisions()) {
            let s = fold(date(REFERRED_ON), TWO, &ds);
            prop_assert!(s.is_ok(), "{:?}", s);
            if let Ok(s) = s {
                prop_assert_eq!(s.status(), end);
                check_against_table(&s)?;
            }
        }
    }
}
