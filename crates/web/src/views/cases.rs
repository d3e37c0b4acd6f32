//! Cases: the list (no personal data), registering a presumed victim, one case with its
//! compartmented notes and sharing, and who accessed it.

use super::form::FormProblem;
use super::{
    Choice, FormError, PageCtx, can, can_read, coded_choices, error_page, field_label, form_error, format_time,
    label_of, render, see_other, with_status,
};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{FormBody, FormPairs, SignedIn};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::admin::Acting;
use haven_app::ident::{CaseFile, CaseFilter};
use haven_app::{AppError, Principal};
use haven_domain::access::{Action, Compartment};
use haven_domain::case::{NoteInput, PersonIdentity, Sex};
use haven_domain::ident::age::AgeStatus;
use haven_domain::ident::procedure::{Entitlement, Procedure, StagePlace};
use haven_domain::ident::record::RegistrationState;
use haven_domain::ident::status::DecisionKind;
use haven_domain::ident::status::NrmStatus;
use haven_domain::{Coded, Language, Permission};
use haven_storage::OrganisationRow;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list).post(create))
        .route("/cases/new", get(new_form))
        .route("/cases/{case}", get(show))
        .route("/cases/{case}/notes", post(add_note))
        .route("/cases/{case}/shares", post(share))
        .route("/cases/{case}/history", get(history))
}

/// Compartments that hold notes and can be shared, in display order.
const NOTE_COMPARTMENTS: [Compartment; 3] = [Compartment::Identity, Compartment::Support, Compartment::Proceedings];

/// Cases per page of the list.
const PAGE_SIZE: i64 = 50;

/// Organisations by id, for showing names instead of identifiers.
async fn organisations(state: &AppState, p: &Principal) -> Result<Vec<OrganisationRow>, AppError> {
    match state.app.organisations(Acting::User(p)).await {
        Ok(o) => Ok(o),
        Err(AppError::Forbidden) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

fn names(orgs: &[OrganisationRow]) -> HashMap<String, String> {
    orgs.iter().map(|o| (o.id.clone(), o.name.clone())).collect()
}

fn name_of(names: &HashMap<String, String>, id: &str) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

// ------------------------------------------------------------------ list

struct CaseLine {
    id: String,
    reference: String,
    created: String,
    owner: String,
    state: String,
    status: String,
    referred_on: String,
    child: String,
    forms: String,
    shared_with: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage<'a> {
    ctx: PageCtx<'a>,
    cases: Vec<CaseLine>,
    may_register: bool,
    may_notify: bool,
    previous: Option<String>,
    next: Option<String>,
    states: Vec<Choice>,
    statuses: Vec<Choice>,
    forms: Vec<Choice>,
    child: String,
    filtered: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    page: Option<i64>,
    state: String,
    nrm_status: String,
    child: String,
    form: String,
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

async fn list(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let filter = CaseFilter {
        state: non_empty(&q.state),
        nrm_status: non_empty(&q.nrm_status),
        child: match q.child.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        form: non_empty(&q.form),
        limit: Some(PAGE_SIZE + 1),
        offset: Some((page - 1) * PAGE_SIZE),
    };
    let filtered =
        filter.state.is_some() || filter.nrm_status.is_some() || filter.child.is_some() || filter.form.is_some();
    let cases = match state.app.case_list(&p, &filter).await {
        Ok(c) => c,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let orgs = match organisations(&state, &p).await {
        Ok(o) => names(&o),
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "cases-title", "/cases");
    let more = i64::try_from(cases.len()).unwrap_or(i64::MAX) > PAGE_SIZE;
    let lines = cases
        .iter()
        .take(usize::try_from(PAGE_SIZE).unwrap_or(50))
        .map(|c| CaseLine {
            id: c.id.clone(),
            reference: c.reference.clone(),
            created: format_time(&c.created_at),
            owner: name_of(&orgs, &c.owner_organisation_id),
            state: c.state.map(|s| label_of(&ctx.tr, "regstate", s)).unwrap_or_default(),
            status: c.nrm_status.as_deref().map(|s| ctx.t(&format!("nrm-status-{s}"))).unwrap_or_default(),
            referred_on: c.referred_on.clone().unwrap_or_default(),
            // A presumed child is not "a child on a verified date of birth": each is named as it is.
            child: match c.child_status.as_deref() {
                Some(s @ ("child" | "presumed_child")) => ctx.t(&format!("child-status-{s}")),
                _ => String::new(),
            },
            forms: c.forms.iter().map(|f| ctx.t(&format!("form-{f}"))).collect::<Vec<_>>().join(", "),
            shared_with: c
                .shared_with
                .iter()
                .map(|s| {
                    let parts: Vec<String> =
                        s.compartments.iter().map(|c| label_of(&ctx.tr, "compartment", *c)).collect();
                    format!("{} ({})", name_of(&orgs, &s.organisation_id), parts.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let query = |n: i64| {
        format!(
            "?page={n}&state={}&nrm_status={}&child={}&form={}",
            q.state.trim(),
            q.nrm_status.trim(),
            q.child.trim(),
            q.form.trim()
        )
    };
    let tr = ctx.tr;
    let forms = state
        .app
        .reference()
        .forms
        .forms()
        .iter()
        .map(|f| Choice {
            value: f.id.as_str().to_owned(),
            label: ctx.t(&format!("form-{}", f.id.as_str())),
            selected: q.form.trim() == f.id.as_str(),
        })
        .collect();
    let page = CasesPage {
        cases: lines,
        may_register: can(&p, Permission::RegisterCase),
        may_notify: can(&p, Permission::FileNotification),
        previous: (page > 1).then(|| query(page - 1)),
        next: more.then(|| query(page + 1)),
        states: coded_choices::<RegistrationState>(&tr, "regstate", &[q.state.trim()]),
        statuses: coded_choices::<NrmStatus>(&tr, "nrm-status", &[q.nrm_status.trim()]),
        forms,
        child: q.child.clone(),
        filtered,
        ctx,
    };
    render(&page)
}

// ------------------------------------------------------------------ register

#[derive(Deserialize, Default)]
struct CaseForm {
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    family_names: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    sex: String,
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewCasePage<'a> {
    ctx: PageCtx<'a>,
    typed: CaseForm,
    sexes: Vec<Choice>,
    error: Option<FormError>,
    invalid_field: String,
}

fn new_case_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: CaseForm,
    error: Option<(StatusCode, FormError)>,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "case-new-title", "/cases");
    let sexes = coded_choices::<Sex>(&ctx.tr, "sex", &[typed.sex.as_str()]);
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let invalid_field =
        error.as_ref().map(|e| e.field.split('[').next().unwrap_or_default().to_owned()).unwrap_or_default();
    with_status(render(&NewCasePage { ctx, typed, sexes, error, invalid_field }), status)
}

async fn new_form(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> Response {
    if let Err(e) = state.app.require(&p, Permission::RegisterCase).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    new_case_page(&state, &p, &headers, CaseForm::default(), None)
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<FormBody<CaseForm>, WebError>,
) -> Response {
    if let Err(e) = state.app.require(&p, Permission::RegisterCase).await {
        return error_page(&state, Some(&p), &headers, e.into());
    }
    let f = match form {
        Ok(FormBody(f)) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let tr = state.i18n.tr(super::language_of(Some(&p), &headers));
    let aliases: Vec<String> = f.aliases.lines().map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect();
    let identity = match PersonIdentity::parse(
        &f.given_names,
        &f.family_names,
        &aliases,
        Some(f.date_of_birth.as_str()),
        &f.sex,
    ) {
        Ok(i) => i,
        Err(e) => {
            let error = FormError::new(&tr, &e.field, e.message);
            return new_case_page(&state, &p, &headers, f, Some((StatusCode::UNPROCESSABLE_ENTITY, error)));
        }
    };
    match state.app.register_case(&p, &identity).await {
        Ok(case) => see_other(&format!("/cases/{}/edit?step=person", case.id)),
        Err(e) => match form_error(&tr, e) {
            Ok(error) => new_case_page(&state, &p, &headers, f, Some(error)),
            Err(e) => error_page(&state, Some(&p), &headers, e.into()),
        },
    }
}

// ------------------------------------------------------------------ one case

struct NoteLine {
    at: String,
    organisation: String,
    body: String,
}

/// One compartment of the case as the principal sees it.
struct CompartmentView {
    code: &'static str,
    title: String,
    /// None when the compartment was not shared with the principal's organisation.
    notes: Option<Vec<NoteLine>>,
    may_write: bool,
}

struct ShareForm {
    organisations: Vec<Choice>,
    compartments: Vec<Choice>,
}

/// One decision of the case's identification procedure, in words.
struct StageLine {
    name: String,
    deciders: String,
    commission: Option<String>,
    standard: Option<String>,
    deadline: String,
    reconsideration: bool,
    appeal: Option<String>,
    source: String,
}

/// A commission seat on the decision form: the id the vote names, and its name for the reader.
struct VoteSeat {
    id: String,
    name: String,
}

/// The case's identification procedure (national data), in words.
struct ProcedureLines {
    name: String,
    presumed_from: String,
    notification: Option<String>,
    stages: Vec<StageLine>,
    presumed: String,
    identified: String,
    note: Option<String>,
    sources: Vec<String>,
}

fn procedure_lines(ctx: &PageCtx<'_>, procedure: &Procedure) -> ProcedureLines {
    let language = <Language as Coded>::parse_code("language", ctx.tr.code()).unwrap_or_default();
    let kinds = |kinds: &[haven_domain::OrganisationKind]| {
        kinds.iter().map(|k| label_of(&ctx.tr, "org-kind", *k)).collect::<Vec<_>>().join(", ")
    };
    let entitlements = |list: &[Entitlement]| {
        list.iter().map(|e| ctx.t(&format!("entitlement-{}", e.code()))).collect::<Vec<_>>().join("; ")
    };
    let stages = procedure
        .stages()
        .map(|stage| StageLine {
            name: stage.name.get(language).to_owned(),
            deciders: kinds(&stage.organisation_kinds),
            commission: stage.commission.as_ref().map(|c| {
                let who = if c.organisation_kinds.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", kinds(&c.organisation_kinds))
                };
                let seats: Vec<&str> = c.seats.iter().map(|seat| c.seat_name(seat, language)).collect();
                format!(
                    "{who}{} ({} {})",
                    seats.join(", "),
                    c.seats.len(),
                    ctx.tr.t1("procedure-commission-quorum", "quorum", &c.quorum.to_string())
                )
            }),
            standard: stage.standard_of_proof.as_ref().map(|t| t.get(language).to_owned()),
            deadline: match &stage.deadline {
                None => ctx.t("procedure-deadline-none"),
                Some(d) => format!(
                    "{} {}",
                    ctx.tr.t1(&format!("procedure-deadline-{}", d.count.code()), "days", &d.days.to_string()),
                    ctx.t(&format!("procedure-from-{}", d.from.code()))
                ),
            },
            reconsideration: stage.reconsideration,
            appeal: stage.appeal.as_ref().map(|t| t.get(language).to_owned()),
            source: stage.source.clone(),
        })
        .collect();
    ProcedureLines {
        name: procedure.name.get(language).to_owned(),
        presumed_from: ctx.t(&format!("procedure-presumed-from-{}", procedure.presumed_from.code())),
        notification: procedure.notification.as_ref().map(|n| {
            let must = kinds(&n.must_notify);
            if must.is_empty() {
                n.receiver.get(language).to_owned()
            } else {
                format!("{} ({}: {must})", n.receiver.get(language), ctx.t("procedure-must-notify"))
            }
        }),
        stages,
        presumed: entitlements(&procedure.presumed),
        identified: entitlements(&procedure.identified),
        note: procedure.entitlements_note.as_ref().map(|t| t.get(language).to_owned()),
        sources: procedure.sources.clone(),
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage<'a> {
    procedure: Option<ProcedureLines>,
    /// The commission's seats, when the user's organisation takes the pending decision through one.
    vote_seats: Vec<VoteSeat>,
    ctx: PageCtx<'a>,
    id: String,
    reference: String,
    created: String,
    owner: String,
    shares: Vec<String>,
    given_names: String,
    family_names: String,
    aliases: Vec<String>,
    date_of_birth: String,
    sex: String,
    compartments: Vec<CompartmentView>,
    share_form: Option<ShareForm>,
    history_link: bool,
    cf: CaseFile,
    age_text: String,
    may_edit: bool,
    may_submit: bool,
    may_decide: bool,
    /// The referring or supporting organisation may ask for a negative decision to be reconsidered.
    may_request_reconsideration: bool,
    may_write_identity: bool,
    may_write_proceedings: bool,
    decision_kinds: Vec<Choice>,
    correction_kinds: Vec<Choice>,
    correctable_seq: u32,
    permit_applications: Vec<Choice>,
    records: Vec<RecordLine>,
    events: Vec<EventLine>,
    /// The support compartment of this case may be read (the role and the record-level rule, as
    /// the application answered for the support notes): the support modules are offered then.
    may_read_support: bool,
    /// Possible duplicates of the person, for those who may correct the registration.
    duplicates: Vec<super::ident::HitRow>,
    /// The decision form as typed (empty when first shown: no outcome is chosen for the user).
    decision: DecisionTyped,
    /// The decision form's problem, for the summary template.
    check: FormProblem,
}

struct RecordLine {
    kind: String,
    fields: Vec<(String, String)>,
    at: String,
}

struct EventLine {
    kind: String,
    date: String,
    place: String,
    description: String,
}

async fn show(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    case_page(&state, &p, &headers, &id, DecisionTyped::default()).await
}

/// What was typed into the decision form, shown again with the problem the use case found
/// (next to the field), so that nothing typed is lost.
#[derive(Debug, Default)]
pub(super) struct DecisionTyped {
    pub kind: String,
    pub decided_on: String,
    pub reasons: String,
    pub problem: FormProblem,
}

/// The case page; `decision` fills the decision form again after a refused decision (the page
/// then answers with the problem's status).
pub(super) async fn case_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    decision: DecisionTyped,
) -> Response {
    let (state, p, headers, id) = (state.clone(), p.clone(), headers.clone(), id.to_owned());
    let file = match state.app.case_file(&p, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let case_row = match state.app.case_summary(&p, &id).await {
        Ok(c) => c,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let orgs = match organisations(&state, &p).await {
        Ok(o) => o,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let org_names = names(&orgs);
    let ctx = PageCtx::new(&state, Some(&p), &headers, "case-title", "/cases");
    let case = &case_row;
    let mut compartments = Vec::new();
    for c in NOTE_COMPARTMENTS.into_iter().filter(|c| can_read(&p, *c)) {
        let notes = match state.app.notes(&p, &case.id, c.code()).await {
            Ok(notes) => Some(
                notes
                    .into_iter()
                    .map(|n| NoteLine {
                        at: format_time(&n.created_at),
                        organisation: name_of(&org_names, &n.author_organisation_id),
                        body: n.body,
                    })
                    .collect(),
            ),
            Err(AppError::Forbidden | AppError::NotFound) => None,
            Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
        };
        compartments.push(CompartmentView {
            code: c.code(),
            title: label_of(&ctx.tr, "compartment", c),
            may_write: notes.is_some() && can(&p, Permission::Case(c, Action::Write)),
            notes,
        });
    }
    let share_form = (can(&p, Permission::ShareCase) && case.owner_organisation_id == p.organisation.id).then(|| {
        let mut organisations: Vec<Choice> = orgs
            .iter()
            .filter(|o| {
                o.jurisdiction.code() == case.jurisdiction
                    && !o.kind.is_statistical()
                    && o.id != case.owner_organisation_id
            })
            .map(|o| Choice {
                value: o.id.clone(),
                label: format!("{} ({})", o.name, label_of(&ctx.tr, "org-kind", o.kind)),
                selected: false,
            })
            .collect();
        organisations.sort_by(|a, b| a.label.cmp(&b.label));
        let compartments = NOTE_COMPARTMENTS
            .into_iter()
            .filter(|c| can_read(&p, *c))
            .map(|c| Choice { value: c.code().to_owned(), label: label_of(&ctx.tr, "compartment", c), selected: false })
            .collect();
        ShareForm { organisations, compartments }
    });
    let shares = case
        .shared_with
        .iter()
        .map(|s| {
            let parts: Vec<String> = s.compartments.iter().map(|c| label_of(&ctx.tr, "compartment", *c)).collect();
            format!("{}: {}", name_of(&org_names, &s.organisation_id), parts.join(", "))
        })
        .collect();
    let person = &file.registration.person;
    let tr = ctx.tr;
    let age_text = match &file.age {
        AgeStatus::Child { age } => format!("{} ({age})", ctx.t("child-status-child")),
        AgeStatus::Adult { age } => format!("{} ({age})", ctx.t("child-status-adult")),
        AgeStatus::PresumedChild { reason } => {
            format!("{}: {}", ctx.t("child-status-presumed_child"), label_of(&tr, "presumption", *reason))
        }
        AgeStatus::AssessedAdult { assessed_on, result } => {
            format!("{} ({assessed_on}: {}–{})", ctx.t("child-status-adult"), result.min_years(), result.max_years())
        }
        AgeStatus::PresumedAdult { .. } => ctx.t("child-status-adult"),
        AgeStatus::Unknown => ctx.t("child-status-unknown"),
    };
    let draft = file.state == RegistrationState::Draft;
    let may_write_identity = can(&p, Permission::Case(Compartment::Identity, Action::Write))
        && (case.owner_organisation_id == p.organisation.id
            || case
                .shared_with
                .iter()
                .any(|s| s.organisation_id == p.organisation.id && s.compartments.contains(&Compartment::Identity)));
    let decision_codes: Vec<&str> = file.allowed_decisions.iter().map(|k| k.code()).collect();
    let decision_kinds = coded_choices::<DecisionKind>(&tr, "decision", &[decision.kind.as_str()])
        .into_iter()
        .filter(|c| decision_codes.contains(&c.value.as_str()))
        .collect();
    let (correctable_seq, correction_kinds) = match &file.correctable {
        Some((seq, kinds)) => {
            let codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
            (
                *seq,
                coded_choices::<DecisionKind>(&tr, "decision", &[])
                    .into_iter()
                    .filter(|c| codes.contains(&c.value.as_str()))
                    .collect(),
            )
        }
        None => (0, vec![]),
    };
    let permit_applications = file
        .records
        .iter()
        .filter(|r| r.kind == "permit_application")
        .map(|r| Choice {
            value: r.id.clone(),
            label: format!(
                "{} {}",
                r.body.get("applied_on").and_then(|v| v.as_str()).unwrap_or_default(),
                r.body
                    .get("ground")
                    .and_then(|v| v.as_str())
                    .map(|g| ctx.t(&format!("permit-ground-{g}")))
                    .unwrap_or_default()
            ),
            selected: false,
        })
        .collect();
    let records = file
        .records
        .iter()
        .map(|r| RecordLine {
            kind: ctx.t(&format!("record-kind-{}", r.kind)),
            fields: r
                .body
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| {
                            (field_label(&tr, k), v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            at: format_time(&r.created_at),
        })
        .collect();
    let mut sorted_events = file.registration.context.events.clone();
    sorted_events.sort_by_key(|e| e.date);
    let events = sorted_events
        .iter()
        .map(|e| EventLine {
            kind: label_of(&tr, "event", e.kind),
            date: e.date.map(|d| d.to_string()).unwrap_or_else(|| ctx.t("unknown")),
            place: [e.place.clone().unwrap_or_default(), e.country.map(|c| c.as_str().to_owned()).unwrap_or_default()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            description: e.description.clone().unwrap_or_default(),
        })
        .collect();
    let procedure = file.procedure.as_ref().map(|pr| procedure_lines(&ctx, pr));
    let vote_seats = file
        .procedure
        .as_ref()
        .and_then(|pr| {
            let place = if file.status == Some(haven_domain::ident::status::NrmStatus::Referred) && pr.first.is_some() {
                StagePlace::First
            } else {
                StagePlace::Final
            };
            let language = <Language as Coded>::parse_code("language", ctx.tr.code()).unwrap_or_default();
            pr.stage(place).and_then(|s| s.commission_for(p.organisation.kind)).map(|c| {
                c.seats
                    .iter()
                    .map(|seat| VoteSeat { id: seat.clone(), name: c.seat_name(seat, language).to_owned() })
                    .collect()
            })
        })
        .unwrap_or_default();
    // The registrar's warning, as after saving: only for those who may write the identity.
    let duplicates = if may_write_identity {
        match state.app.possible_duplicates(&p, &id, &file.registration).await {
            Ok(hits) => hits.into_iter().map(|h| super::ident::hit_row(&tr, h)).collect(),
            Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
        }
    } else {
        Vec::new()
    };
    let may_read_support = compartments.iter().any(|c| c.code == Compartment::Support.code() && c.notes.is_some());
    let page = CasePage {
        procedure,
        vote_seats,
        id: case.id.clone(),
        reference: case.reference.clone(),
        created: format_time(&case.created_at),
        owner: name_of(&org_names, &case.owner_organisation_id),
        shares,
        given_names: person.given_names.clone(),
        family_names: person.family_names.clone(),
        aliases: person.aliases.clone(),
        date_of_birth: person.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        sex: label_of(&ctx.tr, "sex", person.sex),
        compartments,
        share_form,
        history_link: can(&p, Permission::ReadAccessHistory),
        may_read_support,
        duplicates,
        age_text,
        may_edit: may_write_identity,
        may_submit: draft && may_write_identity && can(&p, Permission::RegisterCase),
        may_decide: !draft && can(&p, Permission::DecideStatus),
        may_request_reconsideration: !can(&p, Permission::DecideStatus)
            && can(&p, Permission::RequestReconsideration)
            && may_write_identity
            && file.allowed_decisions.contains(&DecisionKind::ReconsiderationRequested),
        may_write_identity,
        may_write_proceedings: can(&p, Permission::Case(Compartment::Proceedings, Action::Write)),
        decision_kinds,
        correction_kinds,
        correctable_seq,
        permit_applications,
        records,
        events,
        cf: file,
        check: decision.problem.clone(),
        decision,
        ctx,
    };
    with_status(render(&page), page.check.status())
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    compartment: String,
    #[serde(default)]
    body: String,
}

async fn add_note(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormBody<NoteForm>, WebError>,
) -> Response {
    let result = match form {
        Ok(FormBody(f)) => match NoteInput::parse(&f.compartment, &f.body) {
            Ok(note) => state.app.add_note(&p, &id, &note).await.map_err(WebError::from),
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(note) => see_other(&format!("/cases/{id}#notes-{}", note.compartment.code())),
        Err(e) => error_page(&state, Some(&p), &headers, e),
    }
}

async fn share(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    let form = match form {
        Ok(f) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let organisation = form.get("organisation_id").unwrap_or_default();
    match state.app.share_case(&p, &id, organisation, &form.all("compartments")).await {
        Ok(()) => see_other(&format!("/cases/{id}#sharing")),
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

// ------------------------------------------------------------------ access history

struct AccessLine {
    at: String,
    user: String,
    organisation: String,
    action: String,
    outcome: String,
    failed: bool,
}

#[derive(Template)]
#[template(path = "case_history.html")]
struct HistoryPage<'a> {
    ctx: PageCtx<'a>,
    id: String,
    lines: Vec<AccessLine>,
}

async fn history(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let records = match state.app.access_history(&p, &id).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let orgs = match organisations(&state, &p).await {
        Ok(o) => names(&o),
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let ctx = PageCtx::new(&state, Some(&p), &headers, "history-title", "/cases");
    let you = ctx.t("history-you");
    let lines = records
        .iter()
        .map(|r| AccessLine {
            at: format_time(&r.at),
            user: match (r.user_id.as_deref(), r.user_name.as_deref()) {
                (Some(u), _) if u == p.user.id => format!("{} ({you})", p.user.display_name),
                (_, Some(name)) => name.to_owned(),
                (Some(u), None) => u.to_owned(),
                (None, None) => String::new(),
            },
            organisation: r.organisation_id.as_deref().map(|o| name_of(&orgs, o)).unwrap_or_default(),
            action: ctx.t(&format!("audit-action-{}", r.action)),
            outcome: ctx.t(&format!("audit-outcome-{}", r.outcome)),
            failed: r.outcome != "success",
        })
        .collect();
    render(&HistoryPage { ctx, id, lines })
}
