//! The support plan (`/cases/{case}/plan/…`): a service added to a case's plan, and a
//! service's status changed (started, completed, stopped for a reason).

use super::{
    Check, Failed, choices, country_organisations, directory, organisations, problem, support_page, tr_of,
    without_index,
};
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::PageForm;
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::Principal;
use haven_app::assist::PlanItemStatusInput;
use haven_domain::access::{Action, Compartment};
use haven_domain::assist::assessment::NeedArea;
use haven_domain::assist::plan::PlanItemInput;
use haven_domain::assist::services::ServiceType;
use haven_domain::{Coded, Permission};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/plan/new", get(plan_form).post(plan_save))
        .route("/cases/{case}/plan/{id}/status", post(plan_status))
}

#[derive(Template)]
#[template(path = "assist_plan.html")]
struct PlanPage<'a> {
    ctx: PageCtx<'a>,
    case_id: String,
    services: Vec<Choice>,
    needs: Vec<Choice>,
    goal: String,
    organisations: Vec<Choice>,
    providers: Vec<Choice>,
    starts_on: String,
    ends_on: String,
    free_of_charge: bool,
    notes: String,
    check: Check,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlanQuery {
    need: String,
    service: String,
}

async fn plan_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    case_id: &str,
    typed: &PlanItemInput,
    check: Check,
) -> PageResult {
    let view = state.app.support(p, case_id).await?;
    let orgs = organisations(state, p).await?;
    let directory = directory(state, p).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "support-plan-new-title", "/cases");
    let tr = ctx.tr;
    let status = check.status();
    let services: Vec<ServiceType> =
        ServiceType::ALL.iter().copied().filter(|s| view.child || !s.for_children()).collect();
    let areas: Vec<NeedArea> = NeedArea::required(view.child).collect();
    let responsible = if typed.responsible_organisation_id.is_empty() {
        p.organisation.id.as_str()
    } else {
        typed.responsible_organisation_id.trim()
    };
    let mut providers: Vec<Choice> = directory
        .iter()
        .map(|v| Choice {
            value: v.provider.id.clone(),
            label: v.provider.name.clone(),
            selected: v.provider.id == typed.provider_id.trim(),
        })
        .collect();
    providers.sort_by(|a, b| a.label.cmp(&b.label));
    let page = PlanPage {
        case_id: view.case_id.clone(),
        services: choices(&tr, "service", &services, &[typed.service.trim()]),
        needs: choices(&tr, "area", &areas, &[typed.need.trim()]),
        goal: typed.goal.clone(),
        organisations: country_organisations(&orgs, p)
            .into_iter()
            .map(|o| Choice { value: o.id.clone(), label: o.name.clone(), selected: o.id == responsible })
            .collect(),
        providers,
        starts_on: typed.starts_on.clone(),
        ends_on: typed.ends_on.clone(),
        free_of_charge: typed.free_of_charge,
        notes: typed.notes.clone(),
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn plan_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await?;
    let typed = PlanItemInput {
        need: q.need,
        service: q.service,
        starts_on: state.app.today().to_string(),
        ..PlanItemInput::default()
    };
    plan_page(&state, &p, &headers, &id, &typed, Check::none()).await
}

async fn plan_save(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<PlanItemInput>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await?;
    let PageForm { input, .. } = form?;
    match state.app.add_plan_item(&p, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}/support#plan"))),
        Err(e) => {
            let check = problem(&tr_of(&state, &p, &headers), e, without_index)?;
            plan_page(&state, &p, &headers, &id, &input, check).await
        }
    }
}

async fn plan_status(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, item)): Path<(String, String)>,
    form: Result<PageForm<PlanItemStatusInput>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await?;
    let PageForm { input, .. } = form?;
    match state.app.update_plan_item(&p, &id, &item, &input).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}/support#plan"))),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            let stop = format!("stop-{item}");
            let check = problem(&tr, e, |f| if f == "stop_reason" { stop.clone() } else { String::new() })?;
            support_page(
                &state,
                &p,
                &headers,
                &id,
                Some((check, Failed::Plan(item, input.stop_reason.trim().to_owned()))),
            )
            .await
        }
    }
}
