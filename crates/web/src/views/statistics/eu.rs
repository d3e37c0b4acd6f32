//! `/statistics/eu`: the EU collection (who has submitted, EU totals by country with coverage)
//! and receiving a file.

use super::shared::{YearParam, key_label, problems_page};
use crate::AppState;
use crate::error::WebError;
use crate::extract::SignedIn;
use crate::views::charts::{self, Chart, Group, Point};
use crate::views::{PageCtx, can, error_page, format_time, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::stats::FileFormat;
use haven_app::{AppError, Principal, Problem};
use haven_domain::Permission;
use haven_stats::{CellKey, Concept, Indicator, TOTAL};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics/eu", get(eu_page))
        .route("/statistics/eu/submissions", post(upload))
        .route("/statistics/eu/submissions/{id}/evidence", get(super::exchange::evidence))
}

struct StatusRow {
    country: String,
    status: String,
    files: usize,
    last: String,
}

struct EuRow {
    label: String,
    total: String,
    reported: usize,
    confidential: String,
    unknown: String,
    not_submitted: usize,
}

#[derive(Template)]
#[template(path = "stats_eu.html")]
struct EuPage<'a> {
    ctx: PageCtx<'a>,
    year: u16,
    years: Vec<u16>,
    statuses: Vec<StatusRow>,
    submitted: usize,
    expected: usize,
    voluntary: usize,
    statement: String,
    chart: Chart,
    rows: Vec<EuRow>,
    can_upload: bool,
    countries: Vec<&'static str>,
    csrf_query: String,
    /// A national user, who also has the national statistics pages.
    national: bool,
    /// Every submission of the year, with how it came (signed over the channel or uploaded).
    sources: Vec<super::exchange::SourceRow>,
}

async fn eu_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<YearParam>,
) -> Response {
    let years = match state.app.hub_years(&p).await {
        Ok(y) => y,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let year = q.year.or_else(|| years.first().copied()).unwrap_or(2026);
    let (statuses, aggregate, datasets) = match futures_join(&state, &p, year).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let sources = match state.app.submissions_with_source(&p, year).await {
        Ok(s) => s,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "stats-eu-title", "/statistics");
    let sources: Vec<super::exchange::SourceRow> =
        sources.into_iter().map(|s| super::exchange::SourceRow::new(&ctx, s)).collect();
    let status_rows: Vec<StatusRow> = statuses
        .iter()
        .map(|s| StatusRow {
            country: s.country.clone(),
            status: ctx.t(&format!("stats-status-{}", s.status)),
            files: s.files,
            last: s.last_submitted_at.as_ref().map(format_time).unwrap_or_default(),
        })
        .collect();
    let total_key = CellKey { indicator: Indicator::Registered, codes: vec![] };
    let groups: Vec<Group> = datasets
        .iter()
        .map(|d| {
            let o = d.observations.iter().find(|o| o.key == total_key);
            Group {
                label: d.country.clone(),
                points: vec![Point {
                    value: o.and_then(|o| o.value),
                    confidential: o.is_some_and(|o| o.conf.is_suppressed()),
                }],
            }
        })
        .collect();
    let chart =
        charts::chart("chart-eu", ctx.t("stats-chart-eu"), &[ctx.t("stats-persons")], &groups, "#eu-totals".into());
    let rows = aggregate
        .cells
        .iter()
        .filter(|c| c.key.codes.len() <= 1 && c.key.code(Concept::Citizen) == TOTAL)
        .map(|c| EuRow {
            label: key_label(&ctx, &c.key),
            total: c.total.map(|t| t.to_string()).unwrap_or_else(|| ":".to_owned()),
            reported: c.reported.len(),
            confidential: c.confidential.join(", "),
            unknown: c.unknown.join(", "),
            not_submitted: c.not_submitted.len(),
        })
        .collect();
    let csrf_query = format!("csrf={}", ctx.csrf);
    let page = EuPage {
        year,
        years,
        submitted: statuses.iter().filter(|s| s.status == "submitted").count(),
        expected: aggregate.expected.len(),
        voluntary: aggregate.voluntary.len(),
        statuses: status_rows,
        statement: crate::i18n::eu_statement(&ctx.tr, &aggregate),
        chart,
        rows,
        can_upload: can(&p, Permission::PublishStatistics),
        countries: haven_stats::codes::EU_MEMBERS.to_vec(),
        csrf_query,
        national: p.organisation.jurisdiction.code() != "EU",
        sources,
        ctx,
    };
    render(&page)
}

type EuData = (Vec<haven_app::stats::CountryStatus>, haven_stats::hub::EuAggregate, Vec<haven_stats::Dataset>);

async fn futures_join(state: &AppState, p: &Principal, year: u16) -> Result<EuData, AppError> {
    let statuses = state.app.submission_status(p, year).await?;
    let aggregate = state.app.eu_totals(p, year).await?;
    let datasets = state.app.eu_submissions(p, year).await?;
    Ok((statuses, aggregate, datasets))
}

/// A file sent from the EU page (multipart form; the CSRF token travels in the query string).
async fn upload(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let mut country = String::new();
    let mut year = String::new();
    let mut format = String::new();
    let mut file: Vec<u8> = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let Ok(bytes) = field.bytes().await else {
                    return error_page(&state, Some(&p), &headers, WebError::PayloadTooLarge);
                };
                match name.as_str() {
                    "country" => country = String::from_utf8_lossy(&bytes).into_owned(),
                    "year" => year = String::from_utf8_lossy(&bytes).into_owned(),
                    "format" => format = String::from_utf8_lossy(&bytes).into_owned(),
                    "file" => file = bytes.to_vec(),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                let e =
                    WebError::BadRequest { field: Some("file".into()), message: "the form could not be read".into() };
                return error_page(&state, Some(&p), &headers, e);
            }
        }
    }
    let back = format!("/statistics/eu?year={}", year.trim());
    let Ok(y) = year.trim().parse::<u16>() else {
        let tr = state.i18n.tr(p.user.language);
        return problems_page(
            &state,
            &p,
            &headers,
            vec![Problem { location: "year".into(), message: tr.t("stats-error-year") }],
            back,
        );
    };
    let format = match FileFormat::parse(format.trim()) {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    match state.app.submit_statistics(&p, &country, y, format, &file).await {
        Ok(_) => see_other(&format!("/statistics/eu?year={y}")),
        Err(AppError::Rejected(problems)) => problems_page(&state, &p, &headers, problems, back),
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}
