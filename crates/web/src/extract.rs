//! Extractors: who is asking, and request bodies parsed into typed values with errors that
//! name the field.

use crate::AppState;
use crate::error::WebError;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use haven_app::{AppError, Principal};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "haven_session";
/// The known-device cookie: set after a login that passed the second factor, so that someone
/// else's failed guesses at the account do not hold its owner back on this device.
pub const DEVICE_COOKIE: &str = "haven_device";
pub const LANGUAGE_COOKIE: &str = "haven_lang";

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when configured.
pub fn client_address(parts: &Parts, state: &AppState) -> Option<String> {
    if state.config.trust_forwarded_for
        && let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
    {
        return Some(first.to_owned());
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ci| ci.0.ip().to_string())
}

/// The authenticated principal (API token or session cookie); 401 otherwise.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let address = client_address(parts, state);
        if let Some(token) = bearer(&parts.headers) {
            return Ok(Auth(state.app.authenticate_token(token, address.as_deref()).await?));
        }
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            return Ok(Auth(state.app.authenticate_session(token, address.as_deref()).await?));
        }
        Err(WebError::App(AppError::Unauthenticated))
    }
}

/// The principal if there is one (pages that also work logged out).
pub struct MaybeAuth(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Auth::from_request_parts(parts, state).await {
            Ok(Auth(p)) => {
                if let Some(slot) = parts.extensions.get::<crate::views::page_error::PrincipalSlot>() {
                    slot.set(&p);
                }
                Ok(MaybeAuth(Some(p)))
            }
            Err(WebError::App(AppError::Unauthenticated)) => Ok(MaybeAuth(None)),
            Err(e) => Err(e),
        }
    }
}

/// The principal of a page that needs one; without a session the browser goes to the login
/// page.
pub struct SignedIn(pub Principal);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        match Auth::from_request_parts(parts, state).await {
            Ok(Auth(p)) => {
                if let Some(slot) = parts.extensions.get::<crate::views::page_error::PrincipalSlot>() {
                    slot.set(&p);
                }
                Ok(SignedIn(p))
            }
            Err(WebError::App(AppError::Unauthenticated)) => {
                Err(axum::response::Redirect::to("/login").into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The client address as an extractor.
pub struct ClientAddress(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts, state)))
    }
}

fn has_content_type(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(expected))
}

async fn body_bytes(req: Request, state: &AppState) -> Result<Bytes, WebError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::PayloadTooLarge
        } else {
            WebError::BadRequest { field: None, message: "the request body could not be read".into() }
        }
    })
}

/// Parses JSON with `serde_path_to_error`, so that an error names the field (`person.sex`).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("malformed JSON at line {} column {}", inner.line(), inner.column())
            }
            _ => inner.to_string(),
        };
        WebError::BadRequest { field: if path == "." { None } else { Some(path) }, message }
    })?;
    de.end().map_err(|_| WebError::BadRequest {
        field: None,
        message: "trailing characters after the JSON value".into(),
    })?;
    Ok(value)
}

/// A JSON request body: an object (a struct never silently accepts an array or `null`).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !has_content_type(req.headers(), "application/json") {
            return Err(WebError::UnsupportedMediaType { expected: "application/json" });
        }
        let bytes = body_bytes(req, state).await?;
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Ok(ApiJson(parse_json(&bytes)?)),
            _ => Err(WebError::BadRequest { field: None, message: "the body must be a JSON object".into() }),
        }
    }
}

/// A form body (`application/x-www-form-urlencoded`), errors naming the field.
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for FormBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !has_content_type(req.headers(), "application/x-www-form-urlencoded") {
            return Err(WebError::UnsupportedMediaType { expected: "application/x-www-form-urlencoded" });
        }
        let bytes = body_bytes(req, state).await?;
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::BadRequest { field: None, message: format!("form: {e}") })?;
        Ok(FormBody(value))
    }
}

/// A form body as its list of (name, value) pairs, for forms with repeated fields.
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

impl FromRequest<AppState> for FormPairs {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !has_content_type(req.headers(), "application/x-www-form-urlencoded") {
            return Err(WebError::UnsupportedMediaType { expected: "application/x-www-form-urlencoded" });
        }
        let bytes = body_bytes(req, state).await?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::BadRequest { field: None, message: format!("form: {e}") })?;
        Ok(FormPairs(pairs))
    }
}

/// Path parameters, with errors as the JSON error body naming the parameter (axum's own
/// rejection is plain text).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let (field, message) = match e.kind() {
                    ErrorKind::ParseErrorAtKey { key, expected_type, .. } => {
                        (Some(key.clone()), expected(expected_type))
                    }
                    ErrorKind::ParseErrorAtIndex { index, expected_type, .. } => {
                        (path_parameter_name(parts, *index), expected(expected_type))
                    }
                    ErrorKind::ParseError { expected_type, .. } => {
                        (path_parameter_name(parts, 0), expected(expected_type))
                    }
                    ErrorKind::InvalidUtf8InPathParam { key } => {
                        (Some(key.clone()), "must be valid UTF-8 once percent-decoded".to_owned())
                    }
                    ErrorKind::DeserializeError { key, message, .. } => (Some(key.clone()), message.clone()),
                    other => (None, other.to_string()),
                };
                Err(WebError::BadRequest { field, message: format!("path: {message}") })
            }
            Err(other) => Err(WebError::App(AppError::Internal(other.body_text().into()))),
        }
    }
}

/// What a path parameter of a type must look like, in words.
fn expected(type_name: &str) -> String {
    match type_name {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => {
            "must be a whole number".to_owned()
        }
        "bool" => "must be true or false".to_owned(),
        other => format!("must be a {other}"),
    }
}

/// The name of the `index`-th parameter of the matched route (`/cases/{id}/plan/{item}`).
fn path_parameter_name(parts: &Parts, index: usize) -> Option<String> {
    let route = parts.extensions.get::<axum::extract::MatchedPath>()?.as_str();
    route.split('{').skip(1).nth(index).and_then(|rest| rest.split_once('}')).map(|(name, _)| name.to_owned())
}

/// A query string, with errors as the JSON error body naming the parameter (axum's own
/// rejection is plain text).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send> axum::extract::FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail = text.split_once("query string: ").map_or(text.as_str(), |(_, d)| d).to_owned();
                let field = detail
                    .split_once(": ")
                    .map(|(f, _)| f.to_owned())
                    .filter(|f| !f.contains(' '))
                    .or_else(|| detail.split('`').nth(1).map(str::to_owned));
                Err(WebError::BadRequest { field, message: format!("query: {detail}") })
            }
        }
    }
}
