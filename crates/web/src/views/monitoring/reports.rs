//! The rapporteur's annual report (`/monitoring/reports`, `/monitoring/report?year=`;
//! docs/monitoring.md, "The annual report"): the reports of the user's jurisdiction, one report
//! assembled with the rapporteur's narrative forms, and its print-ready HTML
//! (`/monitoring/report/print?year=`, styled by the served `report.css`). The DOCX is in the
//! API (`/api/v1/monitoring/report/docx`). Each handler calls one use case of
//! `haven_app::annual_report`, where access is decided (`authorize_annual_report`).

use super::report_doc::{Doc, document};
use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::annual_report::{FinaliseRequest, SectionRequest};
use haven_app::{AppError, Principal};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring/reports", get(index))
        .route("/monitoring/report", get(report_page))
        .route("/monitoring/report/print", get(print_page))
        .route("/monitoring/report/sections", post(save_section))
        .route("/monitoring/report/finalise", post(finalise))
}

/// The year asked (empty: this year).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: String,
}

struct ReportLink {
    year: u16,
    href: String,
    status: String,
    sections: usize,
}

#[derive(Template)]
#[template(path = "monitoring_reports.html")]
struct IndexPage<'a> {
    ctx: PageCtx<'a>,
    reports: Vec<ReportLink>,
    years: Vec<ReportLink>,
    may_draft: bool,
}

async fn index(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let view = state.app.annual_reports(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "report-list-title", "/monitoring");
    let tr = ctx.tr;
    let link = |year: u16, status: String, sections: usize| ReportLink {
        year,
        href: format!("/monitoring/report?year={year}"),
        status,
        sections,
    };
    Ok(render(&IndexPage {
        reports: view
            .reports
            .iter()
            .map(|r| link(r.year, label_of(&tr, "report-status", r.status), r.sections))
            .collect(),
        years: view.years.iter().map(|y| link(*y, String::new(), 0)).collect(),
        may_draft: view.may_draft,
        ctx,
    }))
}

/// A narrative section's form as shown: its place, what it holds (or what was typed).
struct SectionForm {
    position: usize,
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "monitoring_report.html")]
struct ReportPage<'a> {
    ctx: PageCtx<'a>,
    doc: Doc,
    year: u16,
    version: i64,
    may_draft: bool,
    may_finalise: bool,
    sections: Vec<SectionForm>,
    new_title: String,
    new_text: String,
    check: FormProblem,
}

fn problem(state: &AppState, p: &Principal, headers: &HeaderMap, e: AppError) -> Result<FormProblem, PageError> {
    let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
    FormProblem::of(&tr, e, str::to_owned, |tr, at, _| tr.t(&format!("report-field-{at}"))).map_err(PageError::from)
}

async fn show(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    year: &str,
    typed: Option<&FormPairs>,
    check: FormProblem,
) -> PageResult {
    let view = state.app.annual_report(p, year).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "report-title", "/monitoring");
    let doc = document(&ctx.tr, &view);
    let typed_value = |name: &str| {
        typed
            .and_then(|t| t.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .filter(|_| typed.is_some_and(|t| !t.0.iter().any(|(k, v)| k == "position" && !v.is_empty())))
            .unwrap_or_default()
    };
    let status = check.status();
    let page = ReportPage {
        year: view.report.year,
        version: view.version,
        may_draft: view.may_draft,
        may_finalise: view.may_finalise,
        sections: view
            .report
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| SectionForm { position: i + 1, title: s.title.clone(), text: s.text.clone() })
            .collect(),
        new_title: typed_value("title"),
        new_text: typed_value("text"),
        doc,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn report_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> PageResult {
    show(&state, &p, &headers, &q.year, None, FormProblem::none()).await
}

#[derive(Template)]
#[template(path = "monitoring_report_print.html")]
struct PrintPage<'a> {
    ctx: PageCtx<'a>,
    doc: Doc,
    stylesheet: &'static str,
}

/// The print-ready HTML of a report, in the reader's language (audited as an export).
pub(crate) async fn print_html(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    year: &str,
    stylesheet: &'static str,
) -> Result<String, PageError> {
    let view = state.app.annual_report(p, year).await?;
    state.app.audit_report_export(p, view.report.year, "html").await?;
    let ctx = PageCtx::new(state, Some(p), headers, "report-title", "/monitoring");
    let doc = document(&ctx.tr, &view);
    PrintPage { ctx, doc, stylesheet }.render().map_err(|e| PageError::from(AppError::Internal(Box::new(e))))
}

async fn print_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let html = print_html(&state, &p, &headers, &q.year, "/assets/report.css").await?;
    Ok(axum::response::IntoResponse::into_response(axum::response::Html(html)))
}

async fn save_section(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<SectionRequest>,
) -> PageResult {
    match state.app.save_report_section(&p, &form.input).await {
        Ok(report) => Ok(see_other(&format!("/monitoring/report?year={}#narrative", report.year))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e)?;
            show(&state, &p, &headers, &form.input.year, Some(&form.pairs), check).await
        }
    }
}

async fn finalise(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<FinaliseRequest>,
) -> PageResult {
    match state.app.finalise_annual_report(&p, &form.input).await {
        Ok(report) => Ok(see_other(&format!("/monitoring/report?year={}", report.year))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e)?;
            show(&state, &p, &headers, &form.input.year, None, check).await
        }
    }
}
