//! Strategies and action plans (`/monitoring/strategies`, docs/monitoring.md): the list with
//! the progress of each priority, a strategy's actions, an action's page with its evidence and
//! the form of its status, and the forms to record a plan and its actions. Each handler calls
//! one use case of `haven_app::strategy`.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::strategy::{ActionLine, OverdueAction, StrategyView};
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::greta::Strength;
use haven_domain::strategy::{
    ActionInput, ActionStatus, EvidenceKind, PriorityProgress, ProgressInput, Strategy, StrategyInput,
};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring/strategies", get(index).post(record_strategy))
        .route("/monitoring/strategies/{id}", get(strategy_page))
        .route("/monitoring/strategies/{id}/actions", post(add_action))
        .route("/monitoring/strategies/{id}/actions/{number}", get(action_page).post(record_progress))
}

/// An input of a form: a line, a date, a text area or a choice.
pub(crate) struct Field {
    pub name: String,
    pub label: String,
    /// `text`, `date`, `number`, `url`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// The choices of a `select`: value and label.
    pub options: Vec<(String, String)>,
}

/// The fields of a form, typed values kept after a problem.
pub(crate) struct Fields<'a> {
    pub tr: Tr<'a>,
    pub prefix: &'static str,
    pub typed: &'a FormPairs,
    pub check: &'a FormProblem,
}

impl Fields<'_> {
    pub fn field(&self, name: &str, kind: &'static str) -> Field {
        let value = self.typed.get(name).unwrap_or_default().to_owned();
        let hint_id = format!("{}-hint-{name}", self.prefix);
        let hint = self.tr.t(&hint_id);
        Field {
            name: name.to_owned(),
            label: self.tr.t(&format!("{}-field-{name}", self.prefix)),
            kind,
            value,
            hint: (hint != hint_id).then_some(hint),
            error: self.check.message(name).map(str::to_owned),
            options: Vec::new(),
        }
    }

    /// A choice among coded values, labelled `LABELS-CODE`, with an empty first choice when
    /// `empty` names its label.
    pub fn choice<C: Coded>(&self, name: &str, labels: &str, empty: Option<&str>) -> Field {
        let mut field = self.field(name, "select");
        if let Some(empty) = empty {
            field.options.push((String::new(), self.tr.t(empty)));
        }
        field.options.extend(C::ALL.iter().map(|c| (c.code().to_owned(), label_of(&self.tr, labels, *c))));
        field
    }
}

/// A strategy's title in the reader's language: the shipped one's from the translations, a
/// recorded one's as recorded.
pub(crate) fn strategy_title(tr: &Tr<'_>, strategy: &Strategy) -> String {
    if strategy.shipped { tr.t(&format!("strategy-title-{}", strategy.id)) } else { strategy.title.clone() }
}

/// A priority's progress, as shown.
struct ProgressLine {
    code: String,
    title: String,
    actions: u32,
    completed: u32,
    ongoing: u32,
    overdue: u32,
    share_completed: u32,
    share_ongoing: u32,
    share_overdue: u32,
}

fn progress_lines(strategy: &Strategy, rows: &[PriorityProgress], tr: &Tr<'_>) -> Vec<ProgressLine> {
    rows.iter()
        .map(|r| ProgressLine {
            code: r.priority.clone(),
            title: strategy.priority_title(&r.priority, tr.code()),
            actions: r.actions,
            completed: r.completed,
            ongoing: r.ongoing,
            overdue: r.overdue,
            share_completed: r.share_completed(),
            share_ongoing: r.share_ongoing(),
            share_overdue: r.share_overdue(),
        })
        .collect()
}

/// A strategy in the list.
struct StrategyLine {
    shipped: bool,
    href: String,
    title: String,
    reference: String,
    scope: String,
    period: String,
    actions: usize,
    overdue: u32,
    progress: Vec<ProgressLine>,
}

/// An overdue action in the dashboard's section.
pub(crate) struct OverdueLine {
    /// Of the shipped Strategy (its text in English).
    pub shipped: bool,
    pub href: String,
    pub number: String,
    pub strategy: String,
    pub text: String,
    pub responsible: String,
    pub target_on: String,
    pub status: String,
    pub days: i64,
}

pub(crate) fn overdue_lines(tr: &Tr<'_>, actions: Vec<OverdueAction>) -> Vec<OverdueLine> {
    actions
        .into_iter()
        .map(|a| OverdueLine {
            shipped: haven_domain::strategy::is_shipped(&a.strategy_id),
            href: format!("/monitoring/strategies/{}/actions/{}", a.strategy_id, a.number),
            number: a.number,
            strategy: if haven_domain::strategy::is_shipped(&a.strategy_id) {
                tr.t(&format!("strategy-title-{}", a.strategy_id))
            } else {
                format!("{} ({})", a.strategy_title, a.scope.code())
            },
            text: a.text,
            responsible: a.responsible,
            target_on: a.target_on.map(|d| d.to_string()).unwrap_or_default(),
            status: label_of(tr, "strategy-status", a.status),
            days: a.days_overdue,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "strategy_index.html")]
struct IndexPage<'a> {
    ctx: PageCtx<'a>,
    today: String,
    strategies: Vec<StrategyLine>,
    /// Said when the user may record plans: for which jurisdiction.
    record_for: Option<String>,
    fields: Vec<Field>,
    check: FormProblem,
    /// The coordinator's two lists: actions overdue, recommendations without follow-up.
    overdue: Vec<OverdueLine>,
    open: Vec<crate::views::greta::OpenLine>,
}

async fn show_index(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "strategy-title", "/monitoring/strategies");
    let tr = ctx.tr;
    let view = state.app.strategies(p).await?;
    let strategies = view
        .strategies
        .iter()
        .map(|s| StrategyLine {
            shipped: s.strategy.shipped,
            href: format!("/monitoring/strategies/{}", s.strategy.id),
            title: strategy_title(&tr, &s.strategy),
            reference: s.strategy.reference.clone(),
            scope: s.strategy.scope.code().to_owned(),
            period: format!("{} – {}", s.strategy.starts_on, s.strategy.ends_on),
            actions: s.actions,
            overdue: s.overdue,
            progress: progress_lines(&s.strategy, &s.progress, &tr),
        })
        .collect();
    let fields = Fields { tr, prefix: "strategy", typed, check: &check };
    let fields = vec![
        fields.field("title", "text"),
        fields.field("reference", "text"),
        fields.field("starts_on", "date"),
        fields.field("ends_on", "date"),
        fields.field("priorities", "textarea"),
    ];
    let overdue = overdue_lines(&tr, state.app.actions_overdue(p, None).await?);
    let open = crate::views::greta::open_lines(&tr, state.app.recommendations_without_follow_up(p, None).await?);
    let status = check.status();
    let page = IndexPage {
        overdue,
        open,
        ctx,
        today: view.today.to_string(),
        strategies,
        record_for: view.may_record_for.map(|j| j.code().to_owned()),
        fields,
        check,
    };
    Ok(with_status(render(&page), status))
}

fn problem(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    e: AppError,
    prefix: &'static str,
) -> Result<FormProblem, PageError> {
    let tr = state.i18n.tr(crate::views::language_of(Some(p), headers));
    FormProblem::of(&tr, e, str::to_owned, |tr, at, _| tr.t(&format!("{prefix}-field-{at}"))).map_err(PageError::from)
}

async fn index(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show_index(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record_strategy(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<StrategyInput>,
) -> PageResult {
    match state.app.record_strategy(&p, &form.input).await {
        Ok(strategy) => Ok(see_other(&format!("/monitoring/strategies/{}", strategy.id))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "strategy")?;
            show_index(&state, &p, &headers, &form.pairs, check).await
        }
    }
}

/// An action in a strategy's list.
struct ActionRow {
    href: String,
    number: String,
    text: String,
    responsible: String,
    target: String,
    status: String,
    status_code: &'static str,
    overdue: bool,
    days_overdue: i64,
    verification: String,
    unverified: bool,
}

fn action_row(strategy: &Strategy, line: &ActionLine, tr: &Tr<'_>) -> ActionRow {
    let a = &line.action;
    ActionRow {
        href: format!("/monitoring/strategies/{}/actions/{}", strategy.id, a.number),
        number: a.number.clone(),
        text: a.text.clone(),
        responsible: a.responsible.clone(),
        target: match a.target_on {
            Some(day) if a.target != day.to_string() => format!("{} ({day})", a.target),
            Some(day) => day.to_string(),
            None => tr.t("strategy-continuing"),
        },
        status: label_of(tr, "strategy-status", line.status),
        status_code: line.status.code(),
        overdue: line.overdue,
        days_overdue: line.days_overdue,
        verification: label_of(tr, "strategy-verification", a.verification),
        unverified: a.verification.code() == "unverified",
    }
}

#[derive(Template)]
#[template(path = "strategy_detail.html")]
struct DetailPage<'a> {
    ctx: PageCtx<'a>,
    id: String,
    reference: String,
    scope: String,
    period: String,
    shipped: bool,
    source: &'static str,
    today: String,
    progress: Vec<ProgressLine>,
    actions: Vec<ActionRow>,
    may_add: bool,
    fields: Vec<Field>,
    check: FormProblem,
}

async fn show_strategy(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let mut ctx = PageCtx::new(state, Some(p), headers, "strategy-title", "/monitoring/strategies");
    let tr = ctx.tr;
    let StrategyView { strategy, actions, progress, may_record, today } = state.app.strategy(p, id).await?;
    ctx.title = strategy_title(&tr, &strategy);
    let rows = actions.iter().map(|l| action_row(&strategy, l, &tr)).collect();
    let f = Fields { tr, prefix: "strategy-action", typed, check: &check };
    let mut priority = f.field("priority", "select");
    priority.options = strategy
        .priorities
        .iter()
        .map(|pr| (pr.code.clone(), format!("{} {}", pr.code, strategy.priority_title(&pr.code, tr.code()))))
        .collect();
    let fields = vec![
        f.field("number", "text"),
        priority,
        f.field("text", "textarea"),
        f.field("responsible", "text"),
        f.field("target_on", "date"),
    ];
    let status = check.status();
    let page = DetailPage {
        id: strategy.id.clone(),
        reference: strategy.reference.clone(),
        scope: strategy.scope.code().to_owned(),
        period: format!("{} – {}", strategy.starts_on, strategy.ends_on),
        shipped: strategy.shipped,
        source: haven_domain::strategy::shipped_source(&strategy.id),
        today: today.to_string(),
        progress: progress_lines(&strategy, &progress, &tr),
        actions: rows,
        may_add: may_record && !strategy.shipped,
        fields,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn strategy_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    show_strategy(&state, &p, &headers, &id, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn add_action(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PageForm<ActionInput>,
) -> PageResult {
    match state.app.add_strategy_action(&p, &id, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/strategies/{id}"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "strategy-action")?;
            show_strategy(&state, &p, &headers, &id, &form.pairs, check).await
        }
    }
}

/// A piece of evidence, as shown.
struct EvidenceLine {
    kind: String,
    label: String,
    reference: String,
    /// The reference as a link (an address, or the platform's page of the id).
    href: Option<String>,
    added_on: String,
}

#[derive(Template)]
#[template(path = "strategy_action.html")]
struct ActionPage<'a> {
    ctx: PageCtx<'a>,
    shipped: bool,
    strategy_href: String,
    strategy_title: String,
    priority: String,
    row: ActionRow,
    heading: String,
    source: String,
    since: String,
    note: String,
    evidence: Vec<EvidenceLine>,
    post_to: String,
    may_record: bool,
    fields: Vec<Field>,
    check: FormProblem,
}

fn evidence_href(kind: EvidenceKind, reference: &str) -> Option<String> {
    if reference.starts_with("https://") || reference.starts_with("http://") {
        return Some(reference.to_owned());
    }
    match kind {
        EvidenceKind::StatisticsRelease => Some(format!("/statistics/releases/{reference}")),
        EvidenceKind::Training => Some("/trainings".to_owned()),
        EvidenceKind::Document => None,
    }
}

async fn show_action(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    (id, number): (&str, &str),
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let mut ctx = PageCtx::new(state, Some(p), headers, "strategy-action-title", "/monitoring/strategies");
    let tr = ctx.tr;
    let view = state.app.strategy_action(p, id, number).await?;
    ctx.title = format!("{} {}", tr.t("strategy-action-title"), view.line.action.number);
    let progress = view.line.progress.clone();
    let evidence = progress
        .as_ref()
        .map(|pr| {
            pr.evidence
                .iter()
                .map(|e| EvidenceLine {
                    kind: label_of(&tr, "strategy-evidence", e.kind),
                    label: e.label.clone(),
                    reference: e.reference.clone(),
                    href: evidence_href(e.kind, &e.reference),
                    added_on: e.added_on.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let f = Fields { tr, prefix: "strategy-progress", typed, check: &check };
    let mut status = f.choice::<ActionStatus>("status", "strategy-status", None);
    if status.value.is_empty() {
        status.value = view.line.status.code().to_owned();
    }
    let fields = vec![
        status,
        f.field("note", "textarea"),
        f.choice::<EvidenceKind>("evidence_kind", "strategy-evidence", Some("strategy-no-evidence")),
        f.field("evidence_reference", "text"),
        f.field("evidence_label", "text"),
    ];
    let code = check.status();
    let page = ActionPage {
        shipped: view.strategy.shipped,
        strategy_href: format!("/monitoring/strategies/{}", view.strategy.id),
        strategy_title: strategy_title(&tr, &view.strategy),
        priority: format!(
            "{} {}",
            view.line.action.priority,
            view.strategy.priority_title(&view.line.action.priority, tr.code())
        ),
        row: action_row(&view.strategy, &view.line, &tr),
        heading: view.line.action.heading.clone(),
        source: view.line.action.source.clone(),
        since: progress.as_ref().map(|pr| pr.since.to_string()).unwrap_or_default(),
        note: progress.map(|pr| pr.note).unwrap_or_default(),
        evidence,
        post_to: format!("/monitoring/strategies/{}/actions/{}", view.strategy.id, view.line.action.number),
        may_record: view.may_record,
        fields,
        check,
        ctx,
    };
    Ok(with_status(render(&page), code))
}

async fn action_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, number)): Path<(String, String)>,
) -> PageResult {
    show_action(&state, &p, &headers, (&id, &number), &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record_progress(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path((id, number)): Path<(String, String)>,
    form: PageForm<ProgressInput>,
) -> PageResult {
    match state.app.record_action_progress(&p, &id, &number, &form.input).await {
        Ok(_) => Ok(see_other(&format!("/monitoring/strategies/{id}/actions/{number}"))),
        Err(e) => {
            let check = problem(&state, &p, &headers, e, "strategy-progress")?;
            show_action(&state, &p, &headers, (&id, &number), &form.pairs, check).await
        }
    }
}

/// The label of a strength, for the GRETA pages.
pub(crate) fn strength_label(tr: &Tr<'_>, strength: Strength) -> String {
    label_of(tr, "greta-strength", strength)
}
