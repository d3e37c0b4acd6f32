//! Pages about persons across registrations: the person register's clerical review
//! ([`review`], `/persons/review`).

pub mod review;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(review::router())
}
