//! User administration: the users of the administrator's jurisdiction, creating them,
//! disabling and enabling them, resetting passwords, and the grants of data roles waiting for a
//! second administrator. An administrator never sees a password: creating a user or resetting
//! one shows a one-time set-up code, once, on the page that answers the form.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, field_label, format_time, label_of, language_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
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
    /// Every role, the user's own ticked (or those just sent, when refused): the form that
    /// changes them.
    role_choices: Vec<Choice>,
    /// The id of the roles' fieldset, and the problem with the roles sent, if they were refused.
    roles_at: String,
    check: FormProblem,
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
    /// The problem with the create form.
    check: FormProblem,
}

/// The create form as typed (kept when it is shown again with its problem): a [`NewUser`]
/// whose password is always generated.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct UserForm {
    username: String,
    display_name: String,
    organisation_id: String,
    roles: Vec<String>,
    language: String,
}

/// The roles form of one user.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RolesForm {
    roles: Vec<String>,
}

/// Roles sent for a user and refused, shown again in that user's form with the problem.
struct RolesRefused {
    username: String,
    roles: Vec<String>,
    check: FormProblem,
}

#[derive(Default)]
struct Outcome {
    typed: UserForm,
    handover: Option<Handover>,
    done: Option<&'static str>,
    check: FormProblem,
    roles_refused: Option<RolesRefused>,
}

/// The id of the fieldset of a user's roles.
fn roles_at(username: &str) -> String {
    format!("roles-of-{username}")
}

async fn page(state: &AppState, p: &Principal, headers: &HeaderMap, outcome: Outcome) -> PageResult {
    let users = state.app.users(Acting::User(p)).await?;
    let organisations = state.app.administered_organisations(Acting::User(p)).await?;
    let pending = state.app.pending_grants(p).await?;
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
    let refused = outcome.roles_refused.as_ref();
    let mut lines: Vec<UserLine> = users
        .iter()
        .map(|u| {
            let refused = refused.filter(|r| r.username == u.username);
            UserLine {
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                organisation: org_names
                    .get(u.organisation_id.as_str())
                    .map_or_else(|| u.organisation_id.clone(), |n| (*n).to_owned()),
                roles: u.roles.iter().map(|r| label_of(&ctx.tr, "role", *r)).collect::<Vec<_>>().join(", "),
                disabled: u.disabled,
                totp_enrolled: u.totp_enrolled,
                is_self: u.id == p.user.id,
                disable_confirm: ctx.tr.t1("users-disable-confirm", "username", &u.username),
                reset_confirm: ctx.tr.t1("users-reset-confirm", "username", &u.username),
                role_choices: Role::ALL
                    .iter()
                    .map(|r| Choice {
                        value: r.code().to_owned(),
                        label: label_of(&ctx.tr, "role", *r),
                        selected: match refused {
                            Some(refused) => refused.roles.iter().any(|c| c == r.code()),
                            None => u.roles.contains(r),
                        },
                    })
                    .collect(),
                roles_at: roles_at(&u.username),
                check: refused.map(|r| r.check.clone()).unwrap_or_default(),
            }
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
    let status = match &outcome.roles_refused {
        Some(refused) => refused.check.status(),
        None => outcome.check.status(),
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
        check: outcome.check,
        ctx,
    };
    Ok(with_status(render(&page), status))
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
) -> PageResult {
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

/// The label of a field of the users page.
fn label(tr: &crate::i18n::Tr<'_>, _: &str, field: &str) -> String {
    field_label(tr, field)
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<UserForm>, PageError>,
) -> PageResult {
    let PageForm { input: typed, .. } = form?;
    let new = NewUser {
        username: typed.username.clone(),
        display_name: typed.display_name.clone(),
        organisation_id: typed.organisation_id.clone(),
        roles: typed.roles.clone(),
        password: None,
        language: Some(typed.language.clone()),
    };
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
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
        Err(e) => {
            // The inputs are `user-username`, `user-display_name`, … and the roles' fieldset.
            let check =
                FormProblem::of(&tr, e, |f| if f.is_empty() { String::new() } else { format!("user-{f}") }, label)?;
            page(&state, &p, &headers, Outcome { typed, check, ..Outcome::default() }).await
        }
    }
}

async fn set_disabled(state: AppState, p: Principal, username: String, disabled: bool) -> PageResult {
    state.app.set_user_disabled(Acting::User(&p), &username, disabled).await?;
    Ok(see_other(if disabled { "/admin/users?done=disabled" } else { "/admin/users?done=enabled" }))
}

async fn disable(State(state): State<AppState>, SignedIn(p): SignedIn, Path(username): Path<String>) -> PageResult {
    set_disabled(state, p, username, true).await
}

async fn enable(State(state): State<AppState>, SignedIn(p): SignedIn, Path(username): Path<String>) -> PageResult {
    set_disabled(state, p, username, false).await
}

async fn reset_password(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> PageResult {
    let setup = state.app.admin_reset_password(&p, &username).await?;
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let handover = Handover {
        message: tr.t("users-password-reset"),
        username,
        code: setup.code,
        expires: format_time(&setup.expires_at),
    };
    page(&state, &p, &headers, Outcome { handover: Some(handover), ..Outcome::default() }).await
}

/// An administrator changes an existing user's roles: at once, or, when the change grants a role
/// that reads victims' data, as a grant waiting for a second administrator (the application
/// decides which, and refuses a change of one's own roles or of another country's user). Roles
/// refused (one that does not fit the user's organisation) are shown again in that user's form
/// with the problem next to them.
async fn change_roles(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(username): Path<String>,
    form: Result<PageForm<RolesForm>, PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    match state.app.set_user_roles(Acting::User(&p), &username, &input.roles.join(",")).await {
        Ok(None) => Ok(see_other("/admin/users?done=roles")),
        Ok(Some(_)) => Ok(see_other("/admin/users?done=roles-pending")),
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let at = roles_at(&username);
            let check = FormProblem::of(&tr, e, |_| at.clone(), label)?;
            let refused = RolesRefused { username, roles: input.roles, check };
            page(&state, &p, &headers, Outcome { roles_refused: Some(refused), ..Outcome::default() }).await
        }
    }
}

async fn decide(state: AppState, p: Principal, id: String, approve: bool) -> PageResult {
    state.app.decide_grant(&p, &id, approve).await?;
    Ok(see_other(if approve { "/admin/users?done=approved" } else { "/admin/users?done=rejected" }))
}

async fn approve_grant(State(state): State<AppState>, SignedIn(p): SignedIn, Path(id): Path<String>) -> PageResult {
    decide(state, p, id, true).await
}

async fn reject_grant(State(state): State<AppState>, SignedIn(p): SignedIn, Path(id): Path<String>) -> PageResult {
    decide(state, p, id, false).await
}
