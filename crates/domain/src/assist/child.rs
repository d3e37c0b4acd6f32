//! Child victims (Dir 2011/36 Arts 13-16; CETS 197 Arts 10(4), 16(7)):
//! guardians and representatives, the protection of children in criminal investigations and
//! proceedings, best-interests determinations and durable solutions for unaccompanied children.
//!
//! - [`GuardianAppointment`] and [`guardian_need`]: a guardian or representative where the holders
//!   of parental responsibility are precluded, or the child is unaccompanied (Arts 14(2), 16(3)).
//! - [`ProceedingsRepresentative`] and [`proceedings_representative_need`]: a representative in
//!   criminal investigations and proceedings (Arts 15(1), 16(4)), with free legal counselling
//!   (Art 15(2)).
//! - [`ChildInterview`] and [`review`]: interviews recorded with the conditions of Art 15(3)-(4).
//!   A breach of those conditions is a fact to record, never a reason to refuse the record;
//!   [`review`] lists every concern with its article.
//! - [`BestInterestsDetermination`] and [`DurableSolution`]: a durable solution rests on an
//!   individual assessment of the child's best interests (Art 16(2)); a return to the country of
//!   origin only where the determination says it is in the child's best interests.
//!
//! Records here do not carry their own identifiers: storage keeps them beside the record (as for
//! the residence decisions), and a rule that links two records receives the linked one together
//! with its identifier ([`DeterminationRef`]) and checks the two match.
//!
//! No rule here reads the clock: `today` is passed in.

use crate::{
    Coded, ParseError,
    case::CalendarDate,
    coded_enum,
    ident::record::Guardian,
    text::{Narrative, parse_line},
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// At most this many interviewers are recorded for one interview.
pub const MAX_INTERVIEWERS: usize = 10;

fn optional_line(field: &str, value: &str, max: usize) -> Result<Option<String>, ParseError> {
    match value.trim() {
        "" => Ok(None),
        v => parse_line(field, v, max).map(Some),
    }
}

/// A yes/no form value; an empty value is an error.
fn parse_flag(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        "" => Err(ParseError::yes_or_no(field)),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

/// A yes/no/unknown form value: empty is "not answered".
fn parse_optional_flag(field: &str, value: &str) -> Result<Option<bool>, ParseError> {
    match value.trim() {
        "" => Ok(None),
        v => parse_flag(field, v).map(Some),
    }
}

/// A date of something that has happened: not after `today`.
fn past_date(field: &str, value: &str, today: CalendarDate) -> Result<CalendarDate, ParseError> {
    let date = CalendarDate::parse(field, value)?;
    if date > today {
        return Err(ParseError::in_future(field, date, today));
    }
    Ok(date)
}

fn parse_id(field: &str, value: &str) -> Result<uuid::Uuid, ParseError> {
    let v = value.trim();
    uuid::Uuid::parse_str(v).map_err(|_| {
        ParseError::said(
            field,
            format!("{v:?} is not a record identifier"),
            crate::Message::new(crate::MessageId::NotARecordIdentifier).with("value", v),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Guardians and representatives
// ---------------------------------------------------------------------------------------------

coded_enum! {
    /// What the appointed person is to the child.
    pub enum GuardianKind {
        /// A guardian (Dir 2011/36 Arts 14(2), 16(3); Convention Art 10(4)(a)).
        Guardian => "guardian",
        /// A representative, where national law appoints one instead of a guardian (Art 14(2)).
        Representative => "representative",
    }
}

/// A guardian or representative appointed for a child victim, from the moment the child is
/// identified (Dir 2011/36 Art 14(2)); for an unaccompanied child (Art 16(3);
/// Convention Art 10(4)(a)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardianAppointment {
    pub appointed_on: CalendarDate,
    pub name: String,
    /// The organisation or authority the guardian acts for; `None` for a private person.
    pub organisation: Option<String>,
    pub kind: GuardianKind,
}

impl GuardianAppointment {
    /// Parses an appointment from form fields; `organisation` may be empty. The appointment
    /// date may not be after `today`.
    pub fn parse(
        appointed_on: &str,
        name: &str,
        organisation: &str,
        kind: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        Ok(Self {
            appointed_on: past_date("appointed_on", appointed_on, today)?,
            name: parse_line("name", name, 200)?,
            organisation: optional_line("organisation", organisation, 200)?,
            kind: GuardianKind::parse_code("kind", kind)?,
        })
    }

    /// The guardian recorded with the registration (`ident::record::Guardian`), as an appointment.
    pub fn from_registration(guardian: &Guardian) -> Self {
        Self {
            appointed_on: guardian.appointed_on,
            name: guardian.name.clone(),
            organisation: Some(guardian.organisation.clone()).filter(|o| !o.trim().is_empty()),
            kind: GuardianKind::Guardian,
        }
    }
}

coded_enum! {
    /// Who represents the child in criminal investigations and proceedings.
    pub enum RepresentativeRole {
        Lawyer => "lawyer",
        Other => "other",
    }
}

/// A representative of the child in criminal investigations and proceedings (Directive
/// 2011/36/EU Arts 15(1), 16(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProceedingsRepresentative {
    pub appointed_on: CalendarDate,
    pub name: String,
    pub role: RepresentativeRole,
    /// The child has access to free legal counselling and free legal representation, including to
    /// claim compensation, unless the child has sufficient financial resources (Art 15(2)).
    pub free_legal_counselling: bool,
}

impl ProceedingsRepresentative {
    /// Parses an appointment from form fields (`free_legal_counselling` is yes/no). The
    /// appointment date may not be after `today`.
    pub fn parse(
        appointed_on: &str,
        name: &str,
        role: &str,
        free_legal_counselling: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        Ok(Self {
            appointed_on: past_date("appointed_on", appointed_on, today)?,
            name: parse_line("name", name, 200)?,
            role: RepresentativeRole::parse_code("role", role)?,
            free_legal_counselling: parse_flag("free_legal_counselling", free_legal_counselling)?,
        })
    }
}

/// The circumstances of a child that decide whether someone must be appointed for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildCircumstances {
    /// By national law the holders of parental responsibility are precluded from ensuring the
    /// child's best interests or from representing the child, as a result of a conflict of
    /// interest between them and the child.
    pub parental_conflict_of_interest: bool,
    /// The child is unaccompanied or separated from their family.
    pub unaccompanied: bool,
}

coded_enum! {
    /// Why an appointment is required.
    pub enum AppointmentGround {
        /// The holders of parental responsibility are precluded (conflict of interest).
        ParentalConflictOfInterest => "parental_conflict_of_interest",
        /// The child is unaccompanied or separated from their family.
        Unaccompanied => "unaccompanied",
    }
}

/// Whether an appointment is required, on which grounds, and whether it is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentNeed {
    /// An appointment is required on at least one ground.
    pub required: bool,
    /// Required and none recorded.
    pub missing: bool,
    /// Each ground that applies, with the article that requires the appointment on it.
    pub grounds: Vec<(AppointmentGround, &'static str)>,
}

fn need(grounds: Vec<(AppointmentGround, &'static str)>, appointed: bool) -> AppointmentNeed {
    let required = !grounds.is_empty();
    AppointmentNeed { required, missing: required && !appointed, grounds }
}

/// Whether a representative in criminal investigations and proceedings is required (the holders
/// of parental responsibility are precluded: Dir 2011/36 Art 15(1); the child is
/// unaccompanied or separated: Art 16(4)), and whether `representative` leaves it missing.
pub fn proceedings_representative_need(
    circumstances: ChildCircumstances,
    representative: Option<&ProceedingsRepresentative>,
) -> AppointmentNeed {
    let mut grounds = Vec::new();
    if circumstances.parental_conflict_of_interest {
        grounds.push((AppointmentGround::ParentalConflictOfInterest, "Dir 2011/36 Art 15(1)"));
    }
    if circumstances.unaccompanied {
        grounds.push((AppointmentGround::Unaccompanied, "Dir 2011/36 Art 16(4)"));
    }
    need(grounds, representative.is_some())
}

/// Whether a guardian or representative is required (the holders of parental responsibility are
/// precluded: Dir 2011/36 Art 14(2); the child is unaccompanied: Art 16(3) and
/// Convention Art 10(4)(a)), and whether `guardian` leaves it missing.
pub fn guardian_need(circumstances: ChildCircumstances, guardian: Option<&GuardianAppointment>) -> AppointmentNeed {
    let mut grounds = Vec::new();
    if circumstances.parental_conflict_of_interest {
        grounds.push((AppointmentGround::ParentalConflictOfInterest, "Dir 2011/36 Art 14(2)"));
    }
    if circumstances.unaccompanied {
        grounds.push((AppointmentGround::Unaccompanied, "Dir 2011/36 Art 16(3); CETS 197 Art 10(4)(a)"));
    }
    need(grounds, guardian.is_some())
}

// ---------------------------------------------------------------------------------------------
// Interviews (Art 15(3)-(4))
// ---------------------------------------------------------------------------------------------

coded_enum! {
    /// Who accompanied the child during an interview (Dir 2011/36 Art 15(3)(f)).
    pub enum Accompaniment {
        /// The child's representative.
        Representative => "representative",
        /// An adult of the child's choice.
        AdultOfChoice => "adult_of_choice",
        /// No one; a reasoned decision to the contrary should be recorded.
        NoOne => "none",
    }
}

/// One interview of a child victim in a criminal investigation or proceedings, with the
/// conditions of Dir 2011/36 Art 15(3)-(4) as they were met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildInterview {
    pub interviewed_on: CalendarDate,
    /// When the facts were reported to the competent authorities (Art 15(3)(a)).
    pub facts_reported_on: CalendarDate,
    /// Held in premises designed or adapted for the purpose (Art 15(3)(b)).
    pub premises_adapted: bool,
    /// Carried out by or through professionals trained for the purpose (Art 15(3)(c)).
    pub conducted_by_trained_professionals: bool,
    /// Who conducted the interview (user identifiers or external references), compared across
    /// interviews for Art 15(3)(d).
    pub interviewer_ids: BTreeSet<String>,
    /// Art 15(3)(f).
    pub accompanied_by: Accompaniment,
    /// The reasoned decision not to let the representative or an adult of the child's choice
    /// accompany the child; only when `accompanied_by` is `none`.
    pub no_accompaniment_reason: Option<String>,
    /// Audio-visually recorded, so that the recording may be used as evidence (Art 15(4)).
    pub video_recorded: bool,
    /// Why the interview was strictly necessary (Art 15(3)(e)).
    pub purpose: String,
}

/// The form fields of a [`ChildInterview`], as strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChildInterviewInput {
    pub interviewed_on: String,
    pub facts_reported_on: String,
    /// yes/no
    pub premises_adapted: String,
    /// yes/no
    pub conducted_by_trained_professionals: String,
    pub interviewer_ids: Vec<String>,
    /// `representative`, `adult_of_choice` or `none`.
    pub accompanied_by: String,
    pub no_accompaniment_reason: String,
    /// yes/no
    pub video_recorded: String,
    pub purpose: String,
}

impl ChildInterview {
    /// Parses an interview record. An interview before the facts were reported, or after `today`,
    /// is refused; the Art 15(3) conditions are recorded whatever they were (see [`review`]).
    pub fn parse(input: &ChildInterviewInput, today: CalendarDate) -> Result<Self, ParseError> {
        let interviewed_on = past_date("interviewed_on", &input.interviewed_on, today)?;
        let facts_reported_on = CalendarDate::parse("facts_reported_on", &input.facts_reported_on)?;
        if interviewed_on < facts_reported_on {
            return Err(ParseError::said(
                "interviewed_on",
                format!("an interview cannot come before the facts were reported ({facts_reported_on})"),
                crate::Message::new(crate::MessageId::InterviewBeforeFacts).with("date", facts_reported_on),
            ));
        }
        let mut interviewer_ids = BTreeSet::new();
        for (i, id) in input.interviewer_ids.iter().enumerate().filter(|(_, id)| !id.trim().is_empty()) {
            interviewer_ids.insert(parse_line(&format!("interviewer_ids[{i}]"), id, 100)?);
        }
        if interviewer_ids.is_empty() {
            return Err(ParseError::said(
                "interviewer_ids",
                "name at least one interviewer",
                crate::Message::new(crate::MessageId::NameInterviewer),
            ));
        }
        if interviewer_ids.len() > MAX_INTERVIEWERS {
            return Err(ParseError::said(
                "interviewer_ids",
                format!("at most {MAX_INTERVIEWERS} interviewers"),
                crate::Message::new(crate::MessageId::AtMostInterviewers).with("max", MAX_INTERVIEWERS),
            ));
        }
        let accompanied_by = Accompaniment::parse_code("accompanied_by", input.accompanied_by.trim())?;
        let no_accompaniment_reason = optional_line("no_accompaniment_reason", &input.no_accompaniment_reason, 1000)?;
        if accompanied_by != Accompaniment::NoOne && no_accompaniment_reason.is_some() {
            return Err(ParseError::said(
                "no_accompaniment_reason",
                "a reason is recorded only when the child was not accompanied",
                crate::Message::new(crate::MessageId::ReasonOnlyUnaccompanied),
            ));
        }
        Ok(Self {
            interviewed_on,
            facts_reported_on,
            premises_adapted: parse_flag("premises_adapted", &input.premises_adapted)?,
            conducted_by_trained_professionals: parse_flag(
                "conducted_by_trained_professionals",
                &input.conducted_by_trained_professionals,
            )?,
            interviewer_ids,
            accompanied_by,
            no_accompaniment_reason,
            video_recorded: parse_flag("video_recorded", &input.video_recorded)?,
            purpose: parse_line("purpose", &input.purpose, 500)?,
        })
    }
}

coded_enum! {
    /// A condition of Dir 2011/36 Art 15(3) that an interview did not meet.
    pub enum InterviewConcernKind {
        /// Held later after the facts were reported than the limit allows (Art 15(3)(a)).
        UnjustifiedDelay => "unjustified_delay",
        /// Not in premises designed or adapted for the purpose (Art 15(3)(b)).
        PremisesNotAdapted => "premises_not_adapted",
        /// Not by or through trained professionals (Art 15(3)(c)).
        UntrainedInterviewer => "untrained_interviewer",
        /// Conducted by someone who did not conduct the earlier interviews (Art 15(3)(d)).
        DifferentInterviewer => "different_interviewer",
        /// More interviews than the limit (Art 15(3)(e)).
        TooManyInterviews => "too_many_interviews",
        /// Neither the representative nor an adult of the child's choice, and no reasoned
        /// decision recorded (Art 15(3)(f)).
        NotAccompaniedWithoutReason => "not_accompanied_without_reason",
    }
}

impl InterviewConcernKind {
    pub fn article(self) -> &'static str {
        match self {
            Self::UnjustifiedDelay => "Dir 2011/36 Art 15(3)(a)",
            Self::PremisesNotAdapted => "Dir 2011/36 Art 15(3)(b)",
            Self::UntrainedInterviewer => "Dir 2011/36 Art 15(3)(c)",
            Self::DifferentInterviewer => "Dir 2011/36 Art 15(3)(d)",
            Self::TooManyInterviews => "Dir 2011/36 Art 15(3)(e)",
            Self::NotAccompaniedWithoutReason => "Dir 2011/36 Art 15(3)(f)",
        }
    }
}

/// A condition an interview did not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterviewConcern {
    /// The interview's position in the slice given to [`review`].
    pub interview: usize,
    pub kind: InterviewConcernKind,
    pub article: &'static str,
    /// What happened, in words.
    pub detail: String,
}

/// Every concern the interviews raise under Dir 2011/36 Art 15(3), taken in date order
/// (interviews on the same day in the order given), each concern naming the interview by its
/// position in `interviews`:
///
/// - (a) more than `delay_limit_days` between the facts being reported and the interview;
/// - (b) premises not adapted; (c) not by trained professionals;
/// - (d) an interviewer who conducted none of the earlier interviews;
/// - (e) each interview beyond `max_interviews`;
/// - (f) not accompanied, without a reasoned decision recorded.
///
/// The concerns within one interview come in that order.
pub fn review(interviews: &[ChildInterview], delay_limit_days: u32, max_interviews: u32) -> Vec<InterviewConcern> {
    let mut order: Vec<usize> = (0..interviews.len()).collect();
    order.sort_by_key(|&i| interviews.get(i).map(|iv| iv.interviewed_on));
    let mut concerns = Vec::new();
    let mut earlier: BTreeSet<&str> = BTreeSet::new();
    let limit = usize::try_from(max_interviews).unwrap_or(usize::MAX);
    for (position, &index) in order.iter().enumerate() {
        let Some(iv) = interviews.get(index) else { continue };
        let mut concern = |kind: InterviewConcernKind, detail: String| {
            concerns.push(InterviewConcern { interview: index, kind, article: kind.article(), detail });
        };
        let delay = iv.facts_reported_on.days_until(iv.interviewed_on);
        if delay > i64::from(delay_limit_days) {
            concern(
                InterviewConcernKind::UnjustifiedDelay,
                format!(
                    "interviewed on {}, {delay} days after the facts were reported on {} (limit {delay_limit_days} days)",
                    iv.interviewed_on, iv.facts_reported_on
                ),
            );
        }
        if !iv.premises_adapted {
            concern(
                InterviewConcernKind::PremisesNotAdapted,
                format!("the interview of {} was not held in premises adapted for children", iv.interviewed_on),
            );
        }
        if !iv.conducted_by_trained_professionals {
            concern(
                InterviewConcernKind::UntrainedInterviewer,
                format!("the interview of {} was not conducted by trained professionals", iv.interviewed_on),
            );
        }
        if position > 0 {
            let new: Vec<&str> =
                iv.interviewer_ids.iter().map(String::as_str).filter(|id| !earlier.contains(id)).collect();
            if !new.is_empty() {
                concern(
                    InterviewConcernKind::DifferentInterviewer,
                    format!(
                        "the interview of {} was conducted by {} who conducted no earlier interview",
                        iv.interviewed_on,
                        new.join(", ")
                    ),
                );
            }
        }
        if position >= limit {
            concern(
                InterviewConcernKind::TooManyInterviews,
                format!(
                    "the interview of {} is interview {} where at most {max_interviews} were expected",
                    iv.interviewed_on,
                    position + 1
                ),
            );
        }
        if iv.accompanied_by == Accompaniment::NoOne && iv.no_accompaniment_reason.is_none() {
            concern(
                InterviewConcernKind::NotAccompaniedWithoutReason,
                format!(
                    "the child was not accompanied at the interview of {} and no reasoned decision is recorded",
                    iv.interviewed_on
                ),
            );
        }
        earlier.extend(iv.interviewer_ids.iter().map(String::as_str));
    }
    concerns
}

// ---------------------------------------------------------------------------------------------
// Best interests and durable solutions
// ---------------------------------------------------------------------------------------------

coded_enum! {
    /// A factor a best-interests determination considered.
    pub enum BestInterestsFactor {
        Safety => "safety",
        Family => "family",
        Education => "education",
        Health => "health",
        /// The child's views, given due weight in accordance with age and maturity.
        ChildsViews => "childs_views",
        /// Identity, including nationality, language, culture and religion.
        Identity => "identity",
    }
}

/// A determination of a child's best interests, a primary consideration in every decision
/// concerning a child victim (Dir 2011/36 Art 13(1)), and the basis of a durable solution
/// (Art 16(2)) or a return (Convention Art 16(7)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestInterestsDetermination {
    pub decided_on: CalendarDate,
    /// Who made the determination (a person, panel or authority).
    pub decided_by: String,
    /// Whether the child's views were heard.
    pub child_heard: bool,
    /// The child's views when heard; when not heard, why not.
    pub child_views_summary: String,
    pub factors: BTreeSet<BestInterestsFactor>,
    pub outcome: Narrative,
    /// Whether a return to the country of origin is in the child's best interests; `None` when
    /// the determination does not say.
    pub return_in_best_interests: Option<bool>,
}

/// The form fields of a [`BestInterestsDetermination`], as strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BestInterestsInput {
    pub decided_on: String,
    pub decided_by: String,
    /// yes/no
    pub child_heard: String,
    pub child_views_summary: String,
    /// Codes of [`BestInterestsFactor`].
    pub factors: Vec<String>,
    pub outcome: String,
    /// yes/no, or empty when the determination does not say.
    pub return_in_best_interests: String,
}

impl BestInterestsDetermination {
    /// Parses a determination: decided no later than `today`, at least one factor, and a summary
    /// of the child's views (or of why the child was not heard).
    pub fn parse(input: &BestInterestsInput, today: CalendarDate) -> Result<Self, ParseError> {
        let decided_on = past_date("decided_on", &input.decided_on, today)?;
        let decided_by = parse_line("decided_by", &input.decided_by, 200)?;
        let child_heard = parse_flag("child_heard", &input.child_heard)?;
        let child_views_summary = if input.child_views_summary.trim().is_empty() {
            let (message, id) = if child_heard {
                ("the child was heard: summarise the child's views", crate::MessageId::SummariseChildsViews)
            } else {
                ("the child was not heard: say why", crate::MessageId::SayWhyChildNotHeard)
            };
            return Err(ParseError::said("child_views_summary", message, crate::Message::new(id)));
        } else {
            parse_line("child_views_summary", &input.child_views_summary, 2000)?
        };
        let mut factors = BTreeSet::new();
        for (i, f) in input.factors.iter().enumerate().filter(|(_, f)| !f.trim().is_empty()) {
            factors.insert(BestInterestsFactor::parse_code(&format!("factors[{i}]"), f.trim())?);
        }
        if factors.is_empty() {
            return Err(ParseError::said(
                "factors",
                "name at least one factor considered",
                crate::Message::new(crate::MessageId::NameFactor),
            ));
        }
        Ok(Self {
            decided_on,
            decided_by,
            child_heard,
            child_views_summary,
            factors,
            outcome: Narrative::parse("outcome", &input.outcome)?,
            return_in_best_interests: parse_optional_flag("return_in_best_interests", &input.return_in_best_interests)?,
        })
    }

    /// The determination says that a return to the country of origin is in the child's best
    /// interests.
    pub fn supports_return(&self) -> bool {
        self.return_in_best_interests == Some(true)
    }
}

/// A stored determination together with its stored identifier, as a rule that checks a link
/// to it receives it.
pub type DeterminationRef<'a> = (uuid::Uuid, &'a BestInterestsDetermination);

coded_enum! {
    /// The kinds of durable solution for an unaccompanied child (Dir 2011/36 Art 16(2)).
    pub enum DurableSolutionKind {
        /// Reunification with family in the host country or a third country. Reunification in the
        /// country of origin is a return and is recorded as one.
        FamilyReunification => "family_reunification",
        IntegrationInHostCountry => "integration_in_host_country",
        ReturnToCountryOfOrigin => "return_to_country_of_origin",
        ResettlementInThirdCountry => "resettlement_in_third_country",
    }
}

coded_enum! {
    /// Where a durable solution stands: proposed, then agreed, then implemented; abandoned at any
    /// step before implementation.
    pub enum DurableSolutionStatus {
        Proposed => "proposed",
        Agreed => "agreed",
        Implemented => "implemented",
        Abandoned => "abandoned",
    }
}

/// The statuses that may follow `status`.
pub fn durable_solution_next(status: DurableSolutionStatus) -> &'static [DurableSolutionStatus] {
    use DurableSolutionStatus::*;
    match status {
        Proposed => &[Agreed, Abandoned],
        Agreed => &[Implemented, Abandoned],
        Implemented | Abandoned => &[],
    }
}

/// A durable solution for an unaccompanied child, based on a best-interests determination
/// (Dir 2011/36 Art 16(2)). Changed only through [`DurableSolution::transition`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurableSolution {
    kind: DurableSolutionKind,
    based_on: uuid::Uuid,
    status: DurableSolutionStatus,
    proposed_on: CalendarDate,
    agreed_on: Option<CalendarDate>,
    implemented_on: Option<CalendarDate>,
    abandoned_on: Option<CalendarDate>,
}

/// The determination `based_on` names must be the one given, decided on or before `on`, and for a
/// return, say that return is in the child's best interests.
fn check_basis(
    kind: DurableSolutionKind,
    based_on: uuid::Uuid,
    on: CalendarDate,
    determination: Option<DeterminationRef<'_>>,
) -> Result<(), ParseError> {
    let Some((id, bid)) = determination else {
        return Err(ParseError::said(
            "based_on",
            "a durable solution needs a best-interests determination first (Dir 2011/36 Art 16(2))",
            crate::Message::new(crate::MessageId::DurableSolutionNeedsDetermination),
        ));
    };
    if id != based_on {
        return Err(ParseError::said(
            "based_on",
            format!("the determination given ({id}) is not the one the solution is based on ({based_on})"),
            crate::Message::new(crate::MessageId::DeterminationNotBasis).with("given", id).with("basis", based_on),
        ));
    }
    if bid.decided_on > on {
        return Err(ParseError::said(
            "based_on",
            format!("the best-interests determination of {} comes after {on}; it must come first", bid.decided_on),
            crate::Message::new(crate::MessageId::DeterminationComesAfter)
                .with("decided", bid.decided_on)
                .with("on", on),
        ));
    }
    if kind == DurableSolutionKind::ReturnToCountryOfOrigin && !bid.supports_return() {
        return Err(ParseError::said(
            "kind",
            "a return to the country of origin needs a best-interests determination that finds return in the \
             child's best interests (Dir 2011/36 Art 16(2); CETS 197 Art 16(7))",
            crate::Message::new(crate::MessageId::ReturnNeedsDetermination),
        ));
    }
    Ok(())
}

impl DurableSolution {
    /// Proposes a durable solution based on the determination `based_on` names; `determination` is
    /// that determination as loaded, with its identifier (`None` when there is none).
    pub fn propose(
        kind: &str,
        based_on: &str,
        proposed_on: &str,
        determination: Option<DeterminationRef<'_>>,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let kind = DurableSolutionKind::parse_code("kind", kind.trim())?;
        let based_on = parse_id("based_on", based_on)?;
        let proposed_on = past_date("proposed_on", proposed_on, today)?;
        check_basis(kind, based_on, proposed_on, determination)?;
        Ok(Self {
            kind,
            based_on,
            status: DurableSolutionStatus::Proposed,
            proposed_on,
            agreed_on: None,
            implemented_on: None,
            abandoned_on: None,
        })
    }

    /// Moves the solution to `to` on `on`. Agreeing and implementing check the basis again, so
    /// `determination` is needed for them (a return whose determination no longer supports it
    /// stops here); abandoning needs none.
    pub fn transition(
        &self,
        to: DurableSolutionStatus,
        on: CalendarDate,
        determination: Option<DeterminationRef<'_>>,
    ) -> Result<Self, ParseError> {
        if !durable_solution_next(self.status).contains(&to) {
            return Err(ParseError::said(
                "status",
                format!("a durable solution cannot go from {} to {to}", self.status),
                crate::Message::new(crate::MessageId::DurableSolutionCannotChange)
                    .labels("from", "rec-ds-status", [self.status.code()])
                    .labels("to", "rec-ds-status", [to.code()]),
            ));
        }
        let last = self.implemented_on.or(self.agreed_on).unwrap_or(self.proposed_on);
        if on < last {
            return Err(ParseError::before_last_change("on", last));
        }
        let mut next = self.clone();
        next.status = to;
        match to {
            DurableSolutionStatus::Agreed => {
                check_basis(self.kind, self.based_on, on, determination)?;
                next.agreed_on = Some(on);
            }
            DurableSolutionStatus::Implemented => {
                check_basis(self.kind, self.based_on, on, determination)?;
                next.implemented_on = Some(on);
            }
            DurableSolutionStatus::Abandoned => next.abandoned_on = Some(on),
            DurableSolutionStatus::Proposed => {}
        }
        Ok(next)
    }

    pub fn kind(&self) -> DurableSolutionKind {
        self.kind
    }

    /// The identifier of the best-interests determination the solution is based on.
    pub fn based_on(&self) -> uuid::Uuid {
        self.based_on
    }

    pub fn status(&self) -> DurableSolutionStatus {
        self.status
    }

    pub fn proposed_on(&self) -> CalendarDate {
        self.proposed_on
    }

    pub fn agreed_on(&self) -> Option<CalendarDate> {
        self.agreed_on
    }

    pub fn implemented_on(&self) -> Option<CalendarDate> {
        self.implemented_on
    }

    pub fn abandoned_on(&self) -> Option<CalendarDate> {
        self.abandoned_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    const TODAY: &str = "2025-06-30";

    fn today() -> CalendarDate {
        date(TODAY)
    }

    // --- Guardians and representatives ---

    #[test]
    fn appointments_parse_and_name_their_fields() {
        let g = GuardianAppointment::parse("2025-03-01", " Ilze Berzina ", "", "guardian", today()).unwrap();
        assert_eq!((g.name.as_str(), g.organisation, g.kind), ("Ilze Berzina", None, GuardianKind::Guardian));
        let g = GuardianAppointment::parse("2025-03-01", "I. B.", "Orphan Court", "representative", today()).unwrap();
        assert_eq!(g.organisation.as_deref(), Some("Orphan Court"));
        let field = |a: &str, n: &str, k: &str| GuardianAppointment::parse(a, n, "", k, today()).unwrap_err().field;
        assert_eq!(field("2025-07-01", "X", "guardian"), "appointed_on");
        assert_eq!(field("1 March", "X", "guardian"), "appointed_on");
        assert_eq!(field("2025-03-01", " ", "guardian"), "name");
        assert_eq!(field("2025-03-01", "X", "parent"), "kind");

        let r = ProceedingsRepresentative::parse("2025-03-02", "Adv. Kalnina", "lawyer", "yes", today()).unwrap();
        assert!(r.free_legal_counselling);
        assert_eq!(r.role, RepresentativeRole::Lawyer);
        let field =
            |a: &str, r: &str, f: &str| ProceedingsRepresentative::parse(a, "X", r, f, today()).unwrap_err().field;
        assert_eq!(field("2025-07-01", "lawyer", "no"), "appointed_on");
        assert_eq!(field("2025-03-02", "judge", "no"), "role");
        assert_eq!(field("2025-03-02", "other", ""), "free_legal_counselling");
        assert_eq!(field("2025-03-02", "other", "maybe"), "free_legal_counselling");
    }

    #[test]
    fn a_guardian_from_the_registration() {
        let g = Guardian { appointed_on: date("2025-01-02"), name: "A".into(), organisation: "Court".into() };
        let a = GuardianAppointment::from_registration(&g);
        assert_eq!((a.kind, a.organisation.as_deref()), (GuardianKind::Guardian, Some("Court")));
    }

    /// Dir 2011/36 Arts 15(1) and 16(4): a representative in proceedings where the
    /// parents are precluded or the child is unaccompanied.
    #[test]
    fn art_15_1_dir_2011_36_a_representative_in_proceedings_where_parents_are_precluded() {
        let rep = ProceedingsRepresentative::parse("2025-03-02", "Adv. K", "lawyer", "yes", today()).unwrap();
        let none = ChildCircumstances::default();
        let conflict = ChildCircumstances { parental_conflict_of_interest: true, unaccompanied: false };
        let alone = ChildCircumstances { parental_conflict_of_interest: false, unaccompanied: true };
        let both = ChildCircumstances { parental_conflict_of_interest: true, unaccompanied: true };

        let n = proceedings_representative_need(none, None);
        assert!(!n.required && !n.missing && n.grounds.is_empty());

        let n = proceedings_representative_need(conflict, None);
        assert!(n.required && n.missing);
        assert_eq!(n.grounds, [(AppointmentGround::ParentalConflictOfInterest, "Dir 2011/36 Art 15(1)")]);
        let n = proceedings_representative_need(conflict, Some(&rep));
        assert!(n.required && !n.missing);

        let n = proceedings_representative_need(alone, None);
        assert!(n.required && n.missing);
        assert_eq!(n.grounds, [(AppointmentGround::Unaccompanied, "Dir 2011/36 Art 16(4)")]);
        assert!(!proceedings_representative_need(alone, Some(&rep)).missing);

        assert_eq!(proceedings_representative_need(both, None).grounds.len(), 2);
    }

    /// Dir 2011/36 Arts 14(2) and 16(3); Convention Art 10(4)(a): a guardian.
    #[test]
    fn art_14_2_dir_2011_36_a_guardian_where_parents_are_precluded_or_the_child_is_alone() {
        let g = GuardianAppointment::parse("2025-03-01", "I. B.", "Orphan Court", "guardian", today()).unwrap();
        let alone = ChildCircumstances { parental_conflict_of_interest: false, unaccompanied: true };
        let n = guardian_need(alone, None);
        assert!(n.required && n.missing);
        assert!(n.grounds[0].1.contains("Art 16(3)") && n.grounds[0].1.contains("Art 10(4)(a)"));
        assert!(!guardian_need(alone, Some(&g)).missing);
        let conflict = ChildCircumstances { parental_conflict_of_interest: true, unaccompanied: false };
        assert_eq!(guardian_need(conflict, None).grounds[0].1, "Dir 2011/36 Art 14(2)");
        assert!(!guardian_need(ChildCircumstances::default(), None).required);
    }

    // --- Interviews ---

    fn input(on: &str, reported: &str, ids: &[&str]) -> ChildInterviewInput {
        ChildInterviewInput {
            interviewed_on: on.into(),
            facts_reported_on: reported.into(),
            premises_adapted: "yes".into(),
            conducted_by_trained_professionals: "yes".into(),
            interviewer_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            accompanied_by: "representative".into(),
            no_accompaniment_reason: String::new(),
            video_recorded: "yes".into(),
            purpose: "Statement for the pre-trial investigation".into(),
        }
    }

    fn interview(on: &str, reported: &str, ids: &[&str]) -> ChildInterview {
        ChildInterview::parse(&input(on, reported, ids), today()).unwrap()
    }

    #[test]
    fn interviews_parse_and_name_their_fields() {
        let iv = interview("2025-03-05", "2025-03-01", &["officer-7", " ", "psych-2", "officer-7"]);
        assert_eq!(iv.interviewer_ids.iter().map(String::as_str).collect::<Vec<_>>(), ["officer-7", "psych-2"]);
        assert!(iv.video_recorded);

        let field = |f: &dyn Fn(&mut ChildInterviewInput)| {
            let mut i = input("2025-03-05", "2025-03-01", &["officer-7"]);
            f(&mut i);
            ChildInterview::parse(&i, today()).unwrap_err().field
        };
        assert_eq!(field(&|i| i.interviewed_on = "2025-03-32".into()), "interviewed_on");
        assert_eq!(field(&|i| i.facts_reported_on = String::new()), "facts_reported_on");
        assert_eq!(field(&|i| i.premises_adapted = String::new()), "premises_adapted");
        assert_eq!(
            field(&|i| i.conducted_by_trained_professionals = "perhaps".into()),
            "conducted_by_trained_professionals"
        );
        assert_eq!(field(&|i| i.interviewer_ids = vec![]), "interviewer_ids");
        assert_eq!(field(&|i| i.interviewer_ids = vec!["a".into(), "b\u{7}".into()]), "interviewer_ids[1]");
        assert_eq!(
            field(&|i| i.interviewer_ids = (0..=MAX_INTERVIEWERS).map(|n| n.to_string()).collect()),
            "interviewer_ids"
        );
        assert_eq!(field(&|i| i.accompanied_by = "parent".into()), "accompanied_by");
        assert_eq!(field(&|i| i.no_accompaniment_reason = "not needed".into()), "no_accompaniment_reason");
        assert_eq!(field(&|i| i.video_recorded = String::new()), "video_recorded");
        assert_eq!(field(&|i| i.purpose = String::new()), "purpose");
    }

    #[test]
    fn an_interview_before_the_report_or_in_the_future_is_refused() {
        let e = ChildInterview::parse(&input("2025-02-28", "2025-03-01", &["a"]), today()).unwrap_err();
        assert_eq!(e.field, "interviewed_on");
        assert!(e.message.contains("2025-03-01"), "{}", e.message);
        assert!(ChildInterview::parse(&input("2025-03-01", "2025-03-01", &["a"]), today()).is_ok());
        assert_eq!(
            ChildInterview::parse(&input("2025-07-01", "2025-03-01", &["a"]), today()).unwrap_err().field,
            "interviewed_on"
        );
        assert!(ChildInterview::parse(&input(TODAY, "2025-03-01", &["a"]), today()).is_ok());
    }

    #[test]
    fn interviews_that_breach_art_15_3_are_still_recorded() {
        let mut i = input("2025-06-01", "2025-01-01", &["a"]);
        i.premises_adapted = "no".into();
        i.conducted_by_trained_professionals = "no".into();
        i.accompanied_by = "none".into();
        let iv = ChildInterview::parse(&i, today()).unwrap();
        assert_eq!(review(&[iv], 30, 2).len(), 4);
    }

    fn kinds(concerns: &[InterviewConcern]) -> Vec<(usize, InterviewConcernKind)> {
        concerns.iter().map(|c| (c.interview, c.kind)).collect()
    }

    #[test]
    fn a_compliant_series_raises_no_concern() {
        let ivs = [interview("2025-03-05", "2025-03-01", &["a", "b"]), interview("2025-04-01", "2025-03-01", &["a"])];
        assert!(review(&ivs, 60, 2).is_empty());
    }

    /// Art 15(3)(a): without unjustified delay after the facts were reported.
    #[test]
    fn art_15_3_a_dir_2011_36_no_unjustified_delay_after_the_report() {
        let on_limit = interview("2025-03-31", "2025-03-01", &["a"]);
        assert!(review(&[on_limit], 30, 3).is_empty());
        let late = interview("2025-04-01", "2025-03-01", &["a"]);
        let c = review(&[late], 30, 3);
        assert_eq!(kinds(&c), [(0, InterviewConcernKind::UnjustifiedDelay)]);
        assert_eq!(c[0].article, "Dir 2011/36 Art 15(3)(a)");
        assert!(c[0].detail.contains("31 days") && c[0].detail.contains("limit 30 days"), "{}", c[0].detail);
    }

    /// Art 15(3)(b), (c) and (f): premises, trained professionals, accompaniment.
    #[test]
    fn art_15_3_b_c_f_dir_2011_36_premises_trained_professionals_and_accompaniment() {
        let mut i = input("2025-03-02", "2025-03-01", &["a"]);
        i.premises_adapted = "no".into();
        let c = review(&[ChildInterview::parse(&i, today()).unwrap()], 30, 3);
        assert_eq!(kinds(&c), [(0, InterviewConcernKind::PremisesNotAdapted)]);
        assert_eq!(c[0].article, "Dir 2011/36 Art 15(3)(b)");

        let mut i = input("2025-03-02", "2025-03-01", &["a"]);
        i.conducted_by_trained_professionals = "no".into();
        let c = review(&[ChildInterview::parse(&i, today()).unwrap()], 30, 3);
        assert_eq!(kinds(&c), [(0, InterviewConcernKind::UntrainedInterviewer)]);
        assert_eq!(c[0].article, "Dir 2011/36 Art 15(3)(c)");

        let mut i = input("2025-03-02", "2025-03-01", &["a"]);
        i.accompanied_by = "none".into();
        let c = review(&[ChildInterview::parse(&i, today()).unwrap()], 30, 3);
        assert_eq!(kinds(&c), [(0, InterviewConcernKind::NotAccompaniedWithoutReason)]);
        assert_eq!(c[0].article, "Dir 2011/36 Art 15(3)(f)");
        i.no_accompaniment_reason = "Reasoned decision of the investigator: the chosen adult is a suspect".into();
        assert!(review(&[ChildInterview::parse(&i, today()).unwrap()], 30, 3).is_empty());
        i.accompanied_by = "adult_of_choice".into();
        i.no_accompaniment_reason = String::new();
        assert!(review(&[ChildInterview::parse(&i, today()).unwrap()], 30, 3).is_empty());
    }

    /// Art 15(3)(d): the same persons conduct all the interviews where possible.
    #[test]
    fn art_15_3_d_dir_2011_36_the_same_interviewers_where_possible() {
        // Given out of order: the review takes them by date.
        let ivs = [
            interview("2025-04-01", "2025-03-01", &["b", "c"]),
            interview("2025-03-05", "2025-03-01", &["a", "b"]),
            interview("2025-05-01", "2025-03-01", &["a"]),
        ];
        let c = review(&ivs, 90, 5);
        assert_eq!(kinds(&c), [(0, InterviewConcernKind::DifferentInterviewer)]);
        assert!(c[0].detail.contains("by c who"), "{}", c[0].detail);
        assert_eq!(c[0].article, "Dir 2011/36 Art 15(3)(d)");
    }

    /// Art 15(3)(e): as few interviews as possible.
    #[test]
    fn art_15_3_e_dir_2011_36_as_few_interviews_as_possible() {
        let ivs: Vec<ChildInterview> = ["2025-03-02", "2025-03-09", "2025-03-16", "2025-03-23"]
            .iter()
            .map(|d| interview(d, "2025-03-01", &["a"]))
            .collect();
        assert!(review(&ivs, 30, 4).is_empty());
        let c = review(&ivs, 30, 2);
        assert_eq!(
            kinds(&c),
            [(2, InterviewConcernKind::TooManyInterviews), (3, InterviewConcernKind::TooManyInterviews)]
        );
        assert!(c[1].detail.contains("interview 4 where at most 2"), "{}", c[1].detail);
        assert_eq!(c[0].article, "Dir 2011/36 Art 15(3)(e)");
    }

    #[test]
    fn every_concern_of_a_bad_series_in_order() {
        let mut second = input("2025-06-01", "2025-03-01", &["z"]);
        second.premises_adapted = "no".into();
        second.conducted_by_trained_professionals = "no".into();
        second.accompanied_by = "none".into();
        let ivs = [interview("2025-03-02", "2025-03-01", &["a"]), ChildInterview::parse(&second, today()).unwrap()];
        use InterviewConcernKind::*;
        assert_eq!(
            kinds(&review(&ivs, 30, 1)),
            [
                (1, UnjustifiedDelay),
                (1, PremisesNotAdapted),
                (1, UntrainedInterviewer),
                (1, DifferentInterviewer),
                (1, TooManyInterviews),
                (1, NotAccompaniedWithoutReason),
            ]
        );
        assert!(review(&[], 30, 0).is_empty());
    }

    proptest! {
        /// Every concern names an interview that exists and carries its kind's article; an
        /// interview beyond the limit is always flagged.
        #[test]
        fn review_is_consistent(
            days in proptest::collection::vec((0i64..200, 0i64..60, 0u8..4, any::<bool>()), 0..8),
            limit in 0u32..10,
            max in 0u32..6,
        ) {
            let base = date("2024-01-01");
            let ivs: Vec<ChildInterview> = days
                .iter()
                .map(|&(start, delay, who, adapted)| {
                    let reported = base.add_days(start).unwrap();
                    let mut i = input(&reported.add_days(delay).unwrap().to_string(), &reported.to_string(), &[&who.to_string()]);
                    i.premises_adapted = if adapted { "yes" } else { "no" }.into();
                    ChildInterview::parse(&i, today()).unwrap()
                })
                .collect();
            let concerns = review(&ivs, limit, max);
            for c in &concerns {
                prop_assert!(c.interview < ivs.len());
                prop_assert_eq!(c.article, c.kind.article());
            }
            let too_many = concerns.iter().filter(|c| c.kind == InterviewConcernKind::TooManyInterviews).count();
            prop_assert_eq!(too_many, ivs.len().saturating_sub(max as usize));
            let late = concerns.iter().filter(|c| c.kind == InterviewConcernKind::UnjustifiedDelay).count();
            prop_assert_eq!(late, days.iter().filter(|d| d.1 > i64::from(limit)).count());
        }
    }

    // --- Best interests and durable solutions ---

    fn bid_input(return_ok: &str) -> BestInterestsInput {
        BestInterestsInput {
            decided_on: "2025-05-01".into(),
            decided_by: "Best-interests panel, Orphan Court".into(),
            child_heard: "yes".into(),
            child_views_summary: "Wants to finish the school year here, misses her grandmother".into(),
            factors: vec!["safety".into(), "family".into(), "childs_views".into(), "safety".into()],
            outcome: "Stay until the end of the school year; family assessment in the country of origin".into(),
            return_in_best_interests: return_ok.into(),
        }
    }

    fn bid(return_ok: &str) -> BestInterestsDetermination {
        BestInterestsDetermination::parse(&bid_input(return_ok), today()).unwrap()
    }

    #[test]
    fn determinations_parse_and_name_their_fields() {
        let b = bid("");
        assert_eq!(b.factors.len(), 3);
        assert_eq!(b.return_in_best_interests, None);
        assert!(!b.supports_return());
        assert!(bid("yes").supports_return());
        assert!(!bid("no").supports_return());

        let field = |f: &dyn Fn(&mut BestInterestsInput)| {
            let mut i = bid_input("");
            f(&mut i);
            BestInterestsDetermination::parse(&i, today()).unwrap_err().field
        };
        assert_eq!(field(&|i| i.decided_on = "2025-07-01".into()), "decided_on");
        assert_eq!(field(&|i| i.decided_by = String::new()), "decided_by");
        assert_eq!(field(&|i| i.child_heard = String::new()), "child_heard");
        assert_eq!(field(&|i| i.child_views_summary = " ".into()), "child_views_summary");
        assert_eq!(
            field(&|i| {
                i.child_heard = "no".into();
                i.child_views_summary = String::new();
            }),
            "child_views_summary"
        );
        assert_eq!(field(&|i| i.factors = vec![]), "factors");
        assert_eq!(field(&|i| i.factors = vec!["safety".into(), "wealth".into()]), "factors[1]");
        assert_eq!(field(&|i| i.outcome = String::new()), "outcome");
        assert_eq!(field(&|i| i.return_in_best_interests = "probably".into()), "return_in_best_interests");
    }

    const BID_ID: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    fn bid_id() -> uuid::Uuid {
        uuid::Uuid::parse_str(BID_ID).unwrap()
    }

    /// Dir 2011/36 Art 16(2): a durable solution needs a best-interests determination first.
    #[test]
    fn art_16_2_dir_2011_36_a_durable_solution_needs_a_determination_first() {
        let b = bid("");
        let ok = DurableSolution::propose(
            "integration_in_host_country",
            BID_ID,
            "2025-05-02",
            Some((bid_id(), &b)),
            today(),
        )
        .unwrap();
        assert_eq!(
            (ok.status(), ok.based_on(), ok.proposed_on()),
            (DurableSolutionStatus::Proposed, bid_id(), date("2025-05-02"))
        );
        assert!(
            DurableSolution::propose(
                "integration_in_host_country",
                BID_ID,
                "2025-05-01",
                Some((bid_id(), &b)),
                today()
            )
            .is_ok()
        );

        let e =
            DurableSolution::propose("integration_in_host_country", BID_ID, "2025-05-02", None, today()).unwrap_err();
        assert_eq!(e.field, "based_on");
        assert!(e.message.contains("Art 16(2)"), "{}", e.message);
        let early =
            DurableSolution::propose("family_reunification", BID_ID, "2025-04-30", Some((bid_id(), &b)), today());
        assert_eq!(early.unwrap_err().field, "based_on");
        let other = uuid::Uuid::nil();
        let wrong = DurableSolution::propose("family_reunification", BID_ID, "2025-05-02", Some((other, &b)), today());
        assert_eq!(wrong.unwrap_err().field, "based_on");
    }

    /// Dir 2011/36 Art 13(1) (the child's best interests a primary consideration), Art 16(2) and
    /// CETS 197 Art 16(7): a return only where the best-interests determination supports it.
    #[test]
    fn art_13_1_dir_2011_36_a_return_needs_a_best_interests_determination_that_supports_it() {
        let propose = |b: &BestInterestsDetermination| {
            DurableSolution::propose("return_to_country_of_origin", BID_ID, "2025-05-02", Some((bid_id(), b)), today())
        };
        assert!(propose(&bid("yes")).is_ok());
        assert_eq!(propose(&bid("no")).unwrap_err().field, "kind");
        assert_eq!(propose(&bid("")).unwrap_err().field, "kind");
        // Other solutions do not depend on the return finding.
        assert!(
            DurableSolution::propose(
                "resettlement_in_third_country",
                BID_ID,
                "2025-05-02",
                Some((bid_id(), &bid("no"))),
                today()
            )
            .is_ok()
        );
    }

    #[test]
    fn durable_solutions_name_their_fields() {
        let b = bid("yes");
        let field = |k: &str, id: &str, on: &str| {
            DurableSolution::propose(k, id, on, Some((bid_id(), &b)), today()).unwrap_err().field
        };
        assert_eq!(field("adoption", BID_ID, "2025-05-02"), "kind");
        assert_eq!(field("family_reunification", "bid-1", "2025-05-02"), "based_on");
        assert_eq!(field("family_reunification", BID_ID, "2025-07-02"), "proposed_on");
        assert_eq!(field("family_reunification", BID_ID, "May"), "proposed_on");
    }

    /// The transition table, every pair written out.
    #[test]
    fn durable_solution_transition_table() {
        use DurableSolutionStatus::*;
        let legal = [(Proposed, Agreed), (Proposed, Abandoned), (Agreed, Implemented), (Agreed, Abandoned)];
        let illegal = [
            (Proposed, Proposed),
            (Proposed, Implemented),
            (Agreed, Proposed),
            (Agreed, Agreed),
            (Implemented, Proposed),
            (Implemented, Agreed),
            (Implemented, Implemented),
            (Implemented, Abandoned),
            (Abandoned, Proposed),
            (Abandoned, Agreed),
            (Abandoned, Implemented),
            (Abandoned, Abandoned),
        ];
        assert_eq!(legal.len() + illegal.len(), DurableSolutionStatus::ALL.len().pow(2));
        let b = bid("yes");
        let r = Some((bid_id(), &b));
        let at = |status: DurableSolutionStatus| {
            let s = DurableSolution::propose("family_reunification", BID_ID, "2025-05-02", r, today()).unwrap();
            match status {
                Proposed => s,
                Agreed => s.transition(Agreed, date("2025-05-03"), r).unwrap(),
                Implemented => s
                    .transition(Agreed, date("2025-05-03"), r)
                    .unwrap()
                    .transition(Implemented, date("2025-05-04"), r)
                    .unwrap(),
                Abandoned => s.transition(Abandoned, date("2025-05-03"), None).unwrap(),
            }
        };
        for (from, to) in legal {
            let next = at(from).transition(to, date("2025-06-01"), r).unwrap();
            assert_eq!(next.status(), to, "{from} -> {to}");
            assert!(durable_solution_next(from).contains(&to));
        }
        for (from, to) in illegal {
            let e = at(from).transition(to, date("2025-06-01"), r).unwrap_err();
            assert_eq!(e.field, "status", "{from} -> {to}");
        }
    }

    #[test]
    fn agreeing_and_implementing_check_the_basis_again() {
        let yes = bid("yes");
        let s = DurableSolution::propose(
            "return_to_country_of_origin",
            BID_ID,
            "2025-05-02",
            Some((bid_id(), &yes)),
            today(),
        )
        .unwrap();
        // Without the determination, or with one that no longer supports return: refused.
        assert_eq!(
            s.transition(DurableSolutionStatus::Agreed, date("2025-05-03"), None).unwrap_err().field,
            "based_on"
        );
        let no = bid("no");
        assert_eq!(
            s.transition(DurableSolutionStatus::Agreed, date("2025-05-03"), Some((bid_id(), &no))).unwrap_err().field,
            "kind"
        );
        let agreed = s.transition(DurableSolutionStatus::Agreed, date("2025-05-03"), Some((bid_id(), &yes))).unwrap();
        assert_eq!(agreed.agreed_on(), Some(date("2025-05-03")));
        assert_eq!(
            agreed
                .transition(DurableSolutionStatus::Implemented, date("2025-05-04"), Some((bid_id(), &no)))
                .unwrap_err()
                .field,
            "kind"
        );
        // Dates do not go backwards.
        assert_eq!(
            agreed
                .transition(DurableSolutionStatus::Implemented, date("2025-05-02"), Some((bid_id(), &yes)))
                .unwrap_err()
                .field,
            "on"
        );
        let done =
            agreed.transition(DurableSolutionStatus::Implemented, date("2025-05-04"), Some((bid_id(), &yes))).unwrap();
        assert_eq!(done.implemented_on(), Some(date("2025-05-04")));
        // Abandoning needs no determination.
        let abandoned = agreed.transition(DurableSolutionStatus::Abandoned, date("2025-05-05"), None).unwrap();
        assert_eq!(abandoned.abandoned_on(), Some(date("2025-05-05")));
    }

    #[test]
    fn records_round_trip_through_json() {
        let b = bid("yes");
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<BestInterestsDetermination>(&json).unwrap(), b);
        let s = DurableSolution::propose("family_reunification", BID_ID, "2025-05-02", Some((bid_id(), &b)), today())
            .unwrap();
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["status"], "proposed");
        assert_eq!(serde_json::from_value::<DurableSolution>(json).unwrap(), s);
        let iv = interview("2025-03-05", "2025-03-01", &["a"]);
        let json = serde_json::to_value(&iv).unwrap();
        assert_eq!(json["accompanied_by"], "representative");
        assert_eq!(serde_json::from_value::<ChildInterview>(json).unwrap(), iv);
    }

    /// Dir 2011/36 Art 16(3): an unaccompanied child gets a guardian; the need is shown until one
    /// is appointed, and a child with parents able to act needs none on this ground.
    #[test]
    fn art_16_3_dir_2011_36_an_unaccompanied_child_needs_a_guardian_until_one_is_appointed() {
        let alone = ChildCircumstances { parental_conflict_of_interest: false, unaccompanied: true };
        let n = guardian_need(alone, None);
        assert!(n.required && n.missing);
        assert_eq!(n.grounds.len(), 1);
        assert_eq!(n.grounds[0].0, AppointmentGround::Unaccompanied);
        assert!(n.grounds[0].1.contains("Dir 2011/36 Art 16(3)"), "{}", n.grounds[0].1);
        let g = GuardianAppointment::parse("2025-03-01", "I. B.", "Orphan Court", "guardian", today()).unwrap();
        let n = guardian_need(alone, Some(&g));
        assert!(n.required && !n.missing);
        assert!(!guardian_need(ChildCircumstances::default(), None).required);
    }

    /// CETS 197 Art 10(4)(a): an unaccompanied child is represented by a legal guardian,
    /// organisation or authority; the guardian's ground cites the Convention.
    #[test]
    fn art_10_4_cets_an_unaccompanied_child_is_represented_by_a_guardian() {
        let alone = ChildCircumstances { parental_conflict_of_interest: false, unaccompanied: true };
        let n = guardian_need(alone, None);
        assert!(n.missing);
        assert!(n.grounds.iter().any(|(ground, article)| {
            *ground == AppointmentGround::Unaccompanied && article.contains("CETS 197 Art 10(4)(a)")
        }));
        // A conflict of interest alone is the Directive's ground, not the Convention's.
        let conflict = ChildCircumstances { parental_conflict_of_interest: true, unaccompanied: false };
        assert!(guardian_need(conflict, None).grounds.iter().all(|(_, a)| !a.contains("Convention")));
    }

    /// Dir 2011/36 Art 16(4): an unaccompanied child has a representative in criminal
    /// investigations and proceedings; the need is shown until one is appointed.
    #[test]
    fn art_16_4_dir_2011_36_an_unaccompanied_child_needs_a_representative_in_proceedings() {
        let alone = ChildCircumstances { parental_conflict_of_interest: false, unaccompanied: true };
        let n = proceedings_representative_need(alone, None);
        assert!(n.required && n.missing);
        assert_eq!(n.grounds, [(AppointmentGround::Unaccompanied, "Dir 2011/36 Art 16(4)")]);
        let rep = ProceedingsRepresentative::parse("2025-03-02", "Adv. K", "lawyer", "yes", today()).unwrap();
        assert!(!proceedings_representative_need(alone, Some(&rep)).missing);
        assert!(!proceedings_representative_need(ChildCircumstances::default(), None).required);
    }

    /// Dir 2011/36 Art 15(4): whether an interview was audio-visually recorded, so that the
    /// recording may be used as evidence, is recorded for every interview and must be answered.
    #[test]
    fn art_15_4_dir_2011_36_every_interview_records_whether_it_was_audio_visually_recorded() {
        let mut i = input("2025-03-02", "2025-03-01", &["a"]);
        assert!(ChildInterview::parse(&i, today()).unwrap().video_recorded);
        i.video_recorded = "no".into();
        assert!(!ChildInterview::parse(&i, today()).unwrap().video_recorded);
        i.video_recorded = " ".into();
        assert_eq!(ChildInterview::parse(&i, today()).unwrap_err().field, "video_recorded");
    }
}
