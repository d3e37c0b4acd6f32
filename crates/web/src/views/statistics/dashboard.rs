//! `/statistics/dashboard`: charts of the latest release of each year, drawn on the server as
//! SVG, with each table's headline figure.

use super::shared::{Headline, YearParam, grand_total, headlines, table_chart};
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::charts::{self, Chart, Group};
use crate::views::{PageCtx, error_page, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use haven_app::stats::Release;

pub fn router() -> Router<AppState> {
    Router::new().route("/statistics/dashboard", get(dashboard))
}

#[derive(Template)]
#[template(path = "stats_dashboard.html")]
struct DashboardPage<'a> {
    ctx: PageCtx<'a>,
    release: Option<Release>,
    years: Vec<u16>,
    year: u16,
    charts: Vec<Chart>,
    mode_label: String,
    headlines: Vec<Headline>,
    offenders: bool,
}

async fn dashboard(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<YearParam>,
) -> Response {
    if p.organisation.jurisdiction.code() == "EU" {
        return see_other("/statistics/eu");
    }
    let latest = match state.app.latest_releases(&p).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "stats-dashboard-title", "/statistics");
    let years: Vec<u16> = latest.iter().map(|r| r.year).collect();
    let year = q.year.or_else(|| years.last().copied()).unwrap_or(2026);
    let mut charts = Vec::new();
    if !latest.is_empty() {
        let by_year: Vec<Group> =
            latest.iter().map(|r| Group { label: r.year.to_string(), points: vec![grand_total(r)] }).collect();
        let href = latest.iter().find(|r| r.year == year).or(latest.last()).map_or_else(
            || "/statistics/releases".to_owned(),
            |r| format!("/statistics/releases/{}/tables/VICT_STAT_SEX", r.id),
        );
        charts.push(charts::chart(
            "chart-years",
            ctx.t("stats-chart-years"),
            &[ctx.t("stats-persons")],
            &by_year,
            href,
        ));
    }
    let release = latest.into_iter().find(|r| r.year == year);
    if let Some(r) = &release {
        charts.extend(table_chart(&ctx, r, "VICT_SEX_AGE", 1, false));
        charts.extend(table_chart(&ctx, r, "VICT_SEX_EXPLOIT", 1, true));
        charts.extend(table_chart(&ctx, r, "VICT_SEX_CITIZEN_GRP", 1, true));
        charts.extend(table_chart(&ctx, r, "VICT_STAT_SEX", 1, true));
    }
    let mode_label = release.as_ref().map(|r| ctx.t(&format!("stats-mode-{}", r.mode))).unwrap_or_default();
    let headlines = release.as_ref().map(|r| headlines(&ctx, r)).unwrap_or_default();
    let offenders = release.as_ref().is_some_and(Release::has_offenders);
    render(&DashboardPage { ctx, release, years, year, charts, mode_label, headlines, offenders })
}
