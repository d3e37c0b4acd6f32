//! One investigation (`/investigations/{id}`): the offences, places and status, the victims
//! linked (a link to the case only where the reader may open it), the suspects with their roles,
//! charges (with the warning where a national maximum penalty falls below the Directive's floor,
//! Dir 2011/36 Art 4), decisions, judgments and appeals, and the non-punishment notices (Dir
//! 2011/36 Art 8; CETS 197 Art 26) shown first, to the prosecutor with the form to decide. Each
//! write posts to its own address and comes back here; a refused one shows this page again with
//! what was typed and the problem at its input.

use super::{Builder, FormView, Typed, all, cases, coded_label as label, names, one, options, organisations, ticked};
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
use haven_app::proceedings::{InvestigationView, SuspectRecord};
use haven_app::{AppError, Principal};
use haven_domain::case::Sex;
use haven_domain::ident::age::AgeGroup;
use haven_domain::proceedings::charge::{
    Appellant, ChargeInput, Circumstance, Instance, JudgmentInput, ProsecutionOutcome, Verdict,
};
use haven_domain::proceedings::non_punishment::NoticeOutcome;
use haven_domain::proceedings::penalty::PenaltyWarning;
use haven_domain::proceedings::suspect::{ChainRole, LegalLiability, PersonKind, SuspectInput};
use haven_domain::proceedings::{ClosureGround, NO_DEPENDENCE_ON_REPORT};
use haven_domain::{Coded, Message, MessageId};
use serde::de::IgnoredAny;
use std::collections::HashMap;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/investigations/{id}", get(super::show::<Investigation>))
        .route("/investigations/{id}/status", post(status))
        .route("/investigations/{id}/report-withdrawal", post(withdrawal))
        .route("/investigations/{id}/victims", post(victim))
        .route("/investigations/{id}/suspects", post(suspect))
        .route("/investigations/{id}/suspect-links", post(suspect_link))
        .route("/investigations/{id}/charges", post(charge))
        .route("/investigations/{id}/prosecution-decisions", post(decision))
        .route("/investigations/{id}/judgments", post(judgment))
        .route("/investigations/{id}/appeals", post(appeal))
        .route("/investigations/{id}/notice-decisions", post(notice_decision))
}

/// A link to a case, or its reference alone where the reader may not open it.
struct CaseRef {
    text: String,
    href: Option<String>,
}

struct VictimLine {
    case: CaseRef,
    linked_on: String,
}

/// A charge, decision, judgment or appeal of a suspect.
struct RecordLine {
    kind: String,
    facts: Vec<(String, String)>,
    /// The penalty-floor warnings of a charge (Dir 2011/36 Art 4).
    warnings: Vec<String>,
    /// Appealing the judgment (one that is not final).
    appeal: Option<FormView>,
}

struct SuspectLine {
    anchor: String,
    name: String,
    facts: Vec<(String, String)>,
    case: Option<CaseRef>,
    records: Vec<RecordLine>,
    forms: Vec<FormView>,
}

/// A non-punishment notice as the page shows it.
struct NoticeLine {
    suspect: String,
    text: String,
    facts: Vec<(String, String)>,
    open: bool,
    form: Option<FormView>,
}

#[derive(Template)]
#[template(path = "proceedings_investigation.html")]
struct InvestigationPage<'a> {
    ctx: PageCtx<'a>,
    facts: Vec<(String, String)>,
    offences: Vec<String>,
    places: Vec<String>,
    summary: String,
    /// That the investigation goes on after the withdrawal (Dir 2011/36 Art 9(1)).
    withdrawn: Option<String>,
    notices: Vec<NoticeLine>,
    victims: Vec<VictimLine>,
    suspects: Vec<SuspectLine>,
    forms: Vec<FormView>,
    may_write: bool,
    prosecutes: bool,
    sources: Vec<String>,
    /// Seizure and confiscation (Dir 2011/36 Art 7): the totals, when the user may read them.
    money: Option<MoneySection>,
    /// The victims in the proceedings: protection measures missing, limitation from majority.
    victim_notes: Vec<VictimNote>,
    limitation_warning: Option<String>,
    /// The pages of the money, the joint teams, the victims in the proceedings and the import.
    links: Vec<(String, String)>,
    check: FormProblem,
}

/// The assets of the investigation in short.
struct MoneySection {
    assets: Vec<String>,
    totals: Vec<(String, String)>,
    proceeds_to_compensation: String,
}

/// What the proceedings owe a linked victim: the protection measures missing and the limitation
/// warning.
struct VictimNote {
    case: CaseRef,
    missing: Vec<String>,
    limitation: Option<String>,
}

/// Euro cents as euros.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02} EUR", (cents / 100).abs(), (cents % 100).abs())
}

fn yes_no(tr: &Tr<'_>, v: bool) -> String {
    tr.t(if v { "proc-yes" } else { "proc-no" })
}

fn case_ref(tr: &Tr<'_>, readable: &HashMap<String, String>, case_id: &str) -> CaseRef {
    match readable.get(case_id) {
        Some(reference) => CaseRef { text: reference.clone(), href: Some(format!("/cases/{case_id}")) },
        None => CaseRef { text: tr.t("proc-case-not-yours"), href: None },
    }
}

/// The warnings of a charge in the reader's language.
pub(super) fn warning_lines(tr: &Tr<'_>, warnings: &[PenaltyWarning]) -> Vec<String> {
    warnings.iter().map(|w| tr.msg(&w.message)).collect()
}

/// The investigation page; `typed` and `check` fill the form that was posted again.
async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &Typed,
    check: FormProblem,
) -> PageResult {
    let view: InvestigationView = state.app.investigation(p, id).await?;
    let org_names = names(&organisations(state, p).await?);
    let readable: HashMap<String, String> = cases(state, p).await?.into_iter().collect();
    let ctx = PageCtx::new(state, Some(p), headers, "proc-investigation-title", "/investigations");
    let tr = ctx.tr;
    let inv = &view.investigation;
    let today = state.app.today().to_string();
    let base = format!("/investigations/{}", inv.id);
    let org = |id: &str| org_names.get(id).cloned().unwrap_or_else(|| id.to_owned());

    let mut facts = vec![
        (tr.t("proc-field-reference"), inv.reference.clone()),
        (tr.t("proc-status"), label(&tr, "investigation-status", inv.status)),
        (tr.t("proc-status-since"), inv.status_since.to_string()),
    ];
    if let Some(ground) = inv.closure {
        facts.push((tr.t("proc-field-closure"), label(&tr, "proc-closure", ground)));
    }
    facts.push((tr.t("proc-field-opened_on"), inv.opened_on.to_string()));
    facts.push((tr.t("proc-field-opening"), label(&tr, "proc-opening", inv.opening)));
    if let Some(report) = &inv.report {
        facts.push((tr.t("proc-field-reporter"), label(&tr, "proc-reporter", report.reporter)));
        facts.push((tr.t("proc-field-reported_on"), report.reported_on.to_string()));
        if let Some(on) = report.withdrawn_on {
            facts.push((tr.t("proc-field-withdrawn_on"), on.to_string()));
        }
    }
    facts.push((tr.t("proc-unit"), org(&inv.unit_organisation_id)));
    facts.push((
        tr.t("proc-field-prosecutor_organisation_id"),
        inv.prosecutor_organisation_id.as_deref().map(org).unwrap_or_else(|| tr.t("proc-not-given")),
    ));
    if let Some(from) = inv.acts_from {
        facts.push((tr.t("proc-field-acts_from"), from.to_string()));
    }
    if let Some(until) = inv.acts_until {
        facts.push((tr.t("proc-field-acts_until"), until.to_string()));
    }
    if !inv.other_countries.is_empty() {
        let list: Vec<String> = inv.other_countries.iter().map(|c| c.to_string()).collect();
        facts.push((tr.t("proc-field-other_countries"), list.join(", ")));
    }
    let offences = inv
        .offences
        .iter()
        .map(|o| {
            let forms: Vec<String> = o.forms.iter().map(|f| tr.t(&format!("form-{}", f.as_str()))).collect();
            format!("{}: {}. {}", label(&tr, "proc-offence", o.kind), forms.join(", "), o.national_provision)
        })
        .collect();
    let places =
        inv.places
            .iter()
            .map(|pl| {
                if pl.locality.is_empty() { pl.country.to_string() } else { format!("{}, {}", pl.locality, pl.country) }
            })
            .collect();
    let withdrawn = inv.report.as_ref().and_then(|r| r.withdrawn_on).map(|on| {
        tr.msg(
            &Message::new(MessageId::ProceedingsReportWithdrawnGoesOn)
                .with("date", on)
                .with("article", NO_DEPENDENCE_ON_REPORT),
        )
    });

    let actions = &view.actions;
    let case_options: Vec<(String, String)> = readable.iter().map(|(id, r)| (id.clone(), r.clone())).collect();
    let mut case_options = case_options;
    case_options.sort_by(|a, b| a.1.cmp(&b.1));
    let case_field = |b: &Builder<'_>, name: &str, blank: bool| {
        if case_options.is_empty() {
            let mut f = b.text(name, "");
            f.hint = tr.t("proc-case-id-hint");
            f
        } else {
            b.select(name, case_options.clone(), blank, "")
        }
    };

    // The notices first: the prosecutor decides on them before deciding to prosecute.
    let suspect_names: HashMap<&str, &str> =
        view.suspects.iter().map(|s| (s.suspect.id.as_str(), s.suspect.name.as_str())).collect();
    let mut notices = Vec::new();
    for s in &view.suspects {
        for n in &s.notices {
            let notice = &n.notice;
            let mut nfacts = vec![
                (tr.t("proc-raised-on"), notice.raised_on.to_string()),
                (tr.t("proc-raised-by"), label(&tr, "proc-notice-path", notice.path)),
            ];
            let form = match &notice.decision {
                Some(d) => {
                    nfacts.push((tr.t("proc-notice-decided"), label(&tr, "proc-notice-outcome", d.outcome)));
                    nfacts.push((tr.t("proc-field-reasons"), d.reasons.as_str().to_owned()));
                    nfacts.push((tr.t("proc-decided-on"), d.decided_on.to_string()));
                    None
                }
                None if actions.prosecute => {
                    let b = Builder::new(tr, format!("notice-{}", notice.id), typed, &check);
                    let mut f = b.form(
                        format!("{base}/notice-decisions"),
                        "proc-decide-notice",
                        vec![
                            b.select("outcome", options::<NoticeOutcome>(&tr, "proc-notice-outcome"), true, ""),
                            b.textarea("reasons"),
                        ],
                    );
                    f.hidden.push(("notice_id".into(), notice.id.clone()));
                    f.prominent = true;
                    Some(f)
                }
                None => None,
            };
            notices.push(NoticeLine {
                suspect: suspect_names.get(notice.suspect_id.as_str()).map(|n| (*n).to_owned()).unwrap_or_default(),
                text: tr.msg(&n.message),
                facts: nfacts,
                open: notice.is_open(),
                form,
            });
        }
    }

    let victims = inv
        .victims
        .iter()
        .map(|v| VictimLine { case: case_ref(&tr, &readable, &v.case_id), linked_on: v.linked_on.to_string() })
        .collect();

    let offence_options: Vec<(String, String)> =
        inv.offences.iter().map(|o| (o.kind.code().to_owned(), label(&tr, "proc-offence", o.kind))).collect();
    let mut suspects = Vec::new();
    for sv in &view.suspects {
        let s = &sv.suspect;
        let mut sfacts = vec![(tr.t("proc-field-kind"), label(&tr, "proc-person-kind", s.kind))];
        let roles: Vec<String> = s.roles.iter().map(|r| label(&tr, "proc-role", *r)).collect();
        sfacts.push((tr.t("proc-field-roles"), roles.join(", ")));
        sfacts.push((tr.t("proc-field-criminal_organisation"), yes_no(&tr, s.criminal_organisation)));
        if s.kind == PersonKind::Natural {
            sfacts.push((tr.t("proc-field-public_official"), yes_no(&tr, s.public_official)));
        }
        if let Some(c) = s.citizenship {
            sfacts.push((tr.t("proc-field-citizenship"), c.to_string()));
        }
        if let Some(sex) = s.sex {
            sfacts.push((tr.t("proc-field-sex"), label(&tr, "sex", sex)));
        }
        if let Some(a) = s.age_group {
            sfacts.push((tr.t("proc-field-age_group"), label(&tr, "age-group", a)));
        }
        if let Some(l) = s.liability {
            sfacts.push((tr.t("proc-field-liability"), label(&tr, "proc-liability", l)));
        }
        let mut records = Vec::new();
        let mut prosecuted = false;
        let mut charged = false;
        // Charges, then decisions, judgments and appeals, each in the order recorded.
        let rank = |r: &SuspectRecord| match r {
            SuspectRecord::Charge { .. } => 0,
            SuspectRecord::ProsecutionDecision { .. } => 1,
            SuspectRecord::Judgment { .. } => 2,
            SuspectRecord::Appeal { .. } => 3,
        };
        let mut ordered: Vec<&SuspectRecord> = sv.records.iter().collect();
        ordered.sort_by_key(|r| rank(r));
        for r in ordered {
            records.push(match r {
                SuspectRecord::Charge { charge, warnings } => {
                    charged = true;
                    let circumstances: Vec<String> =
                        charge.circumstances.iter().map(|c| label(&tr, "circumstance", *c)).collect();
                    let mut f = vec![
                        (tr.t("proc-field-offence"), label(&tr, "proc-offence", charge.offence)),
                        (tr.t("proc-field-national_provision"), charge.national_provision.clone()),
                        (tr.t("proc-field-charged_on"), charge.charged_on.to_string()),
                    ];
                    if !circumstances.is_empty() {
                        f.push((tr.t("proc-field-circumstances"), circumstances.join("; ")));
                    }
                    RecordLine {
                        kind: tr.t("proc-record-charge"),
                        facts: f,
                        warnings: warning_lines(&tr, warnings),
                        appeal: None,
                    }
                }
                SuspectRecord::ProsecutionDecision { decision } => {
                    prosecuted |= decision.outcome.prosecutes();
                    let mut f = vec![
                        (tr.t("proc-field-outcome"), label(&tr, "proc-prosecution", decision.outcome)),
                        (tr.t("proc-decided-on"), decision.decided_on.to_string()),
                    ];
                    if let Some(reasons) = &decision.reasons {
                        f.push((tr.t("proc-field-reasons"), reasons.as_str().to_owned()));
                    }
                    RecordLine { kind: tr.t("proc-record-decision"), facts: f, warnings: vec![], appeal: None }
                }
                SuspectRecord::Judgment { judgment } => {
                    let mut f = vec![
                        (tr.t("proc-field-court"), judgment.court.clone()),
                        (tr.t("proc-field-instance"), label(&tr, "proc-instance", judgment.instance)),
                        (tr.t("proc-field-verdict"), label(&tr, "proc-verdict", judgment.verdict)),
                        (tr.t("proc-field-judged_on"), judgment.judged_on.to_string()),
                    ];
                    if let Some(sentence) = judgment.sentence {
                        f.push((tr.t("proc-field-custody_months"), sentence.custody_months.to_string()));
                        f.push((tr.t("proc-field-suspended"), yes_no(&tr, sentence.suspended)));
                    }
                    f.push((tr.t("proc-field-is_final"), yes_no(&tr, judgment.is_final)));
                    let appeal = (actions.write && !judgment.is_final).then(|| {
                        let b = Builder::new(tr, format!("appeal-{}", judgment.id), typed, &check);
                        let mut form = b.form(
                            format!("{base}/appeals"),
                            "proc-lodge-appeal",
                            vec![
                                b.select("appellant", options::<Appellant>(&tr, "proc-appellant"), true, ""),
                                b.date("lodged_on", &today),
                            ],
                        );
                        form.hidden.push(("judgment_id".into(), judgment.id.clone()));
                        form
                    });
                    RecordLine { kind: tr.t("proc-record-judgment"), facts: f, warnings: vec![], appeal }
                }
                SuspectRecord::Appeal { appeal } => RecordLine {
                    kind: tr.t("proc-record-appeal"),
                    facts: vec![
                        (tr.t("proc-field-appellant"), label(&tr, "proc-appellant", appeal.appellant)),
                        (tr.t("proc-field-lodged_on"), appeal.lodged_on.to_string()),
                    ],
                    warnings: vec![],
                    appeal: None,
                },
            });
        }
        let mut forms = Vec::new();
        let hidden = |mut f: FormView| {
            f.hidden.push(("suspect_id".into(), s.id.clone()));
            f
        };
        if actions.write {
            if s.case_id.is_none() && s.kind == PersonKind::Natural {
                let b = Builder::new(tr, format!("link-{}", s.id), typed, &check);
                let mut f = case_field(&b, "case_id", false);
                f.hint = tr.t("proc-suspect-case-hint");
                forms.push(hidden(b.form(format!("{base}/suspect-links"), "proc-link-suspect", vec![f])));
            }
            let b = Builder::new(tr, format!("charge-{}", s.id), typed, &check);
            forms.push(hidden(b.form(
                format!("{base}/charges"),
                "proc-add-charge",
                vec![
                    b.select("offence", offence_options.clone(), false, ""),
                    b.text("national_provision", ""),
                    b.multi("circumstances", options::<Circumstance>(&tr, "circumstance")),
                    b.date("charged_on", &today),
                ],
            )));
        }
        if actions.prosecute && charged {
            let b = Builder::new(tr, format!("decision-{}", s.id), typed, &check);
            forms.push(hidden(b.form(
                format!("{base}/prosecution-decisions"),
                "proc-decide-prosecution",
                vec![
                    b.select("outcome", options::<ProsecutionOutcome>(&tr, "proc-prosecution"), true, ""),
                    b.textarea("reasons"),
                ],
            )));
        }
        if actions.write && prosecuted {
            let b = Builder::new(tr, format!("judgment-{}", s.id), typed, &check);
            let mut months = b.number("custody_months");
            months.hint = tr.t("proc-custody-hint");
            forms.push(hidden(b.form(
                format!("{base}/judgments"),
                "proc-record-judgment-form",
                vec![
                    b.text("court", ""),
                    b.select("instance", options::<Instance>(&tr, "proc-instance"), false, "first"),
                    b.select("verdict", options::<Verdict>(&tr, "proc-verdict"), true, ""),
                    b.date("judged_on", &today),
                    months,
                    b.check("suspended"),
                    b.check("is_final"),
                ],
            )));
        }
        suspects.push(SuspectLine {
            anchor: format!("suspect-{}", s.id),
            name: s.name.clone(),
            facts: sfacts,
            case: s.case_id.as_deref().map(|c| case_ref(&tr, &readable, c)),
            records,
            forms,
        });
    }

    let mut forms = Vec::new();
    if actions.write {
        let b = Builder::new(tr, "status", typed, &check);
        let next: Vec<(String, String)> =
            inv.status.next().iter().map(|s| (s.code().to_owned(), label(&tr, "investigation-status", *s))).collect();
        let mut closure = b.select("closure", options::<ClosureGround>(&tr, "proc-closure"), true, "");
        closure.hint = tr.t("proc-closure-hint");
        forms.push(b.form(
            format!("{base}/status"),
            "proc-change-status",
            vec![b.select("status", next, false, ""), closure],
        ));
        if inv.report.as_ref().is_some_and(|r| r.withdrawn_on.is_none()) {
            let b = Builder::new(tr, "withdrawal", typed, &check);
            let mut on = b.date("withdrawn_on", &today);
            on.hint = tr.t("proc-withdrawal-hint");
            forms.push(b.form(format!("{base}/report-withdrawal"), "proc-record-withdrawal", vec![on]));
        }
        let b = Builder::new(tr, "victim", typed, &check);
        forms.push(b.form(format!("{base}/victims"), "proc-link-victim", vec![case_field(&b, "case_id", false)]));
        let b = Builder::new(tr, "suspect", typed, &check);
        let mut case = case_field(&b, "case_id", true);
        case.hint = tr.t("proc-suspect-case-hint");
        forms.push(b.form(
            format!("{base}/suspects"),
            "proc-add-suspect",
            vec![
                b.select("kind", options::<PersonKind>(&tr, "proc-person-kind"), false, "natural"),
                b.text("name", ""),
                case,
                b.multi("roles", options::<ChainRole>(&tr, "proc-role")),
                b.check("criminal_organisation"),
                b.check("public_official"),
                b.text("citizenship", ""),
                b.select("sex", options::<Sex>(&tr, "sex"), true, ""),
                b.select("age_group", options::<AgeGroup>(&tr, "age-group"), true, ""),
                b.select("liability", options::<LegalLiability>(&tr, "proc-liability"), true, ""),
            ],
        ));
    }

    // The money and the victims' part, where the user may read them (the same access rule).
    let money = match state.app.assets(p, id).await {
        Ok(a) => Some(MoneySection {
            assets: a
                .assets
                .iter()
                .map(|v| format!("{}: {}", label(&tr, "asset-kind", v.asset.kind), v.asset.description.as_str()))
                .collect(),
            totals: [
                ("frozen", a.totals.frozen),
                ("seized", a.totals.seized),
                ("confiscated", a.totals.confiscated),
                ("realised", a.totals.realised),
                ("allocated", a.totals.allocated),
                ("paid_out", a.totals.paid_out),
            ]
            .into_iter()
            .map(|(k, v)| (tr.t(&format!("proc-total-{k}")), euros(v)))
            .collect(),
            proceeds_to_compensation: yes_no(&tr, a.proceeds_to_compensation),
        }),
        Err(AppError::Forbidden | AppError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let (victim_notes, limitation_warning) = match state.app.victims_in_proceedings(p, id).await {
        Ok(v) => (
            v.victims
                .iter()
                .map(|victim| VictimNote {
                    case: case_ref(&tr, &readable, &victim.case_id),
                    missing: victim.protection.missing.iter().map(|m| tr.msg(&m.message)).collect(),
                    limitation: victim.limitation.as_ref().and_then(|l| l.message.as_ref()).map(|m| tr.msg(m)),
                })
                .collect(),
            v.limitation_warning.as_ref().map(|w| tr.msg(&w.message)),
        ),
        Err(AppError::Forbidden | AppError::NotFound) => (Vec::new(), None),
        Err(e) => return Err(e.into()),
    };

    let mut links = Vec::new();
    if money.is_some() {
        links.push((format!("{base}/money"), tr.t("pp-money-title")));
        links.push((format!("{base}/joint-teams"), tr.t("pp-teams-title")));
        links.push((format!("{base}/victims-in-proceedings"), tr.t("victims-proceedings-title")));
    }
    if actions.write {
        links.push((format!("{base}/suspects/import"), tr.t("pp-import-title")));
    }
    let status = check.status();
    let page = InvestigationPage {
        links,
        money,
        victim_notes,
        limitation_warning,
        facts,
        offences,
        places,
        summary: inv.summary.as_str().to_owned(),
        withdrawn,
        notices,
        victims,
        suspects,
        forms,
        may_write: actions.write,
        prosecutes: actions.prosecute,
        sources: view.practice_sources.clone(),
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

/// This page, for [`super::show`] and [`super::save`].
pub(super) struct Investigation;

impl super::FormPage for Investigation {
    const PATH: &'static str = "";

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

    fn problem(tr: &Tr<'_>, key: &str, error: AppError) -> Result<FormProblem, AppError> {
        let place = |field: &str| {
            let inner = field.rsplit('.').next().unwrap_or(field);
            format!("{key}-{}", inner.split('[').next().unwrap_or(inner))
        };
        FormProblem::of(tr, error, place, |tr, _, field| super::label(tr, field))
    }
}

type Form = PageForm<IgnoredAny>;

async fn status(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let result = state.app.change_investigation_status(&p, &id, &one(f, "status"), &one(f, "closure")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, "status", f, result).await
}

async fn withdrawal(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let result = state.app.record_report_withdrawal(&p, &id, &one(f, "withdrawn_on")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, "withdrawal", f, result).await
}

async fn victim(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let result = state.app.link_victim(&p, &id, &one(f, "case_id")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, "victim", f, result).await
}

async fn suspect(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = SuspectInput {
        kind: one(f, "kind"),
        name: one(f, "name"),
        case_id: one(f, "case_id"),
        roles: all(f, "roles"),
        criminal_organisation: ticked(f, "criminal_organisation"),
        public_official: ticked(f, "public_official"),
        citizenship: one(f, "citizenship"),
        sex: one(f, "sex"),
        age_group: one(f, "age_group"),
        liability: one(f, "liability"),
    };
    let result = state.app.add_suspect(&p, &id, &input).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, "suspect", f, result).await
}

async fn suspect_link(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let suspect = one(f, "suspect_id");
    let result = state.app.link_suspect_case(&p, &id, &suspect, &one(f, "case_id")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, &format!("link-{suspect}"), f, result).await
}

async fn charge(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let suspect = one(f, "suspect_id");
    let input = ChargeInput {
        offence: one(f, "offence"),
        national_provision: one(f, "national_provision"),
        circumstances: all(f, "circumstances"),
        charged_on: one(f, "charged_on"),
    };
    let result = state.app.add_charge(&p, &id, &suspect, &input).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, &format!("charge-{suspect}"), f, result).await
}

async fn decision(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let suspect = one(f, "suspect_id");
    let result = state.app.decide_prosecution(&p, &id, &suspect, &one(f, "outcome"), &one(f, "reasons")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, &format!("decision-{suspect}"), f, result).await
}

async fn judgment(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let suspect = one(f, "suspect_id");
    let input = JudgmentInput {
        court: one(f, "court"),
        instance: one(f, "instance"),
        verdict: one(f, "verdict"),
        judged_on: one(f, "judged_on"),
        custody_months: one(f, "custody_months"),
        suspended: ticked(f, "suspended"),
        is_final: ticked(f, "is_final"),
    };
    let result = state.app.record_judgment(&p, &id, &suspect, &input).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, &format!("judgment-{suspect}"), f, result).await
}

async fn appeal(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let judgment = one(f, "judgment_id");
    let result = state.app.lodge_appeal(&p, &id, &judgment, &one(f, "appellant"), &one(f, "lodged_on")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, &format!("appeal-{judgment}"), f, result).await
}

async fn notice_decision(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let notice = one(f, "notice_id");
    let result = state.app.decide_notice(&p, &id, &notice, &one(f, "outcome"), &one(f, "reasons")).await;
    super::save::<Investigation, _>(&state, &p, &headers, &id, &format!("notice-{notice}"), f, result).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use haven_domain::Language;
    use haven_domain::proceedings::charge::Circumstance;
    use haven_domain::proceedings::penalty::{AGGRAVATED_FLOOR_YEARS, BASIC_FLOOR_YEARS};

    /// A national maximum below the floors of Dir 2011/36 Art 4(1) and 4(2) is shown on the
    /// charge in the reader's language, the floor and the national maximum named.
    #[test]
    fn art_4_dir_a_maximum_below_the_floor_is_shown_as_a_warning_in_both_languages() {
        let i18n = I18n::load().unwrap();
        let warnings = vec![
            PenaltyWarning {
                article: "Dir 2011/36 Art 4(1)",
                floor_years: BASIC_FLOOR_YEARS,
                national_years: 3,
                circumstance: None,
                message: Message::new(MessageId::ProceedingsPenaltyBelowBasicFloor)
                    .with("provision", "s. 1")
                    .with("years", 3)
                    .with("floor", BASIC_FLOOR_YEARS),
            },
            PenaltyWarning {
                article: "Dir 2011/36 Art 4(2)",
                floor_years: AGGRAVATED_FLOOR_YEARS,
                national_years: 8,
                circumstance: Some(Circumstance::ChildVictim),
                message: Message::new(MessageId::ProceedingsPenaltyBelowAggravatedFloor)
                    .with("provision", "s. 1")
                    .with("years", 8)
                    .with("floor", AGGRAVATED_FLOOR_YEARS)
                    .labels("circumstance", "circumstance", [Circumstance::ChildVictim.code()]),
            },
        ];
        let en = warning_lines(&i18n.tr(Language::English), &warnings);
        assert!(en[0].contains("Art 4(1)") && en[0].contains(" 3 ") && en[0].contains(" 5 "), "{en:?}");
        assert!(en[1].contains("a child victim") && en[1].contains(" 10 "), "{en:?}");
        let lv = warning_lines(&i18n.tr(Language::Latvian), &warnings);
        assert!(lv[0].contains("4. panta 1. punkts") && lv[1].contains("bērns"), "{lv:?}");
    }
}
