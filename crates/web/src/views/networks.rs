//! Networks and platforms (`/monitoring/networks`, docs/monitoring.md, "Networks"): the networks
//! the user may read with their meetings and overdue actions arising, a network's page (members,
//! meetings, and its contacts for whom may read them), a meeting's page (agenda, minutes, actions
//! arising and their status), and the forms to record each. Each handler calls one use case of
//! `haven_app::networks`; the dashboard's section of overdue actions arising is
//! [`arising_section`].

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::monitoring::{Cell, Section};
use crate::views::page_error::{PageError, PageResult};
use crate::views::strategy::{Field, Fields};
use crate::views::{PageCtx, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::networks::OverdueArising;
use haven_app::{AppError, Principal};
use haven_domain::networks::{
    ArisingInput, ArisingStatus, ArisingStatusInput, ContactInput, MeetingInput, NetworkInput, NetworkKind,
};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring/networks", get(index).post(record_network))
        .route("/monitoring/networks/{id}", get(network_page))
        .route("/monitoring/networks/{id}/contacts", post(add_contact))
        .route("/monitoring/networks/{id}/meetings", post(record_meeting))
        .route("/monitoring/meetings/{id}", get(meeting_page))
        .route("/monitoring/meetings/{id}/actions", post(add_action))
        .route("/monitoring/meetings/{id}/status", post(set_status))
}

/// A form of a page: where it posts, its fields and its problem.
pub(crate) struct FormBlock {
    pub id: &'static str,
    pub heading: String,
    pub action: String,
    pub submit: String,
    /// Hidden inputs (name, value) beside the CSRF token.
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    /// Lists of codes a field takes (its label, the codes), shown as identifiers.
    pub codes: Vec<(String, String)>,
    pub check: FormProblem,
}

/// The problem of a form whose labels are `PREFIX-field-NAME`.
pub(crate) fn problem(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    e: AppError,
    prefix: &'static str,
) -> Result<FormProblem, PageError> {
    let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
    FormProblem::of(&tr, e, str::to_owned, |tr, at, _| tr.t(&format!("{prefix}-field-{at}"))).map_err(PageError::from)
}

fn kind_label(tr: &Tr<'_>, kind: NetworkKind) -> String {
    label_of(tr, "network-kind", kind)
}

/// A network in the list.
struct NetworkLine {
    href: String,
    name: String,
    kind: String,
    scope: String,
    members: usize,
    meetings: usize,
    overdue: usize,
}

#[derive(Template)]
#[template(path = "networks_index.html")]
struct IndexPage<'a> {
    ctx: PageCtx<'a>,
    networks: Vec<NetworkLine>,
    forms: Vec<FormBlock>,
}

async fn show_index(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "network-title", "/monitoring/networks");
    let tr = ctx.tr;
    let view = state.app.networks(p).await?;
    let networks = view
        .networks
        .iter()
        .map(|l| NetworkLine {
            href: format!("/monitoring/networks/{}", l.network.id),
            name: l.network.name.clone(),
            kind: kind_label(&tr, l.network.kind),
            scope: l.network.scope.to_string(),
            members: l.network.members.len(),
            meetings: l.meetings,
            overdue: l.overdue,
        })
        .collect();
    let status = check.status();
    let mut forms = Vec::new();
    if let Some(scope) = view.may_record_for {
        let f = Fields { tr, prefix: "network", typed, check: &check };
        let mut kind = f.choice::<NetworkKind>("kind", "network-kind", Some("network-choose"));
        let eu = scope == haven_domain::Jurisdiction::EuropeanUnion;
        kind.options.retain(|(code, _)| code.is_empty() || (code == "national_mechanism") != eu);
        forms.push(FormBlock {
            id: "form-network",
            heading: tr.t1("network-record", "scope", scope.code()),
            action: "/monitoring/networks".into(),
            hidden: Vec::new(),
            codes: Vec::new(),
            submit: tr.t("network-record-submit"),
            fields: vec![kind, f.field("name", "text"), f.field("members", "textarea")],
            check,
        });
    }
    let page = IndexPage { ctx, networks, forms };
    Ok(with_status(render(&page), status))
}

async fn index(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show_index(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record_network(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<NetworkInput>,
) -> PageResult {
    match state.app.record_network(&p, &form.input).await {
        Ok(network) => Ok(see_other(&format!("/monitoring/networks/{}", network.id))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "network")?;
            show_index(&state, &p, &headers, &form.pairs, check).await
        }
    }
}

struct MemberLine {
    country: String,
    organisation: String,
}

struct MeetingLine {
    href: String,
    held_on: String,
    title: String,
    place: String,
    actions: usize,
    overdue: usize,
}

struct ContactLine {
    name: String,
    email: String,
    organisation: String,
    purpose: String,
    retain_until: String,
}

#[derive(Template)]
#[template(path = "network_detail.html")]
struct NetworkPage<'a> {
    ctx: PageCtx<'a>,
    kind: String,
    scope: String,
    members: Vec<MemberLine>,
    meetings: Vec<MeetingLine>,
    /// `None`: the reader may not see the contacts.
    contacts: Option<Vec<ContactLine>>,
    forms: Vec<FormBlock>,
}

/// Which of the network page's forms a problem belongs to.
#[derive(PartialEq, Eq, Clone, Copy)]
enum NetworkForm {
    Contact,
    Meeting,
}

async fn show_network(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &FormPairs,
    (form, check): (NetworkForm, FormProblem),
) -> PageResult {
    let mut ctx = PageCtx::new(state, Some(p), headers, "network-title", "/monitoring/networks");
    let tr = ctx.tr;
    let view = state.app.network(p, id).await?;
    ctx.title = view.network.name.clone();
    let status = check.status();
    let empty = FormPairs(Vec::new());
    let (contact_check, meeting_check) = match form {
        NetworkForm::Contact => (check, FormProblem::none()),
        NetworkForm::Meeting => (FormProblem::none(), check),
    };
    let typed_for = |f: NetworkForm| if f == form { typed } else { &empty };
    let mut forms = Vec::new();
    if view.may_record_contacts {
        let f = Fields { tr, prefix: "network-contact", typed: typed_for(NetworkForm::Contact), check: &contact_check };
        let fields = vec![
            f.field("name", "text"),
            f.field("email", "email"),
            f.field("organisation", "text"),
            f.field("purpose", "text"),
            f.field("retain_until", "date"),
        ];
        forms.push(FormBlock {
            id: "form-contact",
            heading: tr.t("network-contact-add"),
            action: format!("/monitoring/networks/{}/contacts", view.network.id),
            hidden: Vec::new(),
            codes: Vec::new(),
            submit: tr.t("network-contact-submit"),
            fields,
            check: contact_check,
        });
    }
    if view.may_record {
        let f = Fields { tr, prefix: "network-meeting", typed: typed_for(NetworkForm::Meeting), check: &meeting_check };
        let fields = vec![
            f.field("held_on", "date"),
            f.field("title", "text"),
            f.field("place", "text"),
            f.field("agenda", "textarea"),
            f.field("minutes", "textarea"),
        ];
        forms.push(FormBlock {
            id: "form-meeting",
            heading: tr.t("network-meeting-add"),
            action: format!("/monitoring/networks/{}/meetings", view.network.id),
            hidden: Vec::new(),
            codes: Vec::new(),
            submit: tr.t("network-meeting-submit"),
            fields,
            check: meeting_check,
        });
    }
    let page = NetworkPage {
        kind: kind_label(&tr, view.network.kind),
        scope: view.network.scope.to_string(),
        members: view
            .network
            .members
            .iter()
            .map(|m| MemberLine {
                country: m.country.map(|c| c.to_string()).unwrap_or_default(),
                organisation: m.organisation.clone(),
            })
            .collect(),
        meetings: view
            .meetings
            .iter()
            .map(|m| MeetingLine {
                href: format!("/monitoring/meetings/{}", m.meeting.id),
                held_on: m.meeting.held_on.to_string(),
                title: m.meeting.title.clone(),
                place: m.meeting.place.clone(),
                actions: m.meeting.actions.len(),
                overdue: m.overdue,
            })
            .collect(),
        contacts: view.contacts.map(|contacts| {
            contacts
                .into_iter()
                .map(|c| ContactLine {
                    name: c.contact.name,
                    email: c.contact.email,
                    organisation: c.contact.organisation,
                    purpose: c.contact.purpose,
                    retain_until: c.contact.retain_until.to_string(),
                })
                .collect()
        }),
        forms,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn network_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_network(&state, &p, &headers, &id, &FormPairs(Vec::new()), (NetworkForm::Contact, FormProblem::none())).await
}

async fn add_contact(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<ContactInput>,
) -> PageResult {
    match state.app.add_network_contact(&p, &id, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/networks/{id}#contacts"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "network-contact")?;
            show_network(&state, &p, &headers, &id, &form.pairs, (NetworkForm::Contact, check)).await
        }
    }
}

async fn record_meeting(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<MeetingInput>,
) -> PageResult {
    match state.app.record_meeting(&p, &id, &form.input).await {
        Ok(meeting) => Ok(see_other(&format!("/monitoring/meetings/{}", meeting.id))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "network-meeting")?;
            show_network(&state, &p, &headers, &id, &form.pairs, (NetworkForm::Meeting, check)).await
        }
    }
}

struct ArisingLine {
    number: u32,
    text: String,
    owner: String,
    due_on: String,
    status: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "network_meeting.html")]
struct MeetingPage<'a> {
    ctx: PageCtx<'a>,
    network_href: String,
    network: String,
    held_on: String,
    place: String,
    agenda: Vec<String>,
    minutes: String,
    actions: Vec<ArisingLine>,
    forms: Vec<FormBlock>,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum MeetingForm {
    Action,
    Status,
}

async fn show_meeting(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &FormPairs,
    (form, check): (MeetingForm, FormProblem),
) -> PageResult {
    let mut ctx = PageCtx::new(state, Some(p), headers, "network-title", "/monitoring/networks");
    let tr = ctx.tr;
    let view = state.app.meeting(p, id).await?;
    ctx.title = view.meeting.title.clone();
    let status = check.status();
    let empty = FormPairs(Vec::new());
    let (action_check, status_check) = match form {
        MeetingForm::Action => (check, FormProblem::none()),
        MeetingForm::Status => (FormProblem::none(), check),
    };
    let typed_for = |f: MeetingForm| if f == form { typed } else { &empty };
    let mut forms = Vec::new();
    if view.may_record {
        let f = Fields { tr, prefix: "network-action", typed: typed_for(MeetingForm::Action), check: &action_check };
        forms.push(FormBlock {
            id: "form-arising",
            heading: tr.t("network-action-add"),
            action: format!("/monitoring/meetings/{}/actions", view.meeting.id),
            hidden: Vec::new(),
            codes: Vec::new(),
            submit: tr.t("network-action-submit"),
            fields: vec![f.field("text", "textarea"), f.field("owner", "text"), f.field("due_on", "date")],
            check: action_check,
        });
        if !view.meeting.actions.is_empty() {
            let g =
                Fields { tr, prefix: "network-status", typed: typed_for(MeetingForm::Status), check: &status_check };
            let mut number = g.field("number", "select");
            number.options = view
                .meeting
                .actions
                .iter()
                .map(|a| {
                    let words: String = a.text.chars().take(60).collect();
                    (a.number.to_string(), format!("{}. {words}", a.number))
                })
                .collect();
            forms.push(FormBlock {
                id: "form-arising-status",
                heading: tr.t("network-status-set"),
                action: format!("/monitoring/meetings/{}/status", view.meeting.id),
                hidden: Vec::new(),
                codes: Vec::new(),
                submit: tr.t("network-status-submit"),
                fields: vec![number, g.choice::<ArisingStatus>("status", "network-arising", None)],
                check: status_check,
            });
        }
    }
    let page = MeetingPage {
        network_href: format!("/monitoring/networks/{}", view.network.id),
        network: view.network.name.clone(),
        held_on: view.meeting.held_on.to_string(),
        place: view.meeting.place.clone(),
        agenda: view.meeting.agenda.clone(),
        minutes: view.meeting.minutes.clone(),
        actions: view
            .meeting
            .actions
            .iter()
            .map(|a| ArisingLine {
                number: a.number,
                text: a.text.clone(),
                owner: a.owner.clone(),
                due_on: a.due_on.to_string(),
                status: label_of(&tr, "network-arising", a.status),
                overdue: view.overdue.contains(&a.number),
            })
            .collect(),
        forms,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn meeting_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_meeting(&state, &p, &headers, &id, &FormPairs(Vec::new()), (MeetingForm::Action, FormProblem::none())).await
}

async fn add_action(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<ArisingInput>,
) -> PageResult {
    match state.app.add_arising_action(&p, &id, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/meetings/{id}"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "network-action")?;
            show_meeting(&state, &p, &headers, &id, &form.pairs, (MeetingForm::Action, check)).await
        }
    }
}

async fn set_status(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<ArisingStatusInput>,
) -> PageResult {
    match state.app.set_arising_status(&p, &id, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/meetings/{id}"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "network-status")?;
            show_meeting(&state, &p, &headers, &id, &form.pairs, (MeetingForm::Status, check)).await
        }
    }
}

/// The dashboard's section of the actions arising from meetings that are overdue.
pub(crate) fn arising_section(tr: &Tr<'_>, overdue: Vec<OverdueArising>) -> Section {
    Section {
        id: "arising-overdue",
        heading: tr.t("network-dashboard-overdue"),
        explain: tr.t("network-dashboard-overdue-explain"),
        columns: vec![
            tr.t("network-name"),
            tr.t("network-meeting"),
            tr.t("network-action-field-text"),
            tr.t("network-action-field-owner"),
            tr.t("network-action-field-due_on"),
            tr.t("strategy-days"),
        ],
        rows: overdue
            .into_iter()
            .map(|a| {
                vec![
                    Cell::link(
                        format!("{} ({})", a.network, a.scope),
                        format!("/monitoring/networks/{}", a.network_id),
                    ),
                    Cell::link(
                        format!("{} {}", a.held_on, a.meeting),
                        format!("/monitoring/meetings/{}", a.meeting_id),
                    ),
                    Cell::text(format!("{}. {}", a.number, a.text)),
                    Cell::text(a.owner),
                    Cell::text(a.due_on.to_string()),
                    Cell::text(a.days_overdue.to_string()),
                ]
            })
            .collect(),
        empty: tr.t("network-dashboard-overdue-none"),
    }
}
