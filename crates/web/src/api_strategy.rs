//! Strategies and action plans, and GRETA's evaluations, in the JSON API (docs/monitoring.md),
//! under `/api/v1/monitoring`. Each handler calls one use case of `haven_app::strategy` or
//! `haven_app::greta`, where access is decided (`authorize_monitoring`) and every read and write
//! audited. A field at fault is named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_domain::Jurisdiction;
use haven_domain::greta::{FollowUpInput, RecommendationInput, RoundInput};
use haven_domain::strategy::{ActionInput, ProgressInput, StrategyInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_strategies, record_strategy))
        .routes(routes!(get_strategy))
        .routes(routes!(add_action))
        .routes(routes!(get_action, record_progress))
        .routes(routes!(actions_overdue))
        .routes(routes!(list_rounds, record_round))
        .routes(routes!(get_round))
        .routes(routes!(add_recommendation))
        .routes(routes!(record_follow_up))
        .routes(routes!(without_follow_up))
}

/// A use case's view as its own JSON.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct MonitoringBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<MonitoringBody> {
    serde_json::to_value(v).map(MonitoringBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A strategy or plan: title, reference, starts_on, ends_on, priorities (one a line, `A: title`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct StrategyBody(pub StrategyInput);

/// An action: number, priority (a code of the strategy's), text, responsible, target_on (empty:
/// continuing).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ActionBody(pub ActionInput);

/// An action's progress: status (not_started, ongoing, completed, discontinued), note, and one
/// piece of evidence to add (evidence_kind: document, statistics_release, training;
/// evidence_reference: an address or an id; evidence_label).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ProgressBody(pub ProgressInput);

/// A GRETA round: round, questionnaire_sent_on, visit_from, visit_until, report_published_on,
/// report_link.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct RoundBody(pub RoundInput);

/// A recommendation: paragraph, wording, strength (urges, considers, invites; empty: read from
/// the wording's verb).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct RecommendationBody(pub RecommendationInput);

/// A follow-up: on, text, status (planned, in_progress, partly_implemented, implemented,
/// not_implemented).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct FollowUpBody(pub FollowUpInput);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CountryQuery {
    /// A country code, or EU (all readable when absent).
    pub country: Option<String>,
}

fn scope(q: &CountryQuery) -> WebResult<Option<Jurisdiction>> {
    q.country
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(|c| Jurisdiction::parse("country", c))
        .transpose()
        .map_err(|e| haven_app::AppError::Invalid(e).into())
}

/// The strategies and plans I may read, with progress per priority.
#[utoipa::path(get, path = "/monitoring/strategies", tag = "monitoring",
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody)))]
async fn list_strategies(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.strategies(&p).await?)?).into_response())
}

/// Record a strategy or plan of my jurisdiction.
#[utoipa::path(post, path = "/monitoring/strategies", tag = "monitoring", request_body = StrategyBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_strategy(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<StrategyBody>,
) -> WebResult<Response> {
    let strategy = state.app.record_strategy(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&strategy)?)).into_response())
}

/// A strategy with its actions and progress per priority.
#[utoipa::path(get, path = "/monitoring/strategies/{id}", tag = "monitoring", params(("id" = String, Path)),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_strategy(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.strategy(&p, &id).await?)?).into_response())
}

/// Add an action to a recorded strategy.
#[utoipa::path(post, path = "/monitoring/strategies/{id}/actions", tag = "monitoring", params(("id" = String, Path)),
    request_body = ActionBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> WebResult<Response> {
    let action = state.app.add_strategy_action(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&action)?)).into_response())
}

/// An action with its status and evidence.
#[utoipa::path(get, path = "/monitoring/strategies/{id}/actions/{number}", tag = "monitoring",
    params(("id" = String, Path), ("number" = String, Path, description = "The action's number (A1.2)")),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, number)): ApiPath<(String, String)>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.strategy_action(&p, &id, &number).await?)?).into_response())
}

/// Record an action's status and note, adding a piece of evidence.
#[utoipa::path(post, path = "/monitoring/strategies/{id}/actions/{number}", tag = "monitoring",
    params(("id" = String, Path), ("number" = String, Path, description = "The action's number (A1.2)")),
    request_body = ProgressBody,
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_progress(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, number)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<ProgressBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.record_action_progress(&p, &id, &number, &b.0).await?)?).into_response())
}

/// The actions overdue today, of a jurisdiction's strategies or of all I may read.
#[utoipa::path(get, path = "/monitoring/actions-overdue", tag = "monitoring", params(CountryQuery),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn actions_overdue(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<CountryQuery>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.actions_overdue(&p, scope(&q)?).await?)?).into_response())
}

/// GRETA's rounds of the countries I may read.
#[utoipa::path(get, path = "/monitoring/greta/rounds", tag = "monitoring",
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody)))]
async fn list_rounds(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.greta_rounds(&p).await?)?).into_response())
}

/// Record a GRETA round of my country.
#[utoipa::path(post, path = "/monitoring/greta/rounds", tag = "monitoring", request_body = RoundBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn record_round(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<RoundBody>,
) -> WebResult<Response> {
    let round = state.app.record_greta_round(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&round)?)).into_response())
}

/// A round with its recommendations and their follow-up.
#[utoipa::path(get, path = "/monitoring/greta/rounds/{id}", tag = "monitoring", params(("id" = String, Path)),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_round(State(state): State<AppState>, Auth(p): Auth, ApiPath(id): ApiPath<String>) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.greta_round(&p, &id).await?)?).into_response())
}

/// Add a recommendation to a round.
#[utoipa::path(post, path = "/monitoring/greta/rounds/{id}/recommendations", tag = "monitoring",
    params(("id" = String, Path)), request_body = RecommendationBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add_recommendation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<RecommendationBody>,
) -> WebResult<Response> {
    let recommendation = state.app.add_greta_recommendation(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&recommendation)?)).into_response())
}

/// Record the authorities' follow-up of a recommendation.
#[utoipa::path(post, path = "/monitoring/greta/recommendations/{id}/follow-ups", tag = "monitoring",
    params(("id" = String, Path)), request_body = FollowUpBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn record_follow_up(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> WebResult<Response> {
    let follow_up = state.app.record_greta_follow_up(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&follow_up)?)).into_response())
}

/// The recommendations without any follow-up, of a country or of all I may read.
#[utoipa::path(get, path = "/monitoring/greta/without-follow-up", tag = "monitoring", params(CountryQuery),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn without_follow_up(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<CountryQuery>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.recommendations_without_follow_up(&p, scope(&q)?).await?)?).into_response())
}
