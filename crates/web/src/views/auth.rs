//! Login and logout pages.

use super::form::PageForm;
use super::page_error::{PageError, PageResult};
use super::{PageCtx, render, see_other, with_cookie};
use crate::AppState;
use crate::api::{clear_session_cookie, session_cookie};
use crate::error::WebError;
use crate::extract::{Auth, ClientAddress, LANGUAGE_COOKIE, MaybeAuth};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::{AppError, LoginRequest};
use haven_domain::{Coded, Language};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(login_form).post(login_submit)).route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: PageCtx<'a>,
    username: String,
    error: Option<String>,
    ask_totp: bool,
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    MaybeAuth(p): MaybeAuth,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    if p.is_some() {
        return see_other("/");
    }
    // A language picked on the login page is remembered in a cookie (no personal data).
    if let Some(lang) = q.lang.as_deref().and_then(|l| Language::parse_code("lang", l).ok()) {
        let mut h = headers.clone();
        if let Ok(v) = format!("{LANGUAGE_COOKIE}={}", lang.code()).parse() {
            h.insert(axum::http::header::COOKIE, v);
        }
        let page = render(&LoginPage {
            ctx: PageCtx::new(&state, None, &h, "login-title", ""),
            username: String::new(),
            error: None,
            ask_totp: false,
        });
        return with_cookie(
            page,
            &format!("{LANGUAGE_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000", lang.code()),
        );
    }
    render(&LoginPage {
        ctx: PageCtx::new(&state, None, &headers, "login-title", ""),
        username: String::new(),
        error: None,
        ask_totp: false,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    totp: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    form: Result<PageForm<LoginForm>, PageError>,
) -> PageResult {
    let PageForm { input: form, .. } = form?;
    let result = state
        .app
        .login(LoginRequest {
            username: &form.username,
            password: &form.password,
            totp: form.totp.as_deref(),
            address: address.as_deref(),
            device: crate::extract::cookie(&headers, crate::extract::DEVICE_COOKIE),
        })
        .await;
    match result {
        Ok(session) => {
            let response = with_cookie(see_other("/"), &session_cookie(&state, &session.token));
            Ok(match &session.device {
                Some(device) => with_cookie(response, &crate::api::device_cookie(&state, device)),
                None => response,
            })
        }
        Err(e) => {
            let ctx = PageCtx::new(&state, None, &headers, "login-title", "");
            let (status, message, ask_totp) = match &e {
                AppError::TotpRequired => (StatusCode::UNAUTHORIZED, ctx.t("login-totp-required"), true),
                AppError::BadCredentials => (StatusCode::UNAUTHORIZED, ctx.t("login-failed"), form.totp.is_some()),
                AppError::RateLimited { retry_after } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    ctx.tr.t1("login-rate-limited", "minutes", &((retry_after + 59) / 60).to_string()),
                    false,
                ),
                _ => return Err(e.into()),
            };
            let mut page = render(&LoginPage { ctx, username: form.username.clone(), error: Some(message), ask_totp });
            *page.status_mut() = status;
            Ok(page)
        }
    }
}

async fn logout(State(state): State<AppState>, auth: Result<Auth, WebError>) -> PageResult {
    if let Ok(Auth(p)) = auth {
        state.app.logout(&p).await?;
    }
    Ok(with_cookie(see_other("/login"), &clear_session_cookie(&state)))
}
