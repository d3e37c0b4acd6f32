//! The status of a case in the national referral mechanism (NRM), derived by folding an
//! append-only list of immutable decisions.
//!
//! The steps follow the two-stage identification process: a reasonable-grounds (RG) decision,
//! which makes the person a presumed victim (Council of Europe Convention Art 10(2);
//! Directive 2011/36/EU Art 11(2)), then a conclusive-grounds (CG) decision. A negative decision
//! can be reconsidered on request. A recorded decision is never edited: a mistake is put right by
//! a later decision that names the one it corrects.
//!
//! Assistance starts with the positive RG decision, at once and unconditionally
//! (Directive 2011/36/EU Art 11(2)-(3); Convention Art 12(6)): nothing in this module takes
//! cooperation with the authorities as an input.

use crate::{ParseError, case::CalendarDate, coded_enum, text::Narrative};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a case stands in the national referral mechanism.
    pub enum NrmStatus {
        /// Registered; awaiting the reasonable-grounds decision.
        Referred => "referred",
        /// Positive reasonable-grounds decision: a presumed victim, awaiting the conclusive-grounds decision.
        PresumedVictim => "presumed_victim",
        /// Negative reasonable-grounds decision.
        RgNegative => "rg_negative",
        /// Positive conclusive-grounds decision. Final.
        IdentifiedVictim => "identified_victim",
        /// Negative conclusive-grounds decision.
        NotAVictim => "not_a_victim",
        /// A reconsideration of the negative reasonable-grounds decision has been requested.
        RgReconsideration => "rg_reconsideration",
        /// A reconsideration of the negative conclusive-grounds decision has been requested.
        CgReconsideration => "cg_reconsideration",
        /// The referral was withdrawn. Final.
        Withdrawn => "withdrawn",
    }
}

impl NrmStatus {
    /// How the status reads at the end of "the case is …".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Referred => "referred",
            Self::PresumedVictim => "a presumed victim (positive reasonable-grounds decision)",
            Self::RgNegative => "closed with a negative reasonable-grounds decision",
            Self::IdentifiedVictim => "an identified victim (positive conclusive-grounds decision)",
            Self::NotAVictim => "closed with a negative conclusive-grounds decision",
            Self::RgReconsideration => "awaiting reconsideration of a negative reasonable-grounds decision",
            Self::CgReconsideration => "awaiting reconsideration of a negative conclusive-grounds decision",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// No decision can follow, only a correction of the latest one.
    pub fn is_final(self) -> bool {
        allowed_next(self).is_empty()
    }
}

coded_enum! {
    /// The kind of a decision recorded on a case.
    pub enum DecisionKind {
        ReasonableGroundsPositive => "reasonable_grounds_positive",
        ReasonableGroundsNegative => "reasonable_grounds_negative",
        ConclusiveGroundsPositive => "conclusive_grounds_positive",
        ConclusiveGroundsNegative => "conclusive_grounds_negative",
        /// A first responder or support provider asks for a negative decision to be reconsidered.
        ReconsiderationRequested => "reconsideration_requested",
        /// The reconsidered negative decision stands.
        ReconsiderationUpheld => "reconsideration_upheld",
        /// The reconsidered negative decision is replaced by a positive one.
        ReconsiderationOverturned => "reconsideration_overturned",
        /// The referral is withdrawn.
        Withdrawal => "withdrawal",
    }
}

impl DecisionKind {
    /// A readable name ("a negative reasonable-grounds decision").
    pub fn label(self) -> &'static str {
        match self {
            Self::ReasonableGroundsPositive => "a positive reasonable-grounds decision",
            Self::ReasonableGroundsNegative => "a negative reasonable-grounds decision",
            Self::ConclusiveGroundsPositive => "a positive conclusive-grounds decision",
            Self::ConclusiveGroundsNegative => "a negative conclusive-grounds decision",
            Self::ReconsiderationRequested => "a reconsideration request",
            Self::ReconsiderationUpheld => "a reconsideration decision upholding the earlier decision",
            Self::ReconsiderationOverturned => "a reconsideration decision overturning the earlier decision",
            Self::Withdrawal => "a withdrawal",
        }
    }

    /// Negative decisions, conclusive-grounds decisions, the outcome of a reconsideration (it answers
    /// a reasoned request against a reasoned decision) and withdrawals must state their reasons.
    /// Corrections always must too (see [`Decision::needs_reasons`]).
    pub fn requires_reasons(self) -> bool {
        !matches!(self, Self::ReasonableGroundsPositive | Self::ReconsiderationRequested)
    }
}

/// The decision kinds that may follow `status`. Final statuses allow none (only corrections).
pub fn allowed_next(status: NrmStatus) -> &'static [DecisionKind] {
    use DecisionKind::*;
    match status {
        NrmStatus::Referred => &[ReasonableGroundsPositive, ReasonableGroundsNegative, Withdrawal],
        NrmStatus::PresumedVictim => &[ConclusiveGroundsPositive, ConclusiveGroundsNegative, Withdrawal],
        NrmStatus::RgNegative | NrmStatus::NotAVictim => &[ReconsiderationRequested],
        NrmStatus::RgReconsideration | NrmStatus::CgReconsideration => {
            &[ReconsiderationUpheld, ReconsiderationOverturned]
        }
        NrmStatus::IdentifiedVictim | NrmStatus::Withdrawn => &[],
    }
}

/// The status a decision of `kind` leads to from `status`, or `None` when it may not follow.
pub fn transition(status: NrmStatus, kind: DecisionKind) -> Option<NrmStatus> {
    use DecisionKind::*;
    use NrmStatus::*;
    let to = match (status, kind) {
        (Referred, ReasonableGroundsPositive) => PresumedVictim,
        (Referred, ReasonableGroundsNegative) => RgNegative,
        (Referred | PresumedVictim, Withdrawal) => Withdrawn,
        (PresumedVictim, ConclusiveGroundsPositive) => IdentifiedVictim,
        (PresumedVictim, ConclusiveGroundsNegative) => NotAVictim,
        (RgNegative, ReconsiderationRequested) => RgReconsideration,
        (RgReconsideration, ReconsiderationUpheld) => RgNegative,
        (RgReconsideration, ReconsiderationOverturned) => PresumedVictim,
        (NotAVictim, ReconsiderationRequested) => CgReconsideration,
        (CgReconsideration, ReconsiderationUpheld) => NotAVictim,
        (CgReconsideration, ReconsiderationOverturned) => IdentifiedVictim,
        _ => return None,
    };
    Some(to)
}

/// Why `kind` may not follow `status`, in words for the person recording it.
fn refusal(status: NrmStatus, kind: DecisionKind) -> &'static str {
    use DecisionKind::*;
    use NrmStatus::*;
    match (status, kind) {
        (IdentifiedVictim, _) => "a positive conclusive-grounds decision is final; only a correction of it can follow",
        (Withdrawn, _) => "a withdrawn referral is final; only a correction of the withdrawal can follow",
        (RgNegative, ReasonableGroundsPositive | ReasonableGroundsNegative) => {
            "the reasonable-grounds decision has been made; it can change only through reconsideration or a correction"
        }
        (RgReconsideration, ReasonableGroundsPositive | ReasonableGroundsNegative) => {
            "the reasonable-grounds decision is being reconsidered; record the outcome of the reconsideration instead"
        }
        (_, ReasonableGroundsPositive | ReasonableGroundsNegative) => {
            "the reasonable-grounds decision has already been made"
        }
        (Referred | RgNegative | RgReconsideration, ConclusiveGroundsPositive | ConclusiveGroundsNegative) => {
            "a conclusive-grounds decision needs a positive reasonable-grounds decision first"
        }
        (CgReconsideration, ConclusiveGroundsPositive | ConclusiveGroundsNegative) => {
            "the conclusive-grounds decision is being reconsidered; record the outcome of the reconsideration instead"
        }
        (_, ConclusiveGroundsPositive | ConclusiveGroundsNegative) => {
            "the conclusive-grounds decision has been made; it can change only through reconsideration or a correction"
        }
        (RgReconsideration | CgReconsideration, ReconsiderationRequested) => {
            "a reconsideration request is already pending"
        }
        (_, ReconsiderationRequested) => {
            "only a negative reasonable-grounds or conclusive-grounds decision can be reconsidered"
        }
        (_, ReconsiderationUpheld | ReconsiderationOverturned) => {
            "there is no pending reconsideration request to decide"
        }
        (_, Withdrawal) => {
            "a referral can be withdrawn only while it awaits a reasonable-grounds or conclusive-grounds decision"
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
                let n: u32 = c
                    .parse()
                    .map_err(|_| ParseError::new("corrects", format!("{c:?} is not the number of a decision")))?;
                if n == 0 || n >= seq {
                    return Err(ParseError::new("corrects", "a correction must name an earlier decision of this case"));
                }
                Some(n)
            }
        };
        let decision = Self { seq, kind, decided_on, reasons, corrects };
        if decision.needs_reasons() && decision.reasons.is_none() {
            let what = if decision.corrects.is_some() { "a correction" } else { kind.label() };
            return Err(ParseError::new("reasons", format!("{what} must state its reasons")));
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
}

impl TransitionError {
    /// The message shown to the user.
    pub fn message(&self) -> String {
        let what = match &self.problem {
            Problem::NotAllowed => refusal(self.status, self.kind).to_owned(),
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
}

/// The state of a case in the NRM, folded from its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatus {
    referred_on: CalendarDate,
    history: Vec<Decision>,
    /// Parallel to `history`: the decision that corrected each one.
    corrected_by: Vec<Option<u32>>,
    effective: Vec<Decision>,
    /// Parallel to `effective`: the status each effective decision was applied to.
    before: Vec<NrmStatus>,
    status: NrmStatus,
    assistance_since: Option<CalendarDate>,
    reflection_from: Option<CalendarDate>,
    rg_decided_on: Option<CalendarDate>,
    cg_decided_on: Option<CalendarDate>,
}

impl CaseStatus {
    /// A case referred on `referred_on`, with no decision yet.
    pub fn referred(referred_on: CalendarDate) -> Self {
        Self {
            referred_on,
            history: Vec::new(),
            corrected_by: Vec::new(),
            effective: Vec::new(),
            before: Vec::new(),
            status: NrmStatus::Referred,
            assistance_since: None,
            reflection_from: None,
            rg_decided_on: None,
            cg_decided_on: None,
        }
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

    pub fn referred_on(&self) -> CalendarDate {
        self.referred_on
    }

    /// The start of assistance and support: the first positive reasonable-grounds decision, or the
    /// reconsideration that overturned a negative one. It starts at once and is not conditional on
    /// cooperation with the authorities (Directive 2011/36/EU Art 11(2)-(3); Convention Art 12(6)).
    /// It stays set after later decisions: what support follows a negative conclusive-grounds
    /// decision or a withdrawal is a matter for national rules.
    pub fn assistance_since(&self) -> Option<CalendarDate> {
        self.assistance_since
    }

    /// The start of the recovery and reflection period: the date reasonable grounds were found
    /// (Convention Art 13(1)).
    pub fn reflection_from(&self) -> Option<CalendarDate> {
        self.reflection_from
    }

    /// The date of the reasonable-grounds decision in force (an overturning reconsideration replaces
    /// it; an upholding one leaves it).
    pub fn rg_decided_on(&self) -> Option<CalendarDate> {
        self.rg_decided_on
    }

    /// The date of the conclusive-grounds decision in force (as for [`CaseStatus::rg_decided_on`]).
    pub fn cg_decided_on(&self) -> Option<CalendarDate> {
        self.cg_decided_on
    }

    /// A presumed or identified victim: entitled to the protection and assistance measures for
    /// victims. While presumed (identification not complete), Convention Art 10(2) forbids removal.
    pub fn is_victim_for_protection(&self) -> bool {
        matches!(self.status, NrmStatus::PresumedVictim | NrmStatus::IdentifiedVictim)
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
        allowed_next(self.status)
    }

    /// The decision that may be corrected now (the latest effective one) and the kinds a correction
    /// of it may have.
    pub fn correctable(&self) -> Option<(u32, &'static [DecisionKind])> {
        let latest = self.effective.last()?;
        let before = self.before.last()?;
        Some((latest.seq, allowed_next(*before)))
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
        let err = |status: NrmStatus, problem: Problem| TransitionError {
            seq: d.seq,
            status,
            kind: d.kind,
            corrects: d.corrects,
            problem,
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
        if transition(from, d.kind).is_none() {
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
        let (mut assistance, mut reflection, mut rg, mut cg) = (None, None, None, None);
        for (d, from) in self.effective.iter().zip(&self.before) {
            let on = Some(d.decided_on);
            match (*from, d.kind) {
                (Referred, ReasonableGroundsPositive) | (RgReconsideration, ReconsiderationOverturned) => {
                    rg = on;
                    assistance = assistance.or(on);
                    reflection = reflection.or(on);
                }
                (Referred, ReasonableGroundsNegative) => rg = on,
                (PresumedVictim, ConclusiveGroundsPositive | ConclusiveGroundsNegative)
                | (CgReconsideration, ReconsiderationOverturned) => cg = on,
                _ => {}
            }
            status = transition(*from, d.kind).unwrap_or(status);
        }
        self.status = status;
        self.assistance_since = assistance;
        self.reflection_from = reflection;
        self.rg_decided_on = rg;
        self.cg_decided_on = cg;
    }
}

/// Folds a case's decisions, in `seq` order, into its status; the first refused decision stops it.
pub fn fold(referred_on: CalendarDate, decisions: &[Decision]) -> Result<CaseStatus, TransitionError> {
    let mut state = CaseStatus::referred(referred_on);
    for d in decisions {
        state.push(d)?;
    }
    Ok(state)
}

/// The status after appending `proposed` to `history`, or why it is refused.
pub fn check_next(
    referred_on: CalendarDate,
    history: &[Decision],
    proposed: &Decision,
) -> Result<CaseStatus, TransitionError> {
    fold(referred_on, history)?.apply(proposed)
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

    /// The transitions as the procedure defines them (casework research 2.1), written out here
    /// independently of the code under test.
    const TABLE: &[(NrmStatus, DecisionKind, NrmStatus)] = &[
        (Referred, ReasonableGroundsPositive, PresumedVictim),
        (Referred, ReasonableGroundsNegative, RgNegative),
        (Referred, Withdrawal, Withdrawn),
        (PresumedVictim, ConclusiveGroundsPositive, IdentifiedVictim),
        (PresumedVictim, ConclusiveGroundsNegative, NotAVictim),
        (PresumedVictim, Withdrawal, Withdrawn),
        (RgNegative, ReconsiderationRequested, RgReconsideration),
        (RgReconsideration, ReconsiderationUpheld, RgNegative),
        (RgReconsideration, ReconsiderationOverturned, PresumedVictim),
        (NotAVictim, ReconsiderationRequested, CgReconsideration),
        (CgReconsideration, ReconsiderationUpheld, NotAVictim),
        (CgReconsideration, ReconsiderationOverturned, IdentifiedVictim),
    ];

    fn table_next(from: NrmStatus, kind: DecisionKind) -> Option<NrmStatus> {
        TABLE.iter().find(|(f, k, _)| *f == from && *k == kind).map(|(_, _, to)| *to)
    }

    /// A way to reach each status, written out by hand.
    fn path_to(status: NrmStatus) -> &'static [DecisionKind] {
        match status {
            Referred => &[],
            PresumedVictim => &[ReasonableGroundsPositive],
            RgNegative => &[ReasonableGroundsNegative],
            IdentifiedVictim => &[ReasonableGroundsPositive, ConclusiveGroundsPositive],
            NotAVictim => &[ReasonableGroundsPositive, ConclusiveGroundsNegative],
            RgReconsideration => &[ReasonableGroundsNegative, ReconsiderationRequested],
            CgReconsideration => &[ReasonableGroundsPositive, ConclusiveGroundsNegative, ReconsiderationRequested],
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
            let reached = fold(date(REFERRED_ON), &decisions(path_to(*s))).unwrap();
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
                let result = check_next(date(REFERRED_ON), &history, &proposed);
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
                let mut allowed = allowed_next(*status).to_vec();
                allowed.sort();
                assert_eq!(allowed, expected, "allowed_next({status})");
                assert_eq!(transition(*status, *kind), table_next(*status, *kind));
            }
        }
        assert_eq!((legal, illegal), (12, 52));
    }

    #[test]
    fn refusals_say_what_is_missing_and_where_the_case_stands() {
        let history = decisions(&[]);
        let e = check_next(date(REFERRED_ON), &history, &next_after(&history, ConclusiveGroundsPositive)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a conclusive-grounds decision needs a positive reasonable-grounds decision first; the case is referred"
        );
        let history = decisions(path_to(IdentifiedVictim));
        let e = check_next(date(REFERRED_ON), &history, &next_after(&history, Withdrawal)).unwrap_err();
        assert!(e.to_string().starts_with("a positive conclusive-grounds decision is final"), "{e}");
        let history = decisions(path_to(PresumedVictim));
        let e = check_next(date(REFERRED_ON), &history, &next_after(&history, ReconsiderationUpheld)).unwrap_err();
        assert!(e.to_string().starts_with("there is no pending reconsideration request"), "{e}");
        assert!(IdentifiedVictim.is_final() && Withdrawn.is_final() && !NotAVictim.is_final());
    }

    /// Directive 2011/36/EU Art 11(2): support starts with the reasonable-grounds indication;
    /// Convention Art 13(1): the reflection period starts when reasonable grounds are found.
    #[test]
    fn art_11_2_and_convention_art_13_1_assistance_and_reflection_start_with_positive_rg() {
        let history = decisions(&[ReasonableGroundsPositive]);
        let s = fold(date(REFERRED_ON), &history).unwrap();
        assert_eq!(s.assistance_since(), Some(history[0].decided_on));
        assert_eq!(s.reflection_from(), Some(history[0].decided_on));
        assert_eq!(s.rg_decided_on(), Some(history[0].decided_on));
        assert_eq!(s.cg_decided_on(), None);
        assert!(s.is_victim_for_protection());

        let referred = fold(date(REFERRED_ON), &[]).unwrap();
        assert_eq!((referred.assistance_since(), referred.reflection_from()), (None, None));
        assert!(!referred.is_victim_for_protection());
    }

    /// Art 11(2)-(3) of Directive 2011/36/EU and Convention Art 12(6): the start of assistance
    /// depends on the reasonable-grounds finding alone. Later decisions do not move it.
    #[test]
    fn art_11_3_assistance_start_is_not_moved_by_later_decisions() {
        let history = decisions(&[ReasonableGroundsPositive, ConclusiveGroundsNegative, ReconsiderationRequested]);
        let s = fold(date(REFERRED_ON), &history).unwrap();
        assert_eq!(s.status(), CgReconsideration);
        assert_eq!(s.assistance_since(), Some(history[0].decided_on));
        assert_eq!(s.cg_decided_on(), Some(history[1].decided_on));
        assert!(!s.is_victim_for_protection());
    }

    /// After a negative RG decision is overturned on reconsideration, assistance (Directive Art 11(2))
    /// and the reflection period (Convention Art 13(1)) start on the date of the overturning decision.
    #[test]
    fn art_11_2_assistance_and_reflection_start_after_overturned_rg_reconsideration() {
        let history = decisions(&[ReasonableGroundsNegative, ReconsiderationRequested, ReconsiderationOverturned]);
        let s = fold(date(REFERRED_ON), &history).unwrap();
        assert_eq!(s.status(), PresumedVictim);
        assert_eq!(s.assistance_since(), Some(history[2].decided_on));
        assert_eq!(s.reflection_from(), Some(history[2].decided_on));
        assert_eq!(s.rg_decided_on(), Some(history[2].decided_on));

        let upheld = decisions(&[ReasonableGroundsNegative, ReconsiderationRequested, ReconsiderationUpheld]);
        let s = fold(date(REFERRED_ON), &upheld).unwrap();
        assert_eq!(s.status(), RgNegative);
        assert_eq!((s.assistance_since(), s.reflection_from()), (None, None));
        assert_eq!(s.rg_decided_on(), Some(upheld[0].decided_on), "an upheld decision stands with its date");
    }

    #[test]
    fn overturned_cg_reconsideration_identifies_the_victim() {
        let kinds =
            [ReasonableGroundsPositive, ConclusiveGroundsNegative, ReconsiderationRequested, ReconsiderationOverturned];
        let history = decisions(&kinds);
        let s = fold(date(REFERRED_ON), &history).unwrap();
        assert_eq!(s.status(), IdentifiedVictim);
        assert_eq!(s.cg_decided_on(), Some(history[3].decided_on));
        assert_eq!(s.assistance_since(), Some(history[0].decided_on));
        assert!(s.is_victim_for_protection());
    }

    #[test]
    fn reasons_are_required_for_negative_cg_reconsideration_outcomes_and_withdrawal() {
        for kind in DecisionKind::ALL {
            let required = !matches!(kind, ReasonableGroundsPositive | ReconsiderationRequested);
            assert_eq!(kind.requires_reasons(), required, "{kind}");
        }
        let history = decisions(&[ReasonableGroundsPositive]);
        for kind in [ConclusiveGroundsPositive, ConclusiveGroundsNegative, Withdrawal] {
            let mut proposed = next_after(&history, kind);
            proposed.reasons = None;
            let e = check_next(date(REFERRED_ON), &history, &proposed).unwrap_err();
            assert_eq!((e.problem, e.status, e.kind), (Problem::ReasonsRequired, PresumedVictim, kind));
        }
        let mut rg_negative = next_after(&[], ReasonableGroundsNegative);
        rg_negative.reasons = None;
        let e = check_next(date(REFERRED_ON), &[], &rg_negative).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a negative reasonable-grounds decision must state its reasons; the case is referred"
        );
        let mut rg_positive = next_after(&[], ReasonableGroundsPositive);
        rg_positive.reasons = None;
        assert!(check_next(date(REFERRED_ON), &[], &rg_positive).is_ok());
    }

    #[test]
    fn decisions_may_not_go_back_in_time() {
        let history = decisions(&[ReasonableGroundsPositive]);
        let mut early = next_after(&history, ConclusiveGroundsPositive);
        early.decided_on = history[0].decided_on.add_days(-1).unwrap();
        let e = check_next(date(REFERRED_ON), &history, &early).unwrap_err();
        assert_eq!(e.problem, Problem::BeforePrevious { previous_seq: 1, previous_on: history[0].decided_on });
        assert!(e.to_string().contains("before the previous decision (number 1"), "{e}");
        // The same day is allowed.
        early.decided_on = history[0].decided_on;
        assert!(check_next(date(REFERRED_ON), &history, &early).is_ok());

        let mut before_referral = next_after(&[], ReasonableGroundsPositive);
        before_referral.decided_on = date("2024-02-29");
        let e = check_next(date(REFERRED_ON), &[], &before_referral).unwrap_err();
        assert_eq!(e.problem, Problem::BeforeReferral { referred_on: date(REFERRED_ON) });
        before_referral.decided_on = date(REFERRED_ON);
        assert!(check_next(date(REFERRED_ON), &[], &before_referral).is_ok());
    }

    #[test]
    fn sequence_numbers_must_follow_on() {
        let history = decisions(&[ReasonableGroundsPositive]);
        let mut skipped = next_after(&history, ConclusiveGroundsPositive);
        skipped.seq = 3;
        let e = check_next(date(REFERRED_ON), &history, &skipped).unwrap_err();
        assert_eq!(e.problem, Problem::OutOfSequence { expected: 2 });
    }

    #[test]
    fn a_correction_replaces_the_latest_decision() {
        // RG positive recorded by mistake; corrected to negative.
        let history = decisions(&[ReasonableGroundsPositive]);
        let correction = next_after(&history, ReasonableGroundsNegative).correcting(1);
        let s = check_next(date(REFERRED_ON), &history, &correction).unwrap();
        assert_eq!(s.status(), RgNegative);
        assert_eq!(s.effective_decisions(), std::slice::from_ref(&correction));
        assert_eq!(s.history().len(), 2);
        assert_eq!(s.corrected_by(1), Some(2));
        assert_eq!((s.assistance_since(), s.reflection_from()), (None, None));
        assert_eq!(s.rg_decided_on(), Some(correction.decided_on));
        // A correction of the correction is allowed: it is now the latest effective decision.
        let mut all = history.clone();
        all.push(correction);
        let again = next_after(&all, ReasonableGroundsPositive).correcting(2);
        let s = check_next(date(REFERRED_ON), &all, &again).unwrap();
        assert_eq!(s.status(), PresumedVictim);
        assert_eq!(s.assistance_since(), Some(again.decided_on));
    }

    #[test]
    fn a_final_decision_can_be_corrected() {
        let history = decisions(&[ReasonableGroundsPositive, ConclusiveGroundsPositive]);
        let correction = next_after(&history, ConclusiveGroundsNegative).correcting(2);
        let s = check_next(date(REFERRED_ON), &history, &correction).unwrap();
        assert_eq!(s.status(), NotAVictim);
        assert_eq!(s.correctable(), Some((3, &[ConclusiveGroundsPositive, ConclusiveGroundsNegative, Withdrawal][..])));
    }

    #[test]
    fn a_correction_may_fix_the_date_but_not_before_the_decision_below_it() {
        let history = decisions(&[ReasonableGroundsPositive, ConclusiveGroundsPositive]);
        let mut fix = next_after(&history, ConclusiveGroundsPositive).correcting(2);
        fix.decided_on = history[1].decided_on.add_days(-5).unwrap();
        let s = check_next(date(REFERRED_ON), &history, &fix).unwrap();
        assert_eq!(s.cg_decided_on(), Some(fix.decided_on));
        fix.decided_on = history[0].decided_on.add_days(-1).unwrap();
        let e = check_next(date(REFERRED_ON), &history, &fix).unwrap_err();
        assert_eq!(e.problem, Problem::BeforePrevious { previous_seq: 1, previous_on: history[0].decided_on });
    }

    #[test]
    fn a_correction_must_be_legal_where_the_corrected_decision_was_made() {
        let history = decisions(&[ReasonableGroundsPositive]);
        let correction = next_after(&history, ConclusiveGroundsPositive).correcting(1);
        let e = check_next(date(REFERRED_ON), &history, &correction).unwrap_err();
        assert_eq!((e.status, e.kind, &e.problem), (Referred, ConclusiveGroundsPositive, &Problem::NotAllowed));
        assert_eq!(
            e.to_string(),
            "as a correction of decision 1: a conclusive-grounds decision needs a positive reasonable-grounds \
             decision first; before decision 1 the case was referred"
        );
    }

    #[test]
    fn a_correction_of_a_superseded_decision_is_refused() {
        let mut history = decisions(&[ReasonableGroundsPositive]);
        history.push(next_after(&history, ReasonableGroundsNegative).correcting(1));
        let again = next_after(&history, ReasonableGroundsPositive).correcting(1);
        let e = check_next(date(REFERRED_ON), &history, &again).unwrap_err();
        assert_eq!(e.problem, Problem::CorrectsSuperseded { target: 1, superseded_by: 2 });
        assert!(e.to_string().contains("already been corrected by decision 2"), "{e}");
    }

    #[test]
    fn a_correction_of_a_decision_that_is_not_the_latest_is_refused() {
        let history = decisions(&[ReasonableGroundsPositive, ConclusiveGroundsNegative]);
        let correction = next_after(&history, ReasonableGroundsNegative).correcting(1);
        let e = check_next(date(REFERRED_ON), &history, &correction).unwrap_err();
        assert_eq!(e.problem, Problem::CorrectsNotLatest { target: 1, latest: 2 });
        for target in [0, 3, 9] {
            let correction = next_after(&history, ConclusiveGroundsPositive).correcting(target);
            let e = check_next(date(REFERRED_ON), &history, &correction).unwrap_err();
            assert_eq!(e.problem, Problem::UnknownCorrectionTarget { target });
        }
    }

    #[test]
    fn a_correction_must_state_its_reasons() {
        let history = decisions(&[ReasonableGroundsPositive]);
        let mut correction = next_after(&history, ReasonableGroundsPositive).correcting(1);
        correction.reasons = None;
        let e = check_next(date(REFERRED_ON), &history, &correction).unwrap_err();
        assert_eq!(e.problem, Problem::ReasonsRequired);
        assert!(e.to_string().starts_with("a correction must state its reasons"), "{e}");
    }

    #[test]
    fn decisions_parse_from_form_fields() {
        let d = Decision::parse(2, "conclusive_grounds_positive", "2024-05-01", " Interview. ", "").unwrap();
        assert_eq!((d.seq, d.kind, d.corrects), (2, ConclusiveGroundsPositive, None));
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
        let d = next_after(&[], ReasonableGroundsNegative);
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"reasonable_grounds_negative\""), "{json}");
        assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
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
            if matches!(
                (at, d.kind),
                (Referred, ReasonableGroundsPositive) | (RgReconsideration, ReconsiderationOverturned)
            ) {
                assistance = assistance.or(Some(d.decided_on));
            }
            last = d.decided_on;
            at = to.unwrap_or(at);
        }
        prop_assert_eq!(at, s.status());
        prop_assert!(reachable().contains(&s.status()));
        prop_assert_eq!(assistance, s.assistance_since());
        prop_assert_eq!(s.reflection_from(), s.assistance_since());
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
            let first = fold(date(REFERRED_ON), &ds);
            prop_assert_eq!(&first, &fold(date(REFERRED_ON), &ds));
            if let Some((last, init)) = ds.split_last() {
                prop_assert_eq!(&first, &check_next(date(REFERRED_ON), init, last));
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
            let s = fold(date(REFERRED_ON), &ds);
            prop_assert!(s.is_ok(), "{:?}", s);
            if let Ok(s) = s {
                prop_assert_eq!(s.status(), end);
                check_against_table(&s)?;
            }
        }
    }
}
