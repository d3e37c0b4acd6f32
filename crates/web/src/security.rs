//! Security headers on every response, and CSRF protection on every state change.
//!
//! CSRF: a request that changes state and rides on the session cookie must carry the token
//! bound to that session (`X-CSRF-Token` header, or a `csrf` field in a form). The token is an
//! HMAC of the session under the session key, so nothing is stored. Requests authenticated by
//! an API token (no cookie) carry no ambient authority and need none. Independently, a request
//! that says it comes from another origin (`Origin`, `Sec-Fetch-Site: cross-site`) is refused.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{SESSION_COOKIE, bearer, cookie};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                       connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    response
}

/// The CSRF token of a session (given its cookie value).
pub fn csrf_token(state: &AppState, session_token: &str) -> String {
    let hash = haven_crypto::hash_token(session_token);
    let mut data = b"csrf:".to_vec();
    data.extend_from_slice(&hash);
    hex::encode(state.app.session_mac(&data))
}

fn cross_origin(headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    if origin == "null" {
        // Browsers send `Origin: null` in privacy-sensitive contexts; only the browser's own
        // word that the request is same-origin lets it through.
        return fetch_site != Some("same-origin");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    !origin_host.eq_ignore_ascii_case(host)
}

/// Paths where a cookie may exist but no session is being used (logging in anew).
fn login_path(path: &str) -> bool {
    path == "/login" || path == "/api/v1/auth/login"
}

pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if cross_origin(req.headers()) {
        return WebError::Csrf.into_response();
    }
    let session = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let Some(session) = session else { return next.run(req).await };
    if bearer(req.headers()).is_some() || login_path(req.uri().path()) {
        return next.run(req).await;
    }
    let expected = csrf_token(&state, &session);
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok());
    if let Some(token) = header_token {
        return if haven_crypto::constant_time_eq(token.as_bytes(), expected.as_bytes()) {
            next.run(req).await
        } else {
            WebError::Csrf.into_response()
        };
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    // A file upload (multipart) carries the token in the query string of the form's action.
    if content_type.starts_with("multipart/form-data") {
        let token = req.uri().query().and_then(|q| form_urlencoded_value(q.as_bytes(), "csrf"));
        return match token {
            Some(t) if haven_crypto::constant_time_eq(t.as_bytes(), expected.as_bytes()) => next.run(req).await,
            _ => WebError::Csrf.into_response(),
        };
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return WebError::Csrf.into_response();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, state.config.max_body_bytes).await else {
        return WebError::PayloadTooLarge.into_response();
    };
    let token = form_urlencoded_value(&bytes, "csrf");
    match token {
        Some(t) if haven_crypto::constant_time_eq(t.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
        _ => WebError::Csrf.into_response(),
    }
}

fn form_urlencoded_value(bytes: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The span of a request: method and matched route only (never the raw path, which may hold
/// an identifier, nor query strings).
pub fn request_span(req: &axum::http::Request<Body>) -> tracing::Span {
    let route = req.extensions().get::<axum::extract::MatchedPath>().map_or("unmatched", |m| m.as_str()).to_owned();
    tracing::info_span!("request", method = %req.method(), route = %route)
}
