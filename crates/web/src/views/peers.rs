//! `/peers`: the focal point's page of the exchange: this instance's own entry (its signing key
//! id and the same grouped to read aloud), the pinned peers with their role, keys and each key's
//! status now, and forms to pin a peer, revoke a key and apply a rotation, through the use cases
//! of `haven_app::exchange_peers` (ManagePeers; every change audited there).

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
use haven_app::exchange_peers::{Peer, PeerKey};
use haven_app::{AppError, Principal};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/peers", get(list).post(add))
        .route("/peers/revoke", post(revoke))
        .route("/peers/rotation", post(rotate))
}

struct KeyLine {
    key_id: String,
    status: String,
    status_code: &'static str,
    valid_from: String,
}

struct PeerLine {
    instance_id: String,
    role: String,
    endpoint: String,
    pinned: String,
    signing: Vec<KeyLine>,
    encryption: Vec<KeyLine>,
}

struct Own {
    instance_id: String,
    role: String,
    signing_key_id: String,
    spoken: String,
    entry: String,
}

#[derive(Template)]
#[template(path = "peers.html")]
struct PeersPage<'a> {
    ctx: PageCtx<'a>,
    own: Option<Own>,
    peers: Vec<PeerLine>,
    entry: String,
    signing_key_id: String,
    rotation: String,
    done: bool,
    check: FormProblem,
    /// The focal point also sends the cross-border person count's encodings.
    focal_point: bool,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct AddForm {
    entry: String,
    signing_key_id: String,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RevokeForm {
    instance_id: String,
    key_id: String,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RotationForm {
    entry: String,
}

fn key_line(ctx: &PageCtx<'_>, k: &PeerKey) -> KeyLine {
    KeyLine {
        key_id: k.key_id.clone(),
        status: ctx.t(&format!("peers-status-{}", k.status)),
        status_code: k.status,
        valid_from: format_time(&k.valid_from),
    }
}

fn peer_line(ctx: &PageCtx<'_>, p: &Peer) -> PeerLine {
    PeerLine {
        instance_id: p.instance_id.clone(),
        role: ctx.t(&format!("peers-role-{}", p.role)),
        endpoint: p.endpoint.clone(),
        pinned: format_time(&p.pinned_at),
        signing: p.signing_keys.iter().map(|k| key_line(ctx, k)).collect(),
        encryption: p.encryption_keys.iter().map(|k| key_line(ctx, k)).collect(),
    }
}

/// What was typed, shown again with a problem.
#[derive(Default)]
struct Typed {
    entry: String,
    signing_key_id: String,
    rotation: String,
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: Typed,
    done: bool,
    check: FormProblem,
) -> PageResult {
    let peers = state.app.peers(Acting::User(p)).await?;
    let own = match state.app.own_directory_entry(Acting::User(p)).await {
        Ok(own) => Some(own),
        // No identity yet: the page says so (the operator makes it at the console).
        Err(AppError::Invalid(e)) if e.field == "instance_id" => None,
        Err(e) => return Err(e.into()),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "peers-title", "/peers");
    let own = own.map(|o| Own {
        role: ctx.t(&format!("peers-role-{}", o.identity.role)),
        instance_id: o.identity.instance_id,
        signing_key_id: o.identity.signing_key_id,
        spoken: o.identity.signing_key_spoken,
        entry: o.json,
    });
    let status = check.status();
    let page = PeersPage {
        own,
        peers: peers.iter().map(|x| peer_line(&ctx, x)).collect(),
        entry: typed.entry,
        signing_key_id: typed.signing_key_id,
        rotation: typed.rotation,
        done,
        check,
        focal_point: crate::views::can(p, haven_domain::Permission::ActAsFocalPoint),
        ctx,
    };
    Ok(with_status(render(&page), status))
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    page(&state, &p, &headers, Typed::default(), q.done.is_some(), FormProblem::none()).await
}

/// The page again with the problem at the input `place(field)`.
async fn refused(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: Typed,
    error: AppError,
    place: impl Fn(&str) -> String,
) -> PageResult {
    let tr = state.i18n.tr(language_of(Some(p), headers));
    let check = FormProblem::of(&tr, error, place, |tr, at, field| {
        let id = format!("peers-{}", at.split_once('-').map_or(at, |(_, rest)| rest).replace('_', "-"));
        let label = tr.t(&id);
        if label == id { field.to_owned() } else { label }
    })?;
    page(state, p, headers, typed, false, check).await
}

async fn add(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<AddForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    match state.app.add_peer(Acting::User(&p), f.entry.trim().as_bytes(), &f.signing_key_id).await {
        Ok(_) => Ok(see_other("/peers?done=1")),
        Err(e) => {
            let typed = Typed { entry: f.entry, signing_key_id: f.signing_key_id, ..Typed::default() };
            refused(&state, &p, &headers, typed, e, |field| {
                if field == "signing_key_id" { "add-signing_key_id".into() } else { "add-entry".into() }
            })
            .await
        }
    }
}

async fn revoke(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<RevokeForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    match state.app.revoke_peer_key(Acting::User(&p), &f.instance_id, &f.key_id).await {
        Ok(_) => Ok(see_other("/peers?done=1")),
        Err(e) => refused(&state, &p, &headers, Typed::default(), e, |_| String::new()).await,
    }
}

async fn rotate(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<RotationForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    match state.app.apply_peer_rotation(Acting::User(&p), f.entry.trim().as_bytes()).await {
        Ok(_) => Ok(see_other("/peers?done=1")),
        Err(e) => {
            let typed = Typed { rotation: f.entry, ..Typed::default() };
            refused(&state, &p, &headers, typed, e, |_| "rotate-entry".into()).await
        }
    }
}
