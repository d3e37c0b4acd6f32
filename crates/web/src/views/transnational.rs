//! The transnational referral of a victim (Dir 2011/36 Art 11(4) as amended by Dir 2024/1712;
//! CETS 197 Art 16, 32, 33), in pages:
//! - on the case page, for the case's caseworker or supervisor, the section listing the case's
//!   referrals to other countries with their state and the updates received back, and the link
//!   to prepare one ([`case_section`]);
//! - `/cases/{case}/transnational/new`: the preparation form (the peer, the purpose, the fields
//!   shared field by field with the case's values, the basis, a return's risk assessment); its
//!   post prepares a draft and shows it as the preview (`/transnational/{id}`), from which the
//!   caseworker submits it to the focal point;
//! - `/transnational`: the focal point's referrals (waiting to be sent, sent, received), and
//!   `/transnational/{id}`: one referral with the actions the reader's desk may take (submit;
//!   return to the draft or send; accept assigning an organisation or decline; the updates back).
//!
//! Each handler calls one use case of `haven_app::exchange_referrals`, where access is decided
//! and every read and change audited. A refused input shows the page again with a 422 naming
//! the field.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, can, format_time, label_of, language_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::routing::{get, post};
use haven_app::admin::Acting;
use haven_app::exchange_referrals::{
    DecisionInput, PrepareInput, TransnationalReferralView, TransnationalSummary, UpdateInput,
};
use haven_app::{AppError, Principal};
use haven_domain::assist::transnational::{BasisKind, Desk, Purpose, SharedField, TransnationalState, next_states};
use haven_domain::ident::record::ChildStatus;
use haven_domain::{Coded, Permission};
use serde::Deserialize;
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/transnational/new", get(new_form).post(prepare))
        .route("/transnational", get(focal_point_page))
        .route("/transnational/{id}", get(referral_page))
        .route("/transnational/{id}/submit", post(act))
        .route("/transnational/{id}/return", post(act))
        .route("/transnational/{id}/send", post(act))
        .route("/transnational/{id}/decision", post(act))
        .route("/transnational/{id}/updates", post(act))
        .route("/transnational/{id}/resend", post(act))
}

/// The sources the pages cite.
const SOURCES: &str = "Dir 2011/36 Art 11(4), 13(1), 14(2); CETS 197 Art 16, 32, 33";

/// The needs a referral may ask the receiver to meet (the `referral` message's `needs`).
pub const NEEDS: [&str; 11] = [
    "accommodation",
    "medical_care",
    "psychological_support",
    "legal_assistance",
    "interpretation",
    "material_assistance",
    "education_or_training",
    "employment",
    "family_reunification",
    "documents",
    "child_protection",
];

/// The reasons a received referral may be declined for.
const DECLINE_REASONS: [&str; 5] =
    ["not_competent", "insufficient_information", "basis_insufficient", "no_capacity", "other"];

/// A referral on the case page.
pub struct CaseReferralLine {
    /// Sent from this case (else received from another country, opening it).
    pub outgoing: bool,
    pub id: String,
    pub peer: String,
    pub purpose: String,
    pub state: String,
    pub state_code: &'static str,
    pub updated: String,
    /// The updates the other country reported back, oldest first: "2026-09-21 Arrived safely".
    pub updates: Vec<String>,
    /// For a referral received: "Received from EE through transnational referral … on …".
    pub received: String,
}

/// The case page's section on transnational referrals.
pub struct TransnationalSection {
    pub lines: Vec<CaseReferralLine>,
}

/// The section for the case page, when the reader may prepare a transnational referral of the
/// case (its organisation's caseworker or supervisor); `None` for every other reader.
pub async fn case_section(
    state: &AppState,
    p: &Principal,
    tr: &Tr<'_>,
    case_id: &str,
) -> Result<Option<TransnationalSection>, AppError> {
    if !can(p, Permission::PrepareTransnationalReferral) {
        return Ok(None);
    }
    let list = match state.app.transnational_referrals_of_case(p, case_id).await {
        Ok(list) => list,
        Err(AppError::Forbidden | AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut lines = Vec::new();
    for s in list {
        // A referral received that opened this case is the focal point's: its line here says
        // where the case came from, and when.
        let outgoing = s.direction == "outgoing";
        let (updates, received) = if outgoing {
            let view = state.app.transnational_referral(p, &s.id).await?;
            let updates = view
                .events
                .iter()
                .filter(|e| e.by_user.is_none() && e.state.is_update())
                .map(|e| format!("{} {}", e.effective_on, label_of(tr, "tnr-state", e.state)))
                .collect();
            (updates, String::new())
        } else {
            let country = s.peer.get(..2).unwrap_or(&s.peer);
            let on = format_time(&s.created_at).get(..10).unwrap_or_default().to_owned();
            let said =
                tr.args("tnr-case-received", &[("country", country), ("reference", &s.referral_id), ("on", &on)]);
            (Vec::new(), said)
        };
        lines.push(CaseReferralLine {
            outgoing,
            id: s.id.clone(),
            peer: s.peer.clone(),
            purpose: label_of(tr, "tnr-purpose", s.purpose),
            state: label_of(tr, "tnr-state", s.state),
            state_code: s.state.code(),
            updated: format_time(&s.updated_at),
            updates,
            received,
        });
    }
    Ok(Some(TransnationalSection { lines }))
}

// ---- the preparation form ----------------------------------------------------------------

/// One field of the person in the form: its value as it would be sent, whether the purpose
/// needs it (checked and not to be unticked) or it is added (ticked by the caseworker).
struct FieldRow {
    code: &'static str,
    label: String,
    value: String,
    required: bool,
    checked: bool,
}

#[derive(Template)]
#[template(path = "transnational_new.html")]
struct NewPage<'a> {
    ctx: PageCtx<'a>,
    case_id: String,
    sources: &'static str,
    /// Empty until a purpose is chosen (the first step).
    purpose: String,
    purpose_label: String,
    purposes: Vec<Choice>,
    peers: Vec<Choice>,
    urgencies: Vec<Choice>,
    fields: Vec<FieldRow>,
    child: bool,
    age: String,
    basis_kinds: Vec<Choice>,
    guardian_views: Vec<Choice>,
    risk_levels: Vec<Choice>,
    reprisal_levels: Vec<Choice>,
    family: Vec<Choice>,
    services: Vec<Choice>,
    needs: Vec<Choice>,
    information_kinds: Vec<Choice>,
    today: String,
    /// What was typed, by input name.
    typed: std::collections::BTreeMap<String, String>,
    check: FormProblem,
}

impl NewPage<'_> {
    fn v(&self, name: &str) -> String {
        self.typed.get(name).cloned().unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
struct PurposeQuery {
    #[serde(default)]
    purpose: String,
}

/// The form's pairs as the use case's input: `basis.kind` into `basis`, the repeated
/// `added_fields` and `needs` as lists.
pub fn prepare_input(pairs: &FormPairs) -> PrepareInput {
    let mut root = serde_json::Map::new();
    let mut basis = serde_json::Map::new();
    let mut assessment = serde_json::Map::new();
    let mut added: Vec<serde_json::Value> = Vec::new();
    let mut needs: Vec<serde_json::Value> = Vec::new();
    for (k, v) in &pairs.0 {
        let value = serde_json::Value::String(v.clone());
        if let Some(rest) = k.strip_prefix("basis.") {
            basis.insert(rest.to_owned(), value);
        } else if let Some(rest) = k.strip_prefix("return_risk_assessment.") {
            assessment.insert(rest.to_owned(), value);
        } else if k == "added_fields" {
            added.push(value);
        } else if k == "needs" {
            needs.push(value);
        } else {
            root.insert(k.clone(), value);
        }
    }
    root.insert("basis".into(), basis.into());
    root.insert("return_risk_assessment".into(), assessment.into());
    root.insert("added_fields".into(), added.into());
    root.insert("needs".into(), needs.into());
    // Every field is a string or a list of strings with a default: what is unknown is ignored.
    serde_json::from_value(serde_json::Value::Object(root)).unwrap_or_default()
}

/// The label of an input of the form.
fn input_label(tr: &Tr<'_>, at: &str, field: &str) -> String {
    let key = format!("tnr-input-{}", at.replace(['.', '_'], "-"));
    let label = tr.t(&key);
    if label != key {
        return label;
    }
    let key = format!("tnr-input-{}", field.replace(['.', '_'], "-"));
    let label = tr.t(&key);
    if label != key { label } else { field.to_owned() }
}

/// The input a problem of `field` is shown at (`return_risk_assessment.notes` is its own input;
/// `shared_fields` is the fields' table).
fn place(field: &str) -> String {
    match field {
        "shared_fields" => "added_fields".to_owned(),
        "return_risk_assessment" => "return_risk_assessment.assessed_on".to_owned(),
        "basis" => "basis.kind".to_owned(),
        f => f.to_owned(),
    }
}

fn choices(tr: &Tr<'_>, prefix: &str, codes: &[&str], selected: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice { value: (*c).to_owned(), label: tr.t(&format!("{prefix}-{c}")), selected: *c == selected })
        .collect()
}

fn coded<C: Coded>(tr: &Tr<'_>, prefix: &str, selected: &str) -> Vec<Choice> {
    let codes: Vec<&str> = C::ALL.iter().map(|c| c.code()).collect();
    choices(tr, prefix, &codes, selected)
}

async fn show_new(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    case_id: &str,
    purpose: &str,
    pairs: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let preparation = state.app.transnational_preparation(p, case_id).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "tnr-new-title", "/cases");
    let tr = ctx.tr;
    let purpose = Purpose::parse_code("purpose", purpose).ok();
    let typed: std::collections::BTreeMap<String, String> = pairs.0.iter().cloned().collect();
    let added: Vec<&str> = pairs.0.iter().filter(|(k, _)| k == "added_fields").map(|(_, v)| v.as_str()).collect();
    let chosen_needs: Vec<&str> = pairs.0.iter().filter(|(k, _)| k == "needs").map(|(_, v)| v.as_str()).collect();
    let minimum = purpose.map(SharedField::minimum_for).unwrap_or(&[]);
    let fields = preparation
        .values
        .iter()
        .map(|v| FieldRow {
            code: v.field.code(),
            label: label_of(&tr, "tnr-field", v.field),
            value: v.value.clone().unwrap_or_default(),
            required: minimum.contains(&v.field),
            checked: minimum.contains(&v.field) || added.contains(&v.field.code()),
        })
        .collect();
    let child = matches!(preparation.child_status, ChildStatus::Child | ChildStatus::PresumedChild);
    let default_basis = match typed.get("basis.kind") {
        Some(k) => k.clone(),
        None if purpose == Some(Purpose::VictimAtRisk) => BasisKind::VitalInterests.code().to_owned(),
        None if child => BasisKind::BestInterests.code().to_owned(),
        None => BasisKind::Consent.code().to_owned(),
    };
    let get = |name: &str| typed.get(name).cloned().unwrap_or_default();
    let page = NewPage {
        case_id: preparation.case_id.clone(),
        sources: SOURCES,
        purpose: purpose.map(|p| p.code().to_owned()).unwrap_or_default(),
        purpose_label: purpose.map(|p| label_of(&tr, "tnr-purpose", p)).unwrap_or_default(),
        purposes: coded::<Purpose>(&tr, "tnr-purpose", purpose.map(|p| p.code()).unwrap_or_default()),
        peers: preparation
            .peers
            .iter()
            .map(|peer| Choice { value: peer.clone(), label: peer.clone(), selected: get("receiving_peer") == *peer })
            .collect(),
        urgencies: choices(&tr, "tnr-urgency", &["routine", "urgent", "immediate"], &get("urgency")),
        fields,
        child,
        age: label_of(&tr, "child-status", preparation.child_status),
        basis_kinds: coded::<BasisKind>(&tr, "tnr-basis", &default_basis),
        guardian_views: choices(&tr, "tnr-guardian", &["agrees", "disagrees"], &get("basis.guardian_view")),
        risk_levels: choices(
            &tr,
            "rec-risk",
            &["low", "medium", "high", "severe"],
            &get("return_risk_assessment.re_trafficking_risk"),
        ),
        reprisal_levels: choices(
            &tr,
            "rec-risk",
            &["low", "medium", "high", "severe"],
            &get("return_risk_assessment.reprisal_risk"),
        ),
        family: choices(
            &tr,
            "rec-family",
            &["safe", "unsafe", "unknown"],
            &get("return_risk_assessment.family_situation"),
        ),
        services: choices(
            &tr,
            "rec-services",
            &["available", "limited", "unavailable", "unknown"],
            &get("return_risk_assessment.support_services"),
        ),
        needs: NEEDS
            .iter()
            .map(|n| Choice {
                value: (*n).to_owned(),
                label: tr.t(&format!("tnr-need-{n}")),
                selected: chosen_needs.contains(n),
            })
            .collect(),
        information_kinds: choices(
            &tr,
            "tnr-information",
            &["information", "family_tracing"],
            &get("information_kind"),
        ),
        today: state.app.today().to_string(),
        typed,
        check,
        ctx,
    };
    let status = page.check.status();
    Ok(with_status(render(&page), status))
}

async fn new_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(case_id): Path<String>,
    Query(q): Query<PurposeQuery>,
) -> PageResult {
    show_new(&state, &p, &headers, &case_id, q.purpose.trim(), &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn prepare(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(case_id): Path<String>,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    let input = prepare_input(&form.pairs);
    match state.app.prepare_transnational_referral(&p, &case_id, &input).await {
        Ok(view) => Ok(see_other(&format!("/transnational/{}", view.id))),
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let check = FormProblem::of(&tr, e, place, input_label).map_err(PageError::from)?;
            show_new(&state, &p, &headers, &case_id, input.purpose.trim(), &form.pairs, check).await
        }
    }
}

// ---- one referral ------------------------------------------------------------------------

struct Line {
    label: String,
    value: String,
}

struct SharedRow {
    label: String,
    value: String,
    added: bool,
}

struct EventRow {
    state: String,
    effective_on: String,
    at: String,
    by_other_country: bool,
    detail: String,
}

#[derive(Template)]
#[template(path = "transnational_referral.html")]
struct ReferralPage<'a> {
    ctx: PageCtx<'a>,
    id: String,
    sources: &'static str,
    outgoing: bool,
    case_id: String,
    state_code: &'static str,
    facts: Vec<Line>,
    shared: Vec<SharedRow>,
    received: Vec<Line>,
    events: Vec<EventRow>,
    may_submit: bool,
    may_review: bool,
    may_decide: bool,
    next_updates: Vec<Choice>,
    organisations: Vec<Choice>,
    decline_reasons: Vec<Choice>,
    /// Updates whose delivery the other country refused or that never reached the outbox.
    resendable: bool,
    today: String,
    check: FormProblem,
}

fn desk_of(p: &Principal, view: &TransnationalReferralView) -> Desk {
    match (can(p, Permission::ActAsFocalPoint), view.direction.as_str()) {
        (true, "outgoing") => Desk::SendingFocalPoint,
        (true, _) => Desk::ReceivingFocalPoint,
        (false, _) => Desk::Caseworker,
    }
}

/// A value of the received body as text.
fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(map) => {
            map.iter().map(|(k, v)| format!("{k}: {}", text_of(v))).collect::<Vec<_>>().join("; ")
        }
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn received_lines(tr: &Tr<'_>, body: &serde_json::Value) -> Vec<Line> {
    let mut lines = Vec::new();
    if let Some(person) = body.get("person").and_then(|p| p.as_object()) {
        for (k, v) in person {
            let key = if k == "age_group" { "tnr-age-group".to_owned() } else { format!("tnr-field-{k}") };
            let label = tr.t(&key);
            lines.push(Line { label: if label == key { k.clone() } else { label }, value: text_of(v) });
        }
    }
    for (k, key) in [
        ("urgency", "tnr-input-urgency"),
        ("identification", "tnr-identification"),
        ("exploitation", "tnr-exploitation"),
        ("needs", "tnr-needs"),
        ("basis", "tnr-basis"),
        ("return_risk_assessment", "tnr-return-risk-assessment"),
        ("information_request", "tnr-information-request"),
        ("risk_notice", "tnr-risk-notice"),
        ("sending_contact", "tnr-sending-contact"),
        ("notes", "tnr-input-notes"),
    ] {
        if let Some(v) = body.get(k) {
            lines.push(Line { label: tr.t(key), value: text_of(v) });
        }
    }
    lines
}

pub(super) async fn show_referral(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    check: FormProblem,
) -> PageResult {
    let view = state.app.transnational_referral(p, id).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "tnr-referral-title", "/transnational");
    let tr = ctx.tr;
    let desk = desk_of(p, &view);
    let mut facts = vec![
        Line { label: tr.t("tnr-purpose"), value: label_of(&tr, "tnr-purpose", view.purpose) },
        Line {
            label: tr.t(if view.direction == "outgoing" { "tnr-to" } else { "tnr-from" }),
            value: view.peer.clone(),
        },
        Line { label: tr.t("tnr-state"), value: label_of(&tr, "tnr-state", view.state) },
    ];
    if let Some(d) = &view.draft {
        facts.push(Line { label: tr.t("tnr-basis"), value: label_of(&tr, "tnr-basis", d.basis.kind()) });
        facts.push(Line { label: tr.t("tnr-input-urgency"), value: tr.t(&format!("tnr-urgency-{}", d.urgency)) });
        if let Some(a) = &d.return_risk_assessment {
            facts.push(Line {
                label: tr.t("tnr-return-risk-assessment"),
                value: format!(
                    "{}: {} {}, {} {}",
                    a.assessed_on,
                    tr.t("rec-field-re_trafficking_risk"),
                    label_of(&tr, "rec-risk", a.re_trafficking_risk),
                    tr.t("rec-field-reprisal_risk"),
                    label_of(&tr, "rec-risk", a.reprisal_risk)
                ),
            });
        }
        if !d.needs.is_empty() {
            facts.push(Line {
                label: tr.t("tnr-needs"),
                value: d.needs.iter().map(|n| tr.t(&format!("tnr-need-{n}"))).collect::<Vec<_>>().join(", "),
            });
        }
    }
    if let Some(m) = &view.message_id {
        facts.push(Line { label: tr.t("tnr-message-id"), value: m.clone() });
    }
    let shared = view
        .shared
        .iter()
        .map(|s| SharedRow {
            label: label_of(&tr, "tnr-field", s.field),
            value: s.value.clone().unwrap_or_else(|| tr.t("tnr-value-missing")),
            added: s.added,
        })
        .collect();
    let received = match (&view.body, view.direction.as_str()) {
        (Some(body), "incoming") => received_lines(&tr, body),
        _ => Vec::new(),
    };
    let events = view
        .events
        .iter()
        .map(|e| EventRow {
            state: label_of(&tr, "tnr-state", e.state),
            effective_on: e.effective_on.clone(),
            at: format_time(&e.at),
            by_other_country: e.by_user.is_none(),
            detail: e.detail.clone().unwrap_or_default(),
        })
        .collect();
    let receiving = desk == Desk::ReceivingFocalPoint;
    let next_updates: Vec<Choice> = if receiving {
        next_states(view.state)
            .iter()
            .filter(|(s, d)| {
                *d == Desk::ReceivingFocalPoint
                    && !matches!(
                        s,
                        TransnationalState::Accepted | TransnationalState::Declined | TransnationalState::Received
                    )
            })
            .map(|(s, _)| Choice { value: s.code().to_owned(), label: label_of(&tr, "tnr-state", *s), selected: false })
            .collect()
    } else {
        Vec::new()
    };
    let organisations = if receiving {
        match state.app.organisations(Acting::User(p)).await {
            Ok(orgs) => orgs
                .into_iter()
                .filter(|o| o.jurisdiction == p.organisation.jurisdiction && !o.kind.is_statistical())
                .map(|o| Choice { value: o.id, label: o.name, selected: false })
                .collect(),
            Err(AppError::Forbidden) => Vec::new(),
            Err(e) => return Err(e.into()),
        }
    } else {
        Vec::new()
    };
    let resendable = receiving && state.app.transnational_updates_to_resend(p, id).await.map(|u| !u.is_empty())?;
    let page = ReferralPage {
        id: view.id.clone(),
        sources: SOURCES,
        outgoing: view.direction == "outgoing",
        case_id: view.case_id.clone().unwrap_or_default(),
        state_code: view.state.code(),
        facts,
        shared,
        received,
        events,
        may_submit: desk == Desk::Caseworker && view.state == TransnationalState::Draft,
        may_review: desk == Desk::SendingFocalPoint && view.state == TransnationalState::Submitted,
        may_decide: receiving && view.state == TransnationalState::Received,
        next_updates,
        organisations,
        decline_reasons: choices(&tr, "tnr-decline", &DECLINE_REASONS, ""),
        resendable,
        today: state.app.today().to_string(),
        check,
        ctx,
    };
    let status = page.check.status();
    Ok(with_status(render(&page), status))
}

async fn referral_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_referral(&state, &p, &headers, &id, FormProblem::none()).await
}

/// What an action's form may carry: the note of a return or an update, the decision on a
/// referral received, a later update (each field a string, empty when not sent).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    note: String,
    decision: String,
    organisation_id: String,
    reason: String,
    explanation: String,
    state: String,
    effective_on: String,
    follow_up_on: String,
}

/// An action on one referral, named by the last segment of its path (`submit`, `return`,
/// `send`, `decision`, `updates`, `resend`): its use case, then the referral again, or the page
/// with the problem the use case found.
async fn act(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: Uri,
    form: PageForm<ActionForm>,
) -> PageResult {
    let app = &state.app;
    let f = form.input;
    let result = match uri.path().rsplit('/').next().unwrap_or_default() {
        "submit" => app.submit_transnational_referral(&p, &id).await,
        "return" => app.return_transnational_referral(&p, &id, &f.note).await,
        "send" => app.send_transnational_referral(&p, &id).await,
        "decision" => {
            let input = DecisionInput {
                decision: f.decision,
                organisation_id: f.organisation_id,
                reason: f.reason,
                explanation: f.explanation,
            };
            app.decide_transnational_referral(&p, &id, &input).await
        }
        "updates" => {
            let input = UpdateInput {
                state: f.state,
                effective_on: f.effective_on,
                organisation_id: f.organisation_id,
                follow_up_on: f.follow_up_on,
                note: f.note,
            };
            app.update_transnational_referral(&p, &id, &input).await
        }
        "resend" => app.resend_transnational_updates(&p, &id).await,
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/transnational/{id}"))),
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let check = FormProblem::of(&tr, e, str::to_owned, input_label).map_err(PageError::from)?;
            show_referral(&state, &p, &headers, &id, check).await
        }
    }
}

// ---- the focal point's page --------------------------------------------------------------

struct ListLine {
    id: String,
    peer: String,
    purpose: String,
    state: String,
    updated: String,
}

/// A table of the focal point's page.
struct ListSection {
    heading: &'static str,
    id: &'static str,
    lines: Vec<ListLine>,
}

#[derive(Template)]
#[template(path = "transnational_list.html")]
struct ListPage<'a> {
    ctx: PageCtx<'a>,
    sources: &'static str,
    sections: Vec<ListSection>,
}

fn list_line(tr: &Tr<'_>, s: &TransnationalSummary) -> ListLine {
    ListLine {
        id: s.id.clone(),
        peer: s.peer.clone(),
        purpose: label_of(tr, "tnr-purpose", s.purpose),
        state: label_of(tr, "tnr-state", s.state),
        updated: format_time(&s.updated_at),
    }
}

async fn focal_point_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let (outgoing, incoming) = state.app.focal_point_referrals(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "tnr-list-title", "/transnational");
    let tr = ctx.tr;
    let to_send =
        outgoing.iter().filter(|s| s.state == TransnationalState::Submitted).map(|s| list_line(&tr, s)).collect();
    let sent = outgoing
        .iter()
        .filter(|s| !matches!(s.state, TransnationalState::Submitted | TransnationalState::Draft))
        .map(|s| list_line(&tr, s))
        .collect();
    let received = incoming.iter().map(|s| list_line(&tr, s)).collect();
    let sections = vec![
        ListSection { heading: "tnr-list-to-send", id: "tnr-to-send", lines: to_send },
        ListSection { heading: "tnr-list-sent", id: "tnr-sent", lines: sent },
        ListSection { heading: "tnr-list-received", id: "tnr-received-list", lines: received },
    ];
    Ok(render(&ListPage { ctx, sources: SOURCES, sections }))
}
