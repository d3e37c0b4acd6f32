//! Monitoring pages (docs/monitoring.md): the coordinator's dashboard (`/monitoring`), the
//! instruments as dated data (`/monitoring/instruments`), and the transposition tracker
//! (`/monitoring/transposition`, a country's page and its forms: [`transposition`]). Each handler
//! calls one use case of `haven_app::monitoring`; who sees what is decided there
//! (`authorize_monitoring`).
//!
//! The dashboard is a list of [`Section`]s, each a heading, a line saying what it shows, and a
//! table: [`dashboard_sections`] builds the transposition sections; other parts of the
//! monitoring (actions overdue, recommendations without follow-up) add theirs to that list.

pub mod report_doc;
pub mod reports;
pub mod transposition;

use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::monitoring::MonitoringDashboard;
use haven_domain::Coded;
use haven_domain::transposition::Lateness;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring", get(dashboard))
        .route("/monitoring/instruments", get(transposition::instruments))
        .merge(transposition::router())
        .merge(reports::router())
}

/// A cell of a dashboard table: its text, a link when it leads somewhere, and its language when
/// it is not the page's (the shipped Strategy's actions and GRETA's wording are in English).
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub lang: Option<&'static str>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell { text: text.into(), href: None, lang: None }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Cell { text: text.into(), href: Some(href.into()), lang: None }
    }

    /// The cell's text in English, whatever the page's language.
    pub fn english(mut self, english: bool) -> Self {
        if english {
            self.lang = Some("en");
        }
        self
    }
}

/// One section of the dashboard: an id (for links and tests), a heading, what it shows, its
/// table, and what to say when the table is empty.
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub explain: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub empty: String,
}

#[derive(Template)]
#[template(path = "monitoring_dashboard.html")]
struct DashboardPage<'a> {
    ctx: PageCtx<'a>,
    today: String,
    sections: Vec<Section>,
}

/// How a state stands against its deadline, in words (days late or left included).
pub(crate) fn lateness_text(tr: &Tr<'_>, lateness: &Lateness) -> String {
    let days = |n: i64| n.to_string();
    match lateness {
        Lateness::NotBound => tr.t("monitoring-lateness-not_bound"),
        Lateness::NotYetDue { days_left, partial, .. } => {
            let key =
                if *partial { "monitoring-lateness-not_yet_due-partial" } else { "monitoring-lateness-not_yet_due" };
            tr.t1(key, "days", &days(*days_left))
        }
        Lateness::OnTime { notified_on, .. } => tr.t1("monitoring-lateness-on_time", "date", &notified_on.to_string()),
        Lateness::NotifiedLate { notified_on, days_late, .. } => tr.args(
            "monitoring-lateness-notified_late",
            &[("date", &notified_on.to_string()), ("days", &days(*days_late))],
        ),
        Lateness::NotNotified { days_late, partial, .. } => {
            let key =
                if *partial { "monitoring-lateness-not_notified-partial" } else { "monitoring-lateness-not_notified" };
            tr.t1(key, "days", &days(*days_late))
        }
    }
}

/// The transposition sections of the dashboard: deadlines coming up, states late.
pub(crate) fn dashboard_sections(tr: &Tr<'_>, view: &MonitoringDashboard) -> Vec<Section> {
    let country_link =
        |c: &haven_domain::CountryCode| Cell::link(c.to_string(), format!("/monitoring/transposition/{c}"));
    let deadlines = Section {
        id: "deadlines-coming",
        heading: tr.t("monitoring-deadlines"),
        explain: tr.t1("monitoring-deadlines-explain", "days", &view.within_days.to_string()),
        columns: vec![
            tr.t("monitoring-due"),
            tr.t("monitoring-days-left"),
            tr.t("monitoring-country"),
            tr.t("monitoring-instrument"),
            tr.t("monitoring-deadline-kind"),
        ],
        rows: view
            .deadlines
            .iter()
            .map(|d| {
                let mut kind = tr.t(&format!("monitoring-deadline-{}", d.kind.code()));
                if let Some(p) = &d.procedure {
                    kind = format!("{kind} ({p})");
                }
                vec![
                    Cell::text(d.due.to_string()),
                    Cell::text(d.days_left.to_string()),
                    country_link(&d.country),
                    Cell::text(d.instrument.citation()),
                    Cell::text(kind),
                ]
            })
            .collect(),
        empty: tr.t("monitoring-deadlines-none"),
    };
    let late = Section {
        id: "late-transposition",
        heading: tr.t("monitoring-late"),
        explain: tr.t("monitoring-late-explain"),
        columns: vec![
            tr.t("monitoring-country"),
            tr.t("monitoring-instrument"),
            tr.t("monitoring-deadline"),
            tr.t("monitoring-days-late"),
            tr.t("monitoring-where"),
            tr.t("monitoring-last-step"),
        ],
        rows: view
            .late
            .iter()
            .map(|l| {
                vec![
                    country_link(&l.country),
                    Cell::text(l.instrument.citation()),
                    Cell::text(l.lateness.deadline().map(|d| d.to_string()).unwrap_or_default()),
                    Cell::text(l.lateness.days_late().to_string()),
                    Cell::text(lateness_text(tr, &l.lateness)),
                    Cell::text(l.last_step.as_ref().map_or_else(String::new, |s| {
                        format!(
                            "{} {} ({})",
                            tr.t(&format!("monitoring-stage-{}", s.stage.code())),
                            s.decided_on,
                            s.procedure
                        )
                    })),
                ]
            })
            .collect(),
        empty: tr.t("monitoring-late-none"),
    };
    vec![deadlines, late]
}

async fn dashboard(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let view = state.app.monitoring_dashboard(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "monitoring-title", "/monitoring");
    let tr = ctx.tr;
    let mut sections = dashboard_sections(&tr, &view);
    // The strategies' and GRETA's sections, each built from its own use case over everything
    // the reader may read.
    let overdue = crate::views::strategy::overdue_lines(&tr, state.app.actions_overdue(&p, None).await?);
    let open = crate::views::greta::open_lines(&tr, state.app.recommendations_without_follow_up(&p, None).await?);
    sections.push(Section {
        id: "actions-overdue",
        heading: tr.t("strategy-dashboard-overdue"),
        explain: tr.t("strategy-dashboard-overdue-explain"),
        columns: vec![
            tr.t("strategy-number"),
            tr.t("strategy-plan"),
            tr.t("strategy-action-text"),
            tr.t("strategy-target"),
            tr.t("strategy-status"),
            tr.t("strategy-days"),
        ],
        rows: overdue
            .into_iter()
            .map(|a| {
                vec![
                    Cell::link(a.number, a.href),
                    Cell::text(a.strategy),
                    Cell::text(a.text).english(a.shipped),
                    Cell::text(a.target_on),
                    Cell::text(a.status),
                    Cell::text(a.days.to_string()),
                ]
            })
            .collect(),
        empty: tr.t("strategy-dashboard-overdue-none"),
    });
    sections.push(Section {
        id: "recommendations-without-follow-up",
        heading: tr.t("strategy-dashboard-open"),
        explain: tr.t("strategy-dashboard-open-explain"),
        columns: vec![
            tr.t("greta-country"),
            tr.t("greta-round-field-round"),
            tr.t("greta-recommendation-field-paragraph"),
            tr.t("greta-recommendation-field-strength"),
            tr.t("greta-recommendation-field-wording"),
        ],
        rows: open
            .into_iter()
            .map(|o| {
                vec![
                    Cell::link(o.country, o.href),
                    Cell::text(o.round.to_string()),
                    Cell::text(o.paragraph),
                    Cell::text(o.strength),
                    Cell::text(o.wording).english(true),
                ]
            })
            .collect(),
        empty: tr.t("strategy-dashboard-open-none"),
    });
    sections.push(crate::views::networks::arising_section(&tr, state.app.arising_overdue(&p).await?));
    Ok(render(&DashboardPage { today: view.today.to_string(), ctx, sections }))
}
