//! Separation of duties in the JSON API: grants of data roles waiting for a second
//! administrator, and choosing a password with a one-time set-up code.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth, ClientAddress};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Json;
use haven_app::admin::RoleGrant;
use haven_domain::Coded;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup))
        .routes(routes!(list_grants))
        .routes(routes!(approve_grant))
        .routes(routes!(reject_grant))
}

/// A grant of roles waiting for (or decided by) a second administrator.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleGrantBody {
    pub id: String,
    pub user_id: String,
    /// The whole set of roles the user holds once approved.
    pub roles: Vec<String>,
    pub requested_by: String,
    pub requested_at: i64,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
}

pub(crate) fn grant_body(g: &RoleGrant) -> RoleGrantBody {
    RoleGrantBody {
        id: g.id.clone(),
        user_id: g.user_id.clone(),
        roles: g.roles.iter().map(|r| r.code().to_owned()).collect(),
        requested_by: g.requested_by.clone(),
        requested_at: g.requested_at,
        state: g.state.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingGrantBody {
    pub grant: RoleGrantBody,
    pub username: String,
    pub organisation_name: String,
    /// The roles the user holds until the grant is approved.
    pub current_roles: Vec<String>,
    /// The username of the administrator who asked for it.
    pub requested_by_username: String,
}

/// Grants of data roles waiting for a second administrator, for users of my jurisdiction.
#[utoipa::path(get, path = "/role-grants", tag = "administration",
    responses((status = 200, body = Vec<PendingGrantBody>), (status = 403, body = ErrorBody)))]
async fn list_grants(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Json<Vec<PendingGrantBody>>> {
    let grants = state.app.pending_grants(&p).await?;
    Ok(Json(
        grants
            .into_iter()
            .map(|g| PendingGrantBody {
                grant: grant_body(&g.grant),
                username: g.username,
                organisation_name: g.organisation_name,
                current_roles: g.current_roles.iter().map(|r| r.code().to_owned()).collect(),
                requested_by_username: g.requested_by,
            })
            .collect(),
    ))
}

/// Approve a waiting grant: the roles apply at once. Not by who asked for it, nor by who
/// receives it (403); a grant of another country is not found.
#[utoipa::path(post, path = "/role-grants/{id}/approve", tag = "administration", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn approve_grant(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<StatusCode> {
    state.app.decide_grant(&p, &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reject a waiting grant: the user keeps the roles it holds.
#[utoipa::path(post, path = "/role-grants/{id}/reject", tag = "administration", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reject_grant(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<StatusCode> {
    state.app.decide_grant(&p, &id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupBody {
    pub username: String,
    /// The one-time set-up code the administrator handed over.
    pub code: String,
    pub new_password: String,
    /// A current code of the authenticator app, when the account has a second factor.
    #[serde(default)]
    pub totp: Option<String>,
}

/// Choose a password with a one-time set-up code (no login needed). The code dies on use or
/// expiry; a wrong or dead code is 422 naming `code`.
#[utoipa::path(post, path = "/auth/setup", tag = "auth", request_body = SetupBody,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn setup(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<SetupBody>,
) -> WebResult<StatusCode> {
    state
        .app
        .complete_setup(&body.username, &body.code, &body.new_password, body.totp.as_deref(), address.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
