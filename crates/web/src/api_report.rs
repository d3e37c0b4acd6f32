//! The rapporteur's annual report in the JSON API (docs/monitoring.md, "The annual report"), under
//! `/api/v1/monitoring`: the reports of my jurisdiction, one report assembled (JSON), its DOCX in
//! my language, a narrative section saved, the report made final. Each handler calls one use case
//! of `haven_app::annual_report`, where access is decided (`authorize_annual_report`) and every
//! read, export and change audited. A field at fault is named in a 422.

use crate::AppState;
use crate::api_stats::download;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use crate::views::monitoring::report_doc;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json, Response};
use haven_app::AppError;
use haven_app::annual_report::{FinaliseRequest, SectionRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reports))
        .routes(routes!(get_report))
        .routes(routes!(report_docx))
        .routes(routes!(save_section))
        .routes(routes!(finalise))
}

/// The media type of a DOCX document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A use case's view as its own JSON.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ReportBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<ReportBody> {
    serde_json::to_value(v).map(ReportBody).map_err(|e| AppError::Internal(Box::new(e)).into())
}

/// A narrative section: year (empty: this year), version (as read; 0 before the first section),
/// position (1-based; empty: a new section at the end), title, text, remove.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct SectionBody(pub SectionRequest);

/// Making the report final: year, version (as read).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct FinaliseBody(pub FinaliseRequest);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct ReportQuery {
    /// The report's year (this year when absent).
    pub year: String,
}

/// The annual reports of my jurisdiction, and the years with released statistics.
#[utoipa::path(get, path = "/monitoring/reports", tag = "monitoring",
    responses((status = 200, body = ReportBody), (status = 403, body = ErrorBody)))]
async fn list_reports(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.annual_reports(&p).await?)?).into_response())
}

/// The annual report of a year, assembled: narrative sections, released statistics and trends
/// (or, at the EU hub, the Member States' submissions), transposition, strategy progress, GRETA.
#[utoipa::path(get, path = "/monitoring/report", tag = "monitoring", params(ReportQuery),
    responses((status = 200, body = ReportBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> WebResult<Response> {
    let view = state.app.annual_report(&p, &q.year).await?;
    state.app.audit_report_export(&p, view.report.year, "json").await?;
    Ok(Json(json_of(&view)?).into_response())
}

/// The annual report of a year as DOCX, in my language.
#[utoipa::path(get, path = "/monitoring/report/docx", tag = "monitoring", params(ReportQuery),
    responses((status = 200, body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report_docx(
    State(state): State<AppState>,
    Auth(p): Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> WebResult<Response> {
    let view = state.app.annual_report(&p, &q.year).await?;
    let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
    let doc = report_doc::document(&tr, &view);
    let bytes = report_doc::docx(&doc).map_err(|e| AppError::Internal(Box::new(e)))?;
    state.app.audit_report_export(&p, view.report.year, "docx").await?;
    let name = format!("annual_report_{}_{}.docx", view.report.jurisdiction.code(), view.report.year);
    Ok(download(DOCX, name, bytes))
}

/// Add, replace or remove a narrative section of my jurisdiction's report (its rapporteur).
#[utoipa::path(post, path = "/monitoring/report/sections", tag = "monitoring", request_body = SectionBody,
    responses((status = 200, body = ReportBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn save_section(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<SectionBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.save_report_section(&p, &b.0).await?)?).into_response())
}

/// Make my jurisdiction's report of a year final (its rapporteur); it is not changed again.
#[utoipa::path(post, path = "/monitoring/report/finalise", tag = "monitoring", request_body = FinaliseBody,
    responses((status = 200, body = ReportBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn finalise(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<FinaliseBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.finalise_annual_report(&p, &b.0).await?)?).into_response())
}
