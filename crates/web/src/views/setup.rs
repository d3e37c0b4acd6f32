//! Choosing a password with a one-time set-up code (no login): the code an administrator
//! handed over after creating the account or resetting its password.

use super::{FormError, PageCtx, error_page, form_error, render, see_other, with_status};
use crate::AppState;
use crate::extract::{ClientAddress, FormBody};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use haven_app::AppError;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/setup", get(form).post(submit))
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    ctx: PageCtx<'a>,
    username: String,
    error: Option<FormError>,
    invalid_field: String,
}

async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = PageCtx::new(&state, None, &headers, "setup-title", "");
    render(&SetupPage { ctx, username: String::new(), error: None, invalid_field: String::new() })
}

#[derive(Deserialize)]
struct SetupForm {
    username: String,
    code: String,
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    totp: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    FormBody(f): FormBody<SetupForm>,
) -> Response {
    let result = if f.new_password != f.confirm_password {
        Err(AppError::invalid("confirm_password", "does not match"))
    } else {
        state.app.complete_setup(&f.username, &f.code, &f.new_password, f.totp.as_deref(), address.as_deref()).await
    };
    match result {
        Ok(()) => see_other("/login"),
        Err(e) => {
            let ctx = PageCtx::new(&state, None, &headers, "setup-title", "");
            let (status, mut error) = match form_error(&ctx.tr, e) {
                Ok(v) => v,
                Err(e) => return error_page(&state, None, &headers, e.into()),
            };
            error.message = match error.field.as_str() {
                "code" => ctx.t("setup-code-invalid"),
                "confirm_password" => ctx.t("account-password-mismatch"),
                "totp" => ctx.t("login-totp-required"),
                _ => error.message,
            };
            let invalid_field = error.field.clone();
            with_status(render(&SetupPage { ctx, username: f.username, error: Some(error), invalid_field }), status)
        }
    }
}
