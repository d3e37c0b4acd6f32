//! Pages about persons across registrations: the person register's clerical review
//! ([`review`], `/persons/review`) and its re-link jobs ([`relink`], `/persons/relink`).

pub mod relink;
pub mod review;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(review::router()).merge(relink::router())
}
