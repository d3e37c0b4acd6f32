//! A suspect as a person (`/investigations/{id}/suspects/{suspect}/matches`): the suspects of the
//! user's other investigations the person-linkage engine finds likely to be the same person,
//! each with the engine's explanation per field and the answer given on the pair, with the forms
//! to answer "same person" or "not the same person"; and the registered victims the suspect may
//! be (the case and its identification standing only), with the form that links the suspect to
//! the case and so raises the non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26). Each
//! handler calls one use case of `haven_app::proceedings_persons`; a refused write shows this
//! page again with the problem.

use super::money::problem_of;
use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::views::form::{FormProblem, PageForm};
use crate::views::identification::search::level_words;
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::Principal;
use haven_app::ident::FieldReason;
use haven_app::proceedings_persons::PairAnswer;
use haven_domain::Coded;
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/investigations/{id}/suspects/{suspect}/matches", get(show))
        .route("/investigations/{id}/suspects/{suspect}/same-person", post(same))
        .route("/investigations/{id}/suspects/{suspect}/not-same-person", post(not_same))
        .route("/investigations/{id}/suspects/{suspect}/possible-victim", post(victim))
        .route("/suspects/{suspect}/matches", get(of_suspect))
}

/// One field's part in the engine's score.
struct Reason {
    field: String,
    level: String,
    weight: String,
}

struct CandidateLine {
    suspect_id: String,
    name: String,
    investigation_href: String,
    investigation_reference: String,
    facts: Vec<(String, String)>,
    probability: String,
    reasons: Vec<Reason>,
    answer: Option<String>,
}

struct VictimLine {
    case_id: String,
    case_href: String,
    standing: String,
    probability: String,
    reasons: Vec<Reason>,
}

#[derive(Template)]
#[template(path = "proceedings_matches.html")]
struct MatchesPage<'a> {
    ctx: PageCtx<'a>,
    back: String,
    base: String,
    name: String,
    facts: Vec<(String, String)>,
    method: String,
    candidates: Vec<CandidateLine>,
    victims: Vec<VictimLine>,
    may_answer: bool,
    check: FormProblem,
}

fn reasons(tr: &crate::i18n::Tr<'_>, explanation: &[FieldReason]) -> Vec<Reason> {
    explanation
        .iter()
        .map(|r| Reason {
            field: tr.t(&format!("field-{}", r.field)),
            level: level_words(tr, &r.level),
            weight: format!("{:+.1}", r.weight),
        })
        .collect()
}

fn percent(p: f64) -> String {
    format!("{:.0} %", p * 100.0)
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    suspect: &str,
    check: FormProblem,
) -> PageResult {
    let view = state.app.suspect_matches(p, id, suspect).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "spm-title", "/investigations");
    let tr = ctx.tr;
    let s = &view.suspect;
    let person_facts = |citizenship: Option<String>, sex: Option<String>, age: Option<String>| {
        let mut facts = Vec::new();
        if let Some(c) = citizenship {
            facts.push((tr.t("proc-field-citizenship"), c));
        }
        if let Some(sex) = sex {
            facts.push((tr.t("proc-field-sex"), tr.t(&format!("sex-{sex}"))));
        }
        if let Some(a) = age {
            facts.push((tr.t("proc-field-age_group"), tr.t(&format!("age-group-{a}"))));
        }
        facts
    };
    let facts = person_facts(
        s.citizenship.map(|c| c.to_string()),
        s.sex.map(|x| x.code().to_owned()),
        s.age_group.map(|a| a.code().to_owned()),
    );
    let candidates = view
        .candidates
        .iter()
        .map(|c| CandidateLine {
            suspect_id: c.suspect_id.clone(),
            name: c.name.clone(),
            investigation_href: format!("/investigations/{}#suspect-{}", c.investigation_id, c.suspect_id),
            investigation_reference: c.investigation_reference.clone(),
            facts: person_facts(
                c.citizenship.map(|x| x.to_string()),
                c.sex.map(|x| x.code().to_owned()),
                c.age_group.map(|a| a.code().to_owned()),
            ),
            probability: c.probability.map_or_else(|| tr.t("spm-not-compared"), percent),
            reasons: reasons(&tr, &c.explanation),
            answer: c.answer.map(|a| {
                tr.t(match a {
                    PairAnswer::Same => "spm-answer-same",
                    PairAnswer::Different => "spm-answer-different",
                })
            }),
        })
        .collect();
    let victims = view
        .possible_victims
        .iter()
        .map(|v| VictimLine {
            case_id: v.case_id.clone(),
            case_href: format!("/cases/{}", v.case_id),
            standing: tr.t(&format!("victim-standing-{}", v.standing.code())),
            probability: percent(v.probability),
            reasons: reasons(&tr, &v.explanation),
        })
        .collect();
    let method = tr.args("spm-method", &[("model", &view.model), ("threshold", &percent(view.threshold))]);
    let status = check.status();
    let page = MatchesPage {
        back: format!("/investigations/{}#suspect-{}", view.investigation_id, s.id),
        base: format!("/investigations/{}/suspects/{}", view.investigation_id, s.id),
        name: s.name.clone(),
        facts,
        method,
        candidates,
        victims,
        may_answer: view.may_answer,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn show(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, suspect)): Path<(String, String)>,
) -> PageResult {
    page(&state, &p, &headers, &id, &suspect, FormProblem::none()).await
}

/// The page of a suspect known by its id alone (the link from the investigation's suspect).
async fn of_suspect(State(state): State<AppState>, SignedIn(p): SignedIn, Path(suspect): Path<String>) -> PageResult {
    let id = state.app.investigation_of_suspect(&p, &suspect).await?;
    Ok(see_other(&format!("/investigations/{id}/suspects/{suspect}/matches")))
}

type Form = PageForm<IgnoredAny>;

async fn answer(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    ids: (&str, &str),
    f: &FormPairs,
    same: bool,
) -> PageResult {
    let (id, suspect) = ids;
    let other = super::one(f, "other_suspect_id");
    match state.app.answer_same_person(p, id, suspect, &other, same).await {
        Ok(_) => Ok(see_other(&format!("/investigations/{id}/suspects/{suspect}/matches"))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
            let key = format!("pair-{other}");
            let check = problem_of(&tr, &key, e).map_err(PageError::from)?;
            page(state, p, headers, id, suspect, check).await
        }
    }
}

async fn same(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, suspect)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    answer(&state, &p, &headers, (&id, &suspect), &form.pairs, true).await
}

async fn not_same(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, suspect)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    answer(&state, &p, &headers, (&id, &suspect), &form.pairs, false).await
}

/// Confirms a possible victim: the suspect is linked to the case (and the notice raised); back
/// to the investigation, where the notice shows.
async fn victim(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, suspect)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    let case_id = super::one(&form.pairs, "case_id");
    match state.app.confirm_possible_victim(&p, &id, &suspect, &case_id).await {
        Ok(_) => Ok(see_other(&format!("/investigations/{id}#suspect-{suspect}"))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = problem_of(&tr, &format!("victim-{case_id}"), e).map_err(PageError::from)?;
            page(&state, &p, &headers, &id, &suspect, check).await
        }
    }
}
