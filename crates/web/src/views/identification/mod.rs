//! Identification pages (the national referral mechanism), a file per path: the registration
//! wizard and referral ([`wizard`]), status decisions and reconsideration requests
//! ([`decisions`]), residence and criminal-matter records ([`records`]), the deadlines dashboard
//! ([`deadlines`]), anonymous notifications ([`notifications`]) and person search ([`search`]).

pub mod deadlines;
pub mod decisions;
pub mod notifications;
pub mod records;
pub mod search;
pub mod wizard;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(wizard::router())
        .merge(decisions::router())
        .merge(records::router())
        .merge(deadlines::router())
        .merge(notifications::router())
        .merge(search::router())
}
