//! The focal point's pages of the exchange beside `/peers`: `/peers/outbox` (the messages this
//! instance sent: type, receiver, where each stands, attempts and next attempt; never a body),
//! `/peers/persons` (storing the secret the focal points share, never shown back, and sending a
//! year's person encodings to the EU hub) and `/peers/own-keys` (this instance's keys, their
//! rotation with an overlap, the retirement of the old ones and the revocation of one at once, for
//! a reason, announced to every pinned peer). Each handler calls one use case,
//! where access is decided and every change audited; a refused input is answered 422 naming the
//! field beside its input.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, format_time, language_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::admin::Acting;
use haven_app::exchange_own_keys::DEFAULT_OVERLAP_DAYS;
use haven_app::exchange_progress::progress;
use haven_app::{AppError, Principal};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/peers/outbox", get(outbox))
        .route("/peers/persons", get(persons))
        .route("/peers/persons/secret", post(store_secret))
        .route("/peers/persons/encodings", post(send_encodings))
        .route("/peers/own-keys", get(own_keys))
        .route("/peers/own-keys/rotation", post(rotate))
        .route("/peers/own-keys/retirement", post(retire))
        .route("/peers/own-keys/revocation", post(revoke))
}

// ----- the outbox -----------------------------------------------------------------------------

struct OutboxLine {
    message_id: String,
    message_type: String,
    receiver: String,
    progress: &'static str,
    progress_label: String,
    attempts: i64,
    next_attempt: String,
    last_error: String,
    refusal_reason: String,
}

#[derive(Template)]
#[template(path = "peers_outbox.html")]
struct OutboxPage<'a> {
    ctx: PageCtx<'a>,
    messages: Vec<OutboxLine>,
}

async fn outbox(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let messages = state.app.exchange_outbox(Acting::User(&p), 200).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "exops-outbox-title", "/peers");
    let messages = messages
        .iter()
        .map(|m| {
            let code = progress(m);
            OutboxLine {
                message_id: m.message_id.clone(),
                message_type: m.message_type.clone(),
                receiver: m.receiver.clone(),
                progress: code,
                progress_label: ctx.t(&format!("exops-progress-{code}")),
                attempts: m.attempts,
                // the next attempt matters only while the message waits
                next_attempt: if code == "queued" { format_time(&m.next_attempt_at) } else { String::new() },
                last_error: m.last_error.clone().unwrap_or_default(),
                refusal_reason: m.refusal_reason.clone().unwrap_or_default(),
            }
        })
        .collect();
    Ok(render(&OutboxPage { ctx, messages }))
}

// ----- the cross-border person count: the focal point's side ------------------------------------

#[derive(Template)]
#[template(path = "peers_persons.html")]
struct PersonsPage<'a> {
    ctx: PageCtx<'a>,
    /// The newest generation stored and when (never the secret).
    generation: Option<(String, String)>,
    typed_generation: String,
    year: String,
    /// What the last sending did.
    sent: Option<String>,
    stored: bool,
    check: FormProblem,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SecretForm {
    generation: String,
    secret: String,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct EncodingsForm {
    year: String,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct PersonsQuery {
    stored: Option<String>,
}

struct PersonsView {
    typed_generation: String,
    year: String,
    sent: Option<String>,
    stored: bool,
    check: FormProblem,
}

async fn persons_page(state: &AppState, p: &Principal, headers: &HeaderMap, view: PersonsView) -> PageResult {
    let generation = state.app.person_linkage_secret_generation(Acting::User(p)).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "exops-persons-title", "/peers");
    let status = view.check.status();
    let page = PersonsPage {
        generation: generation.map(|(g, at)| (g, format_time(&at))),
        typed_generation: view.typed_generation,
        year: view.year,
        sent: view.sent,
        stored: view.stored,
        check: view.check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

/// The problem of a refused input, at the input the field belongs to.
fn problem(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    error: AppError,
    place: impl Fn(&str) -> String,
) -> Result<FormProblem, PageError> {
    let tr = state.i18n.tr(language_of(Some(p), headers));
    Ok(FormProblem::of(&tr, error, place, |tr, at, field| {
        let id = format!("exops-field-{}", at.replace('_', "-"));
        let label = tr.t(&id);
        if label == id { field.to_owned() } else { label }
    })?)
}

async fn persons(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<PersonsQuery>,
) -> PageResult {
    let view = PersonsView {
        typed_generation: String::new(),
        year: String::new(),
        sent: None,
        stored: q.stored.is_some(),
        check: FormProblem::none(),
    };
    persons_page(&state, &p, &headers, view).await
}

async fn store_secret(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<SecretForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    match state.app.store_person_linkage_secret(&p, &f.generation, &f.secret).await {
        Ok(()) => Ok(see_other("/peers/persons?stored=1")),
        Err(e) => {
            // the secret typed is never shown back, not even when refused
            let check = problem(&state, &p, &headers, e, |field| {
                if field == "generation" { "generation".into() } else { "secret".into() }
            })?;
            let view =
                PersonsView { typed_generation: f.generation, year: String::new(), sent: None, stored: false, check };
            persons_page(&state, &p, &headers, view).await
        }
    }
}

async fn send_encodings(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<EncodingsForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    // a year that is no number is refused by the use case like any other out of range, after
    // it decided whether the user may send at all
    let year = f.year.trim().parse::<u16>().unwrap_or(0);
    let sent = state.app.send_person_encodings(&p, year).await;
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let view = match sent {
        Ok(d) => PersonsView {
            typed_generation: String::new(),
            year: f.year,
            sent: Some(match d.error {
                None => tr.args(
                    "exops-persons-sent",
                    &[("persons", &d.persons.to_string()), ("year", &d.year.to_string()), ("receiver", &d.receiver)],
                ),
                Some(error) => format!("{}: {error}", tr.t("exops-persons-failed")),
            }),
            stored: false,
            check: FormProblem::none(),
        },
        Err(e) => {
            let check = problem(&state, &p, &headers, e, |field| {
                if field == "secret" || field == "receiver" { field.to_owned() } else { "year".into() }
            })?;
            PersonsView { typed_generation: String::new(), year: f.year, sent: None, stored: false, check }
        }
    };
    persons_page(&state, &p, &headers, view).await
}

// ----- this instance's own keys -------------------------------------------------------------------

struct OwnKeyLine {
    key_id: String,
    kind: String,
    status: String,
    status_code: &'static str,
    valid_from: String,
    valid_until: String,
    in_use: bool,
}

#[derive(Template)]
#[template(path = "peers_own_keys.html")]
struct OwnKeysPage<'a> {
    ctx: PageCtx<'a>,
    keys: Vec<OwnKeyLine>,
    overlap_days: String,
    /// The signed entry to hand to every peer after a change.
    entry: Option<String>,
    /// The revocation form as typed: the key chosen and the reason.
    revoke_key: String,
    reason: String,
    /// After a revocation: the peers the entry was queued to.
    announced: Option<String>,
    check: FormProblem,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RevocationForm {
    key_id: String,
    reason: String,
}

/// What the revocation form holds, and what a revocation answered.
#[derive(Default)]
struct RevocationView {
    revoke_key: String,
    reason: String,
    announced: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RotationForm {
    overlap_days: String,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RetirementForm {}

async fn own_keys_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    overlap_days: String,
    entry: Option<String>,
    check: FormProblem,
    revocation: RevocationView,
) -> PageResult {
    let keys = state.app.own_keys(Acting::User(p)).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "exops-keys-title", "/peers");
    let keys = keys
        .iter()
        .map(|k| OwnKeyLine {
            key_id: k.key_id.clone(),
            kind: ctx.t(&format!("exops-key-kind-{}", k.kind)),
            status: ctx.t(&format!("peers-status-{}", k.status)),
            status_code: k.status,
            valid_from: format_time(&k.valid_from),
            valid_until: k.valid_until.as_ref().map(format_time).unwrap_or_default(),
            in_use: k.in_use,
        })
        .collect();
    let status = check.status();
    let RevocationView { revoke_key, reason, announced } = revocation;
    Ok(with_status(
        render(&OwnKeysPage { ctx, keys, overlap_days, entry, revoke_key, reason, announced, check }),
        status,
    ))
}

async fn own_keys(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let days = DEFAULT_OVERLAP_DAYS.to_string();
    own_keys_page(&state, &p, &headers, days, None, FormProblem::none(), RevocationView::default()).await
}

async fn rotate(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<RotationForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    let typed = f.overlap_days.trim();
    // what is no number is refused by the use case as out of range, once it decided who may
    let days = if typed.is_empty() { DEFAULT_OVERLAP_DAYS } else { typed.parse::<i64>().unwrap_or(0) };
    match state.app.rotate_own_keys(Acting::User(&p), days).await {
        Ok(r) => {
            let none = FormProblem::none();
            own_keys_page(&state, &p, &headers, f.overlap_days, Some(r.entry_json), none, RevocationView::default())
                .await
        }
        Err(e) => {
            let check = problem(&state, &p, &headers, e, |_| "overlap_days".into())?;
            own_keys_page(&state, &p, &headers, f.overlap_days, None, check, RevocationView::default()).await
        }
    }
}

async fn retire(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<RetirementForm>, PageError>,
) -> PageResult {
    let _ = form?;
    let days = DEFAULT_OVERLAP_DAYS.to_string();
    match state.app.retire_own_keys(Acting::User(&p)).await {
        Ok(r) => {
            let none = FormProblem::none();
            own_keys_page(&state, &p, &headers, days, Some(r.entry_json), none, RevocationView::default()).await
        }
        Err(e) => {
            let check = problem(&state, &p, &headers, e, |_| String::new())?;
            own_keys_page(&state, &p, &headers, days, None, check, RevocationView::default()).await
        }
    }
}

/// Revokes one of this instance's keys at once, for the reason given; the entry listing it
/// revoked is queued to every pinned peer and shown to hand over as well.
async fn revoke(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<RevocationForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    let days = DEFAULT_OVERLAP_DAYS.to_string();
    match state.app.revoke_own_key(Acting::User(&p), &f.key_id, &f.reason).await {
        Ok(r) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let announced = if r.announced_to.is_empty() {
                tr.t("exops-revoked-nobody")
            } else {
                tr.args("exops-revoked-announced", &[("key", &r.key_id), ("peers", &r.announced_to.join(", "))])
            };
            let view = RevocationView { revoke_key: String::new(), reason: String::new(), announced: Some(announced) };
            own_keys_page(&state, &p, &headers, days, Some(r.entry_json), FormProblem::none(), view).await
        }
        Err(e) => {
            let check =
                problem(
                    &state,
                    &p,
                    &headers,
                    e,
                    |field| if field == "reason" { "reason".into() } else { "key_id".into() },
                )?;
            let view = RevocationView { revoke_key: f.key_id, reason: f.reason, announced: None };
            own_keys_page(&state, &p, &headers, days, None, check, view).await
        }
    }
}
