//! The re-link jobs of the person register (`/persons/relink`): the data officer starts a full
//! re-link of the persons in the background and follows its progress and outcome.

use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, field_label, format_time, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::Principal;
use haven_app::ident::RelinkJob;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/persons/relink", get(jobs_page).post(start))
}

/// How many jobs the page lists.
const SHOWN: u32 = 20;

/// A job as the page shows it.
struct JobView {
    state_code: String,
    state: String,
    started_at: String,
    ended_at: String,
    started_by: String,
    done: i64,
    total: i64,
    /// Whole per cent of the registrations read.
    percent: i64,
    /// How it ended, as the engine said it (English, no personal data).
    detail: String,
    interrupted: bool,
    current_model: bool,
}

#[derive(Template)]
#[template(path = "person_relink.html")]
struct RelinkPage<'a> {
    ctx: PageCtx<'a>,
    jobs: Vec<JobView>,
    running: bool,
    check: FormProblem,
}

fn job_view(tr: &Tr<'_>, p: &Principal, j: RelinkJob) -> JobView {
    let state = match j.state.as_str() {
        "running" => "relink-state-running",
        "done" => "relink-state-done",
        _ => "relink-state-failed",
    };
    let by = match j.started_by.as_deref() {
        None => "relink-by-platform",
        Some("operator") => "relink-by-operator",
        Some(id) if id == p.user.id => "relink-by-you",
        Some(_) => "relink-by-user",
    };
    let percent = if j.total > 0 { (j.done.min(j.total) * 100) / j.total } else { 0 };
    let detail = j.detail.unwrap_or_default();
    JobView {
        state: tr.t(state),
        state_code: j.state,
        started_at: format_time(&j.started_at),
        ended_at: j.ended_at.as_ref().map(format_time).unwrap_or_default(),
        started_by: tr.t(by),
        done: j.done,
        total: j.total,
        percent,
        interrupted: detail.starts_with("interrupted"),
        detail,
        current_model: j.current_model,
    }
}

async fn page(state: &AppState, p: &Principal, headers: &HeaderMap, check: FormProblem) -> PageResult {
    let jobs = state.app.relink_jobs_for(p, SHOWN).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "relink-title", "/persons/review");
    let tr = ctx.tr;
    let status = check.status();
    let page = RelinkPage {
        jobs: jobs.jobs.into_iter().map(|j| job_view(&tr, p, j)).collect(),
        running: jobs.running,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn jobs_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    page(&state, &p, &headers, FormProblem::none()).await
}

#[derive(Deserialize)]
struct StartInput {
    /// The checkbox: sent (as `on`) when ticked.
    #[serde(default)]
    confirm: Option<String>,
}

impl StartInput {
    fn confirmed(&self) -> bool {
        matches!(self.confirm.as_deref().map(str::trim), Some("on" | "true" | "yes"))
    }
}

async fn start(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<StartInput>,
) -> PageResult {
    match state.app.start_relink_for(&p, form.input.confirmed()).await {
        Ok(_) => Ok(see_other("/persons/relink")),
        Err(e) => {
            // the form again, with the jobs as they are now and the problem at its input
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = FormProblem::of(&tr, e, str::to_owned, |tr, _, field| field_label(tr, field))?;
            page(&state, &p, &headers, check).await
        }
    }
}
