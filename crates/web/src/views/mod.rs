//! Server-rendered pages. Askama templates (compiled into the binary, auto-escaped), strings
//! from the Fluent message files, plain HTML forms that work without JavaScript.

pub mod auth;
pub mod home;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{LANGUAGE_COOKIE, SESSION_COOKIE, cookie};
use crate::i18n::Tr;
use crate::security::csrf_token;
use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_app::{AppError, Principal};
use haven_domain::access::{Action, Compartment};
use haven_domain::{Coded, Language, Permission, permission_allowed};

pub fn router() -> Router<AppState> {
    Router::new().merge(auth::router()).merge(home::router())
}

/// A link in the main navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What every page's layout needs.
pub struct PageCtx<'a> {
    pub tr: Tr<'a>,
    pub title: String,
    pub user_name: Option<String>,
    pub organisation_name: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavLink>,
    /// Shown at the top of the page (e.g. "enrol a second factor").
    pub notice: Option<String>,
}

/// The language for a request: the user's choice, else the language cookie, else English.
pub fn language_of(principal: Option<&Principal>, headers: &HeaderMap) -> Language {
    if let Some(p) = principal {
        return p.user.language;
    }
    cookie(headers, LANGUAGE_COOKIE)
        .and_then(|c| Language::parse_code("lang", c).ok())
        .unwrap_or_default()
}

const NAV: &[(&str, &str, Permission)] = &[
    ("/", "nav-home", Permission::Authenticated),
    ("/cases", "nav-cases", Permission::ListCases),
    ("/statistics", "nav-statistics", Permission::ReadStatistics),
    ("/admin/organisations", "nav-organisations", Permission::ManageOrganisations),
    ("/admin/users", "nav-users", Permission::ManageUsers),
    ("/admin/audit", "nav-audit", Permission::ReadAuditLog),
    ("/account", "nav-account", Permission::Authenticated),
];

impl<'a> PageCtx<'a> {
    pub fn new(state: &'a AppState, principal: Option<&Principal>, headers: &HeaderMap, title_id: &str, current: &str) -> Self {
        let tr = state.i18n.tr(language_of(principal, headers));
        let csrf = cookie(headers, SESSION_COOKIE).map(|t| csrf_token(state, t)).unwrap_or_default();
        let nav = match principal {
            Some(p) => NAV
                .iter()
                .filter(|(_, _, perm)| permission_allowed(&p.actor.roles, *perm))
                .map(|(href, label, _)| NavLink { href, label: tr.t(label), current: *href == current })
                .collect(),
            None => vec![],
        };
        let notice = principal.filter(|p| p.needs_totp_enrolment()).map(|_| tr.t("notice-enrol-totp"));
        PageCtx {
            tr,
            title: tr.t(title_id),
            user_name: principal.map(|p| p.user.display_name.clone()),
            organisation_name: principal.map(|p| p.organisation.name.clone()),
            csrf,
            nav,
            notice,
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }
}

/// Whether the principal may use a permission (for showing or hiding actions; the check that
/// counts happens in the application).
pub fn can(principal: &Principal, permission: Permission) -> bool {
    permission_allowed(&principal.actor.roles, permission)
}

pub fn can_read(principal: &Principal, compartment: Compartment) -> bool {
    can(principal, Permission::Case(compartment, Action::Read))
}

/// Renders a template into a response (an error page if rendering itself fails).
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            crate::error::log_chain(&e);
            (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><title>Error</title><p>Something went wrong.</p>"))
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: PageCtx<'a>,
    message: String,
    field: Option<String>,
}

/// An error as a page: login required redirects to the login page; others keep their status.
pub fn error_page(state: &AppState, principal: Option<&Principal>, headers: &HeaderMap, error: WebError) -> Response {
    if matches!(error, WebError::App(AppError::Unauthenticated)) {
        return Redirect::to("/login").into_response();
    }
    let (status, detail) = error.status_and_detail();
    let mut ctx = PageCtx::new(state, principal, headers, "error-title", "");
    let message = match status {
        StatusCode::FORBIDDEN => ctx.t("error-forbidden"),
        StatusCode::NOT_FOUND => ctx.t("error-not-found"),
        StatusCode::INTERNAL_SERVER_ERROR => ctx.t("error-internal"),
        _ => detail.message,
    };
    ctx.title = format!("{} {}", status.as_u16(), ctx.title);
    let mut response = render(&ErrorPage { ctx, message, field: detail.field });
    *response.status_mut() = status;
    response
}

/// See-other redirect after a successful form post.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub fn with_cookie(mut response: Response, cookie_value: &str) -> Response {
    if let Ok(v) = header::HeaderValue::from_str(cookie_value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// Dates for people: UTC, ISO 8601.
pub fn format_time(unix: &i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(*unix)
        .ok()
        .and_then(|t| {
            t.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).ok()
        })
        .unwrap_or_default()
}
