//! The deadlines dashboard (`/deadlines`): the statutory clocks of the cases in the reader's
//! scope, overdue and due soon first.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::ident::DeadlineItem;
use haven_domain::Coded;

pub fn router() -> Router<AppState> {
    Router::new().route("/deadlines", get(deadlines))
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage<'a> {
    ctx: PageCtx<'a>,
    items: Vec<DeadlineItem>,
    overdue: usize,
    due_soon: usize,
}

async fn deadlines(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let items = state.app.deadlines(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "deadlines-title", "/deadlines");
    let overdue = items.iter().filter(|i| i.clock.state == "overdue").count();
    let due_soon = items.iter().filter(|i| i.clock.state == "due_soon" || i.clock.state == "due_today").count();
    Ok(render(&DeadlinesPage { ctx, items, overdue, due_soon }))
}
