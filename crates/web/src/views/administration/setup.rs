//! Choosing a password with a one-time set-up code (no login): the code an administrator
//! handed over after creating the account or resetting its password. Someone signed in sees the
//! page in their own language, as every other page; otherwise the browser's language is used.

use crate::AppState;
use crate::extract::{ClientAddress, MaybeAuth};
use crate::views::form::{FormProblem, OrFormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, field_label, language_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use haven_app::{AppError, Principal};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/setup", get(form).post(submit))
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    ctx: PageCtx<'a>,
    username: String,
    check: FormProblem,
}

fn setup_page(
    state: &AppState,
    p: Option<&Principal>,
    headers: &HeaderMap,
    username: String,
    check: FormProblem,
) -> Response {
    let ctx = PageCtx::new(state, p, headers, "setup-title", "");
    let status = check.status();
    with_status(render(&SetupPage { ctx, username, check }), status)
}

async fn form(State(state): State<AppState>, MaybeAuth(p): MaybeAuth, headers: HeaderMap) -> Response {
    setup_page(&state, p.as_ref(), &headers, String::new(), FormProblem::none())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SetupForm {
    username: String,
    code: String,
    new_password: String,
    confirm_password: String,
    totp: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    MaybeAuth(p): MaybeAuth,
    headers: HeaderMap,
    form: Result<PageForm<SetupForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    let result = if f.new_password != f.confirm_password {
        Err(AppError::said("confirm_password", "does not match", haven_domain::MessageId::PasswordsDoNotMatch))
    } else {
        state.app.complete_setup(&f.username, &f.code, &f.new_password, f.totp.as_deref(), address.as_deref()).await
    };
    let tr = state.i18n.tr(language_of(p.as_ref(), &headers));
    result.or_form(
        &tr,
        str::to_owned,
        |tr, _, field| field_label(tr, field),
        |mut check| {
            // What went wrong, in words that do not tell an attacker which part was wrong.
            let id = match check.field.as_str() {
                "code" => Some("setup-code-invalid"),
                "confirm_password" => Some("account-password-mismatch"),
                "totp" => Some("login-totp-required"),
                _ => None,
            };
            if let Some(id) = id {
                check.message = tr.t(id);
            }
            setup_page(&state, p.as_ref(), &headers, f.username.clone(), check)
        },
    )?;
    Ok(see_other("/login"))
}
