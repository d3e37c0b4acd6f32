//! Server-rendered pages. Askama templates (compiled into the binary, auto-escaped), strings
//! from the Fluent message files, plain HTML forms that work without JavaScript.

pub mod account;
pub mod administration;
pub mod assistance;
pub mod auth;
pub mod cases;
pub mod charts;
pub mod data_protection;
pub mod form;
pub mod greta;
pub mod home;
pub mod identification;
pub mod monitoring;
pub mod networks;
pub mod page_error;
pub mod peers;
pub mod peers_exchange;
pub mod persons;
pub mod prevention;
pub mod proceedings;
pub mod representations;
pub mod statistics;
pub mod strategy;
pub mod subject_requests;
pub mod trainings;
pub mod transnational;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{LANGUAGE_COOKIE, SESSION_COOKIE, cookie};
use crate::i18n::Tr;
use crate::security::csrf_token;
use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_app::Principal;
use haven_domain::access::{Action, Compartment};
use haven_domain::{Coded, Language, Permission, permission_allowed};

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(home::router())
        .merge(account::router())
        .merge(administration::router())
        .merge(cases::router())
        .merge(identification::router())
        .merge(assistance::router())
        .merge(statistics::router())
        .merge(monitoring::router())
        .merge(peers::router())
        .merge(peers_exchange::router())
        .merge(persons::router())
        .merge(proceedings::router())
        .merge(trainings::router())
        .merge(strategy::router())
        .merge(subject_requests::router())
        .merge(greta::router())
        .merge(data_protection::router())
        .merge(networks::router())
        .merge(prevention::router())
        .merge(representations::router())
        .merge(transnational::router())
        .layer(axum::middleware::from_fn_with_state(state, page_error::render_errors))
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

/// The language for a request: the user's choice, else the language cookie, else the
/// browser's (`Accept-Language`), else English.
pub fn language_of(principal: Option<&Principal>, headers: &HeaderMap) -> Language {
    if let Some(p) = principal {
        return p.user.language;
    }
    cookie(headers, LANGUAGE_COOKIE)
        .and_then(|c| Language::parse_code("lang", c).ok())
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(accepted_language))
        .unwrap_or_default()
}

/// The interface language a browser prefers most (`lv-LV,lv;q=0.9,en;q=0.8` is Latvian); none
/// when it accepts none of them.
pub fn accepted_language(accept: &str) -> Option<Language> {
    let mut best: Option<(f32, Language)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let q = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
        let primary = tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        let Ok(language) = Language::parse_code("lang", &primary) else { continue };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, language));
        }
    }
    best.map(|(_, l)| l)
}

const NAV: &[(&str, &str, Permission)] = &[
    ("/", "nav-home", Permission::Authenticated),
    ("/cases", "nav-cases", Permission::ListCases),
    ("/deadlines", "nav-deadlines", Permission::ReadDeadlines),
    ("/search", "nav-search", Permission::SearchPersons),
    ("/referrals", "nav-referrals", Permission::ManageReferrals),
    ("/assessments/to-review", "nav-to-review", Permission::ReviewAssessments),
    ("/providers", "nav-providers", Permission::ReadProviders),
    ("/statistics", "nav-statistics", Permission::ReadStatistics),
    ("/monitoring", "nav-monitoring", Permission::ReadMonitoring),
    ("/admin/organisations", "nav-organisations", Permission::ManageOrganisations),
    ("/admin/users", "nav-users", Permission::ManageUsers),
    ("/admin/audit", "nav-audit", Permission::ReadAuditLog),
    ("/retention", "nav-retention", Permission::ManageRetention),
    ("/processing-record", "nav-processing-record", Permission::ManageProcessingRecords),
    ("/subject-requests", "nav-subject-requests", Permission::HandleSubjectRequests),
    ("/peers", "nav-peers", Permission::ManagePeers),
    ("/transnational", "nav-transnational", Permission::ActAsFocalPoint),
    ("/persons/review", "nav-person-review", Permission::ReviewPersons),
    ("/investigations", "nav-investigations", Permission::Case(Compartment::Proceedings, Action::Read)),
    ("/trainings", "nav-trainings", Permission::ReadTrainings),
    ("/representations", "nav-representations", Permission::ReadRepresentedVictims),
    ("/monitoring/strategies", "nav-strategies", Permission::ReadMonitoring),
    ("/monitoring/greta", "nav-greta", Permission::ReadMonitoring),
    ("/monitoring/networks", "nav-networks", Permission::ReadMonitoring),
    ("/monitoring/prevention", "nav-prevention", Permission::ReadMonitoring),
    ("/account", "nav-account", Permission::Authenticated),
];

impl<'a> PageCtx<'a> {
    pub fn new(
        state: &'a AppState,
        principal: Option<&Principal>,
        headers: &HeaderMap,
        title_id: &str,
        current: &str,
    ) -> Self {
        let tr = state.i18n.tr(language_of(principal, headers));
        let csrf = cookie(headers, SESSION_COOKIE).map(|t| csrf_token(state, t)).unwrap_or_default();
        let nav = match principal {
            Some(p) => NAV
                .iter()
                .filter(|(_, _, perm)| nav_allowed(p, *perm))
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

    /// Whether the main navigation offers `href` to this user (its permission is granted).
    pub fn has_nav(&self, href: &str) -> bool {
        self.nav.iter().any(|l| l.href == href)
    }
}

/// Whether the navigation offers a page of `permission`: the role grants it, and for the
/// training records the jurisdiction keeps them (the EU level keeps none, `authorize_trainings`).
fn nav_allowed(p: &Principal, permission: Permission) -> bool {
    match permission {
        Permission::ReadTrainings => {
            haven_domain::access::authorize_trainings(&p.actor, p.actor.jurisdiction, permission).is_allowed()
        }
        _ => permission_allowed(&p.actor.roles, permission),
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

/// An error as a page: login required redirects to the login page; others keep their status
/// and become the error page in the reader's language, with a way back
/// ([`page_error::render_errors`]).
pub fn error_page(_state: &AppState, principal: Option<&Principal>, _headers: &HeaderMap, error: WebError) -> Response {
    page_error::error_response(error, principal)
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
        .and_then(|t| t.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).ok())
        .unwrap_or_default()
}

/// The label of a form field in the user's language: the message `field-NAME`, where NAME is
/// the field without an index (`aliases[2]` is `aliases`); the name itself if there is none.
pub fn field_label(tr: &Tr<'_>, field: &str) -> String {
    if field.is_empty() {
        return String::new();
    }
    let base = field.split('[').next().unwrap_or(field);
    let id = format!("field-{base}");
    let label = tr.t(&id);
    if label == id { field.to_owned() } else { label }
}

/// A response with another status.
pub fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// A coded value's label in the user's language: the message `PREFIX-CODE`.
pub fn label_of<C: Coded>(tr: &Tr<'_>, prefix: &str, value: C) -> String {
    tr.t(&format!("{prefix}-{}", value.code()))
}

/// An option of a `<select>` or a checkbox: its value, its label, whether it is chosen.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Choices for every value of a coded enum, labelled from `PREFIX-CODE`.
pub fn coded_choices<C: Coded>(tr: &Tr<'_>, prefix: &str, selected: &[&str]) -> Vec<Choice> {
    C::ALL
        .iter()
        .map(|v| Choice {
            value: v.code().to_owned(),
            label: label_of(tr, prefix, *v),
            selected: selected.contains(&v.code()),
        })
        .collect()
}
