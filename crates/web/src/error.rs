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
                AppError::Rejected(problems) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorDetail { problems: problems.clone(), ..d("rejected", e.to_string(), Some("file".into())) },
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

pub async fn not_found() -> WebError {
    WebError::NotFound
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
