//! The statistics API: national tables counted in persons, protected releases (cell suppression
//! or differential privacy) with their SDMX-CSV, spreadsheet and CSV downloads, the privacy
//! budget, and the EU hub (submissions, who has submitted, EU totals with coverage). Described
//! in docs/statistics.md.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Json, Response};
use haven_app::stats::{self, FileFormat, ReleaseRequest};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(national_tables))
        .routes(routes!(list_releases, create_release))
        .routes(routes!(get_release))
        .routes(routes!(release_sdmx))
        .routes(routes!(release_xlsx))
        .routes(routes!(release_table_csv))
        .routes(routes!(submit_release))
        .routes(routes!(privacy_budget))
        .routes(routes!(submit_file))
        .routes(routes!(hub_status))
        .routes(routes!(eu_totals))
        .routes(routes!(eu_totals_sdmx))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The reference year.
    pub year: u16,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OptionalYearQuery {
    /// The reference year (all years when absent).
    pub year: Option<u16>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SubmitQuery {
    /// The member state (ISO 3166 alpha-2).
    pub country: String,
    pub year: u16,
    /// `sdmx` (SDMX-CSV) or `xlsx` (the spreadsheet questionnaire).
    pub format: String,
}

pub(crate) fn download(content_type: &'static str, filename: String, body: impl IntoResponse) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response()
}

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The national tables of a year in my country, counted in persons, with how they were counted
/// (`counting`). True counts, for the country's statistics readers only: what leaves the country
/// is a release.
#[utoipa::path(get, path = "/statistics/tables", tag = "statistics", params(YearQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn national_tables(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(state.app.national_tables(&p, q.year).await?).into_response())
}

/// My country's releases, newest first.
#[utoipa::path(get, path = "/statistics/releases", tag = "statistics", params(OptionalYearQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn list_releases(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<OptionalYearQuery>,
) -> WebResult<Response> {
    Ok(Json(state.app.releases(&p, q.year).await?).into_response())
}

/// Make a release of the national tables of a year: `{"year": 2025, "mode": "suppression",
/// "threshold": 5, "protection": 5}` or `{"year": 2025, "mode": "dp", "mechanism": "laplace",
/// "epsilon": "1"}` (`"gaussian"` with `"delta"`). Parameters out of range: 422 naming the
/// field; a release the privacy budget cannot cover: 409, nothing published.
#[utoipa::path(post, path = "/statistics/releases", tag = "statistics", request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create_release(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<ReleaseRequest>,
) -> WebResult<Response> {
    let release = state.app.create_release(&p, &req).await?;
    Ok((StatusCode::CREATED, Json(release)).into_response())
}

/// One release: its observations (value, CONF_STATUS, expected error), the tables' layout, how
/// persons were counted, and the suppression audit or the privacy spent.
#[utoipa::path(get, path = "/statistics/releases/{id}", tag = "statistics",
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_release(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    Ok(Json(state.app.release(&p, &id).await?).into_response())
}

/// A release as SDMX-CSV 1.0 (dataflow HAVEN:THB_VICT(1.0)).
#[utoipa::path(get, path = "/statistics/releases/{id}/sdmx", tag = "statistics",
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn release_sdmx(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    let release = state.app.release(&p, &id).await?;
    let body = stats::release_sdmx(&release)?;
    Ok(download("text/csv; charset=utf-8", format!("thb_{}_{}.sdmx.csv", release.country, release.year), body))
}

/// A release as the spreadsheet questionnaire (one sheet per table, and a metadata sheet).
#[utoipa::path(get, path = "/statistics/releases/{id}/xlsx", tag = "statistics",
    responses((status = 200, body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn release_xlsx(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    let release = state.app.release(&p, &id).await?;
    let body = stats::release_xlsx(&release)?;
    Ok(download(XLSX, format!("thb_{}_{}.xlsx", release.country, release.year), body))
}

/// One table of a release as CSV.
#[utoipa::path(get, path = "/statistics/releases/{id}/tables/{table}/csv", tag = "statistics",
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn release_table_csv(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, table)): Path<(String, String)>,
) -> WebResult<Response> {
    let release = state.app.release(&p, &id).await?;
    let spec = release.table(&table).ok_or(haven_app::AppError::NotFound)?;
    let body = stats::table_csv(&release, spec)?;
    Ok(download("text/csv; charset=utf-8", format!("{}_{}_{}.csv", spec.id, release.country, release.year), body))
}

/// Send one of my country's releases to the EU hub.
#[utoipa::path(post, path = "/statistics/releases/{id}/submit", tag = "statistics",
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn submit_release(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    let receipt = state.app.submit_release(&p, &id).await?;
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// The privacy budget of my country's data for a year: the budget, what is spent, what is left.
#[utoipa::path(get, path = "/statistics/budget", tag = "statistics", params(YearQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn privacy_budget(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(state.app.privacy_budget(&p, q.year).await?).into_response())
}

/// Submit a member state's statistics for a year to the EU hub: the file is the body (SDMX-CSV
/// or XLSX). A bad file is refused whole (422) with every problem listed by line and column, or
/// sheet and cell, in `error.problems`.
#[utoipa::path(post, path = "/hub/submissions", tag = "statistics", params(SubmitQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_file(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<SubmitQuery>,
    body: Bytes,
) -> WebResult<Response> {
    let format = FileFormat::parse(&q.format)?;
    let receipt = state.app.submit_statistics(&p, &q.country, q.year, format, &body).await?;
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// Who has and has not submitted for a year (EU level).
#[utoipa::path(get, path = "/hub/status", tag = "statistics", params(YearQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn hub_status(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(state.app.submission_status(&p, q.year).await?).into_response())
}

/// EU totals of a year from the latest submission of each member state, with the coverage of
/// every cell (who reported, who kept it confidential, who left it blank, who did not submit).
#[utoipa::path(get, path = "/hub/eu", tag = "statistics", params(YearQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn eu_totals(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(state.app.eu_totals(&p, q.year).await?).into_response())
}

/// EU totals of a year as SDMX-CSV.
#[utoipa::path(get, path = "/hub/eu/sdmx", tag = "statistics", params(YearQuery),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = ErrorBody)))]
async fn eu_totals_sdmx(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    let aggregate = state.app.eu_totals(&p, q.year).await?;
    Ok(download("text/csv; charset=utf-8", format!("thb_EU_{}.sdmx.csv", q.year), stats::eu_sdmx(&aggregate)?))
}
