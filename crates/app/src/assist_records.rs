//! Typed support records of a case: children's guardians, representatives, interviews,
//! best-interests determinations and durable solutions; compensation claims; return plans.
//!
//! The rules live in `haven_domain::assist::{child, compensation, safe_return}`; this module
//! authorises every use in one place (the support compartment of the case), keeps each record
//! as one encrypted JSON body beside its coded kind and status, audits every read and change
//! (the kind, status and action only, never personal data), and gives the rules what they need
//! from the rest of the case: the person's child status on today's date (from the
//! registration), and a linked best-interests determination as loaded from the case's records.

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{Action, Compartment};
use haven_domain::assist::child::{
    AppointmentNeed, BestInterestsDetermination, BestInterestsInput, ChildCircumstances, ChildInterview,
    ChildInterviewInput, DeterminationRef, DurableSolution, DurableSolutionStatus, GuardianAppointment,
    InterviewConcernKind, ProceedingsRepresentative, durable_solution_next, guardian_need,
    proceedings_representative_need, review,
};
use haven_domain::assist::compensation::{
    ClaimInput, ClaimStatus, ClaimStatusChange, CompensationClaim, CurrencyCode, Payment, claim_next,
};
use haven_domain::assist::safe_return::{
    DestinationContact, FollowUp, ReturnCheck, ReturnConsent, ReturnPlan, ReturnRiskAssessment, ReturnStatus,
    RiskAssessmentInput, RiskLevel, TransnationalReferral, return_next,
};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::{ChildStatus, Registration};
use haven_domain::{Coded, ParseError, Permission, coded_enum};
use haven_storage::{CaseRow, SupportRecordRow};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// How long after the facts were reported a child's interview may take place before the review
/// flags an unjustified delay (Dir 2011/36 Art 15(3)(a): "without unjustified delay").
/// A documented default: the Directive sets no number.
pub const INTERVIEW_DELAY_LIMIT_DAYS: u32 = 7;

/// How many interviews of a child the review accepts before flagging each further one
/// (Art 15(3)(e): "as limited as possible"). A documented default: the Directive sets no number.
pub const MAX_CHILD_INTERVIEWS: u32 = 3;

const TABLE: &str = "support_records";
const COLUMN: &str = "body";

fn body_ctx(row: &str) -> FieldContext<'_> {
    FieldContext { table: TABLE, column: COLUMN, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

coded_enum! {
    /// The kinds of typed support record.
    pub enum SupportRecordKind {
        /// Whether the holders of parental responsibility are precluded and whether the child is
        /// unaccompanied: what decides if a guardian and a representative are required.
        ChildCircumstances => "child_circumstances",
        /// A guardian or representative (Dir 2011/36 Arts 14(2), 16(3)).
        Guardian => "guardian",
        /// A representative in criminal investigations and proceedings (Arts 15(1), 16(4)).
        Representative => "representative",
        /// An interview of the child (Art 15(3)-(4)).
        Interview => "interview",
        /// A best-interests determination (Art 13(1); Convention Art 16(7)).
        BestInterests => "best_interests",
        /// A durable solution for an unaccompanied child (Art 16(2)).
        DurableSolution => "durable_solution",
        /// A claim for compensation (Arts 12(2), 17).
        CompensationClaim => "compensation_claim",
        /// A plan for a safe return (Convention Art 16).
        ReturnPlan => "return_plan",
    }
}

impl SupportRecordKind {
    /// Records that exist for children only: refused for a person who is an adult today.
    pub fn children_only(self) -> bool {
        matches!(
            self,
            Self::ChildCircumstances
                | Self::Guardian
                | Self::Representative
                | Self::Interview
                | Self::BestInterests
                | Self::DurableSolution
        )
    }
}

coded_enum! {
    /// The changes a record can go through.
    pub enum SupportChangeAction {
        /// A durable solution, a claim or a return plan moves to another status.
        Transition => "transition",
        /// A payment received on a claim's award.
        Payment => "payment",
        /// The person's informed consent to a return.
        Consent => "consent",
        /// A risk assessment of a return.
        RiskAssessment => "risk_assessment",
        /// Links the child's best-interests determination to a return plan.
        LinkDetermination => "link_determination",
        /// A contact in the destination country.
        Contact => "contact",
        /// A follow-up after the return.
        FollowUp => "follow_up",
        /// The transnational referral to the destination's focal point.
        TransnationalReferral => "transnational_referral",
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs: form fields as strings, with unknown fields refused
// ---------------------------------------------------------------------------------------------

/// A field given as text; a JSON client may also send a number or true/false, and null is empty.
fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Loose;
    impl serde::de::Visitor<'_> for Loose {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string, a whole number or true/false")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(if v { "yes" } else { "no" }.to_owned())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(Loose)
}

/// Whether the holders of parental responsibility are precluded and whether the child is
/// unaccompanied (yes/no; empty is no).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CircumstancesInput {
    #[serde(deserialize_with = "loose")]
    pub parental_conflict_of_interest: String,
    #[serde(deserialize_with = "loose")]
    pub unaccompanied: String,
}

/// A guardian or representative appointed for the child.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GuardianInput {
    pub appointed_on: String,
    pub name: String,
    /// May be empty for a private person.
    pub organisation: String,
    /// `guardian` (when empty) or `representative`.
    pub kind: String,
}

/// A representative of the child in criminal investigations and proceedings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepresentativeInput {
    pub appointed_on: String,
    pub name: String,
    /// `lawyer` or `other`.
    pub role: String,
    /// yes/no (Art 15(2)).
    #[serde(deserialize_with = "loose")]
    pub free_legal_counselling: String,
}

/// An interview of the child, with the conditions of Art 15(3)-(4) as they were met.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InterviewInput {
    pub interviewed_on: String,
    pub facts_reported_on: String,
    #[serde(deserialize_with = "loose")]
    pub premises_adapted: String,
    #[serde(deserialize_with = "loose")]
    pub conducted_by_trained_professionals: String,
    pub interviewer_ids: Vec<String>,
    /// `representative`, `adult_of_choice` or `none`.
    pub accompanied_by: String,
    pub no_accompaniment_reason: String,
    #[serde(deserialize_with = "loose")]
    pub video_recorded: String,
    pub purpose: String,
}

/// A best-interests determination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeterminationInput {
    pub decided_on: String,
    pub decided_by: String,
    #[serde(deserialize_with = "loose")]
    pub child_heard: String,
    pub child_views_summary: String,
    pub factors: Vec<String>,
    pub outcome: String,
    /// yes/no, or empty when the determination does not say.
    #[serde(deserialize_with = "loose")]
    pub return_in_best_interests: String,
}

/// A durable solution proposed on a best-interests determination of the case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DurableSolutionInput {
    pub kind: String,
    /// The record id of the best-interests determination.
    pub based_on: String,
    pub proposed_on: String,
}

/// A claim for compensation. Amounts are whole minor units (cents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimRecordInput {
    pub kind: String,
    pub against: String,
    #[serde(deserialize_with = "loose")]
    pub amount_claimed: String,
    pub currency: String,
    pub prepared_on: String,
    #[serde(deserialize_with = "loose")]
    pub free_legal_representation: String,
    pub confiscated_assets: Vec<String>,
}

/// A draft return plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReturnPlanInput {
    /// ISO 3166-1 alpha-2.
    pub destination: String,
    pub created_on: String,
}

/// A new support record of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewSupportRecord {
    ChildCircumstances(CircumstancesInput),
    Guardian(GuardianInput),
    Representative(RepresentativeInput),
    Interview(InterviewInput),
    BestInterests(DeterminationInput),
    DurableSolution(DurableSolutionInput),
    CompensationClaim(ClaimRecordInput),
    ReturnPlan(ReturnPlanInput),
}

impl NewSupportRecord {
    pub fn kind(&self) -> SupportRecordKind {
        match self {
            Self::ChildCircumstances(_) => SupportRecordKind::ChildCircumstances,
            Self::Guardian(_) => SupportRecordKind::Guardian,
            Self::Representative(_) => SupportRecordKind::Representative,
            Self::Interview(_) => SupportRecordKind::Interview,
            Self::BestInterests(_) => SupportRecordKind::BestInterests,
            Self::DurableSolution(_) => SupportRecordKind::DurableSolution,
            Self::CompensationClaim(_) => SupportRecordKind::CompensationClaim,
            Self::ReturnPlan(_) => SupportRecordKind::ReturnPlan,
        }
    }
}

/// A change of status. `on` defaults to today; `amount` (minor units) is for a claim's award.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TransitionInput {
    pub status: String,
    pub on: String,
    #[serde(deserialize_with = "loose")]
    pub amount: String,
}

/// A payment received on a claim's award.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentInput {
    pub received_on: String,
    #[serde(deserialize_with = "loose")]
    pub amount: String,
    pub currency: String,
    pub payer: String,
}

/// The person's informed consent to return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReturnConsentInput {
    pub given_on: String,
    /// ISO 639.
    pub language: String,
    pub informed_by: String,
}

/// A risk assessment of a return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RiskInput {
    pub assessed_on: String,
    pub re_trafficking_risk: String,
    pub reprisal_risk: String,
    pub family_situation: String,
    pub support_services: String,
    #[serde(deserialize_with = "loose")]
    pub documents_ready: String,
    pub notes: String,
}

/// The best-interests determination (its record id) a return plan rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkInput {
    pub determination: String,
}

/// A contact in the destination country.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContactInput {
    pub organisation: String,
    pub country: String,
    pub contact_point: String,
    pub role: String,
}

/// A follow-up after return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FollowUpInput {
    pub on: String,
    #[serde(deserialize_with = "loose")]
    pub contact_made: String,
    pub situation: String,
    #[serde(deserialize_with = "loose")]
    pub re_trafficking_concern: String,
}

/// The transnational referral to the destination's focal point.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReferralStatusInput {
    pub destination_focal_point: String,
    pub message_reference: String,
    pub status: String,
}

/// A change of a support record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupportRecordChange {
    Transition(TransitionInput),
    Payment(PaymentInput),
    Consent(ReturnConsentInput),
    RiskAssessment(RiskInput),
    LinkDetermination(LinkInput),
    Contact(ContactInput),
    FollowUp(FollowUpInput),
    TransnationalReferral(ReferralStatusInput),
}

impl SupportRecordChange {
    pub fn action(&self) -> SupportChangeAction {
        match self {
            Self::Transition(_) => SupportChangeAction::Transition,
            Self::Payment(_) => SupportChangeAction::Payment,
            Self::Consent(_) => SupportChangeAction::Consent,
            Self::RiskAssessment(_) => SupportChangeAction::RiskAssessment,
            Self::LinkDetermination(_) => SupportChangeAction::LinkDetermination,
            Self::Contact(_) => SupportChangeAction::Contact,
            Self::FollowUp(_) => SupportChangeAction::FollowUp,
            Self::TransnationalReferral(_) => SupportChangeAction::TransnationalReferral,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// One stored record, decrypted.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView<T> {
    pub id: String,
    /// Send it back with a change: a change of an older version is a conflict.
    pub version: i64,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub record: T,
}

/// The limits the interview review runs with.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct InterviewRules {
    pub delay_limit_days: u32,
    pub max_interviews: u32,
}

/// A condition of Art 15(3) an interview did not meet.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewConcernView {
    /// The interview's record id.
    pub record_id: String,
    pub kind: InterviewConcernKind,
    pub article: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DurableSolutionView {
    #[serde(flatten)]
    pub record: RecordView<DurableSolution>,
    /// The statuses it may move to.
    pub next: Vec<DurableSolutionStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    #[serde(flatten)]
    pub record: RecordView<CompensationClaim>,
    /// The provision that gives the claim's route.
    pub article: &'static str,
    /// Minor units of the claim's currency.
    pub total_paid: i64,
    pub outstanding: i64,
    pub next: Vec<ClaimStatus>,
}

/// The claims of one currency added up (withdrawn claims left out).
#[derive(Debug, Clone, Serialize)]
pub struct CurrencyTotal {
    pub currency: CurrencyCode,
    pub claimed: i64,
    pub awarded: i64,
    pub paid: i64,
    pub outstanding: i64,
}

coded_enum! {
    /// Why a return plan cannot take its next step.
    pub enum ReturnBlockReason {
        /// The person's age is neither known nor presumed.
        AgeUnknown => "age_unknown",
        /// An adult has not given informed consent.
        NoConsent => "no_consent",
        /// The consent is dated after the step.
        ConsentLater => "consent_later",
        /// No risk assessment has been made.
        NoRiskAssessment => "no_risk_assessment",
        /// A child, and the latest risk assessment finds a severe risk.
        SevereRisk => "severe_risk",
        /// A child, and no best-interests determination is linked.
        NoDetermination => "no_determination",
        /// The linked determination is not among the case's records.
        DeterminationMissing => "determination_missing",
        /// The linked determination is dated after the step.
        DeterminationLater => "determination_later",
        /// The linked determination does not find return in the child's best interests.
        DeterminationAgainst => "determination_against",
        /// Another rule.
        Other => "other",
    }
}

/// Why the next step of a return plan is refused today.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnBlock {
    pub reason: ReturnBlockReason,
    /// The field the rule names.
    pub field: String,
    pub message: String,
}

/// The plan's next forward step (approved, travel arranged, returned) checked on today's date.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnStepCheck {
    pub to: ReturnStatus,
    pub blocked: Option<ReturnBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnPlanView {
    #[serde(flatten)]
    pub record: RecordView<ReturnPlan>,
    pub next: Vec<ReturnStatus>,
    /// The next forward step and whether the rules allow it today.
    pub next_step: Option<ReturnStepCheck>,
    /// The overall risk of the latest assessment.
    pub latest_risk: Option<RiskLevel>,
    pub re_trafficking_concern: bool,
}

/// The typed support records of a case, decrypted and grouped, with what the rules find.
#[derive(Debug, Clone, Serialize)]
pub struct SupportRecordsView {
    pub case_id: String,
    /// The person on today's date.
    pub child_status: ChildStatus,
    pub child: bool,
    pub today: CalendarDate,
    /// The latest circumstances recorded (none: neither ground recorded).
    pub circumstances: Option<RecordView<ChildCircumstances>>,
    /// The guardian recorded with the registration, if any.
    pub registration_guardian: Option<GuardianAppointment>,
    pub guardians: Vec<RecordView<GuardianAppointment>>,
    pub guardian_need: AppointmentNeed,
    pub representatives: Vec<RecordView<ProceedingsRepresentative>>,
    pub representative_need: AppointmentNeed,
    pub interview_rules: InterviewRules,
    pub interviews: Vec<RecordView<ChildInterview>>,
    pub interview_concerns: Vec<InterviewConcernView>,
    pub determinations: Vec<RecordView<BestInterestsDetermination>>,
    pub durable_solutions: Vec<DurableSolutionView>,
    pub compensation_claims: Vec<ClaimView>,
    pub compensation_totals: Vec<CurrencyTotal>,
    pub return_plans: Vec<ReturnPlanView>,
}

/// A record as saved.
#[derive(Debug, Clone, Serialize)]
pub struct SupportRecordSaved {
    pub id: String,
    pub kind: SupportRecordKind,
    pub status: String,
    pub version: i64,
    pub record: serde_json::Value,
}

// ---------------------------------------------------------------------------------------------
// Stored bodies
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Body {
    Circumstances(ChildCircumstances),
    Guardian(GuardianAppointment),
    Representative(ProceedingsRepresentative),
    Interview(ChildInterview),
    BestInterests(BestInterestsDetermination),
    DurableSolution(DurableSolution),
    Claim(CompensationClaim),
    ReturnPlan(ReturnPlan),
}

impl Body {
    fn kind(&self) -> SupportRecordKind {
        match self {
            Self::Circumstances(_) => SupportRecordKind::ChildCircumstances,
            Self::Guardian(_) => SupportRecordKind::Guardian,
            Self::Representative(_) => SupportRecordKind::Representative,
            Self::Interview(_) => SupportRecordKind::Interview,
            Self::BestInterests(_) => SupportRecordKind::BestInterests,
            Self::DurableSolution(_) => SupportRecordKind::DurableSolution,
            Self::Claim(_) => SupportRecordKind::CompensationClaim,
            Self::ReturnPlan(_) => SupportRecordKind::ReturnPlan,
        }
    }

    /// The coded status stored beside the body.
    fn status(&self) -> &'static str {
        match self {
            Self::Circumstances(_) | Self::Interview(_) => "recorded",
            Self::Guardian(_) | Self::Representative(_) => "appointed",
            Self::BestInterests(_) => "decided",
            Self::DurableSolution(s) => s.status().code(),
            Self::Claim(c) => c.status().code(),
            Self::ReturnPlan(p) => p.status().code(),
        }
    }

    fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Self::Circumstances(r) => serde_json::to_value(r),
            Self::Guardian(r) => serde_json::to_value(r),
            Self::Representative(r) => serde_json::to_value(r),
            Self::Interview(r) => serde_json::to_value(r),
            Self::BestInterests(r) => serde_json::to_value(r),
            Self::DurableSolution(r) => serde_json::to_value(r),
            Self::Claim(r) => serde_json::to_value(r),
            Self::ReturnPlan(r) => serde_json::to_value(r),
        }
    }

    fn from_json(kind: SupportRecordKind, json: &str) -> Result<Self, serde_json::Error> {
        Ok(match kind {
            SupportRecordKind::ChildCircumstances => Self::Circumstances(serde_json::from_str(json)?),
            SupportRecordKind::Guardian => Self::Guardian(serde_json::from_str(json)?),
            SupportRecordKind::Representative => Self::Representative(serde_json::from_str(json)?),
            SupportRecordKind::Interview => Self::Interview(serde_json::from_str(json)?),
            SupportRecordKind::BestInterests => Self::BestInterests(serde_json::from_str(json)?),
            SupportRecordKind::DurableSolution => Self::DurableSolution(serde_json::from_str(json)?),
            SupportRecordKind::CompensationClaim => Self::Claim(serde_json::from_str(json)?),
            SupportRecordKind::ReturnPlan => Self::ReturnPlan(serde_json::from_str(json)?),
        })
    }
}

/// A stored record with its decrypted body.
struct Loaded {
    row: SupportRecordRow,
    body: Body,
}

impl Loaded {
    fn view<T: Clone>(&self, record: &T) -> RecordView<T> {
        RecordView {
            id: self.row.id.clone(),
            version: self.row.version,
            status: self.row.status.clone(),
            created_at: self.row.created_at,
            updated_at: self.row.updated_at,
            record: record.clone(),
        }
    }
}

/// The best-interests determination of the case with this record id, as the rules take it.
fn determination<'a>(records: &'a [Loaded], id: uuid::Uuid) -> Option<DeterminationRef<'a>> {
    records.iter().find_map(|l| match &l.body {
        Body::BestInterests(b) if uuid::Uuid::parse_str(&l.row.id).is_ok_and(|r| r == id) => Some((id, b)),
        _ => None,
    })
}

/// Every field of the error under `parent` (`record.name`).
fn under(parent: &'static str) -> impl Fn(ParseError) -> ParseError {
    move |e| {
        let field = format!("{parent}.{}", e.field);
        e.within(field)
    }
}

/// The error's field under `parent` when it is one of the input's `fields`; a rule that names
/// something of the record itself (`consent`, `best_interests_determination`) keeps its name.
fn input_fields(parent: &'static str, fields: &'static [&'static str]) -> impl Fn(ParseError) -> ParseError {
    move |e| {
        let base = e.field.split('[').next().unwrap_or_default();
        if fields.contains(&base) {
            let field = format!("{parent}.{}", e.field);
            e.within(field)
        } else {
            e
        }
    }
}

/// A yes/no field where empty means no.
fn flag_or_no(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "off" | "0" => Ok(false),
        "true" | "yes" | "on" | "1" => Ok(true),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

/// A date of a change: today when empty, never after today.
fn change_date(field: &str, value: &str, today: CalendarDate) -> Result<CalendarDate, ParseError> {
    if value.trim().is_empty() {
        return Ok(today);
    }
    let date = CalendarDate::parse(field, value.trim())?;
    if date > today {
        return Err(ParseError::in_future(field, date, today));
    }
    Ok(date)
}

fn no_amount(amount: &str) -> Result<(), ParseError> {
    if amount.trim().is_empty() {
        Ok(())
    } else {
        Err(ParseError::said(
            "amount",
            "only a claim's award carries an amount",
            haven_domain::Message::new(haven_domain::MessageId::OnlyAwardHasAmount),
        ))
    }
}

/// Parses a new record against the case's records (a durable solution's determination).
fn parse_new(input: &NewSupportRecord, today: CalendarDate, records: &[Loaded]) -> Result<Body, ParseError> {
    Ok(match input {
        NewSupportRecord::ChildCircumstances(i) => Body::Circumstances(ChildCircumstances {
            parental_conflict_of_interest: flag_or_no(
                "parental_conflict_of_interest",
                &i.parental_conflict_of_interest,
            )?,
            unaccompanied: flag_or_no("unaccompanied", &i.unaccompanied)?,
        }),
        NewSupportRecord::Guardian(i) => {
            let kind = if i.kind.trim().is_empty() { "guardian" } else { i.kind.trim() };
            Body::Guardian(GuardianAppointment::parse(&i.appointed_on, &i.name, &i.organisation, kind, today)?)
        }
        NewSupportRecord::Representative(i) => Body::Representative(ProceedingsRepresentative::parse(
            &i.appointed_on,
            &i.name,
            &i.role,
            &i.free_legal_counselling,
            today,
        )?),
        NewSupportRecord::Interview(i) => Body::Interview(ChildInterview::parse(
            &ChildInterviewInput {
                interviewed_on: i.interviewed_on.clone(),
                facts_reported_on: i.facts_reported_on.clone(),
                premises_adapted: i.premises_adapted.clone(),
                conducted_by_trained_professionals: i.conducted_by_trained_professionals.clone(),
                interviewer_ids: i.interviewer_ids.clone(),
                accompanied_by: i.accompanied_by.clone(),
                no_accompaniment_reason: i.no_accompaniment_reason.clone(),
                video_recorded: i.video_recorded.clone(),
                purpose: i.purpose.clone(),
            },
            today,
        )?),
        NewSupportRecord::BestInterests(i) => Body::BestInterests(BestInterestsDetermination::parse(
            &BestInterestsInput {
                decided_on: i.decided_on.clone(),
                decided_by: i.decided_by.clone(),
                child_heard: i.child_heard.clone(),
                child_views_summary: i.child_views_summary.clone(),
                factors: i.factors.clone(),
                outcome: i.outcome.clone(),
                return_in_best_interests: i.return_in_best_interests.clone(),
            },
            today,
        )?),
        NewSupportRecord::DurableSolution(i) => {
            let linked = uuid::Uuid::parse_str(i.based_on.trim()).ok().and_then(|id| determination(records, id));
            Body::DurableSolution(DurableSolution::propose(&i.kind, &i.based_on, &i.proposed_on, linked, today)?)
        }
        NewSupportRecord::CompensationClaim(i) => Body::Claim(CompensationClaim::prepare(
            &ClaimInput {
                kind: i.kind.clone(),
                against: i.against.clone(),
                amount_claimed: i.amount_claimed.clone(),
                currency: i.currency.clone(),
                prepared_on: i.prepared_on.clone(),
                free_legal_representation: i.free_legal_representation.clone(),
                confiscated_assets: i.confiscated_assets.clone(),
            },
            today,
        )?),
        NewSupportRecord::ReturnPlan(i) => Body::ReturnPlan(ReturnPlan::draft(&i.destination, &i.created_on, today)?),
    })
}

/// What a change needs to know about the case on the day.
struct ChangeContext<'a> {
    today: CalendarDate,
    child_status: ChildStatus,
    records: &'a [Loaded],
}

const TRANSITION_FIELDS: &[&str] = &["status", "on", "amount"];
const PAYMENT_FIELDS: &[&str] = &["received_on", "amount", "currency", "payer"];
const FOLLOW_UP_FIELDS: &[&str] = &["on", "contact_made", "situation", "re_trafficking_concern"];

/// Applies a change to a record's body, with the rules of its kind. Errors name the input field
/// under `change` (`change.amount`), or the record's own field a rule is about.
fn apply_change(body: &Body, change: &SupportRecordChange, cx: &ChangeContext<'_>) -> Result<Body, ParseError> {
    let today = cx.today;
    match (body, change) {
        (Body::DurableSolution(s), SupportRecordChange::Transition(t)) => {
            let to = DurableSolutionStatus::parse_code("change.status", t.status.trim())?;
            let on = change_date("change.on", &t.on, today)?;
            no_amount(&t.amount).map_err(under("change"))?;
            let linked = determination(cx.records, s.based_on());
            Ok(Body::DurableSolution(s.transition(to, on, linked).map_err(input_fields("change", TRANSITION_FIELDS))?))
        }
        (Body::Claim(c), SupportRecordChange::Transition(t)) => {
            let on = if t.on.trim().is_empty() { today.to_string() } else { t.on.clone() };
            let parsed = ClaimStatusChange::parse(&t.status, &on, &t.amount, today).map_err(under("change"))?;
            Ok(Body::Claim(c.apply(&parsed).map_err(input_fields("change", TRANSITION_FIELDS))?))
        }
        (Body::Claim(c), SupportRecordChange::Payment(p)) => {
            let payment =
                Payment::parse(&p.received_on, &p.amount, &p.currency, &p.payer, today).map_err(under("change"))?;
            Ok(Body::Claim(c.record_payment(payment).map_err(input_fields("change", PAYMENT_FIELDS))?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::Transition(t)) => {
            let to = ReturnStatus::parse_code("change.status", t.status.trim())?;
            let on = change_date("change.on", &t.on, today)?;
            no_amount(&t.amount).map_err(under("change"))?;
            let check = ReturnCheck {
                child_status: cx.child_status,
                determination: plan.best_interests_determination().and_then(|id| determination(cx.records, id)),
            };
            Ok(Body::ReturnPlan(plan.transition(to, on, &check).map_err(input_fields("change", TRANSITION_FIELDS))?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::Consent(c)) => {
            let consent =
                ReturnConsent::parse(&c.given_on, &c.language, &c.informed_by, today).map_err(under("change"))?;
            Ok(Body::ReturnPlan(plan.record_consent(consent)?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::RiskAssessment(r)) => {
            let assessment = ReturnRiskAssessment::parse(
                &RiskAssessmentInput {
                    assessed_on: r.assessed_on.clone(),
                    re_trafficking_risk: r.re_trafficking_risk.clone(),
                    reprisal_risk: r.reprisal_risk.clone(),
                    family_situation: r.family_situation.clone(),
                    support_services: r.support_services.clone(),
                    documents_ready: r.documents_ready.clone(),
                    notes: r.notes.clone(),
                },
                today,
            )
            .map_err(under("change"))?;
            Ok(Body::ReturnPlan(plan.record_risk_assessment(assessment)?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::LinkDetermination(l)) => {
            let field = "change.determination";
            let id = uuid::Uuid::parse_str(l.determination.trim()).map_err(|_| {
                ParseError::said(
                    field,
                    "not the record id of a best-interests determination",
                    haven_domain::Message::new(haven_domain::MessageId::NotADeterminationId),
                )
            })?;
            if determination(cx.records, id).is_none() {
                return Err(ParseError::said(
                    field,
                    "no best-interests determination of this case has this id",
                    haven_domain::Message::new(haven_domain::MessageId::NoSuchDetermination),
                ));
            }
            Ok(Body::ReturnPlan(plan.link_determination(id)?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::Contact(c)) => {
            let contact = DestinationContact::parse(&c.organisation, &c.country, &c.contact_point, &c.role)
                .map_err(under("change"))?;
            Ok(Body::ReturnPlan(plan.add_contact(contact)?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::FollowUp(f)) => {
            let follow_up = FollowUp::parse(&f.on, &f.contact_made, &f.situation, &f.re_trafficking_concern, today)
                .map_err(under("change"))?;
            Ok(Body::ReturnPlan(plan.record_follow_up(follow_up).map_err(input_fields("change", FOLLOW_UP_FIELDS))?))
        }
        (Body::ReturnPlan(plan), SupportRecordChange::TransnationalReferral(r)) => {
            let referral = TransnationalReferral::parse(&r.destination_focal_point, &r.message_reference, &r.status)
                .map_err(under("change"))?;
            Ok(Body::ReturnPlan(plan.set_transnational_referral(referral)?))
        }
        (body, change) => Err(ParseError::said(
            "change.action",
            format!("{} does not apply to a {} record", change.action(), body.kind()),
            haven_domain::Message::new(haven_domain::MessageId::ChangeNotForRecord),
        )),
    }
}

/// The guarded step that follows a status, if any.
fn forward_step(status: ReturnStatus) -> Option<ReturnStatus> {
    match status {
        ReturnStatus::Draft => Some(ReturnStatus::Approved),
        ReturnStatus::Approved => Some(ReturnStatus::TravelArranged),
        ReturnStatus::TravelArranged => Some(ReturnStatus::Returned),
        ReturnStatus::Returned | ReturnStatus::FollowedUp | ReturnStatus::Cancelled => None,
    }
}

/// Why the rules refuse a plan's step, as a reason a page can put in plain words.
fn block_reason(plan: &ReturnPlan, check: &ReturnCheck<'_>, on: CalendarDate, e: &ParseError) -> ReturnBlockReason {
    match e.field.as_str() {
        "child_status" => ReturnBlockReason::AgeUnknown,
        "consent" if plan.consent().is_none() => ReturnBlockReason::NoConsent,
        "consent" => ReturnBlockReason::ConsentLater,
        "risk_assessment" if plan.risk_assessment_on(on).is_none() => ReturnBlockReason::NoRiskAssessment,
        "risk_assessment" => ReturnBlockReason::SevereRisk,
        "best_interests_determination" => match (plan.best_interests_determination(), check.determination) {
            (None, _) => ReturnBlockReason::NoDetermination,
            (Some(_), None) => ReturnBlockReason::DeterminationMissing,
            (Some(_), Some((_, b))) if b.decided_on > on => ReturnBlockReason::DeterminationLater,
            (Some(_), Some(_)) => ReturnBlockReason::DeterminationAgainst,
        },
        _ => ReturnBlockReason::Other,
    }
}

fn latest<T, K: Ord>(items: &[RecordView<T>], key: impl Fn(&T) -> K) -> Option<&T> {
    // Of equal keys, the one recorded last wins (`max_by_key` keeps the last maximum).
    items.iter().max_by_key(|r| key(&r.record)).map(|r| &r.record)
}

/// Groups and checks the decrypted records.
fn build_view(
    case_id: String,
    child_status: ChildStatus,
    reg: &Registration,
    records: &[Loaded],
    today: CalendarDate,
) -> SupportRecordsView {
    let mut circumstances = None;
    let mut guardians = Vec::new();
    let mut representatives = Vec::new();
    let mut interviews = Vec::new();
    let mut determinations = Vec::new();
    let mut durable_solutions = Vec::new();
    let mut compensation_claims = Vec::new();
    let mut return_plans = Vec::new();
    for l in records {
        match &l.body {
            Body::Circumstances(c) => circumstances = Some(l.view(c)),
            Body::Guardian(g) => guardians.push(l.view(g)),
            Body::Representative(r) => representatives.push(l.view(r)),
            Body::Interview(i) => interviews.push(l.view(i)),
            Body::BestInterests(b) => determinations.push(l.view(b)),
            Body::DurableSolution(s) => durable_solutions
                .push(DurableSolutionView { record: l.view(s), next: durable_solution_next(s.status()).to_vec() }),
            Body::Claim(c) => compensation_claims.push(ClaimView {
                record: l.view(c),
                article: c.kind().article(),
                total_paid: c.total_paid(),
                outstanding: c.outstanding(),
                next: claim_next(c.status()).to_vec(),
            }),
            Body::ReturnPlan(p) => {
                let check = ReturnCheck {
                    child_status,
                    determination: p.best_interests_determination().and_then(|id| determination(records, id)),
                };
                let next_step = forward_step(p.status()).map(|to| ReturnStepCheck {
                    to,
                    blocked: p.check(to, today, &check).err().map(|e| ReturnBlock {
                        reason: block_reason(p, &check, today, &e),
                        field: e.field,
                        message: e.message,
                    }),
                });
                return_plans.push(ReturnPlanView {
                    record: l.view(p),
                    next: return_next(p.status()).to_vec(),
                    next_step,
                    latest_risk: p.risk_assessment_on(today).map(ReturnRiskAssessment::overall_risk),
                    re_trafficking_concern: p.re_trafficking_concern(),
                });
            }
        }
    }
    let registration_guardian = reg.guardian.as_ref().map(GuardianAppointment::from_registration);
    let given = circumstances.as_ref().map(|c: &RecordView<ChildCircumstances>| c.record).unwrap_or_default();
    let current_guardian = latest(&guardians, |g| g.appointed_on).or(registration_guardian.as_ref());
    let current_representative = latest(&representatives, |r| r.appointed_on);
    let ivs: Vec<ChildInterview> = interviews.iter().map(|i| i.record.clone()).collect();
    let interview_concerns = review(&ivs, INTERVIEW_DELAY_LIMIT_DAYS, MAX_CHILD_INTERVIEWS)
        .into_iter()
        .map(|c| InterviewConcernView {
            record_id: interviews.get(c.interview).map(|i| i.id.clone()).unwrap_or_default(),
            kind: c.kind,
            article: c.article,
            detail: c.detail,
        })
        .collect();
    let mut totals: BTreeMap<CurrencyCode, CurrencyTotal> = BTreeMap::new();
    for c in compensation_claims.iter().filter(|c| c.record.record.status() != ClaimStatus::Withdrawn) {
        let claim = &c.record.record;
        let t = totals.entry(claim.currency()).or_insert(CurrencyTotal {
            currency: claim.currency(),
            claimed: 0,
            awarded: 0,
            paid: 0,
            outstanding: 0,
        });
        t.claimed = t.claimed.saturating_add(claim.amount_claimed());
        t.awarded = t.awarded.saturating_add(claim.awarded().unwrap_or(0));
        t.paid = t.paid.saturating_add(c.total_paid);
        t.outstanding = t.outstanding.saturating_add(c.outstanding);
    }
    SupportRecordsView {
        case_id,
        child_status,
        child: child_status.is_child(),
        today,
        guardian_need: guardian_need(given, current_guardian),
        representative_need: proceedings_representative_need(given, current_representative),
        circumstances,
        registration_guardian,
        guardians,
        representatives,
        interview_rules: InterviewRules {
            delay_limit_days: INTERVIEW_DELAY_LIMIT_DAYS,
            max_interviews: MAX_CHILD_INTERVIEWS,
        },
        interviews,
        interview_concerns,
        determinations,
        durable_solutions,
        compensation_claims,
        compensation_totals: totals.into_values().collect(),
        return_plans,
    }
}

impl App {
    /// The case with its registration, authorised once for the support compartment: the
    /// permission of the role and the record-level rule (owner, or shared for support).
    async fn records_case(
        &self,
        principal: &Principal,
        action: Action,
        case_id: &str,
    ) -> AppResult<(CaseRow, Registration)> {
        let (case, row) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Support, action),
                case_id,
                Compartment::Support,
                action,
            )
            .await?;
        let reg = self.decrypt_registration(&row)?;
        Ok((case, reg))
    }

    fn child_status_today(&self, reg: &Registration) -> ChildStatus {
        ChildStatus::from_age_status(&reg.age_status(self.today()))
    }

    async fn load_records(&self, case_id: &str) -> AppResult<Vec<Loaded>> {
        let rows = self.store.support_records(case_id).await?;
        rows.into_iter()
            .map(|row| {
                let kind = SupportRecordKind::parse_code("kind", &row.kind)?;
                let json = self.keys.decrypt_str(&body_ctx(&row.id), &row.body)?;
                let body = Body::from_json(kind, &json).map_err(internal)?;
                Ok(Loaded { row, body })
            })
            .collect()
    }

    fn encrypt_body(&self, id: &str, body: &Body) -> AppResult<Vec<u8>> {
        let json = serde_json::to_string(&body.to_value().map_err(internal)?).map_err(internal)?;
        Ok(self.keys.encrypt_str(&body_ctx(id), &json))
    }

    fn saved(row: &SupportRecordRow, body: &Body) -> AppResult<SupportRecordSaved> {
        Ok(SupportRecordSaved {
            id: row.id.clone(),
            kind: body.kind(),
            status: row.status.clone(),
            version: row.version,
            record: body.to_value().map_err(internal)?,
        })
    }

    /// The typed support records of a case, decrypted and grouped, with what the rules find:
    /// whether a guardian and a representative are required and missing, the interviews'
    /// concerns under Art 15(3), claims with what is paid and outstanding, return plans with
    /// their next step checked on today's date. Audited as a read of the support compartment.
    pub async fn support_records(&self, principal: &Principal, case_id: &str) -> AppResult<SupportRecordsView> {
        let (case, reg) = self.records_case(principal, Action::Read, case_id).await?;
        let records = self.load_records(&case.id).await?;
        let view = build_view(case.id.clone(), self.child_status_today(&reg), &reg, &records, self.today());
        let event = self
            .event(principal, AuditAction::SupportRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail("support_records");
        self.store.append_audit(&event).await?;
        Ok(view)
    }

    /// Adds a support record. Records for children only are refused (422) for a person who is an
    /// adult today; a durable solution rests on a best-interests determination of the case.
    /// Errors name the input field under `record` (`record.appointed_on`).
    pub async fn add_support_record(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &NewSupportRecord,
    ) -> AppResult<SupportRecordSaved> {
        let (case, reg) = self.records_case(principal, Action::Write, case_id).await?;
        let today = self.today();
        let kind = input.kind();
        if kind.children_only() && self.child_status_today(&reg) == ChildStatus::Adult {
            return Err(AppError::Invalid(ParseError::said(
                "kind",
                format!("{kind} records are kept for children; the person is an adult on {today}"),
                haven_domain::Message::new(haven_domain::MessageId::RecordsForChildren).with("date", today),
            )));
        }
        let records = match kind {
            SupportRecordKind::DurableSolution => self.load_records(&case.id).await?,
            _ => Vec::new(),
        };
        let body = parse_new(input, today, &records).map_err(under("record"))?;
        let id = new_id();
        let now = self.now();
        let row = SupportRecordRow {
            id: id.clone(),
            case_id: case.id.clone(),
            kind: kind.code().to_owned(),
            status: body.status().to_owned(),
            body: self.encrypt_body(&id, &body)?,
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let event = self
            .event(principal, AuditAction::SupportRecordAdded)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("record={id} kind={kind} status={}", row.status));
        self.store.add_support_record(&row, &event).await?;
        Self::saved(&row, &body)
    }

    /// Changes a support record through its rules: a durable solution's or claim's status, a
    /// payment, and a return plan's consent, risk assessment, linked determination, contacts,
    /// status, follow-ups and transnational referral. A change of a version other than the
    /// stored one is a conflict (409). A child's return plan goes forward only on a linked
    /// best-interests determination that supports return and without a severe risk, the child
    /// status taken from the registration on today's date.
    pub async fn update_support_record(
        &self,
        principal: &Principal,
        case_id: &str,
        record_id: &str,
        version: i64,
        change: &SupportRecordChange,
    ) -> AppResult<SupportRecordSaved> {
        let (case, reg) = self.records_case(principal, Action::Write, case_id).await?;
        let records = self.load_records(&case.id).await?;
        let current = records.iter().find(|l| l.row.id == record_id).ok_or(AppError::NotFound)?;
        if current.row.version != version {
            return Err(AppError::conflict(
                "the record was changed meanwhile; reload it",
                haven_domain::Message::new(haven_domain::MessageId::RecordChangedMeanwhile),
            ));
        }
        let cx = ChangeContext { today: self.today(), child_status: self.child_status_today(&reg), records: &records };
        let body = apply_change(&current.body, change, &cx)?;
        let row = SupportRecordRow {
            status: body.status().to_owned(),
            body: self.encrypt_body(&current.row.id, &body)?,
            version: current.row.version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
            ..current.row.clone()
        };
        let event = self
            .event(principal, AuditAction::SupportRecordUpdated)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("record={} kind={} action={} status={}", row.id, body.kind(), change.action(), row.status));
        self.store.update_support_record(&row, current.row.version, &event).await?;
        Self::saved(&row, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_fields_take_text_numbers_and_booleans() {
        let i: PaymentInput =
            serde_json::from_value(serde_json::json!({"amount": 1500, "received_on": "2026-01-01"})).unwrap();
        assert_eq!(i.amount, "1500");
        let i: FollowUpInput =
            serde_json::from_value(serde_json::json!({"contact_made": true, "re_trafficking_concern": null})).unwrap();
        assert_eq!((i.contact_made.as_str(), i.re_trafficking_concern.as_str()), ("yes", ""));
        assert!(serde_json::from_value::<FollowUpInput>(serde_json::json!({"contact_made": [1]})).is_err());
        let e = serde_json::from_value::<GuardianInput>(serde_json::json!({"nickname": "x"})).unwrap_err();
        assert!(e.to_string().contains("nickname"), "{e}");
    }

    #[test]
    fn children_only_kinds() {
        use SupportRecordKind::*;
        let only: Vec<_> = SupportRecordKind::ALL.iter().filter(|k| k.children_only()).collect();
        assert_eq!(
            only,
            [&ChildCircumstances, &Guardian, &Representative, &Interview, &BestInterests, &DurableSolution]
        );
    }

    #[test]
    fn errors_name_the_input_field_or_the_records_own() {
        let e = input_fields("change", TRANSITION_FIELDS)(ParseError::new("on", "x"));
        assert_eq!(e.field, "change.on");
        let e = input_fields("change", TRANSITION_FIELDS)(ParseError::new("best_interests_determination", "x"));
        assert_eq!(e.field, "best_interests_determination");
        assert_eq!(under("record")(ParseError::new("factors[1]", "x")).field, "record.factors[1]");
        let today = CalendarDate::parse("d", "2026-01-10").unwrap();
        assert_eq!(change_date("on", "", today).unwrap(), today);
        assert_eq!(change_date("on", "2026-01-11", today).unwrap_err().field, "on");
        assert!(flag_or_no("f", "").is_ok_and(|f| !f));
        assert_eq!(flag_or_no("f", "maybe").unwrap_err().field, "f");
    }
}
