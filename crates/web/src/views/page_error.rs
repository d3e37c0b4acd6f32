//! Errors of page handlers, in the shape of the API's: a handler returns [`PageResult`] and uses
//! `?` on anything that fails. The error becomes a page in the reader's language, rendered by
//! [`render_errors`] (the layer on every page route), which knows who is asking and where they
//! came from, so that the page offers a way back that makes sense: to the form that was sent, or
//! to the page above the one that failed.
//!
//! A problem with what was typed does not end here: `or_form` (in the form module) turns
//! it into the form shown again with the typed values and the problem next to the field.

use super::{PageCtx, field_label, render};
use crate::AppState;
use crate::error::WebError;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::{AppError, Principal};
use std::sync::{Arc, OnceLock};

/// What a page handler gives back.
pub type PageResult = Result<Response, PageError>;

/// An error of a page handler.
#[derive(Debug)]
pub enum PageError {
    /// Shown as the error page (login required goes to the login page).
    Error(WebError),
    /// A page already made for the error (a form shown again with its problem).
    Page(Box<Response>),
}

impl From<WebError> for PageError {
    fn from(e: WebError) -> Self {
        PageError::Error(e)
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::Error(WebError::App(e))
    }
}

impl From<haven_domain::ParseError> for PageError {
    fn from(e: haven_domain::ParseError) -> Self {
        PageError::Error(WebError::App(AppError::Invalid(e)))
    }
}

/// The error a response stands for, left for [`render_errors`] to make into a page.
#[derive(Debug, Clone)]
struct ErrorToRender {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The message of the translations for `message`, when it has one.
    problem: Option<haven_domain::Message>,
    field: Option<String>,
    principal: Option<Principal>,
}

/// The response for an error: a redirect to the login page, or a bare status carrying the error
/// for the layer to render.
pub(super) fn error_response(error: WebError, principal: Option<&Principal>) -> Response {
    if matches!(error, WebError::App(AppError::Unauthenticated)) {
        return Redirect::to("/login").into_response();
    }
    let problem = match &error {
        WebError::App(AppError::Invalid(p)) => p.problem.clone(),
        WebError::App(AppError::ConflictSaid { message, .. }) => Some(message.clone()),
        _ => None,
    };
    // Logs the cause of an internal error (never shown).
    let (status, detail) = error.status_and_detail();
    let mut response = status.into_response();
    response.extensions_mut().insert(ErrorToRender {
        status,
        code: detail.code,
        message: detail.message,
        problem,
        field: detail.field,
        principal: principal.cloned(),
    });
    response
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Page(response) => *response,
            PageError::Error(error) => error_response(error, None),
        }
    }
}

/// Where the signed-in user of a request is left for the error page (set by
/// [`crate::extract::SignedIn`] and [`crate::extract::MaybeAuth`]), so that an error returned
/// with `?` is shown with the user's language and navigation.
#[derive(Clone, Default)]
pub struct PrincipalSlot(Arc<OnceLock<Principal>>);

impl PrincipalSlot {
    pub fn set(&self, principal: &Principal) {
        // Set once per request: a second extractor finds the same user.
        let _ = self.0.set(principal.clone());
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: PageCtx<'a>,
    message: String,
    /// The field at fault, in the reader's language.
    field: Option<String>,
    back: Option<Back>,
}

/// The way back from an error page.
struct Back {
    href: String,
    label: String,
}

/// The layer on page routes that makes a handler's error into the error page.
pub async fn render_errors(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let slot = PrincipalSlot::default();
    req.extensions_mut().insert(slot.clone());
    let headers = req.headers().clone();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let Some(error) = response.extensions().get::<ErrorToRender>().cloned() else {
        return response;
    };
    let principal = error.principal.as_ref().or_else(|| slot.0.get());
    let mut page = error_page(&state, principal, &headers, &method, &path, &error);
    // Keep what the handler set besides the body (cookies, for one).
    let (parts, _) = response.into_parts();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().append(name.clone(), value.clone());
        }
    }
    page
}

fn error_page(
    state: &AppState,
    principal: Option<&Principal>,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
    error: &ErrorToRender,
) -> Response {
    let mut ctx = PageCtx::new(state, principal, headers, "error-title", "");
    let tr = ctx.tr;
    let message = match (error.status, error.code) {
        (StatusCode::FORBIDDEN, _) => tr.t("error-forbidden"),
        (StatusCode::NOT_FOUND, _) => tr.t("error-not-found"),
        (StatusCode::INTERNAL_SERVER_ERROR, _) => tr.t("error-internal"),
        (_, "bad_request") => tr.t("error-bad-request"),
        _ => error.problem.as_ref().map_or_else(|| error.message.clone(), |m| tr.msg(m)),
    };
    let field = error.field.as_deref().filter(|f| !f.is_empty()).map(|f| field_label(&tr, f));
    ctx.title = format!("{} {}", error.status.as_u16(), ctx.title);
    let back = back_link(headers, method, path)
        .map(|(href, to_form)| Back { href, label: tr.t(if to_form { "error-back-form" } else { "error-back" }) });
    let mut response = render(&ErrorPage { ctx, message, field, back });
    *response.status_mut() = error.status;
    response
}

/// The way back: the page the request came from (the form that was sent) when it is one of
/// ours, else the page above the one that failed; none when that is the home page. The flag
/// says whether it leads back to a form.
fn back_link(headers: &HeaderMap, method: &Method, path: &str) -> Option<(String, bool)> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let referer = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://"))
        .and_then(|(_, rest)| {
            let (at, local) = rest.split_once('/').unwrap_or((rest, ""));
            (Some(at) == host).then(|| format!("/{local}"))
        })
        .filter(|r| local_path(r) && (r.split(['?', '#']).next() != Some(path) || *method != Method::GET));
    if let Some(referer) = referer {
        return Some((referer, *method != Method::GET));
    }
    let parent = path.trim_end_matches('/').rsplit_once('/').map(|(parent, _)| parent)?;
    (local_path(parent) && parent != "/").then(|| (parent.to_owned(), false))
}

/// A path on this site (not `//elsewhere`), safe to link to.
fn local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(referer: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "haven.example".parse().unwrap());
        if let Some(r) = referer {
            h.insert(header::REFERER, r.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_failed_form_post_leads_back_to_the_form_it_came_from() {
        let h = with(Some("https://haven.example/cases/c1/edit?x=1"));
        assert_eq!(back_link(&h, &Method::POST, "/cases/c1/edit"), Some(("/cases/c1/edit?x=1".into(), true)));
    }

    #[test]
    fn another_sites_referer_is_never_a_way_back() {
        let h = with(Some("https://elsewhere.example/cases/c1"));
        assert_eq!(back_link(&h, &Method::POST, "/cases/c1/decisions"), Some(("/cases/c1".into(), false)));
        let h = with(Some("https://haven.example//elsewhere.example/x"));
        assert_eq!(back_link(&h, &Method::GET, "/cases/c1"), Some(("/cases".into(), false)));
    }

    #[test]
    fn a_missing_page_leads_to_the_page_above_it() {
        assert_eq!(back_link(&with(None), &Method::GET, "/referrals/r9"), Some(("/referrals".into(), false)));
        assert_eq!(back_link(&with(None), &Method::GET, "/providers"), None);
    }
}
