//! The statistics API: national tables counted in persons, protected releases (cell suppression
//! or differential privacy) with their SDMX-CSV, spreadsheet and CSV downloads, the privacy
//! budget, and the EU hub (submissions, who has submitted, EU totals with coverage). Described
//! in docs/statistics.md.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Json, Response};
use haven_app::stats::{self, FileFormat, ReleaseRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(national_tables))
        .routes(routes!(list_releases, create_release))
        .routes(routes!(preview_release))
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
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The reference year.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: u16,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OptionalYearQuery {
    /// The reference year (all years when absent).
    pub year: Option<u16>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SubmitQuery {
    /// The member state (ISO 3166 alpha-2).
    pub country: String,
    /// The reference year.
    #[param(minimum = 2000, maximum = 2100)]
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
    responses((status = 200, body = NationalTablesBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn national_tables(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(NationalTablesBody::from(state.app.national_tables(&p, q.year).await?)).into_response())
}

/// My country's releases, newest first.
#[utoipa::path(get, path = "/statistics/releases", tag = "statistics", params(OptionalYearQuery),
    responses((status = 200, body = Vec<ReleaseSummaryBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_releases(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<OptionalYearQuery>,
) -> WebResult<Response> {
    let list: Vec<ReleaseSummaryBody> = state.app.releases(&p, q.year).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// Make a release of the national tables of a year: `{"year": 2025, "mode": "suppression",
/// "threshold": 5, "protection": 5}` or `{"year": 2025, "mode": "dp", "mechanism": "laplace",
/// "epsilon": "1"}` (`"gaussian"` with `"delta"`). Parameters out of range: 422 naming the
/// field; a release the privacy budget cannot cover: 409, nothing published.
#[utoipa::path(post, path = "/statistics/releases", tag = "statistics", request_body = ReleaseRequestBody,
    responses((status = 201, body = ReleaseBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create_release(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<ReleaseRequestBody>,
) -> WebResult<Response> {
    let release = state.app.create_release(&p, &req.into()).await?;
    Ok((StatusCode::CREATED, Json(ReleaseBody::from(release))).into_response())
}

/// What a release would publish, and whether release control would refuse it, without storing
/// anything or spending any privacy budget: the same body as `POST /statistics/releases`.
/// Suppression: the observations as they would be published (every hidden cell `C`), the audit,
/// and when it would be refused (`refused` true) the reason in `refusal` with the cells at fault
/// (the same as the 409 of making it). Differential privacy: the noise, the cost and the budget
/// after it, but no figures (noise is drawn only when the release is made). Parameters out of
/// range: 422 naming the field.
#[utoipa::path(post, path = "/statistics/releases/preview", tag = "statistics", request_body = ReleaseRequestBody,
    responses((status = 200, body = ReleasePreviewBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn preview_release(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<ReleaseRequestBody>,
) -> WebResult<Response> {
    let preview = state.app.preview_release(&p, &req.into()).await?;
    Ok(Json(ReleasePreviewBody::from(preview)).into_response())
}

/// One release: its observations (value, CONF_STATUS, expected error), the tables' layout, how
/// persons were counted, and the suppression audit or the privacy spent.
#[utoipa::path(get, path = "/statistics/releases/{id}", tag = "statistics", params(("id" = String, Path)),
    responses((status = 200, body = ReleaseBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn get_release(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(ReleaseBody::from(state.app.release(&p, &id).await?)).into_response())
}

/// A release as SDMX-CSV 1.0 (dataflow HAVEN:THB_VICT(1.0)).
#[utoipa::path(get, path = "/statistics/releases/{id}/sdmx", tag = "statistics", params(("id" = String, Path)),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn release_sdmx(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    let release = state.app.release(&p, &id).await?;
    let body = stats::release_sdmx(&release)?;
    Ok(download("text/csv; charset=utf-8", format!("thb_{}_{}.sdmx.csv", release.country, release.year), body))
}

/// A release as the spreadsheet questionnaire (one sheet per table, and a metadata sheet).
#[utoipa::path(get, path = "/statistics/releases/{id}/xlsx", tag = "statistics", params(("id" = String, Path)),
    responses((status = 200, body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn release_xlsx(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    let release = state.app.release(&p, &id).await?;
    let body = stats::release_xlsx(&release)?;
    Ok(download(XLSX, format!("thb_{}_{}.xlsx", release.country, release.year), body))
}

/// One table of a release as CSV.
#[utoipa::path(get, path = "/statistics/releases/{id}/tables/{table}/csv", tag = "statistics",
    params(("id" = String, Path), ("table" = String, Path, description = "A table id of the release")),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn release_table_csv(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, table)): ApiPath<(String, String)>,
) -> WebResult<Response> {
    let release = state.app.release(&p, &id).await?;
    let spec = release.table(&table).ok_or(haven_app::AppError::NotFound)?;
    let body = stats::table_csv(&release, spec)?;
    Ok(download("text/csv; charset=utf-8", format!("{}_{}_{}.csv", spec.id, release.country, release.year), body))
}

/// Send one of my country's releases to the EU hub.
#[utoipa::path(post, path = "/statistics/releases/{id}/submit", tag = "statistics", params(("id" = String, Path)),
    responses((status = 201, body = SubmissionReceiptBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn submit_release(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    let receipt = state.app.submit_release(&p, &id).await?;
    Ok((StatusCode::CREATED, Json(SubmissionReceiptBody::from(receipt))).into_response())
}

/// The privacy budget of my country's data for a year: the budget, what is spent, what is left.
#[utoipa::path(get, path = "/statistics/budget", tag = "statistics", params(YearQuery),
    responses((status = 200, body = BudgetBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn privacy_budget(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(BudgetBody::from(state.app.privacy_budget(&p, q.year).await?)).into_response())
}

/// Submit a member state's statistics for a year to the EU hub: the file is the body (SDMX-CSV
/// or XLSX). A bad file is refused whole (422) with every problem listed by line and column, or
/// sheet and cell, in `error.problems`.
#[utoipa::path(post, path = "/hub/submissions", tag = "statistics", params(SubmitQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = SubmissionReceiptBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_file(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<SubmitQuery>,
    body: Bytes,
) -> WebResult<Response> {
    let format = FileFormat::parse(&q.format)?;
    let receipt = state.app.submit_statistics(&p, &q.country, q.year, format, &body).await?;
    Ok((StatusCode::CREATED, Json(SubmissionReceiptBody::from(receipt))).into_response())
}

/// Who has and has not submitted for a year (EU level).
#[utoipa::path(get, path = "/hub/status", tag = "statistics", params(YearQuery),
    responses((status = 200, body = Vec<CountryStatusBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn hub_status(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    let list: Vec<CountryStatusBody> =
        state.app.submission_status(&p, q.year).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// EU totals of a year from the latest submission of each member state, with the coverage of
/// every cell (who reported, who kept it confidential, who left it blank, who did not submit).
#[utoipa::path(get, path = "/hub/eu", tag = "statistics", params(YearQuery),
    responses((status = 200, body = EuTotalsBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn eu_totals(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    Ok(Json(EuTotalsBody::from(state.app.eu_totals(&p, q.year).await?)).into_response())
}

/// EU totals of a year as SDMX-CSV.
#[utoipa::path(get, path = "/hub/eu/sdmx", tag = "statistics", params(YearQuery),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn eu_totals_sdmx(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    let aggregate = state.app.eu_totals(&p, q.year).await?;
    Ok(download("text/csv; charset=utf-8", format!("thb_EU_{}.sdmx.csv", q.year), stats::eu_sdmx(&aggregate)?))
}

// ---------------------------------------------------------------------------------------------
// Bodies as the document describes them, mapped from the use cases' types. The JSON is the same
// as the use cases' own serialisation; tables, datasets and cells keep their JSON form
// (docs/statistics.md).

/// How the persons of a reference year were counted, published with every table and release.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountingBody {
    /// Referred registrations in the country (all years), linked to find persons.
    pub registrations: u64,
    /// Distinct persons among them (all years).
    pub persons: u64,
    /// Registrations found to be a person already counted.
    pub merged: u64,
    /// Persons counted in this year.
    pub persons_in_year: u64,
    /// Persons first registered in the year but left out (closed negative or withdrawn).
    pub left_out: u64,
    /// Anonymous notifications of the year.
    pub notifications: u64,
    /// How the persons were found, in words.
    pub method: String,
}

impl From<stats::Counting> for CountingBody {
    fn from(c: stats::Counting) -> Self {
        CountingBody {
            registrations: c.registrations,
            persons: c.persons,
            merged: c.merged,
            persons_in_year: c.persons_in_year,
            left_out: c.left_out,
            notifications: c.notifications,
            method: c.method,
        }
    }
}

/// The national tables of a reference year, counted in persons.
#[derive(Debug, Serialize, ToSchema)]
pub struct NationalTablesBody {
    /// ISO 3166-1 alpha-2
    pub country: String,
    pub year: u16,
    /// Each table: its `spec` (id, dimensions and their codes) and `values` (row-major, margins
    /// included).
    #[schema(value_type = Vec<Object>)]
    pub tables: Vec<haven_stats::Table>,
    pub counting: CountingBody,
    /// How the offenders of the trafficker tables (`TRAF_*`, `USE_*`) were counted from the
    /// proceedings data.
    pub offenders: OffenderCountingBody,
}

/// How the offenders of the trafficker tables were counted (all years of the country).
#[derive(Debug, Serialize, ToSchema)]
pub struct OffenderCountingBody {
    /// Natural persons recorded as suspects in the country's investigations.
    pub suspects: u64,
    /// Distinct persons among them.
    pub persons: u64,
    /// Suspect records found to be a person already counted.
    pub merged: u64,
    /// Legal persons among the suspects: not counted in the tables.
    pub legal_persons: u64,
    /// How the persons were found and counted, in words.
    pub method: String,
}

impl From<haven_app::stats_proceedings::OffenderCounting> for OffenderCountingBody {
    fn from(c: haven_app::stats_proceedings::OffenderCounting) -> Self {
        OffenderCountingBody {
            suspects: c.suspects,
            persons: c.persons,
            merged: c.merged,
            legal_persons: c.legal_persons,
            method: c.method,
        }
    }
}

impl From<stats::NationalTables> for NationalTablesBody {
    fn from(t: stats::NationalTables) -> Self {
        NationalTablesBody {
            country: t.country,
            year: t.year,
            tables: t.tables,
            counting: t.counting.into(),
            offenders: t.offenders.into(),
        }
    }
}

/// A release of a year's tables: cell suppression or differential privacy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequestBody {
    pub year: u16,
    /// `suppression` (cell suppression with an audit) or `dp` (differential privacy).
    pub mode: String,
    /// Suppression: cells of 1 to threshold-1 persons are confidential (default 5).
    #[serde(default)]
    pub threshold: Option<u64>,
    /// Suppression: how many persons the attacker's interval must reach each way around a
    /// confidential cell (default: the threshold).
    #[serde(default)]
    pub protection: Option<u64>,
    /// Differential privacy: `laplace` (pure ε) or `gaussian` (ε, δ).
    #[serde(default)]
    pub mechanism: Option<String>,
    /// Differential privacy: the ε this release spends, as a decimal.
    #[serde(default)]
    pub epsilon: Option<String>,
    /// Differential privacy, Gaussian: the δ this release spends, as a decimal.
    #[serde(default)]
    pub delta: Option<String>,
}

impl From<ReleaseRequestBody> for ReleaseRequest {
    fn from(b: ReleaseRequestBody) -> Self {
        ReleaseRequest {
            year: b.year,
            mode: b.mode,
            threshold: b.threshold,
            protection: b.protection,
            mechanism: b.mechanism,
            epsilon: b.epsilon,
            delta: b.delta,
        }
    }
}

/// A release as shown and exported.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseBody {
    pub id: String,
    /// ISO 3166-1 alpha-2
    pub country: String,
    pub year: u16,
    /// `suppression` or `dp`.
    pub mode: String,
    /// Unix seconds.
    pub created_at: i64,
    pub created_by: String,
    /// The observations: each cell's key, value, CONF_STATUS and expected error.
    #[schema(value_type = Object)]
    pub dataset: haven_stats::Dataset,
    /// The tables' layout, how persons were counted, and the suppression audit or the privacy
    /// spent.
    #[schema(value_type = Object)]
    pub report: stats::ReleaseReport,
}

impl From<stats::Release> for ReleaseBody {
    fn from(r: stats::Release) -> Self {
        ReleaseBody {
            id: r.id,
            country: r.country,
            year: r.year,
            mode: r.mode,
            created_at: r.created_at,
            created_by: r.created_by,
            dataset: r.dataset,
            report: r.report,
        }
    }
}

/// Why release control would refuse a release.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusalBody {
    /// The reason's message id (`stats-refused-cells`, `stats-refused-audit`,
    /// `stats-refused-exact-beside-dp`, `stats-refused-dp-beside-exact`, `stats-refused-budget`).
    pub code: String,
    /// The reason in English, as the 409 of making the release says it.
    pub message: String,
    /// The cells at fault (or the amounts, for the budget).
    pub items: Vec<String>,
}

/// A release as it would be published, and whether it would be refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleasePreviewBody {
    /// ISO 3166-1 alpha-2
    pub country: String,
    pub year: u16,
    /// `suppression` or `dp`.
    pub mode: String,
    /// Whether making it now would be refused.
    pub refused: bool,
    pub refusal: Option<RefusalBody>,
    /// Suppression: the observations as they would be published; null for differential privacy.
    #[schema(value_type = Option<Object>)]
    pub dataset: Option<haven_stats::Dataset>,
    /// The tables' layout, how persons were counted, and the audit or the noise and budget after.
    #[schema(value_type = Object)]
    pub report: stats::ReleaseReport,
}

impl From<stats::ReleasePreview> for ReleasePreviewBody {
    fn from(p: stats::ReleasePreview) -> Self {
        ReleasePreviewBody {
            country: p.country,
            year: p.year,
            mode: p.mode,
            refused: p.refusal.is_some(),
            refusal: p.refusal.map(|r| RefusalBody {
                code: r.message_id.to_owned(),
                message: r.english,
                items: r.items,
            }),
            dataset: p.dataset,
            report: p.report,
        }
    }
}

/// A release in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseSummaryBody {
    pub id: String,
    pub year: u16,
    /// `suppression` or `dp`.
    pub mode: String,
    /// Unix seconds.
    pub created_at: i64,
    /// How many observations it has.
    pub observations: usize,
    /// How many of them are confidential.
    pub confidential: usize,
}

impl From<stats::ReleaseSummary> for ReleaseSummaryBody {
    fn from(r: stats::ReleaseSummary) -> Self {
        ReleaseSummaryBody {
            id: r.id,
            year: r.year,
            mode: r.mode,
            created_at: r.created_at,
            observations: r.observations,
            confidential: r.confidential,
        }
    }
}

/// A dataset's privacy budget and what is spent (decimals as text).
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetBody {
    pub year: u16,
    pub budget_epsilon: String,
    pub budget_delta: String,
    pub spent_epsilon: String,
    pub spent_delta: String,
    pub remaining_epsilon: String,
    pub remaining_delta: String,
}

impl From<stats::BudgetView> for BudgetBody {
    fn from(b: stats::BudgetView) -> Self {
        BudgetBody {
            year: b.year,
            budget_epsilon: b.budget_epsilon,
            budget_delta: b.budget_delta,
            spent_epsilon: b.spent_epsilon,
            spent_delta: b.spent_delta,
            remaining_epsilon: b.remaining_epsilon,
            remaining_delta: b.remaining_delta,
        }
    }
}

/// A submission stored at the EU hub.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionReceiptBody {
    pub id: String,
    /// ISO 3166-1 alpha-2
    pub country: String,
    pub year: u16,
    /// `sdmx` or `xlsx`.
    pub format: String,
    /// How many observations were read.
    pub observations: u64,
    /// Unix seconds.
    pub submitted_at: i64,
}

impl From<stats::SubmissionReceipt> for SubmissionReceiptBody {
    fn from(r: stats::SubmissionReceipt) -> Self {
        SubmissionReceiptBody {
            id: r.id,
            country: r.country,
            year: r.year,
            format: r.format,
            observations: r.observations,
            submitted_at: r.submitted_at,
        }
    }
}

/// Where one member state stands in the collection of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryStatusBody {
    /// ISO 3166-1 alpha-2
    pub country: String,
    /// `submitted`, `missing`, `not_bound` (not bound by the Directive: not expected, not
    /// missing), `voluntary` (a file from a country not bound) or `unexpected`.
    pub status: String,
    /// Files received (the latest counts).
    pub files: usize,
    /// Unix seconds.
    pub last_submitted_at: Option<i64>,
}

impl From<stats::CountryStatus> for CountryStatusBody {
    fn from(c: stats::CountryStatus) -> Self {
        CountryStatusBody {
            country: c.country,
            status: c.status,
            files: c.files,
            last_submitted_at: c.last_submitted_at,
        }
    }
}

/// The EU totals of a reference year with their coverage.
#[derive(Debug, Serialize, ToSchema)]
pub struct EuTotalsBody {
    /// The reference year.
    pub year: u16,
    /// The member states expected to submit.
    pub expected: Vec<String>,
    /// Expected member states whose submission for the year is counted.
    pub submitted: Vec<String>,
    /// Expected member states without a submission for the year.
    pub missing: Vec<String>,
    /// Member states not bound by the Directive: not expected, never missing.
    pub not_bound: Vec<String>,
    /// Member states not bound by the Directive that submitted anyway.
    pub voluntary: Vec<String>,
    /// Submissions left out, as `[submission, reason]` pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub ignored: Vec<(String, String)>,
    /// Every cell reported by at least one submitting country, in key order: its key, total,
    /// error and who reported, kept confidential, left unknown or blank, or did not submit.
    #[schema(value_type = Vec<Object>)]
    pub cells: Vec<haven_stats::hub::EuCell>,
    /// The coverage in words, for the publication.
    pub statement: String,
}

impl From<haven_stats::hub::EuAggregate> for EuTotalsBody {
    fn from(a: haven_stats::hub::EuAggregate) -> Self {
        EuTotalsBody {
            year: a.year,
            expected: a.expected,
            submitted: a.submitted,
            missing: a.missing,
            not_bound: a.not_bound,
            voluntary: a.voluntary,
            ignored: a.ignored,
            cells: a.cells,
            statement: a.statement,
        }
    }
}
