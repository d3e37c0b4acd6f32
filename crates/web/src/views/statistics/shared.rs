//! What the statistics pages share: the labels of codes and tables in the user's language, the
//! charts of a release's tables, the headline figures, and the page listing a refused file.

use crate::AppState;
use crate::views::charts::{self, Chart, Group, Point};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use haven_app::stats::Release;
use haven_app::{Principal, Problem};
use haven_stats::{CellKey, Concept, Indicator, TOTAL, TableSpec};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(super) struct YearParam {
    pub(super) year: Option<u16>,
}

/// The label of a code of a concept in the user's language.
pub(super) fn code_label(ctx: &PageCtx<'_>, concept: Concept, code: &str) -> String {
    if code == TOTAL {
        return ctx.t("stats-total");
    }
    match concept {
        Concept::Citizen if code != "UNK" => code.to_owned(),
        _ => ctx.t(&format!("stat-{}-{code}", concept.id())),
    }
}

pub(super) fn table_title(ctx: &PageCtx<'_>, spec: &TableSpec) -> String {
    ctx.t(&format!("stat-table-{}", spec.id))
}

fn point(cell: &haven_app::stats::ShownCell) -> Point {
    Point { value: cell.value, confidential: cell.conf.is_suppressed() }
}

/// A chart of one table of a release: groups along `group_dim`, one series per code of the other
/// dimension (or the total only when `totals_only`).
pub(super) fn table_chart(
    ctx: &PageCtx<'_>,
    release: &Release,
    table_id: &str,
    group_dim: usize,
    totals_only: bool,
) -> Option<Chart> {
    let spec = release.table(table_id)?;
    let cells = release.cells(spec);
    let other = usize::from(spec.dims.len() > 1 && group_dim == 0);
    let g = spec.dims.get(group_dim)?;
    let series_dim = spec.dims.get(other).filter(|_| spec.dims.len() > 1);
    let series_positions: Vec<usize> = match series_dim {
        Some(d) if !totals_only => (0..d.codes.len()).collect(),
        Some(d) => vec![d.codes.len()],
        None => vec![0],
    };
    let series: Vec<String> = match series_dim {
        Some(d) => series_positions.iter().map(|p| code_label(ctx, d.concept, d.code_at(*p))).collect(),
        None => vec![ctx.t("stats-persons")],
    };
    let groups = (0..g.codes.len())
        .map(|gp| {
            let points = series_positions
                .iter()
                .map(|sp| {
                    let mut pos = vec![0; spec.dims.len()];
                    pos[group_dim] = gp;
                    if spec.dims.len() > 1 {
                        pos[other] = *sp;
                    }
                    cells.get(spec.index(&pos)).map(point).unwrap_or(Point { value: None, confidential: false })
                })
                .collect();
            Group { label: code_label(ctx, g.concept, &g.codes[gp]), points }
        })
        .collect::<Vec<_>>();
    Some(charts::chart(
        &format!("chart-{}", spec.id.to_lowercase()),
        table_title(ctx, spec),
        &series,
        &groups,
        format!("/statistics/releases/{}/tables/{}", release.id, spec.id),
    ))
}

/// A release's grand total: registered persons, as released.
pub(super) fn grand_total(release: &Release) -> Point {
    let key = CellKey { indicator: Indicator::Registered, codes: vec![] };
    match release.dataset.observations.iter().find(|o| o.key == key) {
        Some(o) => Point { value: o.value, confidential: o.conf.is_suppressed() },
        None => Point { value: None, confidential: false },
    }
}

/// One table's headline figure as released: its grand total.
pub(super) struct Headline {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) text: String,
    pub(super) confidential: bool,
}

pub(super) fn headlines(ctx: &PageCtx<'_>, release: &Release) -> Vec<Headline> {
    release
        .report
        .tables
        .iter()
        .map(|spec| {
            let cell = release.headline(spec);
            Headline {
                id: spec.id.clone(),
                title: table_title(ctx, spec),
                text: match (cell.value, cell.conf) {
                    (_, s) if s.is_suppressed() => "c".to_owned(),
                    (Some(v), _) => match cell.error {
                        Some(e) => format!("{v} ±{e:.1}"),
                        None => v.to_string(),
                    },
                    (None, _) => ":".to_owned(),
                },
                confidential: cell.conf.is_suppressed(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "stats_problems.html")]
struct ProblemsPage<'a> {
    ctx: PageCtx<'a>,
    problems: Vec<Problem>,
    back: String,
}

pub(super) fn problems_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    problems: Vec<Problem>,
    back: String,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "stats-problems-title", "/statistics");
    let mut response = render(&ProblemsPage { ctx, problems, back });
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

pub(super) fn key_label(ctx: &PageCtx<'_>, key: &CellKey) -> String {
    let mut out = ctx.t(&format!("stat-indicator-{}", key.indicator.code()));
    for (concept, code) in &key.codes {
        out.push_str(" · ");
        out.push_str(&ctx.t(&format!("stat-concept-{}", concept.id())));
        out.push_str(": ");
        out.push_str(&code_label(ctx, *concept, code));
    }
    out
}
