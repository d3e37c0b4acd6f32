//! The assistance API: risk and needs assessments, support plans, the provider directory and
//! matching, referrals between organisations. Domain values travel as their JSON form
//! (documented in docs/assistance.md).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::assist::{Mailbox, PlanItemStatusInput, ReferralInput, ReferralStateInput};
use haven_domain::assist::assessment::AssessmentInput;
use haven_domain::assist::directory::ProviderInput;
use haven_domain::assist::matching::NeedQuery;
use haven_domain::assist::plan::PlanItemInput;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_support))
        .routes(routes!(submit_assessment))
        .routes(routes!(review_assessment))
        .routes(routes!(add_plan_item))
        .routes(routes!(update_plan_item))
        .routes(routes!(list_providers, create_provider))
        .routes(routes!(update_provider))
        .routes(routes!(match_providers))
        .routes(routes!(create_referral))
        .routes(routes!(list_referrals))
        .routes(routes!(get_referral))
        .routes(routes!(change_referral))
        .routes(routes!(follow_up_referral))
}

/// The support side of a case: assessments (every version, the one in force marked), needs,
/// unmet needs, the support plan and the case's referrals. Audited.
#[utoipa::path(get, path = "/cases/{id}/support", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_support(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    Ok(Json(state.app.support(&p, &id).await?).into_response())
}

/// Submit a new version of the individual risk and needs assessment (a reassessment keeps the
/// earlier versions). Every area is assessed; a child's assessment has the child's part.
#[utoipa::path(post, path = "/cases/{id}/assessments", tag = "assistance", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn submit_assessment(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> WebResult<Response> {
    Ok((StatusCode::CREATED, Json(state.app.submit_assessment(&p, &id, &input).await?)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub approve: bool,
    /// Required when returning.
    #[serde(default)]
    pub reason: String,
}

/// Approve a submitted assessment, or return it with a reason (a supervisor other than the
/// author).
#[utoipa::path(post, path = "/cases/{id}/assessments/{seq}/review", tag = "assistance",
    params(("id" = String, Path), ("seq" = i64, Path)), request_body = ReviewBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn review_assessment(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, seq)): Path<(String, i64)>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> WebResult<Response> {
    Ok(Json(state.app.review_assessment(&p, &id, seq, b.approve, &b.reason).await?).into_response())
}

/// Add a service to the support plan. Legal counselling and representation are free of charge
/// when the assessment in force says the victim lacks means; no field can make support
/// conditional on cooperation with the authorities.
#[utoipa::path(post, path = "/cases/{id}/plan", tag = "assistance", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add_plan_item(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PlanItemInput>,
) -> WebResult<Response> {
    Ok((StatusCode::CREATED, Json(state.app.add_plan_item(&p, &id, &input).await?)).into_response())
}

/// Move a service of the plan on: in_progress, completed, or stopped with a reason
/// (declined_by_victim, contact_lost, replaced_by_other_service, left_country).
#[utoipa::path(post, path = "/cases/{id}/plan/{item}/status", tag = "assistance",
    params(("id" = String, Path), ("item" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_plan_item(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, item)): Path<(String, String)>,
    ApiJson(input): ApiJson<PlanItemStatusInput>,
) -> WebResult<Response> {
    Ok(Json(state.app.update_plan_item(&p, &id, &item, &input).await?).into_response())
}

/// The directory of support providers of my country, with live occupancy.
#[utoipa::path(get, path = "/providers", tag = "assistance",
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn list_providers(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(state.app.providers(&p).await?).into_response())
}

/// Add a provider (services with capacity, languages, regions, who it takes, contacts,
/// opening hours).
#[utoipa::path(post, path = "/providers", tag = "assistance", request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create_provider(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<ProviderInput>,
) -> WebResult<Response> {
    Ok((StatusCode::CREATED, Json(state.app.save_provider(&p, &input, None).await?)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderBody {
    /// The version loaded: a save over a newer one is a conflict (409).
    pub version: i64,
    #[schema(value_type = Object)]
    pub provider: ProviderInput,
}

/// Change a provider. Capacity cannot go below the places in use; occupancy is live.
#[utoipa::path(put, path = "/providers/{id}", tag = "assistance", params(("id" = String, Path)),
    request_body = ProviderBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_provider(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ProviderBody>,
) -> WebResult<Response> {
    if b.provider.id != id {
        return Err(haven_app::AppError::invalid("provider.id", "must be the id in the path").into());
    }
    Ok(Json(state.app.save_provider(&p, &b.provider, Some(b.version)).await?).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchBody {
    #[schema(value_type = Object)]
    pub need: NeedQuery,
    /// How many to return (1-200, default 20).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Rank the providers of my country for a need, best first: only eligible ones (offers the
/// service, takes the person, has a free place), each rank explained factor by factor.
#[utoipa::path(post, path = "/providers/match", tag = "assistance", request_body = MatchBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn match_providers(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<MatchBody>,
) -> WebResult<Response> {
    Ok(Json(state.app.match_providers(&p, &b.need, b.limit.unwrap_or(20)).await?).into_response())
}

/// Refer the case to another organisation's service, or transfer it (`kind`: transfer). An
/// adult's referral needs `consent` (given, date, language) or, with the override permission,
/// a documented `consent.emergency_reason`; a child needs none. Only the fields configured for
/// the service type are shared. A referral sent to a provider with limited capacity holds a
/// place; when none is left, 409.
#[utoipa::path(post, path = "/cases/{id}/referrals", tag = "assistance", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReferralInput>,
) -> WebResult<Response> {
    Ok((StatusCode::CREATED, Json(state.app.create_referral(&p, &id, &input).await?)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MailboxQuery {
    /// inbox (received), outbox (sent, drafts included) or overdue (both, past their due date)
    pub mailbox: String,
}

/// My organisation's referrals: inbox, outbox, or overdue.
#[utoipa::path(get, path = "/referrals", tag = "assistance", params(MailboxQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_referrals(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<MailboxQuery>,
) -> WebResult<Response> {
    let mailbox = match q.mailbox.as_str() {
        "inbox" => Mailbox::Inbox,
        "outbox" => Mailbox::Outbox,
        "overdue" => Mailbox::Overdue,
        _ => return Err(haven_app::AppError::invalid("mailbox", "expected inbox, outbox or overdue").into()),
    };
    Ok(Json(state.app.referrals(&p, mailbox).await?).into_response())
}

/// A referral my organisation sent or received; the receiver sees only the shared fields.
/// Audited.
#[utoipa::path(get, path = "/referrals/{id}", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_referral(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    Ok(Json(state.app.referral(&p, &id).await?).into_response())
}

/// Change a referral's state: the sender sends (`sent`) or withdraws (`withdrawn`); the
/// receiver answers (`accepted`, or `declined` with a `reason`), starts (`in_progress`) and
/// completes (`completed`). An accepted transfer moves the case to the receiver.
#[utoipa::path(post, path = "/referrals/{id}/state", tag = "assistance", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReferralStateInput>,
) -> WebResult<Response> {
    Ok(Json(state.app.change_referral(&p, &id, &input).await?).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    pub note: String,
    pub version: i64,
}

/// Record a follow-up of a referral; the next one falls due after the configured days.
#[utoipa::path(post, path = "/referrals/{id}/follow-ups", tag = "assistance", params(("id" = String, Path)),
    request_body = FollowUpBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn follow_up_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> WebResult<Response> {
    Ok(Json(state.app.follow_up_referral(&p, &id, &b.note, b.version).await?).into_response())
}
