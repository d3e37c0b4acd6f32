//! Pages of typed support records: children's protection, compensation, safe return.

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
