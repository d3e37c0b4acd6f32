//! Statistics: the released figure first (the one to quote), then the unreleased working
//! figures (live counts of the register, by sex as a table and a bar chart drawn on the server,
//! SVG, no script) for those who make releases. The EU level has no register: its users go to
//! the EU page.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::{PageCtx, can, error_page, format_time, label_of, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use haven_domain::Permission;

mod cross_border;
mod dashboard;
mod eu;
mod exchange;
mod releases;
mod shared;

/// Every statistics page: `/statistics` here, then the dashboard, the releases and the EU
/// collection, each in its own module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(show))
        .merge(dashboard::router())
        .merge(releases::router())
        .merge(eu::router())
        .merge(cross_border::router())
}

/// Width of the longest bar, in SVG user units.
const BAR_SPACE: i64 = 300;
/// Where bars start (the labels are to their left).
const BAR_X: i64 = 130;
const ROW_HEIGHT: i64 = 36;

struct Row {
    label: String,
    count: i64,
    /// Bar geometry in SVG user units.
    y: i64,
    text_y: i64,
    width: i64,
    count_x: i64,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage<'a> {
    ctx: PageCtx<'a>,
    released: Option<Released>,
    jurisdiction: String,
    rows: Vec<Row>,
    total: i64,
    chart_height: i64,
    chart_width: i64,
    /// Referred persons and anonymous notifications, by sex and by group of exploitation.
    ident_rows: Vec<IdentRow>,
    referred: u64,
    notified: u64,
    children: u64,
    /// The referred registrations counted as persons (counts only).
    persons: haven_app::ident::PersonClusters,
}

/// The released figure of the latest release: registered persons, as the release protects it.
struct Released {
    id: String,
    year: String,
    /// The figure, `c` when confidential, `:` when not available.
    figure: String,
    released_at: String,
}

#[derive(Template)]
#[template(path = "statistics_released.html")]
struct ReleasedOnly<'a> {
    ctx: PageCtx<'a>,
    released: Option<Released>,
}

struct IdentRow {
    label: String,
    referred: u64,
    notified: u64,
}

async fn show(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> Response {
    // The EU level keeps no register: its figures are the member states' submissions.
    if p.organisation.jurisdiction.code() == "EU" {
        return see_other("/statistics/eu");
    }
    let latest = match state.app.latest_releases(&p).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let released = latest.last().map(|r| {
        let total = shared::grand_total(r);
        Released {
            id: r.id.clone(),
            year: r.year.to_string(),
            figure: match total.value {
                _ if total.confidential => "c".to_owned(),
                Some(v) => v.to_string(),
                None => ":".to_owned(),
            },
            released_at: format_time(&r.created_at),
        }
    });
    // The working figures are for those who make releases.
    if !can(&p, Permission::PublishStatistics) {
        let ctx = PageCtx::new(&state, Some(&p), &headers, "statistics-title", "/statistics");
        return render(&ReleasedOnly { ctx, released });
    }
    let counts = match state.app.statistics_by_sex(&p).await {
        Ok(c) => c,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ident = match state.app.identification_counts(&p).await {
        Ok(c) => c,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "statistics-title", "/statistics");
    let mut ident_rows = Vec::new();
    for sex in <haven_domain::case::Sex as haven_domain::Coded>::ALL {
        let code = haven_domain::Coded::code(*sex);
        ident_rows.push(IdentRow {
            label: label_of(&ctx.tr, "sex", *sex),
            referred: ident.registered_by_sex.get(code).copied().unwrap_or(0),
            notified: ident.notified_by_sex.get(code).copied().unwrap_or(0),
        });
    }
    for group in <haven_domain::ident::forms::StatGroup as haven_domain::Coded>::ALL {
        let code = haven_domain::Coded::code(*group);
        ident_rows.push(IdentRow {
            label: label_of(&ctx.tr, "stat-group", *group),
            referred: ident.registered_by_group.get(code).copied().unwrap_or(0),
            notified: ident.notified_by_group.get(code).copied().unwrap_or(0),
        });
    }
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let rows: Vec<Row> = counts
        .iter()
        .zip(0_i64..)
        .map(|((sex, count), i)| {
            let width = count.saturating_mul(BAR_SPACE) / max;
            Row {
                label: label_of(&ctx.tr, "sex", *sex),
                count: *count,
                y: i * ROW_HEIGHT + 6,
                text_y: i * ROW_HEIGHT + 24,
                width,
                count_x: BAR_X + width + 8,
            }
        })
        .collect();
    let page = StatisticsPage {
        released,
        jurisdiction: p.organisation.jurisdiction.code().to_owned(),
        total: counts.iter().map(|(_, n)| *n).sum(),
        chart_height: i64::try_from(rows.len()).unwrap_or(0) * ROW_HEIGHT + 6,
        chart_width: BAR_X + BAR_SPACE + 70,
        rows,
        ident_rows,
        referred: ident.registered,
        notified: ident.notified,
        children: ident.children,
        persons: ident.distinct_persons,
        ctx,
    };
    render(&page)
}
