//! Suspects as persons in the JSON API: the suspects of the user's other investigations the
//! person-linkage engine finds likely to be the same person, and the registered victims a
//! suspect may be, each with the engine's explanation; an officer's answer that two suspects are
//! the same person or are not. Each handler calls one use case of
//! `haven_app::proceedings_persons`, where access is decided and every read and write audited
//! (docs/proceedings.md, "Suspects as persons"). A field at fault is named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::response::{IntoResponse, Json, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(possible_matches))
        .routes(routes!(same_person))
        .routes(routes!(not_same_person))
        .routes(routes!(confirm_possible_victim))
}

/// The use case's view as its own JSON: the suspect, the model, the candidates (suspect,
/// investigation, probability, weight, explanation per field, the answer given) and the possible
/// registered victims (case id, standing, probability, explanation).
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct MatchesBody(pub serde_json::Value);

fn ok(v: &impl Serialize) -> WebResult<Response> {
    let json = serde_json::to_value(v).map_err(|e| haven_app::AppError::Internal(Box::new(e)))?;
    Ok(Json(MatchesBody(json)).into_response())
}

/// The other suspect of a pair (a suspect of another investigation the user works).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PairBody {
    pub other_suspect_id: String,
}

/// The case of a suggested possible victim, to link the suspect to.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PossibleVictimBody {
    pub case_id: String,
}

/// The suspects of the user's other investigations likely to be the same person, and the
/// registered victims the suspect may be (case id and standing only), with the engine's
/// explanation. An audited read.
#[utoipa::path(get, path = "/investigations/{id}/suspects/{suspect}/possible-matches", tag = "proceedings",
    params(("id" = String, Path), ("suspect" = String, Path)),
    responses((status = 200, body = MatchesBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn possible_matches(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, suspect)): ApiPath<(String, String)>,
) -> WebResult<Response> {
    ok(&state.app.suspect_matches(&p, &id, &suspect).await?)
}

/// Answer that the suspect and `other_suspect_id` are the same person: one person in the
/// trafficker statistics.
#[utoipa::path(post, path = "/investigations/{id}/suspects/{suspect}/same-person", tag = "proceedings",
    params(("id" = String, Path), ("suspect" = String, Path)), request_body = PairBody,
    responses((status = 200, body = MatchesBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn same_person(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, suspect)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<PairBody>,
) -> WebResult<Response> {
    ok(&state.app.answer_same_person(&p, &id, &suspect, &b.other_suspect_id, true).await?)
}

/// Answer that the suspect and `other_suspect_id` are not the same person: the engine never
/// joins them.
#[utoipa::path(post, path = "/investigations/{id}/suspects/{suspect}/not-same-person", tag = "proceedings",
    params(("id" = String, Path), ("suspect" = String, Path)), request_body = PairBody,
    responses((status = 200, body = MatchesBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn not_same_person(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, suspect)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<PairBody>,
) -> WebResult<Response> {
    ok(&state.app.answer_same_person(&p, &id, &suspect, &b.other_suspect_id, false).await?)
}

/// Confirm a suggested possible victim: the suspect is linked to the case, and a registered,
/// presumed or identified victim raises the non-punishment notice (Dir 2011/36 Art 8; CETS 197
/// Art 26). Returns the investigation.
#[utoipa::path(post, path = "/investigations/{id}/suspects/{suspect}/possible-victim", tag = "proceedings",
    params(("id" = String, Path), ("suspect" = String, Path)), request_body = PossibleVictimBody,
    responses((status = 200, body = MatchesBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn confirm_possible_victim(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, suspect)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<PossibleVictimBody>,
) -> WebResult<Response> {
    ok(&state.app.confirm_possible_victim(&p, &id, &suspect, &b.case_id).await?)
}
