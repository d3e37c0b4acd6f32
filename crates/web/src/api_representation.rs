//! A victim's lawyer in the JSON API (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): the case's
//! caseworker or supervisor records, lists and revokes the victim's representation by a lawyer
//! (with the victim's consent noted); the lawyer lists the victims it represents and reads, per
//! victim, the victim's view of each investigation the victim is linked to (never a suspect,
//! another victim, the money or a support record). Each handler calls one use case of
//! `haven_app::representation`, where access is decided (`haven_domain::access`) and every read
//! and write audited. A field at fault is named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_domain::proceedings::representation::{RepresentationInput, RevocationInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(case_representations, record_representation))
        .routes(routes!(revoke_representation))
        .routes(routes!(represented_victims))
        .routes(routes!(represented_victim))
}

/// A use case's view as its own JSON: for a case, `{case_id, representations, lawyers,
/// sources}` (each representation: id, lawyer_user_id, lawyer_name, lawyer_organisation,
/// from_on, consent_on, consent_note, revoked_on, revocation_reason, in_force); for the lawyer,
/// the represented victims `[{case_id, case_reference, from_on, investigations}]`, or one victim
/// `{case_id, case_reference, from_on, investigations: [{reference, status, status_since,
/// closure, opened_on, offences, acts_from, acts_until, linked_on, stages, protection,
/// missing_measures, information, information_due}], sources}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct RepresentationBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<RepresentationBody> {
    serde_json::to_value(v).map(RepresentationBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A representation: lawyer_user_id (a user of the case's country holding the role
/// victim_lawyer), from_on and consent_on (YYYY-MM-DD, the consent first, neither in the
/// future), consent_given (true: the victim consented), consent_note (optional).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct RepresentationInputBody(pub RepresentationInput);

/// A revocation: reason (optional).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct RevocationBody(pub RevocationInput);

/// The victim's representations, in force or not, and the lawyers who may be chosen: for the
/// case's caseworker or supervisor. Audited.
#[utoipa::path(get, path = "/cases/{id}/representations", tag = "proceedings", params(("id" = String, Path)),
    responses((status = 200, body = RepresentationBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn case_representations(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.case_representations(&p, &id).await?)?).into_response())
}

/// Record that the victim is represented by a lawyer, with the victim's consent
/// (Dir 2011/36 Art 12(2)). 409 when the lawyer already represents the victim.
#[utoipa::path(post, path = "/cases/{id}/representations", tag = "proceedings", params(("id" = String, Path)),
    request_body = RepresentationInputBody,
    responses((status = 201, body = RepresentationBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_representation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<RepresentationInputBody>,
) -> WebResult<Response> {
    let representation = state.app.record_representation(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&representation)?)).into_response())
}

/// Revoke a representation in force, from today.
#[utoipa::path(post, path = "/cases/{id}/representations/{representation}/revoke", tag = "proceedings",
    params(("id" = String, Path), ("representation" = String, Path)), request_body = RevocationBody,
    responses((status = 200, body = RepresentationBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn revoke_representation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, representation)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<RevocationBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.revoke_representation(&p, &id, &representation, &b.0).await?)?).into_response())
}

/// The victims I represent today (the victim's lawyer). Audited.
#[utoipa::path(get, path = "/representations", tag = "proceedings",
    responses((status = 200, body = RepresentationBody), (status = 403, body = ErrorBody)))]
async fn represented_victims(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.represented_victims(&p).await?)?).into_response())
}

/// The victim's view of each investigation a victim I represent is linked to. Audited.
#[utoipa::path(get, path = "/representations/{id}", tag = "proceedings", params(("id" = String, Path)),
    responses((status = 200, body = RepresentationBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn represented_victim(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.represented_victim(&p, &id).await?)?).into_response())
}
