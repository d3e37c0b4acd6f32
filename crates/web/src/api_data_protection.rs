//! The data protection officer's JSON API (docs/data-protection.md): the retention status of the
//! jurisdiction (schedules, listed records, holds), legal holds and their release, the decision
//! on a record under review, the day a case was closed, and the record of processing with the
//! impact assessment (JSON, or Markdown in the reader's language) and their completion. Each
//! handler calls one use case of `haven_app::retention`, where access is decided
//! (`may_manage_retention`) and every read and write audited. A field at fault is named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use haven_app::retention::ReviewDecision;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(retention_status))
        .routes(routes!(place_hold))
        .routes(routes!(release_hold))
        .routes(routes!(decide))
        .routes(routes!(close_case))
        .routes(routes!(processing_record, complete))
}

/// A use case's view as its own JSON.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct DataProtectionBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<DataProtectionBody> {
    serde_json::to_value(v).map(DataProtectionBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A legal hold on a listed record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldBody {
    /// The record's kind (registration, anonymous_notification, assessment, support_record,
    /// referral, proceedings, audit_log, statistics_microdata).
    pub record_kind: String,
    pub record_id: String,
    /// Why it is held (litigation, an open case).
    pub reason: String,
}

/// The release of a hold.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBody {
    pub hold_id: String,
    pub reason: String,
}

/// The officer's decision on a listed record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub record_kind: String,
    pub record_id: String,
    /// keep, erase or anonymise.
    pub decision: String,
    pub note: String,
}

/// The day a case was closed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureBody {
    pub case_id: String,
    /// YYYY-MM-DD, not in the future.
    pub closed_on: String,
}

/// A completion of the record of processing or the impact assessment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionBody {
    /// controller, officer_contact, activity.<compartment>, organisational_measures,
    /// risk.<risk>.<likelihood|severity|residual>, conclusion.
    pub field: String,
    /// The text (empty: removed).
    pub text: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// `json` (the default) or `markdown`.
    pub format: Option<String>,
}

/// The retention status of my jurisdiction: schedules, listed records, holds.
#[utoipa::path(get, path = "/retention", tag = "data-protection",
    responses((status = 200, body = DataProtectionBody), (status = 403, body = ErrorBody)))]
async fn retention_status(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.retention_view(&p).await?)?).into_response())
}

/// Place a legal hold on a listed record.
#[utoipa::path(post, path = "/retention/holds", tag = "data-protection", request_body = HoldBody,
    responses((status = 201, body = DataProtectionBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn place_hold(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<HoldBody>,
) -> WebResult<Response> {
    let id = state.app.place_retention_hold(&p, &b.record_kind, &b.record_id, &b.reason).await?;
    Ok((StatusCode::CREATED, Json(json_of(&serde_json::json!({ "hold_id": id }))?)).into_response())
}

/// Release a standing hold.
#[utoipa::path(post, path = "/retention/holds/release", tag = "data-protection", request_body = ReleaseBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn release_hold(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<ReleaseBody>,
) -> WebResult<Response> {
    state.app.release_retention_hold(&p, &b.hold_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Decide on a listed record: keep it for another period, erase or anonymise it.
#[utoipa::path(post, path = "/retention/decisions", tag = "data-protection", request_body = DecisionBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<DecisionBody>,
) -> WebResult<Response> {
    state.app.require(&p, haven_domain::Permission::ManageRetention).await?;
    let decision = ReviewDecision::parse("decision", &b.decision).map_err(haven_app::AppError::Invalid)?;
    state.app.decide_retention(&p, &b.record_kind, &b.record_id, decision, &b.note).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Record the day a case was closed (schedules running from closure count from it).
#[utoipa::path(post, path = "/retention/case-closures", tag = "data-protection", request_body = ClosureBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn close_case(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<ClosureBody>,
) -> WebResult<Response> {
    state.app.record_case_closure(&p, &b.case_id, &b.closed_on).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The record of processing activities and the impact assessment of my jurisdiction, generated
/// from the configuration with my completions: JSON, or Markdown in my language.
#[utoipa::path(get, path = "/processing-record", tag = "data-protection", params(FormatQuery),
    responses((status = 200, body = DataProtectionBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn processing_record(
    State(state): State<AppState>,
    Auth(p): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> WebResult<Response> {
    state.app.require(&p, haven_domain::Permission::ManageProcessingRecords).await?;
    match q.format.as_deref().map(str::trim).unwrap_or("json") {
        "json" | "" => Ok(Json(json_of(&state.app.processing_documents(&p, "json").await?)?).into_response()),
        "markdown" => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let docs = state.app.processing_documents(&p, "markdown").await?;
            Ok(crate::views::data_protection::markdown_response(&tr, &docs))
        }
        other => Err(haven_app::AppError::Invalid(haven_domain::ParseError::said(
            "format",
            format!("{other:?} is not json or markdown"),
            haven_domain::Message::new(haven_domain::MessageId::UnknownValue).with("value", other),
        ))
        .into()),
    }
}

/// Complete a field of the record of processing or the impact assessment.
#[utoipa::path(post, path = "/processing-record", tag = "data-protection", request_body = CompletionBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn complete(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<CompletionBody>,
) -> WebResult<Response> {
    state.app.complete_processing_record(&p, &b.field, &b.text).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
