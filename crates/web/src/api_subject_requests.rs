//! Data subjects' requests in the JSON API (docs/data-protection.md, "Subject access",
//! "Rectification and restriction"): the data protection officer's requests under
//! `/api/v1/subject-requests`, the subject-access export as JSON, and a case's rectification
//! history and rectification under `/api/v1/cases/{id}/rectifications`. Each handler calls one
//! use case of `haven_app::subject_requests`, where access is decided and every read and write
//! audited. A field at fault is named in a 422; a write on a restricted case is a 409.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::subject_requests::{NewSubjectRequest, RectificationInput, RequestErasureInput, RequestStepInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, record_request))
        .routes(routes!(get_request, request_step))
        .routes(routes!(export_request))
        .routes(routes!(erasure_candidates, erase))
        .routes(routes!(rectifications, rectify))
}

/// A use case's view as its own JSON.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct SubjectRequestsBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<SubjectRequestsBody> {
    serde_json::to_value(v).map(SubjectRequestsBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A request received: kind (access, rectification, restriction, erasure), case (the reference
/// or id of a registration of the person), received_on (YYYY-MM-DD), note.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct NewRequestBody(pub NewSubjectRequest);

/// A step: step (verify, extend, answer, refuse, approve_erasure, restrict, lift), version, and
/// as the step needs: method (document_in_person, known_to_caseworker, representative,
/// document_copy), on (YYYY-MM-DD, today when empty), reason.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct StepBody(pub RequestStepInput);

/// An erasure: version (of the request), case_ids (the registrations chosen among the
/// request's candidates), confirm (true: the officer confirms that it cannot be undone).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ErasureBody(pub RequestErasureInput);

/// A rectification: version (of the registration), field (given_names, family_names,
/// date_of_birth, sex, citizenship), value, reason, request_id (optional).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct RectifyBody(pub RectificationInput);

/// The requests of my jurisdiction, with due dates and lateness.
#[utoipa::path(get, path = "/subject-requests", tag = "data-protection",
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody)))]
async fn list_requests(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.subject_requests(&p).await?)?).into_response())
}

/// Record a request received (Reg 2016/679 Art 12(3): due one month later).
#[utoipa::path(post, path = "/subject-requests", tag = "data-protection", request_body = NewRequestBody,
    responses((status = 201, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_request(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<NewRequestBody>,
) -> WebResult<Response> {
    let request = state.app.record_subject_request(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&request)?)).into_response())
}

/// A request.
#[utoipa::path(get, path = "/subject-requests/{id}", tag = "data-protection", params(("id" = String, Path)),
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_request(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.subject_request(&p, &id).await?)?).into_response())
}

/// A step on a request: the identity check, an extension, the answer, a refusal, an erasure's
/// approval, restricting the case or lifting the restriction.
#[utoipa::path(post, path = "/subject-requests/{id}", tag = "data-protection", params(("id" = String, Path)),
    request_body = StepBody,
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_step(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<StepBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.subject_request_step(&p, &id, &b.0).await?)?).into_response())
}

/// The subject-access export of an access request (Reg 2016/679 Art 15), machine-readable.
#[utoipa::path(get, path = "/subject-requests/{id}/export", tag = "data-protection", params(("id" = String, Path)),
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export_request(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.subject_access_export(&p, &id).await?)?).into_response())
}

/// The registrations an erasure request awaiting its erasure may concern (Reg 2016/679 Art 17):
/// its case and those the person register links to it, each with its reference, when it was
/// erased (if it was) and whether a legal hold stands on it. 403 for another jurisdiction's
/// request; a request of another kind, or not approved yet, is a 422 naming the step.
#[utoipa::path(get, path = "/subject-requests/{id}/erasure", tag = "data-protection", params(("id" = String, Path)),
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn erasure_candidates(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.request_erasure(&p, &id).await?)?).into_response())
}

/// Carry out an erasure request (Reg 2016/679 Art 17): erase the chosen registrations by
/// crypto-shredding and record them on the request, which is then answered. 403 for a
/// registration or request of another jurisdiction; 409 for a stale version or a legal hold
/// (naming the case); 422 naming the step (another kind, not approved yet), `case_ids` (none, or
/// one the request does not concern) or `confirm`.
#[utoipa::path(post, path = "/subject-requests/{id}/erasure", tag = "data-protection", params(("id" = String, Path)),
    request_body = ErasureBody,
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn erase(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ErasureBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.erase_for_request(&p, &id, &b.0).await?)?).into_response())
}

/// A case's rectification history: the earlier values, marked rectified, with who and why.
#[utoipa::path(get, path = "/cases/{id}/rectifications", tag = "data-protection", params(("id" = String, Path)),
    responses((status = 200, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rectifications(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.rectification_history(&p, &id).await?)?).into_response())
}

/// Rectify a field of a case's registration (Reg 2016/679 Art 16); the old value kept in the history.
#[utoipa::path(post, path = "/cases/{id}/rectifications", tag = "data-protection", params(("id" = String, Path)),
    request_body = RectifyBody,
    responses((status = 201, body = SubjectRequestsBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rectify(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<RectifyBody>,
) -> WebResult<Response> {
    let done = state.app.rectify_field(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&done)?)).into_response())
}
