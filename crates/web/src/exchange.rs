//! The routes peers call in the transnational exchange (docs/transnational.md §7), served on the
//! exchange's own listener (HTTPS, TLS 1.3), not with the user interface and its API:
//!
//! - `POST /exchange/v1/messages`: the body is an envelope (`application/vnd.haven.envelope+json`,
//!   at most 16 MiB); `202` with the receipt `{"message_id", "status": "received",
//!   "envelope_sha256"}`, or the refusal of §6 as `{"code", "message", "field"}` with its status;
//! - `GET /exchange/v1/directory-entry`: this instance's signed directory entry.
//!
//! Machine to machine: authenticated by the envelope's signature under the pinned directory, so
//! no session, cookie or CSRF token applies here, and the routes are not in the user API's
//! OpenAPI document.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use haven_app::App;
use haven_app::exchange_transport::{ENVELOPE_CONTENT_TYPE, ExchangeRefusal, MAX_ENVELOPE_BYTES, ReceiveError};
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The path messages are posted to, under the instance's endpoint.
pub const MESSAGES_PATH: &str = "/exchange/v1/messages";
/// The path of the signed directory entry.
pub const DIRECTORY_ENTRY_PATH: &str = "/exchange/v1/directory-entry";

/// The exchange's routes, with their own body limit (an envelope may be 16 MiB; a longer body is
/// refused `413 too_large` before it is read whole).
pub fn exchange_router(app: App) -> Router {
    Router::new()
        .route(MESSAGES_PATH, post(receive))
        .route(DIRECTORY_ENTRY_PATH, get(directory_entry))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_ENVELOPE_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(120)))
        .layer(axum::middleware::map_response(no_store))
        .layer(TraceLayer::new_for_http().make_span_with(crate::security::request_span))
        .with_state(app)
}

async fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

fn refusal_response(refusal: &ExchangeRefusal) -> Response {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(refusal)).into_response()
}

fn is_envelope(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(ENVELOPE_CONTENT_TYPE))
}

async fn receive(State(app): State<App>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let now = app.now();
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let message = format!("the envelope is more than the limit of {MAX_ENVELOPE_BYTES} bytes");
            return refusal_response(&app.exchange_refuse_unread(now, 413, "too_large", &message, None).await);
        }
        Err(_) => {
            let refusal =
                app.exchange_refuse_unread(now, 400, "malformed", "the body could not be read", Some("envelope")).await;
            return refusal_response(&refusal);
        }
    };
    if !is_envelope(&headers) {
        let message = format!("the envelope is sent as {ENVELOPE_CONTENT_TYPE}");
        let refusal = app.exchange_refuse_unread(now, 415, "malformed", &message, Some("content-type")).await;
        return refusal_response(&refusal);
    }
    match app.exchange_receive(&bytes, now).await {
        Ok(receipt) => (StatusCode::ACCEPTED, Json(receipt)).into_response(),
        Err(ReceiveError::Refused(refusal)) => refusal_response(&refusal),
        Err(ReceiveError::Failed(e)) => {
            tracing::error!(error = %e, "an exchange envelope could not be taken");
            let body = serde_json::json!({
                "code": "unavailable",
                "message": "the message could not be stored now; send it again later",
                "field": null,
            });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

async fn directory_entry(State(app): State<App>) -> Response {
    match app.published_directory_entry().await {
        Ok(Some(json)) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Ok(None) => {
            let body = serde_json::json!({
                "code": "no_identity",
                "message": "this instance has no exchange identity yet",
                "field": null,
            });
            (StatusCode::NOT_FOUND, Json(body)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "the directory entry could not be signed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn not_found() -> Response {
    let body = serde_json::json!({ "code": "not_found", "message": "no such exchange route", "field": null });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}
