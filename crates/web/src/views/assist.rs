//! Pages of assistance: assessment, support plan, provider directory, referral inbox and
//! outbox, overdue referrals.

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
