//! Pages of assistance: the support side of a case (risk and needs assessment with its review,
//! the support plan, the case's referrals), the provider directory with live capacity and
//! matching, and each organisation's referral inbox, outbox and overdue list.
//!
//! Every form works without JavaScript; a problem with what was typed answers 422 (409 for a
//! conflict) with the message next to the field at fault and the values kept.

use super::form::{FormProblem, PageForm, safe_id};
use super::page_error::{PageError, PageResult};
use super::{Choice, PageCtx, can, error_page, field_label, format_time, render, see_other, with_status};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::admin::Acting;
use haven_app::assist::{
    AssessmentView, Mailbox, PlanItemStatusInput, ProviderView, ReferralInput, ReferralStateInput, ReferralSummary,
    ReferralView,
};
use haven_app::{AppError, Principal};
use haven_domain::access::{Action, Compartment};
use haven_domain::assist::assessment::{AssessmentInput, NeedArea, NeedLevel, RiskLevel, SpecialNeeds};
use haven_domain::assist::directory::{
    ContactPointInput, LanguageCode, OfferedServiceInput, OpeningHoursInput, OpeningSlotInput, ProviderInput,
    RegionCode,
};
use haven_domain::assist::matching::{FactorScore, NeedQuery};
use haven_domain::assist::plan::{ItemStatus, PlanItemInput, StopReason};
use haven_domain::assist::referral::{
    ConsentBasis, ConsentInput, ReferralKind, ReferralState, SharedField, Side, check_transition,
};
use haven_domain::assist::services::{Audience, CapacityUnit, ServiceType};
use haven_domain::case::Sex;
use haven_domain::{Coded, ParseError, Permission};
use haven_storage::OrganisationRow;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/support", get(support))
        .route("/cases/{case}/assessments/new", get(assessment_form).post(assessment_save))
        .route("/cases/{case}/assessments/review", post(assessment_review))
        .route("/cases/{case}/plan/new", get(plan_form).post(plan_save))
        .route("/cases/{case}/plan/{id}/status", post(plan_status))
        .route("/providers", get(providers))
        .route("/providers/new", get(provider_new).post(provider_create))
        .route("/providers/match", get(match_page))
        .route("/providers/{id}/edit", get(provider_edit).post(provider_update))
        .route("/cases/{case}/referrals/new", get(referral_form).post(referral_save))
        .route("/referrals", get(referrals))
        .route("/referrals/{id}", get(referral))
        .route("/referrals/{id}/state", post(referral_state))
        .route("/referrals/{id}/follow-ups", post(referral_follow_up))
}

// ------------------------------------------------------------------ shared helpers

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The problem with a form, if any, and the input it belongs to.
pub type Check = FormProblem;

/// A field's label in the user's language: `support-field-NAME`, a need area for
/// `levels.AREA` and `notes.AREA`, a service for `capacity.SERVICE`, else the general labels.
fn label_for(tr: &Tr<'_>, at: &str, field: &str) -> String {
    if let Some(code) = at.strip_prefix("levels.").or_else(|| at.strip_prefix("notes."))
        && let Ok(area) = NeedArea::parse_code("area", code)
    {
        return label(tr, "area", area);
    }
    if let Some(code) = at.strip_prefix("capacity.").or_else(|| at.strip_prefix("service."))
        && let Ok(service) = ServiceType::parse_code("service", code)
    {
        return format!("{}: {}", tr.t("support-field-capacity"), label(tr, "service", service));
    }
    let base = at.split(['[', '.']).next().unwrap_or(at);
    let field_base = field.split(['[', '.']).next().unwrap_or(field);
    for candidate in [at, base, field, field_base] {
        let id = format!("support-field-{candidate}");
        let text = tr.t(&id);
        if text != id {
            return text;
        }
    }
    field_label(tr, field)
}

/// A problem found by the page itself.
fn check_of(tr: &Tr<'_>, at: &str, message: impl Into<String>) -> (StatusCode, Check) {
    let check = FormProblem::at(tr, at, message, label_for);
    (check.status(), check)
}

/// An application error a form shows (invalid input: 422 at the input `place(field)`; a
/// conflict: 409); any other error is handed back to become the error page.
fn problem(tr: &Tr<'_>, e: AppError, place: impl Fn(&str) -> String) -> Result<(StatusCode, Check), AppError> {
    FormProblem::of(tr, e, place, label_for).map(|check| (check.status(), check))
}

/// `languages[2]` is the input `languages`.
fn without_index(field: &str) -> String {
    field.split('[').next().unwrap_or(field).to_owned()
}

/// A coded value's label: the message `support-KIND-CODE`.
fn label<C: Coded>(tr: &Tr<'_>, kind: &str, value: C) -> String {
    tr.t(&format!("support-{kind}-{}", value.code()))
}

/// The message `id`, or `raw` when there is none.
fn t_or(tr: &Tr<'_>, id: &str, raw: &str) -> String {
    let text = tr.t(id);
    if text == id { raw.to_owned() } else { text }
}

fn choices<C: Coded>(tr: &Tr<'_>, kind: &str, values: &[C], selected: &[&str]) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: v.code().to_owned(),
            label: label(tr, kind, *v),
            selected: selected.contains(&v.code()),
        })
        .collect()
}

fn checked(form: &FormPairs, name: &str) -> bool {
    matches!(form.get(name), Some("on" | "yes" | "true" | "1"))
}

fn is_on(value: &str) -> bool {
    matches!(value.trim(), "on" | "yes" | "true" | "1")
}

fn text(form: &FormPairs, name: &str) -> String {
    form.get(name).unwrap_or_default().to_owned()
}

/// Items of a comma (or space, or semicolon) separated list.
fn list(text: &str) -> Vec<String> {
    text.split([',', ' ', ';', '\n', '\r', '\t']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn tr_of<'a>(state: &'a AppState, p: &Principal, headers: &HeaderMap) -> Tr<'a> {
    state.i18n.tr(super::language_of(Some(p), headers))
}

/// Organisations the user may list (none when they may not).
async fn organisations(state: &AppState, p: &Principal) -> Result<Vec<OrganisationRow>, AppError> {
    match state.app.organisations(Acting::User(p)).await {
        Ok(o) => Ok(o),
        Err(AppError::Forbidden) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

/// The organisation an instance creates for its first administrator: it receives no referrals.
const OPERATOR_ORGANISATION: &str = "Haven operator";

/// Organisations of the user's country that take part in assistance (no statistics offices).
fn country_organisations<'a>(orgs: &'a [OrganisationRow], p: &Principal) -> Vec<&'a OrganisationRow> {
    let mut out: Vec<&OrganisationRow> =
        orgs.iter().filter(|o| o.jurisdiction == p.organisation.jurisdiction && !o.kind.is_statistical()).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn names(orgs: &[OrganisationRow]) -> HashMap<String, String> {
    orgs.iter().map(|o| (o.id.clone(), o.name.clone())).collect()
}

fn name_of(names: &HashMap<String, String>, id: &str) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

/// The directory of the user's country (empty for those who may not read it).
async fn directory(state: &AppState, p: &Principal) -> Result<Vec<ProviderView>, AppError> {
    match state.app.providers(p).await {
        Ok(v) => Ok(v),
        Err(AppError::Forbidden) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

/// "free 3 of 4 beds", "free 2 of 10 places", "not limited".
fn capacity_text(tr: &Tr<'_>, service: ServiceType, capacity: Option<u32>, occupied: u32) -> String {
    match capacity {
        None => tr.t("support-capacity-unlimited"),
        Some(capacity) => {
            let free = capacity.saturating_sub(occupied);
            let counts = format!("{free} {} {capacity}", tr.t("support-of"));
            let id = match service.capacity_unit() {
                CapacityUnit::Bed => "support-capacity-bed",
                CapacityUnit::Place => "support-capacity-place",
            };
            tr.t1(id, "counts", &counts)
        }
    }
}

/// One line of a ranking's explanation.
pub struct FactorLine {
    pub label: String,
    pub points: u32,
    pub sentence: String,
}

fn factor_lines(tr: &Tr<'_>, factors: &[FactorScore]) -> Vec<FactorLine> {
    factors
        .iter()
        .map(|f| FactorLine { label: label(tr, "factor", f.factor), points: f.points, sentence: f.sentence.clone() })
        .collect()
}

/// A referral as a line of a list.
pub struct ReferralLine {
    pub id: String,
    pub kind: String,
    pub service: String,
    pub from: String,
    pub to: String,
    pub state: String,
    pub urgent: bool,
    pub due: String,
    pub overdue: bool,
    /// The case reference and the person's initials, where the reader may read the identity.
    pub person: String,
    /// When it was sent (empty for a draft).
    pub sent: String,
}

fn referral_line(tr: &Tr<'_>, orgs: &HashMap<String, String>, r: &ReferralSummary) -> ReferralLine {
    ReferralLine {
        id: r.id.clone(),
        kind: label(tr, "referral-kind", r.kind),
        service: r.service.map(|s| label(tr, "service", s)).unwrap_or_default(),
        from: name_of(orgs, &r.from_organisation_id),
        to: name_of(orgs, &r.to_organisation_id),
        state: label(tr, "referral-state", r.state),
        urgent: r.urgent,
        due: r.due_on.clone().unwrap_or_default(),
        overdue: r.overdue,
        person: String::new(),
        sent: String::new(),
    }
}

/// A referral line with what tells it from the others: the person and the date sent.
fn hinted_line(
    tr: &Tr<'_>,
    orgs: &HashMap<String, String>,
    hints: &HashMap<String, haven_app::queues::ReferralHint>,
    r: &ReferralSummary,
) -> ReferralLine {
    let mut line = referral_line(tr, orgs, r);
    if let Some(h) = hints.get(&r.id) {
        line.person = [h.case_reference.as_deref(), h.initials.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        line.sent = h.sent_at.as_ref().map(super::format_time).unwrap_or_default();
    }
    line
}

// ------------------------------------------------------------------ the support side of a case

pub struct AreaLine {
    pub label: String,
    pub level: String,
    pub urgent: bool,
    pub notes: String,
}

pub struct AssessmentBlock {
    pub seq: i64,
    pub state: String,
    pub assessed_on: String,
    /// Submitted by the user looking at it (who cannot review it).
    pub mine: bool,
    pub return_reason: Option<String>,
    pub risk: String,
    pub risk_summary: String,
    pub areas: Vec<AreaLine>,
    pub special: Vec<String>,
    pub languages: String,
    pub lacks_means: bool,
    pub best_interests: Option<String>,
    pub views_heard: bool,
    pub childs_views: String,
    pub unaccompanied: bool,
    /// The problem with this version's review, if the last attempt failed.
    pub review_error: Option<String>,
}

fn special_labels(tr: &Tr<'_>, s: &SpecialNeeds) -> Vec<String> {
    [
        (s.pregnancy, "pregnancy"),
        (s.disability, "disability"),
        (s.mental_or_psychological_disorder, "mental_or_psychological_disorder"),
        (s.serious_violence_suffered, "serious_violence_suffered"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, code)| tr.t(&format!("support-special-{code}")))
    .collect()
}

fn assessment_block(tr: &Tr<'_>, p: &Principal, v: &AssessmentView) -> AssessmentBlock {
    let a = &v.assessment;
    AssessmentBlock {
        seq: v.seq,
        state: label(tr, "assessment-state", v.state),
        assessed_on: v.assessed_on.clone(),
        mine: v.assessed_by == p.user.id,
        return_reason: v.return_reason.clone(),
        risk: label(tr, "risk", a.risk_from_traffickers),
        risk_summary: a.risk_summary.clone(),
        areas: a
            .areas
            .iter()
            .map(|(area, x)| AreaLine {
                label: label(tr, "area", *area),
                level: label(tr, "level", x.level),
                urgent: x.level == NeedLevel::Urgent,
                notes: x.notes.clone(),
            })
            .collect(),
        special: special_labels(tr, &a.special_needs),
        languages: a.languages.join(", "),
        lacks_means: a.lacks_means,
        best_interests: a.child.as_ref().map(|c| c.best_interests.clone()),
        views_heard: a.child.as_ref().is_some_and(|c| c.views_heard),
        childs_views: a.child.as_ref().map(|c| c.childs_views.clone()).unwrap_or_default(),
        unaccompanied: a.child.as_ref().is_some_and(|c| c.unaccompanied),
        review_error: None,
    }
}

pub struct NeedLine {
    pub code: &'static str,
    pub label: String,
    pub urgent: bool,
    pub unmet: bool,
}

pub struct PlanLine {
    pub id: String,
    pub version: i64,
    pub service: String,
    pub need: String,
    pub goal: String,
    pub responsible: String,
    pub provider: String,
    pub starts: String,
    pub ends: String,
    pub status: String,
    pub stop_reason: String,
    pub free: bool,
    pub notes: String,
    pub can_start: bool,
    pub can_complete: bool,
    pub can_stop: bool,
    /// The problem with this service's last change, if it failed.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "assist_support.html")]
struct SupportPage<'a> {
    ctx: PageCtx<'a>,
    /// Referral lines without the person and the date sent: the page is the person's case.
    show_hints: bool,
    case_id: String,
    reference: String,
    child: bool,
    in_force: Option<AssessmentBlock>,
    waiting: Vec<AssessmentBlock>,
    history: Vec<AssessmentBlock>,
    needs: Vec<NeedLine>,
    unmet: Vec<NeedLine>,
    plan: Vec<PlanLine>,
    stop_reasons: Vec<Choice>,
    referrals: Vec<ReferralLine>,
    may_write: bool,
    may_review: bool,
    may_refer: bool,
    check: Check,
}

/// What failed on the support page, to show next to its form.
enum Failed {
    Plan(String),
    Review(i64),
}

async fn support(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    support_page(&state, &p, &headers, &id, None).await
}

async fn support_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    failed: Option<(StatusCode, Check, Failed)>,
) -> Response {
    let view = match state.app.support(p, id).await {
        Ok(v) => v,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let orgs = match organisations(state, p).await {
        Ok(o) => names(&o),
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let providers: HashMap<String, String> = match directory(state, p).await {
        Ok(v) => v.into_iter().map(|v| (v.provider.id.clone(), v.provider.name)).collect(),
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let reference = state.app.case_summary(p, id).await.map(|c| c.reference).unwrap_or_default();
    let ctx = PageCtx::new(state, Some(p), headers, "support-title", "/cases");
    let tr = ctx.tr;
    let (status, check, failed) = match failed {
        Some((s, c, f)) => (s, c, Some(f)),
        None => (StatusCode::OK, Check::default(), None),
    };
    let failure_message = check.line();
    let mut in_force = None;
    let mut waiting = Vec::new();
    let mut history = Vec::new();
    let mut assessments: Vec<&AssessmentView> = view.assessments.iter().collect();
    assessments.sort_by_key(|a| std::cmp::Reverse(a.seq));
    for a in assessments {
        let mut block = assessment_block(&tr, p, a);
        if matches!(failed, Some(Failed::Review(seq)) if seq == a.seq) {
            block.review_error = failure_message.clone();
        }
        if a.in_force {
            in_force = Some(block);
        } else if a.state == haven_domain::assist::assessment::AssessmentState::Submitted {
            waiting.push(block);
        } else {
            history.push(block);
        }
    }
    let needs: Vec<NeedLine> = view
        .needs
        .iter()
        .map(|(area, level)| NeedLine {
            code: area.code(),
            label: label(&tr, "area", *area),
            urgent: *level == NeedLevel::Urgent,
            unmet: view.unmet_needs.contains(area),
        })
        .collect();
    let unmet = view
        .unmet_needs
        .iter()
        .map(|area| NeedLine {
            code: area.code(),
            label: label(&tr, "area", *area),
            urgent: view.needs.iter().any(|(a, l)| a == area && *l == NeedLevel::Urgent),
            unmet: true,
        })
        .collect();
    let plan = view
        .plan
        .iter()
        .map(|item| {
            let i = &item.item;
            PlanLine {
                id: item.id.clone(),
                version: item.version,
                service: label(&tr, "service", i.service),
                need: i.need.map(|n| label(&tr, "area", n)).unwrap_or_default(),
                goal: i.goal.clone(),
                responsible: name_of(&orgs, &i.responsible_organisation_id),
                provider: i
                    .provider_id
                    .as_deref()
                    .map(|id| providers.get(id).cloned().unwrap_or_else(|| id.to_owned()))
                    .unwrap_or_default(),
                starts: i.starts_on.to_string(),
                ends: i.ends_on.map(|d| d.to_string()).unwrap_or_default(),
                status: label(&tr, "plan-status", i.status),
                stop_reason: i.stop_reason.map(|r| label(&tr, "stop", r)).unwrap_or_default(),
                free: i.free_of_charge,
                notes: i.notes.clone(),
                can_start: i.status == ItemStatus::Planned,
                can_complete: i.status == ItemStatus::InProgress,
                can_stop: matches!(i.status, ItemStatus::Planned | ItemStatus::InProgress),
                error: match &failed {
                    Some(Failed::Plan(id)) if *id == item.id => failure_message.clone(),
                    _ => None,
                },
            }
        })
        .collect();
    let referrals = view.referrals.iter().map(|r| referral_line(&tr, &orgs, r)).collect();
    let page = SupportPage {
        show_hints: false,
        case_id: view.case_id.clone(),
        reference,
        child: view.child,
        in_force,
        waiting,
        history,
        needs,
        unmet,
        plan,
        stop_reasons: choices(&tr, "stop", StopReason::ALL, &[]),
        referrals,
        may_write: can(p, Permission::Case(Compartment::Support, Action::Write)),
        may_review: can(p, Permission::ReviewAssessments),
        may_refer: can(p, Permission::ManageReferrals),
        check,
        ctx,
    };
    with_status(render(&page), status)
}

async fn assessment_review(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ReviewAssessments).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let Some(seq) = form.get("seq").and_then(|s| s.trim().parse::<i64>().ok()) else {
        return error_page(&state, Some(&p), &headers, AppError::invalid("seq", "which version is reviewed").into());
    };
    let approve = form.get("decision") == Some("approve");
    let reason = text(&form, "reason");
    match state.app.review_assessment(&p, &id, seq, approve, &reason).await {
        Ok(_) => see_other(&format!("/cases/{id}/support#assessments")),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            match problem(&tr, e, |f| if f == "reason" { format!("return-reason-{seq}") } else { String::new() }) {
                Ok((status, check)) => {
                    support_page(&state, &p, &headers, &id, Some((status, check, Failed::Review(seq)))).await
                }
                Err(e) => error_page(&state, Some(&p), &headers, e.into()),
            }
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
            let check =
                FormProblem::of(&tr, e, |f| if f == "stop_reason" { stop.clone() } else { String::new() }, label_for)?;
            Ok(support_page(&state, &p, &headers, &id, Some((check.status(), check, Failed::Plan(item)))).await)
        }
    }
}

// ------------------------------------------------------------------ assessment form

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

/// The form's values as an assessment input (what a page shows and what the use case parses).
fn assessment_input(form: &FormPairs, child: bool) -> AssessmentInput {
    let mut levels = BTreeMap::new();
    let mut notes = BTreeMap::new();
    for area in NeedArea::required(child) {
        let code = area.code();
        if let Some(v) = form.get(&format!("levels.{code}")).map(str::trim).filter(|v| !v.is_empty()) {
            levels.insert(code.to_owned(), v.to_owned());
        }
        if let Some(v) = form.get(&format!("notes.{code}")).filter(|v| !v.trim().is_empty()) {
            notes.insert(code.to_owned(), v.to_owned());
        }
    }
    let child_text = |name: &str| if child { text(form, name) } else { String::new() };
    AssessmentInput {
        assessed_on: text(form, "assessed_on"),
        risk_from_traffickers: text(form, "risk_from_traffickers"),
        risk_summary: text(form, "risk_summary"),
        levels,
        notes,
        special_needs: SpecialNeeds {
            pregnancy: checked(form, "special.pregnancy"),
            disability: checked(form, "special.disability"),
            mental_or_psychological_disorder: checked(form, "special.mental_or_psychological_disorder"),
            serious_violence_suffered: checked(form, "special.serious_violence_suffered"),
        },
        languages: list(&text(form, "languages")).into_iter().map(|l| l.to_ascii_lowercase()).collect(),
        lacks_means: checked(form, "lacks_means"),
        best_interests: child_text("best_interests"),
        views_heard: child && checked(form, "views_heard"),
        childs_views: child_text("childs_views"),
        unaccompanied: child && checked(form, "unaccompanied"),
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
    failed: Option<(StatusCode, Check)>,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "support-assessment-title", "/cases");
    let tr = ctx.tr;
    let (status, check) = failed.unwrap_or_default();
    let status = if check.is_some() { status } else { StatusCode::OK };
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
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let view = match state.app.support(&p, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let today = state.app.today().to_string();
    let typed = match view.assessments.iter().max_by_key(|a| a.seq) {
        Some(latest) if latest.assessment.child.is_some() == view.child => input_of(latest, &today),
        _ => AssessmentInput { assessed_on: today, ..AssessmentInput::default() },
    };
    assessment_page(&state, &p, &headers, &view.case_id, view.child, &typed, None)
}

async fn assessment_save(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let view = match state.app.support(&p, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let input = assessment_input(&form, view.child);
    match state.app.submit_assessment(&p, &id, &input).await {
        Ok(_) => see_other(&format!("/cases/{id}/support#assessments")),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            match problem(&tr, e, without_index) {
                Ok(failed) => assessment_page(&state, &p, &headers, &view.case_id, view.child, &input, Some(failed)),
                Err(e) => error_page(&state, Some(&p), &headers, e.into()),
            }
        }
    }
}

// ------------------------------------------------------------------ a service of the plan

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
    failed: Option<(StatusCode, Check)>,
) -> Response {
    let view = match state.app.support(p, case_id).await {
        Ok(v) => v,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let orgs = match organisations(state, p).await {
        Ok(o) => o,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let directory = match directory(state, p).await {
        Ok(v) => v,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "support-plan-new-title", "/cases");
    let tr = ctx.tr;
    let (status, check) = failed.unwrap_or_default();
    let status = if check.is_some() { status } else { StatusCode::OK };
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
    with_status(render(&page), status)
}

async fn plan_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::Case(Compartment::Support, Action::Write)).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let typed = PlanItemInput {
        need: q.need,
        service: q.service,
        starts_on: state.app.today().to_string(),
        ..PlanItemInput::default()
    };
    plan_page(&state, &p, &headers, &id, &typed, None).await
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
            let tr = tr_of(&state, &p, &headers);
            let check = FormProblem::of(&tr, e, without_index, label_for)?;
            Ok(plan_page(&state, &p, &headers, &id, &input, Some((check.status(), check))).await)
        }
    }
}

// ------------------------------------------------------------------ the provider directory

pub struct OfferLine {
    pub label: String,
    pub capacity: String,
}

pub struct ContactLine {
    pub label: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub struct ProviderCard {
    pub name: String,
    pub edit_href: String,
    pub organisation: String,
    pub specialised: bool,
    pub offers: Vec<OfferLine>,
    pub accepts: String,
    pub languages: String,
    pub regions: String,
    pub contacts: Vec<ContactLine>,
    pub hours: Vec<String>,
}

#[derive(Template)]
#[template(path = "assist_providers.html")]
struct ProvidersPage<'a> {
    ctx: PageCtx<'a>,
    services: Vec<Choice>,
    audiences: Vec<Choice>,
    language: String,
    region: String,
    q: String,
    cards: Vec<ProviderCard>,
    count: String,
    may_manage: bool,
    check: Check,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DirectoryQuery {
    service: String,
    audience: String,
    language: String,
    region: String,
    q: String,
}

fn hours_lines(tr: &Tr<'_>, v: &ProviderView) -> Vec<String> {
    let h = &v.provider.opening_hours;
    if h.always_open {
        return vec![tr.t("support-always-open")];
    }
    if h.slots.is_empty() {
        return vec![tr.t("support-by-arrangement")];
    }
    h.slots
        .iter()
        .map(|s| format!("{} {}–{}", tr.t(&format!("support-weekday-{}", s.weekday)), s.opens, s.closes))
        .collect()
}

fn provider_card(tr: &Tr<'_>, orgs: &HashMap<String, String>, v: &ProviderView, may_manage: bool) -> ProviderCard {
    let pr = &v.provider;
    ProviderCard {
        name: pr.name.clone(),
        edit_href: if may_manage { format!("/providers/{}/edit", segment(&pr.id)) } else { String::new() },
        organisation: pr.organisation_id.as_deref().map(|o| name_of(orgs, o)).unwrap_or_default(),
        specialised: pr.trafficking_specialised,
        offers: pr
            .services
            .iter()
            .map(|s| OfferLine {
                label: label(tr, "service", s.service),
                capacity: capacity_text(tr, s.service, s.capacity, s.occupied),
            })
            .collect(),
        accepts: pr.accepts.iter().map(|a| label(tr, "audience", *a)).collect::<Vec<_>>().join(", "),
        languages: pr.languages.iter().map(LanguageCode::as_str).collect::<Vec<_>>().join(", "),
        regions: pr.regions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        contacts: pr
            .contact_points
            .iter()
            .map(|c| ContactLine { label: c.label.clone(), phone: c.phone.clone(), email: c.email.clone() })
            .collect(),
        hours: hours_lines(tr, v),
    }
}

async fn providers(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<DirectoryQuery>,
) -> Response {
    let all = match state.app.providers(&p).await {
        Ok(v) => v,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let orgs = match organisations(&state, &p).await {
        Ok(o) => names(&o),
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "support-providers-title", "/providers");
    let tr = ctx.tr;
    let mut failed: Option<(StatusCode, Check)> = None;
    let mut fail = |at: &str, message: String| {
        if failed.is_none() {
            failed = Some(check_of(&tr, at, message));
        }
    };
    let service = match q.service.trim() {
        "" => None,
        s => ServiceType::parse_code("service", s).map_err(|e| fail("service", e.message)).ok(),
    };
    let audience = match q.audience.trim() {
        "" => None,
        s => Audience::parse_code("audience", s).map_err(|e| fail("audience", e.message)).ok(),
    };
    let language = match q.language.trim() {
        "" => None,
        s => LanguageCode::parse("language", &s.to_ascii_lowercase()).map_err(|e| fail("language", e.message)).ok(),
    };
    let region = match q.region.trim() {
        "" => None,
        s => RegionCode::parse("region", &s.to_ascii_uppercase()).map_err(|e| fail("region", e.message)).ok(),
    };
    let needle = q.q.trim().to_lowercase();
    let may_manage = can(&p, Permission::ManageProviders);
    let mut shown: Vec<&ProviderView> = all
        .iter()
        .filter(|v| {
            let pr = &v.provider;
            service.is_none_or(|s| pr.offer(s).is_some())
                && audience.is_none_or(|a| pr.accepts(a))
                && language.is_none_or(|l| pr.languages.contains(&l))
                && region.is_none_or(|r| pr.regions.iter().any(|x| x.covers(&r) || r.covers(x)))
                && (needle.is_empty() || pr.name.to_lowercase().contains(&needle))
        })
        .collect();
    shown.sort_by(|a, b| a.provider.name.cmp(&b.provider.name).then(a.provider.id.cmp(&b.provider.id)));
    let cards: Vec<ProviderCard> = shown.iter().map(|v| provider_card(&tr, &orgs, v, may_manage)).collect();
    let (status, check) = failed.unwrap_or_default();
    let status = if check.is_some() { status } else { StatusCode::OK };
    let page = ProvidersPage {
        services: choices(&tr, "service", ServiceType::ALL, &[q.service.trim()]),
        audiences: choices(&tr, "audience", Audience::ALL, &[q.audience.trim()]),
        language: q.language,
        region: q.region,
        q: q.q,
        count: tr.t1("support-providers-count", "count", &cards.len().to_string()),
        cards,
        may_manage,
        check,
        ctx,
    };
    with_status(render(&page), status)
}

// ------------------------------------------------------------------ provider form

pub struct OfferRow {
    pub code: &'static str,
    pub label: String,
    pub offered: bool,
    pub capacity: String,
}

/// The provider form's values as typed.
#[derive(Default)]
struct ProviderTyped {
    id: String,
    name: String,
    organisation_id: String,
    offers: Vec<(ServiceType, bool, String)>,
    languages: String,
    regions: String,
    accepts: Vec<String>,
    specialised: bool,
    contacts: String,
    always_open: bool,
    hours: String,
    version: i64,
}

impl ProviderTyped {
    fn from_form(form: &FormPairs) -> Self {
        ProviderTyped {
            id: text(form, "id").trim().to_owned(),
            name: text(form, "name"),
            organisation_id: text(form, "organisation_id"),
            offers: ServiceType::ALL
                .iter()
                .map(|s| {
                    let code = s.code();
                    (*s, checked(form, &format!("service.{code}")), text(form, &format!("capacity.{code}")))
                })
                .collect(),
            languages: text(form, "languages"),
            regions: text(form, "regions"),
            accepts: form.all("accepts"),
            specialised: checked(form, "trafficking_specialised"),
            contacts: text(form, "contact_points"),
            always_open: checked(form, "always_open"),
            hours: text(form, "opening_hours"),
            version: form.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or(0),
        }
    }

    fn from_view(v: &ProviderView) -> Self {
        let pr = &v.provider;
        ProviderTyped {
            id: pr.id.clone(),
            name: pr.name.clone(),
            organisation_id: pr.organisation_id.clone().unwrap_or_default(),
            offers: ServiceType::ALL
                .iter()
                .map(|s| {
                    let offer = pr.offer(*s);
                    (*s, offer.is_some(), offer.and_then(|o| o.capacity).map(|c| c.to_string()).unwrap_or_default())
                })
                .collect(),
            languages: pr.languages.iter().map(LanguageCode::as_str).collect::<Vec<_>>().join(", "),
            regions: pr.regions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            accepts: pr.accepts.iter().map(|a| a.code().to_owned()).collect(),
            specialised: pr.trafficking_specialised,
            contacts: pr
                .contact_points
                .iter()
                .map(|c| {
                    [Some(c.label.as_str()), c.phone.as_deref(), c.email.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            always_open: pr.opening_hours.always_open,
            hours: pr
                .opening_hours
                .slots
                .iter()
                .map(|s| format!("{} {}-{}", s.weekday, s.opens, s.closes))
                .collect::<Vec<_>>()
                .join("\n"),
            version: v.version,
        }
    }

    /// The provider input, and for each of its services the service (to place errors).
    fn input(&self, country: &str) -> Result<(ProviderInput, Vec<ServiceType>), (String, String)> {
        let bad = |at: &str, message: String| (at.to_owned(), message);
        let id = if self.id.is_empty() { slug(&self.name) } else { self.id.clone() };
        if id.is_empty() {
            return Err(bad("id", "give an identifier, or a name to make one from".into()));
        }
        let mut services = Vec::new();
        let mut order = Vec::new();
        for (service, offered, capacity) in &self.offers {
            if !offered {
                continue;
            }
            let capacity = match capacity.trim() {
                "" => None,
                c => Some(c.parse::<u32>().map_err(|_| {
                    bad(
                        &format!("capacity.{}", service.code()),
                        format!("{c:?} is not a whole number of beds or places"),
                    )
                })?),
            };
            services.push(OfferedServiceInput { service: service.code().to_owned(), capacity, occupied: 0 });
            order.push(*service);
        }
        let mut contact_points = Vec::new();
        for (n, line) in self.contacts.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let mut parts = line.split(';').map(str::trim);
            let label = parts.next().unwrap_or_default().to_owned();
            let (mut phone, mut email) = (None, None);
            for part in parts.filter(|p| !p.is_empty()) {
                if part.contains('@') {
                    email = Some(part.to_owned());
                } else {
                    phone = Some(part.to_owned());
                }
            }
            if label.is_empty() {
                return Err(bad("contact_points", format!("line {}: begin with a label, such as Intake;", n + 1)));
            }
            contact_points.push(ContactPointInput { label, phone, email });
        }
        let mut slots = Vec::new();
        for (n, line) in self.hours.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let shape = || {
                bad("opening_hours", format!("line {}: write the weekday and the times, such as 1 09:00-17:00", n + 1))
            };
            let mut parts = line.split_whitespace();
            let weekday = parts.next().and_then(|d| d.parse::<u8>().ok()).ok_or_else(shape)?;
            let times: String = parts.collect();
            let (opens, closes) = times.split_once(['-', '–']).ok_or_else(shape)?;
            slots.push(OpeningSlotInput { weekday, opens: opens.trim().to_owned(), closes: closes.trim().to_owned() });
        }
        let input = ProviderInput {
            id,
            organisation_id: Some(self.organisation_id.trim().to_owned()).filter(|o| !o.is_empty()),
            name: self.name.clone(),
            country: country.to_owned(),
            services,
            languages: list(&self.languages).into_iter().map(|l| l.to_ascii_lowercase()).collect(),
            regions: list(&self.regions).into_iter().map(|r| r.to_ascii_uppercase()).collect(),
            accepts: self.accepts.clone(),
            trafficking_specialised: self.specialised,
            contact_points,
            opening_hours: OpeningHoursInput { always_open: self.always_open, slots },
        };
        Ok((input, order))
    }
}

/// An identifier made from a name: lower-case letters and digits, hyphens between.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'ā' | 'á' | 'à' | 'ä' | 'å' => 'a',
            'č' | 'ç' | 'ć' => 'c',
            'ē' | 'é' | 'è' | 'ë' | 'ė' | 'ę' => 'e',
            'ģ' | 'ğ' => 'g',
            'ī' | 'í' | 'ì' | 'ï' | 'į' => 'i',
            'ķ' => 'k',
            'ļ' | 'ł' => 'l',
            'ņ' | 'ñ' | 'ń' => 'n',
            'ō' | 'ó' | 'ò' | 'ö' | 'õ' => 'o',
            'š' | 'ś' => 's',
            'ū' | 'ú' | 'ù' | 'ü' | 'ų' => 'u',
            'ž' | 'ź' | 'ż' => 'z',
            c => c,
        };
        if folded.is_ascii_alphanumeric() {
            out.push(folded);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Where an error of the provider's input shows on the form.
fn provider_place(order: &[ServiceType], field: &str) -> String {
    if let Some(rest) = field.strip_prefix("services[")
        && let Some((index, what)) = rest.split_once(']')
    {
        return match (index.parse::<usize>().ok().and_then(|i| order.get(i)), what) {
            (Some(s), ".capacity") => format!("capacity.{}", s.code()),
            _ => "services".into(),
        };
    }
    let base = field.split(['[', '.']).next().unwrap_or(field);
    match base {
        "languages" | "regions" | "accepts" | "contact_points" | "opening_hours" | "services" => base.to_owned(),
        other => other.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "assist_provider_form.html")]
struct ProviderFormPage<'a> {
    ctx: PageCtx<'a>,
    editing: bool,
    action: String,
    id: String,
    name: String,
    organisations: Vec<Choice>,
    country: String,
    offers: Vec<OfferRow>,
    languages: String,
    regions: String,
    audiences: Vec<Choice>,
    specialised: bool,
    contacts: String,
    always_open: bool,
    hours: String,
    version: i64,
    check: Check,
}

async fn provider_form_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    editing: bool,
    typed: &ProviderTyped,
    failed: Option<(StatusCode, Check)>,
) -> Response {
    let orgs = match organisations(state, p).await {
        Ok(o) => o,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let title = if editing { "support-provider-edit-title" } else { "support-provider-new-title" };
    let ctx = PageCtx::new(state, Some(p), headers, title, "/providers");
    let tr = ctx.tr;
    let (status, check) = failed.unwrap_or_default();
    let status = if check.is_some() { status } else { StatusCode::OK };
    let accepts: Vec<&str> = typed.accepts.iter().map(String::as_str).collect();
    let page = ProviderFormPage {
        editing,
        action: if editing { format!("/providers/{}/edit", segment(&typed.id)) } else { "/providers/new".into() },
        id: typed.id.clone(),
        name: typed.name.clone(),
        organisations: country_organisations(&orgs, p)
            .into_iter()
            .map(|o| Choice {
                value: o.id.clone(),
                label: o.name.clone(),
                selected: o.id == typed.organisation_id.trim(),
            })
            .collect(),
        country: p.organisation.jurisdiction.code().to_owned(),
        offers: typed
            .offers
            .iter()
            .map(|(s, offered, capacity)| OfferRow {
                code: s.code(),
                label: label(&tr, "service", *s),
                offered: *offered,
                capacity: capacity.clone(),
            })
            .collect(),
        languages: typed.languages.clone(),
        regions: typed.regions.clone(),
        audiences: choices(&tr, "audience", Audience::ALL, &accepts),
        specialised: typed.specialised,
        contacts: typed.contacts.clone(),
        always_open: typed.always_open,
        hours: typed.hours.clone(),
        version: typed.version,
        check,
        ctx,
    };
    with_status(render(&page), status)
}

async fn provider_new(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ManageProviders).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let typed = ProviderTyped {
        offers: ServiceType::ALL.iter().map(|s| (*s, false, String::new())).collect(),
        ..ProviderTyped::default()
    };
    provider_form_page(&state, &p, &headers, false, &typed, None).await
}

async fn provider_edit(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match state.app.provider_to_edit(&p, &id).await {
        Ok(v) => provider_form_page(&state, &p, &headers, true, &ProviderTyped::from_view(&v), None).await,
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

async fn provider_save(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    editing: Option<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = state.app.require(p, Permission::ManageProviders).await {
        return error_page(state, Some(p), headers, e.into());
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(state, Some(p), headers, e),
    };
    let mut typed = ProviderTyped::from_form(&form);
    let version = match &editing {
        Some(id) => {
            // The identifier is the one being edited, whatever the form says.
            typed.id = id.clone();
            if let Err(e) = state.app.provider_to_edit(p, id).await {
                return error_page(state, Some(p), headers, e.into());
            }
            Some(typed.version)
        }
        None => None,
    };
    let tr = tr_of(state, p, headers);
    let (input, order) = match typed.input(p.organisation.jurisdiction.code()) {
        Ok(x) => x,
        Err((at, message)) => {
            let failed = check_of(&tr, &at, message);
            return provider_form_page(state, p, headers, editing.is_some(), &typed, Some(failed)).await;
        }
    };
    match state.app.save_provider(p, &input, version).await {
        Ok(_) => see_other("/providers"),
        Err(e) => match problem(&tr, e, |f| provider_place(&order, f)) {
            Ok(failed) => provider_form_page(state, p, headers, editing.is_some(), &typed, Some(failed)).await,
            Err(e) => error_page(state, Some(p), headers, e.into()),
        },
    }
}

async fn provider_create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<FormPairs, WebError>,
) -> Response {
    provider_save(&state, &p, &headers, None, form).await
}

async fn provider_update(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    provider_save(&state, &p, &headers, Some(id), form).await
}

// ------------------------------------------------------------------ matching

/// The person's need as the matching forms carry it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct NeedParams {
    service: String,
    child: String,
    sex: String,
    with_children: String,
    languages: String,
    region: String,
    prefer_specialised: String,
    /// The case a referral will be made for (links go back to its referral form).
    case: String,
}

impl NeedParams {
    fn query(&self) -> Result<NeedQuery, ParseError> {
        let languages = list(&self.languages)
            .iter()
            .enumerate()
            .map(|(i, l)| LanguageCode::parse(&format!("languages[{i}]"), &l.to_ascii_lowercase()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NeedQuery {
            service: ServiceType::parse_code("service", self.service.trim())?,
            person_is_child: is_on(&self.child),
            sex: match self.sex.trim() {
                "" => Sex::Unknown,
                s => Sex::parse_code("sex", s)?,
            },
            with_children: is_on(&self.with_children),
            languages,
            region: match self.region.trim() {
                "" => None,
                r => Some(RegionCode::parse("region", &r.to_ascii_uppercase())?),
            },
            prefer_specialised: is_on(&self.prefer_specialised),
        })
    }

    /// The query string that repeats this need (for links).
    fn query_string(&self) -> String {
        let pairs = [
            ("service", &self.service),
            ("child", &self.child),
            ("sex", &self.sex),
            ("with_children", &self.with_children),
            ("languages", &self.languages),
            ("region", &self.region),
            ("prefer_specialised", &self.prefer_specialised),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", segment(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

pub struct RankedLine {
    pub id: String,
    pub name: String,
    pub score: u32,
    pub free: String,
    pub factors: Vec<FactorLine>,
    pub refer_href: String,
    pub selected: bool,
}

/// Providers ranked for a need, with the free places as "free x of y".
async fn ranked(
    state: &AppState,
    p: &Principal,
    tr: &Tr<'_>,
    need: &NeedQuery,
    selected: &str,
) -> Result<Vec<RankedLine>, AppError> {
    let ranked = state.app.match_providers(p, need, 20).await?;
    let directory = directory(state, p).await?;
    Ok(ranked
        .into_iter()
        .map(|r| {
            let offer =
                directory.iter().find(|v| v.provider.id == r.provider_id).and_then(|v| v.provider.offer(need.service));
            let free = match offer {
                Some(o) => capacity_text(tr, need.service, o.capacity, o.occupied),
                None => r.free_places.map(|f| f.to_string()).unwrap_or_else(|| tr.t("support-capacity-unlimited")),
            };
            RankedLine {
                selected: r.provider_id == selected,
                id: r.provider_id,
                name: r.name,
                score: r.score,
                free,
                factors: factor_lines(tr, &r.factors),
                refer_href: String::new(),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "assist_match.html")]
struct MatchPage<'a> {
    ctx: PageCtx<'a>,
    services: Vec<Choice>,
    sexes: Vec<Choice>,
    child: bool,
    with_children: bool,
    languages: String,
    region: String,
    prefer_specialised: bool,
    case: String,
    searched: bool,
    results: Vec<RankedLine>,
    english: bool,
    check: Check,
}

async fn match_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<NeedParams>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ReadProviders).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let tr = tr_of(&state, &p, &headers);
    let case = if safe_id(q.case.trim()) { q.case.trim().to_owned() } else { String::new() };
    let searched = !q.service.trim().is_empty();
    let mut results = Vec::new();
    let mut failed = None;
    if searched {
        match q.query() {
            Ok(need) => match ranked(&state, &p, &tr, &need, "").await {
                Ok(lines) => results = lines,
                Err(e) => match problem(&tr, e, without_index) {
                    Ok(f) => failed = Some(f),
                    Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
                },
            },
            Err(e) => failed = Some(check_of(&tr, &without_index(&e.field), e.message)),
        }
    }
    if !case.is_empty() {
        for r in &mut results {
            r.refer_href =
                format!("/cases/{case}/referrals/new?kind=service&{}&provider_id={}", q.query_string(), segment(&r.id));
        }
    }
    let ctx = PageCtx::new(&state, Some(&p), &headers, "support-match-title", "/providers");
    let (status, check) = failed.unwrap_or_default();
    let status = if check.is_some() { status } else { StatusCode::OK };
    let page = MatchPage {
        services: choices(&tr, "service", ServiceType::ALL, &[q.service.trim()]),
        sexes: super::coded_choices::<Sex>(&tr, "sex", &[q.sex.trim()]),
        child: is_on(&q.child),
        with_children: is_on(&q.with_children),
        languages: q.languages.clone(),
        region: q.region.clone(),
        prefer_specialised: is_on(&q.prefer_specialised),
        case,
        searched,
        results,
        english: tr.code() == "en",
        check,
        ctx,
    };
    with_status(render(&page), status)
}

// ------------------------------------------------------------------ new referral

/// What the referral form was asked for: the kind, the service, the provider, and the need
/// the providers are ranked for.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct ReferralParams {
    kind: String,
    provider_id: String,
    #[serde(flatten)]
    need: NeedParams,
}

impl ReferralParams {
    fn from_form(form: &FormPairs) -> Self {
        ReferralParams {
            kind: text(form, "kind"),
            provider_id: text(form, "provider_id"),
            need: NeedParams {
                service: text(form, "service"),
                child: String::new(),
                sex: text(form, "sex"),
                with_children: text(form, "with_children"),
                languages: text(form, "languages"),
                region: text(form, "region"),
                prefer_specialised: text(form, "prefer_specialised"),
                case: String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "assist_referral_new.html")]
struct ReferralFormPage<'a> {
    ctx: PageCtx<'a>,
    case_id: String,
    child: bool,
    kinds: Vec<Choice>,
    kind: String,
    services: Vec<Choice>,
    service: String,
    ready: bool,
    sexes: Vec<Choice>,
    sex: String,
    languages: String,
    region: String,
    with_children: bool,
    prefer_specialised: bool,
    ranked: Vec<RankedLine>,
    no_provider: bool,
    match_href: String,
    english: bool,
    organisations: Vec<Choice>,
    urgent: bool,
    shared: Vec<Choice>,
    message: String,
    consent_given: bool,
    consent_on: String,
    consent_language: String,
    may_override: bool,
    emergency_reason: String,
    check: Check,
}

async fn referral_form_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    case_id: &str,
    mut params: ReferralParams,
    typed: Option<&FormPairs>,
    failed: Option<(StatusCode, Check)>,
) -> Response {
    let view = match state.app.support(p, case_id).await {
        Ok(v) => v,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let orgs = match organisations(state, p).await {
        Ok(o) => o,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "support-referral-new-title", "/cases");
    let tr = ctx.tr;
    let (mut status, mut check) = failed.unwrap_or_default();
    let kind = match params.kind.trim() {
        "transfer" => ReferralKind::Transfer,
        _ => ReferralKind::Service,
    };
    let service = ServiceType::parse_code("service", params.need.service.trim())
        .ok()
        .filter(|s| view.child || !s.for_children())
        .filter(|_| kind == ReferralKind::Service);
    let ready = kind == ReferralKind::Transfer || service.is_some();
    // The need the providers are ranked for: what the form says, else what the case says.
    params.need.child = if view.child { "on".into() } else { String::new() };
    // The person's languages: from the assessment in force, else the latest one, else the
    // registration (where the user may read the identity).
    if params.need.languages.trim().is_empty() {
        let assessed = view.assessments.iter().find(|a| a.in_force).or(view.assessments.last());
        params.need.languages = match assessed.map(|a| a.assessment.languages.join(", ")) {
            Some(l) if !l.is_empty() => l,
            _ => match state.app.person_languages(p, case_id).await {
                Ok(l) => l.join(", "),
                Err(AppError::Forbidden | AppError::NotFound) => String::new(),
                Err(e) => return error_page(state, Some(p), headers, e.into()),
            },
        };
    }
    if params.need.sex.trim().is_empty() {
        params.need.sex = match state.app.case_view(p, case_id).await {
            Ok(c) => c.person.sex.code().to_owned(),
            Err(_) => Sex::Unknown.code().to_owned(),
        };
    }
    let mut ranked_lines = Vec::new();
    if let Some(service) = service {
        params.need.service = service.code().to_owned();
        match params.need.query() {
            Ok(need) => match ranked(state, p, &tr, &need, params.provider_id.trim()).await {
                Ok(lines) => ranked_lines = lines,
                Err(e) => match problem(&tr, e, without_index) {
                    Ok((s, c)) if !check.is_some() => (status, check) = (s, c),
                    Ok(_) => {}
                    Err(e) => return error_page(state, Some(p), headers, e.into()),
                },
            },
            Err(e) if !check.is_some() => {
                (status, check) = check_of(&tr, &without_index(&e.field), e.message);
            }
            Err(_) => {}
        }
    }
    // A new form proposes the best-ranked provider (the user may choose another, or none).
    if typed.is_none()
        && params.provider_id.trim().is_empty()
        && let Some(first) = ranked_lines.first_mut()
    {
        first.selected = true;
    }
    let status = if check.is_some() { status } else { StatusCode::OK };
    let allowed = state.app.assist_settings().sharing.allowed(kind, service);
    let typed_shared = typed.map(|f| f.all("shared_fields"));
    let shared = allowed
        .iter()
        .map(|f| Choice {
            value: f.code().to_owned(),
            label: label(&tr, "shared", *f),
            selected: typed_shared.as_ref().is_none_or(|t| t.iter().any(|x| x == f.code())),
        })
        .collect();
    let typed_text = |name: &str| typed.map(|f| text(f, name)).unwrap_or_default();
    let to_org = typed_text("to_organisation_id");
    // The platform operator's organisation (administration only) comes last, never first.
    let mut recipients: Vec<&OrganisationRow> =
        country_organisations(&orgs, p).into_iter().filter(|o| o.id != p.organisation.id).collect();
    recipients.sort_by_key(|o| o.name == OPERATOR_ORGANISATION);
    let organisations = recipients
        .into_iter()
        .map(|o| Choice { value: o.id.clone(), label: o.name.clone(), selected: o.id == to_org })
        .collect();
    let mut match_params = params.need.clone();
    match_params.case = view.case_id.clone();
    let match_href = format!("/providers/match?{}&case={}", match_params.query_string(), segment(&view.case_id));
    let services: Vec<ServiceType> =
        ServiceType::ALL.iter().copied().filter(|s| view.child || !s.for_children()).collect();
    let page = ReferralFormPage {
        case_id: view.case_id.clone(),
        child: view.child,
        kinds: choices(&tr, "referral-kind", ReferralKind::ALL, &[kind.code()]),
        kind: kind.code().to_owned(),
        services: choices(&tr, "service", &services, &[service.map(|s| s.code()).unwrap_or_default()]),
        service: service.map(|s| s.code().to_owned()).unwrap_or_default(),
        ready,
        sexes: super::coded_choices::<Sex>(&tr, "sex", &[params.need.sex.trim()]),
        sex: params.need.sex.clone(),
        languages: params.need.languages.clone(),
        region: params.need.region.clone(),
        with_children: is_on(&params.need.with_children),
        prefer_specialised: is_on(&params.need.prefer_specialised),
        no_provider: !ranked_lines.iter().any(|r| r.selected),
        ranked: ranked_lines,
        match_href,
        english: tr.code() == "en",
        organisations,
        urgent: typed.is_some_and(|f| checked(f, "urgent")),
        shared,
        message: typed_text("message"),
        consent_given: typed.is_some_and(|f| checked(f, "consent_given")),
        consent_on: typed.map(|f| text(f, "consent_on")).unwrap_or_else(|| state.app.today().to_string()),
        consent_language: typed_text("consent_language"),
        may_override: can(p, Permission::OverrideReferralConsent),
        emergency_reason: typed_text("emergency_reason"),
        check,
        ctx,
    };
    with_status(render(&page), status)
}

async fn referral_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<ReferralParams>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ManageReferrals).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    referral_form_page(&state, &p, &headers, &id, params, None, None).await
}

/// Where an error of a new referral shows on the form.
fn referral_place(field: &str) -> String {
    let field = field.strip_prefix("consent.").unwrap_or(field);
    match without_index(field).as_str() {
        "consent" => "consent_given".into(),
        other => other.to_owned(),
    }
}

async fn referral_save(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ManageReferrals).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let params = ReferralParams::from_form(&form);
    let tr = tr_of(&state, &p, &headers);
    let shared_fields = form.all("shared_fields");
    if shared_fields.is_empty() {
        let failed = check_of(&tr, "shared_fields", "choose what the receiver needs to know: at least one item");
        return referral_form_page(&state, &p, &headers, &id, params, Some(&form), Some(failed)).await;
    }
    let kind = params.kind.trim().to_owned();
    let input = ReferralInput {
        service: if kind == "transfer" { String::new() } else { params.need.service.clone() },
        kind,
        to_organisation_id: text(&form, "to_organisation_id"),
        provider_id: params.provider_id.clone(),
        urgent: checked(&form, "urgent"),
        send: form.get("send") == Some("yes"),
        shared_fields,
        message: text(&form, "message"),
        consent: ConsentInput {
            consent_given: checked(&form, "consent_given"),
            consent_on: text(&form, "consent_on"),
            consent_language: text(&form, "consent_language"),
            emergency_reason: text(&form, "emergency_reason"),
        },
    };
    match state.app.create_referral(&p, &id, &input).await {
        Ok(r) => see_other(&format!("/referrals/{}", segment(&r.summary.id))),
        Err(e) => match problem(&tr, e, referral_place) {
            Ok(failed) => referral_form_page(&state, &p, &headers, &id, params, Some(&form), Some(failed)).await,
            Err(e) => error_page(&state, Some(&p), &headers, e.into()),
        },
    }
}

// ------------------------------------------------------------------ referral lists

pub struct Tab {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "assist_referrals.html")]
struct ReferralsPage<'a> {
    ctx: PageCtx<'a>,
    /// Lines carry the person and the date sent (the case's own page needs neither).
    show_hints: bool,
    tabs: Vec<Tab>,
    referrals: Vec<ReferralLine>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MailboxQuery {
    mailbox: String,
}

async fn referrals(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<MailboxQuery>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ManageReferrals).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let (mut mailbox, mut code) = match q.mailbox.trim() {
        "" | "inbox" => (Mailbox::Inbox, "inbox"),
        "outbox" => (Mailbox::Outbox, "outbox"),
        "overdue" => (Mailbox::Overdue, "overdue"),
        _ => {
            let e = AppError::invalid("mailbox", "expected inbox, outbox or overdue");
            return error_page(&state, Some(&p), &headers, e.into());
        }
    };
    let mut list = match state.app.referrals(&p, mailbox).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    // Asked for no mailbox: open on the outbox when the inbox is empty and the outbox is not.
    if q.mailbox.trim().is_empty() && list.is_empty() {
        let outbox = match state.app.referrals(&p, Mailbox::Outbox).await {
            Ok(l) => l,
            Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
        };
        if !outbox.is_empty() {
            (mailbox, code, list) = (Mailbox::Outbox, "outbox", outbox);
        }
    }
    let _ = mailbox;
    let hints = match state.app.referral_hints(&p, &list).await {
        Ok(h) => h,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let orgs = match organisations(&state, &p).await {
        Ok(o) => names(&o),
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "support-referrals-title", "/referrals");
    let tr = ctx.tr;
    let tabs = [
        ("/referrals?mailbox=inbox", "support-inbox", "inbox"),
        ("/referrals?mailbox=outbox", "support-outbox", "outbox"),
        ("/referrals?mailbox=overdue", "support-overdue-tab", "overdue"),
    ]
    .iter()
    .map(|(href, id, c)| Tab { href, label: tr.t(id), current: *c == code })
    .collect();
    let referrals = list.iter().map(|r| hinted_line(&tr, &orgs, &hints, r)).collect();
    render(&ReferralsPage { ctx, show_hints: true, tabs, referrals })
}

// ------------------------------------------------------------------ one referral

pub struct SharedLine {
    pub label: String,
    pub value: String,
}

pub struct EventLine {
    pub at: String,
    pub state: String,
    pub note: String,
    pub by: String,
}

/// A change this side may make, as a form.
pub struct ActionForm {
    pub state: &'static str,
    pub label: String,
    /// The reason's input: required for a decline, optional for a withdrawal.
    pub reason: Option<bool>,
    pub field: String,
}

#[derive(Template)]
#[template(path = "assist_referral.html")]
struct ReferralPage<'a> {
    ctx: PageCtx<'a>,
    id: String,
    version: i64,
    line: ReferralLine,
    provider: String,
    case_href: String,
    sender: bool,
    consent_basis: String,
    consent_on: String,
    consent_language: String,
    emergency_reason: String,
    shared: Vec<SharedLine>,
    message: String,
    events: Vec<EventLine>,
    actions: Vec<ActionForm>,
    may_follow_up: bool,
    note: String,
    check: Check,
}

/// A shared value as a person reads it.
fn shared_value(tr: &Tr<'_>, field: SharedField, value: &serde_json::Value) -> String {
    use serde_json::Value;
    let none = || tr.t("support-none");
    let plain = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match (field, value) {
        (_, Value::Null) => none(),
        (SharedField::Sex, Value::String(s)) => t_or(tr, &format!("sex-{s}"), s),
        (SharedField::AgeGroup, Value::String(s)) => t_or(tr, &format!("age-group-{s}"), s),
        (SharedField::ChildStatus, Value::String(s)) => t_or(tr, &format!("child-status-{s}"), s),
        (SharedField::NrmStatus, Value::String(s)) => t_or(tr, &format!("nrm-status-{s}"), s),
        (SharedField::RiskLevel, Value::String(s)) => t_or(tr, &format!("support-risk-{s}"), s),
        (SharedField::ExploitationForms, Value::String(s)) => {
            let forms: Vec<String> = s
                .split(',')
                .filter(|f| !f.trim().is_empty())
                .map(|f| t_or(tr, &format!("form-{}", f.trim()), f))
                .collect();
            if forms.is_empty() { none() } else { forms.join(", ") }
        }
        (SharedField::Needs, Value::Array(items)) => {
            let needs: Vec<String> = items
                .iter()
                .map(|item| match item.as_array().map(Vec::as_slice) {
                    Some([area, level]) => format!(
                        "{}: {}",
                        t_or(tr, &format!("support-area-{}", plain(area)), &plain(area)),
                        t_or(tr, &format!("support-level-{}", plain(level)), &plain(level))
                    ),
                    _ => plain(item),
                })
                .collect();
            if needs.is_empty() { none() } else { needs.join("; ") }
        }
        (SharedField::SpecialNeeds, Value::Object(map)) => {
            let on: Vec<String> = map
                .iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| t_or(tr, &format!("support-special-{k}"), k))
                .collect();
            if on.is_empty() { tr.t("support-special-none") } else { on.join(", ") }
        }
        (_, Value::Bool(b)) => tr.t(if *b { "yes" } else { "no" }),
        (_, Value::Array(items)) => {
            let all: Vec<String> = items.iter().map(plain).filter(|s| !s.is_empty()).collect();
            if all.is_empty() { none() } else { all.join(", ") }
        }
        (_, Value::String(s)) if s.trim().is_empty() => none(),
        (_, other) => plain(other),
    }
}

async fn referral_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed_note: &str,
    failed: Option<(StatusCode, Check)>,
) -> Response {
    let view: ReferralView = match state.app.referral(p, id).await {
        Ok(v) => v,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let orgs = match organisations(state, p).await {
        Ok(o) => names(&o),
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let provider = match &view.summary.provider_id {
        Some(pid) => match directory(state, p).await {
            Ok(d) => d.into_iter().find(|v| v.provider.id == *pid).map_or_else(|| pid.clone(), |v| v.provider.name),
            Err(e) => return error_page(state, Some(p), headers, e.into()),
        },
        None => String::new(),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "support-referral-title", "/referrals");
    let tr = ctx.tr;
    let (status, check) = failed.unwrap_or_default();
    let status = if check.is_some() { status } else { StatusCode::OK };
    let s = &view.summary;
    let sender = s.side == Side::Sender;
    let actions = ReferralState::ALL
        .iter()
        .copied()
        .filter(|to| *to != s.state && check_transition(s.kind, s.state, *to, s.side, "reason given").is_ok())
        .map(|to| ActionForm {
            state: to.code(),
            label: tr.t(&format!("support-action-{}", to.code())),
            reason: match to {
                ReferralState::Declined => Some(true),
                ReferralState::Withdrawn => Some(false),
                _ => None,
            },
            field: format!("reason-{}", to.code()),
        })
        .collect();
    let shared = view
        .shared_fields
        .iter()
        .map(|f| SharedLine {
            label: label(&tr, "shared", *f),
            value: view.shared.get(f.code()).map_or_else(|| tr.t("support-none"), |v| shared_value(&tr, *f, v)),
        })
        .collect();
    let events = view
        .events
        .iter()
        .map(|e| EventLine {
            at: format_time(&e.at),
            state: label(&tr, "referral-state", e.state),
            note: e.note.clone().unwrap_or_default(),
            by: name_of(&orgs, &e.by_organisation),
        })
        .collect();
    let page = ReferralPage {
        id: s.id.clone(),
        version: s.version,
        line: referral_line(&tr, &orgs, s),
        provider,
        case_href: s.case_id.as_deref().map(|c| format!("/cases/{}/support", segment(c))).unwrap_or_default(),
        sender,
        consent_basis: label(&tr, "consent-basis", view.consent.basis),
        consent_on: view.consent.on.map(|d| d.to_string()).unwrap_or_default(),
        consent_language: view.consent.language.clone(),
        emergency_reason: if sender && view.consent.basis == ConsentBasis::EmergencyOverride {
            view.consent.emergency_reason.clone()
        } else {
            String::new()
        },
        shared,
        message: view.message.clone().unwrap_or_default(),
        events,
        actions,
        may_follow_up: !s.state.is_final() && s.state != ReferralState::Draft,
        note: typed_note.to_owned(),
        check,
        ctx,
    };
    with_status(render(&page), status)
}

async fn referral(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    referral_page(&state, &p, &headers, &id, "", None).await
}

async fn referral_state(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ManageReferrals).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let input = ReferralStateInput {
        state: text(&form, "state"),
        reason: text(&form, "reason"),
        version: form.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or(0),
    };
    match state.app.change_referral(&p, &id, &input).await {
        Ok(_) => see_other(&format!("/referrals/{}", segment(&id))),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            let to = ReferralState::parse_code("state", input.state.trim()).ok();
            let place = |f: &str| match (f, to) {
                ("reason", Some(to)) => format!("reason-{}", to.code()),
                _ => String::new(),
            };
            match problem(&tr, e, place) {
                Ok(failed) => referral_page(&state, &p, &headers, &id, "", Some(failed)).await,
                Err(e) => error_page(&state, Some(&p), &headers, e.into()),
            }
        }
    }
}

async fn referral_follow_up(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::ManageReferrals).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let note = text(&form, "note");
    let version = form.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    match state.app.follow_up_referral(&p, &id, &note, version).await {
        Ok(_) => see_other(&format!("/referrals/{}#events", segment(&id))),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            match problem(&tr, e, |f| if f == "note" { "note".into() } else { String::new() }) {
                Ok(failed) => referral_page(&state, &p, &headers, &id, &note, Some(failed)).await,
                Err(e) => error_page(&state, Some(&p), &headers, e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_with_single_hyphens() {
        assert_eq!(slug("Patvērums Drošā Māja"), "patverums-drosa-maja");
        assert_eq!(slug("  Riga -- Shelter! "), "riga-shelter");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn provider_errors_land_on_their_inputs() {
        let order = [ServiceType::SafeAccommodation, ServiceType::MedicalTreatment];
        assert_eq!(provider_place(&order, "services[1].capacity"), "capacity.medical_treatment");
        assert_eq!(provider_place(&order, "services[7].capacity"), "services");
        assert_eq!(provider_place(&order, "languages[2]"), "languages");
        assert_eq!(provider_place(&order, "opening_hours.slots[0].opens"), "opening_hours");
        assert_eq!(provider_place(&order, "name"), "name");
        assert_eq!(referral_place("consent.consent_on"), "consent_on");
        assert_eq!(referral_place("consent"), "consent_given");
        assert_eq!(referral_place("shared_fields[3]"), "shared_fields");
    }

    #[test]
    fn problems_mark_only_inputs_with_safe_ids_and_segments_are_encoded() {
        let i18n = crate::i18n::I18n::load().unwrap();
        let tr = i18n.tr(haven_domain::Language::English);
        let check = FormProblem::at(&tr, "goal", "<b>no</b>", label_for);
        assert!(check.marks("goal") && !check.marks("other"));
        assert_eq!(check.message("goal"), Some("<b>no</b>"), "escaped by the template, not here");
        assert!(!FormProblem::at(&tr, "a\"b", "m", label_for).marks("a\"b"));
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
    }
}
