//! The victims in an investigation's proceedings (`/investigations/{id}/victims-in-proceedings`):
//! for each victim linked, the protection measures that apply (Dir 2011/36 Arts 12(4), 15(3)-(5);
//! CETS 197 Arts 28, 30) with their latest record and the ones not recorded flagged, limitation
//! from majority for a child victim (Art 9(2)), the information given (Art 11 with Dir 2012/29
//! Art 6) and what is due, with a form to record a measure and one to log a piece of information
//! as given. Each write calls one use case of `haven_app::proceedings_victims` and comes back
//! here; a refused one shows this page again with what was typed and the problem at its input.

use super::money::{hinted, page_form};
use super::{Builder, FormView, Typed, cases, one, options};
use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::Principal;
use haven_domain::Coded;
use haven_domain::proceedings::information::{InformationChannel, InformationInput, InformationKind};
use haven_domain::proceedings::protection::{MeasureStatus, ProtectionInput, ProtectionRecord};
use serde::de::IgnoredAny;
use std::collections::HashMap;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/investigations/{id}/victims-in-proceedings", get(super::show::<VictimsInProceedings>))
        .route("/investigations/{id}/protection-measures", post(protection))
        .route("/investigations/{id}/information-given", post(information))
}

/// A measure that applies, with its article and its latest record, or flagged as missing.
struct MeasureLine {
    measure: String,
    article: String,
    record: Option<String>,
}

struct VictimBlock {
    anchor: String,
    case_text: String,
    case_href: Option<String>,
    child_status: String,
    measures: Vec<MeasureLine>,
    missing: usize,
    other_records: Vec<String>,
    limitation: Option<String>,
    information: Vec<String>,
    due: Vec<String>,
    forms: Vec<FormView>,
}

#[derive(Template)]
#[template(path = "proceedings_victims.html")]
struct VictimsPage<'a> {
    ctx: PageCtx<'a>,
    back: String,
    reference: String,
    limitation_warning: Option<String>,
    victims: Vec<VictimBlock>,
    check: FormProblem,
}

fn record_text(tr: &Tr<'_>, r: &ProtectionRecord) -> String {
    let mut text = format!("{}, {}", tr.t(&format!("measure-status-{}", r.status.code())), r.on);
    if let Some(reasons) = &r.reasons {
        text.push_str(&format!(": {}", reasons.as_str()));
    }
    text
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &Typed,
    check: FormProblem,
) -> PageResult {
    let inv = state.app.investigation(p, id).await?;
    let view = state.app.victims_in_proceedings(p, id).await?;
    let readable: HashMap<String, String> = cases(state, p).await?.into_iter().collect();
    let ctx = PageCtx::new(state, Some(p), headers, "victims-proceedings-title", "/investigations");
    let tr = ctx.tr;
    let today = state.app.today().to_string();
    let base = format!("/investigations/{id}");
    let language = tr.code().to_owned();

    let mut victims = Vec::new();
    for v in &view.victims {
        let review = &v.protection;
        let measures = review
            .measures
            .iter()
            .map(|m| MeasureLine {
                measure: tr.t(&format!("protection-measure-{}", m.measure.code())),
                article: m.article.to_owned(),
                record: m.latest.as_ref().map(|r| record_text(&tr, r)),
            })
            .collect();
        let other_records = review
            .other_records
            .iter()
            .map(|r| format!("{}: {}", tr.t(&format!("protection-measure-{}", r.measure.code())), record_text(&tr, r)))
            .collect();
        let information = v
            .information
            .iter()
            .map(|i| {
                let mut text = tr.args(
                    "pp-information-line",
                    &[
                        ("kind", &tr.t(&format!("information-kind-{}", i.kind.code()))),
                        ("channel", &tr.t(&format!("information-channel-{}", i.channel.code()))),
                        ("language", &i.language.to_string()),
                        ("by", &i.given_by),
                        ("date", &i.given_on.to_string()),
                    ],
                );
                if let Some(note) = &i.note {
                    text.push_str(&format!(" {}", note.as_str()));
                }
                text
            })
            .collect();
        let mut forms = Vec::new();
        if view.actions.write {
            let measure_options: Vec<(String, String)> = review
                .measures
                .iter()
                .map(|m| {
                    let code = m.measure.code();
                    (code.to_owned(), tr.t(&format!("protection-measure-{code}")))
                })
                .collect();
            let b = Builder::new(tr, format!("protection-{}", v.case_id), typed, &check);
            let mut f = page_form(
                &b,
                format!("{base}/protection-measures"),
                "pp-record-protection",
                vec![
                    b.select("measure", measure_options, true, ""),
                    b.select("status", options::<MeasureStatus>(&tr, "measure-status"), true, ""),
                    b.date("on", &today),
                    hinted(b.textarea("reasons"), &tr, "pp-protection-reasons-hint"),
                ],
            );
            f.hidden.push(("case_id".into(), v.case_id.clone()));
            forms.push(f);
            let b = Builder::new(tr, format!("information-{}", v.case_id), typed, &check);
            let mut f = page_form(
                &b,
                format!("{base}/information-given"),
                "pp-record-information",
                vec![
                    b.select("kind", options::<InformationKind>(&tr, "information-kind"), true, ""),
                    b.select("channel", options::<InformationChannel>(&tr, "information-channel"), true, ""),
                    hinted(b.text("language", &language), &tr, "pp-language-hint"),
                    b.text("given_by", ""),
                    b.date("given_on", &today),
                    b.textarea("note"),
                ],
            );
            f.hidden.push(("case_id".into(), v.case_id.clone()));
            forms.push(f);
        }
        let (case_text, case_href) = match readable.get(&v.case_id) {
            Some(reference) => (reference.clone(), Some(format!("/cases/{}", v.case_id))),
            None => (tr.t("proc-case-not-yours"), None),
        };
        victims.push(VictimBlock {
            anchor: format!("victim-{}", v.case_id),
            case_text,
            case_href,
            child_status: tr.t(&format!("child-status-{}", v.child_status.code())),
            measures,
            missing: review.missing.len(),
            other_records,
            limitation: v.limitation.as_ref().and_then(|l| l.message.as_ref()).map(|m| tr.msg(m)),
            information,
            due: v.information_due.iter().map(|d| tr.msg(&d.message)).collect(),
            forms,
        });
    }

    let status = check.status();
    let page = VictimsPage {
        back: base,
        reference: inv.investigation.reference.clone(),
        limitation_warning: view.limitation_warning.as_ref().map(|w| tr.msg(&w.message)),
        victims,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

/// This page, for [`super::show`] and [`super::save`].
pub(super) struct VictimsInProceedings;

impl super::FormPage for VictimsInProceedings {
    const PATH: &'static str = "/victims-in-proceedings";

    async fn draw(
        state: &AppState,
        p: &Principal,
        headers: &HeaderMap,
        id: &str,
        typed: &Typed,
        check: FormProblem,
    ) -> PageResult {
        page(state, p, headers, id, typed, check).await
    }
}

type Form = PageForm<IgnoredAny>;

async fn protection(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = ProtectionInput {
        case_id: one(f, "case_id"),
        measure: one(f, "measure"),
        status: one(f, "status"),
        on: one(f, "on"),
        reasons: one(f, "reasons"),
    };
    let key = format!("protection-{}", input.case_id);
    let result = state.app.record_protection_measure(&p, &id, &input).await;
    super::save::<VictimsInProceedings, _>(&state, &p, &headers, &id, &key, f, result).await
}

async fn information(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = InformationInput {
        case_id: one(f, "case_id"),
        kind: one(f, "kind"),
        channel: one(f, "channel"),
        language: one(f, "language"),
        given_by: one(f, "given_by"),
        given_on: one(f, "given_on"),
        note: one(f, "note"),
    };
    let key = format!("information-{}", input.case_id);
    let result = state.app.record_information_given(&p, &id, &input).await;
    super::save::<VictimsInProceedings, _>(&state, &p, &headers, &id, &key, f, result).await
}
