//! The transposition tracker's pages: the country × article matrix of a directive with the
//! timeline of notifications (`/monitoring/transposition?instrument=`), a country's page
//! (`/monitoring/transposition/{country}`) with the forms to record a national measure (the
//! country's rapporteur) and the Commission's assessment or an infringement step (the EU level),
//! and the instruments with their articles and parties (`/monitoring/instruments`). A status is
//! shown by a sign and its word (never by colour alone); a form at fault is shown again with
//! what was typed and the input named (422).

use super::lateness_text;
use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::charts::{self, Chart, Group, Point};
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, coded_choices, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::monitoring::CountryView;
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::instruments::{Instrument, Wording};
use haven_domain::transposition::{
    AssessmentInput, Finding, InfringementGround, InfringementInput, InfringementStage, MeasureInput,
    TranspositionStatus,
};
use serde::Deserialize;
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring/transposition", get(tracker))
        .route("/monitoring/transposition/{country}", get(country))
        .route("/monitoring/transposition/{country}/measures", post(record_measure))
        .route("/monitoring/transposition/{country}/assessments", post(record_assessment))
        .route("/monitoring/transposition/{country}/infringements", post(record_infringement))
}

/// A status as shown: a sign (hidden from screen readers) and its word.
pub struct StatusCell {
    pub sign: &'static str,
    pub word: String,
    pub code: &'static str,
}

fn status_cell(tr: &Tr<'_>, status: TranspositionStatus) -> StatusCell {
    let sign = match status {
        TranspositionStatus::NoMeasure => "–",
        TranspositionStatus::Partial => "◐",
        TranspositionStatus::Complete => "✓",
        TranspositionStatus::NonConformity => "✗",
    };
    StatusCell { sign, word: tr.t(&format!("monitoring-status-{}", status.code())), code: status.code() }
}

/// A directive in the choice at the top of the matrix.
pub struct DirectiveLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct MatrixLine {
    pub country: String,
    pub lateness: String,
    pub cells: Vec<StatusCell>,
}

pub struct TimelineLine {
    pub date: String,
    pub complete: usize,
    pub any: usize,
}

#[derive(Template)]
#[template(path = "monitoring_transposition.html")]
struct TrackerPage<'a> {
    ctx: PageCtx<'a>,
    directives: Vec<DirectiveLink>,
    citation: String,
    deadline: String,
    bound: usize,
    articles: Vec<String>,
    legend: Vec<StatusCell>,
    rows: Vec<MatrixLine>,
    timeline: Vec<TimelineLine>,
    chart: Option<Chart>,
}

#[derive(Debug, Deserialize)]
struct TrackerQuery {
    instrument: Option<String>,
}

async fn tracker(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<TrackerQuery>,
) -> PageResult {
    let view = match state.app.transposition_tracker(&p, q.instrument.as_deref()).await {
        Ok(view) => view,
        Err(AppError::Invalid(_)) => return Err(PageError::from(AppError::NotFound)),
        Err(e) => return Err(PageError::from(e)),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "monitoring-transposition-title", "/monitoring");
    let tr = ctx.tr;
    let instrument = view.matrix.instrument;
    let directives = view
        .directives
        .iter()
        .map(|d| DirectiveLink {
            href: format!("/monitoring/transposition?instrument={}", d.instrument.code()),
            label: d.instrument.citation().to_owned(),
            current: d.instrument == instrument,
        })
        .collect();
    let rows = view
        .matrix
        .rows
        .iter()
        .map(|r| MatrixLine {
            country: r.country.to_string(),
            lateness: lateness_text(&tr, &r.lateness),
            cells: r.statuses.iter().map(|s| status_cell(&tr, *s)).collect(),
        })
        .collect();
    let timeline: Vec<TimelineLine> = view
        .timeline
        .iter()
        .map(|t| TimelineLine { date: t.date.to_string(), complete: t.complete, any: t.any })
        .collect();
    let chart = (!timeline.is_empty()).then(|| {
        let groups: Vec<Group> = timeline
            .iter()
            .map(|t| Group {
                label: t.date.clone(),
                points: vec![
                    Point { value: u64::try_from(t.complete).ok(), confidential: false },
                    Point { value: u64::try_from(t.any).ok(), confidential: false },
                ],
            })
            .collect();
        charts::chart(
            "chart-notifications",
            tr.t("monitoring-timeline"),
            &[tr.t("monitoring-timeline-complete"), tr.t("monitoring-timeline-any")],
            &groups,
            "#timeline".into(),
        )
    });
    let page = TrackerPage {
        directives,
        citation: instrument.citation().to_owned(),
        deadline: view.deadline.map(|d| d.to_string()).unwrap_or_default(),
        bound: view.bound,
        articles: view.matrix.articles.clone(),
        legend: TranspositionStatus::ALL.iter().map(|s| status_cell(&tr, *s)).collect(),
        rows,
        timeline,
        chart,
        ctx,
    };
    Ok(render(&page))
}

/// An input of a form.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub choices: Vec<Choice>,
}

/// One of the page's forms: where it posts, its heading and its inputs.
pub struct FormView {
    pub id: &'static str,
    pub action: String,
    pub heading: String,
    pub fields: Vec<Field>,
    pub submit: String,
    pub problem: Option<String>,
    pub anchor: String,
}

pub struct MeasureLine {
    pub notified_on: String,
    pub title: String,
    pub reference: String,
    pub link: Option<String>,
    pub articles: String,
    pub completes: String,
}

pub struct AssessmentLine {
    pub assessed_on: String,
    pub article: String,
    pub finding: StatusCell,
    pub note: String,
}

pub struct StepLine {
    pub decided_on: String,
    pub procedure: String,
    pub ground: String,
    pub stage: String,
    pub reply_due: String,
}

pub struct DirectiveSection {
    pub citation: String,
    pub code: &'static str,
    pub lateness: String,
    pub articles: Vec<(String, StatusCell)>,
    pub measures: Vec<MeasureLine>,
    pub assessments: Vec<AssessmentLine>,
    pub steps: Vec<StepLine>,
}

#[derive(Template)]
#[template(path = "monitoring_country.html")]
struct CountryPage<'a> {
    ctx: PageCtx<'a>,
    country: String,
    directives: Vec<DirectiveSection>,
    forms: Vec<FormView>,
}

/// Which form a problem belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Measure,
    Assessment,
    Infringement,
}

fn label(tr: &Tr<'_>, at: &str) -> String {
    tr.t(&format!("monitoring-field-{at}"))
}

fn directive_choices(tr: &Tr<'_>, view: &CountryView, selected: &str) -> Vec<Choice> {
    let _ = tr;
    view.directives
        .iter()
        .map(|d| Choice {
            value: d.instrument.code().to_owned(),
            label: d.instrument.citation().to_owned(),
            selected: d.instrument.code() == selected,
        })
        .collect()
}

async fn show(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    country: &str,
    typed: Option<(Which, &crate::extract::FormPairs)>,
    check: FormProblem,
) -> PageResult {
    let view = state.app.transposition_country(p, country).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "monitoring-country-title", "/monitoring");
    let tr = ctx.tr;
    let directives = view
        .directives
        .iter()
        .map(|d| DirectiveSection {
            citation: d.instrument.citation().to_owned(),
            code: d.instrument.code(),
            lateness: lateness_text(&tr, &d.lateness),
            articles: d.articles.iter().map(|(a, s)| (a.clone(), status_cell(&tr, *s))).collect(),
            measures: d
                .measures
                .iter()
                .map(|m| MeasureLine {
                    notified_on: m.notified_on.to_string(),
                    title: m.title.clone(),
                    reference: m.reference.clone(),
                    link: m.link.clone(),
                    articles: if m.articles.is_empty() {
                        tr.t("monitoring-all-articles")
                    } else {
                        m.articles.join(", ")
                    },
                    completes: tr.t(if m.completes { "monitoring-completes-yes" } else { "monitoring-completes-no" }),
                })
                .collect(),
            assessments: d
                .assessments
                .iter()
                .map(|a| AssessmentLine {
                    assessed_on: a.assessed_on.to_string(),
                    article: a.article.clone(),
                    finding: status_cell(
                        &tr,
                        match a.finding {
                            Finding::Conform => TranspositionStatus::Complete,
                            Finding::Partial => TranspositionStatus::Partial,
                            Finding::NonConformity => TranspositionStatus::NonConformity,
                        },
                    ),
                    note: a.note.clone(),
                })
                .collect(),
            steps: d
                .steps
                .iter()
                .map(|s| StepLine {
                    decided_on: s.decided_on.to_string(),
                    procedure: s.procedure.clone(),
                    ground: tr.t(&format!("monitoring-ground-{}", s.ground.code())),
                    stage: tr.t(&format!("monitoring-stage-{}", s.stage.code())),
                    reply_due: s.reply_due().map(|d| d.to_string()).unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let value = |which: Which, name: &str, default: &str| match typed {
        Some((w, pairs)) if w == which => pairs.get(name).unwrap_or_default().to_owned(),
        _ => default.to_owned(),
    };
    let mine = |which: Which| matches!(typed, Some((w, _)) if w == which);
    let field = |which: Which, name: &'static str, kind: &'static str, default: &str, choices: Vec<Choice>| Field {
        name,
        label: label(&tr, name),
        kind,
        value: value(which, name, default),
        error: if mine(which) { check.message(name).map(str::to_owned) } else { None },
        hint: None,
        choices,
    };
    let today = state.app.today().to_string();
    let first = view.directives.first().map_or("", |d| d.instrument.code());
    let form_of =
        |which: Which, id: &'static str, action: &str, heading: &str, submit: &str, fields: Vec<Field>| FormView {
            id,
            action: format!("/monitoring/transposition/{}/{action}", view.country),
            heading: tr.t(heading),
            fields,
            submit: tr.t(submit),
            problem: if mine(which) { check.line() } else { None },
            anchor: if mine(which) { check.anchor().to_owned() } else { String::new() },
        };
    let mut forms = Vec::new();
    if view.may_record_measure {
        let chosen = value(Which::Measure, "instrument", first);
        let mut articles = field(Which::Measure, "articles", "text", "", vec![]);
        articles.hint = Some(tr.t("monitoring-articles-hint"));
        let completes = coded_yes_no(&tr, &value(Which::Measure, "completes", ""));
        forms.push(form_of(
            Which::Measure,
            "form-measure",
            "measures",
            "monitoring-record-measure",
            "monitoring-record-measure-submit",
            vec![
                field(Which::Measure, "instrument", "select", first, directive_choices(&tr, &view, &chosen)),
                articles,
                field(Which::Measure, "title", "text", "", vec![]),
                field(Which::Measure, "reference", "text", "", vec![]),
                field(Which::Measure, "notified_on", "date", &today, vec![]),
                field(Which::Measure, "link", "url", "", vec![]),
                field(Which::Measure, "completes", "select", "", completes),
            ],
        ));
    }
    if view.may_record_eu {
        let chosen = value(Which::Assessment, "instrument", first);
        let finding = value(Which::Assessment, "finding", "");
        forms.push(form_of(
            Which::Assessment,
            "form-assessment",
            "assessments",
            "monitoring-record-assessment",
            "monitoring-record-assessment-submit",
            vec![
                field(Which::Assessment, "instrument", "select", first, directive_choices(&tr, &view, &chosen)),
                field(Which::Assessment, "article", "text", "", vec![]),
                field(
                    Which::Assessment,
                    "finding",
                    "select",
                    "",
                    coded_choices::<Finding>(&tr, "monitoring-finding", &[&finding]),
                ),
                field(Which::Assessment, "assessed_on", "date", &today, vec![]),
                field(Which::Assessment, "note", "textarea", "", vec![]),
            ],
        ));
        let chosen = value(Which::Infringement, "instrument", first);
        let ground = value(Which::Infringement, "ground", "");
        let stage = value(Which::Infringement, "stage", "");
        forms.push(form_of(
            Which::Infringement,
            "form-infringement",
            "infringements",
            "monitoring-record-step",
            "monitoring-record-step-submit",
            vec![
                field(Which::Infringement, "instrument", "select", first, directive_choices(&tr, &view, &chosen)),
                field(Which::Infringement, "procedure", "text", "", vec![]),
                field(
                    Which::Infringement,
                    "ground",
                    "select",
                    "",
                    coded_choices::<InfringementGround>(&tr, "monitoring-ground", &[&ground]),
                ),
                field(
                    Which::Infringement,
                    "stage",
                    "select",
                    "",
                    coded_choices::<InfringementStage>(&tr, "monitoring-stage", &[&stage]),
                ),
                field(Which::Infringement, "decided_on", "date", &today, vec![]),
            ],
        ));
    }
    let status = check.status();
    let page = CountryPage { country: view.country.to_string(), directives, forms, ctx };
    Ok(with_status(render(&page), status))
}

fn coded_yes_no(tr: &Tr<'_>, selected: &str) -> Vec<Choice> {
    ["yes", "no"]
        .iter()
        .map(|v| Choice {
            value: (*v).to_owned(),
            label: tr.t(&format!("monitoring-completes-{v}")),
            selected: *v == selected,
        })
        .collect()
}

async fn country(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(country): Path<String>,
) -> PageResult {
    show(&state, &p, &headers, &country, None, FormProblem::none()).await
}

/// What a recording use case answered, as the page: back to the country page, or the form
/// again with its problem.
async fn after(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    country: &str,
    which: Which,
    pairs: &crate::extract::FormPairs,
    result: Result<(), AppError>,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!("/monitoring/transposition/{country}"))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
            let check =
                FormProblem::of(&tr, e, |f| f.to_owned(), |tr, at, _| label(tr, at)).map_err(PageError::from)?;
            show(state, p, headers, country, Some((which, pairs)), check).await
        }
    }
}

async fn record_measure(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(country): Path<String>,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    // A country's measures are recorded on its own page only.
    if !country.eq_ignore_ascii_case(p.actor.jurisdiction.code()) {
        return Err(PageError::from(AppError::Forbidden));
    }
    let one = |name: &str| form.pairs.get(name).unwrap_or_default().to_owned();
    let input = MeasureInput {
        instrument: one("instrument"),
        articles: one("articles"),
        title: one("title"),
        reference: one("reference"),
        notified_on: one("notified_on"),
        link: one("link"),
        completes: one("completes"),
    };
    let result = state.app.record_measure(&p, &input).await.map(|_| ());
    after(&state, &p, &headers, &country, Which::Measure, &form.pairs, result).await
}

async fn record_assessment(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(country): Path<String>,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    let one = |name: &str| form.pairs.get(name).unwrap_or_default().to_owned();
    let input = AssessmentInput {
        country: country.clone(),
        instrument: one("instrument"),
        article: one("article"),
        finding: one("finding"),
        assessed_on: one("assessed_on"),
        note: one("note"),
    };
    let result = state.app.record_assessment(&p, &input).await.map(|_| ());
    after(&state, &p, &headers, &country, Which::Assessment, &form.pairs, result).await
}

async fn record_infringement(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(country): Path<String>,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    let one = |name: &str| form.pairs.get(name).unwrap_or_default().to_owned();
    let input = InfringementInput {
        country: country.clone(),
        instrument: one("instrument"),
        procedure: one("procedure"),
        ground: one("ground"),
        stage: one("stage"),
        decided_on: one("decided_on"),
    };
    let result = state.app.record_infringement_step(&p, &input).await.map(|_| ());
    after(&state, &p, &headers, &country, Which::Infringement, &form.pairs, result).await
}

pub struct InstrumentLine {
    pub citation: String,
    pub title: String,
    pub in_force_on: String,
    pub deadline: String,
    pub mark: &'static str,
    pub source: String,
}

pub struct ArticleLine {
    pub citation: String,
    pub obligation: String,
    pub applies_from: String,
    pub amended: String,
    pub mark: &'static str,
    pub in_force: String,
}

pub struct PartyGroup {
    pub citation: String,
    pub parties: Vec<PartyLine>,
}

pub struct PartyLine {
    pub country: String,
    pub bound_from: String,
    pub bound_until: String,
    pub mark: &'static str,
    pub note: String,
}

#[derive(Template)]
#[template(path = "monitoring_instruments.html")]
struct InstrumentsPage<'a> {
    ctx: PageCtx<'a>,
    today: String,
    country: String,
    instruments: Vec<InstrumentLine>,
    articles: Vec<ArticleLine>,
    parties: Vec<PartyGroup>,
}

pub(super) async fn instruments(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
) -> PageResult {
    let view = state.app.instruments_view(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "monitoring-instruments-title", "/monitoring");
    let tr = ctx.tr;
    let instruments = view
        .instruments
        .iter()
        .map(|i| InstrumentLine {
            citation: i.instrument.citation().to_owned(),
            title: i.title.clone(),
            in_force_on: i.in_force_on.to_string(),
            deadline: i.transposition_deadline.map(|d| d.to_string()).unwrap_or_default(),
            mark: i.mark.code(),
            source: i.source.clone(),
        })
        .collect();
    let articles = view
        .articles
        .iter()
        .map(|a| ArticleLine {
            citation: a.citation.clone(),
            obligation: a.article.obligation.clone(),
            applies_from: a.article.applies_from.to_string(),
            amended: match (a.article.amended_by, a.article.amended_from) {
                (Some(by), Some(from)) => format!("{} ({from})", by.citation()),
                _ => String::new(),
            },
            mark: a.article.mark.code(),
            in_force: match a.in_force {
                Some(Wording::Original) => tr.t("monitoring-in-force-original"),
                Some(Wording::Amended) => tr.t("monitoring-in-force-amended"),
                None => tr.t("monitoring-in-force-no"),
            },
        })
        .collect();
    let parties = Instrument::ALL
        .iter()
        .filter(|i| **i != Instrument::PeriodsRegulation)
        .map(|i| {
            let mut list: Vec<&haven_domain::instruments::Party> =
                view.parties.iter().filter(|p| p.instrument == *i).collect();
            list.sort_by_key(|p| (p.bound_from, p.country));
            PartyGroup {
                citation: i.citation().to_owned(),
                parties: list
                    .into_iter()
                    .map(|p| PartyLine {
                        country: p.country.to_string(),
                        bound_from: p.bound_from.to_string(),
                        bound_until: p.bound_until.map(|d| d.to_string()).unwrap_or_default(),
                        mark: p.mark.code(),
                        note: p.note.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let page = InstrumentsPage {
        today: view.today.to_string(),
        country: view.country.map(|c| c.to_string()).unwrap_or_default(),
        instruments,
        articles,
        parties,
        ctx,
    };
    Ok(render(&page))
}
