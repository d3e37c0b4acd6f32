//! GRETA's evaluations (`/monitoring/greta`, CETS 197 Art 38; docs/monitoring.md): the rounds of
//! the countries the user may read with how many recommendations lack a follow-up, a round's page
//! with its recommendations (their strength, read from the wording or chosen) and the
//! authorities' follow-up of each, and the forms to record a round, a recommendation and a
//! follow-up. Each handler calls one use case of `haven_app::greta`.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::strategy::{Field, Fields, strength_label};
use crate::views::{PageCtx, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use haven_app::greta::{OpenRecommendation, RoundView};
use haven_app::{AppError, Principal};
use haven_domain::greta::{EvaluationRound, FollowUpInput, FollowUpStatus, RecommendationInput, RoundInput, Strength};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring/greta", get(index).post(record_round))
        .route("/monitoring/greta/{id}", get(round_page))
        .route("/monitoring/greta/{id}/recommendations", post(add_recommendation))
        .route("/monitoring/greta/{id}/follow-ups", post(record_follow_up))
}

fn day(d: Option<haven_domain::case::CalendarDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A round in the list.
struct RoundLine {
    href: String,
    country: String,
    round: u8,
    questionnaire: String,
    visit: String,
    report: String,
    link: String,
    recommendations: usize,
    without_follow_up: usize,
}

fn visit(r: &EvaluationRound) -> String {
    match (r.visit_from, r.visit_until) {
        (Some(from), Some(until)) if from != until => format!("{from} – {until}"),
        (Some(from), _) => from.to_string(),
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "greta_rounds.html")]
struct IndexPage<'a> {
    ctx: PageCtx<'a>,
    rounds: Vec<RoundLine>,
    record_for: Option<String>,
    fields: Vec<Field>,
    check: FormProblem,
}

fn problem(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    e: AppError,
    prefix: &'static str,
) -> Result<FormProblem, PageError> {
    let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
    FormProblem::of(&tr, e, str::to_owned, |tr, at, _| tr.t(&format!("{prefix}-field-{at}"))).map_err(PageError::from)
}

async fn show_index(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "greta-title", "/monitoring/greta");
    let tr = ctx.tr;
    let view = state.app.greta_rounds(p).await?;
    let rounds = view
        .rounds
        .iter()
        .map(|l| RoundLine {
            href: format!("/monitoring/greta/{}", l.round.id),
            country: l.round.country.to_string(),
            round: l.round.round,
            questionnaire: day(l.round.questionnaire_sent_on),
            visit: visit(&l.round),
            report: day(l.round.report_published_on),
            link: l.round.report_link.clone(),
            recommendations: l.recommendations,
            without_follow_up: l.without_follow_up,
        })
        .collect();
    let f = Fields { tr, prefix: "greta-round", typed, check: &check };
    let fields = vec![
        f.field("round", "number"),
        f.field("questionnaire_sent_on", "date"),
        f.field("visit_from", "date"),
        f.field("visit_until", "date"),
        f.field("report_published_on", "date"),
        f.field("report_link", "url"),
    ];
    let status = check.status();
    let page = IndexPage { ctx, rounds, record_for: view.may_record_for.map(|c| c.to_string()), fields, check };
    Ok(with_status(render(&page), status))
}

async fn index(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show_index(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record_round(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<RoundInput>,
) -> PageResult {
    match state.app.record_greta_round(&p, &form.input).await {
        Ok(round) => Ok(see_other(&format!("/monitoring/greta/{}", round.id))),
        Err(AppError::Refused(r)) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = FormProblem::at(&tr, "", tr.t1(r.message_id, r.arg.0, &r.arg.1), |_, _, _| String::new());
            let response = show_index(&state, &p, &headers, &form.pairs, check).await?;
            Ok(with_status(response, StatusCode::CONFLICT))
        }
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "greta-round")?;
            show_index(&state, &p, &headers, &form.pairs, check).await
        }
    }
}

/// A follow-up, as shown.
struct FollowUpLine {
    on: String,
    status: String,
    text: String,
}

/// A recommendation, as shown.
struct RecommendationLine {
    id: String,
    paragraph: String,
    wording: String,
    strength: String,
    strength_code: &'static str,
    overridden: bool,
    demo: bool,
    latest: Option<String>,
    follow_ups: Vec<FollowUpLine>,
}

#[derive(Template)]
#[template(path = "greta_round.html")]
struct RoundPage<'a> {
    ctx: PageCtx<'a>,
    id: String,
    country: String,
    round: u8,
    questionnaire: String,
    visit: String,
    report: String,
    link: String,
    recommendations: Vec<RecommendationLine>,
    may_record: bool,
    recommendation_fields: Vec<Field>,
    follow_up_fields: Vec<Field>,
    /// The problem of the recommendation form, and of the follow-up form.
    check: FormProblem,
    follow_up_check: FormProblem,
}

/// Which of the round page's two forms a problem belongs to.
enum Form {
    Recommendation,
    FollowUp,
}

fn lines(tr: &Tr<'_>, view: &RoundView) -> Vec<RecommendationLine> {
    view.recommendations
        .iter()
        .map(|l| RecommendationLine {
            id: l.recommendation.id.clone(),
            paragraph: l.recommendation.paragraph.clone(),
            wording: l.recommendation.wording.clone(),
            strength: strength_label(tr, l.recommendation.strength),
            strength_code: haven_domain::Coded::code(l.recommendation.strength),
            overridden: l.overridden,
            demo: l.recommendation.demo,
            latest: l.latest.map(|s| label_of(tr, "greta-follow-up", s)),
            follow_ups: l
                .follow_ups
                .iter()
                .map(|f| FollowUpLine {
                    on: f.on.to_string(),
                    status: label_of(tr, "greta-follow-up", f.status),
                    text: f.text.clone(),
                })
                .collect(),
        })
        .collect()
}

async fn show_round(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &FormPairs,
    (form, check): (Form, FormProblem),
) -> PageResult {
    let mut ctx = PageCtx::new(state, Some(p), headers, "greta-title", "/monitoring/greta");
    let tr = ctx.tr;
    let view = state.app.greta_round(p, id).await?;
    ctx.title = tr.args(
        "greta-round-title",
        &[("round", &view.round.round.to_string()), ("country", view.round.country.as_str())],
    );
    let status = check.status();
    let (check, follow_up_check, rec_typed, fu_typed) = match form {
        Form::Recommendation => (check, FormProblem::none(), FormPairs(typed.0.clone()), FormPairs(Vec::new())),
        Form::FollowUp => (FormProblem::none(), check, FormPairs(Vec::new()), FormPairs(typed.0.clone())),
    };
    let f = Fields { tr, prefix: "greta-recommendation", typed: &rec_typed, check: &check };
    let recommendation_fields = vec![
        f.field("paragraph", "text"),
        f.field("wording", "textarea"),
        f.choice::<Strength>("strength", "greta-strength", Some("greta-strength-from-wording")),
    ];
    let g = Fields { tr, prefix: "greta-follow-up", typed: &fu_typed, check: &follow_up_check };
    let mut recommendation = g.field("recommendation", "select");
    recommendation.options = view
        .recommendations
        .iter()
        .map(|l| {
            let words: String = l.recommendation.wording.chars().take(80).collect();
            let lead = if l.recommendation.paragraph.is_empty() {
                String::new()
            } else {
                format!("{}. ", l.recommendation.paragraph)
            };
            (l.recommendation.id.clone(), format!("{lead}{words}"))
        })
        .collect();
    let mut on = g.field("on", "date");
    if on.value.is_empty() {
        on.value = state.app.today().to_string();
    }
    let follow_up_fields = vec![
        recommendation,
        on,
        g.field("text", "textarea"),
        g.choice::<FollowUpStatus>("status", "greta-follow-up", None),
    ];
    let page = RoundPage {
        id: view.round.id.clone(),
        country: view.round.country.to_string(),
        round: view.round.round,
        questionnaire: day(view.round.questionnaire_sent_on),
        visit: visit(&view.round),
        report: day(view.round.report_published_on),
        link: view.round.report_link.clone(),
        recommendations: lines(&tr, &view),
        may_record: view.may_record,
        recommendation_fields,
        follow_up_fields,
        check,
        follow_up_check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn round_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_round(&state, &p, &headers, &id, &FormPairs(Vec::new()), (Form::Recommendation, FormProblem::none())).await
}

async fn add_recommendation(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<RecommendationInput>,
) -> PageResult {
    match state.app.add_greta_recommendation(&p, &id, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/greta/{id}"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "greta-recommendation")?;
            show_round(&state, &p, &headers, &id, &form.pairs, (Form::Recommendation, check)).await
        }
    }
}

/// The follow-up form: the recommendation it is of, and the follow-up.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FollowUpForm {
    recommendation: String,
    on: String,
    text: String,
    status: String,
}

async fn record_follow_up(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<FollowUpForm>,
) -> PageResult {
    // Who may not record follow-up is refused before the form is checked (403, audited).
    state.app.require(&p, haven_domain::Permission::RecordMonitoring).await?;
    let result = if form.input.recommendation.trim().is_empty() {
        Err(AppError::Invalid(haven_domain::ParseError::empty("recommendation")))
    } else {
        let i = &form.input;
        let follow_up = FollowUpInput { on: i.on.clone(), text: i.text.clone(), status: i.status.clone() };
        state.app.record_greta_follow_up(&p, &i.recommendation, &follow_up).await
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/monitoring/greta/{id}"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "greta-follow-up")?;
            show_round(&state, &p, &headers, &id, &form.pairs, (Form::FollowUp, check)).await
        }
    }
}

/// A recommendation without follow-up in the dashboard's section.
pub(crate) struct OpenLine {
    pub href: String,
    pub country: String,
    pub round: u8,
    pub paragraph: String,
    pub wording: String,
    pub strength: String,
}

pub(crate) fn open_lines(tr: &Tr<'_>, open: Vec<OpenRecommendation>) -> Vec<OpenLine> {
    open.into_iter()
        .map(|o| OpenLine {
            href: format!("/monitoring/greta/{}", o.round_id),
            country: o.country.to_string(),
            round: o.round,
            paragraph: o.recommendation.paragraph.clone(),
            strength: strength_label(tr, o.recommendation.strength),
            wording: o.recommendation.wording,
        })
        .collect()
}
