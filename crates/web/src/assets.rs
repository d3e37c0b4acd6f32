//! Static assets, compiled into the binary: nothing is fetched from elsewhere.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &[u8])] = &[
    ("haven.css", "text/css; charset=utf-8", include_bytes!("../assets/haven.css")),
    ("haven.js", "text/javascript; charset=utf-8", include_bytes!("../assets/haven.js")),
    // The annual report's print-ready stylesheet (docs/monitoring.md, "The annual report").
    ("report.css", "text/css; charset=utf-8", include_bytes!("../assets/report.css")),
    ("logo.svg", "image/svg+xml", include_bytes!("../assets/logo.svg")),
];

/// Browsers ask for `/favicon.ico` whatever the page says.
pub async fn favicon() -> Response {
    serve(Path("logo.svg".to_owned())).await
}

pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, bytes)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=3600")], *bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
