//! The user's own account: who they are, language, password, second factor, API tokens.

use super::form::{FormProblem, PageForm};
use super::page_error::{PageError, PageResult};
use super::{Choice, PageCtx, field_label, format_time, language_of, render, see_other, with_cookie, with_status};
use crate::AppState;
use crate::api::clear_session_cookie;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::Principal;
use haven_app::accounts::TotpProof;
use haven_crypto::TotpSecret;
use haven_domain::{Coded, Language};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/language", post(set_language))
        .route("/account/password", post(change_password))
        .route("/account/totp", post(totp))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

/// An API token as listed (never the token itself).
struct TokenLine {
    id: String,
    name: String,
    created: String,
    last_used: String,
    expires: String,
    revoked: bool,
    expired: bool,
}

/// A second factor being set up: a QR code to scan, the secret to type (or the URI to paste)
/// into an app.
struct Enrolment {
    secret: String,
    grouped: String,
    uri: String,
    /// The otpauth URI as a QR code: an SVG drawn here, as a `data:` URI for an `<img>` (no
    /// script, nothing inline the CSP would have to allow). Empty if it cannot be drawn.
    qr: String,
}

impl Enrolment {
    fn new(secret: String, uri: String) -> Self {
        let grouped = secret.as_bytes().chunks(4).map(String::from_utf8_lossy).collect::<Vec<_>>().join(" ");
        let qr = qr_data_uri(&uri).unwrap_or_default();
        Enrolment { secret, grouped, uri, qr }
    }
}

/// `text` as a QR code in an SVG `data:` URI.
fn qr_data_uri(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // The XML declaration is not needed in a data URI; `#` (the colours) would end the URI and
    // `%` must not start an escape.
    let svg = svg.split_once("?>").map_or(svg.as_str(), |(_, rest)| rest);
    Some(format!("data:image/svg+xml,{}", svg.replace('%', "%25").replace('#', "%23")))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    ctx: PageCtx<'a>,
    username: String,
    display_name: String,
    organisation: String,
    roles: Vec<String>,
    languages: Vec<Choice>,
    totp_enrolled: bool,
    enrolment: Option<Enrolment>,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
    done: Option<String>,
    /// The problem with the form of one section.
    check: FormProblem,
    /// The section the problem belongs to (`password`, `totp`, `tokens`).
    section: &'static str,
    /// The name typed for a new token, kept when it is refused.
    token_name: String,
}

/// What a form submission adds to the account page.
#[derive(Default)]
struct Outcome {
    enrolment: Option<Enrolment>,
    new_token: Option<String>,
    done: Option<String>,
    check: FormProblem,
    section: &'static str,
    token_name: String,
}

impl Outcome {
    /// A form of `section` refused with its problem.
    fn refused(section: &'static str, check: FormProblem) -> Self {
        Outcome { check, section, ..Outcome::default() }
    }
}

/// The label of a field of the account page.
fn label(tr: &Tr<'_>, _: &str, field: &str) -> String {
    field_label(tr, field)
}

async fn account_page(state: &AppState, p: &Principal, headers: &HeaderMap, outcome: Outcome) -> PageResult {
    let tokens = state.app.api_tokens(p).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "account-title", "/account");
    let never = ctx.t("never");
    let now = state.app.now();
    let tokens = tokens
        .iter()
        .map(|t| TokenLine {
            id: t.id.clone(),
            name: t.name.clone(),
            created: format_time(&t.created_at),
            last_used: t.last_used_at.as_ref().map_or_else(|| never.clone(), format_time),
            expires: format_time(&state.app.api_token_expiry(t)),
            revoked: t.revoked,
            expired: state.app.api_token_expiry(t) <= now,
        })
        .collect();
    let current = ctx.tr.code();
    let languages = Language::ALL
        .iter()
        .map(|l| Choice {
            value: l.code().to_owned(),
            label: ctx.t(&format!("language-{}", l.code())),
            selected: l.code() == current,
        })
        .collect();
    let roles = p.user.roles.iter().map(|r| super::label_of(&ctx.tr, "role", *r)).collect();
    let status = outcome.check.status();
    let page = AccountPage {
        username: p.user.username.clone(),
        display_name: p.user.display_name.clone(),
        organisation: format!("{} ({})", p.organisation.name, p.organisation.jurisdiction.code()),
        roles,
        languages,
        totp_enrolled: p.totp_enrolled(),
        enrolment: outcome.enrolment,
        tokens,
        new_token: outcome.new_token,
        done: outcome.done,
        check: outcome.check,
        section: outcome.section,
        token_name: outcome.token_name,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let done = match q.done.as_deref() {
        Some("language") => Some(tr.t("account-language-saved")),
        Some("totp") => Some(tr.t("account-totp-enrolled")),
        Some("token-revoked") => Some(tr.t("account-token-revoked-done")),
        _ => None,
    };
    account_page(&state, &p, &headers, Outcome { done, ..Outcome::default() }).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageForm {
    language: String,
}

/// The language is chosen from a list: a value not on it is the error page naming the field.
async fn set_language(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    form: Result<PageForm<LanguageForm>, PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    let language = Language::parse_code("language", input.language.trim())?;
    state.app.set_language(&p, language).await?;
    Ok(see_other("/account?done=language"))
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<PasswordForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    if f.new_password != f.confirm_password {
        let check = FormProblem::at(&tr, "confirm_password", tr.t("account-password-mismatch"), label);
        return account_page(&state, &p, &headers, Outcome::refused("password", check)).await;
    }
    match state.app.change_own_password(&p, &f.current_password, &f.new_password).await {
        // Changing the password ends every session, this one included: log in again.
        Ok(()) => Ok(with_cookie(see_other("/login"), &clear_session_cookie(&state))),
        Err(e) => {
            let check = FormProblem::of(&tr, e, str::to_owned, label)?;
            account_page(&state, &p, &headers, Outcome::refused("password", check)).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct TotpForm {
    secret: String,
    code: String,
    /// The current password (always needed to store or remove a factor).
    password: String,
    /// A current code of the factor in force, to change or remove it.
    current_code: String,
    /// `remove` to remove the factor in force.
    action: String,
}

/// The input of the second factor's forms a field is typed into: `remove-…` on the form that
/// removes the factor, `totp-…` on the one that sets it up.
fn totp_input(form: &str, field: &str) -> String {
    match field {
        "" => String::new(),
        "current_code" => format!("{form}-current-code"),
        other => format!("{form}-{other}"),
    }
}

async fn totp(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<TotpForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let proof = TotpProof { password: &f.password, current_code: Some(f.current_code.as_str()) };
    if f.action == "remove" {
        return match state.app.remove_totp(&p, &proof).await {
            // Removing the factor ends every session, this one included: log in again.
            Ok(()) => Ok(with_cookie(see_other("/login"), &clear_session_cookie(&state))),
            Err(e) => {
                let check = FormProblem::of(&tr, e, |field| totp_input("remove", field), label)?;
                account_page(&state, &p, &headers, Outcome::refused("totp", check)).await
            }
        };
    }
    let secret = f.secret.trim();
    if secret.is_empty() {
        // First step: a fresh secret to show; nothing is stored until a code confirms it.
        let e = state.app.begin_totp_enrolment(&p);
        let outcome = Outcome { enrolment: Some(Enrolment::new(e.secret, e.uri)), ..Outcome::default() };
        return account_page(&state, &p, &headers, outcome).await;
    }
    match state.app.confirm_totp_enrolment(&p, &proof, secret, &f.code).await {
        // A replaced factor ends every session, this one included: log in with the new one.
        Ok(()) if p.totp_enrolled() => Ok(with_cookie(see_other("/login"), &clear_session_cookie(&state))),
        Ok(()) => Ok(see_other("/account?done=totp")),
        Err(e) => {
            let check = FormProblem::of(&tr, e, |field| totp_input("totp", field), label)?;
            // Keep the same secret so that the app already set up still matches.
            let enrolment = match TotpSecret::from_base32(secret) {
                Ok(s) => Enrolment::new(s.to_base32(), s.provisioning_uri("Haven", &p.user.username)),
                Err(_) => {
                    let e = state.app.begin_totp_enrolment(&p);
                    Enrolment::new(e.secret, e.uri)
                }
            };
            let outcome = Outcome { enrolment: Some(enrolment), ..Outcome::refused("totp", check) };
            account_page(&state, &p, &headers, outcome).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct TokenForm {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<TokenForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    match state.app.create_api_token(&p, &f.name).await {
        // The token is shown on this page, this once; it is never put in a URL.
        Ok((_, token)) => {
            account_page(&state, &p, &headers, Outcome { new_token: Some(token), ..Outcome::default() }).await
        }
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let check = FormProblem::of(
                &tr,
                e,
                |field| if field == "name" { "token-name".into() } else { field.into() },
                label,
            )?;
            let outcome = Outcome { token_name: f.name, ..Outcome::refused("tokens", check) };
            account_page(&state, &p, &headers, outcome).await
        }
    }
}

/// Revokes one of the user's own API tokens.
async fn revoke_token(State(state): State<AppState>, SignedIn(p): SignedIn, Path(id): Path<String>) -> PageResult {
    state.app.revoke_api_token(&p, &id).await?;
    Ok(see_other("/account?done=token-revoked#tokens"))
}
