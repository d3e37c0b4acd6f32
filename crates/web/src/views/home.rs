//! The home page: what waits for this user (the counts of their work queues) and what they can
//! do, by role; and the queue of assessments waiting for approval.

use super::{PageCtx, can, error_page, format_time, render};
use crate::AppState;
use crate::extract::{MaybeAuth, SignedIn};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use haven_app::Principal;
use haven_app::queues::AssessmentToReview;
use haven_domain::{Coded, Permission};
use std::collections::BTreeSet;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/assessments/to-review", get(to_review))
}

/// A task offered on the home page.
pub struct Task {
    pub href: &'static str,
    pub title: String,
    pub description: String,
}

/// A work queue on the home page: how many items wait, and where they are.
pub struct QueueLine {
    pub href: &'static str,
    pub count: usize,
    pub label: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: PageCtx<'a>,
    roles: Vec<String>,
    queues: Vec<QueueLine>,
    tasks: Vec<Task>,
}

const TASKS: &[(&str, &str, Permission)] = &[
    ("/cases/new", "task-register", Permission::RegisterCase),
    ("/cases", "task-cases", Permission::ListCases),
    ("/assessments/to-review", "task-to-review", Permission::ReviewAssessments),
    ("/referrals", "task-referrals", Permission::ManageReferrals),
    ("/deadlines", "task-deadlines", Permission::ReadDeadlines),
    ("/statistics", "task-statistics", Permission::ReadStatistics),
    ("/admin/organisations", "task-organisations", Permission::ManageOrganisations),
    ("/admin/users", "task-users", Permission::ManageUsers),
    ("/admin/audit", "task-audit", Permission::ReadAuditLog),
    ("/account", "task-account", Permission::Authenticated),
];

/// The queues of this user, with their counts (a queue the user's roles lack is not shown).
async fn queues(state: &AppState, p: &Principal, ctx: &PageCtx<'_>) -> Result<Vec<QueueLine>, haven_app::AppError> {
    let counts = state.app.queue_counts(p).await?;
    let mut out = Vec::new();
    let mut line = |href: &'static str, count: usize, id: &str| {
        out.push(QueueLine { href, count, label: ctx.t(id) });
    };
    if let Some(n) = counts.assessments_to_review {
        line("/assessments/to-review", n, "queue-assessments");
    }
    if let Some(n) = counts.referrals_received {
        line("/referrals?mailbox=inbox", n, "queue-referrals-received");
    }
    if let Some(n) = counts.referrals_overdue {
        line("/referrals?mailbox=overdue", n, "queue-referrals-overdue");
    }
    if can(p, Permission::ReadDeadlines) {
        let items = state.app.deadlines(p).await?;
        if can(p, Permission::DecideStatus) {
            let waiting: BTreeSet<&str> = items
                .iter()
                .filter(|i| matches!(i.nrm_status.as_str(), "referred" | "presumed_victim"))
                .map(|i| i.case_id.as_str())
                .collect();
            line("/deadlines", waiting.len(), "queue-decisions");
        }
        let overdue = items.iter().filter(|i| i.clock.state == "overdue").count();
        line("/deadlines", overdue, "queue-deadlines-overdue");
    }
    Ok(out)
}

async fn home(State(state): State<AppState>, MaybeAuth(p): MaybeAuth, headers: HeaderMap) -> Response {
    let Some(p) = p else { return super::see_other("/login") };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "home-title", "/");
    let queues = match queues(&state, &p, &ctx).await {
        Ok(q) => q,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let task = |href: &'static str, id: &str| Task {
        href,
        title: ctx.t(id),
        description: ctx.t(&format!("{id}-description")),
    };
    let mut tasks: Vec<Task> =
        TASKS.iter().filter(|(_, _, perm)| can(&p, *perm)).map(|(href, id, _)| task(href, id)).collect();
    // Access histories open from the audit log's lines about cases: offered where both open.
    if can(&p, Permission::ReadAuditLog) && can(&p, Permission::ReadAccessHistory) {
        tasks.insert(tasks.len().saturating_sub(1), task("/admin/audit", "task-history"));
    }
    let roles = p.user.roles.iter().map(|r| ctx.t(&format!("role-{}", r.code()))).collect();
    render(&HomePage { ctx, roles, queues, tasks })
}

/// An assessment in the approvals queue, as a line.
pub struct ReviewLine {
    pub href: String,
    pub reference: String,
    pub seq: i64,
    pub assessed_on: String,
    pub submitted_at: String,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "queue_assessments.html")]
struct ToReviewPage<'a> {
    ctx: PageCtx<'a>,
    lines: Vec<ReviewLine>,
}

fn line_of(a: &AssessmentToReview) -> ReviewLine {
    ReviewLine {
        href: format!("/cases/{}/support", a.case_id),
        reference: a.reference.clone(),
        seq: a.seq,
        assessed_on: a.assessed_on.clone(),
        submitted_at: format_time(&a.submitted_at),
        mine: a.mine,
    }
}

async fn to_review(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> Response {
    let list = match state.app.assessments_to_review(&p).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "queue-assessments-title", "/assessments/to-review");
    render(&ToReviewPage { ctx, lines: list.iter().map(line_of).collect() })
}
