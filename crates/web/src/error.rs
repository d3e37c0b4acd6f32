//! Errors as the client sees them: a status and a JSON body naming the field at fault. The
//! cause of an internal error is logged with its whole chain and never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_app::AppError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("{message}")]
    BadRequest { field: Option<String>, message: String },
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("expected a body of type {expected}")]
    UnsupportedMediaType { expected: &'static str },
    #[error("the form is missing or has a stale security token; reload the page and try again")]
    Csrf,
    #[error("not found")]
    NotFound,
}

/// The JSON error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable code: invalid, unauthenticated, forbidden, not_found, conflict...
    pub code: &'static str,
    pub message: String,
    /// The field at fault, as a path (`person.date_of_birth`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<i64>,
    /// Every problem of a refused file (line and column, or sheet and cell).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<haven_app::Problem>,
}

/// Logs an error with its whole chain of causes.
pub fn log_chain(e: &(dyn std::error::Error + 'static)) {
    let mut chain = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error = %chain, "internal error");
}

impl WebError {
    pub fn status_and_detail(&self) -> (StatusCode, ErrorDetail) {
        let d = |code, message: String, field: Option<String>| ErrorDetail {
            code,
            message,
            field,
            retry_after: None,
            problems: Vec::new(),
        };
        match self {
            WebError::App(e) => match e {
                AppError::Invalid(p) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, d("invalid", p.message.clone(), Some(p.field.clone())))
                }
                AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, d("unauthenticated", e.to_string(), None)),
                AppError::BadCredentials => (StatusCode::UNAUTHORIZED, d("bad_credentials", e.to_string(), None)),
                AppError::TotpRequired => {
                    (StatusCode::UNAUTHORIZED, d("totp_required", e.to_string(), Some("totp".into())))
                }
                AppError::RateLimited { retry_after } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorDetail {
                        code: "rate_limited",
                        message: e.to_string(),
                        field: None,
                        retry_after: Some(*retry_after),
                        problems: Vec::new(),
                    },
                ),
                AppError::Forbidden => (StatusCode::FORBIDDEN, d("forbidden", e.to_string(), None)),
                AppError::NotFound => (StatusCode::NOT_FOUND, d("not_found", e.to_string(), None)),
                AppError::Conflict(m) => (StatusCode::CONFLICT, d("conflict", m.clone(), None)),
                AppError::ConflictSaid { english, .. } => (StatusCode::CONFLICT, d("conflict", english.clone(), None)),
                AppError::Rejected(problems) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorDetail { problems: problems.clone(), ..d("rejected", e.to_string(), Some("file".into())) },
                ),
                AppError::Refused(r) => (
                    StatusCode::CONFLICT,
                    ErrorDetail {
                        problems: r
                            .items
                            .iter()
                            .map(|i| haven_app::Problem { location: i.clone(), message: "at fault".into() })
                            .collect(),
                        ..d("refused", r.english.clone(), None)
                    },
                ),
                AppError::WrongMasterKey | AppError::Internal(_) => {
                    log_chain(e);
                    (StatusCode::INTERNAL_SERVER_ERROR, d("internal", "something went wrong on our side".into(), None))
                }
            },
            WebError::BadRequest { field, message } => {
                (StatusCode::BAD_REQUEST, d("bad_request", message.clone(), field.clone()))
            }
            WebError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, d("payload_too_large", self.to_string(), None))
            }
            WebError::UnsupportedMediaType { .. } => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, d("unsupported_media_type", self.to_string(), None))
            }
            WebError::Csrf => (StatusCode::FORBIDDEN, d("csrf", self.to_string(), None)),
            WebError::NotFound => (StatusCode::NOT_FOUND, d("not_found", self.to_string(), None)),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, detail) = self.status_and_detail();
        let retry = detail.retry_after;
        let mut response = (status, axum::Json(ErrorBody { error: detail })).into_response();
        if let Some(seconds) = retry
            && let Ok(v) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<haven_domain::ParseError> for WebError {
    fn from(e: haven_domain::ParseError) -> Self {
        WebError::App(AppError::Invalid(e))
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// Operations that need no session (everything else answers 401 without one).
const OPEN_OPERATIONS: &[&str] = &["/api/v1/auth/login", "/api/v1/auth/setup"];

/// Declares, on every operation of the OpenAPI document, the errors that come from the shared
/// layers rather than from the handler: 400 from a malformed path parameter, query string or
/// body ([`crate::extract`]), 413 and 415 from a JSON body, 401 without a session, and 403 from
/// the CSRF check on a state change. A handler's own declaration of the same status stays.
pub fn document_common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.delete.as_mut()),
            (true, item.patch.as_mut()),
        ];
        for (changes_state, op) in operations {
            let Some(op) = op else { continue };
            let has_parameters = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let json_body = match &op.request_body {
                Some(utoipa::openapi::RefOr::T(body)) => Some(body.content.contains_key("application/json")),
                Some(utoipa::openapi::RefOr::Ref(_)) => Some(true),
                None => None,
            };
            let mut add = |status: &str, description: &str| {
                op.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description).into());
            };
            if has_parameters || json_body.is_some() {
                add("400", "A malformed path parameter, query string or body; `error.field` names the part at fault.");
            }
            if json_body == Some(true) {
                add("413", "The body is larger than the server accepts.");
                add("415", "The body is not `application/json`.");
            }
            if !OPEN_OPERATIONS.contains(&path.as_str()) {
                add("401", "Not signed in, or the session or token has ended.");
            }
            if changes_state {
                add("403", "Refused: no permission, or a session request without its CSRF token.");
            }
        }
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// A body over the limit is refused before any handler runs (by the request body limit layer,
/// or by axum's own body extractors) with a plain-text 413; this gives it the JSON error body
/// every other error has, keeping the headers already set.
pub async fn payload_too_large_as_json(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let replacement = WebError::PayloadTooLarge.into_response();
    for name in [axum::http::header::CONTENT_TYPE, axum::http::header::CONTENT_LENGTH] {
        parts.headers.remove(&name);
    }
    let (new_parts, body) = replacement.into_parts();
    parts.headers.extend(new_parts.headers);
    Response::from_parts(parts, body)
}

/// A panic in a handler becomes a generic 500, never a dropped connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let body = ErrorBody {
        error: ErrorDetail {
            code: "internal",
            message: "something went wrong on our side".into(),
            field: None,
            retry_after: None,
            problems: Vec::new(),
        },
    };
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}
