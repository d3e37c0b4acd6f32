//! The instruments and the transposition tracker in the JSON API (docs/monitoring.md), under
//! `/api/v1/monitoring`: the instruments with their articles and parties, the country × article
//! matrix and notification timeline of a directive, a country's transposition, recording a
//! national measure (a country's rapporteur), the Commission's assessment of an article and an
//! infringement step (the EU level), and the coordinator's dashboard. Each handler calls one use
//! case of `haven_app::monitoring`, where access is decided (`authorize_monitoring`) and every
//! read and write audited. A field at fault is named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_domain::transposition::{AssessmentInput, InfringementInput, MeasureInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(instruments))
        .routes(routes!(tracker))
        .routes(routes!(country))
        .routes(routes!(record_measure))
        .routes(routes!(record_assessment))
        .routes(routes!(record_infringement_step))
        .routes(routes!(dashboard))
}

/// A use case's view as its own JSON.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct TranspositionBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<TranspositionBody> {
    serde_json::to_value(v).map(TranspositionBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A national measure of my country: instrument (DIR_2011_36, DIR_2024_1712, DIR_2004_81),
/// articles (citations or bare articles separated by commas; empty: the whole directive), title,
/// reference, notified_on, link (https://...), completes (yes: those articles completely
/// transposed; no: partly).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct MeasureBody(pub MeasureInput);

/// The Commission's assessment of an article: country, instrument, article, finding (conform,
/// partial, non_conformity), assessed_on, note.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct AssessmentBody(pub AssessmentInput);

/// An infringement step: country, instrument, procedure (its number), ground (non_communication,
/// non_conformity), stage (letter_of_formal_notice, reasoned_opinion, referral_to_court, closed),
/// decided_on.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct InfringementBody(pub InfringementInput);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InstrumentQuery {
    /// The directive (DIR_2011_36, DIR_2024_1712, DIR_2004_81); DIR_2024_1712 when absent.
    pub instrument: Option<String>,
}

/// The instruments, their articles (the obligation in each and its date of application; where
/// they bind my country today) and who is bound since when.
#[utoipa::path(get, path = "/monitoring/instruments", tag = "monitoring",
    responses((status = 200, body = TranspositionBody), (status = 403, body = ErrorBody)))]
async fn instruments(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.instruments_view(&p).await?)?).into_response())
}

/// A directive's country × article matrix (status per article, lateness per country) and the
/// timeline of how many countries had notified by each day, over the countries I may read.
#[utoipa::path(get, path = "/monitoring/transposition", tag = "monitoring", params(InstrumentQuery),
    responses((status = 200, body = TranspositionBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn tracker(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<InstrumentQuery>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.transposition_tracker(&p, q.instrument.as_deref()).await?)?).into_response())
}

/// A country's transposition: per directive its lateness, the status of each article, the
/// measures notified, the Commission's assessments and the infringement steps.
#[utoipa::path(get, path = "/monitoring/transposition/{country}", tag = "monitoring",
    params(("country" = String, Path, description = "An ISO 3166-1 alpha-2 code")),
    responses((status = 200, body = TranspositionBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn country(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(country): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.transposition_country(&p, &country).await?)?).into_response())
}

/// Record a national measure my country notified.
#[utoipa::path(post, path = "/monitoring/transposition/measures", tag = "monitoring", request_body = MeasureBody,
    responses((status = 201, body = TranspositionBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn record_measure(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<MeasureBody>,
) -> WebResult<Response> {
    let measure = state.app.record_measure(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&measure)?)).into_response())
}

/// Record the Commission's assessment of an article of a country's transposition (the EU level).
#[utoipa::path(post, path = "/monitoring/transposition/assessments", tag = "monitoring", request_body = AssessmentBody,
    responses((status = 201, body = TranspositionBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_assessment(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<AssessmentBody>,
) -> WebResult<Response> {
    let assessment = state.app.record_assessment(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&assessment)?)).into_response())
}

/// Record a step of an infringement procedure against a country (the EU level).
#[utoipa::path(post, path = "/monitoring/transposition/infringements", tag = "monitoring", request_body = InfringementBody,
    responses((status = 201, body = TranspositionBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_infringement_step(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<InfringementBody>,
) -> WebResult<Response> {
    let step = state.app.record_infringement_step(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&step)?)).into_response())
}

/// The coordinator's dashboard: transposition deadlines and replies due in the next 90 days, and
/// the countries late on transposition today, of the countries I may read.
#[utoipa::path(get, path = "/monitoring/dashboard", tag = "monitoring",
    responses((status = 200, body = TranspositionBody), (status = 403, body = ErrorBody)))]
async fn dashboard(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.monitoring_dashboard(&p).await?)?).into_response())
}
