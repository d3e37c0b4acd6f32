//! `/statistics/eu/persons`: persons counted once across borders, for the EU level's rapporteur
//! or statistician (docs/transnational.md §8.5): per reference year, the EU total of distinct
//! persons next to the sum of the national counts, each country's persons, the persons seen in
//! both of every two countries, the persons by number of countries, and the method stated. The
//! use case (`App::cross_border_persons`) decides who reads it and audits the reading.

use super::shared::YearParam;
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/statistics/eu/persons", get(page))
}

struct CountryLine {
    country: String,
    persons: usize,
}

struct OverlapLine {
    pair: String,
    persons: usize,
}

struct SpreadLine {
    countries: usize,
    persons: usize,
}

#[derive(Template)]
#[template(path = "stats_cross_border.html")]
struct CrossBorderPage<'a> {
    ctx: PageCtx<'a>,
    year: u16,
    distinct: usize,
    sum_of_national: usize,
    in_several_countries: usize,
    countries: Vec<CountryLine>,
    overlaps: Vec<OverlapLine>,
    spread: Vec<SpreadLine>,
    method: String,
    left_out: Option<String>,
}

/// The year shown when none is asked: the previous calendar year's count is the one countries
/// send after the year closes.
const DEFAULT_YEAR: u16 = 2025;

async fn page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<YearParam>,
) -> PageResult {
    let year = q.year.unwrap_or(DEFAULT_YEAR);
    let count = state.app.cross_border_persons(&p, year).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "crossborder-title", "/statistics");
    let method = ctx.tr.t1("crossborder-method", "threshold", &count.threshold);
    let left_out = (!count.left_out.is_empty())
        .then(|| ctx.tr.t1("crossborder-left-out", "countries", &count.left_out.join(", ")));
    let page = CrossBorderPage {
        year,
        distinct: count.distinct,
        sum_of_national: count.sum_of_national,
        in_several_countries: count.in_several_countries,
        countries: count.countries.iter().map(|(c, n)| CountryLine { country: c.clone(), persons: *n }).collect(),
        overlaps: count
            .overlaps
            .iter()
            .map(|o| OverlapLine { pair: format!("{} – {}", o.a, o.b), persons: o.persons })
            .collect(),
        spread: count.by_countries.iter().map(|(k, n)| SpreadLine { countries: *k, persons: *n }).collect(),
        method,
        left_out,
        ctx,
    };
    Ok(render(&page))
}
