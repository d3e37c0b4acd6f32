//! The person register's jobs in the JSON API, for the data officer: full re-links of the
//! persons (`/persons/relink-jobs`), started, followed and listed. Counts and ids only, never a
//! value of a person.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::ident::RelinkJob;
use haven_app::person_review::RelinkJobs;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_relink_jobs, start_relink_job)).routes(routes!(get_relink_job))
}

/// A full re-link of the persons (a background job): its progress and outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelinkJobBody {
    pub id: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// Referred registrations read so far, of `total`.
    pub done: i64,
    pub total: i64,
    /// Unix seconds.
    pub started_at: i64,
    pub ended_at: Option<i64>,
    /// The user who started it, or none (the platform, after a change of the person model).
    pub started_by: Option<String>,
    /// How it ended, in English, without personal data: `persons=… registrations=…`, or why it
    /// failed (`interrupted: …` when the process running it stopped).
    pub detail: Option<String>,
    /// Whether it was made with the person model in use now.
    pub current_model: bool,
}

impl From<RelinkJob> for RelinkJobBody {
    fn from(j: RelinkJob) -> Self {
        RelinkJobBody {
            id: j.id,
            state: j.state,
            done: j.done,
            total: j.total,
            started_at: j.started_at,
            ended_at: j.ended_at,
            started_by: j.started_by,
            detail: j.detail,
            current_model: j.current_model,
        }
    }
}

/// The latest re-link jobs, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelinkJobsBody {
    pub jobs: Vec<RelinkJobBody>,
    /// Whether a re-link runs now (another cannot start until it ends).
    pub running: bool,
}

impl From<RelinkJobs> for RelinkJobsBody {
    fn from(j: RelinkJobs) -> Self {
        RelinkJobsBody { jobs: j.jobs.into_iter().map(Into::into).collect(), running: j.running }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RelinkJobsQuery {
    /// How many jobs, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Starting a re-link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRelinkBody {
    /// `true`: the data officer knows that persons are counted as linked before until the
    /// re-link ends. Anything else: 422 naming `confirm`.
    #[serde(default)]
    pub confirm: bool,
}

/// The latest full re-links of the persons, newest first (`limit`, 1 to 100, default 20), and
/// whether one runs now. For the data officer.
#[utoipa::path(get, path = "/persons/relink-jobs", tag = "identification", params(RelinkJobsQuery),
    responses((status = 200, body = RelinkJobsBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_relink_jobs(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<RelinkJobsQuery>,
) -> WebResult<Response> {
    let jobs = state.app.relink_jobs_for(&p, q.limit.unwrap_or(20)).await?;
    Ok(Json(RelinkJobsBody::from(jobs)).into_response())
}

/// Start a full re-link of the persons in the background: `{"confirm": true}`. Gives the job
/// (201); follow it at `/persons/relink-jobs/{id}`. Without the confirmation: 422 naming
/// `confirm`; while one runs: 409. Audited. For the data officer.
#[utoipa::path(post, path = "/persons/relink-jobs", tag = "identification", request_body = StartRelinkBody,
    responses((status = 201, body = RelinkJobBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start_relink_job(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<StartRelinkBody>,
) -> WebResult<Response> {
    let job = state.app.start_relink_for(&p, body.confirm).await?;
    Ok((StatusCode::CREATED, Json(RelinkJobBody::from(job))).into_response())
}

/// One re-link job: its progress (`done` of `total`) and outcome. For the data officer.
#[utoipa::path(get, path = "/persons/relink-jobs/{id}", tag = "identification", params(("id" = String, Path)),
    responses((status = 200, body = RelinkJobBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_relink_job(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(RelinkJobBody::from(state.app.relink_job_for(&p, &id).await?)).into_response())
}
