//! Referrals: a new referral from a case (`/cases/{case}/referrals/new`), the inbox, outbox
//! and overdue lists (`/referrals`), and one referral (`/referrals/{id}`) with this side's state
//! changes and its follow-ups.

use super::matching::{NeedParams, RankedLine, ranked};
use super::{
    Check, ReferralLine, check_of, checkbox, choices, country_organisations, directory, hinted_line, is_on, label,
    name_of, names, organisations, problem, referral_line, segment, t_or, tr_of, without_index,
};
use crate::AppState;
use crate::api_assist::FollowUpBody;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::form::PageForm;
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, can, coded_choices, format_time, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::assist::{Mailbox, ReferralInput, ReferralStateInput, ReferralView};
use haven_app::{AppError, Principal};
use haven_domain::assist::referral::{
    ConsentBasis, ConsentInput, ReferralKind, ReferralState, SharedField, Side, check_transition,
};
use haven_domain::assist::services::ServiceType;
use haven_domain::case::Sex;
use haven_domain::{Coded, MessageId, Permission};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/referrals/new", get(referral_form).post(referral_save))
        .route("/referrals", get(referrals))
        .route("/referrals/{id}", get(referral))
        .route("/referrals/{id}/state", post(referral_state))
        .route("/referrals/{id}/follow-ups", post(referral_follow_up))
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

/// The new referral form as sent: the inputs of [`ReferralInput`] (the consent's among them)
/// and the need the providers were ranked for; what to share comes as repeated `shared_fields`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReferralForm {
    kind: String,
    service: String,
    provider_id: String,
    sex: String,
    with_children: String,
    languages: String,
    region: String,
    prefer_specialised: String,
    to_organisation_id: String,
    #[serde(deserialize_with = "checkbox")]
    urgent: bool,
    /// `yes` sends it at once; else it is saved as a draft.
    send: String,
    message: String,
    #[serde(deserialize_with = "checkbox")]
    consent_given: bool,
    consent_on: String,
    consent_language: String,
    emergency_reason: String,
    #[serde(skip)]
    shared_fields: Vec<String>,
}

impl ReferralForm {
    /// What the form asks the providers to be ranked for.
    fn params(&self) -> ReferralParams {
        ReferralParams {
            kind: self.kind.clone(),
            provider_id: self.provider_id.clone(),
            need: NeedParams {
                service: self.service.clone(),
                child: String::new(),
                sex: self.sex.clone(),
                with_children: self.with_children.clone(),
                languages: self.languages.clone(),
                region: self.region.clone(),
                prefer_specialised: self.prefer_specialised.clone(),
                case: String::new(),
            },
        }
    }

    /// The use case's input.
    fn input(&self) -> ReferralInput {
        let kind = self.kind.trim().to_owned();
        ReferralInput {
            service: if kind == "transfer" { String::new() } else { self.service.clone() },
            kind,
            to_organisation_id: self.to_organisation_id.clone(),
            provider_id: self.provider_id.clone(),
            urgent: self.urgent,
            send: self.send == "yes",
            shared_fields: self.shared_fields.clone(),
            message: self.message.clone(),
            consent: ConsentInput {
                consent_given: self.consent_given,
                consent_on: self.consent_on.clone(),
                consent_language: self.consent_language.clone(),
                emergency_reason: self.emergency_reason.clone(),
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
    typed: Option<&ReferralForm>,
    mut check: Check,
) -> PageResult {
    let view = state.app.support(p, case_id).await?;
    let orgs = organisations(state, p).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "support-referral-new-title", "/cases");
    let tr = ctx.tr;
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
                Err(e) => return Err(e.into()),
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
                Err(e) => {
                    let found = problem(&tr, e, without_index)?;
                    if !check.is_some() {
                        check = found;
                    }
                }
            },
            Err(e) if !check.is_some() => check = check_of(&tr, &without_index(&e.field), tr.problem(&e)),
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
    let status = check.status();
    let allowed = state.app.assist_settings().sharing.allowed(kind, service);
    let typed_shared = typed.map(|f| &f.shared_fields);
    let shared = allowed
        .iter()
        .map(|f| Choice {
            value: f.code().to_owned(),
            label: label(&tr, "shared", *f),
            selected: typed_shared.as_ref().is_none_or(|t| t.iter().any(|x| x == f.code())),
        })
        .collect();
    let typed_text = |text: fn(&ReferralForm) -> &String| typed.map(|f| text(f).clone()).unwrap_or_default();
    let to_org = typed_text(|f| &f.to_organisation_id);
    // The platform operator's organisation (administration only) comes last, never first.
    let mut recipients: Vec<&super::Org> =
        country_organisations(&orgs, p).into_iter().filter(|o| o.id != p.organisation.id).collect();
    recipients.sort_by_key(|o| o.operator);
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
        sexes: coded_choices::<Sex>(&tr, "sex", &[params.need.sex.trim()]),
        sex: params.need.sex.clone(),
        languages: params.need.languages.clone(),
        region: params.need.region.clone(),
        with_children: is_on(&params.need.with_children),
        prefer_specialised: is_on(&params.need.prefer_specialised),
        no_provider: !ranked_lines.iter().any(|r| r.selected),
        ranked: ranked_lines,
        match_href,
        organisations,
        urgent: typed.is_some_and(|f| f.urgent),
        shared,
        message: typed_text(|f| &f.message),
        consent_given: typed.is_some_and(|f| f.consent_given),
        consent_on: typed.map(|f| f.consent_on.clone()).unwrap_or_else(|| state.app.today().to_string()),
        consent_language: typed_text(|f| &f.consent_language),
        may_override: can(p, Permission::OverrideReferralConsent),
        emergency_reason: typed_text(|f| &f.emergency_reason),
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn referral_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<ReferralParams>,
) -> PageResult {
    state.app.require(&p, Permission::ManageReferrals).await?;
    referral_form_page(&state, &p, &headers, &id, params, None, Check::none()).await
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
    form: Result<PageForm<ReferralForm>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::ManageReferrals).await?;
    let PageForm { input: mut form, pairs } = form?;
    form.shared_fields = pairs.all("shared_fields");
    let tr = tr_of(&state, &p, &headers);
    if form.shared_fields.is_empty() {
        let check = check_of(&tr, "shared_fields", tr.t("support-shared-none-chosen"));
        return referral_form_page(&state, &p, &headers, &id, form.params(), Some(&form), check).await;
    }
    match state.app.create_referral(&p, &id, &form.input()).await {
        Ok(r) => Ok(see_other(&format!("/referrals/{}", segment(&r.summary.id)))),
        Err(e) => {
            let check = problem(&tr, e, referral_place)?;
            referral_form_page(&state, &p, &headers, &id, form.params(), Some(&form), check).await
        }
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
) -> PageResult {
    state.app.require(&p, Permission::ManageReferrals).await?;
    let (mailbox, mut code) = match q.mailbox.trim() {
        "" | "inbox" => (Mailbox::Inbox, "inbox"),
        "outbox" => (Mailbox::Outbox, "outbox"),
        "overdue" => (Mailbox::Overdue, "overdue"),
        _ => {
            return Err(AppError::said("mailbox", "expected inbox, outbox or overdue", MessageId::MailboxName).into());
        }
    };
    let mut list = state.app.referrals(&p, mailbox).await?;
    // Asked for no mailbox: open on the outbox when the inbox is empty and the outbox is not.
    if q.mailbox.trim().is_empty() && list.is_empty() {
        let outbox = state.app.referrals(&p, Mailbox::Outbox).await?;
        if !outbox.is_empty() {
            (code, list) = ("outbox", outbox);
        }
    }
    let hints = state.app.referral_hints(&p, &list).await?;
    let orgs = names(&organisations(&state, &p).await?);
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
    Ok(render(&ReferralsPage { ctx, show_hints: true, tabs, referrals }))
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
    /// The reason typed when this change last failed.
    pub reason_typed: String,
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
    typed: &Typed,
    check: Check,
) -> PageResult {
    let view: ReferralView = state.app.referral(p, id).await?;
    let orgs = names(&organisations(state, p).await?);
    let provider = match &view.summary.provider_id {
        Some(pid) => directory(state, p)
            .await?
            .into_iter()
            .find(|v| v.provider.id == *pid)
            .map_or_else(|| pid.clone(), |v| v.provider.name),
        None => String::new(),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "support-referral-title", "/referrals");
    let tr = ctx.tr;
    let status = check.status();
    let s = &view.summary;
    let sender = s.side == Side::Sender;
    let actions = ReferralState::ALL
        .iter()
        .copied()
        .filter(|to| *to != s.state && check_transition(s.kind, s.state, *to, s.side, "reason given").is_ok())
        .map(|to| ActionForm {
            reason_typed: if typed.state == to.code() { typed.reason.clone() } else { String::new() },
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
        note: typed.note.clone(),
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

/// What was typed into one of a referral's forms, shown again with its problem.
#[derive(Default)]
struct Typed {
    /// The state asked for, and the reason typed for it.
    state: String,
    reason: String,
    /// The follow-up's note.
    note: String,
}

async fn referral(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    referral_page(&state, &p, &headers, &id, &Typed::default(), Check::none()).await
}

async fn referral_state(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<ReferralStateInput>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::ManageReferrals).await?;
    let PageForm { input, .. } = form?;
    match state.app.change_referral(&p, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/referrals/{}", segment(&id)))),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            let to = ReferralState::parse_code("state", input.state.trim()).ok();
            let place = |f: &str| match (f, to) {
                ("reason", Some(to)) => format!("reason-{}", to.code()),
                _ => String::new(),
            };
            let check = problem(&tr, e, place)?;
            let typed = Typed { state: input.state.trim().to_owned(), reason: input.reason, note: String::new() };
            referral_page(&state, &p, &headers, &id, &typed, check).await
        }
    }
}

async fn referral_follow_up(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<FollowUpBody>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::ManageReferrals).await?;
    let PageForm { input, .. } = form?;
    match state.app.follow_up_referral(&p, &id, &input.note, input.version).await {
        Ok(_) => Ok(see_other(&format!("/referrals/{}#events", segment(&id)))),
        Err(e) => {
            let tr = tr_of(&state, &p, &headers);
            let check = problem(&tr, e, |f| if f == "note" { "note".into() } else { String::new() })?;
            let typed = Typed { note: input.note, ..Typed::default() };
            referral_page(&state, &p, &headers, &id, &typed, check).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referral_errors_land_on_their_inputs() {
        assert_eq!(referral_place("consent.consent_on"), "consent_on");
        assert_eq!(referral_place("consent"), "consent_given");
        assert_eq!(referral_place("shared_fields[3]"), "shared_fields");
    }
}
