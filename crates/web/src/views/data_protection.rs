//! The data protection officer's pages (docs/data-protection.md): retention (`/retention`: the
//! schedules of the jurisdiction, the records listed as due with their state and the day the
//! job may act, the legal holds, and the forms to hold, release and decide on review), and the
//! record of processing with the impact assessment (`/processing-record`: generated from the
//! configuration, the officer's completions, and the Markdown export). Each handler calls one
//! use case of `haven_app::retention`.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::strategy::{Field, Fields};
use crate::views::{PageCtx, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haven_app::retention::{ProcessingDocuments, ReviewDecision};
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::processing_record::{CompletionField, completion_fields};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/retention", get(retention_page))
        .route("/retention/holds", post(place_hold))
        .route("/retention/holds/release", post(release_hold))
        .route("/retention/decisions", post(decide))
        .route("/processing-record", get(processing_page).post(complete))
        .route("/processing-record/export", get(export_markdown))
}

/// A schedule as shown.
struct ScheduleLine {
    kind: String,
    period: String,
    runs_from: String,
    action: String,
    legal_basis: String,
    sources: String,
}

/// A listed record as shown.
struct ItemLine {
    kind: String,
    record_id: String,
    due_on: String,
    action: String,
    act_after: String,
    state: String,
    state_code: String,
}

/// A hold as shown.
struct HoldLine {
    record: String,
    reason: String,
    placed_on: String,
    released: String,
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage<'a> {
    ctx: PageCtx<'a>,
    /// The day from which the version of the profile in force applies.
    valid_from: String,
    grace_days: u16,
    schedules: Vec<ScheduleLine>,
    items: Vec<ItemLine>,
    holds: Vec<HoldLine>,
    hold_fields: Vec<Field>,
    release_fields: Vec<Field>,
    decide_fields: Vec<Field>,
    may_hold: bool,
    may_release: bool,
    may_decide: bool,
    check: FormProblem,
}

/// Which of the page's forms a problem belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Hold,
    Release,
    Decide,
}

pub(crate) fn period(tr: &Tr<'_>, years: u16, months: u16) -> String {
    match (years, months) {
        (1, 0) => tr.t("retention-one-year"),
        (0, 1) => tr.t("retention-one-month"),
        (y, 0) => tr.t1("retention-years", "years", &y.to_string()),
        (0, m) => tr.t1("retention-months", "months", &m.to_string()),
        (y, m) => tr.args("retention-years-months", &[("years", &y.to_string()), ("months", &m.to_string())]),
    }
}

/// The typed values and the problem of the form they belong to; the other forms' are empty.
fn chosen<'a>(
    this: bool,
    typed: &'a FormPairs,
    check: &'a FormProblem,
    empty: &'a FormPairs,
    none: &'a FormProblem,
) -> (&'a FormPairs, &'a FormProblem) {
    if this { (typed, check) } else { (empty, none) }
}

fn kind_label(tr: &Tr<'_>, code: &str) -> String {
    tr.t(&format!("retention-kind-{code}"))
}

async fn show_retention(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    (form, check): (Form, FormProblem),
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "retention-title", "/retention");
    let tr = ctx.tr;
    let view = state.app.retention_view(p).await?;
    let schedules = view
        .profile
        .schedules
        .values()
        .map(|s| ScheduleLine {
            kind: label_of(&tr, "retention-kind", s.kind),
            period: period(&tr, s.years, s.months),
            runs_from: label_of(&tr, "retention-from", s.runs_from),
            action: label_of(&tr, "retention-action", s.action),
            legal_basis: s.legal_basis.join("; "),
            sources: s.sources.join(" "),
        })
        .collect();
    let items: Vec<ItemLine> = view
        .items
        .iter()
        .map(|i| ItemLine {
            kind: kind_label(&tr, &i.record_kind),
            record_id: i.record_id.clone(),
            due_on: i.due_on.clone(),
            action: tr.t(&format!("retention-action-{}", i.action)),
            act_after: i.act_after.clone().unwrap_or_default(),
            state: tr.t(&format!("retention-state-{}", i.state)),
            state_code: i.state.clone(),
        })
        .collect();
    let holds: Vec<HoldLine> = view
        .holds
        .iter()
        .map(|h| HoldLine {
            record: format!("{}: {}", kind_label(&tr, &h.record_kind), h.record_id),
            reason: h.reason.clone(),
            placed_on: h.placed_on.clone(),
            released: match (&h.released_on, &h.release_reason) {
                (Some(on), Some(reason)) => format!("{on}: {reason}"),
                (Some(on), None) => on.clone(),
                _ => String::new(),
            },
        })
        .collect();
    let empty = FormPairs(Vec::new());
    let none = FormProblem::none();
    let pick = |f: Form| f == form;
    let record_option = |i: &haven_app::retention::RetentionLine| {
        (
            format!("{}/{}", i.record_kind, i.record_id),
            format!("{}: {} ({})", kind_label(&tr, &i.record_kind), i.record_id, i.due_on),
        )
    };
    let (t, c) = chosen(pick(Form::Hold), typed, &check, &empty, &none);
    let f = Fields { tr, prefix: "retention", typed: t, check: c };
    let mut record = f.field("record", "select");
    record.options = view
        .items
        .iter()
        .filter(|i| matches!(i.state.as_str(), "listed" | "review" | "held" | "kept"))
        .map(record_option)
        .collect();
    let may_hold = !record.options.is_empty();
    let hold_fields = vec![record, f.field("reason", "text")];
    let (t, c) = chosen(pick(Form::Release), typed, &check, &empty, &none);
    let g = Fields { tr, prefix: "retention", typed: t, check: c };
    let mut hold = g.field("hold", "select");
    hold.options = view
        .holds
        .iter()
        .filter(|h| h.released_on.is_none())
        .map(|h| (h.id.clone(), format!("{}: {} ({})", kind_label(&tr, &h.record_kind), h.record_id, h.placed_on)))
        .collect();
    let may_release = !hold.options.is_empty();
    let release_fields = vec![hold, g.field("reason", "text")];
    let (t, c) = chosen(pick(Form::Decide), typed, &check, &empty, &none);
    let d = Fields { tr, prefix: "retention", typed: t, check: c };
    let mut record = d.field("record", "select");
    record.options =
        view.items.iter().filter(|i| matches!(i.state.as_str(), "review" | "listed")).map(record_option).collect();
    let may_decide = !record.options.is_empty();
    let mut decision = d.field("decision", "select");
    decision.options = ["keep", "erase", "anonymise"]
        .iter()
        .map(|c| ((*c).to_owned(), tr.t(&format!("retention-decision-{c}"))))
        .collect();
    let decide_fields = vec![record, decision, d.field("note", "text")];
    let status = check.status();
    let page = RetentionPage {
        ctx,
        valid_from: view.profile.valid_from.to_string(),
        grace_days: view.profile.grace_days,
        schedules,
        items,
        holds,
        hold_fields,
        release_fields,
        decide_fields,
        may_hold,
        may_release,
        may_decide,
        check,
    };
    Ok(with_status(render(&page), status))
}

async fn retention_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show_retention(&state, &p, &headers, &FormPairs(Vec::new()), (Form::Hold, FormProblem::none())).await
}

fn problem(state: &AppState, p: &Principal, headers: &HeaderMap, e: AppError) -> Result<FormProblem, PageError> {
    let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
    FormProblem::of(&tr, e, str::to_owned, |tr, at, _| tr.t(&format!("retention-field-{at}"))).map_err(PageError::from)
}

/// `kind/id` of a record as the forms send it.
fn record_of(value: &str) -> Result<(&str, &str), AppError> {
    value
        .split_once('/')
        .filter(|(k, id)| !k.is_empty() && !id.is_empty())
        .ok_or_else(|| AppError::Invalid(haven_domain::ParseError::empty("record")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HoldForm {
    record: String,
    reason: String,
}

async fn place_hold(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<HoldForm>,
) -> PageResult {
    // Who may not manage retention is refused before the form is read (403, audited).
    state.app.require(&p, haven_domain::Permission::ManageRetention).await?;
    let result = match record_of(&form.input.record) {
        Ok((kind, id)) => state.app.place_retention_hold(&p, kind, id, &form.input.reason).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after(&state, &p, &headers, &form.pairs, Form::Hold, result).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReleaseForm {
    hold: String,
    reason: String,
}

async fn release_hold(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<ReleaseForm>,
) -> PageResult {
    state.app.require(&p, haven_domain::Permission::ManageRetention).await?;
    let result = if form.input.hold.trim().is_empty() {
        Err(AppError::Invalid(haven_domain::ParseError::empty("hold")))
    } else {
        state.app.release_retention_hold(&p, form.input.hold.trim(), &form.input.reason).await
    };
    after(&state, &p, &headers, &form.pairs, Form::Release, result).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecideForm {
    record: String,
    decision: String,
    note: String,
}

async fn decide(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<DecideForm>,
) -> PageResult {
    state.app.require(&p, haven_domain::Permission::ManageRetention).await?;
    let result = match (record_of(&form.input.record), ReviewDecision::parse("decision", &form.input.decision)) {
        (Ok((kind, id)), Ok(decision)) => state.app.decide_retention(&p, kind, id, decision, &form.input.note).await,
        (Err(e), _) => Err(e),
        (_, Err(e)) => Err(AppError::Invalid(e)),
    };
    after(&state, &p, &headers, &form.pairs, Form::Decide, result).await
}

async fn after(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    form: Form,
    result: Result<(), AppError>,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other("/retention")),
        Err(e) => {
            let check = problem(state, p, headers, e)?;
            show_retention(state, p, headers, typed, (form, check)).await
        }
    }
}

/// One row of a section of the record of processing.
pub(crate) struct Row {
    pub label: String,
    pub value: String,
    /// The value is a citation or national text kept in English.
    pub english: bool,
}

/// A section of the record of processing or the impact assessment.
pub(crate) struct Section {
    pub title: String,
    pub rows: Vec<Row>,
}

fn row(label: String, value: String) -> Row {
    Row { label, value, english: false }
}

fn cited(label: String, value: String) -> Row {
    Row { label, value, english: true }
}

fn completion(tr: &Tr<'_>, docs: &ProcessingDocuments, field: CompletionField) -> String {
    docs.completions.get(&field.key()).cloned().unwrap_or_else(|| tr.t("ropa-to-complete"))
}

/// The two documents as sections in the reader's language: what the page shows and the
/// Markdown export writes.
pub(crate) fn sections(tr: &Tr<'_>, docs: &ProcessingDocuments) -> (Vec<Section>, Vec<Section>) {
    let r = &docs.record;
    let join = |items: Vec<String>| items.join(", ");
    let mut record = vec![Section {
        title: tr.t("ropa-controller"),
        rows: vec![
            row(tr.t("ropa-jurisdiction"), r.jurisdiction.code().to_owned()),
            row(tr.t("ropa-field-controller"), completion(tr, docs, CompletionField::Controller)),
            row(tr.t("ropa-field-officer_contact"), completion(tr, docs, CompletionField::OfficerContact)),
        ],
    }];
    for a in &r.activities {
        record.push(Section {
            title: tr.t1("ropa-activity", "compartment", &label_of(tr, "compartment", a.compartment)),
            rows: vec![
                row(tr.t("ropa-purpose"), label_of(tr, "ropa-purpose", a.compartment)),
                cited(tr.t("ropa-legal-basis"), a.legal_basis.join("; ")),
                row(tr.t("ropa-data"), join(a.data.iter().map(|d| label_of(tr, "ropa-data", *d)).collect())),
                row(
                    tr.t("ropa-subjects"),
                    join(a.subjects.iter().map(|s| label_of(tr, "ropa-subjects", *s)).collect()),
                ),
                row(tr.t("ropa-roles"), join(a.roles.iter().map(|x| label_of(tr, "role", *x)).collect())),
                row(
                    tr.t("ropa-records"),
                    join(a.record_kinds.iter().map(|k| label_of(tr, "retention-kind", *k)).collect()),
                ),
                row(tr.t("ropa-notes"), completion(tr, docs, CompletionField::Activity(a.compartment))),
            ],
        });
    }
    let kinds = join(r.recipients.organisation_kinds.iter().map(|k| label_of(tr, "org-kind", *k)).collect());
    let peers = if r.recipients.other_countries.is_empty() {
        tr.t("ropa-none")
    } else {
        r.recipients.other_countries.join(", ")
    };
    record.push(Section {
        title: tr.t("ropa-recipients"),
        rows: vec![
            row(tr.t("ropa-recipients-organisations"), if kinds.is_empty() { tr.t("ropa-none") } else { kinds }),
            row(tr.t("ropa-recipients-peers"), peers),
            row(tr.t("ropa-recipients-hub"), tr.t(if r.recipients.eu_hub { "ropa-yes" } else { "ropa-no" })),
        ],
    });
    record.push(Section {
        title: tr.t1("ropa-retention", "days", &r.grace_days.to_string()),
        rows: std::iter::once(row(tr.t("ropa-retention-valid-from"), r.retention_valid_from.to_string()))
            .chain(r.retention.iter().flat_map(|s| {
                [
                    row(
                        label_of(tr, "retention-kind", s.kind),
                        format!(
                            "{}, {} → {}",
                            period(tr, s.years, s.months),
                            label_of(tr, "retention-from", s.runs_from),
                            label_of(tr, "retention-action", s.action),
                        ),
                    ),
                    cited(tr.t("ropa-legal-basis"), s.legal_basis.join("; ")),
                ]
            }))
            .collect(),
    });
    let mut measures: Vec<Row> = r
        .security_measures
        .iter()
        .map(|m| row(label_of(tr, "ropa-measure", *m), tr.t(&format!("ropa-measure-{}-how", m.code()))))
        .collect();
    measures.push(row(
        tr.t("ropa-field-organisational_measures"),
        completion(tr, docs, CompletionField::OrganisationalMeasures),
    ));
    record.push(Section { title: tr.t("ropa-measures"), rows: measures });
    let mut assessment = Vec::new();
    for (risk, risk_measures) in &docs.assessment.risks {
        let mut rows = vec![row(
            tr.t("dpia-measures"),
            join(risk_measures.iter().map(|m| label_of(tr, "ropa-measure", *m)).collect()),
        )];
        for part in haven_domain::processing_record::RiskAssessment::ALL {
            rows.push(row(label_of(tr, "dpia", *part), completion(tr, docs, CompletionField::Risk(*risk, *part))));
        }
        assessment.push(Section { title: label_of(tr, "dpia-risk", *risk), rows });
    }
    assessment.push(Section {
        title: tr.t("ropa-field-conclusion"),
        rows: vec![row(tr.t("ropa-field-conclusion"), completion(tr, docs, CompletionField::Conclusion))],
    });
    (record, assessment)
}

/// The two documents as Markdown in the reader's language.
pub(crate) fn markdown(tr: &Tr<'_>, docs: &ProcessingDocuments) -> String {
    let (record, assessment) = sections(tr, docs);
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("# {}\n\n", tr.t("ropa-title"));
    let write = |title: &str, sections: &[Section], out: &mut String| {
        out.push_str(&format!("## {title}\n\n"));
        for s in sections {
            out.push_str(&format!("### {}\n\n| | |\n|---|---|\n", s.title));
            for r in &s.rows {
                out.push_str(&format!("| {} | {} |\n", cell(&r.label), cell(&r.value)));
            }
            out.push('\n');
        }
    };
    write(&tr.t("ropa-record-title"), &record, &mut out);
    write(&tr.t("dpia-title"), &assessment, &mut out);
    out
}

#[derive(Template)]
#[template(path = "processing_record.html")]
struct ProcessingPage<'a> {
    ctx: PageCtx<'a>,
    record: Vec<Section>,
    assessment: Vec<Section>,
    fields: Vec<Field>,
    check: FormProblem,
}

async fn show_processing(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "ropa-title", "/processing-record");
    let tr = ctx.tr;
    let docs = state.app.processing_documents(p, "page").await?;
    let (record, assessment) = sections(&tr, &docs);
    let f = Fields { tr, prefix: "ropa", typed, check: &check };
    let mut field = f.field("field", "select");
    field.options = completion_fields().into_iter().map(|c| (c.key(), completion_label(&tr, c))).collect();
    let fields = vec![field, f.field("text", "textarea")];
    let status = check.status();
    let page = ProcessingPage { ctx, record, assessment, fields, check };
    Ok(with_status(render(&page), status))
}

/// A completion field's name in the reader's language.
fn completion_label(tr: &Tr<'_>, field: CompletionField) -> String {
    match field {
        CompletionField::Activity(c) => {
            format!("{}: {}", label_of(tr, "compartment", c), tr.t("ropa-notes"))
        }
        CompletionField::Risk(r, part) => format!("{}: {}", label_of(tr, "dpia-risk", r), label_of(tr, "dpia", part)),
        other => tr.t(&format!("ropa-field-{}", other.key())),
    }
}

async fn processing_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show_processing(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompletionForm {
    field: String,
    text: String,
}

async fn complete(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<CompletionForm>,
) -> PageResult {
    state.app.require(&p, haven_domain::Permission::ManageProcessingRecords).await?;
    match state.app.complete_processing_record(&p, &form.input.field, &form.input.text).await {
        Ok(()) => Ok(see_other("/processing-record")),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = FormProblem::of(&tr, e, str::to_owned, |tr, at, _| tr.t(&format!("ropa-field-{at}")))
                .map_err(PageError::from)?;
            show_processing(&state, &p, &headers, &form.pairs, check).await
        }
    }
}

async fn export_markdown(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
    let docs = state.app.processing_documents(&p, "markdown").await?;
    Ok(markdown_response(&tr, &docs))
}

/// The Markdown export as a download.
pub(crate) fn markdown_response(tr: &Tr<'_>, docs: &ProcessingDocuments) -> Response {
    let mut response = markdown(tr, docs).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/markdown; charset=utf-8"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"record-of-processing.md\""),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use haven_domain::Language;
    use haven_domain::processing_record::{DataCategory, Risk, SecurityMeasure, SubjectCategory};
    use haven_domain::retention::{EndAction, RecordKind, RunsFrom};

    /// The demo configuration of Latvia's instance: its organisations' kinds
    /// (crates/cli/src/demo.rs, `ORGANISATIONS`) and its peers (Estonia, Lithuania, the EU hub).
    fn demo_documents() -> ProcessingDocuments {
        use haven_domain::OrganisationKind::*;
        let lv = haven_domain::Jurisdiction::parse("j", "LV").unwrap();
        let on = haven_domain::case::CalendarDate::parse("d", "2026-12-07").unwrap();
        let profile = haven_domain::retention::RetentionProfile::in_force(lv, on).unwrap().unwrap();
        let kinds = [
            Police,
            BorderGuard,
            LabourInspectorate,
            Prosecution,
            Shelter,
            Ngo,
            Ngo,
            SocialServices,
            GuardianService,
            ChildProtectionService,
            CompetentAuthority,
            NationalRapporteur,
        ];
        ProcessingDocuments {
            record: haven_domain::processing_record::record_of_processing(
                &profile,
                &kinds,
                &["EE".to_owned(), "LT".to_owned()],
                true,
            ),
            assessment: haven_domain::processing_record::impact_assessment(lv),
            completions: Default::default(),
        }
    }

    #[test]
    fn the_demo_record_of_processing_example_is_what_haven_generates() {
        let i18n = I18n::load().unwrap();
        let generated = markdown(&i18n.tr(Language::English), &demo_documents());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/examples/record-of-processing-lv.md");
        if std::env::var_os("HAVEN_WRITE_EXAMPLES").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let file = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            file == generated,
            "docs/examples/record-of-processing-lv.md is not what Haven generates; run this test with \
             HAVEN_WRITE_EXAMPLES=1 to write it"
        );
    }

    #[test]
    fn every_retention_and_processing_label_is_translated() {
        let i18n = I18n::load().unwrap();
        for language in [Language::English, Language::Latvian] {
            let tr = i18n.tr(language);
            let mut ids: Vec<String> = Vec::new();
            ids.extend(RecordKind::ALL.iter().map(|k| format!("retention-kind-{}", k.code())));
            ids.extend(RunsFrom::ALL.iter().map(|k| format!("retention-from-{}", k.code())));
            ids.extend(EndAction::ALL.iter().map(|k| format!("retention-action-{}", k.code())));
            ids.extend(
                ["listed", "held", "review", "kept", "anonymised", "erased"]
                    .iter()
                    .map(|s| format!("retention-state-{s}")),
            );
            ids.extend(["keep", "erase", "anonymise"].iter().map(|s| format!("retention-decision-{s}")));
            ids.extend(DataCategory::ALL.iter().map(|k| format!("ropa-data-{}", k.code())));
            ids.extend(SubjectCategory::ALL.iter().map(|k| format!("ropa-subjects-{}", k.code())));
            ids.extend(SecurityMeasure::ALL.iter().map(|k| format!("ropa-measure-{}", k.code())));
            ids.extend(SecurityMeasure::ALL.iter().map(|k| format!("ropa-measure-{}-how", k.code())));
            ids.extend(Risk::ALL.iter().map(|k| format!("dpia-risk-{}", k.code())));
            ids.extend(
                haven_domain::processing_record::RiskAssessment::ALL.iter().map(|k| format!("dpia-{}", k.code())),
            );
            ids.extend(haven_domain::access::Compartment::ALL.iter().map(|k| format!("ropa-purpose-{}", k.code())));
            ids.extend(
                ["controller", "officer_contact", "organisational_measures", "conclusion"]
                    .iter()
                    .map(|k| format!("ropa-field-{k}")),
            );
            let missing: Vec<&String> = ids.iter().filter(|id| tr.t(id) == **id).collect();
            assert!(missing.is_empty(), "{language:?}: {missing:?}");
        }
    }
}
