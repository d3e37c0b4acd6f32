//! Pages of assistance, one file per resource as the URL paths go: the support side of a case
//! (`/cases/{case}/support`, here), its risk and needs [`assessment`], its support [`plan`],
//! the provider directory ([`providers`]) and [`matching`], [`referrals`] between organisations,
//! and the typed [`support_records`] (children's protection, compensation, safe return).
//!
//! Every form works without JavaScript. A handler takes the form as the use case's input
//! ([`PageForm`]) and answers an error with `?` ([`PageError`]); a problem with what was typed
//! answers 422 (409 for a conflict) with the form again, the values kept and the message next to
//! the field at fault, in the reader's language (`_form_problem.html`).

pub mod assessment;
pub mod matching;
pub mod plan;
pub mod providers;
pub mod referrals;
pub mod support_records;

use super::form::FormProblem;
use super::page_error::{PageError, PageResult};
use super::{Choice, PageCtx, field_label, render, with_status};
use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::admin::Acting;
use haven_app::assist::{AssessmentView, ProviderView, ReferralSummary};
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::assist::assessment::{NeedArea, NeedLevel, SpecialNeeds};
use haven_domain::assist::plan::{ItemStatus, StopReason};
use haven_domain::assist::services::{CapacityUnit, ServiceType};
use haven_domain::org::Jurisdiction;
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/support", get(support))
        .merge(assessment::router())
        .merge(plan::router())
        .merge(providers::router())
        .merge(matching::router())
        .merge(referrals::router())
        .merge(support_records::router())
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

/// A problem found by the page itself, at the input `at`.
fn check_of(tr: &Tr<'_>, at: &str, message: impl Into<String>) -> Check {
    FormProblem::at(tr, at, message, label_for)
}

/// An application error a form shows (invalid input: 422 at the input `place(field)`; a
/// conflict: 409); any other error is the error page, by `?`.
fn problem(tr: &Tr<'_>, e: AppError, place: impl Fn(&str) -> String) -> Result<Check, PageError> {
    Ok(FormProblem::of(tr, e, place, label_for)?)
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
pub(crate) fn t_or(tr: &Tr<'_>, id: &str, raw: &str) -> String {
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

fn is_on(value: &str) -> bool {
    matches!(value.trim(), "on" | "yes" | "true" | "1")
}

/// A checkbox of a form: ticked when sent as `on` (a browser's default), `true`, `yes` or `1`;
/// any other value, or none, is not ticked.
fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(is_on(&String::deserialize(d)?))
}

/// Items of a comma (or space, or semicolon) separated list.
fn list(text: &str) -> Vec<String> {
    text.split([',', ' ', ';', '\n', '\r', '\t']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn tr_of<'a>(state: &'a AppState, p: &Principal, headers: &HeaderMap) -> Tr<'a> {
    state.i18n.tr(super::language_of(Some(p), headers))
}

/// Organisations the user may list (none when they may not).
async fn organisations(state: &AppState, p: &Principal) -> Result<Vec<Org>, AppError> {
    let all = match state.app.organisations(Acting::User(p)).await {
        Ok(o) => o,
        Err(AppError::Forbidden) => return Ok(vec![]),
        Err(e) => return Err(e),
    };
    Ok(all
        .into_iter()
        .map(|o| Org {
            statistical: o.kind.is_statistical(),
            operator: o.is_operator(),
            id: o.id,
            name: o.name,
            jurisdiction: o.jurisdiction,
        })
        .collect())
}

/// An organisation as these pages use it.
struct Org {
    id: String,
    name: String,
    jurisdiction: Jurisdiction,
    /// A statistics office (takes no part in assistance).
    statistical: bool,
    /// The platform operator's organisation (administration only): nobody's first choice.
    operator: bool,
}

/// Organisations of the user's country that take part in assistance (no statistics offices).
fn country_organisations<'a>(orgs: &'a [Org], p: &Principal) -> Vec<&'a Org> {
    let mut out: Vec<&Org> =
        orgs.iter().filter(|o| o.jurisdiction == p.organisation.jurisdiction && !o.statistical).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn names(orgs: &[Org]) -> HashMap<String, String> {
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
    /// The reason typed in that attempt.
    pub review_reason: String,
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
        review_reason: String::new(),
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
    /// The stop reason chosen when that change failed.
    pub stop_chosen: String,
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
    /// The plan item's change, with the stop reason chosen.
    Plan(String, String),
    /// The review of a version, with the reason typed.
    Review(i64, String),
}

async fn support(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    support_page(&state, &p, &headers, &id, None).await
}

/// The support side of a case; with what failed, the form at fault shows its problem.
async fn support_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    failed: Option<(Check, Failed)>,
) -> PageResult {
    let view = state.app.support(p, id).await?;
    let orgs = names(&organisations(state, p).await?);
    let providers: HashMap<String, String> =
        directory(state, p).await?.into_iter().map(|v| (v.provider.id.clone(), v.provider.name)).collect();
    let reference = state.app.case_summary(p, id).await.map(|c| c.reference).unwrap_or_default();
    let ctx = PageCtx::new(state, Some(p), headers, "support-title", "/cases");
    let tr = ctx.tr;
    let (check, failed) = match failed {
        Some((c, f)) => (c, Some(f)),
        None => (Check::none(), None),
    };
    let status = check.status();
    let failure_message = check.line();
    let mut in_force = None;
    let mut waiting = Vec::new();
    let mut history = Vec::new();
    let mut assessments: Vec<&AssessmentView> = view.assessments.iter().collect();
    assessments.sort_by_key(|a| std::cmp::Reverse(a.seq));
    for a in assessments {
        let mut block = assessment_block(&tr, p, a);
        if let Some(Failed::Review(seq, reason)) = &failed
            && *seq == a.seq
        {
            block.review_error = failure_message.clone();
            block.review_reason = reason.clone();
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
                    Some(Failed::Plan(id, _)) if *id == item.id => failure_message.clone(),
                    _ => None,
                },
                stop_chosen: match &failed {
                    Some(Failed::Plan(id, reason)) if *id == item.id => reason.clone(),
                    _ => String::new(),
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
        // Exactly what the access module allows with this case.
        may_write: view.actions.assess,
        may_review: view.actions.review,
        may_refer: view.actions.refer,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_named_with_a_prefix_are_a_map_and_checkboxes_read_as_a_browser_sends_them() {
        let pairs = crate::extract::FormPairs(
            [("levels.safety", "urgent"), ("levels.language", " "), ("notes.safety", "today"), ("levels", "x")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let levels = crate::views::form::keyed(&pairs, "levels");
        assert_eq!(levels.into_iter().collect::<Vec<_>>(), vec![("safety".to_owned(), "urgent".to_owned())]);
        assert_eq!(crate::views::form::keyed(&pairs, "notes").get("safety").map(String::as_str), Some("today"));
        #[derive(Deserialize)]
        struct Ticks {
            #[serde(deserialize_with = "checkbox", default)]
            a: bool,
            #[serde(deserialize_with = "checkbox", default)]
            b: bool,
            #[serde(deserialize_with = "checkbox", default)]
            c: bool,
        }
        let t: Ticks = serde_urlencoded::from_str("a=on&b=true").unwrap();
        assert!(t.a && t.b && !t.c);
        let t: Ticks = serde_urlencoded::from_str("a=off&b=").unwrap();
        assert!(!t.a && !t.b);
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
