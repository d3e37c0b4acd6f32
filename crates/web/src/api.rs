//! The JSON API under `/api/v1`. Every handler is listed in [`router`] through `routes!`,
//! which also puts it into the OpenAPI document: a route cannot be served without being
//! described.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ClientAddress, SESSION_COOKIE};
use crate::security::csrf_token;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use haven_app::admin::{Acting, NewUser};
use haven_app::{LoginRequest, Principal};
use haven_domain::case::{NoteInput, PersonIdentity};
use haven_domain::{Coded, Language};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Haven API",
        description = "The national referral mechanism and its partners: organisations, users, cases, audit."
    ),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

pub fn openapi_base() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(list_users, create_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(reset_password))
        .routes(routes!(set_roles))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_cases, register_case))
        .routes(routes!(get_case))
        .routes(routes!(list_notes, add_note))
        .routes(routes!(share_case))
        .routes(routes!(access_history))
        .routes(routes!(verify_audit))
        .routes(routes!(audit_entries))
        .routes(routes!(statistics_by_sex))
}

// ------------------------------------------------------------------ auth

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
    /// The current code of the authenticator app, when the account has TOTP.
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeBody {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_kind: String,
    pub jurisdiction: String,
    /// Roles held.
    pub roles: Vec<String>,
    /// Roles in force (an administrator without TOTP acts without the administrator role).
    pub effective_roles: Vec<String>,
    pub totp_enrolled: bool,
    pub language: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub me: MeBody,
    /// Send as `X-CSRF-Token` with every state-changing request made with the session cookie.
    pub csrf_token: String,
}

pub(crate) fn me_body(p: &Principal) -> MeBody {
    MeBody {
        user_id: p.user.id.clone(),
        username: p.user.username.clone(),
        display_name: p.user.display_name.clone(),
        organisation_id: p.organisation.id.clone(),
        organisation_name: p.organisation.name.clone(),
        organisation_kind: p.organisation.kind.code().to_owned(),
        jurisdiction: p.organisation.jurisdiction.code().to_owned(),
        roles: p.user.roles.iter().map(|r| r.code().to_owned()).collect(),
        effective_roles: p.actor.roles.iter().map(|r| r.code().to_owned()).collect(),
        totp_enrolled: p.totp_enrolled(),
        language: p.user.language.code().to_owned(),
    }
}

/// The `Set-Cookie` value of a session.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.tls { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        state.app.settings().session_absolute_seconds
    )
}

/// The known-device cookie (see [`crate::extract::DEVICE_COOKIE`]): long-lived, never sent to
/// another site, unreadable by scripts.
pub fn device_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.config.tls { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        crate::extract::DEVICE_COOKIE,
        haven_app::auth::KNOWN_DEVICE_SECONDS
    )
}

pub fn clear_session_cookie(state: &AppState) -> String {
    let secure = if state.config.tls { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// Log in: sets the session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> WebResult<Response> {
    let session = state
        .app
        .login(LoginRequest {
            username: &body.username,
            password: &body.password,
            totp: body.totp.as_deref(),
            address: address.as_deref(),
            device: crate::extract::cookie(&headers, crate::extract::DEVICE_COOKIE),
        })
        .await?;
    let csrf = csrf_token(&state, &session.token);
    let mut response = Json(LoginResponse { me: me_body(&session.principal), csrf_token: csrf }).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&state, &session.token)) {
        response.headers_mut().insert(SET_COOKIE, v);
    }
    if let Some(device) = &session.device
        && let Ok(v) = HeaderValue::from_str(&device_cookie(&state, device))
    {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}

/// Log out: revokes the session.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    state.app.logout(&p).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&clear_session_cookie(&state)) {
        response.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(response)
}

/// Who am I.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = MeBody), (status = 401, body = ErrorBody)))]
async fn me(Auth(p): Auth) -> Json<MeBody> {
    Json(me_body(&p))
}

// ------------------------------------------------------------------ organisations and users

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationBody {
    pub id: String,
    pub name: String,
    /// police, border_guard, labour_inspectorate, prosecution, court, ngo, shelter, social_services,
    /// health_service, child_protection_service, guardian_service, embassy_or_consulate,
    /// competent_authority, national_rapporteur, eu_anti_trafficking_coordinator, statistics_office
    pub kind: String,
    /// ISO 3166-1 alpha-2, or EU.
    pub jurisdiction: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisationBody {
    pub name: String,
    pub kind: String,
    pub jurisdiction: String,
}

fn org_body(o: &haven_domain::org::Organisation) -> OrganisationBody {
    OrganisationBody {
        id: o.id.clone(),
        name: o.name.clone(),
        kind: o.kind.code().to_owned(),
        jurisdiction: o.jurisdiction.code().to_owned(),
    }
}

/// Organisations.
#[utoipa::path(get, path = "/organisations", tag = "administration",
    responses((status = 200, body = Vec<OrganisationBody>), (status = 403, body = ErrorBody)))]
async fn list_organisations(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Json<Vec<OrganisationBody>>> {
    let orgs = state.app.organisations(Acting::User(&p)).await?;
    Ok(Json(orgs.iter().map(org_body).collect()))
}

/// Create an organisation (administrators).
#[utoipa::path(post, path = "/organisations", tag = "administration", request_body = NewOrganisationBody,
    responses((status = 201, body = OrganisationBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_organisation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewOrganisationBody>,
) -> WebResult<(StatusCode, Json<OrganisationBody>)> {
    let org = state.app.create_organisation(Acting::User(&p), &body.name, &body.kind, &body.jurisdiction).await?;
    Ok((StatusCode::CREATED, Json(org_body(&org))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserBody {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub totp_enrolled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub roles: Vec<String>,
    /// Refused (422 naming `password`): an administrator does not choose passwords; the user
    /// chooses one with the set-up code.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUserBody {
    pub user: UserBody,
    /// A one-time code, shown this once, with which the user chooses a password at `/setup`
    /// (or `POST /auth/setup`) before it expires.
    pub setup_code: String,
    /// When the code stops working (unix seconds).
    pub setup_code_expires_at: i64,
    /// The data roles asked for wait for a second administrator's approval: the grant.
    pub pending_grant: Option<crate::api_separation::RoleGrantBody>,
}

fn user_body(u: &haven_domain::user::User) -> UserBody {
    UserBody {
        id: u.id.clone(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        organisation_id: u.organisation_id.clone(),
        roles: u.roles.iter().map(|r| r.code().to_owned()).collect(),
        disabled: u.disabled,
        totp_enrolled: u.totp_enrolled,
    }
}

/// Users (administrators).
#[utoipa::path(get, path = "/users", tag = "administration",
    responses((status = 200, body = Vec<UserBody>), (status = 403, body = ErrorBody)))]
async fn list_users(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Json<Vec<UserBody>>> {
    let users = state.app.users(Acting::User(&p)).await?;
    Ok(Json(users.iter().map(user_body).collect()))
}

/// Create a user (administrators).
#[utoipa::path(post, path = "/users", tag = "administration", request_body = NewUserBody,
    responses((status = 201, body = CreatedUserBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewUserBody>,
) -> WebResult<(StatusCode, Json<CreatedUserBody>)> {
    let new = NewUser {
        username: body.username,
        display_name: body.display_name,
        organisation_id: body.organisation_id,
        roles: body.roles,
        password: body.password,
        language: body.language,
    };
    let created = state.app.admin_create_user(&p, &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUserBody {
            user: user_body(&created.user),
            setup_code: created.setup.code,
            setup_code_expires_at: created.setup.expires_at,
            pending_grant: created.pending_grant.as_ref().map(crate::api_separation::grant_body),
        }),
    ))
}

/// Disable a user: revokes its sessions and tokens.
#[utoipa::path(post, path = "/users/{username}/disable", tag = "administration",
    params(("username" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn disable_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(username): ApiPath<String>,
) -> WebResult<StatusCode> {
    state.app.set_user_disabled(Acting::User(&p), &username, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enable a user.
#[utoipa::path(post, path = "/users/{username}/enable", tag = "administration",
    params(("username" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn enable_user(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(username): ApiPath<String>,
) -> WebResult<StatusCode> {
    state.app.set_user_disabled(Acting::User(&p), &username, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SetupCodeBody {
    /// A one-time code, shown this once, with which the user chooses a new password.
    pub setup_code: String,
    /// When the code stops working (unix seconds).
    pub expires_at: i64,
}

/// Reset the password of a user of my jurisdiction: the old one stops working, its sessions
/// end, and a one-time set-up code comes back (never a password).
#[utoipa::path(post, path = "/users/{username}/reset-password", tag = "administration",
    params(("username" = String, Path)), responses((status = 200, body = SetupCodeBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(username): ApiPath<String>,
) -> WebResult<Json<SetupCodeBody>> {
    let setup = state.app.admin_reset_password(&p, &username).await?;
    Ok(Json(SetupCodeBody { setup_code: setup.code, expires_at: setup.expires_at }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    pub roles: Vec<String>,
}

/// Replace the roles of another user of my jurisdiction (never my own): 204 when applied; a
/// change that grants a data role waits for a second administrator (202 with the grant).
#[utoipa::path(put, path = "/users/{username}/roles", tag = "administration", request_body = RolesBody,
    params(("username" = String, Path)), responses((status = 204), (status = 202, body = crate::api_separation::RoleGrantBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_roles(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(username): ApiPath<String>,
    ApiJson(body): ApiJson<RolesBody>,
) -> WebResult<Response> {
    match state.app.set_user_roles(Acting::User(&p), &username, &body.roles.join(",")).await? {
        None => Ok(StatusCode::NO_CONTENT.into_response()),
        Some(grant) => Ok((StatusCode::ACCEPTED, Json(crate::api_separation::grant_body(&grant))).into_response()),
    }
}

// ------------------------------------------------------------------ API tokens

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTokenBody {
    pub id: String,
    /// Send as `Authorization: Bearer <token>`. Shown this once.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenBody {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// When the token stops working (unix seconds); after that it gets 401.
    pub expires_at: i64,
    pub revoked: bool,
}

/// My API tokens.
#[utoipa::path(get, path = "/tokens", tag = "auth", responses((status = 200, body = Vec<TokenBody>), (status = 401, body = ErrorBody)))]
async fn list_tokens(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Json<Vec<TokenBody>>> {
    let rows = state.app.api_tokens(&p).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| TokenBody {
                expires_at: state.app.api_token_expiry(&r),
                id: r.id,
                name: r.name,
                created_at: r.created_at,
                last_used_at: r.last_used_at,
                revoked: r.revoked,
            })
            .collect(),
    ))
}

/// Create an API token for my account (for machine clients).
#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = NewTokenBody,
    responses((status = 201, body = CreatedTokenBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> WebResult<(StatusCode, Json<CreatedTokenBody>)> {
    let (id, token) = state.app.create_api_token(&p, &body.name).await?;
    Ok((StatusCode::CREATED, Json(CreatedTokenBody { id, token })))
}

/// Revoke one of my API tokens.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "auth", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<StatusCode> {
    state.app.revoke_api_token(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ cases

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    pub given_names: String,
    pub family_names: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// female, male, other, unknown
    pub sex: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCaseBody {
    pub person: PersonBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareBody {
    pub organisation_id: String,
    pub compartments: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummaryBody {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    pub jurisdiction: String,
    pub created_at: i64,
    pub shared_with: Vec<ShareBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub given_names: String,
    pub family_names: String,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<String>,
    pub sex: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseBody {
    pub case: CaseSummaryBody,
    pub person: PersonView,
}

fn summary_body(s: &haven_app::cases::CaseSummary) -> CaseSummaryBody {
    CaseSummaryBody {
        id: s.id.clone(),
        reference: s.reference.clone(),
        owner_organisation_id: s.owner_organisation_id.clone(),
        jurisdiction: s.jurisdiction.clone(),
        created_at: s.created_at,
        shared_with: s
            .shared_with
            .iter()
            .map(|sh| ShareBody {
                organisation_id: sh.organisation_id.clone(),
                compartments: sh.compartments.iter().map(|c| c.code().to_owned()).collect(),
            })
            .collect(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// Cases my organisation owns or was given (no personal data in the list).
#[utoipa::path(get, path = "/cases", tag = "cases", params(Page),
    responses((status = 200, body = Vec<CaseSummaryBody>), (status = 403, body = ErrorBody)))]
async fn list_cases(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(page): ApiQuery<Page>,
) -> WebResult<Json<Vec<CaseSummaryBody>>> {
    let list = state.app.list_cases(&p, page.limit.unwrap_or(50), page.offset.unwrap_or(0)).await?;
    Ok(Json(list.iter().map(summary_body).collect()))
}

/// Register a presumed victim.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = NewCaseBody,
    responses((status = 201, body = CaseSummaryBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_case(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewCaseBody>,
) -> WebResult<(StatusCode, Json<CaseSummaryBody>)> {
    let b = &body.person;
    let identity =
        PersonIdentity::parse(&b.given_names, &b.family_names, &b.aliases, b.date_of_birth.as_deref(), &b.sex)
            .map_err(|e| {
                let field = format!("person.{}", e.field);
                e.within(field)
            })?;
    let summary = state.app.register_case(&p, &identity).await?;
    Ok((StatusCode::CREATED, Json(summary_body(&summary))))
}

/// A case with its person's identity (audited).
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = CaseBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_case(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Json<CaseBody>> {
    let view = state.app.case_view(&p, &id).await?;
    Ok(Json(CaseBody {
        case: summary_body(&view.summary),
        person: PersonView {
            given_names: view.person.given_names,
            family_names: view.person.family_names,
            aliases: view.person.aliases,
            date_of_birth: view.person.date_of_birth.map(|d| d.to_string()),
            sex: view.person.sex.code().to_owned(),
        },
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotesQuery {
    /// identity, support or proceedings
    pub compartment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteBody {
    pub id: String,
    pub compartment: String,
    pub body: String,
    pub author_id: String,
    pub author_organisation_id: String,
    pub created_at: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNoteBody {
    /// identity, support (assessment, care, counselling) or proceedings (law enforcement)
    pub compartment: String,
    pub body: String,
}

fn note_body(n: haven_app::cases::Note) -> NoteBody {
    NoteBody {
        id: n.id,
        compartment: n.compartment.code().to_owned(),
        body: n.body,
        author_id: n.author_id,
        author_organisation_id: n.author_organisation_id,
        created_at: n.created_at,
    }
}

/// Notes of one compartment of a case (audited).
#[utoipa::path(get, path = "/cases/{id}/notes", tag = "cases", params(("id" = String, Path), NotesQuery),
    responses((status = 200, body = Vec<NoteBody>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_notes(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<NotesQuery>,
) -> WebResult<Json<Vec<NoteBody>>> {
    let notes = state.app.notes(&p, &id, &q.compartment).await?;
    Ok(Json(notes.into_iter().map(note_body).collect()))
}

/// Add a note to one compartment of a case.
#[utoipa::path(post, path = "/cases/{id}/notes", tag = "cases", params(("id" = String, Path)), request_body = NewNoteBody,
    responses((status = 201, body = NoteBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_note(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewNoteBody>,
) -> WebResult<(StatusCode, Json<NoteBody>)> {
    let note = NoteInput::parse(&body.compartment, &body.body)?;
    let note = state.app.add_note(&p, &id, &note).await?;
    Ok((StatusCode::CREATED, Json(note_body(note))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShareBody {
    pub organisation_id: String,
    /// identity, support, proceedings
    pub compartments: Vec<String>,
}

/// Share compartments of a case with another organisation of the same country.
#[utoipa::path(post, path = "/cases/{id}/shares", tag = "cases", params(("id" = String, Path)), request_body = NewShareBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn share_case(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewShareBody>,
) -> WebResult<StatusCode> {
    state.app.share_case(&p, &id, &body.organisation_id, &body.compartments).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessBody {
    pub at: i64,
    pub user_id: Option<String>,
    pub organisation_id: Option<String>,
    pub action: String,
    pub outcome: String,
}

/// Who accessed a case and when (the owning organisation's supervisors and auditors).
#[utoipa::path(get, path = "/cases/{id}/access-history", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = Vec<AccessBody>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn access_history(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Json<Vec<AccessBody>>> {
    let rows = state.app.access_history(&p, &id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AccessBody {
                at: r.at,
                user_id: r.user_id,
                organisation_id: r.organisation_id,
                action: r.action,
                outcome: r.outcome,
            })
            .collect(),
    ))
}

// ------------------------------------------------------------------ audit and statistics

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditVerificationBody {
    pub entries: u64,
    pub head_seq: i64,
    pub head_mac: String,
}

/// Verify the audit chain (administrators).
#[utoipa::path(get, path = "/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerificationBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn verify_audit(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Json<AuditVerificationBody>> {
    state.app.require(&p, haven_domain::Permission::ReadAuditLog).await?;
    let v = state.app.verify_audit().await?;
    Ok(Json(AuditVerificationBody { entries: v.entries, head_seq: v.head_seq, head_mac: v.head_mac }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    pub after_seq: Option<i64>,
    #[serde(default)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryBody {
    pub seq: i64,
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_organisation_id: Option<String>,
    pub action: String,
    pub outcome: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub detail: Option<String>,
}

/// Audit entries in order (administrators).
#[utoipa::path(get, path = "/audit/entries", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntryBody>), (status = 403, body = ErrorBody)))]
async fn audit_entries(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> WebResult<Json<Vec<AuditEntryBody>>> {
    let rows = state.app.audit_log(&p, q.after_seq.unwrap_or(0), q.limit.unwrap_or(100)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntryBody {
                seq: r.seq,
                at: r.event.at,
                actor_user_id: r.event.actor_user_id,
                actor_organisation_id: r.event.actor_organisation_id,
                action: r.event.action.code().to_owned(),
                outcome: r.event.outcome.code().to_owned(),
                target_kind: r.event.target_kind,
                target_id: r.event.target_id,
                detail: r.event.detail,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountBody {
    pub category: String,
    pub count: i64,
}

/// Registered persons by sex in my jurisdiction (statistics users).
#[utoipa::path(get, path = "/statistics/persons-by-sex", tag = "statistics",
    responses((status = 200, body = Vec<CountBody>), (status = 403, body = ErrorBody)))]
async fn statistics_by_sex(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Json<Vec<CountBody>>> {
    let counts = state.app.statistics_by_sex(&p).await?;
    Ok(Json(counts.into_iter().map(|(s, n)| CountBody { category: s.code().to_owned(), count: n }).collect()))
}

/// Languages offered, for clients that render their own UI.
pub fn languages() -> Vec<&'static str> {
    Language::ALL.iter().map(|l| l.code()).collect()
}
