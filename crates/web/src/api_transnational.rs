//! The transnational referral of a victim in the JSON API (Dir 2011/36 Art 11(4) as amended by
//! Dir 2024/1712; CETS 197 Art 16, 32, 33): the case's caseworker or supervisor sees what a
//! referral of the case would share, prepares a referral and submits it; the country's focal
//! point lists its referrals, returns one to the draft or sends it, accepts or declines one
//! received and reports the updates back (re-sending what did not reach the sender). Each
//! handler calls one use case of `haven_app::exchange_referrals`, where access is decided
//! (`haven_domain::access`) and every read and change audited. A field at fault is named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::exchange_referrals::{DecisionInput, PrepareInput, UpdateInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(case_referrals, prepare_referral))
        .routes(routes!(preparation))
        .routes(routes!(focal_point_referrals))
        .routes(routes!(referral))
        .routes(routes!(submit_referral))
        .routes(routes!(return_referral))
        .routes(routes!(send_referral))
        .routes(routes!(decide_referral))
        .routes(routes!(update_referral))
        .routes(routes!(resend_updates))
}

/// A use case's view as its own JSON. A referral: `{id, referral_id, direction (outgoing |
/// incoming), peer, case_id, organisation_id, purpose, state, draft, shared: [{field, added,
/// value}], body (the referral message as sent or received), message_id, events: [{seq, state,
/// effective_on, by_user, detail, at}], created_at, updated_at}`; a list: `[{id, direction, peer,
/// case_id, purpose, state, updated_at}]`; the focal point's lists: `{outgoing, incoming}`; the
/// preparation: `{case_id, peers, child_status, values: [{field, value}]}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct TransnationalBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<TransnationalBody> {
    serde_json::to_value(v).map(TransnationalBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A referral prepared: purpose (return_and_reintegration, onward_support,
/// identified_here_exploited_there, information_request, victim_at_risk), receiving_peer (a
/// pinned national focal point), urgency (routine, urgent, immediate), added_fields (fields
/// beyond the purpose's minimum), basis ({kind: consent | best_interests | vital_interests, and
/// its fields}), return_risk_assessment (for a return), needs, current_location, contact,
/// information_kind and questions, danger and immediate, notes.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct PrepareBody(pub PrepareInput);

/// A note (why the referral goes back to its caseworker).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    pub note: String,
}

/// The decision on a referral received: decision (accept | decline), organisation_id (on
/// accepting, optional), reason and explanation (on declining).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct DecisionBody(pub DecisionInput);

/// An update reported back: state (organisation_assigned, arrived_safely, support_started,
/// follow_up_due, closed), effective_on, organisation_id, follow_up_on, note.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct UpdateBody(pub UpdateInput);

/// The case's transnational referrals (its caseworker or supervisor). Audited.
#[utoipa::path(get, path = "/cases/{id}/transnational-referrals", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = Vec<TransnationalBody>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn case_referrals(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.transnational_referrals_of_case(&p, &id).await?)?).into_response())
}

/// Prepare a transnational referral of the case as a draft: the answer shows field by field
/// what it would share.
#[utoipa::path(post, path = "/cases/{id}/transnational-referrals", tag = "assistance", params(("id" = String, Path)),
    request_body = PrepareBody,
    responses((status = 201, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn prepare_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<PrepareBody>,
) -> WebResult<Response> {
    let view = state.app.prepare_transnational_referral(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&view)?)).into_response())
}

/// What a referral of the case could share, field by field, and the peers to send it to.
/// Audited.
#[utoipa::path(get, path = "/cases/{id}/transnational-preparation", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn preparation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.transnational_preparation(&p, &id).await?)?).into_response())
}

/// The focal point's referrals: those of its country's caseworkers and those received. Audited.
#[utoipa::path(get, path = "/transnational-referrals", tag = "assistance",
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody)))]
async fn focal_point_referrals(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    let (outgoing, incoming) = state.app.focal_point_referrals(&p).await?;
    Ok(Json(json_of(&serde_json::json!({"outgoing": outgoing, "incoming": incoming}))?).into_response())
}

/// One referral, for its caseworker or the focal point. Audited.
#[utoipa::path(get, path = "/transnational-referrals/{id}", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn referral(State(state): State<AppState>, Auth(p): Auth, ApiPath(id): ApiPath<String>) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.transnational_referral(&p, &id).await?)?).into_response())
}

/// The caseworker submits the draft to the focal point, once the rules hold (the age known or
/// presumed, the basis, a return's risk assessment).
#[utoipa::path(post, path = "/transnational-referrals/{id}/submit", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.submit_transnational_referral(&p, &id).await?)?).into_response())
}

/// The focal point returns a submitted referral to its caseworker, with a note.
#[utoipa::path(post, path = "/transnational-referrals/{id}/return", tag = "assistance", params(("id" = String, Path)),
    request_body = ReturnBody,
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn return_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ReturnBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.return_transnational_referral(&p, &id, &b.note).await?)?).into_response())
}

/// The focal point sends a submitted referral to the receiving country's focal point.
#[utoipa::path(post, path = "/transnational-referrals/{id}/send", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.send_transnational_referral(&p, &id).await?)?).into_response())
}

/// The receiving focal point accepts (assigning a support organisation of its country) or
/// declines a referral received; the acknowledgement and the update go back.
#[utoipa::path(post, path = "/transnational-referrals/{id}/decision", tag = "assistance", params(("id" = String, Path)),
    request_body = DecisionBody,
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.decide_transnational_referral(&p, &id, &b.0).await?)?).into_response())
}

/// The receiving focal point reports an update back (organisation assigned, arrived safely,
/// support started, follow-up due, closed).
#[utoipa::path(post, path = "/transnational-referrals/{id}/updates", tag = "assistance", params(("id" = String, Path)),
    request_body = UpdateBody,
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<UpdateBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.update_transnational_referral(&p, &id, &b.0).await?)?).into_response())
}

/// The receiving focal point re-sends what did not reach the sender: an acknowledgement or an
/// update never queued, an update whose delivery was refused or expired. 409 when nothing waits.
#[utoipa::path(post, path = "/transnational-referrals/{id}/resend", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = TransnationalBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn resend_updates(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.resend_transnational_updates(&p, &id).await?)?).into_response())
}
