//! Data subjects' requests (`/subject-requests`, Reg 2016/679 Arts 12, 15-18): the data protection
//! officer's list of requests with their due dates and lateness and the form to record one, a
//! request's page with the identity check, extension, answer, refusal, erasure approval and the
//! restriction of its case, and the subject-access export as a readable document
//! (`/subject-requests/{id}/export`). A case's rectification history and the form to rectify a
//! field (`/cases/{case}/rectifications`). Each handler calls one use case of
//! `haven_app::subject_requests`, where access is decided and every read and write audited.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, format_time, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::subject_requests::{
    NewSubjectRequest, RectificationHistory, RectificationInput, RequestErasureInput, RequestStepInput,
    SubjectAccessExport, SubjectRequestView,
};
use haven_app::{AppError, Principal};
use haven_domain::subject_request::{IdentityCheckMethod, RECTIFIABLE_FIELDS, RequestKind, RequestStatus};
use haven_domain::{Coded, Language};
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/subject-requests", get(index).post(record))
        .route("/subject-requests/{id}", get(request_page).post(step))
        .route("/subject-requests/{id}/export", get(export))
        .route("/subject-requests/{id}/erasure", axum::routing::post(erase))
        .route("/cases/{case}/rectifications", get(rectifications).post(rectify))
}

/// The label of a code: the message `PREFIX-CODE`, underscores as dashes.
fn coded(tr: &Tr<'_>, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

/// An input of a form.
pub struct Input {
    /// The element id (unique on the page).
    pub id: String,
    pub name: String,
    pub label: String,
    /// `text`, `date`, `select` or `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
}

fn input(tr: &Tr<'_>, check: &FormProblem, typed: &FormPairs, name: &str, kind: &'static str) -> Input {
    let value = typed.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    Input {
        id: name.to_owned(),
        name: name.to_owned(),
        label: tr.t(&format!("dsr-field-{}", name.replace('_', "-"))),
        kind,
        value,
        options: Vec::new(),
        error: check.message(name).map(str::to_owned),
    }
}

fn select<C: Coded>(tr: &Tr<'_>, check: &FormProblem, typed: &FormPairs, name: &str, prefix: &str) -> Input {
    let mut i = input(tr, check, typed, name, "select");
    i.options = C::ALL.iter().map(|c| (c.code().to_owned(), coded(tr, prefix, c.code()))).collect();
    i
}

fn problem(tr: &Tr<'_>, e: AppError) -> Result<FormProblem, PageError> {
    FormProblem::of(tr, e, str::to_owned, |tr, at, _| tr.t(&format!("dsr-field-{}", at.replace('_', "-"))))
        .map_err(PageError::from)
}

/// A request as a line of the list and the head of its page.
pub struct RequestLine {
    pub href: String,
    pub kind: String,
    pub reference: String,
    pub case_id: String,
    pub received_on: String,
    pub due_on: String,
    pub extended: bool,
    pub status: String,
    pub late: bool,
    pub days_late: i64,
    pub restricted: bool,
}

fn line(tr: &Tr<'_>, r: &SubjectRequestView) -> RequestLine {
    RequestLine {
        href: format!("/subject-requests/{}", r.id),
        kind: coded(tr, "dsr-kind", r.kind.code()),
        reference: r.case_reference.clone(),
        case_id: r.case_id.clone(),
        received_on: r.received_on.clone(),
        due_on: r.due_on.clone(),
        extended: r.extended,
        status: coded(tr, "dsr-status", r.status.code()),
        late: r.late,
        days_late: r.days_late,
        restricted: r.case_restricted,
    }
}

#[derive(Template)]
#[template(path = "subject_requests.html")]
struct IndexPage<'a> {
    ctx: PageCtx<'a>,
    requests: Vec<RequestLine>,
    late: usize,
    inputs: Vec<Input>,
    check: FormProblem,
}

async fn show_index(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "dsr-title", "/subject-requests");
    let tr = ctx.tr;
    let views = state.app.subject_requests(p).await?;
    let late = views.iter().filter(|r| r.late && r.answered_on.is_none()).count();
    let requests: Vec<RequestLine> = views.iter().map(|r| line(&tr, r)).collect();
    let mut received = input(&tr, &check, typed, "received_on", "date");
    if received.value.is_empty() && !check.is_some() {
        received.value = state.app.today().to_string();
    }
    let inputs = vec![
        select::<RequestKind>(&tr, &check, typed, "kind", "dsr-kind"),
        input(&tr, &check, typed, "case", "text"),
        received,
        input(&tr, &check, typed, "note", "text"),
    ];
    let status = check.status();
    Ok(with_status(render(&IndexPage { ctx, requests, late, inputs, check }), status))
}

async fn index(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show_index(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<NewSubjectRequest>,
) -> PageResult {
    match state.app.record_subject_request(&p, &form.input).await {
        Ok(r) => Ok(see_other(&format!("/subject-requests/{}", r.id))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = problem(&tr, e)?;
            show_index(&state, &p, &headers, &form.pairs, check).await
        }
    }
}

/// A form of a step on the request's page.
pub struct StepForm {
    pub step: &'static str,
    pub title: String,
    pub submit: String,
    pub inputs: Vec<Input>,
}

/// A registration an erasure request may concern, as its checkbox shows it.
pub struct CandidateLine {
    pub case_id: String,
    pub reference: String,
    /// Erased already, or held: it cannot be chosen.
    pub disabled: bool,
    pub checked: bool,
    /// Why it cannot be chosen (erased on a day, held), empty when it can.
    pub why: String,
}

/// A registration erased on the request.
pub struct ErasedLine {
    pub reference: String,
    pub at: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "subject_request.html")]
struct RequestPage<'a> {
    ctx: PageCtx<'a>,
    r: RequestLine,
    id: String,
    version: i64,
    method: String,
    checked: String,
    answered_on: String,
    note: String,
    extension_reason: String,
    refusal_reason: String,
    restrictions: Vec<String>,
    exported_at: String,
    access: bool,
    /// The erasure form of an erasure request awaiting its erasure: its candidates.
    erasure: Option<Vec<CandidateLine>>,
    erased: Vec<ErasedLine>,
    steps: Vec<StepForm>,
    check: FormProblem,
}

async fn show_request(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let view = state.app.subject_request(p, id).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "dsr-request-title", "/subject-requests");
    let tr = ctx.tr;
    let open = !matches!(view.status, RequestStatus::Answered | RequestStatus::Refused);
    let posted = typed.0.iter().find(|(k, _)| k == "step").map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let form = |step: &'static str, inputs: Vec<Input>| StepForm {
        step,
        title: tr.t(&format!("dsr-step-{}", step.replace('_', "-"))),
        submit: tr.t(&format!("dsr-step-{}-submit", step.replace('_', "-"))),
        // What was typed, and the problem, belong to the form that was posted.
        inputs: inputs
            .into_iter()
            .map(|mut i| {
                i.id = format!("{}-{}", step.replace('_', "-"), i.name);
                if posted != step {
                    i.value.clear();
                    i.error = None;
                }
                i
            })
            .collect(),
    };
    let mut steps = Vec::new();
    if view.status == RequestStatus::Received {
        steps.push(form(
            "verify",
            vec![
                select::<IdentityCheckMethod>(&tr, &check, typed, "method", "dsr-method"),
                input(&tr, &check, typed, "on", "date"),
            ],
        ));
    }
    if open && !view.extended {
        steps.push(form("extend", vec![input(&tr, &check, typed, "reason", "textarea")]));
    }
    if view.status == RequestStatus::Verified {
        match view.kind {
            RequestKind::Restriction => {
                steps.push(form("restrict", vec![input(&tr, &check, typed, "reason", "textarea")]));
            }
            RequestKind::Erasure => steps.push(form("approve_erasure", vec![])),
            RequestKind::Access | RequestKind::Rectification => {
                steps.push(form("answer", vec![input(&tr, &check, typed, "on", "date")]));
            }
        }
    }
    let mut erasure = None;
    if view.kind == RequestKind::Erasure && view.status == RequestStatus::AwaitingErasure {
        let candidates = state.app.request_erasure(p, id).await?.candidates;
        let chosen: Vec<&str> = typed.0.iter().filter(|(k, _)| k == "case_ids").map(|(_, v)| v.as_str()).collect();
        // The request is answered once its registration is erased.
        if candidates.iter().any(|c| c.case_id == view.case_id && c.erased_at.is_some()) {
            steps.push(form("answer", vec![input(&tr, &check, typed, "on", "date")]));
        }
        let lines = candidates
            .into_iter()
            .map(|c| {
                let why = match (c.erased_at, c.held) {
                    (Some(at), _) => tr.t1("dsr-erase-erased-on", "at", &format_time(&at)),
                    (None, true) => tr.t("dsr-erase-held"),
                    (None, false) => String::new(),
                };
                CandidateLine {
                    disabled: !why.is_empty(),
                    checked: why.is_empty() && chosen.contains(&c.case_id.as_str()),
                    why,
                    case_id: c.case_id,
                    reference: c.reference,
                }
            })
            .collect();
        erasure = Some(lines);
    }
    if view.kind == RequestKind::Restriction && view.case_restricted {
        steps.push(form("lift", vec![]));
    }
    if open {
        steps.push(form(
            "refuse",
            vec![input(&tr, &check, typed, "reason", "textarea"), input(&tr, &check, typed, "on", "date")],
        ));
    }
    let detail = &view.detail;
    let page = RequestPage {
        r: line(&tr, &view),
        id: view.id.clone(),
        version: view.version,
        method: view.identity_method.map(|m| coded(&tr, "dsr-method", m.code())).unwrap_or_default(),
        checked: match (&view.identity_checked_by, &view.identity_checked_on) {
            (Some(by), Some(on)) => format!("{by}, {on}"),
            _ => String::new(),
        },
        answered_on: view.answered_on.clone().unwrap_or_default(),
        note: detail.note.clone(),
        extension_reason: detail.extension_reason.clone().unwrap_or_default(),
        refusal_reason: detail.refusal_reason.clone().unwrap_or_default(),
        restrictions: detail.restrictions_applied.iter().map(|m| tr.t(m)).collect(),
        exported_at: detail.exported_at.as_ref().map(format_time).unwrap_or_default(),
        access: view.kind == RequestKind::Access && view.status != RequestStatus::Received,
        erasure,
        erased: view
            .erasures
            .iter()
            .map(|e| ErasedLine {
                reference: e.reference.clone(),
                at: format_time(&e.erased_at),
                by: e.erased_by.clone(),
            })
            .collect(),
        steps,
        check,
        ctx,
    };
    let status = page.check.status();
    Ok(with_status(render(&page), status))
}

async fn request_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_request(&state, &p, &headers, &id, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn step(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<RequestStepInput>,
) -> PageResult {
    match state.app.subject_request_step(&p, &id, &form.input).await {
        Ok(r) => Ok(see_other(&format!("/subject-requests/{}", r.id))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = problem(&tr, e)?;
            show_request(&state, &p, &headers, &id, &form.pairs, check).await
        }
    }
}

/// Carries out an erasure request: erases the registrations chosen (`case_ids`) once the officer
/// confirmed that it cannot be undone, then shows the request with what was erased. A legal hold
/// is a 409 naming the registration; a field at fault is named (422).
async fn erase(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    let input = RequestErasureInput {
        version: form
            .pairs
            .0
            .iter()
            .find(|(k, _)| k == "version")
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(-1),
        case_ids: form.pairs.0.iter().filter(|(k, _)| k == "case_ids").map(|(_, v)| v.clone()).collect(),
        confirm: form.pairs.0.iter().any(|(k, v)| k == "confirm" && !v.trim().is_empty()),
    };
    match state.app.erase_for_request(&p, &id, &input).await {
        Ok(r) => Ok(see_other(&format!("/subject-requests/{}#dsr-erased", r.request.id))),
        Err(AppError::Refused(r)) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = FormProblem::at(&tr, "", tr.t1(r.message_id, r.arg.0, &r.arg.1), |_, _, _| String::new());
            let response = show_request(&state, &p, &headers, &id, &form.pairs, check).await?;
            Ok(with_status(response, axum::http::StatusCode::CONFLICT))
        }
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = problem(&tr, e)?;
            show_request(&state, &p, &headers, &id, &form.pairs, check).await
        }
    }
}

/// The language of the export document: the first of the person's languages the interface
/// speaks (English, Latvian); else the officer's, and the document says so.
fn document_language(person: &[String], officer: Language) -> (Language, Option<String>) {
    for code in person {
        let code = code.trim().to_ascii_lowercase();
        let known = crate::i18n::leaflet_language_for(&code).map(|l| l.code).unwrap_or(code.as_str());
        if let Ok(language) = Language::parse_code("language", known) {
            return (language, None);
        }
    }
    (officer, person.first().cloned())
}

/// The first page of the document in the person's language, when the interface does not speak it
/// but the leaflet does (`locales/leaflet/*.ftl`, `leaflet-access-*`): what the copy is, why the
/// rest is in another language, the person's further rights and what is withheld.
struct Cover {
    lang: String,
    dir: &'static str,
    heading: String,
    paragraphs: Vec<String>,
}

fn cover(catalogue: &crate::i18n::LeafletCatalogue, person: &[String], document: Language) -> Option<Cover> {
    let code = catalogue.choose(person);
    if Language::parse_code("language", code).is_ok_and(|l| l == document) || person.is_empty() {
        return None;
    }
    leaflet_language_for_any(person)?;
    let mut tr = catalogue.tr(code)?;
    let paragraphs =
        ["leaflet-access-intro", "leaflet-access-language", "leaflet-access-rights", "leaflet-access-police"]
            .iter()
            .map(|id| tr.t(id))
            .collect();
    Some(Cover { lang: code.to_owned(), dir: tr.direction(), heading: tr.t("leaflet-access-heading"), paragraphs })
}

/// Whether one of the person's languages is a leaflet language at all.
fn leaflet_language_for_any(person: &[String]) -> Option<&'static crate::i18n::LeafletLanguage> {
    person.iter().find_map(|l| crate::i18n::leaflet_language_for(l))
}

/// One registration in the document.
struct DocRegistration {
    reference: String,
    organisation: String,
    registered: String,
    state: String,
    /// Each field by its path, its value, and whether the value is stored codes (shown as code).
    fields: Vec<(String, String, bool)>,
    notes: Vec<(String, String, String)>,
    decisions: Vec<(String, String, String)>,
    rectifications: Vec<(String, String, String, String)>,
    recipients: Vec<(String, String, String, String)>,
    access: Vec<(String, String, String, String)>,
    restricted: bool,
}

#[derive(Template)]
#[template(path = "subject_export.html")]
struct ExportPage<'a> {
    ctx: PageCtx<'a>,
    doc: Tr<'a>,
    lang: &'static str,
    id: String,
    fallback: Option<String>,
    cover: Option<Cover>,
    generated: String,
    registrations: Vec<DocRegistration>,
    restrictions: Vec<(String, String)>,
}

/// The registration's record as lines: each field by its path (`person.sex`,
/// `context.events.1.date`), a list of plain values on one line; nothing empty.
fn record_lines(record: &serde_json::Value) -> Vec<(String, String)> {
    fn walk(path: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        let join = |k: &str| if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Bool(false) => {}
            serde_json::Value::String(s) if s.is_empty() => {}
            serde_json::Value::String(s) => out.push((path.to_owned(), s.clone())),
            serde_json::Value::Object(map) => {
                for (k, inner) in map {
                    walk(&join(k), inner, out);
                }
            }
            serde_json::Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                let shown: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                if !shown.is_empty() {
                    out.push((path.to_owned(), shown.join(", ")));
                }
            }
            serde_json::Value::Array(items) => {
                for (n, inner) in items.iter().enumerate() {
                    walk(&join(&(n + 1).to_string()), inner, out);
                }
            }
            other => out.push((path.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", record, &mut out);
    out
}

/// A stored code (`abuse_of_vulnerability`, `unknown`): lowercase ASCII letters, digits and
/// underscores, starting with a letter.
fn is_code(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_lowercase())
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The message prefix of the stored codes a field of the record holds (`context.means` →
/// `means`, `person.documents.1.kind` → `document`): the domain's labels of
/// `locales/*-ident.ftl` and `*.ftl`. `None` for a field that holds no codes with labels.
fn code_prefix(path: &str) -> Option<&'static str> {
    let mut named = path.rsplit('.').filter(|s| !s.chars().all(|c| c.is_ascii_digit()));
    let last = named.next()?;
    let parent = named.next().unwrap_or_default();
    Some(match (parent, last) {
        (_, "sex") => "sex",
        (_, "gender") => "gender",
        (_, "acts") => "act",
        (_, "means") => "means",
        (_, "methods_of_control") => "control",
        (_, "forms") => "form",
        (_, "forced_labour_industry") => "industry",
        (_, "recruitment_method") => "recruitment",
        (_, "online_platforms") => "platform",
        (_, "relationship_to_trafficker") => "relationship",
        (_, "vulnerabilities") => "vulnerability",
        ("documents", "kind") => "document",
        ("events", "kind") => "event",
        ("age_assessments", "method") => "age-method",
        _ => return None,
    })
}

/// A field's value in the document's language: each stored code of a field that holds codes by
/// its label; a code without a label, and every other value, as stored. Whether what is left is
/// stored codes (shown as code).
fn field_value(tr: &Tr<'_>, path: &str, value: &str) -> (String, bool) {
    let Some(prefix) = code_prefix(path) else {
        return (value.to_owned(), value.split(", ").all(is_code));
    };
    let mut all_labelled = true;
    let shown: Vec<String> = value
        .split(", ")
        .map(|code| {
            let id = format!("{prefix}-{code}");
            let label = tr.t(&id);
            if label == id {
                all_labelled = false;
                code.to_owned()
            } else {
                label
            }
        })
        .collect();
    let text = shown.join(", ");
    let code = !all_labelled && value.split(", ").all(is_code);
    (text, code)
}

/// A decision's kind in the document's language (`decision-KIND`), as stored when it has no label.
fn decision_label(tr: &Tr<'_>, kind: &str) -> String {
    let id = format!("decision-{kind}");
    let label = tr.t(&id);
    if label == id { kind.to_owned() } else { label }
}

fn document(tr: &Tr<'_>, export: &SubjectAccessExport) -> Vec<DocRegistration> {
    export
        .registrations
        .iter()
        .map(|r| DocRegistration {
            reference: r.reference.clone(),
            organisation: r.organisation.clone(),
            registered: format_time(&r.registered_at),
            state: r.state.clone(),
            fields: record_lines(&r.record)
                .into_iter()
                .map(|(k, v)| {
                    let (v, code) = field_value(tr, &k, &v);
                    (k, v, code)
                })
                .collect(),
            notes: r
                .notes
                .iter()
                .map(|n| {
                    (coded(tr, "dsr-compartment", n.compartment.code()), format_time(&n.created_at), n.body.clone())
                })
                .collect(),
            decisions: r
                .decisions
                .iter()
                .map(|d| (decision_label(tr, &d.kind), d.decided_on.clone(), d.reasons.clone()))
                .collect(),
            rectifications: r
                .rectifications
                .iter()
                .map(|x| (x.field.clone(), x.old_value.clone(), x.reason.clone(), format_time(&x.rectified_at)))
                .collect(),
            recipients: r
                .recipients
                .iter()
                .map(|x| {
                    (
                        coded(tr, "dsr-recipient", &x.kind),
                        x.to.clone(),
                        x.what.clone(),
                        x.at.as_ref().map(format_time).unwrap_or_default(),
                    )
                })
                .collect(),
            access: r
                .access_history
                .iter()
                .map(|a| {
                    (
                        format_time(&a.at),
                        a.who.clone(),
                        a.organisation.clone(),
                        tr.t(&format!("audit-action-{}", a.action)),
                    )
                })
                .collect(),
            restricted: r.restricted,
        })
        .collect()
}

async fn export(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let export = state.app.subject_access_export(&p, &id).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "dsr-export-title", "/subject-requests");
    let (language, fallback) = document_language(&export.person_languages, ctx.tr.language);
    let cover = cover(state.i18n.leaflet(), &export.person_languages, language);
    let doc = state.i18n.tr(language);
    let registrations = document(&doc, &export);
    let restrictions = export.restrictions.iter().map(|r| (doc.t(&r.message), r.article.clone())).collect();
    let page = ExportPage {
        ctx,
        doc,
        lang: language.code(),
        id: export.request_id.clone(),
        fallback,
        cover,
        generated: format_time(&export.generated_at),
        registrations,
        restrictions,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "rectifications.html")]
struct RectificationsPage<'a> {
    ctx: PageCtx<'a>,
    h: RectificationHistory,
    entries: Vec<(String, String, String, String, String)>,
    restricted_since: String,
    inputs: Vec<Input>,
    check: FormProblem,
}

async fn show_rectifications(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    case_id: &str,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let h = state.app.rectification_history(p, case_id).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "rectification-title", "/cases");
    let tr = ctx.tr;
    let entries = h
        .entries
        .iter()
        .map(|e| {
            (
                coded(&tr, "dsr-rectifiable", &e.field),
                e.old_value.clone(),
                e.rectified_by.clone(),
                format_time(&e.rectified_at),
                e.reason.clone(),
            )
        })
        .collect();
    let mut field = input(&tr, &check, typed, "field", "select");
    field.options = RECTIFIABLE_FIELDS.iter().map(|f| ((*f).to_owned(), coded(&tr, "dsr-rectifiable", f))).collect();
    let inputs = vec![
        field,
        input(&tr, &check, typed, "value", "text"),
        input(&tr, &check, typed, "reason", "textarea"),
        input(&tr, &check, typed, "request_id", "text"),
    ];
    let restricted_since = h.restriction.as_ref().map(|r| format_time(&r.restricted_at)).unwrap_or_default();
    let status = check.status();
    Ok(with_status(render(&RectificationsPage { ctx, h, entries, restricted_since, inputs, check }), status))
}

async fn rectifications(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_rectifications(&state, &p, &headers, &id, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn rectify(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    let one = |name: &str| form.pairs.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let version = one("version");
    let input = RectificationInput {
        version: version.trim().parse().unwrap_or(-1),
        field: one("field"),
        value: one("value"),
        reason: one("reason"),
        request_id: Some(one("request_id")),
    };
    match state.app.rectify_field(&p, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}/rectifications"))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = problem(&tr, e)?;
            show_rectifications(&state, &p, &headers, &id, &form.pairs, check).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art_15_reg_2016_679_the_document_shows_stored_codes_by_their_labels_in_its_language() {
        let i18n = crate::i18n::I18n::load().unwrap();
        let en = i18n.tr(Language::English);
        let lv = i18n.tr(Language::Latvian);
        assert_eq!(field_value(&en, "context.forms", "forced_labour"), ("Forced labour or services".to_owned(), false));
        let (lv_forms, code) = field_value(&lv, "context.forms", "forced_labour");
        assert!(!code && lv_forms != "forced_labour" && lv_forms != "Forced labour or services", "{lv_forms}");
        let (means, code) = field_value(&en, "context.means", "deception, abuse_of_vulnerability");
        assert!(!code && !means.contains('_'), "{means}");
        assert_eq!(field_value(&en, "person.sex", "female"), ("Female".to_owned(), false));
        assert!(!field_value(&en, "person.documents.1.kind", "passport").1);
        // A code without a label, and a field of no coded kind, stay as stored.
        assert_eq!(field_value(&en, "context.forms", "no_such_form"), ("no_such_form".to_owned(), true));
        assert_eq!(field_value(&en, "person.given_names", "Anna"), ("Anna".to_owned(), false));
        assert_ne!(decision_label(&lv, "first_decision_positive"), "first_decision_positive");
    }

    #[test]
    fn art_15_reg_2016_679_a_person_whose_language_only_the_leaflet_has_gets_a_first_page_in_it() {
        let i18n = crate::i18n::I18n::load().unwrap();
        let catalogue = i18n.leaflet();
        assert!(cover(catalogue, &["en".into()], Language::English).is_none(), "the document is in it already");
        assert!(cover(catalogue, &["lv".into()], Language::Latvian).is_none());
        assert!(cover(catalogue, &[], Language::Latvian).is_none());
        assert!(cover(catalogue, &["xx".into()], Language::Latvian).is_none(), "a language nobody has");
        let mut reference = catalogue.tr("en").unwrap();
        for code in catalogue.codes().into_iter().filter(|c| !["en", "lv"].contains(c)) {
            let (document, _) = document_language(&[code.to_owned()], Language::Latvian);
            let c = cover(catalogue, &[code.to_owned()], document).unwrap_or_else(|| panic!("{code}: no first page"));
            assert_eq!(c.lang, code);
            assert_eq!(c.dir, if code == "ar" { "rtl" } else { "ltr" });
            assert_eq!(c.paragraphs.len(), 4);
            assert_ne!(c.heading, reference.t("leaflet-access-heading"), "{code}: the heading is translated");
            for (p, id) in c.paragraphs.iter().zip(["leaflet-access-intro", "leaflet-access-language"]) {
                assert_ne!(p, &reference.t(id), "{code}: {id} is translated");
            }
            assert!(c.paragraphs[0].contains("15"), "{code}: the article is named");
        }
        let ru = cover(catalogue, &["rus".into()], Language::Latvian).unwrap();
        assert_eq!(ru.heading, "Копия ваших данных");
    }

    #[test]
    fn the_document_is_in_the_persons_language_where_the_interface_speaks_it() {
        assert_eq!(document_language(&["lv".into()], Language::English), (Language::Latvian, None));
        assert_eq!(document_language(&["ru".into(), "eng".into()], Language::Latvian), (Language::English, None));
        assert_eq!(document_language(&["ru".into()], Language::Latvian), (Language::Latvian, Some("ru".into())));
        assert_eq!(document_language(&[], Language::English), (Language::English, None));
    }
}
