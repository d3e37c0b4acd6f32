//! Prevention and demand reduction (`/monitoring/prevention`, docs/monitoring.md, "Prevention"):
//! the records of one kind at a time (awareness campaigns, demand-reduction measures and studies,
//! funded projects, research), each a card with what it holds, and the form to record one of that
//! kind. Each handler calls one use case of `haven_app::prevention`.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::networks::{FormBlock, problem};
use crate::views::page_error::PageResult;
use crate::views::strategy::Fields;
use crate::views::{PageCtx, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::{AppError, Principal};
use haven_domain::prevention::{
    Channel, DemandKind, Details, PreventionInput, PreventionKind, PreventionRecord, ResearchTopic, TargetGroup,
};
use haven_domain::{Coded, ParseError};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/monitoring/prevention", get(index).post(record))
}

/// Which kind the page shows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KindQuery {
    kind: String,
}

/// The form: its kind and the record.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RecordForm {
    kind: String,
    #[serde(flatten)]
    input: PreventionInput,
}

struct KindLink {
    href: String,
    label: String,
    count: usize,
    current: bool,
}

struct RecordCard {
    title: String,
    lines: Vec<(String, String)>,
    link: String,
}

#[derive(Template)]
#[template(path = "prevention_index.html")]
struct IndexPage<'a> {
    ctx: PageCtx<'a>,
    kinds: Vec<KindLink>,
    explain: String,
    records: Vec<RecordCard>,
    forms: Vec<FormBlock>,
}

fn labels<C: Coded>(tr: &Tr<'_>, prefix: &str, values: &[C]) -> String {
    values.iter().map(|v| label_of(tr, prefix, *v)).collect::<Vec<_>>().join(", ")
}

/// An amount in minor units, as `250 000.00`.
fn amount(minor: i64) -> String {
    let units = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", minor % 100)
}

fn card(tr: &Tr<'_>, r: &PreventionRecord) -> RecordCard {
    let t = |id: &str| tr.t(&format!("prevention-field-{id}"));
    let period = match r.ends_on {
        Some(end) => format!("{} – {end}", r.starts_on),
        None => r.starts_on.to_string(),
    };
    let mut lines = vec![
        (t("by"), r.by.clone()),
        (tr.t("prevention-period"), period),
        (tr.t("network-scope"), r.scope.to_string()),
        (t("summary"), r.summary.clone()),
    ];
    match &r.details {
        Details::Campaign { target_groups, channels, languages, reach, evaluation } => {
            lines.push((t("target_groups"), labels(tr, "prevention-group", target_groups)));
            lines.push((t("channels"), labels(tr, "prevention-channel", channels)));
            lines.push((t("languages"), languages.join(", ")));
            if let Some(reach) = reach {
                lines.push((t("reach"), reach.to_string()));
            }
            if !evaluation.is_empty() {
                lines.push((t("evaluation"), evaluation.clone()));
            }
        }
        Details::DemandReduction { demand_kind, sector } => {
            lines.push((t("demand_kind"), label_of(tr, "prevention-demand", *demand_kind)));
            lines.push((t("sector"), sector.clone()));
        }
        Details::FundedProject { funder, amount: minor, currency, outputs, outcome } => {
            lines.push((t("funder"), funder.clone()));
            lines.push((t("amount"), format!("{} {currency}", amount(*minor))));
            lines.push((t("outputs"), outputs.clone()));
            if !outcome.is_empty() {
                lines.push((t("outcome"), outcome.clone()));
            }
        }
        Details::Research { topic, releases } => {
            lines.push((t("topic"), label_of(tr, "prevention-topic", *topic)));
            let releases = if releases.is_empty() { tr.t("prevention-no-releases") } else { releases.join(", ") };
            lines.push((t("releases"), releases));
        }
    }
    RecordCard { title: r.title.clone(), lines, link: r.link.clone() }
}

fn parse_kind(value: &str) -> Result<PreventionKind, AppError> {
    PreventionKind::parse_code("kind", value.trim()).map_err(AppError::Invalid)
}

async fn show(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    kind: PreventionKind,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "prevention-title", "/monitoring/prevention");
    let tr = ctx.tr;
    let view = state.app.prevention(p).await?;
    let kinds = PreventionKind::ALL
        .iter()
        .map(|k| KindLink {
            href: format!("/monitoring/prevention?kind={}", k.code()),
            label: label_of(&tr, "prevention-kind", *k),
            count: view.of(*k).count(),
            current: *k == kind,
        })
        .collect();
    let records = view.of(kind).map(|r| card(&tr, r)).collect();
    let status = check.status();
    let mut forms = Vec::new();
    if let Some(scope) = view.may_record_for {
        let f = Fields { tr, prefix: "prevention", typed, check: &check };
        let mut codes = Vec::new();
        let mut fields = vec![
            f.field("title", "text"),
            f.field("by", "text"),
            f.field("starts_on", "date"),
            f.field("ends_on", "date"),
            f.field("summary", "textarea"),
            f.field("link", "url"),
        ];
        match kind {
            PreventionKind::Campaign => {
                let groups = f.field("target_groups", "text");
                let channels = f.field("channels", "text");
                codes.push((
                    groups.label.clone(),
                    TargetGroup::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", "),
                ));
                codes.push((
                    channels.label.clone(),
                    Channel::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", "),
                ));
                fields.extend([
                    groups,
                    channels,
                    f.field("languages", "text"),
                    f.field("reach", "number"),
                    f.field("evaluation", "textarea"),
                ]);
            }
            PreventionKind::DemandReduction => {
                fields.push(f.choice::<DemandKind>("demand_kind", "prevention-demand", Some("network-choose")));
                fields.push(f.field("sector", "text"));
            }
            PreventionKind::FundedProject => fields.extend([
                f.field("funder", "text"),
                f.field("amount", "number"),
                f.field("currency", "text"),
                f.field("outputs", "textarea"),
                f.field("outcome", "textarea"),
            ]),
            PreventionKind::Research => {
                fields.push(f.choice::<ResearchTopic>("topic", "prevention-topic", Some("network-choose")));
                fields.push(f.field("releases", "text"));
            }
        }
        forms.push(FormBlock {
            id: "form-prevention",
            heading: tr.args(
                "prevention-record",
                &[("kind", &label_of(&tr, "prevention-kind", kind)), ("scope", scope.code())],
            ),
            action: "/monitoring/prevention".into(),
            submit: tr.t("prevention-record-submit"),
            hidden: vec![("kind", kind.code().to_owned())],
            codes,
            fields,
            check,
        });
    }
    let explain = tr.t(&format!("prevention-explain-{}", kind.code()));
    let page = IndexPage { ctx, kinds, explain, records, forms };
    Ok(with_status(render(&page), status))
}

async fn index(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<KindQuery>,
) -> PageResult {
    let kind = if q.kind.trim().is_empty() { PreventionKind::Campaign } else { parse_kind(&q.kind)? };
    show(&state, &p, &headers, kind, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<RecordForm>,
) -> PageResult {
    // Who may not record is refused before the form is checked (403, audited).
    state.app.require(&p, haven_domain::Permission::RecordMonitoring).await?;
    let kind = match parse_kind(&form.input.kind) {
        Ok(kind) => kind,
        Err(_) => return Err(AppError::Invalid(ParseError::empty("kind")).into()),
    };
    match state.app.record_prevention(&p, kind, &form.input.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/prevention?kind={}", kind.code()))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "prevention")?;
            show(&state, &p, &headers, kind, &form.pairs, check).await
        }
    }
}
