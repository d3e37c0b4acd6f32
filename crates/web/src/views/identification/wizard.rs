//! The registration wizard, usable on a phone and saved as a draft at every step
//! (`/cases/{case}/edit`), and the referral of a draft (`/cases/{case}/submit`).

use super::search::{HitRow, hit_row};
use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, coded_choices, field_label, language_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::{AppError, Principal};
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::ident::age::{AgeAssessment, AgeRange};
use haven_domain::ident::forms::{
    Act, EventKind, FormId, Industry, Means, MethodOfControl, OnlinePlatform, RecruitmentMethod,
    RelationshipToTrafficker, Vulnerability,
};
use haven_domain::ident::record::{
    Consent, DocumentKind, Gender, Guardian, IdentityDocument, IndicatorAnswers, Registration, RegistrationState,
    TraffickingEvent,
};
use haven_domain::org::CountryCode;
use haven_domain::{Coded, Message, MessageId, ParseError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/edit", get(edit_form).post(edit_save))
        .route("/cases/{case}/submit", post(submit))
}

/// The wizard's steps, in order.
pub const STEPS: [&str; 6] = ["person", "age", "context", "timeline", "indicators", "consent"];

fn step_index(step: &str) -> usize {
    STEPS.iter().position(|s| *s == step).unwrap_or(0)
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

fn opt_text(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn opt_date(field: &str, v: Option<&str>) -> Result<Option<CalendarDate>, ParseError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => CalendarDate::parse(field, d).map(Some),
        None => Ok(None),
    }
}

fn coded_set<C: Coded + Ord>(form: &FormPairs, name: &str) -> Result<std::collections::BTreeSet<C>, ParseError> {
    form.all(name).iter().map(|v| C::parse_code(name, v.trim())).collect()
}

fn opt_coded<C: Coded>(form: &FormPairs, name: &str) -> Result<Option<C>, ParseError> {
    match form.get(name).map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => C::parse_code(name, v).map(Some),
        None => Ok(None),
    }
}

fn countries(field: &str, text: &str) -> Result<Vec<CountryCode>, ParseError> {
    text.split([',', ' ', ';']).filter(|c| !c.trim().is_empty()).map(|c| CountryCode::parse(field, c)).collect()
}

fn checked(form: &FormPairs, name: &str) -> bool {
    matches!(form.get(name), Some("on" | "yes" | "true" | "1"))
}

/// A consent from the fields `{prefix}_given`, `{prefix}_date`, `{prefix}_language` and
/// `{prefix}_informed_by`: recorded when it is ticked or dated (dated and not ticked: refused).
fn consent_fields(form: &FormPairs, prefix: &str) -> Result<Option<Consent>, ParseError> {
    let f = |n: &str| form.get(&format!("{prefix}_{n}")).unwrap_or("").to_owned();
    let given = checked(form, &format!("{prefix}_given"));
    if !given && f("date").trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(Consent {
        given,
        date: CalendarDate::parse(&format!("{prefix}_date"), &f("date"))?,
        language: f("language"),
        informed_by: f("informed_by"),
    }))
}

/// The first problem met while applying a step; the fields that fit are applied all the same,
/// so that the step shown again holds everything typed.
#[derive(Default)]
struct FirstProblem(Option<ParseError>);

impl FirstProblem {
    /// Sets `slot` to the value, or keeps it and notes the problem.
    fn set<T>(&mut self, slot: &mut T, value: Result<T, ParseError>) {
        match value {
            Ok(v) => *slot = v,
            Err(e) => self.note(e),
        }
    }

    fn note(&mut self, e: ParseError) {
        self.0.get_or_insert(e);
    }

    fn result(self) -> Result<(), ParseError> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The identity document of the person step (none when no number is typed).
fn document(form: &FormPairs) -> Result<Vec<IdentityDocument>, ParseError> {
    let number = form.get("document_number").unwrap_or("").to_owned();
    if number.trim().is_empty() {
        return Ok(vec![]);
    }
    Ok(vec![IdentityDocument {
        kind: opt_coded::<DocumentKind>(form, "document_kind")?.unwrap_or(DocumentKind::Other),
        number,
        issuing_country: match form.get("document_country").unwrap_or("").trim() {
            "" => None,
            c => Some(CountryCode::parse("document_country", c)?),
        },
    }])
}

/// The trafficking events of the timeline step (four rows, empty ones left out).
fn events(form: &FormPairs) -> Result<Vec<TraffickingEvent>, ParseError> {
    let f = |n: &str| form.get(n).unwrap_or("").to_owned();
    let mut events = Vec::new();
    for i in 0..4 {
        let kind = f(&format!("event_kind_{i}"));
        if kind.trim().is_empty() {
            continue;
        }
        events.push(TraffickingEvent {
            kind: EventKind::parse_code(&format!("event_kind_{i}"), kind.trim())?,
            date: opt_date(&format!("event_date_{i}"), form.get(&format!("event_date_{i}")))?,
            country: match f(&format!("event_country_{i}")).trim() {
                "" => None,
                v => Some(CountryCode::parse(&format!("event_country_{i}"), v)?),
            },
            place: opt_text(form.get(&format!("event_place_{i}"))),
            description: opt_text(form.get(&format!("event_description_{i}"))),
        });
    }
    Ok(events)
}

/// Applies one step's fields to the registration. Only that step's fields change; a field that
/// does not fit is left as it was and the first such problem is returned.
fn apply_step(reg: &mut Registration, step: &str, form: &FormPairs) -> Result<(), ParseError> {
    let f = |n: &str| form.get(n).unwrap_or("").to_owned();
    let mut problem = FirstProblem::default();
    match step {
        "person" => {
            let p = &mut reg.person;
            p.given_names = f("given_names");
            p.family_names = f("family_names");
            p.aliases = lines(&f("aliases"));
            p.previous_family_names = lines(&f("previous_family_names"));
            let sex = match form.get("sex").map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => Sex::parse_code("sex", s),
                None => Ok(Sex::Unknown),
            };
            problem.set(&mut p.sex, sex);
            problem.set(&mut p.gender, opt_coded::<Gender>(form, "gender").map(|g| g.unwrap_or(Gender::Unknown)));
            problem.set(&mut p.citizenships, countries("citizenships", &f("citizenships")));
            p.languages = f("languages").split([',', ' ', ';']).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            p.interpreter_needed = checked(form, "interpreter_needed");
            p.safe_contact = opt_text(form.get("safe_contact"));
            problem.set(&mut p.documents, document(form));
        }
        "age" => {
            let p = &mut reg.person;
            problem.set(&mut p.date_of_birth, opt_date("date_of_birth", form.get("date_of_birth")));
            p.dob_verified = checked(form, "dob_verified");
            p.reasons_to_believe_child = checked(form, "reasons_to_believe_child");
            let (min, max) = (f("age_min"), f("age_max"));
            let estimate = if min.trim().is_empty() && max.trim().is_empty() {
                Ok(None)
            } else {
                AgeRange::parse("age_estimate", &min, if max.trim().is_empty() { &min } else { &max }).map(Some)
            };
            problem.set(&mut p.age_estimate, estimate);
            if !f("assessment_date").trim().is_empty() {
                let min_age = f("assessment_min");
                let max_age = f("assessment_max");
                let assessment = AgeAssessment::parse(
                    &f("assessment_date"),
                    &f("assessment_method"),
                    &min_age,
                    if max_age.trim().is_empty() { &min_age } else { &max_age },
                    &f("assessment_by"),
                );
                match assessment {
                    Ok(a) => p.age_assessments.push(a),
                    Err(e) => problem.note(e),
                }
            }
            let guardian = opt_date("guardian_appointed_on", form.get("guardian_appointed_on")).map(|on| {
                on.map(|appointed_on| Guardian {
                    appointed_on,
                    name: f("guardian_name"),
                    organisation: f("guardian_organisation"),
                })
            });
            problem.set(&mut reg.guardian, guardian);
        }
        "context" => {
            let c = &mut reg.context;
            problem.set(&mut c.acts, coded_set::<Act>(form, "acts"));
            problem.set(&mut c.means, coded_set::<Means>(form, "means"));
            problem.set(&mut c.methods_of_control, coded_set::<MethodOfControl>(form, "methods_of_control"));
            problem.set(&mut c.forms, form.all("forms").iter().map(|v| FormId::parse("forms", v)).collect());
            problem.set(&mut c.forced_labour_industry, opt_coded::<Industry>(form, "forced_labour_industry"));
            c.other_form = opt_text(form.get("other_form"));
            c.consent_to_exploitation = match f("consent_to_exploitation").as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
        }
        "timeline" => {
            let c = &mut reg.context;
            problem.set(&mut c.events, events(form));
            problem.set(&mut c.recruitment_method, opt_coded::<RecruitmentMethod>(form, "recruitment_method"));
            problem.set(&mut c.online_platforms, coded_set::<OnlinePlatform>(form, "online_platforms"));
            problem.set(
                &mut c.relationship_to_trafficker,
                opt_coded::<RelationshipToTrafficker>(form, "relationship_to_trafficker"),
            );
            problem.set(&mut c.vulnerabilities, coded_set::<Vulnerability>(form, "vulnerabilities"));
            let narrative = haven_app::ident::narrative(&f("narrative")).map_err(|_| {
                ParseError::said(
                    "narrative",
                    "must be at most 20000 characters of text",
                    Message::new(MessageId::AtMostCharacters).with("max", 20000),
                )
            });
            problem.set(&mut reg.narrative, narrative);
        }
        "indicators" => {
            let list = f("list");
            let present = form.all("present");
            reg.indicators.retain(|a| a.list != list);
            if !present.is_empty() {
                reg.indicators.push(IndicatorAnswers { list, present });
            }
        }
        "consent" => {
            // Consent to assistance and referral to support (Dir 2011/36 Art 11(5); CETS 197
            // Art 12(7)), and consent to share identifying data: neither gates identification.
            problem.set(&mut reg.support_consent, consent_fields(form, "consent"));
            problem.set(&mut reg.data_sharing_consent, consent_fields(form, "sharing_consent"));
        }
        other => {
            return Err(ParseError::said(
                "step",
                format!("no step {other:?}"),
                Message::new(MessageId::NoSuchStep).with("value", other),
            ));
        }
    }
    problem.result()
}

/// The input of the wizard a field is typed into, for a field as the use case names it (its path
/// in the registration: `person.documents[0].number`) or as a step names it (`event_date_1`).
fn wizard_input(field: &str) -> String {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    let leaf = field.rsplit('.').next().unwrap_or(field);
    let leaf = leaf.split('[').next().unwrap_or(leaf);
    let index = field.split_once('[').and_then(|(_, rest)| rest.split_once(']')).map_or("0", |(i, _)| i);
    match (head, leaf) {
        ("person", "number" | "documents") => "document_number".to_owned(),
        ("person", "assessed_by") | ("assessed_by", _) => "assessment_by".to_owned(),
        ("person", "age_estimate") | ("age_range", _) => "age_min".to_owned(),
        // The fields of an age assessment, as `AgeAssessment::parse` names them.
        ("date" | "method", _) => format!("assessment_{leaf}"),
        ("result", _) => "assessment_min".to_owned(),
        ("context", "place" | "description") => format!("event_{leaf}_{index}"),
        ("context", "events") => "event_kind_0".to_owned(),
        ("support_consent", "support_consent") => "consent_given".to_owned(),
        ("support_consent", leaf) => format!("consent_{leaf}"),
        ("data_sharing_consent", "data_sharing_consent") => "sharing_consent_given".to_owned(),
        ("data_sharing_consent", leaf) => format!("sharing_consent_{leaf}"),
        ("guardian", "guardian") => "guardian_appointed_on".to_owned(),
        ("guardian", leaf) => format!("guardian_{leaf}"),
        (_, leaf) => leaf.to_owned(),
    }
}

/// The label of a wizard's input: `field-INPUT`, else `field-NAME` without the event's number,
/// else the field's own label.
fn wizard_label(tr: &Tr<'_>, at: &str, field: &str) -> String {
    let unnumbered = at.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches('_');
    for candidate in [at, unnumbered] {
        let id = format!("field-{candidate}");
        let text = tr.t(&id);
        if text != id {
            return text;
        }
    }
    field_label(tr, field.rsplit('.').next().unwrap_or(field))
}

/// A problem of the wizard's form, at the input it belongs to.
fn wizard_problem(tr: &Tr<'_>, e: AppError) -> Result<FormProblem, AppError> {
    FormProblem::of(tr, e, wizard_input, wizard_label)
}

// ------------------------------------------------------------------ wizard

struct StepLink {
    code: &'static str,
    label: String,
    current: bool,
}

struct EventRow {
    index: usize,
    kinds: Vec<Choice>,
    date: String,
    country: String,
    place: String,
    description: String,
}

struct IndicatorGroup {
    name: String,
    items: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "case_edit.html")]
struct EditPage<'a> {
    ctx: PageCtx<'a>,
    /// Possible duplicates of the person (reference, name, what matched, probability).
    duplicates: Vec<HitRow>,
    id: String,
    reference: String,
    version: i64,
    draft: bool,
    step: &'static str,
    steps: Vec<StepLink>,
    next_step: Option<&'static str>,
    reg: Registration,
    /// The problem with the step's form, next to its input.
    check: FormProblem,
    // choices
    sexes: Vec<Choice>,
    genders: Vec<Choice>,
    document_kinds: Vec<Choice>,
    citizenships: String,
    languages: String,
    document_number: String,
    document_country: String,
    aliases: String,
    previous_family_names: String,
    dob: String,
    age_min: String,
    age_max: String,
    methods: Vec<Choice>,
    acts: Vec<Choice>,
    means: Vec<Choice>,
    controls: Vec<Choice>,
    forms: Vec<Choice>,
    industries: Vec<Choice>,
    consent_to_exploitation: String,
    events: Vec<EventRow>,
    recruitment_methods: Vec<Choice>,
    platforms: Vec<Choice>,
    relationships: Vec<Choice>,
    vulnerabilities: Vec<Choice>,
    narrative: String,
    list_id: String,
    list_name: String,
    other_lists: Vec<Choice>,
    indicator_groups: Vec<IndicatorGroup>,
    guardian_on: String,
    guardian_name: String,
    guardian_organisation: String,
    consent_date: String,
    consent_language: String,
    consent_informed_by: String,
    consent_given: bool,
    sharing_consent_date: String,
    sharing_consent_language: String,
    sharing_consent_informed_by: String,
    sharing_consent_given: bool,
}

fn codes<C: Coded>(set: impl IntoIterator<Item = C>) -> Vec<&'static str> {
    set.into_iter().map(|c| c.code()).collect()
}

/// The registration being edited, as loaded.
struct Loaded<'a> {
    id: &'a str,
    reference: &'a str,
    version: i64,
    draft: bool,
    /// The indicator list shown on the indicators step (the first one when none is chosen).
    list: Option<&'a str>,
    /// Possible duplicates of the person, as saving found them (shown after saving).
    duplicates: Vec<HitRow>,
}

fn edit_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    loaded: Loaded<'_>,
    step: &'static str,
    reg: Registration,
    refused: Option<(FormProblem, &FormPairs)>,
) -> Response {
    let Loaded { id, reference, version, draft, list: chosen_list, duplicates } = loaded;
    let ctx = PageCtx::new(state, Some(p), headers, "wizard-title", "/cases");
    let tr = ctx.tr;
    let r = &reg;
    let steps = STEPS
        .iter()
        .map(|s| StepLink { code: s, label: ctx.t(&format!("wizard-step-{s}")), current: *s == step })
        .collect();
    let next_step = STEPS.get(step_index(step) + 1).copied();
    let forms_catalogue = state.app.reference().forms;
    let form_codes: Vec<&str> = r.context.forms.iter().map(FormId::as_str).collect();
    let forms = forms_catalogue
        .forms()
        .iter()
        .map(|f| Choice {
            value: f.id.as_str().to_owned(),
            label: ctx.t(&format!("form-{}", f.id.as_str())),
            selected: form_codes.contains(&f.id.as_str()),
        })
        .collect();
    let mut events: Vec<EventRow> = r
        .context
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| EventRow {
            index: i,
            kinds: coded_choices::<EventKind>(&tr, "event", &[e.kind.code()]),
            date: e.date.map(|d| d.to_string()).unwrap_or_default(),
            country: e.country.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            place: e.place.clone().unwrap_or_default(),
            description: e.description.clone().unwrap_or_default(),
        })
        .collect();
    while events.len() < 4 {
        events.push(EventRow {
            index: events.len(),
            kinds: coded_choices::<EventKind>(&tr, "event", &[]),
            date: String::new(),
            country: String::new(),
            place: String::new(),
            description: String::new(),
        });
    }
    let lists = &state.app.reference().indicator_lists;
    let list = chosen_list.and_then(|c| lists.iter().find(|l| l.id.as_str() == c)).or_else(|| lists.first());
    let other_lists: Vec<Choice> = lists
        .iter()
        .map(|l| Choice {
            value: l.id.as_str().to_owned(),
            label: ctx.tr.indicator_list(l.id.as_str(), &l.name),
            selected: list.is_some_and(|x| x.id == l.id),
        })
        .collect();
    let present: Vec<&str> = list
        .and_then(|l| r.indicators.iter().find(|a| a.list == l.id.as_str()))
        .map(|a| a.present.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let indicator_groups = list
        .map(|l| {
            l.dimensions
                .iter()
                .map(|d| IndicatorGroup {
                    name: format!(
                        "{} ({})",
                        ctx.tr.indicator_dimension(l.id.as_str(), d.id.as_str(), &d.name),
                        ctx.t(&format!("stage-{}", d.stage.code()))
                    ),
                    items: l
                        .indicators_of(&d.id)
                        .map(|i| Choice {
                            value: i.id.as_str().to_owned(),
                            label: format!(
                                "{} — {}",
                                ctx.tr.indicator(l.id.as_str(), i.id.as_str(), &i.text),
                                ctx.t(&format!("grade-{}", i.grade.code()))
                            ),
                            selected: present.contains(&i.id.as_str()),
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let doc = r.person.documents.first();
    let (check, typed) = match refused {
        Some((check, typed)) => (check, Some(typed)),
        None => (FormProblem::none(), None),
    };
    let status = check.status();
    let consent = r.support_consent.as_ref();
    let sharing = r.data_sharing_consent.as_ref();
    let mut page = EditPage {
        id: id.to_owned(),
        reference: reference.to_owned(),
        version,
        draft,
        step,
        steps,
        next_step,
        check,
        sexes: coded_choices::<Sex>(&tr, "sex", &[r.person.sex.code()]),
        genders: coded_choices::<Gender>(&tr, "gender", &[r.person.gender.code()]),
        document_kinds: coded_choices::<DocumentKind>(&tr, "document", &[doc.map_or("passport", |d| d.kind.code())]),
        citizenships: r.person.citizenships.iter().map(CountryCode::as_str).collect::<Vec<_>>().join(", "),
        languages: r.person.languages.join(", "),
        document_number: doc.map(|d| d.number.clone()).unwrap_or_default(),
        document_country: doc.and_then(|d| d.issuing_country).map(|c| c.as_str().to_owned()).unwrap_or_default(),
        aliases: r.person.aliases.join("\n"),
        previous_family_names: r.person.previous_family_names.join("\n"),
        dob: r.person.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        age_min: r.person.age_estimate.map(|a| a.min_years().to_string()).unwrap_or_default(),
        age_max: r.person.age_estimate.map(|a| a.max_years().to_string()).unwrap_or_default(),
        methods: coded_choices::<haven_domain::ident::age::AgeAssessmentMethod>(&tr, "age-method", &[]),
        acts: coded_choices::<Act>(&tr, "act", &codes(r.context.acts.iter().copied())),
        means: coded_choices::<Means>(&tr, "means", &codes(r.context.means.iter().copied())),
        controls: coded_choices::<MethodOfControl>(
            &tr,
            "control",
            &codes(r.context.methods_of_control.iter().copied()),
        ),
        forms,
        industries: coded_choices::<Industry>(
            &tr,
            "industry",
            &r.context.forced_labour_industry.map(|i| vec![i.code()]).unwrap_or_default(),
        ),
        consent_to_exploitation: match r.context.consent_to_exploitation {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
        .to_owned(),
        events,
        recruitment_methods: coded_choices::<RecruitmentMethod>(
            &tr,
            "recruitment",
            &r.context.recruitment_method.map(|m| vec![m.code()]).unwrap_or_default(),
        ),
        platforms: coded_choices::<OnlinePlatform>(&tr, "platform", &codes(r.context.online_platforms.iter().copied())),
        relationships: coded_choices::<RelationshipToTrafficker>(
            &tr,
            "relationship",
            &r.context.relationship_to_trafficker.map(|m| vec![m.code()]).unwrap_or_default(),
        ),
        vulnerabilities: coded_choices::<Vulnerability>(
            &tr,
            "vulnerability",
            &codes(r.context.vulnerabilities.iter().copied()),
        ),
        narrative: r.narrative.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default(),
        list_id: list.map(|l| l.id.as_str().to_owned()).unwrap_or_default(),
        list_name: list.map(|l| ctx.tr.indicator_list(l.id.as_str(), &l.name)).unwrap_or_default(),
        other_lists,
        indicator_groups,
        guardian_on: r.guardian.as_ref().map(|g| g.appointed_on.to_string()).unwrap_or_default(),
        guardian_name: r.guardian.as_ref().map(|g| g.name.clone()).unwrap_or_default(),
        guardian_organisation: r.guardian.as_ref().map(|g| g.organisation.clone()).unwrap_or_default(),
        consent_date: consent.map(|c| c.date.to_string()).unwrap_or_default(),
        consent_language: consent.map(|c| c.language.clone()).unwrap_or_default(),
        consent_informed_by: consent.map(|c| c.informed_by.clone()).unwrap_or_default(),
        consent_given: consent.is_some_and(|c| c.given),
        sharing_consent_date: sharing.map(|c| c.date.to_string()).unwrap_or_default(),
        sharing_consent_language: sharing.map(|c| c.language.clone()).unwrap_or_default(),
        sharing_consent_informed_by: sharing.map(|c| c.informed_by.clone()).unwrap_or_default(),
        sharing_consent_given: sharing.is_some_and(|c| c.given),
        reg,
        duplicates,
        ctx,
    };
    if let Some(typed) = typed {
        keep_typed(&mut page, typed);
    }
    with_status(render(&page), status)
}

/// A refused step shows its text inputs as they were typed, a value that did not fit included.
fn keep_typed(page: &mut EditPage<'_>, typed: &FormPairs) {
    let keep = |slot: &mut String, name: &str| {
        if let Some(v) = typed.get(name) {
            v.clone_into(slot);
        }
    };
    keep(&mut page.citizenships, "citizenships");
    keep(&mut page.languages, "languages");
    keep(&mut page.document_number, "document_number");
    keep(&mut page.document_country, "document_country");
    keep(&mut page.aliases, "aliases");
    keep(&mut page.previous_family_names, "previous_family_names");
    keep(&mut page.dob, "date_of_birth");
    keep(&mut page.age_min, "age_min");
    keep(&mut page.age_max, "age_max");
    keep(&mut page.guardian_on, "guardian_appointed_on");
    keep(&mut page.guardian_name, "guardian_name");
    keep(&mut page.guardian_organisation, "guardian_organisation");
    keep(&mut page.narrative, "narrative");
    keep(&mut page.consent_date, "consent_date");
    keep(&mut page.consent_language, "consent_language");
    keep(&mut page.consent_informed_by, "consent_informed_by");
    keep(&mut page.sharing_consent_date, "sharing_consent_date");
    keep(&mut page.sharing_consent_language, "sharing_consent_language");
    keep(&mut page.sharing_consent_informed_by, "sharing_consent_informed_by");
    for e in &mut page.events {
        let i = e.index;
        keep(&mut e.date, &format!("event_date_{i}"));
        keep(&mut e.country, &format!("event_country_{i}"));
        keep(&mut e.place, &format!("event_place_{i}"));
        keep(&mut e.description, &format!("event_description_{i}"));
    }
}

#[derive(Deserialize)]
struct StepQuery {
    step: Option<String>,
    list: Option<String>,
}

fn known_step(step: Option<&str>) -> &'static str {
    STEPS[step.map(step_index).unwrap_or(0)]
}

async fn edit_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<StepQuery>,
) -> PageResult {
    let (reg, version, st, reference) = state.app.registration_for_edit(&p, &id).await?;
    let step = known_step(q.step.as_deref());
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let duplicates = state.app.possible_duplicates(&p, &id, &reg).await?.into_iter().map(|h| hit_row(&tr, h)).collect();
    let loaded = Loaded {
        id: &id,
        reference: &reference,
        version,
        draft: st == RegistrationState::Draft,
        list: q.list.as_deref(),
        duplicates,
    };
    Ok(edit_page(&state, &p, &headers, loaded, step, reg, None))
}

/// What a wizard step's form says besides the step's own fields (which only the step knows how
/// to read: [`apply_step`]).
#[derive(Deserialize, Default)]
#[serde(default)]
struct StepForm {
    step: String,
    /// The version of the registration the form was loaded from.
    version: Option<i64>,
    /// `next`, `case` (save and close) or `refer` (save and refer the draft).
    go: String,
    /// The indicator list of the indicators step.
    list: Option<String>,
}

async fn edit_save(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<StepForm>, PageError>,
) -> PageResult {
    let PageForm { input, pairs } = form?;
    let (mut reg, version, st, reference) = state.app.registration_for_edit(&p, &id).await?;
    let step = known_step(Some(&input.step));
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let draft = st == RegistrationState::Draft;
    // The step shown again with what was typed and the problem next to its input.
    let refused = |version: i64, reg: Registration, check: FormProblem| -> PageResult {
        let loaded =
            Loaded { id: &id, reference: &reference, version, draft, list: input.list.as_deref(), duplicates: vec![] };
        Ok(edit_page(&state, &p, &headers, loaded, step, reg, Some((check, &pairs))))
    };
    if let Err(e) = apply_step(&mut reg, step, &pairs) {
        return refused(version, reg, wizard_problem(&tr, e.into())?);
    }
    match state.app.update_registration(&p, &id, input.version.unwrap_or(version), reg.clone()).await {
        // "Refer" on the consent step saves what the step holds (the consent just ticked) and then
        // refers the draft, so the referral sees that consent.
        Ok(saved) if draft && input.go == "refer" => {
            match state.app.submit_registration(&p, &id, saved.version).await {
                Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
                Err(e) => refused(saved.version, reg, wizard_problem(&tr, e)?),
            }
        }
        Ok(_) => {
            let next = if input.go == "case" { None } else { STEPS.get(step_index(step) + 1).copied() };
            Ok(match next {
                Some(n) => see_other(&format!("/cases/{id}/edit?step={n}")),
                None => see_other(&format!("/cases/{id}")),
            })
        }
        Err(e) => refused(version, reg, wizard_problem(&tr, e)?),
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SubmitForm {
    version: i64,
}

/// Refers a draft; a registration not yet referable shows the consent step with the problem.
async fn submit(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<SubmitForm>, PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    let Err(e) = state.app.submit_registration(&p, &id, input.version).await else {
        return Ok(see_other(&format!("/cases/{id}")));
    };
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let check = wizard_problem(&tr, e)?;
    let (reg, version, st, reference) = state.app.registration_for_edit(&p, &id).await?;
    let loaded = Loaded {
        id: &id,
        reference: &reference,
        version,
        draft: st == RegistrationState::Draft,
        list: None,
        duplicates: vec![],
    };
    Ok(edit_page(&state, &p, &headers, loaded, "consent", reg, Some((check, &FormPairs(vec![])))))
}
