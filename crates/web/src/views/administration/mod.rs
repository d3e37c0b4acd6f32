//! Administration pages (`/admin/…`), a file per path: the users of the administrator's
//! jurisdiction and the grants of data roles waiting for a second administrator ([`users`]),
//! organisations ([`organisations`]) and the audit log ([`audit`]); and the page where a user
//! chooses a password with the one-time set-up code an administrator handed over ([`setup`],
//! `/setup`, outside `/admin` as it is used before any login).

pub mod audit;
pub mod organisations;
pub mod setup;
pub mod users;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(organisations::router()).merge(users::router()).merge(setup::router()).merge(audit::router())
}
