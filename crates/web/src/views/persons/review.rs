//! The person register's review (`/persons/review`): the data officer answers whether two
//! registrations the linkage engine is unsure of are one person (same, different, unsure), and
//! re-trains the platform's person model from the register and the answers.

use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::assistance::t_or;
use crate::views::form::PageForm;
use crate::views::identification::search::level_words;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::person_review::{
    Answer, ModelInUse, ModelWarning, RetrainOutcome, ReviewPair, ReviewProgress, ReviewQuestion,
};
use haven_domain::Permission;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/persons/review", get(review_page))
        .route("/persons/review/answers", post(answer))
        .route("/persons/review/retrain", post(retrain))
}

/// One compared field of the pair, in the reader's language.
struct FieldRow {
    label: String,
    value_a: String,
    value_b: String,
    level: String,
    weight: String,
}

/// The pair shown.
struct PairView {
    case_a: String,
    reference_a: String,
    case_b: String,
    reference_b: String,
    question_code: &'static str,
    question: String,
    weight: String,
    probability: String,
    fields: Vec<FieldRow>,
}

/// The outcome of a re-training, as the page shows it.
struct RetrainView {
    trained: bool,
    version: i64,
    records: usize,
    candidate_pairs: usize,
    threshold_before: String,
    threshold_after: String,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "person_review.html")]
struct ReviewPage<'a> {
    ctx: PageCtx<'a>,
    pair: Option<PairView>,
    progress: ReviewProgress,
    model_version: i64,
    threshold: String,
    warnings: Vec<String>,
    retrained: Option<RetrainView>,
}

fn threshold_words(p: f64) -> String {
    format!("{p:.3}")
}

/// A warning of the model's checks in the reader's language: what was found, on which field.
fn warning_words(tr: &Tr<'_>, w: &ModelWarning) -> String {
    let (id, field) = match w {
        ModelWarning::MatchShareTooHigh { .. } => ("review-warning-match-share", None),
        ModelWarning::MBelowU { field, .. } => ("review-warning-m-below-u", Some(field)),
        ModelWarning::AgreementRarerThanDisagreement { field, .. } => ("review-warning-agreement-rarer", Some(field)),
        ModelWarning::MNotSeparated { field, .. } => ("review-warning-m-not-separated", Some(field)),
        ModelWarning::UIdentical { field, .. } => ("review-warning-u-identical", Some(field)),
        ModelWarning::DominantField { field, .. } => ("review-warning-dominant-field", Some(field)),
    };
    let text = tr.t(id);
    match field {
        Some(f) => format!("{}: {text}", tr.t(&format!("field-{f}"))),
        None => text,
    }
}

/// A compared value as the reader reads it: the sex by its label, other values as registered.
fn shown_value(tr: &Tr<'_>, field: &str, value: String) -> String {
    if field == "sex" { t_or(tr, &format!("sex-{value}"), &value) } else { value }
}

fn pair_view(tr: &Tr<'_>, p: ReviewPair) -> PairView {
    let question = match p.question {
        ReviewQuestion::Uncertain => "review-question-uncertain",
        ReviewQuestion::MergeRefused => "review-question-merge-refused",
        ReviewQuestion::JoinedThroughOthers => "review-question-joined",
    };
    PairView {
        question_code: p.question.code(),
        question: tr.t(question),
        weight: format!("{:+.1}", p.weight),
        // A whole percentage, as person search shows it.
        probability: format!("{:.0} %", p.probability * 100.0),
        fields: p
            .fields
            .into_iter()
            .map(|f| FieldRow {
                label: tr.t(&format!("field-{}", f.reason.field)),
                value_a: shown_value(tr, &f.reason.field, f.value_a),
                value_b: shown_value(tr, &f.reason.field, f.value_b),
                level: level_words(tr, &f.reason.level),
                weight: format!("{:+.1}", f.reason.weight),
            })
            .collect(),
        case_a: p.case_a,
        reference_a: p.reference_a,
        case_b: p.case_b,
        reference_b: p.reference_b,
    }
}

async fn page(
    state: &AppState,
    p: &haven_app::Principal,
    headers: &HeaderMap,
    retrained: Option<RetrainView>,
) -> PageResult {
    let queue = state.app.person_review_queue(p, 1).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "review-title", "/persons/review");
    let tr = ctx.tr;
    let ModelInUse { version, threshold, warnings, .. } = queue.model;
    let page = ReviewPage {
        pair: queue.pairs.into_iter().next().map(|x| pair_view(&tr, x)),
        progress: queue.progress,
        model_version: version,
        threshold: threshold_words(threshold),
        warnings: warnings.iter().map(|w| warning_words(&tr, w)).collect(),
        retrained,
        ctx,
    };
    Ok(render(&page))
}

async fn review_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    state.app.require(&p, Permission::ReviewPersons).await?;
    page(&state, &p, &headers, None).await
}

#[derive(Deserialize)]
struct AnswerInput {
    case_a: String,
    case_b: String,
    answer: String,
    #[serde(default)]
    question: String,
}

async fn answer(State(state): State<AppState>, SignedIn(p): SignedIn, form: PageForm<AnswerInput>) -> PageResult {
    state.app.require(&p, Permission::ReviewPersons).await?;
    let input = form.input;
    let Some(answer) = Answer::parse(&input.answer) else {
        return Err(haven_app::AppError::said(
            "answer",
            "same, different or unsure",
            haven_domain::MessageId::SameDifferentOrUnsure,
        )
        .into());
    };
    let question = ReviewQuestion::parse(&input.question);
    state.app.answer_review(&p, &input.case_a, &input.case_b, answer, question).await?;
    Ok(see_other("/persons/review"))
}

async fn retrain(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    state.app.require(&p, Permission::ReviewPersons).await?;
    let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
    let view = match state.app.retrain_person_model(&p).await? {
        RetrainOutcome::TooFewRecords { records, candidate_pairs } => RetrainView {
            trained: false,
            version: 0,
            records,
            candidate_pairs,
            threshold_before: String::new(),
            threshold_after: String::new(),
            warnings: vec![],
        },
        RetrainOutcome::Trained(r) => RetrainView {
            trained: true,
            version: r.version,
            records: r.records,
            candidate_pairs: r.candidate_pairs,
            threshold_before: threshold_words(r.threshold_before),
            threshold_after: threshold_words(r.threshold_after),
            warnings: r.warnings.iter().map(|w| warning_words(&tr, w)).collect(),
        },
    };
    page(&state, &p, &headers, Some(view)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use haven_domain::Language;

    #[test]
    fn the_compared_sex_is_shown_by_its_label_in_the_readers_language() {
        let i18n = I18n::load().unwrap();
        let lv = i18n.tr(Language::Latvian);
        assert_eq!(shown_value(&lv, "sex", "female".to_owned()), "Sieviete");
        assert_eq!(shown_value(&i18n.tr(Language::English), "sex", "female".to_owned()), "Female");
        // Names are shown as registered, even one that reads like a code.
        assert_eq!(shown_value(&lv, "given_names", "female".to_owned()), "female");
        assert_eq!(shown_value(&lv, "sex", String::new()), "");
    }
}
