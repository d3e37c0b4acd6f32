//! Networks and platforms, and prevention and demand reduction, in the JSON API
//! (docs/monitoring.md), under `/api/v1/monitoring`. Each handler calls one use case of
//! `haven_app::networks` or `haven_app::prevention`, where access is decided
//! (`authorize_monitoring`, `authorize_network_contacts`) and every read and write audited. A
//! field at fault is named in a 422.

use crate::AppState;
use crate::api_strategy::MonitoringBody;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_domain::Coded;
use haven_domain::networks::{ArisingInput, ArisingStatusInput, ContactInput, MeetingInput, NetworkInput};
use haven_domain::prevention::{PreventionInput, PreventionKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_networks, record_network))
        .routes(routes!(get_network))
        .routes(routes!(add_contact))
        .routes(routes!(record_meeting))
        .routes(routes!(get_meeting))
        .routes(routes!(add_action))
        .routes(routes!(set_status))
        .routes(routes!(arising_overdue))
        .routes(routes!(list_prevention, record_prevention))
}

fn json_of(v: &impl Serialize) -> WebResult<MonitoringBody> {
    serde_json::to_value(v).map(MonitoringBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

/// A network: kind (rapporteurs_network, civil_society_platform, business_coalition at the EU
/// level; national_mechanism in a country), name, members (one a line, `LV: organisation`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct NetworkBody(pub NetworkInput);

/// A contact person: name, email, organisation, purpose, retain_until (at most three years
/// ahead).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ContactBody(pub ContactInput);

/// A meeting: held_on, title, place, agenda (one item a line), minutes.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct MeetingBody(pub MeetingInput);

/// An action arising: text, owner, due_on.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ArisingBody(pub ArisingInput);

/// An action arising's status: number, status (open, done, dropped).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ArisingStatusBody(pub ArisingStatusInput);

/// A prevention record: kind (campaign, demand_reduction, funded_project, research), title, by,
/// starts_on, ends_on, summary, link, and the fields of its kind (campaign: target_groups,
/// channels, languages as ISO 639-1 codes, reach, evaluation; demand_reduction: demand_kind,
/// sector; funded_project: funder, amount in whole units, currency, outputs, outcome; research:
/// topic, releases as statistics release ids).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct PreventionBody(pub PreventionPost);

/// The record's kind beside its fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreventionPost {
    pub kind: String,
    #[serde(flatten)]
    pub input: PreventionInput,
}

/// The networks I may read.
#[utoipa::path(get, path = "/monitoring/networks", tag = "monitoring",
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody)))]
async fn list_networks(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.networks(&p).await?)?).into_response())
}

/// Record a network of my jurisdiction.
#[utoipa::path(post, path = "/monitoring/networks", tag = "monitoring", request_body = NetworkBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_network(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<NetworkBody>,
) -> WebResult<Response> {
    let network = state.app.record_network(&p, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&network)?)).into_response())
}

/// A network with its meetings, and its contacts within retention if I may read them.
#[utoipa::path(get, path = "/monitoring/networks/{id}", tag = "monitoring", params(("id" = String, Path)),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_network(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.network(&p, &id).await?)?).into_response())
}

/// Record a contact person of a network (name and e-mail kept encrypted).
#[utoipa::path(post, path = "/monitoring/networks/{id}/contacts", tag = "monitoring", params(("id" = String, Path)),
    request_body = ContactBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add_contact(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ContactBody>,
) -> WebResult<Response> {
    let contact = state.app.add_network_contact(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&contact)?)).into_response())
}

/// Record a meeting of a network.
#[utoipa::path(post, path = "/monitoring/networks/{id}/meetings", tag = "monitoring", params(("id" = String, Path)),
    request_body = MeetingBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn record_meeting(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<MeetingBody>,
) -> WebResult<Response> {
    let meeting = state.app.record_meeting(&p, &id, &b.0).await?;
    Ok((StatusCode::CREATED, Json(json_of(&meeting)?)).into_response())
}

/// A meeting with its agenda, minutes and actions arising.
#[utoipa::path(get, path = "/monitoring/meetings/{id}", tag = "monitoring", params(("id" = String, Path)),
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_meeting(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.meeting(&p, &id).await?)?).into_response())
}

/// Add an action arising to a meeting.
#[utoipa::path(post, path = "/monitoring/meetings/{id}/actions", tag = "monitoring", params(("id" = String, Path)),
    request_body = ArisingBody,
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ArisingBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.add_arising_action(&p, &id, &b.0).await?)?).into_response())
}

/// Set the status of an action arising.
#[utoipa::path(post, path = "/monitoring/meetings/{id}/status", tag = "monitoring", params(("id" = String, Path)),
    request_body = ArisingStatusBody,
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_status(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ArisingStatusBody>,
) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.set_arising_status(&p, &id, &b.0).await?)?).into_response())
}

/// The actions arising from meetings overdue today, of every network I may read.
#[utoipa::path(get, path = "/monitoring/actions-arising-overdue", tag = "monitoring",
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody)))]
async fn arising_overdue(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.arising_overdue(&p).await?)?).into_response())
}

/// The prevention records I may read.
#[utoipa::path(get, path = "/monitoring/prevention", tag = "monitoring",
    responses((status = 200, body = MonitoringBody), (status = 403, body = ErrorBody)))]
async fn list_prevention(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(json_of(&state.app.prevention(&p).await?)?).into_response())
}

/// Record a prevention record of my jurisdiction.
#[utoipa::path(post, path = "/monitoring/prevention", tag = "monitoring", request_body = PreventionBody,
    responses((status = 201, body = MonitoringBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_prevention(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<PreventionBody>,
) -> WebResult<Response> {
    // Who may not record is refused before the body is checked (403, audited).
    state.app.require(&p, haven_domain::Permission::RecordMonitoring).await?;
    let kind = PreventionKind::parse_code("kind", b.0.kind.trim()).map_err(haven_app::AppError::Invalid)?;
    let record = state.app.record_prevention(&p, kind, &b.0.input).await?;
    Ok((StatusCode::CREATED, Json(json_of(&record)?)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prevention_body_carries_its_kind_beside_the_record() {
        let b: PreventionBody =
            serde_json::from_value(serde_json::json!({"kind": "research", "title": "T", "topic": "gender"})).unwrap();
        assert_eq!(
            (b.0.kind.as_str(), b.0.input.title.as_str(), b.0.input.topic.as_str()),
            ("research", "T", "gender")
        );
        assert!(PreventionKind::parse_code("kind", "campaign").is_ok());
    }
}
