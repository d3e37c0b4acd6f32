//! Pages of typed support records (`/cases/{case}/support/{child,compensation,return}`):
//! children's protection, compensation, safe return.
//!
//! Each page lists the records of its part and carries the forms that add and change them. Every
//! form posts to the page's own path with an `action` field (`add:KIND` or `change:ACTION`, with
//! `record` and `version` for a change); the fields go through the same parsing as the JSON API,
//! and an error comes back on the page, next to the field, with the values typed kept.

use crate::AppState;
use crate::api_assist_records::{parse_change, parse_new_record};
use crate::error::WebError;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, coded_choices, label_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use haven_app::assist_records::{ReturnBlockReason, SupportRecordsView};
use haven_app::{AppError, Principal};
use haven_domain::assist::child::{
    Accompaniment, AppointmentNeed, BestInterestsFactor, DurableSolutionKind, GuardianKind, RepresentativeRole,
};
use haven_domain::assist::compensation::{ClaimKind, CurrencyCode, Payer};
use haven_domain::assist::safe_return::{
    ContactRole, FamilySafety, ReturnStatus, RiskLevel, ServiceAvailability, TransnationalReferralStatus,
};
use haven_domain::ident::record::ChildStatus;
use haven_domain::{Coded, Message, MessageId, ParseError};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/support/child", get(child_page).post(child_post))
        .route("/cases/{case}/support/compensation", get(compensation_page).post(compensation_post))
        .route("/cases/{case}/support/return", get(return_page).post(return_post))
}

/// The three pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Child,
    Compensation,
    Return,
}

impl Part {
    fn slug(self) -> &'static str {
        match self {
            Part::Child => "child",
            Part::Compensation => "compensation",
            Part::Return => "return",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Part::Child => "rec-title-child",
            Part::Compensation => "rec-title-compensation",
            Part::Return => "rec-title-return",
        }
    }
}

/// Form fields that carry a list: one value a line (text areas) or repeated (checkboxes).
const LINE_LISTS: &[&str] = &["interviewer_ids", "confiscated_assets"];
const REPEATED_LISTS: &[&str] = &["factors"];
/// Form fields that are not the record's.
const CONTROL_FIELDS: &[&str] = &["csrf", "action", "record", "version"];

// ---------------------------------------------------------------------------------------------
// Forms as data, rendered by one partial (support_form.html)
// ---------------------------------------------------------------------------------------------

/// One field of a form.
pub struct FieldView {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub hint: String,
    /// text, date, number, textarea, select, checkboxes, check
    pub kind: &'static str,
    pub value: String,
    pub choices: Vec<Choice>,
    pub required: bool,
    pub error: Option<String>,
}

/// A form that adds or changes a record.
pub struct FormView {
    pub id: String,
    pub action: String,
    pub record: String,
    pub version: i64,
    pub legend: String,
    pub hint: String,
    pub fields: Vec<FieldView>,
    pub submit: String,
    /// An error of this form that no field of it shows.
    pub error: Option<String>,
    pub open: bool,
}

/// Builds forms in the user's language.
struct Forms<'a> {
    tr: Tr<'a>,
    today: String,
}

impl Forms<'_> {
    fn form(&self, id: String, action: &str, legend: &str, submit: &str) -> FormView {
        FormView {
            id,
            action: action.to_owned(),
            record: String::new(),
            version: 0,
            legend: self.tr.t(legend),
            hint: String::new(),
            fields: Vec::new(),
            submit: self.tr.t(submit),
            error: None,
            open: false,
        }
    }

    fn field(&self, form: &FormView, name: &'static str, kind: &'static str, label: &str) -> FieldView {
        FieldView {
            name,
            id: format!("{}-{name}", form.id),
            label: self.tr.t(label),
            hint: String::new(),
            kind,
            value: String::new(),
            choices: Vec::new(),
            required: false,
            error: None,
        }
    }

    fn add(&self, form: &mut FormView, name: &'static str, kind: &'static str, required: bool) {
        let mut f = self.field(form, name, kind, &format!("rec-field-{name}"));
        f.required = required;
        if kind == "date" && required {
            f.value = self.today.clone();
        }
        if kind == "textarea" && LINE_LISTS.contains(&name) {
            f.hint = self.tr.t("rec-hint-one-per-line");
        }
        form.fields.push(f);
    }

    fn add_labelled(&self, form: &mut FormView, name: &'static str, kind: &'static str, label: &str, required: bool) {
        let mut f = self.field(form, name, kind, label);
        f.required = required;
        if kind == "date" && required {
            f.value = self.today.clone();
        }
        form.fields.push(f);
    }

    fn select(&self, form: &mut FormView, name: &'static str, label: &str, choices: Vec<Choice>, required: bool) {
        let mut f = self.field(form, name, "select", label);
        f.required = required;
        f.choices = choices;
        form.fields.push(f);
    }

    fn coded<C: Coded>(&self, form: &mut FormView, name: &'static str, prefix: &str, required: bool) {
        let choices = self.blank().into_iter().chain(coded_choices::<C>(&self.tr, prefix, &[])).collect();
        self.select(form, name, &format!("rec-field-{name}"), choices, required);
    }

    fn blank(&self) -> Vec<Choice> {
        vec![Choice { value: String::new(), label: self.tr.t("choose"), selected: true }]
    }

    /// yes/no, required.
    fn yes_no(&self, form: &mut FormView, name: &'static str) {
        let choices = vec![
            Choice { value: String::new(), label: self.tr.t("choose"), selected: true },
            Choice { value: "yes".into(), label: self.tr.t("yes"), selected: false },
            Choice { value: "no".into(), label: self.tr.t("no"), selected: false },
        ];
        self.select(form, name, &format!("rec-field-{name}"), choices, true);
    }

    fn hint(&self, form: &mut FormView, id: &str) {
        form.hint = self.tr.t(id);
    }
}

/// The form's fields take the values typed; the error goes next to its field, or at the top of
/// the form when no field of it is at fault.
fn apply_failure(form: &mut FormView, pairs: &FormPairs, field: &str, message: &str) {
    form.open = true;
    for f in &mut form.fields {
        match f.kind {
            "checkboxes" => {
                let chosen = pairs.all(f.name);
                for c in &mut f.choices {
                    c.selected = chosen.contains(&c.value);
                }
            }
            "select" => {
                let value = pairs.get(f.name).unwrap_or_default();
                for c in &mut f.choices {
                    c.selected = c.value == value;
                }
            }
            _ => f.value = pairs.get(f.name).unwrap_or_default().to_owned(),
        }
    }
    let base = field.split_once('.').map_or(field, |(_, rest)| rest);
    let base = base.split(['[', '.']).next().unwrap_or_default();
    match form.fields.iter_mut().find(|f| !base.is_empty() && f.name == base) {
        Some(f) => f.error = Some(message.to_owned()),
        None => form.error = Some(message.to_owned()),
    }
}

// ---------------------------------------------------------------------------------------------
// Records as data
// ---------------------------------------------------------------------------------------------

/// One record as a card: a title, its status, facts, warnings and the forms that change it.
pub struct ItemView {
    pub id: String,
    pub title: String,
    pub status: String,
    pub facts: Vec<(String, String)>,
    pub warnings: Vec<String>,
    pub forms: Vec<FormView>,
}

/// A part of a page: what the rules find, the records, and the form that adds one.
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub hint: String,
    /// Statements of what the rules require or find (shown as notices).
    pub findings: Vec<String>,
    /// Statements that need action (shown as warnings).
    pub warnings: Vec<String>,
    pub items: Vec<ItemView>,
    pub empty: String,
    pub forms: Vec<FormView>,
}

impl SectionView {
    fn new(tr: &Tr<'_>, id: &str, title: &str, empty: &str) -> Self {
        SectionView {
            id: id.to_owned(),
            title: tr.t(title),
            hint: String::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
            items: Vec::new(),
            empty: tr.t(empty),
            forms: Vec::new(),
        }
    }
}

fn yes_no(tr: &Tr<'_>, v: bool) -> String {
    tr.t(if v { "yes" } else { "no" })
}

/// The number of minor units of a currency (ISO 4217): 2 unless listed.
fn exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// An amount in minor units, written in major units with the currency (`1234.50 EUR`).
pub fn money(amount: i64, currency: CurrencyCode) -> String {
    let e = exponent(currency.as_str());
    let sign = if amount < 0 { "-" } else { "" };
    let a = amount.unsigned_abs();
    if e == 0 {
        return format!("{sign}{a} {currency}");
    }
    let div = 10u64.pow(e);
    format!("{sign}{}.{:0width$} {currency}", a / div, a % div, width = e as usize)
}

fn need_statements(tr: &Tr<'_>, need: &AppointmentNeed, what: &str, section: &mut SectionView) {
    if !need.required {
        section.findings.push(tr.t(&format!("rec-{what}-not-required")));
        return;
    }
    let grounds: Vec<String> =
        need.grounds.iter().map(|(g, article)| format!("{} ({article})", label_of(tr, "rec-ground", *g))).collect();
    let text = format!("{} {}", tr.t(&format!("rec-{what}-required")), grounds.join("; "));
    if need.missing {
        section.warnings.push(format!("{text}. {}", tr.t(&format!("rec-{what}-missing"))));
    } else {
        section.findings.push(format!("{text}. {}", tr.t(&format!("rec-{what}-appointed"))));
    }
}

// ---------------------------------------------------------------------------------------------
// The children's page
// ---------------------------------------------------------------------------------------------

fn child_sections(tr: &Tr<'_>, f: &Forms<'_>, v: &SupportRecordsView) -> Vec<SectionView> {
    let adult = v.child_status == ChildStatus::Adult;
    let mut sections = Vec::new();

    // Guardians and circumstances.
    let mut s = SectionView::new(tr, "guardians", "rec-section-guardians", "rec-none-guardians");
    s.hint = tr.t("rec-hint-guardians");
    let given = v.circumstances.as_ref().map(|c| c.record).unwrap_or_default();
    s.findings.push(format!(
        "{}: {} · {}: {}",
        tr.t("rec-field-parental_conflict_of_interest"),
        yes_no(tr, given.parental_conflict_of_interest),
        tr.t("rec-field-unaccompanied"),
        yes_no(tr, given.unaccompanied)
    ));
    need_statements(tr, &v.guardian_need, "guardian", &mut s);
    if let Some(g) = &v.registration_guardian {
        s.items.push(ItemView {
            id: "registration-guardian".into(),
            title: g.name.clone(),
            status: tr.t("rec-from-registration"),
            facts: vec![
                (tr.t("rec-field-appointed_on"), g.appointed_on.to_string()),
                (tr.t("rec-field-organisation"), g.organisation.clone().unwrap_or_default()),
            ],
            warnings: vec![],
            forms: vec![],
        });
    }
    for g in &v.guardians {
        s.items.push(ItemView {
            id: format!("record-{}", g.id),
            title: g.record.name.clone(),
            status: label_of(tr, "rec-guardian-kind", g.record.kind),
            facts: vec![
                (tr.t("rec-field-appointed_on"), g.record.appointed_on.to_string()),
                (tr.t("rec-field-organisation"), g.record.organisation.clone().unwrap_or_default()),
            ],
            warnings: vec![],
            forms: vec![],
        });
    }
    if !adult {
        let mut c =
            f.form("add-child_circumstances".into(), "add:child_circumstances", "rec-form-circumstances", "save");
        f.hint(&mut c, "rec-hint-circumstances");
        for name in ["parental_conflict_of_interest", "unaccompanied"] {
            let mut field = f.field(&c, name, "check", &format!("rec-field-{name}"));
            let on = if name == "unaccompanied" { given.unaccompanied } else { given.parental_conflict_of_interest };
            field.value = if on { "yes".into() } else { String::new() };
            c.fields.push(field);
        }
        s.forms.push(c);
        let mut g = f.form("add-guardian".into(), "add:guardian", "rec-form-guardian", "rec-add");
        f.add(&mut g, "appointed_on", "date", true);
        f.add(&mut g, "name", "text", true);
        f.add(&mut g, "organisation", "text", false);
        f.select(
            &mut g,
            "kind",
            "rec-field-guardian_kind",
            coded_choices::<GuardianKind>(tr, "rec-guardian-kind", &["guardian"]),
            true,
        );
        s.forms.push(g);
    }
    sections.push(s);

    // Representatives in proceedings.
    let mut s = SectionView::new(tr, "representatives", "rec-section-representatives", "rec-none-representatives");
    s.hint = tr.t("rec-hint-representatives");
    need_statements(tr, &v.representative_need, "representative", &mut s);
    for r in &v.representatives {
        s.items.push(ItemView {
            id: format!("record-{}", r.id),
            title: r.record.name.clone(),
            status: label_of(tr, "rec-rep-role", r.record.role),
            facts: vec![
                (tr.t("rec-field-appointed_on"), r.record.appointed_on.to_string()),
                (tr.t("rec-field-free_legal_counselling"), yes_no(tr, r.record.free_legal_counselling)),
            ],
            warnings: vec![],
            forms: vec![],
        });
    }
    if !adult {
        let mut r = f.form("add-representative".into(), "add:representative", "rec-form-representative", "rec-add");
        f.add(&mut r, "appointed_on", "date", true);
        f.add(&mut r, "name", "text", true);
        f.coded::<RepresentativeRole>(&mut r, "role", "rec-rep-role", true);
        f.yes_no(&mut r, "free_legal_counselling");
        s.forms.push(r);
    }
    sections.push(s);

    // Interviews.
    let mut s = SectionView::new(tr, "interviews", "rec-section-interviews", "rec-none-interviews");
    s.hint = tr
        .t("rec-hint-interviews")
        .replace("%DAYS%", &v.interview_rules.delay_limit_days.to_string())
        .replace("%MAX%", &v.interview_rules.max_interviews.to_string());
    if !v.interviews.is_empty() {
        if v.interview_concerns.is_empty() {
            s.findings.push(tr.t("rec-interviews-no-concerns"));
        } else {
            s.warnings.push(tr.t1("rec-interviews-concerns", "count", &v.interview_concerns.len().to_string()));
        }
    }
    for (n, i) in v.interviews.iter().enumerate() {
        let r = &i.record;
        let warnings = v
            .interview_concerns
            .iter()
            .filter(|c| c.record_id == i.id)
            .map(|c| format!("{} ({})", label_of(tr, "rec-concern", c.kind), c.article))
            .collect();
        s.items.push(ItemView {
            id: format!("record-{}", i.id),
            title: format!("{} {} · {}", tr.t("rec-interview"), n + 1, r.interviewed_on),
            status: label_of(tr, "rec-accompanied", r.accompanied_by),
            facts: vec![
                (tr.t("rec-field-facts_reported_on"), r.facts_reported_on.to_string()),
                (tr.t("rec-field-premises_adapted"), yes_no(tr, r.premises_adapted)),
                (
                    tr.t("rec-field-conducted_by_trained_professionals"),
                    yes_no(tr, r.conducted_by_trained_professionals),
                ),
                (tr.t("rec-field-interviewer_ids"), r.interviewer_ids.iter().cloned().collect::<Vec<_>>().join(", ")),
                (tr.t("rec-field-no_accompaniment_reason"), r.no_accompaniment_reason.clone().unwrap_or_default()),
                (tr.t("rec-field-video_recorded"), yes_no(tr, r.video_recorded)),
                (tr.t("rec-field-purpose"), r.purpose.clone()),
            ],
            warnings,
            forms: vec![],
        });
    }
    if !adult {
        let mut i = f.form("add-interview".into(), "add:interview", "rec-form-interview", "rec-add");
        f.add(&mut i, "interviewed_on", "date", true);
        f.add(&mut i, "facts_reported_on", "date", true);
        f.yes_no(&mut i, "premises_adapted");
        f.yes_no(&mut i, "conducted_by_trained_professionals");
        f.add(&mut i, "interviewer_ids", "textarea", true);
        f.coded::<Accompaniment>(&mut i, "accompanied_by", "rec-accompanied", true);
        f.add(&mut i, "no_accompaniment_reason", "text", false);
        f.yes_no(&mut i, "video_recorded");
        f.add(&mut i, "purpose", "text", true);
        s.forms.push(i);
    }
    sections.push(s);

    // Best-interests determinations.
    let mut s = SectionView::new(tr, "determinations", "rec-section-determinations", "rec-none-determinations");
    s.hint = tr.t("rec-hint-determinations");
    for d in &v.determinations {
        let r = &d.record;
        let factors: Vec<String> = r.factors.iter().map(|x| label_of(tr, "rec-factor", *x)).collect();
        s.items.push(ItemView {
            id: format!("record-{}", d.id),
            title: format!("{} · {}", r.decided_on, r.decided_by),
            status: return_finding(tr, r.return_in_best_interests),
            facts: vec![
                (tr.t("rec-record-id"), d.id.clone()),
                (tr.t("rec-field-child_heard"), yes_no(tr, r.child_heard)),
                (tr.t("rec-field-child_views_summary"), r.child_views_summary.clone()),
                (tr.t("rec-field-factors"), factors.join(", ")),
                (tr.t("rec-field-outcome"), r.outcome.as_str().to_owned()),
            ],
            warnings: vec![],
            forms: vec![],
        });
    }
    if !adult {
        let mut d = f.form("add-best_interests".into(), "add:best_interests", "rec-form-determination", "rec-add");
        f.add(&mut d, "decided_on", "date", true);
        f.add(&mut d, "decided_by", "text", true);
        f.yes_no(&mut d, "child_heard");
        f.add(&mut d, "child_views_summary", "textarea", true);
        let mut factors = f.field(&d, "factors", "checkboxes", "rec-field-factors");
        factors.choices = coded_choices::<BestInterestsFactor>(tr, "rec-factor", &[]);
        d.fields.push(factors);
        f.add(&mut d, "outcome", "textarea", true);
        let choices = vec![
            Choice { value: String::new(), label: tr.t("rec-return-not-said"), selected: true },
            Choice { value: "yes".into(), label: tr.t("yes"), selected: false },
            Choice { value: "no".into(), label: tr.t("no"), selected: false },
        ];
        f.select(&mut d, "return_in_best_interests", "rec-field-return_in_best_interests", choices, false);
        s.forms.push(d);
    }
    sections.push(s);

    // Durable solutions.
    let mut s = SectionView::new(tr, "durable-solutions", "rec-section-durable", "rec-none-durable");
    s.hint = tr.t("rec-hint-durable");
    for d in &v.durable_solutions {
        let r = &d.record.record;
        let basis = v
            .determinations
            .iter()
            .find(|b| b.id == r.based_on().to_string())
            .map_or_else(|| r.based_on().to_string(), |b| format!("{} · {}", b.record.decided_on, b.record.decided_by));
        let mut facts =
            vec![(tr.t("rec-field-based_on"), basis), (tr.t("rec-field-proposed_on"), r.proposed_on().to_string())];
        for (label, date) in [
            ("rec-agreed-on", r.agreed_on()),
            ("rec-implemented-on", r.implemented_on()),
            ("rec-abandoned-on", r.abandoned_on()),
        ] {
            if let Some(date) = date {
                facts.push((tr.t(label), date.to_string()));
            }
        }
        let mut forms = Vec::new();
        if !d.next.is_empty() {
            let mut t = f.form(
                format!("change-{}-transition", d.record.id),
                "change:transition",
                "rec-form-transition",
                "rec-change",
            );
            t.record = d.record.id.clone();
            t.version = d.record.version;
            let choices: Vec<Choice> = d
                .next
                .iter()
                .map(|x| Choice {
                    value: x.code().to_owned(),
                    label: label_of(tr, "rec-ds-status", *x),
                    selected: false,
                })
                .collect();
            f.select(&mut t, "status", "rec-field-status", f.blank().into_iter().chain(choices).collect(), true);
            f.add_labelled(&mut t, "on", "date", "rec-field-on", true);
            forms.push(t);
        }
        s.items.push(ItemView {
            id: format!("record-{}", d.record.id),
            title: label_of(tr, "rec-ds-kind", r.kind()),
            status: label_of(tr, "rec-ds-status", r.status()),
            facts,
            warnings: vec![],
            forms,
        });
    }
    if !adult {
        let mut d = f.form("add-durable_solution".into(), "add:durable_solution", "rec-form-durable", "rec-add");
        f.coded::<DurableSolutionKind>(&mut d, "kind", "rec-ds-kind", true);
        f.select(&mut d, "based_on", "rec-field-based_on", determination_choices(f, v), true);
        f.add(&mut d, "proposed_on", "date", true);
        s.forms.push(d);
    }
    sections.push(s);
    sections
}

fn return_finding(tr: &Tr<'_>, finding: Option<bool>) -> String {
    match finding {
        Some(true) => tr.t("rec-return-supported"),
        Some(false) => tr.t("rec-return-not-supported"),
        None => tr.t("rec-return-not-said"),
    }
}

fn determination_choices(f: &Forms<'_>, v: &SupportRecordsView) -> Vec<Choice> {
    f.blank()
        .into_iter()
        .chain(v.determinations.iter().map(|d| Choice {
            value: d.id.clone(),
            label: format!(
                "{} · {} · {}",
                d.record.decided_on,
                d.record.decided_by,
                return_finding(&f.tr, d.record.return_in_best_interests)
            ),
            selected: false,
        }))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The compensation page
// ---------------------------------------------------------------------------------------------

fn compensation_sections(tr: &Tr<'_>, f: &Forms<'_>, v: &SupportRecordsView) -> Vec<SectionView> {
    let mut s = SectionView::new(tr, "claims", "rec-section-claims", "rec-none-claims");
    s.hint = tr.t("rec-hint-claims");
    for t in &v.compensation_totals {
        let line = format!(
            "{}: {} · {}: {} · {}: {} · {}: {}",
            tr.t("rec-claimed"),
            money(t.claimed, t.currency),
            tr.t("rec-awarded"),
            money(t.awarded, t.currency),
            tr.t("rec-paid"),
            money(t.paid, t.currency),
            tr.t("rec-outstanding"),
            money(t.outstanding, t.currency)
        );
        if t.outstanding > 0 { s.warnings.push(line) } else { s.findings.push(line) }
    }
    for c in &v.compensation_claims {
        let claim = &c.record.record;
        let cur = claim.currency();
        let mut facts = vec![
            (tr.t("rec-article"), c.article.to_owned()),
            (tr.t("rec-field-against"), claim.against().unwrap_or_default().to_owned()),
            (tr.t("rec-field-amount_claimed"), money(claim.amount_claimed(), cur)),
            (tr.t("rec-field-prepared_on"), claim.prepared_on().to_string()),
            (tr.t("rec-field-free_legal_representation"), yes_no(tr, claim.free_legal_representation)),
        ];
        if let (Some(a), Some(on)) = (claim.awarded(), claim.awarded_on()) {
            facts.push((tr.t("rec-awarded"), format!("{} ({on})", money(a, cur))));
            facts.push((tr.t("rec-paid"), money(c.total_paid, cur)));
            facts.push((tr.t("rec-outstanding"), money(c.outstanding, cur)));
        }
        for p in claim.payments() {
            facts.push((
                tr.t("rec-payment"),
                format!("{} · {} · {}", p.received_on, money(p.amount, p.currency), label_of(tr, "rec-payer", p.payer)),
            ));
        }
        for h in claim.history() {
            let amount = h.amount.map(|a| format!(" · {}", money(a, cur))).unwrap_or_default();
            facts.push((
                tr.t("rec-history"),
                format!("{} · {}{amount}", h.on, label_of(tr, "rec-claim-status", h.status)),
            ));
        }
        if !claim.confiscated_assets.is_empty() {
            facts.push((tr.t("rec-field-confiscated_assets"), claim.confiscated_assets.join(", ")));
        }
        let mut warnings = Vec::new();
        if c.outstanding > 0 {
            warnings.push(format!("{}: {}", tr.t("rec-outstanding"), money(c.outstanding, cur)));
        }
        let mut forms = Vec::new();
        if !c.next.is_empty() {
            let mut t = f.form(
                format!("change-{}-transition", c.record.id),
                "change:transition",
                "rec-form-transition",
                "rec-change",
            );
            t.record = c.record.id.clone();
            t.version = c.record.version;
            f.hint(&mut t, "rec-hint-claim-transition");
            let choices: Vec<Choice> = c
                .next
                .iter()
                .map(|x| Choice {
                    value: x.code().to_owned(),
                    label: label_of(tr, "rec-claim-status", *x),
                    selected: false,
                })
                .collect();
            f.select(&mut t, "status", "rec-field-status", f.blank().into_iter().chain(choices).collect(), true);
            f.add_labelled(&mut t, "on", "date", "rec-field-on", true);
            let mut amount = f.field(&t, "amount", "number", "rec-field-award_amount");
            amount.hint = tr.t("rec-hint-minor-units");
            t.fields.push(amount);
            forms.push(t);
        }
        if claim.awarded().is_some() && c.outstanding > 0 {
            let mut p =
                f.form(format!("change-{}-payment", c.record.id), "change:payment", "rec-form-payment", "rec-add");
            p.record = c.record.id.clone();
            p.version = c.record.version;
            f.add(&mut p, "received_on", "date", true);
            let mut amount = f.field(&p, "amount", "number", "rec-field-payment_amount");
            amount.hint = tr.t("rec-hint-minor-units");
            amount.required = true;
            p.fields.push(amount);
            let mut currency = f.field(&p, "currency", "text", "rec-field-currency");
            currency.value = cur.to_string();
            currency.required = true;
            p.fields.push(currency);
            f.coded::<Payer>(&mut p, "payer", "rec-payer", true);
            forms.push(p);
        }
        s.items.push(ItemView {
            id: format!("record-{}", c.record.id),
            title: label_of(tr, "rec-claim-kind", claim.kind()),
            status: label_of(tr, "rec-claim-status", claim.status()),
            facts,
            warnings,
            forms,
        });
    }
    let mut a = f.form("add-compensation_claim".into(), "add:compensation_claim", "rec-form-claim", "rec-add");
    f.coded::<ClaimKind>(&mut a, "kind", "rec-claim-kind", true);
    f.add(&mut a, "against", "text", false);
    let mut amount = f.field(&a, "amount_claimed", "number", "rec-field-amount_claimed");
    amount.hint = tr.t("rec-hint-minor-units");
    amount.required = true;
    a.fields.push(amount);
    let mut currency = f.field(&a, "currency", "text", "rec-field-currency");
    currency.value = "EUR".into();
    currency.hint = tr.t("rec-hint-currency");
    currency.required = true;
    a.fields.push(currency);
    f.add(&mut a, "prepared_on", "date", true);
    f.yes_no(&mut a, "free_legal_representation");
    f.add(&mut a, "confiscated_assets", "textarea", false);
    s.forms.push(a);
    vec![s]
}

// ---------------------------------------------------------------------------------------------
// The return page
// ---------------------------------------------------------------------------------------------

fn block_statement(tr: &Tr<'_>, child: bool, to: ReturnStatus, reason: ReturnBlockReason, message: &str) -> String {
    let lead = tr.t1(
        if child { "rec-block-child" } else { "rec-block-adult" },
        "step",
        &label_of(tr, "rec-return-status", to),
    );
    let why = match reason {
        ReturnBlockReason::Other => message.to_owned(),
        r => label_of(tr, "rec-block", r),
    };
    format!("{lead} {why}")
}

fn return_sections(tr: &Tr<'_>, f: &Forms<'_>, v: &SupportRecordsView) -> Vec<SectionView> {
    let mut s = SectionView::new(tr, "return-plans", "rec-section-return", "rec-none-return");
    s.hint = tr.t(if v.child { "rec-hint-return-child" } else { "rec-hint-return-adult" });
    for p in &v.return_plans {
        let plan = &p.record.record;
        let mut facts = vec![
            (tr.t("rec-field-destination"), plan.destination().to_string()),
            (tr.t("rec-field-created_on"), plan.created_on().to_string()),
        ];
        for h in plan.history() {
            facts.push((tr.t("rec-history"), format!("{} · {}", h.on, label_of(tr, "rec-return-status", h.status))));
        }
        facts.push((
            tr.t("rec-consent"),
            plan.consent()
                .map_or_else(|| tr.t("rec-none"), |c| format!("{} · {} · {}", c.given_on, c.language, c.informed_by)),
        ));
        for r in plan.risk_assessments() {
            facts.push((
                tr.t("rec-risk-assessment"),
                format!(
                    "{} · {} {} · {} {} · {} · {} · {}: {}",
                    r.assessed_on,
                    tr.t("rec-field-re_trafficking_risk"),
                    label_of(tr, "rec-risk", r.re_trafficking_risk),
                    tr.t("rec-field-reprisal_risk"),
                    label_of(tr, "rec-risk", r.reprisal_risk),
                    label_of(tr, "rec-family", r.family_situation),
                    label_of(tr, "rec-services", r.support_services),
                    tr.t("rec-field-documents_ready"),
                    yes_no(tr, r.documents_ready)
                ),
            ));
        }
        if let Some(risk) = p.latest_risk {
            facts.push((tr.t("rec-latest-risk"), label_of(tr, "rec-risk", risk)));
        }
        let linked = plan.best_interests_determination().map(|id| {
            v.determinations.iter().find(|d| d.id == id.to_string()).map_or_else(
                || id.to_string(),
                |d| {
                    format!(
                        "{} · {} · {}",
                        d.record.decided_on,
                        d.record.decided_by,
                        return_finding(tr, d.record.return_in_best_interests)
                    )
                },
            )
        });
        facts.push((tr.t("rec-field-determination"), linked.unwrap_or_else(|| tr.t("rec-none"))));
        for c in plan.contacts() {
            facts.push((
                tr.t("rec-contact"),
                format!(
                    "{} ({}) · {} · {}",
                    c.organisation,
                    c.country,
                    c.contact_point,
                    label_of(tr, "rec-contact-role", c.role)
                ),
            ));
        }
        for u in plan.follow_ups() {
            facts.push((
                tr.t("rec-follow-up"),
                format!(
                    "{} · {}: {} · {}: {}{}",
                    u.on,
                    tr.t("rec-field-contact_made"),
                    yes_no(tr, u.contact_made),
                    tr.t("rec-field-re_trafficking_concern"),
                    yes_no(tr, u.re_trafficking_concern),
                    u.situation.as_ref().map(|s| format!(" · {}", s.as_str())).unwrap_or_default()
                ),
            ));
        }
        if let Some(r) = plan.transnational_referral() {
            facts.push((
                tr.t("rec-transnational-referral"),
                format!(
                    "{} · {}{}",
                    r.destination_focal_point,
                    label_of(tr, "rec-tnr-status", r.status),
                    r.message_reference.as_ref().map(|m| format!(" · {m}")).unwrap_or_default()
                ),
            ));
        }
        let mut warnings = Vec::new();
        if let Some(step) = &p.next_step {
            let to = label_of(tr, "rec-return-status", step.to);
            match &step.blocked {
                Some(b) => warnings.push(block_statement(tr, v.child, step.to, b.reason, &b.message)),
                None => facts.push((tr.t("rec-next-step"), tr.t1("rec-next-step-open", "step", &to))),
            }
        }
        if p.re_trafficking_concern {
            warnings.push(tr.t("rec-re-trafficking-concern"));
        }
        let forms = return_forms(f, v, p);
        s.items.push(ItemView {
            id: format!("record-{}", p.record.id),
            title: format!("{} {}", tr.t("rec-return-to"), plan.destination()),
            status: label_of(tr, "rec-return-status", plan.status()),
            facts,
            warnings,
            forms,
        });
    }
    let mut a = f.form("add-return_plan".into(), "add:return_plan", "rec-form-return", "rec-add");
    let mut dest = f.field(&a, "destination", "text", "rec-field-destination");
    dest.hint = tr.t("rec-hint-country");
    dest.required = true;
    a.fields.push(dest);
    f.add(&mut a, "created_on", "date", true);
    s.forms.push(a);
    vec![s]
}

fn return_forms(f: &Forms<'_>, v: &SupportRecordsView, p: &haven_app::assist_records::ReturnPlanView) -> Vec<FormView> {
    let tr = &f.tr;
    let plan = &p.record.record;
    let id = &p.record.id;
    let mut forms = Vec::new();
    let change = |action: &str, legend: &str, submit: &str| {
        let mut form = f.form(format!("change-{id}-{action}"), &format!("change:{action}"), legend, submit);
        form.record = id.clone();
        form.version = p.record.version;
        form
    };
    let before_return =
        matches!(plan.status(), ReturnStatus::Draft | ReturnStatus::Approved | ReturnStatus::TravelArranged);
    if !p.next.is_empty() {
        let mut t = change("transition", "rec-form-transition", "rec-change");
        let choices: Vec<Choice> = p
            .next
            .iter()
            .map(|x| Choice {
                value: x.code().to_owned(),
                label: label_of(tr, "rec-return-status", *x),
                selected: false,
            })
            .collect();
        f.select(&mut t, "status", "rec-field-status", f.blank().into_iter().chain(choices).collect(), true);
        f.add_labelled(&mut t, "on", "date", "rec-field-on", true);
        forms.push(t);
    }
    if before_return {
        if v.child || !v.determinations.is_empty() {
            let mut l = change("link_determination", "rec-form-link", "rec-change");
            f.hint(&mut l, "rec-hint-link");
            f.select(&mut l, "determination", "rec-field-determination", determination_choices(f, v), true);
            forms.push(l);
        }
        if !v.child {
            let mut c = change("consent", "rec-form-consent", "save");
            f.hint(&mut c, "rec-hint-consent");
            f.add(&mut c, "given_on", "date", true);
            let mut lang = f.field(&c, "language", "text", "rec-field-language");
            lang.hint = tr.t("rec-hint-language");
            lang.required = true;
            c.fields.push(lang);
            f.add(&mut c, "informed_by", "text", true);
            forms.push(c);
        }
        let mut r = change("risk_assessment", "rec-form-risk", "rec-add");
        f.add(&mut r, "assessed_on", "date", true);
        f.coded::<RiskLevel>(&mut r, "re_trafficking_risk", "rec-risk", true);
        f.coded::<RiskLevel>(&mut r, "reprisal_risk", "rec-risk", true);
        f.coded::<FamilySafety>(&mut r, "family_situation", "rec-family", true);
        f.coded::<ServiceAvailability>(&mut r, "support_services", "rec-services", true);
        f.yes_no(&mut r, "documents_ready");
        f.add(&mut r, "notes", "textarea", false);
        forms.push(r);
    }
    if plan.status() != ReturnStatus::Cancelled {
        let mut c = change("contact", "rec-form-contact", "rec-add");
        f.add(&mut c, "organisation", "text", true);
        let mut country = f.field(&c, "country", "text", "rec-field-country");
        country.hint = tr.t("rec-hint-country");
        country.required = true;
        c.fields.push(country);
        f.add(&mut c, "contact_point", "text", true);
        f.coded::<ContactRole>(&mut c, "role", "rec-contact-role", true);
        forms.push(c);
        let mut t = change("transnational_referral", "rec-form-referral", "save");
        f.hint(&mut t, "rec-hint-referral");
        f.add(&mut t, "destination_focal_point", "text", true);
        f.add(&mut t, "message_reference", "text", false);
        let choices = f
            .blank()
            .into_iter()
            .chain(coded_choices::<TransnationalReferralStatus>(tr, "rec-tnr-status", &[]))
            .collect();
        f.select(&mut t, "status", "rec-field-referral_status", choices, true);
        forms.push(t);
    }
    if matches!(plan.status(), ReturnStatus::Returned | ReturnStatus::FollowedUp) {
        let mut u = change("follow_up", "rec-form-follow-up", "rec-add");
        f.add_labelled(&mut u, "on", "date", "rec-field-follow_up_on", true);
        f.yes_no(&mut u, "contact_made");
        f.add(&mut u, "situation", "textarea", false);
        f.yes_no(&mut u, "re_trafficking_concern");
        forms.push(u);
    }
    forms
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// A link between the three pages and back to the case.
pub struct TabLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "support_child.html")]
struct ChildPage<'a> {
    ctx: PageCtx<'a>,
    path: String,
    tabs: Vec<TabLink>,
    child_status: String,
    child: bool,
    adult: bool,
    problem: Option<Problem>,
    sections: Vec<SectionView>,
}

#[derive(Template)]
#[template(path = "support_compensation.html")]
struct CompensationPage<'a> {
    ctx: PageCtx<'a>,
    path: String,
    tabs: Vec<TabLink>,
    problem: Option<Problem>,
    sections: Vec<SectionView>,
}

#[derive(Template)]
#[template(path = "support_return.html")]
struct ReturnPage<'a> {
    ctx: PageCtx<'a>,
    path: String,
    tabs: Vec<TabLink>,
    child_status: String,
    child: bool,
    problem: Option<Problem>,
    sections: Vec<SectionView>,
}

/// A problem with a form sent, summarised at the top of the page with a link to the form.
pub struct Problem {
    pub message: String,
    /// `#…` of the form or field at fault.
    pub href: String,
}

/// A form sent that failed: which form, what was typed, the problem.
struct Failure {
    check: FormProblem,
    action: String,
    record: String,
    pairs: FormPairs,
}

fn path_of(case_id: &str, part: Part) -> String {
    format!("/cases/{case_id}/support/{}", part.slug())
}

async fn show(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    case_id: &str,
    part: Part,
    failure: Option<Failure>,
) -> PageResult {
    let view = state.app.support_records(p, case_id).await?;
    let mut ctx = PageCtx::new(state, Some(p), headers, part.title(), "/cases");
    let tr = ctx.tr;
    let forms = Forms { tr, today: view.today.to_string() };
    let mut sections = match part {
        Part::Child => child_sections(&tr, &forms, &view),
        Part::Compensation => compensation_sections(&tr, &forms, &view),
        Part::Return => return_sections(&tr, &forms, &view),
    };
    let mut status = StatusCode::OK;
    let mut problem = None;
    if let Some(fail) = failure {
        status = fail.check.status();
        let message = fail.check.line().unwrap_or_default();
        let form = sections
            .iter_mut()
            .flat_map(|s| s.forms.iter_mut().chain(s.items.iter_mut().flat_map(|i| i.forms.iter_mut())))
            .find(|f| f.action == fail.action && f.record == fail.record);
        let href = match form {
            Some(form) => {
                apply_failure(form, &fail.pairs, &fail.check.field, &fail.check.message);
                match form.fields.iter().find(|f| f.error.is_some()) {
                    Some(f) => format!("#{}", f.id),
                    None => format!("#{}", form.id),
                }
            }
            None => String::new(),
        };
        problem = Some(Problem { message, href });
        ctx.title = format!("{} · {}", tr.t("rec-problem"), ctx.title);
    }
    let tabs = [
        (format!("/cases/{case_id}"), tr.t("rec-tab-case"), false),
        (path_of(case_id, Part::Child), tr.t("rec-title-child"), part == Part::Child),
        (path_of(case_id, Part::Compensation), tr.t("rec-title-compensation"), part == Part::Compensation),
        (path_of(case_id, Part::Return), tr.t("rec-title-return"), part == Part::Return),
    ]
    .into_iter()
    .map(|(href, label, current)| TabLink { href, label, current })
    .collect();
    let child_status = label_of(&tr, "rec-child-status", view.child_status);
    let path = path_of(case_id, part);
    let response = match part {
        Part::Child => render(&ChildPage {
            ctx,
            path,
            tabs,
            child_status,
            child: view.child,
            adult: view.child_status == ChildStatus::Adult,
            problem,
            sections,
        }),
        Part::Compensation => render(&CompensationPage { ctx, path, tabs, problem, sections }),
        Part::Return => render(&ReturnPage { ctx, path, tabs, child_status, child: view.child, problem, sections }),
    };
    Ok(with_status(response, status))
}

/// The label of a field of these forms (`record.appointed_on`), if it has one.
fn rec_label(tr: &Tr<'_>, field: &str) -> Option<String> {
    let base = field.split_once('.').map_or(field, |(_, rest)| rest);
    let base = base.split(['[', '.']).next().unwrap_or_default();
    if base.is_empty() {
        return None;
    }
    let id = format!("rec-field-{base}");
    let label = tr.t(&id);
    (label != id).then_some(label)
}

/// The record's fields from the form: control fields left out, lists split.
fn fields_of(pairs: &FormPairs) -> Value {
    let mut map = Map::new();
    for (name, value) in &pairs.0 {
        if CONTROL_FIELDS.contains(&name.as_str()) {
            continue;
        }
        if LINE_LISTS.contains(&name.as_str()) {
            let lines = value.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.to_owned()));
            map.insert(name.clone(), Value::Array(lines.collect()));
        } else if REPEATED_LISTS.contains(&name.as_str()) {
            if let Value::Array(list) = map.entry(name.clone()).or_insert_with(|| Value::Array(vec![])) {
                list.push(Value::String(value.clone()));
            }
        } else {
            map.insert(name.clone(), Value::String(value.clone()));
        }
    }
    Value::Object(map)
}

/// A records form as sent: which form it is (`add:KIND` or `change:ACTION`), and for a change
/// the record and the version it was shown at; the record's own fields are the other inputs
/// ([`fields_of`]).
#[derive(Deserialize, Default)]
#[serde(default)]
struct RecordForm {
    action: String,
    record: String,
    version: String,
}

/// Adds or changes the record; the anchor of the record saved.
async fn save(
    state: &AppState,
    p: &Principal,
    case_id: &str,
    form: &RecordForm,
    pairs: &FormPairs,
) -> Result<String, WebError> {
    let fields = fields_of(pairs);
    if let Some(kind) = form.action.strip_prefix("add:") {
        let input = parse_new_record(kind, fields)?;
        let saved = state.app.add_support_record(p, case_id, &input).await?;
        return Ok(format!("record-{}", saved.id));
    }
    if let Some(change) = form.action.strip_prefix("change:") {
        let mut fields = fields;
        if let Value::Object(map) = &mut fields {
            map.insert("action".into(), Value::String(change.to_owned()));
        }
        let change = parse_change(fields)?;
        let version = form
            .version
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::said("version", "reload the page and try again", MessageId::ReloadAndRetry))?;
        let saved = state.app.update_support_record(p, case_id, &form.record, version, &change).await?;
        return Ok(format!("record-{}", saved.id));
    }
    Err(AppError::said(
        "action",
        "the form does not say what to do (add:KIND or change:ACTION); reload the page and try again",
        MessageId::FormActionMissing,
    )
    .into())
}

/// A field's label for a problem: its `rec-field-` label, else its name.
fn problem_label(tr: &Tr<'_>, _at: &str, field: &str) -> String {
    rec_label(tr, field).unwrap_or_else(|| field.to_owned())
}

async fn post(
    state: AppState,
    p: Principal,
    headers: HeaderMap,
    case_id: String,
    part: Part,
    form: Result<PageForm<RecordForm>, PageError>,
) -> PageResult {
    let PageForm { input, pairs } = form?;
    let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
    let error = match save(&state, &p, &case_id, &input, &pairs).await {
        Ok(anchor) => return Ok(see_other(&format!("{}#{anchor}", path_of(&case_id, part)))),
        Err(e) => e,
    };
    let check = match error {
        WebError::App(app) => FormProblem::of(&tr, app, str::to_owned, problem_label)?,
        // What the form's fields do not fit (an unknown field, a list for one value): the shape
        // of what was sent, in English for the logs, and on the page in the reader's language.
        WebError::BadRequest { field, message } => {
            let problem =
                ParseError::said(field.unwrap_or_default(), message, Message::new(MessageId::FormNotUnderstood));
            FormProblem::of(&tr, AppError::Invalid(problem), str::to_owned, problem_label)?
        }
        other => return Err(other.into()),
    };
    let failure = Failure { check, action: input.action, record: input.record, pairs };
    show(&state, &p, &headers, &case_id, part, Some(failure)).await
}

async fn child_page(
    State(s): State<AppState>,
    SignedIn(p): SignedIn,
    h: HeaderMap,
    Path(c): Path<String>,
) -> PageResult {
    show(&s, &p, &h, &c, Part::Child, None).await
}

async fn compensation_page(
    State(s): State<AppState>,
    SignedIn(p): SignedIn,
    h: HeaderMap,
    Path(c): Path<String>,
) -> PageResult {
    show(&s, &p, &h, &c, Part::Compensation, None).await
}

async fn return_page(
    State(s): State<AppState>,
    SignedIn(p): SignedIn,
    h: HeaderMap,
    Path(c): Path<String>,
) -> PageResult {
    show(&s, &p, &h, &c, Part::Return, None).await
}

async fn child_post(
    State(s): State<AppState>,
    SignedIn(p): SignedIn,
    h: HeaderMap,
    Path(c): Path<String>,
    form: Result<PageForm<RecordForm>, PageError>,
) -> PageResult {
    post(s, p, h, c, Part::Child, form).await
}

async fn compensation_post(
    State(s): State<AppState>,
    SignedIn(p): SignedIn,
    h: HeaderMap,
    Path(c): Path<String>,
    form: Result<PageForm<RecordForm>, PageError>,
) -> PageResult {
    post(s, p, h, c, Part::Compensation, form).await
}

async fn return_post(
    State(s): State<AppState>,
    SignedIn(p): SignedIn,
    h: HeaderMap,
    Path(c): Path<String>,
    form: Result<PageForm<RecordForm>, PageError>,
) -> PageResult {
    post(s, p, h, c, Part::Return, form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_major_units() {
        let eur = CurrencyCode::parse("c", "EUR").unwrap();
        assert_eq!(money(123_450, eur), "1234.50 EUR");
        assert_eq!(money(5, eur), "0.05 EUR");
        assert_eq!(money(1000, CurrencyCode::parse("c", "JPY").unwrap()), "1000 JPY");
        assert_eq!(money(1005, CurrencyCode::parse("c", "KWD").unwrap()), "1.005 KWD");
    }

    #[test]
    fn form_fields_become_the_record() {
        let pairs = FormPairs(vec![
            ("csrf".into(), "t".into()),
            ("action".into(), "add:interview".into()),
            ("interviewer_ids".into(), "a\n\n b \r\n".into()),
            ("factors".into(), "safety".into()),
            ("factors".into(), "family".into()),
            ("name".into(), "X".into()),
        ]);
        assert_eq!(
            fields_of(&pairs),
            serde_json::json!({"interviewer_ids": ["a", "b"], "factors": ["safety", "family"], "name": "X"})
        );
    }
}
