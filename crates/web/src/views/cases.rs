//! Cases: the list (no personal data), registering a presumed victim, one case with its
//! compartmented notes and sharing, and who accessed it. What a user may do with a case is the
//! access module's answer ([`haven_domain::access::CaseActions`], in the case file): the case
//! page offers exactly those actions.

use super::form::{FormProblem, OrFormProblem, PageForm};
use super::page_error::{PageError, PageResult};
use super::{
    Choice, PageCtx, can, can_read, coded_choices, field_label, format_time, label_of, render, see_other, with_status,
};
use crate::AppState;
use crate::extract::SignedIn;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::admin::Acting;
use haven_app::ident::{CaseFile, CaseFilter};
use haven_app::{AppError, Principal};
use haven_domain::access::{CASE_COMPARTMENTS, Compartment};
use haven_domain::case::{NoteInput, PersonIdentity, Sex};
use haven_domain::ident::age::AgeStatus;
use haven_domain::ident::procedure::{Entitlement, Procedure, StagePlace};
use haven_domain::ident::record::RegistrationState;
use haven_domain::ident::status::DecisionKind;
use haven_domain::ident::status::NrmStatus;
use haven_domain::org::Organisation;
use haven_domain::{Coded, Language, Permission};
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

/// Cases per page of the list.
const PAGE_SIZE: i64 = 50;

/// Organisations by id, for showing names instead of identifiers.
async fn organisations(state: &AppState, p: &Principal) -> Result<Vec<Organisation>, AppError> {
    match state.app.organisations(Acting::User(p)).await {
        Ok(o) => Ok(o),
        Err(AppError::Forbidden) => Ok(vec![]),
        Err(e) => Err(e),
    }
}

fn names(orgs: &[Organisation]) -> HashMap<String, String> {
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
) -> PageResult {
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
    let cases = state.app.case_list(&p, &filter).await?;
    let orgs = names(&organisations(&state, &p).await?);
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
    Ok(render(&page))
}

// ------------------------------------------------------------------ register

/// The registration form as typed (kept when the form is shown again with its problem).
#[derive(Deserialize, Default)]
#[serde(default)]
struct CaseForm {
    given_names: String,
    family_names: String,
    aliases: String,
    date_of_birth: String,
    sex: String,
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewCasePage<'a> {
    ctx: PageCtx<'a>,
    typed: CaseForm,
    sexes: Vec<Choice>,
    check: FormProblem,
}

fn new_case_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: CaseForm,
    check: FormProblem,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "case-new-title", "/cases");
    let sexes = coded_choices::<Sex>(&ctx.tr, "sex", &[typed.sex.as_str()]);
    let status = check.status();
    with_status(render(&NewCasePage { ctx, typed, sexes, check }), status)
}

async fn new_form(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    state.app.require(&p, Permission::RegisterCase).await?;
    Ok(new_case_page(&state, &p, &headers, CaseForm::default(), FormProblem::none()))
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<CaseForm>, PageError>,
) -> PageResult {
    state.app.require(&p, Permission::RegisterCase).await?;
    let PageForm { input: f, .. } = form?;
    let aliases: Vec<String> = f.aliases.lines().map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect();
    let result = match PersonIdentity::parse(
        &f.given_names,
        &f.family_names,
        &aliases,
        Some(f.date_of_birth.as_str()),
        &f.sex,
    ) {
        Ok(identity) => state.app.register_case(&p, &identity).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    let tr = state.i18n.tr(super::language_of(Some(&p), &headers));
    // `aliases[2]` is a problem of the aliases input.
    let place = |field: &str| field.split('[').next().unwrap_or_default().to_owned();
    let case = result.or_form(
        &tr,
        place,
        |tr, _, field| field_label(tr, field),
        |check| new_case_page(&state, &p, &headers, f, check),
    )?;
    Ok(see_other(&format!("/cases/{}/edit?step=person", case.id)))
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
    /// Offered when the access module lets the user share the case.
    share_form: Option<ShareForm>,
    /// The case file, with what the user may do with the case (`cf.actions`): the page offers
    /// exactly those actions.
    cf: CaseFile,
    age_text: String,
    /// Criminal-matter records may be added (the proceedings compartment written).
    writes_proceedings: bool,
    /// Involved in criminal proceedings: all a caseworker learns of them (none when the reader
    /// may not know).
    involved_in_proceedings: Option<bool>,
    /// The victim's lawyer, for the case's caseworker or supervisor (Dir 2011/36 Art 12(2)).
    representation: Option<super::representations::RepresentationSection>,
    /// The case's referrals to other countries, for its caseworker or supervisor (Dir 2011/36
    /// Art 11(4)).
    transnational: Option<super::transnational::TransnationalSection>,
    decision_kinds: Vec<Choice>,
    correction_kinds: Vec<Choice>,
    correctable_seq: u32,
    permit_applications: Vec<Choice>,
    records: Vec<RecordLine>,
    events: Vec<EventLine>,
    /// Possible duplicates of the person, for those who may correct the registration.
    duplicates: Vec<super::identification::search::HitRow>,
    /// The decision form as typed (empty when first shown: no outcome is chosen for the user).
    decision: DecisionTyped,
    /// The decision form's problem, for the summary template.
    check: FormProblem,
    /// The reconsideration request's problem, next to its field.
    reconsideration_check: FormProblem,
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
) -> PageResult {
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
    /// A refused reconsideration request as typed: `problem` is then its problem, and the
    /// decision form is shown as first.
    pub reconsideration: Option<ReconsiderationTyped>,
}

/// What was typed into the reconsideration request form.
#[derive(Debug, Default)]
pub(super) struct ReconsiderationTyped {
    pub requested_on: String,
    pub reasons: String,
}

/// The case page; `decision` fills the decision form again after a refused decision (the page
/// then answers with the problem's status).
pub(super) async fn case_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    decision: DecisionTyped,
) -> PageResult {
    let (state, p, headers, id) = (state.clone(), p.clone(), headers.clone(), id.to_owned());
    let file = state.app.case_file(&p, &id).await?;
    let case_row = state.app.case_summary(&p, &id).await?;
    let orgs = organisations(&state, &p).await?;
    let org_names = names(&orgs);
    let ctx = PageCtx::new(&state, Some(&p), &headers, "case-title", "/cases");
    let case = &case_row;
    let actions = &file.actions;
    let mut compartments = Vec::new();
    // Every part the user's roles open is shown: its notes where the case lets the user read
    // them, else that it was not shared.
    for c in CASE_COMPARTMENTS.into_iter().filter(|c| can_read(&p, *c)) {
        let notes = if actions.reads(c) {
            let notes = state.app.notes(&p, &case.id, c.code()).await?;
            Some(
                notes
                    .into_iter()
                    .map(|n| NoteLine {
                        at: format_time(&n.created_at),
                        organisation: name_of(&org_names, &n.author_organisation_id),
                        body: n.body,
                    })
                    .collect(),
            )
        } else {
            None
        };
        compartments.push(CompartmentView {
            code: c.code(),
            title: label_of(&ctx.tr, "compartment", c),
            may_write: actions.writes(c),
            notes,
        });
    }
    let share_form = actions
        .share
        .then(|| share_form(&ctx, &orgs, &case.jurisdiction, &case.owner_organisation_id, &actions.shareable));
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
    let involved_in_proceedings = match state.app.case_involvement(&p, &id).await {
        Ok(c) => c.involved,
        Err(AppError::NotFound | AppError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let representation = super::representations::case_section(&state, &p, &id).await?;
    let transnational = super::transnational::case_section(&state, &p, &ctx.tr, &id).await?;
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
    let duplicates = if file.actions.edit {
        let hits = state.app.possible_duplicates(&p, &id, &file.registration).await?;
        hits.into_iter().map(|h| super::identification::search::hit_row(&tr, h)).collect()
    } else {
        Vec::new()
    };
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
        duplicates,
        age_text,
        writes_proceedings: file.actions.writes(Compartment::Proceedings),
        involved_in_proceedings,
        representation,
        transnational,
        decision_kinds,
        correction_kinds,
        correctable_seq,
        permit_applications,
        records,
        events,
        cf: file,
        check: if decision.reconsideration.is_some() { FormProblem::none() } else { decision.problem.clone() },
        reconsideration_check: if decision.reconsideration.is_some() {
            decision.problem.clone()
        } else {
            FormProblem::none()
        },
        decision,
        ctx,
    };
    let status =
        if page.reconsideration_check.is_some() { page.reconsideration_check.status() } else { page.check.status() };
    Ok(with_status(render(&page), status))
}

/// The share form: the organisations of the case's country that take part in cases (no
/// statistics office, not the owner), by name, the platform operator's organisation last (it
/// administers; a case is shared with it only on purpose), none chosen for the user; and the
/// parts the user may share.
fn share_form(
    ctx: &PageCtx<'_>,
    orgs: &[Organisation],
    jurisdiction: &str,
    owner: &str,
    shareable: &[Compartment],
) -> ShareForm {
    let mut targets: Vec<&Organisation> = orgs
        .iter()
        .filter(|o| o.jurisdiction.code() == jurisdiction && !o.kind.is_statistical() && o.id != owner)
        .collect();
    targets.sort_by(|a, b| a.is_operator().cmp(&b.is_operator()).then_with(|| a.name.cmp(&b.name)));
    let organisations = targets
        .into_iter()
        .map(|o| Choice {
            value: o.id.clone(),
            label: format!("{} ({})", o.name, label_of(&ctx.tr, "org-kind", o.kind)),
            selected: false,
        })
        .collect();
    let compartments = shareable
        .iter()
        .map(|c| Choice { value: c.code().to_owned(), label: label_of(&ctx.tr, "compartment", *c), selected: false })
        .collect();
    ShareForm { organisations, compartments }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoteForm {
    compartment: String,
    body: String,
}

async fn add_note(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path(id): Path<String>,
    form: Result<PageForm<NoteForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    let note = NoteInput::parse(&f.compartment, &f.body)?;
    let note = state.app.add_note(&p, &id, &note).await?;
    Ok(see_other(&format!("/cases/{id}#notes-{}", note.compartment.code())))
}

/// The share form: one organisation, any number of parts (`compartments`, repeated).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ShareInput {
    organisation_id: String,
}

async fn share(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path(id): Path<String>,
    form: Result<PageForm<ShareInput>, PageError>,
) -> PageResult {
    let PageForm { input, pairs } = form?;
    state.app.share_case(&p, &id, &input.organisation_id, &pairs.all("compartments")).await?;
    Ok(see_other(&format!("/cases/{id}#sharing")))
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
) -> PageResult {
    let records = state.app.access_history(&p, &id).await?;
    let orgs = names(&organisations(&state, &p).await?);
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
    Ok(render(&HistoryPage { ctx, id, lines }))
}
