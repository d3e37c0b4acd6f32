//! Training records in the JSON API (Dir 2011/36 Art 18(3), Art 9(3)): the trainings given in
//! the user's country against trafficking, with their summary per year and audience (sessions,
//! hours, attendees, attendee-hours) for the national rapporteur's reports, and recording one.
//! Each handler calls one use case of `haven_app::proceedings_victims`, where access is decided
//! (`authorize_trainings`: one's own country; the EU level keeps no training records and is
//! answered 409 naming the jurisdiction) and every read and write audited. A field at fault is
//! named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_domain::proceedings::training::TrainingInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_trainings, record_training))
}

/// A use case's view as its own JSON: `{trainings, summary}` for the list (the summary's rows:
/// year, audience, trainings, hours, attendees, attendee_hours), the training for a record.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct TrainingsBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<TrainingsBody> {
    serde_json::to_value(v).map(TrainingsBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A training: title, organiser, starts_on, ends_on (empty: one day), hours, and attendance
/// (`[{audience, attendees}]`, each audience once: police, prosecutors, judges,
/// labour_inspectors, border_guards, others).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct TrainingBody(pub TrainingInput);

/// The trainings of my country with their summary per year and audience. Audited.
#[utoipa::path(get, path = "/trainings", tag = "proceedings",
    responses((status = 200, body = TrainingsBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn list_trainings(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.trainings(&p).await?)?).into_response())
}

/// Record a training given in my country.
#[utoipa::path(post, path = "/trainings", tag = "proceedings", request_body = TrainingBody,
    responses((status = 201, body = TrainingsBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn record_training(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<TrainingBody>,
) -> WebResult<Response> {
    let training = state.app.record_training(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&training)?)).into_response())
}
