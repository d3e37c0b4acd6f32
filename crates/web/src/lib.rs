//! Haven's web layer: the JSON API under `/api/v1` (described by an OpenAPI document generated
//! from the handlers) and the server-rendered pages. Handlers are thin: they parse, call one
//! use case of [`haven_app::App`] (where authorisation is decided), and render.

pub mod api;
pub mod api_assist;
pub mod api_assist_records;
pub mod api_data_protection;
pub mod api_exchange;
pub mod api_ident;
pub mod api_monitoring;
pub mod api_networks;
pub mod api_persons;
pub mod api_proceedings;
pub mod api_proceedings_more;
pub mod api_proceedings_persons;
pub mod api_report;
pub mod api_representation;
pub mod api_separation;
pub mod api_stats;
pub mod api_strategy;
pub mod api_subject_requests;
pub mod api_trainings;
pub mod api_transnational;
pub mod assets;
pub mod error;
pub mod exchange;
pub mod exchange_tls;
pub mod extract;
pub mod htcds_xlsx;
pub mod i18n;
pub mod leaflet;
pub mod routes;
pub mod security;
pub mod views;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use axum::routing::get;
use haven_app::App;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Served over TLS (directly or by a proxy): cookies get `Secure`, responses HSTS.
    pub tls: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            tls: false,
            trust_forwarded_for: false,
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub i18n: Arc<i18n::I18n>,
    pub openapi: Arc<utoipa::openapi::OpenApi>,
}

/// The OpenAPI document and the API router, built from the same handler list.
pub fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, openapi) = OpenApiRouter::with_openapi(api::openapi_base())
        .nest(
            "/api/v1",
            api::router()
                .merge(api_ident::router())
                .merge(api_persons::router())
                .merge(api_proceedings::router())
                .merge(api_proceedings_more::router())
                .merge(api_proceedings_persons::router())
                .merge(api_separation::router())
                .merge(api_assist::router())
                .merge(api_assist_records::router())
                .merge(api_stats::router())
                .merge(api_trainings::router())
                .merge(api_monitoring::router())
                .merge(api_strategy::router())
                .merge(api_data_protection::router())
                .merge(api_networks::router())
                .merge(api_subject_requests::router())
                .merge(api_report::router())
                .merge(api_representation::router())
                .merge(api_transnational::router())
                .merge(api_exchange::router()),
        )
        .merge(leaflet::api_router())
        .split_for_parts();
    let mut openapi = openapi;
    error::document_common_errors(&mut openapi);
    (router, openapi)
}

/// The whole application as one axum router.
pub fn router(app: App, config: WebConfig) -> Result<Router, i18n::I18nError> {
    let (api_router, openapi) = api_parts();
    let max_body = config.max_body_bytes;
    let timeout = config.request_timeout;
    let state =
        AppState { app, config: Arc::new(config), i18n: Arc::new(i18n::I18n::load()?), openapi: Arc::new(openapi) };
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/api/v1/openapi.json", get(openapi_json))
        .merge(api_router)
        .merge(views::router(state.clone()))
        .merge(
            leaflet::page_router()
                .layer(axum::middleware::from_fn_with_state(state.clone(), views::page_error::render_errors)),
        )
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(axum::middleware::map_response(error::payload_too_large_as_json))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(security::request_span))
        .with_state(state);
    Ok(router)
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.app.ready().await {
        (StatusCode::OK, Json(serde_json::json!({ "status": "ready" })))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database unavailable" })))
    }
}

async fn openapi_json(State(state): State<AppState>) -> impl IntoResponse {
    Json(state.openapi.as_ref().clone())
}
