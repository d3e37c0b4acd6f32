//! The API of typed support records: children's protection, compensation, safe return.
//! Records and changes travel as their form fields (strings; a JSON client may send numbers
//! and true/false too), documented in docs/assistance.md. A field Haven does not read is
//! refused, naming it.

use crate::AppState;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::assist_records::{
    ClaimView, DurableSolutionView, NewSupportRecord, RecordView, ReturnPlanView, SupportChangeAction,
    SupportRecordChange, SupportRecordKind, SupportRecordSaved, SupportRecordsView,
};
use haven_domain::assist::child::{
    AppointmentNeed, BestInterestsDetermination, ChildCircumstances, ChildInterview, GuardianAppointment,
    InterviewConcernKind, ProceedingsRepresentative,
};
use haven_domain::assist::compensation::CurrencyCode;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::ChildStatus;
use haven_domain::{Coded, ParseError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_support_records, add_support_record))
        .routes(routes!(change_support_record))
}

/// Deserialises `value` as `T`, an error naming the field under `parent` (`record.name`).
fn parse_under<T: DeserializeOwned>(parent: &str, value: Value) -> Result<T, WebError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { parent.to_owned() } else { format!("{parent}.{path}") };
        WebError::BadRequest { field: Some(field), message: e.into_inner().to_string() }
    })
}

/// A new record of `kind` from its fields (the `record` object).
pub fn parse_new_record(kind: &str, record: Value) -> Result<NewSupportRecord, WebError> {
    use SupportRecordKind as K;
    let kind = SupportRecordKind::parse_code("kind", kind.trim())?;
    let r = "record";
    Ok(match kind {
        K::ChildCircumstances => NewSupportRecord::ChildCircumstances(parse_under(r, record)?),
        K::Guardian => NewSupportRecord::Guardian(parse_under(r, record)?),
        K::Representative => NewSupportRecord::Representative(parse_under(r, record)?),
        K::Interview => NewSupportRecord::Interview(parse_under(r, record)?),
        K::BestInterests => NewSupportRecord::BestInterests(parse_under(r, record)?),
        K::DurableSolution => NewSupportRecord::DurableSolution(parse_under(r, record)?),
        K::CompensationClaim => NewSupportRecord::CompensationClaim(parse_under(r, record)?),
        K::ReturnPlan => NewSupportRecord::ReturnPlan(parse_under(r, record)?),
    })
}

/// A change from the `change` object: its `action` and that action's fields.
pub fn parse_change(change: Value) -> Result<SupportRecordChange, WebError> {
    use SupportChangeAction as A;
    let Value::Object(mut fields) = change else {
        return Err(WebError::BadRequest {
            field: Some("change".into()),
            message: "the change is an object with an action and its fields".into(),
        });
    };
    let action = match fields.remove("action") {
        Some(Value::String(a)) => a,
        Some(_) => {
            return Err(WebError::BadRequest { field: Some("change.action".into()), message: "must be text".into() });
        }
        None => String::new(),
    };
    let codes: Vec<&str> = SupportChangeAction::ALL.iter().map(|a| a.code()).collect();
    let action = SupportChangeAction::parse_code("change.action", action.trim()).map_err(|e| {
        ParseError::said(
            e.field,
            format!("name the change: one of {}", codes.join(", ")),
            haven_domain::Message::new(haven_domain::MessageId::NameTheChange).with("actions", codes.join(", ")),
        )
    })?;
    let rest = Value::Object(fields);
    let c = "change";
    Ok(match action {
        A::Transition => SupportRecordChange::Transition(parse_under(c, rest)?),
        A::Payment => SupportRecordChange::Payment(parse_under(c, rest)?),
        A::Consent => SupportRecordChange::Consent(parse_under(c, rest)?),
        A::RiskAssessment => SupportRecordChange::RiskAssessment(parse_under(c, rest)?),
        A::LinkDetermination => SupportRecordChange::LinkDetermination(parse_under(c, rest)?),
        A::Contact => SupportRecordChange::Contact(parse_under(c, rest)?),
        A::FollowUp => SupportRecordChange::FollowUp(parse_under(c, rest)?),
        A::TransnationalReferral => SupportRecordChange::TransnationalReferral(parse_under(c, rest)?),
    })
}

/// The typed support records of a case, decrypted and grouped: the child's circumstances,
/// guardians and representatives with whether one is required and missing (Directive 2011/36/EU
/// Arts 14(2), 15(1), 16(3)-(4)), interviews with the concerns of Art 15(3) (limits:
/// `interview_rules`), best-interests determinations, durable solutions, compensation claims with
/// what is paid and outstanding (minor units), and return plans with their next step checked on
/// today's date (`next_step.blocked` says why a return cannot go ahead). Audited.
#[utoipa::path(get, path = "/cases/{id}/support-records", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = SupportRecordsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_support_records(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(SupportRecordsBody::from(state.app.support_records(&p, &id).await?)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecordBody {
    /// child_circumstances, guardian, representative, interview, best_interests,
    /// durable_solution (children only: refused for an adult), compensation_claim, return_plan.
    pub kind: String,
    /// The record's fields (see docs/assistance.md).
    #[schema(value_type = Object)]
    pub record: Value,
}

/// Add a support record of a kind. Dates are YYYY-MM-DD and not in the future; amounts are
/// whole minor units (cents). Records for children only are refused (422) for a person who is an
/// adult today. Errors name the field (`record.appointed_on`).
#[utoipa::path(post, path = "/cases/{id}/support-records", tag = "assistance", params(("id" = String, Path)),
    request_body = NewRecordBody,
    responses((status = 201, body = SupportRecordSavedBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_support_record(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<NewRecordBody>,
) -> WebResult<Response> {
    let input = parse_new_record(&b.kind, b.record)?;
    let saved = state.app.add_support_record(&p, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(SupportRecordSavedBody::from(saved))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// The version loaded: a change of an older version is a conflict (409).
    pub version: i64,
    /// `action` (transition, payment, consent, risk_assessment, link_determination, contact,
    /// follow_up, transnational_referral) and its fields.
    #[schema(value_type = Object)]
    pub change: Value,
}

/// Change a support record through its rules: a durable solution's, claim's or return plan's
/// status (`transition`), a payment on an award (never above it), and a return plan's consent,
/// risk assessment, linked best-interests determination, destination contacts, follow-ups and
/// transnational referral. A child's return goes forward only on a linked determination that
/// supports it and without a severe risk (CETS 197 Art 16(7)); an adult's
/// only with informed consent (Art 16(2)).
#[utoipa::path(post, path = "/cases/{id}/support-records/{record}/changes", tag = "assistance",
    params(("id" = String, Path), ("record" = String, Path)), request_body = ChangeBody,
    responses((status = 200, body = SupportRecordSavedBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_support_record(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, record)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> WebResult<Response> {
    let change = parse_change(b.change)?;
    let saved = state.app.update_support_record(&p, &id, &record, b.version, &change).await?;
    Ok(Json(SupportRecordSavedBody::from(saved)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Bodies as the document describes them, mapped from the use cases' types. The JSON is the same
// as the use cases' own serialisation; the records themselves keep their JSON form (their
// fields by kind, docs/assistance.md).

/// How many days an interview may wait and how many there may be (Dir 2011/36 Art 15(3)).
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewRulesBody {
    pub delay_limit_days: u32,
    pub max_interviews: u32,
}

/// A concern the rules find about an interview.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewConcernBody {
    /// The interview record.
    pub record_id: String,
    /// The concern's code.
    #[schema(value_type = String)]
    pub kind: InterviewConcernKind,
    /// The article it rests on.
    pub article: String,
    /// The concern in words.
    pub detail: String,
}

/// Compensation in one currency, in minor units.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyTotalBody {
    /// ISO 4217
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    pub claimed: i64,
    pub awarded: i64,
    pub paid: i64,
    pub outstanding: i64,
}

/// The typed support records of a case, decrypted and grouped, with what the rules find.
/// Each record has `id`, `version`, `status`, `created_at`, `updated_at` and `record` (its
/// fields); the lists of durable solutions, claims and return plans add what may come next.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportRecordsBody {
    pub case_id: String,
    /// The person's child status code on today's date.
    #[schema(value_type = String)]
    pub child_status: ChildStatus,
    pub child: bool,
    /// YYYY-MM-DD
    #[schema(value_type = String)]
    pub today: CalendarDate,
    /// The latest circumstances recorded (null: neither ground recorded).
    #[schema(value_type = Option<Object>)]
    pub circumstances: Option<RecordView<ChildCircumstances>>,
    /// The guardian recorded with the registration, if any.
    #[schema(value_type = Option<Object>)]
    pub registration_guardian: Option<GuardianAppointment>,
    #[schema(value_type = Vec<Object>)]
    pub guardians: Vec<RecordView<GuardianAppointment>>,
    /// Whether a guardian is required and missing, and on which grounds (Dir 2011/36 Art 14(2)).
    #[schema(value_type = Object)]
    pub guardian_need: AppointmentNeed,
    #[schema(value_type = Vec<Object>)]
    pub representatives: Vec<RecordView<ProceedingsRepresentative>>,
    /// Whether a representative is required and missing (Dir 2011/36 Art 15(1)).
    #[schema(value_type = Object)]
    pub representative_need: AppointmentNeed,
    pub interview_rules: InterviewRulesBody,
    #[schema(value_type = Vec<Object>)]
    pub interviews: Vec<RecordView<ChildInterview>>,
    pub interview_concerns: Vec<InterviewConcernBody>,
    #[schema(value_type = Vec<Object>)]
    pub determinations: Vec<RecordView<BestInterestsDetermination>>,
    /// Each with `next`: the statuses it may move to.
    #[schema(value_type = Vec<Object>)]
    pub durable_solutions: Vec<DurableSolutionView>,
    /// Each with `article`, `total_paid`, `outstanding` and `next`.
    #[schema(value_type = Vec<Object>)]
    pub compensation_claims: Vec<ClaimView>,
    pub compensation_totals: Vec<CurrencyTotalBody>,
    /// Each with `next`, `next_step` (checked on today's date), `latest_risk` and
    /// `re_trafficking_concern`.
    #[schema(value_type = Vec<Object>)]
    pub return_plans: Vec<ReturnPlanView>,
}

impl From<SupportRecordsView> for SupportRecordsBody {
    fn from(v: SupportRecordsView) -> Self {
        SupportRecordsBody {
            case_id: v.case_id,
            child_status: v.child_status,
            child: v.child,
            today: v.today,
            circumstances: v.circumstances,
            registration_guardian: v.registration_guardian,
            guardians: v.guardians,
            guardian_need: v.guardian_need,
            representatives: v.representatives,
            representative_need: v.representative_need,
            interview_rules: InterviewRulesBody {
                delay_limit_days: v.interview_rules.delay_limit_days,
                max_interviews: v.interview_rules.max_interviews,
            },
            interviews: v.interviews,
            interview_concerns: v
                .interview_concerns
                .into_iter()
                .map(|c| InterviewConcernBody {
                    record_id: c.record_id,
                    kind: c.kind,
                    article: c.article.to_owned(),
                    detail: c.detail,
                })
                .collect(),
            determinations: v.determinations,
            durable_solutions: v.durable_solutions,
            compensation_claims: v.compensation_claims,
            compensation_totals: v
                .compensation_totals
                .into_iter()
                .map(|t| CurrencyTotalBody {
                    currency: t.currency,
                    claimed: t.claimed,
                    awarded: t.awarded,
                    paid: t.paid,
                    outstanding: t.outstanding,
                })
                .collect(),
            return_plans: v.return_plans,
        }
    }
}

/// A support record as saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportRecordSavedBody {
    pub id: String,
    /// The record kind's code.
    #[schema(value_type = String)]
    pub kind: SupportRecordKind,
    /// The record's coded status.
    pub status: String,
    /// The version now stored (send it back with the next change).
    pub version: i64,
    /// The record's fields, by kind.
    #[schema(value_type = Object)]
    pub record: Value,
}

impl From<SupportRecordSaved> for SupportRecordSavedBody {
    fn from(s: SupportRecordSaved) -> Self {
        SupportRecordSavedBody { id: s.id, kind: s.kind, status: s.status, version: s.version, record: s.record }
    }
}
