//! `/statistics/releases`: making a release (its preview first, then publishing it), reading its
//! report, its tables and downloads, and sending it to the EU hub.

use super::shared::{Headline, YearParam, code_label, headlines, problems_page, table_chart, table_title};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{FormPairs, SignedIn};
use crate::views::charts::Chart;
use crate::views::{PageCtx, can, error_page, format_time, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::error::Refusal;
use haven_app::stats::{Release, ReleasePreview, ReleaseRequest, ReleaseSummary, ShownCell};
use haven_app::{AppError, Principal};
use haven_domain::Permission;
use haven_stats::{CellKey, TableSpec};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics/releases", get(releases_page).post(create_release))
        .route("/statistics/releases/preview", post(preview_release))
        .route("/statistics/releases/{id}", get(release_page))
        .route("/statistics/releases/{id}/submit", post(submit_release))
        .route("/statistics/releases/{id}/send-to-hub", post(super::exchange::send_to_hub))
        .route("/statistics/releases/{id}/tables/{table}", get(table_page))
}

#[derive(Template)]
#[template(path = "stats_releases.html")]
struct ReleasesPage<'a> {
    ctx: PageCtx<'a>,
    releases: Vec<ReleaseSummary>,
    can_publish: bool,
    year: String,
    mode: String,
    threshold: String,
    protection: String,
    mechanism: String,
    epsilon: String,
    delta: String,
    budget: Option<haven_app::stats::BudgetView>,
    error: Option<(String, String)>,
}

fn releases_view(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    releases: Vec<ReleaseSummary>,
    form: &FormPairs,
    budget: Option<haven_app::stats::BudgetView>,
    error: Option<(String, String)>,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "stats-releases-title", "/statistics");
    let get = |k: &str, d: &str| form.get(k).map(str::to_owned).unwrap_or_else(|| d.to_owned());
    let page = ReleasesPage {
        releases,
        can_publish: can(p, Permission::PublishStatistics),
        year: get("year", &budget.as_ref().map_or(2026, |b| b.year).to_string()),
        mode: get("mode", "suppression"),
        threshold: get("threshold", "5"),
        protection: get("protection", "5"),
        mechanism: get("mechanism", "laplace"),
        epsilon: get("epsilon", "1"),
        delta: get("delta", ""),
        budget,
        error,
        ctx,
    };
    render(&page)
}

async fn releases_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<YearParam>,
) -> Response {
    // The EU level makes no releases: it receives the member states' (the EU page).
    if p.organisation.jurisdiction.code() == "EU" {
        return see_other("/statistics/eu");
    }
    let releases = match state.app.releases(&p, None).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let year = q.year.or_else(|| releases.first().map(|r| r.year)).unwrap_or(2026);
    let budget = state.app.privacy_budget(&p, year).await.ok();
    releases_view(&state, &p, &headers, releases, &FormPairs(vec![]), budget, None)
}

/// The request a release form describes, or the field at fault with what to do, in the user's
/// language.
fn release_request(state: &AppState, p: &Principal, form: &FormPairs) -> Result<ReleaseRequest, (String, String)> {
    let tr = state.i18n.tr(p.user.language);
    let number = |k: &str| form.get(k).map(str::trim).filter(|v| !v.is_empty()).map(|v| v.parse::<u64>());
    let year = form.get("year").unwrap_or_default().trim().parse::<u16>();
    let (threshold, protection) = (number("threshold"), number("protection"));
    let year = match (year, &threshold, &protection) {
        (Err(_), _, _) => return Err(("year".to_owned(), tr.t("stats-error-year"))),
        (_, Some(Err(_)), _) => return Err(("threshold".to_owned(), tr.t("stats-error-number"))),
        (_, _, Some(Err(_))) => return Err(("protection".to_owned(), tr.t("stats-error-number"))),
        (Ok(year), _, _) => year,
    };
    let mode = form.get("mode").unwrap_or_default().to_owned();
    let dp = mode == "dp";
    Ok(ReleaseRequest {
        year,
        threshold: if dp { None } else { threshold.and_then(Result::ok) },
        protection: if dp { None } else { protection.and_then(Result::ok) },
        mechanism: dp.then(|| form.get("mechanism").unwrap_or("laplace").to_owned()),
        epsilon: dp.then(|| form.get("epsilon").unwrap_or_default().to_owned()),
        delta: if dp { form.get("delta").map(str::to_owned) } else { None },
        mode,
    })
}

/// A refusal of release control in the user's language, with what is at fault.
fn refusal_text(state: &AppState, p: &Principal, r: &Refusal) -> String {
    state.i18n.tr(p.user.language).t1(r.message_id, r.arg.0, &r.arg.1)
}

/// The releases page again with the form as filled in and what is wrong with it (422).
async fn form_again(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    form: &FormPairs,
    error: (String, String),
) -> Response {
    let releases = state.app.releases(p, None).await.unwrap_or_default();
    let budget = match form.get("year").and_then(|y| y.trim().parse::<u16>().ok()) {
        Some(y) => state.app.privacy_budget(p, y).await.ok(),
        None => None,
    };
    let mut response = releases_view(state, p, headers, releases, form, budget, Some(error));
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn create_release(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<FormPairs, WebError>,
) -> Response {
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let req = match release_request(&state, &p, &form) {
        Ok(r) => r,
        Err(e) => return form_again(&state, &p, &headers, &form, e).await,
    };
    let error = match state.app.create_release(&p, &req).await {
        Ok(r) => return see_other(&format!("/statistics/releases/{}", r.id)),
        Err(AppError::Invalid(e)) => (e.field.clone(), state.i18n.tr(p.user.language).problem(&e)),
        Err(AppError::Conflict(m)) => ("budget".to_owned(), m),
        Err(AppError::ConflictSaid { message, .. }) => {
            ("budget".to_owned(), state.i18n.tr(p.user.language).msg(&message))
        }
        Err(AppError::Refused(r)) => {
            let mut said = refusal_text(&state, &p, &r);
            if !r.items.is_empty() {
                said.push(' ');
                said.push_str(&r.items.join(", "));
            }
            ("mode".to_owned(), said)
        }
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    form_again(&state, &p, &headers, &form, error).await
}

/// One table of a preview, laid out as on the table page.
struct PreviewTable {
    id: String,
    title: String,
    grid: Grid,
}

#[derive(Template)]
#[template(path = "stats_preview.html")]
struct PreviewPage<'a> {
    ctx: PageCtx<'a>,
    preview: ReleasePreview,
    mode_label: String,
    /// The refusal in the user's language, and the cells (or amounts) at fault.
    refusal: Option<(String, Vec<String>)>,
    tables: Vec<PreviewTable>,
    confidential: usize,
    /// The form's fields, carried to the publish button unchanged.
    fields: Vec<(String, String)>,
}

/// The dry run of a release: what it would publish and whether release control would refuse
/// it, in the user's language, with the button that publishes it. Nothing is stored and no
/// privacy budget is spent.
async fn preview_release(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<FormPairs, WebError>,
) -> Response {
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let req = match release_request(&state, &p, &form) {
        Ok(r) => r,
        Err(e) => return form_again(&state, &p, &headers, &form, e).await,
    };
    let preview = match state.app.preview_release(&p, &req).await {
        Ok(preview) => preview,
        Err(AppError::Invalid(e)) => {
            let problem = (e.field.clone(), state.i18n.tr(p.user.language).problem(&e));
            return form_again(&state, &p, &headers, &form, problem).await;
        }
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "stats-preview-title", "/statistics");
    let at_fault: std::collections::HashSet<&CellKey> = preview.at_fault.iter().collect();
    let tables = if preview.dataset.is_some() {
        preview
            .report
            .tables
            .iter()
            .map(|spec| PreviewTable {
                id: spec.id.clone(),
                title: table_title(&ctx, spec),
                grid: grid(&ctx, spec, &preview.cells(spec), &at_fault),
            })
            .collect()
    } else {
        Vec::new()
    };
    let refusal = preview.refusal.as_ref().map(|r| (refusal_text(&state, &p, r), r.items.clone()));
    let fields = ["year", "mode", "threshold", "protection", "mechanism", "epsilon", "delta"]
        .iter()
        .filter_map(|k| form.get(k).map(|v| ((*k).to_owned(), v.to_owned())))
        .collect();
    let page = PreviewPage {
        mode_label: ctx.t(&format!("stats-mode-{}", preview.mode)),
        confidential: preview
            .dataset
            .as_ref()
            .map_or(0, |d| d.observations.iter().filter(|o| o.conf.is_suppressed()).count()),
        refusal,
        tables,
        fields,
        preview,
        ctx,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "stats_release.html")]
struct ReleasePage<'a> {
    ctx: PageCtx<'a>,
    release: Release,
    mode_label: String,
    created: String,
    can_publish: bool,
    submitted: bool,
    confidential: usize,
    headlines: Vec<Headline>,
    offenders: bool,
    /// Sent to the EU hub over the exchange: how far it got.
    hub_delivery: Option<super::exchange::DeliveryView>,
    /// The hub's answer so far (delivery and acknowledgements): the progress code and its label.
    hub_answer: Option<(String, String)>,
}

#[derive(Debug, Deserialize)]
struct SubmittedParam {
    submitted: Option<String>,
}

async fn release_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<SubmittedParam>,
) -> Response {
    let release = match state.app.release(&p, &id).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let delivery = match state.app.hub_delivery(&p, &id).await {
        Ok(d) => d,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let answer = match state.app.hub_acknowledgement(&p, &id).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "stats-release-title", "/statistics");
    let page = ReleasePage {
        hub_answer: answer.map(|a| {
            let label = ctx.t(&format!("exops-progress-{}", a.progress));
            match a.refusal_reason {
                Some(reason) => (a.progress.to_owned(), format!("{label} ({reason})")),
                None => (a.progress.to_owned(), label),
            }
        }),
        hub_delivery: delivery.map(|d| super::exchange::DeliveryView::new(&ctx, d)),
        headlines: headlines(&ctx, &release),
        offenders: release.has_offenders(),
        mode_label: ctx.t(&format!("stats-mode-{}", release.mode)),
        created: format_time(&release.created_at),
        can_publish: can(&p, Permission::PublishStatistics),
        submitted: q.submitted.is_some(),
        confidential: release.dataset.observations.iter().filter(|o| o.conf.is_suppressed()).count(),
        release,
        ctx,
    };
    render(&page)
}

async fn submit_release(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = form {
        return error_page(&state, Some(&p), &headers, e);
    }
    match state.app.submit_release(&p, &id).await {
        Ok(_) => see_other(&format!("/statistics/releases/{id}?submitted=1")),
        Err(AppError::Rejected(problems)) => {
            problems_page(&state, &p, &headers, problems, format!("/statistics/releases/{id}"))
        }
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

struct Cell {
    text: String,
    confidential: bool,
    error: String,
    /// Release control finds the cell unprotected (previews only).
    at_fault: bool,
}

struct TableRow {
    label: String,
    total: bool,
    cells: Vec<Cell>,
}

/// A table laid out for a page: the first dimension down, the second across.
struct Grid {
    row_header: String,
    columns: Vec<String>,
    rows: Vec<TableRow>,
}

fn grid(
    ctx: &PageCtx<'_>,
    spec: &TableSpec,
    cells: &[ShownCell],
    at_fault: &std::collections::HashSet<&CellKey>,
) -> Grid {
    let show = |i: usize| {
        let c = cells.get(i);
        Cell {
            text: match c.map(|c| (c.value, c.conf)) {
                Some((_, s)) if s.is_suppressed() => "c".to_owned(),
                Some((Some(v), _)) => v.to_string(),
                _ => ":".to_owned(),
            },
            confidential: c.is_some_and(|c| c.conf.is_suppressed()),
            error: c.and_then(|c| c.error).map(|e| format!("±{e:.1}")).unwrap_or_default(),
            at_fault: !at_fault.is_empty() && at_fault.contains(&spec.key(i)),
        }
    };
    let (row_dim, col_dim) = (&spec.dims[0], spec.dims.get(1));
    let columns: Vec<String> = match col_dim {
        Some(d) => (0..d.positions()).map(|p| code_label(ctx, d.concept, d.code_at(p))).collect(),
        None => vec![ctx.t("stats-persons")],
    };
    let rows = (0..row_dim.positions())
        .map(|r| TableRow {
            label: code_label(ctx, row_dim.concept, row_dim.code_at(r)),
            total: r == row_dim.codes.len(),
            cells: match col_dim {
                Some(d) => (0..d.positions()).map(|c| show(spec.index(&[r, c]))).collect(),
                None => vec![show(r)],
            },
        })
        .collect();
    Grid { row_header: ctx.t(&format!("stat-concept-{}", row_dim.concept.id())), columns, rows }
}

#[derive(Template)]
#[template(path = "stats_table.html")]
struct TablePage<'a> {
    ctx: PageCtx<'a>,
    release_id: String,
    title: String,
    table_id: String,
    row_header: String,
    columns: Vec<String>,
    rows: Vec<TableRow>,
    chart: Option<Chart>,
    dp: bool,
}

async fn table_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, table)): Path<(String, String)>,
) -> Response {
    let release = match state.app.release(&p, &id).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let Some(spec) = release.table(&table).cloned() else {
        return error_page(&state, Some(&p), &headers, WebError::NotFound);
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "stats-table-title", "/statistics");
    let Grid { row_header, columns, rows } = grid(&ctx, &spec, &release.cells(&spec), &Default::default());
    let chart = table_chart(&ctx, &release, &spec.id, if spec.dims.len() > 1 { 1 } else { 0 }, true);
    let page = TablePage {
        release_id: release.id.clone(),
        title: table_title(&ctx, &spec),
        table_id: spec.id.clone(),
        row_header,
        columns,
        rows,
        chart,
        dp: release.mode == "dp",
        ctx,
    };
    render(&page)
}
