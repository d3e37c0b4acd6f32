//! A victim's lawyer (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20), in pages:
//! - on the case page, for the case's caseworker or supervisor, the section recording and
//!   revoking the victim's lawyer (posted to `/cases/{case}/representations` and
//!   `/cases/{case}/representations/{id}/revoke`), built by [`case_section`];
//! - for the lawyer, `/representations`: the victims it represents, and
//!   `/representations/{case}`: the victim's view of each investigation the victim is linked to
//!   (read-only; never a suspect, another victim, the money or a support record).
//!
//! Each handler calls one use case of `haven_app::representation`, where access is decided and
//! every read and write audited.

use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::form::PageForm;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::representation::{CaseRepresentations, ProceedingsStage, RepresentedVictim};
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::proceedings::representation::{RepresentationInput, RevocationInput};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/representations", get(list))
        .route("/representations/{case}", get(victim))
        .route("/cases/{case}/representations", post(record))
        .route("/cases/{case}/representations/{id}/revoke", post(revoke))
}

/// A representation on the case page.
pub struct RepresentationLine {
    pub id: String,
    pub lawyer: String,
    pub from_on: String,
    pub consent_on: String,
    pub consent_note: String,
    pub revoked_on: String,
    pub in_force: bool,
}

/// A lawyer offered in the form.
pub struct LawyerOption {
    pub id: String,
    pub label: String,
}

/// The case page's section on the victim's lawyer.
pub struct RepresentationSection {
    pub lines: Vec<RepresentationLine>,
    pub lawyers: Vec<LawyerOption>,
    pub today: String,
    pub sources: &'static str,
}

/// The section for the case page, when the reader may record the victim's lawyer (the case's
/// caseworker or supervisor); `None` for every other reader.
pub async fn case_section(
    state: &AppState,
    p: &Principal,
    case_id: &str,
) -> Result<Option<RepresentationSection>, AppError> {
    if !crate::views::can(p, haven_domain::Permission::ManageRepresentation) {
        return Ok(None);
    }
    let CaseRepresentations { representations, lawyers, sources, .. } =
        match state.app.case_representations(p, case_id).await {
            Ok(view) => view,
            Err(AppError::Forbidden | AppError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
    Ok(Some(RepresentationSection {
        lines: representations
            .into_iter()
            .rev()
            .map(|r| RepresentationLine {
                lawyer: format!("{} ({})", r.lawyer_name, r.lawyer_organisation),
                from_on: r.from_on.to_string(),
                consent_on: r.consent_on.to_string(),
                consent_note: r.consent_note.unwrap_or_default(),
                revoked_on: r.revoked_on.map(|d| d.to_string()).unwrap_or_default(),
                in_force: r.in_force,
                id: r.id,
            })
            .collect(),
        lawyers: lawyers
            .into_iter()
            .map(|l| LawyerOption { id: l.user_id, label: format!("{} ({})", l.display_name, l.organisation) })
            .collect(),
        today: state.app.today().to_string(),
        sources,
    }))
}

async fn record(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path(id): Path<String>,
    form: Result<PageForm<RepresentationInput>, crate::views::page_error::PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    state.app.record_representation(&p, &id, &input).await?;
    Ok(see_other(&format!("/cases/{id}#representation")))
}

async fn revoke(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path((id, representation)): Path<(String, String)>,
    form: Result<PageForm<RevocationInput>, crate::views::page_error::PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    state.app.revoke_representation(&p, &id, &representation, &input).await?;
    Ok(see_other(&format!("/cases/{id}#representation")))
}

/// A represented victim in the lawyer's list.
struct VictimLine {
    case_id: String,
    reference: String,
    from_on: String,
    investigations: usize,
}

#[derive(Template)]
#[template(path = "representations.html")]
struct ListPage<'a> {
    ctx: PageCtx<'a>,
    victims: Vec<VictimLine>,
}

async fn list(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let victims = state.app.represented_victims(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "representations-title", "/representations");
    let victims = victims
        .into_iter()
        .map(|v| VictimLine {
            case_id: v.case_id,
            reference: v.case_reference,
            from_on: v.from_on.to_string(),
            investigations: v.investigations,
        })
        .collect();
    Ok(render(&ListPage { ctx, victims }))
}

/// A line of a table: a label and its value.
struct Line {
    label: String,
    value: String,
}

/// One investigation, in the victim's view, as shown.
struct InvestigationBlock {
    reference: String,
    facts: Vec<Line>,
    stages: Vec<Line>,
    protection: Vec<Line>,
    missing: Vec<String>,
    information: Vec<Line>,
    due: Vec<String>,
}

#[derive(Template)]
#[template(path = "representation_victim.html")]
struct VictimPage<'a> {
    ctx: PageCtx<'a>,
    reference: String,
    from_on: String,
    investigations: Vec<InvestigationBlock>,
    sources: &'static str,
}

fn stage_line(tr: &Tr<'_>, stage: &ProceedingsStage) -> Line {
    let (label, value) = match stage {
        ProceedingsStage::Charged { offence, .. } => {
            (tr.t("proc-record-charge"), tr.t(&format!("proc-offence-{}", offence.code())))
        }
        ProceedingsStage::ProsecutionDecision { outcome, .. } => {
            (tr.t("proc-record-decision"), tr.t(&format!("proc-prosecution-{}", outcome.code())))
        }
        ProceedingsStage::Judgment { court, instance, verdict, is_final, .. } => {
            let mut value = format!(
                "{}: {} ({})",
                tr.t(&format!("proc-instance-{}", instance.code())),
                tr.t(&format!("proc-verdict-{}", verdict.code())),
                court
            );
            if *is_final {
                value.push_str(&format!(", {}", tr.t("representation-final")));
            }
            (tr.t("proc-record-judgment"), value)
        }
        ProceedingsStage::Appeal { appellant, .. } => {
            (tr.t("proc-record-appeal"), tr.t(&format!("proc-appellant-{}", appellant.code())))
        }
    };
    Line { label: format!("{} {}", stage.on(), label), value }
}

fn blocks(tr: &Tr<'_>, victim: &RepresentedVictim) -> Vec<InvestigationBlock> {
    victim
        .investigations
        .iter()
        .map(|inv| {
            let mut facts = vec![
                Line {
                    label: tr.t("representation-status"),
                    value: format!(
                        "{} ({} {})",
                        tr.t(&format!("investigation-status-{}", inv.status.code())),
                        tr.t("representation-since"),
                        inv.status_since
                    ),
                },
                Line { label: tr.t("representation-opened-on"), value: inv.opened_on.to_string() },
                Line { label: tr.t("representation-linked-on"), value: inv.linked_on.to_string() },
                Line {
                    label: tr.t("representation-offences"),
                    value: inv
                        .offences
                        .iter()
                        .map(|o| tr.t(&format!("proc-offence-{}", o.kind.code())))
                        .collect::<Vec<_>>()
                        .join("; "),
                },
            ];
            if let Some(closure) = inv.closure {
                facts.push(Line {
                    label: tr.t("representation-closure"),
                    value: tr.t(&format!("proc-closure-{}", closure.code())),
                });
            }
            if inv.acts_from.is_some() || inv.acts_until.is_some() {
                facts.push(Line {
                    label: tr.t("representation-acts"),
                    value: format!(
                        "{} – {}",
                        inv.acts_from.map(|d| d.to_string()).unwrap_or_default(),
                        inv.acts_until.map(|d| d.to_string()).unwrap_or_default()
                    ),
                });
            }
            InvestigationBlock {
                reference: inv.reference.clone(),
                facts,
                stages: inv.stages.iter().map(|s| stage_line(tr, s)).collect(),
                protection: inv
                    .protection
                    .iter()
                    .map(|m| Line {
                        label: format!("{} ({})", tr.t(&format!("protection-measure-{}", m.measure.code())), m.article),
                        value: match (m.status, m.on) {
                            (Some(status), Some(on)) => {
                                format!("{}, {on}", tr.t(&format!("measure-status-{}", status.code())))
                            }
                            _ => tr.t("representation-not-recorded"),
                        },
                    })
                    .collect(),
                missing: inv.missing_measures.iter().map(|m| tr.msg(&m.message)).collect(),
                information: inv
                    .information
                    .iter()
                    .map(|g| Line {
                        label: format!("{} {}", g.given_on, tr.t(&format!("information-kind-{}", g.kind.code()))),
                        value: format!(
                            "{}, {}",
                            tr.t(&format!("information-channel-{}", g.channel.code())),
                            g.language
                        ),
                    })
                    .collect(),
                due: inv
                    .information_due
                    .iter()
                    .map(|d| format!("{} ({}, {})", tr.msg(&d.message), d.since, d.article))
                    .collect(),
            }
        })
        .collect()
}

async fn victim(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path(case_id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let victim = state.app.represented_victim(&p, &case_id).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "representation-victim-title", "/representations");
    let investigations = blocks(&ctx.tr, &victim);
    Ok(render(&VictimPage {
        reference: victim.case_reference,
        from_on: victim.from_on.to_string(),
        investigations,
        sources: victim.sources,
        ctx,
    }))
}
