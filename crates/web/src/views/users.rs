//! User administration: the users of the administrator's jurisdiction, creating them,
//! disabling and enabling them, resetting passwords, and the grants of data roles waiting for a
//! second administrator. An administrator never sees a password: creating a user or resetting
//! one shows a one-time set-up code, once, on the page that answers the form.

use super::{
    Choice, FormError, PageCtx, error_page, form_error, format_time, label_of, render, see_other, with_status,
};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{FormPairs, SignedIn};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::Principal;
use haven_app::admin::{Acting, NewUser};
use haven_domain::{Coded, Language, Role};
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/{username}/disable", post(disable))
        .route("/admin/users/{username}/enable", post(enable))
        .route("/admin/users/{username}/reset-password", post(reset_password))
        .route("/admin/users/{username}/roles", post(change_roles))
        .route("/admin/role-grants/{id}/approve", post(approve_grant))
        .route("/admin/role-grants/{id}/reject", post(reject_grant))
}

/// A grant of roles waiting for a second administrator.
struct GrantLine {
    id: String,
    username: String,
    organisation: String,
    current_roles: String,
    roles: String,
    requested_by: String,
    requested_at: String,
    /// Asked for by the administrator looking, or for it: someone else must decide.
    own: bool,
}

struct UserLine {
    username: String,
    display_name: String,
    organisation: String,
    roles: String,
    disabled: bool,
    totp_enrolled: bool,
    is_self: bool,
    disable_confirm: String,
    reset_confirm: String,
    /// Every role, the user's own ticked: the form that changes them.
    role_choices: Vec<Choice>,
}

/// A set-up code to hand over, shown this once.
struct Handover {
    message: String,
    username: String,
    code: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    ctx: PageCtx<'a>,
    users: Vec<UserLine>,
    grants: Vec<GrantLine>,
    organisations: Vec<Choice>,
    roles: Vec<Choice>,
    languages: Vec<Choice>,
    username: String,
    display_name: String,
    handover: Option<Handover>,
    done: Option<String>,
    error: Option<FormError>,
    invalid_field: String,
}

/// What was typed into the create form (kept when it is shown again with an error).
#[derive(Default)]
struct Typed {
    username: String,
    display_name: String,
    organisation_id: String,
    roles: Vec<String>,
    language: String,
}

#[derive(Default)]
struct Outcome {
    typed: Typed,
    handover: Option<Handover>,
    done: Option<&'static str>,
    error: Option<(StatusCode, FormError)>,
}

async fn page(state: &AppState, p: &Principal, headers: &HeaderMap, outcome: Outcome) -> Response {
    let users = match state.app.users(Acting::User(p)).await {
        Ok(u) => u,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let organisations = match state.app.administered_organisations(Acting::User(p)).await {
        Ok(o) => o,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let pending = match state.app.pending_grants(p).await {
        Ok(g) => g,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "users-title", "/admin/users");
    let role_labels =
        |roles: &[Role]| roles.iter().map(|r| label_of(&ctx.tr, "role", *r)).collect::<Vec<_>>().join(", ");
    let grants = pending
        .iter()
        .map(|g| GrantLine {
            id: g.grant.id.clone(),
            username: g.username.clone(),
            organisation: g.organisation_name.clone(),
            current_roles: role_labels(&g.current_roles),
            roles: role_labels(&g.roles),
            requested_by: g.requested_by.clone(),
            requested_at: format_time(&g.grant.requested_at),
            own: g.grant.requested_by == p.user.id || g.grant.user_id == p.user.id,
        })
        .collect();
    let org_names: HashMap<&str, &str> = organisations.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect();
    let mut lines: Vec<UserLine> = users
        .iter()
        .map(|u| UserLine {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            organisation: org_names
                .get(u.organisation_id.as_str())
                .map_or_else(|| u.organisation_id.clone(), |n| (*n).to_owned()),
            roles: u.roles.iter().map(|r| label_of(&ctx.tr, "role", *r)).collect::<Vec<_>>().join(", "),
            disabled: u.disabled,
            totp_enrolled: u.totp_secret.is_some(),
            is_self: u.id == p.user.id,
            disable_confirm: ctx.tr.t1("users-disable-confirm", "username", &u.username),
            reset_confirm: ctx.tr.t1("users-reset-confirm", "username", &u.username),
            role_choices: Role::ALL
                .iter()
                .map(|r| Choice {
                    value: r.code().to_owned(),
                    label: label_of(&ctx.tr, "role", *r),
                    selected: u.roles.contains(r),
                })
                .collect(),
        })
        .collect();
    lines.sort_by(|a, b| a.username.cmp(&b.username));
    let typed = outcome.typed;
    let mut org_choices: Vec<Choice> = organisations
        .iter()
        .map(|o| Choice {
            value: o.id.clone(),
            label: format!("{} ({}, {})", o.name, o.jurisdiction.code(), label_of(&ctx.tr, "org-kind", o.kind)),
            selected: o.id == typed.organisation_id,
        })
        .collect();
    org_choices.sort_by(|a, b| a.label.cmp(&b.label));
    let roles = Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.code().to_owned(),
            label: label_of(&ctx.tr, "role", *r),
            selected: typed.roles.iter().any(|t| t == r.code()),
        })
        .collect();
    let languages = Language::ALL
        .iter()
        .map(|l| Choice {
            value: l.code().to_owned(),
            label: ctx.t(&format!("language-{}", l.code())),
            selected: typed.language == l.code(),
        })
        .collect();
    let (status, error) = match outcome.error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = UsersPage {
        done: outcome.done.map(|id| ctx.t(id)),
        users: lines,
        grants,
        organisations: org_choices,
        roles,
        languages,
        username: typed.username,
        display_name: typed.display_name,
        handover: outcome.handover,
        invalid_field: error.as_ref().map(|e| e.field.clone()).unwrap_or_default(),
        error,
        ctx,
    };
    with_status(render(&page), status)
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> Response {
    let done = match q.done.as_deref() {
        Some("disabled") => Some("users-disabled"),
        Some("enabled") => Some("users-enabled"),
        Some("approved") => Some("users-grant-approved"),
        Some("rejected") => Some("users-grant-rejected"),
        Some("roles") => Some("users-roles-changed"),
        Some("roles-pending") => Some("users-roles-pending"),
        _ => None,
    };
    page(&state, &p, &headers, Outcome { done, ..Outcome::default() }).await
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<FormPairs, WebError>,
) -> Response {
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let field = |name: &str| form.get(name).unwrap_or_default().to_owned();
    let typed = Typed {
        username: field("username"),
        display_name: field("display_name"),
        organisation_id: field("organisation_id"),
        roles: form.all("roles"),
        language: field("language"),
    };
    let new = NewUser {
        username: typed.username.clone(),
        display_name: typed.display_name.clone(),
        organisation_id: typed.organisation_id.clone(),
        roles: typed.roles.clone(),
        password: None,
        language: Some(typed.language.clone()),
    };
    let tr = state.i18n.tr(super::language_of(Some(&p), &headers));
    match state.app.admin_create_user(&p, &new).await {
        Ok(created) => {
            let message = if created.pending_grant.is_some() {
                format!("{} {}", tr.t("users-created"), tr.t("users-created-pending"))
            } else {
                tr.t("users-created")
            };
            let handover = Handover {
                message,
                username: created.user.username,
                code: created.setup.code,
                expires: format_time(&created.setup.expires_at),
            };
            page(&state, &p, &headers, Outcome { handover: Some(handover), ..Outcome::default() }).await
        }
        Err(e) => match form_error(&tr, e) {
            Ok(error) => page(&state, &p, &headers, Outcome { typed, error: Some(error), ..Outcome::default() }).await,
            Err(e) => error_page(&state, Some(&p), &headers, e.into()),
        },
    }
}

async fn set_disabled(state: AppState, p: Principal, headers: HeaderMap, username: String, disabled: bool) -> Response {
    match state.app.set_user_disabled(Acting::User(&p), &username, disabled).await {
        Ok(()) => see_other(if disabled { "/admin/users?done=disabled" } else { "/admin/users?done=enabled" }),
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

async fn disable(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Response {
    set_disabled(state, p, headers, username, true).await
}

async fn enable(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Response {
    set_disabled(state, p, headers, username, false).await
}

async fn reset_password(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Response {
    match state.app.admin_reset_password(&p, &username).await {
        Ok(setup) => {
            let tr = state.i18n.tr(super::language_of(Some(&p), &headers));
            let handover = Handover {
                message: tr.t("users-password-reset"),
                username,
                code: setup.code,
                expires: format_time(&setup.expires_at),
            };
            page(&state, &p, &headers, Outcome { handover: Some(handover), ..Outcome::default() }).await
        }
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

/// An administrator changes an existing user's roles: at once, or, when the change grants a role
/// that reads victims' data, as a grant waiting for a second administrator (the application
/// decides which, and refuses a change of one's own roles or of another country's user).
async fn change_roles(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(username): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let roles = form.all("roles").join(",");
    match state.app.set_user_roles(Acting::User(&p), &username, &roles).await {
        Ok(None) => see_other("/admin/users?done=roles"),
        Ok(Some(_)) => see_other("/admin/users?done=roles-pending"),
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

async fn decide(state: AppState, p: Principal, headers: HeaderMap, id: String, approve: bool) -> Response {
    match state.app.decide_grant(&p, &id, approve).await {
        Ok(()) => see_other(if approve { "/admin/users?done=approved" } else { "/admin/users?done=rejected" }),
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

async fn approve_grant(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    decide(state, p, headers, id, true).await
}

async fn reject_grant(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    decide(state, p, headers, id, false).await
}
