//! Assessments (`/cases/{case}/assessments/…`): the risk and needs assessment form of a case,
//! and a supervisor's review of a version waiting for it.

use super::{Check, Failed, checkbox, choices, label, list, problem, support_page, without_index};
use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::views::form::{PageForm, keyed};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::assist::AssessmentView;
use haven_app::{AppError, Principal};
use haven_domain::access::{Action, Compartment};
use haven_domain::assist::assessment::{AssessmentInput, NeedArea, NeedLevel, RiskLevel, SpecialNeeds};
use haven_domain::{Coded, MessageId, Permission};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/assessments/new", get(assessment_form).post(assessment_save))
        .route("/cases/{case}/assessments/review", post(assessment_review))
}

pub struct AreaRow {
    pub code: &'static str,
    /// The names of the level's radio group and of the notes.
    pub level_field: String,
    pub notes_field: String,
    pub label: String,
    pub levels: Vec<Choice>,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "assist_assessment.html")]
struct AssessmentPage<'a> {
    ctx: PageCtx<'a>,
    case_id: String,
    child: bool,
    assessed_on: String,
    risks: Vec<Choice>,
    risk_summary: String,
    areas: Vec<AreaRow>,
    special: Vec<Choice>,
    languages: String,
    lacks_means: bool,
    best_interests: String,
    views_heard: bool,
    childs_views: String,
    unaccompanied: bool,
    check: Check,
}

const SPECIAL: [&str; 4] = ["pregnancy", "disability", "mental_or_psychological_disorder", "serious_violence_suffered"];

fn special_flag(s: &SpecialNeeds, code: &str) -> bool {
    match code {
        "pregnancy" => s.pregnancy,
        "disability" => s.disability,
        "mental_or_psychological_disorder" => s.mental_or_psychological_disorder,
        "serious_violence_suffered" => s.serious_violence_suffered,
        _ => false,
    }
}

/// The assessment form as sent: the fields of [`AssessmentInput`] that are one input each. The
/// areas come as `levels.AREA` and `notes.AREA`, the special needs as `special.NEED`, and the
/// languages as one comma-separated list ([`AssessmentForm::input`]).
#[derive(Deserialize, Default)]
#[serde(default)]
struct AssessmentForm {
    assessed_on: String,
    risk_from_traffickers: String,
    risk_summary: String,
    languages: String,
    #[serde(deserialize_with = "checkbox")]
    lacks_means: bool,
    best_interests: String,
    #[serde(deserialize_with = "checkbox")]
    views_heard: bool,
    childs_views: String,
    #[serde(deserialize_with = "checkbox")]
    unaccompanied: bool,
}

impl AssessmentForm {
    /// The use case's input (what it parses, and what the page shows again); the child's part
    /// only for a child.
    fn input(self, pairs: &FormPairs, child: bool) -> AssessmentInput {
        let special = keyed(pairs, "special");
        let ticked = |code: &str| special.get(code).is_some_and(|v| super::is_on(v));
        let levels = keyed(pairs, "levels").into_iter().map(|(k, v)| (k, v.trim().to_owned())).collect();
        AssessmentInput {
            assessed_on: self.assessed_on,
            risk_from_traffickers: self.risk_from_traffickers,
            risk_summary: self.risk_summary,
            levels,
            notes: keyed(pairs, "notes"),
            special_needs: SpecialNeeds {
                pregnancy: ticked("pregnancy"),
                disability: ticked("disability"),
                mental_or_psychological_disorder: ticked("mental_or_psychological_disorder"),
                serious_violence_suffered: ticked("serious_violence_suffered"),
            },
            languages: list(&self.languages).into_iter().map(|l| l.to_ascii_lowercase()).collect(),
            lacks_means: self.lacks_means,
            best_interests: if child { self.best_interests } else { String::new() },
            views_heard: child && self.views_heard,
            childs_views: if child { self.childs_views } else { String::new() },
            unaccompanied: child && self.unaccompanied,
        }
    }
}

/// An earlier version as the starting point of a reassessment.
fn input_of(v: &AssessmentView, today: &str) -> AssessmentInput {
    let a = &v.assessment;
    AssessmentInput {
        assessed_on: today.to_owned(),
        risk_from_traffickers: a.risk_from_traffickers.code().to_owned(),
        risk_summary: a.risk_summary.clone(),
        levels: a.areas.iter().map(|(k, x)| (k.code().to_owned(), x.level.code().to_owned())).collect(),
        notes: a
            .areas
            .iter()
            .filter(|(_, x)| !x.notes.is_empty())
            .map(|(k, x)| (k.code().to_owned(), x.notes.clone()))
            .collect(),
        special_needs: a.special_needs.clone(),
        languages: a.languages.clone(),
        lacks_means: a.lacks_means,
        best_interests: a.child.as_ref().map(|c| c.best_interests.clone()).unwrap_or_default(),
        views_heard: a.child.as_ref().is_some_and(|c| c.views_heard),
        childs_views: a.child.as_ref().map(|c| c.childs_views.clone()).unwrap_or_default(),
        unaccompanied: a.child.as_ref().is_some_and(|c| c.unaccompanied),
    }
}

fn assessment_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    case_id: &str,
    child: bool,
    typed: &AssessmentInput,
    check: Check,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "support-assessment-title", "/cases");
    let tr = ctx.tr;
    let status = check.status();
    let areas = NeedArea::required(child)
        .map(|area| {
            let code = area.code();
            let level = typed.levels.get(code).map(String::as_str).unwrap_or_default();
            AreaRow {
                code,
                level_field: format!("levels.{code}"),
                notes_field: format!("notes.{code}"),
                label: label(&tr, "area", area),
                levels: choices(&tr, "level", NeedLevel::ALL, &[level]),
                notes: typed.notes.get(code).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let page = AssessmentPage {
        case_id: case_id.to_owned(),
        child,
        assessed_on: typed.assessed_on.clone(),
        risks: choices(&tr, "risk", RiskLevel::ALL, &[typed.risk_from_traffickers.trim()]),
        risk_summary: typed.risk_summary.clone(),
        areas,
        special: SPECIAL
            .iter()
            .map(|code| Choice {
                value: (*code).to_owned(),
                label: tr.t(&format!("support-special-{code}")),
                selected: special_flag(&typed.special_needs, code),
            })
            .collect(),
        languages: typed.languages.join(", "),
        lacks_means: typed.lacks_means,
        best_interests: typed.best_interests.clone(),
        views_heard: typed.views_heard,
        childs_views: typed.childs_views.clone(),
        unaccompanied: typed.unaccompanied,
        check,
        ctx,
    };
    with_status(render(&page), status)
}

async fn assessment_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await?;
    let view = state.app.support(&p, &id).await?;
    let today = state.app.today().to_string();
    let typed = match view.assessments.iter().max_by_key(|a| a.seq) {
        Some(latest) if latest.assessment.child.is_some() == view.child => input_of(latest, &today),
        _ => AssessmentInput { assessed_on: today, ..AssessmentInput::default() },
    };
    Ok(assessment_page(&state, &p, &headers, &view.case_id, view.child, &typed, Check::none()))
}

async fn assessment_save(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<AssessmentForm>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await?;
    let PageForm { input, pairs } = form?;
    let view = state.app.support(&p, &id).await?;
    let input = input.input(&pairs, view.child);
    match state.app.submit_assessment(&p, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}/support#assessments"))),
        Err(e) => {
            let check = problem(&super::tr_of(&state, &p, &headers), e, without_index)?;
            Ok(assessment_page(&state, &p, &headers, &view.case_id, view.child, &input, check))
        }
    }
}

/// A supervisor's review of the version `seq`: approve, or return it with a reason.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReviewForm {
    seq: Option<i64>,
    /// `approve`, or anything else to return it.
    decision: String,
    reason: String,
}

async fn assessment_review(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<ReviewForm>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::ReviewAssessments).await?;
    let PageForm { input, .. } = form?;
    let tr = super::tr_of(&state, &p, &headers);
    let seq = input
        .seq
        .ok_or_else(|| AppError::said("seq", "name the version that is reviewed", MessageId::ReviewVersion))?;
    match state.app.review_assessment(&p, &id, seq, input.decision == "approve", &input.reason).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}/support#assessments"))),
        Err(e) => {
            let at = format!("return-reason-{seq}");
            let check = problem(&tr, e, |f| if f == "reason" { at.clone() } else { String::new() })?;
            support_page(&state, &p, &headers, &id, Some((check, Failed::Review(seq, input.reason)))).await
        }
    }
}
