//! The audit log: the chain verified (or the break found), and the latest entries.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, can, format_time, label_of, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::AppError;
use haven_app::admin::Acting;
use haven_domain::access::{CaseScope, may_read_access_history};
use haven_domain::{Jurisdiction, Permission};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(show))
}

/// How many of the newest entries the page shows.
const LATEST: i64 = 100;

struct EntryLine {
    seq: i64,
    at: String,
    action: String,
    outcome: String,
    failed: bool,
    actor: String,
    target: String,
    detail: String,
    /// The access history of the case the entry is about, where the reader may open it.
    history: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    ctx: PageCtx<'a>,
    /// The chain verified: a sentence saying how many entries, the head's number and MAC.
    verified: Option<(String, i64, String)>,
    broken: Option<String>,
    entries: Vec<EntryLine>,
}

async fn show(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    state.app.require(&p, Permission::ReadAuditLog).await?;
    let (verified, broken, after) = match state.app.verify_audit().await {
        Ok(v) => {
            let after = (v.head_seq - LATEST).max(0);
            (Some((v.entries, v.head_seq, v.head_mac)), None, Some(after))
        }
        Err(AppError::Conflict(m)) => (None, Some(m), None),
        Err(e) => return Err(e.into()),
    };
    // With a broken chain the head is not to be trusted: show the entries from the start.
    let rows = state.app.audit_log(&p, after.unwrap_or(0), if after.is_some() { LATEST } else { 1000 }).await?;
    // Names instead of identifiers where the administrator may see them.
    let users: HashMap<String, String> = match state.app.users(Acting::User(&p)).await {
        Ok(u) => u.into_iter().map(|u| (u.id, u.username)).collect(),
        Err(AppError::Forbidden) => HashMap::new(),
        Err(e) => return Err(e.into()),
    };
    // Access histories the reader may open: the access module decides from the case's owner.
    let jurisdictions: HashMap<String, Jurisdiction> = match state.app.organisations(Acting::User(&p)).await {
        Ok(o) => o.into_iter().map(|o| (o.id, o.jurisdiction)).collect(),
        Err(AppError::Forbidden) => HashMap::new(),
        Err(e) => return Err(e.into()),
    };
    let may_open_history = |owner: &str| {
        jurisdictions.get(owner).is_some_and(|j| {
            let scope = CaseScope {
                owner_organisation_id: owner.to_owned(),
                jurisdiction: *j,
                shares: vec![],
                referred: false,
            };
            can(&p, Permission::ReadAccessHistory) && may_read_access_history(&p.actor, &scope)
        })
    };
    let skip = rows.len().saturating_sub(usize::try_from(LATEST).unwrap_or(100));
    let ctx = PageCtx::new(&state, Some(&p), &headers, "audit-title", "/admin/audit");
    let verified = verified.map(|(n, seq, mac)| (ctx.tr.t1("audit-verified", "entries", &n.to_string()), seq, mac));
    let entries = rows
        .iter()
        .skip(skip)
        .map(|r| {
            let e = &r.event;
            EntryLine {
                seq: r.seq,
                at: format_time(&e.at),
                action: label_of(&ctx.tr, "audit-action", e.action),
                outcome: label_of(&ctx.tr, "audit-outcome", e.outcome),
                failed: e.outcome != haven_domain::audit::AuditOutcome::Success,
                actor: e
                    .actor_user_id
                    .as_ref()
                    .map(|id| users.get(id).cloned().unwrap_or_else(|| id.clone()))
                    .unwrap_or_default(),
                target: match (&e.target_kind, &e.target_id) {
                    (Some(k), Some(id)) => format!("{k} {id}"),
                    (Some(k), None) => k.clone(),
                    _ => String::new(),
                },
                detail: e.detail.clone().unwrap_or_default(),
                history: match (e.target_kind.as_deref(), &e.target_id, &e.target_organisation_id) {
                    (Some("case"), Some(id), Some(owner)) if may_open_history(owner) => {
                        Some(format!("/cases/{id}/history"))
                    }
                    _ => None,
                },
            }
        })
        .collect();
    Ok(render(&AuditPage { ctx, verified, broken, entries }))
}
