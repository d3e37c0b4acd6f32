//! The home page: what this user can do, by role.

use super::{PageCtx, can, render};
use crate::AppState;
use crate::extract::MaybeAuth;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use haven_domain::{Coded, Permission};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// A task offered on the home page.
pub struct Task {
    pub href: &'static str,
    pub title: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: PageCtx<'a>,
    roles: Vec<String>,
    tasks: Vec<Task>,
}

const TASKS: &[(&str, &str, Permission)] = &[
    ("/cases/new", "task-register", Permission::RegisterCase),
    ("/cases", "task-cases", Permission::ListCases),
    ("/statistics", "task-statistics", Permission::ReadStatistics),
    ("/admin/organisations", "task-organisations", Permission::ManageOrganisations),
    ("/admin/users", "task-users", Permission::ManageUsers),
    ("/admin/audit", "task-audit", Permission::ReadAuditLog),
    ("/account", "task-account", Permission::Authenticated),
];

async fn home(State(state): State<AppState>, MaybeAuth(p): MaybeAuth, headers: HeaderMap) -> Response {
    let Some(p) = p else { return super::see_other("/login") };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "home-title", "/");
    let tasks = TASKS
        .iter()
        .filter(|(_, _, perm)| can(&p, *perm))
        .map(|(href, id, _)| Task { href, title: ctx.t(id), description: ctx.t(&format!("{id}-description")) })
        .collect();
    let roles = p.user.roles.iter().map(|r| ctx.t(&format!("role-{}", r.code()))).collect();
    render(&HomePage { ctx, roles, tasks })
}
